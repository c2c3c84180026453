/* test-memory.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* teren-memory: the delayed trim calls the release functions once, after the last call
 * of a burst (also one spread over more than the quiet time), and no more once removed; a
 * store's idle connections give their page caches back then, and the next read finds its
 * records as before; malloc_trim() itself runs on a thread that is not the main loop's
 * (seen by wrapping it: -Wl,--wrap=malloc_trim, meson.build). */

#include "config.h"

#include <malloc.h>

#include <sqlite3.h>

#include "teren-memory.h"
#include "teren-store.h"
#include "teren-store-test-util.h"

#define N_PERSONS 3000

int __real_malloc_trim (size_t pad);
int __wrap_malloc_trim (size_t pad);

static gint n_trims;
static gint n_trims_on_main;
static GThread *main_thread;

int
__wrap_malloc_trim (size_t pad)
{
  if (g_thread_self () == main_thread)
    g_atomic_int_inc (&n_trims_on_main);
  g_atomic_int_inc (&n_trims);
  return __real_malloc_trim (pad);
}

typedef struct
{
  guint         n_calls;
  sqlite3_int64 sqlite_used;   /* SQLite's heap when the function ran */
  gint64        called_at;     /* monotonic time of the last call */
} Seen;

static void
count_cb (gpointer user_data)
{
  Seen *seen = user_data;

  seen->n_calls++;
  seen->sqlite_used = sqlite3_memory_used ();
  seen->called_at = g_get_monotonic_time ();
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the default main context until @seen was called @n_calls times or @seconds passed. */
static void
wait_calls (Seen  *seen,
            guint  n_calls,
            guint  seconds)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add_seconds (seconds, timeout_cb, &expired);

  while (!expired && seen->n_calls < n_calls)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
}

static void
test_release_funcs (void)
{
  Seen seen = { 0 };
  guint i;

  teren_memory_add_release_func (count_cb, &seen);
  /* A burst: one trim after the last call. */
  for (i = 0; i < 5; i++)
    teren_memory_trim_soon ();
  wait_calls (&seen, 1, 10);
  g_assert_cmpuint (seen.n_calls, ==, 1);
  /* Nothing more comes of that burst. */
  wait_calls (&seen, 2, 3);
  g_assert_cmpuint (seen.n_calls, ==, 1);

  teren_memory_remove_release_func (count_cb, &seen);
  teren_memory_trim_soon ();
  wait_calls (&seen, 2, 3);
  g_assert_cmpuint (seen.n_calls, ==, 1);
}

static gboolean
ask_again_cb (gpointer user_data)
{
  gint64 *asked_at = user_data;

  *asked_at = g_get_monotonic_time ();
  teren_memory_trim_soon ();
  return G_SOURCE_REMOVE;
}

/* Calls spread over more than the quiet time (as rows made while scrolling): the trim waits
 * for the quiet time after the last one, and runs once. */
static void
test_release_postponed (void)
{
  Seen seen = { 0 };
  gint64 asked_at[3] = { 0 };
  guint i;

  teren_memory_add_release_func (count_cb, &seen);
  teren_memory_trim_soon ();
  for (i = 0; i < G_N_ELEMENTS (asked_at); i++)
    g_timeout_add (700 * (i + 1), ask_again_cb, &asked_at[i]);
  wait_calls (&seen, 1, 10);
  g_assert_cmpuint (seen.n_calls, ==, 1);
  for (i = 0; i < G_N_ELEMENTS (asked_at); i++)
    g_assert_cmpint (asked_at[i], >, 0);
  g_assert_cmpint (seen.called_at, >=, asked_at[2] + 1500 * G_TIME_SPAN_MILLISECOND);
  wait_calls (&seen, 2, 3);
  g_assert_cmpuint (seen.n_calls, ==, 1);
  teren_memory_remove_release_func (count_cb, &seen);
}

static gboolean
keep_asking_cb (gpointer user_data)
{
  guint *n_asked = user_data;

  teren_memory_trim_soon ();
  return ++*n_asked < 27 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* Calls that never leave the quiet time (a list scrolled from top to bottom for 8 s): what
 * they freed is trimmed 5 to 7 s after the first, while they go on, and once more after
 * the last. */
static void
test_release_during_long_burst (void)
{
  Seen seen = { 0 };
  guint n_asked = 0;
  gint64 start = g_get_monotonic_time ();

  teren_memory_add_release_func (count_cb, &seen);
  teren_memory_trim_soon ();
  g_timeout_add (300, keep_asking_cb, &n_asked);
  wait_calls (&seen, 1, 12);
  g_assert_cmpuint (seen.n_calls, ==, 1);
  g_assert_cmpuint (n_asked, <, 27);
  g_assert_cmpint (seen.called_at - start, >=, 5000 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (seen.called_at - start, <=, 7000 * G_TIME_SPAN_MILLISECOND);

  wait_calls (&seen, 2, 12);
  g_assert_cmpuint (n_asked, ==, 27);
  g_assert_cmpuint (seen.n_calls, ==, 2);
  teren_memory_remove_release_func (count_cb, &seen);
}

static void
note_trims_cb (gpointer user_data)
{
  gint *at_release = user_data;

  *at_release = g_atomic_int_get (&n_trims);
}

/* The release functions run on the main loop, then malloc_trim() on its own thread, which
 * the main loop does not wait for. Counted from when the release functions ran: the
 * previous test's trim may still be waiting on that thread when this one begins (it then
 * stands for this one's too). */
static void
test_trim_in_thread (void)
{
  Seen seen = { 0 };
  gint at_release = -1;
  gint64 end;

  teren_memory_add_release_func (count_cb, &seen);
  teren_memory_add_release_func (note_trims_cb, &at_release);
  teren_memory_trim_soon ();
  wait_calls (&seen, 1, 10);
  g_assert_cmpuint (seen.n_calls, ==, 1);
  g_assert_cmpint (at_release, >=, 0);
  end = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  while (g_atomic_int_get (&n_trims) == at_release && g_get_monotonic_time () < end)
    g_usleep (10 * 1000);
  g_assert_cmpint (g_atomic_int_get (&n_trims), >, at_release);
  g_assert_cmpint (g_atomic_int_get (&n_trims_on_main), ==, 0);
  teren_memory_remove_release_func (note_trims_cb, &at_release);
  teren_memory_remove_release_func (count_cb, &seen);
}

static void
test_store_idle_readers (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("teren-memory-XXXXXX", &error);
  g_autoptr(TerenStore) store = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) again = NULL;
  Seen seen = { 0 };
  sqlite3_int64 before;
  guint i;

  g_assert_no_error (error);
  store = teren_store_open (dir, &error);
  g_assert_no_error (error);

  g_assert_true (teren_store_begin (store, &error));
  g_assert_no_error (error);
  for (i = 0; i < N_PERSONS; i++)
    {
      g_autofree char *last = g_strdup_printf ("Popescu%04u", i);
      g_autoptr(JsonObject) fields = test_person_fields (last, "Ion", "M", NULL, NULL);
      g_autoptr(TerenRecord) saved = teren_store_save (store, "person", NULL, NULL, fields,
                                                       NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (saved);
    }
  g_assert_true (teren_store_commit (store, &error));
  g_assert_no_error (error);

  /* Every record read through a read-only connection fills its page cache. */
  ids = teren_store_list_ids (store, "person", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, N_PERSONS);
  for (i = 0; i < ids->len; i++)
    {
      g_autoptr(TerenRecord) record = teren_store_get_record (store, ids->pdata[i], &error);

      g_assert_no_error (error);
      g_assert_nonnull (record);
    }
  before = sqlite3_memory_used ();

  /* Added after the store's: runs after it. */
  teren_memory_add_release_func (count_cb, &seen);
  teren_memory_trim_soon ();
  wait_calls (&seen, 1, 10);
  teren_memory_remove_release_func (count_cb, &seen);
  g_assert_cmpuint (seen.n_calls, ==, 1);
  g_test_message ("SQLite heap %lld -> %lld bytes", (long long) before, (long long) seen.sqlite_used);
  /* The records' pages (several hundred KiB) are no longer held. */
  g_assert_cmpint (seen.sqlite_used, <, before - 256 * 1024);

  /* Reads work as before, from the file. */
  again = teren_store_list_ids (store, "person", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->len, ==, N_PERSONS);
  for (i = 0; i < again->len; i += 97)
    {
      g_autoptr(TerenRecord) record = teren_store_get_record (store, again->pdata[i], &error);

      g_assert_no_error (error);
      g_assert_cmpstr (teren_record_get_id (record), ==, ids->pdata[i]);
    }

  g_clear_object (&store);
  test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  main_thread = g_thread_self ();
  g_test_add_func ("/memory/release-funcs", test_release_funcs);
  g_test_add_func ("/memory/release-postponed", test_release_postponed);
  g_test_add_func ("/memory/release-during-long-burst", test_release_during_long_burst);
  g_test_add_func ("/memory/trim-in-thread", test_trim_in_thread);
  g_test_add_func ("/memory/store-idle-readers", test_store_idle_readers);
  return g_test_run ();
}
