/* test-sync-faults.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "teren-store-sync.h"
#include "teren-sync-test-util.h"

/* The fault matrix of issue 4 (SYNC-NOTES S5, S8, S9, S4): the server killed in the middle
 * of a push and of a pull, then 20 rounds of two clients editing through a proxy that
 * resets 30 % of the connections, truncates answers and delays some by 5 s. Once the
 * faults stop, both clients hold exactly the server's records for their scope, and the
 * server's history has every acknowledged change once, with contiguous revisions
 * (SYNC.md invariants 1–3). The seed is printed; TEREN_TEST_SEED replays a run. */

#define N_PERSONS 6
#define ROUNDS 20

typedef struct {
  TerenTestServer *server;
  TestProxy       *proxy;
  char            *root;
  char            *listen;
  GRand           *rand;
} Ctx;

static TerenSyncEngine *
login (Ctx        *ctx,
       const char *user,
       const char *name)
{
  g_autofree char *dir = g_build_filename (ctx->root, name, NULL);
  g_autoptr(GError) error = NULL;
  TerenSyncEngine *engine = test_engine_new ();

  /* Small pages: several per round, so that the two-page pipeline meets the faults. */
  g_object_set (engine, "pull-limit", 3, NULL);
  g_assert_true (test_engine_login (engine, test_proxy_get_url (ctx->proxy), user, TEST_PASSWORD, dir,
                                    &error));
  g_assert_no_error (error);
  return engine;
}

static gboolean
try_sync (TerenSyncEngine *engine)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenSyncSummary) summary = test_engine_sync (engine, &error);

  if (summary == NULL)
    g_test_message ("round failed: %s", error->message);
  return summary != NULL;
}

static void
sync_until_ok (TerenSyncEngine *engine)
{
  guint i;

  for (i = 0; i < 5; i++)
    if (try_sync (engine))
      return;
  g_assert_not_reached ();
}

static void
edit (TerenSyncEngine *engine,
      const char      *id,
      const char      *key,
      const char      *value)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenRecord) record = NULL;

  json_object_set_string_member (fields, key, value);
  record = teren_store_save (teren_sync_engine_get_store (engine), "person", "", id, fields, NULL, NULL,
                             &error);
  g_assert_no_error (error);
}

/* Kills the server when the proxy forwards a request starting with @prefix during a round
 * of @engine, then starts it again on the same port. */
static void
kill_during (Ctx             *ctx,
             TerenSyncEngine *engine,
             const char      *prefix)
{
  g_test_message ("arming a kill of %d on %s", (int) teren_test_server_get_pid (ctx->server), prefix);
  test_proxy_kill_on (ctx->proxy, prefix, teren_test_server_get_pid (ctx->server));
  try_sync (engine);
  /* The proxy kills a moment after forwarding: the round may already be over. */
  g_assert_true (test_wait_until (test_proxy_killed, ctx->proxy, 5000));
  teren_test_server_kill (ctx->server);
  teren_test_server_start_listen (ctx->server, ctx->listen);
  test_proxy_kill_on (ctx->proxy, NULL, 0);
  teren_test_server_assert_integrity (ctx->server);
}

/* Every change id of the store's archive that the server applied or merged, by record. */
static GHashTable *
archived_changes (TerenStore *store)
{
  g_autofree char *path = g_build_filename (teren_store_get_data_dir (store), TEREN_STORE_DB_NAME, NULL);
  GHashTable *changes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT change_id, record_id FROM op_archive "
                                           "WHERE status IN ('applied', 'merged')", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_insert (changes, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                         g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return changes;
}

/* Invariant 2 for one record, and the set of its change ids. */
static GHashTable *
check_history (Ctx        *ctx,
               const char *id)
{
  g_autoptr(GPtrArray) changes = teren_test_server_history (ctx->server, id);
  GHashTable *seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint i;

  g_assert_cmpuint (changes->len, >, 0);
  for (i = 0; i < changes->len; i++)
    g_hash_table_add (seen, g_strdup (changes->pdata[i]));
  return seen;
}

static void
check_no_lost_edit (Ctx        *ctx,
                    TerenStore *store)
{
  g_autoptr(GHashTable) changes = archived_changes (store);
  g_autoptr(GHashTable) histories = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                           (GDestroyNotify) g_hash_table_unref);
  GHashTableIter iter;
  gpointer change, record;

  g_hash_table_iter_init (&iter, changes);
  while (g_hash_table_iter_next (&iter, &change, &record))
    {
      GHashTable *history = g_hash_table_lookup (histories, record);

      if (history == NULL)
        {
          history = check_history (ctx, record);
          g_hash_table_insert (histories, g_strdup (record), history);
        }
      g_assert_true (g_hash_table_contains (history, change));
    }
  g_test_message ("%u acknowledged changes found in the server's history",
                  g_hash_table_size (changes));
}

static void
test_fault_matrix (void)
{
  Ctx ctx = { 0 };
  g_autoptr(TerenSyncEngine) a = NULL;
  g_autoptr(TerenSyncEngine) b = NULL;
  g_autoptr(TerenSyncEngine) fresh_a = NULL;
  g_autoptr(TerenSyncEngine) fresh_b = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *dump_a = NULL;
  g_autofree char *dump_b = NULL;
  g_autofree char *dump_fa = NULL;
  g_autofree char *dump_fb = NULL;
  const char *seed_env = g_getenv ("TEREN_TEST_SEED");
  guint32 seed = seed_env != NULL ? (guint32) g_ascii_strtoull (seed_env, NULL, 10) : g_test_rand_int ();
  guint failures = 0;
  guint i;

  if (!test_need_keyring ())
    return;
  g_test_message ("seed %u (TEREN_TEST_SEED=%u replays it)", seed, seed);
  ctx.rand = g_rand_new_with_seed (seed);

  test_server_fixture_set_up (&ctx.server, &ctx.root, "teren-sync-faults-XXXXXX",
                              "ana", "child", "worker", "maria", "child", "worker", NULL);
  ctx.listen = g_strdup_printf ("127.0.0.1:%u", ctx.server->port);
  ctx.proxy = test_proxy_new (ctx.server->port, seed);

  a = login (&ctx, "ana", "a");
  b = login (&ctx, "maria", "b");
  for (i = 0; i < N_PERSONS; i++)
    {
      g_autofree char *name = g_strdup_printf ("Copil%u", i);

      g_ptr_array_add (ids, test_save_person_with_case (teren_sync_engine_get_store (a), "Radu", name));
    }
  sync_until_ok (a);
  sync_until_ok (b);
  g_assert_cmpuint (teren_store_count (teren_sync_engine_get_store (b), "person"), ==, N_PERSONS);

  /* S4/S5: the server killed in the middle of a push, then of a pull. */
  for (i = 0; i < 3; i++)
    edit (a, ids->pdata[i], "first_name", "Pus");
  kill_during (&ctx, a, "POST /api/v1/push");
  sync_until_ok (a);
  kill_during (&ctx, b, "GET /api/v1/pull");
  sync_until_ok (b);

  /* S8/S9: 20 rounds through resets (30 %), truncated answers and 5 s delays. */
  test_proxy_set_faults (ctx.proxy, 30, 10, 3, 5000);
  for (i = 0; i < ROUNDS; i++)
    {
      g_autofree char *va = g_strdup_printf ("A%u", i);
      g_autofree char *vb = g_strdup_printf ("B%u", i);
      const char *pa = ids->pdata[g_rand_int_range (ctx.rand, 0, ids->len)];
      /* B may not have pulled A's newest persons yet. */
      const char *pb = ids->pdata[g_rand_int_range (ctx.rand, 0, N_PERSONS)];

      edit (a, pa, "first_name", va);
      edit (b, pb, g_rand_boolean (ctx.rand) ? "first_name" : "last_name", vb);
      if (i % 7 == 3)
        {
          g_autofree char *name = g_strdup_printf ("Nou%u", i);

          g_ptr_array_add (ids, test_save_person_with_case (teren_sync_engine_get_store (a), "Radu", name));
        }
      failures += !try_sync (a);
      failures += !try_sync (b);
    }
  g_test_message ("%u failed rounds, %u faulty connections", failures,
                  test_proxy_get_faults (ctx.proxy));

  /* Faults stop: at most three rounds each to converge (invariant 3). */
  test_proxy_set_faults (ctx.proxy, 0, 0, 0, 0);
  for (i = 0; i < 3; i++)
    {
      sync_until_ok (a);
      sync_until_ok (b);
    }
  sync_until_ok (a);
  g_assert_cmpuint (teren_store_count_pending (teren_sync_engine_get_store (a)), ==, 0);
  g_assert_cmpuint (teren_store_count_pending (teren_sync_engine_get_store (b)), ==, 0);

  fresh_a = login (&ctx, "ana", "fresh-a");
  fresh_b = login (&ctx, "maria", "fresh-b");
  sync_until_ok (fresh_a);
  sync_until_ok (fresh_b);
  dump_a = test_store_dump (teren_sync_engine_get_store (a));
  dump_b = test_store_dump (teren_sync_engine_get_store (b));
  dump_fa = test_store_dump (teren_sync_engine_get_store (fresh_a));
  dump_fb = test_store_dump (teren_sync_engine_get_store (fresh_b));
  g_assert_cmpstr (dump_a, ==, dump_fa);
  g_assert_cmpstr (dump_b, ==, dump_fb);
  g_assert_cmpstr (dump_a, ==, dump_b);
  g_assert_cmpuint (teren_store_count (teren_sync_engine_get_store (a), "person"), ==, ids->len);

  /* Invariants 1 and 2 against the server's history. */
  check_no_lost_edit (&ctx, teren_sync_engine_get_store (a));
  check_no_lost_edit (&ctx, teren_sync_engine_get_store (b));

  g_assert_true (teren_store_check_integrity (teren_sync_engine_get_store (a), &error));
  g_assert_true (teren_store_check_integrity (teren_sync_engine_get_store (b), &error));
  g_assert_no_error (error);
  teren_test_server_assert_integrity (ctx.server);

  g_clear_object (&a);
  g_clear_object (&b);
  g_clear_object (&fresh_a);
  g_clear_object (&fresh_b);
  test_proxy_free (ctx.proxy);
  test_server_fixture_tear_down (&ctx.server, &ctx.root);
  g_free (ctx.listen);
  g_rand_free (ctx.rand);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("TEREN_SERVER_BIN") == NULL)
    return 77;
  g_test_add_func ("/sync-faults/matrix", test_fault_matrix);
  return g_test_run ();
}
