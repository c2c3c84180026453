/* teren-sync-digest.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "teren-error.h"
#include "teren-json.h"
#include "teren-store-digest.h"
#include "teren-store-sync.h"
#include "teren-sync-digest.h"
#include "teren-sync-engine-private.h"
#include "teren-uuid.h"

/* The integrity check and repair; see teren-sync-digest.h. Every step is asynchronous:
 * HTTP through the engine's session, parsing and store work on worker threads. */

#define CHECK_PERIOD_US   (G_USEC_PER_SEC * (gint64) 24 * 3600)   /* once a day */
#define RETRY_AFTER_US    (G_USEC_PER_SEC * (gint64) 3600)        /* after a failed check */
#define FETCH_MAX         2000                                    /* ids per POST /fetch */
#define IDS_WINDOW        2                                       /* GET /ids in flight */

/* ---- What the engine remembers (main context) ------------------------------------------ */

typedef struct {
  GDateTime *checked_at;
  guint      buckets_repaired;
  guint      records_repaired;
  gboolean   known;
  gboolean   forced;
  gint64     failed_at;       /* monotonic µs of the last failed check, 0 none */
} EngineState;

static void
engine_state_free (EngineState *state)
{
  g_clear_pointer (&state->checked_at, g_date_time_unref);
  g_free (state);
}

static EngineState *
engine_state (TerenSyncEngine *engine)
{
  static GQuark quark;
  EngineState *state;

  if (quark == 0)
    quark = g_quark_from_static_string ("teren-sync-digest-state");
  state = g_object_get_qdata (G_OBJECT (engine), quark);
  if (state == NULL)
    {
      state = g_new0 (EngineState, 1);
      g_object_set_qdata_full (G_OBJECT (engine), quark, state, (GDestroyNotify) engine_state_free);
    }
  return state;
}

void
teren_sync_digest_request_check (TerenSyncEngine *engine)
{
  g_return_if_fail (TEREN_IS_SYNC_ENGINE (engine));

  engine_state (engine)->forced = TRUE;
  if (teren_sync_engine_get_store (engine) != NULL)
    teren_sync_engine_sync_now (engine);
}

gboolean
teren_sync_digest_get_last_check (TerenSyncEngine  *engine,
                                  GDateTime       **out_checked_at,
                                  guint            *out_buckets_repaired,
                                  guint            *out_records_repaired)
{
  EngineState *state;

  g_return_val_if_fail (TEREN_IS_SYNC_ENGINE (engine), FALSE);

  state = engine_state (engine);
  if (out_checked_at != NULL)
    *out_checked_at = state->checked_at != NULL ? g_date_time_ref (state->checked_at) : NULL;
  if (out_buckets_repaired != NULL)
    *out_buckets_repaired = state->buckets_repaired;
  if (out_records_repaired != NULL)
    *out_records_repaired = state->records_repaired;
  return state->known && state->checked_at != NULL;
}

/* ---- One check ------------------------------------------------------------------------- */

typedef struct {
  TerenStore            *store;
  gboolean               force;
  TerenSyncDigestResult  result;

  /* prepare_thread */
  gboolean               due;
  char                  *last_checked;      /* meta, for the engine's state */
  char                  *last_result;
  TerenDigest            local_total;
  TerenDigest            local_buckets[TEREN_DIGEST_BUCKETS];

  /* GET /digest */
  char                  *epoch;
  guint                  queue[TEREN_DIGEST_BUCKETS];
  guint                  n_queue;
  guint                  ids_next;          /* next queue index to ask GET /ids for */
  guint                  ids_in_flight;
  GQueue                 ready;             /* (element-type IdsAnswer) answered, waiting */
  gboolean               processing;        /* a bucket is being compared and repaired */
  GError                *error;             /* the first failure of the bucket phase */

  /* the bucket being repaired */
  guint                  bucket;
  GBytes                *answer;
  GPtrArray             *diff_ids;          /* (element-type utf8) */
  guint                  fetch_pos;
  guint                  fetch_len;
  guint                  bucket_repaired;   /* written + removed in this bucket */
  TerenDigestRepair      repair;

  char                  *checked_at;        /* save_thread */
} DigestJob;

typedef struct {
  guint   bucket;
  GBytes *bytes;
} IdsAnswer;

static void
ids_answer_free (IdsAnswer *answer)
{
  g_bytes_unref (answer->bytes);
  g_free (answer);
}

static void
digest_job_free (DigestJob *job)
{
  g_clear_object (&job->store);
  g_free (job->last_checked);
  g_free (job->last_result);
  g_free (job->epoch);
  g_clear_pointer (&job->answer, g_bytes_unref);
  g_clear_pointer (&job->diff_ids, g_ptr_array_unref);
  g_free (job->checked_at);
  g_queue_clear_full (&job->ready, (GDestroyNotify) ids_answer_free);
  g_clear_error (&job->error);
  g_free (job);
}

static void bucket_step (GTask *task);
static void ids_request_more (GTask *task);
static void fetch_next (GTask *task);
static void save_result (GTask *task);

static void
fail (GTask  *task,
      GError *error)
{
  TerenSyncEngine *engine = g_task_get_source_object (task);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (&error);
      error = g_error_new_literal (TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_CANCELLED, _("Cancelled"));
    }
  if (!g_error_matches (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_CANCELLED))
    {
      engine_state (engine)->failed_at = g_get_monotonic_time ();
      g_message ("Integrity check failed: %s", error->message);
    }
  g_task_return_error (task, error);
  g_object_unref (task);
}

static GError *
protocol_error (void)
{
  return g_error_new_literal (TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_PROTOCOL,
                              _("The server’s answer was incomplete or not understood; Teren will "
                                "try again."));
}

static GError *
store_error (GError *error)
{
  GError *mapped = g_error_new (TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_STORE,
                                _("The local data could not be checked: %s"), error->message);

  g_error_free (error);
  return mapped;
}

static void
run_in_thread (GTask           *task,
               GTaskThreadFunc  func,
               GAsyncReadyCallback callback)
{
  teren_sync_task_run_in_thread (task, g_task_get_cancellable (task), func, callback, task);
}

/* Is a check due? Then the running digest is verified against the base and read. */
static void
prepare_thread (GTask        *sub,
                gpointer      source,
                gpointer      data,
                GCancellable *cancellable)
{
  DigestJob *job = data;
  g_autofree char *cursor = teren_store_sync_get_meta (job->store, TEREN_SYNC_META_CURSOR);
  g_autofree char *epoch = teren_store_sync_get_meta (job->store, TEREN_SYNC_META_EPOCH);
  g_autofree char *checked_epoch = teren_store_sync_get_meta (job->store, TEREN_SYNC_META_DIGEST_EPOCH);
  GError *error = NULL;

  job->last_checked = teren_store_sync_get_meta (job->store, TEREN_SYNC_META_DIGEST_CHECKED);
  job->last_result = teren_store_sync_get_meta (job->store, TEREN_SYNC_META_DIGEST_RESULT);

  if (job->force)
    job->due = TRUE;
  else if (cursor == NULL)
    job->due = FALSE;     /* no complete pull yet */
  else if (job->last_checked == NULL)
    job->due = TRUE;      /* the first complete sync */
  else if (epoch != NULL && g_strcmp0 (epoch, checked_epoch) != 0)
    job->due = TRUE;      /* the server was restored from a backup */
  else
    {
      g_autoptr(GDateTime) last = g_date_time_new_from_iso8601 (job->last_checked, NULL);
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      GTimeSpan age = last != NULL ? g_date_time_difference (now, last) : CHECK_PERIOD_US;

      job->due = age >= CHECK_PERIOD_US || age < 0;
    }
  if (!job->due)
    {
      g_task_return_boolean (sub, TRUE);
      return;
    }

  if (!teren_store_digest_verify (job->store, &job->result.local_corrected, &error) ||
      !teren_store_digest_get (job->store, &job->local_total, job->local_buckets, &error))
    {
      g_task_return_error (sub, store_error (error));
      return;
    }
  g_task_return_boolean (sub, TRUE);
}

static gboolean
parse_digest (JsonObject  *object,
              TerenDigest *out)
{
  JsonNode *count = json_object_get_member (object, "count");

  if (!teren_digest_from_hex (teren_json_get_string (object, "digest", NULL), &out->digest) ||
      count == NULL || !JSON_NODE_HOLDS_VALUE (count) ||
      json_node_get_value_type (count) != G_TYPE_INT64 || json_node_get_int (count) < 0)
    return FALSE;
  out->count = (guint64) json_node_get_int (count);
  return TRUE;
}

static void
digest_answered_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  DigestJob *job = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *local_hex = NULL;
  g_autofree char *server_hex = NULL;
  GError *error = NULL;
  TerenDigest total;
  TerenDigest buckets[TEREN_DIGEST_BUCKETS];
  gboolean seen[TEREN_DIGEST_BUCKETS] = { FALSE };
  JsonNode *node;
  JsonArray *array;
  guint i;

  bytes = teren_sync_engine_request_finish (TEREN_SYNC_ENGINE (source), result, &error);
  if (bytes == NULL)
    {
      fail (task, error);
      return;
    }
  {
    gsize size = 0;
    const char *data = g_bytes_get_data (bytes, &size);

    answer = teren_json_parse_object (data, size, TEREN_JSON_MAX_DEPTH, NULL);
  }
  if (answer == NULL || !parse_digest (answer, &total))
    {
      fail (task, protocol_error ());
      return;
    }
  node = json_object_get_member (answer, "buckets");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      fail (task, protocol_error ());
      return;
    }
  array = json_node_get_array (node);
  memset (buckets, 0, sizeof buckets);
  for (i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      const char *name = object != NULL ? teren_json_get_string (object, "bucket", NULL) : NULL;
      int b = name != NULL && strlen (name) == 1 ? g_ascii_xdigit_value (name[0]) : -1;

      if (b < 0 || seen[b] || !parse_digest (object, &buckets[b]))
        {
          fail (task, protocol_error ());
          return;
        }
      seen[b] = TRUE;
    }
  for (i = 0; i < TEREN_DIGEST_BUCKETS; i++)
    if (!seen[i])
      {
        fail (task, protocol_error ());
        return;
      }
  job->epoch = g_strdup (teren_json_get_string (answer, "epoch", NULL));

  local_hex = teren_digest_to_hex (job->local_total.digest);
  server_hex = teren_digest_to_hex (total.digest);
  if (total.digest == job->local_total.digest && total.count == job->local_total.count)
    {
      g_debug ("Integrity check: digest %s over %" G_GUINT64_FORMAT " records matches the server",
               local_hex, total.count);
      save_result (task);
      return;
    }

  job->result.mismatch = TRUE;
  for (i = 0; i < TEREN_DIGEST_BUCKETS; i++)
    if (buckets[i].digest != job->local_buckets[i].digest ||
        buckets[i].count != job->local_buckets[i].count)
      job->queue[job->n_queue++] = i;
  job->result.buckets_differing = job->n_queue;
  g_message ("Integrity check: local digest %s (%" G_GUINT64_FORMAT " records) differs from the "
             "server's %s (%" G_GUINT64_FORMAT " records); %u of 16 buckets to compare",
             local_hex, job->local_total.count, server_hex, total.count, job->n_queue);
  ids_request_more (task);
  bucket_step (task);
}

/* The bucket phase: GET /ids for up to IDS_WINDOW buckets at a time (the server's work),
 * the answers compared and repaired one bucket after the other. A failure is kept and
 * reported once nothing is in flight any more. */
static void
bucket_fail (GTask  *task,
             GError *error)
{
  DigestJob *job = g_task_get_task_data (task);

  if (job->error == NULL)
    job->error = error;
  else
    g_error_free (error);
  job->processing = FALSE;
  bucket_step (task);
}

/* The ids of the bucket that differ: missing here, missing there, or another rev. */
static void
diff_thread (GTask        *sub,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  DigestJob *job = data;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GHashTable) server = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) local = NULL;
  g_autoptr(GPtrArray) diff = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key, value;
  GError *error = NULL;
  JsonNode *node;
  JsonArray *ids;
  gsize size = 0;
  const char *bytes = g_bytes_get_data (job->answer, &size);
  guint i;

  answer = teren_json_parse_object (bytes, size, TEREN_JSON_MAX_DEPTH, NULL);
  node = answer != NULL ? json_object_get_member (answer, "ids") : NULL;
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_task_return_error (sub, protocol_error ());
      return;
    }
  ids = json_node_get_array (node);
  for (i = 0; i < json_array_get_length (ids); i++)
    {
      JsonNode *element = json_array_get_element (ids, i);
      JsonArray *pair = JSON_NODE_HOLDS_ARRAY (element) ? json_node_get_array (element) : NULL;
      JsonNode *id_node = pair != NULL && json_array_get_length (pair) == 2
                          ? json_array_get_element (pair, 0) : NULL;
      JsonNode *rev_node = id_node != NULL ? json_array_get_element (pair, 1) : NULL;
      const char *id;

      if (id_node == NULL || !JSON_NODE_HOLDS_VALUE (id_node) ||
          json_node_get_value_type (id_node) != G_TYPE_STRING ||
          !JSON_NODE_HOLDS_VALUE (rev_node) || json_node_get_value_type (rev_node) != G_TYPE_INT64)
        {
          g_task_return_error (sub, protocol_error ());
          return;
        }
      id = json_node_get_string (id_node);
      if (!teren_uuid_is_valid (id) || teren_digest_bucket (id) != (int) job->bucket)
        {
          g_task_return_error (sub, protocol_error ());
          return;
        }
      g_hash_table_insert (server, (gpointer) id, GSIZE_TO_POINTER ((gsize) json_node_get_int (rev_node)));
    }

  local = teren_store_digest_list_bucket (job->store, job->bucket, &error);
  if (local == NULL)
    {
      g_task_return_error (sub, store_error (error));
      return;
    }
  for (i = 0; i < local->len; i++)
    {
      TerenDigestItem *item = local->pdata[i];
      gpointer rev;

      if (g_hash_table_lookup_extended (server, item->id, NULL, &rev))
        {
          if ((gint64) GPOINTER_TO_SIZE (rev) != item->rev)
            g_ptr_array_add (diff, g_strdup (item->id));
          g_hash_table_remove (server, item->id);
        }
      else if (teren_uuid_is_valid (item->id))
        g_ptr_array_add (diff, g_strdup (item->id));  /* the server does not list it */
    }
  g_hash_table_iter_init (&iter, server);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_ptr_array_add (diff, g_strdup (key));          /* missing here */
  g_ptr_array_sort (diff, (GCompareFunc) g_strcmp0);

  g_clear_pointer (&job->diff_ids, g_ptr_array_unref);
  job->diff_ids = g_steal_pointer (&diff);
  g_task_return_boolean (sub, TRUE);
}

static void
diffed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  DigestJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  g_clear_pointer (&job->answer, g_bytes_unref);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      bucket_fail (task, error);
      return;
    }
  g_message ("Integrity check: bucket %x, %u ids differ", job->bucket, job->diff_ids->len);
  job->fetch_pos = 0;
  job->bucket_repaired = 0;
  fetch_next (task);
}

typedef struct {
  GTask *task;
  guint  bucket;
} IdsCall;

static void
ids_answered_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  IdsCall *call = user_data;
  GTask *task = call->task;
  DigestJob *job = g_task_get_task_data (task);
  GError *error = NULL;
  GBytes *bytes;

  bytes = teren_sync_engine_request_finish (TEREN_SYNC_ENGINE (source), result, &error);
  job->ids_in_flight--;
  if (bytes == NULL)
    {
      if (job->error == NULL)
        job->error = error;
      else
        g_error_free (error);
    }
  else
    {
      IdsAnswer *answer = g_new0 (IdsAnswer, 1);

      answer->bucket = call->bucket;
      answer->bytes = bytes;
      g_queue_push_tail (&job->ready, answer);
    }
  g_free (call);
  ids_request_more (task);
  bucket_step (task);
}

static void
ids_request_more (GTask *task)
{
  TerenSyncEngine *engine = g_task_get_source_object (task);
  DigestJob *job = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  while (job->error == NULL && job->ids_in_flight < IDS_WINDOW && job->ids_next < job->n_queue &&
         (cancellable == NULL || !g_cancellable_is_cancelled (cancellable)))
    {
      IdsCall *call = g_new0 (IdsCall, 1);
      g_autofree char *path = NULL;

      call->task = task;
      call->bucket = job->queue[job->ids_next++];
      path = g_strdup_printf ("/ids?bucket=%x", call->bucket);
      job->ids_in_flight++;
      teren_sync_engine_request_async (engine, "GET", path, NULL, cancellable, ids_answered_cb, call);
    }
}

/* What next: wait, compare the next answered bucket, fail, or save the result. */
static void
bucket_step (GTask *task)
{
  DigestJob *job = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  IdsAnswer *answer;

  if (job->processing)
    return;
  if (job->error == NULL && cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    job->error = g_error_new_literal (TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_CANCELLED, _("Cancelled"));
  if (job->error != NULL)
    {
      if (job->ids_in_flight == 0)
        fail (task, g_steal_pointer (&job->error));
      return;
    }
  answer = g_queue_pop_head (&job->ready);
  if (answer == NULL)
    {
      if (job->ids_in_flight == 0 && job->ids_next >= job->n_queue)
        save_result (task);
      return;
    }
  job->processing = TRUE;
  job->bucket = answer->bucket;
  g_clear_pointer (&job->answer, g_bytes_unref);
  job->answer = g_bytes_ref (answer->bytes);
  ids_answer_free (answer);
  run_in_thread (task, diff_thread, diffed_cb);
}

static void
apply_thread (GTask        *sub,
              gpointer      source,
              gpointer      data,
              GCancellable *cancellable)
{
  DigestJob *job = data;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  GError *error = NULL;
  gsize size = 0;
  const char *bytes = g_bytes_get_data (job->answer, &size);
  guint i;

  memset (&job->repair, 0, sizeof job->repair);
  answer = teren_json_parse_object (bytes, size, TEREN_JSON_MAX_DEPTH, NULL);
  if (answer == NULL)
    {
      g_task_return_error (sub, protocol_error ());
      return;
    }
  for (i = 0; i < job->fetch_len; i++)
    g_ptr_array_add (ids, job->diff_ids->pdata[job->fetch_pos + i]);
  g_ptr_array_add (ids, NULL);
  if (!teren_store_digest_apply_fetch (job->store, (const char * const *) ids->pdata, answer,
                                       &job->repair, &error))
    {
      if (g_error_matches (error, TEREN_ERROR, TEREN_ERROR_BAD_JSON))
        {
          g_error_free (error);
          g_task_return_error (sub, protocol_error ());
        }
      else
        g_task_return_error (sub, store_error (error));
      return;
    }
  g_task_return_boolean (sub, TRUE);
}

static void
applied_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  DigestJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  g_clear_pointer (&job->answer, g_bytes_unref);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      bucket_fail (task, error);
      return;
    }
  job->result.records_repaired += job->repair.written + job->repair.removed;
  job->result.records_kept += job->repair.kept;
  job->bucket_repaired += job->repair.written + job->repair.removed;
  job->fetch_pos += job->fetch_len;
  fetch_next (task);
}

static void
fetch_answered_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  DigestJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  job->answer = teren_sync_engine_request_finish (TEREN_SYNC_ENGINE (source), result, &error);
  if (job->answer == NULL)
    {
      bucket_fail (task, error);
      return;
    }
  if (teren_sync_task_fail_if_cancelled (task, bucket_fail))
    return;
  run_in_thread (task, apply_thread, applied_cb);
}

static void
fetch_next (GTask *task)
{
  TerenSyncEngine *engine = g_task_get_source_object (task);
  DigestJob *job = g_task_get_task_data (task);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  guint i;

  if (teren_sync_task_fail_if_cancelled (task, bucket_fail))
    return;
  if (job->fetch_pos >= job->diff_ids->len)
    {
      if (job->bucket_repaired > 0)
        job->result.buckets_repaired++;
      g_message ("Integrity check: bucket %x repaired, %u records", job->bucket, job->bucket_repaired);
      job->processing = FALSE;
      bucket_step (task);
      return;
    }
  job->fetch_len = MIN (job->diff_ids->len - job->fetch_pos, FETCH_MAX);
  job->result.ids_fetched += job->fetch_len;
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ids");
  json_builder_begin_array (builder);
  for (i = 0; i < job->fetch_len; i++)
    json_builder_add_string_value (builder, job->diff_ids->pdata[job->fetch_pos + i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = teren_json_to_string (root);
  teren_sync_engine_request_async (engine, "POST", "/fetch", body, g_task_get_cancellable (task),
                                   fetch_answered_cb, task);
}

static void
save_thread (GTask        *sub,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  DigestJob *job = data;
  g_autofree char *epoch = NULL;
  g_autofree char *text = g_strdup_printf ("%u %u %u", job->result.buckets_repaired,
                                           job->result.records_repaired, job->result.records_kept);
  GError *error = NULL;

  /* The epoch the pull saw, unless the digest answer says otherwise. */
  epoch = job->epoch != NULL ? g_strdup (job->epoch)
                             : teren_store_sync_get_meta (job->store, TEREN_SYNC_META_EPOCH);
  if (!teren_store_sync_set_meta (job->store, TEREN_SYNC_META_DIGEST_CHECKED, job->checked_at, &error) ||
      !teren_store_sync_set_meta (job->store, TEREN_SYNC_META_DIGEST_EPOCH, epoch, &error) ||
      !teren_store_sync_set_meta (job->store, TEREN_SYNC_META_DIGEST_RESULT, text, &error))
    {
      g_task_return_error (sub, store_error (error));
      return;
    }
  g_task_return_boolean (sub, TRUE);
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GTask *task = user_data;
  TerenSyncEngine *engine = g_task_get_source_object (task);
  DigestJob *job = g_task_get_task_data (task);
  EngineState *state = engine_state (engine);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      fail (task, error);
      return;
    }
  job->result.checked = TRUE;
  g_clear_pointer (&state->checked_at, g_date_time_unref);
  state->checked_at = g_date_time_new_from_iso8601 (job->checked_at, NULL);
  state->buckets_repaired = job->result.buckets_repaired;
  state->records_repaired = job->result.records_repaired;
  state->known = TRUE;
  state->failed_at = 0;
  if (job->result.mismatch)
    g_message ("Integrity check: %u buckets differed, %u repaired; %u ids fetched, %u records "
               "repaired, %u kept for their waiting changes",
               job->result.buckets_differing, job->result.buckets_repaired, job->result.ids_fetched,
               job->result.records_repaired, job->result.records_kept);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
save_result (GTask *task)
{
  DigestJob *job = g_task_get_task_data (task);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  job->checked_at = g_date_time_format_iso8601 (now);
  run_in_thread (task, save_thread, saved_cb);
}

/* The state of the last check as the store remembers it (after a restart). */
static void
load_last_check (EngineState *state,
                 DigestJob   *job)
{
  guint buckets = 0, records = 0, kept = 0;

  if (state->known || job->last_checked == NULL)
    return;
  g_clear_pointer (&state->checked_at, g_date_time_unref);
  state->checked_at = g_date_time_new_from_iso8601 (job->last_checked, NULL);
  if (job->last_result != NULL && sscanf (job->last_result, "%u %u %u", &buckets, &records, &kept) == 3)
    {
      state->buckets_repaired = buckets;
      state->records_repaired = records;
    }
  state->known = TRUE;
}

static void
prepared_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  TerenSyncEngine *engine = g_task_get_source_object (task);
  DigestJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      fail (task, error);
      return;
    }
  load_last_check (engine_state (engine), job);
  if (!job->due)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  if (teren_sync_task_fail_if_cancelled (task, fail))
    return;
  if (job->result.local_corrected)
    g_message ("Integrity check: the local digest was corrected from the base");
  engine_state (engine)->forced = FALSE;
  teren_sync_engine_request_async (engine, "GET", "/digest", NULL, g_task_get_cancellable (task),
                                   digest_answered_cb, task);
}

void
teren_sync_digest_run_async (TerenSyncEngine     *engine,
                             TerenStore          *store,
                             gboolean             force,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;
  DigestJob *job;
  EngineState *state;

  g_return_if_fail (TEREN_IS_SYNC_ENGINE (engine));
  g_return_if_fail (TEREN_IS_STORE (store));

  state = engine_state (engine);
  task = g_task_new (engine, cancellable, callback, user_data);
  g_task_set_source_tag (task, teren_sync_digest_run_async);
  /* A cancelled check still reports, through its own error. */
  g_task_set_check_cancellable (task, FALSE);
  job = g_new0 (DigestJob, 1);
  job->store = g_object_ref (store);
  job->force = force || state->forced;
  g_task_set_task_data (task, job, (GDestroyNotify) digest_job_free);

  /* After a failure, not again before an hour (an older server without /digest). */
  if (!job->force && state->failed_at != 0 &&
      g_get_monotonic_time () - state->failed_at < RETRY_AFTER_US)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  run_in_thread (task, prepare_thread, prepared_cb);
}

gboolean
teren_sync_digest_run_finish (TerenSyncEngine        *engine,
                              GAsyncResult           *result,
                              TerenSyncDigestResult  *out_result,
                              GError                **error)
{
  DigestJob *job;

  g_return_val_if_fail (g_task_is_valid (result, engine), FALSE);

  job = g_task_get_task_data (G_TASK (result));
  if (out_result != NULL)
    *out_result = job->result;
  return g_task_propagate_boolean (G_TASK (result), error);
}
