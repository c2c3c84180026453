/* teren-line-page.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "teren-store.h"

G_BEGIN_DECLS

#define TEREN_TYPE_LINE_PAGE (teren_line_page_get_type ())

G_DECLARE_FINAL_TYPE (TerenLinePage, teren_line_page, TEREN, LINE_PAGE, GtkWidget)

/* The cases of one service line (issue 5 "Each line's list"): status, next due item and
 * last visit of each case (teren_store_line_cases, read on a worker thread), filters for
 * status and worker, a search over the persons reusing the registry index, and "New
 * Case" (action "line.new-case").
 *
 * Signals: "open-case" (const char *case_id), "new-case" (const char *line). */
TerenLinePage *teren_line_page_new          (TerenStore    *store);
void           teren_line_page_set_line     (TerenLinePage *self,
                                             const char    *line);
const char    *teren_line_page_get_line     (TerenLinePage *self);
/* @status: (nullable): a case_status code, %NULL for the open cases. */
void           teren_line_page_set_status   (TerenLinePage *self,
                                             const char    *status);
/* @worker: (nullable): a case manager, %NULL for everyone. */
void           teren_line_page_set_worker   (TerenLinePage *self,
                                             const char    *worker);
void           teren_line_page_reload       (TerenLinePage *self);
gboolean       teren_line_page_get_loading  (TerenLinePage *self);
/* The case ids shown, in order (GtkStringObject items). (transfer none) */
GListModel    *teren_line_page_get_model    (TerenLinePage *self);
/* What row @position shows: "<title>" and "<status · next due · last visit>".
 * (transfer none) */
const char    *teren_line_page_get_row_title    (TerenLinePage *self,
                                                 guint          position);
const char    *teren_line_page_get_row_subtitle (TerenLinePage *self,
                                                 guint          position);
GtkSearchEntry *teren_line_page_get_search_entry (TerenLinePage *self);
GtkListView   *teren_line_page_get_list_view (TerenLinePage *self);
/* The referrals other lines sent, waiting for this line's answer (one row each). */
GtkListBox    *teren_line_page_get_referrals_list (TerenLinePage *self);

G_END_DECLS
