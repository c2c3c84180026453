/* teren-merge.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "teren-schema.h"

G_BEGIN_DECLS

/* Field-level three-way merge, SYNC.md "Merge rules", shared by server and client.
 *
 * Patches: a JSON object of changed fields; null clears a field; a multi-choice field is
 * either a whole array (replace) or {"$add": [...], "$remove": [...]} (set merge). */

typedef enum {
  TEREN_MERGE_APPLIED,   /* no server change since base */
  TEREN_MERGE_MERGED,    /* server changed other fields, or the same to equal values */
  TEREN_MERGE_CONFLICT,  /* some fields clash; the others are applied */
} TerenMergeStatus;

typedef struct {
  char     *field;
  JsonNode *base;     /* value at base (null node if absent) */
  JsonNode *server;   /* current server value, kept */
  JsonNode *local;    /* the patch's value, not applied */
} TerenMergeConflict;

void teren_merge_conflict_free (TerenMergeConflict *conflict);

/**
 * teren_merge_patch:
 * @kind: (nullable): the kind, to know which fields are multi-choice
 * @base: fields at the operation's base revision
 * @current: current server fields
 * @server_changed: (element-type utf8 utf8): set of field keys changed on the server since
 *   the base, not by the operation's own prev_change chain (empty set = nothing changed)
 * @patch: the operation's patch
 * @out_fields: (out) (transfer full): current + applied parts of @patch
 * @out_conflicts: (out) (transfer full) (element-type TerenMergeConflict): the clashes
 *
 * Returns: APPLIED when @server_changed is empty, MERGED when it is not but nothing
 *   clashes, CONFLICT when at least one field clashes
 */
TerenMergeStatus teren_merge_patch (const TerenKindDef  *kind,
                                    JsonObject          *base,
                                    JsonObject          *current,
                                    GHashTable          *server_changed,
                                    JsonObject          *patch,
                                    JsonObject         **out_fields,
                                    GPtrArray          **out_conflicts);

/* Applies @patch onto @fields in place, no conflict detection (client fold: current = base
 * + pending ops). Set operations are applied as sets. */
void             teren_merge_apply_patch (const TerenKindDef *kind,
                                          JsonObject         *fields,
                                          JsonObject         *patch);

/* The patch that turns @old_fields into @new_fields: changed and added members, null for
 * removed ones, multi-choice as {"$add","$remove"}. Empty object if equal. (transfer full) */
JsonObject      *teren_merge_diff        (const TerenKindDef *kind,
                                          JsonObject         *old_fields,
                                          JsonObject         *new_fields);

/* Field keys touched by @patch, sorted. (transfer full) */
GPtrArray       *teren_merge_patch_keys  (JsonObject         *patch);

const char      *teren_merge_status_to_string (TerenMergeStatus status);

/* Record-level conflicts of SYNC.md, decided before any field merge. Returns
 * "edit_on_deleted" for an update of a record deleted since the base (not by the
 * operation's own chain: the record stays deleted, the patch goes into the conflict),
 * "delete_vs_edit" for a delete when @server_changed is not empty (the record is not
 * deleted), or %NULL when the operation proceeds (a delete of an already deleted record
 * is convergent). */
const char      *teren_merge_record_conflict (gboolean     is_delete,
                                              gboolean     deleted_since_base,
                                              GHashTable  *server_changed);

/* The kind of the server's conflict records (SYNC.md), kept in the conflicted record's
 * line. Not in the schema registry: its values are arbitrary JSON. */
#define TEREN_CONFLICT_KIND "sys.conflict"

/**
 * teren_merge_conflict_fields:
 * @record_id: the conflicted record
 * @record_kind: its kind
 * @reason: "field", "edit_on_deleted" or "delete_vs_edit"
 * @change_id: (nullable): the operation that clashed
 * @author: (nullable): who sent it
 * @conflicts: (nullable) (element-type TerenMergeConflict): the clashing fields
 * @patch: (nullable): the operation's whole patch (kept for record-level conflicts)
 *
 * The fields of a `sys.conflict` record, one shape for server and clients:
 * {"record", "record_kind", "reason", "change_id", "author", "status": "open",
 *  "fields": [{"field", "base", "server", "local"}…], "patch"?}. The server adds who set
 * the server's values and when: "server_by"/"server_at" per item and for the whole
 * conflict (teren-server-sqlite-push.c); @author is the one whose change did not go in.
 *
 * Returns: (transfer full): a new object
 */
JsonObject      *teren_merge_conflict_fields (const char  *record_id,
                                              const char  *record_kind,
                                              const char  *reason,
                                              const char  *change_id,
                                              const char  *author,
                                              GPtrArray   *conflicts,
                                              JsonObject  *patch);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TerenMergeConflict, teren_merge_conflict_free)

G_END_DECLS
