/* teren-cli.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "teren-store.h"

G_BEGIN_DECLS

/* teren-cli: the laptop's store without a window.
 *
 *   teren-cli [--data-dir DIR] list [--kind KIND]
 *   teren-cli [--data-dir DIR] show ID
 *   teren-cli [--data-dir DIR] export --format json|csv [--kind KIND] [--separator ;|,]
 *                                     [--output FILE]
 *   teren-cli [--data-dir DIR] export --person ID [--json FILE | --format json [--output FILE]]
 *                                     [--pdf FILE] [--attachments DIR]
 *   teren-cli [--data-dir DIR] import FILE.csv [--kind KIND] [--line LINE]
 *                                     [--all-or-nothing] [--dry-run] [--separator ;|,]
 *                                     [--encoding ENCODING]
 */

typedef enum {
  TEREN_CLI_EXIT_OK         = 0,
  TEREN_CLI_EXIT_REJECTED   = 1,   /* some import rows were rejected; no such record */
  TEREN_CLI_EXIT_ERROR      = 2,   /* usage, I/O, damaged or unwritable store, an attached
                                    * file damaged on this computer (not exported) */
  TEREN_CLI_EXIT_INCOMPLETE = 3,   /* export --person --attachments: written, but attached
                                    * files not on this computer could not be downloaded */
} TerenCliExit;

/* Prints "teren-cli: MESSAGE" on the standard error (every command's diagnostics). */
void teren_cli_print_error (const char *format,
                            ...) G_GNUC_PRINTF (1, 2);

/* Parses a command's options: @entries (nullable) after the common --data-dir (into
 * *@data_dir, described by @data_dir_help, an N_() string), with @title, @summary and
 * @description (nullable) for --help. Returns FALSE after printing the usage error. */
gboolean    teren_cli_parse_options       (const char     *title,
                                           const char     *summary,
                                           const char     *description,
                                           const char     *data_dir_help,
                                           char          **data_dir,
                                           GOptionEntry   *entries,
                                           int            *argc,
                                           char         ***argv);

/* The store in @data_dir for a command that only reads it: a folder without a database is
 * an error (never created). Prints the error; NULL then. (transfer full) */
TerenStore *teren_cli_open_existing_store (const char *data_dir);

/* Runs one command line; writes to stdout and stderr. The caller has set up the locale
 * and the text domain. */
int teren_cli_main (int    argc,
                    char **argv);

G_END_DECLS
