/* teren-schema-kinds-social.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-schema-private.h"

/* Kinds of the social service lines: child protection, crèche, elderly and adults, social canteen, homeless (DOMAIN.md §1–5, §9). */

const TerenKindDef * const teren_schema_kinds_social[] = {
  NULL,
};
