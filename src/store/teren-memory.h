/* teren-memory.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* After a bulk load (a list query, a worker's large result) the freed memory stays with
 * the C library's malloc arenas (one per worker thread) and counts in the window's resident
 * memory. Asks for it to be given back to the system once the process has been quiet for a
 * moment: calls less than 1.5 s apart (searches as you type) give one malloc_trim() after
 * the last; calls that go on for longer (rows made while a list is scrolled) give one 5 to
 * 6.5 s after the first, and so on. The quiet time is kept on the default main context;
 * the trim itself runs on a thread of its own. Any thread. No-op without glibc. */
void teren_memory_trim_soon (void);

/* Called on the default main context just before that trim, for caches that can be
 * dropped while nothing runs (SQLite page caches of idle connections: their pages are
 * malloc'd among a query's temporary objects and keep those parts of the heap from going
 * back). @func must not call teren_memory_*() and must be quick. */
typedef void (*TerenMemoryReleaseFunc) (gpointer user_data);

void teren_memory_add_release_func    (TerenMemoryReleaseFunc func,
                                       gpointer               user_data);
void teren_memory_remove_release_func (TerenMemoryReleaseFunc func,
                                       gpointer               user_data);

G_END_DECLS
