/* teren-cnp.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Validation of the Romanian personal numeric code, DOMAIN.md §C1. */

typedef enum {
  TEREN_CNP_OK,
  TEREN_CNP_ERROR_EMPTY,
  TEREN_CNP_ERROR_LENGTH,        /* not 13 characters after removing spaces and dashes */
  TEREN_CNP_ERROR_NOT_DIGITS,
  TEREN_CNP_ERROR_SEX_DIGIT,     /* first digit 0 */
  TEREN_CNP_ERROR_DATE,          /* AALLZZ not a real calendar date */
  TEREN_CNP_ERROR_FUTURE,        /* birth date after today */
  TEREN_CNP_ERROR_COUNTY,        /* JJ not 01–46, 51, 52, 70 (47/48 only born ≤ 1979-12-19) */
  TEREN_CNP_ERROR_SEQUENCE,      /* NNN = 000 */
  TEREN_CNP_ERROR_CHECKSUM,
} TerenCnpResult;

typedef struct {
  char     sex;            /* 'M', 'F', or 0 when the code does not say (9) */
  gboolean century_known;  /* FALSE for 7, 8, 9: year is a guess (DOMAIN.md §C1 rule 2) */
  int      year;
  int      month;
  int      day;
  int      county;         /* JJ */
} TerenCnpInfo;

/* The values of a person's `cnp_status` field. */
#define TEREN_CNP_STATUS_VALID        "valid"
#define TEREN_CNP_STATUS_MISSING      "missing"       /* fără CNP */
#define TEREN_CNP_STATUS_REFUSED      "refused"       /* refuză să furnizeze */
#define TEREN_CNP_STATUS_NON_STANDARD "non_standard"  /* CNP nestandard */

/* Removes spaces and dashes. Returns (transfer full). */
char           *teren_cnp_normalize          (const char    *input);

/**
 * teren_cnp_validate:
 * @cnp: the code as typed (spaces and dashes are ignored)
 * @today: (nullable): the date to compare with, %NULL for the local date now
 * @info: (out) (optional): what the code says, filled when the result is %TEREN_CNP_OK
 */
TerenCnpResult  teren_cnp_validate           (const char    *cnp,
                                              const GDate   *today,
                                              TerenCnpInfo  *info);

/* '0'..'9' check digit for the first 12 digits. */
char            teren_cnp_check_digit        (const char    *first12);

/* Stable code for protocol and tests: "ok", "empty", "length", "not_digits", "sex_digit",
 * "date", "future", "county", "sequence", "checksum". */
const char     *teren_cnp_result_to_code     (TerenCnpResult result);

/* Translated message for the user, e.g. "The control digit does not match". */
const char     *teren_cnp_result_to_message  (TerenCnpResult result);

/* Birth date as "YYYY-MM-DD" from @info (transfer full). */
char           *teren_cnp_info_birth_date    (const TerenCnpInfo *info);

G_END_DECLS
