"""A desktop notification through the desktop's own notification service
(``org.freedesktop.Notifications`` on the session bus, which GNOME, KDE and
the others provide), sent with GLib's ``gdbus`` tool: local D-Bus, nothing
leaves the computer. (Qt's D-Bus module in PySide6 cannot send the unsigned
integer the call needs.) Callers pass only the kind of step that is ready —
never journal content."""

from __future__ import annotations

import os
import shutil
import subprocess

from journal import APP_ID


def send(summary: str) -> bool:
    """Show ``summary`` without waiting for the desktop; False when there is
    no session bus or no ``gdbus`` (then nothing is shown)."""
    tool = shutil.which("gdbus")
    if tool is None or not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return False
    command = [
        tool, "call", "--session",
        "--dest", "org.freedesktop.Notifications",
        "--object-path", "/org/freedesktop/Notifications",
        "--method", "org.freedesktop.Notifications.Notify",
        "--", "Afterglow", "0", APP_ID, summary, "", "[]", "{}", "-1",
    ]  # fmt: skip
    try:
        subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        return False
    return True
