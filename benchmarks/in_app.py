"""Inside the running app (this process, Qt offscreen): unlock to a populated
home beyond the key derivation, on journals of different sizes, and the
GUI thread's work per keystroke while the draft autosaves."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from benchmarks.data import PASSPHRASE
from benchmarks.figures import Figure, median, percentile, timed


def _settle(condition: Callable[[], bool], timeout_s: float = 120) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not get there in time")
        loop = QEventLoop()
        QTimer.singleShot(2, loop.quit)
        loop.exec()


def _settle_for(seconds: float) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
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
    _settle(lambda: window.built)
    # The daily backup on lock and quit is measured on its own (`afterglow
    # backup`); here it would copy the whole journal between two measurements
    # (half a minute at 100,000 entries).
    window.flows.safekeeping.backup_if_due = lambda: None  # type: ignore[method-assign]
    return window


def _idle(window: Any) -> bool:
    return not window.runner.busy


def _unlocked(window: Any) -> bool:
    return bool(window.current_page() == "home" and window.home.model.rowCount() > 0)


@dataclass(frozen=True)
class UnlockTimes:
    """Per journal: unlock to home beyond the KDF (ms, each run), and the KDF."""

    beyond: dict[Path, list[float]]
    kdf: dict[Path, float]


@contextmanager
def _unwraps() -> Iterator[list[float]]:
    """Milliseconds of each Argon2id unwrap of a vault key made meanwhile (on
    whichever thread), so each unlock is measured beyond its own derivation:
    subtracting a median measured apart is at the mercy of the machine."""
    from journal.core.vault import keyfile

    original = keyfile.unwrap_key
    made: list[float] = []

    def unwrap(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            made.append((time.perf_counter() - start) * 1000)

    keyfile.unwrap_key = unwrap
    try:
        yield made
    finally:
        keyfile.unwrap_key = original


def unlock_times(paths: Sequence[Path], scratch: Path, repeat: int) -> UnlockTimes:
    """Milliseconds from pressing Unlock to a home page with rows, less that
    unlock's own Argon2id unwrap; the journals take turns, each in its own
    window."""
    # As for a person: the pages finish building while the passphrase is typed.
    windows = {p: _window(p, scratch) for p in paths}
    beyond: dict[Path, list[float]] = {p: [] for p in paths}
    kdf: dict[Path, list[float]] = {p: [] for p in paths}
    with _unwraps() as unwraps:
        for _ in range(repeat):
            for path, window in windows.items():
                window.unlock_page.passphrase.setText(PASSPHRASE)
                before = len(unwraps)
                start = time.perf_counter()
                window.unlock_page.submit.click()
                _settle(partial(_unlocked, window))
                whole = (time.perf_counter() - start) * 1000
                derived = sum(unwraps[before:])
                kdf[path].append(derived)
                beyond[path].append(whole - derived)
                window.lock()
                _settle(partial(_idle, window))
    for window in windows.values():
        window.close()
    return UnlockTimes(beyond, {p: median(k) for p, k in kdf.items()})


def unlock_figures(
    times: UnlockTimes, sizes: dict[Path, str], *, flat_from: Path | None = None
) -> list[Figure]:
    """Per journal: unlock to home beyond its KDF (≤ 150 ms); then, from
    ``flat_from`` to each other journal, whether it stayed flat (≤ 1.2×)."""
    figures = []
    for path, label in sizes.items():
        beyond, kdf = times.beyond[path], times.kdf[path]
        figures.append(
            Figure(
                f"unlock to a populated home, beyond the Argon2id unwrap · {label}",
                "ms",
                beyond,
                "≤ 150 ms",
                median(beyond) <= 150,
                note=f"whole {median(beyond) + kdf:.0f} ms, of which Argon2id {kdf:.0f} ms",
                extra={"whole_ms": median(beyond) + kdf, "kdf_ms": kdf},
            )
        )
    if flat_from is None:
        return figures
    base = median(times.beyond[flat_from])
    for path, label in sizes.items():
        if path == flat_from:
            continue
        growth = median(times.beyond[path]) / base
        figures.append(
            Figure(
                f"unlock to home beyond the KDF, growth {sizes[flat_from]} → {label}",
                "×",
                [growth],
                "flat: ≤ 1.2×",
                growth <= 1.2,
                note=f"{median(times.beyond[path]):.0f} ms against {base:.0f} ms",
            )
        )
    return figures


def keystrokes(path: Path, scratch: Path, count: int, label: str = "") -> Figure:
    """Typing ``count`` keys into a free entry, a key every 60 ms, the
    autosave firing in between: each key's handling on the GUI thread, and
    each autosave's GUI-side share."""
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
        _settle_for(0.06)
    _settle(lambda: not window.runner.busy)
    window.close()
    # Each autosave's GUI-side work is spread over the keystrokes it saves.
    worst = max(per_key) + (max(flushes) if flushes else 0.0)
    save = median(flushes) if flushes else 0.0
    return Figure(
        "GUI-thread work per keystroke while autosaving" + (f" · {label}" if label else ""),
        "ms",
        per_key,
        "≤ 2 ms",
        percentile(per_key, 0.95) + save <= 2,
        note=f"{len(flushes)} autosaves, each {save:.2f} ms on the GUI thread; "
        f"worst keystroke plus a save {worst:.2f} ms",
        extra={"p95": percentile(per_key, 0.95), "autosaves": len(flushes)},
    )
