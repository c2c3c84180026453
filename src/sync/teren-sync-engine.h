/* teren-sync-engine.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "teren-store.h"

G_BEGIN_DECLS

/* The client sync engine (SYNC.md, issue 4). One engine per account: it owns the
 * account's store (one database per server + account) and one SoupSession. Everything is
 * asynchronous on the caller's main context; store work runs on worker threads. No GTK.
 *
 * Typical GUI use:
 *   engine = teren_sync_engine_new ();
 *   teren_sync_engine_open_account_async (engine, NULL, server, user, …)   (known account)
 *     or teren_sync_engine_login_async (engine, server, user, password, NULL, …)
 *   teren_sync_engine_get_store (engine)      → the store the window shows
 *   teren_sync_engine_start (engine)          → automatic syncing (start, 3 s after a save,
 *                                               network back, every interval, sync_now)
 *   bind "state", "pending", "last-synced", "last-error", "progress" to the status widget
 *   teren_sync_engine_stop (engine)           → on quit: cancels, loses nothing
 */

#define TEREN_SYNC_ERROR (teren_sync_error_quark ())

typedef enum {
  TEREN_SYNC_ERROR_FAILED,
  TEREN_SYNC_ERROR_INSECURE_URL,        /* http:// to a host that is not loopback; bad URL */
  TEREN_SYNC_ERROR_TLS,                 /* certificate refused; message has its details */
  TEREN_SYNC_ERROR_NETWORK,             /* cannot reach the server (offline) */
  TEREN_SYNC_ERROR_TIMEOUT,
  TEREN_SYNC_ERROR_BAD_CREDENTIALS,     /* login: wrong user name or password */
  TEREN_SYNC_ERROR_UNAUTHORIZED,        /* 401: log in again; local data kept */
  TEREN_SYNC_ERROR_FORBIDDEN,
  TEREN_SYNC_ERROR_DEVICE_REVOKED,      /* 403 device_revoked: local data was wiped */
  TEREN_SYNC_ERROR_RATE_LIMITED,        /* 429; retry after the delay */
  TEREN_SYNC_ERROR_UNSUPPORTED_VERSION, /* push refused; operations stay pending */
  TEREN_SYNC_ERROR_SERVER,              /* 5xx or an error answer */
  TEREN_SYNC_ERROR_PROTOCOL,            /* malformed or truncated answer */
  TEREN_SYNC_ERROR_NOT_LOGGED_IN,       /* no token in the Secret Service */
  TEREN_SYNC_ERROR_BUSY,                /* a round is already running */
  TEREN_SYNC_ERROR_CANCELLED,
  TEREN_SYNC_ERROR_STORE,               /* the local store failed */
} TerenSyncError;

GQuark teren_sync_error_quark (void);

typedef enum {
  TEREN_SYNC_STATE_LOGGED_OUT,  /* no account open */
  TEREN_SYNC_STATE_OFFLINE,     /* server unreachable; retries by itself */
  TEREN_SYNC_STATE_IDLE,        /* last round succeeded (see "pending", "last-synced") */
  TEREN_SYNC_STATE_SYNCING,     /* a round is running (see "progress") */
  TEREN_SYNC_STATE_ERROR,       /* last round failed (see "last-error") */
} TerenSyncState;

#define TEREN_TYPE_SYNC_STATE (teren_sync_state_get_type ())
GType teren_sync_state_get_type (void);

/* What one round did. */
#define TEREN_TYPE_SYNC_SUMMARY (teren_sync_summary_get_type ())
typedef struct {
  guint    pushed;       /* operations sent and answered */
  guint    applied;
  guint    merged;
  guint    conflicts;
  guint    rejected;     /* newly quarantined */
  guint    duplicates;
  guint    pulled;       /* records applied from the server */
  guint    purged;
  guint    pages;
  guint    pending;      /* left in the op-log afterwards (quarantined and held included) */
  guint    quarantined;  /* in quarantine afterwards */
  guint    open_conflicts;
  gboolean revoked;      /* the device was revoked and the account's data wiped */
  guint    unsent;       /* revoked: operations that could not be sent before the wipe */
  gboolean digest_checked;           /* the integrity check ran (teren-sync-digest.h) */
  guint    digest_buckets_repaired;  /* buckets it repaired */
  guint    digest_records_repaired;  /* base records it wrote or removed */
  guint    blobs_uploaded;     /* attachments uploaded before the push (teren-sync-blobs.h) */
  guint    blobs_failed;       /* attachments that could not be uploaded: their operations wait */
  guint    blobs_prefetched;   /* small attachments downloaded after the pull */
  guint    missing_blobs;      /* operations the server left waiting for an attachment */
} TerenSyncSummary;

GType             teren_sync_summary_get_type (void);
TerenSyncSummary *teren_sync_summary_copy     (const TerenSyncSummary *summary);
void              teren_sync_summary_free     (TerenSyncSummary       *summary);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TerenSyncSummary, teren_sync_summary_free)

#define TEREN_TYPE_SYNC_ENGINE (teren_sync_engine_get_type ())
G_DECLARE_FINAL_TYPE (TerenSyncEngine, teren_sync_engine, TEREN, SYNC_ENGINE, GObject)

/* Properties (all notify on the main context):
 *   "store"         TerenStore*   the open account's store, NULL when logged out
 *   "server-url"    string        e.g. "https://teren.daps.ro" (normalised, no trailing /)
 *   "username"      string
 *   "display-name"  string        from login / me
 *   "state"         TerenSyncState
 *   "progress"      double        0..1 during a large pull, -1 when unknown / not pulling
 *   "pending"       uint          operations waiting to be sent ("n changes waiting")
 *   "quarantined"   uint
 *   "conflicts"     uint          open conflict items
 *   "last-synced"   GDateTime*    last successful round, NULL if never
 *   "last-error"    string        plain message (translated) of the last failure, or NULL
 *   "interval"      uint (rw)     seconds between automatic rounds (default 300; 0 = off)
 *   "save-delay"    uint (rw)     ms after the last save before a round (default 3000)
 *   "ca-file"       string (rw)   extra CA bundle for a municipal private CA, or NULL
 *   Test knobs (rw): "backoff-base", "backoff-max" (ms), "network-jitter" (ms),
 *   "request-timeout" (s), "pull-limit" (records per page, ≤ 2000).
 *
 * Signals:
 *   "round-finished" (TerenSyncSummary *summary, GError *error_or_null)
 *   "revoked" (guint unsent): the device was revoked; the account's data is wiped. */

TerenSyncEngine  *teren_sync_engine_new            (void);

/* Loopback (127.0.0.0/8, ::1, "localhost") may use http://; anything else needs https://.
 * Returns the normalised URL (no trailing slash, no path/query) or NULL with
 * TEREN_SYNC_ERROR_INSECURE_URL. */
char             *teren_sync_normalize_url         (const char   *server_url,
                                                    GError      **error);

/* The account key used for the default store folder: "<host>[_<port>]-<user>", safe as a
 * folder name. */
char             *teren_sync_account_key           (const char   *server_url,
                                                    const char   *username);

/**
 * teren_sync_engine_login_async:
 * @data_dir: (nullable): the store folder; NULL = teren_store_default_dir (account key)
 *
 * POST /login (device id of the store), token into the Secret Service (schema
 * ro.daps.Teren.Token, attributes server + user; the password is never stored), opens the
 * account's store and remembers server + user in it. Errors: INSECURE_URL, TLS (with the
 * certificate's subject, issuer and SHA-256 fingerprint), NETWORK, BAD_CREDENTIALS,
 * RATE_LIMITED, STORE.
 */
void              teren_sync_engine_login_async    (TerenSyncEngine     *self,
                                                    const char          *server_url,
                                                    const char          *username,
                                                    const char          *password,
                                                    const char          *data_dir,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean          teren_sync_engine_login_finish   (TerenSyncEngine     *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

/**
 * teren_sync_engine_open_account_async:
 * @data_dir: (nullable): the store folder; NULL = the default for server + user
 * @server_url: (nullable): NULL = read from the store in @data_dir
 * @username: (nullable): idem
 *
 * Opens an account logged in before: the store, and the token from the Secret Service. No
 * network. Without a token it still opens the store (state LOGGED_OUT stays, rounds fail
 * with NOT_LOGGED_IN) so that unsynced work stays visible.
 */
void              teren_sync_engine_open_account_async  (TerenSyncEngine     *self,
                                                         const char          *data_dir,
                                                         const char          *server_url,
                                                         const char          *username,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
gboolean          teren_sync_engine_open_account_finish (TerenSyncEngine     *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

/* POST /logout (best effort), deletes the token from the Secret Service, stops syncing.
 * The store and its unsynced operations are kept; the result is how many are waiting
 * (the GUI says so). */
void              teren_sync_engine_logout_async   (TerenSyncEngine     *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean          teren_sync_engine_logout_finish  (TerenSyncEngine     *self,
                                                    GAsyncResult        *result,
                                                    guint               *out_unsynced,
                                                    GError             **error);

/* Checks @password for the open account (POST /login from this device, then the token it
 * gave is closed again: the engine's own sign-in is unchanged). Errors: BAD_CREDENTIALS
 * (wrong password), RATE_LIMITED, NOT_LOGGED_IN (no account), and the transport errors
 * (NETWORK, TIMEOUT, TLS, SERVER) when the server cannot answer. Used by the lock screen. */
void              teren_sync_engine_verify_password_async  (TerenSyncEngine     *self,
                                                            const char          *password,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
gboolean          teren_sync_engine_verify_password_finish (TerenSyncEngine     *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);

/* GET /me. (transfer full) the account object {username, display_name, roles, lines} */
void              teren_sync_engine_me_async       (TerenSyncEngine     *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
JsonObject       *teren_sync_engine_me_finish      (TerenSyncEngine     *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

/* One full round now: push until only quarantined/held operations remain, then pull until
 * `more` is false. BUSY if a round is running (use sync_now to queue one). */
void              teren_sync_engine_sync_async     (TerenSyncEngine     *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
TerenSyncSummary *teren_sync_engine_sync_finish    (TerenSyncEngine     *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

/* Automatic syncing on/off. start: a round now, then on saves, network changes, the
 * interval and sync_now, with backoff (5 s doubling to 15 min, full jitter; Retry-After
 * wins). stop: cancels the running round (what was committed stays committed; an
 * unanswered batch is simply sent again later) and the timers. */
void              teren_sync_engine_start          (TerenSyncEngine     *self);
void              teren_sync_engine_stop           (TerenSyncEngine     *self);
/* "Sync now" (Ctrl+R): always tries, ignoring the backoff; queued if a round runs. */
void              teren_sync_engine_sync_now       (TerenSyncEngine     *self);

TerenStore       *teren_sync_engine_get_store      (TerenSyncEngine     *self);
const char       *teren_sync_engine_get_server_url (TerenSyncEngine     *self);
const char       *teren_sync_engine_get_username   (TerenSyncEngine     *self);
TerenSyncState    teren_sync_engine_get_state      (TerenSyncEngine     *self);
double            teren_sync_engine_get_progress   (TerenSyncEngine     *self);
guint             teren_sync_engine_get_pending    (TerenSyncEngine     *self);
GDateTime        *teren_sync_engine_get_last_synced (TerenSyncEngine    *self);
const char       *teren_sync_engine_get_last_error (TerenSyncEngine     *self);
void              teren_sync_engine_set_interval   (TerenSyncEngine     *self,
                                                    guint                seconds);

G_END_DECLS
