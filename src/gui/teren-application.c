/* teren-application.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-application.h"
#include "teren-disk-encryption.h"
#include "teren-gui.h"
#include "teren-login-window.h"
#include "teren-preferences-window.h"
#include "teren-store-sync.h"
#include "teren-sync-engine.h"
#include "teren-test-hooks.h"
#include "teren-window.h"

/* One folder per account under the data root (teren_store_default_dir). */
typedef struct
{
  char   *dir;
  char   *server_url;
  char   *username;
  gint64  mtime;
} AccountInfo;

struct _TerenApplication
{
  AdwApplication   parent_instance;

  TerenSyncEngine *engine;       /* the open account, or NULL */
  TerenStore      *store;        /* its store, once opened */
  GError          *open_error;
  GCancellable    *cancellable;
  GSettings       *settings;     /* (nullable) without the installed schema */
  GSimpleAction   *account_action;
  GPtrArray       *accounts;     /* (element-type AccountInfo) known accounts */
  char            *data_dir;     /* --data-dir, or NULL */
  char            *plain_dir;    /* open store of no account yet (demo, first data), or NULL */
  guint            started : 1;
  guint            opening : 1;
  guint            disk_checked : 1;
};

G_DEFINE_FINAL_TYPE (TerenApplication, teren_application, ADW_TYPE_APPLICATION)

static void refresh_accounts (TerenApplication *self);

static void
account_info_free (gpointer pointer)
{
  AccountInfo *info = pointer;

  g_free (info->dir);
  g_free (info->server_url);
  g_free (info->username);
  g_free (info);
}

static TerenWindow *
main_window (TerenApplication *self)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  for (; windows != NULL; windows = windows->next)
    if (TEREN_IS_WINDOW (windows->data))
      return windows->data;
  return NULL;
}

/* Engine settings come from GSettings (the interval in minutes there, seconds here). */
static void
configure_engine (TerenApplication *self,
                  TerenSyncEngine  *engine)
{
  g_autofree char *ca_file = NULL;

  if (self->settings == NULL)
    return;
  teren_sync_engine_set_interval (engine, 60 * g_settings_get_uint (self->settings, "sync-interval"));
  ca_file = g_settings_get_string (self->settings, "ca-file");
  if (ca_file != NULL && *ca_file != '\0')
    g_object_set (engine, "ca-file", ca_file, NULL);
}

static void
update_account_state (TerenApplication *self)
{
  TerenStore *store = self->engine != NULL ? teren_sync_engine_get_store (self->engine) : NULL;
  const char *dir = store != NULL ? teren_store_get_data_dir (store) : "";

  g_simple_action_set_state (self->account_action, g_variant_new_string (dir));
}

static void
on_disk_checked_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  /* Cancelled at shutdown, unreadable: nothing to say. */
  if (teren_disk_encryption_check_finish (result, NULL) == TEREN_DISK_NOT_ENCRYPTED)
    g_message ("The disk holding Teren's data is not encrypted: turn on disk encryption (LUKS)");
}

/* Once per run, for the IT person reading the journal (the preferences tell the user):
 * the disk of the first store opened is not encrypted. No path in the log. */
static void
check_disk_once (TerenApplication *self,
                 TerenStore       *store)
{
  if (self->disk_checked || store == NULL)
    return;
  self->disk_checked = TRUE;
  teren_disk_encryption_check_async (teren_store_get_data_dir (store), self->cancellable,
                                     on_disk_checked_cb, NULL);
}

/* The account in front changes: a new window for it, the old one closes (its drafts and
 * unsent changes stay in its own store). */
static void
show_engine (TerenApplication *self,
             TerenSyncEngine  *engine)
{
  TerenWindow *old = main_window (self);
  TerenWindow *window;

  if (self->engine != NULL && self->engine != engine)
    teren_sync_engine_stop (self->engine);
  g_set_object (&self->engine, engine);
  g_clear_pointer (&self->plain_dir, g_free);
  g_clear_object (&self->store);
  if (teren_sync_engine_get_store (engine) != NULL)
    self->store = g_object_ref (teren_sync_engine_get_store (engine));
  check_disk_once (self, self->store);

  if (old != NULL && teren_window_get_engine (old) == NULL && teren_window_get_store (old) == NULL)
    window = old;   /* the first start's empty window takes the account */
  else
    {
      window = teren_window_new (ADW_APPLICATION (self), NULL);
      if (old != NULL)
        gtk_window_destroy (GTK_WINDOW (old));
    }
  teren_window_set_await_login (window, FALSE);
  teren_window_set_engine (window, engine);
  gtk_window_present (GTK_WINDOW (window));

  if (teren_sync_engine_get_state (engine) != TEREN_SYNC_STATE_LOGGED_OUT)
    teren_sync_engine_start (engine);
  update_account_state (self);
  refresh_accounts (self);
}

/* A data folder of no account yet (the demo's, or work typed before the first login): shown
 * as it is, offline; the first login makes it that account's store. */
static void
on_plain_store_opened_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(TerenApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenStore) store = teren_store_open_finish (result, &error);
  TerenWindow *window = main_window (self);

  self->opening = FALSE;
  if (store == NULL)
    {
      g_message ("Could not open the store (code %d)", error->code);
      g_clear_error (&self->open_error);
      self->open_error = g_steal_pointer (&error);
      if (window != NULL)
        teren_window_show_error (window, self->open_error);
    }
  else
    {
      g_free (self->plain_dir);
      self->plain_dir = g_strdup (teren_store_get_data_dir (store));
      check_disk_once (self, store);
      if (window == NULL || teren_window_get_store (window) != NULL || teren_window_get_engine (window) != NULL)
        {
          TerenWindow *old = window;

          window = teren_window_new (ADW_APPLICATION (self), NULL);
          if (old != NULL)
            gtk_window_destroy (GTK_WINDOW (old));
        }
      teren_window_set_await_login (window, FALSE);
      teren_window_set_store (window, store);
      gtk_window_present (GTK_WINDOW (window));
      refresh_accounts (self);
    }
  g_application_release (G_APPLICATION (self));
}

static void
on_account_opened_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(TerenApplication) self = user_data;
  TerenSyncEngine *engine = TEREN_SYNC_ENGINE (object);
  g_autoptr(GError) error = NULL;

  self->opening = FALSE;
  if (!teren_sync_engine_open_account_finish (engine, result, &error) &&
      (g_error_matches (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_NOT_LOGGED_IN) ||
       g_error_matches (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_STORE)))
    {
      const char *dir = g_object_get_data (G_OBJECT (engine), "teren-data-dir");

      /* The folder belongs to no account yet: open it as it is. A store that cannot be
       * opened fails there again, with the store's own reason (damaged, read-only). */
      self->opening = TRUE;
      g_application_hold (G_APPLICATION (self));
      teren_store_open_async (dir, self->cancellable, on_plain_store_opened_cb, g_object_ref (self));
    }
  else if (error != NULL)
    {
      TerenWindow *window = main_window (self);

      g_message ("Could not open the account's store (code %d)", error->code);
      if (window != NULL && teren_window_get_store (window) == NULL)
        teren_window_show_error (window, error);
      else if (window != NULL)
        {
          g_autofree char *text = teren_gui_error_message (error);
          teren_window_add_toast (window, teren_gui_toast_new (text));
        }
      g_clear_error (&self->open_error);
      self->open_error = g_steal_pointer (&error);
    }
  else
    show_engine (self, engine);
  g_application_release (G_APPLICATION (self));
}

static void
open_account (TerenApplication *self,
              const char       *dir)
{
  g_autoptr(TerenSyncEngine) engine = teren_sync_engine_new ();

  configure_engine (self, engine);
  g_object_set_data_full (G_OBJECT (engine), "teren-data-dir", g_strdup (dir), g_free);
  self->opening = TRUE;
  g_application_hold (G_APPLICATION (self));
  teren_sync_engine_open_account_async (engine, dir, NULL, NULL, self->cancellable,
                                        on_account_opened_cb, g_object_ref (self));
}

static void
on_logged_in_cb (TerenApplication *self,
                 TerenLoginWindow *login)
{
  TerenSyncEngine *engine = teren_login_window_get_engine (login);
  g_autofree char *server = g_strdup (teren_sync_engine_get_server_url (engine));

  if (self->settings != NULL && server != NULL)
    g_settings_set_string (self->settings, "server-url", server);
  show_engine (self, engine);
}

static void
present_login (TerenApplication *self)
{
  TerenWindow *window = main_window (self);
  g_autoptr(TerenSyncEngine) engine = teren_sync_engine_new ();
  g_autofree char *server = NULL;
  TerenLoginWindow *login;

  configure_engine (self, engine);
  if (self->settings != NULL)
    server = g_settings_get_string (self->settings, "server-url");
  /* A store that belongs to no account yet becomes this account's. */
  login = teren_login_window_new (GTK_WINDOW (window), engine,
                                  self->engine == NULL ? self->plain_dir : NULL,
                                  server, NULL);
  g_signal_connect_object (login, "logged-in", G_CALLBACK (on_logged_in_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (login));
}

/* Known accounts, read on a worker: each store folder under the data root. */

static gint
compare_accounts (gconstpointer a,
                  gconstpointer b)
{
  const AccountInfo *first = *(AccountInfo **)a;
  const AccountInfo *second = *(AccountInfo **)b;

  /* Most recently used first. */
  return first->mtime < second->mtime ? 1 : first->mtime > second->mtime ? -1 : 0;
}

static void
scan_accounts_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  g_autofree char *sample = teren_store_default_dir ("local");
  g_autofree char *root = g_path_get_dirname (sample);
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (account_info_free);
  g_autoptr(GDir) dir = g_dir_open (root, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (root, name, NULL);
      g_autofree char *db = g_build_filename (path, TEREN_STORE_DB_NAME, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (db);
      g_autoptr(GFileInfo) file_info = NULL;
      g_autoptr(TerenStore) store = NULL;
      AccountInfo *info;

      file_info = g_file_query_info (file, G_FILE_ATTRIBUTE_TIME_MODIFIED, G_FILE_QUERY_INFO_NONE,
                                     cancellable, NULL);
      if (file_info == NULL)
        continue;
      /* A store that does not open (damaged) is still listed: opening it says why. */
      store = teren_store_open (path, NULL);

      info = g_new0 (AccountInfo, 1);
      info->dir = g_steal_pointer (&path);
      if (store != NULL)
        {
          info->server_url = teren_store_sync_get_meta (store, TEREN_SYNC_META_SERVER_URL);
          info->username = teren_store_sync_get_meta (store, TEREN_SYNC_META_USERNAME);
        }
      info->mtime = g_file_info_get_attribute_uint64 (file_info, G_FILE_ATTRIBUTE_TIME_MODIFIED);
      g_ptr_array_add (accounts, info);
    }

  g_ptr_array_sort (accounts, compare_accounts);
  g_task_return_pointer (task, g_steal_pointer (&accounts), (GDestroyNotify)g_ptr_array_unref);
}

static void
fill_accounts_menu (TerenApplication *self)
{
  TerenWindow *window = main_window (self);
  GMenu *menu;
  guint i;

  if (window == NULL || self->accounts == NULL)
    return;
  menu = teren_window_get_accounts_menu (window);
  g_menu_remove_all (menu);
  for (i = 0; i < self->accounts->len; i++)
    {
      AccountInfo *info = g_ptr_array_index (self->accounts, i);
      g_autofree char *label = NULL;
      g_autoptr(GMenuItem) item = NULL;
      g_autoptr(GUri) uri = info->server_url != NULL ? g_uri_parse (info->server_url, G_URI_FLAGS_NONE, NULL) : NULL;

      if (info->username == NULL)
        /* Translators: a store on this laptop that belongs to no account yet */
        label = g_strdup (_("Data not linked to an account"));
      else
        /* Translators: "ana on teren.daps.ro" (a user name, then a server) */
        label = g_strdup_printf (_("%s on %s"), info->username,
                                 uri != NULL && g_uri_get_host (uri) != NULL ? g_uri_get_host (uri)
                                 : info->server_url != NULL ? info->server_url : "?");
      item = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target_value (item, "app.account", g_variant_new_string (info->dir));
      g_menu_append_item (menu, item);
    }
}

static void
on_accounts_scanned_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(TerenApplication) self = user_data;
  g_autoptr(GPtrArray) accounts = g_task_propagate_pointer (G_TASK (result), NULL);
  gboolean first = !self->started;

  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  self->accounts = accounts != NULL ? g_steal_pointer (&accounts)
                                    : g_ptr_array_new_with_free_func (account_info_free);
  fill_accounts_menu (self);

  if (first)
    {
      self->started = TRUE;
      if (self->accounts->len > 0)
        open_account (self, ((AccountInfo *)g_ptr_array_index (self->accounts, 0))->dir);
      else
        {
          TerenWindow *window = main_window (self);

          if (window != NULL)
            teren_window_set_await_login (window, TRUE);
          present_login (self);
        }
    }
  g_application_release (G_APPLICATION (self));
}

static void
refresh_accounts (TerenApplication *self)
{
  g_autoptr(GTask) task = g_task_new (NULL, self->cancellable, on_accounts_scanned_cb, g_object_ref (self));

  g_application_hold (G_APPLICATION (self));
  g_task_set_source_tag (task, refresh_accounts);
  g_task_run_in_thread (task, scan_accounts_thread);
}

static void
teren_application_activate (GApplication *application)
{
  TerenApplication *self = TEREN_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    {
      window = GTK_WINDOW (teren_window_new (ADW_APPLICATION (self), NULL));
      if (self->engine != NULL)
        teren_window_set_engine (TEREN_WINDOW (window), self->engine);
    }

  /* The window shows at once; the account's store arrives when it has been opened. */
  if (!self->started && !self->opening)
    {
      if (self->data_dir != NULL)
        {
          /* The accounts menu is filled once this store is open (not to slow the start). */
          self->started = TRUE;
          open_account (self, self->data_dir);
        }
      else
        refresh_accounts (self);
    }
  else if (self->open_error != NULL)
    teren_window_show_error (TEREN_WINDOW (window), self->open_error);

  gtk_window_present (window);
}

static int
teren_application_handle_local_options (GApplication *application,
                                        GVariantDict *options)
{
  TerenApplication *self = TEREN_APPLICATION (application);
  const char *data_dir = NULL;

  if (g_variant_dict_lookup (options, "version", "b", NULL))
    {
      g_print ("teren %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_lookup (options, "data-dir", "^&ay", &data_dir))
    {
      g_free (self->data_dir);
      self->data_dir = g_canonicalize_filename (data_dir, NULL);
      /* Another data directory is another instance: do not hand over to a running one. */
      g_application_set_flags (application,
                               g_application_get_flags (application) | G_APPLICATION_NON_UNIQUE);
    }

  return -1;
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (user_data));

  /* Close the windows the normal way so they save their size. */
  while (windows != NULL)
    {
      GList *next = windows->next;
      gtk_window_close (windows->data);
      windows = next;
    }
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  static const char *developers[] = { "The Teren authors", NULL };
  GtkApplication *application = GTK_APPLICATION (user_data);

  adw_show_about_window (gtk_application_get_active_window (application),
                         "application-name", _("Teren"),
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "developer-name", _("The Teren authors"),
                         "developers", developers,
                         "comments", _("Offline case records for social-assistance field work"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         /* Translators: put your names here */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  TerenApplication *self = TEREN_APPLICATION (user_data);
  TerenPreferencesWindow *window;

  if (self->settings == NULL)
    return;
  window = teren_preferences_window_new (gtk_application_get_active_window (GTK_APPLICATION (self)),
                                         self->settings);
  gtk_window_present (GTK_WINDOW (window));
}

/* A certificate authority file chosen in the preferences applies to the running engine
 * (empty: the system's certificates only). */
static void
ca_file_changed (GSettings        *settings,
                 const char       *key,
                 TerenApplication *self)
{
  g_autofree char *ca_file = g_settings_get_string (settings, "ca-file");

  if (self->engine != NULL)
    g_object_set (self->engine, "ca-file", *ca_file != '\0' ? ca_file : NULL, NULL);
}

/* A new interval from the preferences applies to the running engine at once. */
static void
sync_interval_changed (GSettings        *settings,
                       const char       *key,
                       TerenApplication *self)
{
  if (self->engine != NULL)
    teren_sync_engine_set_interval (self->engine, 60 * g_settings_get_uint (settings, "sync-interval"));
}

static void
add_account_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  present_login (TEREN_APPLICATION (user_data));
}

static void
change_account_state (GSimpleAction *action,
                      GVariant      *value,
                      gpointer       user_data)
{
  TerenApplication *self = TEREN_APPLICATION (user_data);
  const char *dir = g_variant_get_string (value, NULL);
  TerenStore *store = self->engine != NULL ? teren_sync_engine_get_store (self->engine) : NULL;

  if (self->opening || *dir == '\0')
    return;
  if (store != NULL && g_strcmp0 (teren_store_get_data_dir (store), dir) == 0)
    return;
  open_account (self, dir);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action, NULL, NULL, NULL, { 0 } },
  { "about", about_action, NULL, NULL, NULL, { 0 } },
  { "preferences", preferences_action, NULL, NULL, NULL, { 0 } },
  { "add-account", add_account_action, NULL, NULL, NULL, { 0 } },
};

static void
teren_application_startup (GApplication *application)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *lock_accels[] = { "<Control>l", NULL };
  TerenApplication *self = TEREN_APPLICATION (application);
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  G_APPLICATION_CLASS (teren_application_parent_class)->startup (application);

  teren_gui_init ();
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema != NULL && g_settings_schema_has_key (schema, "sync-interval") &&
      g_settings_schema_has_key (schema, "ca-file") && g_settings_schema_has_key (schema, "server-url"))
    self->settings = g_settings_new (APP_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (application), app_actions,
                                   G_N_ELEMENTS (app_actions), application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.preferences",
                                         preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "win.lock", lock_accels);
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed::sync-interval",
                             G_CALLBACK (sync_interval_changed), self, 0);
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed::ca-file", G_CALLBACK (ca_file_changed), self, 0);
  else
    /* Without the installed schema there is nothing to set. */
    g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (application),
                                                                            "preferences")), FALSE);

  self->account_action = g_simple_action_new_stateful ("account", G_VARIANT_TYPE_STRING,
                                                       g_variant_new_string (""));
  g_signal_connect_object (self->account_action, "change-state", G_CALLBACK (change_account_state),
                           self, 0);
  g_action_map_add_action (G_ACTION_MAP (application), G_ACTION (self->account_action));
  teren_test_hooks_install (GTK_APPLICATION (application));
}

static void
teren_application_shutdown (GApplication *application)
{
  TerenApplication *self = TEREN_APPLICATION (application);

  g_cancellable_cancel (self->cancellable);
  /* Cancels a running round: what was committed stays, an unanswered batch is sent again. */
  if (self->engine != NULL)
    teren_sync_engine_stop (self->engine);

  G_APPLICATION_CLASS (teren_application_parent_class)->shutdown (application);
}

static void
teren_application_finalize (GObject *object)
{
  TerenApplication *self = (TerenApplication *)object;

  g_clear_object (&self->store);
  g_clear_object (&self->engine);
  g_clear_object (&self->settings);
  g_clear_object (&self->account_action);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_clear_object (&self->cancellable);
  g_clear_error (&self->open_error);
  g_clear_pointer (&self->data_dir, g_free);
  g_clear_pointer (&self->plain_dir, g_free);

  G_OBJECT_CLASS (teren_application_parent_class)->finalize (object);
}

static void
teren_application_class_init (TerenApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = teren_application_finalize;
  app_class->activate = teren_application_activate;
  app_class->startup = teren_application_startup;
  app_class->shutdown = teren_application_shutdown;
  app_class->handle_local_options = teren_application_handle_local_options;
}

static void
teren_application_init (TerenApplication *self)
{
  static const GOptionEntry entries[] = {
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Folder of the local database (default: the user's data folder)"), N_("DIR") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and quit"), NULL },
    { NULL, 0, 0, 0, NULL, NULL, NULL }
  };

  self->cancellable = g_cancellable_new ();
  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}

TerenApplication *
teren_application_new (void)
{
  return g_object_new (TEREN_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/ro/daps/Teren",
                       NULL);
}

const char *
teren_application_get_data_dir (TerenApplication *self)
{
  g_return_val_if_fail (TEREN_IS_APPLICATION (self), NULL);
  return self->data_dir;
}

TerenStore *
teren_application_get_store (TerenApplication *self)
{
  g_return_val_if_fail (TEREN_IS_APPLICATION (self), NULL);
  return self->engine != NULL ? teren_sync_engine_get_store (self->engine) : NULL;
}
