/* teren-record-list.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "teren-error.h"
#include "teren-memory.h"
#include "teren-record-list.h"

/* A GListModel over the ids a store query returned. Records are made when asked for and
 * kept in a small most-recently-used cache, so scrolling 100,000 persons costs the ids
 * plus a few hundred records. The query runs on the store's worker thread. */

#define CACHE_SIZE 256

struct _TerenRecordList
{
  GObject       parent_instance;

  TerenStore   *store;
  GStrv         kinds;
  char         *query;
  /* The ids, packed: one block of NUL-terminated ids back to back and where each starts
   * (41 bytes a row for UUIDs, against 56 for separately allocated strings). */
  char         *id_text;
  guint32      *id_starts;
  guint         n_ids;
  gboolean      loading;
  GCancellable *cancellable;

  GHashTable   *cache;          /* id → GList link in cache_order (data: TerenRecord) */
  GQueue        cache_order;    /* most recent first */
};

enum {
  PROP_0,
  PROP_QUERY,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void teren_record_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TerenRecordList, teren_record_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      teren_record_list_model_init))

/* ---- Cache --------------------------------------------------------------------------- */

static TerenRecord *
cache_lookup (TerenRecordList *self,
              const char      *id)
{
  GList *link = g_hash_table_lookup (self->cache, id);

  if (link == NULL)
    return NULL;

  g_queue_unlink (&self->cache_order, link);
  g_queue_push_head_link (&self->cache_order, link);
  return link->data;
}

static void
cache_insert (TerenRecordList *self,
              TerenRecord     *record)
{
  g_queue_push_head (&self->cache_order, g_object_ref (record));
  g_hash_table_insert (self->cache, (gpointer) teren_record_get_id (record),
                       self->cache_order.head);

  while (self->cache_order.length > CACHE_SIZE)
    {
      TerenRecord *old = g_queue_pop_tail (&self->cache_order);

      g_hash_table_remove (self->cache, teren_record_get_id (old));
      g_object_unref (old);
    }
}

static void
cache_clear (TerenRecordList *self)
{
  g_hash_table_remove_all (self->cache);
  g_queue_clear_full (&self->cache_order, g_object_unref);
}

/* A record shown in the list changed: update the cached object in place, so rows bound to
 * it show the new values. */
static void
on_record_changed_cb (TerenRecordList *self,
                      const char      *id,
                      const char      *kind,
                      TerenStore      *store)
{
  GList *link = g_hash_table_lookup (self->cache, id);
  TerenRecord *cached;
  g_autoptr(TerenRecord) fresh = NULL;

  if (link == NULL)
    return;

  cached = link->data;
  fresh = teren_store_get_record (self->store, id, NULL);
  if (fresh == NULL)
    return;

  teren_record_set_fields (cached, teren_record_get_fields (fresh));
  teren_record_set_rev (cached, teren_record_get_rev (fresh));
  teren_record_set_deleted (cached, teren_record_get_deleted (fresh));
  teren_record_touch (cached, teren_record_get_updated_at (fresh),
                      teren_record_get_updated_by (fresh));
}

/* ---- GListModel ---------------------------------------------------------------------- */

static GType
teren_record_list_get_item_type (GListModel *model)
{
  return TEREN_TYPE_RECORD;
}

static guint
teren_record_list_get_n_items (GListModel *model)
{
  TerenRecordList *self = TEREN_RECORD_LIST (model);

  return self->n_ids;
}

static gpointer
teren_record_list_get_item (GListModel *model,
                            guint       position)
{
  TerenRecordList *self = TEREN_RECORD_LIST (model);
  const char *id;
  TerenRecord *record;
  g_autoptr(GError) error = NULL;

  if (position >= self->n_ids)
    return NULL;

  id = self->id_text + self->id_starts[position];
  record = cache_lookup (self, id);
  if (record != NULL)
    return g_object_ref (record);

  record = teren_store_get_record (self->store, id, &error);
  if (record == NULL)
    {
      /* Gone since the query ran (a purge): an empty deleted record keeps positions
       * stable until the next query. */
      g_autoptr(JsonObject) empty = json_object_new ();

      g_debug ("List item vanished: %s", error->message);
      record = teren_record_new_full (id, self->kinds[0], "", 0, empty, TRUE, "", "", "", "");
    }

  cache_insert (self, record);
  /* Scrolling makes and drops many records: give their memory back once it stops. */
  teren_memory_trim_soon ();
  return record;
}

static void
teren_record_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = teren_record_list_get_item_type;
  iface->get_n_items = teren_record_list_get_n_items;
  iface->get_item = teren_record_list_get_item;
}

/* ---- Queries ------------------------------------------------------------------------- */

static void
set_loading (TerenRecordList *self,
             gboolean         loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static gboolean
same_ids (TerenRecordList *self,
          GPtrArray       *ids)
{
  guint i;

  if (self->n_ids != ids->len)
    return FALSE;
  for (i = 0; i < ids->len; i++)
    if (strcmp (self->id_text + self->id_starts[i], ids->pdata[i]) != 0)
      return FALSE;
  return TRUE;
}

static void
set_ids (TerenRecordList *self,
         GPtrArray       *ids)
{
  gsize total = 0;
  gsize at = 0;
  guint i;

  for (i = 0; i < ids->len; i++)
    total += strlen (ids->pdata[i]) + 1;
  g_return_if_fail (total <= G_MAXUINT32);

  g_free (self->id_text);
  g_free (self->id_starts);
  self->id_text = g_malloc (MAX (total, 1));
  self->id_starts = g_new (guint32, MAX (ids->len, 1));
  self->n_ids = ids->len;
  for (i = 0; i < ids->len; i++)
    {
      gsize len = strlen (ids->pdata[i]) + 1;

      self->id_starts[i] = (guint32) at;
      memcpy (self->id_text + at, ids->pdata[i], len);
      at += len;
    }
}

static void
search_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(TerenRecordList) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  guint old_len;

  ids = teren_store_search_finish (TEREN_STORE (object), result, &error);
  if (ids == NULL)
    {
      /* A newer query replaced this one; it will finish the loading. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          g_error_matches (error, TEREN_ERROR, TEREN_ERROR_CANCELLED))
        return;
      g_warning ("List query failed: %s", error->message);
      g_clear_object (&self->cancellable);
      set_loading (self, FALSE);
      return;
    }

  g_clear_object (&self->cancellable);

  if (!same_ids (self, ids))
    {
      old_len = self->n_ids;
      set_ids (self, ids);
      g_clear_pointer (&ids, g_ptr_array_unref);
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old_len, self->n_ids);
    }
  /* The query's rows and sort were made on the worker: give back what it freed. */
  teren_memory_trim_soon ();

  set_loading (self, FALSE);
}

void
teren_record_list_set_query (TerenRecordList *self,
                             const char      *query)
{
  g_return_if_fail (TEREN_IS_RECORD_LIST (self));

  if (query == NULL)
    query = "";

  if (g_strcmp0 (self->query, query) != 0)
    {
      g_free (self->query);
      self->query = g_strdup (query);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUERY]);
    }

  /* A newer query makes the older one pointless. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  set_loading (self, TRUE);
  teren_store_search_async (self->store, (const char * const *) self->kinds, self->query, 0,
                            self->cancellable, search_done_cb, g_object_ref (self));
}

const char *
teren_record_list_get_query (TerenRecordList *self)
{
  g_return_val_if_fail (TEREN_IS_RECORD_LIST (self), NULL);
  return self->query;
}

gboolean
teren_record_list_get_loading (TerenRecordList *self)
{
  g_return_val_if_fail (TEREN_IS_RECORD_LIST (self), FALSE);
  return self->loading;
}

const char *
teren_record_list_get_id (TerenRecordList *self,
                          guint            position)
{
  g_return_val_if_fail (TEREN_IS_RECORD_LIST (self), NULL);

  if (position >= self->n_ids)
    return NULL;
  return self->id_text + self->id_starts[position];
}

/* ---- Object -------------------------------------------------------------------------- */

static void
teren_record_list_dispose (GObject *object)
{
  TerenRecordList *self = (TerenRecordList *) object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  cache_clear (self);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (teren_record_list_parent_class)->dispose (object);
}

static void
teren_record_list_finalize (GObject *object)
{
  TerenRecordList *self = (TerenRecordList *) object;

  g_clear_pointer (&self->id_text, g_free);
  g_clear_pointer (&self->id_starts, g_free);
  g_clear_pointer (&self->cache, g_hash_table_unref);
  g_strfreev (self->kinds);
  g_free (self->query);

  G_OBJECT_CLASS (teren_record_list_parent_class)->finalize (object);
}

static void
teren_record_list_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TerenRecordList *self = TEREN_RECORD_LIST (object);

  switch (prop_id)
    {
    case PROP_QUERY:
      g_value_set_string (value, self->query);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
teren_record_list_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TerenRecordList *self = TEREN_RECORD_LIST (object);

  switch (prop_id)
    {
    case PROP_QUERY:
      teren_record_list_set_query (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
teren_record_list_class_init (TerenRecordListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = teren_record_list_dispose;
  object_class->finalize = teren_record_list_finalize;
  object_class->get_property = teren_record_list_get_property;
  object_class->set_property = teren_record_list_set_property;

  properties[PROP_QUERY] =
    g_param_spec_string ("query", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
teren_record_list_init (TerenRecordList *self)
{
  self->cache = g_hash_table_new (g_str_hash, g_str_equal);
  self->query = g_strdup ("");
  g_queue_init (&self->cache_order);
}

TerenRecordList *
teren_record_list_new (TerenStore         *store,
                       const char * const *kinds)
{
  static const char * const default_kinds[] = { "person", "household", NULL };
  TerenRecordList *self;

  g_return_val_if_fail (TEREN_IS_STORE (store), NULL);

  self = g_object_new (TEREN_TYPE_RECORD_LIST, NULL);
  self->store = g_object_ref (store);
  self->kinds = g_strdupv ((char **) (kinds != NULL && kinds[0] != NULL ? kinds : default_kinds));
  g_signal_connect_object (store, "record-changed", G_CALLBACK (on_record_changed_cb), self,
                           G_CONNECT_SWAPPED);
  return self;
}
