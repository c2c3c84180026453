/* teren-store-report-private.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "teren-store-report.h"

G_BEGIN_DECLS

/* Per-line figures of the monthly report. Each line's hook adds its own figures after
 * the common ones, with SQL over the `record` table (id, kind, line, deleted, fields as
 * JSON text). Tables end with an entry whose line is NULL: the social lines'
 * (teren-store-report-social.c) and the health lines' (teren-store-report-health.c).
 *
 * In the SQL given to the helpers below these parameters are bound:
 *   ?1 the line, ?2 the first day of the month "YYYY-MM-01", ?3 the first day of the next
 *   month; compare ISO dates as text: json_extract (fields, '$.date') >= ?2 AND … < ?3.
 * Always add "deleted = 0". */

typedef struct _TerenReportContext TerenReportContext;

typedef gboolean (*TerenReportLineFunc) (TerenReportContext  *context,
                                         TerenReport         *report,
                                         GError             **error);

typedef struct {
  const char          *line;
  TerenReportLineFunc  func;
} TerenReportHook;

extern const TerenReportHook teren_report_hooks_social[];
extern const TerenReportHook teren_report_hooks_health[];

/* The store, line and month of the report being made (transfer none), for hooks that
 * compute their figures in C rather than in SQL. */
TerenStore *teren_report_context_get_store (TerenReportContext *context);
const char *teren_report_context_get_line  (TerenReportContext *context);
int         teren_report_context_get_year  (TerenReportContext *context);
int         teren_report_context_get_month (TerenReportContext *context);   /* 1–12 */

/* Adds a figure (label is an N_() string, translated here). */
void      teren_report_add            (TerenReport  *report,
                                       const char   *key,
                                       const char   *label,
                                       double        value,
                                       guint         decimals);

/* Runs @sql (one row, one numeric column; NULL counts as 0) with ?1–?3 bound. */
gboolean  teren_report_query_number   (TerenReportContext  *context,
                                       const char          *sql,
                                       double              *out_value,
                                       GError             **error);

/* Runs @sql returning rows (code TEXT, n NUMBER) with ?1–?3 bound and adds one figure
 * per code of @nomenclature, in the nomenclature's order (0 when absent), keyed
 * "<prefix>:<code>", labelled with the code's label. */
gboolean  teren_report_query_by_code  (TerenReportContext  *context,
                                       const char          *sql,
                                       const char          *prefix,
                                       const char          *nomenclature,
                                       TerenReport         *report,
                                       GError             **error);

G_END_DECLS
