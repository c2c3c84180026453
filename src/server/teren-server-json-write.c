/* teren-server-json-write.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "teren-server-json-write.h"

/* Text written for the push path, where json-glib's generator (a GObject, a deep copy of
 * the root, a copy of every object's member list, a printf per integer) cost more than
 * building the tree. The output must stay json-glib's exactly: stored fields and answers
 * are compared as text, and an operation's fingerprint is a hash of its JSON text, kept in
 * the database across versions (tests/server/unit-server.c compares the two writers). */

/* The bytes json-glib escapes: " \\ 0x01–0x1e 0x7f (not 0x1f, nor bytes of UTF-8 sequences). */
static const guint8 needs_escape[256] = {
  [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1, [0x07] = 1, [0x08] = 1,
  [0x09] = 1, [0x0a] = 1, [0x0b] = 1, [0x0c] = 1, [0x0d] = 1, [0x0e] = 1, [0x0f] = 1, [0x10] = 1,
  [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1, [0x15] = 1, [0x16] = 1, [0x17] = 1, [0x18] = 1,
  [0x19] = 1, [0x1a] = 1, [0x1b] = 1, [0x1c] = 1, [0x1d] = 1, [0x1e] = 1,
  ['"'] = 1, ['\\'] = 1, [0x7f] = 1,
};

static void
append_escaped (GString    *out,
                const char *text)
{
  const char *run = text;
  const char *p;

  for (p = text; *p != '\0'; p++)
    {
      signed char c = (signed char) *p;
      const char *escape = NULL;
      char hex[8];

      if (!needs_escape[(guchar) c])
        continue;
      if (c == '"')
        escape = "\\\"";
      else if (c == '\\')
        escape = "\\\\";
      else if ((c > 0 && c < 0x1f) || c == 0x7f)
        {
          switch (c)
            {
            case '\b':
              escape = "\\b";
              break;
            case '\f':
              escape = "\\f";
              break;
            case '\n':
              escape = "\\n";
              break;
            case '\r':
              escape = "\\r";
              break;
            case '\t':
              escape = "\\t";
              break;
            default:
              g_snprintf (hex, sizeof hex, "\\u00%02x", (guint) c);
              escape = hex;
              break;
            }
        }
      else
        continue;

      if (p > run)
        g_string_append_len (out, run, p - run);
      g_string_append (out, escape);
      run = p + 1;
    }
  if (p > run)
    g_string_append_len (out, run, p - run);
}

void
teren_server_json_append_string (GString    *out,
                                 const char *text)
{
  if (text == NULL)
    {
      g_string_append_len (out, "null", 4);
      return;
    }
  g_string_append_c (out, '"');
  append_escaped (out, text);
  g_string_append_c (out, '"');
}

void
teren_server_json_append_name (GString    *out,
                               const char *name)
{
  g_string_append_c (out, '"');
  append_escaped (out, name);
  g_string_append_len (out, "\":", 2);
}

void
teren_server_json_append_string_member (GString    *out,
                                        const char *name,
                                        const char *value,
                                        gboolean    comma)
{
  if (comma)
    g_string_append_c (out, ',');
  teren_server_json_append_name (out, name);
  teren_server_json_append_string (out, value);
}

void
teren_server_json_append_int (GString *out,
                              gint64   value)
{
  char buf[24];
  char *p = buf + sizeof buf;
  guint64 magnitude = value < 0 ? (guint64) 0 - (guint64) value : (guint64) value;

  do
    {
      *--p = (char) ('0' + magnitude % 10);
      magnitude /= 10;
    }
  while (magnitude != 0);
  if (value < 0)
    *--p = '-';
  g_string_append_len (out, p, buf + sizeof buf - p);
}

void
teren_server_json_append_int_member (GString    *out,
                                     const char *name,
                                     gint64      value)
{
  g_string_append_c (out, ',');
  teren_server_json_append_name (out, name);
  teren_server_json_append_int (out, value);
}

static void
append_value (GString  *out,
              JsonNode *node)
{
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      teren_server_json_append_int (out, json_node_get_int (node));
      break;

    case G_TYPE_STRING:
      teren_server_json_append_string (out, json_node_get_string (node));
      break;

    case G_TYPE_DOUBLE:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];

        g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node));
        g_string_append (out, buf);
        /* json-glib keeps a double from reading back as an integer so */
        if (strchr (buf, '.') == NULL)
          g_string_append_len (out, ".0", 2);
        break;
      }

    case G_TYPE_BOOLEAN:
      if (json_node_get_boolean (node))
        g_string_append_len (out, "true", 4);
      else
        g_string_append_len (out, "false", 5);
      break;

    default:
      g_string_append_len (out, "null", 4);
      break;
    }
}

static void append_node (GString *out, JsonNode *node, gboolean hash_order);

static void
append_object (GString    *out,
               JsonObject *object,
               gboolean    hash_order)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  gboolean first = TRUE;

  g_string_append_c (out, '{');
  if (hash_order)
    json_object_iter_init (&iter, object);
  else
    json_object_iter_init_ordered (&iter, object);
  while (hash_order ? json_object_iter_next (&iter, &name, &member)
                    : json_object_iter_next_ordered (&iter, &name, &member))
    {
      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      teren_server_json_append_name (out, name);
      append_node (out, member, hash_order);
    }
  g_string_append_c (out, '}');
}

void
teren_server_json_append_object (GString    *out,
                                 JsonObject *object)
{
  append_object (out, object, FALSE);
}

void
teren_server_json_append_object_copied (GString    *out,
                                        JsonObject *object)
{
  append_object (out, object, TRUE);
}

void
teren_server_json_append_node (GString  *out,
                               JsonNode *node)
{
  append_node (out, node, FALSE);
}

static void
append_node (GString  *out,
             JsonNode *node,
             gboolean  hash_order)
{
  if (node == NULL)
    {
      g_string_append_len (out, "null", 4);
      return;
    }

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      append_object (out, json_node_get_object (node), hash_order);
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint i, n = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            append_node (out, json_array_get_element (array, i), hash_order);
          }
        g_string_append_c (out, ']');
        break;
      }

    case JSON_NODE_VALUE:
      append_value (out, node);
      break;

    case JSON_NODE_NULL:
    default:
      g_string_append_len (out, "null", 4);
      break;
    }
}

void
teren_server_json_append_strings (GString   *out,
                                  GPtrArray *strings)
{
  guint i;

  g_string_append_c (out, '[');
  for (i = 0; strings != NULL && i < strings->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      teren_server_json_append_string (out, g_ptr_array_index (strings, i));
    }
  g_string_append_c (out, ']');
}

char *
teren_server_json_node_to_string (JsonNode *node)
{
  GString *out = g_string_sized_new (256);

  teren_server_json_append_node (out, node);
  return g_string_free (out, FALSE);
}

char *
teren_server_json_object_to_string (JsonObject *object)
{
  GString *out;

  if (object == NULL)
    return g_strdup ("null");
  out = g_string_sized_new (256);
  teren_server_json_append_object (out, object);
  return g_string_free (out, FALSE);
}
