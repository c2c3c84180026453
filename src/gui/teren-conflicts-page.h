/* teren-conflicts-page.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "teren-inbox-page.h"
#include "teren-store.h"

G_BEGIN_DECLS

#define TEREN_TYPE_CONFLICTS_PAGE (teren_conflicts_page_get_type ())

G_DECLARE_FINAL_TYPE (TerenConflictsPage, teren_conflicts_page, TEREN, CONFLICTS_PAGE, TerenInboxPage)

/* The conflict inbox (issue 4): every open conflict item of the store, one
 * TerenConflictView each. A choice is saved as an ordinary change
 * (teren_store_resolve_conflict, on a worker thread) and synced like any edit. Reloads
 * when the store's records or op-log change.
 *
 * Signals: "open-record" (const char *id), "add-toast" (AdwToast *), "resolved"
 * (const char *record_id): a resolution was saved (the window asks for a sync). */
TerenConflictsPage *teren_conflicts_page_new        (TerenStore         *store);
void                teren_conflicts_page_reload     (TerenConflictsPage *self);
gboolean            teren_conflicts_page_get_loading (TerenConflictsPage *self);
/* The items shown, oldest first. (transfer container) (element-type TerenConflictView) */
GPtrArray          *teren_conflicts_page_get_views  (TerenConflictsPage *self);
guint               teren_conflicts_page_get_n_items (TerenConflictsPage *self);

G_END_DECLS
