/* teren-server-sqlite-epoch.c
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
#include "teren-server-sqlite.h"
#include "teren-server-sqlite-private.h"

/* The epoch and restores (see teren-server-backup.h for the design).
 *
 * Each start of `serve` leaves a gap of SEQ_GAP seqs that no row ever gets, recorded in
 * seq_gaps. A signed cursor of the current epoch whose seq lies in a gap, or above the last
 * seq given, cannot come from this database's history: the database was replaced by an
 * older copy (by hand, without `teren-server restore`). The epoch is renewed then, so
 * every client re-offers what it had acknowledged. Because the seqs after a start are
 * above every seq of the lost history, no stale cursor skips a change made since. */

#define SEQ_GAP ((gint64) 1 << 30)

static gboolean serving;
static GMutex   rotate_lock;
static gint64   rotated_at;   /* monotonic µs of the last renewal, under rotate_lock */
/* Epoch strings replaced while serving: other threads may still read them. */
static GPtrArray *old_epochs;

void
teren_server_sqlite_set_serving (gboolean value)
{
  serving = value;
}

gboolean
teren_sqlite_epoch_open (TerenSqlite  *self,
                         GError      **error)
{
  static const char tables[] =
    "CREATE TABLE IF NOT EXISTS seq_gaps (from_seq INTEGER PRIMARY KEY, to_seq INTEGER NOT NULL,"
    "  opened_at TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS epoch_report (epoch TEXT NOT NULL, device_id TEXT NOT NULL,"
    "  record_id TEXT NOT NULL, account TEXT, client_rev INTEGER NOT NULL,"
    "  server_rev INTEGER NOT NULL, time TEXT NOT NULL, PRIMARY KEY (epoch, device_id, record_id));";
  g_autofree char *now = NULL;
  sqlite3_stmt *stmt;

  if (!teren_sqlite_conn_exec (self->writer, tables, error))
    return FALSE;
  /* Admin commands run beside a serving process: only `serve` moves the seqs. */
  if (!serving)
    return TRUE;

  now = teren_now_iso8601 ();
  stmt = teren_sqlite_conn_stmt (self->writer, "INSERT OR IGNORE INTO seq_gaps (from_seq, to_seq, opened_at) "
                                               "VALUES (?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, self->seq);
  sqlite3_bind_int64 (stmt, 2, self->seq + SEQ_GAP);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_STATIC);
  if (!teren_sqlite_step_done (self->writer, stmt, error))
    return FALSE;
  self->seq += SEQ_GAP;
  return TRUE;
}

typedef struct {
  const char *epoch;
  const char *now;
  gint64      seq;
} Renew;

static gboolean
renew_job (TerenSqlite      *self,
           TerenSqliteConn  *conn,
           gpointer          data,
           GError          **error)
{
  Renew *renew = data;
  g_autofree char *detail = g_strdup_printf ("{\"epoch\":\"%s\",\"cursor_seq\":%" G_GINT64_FORMAT "}",
                                             renew->epoch, renew->seq);
  sqlite3_stmt *stmt;

  stmt = teren_sqlite_conn_stmt (conn, "INSERT OR REPLACE INTO meta (key, value) VALUES ('epoch', ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, renew->epoch, -1, SQLITE_STATIC);
  if (!teren_sqlite_step_done (conn, stmt, error))
    return FALSE;
  stmt = teren_sqlite_conn_stmt (conn, "INSERT OR REPLACE INTO meta (key, value) VALUES ('restored_at', ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, renew->now, -1, SQLITE_STATIC);
  if (!teren_sqlite_step_done (conn, stmt, error))
    return FALSE;
  return teren_sqlite_audit_row (conn, NULL, NULL, "epoch_renewed", NULL, NULL, detail, error);
}

gboolean
teren_sqlite_epoch_check_cursor (TerenSqlite     *self,
                                 TerenSqliteConn *conn,
                                 gint64           seq)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *epoch = NULL;
  g_autofree char *now = NULL;
  const char *seen_epoch = self->epoch;
  sqlite3_stmt *stmt;
  gboolean in_gap = FALSE;
  Renew renew;

  if (seq <= 0)
    return TRUE;
  /* self->seq only grows while serving; a cursor was made after its seq was given. */
  if (seq <= self->seq)
    {
      stmt = teren_sqlite_conn_stmt (conn, "SELECT EXISTS (SELECT 1 FROM seq_gaps WHERE ?1 > from_seq AND ?1 <= to_seq)", NULL);
      if (stmt == NULL)
        return TRUE;
      sqlite3_bind_int64 (stmt, 1, seq);
      in_gap = sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
      sqlite3_reset (stmt);
      if (!in_gap)
        return TRUE;
    }

  g_mutex_lock (&rotate_lock);
  /* Another request renewed it meanwhile (a cursor decoded just before that renewal may
   * arrive here a moment later): one renewal per replacement. */
  if (self->epoch != seen_epoch ||
      (rotated_at != 0 && g_get_monotonic_time () - rotated_at < 60 * G_TIME_SPAN_SECOND))
    {
      g_mutex_unlock (&rotate_lock);
      return FALSE;
    }
  epoch = teren_uuid_new ();
  now = teren_now_iso8601 ();
  renew.epoch = epoch;
  renew.now = now;
  renew.seq = seq;
  if (!teren_sqlite_group_write (self, renew_job, &renew, &error))
    {
      g_mutex_unlock (&rotate_lock);
      g_warning ("The database is older than a client's cursor, but the epoch could not be renewed: %s",
                 error->message);
      return FALSE;
    }
  g_warning ("A client's cursor (seq %" G_GINT64_FORMAT ") is newer than this database: it was replaced by an "
             "older copy. New epoch %s; clients will offer their acknowledged changes again.", seq, epoch);
  if (old_epochs == NULL)
    old_epochs = g_ptr_array_new ();
  g_ptr_array_add (old_epochs, self->epoch);
  g_atomic_pointer_set (&self->epoch, g_steal_pointer (&epoch));
  rotated_at = g_get_monotonic_time ();
  g_mutex_unlock (&rotate_lock);
  return FALSE;
}

typedef struct {
  const TerenServerCaller *caller;
  GPtrArray               *items;
  const char              *epoch;
  const char              *now;
  guint                    reported;
} Report;

static gboolean
report_job (TerenSqlite      *self,
            TerenSqliteConn  *conn,
            gpointer          data,
            GError          **error)
{
  Report *report = data;
  g_autofree char *detail = NULL;
  guint i;

  report->reported = 0;
  for (i = 0; i < report->items->len; i++)
    {
      TerenServerIdRev *item = g_ptr_array_index (report->items, i);
      sqlite3_stmt *stmt = teren_sqlite_conn_stmt (conn, "SELECT rev FROM records WHERE id = ?", error);
      gint64 server_rev = 0;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, item->id, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        server_rev = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      if (item->rev <= server_rev)
        continue;

      stmt = teren_sqlite_conn_stmt (conn, "INSERT OR REPLACE INTO epoch_report (epoch, device_id, record_id, account,"
                                           " client_rev, server_rev, time) VALUES (?, ?, ?, ?, ?, ?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, report->epoch, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, report->caller->device_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, item->id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, report->caller->account->username, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 5, item->rev);
      sqlite3_bind_int64 (stmt, 6, server_rev);
      sqlite3_bind_text (stmt, 7, report->now, -1, SQLITE_STATIC);
      if (!teren_sqlite_step_done (conn, stmt, error))
        return FALSE;
      report->reported++;
    }
  detail = g_strdup_printf ("{\"records\":%u,\"newer\":%u}", report->items->len, report->reported);
  return teren_sqlite_audit_row (conn, report->caller->account->username, report->caller->device_id,
                                 "epoch_report", NULL, NULL, detail, error);
}

static gboolean
teren_sqlite_epoch_report (TerenServerBackend       *backend,
                           const TerenServerCaller  *caller,
                           GPtrArray                *items,
                           guint                    *out_reported,
                           GError                  **error)
{
  TerenSqlite *self = (TerenSqlite *) backend;
  g_autofree char *now = teren_now_iso8601 ();
  Report report = { caller, items, NULL, now, 0 };

  report.epoch = g_atomic_pointer_get (&self->epoch);
  if (!teren_sqlite_group_write (self, report_job, &report, error))
    return FALSE;
  *out_reported = report.reported;
  return TRUE;
}

/* Operations on records or revisions the server lost wait this long after a restore for
 * the device that made them to offer them again (op_archive keeps 30 days). */
#define RESTORE_WAIT_SECONDS (30 * 24 * 3600)

gboolean
teren_sqlite_epoch_wait_answer (TerenSqliteConn  *conn,
                                const TerenOp    *op,
                                const char       *code,
                                char            **out_answer)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GDateTime) restored = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *restored_at = NULL;
  sqlite3_stmt *stmt;

  if (g_strcmp0 (code, "not_found") != 0 && g_strcmp0 (code, "bad_base_rev") != 0)
    return FALSE;
  stmt = teren_sqlite_conn_stmt (conn, "SELECT value FROM meta WHERE key = 'restored_at'", NULL);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    restored_at = teren_sqlite_col_text (stmt, 0);
  sqlite3_reset (stmt);
  if (restored_at == NULL || (restored = g_date_time_new_from_iso8601 (restored_at, NULL)) == NULL)
    return FALSE;
  now = g_date_time_new_now_utc ();
  if (g_date_time_difference (now, restored) > (GTimeSpan) RESTORE_WAIT_SECONDS * G_TIME_SPAN_SECOND)
    return FALSE;

  builder = teren_sqlite_answer_begin_rejected (op, "restored_base",
                                                _("The server was restored from a backup and does not "
                                                  "have this record’s version yet; the change will be "
                                                  "sent again."));
  json_builder_set_member_name (builder, "retry");
  json_builder_add_boolean_value (builder, TRUE);
  *out_answer = teren_sqlite_answer_end (builder);
  return TRUE;
}

void
teren_sqlite_epoch_class_init (TerenServerBackendClass *klass)
{
  klass->epoch_report = teren_sqlite_epoch_report;
}
