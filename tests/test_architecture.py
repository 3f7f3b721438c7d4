"""The layout the docs describe holds: every package is shipped, and no
module grows past what can be read in one sitting."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_MODULE_LINES = 450


def test_every_package_of_journal_is_in_the_distribution() -> None:
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "journal").rglob("__init__.py")
    }
    assert found - listed == set(), "add these to [tool.setuptools] packages"


def test_no_module_is_longer_than_one_sitting() -> None:
    long = {
        str(path.relative_to(ROOT)): count
        for path in (ROOT / "journal").rglob("*.py")
        if (count := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}, "split these by responsibility (docs/architecture.md)"
