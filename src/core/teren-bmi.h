/* teren-bmi.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Body mass index and the BMI-for-age percentile class of the school screening exam.
 *
 * The class needs the WHO BMI-for-age reference, which Teren does not ship: the admin
 * imports it as a server nomenclature (`teren-server nomenclature import who_bmi_for_age
 * FILE.csv`) with one row per sex and month of age and the columns `sex` (F or M),
 * `age_months`, `p5`, `p85` and `p95` (the BMI at those percentiles, as in the WHO
 * percentile tables). Without the table, or without the row of the pupil's sex and age,
 * there is no class: it is never guessed or interpolated. */

#define TEREN_BMI_REFERENCE_KIND "who_bmi_for_age"

/* weight / height² (kg, cm → kg/m²), rounded to one decimal; 0 when either is not a
 * positive number. */
double       teren_bmi_compute               (double weight_kg,
                                              double height_cm);

/* Whole months of age on @on (-1 if @birth is after @on). */
int          teren_age_months                (const GDate *birth,
                                              const GDate *on);

typedef struct _TerenBmiReference TerenBmiReference;

TerenBmiReference *teren_bmi_reference_new   (void);
void         teren_bmi_reference_free        (TerenBmiReference *reference);
/* Adds one imported row (members as strings or numbers: sex, age_months, p5, p85,
 * p95). FALSE with TEREN_ERROR_INVALID, naming the member, when a member is missing or
 * not a number, the sex is not F/M, or the percentiles are not increasing. */
gboolean     teren_bmi_reference_add_item    (TerenBmiReference *reference,
                                              JsonObject        *item,
                                              GError           **error);
guint        teren_bmi_reference_get_size    (TerenBmiReference *reference);

/**
 * teren_bmi_for_age_class:
 * @reference: (nullable): the imported table, %NULL when none was imported
 * @sex: "F" or "M" (anything else: no class)
 * @age_months: whole months of age
 * @bmi: the body mass index
 *
 * Returns: (nullable): a code of the bmi_for_age_class nomenclature ("underweight" below
 *   P5, "normal" below P85, "overweight" below P95, "obese" from P95), or %NULL when
 *   there is no reference row for @sex and @age_months
 */
const char  *teren_bmi_for_age_class         (TerenBmiReference *reference,
                                              const char        *sex,
                                              int                age_months,
                                              double             bmi);

/**
 * teren_bmi_fill_screening:
 * @fields: the fields of a school_health.screening being edited
 * @birth_date: (nullable): the pupil's ISO birth date
 * @sex: (nullable): the pupil's sex code
 * @reference: (nullable): the imported WHO table, %NULL when none
 *
 * Sets `bmi` from `height` and `weight` (removed when either is missing) and
 * `bmi_class` from teren_bmi_for_age_class() on the exam's `date` — removed when there
 * is no class, so a class is never left from an earlier computation.
 */
void         teren_bmi_fill_screening        (JsonObject        *fields,
                                              const char        *birth_date,
                                              const char        *sex,
                                              TerenBmiReference *reference);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TerenBmiReference, teren_bmi_reference_free)

G_END_DECLS
