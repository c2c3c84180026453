/* teren-line.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The service lines of DESIGN.md. Registry records have the empty line "". */

typedef struct {
  const char *id;         /* "creche", "child", "elderly", "canteen", "homeless",
                           * "school_health", "community_health", "disability", "adult" */
  const char *label;      /* N_() English, e.g. "Child protection" */
  const char *icon_name;  /* a symbolic icon from the Adwaita theme */
} TerenLine;

const TerenLine *teren_line_lookup   (const char *id);
/* All lines in sidebar order; the eight DESIGN.md lines first, then "adult". */
const TerenLine *teren_line_list     (guint *n_lines);
gboolean         teren_line_is_valid (const char *id);
/* Translated label. */
const char      *teren_line_get_label (const TerenLine *line);

/* Parses "child,elderly" into a NULL-terminated array of valid line ids; FALSE and
 * @error (TEREN_ERROR_INVALID, naming the bad item) on an unknown line. */
gboolean         teren_line_parse_list (const char   *text,
                                        char       ***out_lines,
                                        GError      **error);

G_END_DECLS
