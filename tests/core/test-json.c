/* test-json.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "teren-error.h"
#include "teren-json.h"

static JsonNode *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = teren_json_parse (text, -1, TEREN_JSON_MAX_DEPTH, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static void
assert_bad_json (const char *text,
                 gssize      length,
                 guint       max_depth,
                 const char *message_part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = teren_json_parse (text, length, max_depth, &error);

  g_assert_null (node);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_BAD_JSON);
  if (message_part != NULL && strstr (error->message, message_part) == NULL)
    g_error ("“%s” not in “%s”", message_part, error->message);
}

static char *
nested (guint depth)
{
  GString *s = g_string_new (NULL);
  guint i;

  for (i = 0; i < depth; i++)
    g_string_append_c (s, '[');
  for (i = 0; i < depth; i++)
    g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

static void
test_parse_valid (void)
{
  g_autoptr(JsonNode) node = parse_ok ("{\"a\": [1, 2.5, \"x\", true, null], \"b\": {\"c\": \"ș\"}}");
  JsonObject *object = json_node_get_object (node);

  g_assert_cmpint (json_array_get_length (json_object_get_array_member (object, "a")), ==, 5);
  g_assert_cmpstr (teren_json_get_string (json_object_get_object_member (object, "b"), "c", NULL),
                   ==, "ș");

  /* Parsed objects may be changed by the caller. */
  json_object_set_int_member (object, "d", 4);
  g_assert_cmpint (json_object_get_int_member (object, "d"), ==, 4);
}

static void
test_parse_length (void)
{
  g_autoptr(GError) error = NULL;
  const char buffer[] = "{\"a\": 1}GARBAGE";
  g_autoptr(JsonNode) node = teren_json_parse (buffer, 8, 0, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));

  /* An exact-size heap buffer without a NUL: AddressSanitizer sees any over-read. */
  {
    g_autofree char *exact = g_memdup2 ("[\"ș\", {\"a\": [1]}]", 18);
    g_autoptr(JsonNode) array = teren_json_parse (exact, 18, 0, &error);
    g_autofree char *deep = g_memdup2 ("[[[", 3);
    g_autoptr(JsonNode) none = teren_json_parse (deep, 3, 2, &error);

    g_assert_true (JSON_NODE_HOLDS_ARRAY (array));
    g_assert_null (none);
    g_assert_error (error, TEREN_ERROR, TEREN_ERROR_BAD_JSON);
  }
}

static void
test_parse_errors (void)
{
  assert_bad_json ("{\"a\": }", -1, 0, "Malformed JSON");
  assert_bad_json ("[1, 2", -1, 0, NULL);
  assert_bad_json ("", -1, 0, NULL);
  assert_bad_json ("   ", -1, 0, NULL);
  assert_bad_json (NULL, -1, 0, NULL);
  assert_bad_json ("{\"a\": \"\xff\"}", -1, 0, "UTF-8");
  assert_bad_json ("{\"a\": \"\xc3\"}", -1, 0, "UTF-8");
  /* Escapes json-glib would turn into invalid UTF-8 or silently cut at. */
  assert_bad_json ("{\"a\": \"x\\ud800y\"}", -1, 0, "surrogate");
  assert_bad_json ("{\"\\udc00\": 1}", -1, 0, NULL);
  assert_bad_json ("[\"Ana\\u0000hidden\"]", -1, 0, "NUL");
  /* A proper surrogate pair is fine. */
  {
    g_autoptr(JsonNode) pair = parse_ok ("[\"\\ud83d\\ude00\"]");

    g_assert_cmpstr (json_array_get_string_element (json_node_get_array (pair), 0), ==, "\xF0\x9F\x98\x80");
  }
  /* An embedded NUL inside the given length is not valid text. */
  assert_bad_json ("{\"a\":\0 1}", 9, 0, "UTF-8");
}

/* What json-glib's parser let through but is not JSON: refused, with where. */
static void
test_parse_strict (void)
{
  static const char * const bad[] = {
    "[1] [2]", "[1] x", "'a'", "[0x10]", "[01]", "[1.]", "[.5]", "[+1]", "[-]", "[1e]",
    "[tru]", "[NaN]", "[Infinity]", "[1,]", "{\"a\": 1,}", "{a: 1}", "{\"a\" 1}", "[1 2]",
    "// note\n[1]", "/* note */ [1]", "[\"\\x\"]",
    "[\"\\u12\"]", "[\"\\u12g4\"]", "[\"abc", "{\"a\": 1", "[1e400]", "[-1e400]", "{,}", "[,]",
    "\"\\", "nul", "[true false]",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = teren_json_parse (bad[i], -1, 0, &error);

      g_test_message ("%s: %s", bad[i], error != NULL ? error->message : "(parsed)");
      g_assert_null (node);
      g_assert_error (error, TEREN_ERROR, TEREN_ERROR_BAD_JSON);
      g_assert_nonnull (strstr (error->message, "at byte"));
    }
  /* Invalid UTF-8 in a member name, overlong forms, an encoded surrogate, beyond U+10FFFF,
   * a stray byte outside strings. */
  assert_bad_json ("{\"\xc3\x28\": 1}", -1, 0, "UTF-8");
  assert_bad_json ("[\"\xc0\xaf\"]", -1, 0, "UTF-8");
  assert_bad_json ("[\"\xe0\x80\xaf\"]", -1, 0, "UTF-8");
  assert_bad_json ("[\"\xed\xa0\x80\"]", -1, 0, "UTF-8");
  assert_bad_json ("[\"\xf4\x90\x80\x80\"]", -1, 0, "UTF-8");
  assert_bad_json ("[1, \xff]", -1, 0, "UTF-8");
  /* A high surrogate followed by something else than a low one. */
  assert_bad_json ("[\"\\ud83d\\u0041\"]", -1, 0, "surrogate");
  assert_bad_json ("[\"\\ud83d\"]", -1, 0, "surrogate");
}

/* Request bodies (teren_json_parse_input): strict, raw control characters refused too. */
static void
test_parse_input (void)
{
  const char * const good[] = {
    "{}", "[]", "{\"ops\": []}", " {\"a\": [1, -2.5e3, true, false, null, \"x\\u00e9\\n\"]} ",
    "\"text\"", "0", "{\"a\":{\"b\":{\"c\":[[]]}}}",
  };
  const char * const bad[] = {
    "{", "{'ops': []}", "{\"ops\": [],}", "{\"ops\": []} trailing", "[1,]", "{ops: []}",
    "/* c */ {}", "{\"a\": 01}", "{\"a\": .5}", "{\"a\": \"\\x\"}", "{\"a\": \"tab\there\"}",
    "{\"a\": \"unit\x1fseparator\"}", "{\"a\" 1}", "nul", "[1 2]",
  };
  g_autoptr(GString) deep = g_string_new (NULL);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = teren_json_parse_input (good[i], -1, 64, &error);

      g_assert_no_error (error);
      g_assert_nonnull (node);
    }
  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = teren_json_parse_input (bad[i], -1, 64, &error);

      g_assert_null (node);
      g_assert_error (error, TEREN_ERROR, TEREN_ERROR_BAD_JSON);
      g_assert_nonnull (strstr (error->message, "at byte"));
    }
  /* The same control characters are read by teren_json_parse (json-glib writes U+001F). */
  {
    g_autoptr(JsonNode) node = parse_ok ("{\"a\": \"unit\x1fseparator\"}");
  }

  /* Depth: 64 levels pass, 65 do not, 100,000 neither (and no stack overflow). */
  for (i = 0; i < 64; i++)
    g_string_append_c (deep, '[');
  for (i = 0; i < 64; i++)
    g_string_append_c (deep, ']');
  {
    g_autoptr(JsonNode) node = teren_json_parse_input (deep->str, deep->len, 64, NULL);

    g_assert_nonnull (node);
  }
  g_string_prepend_c (deep, '[');
  g_string_append_c (deep, ']');
  g_assert_null (teren_json_parse_input (deep->str, deep->len, 64, NULL));
  g_string_truncate (deep, 0);
  for (i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  g_assert_null (teren_json_parse_input (deep->str, deep->len, 64, NULL));
}

/* Numbers: integers within 64 bits stay integers, others are doubles. */
static void
test_parse_numbers (void)
{
  g_autoptr(JsonNode) node = parse_ok ("[0, -0, 42, -17, 9223372036854775807, -9223372036854775808, "
                                       "9223372036854775808, 99999999999999999999, 1.5, -2.5e-3, 1E+2, "
                                       "1e-400, 0.0]");
  JsonArray *array = json_node_get_array (node);
  static const GType types[] = { G_TYPE_INT64, G_TYPE_INT64, G_TYPE_INT64, G_TYPE_INT64, G_TYPE_INT64,
                                 G_TYPE_INT64, G_TYPE_DOUBLE, G_TYPE_DOUBLE, G_TYPE_DOUBLE, G_TYPE_DOUBLE,
                                 G_TYPE_DOUBLE, G_TYPE_DOUBLE, G_TYPE_DOUBLE };
  guint i;

  g_assert_cmpuint (json_array_get_length (array), ==, G_N_ELEMENTS (types));
  for (i = 0; i < G_N_ELEMENTS (types); i++)
    g_assert_true (json_node_get_value_type (json_array_get_element (array, i)) == types[i]);
  g_assert_cmpint (json_array_get_int_element (array, 2), ==, 42);
  g_assert_cmpint (json_array_get_int_element (array, 3), ==, -17);
  g_assert_cmpint (json_array_get_int_element (array, 4), ==, G_MAXINT64);
  g_assert_cmpint (json_array_get_int_element (array, 5), ==, G_MININT64);
  g_assert_cmpfloat (json_array_get_double_element (array, 6), ==, 9223372036854775808.0);
  g_assert_cmpfloat (json_array_get_double_element (array, 7), ==, 1e20);
  g_assert_cmpfloat (json_array_get_double_element (array, 8), ==, 1.5);
  g_assert_cmpfloat (json_array_get_double_element (array, 9), ==, -2.5e-3);
  g_assert_cmpfloat (json_array_get_double_element (array, 10), ==, 100.0);
  g_assert_cmpfloat (json_array_get_double_element (array, 11), ==, 0.0);

  /* Scalars at the top level, white space around, a byte-order mark. */
  g_clear_pointer (&node, json_node_unref);
  node = parse_ok (" \t\r\n 7 \n");
  g_assert_cmpint (json_node_get_int (node), ==, 7);
  g_clear_pointer (&node, json_node_unref);
  node = parse_ok ("\xef\xbb\xbf{\"a\": \"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u021B\"}");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "a"), ==,
                   "\"\\/\b\f\n\r\t\u00e9\u021b");
  /* Raw control characters in a string: not JSON, but json-glib's generator writes U+001F
   * so (a draft holding one must read back). */
  g_clear_pointer (&node, json_node_unref);
  node = parse_ok ("[\"a\x1f\tb\"]");
  g_assert_cmpstr (json_array_get_string_element (json_node_get_array (node), 0), ==, "a\x1f\tb");
  /* Repeated and empty member names. */
  g_clear_pointer (&node, json_node_unref);
  node = parse_ok ("{\"a\": 1, \"\": 2, \"a\": 3}");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "a"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), ""), ==, 2);
  g_assert_cmpuint (json_object_get_size (json_node_get_object (node)), ==, 2);
}

/* A random tree of json-glib's, written by its generator, reads back equal. */
static JsonNode *
random_node (GRand *rand,
             guint  depth)
{
  static const char * const words[] = { "Ștefan", "Țiriac", "\"quoted\"", "tab\there", "a\\b",
                                        "line\nbreak", "\x01\x1f\x7f", "😀", "", "Iași", "/" };
  guint kind = g_rand_int_range (rand, 0, depth >= 5 ? 5 : 7);
  JsonNode *node = json_node_alloc ();

  switch (kind)
    {
    case 0:
      return json_node_init_null (node);
    case 1:
      return json_node_init_boolean (node, g_rand_boolean (rand));
    case 2:
      return json_node_init_int (node, (gint64) g_rand_int (rand) * (g_rand_boolean (rand) ? 1 : -1) *
                                       g_rand_int_range (rand, 1, 1 << 30));
    case 3:
      return json_node_init_double (node, g_rand_double_range (rand, -1e6, 1e6));
    case 4:
      {
        g_autofree char *text = g_strdup_printf ("%s %u", words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))],
                                                 g_rand_int (rand));
        return json_node_init_string (node, text);
      }
    case 5:
      {
        g_autoptr(JsonArray) array = json_array_new ();
        guint i, n = g_rand_int_range (rand, 0, 6);

        for (i = 0; i < n; i++)
          json_array_add_element (array, random_node (rand, depth + 1));
        return json_node_init_array (node, array);
      }
    default:
      {
        g_autoptr(JsonObject) object = json_object_new ();
        guint i, n = g_rand_int_range (rand, 0, 6);

        for (i = 0; i < n; i++)
          {
            g_autofree char *name = g_strdup_printf ("%s%u", words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))], i);

            json_object_set_member (object, name, random_node (rand, depth + 1));
          }
        return json_node_init_object (node, object);
      }
    }
}

static void
test_parse_round_trip (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261202);
  guint i;

  for (i = 0; i < 2000; i++)
    {
      g_autoptr(JsonNode) tree = random_node (rand, 0);
      g_autofree char *text = json_to_string (tree, i % 2 == 0);
      g_autoptr(JsonNode) back = parse_ok (text);
      g_autofree char *again = json_to_string (back, i % 2 == 0);

      g_assert_true (teren_json_equal (tree, back));
      g_assert_cmpstr (again, ==, text);
    }
}

static void
test_depth_limit (void)
{
  g_autofree char *ok = nested (TEREN_JSON_MAX_DEPTH);
  g_autofree char *too_deep = nested (TEREN_JSON_MAX_DEPTH + 1);
  g_autoptr(JsonNode) node = parse_ok (ok);

  assert_bad_json (too_deep, -1, TEREN_JSON_MAX_DEPTH, "deeper than 64");
  /* A smaller limit of the caller's. */
  assert_bad_json ("{\"a\": {\"b\": {}}}", -1, 2, "deeper than 2");
  g_clear_pointer (&node, json_node_unref);
  node = parse_ok ("{\"a\": {\"b\": {}}}");
}

static void
test_depth_bomb (void)
{
  /* 100,000 '[' would overflow json-glib's recursive parser: rejected before it runs. */
  gsize n = 100000;
  g_autofree char *bomb = g_malloc (n + 1);
  g_autofree char *objects = NULL;
  GString *s;
  gsize i;

  memset (bomb, '[', n);
  bomb[n] = '\0';
  assert_bad_json (bomb, -1, TEREN_JSON_MAX_DEPTH, "deeper");
  assert_bad_json (bomb, (gssize) n, TEREN_JSON_MAX_DEPTH, "deeper");

  s = g_string_new (NULL);
  for (i = 0; i < n; i++)
    g_string_append (s, "{\"a\":");
  objects = g_string_free (s, FALSE);
  assert_bad_json (objects, -1, TEREN_JSON_MAX_DEPTH, "deeper");
}

static void
test_brackets_in_strings (void)
{
  /* Brackets inside strings, also after escaped quotes, do not count as nesting. */
  g_autofree char *inside = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *bomb = g_strnfill (1000, '[');

  inside = g_strdup_printf ("{\"a\": \"%s\", \"b\": \"x\\\"%s\"}", bomb, bomb);
  node = parse_ok (inside);
  g_assert_cmpint (strlen (teren_json_get_string (json_node_get_object (node), "a", "")), ==, 1000);

  g_clear_pointer (&node, json_node_unref);
  node = parse_ok ("[\"\\\\\", [[]]]");
  g_assert_cmpint (json_array_get_length (json_node_get_array (node)), ==, 2);
}

static void
test_parse_object (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = teren_json_parse_object ("{\"x\": 1}", -1, 0, &error);
  g_autoptr(JsonObject) not_object = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (teren_json_get_int (object, "x", 0), ==, 1);

  not_object = teren_json_parse_object ("[1]", -1, 0, &error);
  g_assert_null (not_object);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_BAD_JSON);
  g_clear_error (&error);

  not_object = teren_json_parse_object ("\"x\"", -1, 0, &error);
  g_assert_null (not_object);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_BAD_JSON);
}

static void
test_to_string (void)
{
  g_autoptr(JsonNode) node = parse_ok ("{ \"a\" : [ 1 , \"ș\" ] }");
  g_autofree char *text = teren_json_to_string (node);
  g_autofree char *object_text = teren_json_object_to_string (json_node_get_object (node));
  g_autofree char *null_text = teren_json_to_string (NULL);

  g_assert_cmpstr (text, ==, "{\"a\":[1,\"ș\"]}");
  g_assert_cmpstr (object_text, ==, text);
  g_assert_cmpstr (null_text, ==, "null");
}

static gboolean
equal_texts (const char *a,
             const char *b)
{
  g_autoptr(JsonNode) node_a = parse_ok (a);
  g_autoptr(JsonNode) node_b = parse_ok (b);

  return teren_json_equal (node_a, node_b);
}

static void
test_equal (void)
{
  g_autoptr(JsonNode) null_node = json_node_new (JSON_NODE_NULL);

  g_assert_true (equal_texts ("1", "1.0"));
  g_assert_true (equal_texts ("{\"a\": 1, \"b\": [1, {\"c\": null}]}",
                              "{\"b\": [1, {\"c\": null}], \"a\": 1}"));
  g_assert_false (equal_texts ("[1, 2]", "[2, 1]"));
  g_assert_false (equal_texts ("{\"a\": 1}", "{\"a\": 1, \"b\": 2}"));
  g_assert_false (equal_texts ("{\"a\": 1}", "{\"b\": 1}"));
  g_assert_false (equal_texts ("\"1\"", "1"));
  g_assert_false (equal_texts ("true", "1"));
  g_assert_false (equal_texts ("false", "true"));
  g_assert_true (equal_texts ("\"ș\"", "\"ș\""));
  g_assert_false (equal_texts ("null", "0"));
  g_assert_false (equal_texts ("[]", "{}"));

  g_assert_true (teren_json_equal (NULL, NULL));
  g_assert_true (teren_json_equal (NULL, null_node));
  g_assert_true (teren_json_equal (null_node, NULL));
}

static void
test_copy_is_deep (void)
{
  g_autoptr(JsonNode) node = parse_ok ("{\"a\": {\"b\": [1, 2]}, \"c\": \"x\"}");
  JsonObject *original = json_node_get_object (node);
  g_autoptr(JsonObject) copy = teren_json_object_copy (original);
  g_autoptr(JsonNode) copy_node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) empty = teren_json_object_copy (NULL);

  json_node_set_object (copy_node, copy);
  g_assert_true (teren_json_equal (node, copy_node));

  json_array_add_int_element (json_object_get_array_member (json_object_get_object_member (copy, "a"), "b"), 3);
  json_object_set_string_member (copy, "c", "y");

  g_assert_cmpint (json_array_get_length (json_object_get_array_member (
                     json_object_get_object_member (original, "a"), "b")), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (original, "c"), ==, "x");
  g_assert_cmpint (json_object_get_size (empty), ==, 0);
}

static void
test_lenient_getters (void)
{
  g_autoptr(JsonNode) node = parse_ok ("{\"s\": \"x\", \"i\": 7, \"d\": 3.0, \"f\": 2.5, "
                                       "\"n\": null, \"o\": {}, \"b\": true}");
  JsonObject *object = json_node_get_object (node);

  g_assert_cmpstr (teren_json_get_string (object, "s", "def"), ==, "x");
  g_assert_cmpstr (teren_json_get_string (object, "i", "def"), ==, "def");
  g_assert_cmpstr (teren_json_get_string (object, "n", "def"), ==, "def");
  g_assert_cmpstr (teren_json_get_string (object, "missing", NULL), ==, NULL);
  g_assert_cmpstr (teren_json_get_string (NULL, "s", "def"), ==, "def");

  g_assert_cmpint (teren_json_get_int (object, "i", -1), ==, 7);
  g_assert_cmpint (teren_json_get_int (object, "d", -1), ==, 3);
  g_assert_cmpint (teren_json_get_int (object, "f", -1), ==, -1);
  g_assert_cmpint (teren_json_get_int (object, "s", -1), ==, -1);
  g_assert_cmpint (teren_json_get_int (object, "o", -1), ==, -1);
  g_assert_cmpint (teren_json_get_int (object, "b", -1), ==, -1);
  g_assert_cmpint (teren_json_get_int (object, "missing", 42), ==, 42);
}

/* Mutations of a valid document: every result is a node or a BAD_JSON error, never a
 * crash (run under AddressSanitizer too). Fixed seed, so failures repeat. */
static void
test_mutations (void)
{
  const char *seed_doc = "{\"ops\": [{\"change_id\": \"a\", \"patch\": {\"n\": [1, 2.5e3, null, true],"
                         " \"s\": \"ș\\\"\\u0103\"}}], \"x\": {}}";
  const char alphabet[] = "{}[]\",:\\u0 1e-.tfn\xc8\x99\xff";
  GRand *rand = g_rand_new_with_seed (20261122);
  gsize len = strlen (seed_doc);
  guint i, j;

  for (i = 0; i < 5000; i++)
    {
      g_autofree char *doc = g_strdup (seed_doc);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = NULL;
      guint n_mutations = g_rand_int_range (rand, 1, 6);

      for (j = 0; j < n_mutations; j++)
        doc[g_rand_int_range (rand, 0, (gint32) len)] =
          alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];

      node = teren_json_parse (doc, (gssize) len, 4, &error);
      g_assert_true ((node != NULL) != (error != NULL));
      if (error != NULL)
        g_assert_error (error, TEREN_ERROR, TEREN_ERROR_BAD_JSON);
    }

  g_rand_free (rand);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/json/parse/valid", test_parse_valid);
  g_test_add_func ("/json/parse/length", test_parse_length);
  g_test_add_func ("/json/parse/errors", test_parse_errors);
  g_test_add_func ("/json/parse/strict", test_parse_strict);
  g_test_add_func ("/json/parse/numbers", test_parse_numbers);
  g_test_add_func ("/json/parse/input", test_parse_input);
  g_test_add_func ("/json/parse/round-trip", test_parse_round_trip);
  g_test_add_func ("/json/parse/depth-limit", test_depth_limit);
  g_test_add_func ("/json/parse/depth-bomb", test_depth_bomb);
  g_test_add_func ("/json/parse/brackets-in-strings", test_brackets_in_strings);
  g_test_add_func ("/json/parse/object", test_parse_object);
  g_test_add_func ("/json/to-string", test_to_string);
  g_test_add_func ("/json/equal", test_equal);
  g_test_add_func ("/json/copy-is-deep", test_copy_is_deep);
  g_test_add_func ("/json/lenient-getters", test_lenient_getters);
  g_test_add_func ("/json/mutations", test_mutations);

  return g_test_run ();
}
