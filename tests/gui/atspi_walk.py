"""Print an application's accessibility tree as a screen reader sees it (AT-SPI).

    /usr/bin/python3 tests/gui/atspi_walk.py [--app Afterglow] [--timeout 30]

Runs under the system Python, where pyatspi is (``python3-pyatspi``): plain
stdlib and pyatspi, no project imports. It must run on the same D-Bus session
as the application (``DBUS_SESSION_BUS_ADDRESS``); the AT-SPI bus is found
through it. Finds the application by name on the AT-SPI desktop and prints its
windows as JSON on stdout::

    {"app": "Afterglow", "nodes": 412, "truncated": false,
     "windows": [{"role": "frame", "name": "...", "description": "...",
                  "states": ["active", "showing", ...], "id": "MainWindow...",
                  "interfaces": ["Accessible", "Component", ...],
                  "relations": {"labelled-by": ["How"]}, "text": "...", "value": 3.0,
                  "children": [...], "children_skipped": 0}]}

Only what is showing is walked into: a page hidden in a stack, or a closed
menu, is listed with its states but not its children (``children_skipped``
says how many were left out); a combo box's list of options is the one
exception. Depth and node count are bounded, and the whole
walk is bounded by ``--timeout`` seconds (exit status 3 if it runs out).
Exit status 2 when the application is not on the desktop.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
from functools import partial
from typing import Any

import pyatspi  # type: ignore[import-not-found]
from gi.repository import Atspi  # type: ignore[import-not-found]

TEXT_LIMIT = 200


class _Walk:
    def __init__(self, *, max_depth: int, max_nodes: int) -> None:
        self.max_depth = max_depth
        self.max_nodes = max_nodes
        self.nodes = 0
        self.truncated = False

    def node(self, accessible: Any, depth: int, *, into: bool = False) -> dict[str, Any]:
        self.nodes += 1
        states = _attempt(lambda: sorted(s.value_nick for s in _state_set(accessible)), [])
        node: dict[str, Any] = {
            "role": _attempt(accessible.get_role_name, "") or "",
            "name": _attempt(accessible.get_name, "") or "",
            "description": _attempt(accessible.get_description, "") or "",
            "states": states,
        }
        _optional(node, "id", lambda: accessible.get_accessible_id() or None)
        interfaces = _attempt(lambda: sorted(accessible.get_interfaces()), [])
        node["interfaces"] = interfaces
        relations = _attempt(lambda: _relations(accessible), {})
        if relations:
            node["relations"] = relations
        if "Text" in interfaces:
            _optional(node, "text", lambda: _text(accessible))
        if "Value" in interfaces:
            _optional(node, "value", lambda: Atspi.Value.get_current_value(accessible))
        count = _attempt(accessible.get_child_count, 0)
        walk_in = into or "showing" in states
        role = node["role"]
        children: list[dict[str, Any]] = []
        if walk_in and depth < self.max_depth:
            for index in range(count):
                if self.nodes >= self.max_nodes:
                    self.truncated = True
                    break
                child = _attempt(partial(accessible.get_child_at_index, index), None)
                if child is not None:
                    # A combo box's options are listed, though its popup is closed.
                    children.append(self.node(child, depth + 1, into=role == "combo box"))
        elif walk_in and count:
            self.truncated = True
        node["children"] = children
        if count > len(children):
            node["children_skipped"] = count - len(children)
        return node


def _attempt(call: Any, default: Any) -> Any:
    """One D-Bus question to the app; a node that goes away meanwhile, or an
    interface it does not answer, gives ``default``."""
    try:
        return call()
    except Exception:  # GLib.Error and friends: the answer is just missing
        return default


def _optional(node: dict[str, Any], key: str, call: Any) -> None:
    value = _attempt(call, None)
    if value is not None:
        node[key] = value


def _state_set(accessible: Any) -> list[Any]:
    return list(accessible.get_state_set().get_states())


def _relations(accessible: Any) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for relation in accessible.get_relation_set() or []:
        kind = relation.get_relation_type().value_nick
        targets = [relation.get_target(i) for i in range(relation.get_n_targets())]
        found.setdefault(kind, []).extend((t.get_name() or "") for t in targets if t)
    return found


def _text(accessible: Any) -> str:
    count = Atspi.Text.get_character_count(accessible)
    return Atspi.Text.get_text(accessible, 0, min(count, TEXT_LIMIT)) or ""


def find_app(name: str, wait: float) -> Any:
    """The application called ``name`` on the AT-SPI desktop (it registers a
    moment after it starts), or None after ``wait`` seconds."""
    deadline = time.monotonic() + wait
    while True:
        for app in _applications():
            if _attempt(app.get_name, "") == name:
                return app
        if time.monotonic() > deadline:
            return None
        time.sleep(0.2)


def _applications() -> list[Any]:
    desktop = pyatspi.Registry.getDesktop(0)
    found = (
        _attempt(partial(desktop.get_child_at_index, index), None)
        for index in range(_attempt(desktop.get_child_count, 0))
    )
    return [app for app in found if app is not None]


def _give_up_after(seconds: float) -> None:
    """A D-Bus call stuck in C would keep a signal handler from running: a
    watchdog thread ends the process instead."""

    def expire() -> None:
        sys.stderr.write(f"atspi_walk: gave up after {seconds:g} s\n")
        sys.stderr.flush()
        os._exit(3)

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--app", default="Afterglow", help="the application's name")
    parser.add_argument("--max-depth", type=int, default=60)
    parser.add_argument("--max-nodes", type=int, default=6000)
    parser.add_argument("--wait", type=float, default=10.0, help="seconds to wait for the app")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds for the whole walk")
    args = parser.parse_args(argv)
    _give_up_after(args.timeout)
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    # Each call to the app: at most 5 s (the app answers from its event loop).
    Atspi.set_timeout(5_000, 15_000)
    app = find_app(args.app, args.wait)
    if app is None:
        names = [_attempt(app.get_name, "?") for app in _applications()]
        sys.stderr.write(f"atspi_walk: no application {args.app!r} on the desktop: {names}\n")
        return 2
    walk = _Walk(max_depth=args.max_depth, max_nodes=args.max_nodes)
    windows = []
    for index in range(_attempt(app.get_child_count, 0)):
        window = _attempt(partial(app.get_child_at_index, index), None)
        if window is not None:
            windows.append(walk.node(window, 0))
    json.dump(
        {"app": args.app, "nodes": walk.nodes, "truncated": walk.truncated, "windows": windows},
        sys.stdout,
        ensure_ascii=False,
    )
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
