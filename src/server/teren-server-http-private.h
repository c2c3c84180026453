/* teren-server-http-private.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "teren-server-auth.h"
#include "teren-server-blobs.h"
#include "teren-server-http.h"

G_BEGIN_DECLS

/* Shared by teren-server-http.c (SoupServer, request life cycle, transport limits) and
 * teren-server-endpoints.c (the answers of every /api/v1 endpoint). */

#define TEREN_API_PREFIX      "/api/v1"
#define TEREN_PUSH_MAX_OPS    500                /* operations per push */
#define TEREN_PULL_DEFAULT    500                /* records per page without ?limit */
#define TEREN_PULL_MAX        2000               /* records per page at most */
#define TEREN_PAGE_MAX_BYTES  (4 * 1024 * 1024)  /* JSON per page at most */
#define TEREN_GZIP_THRESHOLD  (16 * 1024)        /* answers gzipped from this size */
#define TEREN_PROTOCOL        1

struct _TerenServerHttp {
  SoupServer             *server;
  TerenServerBackend     *backend;
  TerenServerRateLimiter *limiter;
  GThreadPool            *pool;
  TerenServerHttpOptions  options;
  gboolean                tls;
  guint                   in_flight;
  gboolean                shutting_down;
  GSourceFunc             drained;
  gpointer                drained_data;
  TerenServerBlobs       *blobs;      /* attachments; NULL without a data dir */
};

/* One request, from the main context to a worker thread and back. */
typedef struct {
  TerenServerHttp   *http;
  SoupServerMessage *msg;
  gboolean           aborted;
  gint64             start_us;
  char              *method;
  char              *path;        /* after /api/v1 */
  GHashTable        *query;
  GBytes            *body;
  char              *content_encoding;
  char              *authorization;
  char              *protocol_header;
  char              *schema_header;
  char              *address;
  gboolean           accept_gzip;

  /* answer */
  guint              status;
  char              *response;
  gint64             retry_after;
  char              *account;     /* for the log */
  /* a raw answer (an attachment) instead of @response, when @response_type is set */
  char              *response_type;
  GBytes            *response_bytes;  /* GET */
  gint64             response_length; /* HEAD: the Content-Length announced */
  char              *upload_offset;   /* TEREN_UPLOAD_OFFSET_HEADER of a blob answer, or NULL */
} TerenServerRequest;

void teren_server_request_answer_error (TerenServerRequest *r,
                                        guint               status,
                                        const char         *code,
                                        const char         *message);
void teren_server_request_answer_json  (TerenServerRequest *r,
                                        JsonNode           *node);
/* Attachments (teren-server-blobs.c): the /blobs/… endpoints, in a worker thread. */
void teren_server_blobs_handle         (TerenServerRequest *r,
                                        TerenServerCaller  *caller);
/* Main context: answers @msg with an error without reading its body, closes the
 * connection, logs the request. */
void teren_server_http_refuse_unread   (SoupServerMessage *msg,
                                        guint              status,
                                        const char        *code,
                                        const char        *message,
                                        const char        *account);
/* The same with one more header in the answer (@header_name, @header_value nullable). */
void teren_server_http_refuse_unread_header (SoupServerMessage *msg,
                                             guint              status,
                                             const char        *code,
                                             const char        *message,
                                             const char        *account,
                                             const char        *header_name,
                                             const char        *header_value);
/* Main context: gives a request being received a new TEREN_SERVER_REQUEST_TIMEOUT. */
void teren_server_http_read_timer_restart (SoupServerMessage *msg);
/* Runs in a worker thread: authenticates, dispatches on the path, fills the answer. */
void teren_server_request_process      (TerenServerRequest *r);

G_END_DECLS
