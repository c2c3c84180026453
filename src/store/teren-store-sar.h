/* teren-store-sar.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "teren-store.h"

G_BEGIN_DECLS

/* Queries for a data-subject access request (GDPR art. 15, issue 7): which records
 * point at a record, and a record's local audit trail. */

/* Ids of the non-deleted records that hold @id in any of their reference fields, in
 * kind then title order. (transfer full) (element-type utf8) */
GPtrArray *teren_store_list_referencing (TerenStore  *self,
                                         const char  *id,
                                         GError     **error);

/* The local history of @record_id, oldest first: one object per change,
 * {"op", "fields" (the keys it touched, not their values), "author", "at", "source",
 * "change_id"}. Empty when the store kept none. (transfer full) */
JsonArray *teren_store_list_history     (TerenStore  *self,
                                         const char  *record_id,
                                         GError     **error);

G_END_DECLS
