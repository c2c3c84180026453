/* bench-generate.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* teren-bench-generate --data-dir DIR --persons N [--seed S] [--registry-only]
 *
 * Fills a real store, through the store API, with the DESIGN.md dataset scaled to N
 * persons: N persons, 0.4 N households with their members, N cases and 5 N visits
 * (100,000 persons give 40,000 households, 100,000 cases and 500,000 visits).
 *
 * Persons have Romanian names with diacritics (some Hungarian ones), valid CNPs — mostly
 * born in Dolj, some elsewhere, a few with county 70 (born after 8 May 2024), 47/48 (old
 * Bucharest sectors, born before 1980), 7/8/9 (foreign residents) — and some without a
 * CNP, refusing it, or with a non-standard code. Households live at addresses of the
 * Craiova area. The same seed gives the same data. Prints counts and time; fails on the
 * first record the store refuses. */

#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "teren-cnp.h"
#include "teren-date.h"
#include "teren-line.h"
#include "teren-nomenclature.h"
#include "teren-schema.h"
#include "teren-store.h"

#define BATCH 5000

static const char * const last_names[] = {
  "Popescu", "Ionescu", "Popa", "Pop", "Radu", "Dumitru", "Stan", "Stoica", "Gheorghe", "Rusu",
  "Munteanu", "Matei", "Constantin", "Șerban", "Moldovan", "Lazăr", "Ciobanu", "Florea",
  "Ștefănescu", "Năstase", "Dumitrescu", "Oprea", "Mihai", "Marin", "Tudor", "Dobre", "Barbu",
  "Nistor", "Florescu", "Ene", "Dinu", "Tănase", "Ungureanu", "Sandu", "Cristea", "Toma",
  "Zamfir", "Bălan", "Mocanu", "Avram", "Iordache", "Căpraru", "Țurcanu", "Țăranu", "Cârstea",
  "Vlădescu", "Bălănescu", "Crăciun", "Mureșan", "Neagu", "Niculescu", "Voicu", "Anghel", "Păun",
  "Georgescu", "Roșu", "Lungu", "Manea", "Vasile", "Preda", "Costache", "Mănescu", "Drăgan",
  "Petrescu", "Chiriac", "Grigore", "Dragomir", "Ardeleanu", "Coman", "Sârbu", "Irimia",
  "Bucur", "Enache", "Ghiță", "Cazacu", "Pană", "Ursu", "Vlad", "Pătrașcu", "Iliescu",
  "Trandafir", "Bogdan", "Moraru", "Dănilă", "Mitrea", "Lupu", "Bârsan", "Mărgineanu",
  "Gheorghiu", "Stănescu", "Teodorescu", "Pîrvu", "Mitroi", "Ciurea", "Bărbulescu", "Dincă",
  "Boboc", "Firu", "Gîngu", "Păunescu", "Sîrbu", "Țuțuianu", "Ștefan", "Nedelcu", "Olaru",
  "Pârvulescu", "Rădulescu", "Săvulescu", "Șchiopu", "Tomescu", "Udrea", "Vîlcu", "Zăvoianu",
  "Kovács", "Szabó", "Nagy", "Tóth", "Fekete", "Lakatos", "Rostaș", "Căldăraru", "Stoian",
};

static const char * const female_names[] = {
  "Maria", "Elena", "Ioana", "Ana", "Andreea", "Alexandra", "Mihaela", "Gabriela", "Cristina",
  "Daniela", "Alina", "Nicoleta", "Florentina", "Georgiana", "Ionela", "Roxana", "Larisa",
  "Bianca", "Ștefania", "Mădălina", "Cătălina", "Lăcrămioara", "Viorica", "Aurelia", "Floarea",
  "Paraschiva", "Ecaterina", "Rodica", "Doina", "Mariana", "Iuliana", "Simona", "Raluca",
  "Irina", "Denisa", "Teodora", "Sofia", "Antonia", "Ilinca", "Petronela", "Anișoara",
  "Luminița", "Violeta", "Crina", "Ana-Maria", "Geta", "Tudorița", "Săftica", "Ileana",
};

static const char * const male_names[] = {
  "Ion", "Gheorghe", "Vasile", "Constantin", "Nicolae", "Mihai", "Andrei", "Alexandru",
  "Ștefan", "Florin", "Cristian", "Marian", "Adrian", "Daniel", "Gabriel", "Ionuț", "Cătălin",
  "Răzvan", "Bogdan", "Costel", "Dumitru", "Petru", "Aurel", "Viorel", "Sorin", "Lucian",
  "Marius", "Dorin", "Tudor", "Matei", "David", "Luca", "Vlad", "Radu", "Sebastian", "Iulian",
  "Traian", "Horia", "Mircea", "Liviu", "Ovidiu", "Emil", "Silviu", "Toma", "Fănel", "Gigel",
  "Ilie", "Dănuț", "Petrică", "Nicușor",
};

typedef struct
{
  const char *name;
  const char *commune;      /* NULL for the city itself */
  const char *environment;
  const char * const *streets;
} Locality;

static const char * const craiova_streets[] = {
  "Calea București", "Strada Brestei", "Strada Amaradia", "Bulevardul Nicolae Titulescu",
  "Strada Popa Șapcă", "Strada Unirii", "Bulevardul Oltenia", "Strada Caracal",
  "Strada Râului", "Strada Împăratul Traian", "Strada Henri Coandă", "Strada Fântânii",
  "Aleea Arțarului", "Strada Frații Buzești", "Strada Mihai Viteazul", "Strada Sărarilor",
  "Strada Matei Basarab", "Strada Bariera Vâlcii", "Calea Severinului", "Strada Ion Maiorescu",
  "Strada Păltiniș", "Strada Tineretului", "Bulevardul Dacia", "Strada Rovinari",
  "Strada Macedonski", "Strada Gârlești", "Strada Lămâiței", "Strada Științei",
  "Bulevardul Decebal", "Strada Înfrățirii", NULL,
};

static const char * const village_streets[] = {
  "Strada Principală", "Strada Școlii", "Strada Bisericii", "Strada Morii", "Strada Gării",
  "Strada Livezii", "Strada Țarinei", "Strada Câmpului", "Strada Viilor", "Strada Izvorului",
  NULL,
};

static const Locality localities[] = {
  { "Craiova", NULL, "urban", craiova_streets },
  { "Podari", "Podari", "rural", village_streets },
  { "Balta Verde", "Podari", "rural", village_streets },
  { "Ișalnița", "Ișalnița", "rural", village_streets },
  { "Malu Mare", "Malu Mare", "rural", village_streets },
  { "Preajba", "Malu Mare", "rural", village_streets },
  { "Cârcea", "Cârcea", "rural", village_streets },
  { "Pielești", "Pielești", "rural", village_streets },
  { "Șimnicu de Sus", "Șimnicu de Sus", "rural", village_streets },
  { "Mischii", "Mischii", "rural", village_streets },
  { "Coșoveni", "Coșoveni", "rural", village_streets },
  { "Bucovăț", "Bucovăț", "rural", village_streets },
  { "Breasta", "Breasta", "rural", village_streets },
  { "Filiași", NULL, "urban", village_streets },
};

/* Counties where the persons were born (JJ of the CNP): mostly Dolj (16), then the
 * neighbours and Bucharest; the weights are rough. */
static const struct { int code; guint weight; } birth_counties[] = {
  { 16, 700 }, { 18, 50 }, { 28, 50 }, { 25, 30 }, { 38, 25 }, { 40, 20 }, { 41, 5 },
  { 42, 5 }, { 43, 5 }, { 44, 5 }, { 45, 5 }, { 46, 5 }, { 34, 15 }, { 3, 10 }, { 35, 10 },
  { 12, 8 }, { 22, 8 }, { 13, 8 }, { 8, 6 }, { 32, 6 }, { 51, 4 }, { 52, 4 }, { 1, 3 },
  { 2, 3 }, { 4, 3 }, { 5, 3 }, { 6, 2 }, { 7, 2 }, { 9, 2 }, { 10, 2 }, { 11, 3 }, { 14, 1 },
  { 15, 3 }, { 17, 3 }, { 19, 1 }, { 20, 4 }, { 21, 2 }, { 23, 3 }, { 24, 2 }, { 26, 2 },
  { 27, 2 }, { 29, 4 }, { 30, 1 }, { 31, 1 }, { 33, 2 }, { 36, 1 }, { 37, 2 }, { 39, 2 },
};

static const char * const lines_weighted[] = {
  "community_health", "community_health", "community_health", "school_health",
  "school_health", "elderly", "elderly", "child", "child", "disability", "canteen",
  "homeless", "creche", "adult",
};

static const char * const case_managers[] = {
  "Elena Marinescu", "Ioana Dobrescu", "Mihaela Stroe", "Cristina Bălășoiu", "Adrian Pîrvu",
  "Simona Țenea", "Raluca Ghiță", "Daniela Cârciumaru", "Florin Niță", "Andreea Șoavă",
};

typedef struct
{
  GRand      *rand;
  GDate       today;
  TerenStore *store;
  guint       n_saved;
  guint       n_in_batch;
  gint64      started;
  GPtrArray  *person_ids;
  GPtrArray  *person_last;   /* last name of each person (households take it) */
  GPtrArray  *case_ids;
  GPtrArray  *case_lines;
  GPtrArray  *case_persons;
  GPtrArray  *case_closed;   /* GINT_TO_POINTER (closed) per case */
  guint       n_cnp_unusual;
} Gen;

static const char *
pick (Gen                *gen,
      const char * const *items,
      guint               n_items)
{
  return items[g_rand_int_range (gen->rand, 0, (gint32) n_items)];
}

#define PICK(gen, array) pick ((gen), (array), G_N_ELEMENTS (array))

static gboolean
chance (Gen    *gen,
        double  p)
{
  return g_rand_double (gen->rand) < p;
}

static const char *
pick_code (Gen        *gen,
           const char *nomenclature)
{
  const TerenNomenclature *n = teren_nomenclature_lookup (nomenclature);

  g_assert (n != NULL && n->n_items > 0);
  return n->items[g_rand_int_range (gen->rand, 0, (gint32) n->n_items)].code;
}

static int
pick_county (Gen *gen)
{
  guint total = 0;
  guint i;
  guint r;

  for (i = 0; i < G_N_ELEMENTS (birth_counties); i++)
    total += birth_counties[i].weight;
  r = (guint) g_rand_int_range (gen->rand, 0, (gint32) total);
  for (i = 0; i < G_N_ELEMENTS (birth_counties); i++)
    {
      if (r < birth_counties[i].weight)
        return birth_counties[i].code;
      r -= birth_counties[i].weight;
    }
  return 16;
}

/* A random date between @from and @to (Julian days). */
static void
random_date (Gen   *gen,
             guint  from,
             guint  to,
             GDate *out)
{
  g_date_clear (out, 1);
  g_date_set_julian (out, (guint32) g_rand_int_range (gen->rand, (gint32) from, (gint32) to + 1));
}

static char *
iso (const GDate *date)
{
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

/* Birth dates as a social assistance registry sees them: many children and old people. */
static void
random_birth (Gen   *gen,
              GDate *out)
{
  guint today = g_date_get_julian (&gen->today);
  double r = g_rand_double (gen->rand);
  guint max_age_days;
  guint min_age_days;

  if (r < 0.35)
    {
      /* children */
      min_age_days = 0;
      max_age_days = 18 * 365;
    }
  else if (r < 0.70)
    {
      min_age_days = 18 * 365;
      max_age_days = 64 * 365;
    }
  else
    {
      /* elderly */
      min_age_days = 64 * 365;
      max_age_days = 100 * 365;
    }
  random_date (gen, today - max_age_days, today - min_age_days, out);
}

static char *
make_cnp (Gen         *gen,
          char         sex,
          const GDate *birth,
          gboolean     foreign)
{
  char first12[13];
  guint year = g_date_get_year (birth);
  int s;
  int county = pick_county (gen);
  GDate limit;

  if (foreign)
    s = chance (gen, 0.1) ? 9 : (sex == 'M' ? 7 : 8);
  else if (year >= 2000)
    s = sex == 'M' ? 5 : 6;
  else if (year >= 1900)
    s = sex == 'M' ? 1 : 2;
  else
    s = sex == 'M' ? 3 : 4;

  /* CNPs made after 8 May 2024 carry 70. */
  g_date_clear (&limit, 1);
  g_date_set_dmy (&limit, 8, G_DATE_MAY, 2024);
  if (!foreign && g_date_compare (birth, &limit) > 0)
    county = 70;
  /* The former sectors 7 and 8, for people born before 19 December 1979. */
  else if (!foreign && year < 1979 && county == 40 && chance (gen, 0.3))
    county = chance (gen, 0.5) ? 47 : 48;

  if (county == 70 || county == 47 || county == 48 || s >= 7)
    gen->n_cnp_unusual++;

  g_snprintf (first12, sizeof first12, "%d%02u%02u%02u%02d%03d", s, year % 100,
              g_date_get_month (birth), g_date_get_day (birth), county,
              g_rand_int_range (gen->rand, 1, 1000));
  return g_strdup_printf ("%s%c", first12, teren_cnp_check_digit (first12));
}

static gboolean
batch_step (Gen     *gen,
            GError **error)
{
  gen->n_saved++;
  if (++gen->n_in_batch < BATCH)
    return TRUE;
  gen->n_in_batch = 0;
  if (!teren_store_commit (gen->store, error) || !teren_store_begin (gen->store, error))
    return FALSE;
  if (gen->n_saved % 50000 < BATCH)
    g_printerr ("… %u records (%.1f s)\n", gen->n_saved,
                (g_get_monotonic_time () - gen->started) / 1e6);
  return TRUE;
}

static char *
save (Gen         *gen,
      const char  *kind,
      const char  *line,
      JsonObject  *fields,
      GError     **error)
{
  g_autoptr(GPtrArray) field_errors = NULL;
  g_autoptr(TerenRecord) record = NULL;

  record = teren_store_save (gen->store, kind, line, NULL, fields, NULL, &field_errors, error);
  if (record == NULL)
    {
      if (field_errors != NULL && field_errors->len > 0)
        {
          TerenFieldError *first = field_errors->pdata[0];

          g_prefix_error (error, "%s %s (%s): ", kind, first->field, first->code);
        }
      return NULL;
    }
  if (!batch_step (gen, error))
    return NULL;
  return g_strdup (teren_record_get_id (record));
}

static gboolean
make_person (Gen         *gen,
             const char  *last_name,
             GError     **error)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  gboolean female = chance (gen, 0.52);
  char sex = female ? 'F' : 'M';
  GDate birth;
  g_autofree char *birth_iso = NULL;
  g_autofree char *first = NULL;
  char *id;
  double r = g_rand_double (gen->rand);

  random_birth (gen, &birth);
  birth_iso = iso (&birth);

  if (chance (gen, 0.08))
    first = g_strdup_printf ("%s %s", female ? PICK (gen, female_names) : PICK (gen, male_names),
                             female ? PICK (gen, female_names) : PICK (gen, male_names));
  else
    first = g_strdup (female ? PICK (gen, female_names) : PICK (gen, male_names));

  json_object_set_string_member (fields, "last_name", last_name);
  json_object_set_string_member (fields, "first_name", first);
  json_object_set_string_member (fields, "sex", female ? "F" : "M");

  if (r < 0.94 || (r < 0.955 && g_date_get_year (&birth) >= 1940))
    {
      g_autofree char *cnp = make_cnp (gen, sex, &birth, r >= 0.94);

      json_object_set_string_member (fields, "cnp", cnp);
      json_object_set_string_member (fields, "cnp_status", TEREN_CNP_STATUS_VALID);
      json_object_set_string_member (fields, "birth_date", birth_iso);
    }
  else if (r < 0.975)
    {
      json_object_set_string_member (fields, "cnp_status", TEREN_CNP_STATUS_MISSING);
      if (chance (gen, 0.8))
        json_object_set_string_member (fields, "birth_date", birth_iso);
    }
  else if (r < 0.99)
    {
      json_object_set_string_member (fields, "cnp_status", TEREN_CNP_STATUS_REFUSED);
      json_object_set_string_member (fields, "birth_date", birth_iso);
    }
  else
    {
      g_autofree char *code = g_strdup_printf ("NS%08u", (guint) g_rand_int_range (gen->rand, 0, 99999999));

      json_object_set_string_member (fields, "cnp", code);
      json_object_set_string_member (fields, "cnp_status", TEREN_CNP_STATUS_NON_STANDARD);
      json_object_set_string_member (fields, "birth_date", birth_iso);
    }

  if (female && g_date_get_year (&birth) < (guint) g_date_get_year (&gen->today) - 25 && chance (gen, 0.3))
    json_object_set_string_member (fields, "prior_name", PICK (gen, last_names));
  if (chance (gen, 0.6))
    json_object_set_string_member (fields, "civil_status", pick_code (gen, "civil_status"));
  if (chance (gen, 0.5))
    json_object_set_string_member (fields, "education", pick_code (gen, "education"));
  if (chance (gen, 0.5))
    json_object_set_string_member (fields, "citizenship", "română");
  if (chance (gen, 0.4))
    {
      g_autofree char *phone = g_strdup_printf ("07%02d %03d %03d", g_rand_int_range (gen->rand, 20, 80),
                                                g_rand_int_range (gen->rand, 0, 1000),
                                                g_rand_int_range (gen->rand, 0, 1000));

      json_object_set_string_member (fields, "phone", phone);
    }
  if (chance (gen, 0.06))
    json_object_set_string_member (fields, "disability_degree", pick_code (gen, "disability_degree"));

  id = save (gen, "person", "", fields, error);
  if (id == NULL)
    return FALSE;
  g_ptr_array_add (gen->person_ids, id);
  g_ptr_array_add (gen->person_last, g_strdup (last_name));
  return TRUE;
}

static char *
make_address (Gen             *gen,
              const Locality **out_locality)
{
  /* Most of the directorate's households are in the city. */
  const Locality *locality = chance (gen, 0.75) ? &localities[0]
    : &localities[g_rand_int_range (gen->rand, 1, G_N_ELEMENTS (localities))];
  guint n_streets = 0;
  const char *street;

  while (locality->streets[n_streets] != NULL)
    n_streets++;
  street = locality->streets[g_rand_int_range (gen->rand, 0, (gint32) n_streets)];
  *out_locality = locality;

  if (locality->environment[0] == 'u' && chance (gen, 0.5))
    return g_strdup_printf ("%s nr. %d, bl. %c%d, sc. %d, ap. %d, %s, jud. Dolj", street,
                            g_rand_int_range (gen->rand, 1, 200), 'A' + g_rand_int_range (gen->rand, 0, 8),
                            g_rand_int_range (gen->rand, 1, 40), g_rand_int_range (gen->rand, 1, 4),
                            g_rand_int_range (gen->rand, 1, 80), locality->name);
  if (locality->commune != NULL && strcmp (locality->commune, locality->name) != 0)
    return g_strdup_printf ("%s nr. %d, sat %s, com. %s, jud. Dolj", street,
                            g_rand_int_range (gen->rand, 1, 300), locality->name, locality->commune);
  return g_strdup_printf ("%s nr. %d, %s, jud. Dolj", street, g_rand_int_range (gen->rand, 1, 300),
                          locality->name);
}

static const char *
relationship_for (Gen   *gen,
                  guint  index)
{
  static const char * const others[] = { "child", "child", "child", "grandchild", "parent",
                                         "sibling", "other_relative", "not_related" };

  if (index == 0)
    return "head";
  if (index == 1 && chance (gen, 0.7))
    return "spouse";
  return PICK (gen, others);
}

static gboolean
make_households (Gen      *gen,
                 guint     n_households,
                 GError  **error)
{
  guint next_person = 0;
  guint n_persons = gen->person_ids->len;
  /* About 85 % of persons live in a registered household. */
  guint housed = n_persons * 85 / 100;
  guint h;

  for (h = 0; h < n_households; h++)
    {
      g_autoptr(JsonObject) fields = json_object_new ();
      g_autofree char *address = NULL;
      g_autofree char *household_id = NULL;
      const Locality *locality = NULL;
      guint left_households = n_households - h;
      guint left_persons = housed > next_person ? housed - next_person : 0;
      guint mean = left_households > 0 ? MAX (1, left_persons / left_households) : 1;
      guint size = CLAMP ((guint) g_rand_int_range (gen->rand, 1, (gint32) (2 * mean)), 1, 9);
      guint m;

      address = make_address (gen, &locality);
      json_object_set_string_member (fields, "address", address);
      json_object_set_string_member (fields, "environment", locality->environment);
      if (next_person < n_persons && chance (gen, 0.6))
        {
          g_autofree char *label = g_strdup_printf ("Familia %s", (char *) gen->person_last->pdata[next_person]);

          json_object_set_string_member (fields, "label", label);
        }
      household_id = save (gen, "household", "", fields, error);
      if (household_id == NULL)
        return FALSE;

      for (m = 0; m < size && next_person < n_persons; m++, next_person++)
        {
          g_autoptr(JsonObject) member = json_object_new ();
          g_autofree char *member_id = NULL;

          json_object_set_string_member (member, "person", gen->person_ids->pdata[next_person]);
          json_object_set_string_member (member, "household", household_id);
          json_object_set_string_member (member, "relationship", relationship_for (gen, m));
          member_id = save (gen, "household_member", "", member, error);
          if (member_id == NULL)
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
make_cases (Gen     *gen,
            guint    n_cases,
            GError **error)
{
  guint today = g_date_get_julian (&gen->today);
  guint i;

  for (i = 0; i < n_cases; i++)
    {
      g_autoptr(JsonObject) fields = json_object_new ();
      const char *line = PICK (gen, lines_weighted);
      const char *person = gen->person_ids->pdata[g_rand_int_range (gen->rand, 0, (gint32) gen->person_ids->len)];
      GDate opened;
      g_autofree char *opened_iso = NULL;
      g_autofree char *number = NULL;
      char *id;

      random_date (gen, today - 6 * 365, today, &opened);
      opened_iso = iso (&opened);
      number = g_strdup_printf ("%u/%u", (guint) g_rand_int_range (gen->rand, 1, 40000), g_date_get_year (&opened));
      json_object_set_string_member (fields, "person", person);
      json_object_set_string_member (fields, "number", number);
      json_object_set_string_member (fields, "opened_on", opened_iso);
      json_object_set_string_member (fields, "case_manager", PICK (gen, case_managers));
      json_object_set_string_member (fields, "source", pick_code (gen, "case_source"));
      if (chance (gen, 0.3) && g_date_get_julian (&opened) < today)
        {
          GDate closed;
          g_autofree char *closed_iso = NULL;

          random_date (gen, g_date_get_julian (&opened), today, &closed);
          closed_iso = iso (&closed);
          json_object_set_string_member (fields, "status", "closed");
          json_object_set_string_member (fields, "closed_on", closed_iso);
          json_object_set_string_member (fields, "closure_reason", pick_code (gen, "case_closure_reason"));
        }
      else
        json_object_set_string_member (fields, "status", chance (gen, 0.85) ? "open" : "assessment");

      id = save (gen, "case", line, fields, error);
      if (id == NULL)
        return FALSE;
      g_ptr_array_add (gen->case_ids, id);
      g_ptr_array_add (gen->case_lines, (gpointer) line);
      g_ptr_array_add (gen->case_persons, (gpointer) person);
      g_ptr_array_add (gen->case_closed, GINT_TO_POINTER (json_object_has_member (fields, "closed_on")));
    }
  return TRUE;
}

static gboolean
make_visits (Gen     *gen,
             guint    n_visits,
             GError **error)
{
  guint today = g_date_get_julian (&gen->today);
  guint i;

  for (i = 0; i < n_visits; i++)
    {
      g_autoptr(JsonObject) fields = json_object_new ();
      guint c = (guint) g_rand_int_range (gen->rand, 0, (gint32) gen->case_ids->len);
      GDate date;
      g_autofree char *date_iso = NULL;
      g_autofree char *id = NULL;
      g_autofree char *start = NULL;
      int hour = g_rand_int_range (gen->rand, 8, 17);

      random_date (gen, today - 3 * 365, today, &date);
      date_iso = iso (&date);
      start = g_strdup_printf ("%02d:%02d", hour, 15 * g_rand_int_range (gen->rand, 0, 4));
      json_object_set_string_member (fields, "person", gen->case_persons->pdata[c]);
      json_object_set_string_member (fields, "case", gen->case_ids->pdata[c]);
      json_object_set_string_member (fields, "date", date_iso);
      json_object_set_string_member (fields, "start_time", start);
      json_object_set_string_member (fields, "place", pick_code (gen, "visit_place"));
      json_object_set_string_member (fields, "status", chance (gen, 0.9) ? "done" : "not_done");

      id = save (gen, "visit", gen->case_lines->pdata[c], fields, error);
      if (id == NULL)
        return FALSE;
    }
  return TRUE;
}

/* Demo deadlines (--due): for some open child-protection cases a court request whose hearing
 * is in the coming weeks and a services plan whose review comes up, with one objective past
 * its deadline; for some disability cases a certificate that expires within 70 days. So the
 * Due page of the demo has overdue, this-week and this-month items. */
static void
day_iso (Gen   *gen,
         int    offset,
         char **out)
{
  GDate date = gen->today;

  if (offset >= 0)
    g_date_add_days (&date, (guint) offset);
  else
    g_date_subtract_days (&date, (guint) -offset);
  *out = iso (&date);
}

static gboolean
make_due_records (Gen     *gen,
                  GError **error)
{
  guint n_child = 0;
  guint n_disability = 0;
  guint c;

  for (c = 0; c < gen->case_ids->len; c++)
    {
      const char *line = gen->case_lines->pdata[c];
      const char *kase = gen->case_ids->pdata[c];
      const char *person = gen->case_persons->pdata[c];

      if (strcmp (line, "child") != 0 && strcmp (line, "disability") != 0)
        continue;
      if (GPOINTER_TO_INT (gen->case_closed->pdata[c]))
        continue;

      if (strcmp (line, "child") == 0 && n_child < 12)
        {
          g_autoptr(JsonObject) court = json_object_new ();
          g_autoptr(JsonObject) plan = json_object_new ();
          g_autoptr(JsonObject) item = json_object_new ();
          g_autofree char *received = NULL;
          g_autofree char *hearing = NULL;
          g_autofree char *start = NULL;
          g_autofree char *review = NULL;
          g_autofree char *deadline = NULL;
          g_autofree char *file_number = NULL;
          g_autofree char *court_id = NULL;
          g_autofree char *plan_id = NULL;
          g_autofree char *item_id = NULL;

          day_iso (gen, -g_rand_int_range (gen->rand, 3, 20), &received);
          day_iso (gen, g_rand_int_range (gen->rand, 2, 28), &hearing);
          file_number = g_strdup_printf ("%u/215/%u", (guint) g_rand_int_range (gen->rand, 100, 9999),
                                         g_date_get_year (&gen->today));
          json_object_set_string_member (court, "case", kase);
          json_object_set_string_member (court, "person", person);
          json_object_set_string_member (court, "court", "Judecătoria Craiova");
          json_object_set_string_member (court, "file_number", file_number);
          json_object_set_string_member (court, "object", pick_code (gen, "court_object"));
          json_object_set_string_member (court, "received_on", received);
          json_object_set_string_member (court, "hearing_date", hearing);
          court_id = save (gen, "child.court_request", line, court, error);
          if (court_id == NULL)
            return FALSE;

          day_iso (gen, -g_rand_int_range (gen->rand, 60, 170), &start);
          day_iso (gen, g_rand_int_range (gen->rand, 0, 40), &review);
          json_object_set_string_member (plan, "case", kase);
          json_object_set_string_member (plan, "start_on", start);
          json_object_set_string_member (plan, "review_on", review);
          json_object_set_string_member (plan, "status", "active");
          json_object_set_string_member (plan, "objectives",
                                         "Reluarea frecvenței școlare și sprijinirea părinților.");
          plan_id = save (gen, "child.service_plan", line, plan, error);
          if (plan_id == NULL)
            return FALSE;

          day_iso (gen, -g_rand_int_range (gen->rand, 1, 25), &deadline);
          json_object_set_string_member (item, "plan", plan_id);
          json_object_set_string_member (item, "objective", "Înscrierea copilului la școală");
          json_object_set_string_member (item, "service", "Consiliere");
          json_object_set_string_member (item, "deadline", deadline);
          item_id = save (gen, "child.plan_item", line, item, error);
          if (item_id == NULL)
            return FALSE;
          n_child++;
        }
      else if (strcmp (line, "disability") == 0 && n_disability < 8)
        {
          g_autoptr(JsonObject) certificate = json_object_new ();
          g_autofree char *from = NULL;
          g_autofree char *to = NULL;
          g_autofree char *number = NULL;
          g_autofree char *id = NULL;

          day_iso (gen, -g_rand_int_range (gen->rand, 300, 700), &from);
          day_iso (gen, g_rand_int_range (gen->rand, 5, 70), &to);
          number = g_strdup_printf ("%u/%u", (guint) g_rand_int_range (gen->rand, 1, 5000),
                                    g_date_get_year (&gen->today) - 1);
          json_object_set_string_member (certificate, "person", person);
          json_object_set_string_member (certificate, "degree", pick_code (gen, "disability_degree"));
          json_object_set_string_member (certificate, "number", number);
          json_object_set_string_member (certificate, "valid_from", from);
          json_object_set_string_member (certificate, "valid_to", to);
          id = save (gen, "disability.certificate", line, certificate, error);
          if (id == NULL)
            return FALSE;
          n_disability++;
        }
    }
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = NULL;
  g_autoptr(TerenStore) store = NULL;
  int n_persons = 0;
  gint64 seed = 1;
  gboolean registry_only = FALSE;
  gboolean with_due = FALSE;
  Gen gen = { 0 };
  guint n_households;
  guint i;
  double seconds;
  const GOptionEntry entries[] = {
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &data_dir, "Store folder to fill", "DIR" },
    { "persons", 0, 0, G_OPTION_ARG_INT, &n_persons, "Number of persons (households 0.4 N, cases N, visits 5 N)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Random seed (default 1)", "S" },
    { "registry-only", 0, 0, G_OPTION_ARG_NONE, &registry_only, "Persons and households only", NULL },
    { "due", 0, 0, G_OPTION_ARG_NONE, &with_due, "Also court hearings, plan reviews, overdue objectives and expiring certificates (demo)", NULL },
    { NULL },
  };

  setlocale (LC_ALL, "");
  context = g_option_context_new ("- fill a Teren store with a realistic registry");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (data_dir == NULL || n_persons <= 0)
    {
      g_printerr ("Usage: teren-bench-generate --data-dir DIR --persons N [--seed S] [--registry-only] [--due]\n");
      return 2;
    }

  store = teren_store_open (data_dir, &error);
  if (store == NULL)
    {
      g_printerr ("Cannot open the store: %s\n", error->message);
      return 1;
    }
  if (teren_store_count (store, "person") > 0)
    {
      g_printerr ("%s already holds persons; use an empty folder\n", data_dir);
      return 1;
    }

  gen.rand = g_rand_new_with_seed ((guint32) seed);
  teren_date_today (&gen.today);
  gen.store = store;
  gen.person_ids = g_ptr_array_new_with_free_func (g_free);
  gen.person_last = g_ptr_array_new_with_free_func (g_free);
  gen.case_ids = g_ptr_array_new_with_free_func (g_free);
  gen.case_lines = g_ptr_array_new ();
  gen.case_persons = g_ptr_array_new ();
  gen.case_closed = g_ptr_array_new ();
  gen.started = g_get_monotonic_time ();
  n_households = MAX (1, (guint) n_persons * 2 / 5);

  if (!teren_store_begin (store, &error))
    goto fail;

  /* Households share a last name: make persons in family-sized runs of one name. */
  for (i = 0; i < (guint) n_persons; )
    {
      const char *last = PICK (&gen, last_names);
      guint run = (guint) g_rand_int_range (gen.rand, 1, 5);

      for (; run > 0 && i < (guint) n_persons; run--, i++)
        if (!make_person (&gen, last, &error))
          goto fail;
    }
  if (!make_households (&gen, n_households, &error))
    goto fail;
  if (!registry_only &&
      (!make_cases (&gen, (guint) n_persons, &error) ||
       !make_visits (&gen, (guint) n_persons * 5, &error) ||
       (with_due && !make_due_records (&gen, &error))))
    goto fail;
  if (!teren_store_commit (store, &error))
    goto fail;

  seconds = (g_get_monotonic_time () - gen.started) / 1e6;
  g_print ("generated in %s: %u persons (%u with an unusual valid CNP: county 70, 47/48 or 7/8/9), "
           "%u households, %u household members, %u cases, %u visits\n",
           data_dir, teren_store_count (store, "person"), gen.n_cnp_unusual,
           teren_store_count (store, "household"), teren_store_count (store, "household_member"),
           teren_store_count (store, "case"), teren_store_count (store, "visit"));
  g_print ("%u records in %.1f s (%.0f records/s)\n", gen.n_saved, seconds, gen.n_saved / seconds);
  goto out;

fail:
  teren_store_rollback (store);
  g_printerr ("Generating failed: %s\n", error->message);

out:
  g_ptr_array_unref (gen.person_ids);
  g_ptr_array_unref (gen.person_last);
  g_ptr_array_unref (gen.case_ids);
  g_ptr_array_unref (gen.case_lines);
  g_ptr_array_unref (gen.case_persons);
  g_ptr_array_unref (gen.case_closed);
  g_rand_free (gen.rand);
  return error != NULL ? 1 : 0;
}
