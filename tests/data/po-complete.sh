#!/usr/bin/env bash
# po-complete.sh
#
# Copyright 2026 The Teren authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The Romanian translation is complete and correct: po/ro.po compiles with --check, has no
# fuzzy or untranslated entry, uses comma-below ș ț Ș Ț (never the cedilla forms), and
# translates every message that xgettext extracts from the files of po/POTFILES.in, so a
# new string without its Romanian translation fails here.
set -u

root=${TEREN_SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$root" || { echo "Bail out! cannot enter $root"; exit 1; }
po=po/ro.po
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for tool in msgfmt msgcmp xgettext msgcat; do
  if ! command -v "$tool" >/dev/null; then
    echo "Bail out! $tool (gettext) is not installed"
    exit 1
  fi
done

echo "1..4"
failed=0

# 1. msgfmt --check: syntax, format strings, plural forms header.
if msgfmt --check --statistics -o /dev/null "$po" 2>"$tmp/stats"; then
  echo "ok 1 - msgfmt --check accepts $po"
else
  echo "not ok 1 - msgfmt --check rejects $po"
  sed 's/^/# /' "$tmp/stats"
  failed=$((failed + 1))
fi

# 2. No fuzzy and no untranslated entries. msgfmt prints e.g.
#    "120 translated messages, 2 fuzzy translations, 3 untranslated messages."
stats=$(tr '\n' ' ' <"$tmp/stats")
fuzzy=$(echo "$stats" | grep -oE '[0-9]+ fuzzy' | grep -oE '[0-9]+' || true)
untranslated=$(echo "$stats" | grep -oE '[0-9]+ untranslated' | grep -oE '[0-9]+' || true)
if [ -z "$fuzzy$untranslated" ]; then
  echo "ok 2 - no fuzzy or untranslated entries ($stats)"
else
  echo "not ok 2 - ${fuzzy:-0} fuzzy and ${untranslated:-0} untranslated entries in $po"
  msgattrib --only-fuzzy --no-wrap "$po" 2>/dev/null | grep -E '^msgid ' | sed 's/^/# fuzzy: /'
  msgattrib --untranslated --no-wrap "$po" 2>/dev/null | grep -E '^msgid ' | grep -v '^msgid ""$' |
    sed 's/^/# untranslated: /'
  failed=$((failed + 1))
fi

# 3. No cedilla letters in translations (msgstr lines and their continuation lines).
msgcat --no-wrap "$po" >"$tmp/ro.po" 2>/dev/null || cp "$po" "$tmp/ro.po"
# ş ţ Ş Ţ (U+015F U+0163 U+015E U+0162) and s t S T followed by U+0327.
cedilla_re=$'\xc5\x9f|\xc5\xa3|\xc5\x9e|\xc5\xa2|[sStT]\xcc\xa7'
cedilla=$(LC_ALL=C awk -v re="$cedilla_re" '
  /^msgstr/ { in_str = 1 }
  /^(msgid|msgctxt|#)/ { in_str = 0 }
  in_str && $0 ~ re { print NR ": " $0 }
' "$tmp/ro.po")
if [ -z "$cedilla" ]; then
  echo "ok 3 - translations use comma-below ș ț, never cedilla ş ţ"
else
  echo "not ok 3 - cedilla ş ţ Ş Ţ in translations (use ș ț Ș Ț)"
  echo "$cedilla" | sed 's/^/# /'
  failed=$((failed + 1))
fi

# 4. Every message extracted from the sources has a translation. xgettext picks the
#    language per file (C, Glade/GtkBuilder for .ui, Desktop, ITS rules for the metainfo
#    and the GSettings schema), with the keywords of meson's glib preset.
grep -vE '^[[:space:]]*(#|$)' po/POTFILES.in >"$tmp/files"
missing_files=""
while read -r f; do
  [ -f "$f" ] || missing_files="$missing_files $f"
done <"$tmp/files"
if [ -n "$missing_files" ]; then
  echo "not ok 4 - files listed in po/POTFILES.in do not exist:$missing_files"
  failed=$((failed + 1))
elif ! xgettext --from-code=UTF-8 --add-comments --package-name=teren \
       --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
       --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
       --keyword=ngettext:1,2 --keyword=g_dngettext:2,3 \
       --files-from="$tmp/files" -o "$tmp/teren.pot" 2>"$tmp/xgettext.err"; then
  echo "not ok 4 - xgettext failed on the files of po/POTFILES.in"
  sed 's/^/# /' "$tmp/xgettext.err"
  failed=$((failed + 1))
elif [ ! -f "$tmp/teren.pot" ]; then
  echo "ok 4 - no translatable messages in the sources yet"
else
  # Merge the translations into the template without fuzzy matching: whatever stays
  # untranslated or fuzzy there is a message of the sources that ro.po does not translate.
  if ! msgmerge --quiet --no-fuzzy-matching --no-wrap -o "$tmp/merged.po" "$po" "$tmp/teren.pot" \
       2>"$tmp/msgmerge.err"; then
    echo "not ok 4 - msgmerge failed"
    sed 's/^/# /' "$tmp/msgmerge.err"
    failed=$((failed + 1))
  else
    msgattrib --untranslated --no-wrap --no-obsolete "$tmp/merged.po" >"$tmp/untr.po" 2>/dev/null
    msgattrib --only-fuzzy --no-wrap --no-obsolete "$tmp/merged.po" >"$tmp/fuzzy.po" 2>/dev/null
    missing=$(cat "$tmp/untr.po" "$tmp/fuzzy.po" | grep -E '^(msgctxt|msgid) ' | grep -v '^msgid ""$' || true)
    total=$(grep -c '^msgid ' "$tmp/teren.pot")
    if [ -z "$missing" ]; then
      echo "ok 4 - all $((total - 1)) messages of the sources are translated in $po"
    else
      echo "not ok 4 - $(echo "$missing" | grep -c '^msgid') of $((total - 1)) messages of the sources are not translated in $po"
      echo "$missing" | sed 's/^/# /'
      failed=$((failed + 1))
    fi
  fi
fi

[ $failed -eq 0 ]
