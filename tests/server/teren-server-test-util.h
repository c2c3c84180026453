/* teren-server-test-util.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Black-box helpers for the integration tests of teren-server: the real binary
 * (TEREN_SERVER_BIN) on a random loopback port with a temporary data folder, its admin
 * CLI, and a small libsoup client. Nothing here knows the server's internals. */

typedef struct {
  char        *bin;         /* teren-server */
  char        *root;        /* temporary folder, removed by _free() */
  char        *data_dir;    /* root/data */
  GSubprocess *proc;        /* NULL while stopped */
  guint        n_starts;
  char        *scheme;      /* "http" or "https" */
  char        *host;        /* "127.0.0.1" */
  guint16      port;
  char        *base_url;    /* scheme://host:port */
  char        *out_path;    /* stdout of the current run */
  char        *err_path;    /* stderr of the current run */
  GStrv        extra_args;  /* arguments added to every `serve` */
  GStrv        extra_env;   /* "NAME=VALUE" added to the server's environment */
} TerenTestServer;

TerenTestServer *teren_test_server_new          (void);
void             teren_test_server_free         (TerenTestServer *server);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TerenTestServer, teren_test_server_free)

/* Extra `serve` arguments and environment, kept for restarts. */
void             teren_test_server_set_args     (TerenTestServer    *server,
                                                 const char * const *args);
void             teren_test_server_set_env      (TerenTestServer    *server,
                                                 const char * const *env);

/* Starts `serve --data-dir D --listen 127.0.0.1:0` (or @listen) and waits for the line
 * "listening on SCHEME://HOST:PORT". Asserts on failure. */
void             teren_test_server_start        (TerenTestServer *server);
void             teren_test_server_start_listen (TerenTestServer *server,
                                                 const char      *listen);
/* Same, but returns FALSE instead of asserting (the process exited first); @out_status
 * gets its exit status. */
gboolean         teren_test_server_try_start    (TerenTestServer *server,
                                                 const char      *listen,
                                                 int             *out_status);
/* SIGKILL and reap. */
void             teren_test_server_kill         (TerenTestServer *server);
/* SIGTERM, wait up to @timeout_s seconds; returns the exit status (-1 = still running,
 * then killed). */
int              teren_test_server_term         (TerenTestServer *server,
                                                 guint            timeout_s);
gboolean         teren_test_server_is_running   (TerenTestServer *server);
/* Waits up to @timeout_s seconds for the server to end by itself (a crash point) and
 * reaps it; returns its exit status, 128 + the signal if one ended it, or -1 if it was
 * still running (then killed). */
int              teren_test_server_wait_exit    (TerenTestServer *server,
                                                 guint            timeout_s);
/* Whole stderr / stdout of the current (or last) run. (transfer full) */
char            *teren_test_server_get_stderr   (TerenTestServer *server);
char            *teren_test_server_get_stdout   (TerenTestServer *server);
GPid             teren_test_server_get_pid      (TerenTestServer *server);

/* Runs `teren-server ARGS… --data-dir D` with @stdin_text (may be NULL) on stdin; returns
 * the exit status; out/err are optional (transfer full). */
int              teren_test_server_cli          (TerenTestServer    *server,
                                                 const char         *stdin_text,
                                                 char              **out_stdout,
                                                 char              **out_stderr,
                                                 const char * const *args);
/* The same, variadic, NULL-terminated. */
int              teren_test_server_clif         (TerenTestServer    *server,
                                                 const char         *stdin_text,
                                                 char              **out_stdout,
                                                 char              **out_stderr,
                                                 ...) G_GNUC_NULL_TERMINATED;
/* `user add NAME --lines L --role R` with the password on stdin; asserts success. */
void             teren_test_server_add_user     (TerenTestServer *server,
                                                 const char      *name,
                                                 const char      *password,
                                                 const char      *lines,
                                                 const char      *role);

/* Every SQLite database under the data folder (by file header). (transfer full) */
GPtrArray       *teren_test_server_find_databases (TerenTestServer *server);
/* PRAGMA integrity_check on every database of the data folder; asserts "ok". */
void             teren_test_server_assert_integrity (TerenTestServer *server);
/* `audit --record @record_id`: the change ids of its revisions, in order, asserting that the
 * revisions are 1, 2, … n and that no change id appears twice (SYNC.md invariant 2).
 * (transfer full) (element-type utf8) */
GPtrArray       *teren_test_server_history  (TerenTestServer *server,
                                             const char      *record_id);

/* ---- HTTP ---- */

typedef struct {
  guint       status;
  char       *body;         /* NUL-terminated, may contain NULs before */
  gsize       length;
  JsonNode   *json;         /* parsed body, or NULL */
  char       *retry_after;  /* header, or NULL */
  char       *content_type;
  char       *content_encoding;  /* raw requests only (libsoup decodes) */
  GError     *error;        /* transport error; status is 0 then */
} TerenTestResponse;

void               teren_test_response_free   (TerenTestResponse *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TerenTestResponse, teren_test_response_free)

JsonObject        *teren_test_response_object (TerenTestResponse *response);
/* The `error` member of a JSON error answer, or NULL. */
const char        *teren_test_response_error  (TerenTestResponse *response);
/* Asserts a non-2xx answer with @status (0 = any 4xx) whose body is
 * {"error": @code, "message": non-empty}; @code NULL = any stable code. */
void               teren_test_assert_error    (TerenTestResponse *response,
                                               guint              status,
                                               const char        *code);

/* A session whose sync calls run on a private main context. */
SoupSession       *teren_test_session_new     (void);

/* Accepts exactly @certificate (a self-signed test certificate) on HTTPS, nothing else. */
void               teren_test_session_trust_certificate (SoupSession     *session,
                                                         GTlsCertificate *certificate);

/* Sends a request to server->base_url + @path. @token and @body may be NULL. */
TerenTestResponse *teren_test_request         (SoupSession     *session,
                                               TerenTestServer *server,
                                               const char      *method,
                                               const char      *path,
                                               const char      *token,
                                               const char      *body,
                                               gssize           length);
/* Same, extra headers as NULL-terminated name/value pairs. */
TerenTestResponse *teren_test_request_full    (SoupSession        *session,
                                               TerenTestServer    *server,
                                               const char         *method,
                                               const char         *path,
                                               const char         *token,
                                               const char         *body,
                                               gssize              length,
                                               const char * const *headers);

/* Bytes on a plain TCP connection (no libsoup): writes @data (ignoring a write error after
 * the server closed), waits up to @timeout_ms for the answer, parses status and body. */
TerenTestResponse *teren_test_raw_request     (TerenTestServer *server,
                                               const char      *data,
                                               gsize            length,
                                               guint            timeout_ms);

/* The same in steps, for partial bodies. */
GSocketConnection *teren_test_raw_connect     (TerenTestServer   *server);
gboolean           teren_test_raw_write       (GSocketConnection *connection,
                                               const char        *data,
                                               gsize              length);
/* Reads one answer; error G_IO_ERROR_TIMED_OUT if none within @timeout_ms,
 * G_IO_ERROR_CONNECTION_CLOSED if the server closed without answering. */
TerenTestResponse *teren_test_raw_read_response (GSocketConnection *connection,
                                                 guint              timeout_ms);

/* ---- A simulated device: one login, a cursor and the records it holds ---- */

typedef struct {
  TerenTestServer *server;
  SoupSession     *session;
  char            *username;
  char            *password;
  char            *device_id;
  char            *token;
  char            *cursor;     /* NULL before the first pull */
  GHashTable      *records;    /* id → JsonObject (the record as pulled) */
  GPtrArray       *purged;     /* ids purged by the last pull_all */
} TerenTestDevice;

/* Logs in (asserts 200). @device_id NULL = a new UUID. */
TerenTestDevice   *teren_test_device_new      (TerenTestServer *server,
                                               const char      *username,
                                               const char      *password,
                                               const char      *device_id);
/* Same with a given session (e.g. one that trusts a test certificate). */
TerenTestDevice   *teren_test_device_new_with_session (TerenTestServer *server,
                                                       SoupSession     *session,
                                                       const char      *username,
                                                       const char      *password,
                                                       const char      *device_id);
void               teren_test_device_free     (TerenTestDevice *device);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TerenTestDevice, teren_test_device_free)

/* POST /api/v1/login; answer as is. */
TerenTestResponse *teren_test_login           (SoupSession     *session,
                                               TerenTestServer *server,
                                               const char      *username,
                                               const char      *password,
                                               const char      *device_id);

/* POST /api/v1/push with {"ops": @ops}; the answer as is. */
TerenTestResponse *teren_test_device_push_raw (TerenTestDevice *device,
                                               JsonArray       *ops);
/* Same, asserts 200 and one result per op; returns the results (transfer full). */
JsonArray         *teren_test_device_push     (TerenTestDevice *device,
                                               JsonArray       *ops);
/* One op; returns its result object (transfer full). */
JsonObject        *teren_test_device_push_one (TerenTestDevice *device,
                                               JsonObject      *op);
/* GET /api/v1/pull from the device's cursor until more is false, @limit per page (0 =
 * the server's default); applies records whose rev is newer, removes purged ids.
 * Returns the number of pages. Asserts 200 answers. */
guint              teren_test_device_pull_all (TerenTestDevice *device,
                                               guint            limit);
/* A record the device holds, or NULL. */
JsonObject        *teren_test_device_get      (TerenTestDevice *device,
                                               const char      *id);

/* Forgets the cursor and the records, pulls everything again, and returns a canonical text
 * of what the account sees: one line "id rev deleted fields" per record, sorted.
 * (transfer full) */
char              *teren_test_device_snapshot (TerenTestDevice *device);

/* Status member of a push result. */
const char        *teren_test_result_status   (JsonObject *result);

/* ---- Records and operations ---- */

/* A valid CNP (DOMAIN.md §C1) for @sex 'M'/'F' born on that date in 1900–2099.
 * (transfer full) */
char              *teren_test_make_cnp        (char  sex,
                                               int   year,
                                               int   month,
                                               int   day,
                                               int   county,
                                               int   sequence);

/* A complete, valid person: cnp_status "missing", names, sex. @rand NULL = fixed
 * values. (transfer full) */
JsonObject        *teren_test_person_fields   (GRand      *rand);
/* A complete, valid case of @person. (transfer full) */
JsonObject        *teren_test_case_fields     (const char *person_id);
/* A complete, valid visit of @case_id/@person_id. (transfer full) */
JsonObject        *teren_test_visit_fields    (const char *person_id,
                                               const char *case_id);

/* An operation object. @patch (transfer full); @record_id NULL = a new UUID;
 * @prev_change may be NULL. (transfer full) */
JsonObject        *teren_test_op_new          (const char *op,
                                               const char *record_id,
                                               const char *kind,
                                               const char *line,
                                               gint64      base_rev,
                                               JsonObject *patch,
                                               const char *prev_change);
/* An array of @op (transfer full of the op). (transfer full) */
JsonArray         *teren_test_ops1            (JsonObject *op);
/* {"ops": @ops} as text. (transfer full) */
char              *teren_test_ops_to_body     (JsonArray  *ops);

/* Whether @node holds, at any depth, a member "code" (or "error") equal to @code. */
gboolean           teren_test_json_has_code   (JsonNode   *node,
                                               const char *code);
gboolean           teren_test_object_has_code (JsonObject *object,
                                               const char *code);

/* Compact JSON of a node / object. (transfer full) */
char              *teren_test_json_to_string  (JsonNode   *node);
char              *teren_test_object_to_string (JsonObject *object);

/* Waits on the default main context until @deadline_ms passed. */
void               teren_test_sleep_ms        (guint       ms);

G_END_DECLS
