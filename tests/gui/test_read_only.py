"""The app on a journal it can only read: a real read-only mount (in a
private mount namespace), the window in a child process offscreen."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from journal.core.model import Answer, Entry
from journal.core.vault import vault as vaults
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.helpers import snapshot

_CHILD = textwrap.dedent(
    """
    import json, os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from pathlib import Path
    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox
    from journal.ui.main_window import MainWindow
    from journal.ui.runner import VaultRunner
    from journal.ui.settings import Settings

    def settle(condition):
        for _ in range(500):
            if condition():
                return
            loop = QEventLoop(); QTimer.singleShot(20, loop.quit); loop.exec()
        raise SystemExit("timed out")

    app = QApplication([])
    settings = Settings(QSettings(sys.argv[2], QSettings.Format.IniFormat))
    window = MainWindow(runner=VaultRunner(), settings=settings, vault_path=Path(sys.argv[1]))
    window.show()
    window.unlock_page.passphrase.setText(sys.argv[3])
    window.unlock_page.submit.click()
    settle(lambda: window.current_page() == "home" and not window.runner.busy)
    seen = {
        "banner": window.read_only_banner.isVisible(),
        "banner_text": window.read_only_banner.text(),
        "writing_offered": any(b.isVisible() for b in
                               (window.home.start, window.home.free, window.home.checkin)),
        "timeline": window.home.model.rowCount(),
    }
    window.open_entry(1)
    settle(lambda: window.current_page() == "entry" and not window.runner.busy)
    entry = window.entry_page.entry
    entry.title = "changed"
    window.entry_page.save_requested.emit(entry)
    settle(lambda: any(isinstance(w, QMessageBox) and w.isVisible()
                       for w in QApplication.topLevelWidgets()))
    box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox))
    seen["refusal"] = box.text()
    window.close()
    print(json.dumps(seen))
    """
)


@pytest.mark.slow
def test_the_window_says_a_read_only_journal_cannot_be_changed(tmp_path: Path) -> None:
    folder = tmp_path / "stick"
    path = folder / "journal.vault"
    vault, _ = vaults.create(path, PASSPHRASE, kdf=FAST_KDF)
    vault.entries.add(Entry(title="the lighthouse", answers=[Answer("t", "", text="light")]))
    vault.close()
    before = snapshot(folder)
    script = (
        f'mount --bind "{folder}" "{folder}" && mount -o remount,bind,ro "{folder}" && '
        f'exec "{sys.executable}" -c "$0" "$@"'
    )
    child = subprocess.run(
        [
            "/usr/bin/unshare",
            "-m",
            "/bin/sh",
            "-c",
            script,
            _CHILD,
            str(path),
            str(tmp_path / "settings.ini"),
            PASSPHRASE,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert child.returncode == 0, child.stderr
    seen = json.loads(child.stdout.strip().splitlines()[-1])
    assert seen["banner"] and "nothing you change can be saved" in seen["banner_text"]
    assert not seen["writing_offered"]
    assert seen["timeline"] > 0
    assert "changes can't be saved" in seen["refusal"]
    assert snapshot(folder) == before
