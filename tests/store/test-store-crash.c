/* test-store-crash.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Crash test (issue #2): a child process — this program re-run with --crash-child — opens
 * the store, types drafts and saves persons in a loop, reporting on stdout each draft and
 * each save after the call returned. The parent kills it with SIGKILL at a random moment,
 * 50 times, re-opening the same store each time, and checks that every save reported as
 * committed is there, the last draft being typed is recovered, and PRAGMA integrity_check
 * is "ok". */

#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "teren-error.h"
#include "teren-json.h"
#include "teren-store.h"
#include "teren-store-test-util.h"

#define N_KILLS 50
#define DRAFT_VERSIONS 3
/* The child is killed this long after it was ready (milliseconds). */
#define MIN_DELAY_MS 0
#define MAX_DELAY_MS 150

/* ---- Child ------------------------------------------------------------------------- */

static void
report (const char *format,
        ...) G_GNUC_PRINTF (1, 2);

static void
report (const char *format,
        ...)
{
  g_autofree char *line = NULL;
  va_list args;
  gsize done = 0;
  gsize length;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);

  /* One write per line: a kill never leaves half a line that looks whole. */
  length = strlen (line);
  while (done < length)
    {
      ssize_t n = write (STDOUT_FILENO, line + done, length - done);

      if (n <= 0)
        _exit (4);
      done += (gsize) n;
    }
}

static int
crash_child (const char *dir,
             const char *run)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenStore) store = NULL;
  guint i;

  g_log_writer_default_set_use_stderr (TRUE);

  store = teren_store_open (dir, &error);
  if (store == NULL)
    {
      report ("E %s\n", error->message);
      return 3;
    }
  report ("R\n");

  for (i = 0; ; i++)
    {
      g_autofree char *key = g_strdup_printf ("form-%s-%u", run, i);
      g_autofree char *name = g_strdup_printf ("K%sx%u", run, i);
      g_autoptr(JsonObject) fields = NULL;
      g_autoptr(TerenRecord) record = NULL;
      guint v;

      /* The worker types the form; the form saves a draft after each change. */
      for (v = 1; v <= DRAFT_VERSIONS; v++)
        {
          g_autoptr(JsonObject) draft = json_object_new ();
          g_autofree char *typed = g_strndup (name, strlen (name) * v / DRAFT_VERSIONS);

          json_object_set_string_member (draft, "last_name", "Crash");
          json_object_set_string_member (draft, "first_name", typed);
          json_object_set_int_member (draft, "version", v);
          if (!teren_store_put_draft (store, key, "person", "", NULL, draft, &error))
            {
              report ("E %s\n", error->message);
              return 3;
            }
          report ("D %s %u\n", key, v);
        }

      fields = test_person_fields ("Crash", name, i % 2 ? "F" : "M", NULL, NULL);
      record = teren_store_save (store, "person", "", NULL, fields, key, NULL, &error);
      if (record == NULL)
        {
          report ("E %s\n", error->message);
          return 3;
        }
      report ("S %s %s %s\n", key, name, teren_record_get_id (record));
    }

  return 0;
}

/* ---- Parent ------------------------------------------------------------------------ */

typedef struct
{
  char *key;
  char *name;
  char *id;
} Saved;

static void
saved_free (gpointer data)
{
  Saved *saved = data;

  g_free (saved->key);
  g_free (saved->name);
  g_free (saved->id);
  g_free (saved);
}

typedef struct
{
  GPtrArray  *saved;         /* Saved, every run */
  GHashTable *saved_keys;    /* key → Saved */
  guint       n_draft_checks;
  guint       n_ready;
} State;

static void
check_store (const char *dir,
             State      *state,
             const char *last_draft_key,
             guint       last_draft_version)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenStore) store = NULL;
  g_autofree char *check = NULL;
  guint i;
  sqlite3 *db;

  store = teren_store_open (dir, &error);
  g_assert_no_error (error);

  /* Every save reported as committed is there, whole, and took its draft with it. */
  for (i = 0; i < state->saved->len; i++)
    {
      Saved *saved = state->saved->pdata[i];
      g_autoptr(TerenRecord) record = teren_store_get_record (store, saved->id, &error);
      g_autoptr(JsonObject) draft = NULL;

      g_assert_no_error (error);
      g_assert_false (teren_record_get_deleted (record));
      g_assert_cmpstr (teren_record_get_string (record, "first_name"), ==, saved->name);
      g_assert_cmpstr (teren_record_get_string (record, "last_name"), ==, "Crash");
      g_assert_cmpuint (teren_store_get_sync_state (store, saved->id, NULL, NULL), ==,
                        TEREN_RECORD_WAITING);

      draft = teren_store_get_draft (store, saved->key, NULL, NULL, NULL, &error);
      g_assert_null (draft);
      g_assert_error (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND);
      g_clear_error (&error);
    }
  g_assert_cmpuint (teren_store_count (store, "person"), >=, state->saved->len);
  g_assert_cmpuint (teren_store_count_pending (store), ==, teren_store_count (store, "person"));

  /* The draft being typed when the child died: there with at least what was reported,
   * unless its save committed just before the kill (then the person is there). */
  if (last_draft_key != NULL)
    {
      g_autoptr(JsonObject) draft = teren_store_get_draft (store, last_draft_key, NULL, NULL, NULL, &error);

      if (draft != NULL)
        {
          g_assert_cmpint (teren_json_get_int (draft, "version", 0), >=, last_draft_version);
          g_assert_cmpstr (teren_json_get_string (draft, "last_name", NULL), ==, "Crash");
          state->n_draft_checks++;
        }
      else
        {
          g_autofree char *name = NULL;
          g_autoptr(GPtrArray) ids = NULL;
          const char *run_and_i = last_draft_key + strlen ("form-");
          const char *dash = strrchr (run_and_i, '-');

          g_assert_error (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND);
          g_clear_error (&error);
          g_assert_cmpuint (last_draft_version, ==, DRAFT_VERSIONS);
          name = g_strdup_printf ("K%.*sx%s", (int) (dash - run_and_i), run_and_i, dash + 1);
          ids = teren_store_find_by_field (store, "person", "first_name", name, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (ids->len, ==, 1);
        }
    }

  g_assert_true (teren_store_check_integrity (store, &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  db = test_db_open (dir, TRUE);
  check = test_db_text (db, "PRAGMA integrity_check");
  g_assert_cmpstr (check, ==, "ok");
  sqlite3_close (db);
}

static void
run_once (const char *dir,
          guint       run,
          State      *state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  GInputStream *stream;
  g_autofree char *run_text = g_strdup_printf ("%u", run);
  g_autofree char *last_draft_key = NULL;
  g_auto(GStrv) lines = NULL;
  guint last_draft_version = 0;
  guint delay_ms = (guint) g_test_rand_int_range (MIN_DELAY_MS, MAX_DELAY_MS + 1);
  guint i;

  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                            "/proc/self/exe", "--crash-child", dir, run_text, NULL);
  g_assert_no_error (error);
  stream = g_subprocess_get_stdout_pipe (child);

  /* Most kills land while the child works: wait for it to have the store open (slow
   * under sanitizers). Every fifth run kills it at any moment, opening included. */
  if (run % 5 != 4)
    {
      char c = 0;

      while (c != '\n')
        {
          gssize n = g_input_stream_read (stream, &c, 1, NULL, &error);

          g_assert_no_error (error);
          if (n <= 0)
            g_error ("the child ended before it was ready");
          g_string_append_c (out, c);
        }
    }

  g_usleep (delay_ms * 1000);
  g_subprocess_send_signal (child, SIGKILL);
  for (;;)
    {
      char buffer[4096];
      gssize n = g_input_stream_read (stream, buffer, sizeof buffer, NULL, &error);

      g_assert_no_error (error);
      if (n <= 0)
        break;
      g_string_append_len (out, buffer, n);
    }
  g_assert_true (g_subprocess_wait (child, NULL, &error));
  g_assert_no_error (error);
  /* It died by the kill, not on its own. */
  g_assert_false (g_subprocess_get_if_exited (child));
  g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);

  lines = g_strsplit (out->str, "\n", -1);
  /* The last piece has no newline: an unfinished line, not a report. */
  for (i = 0; lines[i] != NULL && lines[i + 1] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (lines[i], " ", 4);

      if (g_strcmp0 (parts[0], "E") == 0)
        g_error ("child failed: %s", lines[i]);
      else if (g_strcmp0 (parts[0], "R") == 0)
        state->n_ready++;
      else if (g_strcmp0 (parts[0], "D") == 0 && g_strv_length (parts) == 3)
        {
          g_free (last_draft_key);
          last_draft_key = g_strdup (parts[1]);
          last_draft_version = (guint) g_ascii_strtoull (parts[2], NULL, 10);
        }
      else if (g_strcmp0 (parts[0], "S") == 0 && g_strv_length (parts) == 4)
        {
          Saved *saved = g_new0 (Saved, 1);

          saved->key = g_strdup (parts[1]);
          saved->name = g_strdup (parts[2]);
          saved->id = g_strdup (parts[3]);
          g_ptr_array_add (state->saved, saved);
          g_hash_table_insert (state->saved_keys, saved->key, saved);
          if (g_strcmp0 (last_draft_key, saved->key) == 0)
            g_clear_pointer (&last_draft_key, g_free);
        }
      else
        g_error ("unexpected line from the child: %s", lines[i]);
    }

  g_test_message ("run %u: killed after %u ms, %u saves so far", run, delay_ms, state->saved->len);
  check_store (dir, state, last_draft_key, last_draft_version);
}

static void
test_crash (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("teren-crash-XXXXXX", &error);
  State state = { 0 };
  guint run;

  g_assert_no_error (error);
  state.saved = g_ptr_array_new_with_free_func (saved_free);
  state.saved_keys = g_hash_table_new (g_str_hash, g_str_equal);

  for (run = 0; run < N_KILLS; run++)
    run_once (dir, run, &state);

  g_test_message ("%u saves reported, %u drafts recovered, %u children got the store open",
                  state.saved->len, state.n_draft_checks, state.n_ready);
  /* The test is only worth something if the kills hit a working child. */
  g_assert_cmpuint (state.n_ready, >, 0);
  g_assert_cmpuint (state.saved->len, >, 0);
  g_assert_cmpuint (state.n_draft_checks, >, 0);

  g_hash_table_unref (state.saved_keys);
  g_ptr_array_unref (state.saved);
  test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 4 && strcmp (argv[1], "--crash-child") == 0)
    return crash_child (argv[2], argv[3]);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/crash/sigkill-50", test_crash);

  return g_test_run ();
}
