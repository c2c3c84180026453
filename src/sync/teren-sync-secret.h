/* teren-sync-secret.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Tokens in the Secret Service (libsecret): schema "ro.daps.Teren.Token", attributes
 * "server" (normalised URL) and "user". Passwords are never stored anywhere. All async
 * (D-Bus). */

#define TEREN_SECRET_SCHEMA_NAME "ro.daps.Teren.Token"

void      teren_sync_secret_store_async   (const char          *server_url,
                                           const char          *username,
                                           const char          *token,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean  teren_sync_secret_store_finish  (GAsyncResult        *result,
                                           GError             **error);

/* (transfer full) the token, or NULL without error when there is none. */
void      teren_sync_secret_lookup_async  (const char          *server_url,
                                           const char          *username,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
char     *teren_sync_secret_lookup_finish (GAsyncResult        *result,
                                           GError             **error);

void      teren_sync_secret_clear_async   (const char          *server_url,
                                           const char          *username,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean  teren_sync_secret_clear_finish  (GAsyncResult        *result,
                                           GError             **error);

G_END_DECLS
