"""The vault's life: `init`, `passwd`, `recover`, `check`."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from journal.cli.commands import Commands, existing_vault_path, open_vault, vault_path
from journal.cli.console import EXIT_FAILED, EXIT_OK, Console
from journal.core.errors import JournalError
from journal.core.vault.paths import VaultPaths

if TYPE_CHECKING:
    from journal.core.vault.vault import Vault


def add_commands(commands: Commands) -> None:
    commands.add("init", cmd_init, "create a new vault and show its recovery code").add_argument(
        "--therapist",
        action="store_true",
        help="a therapist's workspace for receiving patients' bundles (not a journal)",
    )
    commands.add("passwd", cmd_passwd, "change the passphrase (the recovery code stays valid)")
    commands.add("recover", cmd_recover, "set a new passphrase using the recovery code")
    commands.add("check", cmd_check, "verify the vault's integrity")


def cmd_init(args: argparse.Namespace, console: Console) -> int:
    from journal.core.vault import vault as vaults

    path = vault_path(args)
    if VaultPaths(path).exists():
        raise JournalError(f"A vault already exists at {path}. Nothing was changed.")
    passphrase = console.secret("Choose a passphrase: ", confirm="Repeat the passphrase: ")
    # Kept only once the code is shown: killed before, the next start removes it.
    vault, code = vaults.create(path, passphrase, pending=True, therapist=args.therapist)
    with vault:
        what = "therapist's workspace" if args.therapist else "journal"
        console.out(f"Created your encrypted {what} at {path}")
        console.out()
        console.out("Your recovery code (shown only this once):")
        console.out()
        console.out(f"    {code}")
        console.out()
        console.out("If you forget your passphrase, this code is the only way back in.")
        console.out("Write it on paper and keep it somewhere safe, away from this computer.")
        if args.therapist:
            console.out()
            console.out("Your sharing key, to give to your patients (also `afterglow key`):")
            console.out(f"    {vault.keys.sharing_keys()[0].recipient}")
        console.stdout.flush()
        vault.confirm_created()
    return EXIT_OK


def cmd_passwd(args: argparse.Namespace, console: Console) -> int:
    from journal.core.vault import vault as vaults

    path = existing_vault_path(args)
    old = console.secret("Current passphrase: ")
    new = console.secret("New passphrase: ", confirm="Repeat the new passphrase: ")
    vaults.change_passphrase(path, old, new)
    _renew_sync(vaults.unlock(path, new), new)
    console.out("Passphrase changed. Your recovery code still works.")
    return EXIT_OK


def _renew_sync(vault: Vault, passphrase: str) -> None:
    """A synced journal's folder learns the new passphrase (computers join with it)."""
    from journal.core.sync.joining import renew_passphrase

    with vault:
        renew_passphrase(vault, passphrase)


def cmd_recover(args: argparse.Namespace, console: Console) -> int:
    from journal.core.vault import vault as vaults

    path = existing_vault_path(args)
    code = console.secret("Recovery code: ")
    new = console.secret("New passphrase: ", confirm="Repeat the new passphrase: ")
    _renew_sync(vaults.recover(path, code, new), new)
    console.out("Your vault is open again with the new passphrase. Keep the recovery code.")
    return EXIT_OK


def cmd_check(args: argparse.Namespace, console: Console) -> int:
    with open_vault(args, console) as vault:
        problems = vault.check()
    if problems:
        console.err("The vault has problems; restore it from a backup:")
        for problem in problems:
            console.err(f"  {problem}")
        return EXIT_FAILED
    console.out(
        "The vault is healthy: every page decrypts and verifies, and its structure is intact."
    )
    return EXIT_OK
