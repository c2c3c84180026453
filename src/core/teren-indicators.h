/* teren-indicators.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The standard indicators of the community-health monthly report (DOMAIN.md §7): General
 * G01–G28, Pregnant P01–P12, Child C01–C31, with the Ministry platform's codes and
 * definitions, segmented by age category (VCV_01–VCV_06) and sex. A pure function over
 * records; teren-store-indicators.h loads them from the store.
 *
 * Definitions (as the platform's report queries, code4romania/asistent-medical-comunitar):
 * a beneficiary counts for a vulnerability indicator when the codes of their latest
 * catagrafie not after the month's last day (teren_catagrafie_codes) hold the indicator's
 * codes; the AGE codes are re-derived from the birth date on the month's last day
 * (VCV_00 when the child was 0–27 days old on some day of the month), falling back to the
 * catagrafie's cat_age. Service indicators count the individual services with that code
 * "done" in the month; G25/C31 count the month's screening / epidemiological triage
 * campaigns (not attached to a person: segment "unknown"). Beneficiaries registered after
 * the month or removed before it are left out. C03 (exclusively breastfed), which the
 * platform lists without a query, counts children under 6 months whose catagrafie answered
 * the child health risks without VSC_04. */

#define TEREN_INDICATOR_N_AGES 7   /* VCV_01 … VCV_06, unknown */
#define TEREN_INDICATOR_N_SEXES 4  /* F, M, X, unknown */

typedef struct {
  const char *code;     /* "G01" */
  const char *group;    /* "general", "pregnant", "child" */
  const char *label;    /* N_() English */
  guint       total;
  guint       counts[TEREN_INDICATOR_N_AGES][TEREN_INDICATOR_N_SEXES];
} TerenIndicator;

/* Segment codes in array order: ages "VCV_01"…"VCV_06", "unknown"; sexes "F", "M", "X",
 * "unknown". */
const char * const *teren_indicators_age_segments (void);
const char * const *teren_indicators_sex_segments (void);

/* Codes of every indicator, in report order (NULL-terminated, static). */
const char * const *teren_indicators_list_codes   (void);
/* Translated label of @code, or NULL. */
const char         *teren_indicators_get_label    (const char *code);

/* Sum over the age segments of @sex_index, or over the sexes of @age_index (-1 = all). */
guint               teren_indicator_sum           (const TerenIndicator *indicator,
                                                   int                   age_index,
                                                   int                   sex_index);

/**
 * teren_indicators_compute:
 * @records: (element-type TerenRecord): persons and community_health beneficiaries,
 *   catagrafii, disabilities, diseases, interventions and community activities (other
 *   kinds are ignored; deleted records are skipped)
 * @year: e.g. 2026
 * @month: 1–12
 *
 * Returns: (transfer full) (element-type TerenIndicator): one per code of
 *   teren_indicators_list_codes(), in that order; free the array (it frees its items)
 */
GPtrArray          *teren_indicators_compute      (GPtrArray *records,
                                                   guint      year,
                                                   guint      month);

G_END_DECLS
