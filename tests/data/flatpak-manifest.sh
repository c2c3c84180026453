#!/usr/bin/env bash
# flatpak-manifest.sh
#
# Copyright 2026 The Teren authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# flatpak/ro.daps.Teren.json is valid JSON, builds ro.daps.Teren with the GNOME runtime and
# runs `teren`, asks for exactly the sandbox holes the app needs (network, Wayland with an X11
# fallback, IPC, GPU, the Secret Service) and no file-system access, builds the client without
# the server (no libsodium) and, when flatpak-builder is installed, is accepted by it.
set -u

root=${TEREN_SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
manifest="$root/flatpak/ro.daps.Teren.json"

echo "1..6"
failed=0

check () {
  local n=$1 what=$2; shift 2
  local out
  if out=$("$@" 2>&1); then
    echo "ok $n - $what"
  else
    echo "not ok $n - $what"
    printf '%s\n' "$out" | sed 's/^/# /'
    failed=$((failed + 1))
  fi
}

check 1 "the manifest is valid JSON" python3 -m json.tool "$manifest"

# The other checks read the manifest with Python's json module (no regular expressions on JSON).
py () {
  python3 - "$manifest" "$@" <<'PY'
import json, sys
m = json.load(open(sys.argv[1], encoding="utf-8"))
what = sys.argv[2]
fail = []
args = m.get("finish-args", [])
if what == "ids":
    for key, want in (("app-id", "ro.daps.Teren"), ("command", "teren"),
                      ("runtime", "org.gnome.Platform"), ("sdk", "org.gnome.Sdk")):
        if m.get(key) != want:
            fail.append("%s is %r, not %r" % (key, m.get(key), want))
    if not str(m.get("runtime-version", "")).strip():
        fail.append("no runtime-version")
elif what == "required":
    for a in ("--share=network", "--share=ipc", "--socket=wayland", "--socket=fallback-x11",
              "--device=dri", "--talk-name=org.freedesktop.secrets"):
        if a not in args:
            fail.append("missing finish-arg " + a)
elif what == "minimal":
    allowed = {"--share=network", "--share=ipc", "--socket=wayland", "--socket=fallback-x11",
               "--device=dri", "--talk-name=org.freedesktop.secrets"}
    for a in args:
        if a.startswith("--filesystem") or a.startswith("--persist"):
            fail.append("file-system access: " + a)
        elif a not in allowed:
            fail.append("unexpected finish-arg " + a)
elif what == "client":
    mods = [x for x in m.get("modules", []) if isinstance(x, dict)]
    names = [x.get("name") for x in mods]
    if not mods or mods[-1].get("name") != "teren":
        fail.append("the last module is not teren: %r" % names)
    else:
        opts = mods[-1].get("config-opts", [])
        if mods[-1].get("buildsystem") != "meson":
            fail.append("teren is not built with meson")
        if "-Dserver=false" not in opts:
            fail.append("teren is built with the server (config-opts %r)" % opts)
        if "-Dcrashpoints=false" not in opts:
            fail.append("teren is built with the fault tests' crash points (config-opts %r)" % opts)
    if any("sodium" in (n or "").lower() for n in names):
        fail.append("a libsodium module is built: %r" % names)
for f in fail:
    print(f)
sys.exit(1 if fail else 0)
PY
}

check 2 "app-id ro.daps.Teren, command teren, GNOME runtime and SDK" py ids
check 3 "the needed finish-args are there" py required
check 4 "no file-system access and no other sandbox hole" py minimal
check 5 "the client is built without the server and libsodium" py client

if command -v flatpak-builder >/dev/null 2>&1; then
  check 6 "flatpak-builder --show-manifest reads it" flatpak-builder --show-manifest "$manifest"
else
  echo "ok 6 # SKIP flatpak-builder is not installed"
fi

[ $failed -eq 0 ]
