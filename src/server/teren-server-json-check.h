/* teren-server-json-check.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A strict RFC 8259 syntax check run before json-glib, which accepts more (single
 * quotes, comments, trailing text in some versions). Nesting is limited to @max_depth.
 * FALSE with a short reason and the byte offset otherwise. Does not check UTF-8. */
gboolean teren_server_json_check (const char  *data,
                                  gsize        length,
                                  guint        max_depth,
                                  char       **out_reason);

G_END_DECLS
