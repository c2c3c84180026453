/* teren-server-sqlite-push.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "teren-json.h"
#include "teren-line.h"
#include "teren-merge.h"
#include "teren-schema.h"
#include "teren-uuid.h"
#include "teren-server-apply.h"
#include "teren-server-json-write.h"
#include "teren-server-sqlite-private.h"

/* Operations of POST /push: idempotency, decision, revisions, feed rows and grants. */
typedef struct {
  gint64      seq;
  char       *updated_by;
  char       *updated_at;
  GHashTable *changed_by;   /* field → FieldChange: the latest other revision since the base */
} Current;

/* Who last changed a field on the server, and when: the "server" side of a conflict item
 * is that person's value, not the record's last author (who may have changed another
 * field since, or be the sender of this batch's previous operation). */
typedef struct {
  char *author;
  char *server_time;
} FieldChange;

static void
field_change_free (gpointer data)
{
  FieldChange *change = data;

  g_free (change->author);
  g_free (change->server_time);
  g_free (change);
}

static void
current_clear (Current *current)
{
  g_clear_pointer (&current->updated_by, g_free);
  g_clear_pointer (&current->updated_at, g_free);
  g_clear_pointer (&current->changed_by, g_hash_table_unref);
}

static void
field_author (const Current  *current,
              const char     *field,
              const char    **out_by,
              const char    **out_at)
{
  FieldChange *change = current->changed_by != NULL && field != NULL
                        ? g_hash_table_lookup (current->changed_by, field) : NULL;

  *out_by = change != NULL ? change->author : current->updated_by;
  *out_at = change != NULL ? change->server_time : current->updated_at;
}

/* The fields of a sys.conflict record name, per item, who set the server's value and
 * when, and at the top who made the server's state the change met: a laptop that pulls
 * the record shows them (the record's own author is the one whose change did not go in). */
static void
attribute_conflict (JsonObject    *cfields,
                    const Current *current)
{
  JsonArray *items = json_object_get_array_member (cfields, "fields");
  guint i;

  for (i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      const char *by, *at;

      field_author (current, json_object_get_string_member_with_default (item, "field", NULL), &by, &at);
      if (by != NULL)
        json_object_set_string_member (item, "server_by", by);
      if (at != NULL)
        json_object_set_string_member (item, "server_at", at);
    }
  if (current->updated_by != NULL)
    json_object_set_string_member (cfields, "server_by", current->updated_by);
  if (current->updated_at != NULL)
    json_object_set_string_member (cfields, "server_at", current->updated_at);
}


gboolean
teren_sqlite_record_in_scope (TerenSqliteConn          *conn,
                              const TerenServerAccount *account,
                              const char               *record_id,
                              const char               *line)
{
  g_autoptr(GPtrArray) keys = NULL;
  g_autofree char *own = NULL;
  guint i;

  if (line != NULL && line[0] != '\0' && teren_server_account_has_line (account, line))
    return TRUE;

  /* Registry records by their grants; a line's record also by the other lines' feed rows
   * it has (a referral to another line). */
  keys = teren_sqlite_feed_keys_of (conn, record_id, NULL);
  if (keys == NULL)
    return FALSE;
  own = teren_sqlite_account_key (account->id);
  for (i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);

      if (strcmp (key, own) == 0 || teren_server_account_has_line (account, key))
        return TRUE;
    }
  return FALSE;
}


static void
add_json_keys (GHashTable *set,
               GHashTable *changed_by,
               const char *json_array,
               const char *author,
               const char *server_time)
{
  g_autoptr(JsonNode) node = NULL;
  JsonArray *array;
  guint i;

  if (json_array == NULL)
    return;
  node = teren_json_parse (json_array, -1, 8, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;
  array = json_node_get_array (node);
  for (i = 0; i < json_array_get_length (array); i++)
    {
      const char *key = json_array_get_string_element (array, i);

      if (key == NULL)
        continue;
      g_hash_table_add (set, g_strdup (key));
      if (changed_by != NULL)
        {
          FieldChange *change = g_new0 (FieldChange, 1);

          change->author = g_strdup (author);
          change->server_time = g_strdup (server_time);
          g_hash_table_replace (changed_by, g_strdup (key), change);
        }
    }
}

typedef struct {
  gint64  rev;
  char   *change_id;
  char   *prev_change;
  char   *changed_fields;
  char   *op;
  char   *author;
  char   *server_time;
} Rev;

static void
rev_free (gpointer data)
{
  Rev *rev = data;

  g_free (rev->change_id);
  g_free (rev->prev_change);
  g_free (rev->changed_fields);
  g_free (rev->op);
  g_free (rev->author);
  g_free (rev->server_time);
  g_free (rev);
}

static gboolean
load_state (TerenSqliteConn           *conn,
            const TerenServerAccount  *account,
            const TerenOp             *op,
            TerenServerRecordState    *state,
            Current                   *current,
            GError                   **error)
{
  sqlite3_stmt *stmt;
  g_autoptr(GPtrArray) revs = NULL;
  g_autoptr(GHashTable) chain = NULL;
  const char *walk;
  guint i;

  stmt = teren_sqlite_conn_stmt (conn, "SELECT kind, line, rev, deleted, fields, seq, updated_by, updated_at "
                          "FROM records WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, op->record_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      state->exists = TRUE;
      state->kind = teren_sqlite_col_text (stmt, 0);
      state->line = teren_sqlite_col_text (stmt, 1);
      state->rev = sqlite3_column_int64 (stmt, 2);
      state->deleted = sqlite3_column_int (stmt, 3) != 0;
      state->fields = teren_sqlite_parse_fields ((const char *) sqlite3_column_text (stmt, 4));
      current->seq = sqlite3_column_int64 (stmt, 5);
      current->updated_by = teren_sqlite_col_text (stmt, 6);
      current->updated_at = teren_sqlite_col_text (stmt, 7);
    }
  sqlite3_reset (stmt);

  state->server_changed = teren_sqlite_string_set_new ();
  if (!state->exists)
    {
      state->fields = json_object_new ();
      state->base_fields = json_object_new ();
      return TRUE;
    }

  state->in_scope = teren_sqlite_record_in_scope (conn, account, op->record_id, state->line);

  /* Revisions after the base, and the operation's own chain among them. */
  revs = g_ptr_array_new_with_free_func (rev_free);
  stmt = teren_sqlite_conn_stmt (conn, "SELECT rev, change_id, prev_change, changed_fields, op, author, "
                          "server_time FROM history WHERE record_id = ? AND rev > ? ORDER BY rev", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, op->record_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, op->base_rev);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      Rev *rev = g_new0 (Rev, 1);

      rev->rev = sqlite3_column_int64 (stmt, 0);
      rev->change_id = teren_sqlite_col_text (stmt, 1);
      rev->prev_change = teren_sqlite_col_text (stmt, 2);
      rev->changed_fields = teren_sqlite_col_text (stmt, 3);
      rev->op = teren_sqlite_col_text (stmt, 4);
      rev->author = teren_sqlite_col_text (stmt, 5);
      rev->server_time = teren_sqlite_col_text (stmt, 6);
      g_ptr_array_add (revs, rev);
    }
  sqlite3_reset (stmt);

  chain = g_hash_table_new (g_direct_hash, g_direct_equal);
  walk = op->prev_change;
  while (walk != NULL)
    {
      const char *next = NULL;

      for (i = 0; i < revs->len; i++)
        {
          Rev *rev = g_ptr_array_index (revs, i);

          if (rev->change_id != NULL && strcmp (rev->change_id, walk) == 0 &&
              !g_hash_table_contains (chain, rev))
            {
              g_hash_table_add (chain, rev);
              next = rev->prev_change;
              break;
            }
        }
      walk = next;
    }

  for (i = 0; i < revs->len; i++)
    {
      Rev *rev = g_ptr_array_index (revs, i);

      if (g_hash_table_contains (chain, rev))
        continue;
      if (current->changed_by == NULL)
        current->changed_by = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, field_change_free);
      /* In revision order: the latest change of a field is the one kept. */
      add_json_keys (state->server_changed, current->changed_by, rev->changed_fields, rev->author,
                     rev->server_time);
      if (g_strcmp0 (rev->op, "delete") == 0)
        state->deleted_since_base = TRUE;
    }

  if (op->base_rev > 0)
    {
      stmt = teren_sqlite_conn_stmt (conn, "SELECT fields FROM history WHERE record_id = ? AND rev = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, op->record_id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, op->base_rev);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        state->base_fields = teren_sqlite_parse_fields ((const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
    }
  if (state->base_fields == NULL)
    state->base_fields = json_object_new ();
  return TRUE;
}

static gboolean
feed_put (TerenSqliteConn  *conn,
          const char       *key,
          const char       *record_id,
          gint64            seq,
          GError          **error)
{
  sqlite3_stmt *stmt = teren_sqlite_conn_stmt (conn, "INSERT OR REPLACE INTO feed (key, record_id, seq) VALUES (?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, record_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, seq);
  return teren_sqlite_step_done (conn, stmt, error);
}

static gboolean
feed_touch (TerenSqliteConn  *conn,
            const char       *record_id,
            gint64            seq,
            GError          **error)
{
  sqlite3_stmt *stmt = teren_sqlite_conn_stmt (conn, "UPDATE feed SET seq = ? WHERE record_id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  sqlite3_bind_text (stmt, 2, record_id, -1, SQLITE_STATIC);
  return teren_sqlite_step_done (conn, stmt, error);
}

static gboolean grant_references (TerenSqlite *self, TerenSqliteConn *conn, const char *key, const char *kind,
                                  JsonObject *fields, guint depth, GError **error);

/* Gives the feed key @key a row for the registry record @target (a grant), with a new seq;
 * remembered for later if @target is not there yet. */
static gboolean
grant (TerenSqlite      *self,
       TerenSqliteConn  *conn,
       const char       *key,
       const char       *target,
       guint             depth,
       GError          **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *kind = NULL;
  g_autoptr(JsonObject) fields = NULL;
  gboolean found = FALSE;

  if (depth > 4)
    return TRUE;

  stmt = teren_sqlite_conn_stmt (conn, "SELECT 1 FROM feed WHERE key = ? AND record_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, target, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  if (found)
    return TRUE;

  stmt = teren_sqlite_conn_stmt (conn, "SELECT kind, fields FROM records WHERE id = ? AND line = ''", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, target, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      found = TRUE;
      kind = teren_sqlite_col_text (stmt, 0);
      fields = teren_sqlite_parse_fields ((const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);

  if (!found)
    {
      stmt = teren_sqlite_conn_stmt (conn, "INSERT OR IGNORE INTO pending_grants (target, key) VALUES (?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, target, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, key, -1, SQLITE_STATIC);
      return teren_sqlite_step_done (conn, stmt, error);
    }

  if (!feed_put (conn, key, target, ++self->seq, error))
    return FALSE;
  stmt = teren_sqlite_conn_stmt (conn, "DELETE FROM purges WHERE key = ? AND record_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, target, -1, SQLITE_STATIC);
  if (!teren_sqlite_step_done (conn, stmt, error))
    return FALSE;
  return grant_references (self, conn, key, kind, fields, depth + 1, error);
}

/* Grants @key every registry record of @refs (teren_server_registry_references). */
static gboolean
grant_all (TerenSqlite      *self,
           TerenSqliteConn  *conn,
           const char       *key,
           GPtrArray        *refs,
           guint             depth,
           GError          **error)
{
  guint i;

  for (i = 0; i < refs->len; i++)
    if (!grant (self, conn, key, g_ptr_array_index (refs, i), depth, error))
      return FALSE;
  return TRUE;
}

static gboolean
grant_references (TerenSqlite      *self,
                  TerenSqliteConn  *conn,
                  const char       *key,
                  const char       *kind,
                  JsonObject       *fields,
                  guint             depth,
                  GError          **error)
{
  g_autoptr(GPtrArray) refs = teren_server_registry_references (kind, fields);

  return grant_all (self, conn, key, refs, depth, error);
}

/* Keeps `refs` for the line record @record_id (line @key) and, when it no longer
 * references a registry record that no other record of the line references, takes that
 * record out of the line's feed and lists it in `purges` (SYNC.md: a registry record that
 * leaves an account's scope is purged). */
static gboolean
update_refs (TerenSqlite      *self,
             TerenSqliteConn  *conn,
             const char       *record_id,
             const char       *key,
             const char       *kind,
             JsonObject       *fields,
             gboolean          deleted,
             GError          **error)
{
  g_autoptr(GPtrArray) now_refs = NULL;
  g_autoptr(GPtrArray) old_refs = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  guint i;

  now_refs = deleted ? g_ptr_array_new_with_free_func (g_free) : teren_server_registry_references (kind, fields);

  stmt = teren_sqlite_conn_stmt (conn, "SELECT target FROM refs WHERE source = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (old_refs, teren_sqlite_col_text (stmt, 0));
  sqlite3_reset (stmt);

  for (i = 0; i < now_refs->len; i++)
    {
      stmt = teren_sqlite_conn_stmt (conn, "INSERT OR IGNORE INTO refs (source, key, target) VALUES (?, ?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, key, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, g_ptr_array_index (now_refs, i), -1, SQLITE_STATIC);
      if (!teren_sqlite_step_done (conn, stmt, error))
        return FALSE;
    }

  for (i = 0; i < old_refs->len; i++)
    {
      const char *target = g_ptr_array_index (old_refs, i);
      gboolean still;

      if (g_ptr_array_find_with_equal_func (now_refs, target, g_str_equal, NULL))
        continue;
      stmt = teren_sqlite_conn_stmt (conn, "DELETE FROM refs WHERE source = ? AND target = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, target, -1, SQLITE_STATIC);
      if (!teren_sqlite_step_done (conn, stmt, error))
        return FALSE;

      stmt = teren_sqlite_conn_stmt (conn, "SELECT 1 FROM refs WHERE key = ? AND target = ? LIMIT 1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, target, -1, SQLITE_STATIC);
      still = sqlite3_step (stmt) == SQLITE_ROW;
      sqlite3_reset (stmt);
      if (still)
        continue;

      stmt = teren_sqlite_conn_stmt (conn, "DELETE FROM feed WHERE key = ? AND record_id = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, target, -1, SQLITE_STATIC);
      if (!teren_sqlite_step_done (conn, stmt, error))
        return FALSE;
      if (sqlite3_changes (conn->db) == 0)
        continue;
      stmt = teren_sqlite_conn_stmt (conn, "INSERT OR REPLACE INTO purges (key, record_id, seq) VALUES (?, ?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, target, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, ++self->seq);
      if (!teren_sqlite_step_done (conn, stmt, error))
        return FALSE;
    }
  return TRUE;
}

typedef struct {
  const char *id;
  const char *kind;
  const char *line;
  gint64      rev;
  gint64      seq;
  gboolean    deleted;
  JsonObject *fields;
  const char *updated_by;
  const char *updated_at;
} RecordView;

/* Writes a new revision of a record: records row, history row, feed rows and grants.
 * @copy_keys_from: for a new registry-line system record (a conflict of a registry
 * record), the record whose feed keys it gets. */
static gboolean
write_revision (TerenSqlite              *self,
                TerenSqliteConn          *conn,
                const TerenServerCaller  *caller,
                const TerenOp            *op,
                const char               *op_name,
                const char               *record_id,
                const char               *kind,
                const char               *line,
                gboolean                  exists,
                gint64                    new_rev,
                gboolean                  deleted,
                JsonObject               *fields,
                GPtrArray                *changed,
                const char               *now,
                const char               *copy_keys_from,
                gint64                   *out_seq,
                char                    **out_fields_text,
                GError                  **error)
{
  g_autofree char *fields_text = teren_server_json_object_to_string (fields);
  g_autofree char *changed_text = NULL;
  GString *changed_out = g_string_sized_new (128);
  sqlite3_stmt *stmt;
  gint64 seq = ++self->seq;
  guint i;

  teren_server_json_append_strings (changed_out, changed);
  changed_text = g_string_free (changed_out, FALSE);

  if (exists)
    {
      stmt = teren_sqlite_conn_stmt (conn, "UPDATE records SET rev = ?, seq = ?, deleted = ?, fields = ?, "
                              "updated_at = ?, updated_by = ? WHERE id = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, new_rev);
      sqlite3_bind_int64 (stmt, 2, seq);
      sqlite3_bind_int (stmt, 3, deleted ? 1 : 0);
      sqlite3_bind_text (stmt, 4, fields_text, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, now, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, caller->account->username, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 7, record_id, -1, SQLITE_STATIC);
    }
  else
    {
      stmt = teren_sqlite_conn_stmt (conn, "INSERT INTO records (id, kind, line, rev, seq, deleted, fields, "
                              "created_at, created_by, updated_at, updated_by) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, line, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, new_rev);
      sqlite3_bind_int64 (stmt, 5, seq);
      sqlite3_bind_int (stmt, 6, deleted ? 1 : 0);
      sqlite3_bind_text (stmt, 7, fields_text, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 8, now, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 9, caller->account->username, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 10, now, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 11, caller->account->username, -1, SQLITE_STATIC);
    }
  if (!teren_sqlite_step_done (conn, stmt, error))
    return FALSE;

  stmt = teren_sqlite_conn_stmt (conn, "INSERT INTO history (record_id, rev, seq, change_id, prev_change, op, "
                          "device_id, account, author, server_time, device_time, changed_fields, "
                          "fields, deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, new_rev);
  sqlite3_bind_int64 (stmt, 3, seq);
  if (op != NULL)
    {
      sqlite3_bind_text (stmt, 4, op->change_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, op->prev_change, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 9, op->author, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 11, op->device_time, -1, SQLITE_STATIC);
    }
  sqlite3_bind_text (stmt, 6, op_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, caller->device_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, caller->account->username, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 12, changed_text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 13, fields_text, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 14, deleted ? 1 : 0);
  if (!teren_sqlite_step_done (conn, stmt, error))
    return FALSE;
  if (!teren_sqlite_blobs_ref_revision (conn, record_id, new_rev, fields, error))
    return FALSE;

  /* Feed rows. */
  if (line[0] != '\0')
    {
      if (!feed_put (conn, line, record_id, seq, error))
        return FALSE;
      if (!update_refs (self, conn, record_id, line, kind, fields, deleted, error))
        return FALSE;
      if (!deleted && !grant_references (self, conn, line, kind, fields, 0, error))
        return FALSE;
      /* A referral to another service line is that line's too: it sees the referral and
       * its person, and answers it (accepted or declined, with the reason). */
      if (strcmp (kind, "referral") == 0)
        {
          const char *to_line = teren_json_get_string (fields, "to_line", NULL);

          if (to_line != NULL && to_line[0] != '\0' && strcmp (to_line, line) != 0 &&
              teren_line_lookup (to_line) != NULL)
            {
              if (!feed_put (conn, to_line, record_id, seq, error))
                return FALSE;
              if (!deleted && !grant_references (self, conn, to_line, kind, fields, 0, error))
                return FALSE;
            }
        }
    }
  else
    {
      g_autoptr(GPtrArray) keys = NULL;

      if (exists && !feed_touch (conn, record_id, seq, error))
        return FALSE;
      if (!exists)
        {
          g_autoptr(GPtrArray) from_keys = NULL;

          if (copy_keys_from != NULL)
            {
              from_keys = teren_sqlite_feed_keys_of (conn, copy_keys_from, error);
              if (from_keys == NULL)
                return FALSE;
              for (i = 0; i < from_keys->len; i++)
                if (!feed_put (conn, g_ptr_array_index (from_keys, i), record_id, seq, error))
                  return FALSE;
            }
          else
            {
              g_autofree char *own = teren_sqlite_account_key (caller->account->id);
              GPtrArray *pending = g_ptr_array_new_with_free_func (g_free);

              if (!feed_put (conn, own, record_id, seq, error))
                {
                  g_ptr_array_unref (pending);
                  return FALSE;
                }
              /* Grants asked for before this record existed. */
              stmt = teren_sqlite_conn_stmt (conn, "SELECT key FROM pending_grants WHERE target = ?", error);
              if (stmt == NULL)
                {
                  g_ptr_array_unref (pending);
                  return FALSE;
                }
              sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_STATIC);
              while (sqlite3_step (stmt) == SQLITE_ROW)
                g_ptr_array_add (pending, teren_sqlite_col_text (stmt, 0));
              sqlite3_reset (stmt);
              for (i = 0; i < pending->len; i++)
                if (!feed_put (conn, g_ptr_array_index (pending, i), record_id, seq, error))
                  {
                    g_ptr_array_unref (pending);
                    return FALSE;
                  }
              /* (nothing to delete when no grant was waiting) */
              if (pending->len > 0)
                {
                  g_ptr_array_unref (pending);
                  stmt = teren_sqlite_conn_stmt (conn, "DELETE FROM pending_grants WHERE target = ?", error);
                  if (stmt == NULL)
                    return FALSE;
                  sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_STATIC);
                  if (!teren_sqlite_step_done (conn, stmt, error))
                    return FALSE;
                }
              else
                g_ptr_array_unref (pending);
            }
        }
      if (!deleted && teren_schema_lookup_kind (kind) != NULL)
        {
          g_autoptr(GPtrArray) refs = teren_server_registry_references (kind, fields);

          /* The record's feed keys are read only when it references registry records. */
          if (refs->len > 0)
            {
              keys = teren_sqlite_feed_keys_of (conn, record_id, error);
              if (keys == NULL)
                return FALSE;
              for (i = 0; i < keys->len; i++)
                if (!grant_all (self, conn, g_ptr_array_index (keys, i), refs, 0, error))
                  return FALSE;
            }
        }
    }

  *out_seq = seq;
  if (out_fields_text != NULL)
    *out_fields_text = g_steal_pointer (&fields_text);
  return TRUE;
}

/* The answers of push_one, written as text (the same text the JsonBuilder versions gave):
 * {"change_id","record_id","status" … */
static GString *
answer_open (const TerenOp *op,
             const char    *status)
{
  GString *out = g_string_sized_new (512);

  g_string_append_c (out, '{');
  teren_server_json_append_string_member (out, "change_id", op->change_id, FALSE);
  teren_server_json_append_string_member (out, "record_id", op->record_id, TRUE);
  teren_server_json_append_string_member (out, "status", status, TRUE);
  return out;
}

/* ,"rev","seq","record" of an answer; @fields_text: the record's fields already written
 * (NULL: written from view->fields). */
static void
append_record_view (GString          *out,
                    const RecordView *view,
                    const char       *fields_text)
{
  teren_server_json_append_int_member (out, "rev", view->rev);
  teren_server_json_append_int_member (out, "seq", view->seq);
  g_string_append_c (out, ',');
  teren_server_json_append_name (out, "record");
  g_string_append_c (out, '{');
  teren_server_json_append_string_member (out, "id", view->id, FALSE);
  teren_server_json_append_string_member (out, "kind", view->kind, TRUE);
  teren_server_json_append_string_member (out, "line", view->line, TRUE);
  teren_server_json_append_int_member (out, "rev", view->rev);
  teren_server_json_append_int_member (out, "seq", view->seq);
  g_string_append (out, view->deleted ? ",\"deleted\":true," : ",\"deleted\":false,");
  teren_server_json_append_name (out, "fields");
  if (view->deleted)
    g_string_append (out, "{}");
  else if (fields_text != NULL)
    g_string_append (out, fields_text);
  else
    teren_server_json_append_object (out, view->fields);
  teren_server_json_append_string_member (out, "updated_by", view->updated_by, TRUE);
  teren_server_json_append_string_member (out, "updated_at", view->updated_at, TRUE);
  g_string_append_c (out, '}');
}

/* One member of an answer's "conflicts". */
static void
append_conflict_item (GString    *out,
                      const char *field,
                      JsonNode   *base,
                      JsonNode   *server,
                      JsonNode   *local,
                      const char *server_by,
                      const char *server_at,
                      const char *conflict_id)
{
  g_string_append_c (out, '{');
  teren_server_json_append_string_member (out, "field", field, FALSE);
  g_string_append_c (out, ',');
  teren_server_json_append_name (out, "base");
  teren_server_json_append_node (out, base);
  g_string_append_c (out, ',');
  teren_server_json_append_name (out, "server");
  teren_server_json_append_node (out, server);
  g_string_append_c (out, ',');
  teren_server_json_append_name (out, "local");
  teren_server_json_append_node (out, local);
  teren_server_json_append_string_member (out, "server_by", server_by, TRUE);
  teren_server_json_append_string_member (out, "server_at", server_at, TRUE);
  teren_server_json_append_string_member (out, "conflict_id", conflict_id, TRUE);
  g_string_append_c (out, '}');
}

static char *
answer_close (GString *out)
{
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

JsonBuilder *
teren_sqlite_answer_begin (const TerenOp *op,
                           const char    *status)
{
  JsonBuilder *builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "change_id");
  json_builder_add_string_value (builder, op->change_id);
  json_builder_set_member_name (builder, "record_id");
  json_builder_add_string_value (builder, op->record_id);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, status);
  return builder;
}

JsonBuilder *
teren_sqlite_answer_begin_rejected (const TerenOp *op,
                                    const char    *code,
                                    const char    *message)
{
  JsonBuilder *builder = teren_sqlite_answer_begin (op, "rejected");

  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  return builder;
}

char *
teren_sqlite_answer_end (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = NULL;

  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return teren_json_to_string (root);
}

static char *
rejected_answer (const TerenOp             *op,
                 const TerenServerDecision *decision)
{
  g_autoptr(JsonBuilder) builder = teren_sqlite_answer_begin_rejected (op, decision->code, decision->message);
  guint i;

  if (decision->field_errors != NULL && decision->field_errors->len > 0)
    {
      json_builder_set_member_name (builder, "fields");
      json_builder_begin_object (builder);
      for (i = 0; i < decision->field_errors->len; i++)
        {
          TerenFieldError *fe = g_ptr_array_index (decision->field_errors, i);

          json_builder_set_member_name (builder, fe->field);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "code");
          json_builder_add_string_value (builder, fe->code);
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, fe->message);
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
      /* The same as a list, for clients that prefer it. */
      json_builder_set_member_name (builder, "errors");
      json_builder_begin_array (builder);
      for (i = 0; i < decision->field_errors->len; i++)
        {
          TerenFieldError *fe = g_ptr_array_index (decision->field_errors, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "field");
          json_builder_add_string_value (builder, fe->field);
          json_builder_set_member_name (builder, "code");
          json_builder_add_string_value (builder, fe->code);
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, fe->message);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  return teren_sqlite_answer_end (builder);
}

static gboolean
store_applied (TerenSqliteConn          *conn,
               const TerenServerCaller  *caller,
               const char               *change_id,
               const char               *fingerprint,
               const char               *status,
               const char               *answer,
               const char               *now,
               GError                  **error)
{
  sqlite3_stmt *stmt = teren_sqlite_conn_stmt (conn, "INSERT INTO applied (change_id, fingerprint, status, answer, "
                                        "account_id, server_time) VALUES (?, ?, ?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, change_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, fingerprint, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, status, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, answer, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, caller->account->id);
  sqlite3_bind_text (stmt, 6, now, -1, SQLITE_STATIC);
  return teren_sqlite_step_done (conn, stmt, error);
}


static char *
push_audit_detail (const char *status,
                   GPtrArray  *changed)
{
  GString *out = g_string_sized_new (128);

  g_string_append_c (out, '{');
  teren_server_json_append_string_member (out, "status", status, FALSE);
  g_string_append_c (out, ',');
  teren_server_json_append_name (out, "fields");
  teren_server_json_append_strings (out, changed);
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

/* Closes the open sys.conflict records named by @op->resolves that belong to its record. */
static gboolean
close_conflicts (TerenSqlite              *self,
                 TerenSqliteConn          *conn,
                 const TerenServerCaller  *caller,
                 const TerenOp            *op,
                 const char               *now,
                 GError                  **error)
{
  guint i;

  for (i = 0; op->resolves != NULL && op->resolves[i] != NULL; i++)
    {
      sqlite3_stmt *stmt;
      g_autoptr(JsonObject) fields = NULL;
      g_autofree char *line = NULL;
      gint64 rev = 0, seq = 0;
      gboolean found = FALSE;

      stmt = teren_sqlite_conn_stmt (conn, "SELECT line, rev, fields FROM records WHERE id = ? AND kind = '"
                              TEREN_CONFLICT_KIND "' AND deleted = 0", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, op->resolves[i], -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          found = TRUE;
          line = teren_sqlite_col_text (stmt, 0);
          rev = sqlite3_column_int64 (stmt, 1);
          fields = teren_sqlite_parse_fields ((const char *) sqlite3_column_text (stmt, 2));
        }
      sqlite3_reset (stmt);
      if (!found ||
          g_strcmp0 (teren_json_get_string (fields, "record", NULL), op->record_id) != 0 ||
          g_strcmp0 (teren_json_get_string (fields, "status", NULL), "open") != 0)
        continue;

      {
        g_autoptr(GPtrArray) changed = g_ptr_array_new_with_free_func (g_free);

        json_object_set_string_member (fields, "status", "resolved");
        json_object_set_string_member (fields, "resolved_by", caller->account->username);
        json_object_set_string_member (fields, "resolved_change", op->change_id);
        g_ptr_array_add (changed, g_strdup ("status"));
        if (!write_revision (self, conn, caller, NULL, "update", op->resolves[i], TEREN_CONFLICT_KIND,
                             line, TRUE, rev + 1, FALSE, fields, changed, now, NULL, &seq, NULL, error))
          return FALSE;
      }
    }
  return TRUE;
}

static gboolean
push_one (TerenSqlite              *self,
          TerenSqliteConn          *conn,
          const TerenServerCaller  *caller,
          TerenOp                  *op,
          char                    **out_answer,
          GError                  **error)
{
  const TerenServerAccount *account = caller->account;
  g_autofree char *fingerprint = teren_server_op_fingerprint (op);
  g_autofree char *now = teren_server_now_iso8601 ();
  g_autofree char *answer = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *conflict_id = NULL;
  TerenServerRecordState state = { 0 };
  TerenServerDecision decision = { 0 };
  Current current = { 0 };
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;
  gboolean found = FALSE;
  g_autofree char *stored_fp = NULL;
  g_autofree char *stored_answer = NULL;
  g_autofree char *stored_status = NULL;

  /* (a) idempotency */
  stmt = teren_sqlite_conn_stmt (conn, "SELECT fingerprint, answer, status FROM applied WHERE change_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, op->change_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      found = TRUE;
      stored_fp = teren_sqlite_col_text (stmt, 0);
      stored_answer = teren_sqlite_col_text (stmt, 1);
      stored_status = teren_sqlite_col_text (stmt, 2);
    }
  sqlite3_reset (stmt);
  if (found)
    {
      if (g_strcmp0 (stored_fp, fingerprint) == 0)
        {
          g_autoptr(JsonObject) object = teren_json_parse_object (stored_answer, -1, 1000, NULL);

          if (object == NULL)
            object = json_object_new ();
          json_object_set_string_member (object, "status", "duplicate");
          json_object_set_string_member (object, "original_status", stored_status);
          *out_answer = teren_json_object_to_string (object);
        }
      else
        {
          decision.code = g_strdup ("change_id_reused");
          decision.message = g_strdup (_("This change id was already used for another operation."));
          *out_answer = rejected_answer (op, &decision);
          teren_server_decision_clear (&decision);
        }
      return TRUE;
    }

  /* (b, c) authorisation and validation that need no stored state */
  if (!teren_server_precheck_op (account, op, &decision))
    goto store;

  /* (c') attachments not uploaded yet: retryable, so not stored as the answer */
  if (!teren_sqlite_blobs_missing_answer (conn, op, &answer, error))
    goto out;
  if (answer != NULL)
    {
      *out_answer = g_steal_pointer (&answer);
      ok = TRUE;
      goto out;
    }

  if (!load_state (conn, account, op, &state, &current, error))
    goto out;

  teren_server_decide (account, op, &state, &decision);

  /* (d') after a restore: an operation on a record or revision the server lost waits for
   * the device that made it to offer it again (retryable, not stored) */
  if (decision.outcome == TEREN_SERVER_OUTCOME_REJECT &&
      teren_sqlite_epoch_wait_answer (conn, op, decision.code, &answer))
    {
      *out_answer = g_steal_pointer (&answer);
      ok = TRUE;
      goto out;
    }

  switch (decision.outcome)
    {
    case TEREN_SERVER_OUTCOME_REJECT:
      break;

    case TEREN_SERVER_OUTCOME_UNCHANGED:
      {
        GString *out = answer_open (op, "applied");
        RecordView view = { op->record_id, state.kind, state.line, state.rev, current.seq, state.deleted,
                            state.fields, current.updated_by, current.updated_at };

        append_record_view (out, &view, NULL);
        answer = answer_close (out);
        break;
      }

    case TEREN_SERVER_OUTCOME_WRITE:
      {
        g_autofree char *fields_text = NULL;
        GString *out;
        gint64 new_rev = state.exists ? state.rev + 1 : 1;
        gint64 seq = 0;
        RecordView view;
        guint i;

        if (!write_revision (self, conn, caller, op, teren_op_type_to_string (op->op), op->record_id,
                             op->kind, op->line, state.exists, new_rev, decision.deleted,
                             decision.fields, decision.changed, now, NULL, &seq, &fields_text, error))
          goto out;

        if (decision.conflicts != NULL && decision.conflicts->len > 0)
          {
            g_autoptr(JsonObject) cfields = teren_merge_conflict_fields (op->record_id, op->kind, "field",
                                                                         op->change_id, account->username,
                                                                         decision.conflicts, NULL);
            g_autoptr(GPtrArray) ckeys = NULL;
            gint64 cseq = 0;

            attribute_conflict (cfields, &current);
            ckeys = teren_merge_patch_keys (cfields);
            conflict_id = teren_uuid_new ();
            if (!write_revision (self, conn, caller, NULL, "create", conflict_id, TEREN_CONFLICT_KIND,
                                 op->line, FALSE, 1, FALSE, cfields, ckeys, now,
                                 op->line[0] == '\0' ? op->record_id : NULL, &cseq, NULL, error))
              goto out;
          }
        if (!close_conflicts (self, conn, caller, op, now, error))
          goto out;

        view = (RecordView) { op->record_id, op->kind, op->line, new_rev, seq, decision.deleted,
                              decision.fields, account->username, now };
        out = answer_open (op, decision.status);
        append_record_view (out, &view, fields_text);
        if (conflict_id != NULL)
          {
            teren_server_json_append_string_member (out, "conflict_id", conflict_id, TRUE);
            teren_server_json_append_string_member (out, "reason", "field", TRUE);
            g_string_append_c (out, ',');
            teren_server_json_append_name (out, "conflicts");
            g_string_append_c (out, '[');
            for (i = 0; i < decision.conflicts->len; i++)
              {
                TerenMergeConflict *conflict = g_ptr_array_index (decision.conflicts, i);
                const char *by, *at;

                if (i > 0)
                  g_string_append_c (out, ',');
                field_author (&current, conflict->field, &by, &at);
                append_conflict_item (out, conflict->field, conflict->base, conflict->server,
                                      conflict->local, by, at, conflict_id);
              }
            g_string_append_c (out, ']');
          }
        answer = answer_close (out);
        break;
      }

    case TEREN_SERVER_OUTCOME_RECORD_CONFLICT:
      {
        GString *out;
        g_autoptr(JsonNode) local = json_node_init_object (json_node_alloc (), op->patch);
        g_autoptr(JsonObject) cfields = teren_merge_conflict_fields (op->record_id, op->kind,
                                                                     decision.conflict_reason,
                                                                     op->change_id, account->username,
                                                                     NULL, op->patch);
        g_autoptr(GPtrArray) ckeys = NULL;
        RecordView view = { op->record_id, state.kind, state.line, state.rev, current.seq, state.deleted,
                            state.fields, current.updated_by, current.updated_at };
        gint64 cseq = 0;

        attribute_conflict (cfields, &current);
        ckeys = teren_merge_patch_keys (cfields);
        conflict_id = teren_uuid_new ();
        if (!write_revision (self, conn, caller, NULL, "create", conflict_id, TEREN_CONFLICT_KIND,
                             op->line, FALSE, 1, FALSE, cfields, ckeys, now,
                             op->line[0] == '\0' ? op->record_id : NULL, &cseq, NULL, error))
          goto out;

        out = answer_open (op, "conflict");
        teren_server_json_append_string_member (out, "conflict_id", conflict_id, TRUE);
        teren_server_json_append_string_member (out, "reason", decision.conflict_reason, TRUE);
        append_record_view (out, &view, NULL);
        g_string_append_c (out, ',');
        teren_server_json_append_name (out, "conflicts");
        g_string_append_c (out, '[');
        append_conflict_item (out, "", NULL, NULL, local, current.updated_by, current.updated_at,
                              conflict_id);
        g_string_append_c (out, ']');
        answer = answer_close (out);
        break;
      }

    default:
      g_assert_not_reached ();
    }

store:
  if (decision.outcome == TEREN_SERVER_OUTCOME_REJECT)
    answer = rejected_answer (op, &decision);
  if (!store_applied (conn, caller, op->change_id, fingerprint, decision.status, answer, now, error))
    goto out;
  detail = push_audit_detail (decision.status, decision.changed);
  if (!teren_sqlite_audit_row_at (conn, now, account->username, caller->device_id, "push", op->record_id,
                                  op->change_id, detail, error))
    goto out;

  *out_answer = g_steal_pointer (&answer);
  ok = TRUE;

out:
  teren_server_record_state_clear (&state);
  teren_server_decision_clear (&decision);
  current_clear (&current);
  return ok;
}

typedef struct {
  const TerenServerCaller *caller;
  GPtrArray               *ops;
  GPtrArray               *results;
} PushJob;

gboolean
teren_sqlite_push_job (TerenSqlite      *self,
                       TerenSqliteConn  *conn,
                       gpointer          data,
                       GError          **error)
{
  PushJob *job = data;
  guint i;

  g_ptr_array_set_size (job->results, 0);
  for (i = 0; i < job->ops->len; i++)
    {
      char *answer = NULL;

      if (!teren_sqlite_conn_exec (conn, "SAVEPOINT op", error))
        return FALSE;
      if (!push_one (self, conn, job->caller, g_ptr_array_index (job->ops, i), &answer, error))
        {
          teren_sqlite_conn_exec (conn, "ROLLBACK TO op", NULL);
          teren_sqlite_conn_exec (conn, "RELEASE op", NULL);
          return FALSE;
        }
      g_ptr_array_add (job->results, answer);
      if (!teren_sqlite_conn_exec (conn, "RELEASE op", error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
teren_sqlite_push (TerenServerBackend       *backend,
                   const TerenServerCaller  *caller,
                   GPtrArray                *ops,
                   GPtrArray               **out_results,
                   GError                  **error)
{
  TerenSqlite *self = (TerenSqlite *) backend;
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_free);
  PushJob job = { caller, ops, results };

  if (!teren_sqlite_group_write (self, teren_sqlite_push_job, &job, error))
    return FALSE;
  *out_results = g_steal_pointer (&results);
  return TRUE;
}

/* ---- pull ------------------------------------------------------------------------- */

void
teren_sqlite_push_class_init (TerenServerBackendClass *klass)
{
  klass->push = teren_sqlite_push;
}
