/* test-csv.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "teren-csv.h"
#include "teren-error.h"

/* Reads every row of @data; returns them as a GPtrArray of GStrv, with their lines. */
static GPtrArray *
read_all (const char  *data,
          gssize       length,
          char         separator,
          GArray     **out_lines,
          char        *out_separator,
          GError     **error)
{
  g_autoptr(TerenCsvReader) reader = NULL;
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  GArray *lines = g_array_new (FALSE, FALSE, sizeof (guint));
  GStrv fields = NULL;
  guint line = 0;

  reader = teren_csv_reader_new (data, length < 0 ? strlen (data) : (gsize) length, separator);
  while (teren_csv_reader_next_row (reader, &fields, &line, error))
    {
      g_ptr_array_add (rows, fields);
      g_array_append_val (lines, line);
    }
  g_assert_null (fields);

  if (out_separator != NULL)
    *out_separator = teren_csv_reader_get_separator (reader);
  if (out_lines != NULL)
    *out_lines = lines;
  else
    g_array_unref (lines);

  return rows;
}

static void
assert_row (GPtrArray  *rows,
            guint       index,
            const char *first,
            ...)
{
  GStrv row;
  const char *expected;
  va_list args;
  guint i = 0;

  g_assert_cmpuint (index, <, rows->len);
  row = g_ptr_array_index (rows, index);

  va_start (args, first);
  for (expected = first; expected != NULL; expected = va_arg (args, const char *))
    {
      g_assert_nonnull (row[i]);
      g_assert_cmpstr (row[i], ==, expected);
      i++;
    }
  va_end (args);

  g_assert_null (row[i]);
}

static void
test_simple (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) lines = NULL;
  char separator = 0;
  g_autoptr(GPtrArray) rows = read_all ("nume,prenume\r\nPop,Ana\r\nIonescu,Ion\r\n", -1, 0,
                                        &lines, &separator, &error);

  g_assert_no_error (error);
  g_assert_cmpint (separator, ==, ',');
  g_assert_cmpuint (rows->len, ==, 3);
  assert_row (rows, 0, "nume", "prenume", NULL);
  assert_row (rows, 1, "Pop", "Ana", NULL);
  assert_row (rows, 2, "Ionescu", "Ion", NULL);
  g_assert_cmpuint (g_array_index (lines, guint, 0), ==, 1);
  g_assert_cmpuint (g_array_index (lines, guint, 2), ==, 3);
}

static void
test_bom_and_semicolon (void)
{
  g_autoptr(GError) error = NULL;
  char separator = 0;
  g_autoptr(GPtrArray) rows = read_all ("\xEF\xBB\xBFnume;prenume;adresa\nPop;Ana;Str. Mare 1, Brăila\n",
                                        -1, 0, NULL, &separator, &error);

  g_assert_no_error (error);
  g_assert_cmpint (separator, ==, ';');
  /* The BOM is not part of the first header. */
  assert_row (rows, 0, "nume", "prenume", "adresa", NULL);
  assert_row (rows, 1, "Pop", "Ana", "Str. Mare 1, Brăila", NULL);
}

static void
test_detection_ignores_quotes (void)
{
  g_autoptr(GError) error = NULL;
  char separator = 0;
  g_autoptr(GPtrArray) rows = read_all ("\"a;b;c\",d\n1,2\n", -1, 0, NULL, &separator, &error);
  g_autoptr(GPtrArray) forced = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (separator, ==, ',');
  assert_row (rows, 0, "a;b;c", "d", NULL);

  /* A separator given by the caller wins. */
  forced = read_all ("a;b,c\n", -1, ',', NULL, &separator, &error);
  g_assert_cmpint (separator, ==, ',');
  assert_row (forced, 0, "a;b", "c", NULL);
}

static void
test_quotes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) lines = NULL;
  g_autoptr(GPtrArray) rows = read_all (
    "id,note\n"
    "1,\"She said \"\"da\"\", then left\"\n"
    "2,\"two\r\nlines, with comma\"\n"
    "3,\"\"\n"
    "4,plain \"quote\" inside\n",
    -1, 0, &lines, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 5);
  assert_row (rows, 1, "1", "She said \"da\", then left", NULL);
  /* Embedded line breaks are kept as they were. */
  assert_row (rows, 2, "2", "two\r\nlines, with comma", NULL);
  assert_row (rows, 3, "3", "", NULL);
  assert_row (rows, 4, "4", "plain \"quote\" inside", NULL);
  /* Row 3 starts on line 3, the next one on line 5 because of the embedded newline. */
  g_assert_cmpuint (g_array_index (lines, guint, 2), ==, 3);
  g_assert_cmpuint (g_array_index (lines, guint, 3), ==, 5);
  g_assert_cmpuint (g_array_index (lines, guint, 4), ==, 6);
}

static void
test_empty_fields_and_endings (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) lines = NULL;
  g_autoptr(GPtrArray) rows = read_all ("a,,c,\n\n\r\n,\rx,y", -1, ',', &lines, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 3);
  assert_row (rows, 0, "a", "", "c", "", NULL);
  /* Blank lines are skipped; a lone CR ends a line; no final newline is needed. */
  assert_row (rows, 1, "", "", NULL);
  assert_row (rows, 2, "x", "y", NULL);
  g_assert_cmpuint (g_array_index (lines, guint, 1), ==, 4);
  g_assert_cmpuint (g_array_index (lines, guint, 2), ==, 5);
}

static void
test_empty_input (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = read_all ("", 0, 0, NULL, NULL, &error);
  g_autoptr(GPtrArray) bom_only = read_all ("\xEF\xBB\xBF", 3, 0, NULL, NULL, &error);
  g_autoptr(GPtrArray) newlines = read_all ("\r\n\n", -1, 0, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 0);
  g_assert_cmpuint (bom_only->len, ==, 0);
  g_assert_cmpuint (newlines->len, ==, 0);
}

static void
test_length_not_nul_terminated (void)
{
  g_autoptr(GError) error = NULL;
  const char data[] = "a,b\nc,d\nGARBAGE";
  g_autoptr(GPtrArray) rows = read_all (data, 8, 0, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  assert_row (rows, 1, "c", "d", NULL);

  /* An exact-size heap buffer ending inside a quoted field. */
  {
    g_autofree char *exact = g_memdup2 ("a,\"b", 4);
    g_autoptr(GPtrArray) none = read_all (exact, 4, 0, NULL, NULL, &error);

    g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
    g_assert_cmpuint (none->len, ==, 0);
  }
}

static void
test_invalid_utf8 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenCsvReader) reader = teren_csv_reader_new ("a,b\nc,d\n\"multi\nline\",\xff\n", 22, 0);
  GStrv fields = NULL;

  g_assert_true (teren_csv_reader_next_row (reader, &fields, NULL, &error));
  g_strfreev (fields);
  g_assert_true (teren_csv_reader_next_row (reader, &fields, NULL, &error));
  g_strfreev (fields);

  /* The bad byte is on line 4 (the row starts on line 3). */
  g_assert_false (teren_csv_reader_next_row (reader, &fields, NULL, &error));
  g_assert_null (fields);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Line 4"));
  g_clear_error (&error);

  /* After an error the reader stops, quietly. */
  g_assert_false (teren_csv_reader_next_row (reader, &fields, NULL, &error));
  g_assert_no_error (error);
}

static void
test_nul_byte (void)
{
  g_autoptr(GError) error = NULL;
  const char data[] = "a,b\nc\0,d\n";
  g_autoptr(GPtrArray) rows = read_all (data, sizeof data - 1, 0, NULL, NULL, &error);

  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Line 2"));
  g_assert_cmpuint (rows->len, ==, 1);
}

static void
test_unterminated_quote (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = read_all ("a,b\n1,2\n3,\"never closed\n4,5\n", -1, 0,
                                        NULL, NULL, &error);

  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Line 3"));
  g_assert_cmpuint (rows->len, ==, 2);
}

static void
test_escape (void)
{
  struct {
    const char *in;
    char        separator;
    const char *out;
  } cases[] = {
    { "plain", ',', "plain" },
    { "", ',', "" },
    { "a,b", ',', "\"a,b\"" },
    { "a;b", ',', "a;b" },
    { "a;b", ';', "\"a;b\"" },
    { "say \"da\"", ',', "\"say \"\"da\"\"\"" },
    { "two\nlines", ',', "\"two\nlines\"" },
    { "cr\r", ';', "\"cr\r\"" },
    { "Ștefănescu", ';', "Ștefănescu" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *escaped = teren_csv_escape (cases[i].in, cases[i].separator);

      g_assert_cmpstr (escaped, ==, cases[i].out);
    }
}

static void
test_round_trip (void)
{
  const char *row1[] = { "nume", "observații", "", NULL };
  const char *row2[] = { "Pop; Ana", "He said \"no\"\r\nthen left", ",", NULL };
  const char *row3[] = { "single", NULL };
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  char separators[] = { ',', ';' };
  guint s;

  for (s = 0; s < G_N_ELEMENTS (separators); s++)
    {
      g_string_truncate (out, 0);
      teren_csv_append_row (out, row1, separators[s]);
      teren_csv_append_row (out, row2, separators[s]);
      teren_csv_append_row (out, row3, separators[s]);
      g_assert_true (g_str_has_suffix (out->str, "single\r\n"));

      g_clear_pointer (&rows, g_ptr_array_unref);
      rows = read_all (out->str, out->len, separators[s], NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (rows->len, ==, 3);
      assert_row (rows, 0, row1[0], row1[1], row1[2], NULL);
      assert_row (rows, 1, row2[0], row2[1], row2[2], NULL);
      assert_row (rows, 2, row3[0], NULL);
    }
}

/* Random bytes from a CSV-ish alphabet: rows or a clear INVALID error, never a crash. */
static void
test_random_input (void)
{
  const char alphabet[] = "ab,;\"\r\n \xc8\x99\xff";
  GRand *rand = g_rand_new_with_seed (4180);
  guint i, j;

  for (i = 0; i < 3000; i++)
    {
      guint len = g_rand_int_range (rand, 0, 60);
      g_autofree char *data = g_malloc (len + 1);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) rows = NULL;

      for (j = 0; j < len; j++)
        data[j] = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];
      data[len] = '\0';

      rows = read_all (data, len, 0, NULL, NULL, &error);
      if (error != NULL)
        g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
      for (j = 0; j < rows->len; j++)
        {
          GStrv row = g_ptr_array_index (rows, j);
          guint k;

          for (k = 0; row[k] != NULL; k++)
            g_assert_true (g_utf8_validate (row[k], -1, NULL));
        }
    }

  g_rand_free (rand);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/csv/simple", test_simple);
  g_test_add_func ("/csv/bom-and-semicolon", test_bom_and_semicolon);
  g_test_add_func ("/csv/detection-ignores-quotes", test_detection_ignores_quotes);
  g_test_add_func ("/csv/quotes", test_quotes);
  g_test_add_func ("/csv/empty-fields-and-endings", test_empty_fields_and_endings);
  g_test_add_func ("/csv/empty-input", test_empty_input);
  g_test_add_func ("/csv/length", test_length_not_nul_terminated);
  g_test_add_func ("/csv/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/csv/nul-byte", test_nul_byte);
  g_test_add_func ("/csv/unterminated-quote", test_unterminated_quote);
  g_test_add_func ("/csv/escape", test_escape);
  g_test_add_func ("/csv/round-trip", test_round_trip);
  g_test_add_func ("/csv/random-input", test_random_input);

  return g_test_run ();
}
