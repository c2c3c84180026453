/* teren-store-sync.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "teren-cnp.h"
#include "teren-error.h"
#include "teren-json.h"
#include "teren-merge.h"
#include "teren-schema.h"
#include "teren-store-blobs.h"
#include "teren-store-private.h"
#include "teren-store-sync.h"
#include "teren-text.h"
#include "teren-uuid.h"

/* The store's side of sync (SYNC.md): push batches and answers, pull pages, conflicts,
 * quarantine, revocation. Each writing function is one transaction on the writer, and
 * everything it is given is checked before the transaction starts. Logs carry ids and
 * counts only, never field values. */

#define QUARANTINE_META_PREFIX "quarantine:"
#define PURGE_PENDING_META     "purge_pending"
#define REOFFER_META           "reoffer_archive"
#define EPOCH_REPORT_META      "epoch_report"

/* ---- Small helpers -------------------------------------------------------------------- */

static gboolean
bad_json (GError     **error,
          const char  *what)
{
  g_set_error (error, TEREN_ERROR, TEREN_ERROR_BAD_JSON,
               _("The server’s answer is not valid (%s)"), what);
  return FALSE;
}

static gboolean
member_is (JsonObject  *object,
           const char  *member,
           JsonNodeType type)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_TYPE (node) == type;
}

static gboolean
member_is_int (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_INT64;
}

static gboolean
member_is_string (JsonObject *object,
                  const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
member_is_optional_string (JsonObject *object,
                           const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node == NULL || JSON_NODE_HOLDS_NULL (node) || member_is_string (object, member);
}

static char *
node_to_string (JsonNode *node)
{
  if (node == NULL)
    return g_strdup ("null");
  return teren_json_to_string (node);
}

static JsonNode *
string_to_node (const char *text)
{
  JsonNode *node = NULL;

  if (text != NULL)
    node = teren_json_parse (text, -1, TEREN_JSON_MAX_DEPTH, NULL);
  if (node == NULL)
    node = json_node_new (JSON_NODE_NULL);
  return node;
}

static gint64
query_int (TerenDb    *db,
           const char *sql,
           const char *param)
{
  sqlite3_stmt *stmt = teren_db_prepare (db, sql, NULL);
  gint64 value = 0;

  if (stmt == NULL)
    return 0;
  if (param != NULL)
    teren_db_bind_text (stmt, 1, param);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

/* ---- Meta ----------------------------------------------------------------------------- */

char *
teren_store_sync_get_meta (TerenStore *self,
                           const char *key)
{
  TerenDb *db;
  char *value;

  g_return_val_if_fail (TEREN_IS_STORE (self), NULL);

  db = teren_store_acquire_reader (self, NULL);
  value = teren_db_get_meta (db, key);
  teren_store_release_reader (self, db);
  return value;
}

static gboolean
delete_meta (TerenDb     *db,
             const char  *key,
             GError     **error)
{
  static const char sql[] = "DELETE FROM sync_meta WHERE key = ?1";

  return teren_db_run_with_text (db, sql, key, error);
}

gboolean
teren_store_sync_set_meta (TerenStore  *self,
                           const char  *key,
                           const char  *value,
                           GError     **error)
{
  TerenDb *db;
  gboolean ok;

  g_return_val_if_fail (TEREN_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  db = teren_store_lock_writer (self);
  if (value == NULL)
    ok = delete_meta (db, key, error);
  else
    ok = teren_db_set_meta (db, key, value, error);
  teren_store_unlock_writer (self);
  return ok;
}

char *
teren_store_sync_get_cursor (TerenStore *self)
{
  return teren_store_sync_get_meta (self, TEREN_SYNC_META_CURSOR);
}

/* ---- Current records: base + pending operations ------------------------------------- */

typedef struct {
  gboolean    exists;
  char       *kind;
  char       *line;
  gint64      rev;
  gint64      seq;
  gboolean    deleted;
  JsonObject *fields;
  char       *updated_by;
  char       *updated_at;
  const char *fields_json;   /* borrowed: @fields as just written to base, or NULL */
} BaseRow;

static void
base_row_clear (BaseRow *row)
{
  g_clear_pointer (&row->kind, g_free);
  g_clear_pointer (&row->line, g_free);
  g_clear_pointer (&row->fields, json_object_unref);
  g_clear_pointer (&row->updated_by, g_free);
  g_clear_pointer (&row->updated_at, g_free);
  row->exists = FALSE;
}

static gboolean
read_base (TerenDb     *db,
           const char  *id,
           BaseRow     *row,
           GError     **error)
{
  static const char sql[] =
    "SELECT kind, line, rev, seq, deleted, fields, updated_by, updated_at FROM base WHERE id = ?1";
  sqlite3_stmt *stmt = teren_db_prepare (db, sql, error);
  int rc;

  memset (row, 0, sizeof *row);
  if (stmt == NULL)
    return FALSE;
  teren_db_bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      row->exists = TRUE;
      row->kind = teren_db_column_dup (stmt, 0);
      row->line = teren_db_column_dup (stmt, 1);
      row->rev = sqlite3_column_int64 (stmt, 2);
      row->seq = sqlite3_column_int64 (stmt, 3);
      row->deleted = sqlite3_column_int (stmt, 4) != 0;
      row->fields = teren_json_parse_object ((const char *) sqlite3_column_text (stmt, 5), -1,
                                             TEREN_JSON_MAX_DEPTH, NULL);
      if (row->fields == NULL)
        row->fields = json_object_new ();
      row->updated_by = teren_db_column_dup (stmt, 6);
      row->updated_at = teren_db_column_dup (stmt, 7);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      teren_db_set_error (db, rc, error);
      return FALSE;
    }
  return TRUE;
}

/* The attachments @fields_json (a record's fields, valid JSON) refers to become known in
 * `blob`, as remote only unless their bytes are here; the state of one already known is
 * kept. (Was a trigger on base; its statement journal cost every base row written.) */
static gboolean
note_blobs (TerenDb     *db,
            const char  *fields_json,
            GError     **error)
{
  static const char sql[] =
    "INSERT INTO blob (ref, size, mime, state, created_at)"
    "  SELECT x.ref, max (x.size), max (x.mime), 2, strftime ('%Y-%m-%dT%H:%M:%SZ', 'now') FROM ("
    "    SELECT json_extract (e.value, '$.blob') AS ref,"
    "           coalesce (json_extract (e.value, '$.size'), 0) AS size,"
    "           coalesce (json_extract (e.value, '$.mime'), '') AS mime"
    "    FROM json_each (?1) f,"
    "         json_each (CASE WHEN f.type = 'array' THEN f.value ELSE '[]' END) e"
    "    WHERE e.type = 'object' AND json_type (e.value, '$.blob') = 'text') AS x"
    "  WHERE x.ref GLOB 'sha256:*' AND length (x.ref) = 71"
    "    AND NOT EXISTS (SELECT 1 FROM blob b WHERE b.ref = x.ref)"
    "  GROUP BY x.ref";

  if (strstr (fields_json, "sha256:") == NULL)
    return TRUE;
  return teren_db_run_with_text (db, sql, fields_json, error);
}

/* Writes the base of @id over @old (as read before; its digest entry is replaced), and
 * notes the attachments its fields refer to. */
static gboolean
write_base (TerenDb        *db,
            const BaseRow  *old,
            const char     *id,
            const char     *kind,
            const char     *line,
            gint64          rev,
            gint64          seq,
            gboolean        deleted,
            JsonObject     *fields,
            const char     *fields_json,
            const char     *updated_by,
            const char     *updated_at,
            char          **out_json,
            GError        **error)
{
  static const char sql[] =
    "INSERT INTO base (id, kind, line, rev, seq, deleted, fields, updated_by, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
    "ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, line = excluded.line, "
    "  rev = excluded.rev, seq = excluded.seq, deleted = excluded.deleted, "
    "  fields = excluded.fields, updated_by = excluded.updated_by, "
    "  updated_at = excluded.updated_at";
  sqlite3_stmt *stmt = teren_db_prepare (db, sql, error);
  g_autofree char *json = NULL;

  if (stmt == NULL)
    return FALSE;
  /* @fields_json: @fields already serialised (off the writer, for a pull page). */
  if (fields_json == NULL)
    fields_json = json = fields != NULL ? teren_json_object_to_string (fields) : g_strdup ("{}");
  teren_db_bind_text (stmt, 1, id);
  teren_db_bind_text (stmt, 2, kind);
  teren_db_bind_text (stmt, 3, line != NULL ? line : "");
  sqlite3_bind_int64 (stmt, 4, rev);
  sqlite3_bind_int64 (stmt, 5, seq);
  sqlite3_bind_int (stmt, 6, deleted ? 1 : 0);
  teren_db_bind_text (stmt, 7, fields_json);
  teren_db_bind_text (stmt, 8, updated_by);
  teren_db_bind_text (stmt, 9, updated_at);
  if (!teren_db_run (db, stmt, error) ||
      !teren_store_digest_change (db, id, old->exists && !old->deleted, old->rev, !deleted, rev,
                                  error) ||
      !note_blobs (db, fields_json, error))
    return FALSE;
  if (out_json != NULL)
    *out_json = g_steal_pointer (&json);
  return TRUE;
}

/* Recomputes the record row of @id: its base with every operation still in the op-log
 * folded on top (quarantined and held ones too: they are the worker's edits, shown until
 * a person decides). No base and no operation: the row goes. */
static gboolean
recompute_current_from (TerenStore               *self,
                        TerenDb                  *db,
                        const char               *id,
                        const BaseRow            *known,
                        const TerenRecordDerived *derived,
                        gboolean                  fresh,
                        gboolean                  oplog,
                        GError                  **error)
{
  static const char sql_ops[] =
    "SELECT kind, line, op, patch, author, device_time FROM oplog WHERE record_id = ?1 ORDER BY n";
  static const char sql_row[] =
    "SELECT created_at, created_by, kind FROM record WHERE id = ?1";
  static const char sql_delete[] = "DELETE FROM record WHERE id = ?1";
  BaseRow base;
  g_autoptr(JsonObject) fields = NULL;
  g_autofree char *kind_name = NULL;
  g_autofree char *line = NULL;
  g_autofree char *created_at = NULL;
  g_autofree char *created_by = NULL;
  g_autofree char *updated_at = NULL;
  g_autofree char *updated_by = NULL;
  g_autofree char *fields_json = NULL;
  g_auto(TerenRecordDerived) own_derived = { 0 };
  const char *json_text;
  const TerenKindDef *kind = NULL;
  gboolean deleted;
  gboolean any = FALSE;
  sqlite3_stmt *stmt;
  gint64 rev;
  int rc;
  gboolean ok;

  /* The base just written by a pull page is passed in rather than read back. */
  if (known != NULL)
    base = *known;
  else if (!read_base (db, id, &base, error))
    return FALSE;

  if (base.exists && g_strcmp0 (base.kind, TEREN_CONFLICT_KIND) == 0)
    {
      if (known == NULL)
        base_row_clear (&base);
      return TRUE;
    }

  /* @fresh: a record never seen here, with no operation (a first pull): nothing to fold,
   * no row or index entry to replace. */
  if (fresh && base.exists)
    fields = json_object_ref (base.fields);
  else
    fields = base.exists ? teren_json_object_copy (base.fields) : json_object_new ();
  kind_name = g_strdup (base.kind);
  line = g_strdup (base.line);
  deleted = base.exists ? base.deleted : FALSE;
  rev = base.rev;
  updated_at = g_strdup (base.updated_at);
  updated_by = g_strdup (base.updated_by);
  any = base.exists;
  if (known == NULL)
    base_row_clear (&base);

  stmt = teren_db_prepare (db, sql_ops, error);
  if (stmt == NULL)
    return FALSE;
  teren_db_bind_text (stmt, 1, id);
  while ((rc = fresh ? SQLITE_DONE : sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *op = (const char *) sqlite3_column_text (stmt, 2);
      g_autoptr(JsonObject) patch = NULL;

      if (kind_name == NULL)
        kind_name = teren_db_column_dup (stmt, 0);
      if (line == NULL)
        line = teren_db_column_dup (stmt, 1);
      kind = teren_schema_lookup_kind (kind_name);
      patch = teren_json_parse_object ((const char *) sqlite3_column_text (stmt, 3), -1,
                                       TEREN_JSON_MAX_DEPTH, NULL);
      if (g_strcmp0 (op, "delete") == 0)
        deleted = TRUE;
      else if (patch != NULL)
        {
          if (g_strcmp0 (op, "create") == 0)
            deleted = FALSE;
          teren_merge_apply_patch (kind, fields, patch);
        }
      g_free (updated_by);
      updated_by = teren_db_column_dup (stmt, 4);
      g_free (updated_at);
      updated_at = teren_db_column_dup (stmt, 5);
      any = TRUE;
      /* Operations folded in: the fields are no longer those @derived was made of. */
      derived = NULL;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      teren_db_set_error (db, rc, error);
      return FALSE;
    }

  if (!any)
    {
      if (!teren_store_unindex_record (db, id, error) ||
          !teren_db_run_with_text (db, sql_delete, id, error))
        return FALSE;
      teren_store_queue_changed (self, id, "", oplog);
      return TRUE;
    }

  if (!fresh)
    {
      stmt = teren_db_prepare (db, sql_row, error);
      if (stmt == NULL)
        return FALSE;
      teren_db_bind_text (stmt, 1, id);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          created_at = teren_db_column_dup (stmt, 0);
          created_by = teren_db_column_dup (stmt, 1);
        }
      sqlite3_reset (stmt);
    }

  if (updated_at == NULL)
    updated_at = teren_now_iso8601 ();
  if (created_at == NULL)
    created_at = g_strdup (updated_at);
  if (created_by == NULL)
    created_by = g_strdup (updated_by != NULL ? updated_by : "");

  kind = teren_schema_lookup_kind (kind_name);
  if (kind == NULL)
    derived = NULL;
  else if (derived == NULL)
    {
      teren_store_derive_record (kind, fields, &own_derived);
      derived = &own_derived;
    }

  /* Fresh: the fields are the base's as just written, already serialised. */
  if (fresh && known != NULL && known->fields_json != NULL)
    json_text = known->fields_json;
  else
    json_text = fields_json = teren_json_object_to_string (fields);
  if (!teren_store_write_record_row (db, id, kind_name, line != NULL ? line : "", rev, deleted,
                                     json_text, derived != NULL ? derived->sort_key : "",
                                     created_at, updated_at, created_by,
                                     updated_by != NULL ? updated_by : "", error))
    return FALSE;

  if (deleted || kind == NULL)
    ok = fresh || teren_store_unindex_record (db, id, error);
  else
    ok = teren_store_index_record (db, kind, id, fields, derived, fresh, error);
  if (ok)
    teren_store_queue_changed (self, id, kind_name, oplog);
  return ok;
}

static gboolean
recompute_current (TerenStore  *self,
                   TerenDb     *db,
                   const char  *id,
                   gboolean     oplog,
                   GError     **error)
{
  return recompute_current_from (self, db, id, NULL, NULL, FALSE, oplog, error);
}

/* ---- Push ----------------------------------------------------------------------------- */

/* A damaged patch is sent as no change rather than blocking the queue. */
static TerenOp *
op_from_row (sqlite3_stmt *stmt)
{
  TerenOp *op = teren_store_op_from_row (stmt, NULL);

  if (op->patch == NULL)
    op->patch = json_object_new ();
  return op;
}

GPtrArray *
teren_store_sync_take_batch (TerenStore  *self,
                             guint        limit,
                             GError     **error)
{
  static const char sql_select[] =
    "SELECT change_id, prev_change, record_id, kind, line, op, base_rev, patch, author, "
    "  device_time, resolves "
    "FROM oplog WHERE state IN ('pending', 'in_flight') ORDER BY n LIMIT ?1";
  static const char sql_mark[] =
    "UPDATE oplog SET state = 'in_flight', attempts = attempts + 1 WHERE change_id = ?1";
  g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func ((GDestroyNotify) teren_op_free);
  g_autoptr(GError) local_error = NULL;
  TerenDb *db;
  sqlite3_stmt *stmt;
  int rc;
  guint i;

  g_return_val_if_fail (TEREN_IS_STORE (self), NULL);

  db = teren_store_lock_writer (self);
  if (!teren_store_tx_begin (self, db, error))
    {
      teren_store_unlock_writer (self);
      return NULL;
    }

  stmt = teren_db_prepare (db, sql_select, &local_error);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, limit > 0 ? (gint64) limit : -1);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (ops, op_from_row (stmt));
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        teren_db_set_error (db, rc, &local_error);
    }
  for (i = 0; local_error == NULL && i < ops->len; i++)
    {
      TerenOp *op = ops->pdata[i];

      teren_db_run_with_text (db, sql_mark, op->change_id, &local_error);
    }

  if (local_error != NULL)
    {
      teren_store_tx_rollback (self, db);
      teren_store_unlock_writer (self);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (!teren_store_tx_commit (self, db, error))
    {
      teren_store_unlock_writer (self);
      return NULL;
    }
  teren_store_unlock_writer (self);
  return g_steal_pointer (&ops);
}

gboolean
teren_store_sync_release_batch (TerenStore  *self,
                                GPtrArray   *ops,
                                GError     **error)
{
  static const char sql[] =
    "UPDATE oplog SET state = 'pending' WHERE change_id = ?1 AND state = 'in_flight'";
  g_autoptr(GError) local_error = NULL;
  TerenDb *db;
  guint i;

  g_return_val_if_fail (TEREN_IS_STORE (self), FALSE);

  if (ops == NULL || ops->len == 0)
    return TRUE;

  db = teren_store_lock_writer (self);
  if (!teren_store_tx_begin (self, db, error))
    {
      teren_store_unlock_writer (self);
      return FALSE;
    }
  for (i = 0; local_error == NULL && i < ops->len; i++)
    teren_db_run_with_text (db, sql, ((TerenOp *) ops->pdata[i])->change_id, &local_error);
  if (local_error != NULL)
    {
      teren_store_tx_rollback (self, db);
      teren_store_unlock_writer (self);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!teren_store_tx_commit (self, db, error))
    {
      teren_store_unlock_writer (self);
      return FALSE;
    }
  teren_store_unlock_writer (self);
  return TRUE;
}

typedef enum {
  RESULT_APPLIED,
  RESULT_MERGED,
  RESULT_CONFLICT,
  RESULT_REJECTED,
} ResultStatus;

/* One checked result. @object stays owned by the answer. */
typedef struct {
  ResultStatus  status;
  gboolean      duplicate;
  JsonObject   *object;   /* the effective result (the original one for a duplicate) */
  JsonObject   *record;   /* nullable */
  gint64        rev;
  gint64        seq;
} CheckedResult;

static gboolean
parse_status (const char   *text,
              ResultStatus *out)
{
  if (g_strcmp0 (text, "applied") == 0)
    *out = RESULT_APPLIED;
  else if (g_strcmp0 (text, "merged") == 0)
    *out = RESULT_MERGED;
  else if (g_strcmp0 (text, "conflict") == 0)
    *out = RESULT_CONFLICT;
  else if (g_strcmp0 (text, "rejected") == 0)
    *out = RESULT_REJECTED;
  else
    return FALSE;
  return TRUE;
}

/* A pulled or returned record: id, kind, rev > 0, fields object unless deleted. */
static gboolean
check_record (JsonObject  *record,
              const char  *expected_id,
              GError     **error)
{
  const char *id;

  if (!member_is_string (record, "id") || !member_is_string (record, "kind") ||
      !member_is_int (record, "rev"))
    return bad_json (error, "record id, kind or rev");
  id = json_object_get_string_member (record, "id");
  if (id[0] == '\0' || (expected_id != NULL && strcmp (id, expected_id) != 0))
    return bad_json (error, "record id");
  if (json_object_get_int_member (record, "rev") <= 0)
    return bad_json (error, "record rev");
  if (json_object_has_member (record, "fields") && !member_is (record, "fields", JSON_NODE_OBJECT) &&
      !member_is (record, "fields", JSON_NODE_NULL))
    return bad_json (error, "record fields");
  if (json_object_has_member (record, "deleted") && !member_is (record, "deleted", JSON_NODE_VALUE))
    return bad_json (error, "record deleted");
  if (!member_is_optional_string (record, "line") ||
      !member_is_optional_string (record, "updated_by") ||
      !member_is_optional_string (record, "updated_at"))
    return bad_json (error, "record strings");
  if (json_object_has_member (record, "seq") && !member_is_int (record, "seq"))
    return bad_json (error, "record seq");
  return TRUE;
}

static gboolean
check_result (JsonObject     *result,
              TerenOp        *op,
              CheckedResult  *out,
              GError        **error)
{
  const char *status;
  JsonObject *effective = result;

  memset (out, 0, sizeof *out);

  if (!member_is_string (result, "status"))
    return bad_json (error, "result status");
  if (json_object_has_member (result, "change_id") &&
      (!member_is_string (result, "change_id") ||
       g_strcmp0 (json_object_get_string_member (result, "change_id"), op->change_id) != 0))
    return bad_json (error, "result change id");

  status = json_object_get_string_member (result, "status");
  if (g_strcmp0 (status, "duplicate") == 0)
    {
      out->duplicate = TRUE;
      if (member_is (result, "original", JSON_NODE_OBJECT))
        {
          effective = json_object_get_object_member (result, "original");
          if (!member_is_string (effective, "status"))
            return bad_json (error, "original status");
          status = json_object_get_string_member (effective, "status");
        }
      else if (member_is_string (result, "original_status"))
        status = json_object_get_string_member (result, "original_status");
      else
        status = member_is (result, "record", JSON_NODE_OBJECT) || member_is_int (result, "rev")
                 ? "applied" : NULL;
    }
  if (!parse_status (status, &out->status))
    return bad_json (error, "result status");
  out->object = effective;

  if (member_is (effective, "record", JSON_NODE_OBJECT))
    {
      out->record = json_object_get_object_member (effective, "record");
      if (!check_record (out->record, op->record_id, error))
        return FALSE;
    }
  else if (member_is (result, "record", JSON_NODE_OBJECT))
    {
      out->record = json_object_get_object_member (result, "record");
      if (!check_record (out->record, op->record_id, error))
        return FALSE;
    }

  if (out->status != RESULT_REJECTED)
    {
      if (member_is_int (effective, "rev"))
        out->rev = json_object_get_int_member (effective, "rev");
      else if (member_is_int (result, "rev"))
        out->rev = json_object_get_int_member (result, "rev");
      else if (out->record != NULL)
        out->rev = json_object_get_int_member (out->record, "rev");
      if (out->rev <= 0)
        return bad_json (error, "result rev");
      if (member_is_int (effective, "seq"))
        out->seq = json_object_get_int_member (effective, "seq");
      else if (out->record != NULL && member_is_int (out->record, "seq"))
        out->seq = json_object_get_int_member (out->record, "seq");
    }

  if (out->status == RESULT_CONFLICT && json_object_has_member (effective, "conflicts"))
    {
      JsonArray *conflicts;
      guint i;

      if (!member_is (effective, "conflicts", JSON_NODE_ARRAY))
        return bad_json (error, "conflicts");
      conflicts = json_object_get_array_member (effective, "conflicts");
      for (i = 0; i < json_array_get_length (conflicts); i++)
        {
          JsonNode *item = json_array_get_element (conflicts, i);

          if (!JSON_NODE_HOLDS_OBJECT (item) ||
              !member_is_string (json_node_get_object (item), "field"))
            return bad_json (error, "conflict item");
        }
    }
  return TRUE;
}

static gboolean
archive_op (TerenDb        *db,
            TerenOp        *op,
            const char     *status,
            gint64          rev,
            JsonObject     *answer,
            const char     *now,
            GError        **error)
{
  static const char sql_archive[] =
    "INSERT OR REPLACE INTO op_archive (change_id, record_id, kind, line, op, base_rev, "
    "  prev_change, patch, author, device_time, status, rev, answer, archived_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
  static const char sql_delete[] = "DELETE FROM oplog WHERE change_id = ?1";
  /* The next operation on the record now builds on what the server acknowledged. */
  static const char sql_rebase[] =
    "UPDATE oplog SET prev_change = NULL, base_rev = ?2 WHERE record_id = ?3 AND prev_change = ?1";
  sqlite3_stmt *stmt = teren_db_prepare (db, sql_archive, error);
  g_autofree char *patch = NULL;
  g_autofree char *answer_json = NULL;

  if (stmt == NULL)
    return FALSE;
  patch = teren_json_object_to_string (op->patch);
  answer_json = answer != NULL ? teren_json_object_to_string (answer) : NULL;
  teren_db_bind_text (stmt, 1, op->change_id);
  teren_db_bind_text (stmt, 2, op->record_id);
  teren_db_bind_text (stmt, 3, op->kind);
  teren_db_bind_text (stmt, 4, op->line != NULL ? op->line : "");
  teren_db_bind_text (stmt, 5, teren_op_type_to_string (op->op));
  sqlite3_bind_int64 (stmt, 6, op->base_rev);
  teren_db_bind_text (stmt, 7, op->prev_change);
  teren_db_bind_text (stmt, 8, patch);
  teren_db_bind_text (stmt, 9, op->author != NULL ? op->author : "");
  teren_db_bind_text (stmt, 10, op->device_time != NULL ? op->device_time : now);
  teren_db_bind_text (stmt, 11, status);
  sqlite3_bind_int64 (stmt, 12, rev);
  teren_db_bind_text (stmt, 13, answer_json);
  teren_db_bind_text (stmt, 14, now);
  if (!teren_db_run (db, stmt, error) ||
      !teren_db_run_with_text (db, sql_delete, op->change_id, error))
    return FALSE;

  stmt = teren_db_prepare (db, sql_rebase, error);
  if (stmt == NULL)
    return FALSE;
  teren_db_bind_text (stmt, 1, op->change_id);
  sqlite3_bind_int64 (stmt, 2, rev);
  teren_db_bind_text (stmt, 3, op->record_id);
  return teren_db_run (db, stmt, error);
}

/* base := the returned record, or the old base with the patch folded at @rev. Never goes
 * back to an older rev (a pull may already have brought a newer one). */
static gboolean
update_base_from_result (TerenDb        *db,
                         TerenOp        *op,
                         CheckedResult  *result,
                         GError        **error)
{
  BaseRow base;
  gboolean ok;

  if (!read_base (db, op->record_id, &base, error))
    return FALSE;
  /* A base not yet confirmed in the server's new epoch (seq -1) takes the server's
   * revision of the same number: after a restore it may hold other content. */
  if (base.exists && (base.rev > result->rev || (base.rev == result->rev && base.seq >= 0)))
    {
      base_row_clear (&base);
      return TRUE;
    }

  if (result->record != NULL && result->rev == json_object_get_int_member (result->record, "rev"))
    {
      JsonObject *record = result->record;
      JsonObject *fields = member_is (record, "fields", JSON_NODE_OBJECT)
                           ? json_object_get_object_member (record, "fields") : NULL;
      JsonNode *deleted = json_object_get_member (record, "deleted");

      ok = write_base (db, &base, op->record_id, json_object_get_string_member (record, "kind"),
                       teren_json_get_string (record, "line", op->line),
                       result->rev,
                       teren_json_get_int (record, "seq", result->seq),
                       deleted != NULL && JSON_NODE_HOLDS_VALUE (deleted) &&
                       json_node_get_value_type (deleted) == G_TYPE_BOOLEAN &&
                       json_node_get_boolean (deleted),
                       fields, NULL,
                       teren_json_get_string (record, "updated_by", op->author),
                       teren_json_get_string (record, "updated_at", op->device_time),
                       NULL, error);
    }
  else
    {
      g_autoptr(JsonObject) fields = base.exists ? teren_json_object_copy (base.fields)
                                                 : json_object_new ();
      gboolean deleted = base.exists ? base.deleted : FALSE;

      if (op->op == TEREN_OP_DELETE)
        deleted = result->status != RESULT_CONFLICT ? TRUE : deleted;
      else if (result->status != RESULT_CONFLICT)
        teren_merge_apply_patch (teren_schema_lookup_kind (op->kind), fields, op->patch);
      else
        {
          /* Conflict without the record: apply the patch but keep the server's values of
           * the clashing fields. */
          JsonObject *effective = result->object;
          JsonArray *conflicts = member_is (effective, "conflicts", JSON_NODE_ARRAY)
                                 ? json_object_get_array_member (effective, "conflicts") : NULL;
          g_autoptr(JsonObject) patch = teren_json_object_copy (op->patch);
          guint i;

          for (i = 0; conflicts != NULL && i < json_array_get_length (conflicts); i++)
            {
              JsonObject *item = json_array_get_object_element (conflicts, i);
              const char *field = json_object_get_string_member (item, "field");
              JsonNode *server = json_object_get_member (item, "server");

              if (server != NULL && !JSON_NODE_HOLDS_NULL (server))
                json_object_set_member (patch, field, teren_json_node_copy (server));
              else
                json_object_set_null_member (patch, field);
            }
          if (conflicts != NULL)
            teren_merge_apply_patch (teren_schema_lookup_kind (op->kind), fields, patch);
        }

      ok = write_base (db, &base, op->record_id, op->kind, op->line, result->rev, result->seq, deleted,
                       fields, NULL, op->author, op->device_time, NULL, error);
    }
  base_row_clear (&base);
  return ok;
}

static gboolean
insert_conflict_item (TerenDb     *db,
                      const char  *conflict_id,
                      const char  *record_id,
                      const char  *change_id,
                      const char  *reason,
                      const char  *field,
                      JsonNode    *base,
                      JsonNode    *server,
                      JsonNode    *local,
                      const char  *server_by,
                      const char  *server_at,
                      const char  *state,
                      const char  *now,
                      GError     **error)
{
  static const char sql[] =
    "INSERT INTO conflict (id, record_id, change_id, reason, field, base, server, local, "
    "  server_by, server_at, state, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) "
    "ON CONFLICT (id) DO UPDATE SET state = CASE WHEN conflict.state = 'open' "
    "  THEN excluded.state ELSE conflict.state END";
  sqlite3_stmt *stmt = teren_db_prepare (db, sql, error);
  g_autofree char *id = g_strdup_printf ("%s#%s", conflict_id, field != NULL ? field : "");
  g_autofree char *base_json = node_to_string (base);
  g_autofree char *server_json = node_to_string (server);
  g_autofree char *local_json = node_to_string (local);

  if (stmt == NULL)
    return FALSE;
  teren_db_bind_text (stmt, 1, id);
  teren_db_bind_text (stmt, 2, record_id);
  teren_db_bind_text (stmt, 3, change_id);
  teren_db_bind_text (stmt, 4, reason != NULL ? reason : "field");
  teren_db_bind_text (stmt, 5, field != NULL ? field : "");
  teren_db_bind_text (stmt, 6, base_json);
  teren_db_bind_text (stmt, 7, server_json);
  teren_db_bind_text (stmt, 8, local_json);
  teren_db_bind_text (stmt, 9, server_by);
  teren_db_bind_text (stmt, 10, server_at);
  teren_db_bind_text (stmt, 11, state);
  teren_db_bind_text (stmt, 12, now);
  return teren_db_run (db, stmt, error);
}

/* Conflict items from a `conflict` answer or a pulled `sys.conflict` record's fields. */
static gboolean
store_conflict_items (TerenDb     *db,
                      const char  *conflict_id,
                      const char  *record_id,
                      const char  *change_id,
                      const char  *reason,
                      JsonArray   *items,
                      JsonObject  *patch,
                      const char  *server_by,
                      const char  *server_at,
                      const char  *now,
                      GError     **error)
{
  guint i, n = items != NULL ? json_array_get_length (items) : 0;

  if (n == 0)
    {
      g_autoptr(JsonNode) local = json_node_new (JSON_NODE_OBJECT);
      g_autoptr(JsonNode) null_node = json_node_new (JSON_NODE_NULL);

      json_node_take_object (local, patch != NULL ? teren_json_object_copy (patch)
                                                  : json_object_new ());
      return insert_conflict_item (db, conflict_id, record_id, change_id,
                                   reason != NULL ? reason : "field", "", null_node,
                                   null_node, local, server_by, server_at, "open", now, error);
    }

  for (i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      JsonObject *item;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      item = json_node_get_object (node);
      if (!member_is_string (item, "field"))
        continue;
      /* The server names the conflict record and who changed the value per item. */
      if (!insert_conflict_item (db, teren_json_get_string (item, "conflict_id", conflict_id),
                                 record_id, change_id,
                                 reason != NULL ? reason : "field",
                                 json_object_get_string_member (item, "field"),
                                 json_object_get_member (item, "base"),
                                 json_object_get_member (item, "server"),
                                 json_object_get_member (item, "local"),
                                 teren_json_get_string (item, "server_by", server_by),
                                 teren_json_get_string (item, "server_at", server_at),
                                 "open", now, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
close_conflicts (TerenDb     *db,
                 const char  *conflict_id,
                 GError     **error)
{
  static const char sql[] =
    "UPDATE conflict SET state = 'resolved' "
    "WHERE substr (id, 1, length (?1) + 1) = ?1 || '#'";

  return teren_db_run_with_text (db, sql, conflict_id, error);
}

static gboolean
quarantine_op (TerenDb        *db,
               TerenOp        *op,
               JsonObject     *result,
               GError        **error)
{
  static const char sql_quarantine[] =
    "UPDATE oplog SET state = 'quarantined', last_error = ?2 WHERE change_id = ?1";
  static const char sql_hold[] =
    "UPDATE oplog SET state = 'held' WHERE record_id = ?1 AND change_id <> ?2 "
    "  AND state IN ('pending', 'in_flight')";
  const char *message = teren_json_get_string (result, "message", NULL);
  g_autofree char *meta_key = g_strconcat (QUARANTINE_META_PREFIX, op->change_id, NULL);
  g_autoptr(JsonObject) reason = json_object_new ();
  g_autofree char *reason_json = NULL;
  g_autofree char *text = NULL;
  sqlite3_stmt *stmt;

  /* The server's per-field errors, {"key": {"code", "message"}}, as a list. */
  if (!member_is (result, "errors", JSON_NODE_ARRAY) && member_is (result, "fields", JSON_NODE_OBJECT))
    {
      JsonObject *fields = json_object_get_object_member (result, "fields");
      JsonArray *errors = json_array_new ();
      JsonObjectIter iter;
      const char *key;
      JsonNode *value;

      json_object_iter_init (&iter, fields);
      while (json_object_iter_next (&iter, &key, &value))
        {
          JsonObject *item = json_object_new ();

          json_object_set_string_member (item, "field", key);
          if (JSON_NODE_HOLDS_OBJECT (value))
            {
              json_object_set_string_member (item, "code",
                                             teren_json_get_string (json_node_get_object (value), "code", ""));
              json_object_set_string_member (item, "message",
                                             teren_json_get_string (json_node_get_object (value), "message", ""));
            }
          json_array_add_object_element (errors, item);
        }
      json_object_set_array_member (reason, "errors", errors);
    }

  /* The reason shown to the worker: the server's message, or its first field message. */
  if (message == NULL && member_is (result, "errors", JSON_NODE_ARRAY))
    {
      JsonArray *errors = json_object_get_array_member (result, "errors");

      if (json_array_get_length (errors) > 0 &&
          JSON_NODE_HOLDS_OBJECT (json_array_get_element (errors, 0)))
        message = teren_json_get_string (json_array_get_object_element (errors, 0), "message",
                                         NULL);
    }
  text = g_strdup (message != NULL ? message : _("The server refused this change"));

  json_object_set_string_member (reason, "code", teren_json_get_string (result, "code", "rejected"));
  json_object_set_string_member (reason, "message", text);
  if (member_is (result, "errors", JSON_NODE_ARRAY))
    json_object_set_member (reason, "errors",
                            teren_json_node_copy (json_object_get_member (result, "errors")));
  reason_json = teren_json_object_to_string (reason);

  stmt = teren_db_prepare (db, sql_quarantine, error);
  if (stmt == NULL)
    return FALSE;
  teren_db_bind_text (stmt, 1, op->change_id);
  teren_db_bind_text (stmt, 2, text);
  if (!teren_db_run (db, stmt, error))
    return FALSE;

  stmt = teren_db_prepare (db, sql_hold, error);
  if (stmt == NULL)
    return FALSE;
  teren_db_bind_text (stmt, 1, op->record_id);
  teren_db_bind_text (stmt, 2, op->change_id);
  if (!teren_db_run (db, stmt, error))
    return FALSE;

  return teren_db_set_meta (db, meta_key, reason_json, error);
}

static void
add_unique (GPtrArray  *ids,
            const char *id)
{
  guint i;

  for (i = 0; i < ids->len; i++)
    if (strcmp (ids->pdata[i], id) == 0)
      return;
  g_ptr_array_add (ids, g_strdup (id));
}

gboolean
teren_store_sync_apply_push_answer (TerenStore       *self,
                                    GPtrArray        *ops,
                                    JsonObject       *answer,
                                    TerenSyncCounts  *counts,
                                    GError          **error)
{
  static const char sql_in_log[] = "SELECT count(*) FROM oplog WHERE change_id = ?1";
  g_autofree CheckedResult *checked = NULL;
  g_autoptr(GPtrArray) touched = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) waiting_records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *now = teren_now_iso8601 ();
  TerenSyncCounts local_counts = { 0 };
  JsonArray *results;
  TerenDb *db;
  guint i;

  g_return_val_if_fail (TEREN_IS_STORE (self), FALSE);
  g_return_val_if_fail (ops != NULL && answer != NULL, FALSE);

  /* Parse before apply: every result is checked first. */
  if (!member_is (answer, "results", JSON_NODE_ARRAY))
    return bad_json (error, "results");
  results = json_object_get_array_member (answer, "results");
  if (json_array_get_length (results) != ops->len)
    return bad_json (error, "number of results");

  checked = g_new0 (CheckedResult, MAX (ops->len, 1));
  for (i = 0; i < ops->len; i++)
    {
      JsonNode *node = json_array_get_element (results, i);

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return bad_json (error, "result");
      if (!check_result (json_node_get_object (node), ops->pdata[i], &checked[i], error))
        return FALSE;
    }

  db = teren_store_lock_writer (self);
  if (!teren_store_tx_begin (self, db, error))
    {
      teren_store_unlock_writer (self);
      return FALSE;
    }

  for (i = 0; local_error == NULL && i < ops->len; i++)
    {
      TerenOp *op = ops->pdata[i];
      CheckedResult *result = &checked[i];
      const char *status_text = NULL;

      /* An operation answered twice (a replayed answer) is handled once. */
      if (query_int (db, sql_in_log, op->change_id) == 0)
        continue;

      if (result->duplicate)
        local_counts.duplicates++;

      switch (result->status)
        {
        case RESULT_APPLIED:
        case RESULT_MERGED:
        case RESULT_CONFLICT:
          status_text = result->status == RESULT_APPLIED ? "applied"
                        : result->status == RESULT_MERGED ? "merged" : "conflict";
          if (!update_base_from_result (db, op, result, &local_error) ||
              !archive_op (db, op, status_text, result->rev, result->object, now, &local_error))
            break;
          if (result->status == RESULT_CONFLICT)
            {
              JsonObject *effective = result->object;
              const char *conflict_id = teren_json_get_string (effective, "conflict_id",
                                                               op->change_id);
              JsonArray *items = member_is (effective, "conflicts", JSON_NODE_ARRAY)
                                 ? json_object_get_array_member (effective, "conflicts") : NULL;
              const char *server_by = result->record != NULL
                                      ? teren_json_get_string (result->record, "updated_by", NULL)
                                      : NULL;
              const char *server_at = result->record != NULL
                                      ? teren_json_get_string (result->record, "updated_at", NULL)
                                      : NULL;

              if (!store_conflict_items (db, conflict_id, op->record_id, op->change_id,
                                         teren_json_get_string (effective, "reason", "field"),
                                         items, op->patch, server_by, server_at, now,
                                         &local_error))
                break;
              if (!result->duplicate)
                local_counts.conflicts++;
            }
          else if (!result->duplicate)
            {
              if (result->status == RESULT_APPLIED)
                local_counts.applied++;
              else
                local_counts.merged++;
            }
          if (op->resolves != NULL)
            {
              guint j;

              for (j = 0; op->resolves[j] != NULL && local_error == NULL; j++)
                close_conflicts (db, op->resolves[j], &local_error);
            }
          break;
        case RESULT_REJECTED:
          /* The server lacks an attachment's bytes (issue 8): retryable, never
           * quarantined. The operation waits, its blobs are uploaded again (they are
           * marked local only), and the same change id is sent in a later round. */
          if (g_strcmp0 (teren_json_get_string (result->object, "code", NULL), "missing_blob") == 0 ||
              g_hash_table_contains (waiting_records, op->record_id))
            {
              static const char sql_wait[] =
                "UPDATE oplog SET state = 'pending', last_error = 'missing_blob' WHERE change_id = ?1";
              static const char sql_blob[] = "UPDATE blob SET state = 0 WHERE ref = ?1 AND state = 1";
              JsonArray *blobs = member_is (result->object, "blobs", JSON_NODE_ARRAY)
                                 ? json_object_get_array_member (result->object, "blobs") : NULL;
              guint b;

              /* A later operation of the same record refused in the same answer (an
               * edit of a record whose creation waits) waits with it. */
              g_hash_table_add (waiting_records, g_strdup (op->record_id));
              if (teren_db_run_with_text (db, sql_wait, op->change_id, &local_error))
                local_counts.missing_blobs++;
              for (b = 0; blobs != NULL && local_error == NULL && b < json_array_get_length (blobs); b++)
                {
                  JsonNode *blob = json_array_get_element (blobs, b);

                  if (JSON_NODE_HOLDS_VALUE (blob) && json_node_get_value_type (blob) == G_TYPE_STRING)
                    teren_db_run_with_text (db, sql_blob, json_node_get_string (blob), &local_error);
                }
              break;
            }
          /* The server was restored from a backup and lacks the record or the revision
           * this operation is based on (issue 8): the device that made it may still offer
           * it again, so this one waits (sent again in a later round), not quarantined. */
          if (g_strcmp0 (teren_json_get_string (result->object, "code", NULL), "restored_base") == 0)
            {
              static const char sql_wait[] =
                "UPDATE oplog SET state = 'pending', last_error = 'restored_base' WHERE change_id = ?1";

              teren_db_run_with_text (db, sql_wait, op->change_id, &local_error);
              break;
            }
          if (quarantine_op (db, op, result->object, &local_error) && !result->duplicate)
            local_counts.rejected++;
          break;
        default:
          g_assert_not_reached ();
        }
      add_unique (touched, op->record_id);
    }

  for (i = 0; local_error == NULL && i < touched->len; i++)
    recompute_current (self, db, touched->pdata[i], TRUE, &local_error);

  if (local_error != NULL)
    {
      teren_store_tx_rollback (self, db);
      teren_store_unlock_writer (self);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (!teren_store_tx_commit (self, db, error))
    {
      teren_store_unlock_writer (self);
      return FALSE;
    }
  teren_store_unlock_writer (self);

  g_debug ("Push answer: %u applied, %u merged, %u conflicts, %u rejected, %u duplicates",
           local_counts.applied, local_counts.merged, local_counts.conflicts,
           local_counts.rejected, local_counts.duplicates);
  if (counts != NULL)
    {
      counts->applied += local_counts.applied;
      counts->merged += local_counts.merged;
      counts->conflicts += local_counts.conflicts;
      counts->rejected += local_counts.rejected;
      counts->duplicates += local_counts.duplicates;
      counts->missing_blobs += local_counts.missing_blobs;
    }
  return TRUE;
}

/* ---- Pull ----------------------------------------------------------------------------- */

static gboolean
has_ops (TerenDb    *db,
         const char *id)
{
  static const char sql[] = "SELECT count(*) FROM oplog WHERE record_id = ?1";

  return query_int (db, sql, id) > 0;
}

static gboolean
purge_record (TerenDb     *db,
              const char  *id,
              GError     **error)
{
  static const char sql_record[] = "DELETE FROM record WHERE id = ?1";
  static const char sql_base[] = "DELETE FROM base WHERE id = ?1";
  static const char sql_conflict[] = "DELETE FROM conflict WHERE record_id = ?1";
  static const char sql_history[] = "DELETE FROM history WHERE record_id = ?1";
  static const char sql_archive[] = "DELETE FROM op_archive WHERE record_id = ?1";
  /* A form draft of the record (keyed by the record id when editing it). */
  static const char sql_draft[] = "DELETE FROM draft WHERE record_id = ?1 OR key = ?1";
  /* The items of a purged sys.conflict record (ids "<conflict id>#<field>"), e.g. one the
   * server lost in a restore: nothing is left to resolve. */
  static const char sql_items[] = "DELETE FROM conflict WHERE substr (id, 1, length (?1) + 1) = ?1 || '#'";
  static const char sql_counted[] = "SELECT rev FROM base WHERE id = ?1 AND deleted = 0";
  sqlite3_stmt *stmt = teren_db_prepare (db, sql_counted, error);
  gboolean counted;
  gint64 rev = 0;
  int rc;

  /* What the digest counted of it (its revision, unless deleted or absent). */
  if (stmt == NULL)
    return FALSE;
  teren_db_bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  counted = rc == SQLITE_ROW;
  if (counted)
    rev = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      teren_db_set_error (db, rc, error);
      return FALSE;
    }

  return teren_store_unindex_record (db, id, error) &&
         teren_db_run_with_text (db, sql_draft, id, error) &&
         teren_db_run_with_text (db, sql_items, id, error) &&
         teren_db_run_with_text (db, sql_record, id, error) &&
         teren_db_run_with_text (db, sql_base, id, error) &&
         teren_store_digest_change (db, id, counted, rev, FALSE, 0, error) &&
         teren_db_run_with_text (db, sql_conflict, id, error) &&
         teren_db_run_with_text (db, sql_history, id, error) &&
         teren_db_run_with_text (db, sql_archive, id, error);
}

static JsonArray *
read_pending_purges (TerenDb *db)
{
  g_autofree char *text = teren_db_get_meta (db, PURGE_PENDING_META);
  g_autoptr(JsonNode) node = NULL;

  if (text != NULL)
    node = teren_json_parse (text, -1, TEREN_JSON_MAX_DEPTH, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return json_array_new ();
  return json_array_ref (json_node_get_array (node));
}

static gboolean
write_pending_purges (TerenDb     *db,
                      JsonArray   *ids,
                      GError     **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  if (json_array_get_length (ids) == 0)
    return delete_meta (db, PURGE_PENDING_META, error);
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_set_array (node, ids);
  text = teren_json_to_string (node);
  return teren_db_set_meta (db, PURGE_PENDING_META, text, error);
}

/* A pulled sys.conflict record: its items, open or closed. */
static gboolean
apply_conflict_record (TerenDb     *db,
                       JsonObject  *record,
                       const char  *now,
                       GError     **error)
{
  const char *id = json_object_get_string_member (record, "id");
  JsonObject *fields = member_is (record, "fields", JSON_NODE_OBJECT)
                       ? json_object_get_object_member (record, "fields") : NULL;
  const char *status;
  const char *target;
  JsonArray *items;
  gboolean deleted = json_object_has_member (record, "deleted") &&
                     json_node_get_value_type (json_object_get_member (record, "deleted")) == G_TYPE_BOOLEAN &&
                     json_object_get_boolean_member (record, "deleted");

  if (fields == NULL)
    return TRUE;
  status = teren_json_get_string (fields, "status", "open");
  target = teren_json_get_string (fields, "record", NULL);
  if (deleted || g_strcmp0 (status, "open") != 0)
    return close_conflicts (db, id, error);
  if (target == NULL)
    return TRUE;

  items = member_is (fields, "fields", JSON_NODE_ARRAY)
          ? json_object_get_array_member (fields, "fields") : NULL;
  /* Who set the server's values: per item, else for the whole conflict. Never the
   * record's own author: that is the one whose change did not go in. */
  return store_conflict_items (db, id, target, teren_json_get_string (fields, "change_id", NULL),
                               teren_json_get_string (fields, "reason", "field"), items,
                               member_is (fields, "patch", JSON_NODE_OBJECT)
                               ? json_object_get_object_member (fields, "patch") : NULL,
                               teren_json_get_string (fields, "server_by", NULL),
                               teren_json_get_string (fields, "server_at", NULL),
                               now, error);
}

/* What a pulled record will be written as, made off the writer: its fields serialised and,
 * for a live record of a known kind, its title, sort and search keys. */
typedef struct
{
  char               *fields_json;   /* NULL when the record came without fields */
  gboolean            has_derived;
  TerenRecordDerived  derived;
} PulledRecord;

/* @record (a checked, pull-shaped record) becomes the base of its id over @old (what was
 * there; a tombstone without fields keeps its last known values), then the record's row
 * is recomputed, or the items of a sys.conflict record are stored. @fresh: as for
 * recompute_current_from(). @pulled (nullable): what was prepared of @record. For a pull
 * page and the digest repair. */
static gboolean
apply_server_record (TerenStore          *self,
                     TerenDb             *db,
                     JsonObject          *record,
                     const PulledRecord  *pulled,
                     const BaseRow       *old,
                     gboolean             fresh,
                     const char          *now,
                     GError             **error)
{
  const char *id = json_object_get_string_member (record, "id");
  const char *kind = json_object_get_string_member (record, "kind");
  const char *line = teren_json_get_string (record, "line", "");
  const char *updated_by = teren_json_get_string (record, "updated_by", NULL);
  const char *updated_at = teren_json_get_string (record, "updated_at", NULL);
  gint64 rev = json_object_get_int_member (record, "rev");
  gint64 seq = teren_json_get_int (record, "seq", 0);
  JsonObject *fields = member_is (record, "fields", JSON_NODE_OBJECT)
                       ? json_object_get_object_member (record, "fields") : NULL;
  JsonNode *deleted_node = json_object_get_member (record, "deleted");
  gboolean deleted = deleted_node != NULL && JSON_NODE_HOLDS_VALUE (deleted_node) &&
                     json_node_get_value_type (deleted_node) == G_TYPE_BOOLEAN &&
                     json_node_get_boolean (deleted_node);
  g_autoptr(JsonObject) kept_fields = NULL;
  g_autofree char *own_json = NULL;
  const char *base_json = NULL;

  /* The prepared text and keys are of the record's own fields. */
  if (fields == NULL)
    {
      fields = kept_fields = old->exists ? teren_json_object_copy (old->fields) : json_object_new ();
      pulled = NULL;
    }
  if (pulled != NULL)
    base_json = pulled->fields_json;

  if (!write_base (db, old, id, kind, line, rev, seq, deleted, fields, base_json, updated_by, updated_at,
                   base_json == NULL ? &own_json : NULL, error))
    return FALSE;
  if (base_json == NULL)
    base_json = own_json;

  if (strcmp (kind, TEREN_CONFLICT_KIND) == 0)
    return apply_conflict_record (db, record, now, error);
  {
    BaseRow known = { TRUE, (char *) kind, (char *) line, rev, seq, deleted, fields,
                      (char *) updated_by, (char *) updated_at, base_json };

    return recompute_current_from (self, db, id, &known,
                                   pulled != NULL && pulled->has_derived ? &pulled->derived : NULL,
                                   fresh, FALSE, error);
  }
}

struct _TerenPulledPage
{
  JsonObject   *page;
  JsonArray    *records;     /* of @page, or NULL */
  JsonArray    *purge;       /* of @page, or NULL */
  guint         n_records;
  guint         n_purge;
  gboolean      more;
  PulledRecord *pulled;      /* n_records */
};

void
teren_pulled_page_free (TerenPulledPage *prepared)
{
  guint i;

  if (prepared == NULL)
    return;
  /* A page refused while checked has nothing prepared yet. */
  for (i = 0; prepared->pulled != NULL && i < prepared->n_records; i++)
    {
      g_free (prepared->pulled[i].fields_json);
      teren_record_derived_clear (&prepared->pulled[i].derived);
    }
  g_free (prepared->pulled);
  g_clear_pointer (&prepared->page, json_object_unref);
  g_free (prepared);
}

guint
teren_pulled_page_get_n_records (TerenPulledPage *prepared)
{
  return prepared->n_records;
}

gboolean
teren_pulled_page_get_more (TerenPulledPage *prepared)
{
  return prepared->more;
}

const char *
teren_pulled_page_get_cursor (TerenPulledPage *prepared)
{
  return json_object_get_string_member (prepared->page, "cursor");
}

static TerenPulledPage *
bad_page (GError     **error,
          const char  *what)
{
  bad_json (error, what);
  return NULL;
}

TerenPulledPage *
teren_store_sync_prepare_pull_page (JsonObject  *page,
                                    GError     **error)
{
  g_autoptr(TerenPulledPage) prepared = NULL;
  guint i;

  g_return_val_if_fail (page != NULL, NULL);

  prepared = g_new0 (TerenPulledPage, 1);
  prepared->page = json_object_ref (page);
  if (json_object_has_member (page, "records"))
    {
      if (!member_is (page, "records", JSON_NODE_ARRAY))
        return bad_page (error, "records");
      prepared->records = json_object_get_array_member (page, "records");
    }
  if (json_object_has_member (page, "purge") && !member_is (page, "purge", JSON_NODE_NULL))
    {
      if (!member_is (page, "purge", JSON_NODE_ARRAY))
        return bad_page (error, "purge");
      prepared->purge = json_object_get_array_member (page, "purge");
    }
  if (!member_is_string (page, "cursor"))
    return bad_page (error, "cursor");
  if (json_object_has_member (page, "more"))
    {
      JsonNode *node = json_object_get_member (page, "more");

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        return bad_page (error, "more");
      prepared->more = json_node_get_boolean (node);
    }
  if (!member_is_optional_string (page, "epoch") || !member_is_optional_string (page, "server_time"))
    return bad_page (error, "epoch");

  prepared->n_records = prepared->records != NULL ? json_array_get_length (prepared->records) : 0;
  prepared->n_purge = prepared->purge != NULL ? json_array_get_length (prepared->purge) : 0;
  for (i = 0; i < prepared->n_records; i++)
    {
      JsonNode *node = json_array_get_element (prepared->records, i);

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return bad_page (error, "record");
      if (!check_record (json_node_get_object (node), NULL, error))
        return NULL;
    }
  for (i = 0; i < prepared->n_purge; i++)
    {
      JsonNode *node = json_array_get_element (prepared->purge, i);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        return bad_page (error, "purge id");
    }

  /* What each record will be written as: the writer then only writes. */
  prepared->pulled = g_new0 (PulledRecord, MAX (prepared->n_records, 1));
  for (i = 0; i < prepared->n_records; i++)
    {
      JsonObject *record = json_array_get_object_element (prepared->records, i);
      PulledRecord *pulled = &prepared->pulled[i];
      JsonObject *fields;
      const TerenKindDef *kind;
      JsonNode *deleted;

      if (!member_is (record, "fields", JSON_NODE_OBJECT))
        continue;
      fields = json_object_get_object_member (record, "fields");
      pulled->fields_json = teren_json_object_to_string (fields);
      kind = teren_schema_lookup_kind (json_object_get_string_member (record, "kind"));
      deleted = json_object_get_member (record, "deleted");
      if (kind == NULL ||
          (deleted != NULL && JSON_NODE_HOLDS_VALUE (deleted) &&
           json_node_get_value_type (deleted) == G_TYPE_BOOLEAN && json_node_get_boolean (deleted)))
        continue;
      teren_store_derive_record (kind, fields, &pulled->derived);
      pulled->has_derived = TRUE;
    }
  return g_steal_pointer (&prepared);
}

gboolean
teren_store_sync_apply_pull_page (TerenStore       *self,
                                  JsonObject       *page,
                                  TerenSyncCounts  *counts,
                                  gboolean         *out_more,
                                  GError          **error)
{
  g_autoptr(TerenPulledPage) prepared = NULL;

  g_return_val_if_fail (TEREN_IS_STORE (self), FALSE);
  g_return_val_if_fail (page != NULL, FALSE);

  prepared = teren_store_sync_prepare_pull_page (page, error);
  return prepared != NULL &&
         teren_store_sync_apply_prepared_page (self, prepared, counts, out_more, error);
}

gboolean
teren_store_sync_apply_prepared_page (TerenStore       *self,
                                      TerenPulledPage  *prepared,
                                      TerenSyncCounts  *counts,
                                      gboolean         *out_more,
                                      GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonArray) pending_purges = NULL;
  g_autofree char *now = teren_now_iso8601 ();
  static const char sql_any_ops[] = "SELECT EXISTS (SELECT 1 FROM oplog)";
  TerenSyncCounts local_counts = { 0 };
  JsonObject *page;
  gboolean any_ops;
  const char *cursor;
  TerenDb *db;
  guint i;

  g_return_val_if_fail (TEREN_IS_STORE (self), FALSE);
  g_return_val_if_fail (prepared != NULL, FALSE);

  page = prepared->page;
  cursor = json_object_get_string_member (page, "cursor");

  db = teren_store_lock_writer (self);
  if (!teren_store_tx_begin (self, db, error))
    {
      teren_store_unlock_writer (self);
      return FALSE;
    }
  /* With an empty op-log (a first pull, most pulls) no record has anything to rebase. */
  any_ops = query_int (db, sql_any_ops, NULL) > 0;

  /* Another epoch (the server was restored from a backup): a revision number this store
   * holds may stand for other content on the server now. Every base row is unconfirmed
   * (seq -1) until the server sends that record at the same or a newer revision. */
  {
    const char *epoch = teren_json_get_string (page, "epoch", NULL);
    g_autofree char *known_epoch = teren_db_get_meta (db, TEREN_SYNC_META_EPOCH);

    if (epoch != NULL && known_epoch != NULL && strcmp (epoch, known_epoch) != 0)
      teren_db_exec (db, "UPDATE base SET seq = -1", &local_error);
  }
  /* The page's search rows reach search_fts in one statement before the commit. */
  if (local_error == NULL)
    teren_store_search_batch_begin (db, &local_error);

  for (i = 0; local_error == NULL && i < prepared->n_records; i++)
    {
      JsonObject *record = json_array_get_object_element (prepared->records, i);
      const char *id = json_object_get_string_member (record, "id");
      gint64 rev = json_object_get_int_member (record, "rev");
      BaseRow base;

      if (!read_base (db, id, &base, &local_error))
        break;
      if (base.exists && (base.rev > rev || (base.rev == rev && base.seq >= 0)))
        {
          base_row_clear (&base);
          local_counts.skipped++;
          continue;
        }
      apply_server_record (self, db, record, &prepared->pulled[i], &base, !base.exists && !any_ops, now,
                           &local_error);
      base_row_clear (&base);
      local_counts.records++;
    }
  if (local_error == NULL && prepared->n_purge > 0)
    {
      pending_purges = read_pending_purges (db);
      for (i = 0; local_error == NULL && i < prepared->n_purge; i++)
        {
          const char *id = json_array_get_string_element (prepared->purge, i);

          if (has_ops (db, id))
            json_array_add_string_element (pending_purges, id);
          else if (purge_record (db, id, &local_error))
            {
              teren_store_queue_changed (self, id, "", FALSE);
              local_counts.purged++;
            }
        }
      if (local_error == NULL)
        write_pending_purges (db, pending_purges, &local_error);
    }
  if (local_error == NULL)
    teren_store_search_batch_end (db, &local_error);

  if (local_error == NULL)
    {
      const char *epoch = teren_json_get_string (page, "epoch", NULL);
      const char *server_time = teren_json_get_string (page, "server_time", NULL);
      g_autofree char *known_epoch = teren_db_get_meta (db, TEREN_SYNC_META_EPOCH);

      /* Another epoch: the server was restored from a backup and may have lost changes
       * it had acknowledged. They are offered again from op_archive before the next push. */
      if (epoch != NULL && known_epoch != NULL && strcmp (epoch, known_epoch) != 0)
        {
          g_message ("The server's epoch changed; acknowledged changes will be offered again");
          if (teren_db_set_meta (db, REOFFER_META, "1", &local_error))
            teren_db_set_meta (db, EPOCH_REPORT_META, known_epoch, &local_error);
        }

      if (teren_db_set_meta (db, TEREN_SYNC_META_CURSOR, cursor, &local_error) &&
          (epoch == NULL || teren_db_set_meta (db, TEREN_SYNC_META_EPOCH, epoch, &local_error)))
        {
          if (server_time != NULL)
            teren_db_set_meta (db, TEREN_SYNC_META_SERVER_TIME, server_time, &local_error);
        }
    }

  if (local_error != NULL)
    {
      teren_store_search_batch_cancel (db);
      teren_store_tx_rollback (self, db);
      teren_store_unlock_writer (self);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!teren_store_tx_commit (self, db, error))
    {
      teren_store_unlock_writer (self);
      return FALSE;
    }
  teren_store_unlock_writer (self);

  g_debug ("Pull page: %u records applied, %u skipped, %u purged, more: %d",
           local_counts.records, local_counts.skipped, local_counts.purged, prepared->more);
  if (counts != NULL)
    {
      counts->records += local_counts.records;
      counts->skipped += local_counts.skipped;
      counts->purged += local_counts.purged;
    }
  if (out_more != NULL)
    *out_more = prepared->more;
  return TRUE;
}

gboolean
teren_store_sync_finish_purges (TerenStore       *self,
                                TerenSyncCounts  *counts,
                                GError          **error)
{
  g_autoptr(JsonArray) pending = NULL;
  g_autoptr(JsonArray) still = json_array_new ();
  g_autoptr(GError) local_error = NULL;
  guint purged = 0;
  TerenDb *db;
  guint i;

  g_return_val_if_fail (TEREN_IS_STORE (self), FALSE);

  db = teren_store_lock_writer (self);
  pending = read_pending_purges (db);
  if (json_array_get_length (pending) == 0)
    {
      teren_store_unlock_writer (self);
      return TRUE;
    }
  if (!teren_store_tx_begin (self, db, error))
    {
      teren_store_unlock_writer (self);
      return FALSE;
    }
  for (i = 0; local_error == NULL && i < json_array_get_length (pending); i++)
    {
      const char *id = json_array_get_string_element (pending, i);

      if (id == NULL)
        continue;
      if (has_ops (db, id))
        json_array_add_string_element (still, id);
      else if (purge_record (db, id, &local_error))
        {
          teren_store_queue_changed (self, id, "", FALSE);
          purged++;
        }
    }
  if (local_error == NULL)
    write_pending_purges (db, still, &local_error);
  if (local_error != NULL)
    {
      teren_store_tx_rollback (self, db);
      teren_store_unlock_writer (self);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!teren_store_tx_commit (self, db, error))
    {
      teren_store_unlock_writer (self);
      return FALSE;
    }
  teren_store_unlock_writer (self);
  if (counts != NULL)
    counts->purged += purged;
  return TRUE;
}

gboolean
teren_store_sync_reoffer_archive (TerenStore  *self,
                                  guint       *out_count,
                                  GError     **error)
{
  /* Before every operation still waiting, in the order they were acknowledged: the
   * archive's rowid (INSERT OR REPLACE gives a row the next one), not archived_at, which is
   * this computer's clock and goes back when the clock is set back (SYNC-NOTES S16). */
  static const char sql_insert[] =
    "INSERT INTO oplog (n, change_id, record_id, kind, line, op, base_rev, prev_change, patch, "
    "  author, device_time, state) "
    "SELECT (SELECT min (coalesce (min (n), 0), 0) FROM oplog) "
    "         - (SELECT count(*) FROM op_archive) - 1 "
    "         + row_number () OVER (ORDER BY rowid), "
    "       change_id, record_id, kind, line, op, base_rev, prev_change, patch, author, "
    "       device_time, 'pending' "
    "FROM op_archive WHERE change_id NOT IN (SELECT change_id FROM oplog)";
  static const char sql_delete[] =
    "DELETE FROM op_archive WHERE change_id IN (SELECT change_id FROM oplog)";
  g_autoptr(GError) local_error = NULL;
  g_autofree char *flag = NULL;
  TerenDb *db;
  guint count = 0;

  g_return_val_if_fail (TEREN_IS_STORE (self), FALSE);

  if (out_count != NULL)
    *out_count = 0;
  db = teren_store_lock_writer (self);
  flag = teren_db_get_meta (db, REOFFER_META);
  if (flag == NULL)
    {
      teren_store_unlock_writer (self);
      return TRUE;
    }
  if (!teren_store_tx_begin (self, db, error))
    {
      teren_store_unlock_writer (self);
      return FALSE;
    }
  if (teren_db_exec (db, sql_insert, &local_error))
    {
      count = (guint) sqlite3_changes (db->db);
      if (teren_db_exec (db, sql_delete, &local_error))
        delete_meta (db, REOFFER_META, &local_error);
    }
  if (local_error != NULL)
    {
      teren_store_tx_rollback (self, db);
      teren_store_unlock_writer (self);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (count > 0)
    teren_store_queue_changed (self, "", "", TRUE);
  if (!teren_store_tx_commit (self, db, error))
    {
      teren_store_unlock_writer (self);
      return FALSE;
    }
  teren_store_unlock_writer (self);
  g_debug ("%u acknowledged changes offered again", count);
  if (out_count != NULL)
    *out_count = count;
  return TRUE;
}

gboolean
teren_store_sync_reoffer_pending (TerenStore *self)
{
  g_autofree char *flag = teren_store_sync_get_meta (self, REOFFER_META);

  return flag != NULL;
}

gboolean
teren_store_sync_prune_archive (TerenStore  *self,
                                guint       *out_pruned,
                                GError     **error)
{
  static const char sql_stamp[] = "UPDATE op_archive SET acked_at = ?1 WHERE acked_at IS NULL";
  /* julianday() reads any ISO 8601 form the server may write (fractions, Z); a time it
   * cannot read is NULL and removes nothing. The date bound, a day wider, lets the index
   * find the candidates: 0.1 ms instead of a 0.4 s scan of 47,000 archived operations. */
  static const char sql_prune[] =
    "DELETE FROM op_archive WHERE acked_at < date (?1, '-' || (?2 - 1) || ' days')"
    "  AND julianday (acked_at) < julianday (?1) - ?2";
  g_autofree char *server_time = NULL;
  g_autofree char *reoffer = NULL;
  g_autoptr(GError) local_error = NULL;
  TerenDb *db;
  sqlite3_stmt *stmt;
  guint pruned = 0;

  g_return_val_if_fail (TEREN_IS_STORE (self), FALSE);

  if (out_pruned != NULL)
    *out_pruned = 0;

  db = teren_store_lock_writer (self);
  if (!teren_store_tx_begin (self, db, error))
    {
      teren_store_unlock_writer (self);
      return FALSE;
    }
  /* Read in the same transaction as the prune: a pull that meets a new epoch cannot set
   * the re-offer between the check and the DELETE. */
  server_time = teren_db_get_meta (db, TEREN_SYNC_META_SERVER_TIME);
  reoffer = teren_db_get_meta (db, REOFFER_META);
  if (server_time == NULL || reoffer != NULL)
    {
      teren_store_tx_rollback (self, db);
      teren_store_unlock_writer (self);
      return TRUE;
    }
  teren_db_run_with_text (db, sql_stamp, server_time, &local_error);
  if (local_error == NULL && (stmt = teren_db_prepare (db, sql_prune, &local_error)) != NULL)
    {
      teren_db_bind_text (stmt, 1, server_time);
      sqlite3_bind_int (stmt, 2, TEREN_SYNC_ARCHIVE_DAYS);
      if (teren_db_run (db, stmt, &local_error))
        pruned = (guint) sqlite3_changes (db->db);
    }
  if (local_error != NULL)
    {
      teren_store_tx_rollback (self, db);
      teren_store_unlock_writer (self);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!teren_store_tx_commit (self, db, error))
    {
      teren_store_unlock_writer (self);
      return FALSE;
    }
  teren_store_unlock_writer (self);
  if (pruned > 0)
    g_debug ("%u acknowledged changes older than %u days left the archive", pruned,
             TEREN_SYNC_ARCHIVE_DAYS);
  if (out_pruned != NULL)
    *out_pruned = pruned;
  return TRUE;
}

JsonArray *
teren_store_sync_epoch_report_take (TerenStore  *self,
                                    char       **out_old_epoch,
                                    GError     **error)
{
  static const char sql[] = "SELECT id, rev FROM base ORDER BY id";
  g_autofree char *old_epoch = NULL;
  g_autoptr(JsonArray) pairs = NULL;
  sqlite3_stmt *stmt;
  TerenDb *db;
  int rc;

  g_return_val_if_fail (TEREN_IS_STORE (self), NULL);

  db = teren_store_acquire_reader (self, NULL);
  old_epoch = teren_db_get_meta (db, EPOCH_REPORT_META);
  if (old_epoch == NULL)
    {
      teren_store_release_reader (self, db);
      return NULL;
    }
  pairs = json_array_new ();
  stmt = teren_db_prepare (db, sql, error);
  if (stmt == NULL)
    {
      teren_store_release_reader (self, db);
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JsonArray *pair = json_array_sized_new (2);

      json_array_add_string_element (pair, (const char *) sqlite3_column_text (stmt, 0));
      json_array_add_int_element (pair, sqlite3_column_int64 (stmt, 1));
      json_array_add_array_element (pairs, pair);
    }
  sqlite3_reset (stmt);
  teren_store_release_reader (self, db);
  if (rc != SQLITE_DONE)
    {
      g_set_error_literal (error, TEREN_ERROR, TEREN_ERROR_IO, "epoch report");
      return NULL;
    }
  if (out_old_epoch != NULL)
    *out_old_epoch = g_steal_pointer (&old_epoch);
  return g_steal_pointer (&pairs);
}

gboolean
teren_store_sync_epoch_report_done (TerenStore  *self,
                                    GError     **error)
{
  TerenDb *db;
  gboolean ok;

  g_return_val_if_fail (TEREN_IS_STORE (self), FALSE);

  db = teren_store_lock_writer (self);
  ok = delete_meta (db, EPOCH_REPORT_META, error);
  teren_store_unlock_writer (self);
  return ok;
}

/* ---- Status --------------------------------------------------------------------------- */

void
teren_sync_status_clear (TerenSyncStatus *status)
{
  g_clear_pointer (&status->last_sync, g_free);
  g_clear_pointer (&status->last_error, g_free);
}

gboolean
teren_store_sync_get_status (TerenStore       *self,
                             TerenSyncStatus  *out_status,
                             GError          **error)
{
  /* Three counts over ranges of the index oplog_by_state (state, n), not a sum over every
   * entry: a laptop that has not synced for long holds many pending operations, and the
   * status is read again after every save. */
  static const char sql_ops[] =
    "SELECT (SELECT count (*) FROM oplog WHERE state IN ('pending', 'in_flight')), "
    "  (SELECT count (*) FROM oplog WHERE state = 'held'), "
    "  (SELECT count (*) FROM oplog WHERE state = 'quarantined')";
  static const char sql_conflicts[] = "SELECT count(*) FROM conflict WHERE state <> 'resolved'";
  TerenDb *db;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TEREN_IS_STORE (self), FALSE);
  g_return_val_if_fail (out_status != NULL, FALSE);

  memset (out_status, 0, sizeof *out_status);
  db = teren_store_acquire_reader (self, NULL);
  stmt = teren_db_prepare (db, sql_ops, error);
  if (stmt == NULL)
    {
      teren_store_release_reader (self, db);
      return FALSE;
    }
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      out_status->pending = (guint) sqlite3_column_int64 (stmt, 0);
      out_status->held = (guint) sqlite3_column_int64 (stmt, 1);
      out_status->quarantined = (guint) sqlite3_column_int64 (stmt, 2);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      teren_db_set_error (db, rc, error);
      teren_store_release_reader (self, db);
      return FALSE;
    }
  out_status->conflicts = (guint) query_int (db, sql_conflicts, NULL);
  out_status->last_sync = teren_db_get_meta (db, TEREN_SYNC_META_LAST_SYNC);
  out_status->last_error = teren_db_get_meta (db, TEREN_SYNC_META_LAST_ERROR);
  teren_store_release_reader (self, db);
  return TRUE;
}

/* ---- Conflicts ------------------------------------------------------------------------ */

void
teren_conflict_free (TerenConflict *conflict)
{
  if (conflict == NULL)
    return;
  g_free (conflict->id);
  g_free (conflict->conflict_id);
  g_free (conflict->record_id);
  g_free (conflict->record_kind);
  g_free (conflict->change_id);
  g_free (conflict->reason);
  g_free (conflict->field);
  g_clear_pointer (&conflict->base, json_node_unref);
  g_clear_pointer (&conflict->server, json_node_unref);
  g_clear_pointer (&conflict->local, json_node_unref);
  g_free (conflict->server_by);
  g_free (conflict->server_at);
  g_free (conflict->local_by);
  g_free (conflict->local_at);
  g_free (conflict->state);
  g_free (conflict->created_at);
  g_free (conflict);
}

static const char sql_conflict_columns[] =
  "SELECT c.id, c.record_id, coalesce (r.kind, b.kind, a.kind, ''), c.change_id, c.reason, "
  "  c.field, c.base, c.server, c.local, c.server_by, c.server_at, a.author, a.device_time, "
  "  c.state, c.created_at "
  "FROM conflict c LEFT JOIN record r ON r.id = c.record_id "
  "  LEFT JOIN base b ON b.id = c.record_id "
  "  LEFT JOIN op_archive a ON a.change_id = c.change_id ";

static TerenConflict *
conflict_from_row (sqlite3_stmt *stmt)
{
  TerenConflict *conflict = g_new0 (TerenConflict, 1);
  const char *hash;

  conflict->id = teren_db_column_dup (stmt, 0);
  hash = strrchr (conflict->id, '#');
  conflict->conflict_id = hash != NULL ? g_strndup (conflict->id, hash - conflict->id)
                                       : g_strdup (conflict->id);
  conflict->record_id = teren_db_column_dup (stmt, 1);
  conflict->record_kind = teren_db_column_dup (stmt, 2);
  conflict->change_id = teren_db_column_dup (stmt, 3);
  conflict->reason = teren_db_column_dup (stmt, 4);
  conflict->field = teren_db_column_dup (stmt, 5);
  conflict->base = string_to_node ((const char *) sqlite3_column_text (stmt, 6));
  conflict->server = string_to_node ((const char *) sqlite3_column_text (stmt, 7));
  conflict->local = string_to_node ((const char *) sqlite3_column_text (stmt, 8));
  conflict->server_by = teren_db_column_dup (stmt, 9);
  conflict->server_at = teren_db_column_dup (stmt, 10);
  conflict->local_by = teren_db_column_dup (stmt, 11);
  conflict->local_at = teren_db_column_dup (stmt, 12);
  conflict->state = teren_db_column_dup (stmt, 13);
  conflict->created_at = teren_db_column_dup (stmt, 14);
  return conflict;
}

GPtrArray *
teren_store_list_conflicts (TerenStore  *self,
                            const char  *record_id,
                            GError     **error)
{
  static char *sql_all = NULL;
  static char *sql_one = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) teren_conflict_free);
  TerenDb *db;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TEREN_IS_STORE (self), NULL);

  if (g_once_init_enter (&sql_all))
    {
      char *one = g_strconcat (sql_conflict_columns,
                               "WHERE c.state <> 'resolved' AND c.record_id = ?1 "
                               "ORDER BY c.created_at, c.id", NULL);
      char *all = g_strconcat (sql_conflict_columns,
                               "WHERE c.state <> 'resolved' ORDER BY c.created_at, c.id", NULL);

      sql_one = one;
      g_once_init_leave (&sql_all, all);
    }

  db = teren_store_acquire_reader (self, NULL);
  stmt = teren_db_prepare (db, record_id != NULL ? sql_one : sql_all, error);
  if (stmt == NULL)
    {
      teren_store_release_reader (self, db);
      return NULL;
    }
  if (record_id != NULL)
    teren_db_bind_text (stmt, 1, record_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (items, conflict_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      teren_db_set_error (db, rc, error);
      teren_store_release_reader (self, db);
      return NULL;
    }
  teren_store_release_reader (self, db);
  return g_steal_pointer (&items);
}

/* Appends an operation directly (a resolution that changes no value, or of a deleted
 * record), with the same prev_change / held rules as a save. */
static gboolean
append_raw_op (TerenStore   *self,
               TerenDb      *db,
               const char   *record_id,
               const char   *kind,
               const char   *line,
               JsonObject   *patch,
               const char   *resolves_json,
               GError      **error)
{
  g_autofree char *now = teren_now_iso8601 ();

  return teren_store_append_op (db, record_id, kind, line, TEREN_OP_UPDATE, patch,
                                teren_store_get_author (self), now, resolves_json, error);
}

TerenRecord *
teren_store_resolve_conflict (TerenStore  *self,
                              const char  *item_id,
                              JsonNode    *value,
                              GError     **error)
{
  static const char sql_item[] =
    "SELECT record_id, field, state FROM conflict WHERE id = ?1";
  static const char sql_last_n[] =
    "SELECT coalesce (max (n), 0) FROM oplog WHERE record_id = ?1";
  static const char sql_set_resolves[] =
    "UPDATE oplog SET resolves = ?2 WHERE n = (SELECT max (n) FROM oplog WHERE record_id = ?1)";
  static const char sql_mark[] =
    "UPDATE conflict SET state = 'resolving' WHERE id = ?1";
  g_autofree char *record_id = NULL;
  g_autofree char *field = NULL;
  g_autofree char *state = NULL;
  g_autofree char *conflict_id = NULL;
  g_autofree char *resolves_json = NULL;
  g_autoptr(TerenRecord) current = NULL;
  g_autoptr(TerenRecord) saved = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonArray) resolves = json_array_new ();
  g_autoptr(JsonNode) resolves_node = json_node_new (JSON_NODE_ARRAY);
  const char *hash;
  TerenDb *db;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TEREN_IS_STORE (self), NULL);
  g_return_val_if_fail (item_id != NULL, NULL);

  hash = strrchr (item_id, '#');
  conflict_id = hash != NULL ? g_strndup (item_id, hash - item_id) : g_strdup (item_id);
  json_array_add_string_element (resolves, conflict_id);
  json_node_set_array (resolves_node, resolves);
  resolves_json = teren_json_to_string (resolves_node);

  if (!teren_store_begin (self, error))
    return NULL;
  db = teren_store_lock_writer (self);

  stmt = teren_db_prepare (db, sql_item, &local_error);
  if (stmt != NULL)
    {
      teren_db_bind_text (stmt, 1, item_id);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          record_id = teren_db_column_dup (stmt, 0);
          field = teren_db_column_dup (stmt, 1);
          state = teren_db_column_dup (stmt, 2);
        }
      sqlite3_reset (stmt);
    }
  if (local_error == NULL && (record_id == NULL || g_strcmp0 (state, "resolved") == 0))
    g_set_error_literal (&local_error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND,
                         _("This conflict was already resolved"));

  if (local_error == NULL)
    current = teren_store_get_record (self, record_id, &local_error);

  if (local_error == NULL)
    {
      const char *kind = teren_record_get_kind (current);
      const char *line = teren_record_get_line (current);

      if (field != NULL && field[0] != '\0' && !teren_record_get_deleted (current))
        {
          g_autoptr(JsonObject) fields = json_object_new ();
          gint64 before = query_int (db, sql_last_n, record_id);

          json_object_set_member (fields, field,
                                  value != NULL ? teren_json_node_copy (value)
                                                : json_node_new (JSON_NODE_NULL));
          saved = teren_store_save (self, kind, line, record_id, fields, NULL, NULL, &local_error);
          if (saved != NULL)
            {
              if (query_int (db, sql_last_n, record_id) > before)
                {
                  stmt = teren_db_prepare (db, sql_set_resolves, &local_error);
                  if (stmt != NULL)
                    {
                      teren_db_bind_text (stmt, 1, record_id);
                      teren_db_bind_text (stmt, 2, resolves_json);
                      teren_db_run (db, stmt, &local_error);
                    }
                }
              else
                {
                  /* The chosen value is the one shown: still an operation, so that the
                   * server closes the conflict for everyone. */
                  g_autoptr(JsonObject) patch = json_object_new ();
                  JsonNode *shown = json_object_get_member (teren_record_get_fields (saved), field);

                  json_object_set_member (patch, field,
                                          shown != NULL ? teren_json_node_copy (shown)
                                                        : json_node_new (JSON_NODE_NULL));
                  append_raw_op (self, db, record_id, kind, line, patch, resolves_json,
                                 &local_error);
                }
            }
        }
      else
        {
          /* Record-level: the server's outcome is accepted. */
          g_autoptr(JsonObject) patch = json_object_new ();

          if (append_raw_op (self, db, record_id, kind, line, patch, resolves_json, &local_error))
            saved = teren_record_copy (current);
        }
    }

  if (local_error == NULL)
    {
      static const char sql_mark_all[] =
        "UPDATE conflict SET state = 'resolving' WHERE state = 'open' AND "
        "  substr (id, 1, length (?1) + 1) = ?1 || '#' AND field = ''";

      teren_db_run_with_text (db, sql_mark, item_id, &local_error);
      if (local_error == NULL)
        teren_db_run_with_text (db, sql_mark_all, conflict_id, &local_error);
    }

  if (local_error == NULL)
    teren_store_queue_changed (self, record_id, teren_record_get_kind (current), TRUE);

  teren_store_unlock_writer (self);
  if (local_error != NULL)
    {
      teren_store_rollback (self);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (!teren_store_commit (self, error))
    return NULL;
  g_debug ("Conflict item resolved on a %s record", teren_record_get_kind (saved));
  return g_steal_pointer (&saved);
}

/* ---- Quarantine ----------------------------------------------------------------------- */

void
teren_quarantined_free (TerenQuarantined *item)
{
  if (item == NULL)
    return;
  g_free (item->change_id);
  g_free (item->record_id);
  g_free (item->kind);
  g_free (item->line);
  g_free (item->op);
  g_clear_pointer (&item->patch, json_object_unref);
  g_free (item->code);
  g_free (item->message);
  g_clear_pointer (&item->errors, json_array_unref);
  g_free (item->device_time);
  g_free (item);
}

GPtrArray *
teren_store_list_quarantine (TerenStore  *self,
                             GError     **error)
{
  static const char sql[] =
    "SELECT o.change_id, o.record_id, o.kind, o.line, o.op, o.patch, o.last_error, "
    "  o.device_time, o.state, m.value "
    "FROM oplog o LEFT JOIN sync_meta m ON m.key = 'quarantine:' || o.change_id "
    "WHERE o.state IN ('quarantined', 'held') ORDER BY o.n";
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) teren_quarantined_free);
  TerenDb *db;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TEREN_IS_STORE (self), NULL);

  db = teren_store_acquire_reader (self, NULL);
  stmt = teren_db_prepare (db, sql, error);
  if (stmt == NULL)
    {
      teren_store_release_reader (self, db);
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TerenQuarantined *item = g_new0 (TerenQuarantined, 1);
      const char *reason = (const char *) sqlite3_column_text (stmt, 9);
      g_autoptr(JsonObject) reason_object = NULL;

      item->change_id = teren_db_column_dup (stmt, 0);
      item->record_id = teren_db_column_dup (stmt, 1);
      item->kind = teren_db_column_dup (stmt, 2);
      item->line = teren_db_column_dup (stmt, 3);
      item->op = teren_db_column_dup (stmt, 4);
      item->patch = teren_json_parse_object ((const char *) sqlite3_column_text (stmt, 5), -1,
                                             TEREN_JSON_MAX_DEPTH, NULL);
      if (item->patch == NULL)
        item->patch = json_object_new ();
      item->message = teren_db_column_dup (stmt, 6);
      item->device_time = teren_db_column_dup (stmt, 7);
      item->held = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 8), "held") == 0;
      if (reason != NULL)
        reason_object = teren_json_parse_object (reason, -1, TEREN_JSON_MAX_DEPTH, NULL);
      if (reason_object != NULL)
        {
          item->code = g_strdup (teren_json_get_string (reason_object, "code", NULL));
          if (member_is (reason_object, "errors", JSON_NODE_ARRAY))
            item->errors = json_array_ref (json_object_get_array_member (reason_object, "errors"));
        }
      if (item->held && item->message == NULL)
        item->message = g_strdup (_("Waits for an earlier change that the server refused"));
      g_ptr_array_add (items, item);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      teren_db_set_error (db, rc, error);
      teren_store_release_reader (self, db);
      return NULL;
    }
  teren_store_release_reader (self, db);
  return g_steal_pointer (&items);
}

typedef struct {
  gint64  n;
  char   *record_id;
  char   *kind;
  char   *line;
  char   *op;
  char   *prev_change;
} QuarantineRow;

static void
quarantine_row_clear (QuarantineRow *row)
{
  g_clear_pointer (&row->record_id, g_free);
  g_clear_pointer (&row->kind, g_free);
  g_clear_pointer (&row->line, g_free);
  g_clear_pointer (&row->op, g_free);
  g_clear_pointer (&row->prev_change, g_free);
}

static gboolean
read_quarantined (TerenDb        *db,
                  const char     *change_id,
                  QuarantineRow  *row,
                  GError        **error)
{
  static const char sql[] =
    "SELECT n, record_id, kind, line, op, prev_change FROM oplog "
    "WHERE change_id = ?1 AND state = 'quarantined'";
  sqlite3_stmt *stmt = teren_db_prepare (db, sql, error);
  gboolean found = FALSE;

  memset (row, 0, sizeof *row);
  if (stmt == NULL)
    return FALSE;
  teren_db_bind_text (stmt, 1, change_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      row->n = sqlite3_column_int64 (stmt, 0);
      row->record_id = teren_db_column_dup (stmt, 1);
      row->kind = teren_db_column_dup (stmt, 2);
      row->line = teren_db_column_dup (stmt, 3);
      row->op = teren_db_column_dup (stmt, 4);
      row->prev_change = teren_db_column_dup (stmt, 5);
      found = TRUE;
    }
  sqlite3_reset (stmt);
  if (!found)
    g_set_error_literal (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND,
                         _("There is no such refused change"));
  return found;
}

/* Held operations of the record after @n go back to pending, up to the next refused one. */
static gboolean
release_held (TerenDb     *db,
              const char  *record_id,
              gint64       n,
              GError     **error)
{
  static const char sql[] =
    "UPDATE oplog SET state = 'pending' WHERE record_id = ?1 AND state = 'held' AND n > ?2 "
    "  AND n < coalesce ((SELECT min (n) FROM oplog WHERE record_id = ?1 AND n > ?2 "
    "                     AND state = 'quarantined'), 9223372036854775807)";
  sqlite3_stmt *stmt = teren_db_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;
  teren_db_bind_text (stmt, 1, record_id);
  sqlite3_bind_int64 (stmt, 2, n);
  return teren_db_run (db, stmt, error);
}

/* The end of a retry or a discard of the quarantined operation @change_id, in the
 * transaction the caller began (@local_error: what went wrong before, taken): its
 * quarantine note goes, the record is recomputed, then commit (or roll back) and unlock. */
static gboolean
quarantine_end (TerenStore     *self,
                TerenDb        *db,
                QuarantineRow  *row,
                const char     *change_id,
                GError         *local_error,
                GError        **error)
{
  g_autofree char *meta_key = g_strconcat (QUARANTINE_META_PREFIX, change_id, NULL);

  if (local_error == NULL)
    delete_meta (db, meta_key, &local_error);
  if (local_error == NULL)
    recompute_current (self, db, row->record_id, TRUE, &local_error);

  if (local_error != NULL)
    {
      teren_store_tx_rollback (self, db);
      quarantine_row_clear (row);
      teren_store_unlock_writer (self);
      g_propagate_error (error, local_error);
      return FALSE;
    }
  teren_store_queue_changed (self, row->record_id, row->kind, TRUE);
  quarantine_row_clear (row);
  if (!teren_store_tx_commit (self, db, error))
    {
      teren_store_unlock_writer (self);
      return FALSE;
    }
  teren_store_unlock_writer (self);
  return TRUE;
}

gboolean
teren_store_retry_quarantined (TerenStore  *self,
                               const char  *change_id,
                               JsonObject  *fixed_patch,
                               GError     **error)
{
  /* A retry is a new attempt by a person, not a transport retry: it gets a new change id
   * (the server keeps the refused one and would answer `duplicate` with the refusal). */
  static const char sql_retry[] =
    "UPDATE oplog SET state = 'pending', last_error = NULL, patch = coalesce (?2, patch), "
    "  change_id = ?3, attempts = 0 WHERE change_id = ?1";
  static const char sql_relink[] =
    "UPDATE oplog SET prev_change = ?2 WHERE record_id = ?3 AND prev_change = ?1";
  static const char sql_history[] = "UPDATE history SET change_id = ?2 WHERE change_id = ?1";
  g_autofree char *new_change_id = teren_uuid_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonObject) patch = NULL;
  g_autofree char *patch_json = NULL;
  QuarantineRow row;
  TerenDb *db;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TEREN_IS_STORE (self), FALSE);
  g_return_val_if_fail (change_id != NULL, FALSE);

  db = teren_store_lock_writer (self);
  if (!read_quarantined (db, change_id, &row, error))
    {
      teren_store_unlock_writer (self);
      return FALSE;
    }

  if (fixed_patch != NULL)
    {
      const TerenKindDef *kind = teren_schema_lookup_kind (row.kind);
      g_autoptr(GPtrArray) errors = NULL;

      patch = teren_json_object_copy (fixed_patch);
      if (kind != NULL)
        {
          teren_schema_normalize_fields (kind, patch);
          if (!teren_schema_validate (kind, row.line, patch,
                                      g_strcmp0 (row.op, "create") == 0 ? TEREN_VALIDATE_COMPLETE
                                                                        : TEREN_VALIDATE_PATCH,
                                      NULL, &errors))
            {
              TerenFieldError *first = errors->pdata[0];

              g_set_error_literal (error, TEREN_ERROR, TEREN_ERROR_INVALID, first->message);
              quarantine_row_clear (&row);
              teren_store_unlock_writer (self);
              return FALSE;
            }
        }
      patch_json = teren_json_object_to_string (patch);
    }

  if (!teren_store_tx_begin (self, db, error))
    {
      quarantine_row_clear (&row);
      teren_store_unlock_writer (self);
      return FALSE;
    }

  stmt = teren_db_prepare (db, sql_retry, &local_error);
  if (stmt != NULL)
    {
      teren_db_bind_text (stmt, 1, change_id);
      teren_db_bind_text (stmt, 2, patch_json);
      teren_db_bind_text (stmt, 3, new_change_id);
      teren_db_run (db, stmt, &local_error);
    }
  if (local_error == NULL && (stmt = teren_db_prepare (db, sql_relink, &local_error)) != NULL)
    {
      teren_db_bind_text (stmt, 1, change_id);
      teren_db_bind_text (stmt, 2, new_change_id);
      teren_db_bind_text (stmt, 3, row.record_id);
      teren_db_run (db, stmt, &local_error);
    }
  if (local_error == NULL && (stmt = teren_db_prepare (db, sql_history, &local_error)) != NULL)
    {
      teren_db_bind_text (stmt, 1, change_id);
      teren_db_bind_text (stmt, 2, new_change_id);
      teren_db_run (db, stmt, &local_error);
    }
  if (local_error == NULL)
    release_held (db, row.record_id, row.n, &local_error);
  return quarantine_end (self, db, &row, change_id, g_steal_pointer (&local_error), error);
}

gboolean
teren_store_discard_quarantined (TerenStore  *self,
                                 const char  *change_id,
                                 GError     **error)
{
  static const char sql_delete[] = "DELETE FROM oplog WHERE change_id = ?1";
  /* A refused create takes the record's later operations with it. */
  static const char sql_delete_after[] = "DELETE FROM oplog WHERE record_id = ?1 AND n > ?2";
  static const char sql_relink[] =
    "UPDATE oplog SET prev_change = ?2 WHERE record_id = ?3 AND prev_change = ?1";
  g_autoptr(GError) local_error = NULL;
  QuarantineRow row;
  TerenDb *db;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TEREN_IS_STORE (self), FALSE);
  g_return_val_if_fail (change_id != NULL, FALSE);

  db = teren_store_lock_writer (self);
  if (!read_quarantined (db, change_id, &row, error))
    {
      teren_store_unlock_writer (self);
      return FALSE;
    }
  if (!teren_store_tx_begin (self, db, error))
    {
      quarantine_row_clear (&row);
      teren_store_unlock_writer (self);
      return FALSE;
    }

  if (g_strcmp0 (row.op, "create") == 0)
    {
      stmt = teren_db_prepare (db, sql_delete_after, &local_error);
      if (stmt != NULL)
        {
          teren_db_bind_text (stmt, 1, row.record_id);
          sqlite3_bind_int64 (stmt, 2, row.n);
          teren_db_run (db, stmt, &local_error);
        }
    }
  else
    {
      release_held (db, row.record_id, row.n, &local_error);
      if (local_error == NULL)
        {
          stmt = teren_db_prepare (db, sql_relink, &local_error);
          if (stmt != NULL)
            {
              teren_db_bind_text (stmt, 1, change_id);
              teren_db_bind_text (stmt, 2, row.prev_change);
              teren_db_bind_text (stmt, 3, row.record_id);
              teren_db_run (db, stmt, &local_error);
            }
        }
    }
  if (local_error == NULL)
    teren_db_run_with_text (db, sql_delete, change_id, &local_error);
  if (!quarantine_end (self, db, &row, change_id, g_steal_pointer (&local_error), error))
    return FALSE;
  g_debug ("A refused change was discarded");
  return TRUE;
}

/* ---- Revocation ----------------------------------------------------------------------- */

GPtrArray *
teren_store_sync_list_unsent (TerenStore  *self,
                              GError     **error)
{
  static const char sql[] = "SELECT change_id FROM oplog ORDER BY n";
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  TerenDb *db;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TEREN_IS_STORE (self), NULL);

  db = teren_store_acquire_reader (self, NULL);
  stmt = teren_db_prepare (db, sql, error);
  if (stmt == NULL)
    {
      teren_store_release_reader (self, db);
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, teren_db_column_dup (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      teren_db_set_error (db, rc, error);
      teren_store_release_reader (self, db);
      return NULL;
    }
  teren_store_release_reader (self, db);
  return g_steal_pointer (&ids);
}

gboolean
teren_store_sync_wipe (TerenStore  *self,
                       GError     **error)
{
  static const char * const statements[] = {
    "DELETE FROM search",
    "DELETE FROM record_ref",
    "DELETE FROM record",
    "DELETE FROM base",
    "UPDATE base_digest SET digest = 0, count = 0",
    "DELETE FROM oplog",
    "DELETE FROM op_archive",
    "DELETE FROM conflict",
    "DELETE FROM draft",
    "DELETE FROM history",
    "DELETE FROM blob",
    "DELETE FROM sync_meta WHERE key <> 'device_id'",
  };
  g_autoptr(GError) local_error = NULL;
  g_autofree char *now = teren_now_iso8601 ();
  TerenDb *db;
  guint i;

  g_return_val_if_fail (TEREN_IS_STORE (self), FALSE);

  db = teren_store_lock_writer (self);
  /* Deleted content is overwritten, not only unlinked from the b-tree. */
  if (!teren_db_exec (db, "PRAGMA secure_delete = ON", error) ||
      !teren_store_tx_begin (self, db, error))
    {
      teren_store_unlock_writer (self);
      return FALSE;
    }
  for (i = 0; local_error == NULL && i < G_N_ELEMENTS (statements); i++)
    teren_db_exec (db, statements[i], &local_error);
  teren_search_order_touched_all (db->search_order);
  if (local_error == NULL)
    teren_db_exec (db, "INSERT INTO search_fts (search_fts) VALUES ('rebuild')", &local_error);
  if (local_error == NULL)
    teren_db_set_meta (db, TEREN_SYNC_META_REVOKED, now, &local_error);
  if (local_error != NULL)
    {
      teren_store_tx_rollback (self, db);
      teren_store_unlock_writer (self);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  /* "record-changed" with an empty id: everything changed. */
  teren_store_queue_changed (self, "", "", TRUE);
  if (!teren_store_tx_commit (self, db, error))
    {
      teren_store_unlock_writer (self);
      return FALSE;
    }
  /* Nothing of the old pages stays in the write-ahead log either (no checkpoint of the
   * thread may hold the log meanwhile). */
  teren_checkpointer_wait_idle (teren_store_get_checkpointer (self));
  teren_db_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL);
  teren_db_exec (db, "VACUUM", NULL);
  teren_store_unlock_writer (self);
  /* The attachments' bytes as well (teren-store-blobs.h). */
  teren_store_blobs_remove_files (self);
  g_message ("Account data wiped after the device was revoked");
  return TRUE;
}

/* ---- Digest repair (teren-store-digest.c) ---------------------------------------------- */

gboolean
teren_store_sync_replace_base (TerenStore  *self,
                               TerenDb     *db,
                               JsonObject  *record,
                               const char  *now,
                               GError     **error)
{
  BaseRow base;
  gboolean ok;

  if (!read_base (db, json_object_get_string_member (record, "id"), &base, error))
    return FALSE;
  ok = apply_server_record (self, db, record, NULL, &base, FALSE, now, error);
  base_row_clear (&base);
  return ok;
}

gboolean
teren_store_sync_purge_id (TerenStore  *self,
                           TerenDb     *db,
                           const char  *id,
                           GError     **error)
{
  if (!purge_record (db, id, error))
    return FALSE;
  teren_store_queue_changed (self, id, "", FALSE);
  return TRUE;
}
