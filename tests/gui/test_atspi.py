"""A screen reader can use the app: its accessibility tree as AT-SPI gives it
to Orca, read from the real app on a real (virtual) display — not Qt's own
objects.

The app (`tools/atspi_app.py`, on the demo journal) runs under
``dbus-run-session -- xvfb-run``, with Qt's AT-SPI bridge on; it is stepped
through its screens, and after each one `atspi_walk.py` (the system Python,
where pyatspi is) prints what is showing as JSON. Every tree is kept in the
run's temporary folder (named in each failure) for a closer look.

Needs ``apt-get install --no-install-recommends at-spi2-core python3-pyatspi
dbus-x11 xvfb``; skipped, saying so, where they are missing.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
WALKER = Path(__file__).with_name("atspi_walk.py")
SYSTEM_PYTHON = "/usr/bin/python3"
BUS_LAUNCHER = "/usr/libexec/at-spi-bus-launcher"
APP_NAME = "Afterglow"
RUN_SECONDS = 180.0
WALK_SECONDS = 30.0
SCREEN = "-screen 0 1366x768x24"
PACKAGES = "at-spi2-core python3-pyatspi dbus-x11 xvfb"

# In the order a person meets them; each reached from the one before as the
# driver's steps say (the recall from the session form, and so on).
PAGES = (
    "unlock",
    "home",
    "session_form",
    "template_choice",
    "recall",
    "entry",
    "search",
    "motifs",
    "checkin",
    "mood",
    "questionnaire",
    "trends",
    "prepare",
    "import",
    "settings",
)

# What a person operates: a screen reader must be able to say what each is.
INTERACTIVE = frozenset(
    {
        "push button",
        "toggle button",
        "check box",
        "radio button",
        "text",
        "entry",
        "password text",
        "combo box",
        "spin button",
        "slider",
        "list",
        "list box",
        "list item",
        "menu item",
        "check menu item",
        "radio menu item",
        "page tab",
        "page tab list",
        "table",
        "tree",
        "tree table",
        "tree item",
    }
)
NO_ROLE = frozenset({"", "unknown", "invalid", "redundant object"})
GENTLE_TEMPLATE = ROOT / "resources" / "templates" / "right-after-gentle.toml"

Node = dict[str, Any]


# -- running the app and walking its tree ---------------------------------------------


@dataclass
class Screens:
    """What the walk found: each page's tree (or why it has none)."""

    folder: Path
    trees: dict[str, Node] = field(default_factory=dict, repr=False)
    errors: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0

    def tree(self, page: str) -> Node:
        if page in self.errors:
            pytest.fail(f"{page}: no accessibility tree: {self.errors[page]}", pytrace=False)
        assert page in self.trees, f"{page} was not walked"
        return self.trees[page]


class _App:
    """The driver under dbus-run-session and xvfb-run, spoken to line by line."""

    def __init__(self, log: IO[str], env: dict[str, str], deadline: float) -> None:
        self.deadline = deadline
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.process = subprocess.Popen(
            [
                _tool("dbus-run-session"),
                "--",
                _tool("xvfb-run"),
                "-a",
                "-s",
                SCREEN,
                sys.executable,
                "-m",
                "tools.atspi_app",
            ],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            start_new_session=True,  # its own process group, stopped as one
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        try:
            for line in stream:
                self.lines.put(line.rstrip("\n"))
        except (OSError, ValueError):
            pass
        self.lines.put(None)

    def expect(self, *prefixes: str) -> str:
        """The next line starting with one of ``prefixes``; TimeoutError past
        the deadline, EOFError when the app has ended."""
        while True:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no {' or '.join(prefixes)!r} within {RUN_SECONDS:g} s")
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            if line is None:
                raise EOFError(f"the app ended (status {self.process.poll()})")
            if line.startswith(prefixes):
                return line

    def ask(self, page: str) -> None:
        """Bring the app to ``page``; raises with the driver's reason if it cannot."""
        stdin = self.process.stdin
        assert stdin is not None
        stdin.write(page + "\n")
        stdin.flush()
        answer = self.expect(f"ready {page}", f"failed {page}:")
        if answer.startswith("failed"):
            raise RuntimeError(answer.removeprefix(f"failed {page}:").strip())

    def stop(self) -> None:
        """Quit politely; then the whole process group, by its id."""
        try:
            if self.process.stdin is not None:
                self.process.stdin.write("quit\n")
                self.process.stdin.close()
        except OSError:
            pass
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=15)
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                continue
        if self.process.stdout is not None:
            self.process.stdout.close()


def _walk(bus: str, home: Path, deadline: float) -> Node:
    """The app's windows as the walker prints them, on the app's D-Bus session
    (and no display: the accessibility bus is found through the session bus)."""
    seconds = max(1.0, min(WALK_SECONDS, deadline - time.monotonic()))
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home)}
    env["DBUS_SESSION_BUS_ADDRESS"] = bus
    done = subprocess.run(
        [SYSTEM_PYTHON, str(WALKER), "--app", APP_NAME, "--timeout", f"{seconds:.0f}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=seconds + 5,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the walker failed ({done.returncode}): {done.stderr.strip()}")
    return json.loads(done.stdout)


def _tool(name: str) -> str:
    return shutil.which(name) or name


def _missing_tools() -> str | None:
    missing = [tool for tool in ("xvfb-run", "dbus-run-session") if shutil.which(tool) is None]
    if not Path(BUS_LAUNCHER).exists():
        missing.append(BUS_LAUNCHER)
    if not Path(SYSTEM_PYTHON).exists():
        missing.append(SYSTEM_PYTHON)
    elif subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True).returncode:
        missing.append("pyatspi for " + SYSTEM_PYTHON)
    if missing:
        return f"needs {', '.join(missing)} (apt-get install --no-install-recommends {PACKAGES})"
    return None


def _app_env(home: Path) -> dict[str, str]:
    """The driver's environment: a fresh home, a real (virtual) display, no
    session, display or accessibility bus of the person running the tests."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "NO_AT_BRIDGE"}
        and not key.startswith(("AT_SPI", "XDG_", "QT_", "AFTERGLOW"))
    }
    for var, sub in (
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_STATE_HOME", ".local/state"),
    ):
        (home / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(home / sub)
    (home / "tmp").mkdir(exist_ok=True)
    env.update(
        HOME=str(home),
        TMPDIR=str(home / "tmp"),
        QT_QPA_PLATFORM="xcb",
        QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1",
        PYTHONPATH=str(ROOT),
    )
    return env


def _menus(tree: Node) -> list[str]:
    """The menu bar's menus, by their names on screen."""
    return [
        item["name"]
        for bar in _nodes(tree, lambda n: n["role"] == "menu bar")
        for item in bar["children"]
        if item["role"] == "menu item" and item["name"]
    ]


@pytest.fixture(scope="module")
def screens(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Screens]:
    """Every page walked once, in one run of the app bounded by `RUN_SECONDS`."""
    reason = _missing_tools()
    if reason:
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("atspi")
    home = folder / "home"
    home.mkdir()
    found = Screens(folder)
    started = time.monotonic()
    deadline = started + RUN_SECONDS
    with (folder / "app.log").open("w", encoding="utf-8") as log:
        app = _App(log, _app_env(home), deadline)
        try:
            bus = app.expect("bus ").removeprefix("bus ").strip()
            assert bus, "the driver is not on a D-Bus session"
            app.expect("ready unlock")
            pages = list(PAGES)
            while pages:
                page = pages.pop(0)
                try:
                    if page != "unlock":
                        app.ask(page)
                    tree = _walk(bus, home, deadline)
                except (RuntimeError, subprocess.TimeoutExpired, json.JSONDecodeError) as error:
                    found.errors[page] = str(error)
                    continue
                found.trees[page] = tree
                (folder / f"{page}.json").write_text(
                    json.dumps(tree, indent=1, ensure_ascii=False), encoding="utf-8"
                )
                if page == "home":  # after the pages, each menu of the menu bar, open
                    pages += [f"menu:{title}" for title in _menus(tree)]
        except (TimeoutError, EOFError) as error:
            log.flush()
            tail = (folder / "app.log").read_text(encoding="utf-8").splitlines()[-15:]
            why = f"{error}; the end of {folder / 'app.log'}:\n" + "\n".join(tail)
            for page in PAGES:
                found.errors.setdefault(page, why)
        finally:
            app.stop()
            found.seconds = time.monotonic() - started
    yield found


# -- reading a tree -----------------------------------------------------------------


def _nodes(tree: Node, keep: Any) -> Iterator[Node]:
    for node in tree.get("windows", tree.get("children", [])):
        if keep(node):
            yield node
        yield from _nodes(node, keep)


def _with_paths(tree: Node) -> Iterator[tuple[Node, tuple[Node, ...]]]:
    """Every node with its ancestors (windows first)."""
    stack: list[tuple[Node, tuple[Node, ...]]] = [(w, ()) for w in reversed(tree["windows"])]
    while stack:
        node, path = stack.pop()
        yield node, path
        stack.extend((child, (*path, node)) for child in reversed(node["children"]))


def _showing(node: Node, path: tuple[Node, ...]) -> bool:
    return "showing" in node["states"] and all("showing" in a["states"] for a in path)


def _qt_widget(node: Node) -> str:
    """The Qt widget, from AT-SPI's accessible id (Qt builds it from the
    object names, or class names, from the window down): the part from the
    page on."""
    parts = node.get("id", "").split(".")
    if "QStackedWidget" in parts:
        parts = parts[parts.index("QStackedWidget") + 1 :]
    elif parts and parts[0] == "QApplication":
        parts = parts[1:]
    return ".".join(parts) or "?"


def _where(node: Node, path: tuple[Node, ...]) -> str:
    """Where in the tree, as roles and names from the window down, and which child."""
    steps = []
    for ancestor, child in zip(path, (*path[1:], node), strict=True):
        label = ancestor["role"] + (f" {ancestor['name']!r}" if ancestor["name"] else "")
        index = next(i for i, c in enumerate(ancestor["children"]) if c is child)
        steps.append(f"{label}[{index}]")
    return " > ".join(steps)


def _describe(node: Node, path: tuple[Node, ...]) -> str:
    extra = [f"description {node['description']!r}"] if node["description"] else []
    labelled_by = node.get("relations", {}).get("labelled-by")
    if labelled_by:
        extra.append(f"labelled-by {labelled_by}")
    if node.get("text"):
        extra.append(f"text {node['text'][:60]!r}")
    return (
        f"{node['role'] or '(no role)'} named {node['name']!r}"
        + (f" ({'; '.join(extra)})" if extra else "")
        + f"\n      Qt widget: {_qt_widget(node)}\n      at: {_where(node, path)}"
    )


def _options(node: Node) -> list[str]:
    """A combo box's options (its list's items), as the walker lists them."""
    return [
        item["name"]
        for lst in node["children"]
        if lst["role"] in ("list", "list box", "menu")
        for item in lst["children"]
        if item["name"]
    ]


def _offenders(tree: Node) -> list[str]:
    """Every showing control a screen reader could not name, or names wrongly."""
    found = []
    for node, path in _with_paths(tree):
        if not _showing(node, path):
            continue
        if node["role"] not in INTERACTIVE and "focusable" not in node["states"]:
            continue
        name = node["name"].strip()
        if node["role"] in NO_ROLE:
            found.append("no role: " + _describe(node, path))
        elif not name:
            found.append("no name: " + _describe(node, path))
        elif (
            node["role"] == "combo box"
            and name in _options(node)
            and not node.get("relations", {}).get("labelled-by")
        ):
            # Qt on Linux names a combo box by its value on purpose and gives the
            # label as a "labelled-by" relation, which Orca reads first ("How,
            # combo box, IV infusion"); without that relation the label is lost.
            found.append("named by its value and labelled by nothing: " + _describe(node, path))
    return found


def _fail(screens: Screens, message: str) -> None:
    """Fail with only ``message`` (the offenders), no traceback to read past."""
    pytest.fail(f"{message}\n(the trees, as JSON: {screens.folder})", pytrace=False)


def _no_problems(screens: Screens, page: str, problems: list[str]) -> None:
    if problems:
        listed = "\n".join(f"  - {p}" for p in problems)
        _fail(screens, f"{page}: {len(problems)} problem(s):\n{listed}")


# -- the tests ------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
def test_every_control_on_the_page_has_a_role_and_a_name(screens: Screens, page: str) -> None:
    problems = _offenders(screens.tree(page))
    _no_problems(screens, page, problems)


@pytest.mark.slow
def test_every_menu_has_named_items(screens: Screens) -> None:
    menus = sorted(page for page in screens.trees if page.startswith("menu:"))
    unreached = {page: why for page, why in screens.errors.items() if page.startswith("menu:")}
    assert menus or unreached, "no menus were found in the home page's menu bar"
    problems = [f"{page}: not opened: {why}" for page, why in unreached.items()]
    for page in menus:
        tree = screens.trees[page]
        items = [
            node
            for node, path in _with_paths(tree)
            if _showing(node, path) and node["role"].endswith("menu item")
        ]
        if len(items) <= len(_menus(tree)):
            problems.append(f"{page}: its items are not in the tree (menu open, not showing)")
        problems += [f"{page}: {p}" for p in _offenders(tree)]
    _no_problems(screens, "menus", problems)


def _first_question() -> str:
    template = tomllib.loads(GENTLE_TEMPLATE.read_text(encoding="utf-8"))
    return str(template["prompts"][0]["text"])


@pytest.mark.slow
def test_the_recall_answer_says_its_question(screens: Screens) -> None:
    """Orca reads the focused field's name and description: the question
    must be among them, not only in a label beside the field."""
    question = _first_question()
    tree = screens.tree("recall")
    fields = [
        (node, path)
        for node, path in _with_paths(tree)
        if _showing(node, path)
        and node["role"] in ("text", "entry")
        and "editable" in node["states"]
    ]
    saying = [n for n, _ in fields if question in n["name"] or question in n["description"]]
    listed = "\n".join(f"  - {_describe(n, p)}" for n, p in fields) or "  (none)"
    if not saying:
        _fail(
            screens,
            f"recall: no answer field is named or described by the question {question!r}; "
            f"the editable fields showing are:\n{listed}",
        )


@pytest.mark.slow
def test_the_recall_progress_bar_has_a_name(screens: Screens) -> None:
    tree = screens.tree("recall")
    bars = [
        (node, path)
        for node, path in _with_paths(tree)
        if _showing(node, path) and node["role"] == "progress bar"
    ]
    if not bars:
        _fail(screens, "recall: no progress bar is showing")
    unnamed = [_describe(n, p) for n, p in bars if not n["name"].strip()]
    _no_problems(screens, "recall", [f"progress bar: {u}" for u in unnamed])


@pytest.mark.slow
def test_how_on_about_this_session_is_named_by_its_label(screens: Screens) -> None:
    """The combo box of "How" is labelled by "How" (Qt names a combo box by
    its value on Linux and gives the label as the relation screen readers
    read first), and tells which option is chosen."""
    tree = screens.tree("session_form")
    combos = [
        (node, path)
        for node, path in _with_paths(tree)
        if _showing(node, path) and node["role"] == "combo box"
    ]
    labelled = [(n, p) for n, p in combos if "How" in n.get("relations", {}).get("labelled-by", [])]
    listed = "\n".join(f"  - {_describe(n, p)}" for n, p in combos) or "  (none)"
    if not labelled:
        _fail(screens, f"session_form: no combo box is labelled by 'How'; combo boxes:\n{listed}")
    node, path = labelled[0]
    if node["name"] not in _options(node) and "how" not in node["name"].lower():
        _fail(
            screens,
            f"session_form: the 'How' combo box says {node['name']!r}, neither its label nor "
            f"an option (its options: {_options(node)}):\n  - {_describe(node, path)}",
        )


@pytest.mark.slow
def test_the_walk_stays_within_its_bounds(screens: Screens) -> None:
    assert screens.seconds < RUN_SECONDS
    truncated = [page for page, tree in screens.trees.items() if tree["truncated"]]
    assert not truncated, f"trees cut short by the walker's bounds: {truncated}"
