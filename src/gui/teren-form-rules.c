/* teren-form-rules.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "teren-bmi.h"
#include "teren-catagrafie.h"
#include "teren-date.h"
#include "teren-form-rules.h"
#include "teren-json.h"
#include "teren-lifecycle.h"

typedef gboolean (*AppliesFunc) (JsonObject *values, const char *arg_key, const char *arg_value);

/* A field of a kind applies when func (values, arg_key, arg_value) holds. */
typedef struct {
  const char  *kind;
  const char  *key;
  AppliesFunc  func;
  const char  *arg_key;
  const char  *arg_value;
} VisibilityRule;

typedef GPtrArray *(*ComputeFunc) (JsonObject *values, const GDate *today);

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
compute_creche_group (JsonObject  *values,
                      const GDate *today)
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
compute_late_notice (JsonObject  *values,
                     const GDate *today)
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
compute_bmi (JsonObject  *values,
             const GDate *today)
{
  GPtrArray *changed = g_ptr_array_new ();
  g_autoptr(JsonNode) before = NULL;
  JsonNode *after;

  if (json_object_has_member (values, "bmi"))
    before = json_node_copy (json_object_get_member (values, "bmi"));
  /* No reference table in the form: the percentile class is computed on the server
   * side of the import; only the BMI is filled here. */
  teren_bmi_fill_screening (values, NULL, NULL, NULL);
  after = json_object_has_member (values, "bmi") ? json_object_get_member (values, "bmi") : NULL;
  if (after == NULL)
    json_object_set_null_member (values, "bmi");
  after = json_object_get_member (values, "bmi");
  if (before == NULL || !json_node_equal (before, after))
    g_ptr_array_add (changed, (gpointer)"bmi");
  /* The class is left as the user set it. */
  return changed;
}

static GPtrArray *
compute_dependency_degree (JsonObject  *values,
                           const GDate *today)
{
  GPtrArray *changed = g_ptr_array_new ();
  const char *degree = teren_elderly_dependency_degree (values);

  if (degree == NULL)
    return changed;
  set_string (values, "computed_degree", g_strcmp0 (degree, "none") == 0 ? NULL : degree, changed);
  return changed;
}

static const ComputeRule compute_rules[] = {
  { "creche.enrolment", compute_creche_group },
  { "child.parents_abroad", compute_late_notice },
  { "school_health.screening", compute_bmi },
  { "elderly.assessment", compute_dependency_degree },
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
  guint i;

  g_return_val_if_fail (values != NULL, NULL);
  g_return_val_if_fail (today != NULL, NULL);

  for (i = 0; i < G_N_ELEMENTS (compute_rules); i++)
    if (g_strcmp0 (compute_rules[i].kind, kind) == 0)
      return compute_rules[i].func (values, today);
  return g_ptr_array_new ();
}
