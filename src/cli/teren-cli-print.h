/* teren-cli-print.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* `teren-cli [--data-dir DIR] print KIND ID|YYYY-MM --pdf FILE`: an official document
 * (teren-official-documents.h) written as an A4 PDF, without a window.
 * @default_dir: the store's folder when --data-dir is not among @argv (never NULL).
 * @argc/@argv: the command's arguments without the command name (argv[0] is the program).
 * Returns a TerenCliExit: 0; 1 when the record does not exist; 2 for a usage error
 * (unknown kind, bad month, a record of another kind, no --pdf), an unreadable store or an
 * unwritable file. On failure no file is left at FILE. */
int teren_cli_print_run (const char  *default_dir,
                         int          argc,
                         char       **argv);

G_END_DECLS
