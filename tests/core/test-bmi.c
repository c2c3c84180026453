/* test-bmi.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "teren-bmi.h"
#include "teren-error.h"
#include "teren-nomenclature.h"

/* Body mass index and the BMI-for-age class, which exists only with an imported
 * reference table. The reference rows below are made-up test values, not WHO data. */

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

static void
test_compute (void)
{
  GDate birth, on;

  g_assert_cmpfloat (teren_bmi_compute (70, 175), ==, 22.9);
  g_assert_cmpfloat (teren_bmi_compute (32.5, 140), ==, 16.6);
  g_assert_cmpfloat (teren_bmi_compute (0, 140), ==, 0);
  g_assert_cmpfloat (teren_bmi_compute (30, 0), ==, 0);
  g_assert_cmpfloat (teren_bmi_compute (-3, 120), ==, 0);

  g_date_clear (&birth, 1);
  g_date_clear (&on, 1);
  g_date_set_dmy (&birth, 15, 3, 2016);
  g_date_set_dmy (&on, 14, 3, 2026);
  g_assert_cmpint (teren_age_months (&birth, &on), ==, 119);
  g_date_set_dmy (&on, 15, 3, 2026);
  g_assert_cmpint (teren_age_months (&birth, &on), ==, 120);
  g_date_set_dmy (&on, 1, 1, 2016);
  g_assert_cmpint (teren_age_months (&birth, &on), ==, -1);
}

static void
test_class (void)
{
  g_autoptr(TerenBmiReference) reference = teren_bmi_reference_new ();
  g_autoptr(JsonObject) girl = parse_object ("{\"code\":\"F-120\",\"sex\":\"F\",\"age_months\":\"120\","
                                             "\"p5\":\"14.0\",\"p85\":\"19.0\",\"p95\":\"22.0\"}");
  g_autoptr(JsonObject) boy = parse_object ("{\"sex\":\"M\",\"age_months\":120,\"p5\":14.2,\"p85\":18.5,"
                                            "\"p95\":21.0}");
  g_autoptr(GError) error = NULL;
  const TerenNomenclature *classes = teren_nomenclature_lookup ("bmi_for_age_class");

  /* No table imported: no class, whatever the numbers. */
  g_assert_null (teren_bmi_for_age_class (NULL, "F", 120, 30.0));

  g_assert_true (teren_bmi_reference_add_item (reference, girl, &error));
  g_assert_no_error (error);
  g_assert_true (teren_bmi_reference_add_item (reference, boy, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (teren_bmi_reference_get_size (reference), ==, 2);

  g_assert_cmpstr (teren_bmi_for_age_class (reference, "F", 120, 13.9), ==, "underweight");
  g_assert_cmpstr (teren_bmi_for_age_class (reference, "F", 120, 14.0), ==, "normal");
  g_assert_cmpstr (teren_bmi_for_age_class (reference, "F", 120, 18.9), ==, "normal");
  g_assert_cmpstr (teren_bmi_for_age_class (reference, "F", 120, 19.0), ==, "overweight");
  g_assert_cmpstr (teren_bmi_for_age_class (reference, "F", 120, 22.0), ==, "obese");
  g_assert_cmpstr (teren_bmi_for_age_class (reference, "M", 120, 19.0), ==, "overweight");
  g_assert_true (teren_nomenclature_has_code (classes, teren_bmi_for_age_class (reference, "M", 120, 30.0)));

  /* No row for that age or sex: no class (never interpolated). */
  g_assert_null (teren_bmi_for_age_class (reference, "F", 121, 16.0));
  g_assert_null (teren_bmi_for_age_class (reference, "X", 120, 16.0));
  g_assert_null (teren_bmi_for_age_class (reference, "F", 120, 0));
}

static void
test_bad_rows (void)
{
  static const char * const bad[] = {
    "{\"sex\":\"X\",\"age_months\":120,\"p5\":14,\"p85\":19,\"p95\":22}",
    "{\"age_months\":120,\"p5\":14,\"p85\":19,\"p95\":22}",
    "{\"sex\":\"F\",\"age_months\":\"ten\",\"p5\":14,\"p85\":19,\"p95\":22}",
    "{\"sex\":\"F\",\"age_months\":120.5,\"p5\":14,\"p85\":19,\"p95\":22}",
    "{\"sex\":\"F\",\"age_months\":120,\"p5\":14,\"p85\":19}",
    "{\"sex\":\"F\",\"age_months\":120,\"p5\":20,\"p85\":19,\"p95\":22}",
    "{\"sex\":\"F\",\"age_months\":-1,\"p5\":14,\"p85\":19,\"p95\":22}",
  };
  g_autoptr(TerenBmiReference) reference = teren_bmi_reference_new ();
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonObject) item = parse_object (bad[i]);
      g_autoptr(GError) error = NULL;

      g_assert_false (teren_bmi_reference_add_item (reference, item, &error));
      g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
    }
  g_assert_cmpuint (teren_bmi_reference_get_size (reference), ==, 0);
}

static void
test_fill_screening (void)
{
  g_autoptr(TerenBmiReference) reference = teren_bmi_reference_new ();
  g_autoptr(JsonObject) row = parse_object ("{\"sex\":\"M\",\"age_months\":125,\"p5\":14.2,\"p85\":18.5,"
                                            "\"p95\":21.0}");
  g_autoptr(JsonObject) exam = parse_object ("{\"date\":\"2026-10-15\",\"height\":140,\"weight\":40,"
                                             "\"bmi_class\":\"normal\"}");

  g_assert_true (teren_bmi_reference_add_item (reference, row, NULL));

  /* Without the table: a BMI, and no class (the old one is cleared). */
  teren_bmi_fill_screening (exam, "2016-05-01", "M", NULL);
  g_assert_cmpfloat (json_object_get_double_member (exam, "bmi"), ==, 20.4);
  g_assert_true (json_object_get_null_member (exam, "bmi_class"));

  /* 125 months old on the exam date: 20.4 is between P85 and P95. */
  teren_bmi_fill_screening (exam, "2016-05-01", "M", reference);
  g_assert_cmpstr (json_object_get_string_member (exam, "bmi_class"), ==, "overweight");

  /* Another age: no row, no class. */
  teren_bmi_fill_screening (exam, "2015-05-01", "M", reference);
  g_assert_true (json_object_get_null_member (exam, "bmi_class"));

  json_object_remove_member (exam, "weight");
  teren_bmi_fill_screening (exam, "2016-05-01", "M", reference);
  g_assert_true (json_object_get_null_member (exam, "bmi"));
  g_assert_true (json_object_get_null_member (exam, "bmi_class"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/teren/health/bmi/compute", test_compute);
  g_test_add_func ("/teren/health/bmi/class", test_class);
  g_test_add_func ("/teren/health/bmi/bad-rows", test_bad_rows);
  g_test_add_func ("/teren/health/bmi/fill-screening", test_fill_screening);

  return g_test_run ();
}
