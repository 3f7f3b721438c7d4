"""Kill each writing command at every write, rename and fsync it makes, and
check the journal after each kill.

    .venv/bin/python tools/crash_points.py            # the thorough run: every point
    .venv/bin/python tools/crash_points.py --quick    # a sample (the test suite's run)
    .venv/bin/python tools/crash_points.py --only restore,passwd --jobs 2

For each scenario — ``init``, ``add``, ``passwd``, ``recover``, ``backup``,
``restore``, ``export``, ``export-all``, ``templates import``, ``import``,
``patients keep`` and ``patients remove`` (a therapist's workspace), ``sync now``
and ``sync join`` (a laptop and a home computer sharing a sync folder; the
join only in the thorough run) and the app's autosave, lock and quit — the
command first runs once under strace to count
its ``write``, ``pwrite64``, ``fsync``, ``fdatasync``, ``rename*``,
``unlink*``, ``mkdir*`` and ``ftruncate`` calls. Then, for every syscall and
every N up to its count, it runs again on a fresh copy of the same world
with ``strace -e inject=SYSCALL:signal=KILL:when=N`` — the process dies at
its Nth call, as on a power cut or an OOM kill — and the next start (an
unlock, which finishes or rolls back what was interrupted) is checked:

- the journal opens (with the old or the new passphrase) and its integrity
  checks are clean; a new journal is either whole or not there at all;
- every change acknowledged before the kill is there (a command's change is
  acknowledged by its exit status 0; the app's draft by its save finishing);
- an interrupted restore left either the old journal in place, or the new
  one with the old kept as a listed backup that restores completely;
- no key material or vault copy is left behind (key-file temporaries, staged
  restores, incomplete backups, intents), and an exported file is either
  absent or complete (it decrypts);
- no plaintext: the journal's canary text is in no file of the folder;
- after a killed sync: syncing laptop, home, laptop converges on every entry
  written on either side, and no device's chain of segments forked (two
  files at one seq); after a killed join: no vault (and joining again works),
  or one that opens and, synced, equals the laptop's.

Prints one line per scenario (crash points tried, held) and exits 1 if any
point failed. The app's scenario counts only the vault thread's file calls
(its ``write`` calls also wake Qt's event loop, thousands of times).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from journal.core.errors import JournalError, VaultInUse, VaultNotFound  # noqa: E402
from journal.core.model import Answer, Entry  # noqa: E402
from journal.core.sharing import bundle  # noqa: E402
from journal.core.vault import backup  # noqa: E402
from journal.core.vault import keyfile as kf  # noqa: E402
from journal.core.vault import vault as vaults  # noqa: E402

PASSPHRASE = "old crash passphrase"  # noqa: S105 (throwaway vaults)
NEW_PASSPHRASE = "new crash passphrase"  # noqa: S105
CANARY = "CanaryCrashPoint4411"
FILE_CALLS = (
    "fsync",
    "fdatasync",
    "rename",
    "renameat",
    "renameat2",
    "unlink",
    "unlinkat",
    "mkdir",
    "mkdirat",
    "ftruncate",
    "pwrite64",
)
CLI_CALLS = ("write", *FILE_CALLS)
FAST = kf.KdfParams(memory_kib=64, time_cost=1, parallelism=1)
VAULT = "journal.vault"
STRACE = shutil.which("strace") or "/usr/bin/strace"


@dataclass
class Run:
    code: int | None  # None: killed
    out: str
    err: str


@dataclass
class World:
    """What a scenario prepared, and what it may expect after a kill."""

    folder: Path
    titles: set[str] = field(default_factory=set)
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def vault(self) -> Path:
        return self.folder / VAULT


@dataclass
class Scenario:
    name: str
    prepare: Callable[[World], object]
    command: Callable[[World], tuple[list[str], str]]  # argv after `afterglow`, stdin
    check: Callable[[World, Run], list[str]]
    calls: tuple[str, ...] = CLI_CALLS
    app: str = ""  # the app driver's script to run instead of the CLI
    moved: Callable[[World], None] | None = None  # on each copy (a vault holding its own path)
    quick: bool = True  # in the quick run (the test suite's); else only in the thorough one


# --- building worlds --------------------------------------------------------------


def _journal(world: World, *titles: str, passphrase: str = PASSPHRASE) -> str:
    """A journal with entries ``titles``; returns its recovery code."""
    vault, code = vaults.create(world.vault, passphrase, kdf=FAST)
    with vault:
        for title in titles:
            vault.entries.add(
                Entry(title=title, answers=[Answer("t", "", text=f"{title} {CANARY}")])
            )
    world.titles = set(titles)
    return code


def _titles(path: Path, passphrase: str) -> set[str]:
    with vaults.unlock(path, passphrase) as vault:
        problems = vault.check()
        if problems:
            raise AssertionError(f"integrity: {problems}")
        return {s.title for s in vault.entries.summaries()}


# --- invariants --------------------------------------------------------------------

_LEFTOVERS = re.compile(
    r"(\.journal\.vault\.keys\..*\.tmp|\.journal\.vault\.restore-intent\..*\.tmp|"
    r"journal\.vault\.restoring.*|journal\.vault\.keys\.restoring|"
    r"journal\.vault\.restore-intent|journal\.vault\.creating|\..*\.incomplete|\..*\.partial)$"
)


def _common(world: World) -> list[str]:
    """After the next start: nothing left behind, no plaintext anywhere."""
    problems = []
    for path in world.folder.rglob("*"):
        if _LEFTOVERS.search(path.name):
            problems.append(f"left behind: {path.relative_to(world.folder)}")
        if path.is_file() and CANARY.encode() in path.read_bytes():
            problems.append(f"plaintext in {path.relative_to(world.folder)}")
    return problems


def _opens(world: World, *passphrases: str) -> tuple[set[str] | None, list[str]]:
    """The next start: the journal opens with one of ``passphrases``."""
    for passphrase in passphrases:
        try:
            return _titles(world.vault, passphrase), []
        except JournalError as error:
            last = error.message
        except AssertionError as error:
            return None, [str(error)]
    return None, [f"does not open: {last}"]


def _unchanged(world: World, run: Run) -> list[str]:
    titles, problems = _opens(world, PASSPHRASE)
    if titles is not None and titles != world.titles:
        problems.append(f"journal changed: {sorted(titles ^ world.titles)}")
    return problems


# --- the scenarios --------------------------------------------------------------------


def _check_init(world: World, run: Run) -> list[str]:
    try:
        titles = _titles(world.vault, PASSPHRASE)
    except VaultNotFound:
        if run.code == 0:
            return ["init said it made the journal, but there is none"]
        names = {p.name for p in world.folder.iterdir()} - {"journal.vault.lock", "out"}
        return [f"a half-made journal: {sorted(names)}"] if names else []
    except JournalError as error:
        return [f"a new journal that does not open: {error.message}"]
    code = re.search(r"^ {4}([0-9A-Z-]{20,})$", run.out, re.M)
    if code:
        keys = kf.read(world.folder / "journal.vault.keys")
        if kf.unwrap_key(keys, kf.RECOVERY_SLOT, kf.normalize_recovery_code(code.group(1))) is None:
            return ["the recovery code shown does not open the journal"]
    return [] if titles == set() else [f"a new journal with entries: {titles}"]


def _check_add(world: World, run: Run) -> list[str]:
    titles, problems = _opens(world, PASSPHRASE)
    if titles is None:
        return problems
    if not world.titles <= titles:
        problems.append(f"lost: {sorted(world.titles - titles)}")
    if run.code == 0 and "new entry" not in titles:
        problems.append("an acknowledged entry is missing")
    if titles - world.titles - {"new entry"}:
        problems.append(f"unexpected: {titles - world.titles}")
    return problems


def _check_passphrase_change(world: World, run: Run) -> list[str]:
    titles, problems = _opens(world, NEW_PASSPHRASE, PASSPHRASE)
    if titles is not None and titles != world.titles:
        problems.append("entries changed")
    if run.code == 0 and _opens(world, NEW_PASSPHRASE)[0] is None:
        problems.append("the new passphrase was acknowledged but does not open it")
    keys = kf.read(world.vault.with_name(VAULT + ".keys"))
    code = kf.normalize_recovery_code(world.extra["code"])
    if kf.unwrap_key(keys, kf.RECOVERY_SLOT, code) is None:
        problems.append("the recovery code no longer opens the journal")
    return problems


def _check_backup(world: World, run: Run) -> list[str]:
    problems = _unchanged(world, run)
    found = backup.list_backups(backup.backups_folder(world.vault))
    if run.code == 0 and not found:
        problems.append("an acknowledged backup is not listed")
    for info in found:
        problems += _restores_whole(
            info.path,
            world.titles,
            wrong=f"backup {info.name} is not the journal",
            broken=f"listed backup {info.name} does not restore",
        )
    return problems


def _restores_whole(path: Path, titles: set[str], *, wrong: str, broken: str) -> list[str]:
    """The backup at ``path`` restores (into a scratch folder) to a journal with ``titles``."""
    scratch = Path(tempfile.mkdtemp()) / VAULT
    try:
        backup.restore(scratch, path, PASSPHRASE)
        return [] if _titles(scratch, PASSPHRASE) == titles else [wrong]
    except (JournalError, AssertionError) as error:
        return [f"{broken}: {error}"]
    finally:
        shutil.rmtree(scratch.parent, ignore_errors=True)


def _prepare_restore(world: World) -> None:
    _journal(world, "in the backup")
    with vaults.unlock(world.vault, PASSPHRASE) as vault:
        made = backup.make_backup(vault, world.folder / "usb")
        vault.entries.add(Entry(title="since the backup", answers=[Answer("t", "", text=CANARY)]))
    world.titles = {"in the backup", "since the backup"}
    world.extra["backup"] = str(made.path.relative_to(world.folder))


def _check_restore(world: World, run: Run) -> list[str]:
    titles, problems = _opens(world, PASSPHRASE)
    if titles is None:
        return problems
    kept = [
        b
        for b in backup.list_backups(backup.backups_folder(world.vault))
        if b.kind == backup.BEFORE_RESTORE
    ]
    if titles == world.titles:
        return problems + ([] if run.code != 0 else ["restore said done, but nothing changed"])
    if titles != {"in the backup"}:
        return [*problems, f"neither journal: {titles}"]
    if len(kept) != 1:
        return [*problems, "restored, but the replaced journal is not a listed backup"]
    return problems + _restores_whole(
        kept[0].path,
        world.titles,
        wrong="the kept journal is not the replaced one",
        broken="the kept journal does not restore",
    )


def _prepare_export(world: World) -> None:
    _journal(world, "shared")
    with vaults.unlock(world.vault, PASSPHRASE) as vault:
        identity = vault.keys.create_identity()
        world.extra["to"] = identity.recipient
        world.extra["identity"] = vault.keys.identity_secrets()[0]


def _check_output(world: World, run: Run, name: str, open_: Callable[[bytes], object]) -> list[str]:
    problems = _unchanged(world, run)
    out = world.folder / "out" / name
    if run.code == 0 and not out.exists():
        problems.append("an acknowledged export is missing")
    if out.exists():
        try:
            open_(out.read_bytes())
        except Exception as error:
            problems.append(f"a half-written export: {type(error).__name__}")
    return problems


def _check_export(world: World, run: Run) -> list[str]:
    return _check_output(
        world,
        run,
        "x.agb",
        lambda data: bundle.read_bundle(data, identities=[world.extra["identity"]]),
    )


def _check_export_all(world: World, run: Run) -> list[str]:
    import pyrage

    return _check_output(
        world, run, "all.age", lambda data: pyrage.passphrase.decrypt(data, NEW_PASSPHRASE)
    )


_TEMPLATE = 'id = "mine"\ntitle = "Mine"\nphase = "free"\n[[prompts]]\nkey = "a"\ntext = "A?"\n'


def _check_template(world: World, run: Run) -> list[str]:
    problems = _unchanged(world, run)
    with vaults.unlock(world.vault, PASSPHRASE) as vault:
        mine = [t for t in vault.templates.custom() if t.id == "mine"]
    if run.code == 0 and not mine:
        problems.append("an acknowledged template is missing")
    return problems


_IMPORTED = {"imported one", "imported two", "imported three"}


def _prepare_import(world: World) -> None:
    import json

    _journal(world, "kept")
    entries = [
        {"title": t, "body": f"{t}, from jrnl", "date": f"2024-03-0{n}", "time": "21:00"}
        for n, t in enumerate(sorted(_IMPORTED), start=1)
    ]
    (world.folder / "jrnl.json").write_text(json.dumps({"entries": entries}), encoding="utf-8")


def _check_import(world: World, run: Run) -> list[str]:
    """All of the import or none of it, and nothing that was there lost."""
    titles, problems = _opens(world, PASSPHRASE)
    if titles is None:
        return problems
    if not world.titles <= titles:
        problems.append(f"lost: {sorted(world.titles - titles)}")
    came = titles & _IMPORTED
    if came and came != _IMPORTED:
        problems.append(f"half an import: {sorted(came)}")
    if run.code == 0 and came != _IMPORTED:
        problems.append("an acknowledged import is missing")
    return problems


def _prepare_keep(world: World) -> None:
    """A therapist's workspace, and a bundle for its key from a patient's journal."""
    from datetime import datetime

    from journal.core.sharing import share
    from journal.core.vault.repositories.keys import recipient_label

    workspace, _code = vaults.create(world.vault, PASSPHRASE, kdf=FAST, therapist=True)
    with workspace:
        key = workspace.keys.sharing_keys()[0].recipient
    patient = World(world.folder / "patient")
    patient.folder.mkdir()
    _journal(patient, "from the patient")
    with vaults.unlock(patient.vault, PASSPHRASE) as vault:
        content = share.collect(
            vault, share.offer(vault, everything=True), now=datetime.now().astimezone()
        )
        content.patient_id = vault.keys.pseudonym(recipient_label(key=key))
        data = bundle.write_bundle(content, report_html="<p>report</p>", recipients=[key])
    (world.folder / "x.agb").write_bytes(data)
    world.titles = set()


def _check_keep(world: World, run: Run) -> list[str]:
    """The workspace opens whole, with the bundle kept whole or not at all."""
    titles, problems = _opens(world, PASSPHRASE)
    if titles is None:
        return problems
    with vaults.unlock(world.vault, PASSPHRASE) as vault:
        kept = [b for p in vault.workspace.patients() for b in vault.workspace.bundles(p.id)]
        for item in kept:
            opened = bundle.read_archive(vault.workspace.archive(item.id))
            if [e.title for e in opened.content.entries] != ["from the patient"]:
                problems.append("a kept bundle lost its entry")
        if len(vault.workspace.patients()) != len(kept):
            problems.append("a patient without the bundle that made them")
    if run.code == 0 and len(kept) != 1:
        problems.append("an acknowledged bundle is not kept")
    return problems + ([] if len(kept) <= 1 else ["kept twice"])


def _prepare_remove(world: World) -> None:
    """A workspace holding one patient's bundle and a note."""
    from datetime import date

    from journal.core.workspace import keeping

    _prepare_keep(world)
    with vaults.unlock(world.vault, PASSPHRASE) as vault:
        kept = keeping.keep(vault, keeping.open_file(vault, (world.folder / "x.agb").read_bytes()))
        vault.workspace.save_note(kept.patient.id, date(2026, 12, 1), f"note {CANARY}")
    (world.folder / "x.agb").unlink()


def _check_remove(world: World, run: Run) -> list[str]:
    """The patient whole (bundle and note) or gone with everything."""
    titles, problems = _opens(world, PASSPHRASE)
    if titles is None:
        return problems
    with vaults.unlock(world.vault, PASSPHRASE) as vault:
        patients = vault.workspace.patients()
        for patient in patients:
            whole = patient.bundles == 1 and len(vault.workspace.notes(patient.id)) == 1
            problems += [] if whole else ["half a patient removed"]
        leftovers = vault.db.scalar(
            "SELECT (SELECT count(*) FROM kept_bundles) + (SELECT count(*) FROM appointment_notes)"
        )
        if not patients and leftovers:
            problems.append("a removed patient's bundles or notes are still there")
    if run.code == 0 and patients:
        problems.append("an acknowledged removal did not happen")
    return problems


# The app: unlock, write in a recall (each autosave acknowledged once it
# finished), lock (which makes the daily backup), unlock again, quit.
_APP = textwrap.dedent(
    """
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from pathlib import Path
    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication
    from journal.core.journal import recall
    from journal.ui.main_window import MainWindow
    from journal.ui.runner import VaultRunner
    from journal.ui.settings import Settings

    def settle(condition):
        while not condition():
            loop = QEventLoop(); QTimer.singleShot(10, loop.quit); loop.exec()

    app = QApplication([])
    settings = Settings(QSettings(sys.argv[2], QSettings.Format.IniFormat))
    window = MainWindow(runner=VaultRunner(), settings=settings, vault_path=Path(sys.argv[1]))
    window.show()
    def unlock():  # back to where the person was (home at first, then the recall)
        window.unlock_page.passphrase.setText(sys.argv[3]); window.unlock_page.submit.click()
        settle(lambda: window.unlocked and window.built and not window.runner.busy)
    unlock()
    flows = window.flows
    box = {}
    window.runner.submit(lambda v: v.templates.get("free"), lambda t: box.setdefault("t", t))
    settle(lambda: "t" in box)
    flows.journaling.start_recall(box["t"], recall.RecallDraft("free"))
    editor = window.recall.blocks[0].answer
    text = ""
    for word in ("the", "door", "in", "the", "ocean"):
        text += word + " "
        editor.setPlainText(text + sys.argv[4])
        flows.journaling.flush_draft()
        settle(lambda: not window.runner.busy)
        print("ACK", len(text), flush=True)
    window.lock()
    settle(lambda: not window.runner.busy)
    print("LOCKED", flush=True)
    unlock()
    window.close()
    print("QUIT", flush=True)
    """
)


def _check_app(world: World, run: Run) -> list[str]:
    problems = _unchanged(world, run)
    acked = [int(line.split()[1]) for line in run.out.splitlines() if line.startswith("ACK ")]
    with vaults.unlock(world.vault, PASSPHRASE) as vault:
        from journal.core.journal import recall

        draft = recall.load_draft(vault)
    saved = "" if draft is None else str(next(iter(draft.texts.values()), ""))
    if acked and len(saved.replace(CANARY, "")) < acked[-1]:
        problems.append(
            f"an acknowledged draft was lost ({acked[-1]} characters, {len(saved)} found)"
        )
    return problems


# "Before my session" in the app: the intention (the session made ahead),
# the day's checklist ticked, five minutes of breathing on a fixed clock —
# each acknowledged once its write finished.
_BEFORE = _APP.split("flows = window.flows")[0] + textwrap.dedent(
    """
    flows = window.flows
    flows.before.start()
    settle(lambda: window.current_page() == "recall" and not window.runner.busy)
    page = window.recall
    page.next.click(); page.next.click()
    page.blocks[0].answer.setPlainText("to meet the ocean " + sys.argv[4])
    while page.next.isVisible():
        page.next.click()
    page.finish.click()
    settle(lambda: window.current_page() == "checklist" and not window.runner.busy)
    print("ACK intention", flush=True)
    checklist = window.pages["checklist"]
    checklist.items[0].setChecked(True)
    checklist.go_on.click()
    settle(lambda: window.current_page() == "meditation_choice" and not window.runner.busy)
    print("ACK checklist", flush=True)
    meditation = window.pages["meditation"]
    clock = [0.0]
    meditation.clock = lambda: clock[0]
    window.pages["meditation_choice"].start.click()
    clock[0] = 300.0
    meditation.tick()
    meditation.proceed.click()
    settle(lambda: window.current_page() == "home" and not window.runner.busy)
    print("ACK meditation", flush=True)
    window.close()
    print("QUIT", flush=True)
    """
)


def _check_before(world: World, run: Run) -> list[str]:
    titles, problems = _opens(world, PASSPHRASE)
    if titles is None:
        return problems
    acked = {line.split()[1] for line in run.out.splitlines() if line.startswith("ACK ")}
    if not world.titles <= titles <= world.titles | {"Setting an intention"}:
        problems.append(f"journal changed: {sorted(titles ^ world.titles)}")
    if "intention" in acked and "Setting an intention" not in titles:
        problems.append("an acknowledged intention entry was lost")
    with vaults.unlock(world.vault, PASSPHRASE) as vault:
        session = vault.sessions.latest()
        meditations = vault.meditations.all()
    if "intention" in acked and (session is None or not session.intention.startswith("to meet")):
        problems.append("an acknowledged intention is not on the session")
    if "checklist" in acked and (session is None or not session.checklist):
        problems.append("an acknowledged tick of the checklist was lost")
    if "meditation" in acked and [m.seconds for m in meditations] != [300]:
        problems.append(f"an acknowledged meditation was lost ({meditations})")
    if len(meditations) > 1 or (
        session is not None and session.checklist and not session.intention
    ):
        problems.append("the journal holds what was never done")
    return problems


# Sync: a laptop and a home computer sharing a folder (journal/core/sync, docs/sync.md).
SYNC = "Sync"
HOME = "home/" + VAULT
LAPTOP = "laptop/" + VAULT


def _entry(title: str) -> Entry:
    return Entry(title=title, answers=[Answer("t", "", text=f"{title} {CANARY}")])


def _add(path: Path, *titles: str) -> None:
    with vaults.unlock(path, PASSPHRASE) as vault:
        for title in titles:
            vault.entries.add(_entry(title))


def _set_up(world: World, laptop: Path, *titles: str) -> None:
    """A journal at ``laptop`` with ``titles``, syncing through the world's folder."""
    from journal.core.sync import joining

    first = World(laptop.parent)
    first.folder.mkdir(exist_ok=True)
    _journal(first, *titles)
    (world.folder / SYNC).mkdir()
    with vaults.unlock(laptop, PASSPHRASE) as vault:
        joining.setup(
            vault, world.folder / SYNC, device_name="Laptop", passphrase=PASSPHRASE, kdf=FAST
        )


def _prepare_sync(world: World) -> None:
    """Set up and joined; the home computer's new entry already in the folder, and
    the laptop's new entries not yet synced (the killed `sync now` sends them)."""
    from journal.core.sync import engine, joining

    _set_up(world, world.vault, "synced before")
    home, _report = joining.join(
        world.folder / SYNC, world.folder / HOME, PASSPHRASE, device_name="Home"
    )
    with home:
        home.entries.add(_entry("written at home"))
        engine.sync_now(home)
    _add(world.vault, "laptop one", "laptop two", "laptop three")
    world.titles = {"synced before", "laptop one", "laptop two", "laptop three"}
    world.extra["home"] = "written at home"


def _prepare_join(world: World) -> None:
    """The laptop set up (its entries in the folder); the killed command joins here."""
    from journal.core.sync import engine

    _set_up(world, world.folder / LAPTOP, "synced before")
    _add(world.folder / LAPTOP, "laptop one", "laptop two")
    with vaults.unlock(world.folder / LAPTOP, PASSPHRASE) as vault:
        engine.sync_now(vault)
    world.titles = {"synced before", "laptop one", "laptop two"}


def _moved_sync(world: World) -> None:
    """A vault names its sync folder by its full path: point each copy's at its own."""
    from journal.core.sync import config, store

    for path in (world.vault, world.folder / HOME, world.folder / LAPTOP):
        if path.exists():
            with vaults.unlock(path, PASSPHRASE) as vault, vault.db.transaction():
                store.set_meta(vault.db, config.FOLDER_KEY, str((world.folder / SYNC).resolve()))


def _sync_round(world: World, *paths: Path) -> tuple[dict[Path, Any], list[str]]:
    """`sync now` (in-process) on each of ``paths`` in turn: each vault's synced
    content after its last turn, its titles, and what went wrong."""
    from journal.core.sync import engine, rows

    contents: dict[Path, Any] = {}
    problems: list[str] = []
    for path in paths:
        name = path.relative_to(world.folder)
        try:
            with vaults.unlock(path, PASSPHRASE) as vault:
                report = engine.sync_now(vault)
                problems += [f"sync on {name} reported: {p}" for p in report.problems]
                problems += [f"{name} after sync: {p}" for p in vault.check()]
                titles = {s.title for s in vault.entries.summaries()}
                contents[path] = (rows.journal_content(vault.db), titles)
        except JournalError as error:
            return contents, [*problems, f"sync on {name} failed: {error.message}"]
    return contents, problems


def _converged(world: World, first: Path, second: Path, titles: set[str]) -> list[str]:
    """Synced ``first``, ``second``, ``first``: the same content on both, with ``titles``."""
    contents, problems = _sync_round(world, first, second, first)
    if problems:
        return problems
    (content, got), (other, got_there) = contents[first], contents[second]
    if content != other:
        problems.append("the two computers did not converge")
    for path, held in ((first, got), (second, got_there)):
        if held != titles:
            problems.append(f"{path.relative_to(world.folder)} holds {sorted(held ^ titles)} wrong")
    return problems + _never_forked(world, first)


def _never_forked(world: World, keys_from: Path) -> list[str]:
    """No device folder holds two different segment files at one seq."""
    import hashlib

    from journal.core.sync import envelope, folder
    from journal.core.sync.config import load_config

    with vaults.unlock(keys_from, PASSPHRASE) as vault:
        keys = load_config(vault.db).keys
    shared = world.folder / SYNC
    found: dict[tuple[str, int], set[str]] = {}
    problems = []
    for journal in folder.find_journals(shared):
        for path in (shared / f"{folder.JOURNAL_PREFIX}{journal}").glob("*/*"):
            if not envelope.is_sealed_name(path.name):
                continue
            data = path.read_bytes()
            try:
                seq, _prev, _payload = envelope.open_segment(
                    data, journal_id=journal, device_id=path.parent.name, keys=keys
                )
            except JournalError as error:
                problems.append(f"segment {path.name[:8]}… does not open: {error.message}")
                continue
            found.setdefault((path.parent.name, seq), set()).add(hashlib.sha256(data).hexdigest())
    forks = sorted(seq for (_device, seq), digests in found.items() if len(digests) > 1)
    return problems + ([f"the chain forked at seq {forks}"] if forks else [])


def _check_sync(world: World, run: Run) -> list[str]:
    titles, problems = _opens(world, PASSPHRASE)
    if titles is None:
        return problems
    everything = world.titles | set(world.extra["home"].split("\t"))
    if not world.titles <= titles:
        problems.append(f"lost: {sorted(world.titles - titles)}")
    if titles - everything:
        problems.append(f"unexpected: {sorted(titles - everything)}")
    home = world.folder / HOME
    if run.code == 0:  # acknowledged: what the laptop sent is in the folder
        contents, failed = _sync_round(world, home)
        problems += failed
        if home in contents and not world.titles <= contents[home][1]:
            problems.append("an acknowledged sync did not send the laptop's entries")
    return problems + _converged(world, world.vault, home, everything)


def _check_join(world: World, run: Run) -> list[str]:
    from journal.core.sync import joining

    laptop = world.folder / LAPTOP
    try:
        _titles(world.vault, PASSPHRASE)
    except VaultNotFound:
        if run.code == 0:
            return ["join said it made the vault, but there is none"]
        names = {p.name for p in world.folder.iterdir()} - {
            "journal.vault.lock", "out", "laptop", SYNC
        }  # fmt: skip
        if names:
            return [f"a half-made vault: {sorted(names)}"]
        try:  # nothing there: joining again works
            joined, _report = joining.join(
                world.folder / SYNC, world.vault, PASSPHRASE, device_name="Home"
            )
            joined.close()
        except JournalError as error:
            return [f"joining again failed: {error.message}"]
    except JournalError as error:
        return [f"a joined vault that does not open: {error.message}"]
    except AssertionError as error:
        return [str(error)]
    return _converged(world, world.vault, laptop, world.titles)


SCENARIOS = {
    s.name: s
    for s in (
        Scenario("init", lambda w: None, lambda w: (["init"], f"{PASSPHRASE}\n"), _check_init),
        Scenario(
            "add",
            lambda w: _journal(w, "one", "two"),
            lambda w: (["add", "--title", "new entry", f"words {CANARY}"], f"{PASSPHRASE}\n"),
            _check_add,
        ),
        Scenario(
            "passwd",
            lambda w: w.extra.update(code=_journal(w, "kept")),
            lambda w: (["passwd"], f"{PASSPHRASE}\n{NEW_PASSPHRASE}\n"),
            _check_passphrase_change,
        ),
        Scenario(
            "recover",
            lambda w: w.extra.update(code=_journal(w, "kept")),
            lambda w: (["recover"], f"{w.extra['code']}\n{NEW_PASSPHRASE}\n"),
            _check_passphrase_change,
        ),
        Scenario(
            "backup",
            lambda w: _journal(w, "kept"),
            lambda w: (["backup"], f"{PASSPHRASE}\n"),
            _check_backup,
        ),
        Scenario(
            "restore",
            _prepare_restore,
            lambda w: (["restore", str(w.folder / w.extra["backup"])], f"{PASSPHRASE}\n"),
            _check_restore,
        ),
        Scenario(
            "export",
            _prepare_export,
            lambda w: (
                ["export", "--out", str(w.folder / "out" / "x.agb"), "--to", w.extra["to"]],
                f"{PASSPHRASE}\n",
            ),
            lambda w, r: _check_export(w, r),
        ),
        Scenario(
            "export-all",
            lambda w: _journal(w, "everything"),
            lambda w: (
                ["export-all", "--out", str(w.folder / "out" / "all.age")],
                f"{PASSPHRASE}\n{NEW_PASSPHRASE}\n",
            ),
            _check_export_all,
        ),
        Scenario(
            "templates-import",
            lambda w: (_journal(w, "kept"), (w.folder / "mine.toml").write_text(_TEMPLATE)),
            lambda w: (["templates", "import", str(w.folder / "mine.toml")], f"{PASSPHRASE}\n"),
            _check_template,
        ),
        Scenario(
            "import",
            _prepare_import,
            lambda w: (["import", str(w.folder / "jrnl.json"), "--yes"], f"{PASSPHRASE}\n"),
            _check_import,
        ),
        Scenario(
            "patients-keep",
            _prepare_keep,
            lambda w: (["patients", "keep", str(w.folder / "x.agb")], f"{PASSPHRASE}\n"),
            _check_keep,
        ),
        Scenario(
            "patients-remove",
            _prepare_remove,
            lambda w: (["patients", "remove", "Patient 1", "--yes"], f"{PASSPHRASE}\n"),
            _check_remove,
        ),
        Scenario(
            "sync",
            _prepare_sync,
            lambda w: (["sync", "now"], f"{PASSPHRASE}\n"),
            _check_sync,
            moved=_moved_sync,
        ),
        Scenario(
            "sync-join",
            _prepare_join,
            lambda w: (
                ["sync", "join", str(w.folder / SYNC), "--name", "Home"],
                f"{PASSPHRASE}\n",
            ),
            _check_join,
            moved=_moved_sync,
            quick=False,  # its ~500 points (a whole vault made) would add minutes
        ),
        Scenario(
            "app",
            lambda w: _journal(w, "kept"),
            lambda w: ([], ""),
            _check_app,
            calls=FILE_CALLS,
            app=_APP,
        ),
        Scenario(
            "app-before",
            lambda w: _journal(w, "kept"),
            lambda w: ([], ""),
            _check_before,
            calls=FILE_CALLS,
            app=_BEFORE,
        ),
    )
}


# --- running -----------------------------------------------------------------------


def _argv(scenario: Scenario, world: World) -> tuple[list[str], str]:
    if scenario.app:
        settings = str(world.folder / "settings.ini")
        return [
            sys.executable,
            "-c",
            scenario.app,
            str(world.vault),
            settings,
            PASSPHRASE,
            CANARY,
        ], ""
    args, stdin = scenario.command(world)
    return [sys.executable, "-m", "journal", "--vault", str(world.vault), *args], stdin


def _run(scenario: Scenario, world: World, strace: list[str]) -> Run:
    argv, stdin = _argv(scenario, world)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [STRACE, "-f", "-qq", *strace, "--", *argv],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=world.folder,
        env=env,
        check=False,
    )
    killed = done.returncode in (-9, 137) or "+++ killed by SIGKILL" in done.stderr
    return Run(None if killed else done.returncode, done.stdout, done.stderr)


def count_calls(scenario: Scenario, template: Path, scratch: Path) -> dict[str, int]:
    """How many of each call the command's busiest thread makes."""
    world = _fresh(scenario, template, scratch / "count")
    log = scratch / f"{scenario.name}.strace"
    run = _run(scenario, world, ["-o", str(log), "-e", f"trace={','.join(scenario.calls)}"])
    if run.code != 0:
        raise SystemExit(f"{scenario.name}: the command failed without a kill:\n{run.err}")
    per_thread: dict[tuple[str, str], int] = {}
    for line in log.read_text().splitlines():
        match = re.match(r"(\d+)\s+(\w+)\(", line)
        if match and match.group(2) in scenario.calls:
            key = (match.group(1), match.group(2))
            per_thread[key] = per_thread.get(key, 0) + 1
    counts: dict[str, int] = {}
    for (_pid, call), number in per_thread.items():
        counts[call] = max(counts.get(call, 0), number)
    return counts


def _fresh(scenario: Scenario, template: Path, target: Path) -> World:
    world = _copy(template, target)
    if scenario.moved is not None:
        scenario.moved(world)
    return world


def _copy(template: Path, target: Path) -> World:
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(template, target)
    world = World(target)
    state = (template / ".world").read_text().split("\n", 1)
    world.titles = set(filter(None, state[0].split("\t")))
    world.extra = dict(line.split("=", 1) for line in state[1].splitlines() if "=" in line)
    (target / ".world").unlink()
    return world


def _template(scenario: Scenario, scratch: Path) -> Path:
    folder = scratch / f"{scenario.name}-template"
    folder.mkdir(parents=True)
    (folder / "out").mkdir()
    world = World(folder)
    scenario.prepare(world)
    extra = "\n".join(f"{k}={v}" for k, v in world.extra.items())
    (folder / ".world").write_text("\t".join(sorted(world.titles)) + "\n" + extra)
    return folder


def points(counts: dict[str, int], quick: bool) -> list[tuple[str, int]]:
    """Every (call, N); a quick run keeps every rename and fsync and every
    second of the rest."""
    chosen = []
    for call, total in sorted(counts.items()):
        every = 1 if not quick or call.startswith(("rename", "fsync", "fdatasync")) else 2
        chosen += [(call, n) for n in range(1, total + 1, every)]
    return chosen


def _checked(scenario: Scenario, world: World, run: Run) -> list[str]:
    """The scenario's check; if the journal is still locked, the check again
    for up to 10 s: on a loaded machine the killed process's last threads may
    still be going away when strace returns (the kernel drops the lock then).
    A lock that outlives that is reported as the failure it is."""
    deadline = time.monotonic() + 10
    while True:
        try:
            return scenario.check(world, run)
        except VaultInUse:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.25)


def crash_point(scenario: Scenario, template: Path, scratch: Path, call: str, n: int) -> list[str]:
    world = _fresh(scenario, template, scratch / f"{scenario.name}-{call}-{n}")
    try:
        run = _run(
            scenario,
            world,
            ["-o", "/dev/null", "-e", f"trace={call}", "-e", f"inject={call}:signal=KILL:when={n}"],
        )
        problems = _checked(scenario, world, run)
        problems += _common(world)  # after the next start that check made
        return problems
    except Exception as error:
        return [f"checking raised {type(error).__name__}: {error}"]
    finally:
        shutil.rmtree(world.folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a sample of the points")
    parser.add_argument("--only", default="", help="comma-separated scenarios")
    parser.add_argument("--jobs", type=int, default=max(1, min(2, os.cpu_count() or 1)))
    args = parser.parse_args(argv)
    names = [n for n in args.only.split(",") if n] or [
        n for n, s in SCENARIOS.items() if s.quick or not args.quick
    ]
    if shutil.which("strace") is None:
        print("strace is needed (apt-get install strace)", file=sys.stderr)
        return 2
    failed = 0
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="afterglow-crash-") as scratch_name:
        scratch = Path(scratch_name)
        for name in names:
            scenario = SCENARIOS[name]
            template = _template(scenario, scratch)
            counts = count_calls(scenario, template, scratch)
            chosen = points(counts, args.quick)

            def one(point: tuple[str, int], s: Scenario = scenario, t: Path = template) -> Any:
                return point, crash_point(s, t, scratch, *point)

            with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
                results = list(pool.map(one, chosen))
            bad = [(p, problems) for p, problems in results if problems]
            failed += len(bad)
            calls = ", ".join(f"{c} {n}" for c, n in sorted(counts.items()))
            print(f"{name}: {len(chosen)} crash points, {len(chosen) - len(bad)} held ({calls})")
            for (call, n), problems in bad:
                print(f"  killed at {call} #{n}: {'; '.join(problems)}")
            sys.stdout.flush()
    print(
        f"{'all held' if not failed else f'{failed} failed'} in {time.monotonic() - started:.0f} s"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
