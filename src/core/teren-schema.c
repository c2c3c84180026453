/* teren-schema.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "teren-cnp.h"
#include "teren-date.h"
#include "teren-line.h"
#include "teren-schema-private.h"
#include "teren-text.h"


/* Every kind by its name: teren_schema_lookup_kind() runs for every record made or checked. */
static GHashTable *kinds_by_name;

/* The kinds of every table (registry, social lines, health lines), in one NULL-terminated
 * array built once. */
static const TerenKindDef * const *
all_kinds (guint *n_kinds)
{
  static const TerenKindDef **kinds = NULL;
  static guint n = 0;
  static gsize initialised = 0;

  if (g_once_init_enter (&initialised))
    {
      const TerenKindDef * const *tables[] = {
        teren_schema_kinds,
        teren_schema_kinds_social,
        teren_schema_kinds_health,
      };
      GPtrArray *all = g_ptr_array_new ();
      guint t, i;

      for (t = 0; t < G_N_ELEMENTS (tables); t++)
        for (i = 0; tables[t][i] != NULL; i++)
          g_ptr_array_add (all, (gpointer) tables[t][i]);
      n = all->len;
      kinds_by_name = g_hash_table_new (g_str_hash, g_str_equal);
      for (i = 0; i < n; i++)
        g_hash_table_insert (kinds_by_name, (gpointer) ((const TerenKindDef *) all->pdata[i])->name, all->pdata[i]);
      g_ptr_array_add (all, NULL);
      /* Lives as long as the program, like the static tables it points into. */
      kinds = (const TerenKindDef **) g_ptr_array_free (all, FALSE);
      g_once_init_leave (&initialised, 1);
    }

  if (n_kinds != NULL)
    *n_kinds = n;

  return kinds;
}

const TerenKindDef *
teren_schema_lookup_kind (const char *kind)
{
  if (kind == NULL)
    return NULL;

  all_kinds (NULL);
  return g_hash_table_lookup (kinds_by_name, kind);
}

const TerenKindDef * const *
teren_schema_list_kinds (guint *n_kinds)
{
  return all_kinds (n_kinds);
}

const TerenFieldDef *
teren_kind_lookup_field (const TerenKindDef *kind,
                         const char         *key)
{
  guint i;

  if (kind == NULL || key == NULL)
    return NULL;

  for (i = 0; i < kind->n_fields; i++)
    if (strcmp (kind->fields[i].key, key) == 0)
      return &kind->fields[i];

  return NULL;
}

gboolean
teren_schema_is_registry_kind (const char *kind)
{
  const TerenKindDef *def = teren_schema_lookup_kind (kind);

  return def != NULL && def->registry;
}

const char *
teren_field_get_label (const TerenFieldDef *field)
{
  g_return_val_if_fail (field != NULL, NULL);

  return g_dgettext (GETTEXT_PACKAGE, field->label);
}

const char *
teren_kind_get_label (const TerenKindDef *kind)
{
  g_return_val_if_fail (kind != NULL, NULL);

  return g_dgettext (GETTEXT_PACKAGE, kind->label);
}

gboolean
teren_kind_accepts_line (const TerenKindDef *kind,
                         const char         *line)
{
  g_return_val_if_fail (kind != NULL, FALSE);

  if (line == NULL)
    line = "";

  if (kind->registry)
    return line[0] == '\0';
  if (kind->any_line)
    return teren_line_is_valid (line);
  return kind->line != NULL && strcmp (kind->line, line) == 0;
}


const char *
teren_schema_node_string (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

const char *
teren_schema_member_string (JsonObject *fields,
                            const char *key)
{
  if (fields == NULL)
    return NULL;

  return teren_schema_node_string (json_object_get_member (fields, key));
}

gboolean
teren_schema_is_blank (const char *value)
{
  const char *p;

  for (p = value; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;

  return TRUE;
}

void
teren_schema_normalize_fields (const TerenKindDef *kind,
                               JsonObject         *fields)
{
  guint i;

  g_return_if_fail (kind != NULL);

  if (fields == NULL)
    return;

  for (i = 0; i < kind->n_fields; i++)
    {
      const TerenFieldDef *field = &kind->fields[i];
      const char *value = teren_schema_member_string (fields, field->key);
      g_autofree char *normal = NULL;

      /* Invalid UTF-8 is left for validation to report, never silently repaired. */
      if (value == NULL || !g_utf8_validate (value, -1, NULL))
        continue;

      switch (field->type)
        {
        case TEREN_FIELD_TEXT:
        case TEREN_FIELD_LONG_TEXT:
        case TEREN_FIELD_CHOICE:
          normal = teren_text_normalize (value);
          break;

        case TEREN_FIELD_CNP:
          {
            g_autofree char *nfc = teren_text_normalize (value);

            normal = teren_cnp_normalize (nfc);
          }
          break;

        case TEREN_FIELD_PHONE:
          normal = teren_text_normalize (value);
          break;

        case TEREN_FIELD_DATE:
          normal = teren_date_to_iso (value);
          if (normal == NULL)
            normal = teren_text_normalize (value);
          break;

        case TEREN_FIELD_REFERENCE:
          {
            g_autofree char *trimmed = teren_text_normalize (value);

            normal = g_ascii_strdown (trimmed, -1);
          }
          break;

        case TEREN_FIELD_INTEGER:
        case TEREN_FIELD_DECIMAL:
        case TEREN_FIELD_BOOLEAN:
        case TEREN_FIELD_MULTI_CHOICE:
        case TEREN_FIELD_ATTACHMENT:
          break;

        default:
          break;
        }

      if (normal != NULL && strcmp (normal, value) != 0)
        json_object_set_string_member (fields, field->key, normal);
    }
}

char *
teren_schema_search_text (const TerenKindDef *kind,
                          JsonObject         *fields)
{
  GString *out = g_string_new (NULL);
  guint i;

  g_return_val_if_fail (kind != NULL, g_string_free (out, FALSE));

  for (i = 0; fields != NULL && i < kind->n_fields; i++)
    {
      const TerenFieldDef *field = &kind->fields[i];
      const char *value;
      g_autofree char *folded = NULL;

      if (!(field->flags & TEREN_FIELD_FLAG_SEARCH))
        continue;

      value = teren_schema_member_string (fields, field->key);
      if (value == NULL || !g_utf8_validate (value, -1, NULL))
        continue;

      folded = teren_text_fold (value);
      if (folded[0] == '\0')
        continue;

      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, folded);
    }

  return g_string_free (out, FALSE);
}

static const char *
valid_string (JsonObject *fields,
              const char *key)
{
  const char *value = teren_schema_member_string (fields, key);

  if (value == NULL || !g_utf8_validate (value, -1, NULL) || teren_schema_is_blank (value))
    return NULL;

  return value;
}

static char *
choice_label (const TerenKindDef *kind,
              JsonObject         *fields,
              const char         *key)
{
  const TerenFieldDef *field = teren_kind_lookup_field (kind, key);
  const char *code = valid_string (fields, key);
  const char *label;

  if (field == NULL || code == NULL)
    return NULL;

  label = teren_nomenclature_get_label (teren_nomenclature_lookup (field->nomenclature), code);
  return g_strdup (label);
}

char *
teren_schema_record_title (const TerenKindDef *kind,
                           JsonObject         *fields)
{
  const char *a, *b;

  if (kind == NULL)
    return g_strdup ("");

  if (strcmp (kind->name, "person") == 0)
    {
      a = valid_string (fields, "last_name");
      b = valid_string (fields, "first_name");
      if (a != NULL && b != NULL)
        return g_strdup_printf ("%s %s", a, b);
      if (a != NULL || b != NULL)
        return g_strdup (a != NULL ? a : b);
      return g_strdup (_("Unnamed person"));
    }

  if (strcmp (kind->name, "household") == 0)
    {
      a = valid_string (fields, "address");
      b = valid_string (fields, "label");
      if (a != NULL || b != NULL)
        return g_strdup (a != NULL ? a : b);
    }
  else if (strcmp (kind->name, "family") == 0)
    {
      a = valid_string (fields, "label");
      if (a != NULL)
        return g_strdup (a);
    }
  else if (strcmp (kind->name, "case") == 0)
    {
      a = valid_string (fields, "number");
      if (a != NULL)
        return g_strdup_printf (_("Case %s"), a);
    }
  else if (strcmp (kind->name, "visit") == 0)
    {
      g_autofree char *date = NULL;
      g_autofree char *status = choice_label (kind, fields, "status");

      a = valid_string (fields, "date");
      if (a != NULL)
        date = teren_date_to_display (a);
      if (date != NULL && status != NULL)
        return g_strdup_printf (_("Visit of %s (%s)"), date, status);
      if (date != NULL)
        return g_strdup_printf (_("Visit of %s"), date);
    }
  else if (strcmp (kind->name, "household_member") == 0 ||
           strcmp (kind->name, "family_member") == 0)
    {
      char *relationship = choice_label (kind, fields, "relationship");

      if (relationship != NULL)
        return relationship;
    }

  return g_strdup (teren_kind_get_label (kind));
}
