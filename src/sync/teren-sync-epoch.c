/* teren-sync-epoch.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "teren-json.h"
#include "teren-store-sync.h"
#include "teren-sync-engine-private.h"
#include "teren-sync-epoch.h"

#define REPORT_CHUNK 2000

typedef struct {
  TerenStore *store;
  JsonArray  *pairs;
  char       *old_epoch;
  guint       next;        /* first pair of the next request */
  gboolean    reoffer;     /* op_archive waits to be offered again */
} Report;

static void
report_free (Report *report)
{
  g_clear_object (&report->store);
  g_clear_pointer (&report->pairs, json_array_unref);
  g_free (report->old_epoch);
  g_free (report);
}

static void send_next (GTask *task);

static void
done_thread (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  Report *report = data;
  GError *error = NULL;

  if (!teren_store_sync_epoch_report_done (report->store, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) answer = NULL;
  GError *error = NULL;

  answer = teren_sync_engine_request_finish (TEREN_SYNC_ENGINE (source), result, &error);
  if (answer == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  send_next (g_steal_pointer (&task));
}

static void
send_next (GTask *task)
{
  Report *report = g_task_get_task_data (task);
  guint n = json_array_get_length (report->pairs);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  guint i;

  if (report->next >= n && (n > 0 || report->next > 0))
    {
      g_debug ("Epoch report sent: %u records", n);
      g_task_run_in_thread (task, done_thread);
      g_object_unref (task);
      return;
    }
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "epoch");
  json_builder_add_string_value (builder, report->old_epoch);
  json_builder_set_member_name (builder, "records");
  json_builder_begin_array (builder);
  for (i = report->next; i < n && i < report->next + REPORT_CHUNK; i++)
    {
      JsonArray *pair = json_array_get_array_element (report->pairs, i);

      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, json_array_get_string_element (pair, 0));
      json_builder_add_int_value (builder, json_array_get_int_element (pair, 1));
      json_builder_end_array (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  /* An empty store still sends one (empty) report, so the server logs the epoch change. */
  report->next = MAX (i, report->next + 1);
  root = json_builder_get_root (builder);
  body = teren_json_to_string (root);
  teren_sync_engine_request_async (g_task_get_source_object (task), "POST", "/epoch-report", body,
                                   g_task_get_cancellable (task), sent_cb, task);
}

static void
taken_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GTask *task = user_data;
  Report *report = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (report->pairs == NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  send_next (task);
}

static void
take_thread (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  Report *report = data;
  GError *error = NULL;

  report->reoffer = teren_store_sync_reoffer_pending (report->store);
  report->pairs = teren_store_sync_epoch_report_take (report->store, &report->old_epoch, &error);
  if (report->pairs == NULL && error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
teren_sync_epoch_report_async (TerenSyncEngine     *engine,
                               TerenStore          *store,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task = g_task_new (engine, cancellable, callback, user_data);
  Report *report = g_new0 (Report, 1);

  g_task_set_source_tag (task, teren_sync_epoch_report_async);
  report->store = g_object_ref (store);
  g_task_set_task_data (task, report, (GDestroyNotify) report_free);
  /* The store is read on a worker thread; the requests go from the caller's context. */
  teren_sync_task_run_in_thread (task, cancellable, take_thread, taken_cb, task);
}

gboolean
teren_sync_epoch_report_finish (TerenSyncEngine  *engine,
                                GAsyncResult     *result,
                                gboolean         *out_reoffer,
                                GError          **error)
{
  Report *report;

  g_return_val_if_fail (g_task_is_valid (result, engine), FALSE);
  report = g_task_get_task_data (G_TASK (result));
  if (out_reoffer != NULL)
    *out_reoffer = report->reoffer;
  return g_task_propagate_boolean (G_TASK (result), error);
}
