/* teren-server-sqlite.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "teren-server-backend.h"

G_BEGIN_DECLS

/* The default backend: one SQLite file DATA_DIR/teren-server.db (0600, WAL,
 * synchronous=FULL, numbered migrations), one writer connection, a pool of readers. */
TerenServerBackend *teren_server_sqlite_open (const char  *data_dir,
                                              GError     **error);

#define TEREN_SERVER_DB_NAME "teren-server.db"

/* Set by `serve` before opening: each start then leaves a gap of seqs, by which a
 * database replaced by an older copy is recognised (teren-server-sqlite-epoch.c). */
void teren_server_sqlite_set_serving (gboolean serving);

G_END_DECLS
