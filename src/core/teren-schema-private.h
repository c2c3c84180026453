/* teren-schema-private.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "teren-schema.h"

G_BEGIN_DECLS

/* The static kind tables, in teren-schema-kinds.c. */
extern const TerenKindDef * const teren_schema_kinds[];
extern const guint                teren_schema_n_kinds;

G_END_DECLS
