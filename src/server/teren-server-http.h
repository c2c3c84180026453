/* teren-server-http.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "teren-server-backend.h"

G_BEGIN_DECLS

/* The HTTP layer: a SoupServer answering every endpoint of SYNC.md under /api/v1. It
 * only talks to the storage through teren-server-backend.h. */

typedef struct _TerenServerHttp TerenServerHttp;

typedef struct {
  guint  request_timeout;   /* seconds a connection may stall (slow-loris guard) */
  gint64 token_idle;        /* seconds a token lives without use */
  gint64 login_lock;        /* seconds a rate-limited login waits */
  const char *data_dir;     /* for the attachments (<data_dir>/blobs); NULL = none */
} TerenServerHttpOptions;

/* @tls: (nullable): the certificate and key, for HTTPS. */
TerenServerHttp *teren_server_http_new      (TerenServerBackend           *backend,
                                             const TerenServerHttpOptions *options,
                                             GTlsCertificate              *tls,
                                             GError                      **error);
void             teren_server_http_free     (TerenServerHttp *self);

/* Listens on @address; *@out_url is the base URL with the real port (port 0 picks one). */
gboolean         teren_server_http_listen   (TerenServerHttp  *self,
                                             GSocketAddress   *address,
                                             char            **out_url,
                                             GError          **error);

/* Stops taking requests; @done runs on the main context once in-flight requests have
 * been answered. */
void             teren_server_http_shutdown (TerenServerHttp  *self,
                                             GSourceFunc       done,
                                             gpointer          user_data);

G_END_DECLS
