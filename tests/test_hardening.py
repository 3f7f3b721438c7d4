from __future__ import annotations

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
