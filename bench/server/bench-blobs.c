/* bench-blobs.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#include "teren-server-test-util.h"

/* Attachment upload throughput of teren-server on loopback (issue 8): N photos of 1 MiB
 * (JPEG magic, random bytes) PUT to /api/v1/blobs/sha256:… with plain libsoup requests,
 * one after the other, then by 4 clients at once; the same photos PUT again (the server
 * already has them) and read back with GET. Built, not run by the tests: it prints its
 * figures. The hashes are computed before the clock starts (the client's own work). A last
 * phase sends other new photos as resumable uploads, in pieces of --piece-kib (PUT with
 * Content-Range: 202 for each piece, 201 for the last), one photo per latency sample. */

#define PASSWORD "parola-bench"

static guint n_photos = 200;
static gsize photo_size = 1024 * 1024;
static gsize piece_size = 256 * 1024;   /* the "PIECES" phase: a resumable upload */

typedef struct {
  GBytes *content;
  char   *hex;
} Photo;

typedef struct {
  TerenTestServer *server;
  const char      *token;
  Photo           *photos;
  guint            first;
  guint            step;
  const char      *method;
  guint            expect;      /* expected status, 0 = 200 or 201 */
  GArray          *ms;          /* per-request milliseconds (double) */
  guint            failures;
} Worker;

static GBytes *
make_photo (guint index)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (1000 + index);
  guint32 *words = g_malloc (photo_size);
  guint8 *data = (guint8 *) words;
  gsize i;

  for (i = 0; i < photo_size / 4; i++)
    words[i] = g_rand_int (rand);
  data[0] = 0xFF;
  data[1] = 0xD8;
  data[2] = 0xFF;
  data[3] = 0xE0;
  return g_bytes_new_take (data, photo_size);
}

static gpointer
worker_run (gpointer data)
{
  Worker *w = data;
  g_autoptr(SoupSession) session = teren_test_session_new ();
  guint i;

  for (i = w->first; i < n_photos; i += w->step)
    {
      Photo *photo = &w->photos[i];
      g_autofree char *path = g_strconcat ("/api/v1/blobs/sha256:", photo->hex, NULL);
      g_autoptr(TerenTestResponse) response = NULL;
      gint64 start = g_get_monotonic_time ();
      double ms;
      gsize length;
      const char *bytes = g_bytes_get_data (photo->content, &length);
      gboolean ok;

      if (strcmp (w->method, "PIECES") == 0)
        {
          gsize offset;

          for (offset = 0; offset < length; offset += piece_size)
            {
              gsize n = MIN (piece_size, length - offset);
              g_autofree char *range = g_strdup_printf ("bytes %" G_GSIZE_FORMAT "-%" G_GSIZE_FORMAT "/%" G_GSIZE_FORMAT,
                                                        offset, offset + n - 1, length);
              const char *headers[] = { "Content-Range", range, NULL };

              g_clear_pointer (&response, teren_test_response_free);
              response = teren_test_request_full (session, w->server, "PUT", path, w->token, bytes + offset,
                                                  (gssize) n, headers);
              if (response->error != NULL || response->status != (offset + n < length ? 202u : 201u))
                break;
            }
        }
      else if (strcmp (w->method, "PUT") == 0)
        response = teren_test_request (session, w->server, "PUT", path, w->token, bytes, length);
      else
        response = teren_test_request (session, w->server, "GET", path, w->token, NULL, 0);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (w->ms, ms);
      ok = response->error == NULL &&
           (w->expect != 0 ? response->status == w->expect : (response->status == 200 || response->status == 201));
      if (ok && strcmp (w->method, "GET") == 0)
        ok = response->length == length && memcmp (response->body, bytes, length) == 0;
      if (!ok)
        w->failures++;
    }
  return NULL;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

static void
run_phase (const char      *label,
           TerenTestServer *server,
           const char      *token,
           Photo           *photos,
           guint            clients,
           const char      *method,
           guint            expect)
{
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (double));
  Worker *workers = g_new0 (Worker, clients);
  GThread **threads = g_new0 (GThread *, clients);
  gint64 start = g_get_monotonic_time ();
  double seconds, mb;
  guint failures = 0;
  guint i;

  for (i = 0; i < clients; i++)
    {
      workers[i] = (Worker) { server, token, photos, i, clients, method, expect,
                              g_array_new (FALSE, FALSE, sizeof (double)), 0 };
      threads[i] = g_thread_new ("bench-blobs", worker_run, &workers[i]);
    }
  for (i = 0; i < clients; i++)
    {
      g_thread_join (threads[i]);
      g_array_append_vals (all, workers[i].ms->data, workers[i].ms->len);
      failures += workers[i].failures;
      g_array_unref (workers[i].ms);
    }
  seconds = (g_get_monotonic_time () - start) / 1e6;
  mb = (double) n_photos * photo_size / (1024.0 * 1024.0);
  g_array_sort (all, compare_double);
  printf ("%-44s %4u × %.1f MiB, %u client%s: %6.2f s, %7.1f MB/s (%.1f MiB/s), %6.1f files/s, "
          "p50 %6.1f ms, p99 %6.1f ms, failures %u\n",
          label, n_photos, photo_size / (1024.0 * 1024.0), clients, clients == 1 ? " " : "s", seconds,
          (double) n_photos * photo_size / 1e6 / seconds, mb / seconds, n_photos / seconds,
          g_array_index (all, double, all->len / 2), g_array_index (all, double, MIN (all->len - 1, all->len * 99 / 100)),
          failures);
  fflush (stdout);
  g_free (workers);
  g_free (threads);
}

static guint64
dir_bytes (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint64 total = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      GStatBuf st;

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        total += dir_bytes (child);
      else if (g_stat (child, &st) == 0)
        total += st.st_size;
    }
  return total;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— attachment upload throughput of teren-server");
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenTestServer) server = NULL;
  g_autoptr(TerenTestDevice) device = NULL;
  g_autofree char *blobs_dir = NULL;
  Photo *photos;
  Photo *second;
  int count = 200, size_kib = 1024, piece_kib = 256;
  gint64 start;
  guint i;
  GOptionEntry entries[] = {
    { "photos", 0, 0, G_OPTION_ARG_INT, &count, "Photos per phase (200)", "N" },
    { "size-kib", 0, 0, G_OPTION_ARG_INT, &size_kib, "Size of each photo in KiB (1024)", "KIB" },
    { "piece-kib", 0, 0, G_OPTION_ARG_INT, &piece_kib, "Piece of a resumable upload in KiB (256)", "KIB" },
    { NULL },
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  n_photos = (guint) CLAMP (count, 1, 100000);
  photo_size = (gsize) CLAMP (size_kib, 1, 10 * 1024) * 1024;
  piece_size = (gsize) CLAMP (piece_kib, 1, 10 * 1024) * 1024;
#ifdef TEREN_SERVER_PATH
  if (g_getenv ("TEREN_SERVER_BIN") == NULL)
    g_setenv ("TEREN_SERVER_BIN", TEREN_SERVER_PATH, TRUE);
#endif

  /* Two sets of distinct photos: one for the sequential phase, one for the concurrent one. */
  start = g_get_monotonic_time ();
  photos = g_new0 (Photo, n_photos);
  second = g_new0 (Photo, n_photos);
  for (i = 0; i < n_photos; i++)
    {
      photos[i].content = make_photo (i);
      photos[i].hex = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, photos[i].content);
      second[i].content = make_photo (n_photos + i);
      second[i].hex = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, second[i].content);
    }
  printf ("teren-server attachment benchmark: %u cores, libsoup %u.%u.%u, loopback; photos made and hashed in %.2f s\n",
          g_get_num_processors (), soup_get_major_version (), soup_get_minor_version (), soup_get_micro_version (),
          (g_get_monotonic_time () - start) / 1e6);

  server = teren_test_server_new ();
  teren_test_server_add_user (server, "photographer", PASSWORD, "child", "worker");
  teren_test_server_start (server);
  device = teren_test_device_new (server, "photographer", PASSWORD, NULL);

  run_phase ("upload, new blobs (PUT → 201)", server, device->token, photos, 1, "PUT", 201);
  run_phase ("upload, new blobs, concurrent (PUT → 201)", server, device->token, second, 4, "PUT", 201);
  run_phase ("upload again, server has them (PUT → 200)", server, device->token, photos, 1, "PUT", 200);
  run_phase ("download (GET → 200, bytes compared)", server, device->token, photos, 1, "GET", 200);

  /* Other new photos (in place of the concurrent phase's), in pieces. */
  for (i = 0; i < n_photos; i++)
    {
      g_bytes_unref (second[i].content);
      g_free (second[i].hex);
      second[i].content = make_photo (2 * n_photos + i);
      second[i].hex = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, second[i].content);
    }
  {
    g_autofree char *label = g_strdup_printf ("upload in %" G_GSIZE_FORMAT " KiB pieces (202…201)", piece_size / 1024);

    run_phase (label, server, device->token, second, 1, "PIECES", 201);
  }

  blobs_dir = g_build_filename (server->data_dir, "blobs", NULL);
  printf ("stored: %.1f MiB under %s\n", dir_bytes (blobs_dir) / (1024.0 * 1024.0), "DATA/blobs");

  for (i = 0; i < n_photos; i++)
    {
      g_bytes_unref (photos[i].content);
      g_free (photos[i].hex);
      g_bytes_unref (second[i].content);
      g_free (second[i].hex);
    }
  g_free (photos);
  g_free (second);
  return 0;
}
