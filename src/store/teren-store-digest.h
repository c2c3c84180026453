/* teren-store-digest.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "teren-store.h"

G_BEGIN_DECLS

/* The integrity digest of the client's base (SYNC.md "Integrity digest", issue 8).
 *
 * h64 (id, rev) = SipHash-2-4 of the ASCII text "<id>:<rev>" (rev in decimal) with the
 * 16-byte key "teren digest v1.", the 8 output bytes read little-endian: exactly the
 * server's function (libsodium crypto_shorthash). The digest of a set is the XOR of h64
 * over its NON-DELETED base rows, with their count; bucket = the first hex digit of the id
 * (ids not starting with a hex digit count in the total only).
 *
 * The store keeps the digest and count of every bucket in the table base_digest, updated
 * by triggers of the writer connection in the same statement (so the same transaction) as
 * every write to `base`: pull pages, push answers, purges, the wipe, repairs. Writes made
 * outside Teren (another SQLite connection) are not seen: teren_store_digest_verify() finds
 * and corrects them. Stores made before the digest get it computed once when opened. */

#define TEREN_DIGEST_BUCKETS 16

typedef struct {
  guint64 digest;
  guint64 count;
} TerenDigest;

typedef struct {
  char   *id;
  gint64  rev;
} TerenDigestItem;

void         teren_digest_item_free          (TerenDigestItem *item);

/* Pure functions (no store). */
guint64      teren_digest_hash               (const char      *id,
                                              gint64           rev);
/* 0..15, or -1 when @id does not start with a hex digit. */
int          teren_digest_bucket             (const char      *id);
/* "%016" lower-case hex; @text: 16 hex digits. */
char        *teren_digest_to_hex             (guint64          digest);
gboolean     teren_digest_from_hex           (const char      *text,
                                              guint64         *out_digest);

/* The running digest: the total and (optional, 16 elements) each bucket. Reads only. */
gboolean     teren_store_digest_get          (TerenStore      *self,
                                              TerenDigest     *out_total,
                                              TerenDigest     *out_buckets,
                                              GError         **error);

/* Recomputes the digest from the base and, when the running one differs (the base was
 * changed outside Teren), replaces it. @out_fixed: it differed. One transaction. */
gboolean     teren_store_digest_verify       (TerenStore      *self,
                                              gboolean        *out_fixed,
                                              GError         **error);

/* The (id, rev) of the non-deleted base rows of @bucket (0..15), sorted by id (byte
 * order, as the server sorts). (transfer full) (element-type TerenDigestItem) */
GPtrArray   *teren_store_digest_list_bucket  (TerenStore      *self,
                                              guint            bucket,
                                              GError         **error);

typedef struct {
  guint written;   /* base rows replaced by the server's record (missing, stale, tombstone) */
  guint removed;   /* records the server no longer shows to this account, purged */
  guint kept;      /* left alone: an operation of this device on them is still waiting */
} TerenDigestRepair;

/**
 * teren_store_digest_apply_fetch:
 * @ids: (array zero-terminated=1): the ids that were asked for (the differing ones)
 * @answer: the server's answer to POST /fetch: {"records": [pull-shaped], "missing": [ids]}
 * @out_repair: (out caller-allocates) (optional): added to
 *
 * The repair: checks the whole answer first (TEREN_ERROR_BAD_JSON, nothing written), then
 * in ONE transaction every asked-for record becomes the base exactly as the server has it
 * (whatever the local rev: the server is the reference), the record shown is base + its
 * operations, and the ids the server reports missing are purged. Records with an
 * operation of this device still in the op-log (pending, in flight, quarantined, held) are
 * never touched: they are pushed (or offered again) and come back by the usual ways.
 * Records in the answer that were not asked for are ignored. Logs ids and counts only.
 */
gboolean     teren_store_digest_apply_fetch  (TerenStore          *self,
                                              const char * const  *ids,
                                              JsonObject          *answer,
                                              TerenDigestRepair   *out_repair,
                                              GError             **error);

G_END_DECLS
