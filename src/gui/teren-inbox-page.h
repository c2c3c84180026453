/* teren-inbox-page.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "teren-gui.h"
#include "teren-store.h"

G_BEGIN_DECLS

#define TEREN_TYPE_INBOX_PAGE (teren_inbox_page_get_type ())

G_DECLARE_DERIVABLE_TYPE (TerenInboxPage, teren_inbox_page, TEREN, INBOX_PAGE, GtkWidget)

/* What the sync left for the user to settle (TerenConflictsPage, TerenQuarantinePage):
 * one view (an AdwPreferencesGroup with an "open-record" signal) an item, or a status
 * page when there is none. The items are read on the store's worker, and read again
 * once for a burst of changes to the store's records or op-log.
 *
 * Signals: "open-record" (const char *id) from any view, "add-toast" (AdwToast *).
 * Property: "loading". */
struct _TerenInboxPageClass
{
  GtkWidgetClass parent_class;

  /* On the store's worker: the items, or NULL with @error set. */
  TerenStoreFunc  load;
  /* Frees what @load returned when it is not shown. */
  GDestroyNotify  list_free;
  /* Shows what @load returned (which it owns), teren_inbox_page_add_view() for each item. */
  void          (*show)       (TerenInboxPage *self,
                               gpointer        list);
};

/* Called once, by the subclass's constructor: starts the first reading. */
void          teren_inbox_page_set_store       (TerenInboxPage      *self,
                                                TerenStore          *store);
TerenStore   *teren_inbox_page_get_store       (TerenInboxPage      *self);
/* Cancelled when the page goes away. */
GCancellable *teren_inbox_page_get_cancellable (TerenInboxPage      *self);
/* The status page shown when there is no item. */
void          teren_inbox_page_set_empty       (TerenInboxPage      *self,
                                                const char          *title,
                                                const char          *description);
void          teren_inbox_page_add_view        (TerenInboxPage      *self,
                                                AdwPreferencesGroup *view);
/* Emits "add-toast" with @text (escaped). */
void          teren_inbox_page_toast           (TerenInboxPage      *self,
                                                const char          *text);
void          teren_inbox_page_reload          (TerenInboxPage      *self);
gboolean      teren_inbox_page_get_loading     (TerenInboxPage      *self);
/* The views shown, in the order of the items. (transfer container) */
GPtrArray    *teren_inbox_page_get_views       (TerenInboxPage      *self);
guint         teren_inbox_page_get_n_items     (TerenInboxPage      *self);

G_END_DECLS
