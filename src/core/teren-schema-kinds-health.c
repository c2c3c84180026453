/* teren-schema-kinds-health.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-schema-private.h"

/* Kinds of the medical and care lines: community medical assistance, school medical cabinets, disability and personal assistants (DOMAIN.md §6–8). */

const TerenKindDef * const teren_schema_kinds_health[] = {
  NULL,
};
