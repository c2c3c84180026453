/* teren-store-blobs.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>
#include <glib/gi18n-lib.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "teren-error.h"
#include "teren-store-blobs.h"
#include "teren-store-private.h"
#include "teren-uuid.h"

/* Attachments' bytes (teren-store-blobs.h). The `blob` table (migration 3) holds one row
 * per known blob; its files live in <data dir>/blobs/<hex>. */

#define BLOB_DIR "blobs"
/* A file larger than this is refused before it is read: no image this big downscales
 * into 10 MiB in practice, and reading it would waste memory. */
#define READ_LIMIT (64 * 1024 * 1024)
#define JPEG_QUALITY "85"

static const char *
mime_of (const guint8 *data,
         gsize         size)
{
  static const guint8 png[] = { 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a };

  if (size >= 5 && memcmp (data, "%PDF-", 5) == 0)
    return "application/pdf";
  if (size >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
    return "image/jpeg";
  if (size >= sizeof png && memcmp (data, png, sizeof png) == 0)
    return "image/png";
  return NULL;
}

static const char *
hex_of (const char *blob)
{
  return blob + strlen (TEREN_BLOB_REF_PREFIX);
}

static gboolean
check_ref (const char  *blob,
           GError     **error)
{
  if (!teren_blob_ref_is_valid (blob))
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID,
                   _("Not a valid attachment reference"));
      return FALSE;
    }
  return TRUE;
}

static char *
blob_dir (TerenStore *self)
{
  return g_build_filename (teren_store_get_data_dir (self), BLOB_DIR, NULL);
}

static char *
blob_file (TerenStore *self,
           const char *blob)
{
  return g_build_filename (teren_store_get_data_dir (self), BLOB_DIR, hex_of (blob), NULL);
}

/* ---- Images ------------------------------------------------------------------------- */

typedef struct {
  int width;
  int height;
  gboolean scaled;
} SizeInfo;

static void
on_size_prepared_cb (GdkPixbufLoader *loader,
                     int              width,
                     int              height,
                     gpointer         data)
{
  SizeInfo *info = data;
  int side = MAX (width, height);

  info->width = width;
  info->height = height;
  if (side > TEREN_BLOB_MAX_IMAGE_SIDE)
    {
      double scale = (double) TEREN_BLOB_MAX_IMAGE_SIDE / side;

      gdk_pixbuf_loader_set_size (loader, MAX (1, (int) (width * scale)),
                                  MAX (1, (int) (height * scale)));
      info->scaled = TRUE;
    }
}

/* @bytes scaled down to at most TEREN_BLOB_MAX_IMAGE_SIDE a side, re-encoded as @mime; a
 * new reference to @bytes when it is small enough already. */
static GBytes *
downscale_image (GBytes      *bytes,
                 const char  *mime,
                 GError     **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GdkPixbuf) oriented = NULL;
  SizeInfo info = { 0, 0, FALSE };
  GdkPixbuf *pixbuf;
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  char *buffer = NULL;
  gsize buffer_size = 0;
  gboolean ok;

  /* gdk-pixbuf shows a PNG cut short as far as it goes: its last chunk must be IEND. */
  if (g_strcmp0 (mime, "image/png") == 0 &&
      (size < 8 + 12 || memcmp (data + size - 8, "IEND", 4) != 0))
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID, _("The image cannot be read"));
      return NULL;
    }

  loader = gdk_pixbuf_loader_new_with_mime_type (mime, &local_error);
  if (loader == NULL)
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID, _("The image cannot be read"));
      return NULL;
    }
  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared_cb), &info);

  if (!gdk_pixbuf_loader_write (loader, data, size, &local_error) ||
      !gdk_pixbuf_loader_close (loader, &local_error))
    {
      /* Closing after a failed write only reports the same failure again. */
      if (local_error != NULL)
        g_debug ("Image not decoded: %s", local_error->message);
      g_clear_error (&local_error);
      gdk_pixbuf_loader_close (loader, NULL);
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID, _("The image cannot be read"));
      return NULL;
    }

  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (pixbuf == NULL)
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID, _("The image cannot be read"));
      return NULL;
    }

  if (!info.scaled)
    return g_bytes_ref (bytes);

  /* The camera's orientation tag is not written again: turn the pixels instead. */
  oriented = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  if (g_strcmp0 (mime, "image/jpeg") == 0)
    ok = gdk_pixbuf_save_to_buffer (oriented, &buffer, &buffer_size, "jpeg", &local_error,
                                    "quality", JPEG_QUALITY, NULL);
  else
    ok = gdk_pixbuf_save_to_buffer (oriented, &buffer, &buffer_size, "png", &local_error, NULL);
  if (!ok)
    {
      g_debug ("Image not encoded: %s", local_error->message);
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID, _("The image cannot be read"));
      return NULL;
    }

  return g_bytes_new_take (buffer, buffer_size);
}

/* ---- Files --------------------------------------------------------------------------- */

static gboolean
ensure_blob_dir (TerenStore  *self,
                 GError     **error)
{
  g_autofree char *dir = blob_dir (self);

  if (g_mkdir_with_parents (dir, 0700) != 0 || g_chmod (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, TEREN_ERROR, saved == EACCES || saved == EROFS ? TEREN_ERROR_READ_ONLY
                                                                       : TEREN_ERROR_IO,
                   _("Could not create the attachments folder: %s"), g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* Writes @bytes as the file of @blob unless a file of that size is there already. */
static gboolean
write_blob_file (TerenStore  *self,
                 const char  *blob,
                 GBytes      *bytes,
                 GError     **error)
{
  g_autofree char *path = blob_file (self, blob);
  g_autoptr(GError) local_error = NULL;
  GStatBuf st;
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  if (!ensure_blob_dir (self, error))
    return FALSE;

  if (g_stat (path, &st) == 0 && (gsize) st.st_size == size)
    return TRUE;

  if (!g_file_set_contents_full (path, (const char *) data, size,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &local_error))
    {
      g_set_error (error, TEREN_ERROR,
                   g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOSPC) ? TEREN_ERROR_NO_SPACE
                                                                                  : TEREN_ERROR_IO,
                   _("Could not save the attachment: %s"), local_error->message);
      return FALSE;
    }
  return TRUE;
}

static char *
sha256_ref (GBytes *bytes)
{
  g_autofree char *hex = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);

  return g_strconcat (TEREN_BLOB_REF_PREFIX, hex, NULL);
}

/* A file name fit for the attachment object: no folders, no control characters, at most
 * TEREN_ATTACHMENT_NAME_MAX characters. */
static char *
clean_name (const char *name)
{
  g_autofree char *valid = g_utf8_make_valid (name, -1);
  g_autofree char *base = NULL;
  GString *out;
  const char *p;
  glong n = 0;

  base = g_path_get_basename (valid);
  out = g_string_new (NULL);
  for (p = base; *p != '\0' && n < TEREN_ATTACHMENT_NAME_MAX; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '/' || c == '\\' || g_unichar_iscntrl (c))
        c = '_';
      g_string_append_unichar (out, c);
      n++;
    }
  g_strstrip (out->str);
  out->len = strlen (out->str);
  if (out->len == 0 || strcmp (out->str, ".") == 0)
    g_string_assign (out, "attachment");
  return g_string_free (out, FALSE);
}

/* ---- Rows ----------------------------------------------------------------------------- */

/* Records that the bytes of @blob are here (imported or downloaded). Files are only
 * removed under the writer lock (remove_file_without_row, teren_store_blobs_collect), and
 * @bytes were written before it was taken: if the file went meanwhile it is written again
 * here, so that no row is left without its file. */
static gboolean
note_local (TerenStore  *self,
            const char  *blob,
            GBytes      *bytes,
            const char  *mime,
            gboolean     downloaded,
            GError     **error)
{
  static const char sql[] =
    "INSERT INTO blob (ref, size, mime, state, created_at) VALUES (?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT (ref) DO UPDATE SET size = ?2, mime = ?3, "
    "  state = CASE WHEN state = 2 THEN 3 ELSE state END";
  g_autofree char *now = teren_now_iso8601 ();
  g_autofree char *path = blob_file (self, blob);
  TerenDb *db = teren_store_lock_writer (self);
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;

  if (g_file_test (path, G_FILE_TEST_IS_REGULAR) || write_blob_file (self, blob, bytes, error))
    stmt = teren_db_prepare (db, sql, error);
  if (stmt != NULL)
    {
      teren_db_bind_text (stmt, 1, blob);
      sqlite3_bind_int64 (stmt, 2, (gint64) g_bytes_get_size (bytes));
      teren_db_bind_text (stmt, 3, mime);
      sqlite3_bind_int (stmt, 4, downloaded ? TEREN_BLOB_DOWNLOADED : TEREN_BLOB_LOCAL_ONLY);
      teren_db_bind_text (stmt, 5, now);
      ok = teren_db_run (db, stmt, error);
    }
  if (ok)
    teren_store_queue_changed (self, blob, TEREN_STORE_BLOB_KIND, FALSE);
  teren_store_unlock_writer (self);
  return ok;
}

/* The file of @blob when no row names it: what an import or a download left because its
 * row could not be written (a full disk), which nothing else would remove. Under the
 * writer lock, as note_local looks for the file. When unsure, the file stays. */
static void
remove_file_without_row (TerenStore *self,
                         const char *blob)
{
  static const char sql[] = "SELECT 1 FROM blob WHERE ref = ?1";
  g_autofree char *path = blob_file (self, blob);
  TerenDb *db = teren_store_lock_writer (self);
  sqlite3_stmt *stmt = teren_db_prepare (db, sql, NULL);

  if (stmt != NULL)
    {
      int rc;

      teren_db_bind_text (stmt, 1, blob);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc == SQLITE_DONE && g_unlink (path) == 0)
        g_debug ("Attachment file %s removed: its row could not be written", blob);
    }
  teren_store_unlock_writer (self);
}

/* ---- Public --------------------------------------------------------------------------- */

JsonObject *
teren_store_import_blob_bytes (TerenStore  *self,
                               GBytes      *bytes,
                               const char  *name,
                               GError     **error)
{
  g_autoptr(GBytes) stored = NULL;
  g_autofree char *blob = NULL;
  g_autofree char *display = NULL;
  const char *mime;
  gsize size;
  const guint8 *data;

  g_return_val_if_fail (TEREN_IS_STORE (self), NULL);
  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  data = g_bytes_get_data (bytes, &size);
  mime = mime_of (data, size);
  if (mime == NULL)
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID,
                   _("Only PDF, JPEG and PNG files can be attached"));
      return NULL;
    }

  if (g_str_has_prefix (mime, "image/"))
    stored = downscale_image (bytes, mime, error);
  else
    stored = g_bytes_ref (bytes);
  if (stored == NULL)
    return NULL;

  size = g_bytes_get_size (stored);
  if (size > TEREN_ATTACHMENT_MAX_SIZE)
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_TOO_LARGE, _("The file is larger than 10 MiB"));
      return NULL;
    }
  if (size == 0)
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID, _("An attached file cannot be empty"));
      return NULL;
    }

  blob = sha256_ref (stored);
  if (!write_blob_file (self, blob, stored, error))
    return NULL;
  if (!note_local (self, blob, stored, mime, FALSE, error))
    {
      remove_file_without_row (self, blob);
      return NULL;
    }

  g_debug ("Attachment %s imported (%" G_GSIZE_FORMAT " bytes)", blob, size);
  display = clean_name (name);
  return teren_attachment_new (blob, (gint64) size, mime, display);
}

JsonObject *
teren_store_import_blob (TerenStore  *self,
                         const char  *path,
                         const char  *name,
                         GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *base = NULL;
  g_autoptr(GError) local_error = NULL;
  GStatBuf st;
  gsize length = 0;

  g_return_val_if_fail (TEREN_IS_STORE (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (g_stat (path, &st) != 0)
    {
      int saved = errno;

      g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO, _("Could not read the file: %s"),
                   g_strerror (saved));
      return NULL;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID,
                   _("Only PDF, JPEG and PNG files can be attached"));
      return NULL;
    }
  if (st.st_size > READ_LIMIT)
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_TOO_LARGE, _("The file is larger than 10 MiB"));
      return NULL;
    }

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO, _("Could not read the file: %s"),
                   local_error->message);
      return NULL;
    }
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  if (name == NULL)
    {
      g_autofree char *utf8 = g_filename_display_basename (path);

      base = g_steal_pointer (&utf8);
      name = base;
    }

  return teren_store_import_blob_bytes (self, bytes, name, error);
}

char *
teren_store_get_blob_path (TerenStore  *self,
                           const char  *blob,
                           GError     **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (TEREN_IS_STORE (self), NULL);

  if (!check_ref (blob, error))
    return NULL;

  path = blob_file (self, blob);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND,
                   _("The attachment has not been downloaded yet"));
      return NULL;
    }
  return g_steal_pointer (&path);
}

gboolean
teren_store_get_blob_state (TerenStore      *self,
                            const char      *blob,
                            TerenBlobState  *out_state,
                            GError         **error)
{
  static const char sql[] = "SELECT state FROM blob WHERE ref = ?1";
  TerenDb *db;
  sqlite3_stmt *stmt;
  int rc = SQLITE_DONE;
  TerenBlobState state = TEREN_BLOB_REMOTE_ONLY;

  g_return_val_if_fail (TEREN_IS_STORE (self), FALSE);

  if (!check_ref (blob, error))
    return FALSE;

  db = teren_store_acquire_reader (self, NULL);
  stmt = teren_db_prepare (db, sql, error);
  if (stmt != NULL)
    {
      teren_db_bind_text (stmt, 1, blob);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          int value = sqlite3_column_int (stmt, 0);

          if (value >= TEREN_BLOB_LOCAL_ONLY && value <= TEREN_BLOB_DOWNLOADED)
            state = (TerenBlobState) value;
          rc = SQLITE_DONE;
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        teren_db_set_error (db, rc, error);
    }
  teren_store_release_reader (self, db);

  if (stmt == NULL || rc != SQLITE_DONE)
    return FALSE;

  /* A row says downloaded or local but the file went away (cleaned by hand). */
  if (state != TEREN_BLOB_REMOTE_ONLY && state != TEREN_BLOB_LOCAL_ONLY)
    {
      g_autofree char *path = blob_file (self, blob);

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        state = TEREN_BLOB_REMOTE_ONLY;
    }

  if (out_state != NULL)
    *out_state = state;
  return TRUE;
}

gboolean
teren_store_set_blob_state (TerenStore      *self,
                            const char      *blob,
                            TerenBlobState   state,
                            GError         **error)
{
  static const char sql[] =
    "INSERT INTO blob (ref, state, created_at) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (ref) DO UPDATE SET state = ?2 WHERE state <> ?2";
  g_autofree char *now = teren_now_iso8601 ();
  TerenDb *db;
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  g_return_val_if_fail (TEREN_IS_STORE (self), FALSE);

  if (!check_ref (blob, error))
    return FALSE;

  db = teren_store_lock_writer (self);
  stmt = teren_db_prepare (db, sql, error);
  if (stmt != NULL)
    {
      teren_db_bind_text (stmt, 1, blob);
      sqlite3_bind_int (stmt, 2, state);
      teren_db_bind_text (stmt, 3, now);
      ok = teren_db_run (db, stmt, error);
      if (ok && sqlite3_changes (db->db) > 0)
        teren_store_queue_changed (self, blob, TEREN_STORE_BLOB_KIND, FALSE);
    }
  teren_store_unlock_writer (self);
  return ok;
}

char *
teren_store_save_downloaded_blob (TerenStore  *self,
                                  const char  *blob,
                                  GBytes      *bytes,
                                  GError     **error)
{
  g_autofree char *actual = NULL;
  const char *mime;
  gsize size;
  const guint8 *data;

  g_return_val_if_fail (TEREN_IS_STORE (self), NULL);
  g_return_val_if_fail (bytes != NULL, NULL);

  if (!check_ref (blob, error))
    return NULL;

  actual = sha256_ref (bytes);
  if (strcmp (actual, blob) != 0)
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_CORRUPT,
                   _("The downloaded attachment is damaged"));
      return NULL;
    }

  data = g_bytes_get_data (bytes, &size);
  mime = mime_of (data, size);
  if (!write_blob_file (self, blob, bytes, error))
    return NULL;
  if (!note_local (self, blob, bytes, mime != NULL ? mime : "", TRUE, error))
    {
      remove_file_without_row (self, blob);
      return NULL;
    }

  return blob_file (self, blob);
}

GPtrArray *
teren_store_list_remote_blobs (TerenStore  *self,
                               gint64       max_size,
                               guint        limit,
                               GError     **error)
{
  static const char sql[] =
    "SELECT ref FROM blob WHERE state = 2 AND size > 0 AND size <= ?1 ORDER BY created_at, ref LIMIT ?2";
  g_autoptr(GPtrArray) refs = g_ptr_array_new_with_free_func (g_free);
  TerenDb *db;
  sqlite3_stmt *stmt;
  int rc = SQLITE_DONE;

  g_return_val_if_fail (TEREN_IS_STORE (self), NULL);

  db = teren_store_acquire_reader (self, NULL);
  stmt = teren_db_prepare (db, sql, error);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, max_size);
      sqlite3_bind_int64 (stmt, 2, limit);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (refs, teren_db_column_dup (stmt, 0));
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        teren_db_set_error (db, rc, error);
    }
  teren_store_release_reader (self, db);

  if (stmt == NULL || rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&refs);
}

GHashTable *
teren_store_list_pending_op_blobs (TerenStore  *self,
                                   GError     **error)
{
  static const char sql[] =
    "SELECT change_id, kind, patch FROM oplog "
    "WHERE state IN ('pending', 'in_flight') AND op <> 'delete' AND instr (patch, 'sha256:') > 0 "
    "ORDER BY n";
  g_autoptr(GHashTable) blobs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       (GDestroyNotify) g_ptr_array_unref);
  TerenDb *db;
  sqlite3_stmt *stmt;
  int rc = SQLITE_DONE;

  g_return_val_if_fail (TEREN_IS_STORE (self), NULL);

  db = teren_store_acquire_reader (self, NULL);
  stmt = teren_db_prepare (db, sql, error);
  if (stmt != NULL)
    {
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          const char *change_id = (const char *) sqlite3_column_text (stmt, 0);
          const char *kind = (const char *) sqlite3_column_text (stmt, 1);
          const char *patch = (const char *) sqlite3_column_text (stmt, 2);
          g_autoptr(JsonNode) node = json_from_string (patch != NULL ? patch : "{}", NULL);
          g_autoptr(GPtrArray) refs = g_ptr_array_new ();
          guint i;

          if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
            continue;
          teren_attachment_collect_blobs (kind != NULL ? teren_schema_lookup_kind (kind) : NULL,
                                          json_node_get_object (node), refs);
          for (i = 0; i < refs->len; i++)
            {
              const char *ref = g_ptr_array_index (refs, i);
              GPtrArray *ids = g_hash_table_lookup (blobs, ref);

              if (ids == NULL)
                {
                  ids = g_ptr_array_new_with_free_func (g_free);
                  g_hash_table_insert (blobs, g_strdup (ref), ids);
                }
              g_ptr_array_add (ids, g_strdup (change_id));
            }
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        teren_db_set_error (db, rc, error);
    }
  teren_store_release_reader (self, db);

  if (stmt == NULL || rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&blobs);
}

void
teren_store_blobs_remove_files (TerenStore *self)
{
  g_autofree char *dir_path = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint removed = 0;

  g_return_if_fail (TEREN_IS_STORE (self));

  dir_path = blob_dir (self);
  dir = g_dir_open (dir_path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);

      if (g_unlink (path) == 0)
        removed++;
    }
  g_debug ("%u attachment files removed", removed);
}

/* The blob references of one JSON column (fields or patch) of @table, as the migration's
 * trigger reads them. */
#define REFS_OF(table, column) \
  "SELECT json_extract (e.value, '$.blob') FROM " table " t," \
  "  json_each (t." column ") f," \
  "  json_each (CASE WHEN f.type = 'array' THEN f.value ELSE '[]' END) e" \
  " WHERE instr (t." column ", 'sha256:') > 0 AND json_valid (t." column ")" \
  "   AND e.type = 'object' AND json_type (e.value, '$.blob') = 'text'"

/* The blob references of a conflict item's value (an attachment list itself). */
#define REFS_OF_VALUE(column) \
  "SELECT json_extract (e.value, '$.blob') FROM conflict c," \
  "  json_each (CASE WHEN json_valid (c." column ") AND json_type (c." column ") = 'array'" \
  "             THEN c." column " ELSE '[]' END) e" \
  " WHERE e.type = 'object' AND json_type (e.value, '$.blob') = 'text'"

/* A temporary file of an interrupted write is removed once it is this old: a younger one
 * may be being written now, outside the writer lock. */
#define TEMP_FILE_MAX_AGE_S (60 * 60)

/* The files of the attachments folder that no row names: a blob's file whose row was
 * never written (the process was killed between the two, SYNC-NOTES S2) and temporary
 * files of interrupted writes. Writer lock held: an import writing the same blob
 * meanwhile writes its file again in note_local. */
static guint
sweep_files_without_row (TerenStore *self,
                         TerenDb    *db)
{
  static const char sql[] = "SELECT 1 FROM blob WHERE ref = ?1";
  g_autofree char *dir_path = blob_dir (self);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char *name;
  guint removed = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autofree char *blob = g_strconcat (TEREN_BLOB_REF_PREFIX, name, NULL);
      GStatBuf st;

      if (teren_blob_ref_is_valid (blob))
        {
          sqlite3_stmt *stmt = teren_db_prepare (db, sql, NULL);
          int rc;

          if (stmt == NULL)
            break;
          teren_db_bind_text (stmt, 1, blob);
          rc = sqlite3_step (stmt);
          sqlite3_reset (stmt);
          if (rc == SQLITE_DONE && g_unlink (path) == 0)
            removed++;
        }
      else if (g_lstat (path, &st) == 0 && S_ISREG (st.st_mode) && st.st_mtime < now - TEMP_FILE_MAX_AGE_S &&
               g_unlink (path) == 0)
        removed++;
    }
  return removed;
}

int
teren_store_blobs_collect (TerenStore  *self,
                           GError     **error)
{
  static const char sql_select[] =
    "SELECT ref FROM blob WHERE state <> 0 AND ref NOT IN ("
    REFS_OF ("record", "fields") " UNION "
    REFS_OF ("base", "fields") " UNION "
    REFS_OF ("oplog", "patch") " UNION "
    REFS_OF ("op_archive", "patch") " UNION "
    REFS_OF ("draft", "fields") " UNION "
    REFS_OF_VALUE ("local") " UNION "
    REFS_OF_VALUE ("server") ")";
  static const char sql_delete[] = "DELETE FROM blob WHERE ref = ?1";
  g_autoptr(GPtrArray) refs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local_error = NULL;
  TerenDb *db;
  sqlite3_stmt *stmt;
  int rc = SQLITE_DONE;
  guint i, swept;

  g_return_val_if_fail (TEREN_IS_STORE (self), -1);

  db = teren_store_lock_writer (self);
  if (!teren_store_tx_begin (self, db, error))
    {
      teren_store_unlock_writer (self);
      return -1;
    }
  stmt = teren_db_prepare (db, sql_select, &local_error);
  if (stmt != NULL)
    {
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (refs, teren_db_column_dup (stmt, 0));
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        teren_db_set_error (db, rc, &local_error);
    }
  for (i = 0; local_error == NULL && i < refs->len; i++)
    {
      stmt = teren_db_prepare (db, sql_delete, &local_error);
      if (stmt != NULL)
        {
          teren_db_bind_text (stmt, 1, g_ptr_array_index (refs, i));
          teren_db_run (db, stmt, &local_error);
        }
    }
  if (local_error != NULL)
    {
      teren_store_tx_rollback (self, db);
      teren_store_unlock_writer (self);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return -1;
    }
  for (i = 0; i < refs->len; i++)
    teren_store_queue_changed (self, g_ptr_array_index (refs, i), TEREN_STORE_BLOB_KIND, FALSE);
  if (!teren_store_tx_commit (self, db, error))
    {
      teren_store_unlock_writer (self);
      return -1;
    }

  /* The files after the rows (a file without a row is only downloaded again), under the
   * lock (note_local), with those no row names. */
  for (i = 0; i < refs->len; i++)
    {
      const char *blob = g_ptr_array_index (refs, i);
      g_autofree char *path = NULL;

      if (!teren_blob_ref_is_valid (blob))
        continue;
      path = blob_file (self, blob);
      g_unlink (path);
    }
  swept = sweep_files_without_row (self, db);
  teren_store_unlock_writer (self);

  if (refs->len > 0)
    g_debug ("%u attachments no record uses any more were removed", refs->len);
  if (swept > 0)
    g_debug ("%u attachment files without a row were removed", swept);
  return (int) refs->len;
}
