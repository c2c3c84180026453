/* teren-server-json-write.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Compact JSON text appended to a GString, byte for byte what json-glib 1.6's generator
 * (teren_json_to_string) writes for the same tree — the stored fields, the answers and the
 * fingerprints of operations keep their exact text — without the generator's deep copy of
 * the tree, its GObject and its member list copies. Members in insertion order; strings
 * escaped as json-glib does (\" \\ \b \f \n \r \t, \u00xx for the other bytes 0x01–0x1e
 * and 0x7f, everything else as it is). */
void  teren_server_json_append_node    (GString    *out,
                                        JsonNode   *node);
void  teren_server_json_append_object  (GString    *out,
                                        JsonObject *object);
/* The text json-glib writes for teren_json_object_copy (@object): the copy takes the
 * members in the order of the original's hash table (json_object_iter_init), at every
 * depth; an operation's fingerprint is taken over such a copy (teren_op_to_json). */
void  teren_server_json_append_object_copied (GString    *out,
                                              JsonObject *object);
/* A string value with its quotes; NULL writes null. */
void  teren_server_json_append_string  (GString    *out,
                                        const char *text);
/* An integer as "%" G_GINT64_FORMAT writes it. */
void  teren_server_json_append_int     (GString    *out,
                                        gint64      value);
/* "name": (escaped, with the colon) */
void  teren_server_json_append_name    (GString    *out,
                                        const char *name);
/* "name":"value" (NULL: null), after a comma when @comma: a member of an object being
 * written. */
void  teren_server_json_append_string_member (GString    *out,
                                              const char *name,
                                              const char *value,
                                              gboolean    comma);
/* ,"name":value */
void  teren_server_json_append_int_member    (GString    *out,
                                              const char *name,
                                              gint64      value);
/* ["a","b"] of a GPtrArray of strings (NULL: []) */
void  teren_server_json_append_strings (GString    *out,
                                        GPtrArray  *strings);

/* The same as a new string. (transfer full) */
char *teren_server_json_node_to_string   (JsonNode   *node);
char *teren_server_json_object_to_string (JsonObject *object);

G_END_DECLS
