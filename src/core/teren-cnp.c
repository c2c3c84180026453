/* teren-cnp.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "teren-cnp.h"
#include "teren-date.h"

#define CNP_LENGTH 13
/* DOMAIN.md §C1 rule 2: for 7, 8 and 9 the century is a guess, 20xx unless that makes
 * the person younger than this. */
#define CNP_FOREIGN_MIN_AGE 14

static const int cnp_weights[12] = { 2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9 };

char *
teren_cnp_normalize (const char *input)
{
  GString *out;
  const char *p;

  if (input == NULL)
    return g_strdup ("");

  out = g_string_sized_new (CNP_LENGTH);
  for (p = input; *p != '\0'; p++)
    {
      if (*p == ' ' || *p == '-' || *p == '\t')
        continue;
      g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

char
teren_cnp_check_digit (const char *first12)
{
  int sum = 0;
  int r;
  guint i;

  g_return_val_if_fail (first12 != NULL, '0');

  for (i = 0; i < 12; i++)
    {
      if (!g_ascii_isdigit (first12[i]))
        return '0';
      sum += (first12[i] - '0') * cnp_weights[i];
    }

  r = sum % 11;
  return (char) ('0' + (r == 10 ? 1 : r));
}

static int
two_digits (const char *p)
{
  return (p[0] - '0') * 10 + (p[1] - '0');
}

/* Whether the birthday of someone born @year-@month-@day falls before @today minus
 * @years, i.e. the person is at least @years old on @today. */
static gboolean
is_at_least (int          year,
             int          month,
             int          day,
             const GDate *today,
             int          years)
{
  int ty = g_date_get_year (today);
  int tm = g_date_get_month (today);
  int td = g_date_get_day (today);
  int age = ty - year;

  if (tm < month || (tm == month && td < day))
    age--;

  return age >= years;
}

static gboolean
county_is_valid (int county,
                 int year,
                 int month,
                 int day)
{
  if (county >= 1 && county <= 46)
    return TRUE;
  if (county == 51 || county == 52 || county == 70)
    return TRUE;
  if (county == 47 || county == 48)
    {
      /* Former Bucharest sectors 7 and 8, only for births up to 19 December 1979. */
      if (year < 1979)
        return TRUE;
      if (year > 1979)
        return FALSE;
      return month < 12 || (month == 12 && day <= 19);
    }
  return FALSE;
}

TerenCnpResult
teren_cnp_validate (const char    *cnp,
                    const GDate   *today,
                    TerenCnpInfo  *info)
{
  g_autofree char *code = teren_cnp_normalize (cnp);
  GDate now;
  GDate birth;
  int s, yy, month, day, county, year;
  gboolean century_known = TRUE;
  char sex;
  guint i;

  if (code[0] == '\0')
    return TEREN_CNP_ERROR_EMPTY;

  /* Length is counted in characters, so that a non-ASCII character is reported as "not
   * digits" rather than as a wrong length. */
  if (g_utf8_validate (code, -1, NULL) ? g_utf8_strlen (code, -1) != CNP_LENGTH
                                       : strlen (code) != CNP_LENGTH)
    return TEREN_CNP_ERROR_LENGTH;

  for (i = 0; code[i] != '\0'; i++)
    if (!g_ascii_isdigit (code[i]))
      return TEREN_CNP_ERROR_NOT_DIGITS;

  if (today != NULL && g_date_valid (today))
    now = *today;
  else
    teren_date_today (&now);

  s = code[0] - '0';
  yy = two_digits (code + 1);
  month = two_digits (code + 3);
  day = two_digits (code + 5);
  county = two_digits (code + 7);

  switch (s)
    {
    case 1: case 2:
      year = 1900 + yy;
      break;
    case 3: case 4:
      year = 1800 + yy;
      break;
    case 5: case 6:
      year = 2000 + yy;
      break;
    case 7: case 8: case 9:
      century_known = FALSE;
      year = 2000 + yy;
      break;
    default:
      return TEREN_CNP_ERROR_SEX_DIGIT;
    }

  if (month < 1 || month > 12 || day < 1 ||
      !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    {
      /* 29 February of a guessed century may exist in the other one (2000 vs 1900 are
       * both checked the same way only when the guess is kept). */
      if (century_known || month < 1 || month > 12 || day < 1 ||
          !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) (year - 100)))
        return TEREN_CNP_ERROR_DATE;
      year -= 100;
    }

  if (!century_known)
    {
      /* 20xx unless that would make the person younger than 14 (or born in the
       * future); then 19xx. */
      g_date_clear (&birth, 1);
      g_date_set_dmy (&birth, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
      if (year >= 2000 &&
          (g_date_compare (&birth, &now) > 0 ||
           !is_at_least (year, month, day, &now, CNP_FOREIGN_MIN_AGE)) &&
          g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) (year - 100)))
        year -= 100;
    }

  g_date_clear (&birth, 1);
  g_date_set_dmy (&birth, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  if (g_date_compare (&birth, &now) > 0)
    return TEREN_CNP_ERROR_FUTURE;

  if (!county_is_valid (county, year, month, day))
    return TEREN_CNP_ERROR_COUNTY;

  if (code[9] == '0' && code[10] == '0' && code[11] == '0')
    return TEREN_CNP_ERROR_SEQUENCE;

  if (teren_cnp_check_digit (code) != code[12])
    return TEREN_CNP_ERROR_CHECKSUM;

  if (s == 9)
    sex = 0;
  else
    sex = (s % 2 == 1) ? 'M' : 'F';

  if (info != NULL)
    {
      info->sex = sex;
      info->century_known = century_known;
      info->year = year;
      info->month = month;
      info->day = day;
      info->county = county;
    }

  return TEREN_CNP_OK;
}

const char *
teren_cnp_result_to_code (TerenCnpResult result)
{
  switch (result)
    {
    case TEREN_CNP_OK:               return "ok";
    case TEREN_CNP_ERROR_EMPTY:      return "empty";
    case TEREN_CNP_ERROR_LENGTH:     return "length";
    case TEREN_CNP_ERROR_NOT_DIGITS: return "not_digits";
    case TEREN_CNP_ERROR_SEX_DIGIT:  return "sex_digit";
    case TEREN_CNP_ERROR_DATE:       return "date";
    case TEREN_CNP_ERROR_FUTURE:     return "future";
    case TEREN_CNP_ERROR_COUNTY:     return "county";
    case TEREN_CNP_ERROR_SEQUENCE:   return "sequence";
    case TEREN_CNP_ERROR_CHECKSUM:   return "checksum";
    default:                         return "unknown";
    }
}

const char *
teren_cnp_result_to_message (TerenCnpResult result)
{
  switch (result)
    {
    case TEREN_CNP_OK:
      return _("The CNP is valid");
    case TEREN_CNP_ERROR_EMPTY:
      return _("The CNP is empty");
    case TEREN_CNP_ERROR_LENGTH:
      return _("A CNP has exactly 13 digits");
    case TEREN_CNP_ERROR_NOT_DIGITS:
      return _("A CNP contains only digits");
    case TEREN_CNP_ERROR_SEX_DIGIT:
      return _("The first digit of a CNP cannot be 0");
    case TEREN_CNP_ERROR_DATE:
      return _("The birth date in the CNP is not a real date");
    case TEREN_CNP_ERROR_FUTURE:
      return _("The birth date in the CNP is in the future");
    case TEREN_CNP_ERROR_COUNTY:
      return _("The county code in the CNP does not exist");
    case TEREN_CNP_ERROR_SEQUENCE:
      return _("The sequence number in the CNP cannot be 000");
    case TEREN_CNP_ERROR_CHECKSUM:
      return _("The control digit does not match");
    default:
      return _("The CNP is not valid");
    }
}

char *
teren_cnp_info_birth_date (const TerenCnpInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);

  return g_strdup_printf ("%04d-%02d-%02d", info->year, info->month, info->day);
}
