"""What every command group uses: adding a sub-command with its handler,
finding and opening the vault, and small argument types."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from journal.cli.console import Console
from journal.core.errors import InvalidInput, JournalError, VaultNotFound
from journal.core.vault.paths import VaultPaths, default_vault_path

if TYPE_CHECKING:  # each command imports what it needs: `afterglow` alone starts fast
    import argparse

    from journal.core.vault.keyfile import Derivation
    from journal.core.vault.vault import Vault

    Handler = Callable[[argparse.Namespace, Console], int]


class Commands:
    """The `afterglow` sub-commands; each group module adds its own."""

    def __init__(self, parser: argparse.ArgumentParser) -> None:
        self._commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    @property
    def names(self) -> set[str]:
        return set(self._commands.choices)

    def add(self, name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        """A sub-command whose help and description are ``help_text``."""
        sub = self._commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub


def vault_path(args: argparse.Namespace) -> Path:
    return vault_path_from(args.vault)


def vault_path_from(vault: str | None) -> Path:
    """The vault ``--vault`` names, else ``$AFTERGLOW_VAULT`` or the default."""
    return Path(vault).expanduser() if vault else default_vault_path()


def existing_vault_path(args: argparse.Namespace) -> Path:
    """The vault's path; raises `VaultNotFound` before any secret is asked."""
    path = vault_path(args)
    if not VaultPaths(path).exists():
        raise VaultNotFound()
    return path


def open_vault(
    args: argparse.Namespace, console: Console, *, meanwhile: Sequence[str] = ()
) -> Vault:
    """Unlock the vault with the passphrase read from the console.

    Argon2id starts on a thread as soon as the passphrase is read, and the
    database's modules (SQLCipher, the repositories) are imported while it
    runs, with the modules the command names in ``meanwhile`` (those it uses
    once the vault is open): those imports no longer wait in front of it
    (they share both cores with its two lanes, so about half their time is
    hidden)."""
    path = existing_vault_path(args)
    passphrase = console.secret("Passphrase: ")
    early = _start_derivation(path, passphrase)
    from journal.core.vault import vault as vaults

    for name in meanwhile:
        importlib.import_module(name)
    return vaults.unlock(path, passphrase, early=early)


def _start_derivation(path: Path, passphrase: str) -> Derivation | None:
    from journal.core.vault import keyfile as kf

    try:
        keyfile = kf.read(VaultPaths(path).keyfile)
    except JournalError:
        return None  # `unlock` reads it again under the vault's lock and says what is wrong
    return kf.start_derivation(keyfile, kf.PASSPHRASE_SLOT, kf.normalize_passphrase(passphrase))


WORKSPACE = (
    "This is a therapist's workspace, not a journal: it keeps patients' bundles "
    "(`afterglow patients …`). Use your own journal's vault (--vault PATH) to write."
)


def open_journal(
    args: argparse.Namespace, console: Console, *, meanwhile: Sequence[str] = ()
) -> Vault:
    """Like `open_vault`, for commands that write or read a journal's own
    records: a therapist's workspace is refused with a sentence."""
    vault = open_vault(args, console, meanwhile=meanwhile)
    if vault.is_workspace:
        vault.close()
        raise InvalidInput(WORKSPACE)
    return vault


def positive(value: str) -> int:
    import argparse  # loaded already: this is a type argparse calls

    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError("must be a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number
