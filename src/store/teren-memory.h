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
 * moment: calls less than 1.5 s apart (searches as you type) give one malloc_trim(), on the
 * default main context, after the last. Any thread. No-op without glibc. */
void teren_memory_trim_soon (void);

G_END_DECLS
