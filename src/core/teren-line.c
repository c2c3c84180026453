/* teren-line.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "teren-error.h"
#include "teren-line.h"

/* Icons exist in adwaita-icon-theme 43 (Debian 12). */
static const TerenLine lines[] = {
  { "creche",           N_("Crèches"),                             "face-smile-big-symbolic" },
  { "child",            N_("Child protection"),                    "emblem-favorite-symbolic" },
  { "elderly",          N_("Elderly"),                             "face-glasses-symbolic" },
  { "canteen",          N_("Social canteen"),                      "emoji-food-symbolic" },
  { "homeless",         N_("Homeless persons"),                    "user-home-symbolic" },
  { "school_health",    N_("School medical cabinets"),             "accessories-dictionary-symbolic" },
  { "community_health", N_("Community medical assistance"),        "system-users-symbolic" },
  { "disability",       N_("Disability and personal assistants"),  "preferences-desktop-accessibility-symbolic" },
  { "adult",            N_("Adults at risk"),                      "avatar-default-symbolic" },
};

const TerenLine *
teren_line_lookup (const char *id)
{
  guint i;

  if (id == NULL)
    return NULL;

  for (i = 0; i < G_N_ELEMENTS (lines); i++)
    if (strcmp (lines[i].id, id) == 0)
      return &lines[i];

  return NULL;
}

const TerenLine *
teren_line_list (guint *n_lines)
{
  if (n_lines != NULL)
    *n_lines = G_N_ELEMENTS (lines);

  return lines;
}

gboolean
teren_line_is_valid (const char *id)
{
  return teren_line_lookup (id) != NULL;
}

gboolean
teren_line_parse_list (const char   *text,
                       char       ***out_lines,
                       GError      **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) items = NULL;
  guint i;

  g_return_val_if_fail (out_lines != NULL, FALSE);

  items = g_strsplit (text != NULL ? text : "", ",", -1);
  for (i = 0; items[i] != NULL; i++)
    {
      char *item = g_strstrip (items[i]);
      gboolean seen = FALSE;
      guint j;

      if (item[0] == '\0')
        continue;

      if (!teren_line_is_valid (item))
        {
          g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID,
                       _("Unknown service line “%s”"), item);
          return FALSE;
        }

      for (j = 0; j < result->len; j++)
        if (strcmp (g_ptr_array_index (result, j), item) == 0)
          seen = TRUE;
      if (!seen)
        g_ptr_array_add (result, g_strdup (item));
    }

  g_ptr_array_add (result, NULL);
  *out_lines = (char **) g_ptr_array_free (g_steal_pointer (&result), FALSE);
  return TRUE;
}

const char *
teren_line_get_label (const TerenLine *line)
{
  g_return_val_if_fail (line != NULL, NULL);

  return g_dgettext (GETTEXT_PACKAGE, line->label);
}
