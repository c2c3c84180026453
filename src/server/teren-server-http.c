/* teren-server-http.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "teren-error.h"
#include "teren-json.h"
#include "teren-uuid.h"
#include "teren-server-http-private.h"

#define LISTEN_BACKLOG  512
#define WORKER_THREADS  16

static void
request_free (TerenServerRequest *r)
{
  g_clear_object (&r->msg);
  g_free (r->method);
  g_free (r->path);
  g_clear_pointer (&r->query, g_hash_table_unref);
  g_clear_pointer (&r->body, g_bytes_unref);
  g_free (r->content_encoding);
  if (r->authorization != NULL)
    memset (r->authorization, 0, strlen (r->authorization));
  g_free (r->authorization);
  g_free (r->protocol_header);
  g_free (r->schema_header);
  g_free (r->address);
  g_free (r->response);
  g_free (r->account);
  g_free (r->response_type);
  g_clear_pointer (&r->response_bytes, g_bytes_unref);
  g_free (r->upload_offset);
  g_free (r);
}

/* ---- answers ------------------------------------------------------------------ */

void
teren_server_request_answer_error (TerenServerRequest    *r,
              guint       status,
              const char *code,
              const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *now = teren_now_iso8601 ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "server_time");
  json_builder_add_string_value (builder, now);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  r->status = status;
  g_free (r->response);
  r->response = teren_json_to_string (root);
}

void
teren_server_request_answer_json (TerenServerRequest  *r,
             JsonNode *node)
{
  r->status = SOUP_STATUS_OK;
  g_free (r->response);
  r->response = teren_json_to_string (node);
}


static GBytes *
deflate_gzip (const char *data,
              gsize       length)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 1);
  g_autoptr(GByteArray) out = g_byte_array_sized_new (length / 4 + 64);
  gsize in_pos = 0;
  guint8 buffer[64 * 1024];

  for (;;)
    {
      gsize read = 0, written = 0;
      GConverterResult result;

      result = g_converter_convert (G_CONVERTER (compressor), data + in_pos, length - in_pos,
                                    buffer, sizeof buffer, G_CONVERTER_INPUT_AT_END,
                                    &read, &written, NULL);
      if (result == G_CONVERTER_ERROR)
        return NULL;
      in_pos += read;
      g_byte_array_append (out, buffer, written);
      if (result == G_CONVERTER_FINISHED)
        break;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* The request body as a JSON object, or NULL with the answer set. */
/* ---- plumbing ------------------------------------------------------------------- */

static void
log_request (TerenServerRequest *r)
{
  gint64 ms = (g_get_monotonic_time () - r->start_us) / 1000;

  /* Never the query or the body: only what identifies the call. */
  fprintf (stderr, "%s %s%s %u %" G_GINT64_FORMAT "ms account=%s\n", r->method, TEREN_API_PREFIX, r->path,
           r->status, ms, r->account != NULL ? r->account : "-");
  fflush (stderr);
}

static void
finish_request (TerenServerRequest *r)
{
  TerenServerHttp *http = r->http;
  SoupMessageHeaders *headers;
  const char *text = r->response != NULL ? r->response : "{}";
  gsize length = strlen (text);

  if (!r->aborted)
    {
      headers = soup_server_message_get_response_headers (r->msg);
      soup_message_headers_replace (headers, "Cache-Control", "no-store");
      if (r->retry_after > 0)
        {
          g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT, r->retry_after);

          soup_message_headers_replace (headers, "Retry-After", value);
        }
      if (r->upload_offset != NULL)
        soup_message_headers_replace (headers, TEREN_UPLOAD_OFFSET_HEADER, r->upload_offset);
      if (r->response_type != NULL && r->status == SOUP_STATUS_OK)
        {
          /* An attachment: its own type, never sniffed by a browser. */
          soup_message_headers_replace (headers, "Content-Type", r->response_type);
          soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
          if (r->response_bytes != NULL)
            soup_message_body_append_bytes (soup_server_message_get_response_body (r->msg), r->response_bytes);
          else
            soup_message_headers_set_content_length (headers, r->response_length);
          goto status;
        }
      if (r->accept_gzip && length > TEREN_GZIP_THRESHOLD)
        {
          g_autoptr(GBytes) gz = deflate_gzip (text, length);

          if (gz != NULL)
            {
              gsize gz_len;
              gconstpointer gz_data = g_bytes_get_data (gz, &gz_len);

              soup_message_headers_replace (headers, "Content-Encoding", "gzip");
              soup_message_headers_append (headers, "Vary", "Accept-Encoding");
              soup_server_message_set_response (r->msg, "application/json", SOUP_MEMORY_COPY, gz_data, gz_len);
              goto status;
            }
        }
      soup_server_message_set_response (r->msg, "application/json", SOUP_MEMORY_COPY, text, length);
status:
      soup_server_message_set_status (r->msg, r->status, NULL);
      soup_server_message_unpause (r->msg);
    }
  log_request (r);

  g_assert (http->in_flight > 0);
  http->in_flight--;
  if (http->shutting_down && http->in_flight == 0 && http->drained != NULL)
    {
      GSourceFunc drained = http->drained;

      http->drained = NULL;
      g_idle_add (drained, http->drained_data);
    }
}

/* Back on the main context: answer and free. */
static gboolean
process_done (gpointer data)
{
  TerenServerRequest *r = data;

  g_object_set_data (G_OBJECT (r->msg), "teren-request", NULL);
  finish_request (r);
  request_free (r);
  return G_SOURCE_REMOVE;
}

/* A worker thread of the pool: everything that may block. */
static void
process_in_pool (gpointer data,
                 gpointer user_data)
{
  teren_server_request_process (data);
  g_main_context_invoke (NULL, process_done, data);
}

static void
on_request_aborted (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  TerenServerRequest *r = g_object_get_data (G_OBJECT (msg), "teren-request");

  if (r != NULL)
    r->aborted = TRUE;
}

/* The slow-loris guard. A timer starts when libsoup begins reading a request (also while
 * a kept-alive connection waits for its next one); if the whole request has not arrived
 * when it fires, the connection is shut down, which libsoup sees as the peer leaving.
 * (A GSocket timeout is not enough: libsoup 3.2 then stops reading without closing.) */
typedef struct {
  guint    source_id;
  guint    seconds;
  GSocket *socket;
} ReadTimer;

static void
read_timer_free (gpointer data)
{
  ReadTimer *timer = data;

  if (timer->source_id != 0)
    g_source_remove (timer->source_id);
  g_clear_object (&timer->socket);
  g_free (timer);
}

static gboolean
read_timer_fired (gpointer data)
{
  ReadTimer *timer = data;

  timer->source_id = 0;
  if (timer->socket != NULL && !g_socket_is_closed (timer->socket))
    g_socket_shutdown (timer->socket, TRUE, TRUE, NULL);
  return G_SOURCE_REMOVE;
}

static void
read_timer_stop (SoupServerMessage *msg)
{
  g_object_set_data (G_OBJECT (msg), "teren-read-timer", NULL);
}

void
teren_server_http_read_timer_restart (SoupServerMessage *msg)
{
  ReadTimer *timer = g_object_get_data (G_OBJECT (msg), "teren-read-timer");

  if (timer == NULL || timer->source_id == 0)
    return;
  g_source_remove (timer->source_id);
  timer->source_id = g_timeout_add_seconds (timer->seconds, read_timer_fired, timer);
}

static void
on_request_started (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  TerenServerHttp *self = user_data;
  GSocket *socket = soup_server_message_get_socket (msg);
  ReadTimer *timer;

  if (socket == NULL)
    return;
  timer = g_new0 (ReadTimer, 1);
  timer->socket = g_object_ref (socket);
  timer->seconds = self->options.request_timeout;
  timer->source_id = g_timeout_add_seconds (self->options.request_timeout, read_timer_fired, timer);
  g_object_set_data_full (G_OBJECT (msg), "teren-read-timer", timer, read_timer_free);
}

static void
on_request_read (SoupServer        *server,
                 SoupServerMessage *msg,
                 gpointer           user_data)
{
  read_timer_stop (msg);
}

/* {"error": @code, "message": @message} (transfer full) */
static char *
error_body (const char *code,
            const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return teren_json_to_string (root);
}

static void
set_error_now (SoupServerMessage *msg,
               guint              status,
               const char        *code,
               const char        *message)
{
  g_autofree char *text = error_body (code, message);

  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, text, strlen (text));
  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
}

/* Answers @msg with an error and closes the connection without reading the body:
 * libsoup would otherwise read (and hold) the body before sending anything. @header_name
 * and @header_value (nullable): one more header of the answer. */
static void
refuse_unread_with (SoupServerMessage *msg,
                    guint              status,
                    const char        *code,
                    const char        *message,
                    const char        *header_name,
                    const char        *header_value)
{
  g_autoptr(GIOStream) stream = NULL;
  g_autofree char *text = error_body (code, message);
  g_autofree char *head = NULL;
  g_autofree char *extra = NULL;

  if (header_name != NULL && header_value != NULL)
    extra = g_strdup_printf ("%s: %s\r\n", header_name, header_value);
  head = g_strdup_printf ("HTTP/1.1 %u %s\r\nContent-Type: application/json\r\nContent-Length: %" G_GSIZE_FORMAT
                          "\r\nConnection: close\r\nCache-Control: no-store\r\n%s\r\n",
                          status, soup_status_get_phrase (status), strlen (text), extra != NULL ? extra : "");
  read_timer_stop (msg);
  stream = soup_server_message_steal_connection (msg);
  if (stream != NULL)
    {
      GOutputStream *out = g_io_stream_get_output_stream (stream);

      if (g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL))
        g_output_stream_write_all (out, text, strlen (text), NULL, NULL, NULL);
      g_output_stream_flush (out, NULL, NULL);
      g_io_stream_close (stream, NULL, NULL);
    }
}

static void
refuse_unread (SoupServerMessage *msg,
               guint              status,
               const char        *code,
               const char        *message)
{
  refuse_unread_with (msg, status, code, message, NULL, NULL);
}

void
teren_server_http_refuse_unread_header (SoupServerMessage *msg,
                                        guint              status,
                                        const char        *code,
                                        const char        *message,
                                        const char        *account,
                                        const char        *header_name,
                                        const char        *header_value)
{
  g_autofree char *method = g_strdup (soup_server_message_get_method (msg));
  g_autofree char *path = g_strdup (g_uri_get_path (soup_server_message_get_uri (msg)));

  refuse_unread_with (msg, status, code, message, header_name, header_value);
  fprintf (stderr, "%s %s %u 0ms account=%s\n", method, path, status, account != NULL ? account : "-");
  fflush (stderr);
}

void
teren_server_http_refuse_unread (SoupServerMessage *msg,
                                 guint              status,
                                 const char        *code,
                                 const char        *message,
                                 const char        *account)
{
  teren_server_http_refuse_unread_header (msg, status, code, message, account, NULL, NULL);
}

/* Runs after the headers, before the body is read: refuse big bodies unread. */
static void
early_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  goffset length = soup_message_headers_get_content_length (headers);
  SoupEncoding encoding = soup_message_headers_get_encoding (headers);
  g_autofree char *method = g_strdup (soup_server_message_get_method (msg));
  g_autofree char *log_path = g_strdup (path);
  TerenServerHttp *self = user_data;
  guint status;

  if (self->blobs != NULL)
    {
      g_autofree char *message = NULL;
      const char *code = NULL;

      /* Attachments: up to 10 MiB, streamed to a file rather than held. */
      switch (teren_server_blobs_early (self->blobs, msg, path, self->options.token_idle, &status, &code, &message))
        {
        case TEREN_SERVER_BLOB_EARLY_STREAMING:
          return;
        case TEREN_SERVER_BLOB_EARLY_REFUSE:
          refuse_unread (msg, status, code, message);
          fprintf (stderr, "%s %s %u 0ms account=-\n", method, log_path, status);
          fflush (stderr);
          return;
        case TEREN_SERVER_BLOB_EARLY_NOT_BLOB:
        default:
          break;
        }
    }

  if (encoding == SOUP_ENCODING_CHUNKED || encoding == SOUP_ENCODING_EOF)
    {
      status = SOUP_STATUS_LENGTH_REQUIRED;
      refuse_unread (msg, status, "bad_request", _("A request body needs a Content-Length header."));
    }
  else if (encoding == SOUP_ENCODING_CONTENT_LENGTH && length > TEREN_JSON_MAX_BODY)
    {
      status = SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE;
      refuse_unread (msg, status, "too_large", _("The request body is larger than 8 MiB."));
    }
  else
    {
      return;
    }
  fprintf (stderr, "%s %s %u 0ms account=-\n", method, log_path, status);
  fflush (stderr);
}

static void
api_handler (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  TerenServerHttp *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  TerenServerRequest *r;
  const char *accept;

  if (soup_server_message_get_status (msg) != 0)
    return;   /* answered by the early handler */

  r = g_new0 (TerenServerRequest, 1);
  r->http = self;
  r->msg = g_object_ref (msg);
  r->start_us = g_get_monotonic_time ();
  r->method = g_strdup (soup_server_message_get_method (msg));
  r->path = g_strdup (strlen (path) > strlen (TEREN_API_PREFIX) ? path + strlen (TEREN_API_PREFIX) : "/");
  if (query != NULL)
    r->query = g_hash_table_ref (query);
  r->address = g_strdup (soup_server_message_get_remote_host (msg));
  r->content_encoding = g_strdup (soup_message_headers_get_one (headers, "Content-Encoding"));
  r->authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  r->protocol_header = g_strdup (soup_message_headers_get_one (headers, "Teren-Protocol"));
  r->schema_header = g_strdup (soup_message_headers_get_one (headers, "Teren-Schema"));
  accept = soup_message_headers_get_list (headers, "Accept-Encoding");
  r->accept_gzip = accept != NULL && soup_header_contains (accept, "gzip");
  self->in_flight++;

  if (self->shutting_down)
    {
      teren_server_request_answer_error (r, SOUP_STATUS_SERVICE_UNAVAILABLE, "internal", _("The server is shutting down."));
      soup_server_message_pause (msg);
      finish_request (r);
      request_free (r);
      return;
    }
  if (strcmp (r->method, "GET") != 0 && strcmp (r->method, "HEAD") != 0 &&
      soup_message_body_get_accumulate (soup_server_message_get_request_body (msg)))   /* not a streamed blob */
    {
      SoupMessageBody *body = soup_server_message_get_request_body (msg);

      r->body = soup_message_body_flatten (body);
      if (g_bytes_get_size (r->body) > TEREN_JSON_MAX_BODY)
        {
          teren_server_request_answer_error (r, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large", _("The request body is larger than 8 MiB."));
          soup_server_message_pause (msg);
          finish_request (r);
          request_free (r);
          return;
        }
    }

  soup_server_message_pause (msg);
  g_object_set_data (G_OBJECT (msg), "teren-request", r);
  g_thread_pool_push (self->pool, r, NULL);
}

static void
fallback_handler (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  if (soup_server_message_get_status (msg) != 0)
    return;
  set_error_now (msg, SOUP_STATUS_NOT_FOUND, "not_found", _("There is nothing at this address."));
  soup_message_headers_remove (soup_server_message_get_response_headers (msg), "Connection");
  fprintf (stderr, "%s %s %u 0ms account=-\n", soup_server_message_get_method (msg), "(other)", SOUP_STATUS_NOT_FOUND);
}

TerenServerHttp *
teren_server_http_new (TerenServerBackend           *backend,
                       const TerenServerHttpOptions *options,
                       GTlsCertificate              *tls,
                       GError                      **error)
{
  TerenServerHttp *self = g_new0 (TerenServerHttp, 1);

  self->backend = backend;
  self->options = *options;
  self->tls = tls != NULL;
  self->limiter = teren_server_rate_limiter_new (options->login_lock);
  if (options->data_dir != NULL)
    {
      self->blobs = teren_server_blobs_new (options->data_dir, backend, error);
      if (self->blobs == NULL)
        {
          teren_server_rate_limiter_free (self->limiter);
          g_free (self);
          return NULL;
        }
      teren_server_blobs_start_gc_timer (self->blobs, teren_server_blobs_gc_interval ());
    }
  /* Requests mostly wait for the database writer; more of them waiting together makes
   * bigger group commits (one fsync for many pushes). */
  self->pool = g_thread_pool_new (process_in_pool, self, WORKER_THREADS, FALSE, NULL);
  self->server = g_object_new (SOUP_TYPE_SERVER,
                               "server-header", "teren-server",
                               "tls-certificate", tls,
                               NULL);
  soup_server_add_early_handler (self->server, TEREN_API_PREFIX, early_handler, self, NULL);
  soup_server_add_handler (self->server, TEREN_API_PREFIX, api_handler, self, NULL);
  soup_server_add_handler (self->server, NULL, fallback_handler, self, NULL);
  g_signal_connect (self->server, "request-started", G_CALLBACK (on_request_started), self);
  g_signal_connect (self->server, "request-aborted", G_CALLBACK (on_request_aborted), self);
  g_signal_connect (self->server, "request-read", G_CALLBACK (on_request_read), self);
  return self;
}

void
teren_server_http_free (TerenServerHttp *self)
{
  if (self == NULL)
    return;
  if (self->server != NULL)
    {
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }
  g_thread_pool_free (self->pool, FALSE, TRUE);
  teren_server_blobs_free (self->blobs);
  teren_server_rate_limiter_free (self->limiter);
  g_free (self);
}

gboolean
teren_server_http_listen (TerenServerHttp  *self,
                          GSocketAddress   *address,
                          char            **out_url,
                          GError          **error)
{
  g_autoptr(GSocket) socket = NULL;
  GSList *listeners;
  g_autoptr(GSocketAddress) local = NULL;
  g_autofree char *host = NULL;
  GInetAddress *inet;
  guint16 port;

  /* Our own listening socket, for a backlog that holds a whole team connecting at once
   * (GSocket's default of 10 resets connections when the main loop is busy). */
  socket = g_socket_new (g_socket_address_get_family (address), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;
  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  if (!g_socket_bind (socket, address, TRUE, error) ||
      !g_socket_listen (socket, error) ||
      !soup_server_listen_socket (self->server, socket, self->tls ? SOUP_SERVER_LISTEN_HTTPS : 0, error))
    return FALSE;
  listeners = soup_server_get_listeners (self->server);
  if (listeners == NULL)
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_NETWORK, "not listening");
      return FALSE;
    }
  local = g_socket_get_local_address (listeners->data, error);
  g_slist_free (listeners);
  if (local == NULL)
    return FALSE;
  inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local));
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  host = g_inet_address_to_string (inet);
  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    *out_url = g_strdup_printf ("%s://[%s]:%u", self->tls ? "https" : "http", host, port);
  else
    *out_url = g_strdup_printf ("%s://%s:%u", self->tls ? "https" : "http", host, port);
  return TRUE;
}

void
teren_server_http_shutdown (TerenServerHttp *self,
                            GSourceFunc      done,
                            gpointer         user_data)
{
  /* New requests get 503 from now on; those in flight finish what they are doing. */
  self->shutting_down = TRUE;
  if (self->in_flight == 0)
    g_idle_add (done, user_data);
  else
    {
      self->drained = done;
      self->drained_data = user_data;
    }
}
