/* teren-json.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "teren-error.h"
#include "teren-json.h"

/* json-glib 1.6 parses recursively and has no nesting limit, so a body of 100,000 "["
 * would overflow the stack. This scan counts nesting outside strings before json-glib
 * sees the data. It does not validate syntax; json-glib does that afterwards. */
static gboolean
check_depth (const char  *data,
             gsize        length,
             guint        max_depth,
             GError     **error)
{
  gboolean in_string = FALSE;
  gboolean escaped = FALSE;
  guint depth = 0;
  gsize i;

  for (i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (escaped)
            {
              escaped = FALSE;
              /* json-glib would cut the string at an escaped NUL without a word. */
              if (c == 'u' && i + 4 < length && memcmp (data + i + 1, "0000", 4) == 0)
                {
                  g_set_error (error, TEREN_ERROR, TEREN_ERROR_BAD_JSON,
                               "JSON string holds a NUL character (at byte %" G_GSIZE_FORMAT ")",
                               i);
                  return FALSE;
                }
            }
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;
        case '[':
        case '{':
          depth++;
          if (depth > max_depth)
            {
              g_set_error (error, TEREN_ERROR, TEREN_ERROR_BAD_JSON,
                           "JSON nested deeper than %u levels (at byte %" G_GSIZE_FORMAT ")",
                           max_depth, i);
              return FALSE;
            }
          break;
        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;
        default:
          break;
        }
    }

  return TRUE;
}

/* Escapes such as a lone "\ud800" make json-glib produce strings that are not UTF-8
 * although the text was; every string and member name is checked after parsing. */
static gboolean
strings_are_valid (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, &name, &member))
          if (!g_utf8_validate (name, -1, NULL) || !strings_are_valid (member))
            return FALSE;
        return TRUE;
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint i, n = json_array_get_length (array);

        for (i = 0; i < n; i++)
          if (!strings_are_valid (json_array_get_element (array, i)))
            return FALSE;
        return TRUE;
      }

    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        return g_utf8_validate (json_node_get_string (node), -1, NULL);
      return TRUE;

    case JSON_NODE_NULL:
      return TRUE;

    default:
      return TRUE;
    }
}

JsonNode *
teren_json_parse (const char  *data,
                  gssize       length,
                  guint        max_depth,
                  GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *bad = NULL;
  JsonNode *root;
  gsize len;

  if (data == NULL)
    {
      g_set_error_literal (error, TEREN_ERROR, TEREN_ERROR_BAD_JSON, "No JSON data");
      return NULL;
    }

  len = length < 0 ? strlen (data) : (gsize) length;
  if (max_depth == 0)
    max_depth = TEREN_JSON_MAX_DEPTH;

  if (!g_utf8_validate (data, len, &bad))
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_BAD_JSON,
                   "JSON is not valid UTF-8 (at byte %" G_GSIZE_FORMAT ")",
                   (gsize) (bad - data));
      return NULL;
    }

  if (!check_depth (data, len, max_depth, error))
    return NULL;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, len, &local_error))
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_BAD_JSON,
                   "Malformed JSON: %s", local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, TEREN_ERROR, TEREN_ERROR_BAD_JSON,
                           "Empty JSON document");
      return NULL;
    }

  /* Recursion here is bounded by the depth check above. */
  if (!strings_are_valid (root))
    {
      g_set_error_literal (error, TEREN_ERROR, TEREN_ERROR_BAD_JSON,
                           "JSON string escapes do not make valid UTF-8 (lone surrogate)");
      return NULL;
    }

  return json_node_ref (root);
}

JsonObject *
teren_json_parse_object (const char  *data,
                         gssize       length,
                         guint        max_depth,
                         GError     **error)
{
  g_autoptr(JsonNode) node = teren_json_parse (data, length, max_depth, error);

  if (node == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, TEREN_ERROR, TEREN_ERROR_BAD_JSON,
                           "The JSON document is not an object");
      return NULL;
    }

  return json_node_dup_object (node);
}

char *
teren_json_to_string (JsonNode *node)
{
  if (node == NULL)
    return g_strdup ("null");

  return json_to_string (node, FALSE);
}

char *
teren_json_object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  if (object == NULL)
    return g_strdup ("null");

  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
}

static gboolean
is_null (JsonNode *node)
{
  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

static gboolean
is_number (JsonNode *node,
           GType    *out_type)
{
  GType type;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  *out_type = type;
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

static gboolean object_equal (JsonObject *a, JsonObject *b);

gboolean
teren_json_equal (JsonNode *a,
                  JsonNode *b)
{
  GType type_a, type_b;

  if (is_null (a) || is_null (b))
    return is_null (a) && is_null (b);

  if (is_number (a, &type_a) && is_number (b, &type_b))
    {
      if (type_a == G_TYPE_INT64 && type_b == G_TYPE_INT64)
        return json_node_get_int (a) == json_node_get_int (b);
      return json_node_get_double (a) == json_node_get_double (b);
    }

  if (JSON_NODE_TYPE (a) != JSON_NODE_TYPE (b))
    return FALSE;

  switch (JSON_NODE_TYPE (a))
    {
    case JSON_NODE_OBJECT:
      return object_equal (json_node_get_object (a), json_node_get_object (b));

    case JSON_NODE_ARRAY:
      {
        JsonArray *array_a = json_node_get_array (a);
        JsonArray *array_b = json_node_get_array (b);
        guint n = json_array_get_length (array_a);
        guint i;

        if (n != json_array_get_length (array_b))
          return FALSE;
        for (i = 0; i < n; i++)
          if (!teren_json_equal (json_array_get_element (array_a, i),
                                 json_array_get_element (array_b, i)))
            return FALSE;
        return TRUE;
      }

    case JSON_NODE_VALUE:
      if (json_node_get_value_type (a) != json_node_get_value_type (b))
        return FALSE;
      if (json_node_get_value_type (a) == G_TYPE_STRING)
        return g_strcmp0 (json_node_get_string (a), json_node_get_string (b)) == 0;
      if (json_node_get_value_type (a) == G_TYPE_BOOLEAN)
        return json_node_get_boolean (a) == json_node_get_boolean (b);
      return FALSE;

    case JSON_NODE_NULL:
      return TRUE;

    default:
      return FALSE;
    }
}

static gboolean
object_equal (JsonObject *a,
              JsonObject *b)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (a == b)
    return TRUE;
  if (json_object_get_size (a) != json_object_get_size (b))
    return FALSE;

  json_object_iter_init (&iter, a);
  while (json_object_iter_next (&iter, &name, &node))
    {
      if (!json_object_has_member (b, name))
        return FALSE;
      if (!teren_json_equal (node, json_object_get_member (b, name)))
        return FALSE;
    }

  return TRUE;
}

JsonObject *
teren_json_object_copy (JsonObject *object)
{
  JsonObject *copy = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (object == NULL)
    return copy;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &node))
    json_object_set_member (copy, name, teren_json_node_copy (node));

  return copy;
}

JsonNode *
teren_json_node_copy (JsonNode *node)
{
  JsonNode *copy;

  if (node == NULL)
    return json_node_new (JSON_NODE_NULL);

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      copy = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (copy, teren_json_object_copy (json_node_get_object (node)));
      return copy;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);
        JsonArray *new_array = json_array_sized_new (n);
        guint i;

        for (i = 0; i < n; i++)
          json_array_add_element (new_array, teren_json_node_copy (json_array_get_element (array, i)));
        copy = json_node_new (JSON_NODE_ARRAY);
        json_node_take_array (copy, new_array);
        return copy;
      }

    case JSON_NODE_VALUE:
    case JSON_NODE_NULL:
      return json_node_copy (node);

    default:
      return json_node_copy (node);
    }
}

const char *
teren_json_get_string (JsonObject *object,
                       const char *member,
                       const char *default_value)
{
  JsonNode *node;

  if (object == NULL || member == NULL)
    return default_value;

  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return default_value;

  return json_node_get_string (node);
}

gint64
teren_json_get_int (JsonObject *object,
                    const char *member,
                    gint64      default_value)
{
  JsonNode *node;

  if (object == NULL || member == NULL)
    return default_value;

  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return default_value;

  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);

  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      if (d >= -9.0e18 && d <= 9.0e18 && d == (double) (gint64) d)
        return (gint64) d;
    }

  return default_value;
}
