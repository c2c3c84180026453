#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The README's run command: installs dependencies, builds, starts a local teren-server
# with a demo account, fills a demo store and starts Teren in Romanian.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)

bash build-aux/install-deps.sh

build=_build
if [ -f "$build/build.ninja" ]; then
  meson setup --reconfigure "$build" >/dev/null
else
  meson setup "$build" >/dev/null
fi
ninja -C "$build"

demo=${TEREN_DEMO_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/teren-demo}
mkdir -p "$demo"
chmod 0700 "$demo"

server_pid=""
cleanup () {
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT

# The directorate's server, on loopback, with one demo account that has every line.
server_bin="$build/src/server/teren-server"
if [ -x "$server_bin" ]; then
  if [ ! -e "$demo/server/.demo-account" ]; then
    mkdir -p -m 0700 "$demo/server"
    printf 'demo\n' | "$server_bin" user add demo --data-dir "$demo/server" --role supervisor \
      --display-name "Demo" \
      --lines creche,child,elderly,canteen,homeless,school_health,community_health,disability,adult
    touch "$demo/server/.demo-account"
  fi
  "$server_bin" serve --data-dir "$demo/server" --listen 127.0.0.1:8787 \
    >"$demo/server.log" 2>&1 &
  server_pid=$!
  echo "teren-server: http://127.0.0.1:8787 (user demo, password demo; log in $demo/server.log)"
fi

# Demo registry data for the laptop's store.
gen_bin="$build/bench/registry/teren-bench-generate"
if [ ! -e "$demo/client/teren.db" ] && [ -x "$gen_bin" ]; then
  "$gen_bin" --data-dir "$demo/client" --persons 300 --seed 7 --due
fi

# Romanian, as users see it.
export LANG=ro_RO.UTF-8
export LC_ALL=ro_RO.UTF-8
export LANGUAGE=ro
export TEREN_LOCALEDIR="$top/$build/po"
export GSETTINGS_SCHEMA_DIR="$top/$build/data"
# As the desktop file starts it (see data/ro.daps.Teren.desktop.in).
export G_SLICE=always-malloc
"$build/src/gui/teren" --data-dir "$demo/client" "$@"
