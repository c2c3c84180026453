/* teren-op.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* One operation of the op-log and of POST /push (SYNC.md). */

typedef enum {
  TEREN_OP_CREATE,
  TEREN_OP_UPDATE,
  TEREN_OP_DELETE,
} TerenOpType;

typedef struct {
  char        *change_id;    /* UUID */
  char        *prev_change;  /* nullable */
  char        *record_id;    /* UUID */
  char        *kind;
  char        *line;         /* "" for registry */
  TerenOpType  op;
  gint64       base_rev;     /* 0 for create */
  JsonObject  *patch;        /* never NULL; {} for delete */
  char        *author;
  char        *device_time;  /* ISO 8601 */
  GStrv        resolves;     /* nullable: sys.conflict ids this update resolves */
} TerenOp;

TerenOp     *teren_op_new            (void);
void         teren_op_free           (TerenOp     *op);
TerenOp     *teren_op_copy           (const TerenOp *op);

/* {"change_id","prev_change","record_id","kind","line","op","base_rev","patch","author",
 *  "device_time","resolves"?} (transfer full) */
JsonNode    *teren_op_to_json        (const TerenOp *op);

/* Strict parse: every member of the right type, ids are UUIDs, op is known, base_rev ≥ 0,
 * patch an object, strings valid UTF-8 and bounded. TEREN_ERROR_INVALID naming the member
 * on failure. Does not check the kind against the schema. */
TerenOp     *teren_op_new_from_json  (JsonNode    *node,
                                      GError     **error);

const char  *teren_op_type_to_string (TerenOpType  type);
gboolean     teren_op_type_from_string (const char *text,
                                        TerenOpType *out_type);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TerenOp, teren_op_free)

G_END_DECLS
