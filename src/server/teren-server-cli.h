/* teren-server-cli.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* `teren-server serve|user|device|audit|nomenclature …`; returns the exit status. */
int teren_server_cli_main (int    argc,
                           char **argv);

G_END_DECLS
