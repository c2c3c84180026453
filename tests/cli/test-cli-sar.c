/* test-cli-sar.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `teren-cli export --person ID --format json` (GDPR art. 15, issue 7) on a real store
 * with two persons sharing a household: the export holds exactly the first person's data
 * (person, memberships, households, cases, the records referencing them, with history),
 * nothing of the other person's; bad inputs fail with a clear message and write no file.
 * With --pdf the same answer as a PDF document (checked with pdftotext when installed).
 * With --attachments DIR the attached files themselves: each blob once, safe names whatever
 * the records call them, 0700/0600, a damaged copy never exported (status 2), a file not
 * downloaded listed as missing (status 3, offline).
 */

#include "config.h"

#include <sys/wait.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "teren-attachment.h"
#include "teren-cli-test-util.h"
#include "teren-sar-document.h"
#include "teren-store.h"
#include "teren-store-blobs.h"
#include "teren-store-test-util.h"

typedef struct {
  char *tmp;
  char *data_dir;
  char *out;
  char *err;
  /* ids */
  char *ana, *ion, *household, *ana_member, *ion_member;
  char *ana_case, *ion_case, *ana_visit, *case_visit, *ion_visit, *deleted_visit;
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
object (const char *first_key,
        ...)
{
  JsonObject *fields = json_object_new ();
  const char *key = first_key;
  va_list args;

  va_start (args, first_key);
  while (key != NULL)
    {
      json_object_set_string_member (fields, key, va_arg (args, const char *));
      key = va_arg (args, const char *);
    }
  va_end (args);
  return fields;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(TerenStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) ana = NULL, ion = NULL, household = NULL, ana_member = NULL,
    ion_member = NULL, ana_case = NULL, ion_case = NULL, ana_visit = NULL,
    case_visit = NULL, ion_visit = NULL, deleted_visit = NULL, update = NULL;
  g_autoptr(TerenRecord) updated = NULL;

  fixture->tmp = g_dir_make_tmp ("teren-sar-test-XXXXXX", NULL);
  g_assert_nonnull (fixture->tmp);
  fixture->data_dir = g_build_filename (fixture->tmp, "data", NULL);

  store = teren_store_open (fixture->data_dir, &error);
  g_assert_no_error (error);
  teren_store_set_author (store, "ana.worker");

  ana = test_person_fields ("Ștefănescu", "Ana", "F", "1980-02-03", NULL);
  ion = test_person_fields ("Țepeș", "Ion", "M", "1975-06-07", NULL);
  fixture->ana = save (store, "person", "", ana);
  fixture->ion = save (store, "person", "", ion);
  household = object ("address", "Str. Lungă 1, Iași", NULL);
  fixture->household = save (store, "household", "", household);
  ana_member = object ("person", fixture->ana, "household", fixture->household, NULL);
  fixture->ana_member = save (store, "household_member", "", ana_member);
  ion_member = object ("person", fixture->ion, "household", fixture->household, NULL);
  fixture->ion_member = save (store, "household_member", "", ion_member);
  ana_case = object ("person", fixture->ana, "opened_on", "2025-01-10", "status", "open", NULL);
  fixture->ana_case = save (store, "case", "elderly", ana_case);
  ion_case = object ("person", fixture->ion, "opened_on", "2025-01-11", "status", "open", NULL);
  fixture->ion_case = save (store, "case", "elderly", ion_case);
  /* A visit naming Ana; one naming only her case; one of Ion's at their shared home. */
  ana_visit = object ("person", fixture->ana, "date", "2025-02-01", "status", "done", NULL);
  fixture->ana_visit = save (store, "visit", "elderly", ana_visit);
  case_visit = object ("case", fixture->ana_case, "date", "2025-02-02", "status", "planned", NULL);
  fixture->case_visit = save (store, "visit", "elderly", case_visit);
  ion_visit = object ("person", fixture->ion, "household", fixture->household,
                      "date", "2025-02-03", "status", "done", NULL);
  fixture->ion_visit = save (store, "visit", "elderly", ion_visit);
  deleted_visit = object ("person", fixture->ana, "date", "2025-02-04", "status", "done", NULL);
  fixture->deleted_visit = save (store, "visit", "elderly", deleted_visit);
  g_assert_true (teren_store_delete (store, fixture->deleted_visit, &error));
  g_assert_no_error (error);

  /* A second change of Ana's record: her history has two entries. */
  update = object ("first_name", "Ana-Maria", NULL);
  updated = teren_store_save (store, "person", "", fixture->ana, update, NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  test_rm_rf (fixture->tmp);
  g_free (fixture->tmp);
  g_free (fixture->data_dir);
  g_free (fixture->out);
  g_free (fixture->err);
  g_free (fixture->ana);
  g_free (fixture->ion);
  g_free (fixture->household);
  g_free (fixture->ana_member);
  g_free (fixture->ion_member);
  g_free (fixture->ana_case);
  g_free (fixture->ion_case);
  g_free (fixture->ana_visit);
  g_free (fixture->case_visit);
  g_free (fixture->ion_visit);
  g_free (fixture->deleted_visit);
}

/* Runs teren-cli --data-dir DIR ARGS… in English; returns the exit status. */
static int
run (Fixture *fixture,
     ...)
{
  g_auto(GStrv) envp = test_cli_environ ("en");
  va_list args;
  int status;

  va_start (args, fixture);
  status = test_cli_run_va (envp, fixture->data_dir, NULL, args, &fixture->out, &fixture->err);
  va_end (args);
  return status;
}

/* The ids of a section's records, in order, joined by " ". */
static char *
section_ids (JsonObject *root,
             const char *section)
{
  JsonArray *array = json_object_get_array_member (root, section);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  guint i;

  g_assert_nonnull (array);
  for (i = 0; i < json_array_get_length (array); i++)
    g_ptr_array_add (ids, (gpointer) json_object_get_string_member (json_array_get_object_element (array, i), "id"));
  g_ptr_array_add (ids, NULL);
  return g_strjoinv (" ", (char **) ids->pdata);
}

static gboolean
contains_id (const char *ids,
             const char *id)
{
  g_auto(GStrv) parts = g_strsplit (ids, " ", -1);

  return g_strv_contains ((const char * const *) parts, id);
}

static void
test_export_person (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->tmp, "ana.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *memberships = NULL, *households = NULL, *cases = NULL, *records = NULL;
  g_autofree char *text = NULL;
  g_autofree char *all_text = NULL;
  JsonObject *root, *person, *fields;
  JsonArray *history;
  GStatBuf st;

  g_assert_cmpint (run (fixture, "export", "--person", fixture->ana, "--format", "json",
                        "--output", path, NULL), ==, 0);
  g_assert_cmpstr (fixture->err, ==, "");
  /* Personal data: private to the user. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "teren-subject-access/1");
  g_assert_cmpstr (json_object_get_string_member (root, "person_id"), ==, fixture->ana);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (root, "generated_at"), "Z"));

  person = json_object_get_object_member (root, "person");
  g_assert_cmpstr (json_object_get_string_member (person, "id"), ==, fixture->ana);
  g_assert_cmpstr (json_object_get_string_member (person, "kind"), ==, "person");
  fields = json_object_get_object_member (person, "fields");
  g_assert_cmpstr (json_object_get_string_member (fields, "last_name"), ==, "Ștefănescu");
  g_assert_cmpstr (json_object_get_string_member (fields, "first_name"), ==, "Ana-Maria");
  history = json_object_get_array_member (person, "history");
  g_assert_cmpuint (json_array_get_length (history), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (history, 0), "op"), ==, "create");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (history, 1), "op"), ==, "update");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (history, 1), "author"), ==, "ana.worker");

  /* Exactly her records, in their sections. */
  memberships = section_ids (root, "memberships");
  g_assert_cmpstr (memberships, ==, fixture->ana_member);
  households = section_ids (root, "households");
  g_assert_cmpstr (households, ==, fixture->household);
  cases = section_ids (root, "cases");
  g_assert_cmpstr (cases, ==, fixture->ana_case);
  records = section_ids (root, "records");
  g_assert_cmpuint (strlen (records), ==, strlen (fixture->ana_visit) * 2 + 1);
  g_assert_true (contains_id (records, fixture->ana_visit));
  g_assert_true (contains_id (records, fixture->case_visit));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
      json_array_get_object_element (json_object_get_array_member (root, "cases"), 0), "history")), ==, 1);

  /* Nothing of Ion's: not his person, membership, case or visit, not the deleted visit. */
  g_file_get_contents (path, &all_text, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (strstr (all_text, fixture->ion));
  g_assert_null (strstr (all_text, fixture->ion_member));
  g_assert_null (strstr (all_text, fixture->ion_case));
  g_assert_null (strstr (all_text, fixture->ion_visit));
  g_assert_null (strstr (all_text, fixture->deleted_visit));
  g_assert_null (strstr (all_text, "Țepeș"));

  /* Without --output, the same JSON goes to the standard output. */
  g_assert_cmpint (run (fixture, "export", "--person", fixture->ana, "--format", "json", NULL), ==, 0);
  text = g_strdup (fixture->out);
  g_assert_true (g_str_has_prefix (text, "{"));
  g_assert_nonnull (strstr (text, fixture->ana_case));
}

/* A person's export with only the person: empty sections, not missing ones. */
static void
test_export_person_alone (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(TerenStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) fields = test_person_fields ("Vlad", "Elena", "F", "1990-07-04", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *id = NULL;
  JsonObject *root;
  guint i;
  static const char * const sections[] = { "memberships", "households", "cases", "records" };

  store = teren_store_open (fixture->data_dir, &error);
  g_assert_no_error (error);
  id = save (store, "person", "", fields);
  g_clear_object (&store);

  g_assert_cmpint (run (fixture, "export", "--person", id, "--format", "json", NULL), ==, 0);
  json_parser_load_from_data (parser, fixture->out, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  for (i = 0; i < G_N_ELEMENTS (sections); i++)
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, sections[i])), ==, 0);
}

static void
assert_no_file (Fixture    *fixture,
                const char *path)
{
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpstr (fixture->out, ==, "");
}

static void
test_bad_inputs (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->tmp, "out.json", NULL);
  g_autofree char *before = test_store_digest (fixture->data_dir);
  g_autofree char *after = NULL;
  g_autofree char *other_dir = g_build_filename (fixture->tmp, "none", NULL);
  char *saved_dir;

  /* An unknown id. */
  g_assert_cmpint (run (fixture, "export", "--person", "no-such-id", "--format", "json",
                        "--output", path, NULL), !=, 0);
  g_assert_nonnull (strstr (fixture->err, "There is no person with the id “no-such-id”"));
  assert_no_file (fixture, path);

  /* The id of a record that is not a person. */
  g_assert_cmpint (run (fixture, "export", "--person", fixture->household, "--format", "json",
                        "--output", path, NULL), !=, 0);
  g_assert_nonnull (strstr (fixture->err, "is not a person"));
  assert_no_file (fixture, path);

  /* CSV, a kind or a separator with --person. */
  g_assert_cmpint (run (fixture, "export", "--person", fixture->ana, "--format", "csv",
                        "--output", path, NULL), !=, 0);
  g_assert_nonnull (strstr (fixture->err, "JSON only"));
  assert_no_file (fixture, path);
  g_assert_cmpint (run (fixture, "export", "--person", fixture->ana, "--format", "json",
                        "--kind", "case", "--output", path, NULL), !=, 0);
  g_assert_nonnull (strstr (fixture->err, "JSON only"));
  assert_no_file (fixture, path);
  g_assert_cmpint (run (fixture, "export", "--person", fixture->ana, "--format", "json",
                        "--separator", ";", "--output", path, NULL), !=, 0);
  g_assert_nonnull (strstr (fixture->err, "JSON only"));
  assert_no_file (fixture, path);

  /* No format. */
  g_assert_cmpint (run (fixture, "export", "--person", fixture->ana, "--output", path, NULL), !=, 0);
  g_assert_nonnull (strstr (fixture->err, "--format json"));
  assert_no_file (fixture, path);

  /* A data folder without Teren data: nothing is created there. */
  saved_dir = fixture->data_dir;
  fixture->data_dir = other_dir;
  g_assert_cmpint (run (fixture, "export", "--person", fixture->ana, "--format", "json",
                        "--output", path, NULL), !=, 0);
  g_assert_nonnull (strstr (fixture->err, "There is no Teren data"));
  assert_no_file (fixture, path);
  g_assert_false (g_file_test (other_dir, G_FILE_TEST_EXISTS));
  fixture->data_dir = saved_dir;

  /* The store is as it was. */
  after = test_store_digest (fixture->data_dir);
  g_assert_cmpstr (after, ==, before);
}

/* The text of a PDF (pdftotext -layout), or NULL when pdftotext is not installed. */
static char *
pdf_text (const char *pdf)
{
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *argv[] = { NULL, "-layout", pdf, "-", NULL };

  if (pdftotext == NULL)
    return NULL;
  argv[0] = pdftotext;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  return g_steal_pointer (&out);
}

static void
test_export_person_pdf (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *pdf = g_build_filename (fixture->tmp, "ana.pdf", NULL);
  g_autofree char *json = g_build_filename (fixture->tmp, "ana.json", NULL);
  g_autofree char *before = test_store_digest (fixture->data_dir);
  g_autofree char *after = NULL;
  g_autofree char *text = NULL;
  GStatBuf info;

  /* --pdf alone: the PDF, private to the user, and nothing on the standard output. */
  g_assert_cmpint (run (fixture, "export", "--person", fixture->ana, "--pdf", pdf, NULL), ==, 0);
  g_assert_cmpstr (fixture->out, ==, "");
  g_assert_cmpint (g_stat (pdf, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);
  text = pdf_text (pdf);
  if (text != NULL)
    {
      /* Her identity and her records, grouped, with labels; nothing of Ion's. */
      g_assert_nonnull (strstr (text, "Personal Data Held About a Person"));
      g_assert_nonnull (strstr (text, "Ștefănescu"));
      g_assert_nonnull (strstr (text, "Ana-Maria"));
      g_assert_nonnull (strstr (text, "Identity"));
      g_assert_nonnull (strstr (text, "Household and Family Memberships"));
      g_assert_nonnull (strstr (text, "Households and Families"));
      g_assert_nonnull (strstr (text, "Str. Lungă 1, Iași"));
      g_assert_nonnull (strstr (text, "Cases"));
      g_assert_nonnull (strstr (text, "Other Records About the Person"));
      g_assert_nonnull (strstr (text, "01.02.2025"));
      g_assert_nonnull (strstr (text, "02.02.2025"));
      g_assert_null (strstr (text, "Țepeș"));
      g_assert_null (strstr (text, "03.02.2025"));   /* Ion's visit */
      g_assert_null (strstr (text, "04.02.2025"));   /* the deleted visit */
      g_assert_nonnull (strstr (text, "Page 1 of "));
    }

  /* With --format json the JSON is written too. */
  g_assert_cmpint (g_unlink (pdf), ==, 0);
  g_assert_cmpint (run (fixture, "export", "--person", fixture->ana, "--format", "json",
                        "--output", json, "--pdf", pdf, NULL), ==, 0);
  g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (json, G_FILE_TEST_IS_REGULAR));

  /* A PDF of anything but a person, or of an unknown person: refused, no file. */
  g_assert_cmpint (g_unlink (pdf), ==, 0);
  g_assert_cmpint (run (fixture, "export", "--format", "json", "--pdf", pdf, NULL), !=, 0);
  g_assert_nonnull (strstr (fixture->err, "--person ID --pdf FILE"));
  assert_no_file (fixture, pdf);
  g_assert_cmpint (run (fixture, "export", "--person", "no-such-id", "--pdf", pdf, NULL), !=, 0);
  g_assert_nonnull (strstr (fixture->err, "There is no person with the id “no-such-id”"));
  assert_no_file (fixture, pdf);
  g_assert_cmpint (run (fixture, "export", "--person", fixture->household, "--pdf", pdf, NULL), !=, 0);
  g_assert_nonnull (strstr (fixture->err, "is not a person"));
  assert_no_file (fixture, pdf);

  after = test_store_digest (fixture->data_dir);
  g_assert_cmpstr (after, ==, before);
}

/* ---- Attachments ---------------------------------------------------------------------- */

/* A small PDF whose bytes differ by @tag. */
static GBytes *
pdf_bytes (const char *tag)
{
  char *text = g_strdup_printf ("%%PDF-1.4\n%% %s\n%%%%EOF\n", tag);

  return g_bytes_new_take (text, strlen (text));
}

static JsonObject *
import_pdf (TerenStore *store,
            const char *tag,
            const char *name)
{
  g_autoptr(GBytes) bytes = pdf_bytes (tag);
  g_autoptr(GError) error = NULL;
  JsonObject *attachment = teren_store_import_blob_bytes (store, bytes, name, &error);

  g_assert_no_error (error);
  g_assert_nonnull (attachment);
  return attachment;
}

/* Sets the attachments of record @id (a visit) to @first and the rest (transfer full). */
static void
attach (TerenStore *store,
        const char *id,
        JsonObject *first,
        ...)
{
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(TerenRecord) saved = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *array = json_array_new ();
  JsonObject *object = first;
  va_list args;

  va_start (args, first);
  while (object != NULL)
    {
      json_array_add_object_element (array, object);
      object = va_arg (args, JsonObject *);
    }
  va_end (args);
  json_object_set_array_member (patch, "attachments", array);
  saved = teren_store_save (store, "visit", "elderly", id, patch, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (saved);
}

/* The same attachment object again (another record attaching the same blob). */
static JsonObject *
copy_attachment (JsonObject *attachment,
                 const char *name)
{
  return teren_attachment_new (json_object_get_string_member (attachment, "blob"),
                               json_object_get_int_member (attachment, "size"),
                               json_object_get_string_member (attachment, "mime"), name);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The names of the files in @dir, sorted, each checked to be a regular 0600 file. */
static GPtrArray *
list_files (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      GStatBuf info;

      g_assert_cmpint (g_lstat (path, &info), ==, 0);
      g_assert_true (S_ISREG (info.st_mode));
      g_assert_cmpint (info.st_mode & 0777, ==, 0600);
      g_ptr_array_add (names, g_strdup (name));
    }
  g_ptr_array_sort (names, compare_names);
  return names;
}

static void
assert_private_dir (const char *dir)
{
  GStatBuf info;

  g_assert_cmpint (g_lstat (dir, &info), ==, 0);
  g_assert_true (S_ISDIR (info.st_mode));
  g_assert_cmpint (info.st_mode & 0777, ==, 0700);
}

static void
assert_file_bytes (const char *dir,
                   const char *name,
                   const char *tag)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GBytes) expected = pdf_bytes (tag);
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (contents, length, g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
}

static JsonObject *
load_json (const char  *path,
           JsonParser **out_parser)
{
  JsonParser *parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  *out_parser = parser;
  return json_node_get_object (json_parser_get_root (parser));
}

/* The root's "attachments" entry of @blob. */
static JsonObject *
entry_of (JsonObject *root,
          const char *blob)
{
  JsonArray *array = json_object_get_array_member (root, "attachments");
  guint i;

  g_assert_nonnull (array);
  for (i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *entry = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member (entry, "blob"), blob) == 0)
        return entry;
    }
  return NULL;
}

/* The "file" of the attachment of @blob inside the record @id of @section. */
static const char *
file_in_record (JsonObject *root,
                const char *section,
                const char *id,
                const char *blob)
{
  JsonArray *records = json_object_get_array_member (root, section);
  guint i, j;

  for (i = 0; i < json_array_get_length (records); i++)
    {
      JsonObject *record = json_array_get_object_element (records, i);
      JsonArray *attachments;

      if (g_strcmp0 (json_object_get_string_member (record, "id"), id) != 0)
        continue;
      attachments = json_object_get_array_member (json_object_get_object_member (record, "fields"),
                                                  "attachments");
      for (j = 0; j < json_array_get_length (attachments); j++)
        {
          JsonObject *attachment = json_array_get_object_element (attachments, j);

          if (g_strcmp0 (json_object_get_string_member (attachment, "blob"), blob) == 0)
            return json_object_get_string_member (attachment, "file");
        }
    }
  g_assert_not_reached ();
  return NULL;
}

/* Two attachments on Ana's visits, one of them on both (under two names), and one on
 * Ion's visit: the two files of hers, once each, private; the JSON names them. */
static void
test_export_attachments (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(TerenStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) report = NULL, shared = NULL, ions = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *dir = g_build_filename (fixture->tmp, "ana-files", NULL);
  g_autofree char *json = g_build_filename (fixture->tmp, "ana.json", NULL);
  g_autofree char *pdf = g_build_filename (fixture->tmp, "ana.pdf", NULL);
  g_autofree char *before = NULL, *after = NULL;
  g_autofree char *pdf_contents = NULL;
  g_autoptr(GPtrArray) files = NULL;
  const char *report_blob, *shared_blob, *shared_file;
  JsonObject *root, *entry;
  JsonArray *records;

  store = teren_store_open (fixture->data_dir, &error);
  g_assert_no_error (error);
  report = import_pdf (store, "report", "Anchetă socială — ședința 1.pdf");
  shared = import_pdf (store, "shared", "Consimțământ.pdf");
  ions = import_pdf (store, "ion", "Ion.pdf");
  report_blob = json_object_get_string_member (report, "blob");
  shared_blob = json_object_get_string_member (shared, "blob");
  attach (store, fixture->ana_visit, json_object_ref (report), json_object_ref (shared), NULL);
  attach (store, fixture->case_visit, copy_attachment (shared, "Consimțământ semnat.pdf"), NULL);
  attach (store, fixture->ion_visit, json_object_ref (ions), NULL);
  g_clear_object (&store);
  before = test_store_digest (fixture->data_dir);

  g_assert_cmpint (run (fixture, "export", "--person", fixture->ana, "--json", json, "--pdf", pdf,
                        "--attachments", dir, NULL), ==, 0);
  g_assert_cmpstr (fixture->err, ==, "");
  g_assert_cmpstr (fixture->out, ==, "");
  g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));
  /* The PDF says which file holds which attachment. */
  pdf_contents = pdf_text (pdf);
  if (pdf_contents != NULL)
    {
      g_assert_nonnull (strstr (pdf_contents, "Attached Files"));
      g_assert_nonnull (strstr (pdf_contents, "saved as “Anchetă socială — ședința 1.pdf”"));
      g_assert_null (strstr (pdf_contents, "Ion.pdf"));
    }

  /* Her two files, each once, with the names the records give them. */
  assert_private_dir (dir);
  files = list_files (dir);
  g_assert_cmpuint (files->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (files, 0), ==, "Anchetă socială — ședința 1.pdf");
  shared_file = g_ptr_array_index (files, 1);
  g_assert_true (g_str_equal (shared_file, "Consimțământ.pdf") ||
                 g_str_equal (shared_file, "Consimțământ semnat.pdf"));
  assert_file_bytes (dir, "Anchetă socială — ședința 1.pdf", "report");
  assert_file_bytes (dir, shared_file, "shared");

  /* The JSON says which file is which, per blob and inside each record. */
  root = load_json (json, &parser);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "attachments")), ==, 2);
  entry = entry_of (root, report_blob);
  g_assert_nonnull (entry);
  g_assert_cmpstr (json_object_get_string_member (entry, "status"), ==, "saved");
  g_assert_cmpstr (json_object_get_string_member (entry, "file"), ==, "Anchetă socială — ședința 1.pdf");
  g_assert_cmpstr (json_object_get_string_member (entry, "mime"), ==, "application/pdf");
  g_assert_false (json_object_has_member (entry, "reason"));
  entry = entry_of (root, shared_blob);
  g_assert_nonnull (entry);
  g_assert_cmpstr (json_object_get_string_member (entry, "file"), ==, shared_file);
  records = json_object_get_array_member (entry, "records");
  g_assert_cmpuint (json_array_get_length (records), ==, 2);
  g_assert_null (entry_of (root, json_object_get_string_member (ions, "blob")));
  g_assert_cmpstr (file_in_record (root, "records", fixture->ana_visit, report_blob), ==,
                   "Anchetă socială — ședința 1.pdf");
  g_assert_cmpstr (file_in_record (root, "records", fixture->ana_visit, shared_blob), ==, shared_file);
  g_assert_cmpstr (file_in_record (root, "records", fixture->case_visit, shared_blob), ==, shared_file);

  /* The same folder again: refused (not empty), nothing written, not even the JSON. */
  g_assert_cmpint (g_unlink (json), ==, 0);
  g_assert_cmpint (run (fixture, "export", "--person", fixture->ana, "--json", json,
                        "--attachments", dir, NULL), ==, 2);
  g_assert_nonnull (strstr (fixture->err, "is not empty"));
  g_assert_false (g_file_test (json, G_FILE_TEST_EXISTS));
  g_clear_pointer (&files, g_ptr_array_unref);
  files = list_files (dir);
  g_assert_cmpuint (files->len, ==, 2);

  /* A file where the folder should be; --attachments without --person. */
  g_assert_cmpint (run (fixture, "export", "--person", fixture->ana, "--json", json,
                        "--attachments", pdf, NULL), ==, 2);
  g_assert_nonnull (strstr (fixture->err, "is not a folder"));
  g_assert_false (g_file_test (json, G_FILE_TEST_EXISTS));
  g_assert_cmpint (run (fixture, "export", "--format", "json", "--attachments", dir, NULL), ==, 2);
  g_assert_nonnull (strstr (fixture->err, "export of a person only"));
  g_assert_cmpstr (fixture->out, ==, "");

  /* An unknown person: no folder made. */
  test_rm_rf (dir);
  g_assert_cmpint (run (fixture, "export", "--person", "no-such-id", "--json", json,
                        "--attachments", dir, NULL), ==, 2);
  g_assert_nonnull (strstr (fixture->err, "There is no person with the id “no-such-id”"));
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (json, G_FILE_TEST_EXISTS));

  after = test_store_digest (fixture->data_dir);
  g_assert_cmpstr (after, ==, before);
}

/* Replaces @placeholder (a name saved in the records) by @name in the store's JSON
 * directly, as a record from elsewhere could carry it (the form would refuse it). */
static void
rename_in_store (const char *data_dir,
                 const char *placeholder,
                 const char *name)
{
  sqlite3 *db = test_db_open (data_dir, FALSE);
  g_autofree char *quoted = g_strdup_printf ("\"%s\"", placeholder);
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
  g_autofree char *encoded = NULL;
  char *sql;

  json_node_set_string (node, name);
  encoded = json_to_string (node, FALSE);
  sql = sqlite3_mprintf ("UPDATE record SET fields = replace(fields, %Q, %Q)", quoted, encoded);
  test_db_exec (db, sql);
  sqlite3_free (sql);
  sqlite3_close (db);
}

static void
test_export_hostile_names (Fixture       *fixture,
                           gconstpointer  data)
{
  static const char * const hostile[] = {
    "../../etc/passwd", "a/b.pdf", "", "..", ".bashrc", "-rf.pdf", "C:\\Windows\\x.pdf",
    "Fișă ședință țară.pdf", "Scan.PDF", "scan.pdf", "tab\there\n.pdf",
  };
  static const char * const expected[] = {
    "etc_passwd.pdf", "a_b.pdf", "attachment.pdf", "attachment (2).pdf", "bashrc.pdf",
    "rf.pdf", "C_Windows_x.pdf", "Fișă ședință țară.pdf", "Scan.PDF", "scan (2).pdf",
    "tab_here_.pdf",
  };
  g_autoptr(TerenStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) long_name = g_string_new (NULL);
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *dir = g_build_filename (fixture->tmp, "out", "files", NULL);
  g_autofree char *json = g_build_filename (fixture->tmp, "ana.json", NULL);
  g_autofree char *escaped = g_build_filename (fixture->tmp, "etc", NULL);
  JsonObject *root;
  JsonObject *first = NULL;
  JsonArray *array = json_array_new ();
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(TerenRecord) saved = NULL;
  guint i, found_long = 0;

  G_STATIC_ASSERT (G_N_ELEMENTS (hostile) == G_N_ELEMENTS (expected));

  /* The names the program derives, one by one. */
  for (i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      g_autofree char *name = teren_sar_attachment_file_name (hostile[i], "application/pdf");
      g_autofree char *twice = teren_sar_attachment_file_name (name, "application/pdf");

      g_assert_null (strchr (name, '/'));
      g_assert_null (strstr (name, ".."));
      g_assert_cmpint (name[0], !=, '.');
      g_assert_cmpstr (twice, ==, name);   /* stable */
    }
  {
    g_autofree char *jpeg = teren_sar_attachment_file_name ("photo", "image/jpeg");
    g_autofree char *jpeg_own = teren_sar_attachment_file_name ("photo.JPEG", "image/jpeg");
    g_autofree char *png = teren_sar_attachment_file_name ("scan.pdf", "image/png");

    g_assert_cmpstr (jpeg, ==, "photo.jpg");
    g_assert_cmpstr (jpeg_own, ==, "photo.JPEG");
    g_assert_cmpstr (png, ==, "scan.pdf.png");
  }

  /* In a real export, through the program: every record holds one. */
  store = teren_store_open (fixture->data_dir, &error);
  g_assert_no_error (error);
  for (i = 0; i < G_N_ELEMENTS (hostile) + 1; i++)
    {
      g_autofree char *tag = g_strdup_printf ("hostile %u", i);
      g_autofree char *placeholder = g_strdup_printf ("PLACEHOLDER%02u.pdf", i);

      json_array_add_object_element (array, import_pdf (store, tag, placeholder));
    }
  json_object_set_array_member (patch, "attachments", array);
  saved = teren_store_save (store, "visit", "elderly", fixture->ana_visit, patch, NULL, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  for (i = 0; i < 300; i++)
    g_string_append (long_name, "ă");
  g_string_append (long_name, ".pdf");
  for (i = 0; i < G_N_ELEMENTS (hostile) + 1; i++)
    {
      g_autofree char *placeholder = g_strdup_printf ("PLACEHOLDER%02u.pdf", i);

      rename_in_store (fixture->data_dir, placeholder,
                       i < G_N_ELEMENTS (hostile) ? hostile[i] : long_name->str);
    }

  g_assert_cmpint (run (fixture, "export", "--person", fixture->ana, "--json", json,
                        "--attachments", dir, NULL), ==, 0);
  g_assert_cmpstr (fixture->err, ==, "");
  assert_private_dir (dir);
  files = list_files (dir);
  g_assert_cmpuint (files->len, ==, G_N_ELEMENTS (hostile) + 1);
  for (i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_true (g_ptr_array_find_with_equal_func (files, expected[i], g_str_equal, NULL));
  for (i = 0; i < files->len; i++)
    {
      const char *name = g_ptr_array_index (files, i);

      g_assert_true (g_utf8_validate (name, -1, NULL));
      g_assert_cmpuint (strlen (name), <=, 255);
      if (g_str_has_prefix (name, "ăăă"))
        {
          found_long++;
          g_assert_true (g_str_has_suffix (name, "ă.pdf"));
          g_assert_cmpuint (strlen (name), ==, 200 + strlen (".pdf"));
        }
    }
  g_assert_cmpuint (found_long, ==, 1);
  /* Nothing went outside the folder. */
  g_assert_false (g_file_test (escaped, G_FILE_TEST_EXISTS));

  root = load_json (json, &parser);
  first = json_array_get_object_element (json_object_get_array_member (root, "attachments"), 0);
  g_assert_cmpstr (json_object_get_string_member (first, "name"), ==, "../../etc/passwd");
  g_assert_cmpstr (json_object_get_string_member (first, "file"), ==, "etc_passwd.pdf");
}

/* A copy changed on disk after it was stored: never exported, status 2; the rest is. */
static void
test_export_tampered (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(TerenStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) good = NULL, bad = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autofree char *dir = g_build_filename (fixture->tmp, "files", NULL);
  g_autofree char *json = g_build_filename (fixture->tmp, "ana.json", NULL);
  g_autofree char *bad_path = NULL;
  JsonObject *root, *entry;

  store = teren_store_open (fixture->data_dir, &error);
  g_assert_no_error (error);
  good = import_pdf (store, "good", "good.pdf");
  bad = import_pdf (store, "bad", "bad.pdf");
  attach (store, fixture->ana_visit, json_object_ref (good), json_object_ref (bad), NULL);
  bad_path = teren_store_get_blob_path (store, json_object_get_string_member (bad, "blob"), &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  g_file_set_contents (bad_path, "%PDF-1.4\n% changed\n%%EOF\n", -1, &error);
  g_assert_no_error (error);

  g_assert_cmpint (run (fixture, "export", "--person", fixture->ana, "--json", json,
                        "--attachments", dir, NULL), ==, 2);
  g_assert_nonnull (strstr (fixture->err, "NOT exported"));
  g_assert_nonnull (strstr (fixture->err, "damaged"));
  g_assert_nonnull (strstr (fixture->err, json_object_get_string_member (bad, "blob")));
  g_assert_null (strstr (fixture->err, "bad.pdf"));   /* ids, not names */
  files = list_files (dir);
  g_assert_cmpuint (files->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (files, 0), ==, "good.pdf");
  assert_file_bytes (dir, "good.pdf", "good");

  root = load_json (json, &parser);
  entry = entry_of (root, json_object_get_string_member (bad, "blob"));
  g_assert_cmpstr (json_object_get_string_member (entry, "status"), ==, "damaged");
  g_assert_true (json_object_get_null_member (entry, "file"));
  g_assert_nonnull (strstr (json_object_get_string_member (entry, "reason"), "damaged"));
  g_assert_null (file_in_record (root, "records", fixture->ana_visit,
                                 json_object_get_string_member (bad, "blob")));
  g_assert_cmpstr (file_in_record (root, "records", fixture->ana_visit,
                                   json_object_get_string_member (good, "blob")), ==, "good.pdf");
}

/* A blob this computer never downloaded, no account to download it with: listed as not
 * included, the rest written, status 3. */
static void
test_export_missing_offline (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(TerenStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) here = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GBytes) elsewhere = pdf_bytes ("on another laptop");
  g_autofree char *digest = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, elsewhere);
  g_autofree char *blob = g_strconcat (TEREN_BLOB_REF_PREFIX, digest, NULL);
  g_autofree char *dir = g_build_filename (fixture->tmp, "files", NULL);
  g_autofree char *json = g_build_filename (fixture->tmp, "ana.json", NULL);
  g_autofree char *pdf = g_build_filename (fixture->tmp, "ana.pdf", NULL);
  g_autofree char *pdf_contents = NULL;
  JsonObject *root, *entry;

  store = teren_store_open (fixture->data_dir, &error);
  g_assert_no_error (error);
  here = import_pdf (store, "here", "here.pdf");
  attach (store, fixture->ana_visit, json_object_ref (here),
          teren_attachment_new (blob, (gint64) g_bytes_get_size (elsewhere), "application/pdf",
                                "elsewhere.pdf"), NULL);
  g_clear_object (&store);

  g_assert_cmpint (run (fixture, "export", "--person", fixture->ana, "--json", json, "--pdf", pdf,
                        "--attachments", dir, NULL), ==, 3);
  g_assert_nonnull (strstr (fixture->err, "is not included: not downloaded to this computer"));
  pdf_contents = pdf_text (pdf);
  if (pdf_contents != NULL)
    {
      g_assert_nonnull (strstr (pdf_contents, "Attached Files"));
      g_assert_nonnull (strstr (pdf_contents, "not included: not downloaded"));
      g_assert_nonnull (strstr (pdf_contents, "saved as “here.pdf”"));
    }
  g_assert_nonnull (strstr (fixture->err, blob));
  g_assert_nonnull (strstr (fixture->err, fixture->ana_visit));
  g_assert_nonnull (strstr (fixture->err, "The export is incomplete: 1 attached file is not in"));
  files = list_files (dir);
  g_assert_cmpuint (files->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (files, 0), ==, "here.pdf");

  root = load_json (json, &parser);
  entry = entry_of (root, blob);
  g_assert_cmpstr (json_object_get_string_member (entry, "status"), ==, "missing");
  g_assert_true (json_object_get_null_member (entry, "file"));
  g_assert_nonnull (strstr (json_object_get_string_member (entry, "reason"), "not downloaded"));
  g_assert_null (file_in_record (root, "records", fixture->ana_visit, blob));
  g_assert_cmpstr (file_in_record (root, "records", fixture->ana_visit,
                                   json_object_get_string_member (here, "blob")), ==, "here.pdf");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/teren/cli/sar/export-person", Fixture, NULL, fixture_setup, test_export_person, fixture_teardown);
  g_test_add ("/teren/cli/sar/export-person-alone", Fixture, NULL, fixture_setup, test_export_person_alone, fixture_teardown);
  g_test_add ("/teren/cli/sar/bad-inputs", Fixture, NULL, fixture_setup, test_bad_inputs, fixture_teardown);
  g_test_add ("/teren/cli/sar/export-person-pdf", Fixture, NULL, fixture_setup, test_export_person_pdf, fixture_teardown);

  g_test_add ("/teren/cli/sar/export-attachments", Fixture, NULL, fixture_setup, test_export_attachments, fixture_teardown);
  g_test_add ("/teren/cli/sar/export-hostile-names", Fixture, NULL, fixture_setup, test_export_hostile_names, fixture_teardown);
  g_test_add ("/teren/cli/sar/export-tampered", Fixture, NULL, fixture_setup, test_export_tampered, fixture_teardown);
  g_test_add ("/teren/cli/sar/export-missing-offline", Fixture, NULL, fixture_setup, test_export_missing_offline, fixture_teardown);

  return g_test_run ();
}
