#!/usr/bin/env bash
# Set-up for Backprop Studio on a fresh Debian machine, safe to run again and again:
#   1. the Debian libraries Qt needs (offscreen and Xvfb), installed only if one is missing;
#   2. a virtual environment in .venv (Python >= 3.11), created only if absent or broken;
#   3. `pip install -e '.[dev]'`, repeated only when pyproject.toml has changed since the last one.
# Environment: PYTHON=/path/to/python3.11 chooses the interpreter; BPS_SKIP_APT=1 skips step 1;
# BPS_CHROMIUM=1 adds Debian's chromium to step 1, for tests/test_browser.py (the HTML pages in a real
# browser). It is not installed by default: ~350 MB and ~35 s more, and those tests skip without it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv"
STAMP="$VENV/.bps-setup-stamp"

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

# Two `make` runs at once in one work tree must not build the same .venv together.
if command -v flock >/dev/null 2>&1; then
    exec 9<"${BASH_SOURCE[0]}"
    flock 9
fi

# --- 1. Debian packages --------------------------------------------------------------------------
APT_PACKAGES=(
    xvfb xauth libgl1 libegl1 libfontconfig1 fonts-dejavu-core libdbus-1-3 libglib2.0-0
    libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
    libxcb-render-util0 libxcb-shape0 libxcb-xkb1
)
if [[ "${BPS_CHROMIUM:-0}" == 1 ]]; then
    APT_PACKAGES+=(chromium)
fi

install_apt_packages() {
    if [[ "${BPS_SKIP_APT:-0}" == 1 ]]; then
        return
    fi
    if ! command -v dpkg >/dev/null 2>&1; then
        say "not a Debian system: make sure Qt's libraries (xcb, EGL, fontconfig, fonts) are installed"
        return
    fi
    local missing=() pkg
    for pkg in "${APT_PACKAGES[@]}"; do
        if ! dpkg -s "$pkg" 2>/dev/null | grep -q '^Status: install ok installed'; then
            missing+=("$pkg")
        fi
    done
    if [[ ${#missing[@]} -eq 0 ]]; then
        return
    fi
    local sudo=()
    if [[ "$(id -u)" -ne 0 ]]; then
        if command -v sudo >/dev/null 2>&1; then
            sudo=(sudo)
        else
            die "missing Debian packages and not root (no sudo): apt-get install ${missing[*]}"
        fi
    fi
    say "installing Debian packages: ${missing[*]}"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# --- 2. The virtual environment ------------------------------------------------------------------
python_ok() {  # $1: an interpreter; true if it runs and is >= 3.11
    "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1
}

find_python() {
    local candidate
    # pyenv's interpreters too, for a shell whose PATH lacks pyenv's shims.
    for candidate in "${PYTHON:-}" python3.11 python3 "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.*/bin/python3; do
        if [[ -n "$candidate" ]] && command -v "$candidate" >/dev/null 2>&1 && python_ok "$candidate"; then
            command -v "$candidate"
            return
        fi
    done
    die "Python >= 3.11 not found (tried \$PYTHON, python3.11, python3, pyenv's); set PYTHON=/path/to/python3.11"
}

make_venv() {
    if [[ -x "$VENV/bin/python" ]] && python_ok "$VENV/bin/python"; then
        return
    fi
    if [[ -e "$VENV" ]]; then
        say "removing a broken .venv"
        rm -rf "$VENV"
    fi
    local python
    python="$(find_python)"
    say "creating .venv with $python ($("$python" --version 2>&1))"
    "$python" -m venv "$VENV"
}

# --- 3. The project and its dependencies ---------------------------------------------------------
install_project() {
    local want have=""
    want="$(cat pyproject.toml; "$VENV/bin/python" --version 2>&1)"
    want="$(printf '%s' "$want" | sha256sum | cut -d' ' -f1)"
    [[ -f "$STAMP" ]] && have="$(cat "$STAMP")"
    if [[ "$want" == "$have" && -x "$VENV/bin/pytest" && -x "$VENV/bin/ruff" ]]; then
        return
    fi
    say "installing the project and its dependencies into .venv (the first time downloads ~250 MB)"
    rm -f "$STAMP"
    # -q keeps warnings and errors; the grep drops only the warnings about index folders that this
    # machine's pip configuration names but that do not exist.
    PIP_DISABLE_PIP_VERSION_CHECK=1 "$VENV/bin/python" -m pip install -q --progress-bar off -e '.[dev]' \
        2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
    printf '%s\n' "$want" >"$STAMP"
    say "done: $("$VENV/bin/python" -c 'from importlib.metadata import version as v
print("PySide6-Essentials", v("PySide6-Essentials"), "numpy", v("numpy"))')"
}

install_apt_packages
make_venv
install_project
