/* test-cnp.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "teren-cnp.h"

/* Every test compares with this date, so that results never depend on the clock. */
static GDate today;

/* @first12 plus its check digit. */
static char *
make_cnp (const char *first12)
{
  return g_strdup_printf ("%s%c", first12, teren_cnp_check_digit (first12));
}

static TerenCnpResult
validate12 (const char *first12)
{
  g_autofree char *cnp = make_cnp (first12);

  return teren_cnp_validate (cnp, &today, NULL);
}

static void
assert_result (const char     *cnp,
               TerenCnpResult  expected)
{
  TerenCnpInfo info = { 'Z', TRUE, -1, -1, -1, -1 };
  TerenCnpResult result = teren_cnp_validate (cnp, &today, &info);

  if (result != expected)
    g_error ("CNP %s: expected %s, got %s", cnp,
             teren_cnp_result_to_code (expected), teren_cnp_result_to_code (result));

  /* @info is only filled on success. */
  if (expected != TEREN_CNP_OK)
    g_assert_cmpint (info.sex, ==, 'Z');
}

static void
test_worked_examples (void)
{
  TerenCnpInfo info;
  g_autofree char *date = NULL;

  g_assert_cmpint (teren_cnp_check_digit ("196010141001"), ==, '9');
  g_assert_cmpint (teren_cnp_check_digit ("524051370001"), ==, '7');
  g_assert_cmpint (teren_cnp_check_digit ("163061512345"), ==, '7');

  g_assert_cmpint (teren_cnp_validate ("1960101410019", &today, &info), ==, TEREN_CNP_OK);
  g_assert_cmpint (info.sex, ==, 'M');
  g_assert_true (info.century_known);
  g_assert_cmpint (info.year, ==, 1996);
  g_assert_cmpint (info.month, ==, 1);
  g_assert_cmpint (info.day, ==, 1);
  g_assert_cmpint (info.county, ==, 41);
  date = teren_cnp_info_birth_date (&info);
  g_assert_cmpstr (date, ==, "1996-01-01");

  /* New-style newborn code with county 70 (SIIEASC, after 8 May 2024). */
  g_assert_cmpint (teren_cnp_validate ("5240513700017", &today, &info), ==, TEREN_CNP_OK);
  g_assert_cmpint (info.sex, ==, 'M');
  g_assert_cmpint (info.year, ==, 2024);
  g_assert_cmpint (info.county, ==, 70);

  g_assert_cmpint (teren_cnp_validate ("1630615123457", &today, &info), ==, TEREN_CNP_OK);
  g_assert_cmpint (info.year, ==, 1963);
  g_assert_cmpint (info.month, ==, 6);
  g_assert_cmpint (info.day, ==, 15);
  g_assert_cmpint (info.county, ==, 12);
}

static void
test_check_digit_ten (void)
{
  /* s mod 11 == 10 gives 1, not 10 or 0. */
  const int weights[12] = { 2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9 };
  const char *first12 = "185010140005";
  int sum = 0;
  guint i;

  for (i = 0; i < 12; i++)
    sum += (first12[i] - '0') * weights[i];
  g_assert_cmpint (sum % 11, ==, 10);
  g_assert_cmpint (teren_cnp_check_digit (first12), ==, '1');
  assert_result ("1850101400051", TEREN_CNP_OK);
  assert_result ("1850101400050", TEREN_CNP_ERROR_CHECKSUM);
}

static void
test_normalize (void)
{
  g_autofree char *a = teren_cnp_normalize (" 196 0101-41 0019 ");
  g_autofree char *b = teren_cnp_normalize (NULL);

  g_assert_cmpstr (a, ==, "1960101410019");
  g_assert_cmpstr (b, ==, "");
  assert_result ("196-0101-410019", TEREN_CNP_OK);
  assert_result ("1 960101 410019", TEREN_CNP_OK);
}

static void
test_empty_and_length (void)
{
  assert_result ("", TEREN_CNP_ERROR_EMPTY);
  assert_result (" - ", TEREN_CNP_ERROR_EMPTY);
  assert_result (NULL, TEREN_CNP_ERROR_EMPTY);
  assert_result ("196010141001", TEREN_CNP_ERROR_LENGTH);
  assert_result ("19601014100190", TEREN_CNP_ERROR_LENGTH);
  assert_result ("123", TEREN_CNP_ERROR_LENGTH);
}

static void
test_not_digits (void)
{
  assert_result ("19601014100a9", TEREN_CNP_ERROR_NOT_DIGITS);
  assert_result ("1960101.10019", TEREN_CNP_ERROR_NOT_DIGITS);
  /* 13 characters, one of them not ASCII: reported as not digits, not as length. */
  assert_result ("196010141001ă", TEREN_CNP_ERROR_NOT_DIGITS);
}

static void
test_sex_digit (void)
{
  g_assert_cmpint (validate12 ("096010141001"), ==, TEREN_CNP_ERROR_SEX_DIGIT);
}

static void
test_date (void)
{
  g_assert_cmpint (validate12 ("196023041001"), ==, TEREN_CNP_ERROR_DATE);  /* 30 Feb */
  g_assert_cmpint (validate12 ("196130141001"), ==, TEREN_CNP_ERROR_DATE);  /* month 13 */
  g_assert_cmpint (validate12 ("196000141001"), ==, TEREN_CNP_ERROR_DATE);  /* month 0 */
  g_assert_cmpint (validate12 ("196010041001"), ==, TEREN_CNP_ERROR_DATE);  /* day 0 */
  g_assert_cmpint (validate12 ("196043141001"), ==, TEREN_CNP_ERROR_DATE);  /* 31 April */
  g_assert_cmpint (validate12 ("190022941001"), ==, TEREN_CNP_ERROR_DATE);  /* 1900 not leap */
  g_assert_cmpint (validate12 ("600022940123"), ==, TEREN_CNP_OK);          /* 2000 leap */
  g_assert_cmpint (validate12 ("196022941001"), ==, TEREN_CNP_OK);          /* 1996 leap */
}

static void
test_future (void)
{
  /* 2027-01-01 is after the test's today (2026-11-22). */
  g_assert_cmpint (validate12 ("527010141001"), ==, TEREN_CNP_ERROR_FUTURE);
  g_assert_cmpint (validate12 ("626112341001"), ==, TEREN_CNP_ERROR_FUTURE);
  g_assert_cmpint (validate12 ("626112241001"), ==, TEREN_CNP_OK);          /* today */
}

static void
test_county (void)
{
  const char *bad[] = { "00", "49", "50", "53", "69", "71", "99" };
  const char *good[] = { "01", "39", "40", "41", "46", "51", "52", "70" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *first12 = g_strdup_printf ("1850101%s001", bad[i]);

      g_assert_cmpint (validate12 (first12), ==, TEREN_CNP_ERROR_COUNTY);
    }
  for (i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *first12 = g_strdup_printf ("1850101%s001", good[i]);

      g_assert_cmpint (validate12 (first12), ==, TEREN_CNP_OK);
    }

  /* Former sectors 7 and 8: only births up to 19 December 1979. */
  g_assert_cmpint (validate12 ("179121947001"), ==, TEREN_CNP_OK);
  g_assert_cmpint (validate12 ("279121948001"), ==, TEREN_CNP_OK);
  g_assert_cmpint (validate12 ("165010147001"), ==, TEREN_CNP_OK);
  g_assert_cmpint (validate12 ("179122047001"), ==, TEREN_CNP_ERROR_COUNTY);
  g_assert_cmpint (validate12 ("185010147001"), ==, TEREN_CNP_ERROR_COUNTY);
  g_assert_cmpint (validate12 ("285010148001"), ==, TEREN_CNP_ERROR_COUNTY);
}

static void
test_sequence (void)
{
  g_assert_cmpint (validate12 ("196010141000"), ==, TEREN_CNP_ERROR_SEQUENCE);
  g_assert_cmpint (validate12 ("196010141001"), ==, TEREN_CNP_OK);
}

static void
test_checksum (void)
{
  assert_result ("1960101410018", TEREN_CNP_ERROR_CHECKSUM);
  assert_result ("1960101410010", TEREN_CNP_ERROR_CHECKSUM);
}

static void
test_sex_and_century (void)
{
  struct {
    const char *first12;
    char        sex;
    gboolean    century_known;
    int         year;
  } cases[] = {
    { "196010141001", 'M', TRUE,  1996 },
    { "296010141001", 'F', TRUE,  1996 },
    { "385010141001", 'M', TRUE,  1885 },
    { "485010141001", 'F', TRUE,  1885 },
    { "505010141001", 'M', TRUE,  2005 },
    { "605010141001", 'F', TRUE,  2005 },
    /* 7, 8, 9: century unknown; 20xx unless the person would be under 14. */
    { "705060712345", 'M', FALSE, 2005 },
    { "805060712345", 'F', FALSE, 2005 },
    { "905060712345", 0,   FALSE, 2005 },
    { "720060712345", 'M', FALSE, 1920 },
    { "811111112345", 'F', FALSE, 2011 },   /* 15 years old */
    { "713010112345", 'M', FALSE, 1913 },   /* 2013: 13 years old → 1913 */
    { "712010112345", 'M', FALSE, 2012 },   /* 2012: 14 years old → 2012 */
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *cnp = make_cnp (cases[i].first12);
      TerenCnpInfo info;

      g_assert_cmpint (teren_cnp_validate (cnp, &today, &info), ==, TEREN_CNP_OK);
      g_assert_cmpint (info.sex, ==, cases[i].sex);
      g_assert_cmpint (info.century_known, ==, cases[i].century_known);
      g_assert_cmpint (info.year, ==, cases[i].year);
    }
}

static void
test_codes_and_messages (void)
{
  const char *codes[] = { "ok", "empty", "length", "not_digits", "sex_digit", "date",
                          "future", "county", "sequence", "checksum" };
  guint i;

  for (i = 0; i <= TEREN_CNP_ERROR_CHECKSUM; i++)
    {
      const char *message = teren_cnp_result_to_message ((TerenCnpResult) i);

      g_assert_cmpstr (teren_cnp_result_to_code ((TerenCnpResult) i), ==, codes[i]);
      g_assert_nonnull (message);
      g_assert_cmpuint (strlen (message), >, 5);
    }
  g_assert_cmpstr (teren_cnp_result_to_message (TEREN_CNP_ERROR_CHECKSUM), ==,
                   "The control digit does not match");
}

static void
test_today_default (void)
{
  /* Without @today the local date is used; a code from 1996 is in the past either way. */
  g_assert_cmpint (teren_cnp_validate ("1960101410019", NULL, NULL), ==, TEREN_CNP_OK);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 22, G_DATE_NOVEMBER, 2026);

  g_test_add_func ("/cnp/worked-examples", test_worked_examples);
  g_test_add_func ("/cnp/check-digit-ten", test_check_digit_ten);
  g_test_add_func ("/cnp/normalize", test_normalize);
  g_test_add_func ("/cnp/empty-and-length", test_empty_and_length);
  g_test_add_func ("/cnp/not-digits", test_not_digits);
  g_test_add_func ("/cnp/sex-digit", test_sex_digit);
  g_test_add_func ("/cnp/date", test_date);
  g_test_add_func ("/cnp/future", test_future);
  g_test_add_func ("/cnp/county", test_county);
  g_test_add_func ("/cnp/sequence", test_sequence);
  g_test_add_func ("/cnp/checksum", test_checksum);
  g_test_add_func ("/cnp/sex-and-century", test_sex_and_century);
  g_test_add_func ("/cnp/codes-and-messages", test_codes_and_messages);
  g_test_add_func ("/cnp/today-default", test_today_default);

  return g_test_run ();
}
