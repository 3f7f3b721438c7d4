"""Starting the desktop app (and the demo)."""

from __future__ import annotations

import contextlib
import shutil
import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

from journal.core import vault as vaults
from journal.core.demo import populate
from journal.ui.main_window import MainWindow
from journal.ui.runner import VaultRunner
from journal.ui.settings import Settings
from journal.ui.theme import apply as apply_theme

DEMO_PASSPHRASE = "afterglow demo"  # noqa: S105 (the demo holds only sample text)


def create_demo_vault(folder: Path) -> Path:
    """A sample journal in ``folder`` (opened with `DEMO_PASSPHRASE`)."""
    path = folder / "demo.vault"
    vault, _ = vaults.create(path, DEMO_PASSPHRASE)
    try:
        populate(vault)
    finally:
        vault.close()
    return path


def run(vault_path: Path, *, demo: bool = False) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Afterglow")
    app.setApplicationDisplayName("Afterglow")
    app.setDesktopFileName("afterglow")
    settings = Settings()
    apply_theme(app, settings.theme, settings.text_size)
    demo_folder: Path | None = None
    if demo:
        demo_folder = Path(tempfile.mkdtemp(prefix="afterglow-demo-"))
        vault_path = create_demo_vault(demo_folder)
    runner = VaultRunner()
    window = MainWindow(runner=runner, settings=settings, vault_path=vault_path, demo=demo)
    if demo:
        window.unlock_page.set_demo_hint(DEMO_PASSPHRASE)
        window.unlock_page.passphrase.setText(DEMO_PASSPHRASE)
        window.unlock_page.submit.click()
    window.show()
    try:
        return app.exec()
    finally:
        runner.shutdown()
        if demo_folder is not None:
            with contextlib.suppress(OSError):
                shutil.rmtree(demo_folder)
