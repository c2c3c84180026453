/* teren-cli-report.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* `teren-cli [--data-dir DIR] report --line L --month YYYY-MM [--format csv|json]`:
 * the monthly counts of one service line (teren-store-report.h) on stdout.
 * @default_dir: the store's folder when --data-dir is not among @argv (never NULL).
 * @argc/@argv: the command's arguments without the command name (argv[0] is the
 * program), options not yet parsed.
 * Returns a TerenCliExit: 0, or 2 for a usage error (unknown line, bad month, unknown
 * format), a missing or unreadable store. */
int teren_cli_report_run (const char  *default_dir,
                          int          argc,
                          char       **argv);

G_END_DECLS
