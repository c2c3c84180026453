/* teren-nomenclature.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Built-in nomenclatures (choice lists) with the official codes where DOMAIN.md gives
 * them. Labels are English source strings marked N_() and translated on display.
 * Server-managed lists (SIRUTA, ICD-10) come from the server's nomenclature feed
 * instead and are not here. */

typedef struct {
  const char *code;    /* stable, stored in records */
  const char *label;   /* N_() English source string */
} TerenNomenclatureItem;

typedef struct {
  const char                  *name;     /* e.g. "sex", "id_document_type" */
  const char                  *label;    /* N_() */
  const TerenNomenclatureItem *items;
  guint                        n_items;
} TerenNomenclature;

const TerenNomenclature *teren_nomenclature_lookup      (const char *name);
const TerenNomenclature * const *teren_nomenclature_list (guint *n_nomenclatures);

/* TRUE if @code is one of @nomenclature's codes. */
gboolean                 teren_nomenclature_has_code    (const TerenNomenclature *nomenclature,
                                                         const char              *code);

/* Translated label of @code, or %NULL if unknown. */
const char              *teren_nomenclature_get_label   (const TerenNomenclature *nomenclature,
                                                         const char              *code);

/* Translated label of the list itself, e.g. "Ethnicity". */
const char              *teren_nomenclature_get_name_label (const TerenNomenclature *nomenclature);

/* The `environment` code for SIRUTA's MED column (1 urban, 3 rural), or %NULL. */
const char              *teren_nomenclature_environment_from_med (int med);

G_END_DECLS
