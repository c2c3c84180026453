/* teren-date.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "teren-date.h"

/* Reads 1..@max_digits ASCII digits; at least @min_digits. */
static gboolean
read_number (const char **p,
             guint        min_digits,
             guint        max_digits,
             int         *out)
{
  guint n = 0;
  int value = 0;

  while (n < max_digits && g_ascii_isdigit ((*p)[n]))
    {
      value = value * 10 + ((*p)[n] - '0');
      n++;
    }

  if (n < min_digits || g_ascii_isdigit ((*p)[n]))
    return FALSE;

  *p += n;
  *out = value;
  return TRUE;
}

static gboolean
set_date (GDate *out_date,
          int    year,
          int    month,
          int    day)
{
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31)
    return FALSE;
  if (!g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return FALSE;

  g_date_clear (out_date, 1);
  g_date_set_dmy (out_date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  return TRUE;
}

gboolean
teren_date_parse (const char *text,
                  GDate      *out_date)
{
  const char *p;
  const char *start;
  int a, b, c;

  g_return_val_if_fail (out_date != NULL, FALSE);

  if (text == NULL)
    return FALSE;

  p = text;
  while (*p == ' ')
    p++;
  start = p;

  if (!read_number (&p, 1, 4, &a))
    return FALSE;

  if (*p == '-')
    {
      /* YYYY-MM-DD: exactly four, two and two digits. */
      if (p - start != 4)
        return FALSE;
      p++;
      if (!read_number (&p, 2, 2, &b) || *p++ != '-' || !read_number (&p, 2, 2, &c))
        return FALSE;
      while (*p == ' ')
        p++;
      if (*p != '\0')
        return FALSE;
      return set_date (out_date, a, b, c);
    }

  if (*p == '.')
    {
      /* zz.ll.aaaa, also z.l.aaaa; the year always has four digits. */
      const char *year_start;

      p++;
      if (!read_number (&p, 1, 2, &b) || *p++ != '.')
        return FALSE;
      year_start = p;
      if (!read_number (&p, 4, 4, &c) || p - year_start != 4)
        return FALSE;
      while (*p == ' ')
        p++;
      if (*p != '\0')
        return FALSE;
      return set_date (out_date, c, b, a);
    }

  return FALSE;
}

char *
teren_date_to_iso (const char *text)
{
  GDate date;

  if (!teren_date_parse (text, &date))
    return NULL;

  return g_strdup_printf ("%04u-%02u-%02u",
                          (guint) g_date_get_year (&date),
                          (guint) g_date_get_month (&date),
                          (guint) g_date_get_day (&date));
}

char *
teren_date_to_display (const char *iso)
{
  GDate date;

  if (iso == NULL || strchr (iso, '-') == NULL || !teren_date_parse (iso, &date))
    return NULL;

  return g_strdup_printf ("%02u.%02u.%04u",
                          (guint) g_date_get_day (&date),
                          (guint) g_date_get_month (&date),
                          (guint) g_date_get_year (&date));
}

void
teren_date_today (GDate *out_date)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  g_return_if_fail (out_date != NULL);

  g_date_clear (out_date, 1);
  g_date_set_dmy (out_date,
                  (GDateDay) g_date_time_get_day_of_month (now),
                  (GDateMonth) g_date_time_get_month (now),
                  (GDateYear) g_date_time_get_year (now));
}
