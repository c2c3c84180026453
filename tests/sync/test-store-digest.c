/* test-store-digest.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "teren-error.h"
#include "teren-json.h"
#include "teren-store-digest.h"
#include "teren-store-sync.h"
#include "teren-store-test-util.h"
#include "teren-uuid.h"

/* The store side of the integrity digest (issue 8): the hash against vectors computed with
 * the server's function (libsodium crypto_shorthash), the running digest kept by every base
 * write (pull, purge, wipe), computed once for an older store, corrected by verify after a
 * write outside Teren, and the repair from a canned /fetch answer. */

typedef struct {
  char       *dir;
  TerenStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("teren-store-digest-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->store = teren_store_open (fixture->dir, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  test_rm_rf (fixture->dir);
  g_free (fixture->dir);
}

static JsonObject *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object = teren_json_parse_object (json, -1, 64, &error);

  g_assert_no_error (error);
  return object;
}

static char *
pulled_person (const char *id,
               gint64      rev,
               gboolean    deleted,
               const char *first_name)
{
  return g_strdup_printf ("{\"id\":\"%s\",\"kind\":\"person\",\"line\":\"\",\"rev\":%" G_GINT64_FORMAT
                          ",\"seq\":%" G_GINT64_FORMAT ",\"deleted\":%s,\"fields\":{\"last_name\":\"Marin\","
                          "\"first_name\":\"%s\",\"sex\":\"F\",\"birth_date\":\"1990-05-06\","
                          "\"cnp_status\":\"missing\"},\"updated_by\":\"maria\","
                          "\"updated_at\":\"2026-12-01T09:00:00Z\"}",
                          id, rev, rev * 10, deleted ? "true" : "false", first_name);
}

static void
pull (TerenStore *store,
      const char *records,
      const char *purge,
      const char *cursor)
{
  test_pull_page (store, records, purge, cursor, "e1");
}

/* The digest expected for (id, rev) pairs, computed independently of the store. */
static void
expected_digest (const char * const *ids,
                 const gint64       *revs,
                 TerenDigest        *out_total,
                 TerenDigest        *out_buckets)
{
  guint i;

  memset (out_total, 0, sizeof *out_total);
  memset (out_buckets, 0, sizeof (TerenDigest) * TEREN_DIGEST_BUCKETS);
  for (i = 0; ids[i] != NULL; i++)
    {
      guint64 h = teren_digest_hash (ids[i], revs[i]);
      int b = teren_digest_bucket (ids[i]);

      out_total->digest ^= h;
      out_total->count++;
      out_buckets[b].digest ^= h;
      out_buckets[b].count++;
    }
}

static void
assert_digest (TerenStore         *store,
               const char * const *ids,
               const gint64       *revs)
{
  TerenDigest total, buckets[TEREN_DIGEST_BUCKETS];
  TerenDigest want_total, want_buckets[TEREN_DIGEST_BUCKETS];
  g_autoptr(GError) error = NULL;
  guint i;

  expected_digest (ids, revs, &want_total, want_buckets);
  g_assert_true (teren_store_digest_get (store, &total, buckets, &error));
  g_assert_no_error (error);
  g_assert_cmphex (total.digest, ==, want_total.digest);
  g_assert_cmpuint (total.count, ==, want_total.count);
  for (i = 0; i < TEREN_DIGEST_BUCKETS; i++)
    {
      g_assert_cmphex (buckets[i].digest, ==, want_buckets[i].digest);
      g_assert_cmpuint (buckets[i].count, ==, want_buckets[i].count);
    }
}

/* An id in bucket @bucket. */
static char *
id_in_bucket (guint bucket)
{
  char *id = teren_uuid_new ();

  id[0] = "0123456789abcdef"[bucket];
  return id;
}

static void
test_hash_vectors (void)
{
  /* Computed by the server's digest_item (): crypto_shorthash ("<id>:<rev>", "teren digest v1."),
   * the 8 bytes read little-endian. */
  g_assert_cmphex (teren_digest_hash ("0f8fad5b-d9cb-469f-a165-70867728950e", 1), ==,
                   G_GUINT64_CONSTANT (0x469cade88e84d536));
  g_assert_cmphex (teren_digest_hash ("7c9e6679-7425-40de-944b-e07fc1f90ae7", 42), ==,
                   G_GUINT64_CONSTANT (0x0c84797268eadb52));
  g_assert_cmphex (teren_digest_hash ("", 0), ==, G_GUINT64_CONSTANT (0x95b6768bb1a57986));
  g_assert_cmphex (teren_digest_hash ("a", 1), ==, G_GUINT64_CONSTANT (0xfd815ef3f76b10e8));
  g_assert_cmphex (teren_digest_hash ("0f8fad5b-d9cb-469f-a165-70867728950e", G_MAXINT64), ==,
                   G_GUINT64_CONSTANT (0x1928e6697657f7d7));

  g_assert_cmpint (teren_digest_bucket ("0f8fad5b"), ==, 0);
  g_assert_cmpint (teren_digest_bucket ("f0"), ==, 15);
  g_assert_cmpint (teren_digest_bucket ("C0"), ==, 12);
  g_assert_cmpint (teren_digest_bucket ("x"), ==, -1);
  g_assert_cmpint (teren_digest_bucket (""), ==, -1);
}

static void
test_hex (void)
{
  g_autofree char *hex = teren_digest_to_hex (G_GUINT64_CONSTANT (0x0c84797268eadb52));
  guint64 value = 0;

  g_assert_cmpstr (hex, ==, "0c84797268eadb52");
  g_assert_true (teren_digest_from_hex (hex, &value));
  g_assert_cmphex (value, ==, G_GUINT64_CONSTANT (0x0c84797268eadb52));
  g_assert_true (teren_digest_from_hex ("FFFFFFFFFFFFFFFF", &value));
  g_assert_cmphex (value, ==, G_MAXUINT64);
  value = 7;
  g_assert_false (teren_digest_from_hex ("0c84797268eadb5", &value));
  g_assert_false (teren_digest_from_hex ("0c84797268eadb52a", &value));
  g_assert_false (teren_digest_from_hex ("0c84797268eadb5g", &value));
  g_assert_false (teren_digest_from_hex (NULL, &value));
  g_assert_cmphex (value, ==, 7);
}

/* Pull, newer rev, tombstone, purge, wipe: the running digest follows every base write. */
static void
test_running (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *a = id_in_bucket (3);
  g_autofree char *b = id_in_bucket (3);
  g_autofree char *c = id_in_bucket (12);
  g_autofree char *pa = pulled_person (a, 1, FALSE, "Ana");
  g_autofree char *pb = pulled_person (b, 2, FALSE, "Bia");
  g_autofree char *pc = pulled_person (c, 1, FALSE, "Cati");
  g_autofree char *first = g_strjoin (",", pa, pb, pc, NULL);
  g_autofree char *pa2 = pulled_person (a, 4, FALSE, "Ana Maria");
  g_autofree char *pb3 = pulled_person (b, 3, TRUE, "Bia");
  g_autofree char *second = g_strjoin (",", pa2, pb3, NULL);
  g_autofree char *purge = g_strdup_printf ("\"%s\"", c);
  g_autoptr(GError) error = NULL;
  gboolean fixed = TRUE;

  {
    const char *ids[] = { NULL };

    assert_digest (fixture->store, ids, NULL);
  }
  pull (fixture->store, first, "", "c1");
  {
    const char *ids[] = { a, b, c, NULL };
    const gint64 revs[] = { 1, 2, 1 };

    assert_digest (fixture->store, ids, revs);
  }
  /* A newer rev replaces the old term; a tombstone leaves the digest. */
  pull (fixture->store, second, "", "c2");
  {
    const char *ids[] = { a, c, NULL };
    const gint64 revs[] = { 4, 1 };

    assert_digest (fixture->store, ids, revs);
  }
  pull (fixture->store, "", purge, "c3");
  {
    const char *ids[] = { a, NULL };
    const gint64 revs[] = { 4 };

    assert_digest (fixture->store, ids, revs);
  }
  /* Nothing to correct: every write to the base kept it exact. */
  g_assert_true (teren_store_digest_verify (fixture->store, &fixed, &error));
  g_assert_no_error (error);
  g_assert_false (fixed);

  g_assert_true (teren_store_sync_wipe (fixture->store, &error));
  g_assert_no_error (error);
  {
    const char *ids[] = { NULL };

    assert_digest (fixture->store, ids, NULL);
  }
}

/* A store made before the digest gets it from its base when opened; a write outside Teren
 * is found by verify and corrected. */
static void
test_migration_and_verify (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *a = id_in_bucket (0);
  g_autofree char *b = id_in_bucket (10);
  g_autofree char *pa = pulled_person (a, 2, FALSE, "Ana");
  g_autofree char *pb = pulled_person (b, 5, FALSE, "Bia");
  g_autofree char *both = g_strjoin (",", pa, pb, NULL);
  g_autofree char *sql = NULL;
  g_autoptr(GError) error = NULL;
  gboolean fixed = FALSE;
  sqlite3 *db;

  pull (fixture->store, both, "", "c1");
  g_clear_object (&fixture->store);

  db = test_db_open (fixture->dir, FALSE);
  test_db_exec (db, "DROP TABLE base_digest");
  sqlite3_close (db);

  fixture->store = teren_store_open (fixture->dir, &error);
  g_assert_no_error (error);
  {
    const char *ids[] = { a, b, NULL };
    const gint64 revs[] = { 2, 5 };

    assert_digest (fixture->store, ids, revs);
  }

  /* Outside Teren: a base row deleted and a rev changed; the running digest cannot know. */
  db = test_db_open (fixture->dir, FALSE);
  sql = g_strdup_printf ("DELETE FROM base WHERE id = '%s'", a);
  test_db_exec (db, sql);
  g_free (sql);
  sql = g_strdup_printf ("UPDATE base SET rev = 9 WHERE id = '%s'", b);
  test_db_exec (db, sql);
  sqlite3_close (db);
  {
    const char *ids[] = { a, b, NULL };
    const gint64 revs[] = { 2, 5 };

    assert_digest (fixture->store, ids, revs);
  }
  g_assert_true (teren_store_digest_verify (fixture->store, &fixed, &error));
  g_assert_no_error (error);
  g_assert_true (fixed);
  {
    const char *ids[] = { b, NULL };
    const gint64 revs[] = { 9 };

    assert_digest (fixture->store, ids, revs);
  }
}

static void
test_list_bucket (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *a = id_in_bucket (7);
  g_autofree char *b = id_in_bucket (7);
  g_autofree char *c = id_in_bucket (8);
  g_autofree char *d = id_in_bucket (7);
  g_autofree char *pa = pulled_person (a, 1, FALSE, "Ana");
  g_autofree char *pb = pulled_person (b, 3, FALSE, "Bia");
  g_autofree char *pc = pulled_person (c, 1, FALSE, "Cati");
  g_autofree char *pd = pulled_person (d, 2, TRUE, "Dana");
  g_autofree char *all = g_strjoin (",", pa, pb, pc, pd, NULL);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) empty = NULL;
  g_autoptr(GError) error = NULL;
  TerenDigestItem *first, *second;

  pull (fixture->store, all, "", "c1");
  items = teren_store_digest_list_bucket (fixture->store, 7, &error);
  g_assert_no_error (error);
  /* The tombstone is not listed, as on the server. */
  g_assert_cmpuint (items->len, ==, 2);
  first = items->pdata[0];
  second = items->pdata[1];
  g_assert_cmpint (strcmp (first->id, second->id), <, 0);
  g_assert_true ((g_strcmp0 (first->id, a) == 0 && first->rev == 1 && g_strcmp0 (second->id, b) == 0 && second->rev == 3) ||
                 (g_strcmp0 (first->id, b) == 0 && first->rev == 3 && g_strcmp0 (second->id, a) == 0 && second->rev == 1));
  empty = teren_store_digest_list_bucket (fixture->store, 9, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (empty->len, ==, 0);
}

/* The repair writes the server's records whatever the local rev, purges what the server
 * says is missing, keeps records with a waiting operation, ignores records not asked for;
 * a malformed answer changes nothing. */
static void
test_apply_fetch (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *lost = id_in_bucket (5);      /* deleted from the base outside Teren */
  g_autofree char *stale = id_in_bucket (5);     /* rev corrupted */
  g_autofree char *gone = id_in_bucket (5);      /* the server no longer shows it */
  g_autofree char *edited = id_in_bucket (5);    /* a local edit waits */
  g_autofree char *other = id_in_bucket (6);     /* untouched */
  g_autofree char *unasked = id_in_bucket (5);
  g_autofree char *p1 = pulled_person (lost, 2, FALSE, "Ana");
  g_autofree char *p2 = pulled_person (stale, 3, FALSE, "Bia");
  g_autofree char *p3 = pulled_person (gone, 1, FALSE, "Cati");
  g_autofree char *p4 = pulled_person (edited, 1, FALSE, "Dana");
  g_autofree char *p5 = pulled_person (other, 1, FALSE, "Ema");
  g_autofree char *all = g_strjoin (",", p1, p2, p3, p4, p5, NULL);
  g_autofree char *f1 = pulled_person (lost, 2, FALSE, "Ana");
  g_autofree char *f2 = pulled_person (stale, 3, FALSE, "Bia");
  g_autofree char *f4 = pulled_person (edited, 2, FALSE, "Dana Server");
  g_autofree char *f6 = pulled_person (unasked, 1, FALSE, "Fana");
  g_autofree char *answer_json = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *other_before = NULL;
  g_autofree char *other_after = NULL;
  g_autofree char *oplog_before = NULL;
  g_autofree char *oplog_after = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(TerenRecord) saved = NULL;
  g_autoptr(TerenRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  TerenDigestRepair repair = { 0, 0, 0 };
  gboolean fixed = FALSE;
  const char *asked[] = { lost, stale, gone, edited, NULL };
  const char *bad[] = {
    "{}",
    "{\"records\":{}}",
    "{\"records\":[1]}",
    "{\"records\":[{\"id\":\"x\",\"kind\":\"person\"}]}",
    "{\"records\":[{\"id\":\"x\",\"kind\":\"person\",\"rev\":0}]}",
    "{\"records\":[],\"missing\":[3]}",
    "{\"records\":[],\"missing\":{}}",
  };
  sqlite3 *db;
  guint i;

  pull (fixture->store, all, "", "c1");
  json_object_set_string_member (fields, "first_name", "Dana Local");
  saved = teren_store_save (fixture->store, "person", "", edited, fields, NULL, NULL, &error);
  g_assert_no_error (error);

  db = test_db_open (fixture->dir, FALSE);
  sql = g_strdup_printf ("DELETE FROM base WHERE id = '%s'", lost);
  test_db_exec (db, sql);
  g_free (sql);
  sql = g_strdup_printf ("UPDATE base SET rev = 7 WHERE id = '%s'", stale);
  test_db_exec (db, sql);
  g_free (sql);
  sql = g_strdup_printf ("SELECT id || rev || fields FROM base WHERE id = '%s'", other);
  other_before = test_db_text (db, sql);
  oplog_before = test_db_text (db, "SELECT group_concat (change_id || state || patch) FROM oplog");
  sqlite3_close (db);
  g_assert_true (teren_store_digest_verify (fixture->store, &fixed, &error));
  g_assert_true (fixed);

  /* Malformed answers change nothing. */
  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonObject) bad_answer = parse (bad[i]);
      g_autoptr(GError) bad_error = NULL;

      g_assert_false (teren_store_digest_apply_fetch (fixture->store, asked, bad_answer, &repair, &bad_error));
      g_assert_error (bad_error, TEREN_ERROR, TEREN_ERROR_BAD_JSON);
      g_assert_cmpuint (repair.written + repair.removed + repair.kept, ==, 0);
    }
  db = test_db_open (fixture->dir, TRUE);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM base WHERE id = '%s'", lost);
  g_assert_cmpint (test_db_int (db, sql), ==, 0);
  sqlite3_close (db);

  answer_json = g_strdup_printf ("{\"records\":[%s,%s,%s,%s],\"missing\":[\"%s\"],\"server_time\":\"x\"}",
                                 f1, f2, f4, f6, gone);
  answer = parse (answer_json);
  g_assert_true (teren_store_digest_apply_fetch (fixture->store, asked, answer, &repair, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (repair.written, ==, 2);
  g_assert_cmpuint (repair.removed, ==, 1);
  g_assert_cmpuint (repair.kept, ==, 1);

  record = teren_store_get_record (fixture->store, lost, &error);
  g_assert_no_error (error);
  g_assert_nonnull (record);
  g_assert_cmpint (teren_record_get_rev (record), ==, 2);
  g_assert_cmpstr (teren_record_get_string (record, "first_name"), ==, "Ana");
  g_clear_object (&record);
  record = teren_store_get_record (fixture->store, stale, &error);
  g_assert_cmpint (teren_record_get_rev (record), ==, 3);
  g_clear_object (&record);
  g_assert_null (teren_store_get_record (fixture->store, gone, NULL));
  g_assert_null (teren_store_get_record (fixture->store, unasked, NULL));
  /* The waiting edit is untouched: base rev 1, shown with the local value. */
  record = teren_store_get_record (fixture->store, edited, &error);
  g_assert_cmpint (teren_record_get_rev (record), ==, 1);
  g_assert_cmpstr (teren_record_get_string (record, "first_name"), ==, "Dana Local");

  db = test_db_open (fixture->dir, TRUE);
  g_free (sql);
  sql = g_strdup_printf ("SELECT id || rev || fields FROM base WHERE id = '%s'", other);
  other_after = test_db_text (db, sql);
  oplog_after = test_db_text (db, "SELECT group_concat (change_id || state || patch) FROM oplog");
  sqlite3_close (db);
  g_assert_cmpstr (other_after, ==, other_before);
  g_assert_cmpstr (oplog_after, ==, oplog_before);

  {
    const char *ids[] = { lost, stale, edited, other, NULL };
    const gint64 revs[] = { 2, 3, 1, 1 };

    assert_digest (fixture->store, ids, revs);
  }
  g_assert_true (teren_store_digest_verify (fixture->store, &fixed, &error));
  g_assert_false (fixed);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store-digest/hash-vectors", test_hash_vectors);
  g_test_add_func ("/store-digest/hex", test_hex);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/store-digest/running", test_running);
  ADD ("/store-digest/migration-and-verify", test_migration_and_verify);
  ADD ("/store-digest/list-bucket", test_list_bucket);
  ADD ("/store-digest/apply-fetch", test_apply_fetch);
#undef ADD

  return g_test_run ();
}
