/* teren-nomenclature-social.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-nomenclature-private.h"

/* Built-in lists of the social service lines: child protection, crèche, elderly and adults, social canteen, homeless (DOMAIN.md §1–5, §9).
 * Codes are stable ASCII, official codes where DOMAIN.md gives them; never rename one. */

#define ITEMS(array) array, G_N_ELEMENTS (array)

const TerenNomenclature teren_nomenclatures_social[] = {
  { NULL, NULL, NULL, 0 },
};
