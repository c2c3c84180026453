/* teren-triage-page.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "teren-store.h"

G_BEGIN_DECLS

#define TEREN_TYPE_TRIAGE_PAGE (teren_triage_page_get_type ())

G_DECLARE_FINAL_TYPE (TerenTriagePage, teren_triage_page, TEREN, TRIAGE_PAGE, GtkWidget)

/* The epidemiological triage of a whole class on one screen (issue 6, school medical
 * cabinets, Ordin 2.508/4.493/2023): a school unit and a class are chosen, the class's
 * pupils (school_health.pupil_record naming the class) are listed, and for each the
 * findings (triage_finding; none ticked = "Nothing found"), the exclusion from the
 * collectivity and the readmission (date, medical certificate) are marked by the keyboard:
 * Tab between the controls, Enter opens the findings, Space ticks. "Save" (action
 * "triage.save", Ctrl+S) checks every row with the schema's rules first (a message under
 * the row, nothing saved when one fails), then writes one school_health.triage per pupil
 * in one transaction on a worker thread, updating the pupil's triage of that day when it
 * exists. Reading is done on worker threads too. Signal "saved" () after a save. */
TerenTriagePage *teren_triage_page_new            (TerenStore      *store);

/* "YYYY-MM-DD" (or "zz.ll.aaaa"): the day of the triage; reads the class again. */
void             teren_triage_page_set_date       (TerenTriagePage *self,
                                                   const char      *date);
const char      *teren_triage_page_get_date       (TerenTriagePage *self);
gboolean         teren_triage_page_get_busy       (TerenTriagePage *self);
/* The last message of the page (an error reading or saving, or "Triage saved."). */
const char      *teren_triage_page_get_message    (TerenTriagePage *self);

/* For tests (transfer none): the choosers, then row @index's pupil (person id), name,
 * controls and message. */
GtkDropDown     *teren_triage_page_get_school_dropdown (TerenTriagePage *self);
GtkDropDown     *teren_triage_page_get_class_dropdown  (TerenTriagePage *self);
GtkEntry        *teren_triage_page_get_date_entry      (TerenTriagePage *self);
guint            teren_triage_page_get_n_rows     (TerenTriagePage *self);
const char      *teren_triage_page_get_row_person (TerenTriagePage *self,
                                                   guint            index);
const char      *teren_triage_page_get_row_title  (TerenTriagePage *self,
                                                   guint            index);
GtkWidget       *teren_triage_page_get_findings_button (TerenTriagePage *self,
                                                   guint            index);
/* The check button of finding @code in the row's findings. */
GtkWidget       *teren_triage_page_get_finding_check (TerenTriagePage *self,
                                                   guint            index,
                                                   const char      *code);
GtkWidget       *teren_triage_page_get_excluded_check (TerenTriagePage *self,
                                                   guint            index);
GtkWidget       *teren_triage_page_get_readmitted_entry (TerenTriagePage *self,
                                                   guint            index);
GtkWidget       *teren_triage_page_get_certificate_check (TerenTriagePage *self,
                                                   guint            index);
/* The message under row @index, or NULL. */
const char      *teren_triage_page_get_row_message (TerenTriagePage *self,
                                                   guint            index);

G_END_DECLS
