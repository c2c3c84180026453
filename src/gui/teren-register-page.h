/* teren-register-page.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "teren-store.h"

G_BEGIN_DECLS

#define TEREN_TYPE_REGISTER_PAGE (teren_register_page_get_type ())

G_DECLARE_FINAL_TYPE (TerenRegisterPage, teren_register_page, TEREN, REGISTER_PAGE, GtkWidget)

/* The daily register of one day (issue 5): for the "creche" line the attendance of every
 * enrolled child (present / absent / absent, excused: creche.attendance), for the
 * "canteen" line the meals served to every beneficiary in force (served / not served:
 * canteen.meal). Read with teren_store_day_register on a worker thread; "Save" (action
 * "register.save", Ctrl+S) writes the day's records in one transaction on a worker
 * thread, updating that day's record of a row when it exists.
 *
 * Marks: "present", "absent", "excused" (crèche), "served", "not_served" (canteen), or
 * NULL when none is chosen. Signal "saved" () after a successful save. */
TerenRegisterPage *teren_register_page_new        (TerenStore        *store,
                                                   const char        *line);
const char        *teren_register_page_get_line   (TerenRegisterPage *self);
/* @date: "YYYY-MM-DD"; reads the register of that day. */
void               teren_register_page_set_date   (TerenRegisterPage *self,
                                                   const char        *date);
const char        *teren_register_page_get_date   (TerenRegisterPage *self);
gboolean           teren_register_page_get_busy   (TerenRegisterPage *self);
guint              teren_register_page_get_n_rows (TerenRegisterPage *self);
/* The enrolment or beneficiary id of row @index. */
const char        *teren_register_page_get_row_id (TerenRegisterPage *self,
                                                   guint              index);
const char        *teren_register_page_get_row_title (TerenRegisterPage *self,
                                                   guint              index);
const char        *teren_register_page_get_mark   (TerenRegisterPage *self,
                                                   const char        *row_id);
/* Chooses @mark in the row's buttons (as a click would). */
void               teren_register_page_set_mark   (TerenRegisterPage *self,
                                                   const char        *row_id,
                                                   const char        *mark);
/* The button that chooses @mark in the row of @row_id (for keyboard tests). (transfer none) */
GtkWidget         *teren_register_page_get_mark_button (TerenRegisterPage *self,
                                                   const char        *row_id,
                                                   const char        *mark);
/* The last error shown, or NULL. */
const char        *teren_register_page_get_error  (TerenRegisterPage *self);

G_END_DECLS
