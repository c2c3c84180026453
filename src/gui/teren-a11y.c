/* teren-a11y.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "teren-a11y.h"

/* A button with a mnemonic label is labelled by its GtkLabel child (the label's mnemonic
 * widget): its own accessible label would only repeat the text with the underscore. The
 * same for every check button with a label. */
static void
fix_button_name (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget))
    {
      GtkButton *button = GTK_BUTTON (widget);

      if (gtk_button_get_use_underline (button) && gtk_button_get_label (button) != NULL)
        gtk_accessible_reset_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL);
    }
  /* A check button is always labelled by its label child ("Visual Visual" otherwise). */
  else if (GTK_IS_CHECK_BUTTON (widget) && gtk_check_button_get_label (GTK_CHECK_BUTTON (widget)) != NULL)
    gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL);
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

  if (GTK_IS_BUTTON (widget) || GTK_IS_CHECK_BUTTON (widget))
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

static void
on_child_parent_cb (GtkWidget  *child,
                    GParamSpec *pspec,
                    gpointer    user_data)
{
  GtkWidget *parent = gtk_widget_get_parent (child);

  if (parent != NULL)
    gtk_accessible_update_relation (GTK_ACCESSIBLE (parent),
                                    GTK_ACCESSIBLE_RELATION_LABELLED_BY, child, NULL,
                                    -1);
}

void
teren_a11y_label_parent_by (GtkWidget *child)
{
  g_return_if_fail (GTK_IS_WIDGET (child));

  g_signal_connect (child, "notify::parent", G_CALLBACK (on_child_parent_cb), NULL);
}

static void
string_item_setup_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  /* Popup items of a combo row: the item widget is named by the label. */
  teren_a11y_label_parent_by (label);
  gtk_list_item_set_child (item, label);
}

static void
string_item_bind_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     gpointer                  user_data)
{
  GtkStringObject *string = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  const char *text = GTK_IS_STRING_OBJECT (string) ? gtk_string_object_get_string (string) : "";

  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

GtkListItemFactory *
teren_a11y_string_factory_new (void)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (string_item_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (string_item_bind_cb), NULL);
  return factory;
}
