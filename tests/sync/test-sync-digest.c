/* test-sync-digest.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "teren-json.h"
#include "teren-store-digest.h"
#include "teren-store-sync.h"
#include "teren-store-test-util.h"
#include "teren-sync-digest.h"
#include "teren-sync-test-util.h"
#include "teren-uuid.h"

/* The integrity digest against the real teren-server (issue 8): after a sync the client's
 * digest is the server's; drift made by deleting base rows with sqlite directly, by
 * corrupting a rev and by a base row the server never had is found and repaired by
 * fetching only the differing buckets' ids, nothing else touched (other rows, the op-log,
 * the cursor; no wipe); a record with a waiting local change is kept; the round runs the
 * check after the first complete sync, then not again until it is due (a day, or another
 * server epoch). Runs in the private D-Bus session of build-aux/test-session.sh. */

#define N_RECORDS 24

typedef struct {
  TerenTestServer *server;
  char            *root;
  SoupSession     *session;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  test_server_fixture_set_up (&fixture->server, &fixture->root, "teren-sync-digest-XXXXXX",
                              "ana", "child", "worker", NULL);
  fixture->session = teren_test_session_new ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->session);
  test_server_fixture_tear_down (&fixture->server, &fixture->root);
}

static TerenSyncEngine *
login (Fixture    *fixture,
       const char *dir_name)
{
  return test_engine_login_ok (fixture->server->base_url, "ana", fixture->root, dir_name);
}

static char *
create_person (TerenSyncEngine *engine,
               guint            n)
{
  g_autofree char *first = g_strdup_printf ("Ana%u", n);
  g_autoptr(JsonObject) fields = test_person ("Ionescu", first);
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenRecord) record = teren_store_save (teren_sync_engine_get_store (engine), "person", "",
                                                    NULL, fields, NULL, NULL, &error);

  g_assert_no_error (error);
  return g_strdup (teren_record_get_id (record));
}

/* The server's digest for ana: total and buckets. */
static void
server_digest (Fixture     *fixture,
               TerenDigest *out_total,
               TerenDigest *out_buckets)
{
  g_autofree char *token = test_keyring_token (fixture->server->base_url, "ana");
  g_autoptr(TerenTestResponse) response = NULL;
  JsonObject *object;
  JsonArray *buckets;
  guint i;

  g_assert_nonnull (token);
  response = teren_test_request (fixture->session, fixture->server, "GET", "/api/v1/digest", token, NULL, 0);
  g_assert_cmpuint (response->status, ==, 200);
  object = teren_test_response_object (response);
  g_assert_true (teren_digest_from_hex (json_object_get_string_member (object, "digest"), &out_total->digest));
  out_total->count = (guint64) json_object_get_int_member (object, "count");
  buckets = json_object_get_array_member (object, "buckets");
  g_assert_cmpuint (json_array_get_length (buckets), ==, TEREN_DIGEST_BUCKETS);
  for (i = 0; i < TEREN_DIGEST_BUCKETS; i++)
    {
      JsonObject *bucket = json_array_get_object_element (buckets, i);
      int b = g_ascii_xdigit_value (json_object_get_string_member (bucket, "bucket")[0]);

      g_assert_true (teren_digest_from_hex (json_object_get_string_member (bucket, "digest"),
                                            &out_buckets[b].digest));
      out_buckets[b].count = (guint64) json_object_get_int_member (bucket, "count");
    }
}

static void
assert_same_as_server (Fixture         *fixture,
                       TerenSyncEngine *engine)
{
  TerenDigest server_total, server_buckets[TEREN_DIGEST_BUCKETS];
  TerenDigest local_total, local_buckets[TEREN_DIGEST_BUCKETS];
  g_autoptr(GError) error = NULL;
  guint i;

  server_digest (fixture, &server_total, server_buckets);
  g_assert_true (teren_store_digest_get (teren_sync_engine_get_store (engine), &local_total,
                                         local_buckets, &error));
  g_assert_no_error (error);
  g_assert_cmphex (local_total.digest, ==, server_total.digest);
  g_assert_cmpuint (local_total.count, ==, server_total.count);
  for (i = 0; i < TEREN_DIGEST_BUCKETS; i++)
    {
      g_assert_cmphex (local_buckets[i].digest, ==, server_buckets[i].digest);
      g_assert_cmpuint (local_buckets[i].count, ==, server_buckets[i].count);
    }
}

static char *
store_dir (Fixture    *fixture,
           const char *dir_name)
{
  return g_build_filename (fixture->root, dir_name, NULL);
}

static char *
query_text (const char *dir,
            const char *sql)
{
  sqlite3 *db = test_db_open (dir, TRUE);
  char *text = test_db_text (db, sql);

  sqlite3_close (db);
  return text;
}

static void
exec_sql (const char *dir,
          const char *sql)
{
  sqlite3 *db = test_db_open (dir, FALSE);

  test_db_exec (db, sql);
  sqlite3_close (db);
}

/* Every base row but @except (NULL-terminated), one a line. */
static char *
dump_base_except (const char         *dir,
                  const char * const *except)
{
  g_autoptr(GString) sql = g_string_new ("SELECT group_concat (line, char (10)) FROM (SELECT id || ' ' || rev || ' ' || "
                                         "deleted || ' ' || fields || ' ' || seq AS line FROM base WHERE id NOT IN (''");
  guint i;

  for (i = 0; except[i] != NULL; i++)
    g_string_append_printf (sql, ",'%s'", except[i]);
  g_string_append (sql, ") ORDER BY id)");
  return query_text (dir, sql->str);
}

static char *
dump_records_except (const char         *dir,
                     const char * const *except)
{
  g_autoptr(GString) sql = g_string_new ("SELECT group_concat (line, char (10)) FROM (SELECT id || ' ' || rev || ' ' || "
                                         "deleted || ' ' || fields AS line FROM record WHERE id NOT IN (''");
  guint i;

  for (i = 0; except[i] != NULL; i++)
    g_string_append_printf (sql, ",'%s'", except[i]);
  g_string_append (sql, ") ORDER BY id)");
  return query_text (dir, sql->str);
}

static gint64
base_rev (const char *dir,
          const char *id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT coalesce ((SELECT rev FROM base WHERE id = '%s'), -1)", id);
  sqlite3 *db = test_db_open (dir, TRUE);
  gint64 rev = test_db_int (db, sql);

  sqlite3_close (db);
  return rev;
}

typedef struct {
  gboolean               done;
  gboolean               ok;
  TerenSyncDigestResult  result;
  GError                *error;
} Wait;

static gboolean
wait_done (gpointer data)
{
  return ((Wait *) data)->done;
}

static void
run_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = teren_sync_digest_run_finish (TEREN_SYNC_ENGINE (source), result, &wait->result, &wait->error);
  wait->done = TRUE;
}

static TerenSyncDigestResult
run_check (TerenSyncEngine *engine,
           gboolean         force)
{
  Wait wait = { FALSE };

  teren_sync_digest_run_async (engine, teren_sync_engine_get_store (engine), force, NULL, run_cb, &wait);
  g_assert_true (test_wait_until (wait_done, &wait, 60000));
  g_assert_no_error (wait.error);
  g_assert_true (wait.ok);
  return wait.result;
}

/* After the first complete sync the round checks, and the client's digest is the
 * server's, bucket by bucket; the next round does not check again (not due). */
static void
test_matches_server (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(TerenSyncEngine) engine = NULL;
  g_autoptr(TerenSyncEngine) second = NULL;
  g_autoptr(TerenSyncSummary) s1 = NULL;
  g_autoptr(TerenSyncSummary) s2 = NULL;
  g_autoptr(TerenSyncSummary) s3 = NULL;
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *checked = NULL;
  guint buckets = 99, records = 99;
  guint i;

  if (!test_need_keyring ())
    return;

  engine = login (fixture, "a");
  g_assert_false (teren_sync_digest_get_last_check (engine, NULL, NULL, NULL));
  for (i = 0; i < N_RECORDS; i++)
    g_free (create_person (engine, i));
  s1 = test_sync_ok (engine);
  g_assert_cmpuint (s1->pushed, ==, N_RECORDS);
  g_assert_true (s1->digest_checked);
  g_assert_cmpuint (s1->digest_buckets_repaired, ==, 0);
  g_assert_cmpuint (s1->digest_records_repaired, ==, 0);
  assert_same_as_server (fixture, engine);
  g_assert_true (teren_sync_digest_get_last_check (engine, &when, &buckets, &records));
  g_assert_nonnull (when);
  g_assert_cmpuint (buckets, ==, 0);
  g_assert_cmpuint (records, ==, 0);
  checked = teren_store_sync_get_meta (teren_sync_engine_get_store (engine), TEREN_SYNC_META_DIGEST_CHECKED);
  g_assert_nonnull (checked);

  s2 = test_sync_ok (engine);
  g_assert_false (s2->digest_checked);

  /* A second laptop of the same account pulls everything: same digest. */
  second = login (fixture, "b");
  s3 = test_sync_ok (second);
  g_assert_cmpuint (s3->pulled, >=, N_RECORDS);
  g_assert_true (s3->digest_checked);
  g_assert_cmpuint (s3->digest_records_repaired, ==, 0);
  assert_same_as_server (fixture, second);
}

/* Drift in two buckets, repaired by fetching their differing ids only. */
static void
test_drift_repaired (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(TerenSyncEngine) engine = NULL;
  g_autoptr(TerenSyncSummary) s1 = NULL;
  g_autoptr(TerenSyncSummary) s2 = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonObject) edit = json_object_new ();
  g_autoptr(TerenRecord) edited = NULL;
  g_autoptr(TerenRecord) shown = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = store_dir (fixture, "a");
  g_autofree char *ghost = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *base_before = NULL;
  g_autofree char *base_after = NULL;
  g_autofree char *records_before = NULL;
  g_autofree char *records_after = NULL;
  g_autofree char *oplog_before = NULL;
  g_autofree char *oplog_after = NULL;
  g_autofree char *cursor_before = NULL;
  g_autofree char *cursor_after = NULL;
  g_autofree char *w_base_before = NULL;
  g_autofree char *w_base_after = NULL;
  const char *lost = NULL, *stale = NULL, *waiting = NULL;
  TerenSyncDigestResult result;
  gint64 lost_rev, stale_rev;
  guint i;

  if (!test_need_keyring ())
    return;

  engine = login (fixture, "a");
  /* lost and waiting in one bucket, stale in another. */
  for (i = 0; i < 400 && (lost == NULL || stale == NULL || waiting == NULL); i++)
    {
      char *id = create_person (engine, i);

      g_ptr_array_add (ids, id);
      if (lost == NULL)
        lost = id;
      else if (waiting == NULL && teren_digest_bucket (id) == teren_digest_bucket (lost))
        waiting = id;
      else if (stale == NULL && teren_digest_bucket (id) != teren_digest_bucket (lost))
        stale = id;
    }
  g_assert_nonnull (waiting);
  g_assert_nonnull (stale);
  s1 = test_sync_ok (engine);
  g_assert_true (s1->digest_checked);
  assert_same_as_server (fixture, engine);
  lost_rev = base_rev (dir, lost);
  stale_rev = base_rev (dir, stale);
  g_assert_cmpint (lost_rev, >=, 1);

  /* A local change waits on "waiting" (not synced). */
  json_object_set_string_member (edit, "first_name", "Local");
  edited = teren_store_save (teren_sync_engine_get_store (engine), "person", "", waiting, edit, NULL, NULL, &error);
  g_assert_no_error (error);

  /* The drift, outside Teren: a base row deleted, a rev corrupted, the waiting record's
   * base rev corrupted too, and a base row the server never had (in stale's bucket). */
  ghost = teren_uuid_new ();
  ghost[0] = stale[0];
  sql = g_strdup_printf ("DELETE FROM base WHERE id = '%s';"
                         "UPDATE base SET rev = rev + 5 WHERE id = '%s';"
                         "UPDATE base SET rev = rev + 7 WHERE id = '%s';"
                         "INSERT INTO base (id, kind, line, rev, seq, deleted, fields) "
                         "VALUES ('%s', 'person', '', 3, 0, 0, '{}');",
                         lost, stale, waiting, ghost);
  exec_sql (dir, sql);

  {
    const char *except[] = { lost, stale, waiting, ghost, NULL };

    base_before = dump_base_except (dir, except);
    records_before = dump_records_except (dir, except);
  }
  oplog_before = query_text (dir, "SELECT group_concat (change_id || state || patch || base_rev) FROM oplog");
  g_free (sql);
  sql = g_strdup_printf ("SELECT rev || fields FROM base WHERE id = '%s'", waiting);
  w_base_before = query_text (dir, sql);
  cursor_before = teren_store_sync_get_meta (teren_sync_engine_get_store (engine), TEREN_SYNC_META_CURSOR);
  g_assert_nonnull (oplog_before);

  result = run_check (engine, TRUE);
  g_assert_true (result.checked);
  g_assert_true (result.mismatch);
  g_assert_true (result.local_corrected);
  g_assert_cmpuint (result.buckets_differing, ==, 2);
  g_assert_cmpuint (result.buckets_repaired, ==, 2);
  g_assert_cmpuint (result.ids_fetched, ==, 4);
  g_assert_cmpuint (result.records_repaired, ==, 3);
  g_assert_cmpuint (result.records_kept, ==, 1);

  /* Repaired… */
  g_assert_cmpint (base_rev (dir, lost), ==, lost_rev);
  g_assert_cmpint (base_rev (dir, stale), ==, stale_rev);
  g_assert_cmpint (base_rev (dir, ghost), ==, -1);
  /* …and nothing else touched: other rows, the op-log, the waiting record, the cursor. */
  {
    const char *except[] = { lost, stale, waiting, ghost, NULL };

    base_after = dump_base_except (dir, except);
    records_after = dump_records_except (dir, except);
  }
  g_assert_cmpstr (base_after, ==, base_before);
  g_assert_cmpstr (records_after, ==, records_before);
  oplog_after = query_text (dir, "SELECT group_concat (change_id || state || patch || base_rev) FROM oplog");
  g_assert_cmpstr (oplog_after, ==, oplog_before);
  w_base_after = query_text (dir, sql);
  g_assert_cmpstr (w_base_after, ==, w_base_before);
  shown = teren_store_get_record (teren_sync_engine_get_store (engine), waiting, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (teren_record_get_string (shown, "first_name"), ==, "Local");
  cursor_after = teren_store_sync_get_meta (teren_sync_engine_get_store (engine), TEREN_SYNC_META_CURSOR);
  g_assert_cmpstr (cursor_after, ==, cursor_before);
  g_assert_cmpuint (teren_store_count (teren_sync_engine_get_store (engine), "person"), ==, ids->len);

  /* The waiting change goes out with the next round (the push answer does not lower the
   * corrupted base rev); the next check repairs that record only; then everything matches. */
  s2 = test_sync_ok (engine);
  g_assert_cmpuint (s2->pushed, ==, 1);
  g_clear_pointer (&s2, teren_sync_summary_free);
  result = run_check (engine, TRUE);
  g_assert_true (result.checked);
  g_assert_cmpuint (result.records_kept, ==, 0);
  g_assert_cmpuint (result.records_repaired, <=, 1);
  result = run_check (engine, TRUE);
  g_assert_true (result.checked);
  g_assert_false (result.mismatch);
  assert_same_as_server (fixture, engine);
  g_clear_object (&shown);
  shown = teren_store_get_record (teren_sync_engine_get_store (engine), waiting, &error);
  g_assert_cmpstr (teren_record_get_string (shown, "first_name"), ==, "Local");
  teren_test_server_assert_integrity (fixture->server);
}

/* The round itself: not due → no check; a new server epoch (or a day) → the check runs and
 * repairs; the result is kept for the sync details. */
static void
test_round_when_due (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(TerenSyncEngine) engine = NULL;
  g_autoptr(TerenSyncSummary) s1 = NULL;
  g_autoptr(TerenSyncSummary) s2 = NULL;
  g_autoptr(TerenSyncSummary) s3 = NULL;
  g_autoptr(TerenSyncSummary) s4 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = store_dir (fixture, "a");
  g_autofree char *victim = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *old_check = NULL;
  guint buckets = 0, records = 0;
  guint i;

  if (!test_need_keyring ())
    return;

  engine = login (fixture, "a");
  for (i = 0; i < 12; i++)
    {
      g_free (victim);
      victim = create_person (engine, i);
    }
  s1 = test_sync_ok (engine);
  g_assert_true (s1->digest_checked);

  sql = g_strdup_printf ("DELETE FROM base WHERE id = '%s'", victim);
  exec_sql (dir, sql);
  /* Not due: the drift stays until the next check. */
  s2 = test_sync_ok (engine);
  g_assert_false (s2->digest_checked);
  g_assert_cmpint (base_rev (dir, victim), ==, -1);

  /* The last check was made under another server epoch. */
  g_assert_true (teren_store_sync_set_meta (teren_sync_engine_get_store (engine),
                                            TEREN_SYNC_META_DIGEST_EPOCH, "an-older-epoch", &error));
  g_assert_no_error (error);
  s3 = test_sync_ok (engine);
  g_assert_true (s3->digest_checked);
  g_assert_cmpuint (s3->digest_buckets_repaired, ==, 1);
  g_assert_cmpuint (s3->digest_records_repaired, ==, 1);
  g_assert_cmpint (base_rev (dir, victim), >=, 1);
  assert_same_as_server (fixture, engine);
  g_assert_true (teren_sync_digest_get_last_check (engine, NULL, &buckets, &records));
  g_assert_cmpuint (buckets, ==, 1);
  g_assert_cmpuint (records, ==, 1);

  /* A day later it is due again (nothing to repair then). */
  old_check = g_strdup ("2026-01-01T00:00:00Z");
  g_assert_true (teren_store_sync_set_meta (teren_sync_engine_get_store (engine),
                                            TEREN_SYNC_META_DIGEST_CHECKED, old_check, &error));
  s4 = test_sync_ok (engine);
  g_assert_true (s4->digest_checked);
  g_assert_cmpuint (s4->digest_records_repaired, ==, 0);
  g_assert_true (teren_sync_digest_get_last_check (engine, NULL, &buckets, &records));
  g_assert_cmpuint (records, ==, 0);
}

/* The server dies while the check asks for the buckets' ids (two requests in flight): the
 * round still succeeds (the check is not what the round was for), nothing is written, and
 * a later check repairs. */
static void
test_server_gone (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(TerenSyncEngine) engine = test_engine_new ();
  g_autoptr(TestProxy) proxy = NULL;
  g_autoptr(TerenSyncSummary) s1 = NULL;
  g_autoptr(TerenSyncSummary) s2 = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = store_dir (fixture, "a");
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", fixture->server->port);
  g_autofree char *sql = NULL;
  g_autofree char *base_before = NULL;
  g_autofree char *base_after = NULL;
  const char *first = NULL, *second = NULL;
  const char *none[] = { NULL };
  TerenSyncDigestResult result;
  guint i;

  if (!test_need_keyring ())
    return;

  proxy = test_proxy_new (fixture->server->port, 1);
  g_assert_true (test_engine_login (engine, test_proxy_get_url (proxy), "ana", TEST_PASSWORD, dir, &error));
  g_assert_no_error (error);
  for (i = 0; i < 200 && second == NULL; i++)
    {
      char *id = create_person (engine, i);

      g_ptr_array_add (ids, id);
      if (first == NULL)
        first = id;
      else if (teren_digest_bucket (id) != teren_digest_bucket (first))
        second = id;
    }
  g_assert_nonnull (second);
  s1 = test_sync_ok (engine);
  g_assert_true (s1->digest_checked);

  /* Two buckets drift; the check is due again (another epoch). */
  sql = g_strdup_printf ("DELETE FROM base WHERE id IN ('%s', '%s')", first, second);
  exec_sql (dir, sql);
  g_assert_true (teren_store_sync_set_meta (teren_sync_engine_get_store (engine),
                                            TEREN_SYNC_META_DIGEST_EPOCH, "an-older-epoch", &error));
  base_before = dump_base_except (dir, none);

  test_proxy_kill_on (proxy, "GET /api/v1/ids", teren_test_server_get_pid (fixture->server));
  s2 = test_sync_ok (engine);
  g_assert_false (s2->digest_checked);
  g_assert_cmpuint (s2->digest_records_repaired, ==, 0);
  g_assert_true (test_wait_until (test_proxy_killed, proxy, 5000));
  base_after = dump_base_except (dir, none);
  g_assert_cmpstr (base_after, ==, base_before);
  g_assert_cmpint (base_rev (dir, first), ==, -1);

  /* The server back on the same port: a check repairs both. */
  teren_test_server_kill (fixture->server);
  teren_test_server_start_listen (fixture->server, listen);
  test_proxy_kill_on (proxy, NULL, 0);
  result = run_check (engine, TRUE);
  g_assert_true (result.mismatch);
  g_assert_cmpuint (result.records_repaired, ==, 2);
  g_assert_cmpuint (result.buckets_repaired, ==, 2);
  g_assert_cmpint (base_rev (dir, first), >=, 1);
  g_assert_cmpint (base_rev (dir, second), >=, 1);
  result = run_check (engine, TRUE);
  g_assert_false (result.mismatch);
  teren_test_server_assert_integrity (fixture->server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/sync-digest/matches-server", test_matches_server);
  ADD ("/sync-digest/drift-repaired", test_drift_repaired);
  ADD ("/sync-digest/round-when-due", test_round_when_due);
  ADD ("/sync-digest/server-gone", test_server_gone);
#undef ADD

  return g_test_run ();
}
