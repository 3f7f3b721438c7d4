"""Process hardening at start-up: no core dumps that could carry decrypted
text, and no exception messages (which may quote content) in the logs."""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
import threading
from pathlib import Path
from types import TracebackType

_PR_SET_DUMPABLE = 4


def disable_core_dumps() -> None:
    """RLIMIT_CORE = 0 everywhere it exists; on Linux also PR_SET_DUMPABLE = 0,
    which stops core dumps and other users' debuggers from reading memory."""
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            # The process's own symbols include libc's; no ctypes.util (slow to import).
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0)


DEBUG_ENV = "AFTERGLOW_DEBUG"


def bug_report(error: BaseException) -> str:
    """What may be printed about a bug: its type and where it happened
    (file, line, function) — never its message or local values, which may
    hold what the person wrote."""
    import traceback  # only when there is a bug: linecache and tokenize cost every start ~3 ms

    frames = traceback.extract_tb(error.__traceback__)
    lines = [f"Afterglow hit a bug: {type(error).__module__}.{type(error).__qualname__}"]
    lines += [f"  {Path(f.filename).name}:{f.lineno} in {f.name}" for f in frames[-12:]]
    return "\n".join(lines)


def _quiet_excepthook(
    kind: type[BaseException], error: BaseException, tb: TracebackType | None
) -> None:
    sys.stderr.write(bug_report(error.with_traceback(tb)) + "\n")


def _quiet_thread_hook(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is not None:
        sys.stderr.write(bug_report(args.exc_value) + "\n")


def install_quiet_excepthook() -> None:
    """Uncaught exceptions print only `bug_report` (stderr often ends up in
    the system log). ``AFTERGLOW_DEBUG=1`` keeps Python's full tracebacks for
    development."""
    if os.environ.get(DEBUG_ENV) == "1":
        return
    sys.excepthook = _quiet_excepthook
    threading.excepthook = _quiet_thread_hook
