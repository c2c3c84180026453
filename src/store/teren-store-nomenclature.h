/* teren-store-nomenclature.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "teren-store.h"
#include "teren-vitals.h"

G_BEGIN_DECLS

/* The server-managed lists (SIRUTA, ICD-10, any KIND the admin imported with
 * `teren-server nomenclature import`) as pulled from GET /nomenclatures (SYNC.md), kept in
 * the store's table `nomenclature` with their own cursor. */

/* Applies one page: @items are the answer's objects {"kind","code","seq","deleted",
 * "name",…}; a deleted item is removed. @cursor (may be NULL) is kept for the next
 * request. One transaction. */
gboolean    teren_store_nomenclature_apply      (TerenStore   *self,
                                                 JsonArray    *items,
                                                 const char   *cursor,
                                                 GError      **error);
/* The cursor of the last page applied, or NULL. (transfer full) */
char       *teren_store_nomenclature_get_cursor (TerenStore   *self);
/* Forgets the cursor (the server did not know it): the next pull starts over. */
gboolean    teren_store_nomenclature_reset_cursor (TerenStore *self,
                                                   GError    **error);
/* How many entries the list @kind holds. */
guint       teren_store_nomenclature_count      (TerenStore   *self,
                                                 const char   *kind);
/* The entry {"code","name",…} of @kind, or NULL. (transfer full) */
JsonObject *teren_store_nomenclature_get        (TerenStore   *self,
                                                 const char   *kind,
                                                 const char   *code);

/* Every entry of the list @kind, in code order: JsonObject {"code","name",…}. Empty when
 * none was pulled; NULL with @error when the store cannot be read. (transfer full) */
GPtrArray  *teren_store_nomenclature_list       (TerenStore   *self,
                                                 const char   *kind,
                                                 GError      **error);

/* Whether @code (or the same without its dot, as lists often write "E119") is in the
 * pulled ICD-10 list; TEREN_ICD10_NO_LIST when none was pulled. */
TerenIcd10Lookup teren_store_icd10_lookup       (TerenStore   *self,
                                                 const char   *code);

/* Makes @self's ICD-10 list the validator's lookup (teren_health_set_icd10_lookup): every
 * save then refuses a diagnosis missing from it. teren_store_open() calls it; the last
 * store opened in a process is the one used, and its finalization removes it. Not
 * thread-safe: call it before validating. */
void        teren_store_install_icd10_lookup    (TerenStore   *self);
void        teren_store_uninstall_icd10_lookup  (TerenStore   *self);

G_END_DECLS
