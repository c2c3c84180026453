/* teren-lifecycle.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "teren-schema.h"

G_BEGIN_DECLS

/* Rules of the service lines that span several fields (issue 5 "Bad input") and the
 * values the forms compute (crèche group, canteen contribution, dependency degree).
 * No GTK, no store: client and server call the same code. */

/* Days of notice the parents owe before leaving abroad (Legea 272/2004, DOMAIN.md §2). */
#define TEREN_PARENTS_ABROAD_NOTICE_DAYS 40
/* Canteen category g: at most this many days a year (Legea 208/1997 art. 2 alin. 2). */
#define TEREN_CANTEEN_CATEGORY_G_DAYS    90
/* Canteen contribution: this share of the income per member, capped at the meal cost. */
#define TEREN_CANTEEN_CONTRIBUTION_SHARE 0.30

/**
 * teren_lifecycle_check:
 * @kind: the kind definition
 * @line: the record's line
 * @fields: a patch or a whole record (as for teren_schema_validate)
 * @flags: TEREN_VALIDATE_COMPLETE for a whole record
 * @today: (nullable): %NULL = now
 * @errors: (element-type TerenFieldError): where failures are appended
 *
 * Dates in order (closure before opening, departure before the notification, hearing
 * before the request, end before start, departure before arrival…), a plan review date in
 * the past, canteen category g beyond 90 days a year, negative incomes and amounts, a
 * crèche child of 3 years or more, a referral to its own line or without a receiver, a
 * declined referral without its reason, a "YYYY-MM" month. Each failure names the field
 * and carries a translated message; codes are those of teren_schema_validate
 * ("out_of_range", "required", "invalid_date"). Fields that already have an error in
 * @errors are not checked again.
 *
 * Only the kinds of teren-schema-kinds-social.c (the life-cycle kinds and the child,
 * crèche, elderly, adult, canteen and homeless kinds) are checked; for any other kind this
 * does nothing. Meant to be called from teren_schema_validate() after the per-field
 * checks.
 */
void        teren_lifecycle_check         (const TerenKindDef  *kind,
                                           const char          *line,
                                           JsonObject          *fields,
                                           TerenValidateFlags   flags,
                                           const GDate         *today,
                                           GPtrArray           *errors);

/* Crèche age group on @on for a child born on @birth: "small" (under 1 year), "middle"
 * (1–2), "large" (2–3); NULL before birth or from 3 years on. */
const char *teren_creche_group_for_age     (const GDate *birth,
                                            const GDate *on);

/* Whether a notice received on @notified for a departure on @departure came less than
 * 40 days before it. */
gboolean    teren_parents_abroad_is_late   (const GDate *notified,
                                            const GDate *departure);

/* Canteen: income per member = @income_total / @household_size; free when it is below
 * @threshold (the single-person threshold of the social aid), else the monthly
 * contribution is 30 % of the income per member, capped at @meal_cost_per_day × @days.
 * FALSE for a negative income or cost, or a household of 0. */
gboolean    teren_canteen_compute          (double       income_total,
                                            gint64       household_size,
                                            double       threshold,
                                            double       meal_cost_per_day,
                                            guint        days,
                                            double      *out_income_per_member,
                                            gboolean    *out_free,
                                            double      *out_contribution);

/* Days of a canteen entitlement from @start to @end, both included. */
guint       teren_canteen_days             (const GDate *start,
                                            const GDate *end);

/* Canteen: the day the supporting documents must be renewed by (3 months after the last
 * renewal, else after the start of the entitlement); FALSE without either date. */
gboolean    teren_canteen_renewal_due      (JsonObject  *beneficiary,
                                            GDate       *out_due);
/* Whether the entitlement is suspended on @on because the documents were not renewed by
 * their renewal day (Legea 208/1997). */
gboolean    teren_canteen_is_suspended     (JsonObject  *beneficiary,
                                            const GDate *on);

/* Crèche: the parents' monthly contribution by the rule table (records of kind
 * creche.contribution_rule): the rule of @year whose income range holds @income, with the
 * highest min_children not above @children; amount = fixed_amount + percent × income.
 * FALSE when no rule applies. */
gboolean    teren_creche_contribution      (GPtrArray   *rules,
                                            int          year,
                                            double       income,
                                            gint64       children,
                                            double      *out_amount);

/* The HG 886/2000 dependency degree from the answers of an elderly.assessment (codes of
 * the hg886_dependency_degree list): bedridden or dependent in most ADL items → IA/IB,
 * severe cognition with mobility → IC, … "none" when the person is independent (no
 * degree: leave the field empty). NULL when fewer than 4 ADL items are answered. */
const char *teren_elderly_dependency_degree (JsonObject *assessment);

G_END_DECLS
