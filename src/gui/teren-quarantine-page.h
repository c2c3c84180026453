/* teren-quarantine-page.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "teren-inbox-page.h"
#include "teren-store.h"

G_BEGIN_DECLS

#define TEREN_TYPE_QUARANTINE_PAGE (teren_quarantine_page_get_type ())

G_DECLARE_FINAL_TYPE (TerenQuarantinePage, teren_quarantine_page, TEREN, QUARANTINE_PAGE, TerenInboxPage)

/* The quarantine (issue 4): every operation the server refused, with its reason; fix and
 * retry, or discard after a confirmation. Other records' changes are never blocked by
 * these. Store work runs on worker threads.
 *
 * Signals: "open-record" (const char *id), "add-toast" (AdwToast *), "retried" (): an
 * operation went back to the op-log (the window asks for a sync). */
TerenQuarantinePage *teren_quarantine_page_new         (TerenStore          *store);
void                 teren_quarantine_page_reload      (TerenQuarantinePage *self);
gboolean             teren_quarantine_page_get_loading (TerenQuarantinePage *self);
/* (transfer container) (element-type TerenQuarantineView) */
GPtrArray           *teren_quarantine_page_get_views   (TerenQuarantinePage *self);
guint                teren_quarantine_page_get_n_items (TerenQuarantinePage *self);
/* The confirmation shown by Discard, while it is open (for tests). (transfer none) */
AdwMessageDialog    *teren_quarantine_page_get_dialog  (TerenQuarantinePage *self);

G_END_DECLS
