"""Where a command reads secrets and text and writes its results, and the
exit statuses it returns."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from typing import TextIO

from journal.core.errors import InvalidInput

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 70


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
            line = self.stdin.readline()
            if not line:
                raise InvalidInput(f"Expected a line on standard input: {prompt.rstrip(': ')}.")
            return line.rstrip("\r\n")
        value = self._prompt_secret(prompt)
        if confirm is not None and self._prompt_secret(confirm) != value:
            raise InvalidInput("The two passphrases are not the same; nothing was changed.")
        return value

    def ask(self, prompt: str) -> str:
        """One visible line from the person (not a secret)."""
        print(prompt, end="", file=self.stderr, flush=True)
        return self.stdin.readline().rstrip("\r\n")

    def rest_of_input(self) -> str:
        if self.interactive:
            self.err("Type your entry, then press Ctrl-D on a new line to save it.")
        return self.stdin.read()

    def out(self, text: str = "") -> None:
        print(text, file=self.stdout)

    def err(self, text: str) -> None:
        print(text, file=self.stderr)
