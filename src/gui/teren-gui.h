/* teren-gui.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "teren-schema.h"
#include "teren-store.h"

G_BEGIN_DECLS

/* Registers the resources and every custom type named in .ui files. Call once before
 * building any window (main() and the tests do). */
void      teren_gui_init                (void);

/* The store has no _async variants of its short queries (get_record, find_by_field,
 * find_duplicates, drafts, count_pending). They are documented as callable from any
 * thread, so the GUI runs them in a GTask thread to keep the main loop free. @func
 * returns a result (transfer full, freed with @result_free if nobody takes it) or NULL
 * with @error set. A NULL result without error is a valid "nothing". */
typedef gpointer (*TerenStoreFunc) (TerenStore  *store,
                                    gpointer     data,
                                    GError     **error);

void      teren_gui_store_call_async    (TerenStore          *store,
                                         TerenStoreFunc       func,
                                         gpointer             data,
                                         GDestroyNotify       data_free,
                                         GDestroyNotify       result_free,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
/* (transfer full) */
gpointer  teren_gui_store_call_finish   (GAsyncResult        *result,
                                         GError             **error);

/* A translated sentence for a store error, for toasts. */
char     *teren_gui_error_message       (const GError        *error);

/* "zz.ll.aaaa" for an ISO date (transfer full), %NULL when @iso is not a date. */
char     *teren_gui_format_date         (const char          *iso);

/* A field's value as shown to the user: dates zz.ll.aaaa, choices by their label,
 * yes/no. %NULL for an empty value and for references. (transfer full) */
char     *teren_gui_format_value        (const TerenFieldDef *field,
                                         JsonNode            *node);

/* "zz.ll.aaaa HH:MM" in local time for an ISO 8601 timestamp. (transfer full) */
char     *teren_gui_format_time         (const char          *iso);

/* "setup" handler of a GtkSignalListItemFactory: a box with a title label and a dimmed
 * caption label under it (first and second child), both ellipsized. */
void      teren_gui_setup_two_line_row  (GtkSignalListItemFactory *factory,
                                         GtkListItem              *item,
                                         gpointer                  user_data);

/* A call that runs once @delay_ms after the first of a burst of requests: a page reloads
 * once for many store changes. Kept inside the widget that owns @data; that widget
 * cancels it in dispose, and before it runs the call at once. */
typedef struct
{
  guint           source;
  guint           delay_ms;
  GSourceOnceFunc func;
  gpointer        data;
} TerenGuiDebounce;

void      teren_gui_debounce_init       (TerenGuiDebounce    *debounce,
                                         guint                delay_ms,
                                         GSourceOnceFunc      func,
                                         gpointer             data);
/* Arms the timer unless it is armed already. */
void      teren_gui_debounce_schedule   (TerenGuiDebounce    *debounce);
void      teren_gui_debounce_cancel     (TerenGuiDebounce    *debounce);

/* Shows @text in @label, which is hidden when @text is %NULL; red when @is_error. */
void      teren_gui_show_message        (GtkLabel            *label,
                                         const char          *text,
                                         gboolean             is_error);

/* Removes from @page the groups listed in @groups, and empties @groups. */
void      teren_gui_page_remove_groups  (AdwPreferencesPage  *page,
                                         GPtrArray           *groups);

/* Shows a toast with @text, which is escaped (libadwaita 1.2 toast titles are markup). */
AdwToast *teren_gui_toast_new           (const char          *text);

G_END_DECLS
