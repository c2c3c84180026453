/* teren-store-records.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "teren-cnp.h"
#include "teren-crashpoint.h"
#include "teren-error.h"
#include "teren-json.h"
#include "teren-merge.h"
#include "teren-schema.h"
#include "teren-catagrafie.h"
#include "teren-date.h"
#include "teren-store-private.h"
#include "teren-text.h"
#include "teren-uuid.h"

/* Records, the op-log, drafts and queries of a TerenStore. A save is one transaction:
 * record row + op-log append + search index + history + draft delete (SYNC.md "The client
 * op-log"). Logs carry ids and counts only, never field values. */

static const char * const default_search_kinds[] = { "person", "household", NULL };

/* ---- Reading records ---------------------------------------------------------------- */

static const char sql_get_record[] =
  "SELECT kind, line, rev, deleted, fields, created_at, updated_at, created_by, updated_by "
  "FROM record WHERE id = ?1";

static TerenRecord *
db_get_record (TerenDb     *db,
               const char  *id,
               GError     **error)
{
  sqlite3_stmt *stmt = teren_db_prepare (db, sql_get_record, error);
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(GError) local_error = NULL;
  TerenRecord *record;
  int rc;

  if (stmt == NULL)
    return NULL;

  teren_db_bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      g_set_error_literal (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND,
                           _("There is no such record"));
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      teren_db_set_error (db, rc, error);
      sqlite3_reset (stmt);
      return NULL;
    }

  fields = teren_json_parse_object ((const char *) sqlite3_column_text (stmt, 4), -1,
                                    TEREN_JSON_MAX_DEPTH, &local_error);
  if (fields == NULL)
    {
      sqlite3_reset (stmt);
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_CORRUPT,
                   _("The stored record is damaged: %s"), local_error->message);
      return NULL;
    }

  record = teren_record_new_take (id,
                                  (const char *) sqlite3_column_text (stmt, 0),
                                  (const char *) sqlite3_column_text (stmt, 1),
                                  sqlite3_column_int64 (stmt, 2),
                                  g_steal_pointer (&fields),
                                  sqlite3_column_int (stmt, 3) != 0,
                                  (const char *) sqlite3_column_text (stmt, 5),
                                  (const char *) sqlite3_column_text (stmt, 6),
                                  (const char *) sqlite3_column_text (stmt, 7),
                                  (const char *) sqlite3_column_text (stmt, 8));
  sqlite3_reset (stmt);
  return record;
}

TerenRecord *
teren_store_get_record (TerenStore  *self,
                        const char  *id,
                        GError     **error)
{
  TerenDb *db;
  TerenRecord *record;

  g_return_val_if_fail (TEREN_IS_STORE (self), NULL);

  if (id == NULL || id[0] == '\0')
    {
      g_set_error_literal (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND, _("There is no such record"));
      return NULL;
    }

  db = teren_store_acquire_reader (self, NULL);
  record = db_get_record (db, id, error);
  teren_store_release_reader (self, db);
  return record;
}

/* ---- Index maintenance --------------------------------------------------------------- */

static char *
dup_key_for (JsonObject *fields)
{
  const char *last = teren_json_get_string (fields, "last_name", NULL);
  const char *first = teren_json_get_string (fields, "first_name", NULL);
  const char *birth = teren_json_get_string (fields, "birth_date", NULL);
  g_autofree char *last_folded = NULL;
  g_autofree char *first_folded = NULL;

  if (last == NULL || first == NULL || birth == NULL || birth[0] == '\0')
    return NULL;

  last_folded = teren_text_fold (last);
  first_folded = teren_text_fold (first);
  if (last_folded[0] == '\0' || first_folded[0] == '\0')
    return NULL;

  return g_strdup_printf ("%s|%s|%s", last_folded, first_folded, birth);
}

static char *
cnp_key_for (JsonObject *fields)
{
  const char *cnp = teren_json_get_string (fields, "cnp", NULL);
  char *normalized;

  if (cnp == NULL)
    return NULL;
  normalized = teren_cnp_normalize (cnp);
  if (normalized[0] == '\0')
    g_clear_pointer (&normalized, g_free);
  return normalized;
}

/* search_fts is an external-content FTS5 index of search.text: the rows of `search` and
 * the index entries are written together, here and nowhere else. A 'delete' of an index
 * entry must give the text it was made from, so it is read from the search row before the
 * row goes. Inside a batch the rows above the mark are not in the index yet: they are
 * simply not indexed at the batch's end once deleted. */
gboolean
teren_store_search_batch_begin (TerenDb  *db,
                                GError  **error)
{
  static const char sql_mark[] = "SELECT coalesce (max (n), 0) FROM search";
  sqlite3_stmt *stmt;
  int rc;

  if (db->fts_batch++ > 0)
    return TRUE;
  stmt = teren_db_prepare (db, sql_mark, error);
  if (stmt == NULL)
    {
      db->fts_batch = 0;
      return FALSE;
    }
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      teren_db_set_error (db, rc, error);
      sqlite3_reset (stmt);
      db->fts_batch = 0;
      return FALSE;
    }
  db->fts_mark = sqlite3_column_int64 (stmt, 0);
  db->fts_next = db->fts_mark + 1;
  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
teren_store_search_batch_end (TerenDb  *db,
                              GError  **error)
{
  static const char sql_index[] =
    "INSERT INTO search_fts (rowid, text) SELECT n, text FROM search WHERE n > ?1";
  sqlite3_stmt *stmt;
  gint64 mark = db->fts_mark;

  g_return_val_if_fail (db->fts_batch > 0, FALSE);

  if (--db->fts_batch > 0)
    return TRUE;
  db->fts_mark = db->fts_next = 0;
  stmt = teren_db_prepare (db, sql_index, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, mark);
  return teren_db_run (db, stmt, error);
}

void
teren_store_search_batch_cancel (TerenDb *db)
{
  db->fts_batch = 0;
  db->fts_mark = db->fts_next = 0;
}

/* The index entries of search row @n made from @text: taken out or put in. A row above the
 * mark of a batch is not in the index yet (the batch's end indexes what is left). */
static gboolean
fts_write (TerenDb     *db,
           gboolean     delete,
           gint64       n,
           const char  *text,
           GError     **error)
{
  static const char sql_delete[] =
    "INSERT INTO search_fts (search_fts, rowid, text) VALUES ('delete', ?1, ?2)";
  static const char sql_insert[] = "INSERT INTO search_fts (rowid, text) VALUES (?1, ?2)";
  sqlite3_stmt *stmt;

  if (db->fts_batch > 0 && n > db->fts_mark)
    return TRUE;
  stmt = teren_db_prepare (db, delete ? sql_delete : sql_insert, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, n);
  teren_db_bind_text (stmt, 2, text);
  return teren_db_run (db, stmt, error);
}

static gboolean
delete_search_row (TerenDb     *db,
                   const char  *id,
                   GError     **error)
{
  static const char sql_row[] = "SELECT n, text FROM search WHERE id = ?1";
  static const char sql_search[] = "DELETE FROM search WHERE n = ?1";
  sqlite3_stmt *stmt;
  g_autofree char *text = NULL;
  gint64 n = 0;
  int rc;

  stmt = teren_db_prepare (db, sql_row, error);
  if (stmt == NULL)
    return FALSE;
  teren_db_bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      n = sqlite3_column_int64 (stmt, 0);
      text = teren_db_column_dup (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    {
      teren_db_set_error (db, rc, error);
      return FALSE;
    }

  if (!fts_write (db, TRUE, n, text != NULL ? text : "", error))
    return FALSE;
  stmt = teren_db_prepare (db, sql_search, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, n);
  if (!teren_db_run (db, stmt, error))
    return FALSE;
  teren_search_order_touched (db->search_order, n);
  return TRUE;
}

static const char sql_delete_refs[] = "DELETE FROM record_ref WHERE record_id = ?1";

gboolean
teren_store_unindex_record (TerenDb     *db,
                            const char  *id,
                            GError     **error)
{
  return delete_search_row (db, id, error) &&
         teren_db_run_with_text (db, sql_delete_refs, id, error);
}

/* Parameters 2 to 7 of the search row's INSERT and UPDATE: the same columns. */
static void
bind_search_columns (sqlite3_stmt             *stmt,
                     const char               *kind,
                     const TerenRecordDerived *derived)
{
  teren_db_bind_text (stmt, 2, kind);
  teren_db_bind_text (stmt, 3, derived->search_text);
  teren_db_bind_text (stmt, 4, derived->title_folded);
  teren_db_bind_text (stmt, 5, derived->sort_key);
  teren_db_bind_text (stmt, 6, derived->cnp);
  teren_db_bind_text (stmt, 7, derived->dup_key);
}

/* The search row of @id and its index entries (at once, or at the end of the batch). A row
 * already there (@is_new was wrong) is replaced. */
static gboolean
insert_search_row (TerenDb                   *db,
                   const char                *id,
                   const char                *kind,
                   const TerenRecordDerived  *derived,
                   gboolean                   retry,
                   GError                   **error)
{
  static const char sql_insert[] =
    "INSERT INTO search (n, id, kind, text, title, sort_key, cnp, dup_key) "
    "VALUES (?8, ?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (id) DO NOTHING";
  sqlite3_stmt *stmt = teren_db_prepare (db, sql_insert, error);
  gint64 n;

  if (stmt == NULL)
    return FALSE;
  teren_db_bind_text (stmt, 1, id);
  bind_search_columns (stmt, kind, derived);
  /* In a batch every new row is above the mark, even where deleted rows were. */
  if (db->fts_batch > 0)
    sqlite3_bind_int64 (stmt, 8, db->fts_next++);
  else
    sqlite3_bind_null (stmt, 8);
  if (!teren_db_run (db, stmt, error))
    return FALSE;

  if (sqlite3_changes (db->db) == 0)
    {
      if (!retry)
        {
          g_set_error (error, TEREN_ERROR, TEREN_ERROR_FAILED, _("Database error (%s)"), "search");
          return FALSE;
        }
      return delete_search_row (db, id, error) &&
             insert_search_row (db, id, kind, derived, FALSE, error);
    }
  n = sqlite3_last_insert_rowid (db->db);
  teren_search_order_touched (db->search_order, n);
  return fts_write (db, FALSE, n, derived->search_text, error);
}

/* The search row of a record that may have one: changed in place (same rowid), its index
 * entries rewritten only when its text changed. */
static gboolean
update_search_row (TerenDb                   *db,
                   const char                *id,
                   const char                *kind,
                   const TerenRecordDerived  *derived,
                   GError                   **error)
{
  static const char sql_old[] = "SELECT n, text FROM search WHERE id = ?1";
  static const char sql_update[] =
    "UPDATE search SET kind = ?2, text = ?3, title = ?4, sort_key = ?5, cnp = ?6, dup_key = ?7 "
    "WHERE n = ?1";
  sqlite3_stmt *stmt = teren_db_prepare (db, sql_old, error);
  g_autofree char *old_text = NULL;
  gint64 n = 0;
  int rc;

  if (stmt == NULL)
    return FALSE;
  teren_db_bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      n = sqlite3_column_int64 (stmt, 0);
      old_text = teren_db_column_dup (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      teren_db_set_error (db, rc, error);
      return FALSE;
    }
  if (rc == SQLITE_DONE)
    return insert_search_row (db, id, kind, derived, TRUE, error);

  stmt = teren_db_prepare (db, sql_update, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, n);
  bind_search_columns (stmt, kind, derived);
  if (!teren_db_run (db, stmt, error))
    return FALSE;
  teren_search_order_touched (db->search_order, n);

  if (g_strcmp0 (old_text, derived->search_text) == 0)
    return TRUE;
  return fts_write (db, TRUE, n, old_text, error) &&
         fts_write (db, FALSE, n, derived->search_text, error);
}

/* Search row (folded text, folded title, sort key, CNP and duplicate keys) and reference
 * rows of a non-deleted record. @is_new: the record has no rows yet (a first pull), so the
 * old ones need not be looked for. */
void
teren_store_derive_record (const TerenKindDef *kind,
                           JsonObject         *fields,
                           TerenRecordDerived *out)
{
  gboolean is_person = strcmp (kind->name, "person") == 0;

  out->title = teren_schema_record_title (kind, fields);
  out->sort_key = teren_text_collate_key (out->title);
  out->search_text = teren_schema_search_text (kind, fields);
  out->title_folded = teren_text_fold (out->title);
  out->cnp = is_person ? cnp_key_for (fields) : NULL;
  out->dup_key = is_person ? dup_key_for (fields) : NULL;
}

void
teren_record_derived_clear (TerenRecordDerived *derived)
{
  g_clear_pointer (&derived->title, g_free);
  g_clear_pointer (&derived->sort_key, g_free);
  g_clear_pointer (&derived->search_text, g_free);
  g_clear_pointer (&derived->title_folded, g_free);
  g_clear_pointer (&derived->cnp, g_free);
  g_clear_pointer (&derived->dup_key, g_free);
}

gboolean
teren_store_index_record (TerenDb                   *db,
                          const TerenKindDef        *kind,
                          const char                *id,
                          JsonObject                *fields,
                          const TerenRecordDerived  *derived,
                          gboolean                   is_new,
                          GError                   **error)
{
  static const char sql_ref[] =
    "INSERT INTO record_ref (record_id, key, value, kind) VALUES (?1, ?2, ?3, ?4)";
  sqlite3_stmt *stmt;
  guint i;

  if (!is_new && !teren_db_run_with_text (db, sql_delete_refs, id, error))
    return FALSE;

  if (derived->search_text[0] != '\0')
    {
      gboolean ok;

      if (is_new)
        ok = insert_search_row (db, id, kind->name, derived, TRUE, error);
      else
        ok = update_search_row (db, id, kind->name, derived, error);
      if (!ok)
        return FALSE;
    }
  else if (!is_new && !delete_search_row (db, id, error))
    return FALSE;

  for (i = 0; i < kind->n_fields; i++)
    {
      const TerenFieldDef *field = &kind->fields[i];
      const char *value;

      if (field->type != TEREN_FIELD_REFERENCE)
        continue;
      value = teren_json_get_string (fields, field->key, NULL);
      if (value == NULL || value[0] == '\0')
        continue;

      stmt = teren_db_prepare (db, sql_ref, error);
      if (stmt == NULL)
        return FALSE;
      teren_db_bind_text (stmt, 1, id);
      teren_db_bind_text (stmt, 2, field->key);
      teren_db_bind_text (stmt, 3, value);
      teren_db_bind_text (stmt, 4, kind->name);
      if (!teren_db_run (db, stmt, error))
        return FALSE;
    }

  return TRUE;
}

/* ---- Writing ------------------------------------------------------------------------ */

gboolean
teren_store_write_record_row (TerenDb     *db,
                              const char  *id,
                              const char  *kind,
                              const char  *line,
                              gint64       rev,
                              gboolean     deleted,
                              const char  *fields_json,
                              const char  *sort_key,
                              const char  *created_at,
                              const char  *updated_at,
                              const char  *created_by,
                              const char  *updated_by,
                              GError     **error)
{
  static const char sql[] =
    "INSERT INTO record (id, kind, line, rev, deleted, fields, sort_key, created_at, "
    "  updated_at, created_by, updated_by) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
    "ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, line = excluded.line, "
    "  rev = excluded.rev, deleted = excluded.deleted, fields = excluded.fields, "
    "  sort_key = excluded.sort_key, updated_at = excluded.updated_at, "
    "  updated_by = excluded.updated_by";
  sqlite3_stmt *stmt = teren_db_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;
  teren_db_bind_text (stmt, 1, id);
  teren_db_bind_text (stmt, 2, kind);
  teren_db_bind_text (stmt, 3, line);
  sqlite3_bind_int64 (stmt, 4, rev);
  sqlite3_bind_int (stmt, 5, deleted ? 1 : 0);
  teren_db_bind_text (stmt, 6, fields_json);
  teren_db_bind_text (stmt, 7, sort_key);
  teren_db_bind_text (stmt, 8, created_at);
  teren_db_bind_text (stmt, 9, updated_at);
  teren_db_bind_text (stmt, 10, created_by);
  teren_db_bind_text (stmt, 11, updated_by);
  return teren_db_run (db, stmt, error);
}

static gboolean
write_record_row (TerenDb      *db,
                  TerenRecord  *record,
                  const char   *sort_key,
                  GError      **error)
{
  g_autofree char *json = teren_json_object_to_string (teren_record_get_fields (record));

  return teren_store_write_record_row (db, teren_record_get_id (record),
                                       teren_record_get_kind (record),
                                       teren_record_get_line (record),
                                       teren_record_get_rev (record),
                                       teren_record_get_deleted (record), json, sort_key,
                                       teren_record_get_created_at (record),
                                       teren_record_get_updated_at (record),
                                       teren_record_get_created_by (record),
                                       teren_record_get_updated_by (record), error);
}

static gint64
base_rev_of (TerenDb    *db,
             const char *id)
{
  static const char sql[] = "SELECT rev FROM base WHERE id = ?1";
  sqlite3_stmt *stmt = teren_db_prepare (db, sql, NULL);
  gint64 rev = 0;

  if (stmt == NULL)
    return 0;
  teren_db_bind_text (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    rev = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return rev;
}

/* Appends one operation; prev_change is the last operation on the record still in the
 * op-log, and a record with a refused operation holds the new one behind it. */
gboolean
teren_store_append_op (TerenDb      *db,
                       const char   *id,
                       const char   *kind,
                       const char   *line,
                       TerenOpType   type,
                       JsonObject   *patch,
                       const char   *author,
                       const char   *now,
                       const char   *resolves_json,
                       GError      **error)
{
  static const char sql_prev[] =
    "SELECT change_id, state FROM oplog WHERE record_id = ?1 ORDER BY n DESC LIMIT 1";
  static const char sql_blocked[] =
    "SELECT 1 FROM oplog WHERE record_id = ?1 AND state IN ('quarantined', 'held') LIMIT 1";
  static const char sql_insert[] =
    "INSERT INTO oplog (change_id, record_id, kind, line, op, base_rev, prev_change, patch, "
    "  author, device_time, state, resolves) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
  static const char sql_history[] =
    "INSERT INTO history (record_id, change_id, op, fields, author, at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
  g_autofree char *change_id = teren_uuid_new ();
  g_autofree char *prev_change = NULL;
  g_autofree char *patch_json = teren_json_object_to_string (patch);
  g_autoptr(GPtrArray) keys = teren_merge_patch_keys (patch);
  g_autoptr(JsonArray) key_array = json_array_new ();
  g_autoptr(JsonNode) key_node = json_node_new (JSON_NODE_ARRAY);
  g_autofree char *keys_json = NULL;
  gboolean blocked = FALSE;
  sqlite3_stmt *stmt;
  guint i;

  stmt = teren_db_prepare (db, sql_prev, error);
  if (stmt == NULL)
    return FALSE;
  teren_db_bind_text (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    prev_change = teren_db_column_dup (stmt, 0);
  sqlite3_reset (stmt);

  stmt = teren_db_prepare (db, sql_blocked, error);
  if (stmt == NULL)
    return FALSE;
  teren_db_bind_text (stmt, 1, id);
  blocked = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);

  stmt = teren_db_prepare (db, sql_insert, error);
  if (stmt == NULL)
    return FALSE;
  teren_db_bind_text (stmt, 1, change_id);
  teren_db_bind_text (stmt, 2, id);
  teren_db_bind_text (stmt, 3, kind);
  teren_db_bind_text (stmt, 4, line != NULL ? line : "");
  teren_db_bind_text (stmt, 5, teren_op_type_to_string (type));
  sqlite3_bind_int64 (stmt, 6, type == TEREN_OP_CREATE ? 0 : base_rev_of (db, id));
  teren_db_bind_text (stmt, 7, prev_change);
  teren_db_bind_text (stmt, 8, patch_json);
  teren_db_bind_text (stmt, 9, author);
  teren_db_bind_text (stmt, 10, now);
  teren_db_bind_text (stmt, 11, blocked ? "held" : "pending");
  teren_db_bind_text (stmt, 12, resolves_json);
  if (!teren_db_run (db, stmt, error))
    return FALSE;

  for (i = 0; i < keys->len; i++)
    json_array_add_string_element (key_array, keys->pdata[i]);
  json_node_set_array (key_node, key_array);
  keys_json = teren_json_to_string (key_node);

  stmt = teren_db_prepare (db, sql_history, error);
  if (stmt == NULL)
    return FALSE;
  teren_db_bind_text (stmt, 1, id);
  teren_db_bind_text (stmt, 2, change_id);
  teren_db_bind_text (stmt, 3, teren_op_type_to_string (type));
  teren_db_bind_text (stmt, 4, keys_json);
  teren_db_bind_text (stmt, 5, author);
  teren_db_bind_text (stmt, 6, now);
  return teren_db_run (db, stmt, error);
}

static gboolean
append_op (TerenDb      *db,
           TerenRecord  *record,
           TerenOpType   type,
           JsonObject   *patch,
           const char   *author,
           const char   *now,
           GError      **error)
{
  return teren_store_append_op (db, teren_record_get_id (record), teren_record_get_kind (record),
                                teren_record_get_line (record), type, patch, author, now, NULL,
                                error);
}

static gboolean
db_delete_draft (TerenDb     *db,
                 const char  *key,
                 gboolean    *out_deleted,
                 GError     **error)
{
  static const char sql[] = "DELETE FROM draft WHERE key = ?1";
  sqlite3_stmt *stmt = teren_db_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;
  teren_db_bind_text (stmt, 1, key);
  if (!teren_db_run (db, stmt, error))
    return FALSE;
  if (out_deleted != NULL)
    *out_deleted = sqlite3_changes (db->db) > 0;
  return TRUE;
}

static void
add_errors (GPtrArray *all,
            GPtrArray *more)
{
  guint i, j;

  for (i = 0; more != NULL && i < more->len; i++)
    {
      TerenFieldError *candidate = more->pdata[i];
      gboolean seen = FALSE;

      for (j = 0; j < all->len && !seen; j++)
        {
          TerenFieldError *known = all->pdata[j];

          seen = g_strcmp0 (known->field, candidate->field) == 0 &&
                 g_strcmp0 (known->code, candidate->code) == 0;
        }
      if (!seen)
        g_ptr_array_add (all, teren_field_error_new (candidate->field, candidate->code,
                                                     candidate->message));
    }
}

static void
set_invalid_error (GPtrArray  *errors,
                   GError    **error)
{
  TerenFieldError *first = errors->pdata[0];

  if (errors->len == 1)
    g_set_error_literal (error, TEREN_ERROR, TEREN_ERROR_INVALID, first->message);
  else
    g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID,
                 g_dngettext (GETTEXT_PACKAGE, "%s (and %u more problem)",
                              "%s (and %u more problems)", errors->len - 1),
                 first->message, errors->len - 1);
}

static TerenRecord *save_locked (TerenStore   *self,
                                 TerenDb      *db,
                                 const char   *kind_name,
                                 const char   *line,
                                 const char   *id,
                                 JsonObject   *input,
                                 const char   *draft_key,
                                 GPtrArray   **field_errors,
                                 GError      **error);

/* Community nursing status flow (OUG 18/2017, DOMAIN.md §7): a new catagrafie makes the
 * person's beneficiary record "catagrafied", a new intervention makes it "active", saved
 * in the same transaction as the record that caused it. A beneficiary whose status cannot
 * move that way (e.g. removed) is left as it is; the record is saved all the same. */
static gboolean
follow_amc_status (TerenStore   *self,
                   TerenDb      *db,
                   TerenRecord  *record,
                   GError      **error)
{
  static const char sql[] =
    "SELECT record_id FROM record_ref WHERE key = 'person' AND value = ?1 AND kind = ?2";
  const char *kind = teren_record_get_kind (record);
  const char *person = teren_record_get_string (record, "person");
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  TerenAmcEvent event;
  sqlite3_stmt *stmt;
  GDate today;
  guint i;
  int rc;

  if (strcmp (kind, TEREN_CATAGRAFIE_KIND) == 0)
    event = TEREN_AMC_EVENT_CATAGRAFIE;
  else if (strcmp (kind, "community_health.intervention") == 0)
    event = TEREN_AMC_EVENT_INTERVENTION;
  else
    return TRUE;
  if (person == NULL || person[0] == '\0')
    return TRUE;

  stmt = teren_db_prepare (db, sql, error);
  if (stmt == NULL)
    return FALSE;
  teren_db_bind_text (stmt, 1, person);
  teren_db_bind_text (stmt, 2, TEREN_AMC_BENEFICIARY_KIND);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      teren_db_set_error (db, rc, error);
      return FALSE;
    }

  teren_date_today (&today);
  for (i = 0; i < ids->len; i++)
    {
      g_autoptr(TerenRecord) beneficiary = NULL;
      g_autoptr(TerenRecord) saved = NULL;
      g_autoptr(JsonObject) patch = NULL;
      g_autoptr(GPtrArray) field_errors = NULL;
      g_autoptr(GError) local_error = NULL;

      beneficiary = db_get_record (db, g_ptr_array_index (ids, i), NULL);
      if (beneficiary == NULL || teren_record_get_deleted (beneficiary))
        continue;
      patch = teren_amc_beneficiary_patch (beneficiary, event, NULL, &today, &local_error);
      if (patch == NULL || json_object_get_size (patch) == 0)
        continue;
      saved = save_locked (self, db, TEREN_AMC_BENEFICIARY_KIND, NULL,
                           teren_record_get_id (beneficiary), patch, NULL, &field_errors,
                           &local_error);
      if (saved == NULL)
        {
          if (!g_error_matches (local_error, TEREN_ERROR, TEREN_ERROR_INVALID))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          g_debug ("Beneficiary %s keeps its status: its record does not validate",
                   teren_record_get_id (beneficiary));
        }
    }
  return TRUE;
}

static TerenRecord *
save_locked (TerenStore   *self,
             TerenDb      *db,
             const char   *kind_name,
             const char   *line,
             const char   *id,
             JsonObject   *fields,
             const char   *draft_key,
             GPtrArray   **field_errors,
             GError      **error)
{
  const TerenKindDef *kind = teren_schema_lookup_kind (kind_name);
  g_autoptr(JsonObject) input = NULL;
  g_autoptr(JsonObject) new_fields = NULL;
  g_autoptr(JsonObject) patch = NULL;
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func ((GDestroyNotify) teren_field_error_free);
  g_autoptr(TerenRecord) current = NULL;
  g_autoptr(TerenRecord) record = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *now = NULL;
  g_autofree char *new_id = NULL;
  g_auto(TerenRecordDerived) derived = { 0 };
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (kind == NULL)
    {
      g_ptr_array_add (errors, teren_field_error_new ("", "unknown_kind",
                                                      _("Unknown kind of record")));
      set_invalid_error (errors, error);
      if (field_errors != NULL)
        *field_errors = g_steal_pointer (&errors);
      return NULL;
    }

  input = teren_json_object_copy (fields);
  teren_schema_normalize_fields (kind, input);

  if (id == NULL)
    {
      g_autoptr(GPtrArray) complete_errors = NULL;

      line = line != NULL ? line : "";
      new_fields = json_object_new ();
      json_object_iter_init (&iter, input);
      while (json_object_iter_next (&iter, &name, &node))
        if (!JSON_NODE_HOLDS_NULL (node))
          json_object_set_member (new_fields, name, teren_json_node_copy (node));

      teren_schema_validate (kind, line, new_fields, TEREN_VALIDATE_COMPLETE, NULL, &complete_errors);
      add_errors (errors, complete_errors);
    }
  else
    {
      g_autoptr(GPtrArray) patch_errors = NULL;
      g_autoptr(GPtrArray) complete_errors = NULL;

      current = db_get_record (db, id, error);
      if (current == NULL)
        return NULL;
      if (teren_record_get_deleted (current))
        {
          g_set_error_literal (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND,
                               _("This record was deleted"));
          return NULL;
        }
      if (strcmp (teren_record_get_kind (current), kind->name) != 0)
        {
          g_set_error_literal (error, TEREN_ERROR, TEREN_ERROR_INVALID,
                               _("The record is of another kind"));
          return NULL;
        }
      line = teren_record_get_line (current);

      new_fields = teren_json_object_copy (teren_record_get_fields (current));
      json_object_iter_init (&iter, input);
      while (json_object_iter_next (&iter, &name, &node))
        {
          if (JSON_NODE_HOLDS_NULL (node))
            json_object_remove_member (new_fields, name);
          else
            json_object_set_member (new_fields, name, teren_json_node_copy (node));
        }

      /* The edited fields strictly, then the whole result (required fields, CNP against
       * sex and birth date); unknown keys a newer schema left in the record are kept. */
      teren_schema_validate (kind, line, input, TEREN_VALIDATE_PATCH, NULL, &patch_errors);
      teren_schema_validate (kind, line, new_fields,
                             TEREN_VALIDATE_COMPLETE | TEREN_VALIDATE_LENIENT_UNKNOWN, NULL,
                             &complete_errors);
      add_errors (errors, patch_errors);
      add_errors (errors, complete_errors);
    }

  if (errors->len > 0)
    {
      set_invalid_error (errors, error);
      if (field_errors != NULL)
        *field_errors = g_steal_pointer (&errors);
      return NULL;
    }

  if (current != NULL)
    {
      patch = teren_merge_diff (kind, teren_record_get_fields (current), new_fields);
      if (json_object_get_size (patch) == 0)
        {
          /* Nothing changed: no operation; the form's draft is obsolete all the same. */
          if (draft_key != NULL && !db_delete_draft (db, draft_key, NULL, error))
            return NULL;
          return g_steal_pointer (&current);
        }
    }
  else
    patch = teren_json_object_copy (new_fields);

  now = teren_now_iso8601 ();
  teren_store_derive_record (kind, new_fields, &derived);

  if (current != NULL)
    {
      record = teren_record_copy (current);
      teren_record_set_fields (record, new_fields);
      teren_record_touch (record, now, self != NULL ? teren_store_get_author (self) : "");
    }
  else
    {
      const char *author = teren_store_get_author (self);

      new_id = teren_uuid_new ();
      record = teren_record_new_full (new_id, kind->name, line, 0, new_fields, FALSE,
                                      now, now, author, author);
    }

  if (!teren_store_tx_begin (self, db, error))
    return NULL;

  if (!write_record_row (db, record, derived.sort_key, &local_error) ||
      !teren_store_index_record (db, kind, teren_record_get_id (record), new_fields, &derived, FALSE,
                                 &local_error) ||
      !append_op (db, record, current != NULL ? TEREN_OP_UPDATE : TEREN_OP_CREATE, patch,
                  teren_store_get_author (self), now, &local_error) ||
      (draft_key != NULL && !db_delete_draft (db, draft_key, NULL, &local_error)) ||
      (current == NULL && !follow_amc_status (self, db, record, &local_error)))
    {
      teren_store_tx_rollback (self, db);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  teren_store_queue_changed (self, teren_record_get_id (record), kind->name, TRUE);

  /* Fault tests: everything written, nothing committed (SYNC-NOTES.md §4.2). */
  teren_crashpoint ("save_before_commit");
  if (!teren_store_tx_commit (self, db, error))
    return NULL;

  g_debug ("Saved a %s record (%u changed fields)", kind->name, json_object_get_size (patch));
  return g_steal_pointer (&record);
}

TerenRecord *
teren_store_save (TerenStore   *self,
                  const char   *kind,
                  const char   *line,
                  const char   *id,
                  JsonObject   *fields,
                  const char   *draft_key,
                  GPtrArray   **field_errors,
                  GError      **error)
{
  TerenDb *db;
  TerenRecord *record;

  g_return_val_if_fail (TEREN_IS_STORE (self), NULL);
  g_return_val_if_fail (kind != NULL, NULL);
  g_return_val_if_fail (field_errors == NULL || *field_errors == NULL, NULL);

  db = teren_store_lock_writer (self);
  record = save_locked (self, db, kind, line, id, fields, draft_key, field_errors, error);
  teren_store_unlock_writer (self);
  return record;
}

/* What a save or a draft runs with on the worker thread: copies, as the caller may keep
 * editing its object meanwhile. @id: the record's id; @key: the draft's key. */
typedef struct
{
  char       *kind;
  char       *line;
  char       *id;
  JsonObject *fields;
  char       *key;
  GPtrArray  *field_errors;
} WriteData;

static WriteData *
write_data_new (const char *kind,
                const char *line,
                const char *id,
                JsonObject *fields,
                const char *key)
{
  WriteData *data = g_new0 (WriteData, 1);

  data->kind = g_strdup (kind);
  data->line = g_strdup (line);
  data->id = g_strdup (id);
  data->fields = teren_json_object_copy (fields);
  data->key = g_strdup (key);
  return data;
}

static void
write_data_free (gpointer data)
{
  WriteData *write = data;

  g_free (write->kind);
  g_free (write->line);
  g_free (write->id);
  g_clear_pointer (&write->fields, json_object_unref);
  g_free (write->key);
  g_clear_pointer (&write->field_errors, g_ptr_array_unref);
  g_free (write);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  WriteData *save = task_data;
  GError *error = NULL;
  TerenRecord *record;

  record = teren_store_save (source_object, save->kind, save->line, save->id, save->fields,
                             save->key, &save->field_errors, &error);
  if (record == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, record, g_object_unref);
}

void
teren_store_save_async (TerenStore          *self,
                        const char          *kind,
                        const char          *line,
                        const char          *id,
                        JsonObject          *fields,
                        const char          *draft_key,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TEREN_IS_STORE (self));
  g_return_if_fail (kind != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, teren_store_save_async);
  g_task_set_task_data (task, write_data_new (kind, line, id, fields, draft_key), write_data_free);
  /* A save that started is finished: it is not cancelled halfway. */
  g_task_set_check_cancellable (task, FALSE);
  teren_store_run_in_worker (self, task, save_thread);
}

TerenRecord *
teren_store_save_finish (TerenStore    *self,
                         GAsyncResult  *result,
                         GPtrArray    **field_errors,
                         GError       **error)
{
  WriteData *save;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  save = g_task_get_task_data (G_TASK (result));
  if (field_errors != NULL)
    *field_errors = g_steal_pointer (&save->field_errors);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
teren_store_delete (TerenStore  *self,
                    const char  *id,
                    GError     **error)
{
  g_autoptr(TerenRecord) record = NULL;
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *now = NULL;
  g_autofree char *sort_key = NULL;
  TerenDb *db;
  gboolean ok = FALSE;

  g_return_val_if_fail (TEREN_IS_STORE (self), FALSE);

  db = teren_store_lock_writer (self);

  record = db_get_record (db, id, error);
  if (record == NULL)
    goto out;
  if (teren_record_get_deleted (record))
    {
      ok = TRUE;
      goto out;
    }

  now = teren_now_iso8601 ();
  teren_record_set_deleted (record, TRUE);
  teren_record_touch (record, now, teren_store_get_author (self));
  sort_key = teren_text_collate_key (teren_record_get_title (record));

  if (!teren_store_tx_begin (self, db, error))
    goto out;

  if (!write_record_row (db, record, sort_key, &local_error) ||
      !teren_store_unindex_record (db, id, &local_error) ||
      !append_op (db, record, TEREN_OP_DELETE, patch, teren_store_get_author (self), now,
                  &local_error))
    {
      teren_store_tx_rollback (self, db);
      g_propagate_error (error, g_steal_pointer (&local_error));
      goto out;
    }

  teren_store_queue_changed (self, id, teren_record_get_kind (record), TRUE);
  ok = teren_store_tx_commit (self, db, error);
  if (ok)
    g_debug ("Deleted a %s record", teren_record_get_kind (record));

out:
  teren_store_unlock_writer (self);
  return ok;
}

/* ---- Queries ------------------------------------------------------------------------ */

static GPtrArray *
collect_ids (TerenDb       *db,
             sqlite3_stmt  *stmt,
             const char    *exclude_id,
             GPtrArray     *into,
             GError       **error)
{
  GPtrArray *ids = into != NULL ? into : g_ptr_array_new_with_free_func (g_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      guint i;
      gboolean seen = FALSE;

      if (exclude_id != NULL && g_strcmp0 (id, exclude_id) == 0)
        continue;
      if (into != NULL)
        for (i = 0; i < ids->len && !seen; i++)
          seen = strcmp (ids->pdata[i], id) == 0;
      if (!seen)
        g_ptr_array_add (ids, g_strdup (id));
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      teren_db_set_error (db, rc, error);
      if (into == NULL)
        g_ptr_array_unref (ids);
      return NULL;
    }
  return ids;
}

GPtrArray *
teren_store_list_ids (TerenStore  *self,
                      const char  *kind,
                      GError     **error)
{
  static const char sql[] =
    "SELECT id FROM record WHERE kind = ?1 AND deleted = 0 ORDER BY sort_key, id";
  TerenDb *db;
  sqlite3_stmt *stmt;
  GPtrArray *ids = NULL;

  g_return_val_if_fail (TEREN_IS_STORE (self), NULL);
  g_return_val_if_fail (kind != NULL, NULL);

  db = teren_store_acquire_reader (self, NULL);
  stmt = teren_db_prepare (db, sql, error);
  if (stmt != NULL)
    {
      teren_db_bind_text (stmt, 1, kind);
      ids = collect_ids (db, stmt, NULL, NULL, error);
    }
  teren_store_release_reader (self, db);
  return ids;
}

static gint64
count_query (TerenStore *self,
             const char *sql,
             const char *param)
{
  TerenDb *db = teren_store_acquire_reader (self, NULL);
  sqlite3_stmt *stmt = teren_db_prepare (db, sql, NULL);
  gint64 count = 0;

  if (stmt != NULL)
    {
      if (param != NULL)
        teren_db_bind_text (stmt, 1, param);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        count = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
    }
  teren_store_release_reader (self, db);
  return count;
}

guint
teren_store_count (TerenStore *self,
                   const char *kind)
{
  static const char sql[] = "SELECT count(*) FROM record WHERE kind = ?1 AND deleted = 0";

  g_return_val_if_fail (TEREN_IS_STORE (self), 0);
  g_return_val_if_fail (kind != NULL, 0);

  return (guint) count_query (self, sql, kind);
}

GPtrArray *
teren_store_find_by_field (TerenStore  *self,
                           const char  *kind,
                           const char  *key,
                           const char  *value,
                           GError     **error)
{
  static const char sql_ref[] =
    "SELECT r.record_id FROM record_ref r JOIN record c ON c.id = r.record_id "
    "WHERE r.value = ?1 AND r.kind = ?2 AND r.key = ?3 AND c.deleted = 0 "
    "ORDER BY c.sort_key, c.id";
  static const char sql_scan[] =
    "SELECT id FROM record WHERE kind = ?1 AND deleted = 0 AND json_extract (fields, ?2) = ?3 "
    "ORDER BY sort_key, id";
  const TerenKindDef *kind_def;
  const TerenFieldDef *field;
  TerenDb *db;
  sqlite3_stmt *stmt;
  GPtrArray *ids = NULL;
  const char *p;

  g_return_val_if_fail (TEREN_IS_STORE (self), NULL);
  g_return_val_if_fail (kind != NULL && key != NULL, NULL);

  for (p = key; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      break;
  if (key[0] == '\0' || *p != '\0')
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID, _("“%s” is not a field name"), key);
      return NULL;
    }

  if (value == NULL)
    return g_ptr_array_new_with_free_func (g_free);

  kind_def = teren_schema_lookup_kind (kind);
  field = kind_def != NULL ? teren_kind_lookup_field (kind_def, key) : NULL;

  db = teren_store_acquire_reader (self, NULL);
  if (field != NULL && field->type == TEREN_FIELD_REFERENCE)
    {
      stmt = teren_db_prepare (db, sql_ref, error);
      if (stmt != NULL)
        {
          teren_db_bind_text (stmt, 1, value);
          teren_db_bind_text (stmt, 2, kind);
          teren_db_bind_text (stmt, 3, key);
        }
    }
  else
    {
      stmt = teren_db_prepare (db, sql_scan, error);
      if (stmt != NULL)
        {
          g_autofree char *path = g_strdup_printf ("$.%s", key);

          teren_db_bind_text (stmt, 1, kind);
          teren_db_bind_text (stmt, 2, path);
          teren_db_bind_text (stmt, 3, value);
        }
    }
  if (stmt != NULL)
    ids = collect_ids (db, stmt, NULL, NULL, error);
  teren_store_release_reader (self, db);
  return ids;
}

static char *
kinds_to_json (const char * const *kinds)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  guint i;

  if (kinds == NULL)
    kinds = default_search_kinds;
  for (i = 0; kinds[i] != NULL; i++)
    json_array_add_string_element (array, kinds[i]);
  json_node_set_array (node, array);
  return teren_json_to_string (node);
}

/* 13 digits (spaces and dashes ignored) are a CNP. */
static char *
query_as_cnp (const char *query)
{
  g_autofree char *cnp = teren_cnp_normalize (query);
  const char *p;

  if (strlen (cnp) != 13)
    return NULL;
  for (p = cnp; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return NULL;
  return g_steal_pointer (&cnp);
}

/* An FTS5 query: every folded word as a quoted prefix, all required. */
static char *
fts_query_for (const char *folded)
{
  g_auto(GStrv) words = g_strsplit (folded, " ", -1);
  GString *out = g_string_new (NULL);
  guint i;

  for (i = 0; words[i] != NULL; i++)
    {
      g_autofree char *escaped = NULL;
      g_auto(GStrv) parts = NULL;

      if (words[i][0] == '\0')
        continue;
      parts = g_strsplit (words[i], "\"", -1);
      escaped = g_strjoinv ("\"\"", parts);
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append_printf (out, "\"%s\"*", escaped);
    }
  return g_string_free (out, FALSE);
}

/* Every live record of up to four kinds in (sort_key, id) order: one ordered range of
 * record_by_kind per kind, merged (MERGE (UNION ALL)), where "kind IN (…)" would sort them
 * all in a temporary B-tree (140,000 rows for the register's persons and households, when
 * the window opens). ?1…?4: the kinds; ?5: the limit. */
#define ALL_ARM(n) "SELECT id, sort_key FROM record WHERE kind = ?" #n " AND deleted = 0"
#define ALL_ORDER " ORDER BY sort_key, id LIMIT ?5"
static const char * const sql_all_of_n[] = {
  NULL,
  ALL_ARM (1) ALL_ORDER,
  ALL_ARM (1) " UNION ALL " ALL_ARM (2) ALL_ORDER,
  ALL_ARM (1) " UNION ALL " ALL_ARM (2) " UNION ALL " ALL_ARM (3) ALL_ORDER,
  ALL_ARM (1) " UNION ALL " ALL_ARM (2) " UNION ALL " ALL_ARM (3) " UNION ALL " ALL_ARM (4) ALL_ORDER,
};
#undef ALL_ARM
#undef ALL_ORDER

/* The statement of sql_all_of_n for @kinds, bound; NULL when there are more kinds than it
 * has arms, or one twice (the merge would give its records twice). */
static sqlite3_stmt *
prepare_all_of_kinds (TerenDb             *db,
                      const char * const  *kinds,
                      gint64               limit,
                      GError             **error)
{
  sqlite3_stmt *stmt;
  guint n, i, j;

  n = g_strv_length ((char **) kinds);
  if (n == 0 || n >= G_N_ELEMENTS (sql_all_of_n))
    return NULL;
  for (i = 0; i < n; i++)
    for (j = i + 1; j < n; j++)
      if (strcmp (kinds[i], kinds[j]) == 0)
        return NULL;
  stmt = teren_db_prepare (db, sql_all_of_n[n], error);
  if (stmt == NULL)
    return NULL;
  for (i = 0; i < n; i++)
    teren_db_bind_text (stmt, (int) i + 1, kinds[i]);
  sqlite3_bind_int64 (stmt, 5, limit);
  return stmt;
}

static GPtrArray *
search_db (TerenDb             *db,
           TerenSearchOrder    *order,
           const char * const  *kinds,
           const char          *query,
           guint                limit,
           GError             **error)
{
  static const char sql_all[] =
    "SELECT id FROM record WHERE kind IN (SELECT value FROM json_each (?1)) AND deleted = 0 "
    "ORDER BY sort_key, id LIMIT ?2";
  static const char sql_cnp[] =
    "SELECT id FROM search WHERE cnp = ?1 AND kind IN (SELECT value FROM json_each (?2)) "
    "ORDER BY sort_key, id LIMIT ?3";
  static const char sql_text[] =
    "SELECT s.id FROM search_fts f JOIN search s ON s.n = f.rowid "
    "WHERE search_fts MATCH ?1 AND s.kind IN (SELECT value FROM json_each (?2)) "
    "ORDER BY substr (s.title, 1, length (?3)) <> ?3, s.sort_key, s.id LIMIT ?4";
  g_autofree char *kinds_json = kinds_to_json (kinds);
  g_autofree char *folded = teren_text_fold (query != NULL ? query : "");
  g_autofree char *cnp = NULL;
  gint64 sql_limit = limit > 0 ? (gint64) limit : -1;
  sqlite3_stmt *stmt;

  if (folded[0] == '\0')
    {
      g_autoptr(GError) local_error = NULL;

      stmt = prepare_all_of_kinds (db, kinds != NULL ? kinds : default_search_kinds, sql_limit, &local_error);
      if (stmt != NULL)
        return collect_ids (db, stmt, NULL, NULL, error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      stmt = teren_db_prepare (db, sql_all, error);
      if (stmt == NULL)
        return NULL;
      teren_db_bind_text (stmt, 1, kinds_json);
      sqlite3_bind_int64 (stmt, 2, sql_limit);
      return collect_ids (db, stmt, NULL, NULL, error);
    }

  cnp = query_as_cnp (query);
  if (cnp != NULL)
    {
      stmt = teren_db_prepare (db, sql_cnp, error);
      if (stmt == NULL)
        return NULL;
      teren_db_bind_text (stmt, 1, cnp);
      teren_db_bind_text (stmt, 2, kinds_json);
      sqlite3_bind_int64 (stmt, 3, sql_limit);
      return collect_ids (db, stmt, NULL, NULL, error);
    }
  else
    {
      g_autofree char *match = fts_query_for (folded);
      GPtrArray *ordered;

      if (match[0] == '\0')
        return g_ptr_array_new_with_free_func (g_free);

      /* Many matches ("s"): the order kept in memory spares sorting them. */
      ordered = order != NULL
        ? teren_search_order_query (order, db, match, kinds != NULL ? kinds : default_search_kinds,
                                    folded, limit)
        : NULL;
      if (ordered != NULL)
        return ordered;

      stmt = teren_db_prepare (db, sql_text, error);
      if (stmt == NULL)
        return NULL;
      teren_db_bind_text (stmt, 1, match);
      teren_db_bind_text (stmt, 2, kinds_json);
      teren_db_bind_text (stmt, 3, folded);
      sqlite3_bind_int64 (stmt, 4, sql_limit);
      return collect_ids (db, stmt, NULL, NULL, error);
    }
}

static GPtrArray *
search_cancellable (TerenStore          *self,
                    const char * const  *kinds,
                    const char          *query,
                    guint                limit,
                    GCancellable        *cancellable,
                    GError             **error)
{
  TerenDb *db = teren_store_acquire_reader (self, cancellable);
  GPtrArray *ids = search_db (db, teren_store_get_search_order (self), kinds, query, limit, error);

  teren_store_release_reader (self, db);
  return ids;
}

GPtrArray *
teren_store_search (TerenStore          *self,
                    const char * const  *kinds,
                    const char          *query,
                    guint                limit,
                    GError             **error)
{
  g_return_val_if_fail (TEREN_IS_STORE (self), NULL);

  return search_cancellable (self, kinds, query, limit, NULL, error);
}

typedef struct
{
  GStrv  kinds;
  char  *query;
  guint  limit;
} SearchData;

static void
search_data_free (gpointer data)
{
  SearchData *search = data;

  g_strfreev (search->kinds);
  g_free (search->query);
  g_free (search);
}

static void
search_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SearchData *search = task_data;
  GError *error = NULL;
  GPtrArray *ids;

  if (g_task_return_error_if_cancelled (task))
    return;

  ids = search_cancellable (source_object, (const char * const *) search->kinds, search->query,
                            search->limit, cancellable, &error);
  if (ids == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, ids, (GDestroyNotify) g_ptr_array_unref);
}

void
teren_store_search_async (TerenStore          *self,
                          const char * const  *kinds,
                          const char          *query,
                          guint                limit,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SearchData *search;

  g_return_if_fail (TEREN_IS_STORE (self));

  search = g_new0 (SearchData, 1);
  search->kinds = kinds != NULL ? g_strdupv ((char **) kinds) : NULL;
  search->query = g_strdup (query != NULL ? query : "");
  search->limit = limit;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, teren_store_search_async);
  g_task_set_task_data (task, search, search_data_free);
  teren_store_run_in_worker (self, task, search_thread);
}

GPtrArray *
teren_store_search_finish (TerenStore    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

GPtrArray *
teren_store_find_by_cnp (TerenStore  *self,
                         const char  *cnp,
                         GError     **error)
{
  /* "+kind": the exact key's index, not search_by_kind (which would read every person
   * to spare a sort of one or two rows). */
  static const char sql[] =
    "SELECT id FROM search WHERE cnp = ?1 AND +kind = 'person' ORDER BY sort_key, id";
  g_autofree char *normalized = NULL;
  TerenDb *db;
  sqlite3_stmt *stmt;
  GPtrArray *ids = NULL;

  g_return_val_if_fail (TEREN_IS_STORE (self), NULL);

  normalized = teren_cnp_normalize (cnp != NULL ? cnp : "");
  if (normalized[0] == '\0')
    return g_ptr_array_new_with_free_func (g_free);

  db = teren_store_acquire_reader (self, NULL);
  stmt = teren_db_prepare (db, sql, error);
  if (stmt != NULL)
    {
      teren_db_bind_text (stmt, 1, normalized);
      ids = collect_ids (db, stmt, NULL, NULL, error);
    }
  teren_store_release_reader (self, db);
  return ids;
}

GPtrArray *
teren_store_find_duplicates (TerenStore  *self,
                             JsonObject  *person_fields,
                             const char  *exclude_id,
                             GError     **error)
{
  static const char sql_cnp[] =
    "SELECT id FROM search WHERE cnp = ?1 AND +kind = 'person' ORDER BY sort_key, id";
  static const char sql_dup[] =
    "SELECT id FROM search WHERE dup_key = ?1 AND +kind = 'person' ORDER BY sort_key, id";
  const TerenKindDef *kind = teren_schema_lookup_kind ("person");
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *cnp = NULL;
  g_autofree char *dup_key = NULL;
  const char *status;
  TerenDb *db;
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;

  g_return_val_if_fail (TEREN_IS_STORE (self), NULL);

  fields = teren_json_object_copy (person_fields);
  teren_schema_normalize_fields (kind, fields);

  status = teren_json_get_string (fields, "cnp_status", NULL);
  cnp = cnp_key_for (fields);
  /* Only a valid CNP identifies a person. */
  if (cnp != NULL &&
      ((status != NULL && strcmp (status, TEREN_CNP_STATUS_VALID) != 0) ||
       teren_cnp_validate (cnp, NULL, NULL) != TEREN_CNP_OK))
    g_clear_pointer (&cnp, g_free);
  dup_key = dup_key_for (fields);

  if (cnp == NULL && dup_key == NULL)
    return g_steal_pointer (&ids);

  db = teren_store_acquire_reader (self, NULL);
  if (cnp != NULL)
    {
      stmt = teren_db_prepare (db, sql_cnp, error);
      ok = stmt != NULL;
      if (ok)
        {
          teren_db_bind_text (stmt, 1, cnp);
          ok = collect_ids (db, stmt, exclude_id, ids, error) != NULL;
        }
    }
  if (ok && dup_key != NULL)
    {
      stmt = teren_db_prepare (db, sql_dup, error);
      ok = stmt != NULL;
      if (ok)
        {
          teren_db_bind_text (stmt, 1, dup_key);
          ok = collect_ids (db, stmt, exclude_id, ids, error) != NULL;
        }
    }
  teren_store_release_reader (self, db);

  return ok ? g_steal_pointer (&ids) : NULL;
}

/* ---- Drafts ------------------------------------------------------------------------- */

gboolean
teren_store_put_draft (TerenStore  *self,
                       const char  *key,
                       const char  *kind,
                       const char  *line,
                       const char  *record_id,
                       JsonObject  *fields,
                       GError     **error)
{
  static const char sql[] =
    "INSERT INTO draft (key, kind, line, record_id, fields, updated_at, n) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, (SELECT coalesce (max (n), 0) + 1 FROM draft)) "
    "ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, line = excluded.line, "
    "  record_id = excluded.record_id, fields = excluded.fields, "
    "  updated_at = excluded.updated_at, n = excluded.n";
  g_autofree char *json = NULL;
  g_autofree char *now = NULL;
  TerenDb *db;
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  g_return_val_if_fail (TEREN_IS_STORE (self), FALSE);

  if (key == NULL || key[0] == '\0' || kind == NULL || teren_schema_lookup_kind (kind) == NULL)
    {
      g_set_error_literal (error, TEREN_ERROR, TEREN_ERROR_INVALID,
                           _("A draft needs a key and a known kind of record"));
      return FALSE;
    }

  json = teren_json_object_to_string (fields != NULL ? fields : NULL);
  if (fields == NULL)
    {
      g_free (json);
      json = g_strdup ("{}");
    }
  now = teren_now_iso8601 ();

  db = teren_store_lock_writer (self);
  stmt = teren_db_prepare (db, sql, error);
  if (stmt != NULL)
    {
      teren_db_bind_text (stmt, 1, key);
      teren_db_bind_text (stmt, 2, kind);
      teren_db_bind_text (stmt, 3, line != NULL ? line : "");
      teren_db_bind_text (stmt, 4, record_id);
      teren_db_bind_text (stmt, 5, json);
      teren_db_bind_text (stmt, 6, now);
      ok = teren_db_run (db, stmt, error);
    }
  teren_store_unlock_writer (self);
  return ok;
}

static void
put_draft_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  WriteData *draft = task_data;
  GError *error = NULL;

  if (teren_store_put_draft (source_object, draft->key, draft->kind, draft->line,
                             draft->id, draft->fields, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
teren_store_put_draft_async (TerenStore          *self,
                             const char          *key,
                             const char          *kind,
                             const char          *line,
                             const char          *record_id,
                             JsonObject          *fields,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TEREN_IS_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, teren_store_put_draft_async);
  g_task_set_task_data (task, write_data_new (kind, line, record_id, fields, key), write_data_free);
  teren_store_run_in_worker (self, task, put_draft_thread);
}

gboolean
teren_store_put_draft_finish (TerenStore    *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

JsonObject *
teren_store_get_draft (TerenStore  *self,
                       const char  *key,
                       char       **out_kind,
                       char       **out_line,
                       char       **out_record_id,
                       GError     **error)
{
  static const char sql[] = "SELECT kind, line, record_id, fields FROM draft WHERE key = ?1";
  JsonObject *fields = NULL;
  TerenDb *db;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TEREN_IS_STORE (self), NULL);

  db = teren_store_acquire_reader (self, NULL);
  stmt = teren_db_prepare (db, sql, error);
  if (stmt == NULL)
    goto out;

  teren_db_bind_text (stmt, 1, key);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      fields = teren_json_parse_object ((const char *) sqlite3_column_text (stmt, 3), -1,
                                        TEREN_JSON_MAX_DEPTH, error);
      if (fields != NULL)
        {
          if (out_kind != NULL)
            *out_kind = teren_db_column_dup (stmt, 0);
          if (out_line != NULL)
            *out_line = teren_db_column_dup (stmt, 1);
          if (out_record_id != NULL)
            *out_record_id = teren_db_column_dup (stmt, 2);
        }
    }
  else if (rc == SQLITE_DONE)
    g_set_error_literal (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND, _("There is no such draft"));
  else
    teren_db_set_error (db, rc, error);
  sqlite3_reset (stmt);

out:
  teren_store_release_reader (self, db);
  return fields;
}

gboolean
teren_store_delete_draft (TerenStore  *self,
                          const char  *key,
                          GError     **error)
{
  TerenDb *db;
  gboolean deleted = FALSE;
  gboolean ok;

  g_return_val_if_fail (TEREN_IS_STORE (self), FALSE);

  db = teren_store_lock_writer (self);
  ok = db_delete_draft (db, key, &deleted, error);
  teren_store_unlock_writer (self);

  if (ok && !deleted)
    {
      g_set_error_literal (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND, _("There is no such draft"));
      return FALSE;
    }
  return ok;
}

GPtrArray *
teren_store_list_drafts (TerenStore  *self,
                         GError     **error)
{
  static const char sql[] = "SELECT key FROM draft ORDER BY n DESC";
  TerenDb *db;
  sqlite3_stmt *stmt;
  GPtrArray *keys = NULL;

  g_return_val_if_fail (TEREN_IS_STORE (self), NULL);

  db = teren_store_acquire_reader (self, NULL);
  stmt = teren_db_prepare (db, sql, error);
  if (stmt != NULL)
    keys = collect_ids (db, stmt, NULL, NULL, error);
  teren_store_release_reader (self, db);
  return keys;
}

/* ---- Op-log ------------------------------------------------------------------------- */

guint
teren_store_count_pending (TerenStore *self)
{
  static const char sql[] = "SELECT count(*) FROM oplog";

  g_return_val_if_fail (TEREN_IS_STORE (self), 0);

  return (guint) count_query (self, sql, NULL);
}

/* One op-log row (columns change_id, prev_change, record_id, kind, line, op, base_rev,
 * patch, author, device_time, resolves) as an operation. A damaged patch leaves
 * op->patch %NULL and sets @error. (transfer full) */
TerenOp *
teren_store_op_from_row (sqlite3_stmt  *stmt,
                         GError       **error)
{
  TerenOp *op = teren_op_new ();
  const char *resolves = (const char *) sqlite3_column_text (stmt, 10);

  op->change_id = teren_db_column_dup (stmt, 0);
  op->prev_change = teren_db_column_dup (stmt, 1);
  op->record_id = teren_db_column_dup (stmt, 2);
  op->kind = teren_db_column_dup (stmt, 3);
  g_free (op->line);
  op->line = teren_db_column_dup (stmt, 4);
  teren_op_type_from_string ((const char *) sqlite3_column_text (stmt, 5), &op->op);
  op->base_rev = sqlite3_column_int64 (stmt, 6);
  g_clear_pointer (&op->patch, json_object_unref);
  op->patch = teren_json_parse_object ((const char *) sqlite3_column_text (stmt, 7), -1,
                                       TEREN_JSON_MAX_DEPTH, error);
  op->author = teren_db_column_dup (stmt, 8);
  op->device_time = teren_db_column_dup (stmt, 9);
  if (resolves != NULL)
    {
      g_autoptr(JsonNode) node = teren_json_parse (resolves, -1, TEREN_JSON_MAX_DEPTH, NULL);

      if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);
          guint i, n = json_array_get_length (array);

          op->resolves = g_new0 (char *, n + 1);
          for (i = 0; i < n; i++)
            op->resolves[i] = g_strdup (json_array_get_string_element (array, i));
        }
    }
  return op;
}

GPtrArray *
teren_store_list_pending_ops (TerenStore  *self,
                              guint        limit,
                              GError     **error)
{
  static const char sql[] =
    "SELECT change_id, prev_change, record_id, kind, line, op, base_rev, patch, author, "
    "  device_time, resolves "
    "FROM oplog WHERE state IN ('pending', 'in_flight') ORDER BY n LIMIT ?1";
  g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func ((GDestroyNotify) teren_op_free);
  TerenDb *db;
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;
  int rc = SQLITE_DONE;

  g_return_val_if_fail (TEREN_IS_STORE (self), NULL);

  db = teren_store_acquire_reader (self, NULL);
  stmt = teren_db_prepare (db, sql, error);
  if (stmt == NULL)
    {
      teren_store_release_reader (self, db);
      return NULL;
    }

  sqlite3_bind_int64 (stmt, 1, limit > 0 ? (gint64) limit : -1);
  while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(TerenOp) op = teren_store_op_from_row (stmt, error);

      ok = op->patch != NULL;
      if (ok)
        g_ptr_array_add (ops, g_steal_pointer (&op));
    }
  sqlite3_reset (stmt);
  if (ok && rc != SQLITE_DONE)
    {
      teren_db_set_error (db, rc, error);
      ok = FALSE;
    }
  teren_store_release_reader (self, db);

  return ok ? g_steal_pointer (&ops) : NULL;
}

TerenRecordSyncState
teren_store_get_sync_state (TerenStore  *self,
                            const char  *id,
                            guint       *out_pending,
                            char       **out_reason)
{
  static const char sql_ops[] =
    "SELECT count(*), "
    "  sum (state = 'quarantined'), sum (state = 'held'), "
    "  (SELECT last_error FROM oplog WHERE record_id = ?1 AND state = 'quarantined' "
    "   ORDER BY n LIMIT 1) "
    "FROM oplog WHERE record_id = ?1";
  static const char sql_conflicts[] =
    "SELECT count(*) FROM conflict WHERE record_id = ?1 AND state <> 'resolved'";
  TerenRecordSyncState state = TEREN_RECORD_SYNCED;
  TerenDb *db;
  sqlite3_stmt *stmt;
  guint pending = 0;
  gint64 quarantined = 0;
  gint64 held = 0;
  gint64 conflicts = 0;
  g_autofree char *reason = NULL;

  g_return_val_if_fail (TEREN_IS_STORE (self), TEREN_RECORD_SYNCED);

  db = teren_store_acquire_reader (self, NULL);
  stmt = teren_db_prepare (db, sql_ops, NULL);
  if (stmt != NULL)
    {
      teren_db_bind_text (stmt, 1, id);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          pending = (guint) sqlite3_column_int64 (stmt, 0);
          quarantined = sqlite3_column_int64 (stmt, 1);
          held = sqlite3_column_int64 (stmt, 2);
          reason = teren_db_column_dup (stmt, 3);
        }
      sqlite3_reset (stmt);
    }
  stmt = teren_db_prepare (db, sql_conflicts, NULL);
  if (stmt != NULL)
    {
      teren_db_bind_text (stmt, 1, id);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        conflicts = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
    }
  teren_store_release_reader (self, db);

  if (quarantined > 0 || held > 0)
    {
      state = TEREN_RECORD_QUARANTINED;
      if (reason == NULL)
        reason = g_strdup (_("Waits for an earlier change that the server refused"));
    }
  else if (conflicts > 0)
    state = TEREN_RECORD_IN_CONFLICT;
  else if (pending > 0)
    state = TEREN_RECORD_WAITING;

  if (out_pending != NULL)
    *out_pending = pending;
  if (out_reason != NULL)
    *out_reason = state == TEREN_RECORD_QUARANTINED ? g_steal_pointer (&reason) : NULL;
  return state;
}

gboolean
teren_store_check_integrity (TerenStore  *self,
                             GError     **error)
{
  TerenDb *db;
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GString) problems = g_string_new (NULL);
  int rc;

  g_return_val_if_fail (TEREN_IS_STORE (self), FALSE);

  db = teren_store_acquire_reader (self, NULL);
  rc = sqlite3_prepare_v2 (db->db, "PRAGMA integrity_check", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          const char *line = (const char *) sqlite3_column_text (stmt, 0);

          if (g_strcmp0 (line, "ok") != 0)
            {
              if (problems->len > 0)
                g_string_append (problems, "; ");
              g_string_append (problems, line);
            }
        }
      if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    }
  if (rc != SQLITE_OK)
    teren_db_set_error (db, rc, error);
  sqlite3_finalize (stmt);
  teren_store_release_reader (self, db);

  if (rc != SQLITE_OK)
    return FALSE;
  if (problems->len > 0)
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_CORRUPT,
                   _("The database is damaged: %s"), problems->str);
      return FALSE;
    }
  return TRUE;
}

static void
check_integrity_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  GError *error = NULL;

  if (teren_store_check_integrity (source_object, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
teren_store_check_integrity_async (TerenStore          *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TEREN_IS_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, teren_store_check_integrity_async);
  g_task_run_in_thread (task, check_integrity_thread);
}

gboolean
teren_store_check_integrity_finish (TerenStore    *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
