/* teren-cli-sync.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

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

G_END_DECLS
