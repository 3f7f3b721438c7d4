"""`afterglow --demo` as a real process: its window first, then the sample
journal opens by itself; its temporary folder goes however the demo ends."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

# Says "home N" when the home page shows the sample journal's N rows, then
# closes the window as a person would.
_WATCHER = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    app = QApplication(sys.argv[:1])
    def look():
        main = sys.modules.get("journal.ui.main_window")
        for top in app.topLevelWidgets():
            if main and isinstance(top, main.MainWindow) and top.unlocked and top.built:
                if top.stack.currentWidget() is top.home and top.home.model.rowCount():
                    print("home", top.home.model.rowCount(), flush=True)
                    top.close()
                    return
        QTimer.singleShot(20, look)
    QTimer.singleShot(0, look)
    QTimer.singleShot(60_000, app.quit)
    import journal.cli
    sys.exit(journal.cli.main(["--demo"]))
    """
)


def _env(tmp_path: Path) -> dict[str, str]:
    extra = {name: str(tmp_path / name.lower()) for name in ("XDG_CONFIG_HOME", "TMPDIR")}
    for folder in extra.values():
        Path(folder).mkdir(exist_ok=True)
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", **extra)


def _demo_folders(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "tmpdir").glob("afterglow-demo-*"))


def test_the_demo_does_not_look_up_the_default_vault_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo makes its own folder; finding the default vault's place
    imports platformdirs (~3 ms before its window)."""
    import journal.cli
    from journal.cli import commands
    from journal.ui import app as app_module

    def looked_up() -> Path:
        raise AssertionError("the default vault path was looked up")

    monkeypatch.setattr(commands, "default_vault_path", looked_up)
    monkeypatch.setattr(app_module, "run_demo", lambda: 0)
    monkeypatch.setattr(app_module, "run", lambda path: 1)
    console = journal.cli.Console(io.StringIO(), io.StringIO(), io.StringIO(), stdin_is_tty=False)
    assert journal.cli.run(["--demo"], console) == 0


def test_the_demo_opens_its_journal_by_itself_and_leaves_nothing(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _WATCHER],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["home", "15"]  # 4 sessions, 10 entries, a meditation
    assert _demo_folders(tmp_path) == []


@pytest.mark.parametrize("when", ["at once", "with its window up"])
def test_a_demo_ended_by_sigterm_removes_its_folder(tmp_path: Path, when: str) -> None:
    child = subprocess.Popen(
        [sys.executable, "-m", "journal", "--demo"],
        env=_env(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not _demo_folders(tmp_path) and time.monotonic() < deadline:
            time.sleep(0.002)
        folders = _demo_folders(tmp_path)
        assert folders, "the demo made no folder"
        if when != "at once":
            deadline = time.monotonic() + 60
            while not (folders[0] / "demo.vault").exists() and time.monotonic() < deadline:
                time.sleep(0.02)
            time.sleep(0.5)
        child.send_signal(signal.SIGTERM)
        _, err = child.communicate(timeout=60)
    finally:
        child.kill()
    assert "Traceback" not in err
    assert _demo_folders(tmp_path) == []


def test_a_killed_demos_folder_is_swept_by_the_next_demo(tmp_path: Path) -> None:
    env = _env(tmp_path)
    child = subprocess.Popen([sys.executable, "-m", "journal", "--demo"], env=env)
    deadline = time.monotonic() + 60
    while not _demo_folders(tmp_path) and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.3)
    child.kill()  # SIGKILL: no finally runs
    child.wait(timeout=30)
    (left,) = _demo_folders(tmp_path)
    past = time.time() - 3600
    os.utime(left, (past, past))
    done = subprocess.run(
        [sys.executable, "-c", _WATCHER], env=env, capture_output=True, timeout=120, check=False
    )
    assert done.returncode == 0
    assert _demo_folders(tmp_path) == []
