/* test-sync-backoff.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "teren-sync-test-util.h"

/* SYNC-NOTES S11: the server answers 500 for a while, then 429 with Retry-After. A real
 * engine in automatic mode, through the test proxy (which answers for the server), with
 * its schedule scaled down (backoff base 50 ms, cap 400 ms, Retry-After 2 s instead of
 * 5 s, 15 min and 120 s). Measured at the proxy with the monotonic clock:
 * - while the server fails, every gap between two attempts is at least the schedule's
 *   floor (a tenth of the base), and the attempts are no more than three times what the
 *   schedule gives on average in that time (a client without backoff makes hundreds);
 * - no request comes before a Retry-After has passed;
 * - once the server answers again, the engine syncs by itself and each waiting change
 *   is applied once.
 * Then the forms of Retry-After: seconds on 503, an HTTP-date counted from the answer's
 * Date (a year ahead of this computer's clock), an HTTP-date without Date, garbage, and a
 * number too large to hold in microseconds. Last, saves made while slow rounds fail do
 * not make the engine skip its backoff. */

#define BACKOFF_BASE_MS  50
#define BACKOFF_MAX_MS   400
#define FAIL_PHASE_MS    3000
#define RETRY_AFTER_S    2
#define N_PERSONS        3

typedef struct {
  TerenTestServer *server;
  TestProxy       *proxy;
  char            *root;
  TerenSyncEngine *engine;
  guint            ok_rounds;
  guint            failed_rounds;
} Fixture;

static void
round_finished_cb (TerenSyncEngine  *engine,
                   TerenSyncSummary *summary,
                   const GError     *error,
                   Fixture          *fixture)
{
  if (error == NULL)
    fixture->ok_rounds++;
  else
    fixture->failed_rounds++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  test_server_fixture_set_up (&fixture->server, &fixture->root, "teren-sync-backoff-XXXXXX",
                              "ana", "child", "worker", NULL);
  fixture->proxy = test_proxy_new (fixture->server->port, 1);
  fixture->engine = test_engine_new ();
  g_object_set (fixture->engine,
                "backoff-base", BACKOFF_BASE_MS,
                "backoff-max", BACKOFF_MAX_MS,
                NULL);
  g_signal_connect (fixture->engine, "round-finished", G_CALLBACK (round_finished_cb), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->engine != NULL)
    teren_sync_engine_stop (fixture->engine);
  g_clear_object (&fixture->engine);
  g_clear_pointer (&fixture->proxy, test_proxy_free);
  test_server_fixture_tear_down (&fixture->server, &fixture->root);
}

static void
login (Fixture *fixture)
{
  g_autofree char *dir = g_build_filename (fixture->root, "a", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (test_engine_login (fixture->engine, test_proxy_get_url (fixture->proxy), "ana",
                                    TEST_PASSWORD, dir, &error));
  g_assert_no_error (error);
}

static char *
save_person (Fixture    *fixture,
             const char *first_name)
{
  return test_save_person (teren_sync_engine_get_store (fixture->engine), "Dobre", first_name);
}

typedef struct {
  gint64 end;
} Until;

static gboolean
time_is_up (gpointer data)
{
  return g_get_monotonic_time () >= ((Until *) data)->end;
}

/* Lets the engine work for @ms: the length of a phase of the server's failure, not a wait
 * for a result. */
static void
run_for (guint ms)
{
  Until until = { g_get_monotonic_time () + (gint64) ms * 1000 };

  test_wait_until (time_is_up, &until, ms + 1000);
}

typedef struct {
  Fixture *fixture;
  guint    ok_rounds;   /* successful rounds before the wait */
} Synced;

/* A round succeeded since the wait began and nothing waits to be sent. */
static gboolean
synced (gpointer data)
{
  Synced *synced = data;
  TerenSyncEngine *engine = synced->fixture->engine;

  return synced->fixture->ok_rounds > synced->ok_rounds &&
         teren_sync_engine_get_pending (engine) == 0 &&
         teren_sync_engine_get_state (engine) == TEREN_SYNC_STATE_IDLE;
}

typedef struct {
  TestProxy *proxy;
  guint      count;
} Requests;

static gboolean
enough_requests (gpointer data)
{
  Requests *requests = data;
  g_autoptr(GArray) log = test_proxy_get_requests (requests->proxy);

  return log->len >= requests->count;
}

/* The number of attempts that fit in @span_us when every wait is the mean of its draw:
 * after the k-th failure the engine waits a uniform draw in [base/10, cap_k], cap_k =
 * min (base·2^(k-1), max) (teren-sync-engine.c, backoff_delay). */
static guint
mean_schedule_attempts (gint64 span_us)
{
  double elapsed_ms = 0;
  guint attempts = 1;
  guint k;

  for (k = 1; ; k++)
    {
      guint64 cap = BACKOFF_BASE_MS;
      guint i;

      for (i = 1; i < k && cap < BACKOFF_MAX_MS; i++)
        cap *= 2;
      cap = MIN (cap, BACKOFF_MAX_MS);
      elapsed_ms += (BACKOFF_BASE_MS / 10.0 + cap) / 2;
      if (elapsed_ms * 1000 > span_us)
        return attempts;
      attempts++;
    }
}

/* Every request after one answered @status came at least @min_ms after it (arrival
 * times at the proxy: the engine read the answer later still). Returns how many such
 * answers there were. */
static guint
assert_waited_after (GArray *log,
                     guint   status,
                     guint   min_ms)
{
  guint answers = 0;
  guint i;

  for (i = 0; i < log->len; i++)
    {
      TestProxyRequest *request = &g_array_index (log, TestProxyRequest, i);

      if (request->answered != status)
        continue;
      answers++;
      if (i + 1 < log->len)
        {
          TestProxyRequest *next = &g_array_index (log, TestProxyRequest, i + 1);

          g_test_message ("%s answered %u; the next request %" G_GINT64_FORMAT " ms later",
                          request->line, status, (next->arrived - request->arrived) / 1000);
          g_assert_cmpint (next->arrived - request->arrived, >=, (gint64) min_ms * 1000);
        }
    }
  return answers;
}

/* Each of @ids has one revision on the server, made by one change (SYNC.md invariant 2). */
static void
assert_applied_once (Fixture   *fixture,
                     GPtrArray *ids)
{
  guint i;

  for (i = 0; i < ids->len; i++)
    {
      g_autoptr(GPtrArray) changes = teren_test_server_history (fixture->server, ids->pdata[i]);

      g_assert_cmpuint (changes->len, ==, 1);
    }
}

static void
test_500_then_429 (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) log = NULL;
  g_autoptr(TerenSyncEngine) fresh = NULL;
  g_autofree char *headers = g_strdup_printf ("Retry-After: %u\r\n", RETRY_AFTER_S);
  g_autofree char *dump = NULL;
  g_autofree char *fresh_dump = NULL;
  Requests requests = { fixture->proxy, 3 };
  Synced wait = { fixture, 0 };
  gint64 first_500 = 0, last_500 = 0;
  guint n_500 = 0, n_429 = 0, bound;
  guint i;

  if (!test_need_keyring ())
    return;
  login (fixture);

  /* The server fails; the laptop has work waiting and syncs on its own. */
  test_proxy_clear_requests (fixture->proxy);
  test_proxy_answer (fixture->proxy, 500, NULL, G_MAXUINT);
  for (i = 0; i < N_PERSONS; i++)
    {
      g_autofree char *name = g_strdup_printf ("Copil%u", i);

      g_ptr_array_add (ids, save_person (fixture, name));
    }
  teren_sync_engine_start (fixture->engine);
  run_for (FAIL_PHASE_MS);
  /* On a loaded machine the engine may have started late: a few attempts at least. */
  g_assert_true (test_wait_until (enough_requests, &requests, 30000));

  /* Then 429 with Retry-After, twice, then the server itself. */
  test_proxy_answer (fixture->proxy, 429, headers, 2);
  g_assert_true (test_wait_until (synced, &wait, 60000));
  assert_applied_once (fixture, ids);

  log = test_proxy_get_requests (fixture->proxy);
  for (i = 0; i < log->len; i++)
    {
      TestProxyRequest *request = &g_array_index (log, TestProxyRequest, i);

      if (request->answered == 500)
        {
          g_assert_cmpstr (request->line, ==, "POST /api/v1/push");
          if (n_500 > 0)
            /* The schedule's floor: no attempt sooner than a tenth of the base. */
            g_assert_cmpint (request->arrived - last_500, >=, BACKOFF_BASE_MS / 10 * 1000);
          else
            first_500 = request->arrived;
          last_500 = request->arrived;
          n_500++;
        }
    }
  bound = 3 * mean_schedule_attempts (last_500 - first_500) + 2;
  g_test_message ("%u attempts answered 500 in %" G_GINT64_FORMAT " ms (bound %u), %u failed rounds",
                  n_500, (last_500 - first_500) / 1000, bound, fixture->failed_rounds);
  g_assert_cmpuint (n_500, >=, 3);
  g_assert_cmpuint (n_500, <=, bound);

  n_429 = assert_waited_after (log, 429, RETRY_AFTER_S * 1000);
  g_assert_cmpuint (n_429, ==, 2);
  /* The last request answered by the proxy is followed by the server's answers. */
  g_assert_cmpuint (g_array_index (log, TestProxyRequest, log->len - 1).answered, ==, 0);

  /* The server holds what the laptop holds. */
  teren_sync_engine_stop (fixture->engine);
  fresh = test_engine_login_ok (fixture->server->base_url, "ana", fixture->root, "fresh");
  test_sync_quiet (fresh);
  dump = test_store_dump (teren_sync_engine_get_store (fixture->engine));
  fresh_dump = test_store_dump (teren_sync_engine_get_store (fresh));
  g_assert_cmpstr (dump, ==, fresh_dump);
  g_assert_cmpuint (teren_store_count (teren_sync_engine_get_store (fresh), "person"), ==, N_PERSONS);
}

/* One failed answer (@status with @headers), then the server: the engine syncs by itself
 * after a save. Returns the request log. */
static GArray *
fail_once_then_sync (Fixture    *fixture,
                     GPtrArray  *ids,
                     guint       status,
                     const char *headers)
{
  g_autofree char *name = g_strdup_printf ("Copil%u", ids->len);
  Synced wait = { fixture, fixture->ok_rounds };

  test_proxy_clear_requests (fixture->proxy);
  test_proxy_answer (fixture->proxy, status, headers, 1);
  g_ptr_array_add (ids, save_person (fixture, name));
  g_assert_true (test_wait_until (synced, &wait, 60000));
  return test_proxy_get_requests (fixture->proxy);
}

static char *
http_date (GDateTime *time)
{
  return soup_date_time_to_string (time, SOUP_DATE_HTTP);
}

static void
test_retry_after_forms (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) server_now = NULL;
  g_autoptr(GDateTime) later = NULL;
  g_autofree char *date = NULL;
  g_autofree char *retry = NULL;
  g_autofree char *headers = NULL;
  g_autoptr(GArray) log = NULL;
  Requests requests = { fixture->proxy, 2 };
  Synced wait = { fixture, 0 };

  if (!test_need_keyring ())
    return;
  login (fixture);
  teren_sync_engine_start (fixture->engine);
  g_assert_true (test_wait_until (synced, &wait, 60000));

  /* Seconds, on 503. */
  log = fail_once_then_sync (fixture, ids, 503, "Retry-After: 2\r\n");
  g_assert_cmpuint (assert_waited_after (log, 503, 2000), ==, 1);
  g_clear_pointer (&log, g_array_unref);

  /* An HTTP-date two seconds after the answer's Date, both a year ahead of this
   * computer: counted from the Date, the wait is two seconds, not a year. */
  now = g_date_time_new_now_utc ();
  server_now = g_date_time_add_years (now, 1);
  later = g_date_time_add_seconds (server_now, 2);
  date = http_date (server_now);
  retry = http_date (later);
  headers = g_strdup_printf ("Date: %s\r\nRetry-After: %s\r\n", date, retry);
  log = fail_once_then_sync (fixture, ids, 429, headers);
  g_assert_cmpuint (assert_waited_after (log, 429, 2000), ==, 1);
  g_clear_pointer (&log, g_array_unref);
  g_clear_pointer (&later, g_date_time_unref);
  g_clear_pointer (&retry, g_free);
  g_clear_pointer (&headers, g_free);
  g_clear_pointer (&now, g_date_time_unref);

  /* An HTTP-date without Date: counted from this computer's clock. Whole seconds: three
   * seconds after the current one leave more than two. */
  now = g_date_time_new_now_utc ();
  later = g_date_time_add_seconds (now, 3);
  retry = http_date (later);
  headers = g_strdup_printf ("Retry-After: %s\r\n", retry);
  log = fail_once_then_sync (fixture, ids, 429, headers);
  g_assert_cmpuint (assert_waited_after (log, 429, 2000), ==, 1);
  g_clear_pointer (&log, g_array_unref);

  /* Garbage, a date in the past and none at all: the backoff alone, and it recovers. */
  log = fail_once_then_sync (fixture, ids, 429, "Retry-After: soon\r\n");
  g_assert_cmpuint (assert_waited_after (log, 429, BACKOFF_BASE_MS / 10), ==, 1);
  g_clear_pointer (&log, g_array_unref);
  log = fail_once_then_sync (fixture, ids, 503, "Retry-After: Tue, 01 Dec 2020 10:00:00 GMT\r\n");
  g_assert_cmpuint (assert_waited_after (log, 503, BACKOFF_BASE_MS / 10), ==, 1);
  g_clear_pointer (&log, g_array_unref);
  log = fail_once_then_sync (fixture, ids, 429, NULL);
  g_assert_cmpuint (assert_waited_after (log, 429, BACKOFF_BASE_MS / 10), ==, 1);
  g_clear_pointer (&log, g_array_unref);

  /* More seconds than 64 bits hold (10^29 s; what fits, as 10^13 s, would still overflow
   * in microseconds): capped, not refused nor wrapped round to a time in the past.
   * Nothing is sent again on its own for a while; Sync now still tries at once. */
  test_proxy_clear_requests (fixture->proxy);
  test_proxy_answer (fixture->proxy, 429, "Retry-After: 100000000000000000000000000000\r\n", 1);
  g_ptr_array_add (ids, save_person (fixture, "Ultimul"));
  requests.count = 1;
  g_assert_true (test_wait_until (enough_requests, &requests, 30000));
  run_for (1500);
  log = test_proxy_get_requests (fixture->proxy);
  g_assert_cmpuint (log->len, ==, 1);
  g_clear_pointer (&log, g_array_unref);
  wait.ok_rounds = fixture->ok_rounds;
  teren_sync_engine_sync_now (fixture->engine);
  g_assert_true (test_wait_until (synced, &wait, 60000));

  assert_applied_once (fixture, ids);
  g_assert_cmpuint (teren_store_count_pending (teren_sync_engine_get_store (fixture->engine)), ==, 0);
}

#define SLOW_ANSWER_MS 300

static void
save_when_syncing_cb (TerenSyncEngine *engine,
                      GParamSpec      *pspec,
                      gpointer         user_data)
{
  GPtrArray *ids = user_data;
  g_autofree char *name = NULL;

  if (teren_sync_engine_get_state (engine) != TEREN_SYNC_STATE_SYNCING)
    return;
  name = g_strdup_printf ("Copil%u", ids->len);
  g_ptr_array_add (ids, test_save_person (teren_sync_engine_get_store (engine), "Dobre", name));
}

/* A worker saves while every round is failing slowly (the server answers 500 after
 * 300 ms): each save asks for a round while one runs. The next attempt still waits for
 * the backoff (at least its floor, a tenth of the base, after the slow answer), instead
 * of going at once after every failure; once the server is back, every save arrives once. */
static void
test_saves_during_failing_rounds (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) log = NULL;
  Requests requests = { fixture->proxy, 4 };
  Synced wait = { fixture, 0 };
  gint64 previous = 0;
  guint n_500 = 0, saved_while_failing;
  gulong handler;
  guint i;

  if (!test_need_keyring ())
    return;
  /* A floor (a tenth of the base: 200 ms) well above what starting a round costs. */
  g_object_set (fixture->engine, "backoff-base", 2000, "backoff-max", 2000, NULL);
  login (fixture);

  test_proxy_clear_requests (fixture->proxy);
  test_proxy_answer (fixture->proxy, 500, NULL, G_MAXUINT);
  test_proxy_set_answer_delay (fixture->proxy, SLOW_ANSWER_MS);
  g_ptr_array_add (ids, save_person (fixture, "Primul"));
  handler = g_signal_connect (fixture->engine, "notify::state", G_CALLBACK (save_when_syncing_cb), ids);
  teren_sync_engine_start (fixture->engine);
  run_for (FAIL_PHASE_MS);
  g_assert_true (test_wait_until (enough_requests, &requests, 30000));
  g_signal_handler_disconnect (fixture->engine, handler);
  saved_while_failing = ids->len - 1;

  test_proxy_set_answer_delay (fixture->proxy, 0);
  test_proxy_answer (fixture->proxy, 0, NULL, 0);
  g_assert_true (test_wait_until (synced, &wait, 60000));

  log = test_proxy_get_requests (fixture->proxy);
  for (i = 0; i < log->len; i++)
    {
      TestProxyRequest *request = &g_array_index (log, TestProxyRequest, i);

      if (request->answered != 500)
        continue;
      if (n_500 > 0)
        g_assert_cmpint (request->arrived - previous, >=, (SLOW_ANSWER_MS + 2000 / 10) * 1000);
      previous = request->arrived;
      n_500++;
    }
  g_test_message ("%u slow failures, %u saves during them", n_500, saved_while_failing);
  g_assert_cmpuint (saved_while_failing, >=, 3);
  assert_applied_once (fixture, ids);
  g_assert_cmpuint (teren_store_count_pending (teren_sync_engine_get_store (fixture->engine)), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("TEREN_SERVER_BIN") == NULL)
    return 77;

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/sync-backoff/500-then-429", test_500_then_429);
  ADD ("/sync-backoff/retry-after-forms", test_retry_after_forms);
  ADD ("/sync-backoff/saves-during-failing-rounds", test_saves_during_failing_rounds);
#undef ADD

  return g_test_run ();
}
