"""Whole processes: the first window (cold start, the demo) against a bare
PySide6 window, the command line beyond its key derivation, and the peak
memory of ordinary use."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from benchmarks.children import VMHWM, env, isolated_home, until_line
from benchmarks.data import PASSPHRASE
from benchmarks.figures import Figure, median, timed
from journal.core.vault import keyfile as kf
from journal.core.vault import vault as vaults

# Both window children say "shown" once their window has painted for the first time.
_FIRST_PAINT = """
from PySide6.QtCore import QEvent, QObject, QTimer
class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not getattr(self, "done", False):
            self.done = True
            QTimer.singleShot(0, lambda: (print("shown", flush=True), app.quit()))
        return False
"""

_BARE_WINDOW = (
    """
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
"""
    + _FIRST_PAINT
    + """
window = QLabel("Hello")
window.resize(1200, 860)
painted = FirstPaint()
window.installEventFilter(painted)
window.show()
app.exec()
"""
)

# `afterglow --vault PATH` itself, through `journal.cli.main` as the command
# runs it. The window gets one more filter like the one it has for its own
# first paint; none on the application (that would see, and slow, every event).
_WATCH_MAIN_WINDOW = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
import journal.cli
from journal.ui import main_window
class FirstPaint(QObject):
    done = False
    def eventFilter(self, watched, event):
        if not self.done and event.type() == QEvent.Type.Paint:
            self.done = True
            print("shown", flush=True)
            QTimer.singleShot(0, watched.close)  # as a person closes it (a demo deletes itself)
        return False
_made = main_window.MainWindow.__init__
def _watched(self, **kwargs):
    _made(self, **kwargs)
    self._benchmark_paint = FirstPaint(self)
    self.installEventFilter(self._benchmark_paint)
main_window.MainWindow.__init__ = _watched
"""

_APP_WINDOW = (
    _WATCH_MAIN_WINDOW
    + """
sys.exit(journal.cli.main(["--vault", sys.argv[1]]))
"""
)

# `afterglow --demo` itself: at the first paint of its window it says "shown"
# and closes the window as a person would, so the demo deletes itself.
_DEMO = (
    _WATCH_MAIN_WINDOW
    + """
sys.exit(journal.cli.main(["--demo"]))
"""
)


def _starts(path: Path, scratch: Path, repeat: int, *, app: bool, demo: bool) -> dict[str, list]:
    """Interleaved runs of the bare window and of the app's windows asked for."""
    demo_home = isolated_home(scratch / "demo-home")
    home = isolated_home(scratch / "app-home")
    times: dict[str, list[float]] = {"bare": [], "app": [], "demo": []}
    left: list[str] = []
    for _ in range(repeat):  # alternate, so all see the same machine
        times["bare"].append(until_line([sys.executable, "-c", _BARE_WINDOW], "shown"))
        if app:
            times["app"].append(
                until_line([sys.executable, "-c", _APP_WINDOW, str(path)], "shown", extra_env=home)
            )
        if demo:
            times["demo"].append(
                until_line([sys.executable, "-c", _DEMO], "shown", extra_env=demo_home)
            )
            left += [p.name for p in Path(demo_home["TMPDIR"]).glob("afterglow-demo-*")]
    return {**times, "left": left}


def _cold_figure(app: list[float], bare: list[float]) -> Figure:
    ratio = median(app) / median(bare)
    return Figure(
        "cold start to the unlock window (× a bare PySide6 window)",
        "×",
        [a / median(bare) for a in app],
        "≤ 1.3 ×",
        ratio <= 1.3,
        note=f"app {median(app):.0f} ms, bare window {median(bare):.0f} ms",
        extra={"app_ms": median(app), "bare_ms": median(bare)},
    )


def _demo_figure(demo: list[float], bare: list[float], left: list[str]) -> Figure:
    ratio = median(demo) / median(bare)
    cleanup = (
        f"**{len(left)} demo folder(s) left in the temporary folder**: {', '.join(sorted(left))}"
        if left
        else "no afterglow-demo-* folder left behind"
    )
    return Figure(
        "`afterglow --demo` to its first window (× a bare PySide6 window)",
        "×",
        [d / median(bare) for d in demo],
        "≤ 1.5 ×",
        ratio <= 1.5,
        note=f"demo {median(demo):.0f} ms, bare window {median(bare):.0f} ms; {cleanup}",
        extra={"demo_ms": median(demo), "bare_ms": median(bare), "demo_folders_left": len(left)},
    )


def cold_start(path: Path, repeat: int, scratch: Path | None = None) -> Figure:
    times = _starts(path, scratch or path.parent, repeat, app=True, demo=False)
    return _cold_figure(times["app"], times["bare"])


def demo_start(scratch: Path, repeat: int) -> Figure:
    times = _starts(scratch, scratch, repeat, app=False, demo=True)
    return _demo_figure(times["demo"], times["bare"], times["left"])


def window_starts(path: Path, scratch: Path, repeat: int) -> list[Figure]:
    """Cold start and the demo, both against the same bare-window runs."""
    times = _starts(path, scratch, repeat, app=True, demo=True)
    return [
        _cold_figure(times["app"], times["bare"]),
        _demo_figure(times["demo"], times["bare"], times["left"]),
    ]


def kdf_ms(path: Path) -> float:
    """One Argon2id unwrap of the vault key, as `vaults.unlock` does it."""
    keyfile = kf.read(vaults.VaultPaths(path).keyfile)
    secret = kf.normalize_passphrase(PASSPHRASE)
    return timed(lambda: kf.unwrap_key(keyfile, kf.PASSPHRASE_SLOT, secret))


def _cli(path: Path, *args: str) -> float:
    return timed(
        lambda: subprocess.run(
            [sys.executable, "-m", "journal", "--vault", str(path), *args],
            input=PASSPHRASE + "\n",
            capture_output=True,
            text=True,
            check=True,
            env=env(),
        )
    )


CLI_COMMANDS = (
    ("add", ("add", "a quick note after the session")),
    ("search", ("search", "ocean door")),
)


def cli_times(paths: list[Path], repeat: int) -> dict[str, dict[Path, list[float]]]:
    """Whole-process times of each command on each journal, and the key
    derivation (``"kdf"``), interleaved."""
    times: dict[str, dict[Path, list[float]]] = {"kdf": {p: [] for p in paths}}
    for command, _args in CLI_COMMANDS:
        times[command] = {p: [] for p in paths}
    for _ in range(repeat):
        for command, args in CLI_COMMANDS:
            for path in paths:
                times[command][path].append(_cli(path, *args))
        for path in paths:
            times["kdf"][path].append(kdf_ms(path))
    return times


def cli_figures(
    times: dict[str, dict[Path, list[float]]], path: Path, small: Path | None, label: str = ""
) -> list[Figure]:
    """Per command: the process beyond its Argon2id unwrap (≤ 40 ms), and the
    whole process, flat in the journal's size (< 1.2× on a tenth the size)."""
    kdf = median(times["kdf"][path])
    suffix = f" · {label}" if label else ""
    figures = []
    for command, _args in CLI_COMMANDS:
        whole = times[command][path]
        beyond = median(whole) - kdf
        figures.append(
            Figure(
                f"`afterglow {command}`, beyond the Argon2id unwrap{suffix}",
                "ms",
                [w - kdf for w in whole],
                "≤ 40 ms",
                beyond <= 40,
                note=f"whole process {median(whole):.0f} ms, of which Argon2id {kdf:.0f} ms",
                extra={"whole_ms": median(whole), "kdf_ms": kdf},
            )
        )
        if small is None:
            figures.append(Figure(f"`afterglow {command}`, whole process{suffix}", "ms", whole))
            continue
        growth = median(whole) / median(times[command][small])
        figures.append(
            Figure(
                f"`afterglow {command}`, whole process{suffix}",
                "ms",
                whole,
                "flat: < 1.2× a tenth the size",
                growth < 1.2,
                note=f"{growth:.2f}× the {median(times[command][small]):.0f} ms on a journal "
                "a tenth the size",
                extra={"small_journal_ms": median(times[command][small]), "growth": growth},
            )
        )
    return figures


def cli_process(path: Path, small: Path, repeat: int) -> list[Figure]:
    return cli_figures(cli_times([path, small], repeat), path, small)


# Ordinary use scrolls back a long way, not through 100,000 entries.
SCROLL_ROWS = 10_000

_PEAK = (
    """
import sys, tempfile
from pathlib import Path
from PySide6.QtCore import QEventLoop, QModelIndex, QSettings, QTimer
from PySide6.QtWidgets import QApplication
from journal.ui.main_window import MainWindow
from journal.ui.runner import VaultRunner
from journal.ui.settings import Settings
"""
    + VMHWM
    + """
app = QApplication([])
settings = Settings(QSettings(str(Path(tempfile.mkdtemp()) / "s.ini"), QSettings.Format.IniFormat))
window = MainWindow(runner=VaultRunner(), settings=settings, vault_path=Path(sys.argv[1]))
window.show()
def settle(condition):
    while not condition():
        loop = QEventLoop(); QTimer.singleShot(10, loop.quit); loop.exec()
window.unlock_page.passphrase.setText(sys.argv[2]); window.unlock_page.submit.click()
settle(lambda: window.current_page() == "home" and not window.runner.busy)
model = window.home.model
import time
started = time.perf_counter()
# Scroll back through the timeline: all of it, or its newest SCROLL rows.
while model.canFetchMore(QModelIndex()) and model.rowCount() < SCROLL:
    model.fetchMore(QModelIndex()); settle(lambda: not window.runner.busy)
print("scrolled", model.rowCount(), time.perf_counter() - started, flush=True)
for query in ("oc", "ocean", "door", "mother light", "garden"):
    window.go_search(); window.search_page.field.setText(query)
    settle(lambda: not window.runner.busy)
window.flows.checkins.go_trends(); settle(lambda: not window.runner.busy)
window.open_entry(1); settle(lambda: not window.runner.busy)
window.flows.sharing.go_prepare(); settle(lambda: not window.runner.busy)
print(peak_mb())
window.runner.shutdown()
""".replace("SCROLL", str(SCROLL_ROWS))
)


def peak_memory(path: Path, label: str = "") -> Figure:
    result = subprocess.run(
        [sys.executable, "-c", _PEAK, str(path), PASSPHRASE],
        capture_output=True,
        text=True,
        check=True,
        env=env(),
    )
    lines = result.stdout.strip().splitlines()
    megabytes = float(lines[-1])
    _, rows, seconds = next(line for line in lines if line.startswith("scrolled")).split()
    per_page = float(seconds) * 1000 / max(1, int(rows)) * 200
    return Figure(
        "peak memory: unlock, home, searches, trends, prepare" + (f" · {label}" if label else ""),
        "MB",
        [megabytes],
        "< 250 MB",
        megabytes < 250,
        note=f"the timeline scrolled through its newest {int(rows):,} rows in "
        f"{float(seconds):.1f} s ({per_page:.0f} ms per 200 rows)",
        extra={"scrolled_rows": int(rows), "scroll_s": float(seconds)},
    )
