/* teren-case-page.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "teren-store.h"

G_BEGIN_DECLS

#define TEREN_TYPE_CASE_PAGE (teren_case_page_get_type ())

G_DECLARE_FINAL_TYPE (TerenCasePage, teren_case_page, TEREN, CASE_PAGE, GtkWidget)

/* The page of one case: its life-cycle (DOMAIN.md §0.2) as a timeline, signal or request
 * → registration → the line's file → assessment → plan → decision → contract →
 * services and visits → monitoring and review → closure or transfer, each step a row
 * saying done (with its date) or pending; activating a row opens the step's form (the
 * latest record, or a new one), its Add button a new one. Below, the row records of the
 * case's records (plan objectives, family members of a social inquiry…) with Add.
 * Everything is read on a worker thread and reloaded when the store changes.
 *
 * Signals: "edit-record" (TerenRecord *), "new-record" (const char *kind,
 * const char *line, const char *key1, const char *value1, const char *key2,
 * const char *value2): open a form for a new record of kind with up to two fields
 * prefilled (keys may be %NULL); "new-record-values" (const char *kind,
 * const char *line, JsonObject *values): a new record with these values (a new version of
 * the person's catagrafie, with the previous answers). */
TerenCasePage *teren_case_page_new           (TerenStore    *store,
                                              const char    *case_id);
const char    *teren_case_page_get_case_id   (TerenCasePage *self);
gboolean       teren_case_page_get_loading   (TerenCasePage *self);
/* The case record once loaded, else %NULL. */
TerenRecord   *teren_case_page_get_record    (TerenCasePage *self);
/* Steps of the timeline: "signal", "registration", "file", "assessment", "plan",
 * "decision", "contract", "services", "review", "closure". */
guint          teren_case_page_get_n_steps   (TerenCasePage *self);
const char    *teren_case_page_get_step_id   (TerenCasePage *self,
                                              guint          index);
gboolean       teren_case_page_get_step_done (TerenCasePage *self,
                                              const char    *step_id);
/* Opens the step's form, as activating its row does. */
void           teren_case_page_activate_step (TerenCasePage *self,
                                              const char    *step_id);
/* Starts a new record of the step, as its Add button does. */
void           teren_case_page_add_step      (TerenCasePage *self,
                                              const char    *step_id);
/* Ids of the row records of @row_kind shown under the parent record @parent_id, or
 * %NULL when that sub-list is not shown (e.g. the disabilities of a catagrafie that says
 * there are none). (transfer none) */
GPtrArray     *teren_case_page_get_row_ids   (TerenCasePage *self,
                                              const char    *parent_id,
                                              const char    *row_kind);

G_END_DECLS
