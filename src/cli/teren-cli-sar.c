/* teren-cli-sar.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-cli-sar.h"
#include "teren-error.h"
#include "teren-schema.h"
#include "teren-store-sar.h"

#define SAR_FORMAT "teren-subject-access/1"

typedef enum {
  SECTION_MEMBERSHIPS,
  SECTION_HOUSEHOLDS,
  SECTION_CASES,
  SECTION_RECORDS,
  N_SECTIONS
} Section;

static const char * const section_names[N_SECTIONS] = {
  "memberships", "households", "cases", "records",
};

static gboolean
is_group_kind (const char *kind)
{
  return g_strcmp0 (kind, "household") == 0 || g_strcmp0 (kind, "family") == 0;
}

static Section
section_of (const char *kind)
{
  if (g_strcmp0 (kind, "household_member") == 0 || g_strcmp0 (kind, "family_member") == 0)
    return SECTION_MEMBERSHIPS;
  if (is_group_kind (kind))
    return SECTION_HOUSEHOLDS;
  if (g_strcmp0 (kind, "case") == 0)
    return SECTION_CASES;
  return SECTION_RECORDS;
}

/* The record with its history, as a JSON object node. */
static JsonNode *
record_with_history (TerenStore   *store,
                     TerenRecord  *record,
                     GError      **error)
{
  g_autoptr(JsonNode) node = teren_record_to_json (record);
  JsonArray *history = teren_store_list_history (store, teren_record_get_id (record), error);

  if (history == NULL)
    return NULL;
  json_object_set_array_member (json_node_get_object (node), "history", history);
  return g_steal_pointer (&node);
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

GBytes *
teren_cli_sar_export_json (TerenStore  *store,
                           const char  *person_id,
                           GError     **error)
{
  g_autoptr(TerenRecord) person = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GQueue) queue = g_queue_new ();
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonNode) root_node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) local_error = NULL;
  JsonArray *sections[N_SECTIONS];
  JsonNode *node;
  char *text;
  gsize length;
  guint i;

  g_return_val_if_fail (TEREN_IS_STORE (store), NULL);
  g_return_val_if_fail (person_id != NULL, NULL);

  person = teren_store_get_record (store, person_id, &local_error);
  if (person == NULL)
    {
      if (g_error_matches (local_error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND))
        g_set_error (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND,
                     _("There is no person with the id “%s”"), person_id);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (g_strcmp0 (teren_record_get_kind (person), "person") != 0)
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID,
                   _("The record “%s” is not a person"), person_id);
      return NULL;
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
        return NULL;
      for (i = 0; i < referencing->len; i++)
        {
          const char *other = g_ptr_array_index (referencing, i);
          TerenRecord *record;

          if (g_hash_table_contains (seen, other))
            continue;
          g_hash_table_add (seen, g_strdup (other));
          record = teren_store_get_record (store, other, error);
          if (record == NULL)
            return NULL;
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
          return NULL;
        }
      if (teren_record_get_deleted (group))
        {
          g_object_unref (group);
          continue;
        }
      g_ptr_array_add (records, group);
    }

  json_object_set_string_member (root, "format", SAR_FORMAT);
  text = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  json_object_set_string_member (root, "generated_at", text);
  g_free (text);
  json_object_set_string_member (root, "person_id", person_id);
  node = record_with_history (store, person, error);
  if (node == NULL)
    return NULL;
  json_object_set_member (root, "person", node);

  for (i = 0; i < N_SECTIONS; i++)
    {
      sections[i] = json_array_new ();
      json_object_set_array_member (root, section_names[i], sections[i]);
    }
  for (i = 0; i < records->len; i++)
    {
      TerenRecord *record = g_ptr_array_index (records, i);

      node = record_with_history (store, record, error);
      if (node == NULL)
        return NULL;
      json_array_add_element (sections[section_of (teren_record_get_kind (record))], node);
    }

  json_node_take_object (root_node, g_steal_pointer (&root));
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root_node);
  text = json_generator_to_data (generator, &length);
  text = g_realloc (text, length + 2);
  text[length] = '\n';
  text[length + 1] = '\0';
  return g_bytes_new_take (text, length + 1);
}
