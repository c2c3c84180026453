/* teren-doorstep-page.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "teren-store.h"

G_BEGIN_DECLS

#define TEREN_TYPE_DOORSTEP_PAGE (teren_doorstep_page_get_type ())

G_DECLARE_FINAL_TYPE (TerenDoorstepPage, teren_doorstep_page, TEREN, DOORSTEP_PAGE, GtkWidget)

/* The community nurse's home visit to a household, on one screen: the household's
 * members, for each a searchable list of the amc_service codes to tick and the vital
 * signs, and the visit date (today by default). Save writes, in one store transaction,
 * one community_health.intervention (status "done") per ticked service and member and one
 * community_health.vital_signs per member with a measurement; nothing when a value is
 * out of its plausible range (the message is shown under the field).
 *
 * Signals: "saved" (guint n_records): the visit was written. */
TerenDoorstepPage *teren_doorstep_page_new              (TerenStore        *store,
                                                         const char        *household_id);
const char        *teren_doorstep_page_get_household_id (TerenDoorstepPage *self);
gboolean           teren_doorstep_page_get_loading      (TerenDoorstepPage *self);
/* Person ids of the members shown, in order. (transfer none) */
GPtrArray         *teren_doorstep_page_get_person_ids   (TerenDoorstepPage *self);

/* Widgets of a member's part, for keyboard navigation and tests. (transfer none) */
GtkWidget         *teren_doorstep_page_get_search_entry (TerenDoorstepPage *self,
                                                         const char        *person_id);
GtkWidget         *teren_doorstep_page_get_service_row  (TerenDoorstepPage *self,
                                                         const char        *person_id,
                                                         const char        *service_code);
gboolean           teren_doorstep_page_get_ticked       (TerenDoorstepPage *self,
                                                         const char        *person_id,
                                                         const char        *service_code);
/* @key: "systolic", "diastolic", "glucose", "weight", "height", "pulse", "saturation",
 * "temperature". */
GtkWidget         *teren_doorstep_page_get_vital_entry  (TerenDoorstepPage *self,
                                                         const char        *person_id,
                                                         const char        *key);
/* The message shown under a vital sign, %NULL when none. */
const char        *teren_doorstep_page_get_vital_error  (TerenDoorstepPage *self,
                                                         const char        *person_id,
                                                         const char        *key);
GtkWidget         *teren_doorstep_page_get_date_entry   (TerenDoorstepPage *self);

/* Validates and writes the visit (what the Save button does). Returns FALSE with
 * TEREN_ERROR_INVALID when a value is invalid (nothing written). */
gboolean           teren_doorstep_page_save             (TerenDoorstepPage *self,
                                                         GError           **error);

G_END_DECLS
