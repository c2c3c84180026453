/* teren-due.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "teren-record.h"

G_BEGIN_DECLS

/* Due items (issue 5 "Due items"): what is overdue, due this week and due this month,
 * computed from the records and the legal deadlines of DOMAIN.md (court hearings, plan
 * reviews, canteen document renewals, yearly school lists in the last quarter…).
 *
 * Pure functions: the caller hands every record that may matter (cases, the records of
 * the lines, persons for birth dates) and "today"; nothing is read from a clock or a
 * store here. teren_store_due_items() in src/store/teren-store-report.h is the store
 * query helper that loads the records and calls teren_due_compute().
 *
 * Buckets, from @today (weeks start on Monday):
 *   overdue     the due date is before today;
 *   this week   today … the Sunday of today's week;
 *   this month  after this week … the last day of today's month;
 *   later       anything after that (only returned when the filter asks for it). */

typedef enum {
  TEREN_DUE_OVERDUE,
  TEREN_DUE_THIS_WEEK,
  TEREN_DUE_THIS_MONTH,
  TEREN_DUE_LATER,
} TerenDueBucket;

typedef struct {
  char           *rule;       /* stable id of the rule, e.g. "child.court_hearing" */
  char           *title;      /* translated: what is due, e.g. "Court hearing" */
  char           *record_id;  /* the record the item comes from ("" for a yearly item) */
  char           *kind;       /* its kind ("" for a yearly item) */
  char           *line;       /* service line */
  char           *case_id;    /* the case the record belongs to, or NULL */
  char           *person_id;  /* the beneficiary, or NULL */
  char           *person_name; /* the beneficiary's title, when the computation was given
                                * the person's record; else NULL */
  char           *worker;     /* responsible worker: the record's responsible, else the
                               * case manager, else its author; NULL if unknown */
  char           *due;        /* "YYYY-MM-DD" */
  TerenDueBucket  bucket;
  gboolean        blocking;   /* missing it suspends an entitlement (canteen renewal) */
} TerenDueItem;

void          teren_due_item_free   (TerenDueItem *item);
TerenDueItem *teren_due_item_copy   (const TerenDueItem *item);

typedef struct {
  const char     *line;         /* only this line, or NULL for every line */
  const char     *worker;       /* only this worker, or NULL for everyone */
  TerenDueBucket  max_bucket;   /* include up to this bucket (TEREN_DUE_THIS_MONTH for the
                                 * Due page; TEREN_DUE_LATER for everything) */
} TerenDueFilter;

/* The bucket of @due seen from @today. */
TerenDueBucket teren_due_bucket_for (const GDate *due,
                                     const GDate *today);

/* Translated bucket name: "Overdue", "This week", "This month", "Later". */
const char    *teren_due_bucket_get_label (TerenDueBucket bucket);

/**
 * teren_due_compute:
 * @records: (element-type TerenRecord): the records to look at; deleted ones are ignored
 * @today: the day the items are computed for
 * @filter: (nullable): what to keep; %NULL = every line and worker up to this month
 *
 * Runs every due rule (the social lines' and the health lines') over @records. Items of
 * closed or transferred cases are left out. Sorted by due date, then line, then rule,
 * then record id, so that the result is stable.
 *
 * Returns: (transfer full) (element-type TerenDueItem): the items
 */
GPtrArray     *teren_due_compute    (GPtrArray            *records,
                                     const GDate          *today,
                                     const TerenDueFilter *filter);

/* How many of @items are overdue (the badge). */
guint          teren_due_count_overdue (GPtrArray *items);

/* The ids of the rules, NULL-terminated (transfer none); for tests and the filter UI. */
const char * const *teren_due_list_rules (guint *n_rules);
/* The kind of record a rule reads (NULL for a yearly rule or an unknown id), and its
 * translated label. */
const char    *teren_due_rule_get_kind  (const char *rule_id);
const char    *teren_due_rule_get_label (const char *rule_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TerenDueItem, teren_due_item_free)

G_END_DECLS
