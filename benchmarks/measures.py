"""The measurements. Each returns a `Figure`: values from repeated runs, a
target, and whether the target was met. Baselines run in the same process
(or the same kind of process) right beside what they are compared with."""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import sqlcipher3

from benchmarks.data import PASSPHRASE, search_queries
from journal.core.journal import timeline
from journal.core.sharing import share
from journal.core.vault import keyfile as kf
from journal.core.vault import vault as vaults
from journal.core.vault.db import Database
from journal.core.vault.repositories import Repositories

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Figure:
    name: str
    unit: str
    values: list[float]
    target: str = ""
    ok: bool | None = None
    note: str = ""
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def as_json(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "median": self.median,
            "min": min(self.values),
            "max": max(self.values),
            "runs": len(self.values),
            "target": self.target,
            "met": self.ok,
            "note": self.note,
            **self.extra,
        }


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


# --- baselines: the same queries against a plain SQLite copy -----------------------


def plain_copy(vault: vaults.Vault, target: Path) -> None:
    """An unencrypted copy of the vault (SQLCipher's export), for the baseline."""
    vault.db.execute(f"ATTACH DATABASE '{target}' AS plain KEY ''")
    vault.db.execute("SELECT sqlcipher_export('plain')")
    vault.db.execute("DETACH DATABASE plain")


def open_plain(path: Path) -> SimpleNamespace:
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    for pragma in ("journal_mode = WAL", "synchronous = FULL", "temp_store = MEMORY"):
        conn.execute(f"PRAGMA {pragma}")
    db = Database(conn)
    repos = Repositories(db, clock=vaults.local_now)
    return SimpleNamespace(
        db=db,
        entries=repos.entries,
        sessions=repos.sessions,
        search=repos.search,
        meditations=repos.meditations,
    )


def app_queries(target: Any, queries: list[str], entry_ids: list[int]) -> dict[str, list[float]]:
    """The app's own read paths: search as you type, the home timeline, opening entries."""
    return {
        "search": [timed(lambda q=q: target.search(q)) for q in queries],
        "timeline": [timed(lambda: timeline.build(target)) for _ in range(3)],
        "open entry": [timed(lambda i=i: target.entries.get(i)) for i in entry_ids],
    }


def search_and_overhead(path: Path, plain: Path) -> list[Figure]:
    queries = search_queries()
    with vaults.unlock(path, PASSPHRASE) as vault:
        ids = vault.entries.ids()
        rng = random.Random(3)
        entry_ids = rng.sample(ids, min(200, len(ids)))
        if not plain.exists():
            plain_copy(vault, plain)
        # Warm both the same way, then alternate: encrypted, plain, encrypted, plain.
        plain_target = open_plain(plain)
        for target in (vault, plain_target):
            app_queries(target, queries[:20], entry_ids[:20])
        plain_target.db.execute("PRAGMA cache_size = -32000")  # as the vault's connection
        runs: dict[str, dict[str, list[float]]] = {"enc": {}, "plain": {}}
        round_ratios: list[float] = []
        for _ in range(3):  # alternate, and compare within each round: the machine drifts
            totals = {}
            for key, target in (("enc", vault), ("plain", plain_target)):
                results = app_queries(target, queries, entry_ids)
                totals[key] = sum(sum(v) for v in results.values())
                for name, values in results.items():
                    runs[key].setdefault(name, []).extend(values)
            round_ratios.append(totals["enc"] / totals["plain"])
        plain_target.db.close()
    search = runs["enc"]["search"]
    figures = [
        Figure(
            f"search as you type, p95 ({len(queries)} keystrokes)",
            "ms",
            [percentile(search, 0.95)],
            "≤ 30 ms",
            percentile(search, 0.95) <= 30,
            extra={"p50": percentile(search, 0.5), "max": max(search)},
        ),
        Figure("search as you type, p50", "ms", [percentile(search, 0.5)]),
    ]
    ratios = {name: sum(runs["enc"][name]) / sum(runs["plain"][name]) for name in runs["enc"]}
    overall = statistics.median(round_ratios)
    figures.append(
        Figure(
            "SQLCipher overhead on the app's queries (× plain SQLite)",
            "×",
            round_ratios,
            "≤ 1.3 ×",
            overall <= 1.3,
            note=", ".join(f"{k} {v:.2f}×" for k, v in ratios.items()),
            extra={f"ratio {k}": v for k, v in ratios.items()},
        )
    )
    return figures


# --- processes: cold start, CLI, peak memory ---------------------------------------------

# Both children say "shown" once their window has painted for the first time.
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

_APP_WINDOW = (
    """
import sys, tempfile
from pathlib import Path
import journal.cli, journal.ui.app  # the path `afterglow` takes to its window
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from journal.ui.main_window import MainWindow
from journal.ui.runner import VaultRunner
from journal.ui.settings import Settings
from journal.ui.theme import apply
app = QApplication([])
"""
    + _FIRST_PAINT
    + """
settings = Settings(QSettings(str(Path(tempfile.mkdtemp()) / "s.ini"), QSettings.Format.IniFormat))
apply(app, settings.theme, settings.text_size)
runner = VaultRunner()
window = MainWindow(runner=runner, settings=settings, vault_path=Path(sys.argv[1]))
painted = FirstPaint()
window.unlock_page.installEventFilter(painted)
window.show()
app.exec()
runner.shutdown()
"""
)


def _env() -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


def _until_line(args: list[str], line: str, stdin: str | None = None) -> float:
    """Milliseconds from starting a process until it prints ``line``."""
    start = time.perf_counter()
    process = subprocess.Popen(
        args,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=_env(),
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
    process.wait()
    return elapsed


def cold_start(path: Path, repeat: int) -> Figure:
    app, bare = [], []
    for _ in range(repeat):  # alternate, so both see the same machine
        bare.append(_until_line([sys.executable, "-c", _BARE_WINDOW], "shown"))
        app.append(_until_line([sys.executable, "-c", _APP_WINDOW, str(path)], "shown"))
    ratio = statistics.median(app) / statistics.median(bare)
    return Figure(
        "cold start to the unlock window (× a bare PySide6 window)",
        "×",
        [a / statistics.median(bare) for a in app],
        "≤ 1.3 ×",
        ratio <= 1.3,
        note=f"app {statistics.median(app):.0f} ms, bare window {statistics.median(bare):.0f} ms",
        extra={"app_ms": statistics.median(app), "bare_ms": statistics.median(bare)},
    )


def _cli(path: Path, *args: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "journal", "--vault", str(path), *args],
        input=PASSPHRASE + "\n",
        capture_output=True,
        text=True,
        check=True,
        env=_env(),
    )
    return (time.perf_counter() - start) * 1000


def cli_process(path: Path, small: Path, repeat: int) -> list[Figure]:
    figures = []
    for command, args in (
        ("add", ("add", "a quick note after the session")),
        ("search", ("search", "ocean door")),
    ):
        large = [_cli(path, *args) for _ in range(repeat)]
        little = [_cli(small, *args) for _ in range(repeat)]
        growth = statistics.median(large) / statistics.median(little)
        figures.append(
            Figure(
                f"`afterglow {command}`, whole process",
                "ms",
                large,
                "< 800 ms, flat" if command == "add" else "",
                (statistics.median(large) < 800 and growth < 1.2) if command == "add" else None,
                note=f"{growth:.2f}× the time on a journal a tenth the size",
                extra={"small_journal_ms": statistics.median(little), "growth": growth},
            )
        )
    return figures


_PEAK = """
import sys, tempfile
from pathlib import Path
from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication
from journal.ui.main_window import MainWindow
from journal.ui.runner import VaultRunner
from journal.ui.settings import Settings
app = QApplication([])
settings = Settings(QSettings(str(Path(tempfile.mkdtemp()) / "s.ini"), QSettings.Format.IniFormat))
window = MainWindow(runner=VaultRunner(), settings=settings, vault_path=Path(sys.argv[1]))
window.show()
def settle(condition):
    while not condition():
        loop = QEventLoop(); QTimer.singleShot(10, loop.quit); loop.exec()
window.unlock_page.passphrase.setText(sys.argv[2]); window.unlock_page.submit.click()
settle(lambda: window.current_page() == "home" and not window.runner.busy)
while window.home.model.canFetchMore(window.home.model.index(-1, 0)):
    window.home.model.fetchMore(window.home.model.index(-1, 0))
for query in ("oc", "ocean", "door", "mother light", "garden"):
    window.go_search(); window.search_page.field.setText(query)
    settle(lambda: not window.runner.busy)
window.flows.checkins.go_trends(); settle(lambda: not window.runner.busy)
window.open_entry(1); settle(lambda: not window.runner.busy)
window.flows.sharing.go_prepare(); settle(lambda: not window.runner.busy)
# VmHWM, not ru_maxrss: on Linux a child's ru_maxrss starts at its parent's peak.
status = Path("/proc/self/status").read_text()
print(int(next(l.split()[1] for l in status.splitlines() if l.startswith("VmHWM"))) / 1024)
window.runner.shutdown()
"""


def peak_memory(path: Path) -> Figure:
    result = subprocess.run(
        [sys.executable, "-c", _PEAK, str(path), PASSPHRASE],
        capture_output=True,
        text=True,
        check=True,
        env=_env(),
    )
    megabytes = float(result.stdout.strip().splitlines()[-1])
    return Figure(
        "peak memory: unlock, home, searches, trends, prepare",
        "MB",
        [megabytes],
        "< 250 MB",
        megabytes < 250,
    )


# --- in the app: unlock to home, keystrokes --------------------------------------------


def _settle(condition: Callable[[], bool], timeout_s: float = 120) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not get there in time")
        loop = QEventLoop()
        QTimer.singleShot(2, loop.quit)
        loop.exec()


def _window(path: Path, scratch: Path) -> Any:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from journal.ui.main_window import MainWindow
    from journal.ui.runner import VaultRunner
    from journal.ui.settings import Settings

    QApplication.instance() or QApplication([])
    settings = Settings(QSettings(str(scratch / "s.ini"), QSettings.Format.IniFormat))
    window = MainWindow(runner=VaultRunner(), settings=settings, vault_path=path)
    window.resize(1200, 860)
    window.show()
    return window


def unlock_to_home(path: Path, scratch: Path, repeat: int) -> Figure:
    keyfile = kf.read(vaults.VaultPaths(path).keyfile)
    secret = kf.normalize_passphrase(PASSPHRASE)
    kdf = [timed(lambda: kf.unwrap_key(keyfile, kf.PASSPHRASE_SLOT, secret)) for _ in range(repeat)]
    window = _window(path, scratch)
    # As for a person: the pages finish building while the passphrase is typed.
    _settle(lambda: window.built)
    home: list[float] = []
    for _ in range(repeat):
        window.unlock_page.passphrase.setText(PASSPHRASE)
        start = time.perf_counter()
        window.unlock_page.submit.click()
        _settle(lambda: window.current_page() == "home" and window.home.model.rowCount() > 0)
        home.append((time.perf_counter() - start) * 1000)
        window.lock()
        _settle(lambda: not window.runner.busy)
    window.close()
    over = statistics.median(home) - statistics.median(kdf)
    return Figure(
        "unlock to a populated home (beyond key derivation)",
        "ms",
        [h - statistics.median(kdf) for h in home],
        "≤ 300 ms",
        over <= 300,
        note=f"whole {statistics.median(home):.0f} ms, "
        f"of which Argon2id {statistics.median(kdf):.0f} ms",
        extra={"whole_ms": statistics.median(home), "kdf_ms": statistics.median(kdf)},
    )


def keystrokes(path: Path, scratch: Path, count: int) -> Figure:
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    from journal.core.journal import recall

    window = _window(path, scratch)
    window.unlock_page.passphrase.setText(PASSPHRASE)
    window.unlock_page.submit.click()
    _settle(lambda: window.current_page() == "home" and not window.runner.busy)
    box: dict[str, Any] = {}
    window.runner.submit(lambda v: v.templates.get("free"), lambda t: box.setdefault("t", t))
    _settle(lambda: "t" in box)
    window.flows.journaling.start_recall(box["t"], recall.RecallDraft("free"))
    editor = window.recall.blocks[0].answer
    editor.setFocus()
    flushes: list[float] = []
    original = window.flows.journaling.flush_draft

    def measured_flush() -> None:
        flushes.append(timed(original))

    window.flows.journaling.autosave.timeout.disconnect()
    window.flows.journaling.autosave.timeout.connect(measured_flush)
    per_key: list[float] = []
    for number in range(count):
        char = "abcdefghij klmnop"[number % 17]
        key = Qt.Key.Key_Space if char == " " else Qt.Key(Qt.Key.Key_A + (ord(char) - ord("a")))
        start = time.perf_counter()
        QApplication.sendEvent(
            editor, QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, char)
        )
        QApplication.sendEvent(
            editor, QKeyEvent(QEvent.Type.KeyRelease, key, Qt.KeyboardModifier.NoModifier, char)
        )
        per_key.append((time.perf_counter() - start) * 1000)
        _settle_for(0.06)  # about a keystroke every 60 ms, the autosave firing in between
    _settle(lambda: not window.runner.busy)
    window.close()
    # Each autosave's GUI-side work is spread over the keystrokes it saves.
    worst = max(per_key) + (max(flushes) if flushes else 0.0)
    save = statistics.median(flushes) if flushes else 0.0
    return Figure(
        "GUI-thread work per keystroke while autosaving",
        "ms",
        per_key,
        "≤ 2 ms",
        percentile(per_key, 0.95) + save <= 2,
        note=f"{len(flushes)} autosaves, each {save:.2f} ms on the GUI thread; "
        f"worst keystroke plus a save {worst:.2f} ms",
        extra={"p95": percentile(per_key, 0.95), "autosaves": len(flushes)},
    )


def _settle_for(seconds: float) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


# --- export and open ---------------------------------------------------------------


def _export_ms(vault: vaults.Vault, session_ids: set[int], **where: Any) -> tuple[float, int]:
    from journal.export import export_for_therapy

    selection = share.offer(vault, session_ids=session_ids)
    start = time.perf_counter()
    export_for_therapy(vault, selection, **where)
    return (time.perf_counter() - start) * 1000, len(selection.attachment_ids)


def export_and_open(path: Path, scratch: Path, repeat: int) -> list[Figure]:
    import pyrage

    from journal.core.sharing import bundle

    identity = pyrage.x25519.Identity.generate()
    recipient = str(identity.to_public())
    results: dict[str, list[float]] = {"key": [], "code": [], "open": []}
    by_key, by_code = scratch / "export-key.agb", scratch / "export-code.agb"
    attachments = 0
    with vaults.unlock(path, PASSPHRASE) as vault:
        chosen = {s.id for s in vault.sessions.all(newest_first=False)[:20] if s.id}
        for _ in range(repeat):
            ms, attachments = _export_ms(vault, chosen, bundle_path=by_key, recipient=recipient)
            results["key"].append(ms)
            results["code"].append(
                _export_ms(vault, chosen, bundle_path=by_code, share_code=True)[0]
            )
            data = by_key.read_bytes()
            start = time.perf_counter()
            bundle.read_bundle(data, identities=[str(identity)])
            results["open"].append((time.perf_counter() - start) * 1000)
    megabytes = by_key.stat().st_size / 1_000_000
    return [
        Figure(
            "export 20 sessions with attachments (therapist's key)",
            "ms",
            results["key"],
            "< 3000 ms",
            statistics.median(results["key"]) < 3000,
            note=f"{attachments} attachments, bundle {megabytes:.0f} MB",
        ),
        Figure(
            "export 20 sessions with attachments (share code)",
            "ms",
            results["code"],
            note="scrypt, tuned by age to about a second, is most of the difference",
        ),
        Figure("open that bundle (decrypt, verify, read)", "ms", results["open"]),
    ]
