/* teren-a11y.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Corrects accessible names that GTK 4.8 doubles (issue 7, "Accessibility and keyboard").
 * A button whose label has a mnemonic ("_Save") gets its raw label as its accessible
 * label AND is labelled by its label child, and GTK 4.8 joins both: screen readers hear
 * "_Save Save". This drops the raw label from every such button (also when its label
 * changes later), so the name is the label's text alone ("Save"). Called once by
 * teren_gui_init(); safe to call again. */
void                teren_a11y_init               (void);
/* The same for the widgets under @widget added since it was realized: pages added to a
 * stack that is already shown are only realized when they are shown, but are on the
 * accessibility bus at once. */
void                teren_a11y_fix_tree           (GtkWidget *widget);

/* Names the widget that will hold @child (a list view's item widget, which takes the
 * focus) by @child, once GTK has parented it: GTK 4.8 parents an item's child only after
 * the factory's setup, sometimes only after the first bind. */
void                teren_a11y_label_parent_by    (GtkWidget *child);

/* Items of a GtkStringList in a list (AdwComboRow's factory): each item named by
 * its text (libadwaita 1.2's default items have no accessible name). (transfer full) */
GtkListItemFactory *teren_a11y_string_factory_new (void);

G_END_DECLS
