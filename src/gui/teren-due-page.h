/* teren-due-page.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "teren-store.h"

G_BEGIN_DECLS

#define TEREN_TYPE_DUE_PAGE (teren_due_page_get_type ())

G_DECLARE_FINAL_TYPE (TerenDuePage, teren_due_page, TEREN, DUE_PAGE, GtkWidget)

/* The Due page (issue 5 "Due items"): what is overdue, due this week and this month across
 * the lines (teren_store_due_items, computed on a worker thread), in three sections,
 * sortable, filtered by line and worker. "n-overdue" counts the overdue items of every
 * line and worker (the sidebar badge). Activating an item emits "open-record"
 * (const char *record_id, const char *kind). */
TerenDuePage *teren_due_page_new            (TerenStore   *store);
/* For tests and for a day change: the day the items are computed for (default today). */
void          teren_due_page_set_today      (TerenDuePage *self,
                                             const GDate  *today);
void          teren_due_page_reload         (TerenDuePage *self);
gboolean      teren_due_page_get_loading    (TerenDuePage *self);
guint         teren_due_page_get_n_overdue  (TerenDuePage *self);
/* @line, @worker: (nullable): %NULL for all. */
void          teren_due_page_set_line       (TerenDuePage *self,
                                             const char   *line);
void          teren_due_page_set_worker     (TerenDuePage *self,
                                             const char   *worker);
/* What the list shows, in order: section headers are "# <label>", items
 * "<title> — <subtitle>". (transfer full) */
GPtrArray    *teren_due_page_dump           (TerenDuePage *self);
/* Activates the @n-th item (not counting headers), as a click does. */
void          teren_due_page_activate_item  (TerenDuePage *self,
                                             guint         n);

G_END_DECLS
