/* teren-gui.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-a11y.h"
#include "teren-date.h"
#include "teren-nomenclature.h"
#include "teren-error.h"
#include "teren-field-row.h"
#include "teren-form.h"
#include "teren-attachment.h"
#include "teren-gui.h"
#include "teren-memory.h"
#include "teren-record-page.h"
#include "teren-record-picker.h"
#include "teren-record-row.h"
#include "teren-resources.h"
#include "teren-window.h"
#include "teren-conflicts-page.h"
#include "teren-quarantine-page.h"
#include "teren-sync-indicator.h"

void
teren_gui_init (void)
{
  /* Referencing the resource keeps its object file (and its constructor, which registers
   * it) in the program although the library is static. */
  GResource *resource = teren_get_resource ();

  g_return_if_fail (resource != NULL);

  teren_a11y_init ();
  g_type_ensure (TEREN_TYPE_FIELD_ROW);
  g_type_ensure (TEREN_TYPE_FORM);
  g_type_ensure (TEREN_TYPE_RECORD_PAGE);
  g_type_ensure (TEREN_TYPE_RECORD_PICKER);
  g_type_ensure (TEREN_TYPE_RECORD_ROW);
  g_type_ensure (TEREN_TYPE_WINDOW);
  g_type_ensure (TEREN_TYPE_SYNC_INDICATOR);
  g_type_ensure (TEREN_TYPE_CONFLICTS_PAGE);
  g_type_ensure (TEREN_TYPE_QUARANTINE_PAGE);
}

typedef struct
{
  TerenStoreFunc  func;
  gpointer        data;
  GDestroyNotify  data_free;
  GDestroyNotify  result_free;
} StoreCall;

static void
store_call_free (gpointer pointer)
{
  StoreCall *call = pointer;

  if (call->data_free != NULL && call->data != NULL)
    call->data_free (call->data);
  g_free (call);
}

static void
store_call_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  StoreCall *call = task_data;
  g_autoptr(GError) error = NULL;
  gpointer result;

  if (g_task_return_error_if_cancelled (task))
    return;

  result = call->func (TEREN_STORE (source_object), call->data, &error);
  if (error != NULL)
    {
      if (result != NULL && call->result_free != NULL)
        call->result_free (result);
      g_task_return_error (task, g_steal_pointer (&error));
    }
  else
    g_task_return_pointer (task, result, call->result_free);
}

void
teren_gui_store_call_async (TerenStore          *store,
                            TerenStoreFunc       func,
                            gpointer             data,
                            GDestroyNotify       data_free,
                            GDestroyNotify       result_free,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  StoreCall *call;

  g_return_if_fail (TEREN_IS_STORE (store));
  g_return_if_fail (func != NULL);

  call = g_new0 (StoreCall, 1);
  call->func = func;
  call->data = data;
  call->data_free = data_free;
  call->result_free = result_free;

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, teren_gui_store_call_async);
  g_task_set_task_data (task, call, store_call_free);
  g_task_run_in_thread (task, store_call_thread);
}

gpointer
teren_gui_store_call_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  /* Workers' large results (the Due list, reports) are freed soon after: trim then. */
  teren_memory_trim_soon ();
  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
teren_gui_error_message (const GError *error)
{
  if (error == NULL)
    return g_strdup (_("Something went wrong"));

  if (error->domain == TEREN_ERROR)
    switch ((TerenErrorCode)error->code)
      {
      case TEREN_ERROR_INVALID:
        return g_strdup (_("Some fields are not valid; nothing was saved"));
      case TEREN_ERROR_NOT_FOUND:
        return g_strdup (_("This record no longer exists on this laptop"));
      case TEREN_ERROR_CORRUPT:
        return g_strdup (_("The local database is damaged; nothing was changed"));
      case TEREN_ERROR_READ_ONLY:
        return g_strdup (_("The data folder cannot be written; nothing was saved"));
      case TEREN_ERROR_IO:
        return g_strdup (_("Could not write to the disk; nothing was saved"));
      case TEREN_ERROR_NO_SPACE:
        return g_strdup (_("The disk is full; nothing was saved. Free some space on this "
                           "computer, then save again"));
      case TEREN_ERROR_FAILED:
      case TEREN_ERROR_BAD_JSON:
      case TEREN_ERROR_TOO_LARGE:
      case TEREN_ERROR_EXISTS:
      case TEREN_ERROR_PERMISSION:
      case TEREN_ERROR_NETWORK:
      case TEREN_ERROR_AUTH:
      case TEREN_ERROR_CANCELLED:
      default:
        break;
      }

  return g_strdup (_("Something went wrong; nothing was saved"));
}

char *
teren_gui_format_date (const char *iso)
{
  if (iso == NULL || *iso == '\0')
    return NULL;
  return teren_date_to_display (iso);
}

char *
teren_gui_format_value (const TerenFieldDef *field,
                        JsonNode            *node)
{
  const TerenNomenclature *nomenclature = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (field->nomenclature != NULL)
    nomenclature = teren_nomenclature_lookup (field->nomenclature);

  switch (field->type)
    {
    case TEREN_FIELD_DATE:
      return teren_gui_format_date (json_node_get_string (node));
    case TEREN_FIELD_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? _("Yes") : _("No"));
    case TEREN_FIELD_CHOICE:
      {
        const char *code = json_node_get_string (node);
        const char *label = nomenclature != NULL ? teren_nomenclature_get_label (nomenclature, code) : NULL;

        return g_strdup (label != NULL ? label : code);
      }
    case TEREN_FIELD_MULTI_CHOICE:
      {
        JsonArray *array = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
        GString *text = g_string_new (NULL);
        guint i;

        for (i = 0; array != NULL && i < json_array_get_length (array); i++)
          {
            const char *code = json_array_get_string_element (array, i);
            const char *label = nomenclature != NULL ? teren_nomenclature_get_label (nomenclature, code) : NULL;

            if (text->len > 0)
              g_string_append (text, ", ");
            g_string_append (text, label != NULL ? label : code);
          }
        return g_string_free (text, text->len == 0);
      }
    case TEREN_FIELD_INTEGER:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case TEREN_FIELD_DECIMAL:
      return g_strdup_printf ("%.2f", json_node_get_double (node));
    case TEREN_FIELD_REFERENCE:
      /* Shown as links in the groups below, not as ids. */
      return NULL;
    case TEREN_FIELD_ATTACHMENT:
      return teren_attachment_describe (node);
    case TEREN_FIELD_TEXT:
    case TEREN_FIELD_LONG_TEXT:
    case TEREN_FIELD_CNP:
    case TEREN_FIELD_PHONE:
    default:
      return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
             ? g_strdup (json_node_get_string (node)) : NULL;
    }
}

char *
teren_gui_format_time (const char *iso)
{
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (iso == NULL || *iso == '\0')
    return NULL;
  when = g_date_time_new_from_iso8601 (iso, NULL);
  if (when == NULL)
    return g_strdup (iso);
  local = g_date_time_to_local (when);
  return g_date_time_format (local, "%d.%m.%Y %H:%M");
}

AdwToast *
teren_gui_toast_new (const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text != NULL ? text : "", -1);

  return adw_toast_new (escaped);
}

void
teren_gui_show_message (GtkLabel   *label,
                        const char *text,
                        gboolean    is_error)
{
  g_return_if_fail (GTK_IS_LABEL (label));

  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
}

void
teren_gui_page_remove_groups (AdwPreferencesPage *page,
                              GPtrArray          *groups)
{
  guint i;

  g_return_if_fail (ADW_IS_PREFERENCES_PAGE (page));
  g_return_if_fail (groups != NULL);

  for (i = 0; i < groups->len; i++)
    adw_preferences_page_remove (page, g_ptr_array_index (groups, i));
  g_ptr_array_set_size (groups, 0);
}

void
teren_gui_debounce_init (TerenGuiDebounce *debounce,
                         guint             delay_ms,
                         GSourceOnceFunc   func,
                         gpointer          data)
{
  g_return_if_fail (debounce != NULL);
  g_return_if_fail (func != NULL);

  debounce->source = 0;
  debounce->delay_ms = delay_ms;
  debounce->func = func;
  debounce->data = data;
}

static void
debounce_fire_cb (gpointer user_data)
{
  TerenGuiDebounce *debounce = user_data;

  debounce->source = 0;
  debounce->func (debounce->data);
}

void
teren_gui_debounce_schedule (TerenGuiDebounce *debounce)
{
  g_return_if_fail (debounce != NULL && debounce->func != NULL);

  if (debounce->source == 0)
    debounce->source = g_timeout_add_once (debounce->delay_ms, debounce_fire_cb, debounce);
}

void
teren_gui_debounce_cancel (TerenGuiDebounce *debounce)
{
  g_return_if_fail (debounce != NULL);

  g_clear_handle_id (&debounce->source, g_source_remove);
}

void
teren_gui_serial_read_init (TerenGuiSerialRead *read,
                            GSourceOnceFunc     func,
                            gpointer            data)
{
  g_return_if_fail (read != NULL);
  g_return_if_fail (func != NULL);

  read->func = func;
  read->data = data;
  read->running = FALSE;
  read->again = FALSE;
}

gboolean
teren_gui_serial_read_begin (TerenGuiSerialRead *read)
{
  g_return_val_if_fail (read != NULL && read->func != NULL, FALSE);

  if (read->running)
    {
      read->again = TRUE;
      return FALSE;
    }
  read->running = TRUE;
  return TRUE;
}

gboolean
teren_gui_serial_read_end (TerenGuiSerialRead *read,
                           const GError       *error)
{
  g_return_val_if_fail (read != NULL && read->func != NULL, FALSE);
  g_return_val_if_fail (read->running, FALSE);

  /* Still running for begin(): nothing is read for an owner that has gone away. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      read->again = FALSE;
      return FALSE;
    }
  read->running = FALSE;
  if (read->again)
    {
      read->again = FALSE;
      read->func (read->data);
      return FALSE;
    }
  return TRUE;
}

void
teren_gui_setup_two_line_row (GtkSignalListItemFactory *factory,
                              GtkListItem              *item,
                              gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), subtitle);
  /* The item widget is named by the box, whose labels the bind functions set. */
  teren_a11y_label_parent_by (box);
  gtk_list_item_set_child (item, box);
}
