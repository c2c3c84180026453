/* teren-due.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "teren-date.h"
#include "teren-due-private.h"
#include "teren-schema.h"

/* The engine of the due items: indexes the records, runs the rule tables of
 * teren-due-social.c and teren-due-health.c, resolves case, beneficiary and worker of
 * every item, and sorts them. */

struct _TerenDueContext {
  GDate           today;
  TerenDueFilter  filter;
  GHashTable     *by_id;     /* id → TerenRecord (not deleted) */
  GHashTable     *by_kind;   /* kind → GPtrArray of TerenRecord */
  GPtrArray      *items;
};

void
teren_due_item_free (TerenDueItem *item)
{
  if (item == NULL)
    return;

  g_free (item->rule);
  g_free (item->title);
  g_free (item->record_id);
  g_free (item->kind);
  g_free (item->line);
  g_free (item->case_id);
  g_free (item->person_id);
  g_free (item->person_name);
  g_free (item->worker);
  g_free (item->due);
  g_free (item);
}

TerenDueItem *
teren_due_item_copy (const TerenDueItem *item)
{
  TerenDueItem *copy;

  g_return_val_if_fail (item != NULL, NULL);

  copy = g_new0 (TerenDueItem, 1);
  copy->rule = g_strdup (item->rule);
  copy->title = g_strdup (item->title);
  copy->record_id = g_strdup (item->record_id);
  copy->kind = g_strdup (item->kind);
  copy->line = g_strdup (item->line);
  copy->case_id = g_strdup (item->case_id);
  copy->person_id = g_strdup (item->person_id);
  copy->person_name = g_strdup (item->person_name);
  copy->worker = g_strdup (item->worker);
  copy->due = g_strdup (item->due);
  copy->bucket = item->bucket;
  copy->blocking = item->blocking;
  return copy;
}

TerenDueBucket
teren_due_bucket_for (const GDate *due,
                      const GDate *today)
{
  GDate week_end, month_end;

  g_return_val_if_fail (due != NULL && g_date_valid (due), TEREN_DUE_LATER);
  g_return_val_if_fail (today != NULL && g_date_valid (today), TEREN_DUE_LATER);

  if (g_date_compare (due, today) < 0)
    return TEREN_DUE_OVERDUE;

  /* Weeks start on Monday: the Sunday of this week is today + (7 - weekday) days, with
   * Monday = 1 … Sunday = 7. */
  week_end = *today;
  g_date_add_days (&week_end, G_DATE_SUNDAY - g_date_get_weekday (today));
  if (g_date_compare (due, &week_end) <= 0)
    return TEREN_DUE_THIS_WEEK;

  g_date_clear (&month_end, 1);
  g_date_set_dmy (&month_end,
                  g_date_get_days_in_month (g_date_get_month (today), g_date_get_year (today)),
                  g_date_get_month (today), g_date_get_year (today));
  if (g_date_compare (due, &month_end) <= 0)
    return TEREN_DUE_THIS_MONTH;

  return TEREN_DUE_LATER;
}

const char *
teren_due_bucket_get_label (TerenDueBucket bucket)
{
  switch (bucket)
    {
    case TEREN_DUE_OVERDUE:
      return _("Overdue");
    case TEREN_DUE_THIS_WEEK:
      return _("This week");
    case TEREN_DUE_THIS_MONTH:
      return _("This month");
    case TEREN_DUE_LATER:
      return _("Later");
    default:
      return "";
    }
}

/* ---- helpers for the rules ----------------------------------------------------------- */

const GDate *
teren_due_context_get_today (TerenDueContext *context)
{
  return &context->today;
}

TerenRecord *
teren_due_context_lookup (TerenDueContext *context,
                          const char      *id)
{
  if (id == NULL)
    return NULL;

  return g_hash_table_lookup (context->by_id, id);
}

GPtrArray *
teren_due_context_of_kind (TerenDueContext *context,
                           const char      *kind)
{
  if (kind == NULL)
    return NULL;

  return g_hash_table_lookup (context->by_kind, kind);
}

GPtrArray *
teren_due_context_find (TerenDueContext *context,
                        const char      *kind,
                        const char      *key,
                        const char      *value)
{
  GPtrArray *all = teren_due_context_of_kind (context, kind);
  GPtrArray *found = NULL;
  guint i;

  if (all == NULL || key == NULL || value == NULL)
    return NULL;

  for (i = 0; i < all->len; i++)
    {
      TerenRecord *record = g_ptr_array_index (all, i);

      if (g_strcmp0 (teren_record_get_string (record, key), value) == 0)
        {
          if (found == NULL)
            found = g_ptr_array_new ();
          g_ptr_array_add (found, record);
        }
    }

  return found;
}

gboolean
teren_due_context_is_superseded (TerenDueContext *context,
                                 TerenRecord     *record,
                                 const char      *key,
                                 const char      *owner,
                                 const char      *date_key)
{
  const char *date = teren_record_get_string (record, date_key);
  g_autoptr(GPtrArray) same = NULL;
  guint i;

  if (owner == NULL || date == NULL)
    return FALSE;

  same = teren_due_context_find (context, teren_record_get_kind (record), key, owner);
  for (i = 0; same != NULL && i < same->len; i++)
    {
      TerenRecord *other = g_ptr_array_index (same, i);
      const char *other_date = teren_record_get_string (other, date_key);

      if (other == record || other_date == NULL)
        continue;
      if (strcmp (other_date, date) > 0 ||
          (strcmp (other_date, date) == 0 &&
           strcmp (teren_record_get_id (other), teren_record_get_id (record)) > 0))
        return TRUE;
    }

  return FALSE;
}

gboolean
teren_due_record_date (TerenRecord *record,
                       const char  *key,
                       GDate       *out_date)
{
  const char *value;

  if (record == NULL || key == NULL)
    return FALSE;

  value = teren_record_get_string (record, key);
  if (value == NULL || value[0] == '\0')
    return FALSE;

  return teren_date_parse (value, out_date);
}

gboolean
teren_due_record_is_set (TerenRecord *record,
                         const char  *key)
{
  JsonNode *node;

  if (record == NULL || key == NULL)
    return FALSE;

  node = json_object_get_member (teren_record_get_fields (record), key);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return FALSE;
  if (JSON_NODE_HOLDS_ARRAY (node))
    return json_array_get_length (json_node_get_array (node)) > 0;
  if (JSON_NODE_HOLDS_OBJECT (node))
    return json_object_get_size (json_node_get_object (node)) > 0;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return json_node_get_string (node)[0] != '\0';
    case G_TYPE_BOOLEAN:
      return json_node_get_boolean (node);
    default:
      return TRUE;
    }
}

static const char *
nonempty (const char *value)
{
  return value != NULL && value[0] != '\0' ? value : NULL;
}

/* The record a row points to (a plan's objective → the plan): the first reference field
 * other than person/case whose record is in the computation. */
static TerenRecord *
parent_of (TerenDueContext *context,
           TerenRecord     *record)
{
  const TerenKindDef *kind = teren_schema_lookup_kind (teren_record_get_kind (record));
  guint i;

  if (kind == NULL)
    return NULL;

  for (i = 0; i < kind->n_fields; i++)
    {
      const TerenFieldDef *field = &kind->fields[i];
      TerenRecord *parent;

      if (field->type != TEREN_FIELD_REFERENCE || g_strcmp0 (field->ref_kind, "person") == 0 ||
          g_strcmp0 (field->ref_kind, "case") == 0)
        continue;
      parent = teren_due_context_lookup (context, teren_record_get_string (record, field->key));
      if (parent != NULL && parent != record)
        return parent;
    }

  return NULL;
}

static const char *
case_id_of (TerenDueContext *context,
            TerenRecord     *record)
{
  const char *id;
  TerenRecord *parent;

  if (g_strcmp0 (teren_record_get_kind (record), "case") == 0)
    return teren_record_get_id (record);

  id = nonempty (teren_record_get_string (record, "case"));
  if (id != NULL)
    return id;

  parent = parent_of (context, record);
  if (parent != NULL)
    return nonempty (teren_record_get_string (parent, "case"));

  return NULL;
}

static const char *
worker_of (TerenRecord *record)
{
  static const char * const keys[] = { "responsible", "worker", "case_manager" };
  guint i;

  if (record == NULL)
    return NULL;

  for (i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      const char *value = nonempty (teren_record_get_string (record, keys[i]));

      if (value != NULL)
        return value;
    }

  return NULL;
}

void
teren_due_context_add (TerenDueContext    *context,
                       const TerenDueRule *rule,
                       TerenRecord        *record,
                       const char         *line,
                       const GDate        *due)
{
  const char *case_id = NULL;
  TerenRecord *case_record = NULL;
  TerenRecord *parent = NULL;
  const char *worker = NULL;
  const char *person = NULL;
  TerenDueBucket bucket;
  TerenDueItem *item;
  char iso[16];

  g_return_if_fail (rule != NULL && due != NULL && g_date_valid (due));

  if (line == NULL && record != NULL)
    line = teren_record_get_line (record);
  if (line == NULL)
    line = "";

  if (context->filter.line != NULL && strcmp (context->filter.line, line) != 0)
    return;

  bucket = teren_due_bucket_for (due, &context->today);
  if (bucket > context->filter.max_bucket)
    return;

  if (record != NULL)
    {
      const char *status;

      case_id = case_id_of (context, record);
      case_record = teren_due_context_lookup (context, case_id);
      status = case_record != NULL ? teren_record_get_string (case_record, "status") : NULL;
      if (g_strcmp0 (status, "closed") == 0 || g_strcmp0 (status, "transferred") == 0)
        return;

      parent = parent_of (context, record);
      worker = worker_of (record);
      if (worker == NULL)
        worker = worker_of (parent);
      if (worker == NULL)
        worker = worker_of (case_record);
      if (worker == NULL)
        worker = nonempty (teren_record_get_created_by (record));

      person = nonempty (teren_record_get_string (record, "person"));
      if (person == NULL && parent != NULL)
        person = nonempty (teren_record_get_string (parent, "person"));
      if (person == NULL && case_record != NULL)
        person = nonempty (teren_record_get_string (case_record, "person"));
    }

  if (context->filter.worker != NULL && g_strcmp0 (context->filter.worker, worker) != 0)
    return;

  g_date_strftime (iso, sizeof iso, "%Y-%m-%d", due);

  item = g_new0 (TerenDueItem, 1);
  item->rule = g_strdup (rule->id);
  item->title = g_strdup (g_dgettext (GETTEXT_PACKAGE, rule->label));
  item->record_id = g_strdup (record != NULL ? teren_record_get_id (record) : "");
  item->kind = g_strdup (record != NULL ? teren_record_get_kind (record) : "");
  item->line = g_strdup (line);
  item->case_id = g_strdup (case_id);
  item->person_id = g_strdup (person);
  if (person != NULL)
    {
      TerenRecord *person_record = teren_due_context_lookup (context, person);

      if (person_record != NULL && g_strcmp0 (teren_record_get_kind (person_record), "person") == 0)
        item->person_name = g_strdup (teren_record_get_title (person_record));
    }
  item->worker = g_strdup (worker);
  item->due = g_strdup (iso);
  item->bucket = bucket;
  item->blocking = rule->blocking;
  g_ptr_array_add (context->items, item);
}

/* ---- the engine ---------------------------------------------------------------------- */

static void
run_simple_rule (TerenDueContext    *context,
                 const TerenDueRule *rule,
                 TerenRecord        *record)
{
  GDate due;

  if (rule->done_key != NULL && teren_due_record_is_set (record, rule->done_key))
    return;
  if (!teren_due_record_date (record, rule->date_key, &due))
    return;

  if (rule->add_months > 0)
    g_date_add_months (&due, (guint) rule->add_months);
  if (rule->add_days > 0)
    g_date_add_days (&due, (guint) rule->add_days);
  else if (rule->add_days < 0)
    g_date_subtract_days (&due, (guint) -rule->add_days);

  teren_due_context_add (context, rule, record, NULL, &due);
}

static void
run_rule (TerenDueContext    *context,
          const TerenDueRule *rule)
{
  GPtrArray *records;
  guint i;

  if (rule->kind == NULL)
    {
      if (rule->func != NULL)
        rule->func (rule, NULL, context);
      return;
    }

  records = teren_due_context_of_kind (context, rule->kind);
  for (i = 0; records != NULL && i < records->len; i++)
    {
      TerenRecord *record = g_ptr_array_index (records, i);

      if (rule->line != NULL && g_strcmp0 (rule->line, teren_record_get_line (record)) != 0)
        continue;
      if (rule->func != NULL)
        rule->func (rule, record, context);
      else
        run_simple_rule (context, rule, record);
    }
}

static int
compare_items (gconstpointer a,
               gconstpointer b)
{
  const TerenDueItem *x = *(TerenDueItem * const *) a;
  const TerenDueItem *y = *(TerenDueItem * const *) b;
  int c;

  c = strcmp (x->due, y->due);
  if (c == 0)
    c = strcmp (x->line, y->line);
  if (c == 0)
    c = strcmp (x->rule, y->rule);
  if (c == 0)
    c = strcmp (x->record_id, y->record_id);
  return c;
}

GPtrArray *
teren_due_compute (GPtrArray            *records,
                   const GDate          *today,
                   const TerenDueFilter *filter)
{
  const TerenDueRule * const tables[] = { teren_due_rules_social, teren_due_rules_health };
  TerenDueContext context;
  guint t, i;

  g_return_val_if_fail (today != NULL && g_date_valid (today), NULL);

  memset (&context, 0, sizeof context);
  context.today = *today;
  if (filter != NULL)
    context.filter = *filter;
  else
    context.filter.max_bucket = TEREN_DUE_THIS_MONTH;
  context.by_id = g_hash_table_new (g_str_hash, g_str_equal);
  context.by_kind = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                           (GDestroyNotify) g_ptr_array_unref);
  context.items = g_ptr_array_new_with_free_func ((GDestroyNotify) teren_due_item_free);

  for (i = 0; records != NULL && i < records->len; i++)
    {
      TerenRecord *record = g_ptr_array_index (records, i);
      const char *kind = teren_record_get_kind (record);
      GPtrArray *of_kind;

      if (teren_record_get_deleted (record))
        continue;
      g_hash_table_insert (context.by_id, (gpointer) teren_record_get_id (record), record);
      of_kind = g_hash_table_lookup (context.by_kind, kind);
      if (of_kind == NULL)
        {
          of_kind = g_ptr_array_new ();
          g_hash_table_insert (context.by_kind, (gpointer) kind, of_kind);
        }
      g_ptr_array_add (of_kind, record);
    }

  for (t = 0; t < G_N_ELEMENTS (tables); t++)
    for (i = 0; tables[t][i].id != NULL; i++)
      run_rule (&context, &tables[t][i]);

  g_ptr_array_sort (context.items, compare_items);

  g_hash_table_unref (context.by_kind);
  g_hash_table_unref (context.by_id);
  return context.items;
}

guint
teren_due_count_overdue (GPtrArray *items)
{
  guint i, n = 0;

  for (i = 0; items != NULL && i < items->len; i++)
    {
      const TerenDueItem *item = g_ptr_array_index (items, i);

      if (item->bucket == TEREN_DUE_OVERDUE)
        n++;
    }

  return n;
}

const char * const *
teren_due_list_rules (guint *n_rules)
{
  static const char **ids = NULL;
  static guint n = 0;
  static gsize initialised = 0;

  if (g_once_init_enter (&initialised))
    {
      const TerenDueRule * const tables[] = { teren_due_rules_social, teren_due_rules_health };
      GPtrArray *all = g_ptr_array_new ();
      guint t, i;

      for (t = 0; t < G_N_ELEMENTS (tables); t++)
        for (i = 0; tables[t][i].id != NULL; i++)
          g_ptr_array_add (all, (gpointer) tables[t][i].id);
      n = all->len;
      g_ptr_array_add (all, NULL);
      /* Lives as long as the program, like the static tables it points into. */
      ids = (const char **) g_ptr_array_free (all, FALSE);
      g_once_init_leave (&initialised, 1);
    }

  if (n_rules != NULL)
    *n_rules = n;

  return ids;
}

static const TerenDueRule *
find_rule (const char *rule_id)
{
  const TerenDueRule * const tables[] = { teren_due_rules_social, teren_due_rules_health };
  guint t, i;

  if (rule_id == NULL)
    return NULL;

  for (t = 0; t < G_N_ELEMENTS (tables); t++)
    for (i = 0; tables[t][i].id != NULL; i++)
      if (strcmp (tables[t][i].id, rule_id) == 0)
        return &tables[t][i];

  return NULL;
}

const char *
teren_due_rule_get_kind (const char *rule_id)
{
  const TerenDueRule *rule = find_rule (rule_id);

  return rule != NULL ? rule->kind : NULL;
}

const char *
teren_due_rule_get_label (const char *rule_id)
{
  const TerenDueRule *rule = find_rule (rule_id);

  return rule != NULL ? g_dgettext (GETTEXT_PACKAGE, rule->label) : NULL;
}
