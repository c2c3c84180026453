/* teren-vitals.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "teren-schema.h"

G_BEGIN_DECLS

/* Validation of the health lines beyond one field: plausible vital signs, ICD-10 codes,
 * and the cross-field rules of the community health, school health and disability kinds.
 * Client and server run the same checks (via teren_health_check_cross_fields). */

/* Plausible range of a vital sign (as the schema's min/max, shown as a hint). */
typedef struct {
  const char *key;     /* "systolic", "diastolic", "glucose", "weight", "height", "pulse",
                        * "saturation", "temperature" */
  double      min;
  double      max;
  const char *unit;    /* "mmHg", "mg/dL", "kg", "cm", "/min", "%", "°C" (not translated) */
} TerenVitalRange;

const TerenVitalRange *teren_vitals_lookup_range (const char *key);

/* Adds to @errors: a value of a vital-sign key outside its range ("out_of_range"; also
 * for a weight of 0) and a systolic pressure not above the diastolic one. */
void     teren_vitals_check            (JsonObject *fields,
                                        GPtrArray  *errors);

/* ---- ICD-10 ------------------------------------------------------------------------- */

/* The shape of an ICD-10 (also ICD-10-AM) code: a letter, two digits or a digit and a
 * letter, then optionally "." and 1–4 letters or digits: "E11", "E11.9", "U07.1". Upper
 * case only (normalise first). */
gboolean teren_icd10_is_well_formed    (const char *code);

typedef enum {
  TEREN_ICD10_NO_LIST,   /* no ICD-10 list imported: only the shape is checked */
  TEREN_ICD10_KNOWN,
  TEREN_ICD10_UNKNOWN,
} TerenIcd10Lookup;

typedef TerenIcd10Lookup (*TerenIcd10LookupFunc) (const char *code,
                                                  gpointer    user_data);

/* The list imported by the admin (`teren-server nomenclature import icd10`): the server
 * and the client's store install a lookup at start-up; %NULL removes it. Not
 * thread-safe: set it before validating. */
void     teren_health_set_icd10_lookup (TerenIcd10LookupFunc func,
                                        gpointer             user_data);

/* ---- Cross-field rules -------------------------------------------------------------- */

/**
 * teren_health_check_cross_fields:
 * @kind: a kind of the health lines (others are ignored)
 * @fields: the record's fields (a patch is checked only on the members present)
 * @flags: TEREN_VALIDATE_COMPLETE for a whole record
 * @today: the date for "not in the future" rules
 * @errors: (element-type TerenFieldError): where failures are appended
 *
 * Diagnosis codes (bad_icd10, unknown_icd10), vital signs, the catagrafie rules
 * (teren_catagrafie_check_fields), a beneficiary's status reasons, date order (valid-to
 * after valid-from, end after start…), "YYYY-MM" months and "2026-2027" school years,
 * timesheet hours (no day past the month's end, a weekly average of at most 40 hours),
 * participant counts. Meant to be called from teren_schema_validate() after the
 * per-field checks, so that client and server agree.
 */
void     teren_health_check_cross_fields (const TerenKindDef *kind,
                                          JsonObject         *fields,
                                          TerenValidateFlags  flags,
                                          const GDate        *today,
                                          GPtrArray          *errors);

/* Days in the month of "YYYY-MM" (0 if malformed). */
guint    teren_month_days               (const char *month);

G_END_DECLS
