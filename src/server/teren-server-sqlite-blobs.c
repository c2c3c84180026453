/* teren-server-sqlite-blobs.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "teren-json.h"
#include "teren-uuid.h"
#include "teren-server-blobs.h"
#include "teren-server-sqlite-private.h"

/* Attachments in the SQLite backend (issue 8): `blobs` (one row per stored blob) and
 * `blob_ref` (which record revisions reference which blobs, written with every revision).
 * The files themselves are teren-server-blobs.c's; it gives callbacks that run inside
 * the write transaction so a file and its row come and go together. */

/* Created at open, beside the numbered migrations (IF NOT EXISTS: idempotent). */
static const char blobs_schema[] =
  "CREATE TABLE IF NOT EXISTS blobs (sha TEXT PRIMARY KEY, size INTEGER NOT NULL,"
  "  mime TEXT NOT NULL, uploaded_by INTEGER NOT NULL, created_at TEXT NOT NULL);"
  "CREATE TABLE IF NOT EXISTS blob_ref (sha TEXT NOT NULL, record_id TEXT NOT NULL,"
  "  rev INTEGER NOT NULL, PRIMARY KEY (sha, record_id, rev));";

gboolean
teren_sqlite_blobs_init (TerenSqliteConn  *conn,
                         GError          **error)
{
  if (!teren_sqlite_conn_exec (conn, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!teren_sqlite_conn_exec (conn, blobs_schema, error))
    {
      teren_sqlite_conn_exec (conn, "ROLLBACK", NULL);
      return FALSE;
    }
  return teren_sqlite_conn_exec (conn, "COMMIT", error);
}

static TerenServerBlobInfo *
read_info (TerenSqliteConn  *conn,
           const char       *hex,
           GError          **error,
           gboolean         *out_failed)
{
  sqlite3_stmt *stmt = teren_sqlite_conn_stmt (conn, "SELECT size, mime, uploaded_by, created_at FROM blobs WHERE sha = ?",
                                               error);
  TerenServerBlobInfo *info = NULL;

  *out_failed = stmt == NULL;
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, hex, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      info = g_new0 (TerenServerBlobInfo, 1);
      info->hex = g_strdup (hex);
      info->size = sqlite3_column_int64 (stmt, 0);
      info->mime = teren_sqlite_col_text (stmt, 1);
      info->uploaded_by = sqlite3_column_int64 (stmt, 2);
      info->created_at = teren_sqlite_col_text (stmt, 3);
    }
  sqlite3_reset (stmt);
  return info;
}

static gboolean
teren_sqlite_blob_get (TerenServerBackend   *backend,
                       const char           *hex,
                       TerenServerBlobInfo **out_info,
                       GError              **error)
{
  TerenSqlite *self = (TerenSqlite *) backend;
  TerenSqliteConn *conn = teren_sqlite_reader_get (self, error);
  gboolean failed = FALSE;

  if (conn == NULL)
    return FALSE;
  *out_info = read_info (conn, hex, error, &failed);
  teren_sqlite_reader_put (self, conn);
  return !failed;
}

typedef struct {
  const TerenServerCaller *caller;
  const char              *hex;
  gint64                   size;
  const char              *mime;
  TerenServerBlobFileFunc  install;
  gpointer                 user_data;
  gboolean                 created;
} PutJob;

static gboolean
put_job (TerenSqlite      *self,
         TerenSqliteConn  *conn,
         gpointer          data,
         GError          **error)
{
  PutJob *job = data;
  g_autofree char *now = teren_now_iso8601 ();
  g_autofree char *detail = NULL;
  sqlite3_stmt *stmt;

  /* Under the writer lock: a collection cannot remove the file between the two. */
  if (!job->install (job->hex, job->user_data, error))
    return FALSE;
  stmt = teren_sqlite_conn_stmt (conn, "INSERT OR IGNORE INTO blobs (sha, size, mime, uploaded_by, created_at) "
                                       "VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, job->hex, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, job->size);
  sqlite3_bind_text (stmt, 3, job->mime, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, job->caller->account->id);
  sqlite3_bind_text (stmt, 5, now, -1, SQLITE_STATIC);
  if (!teren_sqlite_step_done (conn, stmt, error))
    return FALSE;
  job->created = sqlite3_changes (conn->db) > 0;

  /* The audit row in the same write (one commit, one fsync): hash and size, never a name. */
  detail = g_strdup_printf ("{\"blob\":\"sha256:%s\",\"size\":%" G_GINT64_FORMAT ",\"created\":%s}", job->hex,
                            job->size, job->created ? "true" : "false");
  return teren_sqlite_audit_row (conn, job->caller->account->username, job->caller->device_id, "blob_upload",
                                 NULL, NULL, detail, error);
}

static gboolean
teren_sqlite_blob_put (TerenServerBackend       *backend,
                       const TerenServerCaller  *caller,
                       const char               *hex,
                       gint64                    size,
                       const char               *mime,
                       TerenServerBlobFileFunc   install,
                       gpointer                  user_data,
                       gboolean                 *out_created,
                       GError                  **error)
{
  PutJob job = { caller, hex, size, mime, install, user_data, FALSE };

  if (!teren_sqlite_group_write ((TerenSqlite *) backend, put_job, &job, error))
    return FALSE;
  *out_created = job.created;
  return TRUE;
}

static TerenServerBlobAccess
teren_sqlite_blob_access (TerenServerBackend       *backend,
                          const TerenServerCaller  *caller,
                          const char               *hex,
                          TerenServerBlobInfo     **out_info,
                          GError                  **error)
{
  TerenSqlite *self = (TerenSqlite *) backend;
  g_autoptr(TerenServerBlobInfo) info = NULL;
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_free);
  TerenServerBlobAccess access = TEREN_SERVER_BLOB_ACCESS_FORBIDDEN;
  TerenSqliteConn *conn;
  sqlite3_stmt *stmt;
  gboolean failed = FALSE;
  guint i;

  conn = teren_sqlite_reader_get (self, error);
  if (conn == NULL)
    return TEREN_SERVER_BLOB_ACCESS_NOT_FOUND;
  if (!teren_sqlite_conn_exec (conn, "BEGIN", error))
    {
      teren_sqlite_reader_put (self, conn);
      return TEREN_SERVER_BLOB_ACCESS_NOT_FOUND;
    }
  info = read_info (conn, hex, error, &failed);
  if (info == NULL)
    {
      access = TEREN_SERVER_BLOB_ACCESS_NOT_FOUND;
      goto out;
    }

  stmt = teren_sqlite_conn_stmt (conn, "SELECT DISTINCT record_id FROM blob_ref WHERE sha = ?", error);
  if (stmt == NULL)
    {
      access = TEREN_SERVER_BLOB_ACCESS_NOT_FOUND;
      goto out;
    }
  sqlite3_bind_text (stmt, 1, hex, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (records, teren_sqlite_col_text (stmt, 0));
  sqlite3_reset (stmt);

  if (records->len == 0)
    {
      /* Not referenced yet: only its uploader may read it back. */
      if (info->uploaded_by == caller->account->id)
        access = TEREN_SERVER_BLOB_ACCESS_OK;
      goto out;
    }

  /* The access of the referencing records: the same scope rule as pushes and pulls. */
  for (i = 0; i < records->len && access != TEREN_SERVER_BLOB_ACCESS_OK; i++)
    {
      const char *record_id = g_ptr_array_index (records, i);
      g_autofree char *line = NULL;
      gboolean found = FALSE;

      stmt = teren_sqlite_conn_stmt (conn, "SELECT line FROM records WHERE id = ?", error);
      if (stmt == NULL)
        break;
      sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          found = TRUE;
          line = teren_sqlite_col_text (stmt, 0);
        }
      sqlite3_reset (stmt);
      if (found && teren_sqlite_record_in_scope (conn, caller->account, record_id, line))
        access = TEREN_SERVER_BLOB_ACCESS_OK;
    }

out:
  teren_sqlite_conn_exec (conn, "COMMIT", NULL);
  teren_sqlite_reader_put (self, conn);
  if (out_info != NULL)
    *out_info = g_steal_pointer (&info);
  return access;
}

typedef struct {
  const char              *before;
  const char * const      *orphans;
  TerenServerBlobFileFunc  remove;
  gpointer                 user_data;
  guint                    removed;
  guint64                  removed_bytes;
  guint                    kept;
} GcJob;

static gboolean
gc_job (TerenSqlite      *self,
        TerenSqliteConn  *conn,
        gpointer          data,
        GError          **error)
{
  GcJob *job = data;
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) sizes = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  guint i;

  job->removed = 0;
  job->removed_bytes = 0;
  stmt = teren_sqlite_conn_stmt (conn, "SELECT b.sha, b.size FROM blobs b WHERE b.created_at < ? "
                                       "AND NOT EXISTS (SELECT 1 FROM blob_ref r WHERE r.sha = b.sha)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, job->before, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 size = sqlite3_column_int64 (stmt, 1);

      g_ptr_array_add (gone, teren_sqlite_col_text (stmt, 0));
      g_array_append_val (sizes, size);
    }
  sqlite3_reset (stmt);

  for (i = 0; i < gone->len; i++)
    {
      const char *hex = g_ptr_array_index (gone, i);

      stmt = teren_sqlite_conn_stmt (conn, "DELETE FROM blobs WHERE sha = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, hex, -1, SQLITE_STATIC);
      if (!teren_sqlite_step_done (conn, stmt, error))
        return FALSE;
      /* The file goes under the writer lock too: an upload of the same blob waits. */
      if (!job->remove (hex, job->user_data, error))
        return FALSE;
      job->removed++;
      job->removed_bytes += (guint64) g_array_index (sizes, gint64, i);
    }

  /* Files without a row (an upload cut between its rename and its commit, a restored
   * database): checked here, under the writer lock, so an upload of the same blob cannot
   * slip in between. */
  for (i = 0; job->orphans != NULL && job->orphans[i] != NULL; i++)
    {
      gboolean known;

      stmt = teren_sqlite_conn_stmt (conn, "SELECT 1 FROM blobs WHERE sha = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, job->orphans[i], -1, SQLITE_STATIC);
      known = sqlite3_step (stmt) == SQLITE_ROW;
      sqlite3_reset (stmt);
      if (!known && !job->remove (job->orphans[i], job->user_data, error))
        return FALSE;
      if (!known)
        job->removed++;
    }
  job->kept = (guint) teren_sqlite_query_int (conn, "SELECT count(*) FROM blobs");
  return TRUE;
}

static gboolean
teren_sqlite_blob_gc (TerenServerBackend       *backend,
                      const char               *before,
                      const char * const       *orphans,
                      TerenServerBlobFileFunc   remove,
                      gpointer                  user_data,
                      guint                    *out_removed,
                      guint64                  *out_removed_bytes,
                      guint                    *out_kept,
                      GError                  **error)
{
  GcJob job = { before, orphans, remove, user_data, 0, 0, 0 };

  if (!teren_sqlite_group_write ((TerenSqlite *) backend, gc_job, &job, error))
    return FALSE;
  *out_removed = job.removed;
  *out_removed_bytes = job.removed_bytes;
  *out_kept = job.kept;
  return TRUE;
}

/* ---- push hooks ------------------------------------------------------------------ */

gboolean
teren_sqlite_blobs_missing_answer (TerenSqliteConn  *conn,
                                   const TerenOp    *op,
                                   char            **out_answer,
                                   GError          **error)
{
  g_autoptr(GPtrArray) refs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonBuilder) builder = NULL;
  guint i;

  *out_answer = NULL;
  if (op->patch == NULL || op->op == TEREN_OP_DELETE)
    return TRUE;
  teren_server_blob_refs_collect (op->patch, refs);
  for (i = 0; i < refs->len; i++)
    {
      sqlite3_stmt *stmt = teren_sqlite_conn_stmt (conn, "SELECT 1 FROM blobs WHERE sha = ?", error);
      gboolean found;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, g_ptr_array_index (refs, i), -1, SQLITE_STATIC);
      found = sqlite3_step (stmt) == SQLITE_ROW;
      sqlite3_reset (stmt);
      if (!found)
        g_ptr_array_add (missing, g_strconcat ("sha256:", (const char *) g_ptr_array_index (refs, i), NULL));
    }
  if (missing->len == 0)
    return TRUE;

  /* Not stored as the change id's answer: once the blob is uploaded, the same operation
   * is decided afresh. */
  builder = teren_sqlite_answer_begin_rejected (op, "missing_blob",
                                                _("An attachment of this change has not reached the "
                                                  "server yet; it is sent again after the file."));
  json_builder_set_member_name (builder, "retry");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_set_member_name (builder, "blobs");
  json_builder_begin_array (builder);
  for (i = 0; i < missing->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (missing, i));
  json_builder_end_array (builder);
  *out_answer = teren_sqlite_answer_end (builder);
  return TRUE;
}

gboolean
teren_sqlite_blobs_ref_revision (TerenSqliteConn  *conn,
                                 const char       *record_id,
                                 gint64            rev,
                                 JsonObject       *fields,
                                 GError          **error)
{
  g_autoptr(GPtrArray) refs = g_ptr_array_new_with_free_func (g_free);
  guint i;

  if (fields == NULL)
    return TRUE;
  teren_server_blob_refs_collect (fields, refs);
  for (i = 0; i < refs->len; i++)
    {
      sqlite3_stmt *stmt = teren_sqlite_conn_stmt (conn, "INSERT OR IGNORE INTO blob_ref (sha, record_id, rev) "
                                                         "VALUES (?, ?, ?)", error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, g_ptr_array_index (refs, i), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, record_id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, rev);
      if (!teren_sqlite_step_done (conn, stmt, error))
        return FALSE;
    }
  return TRUE;
}

void
teren_sqlite_blobs_class_init (TerenServerBackendClass *klass)
{
  klass->blob_get = teren_sqlite_blob_get;
  klass->blob_put = teren_sqlite_blob_put;
  klass->blob_access = teren_sqlite_blob_access;
  klass->blob_gc = teren_sqlite_blob_gc;
}
