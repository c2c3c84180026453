/* teren-choice-picker.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "teren-nomenclature.h"

G_BEGIN_DECLS

#define TEREN_TYPE_CHOICE_PICKER (teren_choice_picker_get_type ())

G_DECLARE_FINAL_TYPE (TerenChoicePicker, teren_choice_picker, TEREN, CHOICE_PICKER, GtkWidget)

/* Lists at least this long get the searchable picker in forms instead of a plain list. */
#define TEREN_CHOICE_PICKER_MIN_ITEMS 15

/* A choice in a long nomenclature (the community-health service catalogue…), searched as
 * you type: a button showing the choice; Enter or Space opens a popover with a search entry
 * and the list filtered by what is typed (every word a part of the label or of the code,
 * without regard to case or diacritics: "nutr", "ses_02", "tensiune"); Enter in the search
 * takes the first match, Down moves into the list, Enter there takes the row, Escape
 * closes. The list's first row (when nothing is typed) is "Not specified".
 *
 * "selected": 0 for none, else 1 + the item's index in the nomenclature (as the form's
 * combo rows count). */
TerenChoicePicker *teren_choice_picker_new          (const TerenNomenclature *nomenclature,
                                                     const char              *label);
guint              teren_choice_picker_get_selected (TerenChoicePicker       *self);
void               teren_choice_picker_set_selected (TerenChoicePicker       *self,
                                                     guint                    selected);
/* Opens the list (as Enter on the button does). */
void               teren_choice_picker_popup        (TerenChoicePicker       *self);
/* For tests (transfer none). */
GtkSearchEntry    *teren_choice_picker_get_search_entry (TerenChoicePicker   *self);
GtkListView       *teren_choice_picker_get_list_view    (TerenChoicePicker   *self);
/* The items shown now (filtered). */
GListModel        *teren_choice_picker_get_shown        (TerenChoicePicker   *self);

G_END_DECLS
