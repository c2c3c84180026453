/* test-store-blobs.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Attachments' bytes in the store (issue 8 "Attachments"): PDF, JPEG and PNG imported by
 * content, large images scaled down, 10 MiB limit, content-addressed and idempotent, the
 * sync state of each blob; refusals give a clear error and store nothing. */

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <utime.h>

#include <glib/gstdio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "teren-error.h"
#include "teren-json.h"
#include "teren-store.h"
#include "teren-store-blobs.h"
#include "teren-store-sync.h"
#include "teren-store-test-util.h"

#define PDF_TEXT "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

typedef struct
{
  char        *dir;
  char        *files;     /* where the test writes the files to import */
  TerenStore  *store;
  TerenRecord *person;
  GPtrArray   *changed;   /* ids of "record-changed" with kind "blob" */
} Fixture;

static void
on_record_changed_cb (TerenStore *store,
                      const char *id,
                      const char *kind,
                      gpointer    data)
{
  Fixture *fixture = data;

  if (g_strcmp0 (kind, TEREN_STORE_BLOB_KIND) == 0)
    g_ptr_array_add (fixture->changed, g_strdup (id));
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cnp = test_make_cnp ('F', 1985, 3, 14, 12);
  g_autoptr(JsonObject) fields = test_person_fields ("Popescu", "Maria", "F", "1985-03-14", cnp);

  fixture->dir = g_dir_make_tmp ("teren-blobs-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->files = g_dir_make_tmp ("teren-blob-files-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->store = teren_store_open (fixture->dir, &error);
  g_assert_no_error (error);
  fixture->person = teren_store_save (fixture->store, "person", "", NULL, fields, NULL, NULL, &error);
  g_assert_no_error (error);
  fixture->changed = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (fixture->store, "record-changed", G_CALLBACK (on_record_changed_cb), fixture);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->person);
  g_clear_object (&fixture->store);
  test_rm_rf (fixture->dir);
  test_rm_rf (fixture->files);
  g_free (fixture->dir);
  g_free (fixture->files);
  g_ptr_array_unref (fixture->changed);
}

static char *
write_file (Fixture    *fixture,
            const char *name,
            const char *data,
            gsize       size)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture->files, name, NULL);

  g_file_set_contents (path, data, (gssize) size, &error);
  g_assert_no_error (error);
  return path;
}

/* A width × height image with a gradient, saved as @type ("png" or "jpeg"). */
static char *
write_image (Fixture    *fixture,
             const char *name,
             const char *type,
             int         width,
             int         height)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture->files, name, NULL);
  guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  int x, y;

  for (y = 0; y < height; y++)
    for (x = 0; x < width; x++)
      {
        guchar *p = pixels + y * stride + x * 3;

        p[0] = (guchar) (x * 255 / width);
        p[1] = (guchar) (y * 255 / height);
        p[2] = (guchar) ((x + y) & 0xff);
      }
  gdk_pixbuf_save (pixbuf, path, type, &error, NULL);
  g_assert_no_error (error);
  return path;
}

static guint
count_rows (Fixture    *fixture,
            const char *sql)
{
  sqlite3 *db = test_db_open (fixture->dir, TRUE);
  gint64 n = test_db_int (db, sql);

  sqlite3_close (db);
  return (guint) n;
}

static guint
count_blob_files (Fixture *fixture)
{
  g_autofree char *path = g_build_filename (fixture->dir, "blobs", NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* Signals are emitted from a source on the default main context. */
static void
flush_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Imports @path, checks the attachment object and the stored file against @expected (the
 * bytes that should be stored, %NULL to skip) and returns the object. */
static JsonObject *
import_ok (Fixture    *fixture,
           const char *path,
           const char *mime,
           GBytes     *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = teren_store_import_blob (fixture->store, path, NULL, &error);
  g_autofree char *stored_path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *hex = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = g_path_get_basename (path);
  const char *blob;
  gsize length = 0;
  GStatBuf st;
  TerenBlobState state = TEREN_BLOB_DOWNLOADED;

  g_assert_no_error (error);
  g_assert_nonnull (object);
  blob = json_object_get_string_member (object, "blob");
  g_assert_true (teren_blob_ref_is_valid (blob));
  g_assert_cmpstr (json_object_get_string_member (object, "mime"), ==, mime);
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, base);
  g_assert_cmpuint (json_object_get_size (object), ==, 4);

  stored_path = teren_store_get_blob_path (fixture->store, blob, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (stored_path, &contents, &length, NULL));
  g_assert_cmpint (json_object_get_int_member (object, "size"), ==, (gint64) length);
  hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
  g_assert_cmpstr (blob + strlen ("sha256:"), ==, hex);
  if (expected != NULL)
    {
      g_assert_cmpuint (g_bytes_get_size (expected), ==, length);
      g_assert_true (memcmp (g_bytes_get_data (expected, NULL), contents, length) == 0);
    }

  /* 0600 in a 0700 folder inside the account's store directory. */
  g_assert_true (g_str_has_prefix (stored_path, fixture->dir));
  g_assert_cmpint (g_stat (stored_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  dir = g_path_get_dirname (stored_path);
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  g_assert_true (teren_store_get_blob_state (fixture->store, blob, &state, &error));
  g_assert_no_error (error);
  g_assert_cmpint (state, ==, TEREN_BLOB_LOCAL_ONLY);
  return g_steal_pointer (&object);
}

/* Decodes a stored image (GDK's file sniffing needs the MIME database, which the isolated
 * test folders hide). */
static GdkPixbuf *
load_image (const char *path,
            const char *mime)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_mime_type (mime, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_nonnull (loader);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  gdk_pixbuf_loader_write (loader, (const guchar *) contents, length, &error);
  g_assert_no_error (error);
  gdk_pixbuf_loader_close (loader, &error);
  g_assert_no_error (error);
  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}

static GBytes *
file_bytes (const char *path)
{
  char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_bytes_new_take (contents, length);
}

static void
test_import_formats (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *pdf = write_file (fixture, "Acord semnat.pdf", PDF_TEXT, strlen (PDF_TEXT));
  g_autofree char *jpeg = write_image (fixture, "certificat.jpg", "jpeg", 640, 480);
  g_autofree char *png = write_image (fixture, "scan.png", "png", 300, 200);
  g_autoptr(GBytes) pdf_bytes = file_bytes (pdf);
  g_autoptr(GBytes) jpeg_bytes = file_bytes (jpeg);
  g_autoptr(GBytes) png_bytes = file_bytes (png);
  g_autoptr(JsonObject) a = NULL;
  g_autoptr(JsonObject) b = NULL;
  g_autoptr(JsonObject) c = NULL;
  g_autoptr(JsonObject) named = NULL;
  g_autoptr(GError) error = NULL;

  /* Small files are stored byte for byte. */
  a = import_ok (fixture, pdf, "application/pdf", pdf_bytes);
  b = import_ok (fixture, jpeg, "image/jpeg", jpeg_bytes);
  c = import_ok (fixture, png, "image/png", png_bytes);
  g_assert_cmpuint (count_rows (fixture, "SELECT count(*) FROM blob WHERE state = 0"), ==, 3);
  g_assert_cmpuint (count_blob_files (fixture), ==, 3);

  /* The name shown can be given; folders and control characters never get into it. */
  named = teren_store_import_blob (fixture->store, pdf, "../x/Cerere\n2026.pdf", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (named, "name"), ==, "Cerere_2026.pdf");
  g_assert_cmpstr (json_object_get_string_member (named, "blob"), ==,
                   json_object_get_string_member (a, "blob"));

  /* Each state change is told with "record-changed" (kind "blob"). */
  flush_main_context ();
  g_assert_true (g_ptr_array_find_with_equal_func (fixture->changed,
                                                   json_object_get_string_member (c, "blob"),
                                                   g_str_equal, NULL));
}

/* Refused: the error, and no row or file stored. */
static void
assert_refused (Fixture    *fixture,
                const char *path,
                int         code,
                const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *before = test_store_digest (fixture->dir);
  g_autofree char *after = NULL;

  object = teren_store_import_blob (fixture->store, path, NULL, &error);
  g_assert_null (object);
  g_assert_error (error, TEREN_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_cmpuint (count_rows (fixture, "SELECT count(*) FROM blob"), ==, 0);
  g_assert_cmpuint (count_blob_files (fixture), ==, 0);
  after = test_store_digest (fixture->dir);
  g_assert_cmpstr (before, ==, after);
}

static void
test_too_large (Fixture       *fixture,
                gconstpointer  data)
{
  gsize size = 20 * 1024 * 1024;
  g_autofree char *big = g_malloc0 (size);
  g_autofree char *path = NULL;
  g_autofree char *just_over = NULL;

  memcpy (big, PDF_TEXT, strlen (PDF_TEXT));
  path = write_file (fixture, "dosar complet.pdf", big, size);
  assert_refused (fixture, path, TEREN_ERROR_TOO_LARGE, "The file is larger than 10 MiB");

  /* One byte over the limit. */
  just_over = write_file (fixture, "over.pdf", big, TEREN_ATTACHMENT_MAX_SIZE + 1);
  assert_refused (fixture, just_over, TEREN_ERROR_TOO_LARGE, "The file is larger than 10 MiB");
}

static void
test_refused_content (Fixture       *fixture,
                      gconstpointer  data)
{
  static const char elf[] = "\177ELF\002\001\001\000\000\000\000\000\000\000\000\000\002\000>\000";
  g_autofree char *exe = write_file (fixture, "factura.pdf", elf, sizeof elf);
  g_autofree char *text = write_file (fixture, "poza.jpg", "not an image at all", 19);
  g_autofree char *empty = write_file (fixture, "gol.png", "", 0);
  g_autofree char *broken = NULL;
  g_autofree char *fake_jpeg = NULL;
  g_autofree char *fake_png = NULL;
  g_autofree char *png = write_image (fixture, "whole.png", "png", 50, 50);
  g_autofree char *contents = NULL;
  gsize length = 0;

  assert_refused (fixture, exe, TEREN_ERROR_INVALID, "Only PDF, JPEG and PNG files can be attached");
  assert_refused (fixture, text, TEREN_ERROR_INVALID, "Only PDF, JPEG and PNG files can be attached");
  assert_refused (fixture, empty, TEREN_ERROR_INVALID, "Only PDF, JPEG and PNG files can be attached");
  assert_refused (fixture, fixture->files, TEREN_ERROR_INVALID, "Only PDF, JPEG and PNG files can be attached");

  /* A PNG cut in the middle, a JPEG and a PNG whose first bytes only are right. */
  g_assert_true (g_file_get_contents (png, &contents, &length, NULL));
  broken = write_file (fixture, "cut.png", contents, length / 2);
  assert_refused (fixture, broken, TEREN_ERROR_INVALID, "The image cannot be read");
  fake_jpeg = write_file (fixture, "fake.jpg", "\377\330\377garbage, not a JPEG at all", 29);
  assert_refused (fixture, fake_jpeg, TEREN_ERROR_INVALID, "The image cannot be read");
  fake_png = write_file (fixture, "fake.png", "\211PNG\r\n\032\nthis is text, not PNG chunks....IEND\256B`\202", 48);
  assert_refused (fixture, fake_png, TEREN_ERROR_INVALID, "The image cannot be read");
}

static void
test_downscale (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *png = write_image (fixture, "plan.png", "png", 3000, 1500);
  g_autofree char *jpeg = write_image (fixture, "tall.jpg", "jpeg", 1200, 2600);
  g_autoptr(JsonObject) a = import_ok (fixture, png, "image/png", NULL);
  g_autoptr(JsonObject) b = import_ok (fixture, jpeg, "image/jpeg", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *path_a = teren_store_get_blob_path (fixture->store, json_object_get_string_member (a, "blob"), &error);
  g_autofree char *path_b = teren_store_get_blob_path (fixture->store, json_object_get_string_member (b, "blob"), &error);
  g_autoptr(GdkPixbuf) pa = NULL;
  g_autoptr(GdkPixbuf) pb = NULL;
  g_autoptr(GBytes) original = file_bytes (png);
  g_autofree char *original_hex = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, original);

  g_assert_no_error (error);
  pa = load_image (path_a, "image/png");
  pb = load_image (path_b, "image/jpeg");
  g_assert_cmpint (MAX (gdk_pixbuf_get_width (pa), gdk_pixbuf_get_height (pa)), <=, TEREN_BLOB_MAX_IMAGE_SIDE);
  g_assert_cmpint (gdk_pixbuf_get_width (pa), ==, 2000);
  g_assert_cmpint (gdk_pixbuf_get_height (pa), ==, 1000);
  g_assert_cmpint (gdk_pixbuf_get_height (pb), ==, 2000);
  g_assert_cmpint (gdk_pixbuf_get_width (pb), <=, 1200 * 2000 / 2600 + 1);
  /* The hash is that of the stored (smaller) image. */
  g_assert_false (g_str_has_suffix (json_object_get_string_member (a, "blob"), original_hex));
}

static void
test_idempotent (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *pdf = write_file (fixture, "a.pdf", PDF_TEXT, strlen (PDF_TEXT));
  g_autofree char *copy = write_file (fixture, "copie.pdf", PDF_TEXT, strlen (PDF_TEXT));
  g_autofree char *png = write_image (fixture, "big.png", "png", 2500, 2500);
  g_autoptr(JsonObject) a = import_ok (fixture, pdf, "application/pdf", NULL);
  g_autoptr(JsonObject) b = NULL;
  g_autoptr(JsonObject) c = NULL;
  g_autoptr(JsonObject) d = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *sum_before = NULL;
  g_autofree char *sum_after = NULL;
  TerenBlobState state;
  const char *blob = json_object_get_string_member (a, "blob");

  g_assert_true (teren_store_set_blob_state (fixture->store, blob, TEREN_BLOB_UPLOADED, &error));
  g_assert_no_error (error);
  path = teren_store_get_blob_path (fixture->store, blob, &error);
  sum_before = test_file_checksum (path);

  /* The same content again (under another name): the same blob, nothing rewritten, the
   * state kept. */
  b = teren_store_import_blob (fixture->store, copy, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (b, "blob"), ==, blob);
  g_assert_cmpstr (json_object_get_string_member (b, "name"), ==, "copie.pdf");
  g_assert_true (teren_store_get_blob_state (fixture->store, blob, &state, &error));
  g_assert_cmpint (state, ==, TEREN_BLOB_UPLOADED);
  sum_after = test_file_checksum (path);
  g_assert_cmpstr (sum_before, ==, sum_after);
  g_assert_cmpuint (count_rows (fixture, "SELECT count(*) FROM blob"), ==, 1);
  g_assert_cmpuint (count_blob_files (fixture), ==, 1);

  /* A downscaled image gives the same blob each time. */
  c = teren_store_import_blob (fixture->store, png, NULL, &error);
  g_assert_no_error (error);
  d = teren_store_import_blob (fixture->store, png, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (c, "blob"), ==, json_object_get_string_member (d, "blob"));
  g_assert_cmpuint (count_rows (fixture, "SELECT count(*) FROM blob"), ==, 2);
  g_assert_cmpuint (count_blob_files (fixture), ==, 2);
}

static JsonObject *
case_with_attachments (Fixture    *fixture,
                       const char *attachments_json)
{
  g_autoptr(JsonObject) fields = json_object_new ();

  json_object_set_string_member (fields, "person", teren_record_get_id (fixture->person));
  json_object_set_string_member (fields, "opened_on", "2026-01-10");
  json_object_set_string_member (fields, "status", "open");
  json_object_set_member (fields, "attachments", json_from_string (attachments_json, NULL));
  return g_steal_pointer (&fields);
}

/* Bad attachment values are refused by the schema on save: the code, and nothing saved. */
static void
test_bad_values (Fixture       *fixture,
                 gconstpointer  data)
{
  const struct {
    const char *json;
    const char *code;
  } cases[] = {
    { "\"sha256:0123\"", "bad_type" },
    { "[{\"blob\": \"sha256:0123\", \"size\": 1, \"mime\": \"image/png\", \"name\": \"a.png\"}]", "bad_blob_ref" },
    { "[{\"blob\": \"sha256:" "0000000000000000000000000000000000000000000000000000000000000000"
      "\", \"size\": 20971520, \"mime\": \"application/pdf\", \"name\": \"a.pdf\"}]", "attachment_too_large" },
    { "[{\"blob\": \"sha256:" "0000000000000000000000000000000000000000000000000000000000000000"
      "\", \"size\": 10, \"mime\": \"application/x-msdownload\", \"name\": \"a.pdf\"}]", "bad_mime" },
    { "[{\"blob\": \"sha256:" "0000000000000000000000000000000000000000000000000000000000000000"
      "\", \"size\": 10, \"mime\": \"image/png\", \"name\": \"a.png\", \"data\": \"iVBORw0KGgo=\"}]", "bad_attachment" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) fields = case_with_attachments (fixture, cases[i].json);
      g_autoptr(GPtrArray) field_errors = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(TerenRecord) record = NULL;
      g_autofree char *before = test_store_digest (fixture->dir);
      g_autofree char *after = NULL;
      TerenFieldError *field_error;

      record = teren_store_save (fixture->store, "case", "child", NULL, fields, NULL, &field_errors, &error);
      g_assert_null (record);
      g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
      g_assert_nonnull (field_errors);
      g_assert_cmpuint (field_errors->len, ==, 1);
      field_error = g_ptr_array_index (field_errors, 0);
      g_assert_cmpstr (field_error->field, ==, "attachments");
      g_assert_cmpstr (field_error->code, ==, cases[i].code);
      g_assert_cmpuint (strlen (field_error->message), >, 10);
      after = test_store_digest (fixture->dir);
      g_assert_cmpstr (before, ==, after);
    }
  g_assert_cmpuint (count_rows (fixture, "SELECT count(*) FROM record WHERE kind = 'case'"), ==, 0);
}

/* Applies a pull page holding one case of the child line, always the same id, at @rev. */
static void
pull_case (TerenStore *store,
           gint64      rev,
           const char *fields)
{
  g_autofree char *record = g_strdup_printf ("{\"id\":\"00000000-0000-4000-8000-000000000001\","
                                             "\"kind\":\"case\",\"line\":\"child\",\"rev\":%" G_GINT64_FORMAT ","
                                             "\"seq\":%" G_GINT64_FORMAT ",\"deleted\":false,\"fields\":%s,"
                                             "\"updated_by\":\"maria\",\"updated_at\":\"2026-12-01T09:00:00Z\"}",
                                             rev, rev, fields);
  g_autofree char *cursor = g_strdup_printf ("c%" G_GINT64_FORMAT, rev);

  test_pull_page (store, record, "", cursor, "e1");
}

/* A saved case's pending operation names its blobs; a record arriving in base (as a pull
 * writes it) makes its blobs known as remote only, to download with a hash check. */
static void
test_states (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *pdf = write_file (fixture, "a.pdf", PDF_TEXT, strlen (PDF_TEXT));
  g_autoptr(JsonObject) local = import_ok (fixture, pdf, "application/pdf", NULL);
  const char *local_blob = json_object_get_string_member (local, "blob");
  g_autoptr(JsonArray) list = json_array_new ();
  g_autoptr(JsonNode) list_node = NULL;
  g_autofree char *list_json = NULL;
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(TerenRecord) kase = NULL;
  g_autoptr(GHashTable) pending = NULL;
  g_autoptr(GPtrArray) remote = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *remote_text = g_strdup ("remote attachment bytes: %PDF- not at the start");
  g_autofree char *remote_pdf = g_strdup (PDF_TEXT "remote");
  g_autoptr(GBytes) remote_bytes = g_bytes_new (remote_pdf, strlen (remote_pdf));
  g_autoptr(GBytes) wrong_bytes = g_bytes_new (remote_text, strlen (remote_text));
  g_autofree char *remote_hex = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, remote_bytes);
  g_autofree char *remote_blob = g_strconcat ("sha256:", remote_hex, NULL);
  g_autofree char *big_blob = g_strconcat ("sha256:", "1111111111111111111111111111111111111111111111111111111111111111", NULL);
  g_autofree char *base_fields = NULL;
  g_autofree char *path = NULL;
  g_autofree char *checksum = NULL;
  GPtrArray *ids;
  TerenBlobState state;

  json_array_add_object_element (list, json_object_ref (local));
  list_node = json_node_init_array (json_node_alloc (), list);
  list_json = json_to_string (list_node, FALSE);
  fields = case_with_attachments (fixture, list_json);
  kase = teren_store_save (fixture->store, "case", "child", NULL, fields, NULL, NULL, &error);
  g_assert_no_error (error);

  pending = teren_store_list_pending_op_blobs (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (pending), ==, 1);
  ids = g_hash_table_lookup (pending, local_blob);
  g_assert_nonnull (ids);
  g_assert_cmpuint (ids->len, ==, 1);

  /* A record pulled from the server: its blobs become known. */
  base_fields = g_strdup_printf ("{\"person\": \"%s\", \"attachments\": ["
                                 "{\"blob\": \"%s\", \"size\": %" G_GSIZE_FORMAT ", \"mime\": \"application/pdf\", \"name\": \"r.pdf\"},"
                                 "{\"blob\": \"%s\", \"size\": 900000, \"mime\": \"image/jpeg\", \"name\": \"big.jpg\"},"
                                 "{\"blob\": \"%s\", \"size\": 10, \"mime\": \"application/pdf\", \"name\": \"a.pdf\"}]}",
                                 teren_record_get_id (fixture->person), remote_blob,
                                 g_bytes_get_size (remote_bytes), big_blob, local_blob);
  pull_case (fixture->store, 1, base_fields);

  g_assert_true (teren_store_get_blob_state (fixture->store, remote_blob, &state, &error));
  g_assert_cmpint (state, ==, TEREN_BLOB_REMOTE_ONLY);
  g_assert_true (teren_store_get_blob_state (fixture->store, local_blob, &state, &error));
  g_assert_cmpint (state, ==, TEREN_BLOB_LOCAL_ONLY);

  /* The record pulled again at later revisions (its base row updated): no error, and the
   * known blobs keep their state. */
  pull_case (fixture->store, 2, base_fields);
  pull_case (fixture->store, 3, base_fields);
  g_assert_true (teren_store_get_blob_state (fixture->store, local_blob, &state, &error));
  g_assert_cmpint (state, ==, TEREN_BLOB_LOCAL_ONLY);
  g_assert_cmpuint (count_rows (fixture, "SELECT count(*) FROM blob"), ==, 3);

  path = teren_store_get_blob_path (fixture->store, remote_blob, &error);
  g_assert_null (path);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Small ones are offered for prefetch. */
  remote = teren_store_list_remote_blobs (fixture->store, 256 * 1024, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (remote->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (remote, 0), ==, remote_blob);

  /* Downloaded bytes must hash to the name. */
  path = teren_store_save_downloaded_blob (fixture->store, remote_blob, wrong_bytes, &error);
  g_assert_null (path);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_CORRUPT);
  g_clear_error (&error);
  g_assert_true (teren_store_get_blob_state (fixture->store, remote_blob, &state, &error));
  g_assert_cmpint (state, ==, TEREN_BLOB_REMOTE_ONLY);

  path = teren_store_save_downloaded_blob (fixture->store, remote_blob, remote_bytes, &error);
  g_assert_no_error (error);
  g_assert_nonnull (path);
  g_assert_true (teren_store_get_blob_state (fixture->store, remote_blob, &state, &error));
  g_assert_cmpint (state, ==, TEREN_BLOB_DOWNLOADED);
  g_clear_pointer (&path, g_free);
  path = teren_store_get_blob_path (fixture->store, remote_blob, &error);
  g_assert_no_error (error);
  checksum = test_file_checksum (path);
  g_assert_cmpstr (checksum, ==, remote_hex);

  /* Unknown and malformed references. */
  g_assert_true (teren_store_get_blob_state (fixture->store, big_blob, &state, &error));
  g_assert_cmpint (state, ==, TEREN_BLOB_REMOTE_ONLY);
  g_assert_false (teren_store_get_blob_state (fixture->store, "sha256:XYZ", &state, &error));
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
}

/* Blobs nothing refers to any more go (rows and files); blobs imported here and never
 * uploaded stay, and so do those a record, a waiting operation or a base row uses. */
static void
test_collect (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *pdf = write_file (fixture, "a.pdf", PDF_TEXT, strlen (PDF_TEXT));
  g_autofree char *png = write_image (fixture, "b.png", "png", 20, 20);
  g_autofree char *jpeg = write_image (fixture, "c.jpg", "jpeg", 20, 20);
  g_autoptr(JsonObject) used = import_ok (fixture, pdf, "application/pdf", NULL);
  g_autoptr(JsonObject) loose = import_ok (fixture, png, "image/png", NULL);
  g_autoptr(JsonObject) purged = import_ok (fixture, jpeg, "image/jpeg", NULL);
  g_autoptr(JsonArray) list = json_array_new ();
  g_autoptr(JsonNode) list_node = NULL;
  g_autofree char *list_json = NULL;
  g_autofree char *base_fields = NULL;
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(TerenRecord) kase = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  TerenBlobState state;
  char *sql;
  sqlite3 *db;

  /* The PDF is used by a saved case; the JPEG only by a base row (as pulled), both uploaded. */
  json_array_add_object_element (list, json_object_ref (used));
  list_node = json_node_init_array (json_node_alloc (), list);
  list_json = json_to_string (list_node, FALSE);
  fields = case_with_attachments (fixture, list_json);
  kase = teren_store_save (fixture->store, "case", "child", NULL, fields, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (teren_store_set_blob_state (fixture->store, json_object_get_string_member (used, "blob"),
                                             TEREN_BLOB_UPLOADED, &error));
  g_assert_true (teren_store_set_blob_state (fixture->store, json_object_get_string_member (purged, "blob"),
                                             TEREN_BLOB_DOWNLOADED, &error));
  base_fields = g_strdup_printf ("{\"attachments\": [{\"blob\": \"%s\", \"size\": 10,"
                                 " \"mime\": \"image/jpeg\", \"name\": \"c.jpg\"}]}",
                                 json_object_get_string_member (purged, "blob"));
  db = test_db_open (fixture->dir, FALSE);
  sql = sqlite3_mprintf ("INSERT INTO base (id, kind, line, rev, fields) VALUES "
                         "('00000000-0000-4000-8000-000000000002', 'case', 'child', 1, %Q)", base_fields);
  test_db_exec (db, sql);
  sqlite3_free (sql);
  sqlite3_close (db);

  g_assert_cmpint (teren_store_blobs_collect (fixture->store, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpuint (count_blob_files (fixture), ==, 3);

  /* The base row goes (a purge): its attachment goes with it. */
  db = test_db_open (fixture->dir, FALSE);
  test_db_exec (db, "DELETE FROM base WHERE id = '00000000-0000-4000-8000-000000000002'");
  sqlite3_close (db);
  g_assert_cmpint (teren_store_blobs_collect (fixture->store, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpuint (count_blob_files (fixture), ==, 2);
  path = teren_store_get_blob_path (fixture->store, json_object_get_string_member (purged, "blob"), &error);
  g_assert_null (path);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (teren_store_get_blob_state (fixture->store, json_object_get_string_member (used, "blob"),
                                             &state, &error));
  g_assert_cmpint (state, ==, TEREN_BLOB_UPLOADED);
  g_assert_true (teren_store_get_blob_state (fixture->store, json_object_get_string_member (loose, "blob"),
                                             &state, &error));
  g_assert_cmpint (state, ==, TEREN_BLOB_LOCAL_ONLY);
}

/* Files in the attachments folder that no row names (an import killed between its file and
 * its row, a temporary file of an interrupted write) are removed by the collector; the
 * files of rows stay, and so does a temporary file young enough to be being written. */
static void
test_files_without_row (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *pdf = write_file (fixture, "a.pdf", PDF_TEXT, strlen (PDF_TEXT));
  g_autoptr(JsonObject) loose = import_ok (fixture, pdf, "application/pdf", NULL);
  g_autofree char *dir = g_build_filename (fixture->dir, "blobs", NULL);
  g_autofree char *orphan_hex = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "never saved", -1);
  g_autofree char *orphan = g_build_filename (dir, orphan_hex, NULL);
  g_autofree char *old_temp_name = g_strconcat (orphan_hex, ".Q1W2E3", NULL);
  g_autofree char *old_temp = g_build_filename (dir, old_temp_name, NULL);
  g_autofree char *young_temp_name = g_strconcat (orphan_hex, ".R4T5Y6", NULL);
  g_autofree char *young_temp = g_build_filename (dir, young_temp_name, NULL);
  g_autofree char *kept = NULL;
  g_autoptr(GError) error = NULL;
  struct utimbuf two_hours_ago;

  g_assert_true (g_file_set_contents (orphan, "never saved", -1, NULL));
  g_assert_true (g_file_set_contents (old_temp, "half", -1, NULL));
  g_assert_true (g_file_set_contents (young_temp, "half", -1, NULL));
  two_hours_ago.actime = two_hours_ago.modtime = time (NULL) - 2 * 60 * 60;
  g_assert_cmpint (g_utime (old_temp, &two_hours_ago), ==, 0);
  g_assert_cmpuint (count_blob_files (fixture), ==, 4);

  /* no row went (the import is only local, still to be sent) */
  g_assert_cmpint (teren_store_blobs_collect (fixture->store, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_false (g_file_test (orphan, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (old_temp, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (young_temp, G_FILE_TEST_EXISTS));
  kept = teren_store_get_blob_path (fixture->store, json_object_get_string_member (loose, "blob"), &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (kept, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (count_blob_files (fixture), ==, 2);
}

/* A revocation wipe removes the attachments' rows and files too. */
static void
test_wipe (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *pdf = write_file (fixture, "a.pdf", PDF_TEXT, strlen (PDF_TEXT));
  g_autofree char *png = write_image (fixture, "b.png", "png", 20, 20);
  g_autoptr(JsonObject) a = import_ok (fixture, pdf, "application/pdf", NULL);
  g_autoptr(JsonObject) b = import_ok (fixture, png, "image/png", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  g_assert_cmpuint (count_blob_files (fixture), ==, 2);
  g_assert_true (teren_store_sync_wipe (fixture->store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_blob_files (fixture), ==, 0);
  g_assert_cmpuint (count_rows (fixture, "SELECT count(*) FROM blob"), ==, 0);
  path = teren_store_get_blob_path (fixture->store, json_object_get_string_member (a, "blob"), &error);
  g_assert_null (path);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND);
  (void) b;
}

/* A store of schema version 5 (blobs noted by triggers on base) migrates: the triggers go,
 * the blobs known stay, and the pulls that follow note theirs once each. */
static void
test_migrate_from_5 (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *a = g_strconcat ("sha256:", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", NULL);
  g_autofree char *b = g_strconcat ("sha256:", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", NULL);
  g_autofree char *one = g_strdup_printf ("{\"attachments\": [{\"blob\": \"%s\", \"size\": 5, "
                                          "\"mime\": \"application/pdf\", \"name\": \"a.pdf\"}]}", a);
  g_autofree char *two = g_strdup_printf ("{\"attachments\": [{\"blob\": \"%s\", \"size\": 5, "
                                          "\"mime\": \"application/pdf\", \"name\": \"a.pdf\"}, "
                                          "{\"blob\": \"%s\", \"size\": 7, \"mime\": \"image/png\", "
                                          "\"name\": \"b.png\"}]}", a, b);
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  pull_case (fixture->store, 1, one);
  g_assert_cmpuint (count_rows (fixture, "SELECT count(*) FROM blob"), ==, 1);
  g_clear_object (&fixture->person);
  g_clear_object (&fixture->store);

  /* Back to version 5, with triggers that would leave a mark in blob if they stayed. */
  db = test_db_open (fixture->dir, FALSE);
  test_db_exec (db, "CREATE TRIGGER blob_base_ai AFTER INSERT ON base BEGIN"
                    "  INSERT INTO blob (ref, state, created_at) VALUES ('trigger:' || new.rev, 2, 'now');"
                    "END;"
                    "CREATE TRIGGER blob_base_au AFTER UPDATE OF fields ON base BEGIN"
                    "  INSERT INTO blob (ref, state, created_at) VALUES ('trigger:' || new.rev, 2, 'now');"
                    "END;");
  test_db_exec (db, "DROP INDEX record_by_line; DROP INDEX record_last_visit;");
  test_db_undo_migration_8 (db);
  test_db_exec (db, "DELETE FROM schema_migrations WHERE version >= 6");
  test_db_exec (db, "PRAGMA user_version = 5");
  sqlite3_close (db);

  fixture->store = teren_store_open (fixture->dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_rows (fixture, "PRAGMA user_version"), ==, TEST_STORE_SCHEMA_VERSION);
  g_assert_cmpuint (count_rows (fixture, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                                         "AND tbl_name = 'base'"), ==, 0);
  g_assert_cmpuint (count_rows (fixture, "SELECT count(*) FROM blob"), ==, 1);

  pull_case (fixture->store, 2, two);
  pull_case (fixture->store, 3, two);
  g_assert_cmpuint (count_rows (fixture, "SELECT count(*) FROM blob"), ==, 2);
  g_assert_cmpuint (count_rows (fixture, "SELECT count(*) FROM blob WHERE ref LIKE 'trigger:%'"), ==, 0);
  g_assert_cmpuint (count_rows (fixture, "SELECT size FROM blob WHERE ref LIKE 'sha256:b%'"), ==, 7);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/store/blobs/import-formats", test_import_formats);
  ADD ("/store/blobs/too-large", test_too_large);
  ADD ("/store/blobs/refused-content", test_refused_content);
  ADD ("/store/blobs/downscale", test_downscale);
  ADD ("/store/blobs/idempotent", test_idempotent);
  ADD ("/store/blobs/bad-values", test_bad_values);
  ADD ("/store/blobs/states", test_states);
  ADD ("/store/blobs/collect", test_collect);
  ADD ("/store/blobs/files-without-row", test_files_without_row);
  ADD ("/store/blobs/wipe", test_wipe);
  ADD ("/store/blobs/migrate-from-5", test_migrate_from_5);

  return g_test_run ();
}
