/* teren-record.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "teren-error.h"
#include "teren-json.h"
#include "teren-record.h"
#include "teren-schema.h"
#include "teren-uuid.h"

struct _TerenRecord
{
  GObject     parent_instance;

  /* (owned) */
  char       *id;
  char       *kind;
  char       *line;        /* "" for registry records */
  JsonObject *fields;
  char       *created_at;  /* (nullable) */
  char       *updated_at;  /* (nullable) */
  char       *created_by;  /* (nullable) */
  char       *updated_by;  /* (nullable) */
  char       *title;       /* cached teren_schema_record_title () */

  /* plain values */
  gint64      rev;
  gboolean    deleted;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_KIND,
  PROP_LINE,
  PROP_REV,
  PROP_DELETED,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  PROP_CREATED_BY,
  PROP_UPDATED_BY,
  PROP_FIELDS,
  PROP_TITLE,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (TerenRecord, teren_record, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

/* Recomputes the title and notifies "title" only if it changed. */
static void
update_title (TerenRecord *self,
              gboolean     notify)
{
  g_autofree char *title = teren_schema_record_title (teren_schema_lookup_kind (self->kind),
                                                      self->fields);

  if (g_strcmp0 (title, self->title) == 0)
    return;

  g_free (self->title);
  self->title = g_steal_pointer (&title);
  if (notify)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

static void
teren_record_finalize (GObject *object)
{
  TerenRecord *self = (TerenRecord *) object;

  g_free (self->id);
  g_free (self->kind);
  g_free (self->line);
  g_clear_pointer (&self->fields, json_object_unref);
  g_free (self->created_at);
  g_free (self->updated_at);
  g_free (self->created_by);
  g_free (self->updated_by);
  g_free (self->title);

  G_OBJECT_CLASS (teren_record_parent_class)->finalize (object);
}

static void
teren_record_constructed (GObject *object)
{
  TerenRecord *self = (TerenRecord *) object;

  G_OBJECT_CLASS (teren_record_parent_class)->constructed (object);

  if (self->id == NULL)
    self->id = teren_uuid_new ();
  if (self->kind == NULL)
    self->kind = g_strdup ("");
  if (self->line == NULL)
    self->line = g_strdup ("");
  if (self->fields == NULL)
    self->fields = json_object_new ();
  update_title (self, FALSE);
}

static void
teren_record_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TerenRecord *self = TEREN_RECORD (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_KIND:
      g_value_set_string (value, self->kind);
      break;
    case PROP_LINE:
      g_value_set_string (value, self->line);
      break;
    case PROP_REV:
      g_value_set_int64 (value, self->rev);
      break;
    case PROP_DELETED:
      g_value_set_boolean (value, self->deleted);
      break;
    case PROP_CREATED_AT:
      g_value_set_string (value, self->created_at);
      break;
    case PROP_UPDATED_AT:
      g_value_set_string (value, self->updated_at);
      break;
    case PROP_CREATED_BY:
      g_value_set_string (value, self->created_by);
      break;
    case PROP_UPDATED_BY:
      g_value_set_string (value, self->updated_by);
      break;
    case PROP_FIELDS:
      g_value_set_boxed (value, self->fields);
      break;
    case PROP_TITLE:
      g_value_set_string (value, teren_record_get_title (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_string_property (TerenRecord *self,
                     char       **field,
                     const char  *value,
                     guint        prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
teren_record_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  TerenRecord *self = TEREN_RECORD (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_free (self->id);
      self->id = g_value_dup_string (value);
      break;
    case PROP_KIND:
      g_free (self->kind);
      self->kind = g_value_dup_string (value);
      break;
    case PROP_LINE:
      g_free (self->line);
      self->line = g_value_dup_string (value);
      break;
    case PROP_REV:
      teren_record_set_rev (self, g_value_get_int64 (value));
      break;
    case PROP_DELETED:
      teren_record_set_deleted (self, g_value_get_boolean (value));
      break;
    case PROP_CREATED_AT:
      g_free (self->created_at);
      self->created_at = g_value_dup_string (value);
      break;
    case PROP_UPDATED_AT:
      set_string_property (self, &self->updated_at, g_value_get_string (value), PROP_UPDATED_AT);
      break;
    case PROP_CREATED_BY:
      g_free (self->created_by);
      self->created_by = g_value_dup_string (value);
      break;
    case PROP_UPDATED_BY:
      set_string_property (self, &self->updated_by, g_value_get_string (value), PROP_UPDATED_BY);
      break;
    case PROP_FIELDS:
      /* Construct-only: taken as it is, not copied (teren_record_new_take). */
      g_clear_pointer (&self->fields, json_object_unref);
      self->fields = g_value_dup_boxed (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
teren_record_class_init (TerenRecordClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags construct_only = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
  GParamFlags writable = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = teren_record_finalize;
  object_class->constructed = teren_record_constructed;
  object_class->get_property = teren_record_get_property;
  object_class->set_property = teren_record_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL, construct_only);
  properties[PROP_KIND] =
    g_param_spec_string ("kind", NULL, NULL, NULL, construct_only);
  properties[PROP_LINE] =
    g_param_spec_string ("line", NULL, NULL, NULL, construct_only);
  properties[PROP_REV] =
    g_param_spec_int64 ("rev", NULL, NULL, 0, G_MAXINT64, 0, writable);
  properties[PROP_DELETED] =
    g_param_spec_boolean ("deleted", NULL, NULL, FALSE, writable);
  properties[PROP_CREATED_AT] =
    g_param_spec_string ("created-at", NULL, NULL, NULL, construct_only);
  properties[PROP_UPDATED_AT] =
    g_param_spec_string ("updated-at", NULL, NULL, NULL, writable);
  properties[PROP_CREATED_BY] =
    g_param_spec_string ("created-by", NULL, NULL, NULL, construct_only);
  properties[PROP_UPDATED_BY] =
    g_param_spec_string ("updated-by", NULL, NULL, NULL, writable);
  /* The record keeps a reference to the object given: nothing else may change it. */
  properties[PROP_FIELDS] =
    g_param_spec_boxed ("fields", NULL, NULL, JSON_TYPE_OBJECT, construct_only);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
teren_record_init (TerenRecord *self)
{
}

TerenRecord *
teren_record_new (const char *kind,
                  const char *line,
                  const char *author)
{
  g_autofree char *id = teren_uuid_new ();
  g_autofree char *now = teren_now_iso8601 ();

  return g_object_new (TEREN_TYPE_RECORD,
                       "id", id,
                       "kind", kind,
                       "line", line != NULL ? line : "",
                       "created-at", now,
                       "updated-at", now,
                       "created-by", author,
                       "updated-by", author,
                       NULL);
}

TerenRecord *
teren_record_new_full (const char *id,
                       const char *kind,
                       const char *line,
                       gint64      rev,
                       JsonObject *fields,
                       gboolean    deleted,
                       const char *created_at,
                       const char *updated_at,
                       const char *created_by,
                       const char *updated_by)
{
  return teren_record_new_take (id, kind, line, rev, fields != NULL ? teren_json_object_copy (fields) : NULL,
                                deleted, created_at, updated_at, created_by, updated_by);
}

TerenRecord *
teren_record_new_take (const char *id,
                       const char *kind,
                       const char *line,
                       gint64      rev,
                       JsonObject *fields,
                       gboolean    deleted,
                       const char *created_at,
                       const char *updated_at,
                       const char *created_by,
                       const char *updated_by)
{
  g_autoptr(JsonObject) taken = fields;
  TerenRecord *self;

  /* What the title is made of is given at construction, so that it is computed once. The
   * rest is set here: a store reader makes thousands of records in a row, and each property
   * given to g_object_new() costs more than the assignment (nothing can be connected to
   * the new object's notifications yet). */
  self = g_object_new (TEREN_TYPE_RECORD,
                       "id", id,
                       "kind", kind,
                       "fields", taken,
                       NULL);
  if (line != NULL && line[0] != '\0')
    {
      g_free (self->line);
      self->line = g_strdup (line);
    }
  self->rev = MAX (rev, 0);
  self->deleted = !!deleted;
  self->created_at = g_strdup (created_at);
  self->updated_at = g_strdup (updated_at);
  self->created_by = g_strdup (created_by);
  self->updated_by = g_strdup (updated_by);
  return self;
}

const char *
teren_record_get_id (TerenRecord *self)
{
  g_return_val_if_fail (TEREN_IS_RECORD (self), NULL);
  return self->id;
}

const char *
teren_record_get_kind (TerenRecord *self)
{
  g_return_val_if_fail (TEREN_IS_RECORD (self), NULL);
  return self->kind;
}

const char *
teren_record_get_line (TerenRecord *self)
{
  g_return_val_if_fail (TEREN_IS_RECORD (self), NULL);
  return self->line;
}

gint64
teren_record_get_rev (TerenRecord *self)
{
  g_return_val_if_fail (TEREN_IS_RECORD (self), 0);
  return self->rev;
}

void
teren_record_set_rev (TerenRecord *self,
                      gint64       rev)
{
  g_return_if_fail (TEREN_IS_RECORD (self));

  if (self->rev == rev)
    return;

  self->rev = rev;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REV]);
}

gboolean
teren_record_get_deleted (TerenRecord *self)
{
  g_return_val_if_fail (TEREN_IS_RECORD (self), FALSE);
  return self->deleted;
}

void
teren_record_set_deleted (TerenRecord *self,
                          gboolean     deleted)
{
  g_return_if_fail (TEREN_IS_RECORD (self));

  deleted = !!deleted;
  if (self->deleted == deleted)
    return;

  self->deleted = deleted;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELETED]);
}

const char *
teren_record_get_created_at (TerenRecord *self)
{
  g_return_val_if_fail (TEREN_IS_RECORD (self), NULL);
  return self->created_at;
}

const char *
teren_record_get_updated_at (TerenRecord *self)
{
  g_return_val_if_fail (TEREN_IS_RECORD (self), NULL);
  return self->updated_at;
}

const char *
teren_record_get_created_by (TerenRecord *self)
{
  g_return_val_if_fail (TEREN_IS_RECORD (self), NULL);
  return self->created_by;
}

const char *
teren_record_get_updated_by (TerenRecord *self)
{
  g_return_val_if_fail (TEREN_IS_RECORD (self), NULL);
  return self->updated_by;
}

void
teren_record_touch (TerenRecord *self,
                    const char  *updated_at,
                    const char  *updated_by)
{
  g_autofree char *now = NULL;

  g_return_if_fail (TEREN_IS_RECORD (self));

  if (updated_at == NULL)
    updated_at = now = teren_now_iso8601 ();

  g_object_freeze_notify (G_OBJECT (self));
  set_string_property (self, &self->updated_at, updated_at, PROP_UPDATED_AT);
  set_string_property (self, &self->updated_by, updated_by, PROP_UPDATED_BY);
  g_object_thaw_notify (G_OBJECT (self));
}

JsonObject *
teren_record_get_fields (TerenRecord *self)
{
  g_return_val_if_fail (TEREN_IS_RECORD (self), NULL);
  return self->fields;
}

void
teren_record_set_fields (TerenRecord *self,
                         JsonObject  *fields)
{
  JsonObject *copy;

  g_return_if_fail (TEREN_IS_RECORD (self));

  /* Copy first: @fields may be our own object. */
  copy = teren_json_object_copy (fields);
  json_object_unref (self->fields);
  self->fields = copy;
  update_title (self, TRUE);
}

static JsonNode *
lookup_value (TerenRecord *self,
              const char  *key,
              GType        type)
{
  JsonNode *node;

  g_return_val_if_fail (TEREN_IS_RECORD (self), NULL);

  if (key == NULL)
    return NULL;

  node = json_object_get_member (self->fields, key);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != type)
    return NULL;

  return node;
}

const char *
teren_record_get_string (TerenRecord *self,
                         const char  *key)
{
  JsonNode *node = lookup_value (self, key, G_TYPE_STRING);

  return node != NULL ? json_node_get_string (node) : NULL;
}

gint64
teren_record_get_int (TerenRecord *self,
                      const char  *key)
{
  JsonNode *node = lookup_value (self, key, G_TYPE_INT64);

  return node != NULL ? json_node_get_int (node) : 0;
}

gboolean
teren_record_get_bool (TerenRecord *self,
                       const char  *key)
{
  JsonNode *node = lookup_value (self, key, G_TYPE_BOOLEAN);

  return node != NULL ? json_node_get_boolean (node) : FALSE;
}

void
teren_record_set_string (TerenRecord *self,
                         const char  *key,
                         const char  *value)
{
  g_return_if_fail (TEREN_IS_RECORD (self));
  g_return_if_fail (key != NULL);

  if (value == NULL)
    {
      if (!json_object_has_member (self->fields, key))
        return;
      json_object_remove_member (self->fields, key);
    }
  else
    json_object_set_string_member (self->fields, key, value);

  update_title (self, TRUE);
}

void
teren_record_set_member (TerenRecord *self,
                         const char  *key,
                         JsonNode    *value)
{
  g_return_if_fail (TEREN_IS_RECORD (self));
  g_return_if_fail (key != NULL);

  if (value == NULL)
    {
      if (!json_object_has_member (self->fields, key))
        return;
      json_object_remove_member (self->fields, key);
      update_title (self, TRUE);
      return;
    }

  /* A deep copy, so that later changes to @value do not reach the record. */
  json_object_set_member (self->fields, key, teren_json_node_copy (value));
  update_title (self, TRUE);
}

const char *
teren_record_get_title (TerenRecord *self)
{
  g_return_val_if_fail (TEREN_IS_RECORD (self), NULL);
  return self->title;
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
teren_record_to_json (TerenRecord *self)
{
  JsonObject *object;
  JsonNode *node;

  g_return_val_if_fail (TEREN_IS_RECORD (self), NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "id", self->id);
  json_object_set_string_member (object, "kind", self->kind);
  json_object_set_string_member (object, "line", self->line);
  json_object_set_int_member (object, "rev", self->rev);
  json_object_set_boolean_member (object, "deleted", self->deleted);
  json_object_set_object_member (object, "fields", teren_json_object_copy (self->fields));
  set_nullable_string (object, "created_at", self->created_at);
  set_nullable_string (object, "updated_at", self->updated_at);
  set_nullable_string (object, "created_by", self->created_by);
  set_nullable_string (object, "updated_by", self->updated_by);

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

static gboolean
get_required_string (JsonObject  *object,
                     const char  *member,
                     const char **out,
                     GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_BAD_JSON,
                   "Record member “%s” is missing or not a string", member);
      return FALSE;
    }

  *out = json_node_get_string (node);
  return TRUE;
}

static gboolean
get_optional_string (JsonObject  *object,
                     const char  *member,
                     const char **out,
                     GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  return get_required_string (object, member, out, error);
}

/* Required: id, kind, line, rev, fields. Optional (absent or null): deleted (false) and
 * the four timestamps/authors, so that pull records ({id, kind, line, rev, seq, deleted,
 * fields, updated_by, updated_at}) parse too. Unknown members such as "seq" are ignored. */
TerenRecord *
teren_record_new_from_json (JsonNode  *node,
                            GError   **error)
{
  JsonObject *object;
  JsonNode *member;
  const char *id, *kind, *line;
  const char *created_at, *updated_at, *created_by, *updated_by;
  gboolean deleted = FALSE;
  gint64 rev;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, TEREN_ERROR, TEREN_ERROR_BAD_JSON,
                           "A record must be a JSON object");
      return NULL;
    }

  object = json_node_get_object (node);

  if (!get_required_string (object, "id", &id, error) ||
      !get_required_string (object, "kind", &kind, error) ||
      !get_required_string (object, "line", &line, error))
    return NULL;

  if (!teren_uuid_is_valid (id))
    {
      g_set_error_literal (error, TEREN_ERROR, TEREN_ERROR_BAD_JSON,
                           "Record member “id” is not a UUID");
      return NULL;
    }

  member = json_object_get_member (object, "rev");
  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member) ||
      json_node_get_value_type (member) != G_TYPE_INT64 || json_node_get_int (member) < 0)
    {
      g_set_error_literal (error, TEREN_ERROR, TEREN_ERROR_BAD_JSON,
                           "Record member “rev” is missing or not a non-negative integer");
      return NULL;
    }
  rev = json_node_get_int (member);

  member = json_object_get_member (object, "fields");
  if (member == NULL || !JSON_NODE_HOLDS_OBJECT (member))
    {
      g_set_error_literal (error, TEREN_ERROR, TEREN_ERROR_BAD_JSON,
                           "Record member “fields” is missing or not an object");
      return NULL;
    }

  member = json_object_get_member (object, "deleted");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_BOOLEAN)
        {
          g_set_error_literal (error, TEREN_ERROR, TEREN_ERROR_BAD_JSON,
                               "Record member “deleted” is not a boolean");
          return NULL;
        }
      deleted = json_node_get_boolean (member);
    }

  if (!get_optional_string (object, "created_at", &created_at, error) ||
      !get_optional_string (object, "updated_at", &updated_at, error) ||
      !get_optional_string (object, "created_by", &created_by, error) ||
      !get_optional_string (object, "updated_by", &updated_by, error))
    return NULL;

  return teren_record_new_full (id, kind, line, rev,
                                json_object_get_object_member (object, "fields"),
                                deleted, created_at, updated_at, created_by, updated_by);
}

TerenRecord *
teren_record_copy (TerenRecord *self)
{
  g_return_val_if_fail (TEREN_IS_RECORD (self), NULL);

  return teren_record_new_full (self->id, self->kind, self->line, self->rev, self->fields,
                                self->deleted, self->created_at, self->updated_at,
                                self->created_by, self->updated_by);
}
