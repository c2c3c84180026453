/* teren-catagrafie.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "teren-catagrafie.h"
#include "teren-date.h"
#include "teren-error.h"
#include "teren-nomenclature.h"
#include "teren-schema.h"

static const char * const status_codes[] = {
  [TEREN_AMC_STATUS_REGISTERED] = "registered",
  [TEREN_AMC_STATUS_CATAGRAFIED] = "catagrafied",
  [TEREN_AMC_STATUS_ACTIVE] = "active",
  [TEREN_AMC_STATUS_INACTIVE] = "inactive",
  [TEREN_AMC_STATUS_REMOVED] = "removed",
};

const char *
teren_amc_status_to_code (TerenAmcStatus status)
{
  g_return_val_if_fail ((guint) status < G_N_ELEMENTS (status_codes), NULL);

  return status_codes[status];
}

gboolean
teren_amc_status_from_code (const char     *code,
                            TerenAmcStatus *out_status)
{
  guint i;

  for (i = 0; code != NULL && i < G_N_ELEMENTS (status_codes); i++)
    if (strcmp (status_codes[i], code) == 0)
      {
        if (out_status != NULL)
          *out_status = (TerenAmcStatus) i;
        return TRUE;
      }

  return FALSE;
}

static gboolean
check_reason (const char  *nomenclature,
              const char  *reason,
              const char  *missing_message,
              GError     **error)
{
  if (reason == NULL || reason[0] == '\0')
    {
      g_set_error_literal (error, TEREN_ERROR, TEREN_ERROR_INVALID, missing_message);
      return FALSE;
    }
  if (!teren_nomenclature_has_code (teren_nomenclature_lookup (nomenclature), reason))
    {
      g_set_error_literal (error, TEREN_ERROR, TEREN_ERROR_INVALID,
                           _("The reason is not in its list"));
      return FALSE;
    }

  return TRUE;
}

gboolean
teren_amc_status_transition (TerenAmcStatus   from,
                             TerenAmcEvent    event,
                             const char      *reason,
                             TerenAmcStatus  *out_to,
                             GError         **error)
{
  TerenAmcStatus to = from;

  g_return_val_if_fail (out_to != NULL, FALSE);

  if (from == TEREN_AMC_STATUS_REMOVED)
    {
      g_set_error_literal (error, TEREN_ERROR, TEREN_ERROR_INVALID,
                           _("The beneficiary was removed from the register and receives no more services"));
      return FALSE;
    }

  switch (event)
    {
    case TEREN_AMC_EVENT_CATAGRAFIE:
      if (from == TEREN_AMC_STATUS_REGISTERED)
        to = TEREN_AMC_STATUS_CATAGRAFIED;
      break;

    case TEREN_AMC_EVENT_INTERVENTION:
      to = TEREN_AMC_STATUS_ACTIVE;
      break;

    case TEREN_AMC_EVENT_INACTIVATE:
      if (from == TEREN_AMC_STATUS_INACTIVE)
        {
          g_set_error_literal (error, TEREN_ERROR, TEREN_ERROR_INVALID,
                               _("The beneficiary is already inactive"));
          return FALSE;
        }
      if (!check_reason ("amc_inactivation_reason", reason,
                         _("An inactive beneficiary needs an inactivation reason"), error))
        return FALSE;
      to = TEREN_AMC_STATUS_INACTIVE;
      break;

    case TEREN_AMC_EVENT_REACTIVATE:
      if (from != TEREN_AMC_STATUS_INACTIVE)
        {
          g_set_error_literal (error, TEREN_ERROR, TEREN_ERROR_INVALID,
                               _("Only an inactive beneficiary can be reactivated"));
          return FALSE;
        }
      to = TEREN_AMC_STATUS_ACTIVE;
      break;

    case TEREN_AMC_EVENT_REMOVE:
      if (!check_reason ("removal_reason", reason,
                         _("Removing a beneficiary from the register needs a reason"), error))
        return FALSE;
      to = TEREN_AMC_STATUS_REMOVED;
      break;

    default:
      g_return_val_if_reached (FALSE);
    }

  *out_to = to;
  return TRUE;
}

JsonObject *
teren_amc_beneficiary_patch (TerenRecord     *beneficiary,
                             TerenAmcEvent    event,
                             const char      *reason,
                             const GDate     *today,
                             GError         **error)
{
  g_autoptr(JsonObject) patch = json_object_new ();
  TerenAmcStatus from, to;
  const char *code;
  char iso[16];
  GDate now;

  g_return_val_if_fail (TEREN_IS_RECORD (beneficiary), NULL);

  code = teren_record_get_string (beneficiary, "status");
  if (code == NULL)
    from = TEREN_AMC_STATUS_REGISTERED;
  else if (!teren_amc_status_from_code (code, &from))
    {
      g_set_error_literal (error, TEREN_ERROR, TEREN_ERROR_INVALID,
                           _("The beneficiary’s status is not in its list"));
      return NULL;
    }

  if (!teren_amc_status_transition (from, event, reason, &to, error))
    return NULL;
  if (to == from)
    return g_steal_pointer (&patch);

  if (today != NULL && g_date_valid (today))
    now = *today;
  else
    teren_date_today (&now);
  g_date_strftime (iso, sizeof iso, "%Y-%m-%d", &now);

  json_object_set_string_member (patch, "status", teren_amc_status_to_code (to));
  json_object_set_string_member (patch, "status_changed_on", iso);
  if (to == TEREN_AMC_STATUS_INACTIVE)
    json_object_set_string_member (patch, "inactivation_reason", reason);
  else
    json_object_set_null_member (patch, "inactivation_reason");
  if (to == TEREN_AMC_STATUS_REMOVED)
    json_object_set_string_member (patch, "removal_reason", reason);

  return g_steal_pointer (&patch);
}

gboolean
teren_age_years (const GDate *birth,
                 const GDate *on,
                 int         *out_years)
{
  int years;

  g_return_val_if_fail (birth != NULL && on != NULL && out_years != NULL, FALSE);

  if (g_date_compare (birth, on) > 0)
    return FALSE;

  years = (int) g_date_get_year (on) - (int) g_date_get_year (birth);
  if (g_date_get_month (on) < g_date_get_month (birth) ||
      (g_date_get_month (on) == g_date_get_month (birth) &&
       g_date_get_day (on) < g_date_get_day (birth)))
    years--;

  *out_years = years;
  return TRUE;
}

const char *
teren_amc_age_category (const GDate *birth,
                        const GDate *on,
                        gboolean     newborn)
{
  int years;

  if (!teren_age_years (birth, on, &years))
    return NULL;

  if (years < 1)
    {
      if (newborn && g_date_days_between (birth, on) <= 27)
        return "VCV_00";
      return "VCV_01";
    }
  if (years < 5)
    return "VCV_02";
  if (years < 14)
    return "VCV_03";
  if (years < 18)
    return "VCV_04";
  if (years < 65)
    return "VCV_05";
  return "VCV_06";
}

gboolean
teren_catagrafie_is_pregnancy (const char *rep_code)
{
  return g_strcmp0 (rep_code, "VGR_01") == 0 || g_strcmp0 (rep_code, "VGR_04") == 0;
}

gboolean
teren_amc_code_is_vulnerability (const char *code)
{
  if (code == NULL || code[0] == '\0')
    return FALSE;

  return !g_str_has_suffix (code, "_97") && !g_str_has_suffix (code, "_98") &&
         !g_str_has_suffix (code, "_99");
}

/* Multi-choice categories and their "nothing observed" code. */
static const struct {
  const char *key;
  const char *nomenclature;
  const char *none;
} multi_categories[] = {
  { "cat_liv", "amc_liv", "VLP_99" },
  { "cat_fam", "amc_fam", "VFCA_99" },
  { "cat_vif", "amc_vif", "VFV_99" },
  { "cat_cr", "amc_cr", "VCR_99" },
  { "cat_ns", "amc_ns", "VNS_99" },
  { "cat_ssa", "amc_ssa", "VSC_99" },
  { "cat_preg", "amc_preg", "VGR_97" },
};

const char *
teren_amc_none_code (const char *nomenclature)
{
  guint i;

  for (i = 0; nomenclature != NULL && i < G_N_ELEMENTS (multi_categories); i++)
    if (strcmp (multi_categories[i].nomenclature, nomenclature) == 0)
      return multi_categories[i].none;

  return NULL;
}

static const char * const single_keys[] = {
  "cat_age", "cat_id", "cat_inc", "cat_pov", "cat_edu", "cat_as", "cat_mf", "cat_rep",
};

static void
add_code (GHashTable *set,
          const char *code)
{
  if (code != NULL && code[0] != '\0')
    g_hash_table_add (set, g_strdup (code));
}

static const char *
member_string (JsonObject *object,
               const char *key)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, key))
    return NULL;
  node = json_object_get_member (object, key);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/* -1 absent or not a boolean, else 0/1. */
static int
member_bool (JsonObject *object,
             const char *key)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, key))
    return -1;
  node = json_object_get_member (object, key);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return -1;

  return json_node_get_boolean (node) ? 1 : 0;
}

static JsonArray *
member_array (JsonObject *object,
              const char *key)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, key))
    return NULL;
  node = json_object_get_member (object, key);

  return JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GPtrArray *
teren_catagrafie_codes (JsonObject *catagrafie,
                        GPtrArray  *disabilities,
                        GPtrArray  *diseases)
{
  g_autoptr(GHashTable) set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *codes = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key;
  guint i, j;

  for (i = 0; i < G_N_ELEMENTS (single_keys); i++)
    add_code (set, member_string (catagrafie, single_keys[i]));

  for (i = 0; i < G_N_ELEMENTS (multi_categories); i++)
    {
      JsonArray *array = member_array (catagrafie, multi_categories[i].key);

      for (j = 0; array != NULL && j < json_array_get_length (array); j++)
        {
          JsonNode *node = json_array_get_element (array, j);

          if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
            add_code (set, json_node_get_string (node));
        }
    }

  if (member_bool (catagrafie, "is_social_case") == 1)
    add_code (set, "VCS_01");
  if (member_bool (catagrafie, "has_disabilities") == 0)
    add_code (set, "VDH_99");
  if (member_bool (catagrafie, "has_health_issues") == 0)
    add_code (set, "VSG_99");

  if (member_bool (catagrafie, "has_disabilities") != 0)
    for (i = 0; disabilities != NULL && i < disabilities->len; i++)
      {
        JsonObject *disability = g_ptr_array_index (disabilities, i);

        add_code (set, member_string (disability, "type"));
        add_code (set, member_string (disability, "degree"));
        add_code (set, member_bool (disability, "has_certificate") == 1 ? "VDH_01" : "VDH_02");
      }

  if (member_bool (catagrafie, "has_health_issues") != 0)
    for (i = 0; diseases != NULL && i < diseases->len; i++)
      {
        JsonObject *disease = g_ptr_array_index (diseases, i);

        add_code (set, member_string (disease, "type"));
        add_code (set, member_string (disease, "category"));
      }

  g_hash_table_iter_init (&iter, set);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (codes, g_strdup (key));
  g_ptr_array_sort (codes, compare_strings);

  return codes;
}

static void
add_error (GPtrArray  *errors,
           const char *field,
           const char *code,
           const char *message)
{
  g_ptr_array_add (errors, teren_field_error_new (field, code, message));
}

void
teren_catagrafie_check_fields (JsonObject *fields,
                               GPtrArray  *errors)
{
  JsonArray *preg;
  guint i, j;

  g_return_if_fail (errors != NULL);

  for (i = 0; i < G_N_ELEMENTS (multi_categories); i++)
    {
      JsonArray *array = member_array (fields, multi_categories[i].key);
      gboolean has_none = FALSE;
      guint n_codes = 0;

      for (j = 0; array != NULL && j < json_array_get_length (array); j++)
        {
          JsonNode *node = json_array_get_element (array, j);

          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
            continue;
          n_codes++;
          if (strcmp (json_node_get_string (node), multi_categories[i].none) == 0)
            has_none = TRUE;
        }

      if (has_none && n_codes > 1)
        add_error (errors, multi_categories[i].key, "exclusive_choice",
                   _("“Nothing observed” cannot be chosen together with other answers"));
    }

  preg = member_array (fields, "cat_preg");
  if (preg != NULL && json_array_get_length (preg) > 0 &&
      json_object_has_member (fields, "cat_rep") &&
      !teren_catagrafie_is_pregnancy (member_string (fields, "cat_rep")))
    add_error (errors, "cat_preg", "not_applicable",
               _("Pregnancy answers are only for a pregnant woman"));
}

JsonObject *
teren_catagrafie_new_version (TerenRecord *previous,
                              const char  *person_id,
                              const char  *birth_date,
                              const GDate *on)
{
  JsonObject *fields = json_object_new ();
  const char *category = NULL;
  char iso[16];
  GDate birth;

  g_return_val_if_fail (person_id != NULL && on != NULL && g_date_valid (on), fields);

  if (previous != NULL)
    {
      JsonObject *old = teren_record_get_fields (previous);
      GList *members = json_object_get_members (old);
      GList *l;

      for (l = members; l != NULL; l = l->next)
        {
          const char *key = l->data;

          /* Answers travel; identity, dates and the chain are set below. */
          if (g_str_has_prefix (key, "cat_") || strcmp (key, "is_social_case") == 0 ||
              strcmp (key, "has_disabilities") == 0 || strcmp (key, "has_health_issues") == 0)
            json_object_set_member (fields, key, json_node_copy (json_object_get_member (old, key)));
        }
      g_list_free (members);

      json_object_set_string_member (fields, "previous", teren_record_get_id (previous));
      json_object_set_int_member (fields, "version",
                                  MAX (teren_record_get_int (previous, "version"), 1) + 1);
    }
  else
    json_object_set_int_member (fields, "version", 1);

  json_object_set_string_member (fields, "person", person_id);
  g_date_strftime (iso, sizeof iso, "%Y-%m-%d", on);
  json_object_set_string_member (fields, "evaluation_date", iso);

  if (birth_date != NULL && teren_date_parse (birth_date, &birth))
    category = teren_amc_age_category (&birth, on, TRUE);
  if (category != NULL)
    json_object_set_string_member (fields, "cat_age", category);

  return fields;
}

TerenRecord *
teren_catagrafie_latest (GPtrArray   *catagrafii,
                         const char  *person_id,
                         const GDate *on)
{
  TerenRecord *best = NULL;
  const char *best_date = NULL;
  char limit[16] = "";
  guint i;

  g_return_val_if_fail (catagrafii != NULL && person_id != NULL, NULL);

  if (on != NULL && g_date_valid (on))
    g_date_strftime (limit, sizeof limit, "%Y-%m-%d", on);

  for (i = 0; i < catagrafii->len; i++)
    {
      TerenRecord *record = g_ptr_array_index (catagrafii, i);
      const char *date = teren_record_get_string (record, "evaluation_date");
      int cmp;

      if (teren_record_get_deleted (record) || date == NULL ||
          g_strcmp0 (teren_record_get_string (record, "person"), person_id) != 0)
        continue;
      if (limit[0] != '\0' && strcmp (date, limit) > 0)
        continue;

      cmp = best_date == NULL ? 1 : strcmp (date, best_date);
      if (cmp > 0 ||
          (cmp == 0 && teren_record_get_int (record, "version") > teren_record_get_int (best, "version")))
        {
          best = record;
          best_date = date;
        }
    }

  return best;
}
