/* test-gui-lock.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The automatic lock (issue 7) on a real window, with the real teren-server on a loopback
 * port and the test session's keyring (build-aux/test-session.sh): the content is covered
 * (nothing of a form or a record mapped, no name in any label shown, dialogs hidden), a
 * wrong password is refused, the server checks the password when it answers and the local
 * verifier when it does not, a form's unsaved text survives; the preferences rows (auto-lock
 * delay, certificate authority file), the shortcuts window, and the person's record page
 * offering Export Personal Data….
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "teren-field-row.h"
#include "teren-gui-test-util.h"
#include "teren-lock-screen.h"
#include "teren-lock-verifier.h"
#include "teren-login-window.h"
#include "teren-preferences-window.h"
#include "teren-server-test-util.h"
#include "teren-store-blobs.h"
#include "teren-store-sync.h"
#include "teren-window.h"

#define USER       "ana"
#define PASSWORD   "parola-ana-1"
#define LAST_NAME  "Ștefănescu"
#define TYPED_NAME "Nedatorăscu"

typedef struct
{
  TerenTestServer *server;
  TerenSyncEngine *engine;
  TerenWindow     *window;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  if (!teren_gui_test_have_server ())
    return;
  fixture->server = teren_test_server_new ();
  teren_test_server_add_user (fixture->server, USER, PASSWORD, "child", "worker");
  teren_test_server_start (fixture->server);

  fixture->engine = teren_sync_engine_new ();
  teren_gui_test_login (fixture->engine, fixture->server->base_url, USER, PASSWORD, NULL);

  fixture->window = g_object_ref (teren_window_new (NULL, NULL));
  teren_window_set_engine (fixture->window, fixture->engine);
  gtk_window_present (GTK_WINDOW (fixture->window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->window != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (fixture->window));
      teren_gui_test_assert_finalize (fixture->window);
    }
  if (fixture->engine != NULL)
    {
      teren_sync_engine_stop (fixture->engine);
      teren_gui_test_spin (50);
      g_clear_object (&fixture->engine);
    }
  g_clear_pointer (&fixture->server, teren_test_server_free);
}

/* Helpers */

static char *
save_person (TerenStore *store)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(TerenRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (fields, "last_name", LAST_NAME);
  json_object_set_string_member (fields, "first_name", "Ana");
  json_object_set_string_member (fields, "cnp_status", "missing");
  json_object_set_string_member (fields, "sex", "F");
  record = teren_store_save (store, "person", "", NULL, fields, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (record);
  return g_strdup (teren_record_get_id (record));
}

/* Whether a mapped widget of @widget's tree shows @text (labels, inscriptions, editables,
 * row titles). */
static gboolean
shows_text (GtkWidget  *widget,
            const char *text)
{
  GtkWidget *child;

  if (!gtk_widget_get_mapped (widget))
    return FALSE;
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL)
    return TRUE;
  if (GTK_IS_INSCRIPTION (widget) && gtk_inscription_get_text (GTK_INSCRIPTION (widget)) != NULL &&
      strstr (gtk_inscription_get_text (GTK_INSCRIPTION (widget)), text) != NULL)
    return TRUE;
  if (GTK_IS_EDITABLE (widget) && strstr (gtk_editable_get_text (GTK_EDITABLE (widget)), text) != NULL)
    return TRUE;
  if (ADW_IS_PREFERENCES_ROW (widget) &&
      strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), text) != NULL)
    return TRUE;
  for (child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (shows_text (child, text))
      return TRUE;
  return FALSE;
}

/* Whether any visible toplevel shows @text. */
static gboolean
any_window_shows (const char *text)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint i;

  for (i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (gtk_widget_get_visible (window) && shows_text (window, text))
        return TRUE;
    }
  return FALSE;
}

static gboolean
record_shown (gpointer data)
{
  TerenRecordPage *page = data;

  return teren_record_page_get_record (page) != NULL && !teren_record_page_get_loading (page) &&
         any_window_shows (LAST_NAME);
}

static gboolean
is_locked (gpointer data)
{
  return teren_lock_screen_get_locked (data);
}

static gboolean
is_unlocked (gpointer data)
{
  return !teren_lock_screen_get_locked (data);
}

static gboolean
check_done (gpointer data)
{
  return !teren_lock_screen_get_busy (data);
}

static void
try_password (TerenLockScreen *lock,
              const char      *password)
{
  gtk_editable_set_text (teren_lock_screen_get_password_row (lock), password);
  teren_lock_screen_submit (lock);
  teren_gui_test_wait_until (check_done, lock, "the password check");
  /* The password is never left in the entry. */
  g_assert_cmpstr (gtk_editable_get_text (teren_lock_screen_get_password_row (lock)), ==, "");
}

static GtkEditable *
open_form_with_text (TerenWindow *window)
{
  TerenForm *form = teren_window_open_form (window, "person", NULL, NULL);
  TerenFieldRow *row;
  GtkEditable *editable;

  g_assert_nonnull (form);
  row = teren_form_get_field (form, "last_name");
  g_assert_nonnull (row);
  editable = teren_field_row_get_editable (row);
  g_assert_nonnull (editable);
  gtk_editable_set_text (editable, TYPED_NAME);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  return editable;
}

static gboolean
editable_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static char *
stored_verifier (TerenStore *store)
{
  return teren_store_sync_get_meta (store, TEREN_LOCK_VERIFIER_META_KEY);
}

static gboolean
has_verifier (gpointer data)
{
  g_autofree char *verifier = stored_verifier (data);

  return verifier != NULL;
}

static gboolean
nothing_pending (gpointer data)
{
  return teren_store_count_pending (data) == 0;
}

static void
assert_covered (TerenWindow *window,
                GtkEditable *editable)
{
  TerenLockScreen *lock = teren_window_get_lock_screen (window);

  g_assert_true (teren_lock_screen_get_locked (lock));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (editable)));
  g_assert_false (any_window_shows (LAST_NAME));
  g_assert_false (any_window_shows (TYPED_NAME));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Teren");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (teren_lock_screen_get_password_row (lock))));
  /* While locked there is nothing more to lock. */
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "lock"));
}

/* Tests */

static void
test_lock_and_unlock (Fixture       *fixture,
                      gconstpointer  data)
{
  TerenLockScreen *lock;
  TerenStore *store;
  GtkEditable *editable;
  g_autofree char *verifier = NULL;
  g_autofree char *id = NULL;

  if (fixture->server == NULL)
    return;
  lock = teren_window_get_lock_screen (fixture->window);
  store = teren_window_get_store (fixture->window);
  id = save_person (store);
  teren_gui_test_wait_until (record_shown, teren_window_open_record (fixture->window, id),
                             "the person's record page");

  /* A form with unsaved text in front, then Lock (the action of Ctrl+L). */
  editable = open_form_with_text (fixture->window);
  teren_gui_test_wait_until (editable_mapped, editable, "the form");
  g_assert_true (any_window_shows (TYPED_NAME));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->window), "lock"));
  g_action_group_activate_action (G_ACTION_GROUP (fixture->window), "lock", NULL);
  teren_gui_test_wait_until (is_locked, lock, "the lock");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  assert_covered (fixture->window, editable);

  /* Sync goes on while locked (the person saved above is sent), and shows nothing. */
  teren_sync_engine_sync_now (fixture->engine);
  teren_gui_test_wait_until (nothing_pending, store, "the sync while locked");
  assert_covered (fixture->window, editable);

  /* Nothing typed: said, still locked. */
  teren_lock_screen_submit (lock);
  g_assert_cmpstr (teren_lock_screen_get_message (lock), ==, "Enter your password.");

  /* A wrong password: the server refuses it, said plainly, still covered. */
  try_password (lock, "nu-e-parola");
  g_assert_cmpstr (teren_lock_screen_get_message (lock), ==, "Wrong password. Try again.");
  assert_covered (fixture->window, editable);

  /* The right one: unlocked, the form and its unsaved text are back. */
  try_password (lock, PASSWORD);
  g_assert_false (teren_lock_screen_get_locked (lock));
  teren_gui_test_wait_until (editable_mapped, editable, "the form shown again");
  g_assert_cmpstr (gtk_editable_get_text (editable), ==, TYPED_NAME);
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->window), "lock"));

  /* The server's answer left a local verifier, never the password itself. */
  teren_gui_test_wait_until (has_verifier, store, "the local verifier");
  verifier = stored_verifier (store);
  g_assert_null (strstr (verifier, PASSWORD));
  g_assert_true (g_str_has_prefix (verifier, "pbkdf2-sha256$100000$"));

  /* The sign-in of the engine is unchanged: it still syncs. */
  g_assert_cmpint (teren_sync_engine_get_state (fixture->engine), !=, TEREN_SYNC_STATE_LOGGED_OUT);

  /* The server stops: the local verifier decides. */
  teren_test_server_kill (fixture->server);
  teren_lock_screen_lock (lock);
  g_assert_true (teren_lock_screen_get_locked (lock));
  assert_covered (fixture->window, editable);
  try_password (lock, "parola-gresita");
  g_assert_cmpstr (teren_lock_screen_get_message (lock), ==, "Wrong password. Try again.");
  assert_covered (fixture->window, editable);
  try_password (lock, PASSWORD);
  g_assert_false (teren_lock_screen_get_locked (lock));
  teren_gui_test_wait_until (editable_mapped, editable, "the form shown again");
  g_assert_cmpstr (gtk_editable_get_text (editable), ==, TYPED_NAME);
}

static void
test_offline_without_verifier (Fixture       *fixture,
                               gconstpointer  data)
{
  TerenLockScreen *lock;
  const char *message;

  if (fixture->server == NULL)
    return;
  lock = teren_window_get_lock_screen (fixture->window);

  /* Signed in before this computer kept a verifier, and the server is gone: the password
   * cannot be checked, so the window stays locked. */
  g_assert_false (has_verifier (teren_window_get_store (fixture->window)));
  teren_test_server_kill (fixture->server);
  teren_lock_screen_lock (lock);
  try_password (lock, PASSWORD);
  g_assert_true (teren_lock_screen_get_locked (lock));
  message = teren_lock_screen_get_message (lock);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "cannot be reached"));
}

static void
test_too_many_failures (Fixture       *fixture,
                        gconstpointer  data)
{
  TerenLockScreen *lock;
  TerenStore *store;
  TerenTestWaiter waiter = { NULL };
  g_autoptr(GError) error = NULL;
  guint i;

  if (fixture->server == NULL)
    return;
  lock = teren_window_get_lock_screen (fixture->window);
  store = teren_window_get_store (fixture->window);
  teren_lock_verifier_save_async (store, PASSWORD, NULL, teren_gui_test_waiter_cb, &waiter);
  teren_gui_test_waiter_wait (&waiter, "the verifier");
  g_assert_true (teren_lock_verifier_save_finish (waiter.result, &error));
  g_assert_no_error (error);
  g_clear_object (&waiter.result);
  /* Offline, so that only the lock's own limit counts (the server has one too). */
  teren_test_server_kill (fixture->server);

  teren_lock_screen_lock (lock);
  for (i = 1; i < TEREN_LOCK_FREE_ATTEMPTS; i++)
    {
      try_password (lock, "gresit");
      g_assert_cmpstr (teren_lock_screen_get_message (lock), ==, "Wrong password. Try again.");
    }
  try_password (lock, "gresit");
  g_assert_cmpstr (teren_lock_screen_get_message (lock), ==,
                   "Wrong password. Too many tries: wait 30 seconds before the next one.");

  /* Even the right password waits now, and nothing is checked. */
  gtk_editable_set_text (teren_lock_screen_get_password_row (lock), PASSWORD);
  teren_lock_screen_submit (lock);
  g_assert_false (teren_lock_screen_get_busy (lock));
  g_assert_true (teren_lock_screen_get_locked (lock));
  g_assert_true (g_str_has_prefix (teren_lock_screen_get_message (lock), "Too many wrong passwords. Try again in "));

  /* Once the wait is over (shortened here), the right password unlocks. */
  teren_lock_screen_set_retry_delay (lock, 0);
  try_password (lock, PASSWORD);
  g_assert_false (teren_lock_screen_get_locked (lock));
}

static gboolean
dialog_visible (gpointer data)
{
  return gtk_widget_get_visible (data);
}

static void
test_dialogs_hidden (Fixture       *fixture,
                     gconstpointer  data)
{
  TerenLockScreen *lock;
  GtkWidget *before;
  GtkWidget *during;

  if (fixture->server == NULL)
    return;
  lock = teren_window_get_lock_screen (fixture->window);

  /* A dialog naming a person is open when the window locks: it goes away. */
  before = adw_message_dialog_new (GTK_WINDOW (fixture->window), "Ciornă", "Continuați fișa lui " LAST_NAME "?");
  g_object_ref (before);
  gtk_window_present (GTK_WINDOW (before));
  gtk_test_widget_wait_for_draw (before);
  g_assert_true (any_window_shows (LAST_NAME));
  teren_lock_screen_lock (lock);
  g_assert_false (gtk_widget_get_visible (before));
  g_assert_false (any_window_shows (LAST_NAME));

  /* One opened while locked (sync goes on) stays hidden too. */
  during = adw_message_dialog_new (GTK_WINDOW (fixture->window), "Alt", "Persoana " LAST_NAME);
  g_object_ref (during);
  gtk_window_present (GTK_WINDOW (during));
  teren_gui_test_spin (50);
  g_assert_false (gtk_widget_get_visible (during));
  g_assert_false (any_window_shows (LAST_NAME));

  /* Unlocked: both are back. */
  try_password (lock, PASSWORD);
  g_assert_false (teren_lock_screen_get_locked (lock));
  teren_gui_test_wait_until (dialog_visible, before, "the first dialog back");
  teren_gui_test_wait_until (dialog_visible, during, "the second dialog back");

  gtk_window_destroy (GTK_WINDOW (before));
  gtk_window_destroy (GTK_WINDOW (during));
  teren_gui_test_assert_finalize (before);
  teren_gui_test_assert_finalize (during);
}

static void
test_locks_after_delay (Fixture       *fixture,
                        gconstpointer  data)
{
  TerenLockScreen *lock;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  if (fixture->server == NULL)
    return;
  lock = teren_window_get_lock_screen (fixture->window);

  /* The delay follows the setting, in minutes; 0 is never. */
  g_settings_set_uint (settings, "auto-lock-delay", 3);
  g_assert_cmpuint (teren_lock_screen_get_delay (lock), ==, 180);
  g_settings_set_uint (settings, "auto-lock-delay", 0);
  g_assert_cmpuint (teren_lock_screen_get_delay (lock), ==, 0);
  g_assert_false (teren_lock_screen_get_locked (lock));

  /* Without input for the delay (shortened to a second here), it locks by itself. */
  teren_lock_screen_set_delay (lock, 1);
  teren_gui_test_wait_until (is_locked, lock, "the automatic lock");
  try_password (lock, PASSWORD);
  teren_gui_test_wait_until (is_unlocked, lock, "the unlock");
  g_settings_reset (settings, "auto-lock-delay");
}

static void
test_login_window_saves_verifier (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(TerenSyncEngine) engine = NULL;
  TerenLoginWindow *login;
  g_autofree char *verifier = NULL;
  g_autofree char *dir = NULL;
  TerenStore *store;

  if (fixture->server == NULL)
    return;

  /* Signing in through the login window keeps a verifier of the password in the store. */
  engine = teren_sync_engine_new ();
  dir = g_build_filename (g_get_user_data_dir (), "second-account", NULL);
  login = g_object_ref (teren_login_window_new (NULL, engine, dir, fixture->server->base_url, USER));
  gtk_window_present (GTK_WINDOW (login));
  gtk_editable_set_text (teren_login_window_get_password_row (login), PASSWORD);
  teren_login_window_submit (login);
  teren_gui_test_assert_finalize (login);
  store = teren_sync_engine_get_store (engine);
  g_assert_nonnull (store);
  teren_gui_test_wait_until (has_verifier, store, "the verifier");
  verifier = stored_verifier (store);
  g_assert_true (teren_lock_verifier_matches (verifier, PASSWORD));
  g_assert_false (teren_lock_verifier_matches (verifier, "parola-ana-2"));
  teren_sync_engine_stop (engine);
}

static void
test_no_account_no_lock (void)
{
  g_autoptr(TerenStore) store = teren_gui_test_store_new ();
  TerenWindow *window = g_object_ref (teren_window_new (NULL, store));
  TerenLockScreen *lock = teren_window_get_lock_screen (window);

  /* No account, no password to ask: the window does not lock. */
  gtk_window_present (GTK_WINDOW (window));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "lock"));
  teren_lock_screen_lock (lock);
  g_assert_false (teren_lock_screen_get_locked (lock));

  gtk_window_destroy (GTK_WINDOW (window));
  teren_gui_test_assert_finalize (window);
}

static void
test_verifier (void)
{
  g_autofree char *first = teren_lock_verifier_new ("Parolă cu ș și ț");
  g_autofree char *second = teren_lock_verifier_new ("Parolă cu ș și ț");
  g_autofree char *tampered = NULL;

  /* Salted: two verifiers of one password differ; each matches it and nothing else. */
  g_assert_cmpstr (first, !=, second);
  g_assert_true (teren_lock_verifier_matches (first, "Parolă cu ș și ț"));
  g_assert_true (teren_lock_verifier_matches (second, "Parolă cu ș și ț"));
  g_assert_false (teren_lock_verifier_matches (first, "Parola cu s si t"));
  g_assert_false (teren_lock_verifier_matches (first, ""));
  /* Malformed or weakened verifiers never match. */
  g_assert_false (teren_lock_verifier_matches ("", "x"));
  g_assert_false (teren_lock_verifier_matches ("pbkdf2-sha256$100000$abc", "x"));
  g_assert_false (teren_lock_verifier_matches ("md5$1$AAAA$AAAA", "x"));
  tampered = g_strdup (first);
  memcpy (tampered + strlen ("pbkdf2-sha256$"), "000010", 6);
  g_assert_false (teren_lock_verifier_matches (tampered, "Parolă cu ș și ț"));
}

/* PBKDF2-HMAC-SHA256 test vectors (RFC 7914 section 11 and the widely used ones for
 * "password"/"salt"), first 32 bytes. */
static void
test_pbkdf2_vectors (void)
{
  static const struct {
    const char *password;
    const char *salt;
    guint       iterations;
    const char *hex;
  } vectors[] = {
    { "password", "salt", 1, "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b" },
    { "password", "salt", 2, "ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43" },
    { "password", "salt", 4096, "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a" },
    { "passwd", "salt", 1, "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc" },
    { "Password", "NaCl", 80000, "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56" },
  };
  guint i, j;

  for (i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      guint8 out[32];
      GString *hex = g_string_new (NULL);

      teren_lock_verifier_pbkdf2 (vectors[i].password, (const guint8 *) vectors[i].salt,
                                  strlen (vectors[i].salt), vectors[i].iterations, out);
      for (j = 0; j < sizeof out; j++)
        g_string_append_printf (hex, "%02x", out[j]);
      g_assert_cmpstr (hex->str, ==, vectors[i].hex);
      g_string_free (hex, TRUE);
    }
}

static void
test_preferences_rows (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  TerenPreferencesWindow *window;

  g_settings_set_string (settings, "ca-file", "");
  window = g_object_ref (teren_preferences_window_new (NULL, settings));
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  /* The automatic lock may be turned off (0). */
  gtk_spin_button_set_value (teren_preferences_window_get_lock_spin (window), 0);
  g_assert_cmpuint (g_settings_get_uint (settings, "auto-lock-delay"), ==, 0);
  gtk_spin_button_set_value (teren_preferences_window_get_lock_spin (window), 15);
  g_assert_cmpuint (g_settings_get_uint (settings, "auto-lock-delay"), ==, 15);

  /* The certificate authority row shows the key and clears it. */
  g_assert_cmpstr (teren_preferences_window_get_ca_description (window), ==, "System certificates");
  g_settings_set_string (settings, "ca-file", "/etc/teren/primărie-ca.pem");
  g_assert_cmpstr (teren_preferences_window_get_ca_description (window), ==, "primărie-ca.pem");
  g_signal_emit_by_name (teren_preferences_window_get_ca_clear_button (window), "clicked");
  {
    g_autofree char *ca = g_settings_get_string (settings, "ca-file");

    g_assert_cmpstr (ca, ==, "");
  }
  g_assert_cmpstr (teren_preferences_window_get_ca_description (window), ==, "System certificates");

  g_settings_reset (settings, "auto-lock-delay");
  gtk_window_destroy (GTK_WINDOW (window));
  teren_gui_test_assert_finalize (window);
}

/* Every accelerator the application sets is listed in the shortcuts window. */
static void
test_shortcuts_listed (void)
{
  static const char *accels[] = {
    "&lt;Control&gt;f", "&lt;Control&gt;n", "&lt;Control&gt;&lt;Shift&gt;n",
    "&lt;Control&gt;&lt;Alt&gt;n", "&lt;Control&gt;r", "&lt;Control&gt;l", "&lt;Control&gt;comma",
    "&lt;Control&gt;question", "&lt;Control&gt;q", "&lt;Control&gt;e", "&lt;Control&gt;s",
    "&lt;Control&gt;p", "&lt;Control&gt;w", "&lt;Alt&gt;Left", "Escape",
  };
  g_autoptr(GBytes) overlay = g_resources_lookup_data ("/ro/daps/Teren/gtk/help-overlay.ui", 0, NULL);
  const char *text;
  gsize size = 0;
  guint i;

  g_assert_nonnull (overlay);
  text = g_bytes_get_data (overlay, &size);
  for (i = 0; i < G_N_ELEMENTS (accels); i++)
    {
      g_autofree char *needle = g_strdup_printf (">%s<", accels[i]);

      if (g_strstr_len (text, size, needle) == NULL)
        g_error ("%s is not in the shortcuts window", accels[i]);
    }
}

/* A person's record page offers Export Personal Data… (GDPR art. 15); a household's not. */
static gboolean
page_loaded (gpointer data)
{
  return teren_record_page_get_record (data) != NULL && !teren_record_page_get_loading (data);
}

static gboolean
more_button_visible (TerenRecordPage *page)
{
  GtkWidget *button = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page), TEREN_TYPE_RECORD_PAGE,
                                                                 "more_button"));

  g_assert_nonnull (button);
  return gtk_widget_get_visible (button);
}

static void
test_export_personal_data_offered (void)
{
  g_autoptr(TerenStore) store = teren_gui_test_store_new ();
  g_autoptr(JsonObject) household = json_object_new ();
  g_autoptr(TerenRecord) saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *person = save_person (store);
  TerenWindow *window = g_object_ref (teren_window_new (NULL, store));
  TerenRecordPage *page;

  json_object_set_string_member (household, "address", "Str. Lungă 1, Iași");
  saved = teren_store_save (store, "household", "", NULL, household, NULL, NULL, &error);
  g_assert_no_error (error);
  gtk_window_present (GTK_WINDOW (window));

  page = teren_window_open_record (window, person);
  teren_gui_test_wait_until (page_loaded, page, "the person's page");
  g_assert_true (more_button_visible (page));

  page = teren_window_open_record (window, teren_record_get_id (saved));
  teren_gui_test_wait_until (page_loaded, page, "the household's page");
  g_assert_false (more_button_visible (page));

  gtk_window_destroy (GTK_WINDOW (window));
  teren_gui_test_assert_finalize (window);
}

/* GTK's own file chooser (no portal in the tests) reads its settings schema. */
static gboolean have_file_chooser_schema;

static GtkWindow *
find_file_chooser (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint i;

  for (i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static gboolean
file_chooser_shown (gpointer data)
{
  return find_file_chooser () != NULL;
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

static gboolean
recent_names (gpointer data)
{
  g_autofree char *recent = g_build_filename (g_get_user_data_dir (), "recently-used.xbel", NULL);
  g_autofree char *contents = NULL;

  return g_file_get_contents (recent, &contents, NULL, NULL) && strstr (contents, data) != NULL;
}

static gboolean
window_shows (gpointer data)
{
  return any_window_shows (data);
}

/* The same with attached files (the choice is on by default), on the page of @person
 * already open: the file on this computer is saved in a private folder next to the PDF;
 * the one never downloaded is left out (a window without an account has no engine to
 * download it); the toast counts both. */
static void
export_personal_data_files (TerenStore      *store,
                            TerenRecordPage *page,
                            const char      *person,
                            const char      *dir)
{
  static const char pdf_bytes[] = "%PDF-1.4\n% consent\n%%EOF\n";
  g_autofree char *path = g_build_filename (dir, "ana2.pdf", NULL);
  g_autofree char *folder = g_build_filename (dir, "ana2 – attached files", NULL);
  g_autofree char *file = g_build_filename (folder, "Consimțământ.pdf", NULL);
  g_autofree char *cwd = g_get_current_dir ();
  g_autofree char *contents = NULL;
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  g_autofree char *missing_blob = g_strconcat ("sha256:", "0123456789abcdef0123456789abcdef"
                                                          "0123456789abcdef0123456789abcdef", NULL);
  g_autoptr(GBytes) bytes = g_bytes_new_static (pdf_bytes, sizeof pdf_bytes - 1);
  g_autoptr(JsonObject) visit = json_object_new ();
  g_autoptr(TerenRecord) saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) listing = NULL;
  JsonArray *attachments = json_array_new ();
  JsonObject *here;
  GtkWindow *chooser;
  GStatBuf info;
  gsize length = 0;

  here = teren_store_import_blob_bytes (store, bytes, "Consimțământ.pdf", &error);
  g_assert_no_error (error);
  json_array_add_object_element (attachments, here);
  json_array_add_object_element (attachments, teren_attachment_new (missing_blob, 1000, "application/pdf",
                                                                    "Not here.pdf"));
  json_object_set_string_member (visit, "person", person);
  json_object_set_string_member (visit, "date", "2025-02-01");
  json_object_set_string_member (visit, "status", "done");
  json_object_set_array_member (visit, "attachments", attachments);
  saved = teren_store_save (store, "visit", "elderly", NULL, visit, NULL, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpint (g_chdir (dir), ==, 0);
  gtk_widget_activate_action (GTK_WIDGET (page), "record.export-personal-data", NULL);
  teren_gui_test_wait_until (file_chooser_shown, NULL, "the file chooser");
  chooser = find_file_chooser ();
  g_assert_cmpstr (gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "attachments"), ==, "true");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "ana2.pdf");
  teren_gui_test_spin (500);
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  teren_gui_test_wait_until (window_shows,
                             (gpointer) "Personal data saved as PDF, with 1 attached file. "
                                        "1 file could not be included",
                             "the toast");
  g_assert_cmpint (g_chdir (cwd), ==, 0);

  g_assert_cmpint (g_stat (path, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);
  if (pdftotext != NULL)
    {
      /* The PDF says what became of each file. */
      const char *argv[] = { pdftotext, "-layout", path, "-", NULL };
      g_autofree char *text = NULL;
      int status = 0;

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &text, NULL,
                    &status, &error);
      g_assert_no_error (error);
      g_assert_nonnull (strstr (text, "Attached Files"));
      g_assert_nonnull (strstr (text, "saved as “Consimțământ.pdf”"));
      g_assert_nonnull (strstr (text, "not included"));
    }
  g_assert_cmpint (g_lstat (folder, &info), ==, 0);
  g_assert_true (S_ISDIR (info.st_mode));
  g_assert_cmpint (info.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_lstat (file, &info), ==, 0);
  g_assert_true (S_ISREG (info.st_mode));
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);
  g_file_get_contents (file, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (contents, length, pdf_bytes, sizeof pdf_bytes - 1);
  /* Only that one. */
  listing = g_dir_open (folder, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_dir_read_name (listing), ==, "Consimțământ.pdf");
  g_assert_null (g_dir_read_name (listing));

  g_remove (file);
  g_rmdir (folder);
  g_remove (path);
}

/* The whole path: Export Personal Data… asks where (GTK's chooser without a portal), the
 * document is written there, private to the user, with the person's data. */
static void
test_export_personal_data_pdf (void)
{
  g_autoptr(TerenStore) store = teren_gui_test_store_new ();
  g_autofree char *person = save_person (store);
  g_autofree char *dir = g_dir_make_tmp ("teren-sar-gui-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "ana.pdf", NULL);
  g_autofree char *folder = g_build_filename (dir, "ana – attached files", NULL);
  g_autofree char *cwd = g_get_current_dir ();
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  TerenWindow *window;
  TerenRecordPage *page;
  GtkWindow *chooser;
  GStatBuf info;

  if (!have_file_chooser_schema)
    {
      g_test_skip ("GTK's file chooser schema is not installed");
      return;
    }
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  window = g_object_ref (teren_window_new (NULL, store));
  gtk_window_present (GTK_WINDOW (window));
  page = teren_window_open_record (window, person);
  teren_gui_test_wait_until (page_loaded, page, "the person's page");

  /* The chooser opens in the current folder: the test's own. */
  g_assert_cmpint (g_chdir (dir), ==, 0);
  gtk_widget_activate_action (GTK_WIDGET (page), "record.export-personal-data", NULL);
  teren_gui_test_wait_until (file_chooser_shown, NULL, "the file chooser");
  chooser = find_file_chooser ();
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "ana.pdf");
  /* The chooser ignores Save until it has loaded its folder: let it. */
  teren_gui_test_spin (500);
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  teren_gui_test_wait_until (file_exists, path, "the PDF");
  g_assert_cmpint (g_chdir (cwd), ==, 0);

  g_assert_cmpint (g_stat (path, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);
  /* No attached file: no folder for them. */
  g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));
  if (pdftotext != NULL)
    {
      const char *argv[] = { pdftotext, "-layout", path, "-", NULL };
      g_autofree char *text = NULL;
      g_autoptr(GError) error = NULL;
      int status = 0;

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &text, NULL,
                    &status, &error);
      g_assert_no_error (error);
      g_assert_nonnull (strstr (text, "Personal Data Held About a Person"));
      g_assert_nonnull (strstr (text, "Identity"));
      g_assert_nonnull (strstr (text, LAST_NAME));
    }

  /* Again, with attached files. */
  export_personal_data_files (store, page, person, dir);

  gtk_window_destroy (GTK_WINDOW (window));
  teren_gui_test_assert_finalize (window);
  /* GTK writes the chooser's recent files a moment later, into this test's folders. */
  teren_gui_test_wait_until (recent_names, (gpointer) "ana.pdf", "the recent files saved");
  g_remove (path);
  g_rmdir (dir);
}

/* Each program registers its group's tests; all are compiled in each. */
typedef void (*TestFunc) (void);
G_GNUC_UNUSED static const TestFunc all_tests[] = {
  (TestFunc) test_lock_and_unlock, (TestFunc) test_offline_without_verifier,
  (TestFunc) test_too_many_failures, (TestFunc) test_dialogs_hidden,
  (TestFunc) test_locks_after_delay, (TestFunc) test_login_window_saves_verifier,
  test_no_account_no_lock, test_verifier, test_pbkdf2_vectors, test_preferences_rows,
  test_shortcuts_listed, test_export_personal_data_offered, test_export_personal_data_pdf,
};
G_GNUC_UNUSED static const GTestFixtureFunc all_fixtures[] = {
  (GTestFixtureFunc) fixture_set_up, (GTestFixtureFunc) fixture_tear_down,
};

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  have_file_chooser_schema = teren_gui_test_add_system_schemas ();
  teren_gui_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  /* Six programs (TEREN_LOCK_GROUP), each well under a minute with the sanitizers: every
   * test with the server starts it and signs in. */
#if TEREN_LOCK_GROUP == 1
  ADD ("/teren/gui/lock/lock-and-unlock", test_lock_and_unlock);
#elif TEREN_LOCK_GROUP == 6
  ADD ("/teren/gui/lock/offline-without-verifier", test_offline_without_verifier);
#elif TEREN_LOCK_GROUP == 2
  ADD ("/teren/gui/lock/too-many-failures", test_too_many_failures);
  ADD ("/teren/gui/lock/dialogs-hidden", test_dialogs_hidden);
#elif TEREN_LOCK_GROUP == 3
  ADD ("/teren/gui/lock/after-delay", test_locks_after_delay);
  ADD ("/teren/gui/lock/login-window-saves-verifier", test_login_window_saves_verifier);
#elif TEREN_LOCK_GROUP == 5
  g_test_add_func ("/teren/gui/record/export-personal-data-pdf", test_export_personal_data_pdf);
#else
  g_test_add_func ("/teren/gui/lock/no-account", test_no_account_no_lock);
  g_test_add_func ("/teren/gui/lock/verifier", test_verifier);
  g_test_add_func ("/teren/gui/lock/pbkdf2-vectors", test_pbkdf2_vectors);
  g_test_add_func ("/teren/gui/preferences/lock-and-ca-rows", test_preferences_rows);
  g_test_add_func ("/teren/gui/shortcuts/all-listed", test_shortcuts_listed);
  g_test_add_func ("/teren/gui/record/export-personal-data-offered", test_export_personal_data_offered);
#endif
#undef ADD

  return g_test_run ();
}
