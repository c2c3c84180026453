/* test-sync-engine.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "teren-error.h"
#include "teren-json.h"
#include "teren-store-sync.h"
#include "teren-sync-test-util.h"

/* The sync engine against the real teren-server (issue 4): two clients with separate
 * stores, merged and conflicting edits, a conflict resolved on one reaching the other,
 * deletes; a push whose answer is lost; offline and back; a revoked device; bad input to
 * login. Runs in the private D-Bus session of build-aux/test-session.sh (gnome-keyring). */

typedef struct {
  TerenTestServer *server;
  char            *root;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  test_server_fixture_set_up (&fixture->server, &fixture->root, "teren-sync-XXXXXX",
                              "ana", "child", "worker", "maria", "child", "worker", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  test_server_fixture_tear_down (&fixture->server, &fixture->root);
}

static char *
client_dir (Fixture    *fixture,
            const char *name)
{
  return g_build_filename (fixture->root, name, NULL);
}

static TerenSyncEngine *
login (Fixture    *fixture,
       const char *url,
       const char *user,
       const char *dir_name)
{
  TerenSyncEngine *engine = test_engine_login_ok (url != NULL ? url : fixture->server->base_url, user,
                                                  fixture->root, dir_name);

  g_assert_nonnull (teren_sync_engine_get_store (engine));
  return engine;
}

static TerenRecord *
save (TerenSyncEngine *engine,
      const char      *kind,
      const char      *line,
      const char      *id,
      JsonObject      *fields)
{
  g_autoptr(GError) error = NULL;
  TerenRecord *record = teren_store_save (teren_sync_engine_get_store (engine), kind, line, id,
                                          fields, NULL, NULL, &error);

  g_assert_no_error (error);
  return record;
}

static TerenRecord *
edit (TerenSyncEngine *engine,
      const char      *id,
      const char      *key,
      const char      *value)
{
  g_autoptr(JsonObject) fields = json_object_new ();

  json_object_set_string_member (fields, key, value);
  return save (engine, "person", "", id, fields);
}

static guint
audit_lines (Fixture    *fixture,
             const char *id)
{
  g_autoptr(GPtrArray) changes = teren_test_server_history (fixture->server, id);

  return changes->len;
}

static void
test_two_clients (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(TerenSyncEngine) a = NULL;
  g_autoptr(TerenSyncEngine) b = NULL;
  g_autoptr(TerenSyncEngine) fresh = NULL;
  g_autoptr(TerenSyncEngine) fresh_b = NULL;
  g_autofree char *dump_fresh_b = NULL;
  g_autoptr(TerenRecord) person = NULL;
  g_autoptr(TerenRecord) kase = NULL;
  g_autoptr(JsonObject) person_fields = test_person ("Ionescu", "Ana");
  g_autoptr(JsonObject) case_fields = NULL;
  g_autoptr(TerenSyncSummary) s1 = NULL;
  g_autoptr(TerenSyncSummary) s2 = NULL;
  g_autoptr(TerenSyncSummary) s3 = NULL;
  g_autoptr(TerenSyncSummary) s4 = NULL;
  g_autoptr(TerenSyncSummary) s5 = NULL;
  g_autoptr(TerenSyncSummary) s6 = NULL;
  g_autoptr(TerenSyncSummary) s7 = NULL;
  g_autoptr(TerenSyncSummary) s8 = NULL;
  g_autoptr(TerenSyncSummary) s9 = NULL;
  g_autoptr(TerenSyncSummary) s10 = NULL;
  g_autoptr(TerenSyncSummary) s11 = NULL;
  g_autoptr(TerenSyncSummary) s12 = NULL;
  g_autoptr(GPtrArray) conflicts_a = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenRecord) r1 = NULL;
  g_autoptr(TerenRecord) r2 = NULL;
  g_autoptr(TerenRecord) r3 = NULL;
  g_autoptr(TerenRecord) r4 = NULL;
  g_autoptr(TerenRecord) resolved = NULL;
  g_autoptr(TerenRecord) deleted = NULL;
  g_autofree char *value = NULL;
  g_autofree char *dump_a = NULL;
  g_autofree char *dump_b = NULL;
  g_autofree char *dump_fresh = NULL;
  const char *pid;

  if (!test_need_keyring ())
    return;

  a = login (fixture, NULL, "ana", "a");
  b = login (fixture, NULL, "maria", "b");
  g_assert_cmpint (teren_sync_engine_get_state (a), ==, TEREN_SYNC_STATE_IDLE);

  /* Create on A: a person and her child-protection case. */
  person = save (a, "person", "", NULL, person_fields);
  pid = teren_record_get_id (person);
  case_fields = test_case (pid);
  kase = save (a, "case", "child", NULL, case_fields);
  s1 = test_sync_ok (a);
  g_assert_cmpuint (s1->pushed, ==, 2);
  g_assert_cmpuint (s1->applied, ==, 2);
  g_assert_cmpuint (s1->pending, ==, 0);

  s2 = test_sync_ok (b);
  g_assert_cmpuint (s2->pulled, >=, 2);
  value = test_string_of (b, pid, "first_name");
  g_assert_cmpstr (value, ==, "Ana");
  g_clear_pointer (&value, g_free);

  /* Different fields offline on both: merged. */
  r1 = edit (a, pid, "first_name", "Anca");
  r2 = edit (b, pid, "last_name", "Ionescu-Pop");
  s3 = test_sync_ok (a);
  g_assert_cmpuint (s3->applied, ==, 1);
  s4 = test_sync_ok (b);
  g_assert_cmpuint (s4->merged, ==, 1);
  g_assert_cmpuint (s4->conflicts, ==, 0);
  s5 = test_sync_ok (a);
  value = test_string_of (a, pid, "last_name");
  g_assert_cmpstr (value, ==, "Ionescu-Pop");
  g_clear_pointer (&value, g_free);
  value = test_string_of (b, pid, "first_name");
  g_assert_cmpstr (value, ==, "Anca");
  g_clear_pointer (&value, g_free);

  /* The same field offline on both: a conflict on the second. */
  r3 = edit (a, pid, "first_name", "Ioana");
  r4 = edit (b, pid, "first_name", "Ilinca");
  s6 = test_sync_ok (a);
  g_assert_cmpuint (s6->applied, ==, 1);
  s7 = test_sync_ok (b);
  g_assert_cmpuint (s7->conflicts, ==, 1);
  g_assert_cmpuint (s7->open_conflicts, >=, 1);
  value = test_string_of (b, pid, "first_name");
  g_assert_cmpstr (value, ==, "Ioana");
  g_clear_pointer (&value, g_free);
  g_assert_cmpint (teren_store_get_sync_state (teren_sync_engine_get_store (b), pid, NULL, NULL), ==,
                   TEREN_RECORD_IN_CONFLICT);

  /* Resolved on B with B's value: it reaches A. */
  resolved = test_resolve_one_conflict (teren_sync_engine_get_store (b), pid, "first_name", "Ioana", "Ilinca",
                                        "Anca", "Ilinca");
  s8 = test_sync_ok (b);
  g_assert_cmpuint (s8->pushed, ==, 1);
  g_assert_cmpuint (s8->conflicts, ==, 0);
  g_assert_cmpuint (s8->open_conflicts, ==, 0);
  s9 = test_sync_ok (a);
  value = test_string_of (a, pid, "first_name");
  g_assert_cmpstr (value, ==, "Ilinca");
  g_clear_pointer (&value, g_free);
  conflicts_a = teren_store_list_conflicts (teren_sync_engine_get_store (a), pid, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts_a->len, ==, 0);

  /* Delete on A reaches B. */
  g_assert_true (teren_store_delete (teren_sync_engine_get_store (a), teren_record_get_id (kase), &error));
  g_assert_no_error (error);
  s10 = test_sync_ok (a);
  g_assert_cmpuint (s10->applied, ==, 1);
  s11 = test_sync_ok (b);
  deleted = teren_store_get_record (teren_sync_engine_get_store (b), teren_record_get_id (kase), &error);
  if (deleted != NULL)
    g_assert_true (teren_record_get_deleted (deleted));
  else
    g_assert_error (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND);
  g_clear_error (&error);
  s12 = test_sync_ok (a);

  /* Each holds exactly what a fresh client of the same account pulls (invariant 3). B no
   * longer sees the person once her only case is deleted (the server may purge it). */
  dump_a = test_store_dump (teren_sync_engine_get_store (a));
  dump_b = test_store_dump (teren_sync_engine_get_store (b));
  fresh = login (fixture, NULL, "ana", "fresh");
  fresh_b = login (fixture, NULL, "maria", "fresh-b");
  /* One record a page: the pull pipeline over many pages. */
  g_object_set (fresh, "pull-limit", 1, NULL);
  g_clear_pointer (&s1, teren_sync_summary_free);
  s1 = test_sync_ok (fresh);
  g_assert_cmpuint (s1->pages, >=, 2);
  g_clear_pointer (&s2, teren_sync_summary_free);
  s2 = test_sync_ok (fresh_b);
  dump_fresh = test_store_dump (teren_sync_engine_get_store (fresh));
  dump_fresh_b = test_store_dump (teren_sync_engine_get_store (fresh_b));
  g_assert_cmpstr (dump_fresh, ==, dump_a);
  g_assert_cmpstr (dump_fresh_b, ==, dump_b);

  /* Invariant 2: one revision per change on the server. */
  g_assert_cmpuint (audit_lines (fixture, pid), ==, 6);
}

static void
test_lost_answer (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(TestProxy) proxy = NULL;
  g_autoptr(TerenSyncEngine) a = NULL;
  g_autoptr(TerenRecord) person = NULL;
  g_autoptr(JsonObject) fields = test_person ("Marin", "Elena");
  g_autoptr(TerenSyncSummary) first = NULL;
  g_autoptr(TerenSyncSummary) second = NULL;
  g_autoptr(GError) error = NULL;
  guint duplicates = 0;

  if (!test_need_keyring ())
    return;

  proxy = test_proxy_new (fixture->server->port, 1);
  a = login (fixture, test_proxy_get_url (proxy), "ana", "a");
  person = save (a, "person", "", NULL, fields);

  test_proxy_drop_push_responses (proxy, 1);
  first = test_engine_sync (a, &error);
  g_assert_cmpuint (test_proxy_get_dropped (proxy), ==, 1);
  if (first != NULL)
    duplicates += first->duplicates;   /* libsoup re-sent the idempotent POST at once */
  else
    {
      g_test_message ("first round: %s", error->message);
      g_assert_error (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_NETWORK);
      g_assert_cmpuint (teren_store_count_pending (teren_sync_engine_get_store (a)), ==, 1);
      g_clear_error (&error);
      second = test_sync_ok (a);
      duplicates += second->duplicates;
      g_assert_cmpuint (second->applied, ==, 0);
    }
  g_assert_cmpuint (duplicates, ==, 1);
  g_assert_cmpuint (teren_store_count_pending (teren_sync_engine_get_store (a)), ==, 0);
  /* Applied once on the server. */
  g_assert_cmpuint (audit_lines (fixture, teren_record_get_id (person)), ==, 1);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(TestProxy) proxy = NULL;
  g_autoptr(TerenSyncEngine) a = NULL;
  g_autoptr(TerenRecord) person = NULL;
  g_autoptr(JsonObject) fields = test_person ("Stan", "Maria");
  g_autoptr(TerenSyncSummary) cancelled = NULL;
  g_autoptr(TerenSyncSummary) again = NULL;
  g_autoptr(GError) error = NULL;

  if (!test_need_keyring ())
    return;

  proxy = test_proxy_new (fixture->server->port, 7);
  a = login (fixture, test_proxy_get_url (proxy), "ana", "a");
  person = save (a, "person", "", NULL, fields);

  /* The push reaches the server; its answer is held back, and the round is cancelled
   * while it waits (as on quit). */
  test_proxy_set_faults (proxy, 0, 0, 100, 1500);
  cancelled = test_engine_sync_cancel_after (a, 400, &error);
  g_assert_null (cancelled);
  g_assert_error (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpint (teren_sync_engine_get_state (a), !=, TEREN_SYNC_STATE_SYNCING);
  /* Nothing lost: the operation is still there, with its change id. */
  g_assert_cmpuint (teren_store_count_pending (teren_sync_engine_get_store (a)), ==, 1);

  test_proxy_set_faults (proxy, 0, 0, 0, 0);
  again = test_sync_ok (a);
  g_assert_cmpuint (again->pushed, ==, 1);
  g_assert_cmpuint (again->duplicates + again->applied, ==, 1);
  g_assert_cmpuint (teren_store_count_pending (teren_sync_engine_get_store (a)), ==, 0);
  g_assert_cmpuint (audit_lines (fixture, teren_record_get_id (person)), ==, 1);
}

typedef struct {
  gboolean  done;
  guint     unsynced;
  gboolean  ok;
  JsonObject *me;
  GError   *error;
} Done;

static gboolean
is_done (gpointer data)
{
  return ((Done *) data)->done;
}

static void
logout_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Done *done = user_data;

  done->ok = teren_sync_engine_logout_finish (TEREN_SYNC_ENGINE (source), result, &done->unsynced,
                                              &done->error);
  done->done = TRUE;
}

static void
me_cb (GObject      *source,
       GAsyncResult *result,
       gpointer      user_data)
{
  Done *done = user_data;

  done->me = teren_sync_engine_me_finish (TEREN_SYNC_ENGINE (source), result, &done->error);
  done->done = TRUE;
}

static gboolean
nothing_pending (gpointer data)
{
  return teren_sync_engine_get_state (data) == TEREN_SYNC_STATE_IDLE &&
         teren_store_count_pending (teren_sync_engine_get_store (data)) == 0;
}

static void
test_logout_keeps_work (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(TerenSyncEngine) a = NULL;
  g_autoptr(TerenRecord) person = NULL;
  g_autoptr(JsonObject) fields = test_person ("Dinu", "Ioana");
  g_autoptr(TerenSyncSummary) refused = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *dir = client_dir (fixture, "a");
  Done me = { FALSE };
  Done out = { FALSE };

  if (!test_need_keyring ())
    return;

  a = login (fixture, NULL, "ana", "a");
  token = test_keyring_token (fixture->server->base_url, "ana");
  g_assert_nonnull (token);

  teren_sync_engine_me_async (a, NULL, me_cb, &me);
  g_assert_true (test_wait_until (is_done, &me, 20000));
  g_assert_no_error (me.error);
  g_assert_cmpstr (teren_json_get_string (me.me, "username", NULL), ==, "ana");
  g_clear_pointer (&me.me, json_object_unref);

  person = save (a, "person", "", NULL, fields);
  teren_sync_engine_logout_async (a, NULL, logout_cb, &out);
  g_assert_true (test_wait_until (is_done, &out, 20000));
  g_assert_no_error (out.error);
  g_assert_true (out.ok);
  g_assert_cmpuint (out.unsynced, ==, 1);
  g_assert_cmpint (teren_sync_engine_get_state (a), ==, TEREN_SYNC_STATE_LOGGED_OUT);
  g_clear_pointer (&token, g_free);
  token = test_keyring_token (fixture->server->base_url, "ana");
  g_assert_null (token);

  /* Logged out: no round, and the work is still there. */
  refused = test_engine_sync (a, &error);
  g_assert_null (refused);
  g_assert_error (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_NOT_LOGGED_IN);
  g_clear_error (&error);
  g_assert_cmpuint (teren_store_count_pending (teren_sync_engine_get_store (a)), ==, 1);

  /* Signing in again into the same folder sends it ("Sync now"). */
  g_assert_true (test_engine_login (a, fixture->server->base_url, "ana", TEST_PASSWORD, dir, &error));
  g_assert_no_error (error);
  teren_sync_engine_sync_now (a);
  g_assert_true (test_wait_until (nothing_pending, a, 20000));
  g_assert_cmpuint (audit_lines (fixture, teren_record_get_id (person)), ==, 1);
}

static void
test_quarantine_retry (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(TerenSyncEngine) a = NULL;
  g_autoptr(TerenRecord) person = NULL;
  g_autoptr(TerenRecord) kase = NULL;
  g_autoptr(JsonObject) fields = test_person ("Dinu", "Ioana");
  g_autoptr(JsonObject) case_fields = NULL;
  g_autoptr(TerenSyncSummary) first = NULL;
  g_autoptr(TerenSyncSummary) second = NULL;
  g_autoptr(GPtrArray) quarantine = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  TerenQuarantined *item = NULL;
  TerenStore *store;
  guint i;

  if (!test_need_keyring ())
    return;

  a = login (fixture, NULL, "ana", "a");
  store = teren_sync_engine_get_store (a);
  person = save (a, "person", "", NULL, fields);
  case_fields = test_case (teren_record_get_id (person));
  kase = save (a, "case", "child", NULL, case_fields);

  /* The account lost its line before the push: the case is refused, not the rest. */
  g_assert_cmpint (teren_test_server_clif (fixture->server, NULL, NULL, NULL, "user", "lines", "ana",
                                           "--lines", "elderly", NULL), ==, 0);
  first = test_sync_ok (a);
  g_assert_cmpuint (first->rejected, >=, 1);
  g_assert_cmpuint (first->quarantined, >=, 1);
  g_assert_cmpint (teren_store_get_sync_state (store, teren_record_get_id (kase), NULL, &reason), ==,
                   TEREN_RECORD_QUARANTINED);
  g_assert_nonnull (reason);
  g_test_message ("refused: %s", reason);
  quarantine = teren_store_list_quarantine (store, &error);
  g_assert_no_error (error);
  for (i = 0; i < quarantine->len; i++)
    if (g_strcmp0 (((TerenQuarantined *) quarantine->pdata[i])->record_id, teren_record_get_id (kase)) == 0)
      item = quarantine->pdata[i];
  g_assert_nonnull (item);
  g_assert_nonnull (item->code);

  /* The line is given back; the worker retries: a new attempt that goes through. */
  g_assert_cmpint (teren_test_server_clif (fixture->server, NULL, NULL, NULL, "user", "lines", "ana",
                                           "--lines", "child", NULL), ==, 0);
  g_assert_true (teren_store_retry_quarantined (store, item->change_id, NULL, &error));
  g_assert_no_error (error);
  second = test_sync_ok (a);
  g_assert_cmpuint (second->rejected, ==, 0);
  g_assert_cmpuint (second->quarantined, ==, 0);
  g_assert_cmpuint (teren_store_count_pending (store), ==, 0);
  after = teren_store_list_quarantine (store, &error);
  g_assert_cmpuint (after->len, ==, 0);
  g_assert_cmpint (teren_store_get_sync_state (store, teren_record_get_id (kase), NULL, NULL), ==,
                   TEREN_RECORD_SYNCED);
  g_assert_cmpuint (audit_lines (fixture, teren_record_get_id (kase)), ==, 1);
}

typedef struct {
  TerenSyncEngine *engine;
  const char      *id;
  const char      *value;
} Seen;

static gboolean
sees_value (gpointer data)
{
  Seen *seen = data;
  g_autoptr(TerenRecord) record = teren_store_get_record (teren_sync_engine_get_store (seen->engine),
                                                          seen->id, NULL);

  return record != NULL && g_strcmp0 (teren_record_get_string (record, "first_name"), seen->value) == 0;
}

static void
test_automatic (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(TerenSyncEngine) a = NULL;
  g_autoptr(TerenSyncEngine) b = NULL;
  g_autoptr(TerenRecord) person = NULL;
  g_autoptr(TerenRecord) kase = NULL;
  g_autoptr(TerenRecord) edited = NULL;
  g_autoptr(JsonObject) fields = test_person ("Voicu", "Ana");
  g_autoptr(JsonObject) case_fields = NULL;
  Seen seen;

  if (!test_need_keyring ())
    return;

  a = login (fixture, NULL, "ana", "a");
  b = login (fixture, NULL, "maria", "b");
  g_object_set (a, "interval", 1, NULL);
  g_object_set (b, "interval", 1, NULL);
  teren_sync_engine_start (a);
  teren_sync_engine_start (b);

  /* A save on A is sent a moment later by itself; B gets it on its next periodic round. */
  person = save (a, "person", "", NULL, fields);
  case_fields = test_case (teren_record_get_id (person));
  kase = save (a, "case", "child", NULL, case_fields);
  seen.engine = b;
  seen.id = teren_record_get_id (person);
  seen.value = "Ana";
  g_assert_true (test_wait_until (sees_value, &seen, 30000));

  /* And back: B edits, A sees it, nobody pressed anything. */
  edited = edit (b, teren_record_get_id (person), "first_name", "Anuța");
  seen.engine = a;
  seen.value = "Anuța";
  g_assert_true (test_wait_until (sees_value, &seen, 30000));
  g_assert_true (test_wait_until (nothing_pending, b, 30000));
  g_assert_nonnull (teren_sync_engine_get_last_synced (a));

  teren_sync_engine_stop (a);
  teren_sync_engine_stop (b);
}

static void
test_large_batches (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(TerenSyncEngine) a = NULL;
  g_autoptr(TerenSyncEngine) fresh = NULL;
  g_autoptr(TerenSyncSummary) pushed = NULL;
  g_autoptr(TerenSyncSummary) pulled = NULL;
  g_autoptr(GError) error = NULL;
  TerenStore *store;
  guint i;

  if (!test_need_keyring ())
    return;

  a = login (fixture, NULL, "ana", "a");
  store = teren_sync_engine_get_store (a);
  g_assert_true (teren_store_begin (store, &error));
  for (i = 0; i < 620; i++)
    {
      g_autofree char *name = g_strdup_printf ("Nume%u", i);
      g_autoptr(JsonObject) fields = test_person ("Lungu", name);
      g_autoptr(TerenRecord) record = save (a, "person", "", NULL, fields);
    }
  g_assert_true (teren_store_commit (store, &error));

  /* Two batches (500 + 120); the first body is over 16 KiB and goes gzipped. */
  pushed = test_sync_ok (a);
  g_assert_cmpuint (pushed->pushed, ==, 620);
  g_assert_cmpuint (pushed->applied, ==, 620);
  g_assert_cmpuint (pushed->pending, ==, 0);

  fresh = login (fixture, NULL, "ana", "fresh");
  g_object_set (fresh, "pull-limit", 200, NULL);
  pulled = test_sync_ok (fresh);
  g_assert_cmpuint (pulled->pulled, ==, 620);
  g_assert_cmpuint (pulled->pages, >=, 4);
  g_assert_cmpuint (teren_store_count (teren_sync_engine_get_store (fresh), "person"), ==, 620);
}

static gboolean
is_offline (gpointer data)
{
  return teren_sync_engine_get_state (data) == TEREN_SYNC_STATE_OFFLINE;
}

static gboolean
is_synced (gpointer data)
{
  return teren_sync_engine_get_state (data) == TEREN_SYNC_STATE_IDLE &&
         teren_sync_engine_get_pending (data) == 0 &&
         teren_store_count_pending (teren_sync_engine_get_store (data)) == 0;
}

static void
test_offline (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(TerenSyncEngine) a = NULL;
  g_autoptr(TerenRecord) person = NULL;
  g_autoptr(JsonObject) fields = test_person ("Pop", "Ilie");
  g_autofree char *listen = NULL;

  if (!test_need_keyring ())
    return;

  a = login (fixture, NULL, "ana", "a");
  listen = g_strdup_printf ("127.0.0.1:%u", fixture->server->port);
  teren_test_server_kill (fixture->server);

  /* The app keeps working: a save goes to the op-log; the engine says offline. */
  teren_sync_engine_start (a);
  person = save (a, "person", "", NULL, fields);
  g_assert_true (test_wait_until (is_offline, a, 20000));
  g_assert_nonnull (teren_sync_engine_get_last_error (a));
  g_assert_cmpuint (teren_store_count_pending (teren_sync_engine_get_store (a)), ==, 1);

  /* Back: the engine resumes by itself (backoff), nothing to press. */
  teren_test_server_start_listen (fixture->server, listen);
  g_assert_true (test_wait_until (is_synced, a, 30000));
  g_assert_null (teren_sync_engine_get_last_error (a));
  g_assert_nonnull (teren_sync_engine_get_last_synced (a));
  teren_sync_engine_stop (a);
  g_assert_cmpuint (audit_lines (fixture, teren_record_get_id (person)), ==, 1);
}

static void
revoked_cb (TerenSyncEngine *engine,
            guint            unsent,
            gpointer         user_data)
{
  *(int *) user_data = (int) unsent;
}

static void
test_revoked (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(TerenSyncEngine) a = NULL;
  g_autoptr(TerenRecord) p1 = NULL;
  g_autoptr(TerenRecord) p2 = NULL;
  g_autoptr(JsonObject) f1 = test_person ("Pop", "Ilie");
  g_autoptr(JsonObject) f2 = test_person ("Pop", "Ilinca");
  g_autoptr(TerenSyncSummary) s1 = NULL;
  g_autoptr(TerenSyncSummary) s2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *device = NULL;
  int unsent = -1;

  if (!test_need_keyring ())
    return;

  a = login (fixture, NULL, "ana", "a");
  g_signal_connect (a, "revoked", G_CALLBACK (revoked_cb), &unsent);
  p1 = save (a, "person", "", NULL, f1);
  s1 = test_sync_ok (a);
  p2 = save (a, "person", "", NULL, f2);
  device = g_strdup (teren_store_get_device_id (teren_sync_engine_get_store (a)));
  g_assert_cmpint (teren_test_server_clif (fixture->server, NULL, NULL, NULL, "device", "revoke", device,
                                           NULL), ==, 0);

  s2 = test_engine_sync (a, &error);
  g_assert_null (s2);
  g_assert_error (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_DEVICE_REVOKED);
  g_assert_cmpint (unsent, ==, 1);
  g_assert_cmpuint (teren_store_count (teren_sync_engine_get_store (a), "person"), ==, 0);
  g_assert_cmpuint (teren_store_count_pending (teren_sync_engine_get_store (a)), ==, 0);
  g_assert_cmpint (teren_sync_engine_get_state (a), ==, TEREN_SYNC_STATE_LOGGED_OUT);
  g_assert_nonnull (teren_sync_engine_get_last_error (a));
}

static void
test_login_bad_input (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(TerenSyncEngine) engine = test_engine_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = client_dir (fixture, "bad");
  g_autofree char *nowhere = NULL;
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  guint16 free_port;
  const char *bad_urls[] = {
    "http://teren.example.ro",          /* not loopback, not encrypted */
    "ftp://127.0.0.1",
    "not a url",
    "https://127.0.0.1/api?x=1",
    "",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad_urls); i++)
    {
      g_assert_false (test_engine_login (engine, bad_urls[i], "ana", TEST_PASSWORD, dir, &error));
      g_assert_error (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_INSECURE_URL);
      g_assert_cmpstr (error->message, !=, "");
      g_clear_error (&error);
      g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
    }
  g_assert_null (teren_sync_engine_get_store (engine));

  if (!test_need_keyring ())
    return;

  g_assert_false (test_engine_login (engine, fixture->server->base_url, "ana", "wrong-password", dir,
                                     &error));
  g_assert_error (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_BAD_CREDENTIALS);
  g_clear_error (&error);
  g_assert_null (teren_sync_engine_get_store (engine));
  g_assert_cmpint (teren_sync_engine_get_state (engine), ==, TEREN_SYNC_STATE_LOGGED_OUT);

  /* Nobody listens there. */
  free_port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  nowhere = g_strdup_printf ("http://127.0.0.1:%u", free_port);
  g_assert_false (test_engine_login (engine, nowhere, "ana", TEST_PASSWORD, dir, &error));
  g_assert_error (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_NETWORK);
}

static gboolean
make_certificate (const char *dir,
                  char      **out_cert,
                  char      **out_key)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;

  *out_cert = g_build_filename (dir, "cert.pem", NULL);
  *out_key = g_build_filename (dir, "key.pem", NULL);
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                           "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                           "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", *out_key, "-out",
                           *out_cert, "-days", "2", "-subj", "/CN=teren-test-self-signed",
                           "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", NULL);
  return proc != NULL && g_subprocess_wait_check (proc, NULL, NULL);
}

static void
test_tls_refused (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(TerenTestServer) server = teren_test_server_new ();
  g_autoptr(TerenSyncEngine) engine = test_engine_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autofree char *dir = client_dir (fixture, "tls");
  const char *args[] = { "--tls-cert", NULL, "--tls-key", NULL, NULL };

  if (!make_certificate (fixture->root, &cert, &key))
    {
      g_test_skip ("cannot make a certificate with openssl");
      return;
    }
  args[1] = cert;
  args[3] = key;
  teren_test_server_set_args (server, args);
  teren_test_server_start (server);
  teren_test_server_add_user (server, "ana", TEST_PASSWORD, "child", "worker");
  g_assert_true (g_str_has_prefix (server->base_url, "https://"));

  g_assert_false (test_engine_login (engine, server->base_url, "ana", TEST_PASSWORD, dir, &error));
  g_assert_error (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_TLS);
  g_test_message ("%s", error->message);
  /* The certificate's details, for the IT person. */
  g_assert_nonnull (strstr (error->message, "teren-test-self-signed"));
  g_assert_nonnull (strstr (error->message, "SHA-256"));
  g_assert_nonnull (strstr (error->message, "not signed by a known authority"));
  g_assert_cmpint (teren_sync_engine_get_state (engine), ==, TEREN_SYNC_STATE_LOGGED_OUT);
  g_assert_null (teren_sync_engine_get_store (engine));
  g_clear_error (&error);

  /* The directorate's own CA, configured: the same server is accepted. */
  {
    g_autoptr(TerenSyncEngine) trusting = test_engine_new ();
    g_autoptr(TerenSyncSummary) summary = NULL;

    g_object_set (trusting, "ca-file", cert, NULL);
    g_assert_true (test_engine_login (trusting, server->base_url, "ana", TEST_PASSWORD, dir, &error));
    g_assert_no_error (error);
    summary = test_engine_sync (trusting, &error);
    g_assert_no_error (error);
    g_assert_nonnull (summary);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("TEREN_SERVER_BIN") == NULL)
    {
      g_test_message ("TEREN_SERVER_BIN is not set");
      return 77;
    }

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/sync/two-clients", test_two_clients);
  ADD ("/sync/lost-answer", test_lost_answer);
  ADD ("/sync/offline", test_offline);
  ADD ("/sync/cancel", test_cancel);
  ADD ("/sync/logout-keeps-work", test_logout_keeps_work);
  ADD ("/sync/quarantine-retry", test_quarantine_retry);
  ADD ("/sync/automatic", test_automatic);
  ADD ("/sync/large-batches", test_large_batches);
  ADD ("/sync/revoked", test_revoked);
  ADD ("/sync/login-bad-input", test_login_bad_input);
  ADD ("/sync/tls-refused", test_tls_refused);
#undef ADD

  return g_test_run ();
}
