/* teren-crashpoint.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include "teren-crashpoint.h"

typedef struct {
  char    *name;
  gdouble  probability;
} CrashPoint;

typedef struct {
  GArray *points;   /* CrashPoint */
  GRand  *rand;     /* only when a probability is below 1 */
  GMutex  lock;     /* the crash points are met on several threads */
} CrashPoints;

/* What an unset variable gives: no points. */
static CrashPoints no_points;

static CrashPoints *
read_crash_points (void)
{
  const char *text = g_getenv ("TEREN_CRASHPOINT");
  g_auto(GStrv) specs = NULL;
  CrashPoints *points;
  gboolean draws = FALSE;
  guint i;

  if (text == NULL || text[0] == '\0')
    return &no_points;

  points = g_new0 (CrashPoints, 1);
  points->points = g_array_new (FALSE, FALSE, sizeof (CrashPoint));
  g_mutex_init (&points->lock);
  specs = g_strsplit (text, ",", -1);
  for (i = 0; specs[i] != NULL; i++)
    {
      char *colon = strchr (g_strstrip (specs[i]), ':');
      CrashPoint point = { NULL, 1.0 };

      if (colon != NULL)
        {
          char *end = NULL;

          *colon = '\0';
          point.probability = g_ascii_strtod (colon + 1, &end);
          if (end == colon + 1 || *end != '\0' || !(point.probability >= 0.0 && point.probability <= 1.0))
            {
              g_warning ("TEREN_CRASHPOINT: “%s” is not a probability from 0 to 1; ignored", colon + 1);
              continue;
            }
        }
      if (specs[i][0] == '\0')
        continue;
      point.name = g_strdup (specs[i]);
      draws |= point.probability < 1.0;
      g_array_append_val (points->points, point);
    }

  if (draws)
    {
      const char *seed = g_getenv ("TEREN_TEST_SEED");

      points->rand = seed != NULL ? g_rand_new_with_seed ((guint32) g_ascii_strtoull (seed, NULL, 10))
                                  : g_rand_new ();
    }
  /* Kept for the life of the process. */
  return points;
}

void
teren_crashpoint (const char *name)
{
#if TEREN_CRASHPOINTS
  static CrashPoints *crash_points = NULL;
  gboolean crash = FALSE;
  guint i;

  /* After the first call, one atomic load. */
  if (g_once_init_enter (&crash_points))
    g_once_init_leave (&crash_points, read_crash_points ());
  if (G_LIKELY (crash_points->points == NULL))
    return;

  for (i = 0; i < crash_points->points->len; i++)
    {
      CrashPoint *point = &g_array_index (crash_points->points, CrashPoint, i);

      if (strcmp (point->name, name) != 0)
        continue;
      if (point->probability >= 1.0)
        crash = TRUE;
      else if (point->probability > 0.0)
        {
          g_mutex_lock (&crash_points->lock);
          crash = g_rand_double (crash_points->rand) < point->probability;
          g_mutex_unlock (&crash_points->lock);
        }
      break;
    }

  if (crash)
    {
      /* No exit handlers, no buffered output flushed: what a kill leaves. The name goes to
       * stderr with write(2), which is all a test's log needs. */
      static const char prefix[] = "teren: crash point ";

      if (write (STDERR_FILENO, prefix, sizeof prefix - 1) < 0 ||
          write (STDERR_FILENO, name, strlen (name)) < 0 ||
          write (STDERR_FILENO, "\n", 1) < 0)
        {
          /* Nothing to do: the process ends anyway. */
        }
      _exit (TEREN_CRASHPOINT_EXIT_STATUS);
    }
#else
  /* Compiled out (-Dcrashpoints=false): the variable means nothing here. */
  (void) name;
  (void) read_crash_points;
#endif
}
