/* teren-quarantine-view.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "teren-store-sync.h"

G_BEGIN_DECLS

#define TEREN_TYPE_QUARANTINE_VIEW (teren_quarantine_view_get_type ())

G_DECLARE_FINAL_TYPE (TerenQuarantineView, teren_quarantine_view, TEREN, QUARANTINE_VIEW, AdwPreferencesGroup)

/* One operation the server refused (issue 4), with the server's reason, the changed
 * fields in editors of the schema (the server's message under each field it refused),
 * and Retry / Discard. An operation held behind a refused one only says so.
 *
 * Signals: "retry" (const char *change_id, JsonObject *fixed_patch_or_null),
 * "discard" (const char *change_id), "open-record" (const char *id). */
TerenQuarantineView    *teren_quarantine_view_new        (TerenQuarantined    *item,
                                                          const char          *record_title);
const TerenQuarantined *teren_quarantine_view_get_item   (TerenQuarantineView *self);
const char             *teren_quarantine_view_get_record_title (TerenQuarantineView *self);
/* The reason shown (the server's message). */
const char             *teren_quarantine_view_get_reason (TerenQuarantineView *self);
/* The editor of a changed field, or %NULL. (transfer none) */
GtkWidget              *teren_quarantine_view_get_editor (TerenQuarantineView *self,
                                                          const char          *key);
/* As the buttons do. */
void                    teren_quarantine_view_retry      (TerenQuarantineView *self);
void                    teren_quarantine_view_discard    (TerenQuarantineView *self);

G_END_DECLS
