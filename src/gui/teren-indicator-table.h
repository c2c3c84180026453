/* teren-indicator-table.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "teren-store-report.h"

G_BEGIN_DECLS

#define TEREN_TYPE_INDICATOR_TABLE (teren_indicator_table_get_type ())

G_DECLARE_FINAL_TYPE (TerenIndicatorTable, teren_indicator_table, TEREN, INDICATOR_TABLE, GtkWidget)

/* The community-health indicators of a monthly report (issue 6) as a table: one row per
 * G, P and C indicator, one column for the total, one per age category of the Ministry's
 * platform and one per sex — the segmented figures "G01:VCV_01", "G01:F" of
 * teren_store_report_month laid out the way the DSP report reads. Figures without segments
 * are not shown here (the report page lists them). */
GtkWidget  *teren_indicator_table_new        (void);
/* Shows the segmented figures of @report (not kept); %NULL empties the table. Returns
 * whether the report had any. */
gboolean    teren_indicator_table_set_report (TerenIndicatorTable *self,
                                              const TerenReport   *report);
guint       teren_indicator_table_get_n_rows (TerenIndicatorTable *self);
/* The text of the cell of indicator @code in column @segment ("total", "VCV_01", "F"…),
 * or %NULL. */
const char *teren_indicator_table_get_cell   (TerenIndicatorTable *self,
                                              const char          *code,
                                              const char          *segment);

G_END_DECLS
