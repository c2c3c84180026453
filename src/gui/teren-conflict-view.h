/* teren-conflict-view.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "teren-store-sync.h"

G_BEGIN_DECLS

#define TEREN_TYPE_CONFLICT_VIEW (teren_conflict_view_get_type ())

G_DECLARE_FINAL_TYPE (TerenConflictView, teren_conflict_view, TEREN, CONFLICT_VIEW, AdwPreferencesGroup)

/* One conflict item of the inbox (issue 4): the field's label, its value before both
 * changes, the server's value and this laptop's value, each with who changed it and when.
 * The worker keeps one of them or types a new value in a field editor of the schema;
 * "resolve" (const char *item_id, JsonNode *value) asks the page to save that choice as an
 * ordinary change. "open-record" (const char *id) opens the record. */
TerenConflictView   *teren_conflict_view_new          (TerenConflict     *conflict,
                                                       const char        *record_title);
const TerenConflict *teren_conflict_view_get_conflict (TerenConflictView *self);
/* The texts shown for the base, server and local values (for tests). */
const char          *teren_conflict_view_get_value_text (TerenConflictView *self,
                                                         const char        *which);
/* As the buttons do. */
void                 teren_conflict_view_keep_server  (TerenConflictView *self);
void                 teren_conflict_view_keep_local   (TerenConflictView *self);
/* The field editor for a new value, or %NULL for a record-level conflict. */
GtkWidget           *teren_conflict_view_get_editor   (TerenConflictView *self);
void                 teren_conflict_view_use_edited   (TerenConflictView *self);

G_END_DECLS
