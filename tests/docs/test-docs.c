/* test-docs.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "teren-cli-test-util.h"
#include "teren-schema.h"
#include "teren-store.h"
#include "teren-store-test-util.h"

/* `teren-cli print KIND ID|YYYY-MM --pdf FILE` on a temporary store with known records:
 * every official document is rendered to PDF, read back with pdftotext and checked for
 * its Romanian headings, the record's values (with diacritics), the directorate's header
 * (from GSettings, keyfile backend) and the page numbers. Every bad input gives a clear
 * message, a non-zero exit status and no file. */

#define DIRECTORATE_NAME    "Direcția de Asistență Socială Târgu Frumos"
#define DIRECTORATE_ADDRESS "Str. Ștefan cel Mare nr. 7, Iași"

typedef struct {
  char *tmp;
  char *data_dir;
  char *config_dir;
  char *pdf;
  char *out;
  char *err;
  char *text;
  /* record ids */
  char *child;
  char *inquiry;
  char *service_plan;
  char *care_plan;
  char *assessment;
  char *signal;
  char *timesheet;
  char *pupil_record;
} Fixture;

/* Saves a record from a printf-style JSON template; returns its id. */
static char *save (TerenStore *store,
                   const char *kind,
                   const char *line,
                   const char *format,
                   ...) G_GNUC_PRINTF (4, 5);

static char *
save (TerenStore *store,
      const char *kind,
      const char *line,
      const char *format,
      ...)
{
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) field_errors = NULL;
  g_autoptr(TerenRecord) record = NULL;
  va_list args;

  va_start (args, format);
  json = g_strdup_vprintf (format, args);
  va_end (args);

  node = json_from_string (json, &error);
  g_assert_no_error (error);
  record = teren_store_save (store, kind, line, NULL, json_node_get_object (node), NULL, &field_errors, &error);
  if (record == NULL && field_errors != NULL && field_errors->len > 0)
    {
      TerenFieldError *first = g_ptr_array_index (field_errors, 0);
      g_error ("%s: field %s: %s", kind, first->field, first->message);
    }
  g_assert_no_error (error);
  g_assert_nonnull (record);
  return g_strdup (teren_record_get_id (record));
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(TerenStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) long_text = g_string_new (NULL);
  g_autofree char *mother = NULL, *elder = NULL, *assistant_person = NULL, *child_case = NULL;
  g_autofree char *elder_case = NULL, *assistant = NULL, *keyfile_dir = NULL, *keyfile = NULL;
  g_autofree char *canteen = NULL;
  const char *pupil;
  char *ignored;
  guint i;

  fixture->tmp = g_dir_make_tmp ("teren-docs-XXXXXX", NULL);
  g_assert_nonnull (fixture->tmp);
  fixture->data_dir = g_build_filename (fixture->tmp, "data", NULL);
  fixture->config_dir = g_build_filename (fixture->tmp, "config", NULL);
  fixture->pdf = g_build_filename (fixture->tmp, "document.pdf", NULL);

  /* the directorate's header, as the preferences window stores it */
  keyfile_dir = g_build_filename (fixture->config_dir, "glib-2.0", "settings", NULL);
  g_assert_cmpint (g_mkdir_with_parents (keyfile_dir, 0700), ==, 0);
  keyfile = g_build_filename (keyfile_dir, "keyfile", NULL);
  g_file_set_contents (keyfile,
                       "[ro/daps/Teren]\n"
                       "directorate-name='" DIRECTORATE_NAME "'\n"
                       "directorate-address='" DIRECTORATE_ADDRESS "'\n", -1, &error);
  g_assert_no_error (error);

  store = teren_store_open (fixture->data_dir, &error);
  g_assert_no_error (error);

  fixture->child = save (store, "person", "", "{\"last_name\":\"Ștefănescu\",\"first_name\":\"Ana-Maria\","
                         "\"sex\":\"F\",\"cnp_status\":\"missing\"}");
  mother = save (store, "person", "", "{\"last_name\":\"Ștefănescu\",\"first_name\":\"Ioana\","
                 "\"sex\":\"F\",\"cnp_status\":\"missing\",\"birth_date\":\"1984-11-23\"}");
  elder = save (store, "person", "", "{\"last_name\":\"Țăranu\",\"first_name\":\"Gheorghe\","
                "\"sex\":\"M\",\"cnp_status\":\"missing\"}");
  assistant_person = save (store, "person", "", "{\"last_name\":\"Bălan\",\"first_name\":\"Florică\","
                           "\"sex\":\"F\",\"cnp_status\":\"missing\"}");
  child_case = save (store, "case", "child", "{\"person\":\"%s\",\"opened_on\":\"2026-03-02\",\"status\":\"open\"}",
                     fixture->child);
  elder_case = save (store, "case", "elderly", "{\"person\":\"%s\",\"opened_on\":\"2026-02-02\",\"status\":\"open\"}",
                     elder);

  /* an anchetă long enough for several pages */
  for (i = 0; i < 60; i++)
    g_string_append_printf (long_text, "Familia își îngrijește copilul cu atenție, rândul %u. ", i + 1);
  fixture->inquiry = save (store, "child.social_inquiry", "child",
                           "{\"case\":\"%s\",\"person\":\"%s\",\"mother\":\"%s\",\"date\":\"2026-03-05\","
                           "\"purpose\":\"court\",\"housing_type\":\"flat\",\"rooms\":3,\"electricity\":true,"
                           "\"housing_notes\":\"Apartament cu încălzire centrală\",\"income_total\":2450.5,"
                           "\"school\":\"Școala Gimnazială „Mihai Eminescu”\",\"family_relations\":\"%s\","
                           "\"conclusions\":\"Situația copilului este bună; se propune menținerea în familie.\","
                           "\"proposals\":\"Consiliere lunară\",\"social_worker\":\"Elena Mureșan\"}",
                           child_case, fixture->child, mother, long_text->str);
  ignored = save (store, "child.inquiry_member", "child",
                  "{\"inquiry\":\"%s\",\"person\":\"%s\",\"relationship\":\"head\",\"occupation\":\"employee\","
                  "\"income\":3100,\"lives_with_child\":true}", fixture->inquiry, mother);
  g_free (ignored);
  ignored = save (store, "child.inquiry_member", "child",
                  "{\"inquiry\":\"%s\",\"name\":\"Vasile Ștefănescu\",\"relationship\":\"spouse\","
                  "\"birth_date\":\"1980-04-09\"}", fixture->inquiry);
  g_free (ignored);

  fixture->service_plan = save (store, "child.service_plan", "child",
                                "{\"case\":\"%s\",\"number\":\"PS-17\",\"start_on\":\"2026-03-10\","
                                "\"review_on\":\"2027-06-10\",\"status\":\"active\","
                                "\"objectives\":\"Reintegrarea școlară a copilului\",\"responsible\":\"Elena Mureșan\"}",
                                child_case);
  ignored = save (store, "child.plan_item", "child",
                  "{\"plan\":\"%s\",\"objective\":\"Frecventarea cursurilor\",\"service\":\"Consiliere psihologică\","
                  "\"deadline\":\"2027-05-31\",\"status\":\"in_progress\"}", fixture->service_plan);
  g_free (ignored);

  fixture->care_plan = save (store, "elderly.care_plan", "elderly",
                             "{\"case\":\"%s\",\"number\":\"PIAI-4\",\"start_on\":\"2026-02-15\","
                             "\"review_on\":\"2027-08-15\",\"visits_per_week\":3,\"carer\":\"Mirela Pătrașcu\"}",
                             elder_case);
  ignored = save (store, "elderly.care_service", "elderly",
                  "{\"plan\":\"%s\",\"service\":\"soc_personal_care\",\"frequency\":\"de 3 ori pe săptămână\","
                  "\"minutes\":90}", fixture->care_plan);
  g_free (ignored);

  fixture->assessment = save (store, "elderly.assessment", "elderly",
                              "{\"case\":\"%s\",\"person\":\"%s\",\"date\":\"2026-02-10\","
                              "\"adl_hygiene\":\"partial\",\"adl_feeding\":\"independent\",\"degree\":\"IB\","
                              "\"doctor\":\"Dr. Ștefan Roșu\",\"social_worker\":\"Elena Mureșan\"}",
                              elder_case, elder);

  fixture->signal = save (store, "child.signal", "child",
                          "{\"date\":\"2026-03-01\",\"registration_number\":\"1234/2026\",\"person\":\"%s\","
                          "\"source\":\"neighbour\",\"reporter_name\":\"Gică Țurcanu\","
                          "\"description\":\"Copilul rămâne singur acasă seara.\",\"immediate_danger\":false}",
                          fixture->child);

  canteen = save (store, "canteen.beneficiary", "canteen",
                  "{\"person\":\"%s\",\"category\":\"c\",\"requested_on\":\"2026-01-10\",\"household_size\":2,"
                  "\"meals\":[\"lunch\"],\"start_on\":\"2026-02-01\"}", elder);
  for (i = 1; i <= 3; i++)
    {
      ignored = save (store, "canteen.meal", "canteen",
                      "{\"beneficiary\":\"%s\",\"date\":\"2026-03-0%u\",\"lunch\":true}", canteen, i);
      g_free (ignored);
    }

  assistant = save (store, "disability.personal_assistant", "disability",
                    "{\"person\":\"%s\",\"assistant\":\"%s\",\"contract_status\":\"active\"}",
                    fixture->child, assistant_person);
  fixture->timesheet = save (store, "disability.timesheet", "disability",
                             "{\"assistant\":\"%s\",\"month\":\"2026-03\",\"day_02\":8,\"day_03\":8,"
                             "\"day_20\":6}", assistant);

  pupil = fixture->child;
  fixture->pupil_record = save (store, "school_health.pupil_record", "school_health",
                                "{\"person\":\"%s\",\"allergies\":\"Alergie la polen și arahide\","
                                "\"family_doctor\":\"Dr. Maria Dumitrescu\"}", pupil);
  ignored = save (store, "school_health.consultation", "school_health",
                  "{\"person\":\"%s\",\"date\":\"2026-02-20\"}", pupil);
  g_free (ignored);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  test_rm_rf (fixture->tmp);
  g_free (fixture->tmp);
  g_free (fixture->data_dir);
  g_free (fixture->config_dir);
  g_free (fixture->pdf);
  g_free (fixture->out);
  g_free (fixture->err);
  g_free (fixture->text);
  g_free (fixture->child);
  g_free (fixture->inquiry);
  g_free (fixture->service_plan);
  g_free (fixture->care_plan);
  g_free (fixture->assessment);
  g_free (fixture->signal);
  g_free (fixture->timesheet);
  g_free (fixture->pupil_record);
}

static char **
environment (Fixture    *fixture,
             const char *language)
{
  g_auto(GStrv) envp = test_cli_environ (language);

  envp = g_environ_setenv (envp, "GSETTINGS_BACKEND", "keyfile", TRUE);
  envp = g_environ_setenv (envp, "XDG_CONFIG_HOME", fixture->config_dir, TRUE);
  if (g_str_equal (language, "ro"))
    envp = g_environ_setenv (envp, "LANG", "ro_RO.UTF-8", TRUE);
  return g_steal_pointer (&envp);
}

/* Runs teren-cli --data-dir DIR print @args… (NULL-terminated) in @language. */
static int
run_print (Fixture    *fixture,
           const char *language,
           ...)
{
  g_auto(GStrv) envp = environment (fixture, language);
  va_list args;
  int status;

  va_start (args, language);
  status = test_cli_run_va (envp, fixture->data_dir, "print", args, &fixture->out, &fixture->err);
  va_end (args);
  return status;
}

/* Prints @kind @argument in Romanian and reads the PDF's text into fixture->text. */
static void
print_ro (Fixture    *fixture,
          const char *kind,
          const char *argument)
{
  const char *pdftotext = g_getenv ("TEREN_PDFTOTEXT");
  const char *argv[] = { pdftotext, "-layout", "-enc", "UTF-8", fixture->pdf, "-", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int wait_status = 0;

  g_assert_nonnull (pdftotext);
  g_remove (fixture->pdf);
  if (run_print (fixture, "ro", kind, argument, "--pdf", fixture->pdf, NULL) != 0)
    g_error ("print %s failed: %s", kind, fixture->err);
  g_assert_cmpstr (fixture->err, ==, "");
  g_assert_true (g_file_test (fixture->pdf, G_FILE_TEST_IS_REGULAR));

  g_clear_pointer (&fixture->text, g_free);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &fixture->text, &err,
                &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status) && WEXITSTATUS (wait_status) == 0);
}

#define assert_text(fixture, needle) \
  G_STMT_START { \
    if (strstr ((fixture)->text, (needle)) == NULL) \
      g_error ("“%s” is not in the document:\n%s", (needle), (fixture)->text); \
  } G_STMT_END

static guint
count_pages (const char *text)
{
  guint n = 1;
  const char *p;

  for (p = text; *p != '\0'; p++)
    if (*p == '\f' && p[1] != '\0')
      n++;
  return n;
}

static void
assert_common (Fixture *fixture)
{
  assert_text (fixture, DIRECTORATE_NAME);
  assert_text (fixture, "Ștefan cel Mare nr. 7");
  assert_text (fixture, "Nr. înregistrare");
  assert_text (fixture, "Pagina 1 din");
}

static void
test_social_inquiry (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *last = NULL;
  guint pages;

  print_ro (fixture, "social-inquiry", fixture->inquiry);
  assert_common (fixture);
  assert_text (fixture, "Anchetă socială");
  assert_text (fixture, "1. Date de identificare");
  assert_text (fixture, "2. Componența familiei");
  assert_text (fixture, "9. Concluzii și propuneri");
  assert_text (fixture, "Ștefănescu Ana-Maria");
  assert_text (fixture, "Ștefănescu Ioana");
  assert_text (fixture, "Vasile Ștefănescu");
  assert_text (fixture, "05.03.2026");
  assert_text (fixture, "09.04.1980");
  assert_text (fixture, "23.11.1984");   /* the mother's, from her person record */
  assert_text (fixture, "Apartament cu încălzire centrală");
  assert_text (fixture, "2450,50");
  assert_text (fixture, "Situația copilului este bună");
  assert_text (fixture, "rândul 60.");
  assert_text (fixture, "Elena Mureșan");
  pages = count_pages (fixture->text);
  g_assert_cmpuint (pages, >=, 2);
  last = g_strdup_printf ("Pagina %u din %u", pages, pages);
  assert_text (fixture, last);
}

static void
test_service_plan (Fixture       *fixture,
                   gconstpointer  data)
{
  print_ro (fixture, "service-plan", fixture->service_plan);
  assert_common (fixture);
  assert_text (fixture, "Plan de servicii");
  assert_text (fixture, "PS-17");
  assert_text (fixture, "Reintegrarea școlară a copilului");
  assert_text (fixture, "Frecventarea");
  assert_text (fixture, "Consiliere");
  assert_text (fixture, "31.05.2027");
}

static void
test_care_plan (Fixture       *fixture,
                gconstpointer  data)
{
  print_ro (fixture, "care-plan", fixture->care_plan);
  assert_common (fixture);
  assert_text (fixture, "Plan individualizat de asistență și îngrijire");
  assert_text (fixture, "PIAI-4");
  assert_text (fixture, "Mirela Pătrașcu");
  assert_text (fixture, "de 3 ori pe săptămână");
  assert_text (fixture, "15.02.2026");
}

static void
test_hg886 (Fixture       *fixture,
            gconstpointer  data)
{
  print_ro (fixture, "hg886", fixture->assessment);
  assert_common (fixture);
  assert_text (fixture, "HG 886/2000");
  assert_text (fixture, "Țăranu Gheorghe");
  assert_text (fixture, "Dr. Ștefan Roșu");
  assert_text (fixture, "10.02.2026");
}

static void
test_signal (Fixture       *fixture,
             gconstpointer  data)
{
  print_ro (fixture, "signal", fixture->signal);
  assert_common (fixture);
  assert_text (fixture, "Fișă de semnalare");
  assert_text (fixture, "1234/2026");
  assert_text (fixture, "Gică Țurcanu");
  assert_text (fixture, "Copilul rămâne singur acasă seara.");
  assert_text (fixture, "Ștefănescu Ana-Maria");
}

static guint
count_text (const char *text,
            const char *needle)
{
  guint n = 0;
  const char *p;

  for (p = strstr (text, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* A list longer than a page: the column headings are repeated on every page. */
static void
test_canteen_list (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint i, pages;

  {
    g_autoptr(TerenStore) store = teren_store_open (fixture->data_dir, &error);

    g_assert_no_error (error);
    for (i = 0; i < 80; i++)
      {
        g_autofree char *person = save (store, "person", "",
                                        "{\"last_name\":\"Șerban\",\"first_name\":\"Beneficiar %03u\","
                                        "\"sex\":\"M\",\"cnp_status\":\"missing\"}", i + 1);
        g_autofree char *beneficiary = save (store, "canteen.beneficiary", "canteen",
                                             "{\"person\":\"%s\",\"category\":\"c\","
                                             "\"requested_on\":\"2026-01-10\",\"household_size\":1,"
                                             "\"meals\":[\"lunch\"],\"start_on\":\"2026-02-01\"}", person);
      }
  }

  print_ro (fixture, "canteen-list", "2026-03");
  assert_common (fixture);
  assert_text (fixture, "Tabel nominal");
  assert_text (fixture, "03.2026");
  assert_text (fixture, "Țăranu Gheorghe");
  assert_text (fixture, "Șerban Beneficiar 001");
  assert_text (fixture, "Șerban Beneficiar 080");
  pages = count_pages (fixture->text);
  g_assert_cmpuint (pages, >=, 2);
  /* every page with rows has the column headings ("Membrii familiei") once */
  {
    g_auto(GStrv) page_texts = g_strsplit (fixture->text, "\f", -1);
    guint with_rows = 0;

    for (i = 0; page_texts[i] != NULL; i++)
      if (strstr (page_texts[i], "Beneficiar 0") != NULL)
        {
          with_rows++;
          g_assert_cmpuint (count_text (page_texts[i], "Membrii"), ==, 1);
        }
    g_assert_cmpuint (with_rows, >=, 2);
  }
  /* sorted by name */
  g_assert_true (strstr (fixture->text, "Beneficiar 001") < strstr (fixture->text, "Beneficiar 002"));
  g_assert_true (strstr (fixture->text, "Beneficiar 080") < strstr (fixture->text, "Țăranu Gheorghe"));
}

static void
test_timesheet (Fixture       *fixture,
                gconstpointer  data)
{
  print_ro (fixture, "timesheet", fixture->timesheet);
  assert_common (fixture);
  assert_text (fixture, "Foaie de prezență");
  assert_text (fixture, "Bălan Florică");
  assert_text (fixture, "Ștefănescu Ana-Maria");
  assert_text (fixture, "22");
}

static void
test_chc_report (Fixture       *fixture,
                 gconstpointer  data)
{
  print_ro (fixture, "chc-report", "2026-03");
  assert_common (fixture);
  assert_text (fixture, "Raport lunar de activitate");
  assert_text (fixture, "Cazuri noi");
  assert_text (fixture, "03.2026");
}

static void
test_pupil_summary (Fixture       *fixture,
                    gconstpointer  data)
{
  print_ro (fixture, "pupil-summary", fixture->pupil_record);
  assert_common (fixture);
  assert_text (fixture, "Fișa medicală a elevului");
  assert_text (fixture, "Alergie la polen și arahide");
  assert_text (fixture, "Dr. Maria Dumitrescu");
  assert_text (fixture, "20.02.2026");
}

/* The directorate's logo (GSettings directorate-logo, a PNG) is drawn in the header. */
static void
test_logo (Fixture       *fixture,
           gconstpointer  data)
{
  static const char png_base64[] =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
  const char *pdfimages = g_getenv ("TEREN_PDFIMAGES");
  g_autofree char *logo = g_build_filename (fixture->tmp, "stemă.png", NULL);
  g_autofree char *keyfile = g_build_filename (fixture->config_dir, "glib-2.0", "settings", "keyfile", NULL);
  g_autofree char *settings = NULL;
  g_autofree guchar *png = NULL;
  g_autofree char *list = NULL;
  g_autoptr(GError) error = NULL;
  gsize png_length = 0;
  int wait_status = 0;

  if (pdfimages == NULL)
    {
      g_test_skip ("pdfimages is not installed");
      return;
    }
  /* without a logo, no image */
  {
    const char *argv[] = { pdfimages, "-list", fixture->pdf, NULL };

    print_ro (fixture, "signal", fixture->signal);
    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &list, NULL, &wait_status, &error);
    g_assert_no_error (error);
    g_assert_null (strstr (list, "image"));
    g_clear_pointer (&list, g_free);
  }

  png = g_base64_decode (png_base64, &png_length);
  g_assert_true (g_file_set_contents (logo, (const char *) png, (gssize) png_length, NULL));
  settings = g_strdup_printf ("[ro/daps/Teren]\n"
                              "directorate-name='" DIRECTORATE_NAME "'\n"
                              "directorate-address='" DIRECTORATE_ADDRESS "'\n"
                              "directorate-logo='%s'\n", logo);
  g_assert_true (g_file_set_contents (keyfile, settings, -1, NULL));

  print_ro (fixture, "signal", fixture->signal);
  assert_common (fixture);
  {
    const char *argv[] = { pdfimages, "-list", fixture->pdf, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &list, NULL, &wait_status, &error);
    g_assert_no_error (error);
    g_assert_true (WIFEXITED (wait_status) && WEXITSTATUS (wait_status) == 0);
    g_assert_nonnull (strstr (list, "image"));
  }
}

/* ---- bad inputs: a clear message, a non-zero status, no file -------------------------- */

static void
assert_refused (Fixture    *fixture,
                int         status,
                const char *message)
{
  /* 1 (no such record) or 2 (usage, file): not a crash or a sanitizer's report */
  g_assert_true (status == 1 || status == 2);
  g_assert_null (strstr (fixture->err, "Sanitizer"));
  if (strstr (fixture->err, message) == NULL)
    g_error ("expected “%s” in: %s", message, fixture->err);
  g_assert_false (g_file_test (fixture->pdf, G_FILE_TEST_EXISTS));
}

static void
test_bad_inputs (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *missing_dir = g_build_filename (fixture->tmp, "no-such-folder", "x.pdf", NULL);
  g_autofree char *readonly_dir = g_build_filename (fixture->tmp, "readonly", NULL);
  g_autofree char *readonly_pdf = g_build_filename (readonly_dir, "x.pdf", NULL);
  g_autofree char *under_file = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  int status;

  status = run_print (fixture, "en", "letter", fixture->inquiry, "--pdf", fixture->pdf, NULL);
  assert_refused (fixture, status, "Unknown document “letter”");
  g_assert_nonnull (strstr (fixture->err, "social-inquiry"));

  status = run_print (fixture, "en", "social-inquiry", "00000000-0000-4000-8000-000000000000",
                      "--pdf", fixture->pdf, NULL);
  assert_refused (fixture, status, "There is no record with the id “00000000-0000-4000-8000-000000000000”");
  g_assert_cmpint (status, ==, 1);

  status = run_print (fixture, "en", "social-inquiry", fixture->signal, "--pdf", fixture->pdf, NULL);
  assert_refused (fixture, status, "not a record a “social-inquiry” document is made from");

  status = run_print (fixture, "en", "canteen-list", "2026-13", "--pdf", fixture->pdf, NULL);
  assert_refused (fixture, status, "2026-13");

  status = run_print (fixture, "en", "signal", fixture->signal, NULL);
  assert_refused (fixture, status, "Give the output file with --pdf FILE");

  status = run_print (fixture, "en", "signal", "--pdf", fixture->pdf, NULL);
  assert_refused (fixture, status, "needs a document kind and a record id or month");

  /* unwritable output: a missing folder, a read-only folder */
  status = run_print (fixture, "en", "signal", fixture->signal, "--pdf", missing_dir, NULL);
  assert_refused (fixture, status, "Cannot write the file");
  g_assert_false (g_file_test (missing_dir, G_FILE_TEST_EXISTS));

  /* a folder where the file should be, a path under a regular file: refused even for root */
  g_assert_cmpint (g_mkdir (fixture->pdf, 0700), ==, 0);
  status = run_print (fixture, "en", "signal", fixture->signal, "--pdf", fixture->pdf, NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (fixture->err, "Cannot write the file"));
  g_assert_true (g_file_test (fixture->pdf, G_FILE_TEST_IS_DIR));
  g_rmdir (fixture->pdf);
  g_assert_true (g_file_set_contents (fixture->pdf, "not a folder", -1, NULL));
  under_file = g_build_filename (fixture->pdf, "x.pdf", NULL);
  status = run_print (fixture, "en", "signal", fixture->signal, "--pdf", under_file, NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (fixture->err, "Cannot write the file"));
  g_remove (fixture->pdf);
  /* and no temporary file is left beside where the file would have gone */
  dir = g_dir_open (fixture->tmp, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_false (g_str_has_prefix (name, "."));
  g_clear_pointer (&dir, g_dir_close);

  g_assert_cmpint (g_mkdir (readonly_dir, 0500), ==, 0);
  if (access (readonly_dir, W_OK) != 0)   /* root writes anyway */
    {
      status = run_print (fixture, "en", "signal", fixture->signal, "--pdf", readonly_pdf, NULL);
      assert_refused (fixture, status, "Cannot write the file");
      dir = g_dir_open (readonly_dir, 0, NULL);
      g_assert_nonnull (dir);
      g_assert_null (g_dir_read_name (dir));
    }
  g_chmod (readonly_dir, 0700);
}

static void
test_help_lists_kinds (Fixture       *fixture,
                       gconstpointer  data)
{
  g_assert_cmpint (run_print (fixture, "en", "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (fixture->out, "--pdf"));
  g_assert_nonnull (strstr (fixture->out, "canteen-list"));
  g_assert_nonnull (strstr (fixture->out, "YYYY-MM"));
  g_assert_nonnull (strstr (fixture->out, "pupil-summary"));
}

int
main (int    argc,
      char **argv)
{
  /* three programs of this file (TEREN_DOCS_GROUP), each short under the sanitizers */
  static const struct {
    const char *path;
    void (*func) (Fixture *, gconstpointer);
    int group;
  } tests[] = {
    { "/docs/social-inquiry", test_social_inquiry, 1 },
    { "/docs/service-plan", test_service_plan, 1 },
    { "/docs/care-plan", test_care_plan, 1 },
    { "/docs/hg886", test_hg886, 1 },
    { "/docs/signal", test_signal, 1 },
    { "/docs/canteen-list", test_canteen_list, 2 },
    { "/docs/timesheet", test_timesheet, 2 },
    { "/docs/chc-report", test_chc_report, 2 },
    { "/docs/pupil-summary", test_pupil_summary, 2 },
    { "/docs/logo", test_logo, 3 },
    { "/docs/bad-inputs", test_bad_inputs, 3 },
    { "/docs/help", test_help_lists_kinds, 3 },
  };
  guint i;

  g_test_init (&argc, &argv, NULL);
  for (i = 0; i < G_N_ELEMENTS (tests); i++)
    if (tests[i].group == TEREN_DOCS_GROUP)
      g_test_add (tests[i].path, Fixture, NULL, fixture_setup, tests[i].func, fixture_teardown);

  return g_test_run ();
}
