/* test-date.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "teren-date.h"

static void
assert_iso (const char *input,
            const char *expected)
{
  g_autofree char *iso = teren_date_to_iso (input);

  g_assert_cmpstr (iso, ==, expected);
}

static void
test_parse_iso (void)
{
  GDate date;

  g_assert_true (teren_date_parse ("2024-02-29", &date));
  g_assert_cmpint (g_date_get_year (&date), ==, 2024);
  g_assert_cmpint (g_date_get_month (&date), ==, 2);
  g_assert_cmpint (g_date_get_day (&date), ==, 29);

  assert_iso ("1996-01-01", "1996-01-01");
  assert_iso ("2023-02-29", NULL);      /* not a leap year */
  assert_iso ("2024-13-01", NULL);
  assert_iso ("2024-04-31", NULL);
  assert_iso ("2024-00-10", NULL);
  assert_iso ("2024-1-02", NULL);       /* ISO needs two digits */
  assert_iso ("24-01-02", NULL);
  assert_iso ("2024-01-02x", NULL);
  assert_iso ("2024-01-02T10:00", NULL);
  assert_iso ("", NULL);
  assert_iso (NULL, NULL);
  g_assert_false (teren_date_parse ("0000-01-01", &date));
}

static void
test_parse_romanian (void)
{
  assert_iso ("29.02.2024", "2024-02-29");
  assert_iso ("1.2.2020", "2020-02-01");
  assert_iso ("01.12.1950", "1950-12-01");
  assert_iso (" 05.06.2001 ", "2001-06-05");
  assert_iso ("29.02.2023", NULL);
  assert_iso ("32.01.2020", NULL);
  assert_iso ("01.13.2020", NULL);
  assert_iso ("01.02.20", NULL);        /* two-digit years are ambiguous */
  assert_iso ("01.02.02020", NULL);
  assert_iso ("01/02/2020", NULL);
  assert_iso ("1..2020", NULL);
}

static void
test_display (void)
{
  g_autofree char *a = teren_date_to_display ("2024-02-09");
  g_autofree char *b = teren_date_to_display ("09.02.2024");
  g_autofree char *c = teren_date_to_display ("2024-02-30");
  g_autofree char *d = teren_date_to_display (NULL);

  g_assert_cmpstr (a, ==, "09.02.2024");
  g_assert_null (b);   /* input must be ISO */
  g_assert_null (c);
  g_assert_null (d);
}

static gboolean
same_day (const GDate *date,
          GDateTime   *time)
{
  return (int) g_date_get_year (date) == g_date_time_get_year (time) &&
         (int) g_date_get_month (date) == g_date_time_get_month (time) &&
         (int) g_date_get_day (date) == g_date_time_get_day_of_month (time);
}

static void
test_today (void)
{
  GDate today;
  g_autoptr(GDateTime) before = g_date_time_new_now_local ();
  g_autoptr(GDateTime) after = NULL;

  teren_date_today (&today);
  after = g_date_time_new_now_local ();

  g_assert_true (g_date_valid (&today));
  /* Midnight may pass between the two readings. */
  g_assert_true (same_day (&today, before) || same_day (&today, after));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/date/parse-iso", test_parse_iso);
  g_test_add_func ("/date/parse-romanian", test_parse_romanian);
  g_test_add_func ("/date/display", test_display);
  g_test_add_func ("/date/today", test_today);

  return g_test_run ();
}
