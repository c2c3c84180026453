/* teren-due-page.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-date.h"
#include "teren-due-page.h"
#include "teren-export.h"
#include "teren-gui.h"
#include "teren-line.h"
#include "teren-store-report.h"

/* A pull brings many records: recompute once after them. */
#define RELOAD_DELAY_MS 500

typedef enum {
  SORT_DUE,
  SORT_LINE,
  SORT_WORKER,
  SORT_TITLE,
} SortOrder;

struct _TerenDuePage
{
  GtkWidget       parent_instance;

  /* Template widgets */
  GtkWidget      *box;
  GtkDropDown    *line_dropdown;
  GtkListView    *list_view;
  GtkDropDown    *sort_dropdown;
  GtkSpinner     *spinner;
  GtkStack       *stack;
  GtkDropDown    *worker_dropdown;

  /* Owned */
  TerenStore     *store;
  GCancellable   *cancellable;
  GPtrArray      *items;     /* TerenDueItem, every line and worker */
  GHashTable     *persons;   /* person id → title */
  GPtrArray      *shown;     /* TerenDueItem (borrowed from items) or NULL for a header */
  GtkStringList  *model;     /* one string per shown row: the header label or "" */
  GtkStringList  *workers;
  char           *line;
  char           *worker;
  GDate           today;

  guint           generation;
  guint           n_overdue;
  TerenGuiDebounce reload_later;
  guint           loading : 1;
  guint           today_set : 1;
  guint           filling_workers : 1;
};

enum {
  PROP_0,
  PROP_LOADING,
  PROP_N_OVERDUE,
  N_PROPS
};

enum {
  OPEN_RECORD,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (TerenDuePage, teren_due_page, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Worker */

typedef struct
{
  GDate  today;
  guint  generation;
} Query;

typedef struct
{
  guint       generation;
  GPtrArray  *items;
  GHashTable *persons;
} Result;

static void
result_free (gpointer pointer)
{
  Result *result = pointer;

  g_clear_pointer (&result->items, g_ptr_array_unref);
  g_clear_pointer (&result->persons, g_hash_table_unref);
  g_free (result);
}

static gpointer
load_func (TerenStore  *store,
           gpointer     data,
           GError     **error)
{
  Query *query = data;
  TerenDueFilter filter = { NULL, NULL, TEREN_DUE_THIS_MONTH };
  GPtrArray *items = teren_store_due_items (store, &query->today, &filter, error);
  Result *result;
  guint i;

  if (items == NULL)
    return NULL;
  result = g_new0 (Result, 1);
  result->generation = query->generation;
  result->items = items;
  result->persons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (i = 0; i < items->len; i++)
    {
      TerenDueItem *item = g_ptr_array_index (items, i);
      g_autoptr(TerenRecord) person = NULL;

      if (item->person_id == NULL || g_hash_table_contains (result->persons, item->person_id))
        continue;
      /* Named from the records the computation read; read here only when it had none. */
      if (item->person_name != NULL)
        {
          g_hash_table_insert (result->persons, g_strdup (item->person_id), g_strdup (item->person_name));
          continue;
        }
      person = teren_store_get_record (store, item->person_id, NULL);
      if (person != NULL)
        g_hash_table_insert (result->persons, g_strdup (item->person_id),
                             g_strdup (teren_record_get_title (person)));
    }
  return result;
}

/* Showing */

static char *
item_title (TerenDuePage *self,
            TerenDueItem *item)
{
  const char *person = item->person_id != NULL ? g_hash_table_lookup (self->persons, item->person_id) : NULL;

  if (person != NULL)
    /* Translators: a due item: "Review of the plan: Popescu Ana" */
    return g_strdup_printf (_("%s: %s"), item->title, person);
  return g_strdup (item->title);
}

static char *
item_subtitle (TerenDuePage *self,
               TerenDueItem *item)
{
  g_autofree char *date = teren_gui_format_date (item->due);
  const TerenLine *line = teren_line_lookup (item->line);
  GString *text = g_string_new (NULL);

  /* Translators: when a due item is due, "Due 12.03.2026" */
  g_string_append_printf (text, _("Due %s"), date != NULL ? date : item->due);
  if (line != NULL)
    g_string_append_printf (text, " · %s", teren_line_get_label (line));
  if (item->worker != NULL)
    g_string_append_printf (text, " · %s", item->worker);
  if (item->blocking)
    g_string_append_printf (text, " · %s", _("missing it suspends the entitlement"));
  return g_string_free (text, FALSE);
}

static SortOrder
sort_order (TerenDuePage *self)
{
  guint selected = gtk_drop_down_get_selected (self->sort_dropdown);

  return selected == GTK_INVALID_LIST_POSITION ? SORT_DUE : (SortOrder)selected;
}

static int
compare_items (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  TerenDuePage *self = user_data;
  const TerenDueItem *ia = *(TerenDueItem * const *)a;
  const TerenDueItem *ib = *(TerenDueItem * const *)b;
  int result = 0;

  if (ia->bucket != ib->bucket)
    return (int)ia->bucket - (int)ib->bucket;
  switch (sort_order (self))
    {
    case SORT_LINE:
      result = g_strcmp0 (ia->line, ib->line);
      break;
    case SORT_WORKER:
      result = g_strcmp0 (ia->worker != NULL ? ia->worker : "\xff", ib->worker != NULL ? ib->worker : "\xff");
      break;
    case SORT_TITLE:
      result = g_utf8_collate (ia->title, ib->title);
      break;
    case SORT_DUE:
    default:
      break;
    }
  if (result == 0)
    result = g_strcmp0 (ia->due, ib->due);
  if (result == 0)
    result = g_strcmp0 (ia->record_id, ib->record_id);
  return result;
}

static void
rebuild (TerenDuePage *self)
{
  g_autoptr(GPtrArray) filtered = g_ptr_array_new ();
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  int bucket = -1;
  guint i;

  g_ptr_array_set_size (self->shown, 0);
  for (i = 0; self->items != NULL && i < self->items->len; i++)
    {
      TerenDueItem *item = g_ptr_array_index (self->items, i);

      if (self->line != NULL && g_strcmp0 (item->line, self->line) != 0)
        continue;
      if (self->worker != NULL && g_strcmp0 (item->worker, self->worker) != 0)
        continue;
      g_ptr_array_add (filtered, item);
    }
  g_ptr_array_sort_with_data (filtered, compare_items, self);

  for (i = 0; i < filtered->len; i++)
    {
      TerenDueItem *item = g_ptr_array_index (filtered, i);

      if ((int)item->bucket != bucket)
        {
          bucket = item->bucket;
          g_ptr_array_add (self->shown, NULL);
          g_ptr_array_add (strings, g_strdup (teren_due_bucket_get_label (item->bucket)));
        }
      g_ptr_array_add (self->shown, item);
      g_ptr_array_add (strings, g_strdup (""));
    }
  g_ptr_array_add (strings, NULL);
  gtk_string_list_splice (self->model, 0, g_list_model_get_n_items (G_LIST_MODEL (self->model)),
                          (const char * const *)strings->pdata);
  gtk_stack_set_visible_child_name (self->stack, filtered->len > 0 ? "list" : "empty");
}

static void
fill_workers (TerenDuePage *self)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  guint selected = 0;
  guint i;

  for (i = 0; i < self->items->len; i++)
    {
      TerenDueItem *item = g_ptr_array_index (self->items, i);

      if (item->worker != NULL && g_hash_table_add (seen, item->worker))
        g_ptr_array_add (names, item->worker);
    }
  g_ptr_array_sort (names, (GCompareFunc)g_strcmp0);

  self->filling_workers = TRUE;
  gtk_string_list_splice (self->workers, 1, g_list_model_get_n_items (G_LIST_MODEL (self->workers)) - 1, NULL);
  for (i = 0; i < names->len; i++)
    {
      gtk_string_list_append (self->workers, g_ptr_array_index (names, i));
      if (g_strcmp0 (self->worker, g_ptr_array_index (names, i)) == 0)
        selected = i + 1;
    }
  gtk_drop_down_set_selected (self->worker_dropdown, selected);
  self->filling_workers = FALSE;
}

static void
set_loading (TerenDuePage *self,
             gboolean      loading)
{
  loading = !!loading;
  if (self->loading == loading)
    return;
  self->loading = loading;
  gtk_spinner_set_spinning (self->spinner, loading);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
on_loaded_cb (GObject      *object,
              GAsyncResult *async_result,
              gpointer      user_data)
{
  g_autoptr(TerenDuePage) self = user_data;
  g_autoptr(GError) error = NULL;
  Result *result = teren_gui_store_call_finish (async_result, &error);
  guint n_overdue;

  if (result == NULL)
    {
      if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (error != NULL)
        g_warning ("Could not compute the due items: %s", error->message);
      set_loading (self, FALSE);
      return;
    }
  if (result->generation != self->generation || self->model == NULL)
    {
      result_free (result);
      return;
    }

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->persons, g_hash_table_unref);
  self->items = g_steal_pointer (&result->items);
  self->persons = g_steal_pointer (&result->persons);
  result_free (result);

  fill_workers (self);
  rebuild (self);
  n_overdue = teren_due_count_overdue (self->items);
  set_loading (self, FALSE);
  if (n_overdue != self->n_overdue)
    {
      self->n_overdue = n_overdue;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_OVERDUE]);
    }
}

static void
reload (TerenDuePage *self)
{
  Query *query;

  teren_gui_debounce_cancel (&self->reload_later);
  if (self->store == NULL)
    return;
  query = g_new0 (Query, 1);
  if (self->today_set)
    query->today = self->today;
  else
    teren_date_today (&query->today);
  query->generation = ++self->generation;
  set_loading (self, TRUE);
  if (self->items == NULL)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  teren_gui_store_call_async (self->store, load_func, query, g_free, result_free,
                              self->cancellable, on_loaded_cb, g_object_ref (self));
}

static void
on_record_changed_cb (TerenDuePage *self)
{
  teren_gui_debounce_schedule (&self->reload_later);
}

/* The list */

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             TerenDuePage             *self)
{
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *title = gtk_widget_get_first_child (box);
  GtkWidget *subtitle = gtk_widget_get_next_sibling (title);
  guint position = gtk_list_item_get_position (list_item);
  TerenDueItem *item = position < self->shown->len ? g_ptr_array_index (self->shown, position) : NULL;

  if (item == NULL)
    {
      GtkStringObject *string = gtk_list_item_get_item (list_item);

      gtk_label_set_text (GTK_LABEL (title), gtk_string_object_get_string (string));
      gtk_widget_add_css_class (title, "heading");
      gtk_widget_set_visible (subtitle, FALSE);
      gtk_list_item_set_activatable (list_item, FALSE);
      gtk_list_item_set_selectable (list_item, FALSE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      gtk_string_object_get_string (string), -1);
    }
  else
    {
      g_autofree char *title_text = item_title (self, item);
      g_autofree char *subtitle_text = item_subtitle (self, item);

      gtk_label_set_text (GTK_LABEL (title), title_text);
      gtk_widget_remove_css_class (title, "heading");
      gtk_label_set_text (GTK_LABEL (subtitle), subtitle_text);
      gtk_widget_set_visible (subtitle, TRUE);
      gtk_list_item_set_activatable (list_item, item->record_id != NULL && *item->record_id != '\0');
      gtk_list_item_set_selectable (list_item, TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, title_text,
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle_text, -1);
    }
}

static void
activate_shown (TerenDuePage *self,
                guint         position)
{
  TerenDueItem *item = position < self->shown->len ? g_ptr_array_index (self->shown, position) : NULL;

  if (item != NULL && item->record_id != NULL && *item->record_id != '\0')
    g_signal_emit (self, signals[OPEN_RECORD], 0, item->record_id, item->kind);
}

static void
on_list_activate_cb (TerenDuePage *self,
                     guint         position)
{
  activate_shown (self, position);
}

static void
on_line_selected_cb (TerenDuePage *self)
{
  guint selected = gtk_drop_down_get_selected (self->line_dropdown);
  guint n_lines = 0;
  const TerenLine *lines = teren_line_list (&n_lines);

  g_clear_pointer (&self->line, g_free);
  if (selected != GTK_INVALID_LIST_POSITION && selected > 0 && selected <= n_lines)
    self->line = g_strdup (lines[selected - 1].id);
  rebuild (self);
}

static void
on_worker_selected_cb (TerenDuePage *self)
{
  guint selected = gtk_drop_down_get_selected (self->worker_dropdown);

  if (self->filling_workers)
    return;
  g_clear_pointer (&self->worker, g_free);
  if (selected != GTK_INVALID_LIST_POSITION && selected > 0)
    self->worker = g_strdup (gtk_string_list_get_string (self->workers, selected));
  rebuild (self);
}

static void
on_sort_selected_cb (TerenDuePage *self)
{
  rebuild (self);
}

/* "Export…": the items listed, in the order shown. */
static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TerenDuePage *self = TEREN_DUE_PAGE (widget);

  if (self->store == NULL)
    return;
  /* Translators: the suggested file name of the exported Due list, without extension */
  teren_export_run (widget, _("due"), self->store, teren_export_due_table (self->shown, self->persons),
                    NULL, NULL, NULL);
}

/* GObject */

static void
teren_due_page_dispose (GObject *object)
{
  TerenDuePage *self = (TerenDuePage *)object;

  teren_gui_debounce_cancel (&self->reload_later);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), TEREN_TYPE_DUE_PAGE);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->model);
  g_clear_object (&self->workers);

  G_OBJECT_CLASS (teren_due_page_parent_class)->dispose (object);
}

static void
teren_due_page_finalize (GObject *object)
{
  TerenDuePage *self = (TerenDuePage *)object;

  g_clear_pointer (&self->shown, g_ptr_array_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->persons, g_hash_table_unref);
  g_free (self->line);
  g_free (self->worker);

  G_OBJECT_CLASS (teren_due_page_parent_class)->finalize (object);
}

static void
teren_due_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TerenDuePage *self = TEREN_DUE_PAGE (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_N_OVERDUE:
      g_value_set_uint (value, self->n_overdue);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
teren_due_page_class_init (TerenDuePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = teren_due_page_dispose;
  object_class->finalize = teren_due_page_finalize;
  object_class->get_property = teren_due_page_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_OVERDUE] =
    g_param_spec_uint ("n-overdue", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[OPEN_RECORD] =
    g_signal_new ("open-record", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/ro/daps/Teren/ui/teren-due-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TerenDuePage, box);
  gtk_widget_class_bind_template_child (widget_class, TerenDuePage, line_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TerenDuePage, list_view);
  gtk_widget_class_bind_template_child (widget_class, TerenDuePage, sort_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TerenDuePage, spinner);
  gtk_widget_class_bind_template_child (widget_class, TerenDuePage, stack);
  gtk_widget_class_bind_template_child (widget_class, TerenDuePage, worker_dropdown);
  gtk_widget_class_bind_template_callback (widget_class, on_list_activate_cb);

  gtk_widget_class_install_action (widget_class, "due.export", NULL, export_action);
}

static void
teren_due_page_init (TerenDuePage *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;
  g_autoptr(GtkStringList) lines_model = NULL;
  g_autoptr(GtkStringList) sort_model = NULL;
  GtkNoSelection *selection;
  const TerenLine *lines;
  guint n_lines = 0;
  guint i;

  gtk_widget_init_template (GTK_WIDGET (self));
  teren_gui_debounce_init (&self->reload_later, RELOAD_DELAY_MS, (GSourceOnceFunc) reload, self);

  self->cancellable = g_cancellable_new ();
  self->shown = g_ptr_array_new ();
  self->model = gtk_string_list_new (NULL);
  self->persons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (teren_gui_setup_two_line_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);

  lines_model = gtk_string_list_new (NULL);
  gtk_string_list_append (lines_model, _("Every service line"));
  lines = teren_line_list (&n_lines);
  for (i = 0; i < n_lines; i++)
    gtk_string_list_append (lines_model, teren_line_get_label (&lines[i]));
  gtk_drop_down_set_model (self->line_dropdown, G_LIST_MODEL (lines_model));
  g_signal_connect_object (self->line_dropdown, "notify::selected",
                           G_CALLBACK (on_line_selected_cb), self, G_CONNECT_SWAPPED);

  self->workers = gtk_string_list_new (NULL);
  gtk_string_list_append (self->workers, _("Every worker"));
  gtk_drop_down_set_model (self->worker_dropdown, G_LIST_MODEL (self->workers));
  g_signal_connect_object (self->worker_dropdown, "notify::selected",
                           G_CALLBACK (on_worker_selected_cb), self, G_CONNECT_SWAPPED);

  sort_model = gtk_string_list_new (NULL);
  /* The order of SortOrder */
  gtk_string_list_append (sort_model, _("By due date"));
  gtk_string_list_append (sort_model, _("By service line"));
  gtk_string_list_append (sort_model, _("By worker"));
  gtk_string_list_append (sort_model, _("By what is due"));
  gtk_drop_down_set_model (self->sort_dropdown, G_LIST_MODEL (sort_model));
  g_signal_connect_object (self->sort_dropdown, "notify::selected",
                           G_CALLBACK (on_sort_selected_cb), self, G_CONNECT_SWAPPED);
}

/* Public API */

TerenDuePage *
teren_due_page_new (TerenStore *store)
{
  TerenDuePage *self;

  g_return_val_if_fail (TEREN_IS_STORE (store), NULL);

  self = g_object_new (TEREN_TYPE_DUE_PAGE, NULL);
  self->store = g_object_ref (store);
  g_signal_connect_object (store, "record-changed", G_CALLBACK (on_record_changed_cb), self,
                           G_CONNECT_SWAPPED);
  reload (self);
  return self;
}

void
teren_due_page_set_today (TerenDuePage *self,
                          const GDate  *today)
{
  g_return_if_fail (TEREN_IS_DUE_PAGE (self));

  self->today_set = today != NULL && g_date_valid (today);
  if (self->today_set)
    self->today = *today;
  reload (self);
}

void
teren_due_page_reload (TerenDuePage *self)
{
  g_return_if_fail (TEREN_IS_DUE_PAGE (self));
  reload (self);
}

gboolean
teren_due_page_get_loading (TerenDuePage *self)
{
  g_return_val_if_fail (TEREN_IS_DUE_PAGE (self), FALSE);
  return self->loading;
}

guint
teren_due_page_get_n_overdue (TerenDuePage *self)
{
  g_return_val_if_fail (TEREN_IS_DUE_PAGE (self), 0);
  return self->n_overdue;
}

void
teren_due_page_set_line (TerenDuePage *self,
                         const char   *line)
{
  guint n_lines = 0;
  const TerenLine *lines = teren_line_list (&n_lines);
  guint selected = 0;
  guint i;

  g_return_if_fail (TEREN_IS_DUE_PAGE (self));

  for (i = 0; line != NULL && i < n_lines; i++)
    if (g_strcmp0 (lines[i].id, line) == 0)
      selected = i + 1;
  gtk_drop_down_set_selected (self->line_dropdown, selected);
}

void
teren_due_page_set_worker (TerenDuePage *self,
                           const char   *worker)
{
  g_return_if_fail (TEREN_IS_DUE_PAGE (self));

  g_free (self->worker);
  self->worker = g_strdup (worker);
  if (self->items != NULL)
    fill_workers (self);
  rebuild (self);
}

GPtrArray *
teren_due_page_dump (TerenDuePage *self)
{
  GPtrArray *lines;
  guint i;

  g_return_val_if_fail (TEREN_IS_DUE_PAGE (self), NULL);

  lines = g_ptr_array_new_with_free_func (g_free);
  for (i = 0; i < self->shown->len; i++)
    {
      TerenDueItem *item = g_ptr_array_index (self->shown, i);

      if (item == NULL)
        g_ptr_array_add (lines, g_strdup_printf ("# %s", gtk_string_list_get_string (self->model, i)));
      else
        {
          g_autofree char *title = item_title (self, item);
          g_autofree char *subtitle = item_subtitle (self, item);

          g_ptr_array_add (lines, g_strdup_printf ("%s — %s", title, subtitle));
        }
    }
  return lines;
}

void
teren_due_page_activate_item (TerenDuePage *self,
                              guint         n)
{
  guint i;

  g_return_if_fail (TEREN_IS_DUE_PAGE (self));

  for (i = 0; i < self->shown->len; i++)
    if (g_ptr_array_index (self->shown, i) != NULL && n-- == 0)
      {
        activate_shown (self, i);
        return;
      }
}
