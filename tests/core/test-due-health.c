/* test-due-health.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "teren-due.h"

/* Due items of the health lines at their boundaries: certificate expiry 60/30 days,
 * training every 2 years, the 48-hour notification, contract within 30 days,
 * timesheets, the semi-annual report, school vaccinations, catagrafie renewal. */

static guint serial = 0;

static TerenRecord *
add (GPtrArray  *records,
     const char *kind,
     const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup_printf ("e0000000-0000-4000-8000-%012u", ++serial);
  JsonNode *node = json_from_string (json, &error);
  const char *dot = strchr (kind, '.');
  g_autofree char *line = dot != NULL ? g_strndup (kind, dot - kind) : g_strdup ("");
  TerenRecord *record;

  g_assert_no_error (error);
  record = teren_record_new_full (id, kind, line, 1, json_node_get_object (node), FALSE,
                                  "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", "worker", "worker");
  json_node_unref (node);
  g_ptr_array_add (records, record);
  return record;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static GPtrArray *
compute (GPtrArray *records,
         int        year,
         int        month,
         int        day)
{
  TerenDueFilter filter = { NULL, NULL, TEREN_DUE_LATER };
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  return teren_due_compute (records, &today, &filter);
}

/* The items of @rule for @record_id (or any record when NULL), their due dates joined. */
static char *
dues (GPtrArray  *items,
      const char *rule,
      TerenRecord *record)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();
  guint i;

  for (i = 0; i < items->len; i++)
    {
      TerenDueItem *item = g_ptr_array_index (items, i);

      if (strcmp (item->rule, rule) == 0 &&
          (record == NULL || g_strcmp0 (item->record_id, teren_record_get_id (record)) == 0))
        g_ptr_array_add (found, item->due);
    }
  g_ptr_array_sort (found, compare_strings);
  g_ptr_array_add (found, NULL);
  return g_strjoinv (",", (char **) found->pdata);
}

static TerenDueBucket
bucket (GPtrArray  *items,
        const char *rule)
{
  guint i;

  for (i = 0; i < items->len; i++)
    {
      TerenDueItem *item = g_ptr_array_index (items, i);

      if (strcmp (item->rule, rule) == 0)
        return item->bucket;
    }

  g_assert_not_reached ();
  return TEREN_DUE_LATER;
}

#define PERSON "\"person\":\"a0000000-0000-4000-8000-000000000001\""

static void
test_certificate (void)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) items = NULL;
  TerenRecord *certificate, *permanent;
  g_autofree char *d60 = NULL, *d30 = NULL, *review = NULL, *none = NULL;

  serial = 0;

  certificate = add (records, "disability.certificate",
                     "{" PERSON ",\"degree\":\"severe\",\"number\":\"1\",\"valid_from\":\"2025-06-01\","
                     "\"valid_to\":\"2026-12-31\",\"review_date\":\"2026-12-01\"}");
  permanent = add (records, "disability.certificate",
                   "{\"person\":\"a0000000-0000-4000-8000-000000000002\",\"degree\":\"severe\",\"number\":\"2\","
                   "\"valid_from\":\"2025-06-01\",\"permanent\":true}");

  items = compute (records, 2026, 11, 1);
  d60 = dues (items, "disability.certificate_expiry_60", certificate);
  d30 = dues (items, "disability.certificate_expiry_30", certificate);
  review = dues (items, "disability.certificate_review", certificate);
  g_assert_cmpstr (d60, ==, "2026-11-01");   /* 60 days before 31 December */
  g_assert_cmpstr (d30, ==, "2026-12-01");
  g_assert_cmpstr (review, ==, "2026-12-01");
  g_assert_cmpint (bucket (items, "disability.certificate_expiry_60"), ==, TEREN_DUE_THIS_WEEK);
  none = dues (items, "disability.certificate_expiry_60", permanent);
  g_assert_cmpstr (none, ==, "");

  /* The day after the 60-day mark it is overdue; the 30-day one is still later. */
  g_clear_pointer (&items, g_ptr_array_unref);
  items = compute (records, 2026, 11, 2);
  g_assert_cmpint (bucket (items, "disability.certificate_expiry_60"), ==, TEREN_DUE_OVERDUE);
  g_assert_cmpint (bucket (items, "disability.certificate_expiry_30"), ==, TEREN_DUE_LATER);

  /* A new certificate replaces the old one: no more alerts for the old one. */
  add (records, "disability.certificate",
       "{" PERSON ",\"degree\":\"severe\",\"number\":\"3\",\"valid_from\":\"2026-12-01\",\"valid_to\":\"2028-11-30\"}");
  g_clear_pointer (&items, g_ptr_array_unref);
  items = compute (records, 2026, 11, 2);
  g_free (d60);
  d60 = dues (items, "disability.certificate_expiry_60", certificate);
  g_assert_cmpstr (d60, ==, "");
  g_free (d60);
  d60 = dues (items, "disability.certificate_expiry_60", NULL);
  g_assert_cmpstr (d60, ==, "2028-10-01");
}

static void
test_assistant (void)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) items = NULL;
  TerenRecord *trained, *requested, *ended;
  g_autofree char *training = NULL, *contract = NULL, *ending = NULL, *sheet = NULL, *none = NULL;

  serial = 0;

  trained = add (records, "disability.personal_assistant",
                 "{" PERSON ",\"assistant\":\"b0000000-0000-4000-8000-000000000001\",\"contract_status\":\"active\","
                 "\"contract_date\":\"2024-01-10\",\"contract_start\":\"2024-01-15\",\"last_training_on\":\"2024-11-20\"}");
  requested = add (records, "disability.personal_assistant",
                   "{" PERSON ",\"assistant\":\"b0000000-0000-4000-8000-000000000002\","
                   "\"contract_status\":\"requested\",\"request_date\":\"2026-10-20\"}");
  ended = add (records, "disability.personal_assistant",
               "{" PERSON ",\"assistant\":\"b0000000-0000-4000-8000-000000000003\",\"contract_status\":\"ended\","
               "\"contract_start\":\"2020-01-01\",\"contract_end\":\"2026-10-31\",\"end_reason\":\"death\","
               "\"last_training_on\":\"2020-02-01\"}");
  /* October's timesheet of the trained assistant exists; November's is due by 5 December. */
  add (records, "disability.timesheet", "{\"assistant\":\"e0000000-0000-4000-8000-000000000001\",\"month\":\"2026-10\"}");

  items = compute (records, 2026, 11, 20);
  training = dues (items, "disability.assistant_training", trained);
  g_assert_cmpstr (training, ==, "2026-11-20");   /* exactly 2 years */
  g_assert_cmpint (bucket (items, "disability.assistant_training"), ==, TEREN_DUE_THIS_WEEK);
  contract = dues (items, "disability.assistant_contract", requested);
  g_assert_cmpstr (contract, ==, "2026-11-19");   /* 30 days after the request */
  g_assert_cmpint (bucket (items, "disability.assistant_contract"), ==, TEREN_DUE_OVERDUE);
  ending = dues (items, "disability.assistant_contract_end", ended);
  g_assert_cmpstr (ending, ==, "2026-10-31");
  none = dues (items, "disability.assistant_training", ended);
  g_assert_cmpstr (none, ==, "");
  sheet = dues (items, "disability.timesheet", trained);
  g_assert_cmpstr (sheet, ==, "");

  g_clear_pointer (&items, g_ptr_array_unref);
  items = compute (records, 2026, 12, 1);
  g_free (sheet);
  sheet = dues (items, "disability.timesheet", trained);
  g_assert_cmpstr (sheet, ==, "2026-12-05");
}

static void
test_notifications (void)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) items = NULL;
  TerenRecord *pending, *sent, *option, *disease;
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL, *report = NULL;

  serial = 0;

  pending = add (records, "disability.change_notification",
                 "{" PERSON ",\"event\":\"hospitalisation\",\"known_on\":\"2026-11-16\"}");
  sent = add (records, "disability.change_notification",
              "{" PERSON ",\"event\":\"death\",\"known_on\":\"2026-11-16\",\"sent_on\":\"2026-11-17\"}");
  option = add (records, "disability.ap_option",
                "{" PERSON ",\"choice\":\"personal_assistant\",\"requested_on\":\"2026-11-01\","
                "\"dgaspc_date\":\"2026-11-10\"}");
  disease = add (records, "school_health.disease_notification",
                 "{" PERSON ",\"detected_on\":\"2026-11-17\",\"disease\":\"Rujeolă\"}");

  items = compute (records, 2026, 11, 18);
  a = dues (items, "disability.change_notification", pending);
  g_assert_cmpstr (a, ==, "2026-11-18");   /* 48 hours */
  g_assert_cmpint (bucket (items, "disability.change_notification"), ==, TEREN_DUE_THIS_WEEK);
  b = dues (items, "disability.change_notification", sent);
  g_assert_cmpstr (b, ==, "");
  c = dues (items, "disability.dgaspc_agreement", option);
  g_assert_cmpstr (c, ==, "2026-11-15");
  /* No personal assistant in the data: no semi-annual report item. */
  report = dues (items, "disability.semiannual_report", NULL);
  g_assert_cmpstr (report, ==, "");
  g_clear_pointer (&report, g_free);
  add (records, "disability.personal_assistant",
       "{" PERSON ",\"assistant\":\"b0000000-0000-4000-8000-000000000001\",\"contract_status\":\"active\","
       "\"contract_start\":\"2026-11-01\",\"last_training_on\":\"2026-10-01\",\"contract_date\":\"2026-10-25\"}");
  g_clear_pointer (&items, g_ptr_array_unref);
  items = compute (records, 2026, 11, 18);
  d = dues (items, "school_health.disease_notification", disease);
  g_assert_cmpstr (d, ==, "2026-11-17");   /* immediately: overdue the next day */
  g_assert_cmpint (bucket (items, "school_health.disease_notification"), ==, TEREN_DUE_OVERDUE);

  g_clear_pointer (&items, g_ptr_array_unref);
  items = compute (records, 2026, 11, 19);
  g_assert_cmpint (bucket (items, "disability.change_notification"), ==, TEREN_DUE_OVERDUE);

  /* The semi-annual report of the first half-year, by 15 July, until recorded. */
  report = dues (items, "disability.semiannual_report", NULL);
  g_assert_cmpstr (report, ==, "2026-07-15");
  add (records, "disability.semiannual_report", "{\"year\":2026,\"semester\":\"1\",\"sent_on\":\"2026-07-10\"}");
  g_clear_pointer (&items, g_ptr_array_unref);
  items = compute (records, 2026, 11, 19);
  g_free (report);
  report = dues (items, "disability.semiannual_report", NULL);
  g_assert_cmpstr (report, ==, "");
  g_clear_pointer (&items, g_ptr_array_unref);
  items = compute (records, 2027, 1, 3);
  g_free (report);
  report = dues (items, "disability.semiannual_report", NULL);
  g_assert_cmpstr (report, ==, "2027-01-15");
}

static void
test_school_and_community (void)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) items = NULL;
  TerenRecord *pupil, *screening, *old, *latest;
  g_autofree char *vaccines = NULL, *follow = NULL, *renewal_old = NULL, *renewal = NULL;

  serial = 0;

  add (records, "person", "{\"last_name\":\"Ionescu\",\"first_name\":\"Ioana\",\"sex\":\"F\","
                          "\"cnp_status\":\"missing\",\"birth_date\":\"2020-09-01\"}");
  pupil = add (records, "school_health.pupil_record", "{\"person\":\"e0000000-0000-4000-8000-000000000001\"}");
  add (records, "school_health.vaccination",
       "{\"person\":\"e0000000-0000-4000-8000-000000000001\",\"date\":\"2025-09-10\",\"vaccine\":\"mmr\",\"dose\":2}");
  screening = add (records, "school_health.screening",
                   "{" PERSON ",\"date\":\"2026-10-01\",\"fitness\":\"fit_with_advice\",\"follow_up\":true,"
                   "\"follow_up_due\":\"2026-12-01\"}");
  add (records, "school_health.screening",
       "{" PERSON ",\"date\":\"2026-10-01\",\"fitness\":\"fit\",\"follow_up\":true,"
       "\"follow_up_due\":\"2026-12-01\",\"follow_up_done_on\":\"2026-11-02\"}");
  old = add (records, "community_health.catagrafie", "{" PERSON ",\"evaluation_date\":\"2025-03-01\"}");
  latest = add (records, "community_health.catagrafie", "{" PERSON ",\"evaluation_date\":\"2026-02-01\"}");

  items = compute (records, 2026, 11, 20);
  /* MMR 2 given; DTPa-IPV at 6, dTpa at 14 still to come. */
  vaccines = dues (items, "school_health.vaccination", pupil);
  g_assert_cmpstr (vaccines, ==, "2026-09-01,2034-09-01");
  follow = dues (items, "school_health.screening_follow_up", NULL);
  g_assert_cmpstr (follow, ==, "2026-12-01");
  g_assert_nonnull (screening);
  renewal_old = dues (items, "community_health.catagrafie_renewal", old);
  g_assert_cmpstr (renewal_old, ==, "");
  renewal = dues (items, "community_health.catagrafie_renewal", latest);
  g_assert_cmpstr (renewal, ==, "2027-02-01");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/teren/health/due/certificate", test_certificate);
  g_test_add_func ("/teren/health/due/assistant", test_assistant);
  g_test_add_func ("/teren/health/due/notifications", test_notifications);
  g_test_add_func ("/teren/health/due/school-and-community", test_school_and_community);

  return g_test_run ();
}
