#!/usr/bin/env bash
# potfiles.sh
#
# Copyright 2026 The Teren authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# po/POTFILES.in lists every source file with translatable strings (so that no string
# escapes the Romanian translation), lists each file once, and lists only files that exist.
set -u

root=${TEREN_SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$root" || { echo "Bail out! cannot enter $root"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

grep -vE '^[[:space:]]*(#|$)' po/POTFILES.in | sed 's/[[:space:]]*$//' | sort >"$tmp/listed"

echo "1..4"
failed=0

# 1. Sources that mark strings: _( N_( C_( NC_( (with or without a space before the
#    parenthesis) followed by a string literal, the plural helpers, and translatable="yes" in GtkBuilder files.
{
  for d in src ui; do
    [ -d "$d" ] || continue
    grep -rlE --include='*.c' --include='*.h' \
      '(^|[^A-Za-z0-9_])(N|C|NC)?_ ?\([[:space:]]*"|\b(g_dngettext|ngettext|g_dpgettext2) ?\(' "$d"
    grep -rlE --include='*.ui' 'translatable="yes"' "$d"
  done
} 2>/dev/null | sort -u >"$tmp/marked"
unlisted=$(comm -23 "$tmp/marked" "$tmp/listed")
if [ -z "$unlisted" ]; then
  echo "ok 1 - every file of src/ and ui/ with translatable strings is in po/POTFILES.in"
else
  echo "not ok 1 - files with translatable strings missing from po/POTFILES.in"
  echo "$unlisted" | sed 's/^/# /'
  failed=$((failed + 1))
fi

# 2. The translatable data files.
data_missing=""
for f in data/ro.daps.Teren.desktop.in data/ro.daps.Teren.metainfo.xml.in \
         data/ro.daps.Teren.gschema.xml; do
  [ -f "$f" ] || continue
  grep -qxF "$f" "$tmp/listed" || data_missing="$data_missing $f"
done
if [ -z "$data_missing" ]; then
  echo "ok 2 - the desktop file, metainfo and GSettings schema are in po/POTFILES.in"
else
  echo "not ok 2 - data files missing from po/POTFILES.in:$data_missing"
  failed=$((failed + 1))
fi

# 3. Each file once.
dups=$(uniq -d "$tmp/listed")
if [ -z "$dups" ]; then
  echo "ok 3 - no file is listed twice"
else
  echo "not ok 3 - files listed more than once in po/POTFILES.in"
  echo "$dups" | sed 's/^/# /'
  failed=$((failed + 1))
fi

# 4. Each listed file exists (xgettext and the teren-pot target fail otherwise).
gone=""
while read -r f; do
  [ -f "$f" ] || gone="$gone $f"
done <"$tmp/listed"
if [ -z "$gone" ]; then
  echo "ok 4 - every file of po/POTFILES.in exists"
else
  echo "not ok 4 - po/POTFILES.in lists files that do not exist:$gone"
  failed=$((failed + 1))
fi

[ $failed -eq 0 ]
