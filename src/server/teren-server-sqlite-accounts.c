/* teren-server-sqlite-accounts.c
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
#include "teren-server-sqlite-private.h"

/* ---- accounts, devices, tokens ------------------------------------------------- */

static TerenServerAccount *
account_from_row (sqlite3_stmt *stmt)
{
  TerenServerAccount *account = g_new0 (TerenServerAccount, 1);
  g_autofree char *role = NULL;

  account->id = sqlite3_column_int64 (stmt, 0);
  account->username = teren_sqlite_col_text (stmt, 1);
  account->display_name = teren_sqlite_col_text (stmt, 2);
  role = teren_sqlite_col_text (stmt, 3);
  if (!teren_server_role_from_string (role, &account->role))
    account->role = TEREN_SERVER_ROLE_WORKER;
  account->lines = teren_sqlite_lines_split ((const char *) sqlite3_column_text (stmt, 4));
  account->disabled = sqlite3_column_int (stmt, 5) != 0;
  account->scope_version = sqlite3_column_int64 (stmt, 6);
  return account;
}

#define ACCOUNT_COLUMNS "a.id, a.username, a.display_name, a.role, a.lines, a.disabled, a.scope_version"



static gboolean
account_id_of (TerenSqliteConn  *conn,
               const char       *username,
               gint64           *out_id,
               gint64           *out_version,
               GError          **error)
{
  sqlite3_stmt *stmt = teren_sqlite_conn_stmt (conn, "SELECT id, scope_version FROM accounts WHERE username = ?", error);
  gboolean found = FALSE;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      found = TRUE;
      *out_id = sqlite3_column_int64 (stmt, 0);
      if (out_version != NULL)
        *out_version = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (!found)
    g_set_error (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND, _("No account named “%s”."), username);
  return found;
}

static gboolean
insert_scope_version (TerenSqliteConn  *conn,
                      gint64            account_id,
                      gint64            version,
                      const char       *lines,
                      GError          **error)
{
  sqlite3_stmt *stmt = teren_sqlite_conn_stmt (conn, "INSERT OR REPLACE INTO scope_versions (account_id, version, lines) "
                                        "VALUES (?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_int64 (stmt, 2, version);
  sqlite3_bind_text (stmt, 3, lines, -1, SQLITE_STATIC);
  return teren_sqlite_step_done (conn, stmt, error);
}

static gboolean
teren_sqlite_account_add (TerenServerBackend  *backend,
                          const char          *username,
                          const char          *display_name,
                          TerenServerRole      role,
                          const char * const  *lines,
                          const char          *password_hash,
                          GError             **error)
{
  TerenSqlite *self = (TerenSqlite *) backend;
  g_autofree char *joined = teren_sqlite_lines_join (lines);
  g_autofree char *now = teren_now_iso8601 ();
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;
  gint64 id = 0;

  TEREN_SQLITE_WRITER_BEGIN (self, error);
  if (!teren_sqlite_writer_tx (self, error))
    goto out;
  stmt = teren_sqlite_conn_stmt (self->writer, "SELECT 1 FROM accounts WHERE username = ?", error);
  if (stmt == NULL)
    goto done;
  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_EXISTS, _("An account named “%s” already exists."), username);
      goto done;
    }
  sqlite3_reset (stmt);
  stmt = teren_sqlite_conn_stmt (self->writer, "INSERT INTO accounts (username, display_name, role, lines, password_hash, "
                                  "created_at) VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto done;
  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, display_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, teren_server_role_to_string (role), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, joined, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, password_hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, now, -1, SQLITE_STATIC);
  if (!teren_sqlite_step_done (self->writer, stmt, error))
    goto done;
  id = sqlite3_last_insert_rowid (self->writer->db);
  ok = insert_scope_version (self->writer, id, 1, joined, error);
done:
  ok = teren_sqlite_writer_commit (self, ok, ok ? error : NULL);
out:
  TEREN_SQLITE_WRITER_END (self);
  return ok;
}

static TerenServerAccount *
teren_sqlite_account_lookup (TerenServerBackend  *backend,
                             const char          *username,
                             char               **out_password_hash,
                             GError             **error)
{
  TerenSqlite *self = (TerenSqlite *) backend;
  TerenSqliteConn *conn = teren_sqlite_reader_get (self, error);
  TerenServerAccount *account = NULL;
  sqlite3_stmt *stmt;

  if (conn == NULL)
    return NULL;
  stmt = teren_sqlite_conn_stmt (conn, "SELECT " ACCOUNT_COLUMNS ", a.password_hash FROM accounts a WHERE a.username = ?", error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, username, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          account = account_from_row (stmt);
          if (out_password_hash != NULL)
            *out_password_hash = teren_sqlite_col_text (stmt, 7);
        }
      else
        {
          g_set_error (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND, _("No account named “%s”."), username);
        }
      sqlite3_reset (stmt);
    }
  teren_sqlite_reader_put (self, conn);
  return account;
}

/* Runs @sql (one text and one id parameter, or one id) on the account @username. */
static gboolean
account_update (TerenSqlite  *self,
                const char   *username,
                const char   *sql,
                const char   *text,
                gint64        number,
                gboolean      revoke_tokens,
                GError      **error)
{
  sqlite3_stmt *stmt;
  gint64 id = 0;
  gboolean ok = FALSE;

  TEREN_SQLITE_WRITER_BEGIN (self, error);
  if (!teren_sqlite_writer_tx (self, error))
    goto out;
  if (!account_id_of (self->writer, username, &id, NULL, error))
    goto done;
  stmt = teren_sqlite_conn_stmt (self->writer, sql, error);
  if (stmt == NULL)
    goto done;
  if (text != NULL)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_int64 (stmt, 1, number);
  sqlite3_bind_int64 (stmt, 2, id);
  if (!teren_sqlite_step_done (self->writer, stmt, error))
    goto done;
  if (revoke_tokens)
    {
      stmt = teren_sqlite_conn_stmt (self->writer, "UPDATE tokens SET revoked = 1 WHERE account_id = ?", error);
      if (stmt == NULL)
        goto done;
      sqlite3_bind_int64 (stmt, 1, id);
      if (!teren_sqlite_step_done (self->writer, stmt, error))
        goto done;
    }
  ok = TRUE;
done:
  ok = teren_sqlite_writer_commit (self, ok, ok ? error : NULL);
out:
  TEREN_SQLITE_WRITER_END (self);
  return ok;
}

static gboolean
teren_sqlite_account_set_password (TerenServerBackend  *backend,
                                   const char          *username,
                                   const char          *password_hash,
                                   GError             **error)
{
  return account_update ((TerenSqlite *) backend, username,
                         "UPDATE accounts SET password_hash = ? WHERE id = ?", password_hash, 0, TRUE, error);
}

static gboolean
teren_sqlite_account_set_role (TerenServerBackend  *backend,
                               const char          *username,
                               TerenServerRole      role,
                               GError             **error)
{
  return account_update ((TerenSqlite *) backend, username, "UPDATE accounts SET role = ? WHERE id = ?",
                         teren_server_role_to_string (role), 0, FALSE, error);
}

static gboolean
teren_sqlite_account_set_disabled (TerenServerBackend  *backend,
                                   const char          *username,
                                   gboolean             disabled,
                                   GError             **error)
{
  return account_update ((TerenSqlite *) backend, username, "UPDATE accounts SET disabled = ? WHERE id = ?",
                         NULL, disabled ? 1 : 0, disabled, error);
}

static gboolean
teren_sqlite_account_set_lines (TerenServerBackend  *backend,
                                const char          *username,
                                const char * const  *lines,
                                GError             **error)
{
  TerenSqlite *self = (TerenSqlite *) backend;
  g_autofree char *joined = teren_sqlite_lines_join (lines);
  sqlite3_stmt *stmt;
  gint64 id = 0, version = 0;
  gboolean ok = FALSE;

  TEREN_SQLITE_WRITER_BEGIN (self, error);
  if (!teren_sqlite_writer_tx (self, error))
    goto out;
  if (!account_id_of (self->writer, username, &id, &version, error))
    goto done;
  stmt = teren_sqlite_conn_stmt (self->writer, "UPDATE accounts SET lines = ?, scope_version = ? WHERE id = ?", error);
  if (stmt == NULL)
    goto done;
  sqlite3_bind_text (stmt, 1, joined, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, version + 1);
  sqlite3_bind_int64 (stmt, 3, id);
  if (!teren_sqlite_step_done (self->writer, stmt, error))
    goto done;
  ok = insert_scope_version (self->writer, id, version + 1, joined, error);
done:
  ok = teren_sqlite_writer_commit (self, ok, ok ? error : NULL);
out:
  TEREN_SQLITE_WRITER_END (self);
  return ok;
}

static GPtrArray *
teren_sqlite_account_list (TerenServerBackend  *backend,
                           GError             **error)
{
  TerenSqlite *self = (TerenSqlite *) backend;
  TerenSqliteConn *conn = teren_sqlite_reader_get (self, error);
  GPtrArray *accounts;
  sqlite3_stmt *stmt;

  if (conn == NULL)
    return NULL;
  stmt = teren_sqlite_conn_stmt (conn, "SELECT " ACCOUNT_COLUMNS " FROM accounts a ORDER BY a.username", error);
  if (stmt == NULL)
    {
      teren_sqlite_reader_put (self, conn);
      return NULL;
    }
  accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) teren_server_account_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (accounts, account_from_row (stmt));
  sqlite3_reset (stmt);
  teren_sqlite_reader_put (self, conn);
  return accounts;
}

typedef struct {
  gint64      account_id;
  const char *device_id;
  const char *device_name;
  const char *token_hash;
  gint64      now;
} TokenJob;

static gboolean
token_create_job (TerenSqlite      *self,
                  TerenSqliteConn  *conn,
                  gpointer          data,
                  GError          **error)
{
  TokenJob *job = data;
  g_autofree char *now_text = teren_now_iso8601 ();
  sqlite3_stmt *stmt;
  gboolean revoked;

  stmt = teren_sqlite_conn_stmt (conn, "SELECT revoked FROM devices WHERE device_id = ? AND revoked = 1 LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, job->device_id, -1, SQLITE_STATIC);
  revoked = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  if (revoked)
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_PERMISSION, _("This device was revoked."));
      return FALSE;
    }
  stmt = teren_sqlite_conn_stmt (conn, "INSERT INTO devices (account_id, device_id, name, created_at) VALUES (?, ?, ?, ?) "
                          "ON CONFLICT (account_id, device_id) DO UPDATE SET name = excluded.name", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, job->account_id);
  sqlite3_bind_text (stmt, 2, job->device_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, job->device_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, now_text, -1, SQLITE_STATIC);
  if (!teren_sqlite_step_done (conn, stmt, error))
    return FALSE;
  stmt = teren_sqlite_conn_stmt (conn, "INSERT INTO tokens (hash, account_id, device_id, created_at, last_used) "
                          "VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, job->token_hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, job->account_id);
  sqlite3_bind_text (stmt, 3, job->device_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, job->now);
  sqlite3_bind_int64 (stmt, 5, job->now);
  return teren_sqlite_step_done (conn, stmt, error);
}

static gboolean
teren_sqlite_token_create (TerenServerBackend  *backend,
                           gint64               account_id,
                           const char          *device_id,
                           const char          *device_name,
                           const char          *token_hash,
                           gint64               now,
                           GError             **error)
{
  TokenJob job = { account_id, device_id, device_name, token_hash, now };

  return teren_sqlite_group_write ((TerenSqlite *) backend, token_create_job, &job, error);
}

static gboolean
token_touch_job (TerenSqlite      *self,
                 TerenSqliteConn  *conn,
                 gpointer          data,
                 GError          **error)
{
  TokenJob *job = data;
  sqlite3_stmt *stmt = teren_sqlite_conn_stmt (conn, "UPDATE tokens SET last_used = ? WHERE hash = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, job->now);
  sqlite3_bind_text (stmt, 2, job->token_hash, -1, SQLITE_STATIC);
  return teren_sqlite_step_done (conn, stmt, error);
}

static TerenServerTokenStatus
teren_sqlite_token_check (TerenServerBackend  *backend,
                          const char          *token_hash,
                          gint64               now,
                          gint64               idle_limit,
                          TerenServerCaller  **out_caller,
                          GError             **error)
{
  TerenSqlite *self = (TerenSqlite *) backend;
  TerenServerTokenStatus status = TEREN_SERVER_TOKEN_INVALID;
  g_autoptr(TerenServerCaller) caller = NULL;
  sqlite3_stmt *stmt;
  gint64 last_used = 0;
  TerenSqliteConn *conn = teren_sqlite_reader_get (self, error);

  if (conn == NULL)
    return TEREN_SERVER_TOKEN_INVALID;
  stmt = teren_sqlite_conn_stmt (conn, "SELECT " ACCOUNT_COLUMNS ", t.device_id, t.last_used, t.revoked, "
                          "IFNULL(d.revoked, 0) FROM tokens t JOIN accounts a ON a.id = t.account_id "
                          "LEFT JOIN devices d ON d.account_id = t.account_id AND d.device_id = t.device_id "
                          "WHERE t.hash = ?", error);
  if (stmt == NULL)
    {
      teren_sqlite_reader_put (self, conn);
      return TEREN_SERVER_TOKEN_INVALID;
    }
  sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      caller = g_new0 (TerenServerCaller, 1);
      caller->account = account_from_row (stmt);
      caller->device_id = teren_sqlite_col_text (stmt, 7);
      last_used = sqlite3_column_int64 (stmt, 8);
      if (sqlite3_column_int (stmt, 10) != 0)
        status = TEREN_SERVER_TOKEN_REVOKED;
      else if (sqlite3_column_int (stmt, 9) == 0 && !caller->account->disabled &&
               now - last_used <= idle_limit)
        status = TEREN_SERVER_TOKEN_OK;
    }
  sqlite3_reset (stmt);
  teren_sqlite_reader_put (self, conn);

  if (status == TEREN_SERVER_TOKEN_OK && now - last_used >= 60)
    {
      TokenJob job = { 0, NULL, NULL, token_hash, now };

      teren_sqlite_group_write (self, token_touch_job, &job, NULL);
    }
  if (status == TEREN_SERVER_TOKEN_OK || status == TEREN_SERVER_TOKEN_REVOKED)
    *out_caller = g_steal_pointer (&caller);
  return status;
}

static gboolean
teren_sqlite_token_revoke (TerenServerBackend  *backend,
                           const char          *token_hash,
                           GError             **error)
{
  TerenSqlite *self = (TerenSqlite *) backend;
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  TEREN_SQLITE_WRITER_BEGIN (self, error);
  stmt = teren_sqlite_conn_stmt (self->writer, "UPDATE tokens SET revoked = 1 WHERE hash = ?", error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_STATIC);
      ok = teren_sqlite_step_done (self->writer, stmt, error);
    }
  TEREN_SQLITE_WRITER_END (self);
  return ok;
}

static gboolean
teren_sqlite_device_revoke (TerenServerBackend  *backend,
                            const char          *device_id,
                            GError             **error)
{
  TerenSqlite *self = (TerenSqlite *) backend;
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  TEREN_SQLITE_WRITER_BEGIN (self, error);
  stmt = teren_sqlite_conn_stmt (self->writer, "UPDATE devices SET revoked = 1 WHERE device_id = ?", error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
      ok = teren_sqlite_step_done (self->writer, stmt, error);
      if (ok && sqlite3_changes (self->writer->db) == 0)
        {
          g_set_error (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND, _("No device with the id “%s”."), device_id);
          ok = FALSE;
        }
    }
  TEREN_SQLITE_WRITER_END (self);
  return ok;
}

static GPtrArray *
teren_sqlite_device_list (TerenServerBackend  *backend,
                          GError             **error)
{
  TerenSqlite *self = (TerenSqlite *) backend;
  TerenSqliteConn *conn = teren_sqlite_reader_get (self, error);
  GPtrArray *devices;
  sqlite3_stmt *stmt;

  if (conn == NULL)
    return NULL;
  stmt = teren_sqlite_conn_stmt (conn, "SELECT d.device_id, a.username, d.name, d.revoked FROM devices d "
                          "JOIN accounts a ON a.id = d.account_id ORDER BY a.username, d.created_at", error);
  if (stmt == NULL)
    {
      teren_sqlite_reader_put (self, conn);
      return NULL;
    }
  devices = g_ptr_array_new_with_free_func ((GDestroyNotify) teren_server_device_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      TerenServerDevice *device = g_new0 (TerenServerDevice, 1);

      device->device_id = teren_sqlite_col_text (stmt, 0);
      device->username = teren_sqlite_col_text (stmt, 1);
      device->name = teren_sqlite_col_text (stmt, 2);
      device->revoked = sqlite3_column_int (stmt, 3) != 0;
      g_ptr_array_add (devices, device);
    }
  sqlite3_reset (stmt);
  teren_sqlite_reader_put (self, conn);
  return devices;
}

typedef struct {
  const char *account;
  const char *device_id;
  const char *action;
  const char *record_id;
  const char *change_id;
  const char *detail;
} AuditJob;

static gboolean
audit_job (TerenSqlite      *self,
           TerenSqliteConn  *conn,
           gpointer          data,
           GError          **error)
{
  AuditJob *job = data;

  return teren_sqlite_audit_row (conn, job->account, job->device_id, job->action, job->record_id, job->change_id,
                    job->detail, error);
}

static gboolean
teren_sqlite_audit (TerenServerBackend  *backend,
                    const char          *account,
                    const char          *device_id,
                    const char          *action,
                    const char          *record_id,
                    const char          *change_id,
                    const char          *detail,
                    GError             **error)
{
  AuditJob job = { account, device_id, action, record_id, change_id, detail };

  return teren_sqlite_group_write ((TerenSqlite *) backend, audit_job, &job, error);
}

/* ---- nomenclatures -------------------------------------------------------------- */

static gboolean
teren_sqlite_nomenclature_replace (TerenServerBackend  *backend,
                                   const char          *kind,
                                   GPtrArray           *entries,
                                   guint               *out_changed,
                                   GError             **error)
{
  TerenSqlite *self = (TerenSqlite *) backend;
  g_autoptr(GHashTable) codes = teren_sqlite_string_set_new ();
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;
  guint changed = 0;
  guint i;

  TEREN_SQLITE_WRITER_BEGIN (self, error);
  if (!teren_sqlite_writer_tx (self, error))
    goto out;
  for (i = 0; i < entries->len; i++)
    {
      JsonObject *entry = g_ptr_array_index (entries, i);
      const char *code = teren_json_get_string (entry, "code", "");
      g_autofree char *data = teren_json_object_to_string (entry);
      g_autofree char *old = NULL;
      gboolean old_deleted = FALSE;

      g_hash_table_add (codes, g_strdup (code));
      stmt = teren_sqlite_conn_stmt (self->writer, "SELECT data, deleted FROM nomenclature WHERE kind = ? AND code = ?", error);
      if (stmt == NULL)
        goto done;
      sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, code, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          old = teren_sqlite_col_text (stmt, 0);
          old_deleted = sqlite3_column_int (stmt, 1) != 0;
        }
      sqlite3_reset (stmt);
      if (old != NULL && !old_deleted && strcmp (old, data) == 0)
        continue;
      stmt = teren_sqlite_conn_stmt (self->writer, "INSERT OR REPLACE INTO nomenclature (kind, code, seq, deleted, data) "
                                      "VALUES (?, ?, ?, 0, ?)", error);
      if (stmt == NULL)
        goto done;
      sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, code, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, ++self->seq);
      sqlite3_bind_text (stmt, 4, data, -1, SQLITE_STATIC);
      if (!teren_sqlite_step_done (self->writer, stmt, error))
        goto done;
      changed++;
    }

  stmt = teren_sqlite_conn_stmt (self->writer, "SELECT code FROM nomenclature WHERE kind = ? AND deleted = 0", error);
  if (stmt == NULL)
    goto done;
  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    if (!g_hash_table_contains (codes, sqlite3_column_text (stmt, 0)))
      g_ptr_array_add (gone, teren_sqlite_col_text (stmt, 0));
  sqlite3_reset (stmt);
  for (i = 0; i < gone->len; i++)
    {
      stmt = teren_sqlite_conn_stmt (self->writer, "UPDATE nomenclature SET deleted = 1, seq = ? WHERE kind = ? AND code = ?", error);
      if (stmt == NULL)
        goto done;
      sqlite3_bind_int64 (stmt, 1, ++self->seq);
      sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, g_ptr_array_index (gone, i), -1, SQLITE_STATIC);
      if (!teren_sqlite_step_done (self->writer, stmt, error))
        goto done;
      changed++;
    }
  ok = TRUE;
done:
  ok = teren_sqlite_writer_commit (self, ok, ok ? error : NULL);
out:
  TEREN_SQLITE_WRITER_END (self);
  if (ok && out_changed != NULL)
    *out_changed = changed;
  return ok;
}

void
teren_sqlite_accounts_class_init (TerenServerBackendClass *klass)
{
  klass->account_add = teren_sqlite_account_add;
  klass->account_lookup = teren_sqlite_account_lookup;
  klass->account_set_password = teren_sqlite_account_set_password;
  klass->account_set_lines = teren_sqlite_account_set_lines;
  klass->account_set_role = teren_sqlite_account_set_role;
  klass->account_set_disabled = teren_sqlite_account_set_disabled;
  klass->account_list = teren_sqlite_account_list;
  klass->token_create = teren_sqlite_token_create;
  klass->token_check = teren_sqlite_token_check;
  klass->token_revoke = teren_sqlite_token_revoke;
  klass->device_revoke = teren_sqlite_device_revoke;
  klass->device_list = teren_sqlite_device_list;
  klass->audit = teren_sqlite_audit;
  klass->nomenclature_replace = teren_sqlite_nomenclature_replace;
}
