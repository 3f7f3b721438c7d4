"""``python -m journal`` runs the `afterglow` command."""

import sys

from journal.cli import main

sys.exit(main())
