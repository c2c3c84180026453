/* teren-sync-engine-private.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "teren-sync-engine.h"

G_BEGIN_DECLS

/* For the engine's own modules (teren-sync-digest.c, …), not for the GUI: one request to
 * the account's server through the engine's session, token, headers, timeout and TLS
 * rules. @path_and_query is below /api/v1 (e.g. "/digest"); @body (nullable) is sent as
 * JSON. Finish returns the body of a 2xx answer, else NULL with an error in
 * TEREN_SYNC_ERROR (NETWORK, TIMEOUT, CANCELLED, UNAUTHORIZED, SERVER, …). */
void          teren_sync_engine_request_async  (TerenSyncEngine     *self,
                                                const char          *method,
                                                const char          *path_and_query,
                                                const char          *body,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
GBytes       *teren_sync_engine_request_finish (TerenSyncEngine     *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* The same with a raw body streamed from @body (nullable) of @length bytes and
 * @content_type (teren-sync-blobs.c); the deadline grows with @length (slow rural links).
 * Finish gives the HTTP status (0 without an answer) on failure too. */
void          teren_sync_engine_request_stream_async  (TerenSyncEngine     *self,
                                                       const char          *method,
                                                       const char          *path_and_query,
                                                       GInputStream        *body,
                                                       goffset              length,
                                                       const char          *content_type,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
GBytes       *teren_sync_engine_request_stream_finish (TerenSyncEngine     *self,
                                                       GAsyncResult        *result,
                                                       guint               *out_status,
                                                       GError             **error);

/* The same with @body (nullable) in memory and a Content-Range header (nullable), for the
 * pieces of a resumable attachment upload and the HEAD before it. Finish gives the status
 * and the answer's Teren-Upload-Offset (-1 when absent) on failure too. */
void          teren_sync_engine_request_piece_async   (TerenSyncEngine     *self,
                                                       const char          *method,
                                                       const char          *path_and_query,
                                                       GBytes              *body,
                                                       const char          *content_range,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
GBytes       *teren_sync_engine_request_piece_finish  (TerenSyncEngine     *self,
                                                       GAsyncResult        *result,
                                                       guint               *out_status,
                                                       gint64              *out_upload_offset,
                                                       GError             **error);

/* Runs @func in a worker thread as a task of @task's source object holding @task's data
 * (borrowed) and @cancellable; @callback gets @user_data. */
void          teren_sync_task_run_in_thread (GTask               *task,
                                             GCancellable        *cancellable,
                                             GTaskThreadFunc      func,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);

/* TRUE after ending @task through @fail with TEREN_SYNC_ERROR_CANCELLED when the task's
 * cancellable was cancelled; FALSE (and nothing done) otherwise. */
gboolean      teren_sync_task_fail_if_cancelled (GTask  *task,
                                                 void  (*fail) (GTask  *task,
                                                                GError *error));

G_END_DECLS
