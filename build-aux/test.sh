#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The README's test command: installs dependencies, builds with -Werror, runs every suite
# (unit, integration, gui, slow) in a private D-Bus session with an unlocked gnome-keyring
# and an Xvfb display, then again under AddressSanitizer + UndefinedBehaviorSanitizer.
# Ends with one line "N passed, N failed" counted from meson's testlog.json files.
set -uo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)

bash build-aux/install-deps.sh || exit 1

setup () {
  local dir=$1; shift
  if [ -f "$dir/build.ninja" ]; then
    meson setup --reconfigure "$dir" "$@" >/dev/null || return 1
  else
    meson setup "$dir" "$@" >/dev/null || return 1
  fi
  ninja -C "$dir" >"$dir.build.log" 2>&1 || { tail -n 60 "$dir.build.log"; return 1; }
}

status=0
logs=()

echo "== build (-Werror)"
if setup _build-ci -Dwerror=true -Dbuildtype=debugoptimized; then
  echo "== tests"
  dbus-run-session -- bash build-aux/test-session.sh _build-ci --print-errorlogs \
    --num-processes 2 || status=1
  logs+=("_build-ci/meson-logs/testlog.json")
else
  echo "build failed"
  status=1
fi

echo "== build (AddressSanitizer + UndefinedBehaviorSanitizer)"
if setup _build-asan -Dwerror=true -Dbuildtype=debugoptimized -Db_sanitize=address,undefined -Db_lundef=false; then
  echo "== tests under sanitizers (all suites but slow, and the AT-SPI walks and screenshots)"
  dbus-run-session -- bash build-aux/test-session.sh _build-asan --print-errorlogs \
    --num-processes 2 --no-suite slow --no-suite walk --timeout-multiplier 3 || status=1
  logs+=("_build-asan/meson-logs/testlog.json")
else
  echo "sanitizer build failed"
  status=1
fi

python3 - "${logs[@]}" <<'PY'
import json, sys
passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        with open(path) as f:
            for line in f:
                line = line.strip()
                if not line:
                    continue
                r = json.loads(line).get("result")
                if r in ("OK", "EXPECTEDFAIL"):
                    passed += 1
                elif r == "SKIP":
                    skipped += 1
                else:
                    failed += 1
    except FileNotFoundError:
        failed += 1
if skipped:
    print(f"({skipped} skipped)")
print(f"{passed} passed, {failed} failed")
PY

exit $status
