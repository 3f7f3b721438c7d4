from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

_PROBE = textwrap.dedent(
    """
    import ctypes, ctypes.util, resource
    from journal.core.hardening import disable_core_dumps
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    before = libc.prctl(3, 0, 0, 0, 0)  # PR_GET_DUMPABLE
    disable_core_dumps()
    print(before, libc.prctl(3, 0, 0, 0, 0), resource.getrlimit(resource.RLIMIT_CORE))
    """
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux only")
def test_core_dumps_are_disabled_at_start() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.split() == ["1", "0", "(0,", "0)"]


_CRASH = """
import sys
from journal.core.hardening import install_quiet_excepthook
install_quiet_excepthook()
def write_entry(text):
    raise ValueError(f"could not store {text!r}")
write_entry(sys.argv[1])
"""

_QT_WARNING = """
import sys
from PySide6.QtCore import QCoreApplication, qWarning
from journal.ui.app import harden
harden()
app = QCoreApplication([])
qWarning(f"QFile::open: cannot open {sys.argv[1]}")
"""


@pytest.mark.parametrize("debug", ["", "1"])
def test_uncaught_exceptions_print_no_content(debug: str) -> None:
    env = {**os.environ, "AFTERGLOW_DEBUG": debug}
    result = subprocess.run(
        [sys.executable, "-c", _CRASH, "Secretcanary88"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 1
    if debug:  # developers can ask for the full traceback
        assert "Secretcanary88" in result.stderr
    else:
        assert "Secretcanary88" not in result.stderr
        assert "builtins.ValueError" in result.stderr and "in write_entry" in result.stderr


def test_qt_warnings_print_no_paths() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "AFTERGLOW_DEBUG": ""}
    result = subprocess.run(
        [sys.executable, "-c", _QT_WARNING, "/home/me/Secretcanary88/journal.vault"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Secretcanary88" not in result.stderr and "Qt warning" in result.stderr
