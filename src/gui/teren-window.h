/* teren-window.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "teren-case-page.h"
#include "teren-conflicts-page.h"
#include "teren-doorstep-page.h"
#include "teren-due-page.h"
#include "teren-form.h"
#include "teren-line-page.h"
#include "teren-lock-screen.h"
#include "teren-quarantine-page.h"
#include "teren-record-page.h"
#include "teren-report-page.h"
#include "teren-store.h"
#include "teren-sync-engine.h"
#include "teren-sync-indicator.h"

G_BEGIN_DECLS

#define TEREN_TYPE_WINDOW (teren_window_get_type ())

G_DECLARE_FINAL_TYPE (TerenWindow, teren_window, TEREN, WINDOW, AdwApplicationWindow)

/* The main window: a sidebar with the Registry and the service lines, the searchable
 * person/household list, and record pages and forms pushed over it. The store may be set
 * later (it is opened asynchronously); drafts left over from a crash are reopened then. */
TerenWindow     *teren_window_new              (AdwApplication *application,
                                                TerenStore     *store);
TerenStore      *teren_window_get_store        (TerenWindow    *self);
void             teren_window_set_store        (TerenWindow    *self,
                                                TerenStore     *store);
/* Shows why the data could not be opened (store open failed). */
void             teren_window_show_error       (TerenWindow    *self,
                                                const GError   *error);

GtkSearchEntry  *teren_window_get_search_entry (TerenWindow    *self);
GtkListView     *teren_window_get_list_view    (TerenWindow    *self);
/* The lazy list of persons and households (a TerenRecordList), or %NULL before the
 * store is set. (transfer none) */
GListModel      *teren_window_get_list_model   (TerenWindow    *self);
/* "list", "empty", "no-results", "loading", "line" or "error". */
const char      *teren_window_get_content_page (TerenWindow    *self);

/* @line: (nullable): a service line id, %NULL for the Registry. */
void             teren_window_select_line      (TerenWindow    *self,
                                                const char     *line);

TerenForm       *teren_window_open_form        (TerenWindow    *self,
                                                const char     *kind,
                                                const char     *line,
                                                TerenRecord    *record);
TerenRecordPage *teren_window_open_record      (TerenWindow    *self,
                                                const char     *id);
/* The form or record page in front, or %NULL. */
TerenForm       *teren_window_get_form         (TerenWindow    *self);
TerenRecordPage *teren_window_get_record_page  (TerenWindow    *self);

void             teren_window_add_toast        (TerenWindow    *self,
                                                AdwToast       *toast);
/* The text of the pending-changes line in the sidebar footer. */
const char      *teren_window_get_pending_text (TerenWindow    *self);

/* The account's sync engine (nullable: tests and a store without an account). The sidebar
 * footer shows its state; win.sync-now (Ctrl+R), win.login and win.logout act on it. The
 * store comes from the engine once it has one. */
void                 teren_window_set_engine          (TerenWindow     *self,
                                                       TerenSyncEngine *engine);
TerenSyncEngine     *teren_window_get_engine          (TerenWindow     *self);
/* No account open yet: the content says "Log in to start". */
void                 teren_window_set_await_login     (TerenWindow     *self,
                                                       gboolean         await_login);
TerenSyncIndicator  *teren_window_get_sync_indicator  (TerenWindow     *self);
/* The conflict inbox and the quarantine, once the store is set. (transfer none) */
TerenConflictsPage  *teren_window_get_conflicts_page  (TerenWindow     *self);
TerenQuarantinePage *teren_window_get_quarantine_page (TerenWindow     *self);
/* @page: "conflicts" or "quarantine": selects it in the sidebar. */
void                 teren_window_show_special        (TerenWindow     *self,
                                                       const char      *page);
/* The counts shown in the sidebar. */
guint                teren_window_get_n_conflicts     (TerenWindow     *self);
guint                teren_window_get_n_quarantined   (TerenWindow     *self);
/* The primary menu's accounts section, filled by the application. (transfer none) */
GMenu               *teren_window_get_accounts_menu   (TerenWindow     *self);
/* What the last logout said (kept work), or %NULL. */
const char          *teren_window_get_logout_text     (TerenWindow     *self);

/* Service lines (issue 5): the case page pushed over the main view, and the pages of the
 * line, Due and Monthly Report sidebar rows (NULL before the store is set). */
TerenCasePage       *teren_window_open_case           (TerenWindow     *self,
                                                       const char      *case_id);
TerenCasePage       *teren_window_get_case_page       (TerenWindow     *self);
TerenLinePage       *teren_window_get_line_page       (TerenWindow     *self);
TerenDuePage        *teren_window_get_due_page        (TerenWindow     *self);
TerenReportPage     *teren_window_get_report_page     (TerenWindow     *self);
/* Community health (issue 6): the home visit screen of a household, pushed over the
 * main view (also from a household's record page, "Home Visit…"). */
TerenDoorstepPage   *teren_window_open_home_visit     (TerenWindow     *self,
                                                       const char      *household_id);
/* The overdue count of the Due badge. */
guint                teren_window_get_n_overdue       (TerenWindow     *self);
/* The automatic lock that covers the content (win.lock, Ctrl+L). (transfer none) */
TerenLockScreen     *teren_window_get_lock_screen     (TerenWindow     *self);

G_END_DECLS
