"""Running measured child processes: the environment they get, waiting for
a line they print, and their own peak memory (VmHWM)."""

from __future__ import annotations

import compileall
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# A child that needs more than this is stopped by MemoryError, not the machine's OOM killer.
MEMORY_LIMIT_BYTES = 14 * 1024**3

# Printed last on standard error by the children that report their peak memory.
# VmHWM, not ru_maxrss: on Linux a child's ru_maxrss starts at its parent's peak.
VMHWM = """
import resource, sys
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, (CAP_BYTES, CAP_BYTES))
def peak_mb():
    status = Path("/proc/self/status").read_text()
    return int(next(l.split()[1] for l in status.splitlines() if l.startswith("VmHWM"))) / 1024
def report_peak():
    print(f"vmhwm-kib {peak_mb() * 1024:.0f}", file=sys.stderr, flush=True)
""".replace("CAP_BYTES", str(MEMORY_LIMIT_BYTES))


def bytecode() -> float:
    """Compile the app and the suite (seconds taken), so the children read
    bytecode: this environment sets PYTHONDONTWRITEBYTECODE, and a child that
    compiles what it imports is timed compiling, which no installed copy does."""
    start = time.perf_counter()
    for package in ("journal", "benchmarks"):
        if not compileall.compile_dir(REPO / package, quiet=1):
            raise RuntimeError(f"{package} does not compile")
    return time.perf_counter() - start


def env(**extra: str) -> dict[str, str]:
    """The children's environment: the repository importable, Qt offscreen.
    PYTHONDONTWRITEBYTECODE stays as it is (they read what `bytecode` compiled)."""
    result = dict(os.environ, PYTHONPATH=str(REPO))
    result.setdefault("QT_QPA_PLATFORM", "offscreen")
    result.update(extra)
    return result


def isolated_home(scratch: Path) -> dict[str, str]:
    """Settings, data and temporary files of a child inside ``scratch``, never
    the developer's own (the demo and the GUI read and write settings)."""
    paths = {
        "XDG_CONFIG_HOME": scratch / "config",
        "XDG_DATA_HOME": scratch / "data",
        "XDG_CACHE_HOME": scratch / "cache",
        "TMPDIR": scratch / "tmp",
    }
    for path in paths.values():
        path.mkdir(parents=True, exist_ok=True)
    return {name: str(path) for name, path in paths.items()}


def until_line(
    args: list[str],
    line: str,
    stdin: str | None = None,
    *,
    extra_env: dict[str, str] | None = None,
    exit_timeout_s: float = 60,
) -> float:
    """Milliseconds from starting a process until it prints ``line``; then
    waits (up to ``exit_timeout_s``) for it to end on its own, and kills it
    if it does not."""
    start = time.perf_counter()
    process = subprocess.Popen(
        args,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env(**(extra_env or {})),
    )
    assert process.stdout is not None
    if stdin is not None and process.stdin is not None:
        process.stdin.write(stdin)
        process.stdin.close()
    while True:
        got = process.stdout.readline()
        if not got:
            process.wait()
            raise RuntimeError(f"the measured process ended without printing {line!r}")
        if got.strip() == line:
            break
    elapsed = (time.perf_counter() - start) * 1000
    process.stdout.close()
    try:
        process.wait(timeout=exit_timeout_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise RuntimeError("the measured process did not end after it was shown") from None
    return elapsed


@dataclass(frozen=True)
class Finished:
    """A child that ran to its end: wall time, its own peak memory, its output."""

    ms: float
    peak_mb: float
    status: int
    stdout: str
    stderr: str


def run_measured(args: list[str], *, stdin: str = "", timeout_s: float = 900) -> Finished:
    """Run a child that prints ``vmhwm-kib N`` on standard error (see `VMHWM`,
    which also limits its memory), and say how long it took and its peak."""
    start = time.perf_counter()
    result = subprocess.run(
        args,
        input=stdin,
        capture_output=True,
        text=True,
        env=env(),
        timeout=timeout_s,
    )
    ms = (time.perf_counter() - start) * 1000
    peaks = [
        int(line.split()[1]) for line in result.stderr.splitlines() if line.startswith("vmhwm-kib ")
    ]
    return Finished(
        ms=ms,
        peak_mb=peaks[-1] / 1024 if peaks else float("nan"),
        status=result.returncode,
        stdout=result.stdout,
        stderr=result.stderr,
    )


# `afterglow` with its arguments, reporting its peak memory when it ends:
# also when it leaves through `os._exit`, as a command without Qt does.
CLI_WITH_PEAK = (
    """
import os, sys
from pathlib import Path
from journal.cli import main
"""
    + VMHWM
    + """
_exit = os._exit
def _leave(status):
    report_peak()
    _exit(status)
os._exit = _leave
status = main(sys.argv[1:])
report_peak()
sys.exit(status)
"""
)
