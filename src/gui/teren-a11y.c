/* teren-a11y.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "teren-a11y.h"

/* A button with a mnemonic label is labelled by its GtkLabel child (the label's mnemonic
 * widget): its own accessible label would only repeat the text with the underscore. */
static void
fix_button_name (GtkWidget *widget)
{
  GtkButton *button;

  if (!GTK_IS_BUTTON (widget))
    return;
  button = GTK_BUTTON (widget);
  if (gtk_button_get_use_underline (button) && gtk_button_get_label (button) != NULL)
    gtk_accessible_reset_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

static void
on_label_notify_cb (GtkWidget  *widget,
                    GParamSpec *pspec,
                    gpointer    user_data)
{
  fix_button_name (widget);
}

/* Every widget under @widget, once: buttons are fixed now and again when their label
 * changes. Pages hidden in a stack are not realized, but are on the accessibility bus. */
static GQuark
visited_quark (void)
{
  static GQuark quark = 0;

  if (quark == 0)
    quark = g_quark_from_static_string ("teren-a11y-visited");
  return quark;
}

static void
fix_tree (GtkWidget *widget)
{
  GQuark visited = visited_quark ();
  GtkWidget *child;

  if (g_object_get_qdata (G_OBJECT (widget), visited) != NULL)
    return;
  g_object_set_qdata (G_OBJECT (widget), visited, GINT_TO_POINTER (TRUE));

  if (GTK_IS_BUTTON (widget))
    {
      fix_button_name (widget);
      g_signal_connect_after (widget, "notify::label", G_CALLBACK (on_label_notify_cb), NULL);
      g_signal_connect_after (widget, "notify::use-underline", G_CALLBACK (on_label_notify_cb), NULL);
    }
  for (child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    fix_tree (child);
}

static gboolean
realize_hook (GSignalInvocationHint *hint,
              guint                  n_param_values,
              const GValue          *param_values,
              gpointer               user_data)
{
  fix_tree (g_value_get_object (&param_values[0]));
  return TRUE;
}

void
teren_a11y_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      guint realize;

      /* The class must exist before its signal can be looked up. */
      g_type_class_unref (g_type_class_ref (GTK_TYPE_BUTTON));
      realize = g_signal_lookup ("realize", GTK_TYPE_WIDGET);
      g_signal_add_emission_hook (realize, 0, realize_hook, NULL, NULL);
      g_once_init_leave (&done, 1);
    }
}

void
teren_a11y_fix_tree (GtkWidget *widget)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  g_object_set_qdata (G_OBJECT (widget), visited_quark (), NULL);
  fix_tree (widget);
}
