/* teren-choice-picker.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "teren-choice-picker.h"
#include "teren-text.h"

struct _TerenChoicePicker
{
  GtkWidget                parent_instance;

  GtkWidget               *button;
  GtkWidget               *popover;
  GtkSearchEntry          *search;
  GtkListView             *list;

  const TerenNomenclature *nomenclature;
  GtkStringList           *labels;    /* "Not specified", then the items' labels */
  GPtrArray               *keys;      /* char*: folded "code label" of each row of labels */
  GHashTable              *index_of;  /* label → position in labels + 1 */
  GtkCustomFilter         *filter;
  GtkFilterListModel      *shown;
  char                   **words;     /* the folded words typed */
  guint                    selected;
};

G_DEFINE_FINAL_TYPE (TerenChoicePicker, teren_choice_picker, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SELECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ACTIVATE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Activated (the row's activatable widget, Enter on the row): open the list. */
static void
activate_cb (TerenChoicePicker *self)
{
  teren_choice_picker_popup (self);
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  TerenChoicePicker *self = user_data;
  const char *label = gtk_string_object_get_string (item);
  guint position = GPOINTER_TO_UINT (g_hash_table_lookup (self->index_of, label));
  const char *key;
  guint i;

  if (position == 0)
    return FALSE;
  /* "Not specified" only while nothing is typed. */
  if (self->words == NULL || self->words[0] == NULL)
    return TRUE;
  if (position == 1)
    return FALSE;
  key = g_ptr_array_index (self->keys, position - 1);
  for (i = 0; self->words[i] != NULL; i++)
    if (strstr (key, self->words[i]) == NULL)
      return FALSE;
  return TRUE;
}

static void
update_label (TerenChoicePicker *self)
{
  const char *text = gtk_string_list_get_string (self->labels, self->selected);

  gtk_menu_button_set_label (GTK_MENU_BUTTON (self->button), text != NULL ? text : "");
}

static void
choose (TerenChoicePicker *self,
        guint              selected)
{
  gtk_popover_popdown (GTK_POPOVER (self->popover));
  teren_choice_picker_set_selected (self, selected);
}

/* The nomenclature position (0 = none) of row @position of the filtered list. */
static guint
shown_to_selected (TerenChoicePicker *self,
                   guint              position)
{
  g_autoptr(GtkStringObject) item = g_list_model_get_item (G_LIST_MODEL (self->shown), position);

  if (item == NULL)
    return G_MAXUINT;
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->index_of, gtk_string_object_get_string (item))) - 1;
}

static void
on_search_changed_cb (TerenChoicePicker *self)
{
  g_autofree char *folded = teren_text_fold (gtk_editable_get_text (GTK_EDITABLE (self->search)));

  g_strfreev (self->words);
  self->words = g_strsplit_set (folded != NULL ? g_strstrip (folded) : "", " ", -1);
  /* No empty words. */
  {
    guint i, j;

    for (i = 0, j = 0; self->words[i] != NULL; i++)
      if (self->words[i][0] != '\0')
        self->words[j++] = self->words[i];
      else
        g_free (self->words[i]);
    self->words[j] = NULL;
  }
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

/* Enter in the search: the first match. */
static void
on_search_activate_cb (TerenChoicePicker *self)
{
  guint selected;

  if (g_list_model_get_n_items (G_LIST_MODEL (self->shown)) == 0)
    return;
  selected = shown_to_selected (self, 0);
  if (selected != G_MAXUINT)
    choose (self, selected);
}

static void
on_stop_search_cb (TerenChoicePicker *self)
{
  gtk_popover_popdown (GTK_POPOVER (self->popover));
}

static gboolean
on_search_key_cb (GtkEventControllerKey *controller,
                  guint                  keyval,
                  guint                  keycode,
                  GdkModifierType        state,
                  TerenChoicePicker     *self)
{
  if (keyval != GDK_KEY_Down && keyval != GDK_KEY_KP_Down)
    return FALSE;
  if (g_list_model_get_n_items (G_LIST_MODEL (self->shown)) == 0)
    return TRUE;
  gtk_widget_child_focus (GTK_WIDGET (self->list), GTK_DIR_TAB_FORWARD);
  return TRUE;
}

static void
on_list_activate_cb (TerenChoicePicker *self,
                     guint              position)
{
  guint selected = shown_to_selected (self, position);

  if (selected != G_MAXUINT)
    choose (self, selected);
}

static void
on_popover_show_cb (TerenChoicePicker *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->search));
}

static void
setup_item_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
bind_item_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  GtkStringObject *string = gtk_list_item_get_item (item);
  const char *text = gtk_string_object_get_string (string);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_list_item_get_child (item)), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  text, -1);
}

static void
teren_choice_picker_dispose (GObject *object)
{
  TerenChoicePicker *self = TEREN_CHOICE_PICKER (object);

  g_clear_pointer (&self->button, gtk_widget_unparent);
  G_OBJECT_CLASS (teren_choice_picker_parent_class)->dispose (object);
}

static void
teren_choice_picker_finalize (GObject *object)
{
  TerenChoicePicker *self = TEREN_CHOICE_PICKER (object);

  g_clear_object (&self->labels);
  g_clear_object (&self->shown);
  g_clear_pointer (&self->keys, g_ptr_array_unref);
  g_clear_pointer (&self->index_of, g_hash_table_unref);
  g_strfreev (self->words);
  G_OBJECT_CLASS (teren_choice_picker_parent_class)->finalize (object);
}

static void
teren_choice_picker_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TerenChoicePicker *self = TEREN_CHOICE_PICKER (object);

  switch (prop_id)
    {
    case PROP_SELECTED:
      g_value_set_uint (value, self->selected);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
teren_choice_picker_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  TerenChoicePicker *self = TEREN_CHOICE_PICKER (object);

  switch (prop_id)
    {
    case PROP_SELECTED:
      teren_choice_picker_set_selected (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
teren_choice_picker_class_init (TerenChoicePickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = teren_choice_picker_dispose;
  object_class->finalize = teren_choice_picker_finalize;
  object_class->get_property = teren_choice_picker_get_property;
  object_class->set_property = teren_choice_picker_set_property;

  properties[PROP_SELECTED] =
    g_param_spec_uint ("selected", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ACTIVATE] =
    g_signal_new_class_handler ("activate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_FIRST | G_SIGNAL_ACTION,
                                G_CALLBACK (activate_cb), NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_activate_signal (widget_class, signals[ACTIVATE]);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
teren_choice_picker_init (TerenChoicePicker *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();
  GtkSingleSelection *selection;

  self->labels = gtk_string_list_new (NULL);
  self->keys = g_ptr_array_new_with_free_func (g_free);
  self->index_of = g_hash_table_new (g_str_hash, g_str_equal);

  self->button = gtk_menu_button_new ();
  gtk_widget_set_valign (self->button, GTK_ALIGN_CENTER);
  gtk_widget_set_parent (self->button, GTK_WIDGET (self));

  self->search = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->search), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Search the list"), -1);
  g_signal_connect_swapped (self->search, "search-changed", G_CALLBACK (on_search_changed_cb), self);
  g_signal_connect_swapped (self->search, "activate", G_CALLBACK (on_search_activate_cb), self);
  g_signal_connect_swapped (self->search, "stop-search", G_CALLBACK (on_stop_search_cb), self);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_search_key_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->search), keys);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->search));

  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->shown = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->labels)), GTK_FILTER (self->filter));
  selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->shown)));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_item_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_item_cb), NULL);
  self->list = GTK_LIST_VIEW (gtk_list_view_new (GTK_SELECTION_MODEL (selection), g_object_ref (factory)));
  gtk_list_view_set_single_click_activate (self->list, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "navigation-sidebar");
  g_signal_connect_swapped (self->list, "activate", G_CALLBACK (on_list_activate_cb), self);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 120);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 320);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_min_content_width (GTK_SCROLLED_WINDOW (scrolled), 320);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->list));
  gtk_box_append (GTK_BOX (box), scrolled);

  self->popover = gtk_popover_new ();
  gtk_popover_set_child (GTK_POPOVER (self->popover), box);
  g_signal_connect_swapped (self->popover, "show", G_CALLBACK (on_popover_show_cb), self);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->button), self->popover);
}

TerenChoicePicker *
teren_choice_picker_new (const TerenNomenclature *nomenclature,
                         const char              *label)
{
  TerenChoicePicker *self = g_object_new (TEREN_TYPE_CHOICE_PICKER, NULL);
  guint i;

  self->nomenclature = nomenclature;
  /* Translators: the choice shown when nothing has been chosen yet */
  gtk_string_list_append (self->labels, _("Not specified"));
  g_ptr_array_add (self->keys, g_strdup (""));
  for (i = 0; nomenclature != NULL && i < nomenclature->n_items; i++)
    {
      const char *item_label = teren_nomenclature_get_label (nomenclature, nomenclature->items[i].code);
      g_autofree char *key = g_strdup_printf ("%s %s", nomenclature->items[i].code, item_label);

      gtk_string_list_append (self->labels, item_label);
      g_ptr_array_add (self->keys, teren_text_fold (key));
    }
  for (i = g_list_model_get_n_items (G_LIST_MODEL (self->labels)); i > 0; i--)
    g_hash_table_insert (self->index_of, (gpointer) gtk_string_list_get_string (self->labels, i - 1),
                         GUINT_TO_POINTER (i));
  /* The rows were filtered as they came, before they could be looked up. */
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  if (label != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  update_label (self);
  return self;
}

guint
teren_choice_picker_get_selected (TerenChoicePicker *self)
{
  g_return_val_if_fail (TEREN_IS_CHOICE_PICKER (self), 0);
  return self->selected;
}

void
teren_choice_picker_set_selected (TerenChoicePicker *self,
                                  guint              selected)
{
  g_return_if_fail (TEREN_IS_CHOICE_PICKER (self));

  if (selected >= g_list_model_get_n_items (G_LIST_MODEL (self->labels)))
    selected = 0;
  if (self->selected == selected)
    return;
  self->selected = selected;
  update_label (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

void
teren_choice_picker_popup (TerenChoicePicker *self)
{
  g_return_if_fail (TEREN_IS_CHOICE_PICKER (self));
  gtk_menu_button_popup (GTK_MENU_BUTTON (self->button));
}

GtkSearchEntry *
teren_choice_picker_get_search_entry (TerenChoicePicker *self)
{
  g_return_val_if_fail (TEREN_IS_CHOICE_PICKER (self), NULL);
  return self->search;
}

GtkListView *
teren_choice_picker_get_list_view (TerenChoicePicker *self)
{
  g_return_val_if_fail (TEREN_IS_CHOICE_PICKER (self), NULL);
  return self->list;
}

GListModel *
teren_choice_picker_get_shown (TerenChoicePicker *self)
{
  g_return_val_if_fail (TEREN_IS_CHOICE_PICKER (self), NULL);
  return G_LIST_MODEL (self->shown);
}
