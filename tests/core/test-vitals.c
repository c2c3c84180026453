/* test-vitals.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "teren-schema.h"
#include "teren-vitals.h"

/* The bad inputs of the health lines (issue 6): each gets a clear message on the right
 * field, from the schema (per field) or from teren_health_check_cross_fields (across
 * fields), and a good record passes. */

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);
  JsonObject *object;

  g_assert_no_error (error);
  object = json_object_ref (json_node_get_object (node));
  json_node_unref (node);
  return object;
}

/* Both layers, as teren_schema_validate() will run them once wired. */
static GPtrArray *
validate (const char         *kind_name,
          const char         *json,
          TerenValidateFlags  flags)
{
  const TerenKindDef *kind = teren_schema_lookup_kind (kind_name);
  g_autoptr(JsonObject) fields = parse_object (json);
  GPtrArray *errors = NULL;
  GDate today;

  g_assert_nonnull (kind);
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 15, G_DATE_NOVEMBER, 2026);
  teren_schema_validate (kind, kind->line, fields, flags, &today, &errors);
  teren_health_check_cross_fields (kind, fields, flags, &today, errors);
  return errors;
}

static const TerenFieldError *
find_error (GPtrArray  *errors,
            const char *field,
            const char *code)
{
  guint i;

  for (i = 0; i < errors->len; i++)
    {
      const TerenFieldError *error = g_ptr_array_index (errors, i);

      if (strcmp (error->field, field) == 0 && strcmp (error->code, code) == 0)
        {
          g_assert_nonnull (error->message);
          g_assert_cmpuint (strlen (error->message), >, 10);
          return error;
        }
    }

  return NULL;
}

static void
dump (GPtrArray *errors)
{
  guint i;

  for (i = 0; i < errors->len; i++)
    {
      const TerenFieldError *error = g_ptr_array_index (errors, i);

      g_test_message ("%s: %s (%s)", error->field, error->code, error->message);
    }
}

#define PERSON "\"person\":\"a0000000-0000-4000-8000-000000000001\""

static void
test_vital_signs (void)
{
  g_autoptr(GPtrArray) ok = NULL;
  g_autoptr(GPtrArray) bp = NULL;
  g_autoptr(GPtrArray) weight = NULL;
  g_autoptr(GPtrArray) order = NULL;
  g_autoptr(GPtrArray) empty = NULL;
  g_autoptr(GPtrArray) screening = NULL;

  ok = validate ("community_health.vital_signs",
                 "{" PERSON ",\"date\":\"2026-11-10\",\"reading_time\":\"09:30\",\"systolic\":135,"
                 "\"diastolic\":85,\"glucose\":110,\"weight\":71.5,\"height\":168,\"pulse\":72,"
                 "\"saturation\":97,\"temperature\":36.6}", TEREN_VALIDATE_COMPLETE);
  dump (ok);
  g_assert_cmpuint (ok->len, ==, 0);

  /* Blood pressure 400/20. */
  bp = validate ("community_health.vital_signs",
                 "{" PERSON ",\"date\":\"2026-11-10\",\"systolic\":400,\"diastolic\":20}",
                 TEREN_VALIDATE_COMPLETE);
  dump (bp);
  g_assert_nonnull (find_error (bp, "systolic", "out_of_range"));
  g_assert_nonnull (find_error (bp, "diastolic", "out_of_range"));
  g_assert_cmpuint (bp->len, ==, 2);   /* no second message on the same fields */

  /* Weight 0. */
  weight = validate ("community_health.vital_signs",
                     "{" PERSON ",\"date\":\"2026-11-10\",\"weight\":0}", TEREN_VALIDATE_COMPLETE);
  g_assert_nonnull (find_error (weight, "weight", "out_of_range"));
  g_assert_cmpuint (weight->len, ==, 1);

  /* Systolic not above diastolic. */
  order = validate ("community_health.vital_signs",
                    "{" PERSON ",\"date\":\"2026-11-10\",\"systolic\":80,\"diastolic\":90}",
                    TEREN_VALIDATE_COMPLETE);
  g_assert_nonnull (find_error (order, "diastolic", "out_of_range"));

  /* No measurement at all. */
  empty = validate ("community_health.vital_signs", "{" PERSON ",\"date\":\"2026-11-10\"}",
                    TEREN_VALIDATE_COMPLETE);
  g_assert_nonnull (find_error (empty, "systolic", "required"));

  /* The same rules on the school screening exam. */
  screening = validate ("school_health.screening",
                        "{" PERSON ",\"date\":\"2026-11-10\",\"fitness\":\"fit\",\"weight\":0,"
                        "\"systolic\":400,\"diastolic\":20,\"height\":140}", TEREN_VALIDATE_COMPLETE);
  g_assert_nonnull (find_error (screening, "weight", "out_of_range"));
  g_assert_nonnull (find_error (screening, "systolic", "out_of_range"));

  g_assert_cmpfloat (teren_vitals_lookup_range ("saturation")->max, ==, 100);
  g_assert_null (teren_vitals_lookup_range ("colour"));
}

static TerenIcd10Lookup
fake_icd10_list (const char *code,
                 gpointer    user_data)
{
  const char * const *known = user_data;
  guint i;

  for (i = 0; known[i] != NULL; i++)
    if (strcmp (known[i], code) == 0)
      return TEREN_ICD10_KNOWN;
  return TEREN_ICD10_UNKNOWN;
}

static void
test_icd10 (void)
{
  static const char * const good[] = { "E11", "E11.9", "U07.1", "J45.90", "S72.0", "C4A.0", NULL };
  static const char * const bad[] = { "", "E1", "e11.9", "11.9", "E11.", "E119", "E11-9", "EE1.1",
                                      "E11.12345", "E11.9 ", NULL };
  static const char * const known[] = { "E11.9", "J45", NULL };
  g_autoptr(GPtrArray) malformed = NULL;
  g_autoptr(GPtrArray) unknown = NULL;
  g_autoptr(GPtrArray) fine = NULL;
  g_autoptr(GPtrArray) list = NULL;
  guint i;

  for (i = 0; good[i] != NULL; i++)
    g_assert_true (teren_icd10_is_well_formed (good[i]));
  for (i = 0; bad[i] != NULL; i++)
    g_assert_false (teren_icd10_is_well_formed (bad[i]));

  malformed = validate ("school_health.consultation",
                        "{" PERSON ",\"date\":\"2026-11-10\",\"diagnosis\":\"E1l.9\"}", TEREN_VALIDATE_COMPLETE);
  g_assert_nonnull (find_error (malformed, "diagnosis", "bad_icd10"));
  g_assert_cmpuint (malformed->len, ==, 1);

  list = validate ("disability.socio_medical_assessment",
                   "{" PERSON ",\"date\":\"2026-11-10\",\"diagnoses\":\"I10, E11.9,, xx\"}",
                   TEREN_VALIDATE_COMPLETE);
  g_assert_nonnull (find_error (list, "diagnoses", "bad_icd10"));

  /* Once the admin has imported the ICD-10 list, a code must be in it. */
  teren_health_set_icd10_lookup (fake_icd10_list, (gpointer) known);
  unknown = validate ("community_health.disease",
                      "{" PERSON ",\"catagrafie\":\"c0000000-0000-4000-8000-000000000001\","
                      "\"type\":\"VSG_01\",\"diagnosis\":\"E11.8\"}", TEREN_VALIDATE_COMPLETE);
  g_assert_nonnull (find_error (unknown, "diagnosis", "unknown_icd10"));
  fine = validate ("community_health.disease",
                   "{" PERSON ",\"catagrafie\":\"c0000000-0000-4000-8000-000000000001\","
                   "\"type\":\"VSG_01\",\"diagnosis\":\"E11.9\"}", TEREN_VALIDATE_COMPLETE);
  dump (fine);
  g_assert_cmpuint (fine->len, ==, 0);
  teren_health_set_icd10_lookup (NULL, NULL);
}

#define ASSISTANT "\"assistant\":\"d0000000-0000-4000-8000-000000000001\""

static void
test_timesheet (void)
{
  g_autoptr(GPtrArray) ok = NULL;
  g_autoptr(GPtrArray) nine = NULL;
  g_autoptr(GPtrArray) week = NULL;
  g_autoptr(GPtrArray) february = NULL;
  g_autoptr(GPtrArray) month = NULL;
  g_autoptr(GString) full = g_string_new ("{" ASSISTANT ",\"month\":\"2026-03\"");
  guint day;

  ok = validate ("disability.timesheet",
                 "{" ASSISTANT ",\"month\":\"2026-11\",\"day_02\":8,\"day_03\":8,\"day_04\":8,"
                 "\"day_05\":8,\"day_06\":8,\"leave_days\":2}", TEREN_VALIDATE_COMPLETE);
  dump (ok);
  g_assert_cmpuint (ok->len, ==, 0);

  /* Nine hours in one day. */
  nine = validate ("disability.timesheet", "{" ASSISTANT ",\"month\":\"2026-11\",\"day_03\":9}",
                   TEREN_VALIDATE_COMPLETE);
  g_assert_nonnull (find_error (nine, "day_03", "out_of_range"));

  /* Eight hours every day of a 31-day month: 248 h > 40 × 31 / 7. */
  for (day = 1; day <= 31; day++)
    g_string_append_printf (full, ",\"day_%02u\":8", day);
  g_string_append (full, "}");
  week = validate ("disability.timesheet", full->str, TEREN_VALIDATE_COMPLETE);
  g_assert_nonnull (find_error (week, "", "too_many_hours"));

  february = validate ("disability.timesheet", "{" ASSISTANT ",\"month\":\"2026-02\",\"day_30\":4}",
                       TEREN_VALIDATE_COMPLETE);
  g_assert_nonnull (find_error (february, "day_30", "out_of_range"));

  month = validate ("disability.timesheet", "{" ASSISTANT ",\"month\":\"2026-13\"}", TEREN_VALIDATE_COMPLETE);
  g_assert_nonnull (find_error (month, "month", "bad_month"));
  g_assert_cmpuint (teren_month_days ("2028-02"), ==, 29);
  g_assert_cmpuint (teren_month_days ("2026-2"), ==, 0);
}

static void
test_disability (void)
{
  g_autoptr(GPtrArray) certificate = NULL;
  g_autoptr(GPtrArray) permanent = NULL;
  g_autoptr(GPtrArray) neither = NULL;
  g_autoptr(GPtrArray) good = NULL;
  g_autoptr(GPtrArray) training = NULL;
  g_autoptr(GPtrArray) ended = NULL;

  /* Valid-to before valid-from. */
  certificate = validate ("disability.certificate",
                          "{" PERSON ",\"degree\":\"severe\",\"number\":\"123/2026\","
                          "\"valid_from\":\"2026-05-01\",\"valid_to\":\"2026-04-30\"}", TEREN_VALIDATE_COMPLETE);
  g_assert_nonnull (find_error (certificate, "valid_to", "out_of_range"));
  g_assert_cmpuint (certificate->len, ==, 1);

  permanent = validate ("disability.certificate",
                        "{" PERSON ",\"degree\":\"severe\",\"number\":\"1\",\"valid_from\":\"2026-05-01\","
                        "\"valid_to\":\"2027-04-30\",\"permanent\":true}", TEREN_VALIDATE_COMPLETE);
  g_assert_nonnull (find_error (permanent, "valid_to", "not_applicable"));

  neither = validate ("disability.certificate",
                      "{" PERSON ",\"degree\":\"severe\",\"number\":\"1\",\"valid_from\":\"2026-05-01\"}",
                      TEREN_VALIDATE_COMPLETE);
  g_assert_nonnull (find_error (neither, "valid_to", "required"));

  good = validate ("disability.certificate",
                   "{" PERSON ",\"degree\":\"severe\",\"number\":\"1\",\"valid_from\":\"2026-05-01\","
                   "\"permanent\":true,\"type\":[\"physical\",\"visual\"]}", TEREN_VALIDATE_COMPLETE);
  dump (good);
  g_assert_cmpuint (good->len, ==, 0);

  /* AP training date in the future. */
  training = validate ("disability.personal_assistant",
                       "{" PERSON "," ASSISTANT ",\"contract_status\":\"active\","
                       "\"last_training_on\":\"2026-12-01\"}", TEREN_VALIDATE_COMPLETE);
  g_assert_nonnull (find_error (training, "last_training_on", "future_date"));

  ended = validate ("disability.personal_assistant",
                    "{\"person\":\"d0000000-0000-4000-8000-000000000001\"," ASSISTANT ","
                    "\"contract_status\":\"ended\",\"contract_start\":\"2026-02-01\","
                    "\"contract_end\":\"2026-01-31\"}", TEREN_VALIDATE_COMPLETE);
  g_assert_nonnull (find_error (ended, "end_reason", "required"));
  g_assert_nonnull (find_error (ended, "contract_end", "out_of_range"));
  g_assert_nonnull (find_error (ended, "assistant", "bad_reference"));
}

static void
test_community_rules (void)
{
  g_autoptr(GPtrArray) inactive = NULL;
  g_autoptr(GPtrArray) removed = NULL;
  g_autoptr(GPtrArray) patch = NULL;
  g_autoptr(GPtrArray) pregnant = NULL;
  g_autoptr(GPtrArray) activity = NULL;
  g_autoptr(GPtrArray) year = NULL;
  g_autoptr(GPtrArray) good_year = NULL;
  g_autoptr(GPtrArray) triage = NULL;

  inactive = validate ("community_health.beneficiary",
                       "{" PERSON ",\"type\":\"regular\",\"status\":\"inactive\",\"registered_on\":\"2026-01-05\"}",
                       TEREN_VALIDATE_COMPLETE);
  g_assert_nonnull (find_error (inactive, "inactivation_reason", "required"));
  removed = validate ("community_health.beneficiary",
                      "{" PERSON ",\"type\":\"regular\",\"status\":\"removed\",\"registered_on\":\"2026-01-05\","
                      "\"removal_reason\":\"died_at_home\"}", TEREN_VALIDATE_COMPLETE);
  dump (removed);
  g_assert_cmpuint (removed->len, ==, 0);
  /* A patch clearing the reason of a removed beneficiary is refused too. */
  patch = validate ("community_health.beneficiary", "{\"status\":\"removed\",\"removal_reason\":null}",
                    TEREN_VALIDATE_PATCH);
  g_assert_nonnull (find_error (patch, "removal_reason", "required"));

  pregnant = validate ("community_health.catagrafie",
                       "{" PERSON ",\"evaluation_date\":\"2026-11-10\",\"cat_rep\":\"VGR_99\","
                       "\"cat_preg\":[\"VGR_06\"],\"cat_vif\":[\"VFV_99\",\"VFV_03\"]}", TEREN_VALIDATE_COMPLETE);
  g_assert_nonnull (find_error (pregnant, "cat_preg", "not_applicable"));
  g_assert_nonnull (find_error (pregnant, "cat_vif", "exclusive_choice"));

  activity = validate ("community_health.community_activity",
                       "{\"type\":\"campaign\",\"name\":\"Vaccinare\",\"date\":\"2026-11-10\","
                       "\"participants\":10,\"roma_participants\":12}", TEREN_VALIDATE_COMPLETE);
  g_assert_nonnull (find_error (activity, "roma_participants", "out_of_range"));
  g_assert_nonnull (find_error (activity, "campaign", "required"));

  year = validate ("school_health.class",
                   "{\"school\":\"e0000000-0000-4000-8000-000000000001\",\"name\":\"V B\",\"school_year\":\"2026-2028\"}",
                   TEREN_VALIDATE_COMPLETE);
  g_assert_nonnull (find_error (year, "school_year", "bad_school_year"));
  good_year = validate ("school_health.class",
                        "{\"school\":\"e0000000-0000-4000-8000-000000000001\",\"name\":\"V B\","
                        "\"school_year\":\"2026-2027\",\"grade\":\"g5\"}", TEREN_VALIDATE_COMPLETE);
  g_assert_cmpuint (good_year->len, ==, 0);

  triage = validate ("school_health.triage",
                     "{" PERSON ",\"date\":\"2026-11-10\",\"findings\":[\"none\",\"fever\"]}",
                     TEREN_VALIDATE_COMPLETE);
  g_assert_nonnull (find_error (triage, "findings", "exclusive_choice"));
}

/* Kinds of other lines are not touched. */
static void
test_other_lines_ignored (void)
{
  const TerenKindDef *person = teren_schema_lookup_kind ("person");
  g_autoptr(JsonObject) fields = parse_object ("{\"diagnosis\":\"not a code\",\"systolic\":400}");
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func ((GDestroyNotify) teren_field_error_free);

  teren_health_check_cross_fields (person, fields, TEREN_VALIDATE_COMPLETE, NULL, errors);
  g_assert_cmpuint (errors->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/teren/health/vitals/vital-signs", test_vital_signs);
  g_test_add_func ("/teren/health/vitals/icd10", test_icd10);
  g_test_add_func ("/teren/health/vitals/timesheet", test_timesheet);
  g_test_add_func ("/teren/health/vitals/disability", test_disability);
  g_test_add_func ("/teren/health/vitals/community-rules", test_community_rules);
  g_test_add_func ("/teren/health/vitals/other-lines", test_other_lines_ignored);

  return g_test_run ();
}
