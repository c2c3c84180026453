/* teren-sync-test-util.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "teren-server-test-util.h"
#include "teren-store.h"
#include "teren-store-blobs.h"
#include "teren-sync-engine.h"

G_BEGIN_DECLS

/* The password of every account the sync tests add to their server. */
#define TEST_PASSWORD "parola-de-test-1"

/* ---- A loopback TCP proxy that injects faults (SYNC-NOTES §4.2) ---------------------- */

typedef struct _TestProxy TestProxy;

TestProxy   *test_proxy_new              (guint16      upstream_port,
                                          guint32      seed);
void         test_proxy_free             (TestProxy   *proxy);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestProxy, test_proxy_free)
/* "http://127.0.0.1:PORT" */
const char  *test_proxy_get_url          (TestProxy   *proxy);
void         test_proxy_set_upstream     (TestProxy   *proxy,
                                          guint16      upstream_port);
/* The next @n responses to POST /push are dropped: the request reaches the server, the
 * client connection is closed before any answer byte. */
void         test_proxy_drop_push_responses (TestProxy *proxy,
                                             guint      n);
/* Per connection, with these probabilities (0–100): close with a TCP reset after the
 * request went through; cut the answer after a random number of bytes; delay the answer
 * by @delay_ms. */
void         test_proxy_set_faults       (TestProxy   *proxy,
                                          guint        reset_percent,
                                          guint        truncate_percent,
                                          guint        delay_percent,
                                          guint        delay_ms);
/* SIGKILL @pid when the next request whose first line starts with @request_prefix has
 * been forwarded (e.g. "POST /api/v1/push"). @pid 0 disarms. */
void         test_proxy_kill_on          (TestProxy   *proxy,
                                          const char  *request_prefix,
                                          GPid         pid);
/* The next @count requests (G_MAXUINT: until told otherwise) are answered by the proxy
 * itself, never reaching the server: status @status, the header lines @headers ("Name:
 * value\r\n" each, nullable), a JSON error body and Connection: close. @status 0 forwards
 * again. (SYNC-NOTES S11: a server answering 500, then 429 with Retry-After.) */
void         test_proxy_answer           (TestProxy   *proxy,
                                          guint        status,
                                          const char  *headers,
                                          guint        count);

/* The proxy's own answers (test_proxy_answer) go out @delay_ms after the request came:
 * a slow failing server. */
void         test_proxy_set_answer_delay (TestProxy   *proxy,
                                          guint        delay_ms);

/* A request as the proxy saw it arrive. */
typedef struct {
  gint64 arrived;     /* g_get_monotonic_time () when its first bytes came in */
  guint  answered;    /* the status the proxy answered itself, or 0 when forwarded */
  char   line[48];    /* the start of its request line, e.g. "POST /api/v1/push" */
} TestProxyRequest;

/* Every request since the proxy started (or since the last clear), in arrival order.
 * (transfer full) GArray of TestProxyRequest */
GArray      *test_proxy_get_requests     (TestProxy   *proxy);
void         test_proxy_clear_requests   (TestProxy   *proxy);
guint        test_proxy_get_dropped      (TestProxy   *proxy);
guint        test_proxy_get_faults       (TestProxy   *proxy);
gboolean     test_proxy_get_killed       (TestProxy   *proxy);

/* ---- Engines driven synchronously on the default main context ------------------------- */

/* A new engine with a short backoff (test schedule) and no network jitter. */
TerenSyncEngine  *test_engine_new        (void);
gboolean          test_engine_login      (TerenSyncEngine  *engine,
                                          const char       *url,
                                          const char       *username,
                                          const char       *password,
                                          const char       *data_dir,
                                          GError          **error);
/* One round; (transfer full) summary or NULL with @error. */
TerenSyncSummary *test_engine_sync       (TerenSyncEngine  *engine,
                                          GError          **error);
/* One round cancelled after @cancel_after_ms. */
TerenSyncSummary *test_engine_sync_cancel_after (TerenSyncEngine *engine,
                                                 guint            cancel_after_ms,
                                                 GError         **error);
/* Iterates the default main context until @done is TRUE or @timeout_ms passed. */
gboolean          test_wait_until        (gboolean        (*done) (gpointer data),
                                          gpointer          data,
                                          guint             timeout_ms);

/* A test engine logged in at @url as @user (password TEST_PASSWORD) with its data in
 * @root/@dir_name; fails the test when the login fails. (transfer full) */
TerenSyncEngine  *test_engine_login_ok   (const char       *url,
                                          const char       *user,
                                          const char       *root,
                                          const char       *dir_name);
/* One round that must succeed; (transfer full) summary. */
TerenSyncSummary *test_sync_ok           (TerenSyncEngine  *engine);
/* One round that must succeed, its summary dropped. */
void              test_sync_quiet        (TerenSyncEngine  *engine);
/* For test_wait_until: the proxy @data has killed the server (test_proxy_kill_on). */
gboolean          test_proxy_killed      (gpointer          data);

/* The shared part of the sync tests' fixtures: sets @out_root to a new folder made from
 * @tmp_template (g_dir_make_tmp), @out_server to a started teren-server, and adds the
 * accounts given as NULL-terminated triples of user name, lines and role (password
 * TEST_PASSWORD). */
void              test_server_fixture_set_up    (TerenTestServer **out_server,
                                                 char            **out_root,
                                                 const char       *tmp_template,
                                                 ...) G_GNUC_NULL_TERMINATED;
/* Stops and frees *@server, removes *@root with all in it, and clears both. */
void              test_server_fixture_tear_down (TerenTestServer **server,
                                                 char            **root);

/* A Secret Service is reachable (the keyring of build-aux/test-session.sh). */
gboolean          test_have_keyring      (void);

/* TRUE when a Secret Service is reachable; otherwise marks the test skipped ("run under
 * build-aux/test-session.sh") and returns FALSE. */
gboolean          test_need_keyring      (void);

/* The token of ro.daps.Teren.Token for @url + @user, or NULL. (transfer full) */
char             *test_keyring_token     (const char       *url,
                                          const char       *user);

/* The string field @key of record @id in @engine's store (NULL when unset); fails the test
 * when the record cannot be read. (transfer full) */
char             *test_string_of         (TerenSyncEngine  *engine,
                                          const char       *id,
                                          const char       *key);
/* Asserts that record @id has one open conflict, on @field, whose server, local and base
 * values are these strings, then resolves it with the string @choice. (transfer full) the
 * record as resolved */
TerenRecord      *test_resolve_one_conflict (TerenStore    *store,
                                             const char    *id,
                                             const char    *field,
                                             const char    *server,
                                             const char    *local,
                                             const char    *base,
                                             const char    *choice);

/* "id rev deleted fields" of every non-deleted record, sorted, one a line. (transfer full) */
char             *test_store_dump        (TerenStore       *store);

/* Removes a folder and everything in it. */
void              test_remove_tree       (const char       *path);

/* person + case (line "child") fields. (transfer full) */
JsonObject       *test_person           (const char       *last_name,
                                          const char       *first_name);
JsonObject       *test_case             (const char       *person_id);
/* Saves in @store a person (test_person) and returns her id. (transfer full) */
char             *test_save_person      (TerenStore       *store,
                                          const char       *last_name,
                                          const char       *first_name);
/* Saves in @store a child case (test_case) of @person_id and returns its id. (transfer full) */
char             *test_save_case        (TerenStore       *store,
                                          const char       *person_id);
/* Saves in @store a person and her child case; returns the person's id. (transfer full) */
char             *test_save_person_with_case (TerenStore  *store,
                                               const char  *last_name,
                                               const char  *first_name);

/* The attachment object of the file at @path, imported into @engine's store. (transfer full) */
JsonObject       *test_import_blob      (TerenSyncEngine  *engine,
                                          const char       *path);
/* A person and a child case holding the attachments @first and @second (nullable); the
 * case's id. (transfer full) */
char             *test_save_case_with   (TerenSyncEngine  *engine,
                                          JsonObject       *first,
                                          JsonObject       *second);
/* Downloads (or finds) @attachment's bytes on @engine; the path (transfer full), or NULL
 * with @error set. */
char             *test_fetch_blob       (TerenSyncEngine  *engine,
                                          JsonObject       *attachment,
                                          GError          **error);
/* The files at @a and @b hold the same bytes. */
void              test_assert_same_file (const char       *a,
                                          const char       *b);
/* @engine's store has @pending operations waiting to be pushed and none quarantined. */
void              test_assert_pending   (TerenSyncEngine  *engine,
                                          guint            pending);
/* The local state of @attachment's blob in @engine's store. */
TerenBlobState    test_blob_state       (TerenSyncEngine  *engine,
                                          JsonObject       *attachment);

G_END_DECLS
