/* teren-cli-sync.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "teren-sync-engine.h"

G_BEGIN_DECLS

/* teren-cli's sync commands (issue 4):
 *
 *   teren-cli [--data-dir DIR] login --server URL --user NAME
 *       password from the terminal without echo, or one line of stdin when it is not a
 *       terminal; the token goes to the Secret Service
 *   teren-cli [--data-dir DIR] sync     one full round; exit 0 only if nothing failed
 *   teren-cli [--data-dir DIR] status   waiting, quarantined, conflicts, last sync
 *
 * Without --data-dir they use the account of the last `login` (remembered, without any
 * secret, in $XDG_CONFIG_HOME/teren/cli-account.ini). @argv holds the command's options
 * (the command word removed), as teren_cli_main() passes them. */

int teren_cli_sync_run (const char *command,
                        int         argc,
                        char      **argv);

/* The engine driven to the end on a main loop of its own (the command blocks meanwhile). */

/* teren_sync_engine_open_account_async() of the store in @data_dir (its server and user). */
gboolean teren_cli_open_account (TerenSyncEngine  *engine,
                                 const char       *data_dir,
                                 GError          **error);
/* teren_sync_engine_fetch_blob_async(): the local path of @blob, downloaded first when it
 * is not here. (transfer full) */
char    *teren_cli_fetch_blob   (TerenSyncEngine  *engine,
                                 const char       *blob,
                                 GError          **error);

G_END_DECLS
