/* teren-import-columns.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "teren-cnp.h"
#include "teren-date.h"
#include "teren-error.h"
#include "teren-import-columns.h"
#include "teren-nomenclature.h"
#include "teren-text.h"

/* Column titles seen in the Excel registers of directorates, already folded (lower case,
 * no diacritics, punctuation as single spaces). The keys, English labels and Romanian
 * labels of every field are accepted as well; these are the other usual spellings. */
typedef struct {
  const char *kind;
  const char *key;
  const char *title;
} TitleAlias;

static const TitleAlias title_aliases[] = {
  { "person", "cnp", "cnp" },
  { "person", "cnp", "cod numeric personal" },
  { "person", "cnp", "c n p" },
  { "person", "cnp_status", "stare cnp" },
  { "person", "cnp_status", "status cnp" },
  { "person", "cnp_status", "situatie cnp" },
  { "person", "last_name", "nume" },
  { "person", "last_name", "numele" },
  { "person", "last_name", "nume de familie" },
  { "person", "last_name", "surname" },
  { "person", "last_name", "family name" },
  { "person", "first_name", "prenume" },
  { "person", "first_name", "prenumele" },
  { "person", "first_name", "given name" },
  { "person", "prior_name", "nume anterior" },
  { "person", "prior_name", "nume avut anterior" },
  { "person", "birth_date", "data nasterii" },
  { "person", "birth_date", "data de nastere" },
  { "person", "birth_date", "data nastere" },
  { "person", "birth_date", "data nasterii zz ll aaaa" },
  { "person", "birth_date", "nascut" },
  { "person", "birth_date", "nascut la" },
  { "person", "birth_date", "nascuta la" },
  { "person", "birth_date", "date of birth" },
  { "person", "sex", "sex" },
  { "person", "sex", "sexul" },
  { "person", "sex", "gen" },
  { "person", "citizenship", "cetatenie" },
  { "person", "citizenship", "cetatenia" },
  { "person", "ethnicity", "etnie" },
  { "person", "ethnicity", "etnia" },
  { "person", "civil_status", "stare civila" },
  { "person", "civil_status", "starea civila" },
  { "person", "education", "studii" },
  { "person", "education", "nivel studii" },
  { "person", "education", "nivel de studii" },
  { "person", "occupation", "ocupatie" },
  { "person", "occupation", "ocupatia" },
  { "person", "phone", "telefon" },
  { "person", "phone", "tel" },
  { "person", "phone", "nr telefon" },
  { "person", "phone", "numar de telefon" },
  { "person", "email", "e mail" },
  { "person", "email", "adresa de e mail" },
  { "person", "death_date", "data decesului" },
  { "person", "death_date", "data deces" },
  { "person", "notes", "observatii" },
  { "person", "notes", "mentiuni" },
  { "household", "address", "adresa" },
  { "household", "address", "adresa domiciliu" },
  { "household", "siruta", "cod siruta" },
  { "household", "street", "strada" },
  { "household", "number", "nr" },
  { "household", "number", "numar" },
  { "household", "block", "bloc" },
  { "household", "staircase", "scara" },
  { "household", "floor", "etaj" },
  { "household", "apartment", "ap" },
  { "household", "apartment", "apartament" },
  { "household", "postal_code", "cod postal" },
  { "household", "environment", "mediu" },
  { "household", "environment", "mediul" },
  { "household", "environment", "mediu de rezidenta" },
};

/* Cell values that mean a code, folded, for nomenclatures whose labels are not what
 * people type ("M", "masculin"). */
typedef struct {
  const char *nomenclature;
  const char *code;
  const char *value;
} ValueAlias;

static const ValueAlias value_aliases[] = {
  { "sex", "M", "m" },
  { "sex", "M", "masc" },
  { "sex", "M", "masculin" },
  { "sex", "M", "barbat" },
  { "sex", "M", "b" },
  { "sex", "M", "male" },
  { "sex", "F", "f" },
  { "sex", "F", "fem" },
  { "sex", "F", "feminin" },
  { "sex", "F", "femeie" },
  { "sex", "F", "female" },
  { "cnp_status", "missing", "fara cnp" },
  { "cnp_status", "missing", "nu are" },
  { "cnp_status", "refused", "refuza" },
  { "cnp_status", "refused", "refuza sa furnizeze" },
  { "cnp_status", "refused", "refuza sa furnizeze cnp" },
  { "cnp_status", "refused", "nu doreste sa furnizeze" },
  { "cnp_status", "refused", "nu doreste" },
  { "cnp_status", "non_standard", "nestandard" },
  { "cnp_status", "non_standard", "cnp nestandard" },
};

static const char * const true_words[] = { "da", "d", "yes", "y", "true", "adevarat", "1", "x" };
static const char * const false_words[] = { "nu", "n", "no", "false", "fals", "0" };

struct _TerenImportColumns
{
  const TerenKindDef   *kind;
  guint                 n_columns;
  char                **titles;
  const TerenFieldDef **fields;
};

/* Folding for titles and choice labels: as search folds names ("Data Naşterii" →
 * "data nasterii"), and "_" separates words too ("last_name" → "last name"). */
static char *
fold (const char *text)
{
  g_autofree char *spaced = g_strdup (text != NULL ? text : "");

  g_strdelimit (spaced, "_", ' ');
  return teren_text_fold (spaced);
}

static gboolean
folded_equal (const char *folded,
              const char *text)
{
  g_autofree char *other = NULL;

  if (text == NULL || text[0] == '\0')
    return FALSE;

  other = fold (text);
  return g_strcmp0 (folded, other) == 0;
}

/* Whether @folded is one of the names of @label: the English source, its Romanian
 * translation in @romanian, and its translation in the current locale. */
static gboolean
matches_label (const char     *folded,
               const char     *label,
               TerenMoCatalog *romanian)
{
  if (label == NULL)
    return FALSE;

  if (folded_equal (folded, label))
    return TRUE;
  if (romanian != NULL && folded_equal (folded, teren_mo_catalog_lookup (romanian, label)))
    return TRUE;
  return folded_equal (folded, g_dgettext (GETTEXT_PACKAGE, label));
}

const TerenFieldDef *
teren_import_match_title (const TerenKindDef *kind,
                          const char         *title,
                          TerenMoCatalog     *romanian)
{
  g_autofree char *folded = NULL;
  guint i;

  g_return_val_if_fail (kind != NULL, NULL);

  folded = fold (title);
  if (folded[0] == '\0')
    return NULL;

  for (i = 0; i < kind->n_fields; i++)
    {
      if (folded_equal (folded, kind->fields[i].key))
        return &kind->fields[i];
    }

  for (i = 0; i < kind->n_fields; i++)
    {
      if (matches_label (folded, kind->fields[i].label, romanian))
        return &kind->fields[i];
    }

  for (i = 0; i < G_N_ELEMENTS (title_aliases); i++)
    {
      if (g_str_equal (title_aliases[i].kind, kind->name) &&
          g_str_equal (title_aliases[i].title, folded))
        return teren_kind_lookup_field (kind, title_aliases[i].key);
    }

  return NULL;
}

/* Required fields that a row can do without because the import derives them. */
static gboolean
is_derivable (const TerenKindDef *kind,
              const char         *key,
              const char * const *present_keys)
{
  if (!g_str_equal (kind->name, "person"))
    return FALSE;
  if (g_str_equal (key, "cnp_status"))
    return TRUE;
  if (g_str_equal (key, "sex") || g_str_equal (key, "birth_date"))
    return g_strv_contains (present_keys, "cnp");
  return FALSE;
}

static char *
describe_field (const TerenFieldDef *field)
{
  /* Translators: a field in an error message: its label, then its stable key, which is
   * also accepted as a column title, e.g. “Nume” (last_name) */
  return g_strdup_printf (_("“%s” (%s)"), teren_field_get_label (field), field->key);
}

TerenImportColumns *
teren_import_columns_new (const TerenKindDef  *kind,
                          const char * const  *header,
                          TerenMoCatalog      *romanian,
                          GError             **error)
{
  g_autoptr(TerenImportColumns) columns = NULL;
  g_autoptr(GPtrArray) present = g_ptr_array_new_null_terminated (8, NULL, TRUE);
  g_autoptr(GPtrArray) missing = g_ptr_array_new_null_terminated (4, g_free, TRUE);
  guint i;

  g_return_val_if_fail (kind != NULL, NULL);
  g_return_val_if_fail (header != NULL, NULL);

  columns = g_new0 (TerenImportColumns, 1);
  columns->kind = kind;
  columns->n_columns = g_strv_length ((char **)header);
  columns->titles = g_strdupv ((char **)header);
  columns->fields = g_new0 (const TerenFieldDef *, columns->n_columns + 1);

  for (i = 0; i < columns->n_columns; i++)
    {
      const TerenFieldDef *field = teren_import_match_title (kind, header[i], romanian);
      guint j;

      if (field == NULL)
        continue;

      for (j = 0; j < i; j++)
        {
          if (columns->fields[j] == field)
            {
              g_autofree char *what = describe_field (field);

              g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID,
                           /* Translators: the columns are counted from 1 */
                           _("Columns %u and %u both hold %s; keep only one of them"),
                           j + 1, i + 1, what);
              return NULL;
            }
        }

      columns->fields[i] = field;
      g_ptr_array_add (present, (gpointer)field->key);
    }

  for (i = 0; i < kind->n_fields; i++)
    {
      const TerenFieldDef *field = &kind->fields[i];

      if ((field->flags & TEREN_FIELD_FLAG_REQUIRED) == 0 ||
          g_strv_contains ((const char * const *)present->pdata, field->key) ||
          is_derivable (kind, field->key, (const char * const *)present->pdata))
        continue;

      g_ptr_array_add (missing, describe_field (field));
    }

  if (missing->len > 0)
    {
      g_autofree char *list = g_strjoinv (", ", (char **)missing->pdata);

      g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The file has no column for the required field %s",
                                "The file has no columns for the required fields %s",
                                missing->len),
                   list);
      return NULL;
    }

  return g_steal_pointer (&columns);
}

void
teren_import_columns_free (TerenImportColumns *columns)
{
  if (columns == NULL)
    return;

  g_strfreev (columns->titles);
  g_free (columns->fields);
  g_free (columns);
}

guint
teren_import_columns_get_n_columns (TerenImportColumns *columns)
{
  g_return_val_if_fail (columns != NULL, 0);

  return columns->n_columns;
}

const TerenFieldDef *
teren_import_columns_get_field (TerenImportColumns *columns,
                                guint               column)
{
  g_return_val_if_fail (columns != NULL, NULL);

  if (column >= columns->n_columns)
    return NULL;
  return columns->fields[column];
}

const char *
teren_import_columns_get_title (TerenImportColumns *columns,
                                guint               column)
{
  g_return_val_if_fail (columns != NULL, NULL);

  if (column >= columns->n_columns)
    return NULL;
  return columns->titles[column];
}

gboolean
teren_import_columns_has_field (TerenImportColumns *columns,
                                const char         *key)
{
  guint i;

  g_return_val_if_fail (columns != NULL, FALSE);

  for (i = 0; i < columns->n_columns; i++)
    {
      if (columns->fields[i] != NULL && g_str_equal (columns->fields[i]->key, key))
        return TRUE;
    }
  return FALSE;
}

/* ---- Values ------------------------------------------------------------------------ */

static const char *
match_choice (const TerenNomenclature *nomenclature,
              const char              *text,
              TerenMoCatalog          *romanian)
{
  g_autofree char *folded = fold (text);
  guint i;

  /* Codes first, exactly, then folded; then labels; then the usual spellings. */
  for (i = 0; i < nomenclature->n_items; i++)
    {
      if (g_str_equal (nomenclature->items[i].code, text))
        return nomenclature->items[i].code;
    }
  for (i = 0; i < nomenclature->n_items; i++)
    {
      if (folded_equal (folded, nomenclature->items[i].code))
        return nomenclature->items[i].code;
    }
  for (i = 0; i < nomenclature->n_items; i++)
    {
      if (matches_label (folded, nomenclature->items[i].label, romanian))
        return nomenclature->items[i].code;
    }
  for (i = 0; i < G_N_ELEMENTS (value_aliases); i++)
    {
      if (g_str_equal (value_aliases[i].nomenclature, nomenclature->name) &&
          g_str_equal (value_aliases[i].value, folded) &&
          teren_nomenclature_has_code (nomenclature, value_aliases[i].code))
        return value_aliases[i].code;
    }

  return NULL;
}

static void
set_unknown_choice_error (const TerenNomenclature  *nomenclature,
                          const char               *text,
                          GError                  **error)
{
  g_autoptr(GString) choices = g_string_new (NULL);
  guint i;

  for (i = 0; i < nomenclature->n_items; i++)
    {
      if (i > 0)
        g_string_append (choices, ", ");
      g_string_append (choices, teren_nomenclature_get_label (nomenclature,
                                                              nomenclature->items[i].code));
    }

  g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID,
               _("“%s” is not one of the choices: %s"), text, choices->str);
}

static JsonNode *
choice_from_text (const TerenFieldDef  *field,
                  const char           *text,
                  TerenMoCatalog       *romanian,
                  GError              **error)
{
  const TerenNomenclature *nomenclature = teren_nomenclature_lookup (field->nomenclature);
  const char *code;

  /* A field whose list the server manages: leave the code to validation. */
  if (nomenclature == NULL)
    return json_node_init_string (json_node_alloc (), text);

  code = match_choice (nomenclature, text, romanian);
  if (code == NULL)
    {
      set_unknown_choice_error (nomenclature, text, error);
      return NULL;
    }

  return json_node_init_string (json_node_alloc (), code);
}

static JsonNode *
multi_choice_from_text (const TerenFieldDef  *field,
                        const char           *text,
                        TerenMoCatalog       *romanian,
                        GError              **error)
{
  const TerenNomenclature *nomenclature = teren_nomenclature_lookup (field->nomenclature);
  g_auto(GStrv) parts = g_strsplit_set (text, ",;|", -1);
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonNode *node;
  guint i;

  for (i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *item = g_strstrip (g_strdup (parts[i]));
      const char *code = item;

      if (item[0] == '\0')
        continue;

      if (nomenclature != NULL)
        {
          code = match_choice (nomenclature, item, romanian);
          if (code == NULL)
            {
              set_unknown_choice_error (nomenclature, item, error);
              return NULL;
            }
        }

      if (g_hash_table_contains (seen, code))
        continue;
      /* Codes of a nomenclature are static; other items live in @array. */
      json_array_add_string_element (array, code);
      g_hash_table_add (seen, (gpointer)json_array_get_string_element (array,
                                                                       json_array_get_length (array) - 1));
    }

  node = json_node_alloc ();
  json_node_init_array (node, array);
  return node;
}

static JsonNode *
date_from_text (const char  *text,
                GError     **error)
{
  g_autofree char *iso = NULL;
  g_autofree char *day = g_strdup (text);
  char *space;

  /* Spreadsheets often add a time to dates: "1990-01-02 00:00:00". */
  space = strchr (day, ' ');
  if (space != NULL)
    *space = '\0';

  iso = teren_date_to_iso (day);
  if (iso == NULL)
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID,
                   /* Translators: zz.ll.aaaa is the Romanian DD.MM.YYYY; keep both forms */
                   _("“%s” is not a date; write it as zz.ll.aaaa or YYYY-MM-DD"), text);
      return NULL;
    }

  return json_node_init_string (json_node_alloc (), iso);
}

static JsonNode *
integer_from_text (const char  *text,
                   GError     **error)
{
  gint64 value;

  if (!g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &value, NULL))
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID,
                   _("“%s” is not a whole number"), text);
      return NULL;
    }

  return json_node_init_int (json_node_alloc (), value);
}

static JsonNode *
decimal_from_text (const char  *text,
                   GError     **error)
{
  g_autofree char *dotted = g_strdup (text);
  char *end = NULL;
  double value;

  /* Romanian spreadsheets write 3,5. */
  g_strdelimit (dotted, ",", '.');
  value = g_ascii_strtod (dotted, &end);
  if (end == dotted || *end != '\0' || !isfinite (value))
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID,
                   _("“%s” is not a number"), text);
      return NULL;
    }

  return json_node_init_double (json_node_alloc (), value);
}

static JsonNode *
boolean_from_text (const char  *text,
                   GError     **error)
{
  g_autofree char *folded = fold (text);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (true_words); i++)
    {
      if (g_str_equal (folded, true_words[i]))
        return json_node_init_boolean (json_node_alloc (), TRUE);
    }
  for (i = 0; i < G_N_ELEMENTS (false_words); i++)
    {
      if (g_str_equal (folded, false_words[i]))
        return json_node_init_boolean (json_node_alloc (), FALSE);
    }

  g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID,
               _("“%s” is not yes or no (da/nu)"), text);
  return NULL;
}

JsonNode *
teren_import_value_from_text (const TerenFieldDef  *field,
                              const char           *text,
                              TerenMoCatalog       *romanian,
                              GError              **error)
{
  g_return_val_if_fail (field != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  switch (field->type)
    {
    case TEREN_FIELD_CNP:
      {
        g_autofree char *cnp = teren_cnp_normalize (text);
        return json_node_init_string (json_node_alloc (), cnp);
      }

    case TEREN_FIELD_DATE:
      return date_from_text (text, error);

    case TEREN_FIELD_INTEGER:
      return integer_from_text (text, error);

    case TEREN_FIELD_DECIMAL:
      return decimal_from_text (text, error);

    case TEREN_FIELD_BOOLEAN:
      return boolean_from_text (text, error);

    case TEREN_FIELD_CHOICE:
      return choice_from_text (field, text, romanian, error);

    case TEREN_FIELD_MULTI_CHOICE:
      return multi_choice_from_text (field, text, romanian, error);

    case TEREN_FIELD_TEXT:
    case TEREN_FIELD_LONG_TEXT:
    case TEREN_FIELD_PHONE:
    case TEREN_FIELD_REFERENCE:
    case TEREN_FIELD_ATTACHMENT: /* refused by validation: files are not imported from CSV */
    default:
      return json_node_init_string (json_node_alloc (), text);
    }
}
