"""Where a command reads secrets and text and writes its results, and the
exit statuses it returns."""

from __future__ import annotations

import getpass
import re
from collections.abc import Callable
from typing import TextIO

from journal.core.errors import InvalidInput

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 70
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NOT_TEXT = "Standard input is not UTF-8 text (a passphrase or entry in another encoding?)."


def terminal_safe(text: str) -> str:
    """Journal content as it may be printed: no control characters (an escape
    sequence in an entry must not drive the terminal)."""
    return _CONTROL.sub(" ", text)


class Console:
    """Where the command reads secrets and text and writes results.

    ``stdin_is_tty`` decides how secrets are read: with a hidden prompt on the
    terminal, or one per line from standard input.
    """

    def __init__(
        self,
        stdin: TextIO,
        stdout: TextIO,
        stderr: TextIO,
        *,
        stdin_is_tty: bool,
        prompt_secret: Callable[[str], str] = getpass.getpass,
    ) -> None:
        self.stdin, self.stdout, self.stderr = stdin, stdout, stderr
        self.interactive = stdin_is_tty
        self._prompt_secret = prompt_secret

    def secret(self, prompt: str, *, confirm: str | None = None) -> str:
        if not self.interactive:
            line = self._read(self.stdin.readline)
            if not line:
                raise InvalidInput(f"Expected a line on standard input: {prompt.rstrip(': ')}.")
            return line.rstrip("\r\n")
        value = self._read(lambda: self._prompt_secret(prompt))
        if confirm is not None and self._read(lambda: self._prompt_secret(confirm)) != value:
            raise InvalidInput("The two passphrases are not the same; nothing was changed.")
        return value

    def ask(self, prompt: str) -> str:
        """One visible line from the person (not a secret)."""
        print(prompt, end="", file=self.stderr, flush=True)
        return self._read(self.stdin.readline).rstrip("\r\n")

    def rest_of_input(self) -> str:
        if self.interactive:
            self.err("Type your entry, then press Ctrl-D on a new line to save it.")
        return self._read(self.stdin.read)

    @staticmethod
    def _read(read: Callable[[], str]) -> str:
        try:
            text = read()
            text.encode("utf-8")  # undecodable bytes arrive as lone surrogates in UTF-8 mode
        except (UnicodeDecodeError, UnicodeEncodeError):
            raise InvalidInput(f"{_NOT_TEXT} Nothing was changed.") from None
        return text

    def out(self, text: str = "") -> None:
        print(text, file=self.stdout)

    def err(self, text: str) -> None:
        print(text, file=self.stderr)
