/* teren-store-test-util.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "teren-store.h"

G_BEGIN_DECLS

/* A valid CNP for @sex ('M'/'F') born on @year-@month-@day, county 40, sequence @seq. */
char       *test_make_cnp        (char        sex,
                                  int         year,
                                  int         month,
                                  int         day,
                                  int         seq);

/* Person fields; @cnp NULL gives cnp_status "missing". */
JsonObject *test_person_fields   (const char *last_name,
                                  const char *first_name,
                                  const char *sex,
                                  const char *birth_date,
                                  const char *cnp);

/* sha256 of a file's bytes, NULL if it cannot be read. */
char       *test_file_checksum   (const char *path);

/* Removes @path and everything under it (also read-only folders). */
void        test_rm_rf           (const char *path);

/* A raw SQLite connection to the store database in @data_dir (read-write unless
 * @read_only), for checks the public API does not expose. */
sqlite3    *test_db_open         (const char *data_dir,
                                  gboolean    read_only);
/* First column of the first row of @sql as text (g_free), NULL if no row. */
char       *test_db_text         (sqlite3    *db,
                                  const char *sql);
gint64      test_db_int          (sqlite3    *db,
                                  const char *sql);
/* The store's schema version (the number of migrations in teren-store-db.c). */
#define TEST_STORE_SCHEMA_VERSION 8

/* Undoes migration 8 (op_archive.acked_at), which cannot run twice: for the tests that set
 * an older user_version and check that the store migrates from it. */
void        test_db_undo_migration_8 (sqlite3  *db);

/* Runs @sql, asserting success. */
void        test_db_exec         (sqlite3    *db,
                                  const char *sql);

/* Applies a pull page made of @records and @purge (JSON texts of the arrays' members,
 * comma-separated, "" for none), with @cursor and @epoch and "more": false, asserting
 * success. */
void        test_pull_page       (TerenStore *store,
                                  const char *records,
                                  const char *purge,
                                  const char *cursor,
                                  const char *epoch);

/* A digest of every row of the store's data tables (record, base, oplog, history, search,
 * record_ref, draft, conflict, sync_meta): equal digests mean nothing was changed. */
char       *test_store_digest    (const char *data_dir);

/* Runs @func(@data) as an unprivileged user: directly when not root, else in a forked
 * child that drops to uid/gid 65534 (file permissions mean nothing to root). @func asserts;
 * the test fails if the child fails. Files @func uses must be reachable by that user. */
void        test_run_unprivileged (GFunc      func,
                                   gpointer   data);
/* A fresh temporary folder that the unprivileged user of test_run_unprivileged() owns. */
char       *test_make_tmp_dir_for_unprivileged (void);

G_END_DECLS
