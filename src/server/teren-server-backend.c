/* teren-server-backend.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "teren-server-backend.h"
#include "teren-server-sqlite.h"

static const char * const role_names[] = { "worker", "supervisor", "admin" };

const char *
teren_server_role_to_string (TerenServerRole role)
{
  if ((guint) role < G_N_ELEMENTS (role_names))
    return role_names[role];
  return "worker";
}

gboolean
teren_server_role_from_string (const char      *text,
                               TerenServerRole *out_role)
{
  guint i;

  for (i = 0; text != NULL && i < G_N_ELEMENTS (role_names); i++)
    if (strcmp (text, role_names[i]) == 0)
      {
        *out_role = (TerenServerRole) i;
        return TRUE;
      }
  return FALSE;
}

TerenServerAccount *
teren_server_account_copy (const TerenServerAccount *account)
{
  TerenServerAccount *copy = g_new0 (TerenServerAccount, 1);

  copy->id = account->id;
  copy->username = g_strdup (account->username);
  copy->display_name = g_strdup (account->display_name);
  copy->role = account->role;
  copy->lines = g_strdupv (account->lines);
  copy->disabled = account->disabled;
  copy->scope_version = account->scope_version;
  return copy;
}

void
teren_server_account_free (TerenServerAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->username);
  g_free (account->display_name);
  g_strfreev (account->lines);
  g_free (account);
}

gboolean
teren_server_account_has_line (const TerenServerAccount *account,
                               const char               *line)
{
  return account->lines != NULL && line != NULL &&
         g_strv_contains ((const char * const *) account->lines, line);
}

JsonNode *
teren_server_account_to_json (const TerenServerAccount *account)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint i;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, account->username);
  json_builder_set_member_name (builder, "display_name");
  json_builder_add_string_value (builder, account->display_name != NULL ? account->display_name : account->username);
  json_builder_set_member_name (builder, "roles");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, teren_server_role_to_string (account->role));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "lines");
  json_builder_begin_array (builder);
  for (i = 0; account->lines != NULL && account->lines[i] != NULL; i++)
    json_builder_add_string_value (builder, account->lines[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

void
teren_server_caller_free (TerenServerCaller *caller)
{
  if (caller == NULL)
    return;
  teren_server_account_free (caller->account);
  g_free (caller->device_id);
  g_free (caller->address);
  g_free (caller);
}

void
teren_server_feed_pos_clear (TerenServerFeedPos *pos)
{
  g_clear_pointer (&pos->backfill_keys, g_free);
  memset (pos, 0, sizeof *pos);
}

void
teren_server_feed_page_free (TerenServerFeedPage *page)
{
  if (page == NULL)
    return;
  if (page->records_json != NULL)
    g_string_free (page->records_json, TRUE);
  g_clear_pointer (&page->record_ids, g_ptr_array_unref);
  g_clear_pointer (&page->purge, g_ptr_array_unref);
  teren_server_feed_pos_clear (&page->next);
  g_free (page);
}

void
teren_server_revision_free (TerenServerRevision *revision)
{
  if (revision == NULL)
    return;
  g_free (revision->server_time);
  g_free (revision->account);
  g_free (revision->device_id);
  g_free (revision->op);
  g_free (revision->change_id);
  g_free (revision->changed_fields);
  g_free (revision);
}

void
teren_server_id_rev_free (TerenServerIdRev *item)
{
  if (item == NULL)
    return;
  g_free (item->id);
  g_free (item);
}

void
teren_server_device_free (TerenServerDevice *device)
{
  if (device == NULL)
    return;
  g_free (device->device_id);
  g_free (device->username);
  g_free (device->name);
  g_free (device);
}

TerenServerBackend *
teren_server_backend_open (const char  *data_dir,
                           GError     **error)
{
  return teren_server_sqlite_open (data_dir, error);
}

void
teren_server_backend_free (TerenServerBackend *self)
{
  if (self != NULL)
    self->klass->free (self);
}

gboolean
teren_server_backend_close (TerenServerBackend  *self,
                            GError             **error)
{
  return self->klass->close (self, error);
}

const char *
teren_server_backend_get_epoch (TerenServerBackend *self)
{
  return self->klass->get_epoch (self);
}

const guint8 *
teren_server_backend_get_secret (TerenServerBackend *self)
{
  return self->klass->get_secret (self);
}

gboolean
teren_server_backend_push (TerenServerBackend       *self,
                           const TerenServerCaller  *caller,
                           GPtrArray                *ops,
                           GPtrArray               **out_results,
                           GError                  **error)
{
  return self->klass->push (self, caller, ops, out_results, error);
}

gboolean
teren_server_backend_feed_page (TerenServerBackend        *self,
                                const TerenServerCaller   *caller,
                                const TerenServerFeedPos  *from,
                                guint                      limit,
                                gsize                      max_bytes,
                                TerenServerFeedPage      **out_page,
                                GError                   **error)
{
  return self->klass->feed_page (self, caller, from, limit, max_bytes, out_page, error);
}

gboolean
teren_server_backend_record_history (TerenServerBackend  *self,
                                     const char          *record_id,
                                     GPtrArray          **out_revisions,
                                     GError             **error)
{
  return self->klass->record_history (self, record_id, out_revisions, error);
}

gboolean
teren_server_backend_account_add (TerenServerBackend  *self,
                                  const char          *username,
                                  const char          *display_name,
                                  TerenServerRole      role,
                                  const char * const  *lines,
                                  const char          *password_hash,
                                  GError             **error)
{
  return self->klass->account_add (self, username, display_name, role, lines, password_hash, error);
}

TerenServerAccount *
teren_server_backend_account_lookup (TerenServerBackend  *self,
                                     const char          *username,
                                     char               **out_password_hash,
                                     GError             **error)
{
  return self->klass->account_lookup (self, username, out_password_hash, error);
}

gboolean
teren_server_backend_account_set_password (TerenServerBackend  *self,
                                           const char          *username,
                                           const char          *password_hash,
                                           GError             **error)
{
  return self->klass->account_set_password (self, username, password_hash, error);
}

gboolean
teren_server_backend_account_set_lines (TerenServerBackend  *self,
                                        const char          *username,
                                        const char * const  *lines,
                                        GError             **error)
{
  return self->klass->account_set_lines (self, username, lines, error);
}

gboolean
teren_server_backend_account_set_role (TerenServerBackend  *self,
                                       const char          *username,
                                       TerenServerRole      role,
                                       GError             **error)
{
  return self->klass->account_set_role (self, username, role, error);
}

gboolean
teren_server_backend_account_set_disabled (TerenServerBackend  *self,
                                           const char          *username,
                                           gboolean             disabled,
                                           GError             **error)
{
  return self->klass->account_set_disabled (self, username, disabled, error);
}

GPtrArray *
teren_server_backend_account_list (TerenServerBackend  *self,
                                   GError             **error)
{
  return self->klass->account_list (self, error);
}

gboolean
teren_server_backend_token_create (TerenServerBackend  *self,
                                   gint64               account_id,
                                   const char          *device_id,
                                   const char          *device_name,
                                   const char          *token_hash,
                                   gint64               now,
                                   GError             **error)
{
  return self->klass->token_create (self, account_id, device_id, device_name, token_hash, now, error);
}

TerenServerTokenStatus
teren_server_backend_token_check (TerenServerBackend  *self,
                                  const char          *token_hash,
                                  gint64               now,
                                  gint64               idle_limit,
                                  TerenServerCaller  **out_caller,
                                  GError             **error)
{
  return self->klass->token_check (self, token_hash, now, idle_limit, out_caller, error);
}

gboolean
teren_server_backend_token_revoke (TerenServerBackend  *self,
                                   const char          *token_hash,
                                   GError             **error)
{
  return self->klass->token_revoke (self, token_hash, error);
}

gboolean
teren_server_backend_device_revoke (TerenServerBackend  *self,
                                    const char          *device_id,
                                    GError             **error)
{
  return self->klass->device_revoke (self, device_id, error);
}

GPtrArray *
teren_server_backend_device_list (TerenServerBackend  *self,
                                  GError             **error)
{
  return self->klass->device_list (self, error);
}

gboolean
teren_server_backend_audit (TerenServerBackend  *self,
                            const char          *account,
                            const char          *device_id,
                            const char          *action,
                            const char          *record_id,
                            const char          *change_id,
                            const char          *detail,
                            GError             **error)
{
  return self->klass->audit (self, account, device_id, action, record_id, change_id, detail, error);
}

gboolean
teren_server_backend_nomenclature_replace (TerenServerBackend  *self,
                                           const char          *kind,
                                           GPtrArray           *entries,
                                           guint               *out_changed,
                                           GError             **error)
{
  return self->klass->nomenclature_replace (self, kind, entries, out_changed, error);
}

gboolean
teren_server_backend_nomenclature_page (TerenServerBackend  *self,
                                        gint64               after_seq,
                                        guint                limit,
                                        GString             *out_items_json,
                                        gint64              *out_last_seq,
                                        gboolean            *out_more,
                                        GError             **error)
{
  return self->klass->nomenclature_page (self, after_seq, limit, out_items_json, out_last_seq, out_more, error);
}

gboolean
teren_server_backend_scope_ids (TerenServerBackend       *self,
                                const TerenServerCaller  *caller,
                                int                       bucket,
                                GPtrArray               **out_items,
                                GError                  **error)
{
  return self->klass->scope_ids (self, caller, bucket, out_items, error);
}

gboolean
teren_server_backend_fetch (TerenServerBackend       *self,
                            const TerenServerCaller  *caller,
                            const char * const       *ids,
                            GString                  *out_records_json,
                            GPtrArray                *out_missing,
                            GError                  **error)
{
  return self->klass->fetch (self, caller, ids, out_records_json, out_missing, error);
}

/* ---- attachments ------------------------------------------------------------------ */

void
teren_server_blob_info_free (TerenServerBlobInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->hex);
  g_free (info->mime);
  g_free (info->created_at);
  g_free (info);
}

gboolean
teren_server_backend_blob_get (TerenServerBackend   *self,
                               const char           *hex,
                               TerenServerBlobInfo **out_info,
                               GError              **error)
{
  return self->klass->blob_get (self, hex, out_info, error);
}

gboolean
teren_server_backend_blob_put (TerenServerBackend       *self,
                               const TerenServerCaller  *caller,
                               const char               *hex,
                               gint64                    size,
                               const char               *mime,
                               TerenServerBlobFileFunc   install,
                               gpointer                  user_data,
                               gboolean                 *out_created,
                               GError                  **error)
{
  return self->klass->blob_put (self, caller, hex, size, mime, install, user_data, out_created, error);
}

TerenServerBlobAccess
teren_server_backend_blob_access (TerenServerBackend       *self,
                                  const TerenServerCaller  *caller,
                                  const char               *hex,
                                  TerenServerBlobInfo     **out_info,
                                  GError                  **error)
{
  return self->klass->blob_access (self, caller, hex, out_info, error);
}

gboolean
teren_server_backend_blob_gc (TerenServerBackend       *self,
                              const char               *before,
                              const char * const       *orphans,
                              TerenServerBlobFileFunc   remove,
                              gpointer                  user_data,
                              guint                    *out_removed,
                              guint64                  *out_removed_bytes,
                              guint                    *out_kept,
                              GError                  **error)
{
  return self->klass->blob_gc (self, before, orphans, remove, user_data, out_removed, out_removed_bytes, out_kept, error);
}

gboolean
teren_server_backend_epoch_report (TerenServerBackend      *self,
                                   const TerenServerCaller *caller,
                                   GPtrArray               *items,
                                   guint                   *out_reported,
                                   GError                 **error)
{
  return self->klass->epoch_report (self, caller, items, out_reported, error);
}
