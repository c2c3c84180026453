#!/usr/bin/env bash
# forbidden-api.sh
#
# Copyright 2026 The Teren authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Fails when the GUI uses widgets that GTK 4.10 deprecated (the version macros do not catch
# them, STYLE-ANCHORS.md §4.5) or blocking *_sync calls, and when a layer below the GUI
# includes GTK or libadwaita. Comment lines are not checked.
set -u

root=${TEREN_SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$root" || { echo "Bail out! cannot enter $root"; exit 1; }

# Prints "file:line: text" for every match of the extended regex $1 in the folders that
# follow, leaving out lines that are comments (/* … */, * …, // …, <!-- … -->).
scan () {
  local pattern=$1
  shift
  local dirs=()
  for d in "$@"; do
    [ -e "$d" ] && dirs+=("$d")
  done
  [ ${#dirs[@]} -eq 0 ] && return 0
  grep -rnHE --include='*.c' --include='*.h' --include='*.ui' --include='*.xml' \
       --include='*.blp' --include=meson.build -e "$pattern" "${dirs[@]}" 2>/dev/null |
    grep -vE '^[^:]+:[0-9]+:[[:space:]]*(/\*|\*|//|<!--)'
}

n=0
failed=0
check () {
  local name=$1 pattern=$2
  shift 2
  local hits
  n=$((n + 1))
  hits=$(scan "$pattern" "$@")
  if [ -n "$hits" ]; then
    echo "not ok $n - $name"
    echo "$hits" | sed 's/^/# /'
    failed=$((failed + 1))
  else
    echo "ok $n - $name"
  fi
}

echo "1..5"
check "no widgets deprecated in GTK 4.10 in src/gui and ui/" \
  '\b(GtkTreeView|GtkTreeStore|GtkTreeModel|GtkListStore|GtkCellRenderer[A-Za-z]*|GtkComboBox|GtkComboBoxText|GtkEntryCompletion|GtkIconView|GtkDialog|GtkMessageDialog|GtkInfoBar|GtkStatusbar|GtkAssistant)\b' \
  src/gui ui
check "no deprecated widget functions in src/gui" \
  '\b(gtk_tree_view_[a-z_]+|gtk_tree_store_[a-z_]+|gtk_list_store_[a-z_]+|gtk_cell_renderer_[a-z_]+|gtk_combo_box_[a-z_]+|gtk_dialog_[a-z_]+|gtk_message_dialog_[a-z_]+|gtk_info_bar_[a-z_]+|gtk_statusbar_[a-z_]+|GTK_TYPE_(DIALOG|INFO_BAR|COMBO_BOX|TREE_VIEW|LIST_STORE))\b' \
  src/gui
check "no blocking _sync calls in src/gui" \
  '[A-Za-z0-9]_sync[[:space:]]*\(' \
  src/gui
check "no GTK or libadwaita in core, store, sync, server and cli" \
  '#[[:space:]]*include[[:space:]]*[<"](gtk/|gdk/|gsk/|adwaita\.h|libadwaita)' \
  src/core src/store src/sync src/server src/cli
check "no GTK or libadwaita dependency in the meson files below the GUI" \
  '\b(gtk_dep|adw_dep|teren_gui_dep)\b' \
  src/core/meson.build src/store/meson.build src/sync/meson.build src/server/meson.build src/cli/meson.build

[ $failed -eq 0 ]
