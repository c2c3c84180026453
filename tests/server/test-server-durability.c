/* test-server-durability.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Durability of the real teren-server (SYNC.md "Durability", SYNC-NOTES S4/S5): idempotency by
 * change id across restarts, SIGKILL in the middle of a push batch (every op applied once,
 * or retried and applied once; revisions contiguous; integrity_check ok), the server's named
 * crash points (TEREN_CRASHPOINT: push_before_commit, push_after_commit_before_reply,
 * pull_mid_page), and a graceful shutdown on SIGTERM. Built twice: as an integration test
 * with a few kill rounds and, with KILL_ROUNDS raised, as the slow crash loop.
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include "teren-uuid.h"

#include "teren-server-test-util.h"

#ifndef KILL_ROUNDS
#define KILL_ROUNDS 4
#endif
#define BATCH 500
#define PASSWORD "correct horse 1"
/* Rounds of each push crash point: a few here, SYNC-NOTES' ×50 in the crash loop. */
#define CRASH_ROUNDS (KILL_ROUNDS > 4 ? 50 : 5)
/* Pages of pull_mid_page: 60 records in pages of 8. */
#define PULL_RECORDS 60
#define PULL_LIMIT 8

static TerenTestServer *server;
static guint kill_rounds = KILL_ROUNDS;
static guint crash_rounds = CRASH_ROUNDS;

/* ---- a push on its own thread, so the main thread can kill the server meanwhile ---- */

typedef struct {
  TerenTestServer   *server;
  char              *token;
  char              *body;
  TerenTestResponse *response;
} PushJob;

static gpointer
push_thread (gpointer data)
{
  PushJob *job = data;
  GMainContext *context = g_main_context_new ();
  SoupSession *session;

  g_main_context_push_thread_default (context);
  session = teren_test_session_new ();
  job->response = teren_test_request (session, job->server, "POST", "/api/v1/push", job->token, job->body, -1);
  g_object_unref (session);
  g_main_context_pop_thread_default (context);
  g_main_context_unref (context);
  return NULL;
}

static JsonArray *
results_of (TerenTestResponse *response,
            guint              n)
{
  JsonObject *object = teren_test_response_object (response);
  JsonArray *results;

  g_assert_nonnull (object);
  results = json_object_get_array_member (object, "results");
  g_assert_nonnull (results);
  g_assert_cmpuint (json_array_get_length (results), ==, n);
  return results;
}

/* `audit --record ID`: revisions 1..n in order, each change id once. Returns n. */
static guint
assert_history_of (TerenTestServer *srv,
                   const char      *record_id)
{
  g_autoptr(GPtrArray) changes = teren_test_server_history (srv, record_id);

  return changes->len;
}

static guint
assert_contiguous_history (const char *record_id)
{
  return assert_history_of (server, record_id);
}

/* The server ended by itself at crash point @name: _exit (137), the point named on its
 * stderr (a SIGKILL from elsewhere would give 137 too, without the line). */
static void
assert_crashed_at (TerenTestServer *srv,
                   const char      *name)
{
  g_autofree char *line = g_strdup_printf ("teren: crash point %s\n", name);
  g_autofree char *err = NULL;

  g_assert_cmpint (teren_test_server_wait_exit (srv, 60), ==, 137);
  err = teren_test_server_get_stderr (srv);
  if (strstr (err, line) == NULL)
    g_test_message ("server stderr:\n%s", err);
  g_assert_nonnull (strstr (err, line));
}

/* ---- tests ---- */

static void
test_idempotent_across_restart (void)
{
  g_autoptr(TerenTestDevice) dev = teren_test_device_new (server, "ana", PASSWORD, NULL);
  g_autoptr(JsonArray) ops = json_array_new ();
  g_autoptr(JsonArray) first = NULL;
  g_autoptr(JsonArray) again = NULL;
  g_autoptr(TerenTestResponse) hello1 = NULL;
  g_autoptr(TerenTestResponse) hello2 = NULL;
  g_autofree char *epoch = NULL;
  int status;

  for (guint i = 0; i < 10; i++)
    json_array_add_object_element (ops, teren_test_op_new ("create", NULL, "person", "", 0,
                                                           teren_test_person_fields (NULL), NULL));
  first = teren_test_device_push (dev, ops);
  hello1 = teren_test_request (dev->session, server, "GET", "/api/v1/hello", NULL, NULL, 0);
  epoch = g_strdup (json_object_get_string_member (teren_test_response_object (hello1), "epoch"));

  status = teren_test_server_term (server, 30);
  g_assert_cmpint (status, ==, 0);
  teren_test_server_assert_integrity (server);
  teren_test_server_start (server);

  /* Same epoch, the token still valid, every op a duplicate with its first answer. */
  hello2 = teren_test_request (dev->session, server, "GET", "/api/v1/hello", NULL, NULL, 0);
  g_assert_cmpstr (json_object_get_string_member (teren_test_response_object (hello2), "epoch"), ==, epoch);
  again = teren_test_device_push (dev, ops);
  for (guint i = 0; i < 10; i++)
    {
      JsonObject *a = json_array_get_object_element (first, i);
      JsonObject *b = json_array_get_object_element (again, i);

      g_assert_cmpstr (teren_test_result_status (a), ==, "applied");
      g_assert_cmpstr (teren_test_result_status (b), ==, "duplicate");
      g_assert_cmpint (json_object_get_int_member (a, "rev"), ==, json_object_get_int_member (b, "rev"));
      g_assert_cmpint (json_object_get_int_member (a, "seq"), ==, json_object_get_int_member (b, "seq"));
    }

  /* And after a SIGKILL too. */
  teren_test_server_kill (server);
  teren_test_server_start (server);
  g_clear_pointer (&again, json_array_unref);
  again = teren_test_device_push (dev, ops);
  for (guint i = 0; i < 10; i++)
    g_assert_cmpstr (teren_test_result_status (json_array_get_object_element (again, i)), ==, "duplicate");
  teren_test_device_pull_all (dev, 0);
  g_assert_cmpuint (g_hash_table_size (dev->records), ==, 10);
}

typedef struct {
  char   *id;
  gint64  rev;     /* as last acknowledged */
  guint   round;   /* the round of its last update, or G_MAXUINT */
} Tracked;

static void
tracked_free (Tracked *t)
{
  g_free (t->id);
  g_free (t);
}

static void
test_kill_mid_batch (void)
{
  g_autoptr(TerenTestDevice) dev = teren_test_device_new (server, "bob", PASSWORD, NULL);
  g_autoptr(GPtrArray) tracked = g_ptr_array_new_with_free_func ((GDestroyNotify) tracked_free);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261201);
  guint answered_before_kill = 0;
  guint dropped = 0;

  for (guint round = 0; round < kill_rounds; round++)
    {
      g_autoptr(JsonArray) ops = json_array_new ();
      g_autoptr(GPtrArray) round_items = g_ptr_array_new ();
      g_autoptr(JsonArray) retry = NULL;
      g_autoptr(JsonArray) retry2 = NULL;
      PushJob job = { 0 };
      GThread *thread;
      /* From "not yet read" to "answered already". */
      guint delay_ms = g_rand_int_range (rand, 0, round % 2 == 0 ? 60 : 400);
      gboolean got_answer;
      guint n_updates = MIN (tracked->len, BATCH / 2);

      /* Updates of earlier records, then new ones. */
      for (guint i = 0; i < n_updates; i++)
        {
          Tracked *t = tracked->pdata[(round * 97 + i) % tracked->len];
          JsonObject *patch = json_object_new ();
          g_autofree char *note = g_strdup_printf ("round %u", round);
          gboolean seen = FALSE;

          for (guint k = 0; k < round_items->len; k++)
            if (round_items->pdata[k] == t)
              seen = TRUE;
          if (seen)
            {
              json_object_unref (patch);
              continue;
            }
          json_object_set_string_member (patch, "notes", note);
          json_array_add_object_element (ops, teren_test_op_new ("update", t->id, "person", "", t->rev, patch, NULL));
          g_ptr_array_add (round_items, t);
        }
      n_updates = round_items->len;
      while (json_array_get_length (ops) < BATCH)
        {
          Tracked *t = g_new0 (Tracked, 1);
          JsonObject *op = teren_test_op_new ("create", NULL, "person", "", 0, teren_test_person_fields (rand), NULL);

          t->id = g_strdup (json_object_get_string_member (op, "record_id"));
          t->rev = 0;
          t->round = G_MAXUINT;
          json_array_add_object_element (ops, op);
          g_ptr_array_add (tracked, t);
          g_ptr_array_add (round_items, t);
        }

      job.server = server;
      job.token = dev->token;
      job.body = teren_test_ops_to_body (ops);
      thread = g_thread_new ("push", push_thread, &job);
      teren_test_sleep_ms (delay_ms);
      teren_test_server_kill (server);
      g_thread_join (thread);
      got_answer = job.response->error == NULL && job.response->status == 200;
      if (got_answer)
        answered_before_kill++;
      else
        dropped++;

      /* The database is sound after the crash. */
      teren_test_server_assert_integrity (server);
      teren_test_server_start (server);

      /* The retry: each op applied now, or a duplicate of what was applied before the kill. */
      retry = teren_test_device_push (dev, ops);
      for (guint i = 0; i < BATCH; i++)
        {
          JsonObject *r = json_array_get_object_element (retry, i);
          const char *status = teren_test_result_status (r);
          Tracked *t = round_items->pdata[i];

          if (got_answer)
            {
              JsonObject *first = json_array_get_object_element (results_of (job.response, BATCH), i);
              g_assert_cmpstr (status, ==, "duplicate");
              g_assert_cmpint (json_object_get_int_member (r, "rev"), ==, json_object_get_int_member (first, "rev"));
            }
          else if (g_strcmp0 (status, "duplicate") == 0)
            g_assert_cmpstr (json_object_get_string_member (r, "original_status"), ==, "applied");
          else
            g_assert_cmpstr (status, ==, "applied");
          g_assert_cmpint (json_object_get_int_member (r, "rev"), ==, t->rev + 1);
          t->rev++;
          if (i < n_updates)
            t->round = round;
        }
      /* A second retry changes nothing. */
      retry2 = teren_test_device_push (dev, ops);
      for (guint i = 0; i < BATCH; i++)
        g_assert_cmpstr (teren_test_result_status (json_array_get_object_element (retry2, i)), ==, "duplicate");

      g_free (job.body);
      teren_test_response_free (job.response);
    }
  g_test_message ("%u rounds: %u answered before the kill, %u cut", kill_rounds, answered_before_kill, dropped);

  /* The server holds every record exactly at the acknowledged revision, with the last value. */
  teren_test_device_pull_all (dev, 0);
  g_assert_cmpuint (g_hash_table_size (dev->records), ==, tracked->len);
  for (guint i = 0; i < tracked->len; i++)
    {
      Tracked *t = tracked->pdata[i];
      JsonObject *record = teren_test_device_get (dev, t->id);
      JsonObject *fields;

      g_assert_nonnull (record);
      g_assert_cmpint (json_object_get_int_member (record, "rev"), ==, t->rev);
      fields = json_object_get_object_member (record, "fields");
      if (t->round != G_MAXUINT)
        {
          g_autofree char *note = g_strdup_printf ("round %u", t->round);
          g_assert_cmpstr (json_object_get_string_member (fields, "notes"), ==, note);
        }
    }
  /* Revisions contiguous and each change applied once, for a sample. */
  for (guint i = 0; i < tracked->len; i += MAX (1, tracked->len / (kill_rounds > 2 ? 10 : 3)))
    {
      Tracked *t = tracked->pdata[i];
      g_assert_cmpuint (assert_contiguous_history (t->id), ==, t->rev);
    }
  teren_test_server_assert_integrity (server);
}

/* SYNC-NOTES S4 `push_before_commit`: the server dies after writing the whole batch and
 * before COMMIT. Nothing of the batch survives; the retry applies every op once. */
static void
test_crash_before_commit (void)
{
  g_autoptr(TerenTestServer) crashing = teren_test_server_new ();
  g_autoptr(TerenTestDevice) dev = NULL;
  g_autoptr(JsonArray) ops = json_array_new ();
  g_autoptr(JsonArray) retry = NULL;
  g_autoptr(JsonArray) again = NULL;
  g_autoptr(TerenTestResponse) cut = NULL;
  const char * const env[] = { "TEREN_CRASHPOINT=push_before_commit", NULL };

  teren_test_server_add_user (crashing, "ana", PASSWORD, "child", "worker");
  /* Log in first: the token survives the restart into the crashing mode, where the push
   * is the first write. */
  teren_test_server_start (crashing);
  dev = teren_test_device_new (crashing, "ana", PASSWORD, NULL);
  g_assert_cmpint (teren_test_server_term (crashing, 30), ==, 0);
  teren_test_server_set_env (crashing, env);
  teren_test_server_start (crashing);
  for (guint i = 0; i < BATCH; i++)
    json_array_add_object_element (ops, teren_test_op_new ("create", NULL, "person", "", 0,
                                                           teren_test_person_fields (NULL), NULL));
  cut = teren_test_device_push_raw (dev, ops);
  g_assert_nonnull (cut->error);
  g_assert_cmpuint (cut->status, ==, 0);
  /* The process is gone, ended at that point. */
  assert_crashed_at (crashing, "push_before_commit");
  teren_test_server_assert_integrity (crashing);

  teren_test_server_set_env (crashing, NULL);
  teren_test_server_start (crashing);
  retry = teren_test_device_push (dev, ops);
  for (guint i = 0; i < BATCH; i++)
    {
      JsonObject *r = json_array_get_object_element (retry, i);
      g_assert_cmpstr (teren_test_result_status (r), ==, "applied");
      g_assert_cmpint (json_object_get_int_member (r, "rev"), ==, 1);
    }
  again = teren_test_device_push (dev, ops);
  for (guint i = 0; i < BATCH; i++)
    g_assert_cmpstr (teren_test_result_status (json_array_get_object_element (again, i)), ==, "duplicate");
  teren_test_device_pull_all (dev, 0);
  g_assert_cmpuint (g_hash_table_size (dev->records), ==, BATCH);
  g_assert_cmpuint (assert_history_of (crashing, json_object_get_string_member (json_array_get_object_element (ops, 7),
                                                                                "record_id")), ==, 1);
}

/* SYNC-NOTES S4, rounds of a push crash point (@committed: the point is after COMMIT). The
 * server dies with the batch written and not committed (push_before_commit), or committed
 * with no byte of the answer sent (push_after_commit_before_reply). The device, which saw
 * only a broken connection, resends the same batch to the restarted server: every op is
 * applied now (before commit), or a duplicate of an `applied` answer (after commit), with
 * the next revision of its record; the server's history holds each change id once,
 * revisions contiguous (I1, I2), the database sound after each crash (I7). Each round
 * updates records of the earlier rounds and creates new ones. */
static void
push_crash_rounds (const char *point,
                   gboolean    committed)
{
  g_autoptr(TerenTestServer) crashing = teren_test_server_new ();
  g_autoptr(TerenTestDevice) dev = NULL;
  g_autoptr(TerenTestDevice) fresh = NULL;
  g_autoptr(GPtrArray) tracked = g_ptr_array_new_with_free_func ((GDestroyNotify) tracked_free);
  /* record id → its change ids in the order acknowledged (GPtrArray) */
  g_autoptr(GHashTable) changes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261202);
  g_autofree char *spec = g_strdup_printf ("TEREN_CRASHPOINT=%s", point);
  const char * const env[] = { spec, NULL };

  teren_test_server_add_user (crashing, "ana", PASSWORD, "child", "worker");
  teren_test_server_start (crashing);
  dev = teren_test_device_new (crashing, "ana", PASSWORD, NULL);

  for (guint round = 0; round < crash_rounds; round++)
    {
      g_autoptr(JsonArray) ops = json_array_new ();
      g_autoptr(GPtrArray) round_items = g_ptr_array_new ();
      g_autoptr(TerenTestResponse) cut = NULL;
      g_autoptr(JsonArray) retry = NULL;
      g_autoptr(JsonArray) again = NULL;
      guint n_updates = MIN (tracked->len, 20);

      /* Updates of distinct earlier records, then new ones: 40 ops. */
      for (guint i = 0; i < n_updates; i++)
        {
          Tracked *t = tracked->pdata[(round * 7 + i) % tracked->len];
          JsonObject *patch = json_object_new ();
          g_autofree char *note = g_strdup_printf ("round %u", round);

          json_object_set_string_member (patch, "notes", note);
          json_array_add_object_element (ops, teren_test_op_new ("update", t->id, "person", "", t->rev, patch, NULL));
          g_ptr_array_add (round_items, t);
        }
      while (json_array_get_length (ops) < 40)
        {
          Tracked *t = g_new0 (Tracked, 1);
          JsonObject *op = teren_test_op_new ("create", NULL, "person", "", 0, teren_test_person_fields (rand), NULL);

          t->id = g_strdup (json_object_get_string_member (op, "record_id"));
          t->round = G_MAXUINT;
          json_array_add_object_element (ops, op);
          g_ptr_array_add (tracked, t);
          g_ptr_array_add (round_items, t);
          g_hash_table_insert (changes, g_strdup (t->id), g_ptr_array_new_with_free_func (g_free));
        }

      /* The server dies at the point, before answering. */
      g_assert_cmpint (teren_test_server_term (crashing, 30), ==, 0);
      teren_test_server_set_env (crashing, env);
      teren_test_server_start (crashing);
      cut = teren_test_device_push_raw (dev, ops);
      g_assert_nonnull (cut->error);
      g_assert_cmpuint (cut->status, ==, 0);
      assert_crashed_at (crashing, point);
      teren_test_server_assert_integrity (crashing);

      /* The same batch again: applied once, whether it was committed before or not. */
      teren_test_server_set_env (crashing, NULL);
      teren_test_server_start (crashing);
      retry = teren_test_device_push (dev, ops);
      for (guint i = 0; i < json_array_get_length (ops); i++)
        {
          JsonObject *r = json_array_get_object_element (retry, i);
          JsonObject *op = json_array_get_object_element (ops, i);
          Tracked *t = round_items->pdata[i];

          if (committed)
            {
              g_assert_cmpstr (teren_test_result_status (r), ==, "duplicate");
              g_assert_cmpstr (json_object_get_string_member (r, "original_status"), ==, "applied");
            }
          else
            {
              g_assert_cmpstr (teren_test_result_status (r), ==, "applied");
            }
          g_assert_cmpint (json_object_get_int_member (r, "rev"), ==, t->rev + 1);
          t->rev++;
          if (i < n_updates)
            t->round = round;
          g_ptr_array_add (g_hash_table_lookup (changes, t->id),
                           g_strdup (json_object_get_string_member (op, "change_id")));
        }
      /* A second resend changes nothing. */
      again = teren_test_device_push (dev, ops);
      for (guint i = 0; i < json_array_get_length (ops); i++)
        {
          JsonObject *r = json_array_get_object_element (again, i);

          g_assert_cmpstr (teren_test_result_status (r), ==, "duplicate");
          g_assert_cmpint (json_object_get_int_member (r, "rev"), ==, ((Tracked *) round_items->pdata[i])->rev);
        }
    }

  /* The history of every record: exactly its acknowledged change ids, once each, in order,
   * at revisions 1..n. */
  for (guint i = 0; i < tracked->len; i++)
    {
      Tracked *t = tracked->pdata[i];
      GPtrArray *expected = g_hash_table_lookup (changes, t->id);
      g_autoptr(GPtrArray) history = teren_test_server_history (crashing, t->id);

      g_assert_cmpuint (history->len, ==, t->rev);
      g_assert_cmpuint (history->len, ==, expected->len);
      for (guint k = 0; k < history->len; k++)
        g_assert_cmpstr (history->pdata[k], ==, expected->pdata[k]);
    }
  /* A new device sees every record once, at its last revision with its last value. */
  fresh = teren_test_device_new (crashing, "ana", PASSWORD, NULL);
  teren_test_device_pull_all (fresh, 0);
  g_assert_cmpuint (g_hash_table_size (fresh->records), ==, tracked->len);
  for (guint i = 0; i < tracked->len; i++)
    {
      Tracked *t = tracked->pdata[i];
      JsonObject *record = teren_test_device_get (fresh, t->id);

      g_assert_nonnull (record);
      g_assert_cmpint (json_object_get_int_member (record, "rev"), ==, t->rev);
      if (t->round != G_MAXUINT)
        {
          g_autofree char *note = g_strdup_printf ("round %u", t->round);
          g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (record, "fields"), "notes"),
                           ==, note);
        }
    }
  g_assert_cmpint (teren_test_server_term (crashing, 30), ==, 0);
  teren_test_server_assert_integrity (crashing);
  g_test_message ("%u rounds of %s, %u records", crash_rounds, point, tracked->len);
}

static void
test_crash_before_commit_rounds (void)
{
  push_crash_rounds ("push_before_commit", FALSE);
}

static void
test_crash_after_commit (void)
{
  push_crash_rounds ("push_after_commit_before_reply", TRUE);
}

/* One pull page from @dev's cursor, answer as is (no assertion). */
static TerenTestResponse *
pull_page (TerenTestDevice *dev,
           guint            limit)
{
  g_autoptr(GString) path = g_string_new ("/api/v1/pull");

  g_string_append_printf (path, "?limit=%u", limit);
  if (dev->cursor != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (dev->cursor, NULL, FALSE);
      g_string_append_printf (path, "&cursor=%s", escaped);
    }
  return teren_test_request (dev->session, dev->server, "GET", path->str, dev->token, NULL, 0);
}

/* Applies a complete page to @dev: its records in order to @received (ids), its cursor.
 * Returns `more`. */
static gboolean
apply_page (TerenTestDevice   *dev,
            TerenTestResponse *response,
            GPtrArray         *received)
{
  JsonObject *object;
  JsonArray *records;

  g_assert_no_error (response->error);
  g_assert_cmpuint (response->status, ==, 200);
  object = teren_test_response_object (response);
  g_assert_nonnull (object);
  records = json_object_get_array_member (object, "records");
  g_assert_nonnull (records);
  g_assert_cmpuint (json_array_get_length (records), <=, PULL_LIMIT);
  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonObject *record = json_array_get_object_element (records, i);
      const char *id = json_object_get_string_member (record, "id");

      g_hash_table_replace (dev->records, g_strdup (id), json_object_ref (record));
      g_ptr_array_add (received, g_strdup (id));
    }
  g_free (dev->cursor);
  dev->cursor = g_strdup (json_object_get_string_member (object, "cursor"));
  g_assert_nonnull (dev->cursor);
  return json_object_get_boolean_member (object, "more");
}

/* What a complete pull must have given: every record once, in the feed's order (by the
 * seq of its last revision), at its last revision. */
static void
assert_pulled_all (TerenTestDevice *dev,
                   GPtrArray       *received,
                   GPtrArray       *expected_order,
                   GHashTable      *expected_rev)
{
  g_assert_cmpuint (received->len, ==, expected_order->len);
  for (guint i = 0; i < received->len; i++)
    {
      JsonObject *record = teren_test_device_get (dev, received->pdata[i]);

      g_assert_cmpstr (received->pdata[i], ==, expected_order->pdata[i]);
      g_assert_nonnull (record);
      g_assert_cmpint (json_object_get_int_member (record, "rev"), ==,
                       GPOINTER_TO_INT (g_hash_table_lookup (expected_rev, received->pdata[i])));
    }
  g_assert_cmpuint (g_hash_table_size (dev->records), ==, expected_order->len);
}

typedef struct {
  const char *id;
  gint64      seq;
} IdSeq;

static int
id_seq_compare (gconstpointer a,
                gconstpointer b)
{
  const IdSeq *x = a;
  const IdSeq *y = b;

  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* SYNC-NOTES §4.2 `pull_mid_page` and S5: the server dies while producing a pull page (some
 * of its records read, the answer not complete). The device gets no answer, so nothing to
 * apply and its cursor stays; from that cursor the restarted server gives the complete page
 * and the ones after it. First at page 3 exactly, then with a probability at each record
 * (a new seed at each restart) through a whole first pull: the records received, page
 * after page, are exactly the records pushed, each once, in the feed's order, at their last
 * revision (I8); the database sound after each crash (I7). */
static void
test_crash_mid_pull (void)
{
  g_autoptr(TerenTestServer) crashing = teren_test_server_new ();
  g_autoptr(TerenTestDevice) writer = NULL;
  g_autoptr(TerenTestDevice) dev = NULL;
  g_autoptr(TerenTestDevice) dev2 = NULL;
  g_autoptr(JsonArray) ops = json_array_new ();
  g_autoptr(JsonArray) updates = json_array_new ();
  g_autoptr(JsonArray) results = NULL;
  g_autoptr(JsonArray) results2 = NULL;
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (IdSeq));
  g_autoptr(GPtrArray) expected_order = g_ptr_array_new ();
  g_autoptr(GHashTable) expected_rev = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) received = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) received2 = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(TerenTestResponse) cut = NULL;
  g_autofree char *cursor_before = NULL;
  const char * const env[] = { "TEREN_CRASHPOINT=pull_mid_page", NULL };
  gboolean more = TRUE;
  guint pages = 0;
  guint crashes = 0;
  guint seed = 20261202;

  teren_test_server_add_user (crashing, "ana", PASSWORD, "child", "worker");
  teren_test_server_start (crashing);
  writer = teren_test_device_new (crashing, "ana", PASSWORD, NULL);
  dev = teren_test_device_new (crashing, "ana", PASSWORD, NULL);
  dev2 = teren_test_device_new (crashing, "ana", PASSWORD, NULL);

  /* 60 persons, then an update of every third one, which moves it later in the feed. */
  for (guint i = 0; i < PULL_RECORDS; i++)
    json_array_add_object_element (ops, teren_test_op_new ("create", NULL, "person", "", 0,
                                                           teren_test_person_fields (NULL), NULL));
  results = teren_test_device_push (writer, ops);
  for (guint i = 0; i < PULL_RECORDS; i += 3)
    {
      JsonObject *patch = json_object_new ();

      json_object_set_string_member (patch, "notes", "updated");
      json_array_add_object_element (updates, teren_test_op_new ("update",
                                                                 json_object_get_string_member (json_array_get_object_element (ops, i), "record_id"),
                                                                 "person", "", 1, patch, NULL));
    }
  results2 = teren_test_device_push (writer, updates);
  for (guint i = 0; i < PULL_RECORDS; i++)
    {
      JsonObject *r = json_array_get_object_element (results, i);
      IdSeq item = { json_object_get_string_member (json_array_get_object_element (ops, i), "record_id"),
                     json_object_get_int_member (r, "seq") };

      g_assert_cmpstr (teren_test_result_status (r), ==, "applied");
      if (i % 3 == 0)
        {
          JsonObject *u = json_array_get_object_element (results2, i / 3);

          g_assert_cmpstr (teren_test_result_status (u), ==, "applied");
          item.seq = json_object_get_int_member (u, "seq");
        }
      g_array_append_val (order, item);
      g_hash_table_insert (expected_rev, (gpointer) item.id, GINT_TO_POINTER (i % 3 == 0 ? 2 : 1));
    }
  g_array_sort (order, id_seq_compare);
  for (guint i = 0; i < order->len; i++)
    g_ptr_array_add (expected_order, (gpointer) g_array_index (order, IdSeq, i).id);

  /* Two complete pages, then the server dies in the third. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(TerenTestResponse) page = pull_page (dev, PULL_LIMIT);

      g_assert_true (apply_page (dev, page, received));
    }
  g_assert_cmpuint (received->len, ==, 2 * PULL_LIMIT);
  g_assert_cmpint (teren_test_server_term (crashing, 30), ==, 0);
  teren_test_server_set_env (crashing, env);
  teren_test_server_start (crashing);
  cursor_before = g_strdup (dev->cursor);
  cut = pull_page (dev, PULL_LIMIT);
  /* No answer at all: nothing to apply, the cursor stays. */
  g_assert_nonnull (cut->error);
  g_assert_cmpuint (cut->status, ==, 0);
  g_assert_null (cut->json);
  assert_crashed_at (crashing, "pull_mid_page");
  teren_test_server_assert_integrity (crashing);
  g_assert_cmpstr (dev->cursor, ==, cursor_before);
  g_assert_cmpuint (g_hash_table_size (dev->records), ==, 2 * PULL_LIMIT);

  /* From the same cursor: the whole third page, then the rest. */
  teren_test_server_set_env (crashing, NULL);
  teren_test_server_start (crashing);
  while (more)
    {
      g_autoptr(TerenTestResponse) page = pull_page (dev, PULL_LIMIT);
      guint before = received->len;

      more = apply_page (dev, page, received);
      if (more)
        g_assert_cmpuint (received->len - before, ==, PULL_LIMIT);
      g_assert_cmpuint (++pages, <, 100);
    }
  assert_pulled_all (dev, received, expected_order, expected_rev);

  /* Then a crash point drawn at each record (P = 0.1), a new seed at each restart, through
   * a whole first pull of another device. */
  g_assert_cmpint (teren_test_server_term (crashing, 30), ==, 0);
  more = TRUE;
  pages = 0;
  while (more)
    {
      g_autoptr(TerenTestResponse) page = NULL;

      if (!teren_test_server_is_running (crashing))
        {
          g_autofree char *seed_env = g_strdup_printf ("TEREN_TEST_SEED=%u", seed++);
          const char * const draw_env[] = { "TEREN_CRASHPOINT=pull_mid_page:0.1", seed_env, NULL };

          teren_test_server_set_env (crashing, draw_env);
          teren_test_server_start (crashing);
        }
      page = pull_page (dev2, PULL_LIMIT);
      if (page->status == 0)
        {
          g_autofree char *cursor = g_strdup (dev2->cursor);

          g_assert_nonnull (page->error);
          assert_crashed_at (crashing, "pull_mid_page");
          teren_test_server_assert_integrity (crashing);
          g_assert_cmpstr (dev2->cursor, ==, cursor);
          crashes++;
        }
      else
        {
          guint before = received2->len;

          more = apply_page (dev2, page, received2);
          if (more)
            g_assert_cmpuint (received2->len - before, ==, PULL_LIMIT);
          pages++;
        }
      g_assert_cmpuint (pages + crashes, <, 200);
    }
  assert_pulled_all (dev2, received2, expected_order, expected_rev);
  g_test_message ("pull_mid_page with P = 0.1: %u pages, %u crashes", pages, crashes);
  /* The seeds are fixed: this run meets the crash point several times. */
  g_assert_cmpuint (crashes, >, 1);
  g_assert_cmpint (teren_test_server_term (crashing, 30), ==, 0);
  teren_test_server_assert_integrity (crashing);
}

static void
test_sigterm_graceful (void)
{
  g_autoptr(TerenTestDevice) dev = teren_test_device_new (server, "ana", PASSWORD, NULL);
  g_autoptr(JsonArray) ops = json_array_new ();
  g_autoptr(JsonArray) retry = NULL;
  PushJob job = { 0 };
  GThread *thread;
  int status;
  g_autofree char *err = NULL;

  for (guint i = 0; i < BATCH; i++)
    json_array_add_object_element (ops, teren_test_op_new ("create", NULL, "person", "", 0,
                                                           teren_test_person_fields (NULL), NULL));
  job.server = server;
  job.token = dev->token;
  job.body = teren_test_ops_to_body (ops);
  thread = g_thread_new ("push", push_thread, &job);
  teren_test_sleep_ms (30);
  status = teren_test_server_term (server, 30);
  g_thread_join (thread);
  g_assert_cmpint (status, ==, 0);
  err = teren_test_server_get_stderr (server);
  /* Nothing of the records in the log. */
  g_assert_null (strstr (err, "Popescu"));
  if (job.response->status == 200)
    g_test_message ("the in-flight push was finished before the exit");
  else
    g_test_message ("the push was not accepted before the exit: %s",
                    job.response->error != NULL ? job.response->error->message : job.response->body);
  teren_test_server_assert_integrity (server);

  teren_test_server_start (server);
  retry = teren_test_device_push (dev, ops);
  for (guint i = 0; i < BATCH; i++)
    {
      const char *s = teren_test_result_status (json_array_get_object_element (retry, i));
      if (job.response->status == 200)
        g_assert_cmpstr (s, ==, "duplicate");
      else
        g_assert_true (g_strcmp0 (s, "applied") == 0 || g_strcmp0 (s, "duplicate") == 0);
    }
  g_free (job.body);
  teren_test_response_free (job.response);

  /* An idle server also stops at once with status 0. */
  g_assert_cmpint (teren_test_server_term (server, 30), ==, 0);
  teren_test_server_start (server);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  /* Sanitizer builds are several times slower: fewer rounds, same checks. */
  if (g_getenv ("TEREN_TEST_SANITIZER") != NULL)
    {
      kill_rounds = MAX (2, KILL_ROUNDS / 4);
      crash_rounds = MAX (2, CRASH_ROUNDS / 4);
    }

  server = teren_test_server_new ();
  teren_test_server_add_user (server, "ana", PASSWORD, "child", "worker");
  teren_test_server_add_user (server, "bob", PASSWORD, "child", "worker");
  teren_test_server_start (server);

  g_test_add_func ("/server/durability/idempotent-across-restart", test_idempotent_across_restart);
  g_test_add_func ("/server/durability/kill-mid-batch", test_kill_mid_batch);
  /* The named crash points exist only in builds with -Dcrashpoints=true (the default). */
  if (TEREN_CRASHPOINTS)
    {
      g_test_add_func ("/server/durability/crash-before-commit", test_crash_before_commit);
      g_test_add_func ("/server/durability/crash-before-commit-rounds", test_crash_before_commit_rounds);
      g_test_add_func ("/server/durability/crash-after-commit", test_crash_after_commit);
      g_test_add_func ("/server/durability/crash-mid-pull", test_crash_mid_pull);
    }
  g_test_add_func ("/server/durability/sigterm-graceful", test_sigterm_graceful);

  ret = g_test_run ();
  teren_test_server_free (server);
  return ret;
}
