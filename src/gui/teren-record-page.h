/* teren-record-page.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "teren-store.h"

G_BEGIN_DECLS

#define TEREN_TYPE_RECORD_PAGE (teren_record_page_get_type ())

G_DECLARE_FINAL_TYPE (TerenRecordPage, teren_record_page, TEREN, RECORD_PAGE, GtkWidget)

/* The page of one person or household: its fields, the households it belongs to (or
 * its members) and its cases, with buttons to edit it, add a membership and open a
 * case. Everything is read on a worker thread and reloaded when the store says the
 * record or its relations changed.
 *
 * Signals: "open-record" (const char *id), "edit-record" (TerenRecord *),
 * "new-record" (const char *kind, const char *key, const char *value): open a form for
 * a new record of kind with the reference field key prefilled with value;
 * "home-visit" (const char *household_id): the Home Visit… button of a household. */
TerenRecordPage *teren_record_page_new          (TerenStore      *store,
                                                 const char      *record_id);
const char      *teren_record_page_get_record_id (TerenRecordPage *self);
/* The record once loaded, else %NULL. */
TerenRecord     *teren_record_page_get_record   (TerenRecordPage *self);
gboolean         teren_record_page_get_loading  (TerenRecordPage *self);
/* Ids of the related records shown (households/members, then cases). (transfer none) */
GPtrArray       *teren_record_page_get_related_ids (TerenRecordPage *self);
GPtrArray       *teren_record_page_get_case_ids (TerenRecordPage *self);

/* The record's sync state (synced, waiting, in conflict, refused) and its sentence. */
TerenRecordSyncState teren_record_page_get_sync_state (TerenRecordPage *self);
const char      *teren_record_page_get_sync_text (TerenRecordPage *self);

G_END_DECLS
