"""A stand-in for the desktop's notification service, run with the system
Python and its GLib bindings (``python3-gi``) on a private session bus:
it records each Notify call it receives, one line each, in the file given."""

from __future__ import annotations

import sys

from gi.repository import Gio, GLib  # type: ignore[import-not-found]

INTERFACE = """<node><interface name="org.freedesktop.Notifications">
<method name="Notify"><arg type="s" direction="in"/><arg type="u" direction="in"/>
<arg type="s" direction="in"/><arg type="s" direction="in"/><arg type="s" direction="in"/>
<arg type="as" direction="in"/><arg type="a{sv}" direction="in"/><arg type="i" direction="in"/>
<arg type="u" direction="out"/></method>
<method name="GetCapabilities"><arg type="as" direction="out"/></method>
</interface></node>"""


def main() -> None:
    log = open(sys.argv[1], "a", encoding="utf-8")  # noqa: SIM115 — open for the service's life

    def call(_conn, _sender, _path, _iface, method, params, invocation):  # type: ignore[no-untyped-def]
        if method == "Notify":
            log.write(repr(params.unpack()) + "\n")
            log.flush()
            invocation.return_value(GLib.Variant("(u)", (1,)))
        else:
            invocation.return_value(GLib.Variant("(as)", ([],)))

    def acquired(conn, _name):  # type: ignore[no-untyped-def]
        info = Gio.DBusNodeInfo.new_for_xml(INTERFACE).interfaces[0]
        conn.register_object("/org/freedesktop/Notifications", info, call, None, None)

    def named(_conn, _name):  # type: ignore[no-untyped-def]
        print("ready", flush=True)

    Gio.bus_own_name(Gio.BusType.SESSION, "org.freedesktop.Notifications", 0, acquired, named, None)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
