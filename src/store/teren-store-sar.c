/* teren-store-sar.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "teren-error.h"
#include "teren-store-private.h"
#include "teren-store-sar.h"

GPtrArray *
teren_store_list_referencing (TerenStore  *self,
                              const char  *id,
                              GError     **error)
{
  static const char sql[] =
    "SELECT DISTINCT r.record_id, c.kind, c.sort_key FROM record_ref r "
    "JOIN record c ON c.id = r.record_id "
    "WHERE r.value = ?1 AND c.deleted = 0 AND r.record_id <> ?1 "
    "ORDER BY c.kind, c.sort_key, r.record_id";
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  TerenDb *db;
  sqlite3_stmt *stmt;
  int rc = SQLITE_DONE;

  g_return_val_if_fail (TEREN_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  db = teren_store_acquire_reader (self, NULL);
  stmt = teren_db_prepare (db, sql, error);
  if (stmt != NULL)
    {
      teren_db_bind_text (stmt, 1, id);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (ids, teren_db_column_dup (stmt, 0));
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        teren_db_set_error (db, rc, error);
    }
  teren_store_release_reader (self, db);

  if (stmt == NULL || rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&ids);
}

JsonArray *
teren_store_list_history (TerenStore  *self,
                          const char  *record_id,
                          GError     **error)
{
  static const char sql[] =
    "SELECT op, fields, author, at, source, change_id FROM history "
    "WHERE record_id = ?1 ORDER BY n";
  g_autoptr(JsonArray) history = json_array_new ();
  TerenDb *db;
  sqlite3_stmt *stmt;
  int rc = SQLITE_DONE;

  g_return_val_if_fail (TEREN_IS_STORE (self), NULL);
  g_return_val_if_fail (record_id != NULL, NULL);

  db = teren_store_acquire_reader (self, NULL);
  stmt = teren_db_prepare (db, sql, error);
  if (stmt != NULL)
    {
      teren_db_bind_text (stmt, 1, record_id);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          g_autoptr(JsonObject) change = json_object_new ();
          const char *fields_text = (const char *) sqlite3_column_text (stmt, 1);
          g_autoptr(JsonNode) fields = json_from_string (fields_text != NULL ? fields_text : "[]", NULL);
          const char *change_id = (const char *) sqlite3_column_text (stmt, 5);

          json_object_set_string_member (change, "op", (const char *) sqlite3_column_text (stmt, 0));
          if (fields == NULL || !JSON_NODE_HOLDS_ARRAY (fields))
            json_object_set_array_member (change, "fields", json_array_new ());
          else
            json_object_set_member (change, "fields", g_steal_pointer (&fields));
          json_object_set_string_member (change, "author", (const char *) sqlite3_column_text (stmt, 2));
          json_object_set_string_member (change, "at", (const char *) sqlite3_column_text (stmt, 3));
          json_object_set_string_member (change, "source", (const char *) sqlite3_column_text (stmt, 4));
          if (change_id != NULL)
            json_object_set_string_member (change, "change_id", change_id);
          else
            json_object_set_null_member (change, "change_id");
          json_array_add_object_element (history, g_steal_pointer (&change));
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        teren_db_set_error (db, rc, error);
    }
  teren_store_release_reader (self, db);

  if (stmt == NULL || rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&history);
}
