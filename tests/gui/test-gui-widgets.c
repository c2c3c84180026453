/* test-gui-widgets.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "teren-conflict-view.h"
#include "teren-conflicts-page.h"
#include "teren-field-row.h"
#include "teren-login-window.h"
#include "teren-quarantine-page.h"
#include "teren-quarantine-view.h"
#include "teren-sync-indicator.h"
#include "teren-form.h"
#include "teren-gui-test-util.h"
#include "teren-record-page.h"
#include "teren-record-picker.h"
#include "teren-record-row.h"
#include "teren-window.h"

/* Lifecycle of every widget: new → present → drawn → destroyed → finalized. */

static void
present_and_destroy (GtkWidget *child)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_child (GTK_WINDOW (window), child);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (window);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_window_lifecycle (void)
{
  g_autoptr(TerenStore) store = teren_gui_test_store_new ();
  TerenWindow *window = teren_window_new (NULL, store);

  g_object_ref (window);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  g_assert_true (teren_window_get_store (window) == store);
  gtk_window_destroy (GTK_WINDOW (window));
  teren_gui_test_assert_finalize (window);
}

static void
test_window_without_store_lifecycle (void)
{
  TerenWindow *window = teren_window_new (NULL, NULL);

  g_object_ref (window);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  /* No store yet: the list waits, it does not pretend to be empty. */
  g_assert_cmpstr (teren_window_get_content_page (window), ==, "loading");
  g_assert_null (teren_window_get_list_model (window));
  gtk_window_destroy (GTK_WINDOW (window));
  teren_gui_test_assert_finalize (window);
}

static void
test_form_lifecycle (void)
{
  static const char * const kinds[] = { "person", "household", "household_member", "case" };
  g_autoptr(TerenStore) store = teren_gui_test_store_new ();
  guint i;

  for (i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      TerenForm *form = teren_form_new (store, kinds[i], "", NULL);

      g_object_ref_sink (form);
      g_assert_cmpstr (teren_form_get_kind (form), ==, kinds[i]);
      g_assert_nonnull (teren_form_get_draft_key (form));
      g_assert_false (teren_form_get_dirty (form));
      present_and_destroy (GTK_WIDGET (form));
      teren_gui_test_assert_finalize (form);
    }
}

static void
test_record_page_lifecycle (void)
{
  g_autoptr(TerenStore) store = teren_gui_test_store_new ();
  TerenRecordPage *page = teren_record_page_new (store, "00000000-0000-4000-8000-000000000000");

  g_object_ref_sink (page);
  present_and_destroy (GTK_WIDGET (page));
  teren_gui_test_assert_finalize (page);
}

static void
test_record_row_lifecycle (void)
{
  TerenRecordRow *row = teren_record_row_new ();
  g_autoptr(TerenRecord) record = teren_record_new ("person", "", "test");

  g_object_ref_sink (row);
  teren_record_set_string (record, "last_name", "Maria & Ion <b>");
  teren_record_set_string (record, "first_name", "Ana");
  teren_record_set_string (record, "birth_date", "1985-03-12");
  teren_record_row_set_record (row, record);
  /* User text is shown as typed, never as markup. */
  g_assert_cmpstr (teren_record_row_get_title (row), ==, "Maria & Ion <b> Ana");
  g_assert_nonnull (strstr (teren_record_row_get_detail (row), "12.03.1985"));
  present_and_destroy (GTK_WIDGET (row));
  teren_record_row_set_record (row, NULL);
  teren_gui_test_assert_finalize (row);
}

static void
test_field_row_lifecycle (void)
{
  static const char * const keys[] = {
    "last_name", "cnp", "cnp_status", "birth_date", "phone", "disability_type", "notes",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      TerenFieldRow *row = teren_field_row_new ("person", keys[i]);
      GtkWidget *list = gtk_list_box_new ();

      g_object_ref_sink (row);
      g_assert_nonnull (teren_field_row_get_field (row));
      gtk_widget_add_css_class (list, "boxed-list");
      gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (row));
      present_and_destroy (list);
      teren_gui_test_assert_finalize (row);
    }
}

static void
test_field_row_values (void)
{
  TerenFieldRow *row;
  g_autoptr(JsonNode) node = NULL;

  /* A date typed the Romanian way is stored as ISO. */
  row = g_object_ref_sink (teren_field_row_new ("person", "birth_date"));
  gtk_editable_set_text (teren_field_row_get_editable (row), "12.03.1985");
  node = teren_field_row_get_value (row);
  g_assert_cmpstr (json_node_get_string (node), ==, "1985-03-12");
  g_clear_pointer (&node, json_node_unref);
  /* Not a date: handed over as typed, so validation can say why. */
  gtk_editable_set_text (teren_field_row_get_editable (row), "31.02.1985");
  node = teren_field_row_get_value (row);
  g_assert_cmpstr (json_node_get_string (node), ==, "31.02.1985");
  g_clear_pointer (&node, json_node_unref);
  teren_field_row_set_string (row, "2001-12-01");
  g_assert_cmpstr (gtk_editable_get_text (teren_field_row_get_editable (row)), ==, "01.12.2001");
  g_assert_finalize_object (row);

  /* Choices hold codes; nothing chosen is NULL. */
  row = g_object_ref_sink (teren_field_row_new ("person", "sex"));
  g_assert_null (teren_field_row_get_value (row));
  teren_field_row_set_string (row, "F");
  node = teren_field_row_get_value (row);
  g_assert_cmpstr (json_node_get_string (node), ==, "F");
  g_clear_pointer (&node, json_node_unref);
  teren_field_row_set_string (row, "no-such-code");
  g_assert_null (teren_field_row_get_value (row));
  g_assert_finalize_object (row);

  /* The CNP editor cannot take more than a CNP typed with separators. */
  row = g_object_ref_sink (teren_field_row_new ("person", "cnp"));
  gtk_editable_set_text (teren_field_row_get_editable (row), "1234567890123456789012345");
  g_assert_cmpint (strlen (gtk_editable_get_text (teren_field_row_get_editable (row))), <=, 17);
  /* Messages: error style and back. */
  teren_field_row_set_message (row, TEREN_FIELD_MESSAGE_ERROR, "Greșit");
  g_assert_cmpint (teren_field_row_get_message_kind (row), ==, TEREN_FIELD_MESSAGE_ERROR);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (teren_field_row_get_editable (row)), "error"));
  teren_field_row_set_message (row, TEREN_FIELD_MESSAGE_NONE, NULL);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (teren_field_row_get_editable (row)), "error"));
  g_assert_null (teren_field_row_get_message (row));
  g_assert_finalize_object (row);

  /* Multi-choice: an array of codes. */
  row = g_object_ref_sink (teren_field_row_new ("person", "disability_type"));
  node = json_from_string ("[\"" "visual" "\"]", NULL);
  teren_field_row_set_value (row, node);
  g_clear_pointer (&node, json_node_unref);
  node = teren_field_row_get_value (row);
  if (teren_nomenclature_has_code (teren_nomenclature_lookup ("disability_type"), "visual"))
    {
      g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
      g_assert_cmpstr (json_array_get_string_element (json_node_get_array (node), 0), ==, "visual");
    }
  g_clear_pointer (&node, json_node_unref);
  g_assert_finalize_object (row);
}

static void
test_record_picker_lifecycle (void)
{
  g_autoptr(TerenStore) store = teren_gui_test_store_new ();
  TerenRecordPicker *picker = teren_record_picker_new (store, "person");

  g_object_ref (picker);
  gtk_window_present (GTK_WINDOW (picker));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (picker));
  gtk_window_destroy (GTK_WINDOW (picker));
  teren_gui_test_assert_finalize (picker);
}

/* The window size is saved in GSettings when the window closes, and used by the next. */
static void
test_window_size_saved (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("ro.daps.Teren");
  TerenWindow *window;
  int width = 0, height = 0;

  g_settings_set_int (settings, "window-width", 900);
  g_settings_set_int (settings, "window-height", 640);
  window = g_object_ref (teren_window_new (NULL, NULL));
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 640);

  gtk_window_set_default_size (GTK_WINDOW (window), 820, 600);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  gtk_window_close (GTK_WINDOW (window));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 820);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 600);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
  teren_gui_test_assert_finalize (window);
}

static void
test_sync_indicator_lifecycle (void)
{
  TerenSyncIndicator *indicator = teren_sync_indicator_new ();
  g_autoptr(TerenSyncEngine) engine = teren_sync_engine_new ();

  g_object_ref_sink (indicator);
  /* No account: said in words, with the local count. */
  g_assert_nonnull (strstr (teren_sync_indicator_get_state_text (indicator), "changes stay on this laptop"));
  g_assert_cmpstr (teren_sync_indicator_get_pending_text (indicator), ==, "No changes waiting");
  teren_sync_indicator_set_local_pending (indicator, 3);
  g_assert_cmpstr (teren_sync_indicator_get_pending_text (indicator), ==, "3 changes waiting to be sent");
  teren_sync_indicator_set_local_pending (indicator, 1);
  g_assert_cmpstr (teren_sync_indicator_get_pending_text (indicator), ==, "1 change waiting to be sent");

  /* An engine that is not logged in. */
  teren_sync_indicator_set_engine (indicator, engine);
  g_assert_true (teren_sync_indicator_get_engine (indicator) == engine);
  g_assert_nonnull (teren_sync_indicator_get_state_text (indicator));
  g_assert_null (teren_sync_indicator_get_error_text (indicator));
  present_and_destroy (GTK_WIDGET (indicator));
  teren_sync_indicator_set_engine (indicator, NULL);

  /* Compact (narrow window): the same state, said by its tooltip. */
  g_object_set (indicator, "compact", TRUE, "local-pending", 2, NULL);
  g_assert_cmpstr (teren_sync_indicator_get_pending_text (indicator), ==, "2 changes waiting to be sent");
  present_and_destroy (GTK_WIDGET (indicator));
  teren_gui_test_assert_finalize (indicator);
}

static void
test_login_window_lifecycle (void)
{
  g_autoptr(TerenSyncEngine) engine = teren_sync_engine_new ();
  TerenLoginWindow *login = teren_login_window_new (NULL, engine, NULL, "https://teren.example.ro", "ana");

  g_object_ref (login);
  gtk_window_present (GTK_WINDOW (login));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (login));
  g_assert_cmpstr (gtk_editable_get_text (teren_login_window_get_server_row (login)), ==,
                   "https://teren.example.ro");
  g_assert_cmpstr (gtk_editable_get_text (teren_login_window_get_user_row (login)), ==, "ana");

  /* http:// off loopback is refused before anything is sent; loopback would be allowed. */
  gtk_editable_set_text (teren_login_window_get_server_row (login), "http://10.0.0.5:8787");
  gtk_editable_set_text (teren_login_window_get_password_row (login), "secret");
  teren_login_window_submit (login);
  g_assert_false (teren_login_window_get_busy (login));
  g_assert_nonnull (strstr (teren_login_window_get_message (login), "localhost"));
  g_assert_null (teren_sync_engine_get_store (engine));

  gtk_window_destroy (GTK_WINDOW (login));
  teren_gui_test_assert_finalize (login);
}

static TerenConflict *
conflict_new (void)
{
  TerenConflict *conflict = g_new0 (TerenConflict, 1);

  conflict->id = g_strdup ("c1#phone");
  conflict->conflict_id = g_strdup ("c1");
  conflict->record_id = g_strdup ("00000000-0000-4000-8000-000000000001");
  conflict->record_kind = g_strdup ("person");
  conflict->change_id = g_strdup ("00000000-0000-4000-8000-000000000002");
  conflict->reason = g_strdup ("field");
  conflict->field = g_strdup ("birth_date");
  conflict->base = json_node_new (JSON_NODE_NULL);
  conflict->server = json_node_init_string (json_node_alloc (), "1985-03-12");
  conflict->local = json_node_init_string (json_node_alloc (), "1985-03-21");
  conflict->server_by = g_strdup ("ion & <maria>");
  conflict->server_at = g_strdup ("2026-11-30T10:05:00Z");
  conflict->local_by = g_strdup ("ana");
  conflict->local_at = g_strdup ("2026-11-30T11:00:00Z");
  conflict->state = g_strdup ("open");
  conflict->created_at = g_strdup ("2026-11-30T11:05:00Z");
  return conflict;
}

typedef struct
{
  char     *item_id;
  JsonNode *value;
} Resolved;

static void
on_resolve_cb (TerenConflictView *view,
               const char        *item_id,
               JsonNode          *value,
               Resolved          *resolved)
{
  g_free (resolved->item_id);
  resolved->item_id = g_strdup (item_id);
  g_clear_pointer (&resolved->value, json_node_unref);
  resolved->value = json_node_copy (value);
}

static void
test_conflict_view (void)
{
  TerenConflictView *view = teren_conflict_view_new (conflict_new (), "Maria & Ion <b>");
  Resolved resolved = { NULL, NULL };
  GtkWidget *page = adw_preferences_page_new ();

  g_object_ref_sink (view);
  /* Dates as zz.ll.aaaa, an empty base said so; user text never taken as markup. */
  g_assert_cmpstr (teren_conflict_view_get_value_text (view, "base"), ==, "(empty)");
  g_assert_cmpstr (teren_conflict_view_get_value_text (view, "server"), ==, "12.03.1985");
  g_assert_cmpstr (teren_conflict_view_get_value_text (view, "local"), ==, "21.03.1985");
  g_signal_connect (view, "resolve", G_CALLBACK (on_resolve_cb), &resolved);

  teren_conflict_view_keep_server (view);
  g_assert_cmpstr (resolved.item_id, ==, "c1#phone");
  g_assert_cmpstr (json_node_get_string (resolved.value), ==, "1985-03-12");
  teren_conflict_view_keep_local (view);
  g_assert_cmpstr (json_node_get_string (resolved.value), ==, "1985-03-21");

  /* A new value typed in the schema's editor. */
  teren_field_row_set_string (TEREN_FIELD_ROW (teren_conflict_view_get_editor (view)), "01.04.1985");
  teren_conflict_view_use_edited (view);
  g_assert_cmpstr (json_node_get_string (resolved.value), ==, "1985-04-01");

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (view));
  present_and_destroy (page);
  g_free (resolved.item_id);
  g_clear_pointer (&resolved.value, json_node_unref);
  teren_gui_test_assert_finalize (view);
}

static void
on_retry_cb (TerenQuarantineView *view,
             const char          *change_id,
             JsonObject          *patch,
             JsonObject         **out)
{
  g_clear_pointer (out, json_object_unref);
  *out = patch != NULL ? json_object_ref (patch) : json_object_new ();
}

static void
test_quarantine_view (void)
{
  TerenQuarantined *item = g_new0 (TerenQuarantined, 1);
  g_autoptr(JsonObject) retried = NULL;
  TerenQuarantineView *view;
  GtkWidget *page = adw_preferences_page_new ();
  JsonObject *error;

  item->change_id = g_strdup ("00000000-0000-4000-8000-000000000003");
  item->record_id = g_strdup ("00000000-0000-4000-8000-000000000004");
  item->kind = g_strdup ("case");
  item->line = g_strdup ("elderly");
  item->op = g_strdup ("create");
  item->patch = json_object_new ();
  json_object_set_string_member (item->patch, "number", "E-1");
  json_object_set_string_member (item->patch, "status", "open");
  item->code = g_strdup ("forbidden");
  item->message = g_strdup ("This account may not write records of this service line");
  item->errors = json_array_new ();
  error = json_object_new ();
  json_object_set_string_member (error, "field", "number");
  json_object_set_string_member (error, "code", "too_long");
  json_object_set_string_member (error, "message", "Too long");
  json_array_add_object_element (item->errors, error);
  item->device_time = g_strdup ("2026-11-30T11:00:00Z");

  view = teren_quarantine_view_new (item, "Pop Ana & <Ion>");
  g_object_ref_sink (view);
  g_assert_cmpstr (teren_quarantine_view_get_reason (view), ==,
                   "This account may not write records of this service line");
  /* The server's message sits under the field it refused. */
  g_assert_cmpstr (teren_field_row_get_message (TEREN_FIELD_ROW (teren_quarantine_view_get_editor (view, "number"))),
                   ==, "Too long");
  g_signal_connect (view, "retry", G_CALLBACK (on_retry_cb), &retried);

  /* Unchanged: retried as it was (no new patch). */
  teren_quarantine_view_retry (view);
  g_assert_nonnull (retried);
  g_assert_cmpuint (json_object_get_size (retried), ==, 0);

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (view));
  present_and_destroy (page);
  teren_gui_test_assert_finalize (view);
}

static void
test_inbox_pages_lifecycle (void)
{
  g_autoptr(TerenStore) store = teren_gui_test_store_new ();
  TerenConflictsPage *conflicts = teren_conflicts_page_new (store);
  TerenQuarantinePage *quarantine = teren_quarantine_page_new (store);

  g_object_ref_sink (conflicts);
  g_object_ref_sink (quarantine);
  present_and_destroy (GTK_WIDGET (conflicts));
  present_and_destroy (GTK_WIDGET (quarantine));
  teren_gui_test_assert_finalize (conflicts);
  teren_gui_test_assert_finalize (quarantine);
}

static gboolean
pending_text_is (gpointer data)
{
  return g_strcmp0 (teren_window_get_pending_text (data), "1 change waiting to be sent") == 0;
}

static void
test_window_counts_without_account (void)
{
  g_autoptr(TerenStore) store = teren_gui_test_store_new ();
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(TerenRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  TerenWindow *window = teren_window_new (NULL, store);

  g_object_ref (window);
  gtk_window_present (GTK_WINDOW (window));
  json_object_set_string_member (fields, "last_name", "Pop");
  json_object_set_string_member (fields, "first_name", "Ana");
  json_object_set_string_member (fields, "cnp_status", "missing");
  json_object_set_string_member (fields, "sex", "F");
  record = teren_store_save (store, "person", "", NULL, fields, NULL, NULL, &error);
  g_assert_no_error (error);
  teren_gui_test_wait_until (pending_text_is, window, "one change waiting");
  g_assert_cmpuint (teren_window_get_n_conflicts (window), ==, 0);
  g_assert_cmpuint (teren_window_get_n_quarantined (window), ==, 0);

  /* The inbox pages are reachable from the sidebar. */
  teren_window_show_special (window, "conflicts");
  g_assert_cmpstr (teren_window_get_content_page (window), ==, "conflicts");
  teren_window_show_special (window, "quarantine");
  g_assert_cmpstr (teren_window_get_content_page (window), ==, "quarantine");
  gtk_window_destroy (GTK_WINDOW (window));
  teren_gui_test_assert_finalize (window);
}

static void
find_indicators (GtkWidget  *widget,
                 GPtrArray  *found)
{
  GtkWidget *child;

  if (TEREN_IS_SYNC_INDICATOR (widget))
    g_ptr_array_add (found, widget);
  for (child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    find_indicators (child, found);
}

/* TRUE when, of the two indicators in @found, the compact one is mapped and the sidebar's
 * footer one is not. */
static gboolean
content_in_front (gpointer data)
{
  GPtrArray *found = data;
  gboolean compact_mapped = FALSE, footer_mapped = FALSE;
  guint i;

  for (i = 0; i < found->len; i++)
    {
      gboolean compact = FALSE;

      g_object_get (found->pdata[i], "compact", &compact, NULL);
      if (compact)
        compact_mapped = gtk_widget_get_mapped (found->pdata[i]);
      else
        footer_mapped = gtk_widget_get_mapped (found->pdata[i]);
    }
  return compact_mapped && !footer_mapped;
}

/* A narrow window shows the sidebar or the content: the sync state is in sight in both. */
static void
test_narrow_window_keeps_sync_state (void)
{
  g_autoptr(TerenStore) store = teren_gui_test_store_new ();
  g_autoptr(GPtrArray) found = g_ptr_array_new ();
  TerenWindow *window = teren_window_new (NULL, store);

  g_object_ref (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 380, 600);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL);

  find_indicators (GTK_WIDGET (window), found);
  g_assert_cmpuint (found->len, ==, 2);
  /* The content comes in front (the folded leaflet's transition takes its time on a loaded
   * machine): its header shows the compact state, and the sidebar's footer is hidden. */
  teren_gui_test_wait_until (content_in_front, found, "the content in front with the compact sync state");

  gtk_window_destroy (GTK_WINDOW (window));
  teren_gui_test_assert_finalize (window);
}

/* TerenGuiSerialRead, without widgets: the "reads" are started and ended by hand, in the
 * order the worker pool could end them. */

typedef struct
{
  TerenGuiSerialRead read;
  guint              started;   /* reads started */
  guint              asked;     /* calls of the helper's func */
} SerialReadOwner;

/* The owner's reload: a store change, the debounce, or the helper's func. */
static void
serial_read_reload (SerialReadOwner *owner)
{
  if (teren_gui_serial_read_begin (&owner->read))
    owner->started++;
}

static void
serial_read_again (SerialReadOwner *owner)
{
  owner->asked++;
  serial_read_reload (owner);
}

static void
serial_read_owner_init (SerialReadOwner *owner)
{
  owner->started = 0;
  owner->asked = 0;
  teren_gui_serial_read_init (&owner->read, (GSourceOnceFunc) serial_read_again, owner);
}

static void
test_serial_read_no_change (void)
{
  SerialReadOwner owner;

  serial_read_owner_init (&owner);
  serial_read_reload (&owner);
  g_assert_cmpuint (owner.started, ==, 1);
  g_assert_true (teren_gui_serial_read_end (&owner.read, NULL));
  g_assert_cmpuint (owner.asked, ==, 0);
  /* Nothing running: the next change reads at once. */
  serial_read_reload (&owner);
  g_assert_cmpuint (owner.started, ==, 2);
  g_assert_true (teren_gui_serial_read_end (&owner.read, NULL));
  g_assert_cmpuint (owner.started, ==, 2);
  g_assert_cmpuint (owner.asked, ==, 0);
}

static void
test_serial_read_change_during_read (void)
{
  SerialReadOwner owner;

  serial_read_owner_init (&owner);
  serial_read_reload (&owner);
  serial_read_reload (&owner);
  /* Not a second read beside the first, which could end after it. */
  g_assert_cmpuint (owner.started, ==, 1);
  /* The first read's result is older than the change: dropped, and one more read. */
  g_assert_false (teren_gui_serial_read_end (&owner.read, NULL));
  g_assert_cmpuint (owner.asked, ==, 1);
  g_assert_cmpuint (owner.started, ==, 2);
  g_assert_true (teren_gui_serial_read_end (&owner.read, NULL));
  g_assert_cmpuint (owner.asked, ==, 1);
  g_assert_cmpuint (owner.started, ==, 2);
}

static void
test_serial_read_changes_during_read (void)
{
  SerialReadOwner owner;

  serial_read_owner_init (&owner);
  serial_read_reload (&owner);
  serial_read_reload (&owner);
  serial_read_reload (&owner);
  serial_read_reload (&owner);
  g_assert_cmpuint (owner.started, ==, 1);
  g_assert_false (teren_gui_serial_read_end (&owner.read, NULL));
  /* Three changes, one more read. */
  g_assert_cmpuint (owner.asked, ==, 1);
  g_assert_cmpuint (owner.started, ==, 2);
  /* A change during the second read: a third. */
  serial_read_reload (&owner);
  g_assert_false (teren_gui_serial_read_end (&owner.read, NULL));
  g_assert_cmpuint (owner.asked, ==, 2);
  g_assert_cmpuint (owner.started, ==, 3);
  g_assert_true (teren_gui_serial_read_end (&owner.read, NULL));
  g_assert_cmpuint (owner.started, ==, 3);
}

static void
test_serial_read_failed (void)
{
  SerialReadOwner owner;
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "disk");

  /* A failed read with a change during it: read again, the error is not shown. */
  serial_read_owner_init (&owner);
  serial_read_reload (&owner);
  serial_read_reload (&owner);
  g_assert_false (teren_gui_serial_read_end (&owner.read, error));
  g_assert_cmpuint (owner.started, ==, 2);
  /* Without a change, the owner sees its error. */
  g_assert_true (teren_gui_serial_read_end (&owner.read, error));
  g_assert_cmpuint (owner.started, ==, 2);
  g_assert_cmpuint (owner.asked, ==, 1);
}

static void
test_serial_read_cancelled (void)
{
  SerialReadOwner owner;
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "gone");

  serial_read_owner_init (&owner);
  serial_read_reload (&owner);
  serial_read_reload (&owner);
  /* The owner went away during the read: no more reads, whatever changed. */
  g_assert_false (teren_gui_serial_read_end (&owner.read, error));
  g_assert_cmpuint (owner.asked, ==, 0);
  g_assert_cmpuint (owner.started, ==, 1);
  serial_read_reload (&owner);
  g_assert_cmpuint (owner.started, ==, 1);
  g_assert_cmpuint (owner.asked, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  teren_gui_test_init (&argc, &argv);

  g_test_add_func ("/teren/gui/lifecycle/window", test_window_lifecycle);
  g_test_add_func ("/teren/gui/lifecycle/window-without-store", test_window_without_store_lifecycle);
  g_test_add_func ("/teren/gui/lifecycle/form", test_form_lifecycle);
  g_test_add_func ("/teren/gui/lifecycle/record-page", test_record_page_lifecycle);
  g_test_add_func ("/teren/gui/lifecycle/record-row", test_record_row_lifecycle);
  g_test_add_func ("/teren/gui/lifecycle/field-row", test_field_row_lifecycle);
  g_test_add_func ("/teren/gui/lifecycle/record-picker", test_record_picker_lifecycle);
  g_test_add_func ("/teren/gui/field-row/values", test_field_row_values);
  g_test_add_func ("/teren/gui/window/size-saved", test_window_size_saved);
  g_test_add_func ("/teren/gui/lifecycle/sync-indicator", test_sync_indicator_lifecycle);
  g_test_add_func ("/teren/gui/lifecycle/login-window", test_login_window_lifecycle);
  g_test_add_func ("/teren/gui/lifecycle/inbox-pages", test_inbox_pages_lifecycle);
  g_test_add_func ("/teren/gui/conflict-view/values-and-choices", test_conflict_view);
  g_test_add_func ("/teren/gui/quarantine-view/reason-and-retry", test_quarantine_view);
  g_test_add_func ("/teren/gui/window/counts-without-account", test_window_counts_without_account);
  g_test_add_func ("/teren/gui/window/narrow-keeps-sync-state", test_narrow_window_keeps_sync_state);
  g_test_add_func ("/teren/gui/serial-read/no-change", test_serial_read_no_change);
  g_test_add_func ("/teren/gui/serial-read/change-during-read", test_serial_read_change_during_read);
  g_test_add_func ("/teren/gui/serial-read/changes-during-read", test_serial_read_changes_during_read);
  g_test_add_func ("/teren/gui/serial-read/failed", test_serial_read_failed);
  g_test_add_func ("/teren/gui/serial-read/cancelled", test_serial_read_cancelled);

  return g_test_run ();
}
