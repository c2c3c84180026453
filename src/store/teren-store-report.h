/* teren-store-report.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "teren-due.h"
#include "teren-store.h"

G_BEGIN_DECLS

/* Monthly counts per service line (issue 5 "Monthly counts"), by SQL over the store, and
 * the store query helper of the due items.
 *
 * Every line has the common figures, in this order:
 *   new_cases       cases of the line opened in the month
 *   closed_cases    cases of the line closed in the month
 *   open_cases      cases open on the last day of the month
 *   visits          "visit" records of the line carried out in the month
 *   persons_served  distinct beneficiaries of the line's cases open at some time in the month
 * then the line's own figures (teren-store-report-private.h), e.g. for child
 * "children_at_risk", "risk:<code>" per risk situation, "parents_abroad". */

typedef struct {
  char   *key;        /* stable: "new_cases", "risk:neglect", "care_hours" */
  char   *label;      /* translated */
  double  value;
  guint   decimals;   /* 0 for counts, 2 for lei, 1 for hours */
} TerenReportFigure;

typedef struct {
  char      *line;
  int        year;
  int        month;   /* 1–12 */
  GPtrArray *figures; /* (element-type TerenReportFigure) in report order */
} TerenReport;

void         teren_report_free          (TerenReport *report);

/* "YYYY-MM" → year, month. FALSE with TEREN_ERROR_INVALID and a clear message otherwise
 * (also for months before 2000 or after 2100). */
gboolean     teren_report_parse_month   (const char  *text,
                                         int         *out_year,
                                         int         *out_month,
                                         GError     **error);

/* The monthly report of @line ("child", …). TEREN_ERROR_INVALID for an unknown line or a
 * month out of range; nothing is written to the store. */
TerenReport *teren_store_report_month   (TerenStore  *store,
                                         const char  *line,
                                         int          year,
                                         int          month,
                                         GError     **error);

/* One figure by key, or NULL. */
const TerenReportFigure *teren_report_get_figure (TerenReport *report,
                                                  const char  *key);

/* CSV, UTF-8 with a BOM, header line,month,key,label,value, CRLF line ends, like teren-cli
 * export; @separator ',' or ';' (then decimals are written with a comma, as Romanian
 * spreadsheets read them). (transfer full) */
char        *teren_report_to_csv        (TerenReport *report,
                                         char         separator,
                                         gsize       *out_length);
/* {"line":…,"month":"YYYY-MM","figures":[{"key","label","value"}…]} (transfer full) */
char        *teren_report_to_json       (TerenReport *report,
                                         gsize       *out_length);

/* Due items from the store: loads the cases and the records of every kind that has a due
 * rule (plus the persons the crèche rules need) and runs teren_due_compute(). */
GPtrArray   *teren_store_due_items      (TerenStore           *store,
                                         const GDate          *today,
                                         const TerenDueFilter *filter,
                                         GError              **error);

/* One row of a line's case list (issue 5 "Each line's list"): the case with its status,
 * its next due item and its last visit. */
typedef struct {
  char         *case_id;
  char         *person_id;
  char         *number;
  char         *status;
  char         *case_manager;
  char         *opened_on;
  char         *last_visit;   /* "YYYY-MM-DD" of the last visit carried out ("visit" or
                               * "elderly.home_care_visit" naming the case), or NULL */
  TerenDueItem *next_due;     /* the case's earliest due item, or NULL */
} TerenLineCase;

void         teren_line_case_free       (TerenLineCase *row);

/* The cases of @line, newest first: the open ones (status other than closed and
 * transferred) when @status is NULL, else those with @status; only @worker's (the case
 * manager) when not NULL. (transfer full) (element-type TerenLineCase) */
GPtrArray   *teren_store_line_cases     (TerenStore   *store,
                                         const char   *line,
                                         const char   *status,
                                         const char   *worker,
                                         const GDate  *today,
                                         GError      **error);

/* One row of a daily register (issue 5: crèche attendance and canteen meals for the whole
 * list on one screen). */
typedef struct {
  char     *parent_id;   /* the creche.enrolment or canteen.beneficiary */
  char     *person_id;
  char     *entry_id;    /* that day's creche.attendance or canteen.meal, or NULL */
  gboolean  suspended;   /* canteen: documents not renewed in time, no meals */
} TerenRegisterRow;

void         teren_register_row_free    (TerenRegisterRow *row);

/* The daily register of @line ("creche" or "canteen") on @date ("YYYY-MM-DD"): every
 * enrolment (of @unit when not NULL) or canteen entitlement in force that day, sorted by
 * the person's name, with that day's entry if there is one. TEREN_ERROR_INVALID for
 * another line or a bad date. (transfer full) (element-type TerenRegisterRow) */
GPtrArray   *teren_store_day_register   (TerenStore   *store,
                                         const char   *line,
                                         const char   *date,
                                         const char   *unit,
                                         GError      **error);

/* The referrals other lines sent to @line that wait for its answer (status "sent"),
 * oldest first (issue 5: accepted or declined by the receiving line after sync).
 * (transfer full) (element-type TerenRecord) */
GPtrArray   *teren_store_line_referrals (TerenStore   *store,
                                         const char   *line,
                                         GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TerenReport, teren_report_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TerenLineCase, teren_line_case_free)

G_END_DECLS
