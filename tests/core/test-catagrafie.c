/* test-catagrafie.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "teren-catagrafie.h"
#include "teren-error.h"
#include "teren-line.h"
#include "teren-nomenclature.h"
#include "teren-schema.h"

/* Community medical assistance: the official codes, the beneficiary status flow, the
 * catagrafie's derived codes, versions and checks. */

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);
  JsonObject *object;

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  object = json_object_ref (json_node_get_object (node));
  json_node_unref (node);
  return object;
}

static TerenRecord *
make_record (const char *id,
             const char *kind,
             const char *json)
{
  g_autoptr(JsonObject) fields = parse_object (json);

  return teren_record_new_full (id, kind, "community_health", 1, fields, FALSE,
                                "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", "nurse", "nurse");
}

static void
set_date (GDate *date,
          int    year,
          int    month,
          int    day)
{
  g_date_clear (date, 1);
  g_date_set_dmy (date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
}

static gboolean
has_error (GPtrArray  *errors,
           const char *field,
           const char *code)
{
  guint i;

  for (i = 0; i < errors->len; i++)
    {
      TerenFieldError *error = g_ptr_array_index (errors, i);

      if (strcmp (error->field, field) == 0 && strcmp (error->code, code) == 0)
        return TRUE;
    }

  return FALSE;
}

/* The official codes of DOMAIN.md §7, exactly. */
static void
test_official_codes (void)
{
  static const struct {
    const char *nomenclature;
    guint       n_items;
    const char *first;
    const char *last;
  } expected[] = {
    { "amc_age", 7, "VCV_00", "VCV_06" },
    { "amc_id", 3, "VAI_01", "VAI_99" },
    { "amc_inc", 4, "VSV_01", "VSV_99" },
    { "amc_pov", 3, "VGS_01", "VGS_99" },
    { "amc_liv", 4, "VLP_01", "VLP_99" },
    { "amc_fam", 13, "VFA_01", "VFCA_99" },
    { "amc_edu", 9, "VEA_01", "VECA_99" },
    { "amc_vif", 5, "VFV_01", "VFV_99" },
    { "amc_as", 3, "VSA_01", "VSA_99" },
    { "amc_mf", 2, "VSA_02", "VSA_97" },
    { "amc_diz", 3, "VDH_01", "VDH_99" },
    { "amc_disability_degree", 4, "VDG_01", "VDG_04" },
    { "amc_disability_type", 10, "VDT_01", "VDT_10" },
    { "amc_cr", 8, "VCR_01", "VCR_99" },
    { "amc_ns", 9, "VNS_01", "VNS_99" },
    { "amc_ssa", 12, "VSC_01", "VSC_99" },
    { "amc_ss", 3, "VSG_01", "VSG_99" },
    { "amc_disease_group", 22, "VSG_AD", "VSG_TMC" },
    { "amc_rep", 13, "VGR_01", "VGR_99" },
    { "amc_preg", 6, "VGR_05", "VGR_97" },
    { "amc_service", 115, "SIC_01", "SAN_03" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const TerenNomenclature *list = teren_nomenclature_lookup (expected[i].nomenclature);

      g_assert_nonnull (list);
      g_assert_cmpuint (list->n_items, ==, expected[i].n_items);
      g_assert_cmpstr (list->items[0].code, ==, expected[i].first);
      g_assert_cmpstr (list->items[list->n_items - 1].code, ==, expected[i].last);
    }

  /* Codes the reports rely on, and gaps that are the platform's own. */
  g_assert_true (teren_nomenclature_has_code (teren_nomenclature_lookup ("amc_service"), "SNF_11"));
  g_assert_true (teren_nomenclature_has_code (teren_nomenclature_lookup ("amc_service"), "SES_18"));
  g_assert_false (teren_nomenclature_has_code (teren_nomenclature_lookup ("amc_service"), "SMT_13"));
  g_assert_true (teren_nomenclature_has_code (teren_nomenclature_lookup ("amc_vulnerability"), "VCS_01"));
  g_assert_true (teren_nomenclature_has_code (teren_nomenclature_lookup ("amc_vulnerability"), "VSG_TB"));
  g_assert_false (teren_nomenclature_has_code (teren_nomenclature_lookup ("amc_disease_type"), "VSG_99"));
  g_assert_cmpstr (teren_nomenclature_get_label (teren_nomenclature_lookup ("amc_age"), "VCV_06"), ==,
                   "Elderly over 65 years");
}

/* Every health kind is well formed: its line, its nomenclatures and references exist,
 * health answers are special-category data. */
static void
test_health_kinds (void)
{
  static const char * const lines[] = { "community_health", "school_health", "disability" };
  const TerenKindDef * const *kinds;
  guint n_kinds, i, j, n_health = 0;

  kinds = teren_schema_list_kinds (&n_kinds);
  for (i = 0; i < n_kinds; i++)
    {
      const TerenKindDef *kind = kinds[i];
      gboolean health = FALSE;

      for (j = 0; j < G_N_ELEMENTS (lines); j++)
        health = health || g_str_has_prefix (kind->name, lines[j]);
      if (!health)
        continue;

      n_health++;
      g_assert_nonnull (kind->line);
      g_assert_true (teren_line_is_valid (kind->line));
      g_assert_true (g_str_has_prefix (kind->name, kind->line));
      g_assert_true (teren_kind_accepts_line (kind, kind->line));
      g_assert_false (teren_kind_accepts_line (kind, ""));

      for (j = 0; j < kind->n_fields; j++)
        {
          const TerenFieldDef *field = &kind->fields[j];

          if (field->type == TEREN_FIELD_CHOICE || field->type == TEREN_FIELD_MULTI_CHOICE)
            g_assert_nonnull (teren_nomenclature_lookup (field->nomenclature));
          if (field->type == TEREN_FIELD_REFERENCE)
            g_assert_nonnull (teren_schema_lookup_kind (field->ref_kind));
          if (strcmp (field->key, "diagnosis") == 0 || g_str_has_prefix (field->key, "cat_"))
            g_assert_cmpint (field->sensitivity, !=, TEREN_SENSITIVITY_NORMAL);
        }
    }

  g_assert_cmpuint (n_health, ==, 32);
}

/* Every health kind has its form, listed in the resource bundle the form framework loads
 * it from (/ro/daps/Teren/forms/<line>/<name>.ui). */
static void
test_health_forms (void)
{
  const char *root = g_getenv ("TEREN_SOURCE_ROOT");
  const TerenKindDef * const *kinds;
  g_autofree char *manifest_path = NULL;
  g_autofree char *manifest = NULL;
  guint n_kinds, i, n_forms = 0;

  if (root == NULL)
    {
      g_test_skip ("TEREN_SOURCE_ROOT is not set");
      return;
    }

  manifest_path = g_build_filename (root, "ui", "teren.gresource.xml", NULL);
  g_assert_true (g_file_get_contents (manifest_path, &manifest, NULL, NULL));

  kinds = teren_schema_list_kinds (&n_kinds);
  for (i = 0; i < n_kinds; i++)
    {
      const TerenKindDef *kind = kinds[i];
      const char *dot = strchr (kind->name, '.');
      g_autofree char *file = NULL;
      g_autofree char *path = NULL;
      g_autofree char *entry = NULL;

      if (kind->line == NULL || dot == NULL ||
          (strcmp (kind->line, "community_health") != 0 && strcmp (kind->line, "school_health") != 0 &&
           strcmp (kind->line, "disability") != 0))
        continue;

      file = g_strdup_printf ("%s.ui", dot + 1);
      path = g_build_filename (root, "ui", "forms", kind->line, file, NULL);
      entry = g_strdup_printf (">forms/%s/%s<", kind->line, file);
      g_test_message ("%s", path);
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
      g_assert_nonnull (strstr (manifest, entry));
      n_forms++;
    }

  g_assert_cmpuint (n_forms, ==, 32);
}

static void
test_status_flow (void)
{
  static const struct {
    TerenAmcStatus from;
    TerenAmcEvent  event;
    const char    *reason;
    gboolean       ok;
    TerenAmcStatus to;
  } cases[] = {
    { TEREN_AMC_STATUS_REGISTERED, TEREN_AMC_EVENT_CATAGRAFIE, NULL, TRUE, TEREN_AMC_STATUS_CATAGRAFIED },
    { TEREN_AMC_STATUS_CATAGRAFIED, TEREN_AMC_EVENT_CATAGRAFIE, NULL, TRUE, TEREN_AMC_STATUS_CATAGRAFIED },
    { TEREN_AMC_STATUS_ACTIVE, TEREN_AMC_EVENT_CATAGRAFIE, NULL, TRUE, TEREN_AMC_STATUS_ACTIVE },
    { TEREN_AMC_STATUS_CATAGRAFIED, TEREN_AMC_EVENT_INTERVENTION, NULL, TRUE, TEREN_AMC_STATUS_ACTIVE },
    { TEREN_AMC_STATUS_REGISTERED, TEREN_AMC_EVENT_INTERVENTION, NULL, TRUE, TEREN_AMC_STATUS_ACTIVE },
    { TEREN_AMC_STATUS_INACTIVE, TEREN_AMC_EVENT_INTERVENTION, NULL, TRUE, TEREN_AMC_STATUS_ACTIVE },
    { TEREN_AMC_STATUS_ACTIVE, TEREN_AMC_EVENT_INACTIVATE, "refuses_services", TRUE, TEREN_AMC_STATUS_INACTIVE },
    { TEREN_AMC_STATUS_ACTIVE, TEREN_AMC_EVENT_INACTIVATE, NULL, FALSE, 0 },
    { TEREN_AMC_STATUS_ACTIVE, TEREN_AMC_EVENT_INACTIVATE, "", FALSE, 0 },
    { TEREN_AMC_STATUS_ACTIVE, TEREN_AMC_EVENT_INACTIVATE, "bored", FALSE, 0 },
    { TEREN_AMC_STATUS_INACTIVE, TEREN_AMC_EVENT_INACTIVATE, "other", FALSE, 0 },
    { TEREN_AMC_STATUS_INACTIVE, TEREN_AMC_EVENT_REACTIVATE, NULL, TRUE, TEREN_AMC_STATUS_ACTIVE },
    { TEREN_AMC_STATUS_ACTIVE, TEREN_AMC_EVENT_REACTIVATE, NULL, FALSE, 0 },
    { TEREN_AMC_STATUS_ACTIVE, TEREN_AMC_EVENT_REMOVE, "moved_abroad", TRUE, TEREN_AMC_STATUS_REMOVED },
    { TEREN_AMC_STATUS_INACTIVE, TEREN_AMC_EVENT_REMOVE, "died_at_home", TRUE, TEREN_AMC_STATUS_REMOVED },
    { TEREN_AMC_STATUS_ACTIVE, TEREN_AMC_EVENT_REMOVE, NULL, FALSE, 0 },
    { TEREN_AMC_STATUS_ACTIVE, TEREN_AMC_EVENT_REMOVE, "refuses_services", FALSE, 0 },
    { TEREN_AMC_STATUS_REMOVED, TEREN_AMC_EVENT_INTERVENTION, NULL, FALSE, 0 },
    { TEREN_AMC_STATUS_REMOVED, TEREN_AMC_EVENT_CATAGRAFIE, NULL, FALSE, 0 },
    { TEREN_AMC_STATUS_REMOVED, TEREN_AMC_EVENT_REACTIVATE, NULL, FALSE, 0 },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      TerenAmcStatus to = 99;
      gboolean ok = teren_amc_status_transition (cases[i].from, cases[i].event, cases[i].reason, &to, &error);

      g_test_message ("case %u", i);
      g_assert_cmpint (ok, ==, cases[i].ok);
      if (ok)
        {
          g_assert_no_error (error);
          g_assert_cmpint (to, ==, cases[i].to);
        }
      else
        {
          g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
          g_assert_cmpint (to, ==, 99);   /* untouched */
        }
    }

  for (i = TEREN_AMC_STATUS_REGISTERED; i <= TEREN_AMC_STATUS_REMOVED; i++)
    {
      TerenAmcStatus back;

      g_assert_true (teren_amc_status_from_code (teren_amc_status_to_code (i), &back));
      g_assert_cmpint (back, ==, i);
      g_assert_true (teren_nomenclature_has_code (teren_nomenclature_lookup ("amc_beneficiary_status"),
                                                  teren_amc_status_to_code (i)));
    }
  g_assert_false (teren_amc_status_from_code ("catagrafiat", NULL));
}

static void
test_beneficiary_patch (void)
{
  g_autoptr(TerenRecord) beneficiary =
    make_record ("b0000000-0000-4000-8000-000000000001", TEREN_AMC_BENEFICIARY_KIND,
                 "{\"person\":\"p0000000-0000-4000-8000-000000000001\",\"type\":\"regular\","
                 "\"status\":\"registered\",\"registered_on\":\"2026-03-01\"}");
  g_autoptr(JsonObject) patch = NULL;
  g_autoptr(JsonObject) same = NULL;
  g_autoptr(GError) error = NULL;
  GDate today;

  set_date (&today, 2026, 3, 5);
  patch = teren_amc_beneficiary_patch (beneficiary, TEREN_AMC_EVENT_CATAGRAFIE, NULL, &today, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (patch, "status"), ==, "catagrafied");
  g_assert_cmpstr (json_object_get_string_member (patch, "status_changed_on"), ==, "2026-03-05");

  teren_record_set_string (beneficiary, "status", "catagrafied");
  same = teren_amc_beneficiary_patch (beneficiary, TEREN_AMC_EVENT_CATAGRAFIE, NULL, &today, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_object_get_size (same), ==, 0);

  g_clear_pointer (&patch, json_object_unref);
  patch = teren_amc_beneficiary_patch (beneficiary, TEREN_AMC_EVENT_INACTIVATE, "unreachable", &today, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (patch, "status"), ==, "inactive");
  g_assert_cmpstr (json_object_get_string_member (patch, "inactivation_reason"), ==, "unreachable");

  g_clear_pointer (&patch, json_object_unref);
  patch = teren_amc_beneficiary_patch (beneficiary, TEREN_AMC_EVENT_REMOVE, NULL, &today, &error);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
  g_assert_null (patch);
  /* Nothing was changed on the record. */
  g_assert_cmpstr (teren_record_get_string (beneficiary, "status"), ==, "catagrafied");
}

static void
test_age_category (void)
{
  static const struct {
    int         by, bm, bd;
    const char *expected;
    const char *segment;
  } cases[] = {
    { 2026, 6, 30, "VCV_00", "VCV_01" },   /* 0 days */
    { 2026, 6, 3, "VCV_00", "VCV_01" },    /* 27 days */
    { 2026, 6, 2, "VCV_01", "VCV_01" },    /* 28 days */
    { 2025, 7, 1, "VCV_01", "VCV_01" },    /* one day short of 1 year */
    { 2025, 6, 30, "VCV_02", "VCV_02" },   /* 1 year today */
    { 2021, 7, 1, "VCV_02", "VCV_02" },    /* 4 years */
    { 2021, 6, 30, "VCV_03", "VCV_03" },   /* 5 years */
    { 2012, 6, 30, "VCV_04", "VCV_04" },   /* 14 years */
    { 2008, 7, 1, "VCV_04", "VCV_04" },    /* 17 years */
    { 2008, 6, 30, "VCV_05", "VCV_05" },   /* 18 years */
    { 1961, 7, 1, "VCV_05", "VCV_05" },    /* 64 years */
    { 1961, 6, 30, "VCV_06", "VCV_06" },   /* 65 years */
  };
  GDate on, birth;
  guint i;

  set_date (&on, 2026, 6, 30);
  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      set_date (&birth, cases[i].by, cases[i].bm, cases[i].bd);
      g_assert_cmpstr (teren_amc_age_category (&birth, &on, TRUE), ==, cases[i].expected);
      g_assert_cmpstr (teren_amc_age_category (&birth, &on, FALSE), ==, cases[i].segment);
    }

  set_date (&birth, 2026, 7, 1);
  g_assert_null (teren_amc_age_category (&birth, &on, TRUE));
}

static void
test_codes (void)
{
  g_autoptr(JsonObject) catagrafie = parse_object (
    "{\"cat_age\":\"VCV_05\",\"cat_id\":\"VAI_99\",\"cat_liv\":[\"VLP_01\",\"VLP_02\"],"
    "\"cat_rep\":\"VGR_04\",\"cat_preg\":[\"VGR_06\"],\"is_social_case\":true,"
    "\"has_disabilities\":true,\"has_health_issues\":false}");
  g_autoptr(JsonObject) disability = parse_object (
    "{\"type\":\"VDT_01\",\"degree\":\"VDG_04\",\"has_certificate\":true}");
  g_autoptr(JsonObject) disability2 = parse_object ("{\"type\":\"VDT_02\"}");
  g_autoptr(JsonObject) disease = parse_object ("{\"type\":\"VSG_01\",\"category\":\"VSG_TB\"}");
  g_autoptr(GPtrArray) disabilities = g_ptr_array_new ();
  g_autoptr(GPtrArray) diseases = g_ptr_array_new ();
  g_autoptr(GPtrArray) codes = NULL;
  g_autofree char *joined = NULL;

  g_ptr_array_add (disabilities, disability);
  g_ptr_array_add (disabilities, disability2);
  g_ptr_array_add (diseases, disease);

  codes = teren_catagrafie_codes (catagrafie, disabilities, diseases);
  g_ptr_array_add (codes, NULL);
  joined = g_strjoinv (",", (char **) codes->pdata);
  /* No disease codes: has_health_issues is false. */
  g_assert_cmpstr (joined, ==,
                   "VAI_99,VCS_01,VCV_05,VDG_04,VDH_01,VDH_02,VDT_01,VDT_02,VGR_04,VGR_06,VLP_01,VLP_02,VSG_99");

  g_assert_true (teren_amc_code_is_vulnerability ("VLP_01"));
  g_assert_false (teren_amc_code_is_vulnerability ("VLP_99"));
  g_assert_false (teren_amc_code_is_vulnerability ("VSA_97"));
  g_assert_false (teren_amc_code_is_vulnerability ("VSC_98"));
  g_assert_true (teren_catagrafie_is_pregnancy ("VGR_01"));
  g_assert_true (teren_catagrafie_is_pregnancy ("VGR_04"));
  g_assert_false (teren_catagrafie_is_pregnancy ("VGR_08"));
  g_assert_false (teren_catagrafie_is_pregnancy (NULL));
  g_assert_cmpstr (teren_amc_none_code ("amc_fam"), ==, "VFCA_99");
}

static void
test_check_fields (void)
{
  g_autoptr(JsonObject) good = parse_object (
    "{\"cat_liv\":[\"VLP_99\"],\"cat_rep\":\"VGR_04\",\"cat_preg\":[\"VGR_05\",\"VGR_07\"]}");
  g_autoptr(JsonObject) bad = parse_object (
    "{\"cat_liv\":[\"VLP_99\",\"VLP_01\"],\"cat_cr\":[\"VCR_05\",\"VCR_99\"],"
    "\"cat_rep\":\"VGR_10\",\"cat_preg\":[\"VGR_05\"]}");
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func ((GDestroyNotify) teren_field_error_free);

  teren_catagrafie_check_fields (good, errors);
  g_assert_cmpuint (errors->len, ==, 0);

  teren_catagrafie_check_fields (bad, errors);
  g_assert_cmpuint (errors->len, ==, 3);
  g_assert_true (has_error (errors, "cat_liv", "exclusive_choice"));
  g_assert_true (has_error (errors, "cat_cr", "exclusive_choice"));
  g_assert_true (has_error (errors, "cat_preg", "not_applicable"));
}

/* A catagrafie answer code not in the nomenclature is refused by the schema. */
static void
test_schema_rejects_unknown_code (void)
{
  const TerenKindDef *kind = teren_schema_lookup_kind (TEREN_CATAGRAFIE_KIND);
  g_autoptr(JsonObject) fields = parse_object (
    "{\"person\":\"a0000000-0000-4000-8000-000000000001\",\"evaluation_date\":\"2026-03-01\","
    "\"cat_pov\":\"VGS_03\",\"cat_fam\":[\"VFA_01\",\"XYZ_01\"],\"cat_age\":\"VCV_05\"}");
  g_autoptr(GPtrArray) errors = NULL;
  GDate today;

  set_date (&today, 2026, 3, 5);
  g_assert_nonnull (kind);
  g_assert_false (teren_schema_validate (kind, "community_health", fields, TEREN_VALIDATE_COMPLETE,
                                         &today, &errors));
  g_assert_true (has_error (errors, "cat_pov", "unknown_choice"));
  g_assert_true (has_error (errors, "cat_fam", "unknown_choice"));
  g_assert_cmpuint (errors->len, ==, 2);

  /* In another line it does not belong. */
  g_clear_pointer (&errors, g_ptr_array_unref);
  json_object_set_string_member (fields, "cat_pov", "VGS_01");
  json_object_remove_member (fields, "cat_fam");
  g_assert_true (teren_schema_validate (kind, "community_health", fields, TEREN_VALIDATE_COMPLETE,
                                        &today, &errors));
  g_clear_pointer (&errors, g_ptr_array_unref);
  g_assert_false (teren_schema_validate (kind, "child", fields, TEREN_VALIDATE_COMPLETE, &today, &errors));
  g_assert_true (has_error (errors, "", "bad_line"));
}

static void
test_new_version (void)
{
  g_autoptr(TerenRecord) first = NULL;
  g_autoptr(TerenRecord) old = NULL;
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(JsonObject) initial = NULL;
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_object_unref);
  const char *person = "a0000000-0000-4000-8000-000000000001";
  GDate on;

  set_date (&on, 2026, 4, 10);
  initial = teren_catagrafie_new_version (NULL, person, "1990-04-11", &on);
  g_assert_cmpint (json_object_get_int_member (initial, "version"), ==, 1);
  g_assert_false (json_object_has_member (initial, "previous"));
  g_assert_cmpstr (json_object_get_string_member (initial, "cat_age"), ==, "VCV_05");
  g_assert_cmpstr (json_object_get_string_member (initial, "evaluation_date"), ==, "2026-04-10");

  first = make_record ("c0000000-0000-4000-8000-000000000001", TEREN_CATAGRAFIE_KIND,
                       "{\"person\":\"a0000000-0000-4000-8000-000000000001\",\"version\":1,"
                       "\"evaluation_date\":\"2025-01-10\",\"cat_age\":\"VCV_05\",\"cat_pov\":\"VGS_01\","
                       "\"cat_liv\":[\"VLP_02\"],\"has_disabilities\":false,\"notes\":\"old notes\"}");
  fields = teren_catagrafie_new_version (first, person, NULL, &on);
  g_assert_cmpint (json_object_get_int_member (fields, "version"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (fields, "previous"), ==, teren_record_get_id (first));
  g_assert_cmpstr (json_object_get_string_member (fields, "cat_pov"), ==, "VGS_01");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (fields, "cat_liv")), ==, 1);
  g_assert_false (json_object_get_boolean_member (fields, "has_disabilities"));
  g_assert_false (json_object_has_member (fields, "notes"));
  /* Without a birth date the previous age category stays. */
  g_assert_cmpstr (json_object_get_string_member (fields, "cat_age"), ==, "VCV_05");
  /* The previous record is left as it was (history). */
  g_assert_cmpint (teren_record_get_int (first, "version"), ==, 1);

  /* Latest per person and date. */
  old = make_record ("c0000000-0000-4000-8000-000000000002", TEREN_CATAGRAFIE_KIND,
                     "{\"person\":\"a0000000-0000-4000-8000-000000000001\",\"version\":2,"
                     "\"evaluation_date\":\"2026-02-01\"}");
  g_ptr_array_add (all, g_object_ref (first));
  g_ptr_array_add (all, g_object_ref (old));
  g_ptr_array_add (all, make_record ("c0000000-0000-4000-8000-000000000003", TEREN_CATAGRAFIE_KIND,
                                     "{\"person\":\"a0000000-0000-4000-8000-000000000009\","
                                     "\"evaluation_date\":\"2026-03-01\"}"));
  g_assert_true (teren_catagrafie_latest (all, person, &on) == old);
  set_date (&on, 2026, 1, 31);
  g_assert_true (teren_catagrafie_latest (all, person, &on) == first);
  set_date (&on, 2024, 1, 31);
  g_assert_null (teren_catagrafie_latest (all, person, &on));
  teren_record_set_deleted (old, TRUE);
  g_assert_true (teren_catagrafie_latest (all, person, NULL) == first);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/teren/health/catagrafie/official-codes", test_official_codes);
  g_test_add_func ("/teren/health/catagrafie/health-kinds", test_health_kinds);
  g_test_add_func ("/teren/health/catagrafie/health-forms", test_health_forms);
  g_test_add_func ("/teren/health/catagrafie/status-flow", test_status_flow);
  g_test_add_func ("/teren/health/catagrafie/beneficiary-patch", test_beneficiary_patch);
  g_test_add_func ("/teren/health/catagrafie/age-category", test_age_category);
  g_test_add_func ("/teren/health/catagrafie/codes", test_codes);
  g_test_add_func ("/teren/health/catagrafie/check-fields", test_check_fields);
  g_test_add_func ("/teren/health/catagrafie/unknown-code", test_schema_rejects_unknown_code);
  g_test_add_func ("/teren/health/catagrafie/new-version", test_new_version);

  return g_test_run ();
}
