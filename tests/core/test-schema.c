/* test-schema.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "teren-attachment.h"
#include "teren-json.h"
#include "teren-line.h"
#include "teren-schema.h"

static GDate today;

#define PERSON_ID    "123e4567-e89b-42d3-a456-426614174000"
#define HOUSEHOLD_ID "223e4567-e89b-42d3-a456-426614174000"
#define CASE_ID      "323e4567-e89b-42d3-a456-426614174000"

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object = teren_json_parse_object (text, -1, 0, &error);

  g_assert_no_error (error);
  return object;
}

/* A complete, valid person: every test starts from it and breaks one thing. */
static JsonObject *
valid_person (void)
{
  return parse_object ("{\"cnp\": \"1960101410019\", \"cnp_status\": \"valid\","
                       " \"last_name\": \"Ștefănescu\", \"first_name\": \"Ana-Maria\","
                       " \"birth_date\": \"1996-01-01\", \"sex\": \"M\","
                       " \"phone\": \"+40 (721) 123-456\", \"disability_type\": [\"physical\"],"
                       " \"notes\": \"Line one\\nLine two\\tindented\"}");
}

static GPtrArray *
validate_kind (const char         *kind_name,
               const char         *line,
               JsonObject         *fields,
               TerenValidateFlags  flags)
{
  const TerenKindDef *kind = teren_schema_lookup_kind (kind_name);
  g_autofree char *before = teren_json_object_to_string (fields);
  g_autofree char *after = NULL;
  GPtrArray *errors = NULL;
  gboolean ok;
  guint i;

  g_assert_nonnull (kind);
  ok = teren_schema_validate (kind, line, fields, flags, &today, &errors);
  g_assert_nonnull (errors);
  g_assert_cmpint (ok, ==, errors->len == 0);

  /* Validation never changes what it checks. */
  after = teren_json_object_to_string (fields);
  g_assert_cmpstr (before, ==, after);

  for (i = 0; i < errors->len; i++)
    {
      TerenFieldError *error = g_ptr_array_index (errors, i);

      g_assert_nonnull (error->field);
      g_assert_nonnull (error->code);
      g_assert_nonnull (error->message);
      g_assert_cmpuint (strlen (error->message), >, 5);
    }

  return errors;
}

static void
print_errors (GPtrArray *errors)
{
  guint i;

  for (i = 0; i < errors->len; i++)
    {
      TerenFieldError *error = g_ptr_array_index (errors, i);

      g_printerr ("  %s: %s (%s)\n", error->field, error->code, error->message);
    }
}

static void
assert_valid (const char         *kind,
              const char         *line,
              JsonObject         *fields,
              TerenValidateFlags  flags)
{
  g_autoptr(GPtrArray) errors = validate_kind (kind, line, fields, flags);

  if (errors->len > 0)
    {
      print_errors (errors);
      g_error ("expected %s to be valid", kind);
    }
}

/* Exactly one error, on @field with @code. */
static void
assert_one_error (const char         *kind,
                  const char         *line,
                  JsonObject         *fields,
                  TerenValidateFlags  flags,
                  const char         *field,
                  const char         *code)
{
  g_autoptr(GPtrArray) errors = validate_kind (kind, line, fields, flags);
  TerenFieldError *error;

  if (errors->len != 1)
    {
      print_errors (errors);
      g_error ("expected one error %s/%s, got %u", field, code, errors->len);
    }

  error = g_ptr_array_index (errors, 0);
  g_assert_cmpstr (error->field, ==, field);
  g_assert_cmpstr (error->code, ==, code);
}

static void
assert_person_error (JsonObject *person,
                     const char *field,
                     const char *code)
{
  assert_one_error ("person", "", person, TEREN_VALIDATE_COMPLETE, field, code);
}

static void
test_registry (void)
{
  const char *names[] = { "person", "household", "family", "household_member",
                          "family_member", "case", "visit" };
  const TerenKindDef * const *kinds;
  guint n_kinds, i, j;

  kinds = teren_schema_list_kinds (&n_kinds);
  g_assert_cmpuint (n_kinds, >=, G_N_ELEMENTS (names));
  g_assert_null (kinds[n_kinds]);

  for (i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_nonnull (teren_schema_lookup_kind (names[i]));
  g_assert_null (teren_schema_lookup_kind ("nonsense"));
  g_assert_null (teren_schema_lookup_kind (NULL));

  g_assert_true (teren_schema_is_registry_kind ("person"));
  g_assert_true (teren_schema_is_registry_kind ("household"));
  g_assert_true (teren_schema_is_registry_kind ("family"));
  g_assert_true (teren_schema_is_registry_kind ("household_member"));
  g_assert_true (teren_schema_is_registry_kind ("family_member"));
  g_assert_false (teren_schema_is_registry_kind ("case"));
  g_assert_false (teren_schema_is_registry_kind ("visit"));
  g_assert_false (teren_schema_is_registry_kind ("nonsense"));

  /* Every definition is consistent: unique keys, labels, known nomenclatures and
   * referenced kinds. */
  for (i = 0; i < n_kinds; i++)
    {
      const TerenKindDef *kind = kinds[i];
      g_autoptr(GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);

      g_assert_cmpstr (teren_kind_get_label (kind), !=, "");
      for (j = 0; j < kind->n_fields; j++)
        {
          const TerenFieldDef *field = &kind->fields[j];

          g_assert_false (g_hash_table_contains (keys, field->key));
          g_hash_table_add (keys, (gpointer) field->key);
          g_assert_true (teren_kind_lookup_field (kind, field->key) == field);
          g_assert_cmpstr (teren_field_get_label (field), !=, "");

          if (field->type == TEREN_FIELD_CHOICE || field->type == TEREN_FIELD_MULTI_CHOICE)
            g_assert_nonnull (teren_nomenclature_lookup (field->nomenclature));
          if (field->type == TEREN_FIELD_REFERENCE)
            g_assert_nonnull (teren_schema_lookup_kind (field->ref_kind));
        }
    }
}

static void
test_stable_keys (void)
{
  const char *person_keys[] = {
    "cnp", "cnp_status", "last_name", "first_name", "prior_name", "birth_date", "sex",
    "citizenship", "ethnicity", "civil_status", "education", "occupation", "id_doc_type",
    "id_doc_series", "id_doc_number", "id_doc_issued_by", "id_doc_issued_on",
    "id_doc_valid_until", "phone", "email", "disability_degree", "disability_type",
    "death_date", "notes",
  };
  const char *household_keys[] = {
    "address", "siruta", "street", "number", "block", "staircase", "floor", "apartment",
    "postal_code", "environment", "housing_notes", "label",
  };
  const char *case_keys[] = {
    "person", "number", "opened_on", "closed_on", "status", "case_manager", "source",
    "closure_reason", "service_code",
  };
  const char *visit_keys[] = {
    "person", "case", "household", "date", "start_time", "end_time", "place", "status",
    "outside_hours", "notes",
  };
  const TerenKindDef *kind;
  guint i;

  kind = teren_schema_lookup_kind ("person");
  for (i = 0; i < G_N_ELEMENTS (person_keys); i++)
    g_assert_nonnull (teren_kind_lookup_field (kind, person_keys[i]));
  g_assert_cmpint (teren_kind_lookup_field (kind, "cnp")->type, ==, TEREN_FIELD_CNP);
  g_assert_cmpint (teren_kind_lookup_field (kind, "phone")->type, ==, TEREN_FIELD_PHONE);
  g_assert_cmpint (teren_kind_lookup_field (kind, "ethnicity")->sensitivity, ==,
                   TEREN_SENSITIVITY_SPECIAL);
  g_assert_true (teren_kind_lookup_field (kind, "sex")->flags & TEREN_FIELD_FLAG_REQUIRED);

  kind = teren_schema_lookup_kind ("household");
  for (i = 0; i < G_N_ELEMENTS (household_keys); i++)
    g_assert_nonnull (teren_kind_lookup_field (kind, household_keys[i]));

  kind = teren_schema_lookup_kind ("case");
  for (i = 0; i < G_N_ELEMENTS (case_keys); i++)
    g_assert_nonnull (teren_kind_lookup_field (kind, case_keys[i]));

  kind = teren_schema_lookup_kind ("visit");
  for (i = 0; i < G_N_ELEMENTS (visit_keys); i++)
    g_assert_nonnull (teren_kind_lookup_field (kind, visit_keys[i]));

  kind = teren_schema_lookup_kind ("household_member");
  g_assert_cmpstr (teren_kind_lookup_field (kind, "person")->ref_kind, ==, "person");
  g_assert_cmpstr (teren_kind_lookup_field (kind, "household")->ref_kind, ==, "household");
  g_assert_nonnull (teren_kind_lookup_field (kind, "relationship"));
  g_assert_nonnull (teren_kind_lookup_field (kind, "start_date"));
  g_assert_nonnull (teren_kind_lookup_field (kind, "end_date"));

  kind = teren_schema_lookup_kind ("family_member");
  g_assert_cmpstr (teren_kind_lookup_field (kind, "family")->ref_kind, ==, "family");
}

static void
test_lines (void)
{
  const TerenKindDef *person = teren_schema_lookup_kind ("person");
  const TerenKindDef *kase = teren_schema_lookup_kind ("case");
  g_autoptr(JsonObject) fields = valid_person ();

  g_assert_true (teren_kind_accepts_line (person, ""));
  g_assert_true (teren_kind_accepts_line (person, NULL));
  g_assert_false (teren_kind_accepts_line (person, "child"));
  g_assert_true (teren_kind_accepts_line (kase, "child"));
  g_assert_true (teren_kind_accepts_line (kase, "adult"));
  g_assert_false (teren_kind_accepts_line (kase, ""));
  g_assert_false (teren_kind_accepts_line (kase, "nonsense"));

  assert_valid ("person", "", fields, TEREN_VALIDATE_COMPLETE);
}

static void
test_valid_person (void)
{
  g_autoptr(JsonObject) person = valid_person ();

  assert_valid ("person", "", person, TEREN_VALIDATE_COMPLETE);
  assert_valid ("person", "", person, TEREN_VALIDATE_PATCH);
}

static void
test_bad_line (void)
{
  g_autoptr(JsonObject) person = valid_person ();

  assert_one_error ("person", "child", person, TEREN_VALIDATE_COMPLETE, "", "bad_line");
}

static void
test_name_too_long (void)
{
  g_autoptr(JsonObject) person = valid_person ();
  g_autofree char *huge = g_strnfill (10000, 'a');
  g_autofree char *limit = g_strnfill (100, 'a');
  GString *limit_multibyte = g_string_new (NULL);
  guint i;

  json_object_set_string_member (person, "last_name", huge);
  assert_person_error (person, "last_name", "too_long");

  /* 100 characters is the limit, counted in characters, not bytes. */
  json_object_set_string_member (person, "last_name", limit);
  assert_valid ("person", "", person, TEREN_VALIDATE_COMPLETE);
  for (i = 0; i < 100; i++)
    g_string_append (limit_multibyte, "ș");
  json_object_set_string_member (person, "last_name", limit_multibyte->str);
  assert_valid ("person", "", person, TEREN_VALIDATE_COMPLETE);
  g_string_append (limit_multibyte, "ș");
  json_object_set_string_member (person, "last_name", limit_multibyte->str);
  assert_person_error (person, "last_name", "too_long");
  g_string_free (limit_multibyte, TRUE);

  /* Long text has its own, larger default limit. */
  g_clear_pointer (&huge, g_free);
  huge = g_strnfill (TEREN_LONG_TEXT_MAX_CHARS + 1, 'x');
  json_object_set_string_member (person, "last_name", "Pop");
  json_object_set_string_member (person, "notes", huge);
  assert_person_error (person, "notes", "too_long");
}

static void
test_control_chars (void)
{
  g_autoptr(JsonObject) person = valid_person ();

  json_object_set_string_member (person, "first_name", "Ana\nMaria");
  assert_person_error (person, "first_name", "control_chars");
  json_object_set_string_member (person, "first_name", "Ana\x1b[2J");
  assert_person_error (person, "first_name", "control_chars");
  json_object_set_string_member (person, "first_name", "Ana\tMaria");
  assert_person_error (person, "first_name", "control_chars");

  /* Long text allows new lines and tabs but not other control characters. */
  json_object_set_string_member (person, "first_name", "Ana");
  json_object_set_string_member (person, "notes", "a\x01");
  assert_person_error (person, "notes", "control_chars");
}

static void
test_invalid_utf8 (void)
{
  g_autoptr(JsonObject) person = valid_person ();

  json_object_set_string_member (person, "first_name", "Ana\xff\xfe");
  assert_person_error (person, "first_name", "invalid_utf8");
  json_object_set_string_member (person, "first_name", "Ana");
  json_object_set_string_member (person, "notes", "\xc3");
  assert_person_error (person, "notes", "invalid_utf8");
}

static void
test_unknown_field (void)
{
  g_autoptr(JsonObject) person = valid_person ();

  json_object_set_string_member (person, "favourite_colour", "blue");
  assert_person_error (person, "favourite_colour", "unknown_field");
  /* A newer schema's fields are ignored when asked. */
  assert_valid ("person", "", person, TEREN_VALIDATE_COMPLETE | TEREN_VALIDATE_LENIENT_UNKNOWN);
}

static void
test_unknown_choice (void)
{
  g_autoptr(JsonObject) person = valid_person ();

  json_object_set_string_member (person, "sex", "Q");
  assert_person_error (person, "sex", "unknown_choice");
  json_object_set_string_member (person, "sex", "m");   /* codes are exact */
  assert_person_error (person, "sex", "unknown_choice");
  json_object_set_string_member (person, "sex", "M");
  json_object_set_string_member (person, "ethnicity", "klingon");
  assert_person_error (person, "ethnicity", "unknown_choice");
  json_object_set_string_member (person, "ethnicity", "roma");
  assert_valid ("person", "", person, TEREN_VALIDATE_COMPLETE);
}

static void
test_multi_choice (void)
{
  g_autoptr(JsonObject) person = valid_person ();
  g_autoptr(JsonObject) patch = NULL;

  json_object_set_member (person, "disability_type",
                          json_from_string ("[\"physical\", \"visual\"]", NULL));
  assert_valid ("person", "", person, TEREN_VALIDATE_COMPLETE);

  json_object_set_member (person, "disability_type", json_from_string ("[\"physical\", \"physical\"]", NULL));
  assert_person_error (person, "disability_type", "bad_type");
  json_object_set_member (person, "disability_type", json_from_string ("[\"telepathic\"]", NULL));
  assert_person_error (person, "disability_type", "unknown_choice");
  json_object_set_member (person, "disability_type", json_from_string ("[1]", NULL));
  assert_person_error (person, "disability_type", "bad_type");
  json_object_set_string_member (person, "disability_type", "physical");
  assert_person_error (person, "disability_type", "bad_type");

  /* In a patch, a set operation. */
  patch = parse_object ("{\"disability_type\": {\"$add\": [\"visual\"], \"$remove\": [\"physical\"]}}");
  assert_valid ("person", "", patch, TEREN_VALIDATE_PATCH);
  g_clear_pointer (&patch, json_object_unref);
  patch = parse_object ("{\"disability_type\": {\"$add\": [\"x\"]}}");
  assert_one_error ("person", "", patch, TEREN_VALIDATE_PATCH, "disability_type", "unknown_choice");
  g_clear_pointer (&patch, json_object_unref);
  patch = parse_object ("{\"disability_type\": {\"$replace\": []}}");
  assert_one_error ("person", "", patch, TEREN_VALIDATE_PATCH, "disability_type", "bad_type");
}

static void
test_dates (void)
{
  g_autoptr(JsonObject) person = valid_person ();

  json_object_remove_member (person, "cnp");
  json_object_set_string_member (person, "cnp_status", "missing");

  json_object_set_string_member (person, "birth_date", "2026-11-23");
  assert_person_error (person, "birth_date", "future_date");
  json_object_set_string_member (person, "birth_date", "2026-11-22");
  assert_valid ("person", "", person, TEREN_VALIDATE_COMPLETE);
  json_object_set_string_member (person, "birth_date", "2023-02-29");
  assert_person_error (person, "birth_date", "invalid_date");
  json_object_set_string_member (person, "birth_date", "01.02.2020");   /* not normalised */
  assert_person_error (person, "birth_date", "invalid_date");
  json_object_set_string_member (person, "birth_date", "0197-05-01");
  assert_person_error (person, "birth_date", "out_of_range");
  json_object_set_int_member (person, "birth_date", 19960101);
  assert_person_error (person, "birth_date", "bad_type");

  /* A document's validity may be in the future. */
  json_object_set_string_member (person, "birth_date", "1990-01-01");
  json_object_set_string_member (person, "id_doc_valid_until", "2031-01-01");
  assert_valid ("person", "", person, TEREN_VALIDATE_COMPLETE);

  /* Death before birth. */
  json_object_set_string_member (person, "death_date", "1980-01-01");
  assert_person_error (person, "death_date", "out_of_range");
}

static void
test_required (void)
{
  const char *required[] = { "cnp_status", "last_name", "first_name", "sex" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (required); i++)
    {
      g_autoptr(JsonObject) person = valid_person ();
      g_autoptr(JsonObject) patch = json_object_new ();

      if (strcmp (required[i], "cnp_status") == 0)
        {
          /* Without a status the CNP is still checked as a valid one. */
          json_object_remove_member (person, "cnp_status");
          assert_person_error (person, "cnp_status", "required");
          continue;
        }

      json_object_remove_member (person, required[i]);
      assert_person_error (person, required[i], "required");
      /* In a patch an absent field is simply not changed… */
      assert_valid ("person", "", person, TEREN_VALIDATE_PATCH);
      /* …but null or empty clears it, which a required field refuses. */
      json_object_set_null_member (patch, required[i]);
      assert_one_error ("person", "", patch, TEREN_VALIDATE_PATCH, required[i], "required");
      json_object_set_null_member (person, required[i]);
      assert_person_error (person, required[i], "required");
    }

  {
    g_autoptr(JsonObject) person = valid_person ();

    json_object_set_string_member (person, "last_name", "");
    assert_person_error (person, "last_name", "required");
    json_object_set_string_member (person, "last_name", "   ");
    assert_person_error (person, "last_name", "required");
  }

  {
    g_autoptr(JsonObject) household = parse_object ("{\"label\": \"Familia Pop\"}");

    assert_one_error ("household", "", household, TEREN_VALIDATE_COMPLETE, "address", "required");
    json_object_set_string_member (household, "address", "Str. Lungă 3, Brăila");
    assert_valid ("household", "", household, TEREN_VALIDATE_COMPLETE);
  }
}

static void
test_error_order (void)
{
  /* Errors come in the schema's field order, then unknown fields. */
  g_autoptr(JsonObject) person = parse_object ("{\"zzz\": 1, \"sex\": \"Q\", \"last_name\": 5}");
  g_autoptr(GPtrArray) errors = validate_kind ("person", "", person, TEREN_VALIDATE_COMPLETE);
  const char *expected[][2] = {
    { "cnp_status", "required" },
    { "last_name", "bad_type" },
    { "first_name", "required" },
    { "sex", "unknown_choice" },
    { "zzz", "unknown_field" },
  };
  guint i;

  g_assert_cmpuint (errors->len, ==, G_N_ELEMENTS (expected));
  for (i = 0; i < errors->len; i++)
    {
      TerenFieldError *error = g_ptr_array_index (errors, i);

      g_assert_cmpstr (error->field, ==, expected[i][0]);
      g_assert_cmpstr (error->code, ==, expected[i][1]);
    }
}

static void
test_cnp_rules (void)
{
  g_autoptr(JsonObject) person = valid_person ();

  /* A bad CNP with a valid status: the CNP code. */
  json_object_set_string_member (person, "cnp", "1960101410018");
  assert_person_error (person, "cnp", "cnp_checksum");
  json_object_set_string_member (person, "cnp", "196010141001");
  assert_person_error (person, "cnp", "cnp_length");

  /* Absent status with a CNP present: checked as valid. */
  json_object_set_string_member (person, "cnp", "1960101410019");
  json_object_remove_member (person, "cnp_status");
  assert_valid ("person", "", person, TEREN_VALIDATE_PATCH);
  json_object_set_string_member (person, "cnp", "0960101410019");
  assert_one_error ("person", "", person, TEREN_VALIDATE_PATCH, "cnp", "cnp_sex_digit");

  /* Valid status needs the CNP in a whole record. */
  json_object_set_string_member (person, "cnp_status", "valid");
  json_object_remove_member (person, "cnp");
  assert_person_error (person, "cnp", "required");
  json_object_set_null_member (person, "cnp");
  assert_person_error (person, "cnp", "required");
}

static void
test_cnp_status (void)
{
  g_autoptr(JsonObject) person = valid_person ();

  /* missing / refused: no CNP at all. */
  json_object_set_string_member (person, "cnp_status", "missing");
  assert_person_error (person, "cnp", "cnp_not_expected");
  json_object_set_string_member (person, "cnp_status", "refused");
  assert_person_error (person, "cnp", "cnp_not_expected");
  json_object_set_null_member (person, "cnp");
  assert_valid ("person", "", person, TEREN_VALIDATE_COMPLETE);
  json_object_remove_member (person, "cnp");
  assert_valid ("person", "", person, TEREN_VALIDATE_COMPLETE);

  /* non_standard: 1–20 letters or digits, not checked as a CNP. */
  json_object_set_string_member (person, "cnp_status", "non_standard");
  json_object_set_string_member (person, "cnp", "AB1234567");
  assert_valid ("person", "", person, TEREN_VALIDATE_COMPLETE);
  json_object_set_string_member (person, "cnp", "1960101410018");   /* bad checksum is fine */
  assert_valid ("person", "", person, TEREN_VALIDATE_COMPLETE);
  json_object_set_string_member (person, "cnp", "AB-123");
  assert_person_error (person, "cnp", "cnp_non_standard");
  json_object_set_string_member (person, "cnp", "123456789012345678901");
  assert_person_error (person, "cnp", "too_long");

  json_object_set_string_member (person, "cnp_status", "unknown_status");
  json_object_set_string_member (person, "cnp", "1960101410019");
  assert_person_error (person, "cnp_status", "unknown_choice");
}

static void
test_cnp_consistency (void)
{
  g_autoptr(JsonObject) person = valid_person ();

  json_object_set_string_member (person, "sex", "F");
  assert_person_error (person, "cnp", "cnp_sex_mismatch");
  /* "Other" is not contradicted by a CNP's M/F. */
  json_object_set_string_member (person, "sex", "X");
  assert_valid ("person", "", person, TEREN_VALIDATE_COMPLETE);

  json_object_set_string_member (person, "sex", "M");
  json_object_set_string_member (person, "birth_date", "1996-01-02");
  assert_person_error (person, "cnp", "cnp_birth_date_mismatch");
  json_object_set_string_member (person, "birth_date", "1896-01-01");
  assert_person_error (person, "cnp", "cnp_birth_date_mismatch");

  /* Without birth date and sex nothing to compare. */
  json_object_remove_member (person, "birth_date");
  assert_valid ("person", "", person, TEREN_VALIDATE_COMPLETE);

  /* A foreign resident's code (7): only the two-digit year has to agree. */
  json_object_set_string_member (person, "cnp", "7200607123458");
  json_object_set_string_member (person, "birth_date", "2020-06-07");
  assert_valid ("person", "", person, TEREN_VALIDATE_COMPLETE);
  json_object_set_string_member (person, "birth_date", "1920-06-07");
  assert_valid ("person", "", person, TEREN_VALIDATE_COMPLETE);
  json_object_set_string_member (person, "birth_date", "1921-06-07");
  assert_person_error (person, "cnp", "cnp_birth_date_mismatch");
}

static void
test_types (void)
{
  g_autoptr(JsonObject) person = valid_person ();
  g_autoptr(JsonObject) household = parse_object ("{\"address\": \"Str. Mare 1\"}");
  g_autoptr(JsonObject) visit = NULL;

  json_object_set_int_member (person, "last_name", 5);
  assert_person_error (person, "last_name", "bad_type");
  json_object_set_string_member (person, "last_name", "Pop");

  json_object_set_string_member (person, "phone", "12345");
  assert_person_error (person, "phone", "bad_phone");
  json_object_set_string_member (person, "phone", "0721 abc 123");
  assert_person_error (person, "phone", "bad_phone");
  json_object_set_string_member (person, "phone", "0721123456");
  assert_valid ("person", "", person, TEREN_VALIDATE_COMPLETE);

  json_object_set_string_member (household, "siruta", "179132");
  assert_one_error ("household", "", household, TEREN_VALIDATE_COMPLETE, "siruta", "bad_type");
  json_object_set_int_member (household, "siruta", 0);
  assert_one_error ("household", "", household, TEREN_VALIDATE_COMPLETE, "siruta", "out_of_range");
  json_object_set_int_member (household, "siruta", 1000000);
  assert_one_error ("household", "", household, TEREN_VALIDATE_COMPLETE, "siruta", "out_of_range");
  json_object_set_int_member (household, "siruta", 179132);
  json_object_set_string_member (household, "environment", "urban");
  assert_valid ("household", "", household, TEREN_VALIDATE_COMPLETE);
  json_object_set_string_member (household, "environment", "1");
  assert_one_error ("household", "", household, TEREN_VALIDATE_COMPLETE, "environment", "unknown_choice");

  visit = parse_object ("{\"person\": \"" PERSON_ID "\", \"date\": \"2026-12-01\","
                        " \"status\": \"planned\", \"start_time\": \"09:30\","
                        " \"end_time\": \"10:15\", \"outside_hours\": false,"
                        " \"place\": \"home\"}");
  assert_valid ("visit", "community_health", visit, TEREN_VALIDATE_COMPLETE);
  json_object_set_string_member (visit, "outside_hours", "yes");
  assert_one_error ("visit", "community_health", visit, TEREN_VALIDATE_COMPLETE, "outside_hours", "bad_type");
  json_object_set_boolean_member (visit, "outside_hours", TRUE);
  json_object_set_string_member (visit, "start_time", "25:00");
  assert_one_error ("visit", "community_health", visit, TEREN_VALIDATE_COMPLETE, "start_time", "invalid_time");
  json_object_set_string_member (visit, "start_time", "11:00");
  assert_one_error ("visit", "community_health", visit, TEREN_VALIDATE_COMPLETE, "end_time", "out_of_range");
  json_object_set_string_member (visit, "start_time", "09:00");
  json_object_set_string_member (visit, "person", "not-a-uuid");
  assert_one_error ("visit", "community_health", visit, TEREN_VALIDATE_COMPLETE, "person", "bad_reference");
  json_object_remove_member (visit, "person");
  assert_one_error ("visit", "community_health", visit, TEREN_VALIDATE_COMPLETE, "person", "required");
  json_object_set_string_member (visit, "household", HOUSEHOLD_ID);
  assert_valid ("visit", "community_health", visit, TEREN_VALIDATE_COMPLETE);
  json_object_set_string_member (visit, "status", "maybe");
  assert_one_error ("visit", "community_health", visit, TEREN_VALIDATE_COMPLETE, "status", "unknown_choice");
}

static void
test_case_and_members (void)
{
  g_autoptr(JsonObject) kase = parse_object ("{\"person\": \"" PERSON_ID "\", \"number\": \"12/2026\","
                                             " \"opened_on\": \"2026-01-10\", \"status\": \"open\","
                                             " \"source\": \"referral\"}");
  g_autoptr(JsonObject) member = parse_object ("{\"person\": \"" PERSON_ID "\","
                                               " \"household\": \"" HOUSEHOLD_ID "\","
                                               " \"relationship\": \"head\","
                                               " \"start_date\": \"2020-01-01\"}");

  assert_valid ("case", "child", kase, TEREN_VALIDATE_COMPLETE);
  assert_one_error ("case", "", kase, TEREN_VALIDATE_COMPLETE, "", "bad_line");
  assert_one_error ("case", "nonsense", kase, TEREN_VALIDATE_COMPLETE, "", "bad_line");

  json_object_set_string_member (kase, "closed_on", "2025-12-31");
  assert_one_error ("case", "child", kase, TEREN_VALIDATE_COMPLETE, "closed_on", "out_of_range");
  json_object_set_string_member (kase, "closed_on", "2026-02-01");
  json_object_set_string_member (kase, "status", "closed");
  json_object_set_string_member (kase, "closure_reason", "plan_completed");
  assert_valid ("case", "child", kase, TEREN_VALIDATE_COMPLETE);
  json_object_remove_member (kase, "person");
  assert_one_error ("case", "child", kase, TEREN_VALIDATE_COMPLETE, "person", "required");

  assert_valid ("household_member", "", member, TEREN_VALIDATE_COMPLETE);
  json_object_set_string_member (member, "end_date", "2019-01-01");
  assert_one_error ("household_member", "", member, TEREN_VALIDATE_COMPLETE, "end_date", "out_of_range");
  json_object_set_string_member (member, "end_date", "2021-01-01");
  json_object_set_string_member (member, "relationship", "cousin_twice_removed");
  assert_one_error ("household_member", "", member, TEREN_VALIDATE_COMPLETE, "relationship", "unknown_choice");
  json_object_set_string_member (member, "relationship", "spouse");
  assert_valid ("household_member", "", member, TEREN_VALIDATE_COMPLETE);
  assert_one_error ("household_member", "child", member, TEREN_VALIDATE_COMPLETE, "", "bad_line");
}

static void
test_null_fields (void)
{
  const TerenKindDef *kind = teren_schema_lookup_kind ("household");
  g_autoptr(GPtrArray) errors = NULL;

  g_assert_false (teren_schema_validate (kind, "", NULL, TEREN_VALIDATE_COMPLETE, &today, &errors));
  g_assert_cmpuint (errors->len, ==, 1);
  g_clear_pointer (&errors, g_ptr_array_unref);
  g_assert_true (teren_schema_validate (kind, "", NULL, TEREN_VALIDATE_PATCH, &today, &errors));
  g_assert_cmpuint (errors->len, ==, 0);
  /* @errors is optional. */
  g_assert_true (teren_schema_validate (kind, "", NULL, TEREN_VALIDATE_PATCH, NULL, NULL));
}

static void
test_normalize_fields (void)
{
  const TerenKindDef *kind = teren_schema_lookup_kind ("person");
  g_autoptr(JsonObject) person = parse_object (
    "{\"last_name\": \"  \xC5\x9E" "tef\xC4\x83nescu \", \"first_name\": \"Ana\","
    " \"cnp\": \" 196-0101 410019\", \"birth_date\": \"1.1.1996\", \"sex\": \"M\","
    " \"cnp_status\": \"valid\", \"unknown\": \"  x \", \"siruta\": 5}");

  teren_schema_normalize_fields (kind, person);
  g_assert_cmpstr (json_object_get_string_member (person, "last_name"), ==, "Ștefănescu");
  g_assert_cmpstr (json_object_get_string_member (person, "cnp"), ==, "1960101410019");
  g_assert_cmpstr (json_object_get_string_member (person, "birth_date"), ==, "1996-01-01");
  g_assert_cmpstr (json_object_get_string_member (person, "unknown"), ==, "  x ");
  json_object_remove_member (person, "unknown");
  json_object_remove_member (person, "siruta");
  assert_valid ("person", "", person, TEREN_VALIDATE_COMPLETE);

  /* Invalid UTF-8 is left for validation to report. */
  json_object_set_string_member (person, "first_name", "A\xff");
  teren_schema_normalize_fields (kind, person);
  g_assert_cmpstr (json_object_get_string_member (person, "first_name"), ==, "A\xff");
  assert_person_error (person, "first_name", "invalid_utf8");
}

static void
test_search_text (void)
{
  const TerenKindDef *kind = teren_schema_lookup_kind ("person");
  g_autoptr(JsonObject) person = valid_person ();
  g_autofree char *text = NULL;
  g_autofree char *household_text = NULL;
  g_autoptr(JsonObject) household = parse_object ("{\"label\": \"Familia \xC5\xA2" "epe\xC5\x9F\","
                                                  " \"address\": \"Str. Lungă nr. 3\"}");

  json_object_set_string_member (person, "prior_name", "\xC5\xA2" "epe\xC5\x9F");
  text = teren_schema_search_text (kind, person);
  g_assert_cmpstr (text, ==, "1960101410019 stefanescu ana maria tepes");

  household_text = teren_schema_search_text (teren_schema_lookup_kind ("household"), household);
  g_assert_cmpstr (household_text, ==, "familia tepes str lunga nr 3");
}

static void
test_titles (void)
{
  g_autoptr(JsonObject) person = valid_person ();
  g_autoptr(JsonObject) empty = json_object_new ();
  g_autoptr(JsonObject) household = parse_object ("{\"address\": \"Str. Mare 1\", \"label\": \"Pop\"}");
  g_autoptr(JsonObject) kase = parse_object ("{\"number\": \"12/2026\"}");
  g_autoptr(JsonObject) visit = parse_object ("{\"date\": \"2026-03-04\", \"status\": \"done\"}");
  g_autoptr(JsonObject) member = parse_object ("{\"relationship\": \"head\"}");
  char *title;

  title = teren_schema_record_title (teren_schema_lookup_kind ("person"), person);
  g_assert_cmpstr (title, ==, "Ștefănescu Ana-Maria");
  g_free (title);
  title = teren_schema_record_title (teren_schema_lookup_kind ("person"), empty);
  g_assert_cmpstr (title, ==, "Unnamed person");
  g_free (title);
  title = teren_schema_record_title (teren_schema_lookup_kind ("household"), household);
  g_assert_cmpstr (title, ==, "Str. Mare 1");
  g_free (title);
  title = teren_schema_record_title (teren_schema_lookup_kind ("case"), kase);
  g_assert_cmpstr (title, ==, "Case 12/2026");
  g_free (title);
  title = teren_schema_record_title (teren_schema_lookup_kind ("case"), empty);
  g_assert_cmpstr (title, ==, "Case");
  g_free (title);
  title = teren_schema_record_title (teren_schema_lookup_kind ("visit"), visit);
  g_assert_cmpstr (title, ==, "Visit of 04.03.2026 (Carried out)");
  g_free (title);
  title = teren_schema_record_title (teren_schema_lookup_kind ("household_member"), member);
  g_assert_cmpstr (title, ==, "Head of household");
  g_free (title);
  title = teren_schema_record_title (NULL, person);
  g_assert_cmpstr (title, ==, "");
  g_free (title);
}

/* A kind of the test's own, for limits no built-in kind uses (minimum lengths,
 * decimals, line-specific kinds). */
static const TerenFieldDef custom_fields[] = {
  { "code", TEREN_FIELD_TEXT, "Code", TEREN_FIELD_FLAG_REQUIRED, 3, 5, NULL, NULL,
    TEREN_SENSITIVITY_NORMAL, NULL },
  { "weight", TEREN_FIELD_DECIMAL, "Weight", TEREN_FIELD_FLAG_NONE, 1, 300, NULL, NULL,
    TEREN_SENSITIVITY_SPECIAL, NULL },
  { "count", TEREN_FIELD_INTEGER, "Count", TEREN_FIELD_FLAG_NONE, 0, 0, NULL, NULL,
    TEREN_SENSITIVITY_NORMAL, NULL },
  { "comment", TEREN_FIELD_TEXT, "Comment", TEREN_FIELD_FLAG_NONE, 0, 0, NULL, NULL,
    TEREN_SENSITIVITY_NORMAL, NULL },
};

static const TerenKindDef custom_kind = {
  "child.test_form", "Test form", FALSE, FALSE, "child", custom_fields, G_N_ELEMENTS (custom_fields)
};

static void
assert_custom_error (JsonObject *fields,
                     const char *line,
                     const char *field,
                     const char *code)
{
  g_autoptr(GPtrArray) errors = NULL;
  TerenFieldError *error;

  teren_schema_validate (&custom_kind, line, fields, TEREN_VALIDATE_COMPLETE, &today, &errors);
  if (code == NULL)
    {
      if (errors->len != 0)
        print_errors (errors);
      g_assert_cmpuint (errors->len, ==, 0);
      return;
    }

  if (errors->len != 1)
    print_errors (errors);
  g_assert_cmpuint (errors->len, ==, 1);
  error = g_ptr_array_index (errors, 0);
  g_assert_cmpstr (error->field, ==, field);
  g_assert_cmpstr (error->code, ==, code);
}

static void
test_custom_kind_limits (void)
{
  g_autoptr(JsonObject) fields = parse_object ("{\"code\": \"ABC\", \"weight\": 12.5, \"count\": -4}");
  g_autofree char *long_comment = g_strnfill (TEREN_TEXT_MAX_CHARS + 1, 'c');
  g_autofree char *max_comment = g_strnfill (TEREN_TEXT_MAX_CHARS, 'c');

  assert_custom_error (fields, "child", NULL, NULL);

  /* A line-specific kind only accepts its own line. */
  assert_custom_error (fields, "elderly", "", "bad_line");
  assert_custom_error (fields, "", "", "bad_line");

  json_object_set_string_member (fields, "code", "AB");
  assert_custom_error (fields, "child", "code", "too_short");
  json_object_set_string_member (fields, "code", "ABCDEF");
  assert_custom_error (fields, "child", "code", "too_long");
  json_object_set_string_member (fields, "code", "ĂȘȚ");   /* 3 characters, 6 bytes */
  assert_custom_error (fields, "child", NULL, NULL);

  json_object_set_double_member (fields, "weight", 0.5);
  assert_custom_error (fields, "child", "weight", "out_of_range");
  json_object_set_double_member (fields, "weight", 300.5);
  assert_custom_error (fields, "child", "weight", "out_of_range");
  json_object_set_int_member (fields, "weight", 300);   /* integers are numbers too */
  assert_custom_error (fields, "child", NULL, NULL);
  json_object_set_string_member (fields, "weight", "12");
  assert_custom_error (fields, "child", "weight", "bad_type");
  json_object_set_boolean_member (fields, "weight", TRUE);
  assert_custom_error (fields, "child", "weight", "bad_type");
  json_object_remove_member (fields, "weight");

  /* No bounds when min and max are 0; decimals are not integers. */
  json_object_set_int_member (fields, "count", G_MAXINT64);
  assert_custom_error (fields, "child", NULL, NULL);
  json_object_set_double_member (fields, "count", 2.5);
  assert_custom_error (fields, "child", "count", "bad_type");
  json_object_set_int_member (fields, "count", 2);

  /* The default limit of a text field. */
  json_object_set_string_member (fields, "comment", max_comment);
  assert_custom_error (fields, "child", NULL, NULL);
  json_object_set_string_member (fields, "comment", long_comment);
  assert_custom_error (fields, "child", "comment", "too_long");
}

#define BLOB_A "sha256:" "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define BLOB_B "sha256:" "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

/* A case with @attachments (JSON text) as its attachment list: exactly one error
 * @code on "attachments", or valid when @code is NULL; the case is not changed. */
static void
assert_attachments (const char *attachments,
                    const char *code)
{
  g_autofree char *text = g_strdup_printf ("{\"person\": \"" PERSON_ID "\", \"opened_on\": \"2026-01-10\","
                                           " \"status\": \"open\", \"attachments\": %s}", attachments);
  g_autoptr(JsonObject) kase = parse_object (text);

  if (code == NULL)
    assert_valid ("case", "child", kase, TEREN_VALIDATE_COMPLETE);
  else
    assert_one_error ("case", "child", kase, TEREN_VALIDATE_COMPLETE, "attachments", code);
}

static void
test_attachments (void)
{
  g_autofree char *long_name = g_strnfill (TEREN_ATTACHMENT_NAME_MAX + 1, 'n');
  g_autofree char *too_long = g_strdup_printf ("[{\"blob\": \"" BLOB_A "\", \"size\": 10,"
                                               " \"mime\": \"image/png\", \"name\": \"%s\"}]", long_name);
  g_autoptr(GString) many = g_string_new ("[");
  g_autoptr(GPtrArray) blobs = g_ptr_array_new ();
  g_autoptr(JsonObject) fields = NULL;
  const char *kinds[] = {
    "case", "referral", "child.signal", "child.court_request", "disability.certificate",
    "disability.personal_assistant", "homeless.profile", "homeless.intervention_plan",
    "elderly.assessment", "canteen.beneficiary", "creche.enrolment",
    "community_health.catagrafie", "school_health.pupil_record",
  };
  guint i;

  /* The kinds where field work produces paper have an optional attachment list. */
  for (i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      const TerenKindDef *kind = teren_schema_lookup_kind (kinds[i]);
      const TerenFieldDef *field;

      g_assert_nonnull (kind);
      field = teren_kind_lookup_field (kind, "attachments");
      g_assert_nonnull (field);
      g_assert_cmpint (field->type, ==, TEREN_FIELD_ATTACHMENT);
      g_assert_false (field->flags & TEREN_FIELD_FLAG_REQUIRED);
      g_assert_cmpstr (teren_field_get_label (field), ==, "Attachments");
    }

  assert_attachments ("[]", NULL);
  assert_attachments ("[{\"blob\": \"" BLOB_A "\", \"size\": 1, \"mime\": \"application/pdf\","
                      " \"name\": \"Acord semnat.pdf\"},"
                      " {\"blob\": \"" BLOB_B "\", \"size\": 10485760, \"mime\": \"image/jpeg\","
                      " \"name\": \"Certificat \u0219.jpg\"}]", NULL);

  assert_attachments ("\"" BLOB_A "\"", "bad_type");
  assert_attachments ("{}", "bad_type");
  assert_attachments ("[\"" BLOB_A "\"]", "bad_attachment");
  assert_attachments ("[{\"blob\": \"" BLOB_A "\", \"size\": 10, \"mime\": \"image/png\"}]", "bad_attachment");
  assert_attachments ("[{\"blob\": \"" BLOB_A "\", \"size\": \"10\", \"mime\": \"image/png\", \"name\": \"a.png\"}]",
                      "bad_attachment");
  assert_attachments ("[{\"blob\": \"" BLOB_A "\", \"size\": 10.5, \"mime\": \"image/png\", \"name\": \"a.png\"}]",
                      "bad_attachment");
  assert_attachments ("[{\"blob\": \"" BLOB_A "\", \"size\": 10, \"mime\": \"image/png\", \"name\": \"a.png\","
                      " \"data\": \"QUJD\"}]", "bad_attachment");
  /* The hash: lower-case hex, 64 digits, sha256 only. */
  assert_attachments ("[{\"blob\": \"sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef\","
                      " \"size\": 10, \"mime\": \"image/png\", \"name\": \"a.png\"}]", "bad_blob_ref");
  assert_attachments ("[{\"blob\": \"sha256:0123\", \"size\": 10, \"mime\": \"image/png\", \"name\": \"a.png\"}]",
                      "bad_blob_ref");
  assert_attachments ("[{\"blob\": \"md5:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\","
                      " \"size\": 10, \"mime\": \"image/png\", \"name\": \"a.png\"}]", "bad_blob_ref");
  assert_attachments ("[{\"blob\": \"" BLOB_A "\", \"size\": 10, \"mime\": \"application/x-executable\","
                      " \"name\": \"a.pdf\"}]", "bad_mime");
  assert_attachments ("[{\"blob\": \"" BLOB_A "\", \"size\": 0, \"mime\": \"image/png\", \"name\": \"a.png\"}]",
                      "attachment_too_large");
  assert_attachments ("[{\"blob\": \"" BLOB_A "\", \"size\": 10485761, \"mime\": \"image/png\", \"name\": \"a.png\"}]",
                      "attachment_too_large");
  assert_attachments ("[{\"blob\": \"" BLOB_A "\", \"size\": 10, \"mime\": \"image/png\", \"name\": \" \"}]",
                      "bad_file_name");
  assert_attachments ("[{\"blob\": \"" BLOB_A "\", \"size\": 10, \"mime\": \"image/png\", \"name\": \"../a.png\"}]",
                      "bad_file_name");
  assert_attachments ("[{\"blob\": \"" BLOB_A "\", \"size\": 10, \"mime\": \"image/png\", \"name\": \"a\\nb.png\"}]",
                      "bad_file_name");
  assert_attachments (too_long, "bad_file_name");
  assert_attachments ("[{\"blob\": \"" BLOB_A "\", \"size\": 10, \"mime\": \"image/png\", \"name\": \"a.png\"},"
                      " {\"blob\": \"" BLOB_A "\", \"size\": 10, \"mime\": \"image/png\", \"name\": \"b.png\"}]",
                      "duplicate_attachment");
  for (i = 0; i <= TEREN_ATTACHMENT_MAX_COUNT; i++)
    g_string_append_printf (many, "%s{\"blob\": \"sha256:%064x\", \"size\": 10, \"mime\": \"image/png\","
                            " \"name\": \"a.png\"}", i > 0 ? ", " : "", i);
  g_string_append (many, "]");
  assert_attachments (many->str, "too_many_attachments");

  /* The blob references of a record's attachment fields, each once. */
  fields = parse_object ("{\"notes\": \"" BLOB_B "\", \"attachments\": ["
                         "{\"blob\": \"" BLOB_A "\", \"size\": 1, \"mime\": \"image/png\", \"name\": \"a.png\"},"
                         "{\"blob\": \"" BLOB_A "\", \"size\": 1, \"mime\": \"image/png\", \"name\": \"b.png\"},"
                         "{\"blob\": \"bad\", \"size\": 1, \"mime\": \"image/png\", \"name\": \"b.png\"}]}");
  teren_attachment_collect_blobs (teren_schema_lookup_kind ("case"), fields, blobs);
  g_assert_cmpuint (blobs->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (blobs, 0), ==, BLOB_A);
  g_assert_true (teren_blob_ref_is_valid (BLOB_B));
  g_assert_false (teren_blob_ref_is_valid (NULL));
  g_assert_false (teren_blob_ref_is_valid (BLOB_B "0"));
}

static gboolean
is_documented_code (const char *code)
{
  const char *codes[] = {
    "required", "too_long", "too_short", "bad_type", "unknown_field", "unknown_choice",
    "invalid_date", "future_date", "out_of_range", "control_chars", "invalid_utf8",
    "bad_reference", "bad_phone", "cnp_sex_mismatch", "cnp_birth_date_mismatch", "bad_line",
    "cnp_not_expected", "cnp_non_standard", "invalid_time",
    "cnp_empty", "cnp_length", "cnp_not_digits", "cnp_sex_digit", "cnp_date", "cnp_future",
    "cnp_county", "cnp_sequence", "cnp_checksum",
    "bad_icd10", "unknown_icd10", "bad_month", "bad_school_year", "too_many_hours",
    "exclusive_choice", "not_applicable",
    "bad_attachment", "bad_blob_ref", "bad_mime", "attachment_too_large", "bad_file_name",
    "duplicate_attachment", "too_many_attachments",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (codes); i++)
    if (strcmp (codes[i], code) == 0)
      return TRUE;

  return FALSE;
}

/* Every field of every kind gets odd values in both modes: no crash, every error is a
 * documented code on a known field. */
static void
test_odd_values (void)
{
  g_autofree char *long_text = g_strnfill (TEREN_LONG_TEXT_MAX_CHARS + 5, 'x');
  g_autofree char *long_json = g_strdup_printf ("\"%s\"", long_text);
  const char *values[] = {
    "null", "0", "-1", "1e308", "-9223372036854775808", "2.5", "true", "\"\"", "\"  \"",
    "\"x\"", "[]", "{}", "[null]", "[\"x\", \"x\"]", "{\"$add\": null}",
    "{\"$add\": [\"physical\"], \"$remove\": [\"visual\"]}", "\"2024-02-30\"",
    "\"9999-12-31\"", "\"1960101410019\"", "\"00:00\"", "\"+40 721 000 000\"",
    "\"123e4567-e89b-42d3-a456-426614174000\"", long_json,
  };
  const TerenKindDef * const *kinds;
  JsonNode *parsed[G_N_ELEMENTS (values)];
  guint n_kinds, k, f, v, m;

  /* Parsed once: the checks, not the parser, are under test (and the sanitizers make
   * parsing the long text thousands of times slow). */
  for (v = 0; v < G_N_ELEMENTS (values); v++)
    parsed[v] = json_from_string (values[v], NULL);

  kinds = teren_schema_list_kinds (&n_kinds);
  for (k = 0; k < n_kinds; k++)
    for (f = 0; f < kinds[k]->n_fields; f++)
      for (v = 0; v < G_N_ELEMENTS (values); v++)
        for (m = 0; m < 2; m++)
          {
            g_autoptr(JsonObject) fields = json_object_new ();
            g_autoptr(GPtrArray) errors = NULL;
            guint e;

            json_object_set_member (fields, kinds[k]->fields[f].key,
                                    parsed[v] != NULL ? json_node_copy (parsed[v])
                                                      : json_node_new (JSON_NODE_NULL));
            teren_schema_validate (kinds[k], kinds[k]->registry ? "" : "child", fields,
                                   m == 0 ? TEREN_VALIDATE_PATCH : TEREN_VALIDATE_COMPLETE,
                                   &today, &errors);
            for (e = 0; e < errors->len; e++)
              {
                TerenFieldError *error = g_ptr_array_index (errors, e);

                if (!is_documented_code (error->code))
                  g_error ("undocumented code %s", error->code);
                g_assert_true (error->field[0] == '\0' ||
                               teren_kind_lookup_field (kinds[k], error->field) != NULL);
              }
          }

  for (v = 0; v < G_N_ELEMENTS (values); v++)
    g_clear_pointer (&parsed[v], json_node_unref);
}

/* Attachments are shown by name and size (record page, documents, GDPR export). */
static void
test_attachment_describe (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) value = teren_json_parse (
    "[{\"blob\":\"sha256:0000000000000000000000000000000000000000000000000000000000000000\","
    "\"size\":2048,\"mime\":\"application/pdf\",\"name\":\"consimțământ.pdf\"},"
    "{\"blob\":\"sha256:1111111111111111111111111111111111111111111111111111111111111111\","
    "\"size\":1500000,\"mime\":\"image/jpeg\",\"name\":\"certificat.jpg\"}]", -1, 64, &error);
  g_autoptr(JsonNode) empty = teren_json_parse ("[]", -1, 64, &error);
  g_autoptr(JsonNode) text = teren_json_parse ("\"x\"", -1, 64, &error);
  g_autofree char *described = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *size_a = g_format_size (2048);
  g_autofree char *size_b = g_format_size (1500000);

  g_assert_no_error (error);
  described = teren_attachment_describe (value);
  expected = g_strdup_printf ("consimțământ.pdf (%s), certificat.jpg (%s)", size_a, size_b);
  g_assert_cmpstr (described, ==, expected);
  g_assert_null (teren_attachment_describe (empty));
  g_assert_null (teren_attachment_describe (text));
  g_assert_null (teren_attachment_describe (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 22, G_DATE_NOVEMBER, 2026);

  g_test_add_func ("/schema/registry", test_registry);
  g_test_add_func ("/schema/stable-keys", test_stable_keys);
  g_test_add_func ("/schema/lines", test_lines);
  g_test_add_func ("/schema/valid-person", test_valid_person);
  g_test_add_func ("/schema/bad-line", test_bad_line);
  g_test_add_func ("/schema/too-long", test_name_too_long);
  g_test_add_func ("/schema/control-chars", test_control_chars);
  g_test_add_func ("/schema/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/schema/unknown-field", test_unknown_field);
  g_test_add_func ("/schema/unknown-choice", test_unknown_choice);
  g_test_add_func ("/schema/multi-choice", test_multi_choice);
  g_test_add_func ("/schema/dates", test_dates);
  g_test_add_func ("/schema/required", test_required);
  g_test_add_func ("/schema/error-order", test_error_order);
  g_test_add_func ("/schema/cnp/rules", test_cnp_rules);
  g_test_add_func ("/schema/cnp/status", test_cnp_status);
  g_test_add_func ("/schema/cnp/consistency", test_cnp_consistency);
  g_test_add_func ("/schema/types", test_types);
  g_test_add_func ("/schema/case-and-members", test_case_and_members);
  g_test_add_func ("/schema/null-fields", test_null_fields);
  g_test_add_func ("/schema/normalize-fields", test_normalize_fields);
  g_test_add_func ("/schema/search-text", test_search_text);
  g_test_add_func ("/schema/titles", test_titles);
  g_test_add_func ("/schema/custom-kind-limits", test_custom_kind_limits);
  g_test_add_func ("/schema/odd-values", test_odd_values);
  g_test_add_func ("/schema/attachments", test_attachments);
  g_test_add_func ("/schema/attachment-describe", test_attachment_describe);

  return g_test_run ();
}
