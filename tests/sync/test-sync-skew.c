/* test-sync-skew.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "teren-date.h"
#include "teren-store-report.h"
#include "teren-store-sync.h"
#include "teren-sync-test-util.h"

/* SYNC-NOTES S16: laptops whose clocks are wrong. Two laptops (ana, maria) edit the same
 * persons with a seeded workload, each step in processes of their own under libfaketime
 * (the Debian package faketime): the edits are saved by this program started again with
 * --edit, then the real teren-cli sends and pulls them. The workload runs three times,
 * each against a new server:
 *   - no skew;
 *   - ana's clock a day behind, maria's a year ahead;
 *   - both clocks jumping backwards in the middle of every step (a day, then hours, a
 *     little further each step), between two saves and before the sync.
 * The final state must be the same every time: the server's records (pulled by a fresh
 * laptop without skew), each laptop's records and each laptop's conflict items (records
 * named by their people, not by their random ids; times left out). SYNC.md: the server
 * orders by its own revisions; device time is recorded and shown, never compared.
 * The monotonic clock is left alone (DONT_FAKE_MONOTONIC=1): a wrong wall clock does not
 * make a computer's uptime wrong. The seed is printed; TEREN_TEST_SEED replays a run.
 * Also: teren-cli status and the Due computation still work once the clock went back past
 * the last sync; and after a server restore, what a laptop offers again from its archive
 * goes in the order it was acknowledged even when its clock went back in between. */

#define N_PERSONS      6
#define N_STEPS        10     /* 0: ana creates, 1: maria's first pull, then turns */
#define EDITS_PER_STEP 3

#define FAKETIME_LIB "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1"

typedef enum {
  SKEW_NONE,
  SKEW_FIXED,     /* ana −1 d, maria +1 y */
  SKEW_JUMPING,   /* both jump backwards mid-step */
} Skew;

static const char * const skew_names[] = { "none", "fixed", "jumping" };

typedef struct {
  const char *user;
  char        letter;     /* 'A' or 'B' */
  char       *config;     /* XDG_CONFIG_HOME of its teren-cli */
  char       *data;       /* its store */
  char       *clock;      /* FAKETIME_TIMESTAMP_FILE when jumping */
  const char *fixed;      /* FAKETIME when fixed */
} Device;

typedef struct {
  TerenTestServer *server;
  char            *root;
  Skew             skew;
  guint32          seed;
  Device           devices[2];
} Run;

/* ---- The edits, in a process of their own (--edit) ----------------------------------- */

/* The id of the person whose last name is @label, or NULL. (transfer full) */
static char *
person_id (const char *db_path,
           const char *label)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *id = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT id FROM record WHERE kind = 'person' AND deleted = 0 "
                                           "AND json_extract (fields, '$.last_name') = ?1", -1, &stmt,
                                       NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, label, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return id;
}

static void
edit_once (TerenStore *store,
           GRand      *rand,
           char        letter,
           guint       step,
           guint       k)
{
  g_autofree char *db_path = g_build_filename (teren_store_get_data_dir (store), TEREN_STORE_DB_NAME, NULL);
  g_autofree char *label = g_strdup_printf ("P%02d", g_rand_int_range (rand, 0, N_PERSONS));
  g_autofree char *id = person_id (db_path, label);
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(TerenRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  gboolean name = g_rand_int_range (rand, 0, 3) > 0;
  gboolean male = g_rand_boolean (rand);
  g_autofree char *value = g_strdup_printf ("%c%u-%u", letter, step, k);

  g_assert_nonnull (id);
  if (name)
    json_object_set_string_member (fields, "first_name", value);
  else
    json_object_set_string_member (fields, "sex", male ? "M" : "F");
  record = teren_store_save (store, "person", "", id, fields, NULL, NULL, &error);
  g_assert_no_error (error);
}

/* Moves this process's wall clock (FAKETIME_TIMESTAMP_FILE, read at every call). */
static void
set_clock (const char *path,
           const char *offset)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, offset, -1, &error);
  g_assert_no_error (error);
}

/* --edit DATA_DIR LETTER STEP SEED [CLOCK_FILE JUMP]: the step's saves; with a clock
 * file, the clock jumps to JUMP after the first save. Prints this process's wall clock
 * (seconds) before the saves, for the parent to check the skew took. */
static int
edit_main (int    argc,
           char **argv)
{
  g_autoptr(TerenStore) store = NULL;
  g_autoptr(GRand) rand = NULL;
  g_autoptr(GError) error = NULL;
  char letter;
  guint step, k;
  guint32 seed;

  g_assert_true (argc == 6 || argc == 8);
  letter = argv[3][0];
  step = (guint) g_ascii_strtoull (argv[4], NULL, 10);
  seed = (guint32) g_ascii_strtoull (argv[5], NULL, 10);
  g_print ("%" G_GINT64_FORMAT "\n", g_get_real_time () / G_USEC_PER_SEC);

  store = teren_store_open (argv[2], &error);
  g_assert_no_error (error);
  /* Each step draws from its own sequence: the same edits whatever happened before. */
  rand = g_rand_new_with_seed (seed ^ (step * 7919u) ^ (guint32) letter);

  if (step == 0)
    {
      for (k = 0; k < N_PERSONS; k++)
        {
          g_autofree char *label = g_strdup_printf ("P%02u", k);

          g_free (test_save_person_with_case (store, label, "Ana"));
        }
      return 0;
    }
  for (k = 0; k < EDITS_PER_STEP; k++)
    {
      edit_once (store, rand, letter, step, k);
      if (k == 0 && argc == 8)
        set_clock (argv[6], argv[7]);
    }
  /* One clash for sure, whatever the seed: ana (step 2) and maria (step 3, before she
   * pulled ana's) write P00's first name from the same base, last in their steps. */
  if (step == 2 || step == 3)
    {
      g_autofree char *db_path = g_build_filename (argv[2], TEREN_STORE_DB_NAME, NULL);
      g_autofree char *id = person_id (db_path, "P00");
      g_autoptr(JsonObject) fields = json_object_new ();
      g_autoptr(TerenRecord) record = NULL;

      json_object_set_string_member (fields, "first_name", step == 2 ? "A-clash" : "B-clash");
      record = teren_store_save (store, "person", "", id, fields, NULL, NULL, &error);
      g_assert_no_error (error);
    }
  if (step == 3)
    g_free (test_save_person_with_case (store, "Q00", "Ana"));

  /* The Due page's computation on the jumped clock: it must not fail. */
  {
    g_autoptr(GPtrArray) items = NULL;
    TerenDueFilter filter = { NULL, NULL, TEREN_DUE_LATER };
    GDate today;

    teren_date_today (&today);
    items = teren_store_due_items (store, &today, &filter, &error);
    g_assert_no_error (error);
    g_assert_nonnull (items);
  }
  return 0;
}

/* ---- The parent ------------------------------------------------------------------------ */

static GSubprocessLauncher *
device_launcher (Run    *run,
                 Device *device,
                 Skew    skew)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                             G_SUBPROCESS_FLAGS_STDERR_PIPE);

  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", device->config, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "TEREN_DATA_DIR");
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "C", TRUE);
  if (skew == SKEW_NONE)
    return launcher;

  g_subprocess_launcher_setenv (launcher, "LD_PRELOAD", FAKETIME_LIB, TRUE);
  g_subprocess_launcher_setenv (launcher, "DONT_FAKE_MONOTONIC", "1", TRUE);
  /* Under ASan the runtime would refuse a preloaded library before it. */
  g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", "verify_asan_link_order=0:detect_leaks=0", TRUE);
  if (skew == SKEW_FIXED)
    g_subprocess_launcher_setenv (launcher, "FAKETIME", device->fixed, TRUE);
  else
    {
      g_subprocess_launcher_setenv (launcher, "FAKETIME_TIMESTAMP_FILE", device->clock, TRUE);
      g_subprocess_launcher_setenv (launcher, "FAKETIME_NO_CACHE", "1", TRUE);
    }
  return launcher;
}

/* Runs @argv on @device's clock; returns its exit status, its output in @out. */
static int
device_run (Run                *run,
            Device             *device,
            const char         *stdin_text,
            char              **out,
            const char * const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = device_launcher (run, device, run->skew);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  g_autofree char *stdin_path = g_build_filename (run->root, "stdin.txt", NULL);

  g_file_set_contents (stdin_path, stdin_text != NULL ? stdin_text : "", -1, &error);
  g_assert_no_error (error);
  g_subprocess_launcher_set_stdin_file_path (launcher, stdin_path);
  proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &stdout_text, &stderr_text, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (proc) || g_subprocess_get_exit_status (proc) != 0)
    g_test_message ("%s %s: %s%s", argv[0], argv[1], stdout_text, stderr_text);
  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  return g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : -1;
}

static void
cli_ok (Run        *run,
        Device     *device,
        const char *stdin_text,
        const char *command)
{
  const char *argv[] = { g_getenv ("TEREN_CLI_BIN"), "--data-dir", device->data, command,
                         "--server", run->server->base_url, "--user", device->user, NULL };

  if (strcmp (command, "login") != 0)
    argv[4] = NULL;
  g_assert_cmpint (device_run (run, device, stdin_text, NULL, argv), ==, 0);
}

/* One step of @device's workload: its saves (a process of their own), then teren-cli sync. */
static void
step (Run    *run,
      Device *device,
      guint   number)
{
  g_autofree char *step_text = g_strdup_printf ("%u", number);
  g_autofree char *seed_text = g_strdup_printf ("%u", run->seed);
  g_autofree char *jump = NULL;
  g_autofree char *out = NULL;
  const char letter[2] = { device->letter, '\0' };
  const char *argv[] = { "/proc/self/exe", "--edit", device->data, letter, step_text, seed_text,
                         NULL, NULL, NULL };
  gint64 child_now, skew;

  if (run->skew == SKEW_JUMPING)
    {
      /* Further back at every step: ana by days, maria by hours. */
      jump = device->letter == 'A' ? g_strdup_printf ("-%ud", number) : g_strdup_printf ("-%uh", number * 3);
      argv[6] = device->clock;
      argv[7] = jump;
    }
  g_assert_cmpint (device_run (run, device, NULL, &out, argv), ==, 0);

  /* The skew took: the child's wall clock is off by what it was given (±10 min). */
  child_now = g_ascii_strtoll (out, NULL, 10);
  skew = child_now - g_get_real_time () / G_USEC_PER_SEC;
  if (run->skew == SKEW_NONE)
    g_assert_cmpint (ABS (skew), <, 600);
  else if (run->skew == SKEW_FIXED && device->letter == 'A')
    g_assert_cmpint (ABS (skew + 86400), <, 600);
  else if (run->skew == SKEW_FIXED)
    g_assert_cmpint (skew, >, 364 * 86400);

  cli_ok (run, device, NULL, "sync");
}

/* A JSON node with ids named by @labels and members ending in "_at" or naming an id left
 * out, members sorted. */
static void
append_normalized (GString    *out,
                   JsonNode   *node,
                   GHashTable *labels)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = g_list_sort (json_object_get_members (object), (GCompareFunc) strcmp);
      gboolean first = TRUE;

      g_string_append_c (out, '{');
      for (GList *l = members; l != NULL; l = l->next)
        {
          const char *name = l->data;

          if (g_str_has_suffix (name, "_at") || strcmp (name, "conflict_id") == 0 ||
              strcmp (name, "change_id") == 0 || strcmp (name, "id") == 0)
            continue;
          if (!first)
            g_string_append_c (out, ',');
          first = FALSE;
          g_string_append_printf (out, "%s:", name);
          append_normalized (out, json_object_get_member (object, name), labels);
        }
      g_string_append_c (out, '}');
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint i;

      g_string_append_c (out, '[');
      for (i = 0; i < json_array_get_length (array); i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          append_normalized (out, json_array_get_element (array, i), labels);
        }
      g_string_append_c (out, ']');
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);
      const char *label = g_hash_table_lookup (labels, text);

      g_string_append_printf (out, "\"%s\"", label != NULL ? label : text);
    }
  else
    {
      g_autofree char *text = json_to_string (node, FALSE);

      g_string_append (out, text);
    }
}

static char *
normalized_text (const char *json,
                 GHashTable *labels)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  GString *out = g_string_new (NULL);

  if (json == NULL)
    return g_string_free (out, FALSE);
  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  append_normalized (out, json_parser_get_root (parser), labels);
  return g_string_free (out, FALSE);
}

static gint
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The store's records and conflict items, by the people they are about: a person by its
 * last name, a case by its person's, anything else by its (normalized) fields. Sorted
 * lines of "kind rev fields". With @conflicts, the conflict items too. (transfer full) */
static char *
store_state (const char *data_dir,
             gboolean    conflicts)
{
  g_autofree char *path = g_build_filename (data_dir, TEREN_STORE_DB_NAME, NULL);
  g_autoptr(GHashTable) labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint i;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  /* Persons first, then cases (named by their person). */
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT id, kind, json_extract (fields, '$.last_name'), "
                                           "json_extract (fields, '$.person') FROM record "
                                           "WHERE kind IN ('person', 'case') "
                                           "ORDER BY kind = 'case'", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      const char *kind = (const char *) sqlite3_column_text (stmt, 1);
      const char *name = (const char *) sqlite3_column_text (stmt, 2);
      const char *person = (const char *) sqlite3_column_text (stmt, 3);
      char *label;

      if (strcmp (kind, "person") == 0)
        label = g_strdup_printf ("person:%s", name);
      else
        label = g_strdup_printf ("case:%s", person != NULL && g_hash_table_lookup (labels, person) != NULL
                                            ? (const char *) g_hash_table_lookup (labels, person) : "?");
      g_hash_table_insert (labels, g_strdup (id), label);
    }
  sqlite3_finalize (stmt);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT id, kind, rev, deleted, fields FROM record", -1, &stmt,
                                       NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      const char *label = g_hash_table_lookup (labels, id);
      g_autofree char *fields = normalized_text ((const char *) sqlite3_column_text (stmt, 4), labels);

      g_ptr_array_add (lines, g_strdup_printf ("%s %s rev %lld%s %s",
                                               (const char *) sqlite3_column_text (stmt, 1),
                                               label != NULL ? label : "-",
                                               (long long) sqlite3_column_int64 (stmt, 2),
                                               sqlite3_column_int (stmt, 3) ? " deleted" : "", fields));
    }
  sqlite3_finalize (stmt);

  if (conflicts)
    {
      g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT record_id, reason, field, base, server, local, "
                                               "server_by, state FROM conflict", -1, &stmt, NULL),
                       ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *label = g_hash_table_lookup (labels, sqlite3_column_text (stmt, 0));

          g_ptr_array_add (lines, g_strdup_printf ("conflict %s %s %s base=%s server=%s local=%s by %s %s",
                                                   label != NULL ? label : "?",
                                                   sqlite3_column_text (stmt, 1),
                                                   sqlite3_column_text (stmt, 2),
                                                   sqlite3_column_text (stmt, 3),
                                                   sqlite3_column_text (stmt, 4),
                                                   sqlite3_column_text (stmt, 5),
                                                   sqlite3_column_text (stmt, 6),
                                                   sqlite3_column_text (stmt, 7)));
        }
      sqlite3_finalize (stmt);
    }
  sqlite3_close (db);

  g_ptr_array_sort (lines, compare_strings);
  for (i = 0; i < lines->len; i++)
    g_string_append_printf (out, "%s\n", (char *) lines->pdata[i]);
  return g_string_free (out, FALSE);
}

/* The meta value @key of the store in @data_dir. (transfer full) */
static char *
store_meta (const char *data_dir,
            const char *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenStore) store = teren_store_open (data_dir, &error);

  g_assert_no_error (error);
  return teren_store_sync_get_meta (store, key);
}

typedef struct {
  char *server;     /* records pulled by a fresh laptop */
  char *a;          /* ana's records and conflict items */
  char *b;          /* maria's */
} Outcome;

static void
outcome_clear (Outcome *outcome)
{
  g_free (outcome->server);
  g_free (outcome->a);
  g_free (outcome->b);
}

static void
run_workload (Skew     skew,
              guint32  seed,
              Outcome *outcome)
{
  Run run = { 0 };
  g_autoptr(TerenSyncEngine) fresh = NULL;
  g_autofree char *fresh_dir = NULL;
  g_autofree char *records_a = NULL;
  g_autofree char *records_b = NULL;
  g_autofree char *last_sync = NULL;
  g_autofree char *status = NULL;
  guint i;

  g_test_message ("workload with clocks: %s", skew_names[skew]);
  run.skew = skew;
  run.seed = seed;
  test_server_fixture_set_up (&run.server, &run.root, "teren-sync-skew-XXXXXX",
                              "ana", "child", "worker", "maria", "child", "worker", NULL);
  for (i = 0; i < 2; i++)
    {
      Device *device = &run.devices[i];
      g_autofree char *name = g_strdup_printf ("%c", 'a' + i);

      device->user = i == 0 ? "ana" : "maria";
      device->letter = 'A' + i;
      device->config = g_build_filename (run.root, name, "config", NULL);
      device->data = g_build_filename (run.root, name, "data", NULL);
      device->clock = g_build_filename (run.root, name, "clock", NULL);
      device->fixed = i == 0 ? "-1d" : "+1y";
      g_assert_cmpint (g_mkdir_with_parents (device->config, 0700), ==, 0);
      set_clock (device->clock, "+0");
    }

  /* Ana signs in and creates the persons; maria signs in and pulls them; then turns. */
  cli_ok (&run, &run.devices[0], TEST_PASSWORD "\n", "login");
  step (&run, &run.devices[0], 0);
  cli_ok (&run, &run.devices[1], TEST_PASSWORD "\n", "login");
  cli_ok (&run, &run.devices[1], NULL, "sync");
  for (i = 2; i < N_STEPS; i++)
    step (&run, &run.devices[i % 2], i);
  for (i = 0; i < 4; i++)
    cli_ok (&run, &run.devices[i % 2], NULL, "sync");

  /* The server's records, pulled by a laptop with a right clock. */
  fresh = test_engine_login_ok (run.server->base_url, "ana", run.root, "fresh");
  test_sync_quiet (fresh);
  fresh_dir = g_strdup (teren_store_get_data_dir (teren_sync_engine_get_store (fresh)));
  g_clear_object (&fresh);
  outcome->server = store_state (fresh_dir, FALSE);
  outcome->a = store_state (run.devices[0].data, TRUE);
  outcome->b = store_state (run.devices[1].data, TRUE);

  /* Converged: both laptops hold the server's records. */
  records_a = store_state (run.devices[0].data, FALSE);
  records_b = store_state (run.devices[1].data, FALSE);
  g_assert_cmpstr (records_a, ==, outcome->server);
  g_assert_cmpstr (records_b, ==, outcome->server);

  /* The last sync as each laptop's clock saw it; teren-cli status still reads it after
   * the clock went back past it. */
  last_sync = store_meta (run.devices[1].data, TEREN_SYNC_META_LAST_SYNC);
  g_assert_nonnull (last_sync);
  g_test_message ("maria's last sync (her clock): %s", last_sync);
  if (skew == SKEW_FIXED)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *next_year = g_strdup_printf ("%d-", g_date_time_get_year (now) + 1);

      g_assert_true (g_str_has_prefix (last_sync, next_year));
    }
  if (skew == SKEW_JUMPING)
    {
      const char *argv[] = { g_getenv ("TEREN_CLI_BIN"), "--data-dir", run.devices[1].data, "status", NULL };

      set_clock (run.devices[1].clock, "-30d");
      g_assert_cmpint (device_run (&run, &run.devices[1], NULL, &status, argv), ==, 0);
      g_assert_nonnull (strstr (status, "Last sync: "));
      g_assert_nonnull (strstr (status, "Waiting to be sent: 0"));
    }

  teren_test_server_assert_integrity (run.server);
  for (i = 0; i < 2; i++)
    {
      g_free (run.devices[i].config);
      g_free (run.devices[i].data);
      g_free (run.devices[i].clock);
    }
  test_server_fixture_tear_down (&run.server, &run.root);
}

static void
test_skew (void)
{
  const char *seed_env = g_getenv ("TEREN_TEST_SEED");
  guint32 seed = seed_env != NULL ? (guint32) g_ascii_strtoull (seed_env, NULL, 10) : g_test_rand_int ();
  Outcome reference = { 0 };
  Skew skew;

  if (!test_need_keyring ())
    return;
  if (!g_file_test (FAKETIME_LIB, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("libfaketime is not installed (Debian package faketime)");
      return;
    }
  g_test_message ("seed %u (TEREN_TEST_SEED=%u replays it)", seed, seed);

  run_workload (SKEW_NONE, seed, &reference);
  g_test_message ("final state without skew:\n%s%s", reference.a, reference.b);
  /* The workload made conflicts, and both laptops' edits got through. */
  g_assert_nonnull (strstr (reference.b, "server=\"A-clash\" local=\"B-clash\""));
  g_assert_nonnull (strstr (reference.server, "\"B"));
  g_assert_nonnull (strstr (reference.server, "\"A"));

  for (skew = SKEW_FIXED; skew <= SKEW_JUMPING; skew++)
    {
      Outcome outcome = { 0 };

      run_workload (skew, seed, &outcome);
      g_assert_cmpstr (outcome.server, ==, reference.server);
      g_assert_cmpstr (outcome.a, ==, reference.a);
      g_assert_cmpstr (outcome.b, ==, reference.b);
      outcome_clear (&outcome);
    }
  outcome_clear (&reference);
}

/* Saves @fields as a new record in the store of @device (no clock involved: the store is
 * opened here); its id. (transfer full) */
static char *
save_new (Device     *device,
          const char *kind,
          const char *line,
          JsonObject *fields)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenStore) store = teren_store_open (device->data, &error);
  g_autoptr(TerenRecord) record = NULL;

  g_assert_no_error (error);
  record = teren_store_save (store, kind, line, NULL, fields, NULL, NULL, &error);
  g_assert_no_error (error);
  return g_strdup (teren_record_get_id (record));
}

static guint
count_rows (const char *db_path,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint n = 0;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    n++;
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

/* After a restore from an older backup the laptop offers again, from its archive, what
 * the server forgot (SYNC.md "Integrity digest"), in the order the server acknowledged
 * it — not in the order of the laptop's clock at the time: a person acknowledged, then
 * the clock set back a day, then her case acknowledged. The case must not go first and be
 * refused for a person the server does not have. */
static void
test_reoffer_after_clock_went_back (void)
{
  Run run = { 0 };
  Device *device = &run.devices[0];
  g_autofree char *copy = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *out = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *person = NULL;
  g_autofree char *kase = NULL;
  g_autofree char *server_records = NULL;
  g_autofree char *laptop_records = NULL;
  g_autoptr(TerenSyncEngine) fresh = NULL;
  g_autoptr(JsonObject) person_fields = test_person ("Stan", "Maria");
  g_autoptr(JsonObject) case_fields = NULL;
  guint i;

  if (!test_need_keyring ())
    return;
  if (!g_file_test (FAKETIME_LIB, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("libfaketime is not installed (Debian package faketime)");
      return;
    }

  run.skew = SKEW_JUMPING;
  test_server_fixture_set_up (&run.server, &run.root, "teren-sync-skew-XXXXXX",
                              "ana", "child", "worker", NULL);
  listen = g_strdup_printf ("127.0.0.1:%u", run.server->port);
  copy = g_build_filename (run.root, "backup.db", NULL);
  device->user = "ana";
  device->letter = 'A';
  device->config = g_build_filename (run.root, "a", "config", NULL);
  device->data = g_build_filename (run.root, "a", "data", NULL);
  device->clock = g_build_filename (run.root, "a", "clock", NULL);
  g_assert_cmpint (g_mkdir_with_parents (device->config, 0700), ==, 0);
  set_clock (device->clock, "+0");
  db_path = g_build_filename (device->data, TEREN_STORE_DB_NAME, NULL);

  cli_ok (&run, device, TEST_PASSWORD "\n", "login");
  cli_ok (&run, device, NULL, "sync");
  g_assert_cmpint (teren_test_server_clif (run.server, NULL, NULL, NULL, "backup", copy, NULL), ==, 0);

  /* The person, acknowledged; the clock goes back a day; her case, acknowledged. */
  person = save_new (device, "person", "", person_fields);
  cli_ok (&run, device, NULL, "sync");
  set_clock (device->clock, "-1d");
  case_fields = test_case (person);
  kase = save_new (device, "case", "child", case_fields);
  cli_ok (&run, device, NULL, "sync");
  g_assert_cmpuint (count_rows (db_path, "SELECT change_id FROM op_archive"), ==, 2);
  /* The laptop's clock put the case before the person. */
  g_assert_cmpuint (count_rows (db_path, "SELECT 1 FROM op_archive c, op_archive p WHERE c.kind = 'case' "
                                         "AND p.kind = 'person' AND c.archived_at < p.archived_at"), ==, 1);

  /* The server goes back to the copy, which has neither. */
  g_assert_cmpint (teren_test_server_term (run.server, 20), ==, 0);
  g_assert_cmpint (teren_test_server_clif (run.server, NULL, &out, NULL, "restore", copy, NULL), ==, 0);
  teren_test_server_start_listen (run.server, listen);

  for (i = 0; i < 3; i++)
    cli_ok (&run, device, NULL, "sync");

  /* Nothing refused; the server has both, as the laptop does. */
  g_assert_cmpuint (count_rows (db_path, "SELECT change_id FROM oplog WHERE state = 'quarantined'"), ==, 0);
  g_assert_cmpuint (count_rows (db_path, "SELECT change_id FROM oplog"), ==, 0);
  fresh = test_engine_login_ok (run.server->base_url, "ana", run.root, "fresh");
  test_sync_quiet (fresh);
  server_records = store_state (teren_store_get_data_dir (teren_sync_engine_get_store (fresh)), FALSE);
  g_clear_object (&fresh);
  laptop_records = store_state (device->data, FALSE);
  g_test_message ("server after the restore and three rounds:\n%s", server_records);
  /* The server applied them in the laptop's order: the person first. */
  g_assert_cmpuint (count_rows (db_path, "SELECT 1 FROM base c, base p WHERE c.kind = 'case' "
                                         "AND p.kind = 'person' AND c.seq < p.seq"), ==, 0);
  g_assert_nonnull (strstr (server_records, "case case:person:Stan"));
  g_assert_cmpstr (laptop_records, ==, server_records);

  g_free (device->config);
  g_free (device->data);
  g_free (device->clock);
  test_server_fixture_tear_down (&run.server, &run.root);
}

int
main (int    argc,
      char **argv)
{
  if (argc > 1 && strcmp (argv[1], "--edit") == 0)
    return edit_main (argc, argv);

  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("TEREN_SERVER_BIN") == NULL || g_getenv ("TEREN_CLI_BIN") == NULL)
    return 77;
  g_test_add_func ("/sync-skew/same-final-state", test_skew);
  g_test_add_func ("/sync-skew/reoffer-after-clock-went-back", test_reoffer_after_clock_went_back);
  return g_test_run ();
}
