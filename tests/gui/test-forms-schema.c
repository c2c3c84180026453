/* test-forms-schema.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "teren-schema.h"

/* Every form file under ui/forms/ names only keys of its kind, and every required field
 * of the kind appears in it (DESIGN.md "Forms"). The files are read as XML, so this needs
 * no display. */

typedef struct
{
  GPtrArray *keys;          /* keys named by TerenFieldRow objects */
  int        field_depth;   /* >0 inside a TerenFieldRow */
  gboolean   in_key;
  GString   *text;
  int        depth;
} Scan;

static void
start_element (GMarkupParseContext  *context,
               const char           *element,
               const char          **names,
               const char          **values,
               gpointer              user_data,
               GError              **error)
{
  Scan *scan = user_data;
  guint i;

  scan->depth++;

  if (strcmp (element, "object") == 0)
    {
      for (i = 0; names[i] != NULL; i++)
        if (strcmp (names[i], "class") == 0 && strcmp (values[i], "TerenFieldRow") == 0)
          scan->field_depth = scan->depth;
      return;
    }

  if (strcmp (element, "property") == 0 && scan->field_depth > 0 &&
      scan->depth == scan->field_depth + 1)
    for (i = 0; names[i] != NULL; i++)
      if (strcmp (names[i], "name") == 0 && strcmp (values[i], "key") == 0)
        {
          scan->in_key = TRUE;
          g_string_truncate (scan->text, 0);
        }
}

static void
end_element (GMarkupParseContext  *context,
             const char           *element,
             gpointer              user_data,
             GError              **error)
{
  Scan *scan = user_data;

  if (scan->in_key && strcmp (element, "property") == 0)
    {
      g_ptr_array_add (scan->keys, g_strstrip (g_strdup (scan->text->str)));
      scan->in_key = FALSE;
    }
  if (strcmp (element, "object") == 0 && scan->depth == scan->field_depth)
    scan->field_depth = 0;
  scan->depth--;
}

static void
text_cb (GMarkupParseContext  *context,
         const char           *text,
         gsize                 length,
         gpointer              user_data,
         GError              **error)
{
  Scan *scan = user_data;

  if (scan->in_key)
    g_string_append_len (scan->text, text, length);
}

static const GMarkupParser parser = { start_element, end_element, text_cb, NULL, NULL };

/* ui/forms/registry/person.ui → "person"; ui/forms/child/social_inquiry.ui →
 * "child.social_inquiry". */
static char *
kind_for_file (const char *folder,
               const char *file)
{
  g_autofree char *name = g_strndup (file, strlen (file) - strlen (".ui"));

  if (strcmp (folder, "registry") == 0)
    return g_steal_pointer (&name);
  return g_strdup_printf ("%s.%s", folder, name);
}

/* Returns the problems found (transfer full), empty when the form is right. */
static GPtrArray *
check_form (const char *path,
            const char *kind_name)
{
  GPtrArray *problems = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  const TerenKindDef *kind = teren_schema_lookup_kind (kind_name);
  Scan scan = { keys, 0, FALSE, g_string_new (NULL), 0 };
  gsize length = 0;
  guint i, j;

  if (kind == NULL)
    {
      g_ptr_array_add (problems, g_strdup_printf ("%s: no kind \"%s\" in the schema", path, kind_name));
      g_string_free (scan.text, TRUE);
      return problems;
    }

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  context = g_markup_parse_context_new (&parser, 0, &scan, NULL);
  g_markup_parse_context_parse (context, contents, length, &error);
  g_assert_no_error (error);
  g_markup_parse_context_end_parse (context, &error);
  g_assert_no_error (error);
  g_string_free (scan.text, TRUE);

  if (keys->len == 0)
    g_ptr_array_add (problems, g_strdup_printf ("%s names no field", path));

  for (i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);

      if (teren_kind_lookup_field (kind, key) == NULL)
        g_ptr_array_add (problems, g_strdup_printf ("%s: key \"%s\" is not a field of %s", path, key, kind_name));
      for (j = i + 1; j < keys->len; j++)
        if (strcmp (key, g_ptr_array_index (keys, j)) == 0)
          g_ptr_array_add (problems, g_strdup_printf ("%s: key \"%s\" appears twice", path, key));
    }

  for (i = 0; i < kind->n_fields; i++)
    {
      gboolean found = FALSE;

      if ((kind->fields[i].flags & TEREN_FIELD_FLAG_REQUIRED) == 0)
        continue;
      for (j = 0; j < keys->len && !found; j++)
        found = strcmp (kind->fields[i].key, g_ptr_array_index (keys, j)) == 0;
      if (!found)
        g_ptr_array_add (problems, g_strdup_printf ("%s: required field \"%s\" of %s is missing",
                                                    path, kind->fields[i].key, kind_name));
    }

  return problems;
}

static void
test_forms_match_schema (void)
{
  const char *root = g_getenv ("TEREN_SOURCE_ROOT");
  g_autofree char *forms = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *folder;
  guint n_forms = 0;

  g_assert_nonnull (root);
  forms = g_build_filename (root, "ui", "forms", NULL);
  dir = g_dir_open (forms, 0, &error);
  g_assert_no_error (error);

  while ((folder = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *sub = g_build_filename (forms, folder, NULL);
      g_autoptr(GDir) files = g_dir_open (sub, 0, NULL);
      const char *file;

      if (files == NULL)
        continue;
      while ((file = g_dir_read_name (files)) != NULL)
        {
          g_autofree char *path = NULL;
          g_autofree char *kind = NULL;
          g_autoptr(GPtrArray) problems = NULL;
          guint i;

          if (!g_str_has_suffix (file, ".ui"))
            continue;

          path = g_build_filename (sub, file, NULL);
          kind = kind_for_file (folder, file);
          problems = check_form (path, kind);
          for (i = 0; i < problems->len; i++)
            g_test_fail_printf ("%s", (char *)g_ptr_array_index (problems, i));
          n_forms++;
        }
    }

  /* The four registry forms of the Foundation issue, at least. */
  g_assert_cmpuint (n_forms, >=, 4);
}

static void
test_registry_forms_exist (void)
{
  static const char * const names[] = { "person", "household", "household_member", "case" };
  const char *root = g_getenv ("TEREN_SOURCE_ROOT");
  guint i;

  g_assert_nonnull (root);
  for (i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *file = g_strdup_printf ("%s.ui", names[i]);
      g_autofree char *path = g_build_filename (root, "ui", "forms", "registry", file, NULL);

      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    }
}

/* The scanner itself must notice a wrong key and a missing required field. */
static void
test_scanner_catches_mistakes (void)
{
  g_autofree char *dir = g_dir_make_tmp ("teren-forms-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "person.ui", NULL);
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *all = NULL;
  const char *bad =
    "<interface><object class=\"AdwPreferencesPage\" id=\"form\"><child>"
    "<object class=\"TerenFieldRow\"><property name=\"key\">no_such_key</property></object>"
    "</child></object></interface>";

  g_assert_nonnull (dir);
  g_assert_true (g_file_set_contents (path, bad, -1, NULL));
  problems = check_form (path, "person");
  g_ptr_array_add (problems, NULL);
  all = g_strjoinv ("\n", (char **)problems->pdata);
  g_assert_nonnull (strstr (all, "no_such_key"));
  g_assert_nonnull (strstr (all, "required field \"last_name\""));
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/teren/gui/forms/match-schema", test_forms_match_schema);
  g_test_add_func ("/teren/gui/forms/registry-forms-exist", test_registry_forms_exist);
  g_test_add_func ("/teren/gui/forms/scanner-catches-mistakes", test_scanner_catches_mistakes);

  return g_test_run ();
}
