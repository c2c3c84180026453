/* teren-form-rules.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The form layer's rules per record kind (issues 5 and 6): which fields apply given the
 * other answers (a field that does not apply is hidden and not saved), and which fields
 * are computed from others (filled in as the user types, still editable).
 *
 * Visibility: catagrafie pregnancy answers only for a current pregnancy
 * (teren_catagrafie_is_pregnancy), beneficiary inactivation / removal reason only for
 * that status, a referral's answer reason only when declined, a review's changes only
 * when the plan is revised, a closure's transfer only for a transfer, a community
 * activity's campaign only for campaigns.
 *
 * Computed: crèche group from the birth date (teren_creche_group_for_age), the 40-day
 * late-notice flag of parents abroad (teren_parents_abroad_is_late), the BMI of a school
 * screening (teren_bmi_fill_screening), the HG 886/2000 dependency degree of an elderly
 * assessment (teren_elderly_dependency_degree). */

/* Whether @kind has any rule (forms without rules skip the work). */
gboolean  teren_form_rules_has_rules     (const char  *kind);

/* Whether field @key of @kind applies given @values (the form's current values, null
 * for empty ones). Fields without a rule always apply. */
gboolean  teren_form_rules_field_applies (const char  *kind,
                                          const char  *key,
                                          JsonObject  *values);

/* Computes the derived fields of @kind from @values, on @today, and writes them into
 * @values (a null member when the value cannot be computed). Returns the keys it changed
 * (transfer container), possibly empty. */
GPtrArray *teren_form_rules_compute      (const char  *kind,
                                          JsonObject  *values,
                                          const GDate *today);

G_END_DECLS
