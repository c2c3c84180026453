/* teren-bench-server.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Benchmark of teren-server (issue 3, DESIGN.md targets):
 *  1. 50 concurrent simulated devices × 200 operations each against one server (async
 *     libsoup from one process, batches of 10 ops, a shared pool of records edited by all so
 *     that merges and conflicts happen), then each device pulls everything: operations/s,
 *     p50/p99 latency of push and pull requests, and the proof of convergence (every device
 *     ends with the same ids and revs, which include every acknowledged revision).
 *  2. A 100,000-record first pull from a fresh process of the server: time, records/s, and
 *     the server's peak memory (VmHWM).
 * Prints figures; asserts nothing about timings.
 *
 * Usage: teren-bench-server [--devices N] [--ops N] [--big N]
 * TEREN_SERVER_BIN selects the server binary (default: the one built with this tree).
 */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "teren-server-test-util.h"

#define PASSWORD "bench password 1"
#define BATCH_OPS 10
#define SHARED_RECORDS 100
#define PULL_LIMIT 500

static guint n_devices = 50;
static guint ops_per_device = 200;
static guint big_records = 100000;

static TerenTestServer *server;
static GMainLoop *loop;
static guint pending;

typedef struct {
  guint        index;
  SoupSession *session;
  char        *token;
  GRand       *rand;
  guint        ops_sent;
  GHashTable  *known;      /* id → rev acknowledged to this device */
  GPtrArray   *own;        /* ids created by this device */
  GHashTable  *pulled;     /* id → rev, from the pull */
  GHashTable  *pulled_line; /* the same for records of a line (not registry) */
  char        *cursor;
  guint        pages;
  gint64       request_start;
  JsonArray   *in_flight;
  guint        retries;
} Device;

static GArray *push_latencies;   /* double ms */
static GArray *pull_latencies;
static GPtrArray *shared_ids;
static guint status_counts[6];
static const char * const status_names[] = { "applied", "merged", "conflict", "rejected", "duplicate", "other" };
static guint64 pull_bytes;
static guint transport_errors;
static char *first_transport_error;

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
percentile (GArray *values,
            double  p)
{
  guint i;

  if (values->len == 0)
    return 0;
  g_array_sort (values, compare_double);
  i = (guint) (p * (values->len - 1) + 0.5);
  return g_array_index (values, double, MIN (i, values->len - 1));
}

static SoupMessage *
new_message (Device     *dev,
             const char *method,
             const char *path,
             const char *body)
{
  g_autofree char *url = g_strconcat (server->base_url, path, NULL);
  SoupMessage *msg = soup_message_new (method, url);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", dev->token);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  soup_message_headers_replace (headers, "Authorization", auth);
  soup_message_headers_replace (headers, "Teren-Protocol", "1");
  soup_message_headers_replace (headers, "Teren-Schema", "1");
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
      soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
    }
  return msg;
}

static JsonNode *
parse (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  if (!json_parser_load_from_data (parser, data, size, NULL))
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

/* ---- phase 1: pushes ---- */

static void push_next (Device *dev);

static JsonObject *
next_op (Device *dev)
{
  double dice = g_rand_double (dev->rand);
  g_autofree char *note = g_strdup_printf ("device %u op %u", dev->index, dev->ops_sent);

  if (dev->own->len < 3 || dice < 0.5)
    {
      JsonObject *op;

      if (dev->own->len > 0 && g_rand_boolean (dev->rand))
        {
          /* A case of a person of its own. */
          const char *person = dev->own->pdata[g_rand_int_range (dev->rand, 0, dev->own->len)];
          op = teren_test_op_new ("create", NULL, "case", "child", 0, teren_test_case_fields (person), NULL);
          json_object_set_string_member (json_object_get_object_member (op, "patch"), "notes", note);
        }
      else
        {
          op = teren_test_op_new ("create", NULL, "person", "", 0, teren_test_person_fields (dev->rand), NULL);
          g_ptr_array_add (dev->own, g_strdup (json_object_get_string_member (op, "record_id")));
        }
      return op;
    }
  else if (dice < 0.8)
    {
      /* An update of one of its own persons, from the rev it knows. */
      const char *id = dev->own->pdata[g_rand_int_range (dev->rand, 0, dev->own->len)];
      JsonObject *patch = json_object_new ();
      gint64 rev = GPOINTER_TO_SIZE (g_hash_table_lookup (dev->known, id));

      json_object_set_string_member (patch, "notes", note);
      return teren_test_op_new ("update", id, "person", "", rev, patch, NULL);
    }
  else
    {
      /* An update of a shared case: merges and conflicts with the other devices. */
      const char *id = shared_ids->pdata[g_rand_int_range (dev->rand, 0, shared_ids->len)];
      JsonObject *patch = json_object_new ();
      gint64 rev = GPOINTER_TO_SIZE (g_hash_table_lookup (dev->known, id));
      static const char * const managers[] = { "Ion Pop", "Maria Dan", "Ana Ilie" };

      if (g_rand_boolean (dev->rand))
        json_object_set_string_member (patch, "case_manager", managers[g_rand_int_range (dev->rand, 0, 3)]);
      else
        json_object_set_string_member (patch, "number", note);
      return teren_test_op_new ("update", id, "case", "child", rev > 0 ? rev : 1, patch, NULL);
    }
}

static void
push_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Device *dev = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  double ms = now_ms () - dev->request_start / 1000.0;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *results;

  g_array_append_val (push_latencies, ms);
  if (bytes == NULL && dev->retries < 5)
    {
      /* A transport error: the same batch again, as a client does (change ids make it safe). */
      g_autofree char *body = teren_test_ops_to_body (dev->in_flight);
      g_autoptr(SoupMessage) again = new_message (dev, "POST", "/api/v1/push", body);

      if (transport_errors++ == 0)
        first_transport_error = g_strdup_printf ("device %u, %.0f ms into its push after %u ops: %s", dev->index, ms,
                                                 dev->ops_sent, error->message);
      dev->retries++;
      dev->request_start = g_get_monotonic_time ();
      soup_session_send_and_read_async (dev->session, again, G_PRIORITY_DEFAULT, NULL, push_done, dev);
      return;
    }
  if (bytes == NULL || soup_message_get_status (msg) != 200)
    g_error ("device %u: push failed after %u ops, %.0f ms into the request: %s %u", dev->index, dev->ops_sent, ms,
             error != NULL ? error->message : "", soup_message_get_status (msg));
  dev->retries = 0;
  root = parse (bytes);
  results = json_object_get_array_member (json_node_get_object (root), "results");
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonObject *r = json_array_get_object_element (results, i);
      const char *status = json_object_get_string_member (r, "status");
      guint k;

      for (k = 0; k < 5 && g_strcmp0 (status, status_names[k]) != 0; k++)
        ;
      status_counts[k]++;
      if (json_object_has_member (r, "rev") && json_object_has_member (r, "record_id"))
        g_hash_table_replace (dev->known, g_strdup (json_object_get_string_member (r, "record_id")),
                              GSIZE_TO_POINTER ((gsize) json_object_get_int_member (r, "rev")));
    }
  g_clear_pointer (&dev->in_flight, json_array_unref);
  push_next (dev);
}

static void
push_next (Device *dev)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *body = NULL;

  if (dev->ops_sent >= ops_per_device)
    {
      if (--pending == 0)
        g_main_loop_quit (loop);
      return;
    }
  dev->in_flight = json_array_new ();
  for (guint i = 0; i < BATCH_OPS && dev->ops_sent < ops_per_device; i++, dev->ops_sent++)
    json_array_add_object_element (dev->in_flight, next_op (dev));
  body = teren_test_ops_to_body (dev->in_flight);
  msg = new_message (dev, "POST", "/api/v1/push", body);
  dev->request_start = g_get_monotonic_time ();
  soup_session_send_and_read_async (dev->session, msg, G_PRIORITY_DEFAULT, NULL, push_done, dev);
}

/* ---- phase 1: pulls ---- */

static void pull_next (Device *dev);

static void
pull_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Device *dev = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  double ms = now_ms () - dev->request_start / 1000.0;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonArray *records;

  g_array_append_val (pull_latencies, ms);
  if (bytes == NULL || soup_message_get_status (msg) != 200)
    g_error ("device %u: pull failed: %s %u", dev->index, error != NULL ? error->message : "",
             soup_message_get_status (msg));
  pull_bytes += g_bytes_get_size (bytes);
  root = parse (bytes);
  object = json_node_get_object (root);
  records = json_object_get_array_member (object, "records");
  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonObject *r = json_array_get_object_element (records, i);
      const char *id = json_object_get_string_member (r, "id");
      gint64 rev = json_object_get_int_member (r, "rev");

      if ((gint64) GPOINTER_TO_SIZE (g_hash_table_lookup (dev->pulled, id)) < rev)
        {
          g_hash_table_replace (dev->pulled, g_strdup (id), GSIZE_TO_POINTER ((gsize) rev));
          if (g_strcmp0 (json_object_get_string_member (r, "line"), "") != 0)
            g_hash_table_replace (dev->pulled_line, g_strdup (id), GSIZE_TO_POINTER ((gsize) rev));
        }
    }
  g_free (dev->cursor);
  dev->cursor = g_strdup (json_object_get_string_member (object, "cursor"));
  dev->pages++;
  if (json_object_get_boolean_member (object, "more"))
    pull_next (dev);
  else if (--pending == 0)
    g_main_loop_quit (loop);
}

static void
pull_next (Device *dev)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *path = NULL;

  if (dev->cursor != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (dev->cursor, NULL, FALSE);
      path = g_strdup_printf ("/api/v1/pull?limit=%d&cursor=%s", PULL_LIMIT, escaped);
    }
  else
    path = g_strdup_printf ("/api/v1/pull?limit=%d", PULL_LIMIT);
  msg = new_message (dev, "GET", path, NULL);
  dev->request_start = g_get_monotonic_time ();
  soup_session_send_and_read_async (dev->session, msg, G_PRIORITY_DEFAULT, NULL, pull_done, dev);
}

static void
read_proc_status (GPid        pid,
                  const char *key,
                  char       *out,
                  gsize       out_size)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *text = NULL;
  const char *p;

  g_strlcpy (out, "?", out_size);
  if (!g_file_get_contents (path, &text, NULL, NULL))
    return;
  p = strstr (text, key);
  if (p == NULL)
    return;
  p += strlen (key);
  while (*p == ' ' || *p == '\t' || *p == ':')
    p++;
  g_strlcpy (out, p, MIN (out_size, strcspn (p, "\n") + 1));
}

static void
phase_concurrent (void)
{
  g_autoptr(GPtrArray) devices = g_ptr_array_new ();
  g_autoptr(TerenTestDevice) setup = NULL;
  g_autoptr(JsonArray) shared_ops = json_array_new ();
  g_autoptr(JsonArray) shared_results = NULL;
  g_autofree char *person_id = NULL;
  double t0, t_push, t_pull;
  Device *first;
  guint total_ops = n_devices * ops_per_device;
  gboolean converged = TRUE;
  guint missing_acked = 0;
  char hwm[64], rss[64];

  server = teren_test_server_new ();
  for (guint a = 0; a < 10; a++)
    {
      g_autofree char *name = g_strdup_printf ("worker%u", a);
      teren_test_server_add_user (server, name, PASSWORD, "child,elderly", "worker");
    }
  teren_test_server_start (server);

  /* The shared pool: cases every device will edit. */
  setup = teren_test_device_new (server, "worker0", PASSWORD, NULL);
  json_array_add_object_element (shared_ops, teren_test_op_new ("create", NULL, "person", "", 0,
                                                                teren_test_person_fields (NULL), NULL));
  person_id = g_strdup (json_object_get_string_member (json_array_get_object_element (shared_ops, 0), "record_id"));
  shared_ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < SHARED_RECORDS; i++)
    {
      JsonObject *op = teren_test_op_new ("create", NULL, "case", "child", 0, teren_test_case_fields (person_id), NULL);
      g_ptr_array_add (shared_ids, g_strdup (json_object_get_string_member (op, "record_id")));
      json_array_add_object_element (shared_ops, op);
    }
  shared_results = teren_test_device_push (setup, shared_ops);

  push_latencies = g_array_new (FALSE, FALSE, sizeof (double));
  pull_latencies = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint i = 0; i < n_devices; i++)
    {
      Device *dev = g_new0 (Device, 1);
      g_autofree char *name = g_strdup_printf ("worker%u", i % 10);
      g_autoptr(TerenTestDevice) login = teren_test_device_new (server, name, PASSWORD, NULL);

      dev->index = i;
      dev->session = teren_test_session_new ();
      dev->token = g_strdup (login->token);
      dev->rand = g_rand_new_with_seed (1000 + i);
      dev->known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      dev->own = g_ptr_array_new_with_free_func (g_free);
      dev->pulled = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      dev->pulled_line = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (guint k = 0; k < shared_ids->len; k++)
        g_hash_table_insert (dev->known, g_strdup (shared_ids->pdata[k]), GSIZE_TO_POINTER (1));
      g_ptr_array_add (devices, dev);
    }

  loop = g_main_loop_new (NULL, FALSE);
  pending = n_devices;
  t0 = now_ms ();
  for (guint i = 0; i < n_devices; i++)
    push_next (devices->pdata[i]);
  g_main_loop_run (loop);
  t_push = now_ms () - t0;

  pending = n_devices;
  t0 = now_ms ();
  for (guint i = 0; i < n_devices; i++)
    pull_next (devices->pdata[i]);
  g_main_loop_run (loop);
  t_pull = now_ms () - t0;

  /* Convergence: the devices of one account hold identical (id, rev) sets; all devices hold
   * the same records of the lines (registry records differ by account: those an account
   * created and nothing references are in its scope only); and every revision
   * acknowledged to a device is there. */
  first = devices->pdata[0];
  for (guint i = 0; i < n_devices; i++)
    {
      Device *dev = devices->pdata[i];
      Device *same_account = devices->pdata[i % 10];
      GHashTableIter iter;
      gpointer key, value;

      if (g_hash_table_size (dev->pulled) != g_hash_table_size (same_account->pulled)
          || g_hash_table_size (dev->pulled_line) != g_hash_table_size (first->pulled_line))
        converged = FALSE;
      g_hash_table_iter_init (&iter, dev->pulled);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (g_hash_table_lookup (same_account->pulled, key) != value)
          {
            if (converged)
              printf ("first difference: device %u has %s at rev %zu, device %u at rev %zu\n", i,
                      (const char *) key, GPOINTER_TO_SIZE (value), i % 10,
                      GPOINTER_TO_SIZE (g_hash_table_lookup (same_account->pulled, key)));
            converged = FALSE;
          }
      g_hash_table_iter_init (&iter, dev->pulled_line);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (g_hash_table_lookup (first->pulled_line, key) != value)
          converged = FALSE;
      g_hash_table_iter_init (&iter, dev->known);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (GPOINTER_TO_SIZE (g_hash_table_lookup (dev->pulled, key)) < GPOINTER_TO_SIZE (value))
          missing_acked++;
    }

  read_proc_status (teren_test_server_get_pid (server), "VmHWM", hwm, sizeof hwm);
  read_proc_status (teren_test_server_get_pid (server), "VmRSS", rss, sizeof rss);

  printf ("== 1. %u concurrent devices x %u operations (batches of %d), then each pulls everything ==\n",
          n_devices, ops_per_device, BATCH_OPS);
  printf ("push: %u ops in %.0f ms = %.0f ops/s (target >= 2,000)\n", total_ops, t_push, total_ops / (t_push / 1000.0));
  printf ("push latency per batch: p50 %.1f ms, p99 %.1f ms (%u requests)\n", percentile (push_latencies, 0.5),
          percentile (push_latencies, 0.99), push_latencies->len);
  printf ("transport errors retried: %u%s%s\n", transport_errors, first_transport_error != NULL ? "; first: " : "",
          first_transport_error != NULL ? first_transport_error : "");
  printf ("statuses: applied %u, merged %u, conflict %u, rejected %u, duplicate %u, other %u\n", status_counts[0],
          status_counts[1], status_counts[2], status_counts[3], status_counts[4], status_counts[5]);
  printf ("pull: %u devices x %u records in %.0f ms = %.0f records/s delivered, %.1f MB of JSON\n", n_devices,
          g_hash_table_size (first->pulled), t_pull, n_devices * (double) g_hash_table_size (first->pulled) / (t_pull / 1000.0),
          pull_bytes / 1e6);
  printf ("pull latency per page (limit %d): p50 %.1f ms, p99 %.1f ms (%u requests)\n", PULL_LIMIT,
          percentile (pull_latencies, 0.5), percentile (pull_latencies, 0.99), pull_latencies->len);
  printf ("convergence: %s (%u devices: the same %u line records (id, rev) on all, the same %u records on the "
          "devices of one account; acknowledged revisions missing: %u)\n",
          converged && missing_acked == 0 ? "OK" : "FAILED", n_devices, g_hash_table_size (first->pulled_line),
          g_hash_table_size (first->pulled), missing_acked);
  printf ("server memory: VmHWM %s, VmRSS %s\n", hwm, rss);

  for (guint i = 0; i < n_devices; i++)
    {
      Device *dev = devices->pdata[i];
      g_object_unref (dev->session);
      g_free (dev->token);
      g_rand_free (dev->rand);
      g_hash_table_unref (dev->known);
      g_ptr_array_unref (dev->own);
      g_hash_table_unref (dev->pulled);
      g_hash_table_unref (dev->pulled_line);
      g_free (dev->cursor);
      g_free (dev);
    }
  g_main_loop_unref (loop);
  g_array_unref (push_latencies);
  g_array_unref (pull_latencies);
  g_ptr_array_unref (shared_ids);
  teren_test_server_free (server);
  server = NULL;
}

/* ---- phase 2: 100,000-record first pull ---- */

static void
phase_big_pull (void)
{
  g_autoptr(TerenTestDevice) loader = NULL;
  g_autoptr(TerenTestDevice) reader = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *person_id = NULL;
  guint loaded = 0, pages = 0;
  guint64 bytes = 0;
  double t0, t_load, t_pull, max_page = 0;
  gboolean more = TRUE;
  char hwm_load[64], hwm[64], rss[64], self_hwm[64];

  server = teren_test_server_new ();
  teren_test_server_add_user (server, "loader", PASSWORD, "child", "worker");
  teren_test_server_start (server);
  loader = teren_test_device_new (server, "loader", PASSWORD, NULL);

  /* Load: half persons, half cases, 500 per push. */
  t0 = now_ms ();
  while (loaded < big_records)
    {
      g_autoptr(JsonArray) ops = json_array_new ();
      g_autoptr(JsonArray) results = NULL;

      for (guint i = 0; i < 500 && loaded + i < big_records; i++)
        {
          JsonObject *op;

          if (person_id == NULL || (loaded + i) % 2 == 0)
            {
              op = teren_test_op_new ("create", NULL, "person", "", 0, teren_test_person_fields (NULL), NULL);
              g_free (person_id);
              person_id = g_strdup (json_object_get_string_member (op, "record_id"));
            }
          else
            op = teren_test_op_new ("create", NULL, "case", "child", 0, teren_test_case_fields (person_id), NULL);
          json_array_add_object_element (ops, op);
        }
      results = teren_test_device_push (loader, ops);
      loaded += json_array_get_length (ops);
    }
  t_load = now_ms () - t0;
  read_proc_status (teren_test_server_get_pid (server), "VmHWM", hwm_load, sizeof hwm_load);

  /* A fresh server process, so that its peak memory is the pull's. */
  g_assert_cmpint (teren_test_server_term (server, 60), ==, 0);
  teren_test_server_start (server);
  reader = teren_test_device_new (server, "loader", PASSWORD, NULL);

  t0 = now_ms ();
  while (more)
    {
      g_autofree char *path = NULL;
      g_autoptr(TerenTestResponse) r = NULL;
      JsonObject *object;
      JsonArray *records;
      double p0 = now_ms ();

      if (reader->cursor != NULL)
        {
          g_autofree char *escaped = g_uri_escape_string (reader->cursor, NULL, FALSE);
          path = g_strdup_printf ("/api/v1/pull?limit=2000&cursor=%s", escaped);
        }
      else
        path = g_strdup ("/api/v1/pull?limit=2000");
      r = teren_test_request (reader->session, server, "GET", path, reader->token, NULL, 0);
      if (r->status != 200)
        g_error ("pull: %u %s", r->status, r->error != NULL ? r->error->message : "");
      max_page = MAX (max_page, now_ms () - p0);
      bytes += r->length;
      object = teren_test_response_object (r);
      records = json_object_get_array_member (object, "records");
      for (guint i = 0; i < json_array_get_length (records); i++)
        g_hash_table_add (seen, g_strdup (json_object_get_string_member (json_array_get_object_element (records, i),
                                                                        "id")));
      g_free (reader->cursor);
      reader->cursor = g_strdup (json_object_get_string_member (object, "cursor"));
      more = json_object_get_boolean_member (object, "more");
      pages++;
    }
  t_pull = now_ms () - t0;
  read_proc_status (teren_test_server_get_pid (server), "VmHWM", hwm, sizeof hwm);
  read_proc_status (teren_test_server_get_pid (server), "VmRSS", rss, sizeof rss);
  read_proc_status (getpid (), "VmHWM", self_hwm, sizeof self_hwm);

  printf ("\n== 2. %u-record first pull ==\n", big_records);
  printf ("load through push: %u ops in %.0f ms = %.0f ops/s (batches of 500); server VmHWM while loading %s\n",
          loaded, t_load, loaded / (t_load / 1000.0), hwm_load);
  printf ("first pull: %u records (%s) in %u pages of <= 2000, %.0f ms = %.0f records/s (target <= 10 s); "
          "%.1f MB of JSON; slowest page %.0f ms\n",
          g_hash_table_size (seen), g_hash_table_size (seen) == big_records ? "all, each once" : "MISMATCH",
          pages, t_pull, g_hash_table_size (seen) / (t_pull / 1000.0), bytes / 1e6, max_page);
  printf ("server peak memory for the pull (fresh process): VmHWM %s, VmRSS after %s\n", hwm, rss);
  printf ("(bench process VmHWM %s: it keeps the ids only)\n", self_hwm);

  teren_test_server_free (server);
  server = NULL;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— benchmark teren-server");
  g_autoptr(GError) error = NULL;
  int devices = 50, ops = 200, big = 100000;
  gboolean skip_big = FALSE;
  GOptionEntry entries[] = {
    { "devices", 0, 0, G_OPTION_ARG_INT, &devices, "Concurrent devices (50)", "N" },
    { "ops", 0, 0, G_OPTION_ARG_INT, &ops, "Operations per device (200)", "N" },
    { "big", 0, 0, G_OPTION_ARG_INT, &big, "Records of the big pull (100000)", "N" },
    { "skip-big", 0, 0, G_OPTION_ARG_NONE, &skip_big, "Only the concurrent phase", NULL },
    { NULL },
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  n_devices = MAX (devices, 1);
  ops_per_device = MAX (ops, 1);
  big_records = MAX (big, 1);
#ifdef TEREN_SERVER_PATH
  if (g_getenv ("TEREN_SERVER_BIN") == NULL)
    g_setenv ("TEREN_SERVER_BIN", TEREN_SERVER_PATH, TRUE);
#endif

  printf ("teren-server benchmark: %u cores, SQLite %s, libsoup %u.%u.%u\n", g_get_num_processors (),
          sqlite3_libversion (), soup_get_major_version (), soup_get_minor_version (), soup_get_micro_version ());
  phase_concurrent ();
  if (!skip_big)
    phase_big_pull ();
  return 0;
}
