/* teren-test-hooks.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "teren-test-hooks.h"
#include "teren-window.h"

/* win.back, repeated: the pages pushed over the main view are left one by one. */
#define MAX_BACK_STEPS 8

static TerenWindow *
main_window (GtkApplication *application)
{
  GList *windows = gtk_application_get_windows (application);

  for (; windows != NULL; windows = windows->next)
    if (TEREN_IS_WINDOW (windows->data))
      return windows->data;
  return NULL;
}

/* A shown window that is not the main one (a dialog, the shortcuts window), else the
 * main window. */
static GtkWindow *
front_window (GtkApplication *application)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWindow *front = NULL;
  guint i;

  for (i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (!gtk_widget_get_visible (GTK_WIDGET (window)) || TEREN_IS_WINDOW (window))
        continue;
      front = window;
    }
  return front != NULL ? front : GTK_WINDOW (main_window (application));
}

static void
close_others (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  g_autoptr(GPtrArray) close = g_ptr_array_new_with_free_func (g_object_unref);
  guint i;

  for (i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (gtk_widget_get_visible (GTK_WIDGET (window)) && !TEREN_IS_WINDOW (window))
        g_ptr_array_add (close, g_object_ref (window));
    }
  for (i = 0; i < close->len; i++)
    gtk_window_close (g_ptr_array_index (close, i));
}

static void
go_back_to_main (TerenWindow *window)
{
  guint i;

  for (i = 0; i < MAX_BACK_STEPS; i++)
    if (!gtk_widget_activate_action (GTK_WIDGET (window), "win.back", NULL))
      break;
}

static void
show_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  GtkApplication *application = user_data;
  TerenWindow *window = main_window (application);
  const char *what = g_variant_get_string (param, NULL);
  g_auto(GStrv) parts = g_strsplit (what, ":", 3);
  const char *arg = parts[0] != NULL ? parts[1] : NULL;

  g_debug ("test hook: show %s", parts[0] != NULL ? parts[0] : "");
  if (window == NULL || parts[0] == NULL)
    return;

  if (g_str_equal (parts[0], "registry"))
    {
      go_back_to_main (window);
      teren_window_select_line (window, NULL);
    }
  else if (g_str_equal (parts[0], "line") && arg != NULL)
    teren_window_select_line (window, arg);
  else if (g_str_equal (parts[0], "due") || g_str_equal (parts[0], "report") ||
           g_str_equal (parts[0], "conflicts") || g_str_equal (parts[0], "quarantine"))
    teren_window_show_special (window, parts[0]);
  else if (g_str_equal (parts[0], "case") && arg != NULL)
    teren_window_open_case (window, arg);
  else if (g_str_equal (parts[0], "record") && arg != NULL)
    teren_window_open_record (window, arg);
  else if (g_str_equal (parts[0], "form") && arg != NULL)
    teren_window_open_form (window, arg, parts[2], NULL);
  else if (g_str_equal (parts[0], "home-visit") && arg != NULL)
    teren_window_open_home_visit (window, arg);
  else if (g_str_equal (parts[0], "register") && arg != NULL)
    {
      TerenLinePage *page;

      teren_window_select_line (window, arg);
      page = teren_window_get_line_page (window);
      if (page != NULL)
        gtk_widget_activate_action (GTK_WIDGET (page), "line.register", NULL);
    }
  else if (g_str_equal (parts[0], "back"))
    gtk_widget_activate_action (GTK_WIDGET (window), "win.back", NULL);
  else if (g_str_equal (parts[0], "close"))
    close_others ();
  else if (g_str_equal (parts[0], "preferences"))
    g_action_group_activate_action (G_ACTION_GROUP (application), "preferences", NULL);
  else if (g_str_equal (parts[0], "login"))
    g_action_group_activate_action (G_ACTION_GROUP (application), "add-account", NULL);
  else if (g_str_equal (parts[0], "about"))
    g_action_group_activate_action (G_ACTION_GROUP (application), "about", NULL);
  else if (g_str_equal (parts[0], "shortcuts"))
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
  else
    g_warning ("test hook: unknown page");
}

/* The window in front, drawn by its own renderer into a texture, saved as PNG. */
static void
snapshot_action (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  GtkWindow *window = front_window (user_data);
  const char *path = g_variant_get_string (param, NULL);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot;
  GskRenderer *renderer;
  int width, height;

  if (window == NULL || !gtk_widget_get_realized (GTK_WIDGET (window)))
    return;
  width = gtk_widget_get_width (GTK_WIDGET (window));
  height = gtk_widget_get_height (GTK_WIDGET (window));
  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  if (width <= 0 || height <= 0 || renderer == NULL)
    return;

  paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    return;
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    g_warning ("test hook: could not write the snapshot");
}

void
teren_test_hooks_install (GtkApplication *application)
{
  static const GActionEntry entries[] = {
    { "test-show", show_action, "s", NULL, NULL, { 0 } },
    { "test-snapshot", snapshot_action, "s", NULL, NULL, { 0 } },
  };

  g_return_if_fail (GTK_IS_APPLICATION (application));

  if (g_strcmp0 (g_getenv ("TEREN_TEST_HOOKS"), "1") != 0)
    return;
  g_action_map_add_action_entries (G_ACTION_MAP (application), entries, G_N_ELEMENTS (entries),
                                   application);
}
