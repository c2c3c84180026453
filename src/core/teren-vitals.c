/* teren-vitals.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "teren-catagrafie.h"
#include "teren-date.h"
#include "teren-vitals.h"

/* The same bounds as the schema's min/max of the vital-sign fields (community health
 * vital signs, school screening), kept here for the hints and for data that does not go
 * through the schema. */
static const TerenVitalRange ranges[] = {
  { "systolic",    50,  300, "mmHg" },
  { "diastolic",   30,  200, "mmHg" },
  { "glucose",     20,  800, "mg/dL" },
  { "weight",       1,  350, "kg" },
  { "height",      30,  250, "cm" },
  { "pulse",       20,  250, "/min" },
  { "saturation",  50,  100, "%" },
  { "temperature", 30,   45, "°C" },
};

const TerenVitalRange *
teren_vitals_lookup_range (const char *key)
{
  guint i;

  for (i = 0; key != NULL && i < G_N_ELEMENTS (ranges); i++)
    if (strcmp (ranges[i].key, key) == 0)
      return &ranges[i];

  return NULL;
}

static void
add_error (GPtrArray  *errors,
           const char *field,
           const char *code,
           const char *message)
{
  g_ptr_array_add (errors, teren_field_error_new (field, code, message));
}

static gboolean
has_error_for (GPtrArray  *errors,
               const char *key)
{
  guint i;

  for (i = 0; i < errors->len; i++)
    {
      TerenFieldError *error = g_ptr_array_index (errors, i);

      if (strcmp (error->field, key) == 0)
        return TRUE;
    }

  return FALSE;
}

static JsonNode *
member (JsonObject *fields,
        const char *key)
{
  JsonNode *node;

  if (fields == NULL || !json_object_has_member (fields, key))
    return NULL;
  node = json_object_get_member (fields, key);
  if (JSON_NODE_HOLDS_NULL (node))
    return NULL;

  return node;
}

static gboolean
member_number (JsonObject *fields,
               const char *key,
               double     *out_value)
{
  JsonNode *node = member (fields, key);
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    return FALSE;

  *out_value = json_node_get_double (node);
  return TRUE;
}

static const char *
member_string (JsonObject *fields,
               const char *key)
{
  JsonNode *node = member (fields, key);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static int
member_bool (JsonObject *fields,
             const char *key)
{
  JsonNode *node = member (fields, key);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return -1;

  return json_node_get_boolean (node) ? 1 : 0;
}

void
teren_vitals_check (JsonObject *fields,
                    GPtrArray  *errors)
{
  double systolic, diastolic;
  guint i;

  g_return_if_fail (errors != NULL);

  for (i = 0; i < G_N_ELEMENTS (ranges); i++)
    {
      double value;

      if (has_error_for (errors, ranges[i].key) ||
          !member_number (fields, ranges[i].key, &value))
        continue;
      if (value < ranges[i].min || value > ranges[i].max)
        {
          g_autofree char *message =
            /* Translators: a measured value outside its plausible range; %g are numbers,
             * %s the unit (mmHg, kg…) */
            g_strdup_printf (_("Not a plausible value: it must be between %g and %g %s"),
                             ranges[i].min, ranges[i].max, ranges[i].unit);

          add_error (errors, ranges[i].key, "out_of_range", message);
        }
    }

  if (!has_error_for (errors, "systolic") && !has_error_for (errors, "diastolic") &&
      member_number (fields, "systolic", &systolic) &&
      member_number (fields, "diastolic", &diastolic) &&
      systolic <= diastolic)
    add_error (errors, "diastolic", "out_of_range",
               _("The diastolic pressure must be lower than the systolic one"));
}

/* ---- ICD-10 ------------------------------------------------------------------------ */

static TerenIcd10LookupFunc icd10_lookup = NULL;
static gpointer icd10_lookup_data = NULL;

void
teren_health_set_icd10_lookup (TerenIcd10LookupFunc func,
                               gpointer             user_data)
{
  icd10_lookup = func;
  icd10_lookup_data = user_data;
}

gboolean
teren_icd10_is_well_formed (const char *code)
{
  gsize len, i;

  if (code == NULL)
    return FALSE;

  len = strlen (code);
  if (len < 3 || len > 8)
    return FALSE;
  if (!g_ascii_isupper (code[0]) || !g_ascii_isdigit (code[1]) ||
      !(g_ascii_isdigit (code[2]) || g_ascii_isupper (code[2])))
    return FALSE;
  if (len == 3)
    return TRUE;
  if (code[3] != '.' || len == 4)
    return FALSE;
  for (i = 4; i < len; i++)
    if (!g_ascii_isdigit (code[i]) && !g_ascii_isupper (code[i]))
      return FALSE;

  return TRUE;
}

static void
check_icd10 (JsonObject *fields,
             const char *key,
             gboolean    list,
             GPtrArray  *errors)
{
  const char *value = member_string (fields, key);
  g_auto(GStrv) codes = NULL;
  guint i;

  if (value == NULL || has_error_for (errors, key))
    return;

  /* A list is comma-separated; a single code is the whole value. */
  codes = list ? g_strsplit (value, ",", -1) : g_strsplit (value, "\n", 1);
  for (i = 0; codes[i] != NULL; i++)
    {
      char *code = g_strstrip (codes[i]);

      if (code[0] == '\0')
        continue;
      if (!teren_icd10_is_well_formed (code))
        {
          add_error (errors, key, "bad_icd10",
                     _("Not an ICD-10 code: a capital letter, two digits, then optionally a dot and up to 4 letters or digits (E11.9)"));
          return;
        }
      if (icd10_lookup != NULL && icd10_lookup (code, icd10_lookup_data) == TEREN_ICD10_UNKNOWN)
        {
          add_error (errors, key, "unknown_icd10", _("This code is not in the ICD-10 list"));
          return;
        }
    }
}

/* ---- Cross-field rules ------------------------------------------------------------- */

static void
check_order (JsonObject *fields,
             const char *first,
             const char *second,
             GPtrArray  *errors,
             const char *message)
{
  const char *a = member_string (fields, first);
  const char *b = member_string (fields, second);

  if (a == NULL || b == NULL || a[0] == '\0' || b[0] == '\0')
    return;
  if (has_error_for (errors, first) || has_error_for (errors, second))
    return;

  if (strcmp (a, b) > 0)
    add_error (errors, second, "out_of_range", message);
}

static void
check_count_order (JsonObject *fields,
                   const char *part,
                   const char *whole,
                   GPtrArray  *errors,
                   const char *message)
{
  double a, b;

  if (has_error_for (errors, part) || has_error_for (errors, whole))
    return;
  if (member_number (fields, part, &a) && member_number (fields, whole, &b) && a > b)
    add_error (errors, part, "out_of_range", message);
}

static void
require_when (JsonObject         *fields,
              TerenValidateFlags  flags,
              const char         *key,
              gboolean            condition,
              GPtrArray          *errors,
              const char         *message)
{
  if (!condition || has_error_for (errors, key))
    return;
  /* A patch that does not touch the field leaves it as saved: only a whole record, or a
   * patch clearing it, can be judged. */
  if (!(flags & TEREN_VALIDATE_COMPLETE) &&
      !(fields != NULL && json_object_has_member (fields, key)))
    return;

  if (member (fields, key) == NULL ||
      (member_string (fields, key) != NULL && member_string (fields, key)[0] == '\0'))
    add_error (errors, key, "required", message);
}

guint
teren_month_days (const char *month)
{
  int year, mon;

  if (month == NULL || strlen (month) != 7 || month[4] != '-' ||
      !g_ascii_isdigit (month[0]) || !g_ascii_isdigit (month[1]) ||
      !g_ascii_isdigit (month[2]) || !g_ascii_isdigit (month[3]) ||
      !g_ascii_isdigit (month[5]) || !g_ascii_isdigit (month[6]))
    return 0;

  year = atoi (month);
  mon = (month[5] - '0') * 10 + (month[6] - '0');
  if (year < 1900 || year > 2200 || mon < 1 || mon > 12)
    return 0;

  return g_date_get_days_in_month ((GDateMonth) mon, (GDateYear) year);
}

static void
check_month (JsonObject *fields,
             const char *key,
             GPtrArray  *errors)
{
  const char *month = member_string (fields, key);

  if (month != NULL && !has_error_for (errors, key) && teren_month_days (month) == 0)
    add_error (errors, key, "bad_month", _("Write the month as YYYY-MM, e.g. 2026-11"));
}

static void
check_school_year (JsonObject *fields,
                   GPtrArray  *errors)
{
  const char *value = member_string (fields, "school_year");
  int first, second;

  if (value == NULL || has_error_for (errors, "school_year"))
    return;

  if (strlen (value) == 9 && value[4] == '-' &&
      sscanf (value, "%4d-%4d", &first, &second) == 2 &&
      g_ascii_isdigit (value[0]) && g_ascii_isdigit (value[5]) &&
      first >= 1990 && first < 2200 && second == first + 1)
    return;

  add_error (errors, "school_year", "bad_school_year",
             _("Write the school year as two consecutive years, e.g. 2026-2027"));
}

/* Hours of a personal assistant's month: at most 8 a day (the schema's max), no day past
 * the end of the month, and on average at most 40 a week (HG 268/2007, Law 448/2006
 * art. 37): the month's total over its days / 7 weeks. */
static void
check_timesheet (JsonObject *fields,
                 GPtrArray  *errors)
{
  const char *month = member_string (fields, "month");
  guint n_days = teren_month_days (month);
  double total = 0;
  guint worked_days = 0;
  guint day;
  double leave = 0, sick = 0, absent = 0;

  if (n_days == 0)
    return;

  for (day = 1; day <= 31; day++)
    {
      char key[8];
      double hours;

      g_snprintf (key, sizeof key, "day_%02u", day);
      if (!member_number (fields, key, &hours))
        continue;
      if (day > n_days && hours > 0)
        {
          add_error (errors, key, "out_of_range", _("This day is not in the month"));
          continue;
        }
      total += hours;
      if (hours > 0)
        worked_days++;
    }

  if (total > 40.0 * n_days / 7.0)
    add_error (errors, "", "too_many_hours",
               _("More than 40 hours a week on average in this month"));

  member_number (fields, "leave_days", &leave);
  member_number (fields, "medical_leave_days", &sick);
  member_number (fields, "absence_days", &absent);
  if (worked_days + leave + sick + absent > n_days)
    add_error (errors, "absence_days", "out_of_range",
               _("Worked, leave and absence days add up to more than the days of the month"));
}

static gboolean
kind_is (const TerenKindDef *kind,
         const char         *name)
{
  return strcmp (kind->name, name) == 0;
}

void
teren_health_check_cross_fields (const TerenKindDef *kind,
                                 JsonObject         *fields,
                                 TerenValidateFlags  flags,
                                 const GDate        *today,
                                 GPtrArray          *errors)
{
  g_return_if_fail (kind != NULL && errors != NULL);

  if (fields == NULL || kind->line == NULL ||
      (strcmp (kind->line, "community_health") != 0 && strcmp (kind->line, "school_health") != 0 &&
       strcmp (kind->line, "disability") != 0))
    return;

  check_icd10 (fields, "diagnosis", FALSE, errors);
  check_icd10 (fields, "diagnoses", TRUE, errors);
  check_icd10 (fields, "chronic_diagnoses", TRUE, errors);

  if (kind_is (kind, "community_health.vital_signs") || kind_is (kind, "school_health.screening"))
    teren_vitals_check (fields, errors);

  if (kind_is (kind, "community_health.vital_signs") && (flags & TEREN_VALIDATE_COMPLETE))
    {
      static const char * const keys[] = { "systolic", "diastolic", "glucose", "weight", "height",
                                            "pulse", "saturation", "temperature" };
      guint i;
      gboolean any = FALSE;

      for (i = 0; i < G_N_ELEMENTS (keys); i++)
        any = any || member (fields, keys[i]) != NULL;
      if (!any)
        add_error (errors, "systolic", "required", _("Record at least one measurement"));
    }
  else if (kind_is (kind, "community_health.catagrafie"))
    teren_catagrafie_check_fields (fields, errors);
  else if (kind_is (kind, "community_health.beneficiary"))
    {
      const char *status = member_string (fields, "status");

      require_when (fields, flags, "inactivation_reason", g_strcmp0 (status, "inactive") == 0, errors,
                    _("An inactive beneficiary needs an inactivation reason"));
      require_when (fields, flags, "removal_reason", g_strcmp0 (status, "removed") == 0, errors,
                    _("Removing a beneficiary from the register needs a reason"));
      check_order (fields, "registered_on", "status_changed_on", errors,
                   _("The status changed before the beneficiary was registered"));
    }
  else if (kind_is (kind, "community_health.case_management"))
    {
      check_order (fields, "opened_on", "closed_on", errors,
                   _("The case is closed before it was opened"));
      require_when (fields, flags, "closed_on", g_strcmp0 (member_string (fields, "status"), "closed") == 0,
                    errors, _("A closed case needs its closing date"));
    }
  else if (kind_is (kind, "community_health.appointment"))
    {
      check_order (fields, "start_time", "end_time", errors, _("The appointment ends before it starts"));
      if ((flags & TEREN_VALIDATE_COMPLETE) && member (fields, "person") == NULL &&
          member (fields, "household") == NULL)
        add_error (errors, "person", "required", _("An appointment needs a person or a household"));
    }
  else if (kind_is (kind, "community_health.community_activity"))
    {
      const char *type = member_string (fields, "type");

      check_order (fields, "date", "end_date", errors, _("The end date is before the start date"));
      check_count_order (fields, "roma_participants", "participants", errors,
                         _("More Roma participants than participants"));
      require_when (fields, flags, "campaign", g_strcmp0 (type, "campaign") == 0, errors,
                    _("Choose the campaign type"));
      require_when (fields, flags, "administrative", g_strcmp0 (type, "administrative") == 0, errors,
                    _("Choose the administrative activity"));
    }
  else if (kind_is (kind, "school_health.class"))
    check_school_year (fields, errors);
  else if (kind_is (kind, "school_health.screening"))
    {
      check_order (fields, "date", "follow_up_due", errors, _("The follow-up is due before the exam"));
      require_when (fields, flags, "follow_up_due", member_bool (fields, "follow_up") == 1, errors,
                    _("A follow-up needs its due date"));
    }
  else if (kind_is (kind, "school_health.triage"))
    {
      JsonNode *node = member (fields, "findings");

      if (node != NULL && JSON_NODE_HOLDS_ARRAY (node) && !has_error_for (errors, "findings"))
        {
          JsonArray *array = json_node_get_array (node);
          guint i;

          for (i = 0; i < json_array_get_length (array) && json_array_get_length (array) > 1; i++)
            if (g_strcmp0 (json_array_get_string_element (array, i), "none") == 0)
              {
                add_error (errors, "findings", "exclusive_choice",
                           _("“Nothing found” cannot be chosen together with other answers"));
                break;
              }
        }
      check_order (fields, "date", "readmitted_on", errors, _("Readmitted before the triage"));
    }
  else if (kind_is (kind, "school_health.vaccination_campaign"))
    {
      check_order (fields, "start_date", "end_date", errors, _("The end date is before the start date"));
      check_count_order (fields, "pupils_vaccinated", "pupils_targeted", errors,
                         _("More pupils vaccinated than targeted"));
    }
  else if (kind_is (kind, "school_health.pe_exemption") || kind_is (kind, "disability.leave_replacement"))
    {
      check_order (fields, "start_date", "end_date", errors, _("The end date is before the start date"));
      if (kind_is (kind, "disability.leave_replacement"))
        require_when (fields, flags, "replacement",
                      g_strcmp0 (member_string (fields, "solution"), "replacement_ap") == 0, errors,
                      _("Choose the replacement assistant"));
    }
  else if (kind_is (kind, "school_health.disease_notification"))
    check_order (fields, "detected_on", "notified_on", errors, _("Notified before the disease was detected"));
  else if (kind_is (kind, "disability.certificate"))
    {
      check_order (fields, "valid_from", "valid_to", errors,
                   _("The certificate’s end of validity is before its start"));
      check_order (fields, "issued_on", "valid_to", errors,
                   _("The certificate’s end of validity is before its issue date"));
      if (member_bool (fields, "permanent") == 1 && member_string (fields, "valid_to") != NULL &&
          !has_error_for (errors, "valid_to"))
        add_error (errors, "valid_to", "not_applicable", _("A permanent certificate has no end of validity"));
      else if ((flags & TEREN_VALIDATE_COMPLETE) && member_bool (fields, "permanent") != 1 &&
               member_string (fields, "valid_to") == NULL && !has_error_for (errors, "valid_to"))
        add_error (errors, "valid_to", "required",
                   _("Give the end of validity or mark the certificate permanent"));
    }
  else if (kind_is (kind, "disability.ap_option"))
    {
      check_order (fields, "requested_on", "dgaspc_date", errors,
                   _("The agreement is dated before the request"));
      check_order (fields, "dgaspc_date", "communicated_on", errors,
                   _("The agreement was received before it was issued"));
    }
  else if (kind_is (kind, "disability.personal_assistant"))
    {
      check_order (fields, "contract_start", "contract_end", errors,
                   _("The contract ends before it starts"));
      check_order (fields, "request_date", "contract_date", errors,
                   _("The contract is dated before the request"));
      require_when (fields, flags, "end_reason", g_strcmp0 (member_string (fields, "contract_status"), "ended") == 0,
                    errors, _("An ended contract needs the reason it ended"));
      if (g_strcmp0 (member_string (fields, "person"), member_string (fields, "assistant")) == 0 &&
          member_string (fields, "person") != NULL)
        add_error (errors, "assistant", "bad_reference",
                   _("The personal assistant cannot be the person with disability"));
    }
  else if (kind_is (kind, "disability.timesheet"))
    {
      check_month (fields, "month", errors);
      check_timesheet (fields, errors);
    }
  else if (kind_is (kind, "disability.indemnity_payment"))
    check_month (fields, "month", errors);
  else if (kind_is (kind, "disability.change_notification"))
    check_order (fields, "known_on", "sent_on", errors, _("Sent before the change was known"));

  (void) today;
}
