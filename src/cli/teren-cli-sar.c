/* teren-cli-sar.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-cli-sar.h"
#include "teren-sar-document.h"
#include "teren-store-sar.h"

#define SAR_FORMAT "teren-subject-access/1"

static const char * const section_names[TEREN_SAR_N_SECTIONS] = {
  "memberships", "households", "cases", "records",
};

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

GBytes *
teren_cli_sar_export_json (TerenStore  *store,
                           const char  *person_id,
                           GError     **error)
{
  g_autoptr(TerenRecord) person = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonNode) root_node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  JsonArray *sections[TEREN_SAR_N_SECTIONS];
  JsonNode *node;
  char *text;
  gsize length;
  guint i;

  g_return_val_if_fail (TEREN_IS_STORE (store), NULL);
  g_return_val_if_fail (person_id != NULL, NULL);

  if (!teren_sar_collect (store, person_id, &person, &records, error))
    return NULL;

  json_object_set_string_member (root, "format", SAR_FORMAT);
  text = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  json_object_set_string_member (root, "generated_at", text);
  g_free (text);
  json_object_set_string_member (root, "person_id", person_id);
  node = record_with_history (store, person, error);
  if (node == NULL)
    return NULL;
  json_object_set_member (root, "person", node);

  for (i = 0; i < TEREN_SAR_N_SECTIONS; i++)
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
      json_array_add_element (sections[teren_sar_section_of (teren_record_get_kind (record))], node);
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
