/* teren-field-row.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-a11y.h"
#include "teren-attachment-list.h"
#include "teren-date.h"
#include "teren-choice-picker.h"
#include "teren-field-row.h"
#include "teren-nomenclature.h"

/* Longest a CNP may be typed with spaces or dashes between its groups. */
#define CNP_MAX_TYPED_CHARS   17
#define PHONE_MAX_TYPED_CHARS 32
#define DATE_MAX_TYPED_CHARS  10
#define NUMBER_MAX_TYPED_CHARS 24

struct _TerenFieldRow
{
  AdwPreferencesRow      parent_instance;

  /* Template widgets */
  GtkListBox            *inner_list;
  GtkLabel              *message_label;

  /* The editor, built once the kind is known (borrowed: owned by inner_list) */
  GtkWidget             *editor_row;
  AdwEntryRow           *entry;
  AdwComboRow           *combo;
  TerenChoicePicker     *picker;      /* a long list: searched as you type */
  GtkSwitch             *toggle;
  GtkTextView           *text_view;
  AdwActionRow          *reference_row;
  GPtrArray             *checks;        /* (owned) GtkCheckButton, in nomenclature order */
  GtkCalendar           *calendar;
  GtkPopover            *calendar_popover;
  TerenAttachmentList   *attachments;

  char                  *key;
  char                  *kind;
  const TerenFieldDef   *field;         /* (nullable) static schema data */
  char                  *reference_id;
  char                  *message;
  TerenFieldMessageKind  message_kind;
  guint                  updating : 1;
  guint                  touched : 1;   /* booleans: the user or the record set a value */
};

enum {
  PROP_0,
  PROP_KEY,
  PROP_KIND,
  N_PROPS
};

enum {
  CHANGED,
  CHOOSE_REFERENCE,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (TerenFieldRow, teren_field_row, ADW_TYPE_PREFERENCES_ROW)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Auxiliary methods */

static const TerenNomenclature *
get_nomenclature (TerenFieldRow *self)
{
  if (self->field == NULL || self->field->nomenclature == NULL)
    return NULL;
  return teren_nomenclature_lookup (self->field->nomenclature);
}

static void
emit_changed (TerenFieldRow *self)
{
  if (self->updating)
    return;
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
update_message (TerenFieldRow *self)
{
  const char *text = self->message;
  gboolean invalid = self->message_kind == TEREN_FIELD_MESSAGE_ERROR;
  GtkWidget *label = GTK_WIDGET (self->message_label);

  gtk_widget_remove_css_class (label, "error");
  gtk_widget_remove_css_class (label, "warning");
  gtk_widget_remove_css_class (label, "dim-label");

  if (text == NULL && self->field != NULL && self->field->help != NULL)
    {
      text = g_dgettext (GETTEXT_PACKAGE, self->field->help);
      gtk_widget_add_css_class (label, "dim-label");
    }
  else if (self->message_kind == TEREN_FIELD_MESSAGE_ERROR)
    gtk_widget_add_css_class (label, "error");
  else if (self->message_kind == TEREN_FIELD_MESSAGE_WARNING)
    gtk_widget_add_css_class (label, "warning");

  gtk_label_set_text (self->message_label, text != NULL ? text : "");
  gtk_widget_set_visible (label, text != NULL && *text != '\0');

  if (self->editor_row != NULL)
    {
      if (invalid)
        gtk_widget_add_css_class (self->editor_row, "error");
      else
        gtk_widget_remove_css_class (self->editor_row, "error");
      if (self->message_kind == TEREN_FIELD_MESSAGE_WARNING)
        gtk_widget_add_css_class (self->editor_row, "warning");
      else
        gtk_widget_remove_css_class (self->editor_row, "warning");

      gtk_accessible_update_state (GTK_ACCESSIBLE (self->editor_row),
                                   GTK_ACCESSIBLE_STATE_INVALID,
                                   invalid ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                                   -1);
      if (self->message != NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (self->editor_row),
                                        GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->message,
                                        -1);
      else
        gtk_accessible_reset_property (GTK_ACCESSIBLE (self->editor_row),
                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }

  gtk_accessible_update_state (GTK_ACCESSIBLE (self),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               invalid ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}

/* Callbacks */

static void
on_entry_changed_cb (TerenFieldRow *self)
{
  emit_changed (self);
}

static void
on_combo_selected_cb (TerenFieldRow *self)
{
  emit_changed (self);
}

static void
on_toggle_active_cb (TerenFieldRow *self)
{
  if (!self->updating)
    self->touched = TRUE;
  emit_changed (self);
}

static void
on_check_toggled_cb (TerenFieldRow *self)
{
  emit_changed (self);
}

static void
on_choose_clicked_cb (TerenFieldRow *self)
{
  g_signal_emit (self, signals[CHOOSE_REFERENCE], 0);
}

static void
on_calendar_day_selected_cb (TerenFieldRow *self)
{
  g_autoptr(GDateTime) date = gtk_calendar_get_date (self->calendar);
  g_autofree char *text = g_date_time_format (date, "%d.%m.%Y");

  gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
  gtk_popover_popdown (self->calendar_popover);
}

static void
on_calendar_popover_show_cb (TerenFieldRow *self)
{
  GDate date;

  /* Open the calendar on the date typed so far, if it is one. */
  if (teren_date_parse (gtk_editable_get_text (GTK_EDITABLE (self->entry)), &date))
    {
      g_autoptr(GDateTime) dt = g_date_time_new_local (g_date_get_year (&date),
                                                       g_date_get_month (&date),
                                                       g_date_get_day (&date), 0, 0, 0);
      self->updating = TRUE;
      g_signal_handlers_block_by_func (self->calendar, on_calendar_day_selected_cb, self);
      gtk_calendar_select_day (self->calendar, dt);
      g_signal_handlers_unblock_by_func (self->calendar, on_calendar_day_selected_cb, self);
      self->updating = FALSE;
    }
}

/* Building the editor */

static void
build_entry (TerenFieldRow *self,
             const char    *label)
{
  GtkEditable *delegate;
  int max_chars = 0;

  self->entry = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->entry), label);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->entry), FALSE);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->entry), FALSE);

  switch (self->field->type)
    {
    case TEREN_FIELD_CNP:
      max_chars = CNP_MAX_TYPED_CHARS;
      adw_entry_row_set_input_purpose (self->entry, GTK_INPUT_PURPOSE_DIGITS);
      break;
    case TEREN_FIELD_PHONE:
      max_chars = PHONE_MAX_TYPED_CHARS;
      adw_entry_row_set_input_purpose (self->entry, GTK_INPUT_PURPOSE_PHONE);
      break;
    case TEREN_FIELD_INTEGER:
      max_chars = NUMBER_MAX_TYPED_CHARS;
      adw_entry_row_set_input_purpose (self->entry, GTK_INPUT_PURPOSE_NUMBER);
      break;
    case TEREN_FIELD_DECIMAL:
      max_chars = NUMBER_MAX_TYPED_CHARS;
      adw_entry_row_set_input_purpose (self->entry, GTK_INPUT_PURPOSE_NUMBER);
      break;
    case TEREN_FIELD_DATE:
      max_chars = DATE_MAX_TYPED_CHARS;
      break;
    case TEREN_FIELD_TEXT:
      max_chars = self->field->max > 0 ? (int)self->field->max : TEREN_TEXT_MAX_CHARS;
      break;
    case TEREN_FIELD_LONG_TEXT:
    case TEREN_FIELD_BOOLEAN:
    case TEREN_FIELD_CHOICE:
    case TEREN_FIELD_MULTI_CHOICE:
    case TEREN_FIELD_REFERENCE:
    case TEREN_FIELD_ATTACHMENT:
    default:
      break;
    }

  /* AdwEntryRow has no max-length before libadwaita 1.6: set it on the delegate. */
  delegate = gtk_editable_get_delegate (GTK_EDITABLE (self->entry));
  if (max_chars > 0 && GTK_IS_TEXT (delegate))
    gtk_text_set_max_length (GTK_TEXT (delegate), max_chars);

  if (self->field->type == TEREN_FIELD_DATE)
    {
      GtkWidget *button = gtk_menu_button_new ();
      GtkWidget *popover = gtk_popover_new ();
      GtkWidget *calendar = gtk_calendar_new ();

      gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "x-office-calendar-symbolic");
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, _("Choose a date"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Choose a date"),
                                      -1);
      gtk_popover_set_child (GTK_POPOVER (popover), calendar);
      gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
      adw_entry_row_add_suffix (self->entry, button);

      self->calendar = GTK_CALENDAR (calendar);
      self->calendar_popover = GTK_POPOVER (popover);
      g_signal_connect_object (calendar, "day-selected",
                               G_CALLBACK (on_calendar_day_selected_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (popover, "show",
                               G_CALLBACK (on_calendar_popover_show_cb), self,
                               G_CONNECT_SWAPPED);
    }

  g_signal_connect_object (self->entry, "changed",
                           G_CALLBACK (on_entry_changed_cb), self, G_CONNECT_SWAPPED);
  self->editor_row = GTK_WIDGET (self->entry);
}

/* The combo's items, in its popup and in the row: the default factory's label and
 * checkmark, with each item named by its label (GTK 4.8 leaves list view item widgets
 * unnamed for AT-SPI). */
static void
combo_item_update_check (GtkListItem *item)
{
  AdwComboRow *combo = g_object_get_data (G_OBJECT (item), "teren-combo");
  GtkWidget *box = gtk_list_item_get_child (item);
  gboolean selected;

  if (box == NULL)
    return;
  /* The checkmark is for the popup; the row's own display of the choice has none. */
  selected = combo != NULL && gtk_widget_get_ancestor (box, GTK_TYPE_POPOVER) != NULL &&
             adw_combo_row_get_selected (combo) == gtk_list_item_get_position (item);
  gtk_widget_set_opacity (gtk_widget_get_last_child (box), selected ? 1 : 0);
}

static void
combo_item_parent_cb (GtkWidget  *box,
                      GParamSpec *pspec,
                      gpointer    user_data)
{
  if (gtk_widget_get_parent (box) != NULL)
    combo_item_update_check (GTK_LIST_ITEM (user_data));
}

static void
combo_item_setup_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_accessible_update_state (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), check);
  /* The item widget takes the child after setup and bind: name it once it is there. */
  teren_a11y_label_parent_by (box);
  g_signal_connect (box, "notify::parent", G_CALLBACK (combo_item_parent_cb), item);
  gtk_list_item_set_child (item, box);
}

static void
combo_item_bind_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    gpointer                  user_data)
{
  AdwComboRow *combo = ADW_COMBO_ROW (user_data);
  GtkWidget *box = gtk_list_item_get_child (item);
  const char *text = gtk_string_object_get_string (GTK_STRING_OBJECT (gtk_list_item_get_item (item)));

  gtk_label_set_text (GTK_LABEL (gtk_widget_get_first_child (box)), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  g_object_set_data (G_OBJECT (item), "teren-combo", combo);
  g_signal_connect_swapped (combo, "notify::selected", G_CALLBACK (combo_item_update_check), item);
  combo_item_update_check (item);
}

static void
combo_item_unbind_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      gpointer                  user_data)
{
  g_signal_handlers_disconnect_by_func (user_data, combo_item_update_check, item);
  g_object_set_data (G_OBJECT (item), "teren-combo", NULL);
}

static void
build_combo (TerenFieldRow *self,
             const char    *label)
{
  const TerenNomenclature *nomenclature = get_nomenclature (self);
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  g_autoptr(GtkListItemFactory) item_factory = gtk_signal_list_item_factory_new ();
  guint i;

  if (nomenclature != NULL && nomenclature->n_items >= TEREN_CHOICE_PICKER_MIN_ITEMS)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), label);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      self->picker = teren_choice_picker_new (nomenclature, label);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (self->picker));
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), GTK_WIDGET (self->picker));
      g_signal_connect_object (self->picker, "notify::selected",
                               G_CALLBACK (on_combo_selected_cb), self, G_CONNECT_SWAPPED);
      self->editor_row = row;
      return;
    }

  /* Translators: the choice shown when nothing has been chosen yet */
  gtk_string_list_append (model, _("Not specified"));
  if (nomenclature != NULL)
    for (i = 0; i < nomenclature->n_items; i++)
      gtk_string_list_append (model, teren_nomenclature_get_label (nomenclature,
                                                                   nomenclature->items[i].code));

  self->combo = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->combo), label);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->combo), FALSE);
  adw_combo_row_set_model (self->combo, G_LIST_MODEL (model));
  g_signal_connect (item_factory, "setup", G_CALLBACK (combo_item_setup_cb), NULL);
  g_signal_connect (item_factory, "bind", G_CALLBACK (combo_item_bind_cb), self->combo);
  g_signal_connect (item_factory, "unbind", G_CALLBACK (combo_item_unbind_cb), self->combo);
  adw_combo_row_set_factory (self->combo, item_factory);
  g_signal_connect_object (self->combo, "notify::selected",
                           G_CALLBACK (on_combo_selected_cb), self, G_CONNECT_SWAPPED);
  self->editor_row = GTK_WIDGET (self->combo);
}

static void
build_checks (TerenFieldRow *self,
              const char    *label)
{
  const TerenNomenclature *nomenclature = get_nomenclature (self);
  GtkWidget *expander = adw_expander_row_new ();
  guint i;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), label);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (expander), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (expander), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  self->checks = g_ptr_array_new ();

  if (nomenclature != NULL)
    for (i = 0; i < nomenclature->n_items; i++)
      {
        GtkWidget *row = adw_action_row_new ();
        GtkWidget *check = gtk_check_button_new ();
        const char *item_label = teren_nomenclature_get_label (nomenclature,
                                                               nomenclature->items[i].code);

        adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), item_label);
        gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
        /* Named by the row's title (the row's activatable widget): a label of its own
         * would be said twice. */
        adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
        adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
        adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
        g_signal_connect_object (check, "toggled",
                                 G_CALLBACK (on_check_toggled_cb), self, G_CONNECT_SWAPPED);
        g_ptr_array_add (self->checks, check);
      }

  self->editor_row = expander;
}

static void
build_switch (TerenFieldRow *self,
              const char    *label)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), label);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  /* Named by the row's title (the row's activatable widget). */
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  g_signal_connect_object (toggle, "notify::active",
                           G_CALLBACK (on_toggle_active_cb), self, G_CONNECT_SWAPPED);
  self->toggle = GTK_SWITCH (toggle);
  self->editor_row = row;
}

static void
build_text_view (TerenFieldRow *self,
                 const char    *label)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *title = gtk_label_new (label);
  GtkWidget *frame = gtk_frame_new (NULL);
  GtkWidget *view = gtk_text_view_new ();

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "dim-label");
  gtk_widget_add_css_class (title, "caption");
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 6);
  gtk_widget_set_size_request (view, -1, 96);
  gtk_widget_add_css_class (view, "teren-long-text");
  gtk_accessible_update_property (GTK_ACCESSIBLE (view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  GTK_ACCESSIBLE_PROPERTY_MULTI_LINE, TRUE,
                                  -1);
  gtk_frame_set_child (GTK_FRAME (frame), view);
  /* The row holds the title and the text: named by the field, like the other rows. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), frame);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  g_signal_connect_object (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), "changed",
                           G_CALLBACK (on_entry_changed_cb), self, G_CONNECT_SWAPPED);
  self->text_view = GTK_TEXT_VIEW (view);
  self->editor_row = row;
}

static void
build_reference (TerenFieldRow *self,
                 const char    *label)
{
  GtkWidget *row = adw_action_row_new ();
  /* Not "_Choose…": _Cancel of the form has the C. */
  GtkWidget *button = gtk_button_new_with_mnemonic (_("C_hoose…"));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), label);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("None chosen"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
  g_signal_connect_object (button, "clicked",
                           G_CALLBACK (on_choose_clicked_cb), self, G_CONNECT_SWAPPED);
  self->reference_row = ADW_ACTION_ROW (row);
  self->editor_row = row;
}

static void
build_attachments (TerenFieldRow *self,
                   const char    *label)
{
  GtkWidget *row = gtk_list_box_row_new ();

  /* Not a stop for Tab itself: Add… and each attachment's buttons are. */
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  self->attachments = teren_attachment_list_new ();
  teren_attachment_list_set_title (self->attachments, label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), GTK_WIDGET (self->attachments));
  g_signal_connect_object (self->attachments, "changed",
                           G_CALLBACK (on_entry_changed_cb), self, G_CONNECT_SWAPPED);
  self->editor_row = row;
}

static void
rebuild (TerenFieldRow *self)
{
  const TerenKindDef *kind_def;
  const char *label;

  if (self->editor_row != NULL)
    {
      gtk_list_box_remove (self->inner_list, self->editor_row);
      self->editor_row = NULL;
    }
  self->entry = NULL;
  self->combo = NULL;
  self->picker = NULL;
  self->toggle = NULL;
  self->text_view = NULL;
  self->reference_row = NULL;
  self->calendar = NULL;
  self->calendar_popover = NULL;
  self->attachments = NULL;
  g_clear_pointer (&self->checks, g_ptr_array_unref);
  g_clear_pointer (&self->reference_id, g_free);
  self->field = NULL;
  self->touched = FALSE;

  if (self->kind == NULL || self->key == NULL)
    return;

  kind_def = teren_schema_lookup_kind (self->kind);
  if (kind_def != NULL)
    self->field = teren_kind_lookup_field (kind_def, self->key);

  if (self->field == NULL)
    {
      /* A form naming a key the schema lacks is a programmer error; the form test
       * catches it. Show it plainly rather than crash. */
      g_autofree char *text = g_strdup_printf ("%s.%s", self->kind, self->key);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Unknown field"));
      self->editor_row = row;
      gtk_list_box_append (self->inner_list, row);
      return;
    }

  label = teren_field_get_label (self->field);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  GTK_ACCESSIBLE_PROPERTY_REQUIRED,
                                  (self->field->flags & TEREN_FIELD_FLAG_REQUIRED) != 0,
                                  -1);

  switch (self->field->type)
    {
    case TEREN_FIELD_TEXT:
    case TEREN_FIELD_CNP:
    case TEREN_FIELD_PHONE:
    case TEREN_FIELD_INTEGER:
    case TEREN_FIELD_DECIMAL:
    case TEREN_FIELD_DATE:
      build_entry (self, label);
      break;
    case TEREN_FIELD_LONG_TEXT:
      build_text_view (self, label);
      break;
    case TEREN_FIELD_BOOLEAN:
      build_switch (self, label);
      break;
    case TEREN_FIELD_CHOICE:
      build_combo (self, label);
      break;
    case TEREN_FIELD_MULTI_CHOICE:
      build_checks (self, label);
      break;
    case TEREN_FIELD_REFERENCE:
      build_reference (self, label);
      break;
    case TEREN_FIELD_ATTACHMENT:
      build_attachments (self, label);
      break;
    default:
      g_assert_not_reached ();
    }

  gtk_list_box_append (self->inner_list, self->editor_row);
  update_message (self);
}

/* Values */

static char *
get_text (TerenFieldRow *self)
{
  if (self->entry != NULL)
    return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry))));

  if (self->text_view != NULL)
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
      GtkTextIter start, end;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    }

  return NULL;
}

static JsonNode *
number_node (TerenFieldRow *self,
             const char    *text)
{
  char *end = NULL;

  if (self->field->type == TEREN_FIELD_INTEGER)
    {
      gint64 value = g_ascii_strtoll (text, &end, 10);

      if (end != NULL && *end == '\0' && end != text)
        return json_node_init_int (json_node_alloc (), value);
    }
  else
    {
      g_autofree char *dotted = g_strdup (text);
      double value;

      /* Romanian users write a decimal comma. */
      g_strdelimit (dotted, ",", '.');
      value = g_ascii_strtod (dotted, &end);
      if (end != NULL && *end == '\0' && end != dotted)
        return json_node_init_double (json_node_alloc (), value);
    }

  /* Not a number: hand the text over as typed, validation says it is wrong. */
  return json_node_init_string (json_node_alloc (), text);
}

static void
set_text (TerenFieldRow *self,
          const char    *text)
{
  if (self->entry != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->entry), text != NULL ? text : "");
  else if (self->text_view != NULL)
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view),
                              text != NULL ? text : "", -1);
}

/* GObject */

static void
teren_field_row_dispose (GObject *object)
{
  TerenFieldRow *self = (TerenFieldRow *)object;

  g_clear_pointer (&self->checks, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), TEREN_TYPE_FIELD_ROW);

  G_OBJECT_CLASS (teren_field_row_parent_class)->dispose (object);
}

static void
teren_field_row_finalize (GObject *object)
{
  TerenFieldRow *self = (TerenFieldRow *)object;

  g_clear_pointer (&self->key, g_free);
  g_clear_pointer (&self->kind, g_free);
  g_clear_pointer (&self->reference_id, g_free);
  g_clear_pointer (&self->message, g_free);

  G_OBJECT_CLASS (teren_field_row_parent_class)->finalize (object);
}

static void
teren_field_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TerenFieldRow *self = TEREN_FIELD_ROW (object);

  switch (prop_id)
    {
    case PROP_KEY:
      g_value_set_string (value, self->key);
      break;
    case PROP_KIND:
      g_value_set_string (value, self->kind);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
teren_field_row_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TerenFieldRow *self = TEREN_FIELD_ROW (object);

  switch (prop_id)
    {
    case PROP_KEY:
      teren_field_row_set_key (self, g_value_get_string (value));
      break;
    case PROP_KIND:
      teren_field_row_set_kind (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
teren_field_row_class_init (TerenFieldRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = teren_field_row_dispose;
  object_class->finalize = teren_field_row_finalize;
  object_class->get_property = teren_field_row_get_property;
  object_class->set_property = teren_field_row_set_property;

  /**
   * TerenFieldRow:key:
   *
   * The schema key of the field, e.g. "last_name".
   */
  properties[PROP_KEY] =
    g_param_spec_string ("key", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * TerenFieldRow:kind:
   *
   * The record kind the key belongs to, e.g. "person"; set by the form.
   */
  properties[PROP_KIND] =
    g_param_spec_string ("kind", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[CHOOSE_REFERENCE] =
    g_signal_new ("choose-reference", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/ro/daps/Teren/ui/teren-field-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TerenFieldRow, inner_list);
  gtk_widget_class_bind_template_child (widget_class, TerenFieldRow, message_label);
}

static void
teren_field_row_init (TerenFieldRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API */

TerenFieldRow *
teren_field_row_new (const char *kind,
                     const char *key)
{
  return g_object_new (TEREN_TYPE_FIELD_ROW, "key", key, "kind", kind, NULL);
}

const char *
teren_field_row_get_key (TerenFieldRow *self)
{
  g_return_val_if_fail (TEREN_IS_FIELD_ROW (self), NULL);
  return self->key;
}

void
teren_field_row_set_key (TerenFieldRow *self,
                         const char    *key)
{
  g_return_if_fail (TEREN_IS_FIELD_ROW (self));

  if (g_strcmp0 (self->key, key) == 0)
    return;
  g_free (self->key);
  self->key = g_strdup (key);
  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY]);
}

const char *
teren_field_row_get_kind (TerenFieldRow *self)
{
  g_return_val_if_fail (TEREN_IS_FIELD_ROW (self), NULL);
  return self->kind;
}

void
teren_field_row_set_kind (TerenFieldRow *self,
                          const char    *kind)
{
  g_return_if_fail (TEREN_IS_FIELD_ROW (self));

  if (g_strcmp0 (self->kind, kind) == 0)
    return;
  g_free (self->kind);
  self->kind = g_strdup (kind);
  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

const TerenFieldDef *
teren_field_row_get_field (TerenFieldRow *self)
{
  g_return_val_if_fail (TEREN_IS_FIELD_ROW (self), NULL);
  return self->field;
}

JsonNode *
teren_field_row_get_value (TerenFieldRow *self)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (TEREN_IS_FIELD_ROW (self), NULL);

  if (self->field == NULL)
    return NULL;

  switch (self->field->type)
    {
    case TEREN_FIELD_TEXT:
    case TEREN_FIELD_LONG_TEXT:
    case TEREN_FIELD_PHONE:
    case TEREN_FIELD_CNP:
      text = get_text (self);
      if (text == NULL || *text == '\0')
        return NULL;
      return json_node_init_string (json_node_alloc (), text);

    case TEREN_FIELD_INTEGER:
    case TEREN_FIELD_DECIMAL:
      text = get_text (self);
      if (text == NULL || *text == '\0')
        return NULL;
      return number_node (self, text);

    case TEREN_FIELD_DATE:
      {
        g_autofree char *iso = NULL;

        text = get_text (self);
        if (text == NULL || *text == '\0')
          return NULL;
        iso = teren_date_to_iso (text);
        return json_node_init_string (json_node_alloc (), iso != NULL ? iso : text);
      }

    case TEREN_FIELD_BOOLEAN:
      if (!self->touched)
        return NULL;
      return json_node_init_boolean (json_node_alloc (), gtk_switch_get_active (self->toggle));

    case TEREN_FIELD_CHOICE:
      {
        const TerenNomenclature *nomenclature = get_nomenclature (self);
        guint selected = self->picker != NULL ? teren_choice_picker_get_selected (self->picker)
                                              : adw_combo_row_get_selected (self->combo);

        if (nomenclature == NULL || selected == 0 || selected == GTK_INVALID_LIST_POSITION ||
            selected > nomenclature->n_items)
          return NULL;
        return json_node_init_string (json_node_alloc (),
                                      nomenclature->items[selected - 1].code);
      }

    case TEREN_FIELD_MULTI_CHOICE:
      {
        const TerenNomenclature *nomenclature = get_nomenclature (self);
        g_autoptr(JsonArray) array = json_array_new ();
        guint i;

        for (i = 0; nomenclature != NULL && i < self->checks->len; i++)
          if (gtk_check_button_get_active (g_ptr_array_index (self->checks, i)))
            json_array_add_string_element (array, nomenclature->items[i].code);
        if (json_array_get_length (array) == 0)
          return NULL;
        return json_node_init_array (json_node_alloc (), array);
      }

    case TEREN_FIELD_REFERENCE:
      if (self->reference_id == NULL)
        return NULL;
      return json_node_init_string (json_node_alloc (), self->reference_id);

    case TEREN_FIELD_ATTACHMENT:
      return teren_attachment_list_get_value (self->attachments);

    default:
      g_assert_not_reached ();
    }

  return NULL;
}

void
teren_field_row_set_value (TerenFieldRow *self,
                           JsonNode      *value)
{
  gboolean is_null;

  g_return_if_fail (TEREN_IS_FIELD_ROW (self));

  if (self->field == NULL)
    return;

  is_null = value == NULL || JSON_NODE_HOLDS_NULL (value);
  self->updating = TRUE;

  switch (self->field->type)
    {
    case TEREN_FIELD_TEXT:
    case TEREN_FIELD_LONG_TEXT:
    case TEREN_FIELD_PHONE:
    case TEREN_FIELD_CNP:
      set_text (self, !is_null && JSON_NODE_HOLDS_VALUE (value) &&
                      json_node_get_value_type (value) == G_TYPE_STRING
                      ? json_node_get_string (value) : NULL);
      break;

    case TEREN_FIELD_INTEGER:
    case TEREN_FIELD_DECIMAL:
      if (is_null || !JSON_NODE_HOLDS_VALUE (value))
        set_text (self, NULL);
      else if (json_node_get_value_type (value) == G_TYPE_INT64)
        {
          g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (value));
          set_text (self, text);
        }
      else if (json_node_get_value_type (value) == G_TYPE_DOUBLE)
        {
          char buffer[G_ASCII_DTOSTR_BUF_SIZE];
          set_text (self, g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (value)));
        }
      else if (json_node_get_value_type (value) == G_TYPE_STRING)
        set_text (self, json_node_get_string (value));
      break;

    case TEREN_FIELD_DATE:
      if (is_null || !JSON_NODE_HOLDS_VALUE (value) ||
          json_node_get_value_type (value) != G_TYPE_STRING)
        set_text (self, NULL);
      else
        {
          const char *iso = json_node_get_string (value);
          g_autofree char *display = teren_date_to_display (iso);

          set_text (self, display != NULL ? display : iso);
        }
      break;

    case TEREN_FIELD_BOOLEAN:
      self->touched = !is_null;
      gtk_switch_set_active (self->toggle,
                             !is_null && JSON_NODE_HOLDS_VALUE (value) &&
                             json_node_get_boolean (value));
      break;

    case TEREN_FIELD_CHOICE:
      {
        const TerenNomenclature *nomenclature = get_nomenclature (self);
        const char *code = NULL;
        guint position = 0;
        guint i;

        if (!is_null && JSON_NODE_HOLDS_VALUE (value) &&
            json_node_get_value_type (value) == G_TYPE_STRING)
          code = json_node_get_string (value);
        for (i = 0; code != NULL && nomenclature != NULL && i < nomenclature->n_items; i++)
          if (g_strcmp0 (nomenclature->items[i].code, code) == 0)
            position = i + 1;
        if (self->picker != NULL)
          teren_choice_picker_set_selected (self->picker, position);
        else
          adw_combo_row_set_selected (self->combo, position);
      }
      break;

    case TEREN_FIELD_MULTI_CHOICE:
      {
        const TerenNomenclature *nomenclature = get_nomenclature (self);
        JsonArray *array = NULL;
        guint i, j;

        if (!is_null && JSON_NODE_HOLDS_ARRAY (value))
          array = json_node_get_array (value);
        for (i = 0; nomenclature != NULL && i < self->checks->len; i++)
          {
            gboolean active = FALSE;

            for (j = 0; array != NULL && j < json_array_get_length (array); j++)
              if (g_strcmp0 (json_array_get_string_element (array, j),
                             nomenclature->items[i].code) == 0)
                active = TRUE;
            gtk_check_button_set_active (g_ptr_array_index (self->checks, i), active);
          }
      }
      break;

    case TEREN_FIELD_REFERENCE:
      g_clear_pointer (&self->reference_id, g_free);
      if (!is_null && JSON_NODE_HOLDS_VALUE (value) &&
          json_node_get_value_type (value) == G_TYPE_STRING)
        self->reference_id = g_strdup (json_node_get_string (value));
      if (self->reference_id == NULL)
        adw_action_row_set_subtitle (self->reference_row, _("None chosen"));
      break;

    case TEREN_FIELD_ATTACHMENT:
      teren_attachment_list_set_value (self->attachments, is_null ? NULL : value);
      break;

    default:
      g_assert_not_reached ();
    }

  self->updating = FALSE;
}

void
teren_field_row_set_string (TerenFieldRow *self,
                            const char    *value)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_if_fail (TEREN_IS_FIELD_ROW (self));

  if (value != NULL)
    node = json_node_init_string (json_node_alloc (), value);
  teren_field_row_set_value (self, node);
}

TerenAttachmentList *
teren_field_row_get_attachment_list (TerenFieldRow *self)
{
  g_return_val_if_fail (TEREN_IS_FIELD_ROW (self), NULL);
  return self->attachments;
}

GtkEditable *
teren_field_row_get_editable (TerenFieldRow *self)
{
  g_return_val_if_fail (TEREN_IS_FIELD_ROW (self), NULL);
  return self->entry != NULL ? GTK_EDITABLE (self->entry) : NULL;
}

void
teren_field_row_set_reference_title (TerenFieldRow *self,
                                     const char    *title)
{
  g_return_if_fail (TEREN_IS_FIELD_ROW (self));

  if (self->reference_row == NULL)
    return;
  adw_action_row_set_subtitle (self->reference_row,
                               title != NULL && *title != '\0' ? title : _("None chosen"));
}

void
teren_field_row_set_message (TerenFieldRow         *self,
                             TerenFieldMessageKind  kind,
                             const char            *message)
{
  g_return_if_fail (TEREN_IS_FIELD_ROW (self));

  if (kind == TEREN_FIELD_MESSAGE_NONE)
    message = NULL;
  if (message == NULL)
    kind = TEREN_FIELD_MESSAGE_NONE;
  if (self->message_kind == kind && g_strcmp0 (self->message, message) == 0)
    return;

  g_free (self->message);
  self->message = g_strdup (message);
  self->message_kind = kind;
  update_message (self);
}

TerenFieldMessageKind
teren_field_row_get_message_kind (TerenFieldRow *self)
{
  g_return_val_if_fail (TEREN_IS_FIELD_ROW (self), TEREN_FIELD_MESSAGE_NONE);
  return self->message_kind;
}

const char *
teren_field_row_get_message (TerenFieldRow *self)
{
  g_return_val_if_fail (TEREN_IS_FIELD_ROW (self), NULL);
  return self->message;
}
