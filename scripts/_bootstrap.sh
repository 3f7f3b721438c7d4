# Shared set-up for scripts/run and scripts/test (sourced, not executed).
# Installs the Debian libraries Qt needs when they are missing, creates the
# virtual environment .venv and installs the project into it. Re-running is
# cheap: pip runs again only when pyproject.toml changed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PYTHON="${PYTHON:-python3}"

# Qt's xcb/offscreen platforms, fonts, QtMultimedia (libpulse0) and Xvfb
# for screenshots of a real window.
DEBIAN_PACKAGES=(libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1
    libdbus-1-3 libpulse0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
    libxcb-shape0 libxcb-xinerama0 fonts-dejavu-core xvfb)

# What only the tests need: strace kills writers at each write, rename and
# fsync (tools/crash_points.py); the freedesktop validators and tools for the
# desktop entry, AppStream metainfo and MIME type; binutils for PyInstaller's
# one-folder build of the .deb (packaging/build-deb); GLib's gdbus and D-Bus for the
# notification test; the accessibility bus and its Python bindings, to read the
# app as a screen reader does (tests/gui/test_atspi.py); Syncthing, a real sync
# engine moving a sync folder between two instances on 127.0.0.1
# (tests/test_sync_syncthing.py).
TEST_DEBIAN_PACKAGES=(strace desktop-file-utils appstream shared-mime-info xdg-utils binutils
    libglib2.0-bin python3-gi dbus at-spi2-core python3-pyatspi syncthing)

install_debian_packages() {
    command -v dpkg-query >/dev/null 2>&1 || return 0
    local missing=()
    local wanted=("${DEBIAN_PACKAGES[@]}")
    [ "${1:-}" = "test" ] && wanted+=("${TEST_DEBIAN_PACKAGES[@]}")
    for pkg in "${wanted[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
            echo "Please install these Debian packages: ${missing[*]}" >&2; return 0
        fi
    fi
    echo "Installing system libraries: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
}

install_python_packages() {
    local extra="$1"   # "" or "test"
    local spec="$ROOT"
    [ -n "$extra" ] && spec="$ROOT[$extra]"
    if [ ! -x "$VENV/bin/python" ]; then
        "$PYTHON" -m venv "$VENV"
    fi
    local stamp="$VENV/.afterglow-installed-${extra:-app}"
    local want
    want="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
    # The test install holds everything the app needs: after `scripts/test`,
    # `scripts/run` does not install again.
    if [ -z "$extra" ] && [ -f "$VENV/.afterglow-installed-test" ] \
        && [ "$(cat "$VENV/.afterglow-installed-test")" = "$want" ]; then
        return 0
    fi
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        echo "Installing Python packages into .venv ..."
        "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
        "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e "$spec"
        echo "$want" > "$stamp"
    fi
}

# The desktop entry, icons and the bundle's file type in ~/.local/share, so
# Afterglow is in the applications menu and a double-clicked .agb opens in
# it; once per install (`afterglow --remove-desktop-integration` undoes it).
install_desktop_integration() {
    local stamp="$VENV/.afterglow-desktop"
    [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$VENV/bin/afterglow" ] && return 0
    "$VENV/bin/afterglow" --install-desktop-integration >/dev/null && echo "$VENV/bin/afterglow" > "$stamp"
}
