"""Crash stress: kill a writing process at random moments, then check the vault.

    .venv/bin/python tools/crash_stress.py [--runs 300] [--seed 1] [--folder DIR]

A writer process unlocks a vault and does what the app does: it adds
entries (each in its own transaction, acknowledged on standard output only
after the commit returned) and "types" into a draft, saving the draft every
600 ms as the app's autosave does. The parent kills it with SIGKILL at a
random moment — while it writes, between writes, while it opens the vault —
hundreds of times. After every kill it checks that:

- the vault opens and its integrity checks are clean (SQLCipher's page
  check, SQLite's integrity check, foreign keys);
- every acknowledged entry is present;
- the draft holds at least everything typed up to one second before the
  kill (the promise of autosave within a second).

Exit status 0 when every run passed. A small run is part of the test suite
(tests/test_crash_stress.py).
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

PASSPHRASE = "crash stress passphrase"  # noqa: S105 (a throwaway test vault)
AUTOSAVE_S = 0.6
KEYSTROKE_S = 0.03
_WRITER = """
import sys, time
from journal.core.journal import recall
from journal.core.vault import vault as vaults
from journal.core.model import Answer, Entry

path, run = sys.argv[1], sys.argv[2]
vault = vaults.unlock(path, {passphrase!r})
draft = recall.load_draft(vault) or recall.RecallDraft("free")
typed = draft.texts.get("text", "")
print("ready", flush=True)
number = 0
last_save = time.time()
while True:
    number += 1
    body = [Answer("t", "", text="x" * 500)]
    vault.entries.add(Entry(title=f"r{{run}}-{{number}}", answers=body))
    print(f"E r{{run}}-{{number}}", flush=True)
    for _ in range(3):
        typed += "abcdefghij"[len(typed) % 10]
        print(f"T {{len(typed)}} {{time.time():.4f}}", flush=True)
        time.sleep({keystroke})
    if time.time() - last_save >= {autosave}:
        draft.texts["text"] = typed
        recall.save_draft(vault, draft)
        last_save = time.time()
        print(f"D {{len(typed)}}", flush=True)
"""


@dataclass
class Outcome:
    runs: int = 0
    entries: int = 0
    problems: list[str] = field(default_factory=list)


def _writer_source() -> str:
    return _WRITER.format(passphrase=PASSPHRASE, keystroke=KEYSTROKE_S, autosave=AUTOSAVE_S)


def create_vault(path: Path) -> None:
    from journal.core.vault import vault as vaults
    from journal.core.vault.keyfile import KdfParams

    # A light key derivation: the runs measure crashes, not Argon2id.
    vaults.create(path, PASSPHRASE, kdf=KdfParams(memory_kib=1024, time_cost=1, parallelism=1))[
        0
    ].close()


def one_run(path: Path, run: int, rng: random.Random, acknowledged: set[str]) -> list[str]:
    """Start a writer, kill it at a random moment, check the vault."""
    from journal.core.journal import recall
    from journal.core.vault import vault as vaults

    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    writer = subprocess.Popen(
        [sys.executable, "-c", _writer_source(), str(path), str(run)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    # Sometimes kill during start-up and unlock, mostly while writing.
    early = rng.random() < 0.15
    delay = rng.uniform(0.0, 0.4) if early else rng.uniform(0.05, 2.0)
    if not early:
        assert writer.stdout is not None
        if writer.stdout.readline().strip() != "ready":
            writer.kill()
            writer.wait()
            return [f"run {run}: the writer could not open the vault"]
    time.sleep(delay)
    killed_at = time.time()
    os.kill(writer.pid, signal.SIGKILL)
    output, _ = writer.communicate()
    typed: list[tuple[int, float]] = []
    for line in output.splitlines():
        kind, _, rest = line.partition(" ")
        if kind == "E":
            acknowledged.add(rest)
        elif kind == "T":
            length, moment = rest.split()
            typed.append((int(length), float(moment)))
    problems = []
    try:
        with vaults.unlock(path, PASSPHRASE) as vault:
            problems += [f"run {run}: {p}" for p in vault.check()]
            titles = {s.title for s in vault.entries.summaries()}
            missing = acknowledged - titles
            if missing:
                problems.append(f"run {run}: {len(missing)} acknowledged entries missing")
            draft = recall.load_draft(vault)
            saved = len(draft.texts.get("text", "")) if draft else 0
            due = [length for length, moment in typed if moment <= killed_at - 1.0]
            if due and saved < max(due):
                problems.append(
                    f"run {run}: draft has {saved} characters; {max(due)} were typed "
                    "more than a second before the crash"
                )
    except Exception as error:  # a report, not a crash of the checker
        problems.append(f"run {run}: the vault did not open: {error}")
    return problems


def stress(folder: Path, runs: int, seed: int) -> Outcome:
    path = folder / "stress.vault"
    create_vault(path)
    rng = random.Random(seed)  # noqa: S311 (reproducible timing, not secrets)
    acknowledged: set[str] = set()
    outcome = Outcome()
    for run in range(1, runs + 1):
        outcome.problems += one_run(path, run, rng, acknowledged)
        outcome.runs = run
    outcome.entries = len(acknowledged)
    return outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--folder", type=Path, help="where to put the vault (default: a temp folder)"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="afterglow-stress-") as scratch:
        folder = args.folder or Path(scratch)
        started = time.monotonic()
        outcome = stress(folder, args.runs, args.seed)
        took = time.monotonic() - started
    for problem in outcome.problems:
        print(problem)
    print(
        f"{outcome.runs} kills, {outcome.entries} acknowledged entries, "
        f"{len(outcome.problems)} problems, {took:.0f} s"
    )
    return 1 if outcome.problems else 0


if __name__ == "__main__":
    sys.exit(main())
