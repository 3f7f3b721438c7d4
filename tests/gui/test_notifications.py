"""Desktop notifications of the next step: off unless the patient turns them
on, once per step, through the desktop's notification service on D-Bus, and
saying only which kind of step is ready — never a word of the journal."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from journal.core.model import Answer, Entry, Phase, Session
from journal.core.vault import vault as vaults
from journal.ui import settings as keys
from journal.ui.flows.home import HomeFlow
from journal.ui.settings import Settings
from tests.gui.fake_shell import FakeShell

SECRET = "GardenOfLight7"
SUMMARY = "Afterglow: a check-in is due"


@pytest.fixture
def yesterday_session(vault: vaults.Vault) -> vaults.Vault:
    started = datetime.now().astimezone() - timedelta(hours=20)
    session = vault.sessions.add(Session(started_at=started, intention=SECRET))
    vault.entries.add(
        Entry(
            phase=Phase.RIGHT_AFTER, session_id=session.id, answers=[Answer("a", "", text=SECRET)]
        )
    )
    return vault


def _home(
    qtbot: QtBot, settings: Settings, vault: vaults.Vault, path: Path
) -> tuple[HomeFlow, list[str]]:
    shell = FakeShell(settings=settings, vault_path=path, vault=vault)
    qtbot.addWidget(shell.stack)
    flow = HomeFlow(shell)
    shell.add(flow)
    sent: list[str] = []
    flow.notify = sent.append
    return flow, sent


def test_off_by_default_then_once_per_step_without_content(
    qtbot: QtBot, settings: Settings, yesterday_session: vaults.Vault, vault_path: Path
) -> None:
    flow, sent = _home(qtbot, settings, yesterday_session, vault_path)
    assert settings.get(keys.NOTIFICATIONS) is False
    flow.go_home()
    assert flow.page.step.isVisibleTo(flow.page) and flow.page.step.step is not None
    assert "Next-day reflection" in flow.page.step.text.text()
    assert sent == []  # off by default
    settings.set(keys.NOTIFICATIONS, True)
    flow.go_home()
    flow.check_step()
    flow.go_home()
    assert sent == ["Afterglow: a next-day reflection is ready"]  # once, and no content
    assert SECRET not in sent[0]


def test_not_now_puts_a_step_away_for_good(
    qtbot: QtBot, settings: Settings, yesterday_session: vaults.Vault, vault_path: Path
) -> None:
    flow, _sent = _home(qtbot, settings, yesterday_session, vault_path)
    flow.go_home()
    assert flow.page.step.step is not None
    flow.page.step.later.click()
    assert not flow.page.step.isVisible()
    flow.go_home()
    assert flow.page.step.step is None or not flow.page.step.isVisibleTo(flow.page)
    fresh, _ = _home(qtbot, settings, yesterday_session, vault_path)  # the app started again
    fresh.go_home()
    assert not fresh.page.step.isVisibleTo(fresh.page)


@pytest.mark.skipif(
    not (shutil.which("dbus-run-session") and shutil.which("gdbus")), reason="D-Bus tools"
)
def test_a_notification_reaches_the_desktops_service(tmp_path: Path) -> None:
    log = tmp_path / "notifications.log"
    script = f"""
/usr/bin/python3 {Path(__file__).parents[1] / "fake_notifications.py"} {log} > {tmp_path}/ready &
service=$!
for i in $(seq 100); do grep -q ready {tmp_path}/ready 2>/dev/null && break; sleep 0.05; done
{sys.executable} -c "from journal.ui.notify import send; assert send('{SUMMARY}')"
for i in $(seq 100); do [ -s {log} ] && break; sleep 0.05; done
kill $service
"""
    subprocess.run(
        ["dbus-run-session", "--", "bash", "-c", script],  # noqa: S607
        check=True,
        timeout=60,
        capture_output=True,
        cwd=Path(__file__).parents[2],
    )
    calls = log.read_text().splitlines()
    assert calls == [
        "('Afterglow', 0, 'org.afterglowjournal.Afterglow', 'Afterglow: a check-in is due', "
        "'', [], {}, -1)"
    ]
