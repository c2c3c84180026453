/* teren-sync-blobs.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "teren-error.h"
#include "teren-store-sync.h"
#include "teren-sync-blobs.h"
#include "teren-sync-engine-private.h"

/* Attachments over the network (teren-sync-blobs.h). Logs name blobs by their hash and
 * count bytes; never a file name or a record's contents. */

/* At most this many blobs are prefetched after one pull. */
#define PREFETCH_LIMIT 200

static char *
blob_path (const char *blob)
{
  return g_strconcat ("/blobs/", blob, NULL);
}

/* Errors after which nothing more can be sent in this round. */
static gboolean
is_fatal (const GError *error)
{
  return g_error_matches (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_CANCELLED) ||
         g_error_matches (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_UNAUTHORIZED) ||
         g_error_matches (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_DEVICE_REVOKED) ||
         g_error_matches (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_STORE);
}

/* The server cannot be reached at all: trying the other blobs would only wait as long. */
static gboolean
is_transport (const GError *error)
{
  return g_error_matches (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_NETWORK) ||
         g_error_matches (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_TIMEOUT) ||
         g_error_matches (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_TLS);
}

/* ---- Download ------------------------------------------------------------------------ */

typedef struct {
  TerenStore *store;
  char       *blob;
  GBytes     *bytes;
} FetchData;

static void
fetch_data_free (FetchData *data)
{
  g_clear_object (&data->store);
  g_free (data->blob);
  g_clear_pointer (&data->bytes, g_bytes_unref);
  g_free (data);
}

static void
fetch_save_thread (GTask        *task,
                   gpointer      source,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  FetchData *data = task_data;
  g_autoptr(GError) error = NULL;
  char *path = teren_store_save_downloaded_blob (data->store, data->blob, data->bytes, &error);

  if (path == NULL)
    {
      if (g_error_matches (error, TEREN_ERROR, TEREN_ERROR_CORRUPT))
        {
          g_debug ("Blob %s: downloaded bytes do not match the hash", data->blob);
          g_task_return_new_error (task, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_PROTOCOL,
                                   _("The attachment arrived damaged; try again."));
        }
      else
        g_task_return_new_error (task, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_STORE,
                                 _("The attachment could not be saved on this computer: %s"),
                                 error->message);
      return;
    }
  g_task_return_pointer (task, path, g_free);
}

static void
fetch_answered_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FetchData *data = g_task_get_task_data (task);
  GError *error = NULL;
  guint status = 0;

  data->bytes = teren_sync_engine_request_stream_finish (TEREN_SYNC_ENGINE (source), result,
                                                         &status, &error);
  if (data->bytes == NULL)
    {
      g_debug ("Blob %s not downloaded (HTTP %u)", data->blob, status);
      if (status == 404)
        {
          g_clear_error (&error);
          error = g_error_new_literal (TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_SERVER,
                                       _("The server does not have this attachment yet; it "
                                         "appears once the computer that added it has synced."));
        }
      g_task_return_error (task, error);
      return;
    }
  g_debug ("Blob %s downloaded (%" G_GSIZE_FORMAT " bytes)", data->blob, g_bytes_get_size (data->bytes));
  g_task_run_in_thread (task, fetch_save_thread);
}

static void
fetch_local_thread (GTask        *task,
                    gpointer      source,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  FetchData *data = task_data;
  g_autoptr(GError) error = NULL;
  char *path = teren_store_get_blob_path (data->store, data->blob, &error);

  if (path != NULL)
    g_task_return_pointer (task, path, g_free);
  else if (g_error_matches (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND))
    g_task_return_pointer (task, NULL, NULL);
  else
    g_task_return_new_error (task, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_PROTOCOL, "%s", error->message);
}

static void
fetch_local_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FetchData *data = g_task_get_task_data (task);
  g_autoptr(GTask) local = G_TASK (g_object_ref (result));
  g_autofree char *blob = NULL;
  GError *error = NULL;
  char *path;

  path = g_task_propagate_pointer (local, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (path != NULL)
    {
      g_task_return_pointer (task, path, g_free);
      return;
    }

  blob = blob_path (data->blob);
  teren_sync_engine_request_stream_async (TEREN_SYNC_ENGINE (g_task_get_source_object (task)),
                                          "GET", blob, NULL, TEREN_ATTACHMENT_MAX_SIZE, NULL,
                                          g_task_get_cancellable (task), fetch_answered_cb,
                                          g_object_ref (task));
}

void
teren_sync_engine_fetch_blob_async (TerenSyncEngine     *engine,
                                    const char          *blob,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TerenStore *store;
  FetchData *data;

  g_return_if_fail (TEREN_IS_SYNC_ENGINE (engine));

  task = g_task_new (engine, cancellable, callback, user_data);
  g_task_set_source_tag (task, teren_sync_engine_fetch_blob_async);
  store = teren_sync_engine_get_store (engine);
  if (store == NULL)
    {
      g_task_return_new_error (task, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_NOT_LOGGED_IN,
                               _("Sign in to download the attachment."));
      return;
    }
  if (!teren_blob_ref_is_valid (blob))
    {
      g_task_return_new_error (task, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_FAILED,
                               _("Not a valid attachment reference"));
      return;
    }

  data = g_new0 (FetchData, 1);
  data->store = g_object_ref (store);
  data->blob = g_strdup (blob);
  g_task_set_task_data (task, data, (GDestroyNotify) fetch_data_free);

  /* First look on disk, off the main loop. */
  teren_sync_task_run_in_thread (task, cancellable, fetch_local_thread, fetch_local_cb,
                                 g_object_ref (task));
}

char *
teren_sync_engine_fetch_blob_finish (TerenSyncEngine  *engine,
                                     GAsyncResult     *result,
                                     GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, engine), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- Upload -------------------------------------------------------------------------- */

typedef struct {
  char      *blob;
  char      *path;
  goffset    size;
  GPtrArray *change_ids;
} Pending;

static void
pending_free (Pending *pending)
{
  g_free (pending->blob);
  g_free (pending->path);
  g_clear_pointer (&pending->change_ids, g_ptr_array_unref);
  g_free (pending);
}

typedef struct {
  TerenStore          *store;
  GPtrArray           *pending;    /* Pending, to upload */
  guint                next;
  GPtrArray           *uploaded;   /* blob refs (borrowed from pending) */
  TerenSyncBlobUpload *result;
  GInputStream        *stream;
  /* the blob being sent in pieces */
  goffset              offset;      /* the server's bytes of it */
  goffset              piece;       /* bytes of the piece under way */
  guint8              *buffer;      /* the piece being read (owned until sent) */
  guint                conflicts;   /* 409 answers in a row */
} Upload;

/* 409 answers (the server's offset is not the one the piece started from) followed in a
 * row before the blob waits for the next round. */
#define MAX_CONFLICTS 3

static void
upload_free (Upload *upload)
{
  g_clear_object (&upload->store);
  g_clear_pointer (&upload->pending, g_ptr_array_unref);
  g_clear_pointer (&upload->uploaded, g_ptr_array_unref);
  g_clear_pointer (&upload->result, teren_sync_blob_upload_free);
  g_clear_object (&upload->stream);
  g_free (upload->buffer);
  g_free (upload);
}

void
teren_sync_blob_upload_free (TerenSyncBlobUpload *upload)
{
  if (upload == NULL)
    return;
  g_clear_pointer (&upload->blocked, g_hash_table_unref);
  g_clear_error (&upload->error);
  g_free (upload);
}

static void upload_next (GTask *task);

/* Which blobs must go up: local-only ones referenced by pending operations. */
static void
upload_list_thread (GTask        *task,
                    gpointer      source,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  Upload *upload = task_data;
  g_autoptr(GHashTable) blobs = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key, value;

  blobs = teren_store_list_pending_op_blobs (upload->store, &error);
  if (blobs == NULL)
    {
      g_task_return_new_error (task, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_STORE,
                               _("The changes waiting on this computer could not be read: %s"),
                               error->message);
      return;
    }

  g_hash_table_iter_init (&iter, blobs);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      TerenBlobState state = TEREN_BLOB_REMOTE_ONLY;
      g_autofree char *path = NULL;
      g_autoptr(GError) local_error = NULL;
      Pending *pending;
      GStatBuf st;

      if (!teren_store_get_blob_state (upload->store, key, &state, NULL) ||
          state != TEREN_BLOB_LOCAL_ONLY)
        continue;
      path = teren_store_get_blob_path (upload->store, key, &local_error);
      pending = g_new0 (Pending, 1);
      pending->blob = g_strdup (key);
      if (path != NULL && g_stat (path, &st) == 0)
        {
          pending->path = g_steal_pointer (&path);
          pending->size = st.st_size;
        }
      else  /* the bytes are gone from this computer: only HEAD can tell */
        g_debug ("Blob %s referenced but not on disk", (const char *) key);
      pending->change_ids = g_ptr_array_ref (value);
      g_ptr_array_add (upload->pending, pending);
    }
  g_task_return_boolean (task, TRUE);
}

static void
upload_failed (GTask  *task,
               GError *error)
{
  Upload *upload = g_task_get_task_data (task);
  Pending *pending = g_ptr_array_index (upload->pending, upload->next);
  TerenSyncBlobUpload *result = upload->result;
  guint i;

  g_clear_object (&upload->stream);

  if (is_fatal (error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  result->failed++;
  if (result->blocked == NULL)
    result->blocked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (i = 0; i < pending->change_ids->len; i++)
    g_hash_table_add (result->blocked, g_strdup (g_ptr_array_index (pending->change_ids, i)));
  if (result->error == NULL)
    result->error = g_error_copy (error);

  upload->next++;
  if (is_transport (error))
    {
      /* Offline: the others wait as well, without waiting for a timeout each. */
      for (; upload->next < upload->pending->len; upload->next++)
        {
          pending = g_ptr_array_index (upload->pending, upload->next);
          result->failed++;
          for (i = 0; i < pending->change_ids->len; i++)
            g_hash_table_add (result->blocked, g_strdup (g_ptr_array_index (pending->change_ids, i)));
        }
    }
  g_error_free (error);
  upload_next (task);
}

/* @pending's file could not be opened or read (@error): that blob fails. */
static void
upload_unreadable (GTask        *task,
                   Pending      *pending,
                   const GError *error)
{
  g_debug ("Blob %s not readable: %s", pending->blob, error->message);
  upload_failed (task, g_error_new (TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_FAILED,
                                    _("An attachment could not be read on this computer: %s"),
                                    error->message));
}

static void
upload_done (GTask *task)
{
  Upload *upload = g_task_get_task_data (task);
  Pending *pending = g_ptr_array_index (upload->pending, upload->next);

  g_clear_object (&upload->stream);
  upload->result->uploaded++;
  g_ptr_array_add (upload->uploaded, pending->blob);
  upload->next++;
  upload_next (task);
}

static void
put_answered_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  Upload *upload = g_task_get_task_data (task);
  Pending *pending = g_ptr_array_index (upload->pending, upload->next);
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  guint status = 0;

  bytes = teren_sync_engine_request_stream_finish (TEREN_SYNC_ENGINE (source), result, &status, &error);
  g_clear_object (&upload->stream);
  if (bytes == NULL)
    {
      g_debug ("Blob %s not uploaded (HTTP %u)", pending->blob, status);
      upload_failed (task, error);
      return;
    }
  g_debug ("Blob %s uploaded (%" G_GOFFSET_FORMAT " bytes, HTTP %u)", pending->blob, pending->size, status);
  upload->result->sent += (guint64) pending->size;
  upload_done (task);
}

static void
file_opened_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  Upload *upload = g_task_get_task_data (task);
  Pending *pending = g_ptr_array_index (upload->pending, upload->next);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  GFileInputStream *stream;

  stream = g_file_read_finish (G_FILE (source), result, &error);
  if (stream == NULL)
    {
      upload_unreadable (task, pending, error);
      return;
    }
  upload->stream = G_INPUT_STREAM (stream);
  path = blob_path (pending->blob);
  teren_sync_engine_request_stream_async (TEREN_SYNC_ENGINE (g_task_get_source_object (task)),
                                          "PUT", path, upload->stream, pending->size,
                                          "application/octet-stream",
                                          g_task_get_cancellable (task), put_answered_cb, task);
}

/* ---- Upload in pieces (resumable) ---- */

static void send_piece (GTask *task);

static void
piece_answered_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  Upload *upload = g_task_get_task_data (task);
  Pending *pending = g_ptr_array_index (upload->pending, upload->next);
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  guint status = 0;
  gint64 offset = -1;

  bytes = teren_sync_engine_request_piece_finish (TEREN_SYNC_ENGINE (source), result, &status, &offset, &error);
  if (bytes == NULL)
    {
      /* Another upload of it moved on (or a piece's answer was lost): from the server's
       * offset, a few times. */
      if (status == 409 && offset >= 0 && offset < pending->size && upload->conflicts < MAX_CONFLICTS)
        {
          g_debug ("Blob %s: the server holds %" G_GINT64_FORMAT " bytes, not %" G_GOFFSET_FORMAT,
                   pending->blob, offset, upload->offset);
          g_clear_error (&error);
          upload->conflicts++;
          upload->offset = offset;
          send_piece (task);
          return;
        }
      g_debug ("Blob %s: piece at %" G_GOFFSET_FORMAT " not uploaded (HTTP %u)", pending->blob, upload->offset, status);
      upload_failed (task, error);
      return;
    }
  upload->result->sent += (guint64) upload->piece;
  if (status != 202)
    {
      g_debug ("Blob %s uploaded in pieces (%" G_GOFFSET_FORMAT " bytes, HTTP %u)", pending->blob, pending->size,
               status);
      upload_done (task);
      return;
    }
  upload->conflicts = 0;
  offset = offset >= 0 ? offset : upload->offset + upload->piece;
  if (offset <= upload->offset || offset >= pending->size)
    {
      upload_failed (task, g_error_new_literal (TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_PROTOCOL,
                                                _("The server’s answer was incomplete or not understood; Teren "
                                                  "will try again.")));
      return;
    }
  upload->offset = offset;
  send_piece (task);
}

static void
piece_read_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  Upload *upload = g_task_get_task_data (task);
  Pending *pending = g_ptr_array_index (upload->pending, upload->next);
  guint8 *buffer = g_steal_pointer (&upload->buffer);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) piece = NULL;
  g_autofree char *path = NULL;
  g_autofree char *range = NULL;
  gsize read = 0;

  if (!g_input_stream_read_all_finish (G_INPUT_STREAM (source), result, &read, &error) ||
      read != (gsize) upload->piece)
    {
      g_free (buffer);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          upload_failed (task, g_error_new_literal (TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_CANCELLED,
                                                    _("Cancelled")));
          return;
        }
      if (error == NULL)
        error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, g_strerror (EIO));  /* cut short */
      upload_unreadable (task, pending, error);
      return;
    }
  piece = g_bytes_new_take (buffer, read);
  path = blob_path (pending->blob);
  range = g_strdup_printf ("bytes %" G_GOFFSET_FORMAT "-%" G_GOFFSET_FORMAT "/%" G_GOFFSET_FORMAT,
                           upload->offset, upload->offset + upload->piece - 1, pending->size);
  teren_sync_engine_request_piece_async (TEREN_SYNC_ENGINE (g_task_get_source_object (task)),
                                         "PUT", path, piece, range,
                                         g_task_get_cancellable (task), piece_answered_cb, task);
}

/* The piece of at most TEREN_SYNC_UPLOAD_PIECE bytes from upload->offset: read, then PUT. */
static void
send_piece (GTask *task)
{
  Upload *upload = g_task_get_task_data (task);
  Pending *pending = g_ptr_array_index (upload->pending, upload->next);
  g_autoptr(GError) error = NULL;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }
  upload->piece = MIN ((goffset) TEREN_SYNC_UPLOAD_PIECE, pending->size - upload->offset);
  if (!g_seekable_seek (G_SEEKABLE (upload->stream), upload->offset, G_SEEK_SET, NULL, &error))
    {
      upload_unreadable (task, pending, error);
      return;
    }
  upload->buffer = g_malloc ((gsize) upload->piece);
  g_input_stream_read_all_async (upload->stream, upload->buffer, (gsize) upload->piece, G_PRIORITY_DEFAULT,
                                 g_task_get_cancellable (task), piece_read_cb, task);
}

static void
piece_file_opened_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GTask *task = user_data;
  Upload *upload = g_task_get_task_data (task);
  Pending *pending = g_ptr_array_index (upload->pending, upload->next);
  g_autoptr(GError) error = NULL;
  GFileInputStream *stream;

  stream = g_file_read_finish (G_FILE (source), result, &error);
  if (stream == NULL)
    {
      upload_unreadable (task, pending, error);
      return;
    }
  upload->stream = G_INPUT_STREAM (stream);
  upload->conflicts = 0;
  send_piece (task);
}

static void
head_answered_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  Upload *upload = g_task_get_task_data (task);
  Pending *pending = g_ptr_array_index (upload->pending, upload->next);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GFile) file = NULL;
  GError *error = NULL;
  guint status = 0;
  gint64 offset = -1;

  bytes = teren_sync_engine_request_piece_finish (TEREN_SYNC_ENGINE (source), result, &status, &offset, &error);
  if (bytes != NULL)
    {
      g_debug ("Blob %s already on the server", pending->blob);
      upload_done (task);
      return;
    }
  if (status != 404)
    {
      upload_failed (task, error);
      return;
    }
  g_clear_error (&error);
  if (pending->path == NULL)
    {
      upload_failed (task, g_error_new_literal (TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_FAILED,
                                                _("An attached file is missing on this computer; "
                                                  "add it again to the record.")));
      return;
    }

  file = g_file_new_for_path (pending->path);
  /* In pieces when the server takes them (it gave its offset) and the file is larger than
   * one; else whole, as to a server without resumable uploads. */
  if (offset >= 0 && offset < pending->size && pending->size > TEREN_SYNC_UPLOAD_PIECE)
    {
      if (offset > 0)
        g_debug ("Blob %s: going on from byte %" G_GINT64_FORMAT " of %" G_GOFFSET_FORMAT, pending->blob, offset,
                 pending->size);
      upload->offset = offset;
      g_file_read_async (file, G_PRIORITY_DEFAULT, g_task_get_cancellable (task), piece_file_opened_cb, task);
      return;
    }
  g_file_read_async (file, G_PRIORITY_DEFAULT, g_task_get_cancellable (task), file_opened_cb, task);
}

static void
upload_marked_thread (GTask        *task,
                      gpointer      source,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  Upload *upload = task_data;
  guint i;

  for (i = 0; i < upload->uploaded->len; i++)
    {
      g_autoptr(GError) error = NULL;

      if (!teren_store_set_blob_state (upload->store, g_ptr_array_index (upload->uploaded, i),
                                       TEREN_BLOB_UPLOADED, &error))
        {
          g_task_return_new_error (task, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_STORE,
                                   _("The changes waiting on this computer could not be read: %s"),
                                   error->message);
          return;
        }
    }
  g_task_return_pointer (task, g_steal_pointer (&upload->result),
                         (GDestroyNotify) teren_sync_blob_upload_free);
}

static void
upload_next (GTask *task)
{
  Upload *upload = g_task_get_task_data (task);
  Pending *pending;
  g_autofree char *path = NULL;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }
  if (upload->next >= upload->pending->len)
    {
      GTask *marked = task;

      /* The same task finishes on a worker thread after marking the uploaded blobs. */
      g_task_run_in_thread (marked, upload_marked_thread);
      g_object_unref (task);
      return;
    }

  pending = g_ptr_array_index (upload->pending, upload->next);
  path = blob_path (pending->blob);
  teren_sync_engine_request_piece_async (TEREN_SYNC_ENGINE (g_task_get_source_object (task)),
                                         "HEAD", path, NULL, NULL,
                                         g_task_get_cancellable (task), head_answered_cb, task);
}

static void
upload_listed_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  Upload *upload = g_task_get_task_data (task);
  g_autoptr(GTask) list = G_TASK (g_object_ref (result));
  GError *error = NULL;

  if (!g_task_propagate_boolean (list, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (upload->pending->len > 0)
    g_debug ("Uploading %u attachments", upload->pending->len);
  upload_next (task);
}

void
teren_sync_blobs_upload_async (TerenSyncEngine     *engine,
                               TerenStore          *store,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task = g_task_new (engine, cancellable, callback, user_data);
  Upload *upload = g_new0 (Upload, 1);

  g_task_set_source_tag (task, teren_sync_blobs_upload_async);
  upload->store = g_object_ref (store);
  upload->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_free);
  upload->uploaded = g_ptr_array_new ();
  upload->result = g_new0 (TerenSyncBlobUpload, 1);
  g_task_set_task_data (task, upload, (GDestroyNotify) upload_free);

  /* @task's reference is held by the chain until it returns. */
  teren_sync_task_run_in_thread (task, cancellable, upload_list_thread, upload_listed_cb, task);
}

TerenSyncBlobUpload *
teren_sync_blobs_upload_finish (TerenSyncEngine  *engine,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, engine), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The first operation after an operation with attachments that touches the same record
 * (ops->len if none): cut there, the server may answer missing_blob for the first, and the
 * later one must not be decided without it. */
static guint
first_after_attachment_op (GPtrArray *ops)
{
  g_autoptr(GHashTable) records = g_hash_table_new (g_str_hash, g_str_equal);
  guint i;

  for (i = 0; i < ops->len; i++)
    {
      TerenOp *op = ops->pdata[i];
      g_autoptr(GPtrArray) refs = NULL;

      if (g_hash_table_contains (records, op->record_id))
        return i;
      if (op->patch == NULL)
        continue;
      refs = g_ptr_array_new ();
      teren_attachment_collect_blobs (teren_schema_lookup_kind (op->kind), op->patch, refs);
      if (refs->len > 0)
        g_hash_table_add (records, op->record_id);
    }
  return ops->len;
}

gboolean
teren_sync_blobs_trim_batch (TerenStore  *store,
                             GPtrArray   *ops,
                             GHashTable  *blocked,
                             GError     **error)
{
  g_autoptr(GPtrArray) tail = NULL;
  guint i, cut;

  if (ops == NULL)
    return TRUE;

  for (i = 0; blocked != NULL && i < ops->len; i++)
    if (g_hash_table_contains (blocked, ((TerenOp *) ops->pdata[i])->change_id))
      break;
  if (blocked == NULL)
    i = ops->len;
  if (i < ops->len)
    g_debug ("%u operations wait for their attachments", ops->len - i);
  cut = first_after_attachment_op (ops);
  i = MIN (i, cut);
  if (i == ops->len)
    return TRUE;

  tail = g_ptr_array_new_with_free_func ((GDestroyNotify) teren_op_free);
  while (ops->len > i)
    g_ptr_array_add (tail, g_ptr_array_steal_index (ops, i));
  return teren_store_sync_release_batch (store, tail, error);
}

/* ---- Prefetch ------------------------------------------------------------------------ */

typedef struct {
  TerenStore *store;
  GPtrArray  *blobs;
  guint       next;
  guint       fetched;
  gboolean    metered;
} Prefetch;

static void
prefetch_free (Prefetch *prefetch)
{
  g_clear_object (&prefetch->store);
  g_clear_pointer (&prefetch->blobs, g_ptr_array_unref);
  g_free (prefetch);
}

static void prefetch_next (GTask *task);

static void
prefetch_fetched_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  Prefetch *prefetch = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = teren_sync_engine_fetch_blob_finish (TEREN_SYNC_ENGINE (source), result, &error);

  if (path != NULL)
    prefetch->fetched++;
  else if (is_fatal (error) || is_transport (error))
    {
      g_debug ("Prefetch stopped: %s", error->message);
      prefetch->next = prefetch->blobs->len;
    }
  prefetch->next++;
  prefetch_next (task);
}

static void
prefetch_next (GTask *task)
{
  Prefetch *prefetch = g_task_get_task_data (task);

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }
  if (prefetch->next >= prefetch->blobs->len)
    {
      if (prefetch->fetched > 0)
        g_debug ("Prefetched %u attachments", prefetch->fetched);
      g_task_return_int (task, prefetch->fetched);
      g_object_unref (task);
      return;
    }
  teren_sync_engine_fetch_blob_async (TEREN_SYNC_ENGINE (g_task_get_source_object (task)),
                                      g_ptr_array_index (prefetch->blobs, prefetch->next),
                                      g_task_get_cancellable (task), prefetch_fetched_cb, task);
}

static void
prefetch_list_thread (GTask        *task,
                      gpointer      source,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  Prefetch *prefetch = task_data;
  g_autoptr(GError) error = NULL;

  /* Attachments of records that left this store (purged, or removed from their record)
   * go as well. */
  if (teren_store_blobs_collect (prefetch->store, &error) < 0)
    {
      g_debug ("Attachments not collected: %s", error->message);
      g_clear_error (&error);
    }

  if (prefetch->metered)
    {
      g_debug ("Network metered: attachments are downloaded only when opened");
      prefetch->blobs = g_ptr_array_new_with_free_func (g_free);
    }
  else
    prefetch->blobs = teren_store_list_remote_blobs (prefetch->store, TEREN_SYNC_PREFETCH_MAX_SIZE,
                                                     PREFETCH_LIMIT, &error);
  if (prefetch->blobs == NULL)
    {
      g_debug ("No prefetch: %s", error->message);
      prefetch->blobs = g_ptr_array_new_with_free_func (g_free);
    }
  g_task_return_boolean (task, TRUE);
}

static void
prefetch_listed_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  prefetch_next (G_TASK (user_data));
}

void
teren_sync_blobs_prefetch_async (TerenSyncEngine     *engine,
                                 TerenStore          *store,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task = g_task_new (engine, cancellable, callback, user_data);
  Prefetch *prefetch = g_new0 (Prefetch, 1);

  g_task_set_source_tag (task, teren_sync_blobs_prefetch_async);
  prefetch->store = g_object_ref (store);
  g_task_set_task_data (task, prefetch, (GDestroyNotify) prefetch_free);

  prefetch->metered = g_network_monitor_get_network_metered (g_network_monitor_get_default ());

  teren_sync_task_run_in_thread (task, cancellable, prefetch_list_thread, prefetch_listed_cb, task);
}

guint
teren_sync_blobs_prefetch_finish (TerenSyncEngine  *engine,
                                  GAsyncResult     *result,
                                  GError          **error)
{
  gssize n;

  g_return_val_if_fail (g_task_is_valid (result, engine), 0);

  n = g_task_propagate_int (G_TASK (result), error);
  return n > 0 ? (guint) n : 0;
}
