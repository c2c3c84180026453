/* teren-sar-document.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-docs-private.h"
#include "teren-error.h"
#include "teren-official-documents.h"
#include "teren-sar-document.h"
#include "teren-schema.h"
#include "teren-store-sar.h"

/* No value is ever logged: ids and counts only. */

static gboolean
is_group_kind (const char *kind)
{
  return g_strcmp0 (kind, "household") == 0 || g_strcmp0 (kind, "family") == 0;
}

TerenSarSection
teren_sar_section_of (const char *kind)
{
  if (g_strcmp0 (kind, "household_member") == 0 || g_strcmp0 (kind, "family_member") == 0)
    return TEREN_SAR_MEMBERSHIPS;
  if (is_group_kind (kind))
    return TEREN_SAR_HOUSEHOLDS;
  if (g_strcmp0 (kind, "case") == 0)
    return TEREN_SAR_CASES;
  return TEREN_SAR_RECORDS;
}

/* The households and families @record points at, added to @groups (ids, in field order). */
static void
collect_groups (TerenRecord *record,
                GPtrArray   *groups,
                GHashTable  *seen)
{
  const TerenKindDef *kind = teren_schema_lookup_kind (teren_record_get_kind (record));
  guint f;

  if (kind == NULL)
    return;
  for (f = 0; f < kind->n_fields; f++)
    {
      const TerenFieldDef *field = &kind->fields[f];
      const char *value;

      if (field->type != TEREN_FIELD_REFERENCE || !is_group_kind (field->ref_kind))
        continue;
      value = teren_record_get_string (record, field->key);
      if (value == NULL || *value == '\0' || g_hash_table_contains (seen, value))
        continue;
      g_hash_table_add (seen, g_strdup (value));
      g_ptr_array_add (groups, g_strdup (value));
    }
}

gboolean
teren_sar_collect (TerenStore   *store,
                   const char   *person_id,
                   TerenRecord **out_person,
                   GPtrArray   **out_records,
                   GError      **error)
{
  g_autoptr(TerenRecord) person = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GQueue) queue = g_queue_new ();
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local_error = NULL;
  guint i;

  g_return_val_if_fail (TEREN_IS_STORE (store), FALSE);
  g_return_val_if_fail (person_id != NULL, FALSE);

  person = teren_store_get_record (store, person_id, &local_error);
  if (person == NULL)
    {
      if (g_error_matches (local_error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND))
        g_set_error (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND,
                     _("There is no person with the id “%s”"), person_id);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (g_strcmp0 (teren_record_get_kind (person), "person") != 0)
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID,
                   _("The record “%s” is not a person"), person_id);
      return FALSE;
    }

  /* Every record that points at the person, and, in turn, at those records (a case's
   * visits, a plan's items). A household or family is not followed: its other members
   * are other persons' data. */
  g_hash_table_add (seen, g_strdup (person_id));
  g_queue_push_tail (queue, g_strdup (person_id));
  while (!g_queue_is_empty (queue))
    {
      g_autofree char *id = g_queue_pop_head (queue);
      g_autoptr(GPtrArray) referencing = teren_store_list_referencing (store, id, error);

      if (referencing == NULL)
        return FALSE;
      for (i = 0; i < referencing->len; i++)
        {
          const char *other = g_ptr_array_index (referencing, i);
          TerenRecord *record;

          if (g_hash_table_contains (seen, other))
            continue;
          g_hash_table_add (seen, g_strdup (other));
          record = teren_store_get_record (store, other, error);
          if (record == NULL)
            return FALSE;
          g_ptr_array_add (records, record);
          if (!is_group_kind (teren_record_get_kind (record)))
            g_queue_push_tail (queue, g_strdup (other));
        }
    }

  /* The households and families of the person's memberships (and of any record above
   * that names one), without what references them. */
  for (i = 0; i < records->len; i++)
    collect_groups (g_ptr_array_index (records, i), groups, seen);
  for (i = 0; i < groups->len; i++)
    {
      g_autoptr(GError) group_error = NULL;
      TerenRecord *group = teren_store_get_record (store, g_ptr_array_index (groups, i), &group_error);

      /* A household outside this account's scope is simply not held here. */
      if (group == NULL)
        {
          if (g_error_matches (group_error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND))
            continue;
          g_propagate_error (error, g_steal_pointer (&group_error));
          return FALSE;
        }
      if (teren_record_get_deleted (group))
        {
          g_object_unref (group);
          continue;
        }
      g_ptr_array_add (records, group);
    }

  if (out_person != NULL)
    *out_person = g_steal_pointer (&person);
  if (out_records != NULL)
    *out_records = g_steal_pointer (&records);
  return TRUE;
}

/* ---- The printed answer ------------------------------------------------------------ */

static const char *
section_title (TerenSarSection section)
{
  switch (section)
    {
    case TEREN_SAR_MEMBERSHIPS:
      return _("Household and Family Memberships");
    case TEREN_SAR_HOUSEHOLDS:
      return _("Households and Families");
    case TEREN_SAR_CASES:
      return _("Cases");
    case TEREN_SAR_RECORDS:
      return _("Other Records About the Person");
    case TEREN_SAR_N_SECTIONS:
    default:
      return NULL;
    }
}

static const char *
kind_label (const char *kind_name)
{
  const TerenKindDef *kind = teren_schema_lookup_kind (kind_name);

  return kind != NULL ? teren_kind_get_label (kind) : kind_name;
}

/* Within a section, records of one kind together, kinds in the order of their labels
 * (stable: a kind's records keep the store's order). */
static int
compare_by_kind_label (gconstpointer a,
                       gconstpointer b)
{
  TerenRecord *first = *(TerenRecord **) a;
  TerenRecord *second = *(TerenRecord **) b;

  return g_utf8_collate (kind_label (teren_record_get_kind (first)),
                         kind_label (teren_record_get_kind (second)));
}

static void
add_section (TerenDocument   *doc,
             TerenStore      *store,
             TerenSarSection  section,
             GPtrArray       *records)
{
  g_autoptr(GPtrArray) mine = g_ptr_array_new ();
  const char *last_kind = NULL;
  guint i, number = 0;

  for (i = 0; i < records->len; i++)
    {
      TerenRecord *record = g_ptr_array_index (records, i);

      if (teren_sar_section_of (teren_record_get_kind (record)) == section)
        g_ptr_array_add (mine, record);
    }
  if (mine->len == 0)
    return;
  /* g_ptr_array_sort is not stable; insertion order is kept by a stable pass. */
  for (i = 1; i < mine->len; i++)
    {
      gpointer current = g_ptr_array_index (mine, i);
      guint j = i;

      while (j > 0 && compare_by_kind_label (&mine->pdata[j - 1], &current) > 0)
        {
          mine->pdata[j] = mine->pdata[j - 1];
          j--;
        }
      mine->pdata[j] = current;
    }

  teren_document_add_heading (doc, section_title (section));
  for (i = 0; i < mine->len; i++)
    {
      TerenRecord *record = g_ptr_array_index (mine, i);
      const char *kind = teren_record_get_kind (record);
      g_autofree char *title = NULL;

      if (g_strcmp0 (kind, last_kind) != 0)
        {
          number = 0;
          last_kind = kind;
        }
      number++;
      /* Translators: "Case 2: Popescu Ana" (the kind of record, its number in the
       * document, its title) */
      title = g_strdup_printf (_("%s %u: %s"), kind_label (kind), number, teren_record_get_title (record));
      teren_document_add_paragraph (doc, title);
      teren_docs_add_record_fields (doc, store, record);
    }
}

TerenDocument *
teren_sar_document_build (TerenStore  *store,
                          const char  *person_id,
                          GError     **error)
{
  g_autoptr(TerenRecord) person = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(TerenDocument) doc = NULL;
  g_autofree char *name = NULL;
  g_autofree char *address = NULL;
  g_autofree char *logo = NULL;
  g_autofree char *today = NULL;
  guint section;

  g_return_val_if_fail (TEREN_IS_STORE (store), NULL);
  g_return_val_if_fail (person_id != NULL, NULL);

  if (!teren_sar_collect (store, person_id, &person, &records, error))
    return NULL;

  doc = teren_document_new (_("Personal Data Held About a Person"));
  teren_official_document_read_header (&name, &address, &logo);
  teren_document_set_header (doc, name, address, logo);
  today = teren_docs_today_display ();
  teren_document_set_registration (doc, NULL, today);
  teren_document_add_paragraph (doc, _("Answer to a request for access to personal data "
                                       "(Regulation (EU) 2016/679, article 15): every record "
                                       "about the person below held in this account’s data."));

  teren_document_add_heading (doc, _("Identity"));
  teren_docs_add_record_fields (doc, store, person);

  for (section = 0; section < TEREN_SAR_N_SECTIONS; section++)
    add_section (doc, store, section, records);
  if (records->len == 0)
    teren_document_add_paragraph (doc, _("No other record about this person is held."));

  g_debug ("Subject access document: %u records", records->len);
  return g_steal_pointer (&doc);
}
