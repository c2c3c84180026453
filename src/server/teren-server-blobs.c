/* teren-server-blobs.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sodium.h>

#include "teren-error.h"
#include "teren-json.h"
#include "teren-uuid.h"
#include "teren-server-blobs.h"
#include "teren-server-http-private.h"

#define UPLOAD_KEY          "teren-blob-upload"
#define BLOB_PATH_PREFIX    TEREN_API_PREFIX "/blobs/"
#define TMP_MAX_AGE_SECONDS (24 * 3600)
#define HEAD_BYTES          16
#define PARTIAL_DIR_PREFIX  "partial-"

/* Who is writing which partial: "<account id>/<hex>" → the Upload appending to it. Shared
 * by the server's blobs and every piece being received (which may outlive them). */
typedef struct {
  gatomicrefcount  ref;
  GMutex           lock;
  GHashTable      *owners;
} Partials;

static Partials *
partials_new (void)
{
  Partials *partials = g_new0 (Partials, 1);

  g_atomic_ref_count_init (&partials->ref);
  g_mutex_init (&partials->lock);
  partials->owners = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return partials;
}

static Partials *
partials_ref (Partials *partials)
{
  g_atomic_ref_count_inc (&partials->ref);
  return partials;
}

static void
partials_unref (Partials *partials)
{
  if (partials == NULL || !g_atomic_ref_count_dec (&partials->ref))
    return;
  g_hash_table_unref (partials->owners);
  g_mutex_clear (&partials->lock);
  g_free (partials);
}

struct _TerenServerBlobs {
  TerenServerBackend *backend;
  char               *dir;        /* <data dir>/blobs */
  char               *tmp_dir;    /* <data dir>/blobs/tmp */
  Partials           *partials;
  gboolean            resume;     /* Content-Range pieces accepted */
  gboolean            stale_head; /* tests: HEAD gives offset 0, as one answered before the last piece */
  GThreadPool        *gc_pool;    /* one thread: the periodic collection */
  guint               gc_source;
  guint               gc_interval;
};

/* ---- names and content ----------------------------------------------------------- */

gboolean
teren_server_blob_id_parse (const char *id,
                            char        out_hex[TEREN_BLOB_HEX_LEN + 1])
{
  guint i;

  if (id == NULL || !g_str_has_prefix (id, "sha256:") || strlen (id) != 7 + TEREN_BLOB_HEX_LEN)
    return FALSE;
  for (i = 0; i < TEREN_BLOB_HEX_LEN; i++)
    {
      char c = id[7 + i];

      if (!g_ascii_isdigit (c) && !(c >= 'a' && c <= 'f'))
        return FALSE;
      out_hex[i] = c;
    }
  out_hex[TEREN_BLOB_HEX_LEN] = '\0';
  return TRUE;
}

const char *
teren_server_blob_sniff (const guint8 *data,
                         gsize         length)
{
  static const guint8 png[] = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };
  static const guint8 jpeg[] = { 0xFF, 0xD8, 0xFF };

  if (length >= 5 && memcmp (data, "%PDF-", 5) == 0)
    return "application/pdf";
  if (length >= sizeof jpeg && memcmp (data, jpeg, sizeof jpeg) == 0)
    return "image/jpeg";
  if (length >= sizeof png && memcmp (data, png, sizeof png) == 0)
    return "image/png";
  return NULL;
}

static void
collect_node (JsonNode  *node,
              GPtrArray *out_hex,
              guint      depth)
{
  if (node == NULL || depth > 8)
    return;
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint i;

      for (i = 0; i < json_array_get_length (array); i++)
        collect_node (json_array_get_element (array, i), out_hex, depth + 1);
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      JsonNode *blob = json_object_get_member (object, "blob");
      JsonObjectIter iter;
      const char *key;
      JsonNode *value;
      char hex[TEREN_BLOB_HEX_LEN + 1];

      if (blob != NULL && JSON_NODE_HOLDS_VALUE (blob) && json_node_get_value_type (blob) == G_TYPE_STRING &&
          teren_server_blob_id_parse (json_node_get_string (blob), hex) &&
          !g_ptr_array_find_with_equal_func (out_hex, hex, g_str_equal, NULL))
        g_ptr_array_add (out_hex, g_strdup (hex));
      json_object_iter_init (&iter, object);
      while (json_object_iter_next (&iter, &key, &value))
        if (strcmp (key, "blob") != 0)
          collect_node (value, out_hex, depth + 1);
    }
}

void
teren_server_blob_refs_collect (JsonObject *fields,
                                GPtrArray  *out_hex)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  if (fields == NULL)
    return;
  json_object_iter_init (&iter, fields);
  while (json_object_iter_next (&iter, &key, &value))
    collect_node (value, out_hex, 0);
}

/* ---- files ----------------------------------------------------------------------- */

static char *
blob_subdir (TerenServerBlobs *self,
             const char       *hex)
{
  char prefix[3] = { hex[0], hex[1], '\0' };

  return g_build_filename (self->dir, prefix, NULL);
}

static char *
blob_path (TerenServerBlobs *self,
           const char       *hex)
{
  char prefix[3] = { hex[0], hex[1], '\0' };

  return g_build_filename (self->dir, prefix, hex, NULL);
}

static gboolean
fsync_dir (const char  *path,
           GError     **error)
{
  int fd = g_open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  int saved;

  if (fd < 0 || fsync (fd) != 0)
    {
      saved = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO, "fsync %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

static gboolean
make_dir (const char  *path,
          GError     **error)
{
  if (g_mkdir_with_parents (path, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO, _("Cannot create the directory %s: %s"), path,
                   g_strerror (saved));
      return FALSE;
    }
  g_chmod (path, 0700);
  return TRUE;
}

TerenServerBlobs *
teren_server_blobs_new (const char          *data_dir,
                        TerenServerBackend  *backend,
                        GError             **error)
{
  g_autofree char *dir = g_build_filename (data_dir, "blobs", NULL);
  g_autofree char *tmp_dir = g_build_filename (dir, "tmp", NULL);
  TerenServerBlobs *self;

  guint i;

  if (!make_dir (dir, error) || !make_dir (tmp_dir, error))
    return NULL;
  /* The 256 folders made once, so that storing a blob never has to make one (and fsync
   * its parent). */
  for (i = 0; i < 256; i++)
    {
      g_autofree char *name = g_strdup_printf ("%02x", i);
      g_autofree char *sub = g_build_filename (dir, name, NULL);

      if (g_mkdir (sub, 0700) != 0 && errno != EEXIST)
        {
          int saved = errno;

          g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO, _("Cannot create the directory %s: %s"), sub,
                       g_strerror (saved));
          return NULL;
        }
    }
  if (!fsync_dir (dir, error))
    return NULL;
  self = g_new0 (TerenServerBlobs, 1);
  self->backend = backend;
  self->dir = g_steal_pointer (&dir);
  self->tmp_dir = g_steal_pointer (&tmp_dir);
  self->partials = partials_new ();
  self->resume = g_strcmp0 (g_getenv ("TEREN_SERVER_BLOB_RESUME"), "0") != 0;
  self->stale_head = g_strcmp0 (g_getenv ("TEREN_SERVER_BLOB_STALE_HEAD"), "1") == 0;
  return self;
}

void
teren_server_blobs_free (TerenServerBlobs *self)
{
  if (self == NULL)
    return;
  if (self->gc_source != 0)
    g_source_remove (self->gc_source);
  if (self->gc_pool != NULL)
    g_thread_pool_free (self->gc_pool, TRUE, TRUE);
  g_free (self->dir);
  g_free (self->tmp_dir);
  partials_unref (self->partials);
  g_free (self);
}

/* ---- upload: the body streamed to a temporary file ------------------------------ */

typedef struct {
  int                       fd;
  char                     *tmp_path;   /* NULL once moved into place or removed */
  crypto_hash_sha256_state  sha;
  guint8                    head[HEAD_BYTES];
  gsize                     head_len;
  goffset                   expected;
  goffset                   received;
  int                       write_errno;

  /* A piece of a resumable upload (Content-Range: bytes start-…/total): its body is
   * appended to the account's partial, which stays when the piece is cut off. */
  gboolean                  piece;
  char                      hex[TEREN_BLOB_HEX_LEN + 1];
  goffset                   start;
  goffset                   total;
  Partials                 *partials;      /* pieces only */
  char                     *key;           /* while in partials->owners */
  char                     *partial_path;  /* NULL once moved into place or removed */
  gboolean                  superseded;    /* another piece took the partial over (lock) */
} Upload;

/* The piece stops writing its partial: the next piece may take it. */
static void
piece_release (Upload *upload)
{
  g_mutex_lock (&upload->partials->lock);
  if (upload->fd >= 0)
    close (upload->fd);
  upload->fd = -1;
  if (upload->key != NULL && g_hash_table_lookup (upload->partials->owners, upload->key) == upload)
    g_hash_table_remove (upload->partials->owners, upload->key);
  g_clear_pointer (&upload->key, g_free);
  g_mutex_unlock (&upload->partials->lock);
}

static void
upload_free (gpointer data)
{
  Upload *upload = data;

  if (upload->piece)
    {
      /* What arrived of a piece stays in the partial, for the next one. */
      piece_release (upload);
      g_free (upload->partial_path);
      partials_unref (upload->partials);
    }
  if (upload->fd >= 0)
    close (upload->fd);
  /* An interrupted or refused upload leaves nothing behind. */
  if (upload->tmp_path != NULL)
    g_unlink (upload->tmp_path);
  g_free (upload->tmp_path);
  sodium_memzero (&upload->sha, sizeof upload->sha);
  g_free (upload);
}

static void
upload_write (Upload       *upload,
              const guint8 *data,
              gsize         length)
{
  gsize done = 0;

  while (done < length)
    {
      ssize_t n = write (upload->fd, data + done, length - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          upload->write_errno = n < 0 ? errno : EIO;
          return;
        }
      done += (gsize) n;
    }
}

static void
on_got_chunk (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  Upload *upload = user_data;
  gsize length;
  const guint8 *data = g_bytes_get_data (chunk, &length);

  /* A slow but steady upload is not a stalled one. */
  teren_server_http_read_timer_restart (msg);
  if (upload->piece)
    {
      /* Appended as it comes (hashed once the partial is whole), unless a later piece
       * took the partial over. */
      upload->received += length;
      g_mutex_lock (&upload->partials->lock);
      if (upload->superseded && upload->write_errno == 0)
        upload->write_errno = ESTALE;
      if (upload->write_errno == 0 && upload->fd >= 0)
        upload_write (upload, data, length);
      g_mutex_unlock (&upload->partials->lock);
      return;
    }
  if (upload->head_len < HEAD_BYTES)
    {
      gsize n = MIN (HEAD_BYTES - upload->head_len, length);

      memcpy (upload->head + upload->head_len, data, n);
      upload->head_len += n;
    }
  upload->received += length;
  if (upload->write_errno != 0 || upload->received > TEREN_BLOB_MAX_SIZE)
    {
      if (upload->write_errno == 0)
        upload->write_errno = EFBIG;
      return;
    }
  crypto_hash_sha256_update (&upload->sha, data, length);
  upload_write (upload, data, length);
}

/* ---- partials: the pieces of a resumable upload --------------------------------- */

static char *
partial_dir (TerenServerBlobs *self,
             gint64            account_id)
{
  g_autofree char *name = g_strdup_printf (PARTIAL_DIR_PREFIX "%" G_GINT64_FORMAT, account_id);

  return g_build_filename (self->tmp_dir, name, NULL);
}

static char *
partial_key (gint64      account_id,
             const char *hex)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT "/%s", account_id, hex);
}

/* "<64 hex>.<total>" → TRUE, the hex (65 bytes) and the total. */
static gboolean
partial_name_parse (const char *name,
                    char        out_hex[TEREN_BLOB_HEX_LEN + 1],
                    goffset    *out_total)
{
  g_autofree char *id = NULL;
  guint64 total = 0;

  if (strlen (name) < TEREN_BLOB_HEX_LEN + 2 || name[TEREN_BLOB_HEX_LEN] != '.')
    return FALSE;
  id = g_strdup_printf ("sha256:%.*s", TEREN_BLOB_HEX_LEN, name);
  if (!teren_server_blob_id_parse (id, out_hex) ||
      !g_ascii_string_to_unsigned (name + TEREN_BLOB_HEX_LEN + 1, 10, 1, TEREN_BLOB_MAX_SIZE, &total, NULL))
    return FALSE;
  *out_total = (goffset) total;
  return TRUE;
}

typedef struct {
  char    *path;    /* the partial of the hex asked for, or NULL */
  goffset  total;
  goffset  size;
  guint    count;   /* the account's partials */
  goffset  bytes;   /* and the sum of their totals */
} PartialScan;

/* The account's partials (at most TEREN_BLOB_PARTIAL_MAX_COUNT files). */
static void
partial_scan (const char  *dir_path,
              const char  *hex,
              PartialScan *out)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  memset (out, 0, sizeof *out);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      char name_hex[TEREN_BLOB_HEX_LEN + 1];
      goffset total = 0;

      if (!partial_name_parse (name, name_hex, &total))
        continue;
      out->count++;
      out->bytes += total;
      if (hex != NULL && strcmp (name_hex, hex) == 0 && out->path == NULL)
        {
          GStatBuf st;

          out->path = g_build_filename (dir_path, name, NULL);
          out->total = total;
          out->size = g_stat (out->path, &st) == 0 ? st.st_size : 0;
        }
    }
}

/* The bytes of the account's partial of @hex, 0 when none. */
static goffset
partial_size (TerenServerBlobs *self,
              gint64            account_id,
              const char       *hex)
{
  g_autofree char *dir = partial_dir (self, account_id);
  PartialScan scan;
  goffset size;

  partial_scan (dir, hex, &scan);
  size = scan.path != NULL ? scan.size : 0;
  g_free (scan.path);
  return size;
}

/* Off the main context, once the token is known: opens (or makes) the account's partial
 * for @upload's piece and makes the piece its writer. Returns 0, or the status of a refusal
 * with its code and message; *@out_offset = the partial's bytes. */
static guint
piece_open (TerenServerBlobs  *self,
            Upload            *upload,
            gint64             account_id,
            const char       **out_code,
            char             **out_message,
            goffset           *out_offset)
{
  g_autofree char *dir = partial_dir (self, account_id);
  g_autofree char *path = NULL;
  PartialScan scan;
  Upload *previous;
  guint status = 0;
  int fd = -1;

  g_mutex_lock (&self->partials->lock);
  partial_scan (dir, upload->hex, &scan);
  *out_offset = scan.path != NULL ? scan.size : 0;
  if (scan.path != NULL && scan.total != upload->total)
    {
      g_autofree char *held = g_strdup_printf ("%" G_GOFFSET_FORMAT, scan.total);
      g_autofree char *given = g_strdup_printf ("%" G_GOFFSET_FORMAT, upload->total);

      status = SOUP_STATUS_BAD_REQUEST;
      *out_code = "bad_request";
      /* TRANSLATORS: the two numbers are sizes in bytes */
      *out_message = g_strdup_printf (_("The upload of this file under way on the server has a total of %s bytes, "
                                        "not %s; nothing was changed."), held, given);
    }
  else if (*out_offset != upload->start)
    {
      g_autofree char *held = g_strdup_printf ("%" G_GOFFSET_FORMAT, *out_offset);

      status = SOUP_STATUS_CONFLICT;
      *out_code = "bad_request";
      /* TRANSLATORS: %s is a number of bytes */
      *out_message = g_strdup_printf (_("The server holds %s bytes of this file; send the piece that starts there. "
                                        "Nothing was changed."), held);
    }
  else if (scan.path == NULL &&
           (scan.count >= TEREN_BLOB_PARTIAL_MAX_COUNT || scan.bytes + upload->total > TEREN_BLOB_PARTIAL_MAX_BYTES))
    {
      status = 429;   /* Too Many Requests */
      *out_code = "rate_limited";
      *out_message = g_strdup (_("Too many unfinished uploads of this account wait on the server; finish them, "
                                 "or they are removed after a day."));
    }
  else if (scan.path != NULL)
    {
      path = g_steal_pointer (&scan.path);
      fd = g_open (path, O_RDWR | O_APPEND | O_CLOEXEC, 0);
    }
  else
    {
      g_autofree char *name = g_strdup_printf ("%s.%" G_GOFFSET_FORMAT, upload->hex, upload->total);

      if (g_mkdir (dir, 0700) != 0 && errno != EEXIST)
        fd = -1;
      path = g_build_filename (dir, name, NULL);
      fd = g_open (path, O_RDWR | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    }
  if (status == 0 && fd < 0)
    {
      int saved = errno;

      g_warning ("cannot open a partial blob file: %s", g_strerror (saved));
      status = SOUP_STATUS_INTERNAL_SERVER_ERROR;
      *out_code = "internal";
      *out_message = g_strdup (_("The server could not store the file. Try again later."));
    }
  if (status == 0)
    {
      /* A piece still arriving for this partial (its client gave up and came back) writes
       * no more: this one goes on from the same byte. */
      upload->key = partial_key (account_id, upload->hex);
      previous = g_hash_table_lookup (self->partials->owners, upload->key);
      if (previous != NULL)
        previous->superseded = TRUE;
      g_hash_table_replace (self->partials->owners, g_strdup (upload->key), upload);
      upload->fd = fd;
      upload->partial_path = g_steal_pointer (&path);
    }
  g_mutex_unlock (&self->partials->lock);
  g_free (scan.path);
  return status;
}

/* "bytes X-Y/TOTAL" with X ≤ Y < TOTAL. */
static gboolean
content_range_parse (const char *text,
                     goffset    *out_start,
                     goffset    *out_end,
                     goffset    *out_total)
{
  guint64 values[3];
  const char *p;
  guint i;

  if (text == NULL || !g_str_has_prefix (text, "bytes "))
    return FALSE;
  p = text + strlen ("bytes ");
  for (i = 0; i < 3; i++)
    {
      char *end = NULL;

      if (!g_ascii_isdigit (*p))
        return FALSE;
      errno = 0;
      values[i] = g_ascii_strtoull (p, &end, 10);
      if (errno != 0 || end - p > 12 || *end != (i == 0 ? '-' : i == 1 ? '/' : '\0'))
        return FALSE;
      p = end + (i < 2 ? 1 : 0);
    }
  if (values[0] > values[1] || values[1] >= values[2])
    return FALSE;
  *out_start = (goffset) values[0];
  *out_end = (goffset) values[1];
  *out_total = (goffset) values[2];
  return TRUE;
}

/* The token of an upload, checked in a thread while the message waits (paused); for a
 * piece, its partial opened there too. */
typedef struct {
  TerenServerBlobs       *self;
  TerenServerBackend     *backend;
  SoupServerMessage      *msg;
  Upload                 *upload;          /* the message's */
  char                   *token_hash;
  gint64                  token_idle;
  TerenServerTokenStatus  status;
  char                   *account;
  gboolean                gone;
  gulong                  disconnected_id;
  guint                   refuse_status;   /* the piece refused, or 0 */
  const char             *refuse_code;
  char                   *refuse_message;
  goffset                 offset;
} AuthCheck;

static void
auth_check_free (AuthCheck *check)
{
  if (check->disconnected_id != 0)
    g_signal_handler_disconnect (check->msg, check->disconnected_id);
  g_object_unref (check->msg);
  g_free (check->token_hash);
  g_free (check->account);
  g_free (check->refuse_message);
  g_free (check);
}

static void
auth_check_in_thread (GTask        *task,
                      gpointer      source,
                      gpointer      data,
                      GCancellable *cancellable)
{
  AuthCheck *check = data;
  TerenServerCaller *caller = NULL;

  check->status = teren_server_backend_token_check (check->backend, check->token_hash,
                                                    g_get_real_time () / G_USEC_PER_SEC, check->token_idle,
                                                    &caller, NULL);
  if (caller != NULL)
    check->account = g_strdup (caller->account->username);
  if (caller != NULL && check->status == TEREN_SERVER_TOKEN_OK && check->upload->piece)
    check->refuse_status = piece_open (check->self, check->upload, caller->account->id, &check->refuse_code,
                                       &check->refuse_message, &check->offset);
  teren_server_caller_free (caller);
  g_task_return_boolean (task, TRUE);
}

static void
auth_check_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  AuthCheck *check = g_task_get_task_data (G_TASK (result));

  if (check->gone)
    return;   /* the client left: libsoup drops the message (and the upload with it) */
  switch (check->status)
    {
    case TEREN_SERVER_TOKEN_OK:
      if (check->refuse_status != 0)
        {
          g_autofree char *offset = g_strdup_printf ("%" G_GOFFSET_FORMAT, check->offset);

          teren_server_http_refuse_unread_header (check->msg, check->refuse_status, check->refuse_code,
                                                  check->refuse_message, check->account,
                                                  TEREN_UPLOAD_OFFSET_HEADER, offset);
          break;
        }
      soup_server_message_unpause (check->msg);
      break;
    case TEREN_SERVER_TOKEN_REVOKED:
      teren_server_http_refuse_unread (check->msg, SOUP_STATUS_FORBIDDEN, "device_revoked",
                                       _("This device was revoked by the administrator."), check->account);
      break;
    case TEREN_SERVER_TOKEN_INVALID:
    default:
      teren_server_http_refuse_unread (check->msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                                       _("The session has ended. Log in again."), NULL);
      break;
    }
}

static void
on_upload_disconnected (SoupServerMessage *msg,
                        gpointer           user_data)
{
  AuthCheck *check = user_data;

  check->gone = TRUE;
}

TerenServerBlobEarly
teren_server_blobs_early (TerenServerBlobs   *self,
                          SoupServerMessage  *msg,
                          const char         *path,
                          gint64              token_idle,
                          guint              *out_status,
                          const char        **out_code,
                          char              **out_message)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *encoding = soup_message_headers_get_one (headers, "Content-Encoding");
  g_autofree char *template = NULL;
  g_autofree char *token_hash = NULL;
  g_autoptr(GTask) task = NULL;
  AuthCheck *check;
  Upload *upload;
  goffset length;
  const char *range = soup_message_headers_get_one (headers, "Content-Range");
  char hex[TEREN_BLOB_HEX_LEN + 1];
  goffset start = 0, end = 0, total = 0;

  if (!g_str_has_prefix (path, BLOB_PATH_PREFIX) ||
      strcmp (soup_server_message_get_method (msg), "PUT") != 0 ||
      soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH)
    return TEREN_SERVER_BLOB_EARLY_NOT_BLOB;   /* no body, or chunked: the usual rules */

  length = soup_message_headers_get_content_length (headers);
  if (length > TEREN_BLOB_MAX_SIZE)
    {
      *out_status = SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE;
      *out_code = "too_large";
      *out_message = g_strdup (_("The file is larger than 10 MiB, the limit for attachments."));
      return TEREN_SERVER_BLOB_EARLY_REFUSE;
    }
  if (encoding != NULL && encoding[0] != '\0' && g_ascii_strcasecmp (encoding, "identity") != 0)
    {
      *out_status = SOUP_STATUS_BAD_REQUEST;
      *out_code = "bad_request";
      *out_message = g_strdup (_("An attachment is sent as it is, without a Content-Encoding."));
      return TEREN_SERVER_BLOB_EARLY_REFUSE;
    }
  token_hash = teren_server_bearer_token_hash (soup_message_headers_get_one (headers, "Authorization"));
  if (token_hash == NULL)
    {
      *out_status = SOUP_STATUS_UNAUTHORIZED;
      *out_code = "unauthorized";
      *out_message = g_strdup (_("Log in first."));
      return TEREN_SERVER_BLOB_EARLY_REFUSE;
    }

  if (range != NULL && self->resume)
    {
      /* A piece of a resumable upload. */
      if (!content_range_parse (range, &start, &end, &total))
        {
          *out_status = SOUP_STATUS_BAD_REQUEST;
          *out_code = "bad_request";
          *out_message = g_strdup (_("A piece of an attachment has Content-Range: bytes FIRST-LAST/TOTAL."));
          return TEREN_SERVER_BLOB_EARLY_REFUSE;
        }
      if (total > TEREN_BLOB_MAX_SIZE)
        {
          *out_status = SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE;
          *out_code = "too_large";
          *out_message = g_strdup (_("The file is larger than 10 MiB, the limit for attachments."));
          return TEREN_SERVER_BLOB_EARLY_REFUSE;
        }
      if (end - start + 1 != length)
        {
          *out_status = SOUP_STATUS_BAD_REQUEST;
          *out_code = "bad_request";
          *out_message = g_strdup (_("The Content-Range of the piece does not match its Content-Length."));
          return TEREN_SERVER_BLOB_EARLY_REFUSE;
        }
      if (!teren_server_blob_id_parse (path + strlen (BLOB_PATH_PREFIX), hex))
        {
          *out_status = SOUP_STATUS_BAD_REQUEST;
          *out_code = "bad_request";
          *out_message = g_strdup (_("An attachment’s address is sha256: followed by 64 lower-case hex digits."));
          return TEREN_SERVER_BLOB_EARLY_REFUSE;
        }
    }

  upload = g_new0 (Upload, 1);
  upload->expected = length;
  crypto_hash_sha256_init (&upload->sha);
  if (range != NULL && self->resume)
    {
      /* The partial is opened once the account is known (auth_check_in_thread). */
      upload->piece = TRUE;
      memcpy (upload->hex, hex, sizeof hex);
      upload->start = start;
      upload->total = total;
      upload->partials = partials_ref (self->partials);
      upload->fd = -1;
    }
  else
    {
      template = g_build_filename (self->tmp_dir, "upload-XXXXXX", NULL);
      upload->fd = g_mkstemp_full (template, O_RDWR | O_CLOEXEC, 0600);
    }
  if (!upload->piece && upload->fd < 0)
    {
      int saved = errno;

      g_free (upload);
      g_warning ("cannot create a temporary blob file: %s", g_strerror (saved));
      *out_status = SOUP_STATUS_INTERNAL_SERVER_ERROR;
      *out_code = "internal";
      *out_message = g_strdup (_("The server could not store the file. Try again later."));
      return TEREN_SERVER_BLOB_EARLY_REFUSE;
    }
  upload->tmp_path = g_steal_pointer (&template);   /* NULL for a piece */

  /* Never more than one chunk in memory: libsoup hands each to on_got_chunk and keeps none. */
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_object_set_data_full (G_OBJECT (msg), UPLOAD_KEY, upload, upload_free);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (on_got_chunk), upload);

  /* Nothing of the body is read before the token is known good. */
  check = g_new0 (AuthCheck, 1);
  check->self = self;
  check->upload = upload;
  check->backend = self->backend;
  check->msg = g_object_ref (msg);
  check->token_hash = g_steal_pointer (&token_hash);
  check->token_idle = token_idle;
  check->disconnected_id = g_signal_connect (msg, "disconnected", G_CALLBACK (on_upload_disconnected), check);
  soup_server_message_pause (msg);
  task = g_task_new (NULL, NULL, auth_check_done, NULL);
  g_task_set_task_data (task, check, (GDestroyNotify) auth_check_free);
  g_task_run_in_thread (task, auth_check_in_thread);
  return TEREN_SERVER_BLOB_EARLY_STREAMING;
}

/* ---- the endpoint (worker thread) -------------------------------------------------- */

typedef struct {
  TerenServerBlobs *self;
  char            **tmp_path;   /* the file to move into place; cleared once moved or removed */
  goffset           size;
  gboolean          renamed;
} Install;

/* Inside the backend's write: the temporary file becomes <dir>/<2 hex>/<hex>, unless the
 * blob is there already (then nothing is rewritten). */
static gboolean
install_file (const char  *hex,
              gpointer     user_data,
              GError     **error)
{
  Install *install = user_data;
  g_autofree char *subdir = blob_subdir (install->self, hex);
  g_autofree char *path = blob_path (install->self, hex);
  GStatBuf st;
  gboolean new_dir;

  if (g_stat (path, &st) == 0 && st.st_size == install->size)
    {
      g_unlink (*install->tmp_path);
      g_clear_pointer (install->tmp_path, g_free);
      return TRUE;
    }
  new_dir = !g_file_test (subdir, G_FILE_TEST_IS_DIR);
  if (new_dir && g_mkdir (subdir, 0700) != 0 && errno != EEXIST)
    {
      int saved = errno;

      g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO, "mkdir %s: %s", subdir, g_strerror (saved));
      return FALSE;
    }
  if (new_dir && !fsync_dir (install->self->dir, error))
    return FALSE;
  if (g_rename (*install->tmp_path, path) != 0)
    {
      int saved = errno;

      g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO, "rename %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  g_clear_pointer (install->tmp_path, g_free);
  /* The folder's fsync comes after, outside the writer lock (pushes do not wait for it);
   * the answer waits for it. */
  install->renamed = TRUE;
  return TRUE;
}

static void
audit_blob (TerenServerRequest *r,
            TerenServerCaller  *caller,
            const char         *action,
            const char         *hex,
            gint64              size,
            int                 created)
{
  g_autofree char *detail = NULL;

  /* The blob's hash and size only: never its name or contents. */
  if (created >= 0)
    detail = g_strdup_printf ("{\"blob\":\"sha256:%s\",\"size\":%" G_GINT64_FORMAT ",\"created\":%s}", hex, size,
                              created ? "true" : "false");
  else
    detail = g_strdup_printf ("{\"blob\":\"sha256:%s\",\"size\":%" G_GINT64_FORMAT "}", hex, size);
  teren_server_backend_audit (r->http->backend, caller->account->username, caller->device_id, action, NULL, NULL,
                              detail, NULL);
}

static void
answer_blob (TerenServerRequest *r,
             guint               status,
             const char         *hex,
             gint64              size,
             const char         *mime,
             gboolean            created)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *id = g_strconcat ("sha256:", hex, NULL);
  g_autofree char *now = teren_now_iso8601 ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "blob");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, size);
  json_builder_set_member_name (builder, "mime");
  json_builder_add_string_value (builder, mime);
  json_builder_set_member_name (builder, "created");
  json_builder_add_boolean_value (builder, created);
  json_builder_set_member_name (builder, "server_time");
  json_builder_add_string_value (builder, now);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  teren_server_request_answer_json (r, root);
  r->status = status;
}

/* A file whose hash and type were checked: stored as the blob @hex (the row, the audit row,
 * the file moved into place with fsyncs), or found stored already. @fd (its descriptor) is
 * closed; *@tmp_path is cleared once the file was moved or removed. */
static void
store_verified (TerenServerBlobs   *self,
                TerenServerRequest *r,
                TerenServerCaller  *caller,
                const char         *hex,
                int                *fd,
                char              **tmp_path,
                goffset             size,
                const char         *mime)
{
  g_autoptr(GError) error = NULL;
  Install install = { self, tmp_path, size, FALSE };
  gboolean created = FALSE;

  /* Already stored (same hash, same size): nothing to make durable, nothing rewritten. */
  {
    g_autoptr(TerenServerBlobInfo) info = NULL;
    g_autofree char *path = blob_path (self, hex);
    GStatBuf st;

    if (teren_server_backend_blob_get (r->http->backend, hex, &info, NULL) && info != NULL &&
        g_stat (path, &st) == 0 && st.st_size == size)
      {
        audit_blob (r, caller, "blob_upload", hex, size, FALSE);
        answer_blob (r, SOUP_STATUS_OK, hex, size, info->mime, FALSE);
        return;
      }
  }

  if (fsync (*fd) != 0)
    {
      g_warning ("blob fsync failed: %s", g_strerror (errno));
      teren_server_request_answer_error (r, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                                         _("The server could not store the file. Try again later."));
      return;
    }
  close (*fd);
  *fd = -1;

  if (!teren_server_backend_blob_put (r->http->backend, caller, hex, size, mime, install_file,
                                      &install, &created, &error))
    {
      g_warning ("blob store failed: %s", error != NULL ? error->message : "?");
      teren_server_request_answer_error (r, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                                         _("The server could not store the file. Try again later."));
      return;
    }
  if (install.renamed)
    {
      g_autofree char *subdir = blob_subdir (self, hex);

      if (!fsync_dir (subdir, &error))
        {
          g_warning ("blob store failed: %s", error->message);
          teren_server_request_answer_error (r, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                                             _("The server could not store the file. Try again later."));
          return;
        }
    }
  answer_blob (r, created ? SOUP_STATUS_CREATED : SOUP_STATUS_OK, hex, size, mime, created);
}

static void
store_upload (TerenServerBlobs   *self,
              TerenServerRequest *r,
              TerenServerCaller  *caller,
              const char         *hex,
              Upload             *upload)
{
  guint8 digest[crypto_hash_sha256_BYTES];
  char digest_hex[TEREN_BLOB_HEX_LEN + 1];
  const char *mime;

  if (upload == NULL || upload->fd < 0)
    {
      teren_server_request_answer_error (r, SOUP_STATUS_BAD_REQUEST, "bad_request",
                                         _("The file must be the request body, with a Content-Length."));
      return;
    }
  if (upload->write_errno != 0)
    {
      g_warning ("blob upload failed: %s", g_strerror (upload->write_errno));
      teren_server_request_answer_error (r, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                                         _("The server could not store the file. Try again later."));
      return;
    }
  if (upload->received == 0 || upload->received != upload->expected)
    {
      teren_server_request_answer_error (r, SOUP_STATUS_BAD_REQUEST, "bad_request",
                                         upload->received == 0 ? _("The file is empty.")
                                                               : _("The file arrived incomplete."));
      return;
    }

  crypto_hash_sha256_final (&upload->sha, digest);
  sodium_bin2hex (digest_hex, sizeof digest_hex, digest, sizeof digest);
  if (strcmp (digest_hex, hex) != 0)
    {
      teren_server_request_answer_error (r, SOUP_STATUS_BAD_REQUEST, "bad_request",
                                         _("hash mismatch: the file’s SHA-256 is not the one in its address; "
                                           "nothing was stored."));
      return;
    }
  mime = teren_server_blob_sniff (upload->head, upload->head_len);
  if (mime == NULL)
    {
      teren_server_request_answer_error (r, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "unsupported_type",
                                         _("Only PDF documents and JPEG or PNG images can be attached; "
                                           "this file is none of them, whatever its name."));
      return;
    }

  store_verified (self, r, caller, hex, &upload->fd, &upload->tmp_path, upload->received, mime);
}

static void
answer_piece (TerenServerRequest *r,
              const char         *hex,
              goffset             offset,
              goffset             total)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *id = g_strconcat ("sha256:", hex, NULL);
  g_autofree char *now = teren_now_iso8601 ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "blob");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "offset");
  json_builder_add_int_value (builder, offset);
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, total);
  json_builder_set_member_name (builder, "complete");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_set_member_name (builder, "server_time");
  json_builder_add_string_value (builder, now);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  teren_server_request_answer_json (r, root);
  r->status = SOUP_STATUS_ACCEPTED;
}

/* The SHA-256 (hex) and the first bytes of the @size bytes of @fd. */
static gboolean
hash_file (int      fd,
           goffset  size,
           char     out_hex[TEREN_BLOB_HEX_LEN + 1],
           guint8   out_head[HEAD_BYTES],
           gsize   *out_head_len)
{
  crypto_hash_sha256_state sha;
  guint8 digest[crypto_hash_sha256_BYTES];
  g_autofree guint8 *buffer = g_malloc (64 * 1024);
  goffset done = 0;

  crypto_hash_sha256_init (&sha);
  *out_head_len = 0;
  while (done < size)
    {
      ssize_t n = pread (fd, buffer, (size_t) MIN (size - done, 64 * 1024), done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      if (done == 0)
        {
          *out_head_len = MIN ((gsize) n, HEAD_BYTES);
          memcpy (out_head, buffer, *out_head_len);
        }
      crypto_hash_sha256_update (&sha, buffer, (gsize) n);
      done += n;
    }
  crypto_hash_sha256_final (&sha, digest);
  sodium_bin2hex (out_hex, TEREN_BLOB_HEX_LEN + 1, digest, sizeof digest);
  return TRUE;
}

/* A piece has arrived whole: 202 while the partial is short of its total; the piece that
 * completes it stores the blob as a whole upload does. The partial goes once complete,
 * stored or refused. */
static void
handle_piece (TerenServerBlobs   *self,
              TerenServerRequest *r,
              TerenServerCaller  *caller,
              const char         *hex,
              Upload             *upload)
{
  char digest_hex[TEREN_BLOB_HEX_LEN + 1];
  guint8 head[HEAD_BYTES];
  gsize head_len = 0;
  const char *mime;
  gboolean superseded;
  GStatBuf st;
  goffset size = 0;

  g_mutex_lock (&self->partials->lock);
  superseded = upload->superseded || upload->key == NULL;
  g_mutex_unlock (&self->partials->lock);
  if (upload->fd >= 0 && fstat (upload->fd, &st) == 0)
    size = st.st_size;
  r->upload_offset = g_strdup_printf ("%" G_GOFFSET_FORMAT, size);

  if (superseded || strcmp (hex, upload->hex) != 0)
    {
      teren_server_request_answer_error (r, SOUP_STATUS_CONFLICT, "bad_request",
                                         _("Another upload of this file took over on the server; send the piece "
                                           "that starts at the offset given."));
      return;
    }
  if (upload->write_errno != 0)
    {
      g_warning ("blob upload failed: %s", g_strerror (upload->write_errno));
      teren_server_request_answer_error (r, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                                         _("The server could not store the file. Try again later."));
      return;
    }
  if (upload->received != upload->expected)
    {
      teren_server_request_answer_error (r, SOUP_STATUS_BAD_REQUEST, "bad_request",
                                         _("The file arrived incomplete."));
      return;
    }
  if (size < upload->total)
    {
      answer_piece (r, hex, size, upload->total);
      return;
    }

  /* Complete: checked as a whole upload is. */
  if (size != upload->total || !hash_file (upload->fd, size, digest_hex, head, &head_len))
    {
      g_warning ("partial blob unreadable or too long");
      teren_server_request_answer_error (r, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                                         _("The server could not store the file. Try again later."));
    }
  else if (strcmp (digest_hex, hex) != 0)
    teren_server_request_answer_error (r, SOUP_STATUS_BAD_REQUEST, "bad_request",
                                       _("hash mismatch: the file’s SHA-256 is not the one in its address; "
                                         "nothing was stored."));
  else if ((mime = teren_server_blob_sniff (head, head_len)) == NULL)
    teren_server_request_answer_error (r, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "unsupported_type",
                                       _("Only PDF documents and JPEG or PNG images can be attached; "
                                         "this file is none of them, whatever its name."));
  else
    store_verified (self, r, caller, hex, &upload->fd, &upload->partial_path, size, mime);

  /* Stored (moved away), or refused: the next upload of this file starts from 0. */
  if (upload->partial_path != NULL)
    g_unlink (upload->partial_path);
  g_clear_pointer (&upload->partial_path, g_free);
  g_free (r->upload_offset);
  r->upload_offset = g_strdup_printf ("%" G_GOFFSET_FORMAT, r->status < 300 ? size : 0);
}

static void
handle_put (TerenServerBlobs   *self,
            TerenServerRequest *r,
            TerenServerCaller  *caller,
            const char         *hex)
{
  Upload *upload = g_object_get_data (G_OBJECT (r->msg), UPLOAD_KEY);

  if (upload != NULL && upload->piece)
    {
      handle_piece (self, r, caller, hex, upload);
      /* Done with the partial: the next piece may come at once. */
      piece_release (upload);
      return;
    }
  store_upload (self, r, caller, hex, upload);
  /* Refused, or known already: the temporary file goes now, before the answer. */
  if (upload != NULL)
    {
      if (upload->fd >= 0)
        close (upload->fd);
      upload->fd = -1;
      if (upload->tmp_path != NULL)
        g_unlink (upload->tmp_path);
      g_clear_pointer (&upload->tmp_path, g_free);
    }
}

static void
handle_head (TerenServerBlobs   *self,
             TerenServerRequest *r,
             TerenServerCaller  *caller,
             const char         *hex)
{
  g_autoptr(TerenServerBlobInfo) info = NULL;
  g_autofree char *path = blob_path (self, hex);

  if (!teren_server_backend_blob_get (r->http->backend, hex, &info, NULL))
    {
      teren_server_request_answer_error (r, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                                         _("The server could not read the file."));
      return;
    }
  if (info == NULL || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      teren_server_request_answer_error (r, SOUP_STATUS_NOT_FOUND, "not_found",
                                         _("The server does not have this file."));
      /* Where a resumable upload of it by this account stands. */
      if (self->resume)
        r->upload_offset = g_strdup_printf ("%" G_GOFFSET_FORMAT,
                                            self->stale_head ? 0 : partial_size (self, caller->account->id, hex));
      return;
    }
  r->status = SOUP_STATUS_OK;
  r->response_type = g_strdup (info->mime);
  r->response_length = info->size;
}

static void
handle_get (TerenServerBlobs   *self,
            TerenServerRequest *r,
            TerenServerCaller  *caller,
            const char         *hex)
{
  g_autoptr(TerenServerBlobInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = blob_path (self, hex);
  GMappedFile *mapped;
  TerenServerBlobAccess access;

  access = teren_server_backend_blob_access (r->http->backend, caller, hex, &info, &error);
  if (error != NULL)
    {
      g_warning ("blob access check failed: %s", error->message);
      teren_server_request_answer_error (r, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                                         _("The server could not read the file."));
      return;
    }
  switch (access)
    {
    case TEREN_SERVER_BLOB_ACCESS_OK:
      break;
    case TEREN_SERVER_BLOB_ACCESS_FORBIDDEN:
      audit_blob (r, caller, "blob_denied", hex, info != NULL ? info->size : 0, -1);
      teren_server_request_answer_error (r, SOUP_STATUS_FORBIDDEN, "forbidden",
                                         _("This file belongs to a record outside your service lines."));
      return;
    case TEREN_SERVER_BLOB_ACCESS_NOT_FOUND:
    default:
      teren_server_request_answer_error (r, SOUP_STATUS_NOT_FOUND, "not_found",
                                         _("The server does not have this file."));
      return;
    }

  mapped = g_mapped_file_new (path, FALSE, &error);
  if (mapped == NULL)
    {
      g_warning ("blob read failed: %s", error->message);
      teren_server_request_answer_error (r, SOUP_STATUS_NOT_FOUND, "not_found",
                                         _("The server does not have this file."));
      return;
    }
  r->response_bytes = g_mapped_file_get_bytes (mapped);
  g_mapped_file_unref (mapped);
  r->response_type = g_strdup (info->mime);
  r->status = SOUP_STATUS_OK;
  audit_blob (r, caller, "blob_download", hex, info->size, -1);
}

void
teren_server_blobs_handle (TerenServerRequest *r,
                           TerenServerCaller  *caller)
{
  TerenServerBlobs *self = r->http->blobs;
  const char *id = r->path + strlen ("/blobs/");
  char hex[TEREN_BLOB_HEX_LEN + 1];

  if (self == NULL)
    {
      teren_server_request_answer_error (r, SOUP_STATUS_NOT_FOUND, "not_found", _("There is nothing at this address."));
      return;
    }
  if (!teren_server_blob_id_parse (id, hex))
    {
      teren_server_request_answer_error (r, SOUP_STATUS_BAD_REQUEST, "bad_request",
                                         _("An attachment’s address is sha256: followed by 64 lower-case hex digits."));
      return;
    }
  if (strcmp (r->method, "PUT") == 0)
    handle_put (self, r, caller, hex);
  else if (strcmp (r->method, "HEAD") == 0)
    handle_head (self, r, caller, hex);
  else if (strcmp (r->method, "GET") == 0)
    handle_get (self, r, caller, hex);
  else
    teren_server_request_answer_error (r, SOUP_STATUS_METHOD_NOT_ALLOWED, "bad_request",
                                       _("This method is not allowed here."));
}

/* ---- collection ------------------------------------------------------------------ */

static gboolean
remove_file (const char  *hex,
             gpointer     user_data,
             GError     **error)
{
  TerenServerBlobs *self = user_data;
  g_autofree char *path = blob_path (self, hex);

  if (g_unlink (path) != 0 && errno != ENOENT)
    {
      int saved = errno;

      g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO, "unlink %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* The partials of one account's folder not written for a day, or all of them when the
 * account is gone or disabled (@keep FALSE); the folder too once empty. */
static void
sweep_partials (TerenServerBlobs *self,
                const char       *dir_path,
                gint64            account_id,
                gboolean          keep,
                gint64            now)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_mutex_lock (&self->partials->lock);
  dir = g_dir_open (dir_path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      char hex[TEREN_BLOB_HEX_LEN + 1];
      goffset total = 0;
      GStatBuf st;

      if (partial_name_parse (name, hex, &total))
        {
          g_autofree char *key = partial_key (account_id, hex);

          if (g_hash_table_contains (self->partials->owners, key))
            continue;   /* being written */
        }
      if (!keep || (g_stat (path, &st) == 0 && now - st.st_mtime > TMP_MAX_AGE_SECONDS))
        g_unlink (path);
    }
  g_rmdir (dir_path);   /* fails while not empty */
  g_mutex_unlock (&self->partials->lock);
}

static void
sweep_tmp (TerenServerBlobs *self)
{
  g_autoptr(GDir) dir = g_dir_open (self->tmp_dir, 0, NULL);
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GHashTable) active = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char *name;
  guint i;

  /* The accounts whose partials may stay (none known: all stay, by age only). */
  accounts = teren_server_backend_account_list (self->backend, NULL);
  for (i = 0; accounts != NULL && i < accounts->len; i++)
    {
      TerenServerAccount *account = g_ptr_array_index (accounts, i);

      if (!account->disabled)
        g_hash_table_add (active, g_memdup2 (&account->id, sizeof account->id));
    }

  /* Leftovers of a server killed in the middle of an upload, and partials of resumable
   * uploads left unfinished. */
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (self->tmp_dir, name, NULL);
      GStatBuf st;
      guint64 id = 0;

      if (g_str_has_prefix (name, "upload-") && g_stat (path, &st) == 0 && now - st.st_mtime > TMP_MAX_AGE_SECONDS)
        g_unlink (path);
      else if (g_str_has_prefix (name, PARTIAL_DIR_PREFIX) &&
               g_ascii_string_to_unsigned (name + strlen (PARTIAL_DIR_PREFIX), 10, 0, G_MAXINT64, &id, NULL))
        {
          gint64 account_id = (gint64) id;

          sweep_partials (self, path, account_id,
                          accounts == NULL || g_hash_table_contains (active, &account_id), now);
        }
    }
}

gboolean
teren_server_blobs_gc (TerenServerBlobs  *self,
                       gint64             max_age_seconds,
                       guint             *out_removed,
                       guint64           *out_removed_bytes,
                       guint             *out_kept,
                       GError           **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) cutoff = g_date_time_add_seconds (now, (gdouble) -max_age_seconds);
  g_autofree char *before = g_date_time_format (cutoff, "%Y-%m-%dT%H:%M:%S.%fZ");
  g_autoptr(GPtrArray) old_files = g_ptr_array_new_with_free_func (g_free);
  gint64 now_s = g_get_real_time () / G_USEC_PER_SEC;
  guint i;

  sweep_tmp (self);
  /* Blob files older than the limit that have no row are removed too. */
  for (i = 0; i < 256; i++)
    {
      g_autofree char *name = g_strdup_printf ("%02x", i);
      g_autofree char *sub = g_build_filename (self->dir, name, NULL);
      g_autoptr(GDir) dir = g_dir_open (sub, 0, NULL);
      const char *entry;
      char hex[TEREN_BLOB_HEX_LEN + 1];

      while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *id = g_strconcat ("sha256:", entry, NULL);
          g_autofree char *path = g_build_filename (sub, entry, NULL);
          GStatBuf st;

          g_autoptr(TerenServerBlobInfo) info = NULL;

          /* A first look with a reader; the backend looks again under the writer lock. */
          if (teren_server_blob_id_parse (id, hex) && strncmp (hex, name, 2) == 0 &&
              g_stat (path, &st) == 0 && now_s - st.st_mtime > max_age_seconds &&
              teren_server_backend_blob_get (self->backend, hex, &info, NULL) && info == NULL)
            g_ptr_array_add (old_files, g_strdup (hex));
        }
    }
  g_ptr_array_add (old_files, NULL);
  return teren_server_backend_blob_gc (self->backend, before, (const char * const *) old_files->pdata, remove_file,
                                       self, out_removed, out_removed_bytes, out_kept, error);
}

static void
gc_in_thread (gpointer data,
              gpointer user_data)
{
  TerenServerBlobs *self = user_data;
  g_autoptr(GError) error = NULL;
  guint removed = 0, kept = 0;
  guint64 bytes = 0;

  if (!teren_server_blobs_gc (self, (gint64) TEREN_BLOB_GC_AGE_DAYS * 24 * 3600, &removed, &bytes, &kept, &error))
    g_warning ("blob collection failed: %s", error != NULL ? error->message : "?");
  else
    g_message ("blob collection: %u removed (%" G_GUINT64_FORMAT " bytes), %u kept", removed, bytes, kept);
}

static gboolean
gc_tick (gpointer data)
{
  TerenServerBlobs *self = data;

  /* At most one waiting: a collection still running is not queued twice. */
  if (g_thread_pool_unprocessed (self->gc_pool) == 0)
    g_thread_pool_push (self->gc_pool, GINT_TO_POINTER (1), NULL);
  return G_SOURCE_CONTINUE;
}

static gboolean
gc_first (gpointer data)
{
  TerenServerBlobs *self = data;

  gc_tick (self);
  self->gc_source = g_timeout_add_seconds (self->gc_interval, gc_tick, self);
  return G_SOURCE_REMOVE;
}

guint
teren_server_blobs_gc_interval (void)
{
  const char *text = g_getenv ("TEREN_SERVER_BLOB_GC_SECONDS");
  guint64 value = 0;

  if (text != NULL && g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT32, &value, NULL))
    return (guint) value;
  return 24 * 3600;
}

void
teren_server_blobs_start_gc_timer (TerenServerBlobs *self,
                                   guint             interval_seconds)
{
  if (self->gc_pool != NULL || interval_seconds == 0)
    return;
  self->gc_pool = g_thread_pool_new (gc_in_thread, self, 1, FALSE, NULL);
  self->gc_interval = interval_seconds;
  /* The first one soon after the start, then every interval. */
  self->gc_source = g_timeout_add_seconds (MIN (60, interval_seconds), gc_first, self);
}

/* ---- admin command ----------------------------------------------------------------- */

int
teren_server_blobs_cli_gc (const char *data_dir)
{
  g_autoptr(GError) error = NULL;
  TerenServerBackend *backend;
  TerenServerBlobs *blobs;
  guint removed = 0, kept = 0;
  guint64 bytes = 0;
  gboolean ok;

  backend = teren_server_backend_open (data_dir, &error);
  if (backend == NULL)
    {
      fprintf (stderr, "teren-server: %s\n", error->message);
      return 1;
    }
  blobs = teren_server_blobs_new (data_dir, backend, &error);
  ok = blobs != NULL &&
       teren_server_blobs_gc (blobs, (gint64) TEREN_BLOB_GC_AGE_DAYS * 24 * 3600, &removed, &bytes, &kept, &error);
  teren_server_blobs_free (blobs);
  if (!teren_server_backend_close (backend, ok ? &error : NULL))
    ok = FALSE;
  teren_server_backend_free (backend);
  if (!ok)
    {
      fprintf (stderr, "teren-server: %s\n", error != NULL ? error->message : "?");
      return 1;
    }
  /* One fact a line, for scripts: not translated. */
  printf ("blobs removed: %u (%" G_GUINT64_FORMAT " bytes)\nblobs kept: %u\n", removed, bytes, kept);
  return 0;
}
