/* teren-memory.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "teren-memory.h"

/* Quiet time before trimming: a burst of searches as you type or a load followed by its
 * rows' first reads ends first. */
#define TRIM_DELAY_MS 1500
/* ... but a burst that never stops (a list scrolled from top to bottom) is trimmed this
 * long after its first call, and again after as long, so what it freed does not wait for
 * its end. */
#define TRIM_MAX_WAIT_MS 5000

typedef struct
{
  TerenMemoryReleaseFunc func;
  gpointer               user_data;
} ReleaseFunc;

G_LOCK_DEFINE_STATIC (trim);
static guint trim_source;
static gint64 trim_deadline;    /* monotonic µs; the source runs no earlier */
static gint64 trim_first;       /* monotonic µs of the first request since the last trim */
static GArray *release_funcs;   /* ReleaseFunc, under the lock */
#ifdef __GLIBC__
static GThreadPool *trim_pool;  /* one thread, made at the first trim */
#endif

static gboolean trim_cb (gpointer data);

#ifdef __GLIBC__
static void
trim_thread (gpointer data,
             gpointer user_data)
{
  /* Every arena: free pages inside the heaps are handed back too (madvise). */
  malloc_trim (0);
}

/* malloc_trim() walks every arena's heap: 1 to 8 ms with a large store's, which the main
 * loop would spend between two frames of a scroll. Its own thread locks one arena at a
 * time, so the main loop waits at most for a piece of its own. */
static void
trim_in_thread (void)
{
  G_LOCK (trim);
  if (trim_pool == NULL)
    trim_pool = g_thread_pool_new (trim_thread, NULL, 1, FALSE, NULL);
  /* One already waiting gives back what this one would. */
  if (g_thread_pool_unprocessed (trim_pool) == 0)
    g_thread_pool_push (trim_pool, GUINT_TO_POINTER (1), NULL);
  G_UNLOCK (trim);
}
#endif

/* Under the lock. */
static void
arm_trim (guint delay_ms)
{
  trim_source = g_timeout_add_full (G_PRIORITY_LOW, delay_ms, trim_cb, NULL, NULL);
  g_source_set_name_by_id (trim_source, "[teren] malloc_trim");
}

static gboolean
trim_cb (gpointer data)
{
  gint64 now = g_get_monotonic_time ();

  G_LOCK (trim);
  /* Asked again meanwhile: wait for the rest of the quiet time. */
  if (now < trim_deadline && now - trim_first < TRIM_MAX_WAIT_MS * G_TIME_SPAN_MILLISECOND)
    {
      arm_trim ((guint) ((trim_deadline - now + 999) / 1000));
      G_UNLOCK (trim);
      return G_SOURCE_REMOVE;
    }
  trim_source = 0;
  trim_first = 0;
  /* Under the lock, so that a store cannot go away meanwhile. */
  for (guint i = 0; release_funcs != NULL && i < release_funcs->len; i++)
    {
      ReleaseFunc *release = &g_array_index (release_funcs, ReleaseFunc, i);

      release->func (release->user_data);
    }
  G_UNLOCK (trim);
#ifdef __GLIBC__
  trim_in_thread ();
#endif
  return G_SOURCE_REMOVE;
}

void
teren_memory_trim_soon (void)
{
  /* Called for every row made while scrolling: only the deadline moves; the one source
   * waits again for what is left of it when it runs. */
  G_LOCK (trim);
  trim_deadline = g_get_monotonic_time () + TRIM_DELAY_MS * G_TIME_SPAN_MILLISECOND;
  if (trim_first == 0)
    trim_first = g_get_monotonic_time ();
  if (trim_source == 0)
    arm_trim (TRIM_DELAY_MS);
  G_UNLOCK (trim);
}

void
teren_memory_add_release_func (TerenMemoryReleaseFunc func,
                               gpointer               user_data)
{
  ReleaseFunc release = { func, user_data };

  G_LOCK (trim);
  if (release_funcs == NULL)
    release_funcs = g_array_new (FALSE, FALSE, sizeof (ReleaseFunc));
  g_array_append_val (release_funcs, release);
  G_UNLOCK (trim);
}

void
teren_memory_remove_release_func (TerenMemoryReleaseFunc func,
                                  gpointer               user_data)
{
  G_LOCK (trim);
  for (guint i = 0; release_funcs != NULL && i < release_funcs->len; i++)
    {
      ReleaseFunc *release = &g_array_index (release_funcs, ReleaseFunc, i);

      if (release->func == func && release->user_data == user_data)
        {
          g_array_remove_index_fast (release_funcs, i);
          break;
        }
    }
  G_UNLOCK (trim);
}
