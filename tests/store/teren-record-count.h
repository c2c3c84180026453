/* teren-record-count.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Counts the records the store makes (one per row it reads into a TerenRecord), for tests
 * and benchmarks that check how much a query reads. Link with
 * `-Wl,--wrap=teren_record_new_full,--wrap=teren_record_new_take` (record_count_dep in
 * tests/store/meson.build does). */

/* Records made since the program started. Any thread. */
guint teren_record_count_made  (void);

/* Of those, the ones not finalized yet. Any thread. */
gint  teren_record_count_alive (void);

G_END_DECLS
