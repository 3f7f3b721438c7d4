"""Process hardening at start-up: no core dumps that could carry decrypted text."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import sys

_PR_SET_DUMPABLE = 4


def disable_core_dumps() -> None:
    """RLIMIT_CORE = 0 everywhere it exists; on Linux also PR_SET_DUMPABLE = 0,
    which stops core dumps and other users' debuggers from reading memory."""
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            libc.prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0)
