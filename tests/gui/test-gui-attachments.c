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
#ifdef TEREN_TEST_WITH_SERVER
#include "teren-server-test-util.h"
#endif

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
  person_record = teren_gui_test_save_record (fixture->store, "person", "", person);

  json_object_set_string_member (kase, "person", teren_record_get_id (person_record));
  json_object_set_string_member (kase, "number", "12/2026");
  json_object_set_string_member (kase, "opened_on", "2026-11-02");
  json_object_set_string_member (kase, "status", "open");
  fixture->kase = teren_gui_test_save_record (fixture->store, "case", "child", kase);

  fixture->window = teren_gui_test_window_new (fixture->store);
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

static void
on_saved_cb (TerenForm   *form,
             TerenRecord *record,
             gboolean    *saved)
{
  *saved = TRUE;
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

  /* Saved while the files are still being imported: refused, they would be left out. */
  {
    g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);
    gboolean saved = FALSE;
    gulong handler = g_signal_connect (form, "saved", G_CALLBACK (on_saved_cb), &saved);

    g_list_store_append (files, png);
    teren_attachment_list_add_files (list, G_LIST_MODEL (files));
    g_assert_true (teren_attachment_list_get_importing (list));
    gtk_widget_activate_action (GTK_WIDGET (form), "form.save", NULL);
    teren_gui_test_wait_until (list_is_idle, list, "the file to be imported");
    g_assert_false (saved);
    g_assert_false (teren_form_get_busy (form));
    g_signal_handler_disconnect (form, handler);
    g_assert_cmpuint (teren_attachment_list_get_n_items (list), ==, 1);
  }

  /* Both files; the PNG again is the same attachment, listed once. */
  add_files (list, png, pdf, NULL);
  g_assert_null (teren_attachment_list_get_message (list));
  g_assert_cmpuint (teren_attachment_list_get_n_items (list), ==, 2);
  g_assert_true (teren_form_get_dirty (form));
  g_free (teren_gui_test_save_form (form));
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
  g_free (teren_gui_test_save_form (form));
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
  g_free (teren_gui_test_save_form (form));

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

#ifdef TEREN_TEST_WITH_SERVER

/* With the real teren-server and the test session's keyring: an attachment saved on one
 * laptop is listed on another as not downloaded; Open downloads it (a spinner in its row)
 * and hands the default application the same bytes. */

#define USER     "ana"
#define PASSWORD "parola-ana-1"
/* Above the prefetch size: a pull leaves it on the server. */
#define BIG_PDF_SIZE (300 * 1024)

static TerenSyncEngine *
logged_in_engine (TerenTestServer *server,
                  const char      *data_dir)
{
  TerenSyncEngine *engine = teren_sync_engine_new ();

  teren_gui_test_login (engine, server->base_url, USER, PASSWORD, data_dir);
  return engine;
}

static void
test_download_on_open (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *bin = g_getenv ("TEREN_SERVER_BIN");
  g_autoptr(TerenTestServer) server = NULL;
  g_autofree char *dir_a = g_build_filename (g_get_user_data_dir (), "laptop-a", NULL);
  g_autofree char *dir_b = g_build_filename (g_get_user_data_dir (), "laptop-b", NULL);
  g_autofree char *pdf_path = g_build_filename (fixture->dir, "dosar scanat.pdf", NULL);
  g_autofree char *bytes = g_malloc (BIG_PDF_SIZE);
  g_autofree char *stored = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(TerenSyncEngine) engine_a = NULL;
  g_autoptr(TerenSyncEngine) engine_b = NULL;
  g_autoptr(JsonObject) person = json_object_new ();
  g_autoptr(JsonObject) kase = json_object_new ();
  g_autoptr(JsonArray) attachments = json_array_new ();
  g_autoptr(TerenRecord) person_record = NULL;
  g_autoptr(TerenRecord) case_record = NULL;
  g_autoptr(TerenRecord) pulled = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  TerenStore *store_a;
  TerenStore *store_b;
  TerenWindow *window;
  TerenForm *form;
  TerenAttachmentList *list;
  JsonObject *element;
  gsize stored_length = 0;
  SubtitleWait wait;
  guint i;

  if (bin == NULL || !g_file_test (bin, G_FILE_TEST_IS_EXECUTABLE) ||
      g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_test_skip ("needs TEREN_SERVER_BIN and the test session (build-aux/test-session.sh)");
      return;
    }

  server = teren_test_server_new ();
  teren_test_server_add_user (server, USER, PASSWORD, "child", "worker");
  teren_test_server_start (server);

  /* Laptop A: a case with a scanned PDF, synced. */
  memcpy (bytes, "%PDF-1.4\n", 9);
  for (i = 9; i < BIG_PDF_SIZE; i++)
    bytes[i] = 'a' + i % 26;
  g_file_set_contents (pdf_path, bytes, BIG_PDF_SIZE, &error);
  g_assert_no_error (error);

  engine_a = logged_in_engine (server, dir_a);
  store_a = teren_sync_engine_get_store (engine_a);
  element = teren_store_import_blob (store_a, pdf_path, NULL, &error);
  g_assert_no_error (error);
  json_array_add_object_element (attachments, element);
  json_object_set_string_member (person, "last_name", "Ionescu");
  json_object_set_string_member (person, "first_name", "Maria");
  json_object_set_string_member (person, "cnp_status", "missing");
  json_object_set_string_member (person, "sex", "F");
  person_record = teren_store_save (store_a, "person", "", NULL, person, NULL, NULL, &error);
  g_assert_no_error (error);
  json_object_set_string_member (kase, "person", teren_record_get_id (person_record));
  json_object_set_string_member (kase, "opened_on", "2026-11-02");
  json_object_set_string_member (kase, "status", "open");
  json_object_set_array_member (kase, "attachments", g_steal_pointer (&attachments));
  case_record = teren_store_save (store_a, "case", "child", NULL, kase, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (case_record);
  teren_gui_test_sync_round (engine_a);
  teren_sync_engine_stop (engine_a);

  /* Laptop B: the case arrives, its PDF stays on the server. */
  engine_b = logged_in_engine (server, dir_b);
  store_b = teren_sync_engine_get_store (engine_b);
  teren_gui_test_sync_round (engine_b);
  pulled = teren_store_get_record (store_b, teren_record_get_id (case_record), &error);
  g_assert_no_error (error);

  window = g_object_ref (teren_window_new (NULL, NULL));
  teren_window_set_engine (window, engine_b);
  gtk_window_present (GTK_WINDOW (window));
  form = teren_window_open_form (window, "case", NULL, pulled);
  list = teren_field_row_get_attachment_list (teren_form_get_field (form, "attachments"));
  teren_gui_test_wait_until (list_is_idle, list, "the attachment's state");
  g_assert_cmpuint (teren_attachment_list_get_n_items (list), ==, 1);
  g_assert_cmpstr (row_title (list, 0), ==, "dosar scanat.pdf");
  g_assert_nonnull (strstr (row_subtitle (list, 0), "Not downloaded"));

  g_signal_connect (list, "open-uri", G_CALLBACK (on_open_uri_cb), &uri);
  teren_attachment_list_open (list, 0);
  g_assert_true (teren_attachment_list_get_busy (list));
  teren_gui_test_wait_until (string_is_set, &uri, "the attachment to be downloaded and opened");
  teren_gui_test_wait_until (list_is_idle, list, "the download to end");
  g_assert_null (teren_attachment_list_get_message (list));
  wait = (SubtitleWait) { list, 0, "Uploaded" };
  teren_gui_test_wait_until (subtitle_says, &wait, "the row to say it is here");

  file = g_file_new_for_uri (uri);
  g_file_load_contents (file, NULL, &stored, &stored_length, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (stored, stored_length, bytes, BIG_PDF_SIZE);
  g_assert_false (teren_form_get_dirty (form));

  gtk_window_destroy (GTK_WINDOW (window));
  teren_gui_test_assert_finalize (window);
  teren_sync_engine_stop (engine_b);
  /* Let cancelled work finish before the server goes. */
  teren_gui_test_spin (50);
}

#endif

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
#ifdef TEREN_TEST_WITH_SERVER
  /* The isolated XDG dirs hide the desktop's proxy settings schema, which GNOME's proxy
   * resolver would read for the loopback server. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
#endif
  teren_gui_test_init (&argc, &argv);

  /* In four programs (TEREN_ATTACHMENTS_GROUP), so that each stays short under the
   * sanitizers: every test opens a whole window. */
#define ADD(group, path, func) \
  if (group == TEREN_ATTACHMENTS_GROUP) \
    g_test_add ("/gui/attachments/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD (1, "add-save-reopen", test_add_save_reopen);
  ADD (1, "keyboard", test_keyboard);
  ADD (2, "too-large-refused", test_too_large_refused);
  ADD (2, "fake-pdf-refused", test_fake_pdf_refused);
  ADD (3, "remove", test_remove);
  ADD (3, "open-local", test_open_local);
  ADD (3, "states-follow-the-store", test_states_follow_the_store);
#ifdef TEREN_TEST_WITH_SERVER
  ADD (4, "download-on-open", test_download_on_open);
#endif

#undef ADD

  return g_test_run ();
}
