/* test-server-blobs.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <utime.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "teren-server-test-util.h"

/* Attachments on the real teren-server (issue 8, SYNC.md "Other endpoints"):
 * PUT/HEAD/GET /api/v1/blobs/sha256:<hex>, the push answer `missing_blob`, the scope of a
 * blob's GET, and `teren-server gc-blobs`. */

#define PASSWORD "parola-test"

typedef struct {
  TerenTestServer *server;
  SoupSession     *session;
  TerenTestDevice *ana;       /* account "ana" (line child) logged in */
  gboolean         own;       /* a server of this test only (its own environment) */
  guint            files0;    /* files under blobs/ when the test started */
  gint64           blobs0;    /* rows of `blobs` */
  gint64           uploads0;  /* audit rows blob_upload */
  gint64           downloads0; /* audit rows blob_download */
} Fixture;

/* Most tests share one server (each start, account and login costs Argon2 time); those
 * that need their own environment start their own. */
static TerenTestServer *shared_server;
static TerenTestDevice *shared_ana;

static guint  count_blob_files (Fixture *f);
static gint64 db_count         (Fixture *f, const char *sql);

static TerenTestServer *
start_server (const char * const *env)
{
  TerenTestServer *server = teren_test_server_new ();

  if (env != NULL)
    teren_test_server_set_env (server, env);
  teren_test_server_add_user (server, "ana", PASSWORD, "child", "worker");
  teren_test_server_start (server);
  return server;
}

/* The server stops cleanly, with no critical warning and no sanitizer report. */
static void
stop_server (TerenTestServer *server)
{
  g_autofree char *log = NULL;
  int status;

  status = teren_test_server_term (server, 60);
  log = teren_test_server_get_stderr (server);
  if (strstr (log, "Sanitizer") != NULL || strstr (log, "runtime error") != NULL || strstr (log, "CRITICAL") != NULL)
    g_test_message ("server stderr:\n%s", log);
  g_assert_null (strstr (log, "Sanitizer"));
  g_assert_null (strstr (log, "runtime error"));
  g_assert_null (strstr (log, "CRITICAL"));
  g_assert_cmpint (status, ==, 0);
  teren_test_server_free (server);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->own = data != NULL;
  if (f->own)
    {
      f->server = start_server (data);
      f->ana = teren_test_device_new (f->server, "ana", PASSWORD, NULL);
    }
  else
    {
      if (shared_server == NULL)
        {
          shared_server = start_server (NULL);
          shared_ana = teren_test_device_new (shared_server, "ana", PASSWORD, NULL);
        }
      f->server = shared_server;
      f->ana = shared_ana;
    }
  f->session = teren_test_session_new ();
  f->files0 = count_blob_files (f);
  f->blobs0 = db_count (f, "SELECT count(*) FROM blobs");
  f->uploads0 = db_count (f, "SELECT count(*) FROM audit WHERE action = 'blob_upload'");
  f->downloads0 = db_count (f, "SELECT count(*) FROM audit WHERE action = 'blob_download'");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->session);
  if (f->own)
    {
      teren_test_device_free (f->ana);
      stop_server (f->server);
    }
}

static void
test_shared_server_stops (void)
{
  if (shared_server == NULL)
    return;
  g_clear_pointer (&shared_ana, teren_test_device_free);
  stop_server (g_steal_pointer (&shared_server));
}

/* ---- helpers ------------------------------------------------------------------ */

/* Content of @size bytes starting with the magic of @kind ("png", "jpeg", "pdf", "elf"),
 * then pseudo-random bytes from @seed. */
static GBytes *
make_content (const char *kind,
              gsize       size,
              guint32     seed)
{
  static const guint8 png[] = { 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A };
  static const guint8 jpeg[] = { 0xFF, 0xD8, 0xFF, 0xE0 };
  static const guint8 elf[] = { 0x7F, 'E', 'L', 'F', 0x02, 0x01, 0x01, 0x00 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint8 *data = g_malloc (size);
  gsize i;

  for (i = 0; i < size; i++)
    data[i] = (guint8) g_rand_int_range (rand, 0, 256);
  if (strcmp (kind, "png") == 0)
    memcpy (data, png, sizeof png);
  else if (strcmp (kind, "jpeg") == 0)
    memcpy (data, jpeg, sizeof jpeg);
  else if (strcmp (kind, "pdf") == 0)
    memcpy (data, "%PDF-1.7\n", 9);
  else if (strcmp (kind, "elf") == 0)
    memcpy (data, elf, sizeof elf);
  return g_bytes_new_take (data, size);
}

static char *
content_hex (GBytes *content)
{
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, content);
}

static char *
blob_url_path (const char *hex)
{
  return g_strconcat ("/api/v1/blobs/sha256:", hex, NULL);
}

static TerenTestResponse *
put_blob_as (Fixture    *f,
             const char *token,
             const char *hex,
             GBytes     *content,
             const char *content_type)
{
  g_autofree char *path = blob_url_path (hex);
  const char *headers[] = { "Content-Type", content_type, NULL };
  gsize length;
  const char *data = g_bytes_get_data (content, &length);

  return teren_test_request_full (f->session, f->server, "PUT", path, token, data, length,
                                  content_type != NULL ? headers : NULL);
}

static guint
put_status (Fixture    *f,
            const char *token,
            const char *hex,
            GBytes     *content)
{
  g_autoptr(TerenTestResponse) response = put_blob_as (f, token, hex, content, NULL);

  g_assert_no_error (response->error);
  return response->status;
}

/* HEAD: the status, and the Content-Length announced. */
static guint
head_blob (Fixture    *f,
           const char *token,
           const char *hex,
           goffset    *out_length)
{
  g_autofree char *path = blob_url_path (hex);
  g_autofree char *url = g_strconcat (f->server->base_url, path, NULL);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", token);
  g_autoptr(SoupMessage) msg = soup_message_new ("HEAD", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  body = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (body), ==, 0);
  if (out_length != NULL)
    *out_length = soup_message_headers_get_content_length (soup_message_get_response_headers (msg));
  return soup_message_get_status (msg);
}

static TerenTestResponse *
get_blob (Fixture    *f,
          const char *token,
          const char *hex)
{
  g_autofree char *path = blob_url_path (hex);

  return teren_test_request (f->session, f->server, "GET", path, token, NULL, 0);
}

static char *
blob_file (Fixture    *f,
           const char *hex)
{
  char prefix[3] = { hex[0], hex[1], '\0' };

  return g_build_filename (f->server->data_dir, "blobs", prefix, hex, NULL);
}

/* Regular files under blobs/ (the stored blobs and any temporary leftovers). */
static guint
count_files (const char *dir_path)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        n += count_files (path);
      else
        n++;
    }
  return n;
}

static guint
count_blob_files (Fixture *f)
{
  g_autofree char *dir = g_build_filename (f->server->data_dir, "blobs", NULL);

  return count_files (dir);
}

static sqlite3 *
open_db (Fixture *f)
{
  g_autofree char *path = g_build_filename (f->server->data_dir, "teren-server.db", NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  return db;
}

static gint64
db_count (Fixture    *f,
          const char *sql)
{
  sqlite3 *db = open_db (f);
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static void
db_exec (Fixture    *f,
         const char *sql)
{
  sqlite3 *db = open_db (f);
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

static JsonObject *
attachment_ref (const char *hex,
                gsize       size,
                const char *mime,
                const char *name)
{
  JsonObject *ref = json_object_new ();
  g_autofree char *id = g_strconcat ("sha256:", hex, NULL);

  json_object_set_string_member (ref, "blob", id);
  json_object_set_int_member (ref, "size", (gint64) size);
  json_object_set_string_member (ref, "mime", mime);
  json_object_set_string_member (ref, "name", name);
  return ref;
}

/* A person and a child case of @device's account, the case holding @attachments
 * (transfer full, may be NULL). Returns the case id; asserts both applied. */
static char *
create_case (TerenTestDevice *device,
             JsonArray       *attachments,
             JsonObject     **out_case_result)
{
  g_autoptr(JsonObject) person_op = teren_test_op_new ("create", NULL, "person", "", 0,
                                                       teren_test_person_fields (NULL), NULL);
  const char *person_id = json_object_get_string_member (person_op, "record_id");
  g_autoptr(JsonObject) person_result = teren_test_device_push_one (device, person_op);
  JsonObject *fields = teren_test_case_fields (person_id);
  g_autoptr(JsonObject) case_op = NULL;
  JsonObject *result;

  g_assert_cmpstr (teren_test_result_status (person_result), ==, "applied");
  if (attachments != NULL)
    json_object_set_array_member (fields, "attachments", attachments);
  case_op = teren_test_op_new ("create", NULL, "case", "child", 0, fields, NULL);
  result = teren_test_device_push_one (device, case_op);
  if (out_case_result != NULL)
    *out_case_result = json_object_ref (result);
  json_object_unref (result);
  return g_strdup (json_object_get_string_member (case_op, "record_id"));
}

/* ---- tests --------------------------------------------------------------------- */

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  TerenTestDevice *ana = f->ana;
  g_autoptr(GBytes) content = make_content ("png", 300 * 1024 + 7, 1);
  g_autofree char *hex = content_hex (content);
  g_autofree char *path = blob_file (f, hex);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(TerenTestResponse) put = NULL;
  g_autoptr(TerenTestResponse) again = NULL;
  g_autoptr(TerenTestResponse) get = NULL;
  g_autofree char *id = g_strconcat ("sha256:", hex, NULL);
  g_autofree char *log = NULL;
  goffset length = -1;
  GStatBuf st;

  /* Not there yet. */
  g_assert_cmpuint (head_blob (f, ana->token, hex, NULL), ==, 404);

  put = put_blob_as (f, ana->token, hex, content, "image/png");
  g_assert_no_error (put->error);
  g_assert_cmpuint (put->status, ==, 201);
  g_assert_cmpstr (json_object_get_string_member (teren_test_response_object (put), "blob"), ==, id);
  g_assert_cmpint (json_object_get_int_member (teren_test_response_object (put), "size"), ==,
                   g_bytes_get_size (content));
  g_assert_cmpstr (json_object_get_string_member (teren_test_response_object (put), "mime"), ==, "image/png");
  g_assert_true (json_object_get_boolean_member (teren_test_response_object (put), "created"));

  /* Stored where and how SYNC says: blobs/<2 hex>/<hex>, 0600 in 0700 folders. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (st.st_size, ==, g_bytes_get_size (content));
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  /* Idempotent: a second PUT answers 200 and rewrites nothing. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  {
    struct timespec mtime = st.st_mtim;
    ino_t inode = st.st_ino;

    again = put_blob_as (f, ana->token, hex, content, "image/png");
    g_assert_cmpuint (again->status, ==, 200);
    g_assert_false (json_object_get_boolean_member (teren_test_response_object (again), "created"));
    g_assert_cmpint (g_stat (path, &st), ==, 0);
    g_assert_cmpint (st.st_mtim.tv_sec, ==, mtime.tv_sec);
    g_assert_cmpint (st.st_mtim.tv_nsec, ==, mtime.tv_nsec);
    g_assert_cmpuint (st.st_ino, ==, inode);
  }

  g_assert_cmpuint (head_blob (f, ana->token, hex, &length), ==, 200);
  g_assert_cmpint (length, ==, g_bytes_get_size (content));

  /* The uploader reads back an unreferenced blob: the same bytes, its type. */
  get = get_blob (f, ana->token, hex);
  g_assert_cmpuint (get->status, ==, 200);
  g_assert_cmpstr (get->content_type, ==, "image/png");
  g_assert_cmpuint (get->length, ==, g_bytes_get_size (content));
  g_assert_true (memcmp (get->body, g_bytes_get_data (content, NULL), get->length) == 0);

  /* Without a token: 401, for every method. */
  {
    g_autoptr(TerenTestResponse) anon = get_blob (f, NULL, hex);

    teren_test_assert_error (anon, 401, "unauthorized");
  }

  /* A malformed name. */
  {
    g_autoptr(TerenTestResponse) bad = teren_test_request (f->session, f->server, "GET",
                                                           "/api/v1/blobs/sha256:ABC", ana->token, NULL, 0);

    teren_test_assert_error (bad, 400, "bad_request");
  }

  /* Audited: two uploads and one download, with the hash and never a name. */
  g_assert_cmpint (db_count (f, "SELECT count(*) FROM audit WHERE action = 'blob_upload' AND account = 'ana'"), ==, f->uploads0 + 2);
  g_assert_cmpint (db_count (f, "SELECT count(*) FROM audit WHERE action = 'blob_download' AND account = 'ana'"), ==, f->downloads0 + 1);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM audit WHERE action LIKE 'blob_%%' "
                                            "AND detail LIKE '%%%s%%' AND device_id = '%s'", hex, ana->device_id);

    g_assert_cmpint (db_count (f, sql), ==, 3);
  }
  log = teren_test_server_get_stderr (f->server);
  g_assert_nonnull (strstr (log, "PUT /api/v1/blobs/sha256:"));
}

static void
test_interrupted_then_retried (Fixture       *f,
                               gconstpointer  data)
{
  TerenTestDevice *ana = f->ana;
  g_autoptr(GBytes) content = make_content ("jpeg", 2 * 1024 * 1024, 2);
  g_autofree char *hex = content_hex (content);
  g_autofree char *tmp_dir = g_build_filename (f->server->data_dir, "blobs", "tmp", NULL);
  g_autoptr(TerenTestResponse) put = NULL;
  g_autoptr(TerenTestResponse) get = NULL;
  gsize length;
  const char *bytes = g_bytes_get_data (content, &length);
  guint i;

  /* Only the headers, then the connection drops (while the token is being checked). */
  for (i = 0; i < 5; i++)
    {
      g_autoptr(GSocketConnection) connection = teren_test_raw_connect (f->server);
      g_autofree char *head = g_strdup_printf ("PUT /api/v1/blobs/sha256:%s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                               "Authorization: Bearer %s\r\n"
                                               "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n",
                                               hex, ana->token, length);

      g_assert_true (teren_test_raw_write (connection, head, strlen (head)));
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
    }

  /* Headers and 60 % of the body, then the connection drops. */
  {
    g_autoptr(GSocketConnection) connection = teren_test_raw_connect (f->server);
    g_autofree char *head = g_strdup_printf ("PUT /api/v1/blobs/sha256:%s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                             "Authorization: Bearer %s\r\nContent-Type: image/jpeg\r\n"
                                             "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n",
                                             hex, ana->token, length);

    g_assert_true (teren_test_raw_write (connection, head, strlen (head)));
    g_assert_true (teren_test_raw_write (connection, bytes, length * 6 / 10));
    teren_test_sleep_ms (200);
    g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  }

  /* Nothing stored, and the partial temporary file goes away. */
  for (i = 0; i < 100 && count_files (tmp_dir) > 0; i++)
    teren_test_sleep_ms (50);
  g_assert_cmpuint (count_files (tmp_dir), ==, 0);
  g_assert_cmpuint (count_blob_files (f), ==, f->files0);
  g_assert_cmpuint (head_blob (f, ana->token, hex, NULL), ==, 404);
  g_assert_cmpint (db_count (f, "SELECT count(*) FROM blobs"), ==, f->blobs0);

  /* The retry stores it, once and whole. */
  put = put_blob_as (f, ana->token, hex, content, "image/jpeg");
  g_assert_cmpuint (put->status, ==, 201);
  g_assert_cmpuint (count_blob_files (f), ==, f->files0 + 1);
  g_assert_cmpint (db_count (f, "SELECT count(*) FROM blobs"), ==, f->blobs0 + 1);
  get = get_blob (f, ana->token, hex);
  g_assert_cmpuint (get->status, ==, 200);
  g_assert_cmpstr (get->content_type, ==, "image/jpeg");
  g_assert_cmpuint (get->length, ==, length);
  g_assert_true (memcmp (get->body, bytes, length) == 0);
}

/* @added blobs more than when the test started: files under blobs/, rows, audited uploads. */
static void
assert_stored_since_start (Fixture *f,
                           guint    added)
{
  g_assert_cmpuint (count_blob_files (f), ==, f->files0 + added);
  g_assert_cmpint (db_count (f, "SELECT count(*) FROM blobs"), ==, f->blobs0 + (gint64) added);
  g_assert_cmpint (db_count (f, "SELECT count(*) FROM audit WHERE action = 'blob_upload'"), ==,
                   f->uploads0 + (gint64) added);
}

static void
test_hash_mismatch (Fixture       *f,
                    gconstpointer  data)
{
  TerenTestDevice *ana = f->ana;
  g_autoptr(GBytes) content = make_content ("pdf", 50 * 1024, 3);
  g_autoptr(GBytes) other = make_content ("pdf", 50 * 1024, 4);
  g_autofree char *hex = content_hex (content);
  g_autofree char *other_hex = content_hex (other);
  g_autoptr(TerenTestResponse) put = NULL;

  /* The bytes of one file under the name of another. */
  put = put_blob_as (f, ana->token, other_hex, content, "application/pdf");
  teren_test_assert_error (put, 400, "bad_request");
  g_assert_nonnull (strstr (json_object_get_string_member (teren_test_response_object (put), "message"),
                            "hash mismatch"));
  g_assert_cmpuint (head_blob (f, ana->token, other_hex, NULL), ==, 404);
  g_assert_cmpuint (head_blob (f, ana->token, hex, NULL), ==, 404);
  assert_stored_since_start (f, 0);
}

static void
test_too_large (Fixture       *f,
                gconstpointer  data)
{
  TerenTestDevice *ana = f->ana;
  g_autoptr(GBytes) content = make_content ("pdf", 20 * 1024 * 1024, 5);
  g_autofree char *hex = content_hex (content);
  g_autoptr(TerenTestResponse) answer = NULL;
  g_autoptr(GSocketConnection) connection = teren_test_raw_connect (f->server);
  g_autofree char *head = g_strdup_printf ("PUT /api/v1/blobs/sha256:%s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                           "Authorization: Bearer %s\r\nContent-Type: application/pdf\r\n"
                                           "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n",
                                           hex, ana->token, g_bytes_get_size (content));
  const char *message;

  /* A 20 MiB body: refused from its headers, before it is read. */
  g_assert_true (teren_test_raw_write (connection, head, strlen (head)));
  teren_test_raw_write (connection, g_bytes_get_data (content, NULL), 64 * 1024);
  answer = teren_test_raw_read_response (connection, 10000);
  g_assert_no_error (answer->error);
  teren_test_assert_error (answer, 413, "too_large");
  message = json_object_get_string_member (teren_test_response_object (answer), "message");
  g_assert_nonnull (strstr (message, "10 MiB"));

  /* Through libsoup too: the client gets the 413 (or a closed connection), nothing is stored. */
  {
    g_autoptr(TerenTestResponse) put = put_blob_as (f, ana->token, hex, content, "application/pdf");

    if (put->error == NULL)
      teren_test_assert_error (put, 413, "too_large");
  }
  g_assert_cmpuint (count_blob_files (f), ==, f->files0);
  g_assert_cmpint (db_count (f, "SELECT count(*) FROM blobs"), ==, f->blobs0);
  g_assert_cmpuint (head_blob (f, ana->token, hex, NULL), ==, 404);
}

/* Without a valid token, an upload is refused from its headers: nothing of the body is
 * read or written. */
static void
test_unauthenticated (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GBytes) content = make_content ("png", 1024 * 1024, 17);
  g_autofree char *hex = content_hex (content);
  g_autofree char *tmp_dir = g_build_filename (f->server->data_dir, "blobs", "tmp", NULL);
  const char * const tokens[] = { NULL, "not-a-token-the-server-gave", NULL };
  guint i;

  for (i = 0; i < 2; i++)
    {
      g_autoptr(GSocketConnection) connection = teren_test_raw_connect (f->server);
      g_autoptr(TerenTestResponse) answer = NULL;
      g_autofree char *auth = tokens[i] != NULL ? g_strdup_printf ("Authorization: Bearer %s\r\n", tokens[i])
                                                : g_strdup ("");
      g_autofree char *head = g_strdup_printf ("PUT /api/v1/blobs/sha256:%s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s"
                                               "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n",
                                               hex, auth, g_bytes_get_size (content));

      /* The headers and 4 KiB of the megabyte: the answer comes without the rest. */
      g_assert_true (teren_test_raw_write (connection, head, strlen (head)));
      teren_test_raw_write (connection, g_bytes_get_data (content, NULL), 4096);
      answer = teren_test_raw_read_response (connection, 10000);
      g_assert_no_error (answer->error);
      teren_test_assert_error (answer, 401, "unauthorized");
    }

  /* A revoked device: 403 device_revoked, from the headers too. */
  {
    g_autoptr(TerenTestDevice) laptop = teren_test_device_new (f->server, "ana", PASSWORD, NULL);
    g_autoptr(GSocketConnection) connection = NULL;
    g_autoptr(TerenTestResponse) answer = NULL;
    g_autofree char *head = g_strdup_printf ("PUT /api/v1/blobs/sha256:%s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                             "Authorization: Bearer %s\r\n"
                                             "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n",
                                             hex, laptop->token, g_bytes_get_size (content));

    g_assert_cmpint (teren_test_server_clif (f->server, NULL, NULL, NULL, "device", "revoke", laptop->device_id, NULL),
                     ==, 0);
    connection = teren_test_raw_connect (f->server);
    g_assert_true (teren_test_raw_write (connection, head, strlen (head)));
    teren_test_raw_write (connection, g_bytes_get_data (content, NULL), 4096);
    answer = teren_test_raw_read_response (connection, 10000);
    g_assert_no_error (answer->error);
    teren_test_assert_error (answer, 403, "device_revoked");
  }

  g_assert_cmpuint (head_blob (f, f->ana->token, hex, NULL), ==, 404);
  for (i = 0; i < 100 && count_files (tmp_dir) > 0; i++)
    teren_test_sleep_ms (50);
  g_assert_cmpuint (count_files (tmp_dir), ==, 0);
  g_assert_cmpuint (count_blob_files (f), ==, f->files0);
  g_assert_cmpint (db_count (f, "SELECT count(*) FROM audit WHERE action = 'blob_upload'"), ==, f->uploads0);
}

static void
test_executable_named_pdf (Fixture       *f,
                           gconstpointer  data)
{
  TerenTestDevice *ana = f->ana;
  g_autoptr(GBytes) content = make_content ("elf", 40 * 1024, 6);
  g_autofree char *hex = content_hex (content);
  g_autoptr(TerenTestResponse) put = NULL;
  g_autoptr(TerenTestResponse) text = NULL;
  const char *headers[] = { "Content-Type", "application/pdf",
                            "Content-Disposition", "attachment; filename=\"adeverinta.pdf\"", NULL };
  gsize length;
  const char *bytes = g_bytes_get_data (content, &length);

  /* An ELF executable sent as "adeverinta.pdf", application/pdf. */
  put = teren_test_request_full (f->session, f->server, "PUT", "/api/v1/blobs/sha256:", ana->token, bytes, length, headers);
  teren_test_assert_error (put, 400, "bad_request");   /* the name is not a hash */
  {
    g_autofree char *path = blob_url_path (hex);
    g_autoptr(TerenTestResponse) named = teren_test_request_full (f->session, f->server, "PUT", path, ana->token,
                                                                  bytes, length, headers);

    teren_test_assert_error (named, 415, "unsupported_type");
    g_assert_nonnull (strstr (json_object_get_string_member (teren_test_response_object (named), "message"), "PDF"));
  }
  g_assert_cmpuint (head_blob (f, ana->token, hex, NULL), ==, 404);

  /* Plain text fares no better. */
  {
    g_autoptr(GBytes) plain = g_bytes_new_static ("just some text, not a scan\n", 27);
    g_autofree char *plain_hex = content_hex (plain);

    text = put_blob_as (f, ana->token, plain_hex, plain, "application/pdf");
    teren_test_assert_error (text, 415, "unsupported_type");
    g_assert_cmpuint (head_blob (f, ana->token, plain_hex, NULL), ==, 404);
  }
  g_assert_cmpuint (count_blob_files (f), ==, f->files0);
  g_assert_cmpint (db_count (f, "SELECT count(*) FROM blobs"), ==, f->blobs0);
}

static void
test_scope (Fixture       *f,
            gconstpointer  data)
{
  TerenTestDevice *ana = f->ana;
  g_autoptr(TerenTestDevice) bogdan = NULL;
  g_autoptr(TerenTestDevice) carmen = NULL;
  g_autoptr(GBytes) content = make_content ("pdf", 120 * 1024, 7);
  g_autoptr(GBytes) loose = make_content ("png", 10 * 1024, 8);
  g_autofree char *hex = content_hex (content);
  g_autofree char *loose_hex = content_hex (loose);
  g_autoptr(JsonObject) result = NULL;
  g_autofree char *case_id = NULL;
  JsonArray *attachments = json_array_new ();

  /* Another account of the child line, and one of the elderly line. */
  teren_test_server_add_user (f->server, "bogdan", PASSWORD, "elderly", "worker");
  teren_test_server_add_user (f->server, "carmen", PASSWORD, "child", "worker");
  bogdan = teren_test_device_new (f->server, "bogdan", PASSWORD, NULL);
  carmen = teren_test_device_new (f->server, "carmen", PASSWORD, NULL);

  g_assert_cmpuint (put_status (f, ana->token, hex, content), ==, 201);
  g_assert_cmpuint (put_status (f, ana->token, loose_hex, loose), ==, 201);

  /* Unreferenced: only the uploader reads it. */
  {
    g_autoptr(TerenTestResponse) other = get_blob (f, carmen->token, hex);

    teren_test_assert_error (other, 403, "forbidden");
  }

  json_array_add_object_element (attachments, attachment_ref (hex, g_bytes_get_size (content), "application/pdf",
                                                              "consimtamant.pdf"));
  case_id = create_case (ana, attachments, &result);
  g_assert_cmpstr (teren_test_result_status (result), ==, "applied");
  g_assert_cmpint (db_count (f, "SELECT count(*) FROM blob_ref"), ==, 1);

  /* Referenced by a child case: the child line's accounts read it, the elderly line's not. */
  {
    g_autoptr(TerenTestResponse) own = get_blob (f, ana->token, hex);
    g_autoptr(TerenTestResponse) same_line = get_blob (f, carmen->token, hex);
    g_autoptr(TerenTestResponse) other_line = get_blob (f, bogdan->token, hex);
    g_autoptr(TerenTestResponse) loose_other = get_blob (f, bogdan->token, loose_hex);
    g_autoptr(TerenTestResponse) unknown = get_blob (f, bogdan->token,
                                                     "0000000000000000000000000000000000000000000000000000000000000000");

    g_assert_cmpuint (own->status, ==, 200);
    g_assert_cmpstr (own->content_type, ==, "application/pdf");
    g_assert_true (own->length == g_bytes_get_size (content) &&
                   memcmp (own->body, g_bytes_get_data (content, NULL), own->length) == 0);
    g_assert_cmpuint (same_line->status, ==, 200);
    g_assert_cmpuint (same_line->length, ==, g_bytes_get_size (content));
    teren_test_assert_error (other_line, 403, "forbidden");
    g_assert_null (strstr (other_line->body, "%PDF"));
    teren_test_assert_error (loose_other, 403, "forbidden");
    teren_test_assert_error (unknown, 404, "not_found");
  }
  g_assert_cmpint (db_count (f, "SELECT count(*) FROM audit WHERE action = 'blob_denied' AND account = 'bogdan'"), ==, 2);
  g_assert_cmpint (db_count (f, "SELECT count(*) FROM audit WHERE action = 'blob_download' AND account = 'bogdan'"), ==, 0);
}

static void
test_missing_blob (Fixture       *f,
                   gconstpointer  data)
{
  TerenTestDevice *ana = f->ana;
  g_autoptr(GBytes) content = make_content ("jpeg", 200 * 1024, 9);
  g_autofree char *hex = content_hex (content);
  g_autofree char *id = g_strconcat ("sha256:", hex, NULL);
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(JsonObject) third = NULL;
  g_autoptr(JsonObject) case_result = NULL;
  g_autoptr(JsonObject) op = NULL;
  g_autofree char *case_id = NULL;
  g_autofree char *op_text = NULL;
  JsonObject *patch = json_object_new ();
  JsonArray *attachments = json_array_new ();
  JsonObject *record;
  JsonArray *blobs;
  gint64 rev;

  case_id = create_case (ana, NULL, &case_result);
  g_assert_cmpstr (teren_test_result_status (case_result), ==, "applied");
  rev = json_object_get_int_member (case_result, "rev");

  /* An update attaching a photo the server does not have yet. */
  json_array_add_object_element (attachments, attachment_ref (hex, g_bytes_get_size (content), "image/jpeg",
                                                              "certificat.jpg"));
  json_object_set_array_member (patch, "attachments", attachments);
  op = teren_test_op_new ("update", case_id, "case", "child", rev, patch, NULL);
  op_text = teren_test_object_to_string (op);

  first = teren_test_device_push_one (ana, op);
  g_assert_cmpstr (teren_test_result_status (first), ==, "rejected");
  g_assert_cmpstr (json_object_get_string_member (first, "code"), ==, "missing_blob");
  g_assert_cmpstr (json_object_get_string_member (first, "change_id"), ==,
                   json_object_get_string_member (op, "change_id"));
  blobs = json_object_get_array_member (first, "blobs");
  g_assert_cmpuint (json_array_get_length (blobs), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (blobs, 0), ==, id);
  /* Nothing applied. */
  g_assert_cmpint (db_count (f, "SELECT max(rev) FROM history"), >=, 1);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT rev FROM records WHERE id = '%s'", case_id);

    g_assert_cmpint (db_count (f, sql), ==, rev);
  }

  /* A retry before the upload: the same answer, not a stored "duplicate". */
  second = teren_test_device_push_one (ana, op);
  g_assert_cmpstr (teren_test_result_status (second), ==, "rejected");
  g_assert_cmpstr (json_object_get_string_member (second, "code"), ==, "missing_blob");

  /* Upload, then the same operation (same change id) is applied. */
  g_assert_cmpuint (put_status (f, ana->token, hex, content), ==, 201);
  {
    g_autoptr(JsonNode) node = json_from_string (op_text, NULL);
    g_autoptr(JsonObject) same = NULL;

    g_assert_nonnull (node);
    same = json_node_dup_object (node);
    third = teren_test_device_push_one (ana, same);
  }
  g_assert_cmpstr (teren_test_result_status (third), ==, "applied");
  g_assert_cmpint (json_object_get_int_member (third, "rev"), ==, rev + 1);
  record = json_object_get_object_member (third, "record");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_object_get_array_member (json_object_get_object_member (record, "fields"), "attachments"), 0),
                     "blob"), ==, id);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM blob_ref WHERE sha = '%s' AND record_id = '%s' "
                                            "AND rev = %" G_GINT64_FORMAT, hex, case_id, rev + 1);

    g_assert_cmpint (db_count (f, sql), ==, 1);
  }
}

static void
test_gc (Fixture       *f,
         gconstpointer  data)
{
  TerenTestDevice *ana = f->ana;
  g_autoptr(GBytes) old_loose = make_content ("png", 30 * 1024, 10);
  g_autoptr(GBytes) old_used = make_content ("pdf", 30 * 1024, 11);
  g_autoptr(GBytes) new_loose = make_content ("jpeg", 30 * 1024, 12);
  g_autofree char *old_loose_hex = content_hex (old_loose);
  g_autofree char *old_used_hex = content_hex (old_used);
  g_autofree char *new_loose_hex = content_hex (new_loose);
  g_autofree char *old_loose_path = blob_file (f, old_loose_hex);
  g_autofree char *old_used_path = blob_file (f, old_used_hex);
  g_autofree char *new_loose_path = blob_file (f, new_loose_hex);
  g_autoptr(JsonObject) result = NULL;
  g_autofree char *case_id = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *again = NULL;
  g_autofree char *stray_hex = NULL;
  g_autofree char *stray_new_hex = NULL;
  g_autofree char *stray_path = NULL;
  g_autofree char *stray_new_path = NULL;
  JsonArray *attachments = json_array_new ();

  g_assert_cmpuint (put_status (f, ana->token, old_loose_hex, old_loose), ==, 201);
  g_assert_cmpuint (put_status (f, ana->token, old_used_hex, old_used), ==, 201);
  g_assert_cmpuint (put_status (f, ana->token, new_loose_hex, new_loose), ==, 201);
  json_array_add_object_element (attachments, attachment_ref (old_used_hex, g_bytes_get_size (old_used),
                                                              "application/pdf", "hotarare.pdf"));
  case_id = create_case (ana, attachments, &result);
  g_assert_cmpstr (teren_test_result_status (result), ==, "applied");

  /* Two of them uploaded 40 days ago (the row's date, and the file's). */
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE blobs SET created_at = '2026-10-01T00:00:00.000000Z' "
                                            "WHERE sha IN ('%s', '%s')", old_loose_hex, old_used_hex);
    struct utimbuf old_time = { time (NULL) - 40 * 24 * 3600, time (NULL) - 40 * 24 * 3600 };

    db_exec (f, sql);
    g_assert_cmpint (utime (old_loose_path, &old_time), ==, 0);
    g_assert_cmpint (utime (old_used_path, &old_time), ==, 0);
  }

  /* A 40-day-old file without a row (an upload cut between its rename and its commit), and
   * a recent one: the old one goes. */
  {
    g_autoptr(GBytes) stray = make_content ("png", 1000, 18);
    g_autoptr(GBytes) stray_new = make_content ("png", 1000, 19);
    struct utimbuf old_time = { time (NULL) - 40 * 24 * 3600, time (NULL) - 40 * 24 * 3600 };

    stray_hex = content_hex (stray);
    stray_new_hex = content_hex (stray_new);
    stray_path = blob_file (f, stray_hex);
    stray_new_path = blob_file (f, stray_new_hex);
    g_assert_true (g_file_set_contents (stray_path, g_bytes_get_data (stray, NULL), 1000, NULL));
    g_assert_true (g_file_set_contents (stray_new_path, g_bytes_get_data (stray_new, NULL), 1000, NULL));
    g_assert_cmpint (utime (stray_path, &old_time), ==, 0);
  }

  g_assert_cmpint (teren_test_server_clif (f->server, NULL, &out, &err, "gc-blobs", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "blobs removed: 2 ("));
  {
    g_autofree char *kept = g_strdup_printf ("blobs kept: %" G_GINT64_FORMAT "\n", f->blobs0 + 2);

    g_assert_nonnull (strstr (out, kept));
  }
  g_assert_null (strstr (err, "Sanitizer"));
  g_assert_null (strstr (err, "runtime error"));

  /* The old unreferenced one is gone, file and row; the referenced and the recent stay. */
  g_assert_false (g_file_test (old_loose_path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (stray_path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (stray_new_path, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (old_used_path, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (new_loose_path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (head_blob (f, ana->token, old_loose_hex, NULL), ==, 404);
  g_assert_cmpuint (head_blob (f, ana->token, old_used_hex, NULL), ==, 200);
  g_assert_cmpuint (head_blob (f, ana->token, new_loose_hex, NULL), ==, 200);
  {
    g_autoptr(TerenTestResponse) get = get_blob (f, ana->token, old_used_hex);

    g_assert_cmpuint (get->status, ==, 200);
    g_assert_cmpuint (get->length, ==, g_bytes_get_size (old_used));
  }

  /* Run again: nothing more to do. */
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (teren_test_server_clif (f->server, NULL, &out, NULL, "gc-blobs", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "blobs removed: 0 ("));

  /* The removed one can be uploaded again. */
  g_assert_cmpuint (put_status (f, ana->token, old_loose_hex, old_loose), ==, 201);
  g_assert_true (g_file_test (old_loose_path, G_FILE_TEST_IS_REGULAR));
  again = teren_test_server_get_stderr (f->server);
  g_assert_null (strstr (again, "hotarare.pdf"));
  teren_test_server_assert_integrity (f->server);
}

/* With TEREN_SERVER_REQUEST_TIMEOUT=2: an upload that keeps coming in small pieces over
 * several timeouts is stored; one that stalls is dropped, leaving nothing behind. */
static const char * const short_timeout_env[] = { "TEREN_SERVER_REQUEST_TIMEOUT=2", NULL };

static void
test_slow_and_stalled (Fixture       *f,
                       gconstpointer  data)
{
  TerenTestDevice *ana = f->ana;
  g_autoptr(GBytes) content = make_content ("pdf", 256 * 1024, 13);
  g_autofree char *hex = content_hex (content);
  g_autofree char *tmp_dir = g_build_filename (f->server->data_dir, "blobs", "tmp", NULL);
  g_autofree char *head = NULL;
  gsize length;
  const char *bytes = g_bytes_get_data (content, &length);
  guint i;

  head = g_strdup_printf ("PUT /api/v1/blobs/sha256:%s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          "Authorization: Bearer %s\r\nContent-Length: %" G_GSIZE_FORMAT "\r\n\r\n",
                          hex, ana->token, length);

  /* 8 pieces, 500 ms apart: 4 s in all, twice the timeout, never stalled. */
  {
    g_autoptr(GSocketConnection) connection = teren_test_raw_connect (f->server);
    g_autoptr(TerenTestResponse) answer = NULL;

    g_assert_true (teren_test_raw_write (connection, head, strlen (head)));
    for (i = 0; i < 8; i++)
      {
        teren_test_sleep_ms (500);
        g_assert_true (teren_test_raw_write (connection, bytes + i * (length / 8), length / 8));
      }
    answer = teren_test_raw_read_response (connection, 10000);
    g_assert_no_error (answer->error);
    g_assert_cmpuint (answer->status, ==, 201);
  }
  g_assert_cmpuint (head_blob (f, ana->token, hex, NULL), ==, 200);

  /* A second one stalls after a third of its body: dropped after the timeout. */
  {
    g_autoptr(GBytes) other = make_content ("png", 256 * 1024, 14);
    g_autofree char *other_hex = content_hex (other);
    g_autofree char *other_head = g_strdup_printf ("PUT /api/v1/blobs/sha256:%s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                                   "Authorization: Bearer %s\r\nContent-Length: %" G_GSIZE_FORMAT
                                                   "\r\n\r\n", other_hex, ana->token, length);
    g_autoptr(GSocketConnection) connection = teren_test_raw_connect (f->server);
    g_autoptr(TerenTestResponse) answer = NULL;

    g_assert_true (teren_test_raw_write (connection, other_head, strlen (other_head)));
    g_assert_true (teren_test_raw_write (connection, g_bytes_get_data (other, NULL), length / 3));
    answer = teren_test_raw_read_response (connection, 15000);
    g_assert_cmpuint (answer->status, ==, 0);   /* closed without an answer */
    if (answer->error != NULL)
      g_assert_false (g_error_matches (answer->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT));
    for (i = 0; i < 100 && count_files (tmp_dir) > 0; i++)
      teren_test_sleep_ms (50);
    g_assert_cmpuint (count_files (tmp_dir), ==, 0);
    g_assert_cmpuint (head_blob (f, ana->token, other_hex, NULL), ==, 404);
  }
  g_assert_cmpuint (count_blob_files (f), ==, f->files0 + 1);
}

/* The running server collects by itself (TEREN_SERVER_BLOB_GC_SECONDS=1: first run after
 * a second, then every second). */
static const char * const fast_gc_env[] = { "TEREN_SERVER_BLOB_GC_SECONDS=1", NULL };

static void
test_gc_while_serving (Fixture       *f,
                       gconstpointer  data)
{
  TerenTestDevice *ana = f->ana;
  g_autoptr(GBytes) old_loose = make_content ("png", 20 * 1024, 15);
  g_autoptr(GBytes) fresh = make_content ("png", 20 * 1024, 16);
  g_autofree char *old_hex = content_hex (old_loose);
  g_autofree char *fresh_hex = content_hex (fresh);
  g_autofree char *sql = NULL;
  guint i;

  g_assert_cmpuint (put_status (f, ana->token, old_hex, old_loose), ==, 201);
  g_assert_cmpuint (put_status (f, ana->token, fresh_hex, fresh), ==, 201);
  sql = g_strdup_printf ("UPDATE blobs SET created_at = '2026-10-01T00:00:00.000000Z' WHERE sha = '%s'", old_hex);
  db_exec (f, sql);

  for (i = 0; i < 100 && head_blob (f, ana->token, old_hex, NULL) == 200; i++)
    teren_test_sleep_ms (100);
  g_assert_cmpuint (head_blob (f, ana->token, old_hex, NULL), ==, 404);
  g_assert_cmpuint (head_blob (f, ana->token, fresh_hex, NULL), ==, 200);
  g_assert_cmpuint (count_blob_files (f), ==, f->files0 + 1);
}

/* ---- resumable uploads (Content-Range pieces, Teren-Upload-Offset) ---------------- */

#define PIECE (1024 * 1024)

/* An answer to a piece: status, the Teren-Upload-Offset header (-1 when absent), the JSON
 * body (or NULL). */
typedef struct {
  guint       status;
  gint64      offset;
  JsonObject *body;
} PieceAnswer;

static void
piece_answer_clear (PieceAnswer *answer)
{
  g_clear_pointer (&answer->body, json_object_unref);
}

static gint64
offset_header (SoupMessageHeaders *headers)
{
  const char *value = soup_message_headers_get_one (headers, "Teren-Upload-Offset");

  return value != NULL ? g_ascii_strtoll (value, NULL, 10) : -1;
}

static JsonObject *
parse_object (const char *text,
              gsize       length)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (length == 0 || !json_parser_load_from_data (parser, text, (gssize) length, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* PUT of the bytes [@start, @end] of @content as a piece of @total (libsoup: for pieces
 * the server reads). */
static void
put_piece (Fixture     *f,
           const char  *token,
           const char  *hex,
           GBytes      *content,
           gsize        start,
           gsize        end,
           gsize        total,
           PieceAnswer *out)
{
  g_autofree char *path = blob_url_path (hex);
  g_autofree char *url = g_strconcat (f->server->base_url, path, NULL);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", token);
  g_autofree char *range = g_strdup_printf ("bytes %" G_GSIZE_FORMAT "-%" G_GSIZE_FORMAT "/%" G_GSIZE_FORMAT,
                                            start, end, total);
  g_autoptr(SoupMessage) msg = soup_message_new ("PUT", url);
  g_autoptr(GBytes) piece = g_bytes_new_from_bytes (content, start, end - start + 1);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  const char *data;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Content-Range", range);
  soup_message_set_request_body_from_bytes (msg, "application/octet-stream", piece);
  body = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (body, &length);
  out->status = soup_message_get_status (msg);
  out->offset = offset_header (soup_message_get_response_headers (msg));
  out->body = parse_object (data, length);
}

/* The headers of a piece only (no body), for the answers the server gives before reading
 * it; the connection is read to its end (the server closes it). */
static void
refused_piece (Fixture     *f,
               const char  *token,
               const char  *hex,
               gsize        start,
               gsize        end,
               gsize        total,
               PieceAnswer *out)
{
  g_autoptr(GSocketConnection) connection = teren_test_raw_connect (f->server);
  g_autofree char *head = g_strdup_printf ("PUT /api/v1/blobs/sha256:%s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                           "Authorization: Bearer %s\r\n"
                                           "Content-Range: bytes %" G_GSIZE_FORMAT "-%" G_GSIZE_FORMAT "/%" G_GSIZE_FORMAT
                                           "\r\nContent-Length: %" G_GSIZE_FORMAT "\r\n\r\n",
                                           hex, token, start, end, total, end - start + 1);
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  g_autoptr(GString) text = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  g_autofree char *head_text = NULL;
  const char *split;
  char buffer[4096];
  gssize n;
  guint i;

  g_assert_true (teren_test_raw_write (connection, head, strlen (head)));
  while ((n = g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL)) > 0)
    g_string_append_len (text, buffer, n);
  split = strstr (text->str, "\r\n\r\n");
  g_assert_nonnull (split);
  out->body = parse_object (split + 4, strlen (split + 4));
  head_text = g_strndup (text->str, (gsize) (split - text->str));
  lines = g_strsplit (head_text, "\r\n", -1);
  g_assert_true (g_str_has_prefix (lines[0], "HTTP/1.1 "));
  out->status = (guint) g_ascii_strtoull (lines[0] + 9, NULL, 10);
  out->offset = -1;
  for (i = 1; lines[i] != NULL; i++)
    if (g_ascii_strncasecmp (lines[i], "Teren-Upload-Offset:", 20) == 0)
      out->offset = g_ascii_strtoll (lines[i] + 20, NULL, 10);
}

/* HEAD of a blob the server lacks: 404, and the Teren-Upload-Offset given (-1 if none). */
static gint64
head_offset (Fixture    *f,
             const char *token,
             const char *hex)
{
  g_autofree char *path = blob_url_path (hex);
  g_autofree char *url = g_strconcat (f->server->base_url, path, NULL);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", token);
  g_autoptr(SoupMessage) msg = soup_message_new ("HEAD", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  body = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 404);
  return offset_header (soup_message_get_response_headers (msg));
}

static void
assert_error_answer (PieceAnswer *answer,
                     guint        status,
                     const char  *code,
                     const char  *words)
{
  const char *message;

  g_assert_cmpuint (answer->status, ==, status);
  g_assert_nonnull (answer->body);
  g_assert_cmpstr (json_object_get_string_member_with_default (answer->body, "error", NULL), ==, code);
  message = json_object_get_string_member_with_default (answer->body, "message", "");
  g_assert_cmpstr (message, !=, "");
  if (words != NULL && strstr (message, words) == NULL)
    g_error ("message \"%s\" lacks \"%s\"", message, words);
}

static gint64
account_id (Fixture    *f,
            const char *username)
{
  g_autofree char *sql = g_strdup_printf ("SELECT id FROM accounts WHERE username = '%s'", username);

  return db_count (f, sql);
}

/* DIR/blobs/tmp/partial-<account id>/<hex>.<total> */
static char *
partial_file (Fixture    *f,
              const char *username,
              const char *hex,
              gsize       total)
{
  g_autofree char *dir = g_strdup_printf ("partial-%" G_GINT64_FORMAT, account_id (f, username));
  g_autofree char *name = g_strdup_printf ("%s.%" G_GSIZE_FORMAT, hex, total);

  return g_build_filename (f->server->data_dir, "blobs", "tmp", dir, name, NULL);
}

/* The partial holds exactly the first @length bytes of @content. */
static void
assert_partial (const char *path,
                GBytes     *content,
                gsize       length)
{
  g_autofree char *text = NULL;
  gsize size = 0;

  g_assert_true (g_file_get_contents (path, &text, &size, NULL));
  g_assert_cmpuint (size, ==, length);
  g_assert_true (memcmp (text, g_bytes_get_data (content, NULL), length) == 0);
}

static void
assert_stored (Fixture    *f,
               const char *token,
               const char *hex,
               GBytes     *content)
{
  g_autoptr(TerenTestResponse) get = get_blob (f, token, hex);

  g_assert_cmpuint (get->status, ==, 200);
  g_assert_cmpuint (get->length, ==, g_bytes_get_size (content));
  g_assert_true (memcmp (get->body, g_bytes_get_data (content, NULL), get->length) == 0);
}

/* A 3 MiB scan in four pieces arrives whole and identical, stored exactly as one PUT. */
static void
test_resume_pieces (Fixture       *f,
                    gconstpointer  data)
{
  TerenTestDevice *ana = f->ana;
  g_autoptr(GBytes) content = make_content ("pdf", 3 * PIECE + 1000, 30);
  g_autofree char *hex = content_hex (content);
  g_autofree char *partial = partial_file (f, "ana", hex, 3 * PIECE + 1000);
  g_autofree char *tmp_dir = g_build_filename (f->server->data_dir, "blobs", "tmp", NULL);
  gsize total = g_bytes_get_size (content);
  gsize start;

  g_assert_cmpint (head_offset (f, ana->token, hex), ==, 0);
  for (start = 0; start < total; start += PIECE)
    {
      gsize end = MIN (start + PIECE, total) - 1;
      PieceAnswer answer = { 0 };

      put_piece (f, ana->token, hex, content, start, end, total, &answer);
      g_assert_nonnull (answer.body);
      if (end + 1 < total)
        {
          g_assert_cmpuint (answer.status, ==, 202);
          g_assert_cmpint (answer.offset, ==, (gint64) end + 1);
          g_assert_cmpint (json_object_get_int_member (answer.body, "offset"), ==, (gint64) end + 1);
          g_assert_cmpint (json_object_get_int_member (answer.body, "size"), ==, (gint64) total);
          g_assert_false (json_object_get_boolean_member (answer.body, "complete"));
          g_assert_cmpint (head_offset (f, ana->token, hex), ==, (gint64) end + 1);
          assert_partial (partial, content, end + 1);
          g_assert_cmpint (db_count (f, "SELECT count(*) FROM blobs"), ==, f->blobs0);
        }
      else
        {
          /* The last piece: the answer of a whole upload. */
          g_assert_cmpuint (answer.status, ==, 201);
          g_assert_cmpstr (json_object_get_string_member (answer.body, "mime"), ==, "application/pdf");
          g_assert_cmpint (json_object_get_int_member (answer.body, "size"), ==, (gint64) total);
          g_assert_true (json_object_get_boolean_member (answer.body, "created"));
        }
      piece_answer_clear (&answer);
    }
  g_assert_cmpuint (head_blob (f, ana->token, hex, NULL), ==, 200);
  assert_stored (f, ana->token, hex, content);
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_files (tmp_dir), ==, 0);
  assert_stored_since_start (f, 1);

  /* Once stored, a plain PUT of the same bytes is idempotent as ever. */
  g_assert_cmpuint (put_status (f, ana->token, hex, content), ==, 200);
}

/* A piece cut off in the middle keeps what arrived; the upload goes on from the server's
 * offset (a piece from 0 is refused and changes nothing), and ends whole. A plain PUT
 * beside it works as ever. */
static void
test_resume_cut (Fixture       *f,
                 gconstpointer  data)
{
  TerenTestDevice *ana = f->ana;
  g_autoptr(GBytes) content = make_content ("jpeg", 2 * PIECE + 4321, 31);
  g_autoptr(GBytes) small = make_content ("png", 20 * 1024, 32);
  g_autofree char *hex = content_hex (content);
  g_autofree char *small_hex = content_hex (small);
  gsize total = g_bytes_get_size (content);
  g_autofree char *partial = partial_file (f, "ana", hex, total);
  const gsize cut = 600000;
  gint64 offset = -1;
  guint i;

  /* The first piece's headers and 600,000 of its 1 MiB, then the link drops. */
  {
    g_autoptr(GSocketConnection) connection = teren_test_raw_connect (f->server);
    g_autofree char *head = g_strdup_printf ("PUT /api/v1/blobs/sha256:%s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                             "Authorization: Bearer %s\r\nContent-Range: bytes 0-%d/%" G_GSIZE_FORMAT
                                             "\r\nContent-Length: %d\r\n\r\n", hex, ana->token, PIECE - 1, total, PIECE);

    g_assert_true (teren_test_raw_write (connection, head, strlen (head)));
    g_assert_true (teren_test_raw_write (connection, g_bytes_get_data (content, NULL), cut));
    teren_test_sleep_ms (200);
    g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  }
  for (i = 0; i < 100 && (offset = head_offset (f, ana->token, hex)) != (gint64) cut; i++)
    teren_test_sleep_ms (50);
  g_assert_cmpint (offset, ==, (gint64) cut);
  assert_partial (partial, content, cut);

  /* Starting again from 0, or from beyond: 409, the offset, a clear error; nothing changed. */
  {
    PieceAnswer again = { 0 };
    PieceAnswer beyond = { 0 };

    refused_piece (f, ana->token, hex, 0, PIECE - 1, total, &again);
    assert_error_answer (&again, 409, "bad_request", "600000");
    g_assert_cmpint (again.offset, ==, (gint64) cut);
    refused_piece (f, ana->token, hex, cut + 10, cut + 100, total, &beyond);
    assert_error_answer (&beyond, 409, "bad_request", NULL);
    g_assert_cmpint (beyond.offset, ==, (gint64) cut);
    piece_answer_clear (&again);
    piece_answer_clear (&beyond);
  }
  assert_partial (partial, content, cut);
  g_assert_cmpint (head_offset (f, ana->token, hex), ==, (gint64) cut);

  /* A plain whole PUT of another file meanwhile: as ever. */
  g_assert_cmpuint (put_status (f, ana->token, small_hex, small), ==, 201);
  assert_stored (f, ana->token, small_hex, small);

  /* From the server's offset on: the rest only. */
  {
    gsize start = cut;

    while (start < total)
      {
        gsize end = MIN (start + PIECE, total) - 1;
        PieceAnswer answer = { 0 };

        put_piece (f, ana->token, hex, content, start, end, total, &answer);
        g_assert_cmpuint (answer.status, ==, end + 1 < total ? 202 : 201);
        piece_answer_clear (&answer);
        start = end + 1;
      }
  }
  assert_stored (f, ana->token, hex, content);
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));
  g_assert_cmpint (db_count (f, "SELECT count(*) FROM blobs"), ==, f->blobs0 + 2);
}

/* Bad pieces: a total over 10 MiB, a total that changes, a malformed range, a range that
 * is not the body's length; each refused with a clear error, nothing stored or changed. */
static void
test_resume_bad_pieces (Fixture       *f,
                        gconstpointer  data)
{
  TerenTestDevice *ana = f->ana;
  g_autoptr(GBytes) content = make_content ("pdf", PIECE + 500, 33);
  g_autofree char *hex = content_hex (content);
  gsize total = g_bytes_get_size (content);
  g_autofree char *partial = partial_file (f, "ana", hex, total);
  g_autofree char *big_partial = partial_file (f, "ana", hex, 11 * 1024 * 1024);
  PieceAnswer answer = { 0 };

  /* TOTAL over 10 MiB, on the first piece. */
  refused_piece (f, ana->token, hex, 0, PIECE - 1, 11 * 1024 * 1024, &answer);
  assert_error_answer (&answer, 413, "too_large", "10 MiB");
  piece_answer_clear (&answer);
  g_assert_cmpint (head_offset (f, ana->token, hex), ==, 0);
  g_assert_false (g_file_test (big_partial, G_FILE_TEST_EXISTS));

  /* A first piece, then one claiming another total. */
  put_piece (f, ana->token, hex, content, 0, 999, total, &answer);
  g_assert_cmpuint (answer.status, ==, 202);
  piece_answer_clear (&answer);
  refused_piece (f, ana->token, hex, 1000, 1999, total + 1, &answer);
  assert_error_answer (&answer, 400, "bad_request", "total");
  g_assert_cmpint (answer.offset, ==, 1000);
  piece_answer_clear (&answer);
  refused_piece (f, ana->token, hex, 1000, 1999, 11 * 1024 * 1024, &answer);
  assert_error_answer (&answer, 413, "too_large", NULL);
  piece_answer_clear (&answer);
  assert_partial (partial, content, 1000);

  /* Malformed ranges. */
  {
    const char * const ranges[] = { "bytes 1000-999/2000", "bytes 1000-1999/1500", "bytes=1000-1999/2000",
                                    "bytes 1000-1999/*", "bytes -1-1999/2000", "bytes 1000-1999", NULL };
    guint i;

    for (i = 0; ranges[i] != NULL; i++)
      {
        g_autofree char *request = g_strdup_printf ("PUT /api/v1/blobs/sha256:%s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                                    "Authorization: Bearer %s\r\nContent-Range: %s\r\n"
                                                    "Content-Length: 1000\r\n\r\n", hex, ana->token, ranges[i]);
        g_autoptr(TerenTestResponse) bad = teren_test_raw_request (f->server, request, strlen (request), 10000);

        teren_test_assert_error (bad, 400, "bad_request");
      }
  }
  /* A range that is not the body's length. */
  {
    g_autofree char *request = g_strdup_printf ("PUT /api/v1/blobs/sha256:%s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                                "Authorization: Bearer %s\r\nContent-Range: bytes 1000-1999/%"
                                                G_GSIZE_FORMAT "\r\nContent-Length: 10\r\n\r\n", hex, ana->token,
                                                total);
    g_autoptr(TerenTestResponse) bad = teren_test_raw_request (f->server, request, strlen (request), 10000);

    teren_test_assert_error (bad, 400, "bad_request");
  }
  assert_partial (partial, content, 1000);
  g_assert_cmpint (head_offset (f, ana->token, hex), ==, 1000);
  g_assert_cmpint (db_count (f, "SELECT count(*) FROM blobs"), ==, f->blobs0);
  g_assert_cmpint (db_count (f, "SELECT count(*) FROM audit WHERE action = 'blob_upload'"), ==, f->uploads0);

  /* The rest: whole after all. */
  put_piece (f, ana->token, hex, content, 1000, total - 1, total, &answer);
  g_assert_cmpuint (answer.status, ==, 201);
  piece_answer_clear (&answer);
  assert_stored (f, ana->token, hex, content);
}

/* The bytes do not match the hash once all arrived: the clear error of a whole PUT, the
 * partial gone, nothing stored. */
static void
test_resume_hash_mismatch (Fixture       *f,
                           gconstpointer  data)
{
  TerenTestDevice *ana = f->ana;
  g_autoptr(GBytes) content = make_content ("pdf", PIECE + 700, 34);
  g_autoptr(GBytes) other = make_content ("pdf", PIECE + 700, 35);
  g_autofree char *other_hex = content_hex (other);
  gsize total = g_bytes_get_size (content);
  g_autofree char *partial = partial_file (f, "ana", other_hex, total);
  g_autofree char *tmp_dir = g_build_filename (f->server->data_dir, "blobs", "tmp", NULL);
  PieceAnswer answer = { 0 };

  put_piece (f, ana->token, other_hex, content, 0, PIECE - 1, total, &answer);
  g_assert_cmpuint (answer.status, ==, 202);
  piece_answer_clear (&answer);
  put_piece (f, ana->token, other_hex, content, PIECE, total - 1, total, &answer);
  assert_error_answer (&answer, 400, "bad_request", "hash mismatch");
  g_assert_cmpint (answer.offset, ==, 0);
  piece_answer_clear (&answer);
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));
  g_assert_cmpint (head_offset (f, ana->token, other_hex), ==, 0);
  g_assert_cmpuint (count_files (tmp_dir), ==, 0);
  assert_stored_since_start (f, 0);
}

/* Another account neither sees nor extends the first one's partial: its HEAD says 0, its
 * piece at the first one's offset is refused, and its own bytes go to a partial of its own. */
static void
test_resume_other_account (Fixture       *f,
                           gconstpointer  data)
{
  TerenTestDevice *ana = f->ana;
  g_autoptr(TerenTestDevice) dora = NULL;
  g_autoptr(GBytes) content = make_content ("png", PIECE + 2000, 36);
  g_autoptr(GBytes) poison = make_content ("png", PIECE + 2000, 37);
  g_autofree char *hex = content_hex (content);
  gsize total = g_bytes_get_size (content);
  g_autofree char *ana_partial = partial_file (f, "ana", hex, total);
  g_autofree char *dora_partial = NULL;
  PieceAnswer answer = { 0 };

  teren_test_server_add_user (f->server, "dora", PASSWORD, "child", "worker");
  dora = teren_test_device_new (f->server, "dora", PASSWORD, NULL);
  dora_partial = partial_file (f, "dora", hex, total);

  put_piece (f, ana->token, hex, content, 0, PIECE - 1, total, &answer);
  g_assert_cmpuint (answer.status, ==, 202);
  piece_answer_clear (&answer);
  g_assert_cmpint (head_offset (f, ana->token, hex), ==, PIECE);
  g_assert_cmpint (head_offset (f, dora->token, hex), ==, 0);

  /* Dora tries to append other bytes at Ana's offset. */
  refused_piece (f, dora->token, hex, PIECE, total - 1, total, &answer);
  assert_error_answer (&answer, 409, "bad_request", NULL);
  g_assert_cmpint (answer.offset, ==, 0);
  piece_answer_clear (&answer);
  /* Her own upload from 0 (with bytes that do not match) stays hers. */
  put_piece (f, dora->token, hex, poison, 0, 999, total, &answer);
  g_assert_cmpuint (answer.status, ==, 202);
  g_assert_cmpint (answer.offset, ==, 1000);
  piece_answer_clear (&answer);
  assert_partial (ana_partial, content, PIECE);
  assert_partial (dora_partial, poison, 1000);
  g_assert_cmpint (head_offset (f, ana->token, hex), ==, PIECE);
  g_assert_cmpint (head_offset (f, dora->token, hex), ==, 1000);

  /* Ana finishes: the right bytes are stored. */
  put_piece (f, ana->token, hex, content, PIECE, total - 1, total, &answer);
  g_assert_cmpuint (answer.status, ==, 201);
  piece_answer_clear (&answer);
  assert_stored (f, ana->token, hex, content);
  g_assert_true (g_file_test (dora_partial, G_FILE_TEST_EXISTS));

  /* Dora's poisoned upload, finished, is refused without touching the stored blob. */
  put_piece (f, dora->token, hex, poison, 1000, total - 1, total, &answer);
  assert_error_answer (&answer, 400, "bad_request", "hash mismatch");
  piece_answer_clear (&answer);
  g_assert_false (g_file_test (dora_partial, G_FILE_TEST_EXISTS));
  assert_stored (f, ana->token, hex, content);
}

/* At most TEREN_BLOB_PARTIAL_MAX_COUNT (16) partials per account: the 17th is refused
 * (429 rate_limited), nothing made; another account is not affected. */
static void
test_resume_limits (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(TerenTestDevice) elena = NULL;
  g_autoptr(GBytes) extra = make_content ("png", 2000, 99);
  g_autofree char *extra_hex = content_hex (extra);
  g_autofree char *extra_partial = NULL;
  PieceAnswer answer = { 0 };
  guint i;

  teren_test_server_add_user (f->server, "elena", PASSWORD, "child", "worker");
  elena = teren_test_device_new (f->server, "elena", PASSWORD, NULL);
  extra_partial = partial_file (f, "elena", extra_hex, 2000);
  for (i = 0; i < 16; i++)
    {
      g_autoptr(GBytes) content = make_content ("png", 2000, 100 + i);
      g_autofree char *hex = content_hex (content);

      put_piece (f, elena->token, hex, content, 0, 999, 2000, &answer);
      g_assert_cmpuint (answer.status, ==, 202);
      piece_answer_clear (&answer);
    }
  refused_piece (f, elena->token, extra_hex, 0, 999, 2000, &answer);
  assert_error_answer (&answer, 429, "rate_limited", NULL);
  g_assert_cmpint (answer.offset, ==, 0);
  piece_answer_clear (&answer);
  g_assert_false (g_file_test (extra_partial, G_FILE_TEST_EXISTS));
  g_assert_cmpint (head_offset (f, elena->token, extra_hex), ==, 0);

  /* A whole PUT is not a partial: still accepted. */
  g_assert_cmpuint (put_status (f, elena->token, extra_hex, extra), ==, 201);
  /* Ana is not limited by Elena's partials. */
  {
    g_autoptr(GBytes) content = make_content ("png", 2000, 98);
    g_autofree char *hex = content_hex (content);

    put_piece (f, f->ana->token, hex, content, 0, 999, 2000, &answer);
    g_assert_cmpuint (answer.status, ==, 202);
    piece_answer_clear (&answer);
    put_piece (f, f->ana->token, hex, content, 1000, 1999, 2000, &answer);
    g_assert_cmpuint (answer.status, ==, 201);
    piece_answer_clear (&answer);
  }
}

/* The tmp sweep (gc-blobs) removes partials not written for a day and those of a disabled
 * account; a fresh one stays and can be finished. */
static void
test_resume_sweep (Fixture       *f,
                   gconstpointer  data)
{
  TerenTestDevice *ana = f->ana;
  g_autoptr(TerenTestDevice) flavia = NULL;
  g_autoptr(GBytes) stale = make_content ("jpeg", 3000, 40);
  g_autoptr(GBytes) fresh = make_content ("jpeg", 3000, 41);
  g_autoptr(GBytes) orphan = make_content ("jpeg", 3000, 42);
  g_autofree char *stale_hex = content_hex (stale);
  g_autofree char *fresh_hex = content_hex (fresh);
  g_autofree char *orphan_hex = content_hex (orphan);
  g_autofree char *stale_partial = partial_file (f, "ana", stale_hex, 3000);
  g_autofree char *fresh_partial = partial_file (f, "ana", fresh_hex, 3000);
  g_autofree char *orphan_partial = NULL;
  g_autofree char *out = NULL;
  PieceAnswer answer = { 0 };
  struct utimbuf old_time = { time (NULL) - 2 * 24 * 3600, time (NULL) - 2 * 24 * 3600 };

  teren_test_server_add_user (f->server, "flavia", PASSWORD, "child", "worker");
  flavia = teren_test_device_new (f->server, "flavia", PASSWORD, NULL);
  orphan_partial = partial_file (f, "flavia", orphan_hex, 3000);

  put_piece (f, ana->token, stale_hex, stale, 0, 999, 3000, &answer);
  g_assert_cmpuint (answer.status, ==, 202);
  piece_answer_clear (&answer);
  put_piece (f, ana->token, fresh_hex, fresh, 0, 999, 3000, &answer);
  g_assert_cmpuint (answer.status, ==, 202);
  piece_answer_clear (&answer);
  put_piece (f, flavia->token, orphan_hex, orphan, 0, 999, 3000, &answer);
  g_assert_cmpuint (answer.status, ==, 202);
  piece_answer_clear (&answer);
  g_assert_cmpint (utime (stale_partial, &old_time), ==, 0);
  g_assert_cmpint (teren_test_server_clif (f->server, NULL, NULL, NULL, "user", "disable", "flavia", NULL), ==, 0);

  g_assert_cmpint (teren_test_server_clif (f->server, NULL, &out, NULL, "gc-blobs", NULL), ==, 0);
  g_assert_false (g_file_test (stale_partial, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (orphan_partial, G_FILE_TEST_EXISTS));
  assert_partial (fresh_partial, fresh, 1000);
  g_assert_cmpint (head_offset (f, ana->token, stale_hex), ==, 0);
  g_assert_cmpint (head_offset (f, ana->token, fresh_hex), ==, 1000);

  /* The stale one starts again from 0; the fresh one goes on. */
  put_piece (f, ana->token, fresh_hex, fresh, 1000, 2999, 3000, &answer);
  g_assert_cmpuint (answer.status, ==, 201);
  piece_answer_clear (&answer);
  put_piece (f, ana->token, stale_hex, stale, 0, 2999, 3000, &answer);
  g_assert_cmpuint (answer.status, ==, 201);
  piece_answer_clear (&answer);
  assert_stored (f, ana->token, fresh_hex, fresh);
  assert_stored (f, ana->token, stale_hex, stale);
}

/* A piece still arriving on a connection its client gave up on, while the client sends
 * from the server's offset on a new one: the new piece takes the partial over, the late
 * bytes of the old one are dropped (its answer is 409), and the blob is stored right. */
static void
test_resume_takeover (Fixture       *f,
                      gconstpointer  data)
{
  TerenTestDevice *ana = f->ana;
  g_autoptr(GBytes) content = make_content ("jpeg", 2 * PIECE + 99, 44);
  g_autoptr(GBytes) garbage = make_content ("jpeg", PIECE, 45);
  g_autofree char *hex = content_hex (content);
  gsize total = g_bytes_get_size (content);
  g_autofree char *partial = partial_file (f, "ana", hex, total);
  g_autoptr(GSocketConnection) stale = teren_test_raw_connect (f->server);
  g_autoptr(TerenTestResponse) late = NULL;
  g_autofree char *head = g_strdup_printf ("PUT /api/v1/blobs/sha256:%s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                           "Authorization: Bearer %s\r\nContent-Range: bytes 0-%d/%" G_GSIZE_FORMAT
                                           "\r\nContent-Length: %d\r\n\r\n", hex, ana->token, PIECE - 1, total, PIECE);
  const gsize cut = 300000;
  PieceAnswer answer = { 0 };
  gint64 offset = -1;
  gsize start;
  guint i;

  g_assert_true (teren_test_raw_write (stale, head, strlen (head)));
  g_assert_true (teren_test_raw_write (stale, g_bytes_get_data (content, NULL), cut));
  for (i = 0; i < 100 && (offset = head_offset (f, ana->token, hex)) != (gint64) cut; i++)
    teren_test_sleep_ms (50);
  g_assert_cmpint (offset, ==, (gint64) cut);

  /* The client comes back on a new connection, from the server's offset. */
  put_piece (f, ana->token, hex, content, cut, cut + PIECE - 1, total, &answer);
  g_assert_cmpuint (answer.status, ==, 202);
  g_assert_cmpint (answer.offset, ==, (gint64) (cut + PIECE));
  piece_answer_clear (&answer);

  /* The old connection's rest (other bytes) arrives: dropped, 409. */
  g_assert_true (teren_test_raw_write (stale, g_bytes_get_data (garbage, NULL), PIECE - cut));
  late = teren_test_raw_read_response (stale, 10000);
  g_assert_no_error (late->error);
  teren_test_assert_error (late, 409, "bad_request");
  assert_partial (partial, content, cut + PIECE);

  for (start = cut + PIECE; start < total; start += PIECE)
    {
      put_piece (f, ana->token, hex, content, start, MIN (start + PIECE, total) - 1, total, &answer);
      g_assert_cmpuint (answer.status, ==, start + PIECE < total ? 202 : 201);
      piece_answer_clear (&answer);
    }
  assert_stored (f, ana->token, hex, content);
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));
}

/* TEREN_SERVER_BLOB_RESUME=0: the server acts as one without the extension (no offset in
 * HEAD); whole PUTs work. */
static const char * const no_resume_env[] = { "TEREN_SERVER_BLOB_RESUME=0", NULL };

static void
test_resume_off (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GBytes) content = make_content ("png", 30 * 1024, 43);
  g_autofree char *hex = content_hex (content);

  g_assert_cmpint (head_offset (f, f->ana->token, hex), ==, -1);
  g_assert_cmpuint (put_status (f, f->ana->token, hex, content), ==, 201);
  assert_stored (f, f->ana->token, hex, content);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/server/blobs/round-trip", Fixture, NULL, fixture_set_up, test_round_trip, fixture_tear_down);
  g_test_add ("/server/blobs/interrupted-then-retried", Fixture, NULL, fixture_set_up, test_interrupted_then_retried,
              fixture_tear_down);
  g_test_add ("/server/blobs/hash-mismatch", Fixture, NULL, fixture_set_up, test_hash_mismatch, fixture_tear_down);
  g_test_add ("/server/blobs/too-large", Fixture, NULL, fixture_set_up, test_too_large, fixture_tear_down);
  g_test_add ("/server/blobs/unauthenticated", Fixture, NULL, fixture_set_up, test_unauthenticated, fixture_tear_down);
  g_test_add ("/server/blobs/executable-named-pdf", Fixture, NULL, fixture_set_up, test_executable_named_pdf,
              fixture_tear_down);
  g_test_add ("/server/blobs/scope", Fixture, NULL, fixture_set_up, test_scope, fixture_tear_down);
  g_test_add ("/server/blobs/missing-blob", Fixture, NULL, fixture_set_up, test_missing_blob, fixture_tear_down);
  g_test_add ("/server/blobs/gc", Fixture, NULL, fixture_set_up, test_gc, fixture_tear_down);
  g_test_add ("/server/blobs/slow-and-stalled", Fixture, short_timeout_env, fixture_set_up, test_slow_and_stalled,
              fixture_tear_down);
  g_test_add ("/server/blobs/gc-while-serving", Fixture, fast_gc_env, fixture_set_up, test_gc_while_serving,
              fixture_tear_down);
  g_test_add ("/server/blobs/resume-pieces", Fixture, NULL, fixture_set_up, test_resume_pieces, fixture_tear_down);
  g_test_add ("/server/blobs/resume-cut", Fixture, NULL, fixture_set_up, test_resume_cut, fixture_tear_down);
  g_test_add ("/server/blobs/resume-bad-pieces", Fixture, NULL, fixture_set_up, test_resume_bad_pieces,
              fixture_tear_down);
  g_test_add ("/server/blobs/resume-hash-mismatch", Fixture, NULL, fixture_set_up, test_resume_hash_mismatch,
              fixture_tear_down);
  g_test_add ("/server/blobs/resume-other-account", Fixture, NULL, fixture_set_up, test_resume_other_account,
              fixture_tear_down);
  g_test_add ("/server/blobs/resume-takeover", Fixture, NULL, fixture_set_up, test_resume_takeover,
              fixture_tear_down);
  g_test_add ("/server/blobs/resume-limits", Fixture, NULL, fixture_set_up, test_resume_limits, fixture_tear_down);
  g_test_add ("/server/blobs/resume-sweep", Fixture, NULL, fixture_set_up, test_resume_sweep, fixture_tear_down);
  g_test_add ("/server/blobs/resume-off", Fixture, no_resume_env, fixture_set_up, test_resume_off, fixture_tear_down);
  g_test_add_func ("/server/blobs/shared-server-stops", test_shared_server_stops);
  return g_test_run ();
}
