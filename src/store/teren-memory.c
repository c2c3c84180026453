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

G_LOCK_DEFINE_STATIC (trim);
static guint trim_source;

static gboolean
trim_cb (gpointer data)
{
  G_LOCK (trim);
  trim_source = 0;
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
  G_LOCK (trim);
  g_clear_handle_id (&trim_source, g_source_remove);
  trim_source = g_timeout_add_full (G_PRIORITY_LOW, TRIM_DELAY_MS, trim_cb, NULL, NULL);
  g_source_set_name_by_id (trim_source, "[teren] malloc_trim");
  G_UNLOCK (trim);
}

