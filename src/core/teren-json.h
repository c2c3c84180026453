/* teren-json.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Limits of SYNC.md. */
#define TEREN_JSON_MAX_DEPTH 64
#define TEREN_JSON_MAX_BODY  (8 * 1024 * 1024)

/**
 * teren_json_parse:
 * @data: the text (need not be NUL-terminated)
 * @length: its length in bytes, or -1 if NUL-terminated
 * @max_depth: maximum nesting of arrays/objects (0: TEREN_JSON_MAX_DEPTH)
 * @error: TEREN_ERROR_BAD_JSON for invalid UTF-8, syntax errors or too deep nesting
 *
 * Strict RFC 8259 (one value, nothing after it but white space; a leading UTF-8
 * byte-order mark is skipped). Strings must be UTF-8 and may not hold U+0000 or a lone
 * surrogate escape (raw control characters are let through: json-glib 1.6 writes U+001F
 * so); integers within 64 bits are G_TYPE_INT64 values, other numbers
 * doubles; a repeated member name keeps the last value.
 *
 * Returns: (transfer full): the root node
 */
JsonNode   *teren_json_parse            (const char  *data,
                                         gssize       length,
                                         guint        max_depth,
                                         GError     **error);

/* The same for text from outside (a request body): raw control characters in strings,
 * which JSON does not allow and Teren never writes to the network, are refused too.
 * (transfer full) */
JsonNode   *teren_json_parse_input      (const char  *data,
                                         gssize       length,
                                         guint        max_depth,
                                         GError     **error);

/* Same as teren_json_parse(), and the root must be an object. (transfer full) */
JsonObject *teren_json_parse_object     (const char  *data,
                                         gssize       length,
                                         guint        max_depth,
                                         GError     **error);

/* Compact serialisation. (transfer full) */
char       *teren_json_to_string        (JsonNode    *node);
char       *teren_json_object_to_string (JsonObject  *object);

/* Deep equality; two nulls (or NULL pointers) are equal; numbers compare by value. */
gboolean    teren_json_equal            (JsonNode    *a,
                                         JsonNode    *b);

/* Deep copy (json_object_ref is a shared reference, not a copy). (transfer full) */
JsonObject *teren_json_object_copy      (JsonObject  *object);
/* Deep copy of any node; %NULL gives a null node. (transfer full) */
JsonNode   *teren_json_node_copy        (JsonNode    *node);

/* Members accessed leniently: the default when absent, null or of another type. */
const char *teren_json_get_string       (JsonObject  *object,
                                         const char  *member,
                                         const char  *default_value);
gint64      teren_json_get_int          (JsonObject  *object,
                                         const char  *member,
                                         gint64       default_value);

G_END_DECLS
