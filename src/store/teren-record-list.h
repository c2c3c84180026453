/* teren-record-list.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "teren-store.h"

G_BEGIN_DECLS

/* A lazy GListModel of TerenRecord over a store query: it holds the matching ids only and
 * makes a TerenRecord when an item is asked for (a small cache keeps recent ones), so a
 * list of 100,000 persons costs ids, not objects. */

#define TEREN_TYPE_RECORD_LIST (teren_record_list_get_type ())

G_DECLARE_FINAL_TYPE (TerenRecordList, teren_record_list, TEREN, RECORD_LIST, GObject)

/* @kinds: NULL-terminated kinds shown (e.g. {"person", "household", NULL}). Starts empty;
 * call teren_record_list_set_query() (even with "") to fill it. */
TerenRecordList *teren_record_list_new        (TerenStore         *store,
                                               const char * const *kinds);

/* Runs the search on the store's worker and replaces the items when it finishes (one
 * items-changed); a newer query cancels an older one. "query" property; "loading"
 * property TRUE while a query runs. */
void             teren_record_list_set_query  (TerenRecordList    *self,
                                               const char         *query);
const char      *teren_record_list_get_query  (TerenRecordList    *self);
gboolean         teren_record_list_get_loading (TerenRecordList   *self);

/* Id at @position without making the record. (transfer none) */
const char      *teren_record_list_get_id     (TerenRecordList    *self,
                                               guint               position);

G_END_DECLS
