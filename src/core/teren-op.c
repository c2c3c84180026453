/* teren-op.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "teren-error.h"
#include "teren-json.h"
#include "teren-op.h"
#include "teren-uuid.h"

/* Bounds of the strings an operation may carry (characters of UTF-8). Generous against
 * the schema (kind names are under 40, lines under 20) but small enough that a hostile
 * body cannot make the server store megabytes of names. */
#define OP_MAX_KIND         64
#define OP_MAX_LINE         32
#define OP_MAX_AUTHOR       200
#define OP_MAX_DEVICE_TIME  64
#define OP_MAX_PATCH_KEY    100
#define OP_MAX_PATCH_KEYS   1000
#define OP_MAX_RESOLVES     100

TerenOp *
teren_op_new (void)
{
  TerenOp *op = g_new0 (TerenOp, 1);

  op->line = g_strdup ("");
  op->op = TEREN_OP_UPDATE;
  op->patch = json_object_new ();
  return op;
}

void
teren_op_free (TerenOp *op)
{
  if (op == NULL)
    return;

  g_free (op->change_id);
  g_free (op->prev_change);
  g_free (op->record_id);
  g_free (op->kind);
  g_free (op->line);
  g_clear_pointer (&op->patch, json_object_unref);
  g_free (op->author);
  g_free (op->device_time);
  g_strfreev (op->resolves);
  g_free (op);
}

TerenOp *
teren_op_copy (const TerenOp *op)
{
  TerenOp *copy;

  g_return_val_if_fail (op != NULL, NULL);

  copy = g_new0 (TerenOp, 1);
  copy->change_id = g_strdup (op->change_id);
  copy->prev_change = g_strdup (op->prev_change);
  copy->record_id = g_strdup (op->record_id);
  copy->kind = g_strdup (op->kind);
  copy->line = g_strdup (op->line);
  copy->op = op->op;
  copy->base_rev = op->base_rev;
  copy->patch = teren_json_object_copy (op->patch);
  copy->author = g_strdup (op->author);
  copy->device_time = g_strdup (op->device_time);
  copy->resolves = g_strdupv (op->resolves);
  return copy;
}

const char *
teren_op_type_to_string (TerenOpType type)
{
  switch (type)
    {
    case TEREN_OP_CREATE:
      return "create";
    case TEREN_OP_UPDATE:
      return "update";
    case TEREN_OP_DELETE:
      return "delete";
    default:
      return "unknown";
    }
}

gboolean
teren_op_type_from_string (const char  *text,
                           TerenOpType *out_type)
{
  TerenOpType type;

  if (g_strcmp0 (text, "create") == 0)
    type = TEREN_OP_CREATE;
  else if (g_strcmp0 (text, "update") == 0)
    type = TEREN_OP_UPDATE;
  else if (g_strcmp0 (text, "delete") == 0)
    type = TEREN_OP_DELETE;
  else
    return FALSE;

  if (out_type != NULL)
    *out_type = type;
  return TRUE;
}

static void
set_nullable_string (JsonObject *object,
                     const char *member,
                     const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, member, value);
  else
    json_object_set_null_member (object, member);
}

JsonNode *
teren_op_to_json (const TerenOp *op)
{
  JsonObject *object;
  JsonNode *node;

  g_return_val_if_fail (op != NULL, NULL);

  object = json_object_new ();
  set_nullable_string (object, "change_id", op->change_id);
  set_nullable_string (object, "prev_change", op->prev_change);
  set_nullable_string (object, "record_id", op->record_id);
  set_nullable_string (object, "kind", op->kind);
  json_object_set_string_member (object, "line", op->line != NULL ? op->line : "");
  json_object_set_string_member (object, "op", teren_op_type_to_string (op->op));
  json_object_set_int_member (object, "base_rev", op->base_rev);
  json_object_set_object_member (object, "patch",
                                 op->patch != NULL ? teren_json_object_copy (op->patch)
                                                   : json_object_new ());
  set_nullable_string (object, "author", op->author);
  set_nullable_string (object, "device_time", op->device_time);

  if (op->resolves != NULL)
    {
      JsonArray *array = json_array_new ();
      guint i;

      for (i = 0; op->resolves[i] != NULL; i++)
        json_array_add_string_element (array, op->resolves[i]);
      json_object_set_array_member (object, "resolves", array);
    }

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

static gboolean
fail (GError     **error,
      const char  *member,
      const char  *problem)
{
  g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID,
               "Operation member “%s” %s", member, problem);
  return FALSE;
}

/* A string member: valid UTF-8, at most @max characters (0 = no bound), and when
 * @nullable absent/null gives NULL. */
static gboolean
get_string (JsonObject  *object,
            const char  *member,
            gboolean     nullable,
            glong        max,
            char       **out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  const char *value;

  *out = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (nullable)
        return TRUE;
      return fail (error, member, "is missing");
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return fail (error, member, "is not a string");

  value = json_node_get_string (node);
  if (!g_utf8_validate (value, -1, NULL))
    return fail (error, member, "is not valid UTF-8");
  if (max > 0 && g_utf8_strlen (value, -1) > max)
    return fail (error, member, "is too long");

  *out = g_strdup (value);
  return TRUE;
}

static gboolean
get_uuid (JsonObject  *object,
          const char  *member,
          gboolean     nullable,
          char       **out,
          GError     **error)
{
  if (!get_string (object, member, nullable, 36, out, error))
    return FALSE;

  if (*out != NULL && !teren_uuid_is_valid (*out))
    {
      g_clear_pointer (out, g_free);
      return fail (error, member, "is not a UUID");
    }

  return TRUE;
}

static gboolean
is_identifier (const char *text)
{
  const char *p;

  for (p = text; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_' && *p != '.')
      return FALSE;

  return TRUE;
}

static gboolean
check_patch (JsonObject  *patch,
             GError     **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;
  guint n = 0;

  json_object_iter_init (&iter, patch);
  while (json_object_iter_next (&iter, &name, &node))
    {
      if (++n > OP_MAX_PATCH_KEYS)
        return fail (error, "patch", "has too many fields");
      if (name[0] == '\0' || !g_utf8_validate (name, -1, NULL) ||
          g_utf8_strlen (name, -1) > OP_MAX_PATCH_KEY)
        return fail (error, "patch", "has an invalid field name");
    }

  return TRUE;
}

TerenOp *
teren_op_new_from_json (JsonNode  *node,
                        GError   **error)
{
  g_autoptr(TerenOp) op = NULL;
  g_autofree char *op_name = NULL;
  JsonObject *object;
  JsonNode *member;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, TEREN_ERROR, TEREN_ERROR_INVALID,
                           "An operation must be a JSON object");
      return NULL;
    }

  object = json_node_get_object (node);
  op = g_new0 (TerenOp, 1);

  if (!get_uuid (object, "change_id", FALSE, &op->change_id, error) ||
      !get_uuid (object, "prev_change", TRUE, &op->prev_change, error) ||
      !get_uuid (object, "record_id", FALSE, &op->record_id, error) ||
      !get_string (object, "kind", FALSE, OP_MAX_KIND, &op->kind, error) ||
      !get_string (object, "line", FALSE, OP_MAX_LINE, &op->line, error) ||
      !get_string (object, "op", FALSE, 16, &op_name, error) ||
      !get_string (object, "author", TRUE, OP_MAX_AUTHOR, &op->author, error) ||
      !get_string (object, "device_time", TRUE, OP_MAX_DEVICE_TIME, &op->device_time, error))
    return NULL;

  if (op->kind[0] == '\0' || !is_identifier (op->kind))
    {
      fail (error, "kind", "is not a kind name");
      return NULL;
    }

  if (!is_identifier (op->line))
    {
      fail (error, "line", "is not a line name");
      return NULL;
    }

  if (!teren_op_type_from_string (op_name, &op->op))
    {
      fail (error, "op", "is not create, update or delete");
      return NULL;
    }

  member = json_object_get_member (object, "base_rev");
  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member) ||
      json_node_get_value_type (member) != G_TYPE_INT64)
    {
      fail (error, "base_rev", "is missing or not an integer");
      return NULL;
    }
  op->base_rev = json_node_get_int (member);
  if (op->base_rev < 0)
    {
      fail (error, "base_rev", "is negative");
      return NULL;
    }

  member = json_object_get_member (object, "patch");
  if (member == NULL || !JSON_NODE_HOLDS_OBJECT (member))
    {
      fail (error, "patch", "is missing or not an object");
      return NULL;
    }
  if (!check_patch (json_node_get_object (member), error))
    return NULL;
  op->patch = teren_json_object_copy (json_node_get_object (member));

  member = json_object_get_member (object, "resolves");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      JsonArray *array;
      guint i, n;

      if (!JSON_NODE_HOLDS_ARRAY (member))
        {
          fail (error, "resolves", "is not an array");
          return NULL;
        }

      array = json_node_get_array (member);
      n = json_array_get_length (array);
      if (n > OP_MAX_RESOLVES)
        {
          fail (error, "resolves", "has too many ids");
          return NULL;
        }

      op->resolves = g_new0 (char *, n + 1);
      for (i = 0; i < n; i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          const char *id = NULL;

          if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
            id = json_node_get_string (element);
          if (id == NULL || !teren_uuid_is_valid (id))
            {
              fail (error, "resolves", "holds something that is not a UUID");
              return NULL;
            }
          op->resolves[i] = g_strdup (id);
        }
    }

  return g_steal_pointer (&op);
}
