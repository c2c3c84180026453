/* test-import-columns.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

#include <glib/gstdio.h>

#include "teren-error.h"
#include "teren-import-columns.h"
#include "teren-mo-catalog.h"
#include "teren-schema.h"

/* The Romanian catalog built in the build tree. */
static TerenMoCatalog *
load_romanian (void)
{
  const char *build_root = g_getenv ("TEREN_BUILD_ROOT");
  g_autofree char *localedir = NULL;
  TerenMoCatalog *catalog;

  g_assert_nonnull (build_root);
  localedir = g_build_filename (build_root, "po", NULL);
  g_setenv ("TEREN_LOCALEDIR", localedir, TRUE);

  catalog = teren_mo_catalog_new_for_language ("ro");
  g_assert_nonnull (catalog);
  return catalog;
}

static const char *
match (const char     *kind,
       const char     *title,
       TerenMoCatalog *romanian)
{
  const TerenFieldDef *field;

  field = teren_import_match_title (teren_schema_lookup_kind (kind), title, romanian);
  return field != NULL ? field->key : NULL;
}

static void
test_mo_catalog_lookup (void)
{
  g_autoptr(TerenMoCatalog) romanian = load_romanian ();

  g_assert_cmpuint (teren_mo_catalog_get_size (romanian), >, 50);
  /* A translation of this program's own strings, and of a schema label. */
  g_assert_cmpstr (teren_mo_catalog_lookup (romanian, "Commands:"), ==, "Comenzi:");
  g_assert_nonnull (teren_mo_catalog_lookup (romanian, "Last name"));
  g_assert_null (teren_mo_catalog_lookup (romanian, "No such message in the catalog"));
  g_assert_null (teren_mo_catalog_lookup (romanian, ""));
}

static void
test_mo_catalog_corrupt (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("teren-mo-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "bad.mo", NULL);
  /* The right magic, then tables pointing past the end of the file. */
  static const guint8 bad[] = {
    0xde, 0x12, 0x04, 0x95, 0, 0, 0, 0, 5, 0, 0, 0, 0xff, 0xff, 0, 0, 0xff, 0xff, 0, 0,
  };
  TerenMoCatalog *catalog;

  g_assert_true (g_file_set_contents (path, (const char *)bad, sizeof bad, NULL));
  catalog = teren_mo_catalog_new_from_file (path, &error);
  g_assert_null (catalog);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_CORRUPT);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (path, "not a catalog at all", -1, NULL));
  catalog = teren_mo_catalog_new_from_file (path, &error);
  g_assert_null (catalog);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_CORRUPT);
  g_clear_error (&error);

  g_assert_cmpint (g_unlink (path), ==, 0);
  catalog = teren_mo_catalog_new_from_file (path, &error);
  g_assert_null (catalog);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_IO);

  g_rmdir (dir);
}

static void
test_match_titles (void)
{
  g_autoptr(TerenMoCatalog) romanian = load_romanian ();

  /* Stable keys, English labels. */
  g_assert_cmpstr (match ("person", "cnp", NULL), ==, "cnp");
  g_assert_cmpstr (match ("person", "last_name", NULL), ==, "last_name");
  g_assert_cmpstr (match ("person", "LAST_NAME", NULL), ==, "last_name");
  g_assert_cmpstr (match ("person", "Birth date", NULL), ==, "birth_date");
  g_assert_cmpstr (match ("person", "first name", NULL), ==, "first_name");

  /* Romanian titles: with comma-below, cedilla, without diacritics, any case, with
   * punctuation around. */
  g_assert_cmpstr (match ("person", "CNP", romanian), ==, "cnp");
  g_assert_cmpstr (match ("person", "Nume", romanian), ==, "last_name");
  g_assert_cmpstr (match ("person", "Prenume", romanian), ==, "first_name");
  g_assert_cmpstr (match ("person", "Data nașterii", romanian), ==, "birth_date");
  g_assert_cmpstr (match ("person", "Data naşterii", romanian), ==, "birth_date");
  g_assert_cmpstr (match ("person", "Data nasterii", romanian), ==, "birth_date");
  g_assert_cmpstr (match ("person", "DATA NAȘTERII", romanian), ==, "birth_date");
  g_assert_cmpstr (match ("person", " Data nașterii (zz.ll.aaaa) ", romanian), ==, "birth_date");
  g_assert_cmpstr (match ("person", "Sex", romanian), ==, "sex");
  g_assert_cmpstr (match ("person", "Cod numeric personal", romanian), ==, "cnp");
  g_assert_cmpstr (match ("person", "Telefon", romanian), ==, "phone");
  g_assert_cmpstr (match ("person", "Observații", romanian), ==, "notes");

  /* The Romanian label of every person field, as the translations give it. */
  {
    const TerenKindDef *person = teren_schema_lookup_kind ("person");
    guint i;

    for (i = 0; i < person->n_fields; i++)
      {
        const char *label = teren_mo_catalog_lookup (romanian, person->fields[i].label);

        g_assert_nonnull (label);
        g_assert_cmpstr (match ("person", label, romanian), ==, person->fields[i].key);
      }
  }

  /* Unknown titles. */
  g_assert_null (match ("person", "Nr. crt.", romanian));
  g_assert_null (match ("person", "", romanian));
  g_assert_null (match ("person", "   ", romanian));
  g_assert_null (match ("person", "Numele mamei", romanian));
}

static void
test_columns_required (void)
{
  g_autoptr(TerenMoCatalog) romanian = load_romanian ();
  const TerenKindDef *person = teren_schema_lookup_kind ("person");
  g_autoptr(TerenImportColumns) columns = NULL;
  g_autoptr(GError) error = NULL;
  const char *good[] = { "Nr. crt.", "CNP", "Nume", "Prenume", "Sex", "Altceva", NULL };
  const char *no_sex_with_cnp[] = { "CNP", "Nume", "Prenume", NULL };
  const char *missing[] = { "CNP", "Data nașterii", NULL };
  const char *no_sex[] = { "Nume", "Prenume", NULL };
  const char *twice[] = { "Nume", "Prenume", "Sex", "last_name", NULL };

  columns = teren_import_columns_new (person, good, romanian, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (teren_import_columns_get_n_columns (columns), ==, 6);
  g_assert_null (teren_import_columns_get_field (columns, 0));
  g_assert_cmpstr (teren_import_columns_get_field (columns, 1)->key, ==, "cnp");
  g_assert_cmpstr (teren_import_columns_get_field (columns, 2)->key, ==, "last_name");
  g_assert_null (teren_import_columns_get_field (columns, 5));
  g_assert_cmpstr (teren_import_columns_get_title (columns, 5), ==, "Altceva");
  g_assert_true (teren_import_columns_has_field (columns, "sex"));
  g_assert_false (teren_import_columns_has_field (columns, "cnp_status"));
  g_clear_pointer (&columns, teren_import_columns_free);

  /* Sex comes from the CNP when there is a CNP column. */
  columns = teren_import_columns_new (person, no_sex_with_cnp, romanian, &error);
  g_assert_no_error (error);
  g_clear_pointer (&columns, teren_import_columns_free);

  /* The message names every missing required column. */
  columns = teren_import_columns_new (person, missing, romanian, &error);
  g_assert_null (columns);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "last_name"));
  g_assert_nonnull (strstr (error->message, "first_name"));
  g_assert_null (strstr (error->message, "cnp_status"));
  g_clear_error (&error);

  columns = teren_import_columns_new (person, no_sex, romanian, &error);
  g_assert_null (columns);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "(sex)"));
  g_clear_error (&error);

  /* Two columns for one field. */
  columns = teren_import_columns_new (person, twice, romanian, &error);
  g_assert_null (columns);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "1"));
  g_assert_nonnull (strstr (error->message, "4"));
}

/* The value of @text for @key of a person, as compact JSON, or NULL on error. */
static char *
value (const char     *key,
       const char     *text,
       TerenMoCatalog *romanian)
{
  const TerenKindDef *person = teren_schema_lookup_kind ("person");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = teren_import_value_from_text (teren_kind_lookup_field (person, key), text, romanian,
                                       &error);
  if (node == NULL)
    {
      g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
      g_assert_nonnull (error->message);
      return NULL;
    }
  g_assert_no_error (error);
  return json_to_string (node, FALSE);
}

#define assert_value(key, text, expected) \
  G_STMT_START { \
    g_autofree char *got_ = value (key, text, romanian); \
    g_assert_cmpstr (got_, ==, expected); \
  } G_STMT_END

static void
test_values (void)
{
  g_autoptr(TerenMoCatalog) romanian = load_romanian ();

  /* Sex as a code, a label in either language, or the usual spellings. */
  assert_value ("sex", "M", "\"M\"");
  assert_value ("sex", "m", "\"M\"");
  assert_value ("sex", "F", "\"F\"");
  assert_value ("sex", "masculin", "\"M\"");
  assert_value ("sex", "Feminin", "\"F\"");
  assert_value ("sex", "FEMEIE", "\"F\"");
  assert_value ("sex", "Male", "\"M\"");
  assert_value ("sex", "female", "\"F\"");
  assert_value ("sex", "bărbat", "\"M\"");
  assert_value ("sex", "necunoscut", NULL);

  /* Dates in both forms, with a time Excel may add; not a date. */
  assert_value ("birth_date", "1985-03-12", "\"1985-03-12\"");
  assert_value ("birth_date", "12.03.1985", "\"1985-03-12\"");
  assert_value ("birth_date", "2.3.1985", "\"1985-03-02\"");
  assert_value ("birth_date", "1985-03-12 00:00:00", "\"1985-03-12\"");
  assert_value ("birth_date", "31.02.1985", NULL);
  assert_value ("birth_date", "ieri", NULL);

  /* A CNP without its spaces and dashes. */
  assert_value ("cnp", "1960101 410019", "\"1960101410019\"");
  assert_value ("cnp", "196-0101-410019", "\"1960101410019\"");

  /* cnp_status by code or label. */
  assert_value ("cnp_status", "missing", "\"missing\"");
  assert_value ("cnp_status", "fără CNP", "\"missing\"");

  /* Multi-choice: codes or labels, separated by , ; or |, duplicates dropped. */
  assert_value ("disability_type", "Fizic; Vizual|fizic", "[\"physical\",\"visual\"]");
  assert_value ("disability_type", "physical,hearing", "[\"physical\",\"hearing\"]");
  assert_value ("disability_type", "fizic, altceva", NULL);

  /* Text is kept as typed. */
  assert_value ("last_name", "Ştefănescu", "\"Ştefănescu\"");
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/teren/cli/mo-catalog/lookup", test_mo_catalog_lookup);
  g_test_add_func ("/teren/cli/mo-catalog/corrupt", test_mo_catalog_corrupt);
  g_test_add_func ("/teren/cli/import/match-titles", test_match_titles);
  g_test_add_func ("/teren/cli/import/columns-required", test_columns_required);
  g_test_add_func ("/teren/cli/import/values", test_values);

  return g_test_run ();
}
