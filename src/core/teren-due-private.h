/* teren-due-private.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "teren-due.h"

G_BEGIN_DECLS

/* The rule tables behind teren_due_compute(). Each table ends with an entry whose id is
 * NULL: the social lines' rules (teren-due-social.c) and the health lines' rules
 * (teren-due-health.c). teren-due.c runs them all.
 *
 * A simple rule needs no code: for every record of @kind, the item is due on the date in
 * field @date_key plus @add_days days and @add_months months, unless @done_key is set
 * (a non-empty string, true, or a number). @kind may be an any-line kind ("plan"): the
 * item's line is the record's line. When @line is not NULL, records of other lines are
 * skipped.
 *
 * A rule with @func is called once per record of @kind (or once per computation with
 * @record NULL when @kind is NULL — yearly items) and adds its own items with
 * teren_due_context_add(). */

typedef struct _TerenDueContext TerenDueContext;
typedef struct _TerenDueRule    TerenDueRule;

typedef void (*TerenDueRuleFunc) (const TerenDueRule *rule,
                                  TerenRecord        *record,
                                  TerenDueContext    *context);

struct _TerenDueRule {
  const char       *id;          /* "child.court_hearing" */
  const char       *label;       /* N_() "Court hearing" */
  const char       *kind;        /* records it reads, or NULL for a yearly rule */
  const char       *line;        /* only records of this line, or NULL */
  const char       *date_key;    /* simple rules */
  int               add_days;
  int               add_months;
  const char       *done_key;    /* simple rules: set = done, no item */
  gboolean          blocking;    /* TerenDueItem.blocking */
  TerenDueRuleFunc  func;        /* custom rules, else NULL */
};

extern const TerenDueRule teren_due_rules_social[];
extern const TerenDueRule teren_due_rules_health[];
/* Kinds the health rules read besides those they run on (NULL-terminated). */
extern const char * const teren_due_health_context_kinds[];

/* ---- for rule functions ------------------------------------------------------------ */

const GDate *teren_due_context_get_today  (TerenDueContext *context);
/* A record of the computation by id (not deleted), or NULL. (transfer none) */
TerenRecord *teren_due_context_lookup     (TerenDueContext *context,
                                           const char      *id);
/* Every non-deleted record of @kind whose field @key equals @value (transfer container,
 * element-type TerenRecord), or NULL when there is none. */
GPtrArray   *teren_due_context_find       (TerenDueContext *context,
                                           const char      *kind,
                                           const char      *key,
                                           const char      *value);
/* Every non-deleted record of @kind (transfer none; may be NULL). */
GPtrArray   *teren_due_context_of_kind    (TerenDueContext *context,
                                           const char      *kind);

/* Whether another record of @record's kind with @key (its "case", its "person") equal to
 * @owner has a later @date_key, or the same one and a greater id: @record is superseded
 * (a later contract, certificate, enrolment…). FALSE when @owner or @record's date is
 * NULL. */
gboolean     teren_due_context_is_superseded (TerenDueContext *context,
                                              TerenRecord     *record,
                                              const char      *key,
                                              const char      *owner,
                                              const char      *date_key);

/* Adds an item of @rule for @record due on @due (a GDate), with the worker and case
 * resolved from the record (its "responsible"/"case_manager"/"worker" fields, its "case"
 * reference, its author). @record may be NULL for yearly items, then @line names the
 * line. Skipped when the filter leaves it out or the record's case is closed. */
void         teren_due_context_add        (TerenDueContext    *context,
                                           const TerenDueRule *rule,
                                           TerenRecord        *record,
                                           const char         *line,
                                           const GDate        *due);

/* The date in field @key of @record; FALSE if absent or not a date. */
gboolean     teren_due_record_date        (TerenRecord *record,
                                           const char  *key,
                                           GDate       *out_date);
/* Whether field @key of @record is "set": a non-empty string, true, a number, a
 * non-empty array. */
gboolean     teren_due_record_is_set      (TerenRecord *record,
                                           const char  *key);

G_END_DECLS
