/* test-table.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The exported form of a list (issue 7): CSV with a BOM for Excel, ',' or ';', quoting,
 * formula protection, read back by the project's CSV reader; JSON objects per row.
 */

#include "config.h"

#include <json-glib/json-glib.h>

#include "teren-csv.h"
#include "teren-table.h"

#define UTF8_BOM "\xEF\xBB\xBF"

static TerenTable *
sample_table (void)
{
  static const char * const columns[] = { "id", "name", "note", "amount", NULL };
  static const char * const row1[] = { "p1", "Ștefănescu Ana", "a; b, \"c\"\nd", "-12.5", NULL };
  static const char * const row2[] = { "p2", "Țepeș Ion", "=SUM(A1)", NULL, NULL };
  TerenTable *table = teren_table_new (columns);

  teren_table_add_row (table, row1);
  teren_table_add_row (table, row2);
  return table;
}

static void
check_csv (char separator)
{
  g_autoptr(TerenTable) table = sample_table ();
  g_autoptr(GBytes) bytes = teren_table_to_csv (table, separator);
  g_autoptr(TerenCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  const char *data;
  gsize length = 0;
  g_auto(GStrv) header = NULL, first = NULL, second = NULL, none = NULL;

  data = g_bytes_get_data (bytes, &length);
  g_assert_true (length > 3 && memcmp (data, UTF8_BOM, 3) == 0);
  g_assert_true (g_utf8_validate (data, length, NULL));
  g_assert_nonnull (g_strstr_len (data, length, "\r\n"));

  /* Read back with the separator detected from the header. */
  reader = teren_csv_reader_new (data, length, 0);
  g_assert_true (teren_csv_reader_next_row (reader, &header, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (teren_csv_reader_get_separator (reader), ==, separator);
  g_assert_cmpstrv (header, ((const char * const []) { "id", "name", "note", "amount", NULL }));
  g_assert_true (teren_csv_reader_next_row (reader, &first, NULL, &error));
  g_assert_cmpstrv (first, ((const char * const []) { "p1", "Ștefănescu Ana", "a; b, \"c\"\nd", "-12.5", NULL }));
  g_assert_true (teren_csv_reader_next_row (reader, &second, NULL, &error));
  /* A formula is not run by the spreadsheet; an empty cell stays empty. */
  g_assert_cmpstrv (second, ((const char * const []) { "p2", "Țepeș Ion", "'=SUM(A1)", "", NULL }));
  g_assert_false (teren_csv_reader_next_row (reader, &none, NULL, &error));
  g_assert_no_error (error);
}

static void
test_csv_comma (void)
{
  check_csv (',');
}

static void
test_csv_semicolon (void)
{
  check_csv (';');
}

static void
test_json (void)
{
  g_autoptr(TerenTable) table = sample_table ();
  g_autoptr(GBytes) bytes = teren_table_serialize (table, TEREN_TABLE_JSON, ',');
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *array;
  JsonObject *first, *second;

  json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  first = json_array_get_object_element (array, 0);
  second = json_array_get_object_element (array, 1);
  g_assert_cmpstr (json_object_get_string_member (first, "name"), ==, "Ștefănescu Ana");
  g_assert_cmpstr (json_object_get_string_member (first, "note"), ==, "a; b, \"c\"\nd");
  /* JSON keeps the text as it is: no apostrophe. */
  g_assert_cmpstr (json_object_get_string_member (second, "note"), ==, "=SUM(A1)");
  g_assert_true (json_object_get_null_member (second, "amount"));
}

static void
test_empty (void)
{
  static const char * const columns[] = { "id", NULL };
  g_autoptr(TerenTable) table = teren_table_new (columns);
  g_autoptr(GBytes) csv = teren_table_to_csv (table, ';');
  g_autoptr(GBytes) json = teren_table_to_json (table);

  g_assert_cmpuint (teren_table_get_n_rows (table), ==, 0);
  g_assert_cmpmem (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv), UTF8_BOM "id\r\n", 7);
  g_assert_cmpstr (g_bytes_get_data (json, NULL), ==, "[]\n");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/teren/table/csv-comma", test_csv_comma);
  g_test_add_func ("/teren/table/csv-semicolon", test_csv_semicolon);
  g_test_add_func ("/teren/table/json", test_json);
  g_test_add_func ("/teren/table/empty", test_empty);

  return g_test_run ();
}
