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

static gboolean trim_cb (gpointer data);

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
  /* Every arena: free pages inside the heaps are handed back too (madvise). */
  malloc_trim (0);
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
