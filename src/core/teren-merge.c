/* teren-merge.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "teren-json.h"
#include "teren-merge.h"

#define SET_ADD    "$add"
#define SET_REMOVE "$remove"

void
teren_merge_conflict_free (TerenMergeConflict *conflict)
{
  if (conflict == NULL)
    return;

  g_free (conflict->field);
  g_clear_pointer (&conflict->base, json_node_unref);
  g_clear_pointer (&conflict->server, json_node_unref);
  g_clear_pointer (&conflict->local, json_node_unref);
  g_free (conflict);
}

static gboolean
is_null (JsonNode *node)
{
  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

/* {"$add": [...], "$remove": [...]}: an object with at least one of the two members and
 * nothing else. */
static gboolean
is_set_op (JsonNode *node)
{
  JsonObject *object;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  guint n = 0;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;

  object = json_node_get_object (node);
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &member))
    {
      if (strcmp (name, SET_ADD) != 0 && strcmp (name, SET_REMOVE) != 0)
        return FALSE;
      if (!JSON_NODE_HOLDS_ARRAY (member) && !JSON_NODE_HOLDS_NULL (member))
        return FALSE;
      n++;
    }

  return n > 0;
}

static gboolean
is_multi_choice (const TerenKindDef *kind,
                 const char         *key)
{
  const TerenFieldDef *field = teren_kind_lookup_field (kind, key);

  return field != NULL && field->type == TEREN_FIELD_MULTI_CHOICE;
}

/* The elements of an array node, in order; a non-array gives an empty list. The nodes
 * are borrowed from @node. */
static GPtrArray *
array_elements (JsonNode *node)
{
  GPtrArray *out = g_ptr_array_new ();
  JsonArray *array;
  guint i, n;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return out;

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  for (i = 0; i < n; i++)
    g_ptr_array_add (out, json_array_get_element (array, i));

  return out;
}

static gboolean
list_contains (GPtrArray *list,
               JsonNode  *value)
{
  guint i;

  for (i = 0; i < list->len; i++)
    if (teren_json_equal (g_ptr_array_index (list, i), value))
      return TRUE;

  return FALSE;
}

/* @a − @b, keeping @a's order and dropping duplicates. */
static GPtrArray *
list_minus (GPtrArray *a,
            GPtrArray *b)
{
  GPtrArray *out = g_ptr_array_new ();
  guint i;

  for (i = 0; i < a->len; i++)
    {
      JsonNode *value = g_ptr_array_index (a, i);

      if (!list_contains (b, value) && !list_contains (out, value))
        g_ptr_array_add (out, value);
    }

  return out;
}

/* (@current ∪ @added) − @removed, as a new array node: @current's order, then the
 * additions in their order. */
static JsonNode *
set_merge (GPtrArray *current,
           GPtrArray *added,
           GPtrArray *removed)
{
  JsonArray *array = json_array_new ();
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();
  JsonNode *node;
  guint i;

  for (i = 0; i < current->len + added->len; i++)
    {
      JsonNode *value = i < current->len ? g_ptr_array_index (current, i)
                                         : g_ptr_array_index (added, i - current->len);

      if (list_contains (removed, value) || list_contains (seen, value))
        continue;
      g_ptr_array_add (seen, value);
      json_array_add_element (array, teren_json_node_copy (value));
    }

  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, array);
  return node;
}

/* What a set patch adds and removes relative to @base: for {"$add","$remove"} its two
 * lists; for a whole array, the difference to @base; for null, everything in @base. */
static void
set_patch_changes (JsonNode   *base,
                   JsonNode   *patch_value,
                   GPtrArray **out_added,
                   GPtrArray **out_removed)
{
  if (is_set_op (patch_value))
    {
      JsonObject *object = json_node_get_object (patch_value);

      *out_added = array_elements (json_object_get_member (object, SET_ADD));
      *out_removed = array_elements (json_object_get_member (object, SET_REMOVE));
    }
  else
    {
      g_autoptr(GPtrArray) base_list = array_elements (base);
      g_autoptr(GPtrArray) patch_list = array_elements (patch_value);

      *out_added = list_minus (patch_list, base_list);
      *out_removed = list_minus (base_list, patch_list);
    }
}

/* Applies a multi-choice patch value to @fields[@key], where @fields may have moved on
 * from @base. */
static void
apply_set_value (JsonObject *fields,
                 const char *key,
                 JsonNode   *base,
                 JsonNode   *patch_value)
{
  g_autoptr(GPtrArray) added = NULL;
  g_autoptr(GPtrArray) removed = NULL;
  g_autoptr(GPtrArray) current = array_elements (json_object_get_member (fields, key));
  JsonNode *merged;

  set_patch_changes (base, patch_value, &added, &removed);
  merged = set_merge (current, added, removed);

  if (json_array_get_length (json_node_get_array (merged)) == 0 && is_null (patch_value))
    {
      /* A cleared set with nothing added elsewhere stays cleared, not []. */
      json_node_unref (merged);
      if (json_object_has_member (fields, key))
        json_object_remove_member (fields, key);
      return;
    }

  json_object_set_member (fields, key, merged);
}

static void
apply_value (JsonObject *fields,
             const char *key,
             JsonNode   *value)
{
  if (is_null (value))
    {
      if (json_object_has_member (fields, key))
        json_object_remove_member (fields, key);
    }
  else
    json_object_set_member (fields, key, teren_json_node_copy (value));
}

TerenMergeStatus
teren_merge_patch (const TerenKindDef  *kind,
                   JsonObject          *base,
                   JsonObject          *current,
                   GHashTable          *server_changed,
                   JsonObject          *patch,
                   JsonObject         **out_fields,
                   GPtrArray          **out_conflicts)
{
  g_autoptr(JsonObject) fields = teren_json_object_copy (current);
  g_autoptr(GPtrArray) conflicts =
    g_ptr_array_new_with_free_func ((GDestroyNotify) teren_merge_conflict_free);
  g_autoptr(GPtrArray) keys = NULL;
  gboolean server_moved = server_changed != NULL && g_hash_table_size (server_changed) > 0;
  guint i;

  keys = teren_merge_patch_keys (patch);
  for (i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      JsonNode *local = json_object_get_member (patch, key);
      JsonNode *base_value = base != NULL ? json_object_get_member (base, key) : NULL;
      JsonNode *server_value = current != NULL ? json_object_get_member (current, key) : NULL;
      gboolean changed_on_server = server_changed != NULL &&
                                   g_hash_table_contains (server_changed, key);

      if (is_multi_choice (kind, key) || is_set_op (local))
        {
          /* Sets never conflict: additions on either side are kept, removals on either
           * side removed. A whole array with no server change is taken as it is. */
          if (!changed_on_server && !is_set_op (local))
            apply_value (fields, key, local);
          else
            apply_set_value (fields, key, base_value, local);
          continue;
        }

      if (!changed_on_server)
        {
          apply_value (fields, key, local);
          continue;
        }

      if (teren_json_equal (local, server_value))
        continue;   /* convergent edit */

      {
        TerenMergeConflict *conflict = g_new0 (TerenMergeConflict, 1);

        conflict->field = g_strdup (key);
        conflict->base = teren_json_node_copy (base_value);
        conflict->server = teren_json_node_copy (server_value);
        conflict->local = teren_json_node_copy (local);
        g_ptr_array_add (conflicts, conflict);
      }
    }

  if (out_fields != NULL)
    *out_fields = g_steal_pointer (&fields);
  if (out_conflicts != NULL)
    *out_conflicts = g_ptr_array_ref (conflicts);

  if (conflicts->len > 0)
    return TEREN_MERGE_CONFLICT;
  return server_moved ? TEREN_MERGE_MERGED : TEREN_MERGE_APPLIED;
}

void
teren_merge_apply_patch (const TerenKindDef *kind,
                         JsonObject         *fields,
                         JsonObject         *patch)
{
  g_autoptr(GPtrArray) keys = NULL;
  guint i;

  g_return_if_fail (fields != NULL);

  keys = teren_merge_patch_keys (patch);
  for (i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      JsonNode *value = json_object_get_member (patch, key);

      if (is_set_op (value))
        {
          g_autoptr(JsonNode) current = teren_json_node_copy (json_object_get_member (fields, key));

          apply_set_value (fields, key, current, value);
        }
      else
        apply_value (fields, key, value);
    }
}

/* Equality of two multi-choice values as sets. */
static gboolean
set_equal (JsonNode *a,
           JsonNode *b)
{
  g_autoptr(GPtrArray) list_a = array_elements (a);
  g_autoptr(GPtrArray) list_b = array_elements (b);
  g_autoptr(GPtrArray) a_minus_b = list_minus (list_a, list_b);
  g_autoptr(GPtrArray) b_minus_a = list_minus (list_b, list_a);

  return a_minus_b->len == 0 && b_minus_a->len == 0;
}

static JsonNode *
list_to_array_node (GPtrArray *list)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);
  guint i;

  for (i = 0; i < list->len; i++)
    json_array_add_element (array, teren_json_node_copy (g_ptr_array_index (list, i)));
  json_node_take_array (node, array);
  return node;
}

JsonObject *
teren_merge_diff (const TerenKindDef *kind,
                  JsonObject         *old_fields,
                  JsonObject         *new_fields)
{
  JsonObject *patch = json_object_new ();
  g_autoptr(GPtrArray) old_keys = teren_merge_patch_keys (old_fields);
  g_autoptr(GPtrArray) new_keys = teren_merge_patch_keys (new_fields);
  guint i;

  for (i = 0; i < new_keys->len; i++)
    {
      const char *key = g_ptr_array_index (new_keys, i);
      JsonNode *new_value = json_object_get_member (new_fields, key);
      JsonNode *old_value = old_fields != NULL ? json_object_get_member (old_fields, key) : NULL;

      if (teren_json_equal (old_value, new_value))
        continue;

      if (is_null (new_value))
        {
          json_object_set_null_member (patch, key);
          continue;
        }

      if (is_multi_choice (kind, key) && JSON_NODE_HOLDS_ARRAY (new_value) &&
          (is_null (old_value) || JSON_NODE_HOLDS_ARRAY (old_value)))
        {
          g_autoptr(GPtrArray) old_list = array_elements (old_value);
          g_autoptr(GPtrArray) new_list = array_elements (new_value);
          g_autoptr(GPtrArray) added = NULL;
          g_autoptr(GPtrArray) removed = NULL;
          JsonObject *op;

          if (set_equal (old_value, new_value))
            continue;   /* only the order changed */

          added = list_minus (new_list, old_list);
          removed = list_minus (old_list, new_list);
          op = json_object_new ();
          if (added->len > 0)
            json_object_set_member (op, SET_ADD, list_to_array_node (added));
          if (removed->len > 0)
            json_object_set_member (op, SET_REMOVE, list_to_array_node (removed));
          json_object_set_object_member (patch, key, op);
          continue;
        }

      json_object_set_member (patch, key, teren_json_node_copy (new_value));
    }

  for (i = 0; i < old_keys->len; i++)
    {
      const char *key = g_ptr_array_index (old_keys, i);

      if (is_null (json_object_get_member (old_fields, key)))
        continue;
      if (new_fields == NULL || !json_object_has_member (new_fields, key))
        json_object_set_null_member (patch, key);
    }

  return patch;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GPtrArray *
teren_merge_patch_keys (JsonObject *patch)
{
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (patch == NULL)
    return keys;

  json_object_iter_init (&iter, patch);
  while (json_object_iter_next (&iter, &name, &node))
    g_ptr_array_add (keys, g_strdup (name));

  g_ptr_array_sort (keys, compare_strings);
  return keys;
}

const char *
teren_merge_status_to_string (TerenMergeStatus status)
{
  switch (status)
    {
    case TEREN_MERGE_APPLIED:
      return "applied";
    case TEREN_MERGE_MERGED:
      return "merged";
    case TEREN_MERGE_CONFLICT:
      return "conflict";
    default:
      return "unknown";
    }
}

const char *
teren_merge_record_conflict (gboolean    is_delete,
                             gboolean    deleted_since_base,
                             GHashTable *server_changed)
{
  if (is_delete)
    {
      if (deleted_since_base)
        return NULL;
      if (server_changed != NULL && g_hash_table_size (server_changed) > 0)
        return "delete_vs_edit";
      return NULL;
    }

  return deleted_since_base ? "edit_on_deleted" : NULL;
}

static void
set_nullable (JsonObject *object,
              const char *member,
              const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, member, value);
  else
    json_object_set_null_member (object, member);
}

JsonObject *
teren_merge_conflict_fields (const char *record_id,
                             const char *record_kind,
                             const char *reason,
                             const char *change_id,
                             const char *author,
                             GPtrArray  *conflicts,
                             JsonObject *patch)
{
  JsonObject *fields = json_object_new ();
  JsonArray *items = json_array_new ();
  guint i;

  g_return_val_if_fail (record_id != NULL, fields);
  g_return_val_if_fail (reason != NULL, fields);

  json_object_set_string_member (fields, "record", record_id);
  set_nullable (fields, "record_kind", record_kind);
  json_object_set_string_member (fields, "reason", reason);
  set_nullable (fields, "change_id", change_id);
  set_nullable (fields, "author", author);
  json_object_set_string_member (fields, "status", "open");

  for (i = 0; conflicts != NULL && i < conflicts->len; i++)
    {
      TerenMergeConflict *conflict = g_ptr_array_index (conflicts, i);
      JsonObject *item = json_object_new ();

      json_object_set_string_member (item, "field", conflict->field);
      json_object_set_member (item, "base", teren_json_node_copy (conflict->base));
      json_object_set_member (item, "server", teren_json_node_copy (conflict->server));
      json_object_set_member (item, "local", teren_json_node_copy (conflict->local));
      json_array_add_object_element (items, item);
    }
  json_object_set_array_member (fields, "fields", items);

  if (patch != NULL)
    json_object_set_object_member (fields, "patch", teren_json_object_copy (patch));

  return fields;
}
