/* teren-form.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-attachment-list.h"
#include "teren-cnp.h"
#include "teren-error.h"
#include "teren-date.h"
#include "teren-a11y.h"
#include "teren-form.h"
#include "teren-form-rules.h"
#include "teren-gui.h"
#include "teren-json.h"
#include "teren-line.h"
#include "teren-record-picker.h"
#include "teren-uuid.h"

struct _TerenForm
{
  GtkWidget           parent_instance;

  /* Template widgets */
  GtkWidget          *box;
  GtkButton          *cancel_button;
  GtkBox             *content_box;
  GtkButton          *duplicate_button;
  GtkLabel           *duplicate_label;
  GtkRevealer        *duplicate_revealer;
  GtkButton          *save_button;
  AdwWindowTitle     *window_title;

  /* Owned references */
  TerenStore         *store;
  TerenRecord        *record;          /* (nullable) the record edited, or the saved one */
  GCancellable       *cancellable;
  GHashTable         *fields;          /* key → TerenFieldRow (borrowed, in the page) */
  GPtrArray          *field_order;     /* TerenFieldRow (borrowed), in form order */

  /* Borrowed */
  AdwComboRow        *line_row;        /* (nullable) service line of a new case */

  char               *kind;
  char               *line;
  char               *draft_key;
  char               *duplicate_id;
  char               *duplicate_text;
  const TerenKindDef *kind_def;

  TerenFormRulesData *rules_data;      /* (nullable) store data of computed fields */
  char               *rules_data_key;  /* what was last asked for */

  TerenGuiDebounce    draft_later;
  guint               duplicate_source;
  guint               duplicate_generation;
  guint               dirty : 1;
  guint               busy : 1;
  guint               closed : 1;
  guint               loading : 1;
  guint               draft_failed : 1;  /* told once until a draft lands again */
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_KIND,
  PROP_LINE,
  PROP_RECORD,
  PROP_DRAFT_KEY,
  PROP_DIRTY,
  PROP_BUSY,
  PROP_DUPLICATE_TEXT,
  N_PROPS
};

enum {
  SAVED,
  CLOSED,
  OPEN_RECORD,
  ADD_TOAST,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (TerenForm, teren_form, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void field_changed (TerenForm     *self,
                           TerenFieldRow *row);
static void apply_rules   (TerenForm     *self);

/* Auxiliary methods */

static void
add_toast (TerenForm  *self,
           const char *text)
{
  g_autoptr(AdwToast) toast = teren_gui_toast_new (text);

  g_signal_emit (self, signals[ADD_TOAST], 0, toast);
}

static void
set_busy (TerenForm *self,
          gboolean   busy)
{
  busy = !!busy;
  if (self->busy == busy)
    return;
  self->busy = busy;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "form.save", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "form.cancel", !busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
set_dirty (TerenForm *self,
           gboolean   dirty)
{
  dirty = !!dirty;
  if (self->dirty == dirty)
    return;
  self->dirty = dirty;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRTY]);
}

static const char *
current_line (TerenForm *self)
{
  guint n_lines = 0;
  const TerenLine *lines;
  guint selected;

  if (self->line_row == NULL || self->record != NULL)
    return self->line != NULL ? self->line : "";

  lines = teren_line_list (&n_lines);
  selected = adw_combo_row_get_selected (self->line_row);
  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION || selected > n_lines)
    return "";
  return lines[selected - 1].id;
}

static const char *
string_of (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static char *
row_string (TerenForm  *self,
            const char *key)
{
  TerenFieldRow *row = g_hash_table_lookup (self->fields, key);
  g_autoptr(JsonNode) node = NULL;

  if (row == NULL)
    return NULL;
  node = teren_field_row_get_value (row);
  return g_strdup (string_of (node));
}

/* The sex nomenclature's code for what a CNP says ('M' or 'F'). */
static const char *
sex_code_for (TerenFieldRow *sex_row,
              char           sex)
{
  static const char * const male[] = { "M", "m", "male", "masculin", NULL };
  static const char * const female[] = { "F", "f", "female", "feminin", NULL };
  const TerenFieldDef *def = teren_field_row_get_field (sex_row);
  const TerenNomenclature *nomenclature;
  const char * const *candidates;
  guint i;

  if (def == NULL || def->nomenclature == NULL)
    return NULL;
  nomenclature = teren_nomenclature_lookup (def->nomenclature);
  if (nomenclature == NULL)
    return NULL;
  candidates = sex == 'M' ? male : sex == 'F' ? female : NULL;
  for (i = 0; candidates != NULL && candidates[i] != NULL; i++)
    if (teren_nomenclature_has_code (nomenclature, candidates[i]))
      return candidates[i];
  return NULL;
}

/* The CNP field (DOMAIN.md §C1): cnp_status says whether a CNP is expected; a valid CNP
 * fills sex and birth date when they are empty and warns when they disagree. */
static void
update_cnp (TerenForm *self,
            gboolean   autofill)
{
  TerenFieldRow *cnp_row = g_hash_table_lookup (self->fields, "cnp");
  TerenFieldRow *sex_row = g_hash_table_lookup (self->fields, "sex");
  TerenFieldRow *birth_row = g_hash_table_lookup (self->fields, "birth_date");
  g_autofree char *status = row_string (self, "cnp_status");
  g_autofree char *cnp = NULL;
  g_autofree char *normalized = NULL;
  gboolean expected;
  gboolean checked;
  TerenCnpInfo info = { 0 };
  TerenCnpResult result;
  GString *warning;

  if (cnp_row == NULL)
    return;

  expected = status == NULL ||
             g_strcmp0 (status, TEREN_CNP_STATUS_VALID) == 0 ||
             g_strcmp0 (status, TEREN_CNP_STATUS_NON_STANDARD) == 0;
  checked = status == NULL || g_strcmp0 (status, TEREN_CNP_STATUS_VALID) == 0;
  gtk_widget_set_sensitive (GTK_WIDGET (cnp_row), expected);

  cnp = row_string (self, "cnp");
  if (!checked || cnp == NULL)
    {
      if (teren_field_row_get_message_kind (cnp_row) == TEREN_FIELD_MESSAGE_WARNING ||
          !expected || !checked)
        teren_field_row_set_message (cnp_row, TEREN_FIELD_MESSAGE_NONE, NULL);
      return;
    }

  /* Positive feedback while typing: say nothing until all 13 digits are there. */
  normalized = teren_cnp_normalize (cnp);
  if (strlen (normalized) < 13)
    {
      if (teren_field_row_get_message_kind (cnp_row) == TEREN_FIELD_MESSAGE_WARNING)
        teren_field_row_set_message (cnp_row, TEREN_FIELD_MESSAGE_NONE, NULL);
      return;
    }

  result = teren_cnp_validate (normalized, NULL, &info);
  if (result != TEREN_CNP_OK)
    {
      teren_field_row_set_message (cnp_row, TEREN_FIELD_MESSAGE_ERROR,
                                   teren_cnp_result_to_message (result));
      return;
    }

  warning = g_string_new (NULL);

  if (sex_row != NULL && info.sex != 0)
    {
      const char *code = sex_code_for (sex_row, info.sex);
      g_autofree char *sex = row_string (self, "sex");

      if (sex == NULL && code != NULL && autofill)
        {
          teren_field_row_set_string (sex_row, code);
          field_changed (self, sex_row);
        }
      else if (sex != NULL && code != NULL && g_strcmp0 (sex, code) != 0)
        g_string_append (warning, _("The CNP does not match the sex entered."));
    }

  if (birth_row != NULL && info.century_known)
    {
      g_autofree char *birth = teren_cnp_info_birth_date (&info);
      g_autoptr(JsonNode) node = teren_field_row_get_value (birth_row);
      const char *entered = string_of (node);

      if (entered == NULL && autofill)
        {
          teren_field_row_set_string (birth_row, birth);
          field_changed (self, birth_row);
        }
      else if (entered != NULL && g_strcmp0 (entered, birth) != 0)
        {
          if (warning->len > 0)
            g_string_append_c (warning, ' ');
          g_string_append (warning, _("The CNP does not match the birth date entered."));
        }
    }

  if (warning->len > 0)
    teren_field_row_set_message (cnp_row, TEREN_FIELD_MESSAGE_WARNING, warning->str);
  else
    teren_field_row_set_message (cnp_row, TEREN_FIELD_MESSAGE_NONE, NULL);
  g_string_free (warning, TRUE);
}

static JsonObject *
collect_for_save (TerenForm *self)
{
  g_autoptr(JsonObject) all = teren_form_collect (self);
  JsonObject *fields = json_object_new ();
  JsonObjectIter iter;
  const char *key;
  JsonNode *node;
  guint i;

  /* A field hidden because it does not apply (teren-form-rules.h) is not saved. */
  for (i = 0; i < self->field_order->len; i++)
    {
      TerenFieldRow *row = g_ptr_array_index (self->field_order, i);

      if (!gtk_widget_get_visible (GTK_WIDGET (row)) &&
          json_object_has_member (all, teren_field_row_get_key (row)))
        json_object_set_null_member (all, teren_field_row_get_key (row));
    }

  json_object_iter_init (&iter, all);
  while (json_object_iter_next (&iter, &key, &node))
    {
      if (!JSON_NODE_HOLDS_NULL (node))
        json_object_set_member (fields, key, json_node_copy (node));
      else if (self->record != NULL)
        {
          JsonObject *current = teren_record_get_fields (self->record);

          /* Clear only what the record holds; an empty field stays absent. */
          if (current != NULL && json_object_has_member (current, key) &&
              !json_object_get_null_member (current, key))
            json_object_set_null_member (fields, key);
        }
    }

  return fields;
}

static JsonObject *
candidate_record (TerenForm  *self,
                  JsonObject *save_fields)
{
  JsonObject *complete;
  JsonObjectIter iter;
  const char *key;
  JsonNode *node;

  if (self->record != NULL && teren_record_get_fields (self->record) != NULL)
    complete = teren_json_object_copy (teren_record_get_fields (self->record));
  else
    complete = json_object_new ();

  json_object_iter_init (&iter, save_fields);
  while (json_object_iter_next (&iter, &key, &node))
    {
      if (JSON_NODE_HOLDS_NULL (node))
        json_object_remove_member (complete, key);
      else
        json_object_set_member (complete, key, json_node_copy (node));
    }

  return complete;
}

static GPtrArray *
validate_candidate (TerenForm *self)
{
  g_autoptr(JsonObject) save_fields = collect_for_save (self);
  g_autoptr(JsonObject) complete = candidate_record (self, save_fields);
  GPtrArray *errors = NULL;

  teren_schema_normalize_fields (self->kind_def, complete);
  teren_schema_validate (self->kind_def, current_line (self), complete,
                         TEREN_VALIDATE_COMPLETE | TEREN_VALIDATE_LENIENT_UNKNOWN,
                         NULL, &errors);
  if (errors == NULL)
    errors = g_ptr_array_new_with_free_func ((GDestroyNotify)teren_field_error_free);
  return errors;
}

/* Shows @errors under their fields; the rest (record-wide ones) in a toast. Returns the
 * first field row with an error, in form order. */
static TerenFieldRow *
show_errors (TerenForm *self,
             GPtrArray *errors)
{
  TerenFieldRow *first = NULL;
  const char *other = NULL;
  guint i;

  for (i = 0; i < self->field_order->len; i++)
    {
      TerenFieldRow *row = g_ptr_array_index (self->field_order, i);

      if (teren_field_row_get_message_kind (row) == TEREN_FIELD_MESSAGE_ERROR)
        teren_field_row_set_message (row, TEREN_FIELD_MESSAGE_NONE, NULL);
    }
  if (self->line_row != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self->line_row), "error");

  for (i = 0; errors != NULL && i < errors->len; i++)
    {
      TerenFieldError *error = g_ptr_array_index (errors, i);
      TerenFieldRow *row = g_hash_table_lookup (self->fields, error->field);

      if (row == NULL)
        {
          if (g_strcmp0 (error->code, "bad_line") == 0 && self->line_row != NULL)
            gtk_widget_add_css_class (GTK_WIDGET (self->line_row), "error");
          if (other == NULL)
            other = error->message;
          continue;
        }
      if (teren_field_row_get_message_kind (row) != TEREN_FIELD_MESSAGE_ERROR)
        teren_field_row_set_message (row, TEREN_FIELD_MESSAGE_ERROR, error->message);
    }

  for (i = 0; i < self->field_order->len && first == NULL; i++)
    {
      TerenFieldRow *row = g_ptr_array_index (self->field_order, i);

      if (teren_field_row_get_message_kind (row) == TEREN_FIELD_MESSAGE_ERROR)
        first = row;
    }

  if (other != NULL)
    add_toast (self, other);

  return first;
}

/* Re-checks one field that already shows an error, so the message goes away as soon as
 * the user has fixed it (errors are not shown for the first time while typing). */
static void
revalidate_field (TerenForm     *self,
                  TerenFieldRow *row)
{
  g_autoptr(GPtrArray) errors = NULL;
  const char *key = teren_field_row_get_key (row);
  guint i;

  if (teren_field_row_get_message_kind (row) != TEREN_FIELD_MESSAGE_ERROR)
    return;

  errors = validate_candidate (self);
  for (i = 0; i < errors->len; i++)
    {
      TerenFieldError *error = g_ptr_array_index (errors, i);

      if (g_strcmp0 (error->field, key) == 0)
        {
          teren_field_row_set_message (row, TEREN_FIELD_MESSAGE_ERROR, error->message);
          return;
        }
    }
  teren_field_row_set_message (row, TEREN_FIELD_MESSAGE_NONE, NULL);
}

/* Drafts */

static void
on_draft_written_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(TerenForm) self = user_data;
  g_autoptr(GError) error = NULL;

  if (teren_store_put_draft_finish (TEREN_STORE (object), result, &error))
    {
      self->draft_failed = FALSE;
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_debug ("Could not write a draft: %s", error->message);

  /* The typing is only in memory now: say so (once), while there is time to act. */
  if (!self->draft_failed && !self->closed)
    {
      const char *text;

      self->draft_failed = TRUE;
      if (g_error_matches (error, TEREN_ERROR, TEREN_ERROR_NO_SPACE))
        text = _("The disk is full: what you type is lost if Teren closes before you save. "
                 "Free some space on this computer");
      else
        text = _("What you type could not be kept on the disk: it is lost if Teren closes "
                 "before you save");
      add_toast (self, text);
    }
}

static void
write_draft (TerenForm *self)
{
  g_autoptr(JsonObject) fields = NULL;

  teren_gui_debounce_cancel (&self->draft_later);
  if (self->store == NULL || self->closed || self->field_order == NULL)
    return;

  fields = teren_form_collect (self);
  /* No cancellable: a draft asked for must land even if the form goes away. */
  teren_store_put_draft_async (self->store, self->draft_key, self->kind, current_line (self),
                               self->record != NULL ? teren_record_get_id (self->record) : NULL,
                               fields, NULL, on_draft_written_cb, g_object_ref (self));
}

static void
schedule_draft (TerenForm *self)
{
  /* Not restarted on each keystroke: a change is on disk at most one delay later even
   * while the user keeps typing. */
  teren_gui_debounce_schedule (&self->draft_later);
}

/* Duplicates */

typedef struct
{
  JsonObject *fields;
  char       *exclude_id;
} DuplicateQuery;

static void
duplicate_query_free (gpointer pointer)
{
  DuplicateQuery *query = pointer;

  g_clear_pointer (&query->fields, json_object_unref);
  g_free (query->exclude_id);
  g_free (query);
}

static gpointer
find_duplicate_func (TerenStore  *store,
                     gpointer     data,
                     GError     **error)
{
  DuplicateQuery *query = data;
  g_autoptr(GPtrArray) ids = NULL;

  ids = teren_store_find_duplicates (store, query->fields, query->exclude_id, error);
  if (ids == NULL || ids->len == 0)
    return NULL;
  return teren_store_get_record (store, g_ptr_array_index (ids, 0), error);
}

typedef struct
{
  TerenForm *form;   /* (owned) */
  guint      generation;
} DuplicateCall;

static void
set_duplicate (TerenForm   *self,
               TerenRecord *record)
{
  g_clear_pointer (&self->duplicate_id, g_free);
  g_clear_pointer (&self->duplicate_text, g_free);

  if (record != NULL)
    {
      g_autofree char *born = teren_gui_format_date (teren_record_get_string (record, "birth_date"));
      const char *title = teren_record_get_title (record);

      self->duplicate_id = g_strdup (teren_record_get_id (record));
      if (born != NULL)
        /* Translators: %s are a person's name and birth date */
        self->duplicate_text = g_strdup_printf (_("Possible duplicate: %s, born %s"), title, born);
      else
        /* Translators: %s is a person's name */
        self->duplicate_text = g_strdup_printf (_("Possible duplicate: %s"), title);
      gtk_label_set_text (self->duplicate_label, self->duplicate_text);
    }

  gtk_revealer_set_reveal_child (self->duplicate_revealer, record != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DUPLICATE_TEXT]);
}

static void
on_duplicate_found_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  DuplicateCall *call = user_data;
  TerenForm *self = call->form;
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenRecord) record = teren_gui_store_call_finish (result, &error);

  if (error == NULL && call->generation == self->duplicate_generation && !self->closed)
    set_duplicate (self, record);
  else if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Duplicate lookup failed: %s", error->message);

  g_object_unref (call->form);
  g_free (call);
}

static void
duplicate_timeout_cb (gpointer user_data)
{
  TerenForm *self = user_data;
  DuplicateQuery *query;
  DuplicateCall *call;

  self->duplicate_source = 0;
  if (self->store == NULL)
    return;

  query = g_new0 (DuplicateQuery, 1);
  query->fields = collect_for_save (self);
  teren_schema_normalize_fields (self->kind_def, query->fields);
  query->exclude_id = self->record != NULL ? g_strdup (teren_record_get_id (self->record)) : NULL;

  call = g_new0 (DuplicateCall, 1);
  call->form = g_object_ref (self);
  call->generation = ++self->duplicate_generation;

  teren_gui_store_call_async (self->store, find_duplicate_func, query, duplicate_query_free,
                              g_object_unref, self->cancellable, on_duplicate_found_cb, call);
}

static gboolean
is_identity_key (const char *key)
{
  return g_strcmp0 (key, "cnp") == 0 || g_strcmp0 (key, "last_name") == 0 ||
         g_strcmp0 (key, "first_name") == 0 || g_strcmp0 (key, "birth_date") == 0 ||
         g_strcmp0 (key, "cnp_status") == 0;
}

static void
schedule_duplicate_check (TerenForm *self)
{
  if (g_strcmp0 (self->kind, "person") != 0)
    return;
  g_clear_handle_id (&self->duplicate_source, g_source_remove);
  self->duplicate_source = g_timeout_add_once (TEREN_FORM_DUPLICATE_DELAY_MS,
                                               duplicate_timeout_cb, self);
}

/* References */

typedef struct
{
  TerenForm     *form;   /* (owned) */
  TerenFieldRow *row;    /* (owned) */
} ReferenceCall;

static gpointer
get_record_func (TerenStore  *store,
                 gpointer     data,
                 GError     **error)
{
  return teren_store_get_record (store, data, error);
}

static void
on_reference_loaded_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  ReferenceCall *call = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenRecord) record = teren_gui_store_call_finish (result, &error);

  if (record != NULL)
    teren_field_row_set_reference_title (call->row, teren_record_get_title (record));
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    teren_field_row_set_reference_title (call->row, _("Unknown record"));

  g_object_unref (call->form);
  g_object_unref (call->row);
  g_free (call);
}

static void
load_reference_title (TerenForm     *self,
                      TerenFieldRow *row)
{
  g_autoptr(JsonNode) node = teren_field_row_get_value (row);
  const char *id = string_of (node);
  ReferenceCall *call;

  if (id == NULL || self->store == NULL)
    return;

  call = g_new0 (ReferenceCall, 1);
  call->form = g_object_ref (self);
  call->row = g_object_ref (row);
  teren_gui_store_call_async (self->store, get_record_func, g_strdup (id), g_free,
                              g_object_unref, self->cancellable, on_reference_loaded_cb, call);
}

static void
on_reference_chosen_cb (TerenForm     *self,
                        const char    *id,
                        const char    *title,
                        TerenRecordPicker *picker)
{
  TerenFieldRow *row = g_object_get_data (G_OBJECT (picker), "teren-field-row");

  if (row == NULL)
    return;
  teren_field_row_set_string (row, id);
  teren_field_row_set_reference_title (row, title);
  field_changed (self, row);
}

static void
on_choose_reference_cb (TerenForm     *self,
                        TerenFieldRow *row)
{
  const TerenFieldDef *def = teren_field_row_get_field (row);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  TerenRecordPicker *picker;

  if (def == NULL || def->ref_kind == NULL || self->store == NULL)
    return;

  picker = teren_record_picker_new (self->store, def->ref_kind);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (picker), GTK_WINDOW (root));
  g_object_set_data_full (G_OBJECT (picker), "teren-field-row", g_object_ref (row), g_object_unref);
  g_signal_connect_object (picker, "chosen", G_CALLBACK (on_reference_chosen_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (picker));
}

/* Changes */

static void
field_changed (TerenForm     *self,
               TerenFieldRow *row)
{
  const char *key = teren_field_row_get_key (row);

  if (self->loading || self->closed)
    return;

  set_dirty (self, TRUE);
  apply_rules (self);

  if (g_strcmp0 (key, "cnp") == 0 || g_strcmp0 (key, "cnp_status") == 0)
    update_cnp (self, TRUE);
  else if ((g_strcmp0 (key, "sex") == 0 || g_strcmp0 (key, "birth_date") == 0) &&
           g_hash_table_contains (self->fields, "cnp"))
    update_cnp (self, FALSE);

  revalidate_field (self, row);
  schedule_draft (self);
  if (is_identity_key (key))
    schedule_duplicate_check (self);
}

static void
on_field_changed_cb (TerenForm     *self,
                     TerenFieldRow *row)
{
  field_changed (self, row);
}

static void
on_line_selected_cb (TerenForm *self)
{
  if (self->loading || self->closed)
    return;
  set_dirty (self, TRUE);
  if (self->line_row != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self->line_row), "error");
  schedule_draft (self);
}

/* Conditional fields and computed values (teren-form-rules.h) */

static void
rules_data_loaded_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(TerenForm) self = user_data;
  TerenFormRulesData *data = teren_form_rules_load_data_finish (result, NULL);

  if (data == NULL || self->closed ||
      g_strcmp0 (teren_form_rules_data_get_key (data), self->rules_data_key) != 0)
    {
      teren_form_rules_data_free (data);
      return;
    }
  g_clear_pointer (&self->rules_data, teren_form_rules_data_free);
  self->rules_data = data;
  apply_rules (self);
}

static void
apply_rules (TerenForm *self)
{
  g_autoptr(JsonObject) values = NULL;
  g_autoptr(GPtrArray) changed = NULL;
  gboolean was_loading = self->loading;
  GDate today;
  guint i;

  if (self->kind == NULL || !teren_form_rules_has_rules (self->kind))
    return;

  values = teren_form_collect (self);
  {
    g_autofree char *key = teren_form_rules_data_key (self->kind, values);

    if (key != NULL && self->store != NULL && g_strcmp0 (key, self->rules_data_key) != 0)
      {
        g_free (self->rules_data_key);
        self->rules_data_key = g_steal_pointer (&key);
        teren_form_rules_load_data_async (self->store, self->rules_data_key, self->cancellable,
                                          rules_data_loaded_cb, g_object_ref (self));
      }
  }
  teren_date_today (&today);
  changed = teren_form_rules_compute_with_data (self->kind, values, &today, self->rules_data);
  self->loading = TRUE;
  for (i = 0; i < changed->len; i++)
    {
      const char *key = g_ptr_array_index (changed, i);
      TerenFieldRow *row = g_hash_table_lookup (self->fields, key);
      JsonNode *node = json_object_get_member (values, key);

      if (row != NULL)
        teren_field_row_set_value (row, node != NULL && !JSON_NODE_HOLDS_NULL (node) ? node : NULL);
    }
  self->loading = was_loading;

  for (i = 0; i < self->field_order->len; i++)
    {
      TerenFieldRow *row = g_ptr_array_index (self->field_order, i);

      gtk_widget_set_visible (GTK_WIDGET (row),
                              teren_form_rules_field_applies (self->kind, teren_field_row_get_key (row),
                                                              values));
    }
}

/* Loading the form file */

static void
collect_fields (TerenForm *self,
                GtkWidget *widget)
{
  GtkWidget *child;

  if (TEREN_IS_FIELD_ROW (widget))
    {
      TerenFieldRow *row = TEREN_FIELD_ROW (widget);
      const char *key = teren_field_row_get_key (row);

      teren_field_row_set_kind (row, self->kind);
      if (teren_field_row_get_attachment_list (row) != NULL)
        teren_attachment_list_set_store (teren_field_row_get_attachment_list (row), self->store);
      if (key != NULL && !g_hash_table_contains (self->fields, key))
        {
          g_hash_table_insert (self->fields, g_strdup (key), row);
          g_ptr_array_add (self->field_order, row);
          g_signal_connect_object (row, "changed", G_CALLBACK (on_field_changed_cb), self,
                                   G_CONNECT_SWAPPED);
          g_signal_connect_object (row, "choose-reference", G_CALLBACK (on_choose_reference_cb),
                                   self, G_CONNECT_SWAPPED);
        }
      return;
    }

  for (child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_fields (self, child);
}

static void
setup_line_row (TerenForm  *self,
                GtkBuilder *builder)
{
  GObject *group = gtk_builder_get_object (builder, "line_group");
  g_autoptr(GtkStringList) model = NULL;
  g_autoptr(GtkListItemFactory) factory = NULL;
  const TerenLine *lines;
  guint n_lines = 0;
  guint selected = 0;
  guint i;

  if (group == NULL || !ADW_IS_PREFERENCES_GROUP (group))
    return;

  if (self->kind_def == NULL || !self->kind_def->any_line)
    {
      gtk_widget_set_visible (GTK_WIDGET (group), FALSE);
      return;
    }

  lines = teren_line_list (&n_lines);
  model = gtk_string_list_new (NULL);
  /* Translators: shown in the service line chooser before a line is chosen */
  gtk_string_list_append (model, _("Choose a service line"));
  for (i = 0; i < n_lines; i++)
    {
      gtk_string_list_append (model, g_dgettext (GETTEXT_PACKAGE, lines[i].label));
      if (g_strcmp0 (lines[i].id, self->line) == 0)
        selected = i + 1;
    }

  self->line_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->line_row), _("Service line"));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->line_row), FALSE);
  adw_combo_row_set_model (self->line_row, G_LIST_MODEL (model));
  adw_combo_row_set_factory (self->line_row, factory = teren_a11y_string_factory_new ());
  adw_combo_row_set_selected (self->line_row, selected);
  gtk_widget_set_sensitive (GTK_WIDGET (self->line_row), self->record == NULL);
  g_signal_connect_object (self->line_row, "notify::selected",
                           G_CALLBACK (on_line_selected_cb), self, G_CONNECT_SWAPPED);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->line_row));
}

/* Attachment fields the form file does not place go in a group of their own at the end
 * (issue 8): every form of a kind with such a field shows it. */
static void
add_attachment_group (TerenForm *self,
                      GtkWidget *page)
{
  GtkWidget *group = NULL;
  guint i;

  for (i = 0; i < self->kind_def->n_fields; i++)
    {
      const TerenFieldDef *def = &self->kind_def->fields[i];

      if (def->type != TEREN_FIELD_ATTACHMENT || g_hash_table_contains (self->fields, def->key))
        continue;
      if (!ADW_IS_PREFERENCES_PAGE (page))
        return;
      if (group == NULL)
        {
          group = adw_preferences_group_new ();
          adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
        }
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                 GTK_WIDGET (teren_field_row_new (self->kind, def->key)));
    }

  if (group != NULL)
    collect_fields (self, group);
}

static char *
form_resource_path (const TerenKindDef *kind_def)
{
  const char *name = kind_def->name;
  const char *folder = "registry";
  const char *dot;

  if (!kind_def->registry && !kind_def->any_line && kind_def->line != NULL)
    folder = kind_def->line;
  dot = strrchr (name, '.');
  if (dot != NULL)
    name = dot + 1;

  return g_strdup_printf ("/ro/daps/Teren/forms/%s/%s.ui", folder, name);
}

static void
load_form (TerenForm *self)
{
  g_autoptr(GtkBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  GObject *page;
  guint i;

  self->kind_def = teren_schema_lookup_kind (self->kind);
  if (self->kind_def == NULL)
    {
      g_critical ("Unknown record kind in a form");
      return;
    }

  adw_window_title_set_title (self->window_title, teren_kind_get_label (self->kind_def));
  adw_window_title_set_subtitle (self->window_title,
                                 self->record != NULL ? teren_record_get_title (self->record)
                                                      : _("New"));

  path = form_resource_path (self->kind_def);
  builder = gtk_builder_new ();
  gtk_builder_set_translation_domain (builder, GETTEXT_PACKAGE);
  if (!gtk_builder_add_from_resource (builder, path, &error))
    {
      g_critical ("Could not load a form: %s", error->message);
      return;
    }

  page = gtk_builder_get_object (builder, "form");
  if (page == NULL || !GTK_IS_WIDGET (page))
    {
      g_critical ("Form %s has no \"form\" widget", path);
      return;
    }

  gtk_widget_set_vexpand (GTK_WIDGET (page), TRUE);
  gtk_box_append (self->content_box, GTK_WIDGET (page));
  setup_line_row (self, builder);
  collect_fields (self, GTK_WIDGET (page));
  add_attachment_group (self, GTK_WIDGET (page));

  self->loading = TRUE;
  if (self->record != NULL)
    {
      JsonObject *fields = teren_record_get_fields (self->record);

      for (i = 0; i < self->field_order->len; i++)
        {
          TerenFieldRow *row = g_ptr_array_index (self->field_order, i);
          const char *key = teren_field_row_get_key (row);

          if (fields != NULL && json_object_has_member (fields, key))
            teren_field_row_set_value (row, json_object_get_member (fields, key));
        }
    }
  self->loading = FALSE;
}

static void
apply_values (TerenForm  *self,
              JsonObject *values)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *node;

  self->loading = TRUE;
  json_object_iter_init (&iter, values);
  while (json_object_iter_next (&iter, &key, &node))
    {
      TerenFieldRow *row = g_hash_table_lookup (self->fields, key);

      if (row != NULL)
        teren_field_row_set_value (row, node);
    }
  self->loading = FALSE;
}

static void
after_values (TerenForm *self)
{
  guint i;

  update_cnp (self, FALSE);
  for (i = 0; i < self->field_order->len; i++)
    {
      TerenFieldRow *row = g_ptr_array_index (self->field_order, i);
      const TerenFieldDef *def = teren_field_row_get_field (row);

      if (def != NULL && def->type == TEREN_FIELD_REFERENCE)
        load_reference_title (self, row);
    }
}

/* Closing */

static gpointer
delete_draft_func (TerenStore  *store,
                   gpointer     data,
                   GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  /* A form that never wrote a draft has none to delete: not an error. */
  if (!teren_store_delete_draft (store, data, &local_error) &&
      !g_error_matches (local_error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND))
    g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

static void
on_draft_deleted_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  teren_gui_store_call_finish (result, &error);
  if (error != NULL)
    g_debug ("Could not delete a draft: %s", error->message);
}

static void
close_form (TerenForm *self)
{
  teren_gui_debounce_cancel (&self->draft_later);
  g_clear_handle_id (&self->duplicate_source, g_source_remove);
  self->closed = TRUE;

  if (self->store != NULL)
    teren_gui_store_call_async (self->store, delete_draft_func, g_strdup (self->draft_key), g_free,
                                NULL, NULL, on_draft_deleted_cb, NULL);
  set_dirty (self, FALSE);
  g_signal_emit (self, signals[CLOSED], 0);
}

static void
on_discard_response_cb (TerenForm  *self,
                        const char *response)
{
  if (g_strcmp0 (response, "discard") == 0)
    close_form (self);
}

/* Actions */

static void
on_saved_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(TerenForm) self = user_data;
  g_autoptr(GPtrArray) field_errors = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenRecord) record = NULL;

  record = teren_store_save_finish (TEREN_STORE (object), result, &field_errors, &error);
  set_busy (self, FALSE);

  if (record == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (field_errors != NULL && field_errors->len > 0)
        {
          TerenFieldRow *first = show_errors (self, field_errors);

          if (first != NULL)
            gtk_widget_child_focus (GTK_WIDGET (first), GTK_DIR_TAB_FORWARD);
        }
      message = teren_gui_error_message (error);
      add_toast (self, message);
      return;
    }

  g_set_object (&self->record, record);
  teren_gui_debounce_cancel (&self->draft_later);
  self->closed = TRUE;
  set_dirty (self, FALSE);
  g_signal_emit (self, signals[SAVED], 0, record);
}

/* Files being imported are not in the value yet: saving now would leave them out. */
static gboolean
attachments_importing (TerenForm *self)
{
  guint i;

  for (i = 0; i < self->field_order->len; i++)
    {
      TerenAttachmentList *list =
        teren_field_row_get_attachment_list (g_ptr_array_index (self->field_order, i));

      if (list != NULL && teren_attachment_list_get_importing (list))
        return TRUE;
    }
  return FALSE;
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TerenForm *self = TEREN_FORM (widget);
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(JsonObject) fields = NULL;
  TerenFieldRow *first;

  if (self->busy || self->closed || self->kind_def == NULL || self->store == NULL)
    return;

  if (attachments_importing (self))
    {
      add_toast (self, _("Files are still being added; save again when they are listed"));
      return;
    }

  update_cnp (self, FALSE);
  errors = validate_candidate (self);
  first = show_errors (self, errors);
  if (errors->len > 0)
    {
      if (first != NULL)
        gtk_widget_child_focus (GTK_WIDGET (first), GTK_DIR_TAB_FORWARD);
      add_toast (self, _("Check the highlighted fields; nothing was saved"));
      return;
    }

  /* The save deletes the draft in the same transaction; a draft timer firing later
   * would bring it back. */
  teren_gui_debounce_cancel (&self->draft_later);
  set_busy (self, TRUE);

  fields = collect_for_save (self);
  teren_store_save_async (self->store, self->kind, current_line (self),
                          self->record != NULL ? teren_record_get_id (self->record) : NULL,
                          fields, self->draft_key, self->cancellable,
                          on_saved_cb, g_object_ref (self));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TerenForm *self = TEREN_FORM (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;

  if (self->busy || self->closed)
    return;

  if (!self->dirty)
    {
      close_form (self);
      return;
    }

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Discard Changes?"),
                                   _("What was typed in this form will be lost."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", _("_Keep Editing"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_discard_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_duplicate_open_clicked_cb (TerenForm *self)
{
  if (self->duplicate_id != NULL)
    g_signal_emit (self, signals[OPEN_RECORD], 0, self->duplicate_id);
}

/* GObject */

static void
teren_form_constructed (GObject *object)
{
  TerenForm *self = (TerenForm *)object;

  G_OBJECT_CLASS (teren_form_parent_class)->constructed (object);

  if (self->draft_key == NULL)
    self->draft_key = self->record != NULL ? g_strdup (teren_record_get_id (self->record))
                                           : teren_uuid_new ();
  if (self->line == NULL && self->record != NULL)
    self->line = g_strdup (teren_record_get_line (self->record));

  load_form (self);

  /* Most people have a valid CNP: a new person starts there, the user changes it when
   * the person has none or refuses to give it. */
  if (self->record == NULL && g_hash_table_contains (self->fields, "cnp_status"))
    {
      self->loading = TRUE;
      teren_field_row_set_string (g_hash_table_lookup (self->fields, "cnp_status"),
                                  TEREN_CNP_STATUS_VALID);
      self->loading = FALSE;
    }

  /* A new case is usually opened today and active. */
  if (self->record == NULL && g_strcmp0 (self->kind, "case") == 0)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

      self->loading = TRUE;
      if (g_hash_table_contains (self->fields, "opened_on"))
        teren_field_row_set_string (g_hash_table_lookup (self->fields, "opened_on"), today);
      if (g_hash_table_contains (self->fields, "status"))
        teren_field_row_set_string (g_hash_table_lookup (self->fields, "status"), "open");
      self->loading = FALSE;
    }

  if (self->field_order->len > 0)
    after_values (self);
  apply_rules (self);
}

static void
teren_form_dispose (GObject *object)
{
  TerenForm *self = (TerenForm *)object;

  /* Typed a moment ago and closed before the timer ran: keep it. */
  if (self->draft_later.source != 0 && !self->closed)
    write_draft (self);

  teren_gui_debounce_cancel (&self->draft_later);
  g_clear_handle_id (&self->duplicate_source, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  if (self->fields != NULL)
    g_hash_table_remove_all (self->fields);
  if (self->field_order != NULL)
    g_ptr_array_set_size (self->field_order, 0);
  self->line_row = NULL;

  gtk_widget_dispose_template (GTK_WIDGET (self), TEREN_TYPE_FORM);

  g_clear_object (&self->store);
  g_clear_object (&self->record);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (teren_form_parent_class)->dispose (object);
}

static void
teren_form_finalize (GObject *object)
{
  TerenForm *self = (TerenForm *)object;

  g_clear_pointer (&self->fields, g_hash_table_unref);
  g_clear_pointer (&self->field_order, g_ptr_array_unref);
  g_clear_pointer (&self->kind, g_free);
  g_clear_pointer (&self->line, g_free);
  g_clear_pointer (&self->draft_key, g_free);
  g_clear_pointer (&self->duplicate_id, g_free);
  g_clear_pointer (&self->duplicate_text, g_free);
  g_clear_pointer (&self->rules_data, teren_form_rules_data_free);
  g_clear_pointer (&self->rules_data_key, g_free);

  G_OBJECT_CLASS (teren_form_parent_class)->finalize (object);
}

static void
teren_form_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  TerenForm *self = TEREN_FORM (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_KIND:
      g_value_set_string (value, self->kind);
      break;
    case PROP_LINE:
      g_value_set_string (value, current_line (self));
      break;
    case PROP_RECORD:
      g_value_set_object (value, self->record);
      break;
    case PROP_DRAFT_KEY:
      g_value_set_string (value, self->draft_key);
      break;
    case PROP_DIRTY:
      g_value_set_boolean (value, self->dirty);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_DUPLICATE_TEXT:
      g_value_set_string (value, self->duplicate_text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
teren_form_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  TerenForm *self = TEREN_FORM (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_KIND:
      self->kind = g_value_dup_string (value);
      break;
    case PROP_LINE:
      self->line = g_value_dup_string (value);
      break;
    case PROP_RECORD:
      self->record = g_value_dup_object (value);
      break;
    case PROP_DRAFT_KEY:
      self->draft_key = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
teren_form_class_init (TerenFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = teren_form_constructed;
  object_class->dispose = teren_form_dispose;
  object_class->finalize = teren_form_finalize;
  object_class->get_property = teren_form_get_property;
  object_class->set_property = teren_form_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TEREN_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIND] =
    g_param_spec_string ("kind", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LINE] =
    g_param_spec_string ("line", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RECORD] =
    g_param_spec_object ("record", NULL, NULL, TEREN_TYPE_RECORD,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DRAFT_KEY] =
    g_param_spec_string ("draft-key", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DIRTY] =
    g_param_spec_boolean ("dirty", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DUPLICATE_TEXT] =
    g_param_spec_string ("duplicate-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, TEREN_TYPE_RECORD);
  signals[CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[OPEN_RECORD] =
    g_signal_new ("open-record", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[ADD_TOAST] =
    g_signal_new ("add-toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, ADW_TYPE_TOAST);

  gtk_widget_class_set_template_from_resource (widget_class, "/ro/daps/Teren/ui/teren-form.ui");
  gtk_widget_class_bind_template_child (widget_class, TerenForm, box);
  gtk_widget_class_bind_template_child (widget_class, TerenForm, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, TerenForm, content_box);
  gtk_widget_class_bind_template_child (widget_class, TerenForm, duplicate_button);
  gtk_widget_class_bind_template_child (widget_class, TerenForm, duplicate_label);
  gtk_widget_class_bind_template_child (widget_class, TerenForm, duplicate_revealer);
  gtk_widget_class_bind_template_child (widget_class, TerenForm, save_button);
  gtk_widget_class_bind_template_child (widget_class, TerenForm, window_title);
  gtk_widget_class_bind_template_callback (widget_class, on_duplicate_open_clicked_cb);

  gtk_widget_class_install_action (widget_class, "form.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "form.save", NULL);
  gtk_widget_class_install_action (widget_class, "form.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "form.cancel", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
teren_form_init (TerenForm *self)
{
  g_type_ensure (TEREN_TYPE_FIELD_ROW);
  gtk_widget_init_template (GTK_WIDGET (self));
  teren_gui_debounce_init (&self->draft_later, TEREN_FORM_DRAFT_DELAY_MS,
                           (GSourceOnceFunc) write_draft, self);

  self->cancellable = g_cancellable_new ();
  self->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->field_order = g_ptr_array_new ();
}

/* Public API */

TerenForm *
teren_form_new (TerenStore  *store,
                const char  *kind,
                const char  *line,
                TerenRecord *record)
{
  g_return_val_if_fail (TEREN_IS_STORE (store), NULL);
  g_return_val_if_fail (kind != NULL, NULL);
  g_return_val_if_fail (record == NULL || TEREN_IS_RECORD (record), NULL);

  return g_object_new (TEREN_TYPE_FORM,
                       "store", store,
                       "kind", kind,
                       "line", line,
                       "record", record,
                       NULL);
}

TerenForm *
teren_form_new_from_draft (TerenStore  *store,
                           const char  *draft_key,
                           const char  *kind,
                           const char  *line,
                           TerenRecord *record,
                           JsonObject  *fields)
{
  TerenForm *self;

  g_return_val_if_fail (TEREN_IS_STORE (store), NULL);
  g_return_val_if_fail (draft_key != NULL, NULL);
  g_return_val_if_fail (kind != NULL, NULL);
  g_return_val_if_fail (fields != NULL, NULL);

  self = g_object_new (TEREN_TYPE_FORM,
                       "store", store,
                       "kind", kind,
                       "line", line,
                       "record", record,
                       "draft-key", draft_key,
                       NULL);
  apply_values (self, fields);
  after_values (self);
  apply_rules (self);
  /* A restored draft is unsaved work: Cancel asks before throwing it away. */
  set_dirty (self, TRUE);
  schedule_duplicate_check (self);
  return self;
}

const char *
teren_form_get_kind (TerenForm *self)
{
  g_return_val_if_fail (TEREN_IS_FORM (self), NULL);
  return self->kind;
}

const char *
teren_form_get_line (TerenForm *self)
{
  g_return_val_if_fail (TEREN_IS_FORM (self), NULL);
  return current_line (self);
}

TerenRecord *
teren_form_get_record (TerenForm *self)
{
  g_return_val_if_fail (TEREN_IS_FORM (self), NULL);
  return self->record;
}

const char *
teren_form_get_draft_key (TerenForm *self)
{
  g_return_val_if_fail (TEREN_IS_FORM (self), NULL);
  return self->draft_key;
}

gboolean
teren_form_get_dirty (TerenForm *self)
{
  g_return_val_if_fail (TEREN_IS_FORM (self), FALSE);
  return self->dirty;
}

gboolean
teren_form_get_busy (TerenForm *self)
{
  g_return_val_if_fail (TEREN_IS_FORM (self), FALSE);
  return self->busy;
}

TerenFieldRow *
teren_form_get_field (TerenForm  *self,
                      const char *key)
{
  g_return_val_if_fail (TEREN_IS_FORM (self), NULL);
  return g_hash_table_lookup (self->fields, key);
}

JsonObject *
teren_form_collect (TerenForm *self)
{
  JsonObject *object;
  guint i;

  g_return_val_if_fail (TEREN_IS_FORM (self), NULL);

  object = json_object_new ();
  for (i = 0; i < self->field_order->len; i++)
    {
      TerenFieldRow *row = g_ptr_array_index (self->field_order, i);
      JsonNode *node = teren_field_row_get_value (row);

      if (teren_field_row_get_field (row) == NULL)
        {
          g_clear_pointer (&node, json_node_unref);
          continue;
        }
      if (node != NULL)
        json_object_set_member (object, teren_field_row_get_key (row), node);
      else
        json_object_set_null_member (object, teren_field_row_get_key (row));
    }
  return object;
}

void
teren_form_set_string (TerenForm  *self,
                       const char *key,
                       const char *value)
{
  TerenFieldRow *row;
  const TerenFieldDef *def;

  g_return_if_fail (TEREN_IS_FORM (self));

  row = g_hash_table_lookup (self->fields, key);
  if (row == NULL)
    return;
  /* A prefilled value is not the user's change: it does not make the form dirty. */
  teren_field_row_set_string (row, value);
  apply_rules (self);
  def = teren_field_row_get_field (row);
  if (def != NULL && def->type == TEREN_FIELD_REFERENCE)
    load_reference_title (self, row);
}

const char *
teren_form_get_duplicate_text (TerenForm *self)
{
  g_return_val_if_fail (TEREN_IS_FORM (self), NULL);
  return self->duplicate_text;
}

const char *
teren_form_get_duplicate_id (TerenForm *self)
{
  g_return_val_if_fail (TEREN_IS_FORM (self), NULL);
  return self->duplicate_id;
}

gboolean
teren_form_validate (TerenForm *self)
{
  g_autoptr(GPtrArray) errors = NULL;

  g_return_val_if_fail (TEREN_IS_FORM (self), FALSE);

  if (self->kind_def == NULL)
    return FALSE;
  update_cnp (self, FALSE);
  errors = validate_candidate (self);
  show_errors (self, errors);
  return errors->len == 0;
}

void
teren_form_focus_first_field (TerenForm *self)
{
  g_return_if_fail (TEREN_IS_FORM (self));

  if (self->field_order->len > 0)
    gtk_widget_child_focus (g_ptr_array_index (self->field_order, 0), GTK_DIR_TAB_FORWARD);
}
