/* teren-bmi.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "teren-bmi.h"
#include "teren-date.h"
#include "teren-error.h"

typedef struct {
  double p5;
  double p85;
  double p95;
} Row;

struct _TerenBmiReference {
  GHashTable *rows;   /* "F-61" → Row */
};

double
teren_bmi_compute (double weight_kg,
                   double height_cm)
{
  double metres = height_cm / 100.0;
  double bmi;

  if (!(weight_kg > 0) || !(height_cm > 0))
    return 0;

  bmi = weight_kg / (metres * metres);
  /* One decimal, as written in the exam record. */
  return (double) (gint64) (bmi * 10.0 + 0.5) / 10.0;
}

int
teren_age_months (const GDate *birth,
                  const GDate *on)
{
  int months;

  g_return_val_if_fail (birth != NULL && on != NULL, -1);

  if (g_date_compare (birth, on) > 0)
    return -1;

  months = ((int) g_date_get_year (on) - (int) g_date_get_year (birth)) * 12 +
           ((int) g_date_get_month (on) - (int) g_date_get_month (birth));
  if (g_date_get_day (on) < g_date_get_day (birth))
    months--;

  return months;
}

TerenBmiReference *
teren_bmi_reference_new (void)
{
  TerenBmiReference *reference = g_new0 (TerenBmiReference, 1);

  reference->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return reference;
}

void
teren_bmi_reference_free (TerenBmiReference *reference)
{
  if (reference == NULL)
    return;

  g_hash_table_unref (reference->rows);
  g_free (reference);
}

guint
teren_bmi_reference_get_size (TerenBmiReference *reference)
{
  g_return_val_if_fail (reference != NULL, 0);

  return g_hash_table_size (reference->rows);
}

static gboolean
item_number (JsonObject  *item,
             const char  *key,
             double      *out_value,
             GError     **error)
{
  JsonNode *node = json_object_has_member (item, key) ? json_object_get_member (item, key) : NULL;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE)
        {
          *out_value = json_node_get_double (node);
          return TRUE;
        }
      if (type == G_TYPE_STRING)
        {
          const char *text = json_node_get_string (node);
          char *end = NULL;

          *out_value = g_ascii_strtod (text, &end);
          if (end != text && end != NULL && *end == '\0')
            return TRUE;
        }
    }

  g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID, "%s: not a number", key);
  return FALSE;
}

gboolean
teren_bmi_reference_add_item (TerenBmiReference *reference,
                              JsonObject        *item,
                              GError           **error)
{
  const char *sex = NULL;
  double months;
  Row row;
  JsonNode *node;

  g_return_val_if_fail (reference != NULL && item != NULL, FALSE);

  node = json_object_has_member (item, "sex") ? json_object_get_member (item, "sex") : NULL;
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    sex = json_node_get_string (node);
  if (g_strcmp0 (sex, "F") != 0 && g_strcmp0 (sex, "M") != 0)
    {
      g_set_error_literal (error, TEREN_ERROR, TEREN_ERROR_INVALID, "sex: F or M expected");
      return FALSE;
    }

  if (!item_number (item, "age_months", &months, error) ||
      !item_number (item, "p5", &row.p5, error) ||
      !item_number (item, "p85", &row.p85, error) ||
      !item_number (item, "p95", &row.p95, error))
    return FALSE;

  if (months < 0 || months > 300 || months != (double) (int) months)
    {
      g_set_error_literal (error, TEREN_ERROR, TEREN_ERROR_INVALID, "age_months: 0–300 whole months expected");
      return FALSE;
    }
  if (!(row.p5 > 0 && row.p5 < row.p85 && row.p85 < row.p95))
    {
      g_set_error_literal (error, TEREN_ERROR, TEREN_ERROR_INVALID, "p5, p85, p95: increasing BMI values expected");
      return FALSE;
    }

  g_hash_table_insert (reference->rows, g_strdup_printf ("%s-%d", sex, (int) months),
                       g_memdup2 (&row, sizeof row));
  return TRUE;
}

const char *
teren_bmi_for_age_class (TerenBmiReference *reference,
                         const char        *sex,
                         int                age_months,
                         double             bmi)
{
  g_autofree char *key = NULL;
  const Row *row;

  if (reference == NULL || !(bmi > 0) || age_months < 0 ||
      (g_strcmp0 (sex, "F") != 0 && g_strcmp0 (sex, "M") != 0))
    return NULL;

  key = g_strdup_printf ("%s-%d", sex, age_months);
  row = g_hash_table_lookup (reference->rows, key);
  if (row == NULL)
    return NULL;

  if (bmi < row->p5)
    return "underweight";
  if (bmi < row->p85)
    return "normal";
  if (bmi < row->p95)
    return "overweight";
  return "obese";
}

static gboolean
fields_number (JsonObject *fields,
               const char *key,
               double     *out_value)
{
  JsonNode *node = json_object_has_member (fields, key) ? json_object_get_member (fields, key) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) != G_TYPE_INT64 && json_node_get_value_type (node) != G_TYPE_DOUBLE))
    return FALSE;

  *out_value = json_node_get_double (node);
  return TRUE;
}

void
teren_bmi_fill_screening (JsonObject        *fields,
                          const char        *birth_date,
                          const char        *sex,
                          TerenBmiReference *reference)
{
  const char *bmi_class = NULL;
  double height, weight, bmi = 0;
  GDate birth, on;

  g_return_if_fail (fields != NULL);

  if (fields_number (fields, "height", &height) && fields_number (fields, "weight", &weight))
    bmi = teren_bmi_compute (weight, height);

  if (bmi > 0)
    json_object_set_double_member (fields, "bmi", bmi);
  else if (json_object_has_member (fields, "bmi"))
    json_object_set_null_member (fields, "bmi");

  if (bmi > 0 && birth_date != NULL && teren_date_parse (birth_date, &birth) &&
      json_object_has_member (fields, "date") &&
      teren_date_parse (json_object_get_string_member (fields, "date"), &on))
    bmi_class = teren_bmi_for_age_class (reference, sex, teren_age_months (&birth, &on), bmi);

  if (bmi_class != NULL)
    json_object_set_string_member (fields, "bmi_class", bmi_class);
  else if (json_object_has_member (fields, "bmi_class"))
    json_object_set_null_member (fields, "bmi_class");
}
