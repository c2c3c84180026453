/* teren-schema-private.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "teren-schema.h"

G_BEGIN_DECLS

/* The static kind tables, each NULL-terminated: the registry and common kinds
 * (teren-schema-kinds.c), the social service lines (teren-schema-kinds-social.c) and the
 * medical and care lines (teren-schema-kinds-health.c). teren-schema.c joins them. */
extern const TerenKindDef * const teren_schema_kinds[];
extern const guint                teren_schema_n_kinds;
extern const TerenKindDef * const teren_schema_kinds_social[];
extern const TerenKindDef * const teren_schema_kinds_health[];

/* Helpers shared by teren-schema.c and teren-schema-validate.c. */
const char *teren_schema_node_string   (JsonNode   *node);        /* NULL unless a string */
const char *teren_schema_member_string (JsonObject *fields,
                                        const char *key);
gboolean    teren_schema_is_blank      (const char *value);       /* only white space */

G_END_DECLS
