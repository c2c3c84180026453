/* teren-sync-indicator.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-sync-digest.h"
#include "teren-sync-indicator.h"

struct _TerenSyncIndicator
{
  GtkWidget        parent_instance;

  /* Template widgets */
  GtkWidget       *box;
  GtkButton       *compact_button;
  GtkImage        *compact_icon;
  GtkLabel        *error_label;
  GtkLabel        *last_label;
  GtkButton       *login_button;
  GtkLabel        *pending_label;
  GtkProgressBar  *progress_bar;
  GtkButton       *sync_button;
  GtkImage        *state_icon;
  GtkLabel        *state_label;

  /* Owned */
  TerenSyncEngine *engine;
  GSignalGroup    *signals;
  char            *state_text;
  char            *pending_text;
  char            *last_text;
  char            *error_text;
  guint            local_pending;
  guint            compact : 1;
};

enum {
  PROP_0,
  PROP_ENGINE,
  PROP_COMPACT,
  PROP_LOCAL_PENDING,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (TerenSyncIndicator, teren_sync_indicator, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

static char *
format_pending (guint pending)
{
  if (pending == 0)
    return g_strdup (_("No changes waiting"));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u change waiting to be sent",
                                       "%u changes waiting to be sent",
                                       pending),
                          pending);
}

static char *
format_last_synced (GDateTime *when)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *time = NULL;
  g_autofree char *date = NULL;

  if (when == NULL)
    return g_strdup (_("Never synced with the server"));

  local = g_date_time_to_local (when);
  now = g_date_time_new_now_local ();
  time = g_date_time_format (local, "%H:%M");
  if (g_date_time_get_year (local) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    /* Translators: %s is a time such as 14:05 */
    return g_strdup_printf (_("Last synced today at %s"), time);

  date = g_date_time_format (local, "%d.%m.%Y");
  /* Translators: the first %s is a date (zz.ll.aaaa), the second a time (14:05) */
  return g_strdup_printf (_("Last synced on %s at %s"), date, time);
}

/* The last integrity check of the engine (teren-sync-digest.h), for the sync details:
 * NULL before the first one. */
static char *
format_digest_check (TerenSyncEngine *engine)
{
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *time = NULL;
  g_autofree char *date = NULL;
  guint records = 0;

  if (engine == NULL || !teren_sync_digest_get_last_check (engine, &when, NULL, &records) || when == NULL)
    return NULL;
  local = g_date_time_to_local (when);
  now = g_date_time_new_now_local ();
  time = g_date_time_format (local, "%H:%M");
  if (g_date_time_get_year (local) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    {
      if (records == 0)
        /* Translators: the local data was compared with the server's; %s is a time (14:05) */
        return g_strdup_printf (_("Checked against the server today at %s"), time);
      /* Translators: %s is a time (14:05), %u how many records were repaired from the server */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Checked against the server today at %s: %u record repaired",
                                           "Checked against the server today at %s: %u records repaired",
                                           records), time, records);
    }
  date = g_date_time_format (local, "%d.%m.%Y");
  if (records == 0)
    /* Translators: the first %s is a date (zz.ll.aaaa), the second a time (14:05) */
    return g_strdup_printf (_("Checked against the server on %s at %s"), date, time);
  /* Translators: a date (zz.ll.aaaa), a time (14:05), how many records were repaired */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Checked against the server on %s at %s: %u record repaired",
                                       "Checked against the server on %s at %s: %u records repaired",
                                       records), date, time, records);
}

static void
set_text (GtkLabel    *label,
          char       **store,
          char        *text)
{
  g_free (*store);
  *store = text;
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

static void
update (TerenSyncIndicator *self)
{
  TerenSyncState state = TEREN_SYNC_STATE_LOGGED_OUT;
  const char *icon_name;
  char *state_text;
  double progress = -1;
  guint pending;
  g_autoptr(GDateTime) last = NULL;
  const char *error = NULL;

  if (self->engine != NULL)
    {
      state = teren_sync_engine_get_state (self->engine);
      progress = teren_sync_engine_get_progress (self->engine);
      pending = teren_sync_engine_get_pending (self->engine);
      last = teren_sync_engine_get_last_synced (self->engine);
      if (last != NULL)
        g_date_time_ref (last);
      error = teren_sync_engine_get_last_error (self->engine);
    }
  else
    pending = self->local_pending;

  switch (state)
    {
    case TEREN_SYNC_STATE_OFFLINE:
      icon_name = "network-offline-symbolic";
      state_text = g_strdup (_("Offline — changes stay on this laptop until the server can be reached"));
      break;
    case TEREN_SYNC_STATE_SYNCING:
      icon_name = "emblem-synchronizing-symbolic";
      state_text = g_strdup (_("Syncing…"));
      break;
    case TEREN_SYNC_STATE_IDLE:
      icon_name = pending == 0 ? "emblem-ok-symbolic" : "document-save-symbolic";
      state_text = g_strdup (pending == 0 ? _("Synced") : _("Changes waiting to be synced"));
      break;
    case TEREN_SYNC_STATE_ERROR:
      icon_name = "dialog-warning-symbolic";
      state_text = g_strdup (_("Sync failed — changes stay on this laptop"));
      break;
    case TEREN_SYNC_STATE_LOGGED_OUT:
    default:
      icon_name = "system-users-symbolic";
      state_text = g_strdup (self->engine != NULL && teren_sync_engine_get_store (self->engine) != NULL
                             ? _("Not logged in — changes stay on this laptop")
                             : _("Not connected to a server — changes stay on this laptop"));
      break;
    }

  gtk_image_set_from_icon_name (self->state_icon, icon_name);
  gtk_image_set_from_icon_name (self->compact_icon, icon_name);
  set_text (self->state_label, &self->state_text, state_text);
  set_text (self->pending_label, &self->pending_text, format_pending (pending));
  set_text (self->last_label, &self->last_text,
            self->engine != NULL && state != TEREN_SYNC_STATE_LOGGED_OUT
            ? format_last_synced (last) : NULL);
  {
    g_autofree char *checked = self->last_text != NULL ? format_digest_check (self->engine) : NULL;

    if (checked != NULL)
      set_text (self->last_label, &self->last_text, g_strconcat (self->last_text, "\n", checked, NULL));
  }
  set_text (self->error_label, &self->error_text,
            state == TEREN_SYNC_STATE_ERROR && error != NULL
            /* Translators: %s is why the last sync failed */
            ? g_strdup_printf (_("Last error: %s"), error) : NULL);

  if (state == TEREN_SYNC_STATE_SYNCING && progress >= 0)
    {
      g_autofree char *percent = g_strdup_printf (_("%d %% received"), (int)(progress * 100 + 0.5));

      gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (progress, 0, 1));
      gtk_progress_bar_set_text (self->progress_bar, percent);
      gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);

  gtk_widget_set_visible (GTK_WIDGET (self->sync_button),
                          self->engine != NULL && state != TEREN_SYNC_STATE_LOGGED_OUT);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sync_button), state != TEREN_SYNC_STATE_SYNCING);
  gtk_widget_set_visible (GTK_WIDGET (self->login_button), state == TEREN_SYNC_STATE_LOGGED_OUT);

  /* The compact form (a narrow window hides the sidebar) says the same in its tooltip and
   * accessible name. */
  {
    g_autofree char *summary = g_strdup_printf ("%s\n%s", self->state_text, self->pending_text);

    gtk_widget_set_tooltip_text (GTK_WIDGET (self->compact_button), summary);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->compact_button),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, summary, -1);
  }
}

static void
teren_sync_indicator_dispose (GObject *object)
{
  TerenSyncIndicator *self = (TerenSyncIndicator *)object;

  if (self->signals != NULL)
    g_signal_group_set_target (self->signals, NULL);
  g_clear_object (&self->signals);
  g_clear_object (&self->engine);
  gtk_widget_dispose_template (GTK_WIDGET (self), TEREN_TYPE_SYNC_INDICATOR);

  G_OBJECT_CLASS (teren_sync_indicator_parent_class)->dispose (object);
}

static void
teren_sync_indicator_finalize (GObject *object)
{
  TerenSyncIndicator *self = (TerenSyncIndicator *)object;

  g_free (self->state_text);
  g_free (self->pending_text);
  g_free (self->last_text);
  g_free (self->error_text);

  G_OBJECT_CLASS (teren_sync_indicator_parent_class)->finalize (object);
}

static void
teren_sync_indicator_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  TerenSyncIndicator *self = TEREN_SYNC_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;
    case PROP_COMPACT:
      g_value_set_boolean (value, self->compact);
      break;
    case PROP_LOCAL_PENDING:
      g_value_set_uint (value, self->local_pending);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
teren_sync_indicator_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  TerenSyncIndicator *self = TEREN_SYNC_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      teren_sync_indicator_set_engine (self, g_value_get_object (value));
      break;
    case PROP_COMPACT:
      teren_sync_indicator_set_compact (self, g_value_get_boolean (value));
      break;
    case PROP_LOCAL_PENDING:
      teren_sync_indicator_set_local_pending (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
teren_sync_indicator_class_init (TerenSyncIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = teren_sync_indicator_dispose;
  object_class->finalize = teren_sync_indicator_finalize;
  object_class->get_property = teren_sync_indicator_get_property;
  object_class->set_property = teren_sync_indicator_set_property;

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, TEREN_TYPE_SYNC_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPACT] =
    g_param_spec_boolean ("compact", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOCAL_PENDING] =
    g_param_spec_uint ("local-pending", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/ro/daps/Teren/ui/teren-sync-indicator.ui");
  gtk_widget_class_bind_template_child (widget_class, TerenSyncIndicator, box);
  gtk_widget_class_bind_template_child (widget_class, TerenSyncIndicator, compact_button);
  gtk_widget_class_bind_template_child (widget_class, TerenSyncIndicator, compact_icon);
  gtk_widget_class_bind_template_child (widget_class, TerenSyncIndicator, error_label);
  gtk_widget_class_bind_template_child (widget_class, TerenSyncIndicator, last_label);
  gtk_widget_class_bind_template_child (widget_class, TerenSyncIndicator, login_button);
  gtk_widget_class_bind_template_child (widget_class, TerenSyncIndicator, pending_label);
  gtk_widget_class_bind_template_child (widget_class, TerenSyncIndicator, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, TerenSyncIndicator, sync_button);
  gtk_widget_class_bind_template_child (widget_class, TerenSyncIndicator, state_icon);
  gtk_widget_class_bind_template_child (widget_class, TerenSyncIndicator, state_label);
}

static void
teren_sync_indicator_init (TerenSyncIndicator *self)
{
  static const char * const notifies[] = {
    "notify::state", "notify::progress", "notify::pending", "notify::last-synced",
    "notify::last-error", "notify::store",
  };
  guint i;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->signals = g_signal_group_new (TEREN_TYPE_SYNC_ENGINE);
  for (i = 0; i < G_N_ELEMENTS (notifies); i++)
    g_signal_group_connect_swapped (self->signals, notifies[i], G_CALLBACK (update), self);

  update (self);
}

TerenSyncIndicator *
teren_sync_indicator_new (void)
{
  return g_object_new (TEREN_TYPE_SYNC_INDICATOR, NULL);
}

void
teren_sync_indicator_set_engine (TerenSyncIndicator *self,
                                 TerenSyncEngine    *engine)
{
  g_return_if_fail (TEREN_IS_SYNC_INDICATOR (self));
  g_return_if_fail (engine == NULL || TEREN_IS_SYNC_ENGINE (engine));

  if (!g_set_object (&self->engine, engine))
    return;
  g_signal_group_set_target (self->signals, engine);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
}

TerenSyncEngine *
teren_sync_indicator_get_engine (TerenSyncIndicator *self)
{
  g_return_val_if_fail (TEREN_IS_SYNC_INDICATOR (self), NULL);
  return self->engine;
}

void
teren_sync_indicator_set_compact (TerenSyncIndicator *self,
                                  gboolean            compact)
{
  g_return_if_fail (TEREN_IS_SYNC_INDICATOR (self));

  compact = !!compact;
  if (self->compact == compact)
    return;
  self->compact = compact;
  gtk_widget_set_visible (GTK_WIDGET (self->compact_button), compact);
  gtk_widget_set_visible (self->box, !compact);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPACT]);
}

void
teren_sync_indicator_set_local_pending (TerenSyncIndicator *self,
                                        guint               pending)
{
  g_return_if_fail (TEREN_IS_SYNC_INDICATOR (self));

  if (self->local_pending == pending)
    return;
  self->local_pending = pending;
  if (self->engine == NULL)
    update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCAL_PENDING]);
}

const char *
teren_sync_indicator_get_state_text (TerenSyncIndicator *self)
{
  g_return_val_if_fail (TEREN_IS_SYNC_INDICATOR (self), NULL);
  return self->state_text;
}

const char *
teren_sync_indicator_get_pending_text (TerenSyncIndicator *self)
{
  g_return_val_if_fail (TEREN_IS_SYNC_INDICATOR (self), NULL);
  return self->pending_text;
}

const char *
teren_sync_indicator_get_last_text (TerenSyncIndicator *self)
{
  g_return_val_if_fail (TEREN_IS_SYNC_INDICATOR (self), NULL);
  return self->last_text;
}

const char *
teren_sync_indicator_get_error_text (TerenSyncIndicator *self)
{
  g_return_val_if_fail (TEREN_IS_SYNC_INDICATOR (self), NULL);
  return self->error_text;
}
