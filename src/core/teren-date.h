/* teren-date.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Dates as records store them ("YYYY-MM-DD") and as Romanian users type and read them
 * ("zz.ll.aaaa", DESIGN.md). */

/* Parses "YYYY-MM-DD" or "zz.ll.aaaa" (also "z.l.aaaa") into a valid GDate. */
gboolean  teren_date_parse          (const char  *text,
                                     GDate       *out_date);
/* Canonical "YYYY-MM-DD" from either form, or NULL if not a real date. (transfer full) */
char     *teren_date_to_iso         (const char  *text);
/* "zz.ll.aaaa" from "YYYY-MM-DD" (transfer full), or NULL. */
char     *teren_date_to_display     (const char  *iso);
/* Today's local date. */
void      teren_date_today          (GDate       *out_date);

G_END_DECLS
