/* teren-uuid.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Random (version 4) UUIDs from the kernel's CSPRNG (getrandom): record ids, change ids, device ids.
 * GLib's g_uuid_string_random() uses a non-cryptographic generator (SYNC.md). */
char     *teren_uuid_new      (void);
gboolean  teren_uuid_is_valid (const char *text);

/* Current UTC time as "YYYY-MM-DDTHH:MM:SS.ffffffZ" (sortable, what records store). */
char     *teren_now_iso8601   (void);

G_END_DECLS
