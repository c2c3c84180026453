/* teren-store-nomenclature.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "teren-error.h"
#include "teren-json.h"
#include "teren-store-nomenclature.h"
#include "teren-store-private.h"

#define CURSOR_KEY "nomenclature_cursor"

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gboolean
teren_store_nomenclature_apply (TerenStore  *self,
                                JsonArray   *items,
                                const char  *cursor,
                                GError     **error)
{
  static const char upsert_sql[] =
    "INSERT INTO nomenclature (kind, code, data) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (kind, code) DO UPDATE SET data = excluded.data";
  static const char delete_sql[] = "DELETE FROM nomenclature WHERE kind = ?1 AND code = ?2";
  TerenDb *db;
  guint i, n;
  gboolean ok = FALSE;

  g_return_val_if_fail (TEREN_IS_STORE (self), FALSE);
  g_return_val_if_fail (items != NULL, FALSE);

  db = teren_store_lock_writer (self);
  if (!teren_store_tx_begin (self, db, error))
    {
      teren_store_unlock_writer (self);
      return FALSE;
    }

  n = json_array_get_length (items);
  for (i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      JsonObject *item;
      const char *kind, *code;
      JsonNode *deleted;
      sqlite3_stmt *stmt;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      item = json_node_get_object (node);
      kind = member_string (item, "kind");
      code = member_string (item, "code");
      if (kind == NULL || code == NULL || kind[0] == '\0' || code[0] == '\0')
        continue;
      deleted = json_object_get_member (item, "deleted");
      if (deleted != NULL && JSON_NODE_HOLDS_VALUE (deleted) &&
          json_node_get_value_type (deleted) == G_TYPE_BOOLEAN && json_node_get_boolean (deleted))
        {
          stmt = teren_db_prepare (db, delete_sql, error);
          if (stmt == NULL)
            goto out;
          teren_db_bind_text (stmt, 1, kind);
          teren_db_bind_text (stmt, 2, code);
        }
      else
        {
          g_autoptr(JsonObject) data = teren_json_object_copy (item);
          g_autofree char *text = NULL;

          json_object_remove_member (data, "kind");
          json_object_remove_member (data, "seq");
          json_object_remove_member (data, "deleted");
          text = teren_json_object_to_string (data);
          stmt = teren_db_prepare (db, upsert_sql, error);
          if (stmt == NULL)
            goto out;
          teren_db_bind_text (stmt, 1, kind);
          teren_db_bind_text (stmt, 2, code);
          sqlite3_bind_text (stmt, 3, text, -1, SQLITE_TRANSIENT);
        }
      if (!teren_db_run (db, stmt, error))
        goto out;
    }
  if (cursor != NULL && !teren_db_set_meta (db, CURSOR_KEY, cursor, error))
    goto out;
  ok = teren_store_tx_commit (self, db, error);

out:
  if (!ok)
    teren_store_tx_rollback (self, db);
  teren_store_unlock_writer (self);
  if (ok)
    g_debug ("Nomenclatures: %u items applied", n);
  return ok;
}

char *
teren_store_nomenclature_get_cursor (TerenStore *self)
{
  TerenDb *db;
  char *cursor;

  g_return_val_if_fail (TEREN_IS_STORE (self), NULL);

  db = teren_store_acquire_reader (self, NULL);
  cursor = teren_db_get_meta (db, CURSOR_KEY);
  teren_store_release_reader (self, db);
  return cursor;
}

gboolean
teren_store_nomenclature_reset_cursor (TerenStore  *self,
                                       GError     **error)
{
  static const char sql[] = "DELETE FROM sync_meta WHERE key = '" CURSOR_KEY "'";
  TerenDb *db;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (TEREN_IS_STORE (self), FALSE);

  db = teren_store_lock_writer (self);
  stmt = teren_db_prepare (db, sql, error);
  ok = stmt != NULL && teren_db_run (db, stmt, error);
  teren_store_unlock_writer (self);
  return ok;
}

guint
teren_store_nomenclature_count (TerenStore *self,
                                const char *kind)
{
  static const char sql[] = "SELECT count(*) FROM nomenclature WHERE kind = ?1";
  TerenDb *db;
  sqlite3_stmt *stmt;
  guint n = 0;

  g_return_val_if_fail (TEREN_IS_STORE (self), 0);

  db = teren_store_acquire_reader (self, NULL);
  stmt = teren_db_prepare (db, sql, NULL);
  if (stmt != NULL)
    {
      teren_db_bind_text (stmt, 1, kind);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        n = (guint) sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
    }
  teren_store_release_reader (self, db);
  return n;
}

JsonObject *
teren_store_nomenclature_get (TerenStore *self,
                              const char *kind,
                              const char *code)
{
  static const char sql[] = "SELECT data FROM nomenclature WHERE kind = ?1 AND code = ?2";
  TerenDb *db;
  sqlite3_stmt *stmt;
  g_autofree char *text = NULL;

  g_return_val_if_fail (TEREN_IS_STORE (self), NULL);

  db = teren_store_acquire_reader (self, NULL);
  stmt = teren_db_prepare (db, sql, NULL);
  if (stmt != NULL)
    {
      teren_db_bind_text (stmt, 1, kind);
      teren_db_bind_text (stmt, 2, code);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        text = teren_db_column_dup (stmt, 0);
      sqlite3_reset (stmt);
    }
  teren_store_release_reader (self, db);
  return text != NULL ? teren_json_parse_object (text, -1, 100, NULL) : NULL;
}

GPtrArray *
teren_store_nomenclature_list (TerenStore  *self,
                               const char  *kind,
                               GError     **error)
{
  static const char sql[] = "SELECT data FROM nomenclature WHERE kind = ?1 ORDER BY code";
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  TerenDb *db;
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;
  int rc;

  g_return_val_if_fail (TEREN_IS_STORE (self), NULL);

  db = teren_store_acquire_reader (self, NULL);
  stmt = teren_db_prepare (db, sql, error);
  if (stmt == NULL)
    {
      teren_store_release_reader (self, db);
      return NULL;
    }
  teren_db_bind_text (stmt, 1, kind);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *text = teren_db_column_dup (stmt, 0);
      JsonObject *item = text != NULL ? teren_json_parse_object (text, -1, 100, NULL) : NULL;

      if (item != NULL)
        g_ptr_array_add (items, item);
    }
  if (rc != SQLITE_DONE)
    {
      teren_db_set_error (db, rc, error);
      ok = FALSE;
    }
  sqlite3_reset (stmt);
  teren_store_release_reader (self, db);
  return ok ? g_steal_pointer (&items) : NULL;
}

TerenIcd10Lookup
teren_store_icd10_lookup (TerenStore *self,
                          const char *code)
{
  static const char sql[] =
    "SELECT EXISTS (SELECT 1 FROM nomenclature WHERE kind = 'icd10' AND code IN (?1, ?2)),"
    "       EXISTS (SELECT 1 FROM nomenclature WHERE kind = 'icd10')";
  TerenIcd10Lookup answer = TEREN_ICD10_NO_LIST;
  g_autoptr(GString) undotted = g_string_new (NULL);
  TerenDb *db;
  sqlite3_stmt *stmt;
  const char *p;

  g_return_val_if_fail (TEREN_IS_STORE (self), TEREN_ICD10_NO_LIST);

  for (p = code; *p != '\0'; p++)
    if (*p != '.')
      g_string_append_c (undotted, *p);

  db = teren_store_acquire_reader (self, NULL);
  stmt = teren_db_prepare (db, sql, NULL);
  if (stmt != NULL)
    {
      teren_db_bind_text (stmt, 1, code);
      teren_db_bind_text (stmt, 2, undotted->str);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          if (sqlite3_column_int (stmt, 0) != 0)
            answer = TEREN_ICD10_KNOWN;
          else if (sqlite3_column_int (stmt, 1) != 0)
            answer = TEREN_ICD10_UNKNOWN;
        }
      sqlite3_reset (stmt);
    }
  teren_store_release_reader (self, db);
  return answer;
}

static TerenStore *lookup_store = NULL;   /* not a reference */

static TerenIcd10Lookup
lookup_cb (const char *code,
           gpointer    user_data)
{
  return teren_store_icd10_lookup (user_data, code);
}

void
teren_store_install_icd10_lookup (TerenStore *self)
{
  g_return_if_fail (TEREN_IS_STORE (self));

  lookup_store = self;
  teren_health_set_icd10_lookup (lookup_cb, self);
}

void
teren_store_uninstall_icd10_lookup (TerenStore *self)
{
  if (lookup_store != self)
    return;
  lookup_store = NULL;
  teren_health_set_icd10_lookup (NULL, NULL);
}
