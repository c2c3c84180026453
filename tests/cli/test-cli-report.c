/* test-cli-report.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/wait.h>

#include <glib/gstdio.h>

#include "teren-cli-test-util.h"
#include "teren-store.h"
#include "teren-store-test-util.h"

/* The real teren-cli program: `report --line L --month YYYY-MM --format csv|json` on a
 * temporary store with known records; every bad input gets a clear message, exit status 2
 * and leaves the data as it was. */

typedef struct {
  char *tmp;
  char *data_dir;
  char *out;
  char *err;
} Fixture;

static void
save (TerenStore *store,
      const char *kind,
      const char *line,
      const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenRecord) record = NULL;

  g_assert_nonnull (node);
  record = teren_store_save (store, kind, line, NULL, json_node_get_object (node), NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (record);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(TerenStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenRecord) person = NULL;
  g_autoptr(JsonNode) fields = json_from_string ("{\"last_name\":\"Ionescu\",\"first_name\":\"Ana\","
                                                 "\"sex\":\"F\",\"cnp_status\":\"missing\"}", NULL);
  g_autofree char *json = NULL;
  const char *id;

  fixture->tmp = g_dir_make_tmp ("teren-cli-report-XXXXXX", NULL);
  g_assert_nonnull (fixture->tmp);
  fixture->data_dir = g_build_filename (fixture->tmp, "data", NULL);

  store = teren_store_open (fixture->data_dir, &error);
  g_assert_no_error (error);
  person = teren_store_save (store, "person", "", NULL, json_node_get_object (fields), NULL, NULL, &error);
  g_assert_no_error (error);
  id = teren_record_get_id (person);

  json = g_strdup_printf ("{\"person\":\"%s\",\"opened_on\":\"2026-03-02\",\"status\":\"open\"}", id);
  save (store, "case", "child", json);
  g_free (json);
  json = g_strdup_printf ("{\"person\":\"%s\",\"opened_on\":\"2026-01-02\",\"closed_on\":\"2026-03-30\","
                          "\"status\":\"closed\"}", id);
  save (store, "case", "child", json);
  g_free (json);
  json = g_strdup_printf ("{\"person\":\"%s\",\"category\":\"d\",\"requested_on\":\"2026-01-10\","
                          "\"household_size\":1,\"meals\":[\"lunch\"],\"start_on\":\"2026-02-01\"}", id);
  save (store, "canteen.beneficiary", "canteen", json);
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
}

/* Runs teren-cli --data-dir @data_dir report @args… in @language; the exit status. */
static int
run_report (Fixture    *fixture,
            const char *language,
            const char *data_dir,
            ...)
{
  g_auto(GStrv) envp = test_cli_environ (language);
  va_list args;
  int status;

  va_start (args, data_dir);
  status = test_cli_run_va (envp, data_dir, "report", args, &fixture->out, &fixture->err);
  va_end (args);
  return status;
}

#define report(fixture, ...) run_report (fixture, "en", (fixture)->data_dir, __VA_ARGS__, NULL)

static void
test_csv (Fixture       *fixture,
          gconstpointer  data)
{
  g_auto(GStrv) lines = NULL;

  g_assert_cmpint (report (fixture, "--line", "child", "--month", "2026-03", "--format", "csv"), ==, 0);
  g_assert_cmpstr (fixture->err, ==, "");
  lines = g_strsplit (fixture->out, "\r\n", -1);
  g_assert_cmpstr (lines[0], ==, "\xEF\xBB\xBF" "line,month,key,label,value");
  g_assert_cmpstr (lines[1], ==, "child,2026-03,new_cases,New cases,1");
  g_assert_cmpstr (lines[2], ==, "child,2026-03,closed_cases,Closed cases,1");
  g_assert_cmpstr (lines[3], ==, "child,2026-03,open_cases,Open cases at the end of the month,1");
  g_assert_cmpstr (lines[4], ==, "child,2026-03,visits,Visits carried out,0");
  g_assert_cmpstr (lines[5], ==, "child,2026-03,persons_served,Persons served,1");
  g_assert_cmpstr (lines[6], ==, "child,2026-03,children_at_risk,Children at risk,0");
  /* The default format is CSV too; ';' writes decimals with a comma. */
  g_assert_cmpint (report (fixture, "--line", "canteen", "--month", "2026-03", "--separator", ";"), ==, 0);
  g_assert_nonnull (strstr (fixture->out, "\r\ncanteen;2026-03;nominal_list;Beneficiaries on the nominal list;1\r\n"));
  g_assert_nonnull (strstr (fixture->out, "\r\ncanteen;2026-03;cost;Cost of the meals (lei);0,00\r\n"));
}

static void
test_json (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonArray *figures;

  g_assert_cmpint (report (fixture, "--line", "child", "--month", "2026-04", "--format", "json"), ==, 0);
  json_parser_load_from_data (parser, fixture->out, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "month"), ==, "2026-04");
  figures = json_object_get_array_member (root, "figures");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (figures, 2), "key"), ==,
                   "open_cases");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (figures, 2), "value"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (figures, 1), "value"), ==, 0);
}

static void
test_bad_input (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *db = g_build_filename (fixture->data_dir, TEREN_STORE_DB_NAME, NULL);
  g_autofree char *missing = g_build_filename (fixture->tmp, "nothing-here", NULL);
  g_autoptr(TerenStore) store = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (report (fixture, "--line", "orphanage", "--month", "2026-03"), ==, 2);
  g_assert_cmpstr (fixture->out, ==, "");
  g_assert_nonnull (strstr (fixture->err, "Unknown service line “orphanage”"));
  g_assert_nonnull (strstr (fixture->err, "child"));

  g_assert_cmpint (report (fixture, "--line", "child", "--month", "2026-13"), ==, 2);
  g_assert_cmpstr (fixture->out, ==, "");
  g_assert_nonnull (strstr (fixture->err, "“2026-13” is not a month"));
  g_assert_cmpint (report (fixture, "--line", "child", "--month", "03.2026"), ==, 2);
  g_assert_nonnull (strstr (fixture->err, "YYYY-MM"));

  g_assert_cmpint (report (fixture, "--month", "2026-03"), ==, 2);
  g_assert_nonnull (strstr (fixture->err, "--line"));
  g_assert_cmpint (report (fixture, "--line", "child"), ==, 2);
  g_assert_nonnull (strstr (fixture->err, "--month"));
  g_assert_cmpint (report (fixture, "--line", "child", "--month", "2026-03", "--format", "pdf"), ==, 2);
  g_assert_nonnull (strstr (fixture->err, "Unknown format “pdf”"));
  g_assert_cmpint (report (fixture, "--line", "child", "--month", "2026-03", "extra"), ==, 2);
  g_assert_nonnull (strstr (fixture->err, "takes no arguments"));

  /* No store there: an error, and no folder made. */
  g_assert_cmpint (run_report (fixture, "en", missing, "--line", "child", "--month", "2026-03", NULL), ==, 2);
  g_assert_nonnull (strstr (fixture->err, "There is no Teren data"));
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));

  /* In Romanian. */
  g_assert_cmpint (run_report (fixture, "ro", fixture->data_dir, "--line", "orfelinat", "--month", "2026-03",
                               NULL), ==, 2);
  g_assert_nonnull (strstr (fixture->err, "Linie de servicii necunoscută „orfelinat”"));

  /* Nothing was changed: the same records, no new change waiting. */
  g_assert_true (g_file_test (db, G_FILE_TEST_EXISTS));
  store = teren_store_open (fixture->data_dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (teren_store_count (store, "case"), ==, 2);
  g_assert_cmpuint (teren_store_count (store, "person"), ==, 1);
  g_assert_cmpuint (teren_store_count_pending (store), ==, 4);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/teren/cli/report/csv", Fixture, NULL, fixture_setup, test_csv, fixture_teardown);
  g_test_add ("/teren/cli/report/json", Fixture, NULL, fixture_setup, test_json, fixture_teardown);
  g_test_add ("/teren/cli/report/bad-input", Fixture, NULL, fixture_setup, test_bad_input, fixture_teardown);

  return g_test_run ();
}
