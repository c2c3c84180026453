/* test-docs-sar.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The printed answer to a data-subject access request (GDPR art. 15, issue 7) built from a
 * real store: rendered to PDF and read back with pdftotext, it holds the directorate's
 * header, the person's identity with field labels and values (diacritics, dates as
 * zz.ll.aaaa, nomenclature labels), every record about them under its section and kind,
 * numbered pages, and nothing of another person sharing the household.
 */

#include "config.h"

#include <string.h>
#include <sys/wait.h>

#include <glib/gstdio.h>

#include "teren-error.h"
#include "teren-sar-document.h"
#include "teren-store.h"
#include "teren-store-test-util.h"

#define DIRECTORATE_NAME "Direcția de Asistență Socială Târgu Frumos"
#define N_VISITS         70   /* enough for several pages */

typedef struct {
  char       *tmp;
  TerenStore *store;
  char       *ana;
  char       *ion;
  char       *household;
} Fixture;

static char *
save (TerenStore *store,
      const char *kind,
      const char *line,
      JsonObject *fields)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenRecord) record = teren_store_save (store, kind, line, NULL, fields, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (record);
  return g_strdup (teren_record_get_id (record));
}

static JsonObject *
person (const char *last_name,
        const char *first_name,
        const char *sex,
        const char *birth_date)
{
  JsonObject *fields = json_object_new ();

  json_object_set_string_member (fields, "cnp_status", "missing");
  json_object_set_string_member (fields, "last_name", last_name);
  json_object_set_string_member (fields, "first_name", first_name);
  json_object_set_string_member (fields, "sex", sex);
  json_object_set_string_member (fields, "birth_date", birth_date);
  return fields;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) ana = person ("Ștefănescu", "Ana", "F", "1980-02-03");
  g_autoptr(JsonObject) ion = person ("Țepeș", "Ion", "M", "1975-06-07");
  g_autoptr(JsonObject) household = json_object_new ();
  g_autoptr(JsonObject) ana_member = json_object_new ();
  g_autoptr(JsonObject) ion_member = json_object_new ();
  g_autoptr(JsonObject) ana_case = json_object_new ();
  g_autofree char *data_dir = NULL;
  g_autofree char *case_id = NULL;
  g_autofree char *member = NULL;
  guint i;

  fixture->tmp = g_dir_make_tmp ("teren-docs-sar-XXXXXX", NULL);
  g_assert_nonnull (fixture->tmp);
  data_dir = g_build_filename (fixture->tmp, "data", NULL);
  fixture->store = teren_store_open (data_dir, &error);
  g_assert_no_error (error);

  fixture->ana = save (fixture->store, "person", "", ana);
  fixture->ion = save (fixture->store, "person", "", ion);
  json_object_set_string_member (household, "address", "Str. Lungă 1, Iași");
  fixture->household = save (fixture->store, "household", "", household);
  json_object_set_string_member (ana_member, "person", fixture->ana);
  json_object_set_string_member (ana_member, "household", fixture->household);
  member = save (fixture->store, "household_member", "", ana_member);
  json_object_set_string_member (ion_member, "person", fixture->ion);
  json_object_set_string_member (ion_member, "household", fixture->household);
  g_free (save (fixture->store, "household_member", "", ion_member));
  json_object_set_string_member (ana_case, "person", fixture->ana);
  json_object_set_string_member (ana_case, "opened_on", "2025-01-10");
  json_object_set_string_member (ana_case, "status", "open");
  case_id = save (fixture->store, "case", "elderly", ana_case);

  /* Many visits of her case (several pages), and one of Ion's. */
  for (i = 0; i < N_VISITS; i++)
    {
      g_autoptr(JsonObject) visit = json_object_new ();
      g_autofree char *date = g_strdup_printf ("2025-03-%02u", 1 + i % 28);

      json_object_set_string_member (visit, "case", case_id);
      json_object_set_string_member (visit, "date", date);
      json_object_set_string_member (visit, "status", "done");
      g_free (save (fixture->store, "visit", "elderly", visit));
    }
  {
    g_autoptr(JsonObject) visit = json_object_new ();

    json_object_set_string_member (visit, "person", fixture->ion);
    json_object_set_string_member (visit, "date", "2024-12-31");
    json_object_set_string_member (visit, "status", "done");
    g_free (save (fixture->store, "visit", "elderly", visit));
  }
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->store);
  test_rm_rf (fixture->tmp);
  g_free (fixture->tmp);
  g_free (fixture->ana);
  g_free (fixture->ion);
  g_free (fixture->household);
}

static char *
pdf_text (const char *pdf)
{
  const char *pdftotext = g_getenv ("TEREN_PDFTOTEXT");
  const char *argv[] = { pdftotext, "-layout", pdf, "-", NULL };
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  g_assert_nonnull (pdftotext);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  return out;
}

static guint
count (const char *text,
       const char *needle)
{
  g_auto(GStrv) parts = g_strsplit (text, needle, -1);

  return g_strv_length (parts) - 1;
}

static void
test_document_text (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("ro.daps.Teren");
  g_autoptr(TerenDocument) doc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pdf = g_build_filename (fixture->tmp, "ana.pdf", NULL);
  g_autofree char *text = NULL;
  GStatBuf info;

  g_settings_set_string (settings, "directorate-name", DIRECTORATE_NAME);
  doc = teren_sar_document_build (fixture->store, fixture->ana, &error);
  g_assert_no_error (error);
  g_assert_nonnull (doc);
  g_assert_true (teren_document_write_pdf (doc, pdf, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (pdf, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);
  text = pdf_text (pdf);

  /* Header, title and the person's identity with labels. */
  g_assert_nonnull (strstr (text, DIRECTORATE_NAME));
  g_assert_nonnull (strstr (text, "Personal Data Held About a Person"));
  g_assert_nonnull (strstr (text, "Identity"));
  g_assert_nonnull (strstr (text, "Last name"));
  g_assert_nonnull (strstr (text, "Ștefănescu"));
  g_assert_nonnull (strstr (text, "03.02.1980"));

  /* The sections, each record under its kind with a number, the values as read. */
  g_assert_nonnull (strstr (text, "Household and Family Memberships"));
  g_assert_nonnull (strstr (text, "Households and Families"));
  g_assert_nonnull (strstr (text, "Str. Lungă 1, Iași"));
  g_assert_nonnull (strstr (text, "Cases"));
  g_assert_nonnull (strstr (text, "10.01.2025"));
  g_assert_nonnull (strstr (text, "Other Records About the Person"));
  g_assert_cmpuint (count (text, "28.03.2025"), >=, 2);
  g_assert_nonnull (strstr (text, "Household member 1: "));
  g_assert_nonnull (strstr (text, "Case 1: "));
  g_assert_nonnull (strstr (text, "Visit 1: "));
  g_assert_nonnull (strstr (text, "Visit 70: "));
  g_assert_null (strstr (text, "Visit 71: "));
  g_assert_nonnull (strstr (text, "Beneficiary"));
  g_assert_nonnull (strstr (text, "Ștefănescu Ana"));

  /* Nothing of Ion, who shares the household. */
  g_assert_null (strstr (text, "Țepeș"));
  g_assert_null (strstr (text, "31.12.2024"));

  /* Several pages, numbered. */
  g_assert_nonnull (strstr (text, "Page 1 of "));
  g_assert_nonnull (strstr (text, "Page 2 of "));
  g_settings_reset (settings, "directorate-name");
}

static void
test_bad_ids (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenDocument) unknown = teren_sar_document_build (fixture->store, "no-such-id", &error);

  g_assert_null (unknown);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no-such-id"));
  g_clear_error (&error);
  g_assert_null (teren_sar_document_build (fixture->store, fixture->household, &error));
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/teren/docs/sar/document-text", Fixture, NULL, fixture_setup, test_document_text, fixture_teardown);
  g_test_add ("/teren/docs/sar/bad-ids", Fixture, NULL, fixture_setup, test_bad_ids, fixture_teardown);

  return g_test_run ();
}
