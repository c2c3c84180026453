/* test-gui-a11y.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 7, "Accessibility and keyboard": the Tab key visits a form's fields in the order
 * of its layout (the order of the fields in the form's .ui file), and the window renders
 * with the high-contrast style and with large text, its text rows growing with the text.
 * The program runs with libadwaita's high contrast on (ADW_DEBUG_HIGH_CONTRAST=1, set
 * before libadwaita starts).
 */

#include "config.h"

#include <string.h>

#include "teren-field-row.h"
#include "teren-form.h"
#include "teren-gui-test-util.h"
#include "teren-record-row.h"
#include "teren-schema.h"
#include "teren-window.h"

/* Tab presses before a form's focus chain must have come back to its start. */
#define MAX_TABS 400
/* Xft DPI is in 1/1024 of a dot per inch; 96 is GTK's default. */
#define DPI_NORMAL (96 * 1024)
#define DPI_LARGE (192 * 1024)

/* The field keys of the form's .ui, in document order (the layout). */
static GPtrArray *
layout_keys (const char *kind)
{
  const TerenKindDef *def = teren_schema_lookup_kind (kind);
  const char *name = kind;
  const char *folder = "registry";
  const char *dot = strrchr (kind, '.');
  g_autofree char *path = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);

  g_assert_nonnull (def);
  if (!def->registry && !def->any_line && def->line != NULL)
    folder = def->line;
  if (dot != NULL)
    name = dot + 1;
  path = g_strdup_printf ("/ro/daps/Teren/forms/%s/%s.ui", folder, name);
  bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_assert_nonnull (bytes);

  regex = g_regex_new ("<property name=\"key\">([a-z0-9_]+)</property>", 0, 0, NULL);
  g_regex_match (regex, g_bytes_get_data (bytes, NULL), 0, &match);
  while (g_match_info_matches (match))
    {
      g_ptr_array_add (keys, g_match_info_fetch (match, 1));
      g_match_info_next (match, NULL);
    }
  g_assert_cmpuint (keys->len, >, 0);
  return keys;
}

static gboolean
key_index (GPtrArray  *keys,
           const char *key,
           guint      *index)
{
  return g_ptr_array_find_with_equal_func (keys, key, g_str_equal, index);
}

/* Like the Tab key: the next widget, wrapping at the end. */
static void
press_tab (GtkWindow *window)
{
  if (!gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD))
    {
      gtk_window_set_focus (window, NULL);
      gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD);
    }
}

static const char *
focused_key (GtkWindow *window)
{
  GtkWidget *focus = gtk_window_get_focus (window);
  GtkWidget *row = focus != NULL ? gtk_widget_get_ancestor (focus, TEREN_TYPE_FIELD_ROW) : NULL;

  return row != NULL ? teren_field_row_get_key (TEREN_FIELD_ROW (row)) : NULL;
}

static void
test_tab_order (gconstpointer data)
{
  const char *kind = data;
  g_autoptr(TerenStore) store = teren_gui_test_store_new ();
  g_autoptr(GPtrArray) keys = layout_keys (kind);
  g_autoptr(GPtrArray) visited = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  const char *line = strchr (kind, '.') != NULL ? "" : NULL;
  g_autofree char *line_id = NULL;
  GtkWidget *window = gtk_window_new ();
  TerenForm *form;
  GtkWidget *first;
  guint i, last_index = 0;
  int tabs;

  if (line != NULL)
    line = line_id = g_strndup (kind, strchr (kind, '.') - kind);
  form = teren_form_new (store, kind, line != NULL ? line : "", NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (form));
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (window);

  teren_form_focus_first_field (form);
  first = gtk_window_get_focus (GTK_WINDOW (window));
  g_assert_nonnull (first);
  g_assert_nonnull (focused_key (GTK_WINDOW (window)));

  /* Once round the whole chain. */
  for (tabs = 0; tabs < MAX_TABS; tabs++)
    {
      const char *key = focused_key (GTK_WINDOW (window));

      if (key != NULL && (visited->len == 0 || g_strcmp0 (g_ptr_array_index (visited, visited->len - 1), key) != 0))
        g_ptr_array_add (visited, (gpointer)g_intern_string (key));
      press_tab (GTK_WINDOW (window));
      if (gtk_window_get_focus (GTK_WINDOW (window)) == first)
        break;
    }
  g_assert_cmpint (tabs, <, MAX_TABS);

  /* Forward only: each field of the layout is left for good when Tab moves on, and the
   * fields come in the order of the .ui file (fields it does not place, such as
   * attachments, come after it). */
  for (i = 0; i < visited->len; i++)
    {
      const char *key = g_ptr_array_index (visited, i);
      guint index;

      if (g_hash_table_contains (seen, key))
        g_error ("%s: Tab comes back to field %s (order: %s …)", kind, key,
                 (const char *)g_ptr_array_index (visited, 0));
      g_hash_table_add (seen, (gpointer)key);
      if (!key_index (keys, key, &index))
        {
          last_index = keys->len;
          continue;
        }
      if (index < last_index)
        g_error ("%s: Tab reaches field %s after %s, the layout has it before", kind, key,
                 (const char *)g_ptr_array_index (visited, i - 1));
      last_index = index;
    }

  /* Every field the user can edit is on the way. */
  for (i = 0; i < keys->len; i++)
    {
      TerenFieldRow *row = teren_form_get_field (form, g_ptr_array_index (keys, i));

      if (row == NULL || !gtk_widget_is_visible (GTK_WIDGET (row)) ||
          !gtk_widget_is_sensitive (GTK_WIDGET (row)))
        continue;
      if (!g_hash_table_contains (seen, g_ptr_array_index (keys, i)))
        g_error ("%s: Tab never reaches field %s", kind, (const char *)g_ptr_array_index (keys, i));
    }
  g_assert_cmpuint (visited->len, >, 1);
  g_test_message ("%s: Tab visits %u fields in layout order (%u in the layout)", kind,
                  visited->len, keys->len);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The widget as it is drawn now, or NULL while it has nothing drawn (between frames
 * after a page change). */
static GskRenderNode *
snapshot_node (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), gtk_widget_get_width (widget),
                          gtk_widget_get_height (widget));
  return gtk_snapshot_free_to_node (snapshot);
}

static gboolean
has_snapshot (gpointer data)
{
  g_autoptr(GskRenderNode) node = snapshot_node (data);

  return node != NULL;
}

/* A window drawn into a texture: not empty, not one colour. */
static void
assert_renders (GtkWidget *widget)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guchar *pixels = NULL;
  g_autoptr(GHashTable) colours = g_hash_table_new (g_direct_hash, g_direct_equal);
  int x, y;

  g_assert_cmpint (width, >, 100);
  g_assert_cmpint (height, >, 100);
  gtk_test_widget_wait_for_draw (widget);
  teren_gui_test_wait_until (has_snapshot, widget, "the window to be drawn");
  node = snapshot_node (widget);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_nonnull (texture);
  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  pixels = g_malloc ((gsize)width * height * 4);
  gdk_texture_download (texture, pixels, (gsize)width * 4);
  for (y = 0; y < height; y += 3)
    for (x = 0; x < width; x += 3)
      {
        guint32 pixel;

        memcpy (&pixel, pixels + ((gsize)y * width + x) * 4, 4);
        g_hash_table_add (colours, GUINT_TO_POINTER (pixel));
      }
  /* Text, icons and rows make many colours; a blank window has one or two. */
  g_assert_cmpuint (g_hash_table_size (colours), >, 16);
}

static int
natural_height (GtkWidget *widget)
{
  int natural = 0;

  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, 400, NULL, &natural, NULL, NULL);
  return natural;
}

static void
set_dpi (int dpi)
{
  g_object_set (gtk_settings_get_default (), "gtk-xft-dpi", dpi, NULL);
}

static void
test_high_contrast_large_text (void)
{
  g_autoptr(TerenStore) store = teren_gui_test_store_new ();
  g_autoptr(TerenRecord) person = teren_record_new ("person", "", "test");
  TerenRecordRow *row = teren_record_row_new ();
  TerenWindow *window;
  TerenForm *form;
  GtkWidget *form_window;
  GtkWidget *box;
  TerenFieldRow *field;
  int row_normal, row_large, field_normal, field_large;

  /* libadwaita took the high-contrast style from the environment (see main). */
  g_assert_true (adw_style_manager_get_high_contrast (adw_style_manager_get_default ()));

  /* Text rows have no fixed height: they grow with the text. */
  set_dpi (DPI_NORMAL);
  teren_record_set_string (person, "last_name", "Popescu");
  teren_record_set_string (person, "first_name", "Ana");
  teren_record_set_string (person, "birth_date", "1985-03-12");
  teren_record_row_set_record (row, person);
  form = teren_form_new (store, "person", "", NULL);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (row));
  gtk_widget_set_vexpand (GTK_WIDGET (form), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (form));
  form_window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (form_window), 800, 600);
  gtk_window_set_child (GTK_WINDOW (form_window), box);
  gtk_window_present (GTK_WINDOW (form_window));
  gtk_test_widget_wait_for_draw (form_window);
  field = teren_form_get_field (form, "last_name");
  g_assert_nonnull (field);
  row_normal = natural_height (GTK_WIDGET (row));
  field_normal = natural_height (GTK_WIDGET (field));

  set_dpi (DPI_LARGE);
  gtk_test_widget_wait_for_draw (form_window);
  teren_gui_test_spin (100);
  row_large = natural_height (GTK_WIDGET (row));
  field_large = natural_height (GTK_WIDGET (field));
  g_test_message ("record row %d → %d px, field row %d → %d px", row_normal, row_large,
                  field_normal, field_large);
  g_assert_cmpint (row_large, >, row_normal + row_normal / 4);
  /* A field row keeps libadwaita's minimum row height: it grows by what its text needs
   * beyond it. */
  g_assert_cmpint (field_large, >, field_normal);
  gtk_window_destroy (GTK_WINDOW (form_window));

  /* The window, with high contrast and large text, draws (criticals and warnings are
   * fatal in tests). */
  window = teren_window_new (NULL, store);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  teren_gui_test_spin (200);
  assert_renders (GTK_WIDGET (window));
  teren_window_open_form (window, "person", NULL, NULL);
  teren_gui_test_spin (200);
  assert_renders (GTK_WIDGET (window));
  gtk_window_destroy (GTK_WINDOW (window));
  set_dpi (DPI_NORMAL);
}

int
main (int   argc,
      char *argv[])
{
  static const char * const kinds[] = {
    "person", "household", "case",
    "creche.enrolment", "child.case_profile", "elderly.registry_entry", "canteen.beneficiary",
    "homeless.profile", "school_health.pupil_record", "community_health.beneficiary",
    "disability.certificate", "adult.risk_assessment",
  };
  guint i;

  /* Before libadwaita reads its settings. */
  g_setenv ("ADW_DEBUG_HIGH_CONTRAST", "1", TRUE);
  teren_gui_test_init (&argc, &argv);

  for (i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autofree char *path = g_strdup_printf ("/teren/gui/a11y/tab-order/%s", kinds[i]);

      g_test_add_data_func (path, kinds[i], test_tab_order);
    }
  g_test_add_func ("/teren/gui/a11y/high-contrast-large-text", test_high_contrast_large_text);
  return g_test_run ();
}
