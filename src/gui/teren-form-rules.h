/* teren-form-rules.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "teren-store.h"

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
 * assessment (teren_elderly_dependency_degree), a canteen file's income per member, free
 * meals and contribution (teren_canteen_compute with the directorate's settings), a
 * crèche contribution's amount (teren_creche_contribution over the rule table; needs the
 * store data of teren_form_rules_load_data_async). */

/* Defaults of the canteen settings (GSettings canteen-threshold, canteen-meal-cost), used
 * when the schema is not installed: see data/ro.daps.Teren.gschema.xml for the sources. */
#define TEREN_CANTEEN_DEFAULT_THRESHOLD 275.0
#define TEREN_CANTEEN_DEFAULT_MEAL_COST 22.0

typedef struct _TerenFormRulesData TerenFormRulesData;

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

/* The same with store data (may be NULL: the fields that need it are left alone). */
GPtrArray *teren_form_rules_compute_with_data (const char               *kind,
                                               JsonObject               *values,
                                               const GDate              *today,
                                               const TerenFormRulesData *data);

/* The threshold and the daily meal cost of the canteen (GSettings, else the defaults). */
void       teren_form_rules_canteen_settings  (double                   *out_threshold,
                                               double                   *out_meal_cost);

/* What store data @kind needs given @values: NULL for none, else a key that changes when
 * the data must be loaded again (transfer full). */
char      *teren_form_rules_data_key          (const char               *kind,
                                               JsonObject               *values);
/* Loads the data for @key on a worker thread. */
void       teren_form_rules_load_data_async   (TerenStore               *store,
                                               const char               *key,
                                               GCancellable             *cancellable,
                                               GAsyncReadyCallback       callback,
                                               gpointer                  user_data);
TerenFormRulesData *teren_form_rules_load_data_finish (GAsyncResult     *result,
                                                       GError          **error);
const char *teren_form_rules_data_get_key     (const TerenFormRulesData *data);
void       teren_form_rules_data_free         (TerenFormRulesData       *data);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TerenFormRulesData, teren_form_rules_data_free)

G_END_DECLS
