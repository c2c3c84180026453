/* test-report.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "teren-date.h"
#include "teren-error.h"
#include "teren-schema.h"
#include "teren-store-private.h"
#include "teren-store-report.h"
#include "teren-store-test-util.h"

/* Monthly counts per line (teren-store-report.h) on a real temporary store with a known
 * set of records around March 2026, checked figure by figure; the CSV and JSON forms; bad
 * input (unknown line, bad month) refused with a clear error and nothing written; the due
 * items read from the store. */

typedef struct {
  char       *dir;
  TerenStore *store;
  char       *persons[6];   /* A … F */
} Fixture;

static char *
save (Fixture    *fixture,
      const char *kind,
      const char *line,
      const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) field_errors = NULL;
  g_autoptr(TerenRecord) record = NULL;

  g_assert_nonnull (node);
  record = teren_store_save (fixture->store, kind, line, NULL, json_node_get_object (node), NULL,
                             &field_errors, &error);
  if (record == NULL && field_errors != NULL && field_errors->len > 0)
    {
      TerenFieldError *first = g_ptr_array_index (field_errors, 0);

      g_error ("%s not saved: %s %s", kind, first->field, first->code);
    }
  g_assert_no_error (error);
  g_assert_nonnull (record);
  return g_strdup (teren_record_get_id (record));
}

/* @json with "%A" … "%F" replaced by the ids of persons A … F, and "%1" … "%9" by @ids. */
static char *
expand (Fixture     *fixture,
        const char  *json,
        char       **ids)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p;

  for (p = json; *p != '\0'; p++)
    {
      if (p[0] == '%' && p[1] >= 'A' && p[1] <= 'F')
        {
          g_string_append (out, fixture->persons[p[1] - 'A']);
          p++;
        }
      else if (p[0] == '%' && p[1] >= '1' && p[1] <= '9')
        {
          g_string_append (out, ids[p[1] - '1']);
          p++;
        }
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
add (Fixture     *fixture,
     const char  *kind,
     const char  *line,
     const char  *json,
     char       **ids)
{
  g_autofree char *expanded = expand (fixture, json, ids);

  return save (fixture, kind, line, expanded);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  static const char * const names[] = { "Ana", "Bogdan", "Carmen", "Dan", "Elena", "Florin" };
  g_autoptr(GError) error = NULL;
  guint i;

  fixture->dir = g_dir_make_tmp ("teren-report-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->store = teren_store_open (fixture->dir, &error);
  g_assert_no_error (error);

  for (i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(JsonObject) fields = test_person_fields ("Popescu", names[i], i % 2 ? "M" : "F",
                                                         "2015-05-05", NULL);
      g_autoptr(TerenRecord) record = teren_store_save (fixture->store, "person", "", NULL, fields,
                                                        NULL, NULL, &error);

      g_assert_no_error (error);
      fixture->persons[i] = g_strdup (teren_record_get_id (record));
    }
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  guint i;

  g_clear_object (&fixture->store);
  test_rm_rf (fixture->dir);
  g_free (fixture->dir);
  for (i = 0; i < G_N_ELEMENTS (fixture->persons); i++)
    g_free (fixture->persons[i]);
}

static TerenReport *
report_of (Fixture    *fixture,
           const char *line,
           const char *month)
{
  g_autoptr(GError) error = NULL;
  TerenReport *report;
  int year = 0, number = 0;

  g_assert_true (teren_report_parse_month (month, &year, &number, &error));
  g_assert_no_error (error);
  report = teren_store_report_month (fixture->store, line, year, number, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

static double
figure (TerenReport *report,
        const char  *key)
{
  const TerenReportFigure *found = teren_report_get_figure (report, key);

  if (found == NULL)
    g_error ("no figure %s in the %s report", key, report->line);
  return found->value;
}

/* The child line: cases, visits, risk situations, parents abroad. */
static void
add_child_records (Fixture *fixture)
{
  char *ids[9] = { NULL };
  g_autofree char *deleted = NULL;
  g_autoptr(GError) error = NULL;
  guint i;

  /* c1 new and open (A); c2 closed in March (B); c3 open since February (C); c4 opened in
   * April (D); c5 closed in February (E). */
  ids[0] = add (fixture, "case", "child", "{\"person\":\"%A\",\"opened_on\":\"2026-03-05\",\"status\":\"open\"}", ids);
  ids[1] = add (fixture, "case", "child", "{\"person\":\"%B\",\"opened_on\":\"2026-01-10\",\"status\":\"closed\","
                                          "\"closed_on\":\"2026-03-20\",\"closure_reason\":\"plan_completed\"}", ids);
  ids[2] = add (fixture, "case", "child", "{\"person\":\"%C\",\"opened_on\":\"2026-02-01\",\"status\":\"open\"}", ids);
  ids[3] = add (fixture, "case", "child", "{\"person\":\"%D\",\"opened_on\":\"2026-04-02\",\"status\":\"open\"}", ids);
  ids[4] = add (fixture, "case", "child", "{\"person\":\"%E\",\"opened_on\":\"2025-01-01\",\"status\":\"closed\","
                                          "\"closed_on\":\"2026-02-15\"}", ids);
  /* Neither a deleted case nor another line's case counts. */
  deleted = add (fixture, "case", "child", "{\"person\":\"%F\",\"opened_on\":\"2026-03-06\",\"status\":\"open\"}", ids);
  g_assert_true (teren_store_delete (fixture->store, deleted, &error));
  g_assert_no_error (error);
  g_free (add (fixture, "case", "elderly", "{\"person\":\"%F\",\"opened_on\":\"2026-03-06\",\"status\":\"open\"}", ids));

  g_free (add (fixture, "visit", "child", "{\"case\":\"%1\",\"date\":\"2026-03-01\",\"status\":\"done\"}", ids));
  g_free (add (fixture, "visit", "child", "{\"case\":\"%1\",\"date\":\"2026-03-31\",\"status\":\"done\"}", ids));
  g_free (add (fixture, "visit", "child", "{\"case\":\"%1\",\"date\":\"2026-03-15\",\"status\":\"planned\"}", ids));
  g_free (add (fixture, "visit", "child", "{\"case\":\"%1\",\"date\":\"2026-04-01\",\"status\":\"done\"}", ids));
  g_free (add (fixture, "visit", "child", "{\"case\":\"%3\",\"date\":\"2026-02-28\",\"status\":\"done\"}", ids));

  g_free (add (fixture, "child.case_profile", "child",
               "{\"case\":\"%1\",\"risk_situations\":[\"neglect\",\"domestic_violence\"]}", ids));
  g_free (add (fixture, "child.case_profile", "child", "{\"case\":\"%2\",\"risk_situations\":[\"neglect\"]}", ids));
  g_free (add (fixture, "child.case_profile", "child", "{\"case\":\"%4\",\"risk_situations\":[\"physical_abuse\"]}", ids));
  g_free (add (fixture, "child.case_profile", "child", "{\"case\":\"%5\",\"risk_situations\":[\"trafficking\"]}", ids));

  g_free (add (fixture, "child.parents_abroad", "child",
               "{\"person\":\"%A\",\"who_left\":\"mother\",\"departure_on\":\"2026-02-10\"}", ids));
  g_free (add (fixture, "child.parents_abroad", "child",
               "{\"person\":\"%C\",\"who_left\":\"both\",\"notified_on\":\"2026-03-01\","
               "\"departure_on\":\"2026-03-25\",\"late_notice\":true}", ids));
  g_free (add (fixture, "child.parents_abroad", "child",
               "{\"person\":\"%D\",\"who_left\":\"father\",\"departure_on\":\"2026-01-05\","
               "\"return_on\":\"2026-02-20\"}", ids));

  g_free (add (fixture, "child.court_request", "child",
               "{\"case\":\"%1\",\"court\":\"Judecătoria Iași\",\"file_number\":\"123/245/2026\","
               "\"object\":\"residence\",\"received_on\":\"2026-03-02\",\"hearing_date\":\"2026-03-13\"}", ids));

  for (i = 0; i < G_N_ELEMENTS (ids); i++)
    g_free (ids[i]);
}

static void
test_child (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(TerenReport) report = NULL;
  const TerenReportFigure *first;

  add_child_records (fixture);
  report = report_of (fixture, "child", "2026-03");

  g_assert_cmpstr (report->line, ==, "child");
  first = g_ptr_array_index (report->figures, 0);
  g_assert_cmpstr (first->key, ==, "new_cases");
  g_assert_cmpstr (first->label, ==, "New cases");

  g_assert_cmpfloat (figure (report, "new_cases"), ==, 1);
  g_assert_cmpfloat (figure (report, "closed_cases"), ==, 1);
  g_assert_cmpfloat (figure (report, "open_cases"), ==, 2);
  g_assert_cmpfloat (figure (report, "visits"), ==, 2);
  g_assert_cmpfloat (figure (report, "persons_served"), ==, 3);
  g_assert_cmpfloat (figure (report, "children_at_risk"), ==, 2);
  g_assert_cmpfloat (figure (report, "risk:neglect"), ==, 2);
  g_assert_cmpfloat (figure (report, "risk:domestic_violence"), ==, 1);
  g_assert_cmpfloat (figure (report, "risk:physical_abuse"), ==, 0);
  g_assert_cmpfloat (figure (report, "risk:trafficking"), ==, 0);
  g_assert_cmpfloat (figure (report, "parents_abroad"), ==, 2);
  g_assert_cmpfloat (figure (report, "late_notices"), ==, 1);
  g_assert_cmpfloat (figure (report, "court_requests"), ==, 1);

  /* April: c4 new, c1 and c3 still open, c2 gone. */
  {
    g_autoptr(TerenReport) april = report_of (fixture, "child", "2026-04");

    g_assert_cmpfloat (figure (april, "new_cases"), ==, 1);
    g_assert_cmpfloat (figure (april, "closed_cases"), ==, 0);
    g_assert_cmpfloat (figure (april, "open_cases"), ==, 3);
    g_assert_cmpfloat (figure (april, "visits"), ==, 1);
    g_assert_cmpfloat (figure (april, "risk:physical_abuse"), ==, 1);
    g_assert_cmpfloat (figure (april, "parents_abroad"), ==, 2);
  }

  /* The elderly line sees only its own case. */
  {
    g_autoptr(TerenReport) elderly = report_of (fixture, "elderly", "2026-03");

    g_assert_cmpfloat (figure (elderly, "new_cases"), ==, 1);
    g_assert_cmpfloat (figure (elderly, "persons_served"), ==, 1);
    g_assert_cmpfloat (figure (elderly, "visits"), ==, 0);
  }
}

static void
test_canteen_homeless_elderly_creche_adult (Fixture       *fixture,
                                            gconstpointer  data)
{
  char *ids[9] = { NULL };
  guint i;

  /* Canteen. */
  ids[0] = add (fixture, "canteen.beneficiary", "canteen",
                "{\"person\":\"%A\",\"category\":\"d\",\"requested_on\":\"2026-01-10\",\"household_size\":1,"
                "\"meals\":[\"lunch\",\"dinner\"],\"start_on\":\"2026-02-01\",\"free\":true}", ids);
  ids[1] = add (fixture, "canteen.beneficiary", "canteen",
                "{\"person\":\"%B\",\"category\":\"g\",\"requested_on\":\"2026-02-10\",\"household_size\":2,"
                "\"meals\":[\"lunch\"],\"start_on\":\"2026-03-01\",\"end_on\":\"2026-03-31\",\"free\":false}", ids);
  g_free (add (fixture, "canteen.beneficiary", "canteen",
               "{\"person\":\"%C\",\"category\":\"d\",\"requested_on\":\"2026-03-10\",\"household_size\":1,"
               "\"meals\":[\"lunch\"],\"start_on\":\"2026-04-01\"}", ids));
  g_free (add (fixture, "canteen.meal", "canteen",
               "{\"beneficiary\":\"%1\",\"date\":\"2026-03-02\",\"lunch\":true,\"dinner\":true,\"unit_cost\":7.5}", ids));
  g_free (add (fixture, "canteen.meal", "canteen",
               "{\"beneficiary\":\"%2\",\"date\":\"2026-03-02\",\"lunch\":true,\"dinner\":false,\"unit_cost\":7.5}", ids));
  g_free (add (fixture, "canteen.meal", "canteen",
               "{\"beneficiary\":\"%1\",\"date\":\"2026-02-28\",\"lunch\":true,\"unit_cost\":7.5}", ids));
  g_free (add (fixture, "canteen.meal", "canteen",
               "{\"beneficiary\":\"%2\",\"date\":\"2026-03-31\",\"dinner\":true,\"unit_cost\":8.25}", ids));

  /* Homeless: stays across the month's edges, street contacts with and without a person. */
  g_free (add (fixture, "homeless.shelter_stay", "homeless",
               "{\"person\":\"%A\",\"shelter\":\"Adăpost\",\"check_in_on\":\"2026-02-25\",\"check_out_on\":\"2026-03-05\"}", ids));
  g_free (add (fixture, "homeless.shelter_stay", "homeless",
               "{\"person\":\"%B\",\"shelter\":\"Adăpost\",\"check_in_on\":\"2026-03-30\"}", ids));
  g_free (add (fixture, "homeless.shelter_stay", "homeless",
               "{\"person\":\"%C\",\"shelter\":\"Adăpost\",\"check_in_on\":\"2026-03-10\",\"check_out_on\":\"2026-03-10\"}", ids));
  g_free (add (fixture, "homeless.shelter_stay", "homeless",
               "{\"person\":\"%E\",\"shelter\":\"Adăpost\",\"check_in_on\":\"2026-04-02\"}", ids));
  g_free (add (fixture, "homeless.street_contact", "homeless",
               "{\"person\":\"%D\",\"date\":\"2026-03-03\",\"place\":\"Gara de Nord\",\"refused\":true,"
               "\"weather_code\":\"red\"}", ids));
  g_free (add (fixture, "homeless.street_contact", "homeless",
               "{\"date\":\"2026-03-04\",\"place\":\"Parcul Central\",\"services\":[\"hot_meal\",\"blankets\"]}", ids));
  g_free (add (fixture, "homeless.street_contact", "homeless",
               "{\"person\":\"%A\",\"date\":\"2026-03-05\",\"place\":\"Piața Unirii\"}", ids));
  g_free (add (fixture, "homeless.street_contact", "homeless",
               "{\"person\":\"%E\",\"date\":\"2026-02-27\",\"place\":\"Piața Unirii\"}", ids));

  /* Elderly home care: 1.5 + 1 + 2 hours in March. */
  g_free (add (fixture, "elderly.home_care_visit", "elderly",
               "{\"person\":\"%A\",\"date\":\"2026-03-02\",\"arrival_time\":\"09:00\",\"departure_time\":\"10:30\"}", ids));
  g_free (add (fixture, "elderly.home_care_visit", "elderly",
               "{\"person\":\"%A\",\"date\":\"2026-03-09\",\"arrival_time\":\"09:00\",\"departure_time\":\"10:00\"}", ids));
  g_free (add (fixture, "elderly.home_care_visit", "elderly",
               "{\"person\":\"%B\",\"date\":\"2026-03-10\",\"arrival_time\":\"14:00\",\"departure_time\":\"16:00\"}", ids));
  g_free (add (fixture, "elderly.home_care_visit", "elderly",
               "{\"person\":\"%B\",\"date\":\"2026-04-01\",\"arrival_time\":\"14:00\",\"departure_time\":\"16:00\"}", ids));

  /* Crèche. */
  ids[2] = add (fixture, "creche.enrolment", "creche",
                "{\"person\":\"%A\",\"birth_date\":\"2024-05-01\",\"unit\":\"Creșa Veseliei\",\"programme\":\"normal\","
                "\"start_on\":\"2025-09-01\"}", ids);
  g_free (add (fixture, "creche.enrolment", "creche",
               "{\"person\":\"%B\",\"birth_date\":\"2024-05-01\",\"unit\":\"Creșa Veseliei\",\"programme\":\"extended\","
               "\"start_on\":\"2026-03-15\"}", ids));
  g_free (add (fixture, "creche.enrolment", "creche",
               "{\"person\":\"%C\",\"birth_date\":\"2023-05-01\",\"unit\":\"Creșa Veseliei\",\"programme\":\"normal\","
               "\"start_on\":\"2025-09-01\",\"end_on\":\"2026-02-28\"}", ids));
  g_free (add (fixture, "creche.attendance", "creche", "{\"enrolment\":\"%3\",\"date\":\"2026-03-03\",\"status\":\"present\",\"meals\":2}", ids));
  g_free (add (fixture, "creche.attendance", "creche", "{\"enrolment\":\"%3\",\"date\":\"2026-03-04\",\"status\":\"present\",\"meals\":2}", ids));
  g_free (add (fixture, "creche.attendance", "creche", "{\"enrolment\":\"%3\",\"date\":\"2026-03-05\",\"status\":\"present\",\"meals\":2}", ids));
  g_free (add (fixture, "creche.attendance", "creche", "{\"enrolment\":\"%3\",\"date\":\"2026-03-06\",\"status\":\"absent\",\"meals\":0}", ids));
  g_free (add (fixture, "creche.attendance", "creche", "{\"enrolment\":\"%3\",\"date\":\"2026-03-09\",\"status\":\"excused\"}", ids));
  g_free (add (fixture, "creche.attendance", "creche", "{\"enrolment\":\"%3\",\"date\":\"2026-02-27\",\"status\":\"present\",\"meals\":2}", ids));
  g_free (add (fixture, "creche.contribution", "creche",
               "{\"enrolment\":\"%3\",\"month\":\"2026-03\",\"amount\":150.5,\"paid_on\":\"2026-03-10\"}", ids));
  g_free (add (fixture, "creche.contribution", "creche", "{\"enrolment\":\"%3\",\"month\":\"2026-03\",\"amount\":99.5}", ids));
  g_free (add (fixture, "creche.contribution", "creche", "{\"enrolment\":\"%3\",\"month\":\"2026-02\",\"amount\":300}", ids));

  /* Adults. */
  g_free (add (fixture, "adult.counselling", "adult", "{\"person\":\"%A\",\"date\":\"2026-03-02\",\"type\":\"social\"}", ids));
  g_free (add (fixture, "adult.counselling", "adult", "{\"person\":\"%A\",\"date\":\"2026-03-09\",\"type\":\"legal\"}", ids));
  g_free (add (fixture, "adult.counselling", "adult", "{\"person\":\"%A\",\"date\":\"2026-04-09\",\"type\":\"legal\"}", ids));
  g_free (add (fixture, "adult.emergency_aid", "adult",
               "{\"person\":\"%B\",\"date\":\"2026-03-12\",\"cause\":\"fire\",\"urgency\":\"emergency\",\"amount\":500}", ids));

  {
    g_autoptr(TerenReport) canteen = report_of (fixture, "canteen", "2026-03");

    g_assert_cmpfloat (figure (canteen, "nominal_list"), ==, 2);
    g_assert_cmpfloat (figure (canteen, "free_beneficiaries"), ==, 1);
    g_assert_cmpfloat (figure (canteen, "lunch_portions"), ==, 2);
    g_assert_cmpfloat (figure (canteen, "dinner_portions"), ==, 2);
    g_assert_cmpfloat (figure (canteen, "portions"), ==, 4);
    g_assert_cmpfloat (figure (canteen, "cost"), ==, 30.75);
  }
  {
    g_autoptr(TerenReport) homeless = report_of (fixture, "homeless", "2026-03");

    g_assert_cmpfloat (figure (homeless, "homeless_served"), ==, 4);
    g_assert_cmpfloat (figure (homeless, "street_contacts"), ==, 3);
    g_assert_cmpfloat (figure (homeless, "refusals"), ==, 1);
    /* 4 nights (1–5 March) + 2 (30 March to the month's end) + 0. */
    g_assert_cmpfloat (figure (homeless, "bed_nights"), ==, 6);
  }
  {
    g_autoptr(TerenReport) elderly = report_of (fixture, "elderly", "2026-03");

    g_assert_cmpfloat (figure (elderly, "home_care_beneficiaries"), ==, 2);
    g_assert_cmpfloat (figure (elderly, "home_care_visits"), ==, 3);
    g_assert_cmpfloat (figure (elderly, "care_hours"), ==, 4.5);
  }
  {
    g_autoptr(TerenReport) creche = report_of (fixture, "creche", "2026-03");

    g_assert_cmpfloat (figure (creche, "children_enrolled"), ==, 2);
    g_assert_cmpfloat (figure (creche, "attendance_days"), ==, 3);
    g_assert_cmpfloat (figure (creche, "absence_days"), ==, 2);
    g_assert_cmpfloat (figure (creche, "meals"), ==, 6);
    g_assert_cmpfloat (figure (creche, "contributions"), ==, 250);
    g_assert_cmpfloat (figure (creche, "contributions_paid"), ==, 150.5);
  }
  {
    g_autoptr(TerenReport) adult = report_of (fixture, "adult", "2026-03");

    g_assert_cmpfloat (figure (adult, "counselling_sessions"), ==, 2);
    g_assert_cmpfloat (figure (adult, "emergency_aids"), ==, 1);
    g_assert_cmpfloat (figure (adult, "emergency_aid_amount"), ==, 500);
  }

  for (i = 0; i < G_N_ELEMENTS (ids); i++)
    g_free (ids[i]);
}

static void
test_formats (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(TerenReport) report = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *csv_semicolon = NULL;
  g_autofree char *json = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  JsonObject *root;
  JsonArray *figures;
  gsize length = 0;
  char *ids[9] = { NULL };

  ids[0] = add (fixture, "canteen.beneficiary", "canteen",
                "{\"person\":\"%A\",\"category\":\"d\",\"requested_on\":\"2026-01-10\",\"household_size\":1,"
                "\"meals\":[\"lunch\"],\"start_on\":\"2026-02-01\"}", ids);
  g_free (add (fixture, "canteen.meal", "canteen",
               "{\"beneficiary\":\"%1\",\"date\":\"2026-03-02\",\"lunch\":true,\"unit_cost\":7.5}", ids));
  report = report_of (fixture, "canteen", "2026-03");

  csv = teren_report_to_csv (report, ',', &length);
  g_assert_cmpuint (length, ==, strlen (csv));
  g_assert_true (g_str_has_prefix (csv, "\xEF\xBB\xBF" "line,month,key,label,value\r\n"
                                        "canteen,2026-03,new_cases,New cases,0\r\n"));
  g_assert_nonnull (strstr (csv, "\r\ncanteen,2026-03,cost,Cost of the meals (lei),7.50\r\n"));
  g_assert_nonnull (strstr (csv, "\r\ncanteen,2026-03,portions,Portions served,1\r\n"));
  lines = g_strsplit (csv, "\r\n", -1);
  /* Header, 5 common figures, 6 canteen figures, and the empty rest after the last CRLF. */
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 5 + 6 + 1);

  csv_semicolon = teren_report_to_csv (report, ';', NULL);
  g_assert_nonnull (strstr (csv_semicolon, "\r\ncanteen;2026-03;cost;Cost of the meals (lei);7,50\r\n"));

  json = teren_report_to_json (report, &length);
  json_parser_load_from_data (parser, json, (gssize) length, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "line"), ==, "canteen");
  g_assert_cmpstr (json_object_get_string_member (root, "month"), ==, "2026-03");
  figures = json_object_get_array_member (root, "figures");
  g_assert_cmpuint (json_array_get_length (figures), ==, 11);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (figures, 0), "key"), ==,
                   "new_cases");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (figures, 5), "value"), ==, 1);
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (figures, 10), "value"), ==, 7.5);

  g_free (ids[0]);
}

/* A generated dataset (fixed seed): cases of the child line and canteen meals spread over
 * five months; the report's figures and CSV rows must equal the totals counted here. */
static void
test_generated_dataset (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260311);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) served = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(TerenReport) child = NULL;
  g_autoptr(TerenReport) canteen = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *cost_row = NULL;
  g_autofree char *beneficiary = NULL;
  guint new_cases = 0, closed_cases = 0, open_cases = 0, portions = 0;
  gint64 cost_bani = 0;
  char *ids[9] = { NULL };
  guint i;

  g_assert_true (teren_store_begin (fixture->store, &error));
  for (i = 0; i < 150; i++)
    {
      const char *person = fixture->persons[g_rand_int_range (rand, 0, 6)];
      int opened_month = g_rand_int_range (rand, 1, 6);         /* January … May 2026 */
      int opened_day = g_rand_int_range (rand, 1, 29);
      gboolean closed = g_rand_boolean (rand);
      int closed_month = g_rand_int_range (rand, opened_month, 7);
      int closed_day = closed_month == opened_month ? g_rand_int_range (rand, opened_day, 29)
                                                    : g_rand_int_range (rand, 1, 29);
      g_autofree char *opened_on = g_strdup_printf ("2026-%02d-%02d", opened_month, opened_day);
      g_autofree char *closed_on = g_strdup_printf ("2026-%02d-%02d", closed_month, closed_day);
      g_autofree char *json = NULL;

      /* Dates after today cannot be saved: keep the dataset in the past of any run. */
      if (closed)
        json = g_strdup_printf ("{\"person\":\"%s\",\"opened_on\":\"%s\",\"status\":\"closed\","
                                "\"closed_on\":\"%s\"}", person, opened_on, closed_on);
      else
        json = g_strdup_printf ("{\"person\":\"%s\",\"opened_on\":\"%s\",\"status\":\"open\"}",
                                person, opened_on);
      g_free (save (fixture, "case", "child", json));

      if (strcmp (opened_on, "2026-03-01") >= 0 && strcmp (opened_on, "2026-04-01") < 0)
        new_cases++;
      if (closed && strcmp (closed_on, "2026-03-01") >= 0 && strcmp (closed_on, "2026-04-01") < 0)
        closed_cases++;
      if (strcmp (opened_on, "2026-04-01") < 0 && (!closed || strcmp (closed_on, "2026-04-01") >= 0))
        open_cases++;
      if (strcmp (opened_on, "2026-04-01") < 0 && (!closed || strcmp (closed_on, "2026-03-01") >= 0))
        g_hash_table_add (served, (gpointer) person);
    }

  beneficiary = add (fixture, "canteen.beneficiary", "canteen",
                     "{\"person\":\"%A\",\"category\":\"d\",\"requested_on\":\"2025-12-10\",\"household_size\":1,"
                     "\"meals\":[\"lunch\",\"dinner\"],\"start_on\":\"2026-01-01\"}", ids);
  ids[0] = beneficiary;
  for (i = 0; i < 200; i++)
    {
      int month = g_rand_int_range (rand, 2, 5);
      int day = g_rand_int_range (rand, 1, 29);
      gboolean lunch = g_rand_boolean (rand);
      gboolean dinner = g_rand_boolean (rand);
      int unit_bani = g_rand_int_range (rand, 500, 1500);
      g_autofree char *json = NULL;
      char unit[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (unit, sizeof unit, "%.2f", unit_bani / 100.0);
      json = g_strdup_printf ("{\"beneficiary\":\"%s\",\"date\":\"2026-%02d-%02d\",\"lunch\":%s,"
                              "\"dinner\":%s,\"unit_cost\":%s}", beneficiary, month, day,
                              lunch ? "true" : "false", dinner ? "true" : "false", unit);
      g_free (save (fixture, "canteen.meal", "canteen", json));
      if (month == 3)
        {
          portions += (guint) lunch + (guint) dinner;
          cost_bani += ((gint64) lunch + (gint64) dinner) * unit_bani;
        }
    }
  g_assert_true (teren_store_commit (fixture->store, &error));
  g_assert_no_error (error);
  ids[0] = NULL;

  child = report_of (fixture, "child", "2026-03");
  g_assert_cmpfloat (figure (child, "new_cases"), ==, new_cases);
  g_assert_cmpfloat (figure (child, "closed_cases"), ==, closed_cases);
  g_assert_cmpfloat (figure (child, "open_cases"), ==, open_cases);
  g_assert_cmpfloat (figure (child, "persons_served"), ==, g_hash_table_size (served));
  g_assert_cmpuint (new_cases, >, 0);
  g_assert_cmpuint (closed_cases, >, 0);

  canteen = report_of (fixture, "canteen", "2026-03");
  g_assert_cmpfloat (figure (canteen, "portions"), ==, portions);
  g_assert_cmpuint (portions, >, 0);
  csv = teren_report_to_csv (canteen, ',', NULL);
  cost_row = g_strdup_printf ("\r\ncanteen,2026-03,cost,Cost of the meals (lei),%" G_GINT64_FORMAT ".%02d\r\n",
                              cost_bani / 100, (int) (cost_bani % 100));
  g_assert_nonnull (strstr (csv, cost_row));
}

static void
test_bad_input (Fixture       *fixture,
                gconstpointer  data)
{
  static const char * const bad_months[] = {
    "2026-3", "2026-13", "2026-00", "abcd-01", "", "1999-12", "2101-01", "2026/03", "2026-03-01",
  };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenReport) report = NULL;
  guint i;

  add_child_records (fixture);
  g_clear_object (&fixture->store);
  before = test_store_digest (fixture->dir);
  fixture->store = teren_store_open (fixture->dir, &error);
  g_assert_no_error (error);

  for (i = 0; i < G_N_ELEMENTS (bad_months); i++)
    {
      g_autoptr(GError) month_error = NULL;
      int year = -1, month = -1;

      g_assert_false (teren_report_parse_month (bad_months[i], &year, &month, &month_error));
      g_assert_error (month_error, TEREN_ERROR, TEREN_ERROR_INVALID);
      g_assert_nonnull (strstr (month_error->message, "YYYY-MM"));
      g_assert_cmpint (year, ==, -1);
    }
  g_assert_false (teren_report_parse_month (NULL, NULL, NULL, &error));
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
  g_clear_error (&error);

  report = teren_store_report_month (fixture->store, "orphanage", 2026, 3, &error);
  g_assert_null (report);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "orphanage"));
  g_clear_error (&error);
  report = teren_store_report_month (fixture->store, "", 2026, 3, &error);
  g_assert_null (report);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
  g_clear_error (&error);
  report = teren_store_report_month (fixture->store, "child", 2026, 13, &error);
  g_assert_null (report);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
  g_clear_error (&error);
  report = teren_store_report_month (fixture->store, "child", 1999, 12, &error);
  g_assert_null (report);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
  g_clear_error (&error);

  /* A good report reads only, too. */
  report = teren_store_report_month (fixture->store, "child", 2026, 3, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);

  g_clear_object (&fixture->store);
  after = test_store_digest (fixture->dir);
  g_assert_cmpstr (before, ==, after);
}

static void
test_due_from_store (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  TerenDueFilter filter = { "child", NULL, TEREN_DUE_THIS_MONTH };
  const TerenDueItem *item;
  GDate today;

  add_child_records (fixture);
  g_assert_true (teren_date_parse ("2026-03-11", &today));
  items = teren_store_due_items (fixture->store, &today, &filter, &error);
  g_assert_no_error (error);
  g_assert_nonnull (items);

  /* The court hearing of case c1 on Friday 13 March. */
  g_assert_cmpuint (items->len, ==, 1);
  item = g_ptr_array_index (items, 0);
  g_assert_cmpstr (item->rule, ==, "child.court_hearing");
  g_assert_cmpstr (item->due, ==, "2026-03-13");
  g_assert_cmpint (item->bucket, ==, TEREN_DUE_THIS_WEEK);
  g_assert_cmpstr (item->person_id, ==, fixture->persons[0]);
  g_assert_nonnull (item->case_id);

  /* Another line: nothing. */
  filter.line = "canteen";
  g_clear_pointer (&items, g_ptr_array_unref);
  items = teren_store_due_items (fixture->store, &today, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 0);
}

static void
test_line_cases (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  const TerenLineCase *row;
  GDate today;

  add_child_records (fixture);
  g_assert_true (teren_date_parse ("2026-03-11", &today));

  /* Open cases, newest first: c4 (D), c1 (A), c3 (C). */
  rows = teren_store_line_cases (fixture->store, "child", NULL, NULL, &today, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 3);
  row = g_ptr_array_index (rows, 0);
  g_assert_cmpstr (row->person_id, ==, fixture->persons[3]);
  g_assert_null (row->last_visit);
  g_assert_null (row->next_due);
  row = g_ptr_array_index (rows, 1);
  g_assert_cmpstr (row->person_id, ==, fixture->persons[0]);
  g_assert_cmpstr (row->status, ==, "open");
  g_assert_cmpstr (row->opened_on, ==, "2026-03-05");
  /* The last visit carried out; the planned one does not count. */
  g_assert_cmpstr (row->last_visit, ==, "2026-04-01");
  g_assert_nonnull (row->next_due);
  g_assert_cmpstr (row->next_due->rule, ==, "child.court_hearing");
  g_assert_cmpstr (row->next_due->due, ==, "2026-03-13");
  row = g_ptr_array_index (rows, 2);
  g_assert_cmpstr (row->person_id, ==, fixture->persons[2]);
  g_assert_cmpstr (row->last_visit, ==, "2026-02-28");

  /* By status and by worker. */
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = teren_store_line_cases (fixture->store, "child", "closed", NULL, &today, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = teren_store_line_cases (fixture->store, "child", NULL, "nobody", &today, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 0);

  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = teren_store_line_cases (fixture->store, "orphanage", NULL, NULL, &today, &error);
  g_assert_null (rows);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
}

/* The case list reads the line's cases through record_by_line and each case's last visit
 * from record_last_visit alone (migration 7). A plan that lost the index would still give
 * the right rows, once per case over every visit: minutes on a directorate's store. */
static void
test_line_cases_plan (Fixture       *fixture,
                      gconstpointer  data)
{
  sqlite3 *db = test_db_open (fixture->dir, TRUE);
  g_autoptr(GString) plan = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  g_autofree char *sql = g_strconcat ("EXPLAIN QUERY PLAN ", teren_store_line_cases_sql, NULL);

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, "child", -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (plan, "%s\n", (const char *) sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  g_test_message ("%s", plan->str);
  g_assert_nonnull (strstr (plan->str, "SEARCH c USING INDEX record_by_line (kind=? AND line=? AND deleted=?)"));
  g_assert_nonnull (strstr (plan->str, "SEARCH v USING INDEX record_last_visit (<expr>=?)"));
}

static void
test_day_register (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *attendance = NULL;
  const TerenRegisterRow *row;
  char *ids[9] = { NULL };
  guint i;

  ids[0] = add (fixture, "creche.enrolment", "creche",
                "{\"person\":\"%B\",\"birth_date\":\"2024-05-01\",\"unit\":\"Creșa 1\",\"programme\":\"normal\","
                "\"start_on\":\"2026-03-15\"}", ids);
  ids[1] = add (fixture, "creche.enrolment", "creche",
                "{\"person\":\"%A\",\"birth_date\":\"2024-05-01\",\"unit\":\"Creșa 1\",\"programme\":\"normal\","
                "\"start_on\":\"2025-09-01\"}", ids);
  ids[2] = add (fixture, "creche.enrolment", "creche",
                "{\"person\":\"%C\",\"birth_date\":\"2024-05-01\",\"unit\":\"Creșa 2\",\"programme\":\"normal\","
                "\"start_on\":\"2025-09-01\"}", ids);
  g_free (add (fixture, "creche.enrolment", "creche",
               "{\"person\":\"%D\",\"birth_date\":\"2024-05-01\",\"unit\":\"Creșa 1\",\"programme\":\"normal\","
               "\"start_on\":\"2025-09-01\",\"end_on\":\"2026-02-28\"}", ids));
  attendance = add (fixture, "creche.attendance", "creche",
                    "{\"enrolment\":\"%2\",\"date\":\"2026-03-16\",\"status\":\"present\"}", ids);
  g_free (add (fixture, "creche.attendance", "creche",
               "{\"enrolment\":\"%1\",\"date\":\"2026-03-17\",\"status\":\"present\"}", ids));

  /* Unit 1 on 16 March: Ana (ticked) and Bogdan, by name. */
  rows = teren_store_day_register (fixture->store, "creche", "2026-03-16", "Creșa 1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  row = g_ptr_array_index (rows, 0);
  g_assert_cmpstr (row->parent_id, ==, ids[1]);
  g_assert_cmpstr (row->person_id, ==, fixture->persons[0]);
  g_assert_cmpstr (row->entry_id, ==, attendance);
  row = g_ptr_array_index (rows, 1);
  g_assert_cmpstr (row->parent_id, ==, ids[0]);
  g_assert_null (row->entry_id);
  g_assert_false (row->suspended);
  g_clear_pointer (&rows, g_ptr_array_unref);

  rows = teren_store_day_register (fixture->store, "creche", "2026-03-16", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 3);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = teren_store_day_register (fixture->store, "creche", "2026-03-14", "Creșa 1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Canteen: the entitlement is suspended the day after the renewal day. */
  g_free (add (fixture, "canteen.beneficiary", "canteen",
               "{\"person\":\"%A\",\"category\":\"d\",\"requested_on\":\"2025-12-10\",\"household_size\":1,"
               "\"meals\":[\"lunch\"],\"start_on\":\"2026-01-01\"}", ids));
  g_free (add (fixture, "canteen.beneficiary", "canteen",
               "{\"person\":\"%B\",\"category\":\"d\",\"requested_on\":\"2026-02-10\",\"household_size\":1,"
               "\"meals\":[\"lunch\"],\"start_on\":\"2026-03-01\"}", ids));
  rows = teren_store_day_register (fixture->store, "canteen", "2026-04-01", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_false (((TerenRegisterRow *) g_ptr_array_index (rows, 0))->suspended);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = teren_store_day_register (fixture->store, "canteen", "2026-04-02", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (((TerenRegisterRow *) g_ptr_array_index (rows, 0))->suspended);
  g_assert_false (((TerenRegisterRow *) g_ptr_array_index (rows, 1))->suspended);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Bad input. */
  rows = teren_store_day_register (fixture->store, "child", "2026-03-16", NULL, &error);
  g_assert_null (rows);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
  g_clear_error (&error);
  rows = teren_store_day_register (fixture->store, "creche", "2026-02-30", NULL, &error);
  g_assert_null (rows);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
  g_clear_error (&error);
  rows = teren_store_day_register (fixture->store, "creche", "16.03.2026", NULL, &error);
  g_assert_null (rows);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);

  for (i = 0; i < G_N_ELEMENTS (ids); i++)
    g_free (ids[i]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/teren/report/child", test_child);
  ADD ("/teren/report/other-lines", test_canteen_homeless_elderly_creche_adult);
  ADD ("/teren/report/formats", test_formats);
  ADD ("/teren/report/generated-dataset", test_generated_dataset);
  ADD ("/teren/report/bad-input", test_bad_input);
  ADD ("/teren/report/due-from-store", test_due_from_store);
  ADD ("/teren/report/line-cases", test_line_cases);
  ADD ("/teren/report/line-cases-plan", test_line_cases_plan);
  ADD ("/teren/report/day-register", test_day_register);

  return g_test_run ();
}
