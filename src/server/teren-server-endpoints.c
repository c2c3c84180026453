/* teren-server-endpoints.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <sodium.h>

#include "teren-error.h"
#include "teren-json.h"
#include "teren-schema.h"
#include "teren-text.h"
#include "teren-uuid.h"
#include "teren-server-cursor.h"
#include "teren-server-http-private.h"

/* The answers of SYNC.md's endpoints. Every function here runs in a worker thread. */

static void
add_server_time (JsonBuilder *builder)
{
  g_autofree char *now = teren_now_iso8601 ();

  json_builder_set_member_name (builder, "server_time");
  json_builder_add_string_value (builder, now);
}

/* Ends the answer @out (taken) with ,"server_time":"…"} and sends it with 200. */
static void
answer_with_time (TerenServerRequest *r,
                  GString            *out)
{
  g_autofree char *now = teren_now_iso8601 ();

  g_string_append_printf (out, ",\"server_time\":\"%s\"}", now);
  r->status = SOUP_STATUS_OK;
  r->response = g_string_free (out, FALSE);
}

/* ---- body ------------------------------------------------------------------------ */

static GBytes *
inflate_gzip (GBytes  *data,
              GError **error)
{
  g_autoptr(GZlibDecompressor) decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  const guint8 *in;
  gsize in_len, in_pos = 0;
  guint8 buffer[64 * 1024];

  in = g_bytes_get_data (data, &in_len);
  for (;;)
    {
      gsize read = 0, written = 0;
      GConverterResult result;

      result = g_converter_convert (G_CONVERTER (decompressor), in + in_pos, in_len - in_pos,
                                    buffer, sizeof buffer, G_CONVERTER_INPUT_AT_END,
                                    &read, &written, error);
      if (result == G_CONVERTER_ERROR)
        return NULL;
      in_pos += read;
      g_byte_array_append (out, buffer, written);
      if (out->len > TEREN_JSON_MAX_BODY)
        {
          g_clear_error (error);
          g_set_error (error, TEREN_ERROR, TEREN_ERROR_TOO_LARGE, "too large");
          return NULL;
        }
      if (result == G_CONVERTER_FINISHED)
        break;
      if (read == 0 && written == 0)
        {
          g_set_error (error, TEREN_ERROR, TEREN_ERROR_BAD_JSON, "truncated gzip body");
          return NULL;
        }
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static JsonObject *
read_body (TerenServerRequest *r)
{
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  const char *data;
  gsize length;

  if (r->body == NULL || g_bytes_get_size (r->body) == 0)
    {
      teren_server_request_answer_error (r, SOUP_STATUS_BAD_REQUEST, "bad_json", _("The request has no JSON body."));
      return NULL;
    }
  if (r->content_encoding != NULL && g_ascii_strcasecmp (r->content_encoding, "gzip") == 0)
    {
      plain = inflate_gzip (r->body, &error);
      if (plain == NULL)
        {
          if (g_error_matches (error, TEREN_ERROR, TEREN_ERROR_TOO_LARGE))
            teren_server_request_answer_error (r, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                          _("The request body is larger than 8 MiB once inflated."));
          else
            teren_server_request_answer_error (r, SOUP_STATUS_BAD_REQUEST, "bad_json", _("The gzip body cannot be inflated."));
          return NULL;
        }
    }
  else if (r->content_encoding != NULL && r->content_encoding[0] != '\0' &&
           g_ascii_strcasecmp (r->content_encoding, "identity") != 0)
    {
      teren_server_request_answer_error (r, SOUP_STATUS_BAD_REQUEST, "bad_request", _("Only gzip request bodies are accepted."));
      return NULL;
    }
  else
    {
      plain = g_bytes_ref (r->body);
    }

  data = g_bytes_get_data (plain, &length);
  if (length > TEREN_JSON_MAX_BODY)
    {
      teren_server_request_answer_error (r, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large", _("The request body is larger than 8 MiB."));
      return NULL;
    }
  if (!g_utf8_validate_len (data, length, NULL))
    {
      teren_server_request_answer_error (r, SOUP_STATUS_BAD_REQUEST, "bad_json", _("The request body is not valid UTF-8."));
      return NULL;
    }
  /* Strict RFC 8259 (no single quotes, comments, trailing text or raw control
   * characters), nesting limited. */
  root = teren_json_parse_input (data, length, TEREN_JSON_MAX_DEPTH, &error);
  if (root == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The request body is not valid JSON: %s"), error->message);

      teren_server_request_answer_error (r, SOUP_STATUS_BAD_REQUEST, "bad_json", message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      teren_server_request_answer_error (r, SOUP_STATUS_BAD_REQUEST, "bad_json",
                                         _("The request body is not a JSON object."));
      return NULL;
    }
  return json_node_dup_object (root);
}

/* A string member of @object; NULL (and the answer set) if absent or not a string. */
static const char *
body_string (TerenServerRequest    *r,
             JsonObject *object,
             const char *member,
             gboolean    required,
             gsize       max_length)
{
  JsonNode *node = json_object_get_member (object, member);
  const char *value;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        {
          g_autofree char *message = g_strdup_printf (_("The member “%s” is missing."), member);

          teren_server_request_answer_error (r, SOUP_STATUS_BAD_REQUEST, "bad_request", message);
        }
      return NULL;
    }
  if (JSON_NODE_TYPE (node) != JSON_NODE_VALUE || json_node_get_value_type (node) != G_TYPE_STRING ||
      strlen (value = json_node_get_string (node)) > max_length)
    {
      g_autofree char *message = g_strdup_printf (_("The member “%s” must be a string of at most %u bytes."),
                                                  member, (guint) max_length);

      teren_server_request_answer_error (r, SOUP_STATUS_BAD_REQUEST, "bad_request", message);
      return NULL;
    }
  return value;
}

/* ---- endpoints --------------------------------------------------------------------- */

/* The array @name of @body if it is one of at most @max elements; else NULL, answered 400
 * with @missing or @too_long. */
static JsonArray *
body_array (TerenServerRequest *r,
            JsonObject         *body,
            const char         *name,
            guint               max,
            const char         *missing,
            const char         *too_long)
{
  JsonNode *node = json_object_get_member (body, name);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      teren_server_request_answer_error (r, SOUP_STATUS_BAD_REQUEST, "bad_request", missing);
      return NULL;
    }
  if (json_array_get_length (json_node_get_array (node)) > max)
    {
      teren_server_request_answer_error (r, SOUP_STATUS_BAD_REQUEST, "bad_request", too_long);
      return NULL;
    }
  return json_node_get_array (node);
}

static void
handle_hello (TerenServerRequest *r,
              TerenServerCaller  *caller,
              const char         *token_hash)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "protocol");
  json_builder_begin_array (builder);
  json_builder_add_int_value (builder, TEREN_PROTOCOL);
  json_builder_add_int_value (builder, TEREN_PROTOCOL);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "schema");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "min");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "max");
  json_builder_add_int_value (builder, TEREN_SCHEMA_VERSION);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "epoch");
  json_builder_add_string_value (builder, teren_server_backend_get_epoch (r->http->backend));
  add_server_time (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  teren_server_request_answer_json (r, root);
}

static void
handle_health (TerenServerRequest *r,
               TerenServerCaller  *caller,
               const char         *token_hash)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, TRUE);
  add_server_time (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  teren_server_request_answer_json (r, root);
}

static void
add_account (JsonBuilder              *builder,
             const TerenServerAccount *account)
{
  json_builder_set_member_name (builder, "account");
  json_builder_add_value (builder, teren_server_account_to_json (account));
}

static void
handle_login (TerenServerRequest *r,
              TerenServerCaller  *caller,
              const char         *token_hash)
{
  TerenServerHttp *http = r->http;
  g_autoptr(JsonObject) body = read_body (r);
  g_autoptr(TerenServerAccount) account = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *token = NULL;
  g_autofree char *new_token_hash = NULL;
  g_autofree char *expires = NULL;
  g_autoptr(GDateTime) expires_dt = NULL;
  const char *username, *password, *device_id, *device_name;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 wait;
  gboolean ok;

  if (body == NULL)
    return;
  if ((username = body_string (r, body, "username", TRUE, 64)) == NULL ||
      (password = body_string (r, body, "password", TRUE, TEREN_SERVER_PASSWORD_MAX)) == NULL ||
      (device_id = body_string (r, body, "device_id", TRUE, 64)) == NULL)
    return;
  device_name = body_string (r, body, "device_name", FALSE, 200);
  if (device_name == NULL && r->response != NULL)
    return;
  if (!teren_uuid_is_valid (device_id))
    {
      teren_server_request_answer_error (r, SOUP_STATUS_BAD_REQUEST, "bad_request", _("The device id must be a UUID."));
      return;
    }
  if (device_name != NULL && teren_text_has_control_chars (device_name, FALSE))
    {
      teren_server_request_answer_error (r, SOUP_STATUS_BAD_REQUEST, "bad_request", _("The device name holds control characters."));
      return;
    }

  wait = teren_server_rate_limiter_check (http->limiter, username, r->address, now);
  if (wait > 0)
    {
      r->retry_after = wait;
      teren_server_request_answer_error (r, 429, "rate_limited", _("Too many failed logins. Wait a little and try again."));
      return;
    }

  if (teren_server_username_is_valid (username))
    account = teren_server_backend_account_lookup (http->backend, username, &hash, NULL);
  if (account == NULL)
    {
      teren_server_password_burn (password);
      ok = FALSE;
    }
  else
    {
      ok = teren_server_password_verify (hash, password) && !account->disabled;
    }
  if (!ok)
    {
      teren_server_rate_limiter_failure (http->limiter, username, r->address, now);
      teren_server_backend_audit (http->backend, account != NULL ? account->username : NULL, device_id,
                                  "login_failed", NULL, NULL, NULL, NULL);
      teren_server_request_answer_error (r, SOUP_STATUS_UNAUTHORIZED, "unauthorized", _("Wrong user name or password."));
      return;
    }
  teren_server_rate_limiter_success (http->limiter, username);

  token = teren_server_token_new ();
  new_token_hash = teren_server_token_hash (token);
  if (!teren_server_backend_token_create (http->backend, account->id, device_id,
                                          device_name != NULL ? device_name : "", new_token_hash, now, &error))
    {
      if (g_error_matches (error, TEREN_ERROR, TEREN_ERROR_PERMISSION))
        teren_server_request_answer_error (r, SOUP_STATUS_FORBIDDEN, "device_revoked", _("This device was revoked by the administrator."));
      else
        teren_server_request_answer_error (r, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal", _("The server could not store the login."));
      return;
    }
  teren_server_backend_audit (http->backend, account->username, device_id, "login", NULL, NULL, NULL, NULL);
  r->account = g_strdup (account->username);

  expires_dt = g_date_time_new_from_unix_utc (now + http->options.token_idle);
  expires = g_date_time_format_iso8601 (expires_dt);
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, token);
  add_account (builder, account);
  json_builder_set_member_name (builder, "expires_at");
  json_builder_add_string_value (builder, expires);
  add_server_time (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  teren_server_request_answer_json (r, root);
  memset (token, 0, strlen (token));
}

static TerenServerCaller *
authenticate (TerenServerRequest  *r,
              char    **out_token_hash)
{
  g_autofree char *hash = teren_server_bearer_token_hash (r->authorization);
  TerenServerCaller *caller = NULL;
  TerenServerTokenStatus status;

  if (hash == NULL)
    {
      teren_server_request_answer_error (r, SOUP_STATUS_UNAUTHORIZED, "unauthorized", _("Log in first."));
      return NULL;
    }
  status = teren_server_backend_token_check (r->http->backend, hash, g_get_real_time () / G_USEC_PER_SEC,
                                             r->http->options.token_idle, &caller, NULL);
  switch (status)
    {
    case TEREN_SERVER_TOKEN_OK:
      break;
    case TEREN_SERVER_TOKEN_REVOKED:
      r->account = g_strdup (caller->account->username);
      teren_server_caller_free (caller);
      teren_server_request_answer_error (r, SOUP_STATUS_FORBIDDEN, "device_revoked", _("This device was revoked by the administrator."));
      return NULL;
    case TEREN_SERVER_TOKEN_INVALID:
    default:
      teren_server_request_answer_error (r, SOUP_STATUS_UNAUTHORIZED, "unauthorized", _("The session has ended. Log in again."));
      return NULL;
    }
  caller->address = g_strdup (r->address);
  r->account = g_strdup (caller->account->username);
  if (out_token_hash != NULL)
    *out_token_hash = g_steal_pointer (&hash);
  return caller;
}

static void
handle_me (TerenServerRequest *r,
           TerenServerCaller  *caller,
           const char         *token_hash)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  add_account (builder, caller->account);
  json_builder_set_member_name (builder, "device_id");
  json_builder_add_string_value (builder, caller->device_id);
  add_server_time (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  teren_server_request_answer_json (r, root);
}

static void
handle_logout (TerenServerRequest *r,
               TerenServerCaller  *caller,
               const char         *token_hash)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  if (!teren_server_backend_token_revoke (r->http->backend, token_hash, NULL))
    {
      teren_server_request_answer_error (r, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal", _("The server could not end the session."));
      return;
    }
  teren_server_backend_audit (r->http->backend, caller->account->username, caller->device_id, "logout",
                              NULL, NULL, NULL, NULL);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, TRUE);
  add_server_time (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  teren_server_request_answer_json (r, root);
}

static gboolean
version_supported (TerenServerRequest *r)
{
  gint64 schema;
  char *end = NULL;

  if (r->protocol_header != NULL && strcmp (g_strstrip (r->protocol_header), "1") != 0)
    return FALSE;
  if (r->schema_header != NULL)
    {
      schema = g_ascii_strtoll (r->schema_header, &end, 10);
      if (end == r->schema_header || schema > TEREN_SCHEMA_VERSION)
        return FALSE;
    }
  return TRUE;
}

static void
handle_push (TerenServerRequest *r,
             TerenServerCaller  *caller,
             const char         *token_hash)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = NULL;
  JsonArray *array;
  guint i, n;

  if (!version_supported (r))
    {
      teren_server_request_answer_error (r, SOUP_STATUS_CONFLICT, "unsupported_version",
                    _("This server is older than the application. Ask for the server to be updated."));
      return;
    }
  body = read_body (r);
  if (body == NULL)
    return;
  array = body_array (r, body, "ops", TEREN_PUSH_MAX_OPS, _("The request must hold an array “ops”."),
                      _("A push holds at most 500 operations."));
  if (array == NULL)
    return;
  n = json_array_get_length (array);
  ops = g_ptr_array_new_with_free_func ((GDestroyNotify) teren_op_free);
  for (i = 0; i < n; i++)
    {
      g_autoptr(GError) op_error = NULL;
      TerenOp *op = teren_op_new_from_json (json_array_get_element (array, i), &op_error);

      if (op == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("Operation %u is not valid: %s"), i,
                                                      op_error != NULL ? op_error->message : "?");

          teren_server_request_answer_error (r, SOUP_STATUS_BAD_REQUEST, "bad_request", message);
          return;
        }
      g_ptr_array_add (ops, op);
    }

  if (!teren_server_backend_push (r->http->backend, caller, ops, &results, &error))
    {
      g_warning ("push failed: %s", error != NULL ? error->message : "?");
      teren_server_request_answer_error (r, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                    _("The server could not store the operations. Try again later."));
      return;
    }

  out = g_string_sized_new (1024);
  g_string_append (out, "{\"results\":[");
  for (i = 0; i < results->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, g_ptr_array_index (results, i));
    }
  g_string_append_c (out, ']');
  answer_with_time (r, g_steal_pointer (&out));
}

/* limit from the query; FALSE with the answer set when bad. */
static gboolean
query_limit (TerenServerRequest *r,
             guint   *out_limit)
{
  const char *text = r->query != NULL ? g_hash_table_lookup (r->query, "limit") : NULL;
  guint64 value = 0;

  *out_limit = TEREN_PULL_DEFAULT;
  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT32, &value, NULL))
    {
      teren_server_request_answer_error (r, SOUP_STATUS_BAD_REQUEST, "bad_request", _("The limit must be a positive whole number."));
      return FALSE;
    }
  *out_limit = (guint) MIN (value, TEREN_PULL_MAX);
  return TRUE;
}

static void
append_json_text (GString    *out,
                  const char *text)
{
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), text);
  g_autofree char *json = teren_json_to_string (node);

  g_string_append (out, json);
}

static void
handle_pull (TerenServerRequest *r,
             TerenServerCaller  *caller,
             const char         *token_hash)
{
  TerenServerBackend *backend = r->http->backend;
  const char *cursor = r->query != NULL ? g_hash_table_lookup (r->query, "cursor") : NULL;
  TerenServerFeedPos from = { 0 };
  g_autoptr(TerenServerFeedPage) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = NULL;
  g_autoptr(GString) detail = NULL;
  g_autofree char *next = NULL;
  guint limit;
  guint i;

  if (!query_limit (r, &limit))
    return;
  if (cursor != NULL && cursor[0] != '\0' &&
      !teren_server_cursor_decode (teren_server_backend_get_secret (backend),
                                   teren_server_backend_get_epoch (backend),
                                   caller->account->id, cursor, &from))
    {
      /* A cursor of an epoch before a restore: everything again, tombstones included
       * (the client holds records; a first pull would leave deleted ones with it). */
      if (!teren_server_cursor_is_other_epoch (teren_server_backend_get_secret (backend),
                                               teren_server_backend_get_epoch (backend),
                                               caller->account->id, cursor))
        {
          teren_server_request_answer_error (r, SOUP_STATUS_BAD_REQUEST, "bad_cursor", _("This cursor was not issued by this server."));
          return;
        }
      memset (&from, 0, sizeof from);
      from.scope_version = caller->account->scope_version;
    }
  if (!teren_server_backend_feed_page (backend, caller, &from, limit, TEREN_PAGE_MAX_BYTES, &page, &error))
    {
      teren_server_feed_pos_clear (&from);
      g_warning ("pull failed: %s", error != NULL ? error->message : "?");
      teren_server_request_answer_error (r, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal", _("The server could not read the changes."));
      return;
    }
  teren_server_feed_pos_clear (&from);

  /* The audit: which record ids this device received (never their contents). */
  detail = g_string_new ("{\"ids\":[");
  for (i = 0; i < page->record_ids->len; i++)
    g_string_append_printf (detail, "%s\"%s\"", i > 0 ? "," : "", (const char *) g_ptr_array_index (page->record_ids, i));
  g_string_append (detail, "],\"purge\":");
  g_string_append_printf (detail, "%u}", page->purge->len);
  if (!teren_server_backend_audit (backend, caller->account->username, caller->device_id, "pull", NULL, NULL,
                                   detail->str, &error))
    {
      teren_server_request_answer_error (r, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal", _("The server could not read the changes."));
      return;
    }

  next = teren_server_cursor_encode (teren_server_backend_get_secret (backend),
                                     teren_server_backend_get_epoch (backend),
                                     caller->account->id, &page->next);
  out = g_string_sized_new (page->records_json->len + 512);
  g_string_append (out, "{\"records\":[");
  g_string_append_len (out, page->records_json->str, page->records_json->len);
  g_string_append (out, "],\"purge\":[");
  for (i = 0; i < page->purge->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_json_text (out, g_ptr_array_index (page->purge, i));
    }
  g_string_append (out, "],\"cursor\":");
  append_json_text (out, next);
  g_string_append_printf (out, ",\"more\":%s,\"epoch\":", page->more ? "true" : "false");
  append_json_text (out, teren_server_backend_get_epoch (backend));
  answer_with_time (r, g_steal_pointer (&out));
}

static void
handle_nomenclatures (TerenServerRequest *r,
                      TerenServerCaller  *caller,
                      const char         *token_hash)
{
  TerenServerBackend *backend = r->http->backend;
  const char *cursor = r->query != NULL ? g_hash_table_lookup (r->query, "cursor") : NULL;
  g_autoptr(GString) items = g_string_new (NULL);
  g_autoptr(GString) out = NULL;
  g_autofree char *next = NULL;
  gint64 after = 0, last = 0;
  gboolean more = FALSE;
  guint limit;

  if (!query_limit (r, &limit))
    return;
  if (cursor != NULL && cursor[0] != '\0' &&
      !teren_server_nomenclature_cursor_decode (teren_server_backend_get_secret (backend),
                                                teren_server_backend_get_epoch (backend), cursor, &after))
    {
      teren_server_request_answer_error (r, SOUP_STATUS_BAD_REQUEST, "bad_cursor", _("This cursor was not issued by this server."));
      return;
    }
  if (!teren_server_backend_nomenclature_page (backend, after, limit, items, &last, &more, NULL))
    {
      teren_server_request_answer_error (r, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal", _("The server could not read the lists."));
      return;
    }
  next = teren_server_nomenclature_cursor_encode (teren_server_backend_get_secret (backend),
                                                  teren_server_backend_get_epoch (backend), last);
  out = g_string_sized_new (items->len + 256);
  g_string_append (out, "{\"items\":[");
  g_string_append_len (out, items->str, items->len);
  g_string_append (out, "],\"cursor\":");
  append_json_text (out, next);
  g_string_append_printf (out, ",\"more\":%s,\"epoch\":", more ? "true" : "false");
  append_json_text (out, teren_server_backend_get_epoch (backend));
  answer_with_time (r, g_steal_pointer (&out));
}

/* The integrity digest (SYNC.md): XOR over the caller's non-deleted records of
 * h64 = SipHash-2-4 (libsodium crypto_shorthash) of "<id>:<rev>" with the 16-byte key
 * DIGEST_KEY, read little-endian; written as 16 lower-case hex digits. Buckets are the
 * first hex digit of the id. */
#define DIGEST_KEY "teren digest v1."

static guint64
digest_item (const TerenServerIdRev *item)
{
  g_autofree char *text = g_strdup_printf ("%s:%" G_GINT64_FORMAT, item->id, item->rev);
  guint8 out[crypto_shorthash_BYTES];
  guint64 value = 0;
  guint i;

  crypto_shorthash (out, (const guint8 *) text, strlen (text), (const guint8 *) DIGEST_KEY);
  for (i = 0; i < 8; i++)
    value |= (guint64) out[i] << (8 * i);
  return value;
}

static void
add_digest (JsonBuilder *builder,
            guint64      digest,
            guint        count)
{
  g_autofree char *hex = g_strdup_printf ("%016" G_GINT64_MODIFIER "x", digest);

  json_builder_set_member_name (builder, "digest");
  json_builder_add_string_value (builder, hex);
  json_builder_set_member_name (builder, "count");
  json_builder_add_int_value (builder, count);
}

/* ?bucket=x: -1 when absent; FALSE with the answer set when not one hex digit. */
static gboolean
query_bucket (TerenServerRequest  *r,
              gboolean  required,
              int      *out_bucket)
{
  const char *text = r->query != NULL ? g_hash_table_lookup (r->query, "bucket") : NULL;

  *out_bucket = -1;
  if (text == NULL && !required)
    return TRUE;
  if (text == NULL || strlen (text) != 1 || !g_ascii_isxdigit (text[0]) || g_ascii_isupper (text[0]))
    {
      teren_server_request_answer_error (r, SOUP_STATUS_BAD_REQUEST, "bad_request", _("The bucket is one hex digit, 0 to f."));
      return FALSE;
    }
  *out_bucket = g_ascii_xdigit_value (text[0]);
  return TRUE;
}

static void
handle_digest (TerenServerRequest *r,
               TerenServerCaller  *caller,
               const char         *token_hash)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  guint64 total = 0, buckets[16] = { 0 };
  guint counts[16] = { 0 };
  int bucket;
  guint i;

  if (!query_bucket (r, FALSE, &bucket))
    return;
  if (!teren_server_backend_scope_ids (r->http->backend, caller, bucket, &items, NULL))
    {
      teren_server_request_answer_error (r, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal", _("The server could not read the changes."));
      return;
    }
  for (i = 0; i < items->len; i++)
    {
      TerenServerIdRev *item = g_ptr_array_index (items, i);
      guint64 h = digest_item (item);
      int b = g_ascii_xdigit_value (item->id[0]);

      total ^= h;
      if (b >= 0 && b < 16)
        {
          buckets[b] ^= h;
          counts[b]++;
        }
    }

  json_builder_begin_object (builder);
  if (bucket >= 0)
    {
      g_autofree char *name = g_strdup_printf ("%x", bucket);

      json_builder_set_member_name (builder, "bucket");
      json_builder_add_string_value (builder, name);
    }
  add_digest (builder, total, items->len);
  if (bucket < 0)
    {
      json_builder_set_member_name (builder, "buckets");
      json_builder_begin_array (builder);
      for (i = 0; i < 16; i++)
        {
          g_autofree char *name = g_strdup_printf ("%x", i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "bucket");
          json_builder_add_string_value (builder, name);
          add_digest (builder, buckets[i], counts[i]);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_set_member_name (builder, "epoch");
  json_builder_add_string_value (builder, teren_server_backend_get_epoch (r->http->backend));
  add_server_time (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  teren_server_request_answer_json (r, root);
}

static void
handle_ids (TerenServerRequest *r,
            TerenServerCaller  *caller,
            const char         *token_hash)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GString) out = NULL;
  int bucket;
  guint i;

  if (!query_bucket (r, TRUE, &bucket))
    return;
  if (!teren_server_backend_scope_ids (r->http->backend, caller, bucket, &items, NULL))
    {
      teren_server_request_answer_error (r, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal", _("The server could not read the changes."));
      return;
    }
  out = g_string_sized_new (64 + items->len * 56);
  g_string_append_printf (out, "{\"bucket\":\"%x\",\"ids\":[", bucket);
  for (i = 0; i < items->len; i++)
    {
      TerenServerIdRev *item = g_ptr_array_index (items, i);

      g_string_append_printf (out, "%s[", i > 0 ? "," : "");
      append_json_text (out, item->id);
      g_string_append_printf (out, ",%" G_GINT64_FORMAT "]", item->rev);
    }
  g_string_append_c (out, ']');
  answer_with_time (r, g_steal_pointer (&out));
}

static void
handle_fetch (TerenServerRequest *r,
              TerenServerCaller  *caller,
              const char         *token_hash)
{
  g_autoptr(JsonObject) body = read_body (r);
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) records = g_string_new (NULL);
  g_autoptr(GString) out = NULL;
  g_autoptr(GString) detail = NULL;
  JsonArray *array;
  guint i, n;

  if (body == NULL)
    return;
  array = body_array (r, body, "ids", TEREN_PULL_MAX, _("The request must hold an array “ids”."),
                      _("A fetch asks for at most 2,000 records."));
  if (array == NULL)
    return;
  n = json_array_get_length (array);
  ids = g_ptr_array_new_with_free_func (g_free);
  for (i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      const char *id = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING ?
                       json_node_get_string (node) : NULL;

      if (id == NULL || !teren_uuid_is_valid (id))
        {
          teren_server_request_answer_error (r, SOUP_STATUS_BAD_REQUEST, "bad_request", _("Every id must be a UUID."));
          return;
        }
      g_ptr_array_add (ids, g_strdup (id));
    }
  g_ptr_array_add (ids, NULL);
  if (!teren_server_backend_fetch (r->http->backend, caller, (const char * const *) ids->pdata, records, missing, NULL))
    {
      teren_server_request_answer_error (r, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal", _("The server could not read the changes."));
      return;
    }

  /* Audited like a pull page: which ids were asked for (never contents). */
  detail = g_string_new ("{\"fetch\":[");
  for (i = 0; i + 1 < ids->len; i++)
    g_string_append_printf (detail, "%s\"%s\"", i > 0 ? "," : "", (const char *) g_ptr_array_index (ids, i));
  g_string_append (detail, "]}");
  teren_server_backend_audit (r->http->backend, caller->account->username, caller->device_id, "fetch",
                              NULL, NULL, detail->str, NULL);

  out = g_string_sized_new (records->len + 256);
  g_string_append (out, "{\"records\":[");
  g_string_append_len (out, records->str, records->len);
  g_string_append (out, "],\"missing\":[");
  for (i = 0; i < missing->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_json_text (out, g_ptr_array_index (missing, i));
    }
  g_string_append_c (out, ']');
  answer_with_time (r, g_steal_pointer (&out));
}

/* POST /epoch-report {"epoch": "<the epoch the client knew>", "records": [[id, rev], …]}
 * (≤ 2,000): after a restore, the client's (id, rev) pairs; the server keeps, for
 * `teren-server audit --epoch-report`, those it has at an older revision or not at all. */
static void
handle_epoch_report (TerenServerRequest *r,
                     TerenServerCaller  *caller,
                     const char         *token_hash)
{
  g_autoptr(JsonObject) body = read_body (r);
  g_autoptr(GString) out = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *array;
  guint reported = 0;
  guint i, n;

  if (body == NULL)
    return;
  array = body_array (r, body, "records", TEREN_PULL_MAX, _("The request must hold an array “records”."),
                      _("A report holds at most 2,000 records."));
  if (array == NULL)
    return;
  n = json_array_get_length (array);
  items = g_ptr_array_new_with_free_func ((GDestroyNotify) teren_server_id_rev_free);
  for (i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonArray *pair = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
      JsonNode *id_node = pair != NULL && json_array_get_length (pair) == 2 ? json_array_get_element (pair, 0) : NULL;
      JsonNode *rev_node = id_node != NULL ? json_array_get_element (pair, 1) : NULL;
      TerenServerIdRev *item;

      if (id_node == NULL || !JSON_NODE_HOLDS_VALUE (id_node) || json_node_get_value_type (id_node) != G_TYPE_STRING ||
          !teren_uuid_is_valid (json_node_get_string (id_node)) ||
          !JSON_NODE_HOLDS_VALUE (rev_node) || json_node_get_value_type (rev_node) != G_TYPE_INT64 ||
          json_node_get_int (rev_node) < 0)
        {
          teren_server_request_answer_error (r, SOUP_STATUS_BAD_REQUEST, "bad_request",
                                             _("Every entry must be [record id, revision]."));
          return;
        }
      item = g_new0 (TerenServerIdRev, 1);
      item->id = g_strdup (json_node_get_string (id_node));
      item->rev = json_node_get_int (rev_node);
      g_ptr_array_add (items, item);
    }
  if (!teren_server_backend_epoch_report (r->http->backend, caller, items, &reported, &error))
    {
      g_warning ("epoch report failed: %s", error != NULL ? error->message : "?");
      teren_server_request_answer_error (r, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal", _("The server could not store the report."));
      return;
    }
  out = g_string_new (NULL);
  g_string_append_printf (out, "{\"reported\":%u", reported);
  answer_with_time (r, g_steal_pointer (&out));
}

static gboolean
method_is (TerenServerRequest    *r,
           const char *method)
{
  if (strcmp (r->method, method) == 0)
    return TRUE;
  teren_server_request_answer_error (r, SOUP_STATUS_METHOD_NOT_ALLOWED, "bad_request", _("This method is not allowed here."));
  return FALSE;
}

/* The endpoints of SYNC.md: path, method, whether a token is needed, handler. */
typedef void (*Handler) (TerenServerRequest *r,
                         TerenServerCaller  *caller,
                         const char         *token_hash);

static const struct {
  const char *path;
  const char *method;
  gboolean    needs_token;
  Handler     handle;
} routes[] = {
  { "/hello", "GET", FALSE, handle_hello },
  { "/health", "GET", FALSE, handle_health },
  { "/login", "POST", FALSE, handle_login },
  { "/logout", "POST", TRUE, handle_logout },
  { "/me", "GET", TRUE, handle_me },
  { "/push", "POST", TRUE, handle_push },
  { "/pull", "GET", TRUE, handle_pull },
  { "/nomenclatures", "GET", TRUE, handle_nomenclatures },
  { "/digest", "GET", TRUE, handle_digest },
  { "/ids", "GET", TRUE, handle_ids },
  { "/fetch", "POST", TRUE, handle_fetch },
  { "/epoch-report", "POST", TRUE, handle_epoch_report },
};

/* Runs in a worker thread: everything that touches the database. */
void
teren_server_request_process (TerenServerRequest *r)
{
  g_autoptr(TerenServerCaller) caller = NULL;
  g_autofree char *token_hash = NULL;
  guint i;

  if (g_str_has_prefix (r->path, "/blobs/"))
    {
      caller = authenticate (r, NULL);
      if (caller != NULL)
        teren_server_blobs_handle (r, caller);
      return;
    }
  for (i = 0; i < G_N_ELEMENTS (routes) && strcmp (r->path, routes[i].path) != 0; i++)
    ;
  if (i == G_N_ELEMENTS (routes))
    {
      teren_server_request_answer_error (r, SOUP_STATUS_NOT_FOUND, "not_found", _("There is nothing at this address."));
      return;
    }
  if (routes[i].needs_token)
    {
      caller = authenticate (r, &token_hash);
      if (caller == NULL)
        return;
    }
  if (method_is (r, routes[i].method))
    routes[i].handle (r, caller, token_hash);
}
