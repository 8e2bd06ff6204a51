/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "calendar.h"
#include "config.h"
#include "date.h"
#include "days.h"
#include "roster.h"

#define OFFICE_PEOPLE_MAX 64
#define ID_MAX 16

/* ---- A hand-built office: people, the two usual posts and the 2026 calendar ---- */

typedef struct Office {
        char ids[OFFICE_PEOPLE_MAX][ID_MAX];
        Person people[OFFICE_PEOPLE_MAX];
        Post posts[2];
        Config config;

        HolidayNotice notice;
        HolidayDay days[40];
        SpecialDay special[2];
        SensitivePeriod sensitive[1];
        Calendar cal;
} Office;

/* The days of 国办发明电〔2025〕7号 (2026). */
static const struct {
        const char *day;
        bool off;
        const char *name;
} days_2026[] = {
        { "2026-01-01", true, "元旦" }, { "2026-01-02", true, "元旦" }, { "2026-01-03", true, "元旦" },
        { "2026-01-04", false, "元旦" },
        { "2026-02-14", false, "春节" },
        { "2026-02-15", true, "春节" }, { "2026-02-16", true, "春节" }, { "2026-02-17", true, "春节" },
        { "2026-02-18", true, "春节" }, { "2026-02-19", true, "春节" }, { "2026-02-20", true, "春节" },
        { "2026-02-21", true, "春节" }, { "2026-02-22", true, "春节" }, { "2026-02-23", true, "春节" },
        { "2026-02-28", false, "春节" },
        { "2026-04-04", true, "清明节" }, { "2026-04-05", true, "清明节" }, { "2026-04-06", true, "清明节" },
        { "2026-05-01", true, "劳动节" }, { "2026-05-02", true, "劳动节" }, { "2026-05-03", true, "劳动节" },
        { "2026-05-04", true, "劳动节" }, { "2026-05-05", true, "劳动节" },
        { "2026-05-09", false, "劳动节" },
        { "2026-06-19", true, "端午节" }, { "2026-06-20", true, "端午节" }, { "2026-06-21", true, "端午节" },
        { "2026-09-20", false, "国庆节" },
        { "2026-09-25", true, "中秋节" }, { "2026-09-26", true, "中秋节" }, { "2026-09-27", true, "中秋节" },
        { "2026-10-01", true, "国庆节" }, { "2026-10-02", true, "国庆节" }, { "2026-10-03", true, "国庆节" },
        { "2026-10-04", true, "国庆节" }, { "2026-10-05", true, "国庆节" }, { "2026-10-06", true, "国庆节" },
        { "2026-10-07", true, "国庆节" },
        { "2026-10-10", false, "国庆节" },
};

static void office_init(Office *o, size_t n_leaders, size_t n_officers) {
        size_t n = 0;

        assert_true(n_leaders + n_officers <= OFFICE_PEOPLE_MAX);
        assert_true(ELEMENTSOF(days_2026) <= ELEMENTSOF(o->days));
        memset(o, 0, sizeof(*o));

        for (size_t i = 0; i < n_leaders + n_officers; i++, n++) {
                bool leader = i < n_leaders;

                snprintf(o->ids[n], ID_MAX, "%c%zu", leader ? 'l' : 'o', leader ? i + 1 : i - n_leaders + 1);
                o->people[n] = (Person) {
                        .id = o->ids[n],
                        .name = o->ids[n],
                        .roles = ROLE_BIT(leader ? ROLE_LEADER : ROLE_OFFICER),
                        .active_from = DAY_NONE,
                        .active_until = DAY_NONE,
                };
        }

        o->posts[0] = (Post) {
                .id = (char *) "leader_on_call", .name = (char *) "带班领导", .role = ROLE_LEADER,
                .count = { [POST_DAY_WORKDAY] = 1, [POST_DAY_WEEKEND] = 1, [POST_DAY_HOLIDAY] = 1, [POST_DAY_SENSITIVE] = 1 },
        };
        o->posts[1] = (Post) {
                .id = (char *) "officer_on_duty", .name = (char *) "值班员", .role = ROLE_OFFICER,
                .count = { [POST_DAY_WORKDAY] = 1, [POST_DAY_WEEKEND] = 1, [POST_DAY_HOLIDAY] = 2, [POST_DAY_SENSITIVE] = 2 },
        };

        o->notice = (HolidayNotice) { .year = 2026, .source = (char *) "国办发明电〔2025〕7号" };
        for (size_t i = 0; i < ELEMENTSOF(days_2026); i++)
                o->days[i] = (HolidayDay) {
                        .day = D(days_2026[i].day), .off = days_2026[i].off, .name = (char *) days_2026[i].name,
                };
        o->special[0] = (SpecialDay) { .day = D("2026-02-16"), .name = (char *) "除夕", .weight = 3 };
        o->special[1] = (SpecialDay) { .day = D("2026-02-17"), .name = (char *) "春节初一", .weight = 3 };
        o->sensitive[0] = (SensitivePeriod) {
                .id = (char *) "congress", .name = (char *) "代表大会",
                .from = D("2026-09-20"), .to = D("2026-09-24"), .extra_officers = 1,
        };
        o->cal = (Calendar) {
                .notices = &o->notice, .n_notices = 1,
                .days = o->days, .n_days = ELEMENTSOF(days_2026),
                .special = o->special, .n_special = 2,
                .sensitive = o->sensitive, .n_sensitive = 1,
        };

        o->config = (Config) {
                .people = o->people, .n_people = n,
                .posts = o->posts, .n_posts = 2,
        };
}

static Person *office_person(Office *o, const char *id) {
        for (size_t i = 0; i < o->config.n_people; i++)
                if (streq(o->people[i].id, id))
                        return &o->people[i];
        fail_msg("no person %s", id);
        return NULL;
}

static RosterInput office_input(Office *o, const char *from, const char *to) {
        return (RosterInput) {
                .config = &o->config,
                .calendar = &o->cal,
                .from = D(from),
                .to = D(to),
                .min_rest_days = 1,
                .seed = 42,
        };
}

/* ---- Independent checks, not relying on roster_check() ---- */

static const Post *find_post(const Office *o, const char *id) {
        for (size_t i = 0; i < o->config.n_posts; i++)
                if (streq(o->posts[i].id, id))
                        return &o->posts[i];
        return NULL;
}

static ssize_t find_person_index(const Office *o, const char *id) {
        for (size_t i = 0; i < o->config.n_people; i++)
                if (streq(o->people[i].id, id))
                        return (ssize_t) i;
        return -1;
}

static bool absent(const RosterInput *in, const char *person, Day d, RosterAbsenceKind kind) {
        for (size_t i = 0; i < in->n_absences; i++)
                if (streq(in->absences[i].person, person) && in->absences[i].kind == kind &&
                    d >= in->absences[i].from && d <= in->absences[i].to)
                        return true;
        return false;
}

/* Duties of a person on day d, in the roster or (outside the range) in the existing slots. */
static unsigned duties_on(const RosterInput *in, const RosterSlot *slots, size_t n, const char *person, Day d) {
        unsigned k = 0;

        if (d >= in->from && d <= in->to) {
                for (size_t i = 0; i < n; i++)
                        if (slots[i].day == d && slots[i].person && streq(slots[i].person, person))
                                k++;
        } else
                for (size_t i = 0; i < in->n_existing; i++)
                        if (in->existing[i].day == d && in->existing[i].person &&
                            streq(in->existing[i].person, person))
                                k++;
        return k;
}

/* The people needed on a post, from the notice days and the one sensitive period of the office. */
static unsigned expected_count(const Office *o, const Post *post, Day d) {
        DayType t = calendar_day_type(&o->cal, d);
        unsigned n;

        if (t == DAY_TYPE_UNKNOWN)
                t = day_is_weekend(d) ? DAY_TYPE_WEEKEND : DAY_TYPE_WORKDAY;
        n = t == DAY_TYPE_HOLIDAY ? post->count[POST_DAY_HOLIDAY] :
            t == DAY_TYPE_WEEKEND ? post->count[POST_DAY_WEEKEND] : post->count[POST_DAY_WORKDAY];
        if (d >= o->sensitive[0].from && d <= o->sensitive[0].to) {
                if (post->count[POST_DAY_SENSITIVE] > n)
                        n = post->count[POST_DAY_SENSITIVE];
                if (post->role == ROLE_OFFICER)
                        n += o->sensitive[0].extra_officers;
        }
        return n;
}

/* Why person p cannot take a slot on d, by the test's own reading; ROSTER_EMPTY_NONE if they can. */
static RosterEmptyReason why_blocked(const Office *o, const RosterInput *in, const RosterSlot *slots, size_t n,
                                     const char *person, Day d) {
        if (absent(in, person, d, ROSTER_ABSENCE_LEAVE))
                return ROSTER_EMPTY_ALL_ON_LEAVE;
        if (absent(in, person, d, ROSTER_ABSENCE_UNAVAILABLE))
                return ROSTER_EMPTY_ALL_UNAVAILABLE;
        if (duties_on(in, slots, n, person, d) > 0)
                return ROSTER_EMPTY_ALL_BUSY;
        for (unsigned k = 1; k <= in->min_rest_days; k++)
                if (duties_on(in, slots, n, person, d - k) > 0 || duties_on(in, slots, n, person, d + k) > 0)
                        return ROSTER_EMPTY_ALL_RESTING;
        return ROSTER_EMPTY_NONE;
}

static void assert_roster_valid(const Office *o, const RosterInput *in, const RosterSlot *slots, size_t n) {
        _cleanup_free_ RosterViolation *v = NULL;
        size_t n_v = SIZE_MAX;

        for (Day d = in->from; d <= in->to; d++)
                for (size_t j = 0; j < o->config.n_posts; j++) {
                        const Post *post = &o->posts[j];
                        unsigned seen = 0;

                        for (size_t i = 0; i < n; i++)
                                if (slots[i].day == d && streq(slots[i].post, post->id) && !slots[i].locked) {
                                        assert_true(slots[i].slot >= 0);
                                        assert_true((unsigned) slots[i].slot < expected_count(o, post, d));
                                        seen++;
                                }
                        for (size_t i = 0; i < n; i++)
                                if (slots[i].day == d && streq(slots[i].post, post->id) && slots[i].locked &&
                                    (unsigned) slots[i].slot < expected_count(o, post, d))
                                        seen++;
                        assert_int_equal(seen, expected_count(o, post, d));
                }

        for (size_t i = 0; i < n; i++) {
                const RosterSlot *s = &slots[i];
                const Post *post = find_post(o, s->post);
                ssize_t p;

                assert_true(s->day >= in->from && s->day <= in->to);
                assert_non_null(post);

                if (!s->person) {
                        /* Empty only if nobody eligible and active could take it, with that reason. */
                        unsigned tally[_ROSTER_EMPTY_MAX] = {}, members = 0, demand = 0;
                        RosterEmptyReason expected = ROSTER_EMPTY_NO_ELIGIBLE;

                        for (size_t q = 0; q < o->config.n_people; q++) {
                                const Person *person = &o->people[q];
                                RosterEmptyReason why;

                                if (!person_has_role(person, post->role) || !person_is_active(person, s->day))
                                        continue;
                                members++;
                                why = why_blocked(o, in, slots, n, person->id, s->day);
                                assert_int_not_equal(why, ROSTER_EMPTY_NONE);
                                tally[why]++;
                        }
                        /* Too few people: the role's daily demand is more than its people can
                         * cover under the rest rule. */
                        if (s->reason == ROSTER_EMPTY_TOO_FEW_ELIGIBLE) {
                                for (size_t j = 0; j < o->config.n_posts; j++)
                                        if (o->posts[j].role == post->role)
                                                demand += expected_count(o, &o->posts[j], s->day);
                                assert_true(members > 0);
                                assert_true(demand * (1 + in->min_rest_days) > members);
                                continue;
                        }
                        for (RosterEmptyReason r = 0; r < _ROSTER_EMPTY_MAX; r++)
                                if (tally[r] > 0)
                                        expected = expected == ROSTER_EMPTY_NO_ELIGIBLE ? r : ROSTER_EMPTY_MIXED;
                        if (!s->locked)
                                assert_int_equal(s->reason, expected);
                        continue;
                }

                assert_int_equal(s->reason, ROSTER_EMPTY_NONE);
                p = find_person_index(o, s->person);
                assert_true(p >= 0);
                assert_true(person_has_role(&o->people[p], post->role));
                assert_true(person_is_active(&o->people[p], s->day));
                assert_false(absent(in, s->person, s->day, ROSTER_ABSENCE_LEAVE));
                assert_false(absent(in, s->person, s->day, ROSTER_ABSENCE_UNAVAILABLE));
                assert_int_equal(duties_on(in, slots, n, s->person, s->day), 1);
                for (unsigned k = 1; k <= in->min_rest_days; k++) {
                        assert_int_equal(duties_on(in, slots, n, s->person, s->day - k), 0);
                        assert_int_equal(duties_on(in, slots, n, s->person, s->day + k), 0);
                }
        }

        for (size_t i = 0; i < in->n_existing; i++) {
                const RosterSlot *e = &in->existing[i];
                bool kept = false;

                if (!e->locked || e->day < in->from || e->day > in->to)
                        continue;
                for (size_t k = 0; k < n; k++)
                        if (slots[k].day == e->day && streq(slots[k].post, e->post) && slots[k].slot == e->slot &&
                            slots[k].locked && e->person && slots[k].person && streq(slots[k].person, e->person))
                                kept = true;
                assert_true(kept);
        }

        assert_int_equal(roster_check(in, slots, n, &v, &n_v), 0);
        assert_int_equal(n_v, 0);
        assert_null(v);
}

static FairnessCategory category_of(const Office *o, Day d, unsigned *ret_weight) {
        const SpecialDay *s = calendar_special_day(&o->cal, d);
        DayType t = calendar_day_type(&o->cal, d);

        /* A special day is a holiday for fairness, with its weight. */
        *ret_weight = s ? s->weight : 1;
        if (s || t == DAY_TYPE_HOLIDAY)
                return FAIR_HOLIDAY;
        if (t == DAY_TYPE_WEEKEND || (t == DAY_TYPE_UNKNOWN && day_is_weekend(d)))
                return FAIR_WEEKEND;
        return FAIR_WORKDAY;
}

/* Weighted load of a person in a category over the slots (FAIR_SPECIAL: the special days, also
 * counted among the holidays). */
static unsigned load_of(const Office *o, const RosterSlot *slots, size_t n, const char *person, FairnessCategory c) {
        unsigned load = 0;

        for (size_t i = 0; i < n; i++) {
                unsigned w;
                FairnessCategory k;

                if (!slots[i].person || !streq(slots[i].person, person))
                        continue;
                k = category_of(o, slots[i].day, &w);
                if (c == FAIR_SPECIAL ? calendar_special_day(&o->cal, slots[i].day) != NULL : k == c)
                        load += w;
        }
        return load;
}

static unsigned spread_of(const Office *o, const RosterSlot *slots, size_t n, Role role, FairnessCategory c) {
        unsigned lo = UINT32_MAX, hi = 0;

        for (size_t i = 0; i < o->config.n_people; i++) {
                unsigned l;

                if (!person_has_role(&o->people[i], role))
                        continue;
                l = load_of(o, slots, n, o->people[i].id, c);
                lo = l < lo ? l : lo;
                hi = l > hi ? l : hi;
        }
        return hi - lo;
}

static const RosterSlot *find_slot(const RosterSlot *slots, size_t n, const char *day, const char *post, int slot) {
        Day d = D(day);

        for (size_t i = 0; i < n; i++)
                if (slots[i].day == d && streq(slots[i].post, post) && slots[i].slot == slot)
                        return &slots[i];
        return NULL;
}

static unsigned count_slots(const RosterSlot *slots, size_t n, const char *day, const char *post) {
        Day d = D(day);
        unsigned k = 0;

        for (size_t i = 0; i < n; i++)
                if (slots[i].day == d && streq(slots[i].post, post))
                        k++;
        return k;
}

/* ---- Tests ---- */

static void test_year_fair(void **state) {
        Office o;
        _cleanup_free_ RosterSlot *slots = NULL;
        _cleanup_(roster_stats_freep) RosterStats *st = NULL;
        size_t n = 0;
        const RosterAbsence absences[] = {
                { .person = "l3", .from = D("2026-03-02"), .to = D("2026-03-13"), .kind = ROSTER_ABSENCE_LEAVE },
                { .person = "o4", .from = D("2026-05-01"), .to = D("2026-05-05"), .kind = ROSTER_ABSENCE_UNAVAILABLE },
        };
        RosterInput in;

        office_init(&o, 8, 12);
        in = office_input(&o, "2026-01-01", "2026-12-31");
        in.absences = absences;
        in.n_absences = ELEMENTSOF(absences);

        assert_int_equal(roster_generate(&in, &slots, &n, NULL), 0);
        assert_roster_valid(&o, &in, slots, n);

        /* Everybody could be scheduled: nothing is left empty. */
        for (size_t i = 0; i < n; i++)
                assert_non_null(slots[i].person);

        /* Counts follow the day: a holiday and the sensitive period need more officers, not leaders. */
        assert_int_equal(count_slots(slots, n, "2026-03-03", "officer_on_duty"), 1);
        assert_int_equal(count_slots(slots, n, "2026-03-07", "officer_on_duty"), 1);
        assert_int_equal(count_slots(slots, n, "2026-01-04", "officer_on_duty"), 1);   /* make-up workday */
        assert_int_equal(count_slots(slots, n, "2026-10-01", "officer_on_duty"), 2);
        assert_int_equal(count_slots(slots, n, "2026-09-21", "officer_on_duty"), 3);
        assert_int_equal(count_slots(slots, n, "2026-09-20", "officer_on_duty"), 3);   /* make-up, sensitive */
        assert_int_equal(count_slots(slots, n, "2026-09-21", "leader_on_call"), 1);
        assert_int_equal(count_slots(slots, n, "2026-10-01", "leader_on_call"), 1);

        for (FairnessCategory c = 0; c < _FAIR_MAX; c++) {
                unsigned limit = c == FAIR_SPECIAL ? 3 : 1;

                assert_true(spread_of(&o, slots, n, ROLE_LEADER, c) <= limit);
                assert_true(spread_of(&o, slots, n, ROLE_OFFICER, c) <= limit);
        }

        /* The statistics agree with the test's own counting. */
        assert_int_equal(roster_stats(&o.config, &o.cal, in.from, in.to, slots, n, &st), 0);
        assert_int_equal(st->n_people, o.config.n_people);
        assert_int_equal(st->empty, 0);
        assert_int_equal(st->filled, n);
        assert_true(st->role_posted[ROLE_LEADER]);
        assert_true(st->role_posted[ROLE_OFFICER]);
        assert_false(st->role_posted[ROLE_ADMIN]);
        for (FairnessCategory c = 0; c < _FAIR_MAX; c++) {
                assert_int_equal(st->spread[ROLE_LEADER][c], spread_of(&o, slots, n, ROLE_LEADER, c));
                assert_int_equal(st->spread[ROLE_OFFICER][c], spread_of(&o, slots, n, ROLE_OFFICER, c));
                for (size_t p = 0; p < st->n_people; p++)
                        assert_int_equal(st->people[p].load[c], load_of(&o, slots, n, o.people[p].id, c));
        }
        /* A special day is counted there with its weight, and also as a holiday. */
        for (size_t p = 0; p < st->n_people; p++)
                assert_int_equal(st->people[p].load[FAIR_SPECIAL], 3 * st->people[p].count[FAIR_SPECIAL]);
}

/* Small random offices: people joining and leaving, dual roles, absences, rests of 0 to 2 days,
 * and a random part of a first roster locked before generating again with another seed. Every hard
 * constraint must hold and every empty slot must have its true reason. */
#define RANDOM_ROUNDS 40

static uint64_t rnd_next(uint64_t *state) {
        *state = *state * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
        return *state >> 33;
}

static void test_random_offices(void **state) {
        uint64_t rng = 2026;

        for (unsigned round = 0; round < RANDOM_ROUNDS; round++) {
                _cleanup_free_ RosterSlot *first = NULL, *second = NULL, *locked = NULL;
                RosterAbsence absences[8];
                size_t n_first = 0, n_second = 0, n_locked = 0;
                size_t nl = 1 + rnd_next(&rng) % 5, no = 1 + rnd_next(&rng) % 8;
                Office o;
                RosterInput in;

                office_init(&o, nl, no);
                in = office_input(&o, "2026-09-01", "2026-10-31");
                in.min_rest_days = (unsigned) (rnd_next(&rng) % 3);
                in.seed = rnd_next(&rng);

                for (size_t p = 0; p < o.config.n_people; p++) {
                        if (rnd_next(&rng) % 4 == 0)
                                o.people[p].roles |= ROLE_BIT(ROLE_LEADER) | ROLE_BIT(ROLE_OFFICER);
                        if (rnd_next(&rng) % 5 == 0)
                                o.people[p].active_from = in.from + (Day) (rnd_next(&rng) % 61);
                        if (rnd_next(&rng) % 5 == 0)
                                o.people[p].active_until = in.from + (Day) (rnd_next(&rng) % 61);
                }
                for (size_t i = 0; i < ELEMENTSOF(absences); i++) {
                        Day from = in.from - 5 + (Day) (rnd_next(&rng) % 66);

                        absences[i] = (RosterAbsence) {
                                .person = o.people[rnd_next(&rng) % o.config.n_people].id,
                                .from = from,
                                .to = from + (Day) (rnd_next(&rng) % 10),
                                .kind = rnd_next(&rng) % 2 ? ROSTER_ABSENCE_LEAVE : ROSTER_ABSENCE_UNAVAILABLE,
                        };
                }
                in.absences = absences;
                in.n_absences = ELEMENTSOF(absences);

                assert_int_equal(roster_generate(&in, &first, &n_first, NULL), 0);
                assert_roster_valid(&o, &in, first, n_first);

                locked = calloc(n_first + 1, sizeof(RosterSlot));
                assert_non_null(locked);
                for (size_t i = 0; i < n_first; i++)
                        if (first[i].person && rnd_next(&rng) % 4 == 0) {
                                locked[n_locked] = first[i];
                                locked[n_locked++].locked = true;
                        }
                in.existing = locked;
                in.n_existing = n_locked;
                in.seed++;

                assert_int_equal(roster_generate(&in, &second, &n_second, NULL), 0);
                assert_roster_valid(&o, &in, second, n_second);
        }
}

static void test_year_fair_long_rest(void **state) {
        Office o;
        _cleanup_free_ RosterSlot *slots = NULL;
        size_t n = 0;
        RosterInput in;

        /* Two free days after each duty leave the day-by-day pass fewer choices, so that fairness
         * here rests on the moves made afterwards. */
        office_init(&o, 8, 12);
        in = office_input(&o, "2026-01-01", "2026-12-31");
        in.min_rest_days = 2;

        assert_int_equal(roster_generate(&in, &slots, &n, NULL), 0);
        assert_roster_valid(&o, &in, slots, n);
        for (size_t i = 0; i < n; i++)
                assert_non_null(slots[i].person);
        for (FairnessCategory c = 0; c < _FAIR_MAX; c++) {
                unsigned limit = c == FAIR_SPECIAL ? 3 : 1;

                assert_true(spread_of(&o, slots, n, ROLE_LEADER, c) <= limit);
                assert_true(spread_of(&o, slots, n, ROLE_OFFICER, c) <= limit);
        }
}

static void test_history_from_slots(void **state) {
        Office o;
        _cleanup_free_ RosterSlot *slots = NULL;
        _cleanup_free_ RosterHistory *h = NULL;
        size_t n = 0, n_h = 0;
        RosterInput in;

        office_init(&o, 4, 6);
        in = office_input(&o, "2026-02-01", "2026-02-28");
        assert_int_equal(roster_generate(&in, &slots, &n, NULL), 0);

        assert_int_equal(roster_history_from_slots(&o.config, &o.cal, slots, n, &h, &n_h), 0);
        assert_int_equal(n_h, o.config.n_people);
        for (size_t p = 0; p < n_h; p++) {
                Day last = DAY_NONE;

                assert_string_equal(h[p].person, o.people[p].id);
                for (FairnessCategory c = 0; c < _FAIR_MAX; c++)
                        assert_int_equal(h[p].load[c], load_of(&o, slots, n, o.people[p].id, c));
                for (size_t i = 0; i < n; i++)
                        if (slots[i].person && streq(slots[i].person, o.people[p].id) && slots[i].day > last)
                                last = slots[i].day;
                assert_int_equal(h[p].last_served, last);
        }
}

static void test_too_few_leaders(void **state) {
        Office o;
        _cleanup_free_ RosterSlot *slots = NULL;
        size_t n = 0, empty = 0;
        const RosterAbsence absences[] = {
                { .person = "l1", .from = D("2026-03-10"), .to = D("2026-03-20"), .kind = ROSTER_ABSENCE_LEAVE },
                { .person = "l2", .from = D("2026-03-15"), .to = D("2026-03-16"), .kind = ROSTER_ABSENCE_LEAVE },
        };
        const RosterSlot *s;
        RosterInput in;

        office_init(&o, 2, 6);
        in = office_input(&o, "2026-03-01", "2026-03-31");
        in.absences = absences;
        in.n_absences = ELEMENTSOF(absences);

        assert_int_equal(roster_generate(&in, &slots, &n, NULL), 0);
        assert_roster_valid(&o, &in, slots, n);

        /* Both away. */
        s = find_slot(slots, n, "2026-03-15", "leader_on_call", 0);
        assert_non_null(s);
        assert_null(s->person);
        assert_int_equal(s->reason, ROSTER_EMPTY_ALL_ON_LEAVE);
        s = find_slot(slots, n, "2026-03-16", "leader_on_call", 0);
        assert_int_equal(s->reason, ROSTER_EMPTY_ALL_ON_LEAVE);

        /* With l1 away, l2 can only serve every other day; the days between are empty because one
         * is away and the other resting. */
        for (size_t i = 0; i < n; i++)
                if (!slots[i].person) {
                        empty++;
                        assert_string_equal(slots[i].post, "leader_on_call");
                        assert_true(slots[i].day >= D("2026-03-10") && slots[i].day <= D("2026-03-21"));
                        if (slots[i].day != D("2026-03-15") && slots[i].day != D("2026-03-16"))
                                assert_int_equal(slots[i].reason, ROSTER_EMPTY_MIXED);
                }
        assert_true(empty >= 5);
        assert_true(empty <= 7);
}

static void test_single_leader_rests(void **state) {
        Office o;
        _cleanup_free_ RosterSlot *slots = NULL;
        size_t n = 0, filled = 0;
        RosterInput in;

        office_init(&o, 1, 4);
        in = office_input(&o, "2026-03-02", "2026-03-15");
        assert_int_equal(roster_generate(&in, &slots, &n, NULL), 0);
        assert_roster_valid(&o, &in, slots, n);

        for (size_t i = 0; i < n; i++) {
                if (!streq(slots[i].post, "leader_on_call"))
                        continue;
                if (slots[i].person)
                        filled++;
                else    /* one leader cannot take every day: the cause is the number of leaders */
                        assert_int_equal(slots[i].reason, ROSTER_EMPTY_TOO_FEW_ELIGIBLE);
        }
        assert_int_equal(filled, 7);

        /* With two days of rest, only every third day. */
        free(slots);
        slots = NULL;
        in.min_rest_days = 2;
        assert_int_equal(roster_generate(&in, &slots, &n, NULL), 0);
        assert_roster_valid(&o, &in, slots, n);
        filled = 0;
        for (size_t i = 0; i < n; i++)
                if (streq(slots[i].post, "leader_on_call") && slots[i].person)
                        filled++;
        assert_int_equal(filled, 5);
}

static void test_busy_unavailable_no_eligible(void **state) {
        Office o;
        _cleanup_free_ RosterSlot *slots = NULL;
        size_t n = 0;
        const RosterAbsence absences[] = {
                { .person = "o1", .from = D("2026-03-04"), .to = D("2026-03-05"), .kind = ROSTER_ABSENCE_UNAVAILABLE },
        };
        const RosterSlot *s;
        RosterInput in;

        /* l1 is also the only officer, and l1's officer duty ends on the 6th. */
        office_init(&o, 1, 1);
        o.people[1].active_until = D("2026-03-06");
        o.people[0].roles |= ROLE_BIT(ROLE_OFFICER);
        in = office_input(&o, "2026-03-02", "2026-03-08");
        in.min_rest_days = 0;
        in.absences = absences;
        in.n_absences = ELEMENTSOF(absences);

        assert_int_equal(roster_generate(&in, &slots, &n, NULL), 0);
        assert_roster_valid(&o, &in, slots, n);

        /* The leader post comes first in the configuration and takes l1 every day; o1 takes the
         * officer post while there. */
        for (Day d = D("2026-03-02"); d <= D("2026-03-08"); d++) {
                s = NULL;
                for (size_t i = 0; i < n; i++)
                        if (slots[i].day == d && streq(slots[i].post, "leader_on_call"))
                                s = &slots[i];
                assert_non_null(s);
                assert_string_equal(s->person, "l1");
        }
        s = find_slot(slots, n, "2026-03-03", "officer_on_duty", 0);
        assert_string_equal(s->person, "o1");
        /* o1 unavailable, l1 busy on the leader post. */
        s = find_slot(slots, n, "2026-03-04", "officer_on_duty", 0);
        assert_null(s->person);
        assert_int_equal(s->reason, ROSTER_EMPTY_MIXED);
        /* o1 gone: only l1, who is busy. */
        s = find_slot(slots, n, "2026-03-07", "officer_on_duty", 0);
        assert_null(s->person);
        assert_int_equal(s->reason, ROSTER_EMPTY_ALL_BUSY);

        /* Without l1's officer role nobody is left at all once o1 is gone. */
        free(slots);
        slots = NULL;
        o.people[0].roles = ROLE_BIT(ROLE_LEADER);
        assert_int_equal(roster_generate(&in, &slots, &n, NULL), 0);
        assert_roster_valid(&o, &in, slots, n);
        s = find_slot(slots, n, "2026-03-04", "officer_on_duty", 0);
        assert_int_equal(s->reason, ROSTER_EMPTY_ALL_UNAVAILABLE);
        s = find_slot(slots, n, "2026-03-07", "officer_on_duty", 0);
        assert_null(s->person);
        assert_int_equal(s->reason, ROSTER_EMPTY_NO_ELIGIBLE);
}

static void test_locked_and_boundary(void **state) {
        Office o;
        _cleanup_free_ RosterSlot *slots = NULL;
        size_t n = 0;
        const RosterSlot existing[] = {
                /* Before and after the range: count for rest only. */
                { .day = D("2026-04-30"), .post = "leader_on_call", .slot = 0, .person = "l1" },
                { .day = D("2026-04-30"), .post = "officer_on_duty", .slot = 0, .person = "o1" },
                { .day = D("2026-06-01"), .post = "leader_on_call", .slot = 0, .person = "l2" },
                /* Inside: locked ones are kept, others replaced. */
                { .day = D("2026-05-06"), .post = "leader_on_call", .slot = 0, .person = "l3", .locked = true },
                { .day = D("2026-05-13"), .post = "leader_on_call", .slot = 0, .person = "l3", .locked = true },
                { .day = D("2026-05-21"), .post = "leader_on_call", .slot = 0, .person = "l3", .locked = true },
                { .day = D("2026-05-27"), .post = "leader_on_call", .slot = 0, .person = "l3", .locked = true },
                { .day = D("2026-05-06"), .post = "officer_on_duty", .slot = 0, .person = "o2", .locked = true },
                { .day = D("2026-05-12"), .post = "leader_on_call", .slot = 1, .person = "l4", .locked = true },
                { .day = D("2026-05-20"), .post = "leader_on_call", .slot = 0, .person = "l4" },
        };
        RosterHistory history[14];
        const RosterSlot *s;
        RosterInput in;

        office_init(&o, 6, 8);
        in = office_input(&o, "2026-05-01", "2026-05-31");
        in.existing = existing;
        in.n_existing = ELEMENTSOF(existing);

        /* Everybody else has more holiday and weekend duties behind them, so that only the rest
         * rule keeps l1 and o1 off the 1st (a holiday) and l2 off the 31st (a Sunday). */
        for (size_t p = 0; p < o.config.n_people; p++) {
                bool light = streq(o.people[p].id, "l1") || streq(o.people[p].id, "o1") ||
                             streq(o.people[p].id, "l2");

                history[p] = (RosterHistory) {
                        .person = o.people[p].id,
                        .load = { [FAIR_HOLIDAY] = light ? 0 : 5, [FAIR_WEEKEND] = light ? 0 : 5 },
                        .last_served = DAY_NONE,
                };
        }
        in.history = history;
        in.n_history = o.config.n_people;

        assert_int_equal(roster_generate(&in, &slots, &n, NULL), 0);
        assert_roster_valid(&o, &in, slots, n);

        s = find_slot(slots, n, "2026-05-06", "leader_on_call", 0);
        assert_string_equal(s->person, "l3");
        assert_true(s->locked);
        s = find_slot(slots, n, "2026-05-06", "officer_on_duty", 0);
        assert_string_equal(s->person, "o2");
        assert_true(s->locked);
        /* A locked slot beyond the day's count is kept, beside the regular one. */
        s = find_slot(slots, n, "2026-05-12", "leader_on_call", 1);
        assert_non_null(s);
        assert_string_equal(s->person, "l4");
        s = find_slot(slots, n, "2026-05-12", "leader_on_call", 0);
        assert_non_null(s->person);
        assert_string_not_equal(s->person, "l4");

        /* Rest around the locked duties and across the range boundary. */
        assert_string_not_equal(find_slot(slots, n, "2026-05-05", "leader_on_call", 0)->person, "l3");
        assert_string_not_equal(find_slot(slots, n, "2026-05-07", "leader_on_call", 0)->person, "l3");
        assert_string_not_equal(find_slot(slots, n, "2026-05-01", "leader_on_call", 0)->person, "l1");
        assert_string_not_equal(find_slot(slots, n, "2026-05-01", "officer_on_duty", 0)->person, "o1");
        assert_string_not_equal(find_slot(slots, n, "2026-05-31", "leader_on_call", 0)->person, "l2");

        /* Locked duties count in their holders' share: l3 gets no more workdays than anyone. */
        assert_true(spread_of(&o, slots, n, ROLE_LEADER, FAIR_WORKDAY) <= 1);
}

static void test_history_shifts_load(void **state) {
        Office o;
        _cleanup_free_ RosterSlot *slots = NULL;
        size_t n = 0;
        const RosterHistory history[] = {
                { .person = "l1", .load = { [FAIR_WORKDAY] = 20 }, .last_served = D("2025-12-20") },
        };
        unsigned l1;
        RosterInput in;

        office_init(&o, 8, 12);
        in = office_input(&o, "2026-01-01", "2026-12-31");
        in.history = history;
        in.n_history = ELEMENTSOF(history);

        assert_int_equal(roster_generate(&in, &slots, &n, NULL), 0);
        assert_roster_valid(&o, &in, slots, n);

        /* l1 takes 20 workdays fewer than the others, within the usual spread of one. */
        l1 = load_of(&o, slots, n, "l1", FAIR_WORKDAY);
        for (size_t p = 1; p < 8; p++) {
                unsigned other = load_of(&o, slots, n, o.people[p].id, FAIR_WORKDAY);

                assert_true(l1 < other);
                assert_true(l1 + 20 + 1 >= other && other + 1 >= l1 + 20);
        }
        /* Other categories are not touched. */
        assert_true(spread_of(&o, slots, n, ROLE_LEADER, FAIR_WEEKEND) <= 1);
}

static void test_newcomer_starts_level(void **state) {
        Office o;
        _cleanup_free_ RosterSlot *slots = NULL;
        size_t n = 0;
        Day joins = D("2026-07-01");
        unsigned newcomer = 0, others = 0;
        RosterInput in;

        office_init(&o, 4, 10);
        office_person(&o, "o10")->active_from = joins;
        in = office_input(&o, "2026-01-01", "2026-12-31");

        assert_int_equal(roster_generate(&in, &slots, &n, NULL), 0);
        assert_roster_valid(&o, &in, slots, n);

        /* From the day they join, the newcomer serves about as often as anyone else, not in every
         * free turn until their yearly count caught up. */
        for (size_t i = 0; i < n; i++) {
                if (slots[i].day < joins || !streq(slots[i].post, "officer_on_duty"))
                        continue;
                if (streq(slots[i].person, "o10"))
                        newcomer++;
                else
                        others++;
        }
        assert_true(newcomer * 9 <= others + 2 * 9);
        assert_true(newcomer * 9 + 2 * 9 >= others);
}

/* ---- Fair holidays and feasibility ---- */

static unsigned duties_between(const RosterSlot *slots, size_t n, const char *person, Day from, Day to) {
        unsigned k = 0;

        for (size_t i = 0; i < n; i++)
                if (slots[i].person && streq(slots[i].person, person) && slots[i].day >= from && slots[i].day <= to)
                        k++;
        return k;
}

static void test_special_is_holiday(void **state) {
        Office o;
        _cleanup_free_ RosterSlot *slots = NULL;
        size_t n = 0;
        RosterInput in;
        RosterDay rd;

        office_init(&o, 8, 12);
        assert_int_equal(roster_day_classify(&o.cal, D("2026-02-16"), false, &rd), 0);
        assert_int_equal(rd.category, FAIR_HOLIDAY);
        assert_int_equal(rd.weight, 3);
        assert_ptr_equal(rd.special, &o.special[0]);
        assert_int_equal(roster_day_classify(&o.cal, D("2026-02-18"), false, &rd), 0);
        assert_null(rd.special);
        assert_int_equal(rd.weight, 1);

        /* Whoever takes 除夕 or 初一 (weight 3) takes fewer of the other holidays than anyone who
         * took neither. */
        in = office_input(&o, "2026-01-01", "2026-12-31");
        assert_int_equal(roster_generate(&in, &slots, &n, NULL), 0);
        assert_roster_valid(&o, &in, slots, n);
        for (size_t p = 0; p < 8; p++) {
                unsigned special = load_of(&o, slots, n, o.people[p].id, FAIR_SPECIAL);
                unsigned other = load_of(&o, slots, n, o.people[p].id, FAIR_HOLIDAY) - special;

                for (size_t q = 0; q < 8 && special > 0; q++)
                        if (load_of(&o, slots, n, o.people[q].id, FAIR_SPECIAL) == 0)
                                assert_true(other < load_of(&o, slots, n, o.people[q].id, FAIR_HOLIDAY));
        }
        assert_true(spread_of(&o, slots, n, ROLE_LEADER, FAIR_HOLIDAY) <= 1);
        assert_true(spread_of(&o, slots, n, ROLE_OFFICER, FAIR_HOLIDAY) <= 1);
}

static void test_special_rotation(void **state) {
        Office o;
        _cleanup_free_ RosterSlot *slots = NULL;
        SpecialDay special[8];
        RosterSlot past[24];
        RosterHistory history[20];
        size_t n = 0, n_past = 0;
        const RosterSlot *s;
        char dates[7][11];
        RosterInput in;

        /* 除夕 seven times before (in January, for the test's one-year calendar), held by l1 … l7 and
         * by two officers each from o1 … o10 (o1 twice), and once more on 2026-06-10. */
        office_init(&o, 8, 12);
        for (size_t i = 0; i < 7; i++) {
                snprintf(dates[i], sizeof(dates[i]), "2026-01-%02zu", 10 + 2 * i);
                special[i] = (SpecialDay) { .day = D(dates[i]), .name = (char *) "除夕", .weight = 3 };
                past[n_past++] = (RosterSlot) { .day = special[i].day, .post = "leader_on_call", .person = o.people[i].id };
                past[n_past++] = (RosterSlot) { .day = special[i].day, .post = "officer_on_duty",
                                                .person = o.people[8 + (2 * i) % 10].id };
                past[n_past++] = (RosterSlot) { .day = special[i].day, .post = "officer_on_duty", .slot = 1,
                                                .person = o.people[8 + (2 * i + 1) % 10].id };
        }
        special[7] = (SpecialDay) { .day = D("2026-06-10"), .name = (char *) "除夕", .weight = 3 };
        o.cal.special = special;
        o.cal.n_special = 8;

        /* l8, o11 and o12 have the heaviest holidays behind them: only the rotation puts them first. */
        for (size_t p = 0; p < o.config.n_people; p++)
                history[p] = (RosterHistory) {
                        .person = o.people[p].id,
                        .load = { [FAIR_HOLIDAY] = streq(o.people[p].id, "l8") || streq(o.people[p].id, "o11") ||
                                                   streq(o.people[p].id, "o12") ? 9 : 3 },
                        .last_served = DAY_NONE,
                };

        in = office_input(&o, "2026-06-01", "2026-06-30");
        in.history = history;
        in.n_history = o.config.n_people;
        in.special_past = past;
        in.n_special_past = n_past;
        assert_int_equal(roster_generate(&in, &slots, &n, NULL), 0);
        assert_roster_valid(&o, &in, slots, n);

        s = find_slot(slots, n, "2026-06-10", "leader_on_call", 0);
        assert_string_equal(s->person, "l8");
        s = find_slot(slots, n, "2026-06-10", "officer_on_duty", 0);
        assert_true(streq(s->person, "o11") || streq(s->person, "o12"));

        /* Without the past holders, the history decides and l8 is last in line. */
        free(slots);
        slots = NULL;
        in.n_special_past = 0;
        assert_int_equal(roster_generate(&in, &slots, &n, NULL), 0);
        s = find_slot(slots, n, "2026-06-10", "leader_on_call", 0);
        assert_string_not_equal(s->person, "l8");
}

static void test_arrival_prorated(void **state) {
        Office o;
        _cleanup_free_ RosterSlot *first = NULL, *second = NULL, *all = NULL;
        _cleanup_free_ RosterHistory *history = NULL;
        _cleanup_(roster_stats_freep) RosterStats *st = NULL;
        size_t n1 = 0, n2 = 0, n_h = 0;
        ssize_t o10;
        RosterInput in;

        /* o10 arrives on 07-01; the first half-year is planned before, the second after. */
        office_init(&o, 4, 10);
        office_person(&o, "o10")->active_from = D("2026-07-01");
        in = office_input(&o, "2026-01-01", "2026-06-30");
        assert_int_equal(roster_generate(&in, &first, &n1, NULL), 0);
        assert_int_equal(roster_history_from_slots(&o.config, &o.cal, first, n1, &history, &n_h), 0);
        o10 = find_person_index(&o, "o10");
        assert_true(o10 >= 0);
        assert_true(history[o10].expected[FAIR_WORKDAY] == 0);
        assert_true(history[0].expected[FAIR_WORKDAY] > 0);

        in = office_input(&o, "2026-07-01", "2026-12-31");
        in.history = history;
        in.n_history = n_h;
        assert_int_equal(roster_generate(&in, &second, &n2, NULL), 0);
        assert_roster_valid(&o, &in, second, n2);

        /* No catching up: in any fortnight at most ⌈expected⌉ + 1 (officers serve about one day in
         * nine: two in a fortnight, three with a holiday). */
        for (Day d = D("2026-07-01"); d + 13 <= D("2026-12-31"); d++)
                assert_true(duties_between(second, n2, "o10", d, d + 13) <= 4);
        assert_true(duties_between(second, n2, "o10", D("2026-07-01"), D("2026-07-14")) <= 3);

        all = calloc(n1 + n2, sizeof(RosterSlot));
        assert_non_null(all);
        memcpy(all, first, n1 * sizeof(RosterSlot));
        memcpy(all + n1, second, n2 * sizeof(RosterSlot));
        assert_int_equal(roster_stats(&o.config, &o.cal, D("2026-01-01"), D("2026-12-31"), all, n1 + n2, &st), 0);
        assert_int_equal(st->people[o10].active_days, 184);
        assert_int_equal(st->people[0].active_days, 365);
        assert_true(st->people[o10].expected[FAIR_WORKDAY] < 0.6 * st->people[o10 - 1].expected[FAIR_WORKDAY]);
        for (size_t p = 0; p < st->n_people; p++)
                for (FairnessCategory k = 0; k < FAIR_SPECIAL; k++) {
                        double dev = st->people[p].load[k] - st->people[p].expected[k];

                        assert_true(dev <= 1.5 && dev >= -1.5);
                }
        for (FairnessCategory k = 0; k < FAIR_SPECIAL; k++) {
                assert_true(st->prorated_spread[ROLE_OFFICER][k] <= 2.0);
                assert_true(st->spread[ROLE_OFFICER][k] <= 1);
        }
}

static void test_pairs_rotate(void **state) {
        Office o;
        _cleanup_free_ RosterSlot *slots = NULL;
        unsigned pairs[12][12] = {}, pair_days = 0, worst = 0;
        size_t n = 0;
        RosterInput in;

        office_init(&o, 4, 12);
        in = office_input(&o, "2026-01-01", "2026-12-31");
        assert_int_equal(roster_generate(&in, &slots, &n, NULL), 0);

        for (Day d = in.from; d <= in.to; d++) {
                size_t on[4], k = 0;

                for (size_t i = 0; i < n; i++)
                        if (slots[i].day == d && streq(slots[i].post, "officer_on_duty") && slots[i].person && k < 4)
                                on[k++] = (size_t) find_person_index(&o, slots[i].person) - 4;
                for (size_t a = 0; a < k; a++)
                        for (size_t b = a + 1; b < k; b++) {
                                unsigned c = ++pairs[on[a] < on[b] ? on[a] : on[b]][on[a] < on[b] ? on[b] : on[a]];

                                pair_days++;
                                worst = c > worst ? c : worst;
                        }
        }
        /* 66 pairs of 12 officers: the numbers force ⌈pair_days / 66⌉ meetings of some pair. */
        assert_true(pair_days > 0);
        assert_true(worst <= (pair_days + 65) / 66 + 1);
}

static void test_shortfall_even(void **state) {
        Office o;
        _cleanup_free_ RosterSlot *slots = NULL;
        _cleanup_free_ RosterShortfall *sf = NULL;
        _cleanup_free_ char *en = NULL, *zh = NULL;
        size_t n = 0, n_sf = 0;
        RosterInput in;

        /* Eight officers on a holiday, twelve officers, one free day between duties: at most six a
         * day over 国庆. */
        office_init(&o, 8, 12);
        o.posts[1].count[POST_DAY_HOLIDAY] = 8;
        in = office_input(&o, "2026-09-28", "2026-10-12");
        assert_int_equal(roster_generate(&in, &slots, &n, NULL), 0);
        assert_roster_valid(&o, &in, slots, n);

        for (Day d = D("2026-10-01"); d <= D("2026-10-07"); d++) {
                unsigned filled = 0, empty = 0;

                for (size_t i = 0; i < n; i++) {
                        if (slots[i].day != d || !streq(slots[i].post, "officer_on_duty"))
                                continue;
                        if (slots[i].person)
                                filled++;
                        else {
                                empty++;
                                assert_int_equal(slots[i].reason, ROSTER_EMPTY_TOO_FEW_ELIGIBLE);
                        }
                }
                assert_int_equal(filled + empty, 8);
                assert_true(filled >= 5 && filled <= 7);
        }

        assert_int_equal(roster_feasibility(&o.config, &sf, &n_sf), 0);
        o.config.roster.min_rest_days = 1;
        free(sf);
        sf = NULL;
        assert_int_equal(roster_feasibility(&o.config, &sf, &n_sf), 0);
        assert_int_equal(n_sf, 1);
        assert_int_equal(sf[0].role, ROLE_OFFICER);
        assert_int_equal(sf[0].day_type, POST_DAY_HOLIDAY);
        assert_int_equal(sf[0].needed, 8);
        assert_int_equal(sf[0].eligible, 12);
        assert_int_equal(sf[0].per_day, 6);
        en = roster_shortfall_format(&sf[0], "en");
        zh = roster_shortfall_format(&sf[0], "zh");
        assert_non_null(en);
        assert_non_null(zh);
        assert_non_null(strstr(en, "holiday officer count 8 needs 8×(1+1)=16 eligible officers"));
        assert_non_null(strstr(en, "only 12 eligible: at most 6 per day"));
        assert_non_null(strstr(zh, "8×(1+1)=16 名符合条件的人员，只有 12 名：每天最多安排 6 人"));

        /* Enough officers: nothing to report. */
        o.posts[1].count[POST_DAY_HOLIDAY] = 6;
        free(sf);
        sf = NULL;
        assert_int_equal(roster_feasibility(&o.config, &sf, &n_sf), 0);
        assert_int_equal(n_sf, 0);
}

static void test_unknown_day(void **state) {
        Office o;
        _cleanup_free_ RosterSlot *slots = NULL;
        size_t n = 4242;
        Day unknown = DAY_NONE;
        RosterInput in;
        RosterDay rd;

        office_init(&o, 4, 6);
        in = office_input(&o, "2026-12-20", "2027-01-10");

        assert_int_equal(roster_generate(&in, &slots, &n, &unknown), -ENODATA);
        assert_int_equal(unknown, D("2027-01-01"));
        assert_null(slots);
        assert_int_equal(n, 4242);

        assert_int_equal(roster_day_classify(&o.cal, D("2027-01-02"), false, &rd), -ENODATA);
        assert_int_equal(roster_day_classify(&o.cal, D("2027-01-02"), true, &rd), 0);
        assert_int_equal(rd.type, DAY_TYPE_UNKNOWN);
        assert_int_equal(rd.post_day, POST_DAY_WEEKEND);
        assert_int_equal(rd.category, FAIR_WEEKEND);
        assert_true(rd.assume_ordinary);
        assert_int_equal(roster_day_classify(&o.cal, D("2027-01-04"), true, &rd), 0);
        assert_int_equal(rd.post_day, POST_DAY_WORKDAY);

        in.assume_ordinary = true;
        assert_int_equal(roster_generate(&in, &slots, &n, &unknown), 0);
        assert_roster_valid(&o, &in, slots, n);
        for (size_t i = 0; i < n; i++) {
                assert_non_null(slots[i].person);
                assert_int_equal(slots[i].assume_ordinary, slots[i].day >= D("2027-01-01"));
        }
        /* Taken as an ordinary Friday: one officer, not a holiday's two. */
        assert_int_equal(count_slots(slots, n, "2027-01-01", "officer_on_duty"), 1);
}

static bool rosters_equal(const RosterSlot *a, size_t n_a, const RosterSlot *b, size_t n_b) {
        if (n_a != n_b)
                return false;
        for (size_t i = 0; i < n_a; i++)
                if (a[i].day != b[i].day || !streq(a[i].post, b[i].post) || a[i].slot != b[i].slot ||
                    !!a[i].person != !!b[i].person || (a[i].person && !streq(a[i].person, b[i].person)) ||
                    a[i].reason != b[i].reason || a[i].locked != b[i].locked)
                        return false;
        return true;
}

static void test_deterministic(void **state) {
        Office o;
        _cleanup_free_ RosterSlot *a = NULL, *b = NULL, *c = NULL;
        size_t n_a = 0, n_b = 0, n_c = 0;
        RosterInput in;
        Person tmp;

        office_init(&o, 8, 12);
        in = office_input(&o, "2026-01-01", "2026-06-30");
        assert_int_equal(roster_generate(&in, &a, &n_a, NULL), 0);
        assert_int_equal(roster_generate(&in, &b, &n_b, NULL), 0);
        assert_true(rosters_equal(a, n_a, b, n_b));

        /* The order people are listed in does not matter, only who they are. */
        for (size_t i = 0; i < o.config.n_people / 2; i++) {
                tmp = o.people[i];
                o.people[i] = o.people[o.config.n_people - 1 - i];
                o.people[o.config.n_people - 1 - i] = tmp;
        }
        assert_int_equal(roster_generate(&in, &c, &n_c, NULL), 0);
        assert_true(rosters_equal(a, n_a, c, n_c));
}

static bool has_violation(const RosterViolation *v, size_t n, RosterViolationKind kind, Day day) {
        for (size_t i = 0; i < n; i++)
                if (v[i].kind == kind && v[i].day == day)
                        return true;
        return false;
}

/* Copies the roster, lets `edit` break it, and returns whether roster_check reports `kind` on `day`. */
static bool check_catches(const RosterInput *in, const RosterSlot *slots, size_t n,
                          RosterSlot *(*edit)(RosterSlot *copy, size_t *n), RosterViolationKind kind, Day day) {
        _cleanup_free_ RosterSlot *copy = NULL;
        _cleanup_free_ RosterViolation *v = NULL;
        size_t n_copy = n, n_v = 0;

        copy = calloc(n + 1, sizeof(RosterSlot));
        assert_non_null(copy);
        memcpy(copy, slots, n * sizeof(RosterSlot));
        copy = edit(copy, &n_copy);
        assert_int_equal(roster_check(in, copy, n_copy, &v, &n_v), 0);
        for (size_t i = 0; i < n_v; i++) {
                assert_non_null(roster_violation_kind_to_string(v[i].kind));
                if (i > 0)
                        assert_true(v[i - 1].day <= v[i].day);
        }
        return has_violation(v, n_v, kind, day);
}

static RosterSlot *slot_at(RosterSlot *s, size_t n, const char *day, const char *post, int slot) {
        return (RosterSlot *) find_slot(s, n, day, post, slot);
}

static RosterSlot *edit_role(RosterSlot *s, size_t *n) {
        slot_at(s, *n, "2026-10-05", "leader_on_call", 0)->person = "o1";
        return s;
}

static RosterSlot *edit_inactive(RosterSlot *s, size_t *n) {
        slot_at(s, *n, "2026-10-05", "leader_on_call", 0)->person = "l5";
        return s;
}

static RosterSlot *edit_leave(RosterSlot *s, size_t *n) {
        slot_at(s, *n, "2026-10-06", "leader_on_call", 0)->person = "l1";
        return s;
}

static RosterSlot *edit_unavailable(RosterSlot *s, size_t *n) {
        slot_at(s, *n, "2026-10-06", "officer_on_duty", 0)->person = "o2";
        return s;
}

static RosterSlot *edit_same_day(RosterSlot *s, size_t *n) {
        RosterSlot *a = slot_at(s, *n, "2026-10-03", "officer_on_duty", 0);

        slot_at(s, *n, "2026-10-03", "officer_on_duty", 1)->person = a->person;
        return s;
}

static RosterSlot *edit_rest(RosterSlot *s, size_t *n) {
        RosterSlot *a = slot_at(s, *n, "2026-10-08", "leader_on_call", 0);

        slot_at(s, *n, "2026-10-09", "leader_on_call", 0)->person = a->person;
        return s;
}

static RosterSlot *edit_rest_boundary(RosterSlot *s, size_t *n) {
        slot_at(s, *n, "2026-10-01", "leader_on_call", 0)->person = "l4";
        return s;
}

static RosterSlot *edit_locked(RosterSlot *s, size_t *n) {
        RosterSlot *a = slot_at(s, *n, "2026-10-12", "leader_on_call", 0);

        a->person = streq(a->person, "l2") ? "l3" : "l2";
        return s;
}

static RosterSlot *edit_unknown_person(RosterSlot *s, size_t *n) {
        slot_at(s, *n, "2026-10-13", "officer_on_duty", 0)->person = "nobody";
        return s;
}

static RosterSlot *edit_unknown_post(RosterSlot *s, size_t *n) {
        slot_at(s, *n, "2026-10-13", "officer_on_duty", 0)->post = "canteen";
        return s;
}

static RosterSlot *edit_duplicate(RosterSlot *s, size_t *n) {
        s[*n] = *slot_at(s, *n, "2026-10-14", "officer_on_duty", 0);
        s[*n].person = NULL;
        (*n)++;
        return s;
}

static RosterSlot *edit_out_of_range(RosterSlot *s, size_t *n) {
        slot_at(s, *n, "2026-10-14", "officer_on_duty", 0)->day = D("2026-11-30");
        return s;
}

static RosterSlot *edit_nothing(RosterSlot *s, size_t *n) {
        return s;
}

static void test_check_catches(void **state) {
        Office o;
        _cleanup_free_ RosterSlot *slots = NULL;
        _cleanup_free_ RosterViolation *v = NULL;
        size_t n = 0, n_v = 0;
        const RosterAbsence absences[] = {
                { .person = "l1", .from = D("2026-10-06"), .to = D("2026-10-06"), .kind = ROSTER_ABSENCE_LEAVE },
                { .person = "o2", .from = D("2026-10-06"), .to = D("2026-10-06"), .kind = ROSTER_ABSENCE_UNAVAILABLE },
        };
        const RosterSlot existing[] = {
                { .day = D("2026-09-30"), .post = "leader_on_call", .slot = 0, .person = "l4" },
                { .day = D("2026-10-12"), .post = "leader_on_call", .slot = 0, .person = "l2", .locked = true },
        };
        RosterInput in;

        office_init(&o, 5, 6);
        office_person(&o, "l5")->active_until = D("2026-09-30");
        in = office_input(&o, "2026-10-01", "2026-10-31");
        in.absences = absences;
        in.n_absences = ELEMENTSOF(absences);
        in.existing = existing;
        in.n_existing = ELEMENTSOF(existing);

        assert_int_equal(roster_generate(&in, &slots, &n, NULL), 0);
        assert_roster_valid(&o, &in, slots, n);
        assert_int_equal(roster_check(&in, slots, n, &v, &n_v), 0);
        assert_int_equal(n_v, 0);

        assert_false(check_catches(&in, slots, n, edit_nothing, ROSTER_VIOLATION_REST, D("2026-10-09")));
        assert_true(check_catches(&in, slots, n, edit_role, ROSTER_VIOLATION_NOT_ELIGIBLE, D("2026-10-05")));
        assert_true(check_catches(&in, slots, n, edit_inactive, ROSTER_VIOLATION_INACTIVE, D("2026-10-05")));
        assert_true(check_catches(&in, slots, n, edit_leave, ROSTER_VIOLATION_ON_LEAVE, D("2026-10-06")));
        assert_true(check_catches(&in, slots, n, edit_unavailable, ROSTER_VIOLATION_UNAVAILABLE, D("2026-10-06")));
        assert_true(check_catches(&in, slots, n, edit_same_day, ROSTER_VIOLATION_SAME_DAY, D("2026-10-03")));
        assert_true(check_catches(&in, slots, n, edit_rest, ROSTER_VIOLATION_REST, D("2026-10-09")));
        assert_true(check_catches(&in, slots, n, edit_rest_boundary, ROSTER_VIOLATION_REST, D("2026-10-01")));
        assert_true(check_catches(&in, slots, n, edit_locked, ROSTER_VIOLATION_LOCKED, D("2026-10-12")));
        assert_true(check_catches(&in, slots, n, edit_unknown_person, ROSTER_VIOLATION_UNKNOWN_PERSON, D("2026-10-13")));
        assert_true(check_catches(&in, slots, n, edit_unknown_post, ROSTER_VIOLATION_UNKNOWN_POST, D("2026-10-13")));
        assert_true(check_catches(&in, slots, n, edit_duplicate, ROSTER_VIOLATION_DUPLICATE_SLOT, D("2026-10-14")));
        assert_true(check_catches(&in, slots, n, edit_out_of_range, ROSTER_VIOLATION_OUT_OF_RANGE, D("2026-11-30")));
}

static void test_bad_input(void **state) {
        Office o;
        RosterSlot *slots = NULL;
        size_t n = 0;
        RosterInput in;
        const RosterSlot bad_existing[] = {
                { .day = D("2026-01-05"), .post = NULL, .slot = 0, .person = "l1", .locked = true },
        };

        office_init(&o, 2, 2);
        in = office_input(&o, "2026-01-10", "2026-01-01");
        assert_int_equal(roster_generate(&in, &slots, &n, NULL), -EINVAL);
        in = office_input(&o, "2026-01-01", "2029-12-31");
        assert_int_equal(roster_generate(&in, &slots, &n, NULL), -ERANGE);
        in = office_input(&o, "2026-01-01", "2026-01-31");
        in.min_rest_days = ROSTER_REST_DAYS_MAX + 1;
        assert_int_equal(roster_generate(&in, &slots, &n, NULL), -ERANGE);
        in.min_rest_days = 1;
        in.existing = bad_existing;
        in.n_existing = ELEMENTSOF(bad_existing);
        assert_int_equal(roster_generate(&in, &slots, &n, NULL), -EINVAL);
        assert_null(slots);
        assert_int_equal(roster_generate(NULL, &slots, &n, NULL), -EINVAL);
}

static void test_strings(void **state) {
        for (RosterEmptyReason r = 0; r < _ROSTER_EMPTY_MAX; r++) {
                const char *zh = roster_empty_reason_message(r, "zh"), *en = roster_empty_reason_message(r, "en");

                assert_int_equal(roster_empty_reason_from_string(roster_empty_reason_to_string(r)), r);
                assert_non_null(zh);
                assert_non_null(en);
                assert_string_not_equal(zh, en);
                assert_string_equal(roster_empty_reason_message(r, NULL), zh);
        }
        for (RosterViolationKind k = 0; k < _ROSTER_VIOLATION_MAX; k++) {
                assert_int_equal(roster_violation_kind_from_string(roster_violation_kind_to_string(k)), k);
                assert_string_not_equal(roster_violation_message(k, "zh"), roster_violation_message(k, "en"));
        }
        for (FairnessCategory c = 0; c < _FAIR_MAX; c++)
                assert_int_equal(fairness_category_from_string(fairness_category_to_string(c)), c);
        assert_int_equal(roster_empty_reason_from_string("tired"), _ROSTER_EMPTY_INVALID);
        assert_null(roster_empty_reason_to_string(_ROSTER_EMPTY_MAX));
        assert_null(roster_violation_message(_ROSTER_VIOLATION_INVALID, "en"));
        assert_string_equal(roster_absence_kind_to_string(ROSTER_ABSENCE_UNAVAILABLE), "unavailable");
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_year_fair),
                cmocka_unit_test(test_year_fair_long_rest),
                cmocka_unit_test(test_random_offices),
                cmocka_unit_test(test_history_from_slots),
                cmocka_unit_test(test_too_few_leaders),
                cmocka_unit_test(test_single_leader_rests),
                cmocka_unit_test(test_busy_unavailable_no_eligible),
                cmocka_unit_test(test_locked_and_boundary),
                cmocka_unit_test(test_history_shifts_load),
                cmocka_unit_test(test_newcomer_starts_level),
                cmocka_unit_test(test_special_is_holiday),
                cmocka_unit_test(test_special_rotation),
                cmocka_unit_test(test_arrival_prorated),
                cmocka_unit_test(test_pairs_rotate),
                cmocka_unit_test(test_shortfall_even),
                cmocka_unit_test(test_unknown_day),
                cmocka_unit_test(test_deterministic),
                cmocka_unit_test(test_check_catches),
                cmocka_unit_test(test_bad_input),
                cmocka_unit_test(test_strings),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
