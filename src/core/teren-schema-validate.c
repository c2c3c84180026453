/* teren-schema-validate.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "teren-attachment.h"
#include "teren-cnp.h"
#include "teren-date.h"
#include "teren-lifecycle.h"
#include "teren-schema-private.h"
#include "teren-vitals.h"
#include "teren-text.h"
#include "teren-uuid.h"

/* Validation of records and patches against the kind tables (teren_schema_validate). */

/* Earliest plausible date for a date that must not be in the future (birth, death,
 * issue dates): catches typos such as 0197-05-01. */
#define MIN_PAST_YEAR 1850
#define PHONE_MIN_DIGITS 6
#define PHONE_MAX_DIGITS 20
#define NON_STANDARD_CNP_MAX 20

void
teren_field_error_free (TerenFieldError *error)
{
  if (error == NULL)
    return;

  g_free (error->field);
  g_free (error->code);
  g_free (error->message);
  g_free (error);
}

TerenFieldError *
teren_field_error_new (const char *field,
                       const char *code,
                       const char *message)
{
  TerenFieldError *error = g_new0 (TerenFieldError, 1);

  error->field = g_strdup (field != NULL ? field : "");
  error->code = g_strdup (code);
  error->message = g_strdup (message);
  return error;
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
add_error_take (GPtrArray  *errors,
                const char *field,
                const char *code,
                char       *message)
{
  g_ptr_array_add (errors, teren_field_error_new (field, code, message));
  g_free (message);
}

static gboolean
node_is_null (JsonNode *node)
{
  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

/* A string of the right encoding, without control characters, within the length
 * limits. Returns FALSE (and adds an error) if it is not. */
static gboolean
check_string (const TerenFieldDef *field,
              const char          *value,
              gboolean             allow_newlines,
              GPtrArray           *errors)
{
  glong length;
  gint64 max;

  if (!g_utf8_validate (value, -1, NULL))
    {
      add_error (errors, field->key, "invalid_utf8",
                 _("The text contains invalid characters"));
      return FALSE;
    }

  if (teren_text_has_control_chars (value, allow_newlines))
    {
      add_error (errors, field->key, "control_chars",
                 allow_newlines ? _("The text contains control characters")
                                : _("The text must be on one line, without control characters"));
      return FALSE;
    }

  length = teren_text_length (value);
  max = field->max;
  if (max <= 0)
    max = field->type == TEREN_FIELD_LONG_TEXT ? TEREN_LONG_TEXT_MAX_CHARS
                                               : TEREN_TEXT_MAX_CHARS;

  if (length > max)
    {
      add_error_take (errors, field->key, "too_long",
                      g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                    "At most %d character is allowed",
                                                    "At most %d characters are allowed",
                                                    (gulong) max),
                                       (int) max));
      return FALSE;
    }

  if (field->min > 0 && length < field->min)
    {
      add_error_take (errors, field->key, "too_short",
                      g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                    "At least %d character is needed",
                                                    "At least %d characters are needed",
                                                    (gulong) field->min),
                                       (int) field->min));
      return FALSE;
    }

  return TRUE;
}

/* "HH:MM", 00:00–23:59. */
static gboolean
is_valid_time (const char *value)
{
  int h, m;

  if (strlen (value) != 5 || value[2] != ':' ||
      !g_ascii_isdigit (value[0]) || !g_ascii_isdigit (value[1]) ||
      !g_ascii_isdigit (value[3]) || !g_ascii_isdigit (value[4]))
    return FALSE;

  h = (value[0] - '0') * 10 + (value[1] - '0');
  m = (value[3] - '0') * 10 + (value[4] - '0');
  return h < 24 && m < 60;
}

static gboolean
is_time_field (const TerenFieldDef *field)
{
  return g_str_has_suffix (field->key, "_time");
}

static gboolean
parse_iso_date (const char *value,
                GDate      *out_date)
{
  g_autofree char *iso = NULL;

  /* Stored dates are canonical ISO; "01.02.2020" is normalised before validation. */
  iso = teren_date_to_iso (value);
  if (iso == NULL || strcmp (iso, value) != 0)
    return FALSE;

  return teren_date_parse (value, out_date);
}

static void
check_date (const TerenFieldDef *field,
            const char          *value,
            const GDate         *today,
            GPtrArray           *errors)
{
  GDate date;

  if (!parse_iso_date (value, &date))
    {
      add_error (errors, field->key, "invalid_date", _("Not a valid date"));
      return;
    }

  if (field->flags & TEREN_FIELD_FLAG_NO_FUTURE)
    {
      if (g_date_compare (&date, today) > 0)
        add_error (errors, field->key, "future_date", _("The date cannot be in the future"));
      else if (g_date_get_year (&date) < MIN_PAST_YEAR)
        add_error (errors, field->key, "out_of_range", _("The date is too far in the past"));
    }
}

static void
check_choice_code (const TerenFieldDef     *field,
                   const TerenNomenclature *nomenclature,
                   const char              *code,
                   GPtrArray               *errors)
{
  if (!teren_nomenclature_has_code (nomenclature, code))
    add_error (errors, field->key, "unknown_choice", _("Not one of the allowed choices"));
}

/* A JSON array of distinct known codes. Returns FALSE after adding an error. */
static gboolean
check_code_array (const TerenFieldDef *field,
                  JsonNode            *node,
                  GPtrArray           *errors)
{
  const TerenNomenclature *nomenclature = teren_nomenclature_lookup (field->nomenclature);
  g_autoptr(GHashTable) seen = NULL;
  JsonArray *array;
  guint n, i;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      add_error (errors, field->key, "bad_type", _("A list of choices was expected"));
      return FALSE;
    }

  seen = g_hash_table_new (g_str_hash, g_str_equal);
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  for (i = 0; i < n; i++)
    {
      const char *code = teren_schema_node_string (json_array_get_element (array, i));

      if (code == NULL || g_hash_table_contains (seen, code))
        {
          add_error (errors, field->key, "bad_type",
                     _("A list of distinct choices was expected"));
          return FALSE;
        }
      if (!teren_nomenclature_has_code (nomenclature, code))
        {
          add_error (errors, field->key, "unknown_choice", _("Not one of the allowed choices"));
          return FALSE;
        }
      g_hash_table_add (seen, (gpointer) code);
    }

  return TRUE;
}

static void
check_multi_choice (const TerenFieldDef *field,
                    JsonNode            *node,
                    TerenValidateFlags   flags,
                    GPtrArray           *errors)
{
  JsonObject *object;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  if (!JSON_NODE_HOLDS_OBJECT (node) || (flags & TEREN_VALIDATE_COMPLETE))
    {
      check_code_array (field, node, errors);
      return;
    }

  /* In a patch: {"$add": [...], "$remove": [...]} (teren-merge.h). */
  object = json_node_get_object (node);
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &member))
    {
      if (strcmp (name, "$add") != 0 && strcmp (name, "$remove") != 0)
        {
          add_error (errors, field->key, "bad_type", _("A list of choices was expected"));
          return;
        }
      if (!check_code_array (field, member, errors))
        return;
    }
}

/* An attachment list: [{"blob": "sha256:<hex>", "size": n, "mime": m, "name": s}, …]
 * (teren-attachment.h). The whole list is replaced by a patch, as any value. The first
 * failure is reported. */
static void
check_attachments (const TerenFieldDef *field,
                   JsonNode            *node,
                   GPtrArray           *errors)
{
  g_autoptr(GHashTable) seen = NULL;
  JsonArray *array;
  guint n, i;
  gint64 max_count = field->max > 0 ? field->max : TEREN_ATTACHMENT_MAX_COUNT;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      add_error (errors, field->key, "bad_type", _("A list of attachments was expected"));
      return;
    }

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n > max_count)
    {
      add_error_take (errors, field->key, "too_many_attachments",
                      g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                    "At most %d attachment is allowed",
                                                    "At most %d attachments are allowed",
                                                    (gulong) max_count),
                                       (int) max_count));
      return;
    }

  seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *object;
      JsonNode *size_node;
      const char *blob, *mime, *name;
      gint64 size;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          add_error (errors, field->key, "bad_attachment", _("An attachment is not valid"));
          return;
        }
      object = json_node_get_object (element);
      blob = teren_schema_member_string (object, "blob");
      mime = teren_schema_member_string (object, "mime");
      name = teren_schema_member_string (object, "name");
      size_node = json_object_get_member (object, "size");
      if (blob == NULL || mime == NULL || name == NULL || size_node == NULL ||
          !JSON_NODE_HOLDS_VALUE (size_node) ||
          json_node_get_value_type (size_node) != G_TYPE_INT64 ||
          json_object_get_size (object) != 4)
        {
          add_error (errors, field->key, "bad_attachment", _("An attachment is not valid"));
          return;
        }
      if (!teren_blob_ref_is_valid (blob))
        {
          add_error (errors, field->key, "bad_blob_ref",
                     _("An attachment does not name its file’s content correctly"));
          return;
        }
      if (!teren_attachment_mime_is_allowed (mime))
        {
          add_error (errors, field->key, "bad_mime",
                     _("Only PDF, JPEG and PNG files can be attached"));
          return;
        }
      size = json_node_get_int (size_node);
      if (size < 1 || size > TEREN_ATTACHMENT_MAX_SIZE)
        {
          add_error (errors, field->key, "attachment_too_large",
                     size < 1 ? _("An attached file cannot be empty")
                              : _("The file is larger than 10 MiB"));
          return;
        }
      if (!g_utf8_validate (name, -1, NULL) || teren_schema_is_blank (name) ||
          teren_text_has_control_chars (name, FALSE) ||
          teren_text_length (name) > TEREN_ATTACHMENT_NAME_MAX ||
          strchr (name, '/') != NULL || strchr (name, '\\') != NULL)
        {
          add_error (errors, field->key, "bad_file_name",
                     _("An attachment’s file name is empty, too long or contains / or control characters"));
          return;
        }
      if (g_hash_table_contains (seen, blob))
        {
          add_error (errors, field->key, "duplicate_attachment",
                     _("The same file is attached twice"));
          return;
        }
      g_hash_table_add (seen, (gpointer) blob);
    }
}

static gboolean
is_valid_phone (const char *value)
{
  guint digits = 0;
  const char *p;

  for (p = value; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        digits++;
      else if (*p != ' ' && *p != '+' && *p != '(' && *p != ')' && *p != '-')
        return FALSE;
    }

  return digits >= PHONE_MIN_DIGITS && digits <= PHONE_MAX_DIGITS;
}

static gboolean
is_valid_non_standard_cnp (const char *value)
{
  gsize n = strlen (value);
  gsize i;

  if (n < 1 || n > NON_STANDARD_CNP_MAX)
    return FALSE;
  for (i = 0; i < n; i++)
    if (!g_ascii_isalnum (value[i]))
      return FALSE;

  return TRUE;
}

/* DOMAIN.md §C1 rule 7: the CNP's sex and birth date must agree with the entered ones. */
static void
check_cnp_consistency (const TerenFieldDef *field,
                       const TerenCnpInfo  *info,
                       JsonObject          *fields,
                       GPtrArray           *errors)
{
  const char *sex = teren_schema_member_string (fields, "sex");
  const char *birth_date = teren_schema_member_string (fields, "birth_date");
  GDate date;

  if (sex != NULL && info->sex != 0 && (strcmp (sex, "M") == 0 || strcmp (sex, "F") == 0) &&
      sex[0] != info->sex)
    add_error (errors, field->key, "cnp_sex_mismatch",
               _("The CNP does not match the person’s sex"));

  if (birth_date != NULL && parse_iso_date (birth_date, &date))
    {
      gboolean same_day = (int) g_date_get_month (&date) == info->month &&
                          (int) g_date_get_day (&date) == info->day;
      gboolean same_year = info->century_known
                           ? (int) g_date_get_year (&date) == info->year
                           : (int) g_date_get_year (&date) % 100 == info->year % 100;

      if (!same_day || !same_year)
        add_error (errors, field->key, "cnp_birth_date_mismatch",
                   _("The CNP does not match the birth date"));
    }
}

static void
check_cnp (const TerenFieldDef *field,
           const char          *value,
           JsonObject          *fields,
           const GDate         *today,
           GPtrArray           *errors)
{
  const char *status = teren_schema_member_string (fields, "cnp_status");

  if (status != NULL && (strcmp (status, TEREN_CNP_STATUS_MISSING) == 0 ||
                         strcmp (status, TEREN_CNP_STATUS_REFUSED) == 0))
    {
      add_error (errors, field->key, "cnp_not_expected",
                 _("No CNP may be entered when the person has none or refuses to give it"));
      return;
    }

  if (status != NULL && strcmp (status, TEREN_CNP_STATUS_NON_STANDARD) == 0)
    {
      if (!is_valid_non_standard_cnp (value))
        add_error (errors, field->key, "cnp_non_standard",
                   _("A non-standard code has 1 to 20 letters or digits"));
      return;
    }

  /* "valid", absent, or a status this schema does not know (reported on its own field). */
  {
    TerenCnpInfo info = { 0 };
    TerenCnpResult result = teren_cnp_validate (value, today, &info);

    if (result != TEREN_CNP_OK)
      {
        g_autofree char *code = g_strconcat ("cnp_", teren_cnp_result_to_code (result), NULL);

        add_error (errors, field->key, code, teren_cnp_result_to_message (result));
        return;
      }

    check_cnp_consistency (field, &info, fields, errors);
  }
}

static void
add_required (GPtrArray           *errors,
              const TerenFieldDef *field)
{
  add_error (errors, field->key, "required", _("This field is required"));
}

static void
add_range_error (GPtrArray           *errors,
                 const TerenFieldDef *field)
{
  g_autofree char *min = g_strdup_printf ("%" G_GINT64_FORMAT, field->min);
  g_autofree char *max = g_strdup_printf ("%" G_GINT64_FORMAT, field->max);

  add_error_take (errors, field->key, "out_of_range",
                  g_strdup_printf (_("The value must be between %s and %s"), min, max));
}

static void
check_value (const TerenKindDef  *kind,
             const TerenFieldDef *field,
             JsonNode            *node,
             JsonObject          *fields,
             TerenValidateFlags   flags,
             const GDate         *today,
             GPtrArray           *errors)
{
  gboolean required = (field->flags & TEREN_FIELD_FLAG_REQUIRED) != 0;
  const char *text = NULL;

  if (node_is_null (node))
    {
      if (required)
        add_required (errors, field);
      return;
    }

  switch (field->type)
    {
    case TEREN_FIELD_TEXT:
    case TEREN_FIELD_LONG_TEXT:
    case TEREN_FIELD_DATE:
    case TEREN_FIELD_CHOICE:
    case TEREN_FIELD_CNP:
    case TEREN_FIELD_PHONE:
    case TEREN_FIELD_REFERENCE:
      text = teren_schema_node_string (node);
      if (text == NULL)
        {
          add_error (errors, field->key, "bad_type", _("Text was expected"));
          return;
        }
      if (!check_string (field, text, field->type == TEREN_FIELD_LONG_TEXT, errors))
        return;
      if (teren_schema_is_blank (text))
        {
          /* An empty string clears a text; typed values must be null instead. */
          if (required)
            add_required (errors, field);
          else if (field->type != TEREN_FIELD_TEXT && field->type != TEREN_FIELD_LONG_TEXT)
            add_error (errors, field->key, "bad_type", _("Text was expected"));
          return;
        }
      break;

    case TEREN_FIELD_INTEGER:
    case TEREN_FIELD_DECIMAL:
    case TEREN_FIELD_BOOLEAN:
    case TEREN_FIELD_MULTI_CHOICE:
    case TEREN_FIELD_ATTACHMENT:
      break;

    default:
      g_assert_not_reached ();
    }

  switch (field->type)
    {
    case TEREN_FIELD_TEXT:
      if (is_time_field (field) && !is_valid_time (text))
        add_error (errors, field->key, "invalid_time", _("Not a valid time (HH:MM)"));
      break;

    case TEREN_FIELD_LONG_TEXT:
      break;

    case TEREN_FIELD_DATE:
      check_date (field, text, today, errors);
      break;

    case TEREN_FIELD_CHOICE:
      check_choice_code (field, teren_nomenclature_lookup (field->nomenclature), text, errors);
      break;

    case TEREN_FIELD_CNP:
      check_cnp (field, text, fields, today, errors);
      break;

    case TEREN_FIELD_PHONE:
      if (!is_valid_phone (text))
        add_error (errors, field->key, "bad_phone",
                   _("A phone number has 6 to 20 digits and only + ( ) - and spaces besides"));
      break;

    case TEREN_FIELD_REFERENCE:
      if (!teren_uuid_is_valid (text))
        add_error (errors, field->key, "bad_reference", _("Not a valid record reference"));
      break;

    case TEREN_FIELD_INTEGER:
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
        add_error (errors, field->key, "bad_type", _("A whole number was expected"));
      else if ((field->min != 0 || field->max != 0) &&
               (json_node_get_int (node) < field->min || json_node_get_int (node) > field->max))
        add_range_error (errors, field);
      break;

    case TEREN_FIELD_DECIMAL:
      if (!JSON_NODE_HOLDS_VALUE (node) ||
          (json_node_get_value_type (node) != G_TYPE_INT64 &&
           json_node_get_value_type (node) != G_TYPE_DOUBLE))
        add_error (errors, field->key, "bad_type", _("A number was expected"));
      else if ((field->min != 0 || field->max != 0) &&
               (json_node_get_double (node) < (double) field->min ||
                json_node_get_double (node) > (double) field->max))
        add_range_error (errors, field);
      break;

    case TEREN_FIELD_BOOLEAN:
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        add_error (errors, field->key, "bad_type", _("Yes or no was expected"));
      break;

    case TEREN_FIELD_MULTI_CHOICE:
      check_multi_choice (field, node, flags, errors);
      break;

    case TEREN_FIELD_ATTACHMENT:
      check_attachments (field, node, errors);
      break;

    default:
      g_assert_not_reached ();
    }
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

/* Two members of @fields that must be in order (start ≤ end), when both are present and
 * valid. Dates and "HH:MM" times both compare as strings. */
static void
check_order (JsonObject  *fields,
             const char  *first,
             const char  *second,
             GPtrArray   *errors,
             const char  *message)
{
  const char *a = teren_schema_member_string (fields, first);
  const char *b = teren_schema_member_string (fields, second);

  if (a == NULL || b == NULL || a[0] == '\0' || b[0] == '\0')
    return;
  if (has_error_for (errors, first) || has_error_for (errors, second))
    return;

  if (strcmp (a, b) > 0)
    add_error (errors, second, "out_of_range", message);
}

static void
check_cross_fields (const TerenKindDef *kind,
                    JsonObject         *fields,
                    TerenValidateFlags  flags,
                    GPtrArray          *errors)
{
  if (strcmp (kind->name, "person") == 0)
    {
      const char *status = teren_schema_member_string (fields, "cnp_status");
      JsonNode *cnp = json_object_get_member (fields, "cnp");

      /* A valid status needs the CNP itself in a whole record. */
      if ((flags & TEREN_VALIDATE_COMPLETE) && status != NULL &&
          strcmp (status, TEREN_CNP_STATUS_VALID) == 0 &&
          (node_is_null (cnp) || (teren_schema_node_string (cnp) != NULL && teren_schema_is_blank (teren_schema_node_string (cnp)))) &&
          !has_error_for (errors, "cnp"))
        add_error (errors, "cnp", "required", _("This field is required"));

      check_order (fields, "birth_date", "death_date", errors,
                   _("The date of death is before the birth date"));
    }
  else if (strcmp (kind->name, "household_member") == 0)
    check_order (fields, "start_date", "end_date", errors,
                 _("The end date is before the start date"));
  else if (strcmp (kind->name, "case") == 0)
    check_order (fields, "opened_on", "closed_on", errors,
                 _("The case is closed before it was opened"));
  else if (strcmp (kind->name, "visit") == 0)
    {
      check_order (fields, "start_time", "end_time", errors,
                   _("The visit ends before it starts"));
      if ((flags & TEREN_VALIDATE_COMPLETE) &&
          node_is_null (json_object_get_member (fields, "person")) &&
          node_is_null (json_object_get_member (fields, "case")) &&
          node_is_null (json_object_get_member (fields, "household")))
        add_error (errors, "person", "required",
                   _("A visit needs a person, a case or a household"));
    }
}

gboolean
teren_schema_validate (const TerenKindDef  *kind,
                       const char          *line,
                       JsonObject          *fields,
                       TerenValidateFlags   flags,
                       const GDate         *today,
                       GPtrArray          **errors)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify) teren_field_error_free);
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;
  GDate now;
  guint i;

  g_return_val_if_fail (kind != NULL, FALSE);

  if (today != NULL && g_date_valid (today))
    now = *today;
  else
    teren_date_today (&now);

  if (!teren_kind_accepts_line (kind, line))
    add_error (result, "", "bad_line", _("This kind of record does not belong to this service line"));

  if (fields != NULL)
    {
      for (i = 0; i < kind->n_fields; i++)
        {
          const TerenFieldDef *field = &kind->fields[i];

          if (json_object_has_member (fields, field->key))
            check_value (kind, field, json_object_get_member (fields, field->key),
                         fields, flags, &now, result);
          else if ((flags & TEREN_VALIDATE_COMPLETE) &&
                   (field->flags & TEREN_FIELD_FLAG_REQUIRED))
            add_required (result, field);
        }

      check_cross_fields (kind, fields, flags, result);
      teren_health_check_cross_fields (kind, fields, flags, &now, result);
      teren_lifecycle_check (kind, line, fields, flags, &now, result);

      if (!(flags & TEREN_VALIDATE_LENIENT_UNKNOWN))
        {
          json_object_iter_init (&iter, fields);
          while (json_object_iter_next (&iter, &name, &node))
            if (teren_kind_lookup_field (kind, name) == NULL)
              add_error (result, name, "unknown_field", _("This field does not exist"));
        }
    }
  else if (flags & TEREN_VALIDATE_COMPLETE)
    {
      for (i = 0; i < kind->n_fields; i++)
        if (kind->fields[i].flags & TEREN_FIELD_FLAG_REQUIRED)
          add_required (result, &kind->fields[i]);
    }

  if (errors != NULL)
    *errors = g_ptr_array_ref (result);

  return result->len == 0;
}

