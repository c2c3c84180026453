/* teren-sync-engine.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "teren-crashpoint.h"
#include "teren-error.h"
#include "teren-json.h"
#include "teren-schema.h"
#include "teren-store-nomenclature.h"
#include "teren-store-sync.h"
#include "teren-sync-blobs.h"
#include "teren-sync-digest.h"
#include "teren-sync-epoch.h"
#include "teren-sync-engine.h"
#include "teren-sync-engine-private.h"
#include "teren-sync-secret.h"

/* The client sync engine (SYNC.md "Push", "Pull", "Scheduling", "Transport").
 *
 * A round is a chain of callbacks on the main context: take a batch (worker thread) →
 * POST /push → apply the answer (worker thread) → … until the op-log has nothing left to
 * send, then GET /pull → parse and apply the page with its cursor (worker thread) → …
 * until `more` is false. The main loop only ever waits for I/O. Cancelling a round stops
 * between steps: what was committed stays, an unanswered batch is sent again later with
 * the same change ids (the server answers `duplicate`). Logs: ids and counts only. */

#define PUSH_BATCH          500
#define PULL_LIMIT          2000
#define REQUEST_TIMEOUT_S   60
#define BACKOFF_BASE_MS     5000
#define BACKOFF_MAX_MS      (15 * 60 * 1000)
#define NETWORK_JITTER_MS   10000
#define MAX_PULL_PAGES      100000
/* A longer Retry-After is taken as this (an hour): a server's mistake must not silence a
 * laptop for days, and seconds times G_USEC_PER_SEC must not overflow. */
#define RETRY_AFTER_MAX_S   3600

G_DEFINE_QUARK (teren-sync-error-quark, teren_sync_error)

GType
teren_sync_state_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { TEREN_SYNC_STATE_LOGGED_OUT, "TEREN_SYNC_STATE_LOGGED_OUT", "logged-out" },
        { TEREN_SYNC_STATE_OFFLINE, "TEREN_SYNC_STATE_OFFLINE", "offline" },
        { TEREN_SYNC_STATE_IDLE, "TEREN_SYNC_STATE_IDLE", "idle" },
        { TEREN_SYNC_STATE_SYNCING, "TEREN_SYNC_STATE_SYNCING", "syncing" },
        { TEREN_SYNC_STATE_ERROR, "TEREN_SYNC_STATE_ERROR", "error" },
        { 0, NULL, NULL },
      };
      GType type = g_enum_register_static (g_intern_static_string ("TerenSyncState"), values);

      g_once_init_leave (&type_id, type);
    }
  return type_id;
}

TerenSyncSummary *
teren_sync_summary_copy (const TerenSyncSummary *summary)
{
  return g_memdup2 (summary, sizeof *summary);
}

void
teren_sync_summary_free (TerenSyncSummary *summary)
{
  g_free (summary);
}

G_DEFINE_BOXED_TYPE (TerenSyncSummary, teren_sync_summary, teren_sync_summary_copy,
                     teren_sync_summary_free)

struct _TerenSyncEngine
{
  GObject          parent_instance;

  TerenStore      *store;
  char            *data_dir;
  char            *server_url;
  char            *username;
  char            *display_name;
  char            *token;
  SoupSession     *session;

  TerenSyncState   state;
  double           progress;
  guint            pending;
  guint            quarantined;
  guint            conflicts;
  GDateTime       *last_synced;
  char            *last_error;

  guint            interval;        /* s */
  guint            save_delay;      /* ms */
  guint            backoff_base;    /* ms */
  guint            backoff_max;     /* ms */
  guint            network_jitter;  /* ms */
  guint            request_timeout; /* s */
  guint            pull_limit;      /* records per page asked for */
  char            *ca_file;

  gboolean         started;
  gboolean         running;
  gboolean         queued;
  gboolean         queued_now;      /* the queued round is a Sync now */
  GCancellable    *round_cancellable;
  GCancellable    *caller_cancellable;  /* the caller's, linked to round_cancellable */
  gulong           caller_handler;
  guint            timer_id;
  guint            backoff_attempt;
  gint64           not_before;      /* monotonic µs: Retry-After */

  GNetworkMonitor *monitor;
  gulong           network_handler;
  gulong           oplog_handler;
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_SERVER_URL,
  PROP_USERNAME,
  PROP_DISPLAY_NAME,
  PROP_STATE,
  PROP_PROGRESS,
  PROP_PENDING,
  PROP_QUARANTINED,
  PROP_CONFLICTS,
  PROP_LAST_SYNCED,
  PROP_LAST_ERROR,
  PROP_INTERVAL,
  PROP_SAVE_DELAY,
  PROP_CA_FILE,
  PROP_BACKOFF_BASE,
  PROP_BACKOFF_MAX,
  PROP_NETWORK_JITTER,
  PROP_REQUEST_TIMEOUT,
  PROP_PULL_LIMIT,
  N_PROPS
};

enum {
  SIGNAL_ROUND_FINISHED,
  SIGNAL_REVOKED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TerenSyncEngine, teren_sync_engine, G_TYPE_OBJECT)

static void schedule_round (TerenSyncEngine *self,
                            guint            delay_ms);
static void refresh_counts (TerenSyncEngine *self);

/* ---- URLs and account keys --------------------------------------------------------- */

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

char *
teren_sync_normalize_url (const char  *server_url,
                          GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *trimmed = NULL;
  const char *scheme;
  const char *host;
  const char *path;

  if (server_url == NULL || server_url[0] == '\0')
    {
      g_set_error_literal (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_INSECURE_URL,
                           _("Enter the server’s address"));
      return NULL;
    }
  trimmed = g_strstrip (g_strdup (server_url));
  uri = g_uri_parse (trimmed, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    {
      g_set_error (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_INSECURE_URL,
                   _("“%s” is not a server address; it should look like https://teren.example.ro"),
                   trimmed);
      return NULL;
    }
  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  path = g_uri_get_path (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
    {
      g_set_error (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_INSECURE_URL,
                   _("“%s” is not a server address; it should start with https://"), trimmed);
      return NULL;
    }
  if (g_ascii_strcasecmp (scheme, "http") == 0 && !host_is_loopback (host))
    {
      g_set_error_literal (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_INSECURE_URL,
                           _("The connection to this server would not be encrypted; use an "
                             "address that starts with https://"));
      return NULL;
    }
  if (g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL ||
      g_uri_get_fragment (uri) != NULL || (path[0] != '\0' && strcmp (path, "/") != 0))
    {
      g_set_error (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_INSECURE_URL,
                   _("“%s” is not a server address; give only the server, like "
                     "https://teren.example.ro"), trimmed);
      return NULL;
    }

  {
    g_autofree char *lower_scheme = g_ascii_strdown (scheme, -1);
    g_autofree char *lower_host = g_ascii_strdown (host, -1);
    gboolean v6 = strchr (lower_host, ':') != NULL;

    if (g_uri_get_port (uri) > 0)
      return g_strdup_printf ("%s://%s%s%s:%d", lower_scheme, v6 ? "[" : "", lower_host,
                              v6 ? "]" : "", g_uri_get_port (uri));
    return g_strdup_printf ("%s://%s%s%s", lower_scheme, v6 ? "[" : "", lower_host, v6 ? "]" : "");
  }
}

char *
teren_sync_account_key (const char *server_url,
                        const char *username)
{
  g_autoptr(GUri) uri = g_uri_parse (server_url, G_URI_FLAGS_NONE, NULL);
  GString *key = g_string_new (NULL);
  const char *p;

  if (uri != NULL && g_uri_get_host (uri) != NULL)
    {
      g_string_append (key, g_uri_get_host (uri));
      if (g_uri_get_port (uri) > 0)
        g_string_append_printf (key, "_%d", g_uri_get_port (uri));
    }
  else
    g_string_append (key, "server");
  g_string_append_c (key, '-');
  g_string_append (key, username != NULL ? username : "");

  /* Safe as one folder name. */
  for (p = key->str; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      key->str[p - key->str] = '_';
  if (key->str[0] == '.')
    key->str[0] = '_';
  return g_string_free (key, FALSE);
}

/* ---- Properties -------------------------------------------------------------------- */

static void
set_state (TerenSyncEngine *self,
           TerenSyncState   state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_progress (TerenSyncEngine *self,
              double           progress)
{
  if (self->progress == progress)
    return;
  self->progress = progress;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
}

static void
set_last_error (TerenSyncEngine *self,
                const char      *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;
  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static void
set_uint_prop (TerenSyncEngine *self,
               guint           *field,
               guint            value,
               guint            prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_string_prop (TerenSyncEngine  *self,
                 char            **field,
                 const char       *value,
                 guint             prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_last_synced_iso (TerenSyncEngine *self,
                     const char      *iso)
{
  g_autoptr(GDateTime) when = iso != NULL ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;

  if (when == NULL && self->last_synced == NULL)
    return;
  if (when != NULL && self->last_synced != NULL && g_date_time_equal (when, self->last_synced))
    return;
  g_clear_pointer (&self->last_synced, g_date_time_unref);
  self->last_synced = g_steal_pointer (&when);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNCED]);
}

/* ---- Errors ------------------------------------------------------------------------ */

static char *
certificate_details (GTlsCertificate      *certificate,
                     GTlsCertificateFlags  flags)
{
  g_autofree char *subject = NULL;
  g_autofree char *issuer = NULL;
  g_autoptr(GByteArray) der = NULL;
  g_autofree char *fingerprint = NULL;
  GString *reasons = g_string_new (NULL);

  if (certificate != NULL)
    {
      g_object_get (certificate, "subject-name", &subject, "issuer-name", &issuer,
                    "certificate", &der, NULL);
      if (der != NULL)
        {
          g_autofree char *hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
          GString *pretty = g_string_new (NULL);
          gsize i;

          for (i = 0; hex[i] != '\0'; i += 2)
            g_string_append_printf (pretty, "%s%c%c", i > 0 ? ":" : "",
                                    g_ascii_toupper (hex[i]), g_ascii_toupper (hex[i + 1]));
          fingerprint = g_string_free (pretty, FALSE);
        }
    }

  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    g_string_append_printf (reasons, "%s%s", reasons->len ? "; " : "",
                            _("it is not signed by a known authority"));
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    g_string_append_printf (reasons, "%s%s", reasons->len ? "; " : "",
                            _("it was issued for another server name"));
  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    g_string_append_printf (reasons, "%s%s", reasons->len ? "; " : "",
                            _("it is not valid yet"));
  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    g_string_append_printf (reasons, "%s%s", reasons->len ? "; " : "", _("it has expired"));
  if (flags & G_TLS_CERTIFICATE_REVOKED)
    g_string_append_printf (reasons, "%s%s", reasons->len ? "; " : "", _("it was revoked"));
  if (flags & G_TLS_CERTIFICATE_INSECURE)
    g_string_append_printf (reasons, "%s%s", reasons->len ? "; " : "",
                            _("it uses an insecure algorithm"));
  if (reasons->len == 0)
    g_string_append (reasons, _("it could not be verified"));

  {
    char *text = g_strdup_printf (_("The server’s certificate was refused: %s. "
                                    "Subject: %s. Issuer: %s. SHA-256 fingerprint: %s. "
                                    "Ask the directorate’s IT person before going on."),
                                  reasons->str,
                                  subject != NULL ? subject : "?",
                                  issuer != NULL ? issuer : "?",
                                  fingerprint != NULL ? fingerprint : "?");
    g_string_free (reasons, TRUE);
    return text;
  }
}

/* A transport error in plain words. */
static GError *
map_transport_error (GError               *error,
                     gboolean              timed_out,
                     GTlsCertificate      *certificate,
                     GTlsCertificateFlags  flags)
{
  if (timed_out)
    return g_error_new_literal (TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_TIMEOUT,
                                _("The server did not answer in time. Your changes are kept "
                                  "and will be sent later."));
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_new_literal (TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_CANCELLED, _("Cancelled"));
  if (error->domain == G_TLS_ERROR || certificate != NULL)
    {
      if (certificate != NULL || g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
        {
          g_autofree char *details = certificate_details (certificate, flags);

          return g_error_new_literal (TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_TLS, details);
        }
      return g_error_new (TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_TLS,
                          _("A secure connection to the server could not be made (%s)"),
                          error->message);
    }
  return g_error_new_literal (TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_NETWORK,
                              _("The server cannot be reached. Your changes are kept and will "
                                "be sent when it can be reached."));
}

static GError *
map_http_error (guint        status,
                JsonObject  *body)
{
  const char *code = body != NULL ? teren_json_get_string (body, "error", "") : "";

  if (status == 401)
    return g_error_new_literal (TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_UNAUTHORIZED,
                                _("Your sign-in has expired. Sign in again; nothing on this "
                                  "computer was lost."));
  if (status == 403 && g_strcmp0 (code, "device_revoked") == 0)
    return g_error_new_literal (TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_DEVICE_REVOKED,
                                _("This computer’s access was revoked by the directorate."));
  if (status == 403)
    return g_error_new_literal (TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_FORBIDDEN,
                                _("Your account is not allowed to do this."));
  if (status == 429)
    return g_error_new_literal (TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_RATE_LIMITED,
                                _("Too many attempts; Teren will try again a bit later."));
  if (g_strcmp0 (code, "unsupported_version") == 0)
    return g_error_new_literal (TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_UNSUPPORTED_VERSION,
                                _("The server runs an older version of Teren. Your changes are "
                                  "kept until it is updated."));
  if (status >= 500)
    return g_error_new_literal (TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_SERVER,
                                _("The server has a problem right now; Teren will try again."));
  return g_error_new_literal (TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_PROTOCOL,
                              _("The server refused the request; Teren will try again."));
}

/* ---- HTTP ---------------------------------------------------------------------------- */

typedef struct {
  SoupMessage          *msg;
  GCancellable         *cancellable;   /* this request's own */
  GCancellable         *parent;
  gulong                parent_handler;
  guint                 timeout_id;
  gboolean              timed_out;
  GTlsCertificate      *peer_certificate;
  GTlsCertificateFlags  peer_errors;
  gint64                retry_after;   /* s, from a 429/503 */
  guint                 status;
  char                 *error_code;    /* the answer's "error" member */
  gint64                upload_offset; /* Teren-Upload-Offset of the answer, or -1 */
} Request;

static void
request_free (Request *request)
{
  if (request->parent_handler != 0)
    g_cancellable_disconnect (request->parent, request->parent_handler);
  g_clear_object (&request->parent);
  if (request->timeout_id != 0)
    g_source_remove (request->timeout_id);
  g_clear_object (&request->msg);
  g_clear_object (&request->cancellable);
  g_clear_object (&request->peer_certificate);
  g_free (request->error_code);
  g_free (request);
}

static gboolean
request_timeout_cb (gpointer user_data)
{
  Request *request = user_data;

  request->timeout_id = 0;
  request->timed_out = TRUE;
  g_cancellable_cancel (request->cancellable);
  return G_SOURCE_REMOVE;
}

static void
parent_cancelled_cb (GCancellable *parent,
                     gpointer      user_data)
{
  GCancellable *own = user_data;

  g_cancellable_cancel (own);
}

static gboolean
accept_certificate_cb (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);
  TerenSyncEngine *self = g_task_get_source_object (task);

  g_set_object (&request->peer_certificate, certificate);
  request->peer_errors = errors;

  /* A municipal private CA: accepted only if the certificate verifies against it and
   * nothing else is wrong (the name must match). */
  if (self->ca_file != NULL && errors == G_TLS_CERTIFICATE_UNKNOWN_CA)
    {
      g_autoptr(GTlsCertificate) ca = g_tls_certificate_new_from_file (self->ca_file, NULL);
      GUri *uri = soup_message_get_uri (msg);
      g_autoptr(GSocketConnectable) identity = g_network_address_new (g_uri_get_host (uri),
                                                                      g_uri_get_port (uri));

      G_GNUC_BEGIN_IGNORE_DEPRECATIONS
      if (ca != NULL && g_tls_certificate_verify (certificate, identity, ca) == 0)
        return TRUE;
      G_GNUC_END_IGNORE_DEPRECATIONS
    }
  return FALSE;
}

/* The seconds to wait from a Retry-After header (RFC 9110 §10.2.3): delay-seconds, or an
 * HTTP-date counted from the answer's own Date header when it has one, so that a laptop
 * whose clock is wrong (SYNC-NOTES S16) still waits what the server meant; capped at
 * RETRY_AFTER_MAX_S. -1 when absent or not understood: the backoff alone decides. */
static gint64
parse_retry_after (SoupMessageHeaders *headers)
{
  const char *value = soup_message_headers_get_one (headers, "Retry-After");
  g_autofree char *text = NULL;
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) reference = NULL;
  guint64 seconds = 0;
  GTimeSpan span;

  if (value == NULL)
    return -1;
  text = g_strstrip (g_strdup (value));
  if (g_ascii_isdigit (text[0]))
    {
      /* delay-seconds: digits only; more of them than 64 bits hold is as long as allowed */
      if (text[strspn (text, "0123456789")] != '\0')
        return -1;
      if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, &seconds, NULL))
        return RETRY_AFTER_MAX_S;
      return (gint64) MIN (seconds, (guint64) RETRY_AFTER_MAX_S);
    }

  when = soup_date_time_new_from_http_string (text);
  if (when == NULL)
    return -1;
  {
    const char *date = soup_message_headers_get_one (headers, "Date");

    if (date != NULL)
      reference = soup_date_time_new_from_http_string (date);
  }
  if (reference == NULL)
    reference = g_date_time_new_now_utc ();
  span = g_date_time_difference (when, reference);
  if (span <= 0)
    return 0;
  return MIN ((span + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC, (GTimeSpan) RETRY_AFTER_MAX_S);
}

static void
request_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  guint status;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (request->timeout_id != 0)
    {
      g_source_remove (request->timeout_id);
      request->timeout_id = 0;
    }

  if (bytes == NULL)
    {
      gboolean cancelled_by_parent = request->parent != NULL &&
                                     g_cancellable_is_cancelled (request->parent);

      g_task_return_error (task, map_transport_error (error,
                                                      request->timed_out && !cancelled_by_parent,
                                                      request->peer_certificate,
                                                      request->peer_errors));
      return;
    }

  status = soup_message_get_status (request->msg);
  request->status = status;
  {
    const char *offset = soup_message_headers_get_one (soup_message_get_response_headers (request->msg),
                                                       "Teren-Upload-Offset");
    guint64 value = 0;

    if (offset != NULL && g_ascii_string_to_unsigned (offset, 10, 0, G_MAXINT64, &value, NULL))
      request->upload_offset = (gint64) value;
  }
  if (status < 200 || status >= 300)
    {
      g_autoptr(JsonObject) body = NULL;
      gsize size = 0;
      const char *data = g_bytes_get_data (bytes, &size);

      if (size > 0 && size < 64 * 1024)
        body = teren_json_parse_object (data, size, TEREN_JSON_MAX_DEPTH, NULL);
      request->retry_after = parse_retry_after (soup_message_get_response_headers (request->msg));
      if (body != NULL)
        request->error_code = g_strdup (teren_json_get_string (body, "error", NULL));
      g_debug ("HTTP %u (%s)", status, body != NULL ? teren_json_get_string (body, "error", "") : "");
      g_task_return_error (task, map_http_error (status, body));
      return;
    }

  g_task_return_pointer (task, g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
}

/* Fault tests (SYNC-NOTES.md §4.2): the whole push went out, its answer not read yet.
 * The server may apply the batch or not; the retry must tell. */
#if TEREN_CRASHPOINTS
static void
push_body_written_cb (SoupMessage *msg,
                      gpointer     user_data)
{
  teren_crashpoint ("push_after_send");
}
#endif

/* Bytes per second assumed for a streamed body's deadline (request_any_async). */
#define STREAM_MIN_RATE (32 * 1024)

/* @body (nullable) is sent as JSON, or @gzipped_body with Content-Encoding: gzip, or
 * @stream (@stream_length bytes of @content_type, with @content_range if not NULL).
 * Returns the body bytes of a 2xx answer. */
static void ensure_session (TerenSyncEngine *self);

static void
request_any_async (TerenSyncEngine     *self,
                   const char          *method,
                   const char          *path_and_query,
                   const char          *body,
                   GBytes              *gzipped_body,
                   GInputStream        *stream,
                   goffset              stream_length,
                   const char          *content_type,
                   const char          *content_range,
                   gboolean             idempotent,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  GTask *task = g_task_new (self, NULL, callback, user_data);
  Request *request = g_new0 (Request, 1);
  g_autofree char *url = g_strconcat (self->server_url, "/api/v1", path_and_query, NULL);
  SoupMessageHeaders *headers;

  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  request->upload_offset = -1;
  request->msg = soup_message_new (method, url);
  if (request->msg == NULL)
    {
      g_task_return_new_error (task, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_INSECURE_URL,
                               _("The server address is not valid"));
      g_object_unref (task);
      return;
    }
  headers = soup_message_get_request_headers (request->msg);
  soup_message_headers_replace (headers, "Teren-Protocol", "1");
  {
    g_autofree char *schema = g_strdup_printf ("%d", TEREN_SCHEMA_VERSION);

    soup_message_headers_replace (headers, "Teren-Schema", schema);
  }
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (self->token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", self->token, NULL);

      soup_message_headers_replace (headers, "Authorization", auth);
    }
  if (gzipped_body != NULL)
    {
      soup_message_headers_replace (headers, "Content-Encoding", "gzip");
      soup_message_set_request_body_from_bytes (request->msg, "application/json", gzipped_body);
    }
  else if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (request->msg, "application/json", bytes);
    }
  else if (stream != NULL)
    soup_message_set_request_body (request->msg, content_type, stream, stream_length);
  if (content_range != NULL)
    {
      /* A piece the server refuses (not at its offset) is answered before its body goes. */
      soup_message_headers_replace (headers, "Content-Range", content_range);
      soup_message_headers_set_expectations (headers, SOUP_EXPECTATION_CONTINUE);
    }
  if (idempotent)
    soup_message_add_flags (request->msg, SOUP_MESSAGE_IDEMPOTENT);
#if TEREN_CRASHPOINTS
  if (strcmp (path_and_query, "/push") == 0)
    g_signal_connect (request->msg, "wrote-body", G_CALLBACK (push_body_written_cb), NULL);
#endif
  g_signal_connect_object (request->msg, "accept-certificate",
                           G_CALLBACK (accept_certificate_cb), task, 0);

  request->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      request->parent = g_object_ref (cancellable);
      request->parent_handler = g_cancellable_connect (cancellable, G_CALLBACK (parent_cancelled_cb),
                                                       request->cancellable, NULL);
    }
  request->timeout_id = g_timeout_add_seconds (self->request_timeout + (guint) (stream_length / STREAM_MIN_RATE),
                                               request_timeout_cb, request);

  /* An engine that only opened its account (teren-cli export fetching a blob) has not
   * made its session yet. */
  ensure_session (self);
  soup_session_send_and_read_async (self->session, request->msg, G_PRIORITY_DEFAULT,
                                    request->cancellable, request_done_cb, task);
}

static void
request_full_async (TerenSyncEngine     *self,
                    const char          *method,
                    const char          *path_and_query,
                    const char          *body,
                    GBytes              *gzipped_body,
                    gboolean             idempotent,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  request_any_async (self, method, path_and_query, body, gzipped_body, NULL, 0, NULL, NULL,
                     idempotent, cancellable, callback, user_data);
}

static void
request_async (TerenSyncEngine     *self,
               const char          *method,
               const char          *path_and_query,
               const char          *body,
               gboolean             idempotent,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  request_full_async (self, method, path_and_query, body, NULL, idempotent, cancellable,
                      callback, user_data);
}

static GBytes *
request_finish (TerenSyncEngine  *self,
                GAsyncResult     *result,
                gint64           *out_retry_after,
                char            **out_error_code,
                GError          **error)
{
  Request *request = g_task_get_task_data (G_TASK (result));

  if (out_retry_after != NULL)
    *out_retry_after = request->retry_after;
  if (out_error_code != NULL)
    *out_error_code = g_strdup (request->error_code);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* For the engine's modules (teren-sync-engine-private.h). */
void
teren_sync_engine_request_async (TerenSyncEngine     *self,
                                 const char          *method,
                                 const char          *path_and_query,
                                 const char          *body,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  request_async (self, method, path_and_query, body, TRUE, cancellable, callback, user_data);
}

GBytes *
teren_sync_engine_request_finish (TerenSyncEngine  *self,
                                  GAsyncResult     *result,
                                  GError          **error)
{
  return request_finish (self, result, NULL, NULL, error);
}

void
teren_sync_engine_request_stream_async (TerenSyncEngine     *self,
                                        const char          *method,
                                        const char          *path_and_query,
                                        GInputStream        *body,
                                        goffset              length,
                                        const char          *content_type,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  request_any_async (self, method, path_and_query, NULL, NULL, body, length, content_type,
                     NULL, TRUE, cancellable, callback, user_data);
}

void
teren_sync_engine_request_piece_async (TerenSyncEngine     *self,
                                       const char          *method,
                                       const char          *path_and_query,
                                       GBytes              *body,
                                       const char          *content_range,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GInputStream) stream = body != NULL ? g_memory_input_stream_new_from_bytes (body) : NULL;

  request_any_async (self, method, path_and_query, NULL, NULL, stream, body != NULL ? (goffset) g_bytes_get_size (body) : 0,
                     body != NULL ? "application/octet-stream" : NULL, content_range, TRUE, cancellable, callback,
                     user_data);
}

GBytes *
teren_sync_engine_request_piece_finish (TerenSyncEngine  *self,
                                        GAsyncResult     *result,
                                        guint            *out_status,
                                        gint64           *out_upload_offset,
                                        GError          **error)
{
  Request *request = g_task_get_task_data (G_TASK (result));

  if (out_upload_offset != NULL)
    *out_upload_offset = request->upload_offset;
  return teren_sync_engine_request_stream_finish (self, result, out_status, error);
}

GBytes *
teren_sync_engine_request_stream_finish (TerenSyncEngine  *self,
                                         GAsyncResult     *result,
                                         guint            *out_status,
                                         GError          **error)
{
  Request *request = g_task_get_task_data (G_TASK (result));

  if (out_status != NULL)
    *out_status = request->status;
  return request_finish (self, result, NULL, NULL, error);
}

static JsonObject *
parse_small_body (GBytes  *bytes,
                  GError **error)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);
  g_autoptr(GError) local_error = NULL;
  JsonObject *object = teren_json_parse_object (data, size, TEREN_JSON_MAX_DEPTH, &local_error);

  if (object == NULL)
    g_set_error_literal (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_PROTOCOL,
                         _("The server’s answer was incomplete or not understood; Teren will "
                           "try again."));
  return object;
}

static void
ensure_session (TerenSyncEngine *self)
{
  if (self->session != NULL)
    return;
  self->session = soup_session_new_with_options ("timeout", self->request_timeout,
                                                 "idle-timeout", 60,
                                                 "max-conns-per-host", 2,
                                                 NULL);
  {
    g_autofree char *agent = g_strdup_printf ("Teren/%s", PACKAGE_VERSION);

    soup_session_set_user_agent (self->session, agent);
  }
}

/* ---- Store work on threads ------------------------------------------------------------ */

typedef struct {
  TerenStore      *store;
  GHashTable      *blocked;    /* push: change ids waiting for an attachment, or NULL */
  GPtrArray       *ops;        /* push: the batch */
  char            *body;       /* push: the request body */
  GBytes          *body_gzip;  /* push: the same, gzipped when it is large */
  GBytes          *answer;     /* push/pull: the server's body */
  TerenSyncCounts  counts;
  gboolean         more;
  char            *cursor;
  guint            page_records;
  TerenPulledPage *page;       /* pull: parsed and prepared, waiting to be applied */
} StoreJob;

static void
store_job_free (StoreJob *job)
{
  g_clear_object (&job->store);
  g_clear_pointer (&job->blocked, g_hash_table_unref);
  g_clear_pointer (&job->ops, g_ptr_array_unref);
  g_free (job->body);
  g_clear_pointer (&job->body_gzip, g_bytes_unref);
  g_clear_pointer (&job->answer, g_bytes_unref);
  g_free (job->cursor);
  g_clear_pointer (&job->page, teren_pulled_page_free);
  g_free (job);
}

/* Bodies over this are sent gzipped (the server inflates them; SYNC.md). */
#define GZIP_THRESHOLD (16 * 1024)

static GBytes *
gzip_bytes (const char *data,
            gsize       length)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) out = g_converter_output_stream_new (memory, G_CONVERTER (compressor));

  if (!g_output_stream_write_all (out, data, length, NULL, NULL, NULL) ||
      !g_output_stream_close (out, NULL, NULL))
    return NULL;
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

static void
take_batch_thread (GTask        *task,
                   gpointer      source,
                   gpointer      data,
                   GCancellable *cancellable)
{
  StoreJob *job = data;
  GError *error = NULL;
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  guint i;

  if (!teren_store_sync_reoffer_archive (job->store, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  job->ops = teren_store_sync_take_batch (job->store, PUSH_BATCH, &error);
  if (job->ops == NULL ||
      !teren_sync_blobs_trim_batch (job->store, job->ops, job->blocked, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  for (i = 0; i < job->ops->len; i++)
    json_array_add_element (array, teren_op_to_json (job->ops->pdata[i]));
  json_object_set_array_member (object, "ops", g_steal_pointer (&array));
  json_node_set_object (root, object);
  job->body = teren_json_to_string (root);
  if (strlen (job->body) > GZIP_THRESHOLD)
    job->body_gzip = gzip_bytes (job->body, strlen (job->body));
  g_task_return_boolean (task, TRUE);
}

static void
apply_push_thread (GTask        *task,
                   gpointer      source,
                   gpointer      data,
                   GCancellable *cancellable)
{
  StoreJob *job = data;
  GError *error = NULL;
  g_autoptr(JsonObject) answer = NULL;
  gsize size = 0;
  const char *bytes = g_bytes_get_data (job->answer, &size);

  answer = teren_json_parse_object (bytes, size, TEREN_JSON_MAX_DEPTH, &error);
  if (answer == NULL ||
      !teren_store_sync_apply_push_answer (job->store, job->ops, answer, &job->counts, &error))
    {
      g_debug ("Push answer not applied: %s", error->message);
      teren_store_sync_release_batch (job->store, job->ops, NULL);
      /* A store that cannot write (a full disk) is not the server's fault: say which.
       * Either way the operations stay in the op-log and are sent again. */
      if (g_error_matches (error, TEREN_ERROR, TEREN_ERROR_BAD_JSON))
        g_task_return_new_error (task, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_PROTOCOL,
                                 _("The server’s answer was incomplete or not understood; "
                                   "Teren will try again."));
      else
        g_task_return_new_error (task, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_STORE,
                                 _("The server’s answer could not be saved on this computer; "
                                   "the changes will be sent again: %s"), error->message);
      g_clear_error (&error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/* Pull pages are parsed on one thread while the previous page is applied on another
 * (SYNC.md: "the client may fetch page k+1 while applying page k; never more than two
 * pages in memory"). */
static void
parse_pull_thread (GTask        *task,
                   gpointer      source,
                   gpointer      data,
                   GCancellable *cancellable)
{
  StoreJob *job = data;
  GError *error = NULL;
  gsize size = 0;
  const char *bytes = g_bytes_get_data (job->answer, &size);
  g_autoptr(JsonObject) page = NULL;

  page = teren_json_parse_object (bytes, size, TEREN_JSON_MAX_DEPTH, &error);
  g_clear_pointer (&job->answer, g_bytes_unref);
  /* Checked, and what each record will be written as worked out here, so that the
   * writer's thread (the pull's bottleneck) only writes. */
  if (page != NULL)
    job->page = teren_store_sync_prepare_pull_page (page, &error);
  if (job->page == NULL)
    {
      g_debug ("Pull page not parsed: %s", error->message);
      g_clear_error (&error);
      g_task_return_new_error (task, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_PROTOCOL,
                               _("The server’s answer was incomplete or not understood; "
                                 "Teren will try again."));
      return;
    }
  job->page_records = teren_pulled_page_get_n_records (job->page);
  job->cursor = g_strdup (teren_pulled_page_get_cursor (job->page));
  job->more = teren_pulled_page_get_more (job->page);
  g_task_return_boolean (task, TRUE);
}

static void
free_page_thread (GTask        *task,
                  gpointer      source,
                  gpointer      data,
                  GCancellable *cancellable)
{
  teren_pulled_page_free (data);
  g_task_return_boolean (task, TRUE);
}

/* An applied page's tree (a thousand records' nodes) is freed on another thread: the
 * writer's thread goes on with the next page meanwhile. */
static void
free_page_later (TerenPulledPage *page)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);

  g_task_set_source_tag (task, free_page_later);
  g_task_set_task_data (task, page, NULL);
  g_task_run_in_thread (task, free_page_thread);
}

static void
apply_pull_thread (GTask        *task,
                   gpointer      source,
                   gpointer      data,
                   GCancellable *cancellable)
{
  StoreJob *job = data;
  GError *error = NULL;

  /* Fault tests: a page received and parsed, the pages before it committed, this one not
   * (SYNC-NOTES.md §4.2). */
  teren_crashpoint ("pull_after_reply_before_apply");
  if (!teren_store_sync_apply_prepared_page (job->store, job->page, &job->counts, &job->more, &error))
    {
      if (g_error_matches (error, TEREN_ERROR, TEREN_ERROR_BAD_JSON))
        {
          g_debug ("Pull page refused: %s", error->message);
          g_clear_error (&error);
          g_task_return_new_error (task, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_PROTOCOL,
                                   _("The server’s answer was incomplete or not understood; "
                                     "Teren will try again."));
        }
      else
        {
          g_task_return_new_error (task, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_STORE,
                                   _("The changes from the server could not be saved on this "
                                     "computer: %s"), error->message);
          g_clear_error (&error);
        }
      return;
    }
  /* Fault tests: the page and its cursor committed; the next page (maybe already asked
   * for, as pages are pipelined) not applied. */
  teren_crashpoint ("pull_after_apply_before_next");
  free_page_later (g_steal_pointer (&job->page));
  g_task_return_boolean (task, TRUE);
}

/* ---- A round ------------------------------------------------------------------------- */

typedef struct {
  TerenSyncSummary  summary;
  StoreJob         *job;
  guint             push_iterations;
  guint             max_push_iterations;
  gboolean          final_push;       /* revoked: the one last push attempt */
  gboolean          cursor_reset;     /* a bad_cursor answer was handled once */
  gboolean          reoffer_pass;     /* the epoch changed: report, push op_archive, pull again */
  gint64            retry_after;
  char             *cursor;
  guint             pulled_in_round;
  gboolean          pulling;
  GError           *deferred;         /* push refused as unsupported: reported after the pull */
  /* The pull pipeline: one page applying, the next one fetched or parsed meanwhile. */
  StoreJob         *fetch_job;        /* being fetched or parsed */
  StoreJob         *apply_job;        /* being applied */
  StoreJob         *ready_job;        /* parsed, waiting for the apply */
  gboolean          have_next;        /* the last parsed page said more */
  GError           *pull_error;       /* first failure; the pipeline drains, then fails */
  StoreJob         *nomenclature_job; /* the server-managed lists, after the records */
  gboolean          blobs_uploaded;   /* attachments went up before the first batch */
  GHashTable       *blob_blocked;     /* change ids whose attachment failed to upload */
  gboolean          blobs_prefetched; /* small attachments fetched after the pull */
  guint             nomenclature_pages;
} Round;

static void
round_free (Round *round)
{
  g_clear_error (&round->deferred);
  g_clear_error (&round->pull_error);
  g_clear_pointer (&round->fetch_job, store_job_free);
  g_clear_pointer (&round->apply_job, store_job_free);
  g_clear_pointer (&round->ready_job, store_job_free);
  g_clear_pointer (&round->job, store_job_free);
  g_clear_pointer (&round->nomenclature_job, store_job_free);
  g_clear_pointer (&round->blob_blocked, g_hash_table_unref);
  g_free (round->cursor);
  g_free (round);
}

static void push_next (GTask *task);
static void pull_next (GTask *task);
static void round_fail (GTask *task, GError *error);
static void revoke_wipe (GTask *task, GError *error);

static StoreJob *
new_job (TerenSyncEngine *self)
{
  StoreJob *job = g_new0 (StoreJob, 1);

  job->store = g_object_ref (self->store);
  return job;
}

void
teren_sync_task_run_in_thread (GTask               *task,
                               GCancellable        *cancellable,
                               GTaskThreadFunc      func,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) sub = g_task_new (g_task_get_source_object (task), cancellable, callback, user_data);

  g_task_set_task_data (sub, g_task_get_task_data (task), NULL);
  g_task_run_in_thread (sub, func);
}

gboolean
teren_sync_task_fail_if_cancelled (GTask *task,
                                   void (*fail) (GTask  *task,
                                                 GError *error))
{
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (cancellable == NULL || !g_cancellable_is_cancelled (cancellable))
    return FALSE;
  fail (task, g_error_new_literal (TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_CANCELLED, _("Cancelled")));
  return TRUE;
}

static void
run_job (TerenSyncEngine     *self,
         StoreJob            *job,
         GTaskThreadFunc      func,
         GAsyncReadyCallback  callback,
         gpointer             user_data)
{
  g_autoptr(GTask) sub = g_task_new (self, NULL, callback, user_data);

  g_task_set_task_data (sub, job, NULL);
  g_task_run_in_thread (sub, func);
}

/* Push */

static void
push_applied_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  Round *round = g_task_get_task_data (task);
  StoreJob *job = round->job;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      round_fail (task, error);
      return;
    }
  round->summary.pushed += job->ops->len;
  round->summary.applied += job->counts.applied;
  round->summary.merged += job->counts.merged;
  round->summary.conflicts += job->counts.conflicts;
  round->summary.rejected += job->counts.rejected;
  round->summary.duplicates += job->counts.duplicates;
  round->summary.missing_blobs += job->counts.missing_blobs;
  /* Operations left waiting for an attachment the server lacks are sent again in the next
   * round (after the upload), not again and again in this one. */
  if (job->counts.missing_blobs > 0 && !round->final_push)
    {
      g_clear_pointer (&round->job, store_job_free);
      pull_next (task);
      return;
    }
  g_clear_pointer (&round->job, store_job_free);
  push_next (task);
}

static void
push_answered_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  TerenSyncEngine *self = g_task_get_source_object (task);
  Round *round = g_task_get_task_data (task);
  GError *error = NULL;
  GBytes *bytes = request_finish (self, result, &round->retry_after, NULL, &error);

  if (bytes == NULL)
    {
      round_fail (task, error);
      return;
    }
  /* Fault tests: the answer is here, nothing of it applied. */
  teren_crashpoint ("push_after_reply_before_apply");
  round->job->answer = bytes;
  run_job (self, round->job, apply_push_thread, push_applied_cb, task);
}

static void
push_taken_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  TerenSyncEngine *self = g_task_get_source_object (task);
  Round *round = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      round_fail (task, g_error_new (TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_STORE,
                                     _("The changes waiting on this computer could not be read: %s"),
                                     error->message));
      return;
    }
  if (round->job->ops->len == 0)
    {
      g_clear_pointer (&round->job, store_job_free);
      if (round->final_push)
        revoke_wipe (task, NULL);
      else
        pull_next (task);
      return;
    }
  if (teren_sync_task_fail_if_cancelled (task, round_fail))
    return;
  g_debug ("Pushing %u operations", round->job->ops->len);
  request_full_async (self, "POST", "/push", round->job->body, round->job->body_gzip, TRUE,
                      g_task_get_cancellable (task), push_answered_cb, task);
}

static void
blobs_uploaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  Round *round = g_task_get_task_data (task);
  g_autoptr(TerenSyncBlobUpload) upload = NULL;
  GError *error = NULL;

  upload = teren_sync_blobs_upload_finish (TEREN_SYNC_ENGINE (source), result, &error);
  if (upload == NULL)
    {
      round_fail (task, error);
      return;
    }
  round->summary.blobs_uploaded += upload->uploaded;
  round->summary.blobs_failed += upload->failed;
  round->blob_blocked = g_steal_pointer (&upload->blocked);
  /* The operations using them wait (pending, not quarantined); the round still pushes the
   * others and pulls, then ends with the upload's failure so that it is retried. */
  if (upload->error != NULL && round->deferred == NULL)
    round->deferred = g_error_new (upload->error->domain, upload->error->code,
                                   _("Some attachments could not be uploaded; the changes "
                                     "that use them wait for the next sync. %s"),
                                   upload->error->message);
  push_next (task);
}

static void
push_next (GTask *task)
{
  TerenSyncEngine *self = g_task_get_source_object (task);
  Round *round = g_task_get_task_data (task);

  if (teren_sync_task_fail_if_cancelled (task, round_fail))
    return;
  /* Attachments go up before the operations that reference them (issue 8). */
  if (!round->blobs_uploaded && !round->final_push && self->store != NULL)
    {
      round->blobs_uploaded = TRUE;
      teren_sync_blobs_upload_async (self, self->store, g_task_get_cancellable (task),
                                     blobs_uploaded_cb, task);
      return;
    }
  /* Every answered batch leaves the op-log or quarantine; the bound only guards against a
   * server that answers without acknowledging anything. */
  if (++round->push_iterations > round->max_push_iterations)
    {
      if (round->final_push)
        revoke_wipe (task, NULL);
      else
        pull_next (task);
      return;
    }
  g_clear_pointer (&round->job, store_job_free);
  round->job = new_job (self);
  if (round->blob_blocked != NULL)
    round->job->blocked = g_hash_table_ref (round->blob_blocked);
  run_job (self, round->job, take_batch_thread, push_taken_cb, task);
}

/* Pull */

static void finish_round (GTask *task);
static void pull_fetch (GTask *task, const char *cursor);
static void nomenclatures_start (GTask *task);

/* When nothing is in flight any more: fail with the first error, or end the round after
 * the last page. */
static void
epoch_reported_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  Round *round = g_task_get_task_data (task);
  GError *error = NULL;
  gboolean reoffer = FALSE;

  if (!teren_sync_epoch_report_finish (TEREN_SYNC_ENGINE (source), result, &reoffer, &error))
    {
      if (g_error_matches (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_CANCELLED))
        {
          round_fail (task, error);
          return;
        }
      g_debug ("Epoch report not sent: %s", error->message);
      g_clear_error (&error);
    }
  if (!reoffer)
    {
      nomenclatures_start (task);
      return;
    }
  round->push_iterations = 0;
  round->pulling = FALSE;
  push_next (task);
}

static void
pull_check_done (GTask *task)
{
  Round *round = g_task_get_task_data (task);

  if (round->fetch_job != NULL || round->apply_job != NULL)
    return;
  if (round->pull_error != NULL)
    {
      round_fail (task, g_steal_pointer (&round->pull_error));
      return;
    }
  if (round->ready_job == NULL && !round->have_next)
    {
      TerenSyncEngine *self = g_task_get_source_object (task);

      /* The pull met a new server epoch (restored from a backup): in this same round, tell
       * the server which records this device holds at newer revisions, offer op_archive
       * again and pull what that gave, so the integrity check at the end compares the
       * restored state, not the hole (issue 8). */
      if (!round->reoffer_pass && round->deferred == NULL && self->store != NULL)
        {
          round->reoffer_pass = TRUE;
          teren_sync_epoch_report_async (self, self->store, g_task_get_cancellable (task),
                                         epoch_reported_cb, task);
          return;
        }
      nomenclatures_start (task);
    }
}

static void
pull_set_error (GTask  *task,
                GError *error)
{
  Round *round = g_task_get_task_data (task);

  if (round->pull_error == NULL)
    round->pull_error = error;
  else
    g_error_free (error);
  g_clear_pointer (&round->ready_job, store_job_free);
  round->have_next = FALSE;
}

static void pull_applied_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data);

/* Starts what can start: the apply of a ready page, the fetch of the next one (at most
 * two pages in memory: the one applying and the one fetched). */
static void
pull_advance (GTask *task)
{
  TerenSyncEngine *self = g_task_get_source_object (task);
  Round *round = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (round->pull_error == NULL && cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    pull_set_error (task, g_error_new_literal (TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_CANCELLED,
                                               _("Cancelled")));

  if (round->pull_error == NULL && round->apply_job == NULL && round->ready_job != NULL)
    {
      round->apply_job = g_steal_pointer (&round->ready_job);
      run_job (self, round->apply_job, apply_pull_thread, pull_applied_cb, task);
    }
  if (round->pull_error == NULL && round->fetch_job == NULL && round->ready_job == NULL &&
      round->have_next && round->summary.pages < MAX_PULL_PAGES)
    {
      round->have_next = FALSE;
      pull_fetch (task, round->cursor);
    }
  pull_check_done (task);
}

static void
pull_applied_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  TerenSyncEngine *self = g_task_get_source_object (task);
  Round *round = g_task_get_task_data (task);
  StoreJob *job = round->apply_job;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    pull_set_error (task, error);
  else
    {
      round->summary.pages++;
      round->summary.pulled += job->counts.records;
      round->summary.purged += job->counts.purged;
      round->pulled_in_round += job->page_records;
      /* Without a total, the bar creeps towards the end page by page. */
      if (round->have_next || round->ready_job != NULL || round->fetch_job != NULL)
        set_progress (self, 1.0 - 1.0 / (1.0 + round->summary.pages / 4.0));
    }
  g_clear_pointer (&round->apply_job, store_job_free);
  pull_advance (task);
}

static void
pull_parsed_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  Round *round = g_task_get_task_data (task);
  StoreJob *job = g_steal_pointer (&round->fetch_job);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      store_job_free (job);
      pull_set_error (task, error);
      pull_advance (task);
      return;
    }
  if (round->pull_error != NULL)
    store_job_free (job);
  else
    {
      g_free (round->cursor);
      round->cursor = g_strdup (job->cursor);
      round->have_next = job->more && job->cursor != NULL;
      round->ready_job = job;
    }
  pull_advance (task);
}

static void
pull_answered_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  TerenSyncEngine *self = g_task_get_source_object (task);
  Round *round = g_task_get_task_data (task);
  GError *error = NULL;
  g_autofree char *code = NULL;
  GBytes *bytes = request_finish (self, result, &round->retry_after, &code, &error);

  if (bytes == NULL)
    {
      g_clear_pointer (&round->fetch_job, store_job_free);
      /* A cursor the server does not know (a server restored from a backup): start over
       * from the beginning once; replayed records are not newer, so nothing is undone. */
      if (g_strcmp0 (code, "bad_cursor") == 0 && !round->cursor_reset &&
          round->apply_job == NULL && round->ready_job == NULL && round->pull_error == NULL)
        {
          g_clear_error (&error);
          round->cursor_reset = TRUE;
          g_clear_pointer (&round->cursor, g_free);
          g_debug ("The server did not know the cursor; pulling from the start");
          pull_fetch (task, NULL);
          return;
        }
      pull_set_error (task, error);
      pull_advance (task);
      return;
    }
  round->fetch_job->answer = bytes;
  run_job (self, round->fetch_job, parse_pull_thread, pull_parsed_cb, task);
}

static void
pull_fetch (GTask      *task,
            const char *cursor)
{
  TerenSyncEngine *self = g_task_get_source_object (task);
  Round *round = g_task_get_task_data (task);
  g_autofree char *path = NULL;

  g_assert (round->fetch_job == NULL);
  round->fetch_job = new_job (self);
  if (cursor != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (cursor, NULL, FALSE);

      path = g_strdup_printf ("/pull?limit=%u&cursor=%s", self->pull_limit, escaped);
    }
  else
    path = g_strdup_printf ("/pull?limit=%u", self->pull_limit);
  request_async (self, "GET", path, NULL, FALSE, g_task_get_cancellable (task),
                 pull_answered_cb, task);
}

static void
cursor_read_thread (GTask        *task,
                    gpointer      source,
                    gpointer      data,
                    GCancellable *cancellable)
{
  StoreJob *job = data;

  job->cursor = teren_store_sync_get_cursor (job->store);
  g_task_return_boolean (task, TRUE);
}

static void
cursor_read_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  Round *round = g_task_get_task_data (task);

  g_task_propagate_boolean (G_TASK (result), NULL);
  g_free (round->cursor);
  round->cursor = g_steal_pointer (&round->job->cursor);
  g_clear_pointer (&round->job, store_job_free);
  if (teren_sync_task_fail_if_cancelled (task, round_fail))
    return;
  pull_fetch (task, round->cursor);
}

/* Nomenclatures: after the records, the server-managed lists (ICD-10, SIRUTA… imported
 * with `teren-server nomenclature import`) from GET /nomenclatures into the store, from
 * the store's own cursor. Best effort: a failure is logged and the round ends as it
 * would have without them. */

static void nomenclatures_fetch (GTask *task, const char *cursor);

static void
nomenclature_cursor_thread (GTask        *task,
                            gpointer      source,
                            gpointer      data,
                            GCancellable *cancellable)
{
  StoreJob *job = data;

  job->cursor = teren_store_nomenclature_get_cursor (job->store);
  g_task_return_boolean (task, TRUE);
}

static void
nomenclature_apply_thread (GTask        *task,
                           gpointer      source,
                           gpointer      data,
                           GCancellable *cancellable)
{
  StoreJob *job = data;
  GError *error = NULL;
  gsize size = 0;
  const char *bytes = g_bytes_get_data (job->answer, &size);
  g_autoptr(JsonObject) page = teren_json_parse_object (bytes, size, TEREN_JSON_MAX_DEPTH, &error);
  JsonNode *items;
  JsonNode *more;

  g_clear_pointer (&job->answer, g_bytes_unref);
  g_clear_pointer (&job->cursor, g_free);
  if (page == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  items = json_object_get_member (page, "items");
  job->cursor = g_strdup (teren_json_get_string (page, "cursor", NULL));
  more = json_object_get_member (page, "more");
  job->more = more != NULL && JSON_NODE_HOLDS_VALUE (more) &&
              json_node_get_value_type (more) == G_TYPE_BOOLEAN && json_node_get_boolean (more);
  if (items == NULL || !JSON_NODE_HOLDS_ARRAY (items))
    {
      g_task_return_new_error (task, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_PROTOCOL, "no items");
      return;
    }
  if (!teren_store_nomenclature_apply (job->store, json_node_get_array (items), job->cursor, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
nomenclatures_applied_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  GTask *task = user_data;
  Round *round = g_task_get_task_data (task);
  StoreJob *job = round->nomenclature_job;
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_debug ("Nomenclatures not applied: %s", error->message);
  else if (job->more && job->cursor != NULL && ++round->nomenclature_pages < MAX_PULL_PAGES &&
           (cancellable == NULL || !g_cancellable_is_cancelled (cancellable)))
    cursor = g_strdup (job->cursor);
  g_clear_pointer (&round->nomenclature_job, store_job_free);
  if (cursor != NULL)
    nomenclatures_fetch (task, cursor);
  else
    finish_round (task);
}

static void
nomenclatures_answered_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  GTask *task = user_data;
  TerenSyncEngine *self = g_task_get_source_object (task);
  Round *round = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  GBytes *bytes = request_finish (self, result, NULL, &code, &error);

  if (bytes == NULL)
    {
      g_clear_pointer (&round->nomenclature_job, store_job_free);
      /* A cursor the server does not know (restored from a backup): from the start, once. */
      if (g_strcmp0 (code, "bad_cursor") == 0 && round->nomenclature_pages == 0)
        {
          round->nomenclature_pages++;
          nomenclatures_fetch (task, NULL);
          return;
        }
      g_debug ("Nomenclatures not pulled: %s", error->message);
      finish_round (task);
      return;
    }
  round->nomenclature_job->answer = bytes;
  run_job (self, round->nomenclature_job, nomenclature_apply_thread, nomenclatures_applied_cb, task);
}

static void
nomenclatures_fetch (GTask      *task,
                     const char *cursor)
{
  TerenSyncEngine *self = g_task_get_source_object (task);
  Round *round = g_task_get_task_data (task);
  g_autofree char *path = NULL;

  g_assert (round->nomenclature_job == NULL);
  round->nomenclature_job = new_job (self);
  if (cursor != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (cursor, NULL, FALSE);

      path = g_strdup_printf ("/nomenclatures?cursor=%s", escaped);
    }
  else
    path = g_strdup ("/nomenclatures");
  request_async (self, "GET", path, NULL, FALSE, g_task_get_cancellable (task),
                 nomenclatures_answered_cb, task);
}

static void
nomenclature_cursor_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  GTask *task = user_data;
  Round *round = g_task_get_task_data (task);
  g_autofree char *cursor = NULL;

  g_task_propagate_boolean (G_TASK (result), NULL);
  cursor = g_steal_pointer (&round->nomenclature_job->cursor);
  g_clear_pointer (&round->nomenclature_job, store_job_free);
  if (teren_sync_task_fail_if_cancelled (task, round_fail))
    return;
  nomenclatures_fetch (task, cursor);
}

static void
nomenclatures_start (GTask *task)
{
  TerenSyncEngine *self = g_task_get_source_object (task);
  Round *round = g_task_get_task_data (task);

  if (round->deferred != NULL || self->store == NULL)
    {
      finish_round (task);
      return;
    }
  round->nomenclature_pages = 0;
  round->nomenclature_job = new_job (self);
  run_job (self, round->nomenclature_job, nomenclature_cursor_thread, nomenclature_cursor_cb, task);
}

static void
pull_next (GTask *task)
{
  TerenSyncEngine *self = g_task_get_source_object (task);
  Round *round = g_task_get_task_data (task);

  round->pulling = TRUE;
  if (teren_sync_task_fail_if_cancelled (task, round_fail))
    return;
  g_clear_pointer (&round->job, store_job_free);
  round->job = new_job (self);
  run_job (self, round->job, cursor_read_thread, cursor_read_cb, task);
}

/* End of a round */

typedef struct {
  TerenStore      *store;
  char            *error_message;  /* NULL: success */
  gboolean         success;
  TerenSyncStatus  status;
  TerenSyncCounts  counts;
  gboolean         wipe;
  guint            unsent;
} FinishJob;

static void
finish_job_free (FinishJob *job)
{
  g_clear_object (&job->store);
  g_free (job->error_message);
  teren_sync_status_clear (&job->status);
  g_free (job);
}

static void
finish_thread (GTask        *task,
               gpointer      source,
               gpointer      data,
               GCancellable *cancellable)
{
  FinishJob *job = data;

  if (job->wipe)
    {
      g_autoptr(GPtrArray) unsent = teren_store_sync_list_unsent (job->store, NULL);
      GError *error = NULL;

      job->unsent = unsent != NULL ? unsent->len : 0;
      if (!teren_store_sync_wipe (job->store, &error))
        {
          g_task_return_error (task, error);
          return;
        }
    }
  else if (job->success)
    {
      g_autofree char *now = NULL;
      GDateTime *utc = g_date_time_new_now_utc ();

      now = g_date_time_format_iso8601 (utc);
      g_date_time_unref (utc);
      teren_store_sync_finish_purges (job->store, &job->counts, NULL);
      teren_store_sync_prune_archive (job->store, NULL, NULL);
      teren_store_sync_set_meta (job->store, TEREN_SYNC_META_LAST_SYNC, now, NULL);
      teren_store_sync_set_meta (job->store, TEREN_SYNC_META_LAST_ERROR, NULL, NULL);
    }
  else if (job->error_message != NULL)
    teren_store_sync_set_meta (job->store, TEREN_SYNC_META_LAST_ERROR, job->error_message, NULL);

  teren_store_sync_get_status (job->store, &job->status, NULL);
  g_task_return_boolean (task, TRUE);
}

static guint
backoff_delay (TerenSyncEngine *self)
{
  guint64 cap = self->backoff_base;
  guint i;

  for (i = 1; i < self->backoff_attempt && cap < self->backoff_max; i++)
    cap *= 2;
  cap = MIN (cap, (guint64) self->backoff_max);
  /* Full jitter (SYNC-NOTES: AWS architecture blog), never below a tenth of the base. */
  return (guint) g_random_double_range (self->backoff_base / 10.0, (double) MAX (cap, 1));
}

static void
apply_status (TerenSyncEngine *self,
              TerenSyncStatus *status)
{
  set_uint_prop (self, &self->pending, status->pending + status->held, PROP_PENDING);
  set_uint_prop (self, &self->quarantined, status->quarantined, PROP_QUARANTINED);
  set_uint_prop (self, &self->conflicts, status->conflicts, PROP_CONFLICTS);
  set_last_synced_iso (self, status->last_sync);
}

static void
finish_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *sub = G_TASK (result);
  FinishJob *job = g_task_get_task_data (sub);
  GTask *task = user_data;
  TerenSyncEngine *self = g_task_get_source_object (task);
  Round *round = g_task_get_task_data (task);
  GError *error = g_object_get_data (G_OBJECT (sub), "round-error");
  g_autoptr(GError) wipe_error = NULL;

  g_task_propagate_boolean (sub, &wipe_error);
  error = error != NULL ? g_error_copy (error) : NULL;

  apply_status (self, &job->status);
  round->summary.pending = job->status.pending + job->status.held + job->status.quarantined;
  round->summary.quarantined = job->status.quarantined;
  round->summary.open_conflicts = job->status.conflicts;
  round->summary.purged += job->counts.purged;
  set_progress (self, -1);
  self->running = FALSE;
  if (self->caller_cancellable != NULL)
    {
      g_cancellable_disconnect (self->caller_cancellable, self->caller_handler);
      self->caller_handler = 0;
      g_clear_object (&self->caller_cancellable);
    }
  g_clear_object (&self->round_cancellable);

  if (job->wipe)
    {
      round->summary.revoked = TRUE;
      round->summary.unsent = job->unsent;
      g_clear_error (&error);
      if (wipe_error != NULL)
        error = g_error_new (TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_STORE,
                             _("This computer’s access was revoked, but its data could not be "
                               "deleted: %s"), wipe_error->message);
      else
        error = g_error_new (TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_DEVICE_REVOKED,
                             g_dngettext (GETTEXT_PACKAGE,
                                          "This computer’s access was revoked by the directorate; "
                                          "its data for this account was deleted. %u change "
                                          "could not be sent.",
                                          "This computer’s access was revoked by the directorate; "
                                          "its data for this account was deleted. %u changes "
                                          "could not be sent.", job->unsent),
                             job->unsent);
      set_last_error (self, error->message);
      set_state (self, TEREN_SYNC_STATE_LOGGED_OUT);
      g_clear_pointer (&self->token, g_free);
      teren_sync_secret_clear_async (self->server_url, self->username, NULL, NULL, NULL);
      self->started = FALSE;
      g_signal_emit (self, signals[SIGNAL_REVOKED], 0, job->unsent);
    }
  else if (error == NULL)
    {
      self->backoff_attempt = 0;
      set_last_error (self, NULL);
      set_state (self, TEREN_SYNC_STATE_IDLE);
    }
  else if (g_error_matches (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_CANCELLED))
    {
      if (self->state == TEREN_SYNC_STATE_SYNCING)
        set_state (self, self->last_error != NULL ? TEREN_SYNC_STATE_ERROR : TEREN_SYNC_STATE_IDLE);
    }
  else
    {
      set_last_error (self, error->message);
      if (g_error_matches (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_NETWORK) ||
          g_error_matches (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_TIMEOUT))
        set_state (self, TEREN_SYNC_STATE_OFFLINE);
      else if (g_error_matches (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_NOT_LOGGED_IN))
        set_state (self, TEREN_SYNC_STATE_LOGGED_OUT);
      else
        set_state (self, TEREN_SYNC_STATE_ERROR);
      self->backoff_attempt++;
      if (round->retry_after > 0)
        self->not_before = g_get_monotonic_time () + round->retry_after * G_USEC_PER_SEC;
    }

  g_debug ("Round finished: pushed %u, pulled %u in %u pages, %s", round->summary.pushed,
           round->summary.pulled, round->summary.pages, error != NULL ? "failed" : "ok");

  g_signal_emit (self, signals[SIGNAL_ROUND_FINISHED], 0, &round->summary, error);

  /* What comes next. A round asked for during a failed one (a save, a start) waits for the
   * backoff like any retry, or a worker saving through an outage would send a request after
   * every failure (SYNC-NOTES S11); only Sync now goes at once. */
  if (self->started)
    {
      gboolean failed = error != NULL && !g_error_matches (error, TEREN_SYNC_ERROR,
                                                           TEREN_SYNC_ERROR_CANCELLED);

      if (self->queued && (!failed || self->queued_now))
        {
          self->queued = FALSE;
          schedule_round (self, 0);
        }
      else if (error == NULL)
        {
          if (round->summary.pending > round->summary.quarantined + 0 &&
              job->status.pending > 0)
            schedule_round (self, self->save_delay);
          else if (self->interval > 0)
            schedule_round (self, self->interval * 1000);
        }
      else if (!g_error_matches (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_CANCELLED) &&
               !g_error_matches (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_UNAUTHORIZED) &&
               !g_error_matches (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_NOT_LOGGED_IN))
        schedule_round (self, backoff_delay (self));
      self->queued = FALSE;
    }
  else if (self->queued)
    self->queued = FALSE;
  self->queued_now = FALSE;

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, teren_sync_summary_copy (&round->summary),
                           (GDestroyNotify) teren_sync_summary_free);
  g_object_unref (task);
}

static void
finish_with (GTask    *task,
             GError   *error,
             gboolean  wipe)
{
  TerenSyncEngine *self = g_task_get_source_object (task);
  g_autoptr(GTask) sub = g_task_new (self, NULL, finish_done_cb, task);
  FinishJob *job = g_new0 (FinishJob, 1);

  job->store = self->store != NULL ? g_object_ref (self->store) : NULL;
  job->success = error == NULL;
  job->wipe = wipe;
  if (error != NULL && !g_error_matches (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_CANCELLED))
    job->error_message = g_strdup (error->message);
  if (error != NULL)
    g_object_set_data_full (G_OBJECT (sub), "round-error", error, (GDestroyNotify) g_error_free);
  g_task_set_task_data (sub, job, (GDestroyNotify) finish_job_free);
  if (job->store == NULL)
    {
      g_task_return_boolean (sub, TRUE);
      return;
    }
  g_task_run_in_thread (sub, finish_thread);
}

/* The integrity check, when due (teren-sync-digest.c); only a cancel fails the round. */
static void
digest_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  Round *round = g_task_get_task_data (task);
  TerenSyncDigestResult digest = { 0 };
  GError *error = NULL;

  if (!teren_sync_digest_run_finish (TEREN_SYNC_ENGINE (source), result, &digest, &error) &&
      g_error_matches (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_CANCELLED))
    {
      round_fail (task, error);
      return;
    }
  g_clear_error (&error);
  round->summary.digest_checked = digest.checked;
  round->summary.digest_buckets_repaired = digest.buckets_repaired;
  round->summary.digest_records_repaired = digest.records_repaired;
  finish_with (task, g_steal_pointer (&round->deferred), FALSE);
}

static void
blobs_prefetched_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  Round *round = g_task_get_task_data (task);
  GError *error = NULL;

  round->summary.blobs_prefetched = teren_sync_blobs_prefetch_finish (TEREN_SYNC_ENGINE (source),
                                                                      result, &error);
  if (error != NULL)
    {
      round_fail (task, error);
      return;
    }
  finish_round (task);
}

static void
finish_round (GTask *task)
{
  TerenSyncEngine *self = g_task_get_source_object (task);
  Round *round = g_task_get_task_data (task);

  /* Small attachments of what was pulled, unless the network is metered. */
  if (!round->blobs_prefetched && round->deferred == NULL && self->store != NULL)
    {
      round->blobs_prefetched = TRUE;
      teren_sync_blobs_prefetch_async (self, self->store, g_task_get_cancellable (task),
                                       blobs_prefetched_cb, task);
      return;
    }

  if (round->deferred == NULL && self->store != NULL)
    {
      teren_sync_digest_run_async (self, self->store, FALSE, g_task_get_cancellable (task),
                                   digest_done_cb, task);
      return;
    }
  finish_with (task, g_steal_pointer (&round->deferred), FALSE);
}

static void
revoke_wipe (GTask  *task,
             GError *error)
{
  g_clear_error (&error);
  finish_with (task, NULL, TRUE);
}

static void
round_fail (GTask  *task,
            GError *error)
{
  Round *round = g_task_get_task_data (task);

  if (g_error_matches (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_DEVICE_REVOKED))
    {
      if (!round->final_push)
        {
          /* One last push attempt, then the wipe. */
          g_debug ("Device revoked: final push attempt");
          g_clear_error (&error);
          round->final_push = TRUE;
          round->push_iterations = 0;
          push_next (task);
          return;
        }
      revoke_wipe (task, error);
      return;
    }
  if (round->final_push &&
      !g_error_matches (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_CANCELLED))
    {
      revoke_wipe (task, error);
      return;
    }
  /* A server older than this client refuses the push: the operations stay pending,
   * untouched, and the pull still runs (SYNC.md "Errors and versions"). */
  if (!round->pulling &&
      g_error_matches (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_UNSUPPORTED_VERSION))
    {
      g_clear_error (&round->deferred);
      round->deferred = error;
      pull_next (task);
      return;
    }
  finish_with (task, error, FALSE);
}

static void
count_pending_thread (GTask        *task,
                      gpointer      source,
                      gpointer      data,
                      GCancellable *cancellable)
{
  TerenStore *store = data;
  guint n = teren_store_count_pending (store);

  g_task_return_int (task, n);
}

static void
round_counted_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  Round *round = g_task_get_task_data (task);
  gssize n = g_task_propagate_int (G_TASK (result), NULL);

  round->max_push_iterations = (guint) MAX (n, 0) / PUSH_BATCH + 3;
  push_next (task);
}

static void
start_round (TerenSyncEngine     *self,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  GTask *task;
  Round *round;

  if (self->running)
    {
      task = g_task_new (self, NULL, callback, user_data);
      g_task_return_new_error (task, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_BUSY,
                               _("Teren is already syncing"));
      g_object_unref (task);
      return;
    }
  if (self->store == NULL || self->token == NULL || self->server_url == NULL)
    {
      task = g_task_new (self, NULL, callback, user_data);
      g_task_return_new_error (task, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_NOT_LOGGED_IN,
                               _("Sign in to sync this computer’s work"));
      g_object_unref (task);
      return;
    }

  self->running = TRUE;
  self->round_cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      self->caller_cancellable = g_object_ref (cancellable);
      self->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (parent_cancelled_cb),
                                                    g_object_ref (self->round_cancellable),
                                                    g_object_unref);
    }

  task = g_task_new (self, self->round_cancellable, callback, user_data);
  /* A cancelled round still reports what it did, through round_fail. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_source_tag (task, start_round);
  round = g_new0 (Round, 1);
  g_task_set_task_data (task, round, (GDestroyNotify) round_free);

  ensure_session (self);
  set_state (self, TEREN_SYNC_STATE_SYNCING);
  set_progress (self, -1);

  {
    g_autoptr(GTask) sub = g_task_new (self, NULL, round_counted_cb, task);

    g_task_set_task_data (sub, g_object_ref (self->store), g_object_unref);
    g_task_run_in_thread (sub, count_pending_thread);
  }
}

/* ---- Scheduling ---------------------------------------------------------------------- */

static void
auto_round_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(TerenSyncSummary) summary = NULL;
  g_autoptr(GError) error = NULL;

  summary = teren_sync_engine_sync_finish (TEREN_SYNC_ENGINE (source), result, &error);
  if (error != NULL)
    g_debug ("Automatic round: %s", error->message);
}

static gboolean
timer_cb (gpointer user_data)
{
  TerenSyncEngine *self = user_data;
  gint64 now = g_get_monotonic_time ();

  self->timer_id = 0;
  if (!self->started)
    return G_SOURCE_REMOVE;
  if (self->not_before > now)
    {
      schedule_round (self, (guint) ((self->not_before - now) / 1000) + 1);
      return G_SOURCE_REMOVE;
    }
  if (self->running)
    {
      self->queued = TRUE;
      return G_SOURCE_REMOVE;
    }
  start_round (self, NULL, auto_round_cb, NULL);
  return G_SOURCE_REMOVE;
}

/* The next automatic round in @delay_ms; an earlier one already planned wins. */
static void
schedule_round (TerenSyncEngine *self,
                guint            delay_ms)
{
  g_clear_handle_id (&self->timer_id, g_source_remove);
  self->timer_id = g_timeout_add_full (G_PRIORITY_DEFAULT, delay_ms, timer_cb, self, NULL);
  g_source_set_static_name (g_main_context_find_source_by_id (NULL, self->timer_id),
                            "[teren] sync round");
}

static void
counts_thread (GTask        *task,
               gpointer      source,
               gpointer      data,
               GCancellable *cancellable)
{
  TerenSyncStatus *status = g_new0 (TerenSyncStatus, 1);

  teren_store_sync_get_status (data, status, NULL);
  g_task_return_pointer (task, status, NULL);
}

static void
counts_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  TerenSyncEngine *self = TEREN_SYNC_ENGINE (source);
  TerenSyncStatus *status = g_task_propagate_pointer (G_TASK (result), NULL);
  gboolean saved_more;

  if (status == NULL)
    return;
  saved_more = status->pending > 0;
  apply_status (self, status);
  teren_sync_status_clear (status);
  g_free (status);

  /* A save: a round a few seconds after the last one (SYNC.md: 3 s). */
  if (self->started && saved_more)
    {
      if (self->running)
        self->queued = TRUE;
      else if (self->backoff_attempt == 0)
        schedule_round (self, self->save_delay);
    }
}

static void
refresh_counts (TerenSyncEngine *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->store == NULL)
    return;
  task = g_task_new (self, NULL, counts_cb, NULL);
  g_task_set_task_data (task, g_object_ref (self->store), g_object_unref);
  g_task_run_in_thread (task, counts_thread);
}

static void
oplog_changed_cb (TerenStore      *store,
                  TerenSyncEngine *self)
{
  /* Our own push answers change the op-log too; counts_cb only plans a round when
   * something is left to send and no round is running. */
  refresh_counts (self);
}

static void
network_changed_cb (GNetworkMonitor *monitor,
                    gboolean         available,
                    TerenSyncEngine *self)
{
  /* Never gated on the monitor alone (SYNC-NOTES: VPNs and local networks); a change is
   * only a hint to try soon, spread over a few seconds so a team does not arrive at once. */
  if (!self->started || !available || self->running)
    return;
  if (self->state != TEREN_SYNC_STATE_OFFLINE && self->state != TEREN_SYNC_STATE_ERROR)
    return;
  self->backoff_attempt = 0;
  schedule_round (self, self->network_jitter > 0 ? g_random_int_range (0, self->network_jitter) : 0);
}

void
teren_sync_engine_start (TerenSyncEngine *self)
{
  g_return_if_fail (TEREN_IS_SYNC_ENGINE (self));

  if (self->started)
    return;
  self->started = TRUE;
  if (self->monitor == NULL)
    {
      self->monitor = g_object_ref (g_network_monitor_get_default ());
      self->network_handler = g_signal_connect (self->monitor, "network-changed",
                                                G_CALLBACK (network_changed_cb), self);
    }
  if (self->running)
    self->queued = TRUE;
  else
    schedule_round (self, 0);
}

void
teren_sync_engine_stop (TerenSyncEngine *self)
{
  g_return_if_fail (TEREN_IS_SYNC_ENGINE (self));

  self->started = FALSE;
  self->queued = FALSE;
  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (self->round_cancellable != NULL)
    g_cancellable_cancel (self->round_cancellable);
}

void
teren_sync_engine_sync_now (TerenSyncEngine *self)
{
  g_return_if_fail (TEREN_IS_SYNC_ENGINE (self));

  /* Always tries: the backoff and Retry-After are forgotten. */
  self->backoff_attempt = 0;
  self->not_before = 0;
  if (self->running)
    {
      self->queued = TRUE;
      self->queued_now = TRUE;
      return;
    }
  if (self->started)
    schedule_round (self, 0);
  else
    start_round (self, NULL, auto_round_cb, NULL);
}

void
teren_sync_engine_sync_async (TerenSyncEngine     *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (TEREN_IS_SYNC_ENGINE (self));

  start_round (self, cancellable, callback, user_data);
}

TerenSyncSummary *
teren_sync_engine_sync_finish (TerenSyncEngine  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- Accounts ------------------------------------------------------------------------ */

static void
set_store (TerenSyncEngine *self,
           TerenStore      *store)
{
  if (self->store == store)
    return;
  if (self->store != NULL)
    g_clear_signal_handler (&self->oplog_handler, self->store);
  g_set_object (&self->store, store);
  if (store != NULL)
    self->oplog_handler = g_signal_connect (store, "oplog-changed",
                                            G_CALLBACK (oplog_changed_cb), self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

typedef struct {
  char       *server_url;
  char       *username;
  char       *password;
  char       *data_dir;
  char       *token;
  char       *display_name;
  TerenStore *store;
} AccountData;

static void
account_data_free (AccountData *data)
{
  g_free (data->server_url);
  g_free (data->username);
  if (data->password != NULL)
    {
      memset (data->password, 0, strlen (data->password));
      g_free (data->password);
    }
  g_free (data->data_dir);
  if (data->token != NULL)
    {
      memset (data->token, 0, strlen (data->token));
      g_free (data->token);
    }
  g_free (data->display_name);
  g_clear_object (&data->store);
  g_free (data);
}

static void
remember_account_thread (GTask        *task,
                         gpointer      source,
                         gpointer      data_ptr,
                         GCancellable *cancellable)
{
  AccountData *data = data_ptr;
  GError *error = NULL;

  if (!teren_store_sync_set_meta (data->store, TEREN_SYNC_META_SERVER_URL, data->server_url, &error) ||
      !teren_store_sync_set_meta (data->store, TEREN_SYNC_META_USERNAME, data->username, &error) ||
      (data->display_name != NULL &&
       !teren_store_sync_set_meta (data->store, TEREN_SYNC_META_DISPLAY_NAME, data->display_name,
                                   &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  teren_store_set_author (data->store, data->username);
  g_task_return_boolean (task, TRUE);
}

static void
become_account (TerenSyncEngine *self,
                AccountData     *data)
{
  g_autofree char *last_sync = NULL;
  g_autofree char *last_error = NULL;

  g_free (self->token);
  self->token = g_strdup (data->token);
  g_free (self->data_dir);
  self->data_dir = g_strdup (data->data_dir);
  set_string_prop (self, &self->server_url, data->server_url, PROP_SERVER_URL);
  set_string_prop (self, &self->username, data->username, PROP_USERNAME);
  set_string_prop (self, &self->display_name, data->display_name, PROP_DISPLAY_NAME);
  set_store (self, data->store);
  if (self->session != NULL)
    {
      soup_session_abort (self->session);
      g_clear_object (&self->session);
    }
  set_state (self, self->token != NULL ? TEREN_SYNC_STATE_IDLE : TEREN_SYNC_STATE_LOGGED_OUT);
  refresh_counts (self);
}

/* login: store → POST /login → Secret Service → remember in the store */

static void
login_remembered_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TerenSyncEngine *self = g_task_get_source_object (task);
  AccountData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_new_error (task, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_STORE,
                               _("The account could not be saved on this computer: %s"),
                               error->message);
      g_error_free (error);
      return;
    }
  become_account (self, data);
  g_debug ("Signed in (device %s)", teren_store_get_device_id (data->store));
  g_task_return_boolean (task, TRUE);
}

static void
login_token_stored_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!teren_sync_secret_store_finish (result, &error))
    {
      g_task_return_new_error (task, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_FAILED,
                               _("The sign-in could not be kept in the keyring: %s"),
                               error->message);
      g_error_free (error);
      g_object_unref (task);
      return;
    }
  teren_sync_task_run_in_thread (task, NULL, remember_account_thread, login_remembered_cb, task);
}

static void
login_answered_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  TerenSyncEngine *self = TEREN_SYNC_ENGINE (source);
  AccountData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonObject) answer = NULL;
  GError *error = NULL;
  const char *token;

  bytes = request_finish (self, result, NULL, NULL, &error);
  if (bytes == NULL)
    {
      if (g_error_matches (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_UNAUTHORIZED))
        {
          g_clear_error (&error);
          error = g_error_new_literal (TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_BAD_CREDENTIALS,
                                      _("The user name or the password is not right"));
        }
      else if (g_error_matches (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_RATE_LIMITED))
        {
          g_clear_error (&error);
          error = g_error_new_literal (TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_RATE_LIMITED,
                                      _("Too many failed attempts; wait a few minutes and try "
                                        "again"));
        }
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  answer = parse_small_body (bytes, &error);
  token = answer != NULL ? teren_json_get_string (answer, "token", NULL) : NULL;
  if (token == NULL || token[0] == '\0')
    {
      if (error == NULL)
        error = g_error_new_literal (TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_PROTOCOL,
                                     _("The server’s answer was incomplete or not understood"));
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  data->token = g_strdup (token);
  if (json_object_has_member (answer, "account") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (answer, "account")))
    data->display_name = g_strdup (teren_json_get_string (json_object_get_object_member (answer, "account"),
                                                          "display_name", NULL));
  teren_sync_secret_store_async (data->server_url, data->username, data->token,
                                 g_task_get_cancellable (task), login_token_stored_cb, task);
}

/* The body of POST /login (the caller wipes it after sending). */
static char *
login_body (const char *username,
            const char *password,
            TerenStore *store)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  char *json;

  json_object_set_string_member (body, "username", username);
  json_object_set_string_member (body, "password", password);
  json_object_set_string_member (body, "device_id", teren_store_get_device_id (store));
  json_object_set_string_member (body, "device_name", g_get_host_name ());
  json_node_set_object (root, body);
  json = teren_json_to_string (root);
  json_object_remove_member (body, "password");
  return json;
}

static void
login_send (GTask *task)
{
  TerenSyncEngine *self = g_task_get_source_object (task);
  AccountData *data = g_task_get_task_data (task);
  g_autofree char *json = login_body (data->username, data->password, data->store);
  g_autofree char *saved_token = NULL;
  g_autofree char *saved_url = NULL;

  memset (data->password, 0, strlen (data->password));

  /* The request goes to the new server with no token. */
  saved_token = g_steal_pointer (&self->token);
  saved_url = g_strdup (self->server_url);
  g_free (self->server_url);
  self->server_url = g_strdup (data->server_url);
  ensure_session (self);
  request_async (self, "POST", "/login", json, FALSE, g_task_get_cancellable (task),
                 login_answered_cb, task);
  memset (json, 0, strlen (json));
  /* The engine keeps its current account until the login succeeded. */
  g_free (self->server_url);
  self->server_url = g_steal_pointer (&saved_url);
  self->token = g_steal_pointer (&saved_token);
}

/* The account's store opened for @task (login or open_account): FALSE after ending
 * @task with the error if it could not be. */
static gboolean
account_store_opened (GTask        *task,
                      GAsyncResult *result)
{
  AccountData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->store = teren_store_open_finish (result, &error);
  if (data->store == NULL)
    {
      g_task_return_new_error (task, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_STORE,
                               _("The data folder of this account cannot be used: %s"),
                               error->message);
      g_error_free (error);
      g_object_unref (task);
      return FALSE;
    }
  return TRUE;
}

static void
login_store_opened_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GTask *task = user_data;

  if (account_store_opened (task, result))
    login_send (task);
}

void
teren_sync_engine_login_async (TerenSyncEngine     *self,
                               const char          *server_url,
                               const char          *username,
                               const char          *password,
                               const char          *data_dir,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;
  AccountData *data;
  GError *error = NULL;
  g_autofree char *url = NULL;

  g_return_if_fail (TEREN_IS_SYNC_ENGINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, teren_sync_engine_login_async);

  url = teren_sync_normalize_url (server_url, &error);
  if (url == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (username == NULL || username[0] == '\0' || password == NULL || password[0] == '\0')
    {
      g_task_return_new_error (task, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_BAD_CREDENTIALS,
                               _("Enter your user name and password"));
      g_object_unref (task);
      return;
    }

  data = g_new0 (AccountData, 1);
  data->server_url = g_steal_pointer (&url);
  data->username = g_strdup (username);
  data->password = g_strdup (password);
  if (data_dir != NULL)
    data->data_dir = g_strdup (data_dir);
  else
    {
      g_autofree char *key = teren_sync_account_key (data->server_url, username);

      data->data_dir = teren_store_default_dir (key);
    }
  g_task_set_task_data (task, data, (GDestroyNotify) account_data_free);

  if (self->store != NULL && g_strcmp0 (self->data_dir, data->data_dir) == 0)
    {
      /* The same store (signing in again after a 401): keep it. */
      data->store = g_object_ref (self->store);
      login_send (task);
      return;
    }
  teren_store_open_async (data->data_dir, cancellable, login_store_opened_cb, task);
}

gboolean
teren_sync_engine_login_finish (TerenSyncEngine  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* open_account: store → server + user from it if not given → token from the keyring */

static void
open_token_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TerenSyncEngine *self = g_task_get_source_object (task);
  AccountData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->token = teren_sync_secret_lookup_finish (result, &error);
  if (error != NULL)
    g_debug ("No token from the Secret Service: %s", error->message);
  become_account (self, data);
  g_task_return_boolean (task, TRUE);
}

static void
open_meta_thread (GTask        *task,
                  gpointer      source,
                  gpointer      data_ptr,
                  GCancellable *cancellable)
{
  AccountData *data = data_ptr;

  if (data->server_url == NULL)
    data->server_url = teren_store_sync_get_meta (data->store, TEREN_SYNC_META_SERVER_URL);
  if (data->username == NULL)
    data->username = teren_store_sync_get_meta (data->store, TEREN_SYNC_META_USERNAME);
  data->display_name = teren_store_sync_get_meta (data->store, TEREN_SYNC_META_DISPLAY_NAME);
  if (data->username != NULL)
    teren_store_set_author (data->store, data->username);
  g_task_return_boolean (task, TRUE);
}

static void
open_meta_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  AccountData *data = g_task_get_task_data (task);

  g_task_propagate_boolean (G_TASK (result), NULL);
  if (data->server_url == NULL || data->username == NULL)
    {
      g_task_return_new_error (task, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_NOT_LOGGED_IN,
                               _("This data folder does not belong to an account yet; sign in "
                                 "first"));
      g_object_unref (task);
      return;
    }
  teren_sync_secret_lookup_async (data->server_url, data->username, g_task_get_cancellable (task),
                                  open_token_cb, task);
}

static void
open_store_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;

  if (account_store_opened (task, result))
    teren_sync_task_run_in_thread (task, NULL, open_meta_thread, open_meta_cb, task);
}

void
teren_sync_engine_open_account_async (TerenSyncEngine     *self,
                                      const char          *data_dir,
                                      const char          *server_url,
                                      const char          *username,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  GTask *task;
  AccountData *data;

  g_return_if_fail (TEREN_IS_SYNC_ENGINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, teren_sync_engine_open_account_async);
  data = g_new0 (AccountData, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) account_data_free);

  if (server_url != NULL)
    {
      GError *error = NULL;

      data->server_url = teren_sync_normalize_url (server_url, &error);
      if (data->server_url == NULL)
        {
          g_task_return_error (task, error);
          g_object_unref (task);
          return;
        }
    }
  data->username = g_strdup (username);
  if (data_dir != NULL)
    data->data_dir = g_strdup (data_dir);
  else if (data->server_url != NULL && username != NULL)
    {
      g_autofree char *key = teren_sync_account_key (data->server_url, username);

      data->data_dir = teren_store_default_dir (key);
    }
  else
    {
      g_task_return_new_error (task, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_NOT_LOGGED_IN,
                               _("Sign in first"));
      g_object_unref (task);
      return;
    }
  teren_store_open_async (data->data_dir, cancellable, open_store_cb, task);
}

gboolean
teren_sync_engine_open_account_finish (TerenSyncEngine  *self,
                                       GAsyncResult     *result,
                                       GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* logout */

static void
logout_cleared_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TerenSyncEngine *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!teren_sync_secret_clear_finish (result, &error))
    g_debug ("Token not removed from the keyring: %s", error->message);
  g_clear_pointer (&self->token, g_free);
  set_state (self, TEREN_SYNC_STATE_LOGGED_OUT);
  g_task_return_int (task, self->store != NULL ? teren_store_count_pending (self->store) : 0);
}

static void
logout_answered_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  TerenSyncEngine *self = TEREN_SYNC_ENGINE (source);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = request_finish (self, result, NULL, NULL, &error);
  if (bytes == NULL)
    g_debug ("Logout not confirmed by the server: %s", error->message);
  teren_sync_secret_clear_async (self->server_url, self->username, NULL, logout_cleared_cb, task);
}

void
teren_sync_engine_logout_async (TerenSyncEngine     *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (TEREN_IS_SYNC_ENGINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, teren_sync_engine_logout_async);
  teren_sync_engine_stop (self);
  if (self->server_url == NULL || self->username == NULL)
    {
      g_task_return_int (task, 0);
      g_object_unref (task);
      return;
    }
  if (self->token == NULL)
    {
      teren_sync_secret_clear_async (self->server_url, self->username, NULL, logout_cleared_cb, task);
      return;
    }
  ensure_session (self);
  request_async (self, "POST", "/logout", "{}", FALSE, cancellable, logout_answered_cb, task);
}

gboolean
teren_sync_engine_logout_finish (TerenSyncEngine  *self,
                                 GAsyncResult     *result,
                                 guint            *out_unsynced,
                                 GError          **error)
{
  gssize n;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  n = g_task_propagate_int (G_TASK (result), error);
  if (n < 0)
    return FALSE;
  if (out_unsynced != NULL)
    *out_unsynced = (guint) n;
  return TRUE;
}

/* verify_password: POST /login for the open account and device, then POST /logout with
 * the token it gave (best effort), so that checking a password changes nothing: the
 * engine keeps its own token. Used by the lock screen. */

static void
verify_logout_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = request_finish (TEREN_SYNC_ENGINE (source), result, NULL, NULL, &error);
  if (bytes == NULL)
    g_debug ("The check's token was not closed: %s", error->message);
}

static void
verify_answered_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TerenSyncEngine *self = TEREN_SYNC_ENGINE (source);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonObject) answer = NULL;
  GError *error = NULL;
  const char *token;

  bytes = request_finish (self, result, NULL, NULL, &error);
  if (bytes == NULL)
    {
      if (g_error_matches (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_UNAUTHORIZED))
        {
          g_clear_error (&error);
          error = g_error_new_literal (TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_BAD_CREDENTIALS,
                                       _("The password is not right"));
        }
      g_task_return_error (task, error);
      return;
    }
  answer = parse_small_body (bytes, NULL);
  token = answer != NULL ? teren_json_get_string (answer, "token", NULL) : NULL;
  if (token != NULL && token[0] != '\0')
    {
      g_autofree char *own = g_steal_pointer (&self->token);

      self->token = g_strdup (token);
      request_async (self, "POST", "/logout", "{}", FALSE, NULL, verify_logout_cb, NULL);
      memset (self->token, 0, strlen (self->token));
      g_free (self->token);
      self->token = g_steal_pointer (&own);
    }
  g_task_return_boolean (task, TRUE);
}

void
teren_sync_engine_verify_password_async (TerenSyncEngine     *self,
                                         const char          *password,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *json = NULL;
  g_autofree char *own = NULL;

  g_return_if_fail (TEREN_IS_SYNC_ENGINE (self));
  g_return_if_fail (password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, teren_sync_engine_verify_password_async);
  if (self->server_url == NULL || self->username == NULL || self->store == NULL)
    {
      g_task_return_new_error (task, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_NOT_LOGGED_IN,
                               _("Sign in first"));
      return;
    }
  json = login_body (self->username, password, self->store);
  ensure_session (self);
  own = g_steal_pointer (&self->token);
  request_async (self, "POST", "/login", json, FALSE, cancellable, verify_answered_cb,
                 g_steal_pointer (&task));
  self->token = g_steal_pointer (&own);
  memset (json, 0, strlen (json));
}

gboolean
teren_sync_engine_verify_password_finish (TerenSyncEngine  *self,
                                          GAsyncResult     *result,
                                          GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* me */

static void
me_answered_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TerenSyncEngine *self = TEREN_SYNC_ENGINE (source);
  g_autoptr(GBytes) bytes = NULL;
  JsonObject *answer;
  GError *error = NULL;

  bytes = request_finish (self, result, NULL, NULL, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  answer = parse_small_body (bytes, &error);
  if (answer == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (json_object_has_member (answer, "account") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (answer, "account")))
    {
      JsonObject *account = json_object_ref (json_object_get_object_member (answer, "account"));

      json_object_unref (answer);
      answer = account;
    }
  set_string_prop (self, &self->display_name,
                   teren_json_get_string (answer, "display_name", self->display_name),
                   PROP_DISPLAY_NAME);
  g_task_return_pointer (task, answer, (GDestroyNotify) json_object_unref);
}

void
teren_sync_engine_me_async (TerenSyncEngine     *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (TEREN_IS_SYNC_ENGINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, teren_sync_engine_me_async);
  if (self->token == NULL || self->server_url == NULL)
    {
      g_task_return_new_error (task, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_NOT_LOGGED_IN,
                               _("Sign in first"));
      g_object_unref (task);
      return;
    }
  ensure_session (self);
  request_async (self, "GET", "/me", NULL, FALSE, cancellable, me_answered_cb, task);
}

JsonObject *
teren_sync_engine_me_finish (TerenSyncEngine  *self,
                             GAsyncResult     *result,
                             GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- Getters and GObject --------------------------------------------------------------- */

TerenStore *
teren_sync_engine_get_store (TerenSyncEngine *self)
{
  g_return_val_if_fail (TEREN_IS_SYNC_ENGINE (self), NULL);
  return self->store;
}

const char *
teren_sync_engine_get_server_url (TerenSyncEngine *self)
{
  g_return_val_if_fail (TEREN_IS_SYNC_ENGINE (self), NULL);
  return self->server_url;
}

const char *
teren_sync_engine_get_username (TerenSyncEngine *self)
{
  g_return_val_if_fail (TEREN_IS_SYNC_ENGINE (self), NULL);
  return self->username;
}

TerenSyncState
teren_sync_engine_get_state (TerenSyncEngine *self)
{
  g_return_val_if_fail (TEREN_IS_SYNC_ENGINE (self), TEREN_SYNC_STATE_LOGGED_OUT);
  return self->state;
}

double
teren_sync_engine_get_progress (TerenSyncEngine *self)
{
  g_return_val_if_fail (TEREN_IS_SYNC_ENGINE (self), -1);
  return self->progress;
}

guint
teren_sync_engine_get_pending (TerenSyncEngine *self)
{
  g_return_val_if_fail (TEREN_IS_SYNC_ENGINE (self), 0);
  return self->pending;
}

GDateTime *
teren_sync_engine_get_last_synced (TerenSyncEngine *self)
{
  g_return_val_if_fail (TEREN_IS_SYNC_ENGINE (self), NULL);
  return self->last_synced;
}

const char *
teren_sync_engine_get_last_error (TerenSyncEngine *self)
{
  g_return_val_if_fail (TEREN_IS_SYNC_ENGINE (self), NULL);
  return self->last_error;
}

void
teren_sync_engine_set_interval (TerenSyncEngine *self,
                                guint            seconds)
{
  g_return_if_fail (TEREN_IS_SYNC_ENGINE (self));

  if (self->interval == seconds)
    return;
  self->interval = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL]);
  if (self->started && !self->running && self->backoff_attempt == 0 && seconds > 0)
    schedule_round (self, seconds * 1000);
}

static void
teren_sync_engine_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TerenSyncEngine *self = TEREN_SYNC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SERVER_URL:
      g_value_set_string (value, self->server_url);
      break;
    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;
    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_PENDING:
      g_value_set_uint (value, self->pending);
      break;
    case PROP_QUARANTINED:
      g_value_set_uint (value, self->quarantined);
      break;
    case PROP_CONFLICTS:
      g_value_set_uint (value, self->conflicts);
      break;
    case PROP_LAST_SYNCED:
      g_value_set_boxed (value, self->last_synced);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    case PROP_INTERVAL:
      g_value_set_uint (value, self->interval);
      break;
    case PROP_SAVE_DELAY:
      g_value_set_uint (value, self->save_delay);
      break;
    case PROP_CA_FILE:
      g_value_set_string (value, self->ca_file);
      break;
    case PROP_BACKOFF_BASE:
      g_value_set_uint (value, self->backoff_base);
      break;
    case PROP_BACKOFF_MAX:
      g_value_set_uint (value, self->backoff_max);
      break;
    case PROP_NETWORK_JITTER:
      g_value_set_uint (value, self->network_jitter);
      break;
    case PROP_REQUEST_TIMEOUT:
      g_value_set_uint (value, self->request_timeout);
      break;
    case PROP_PULL_LIMIT:
      g_value_set_uint (value, self->pull_limit);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
teren_sync_engine_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TerenSyncEngine *self = TEREN_SYNC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_INTERVAL:
      teren_sync_engine_set_interval (self, g_value_get_uint (value));
      break;
    case PROP_SAVE_DELAY:
      self->save_delay = g_value_get_uint (value);
      break;
    case PROP_CA_FILE:
      g_free (self->ca_file);
      self->ca_file = g_value_dup_string (value);
      break;
    case PROP_BACKOFF_BASE:
      self->backoff_base = MAX (g_value_get_uint (value), 1);
      break;
    case PROP_BACKOFF_MAX:
      self->backoff_max = MAX (g_value_get_uint (value), 1);
      break;
    case PROP_NETWORK_JITTER:
      self->network_jitter = g_value_get_uint (value);
      break;
    case PROP_REQUEST_TIMEOUT:
      self->request_timeout = MAX (g_value_get_uint (value), 1);
      if (self->session != NULL)
        g_object_set (self->session, "timeout", self->request_timeout, NULL);
      break;
    case PROP_PULL_LIMIT:
      self->pull_limit = CLAMP (g_value_get_uint (value), 1, PULL_LIMIT);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
teren_sync_engine_dispose (GObject *object)
{
  TerenSyncEngine *self = TEREN_SYNC_ENGINE (object);

  teren_sync_engine_stop (self);
  if (self->monitor != NULL)
    {
      g_clear_signal_handler (&self->network_handler, self->monitor);
      g_clear_object (&self->monitor);
    }
  if (self->store != NULL)
    g_clear_signal_handler (&self->oplog_handler, self->store);
  g_clear_object (&self->store);
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->round_cancellable);

  G_OBJECT_CLASS (teren_sync_engine_parent_class)->dispose (object);
}

static void
teren_sync_engine_finalize (GObject *object)
{
  TerenSyncEngine *self = TEREN_SYNC_ENGINE (object);

  g_free (self->data_dir);
  g_free (self->server_url);
  g_free (self->username);
  g_free (self->display_name);
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  g_clear_pointer (&self->last_synced, g_date_time_unref);
  g_free (self->last_error);
  g_free (self->ca_file);

  G_OBJECT_CLASS (teren_sync_engine_parent_class)->finalize (object);
}

static void
teren_sync_engine_class_init (TerenSyncEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->get_property = teren_sync_engine_get_property;
  object_class->set_property = teren_sync_engine_set_property;
  object_class->dispose = teren_sync_engine_dispose;
  object_class->finalize = teren_sync_engine_finalize;

  properties[PROP_STORE] = g_param_spec_object ("store", NULL, NULL, TEREN_TYPE_STORE, ro);
  properties[PROP_SERVER_URL] = g_param_spec_string ("server-url", NULL, NULL, NULL, ro);
  properties[PROP_USERNAME] = g_param_spec_string ("username", NULL, NULL, NULL, ro);
  properties[PROP_DISPLAY_NAME] = g_param_spec_string ("display-name", NULL, NULL, NULL, ro);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, TEREN_TYPE_SYNC_STATE,
                                              TEREN_SYNC_STATE_LOGGED_OUT, ro);
  properties[PROP_PROGRESS] = g_param_spec_double ("progress", NULL, NULL, -1, 1, -1, ro);
  properties[PROP_PENDING] = g_param_spec_uint ("pending", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_QUARANTINED] = g_param_spec_uint ("quarantined", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_CONFLICTS] = g_param_spec_uint ("conflicts", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_LAST_SYNCED] = g_param_spec_boxed ("last-synced", NULL, NULL, G_TYPE_DATE_TIME, ro);
  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL, ro);
  properties[PROP_INTERVAL] = g_param_spec_uint ("interval", NULL, NULL, 0, G_MAXUINT / 1000, 300, rw);
  properties[PROP_SAVE_DELAY] = g_param_spec_uint ("save-delay", NULL, NULL, 0, G_MAXUINT, 3000, rw);
  properties[PROP_CA_FILE] = g_param_spec_string ("ca-file", NULL, NULL, NULL, rw);
  /* For tests: the backoff schedule, the network jitter and the request deadline. */
  properties[PROP_BACKOFF_BASE] = g_param_spec_uint ("backoff-base", NULL, NULL, 1, G_MAXUINT,
                                                     BACKOFF_BASE_MS, rw);
  properties[PROP_BACKOFF_MAX] = g_param_spec_uint ("backoff-max", NULL, NULL, 1, G_MAXUINT,
                                                    BACKOFF_MAX_MS, rw);
  properties[PROP_NETWORK_JITTER] = g_param_spec_uint ("network-jitter", NULL, NULL, 0, G_MAXUINT,
                                                       NETWORK_JITTER_MS, rw);
  properties[PROP_REQUEST_TIMEOUT] = g_param_spec_uint ("request-timeout", NULL, NULL, 1, 3600,
                                                        REQUEST_TIMEOUT_S, rw);
  properties[PROP_PULL_LIMIT] = g_param_spec_uint ("pull-limit", NULL, NULL, 1, PULL_LIMIT,
                                                   PULL_LIMIT, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_ROUND_FINISHED] =
    g_signal_new ("round-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, TEREN_TYPE_SYNC_SUMMARY | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_ERROR);
  signals[SIGNAL_REVOKED] =
    g_signal_new ("revoked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
teren_sync_engine_init (TerenSyncEngine *self)
{
  self->state = TEREN_SYNC_STATE_LOGGED_OUT;
  self->progress = -1;
  self->interval = 300;
  self->save_delay = 3000;
  self->backoff_base = BACKOFF_BASE_MS;
  self->backoff_max = BACKOFF_MAX_MS;
  self->network_jitter = NETWORK_JITTER_MS;
  self->request_timeout = REQUEST_TIMEOUT_S;
  self->pull_limit = PULL_LIMIT;
}

TerenSyncEngine *
teren_sync_engine_new (void)
{
  return g_object_new (TEREN_TYPE_SYNC_ENGINE, NULL);
}
