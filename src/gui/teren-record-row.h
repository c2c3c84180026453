/* teren-record-row.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "teren-record.h"

G_BEGIN_DECLS

#define TEREN_TYPE_RECORD_ROW (teren_record_row_get_type ())

G_DECLARE_FINAL_TYPE (TerenRecordRow, teren_record_row, TEREN, RECORD_ROW, GtkWidget)

/* One line of the person/household list: kind icon, title and a detail (birth date for
 * a person, address for a household). Text is never markup. */
TerenRecordRow *teren_record_row_new        (void);
TerenRecord    *teren_record_row_get_record (TerenRecordRow *self);
void            teren_record_row_set_record (TerenRecordRow *self,
                                             TerenRecord    *record);
const char     *teren_record_row_get_title  (TerenRecordRow *self);
const char     *teren_record_row_get_detail (TerenRecordRow *self);

/* "bind" and "unbind" handlers of a GtkSignalListItemFactory whose items are TerenRecords
 * and whose item widgets are TerenRecordRows. */
void            teren_record_row_bind_item   (GtkSignalListItemFactory *factory,
                                              GtkListItem              *item,
                                              gpointer                  user_data);
void            teren_record_row_unbind_item (GtkSignalListItemFactory *factory,
                                              GtkListItem              *item,
                                              gpointer                  user_data);

/* Icon name for records of @kind. */
const char     *teren_record_row_icon_for_kind (const char  *kind);
/* The detail shown under a record's title (transfer full), or %NULL. */
char           *teren_record_row_detail_for    (TerenRecord *record);

G_END_DECLS
