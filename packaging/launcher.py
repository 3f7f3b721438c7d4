"""The frozen app's entry point: the `afterglow` command (PyInstaller needs a
script, not a ``module:function`` entry point)."""

import sys

from journal.cli import main

if __name__ == "__main__":
    sys.exit(main())
