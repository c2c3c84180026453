/* teren-lifecycle.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "teren-date.h"
#include "teren-lifecycle.h"
#include "teren-record.h"

/* Cross-field rules of the service lines and the values their forms compute. */

typedef struct {
  const char *kind;     /* NULL: any kind that has both fields */
  const char *first;
  const char *second;   /* must not be before @first; the error goes here */
  const char *message;  /* N_() */
} OrderRule;

static const OrderRule order_rules[] = {
  { "child.parents_abroad", "notified_on", "departure_on",
    N_("The departure is before the notification") },
  { "child.parents_abroad", "departure_on", "return_on", N_("The return is before the departure") },
  { "child.court_request", "received_on", "hearing_date",
    N_("The hearing is before the request was received") },
  { "child.court_request", "received_on", "sent_on", N_("It was sent before it was received") },
  { "child.birth_registration", "birth_date", "declared_on",
    N_("The birth is declared before the birth date") },
  { "child.protection_measure", "start_on", "reintegrated_on",
    N_("The reintegration is before the start of the measure") },
  { "creche.enrolment", "birth_date", "start_on", N_("The enrolment starts before the birth date") },
  { "homeless.shelter_stay", "check_in_on", "check_out_on", N_("The check-out is before the check-in") },
  { "elderly.home_care_visit", "arrival_time", "departure_time",
    N_("The departure is before the arrival") },
  { "intake", "received_on", "registered_on", N_("It was registered before it was received") },
  { "referral", "date", "answered_on", N_("The answer is before the referral") },
  { "referral", "consent_on", "date", NULL },
  { "adult.emergency_aid", "date", "decided_on", N_("The decision is before the request") },
  { "adult.residential_placement", "requested_on", "admitted_on",
    N_("The admission is before the request") },
  { "canteen.beneficiary", "requested_on", "decision_date", N_("The decision is before the request") },
  { "canteen.beneficiary", "start_on", "end_on", N_("The end date is before the start date") },
  { NULL, "start_on", "review_on", N_("The review is before the plan comes into force") },
  { NULL, "start_on", "end_on", N_("The end date is before the start date") },
  { NULL, "effective_from", "effective_until", N_("The end date is before the start date") },
  { NULL, "signed_on", "end_on", N_("The contract ends before it is signed") },
};

static const char *
member_string (JsonObject *fields,
               const char *key)
{
  JsonNode *node = json_object_get_member (fields, key);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
member_date (JsonObject *fields,
             const char *key,
             GDate      *out_date)
{
  const char *value = member_string (fields, key);

  return value != NULL && value[0] != '\0' && teren_date_parse (value, out_date);
}

static gboolean
member_number (JsonObject *fields,
               const char *key,
               double     *out_value)
{
  JsonNode *node = json_object_get_member (fields, key);
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    return FALSE;
  *out_value = json_node_get_double (node);
  return TRUE;
}

static gboolean
member_is_empty (JsonObject *fields,
                 const char *key)
{
  JsonNode *node = json_object_get_member (fields, key);
  const char *text;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  text = member_string (fields, key);
  return text != NULL && text[0] == '\0';
}

static gboolean
has_error_for (GPtrArray  *errors,
               const char *key)
{
  guint i;

  for (i = 0; i < errors->len; i++)
    {
      TerenFieldError *error = g_ptr_array_index (errors, i);

      if (g_strcmp0 (error->field, key) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
add_error (GPtrArray  *errors,
           const char *field,
           const char *code,
           const char *message)
{
  g_ptr_array_add (errors, teren_field_error_new (field, code, message));
}

static void
check_orders (const TerenKindDef *kind,
              JsonObject         *fields,
              GPtrArray          *errors)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (order_rules); i++)
    {
      const OrderRule *rule = &order_rules[i];
      const char *a, *b;

      if (rule->kind != NULL && strcmp (rule->kind, kind->name) != 0)
        continue;
      if (teren_kind_lookup_field (kind, rule->first) == NULL ||
          teren_kind_lookup_field (kind, rule->second) == NULL)
        continue;

      a = member_string (fields, rule->first);
      b = member_string (fields, rule->second);
      if (a == NULL || b == NULL || a[0] == '\0' || b[0] == '\0' ||
          has_error_for (errors, rule->first) || has_error_for (errors, rule->second))
        continue;

      if (strcmp (a, b) > 0)
        {
          /* Consent after the referral: the consent date is the one that is wrong. */
          if (rule->message == NULL)
            add_error (errors, rule->first, "out_of_range",
                       _("The consent is dated after the referral"));
          else
            add_error (errors, rule->second, "out_of_range", g_dgettext (GETTEXT_PACKAGE, rule->message));
        }
    }
}

/* Incomes and amounts are never negative. */
static void
check_money (const TerenKindDef *kind,
             JsonObject         *fields,
             GPtrArray          *errors)
{
  guint i;

  for (i = 0; i < kind->n_fields; i++)
    {
      const TerenFieldDef *field = &kind->fields[i];
      double value;

      if (field->type != TEREN_FIELD_DECIMAL || field->min != 0 || field->max != 0 ||
          has_error_for (errors, field->key) || !member_number (fields, field->key, &value) ||
          value >= 0)
        continue;

      if (strstr (field->key, "income") != NULL)
        add_error (errors, field->key, "out_of_range", _("An income cannot be negative"));
      else
        add_error (errors, field->key, "out_of_range", _("An amount cannot be negative"));
    }
}

static gboolean
is_plan_kind (const TerenKindDef *kind)
{
  return teren_kind_lookup_field (kind, "review_on") != NULL &&
         teren_kind_lookup_field (kind, "start_on") != NULL;
}

static void
check_plan_review (const TerenKindDef *kind,
                   JsonObject         *fields,
                   const GDate        *today,
                   GPtrArray          *errors)
{
  const char *status = member_string (fields, "status");
  GDate review;

  if (!is_plan_kind (kind) || has_error_for (errors, "review_on") ||
      !member_date (fields, "review_on", &review))
    return;
  /* A finished plan keeps the review date it had. */
  if (status != NULL && (strcmp (status, "revised") == 0 || strcmp (status, "completed") == 0 ||
                         strcmp (status, "cancelled") == 0))
    return;

  if (g_date_compare (&review, today) < 0)
    add_error (errors, "review_on", "out_of_range", _("The review date is in the past"));
}

static void
check_month (JsonObject *fields,
             const char *key,
             GPtrArray  *errors)
{
  const char *value = member_string (fields, key);
  int year, month;

  if (value == NULL || has_error_for (errors, key))
    return;
  year = month = 0;
  if (strlen (value) == 7 && value[4] == '-' &&
      g_ascii_isdigit (value[0]) && g_ascii_isdigit (value[1]) && g_ascii_isdigit (value[2]) &&
      g_ascii_isdigit (value[3]) && g_ascii_isdigit (value[5]) && g_ascii_isdigit (value[6]))
    {
      year = (int) g_ascii_strtoll (value, NULL, 10);
      month = (int) g_ascii_strtoll (value + 5, NULL, 10);
    }
  if (year < 2000 || year > 2100 || month < 1 || month > 12)
    add_error (errors, key, "invalid_date", _("Write the month as YYYY-MM, e.g. 2026-03"));
}

static void
check_referral (const char *line,
                JsonObject *fields,
                gboolean    complete,
                GPtrArray  *errors)
{
  const char *to_line = member_string (fields, "to_line");
  const char *status = member_string (fields, "status");

  if (to_line != NULL && line != NULL && strcmp (to_line, line) == 0 &&
      !has_error_for (errors, "to_line"))
    add_error (errors, "to_line", "out_of_range",
               _("A referral cannot go to its own service line"));

  if (complete && member_is_empty (fields, "to_line") && member_is_empty (fields, "institution") &&
      member_is_empty (fields, "institution_name") && !has_error_for (errors, "to_line"))
    add_error (errors, "to_line", "required",
               _("Choose the service line or the institution of the referral"));

  if (complete && g_strcmp0 (status, "declined") == 0 && member_is_empty (fields, "answer_reason"))
    add_error (errors, "answer_reason", "required", _("Give the reason for declining"));
}

static void
check_closure (JsonObject *fields,
               gboolean    complete,
               GPtrArray  *errors)
{
  if (complete && g_strcmp0 (member_string (fields, "reason"), "transferred") == 0 &&
      member_is_empty (fields, "transfer_to_line") &&
      member_is_empty (fields, "transfer_to_institution"))
    add_error (errors, "transfer_to_institution", "required",
               _("Say where the case is transferred"));
}

static void
check_creche_age (JsonObject *fields,
                  GPtrArray  *errors)
{
  GDate birth, start, third;

  if (has_error_for (errors, "birth_date") || has_error_for (errors, "start_on") ||
      !member_date (fields, "birth_date", &birth) || !member_date (fields, "start_on", &start))
    return;

  third = birth;
  g_date_add_years (&third, 3);
  if (g_date_compare (&start, &third) >= 0)
    add_error (errors, "birth_date", "out_of_range",
               _("The child is 3 years old or older: crèches take children up to 3 years"));
}

static void
check_canteen (JsonObject *fields,
               gboolean    complete,
               GPtrArray  *errors)
{
  GDate requested, start, end, first_allowed;
  double used = 0;
  guint days;

  if (member_date (fields, "requested_on", &requested) && member_date (fields, "start_on", &start) &&
      !has_error_for (errors, "start_on") && !has_error_for (errors, "requested_on"))
    {
      g_date_clear (&first_allowed, 1);
      g_date_set_dmy (&first_allowed, 1, g_date_get_month (&requested), g_date_get_year (&requested));
      g_date_add_months (&first_allowed, 1);
      if (g_date_compare (&start, &first_allowed) < 0)
        add_error (errors, "start_on", "out_of_range",
                   _("The meals start at the earliest on the first day of the month after the request"));
    }

  if (g_strcmp0 (member_string (fields, "category"), "g") != 0 || has_error_for (errors, "end_on"))
    return;

  if (!member_date (fields, "end_on", &end))
    {
      if (complete && member_date (fields, "start_on", &start))
        add_error (errors, "end_on", "required",
                   _("Category g needs an end date: at most 90 days a year"));
      return;
    }
  if (!member_date (fields, "start_on", &start) || g_date_compare (&end, &start) < 0)
    return;

  member_number (fields, "days_used", &used);
  days = teren_canteen_days (&start, &end);
  if ((double) days + used > TEREN_CANTEEN_CATEGORY_G_DAYS)
    {
      int left = TEREN_CANTEEN_CATEGORY_G_DAYS - (int) used;
      g_autofree char *message = NULL;

      if (left < 0)
        left = 0;
      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "Category g is limited to 90 days a year: %d day is left this year",
                                              "Category g is limited to 90 days a year: %d days are left this year",
                                              (gulong) left),
                                 left);
      add_error (errors, "end_on", "out_of_range", message);
    }
}

static void
check_elderly_assessment (JsonObject *fields,
                          gboolean    complete,
                          GPtrArray  *errors)
{
  const char *computed = member_string (fields, "computed_degree");
  const char *degree = member_string (fields, "degree");

  if (computed != NULL && strcmp (computed, "none") == 0)
    computed = NULL;
  if (complete && computed != NULL && g_strcmp0 (computed, degree) != 0 &&
      member_is_empty (fields, "override_reason"))
    add_error (errors, "override_reason", "required",
               _("Say why the degree differs from the one the answers give"));
}

/* The kinds of teren-schema-kinds-social.c: the life-cycle kinds and the social lines'
 * own. Other kinds have their own rules (teren-vitals.c for the health lines). */
static gboolean
is_social_kind (const TerenKindDef *kind)
{
  static const char * const lines[] = { "child", "creche", "elderly", "adult", "canteen", "homeless" };
  static const char * const common[] = {
    "intake", "assessment", "plan", "plan_item", "decision", "contract", "review", "referral",
    "closure",
  };
  guint i;

  if (kind->line != NULL)
    {
      for (i = 0; i < G_N_ELEMENTS (lines); i++)
        if (strcmp (kind->line, lines[i]) == 0)
          return TRUE;
      return FALSE;
    }
  for (i = 0; i < G_N_ELEMENTS (common); i++)
    if (strcmp (kind->name, common[i]) == 0)
      return TRUE;
  return FALSE;
}

void
teren_lifecycle_check (const TerenKindDef  *kind,
                       const char          *line,
                       JsonObject          *fields,
                       TerenValidateFlags   flags,
                       const GDate         *today,
                       GPtrArray           *errors)
{
  gboolean complete = (flags & TEREN_VALIDATE_COMPLETE) != 0;
  GDate now;

  g_return_if_fail (kind != NULL && errors != NULL);

  if (fields == NULL || !is_social_kind (kind))
    return;
  if (today != NULL && g_date_valid (today))
    now = *today;
  else
    teren_date_today (&now);

  check_orders (kind, fields, errors);
  check_money (kind, fields, errors);
  check_plan_review (kind, fields, &now, errors);

  if (strcmp (kind->name, "referral") == 0)
    check_referral (line, fields, complete, errors);
  else if (strcmp (kind->name, "closure") == 0)
    check_closure (fields, complete, errors);
  else if (strcmp (kind->name, "creche.enrolment") == 0)
    check_creche_age (fields, errors);
  else if (strcmp (kind->name, "canteen.beneficiary") == 0)
    check_canteen (fields, complete, errors);
  else if (strcmp (kind->name, "elderly.assessment") == 0)
    check_elderly_assessment (fields, complete, errors);
  else if (strcmp (kind->name, "creche.contribution") == 0 ||
           strcmp (kind->name, "elderly.contribution") == 0)
    check_month (fields, "month", errors);
}

/* ---- computed values ----------------------------------------------------------------- */

/* Lei and bani: two decimals, halves away from zero. */
static double
round_money (double value)
{
  return (double) (gint64) (value * 100 + (value >= 0 ? 0.5 : -0.5)) / 100;
}

const char *
teren_creche_group_for_age (const GDate *birth,
                            const GDate *on)
{
  GDate one, two, three;

  g_return_val_if_fail (birth != NULL && on != NULL, NULL);

  if (g_date_compare (on, birth) < 0)
    return NULL;

  one = *birth;
  g_date_add_years (&one, 1);
  two = *birth;
  g_date_add_years (&two, 2);
  three = *birth;
  g_date_add_years (&three, 3);

  if (g_date_compare (on, &one) < 0)
    return "small";
  if (g_date_compare (on, &two) < 0)
    return "middle";
  if (g_date_compare (on, &three) < 0)
    return "large";
  return NULL;
}

gboolean
teren_parents_abroad_is_late (const GDate *notified,
                              const GDate *departure)
{
  g_return_val_if_fail (notified != NULL && departure != NULL, FALSE);

  return g_date_days_between (notified, departure) < TEREN_PARENTS_ABROAD_NOTICE_DAYS;
}

gboolean
teren_canteen_compute (double       income_total,
                       gint64       household_size,
                       double       threshold,
                       double       meal_cost_per_day,
                       guint        days,
                       double      *out_income_per_member,
                       gboolean    *out_free,
                       double      *out_contribution)
{
  double per_member, contribution, cap;
  gboolean is_free;

  if (income_total < 0 || household_size <= 0 || threshold < 0 || meal_cost_per_day < 0 ||
      income_total != income_total || meal_cost_per_day != meal_cost_per_day)
    return FALSE;

  per_member = income_total / (double) household_size;
  is_free = per_member < threshold;
  contribution = 0;
  if (!is_free)
    {
      contribution = per_member * TEREN_CANTEEN_CONTRIBUTION_SHARE;
      cap = meal_cost_per_day * (double) days;
      if (contribution > cap)
        contribution = cap;
    }

  if (out_income_per_member != NULL)
    *out_income_per_member = round_money (per_member);
  if (out_free != NULL)
    *out_free = is_free;
  if (out_contribution != NULL)
    *out_contribution = round_money (contribution);
  return TRUE;
}

guint
teren_canteen_days (const GDate *start,
                    const GDate *end)
{
  g_return_val_if_fail (start != NULL && end != NULL, 0);

  if (g_date_compare (end, start) < 0)
    return 0;
  return (guint) g_date_days_between (start, end) + 1;
}

gboolean
teren_canteen_renewal_due (JsonObject *beneficiary,
                           GDate      *out_due)
{
  g_return_val_if_fail (beneficiary != NULL && out_due != NULL, FALSE);

  if (!member_date (beneficiary, "documents_renewed_on", out_due) &&
      !member_date (beneficiary, "start_on", out_due))
    return FALSE;
  g_date_add_months (out_due, 3);
  return TRUE;
}

gboolean
teren_canteen_is_suspended (JsonObject  *beneficiary,
                            const GDate *on)
{
  GDate due;

  g_return_val_if_fail (on != NULL, FALSE);

  return teren_canteen_renewal_due (beneficiary, &due) && g_date_compare (on, &due) > 0;
}

static double
record_number (JsonObject *fields,
               const char *key,
               double      fallback)
{
  double value;

  return member_number (fields, key, &value) ? value : fallback;
}

gboolean
teren_creche_contribution (GPtrArray *rules,
                           int        year,
                           double     income,
                           gint64     children,
                           double    *out_amount)
{
  JsonObject *best = NULL;
  double best_min = -1;
  guint i;

  g_return_val_if_fail (out_amount != NULL, FALSE);

  if (income < 0 || children < 1)
    return FALSE;

  for (i = 0; rules != NULL && i < rules->len; i++)
    {
      TerenRecord *rule = g_ptr_array_index (rules, i);
      JsonObject *fields = teren_record_get_fields (rule);
      double from = record_number (fields, "income_from", 0);
      double to = record_number (fields, "income_to", G_MAXDOUBLE);
      double min_children = record_number (fields, "min_children", 1);

      if (teren_record_get_deleted (rule) || teren_record_get_int (rule, "year") != year ||
          income < from || income > to || (double) children < min_children)
        continue;
      if (min_children > best_min)
        {
          best = fields;
          best_min = min_children;
        }
    }

  if (best == NULL)
    return FALSE;

  *out_amount = round_money (record_number (best, "fixed_amount", 0) +
                             income * record_number (best, "percent", 0) / 100);
  return TRUE;
}

const char *
teren_elderly_dependency_degree (JsonObject *assessment)
{
  static const char * const adl[] = {
    "adl_hygiene", "adl_dressing", "adl_feeding", "adl_mobility", "adl_transfer", "adl_continence",
  };
  static const char * const iadl[] = {
    "iadl_phone", "iadl_shopping", "iadl_cooking", "iadl_housekeeping", "iadl_transport",
    "iadl_medication", "iadl_finances",
  };
  guint answered = 0, dependent = 0, helped = 0, iadl_help = 0;
  const char *cognition, *mobility, *transfer, *hygiene, *dressing;
  gboolean bedridden = FALSE;
  JsonNode *node;
  guint i;

  g_return_val_if_fail (assessment != NULL, NULL);

  for (i = 0; i < G_N_ELEMENTS (adl); i++)
    {
      const char *value = member_string (assessment, adl[i]);

      if (value == NULL)
        continue;
      answered++;
      if (strcmp (value, "dependent") == 0)
        dependent++;
      else if (strcmp (value, "partial") == 0)
        helped++;
    }
  if (answered < 4)
    return NULL;

  for (i = 0; i < G_N_ELEMENTS (iadl); i++)
    {
      const char *value = member_string (assessment, iadl[i]);

      if (value != NULL && strcmp (value, "independent") != 0)
        iadl_help++;
    }

  node = json_object_get_member (assessment, "bedridden");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    bedridden = json_node_get_boolean (node);

  cognition = member_string (assessment, "cognition");
  mobility = member_string (assessment, "adl_mobility");
  transfer = member_string (assessment, "adl_transfer");
  hygiene = member_string (assessment, "adl_hygiene");
  dressing = member_string (assessment, "adl_dressing");

  if (bedridden && g_strcmp0 (cognition, "severe") == 0)
    return "IA";
  if (bedridden || dependent >= 5)
    return "IB";
  if (g_strcmp0 (cognition, "severe") == 0)
    return "IC";
  if (g_strcmp0 (transfer, "dependent") == 0)
    return "IIB";
  if (g_strcmp0 (mobility, "independent") != 0 && mobility != NULL && dependent + helped >= 3)
    return "IIA";
  if (g_strcmp0 (cognition, "mild") == 0 &&
      (g_strcmp0 (hygiene, "independent") != 0 || g_strcmp0 (dressing, "independent") != 0))
    return "IIC";
  if ((hygiene != NULL && strcmp (hygiene, "independent") != 0) ||
      (dressing != NULL && strcmp (dressing, "independent") != 0))
    return "IIIA";
  if (iadl_help > 0)
    return "IIIB";
  return "none";
}
