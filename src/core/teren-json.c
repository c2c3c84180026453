/* teren-json.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>

#include "teren-error.h"
#include "teren-json.h"

/* A strict RFC 8259 parser that builds json-glib nodes directly. json-glib 1.6's own
 * parser goes through a general tokenizer, has no nesting limit, accepts much that is not
 * JSON (single quotes, "[1] [2]", "0x10", comments) and wraps integers that
 * do not fit in 64 bits; it was also about a third of the client's work in a first pull.
 *
 * One pass: UTF-8 is checked inside strings (outside them only ASCII can be valid),
 * escapes are decoded (a surrogate must be one half of a pair; "\u0000" is refused, as
 * C strings would cut it), raw control characters in strings are let through (see
 * parse_string()), nesting is limited to @max_depth, and an integer that does
 * not fit in 64 bits becomes a double. Recursion is bounded by @max_depth. */

typedef struct
{
  const char  *start;
  const char  *p;
  const char  *end;
  guint        max_depth;
  gboolean     refuse_controls;   /* raw control characters in strings */
  GString     *text;     /* the string being decoded; reused */
  GError     **error;
} Parse;

static gboolean parse_value (Parse *ps, guint depth, JsonNode **out);

static gboolean
parse_fail (Parse      *ps,
            const char *at,
            const char *what)
{
  g_set_error (ps->error, TEREN_ERROR, TEREN_ERROR_BAD_JSON, "Malformed JSON: %s (at byte %" G_GSIZE_FORMAT ")",
               what, (gsize) (at - ps->start));
  return FALSE;
}

static gboolean
parse_fail_utf8 (Parse      *ps,
                 const char *at)
{
  g_set_error (ps->error, TEREN_ERROR, TEREN_ERROR_BAD_JSON, "JSON is not valid UTF-8 (at byte %" G_GSIZE_FORMAT ")",
               (gsize) (at - ps->start));
  return FALSE;
}

/* An unexpected byte outside a string: a NUL or a byte of no valid UTF-8 is reported as
 * such, anything else as a syntax error. */
static gboolean
parse_fail_unexpected (Parse      *ps,
                       const char *what)
{
  if (ps->p < ps->end && (*ps->p == '\0' || !g_utf8_validate (ps->p, ps->end - ps->p, NULL)))
    return parse_fail_utf8 (ps, ps->p);
  return parse_fail (ps, ps->p, ps->p < ps->end ? what : "unexpected end");
}

static inline void
skip_space (Parse *ps)
{
  while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\r' || *ps->p == '\t'))
    ps->p++;
}

static int
hex_digit (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* The four hex digits after "\u" at @p. */
static gboolean
read_hex4 (Parse       *ps,
           const char  *p,
           gunichar    *out)
{
  gunichar value = 0;
  int i;

  if (ps->end - p < 4)
    return parse_fail (ps, p, "bad \\u escape");
  for (i = 0; i < 4; i++)
    {
      int digit = hex_digit (p[i]);

      if (digit < 0)
        return parse_fail (ps, p, "bad \\u escape");
      value = value << 4 | (gunichar) digit;
    }
  *out = value;
  return TRUE;
}

static gboolean
lone_surrogate (Parse *ps)
{
  g_set_error_literal (ps->error, TEREN_ERROR, TEREN_ERROR_BAD_JSON,
                       "JSON string escapes do not make valid UTF-8 (lone surrogate)");
  return FALSE;
}

/* The string at ps->p (its opening quote), decoded into ps->text. */
static gboolean
parse_string (Parse *ps)
{
  const char *p = ps->p + 1;
  const char *run = p;

  g_string_truncate (ps->text, 0);
  for (;;)
    {
      guchar c;

      /* Bytes copied as they are. */
      while (p < ps->end && (c = (guchar) *p) >= 0x20 && c != '"' && c != '\\' && c < 0x80)
        p++;
      if (p >= ps->end)
        return parse_fail (ps, ps->p, "unterminated string");
      c = (guchar) *p;
      if (c >= 0x80)
        {
          /* One UTF-8 sequence, checked (no overlong form, surrogate or beyond U+10FFFF). */
          gsize n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;

          if (c < 0xc2 || c > 0xf4 || (gsize) (ps->end - p) < n || !g_utf8_validate (p, n, NULL))
            return parse_fail_utf8 (ps, p);
          p += n;
          continue;
        }
      if (c < 0x20)
        {
          /* Raw control characters are not JSON, but json-glib 1.6's generator writes
           * U+001F unescaped: a draft or record holding one must still read back. */
          if (c == 0)
            return parse_fail_utf8 (ps, p);
          if (ps->refuse_controls)
            return parse_fail (ps, p, "control character in a string");
          p++;
          continue;
        }
      g_string_append_len (ps->text, run, p - run);
      if (c == '"')
        {
          ps->p = p + 1;
          return TRUE;
        }

      /* An escape. */
      if (ps->end - p < 2)
        return parse_fail (ps, ps->p, "unterminated string");
      switch (p[1])
        {
        case '"':  g_string_append_c (ps->text, '"'); break;
        case '\\': g_string_append_c (ps->text, '\\'); break;
        case '/':  g_string_append_c (ps->text, '/'); break;
        case 'b':  g_string_append_c (ps->text, '\b'); break;
        case 'f':  g_string_append_c (ps->text, '\f'); break;
        case 'n':  g_string_append_c (ps->text, '\n'); break;
        case 'r':  g_string_append_c (ps->text, '\r'); break;
        case 't':  g_string_append_c (ps->text, '\t'); break;
        case 'u':
          {
            gunichar ch, low;

            if (!read_hex4 (ps, p + 2, &ch))
              return FALSE;
            p += 4;
            if (ch == 0)
              {
                g_set_error (ps->error, TEREN_ERROR, TEREN_ERROR_BAD_JSON,
                             "JSON string holds a NUL character (at byte %" G_GSIZE_FORMAT ")",
                             (gsize) (p - ps->start));
                return FALSE;
              }
            if (ch >= 0xdc00 && ch <= 0xdfff)
              return lone_surrogate (ps);
            if (ch >= 0xd800 && ch <= 0xdbff)
              {
                /* The low half must follow at once. */
                if (ps->end - p < 8 || p[2] != '\\' || p[3] != 'u')
                  return lone_surrogate (ps);
                if (!read_hex4 (ps, p + 4, &low))
                  return FALSE;
                if (low < 0xdc00 || low > 0xdfff)
                  return lone_surrogate (ps);
                ch = 0x10000 + ((ch - 0xd800) << 10) + (low - 0xdc00);
                p += 6;
              }
            g_string_append_unichar (ps->text, ch);
          }
          break;
        default:
          return parse_fail (ps, p, "bad escape");
        }
      p += 2;
      run = p;
    }
}

static gboolean
parse_number (Parse     *ps,
              JsonNode **out)
{
  const char *begin = ps->p;
  const char *p = begin;
  gboolean negative = FALSE;
  gboolean integer = TRUE;
  guint64 magnitude = 0;
  gboolean overflow = FALSE;

  if (*p == '-')
    {
      negative = TRUE;
      p++;
    }
  if (p >= ps->end || !g_ascii_isdigit (*p))
    return parse_fail (ps, begin, "bad number");
  if (*p == '0')
    {
      p++;
      if (p < ps->end && g_ascii_isdigit (*p))
        return parse_fail (ps, begin, "bad number (leading zero)");
    }
  else
    for (; p < ps->end && g_ascii_isdigit (*p); p++)
      {
        guint digit = (guint) (*p - '0');

        if (magnitude > (G_MAXUINT64 - digit) / 10)
          overflow = TRUE;
        else
          magnitude = magnitude * 10 + digit;
      }
  if (p < ps->end && *p == '.')
    {
      integer = FALSE;
      p++;
      if (p >= ps->end || !g_ascii_isdigit (*p))
        return parse_fail (ps, begin, "bad number");
      while (p < ps->end && g_ascii_isdigit (*p))
        p++;
    }
  if (p < ps->end && (*p == 'e' || *p == 'E'))
    {
      integer = FALSE;
      p++;
      if (p < ps->end && (*p == '+' || *p == '-'))
        p++;
      if (p >= ps->end || !g_ascii_isdigit (*p))
        return parse_fail (ps, begin, "bad number");
      while (p < ps->end && g_ascii_isdigit (*p))
        p++;
    }
  ps->p = p;

  if (integer && !overflow &&
      magnitude <= (negative ? (guint64) G_MAXINT64 + 1 : (guint64) G_MAXINT64))
    {
      gint64 value = negative ? (gint64) (0 - magnitude) : (gint64) magnitude;

      *out = json_node_init_int (json_node_alloc (), value);
      return TRUE;
    }

  /* A real number, or an integer beyond 64 bits: a double (the token is copied so that
   * strtod stops at its end). */
  {
    g_autofree char *token = g_strndup (begin, p - begin);
    double value;

    errno = 0;
    value = g_ascii_strtod (token, NULL);
    if (errno == ERANGE && (value > 1.0 || value < -1.0))
      return parse_fail (ps, begin, "number out of range");
    *out = json_node_init_double (json_node_alloc (), value);
  }
  return TRUE;
}

static gboolean
parse_word (Parse      *ps,
            const char *word,
            gsize       length)
{
  if ((gsize) (ps->end - ps->p) < length || memcmp (ps->p, word, length) != 0)
    return parse_fail_unexpected (ps, "unexpected word");
  ps->p += length;
  return TRUE;
}

static gboolean
parse_array (Parse     *ps,
             guint      depth,
             JsonNode **out)
{
  g_autoptr(JsonArray) array = json_array_new ();

  ps->p++;   /* [ */
  skip_space (ps);
  if (ps->p < ps->end && *ps->p == ']')
    ps->p++;
  else
    for (;;)
      {
        JsonNode *element;

        if (!parse_value (ps, depth, &element))
          return FALSE;
        json_array_add_element (array, element);
        skip_space (ps);
        if (ps->p < ps->end && *ps->p == ',')
          {
            ps->p++;
            continue;
          }
        if (ps->p < ps->end && *ps->p == ']')
          {
            ps->p++;
            break;
          }
        return parse_fail_unexpected (ps, "expected ',' or ']'");
      }
  *out = json_node_init_array (json_node_alloc (), array);
  return TRUE;
}

static gboolean
parse_object (Parse     *ps,
              guint      depth,
              JsonNode **out)
{
  g_autoptr(JsonObject) object = json_object_new ();

  ps->p++;   /* { */
  skip_space (ps);
  if (ps->p < ps->end && *ps->p == '}')
    ps->p++;
  else
    for (;;)
      {
        char short_name[128];
        g_autofree char *long_name = NULL;
        const char *name;
        JsonNode *member;

        skip_space (ps);
        if (ps->p >= ps->end || *ps->p != '"')
          return parse_fail_unexpected (ps, "a member name must be a string");
        if (!parse_string (ps))
          return FALSE;
        /* Kept aside: the value's strings reuse ps->text. */
        if (ps->text->len < sizeof short_name)
          name = memcpy (short_name, ps->text->str, ps->text->len + 1);
        else
          name = long_name = g_strndup (ps->text->str, ps->text->len);
        skip_space (ps);
        if (ps->p >= ps->end || *ps->p != ':')
          return parse_fail_unexpected (ps, "expected ':'");
        ps->p++;
        if (!parse_value (ps, depth, &member))
          return FALSE;
        /* A repeated name: the last value counts (as json-glib). */
        json_object_set_member (object, name, member);
        skip_space (ps);
        if (ps->p < ps->end && *ps->p == ',')
          {
            ps->p++;
            continue;
          }
        if (ps->p < ps->end && *ps->p == '}')
          {
            ps->p++;
            break;
          }
        return parse_fail_unexpected (ps, "expected ',' or '}'");
      }
  *out = json_node_init_object (json_node_alloc (), object);
  return TRUE;
}

/* @depth: arrays and objects around the value. */
static gboolean
parse_value (Parse     *ps,
             guint      depth,
             JsonNode **out)
{
  skip_space (ps);
  if (ps->p >= ps->end)
    return parse_fail (ps, ps->p, "unexpected end");
  switch (*ps->p)
    {
    case '{':
    case '[':
      if (depth + 1 > ps->max_depth)
        {
          g_set_error (ps->error, TEREN_ERROR, TEREN_ERROR_BAD_JSON,
                       "JSON nested deeper than %u levels (at byte %" G_GSIZE_FORMAT ")",
                       ps->max_depth, (gsize) (ps->p - ps->start));
          return FALSE;
        }
      return *ps->p == '{' ? parse_object (ps, depth + 1, out) : parse_array (ps, depth + 1, out);
    case '"':
      if (!parse_string (ps))
        return FALSE;
      *out = json_node_init_string (json_node_alloc (), ps->text->str);
      return TRUE;
    case 't':
      if (!parse_word (ps, "true", 4))
        return FALSE;
      *out = json_node_init_boolean (json_node_alloc (), TRUE);
      return TRUE;
    case 'f':
      if (!parse_word (ps, "false", 5))
        return FALSE;
      *out = json_node_init_boolean (json_node_alloc (), FALSE);
      return TRUE;
    case 'n':
      if (!parse_word (ps, "null", 4))
        return FALSE;
      *out = json_node_init_null (json_node_alloc ());
      return TRUE;
    default:
      if (*ps->p == '-' || g_ascii_isdigit (*ps->p))
        return parse_number (ps, out);
      return parse_fail_unexpected (ps, "unexpected character");
    }
}

static JsonNode *
parse_document (const char  *data,
                gssize       length,
                guint        max_depth,
                gboolean     refuse_controls,
                GError     **error)
{
  g_autoptr(GString) text = NULL;
  g_autoptr(JsonNode) root = NULL;
  Parse ps;

  if (data == NULL)
    {
      g_set_error_literal (error, TEREN_ERROR, TEREN_ERROR_BAD_JSON, "No JSON data");
      return NULL;
    }

  ps.start = data;
  ps.p = data;
  ps.end = data + (length < 0 ? strlen (data) : (gsize) length);
  ps.max_depth = max_depth == 0 ? TEREN_JSON_MAX_DEPTH : max_depth;
  ps.refuse_controls = refuse_controls;
  ps.error = error;

  /* A byte-order mark some editors write at the start of a file. */
  if (ps.end - ps.p >= 3 && memcmp (ps.p, "\xef\xbb\xbf", 3) == 0)
    ps.p += 3;
  skip_space (&ps);
  if (ps.p >= ps.end)
    {
      g_set_error_literal (error, TEREN_ERROR, TEREN_ERROR_BAD_JSON, "Empty JSON document");
      return NULL;
    }

  text = g_string_sized_new (64);
  ps.text = text;
  if (!parse_value (&ps, 0, &root))
    return NULL;
  skip_space (&ps);
  if (ps.p < ps.end)
    {
      parse_fail_unexpected (&ps, "text after the JSON value");
      return NULL;
    }
  return g_steal_pointer (&root);
}

JsonNode *
teren_json_parse (const char  *data,
                  gssize       length,
                  guint        max_depth,
                  GError     **error)
{
  return parse_document (data, length, max_depth, FALSE, error);
}

JsonNode *
teren_json_parse_input (const char  *data,
                        gssize       length,
                        guint        max_depth,
                        GError     **error)
{
  return parse_document (data, length, max_depth, TRUE, error);
}

JsonObject *
teren_json_parse_object (const char  *data,
                         gssize       length,
                         guint        max_depth,
                         GError     **error)
{
  g_autoptr(JsonNode) node = teren_json_parse (data, length, max_depth, error);

  if (node == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, TEREN_ERROR, TEREN_ERROR_BAD_JSON,
                           "The JSON document is not an object");
      return NULL;
    }

  return json_node_dup_object (node);
}

char *
teren_json_to_string (JsonNode *node)
{
  if (node == NULL)
    return g_strdup ("null");

  return json_to_string (node, FALSE);
}

char *
teren_json_object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  if (object == NULL)
    return g_strdup ("null");

  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
}

static gboolean
is_null (JsonNode *node)
{
  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

static gboolean
is_number (JsonNode *node,
           GType    *out_type)
{
  GType type;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  *out_type = type;
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

static gboolean object_equal (JsonObject *a, JsonObject *b);

gboolean
teren_json_equal (JsonNode *a,
                  JsonNode *b)
{
  GType type_a, type_b;

  if (is_null (a) || is_null (b))
    return is_null (a) && is_null (b);

  if (is_number (a, &type_a) && is_number (b, &type_b))
    {
      if (type_a == G_TYPE_INT64 && type_b == G_TYPE_INT64)
        return json_node_get_int (a) == json_node_get_int (b);
      return json_node_get_double (a) == json_node_get_double (b);
    }

  if (JSON_NODE_TYPE (a) != JSON_NODE_TYPE (b))
    return FALSE;

  switch (JSON_NODE_TYPE (a))
    {
    case JSON_NODE_OBJECT:
      return object_equal (json_node_get_object (a), json_node_get_object (b));

    case JSON_NODE_ARRAY:
      {
        JsonArray *array_a = json_node_get_array (a);
        JsonArray *array_b = json_node_get_array (b);
        guint n = json_array_get_length (array_a);
        guint i;

        if (n != json_array_get_length (array_b))
          return FALSE;
        for (i = 0; i < n; i++)
          if (!teren_json_equal (json_array_get_element (array_a, i),
                                 json_array_get_element (array_b, i)))
            return FALSE;
        return TRUE;
      }

    case JSON_NODE_VALUE:
      if (json_node_get_value_type (a) != json_node_get_value_type (b))
        return FALSE;
      if (json_node_get_value_type (a) == G_TYPE_STRING)
        return g_strcmp0 (json_node_get_string (a), json_node_get_string (b)) == 0;
      if (json_node_get_value_type (a) == G_TYPE_BOOLEAN)
        return json_node_get_boolean (a) == json_node_get_boolean (b);
      return FALSE;

    case JSON_NODE_NULL:
      return TRUE;

    default:
      return FALSE;
    }
}

static gboolean
object_equal (JsonObject *a,
              JsonObject *b)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (a == b)
    return TRUE;
  if (json_object_get_size (a) != json_object_get_size (b))
    return FALSE;

  json_object_iter_init (&iter, a);
  while (json_object_iter_next (&iter, &name, &node))
    {
      if (!json_object_has_member (b, name))
        return FALSE;
      if (!teren_json_equal (node, json_object_get_member (b, name)))
        return FALSE;
    }

  return TRUE;
}

JsonObject *
teren_json_object_copy (JsonObject *object)
{
  JsonObject *copy = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (object == NULL)
    return copy;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &node))
    json_object_set_member (copy, name, teren_json_node_copy (node));

  return copy;
}

JsonNode *
teren_json_node_copy (JsonNode *node)
{
  JsonNode *copy;

  if (node == NULL)
    return json_node_new (JSON_NODE_NULL);

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      copy = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (copy, teren_json_object_copy (json_node_get_object (node)));
      return copy;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);
        JsonArray *new_array = json_array_sized_new (n);
        guint i;

        for (i = 0; i < n; i++)
          json_array_add_element (new_array, teren_json_node_copy (json_array_get_element (array, i)));
        copy = json_node_new (JSON_NODE_ARRAY);
        json_node_take_array (copy, new_array);
        return copy;
      }

    case JSON_NODE_VALUE:
    case JSON_NODE_NULL:
      return json_node_copy (node);

    default:
      return json_node_copy (node);
    }
}

const char *
teren_json_get_string (JsonObject *object,
                       const char *member,
                       const char *default_value)
{
  JsonNode *node;

  if (object == NULL || member == NULL)
    return default_value;

  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return default_value;

  return json_node_get_string (node);
}

gint64
teren_json_get_int (JsonObject *object,
                    const char *member,
                    gint64      default_value)
{
  JsonNode *node;

  if (object == NULL || member == NULL)
    return default_value;

  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return default_value;

  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);

  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      if (d >= -9.0e18 && d <= 9.0e18 && d == (double) (gint64) d)
        return (gint64) d;
    }

  return default_value;
}
