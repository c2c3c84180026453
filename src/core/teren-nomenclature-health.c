/* teren-nomenclature-health.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-nomenclature-private.h"

/* Built-in lists of the medical and care lines: community medical assistance, school medical cabinets, disability and personal assistants (DOMAIN.md §6–8).
 * Codes are stable ASCII, official codes where DOMAIN.md gives them; never rename one. */

#define ITEMS(array) array, G_N_ELEMENTS (array)

const TerenNomenclature teren_nomenclatures_health[] = {
  { NULL, NULL, NULL, 0 },
};
