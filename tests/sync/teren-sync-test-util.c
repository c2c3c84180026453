/* teren-sync-test-util.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <sqlite3.h>

#include "teren-json.h"
#include "teren-store-blobs.h"
#include "teren-store-sync.h"
#include "teren-sync-blobs.h"
#include "teren-sync-test-util.h"

/* ---- Proxy ------------------------------------------------------------------------------ */

struct _TestProxy
{
  GSocketService *service;
  GThread        *thread;
  GMainContext   *context;
  GMainLoop      *loop;
  guint16         port;
  char           *url;

  GMutex          lock;
  guint16         upstream_port;
  guint           drop_push;
  guint           reset_percent;
  guint           truncate_percent;
  guint           delay_percent;
  guint           delay_ms;
  GRand          *rand;
  char           *kill_prefix;
  GPid            kill_pid;
  gboolean        killed;
  guint           dropped;
  guint           faults;
  guint           answer_status;   /* answered by the proxy itself (test_proxy_answer) */
  char           *answer_headers;
  guint           answer_count;
  guint           answer_delay_ms;
  GArray         *requests;        /* of TestProxyRequest */

  /* Connections being served; freeing the proxy waits for them (they use it). */
  GCond           cond;
  GPtrArray      *links;
  gboolean        closing;
};

typedef enum {
  FAULT_NONE,
  FAULT_RESET,
  FAULT_TRUNCATE,
  FAULT_DELAY,
} Fault;

typedef struct {
  TestProxy *proxy;
  GSocket   *client;
  GSocket   *upstream;
  Fault      fault;           /* for the answer to the current request */
  guint      truncate_after;
  guint      sent;            /* bytes of the current answer sent on */
  gboolean   delay_pending;
  gboolean   drop_this;       /* the request is a push whose answer is dropped */
} Link;

static void
set_linger_reset (GSocket *socket)
{
  struct linger linger = { 1, 0 };

  setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
}

/* upstream → client, with the fault drawn for the current request. */
static gpointer
downstream_thread (gpointer data)
{
  Link *link = data;
  TestProxy *proxy = link->proxy;
  char buffer[16384];

  for (;;)
    {
      gssize n = g_socket_receive (link->upstream, buffer, sizeof buffer, NULL, NULL);
      Fault fault;
      gboolean drop, delay;
      guint limit = 0;

      if (n <= 0)
        break;
      g_mutex_lock (&proxy->lock);
      fault = link->fault;
      drop = link->drop_this;
      delay = link->delay_pending;
      link->delay_pending = FALSE;
      if (fault == FAULT_TRUNCATE)
        limit = link->truncate_after > link->sent ? link->truncate_after - link->sent : 0;
      if (drop)
        proxy->dropped++;
      g_mutex_unlock (&proxy->lock);

      if (drop)
        break;
      if (fault == FAULT_RESET)
        {
          set_linger_reset (link->client);
          break;
        }
      if (delay)
        {
          gint64 end = g_get_monotonic_time () + (gint64) proxy->delay_ms * 1000;

          g_mutex_lock (&proxy->lock);
          while (!proxy->closing && g_cond_wait_until (&proxy->cond, &proxy->lock, end))
            ;
          g_mutex_unlock (&proxy->lock);
        }
      if (fault == FAULT_TRUNCATE && (guint) n > limit)
        {
          if (limit > 0)
            g_socket_send (link->client, buffer, limit, NULL, NULL);
          break;
        }
      if (g_socket_send (link->client, buffer, n, NULL, NULL) != n)
        break;
      g_mutex_lock (&proxy->lock);
      link->sent += n;
      g_mutex_unlock (&proxy->lock);
    }
  g_socket_shutdown (link->client, TRUE, TRUE, NULL);
  g_socket_close (link->client, NULL);
  g_socket_shutdown (link->upstream, TRUE, TRUE, NULL);
  return NULL;
}

static gboolean
starts_request (const char *buffer,
                gssize      n)
{
  static const char * const methods[] = { "GET ", "POST ", "PUT ", "HEAD ", "DELETE " };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (methods); i++)
    if ((gsize) n >= strlen (methods[i]) && memcmp (buffer, methods[i], strlen (methods[i])) == 0)
      return TRUE;
  return FALSE;
}

/* A fault for the answer to the request that starts now (keep-alive connections carry
 * many). Called with the lock held. */
static void
draw_fault (TestProxy *proxy,
            Link      *link)
{
  guint draw = g_rand_int_range (proxy->rand, 0, 100);

  link->fault = FAULT_NONE;
  link->sent = 0;
  link->delay_pending = FALSE;
  if (draw < proxy->reset_percent)
    link->fault = FAULT_RESET;
  else if (draw < proxy->reset_percent + proxy->truncate_percent)
    {
      link->fault = FAULT_TRUNCATE;
      link->truncate_after = g_rand_int_range (proxy->rand, 0, 400);
    }
  else if (draw < proxy->reset_percent + proxy->truncate_percent + proxy->delay_percent)
    {
      link->fault = FAULT_DELAY;
      link->delay_pending = TRUE;
    }
  if (link->fault != FAULT_NONE)
    proxy->faults++;
}

static const char *
reason_phrase (guint status)
{
  switch (status)
    {
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    default: return "Error";
    }
}

static gboolean
send_all (GSocket    *socket,
          const char *data,
          gsize       length)
{
  while (length > 0)
    {
      gssize n = g_socket_send (socket, data, length, NULL, NULL);

      if (n <= 0)
        return FALSE;
      data += n;
      length -= n;
    }
  return TRUE;
}

/* Reads the rest of the request that starts with @first (its headers, and its body unless
 * it waits for 100 Continue), then answers @status itself and closes the connection. */
static void
answer_request (Link       *link,
                const char *first,
                gssize      n,
                guint       status,
                const char *headers,
                guint       delay_ms)
{
  g_autoptr(GString) request = g_string_new_len (first, n);
  g_autofree char *head = NULL;
  g_autofree char *response = NULL;
  const char *end;
  const char *member;
  const char *body;
  guint64 length = 0;
  gsize have;
  char buffer[16384];

  while ((end = strstr (request->str, "\r\n\r\n")) == NULL)
    {
      gssize got = g_socket_receive (link->client, buffer, sizeof buffer, NULL, NULL);

      if (got <= 0)
        return;
      g_string_append_len (request, buffer, got);
    }
  head = g_ascii_strdown (request->str, end - request->str + 2);
  member = strstr (head, "\r\ncontent-length:");
  if (member != NULL)
    length = g_ascii_strtoull (member + strlen ("\r\ncontent-length:"), NULL, 10);
  if (strstr (head, "\r\nexpect: 100-continue") == NULL)
    {
      have = request->len - (end + 4 - request->str);
      while (have < length)
        {
          gssize got = g_socket_receive (link->client, buffer, MIN (sizeof buffer, length - have),
                                         NULL, NULL);

          if (got <= 0)
            return;
          have += got;
        }
    }

  body = status == 429 ? "{\"error\":\"rate_limited\",\"message\":\"Too many requests\"}"
                       : "{\"error\":\"internal\",\"message\":\"The proxy answers for the server\"}";
  response = g_strdup_printf ("HTTP/1.1 %u %s\r\n"
                              "Content-Type: application/json\r\n"
                              "Content-Length: %zu\r\n"
                              "Connection: close\r\n"
                              "%s"
                              "\r\n%s", status, reason_phrase (status), strlen (body),
                              headers != NULL ? headers : "", body);
  if (delay_ms > 0)
    g_usleep ((gulong) delay_ms * 1000);
  send_all (link->client, response, strlen (response));
  g_socket_shutdown (link->client, FALSE, TRUE, NULL);
}

/* The request line's method and path (the query left out), for the request log. */
static void
copy_request_line (TestProxyRequest *request,
                   const char       *buffer,
                   gssize            n)
{
  gsize i, spaces = 0;

  for (i = 0; i < (gsize) n && i < sizeof request->line - 1; i++)
    {
      if (buffer[i] == '\r' || buffer[i] == '?' || (buffer[i] == ' ' && ++spaces == 2))
        break;
      request->line[i] = buffer[i];
    }
  request->line[i] = '\0';
}

static gboolean
run_cb (GThreadedSocketService *service,
        GSocketConnection      *connection,
        GObject                *source,
        gpointer                user_data)
{
  TestProxy *proxy = user_data;
  Link link = { proxy, NULL, NULL, FAULT_NONE, 0, 0, FALSE, FALSE };
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) upstream = NULL;
  g_autofree char *host = NULL;
  GThread *down;
  char buffer[16384];
  guint16 port;

  link.client = g_socket_connection_get_socket (connection);
  g_mutex_lock (&proxy->lock);
  port = proxy->upstream_port;
  if (proxy->closing)
    {
      g_mutex_unlock (&proxy->lock);
      return TRUE;
    }
  g_ptr_array_add (proxy->links, &link);
  g_mutex_unlock (&proxy->lock);

  host = g_strdup_printf ("127.0.0.1:%u", port);
  upstream = g_socket_client_connect_to_host (client, host, port, NULL, NULL);
  if (upstream == NULL)
    {
      set_linger_reset (link.client);
      g_socket_close (link.client, NULL);
      g_mutex_lock (&proxy->lock);
      g_ptr_array_remove (proxy->links, &link);
      g_cond_broadcast (&proxy->cond);
      g_mutex_unlock (&proxy->lock);
      return TRUE;
    }
  g_mutex_lock (&proxy->lock);
  link.upstream = g_socket_connection_get_socket (upstream);
  g_mutex_unlock (&proxy->lock);
  down = g_thread_new ("proxy-down", downstream_thread, &link);

  for (;;)
    {
      gssize n = g_socket_receive (link.client, buffer, sizeof buffer, NULL, NULL);
      g_autofree char *answer_headers = NULL;
      guint answer_status = 0;
      guint answer_delay = 0;
      GPid kill_pid = 0;

      if (n <= 0)
        break;
      g_mutex_lock (&proxy->lock);
      if (starts_request (buffer, n))
        {
          TestProxyRequest request = { g_get_monotonic_time (), 0, "" };

          copy_request_line (&request, buffer, n);
          if (proxy->answer_status != 0 && proxy->answer_count > 0)
            {
              request.answered = answer_status = proxy->answer_status;
              answer_headers = g_strdup (proxy->answer_headers);
              answer_delay = proxy->answer_delay_ms;
              if (proxy->answer_count != G_MAXUINT)
                proxy->answer_count--;
            }
          g_array_append_val (proxy->requests, request);
          draw_fault (proxy, &link);
        }
      g_mutex_unlock (&proxy->lock);

      if (answer_status != 0)
        {
          answer_request (&link, buffer, n, answer_status, answer_headers, answer_delay);
          break;
        }

      g_mutex_lock (&proxy->lock);
      if (n >= 17 && memcmp (buffer, "POST /api/v1/push", 17) == 0 && proxy->drop_push > 0)
        {
          proxy->drop_push--;
          link.drop_this = TRUE;
        }
      g_mutex_unlock (&proxy->lock);

      if (g_socket_send (link.upstream, buffer, n, NULL, NULL) != n)
        break;

      if (g_getenv ("TEREN_PROXY_DEBUG")) g_printerr ("proxy: %.*s\n", (int) MIN (n, 40), buffer);
      /* Armed kills fire only once the request really went through. */
      g_mutex_lock (&proxy->lock);
      if (proxy->kill_prefix != NULL && proxy->kill_pid != 0 &&
          (gsize) n >= strlen (proxy->kill_prefix) &&
          memcmp (buffer, proxy->kill_prefix, strlen (proxy->kill_prefix)) == 0)
        {
          kill_pid = proxy->kill_pid;
          proxy->kill_pid = 0;
        }
      g_mutex_unlock (&proxy->lock);
      if (kill_pid != 0)
        {
          /* Give the server a moment to be in the middle of it. */
          g_usleep (20 * 1000);
          kill (kill_pid, SIGKILL);
          g_mutex_lock (&proxy->lock);
          proxy->killed = TRUE;
          g_mutex_unlock (&proxy->lock);
        }
    }
  g_socket_shutdown (link.upstream, FALSE, TRUE, NULL);
  g_thread_join (down);
  g_io_stream_close (G_IO_STREAM (upstream), NULL, NULL);
  g_mutex_lock (&proxy->lock);
  g_ptr_array_remove (proxy->links, &link);
  g_cond_broadcast (&proxy->cond);
  g_mutex_unlock (&proxy->lock);
  return TRUE;
}

static gpointer
proxy_main (gpointer data)
{
  TestProxy *proxy = data;

  g_main_context_push_thread_default (proxy->context);
  g_main_loop_run (proxy->loop);
  g_main_context_pop_thread_default (proxy->context);
  return NULL;
}

TestProxy *
test_proxy_new (guint16 upstream_port,
                guint32 seed)
{
  TestProxy *proxy = g_new0 (TestProxy, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_mutex_init (&proxy->lock);
  g_cond_init (&proxy->cond);
  proxy->links = g_ptr_array_new ();
  proxy->requests = g_array_new (FALSE, TRUE, sizeof (TestProxyRequest));
  proxy->upstream_port = upstream_port;
  proxy->rand = g_rand_new_with_seed (seed);
  proxy->context = g_main_context_new ();
  proxy->loop = g_main_loop_new (proxy->context, FALSE);

  g_main_context_push_thread_default (proxy->context);
  proxy->service = g_threaded_socket_service_new (64);
  g_socket_listener_add_address (G_SOCKET_LISTENER (proxy->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  g_signal_connect (proxy->service, "run", G_CALLBACK (run_cb), proxy);
  g_socket_service_start (proxy->service);
  g_main_context_pop_thread_default (proxy->context);

  proxy->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  proxy->url = g_strdup_printf ("http://127.0.0.1:%u", proxy->port);
  proxy->thread = g_thread_new ("test-proxy", proxy_main, proxy);
  return proxy;
}

static gboolean
quit_cb (gpointer data)
{
  TestProxy *proxy = data;

  g_socket_service_stop (proxy->service);
  g_socket_listener_close (G_SOCKET_LISTENER (proxy->service));
  g_main_loop_quit (proxy->loop);
  return G_SOURCE_REMOVE;
}

void
test_proxy_free (TestProxy *proxy)
{
  guint i;

  if (proxy == NULL)
    return;

  /* Wake every connection still served, and wait for them: they use the proxy. */
  g_mutex_lock (&proxy->lock);
  proxy->closing = TRUE;
  for (i = 0; i < proxy->links->len; i++)
    {
      Link *link = proxy->links->pdata[i];

      g_socket_shutdown (link->client, TRUE, TRUE, NULL);
      if (link->upstream != NULL)
        g_socket_shutdown (link->upstream, TRUE, TRUE, NULL);
    }
  g_cond_broadcast (&proxy->cond);
  while (proxy->links->len > 0)
    g_cond_wait (&proxy->cond, &proxy->lock);
  g_mutex_unlock (&proxy->lock);

  g_main_context_invoke (proxy->context, quit_cb, proxy);
  g_thread_join (proxy->thread);
  g_clear_object (&proxy->service);
  g_main_loop_unref (proxy->loop);
  g_main_context_unref (proxy->context);
  g_rand_free (proxy->rand);
  g_free (proxy->kill_prefix);
  g_free (proxy->answer_headers);
  g_array_unref (proxy->requests);
  g_free (proxy->url);
  g_ptr_array_unref (proxy->links);
  g_cond_clear (&proxy->cond);
  g_mutex_clear (&proxy->lock);
  g_free (proxy);
}

const char *
test_proxy_get_url (TestProxy *proxy)
{
  return proxy->url;
}

void
test_proxy_set_upstream (TestProxy *proxy,
                         guint16    upstream_port)
{
  g_mutex_lock (&proxy->lock);
  proxy->upstream_port = upstream_port;
  g_mutex_unlock (&proxy->lock);
}

void
test_proxy_drop_push_responses (TestProxy *proxy,
                                guint      n)
{
  g_mutex_lock (&proxy->lock);
  proxy->drop_push = n;
  g_mutex_unlock (&proxy->lock);
}

void
test_proxy_set_faults (TestProxy *proxy,
                       guint      reset_percent,
                       guint      truncate_percent,
                       guint      delay_percent,
                       guint      delay_ms)
{
  g_mutex_lock (&proxy->lock);
  proxy->reset_percent = reset_percent;
  proxy->truncate_percent = truncate_percent;
  proxy->delay_percent = delay_percent;
  proxy->delay_ms = delay_ms;
  g_mutex_unlock (&proxy->lock);
}

void
test_proxy_kill_on (TestProxy  *proxy,
                    const char *request_prefix,
                    GPid        pid)
{
  g_mutex_lock (&proxy->lock);
  g_free (proxy->kill_prefix);
  proxy->kill_prefix = g_strdup (request_prefix);
  proxy->kill_pid = pid;
  proxy->killed = FALSE;
  g_mutex_unlock (&proxy->lock);
}

void
test_proxy_answer (TestProxy  *proxy,
                   guint       status,
                   const char *headers,
                   guint       count)
{
  g_mutex_lock (&proxy->lock);
  proxy->answer_status = status;
  g_free (proxy->answer_headers);
  proxy->answer_headers = g_strdup (headers);
  proxy->answer_count = count;
  g_mutex_unlock (&proxy->lock);
}

void
test_proxy_set_answer_delay (TestProxy *proxy,
                             guint      delay_ms)
{
  g_mutex_lock (&proxy->lock);
  proxy->answer_delay_ms = delay_ms;
  g_mutex_unlock (&proxy->lock);
}

GArray *
test_proxy_get_requests (TestProxy *proxy)
{
  GArray *copy;

  g_mutex_lock (&proxy->lock);
  copy = g_array_sized_new (FALSE, TRUE, sizeof (TestProxyRequest), proxy->requests->len);
  g_array_append_vals (copy, proxy->requests->data, proxy->requests->len);
  g_mutex_unlock (&proxy->lock);
  return copy;
}

void
test_proxy_clear_requests (TestProxy *proxy)
{
  g_mutex_lock (&proxy->lock);
  g_array_set_size (proxy->requests, 0);
  g_mutex_unlock (&proxy->lock);
}

guint
test_proxy_get_dropped (TestProxy *proxy)
{
  guint n;

  g_mutex_lock (&proxy->lock);
  n = proxy->dropped;
  g_mutex_unlock (&proxy->lock);
  return n;
}

guint
test_proxy_get_faults (TestProxy *proxy)
{
  guint n;

  g_mutex_lock (&proxy->lock);
  n = proxy->faults;
  g_mutex_unlock (&proxy->lock);
  return n;
}

gboolean
test_proxy_get_killed (TestProxy *proxy)
{
  gboolean killed;

  g_mutex_lock (&proxy->lock);
  killed = proxy->killed;
  g_mutex_unlock (&proxy->lock);
  return killed;
}

/* ---- Engines ------------------------------------------------------------------------- */

TerenSyncEngine *
test_engine_new (void)
{
  return g_object_new (TEREN_TYPE_SYNC_ENGINE,
                       "backoff-base", 200,
                       "backoff-max", 1000,
                       "network-jitter", 0,
                       "request-timeout", 20,
                       "save-delay", 200,
                       NULL);
}

typedef struct {
  gboolean          done;
  gboolean          ok;
  GError           *error;
  TerenSyncSummary *summary;
} Wait;

static gboolean
wait_done (gpointer data)
{
  return ((Wait *) data)->done;
}

gboolean
test_wait_until (gboolean (*done) (gpointer data),
                 gpointer   data,
                 guint      timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!done (data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      if (!done (data))
        g_usleep (1000);
    }
  return TRUE;
}

static void
login_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = teren_sync_engine_login_finish (TEREN_SYNC_ENGINE (source), result, &wait->error);
  wait->done = TRUE;
}

gboolean
test_engine_login (TerenSyncEngine  *engine,
                   const char       *url,
                   const char       *username,
                   const char       *password,
                   const char       *data_dir,
                   GError          **error)
{
  Wait wait = { FALSE };

  teren_sync_engine_login_async (engine, url, username, password, data_dir, NULL, login_cb, &wait);
  g_assert_true (test_wait_until (wait_done, &wait, 60000));
  if (wait.error != NULL)
    g_propagate_error (error, wait.error);
  return wait.ok;
}

static void
sync_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->summary = teren_sync_engine_sync_finish (TEREN_SYNC_ENGINE (source), result, &wait->error);
  wait->done = TRUE;
}

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

TerenSyncSummary *
test_engine_sync_cancel_after (TerenSyncEngine  *engine,
                               guint             cancel_after_ms,
                               GError          **error)
{
  Wait wait = { FALSE };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  guint id = g_timeout_add_full (G_PRIORITY_DEFAULT, cancel_after_ms, cancel_cb,
                                 g_object_ref (cancellable), g_object_unref);

  teren_sync_engine_sync_async (engine, cancellable, sync_cb, &wait);
  g_assert_true (test_wait_until (wait_done, &wait, 120000));
  if (!g_cancellable_is_cancelled (cancellable))
    g_source_remove (id);
  if (wait.error != NULL)
    g_propagate_error (error, wait.error);
  return wait.summary;
}

TerenSyncSummary *
test_engine_sync (TerenSyncEngine  *engine,
                  GError          **error)
{
  Wait wait = { FALSE };

  teren_sync_engine_sync_async (engine, NULL, sync_cb, &wait);
  g_assert_true (test_wait_until (wait_done, &wait, 120000));
  if (wait.error != NULL)
    g_propagate_error (error, wait.error);
  return wait.summary;
}

gboolean
test_have_keyring (void)
{
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GError) error = NULL;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    return FALSE;
  service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
  return service != NULL;
}

static const SecretSchema *
token_schema (void)
{
  static const SecretSchema schema = {
    "ro.daps.Teren.Token", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

char *
test_keyring_token (const char *url,
                    const char *user)
{
  g_autoptr(GError) error = NULL;
  char *secret = secret_password_lookup_sync (token_schema (), NULL, &error, "server", url,
                                              "user", user, NULL);
  char *copy;

  g_assert_no_error (error);
  copy = g_strdup (secret);
  if (secret != NULL)
    secret_password_free (secret);
  return copy;
}

static char *
canonical_fields (const char *json)
{
  g_autoptr(JsonObject) object = teren_json_parse_object (json, -1, 64, NULL);
  g_autoptr(GList) members = NULL;
  GString *out = g_string_new ("{");
  GList *l;

  if (object == NULL)
    return g_string_free (out, FALSE);
  members = json_object_get_members (object);
  members = g_list_sort (members, (GCompareFunc) g_strcmp0);
  for (l = members; l != NULL; l = l->next)
    {
      g_autofree char *value = teren_json_to_string (json_object_get_member (object, l->data));

      g_string_append_printf (out, "%s\"%s\":%s", l == members ? "" : ",", (char *) l->data, value);
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

char *
test_store_dump (TerenStore *store)
{
  g_autofree char *path = g_build_filename (teren_store_get_data_dir (store), TEREN_STORE_DB_NAME, NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  GString *out = g_string_new (NULL);

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT id, rev, fields FROM record WHERE deleted = 0 "
                                           "ORDER BY id", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *fields = canonical_fields ((const char *) sqlite3_column_text (stmt, 2));

      g_string_append_printf (out, "%s %lld %s\n", sqlite3_column_text (stmt, 0),
                              (long long) sqlite3_column_int64 (stmt, 1), fields);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_string_free (out, FALSE);
}

void
test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

JsonObject *
test_person (const char *last_name,
             const char *first_name)
{
  JsonObject *fields = json_object_new ();

  json_object_set_string_member (fields, "last_name", last_name);
  json_object_set_string_member (fields, "first_name", first_name);
  json_object_set_string_member (fields, "sex", "F");
  json_object_set_string_member (fields, "birth_date", "2015-03-04");
  json_object_set_string_member (fields, "cnp_status", "missing");
  return fields;
}

JsonObject *
test_case (const char *person_id)
{
  JsonObject *fields = json_object_new ();

  json_object_set_string_member (fields, "person", person_id);
  json_object_set_string_member (fields, "opened_on", "2026-11-02");
  json_object_set_string_member (fields, "status", "open");
  return fields;
}

/* Saves @fields as a new record of @kind in @line; returns its id. */
static char *
save_new (TerenStore *store,
          const char *kind,
          const char *line,
          JsonObject *fields)
{
  g_autoptr(TerenRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  record = teren_store_save (store, kind, line, NULL, fields, NULL, NULL, &error);
  g_assert_no_error (error);
  return g_strdup (teren_record_get_id (record));
}

char *
test_save_person (TerenStore *store,
                  const char *last_name,
                  const char *first_name)
{
  g_autoptr(JsonObject) fields = test_person (last_name, first_name);

  return save_new (store, "person", "", fields);
}

char *
test_save_case (TerenStore *store,
                const char *person_id)
{
  g_autoptr(JsonObject) fields = test_case (person_id);

  return save_new (store, "case", "child", fields);
}

char *
test_save_person_with_case (TerenStore *store,
                            const char *last_name,
                            const char *first_name)
{
  char *person_id = test_save_person (store, last_name, first_name);

  g_free (test_save_case (store, person_id));
  return person_id;
}

JsonObject *
test_import_blob (TerenSyncEngine *engine,
                  const char      *path)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object = teren_store_import_blob (teren_sync_engine_get_store (engine), path, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (object);
  return object;
}

char *
test_save_case_with (TerenSyncEngine *engine,
                     JsonObject      *first,
                     JsonObject      *second)
{
  TerenStore *store = teren_sync_engine_get_store (engine);
  g_autofree char *person_id = test_save_person (store, "Ionescu", "Ana");
  g_autoptr(JsonObject) kase = test_case (person_id);
  g_autoptr(TerenRecord) c = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *list = json_array_new ();

  if (first != NULL)
    json_array_add_object_element (list, json_object_ref (first));
  if (second != NULL)
    json_array_add_object_element (list, json_object_ref (second));
  json_object_set_array_member (kase, "attachments", list);
  c = teren_store_save (store, "case", "child", NULL, kase, NULL, NULL, &error);
  g_assert_no_error (error);
  return g_strdup (teren_record_get_id (c));
}

TerenBlobState
test_blob_state (TerenSyncEngine *engine,
                 JsonObject      *attachment)
{
  g_autoptr(GError) error = NULL;
  TerenBlobState state = TEREN_BLOB_LOCAL_ONLY;

  g_assert_true (teren_store_get_blob_state (teren_sync_engine_get_store (engine),
                                             json_object_get_string_member (attachment, "blob"),
                                             &state, &error));
  g_assert_no_error (error);
  return state;
}

typedef struct {
  gboolean  done;
  char     *path;
  GError   *error;
} Fetch;

static void
fetched_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Fetch *fetch = user_data;

  fetch->path = teren_sync_engine_fetch_blob_finish (TEREN_SYNC_ENGINE (source), result, &fetch->error);
  fetch->done = TRUE;
}

static gboolean
fetch_done (gpointer data)
{
  return ((Fetch *) data)->done;
}

char *
test_fetch_blob (TerenSyncEngine  *engine,
                 JsonObject       *attachment,
                 GError          **error)
{
  Fetch fetch = { FALSE, NULL, NULL };

  teren_sync_engine_fetch_blob_async (engine, json_object_get_string_member (attachment, "blob"),
                                      NULL, fetched_cb, &fetch);
  g_assert_true (test_wait_until (fetch_done, &fetch, 60000));
  if (fetch.error != NULL)
    g_propagate_error (error, fetch.error);
  return fetch.path;
}

void
test_assert_same_file (const char *a,
                       const char *b)
{
  g_autofree char *x = NULL;
  g_autofree char *y = NULL;
  gsize nx = 0, ny = 0;

  g_assert_true (g_file_get_contents (a, &x, &nx, NULL));
  g_assert_true (g_file_get_contents (b, &y, &ny, NULL));
  g_assert_cmpuint (nx, ==, ny);
  g_assert_true (memcmp (x, y, nx) == 0);
}

void
test_assert_pending (TerenSyncEngine *engine,
                     guint            pending)
{
  TerenSyncStatus status = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true (teren_store_sync_get_status (teren_sync_engine_get_store (engine), &status, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (status.pending, ==, pending);
  g_assert_cmpuint (status.quarantined, ==, 0);
  teren_sync_status_clear (&status);
}

TerenSyncEngine *
test_engine_login_ok (const char *url,
                      const char *user,
                      const char *root,
                      const char *dir_name)
{
  g_autofree char *dir = g_build_filename (root, dir_name, NULL);
  g_autoptr(GError) error = NULL;
  TerenSyncEngine *engine = test_engine_new ();

  g_assert_true (test_engine_login (engine, url, user, TEST_PASSWORD, dir, &error));
  g_assert_no_error (error);
  return engine;
}

TerenSyncSummary *
test_sync_ok (TerenSyncEngine *engine)
{
  g_autoptr(GError) error = NULL;
  TerenSyncSummary *summary = test_engine_sync (engine, &error);

  g_assert_no_error (error);
  g_assert_nonnull (summary);
  return summary;
}

void
test_sync_quiet (TerenSyncEngine *engine)
{
  g_autoptr(TerenSyncSummary) summary = test_sync_ok (engine);
}

gboolean
test_proxy_killed (gpointer data)
{
  return test_proxy_get_killed (data);
}

void
test_server_fixture_set_up (TerenTestServer **out_server,
                            char            **out_root,
                            const char       *tmp_template,
                            ...)
{
  g_autoptr(GError) error = NULL;
  const char *user;
  va_list args;

  *out_root = g_dir_make_tmp (tmp_template, &error);
  g_assert_no_error (error);
  *out_server = teren_test_server_new ();
  teren_test_server_start (*out_server);
  va_start (args, tmp_template);
  while ((user = va_arg (args, const char *)) != NULL)
    {
      const char *lines = va_arg (args, const char *);
      const char *role = va_arg (args, const char *);

      teren_test_server_add_user (*out_server, user, TEST_PASSWORD, lines, role);
    }
  va_end (args);
}

void
test_server_fixture_tear_down (TerenTestServer **server,
                               char            **root)
{
  g_clear_pointer (server, teren_test_server_free);
  test_remove_tree (*root);
  g_clear_pointer (root, g_free);
}

gboolean
test_need_keyring (void)
{
  if (test_have_keyring ())
    return TRUE;
  g_test_skip ("no Secret Service (run under build-aux/test-session.sh)");
  return FALSE;
}

TerenRecord *
test_resolve_one_conflict (TerenStore *store,
                           const char *id,
                           const char *field,
                           const char *server,
                           const char *local,
                           const char *base,
                           const char *choice)
{
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(JsonNode) choice_node = json_node_new (JSON_NODE_VALUE);
  g_autoptr(GError) error = NULL;
  TerenConflict *item;
  TerenRecord *resolved;

  conflicts = teren_store_list_conflicts (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 1);
  item = conflicts->pdata[0];
  g_assert_cmpstr (item->field, ==, field);
  g_assert_cmpstr (json_node_get_string (item->server), ==, server);
  g_assert_cmpstr (json_node_get_string (item->local), ==, local);
  g_assert_cmpstr (json_node_get_string (item->base), ==, base);

  json_node_set_string (choice_node, choice);
  resolved = teren_store_resolve_conflict (store, item->id, choice_node, &error);
  g_assert_no_error (error);
  return resolved;
}

char *
test_string_of (TerenSyncEngine *engine,
                const char      *id,
                const char      *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenRecord) record = teren_store_get_record (teren_sync_engine_get_store (engine), id,
                                                          &error);

  g_assert_no_error (error);
  return g_strdup (teren_record_get_string (record, key));
}
