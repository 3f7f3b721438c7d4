"""A real sync engine, end to end: two Syncthing instances on 127.0.0.1 move
the folder between two computers' journals.

Each instance gets a generated home whose config.xml is overwritten before
its first start (see /work/shared/notes/syncthing-on-loopback.md): global and
local discovery, relays, NAT, upgrades, crash and usage reporting off; the
other device at an explicit ``tcp://127.0.0.1`` address; REST on 127.0.0.1
with an API key; rescans every 2 s and reconnects every 5 s. Nothing leaves
loopback. The test polls the REST API itself (test code: Afterglow has no
network code) and stops both instances in ``finally``: TERM, then KILL.

Syncthing missing is a failure, not a skip: CI must run this
(`scripts/test` installs Debian's `syncthing`).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from journal.cli import Console, run
from journal.core.sync import rows
from journal.core.vault import keyfile as kf
from journal.core.vault import vault as vaults
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.sync_devices import entry

pytestmark = pytest.mark.slow

FOLDER_ID = "afterglow-test"
BUDGET_S = 80.0  # the whole test, set-up and shutdown included, stays below 90 s
CANARY = "canary-91c4-quiet-estuary"
# Straight to 127.0.0.1: an http_proxy in the environment must not be used.
_LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        return self.end - time.monotonic()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Instance:
    name: str
    home: Path
    folder: Path
    log: Path
    device_id: str = ""
    listen_port: int = 0
    gui_port: int = 0
    api_key: str = ""
    process: subprocess.Popen[bytes] | None = None

    def rest(self, path: str, *, post: bool = False) -> object:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.gui_port}{path}",
            method="POST" if post else "GET",
            headers={"X-API-Key": self.api_key},
        )
        with _LOCAL.open(request, timeout=3) as response:
            body = response.read()
        return json.loads(body) if body.strip() else None


def _syncthing() -> str:
    found = shutil.which("syncthing")
    if found is None:
        pytest.fail(
            "Syncthing is not installed, so the end-to-end sync test cannot run. Install "
            "Debian's package (`sudo apt-get install syncthing`; `scripts/test` does it)."
        )
    return found


def _generate(binary: str, instance: Instance) -> str:
    """Keys for ``instance``; its device id, and the config version it wrote."""
    subprocess.run(
        [binary, "generate", f"--home={instance.home}", "--no-default-folder",
         "--skip-port-probing"],
        check=True, capture_output=True, timeout=30,
    )  # fmt: skip
    shown = subprocess.run(
        [binary, "serve", f"--home={instance.home}", "--device-id"],
        check=True, capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    instance.device_id = shown.stdout.strip()
    assert re.fullmatch(r"[A-Z0-9]{7}(-[A-Z0-9]{7}){7}", instance.device_id), shown.stdout
    generated = (instance.home / "config.xml").read_text(encoding="utf-8")
    version = re.search(r'<configuration version="(\d+)"', generated)
    assert version, "syncthing generate wrote no config version"
    return version.group(1)


def _config(instance: Instance, other: Instance, version: str) -> str:
    """The whole config.xml: loopback only, nothing announced, nothing reported."""
    devices = "".join(
        f'<device id="{d.device_id}" name="{d.name}" compression="metadata" '
        f'introducer="false"><address>tcp://127.0.0.1:{d.listen_port}</address></device>'
        for d in (instance, other)
    )
    options = {
        "listenAddress": f"tcp://127.0.0.1:{instance.listen_port}",
        "globalAnnounceEnabled": "false",
        "localAnnounceEnabled": "false",
        "relaysEnabled": "false",
        "natEnabled": "false",
        "announceLANAddresses": "false",
        "startBrowser": "false",
        "urAccepted": "-1",
        "autoUpgradeIntervalH": "0",
        "crashReportingEnabled": "false",
        "reconnectionIntervalS": "5",
    }
    return (
        f'<configuration version="{version}">'
        f'<folder id="{FOLDER_ID}" label="Afterglow" path="{instance.folder}" '
        'type="sendreceive" rescanIntervalS="2" fsWatcherEnabled="true" fsWatcherDelayS="1">'
        f'<device id="{instance.device_id}"></device><device id="{other.device_id}"></device>'
        "</folder>"
        f"{devices}"
        f'<gui enabled="true" tls="false"><address>127.0.0.1:{instance.gui_port}</address>'
        f"<apikey>{instance.api_key}</apikey></gui>"
        "<options>"
        + "".join(f"<{key}>{value}</{key}>" for key, value in options.items())
        + "</options></configuration>\n"
    )


def _start(binary: str, instance: Instance) -> None:
    env = {**os.environ, "STNOUPGRADE": "1", "STNORESTART": "1"}
    with instance.log.open("wb") as log:  # a file, never a pipe the runner waits on
        instance.process = subprocess.Popen(
            [binary, "serve", f"--home={instance.home}", "--no-browser", "--no-restart",
             "--no-upgrade"],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env,
            start_new_session=True,  # its own process group, so a KILL reaches its child too
        )  # fmt: skip


def _stop(instance: Instance) -> None:
    """TERM, then KILL if it is still there after a few seconds."""
    process = instance.process
    if process is None:
        return
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)  # a child the parent left behind, if any


def _wait(what: str, ready: Callable[[], bool], deadline: Deadline, *, limit: float) -> None:
    end = time.monotonic() + min(limit, max(deadline.left(), 0.0))
    while True:
        with contextlib.suppress(OSError, ValueError):
            if ready():
                return
        if time.monotonic() > end:
            pytest.fail(f"Timed out waiting until {what}.")
        time.sleep(0.2)


@pytest.fixture
def engines(tmp_path: Path) -> Iterator[tuple[Instance, Instance]]:
    """Two running Syncthing instances sharing FOLDER_ID, connected to each other."""
    binary = _syncthing()
    deadline = Deadline(30)
    pair = []
    for name in ("a", "b"):
        folder = tmp_path / name / "Sync"
        (folder / ".stfolder").mkdir(parents=True)
        home = tmp_path / name / "syncthing"
        home.mkdir()
        pair.append(Instance(name, home, folder, tmp_path / name / "syncthing.log"))
    a, b = pair
    versions = [_generate(binary, instance) for instance in pair]
    for instance in pair:
        instance.listen_port, instance.gui_port = _free_port(), _free_port()
        instance.api_key = secrets.token_hex(16)
    for instance, other, version in ((a, b, versions[0]), (b, a, versions[1])):
        (instance.home / "config.xml").write_text(_config(instance, other, version), "utf-8")
    try:
        for instance in pair:
            _start(binary, instance)
        for instance in pair:
            _wait(f"Syncthing {instance.name} answers", lambda i=instance: bool(
                i.rest("/rest/system/ping")), deadline, limit=20)  # fmt: skip
        for instance in pair:
            _assert_loopback_only(instance)
        for instance, other in ((a, b), (b, a)):
            _wait(
                f"Syncthing {instance.name} is connected to {other.name}",
                lambda i=instance, o=other: _connected(i, o),
                deadline,
                limit=20,
            )
        yield a, b
    finally:
        for instance in pair:
            _stop(instance)


def _assert_loopback_only(instance: Instance) -> None:
    """The running instance took our config: nothing announced, relayed or reported."""
    options = instance.rest("/rest/config/options")
    assert isinstance(options, dict)
    assert options["listenAddresses"] == [f"tcp://127.0.0.1:{instance.listen_port}"]
    for off in ("globalAnnounceEnabled", "localAnnounceEnabled", "relaysEnabled", "natEnabled",
                "crashReportingEnabled", "announceLANAddresses"):  # fmt: skip
        assert options[off] is False, off
    assert options["urAccepted"] == -1 and options["autoUpgradeIntervalH"] == 0


def _connected(instance: Instance, other: Instance) -> bool:
    shown = instance.rest("/rest/system/connections")
    assert isinstance(shown, dict)
    return bool(shown["connections"].get(other.device_id, {}).get("connected"))


def _journal_files(folder: Path) -> dict[str, str]:
    """Afterglow's files in the shared folder, by path: what both sides must hold
    alike (an engine's temporaries and its own folder markers aside)."""
    found = {}
    for path in sorted(folder.glob("afterglow-*/**/*")):
        if path.is_file() and not path.name.startswith(".syncthing."):
            found[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _carried(a: Instance, b: Instance, deadline: Deadline) -> None:
    """Ask both to rescan now, and wait until both folders hold the same files."""
    for instance in (a, b):
        instance.rest(f"/rest/db/scan?folder={FOLDER_ID}", post=True)
    _wait(
        "Syncthing has brought the same journal files to both folders",
        lambda: (
            bool(_journal_files(a.folder)) and _journal_files(a.folder) == _journal_files(b.folder)
        ),
        deadline,
        limit=25,
    )


def _cli(vault: Path, *args: str, stdin: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(
        ["--vault", str(vault), *args], Console(io.StringIO(stdin), out, err, stdin_is_tty=False)
    )
    return code, out.getvalue() + err.getvalue()


def _content(path: Path) -> dict:  # type: ignore[type-arg]
    with vaults.unlock(path, PASSPHRASE) as vault:
        return rows.journal_content(vault.db)


def test_two_syncthing_instances_carry_one_journal_both_ways(
    engines: tuple[Instance, Instance], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = time.monotonic()
    deadline = Deadline(BUDGET_S - 30)  # what is left once the engines run, minus shutdown
    monkeypatch.setattr(kf, "DEFAULT_KDF", FAST_KDF)
    a, b = engines
    laptop, home = tmp_path / "a" / "journal.vault", tmp_path / "b" / "journal.vault"
    secret = PASSPHRASE + "\n"

    assert _cli(laptop, "init", stdin=secret)[0] == 0
    with vaults.unlock(laptop, PASSPHRASE) as vault:
        first = vault.entries.add(entry(f"Before sync {CANARY}", "the tide")).id
    code, said = _cli(laptop, "sync", "setup", str(a.folder), "--name", "Laptop", stdin=secret)
    assert code == 0, said
    _carried(a, b, deadline)

    code, said = _cli(home, "sync", "join", str(b.folder), "--name", "Home", stdin=secret)
    assert code == 0, said
    assert _content(home) == _content(laptop)

    with vaults.unlock(laptop, PASSPHRASE) as vault:
        vault.entries.update(replace(vault.entries.get(first), title="Renamed on the laptop"))
        vault.entries.add(entry("Written on the laptop", "morning"))
    with vaults.unlock(home, PASSPHRASE) as vault:
        vault.entries.add(entry(f"Written at home {CANARY}", "evening"))

    rounds = 0
    while _content(laptop) != _content(home):
        rounds += 1
        assert rounds <= 4, "the two journals did not converge in four rounds of sync"
        for path in (laptop, home):
            code, said = _cli(path, "sync", "now", stdin=secret)
            assert code == 0, said
            _carried(a, b, deadline)

    with vaults.unlock(home, PASSPHRASE) as vault:
        assert {e.title for e in vault.entries.all()} == {
            "Renamed on the laptop",
            "Written on the laptop",
            f"Written at home {CANARY}",
        }
    for folder in (a.folder, b.folder):
        for path in folder.rglob("*"):
            if path.is_file():
                assert CANARY.encode() not in path.read_bytes(), path
    for instance in (a, b):
        errors = instance.rest(f"/rest/folder/errors?folder={FOLDER_ID}")
        assert isinstance(errors, dict) and not errors.get("errors"), errors
    assert time.monotonic() - started < BUDGET_S - 30
