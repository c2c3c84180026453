/* teren-form-rules.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "teren-bmi.h"
#include "teren-store-nomenclature.h"
#include "teren-catagrafie.h"
#include "teren-date.h"
#include "teren-form-rules.h"
#include "teren-gui.h"
#include "teren-json.h"
#include "teren-lifecycle.h"
#include "teren-record.h"

#define APP_ID "ro.daps.Teren"

/* Store data some computed fields need (loaded on a worker thread by the form). */
struct _TerenFormRulesData {
  char       *key;          /* what it was loaded for (teren_form_rules_data_key) */
  JsonObject *enrolment;    /* (nullable) fields of the crèche enrolment */
  GPtrArray  *rules;        /* TerenRecord: creche.contribution_rule */
  /* school_health.screening: the pupil and the WHO BMI-for-age table pulled from the
   * server (teren-bmi.h), NULL when the admin imported none */
  char              *pupil_sex;
  char              *pupil_birth_date;
  TerenBmiReference *bmi_reference;
};

#define BMI_DATA_PREFIX "bmi:"

typedef gboolean (*AppliesFunc) (JsonObject *values, const char *arg_key, const char *arg_value);

/* A field of a kind applies when func (values, arg_key, arg_value) holds. */
typedef struct {
  const char  *kind;
  const char  *key;
  AppliesFunc  func;
  const char  *arg_key;
  const char  *arg_value;
} VisibilityRule;

typedef GPtrArray *(*ComputeFunc) (JsonObject *values, const GDate *today, const TerenFormRulesData *data);

typedef struct {
  const char  *kind;
  ComputeFunc  func;
} ComputeRule;

/* Conditions */

static gboolean
value_equals (JsonObject *values,
              const char *key,
              const char *value)
{
  return g_strcmp0 (teren_json_get_string (values, key, NULL), value) == 0;
}

static gboolean
value_is_true (JsonObject *values,
               const char *key,
               const char *unused)
{
  JsonNode *node = json_object_get_member (values, key);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

static gboolean
is_pregnancy (JsonObject *values,
              const char *key,
              const char *unused)
{
  return teren_catagrafie_is_pregnancy (teren_json_get_string (values, key, NULL));
}

static const VisibilityRule visibility_rules[] = {
  { "community_health.catagrafie", "cat_preg", is_pregnancy, "cat_rep", NULL },
  { "community_health.beneficiary", "inactivation_reason", value_equals, "status", "inactive" },
  { "community_health.beneficiary", "removal_reason", value_equals, "status", "removed" },
  { "community_health.community_activity", "campaign", value_equals, "type", "campaign" },
  { "referral", "answer_reason", value_equals, "status", "declined" },
  { "review", "changes", value_is_true, "plan_changed", NULL },
  { "closure", "transfer_to_line", value_equals, "reason", "transferred" },
  { "closure", "transfer_to_institution", value_equals, "reason", "transferred" },
};

/* Computed values */

static gboolean
get_date (JsonObject *values,
          const char *key,
          GDate      *out_date)
{
  const char *text = teren_json_get_string (values, key, NULL);

  g_date_clear (out_date, 1);
  return text != NULL && teren_date_parse (text, out_date);
}

/* Sets @key to @value (NULL: null) and records the key when it changed. */
static void
set_string (JsonObject *values,
            const char *key,
            const char *value,
            GPtrArray  *changed)
{
  if (g_strcmp0 (teren_json_get_string (values, key, NULL), value) == 0)
    return;
  if (value != NULL)
    json_object_set_string_member (values, key, value);
  else
    json_object_set_null_member (values, key);
  g_ptr_array_add (changed, (gpointer)key);
}

static GPtrArray *
compute_creche_group (JsonObject               *values,
                      const GDate              *today,
                      const TerenFormRulesData *data)
{
  GPtrArray *changed = g_ptr_array_new ();
  GDate birth, on;

  if (!get_date (values, "birth_date", &birth))
    return changed;
  /* The group on the day the child starts, else today. */
  if (!get_date (values, "start_on", &on))
    on = *today;
  set_string (values, "group", teren_creche_group_for_age (&birth, &on), changed);
  return changed;
}

static GPtrArray *
compute_late_notice (JsonObject               *values,
                     const GDate              *today,
                     const TerenFormRulesData *data)
{
  GPtrArray *changed = g_ptr_array_new ();
  GDate notified, departure;
  gboolean late;

  if (!get_date (values, "notified_on", &notified) || !get_date (values, "departure_on", &departure))
    return changed;
  late = teren_parents_abroad_is_late (&notified, &departure);
  if (!value_is_true (values, "late_notice", NULL) != !late ||
      !json_object_has_member (values, "late_notice") ||
      json_object_get_null_member (values, "late_notice"))
    {
      json_object_set_boolean_member (values, "late_notice", late);
      g_ptr_array_add (changed, (gpointer)"late_notice");
    }
  return changed;
}

static GPtrArray *
compute_bmi (JsonObject               *values,
             const GDate              *today,
             const TerenFormRulesData *data)
{
  GPtrArray *changed = g_ptr_array_new ();
  g_autoptr(JsonNode) before = NULL;
  JsonNode *after;

  g_autofree char *class_before = g_strdup (teren_json_get_string (values, "bmi_class", NULL));
  gboolean with_table = data != NULL && data->bmi_reference != NULL;

  if (json_object_has_member (values, "bmi"))
    before = json_node_copy (json_object_get_member (values, "bmi"));
  /* The BMI always; its percentile class only when the WHO table was imported (and the
   * pupil's sex and birth date are known), otherwise the class is left as the user set it. */
  teren_bmi_fill_screening (values, with_table ? data->pupil_birth_date : NULL,
                            with_table ? data->pupil_sex : NULL,
                            with_table ? data->bmi_reference : NULL);
  after = json_object_has_member (values, "bmi") ? json_object_get_member (values, "bmi") : NULL;
  if (after == NULL)
    json_object_set_null_member (values, "bmi");
  after = json_object_get_member (values, "bmi");
  if (before == NULL || !json_node_equal (before, after))
    g_ptr_array_add (changed, (gpointer)"bmi");
  if (with_table)
    {
      const char *class_after = teren_json_get_string (values, "bmi_class", NULL);

      if (class_after == NULL)
        json_object_set_null_member (values, "bmi_class");
      if (g_strcmp0 (class_before, class_after) != 0)
        g_ptr_array_add (changed, (gpointer)"bmi_class");
    }
  else if (class_before != NULL)
    json_object_set_string_member (values, "bmi_class", class_before);
  return changed;
}

static GPtrArray *
compute_dependency_degree (JsonObject               *values,
                           const GDate              *today,
                           const TerenFormRulesData *data)
{
  GPtrArray *changed = g_ptr_array_new ();
  const char *degree = teren_elderly_dependency_degree (values);

  if (degree == NULL)
    return changed;
  set_string (values, "computed_degree", g_strcmp0 (degree, "none") == 0 ? NULL : degree, changed);
  return changed;
}

static gboolean
get_number (JsonObject *values,
            const char *key,
            double     *out_value)
{
  JsonNode *node = json_object_has_member (values, key) ? json_object_get_member (values, key) : NULL;
  const char *text;
  char *end = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_INT64 || json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      *out_value = json_node_get_double (node);
      return TRUE;
    }
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;
  text = json_node_get_string (node);
  *out_value = g_ascii_strtod (text, &end);
  return end != text && end != NULL && *end == '\0';
}

/* Sets the number @key to @value and records the key when it changed. */
static void
set_money (JsonObject *values,
           const char *key,
           double      value,
           GPtrArray  *changed)
{
  double before;

  if (get_number (values, key, &before) && before == value)
    return;
  json_object_set_double_member (values, key, value);
  g_ptr_array_add (changed, (gpointer)key);
}

static void
set_boolean (JsonObject *values,
             const char *key,
             gboolean    value,
             GPtrArray  *changed)
{
  JsonNode *node = json_object_has_member (values, key) ? json_object_get_member (values, key) : NULL;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
      !json_node_get_boolean (node) == !value)
    return;
  json_object_set_boolean_member (values, key, value);
  g_ptr_array_add (changed, (gpointer)key);
}

void
teren_form_rules_canteen_settings (double *out_threshold,
                                   double *out_meal_cost)
{
  static GSettings *settings = NULL;
  static gsize checked = 0;

  if (g_once_init_enter (&checked))
    {
      GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
      g_autoptr(GSettingsSchema) schema = NULL;

      if (source != NULL)
        schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
      if (schema != NULL && g_settings_schema_has_key (schema, "canteen-threshold") &&
          g_settings_schema_has_key (schema, "canteen-meal-cost"))
        settings = g_settings_new (APP_ID);   /* kept for the life of the process */
      g_once_init_leave (&checked, 1);
    }
  *out_threshold = settings != NULL ? g_settings_get_double (settings, "canteen-threshold")
                                    : TEREN_CANTEEN_DEFAULT_THRESHOLD;
  *out_meal_cost = settings != NULL ? g_settings_get_double (settings, "canteen-meal-cost")
                                    : TEREN_CANTEEN_DEFAULT_MEAL_COST;
}

/* Legea 208/1997: income per member; free under the social-aid threshold, else 30 % of
 * the income per member a month, capped at the meals' cost for the month. The daily cost
 * is the file's, else the directorate's setting. The month is the one the
 * entitlement starts in, else the current one. */
static GPtrArray *
compute_canteen (JsonObject               *values,
                 const GDate              *today,
                 const TerenFormRulesData *data)
{
  GPtrArray *changed = g_ptr_array_new ();
  double income, size, threshold, meal_cost, per_member, contribution;
  gboolean is_free;
  GDate month;

  /* The file's daily cost, else the directorate's (not written into the file: a cleared
   * field stays clear while the user types a new cost). */
  teren_form_rules_canteen_settings (&threshold, &meal_cost);
  get_number (values, "meal_cost", &meal_cost);
  if (!get_number (values, "income_total", &income) || !get_number (values, "household_size", &size) ||
      size < 1 || size != (double) (gint64) size)
    return changed;
  if (!get_date (values, "start_on", &month))
    month = *today;
  if (!teren_canteen_compute (income, (gint64) size, threshold, meal_cost,
                              g_date_get_days_in_month (g_date_get_month (&month), g_date_get_year (&month)),
                              &per_member, &is_free, &contribution))
    return changed;   /* a negative income or cost: the validator says so at the field */
  set_money (values, "income_per_member", per_member, changed);
  set_boolean (values, "free", is_free, changed);
  set_money (values, "contribution", contribution, changed);
  return changed;
}

/* The parents' monthly contribution from the rule table of the month's year, the
 * enrolment's income and the number of the family's children in the crèche. */
static GPtrArray *
compute_creche_contribution (JsonObject               *values,
                             const GDate              *today,
                             const TerenFormRulesData *data)
{
  GPtrArray *changed = g_ptr_array_new ();
  const char *month = teren_json_get_string (values, "month", NULL);
  g_autofree char *year_text = NULL;
  double income, children = 1, amount;
  guint64 year;

  if (data == NULL || data->enrolment == NULL || month == NULL || strlen (month) != 7 || month[4] != '-')
    return changed;
  year_text = g_strndup (month, 4);
  if (!g_ascii_string_to_unsigned (year_text, 10, 2000, 2100, &year, NULL))
    return changed;
  if (!get_number (data->enrolment, "parents_income", &income))
    return changed;
  get_number (data->enrolment, "children_enrolled", &children);
  if (!teren_creche_contribution (data->rules, (int) year, income, (gint64) children, &amount))
    return changed;
  set_money (values, "amount", amount, changed);
  return changed;
}

static const ComputeRule compute_rules[] = {
  { "creche.enrolment", compute_creche_group },
  { "child.parents_abroad", compute_late_notice },
  { "school_health.screening", compute_bmi },
  { "elderly.assessment", compute_dependency_degree },
  { "canteen.beneficiary", compute_canteen },
  { "creche.contribution", compute_creche_contribution },
};

/* Public API */

gboolean
teren_form_rules_has_rules (const char *kind)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (visibility_rules); i++)
    if (g_strcmp0 (visibility_rules[i].kind, kind) == 0)
      return TRUE;
  for (i = 0; i < G_N_ELEMENTS (compute_rules); i++)
    if (g_strcmp0 (compute_rules[i].kind, kind) == 0)
      return TRUE;
  return FALSE;
}

gboolean
teren_form_rules_field_applies (const char *kind,
                                const char *key,
                                JsonObject *values)
{
  guint i;

  g_return_val_if_fail (values != NULL, TRUE);

  for (i = 0; i < G_N_ELEMENTS (visibility_rules); i++)
    {
      const VisibilityRule *rule = &visibility_rules[i];

      if (g_strcmp0 (rule->kind, kind) == 0 && g_strcmp0 (rule->key, key) == 0)
        return rule->func (values, rule->arg_key, rule->arg_value);
    }
  return TRUE;
}

GPtrArray *
teren_form_rules_compute (const char  *kind,
                          JsonObject  *values,
                          const GDate *today)
{
  return teren_form_rules_compute_with_data (kind, values, today, NULL);
}

GPtrArray *
teren_form_rules_compute_with_data (const char               *kind,
                                    JsonObject               *values,
                                    const GDate              *today,
                                    const TerenFormRulesData *data)
{
  guint i;

  g_return_val_if_fail (values != NULL, NULL);
  g_return_val_if_fail (today != NULL, NULL);

  for (i = 0; i < G_N_ELEMENTS (compute_rules); i++)
    if (g_strcmp0 (compute_rules[i].kind, kind) == 0)
      return compute_rules[i].func (values, today, data);
  return g_ptr_array_new ();
}

/* Store data */

char *
teren_form_rules_data_key (const char *kind,
                           JsonObject *values)
{
  const char *enrolment;

  if (g_strcmp0 (kind, "school_health.screening") == 0)
    {
      const char *pupil = teren_json_get_string (values, "person", NULL);

      return g_strconcat (BMI_DATA_PREFIX, pupil != NULL ? pupil : "", NULL);
    }
  if (g_strcmp0 (kind, "creche.contribution") != 0)
    return NULL;
  enrolment = teren_json_get_string (values, "enrolment", NULL);
  return g_strdup (enrolment != NULL ? enrolment : "");
}

void
teren_form_rules_data_free (TerenFormRulesData *data)
{
  if (data == NULL)
    return;
  g_free (data->key);
  g_clear_pointer (&data->enrolment, json_object_unref);
  g_clear_pointer (&data->rules, g_ptr_array_unref);
  g_free (data->pupil_sex);
  g_free (data->pupil_birth_date);
  g_clear_pointer (&data->bmi_reference, teren_bmi_reference_free);
  g_free (data);
}

const char *
teren_form_rules_data_get_key (const TerenFormRulesData *data)
{
  return data != NULL ? data->key : NULL;
}

/* On a worker thread, for a screening exam: the pupil's sex and birth date and the WHO
 * BMI-for-age table, when the admin imported one (rows that do not parse are skipped: the
 * class is then not computed for that age, never guessed). */
static TerenFormRulesData *
load_bmi_data (TerenStore  *store,
               const char  *key,
               GError     **error)
{
  TerenFormRulesData *data = g_new0 (TerenFormRulesData, 1);
  const char *pupil = key + strlen (BMI_DATA_PREFIX);
  g_autoptr(GPtrArray) rows = NULL;
  guint i;

  data->key = g_strdup (key);
  data->rules = g_ptr_array_new_with_free_func (g_object_unref);
  rows = teren_store_nomenclature_list (store, TEREN_BMI_REFERENCE_KIND, error);
  if (rows == NULL)
    {
      teren_form_rules_data_free (data);
      return NULL;
    }
  if (rows->len > 0)
    {
      data->bmi_reference = teren_bmi_reference_new ();
      for (i = 0; i < rows->len; i++)
        teren_bmi_reference_add_item (data->bmi_reference, g_ptr_array_index (rows, i), NULL);
    }
  if (pupil[0] != '\0')
    {
      g_autoptr(TerenRecord) person = teren_store_get_record (store, pupil, NULL);

      if (person != NULL && !teren_record_get_deleted (person))
        {
          data->pupil_sex = g_strdup (teren_record_get_string (person, "sex"));
          data->pupil_birth_date = g_strdup (teren_record_get_string (person, "birth_date"));
        }
    }
  return data;
}

/* On a worker thread: the enrolment @user_data names and the rule table (a few rows a
 * year), or the screening exam's data. */
static gpointer
load_data_func (TerenStore  *store,
                gpointer     user_data,
                GError     **error)
{
  const char *key = user_data;
  TerenFormRulesData *data;
  g_autoptr(GPtrArray) ids = NULL;
  guint i;

  if (g_str_has_prefix (key, BMI_DATA_PREFIX))
    return load_bmi_data (store, key, error);

  data = g_new0 (TerenFormRulesData, 1);
  data->key = g_strdup (key);
  data->rules = g_ptr_array_new_with_free_func (g_object_unref);
  if (key[0] != '\0')
    {
      g_autoptr(TerenRecord) enrolment = teren_store_get_record (store, key, NULL);

      if (enrolment != NULL && !teren_record_get_deleted (enrolment))
        data->enrolment = json_object_ref (teren_record_get_fields (enrolment));
    }
  ids = teren_store_list_ids (store, "creche.contribution_rule", error);
  if (ids == NULL)
    {
      teren_form_rules_data_free (data);
      return NULL;
    }
  for (i = 0; i < ids->len; i++)
    {
      TerenRecord *rule = teren_store_get_record (store, g_ptr_array_index (ids, i), NULL);

      if (rule != NULL)
        g_ptr_array_add (data->rules, rule);
    }
  return data;
}

void
teren_form_rules_load_data_async (TerenStore          *store,
                                  const char          *key,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  teren_gui_store_call_async (store, load_data_func, g_strdup (key), g_free,
                              (GDestroyNotify) teren_form_rules_data_free, cancellable, callback, user_data);
}

TerenFormRulesData *
teren_form_rules_load_data_finish (GAsyncResult  *result,
                                   GError       **error)
{
  return teren_gui_store_call_finish (result, error);
}

