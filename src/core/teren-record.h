/* teren-record.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TEREN_TYPE_RECORD (teren_record_get_type ())

G_DECLARE_FINAL_TYPE (TerenRecord, teren_record, TEREN, RECORD, GObject)

/* A record (DESIGN.md "Records"): id, kind, line, rev, fields, deleted, timestamps, author.
 * Properties: "id", "kind", "line", "rev", "deleted", "created-at", "updated-at",
 * "created-by", "updated-by" (read-only after construction except rev/deleted/updated-*);
 * "fields" (construct-only: the object is kept, not copied); "title" (derived from the
 * schema, notified when fields change). */

/* A new record with a fresh UUID, rev 0, empty fields, created now. */
TerenRecord *teren_record_new            (const char  *kind,
                                          const char  *line,
                                          const char  *author);

/* A record as stored. @fields is copied (transfer none). */
TerenRecord *teren_record_new_full       (const char  *id,
                                          const char  *kind,
                                          const char  *line,
                                          gint64       rev,
                                          JsonObject  *fields,
                                          gboolean     deleted,
                                          const char  *created_at,
                                          const char  *updated_at,
                                          const char  *created_by,
                                          const char  *updated_by);

/* The same, taking @fields (transfer full; nullable): the record keeps that object, so the
 * caller must not use it afterwards. For readers that parse a row's fields for the record. */
TerenRecord *teren_record_new_take       (const char  *id,
                                          const char  *kind,
                                          const char  *line,
                                          gint64       rev,
                                          JsonObject  *fields,
                                          gboolean     deleted,
                                          const char  *created_at,
                                          const char  *updated_at,
                                          const char  *created_by,
                                          const char  *updated_by);

const char  *teren_record_get_id         (TerenRecord *self);
const char  *teren_record_get_kind       (TerenRecord *self);
const char  *teren_record_get_line       (TerenRecord *self);   /* "" for registry */
gint64       teren_record_get_rev        (TerenRecord *self);
void         teren_record_set_rev        (TerenRecord *self,
                                          gint64       rev);
gboolean     teren_record_get_deleted    (TerenRecord *self);
void         teren_record_set_deleted    (TerenRecord *self,
                                          gboolean     deleted);
const char  *teren_record_get_created_at (TerenRecord *self);
const char  *teren_record_get_updated_at (TerenRecord *self);
const char  *teren_record_get_created_by (TerenRecord *self);
const char  *teren_record_get_updated_by (TerenRecord *self);
void         teren_record_touch          (TerenRecord *self,
                                          const char  *updated_at,
                                          const char  *updated_by);

/* The fields object, owned by the record (transfer none). Do not modify it directly;
 * use the setters so "title" is notified. */
JsonObject  *teren_record_get_fields     (TerenRecord *self);
/* Replaces all fields with a copy of @fields. */
void         teren_record_set_fields     (TerenRecord *self,
                                          JsonObject  *fields);

/* Convenience accessors; NULL/0/FALSE when absent, null or of another type. */
const char  *teren_record_get_string     (TerenRecord *self,
                                          const char  *key);
gint64       teren_record_get_int        (TerenRecord *self,
                                          const char  *key);
gboolean     teren_record_get_bool       (TerenRecord *self,
                                          const char  *key);
void         teren_record_set_string     (TerenRecord *self,
                                          const char  *key,
                                          const char  *value);   /* NULL removes */
void         teren_record_set_member     (TerenRecord *self,
                                          const char  *key,
                                          JsonNode    *value);   /* transfer none; NULL removes */

/* Title from the schema (teren_schema_record_title). (transfer none) */
const char  *teren_record_get_title      (TerenRecord *self);

/* {"id","kind","line","rev","deleted","fields","created_at","updated_at","created_by",
 *  "updated_by"} (transfer full) */
JsonNode    *teren_record_to_json        (TerenRecord *self);
/* Parses the object above; FALSE-y (NULL) with TEREN_ERROR_BAD_JSON if a member is
 * missing or of the wrong type. */
TerenRecord *teren_record_new_from_json  (JsonNode    *node,
                                          GError     **error);

TerenRecord *teren_record_copy           (TerenRecord *self);

G_END_DECLS
