/* teren-server-backend.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "teren-op.h"

G_BEGIN_DECLS

/* The server's storage behind one small interface (issue 3): open, apply operations, read
 * history, feed pages, accounts/tokens/devices, audit, nomenclatures. The HTTP layer and the
 * admin commands only call the functions below; a backend (SQLite by default, PostgreSQL
 * later) fills in a TerenServerBackendClass. Every function is safe to call from any thread. */

typedef struct _TerenServerBackend TerenServerBackend;

typedef enum {
  TEREN_SERVER_ROLE_WORKER,
  TEREN_SERVER_ROLE_SUPERVISOR,
  TEREN_SERVER_ROLE_ADMIN,
} TerenServerRole;

const char *teren_server_role_to_string   (TerenServerRole  role);
gboolean    teren_server_role_from_string (const char      *text,
                                           TerenServerRole *out_role);

typedef struct {
  gint64           id;
  char            *username;
  char            *display_name;
  TerenServerRole  role;
  GStrv            lines;          /* never NULL */
  gboolean         disabled;
  gint64           scope_version;
} TerenServerAccount;

TerenServerAccount *teren_server_account_copy (const TerenServerAccount *account);
void                teren_server_account_free (TerenServerAccount       *account);
gboolean            teren_server_account_has_line (const TerenServerAccount *account,
                                                   const char               *line);
/* {"username","display_name","roles":[…],"lines":[…]} (transfer full) */
JsonNode           *teren_server_account_to_json (const TerenServerAccount *account);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TerenServerAccount, teren_server_account_free)

/* Who is calling: the account and the device its token is bound to. */
typedef struct {
  TerenServerAccount *account;
  char               *device_id;
  char               *address;     /* remote address, for the audit; nullable */
} TerenServerCaller;

void teren_server_caller_free (TerenServerCaller *caller);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TerenServerCaller, teren_server_caller_free)

/* A position in a feed (decoded cursor). */
typedef struct {
  gint64  seq;             /* last seq delivered in the normal phase */
  gint64  scope_version;   /* the account's scope version when the cursor was made */
  gint64  tomb_floor;      /* tombstones at or below this seq are not sent (first pull) */
  gboolean backfill;       /* TRUE while backfilling @backfill_keys */
  gint64  backfill_pos;    /* last seq delivered in the backfill */
  char   *backfill_keys;   /* comma-separated scope keys being backfilled, or NULL */
} TerenServerFeedPos;

void teren_server_feed_pos_clear (TerenServerFeedPos *pos);

/* One page of the pull feed: @records_json is the text of the "records" array members
 * joined by commas (without brackets), built from stored JSON. */
typedef struct {
  GString            *records_json;
  GPtrArray          *record_ids;   /* char*, delivered ids, for the audit */
  GPtrArray          *purge;        /* char*, ids that left the scope */
  TerenServerFeedPos  next;
  gboolean            more;
} TerenServerFeedPage;

void teren_server_feed_page_free (TerenServerFeedPage *page);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TerenServerFeedPage, teren_server_feed_page_free)

/* One revision of a record, for `teren-server audit --record`. */
typedef struct {
  gint64  rev;
  gint64  seq;
  char   *server_time;
  char   *account;
  char   *device_id;
  char   *op;
  char   *change_id;
  char   *changed_fields;  /* comma-joined names */
} TerenServerRevision;

void teren_server_revision_free (TerenServerRevision *revision);

/* One record of an account's scope, for the integrity digest (SYNC.md). */
typedef struct {
  char   *id;
  gint64  rev;
} TerenServerIdRev;

void teren_server_id_rev_free (TerenServerIdRev *item);

/* A device as listed by `teren-server device list`. */
typedef struct {
  char     *device_id;
  char     *username;
  char     *name;
  gboolean  revoked;
} TerenServerDevice;

void teren_server_device_free (TerenServerDevice *device);

/* Result of a token check. */
typedef enum {
  TEREN_SERVER_TOKEN_OK,
  TEREN_SERVER_TOKEN_INVALID,     /* unknown, expired, logged out, account disabled */
  TEREN_SERVER_TOKEN_REVOKED,     /* the device was revoked */
} TerenServerTokenStatus;

/* A stored attachment (issue 8). */
typedef struct {
  char   *hex;           /* the 64 lower-case hex digits of its SHA-256 */
  gint64  size;
  char   *mime;
  gint64  uploaded_by;   /* account id */
  char   *created_at;
} TerenServerBlobInfo;

void teren_server_blob_info_free (TerenServerBlobInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TerenServerBlobInfo, teren_server_blob_info_free)

typedef enum {
  TEREN_SERVER_BLOB_ACCESS_OK,
  TEREN_SERVER_BLOB_ACCESS_FORBIDDEN,
  TEREN_SERVER_BLOB_ACCESS_NOT_FOUND,
} TerenServerBlobAccess;

/* Called inside the backend's write transaction: puts (or removes) the blob's file.
 * FALSE with @error aborts the write. */
typedef gboolean (*TerenServerBlobFileFunc) (const char *hex,
                                             gpointer    user_data,
                                             GError    **error);

typedef struct {
  void      (*free)            (TerenServerBackend *self);
  gboolean  (*close)           (TerenServerBackend *self,
                                GError            **error);
  const char *(*get_epoch)     (TerenServerBackend *self);
  const guint8 *(*get_secret)  (TerenServerBackend *self);   /* 32 bytes, for cursor MACs */

  /* Operations */
  /* @ops: TerenOp*; @out_results: one JSON object text per op, in order. */
  gboolean  (*push)            (TerenServerBackend *self,
                                const TerenServerCaller *caller,
                                GPtrArray          *ops,
                                GPtrArray         **out_results,
                                GError            **error);
  gboolean  (*feed_page)       (TerenServerBackend *self,
                                const TerenServerCaller *caller,
                                const TerenServerFeedPos *from,
                                guint               limit,
                                gsize               max_bytes,
                                TerenServerFeedPage **out_page,
                                GError            **error);
  /* The non-deleted records the caller may see, as (id, rev), sorted by id; @bucket is
   * the first hex digit of the ids to list, or -1 for all. */
  gboolean  (*scope_ids)       (TerenServerBackend *self,
                                const TerenServerCaller *caller,
                                int                 bucket,
                                GPtrArray         **out_items,
                                GError            **error);
  /* The records of @ids the caller may see (as in a pull page, tombstones included) and
   * the ids it may not see or that do not exist. */
  gboolean  (*fetch)           (TerenServerBackend *self,
                                const TerenServerCaller *caller,
                                const char * const *ids,
                                GString            *out_records_json,
                                GPtrArray          *out_missing,
                                GError            **error);
  gboolean  (*record_history)  (TerenServerBackend *self,
                                const char         *record_id,
                                GPtrArray         **out_revisions,
                                GError            **error);

  /* Accounts, devices, tokens */
  gboolean  (*account_add)     (TerenServerBackend *self,
                                const char         *username,
                                const char         *display_name,
                                TerenServerRole     role,
                                const char * const *lines,
                                const char         *password_hash,
                                GError            **error);
  TerenServerAccount *(*account_lookup) (TerenServerBackend *self,
                                         const char         *username,
                                         char              **out_password_hash,
                                         GError            **error);
  gboolean  (*account_set_password) (TerenServerBackend *self,
                                     const char         *username,
                                     const char         *password_hash,
                                     GError            **error);
  gboolean  (*account_set_lines) (TerenServerBackend *self,
                                  const char         *username,
                                  const char * const *lines,
                                  GError            **error);
  gboolean  (*account_set_role) (TerenServerBackend *self,
                                 const char         *username,
                                 TerenServerRole     role,
                                 GError            **error);
  gboolean  (*account_set_disabled) (TerenServerBackend *self,
                                     const char         *username,
                                     gboolean            disabled,
                                     GError            **error);
  GPtrArray *(*account_list)   (TerenServerBackend *self,
                                GError            **error);
  /* Registers @device_id for the account (or finds it); FALSE with TEREN_ERROR_PERMISSION
   * if that device is revoked. Stores @token_hash bound to it. */
  gboolean  (*token_create)    (TerenServerBackend *self,
                                gint64              account_id,
                                const char         *device_id,
                                const char         *device_name,
                                const char         *token_hash,
                                gint64              now,
                                GError            **error);
  TerenServerTokenStatus (*token_check) (TerenServerBackend *self,
                                         const char         *token_hash,
                                         gint64              now,
                                         gint64              idle_limit,
                                         TerenServerCaller **out_caller,
                                         GError            **error);
  gboolean  (*token_revoke)    (TerenServerBackend *self,
                                const char         *token_hash,
                                GError            **error);
  gboolean  (*device_revoke)   (TerenServerBackend *self,
                                const char         *device_id,
                                GError            **error);
  GPtrArray *(*device_list)    (TerenServerBackend *self,
                                GError            **error);

  /* Audit: @detail is a JSON text (never record contents). */
  gboolean  (*audit)           (TerenServerBackend *self,
                                const char         *account,
                                const char         *device_id,
                                const char         *action,
                                const char         *record_id,
                                const char         *change_id,
                                const char         *detail,
                                GError            **error);

  /* Nomenclatures: replaces the list @kind by @entries (JsonObject*, each with "code"). */
  gboolean  (*nomenclature_replace) (TerenServerBackend *self,
                                     const char         *kind,
                                     GPtrArray          *entries,
                                     guint              *out_changed,
                                     GError            **error);
  gboolean  (*nomenclature_page) (TerenServerBackend *self,
                                  gint64              after_seq,
                                  guint               limit,
                                  GString            *out_items_json,
                                  gint64             *out_last_seq,
                                  gboolean           *out_more,
                                  GError            **error);
  /* Attachments (issue 8). */
  /* The blob's metadata, or *@out_info = NULL if unknown. */
  gboolean  (*blob_get)        (TerenServerBackend *self,
                                const char         *hex,
                                TerenServerBlobInfo **out_info,
                                GError            **error);
  /* In one write: @install (puts the file in place), the metadata row unless it is
   * there, and the audit row "blob_upload"; *@out_created tells whether the row is new. */
  gboolean  (*blob_put)        (TerenServerBackend *self,
                                const TerenServerCaller *caller,
                                const char         *hex,
                                gint64              size,
                                const char         *mime,
                                TerenServerBlobFileFunc install,
                                gpointer            user_data,
                                gboolean           *out_created,
                                GError            **error);
  /* Whether the caller may read the blob: a record (any revision) referencing it is in
   * its scope, or it uploaded it and nothing references it yet. */
  TerenServerBlobAccess (*blob_access) (TerenServerBackend *self,
                                        const TerenServerCaller *caller,
                                        const char         *hex,
                                        TerenServerBlobInfo **out_info,
                                        GError            **error);
  /* Removes, in one write, the blobs no revision references created before @before
   * (ISO 8601 UTC), calling @remove for each, and calls @remove for those of @orphans
   * (hex of old files found on disk, nullable) that have no row; *@out_kept = the blobs
   * left. */
  gboolean  (*blob_gc)         (TerenServerBackend *self,
                                const char         *before,
                                const char * const *orphans,
                                TerenServerBlobFileFunc remove,
                                gpointer            user_data,
                                guint              *out_removed,
                                guint64            *out_removed_bytes,
                                guint              *out_kept,
                                GError            **error);

  /* Epoch report (after a restore; teren-server-sqlite-epoch.c): of @items
   * (TerenServerIdRev*, what the caller's device holds), records those the server has at
   * an older revision or not at all. */
  gboolean  (*epoch_report)    (TerenServerBackend *self,
                                const TerenServerCaller *caller,
                                GPtrArray          *items,
                                guint              *out_reported,
                                GError            **error);
} TerenServerBackendClass;

struct _TerenServerBackend {
  const TerenServerBackendClass *klass;
};

/* Opens the default backend (SQLite) in @data_dir, creating it (0700) if needed. */
TerenServerBackend *teren_server_backend_open (const char  *data_dir,
                                               GError     **error);
void                teren_server_backend_free (TerenServerBackend *self);
gboolean            teren_server_backend_close (TerenServerBackend *self,
                                                GError            **error);
const char         *teren_server_backend_get_epoch (TerenServerBackend *self);
const guint8       *teren_server_backend_get_secret (TerenServerBackend *self);

/* The dispatchers: see the class members above. */
gboolean  teren_server_backend_push (TerenServerBackend *self,
                                     const TerenServerCaller *caller,
                                     GPtrArray *ops, GPtrArray **out_results,
                                     GError **error);
gboolean  teren_server_backend_feed_page (TerenServerBackend *self,
                                          const TerenServerCaller *caller,
                                          const TerenServerFeedPos *from,
                                          guint limit, gsize max_bytes,
                                          TerenServerFeedPage **out_page,
                                          GError **error);
gboolean  teren_server_backend_scope_ids (TerenServerBackend *self,
                                          const TerenServerCaller *caller,
                                          int bucket,
                                          GPtrArray **out_items,
                                          GError **error);
gboolean  teren_server_backend_fetch (TerenServerBackend *self,
                                      const TerenServerCaller *caller,
                                      const char * const *ids,
                                      GString *out_records_json,
                                      GPtrArray *out_missing,
                                      GError **error);
gboolean  teren_server_backend_record_history (TerenServerBackend *self,
                                               const char *record_id,
                                               GPtrArray **out_revisions,
                                               GError **error);
gboolean  teren_server_backend_account_add (TerenServerBackend *self,
                                            const char *username,
                                            const char *display_name,
                                            TerenServerRole role,
                                            const char * const *lines,
                                            const char *password_hash,
                                            GError **error);
TerenServerAccount *teren_server_backend_account_lookup (TerenServerBackend *self,
                                                         const char *username,
                                                         char **out_password_hash,
                                                         GError **error);
gboolean  teren_server_backend_account_set_password (TerenServerBackend *self,
                                                     const char *username,
                                                     const char *password_hash,
                                                     GError **error);
gboolean  teren_server_backend_account_set_lines (TerenServerBackend *self,
                                                  const char *username,
                                                  const char * const *lines,
                                                  GError **error);
gboolean  teren_server_backend_account_set_role (TerenServerBackend *self,
                                                 const char *username,
                                                 TerenServerRole role,
                                                 GError **error);
gboolean  teren_server_backend_account_set_disabled (TerenServerBackend *self,
                                                     const char *username,
                                                     gboolean disabled,
                                                     GError **error);
GPtrArray *teren_server_backend_account_list (TerenServerBackend *self,
                                              GError **error);
gboolean  teren_server_backend_token_create (TerenServerBackend *self,
                                             gint64 account_id,
                                             const char *device_id,
                                             const char *device_name,
                                             const char *token_hash,
                                             gint64 now,
                                             GError **error);
TerenServerTokenStatus teren_server_backend_token_check (TerenServerBackend *self,
                                                         const char *token_hash,
                                                         gint64 now,
                                                         gint64 idle_limit,
                                                         TerenServerCaller **out_caller,
                                                         GError **error);
gboolean  teren_server_backend_token_revoke (TerenServerBackend *self,
                                             const char *token_hash,
                                             GError **error);
gboolean  teren_server_backend_device_revoke (TerenServerBackend *self,
                                              const char *device_id,
                                              GError **error);
GPtrArray *teren_server_backend_device_list (TerenServerBackend *self,
                                             GError **error);
gboolean  teren_server_backend_audit (TerenServerBackend *self,
                                      const char *account,
                                      const char *device_id,
                                      const char *action,
                                      const char *record_id,
                                      const char *change_id,
                                      const char *detail,
                                      GError **error);
gboolean  teren_server_backend_nomenclature_replace (TerenServerBackend *self,
                                                     const char *kind,
                                                     GPtrArray *entries,
                                                     guint *out_changed,
                                                     GError **error);
gboolean  teren_server_backend_nomenclature_page (TerenServerBackend *self,
                                                  gint64 after_seq,
                                                  guint limit,
                                                  GString *out_items_json,
                                                  gint64 *out_last_seq,
                                                  gboolean *out_more,
                                                  GError **error);

gboolean  teren_server_backend_blob_get (TerenServerBackend *self,
                                         const char *hex,
                                         TerenServerBlobInfo **out_info,
                                         GError **error);
gboolean  teren_server_backend_blob_put (TerenServerBackend *self,
                                         const TerenServerCaller *caller,
                                         const char *hex,
                                         gint64 size,
                                         const char *mime,
                                         TerenServerBlobFileFunc install,
                                         gpointer user_data,
                                         gboolean *out_created,
                                         GError **error);
TerenServerBlobAccess teren_server_backend_blob_access (TerenServerBackend *self,
                                                       const TerenServerCaller *caller,
                                                       const char *hex,
                                                       TerenServerBlobInfo **out_info,
                                                       GError **error);
gboolean  teren_server_backend_epoch_report (TerenServerBackend      *self,
                                             const TerenServerCaller *caller,
                                             GPtrArray               *items,
                                             guint                   *out_reported,
                                             GError                 **error);
gboolean  teren_server_backend_blob_gc (TerenServerBackend *self,
                                        const char *before,
                                        const char * const *orphans,
                                        TerenServerBlobFileFunc remove,
                                        gpointer user_data,
                                        guint *out_removed,
                                        guint64 *out_removed_bytes,
                                        guint *out_kept,
                                        GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TerenServerBackend, teren_server_backend_free)

G_END_DECLS
