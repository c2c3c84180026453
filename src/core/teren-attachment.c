/* teren-attachment.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "teren-attachment.h"
#include "teren-json.h"

gboolean
teren_blob_ref_is_valid (const char *ref)
{
  gsize i;

  if (ref == NULL || strlen (ref) != TEREN_BLOB_REF_LENGTH ||
      !g_str_has_prefix (ref, TEREN_BLOB_REF_PREFIX))
    return FALSE;

  for (i = strlen (TEREN_BLOB_REF_PREFIX); i < TEREN_BLOB_REF_LENGTH; i++)
    if (!g_ascii_isdigit (ref[i]) && !(ref[i] >= 'a' && ref[i] <= 'f'))
      return FALSE;

  return TRUE;
}

gboolean
teren_attachment_mime_is_allowed (const char *mime)
{
  return g_strcmp0 (mime, "application/pdf") == 0 ||
         g_strcmp0 (mime, "image/jpeg") == 0 ||
         g_strcmp0 (mime, "image/png") == 0;
}

static void
collect_from_node (JsonNode  *node,
                   GPtrArray *out)
{
  JsonArray *array;
  guint i, n;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  for (i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonNode *blob;
      const char *ref;
      guint j;
      gboolean seen = FALSE;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      blob = json_object_get_member (json_node_get_object (element), "blob");
      if (blob == NULL || !JSON_NODE_HOLDS_VALUE (blob) ||
          json_node_get_value_type (blob) != G_TYPE_STRING)
        continue;
      ref = json_node_get_string (blob);
      if (!teren_blob_ref_is_valid (ref))
        continue;
      for (j = 0; j < out->len && !seen; j++)
        seen = strcmp (g_ptr_array_index (out, j), ref) == 0;
      if (!seen)
        g_ptr_array_add (out, (gpointer) ref);
    }
}

void
teren_attachment_collect_blobs (const TerenKindDef *kind,
                                JsonObject         *fields,
                                GPtrArray          *out)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  g_return_if_fail (out != NULL);

  if (fields == NULL)
    return;

  json_object_iter_init (&iter, fields);
  while (json_object_iter_next (&iter, &name, &node))
    {
      if (kind != NULL)
        {
          const TerenFieldDef *field = teren_kind_lookup_field (kind, name);

          if (field == NULL || field->type != TEREN_FIELD_ATTACHMENT)
            continue;
        }
      collect_from_node (node, out);
    }
}

JsonObject *
teren_attachment_new (const char *blob_ref,
                      gint64      size,
                      const char *mime,
                      const char *name)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "blob", blob_ref);
  json_object_set_int_member (object, "size", size);
  json_object_set_string_member (object, "mime", mime);
  json_object_set_string_member (object, "name", name);
  return object;
}

char *
teren_attachment_describe (JsonNode *value)
{
  g_autoptr(GString) text = g_string_new (NULL);
  JsonArray *array;
  guint i;

  if (value == NULL || !JSON_NODE_HOLDS_ARRAY (value))
    return NULL;
  array = json_node_get_array (value);
  for (i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      const char *name = object != NULL ? teren_json_get_string (object, "name", NULL) : NULL;
      g_autofree char *size = NULL;

      if (name == NULL)
        continue;
      size = g_format_size ((guint64) MAX (0, teren_json_get_int (object, "size", 0)));
      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append_printf (text, "%s (%s)", name, size);
    }
  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}
