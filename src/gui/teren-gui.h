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

/* One asynchronous read at a time. Two reads on the worker pool can end in either order,
 * and the older would then put back what is no longer true (a resolved conflict still
 * counted). A change seen during a read asks for exactly one more read after it, however
 * many changes came; the running read's result is dropped then. After a cancelled read
 * no read starts (the pending one is dropped, and begin() returns %FALSE from then on):
 * its owner cancels only when it goes away. Kept inside the widget that owns @data, which
 * also owns the cancellable of the reads. */
typedef struct
{
  GSourceOnceFunc func;
  gpointer        data;
  guint           running : 1;
  guint           again : 1;
} TerenGuiSerialRead;

/* @func asks for the one more read: it calls teren_gui_serial_read_begin() again, after
 * whatever the owner does when a read ends. */
void      teren_gui_serial_read_init    (TerenGuiSerialRead  *read,
                                         GSourceOnceFunc      func,
                                         gpointer             data);
/* Before starting a read: %TRUE when the caller starts it now, %FALSE when one is running
 * (one more read follows it then). */
gboolean  teren_gui_serial_read_begin   (TerenGuiSerialRead  *read);
/* First in the read's callback, with the error of its _finish(): %TRUE when the result is
 * to be shown. %FALSE when it is to be dropped: the read was cancelled, or a change came
 * during it and @func has been called. */
gboolean  teren_gui_serial_read_end     (TerenGuiSerialRead  *read,
                                         const GError        *error);

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
