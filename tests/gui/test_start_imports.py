"""What the app's start costs in imports: shiboken's `__feature__` hook reads
no module's source once `journal.ui` is imported (a fresh interpreter each)."""

from __future__ import annotations

import os
import subprocess
import sys

# The sources shiboken's check reads (`inspect.getsource`) once ``first`` is
# imported, while `colorsys` (a module nothing here has imported yet) and the
# app's start are imported. (PySide6's own import reads three, `shiboken6`,
# `enum` and `PySide6`, before anything can stop it.)
_COUNT_READS = """
import inspect, sys
read = []
_getsource = inspect.getsource
def counting(obj):
    read.append(getattr(obj, "__name__", "?"))
    return _getsource(obj)
inspect.getsource = counting
{first}
before = len(read)
import colorsys
import journal.ui.app
print(",".join(read[before:]))
"""


def _source_reads(first: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", _COUNT_READS.format(first=first)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=True,
    )
    return [name for name in done.stdout.strip().split(",") if name]


def test_shiboken_reads_no_source_once_the_app_package_is_imported() -> None:
    # Imported before the app's package, a new module's source is read…
    assert "colorsys" in _source_reads("import PySide6.QtCore")
    # …after it, none: not a stdlib module's, not the window's.
    assert _source_reads("import journal.ui") == []
