/* teren-full-vfs.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A full disk for SQLite, in this process (SYNC-NOTES S20). Installs, once, a VFS that
 * wraps the default one and becomes the default: every database opened afterwards (the
 * store's writer, readers and checkpointer) goes through it. While the disk is "full",
 * every write, and every truncation or size hint that would grow a file, fails with
 * SQLITE_FULL, as the unix VFS answers ENOSPC. (A real full disk still takes writes inside
 * a file's present size; refusing those too keeps a test independent of where SQLite's
 * log happens to restart.) */
void   teren_full_vfs_install     (void);
void   teren_full_vfs_set_full    (gboolean full);
/* How many writes were refused since the install. */
guint  teren_full_vfs_get_refused (void);

G_END_DECLS
