/* teren-server-sqlite-feed.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "teren-crashpoint.h"
#include "teren-json.h"
#include "teren-server-sqlite-private.h"

static void
append_json_string (GString    *out,
                    const char *text)
{
  const char *p;

  g_string_append_c (out, '"');
  for (p = text != NULL ? text : ""; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, (char) c);
        }
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

typedef struct {
  char     *record_id;
  gint64    seq;
  gboolean  purge;     /* a row of `purges`: the record left the key's scope */
} FeedRow;

static void
feed_row_free (gpointer data)
{
  FeedRow *row = data;

  g_free (row->record_id);
  g_free (row);
}

static int
feed_row_compare (gconstpointer a,
                  gconstpointer b)
{
  const FeedRow *x = *(FeedRow * const *) a;
  const FeedRow *y = *(FeedRow * const *) b;

  return (x->seq > y->seq) - (x->seq < y->seq);
}

static gboolean
append_rows (TerenSqliteConn  *conn,
             const char       *sql,
             const char       *key,
             gint64            after,
             gint64            upto,
             guint             limit,
             gboolean          purge,
             GPtrArray        *rows,
             gboolean         *truncated,
             GError          **error)
{
  sqlite3_stmt *stmt = teren_sqlite_conn_stmt (conn, sql, error);
  guint n = 0;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, after);
  sqlite3_bind_int64 (stmt, 3, upto);
  sqlite3_bind_int64 (stmt, 4, (gint64) limit + 1);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      FeedRow *row;

      if (++n > limit)
        {
          *truncated = TRUE;
          break;
        }
      row = g_new0 (FeedRow, 1);
      row->record_id = teren_sqlite_col_text (stmt, 0);
      row->seq = sqlite3_column_int64 (stmt, 1);
      row->purge = purge;
      g_ptr_array_add (rows, row);
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/* Rows of @keys with after < seq ≤ upto, ordered by seq, at most @limit per key (and
 * the purges of those keys when @with_purges); *@truncated when a key had more. */
static GPtrArray *
feed_rows (TerenSqliteConn  *conn,
           GPtrArray        *keys,
           gint64            after,
           gint64            upto,
           guint             limit,
           gboolean          with_purges,
           gboolean         *truncated,
           GError          **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (feed_row_free);
  guint i;

  *truncated = FALSE;
  for (i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);

      if (!append_rows (conn, "SELECT record_id, seq FROM feed WHERE key = ? AND seq > ? AND seq <= ? "
                              "ORDER BY seq LIMIT ?", key, after, upto, limit, FALSE, rows, truncated, error))
        return NULL;
      if (with_purges &&
          !append_rows (conn, "SELECT record_id, seq FROM purges WHERE key = ? AND seq > ? AND seq <= ? "
                              "ORDER BY seq LIMIT ?", key, after, upto, limit, TRUE, rows, truncated, error))
        return NULL;
    }
  g_ptr_array_sort (rows, feed_row_compare);
  return g_steal_pointer (&rows);
}

/* Whether the account (feed keys @keys) still sees @record_id through some key. */
static gboolean
still_visible (TerenSqliteConn  *conn,
               GPtrArray        *keys,
               const char       *record_id,
               GError          **error)
{
  g_autoptr(GPtrArray) record_keys = teren_sqlite_feed_keys_of (conn, record_id, error);
  guint i;

  if (record_keys == NULL)
    return TRUE;
  for (i = 0; i < record_keys->len; i++)
    if (g_ptr_array_find_with_equal_func (keys, g_ptr_array_index (record_keys, i), g_str_equal, NULL))
      return TRUE;
  return FALSE;
}

/* The pull-page JSON of record @id, or NULL if there is no such record; *@out_deleted
 * tells whether it is a tombstone. */
static GString *
record_json (TerenSqliteConn  *conn,
             const char       *id,
             gboolean         *out_deleted,
             GError          **error)
{
  sqlite3_stmt *stmt;
  GString *item;
  gboolean deleted;

  stmt = teren_sqlite_conn_stmt (conn, "SELECT kind, line, rev, seq, deleted, fields, updated_by, updated_at "
                                       "FROM records WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return NULL;
    }
  deleted = sqlite3_column_int (stmt, 4) != 0;
  item = g_string_sized_new (256);
  g_string_append (item, "{\"id\":");
  append_json_string (item, id);
  g_string_append (item, ",\"kind\":");
  append_json_string (item, (const char *) sqlite3_column_text (stmt, 0));
  g_string_append (item, ",\"line\":");
  append_json_string (item, (const char *) sqlite3_column_text (stmt, 1));
  g_string_append_printf (item, ",\"rev\":%" G_GINT64_FORMAT ",\"seq\":%" G_GINT64_FORMAT
                          ",\"deleted\":%s,\"fields\":",
                          (gint64) sqlite3_column_int64 (stmt, 2), (gint64) sqlite3_column_int64 (stmt, 3),
                          deleted ? "true" : "false");
  g_string_append (item, deleted ? "{}" : (const char *) sqlite3_column_text (stmt, 5));
  g_string_append (item, ",\"updated_by\":");
  append_json_string (item, (const char *) sqlite3_column_text (stmt, 6));
  g_string_append (item, ",\"updated_at\":");
  append_json_string (item, (const char *) sqlite3_column_text (stmt, 7));
  g_string_append_c (item, '}');
  sqlite3_reset (stmt);
  *out_deleted = deleted;
  return item;
}

/* Appends the records of @rows to @page from position *@pos; skips tombstones with
 * seq ≤ @tomb_floor. Returns FALSE on a database error; *@full when the page is full. */
static gboolean
fill_page (TerenSqliteConn      *conn,
           GPtrArray            *keys,
           GPtrArray            *rows,
           TerenServerFeedPage  *page,
           GHashTable           *seen,
           guint                 limit,
           gsize                 max_bytes,
           gint64                tomb_floor,
           gint64               *pos,
           gboolean             *full,
           GError              **error)
{
  guint i;

  *full = FALSE;
  for (i = 0; i < rows->len; i++)
    {
      FeedRow *row = g_ptr_array_index (rows, i);
      g_autoptr(GString) item = NULL;
      gboolean deleted = FALSE;

      if (page->record_ids->len + page->purge->len >= limit)
        {
          *full = TRUE;
          return TRUE;
        }
      if (row->purge)
        {
          /* Only for a client that may hold it, and only if no other key shows it. */
          if (tomb_floor < row->seq && !g_hash_table_contains (seen, row->record_id) &&
              !still_visible (conn, keys, row->record_id, NULL) &&
              !g_ptr_array_find_with_equal_func (page->purge, row->record_id, g_str_equal, NULL))
            g_ptr_array_add (page->purge, g_strdup (row->record_id));
          *pos = row->seq;
          continue;
        }
      if (g_hash_table_contains (seen, row->record_id))
        {
          *pos = row->seq;
          continue;
        }

      item = record_json (conn, row->record_id, &deleted, error);
      if (item == NULL && error != NULL && *error != NULL)
        return FALSE;
      if (item == NULL || (deleted && row->seq <= tomb_floor))
        {
          *pos = row->seq;
          continue;
        }

      if (page->record_ids->len > 0 && page->records_json->len + item->len + 1 > max_bytes)
        {
          *full = TRUE;
          return TRUE;
        }
      if (page->records_json->len > 0)
        g_string_append_c (page->records_json, ',');
      g_string_append_len (page->records_json, item->str, item->len);
      g_ptr_array_add (page->record_ids, g_strdup (row->record_id));
      g_hash_table_add (seen, g_strdup (row->record_id));
      *pos = row->seq;
      /* A crash point of the fault tests (SYNC-NOTES.md §4.2): records of the page read,
       * its answer not complete (with TEREN_CRASHPOINT=pull_mid_page:P, a draw at each
       * record). */
      teren_crashpoint ("pull_mid_page");
    }
  return TRUE;
}

static GStrv
lines_at_version (TerenSqliteConn *conn,
                  gint64           account_id,
                  gint64           version)
{
  sqlite3_stmt *stmt = teren_sqlite_conn_stmt (conn, "SELECT lines FROM scope_versions WHERE account_id = ? AND version = ?", NULL);
  GStrv lines = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_int64 (stmt, 2, version);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    lines = teren_sqlite_lines_split ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return lines;
}

/* Ids visible through the removed lines and no longer through the account's keys. */
static gboolean
compute_purge (TerenSqliteConn           *conn,
               const TerenServerAccount  *account,
               GStrv                      removed,
               GPtrArray                 *purge,
               GError                   **error)
{
  g_autoptr(GPtrArray) keys = teren_sqlite_scope_keys (account);
  g_autoptr(GHashTable) seen = teren_sqlite_string_set_new ();
  guint i, k;

  for (i = 0; removed[i] != NULL; i++)
    {
      sqlite3_stmt *stmt = teren_sqlite_conn_stmt (conn, "SELECT record_id FROM feed WHERE key = ?", error);
      g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, removed[i], -1, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_ptr_array_add (ids, teren_sqlite_col_text (stmt, 0));
      sqlite3_reset (stmt);

      for (k = 0; k < ids->len; k++)
        {
          const char *id = g_ptr_array_index (ids, k);
          g_autoptr(GPtrArray) id_keys = NULL;
          gboolean still = FALSE;
          guint j;

          if (g_hash_table_contains (seen, id))
            continue;
          g_hash_table_add (seen, g_strdup (id));
          id_keys = teren_sqlite_feed_keys_of (conn, id, error);
          if (id_keys == NULL)
            return FALSE;
          for (j = 0; j < id_keys->len && !still; j++)
            still = g_ptr_array_find_with_equal_func (keys, g_ptr_array_index (id_keys, j), g_str_equal, NULL);
          if (!still)
            g_ptr_array_add (purge, g_strdup (id));
        }
    }
  return TRUE;
}

static GPtrArray *
split_keys (const char *text)
{
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) parts = teren_sqlite_lines_split (text);
  guint i;

  for (i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0')
      g_ptr_array_add (keys, g_strdup (parts[i]));
  return keys;
}

static gboolean
teren_sqlite_feed_page (TerenServerBackend        *backend,
                        const TerenServerCaller   *caller,
                        const TerenServerFeedPos  *from,
                        guint                      limit,
                        gsize                      max_bytes,
                        TerenServerFeedPage      **out_page,
                        GError                   **error)
{
  TerenSqlite *self = (TerenSqlite *) backend;
  const TerenServerAccount *account = caller->account;
  g_autoptr(TerenServerFeedPage) page = g_new0 (TerenServerFeedPage, 1);
  g_autoptr(GHashTable) seen = teren_sqlite_string_set_new ();
  g_autoptr(GPtrArray) keys = teren_sqlite_scope_keys (account);
  TerenServerFeedPos *pos = &page->next;
  TerenSqliteConn *conn;
  gboolean full = FALSE;
  gboolean truncated = FALSE;
  gboolean ok = FALSE;

  page->records_json = g_string_sized_new (64 * 1024);
  page->record_ids = g_ptr_array_new_with_free_func (g_free);
  page->purge = g_ptr_array_new_with_free_func (g_free);
  pos->seq = from->seq;
  pos->scope_version = from->scope_version;
  pos->tomb_floor = from->tomb_floor;
  pos->backfill = from->backfill;
  pos->backfill_pos = from->backfill_pos;
  pos->backfill_keys = g_strdup (from->backfill_keys);

  conn = teren_sqlite_reader_get (self, error);
  if (conn == NULL)
    return FALSE;
  if (!teren_sqlite_conn_exec (conn, "BEGIN", error))
    {
      teren_sqlite_reader_put (self, conn);
      return FALSE;
    }

  /* A cursor from a history this database no longer has (replaced by an older copy):
   * the epoch is renewed and the client is sent everything again, tombstones included,
   * as to a client of an older epoch (teren-server-sqlite-epoch.c). */
  if (!teren_sqlite_epoch_check_cursor (self, conn, MAX (pos->seq, pos->backfill_pos)))
    {
      pos->seq = 0;
      pos->tomb_floor = 0;
      pos->backfill = FALSE;
      pos->backfill_pos = 0;
      g_clear_pointer (&pos->backfill_keys, g_free);
      pos->scope_version = account->scope_version;
    }

  if (pos->seq == 0 && !pos->backfill && pos->scope_version == 0)
    {
      /* A first pull (no cursor): no tombstones of what existed before it started. A
       * client of an older epoch comes with scope_version set and gets them. */
      if (pos->tomb_floor == 0)
        pos->tomb_floor = teren_sqlite_query_int (conn, "SELECT IFNULL(MAX(seq), 0) FROM feed");
      pos->scope_version = account->scope_version;
    }

  if (pos->scope_version != account->scope_version)
    {
      g_auto(GStrv) old_lines = lines_at_version (conn, account->id, pos->scope_version);
      g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) removed = g_ptr_array_new_with_free_func (g_free);
      guint i;

      if (old_lines != NULL)
        {
          for (i = 0; account->lines[i] != NULL; i++)
            if (!g_strv_contains ((const char * const *) old_lines, account->lines[i]))
              g_ptr_array_add (added, g_strdup (account->lines[i]));
          for (i = 0; old_lines[i] != NULL; i++)
            if (!g_strv_contains ((const char * const *) account->lines, old_lines[i]))
              g_ptr_array_add (removed, g_strdup (old_lines[i]));
        }
      g_ptr_array_add (removed, NULL);
      if (!compute_purge (conn, account, (GStrv) removed->pdata, page->purge, error))
        goto out;
      g_ptr_array_set_size (removed, removed->len - 1);

      if (added->len > 0)
        {
          g_autofree char *joined = NULL;

          /* Backfill the new lines up to where the cursor already is (and whatever
           * backfill was in progress, which restarts with them). */
          if (pos->backfill && pos->backfill_keys != NULL)
            {
              g_autoptr(GPtrArray) old_keys = split_keys (pos->backfill_keys);

              for (i = 0; i < old_keys->len; i++)
                if (teren_server_account_has_line (account, g_ptr_array_index (old_keys, i)) &&
                    !g_ptr_array_find_with_equal_func (added, g_ptr_array_index (old_keys, i), g_str_equal, NULL))
                  g_ptr_array_add (added, g_strdup (g_ptr_array_index (old_keys, i)));
            }
          g_ptr_array_add (added, NULL);
          joined = g_strjoinv (",", (char **) added->pdata);
          g_free (pos->backfill_keys);
          pos->backfill_keys = g_steal_pointer (&joined);
          pos->backfill = TRUE;
          pos->backfill_pos = 0;
        }
      pos->scope_version = account->scope_version;
    }

  if (pos->backfill)
    {
      g_autoptr(GPtrArray) bkeys = split_keys (pos->backfill_keys);
      g_autoptr(GPtrArray) rows = feed_rows (conn, bkeys, pos->backfill_pos, pos->seq, limit, FALSE, &truncated, error);

      if (rows == NULL)
        goto out;
      /* Backfill sends no tombstones. */
      if (!fill_page (conn, bkeys, rows, page, seen, limit, max_bytes, G_MAXINT64, &pos->backfill_pos, &full, error))
        goto out;
      if (!full && !truncated)
        {
          pos->backfill = FALSE;
          pos->backfill_pos = 0;
          g_clear_pointer (&pos->backfill_keys, g_free);
        }
      else
        {
          page->more = TRUE;
        }
    }

  if (!pos->backfill)
    {
      g_autoptr(GPtrArray) rows = feed_rows (conn, keys, pos->seq, G_MAXINT64, limit, TRUE, &truncated, error);

      if (rows == NULL)
        goto out;
      if (!fill_page (conn, keys, rows, page, seen, limit, max_bytes, pos->tomb_floor, &pos->seq, &full, error))
        goto out;
      page->more = full || truncated;
    }
  ok = TRUE;

out:
  teren_sqlite_conn_exec (conn, "COMMIT", NULL);
  teren_sqlite_reader_put (self, conn);
  if (ok)
    *out_page = g_steal_pointer (&page);
  return ok;
}

static gboolean
teren_sqlite_record_history (TerenServerBackend  *backend,
                             const char          *record_id,
                             GPtrArray          **out_revisions,
                             GError             **error)
{
  TerenSqlite *self = (TerenSqlite *) backend;
  g_autoptr(GPtrArray) revisions = g_ptr_array_new_with_free_func ((GDestroyNotify) teren_server_revision_free);
  TerenSqliteConn *conn = teren_sqlite_reader_get (self, error);
  sqlite3_stmt *stmt;

  if (conn == NULL)
    return FALSE;
  stmt = teren_sqlite_conn_stmt (conn, "SELECT rev, seq, server_time, account, device_id, op, change_id, changed_fields "
                          "FROM history WHERE record_id = ? ORDER BY rev", error);
  if (stmt == NULL)
    {
      teren_sqlite_reader_put (self, conn);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      TerenServerRevision *rev = g_new0 (TerenServerRevision, 1);
      g_autoptr(GHashTable) set = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GPtrArray) names = g_ptr_array_new ();
      const char *changed = (const char *) sqlite3_column_text (stmt, 7);
      guint i;

      rev->rev = sqlite3_column_int64 (stmt, 0);
      rev->seq = sqlite3_column_int64 (stmt, 1);
      rev->server_time = teren_sqlite_col_text (stmt, 2);
      rev->account = teren_sqlite_col_text (stmt, 3);
      rev->device_id = teren_sqlite_col_text (stmt, 4);
      rev->op = teren_sqlite_col_text (stmt, 5);
      rev->change_id = teren_sqlite_col_text (stmt, 6);
      node = changed != NULL ? teren_json_parse (changed, -1, 8, NULL) : NULL;
      if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);

          for (i = 0; i < json_array_get_length (array); i++)
            g_ptr_array_add (names, (gpointer) json_array_get_string_element (array, i));
        }
      g_ptr_array_add (names, NULL);
      rev->changed_fields = g_strjoinv (",", (char **) names->pdata);
      g_ptr_array_add (revisions, rev);
    }
  sqlite3_reset (stmt);
  teren_sqlite_reader_put (self, conn);
  *out_revisions = g_steal_pointer (&revisions);
  return TRUE;
}


static gboolean
teren_sqlite_nomenclature_page (TerenServerBackend  *backend,
                                gint64               after_seq,
                                guint                limit,
                                GString             *out_items_json,
                                gint64              *out_last_seq,
                                gboolean            *out_more,
                                GError             **error)
{
  TerenSqlite *self = (TerenSqlite *) backend;
  TerenSqliteConn *conn = teren_sqlite_reader_get (self, error);
  sqlite3_stmt *stmt;
  gint64 last = after_seq;
  guint n = 0;

  *out_more = FALSE;
  if (conn == NULL)
    return FALSE;
  stmt = teren_sqlite_conn_stmt (conn, "SELECT kind, seq, deleted, data FROM nomenclature WHERE seq > ? ORDER BY seq LIMIT ?", error);
  if (stmt == NULL)
    {
      teren_sqlite_reader_put (self, conn);
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, after_seq);
  sqlite3_bind_int64 (stmt, 2, (gint64) limit + 1);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *data = (const char *) sqlite3_column_text (stmt, 3);

      if (++n > limit)
        {
          *out_more = TRUE;
          break;
        }
      last = sqlite3_column_int64 (stmt, 1);
      if (out_items_json->len > 0)
        g_string_append_c (out_items_json, ',');
      /* data is a JSON object text {"code",…}: splice kind, seq, deleted in front. */
      g_string_append (out_items_json, "{\"kind\":");
      append_json_string (out_items_json, (const char *) sqlite3_column_text (stmt, 0));
      g_string_append_printf (out_items_json, ",\"seq\":%" G_GINT64_FORMAT ",\"deleted\":%s",
                              last, sqlite3_column_int (stmt, 2) ? "true" : "false");
      if (data != NULL && data[0] == '{' && data[1] != '}')
        {
          g_string_append_c (out_items_json, ',');
          g_string_append (out_items_json, data + 1);
        }
      else
        {
          g_string_append_c (out_items_json, '}');
        }
    }
  sqlite3_reset (stmt);
  teren_sqlite_reader_put (self, conn);
  *out_last_seq = last;
  return TRUE;
}

static int
id_rev_compare (gconstpointer a,
                gconstpointer b)
{
  const TerenServerIdRev *x = *(TerenServerIdRev * const *) a;
  const TerenServerIdRev *y = *(TerenServerIdRev * const *) b;

  return strcmp (x->id, y->id);
}

/* The (id, rev) of the non-deleted records of one feed key whose id lies in [@from, @to)
 * (both NULL: all), from the feed's primary key and the covering index records_digest:
 * a bucket reads only its part of the scope, and no record's fields are read. */
static gboolean
scope_ids_range (TerenSqliteConn  *conn,
                 const char       *key,
                 const char       *from,
                 const char       *to,
                 GPtrArray        *items,
                 GError          **error)
{
  sqlite3_stmt *stmt;

  if (from != NULL)
    stmt = teren_sqlite_conn_stmt (conn, "SELECT r.id, r.rev FROM feed f JOIN records r INDEXED BY records_digest"
                                         " ON r.id = f.record_id WHERE f.key = ?1 AND f.record_id >= ?2"
                                         " AND f.record_id < ?3 AND r.deleted = 0", error);
  else
    stmt = teren_sqlite_conn_stmt (conn, "SELECT r.id, r.rev FROM feed f JOIN records r INDEXED BY records_digest"
                                         " ON r.id = f.record_id WHERE f.key = ?1 AND r.deleted = 0", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (from != NULL)
    {
      sqlite3_bind_text (stmt, 2, from, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, to, -1, SQLITE_STATIC);
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      TerenServerIdRev *item;

      if (id == NULL)
        continue;
      item = g_new0 (TerenServerIdRev, 1);
      item->id = g_strdup (id);
      item->rev = sqlite3_column_int64 (stmt, 1);
      g_ptr_array_add (items, item);
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
teren_sqlite_scope_ids (TerenServerBackend       *backend,
                        const TerenServerCaller  *caller,
                        int                       bucket,
                        GPtrArray               **out_items,
                        GError                  **error)
{
  TerenSqlite *self = (TerenSqlite *) backend;
  g_autoptr(GPtrArray) keys = teren_sqlite_scope_keys (caller->account);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) teren_server_id_rev_free);
  char lower[2][2] = { { 0 } }, upper[2][2] = { { 0 } };
  guint n_ranges = 0;
  TerenSqliteConn *conn;
  gboolean ok = TRUE;
  guint i, k, n;

  /* Bucket x = the ids whose first character is the hex digit x: ids are UUID text, so
   * the range [x, x+1) in the feed's (key, record_id) order ('9' is followed by ':');
   * a letter also in capitals, as the bucket has always counted "A…" ids with "a…". */
  if (bucket >= 0)
    {
      lower[0][0] = "0123456789abcdef"[bucket & 0xf];
      upper[0][0] = lower[0][0] + 1;
      n_ranges = 1;
      if (bucket >= 10)
        {
          lower[1][0] = g_ascii_toupper (lower[0][0]);
          upper[1][0] = lower[1][0] + 1;
          n_ranges = 2;
        }
    }

  conn = teren_sqlite_reader_get (self, error);
  if (conn == NULL)
    return FALSE;
  if (!teren_sqlite_conn_exec (conn, "BEGIN", error))
    {
      teren_sqlite_reader_put (self, conn);
      return FALSE;
    }
  for (i = 0; i < keys->len && ok; i++)
    {
      const char *key = g_ptr_array_index (keys, i);

      if (bucket < 0)
        ok = scope_ids_range (conn, key, NULL, NULL, items, error);
      for (k = 0; k < n_ranges && ok; k++)
        ok = scope_ids_range (conn, key, lower[k], upper[k], items, error);
    }
  teren_sqlite_conn_exec (conn, "COMMIT", NULL);
  teren_sqlite_reader_put (self, conn);
  if (!ok)
    return FALSE;
  /* A record in the feeds of several of the caller's keys came once per key, with the
   * same rev (one read transaction): sorted, the copies are neighbours. */
  g_ptr_array_sort (items, id_rev_compare);
  for (i = 0, n = 0; i < items->len; i++)
    {
      TerenServerIdRev *item = g_ptr_array_index (items, i);

      items->pdata[i] = NULL;
      if (n > 0 && strcmp (((TerenServerIdRev *) g_ptr_array_index (items, n - 1))->id, item->id) == 0)
        teren_server_id_rev_free (item);
      else
        items->pdata[n++] = item;
    }
  g_ptr_array_set_size (items, n);  /* the slots past n are NULL */
  *out_items = g_steal_pointer (&items);
  return TRUE;
}

static gboolean
teren_sqlite_fetch (TerenServerBackend       *backend,
                    const TerenServerCaller  *caller,
                    const char * const       *ids,
                    GString                  *out_records_json,
                    GPtrArray                *out_missing,
                    GError                  **error)
{
  TerenSqlite *self = (TerenSqlite *) backend;
  g_autoptr(GPtrArray) keys = teren_sqlite_scope_keys (caller->account);
  TerenSqliteConn *conn;
  gboolean ok = TRUE;
  guint i;

  conn = teren_sqlite_reader_get (self, error);
  if (conn == NULL)
    return FALSE;
  if (!teren_sqlite_conn_exec (conn, "BEGIN", error))
    {
      teren_sqlite_reader_put (self, conn);
      return FALSE;
    }
  for (i = 0; ids[i] != NULL && ok; i++)
    {
      g_autoptr(GString) item = NULL;
      gboolean deleted = FALSE;

      if (!still_visible (conn, keys, ids[i], NULL))
        {
          g_ptr_array_add (out_missing, g_strdup (ids[i]));
          continue;
        }
      item = record_json (conn, ids[i], &deleted, error);
      if (item == NULL)
        {
          if (error != NULL && *error != NULL)
            ok = FALSE;
          else
            g_ptr_array_add (out_missing, g_strdup (ids[i]));
          continue;
        }
      if (out_records_json->len > 0)
        g_string_append_c (out_records_json, ',');
      g_string_append_len (out_records_json, item->str, item->len);
    }
  teren_sqlite_conn_exec (conn, "COMMIT", NULL);
  teren_sqlite_reader_put (self, conn);
  return ok;
}

void
teren_sqlite_feed_class_init (TerenServerBackendClass *klass)
{
  klass->feed_page = teren_sqlite_feed_page;
  klass->scope_ids = teren_sqlite_scope_ids;
  klass->fetch = teren_sqlite_fetch;
  klass->record_history = teren_sqlite_record_history;
  klass->nomenclature_page = teren_sqlite_nomenclature_page;
}
