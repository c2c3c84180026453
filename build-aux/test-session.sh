#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs inside dbus-run-session: unlocks a throw-away gnome-keyring (Secret Service) with a
# test password in a private XDG directory, then runs meson test under Xvfb.
# Usage: test-session.sh BUILDDIR [meson test arguments]
set -uo pipefail
builddir=$1; shift

keyring_home=$(mktemp -d)
trap 'rm -rf "$keyring_home"' EXIT
export XDG_DATA_HOME="$keyring_home/data"
export XDG_RUNTIME_DIR="$keyring_home/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
chmod 0700 "$XDG_RUNTIME_DIR"

if command -v gnome-keyring-daemon >/dev/null; then
  eval "$(printf 'test-password' | gnome-keyring-daemon --unlock --components=secrets)"
  export GNOME_KEYRING_CONTROL
fi

exec xvfb-run -a -s "-screen 0 1280x800x24" meson test -C "$builddir" "$@"
