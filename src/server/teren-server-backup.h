/* teren-server-backup.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Backups, restores and the epoch (SYNC.md "Integrity digest", SYNC-NOTES §3.2; issue 8).
 *
 * - `backup` copies the live database with SQLite's online backup API (the server may
 *   run); the copy is a plain, self-contained database file, 0600.
 * - `restore` (server stopped) installs such a copy and gives it a NEW epoch, so every
 *   client notices, re-offers from its op_archive what the server no longer knows, and
 *   reports the records it holds at a newer revision (the epoch report).
 * - A database replaced by an older copy by hand is noticed too: each start leaves a gap
 *   of seqs no row ever gets (seq_gaps); a client cursor whose seq lies in a gap, or beyond
 *   the last seq, was issued by a history this database no longer has, and the epoch is
 *   renewed then (teren-server-sqlite-feed.c). The seqs after the gap are above any seq
 *   of the lost history, so no stale cursor skips a new change. */

/* Holds DIR/teren-server.lock (an exclusive flock) for the process' life: `serve` takes
 * it, and `restore` refuses while another process holds it. FALSE with @error if another
 * process holds it. */
gboolean  teren_server_lock_data_dir     (const char  *data_dir,
                                          GError     **error);

gboolean  teren_server_backup_database   (const char  *data_dir,
                                          const char  *file,
                                          GError     **error);

/* @out_epoch: the new epoch. (transfer full) */
gboolean  teren_server_restore_database  (const char  *data_dir,
                                          const char  *file,
                                          char       **out_epoch,
                                          GError     **error);

/* Lines "time<TAB>account<TAB>device_id<TAB>record_id<TAB>client_rev<TAB>server_rev<TAB>epoch"
 * of the epoch report, oldest first, into @out. */
gboolean  teren_server_epoch_report      (const char  *data_dir,
                                          GString     *out,
                                          GError     **error);

G_END_DECLS
