/* test-amc-indicators.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "teren-indicators.h"
#include "teren-record.h"

/* The G, P and C indicators of the community-health report on a hand-built dataset whose
 * answers are known, November 2026. */

enum { AGE_01, AGE_02, AGE_03, AGE_04, AGE_05, AGE_06, AGE_UNKNOWN };
enum { SEX_F, SEX_M, SEX_X, SEX_UNKNOWN };

static guint serial = 0;

static void
add (GPtrArray  *records,
     const char *kind,
     const char *id,
     const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *made_id = NULL;
  JsonNode *node = json_from_string (json, &error);
  TerenRecord *record;

  g_assert_no_error (error);
  if (id == NULL)
    id = made_id = g_strdup_printf ("f0000000-0000-4000-8000-%012u", ++serial);
  record = teren_record_new_full (id, kind, strcmp (kind, "person") == 0 ? "" : "community_health", 1,
                                  json_node_get_object (node), FALSE, "2026-01-01T00:00:00Z",
                                  "2026-01-01T00:00:00Z", "nurse", "nurse");
  json_node_unref (node);
  g_ptr_array_add (records, record);
}

#define P(n) "a0000000-0000-4000-8000-00000000000" #n

static void
add_person (GPtrArray  *records,
            const char *id,
            const char *sex,
            const char *birth)
{
  g_autofree char *json = NULL;

  if (birth != NULL)
    json = g_strdup_printf ("{\"last_name\":\"Test\",\"first_name\":\"T\",\"cnp_status\":\"missing\","
                            "\"sex\":\"%s\",\"birth_date\":\"%s\"}", sex, birth);
  else
    json = g_strdup_printf ("{\"last_name\":\"Test\",\"first_name\":\"T\",\"cnp_status\":\"missing\","
                            "\"sex\":\"%s\"}", sex);
  add (records, "person", id, json);
}

static void
add_beneficiary (GPtrArray  *records,
                 const char *person,
                 const char *status,
                 const char *registered,
                 const char *extra)
{
  g_autofree char *json = g_strdup_printf ("{\"person\":\"%s\",\"type\":\"regular\",\"status\":\"%s\","
                                           "\"registered_on\":\"%s\"%s}",
                                           person, status, registered, extra != NULL ? extra : "");

  add (records, "community_health.beneficiary", NULL, json);
}

static void
add_catagrafie (GPtrArray  *records,
                const char *id,
                const char *person,
                const char *date,
                const char *answers)
{
  g_autofree char *json = g_strdup_printf ("{\"person\":\"%s\",\"evaluation_date\":\"%s\"%s%s}",
                                           person, date, answers[0] != '\0' ? "," : "", answers);

  add (records, "community_health.catagrafie", id, json);
}

static void
add_service (GPtrArray  *records,
             const char *person,
             const char *date,
             const char *service,
             const char *status)
{
  g_autofree char *json = g_strdup_printf ("{\"person\":\"%s\",\"date\":\"%s\",\"service\":\"%s\","
                                           "\"status\":\"%s\"}", person, date, service, status);

  add (records, "community_health.intervention", NULL, json);
}

static GPtrArray *
dataset (void)
{
  GPtrArray *records = g_ptr_array_new_with_free_func (g_object_unref);
  TerenRecord *deleted;

  /* 1. Pregnant adult woman, poor, not with a family doctor, chronic hypertension. */
  add_person (records, P(1), "F", "1990-05-10");
  add_beneficiary (records, P(1), "active", "2026-01-10", NULL);
  add_catagrafie (records, "c0000000-0000-4000-8000-000000000001", P(1), "2026-10-01",
                  "\"cat_rep\":\"VGR_04\",\"cat_preg\":[\"VGR_96\"],\"cat_mf\":\"VSA_02\",\"cat_pov\":\"VGS_01\","
                  "\"has_health_issues\":true");
  add (records, "community_health.disease", NULL,
       "{\"catagrafie\":\"c0000000-0000-4000-8000-000000000001\",\"person\":\"" P(1) "\","
       "\"type\":\"VSG_01\",\"category\":\"VSG_HTA\"}");
  add_service (records, P(1), "2026-11-12", "SES_13", "done");
  add_service (records, P(1), "2026-11-12", "STI_08", "done");

  /* 2. Elderly man without family, living alone, disabled with a certificate, uses
   *    psychotropic substances; an older catagrafie said palliative care. */
  add_person (records, P(2), "M", "1950-01-01");
  add_beneficiary (records, P(2), "active", "2025-05-01", NULL);
  add_catagrafie (records, "c0000000-0000-4000-8000-000000000002", P(2), "2025-06-01",
                  "\"cat_ns\":[\"VNS_04\"]");
  add_catagrafie (records, "c0000000-0000-4000-8000-000000000003", P(2), "2026-11-20",
                  "\"cat_fam\":[\"VFA_01\",\"VFA_02\"],\"cat_cr\":[\"VCR_07\"],\"has_disabilities\":true");
  add (records, "community_health.disability", NULL,
       "{\"catagrafie\":\"c0000000-0000-4000-8000-000000000003\",\"person\":\"" P(2) "\","
       "\"type\":\"VDT_01\",\"degree\":\"VDG_04\",\"has_certificate\":true}");
  add_service (records, P(2), "2026-11-03", "STI_01", "done");
  add_service (records, P(2), "2026-11-04", "STI_01", "planned");
  add_service (records, P(2), "2026-10-31", "STI_01", "done");

  /* 3. Newborn girl (41 days old on 30 November), premature, vaccinated, single parent. */
  add_person (records, P(3), "F", "2026-10-20");
  add_beneficiary (records, P(3), "catagrafied", "2026-11-02", NULL);
  add_catagrafie (records, NULL, P(3), "2026-11-02",
                  "\"cat_ssa\":[\"VSC_10\",\"VSC_97\"],\"cat_fam\":[\"VFC_10\"],\"has_health_issues\":false");

  /* 4. Girl of 7 without vulnerabilities, registered with a family doctor. */
  add_person (records, P(4), "F", "2019-03-03");
  add_beneficiary (records, P(4), "active", "2026-09-01", NULL);
  add_catagrafie (records, NULL, P(4), "2026-09-09",
                  "\"cat_ssa\":[\"VSC_99\"],\"cat_fam\":[\"VFCA_99\"],\"has_disabilities\":false,"
                  "\"has_health_issues\":false,\"cat_mf\":\"VSA_97\"");

  /* 5. Boy of 11 who died in hospital this month (no catagrafie). */
  add_person (records, P(5), "M", "2015-02-02");
  add_beneficiary (records, P(5), "removed", "2026-02-01",
                   ",\"status_changed_on\":\"2026-11-15\",\"removal_reason\":\"died_in_hospital\"");

  /* 6. Registered after the month: left out. */
  add_person (records, P(6), "M", "1980-01-01");
  add_beneficiary (records, P(6), "registered", "2026-12-01", NULL);
  add_catagrafie (records, NULL, P(6), "2026-11-01", "\"cat_mf\":\"VSA_02\"");

  /* 7. Adult of unknown birth date, other sex, with tuberculosis. */
  add_person (records, P(7), "X", NULL);
  add_beneficiary (records, P(7), "active", "2026-11-05", NULL);
  add_catagrafie (records, "c0000000-0000-4000-8000-000000000007", P(7), "2026-11-05",
                  "\"cat_age\":\"VCV_05\",\"cat_pov\":\"VGS_99\",\"has_health_issues\":true");
  add (records, "community_health.disease", NULL,
       "{\"catagrafie\":\"c0000000-0000-4000-8000-000000000007\",\"person\":\"" P(7) "\","
       "\"type\":\"VSG_01\",\"category\":\"VSG_TB\"}");

  /* 8. Removed before the month: left out. */
  add_person (records, P(8), "F", "1970-01-01");
  add_beneficiary (records, P(8), "removed", "2025-01-01",
                   ",\"status_changed_on\":\"2026-10-10\",\"removal_reason\":\"moved_abroad\"");
  add_catagrafie (records, NULL, P(8), "2026-01-01", "\"cat_mf\":\"VSA_02\"");

  /* 9. Adult man without vulnerabilities; a deleted duplicate beneficiary record. */
  add_person (records, P(9), "M", "1985-07-07");
  add_beneficiary (records, P(9), "active", "2026-03-01", NULL);
  add_beneficiary (records, P(9), "active", "2026-03-01", NULL);
  deleted = g_ptr_array_index (records, records->len - 1);
  teren_record_set_deleted (deleted, TRUE);
  add_catagrafie (records, NULL, P(9), "2026-11-03",
                  "\"cat_id\":\"VAI_99\",\"cat_pov\":\"VGS_99\",\"cat_mf\":\"VSA_97\","
                  "\"has_health_issues\":false,\"has_disabilities\":false");

  /* Community activities. */
  add (records, "community_health.community_activity", NULL,
       "{\"type\":\"campaign\",\"campaign\":\"screening\",\"name\":\"A\",\"date\":\"2026-11-02\"}");
  add (records, "community_health.community_activity", NULL,
       "{\"type\":\"campaign\",\"campaign\":\"screening\",\"name\":\"B\",\"date\":\"2026-11-30\"}");
  add (records, "community_health.community_activity", NULL,
       "{\"type\":\"campaign\",\"campaign\":\"screening\",\"name\":\"C\",\"date\":\"2026-12-01\"}");
  add (records, "community_health.community_activity", NULL,
       "{\"type\":\"campaign\",\"campaign\":\"epidem_triage\",\"name\":\"D\",\"date\":\"2026-11-16\"}");
  add (records, "community_health.community_activity", NULL,
       "{\"type\":\"administrative\",\"administrative\":\"meeting\",\"name\":\"E\",\"date\":\"2026-11-16\"}");

  return records;
}

static const TerenIndicator *
find (GPtrArray  *indicators,
      const char *code)
{
  guint i;

  for (i = 0; i < indicators->len; i++)
    {
      const TerenIndicator *indicator = g_ptr_array_index (indicators, i);

      if (strcmp (indicator->code, code) == 0)
        return indicator;
    }

  g_assert_not_reached ();
  return NULL;
}

static void
test_codes (void)
{
  const char * const *codes = teren_indicators_list_codes ();
  guint n = g_strv_length ((char **) codes);

  g_assert_cmpuint (n, ==, 28 + 12 + 31);
  g_assert_cmpstr (codes[0], ==, "G01");
  g_assert_cmpstr (codes[27], ==, "G28");
  g_assert_cmpstr (codes[28], ==, "P01");
  g_assert_cmpstr (codes[40], ==, "C01");
  g_assert_cmpstr (codes[n - 1], ==, "C31");
  g_assert_cmpstr (teren_indicators_get_label ("G03"), ==, "Elderly person (over 65 years)");
  g_assert_null (teren_indicators_get_label ("Z99"));
  g_assert_cmpstr (teren_indicators_age_segments ()[5], ==, "VCV_06");
  g_assert_cmpstr (teren_indicators_sex_segments ()[2], ==, "X");
}

static void
test_known_answers (void)
{
  static const struct {
    const char *code;
    guint       total;
  } expected[] = {
    { "G01", 0 }, { "G03", 1 }, { "G04", 1 }, { "G06", 1 }, { "G07", 1 }, { "G08", 1 }, { "G10", 0 },
    { "G11", 1 }, { "G12", 2 }, { "G13", 0 }, { "G14", 2 }, { "G15", 0 }, { "G16", 0 }, { "G17", 1 },
    { "G19", 1 }, { "G24", 1 }, { "G25", 2 }, { "G26", 0 }, { "G27", 0 },
    { "P01", 1 }, { "P02", 1 }, { "P03", 1 }, { "P07", 0 }, { "P08", 1 }, { "P09", 0 }, { "P10", 1 },
    { "P12", 1 },
    { "C01", 1 }, { "C02", 1 }, { "C03", 1 }, { "C05", 0 }, { "C17", 0 }, { "C18", 1 }, { "C20", 1 },
    { "C23", 1 }, { "C24", 0 }, { "C27", 1 }, { "C29", 0 }, { "C30", 1 }, { "C31", 1 },
  };
  g_autoptr(GPtrArray) records = dataset ();
  g_autoptr(GPtrArray) indicators = teren_indicators_compute (records, 2026, 11);
  guint i, total_sum = 0;

  g_assert_cmpuint (indicators->len, ==, 71);
  for (i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const TerenIndicator *indicator = find (indicators, expected[i].code);

      g_test_message ("%s", expected[i].code);
      g_assert_cmpuint (indicator->total, ==, expected[i].total);
      g_assert_cmpuint (teren_indicator_sum (indicator, -1, -1), ==, indicator->total);
    }
  for (i = 0; i < indicators->len; i++)
    total_sum += ((const TerenIndicator *) g_ptr_array_index (indicators, i))->total;
  /* The expected table lists every non-zero indicator. */
  g_assert_cmpuint (total_sum, ==, 30);

  /* Segments: age on the month's last day, or the catagrafie's answer; sex of the person. */
  g_assert_cmpuint (find (indicators, "G12")->counts[AGE_05][SEX_F], ==, 1);
  g_assert_cmpuint (find (indicators, "G12")->counts[AGE_05][SEX_X], ==, 1);
  g_assert_cmpuint (teren_indicator_sum (find (indicators, "G12"), AGE_05, -1), ==, 2);
  g_assert_cmpuint (teren_indicator_sum (find (indicators, "G12"), -1, SEX_M), ==, 0);
  g_assert_cmpuint (find (indicators, "G11")->counts[AGE_06][SEX_M], ==, 1);
  g_assert_cmpuint (find (indicators, "G24")->counts[AGE_05][SEX_M], ==, 1);
  g_assert_cmpuint (find (indicators, "C01")->counts[AGE_01][SEX_F], ==, 1);
  g_assert_cmpuint (find (indicators, "C27")->counts[AGE_03][SEX_F], ==, 1);
  g_assert_cmpuint (find (indicators, "C18")->counts[AGE_03][SEX_M], ==, 1);
  g_assert_cmpuint (find (indicators, "P12")->counts[AGE_05][SEX_F], ==, 1);
  g_assert_cmpuint (find (indicators, "G25")->counts[AGE_UNKNOWN][SEX_UNKNOWN], ==, 2);
}

/* The same data one month earlier: catagrafii of November do not count yet, the
 * newborn was not born, October's service counts. */
static void
test_previous_month (void)
{
  g_autoptr(GPtrArray) records = dataset ();
  g_autoptr(GPtrArray) indicators = teren_indicators_compute (records, 2026, 10);

  g_assert_cmpuint (find (indicators, "G26")->total, ==, 1);   /* the 2025 catagrafie */
  g_assert_cmpuint (find (indicators, "G03")->total, ==, 1);
  g_assert_cmpuint (find (indicators, "G06")->total, ==, 0);
  g_assert_cmpuint (find (indicators, "G11")->total, ==, 1);   /* 31 October */
  g_assert_cmpuint (find (indicators, "C01")->total, ==, 0);
  g_assert_cmpuint (find (indicators, "C18")->total, ==, 0);
  g_assert_cmpuint (find (indicators, "G25")->total, ==, 0);
  /* P8 was removed on 10 October: still counted in October. */
  g_assert_cmpuint (find (indicators, "G04")->total, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/teren/health/indicators/codes", test_codes);
  g_test_add_func ("/teren/health/indicators/known-answers", test_known_answers);
  g_test_add_func ("/teren/health/indicators/previous-month", test_previous_month);

  return g_test_run ();
}
