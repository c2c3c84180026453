/* test-nomenclature.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "teren-error.h"
#include "teren-line.h"
#include "teren-nomenclature.h"

static gboolean
is_stable_code (const char *code)
{
  const char *p;

  if (code[0] == '\0')
    return FALSE;
  for (p = code; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      return FALSE;

  return TRUE;
}

static void
test_all_lists (void)
{
  const char *required[] = {
    "id_document_type", "sex", "ethnicity", "civil_status", "education", "occupation",
    "income_band", "environment", "ternary", "removal_reason", "case_closure_reason",
    "disability_degree", "disability_type", "relationship", "case_status", "case_source",
    "cnp_status", "visit_status", "visit_place",
  };
  const TerenNomenclature * const *list;
  guint n, i, j;

  for (i = 0; i < G_N_ELEMENTS (required); i++)
    g_assert_nonnull (teren_nomenclature_lookup (required[i]));
  g_assert_null (teren_nomenclature_lookup ("nonsense"));
  g_assert_null (teren_nomenclature_lookup (NULL));

  list = teren_nomenclature_list (&n);
  g_assert_cmpuint (n, >=, G_N_ELEMENTS (required));
  g_assert_null (list[n]);

  for (i = 0; i < n; i++)
    {
      const TerenNomenclature *nomenclature = list[i];
      g_autoptr(GHashTable) codes = g_hash_table_new (g_str_hash, g_str_equal);

      g_assert_true (teren_nomenclature_lookup (nomenclature->name) == nomenclature);
      g_assert_cmpstr (teren_nomenclature_get_name_label (nomenclature), !=, "");
      g_assert_cmpuint (nomenclature->n_items, >=, 2);

      for (j = 0; j < nomenclature->n_items; j++)
        {
          const TerenNomenclatureItem *item = &nomenclature->items[j];

          /* Codes are stored in records: ASCII, unique within the list. */
          g_assert_true (is_stable_code (item->code));
          g_assert_false (g_hash_table_contains (codes, item->code));
          g_hash_table_add (codes, (gpointer) item->code);
          g_assert_true (teren_nomenclature_has_code (nomenclature, item->code));
          g_assert_cmpstr (teren_nomenclature_get_label (nomenclature, item->code), ==, item->label);
          g_assert_cmpuint (strlen (item->label), >, 0);
        }

      g_assert_false (teren_nomenclature_has_code (nomenclature, "no_such_code"));
      g_assert_false (teren_nomenclature_has_code (nomenclature, NULL));
      g_assert_null (teren_nomenclature_get_label (nomenclature, "no_such_code"));
    }
}

static void
assert_codes (const char *name,
              const char *first,
              ...)
{
  const TerenNomenclature *nomenclature = teren_nomenclature_lookup (name);
  const char *code;
  va_list args;
  guint i = 0;

  g_assert_nonnull (nomenclature);
  va_start (args, first);
  for (code = first; code != NULL; code = va_arg (args, const char *))
    {
      g_assert_cmpuint (i, <, nomenclature->n_items);
      g_assert_cmpstr (nomenclature->items[i].code, ==, code);
      i++;
    }
  va_end (args);
  g_assert_cmpuint (i, ==, nomenclature->n_items);
}

static void
test_official_lists (void)
{
  const TerenNomenclature *sex = teren_nomenclature_lookup ("sex");

  assert_codes ("sex", "F", "M", "X", NULL);
  g_assert_cmpstr (teren_nomenclature_get_label (sex, "F"), ==, "Female");
  g_assert_cmpstr (teren_nomenclature_get_label (sex, "M"), ==, "Male");

  assert_codes ("cnp_status", "valid", "missing", "refused", "non_standard", NULL);
  assert_codes ("visit_status", "planned", "done", "not_done", NULL);
  assert_codes ("environment", "urban", "rural", NULL);
  assert_codes ("ternary", "yes", "no", "unknown", NULL);
  assert_codes ("disability_degree", "mild", "moderate", "pronounced", "severe", NULL);
  assert_codes ("disability_type", "physical", "visual", "hearing", "deafblind", "somatic",
                "mental", "psychic", "hiv_aids", "associated", "rare_disease", NULL);
  assert_codes ("id_document_type", "birth_certificate", "identity_card", "ro_passport",
                "foreign_passport", "other", "none", NULL);
  assert_codes ("ethnicity", "romanian", "hungarian", "roma", "ukrainian", "german",
                "lipovan_russian", "turkish", "tatar", "serbian", "other", NULL);

  g_assert_true (teren_nomenclature_has_code (teren_nomenclature_lookup ("relationship"), "head"));
  g_assert_true (teren_nomenclature_has_code (teren_nomenclature_lookup ("relationship"),
                                              "legal_representative"));
  g_assert_true (teren_nomenclature_has_code (teren_nomenclature_lookup ("case_status"), "open"));
  g_assert_true (teren_nomenclature_has_code (teren_nomenclature_lookup ("case_status"), "closed"));
  g_assert_true (teren_nomenclature_has_code (teren_nomenclature_lookup ("case_source"), "ex_officio"));

  g_assert_cmpstr (teren_nomenclature_environment_from_med (1), ==, "urban");
  g_assert_cmpstr (teren_nomenclature_environment_from_med (3), ==, "rural");
  g_assert_null (teren_nomenclature_environment_from_med (0));
}

static gboolean
icon_exists (const char *icon_name)
{
  const char *contexts[] = { "actions", "apps", "categories", "devices", "emblems", "emotes",
                             "legacy", "mimetypes", "places", "status", "ui" };
  g_autofree char *file = g_strconcat (icon_name, ".svg", NULL);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (contexts); i++)
    {
      g_autofree char *path = g_build_filename ("/usr/share/icons/Adwaita/scalable",
                                                contexts[i], file, NULL);

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        return TRUE;
    }

  return FALSE;
}

static void
test_lines (void)
{
  const char *ids[] = { "creche", "child", "elderly", "canteen", "homeless", "school_health",
                        "community_health", "disability", "adult" };
  const TerenLine *lines;
  gboolean have_theme = g_file_test ("/usr/share/icons/Adwaita/scalable", G_FILE_TEST_IS_DIR);
  guint n, i;

  lines = teren_line_list (&n);
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (ids));
  for (i = 0; i < n; i++)
    {
      g_assert_cmpstr (lines[i].id, ==, ids[i]);
      g_assert_true (teren_line_lookup (ids[i]) == &lines[i]);
      g_assert_true (teren_line_is_valid (ids[i]));
      g_assert_cmpstr (teren_line_get_label (&lines[i]), !=, "");
      g_assert_true (g_str_has_suffix (lines[i].icon_name, "-symbolic"));
      if (have_theme && !icon_exists (lines[i].icon_name))
        g_error ("icon %s is not in the Adwaita theme", lines[i].icon_name);
    }

  g_assert_cmpstr (teren_line_lookup ("child")->label, ==, "Child protection");
  g_assert_cmpstr (teren_line_lookup ("creche")->label, ==, "Crèches");
  g_assert_false (teren_line_is_valid (""));
  g_assert_false (teren_line_is_valid (NULL));
  g_assert_false (teren_line_is_valid ("Child"));
  g_assert_null (teren_line_lookup ("registry"));
}

static void
test_parse_list (void)
{
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) empty = NULL;
  g_auto(GStrv) bad = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (teren_line_parse_list (" child, elderly ,child,,adult", &lines, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_cmpstr (lines[0], ==, "child");
  g_assert_cmpstr (lines[1], ==, "elderly");
  g_assert_cmpstr (lines[2], ==, "adult");

  g_assert_true (teren_line_parse_list ("", &empty, &error));
  g_assert_cmpuint (g_strv_length (empty), ==, 0);

  g_assert_false (teren_line_parse_list ("child,kindergarten", &bad, &error));
  g_assert_null (bad);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "kindergarten"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/nomenclature/all-lists", test_all_lists);
  g_test_add_func ("/nomenclature/official-lists", test_official_lists);
  g_test_add_func ("/line/list", test_lines);
  g_test_add_func ("/line/parse-list", test_parse_list);

  return g_test_run ();
}
