/* test-gui-attachments.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "teren-attachment.h"
#include "teren-attachment-list.h"
#include "teren-form.h"
#include "teren-gui-test-util.h"
#include "teren-store-blobs.h"
#include "teren-window.h"

/* Attachments in forms (issue 8, GUI part): a case form shows its attachment field as a
 * list at the end (case.ui does not place it); files added the way the file chooser adds
 * them are imported, saved with the record and listed again with name, size and sync
 * state; refused files (too large, not really a PDF) leave the field and the record as
 * they were; Remove saves the value without that element. */

#define PNG_NAME "fotografie act.png"
#define PDF_NAME "acord semnat.pdf"

typedef struct
{
  TerenStore  *store;
  TerenWindow *window;
  TerenRecord *kase;
  char        *dir;
} Fixture;

static TerenRecord *
save_record (Fixture    *fixture,
             const char *kind,
             const char *line,
             JsonObject *fields)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) field_errors = NULL;
  TerenRecord *record = teren_store_save (fixture->store, kind, line, NULL, fields, NULL,
                                          &field_errors, &error);

  if (field_errors != NULL && field_errors->len > 0)
    g_error ("%s: %s", kind, ((TerenFieldError *) g_ptr_array_index (field_errors, 0))->message);
  g_assert_no_error (error);
  g_assert_nonnull (record);
  return record;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(JsonObject) person = json_object_new ();
  g_autoptr(JsonObject) kase = json_object_new ();
  g_autoptr(TerenRecord) person_record = NULL;
  g_autoptr(GError) error = NULL;

  fixture->store = teren_gui_test_store_new ();
  fixture->dir = g_dir_make_tmp ("teren-attachments-XXXXXX", &error);
  g_assert_no_error (error);

  json_object_set_string_member (person, "last_name", "Ionescu");
  json_object_set_string_member (person, "first_name", "Maria");
  json_object_set_string_member (person, "cnp_status", "missing");
  json_object_set_string_member (person, "sex", "F");
  person_record = save_record (fixture, "person", "", person);

  json_object_set_string_member (kase, "person", teren_record_get_id (person_record));
  json_object_set_string_member (kase, "number", "12/2026");
  json_object_set_string_member (kase, "opened_on", "2026-11-02");
  json_object_set_string_member (kase, "status", "open");
  fixture->kase = save_record (fixture, "case", "child", kase);

  fixture->window = g_object_ref (teren_window_new (NULL, fixture->store));
  gtk_window_present (GTK_WINDOW (fixture->window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_assert_cmpint (g_unlink (child), ==, 0);
    }
  g_assert_cmpint (g_rmdir (path), ==, 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->window != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (fixture->window));
      teren_gui_test_assert_finalize (g_steal_pointer (&fixture->window));
    }
  g_clear_object (&fixture->kase);
  g_clear_object (&fixture->store);
  remove_dir (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
}

/* Files */

static GFile *
write_file (Fixture    *fixture,
            const char *name,
            const char *bytes,
            gsize       length)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, bytes, length, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static GFile *
write_png (Fixture *fixture)
{
  g_autofree char *path = g_build_filename (fixture->dir, PNG_NAME, NULL);
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 40, 30);
  g_autoptr(GError) error = NULL;

  gdk_pixbuf_fill (pixbuf, 0x3366ccff);
  gdk_pixbuf_save (pixbuf, path, "png", &error, NULL);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static GFile *
write_pdf (Fixture *fixture)
{
  static const char pdf[] =
    "%PDF-1.4\n"
    "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    "2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    "trailer << /Root 1 0 R >>\n"
    "%%EOF\n";

  return write_file (fixture, PDF_NAME, pdf, sizeof pdf - 1);
}

static gint64
file_size (GFile *file)
{
  g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                 G_FILE_QUERY_INFO_NONE, NULL, NULL);

  g_assert_nonnull (info);
  return g_file_info_get_size (info);
}

/* The form */

static gboolean
flag_is_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
on_saved_cb (TerenForm   *form,
             TerenRecord *record,
             gboolean    *saved)
{
  *saved = TRUE;
}

static void
save_form (TerenForm *form)
{
  gboolean saved = FALSE;
  g_autoptr(TerenForm) hold = g_object_ref (form);
  gulong handler = g_signal_connect (form, "saved", G_CALLBACK (on_saved_cb), &saved);

  gtk_widget_activate_action (GTK_WIDGET (form), "form.save", NULL);
  teren_gui_test_wait_until (flag_is_set, &saved, "the form to be saved");
  g_signal_handler_disconnect (hold, handler);
}

static gboolean
list_is_idle (gpointer data)
{
  return !teren_attachment_list_get_busy (data);
}

/* The case's form, freshly read from the store, and its attachment list once the
 * states are read. */
static TerenAttachmentList *
open_case_form (Fixture    *fixture,
                TerenForm **out_form)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenRecord) record = teren_store_get_record (fixture->store,
                                                          teren_record_get_id (fixture->kase),
                                                          &error);
  TerenForm *form;
  TerenFieldRow *row;
  TerenAttachmentList *list;

  g_assert_no_error (error);
  form = teren_window_open_form (fixture->window, "case", NULL, record);
  g_assert_nonnull (form);
  row = teren_form_get_field (form, "attachments");
  g_assert_nonnull (row);
  list = teren_field_row_get_attachment_list (row);
  g_assert_nonnull (list);
  g_assert_true (gtk_widget_is_ancestor (GTK_WIDGET (list), GTK_WIDGET (form)));
  /* case.ui does not place it: the form adds it in a group of its own, at the end. */
  g_assert_nonnull (gtk_widget_get_ancestor (GTK_WIDGET (row), ADW_TYPE_PREFERENCES_GROUP));
  teren_gui_test_wait_until (list_is_idle, list, "the attachments' states");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  *out_form = form;
  return list;
}

static void
add_files (TerenAttachmentList *list,
           GFile               *first,
           ...)
{
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);
  va_list args;
  GFile *file;

  va_start (args, first);
  for (file = first; file != NULL; file = va_arg (args, GFile *))
    g_list_store_append (files, file);
  va_end (args);

  teren_attachment_list_add_files (list, G_LIST_MODEL (files));
  g_assert_true (teren_attachment_list_get_busy (list));
  teren_gui_test_wait_until (list_is_idle, list, "the files to be imported");
}

static JsonArray *
saved_attachments (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenRecord) record = teren_store_get_record (fixture->store,
                                                          teren_record_get_id (fixture->kase),
                                                          &error);
  JsonObject *fields;
  JsonNode *node;

  g_assert_no_error (error);
  fields = teren_record_get_fields (record);
  node = json_object_get_member (fields, "attachments");
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  return json_array_ref (json_node_get_array (node));
}

static void
add_png_and_pdf (Fixture *fixture)
{
  g_autoptr(GFile) png = write_png (fixture);
  g_autoptr(GFile) pdf = write_pdf (fixture);
  TerenForm *form = NULL;
  TerenAttachmentList *list = open_case_form (fixture, &form);

  g_assert_cmpuint (teren_attachment_list_get_n_items (list), ==, 0);
  add_files (list, png, pdf, NULL);
  g_assert_null (teren_attachment_list_get_message (list));
  g_assert_cmpuint (teren_attachment_list_get_n_items (list), ==, 2);
  g_assert_true (teren_form_get_dirty (form));
  save_form (form);
}

static const char *
row_title (TerenAttachmentList *list,
           guint                position)
{
  GtkWidget *row = teren_attachment_list_get_row (list, position);

  g_assert_true (ADW_IS_ACTION_ROW (row));
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
}

static const char *
row_subtitle (TerenAttachmentList *list,
              guint                position)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (teren_attachment_list_get_row (list, position)));
}

/* Tests */

static void
test_add_save_reopen (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GFile) png = write_png (fixture);
  g_autoptr(GFile) pdf = write_pdf (fixture);
  g_autoptr(JsonArray) saved = NULL;
  g_autofree char *png_size = g_format_size (file_size (png));
  g_autofree char *pdf_size = g_format_size (file_size (pdf));
  TerenAttachmentList *list;
  TerenForm *form = NULL;
  JsonObject *element;

  add_png_and_pdf (fixture);

  saved = saved_attachments (fixture);
  g_assert_nonnull (saved);
  g_assert_cmpuint (json_array_get_length (saved), ==, 2);
  element = json_array_get_object_element (saved, 0);
  g_assert_cmpstr (json_object_get_string_member (element, "name"), ==, PNG_NAME);
  g_assert_cmpstr (json_object_get_string_member (element, "mime"), ==, "image/png");
  g_assert_cmpint (json_object_get_int_member (element, "size"), ==, file_size (png));
  g_assert_true (teren_blob_ref_is_valid (json_object_get_string_member (element, "blob")));
  element = json_array_get_object_element (saved, 1);
  g_assert_cmpstr (json_object_get_string_member (element, "name"), ==, PDF_NAME);
  g_assert_cmpstr (json_object_get_string_member (element, "mime"), ==, "application/pdf");
  g_assert_cmpint (json_object_get_int_member (element, "size"), ==, file_size (pdf));

  /* Opened again: two rows with the names, the sizes and the state in words. */
  list = open_case_form (fixture, &form);
  g_assert_cmpuint (teren_attachment_list_get_n_items (list), ==, 2);
  g_assert_cmpstr (row_title (list, 0), ==, PNG_NAME);
  g_assert_cmpstr (row_title (list, 1), ==, PDF_NAME);
  g_assert_nonnull (strstr (row_subtitle (list, 0), png_size));
  g_assert_nonnull (strstr (row_subtitle (list, 0), "Not yet uploaded"));
  g_assert_nonnull (strstr (row_subtitle (list, 1), pdf_size));
  g_assert_nonnull (strstr (row_subtitle (list, 1), "Not yet uploaded"));
  g_assert_false (teren_form_get_dirty (form));
}

static void
assert_refused (Fixture    *fixture,
                GFile      *file,
                const char *expected)
{
  g_autoptr(JsonArray) saved = NULL;
  TerenForm *form = NULL;
  TerenAttachmentList *list = open_case_form (fixture, &form);
  g_autofree char *name = g_file_get_basename (file);
  const char *message;

  add_files (list, file, NULL);
  message = teren_attachment_list_get_message (list);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, name));
  g_assert_nonnull (strstr (message, expected));
  g_assert_cmpuint (teren_attachment_list_get_n_items (list), ==, 0);
  g_assert_null (teren_attachment_list_get_row (list, 0));
  g_assert_false (teren_form_get_dirty (form));

  /* Saving the form writes no attachment either. */
  save_form (form);
  saved = saved_attachments (fixture);
  g_assert_null (saved);
}

static void
test_too_large_refused (Fixture       *fixture,
                        gconstpointer  data)
{
  gsize length = TEREN_ATTACHMENT_MAX_SIZE + 1;
  g_autofree char *bytes = g_malloc0 (length);
  g_autoptr(GFile) file = NULL;

  memcpy (bytes, "%PDF-1.4\n", 9);
  file = write_file (fixture, "scanare mare.pdf", bytes, length);
  assert_refused (fixture, file, "larger than");
}

static void
test_fake_pdf_refused (Fixture       *fixture,
                       gconstpointer  data)
{
  static const char elf[] = "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0\x3e\0";
  g_autoptr(GFile) file = write_file (fixture, "factura.pdf", elf, sizeof elf - 1);

  assert_refused (fixture, file, "only PDF");
}

static void
test_remove (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(JsonArray) saved = NULL;
  TerenAttachmentList *list;
  TerenForm *form = NULL;
  GtkWidget *row;
  GtkWidget *child;
  GtkWidget *remove_button = NULL;

  add_png_and_pdf (fixture);
  list = open_case_form (fixture, &form);
  g_assert_cmpuint (teren_attachment_list_get_n_items (list), ==, 2);

  /* The first row's Remove button, as the user presses it: no question asked. */
  row = teren_attachment_list_get_row (list, 0);
  for (child = gtk_widget_get_first_child (row); child != NULL && remove_button == NULL; )
    {
      if (GTK_IS_BUTTON (child) &&
          g_strcmp0 (gtk_widget_get_tooltip_text (child), "Remove") == 0)
        remove_button = child;
      else if (gtk_widget_get_first_child (child) != NULL)
        child = gtk_widget_get_first_child (child);
      else
        {
          while (child != row && gtk_widget_get_next_sibling (child) == NULL)
            child = gtk_widget_get_parent (child);
          child = child == row ? NULL : gtk_widget_get_next_sibling (child);
        }
    }
  g_assert_nonnull (remove_button);
  g_signal_emit_by_name (remove_button, "clicked");

  g_assert_cmpuint (teren_attachment_list_get_n_items (list), ==, 1);
  g_assert_cmpstr (row_title (list, 0), ==, PDF_NAME);
  g_assert_true (teren_form_get_dirty (form));
  save_form (form);

  saved = saved_attachments (fixture);
  g_assert_nonnull (saved);
  g_assert_cmpuint (json_array_get_length (saved), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (saved, 0), "name"),
                   ==, PDF_NAME);
}

static gboolean
on_open_uri_cb (TerenAttachmentList *list,
                const char          *uri,
                char               **out_uri)
{
  g_free (*out_uri);
  *out_uri = g_strdup (uri);
  /* Handled: no application is started in the test. */
  return TRUE;
}

static gboolean
string_is_set (gpointer data)
{
  return *(char **) data != NULL;
}

/* Open hands the default application the stored file, whose bytes are the PNG's. */
static void
test_open_local (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GFile) png = write_png (fixture);
  g_autofree char *uri = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *stored = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  gsize expected_length = 0;
  gsize stored_length = 0;
  TerenAttachmentList *list;
  TerenForm *form = NULL;

  add_png_and_pdf (fixture);
  list = open_case_form (fixture, &form);
  g_signal_connect (list, "open-uri", G_CALLBACK (on_open_uri_cb), &uri);
  teren_attachment_list_open (list, 0);
  teren_gui_test_wait_until (string_is_set, &uri, "the attachment to be opened");
  teren_gui_test_wait_until (list_is_idle, list, "the opening to end");
  g_assert_null (teren_attachment_list_get_message (list));

  file = g_file_new_for_uri (uri);
  g_assert_true (g_file_is_native (file));
  g_file_load_contents (file, NULL, &stored, &stored_length, NULL, &error);
  g_assert_no_error (error);
  g_file_load_contents (png, NULL, &expected, &expected_length, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (stored, stored_length, expected, expected_length);
}

typedef struct
{
  TerenAttachmentList *list;
  guint                position;
  const char          *text;
} SubtitleWait;

static gboolean
subtitle_says (gpointer data)
{
  SubtitleWait *wait = data;

  return strstr (row_subtitle (wait->list, wait->position), wait->text) != NULL;
}

/* The rows follow the store: uploaded by a sync, then (on another device) only on the
 * server; opening it there without an account says why nothing opens. */
static void
test_states_follow_the_store (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) saved = NULL;
  TerenAttachmentList *list;
  TerenForm *form = NULL;
  SubtitleWait wait;
  const char *blob;

  add_png_and_pdf (fixture);
  saved = saved_attachments (fixture);
  blob = json_object_get_string_member (json_array_get_object_element (saved, 1), "blob");
  list = open_case_form (fixture, &form);
  g_assert_nonnull (strstr (row_subtitle (list, 1), "Not yet uploaded"));

  g_assert_true (teren_store_set_blob_state (fixture->store, blob, TEREN_BLOB_UPLOADED, &error));
  g_assert_no_error (error);
  wait = (SubtitleWait) { list, 1, "Uploaded" };
  teren_gui_test_wait_until (subtitle_says, &wait, "the row to say Uploaded");
  g_assert_null (strstr (row_subtitle (list, 1), "Not yet"));
  g_assert_nonnull (strstr (row_subtitle (list, 0), "Not yet uploaded"));

  g_assert_true (teren_store_set_blob_state (fixture->store, blob, TEREN_BLOB_REMOTE_ONLY, &error));
  g_assert_no_error (error);
  wait = (SubtitleWait) { list, 1, "Not downloaded" };
  teren_gui_test_wait_until (subtitle_says, &wait, "the row to say Not downloaded");
  teren_gui_test_wait_until (list_is_idle, list, "the states to be read");

  teren_attachment_list_open (list, 1);
  teren_gui_test_wait_until (list_is_idle, list, "the opening to end");
  g_assert_nonnull (teren_attachment_list_get_message (list));
  g_assert_nonnull (strstr (teren_attachment_list_get_message (list), PDF_NAME));
  g_assert_nonnull (strstr (teren_attachment_list_get_message (list), "only on the server"));
  g_assert_false (teren_form_get_dirty (form));
}

/* Tab reaches Add… and every row's Open and Remove. */
static void
test_keyboard (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GHashTable) focused = g_hash_table_new (NULL, NULL);
  TerenAttachmentList *list;
  TerenForm *form = NULL;
  guint n_buttons = 0;
  guint i;

  add_png_and_pdf (fixture);
  list = open_case_form (fixture, &form);

  for (i = 0; i < 400; i++)
    {
      GtkWidget *focus;

      gtk_widget_child_focus (GTK_WIDGET (fixture->window), GTK_DIR_TAB_FORWARD);
      focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
      if (focus != NULL)
        g_hash_table_add (focused, focus);
    }

  g_assert_true (g_hash_table_contains (focused, teren_attachment_list_get_add_button (list)));
  for (i = 0; i < teren_attachment_list_get_n_items (list); i++)
    {
      GtkWidget *row = teren_attachment_list_get_row (list, i);
      GHashTableIter iter;
      gpointer widget;

      g_hash_table_iter_init (&iter, focused);
      while (g_hash_table_iter_next (&iter, &widget, NULL))
        if (GTK_IS_BUTTON (widget) && gtk_widget_is_ancestor (widget, row))
          n_buttons++;
    }
  /* Open and Remove of both rows. */
  g_assert_cmpuint (n_buttons, ==, 4);
}

int
main (int    argc,
      char **argv)
{
  teren_gui_test_init (&argc, &argv);

  g_test_add ("/gui/attachments/add-save-reopen", Fixture, NULL,
              fixture_set_up, test_add_save_reopen, fixture_tear_down);
  g_test_add ("/gui/attachments/too-large-refused", Fixture, NULL,
              fixture_set_up, test_too_large_refused, fixture_tear_down);
  g_test_add ("/gui/attachments/fake-pdf-refused", Fixture, NULL,
              fixture_set_up, test_fake_pdf_refused, fixture_tear_down);
  g_test_add ("/gui/attachments/remove", Fixture, NULL,
              fixture_set_up, test_remove, fixture_tear_down);
  g_test_add ("/gui/attachments/open-local", Fixture, NULL,
              fixture_set_up, test_open_local, fixture_tear_down);
  g_test_add ("/gui/attachments/states-follow-the-store", Fixture, NULL,
              fixture_set_up, test_states_follow_the_store, fixture_tear_down);
  g_test_add ("/gui/attachments/keyboard", Fixture, NULL,
              fixture_set_up, test_keyboard, fixture_tear_down);

  return g_test_run ();
}
