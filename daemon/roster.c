/* SPDX-License-Identifier: GPL-2.0-or-later */

/* Roster generation: a greedy pass day by day, then a bounded local search.
 *
 * The greedy pass fills each slot with the feasible person of the post's role who has the least
 * load in the day's fairness category, then the longest rest since the last duty, then a hash of
 * the seed and the person id. Candidates come from a min-heap per role, rebuilt in linear time once
 * a day since the day's category sets the order, so a slot costs a few heap operations rather than a
 * scan of everybody; people popped because they cannot take the slot are pushed back afterwards,
 * and when the heap runs dry their reasons make the empty slot's reason.
 *
 * Greedy choices made early in the range cannot see the rest of it, so a local search then moves
 * duties from more loaded to less loaded people of the same role and category whenever that
 * lowers the sum of squared loads (exactly when the receiver's load plus the duty's weight stays
 * below the giver's load), keeping every hard constraint. Each pass looks at every movable slot
 * once and the number of passes is bounded.
 *
 * Feasibility is answered from one byte per person and day over the range widened by the rest
 * period on both sides: duty, leave and unavailability flags. */

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "roster.h"

/* Passes of the local search. Each pass looks at every movable slot once; in practice two or three
 * passes reach a state no single move improves. */
#define ROSTER_IMPROVE_PASSES_MAX 8

#define HEAP_ABSENT SIZE_MAX

/* Pairs of people on duty together are counted only for roles that need at most this many people a
 * day: beyond it repeated pairs are unavoidable and counting them would cost quadratic memory. */
#define ROSTER_PAIR_DEMAND_MAX 8
/* Candidates as good as the best one that are looked at for a partner not yet paired with the
 * people already on duty that day. */
#define ROSTER_PAIR_CANDIDATES_MAX 16
/* Nobody gets more than ⌈expected⌉ + 1 duties in any window of this many days when it can be
 * avoided: fairness over the year must not come as a burst. */
#define ROSTER_BURST_DAYS 14

enum {
        FLAG_DUTY = 1 << 0,
        FLAG_LEAVE = 1 << 1,
        FLAG_UNAVAILABLE = 1 << 2,
};

static const char *const empty_reason_zh[_ROSTER_EMPTY_MAX] = {
        [ROSTER_EMPTY_NONE] = "已安排",
        [ROSTER_EMPTY_NO_ELIGIBLE] = "当日没有符合该岗位条件的在职人员",
        [ROSTER_EMPTY_ALL_ON_LEAVE] = "符合条件的人员当日均在请假",
        [ROSTER_EMPTY_ALL_UNAVAILABLE] = "符合条件的人员当日均已申报无法值班",
        [ROSTER_EMPTY_ALL_BUSY] = "符合条件的人员当日均已在其他岗位值班",
        [ROSTER_EMPTY_ALL_RESTING] = "符合条件的人员均未满值班间隔休息天数",
        [ROSTER_EMPTY_MIXED] = "符合条件的人员当日均因请假、无法值班、休息或已有岗位而无法安排",
        [ROSTER_EMPTY_TOO_FEW_ELIGIBLE] = "符合条件的人员太少，按休息天数每天排不满：空缺已均匀分摊；请增加人员或调低岗位人数",
};

static const char *const empty_reason_en[_ROSTER_EMPTY_MAX] = {
        [ROSTER_EMPTY_NONE] = "filled",
        [ROSTER_EMPTY_NO_ELIGIBLE] = "nobody eligible for this post is active on this day",
        [ROSTER_EMPTY_ALL_ON_LEAVE] = "everybody eligible is on approved leave on this day",
        [ROSTER_EMPTY_ALL_UNAVAILABLE] = "everybody eligible has declared they are unavailable on this day",
        [ROSTER_EMPTY_ALL_BUSY] = "everybody eligible already holds another post on this day",
        [ROSTER_EMPTY_ALL_RESTING] = "everybody eligible is within the minimum rest after another duty",
        [ROSTER_EMPTY_MIXED] = "everybody eligible is on leave, unavailable, resting or already on duty on this day",
        [ROSTER_EMPTY_TOO_FEW_ELIGIBLE] = "too few eligible people for this count under the minimum rest: the shortfall is spread evenly; add people or lower the post's count",
};

static bool lang_is_en(const char *lang) {
        return lang && streq(lang, "en");
}

const char *roster_empty_reason_message(RosterEmptyReason r, const char *lang) {
        if (r < 0 || r >= _ROSTER_EMPTY_MAX)
                return NULL;
        return lang_is_en(lang) ? empty_reason_en[r] : empty_reason_zh[r];
}

static const char *const violation_zh[_ROSTER_VIOLATION_MAX] = {
        [ROSTER_VIOLATION_OUT_OF_RANGE] = "日期不在排班范围内",
        [ROSTER_VIOLATION_UNKNOWN_POST] = "岗位不存在",
        [ROSTER_VIOLATION_DUPLICATE_SLOT] = "同一岗位席位重复安排",
        [ROSTER_VIOLATION_UNKNOWN_PERSON] = "人员不存在",
        [ROSTER_VIOLATION_NOT_ELIGIBLE] = "人员不具备该岗位所需角色（或不属于岗位限定的分组）",
        [ROSTER_VIOLATION_INACTIVE] = "人员当日不在岗",
        [ROSTER_VIOLATION_ON_LEAVE] = "人员当日请假",
        [ROSTER_VIOLATION_UNAVAILABLE] = "人员当日已申报无法值班",
        [ROSTER_VIOLATION_SAME_DAY] = "人员同一值班日安排了两个岗位",
        [ROSTER_VIOLATION_REST] = "两次值班间隔不足规定休息天数",
        [ROSTER_VIOLATION_LOCKED] = "已锁定的安排被改动",
};

static const char *const violation_en[_ROSTER_VIOLATION_MAX] = {
        [ROSTER_VIOLATION_OUT_OF_RANGE] = "the day is outside the roster's range",
        [ROSTER_VIOLATION_UNKNOWN_POST] = "no such post",
        [ROSTER_VIOLATION_DUPLICATE_SLOT] = "the same slot is assigned twice",
        [ROSTER_VIOLATION_UNKNOWN_PERSON] = "no such person",
        [ROSTER_VIOLATION_NOT_ELIGIBLE] = "the person lacks the role (or the group) this post needs",
        [ROSTER_VIOLATION_INACTIVE] = "the person is not active on this day",
        [ROSTER_VIOLATION_ON_LEAVE] = "the person is on approved leave on this day",
        [ROSTER_VIOLATION_UNAVAILABLE] = "the person declared they are unavailable on this day",
        [ROSTER_VIOLATION_SAME_DAY] = "the person holds two posts on one duty day",
        [ROSTER_VIOLATION_REST] = "too little rest between two duties of the person",
        [ROSTER_VIOLATION_LOCKED] = "a locked assignment was changed",
};

const char *roster_violation_message(RosterViolationKind k, const char *lang) {
        if (k < 0 || k >= _ROSTER_VIOLATION_MAX)
                return NULL;
        return lang_is_en(lang) ? violation_en[k] : violation_zh[k];
}

/* ---- Days ---- */

int roster_day_classify(const Calendar *cal, Day day, bool assume_ordinary, RosterDay *ret) {
        const SpecialDay *special;
        RosterDay rd = {};
        DayType t;

        if (!cal || !ret)
                return -EINVAL;

        rd.type = t = calendar_day_type(cal, day);
        if (t == DAY_TYPE_UNKNOWN) {
                if (!assume_ordinary)
                        return -ENODATA;
                rd.assume_ordinary = true;
                t = day_is_weekend(day) ? DAY_TYPE_WEEKEND : DAY_TYPE_WORKDAY;
        }

        switch (t) {
        case DAY_TYPE_WORKDAY:
        case DAY_TYPE_MAKEUP_WORKDAY:
                rd.post_day = POST_DAY_WORKDAY;
                rd.category = FAIR_WORKDAY;
                break;
        case DAY_TYPE_WEEKEND:
                rd.post_day = POST_DAY_WEEKEND;
                rd.category = FAIR_WEEKEND;
                break;
        case DAY_TYPE_HOLIDAY:
                rd.post_day = POST_DAY_HOLIDAY;
                rd.category = FAIR_HOLIDAY;
                break;
        case DAY_TYPE_UNKNOWN:
        case _DAY_TYPE_MAX:
        case _DAY_TYPE_INVALID:
                return -EINVAL;
        }
        rd.weight = 1;

        /* A special day is a holiday for fairness, whatever the calendar calls it: 除夕 may be a
         * working day, and it weighs on whoever takes it like the holidays around it. */
        special = calendar_special_day(cal, day);
        if (special) {
                rd.category = FAIR_HOLIDAY;
                rd.weight = special->weight > 0 ? special->weight : 1;
                rd.special = special;
        }

        rd.sensitive = calendar_sensitive_at(cal, day) != NULL;
        rd.extra_officers = rd.sensitive ? calendar_extra_officers(cal, day, day) : 0;

        *ret = rd;
        return 0;
}

unsigned roster_post_count(const Post *post, const RosterDay *day) {
        uint64_t n;

        if (!post || !day || day->post_day < 0 || day->post_day >= _POST_DAY_MAX)
                return 0;

        n = post->count[day->post_day];
        if (day->sensitive) {
                if (post->count[POST_DAY_SENSITIVE] > n)
                        n = post->count[POST_DAY_SENSITIVE];
                if (post->role == ROLE_OFFICER)
                        n += day->extra_officers;
        }
        return n < ROSTER_SLOTS_MAX ? (unsigned) n : ROSTER_SLOTS_MAX;
}

static int strcmp_null(const char *a, const char *b) {
        if (!a || !b)
                return (a != NULL) - (b != NULL);
        return strcmp(a, b);
}

static ssize_t post_index(const Config *c, const char *id) {
        if (!id)
                return -1;
        for (size_t i = 0; i < c->n_posts; i++)
                if (c->posts[i].id && streq(c->posts[i].id, id))
                        return (ssize_t) i;
        return -1;
}

static bool role_is_valid(Role r) {
        return r >= 0 && r < _ROLE_MAX;
}

/* Whether a person may take a duty of `role` on day d: the one place that says who is eligible, for
 * the generator, its shares and statistics alike (DAY_NONE: on some day, whatever their dates). */
static bool person_eligible(const Person *person, Role role, Day d) {
        return person_has_role(person, role) && (d == DAY_NONE || person_is_active(person, d));
}

/* ---- Tie-breaking hash ---- */

static uint64_t splitmix64(uint64_t x) {
        x += UINT64_C(0x9e3779b97f4a7c15);
        x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
        x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
        return x ^ (x >> 31);
}

static uint64_t person_hash(uint64_t seed, const char *id) {
        uint64_t h = UINT64_C(0xcbf29ce484222325);

        for (const char *s = strempty(id); *s; s++) {
                h ^= (uint8_t) *s;
                h *= UINT64_C(0x100000001b3);
        }
        return splitmix64(h ^ splitmix64(seed));
}

/* ---- Generator state ---- */

typedef struct Heap {
        size_t *items;
        size_t n;
        size_t *pos;    /* per person: index in items, or HEAP_ABSENT */
} Heap;

typedef struct Gen {
        const RosterInput *in;
        const Config *config;
        size_t n_people;
        size_t n_days;          /* from … to */
        RosterDay *days;

        /* Flags of person p on day d at flags[p * span + (d - base)], base = from - rest. */
        Day base;
        size_t span;
        uint8_t *flags;

        uint64_t *load;         /* [p * _FAIR_MAX + c]: history, locked and generated duties */
        double *share;          /* [p * _FAIR_MAX + c]: the load expected of p so far (prorated) */
        uint64_t *range_load;   /* [p * _FAIR_MAX + c]: the part of load inside the range */
        /* Per role, the duties expected of one active person up to each day of the range:
         * rate_sum[r * (n_days + 1) + i] sums demand / active people over the days before from + i. */
        double *rate_sum;
        Day *last;              /* last duty before the day being planned; DAY_NONE: never */
        uint64_t *hash;
        Day *special_last;      /* on a special day: when p last had a special day of its name */

        /* What the heaps order by: (if use_special) the special day held longest ago, then load
         * minus share in `cat`, then (if use_last) the earliest last duty, then the hash. */
        FairnessCategory cat;
        bool use_last;
        bool use_special;

        /* The day being planned, per role: people needed, people active, and who is on duty so far
         * (for the pairs). */
        unsigned demand[_ROLE_MAX];
        size_t n_active[_ROLE_MAX];
        size_t chosen[_ROLE_MAX][ROSTER_PAIR_DEMAND_MAX];
        size_t n_chosen[_ROLE_MAX];
        /* First day of the current run of days a role cannot be covered fully (DAY_NONE: none). */
        Day short_run[_ROLE_MAX];
        Day short_last[_ROLE_MAX];      /* the last day of that run so far */

        /* How often two people were on duty together: open addressing, key 0 free. */
        uint64_t *pair_keys;
        uint32_t *pair_counts;
        size_t n_pairs, pair_cap;

        bool role_posted[_ROLE_MAX];
        Heap heaps[_ROLE_MAX];
        size_t *stash;

        /* Locked existing slots inside the range, sorted by day, post, slot. */
        size_t *locked;
        size_t n_locked;

        /* The output and, per slot, its person index (-1: empty or not configured), its post index
         * (-1: not configured) and whether the local search may move it. */
        RosterSlot *slots;
        ssize_t *slot_person;
        ssize_t *slot_post;
        bool *slot_movable;
        size_t n_slots;
        size_t n_alloc;
} Gen;

static void gen_done(Gen *g) {
        free(g->days);
        free(g->flags);
        free(g->load);
        free(g->share);
        free(g->range_load);
        free(g->rate_sum);
        free(g->last);
        free(g->hash);
        free(g->special_last);
        free(g->pair_keys);
        free(g->pair_counts);
        for (Role r = 0; r < _ROLE_MAX; r++) {
                free(g->heaps[r].items);
                free(g->heaps[r].pos);
        }
        free(g->stash);
        free(g->locked);
        free(g->slots);
        free(g->slot_person);
        free(g->slot_post);
        free(g->slot_movable);
}

static uint8_t *gen_flags(const Gen *g, size_t p, Day d) {
        return &g->flags[p * g->span + (size_t) (d - g->base)];
}

static bool gen_in_window(const Gen *g, Day d) {
        return d >= g->base && (int64_t) d < (int64_t) g->base + (int64_t) g->span;
}

/* Why person p cannot take a duty on day d (a day of the range), or ROSTER_EMPTY_NONE. */
static RosterEmptyReason gen_blocked(const Gen *g, size_t p, Day d) {
        const uint8_t *f = gen_flags(g, p, d);

        if (*f & FLAG_LEAVE)
                return ROSTER_EMPTY_ALL_ON_LEAVE;
        if (*f & FLAG_UNAVAILABLE)
                return ROSTER_EMPTY_ALL_UNAVAILABLE;
        if (*f & FLAG_DUTY)
                return ROSTER_EMPTY_ALL_BUSY;
        for (unsigned k = 1; k <= g->in->min_rest_days; k++)
                if ((f[-(ssize_t) k] & FLAG_DUTY) || (f[k] & FLAG_DUTY))
                        return ROSTER_EMPTY_ALL_RESTING;
        return ROSTER_EMPTY_NONE;
}

static uint64_t *gen_load(const Gen *g, size_t p, FairnessCategory c) {
        return &g->load[p * _FAIR_MAX + (size_t) c];
}

/* A duty inside the range: weighs in the load with history, and in the range's own load. */
static void gen_load_add(Gen *g, size_t p, FairnessCategory c, uint64_t w) {
        g->load[p * _FAIR_MAX + (size_t) c] += w;
        g->range_load[p * _FAIR_MAX + (size_t) c] += w;
}

static void gen_load_sub(Gen *g, size_t p, FairnessCategory c, uint64_t w) {
        g->load[p * _FAIR_MAX + (size_t) c] -= w;
        g->range_load[p * _FAIR_MAX + (size_t) c] -= w;
}

static uint64_t gen_range_load(const Gen *g, size_t p, FairnessCategory c) {
        return g->range_load[p * _FAIR_MAX + (size_t) c];
}

/* Load above what is expected of p: what fairness evens out. For people active on the same days
 * the shares are equal, bit for bit, and this orders them by load alone. */
static double gen_key(const Gen *g, size_t p, FairnessCategory c) {
        return (double) *gen_load(g, p, c) - g->share[p * _FAIR_MAX + (size_t) c];
}

/* ---- Pairs ---- */

static uint64_t pair_key(size_t a, size_t b) {
        if (a > b) {
                size_t t = a;
                a = b;
                b = t;
        }
        return splitmix64(((uint64_t) a << 32) ^ (uint64_t) b) | 1;
}

static size_t pair_slot(const Gen *g, uint64_t key) {
        size_t i = (size_t) (key >> 7) & (g->pair_cap - 1);

        while (g->pair_keys[i] != 0 && g->pair_keys[i] != key)
                i = (i + 1) & (g->pair_cap - 1);
        return i;
}

static unsigned pair_count(const Gen *g, size_t a, size_t b) {
        if (g->pair_cap == 0)
                return 0;
        return g->pair_counts[pair_slot(g, pair_key(a, b))];
}

static int pair_add(Gen *g, size_t a, size_t b) {
        uint64_t key = pair_key(a, b);
        size_t i;

        if (2 * (g->n_pairs + 1) > g->pair_cap) {
                size_t cap = g->pair_cap ? 2 * g->pair_cap : 256;
                uint64_t *keys = calloc(cap, sizeof(uint64_t));
                uint32_t *counts = calloc(cap, sizeof(uint32_t));
                uint64_t *old_keys = g->pair_keys;
                uint32_t *old_counts = g->pair_counts;
                size_t old_cap = g->pair_cap;

                if (!keys || !counts) {
                        free(keys);
                        free(counts);
                        return -ENOMEM;
                }
                g->pair_keys = keys;
                g->pair_counts = counts;
                g->pair_cap = cap;
                for (size_t k = 0; k < old_cap; k++)
                        if (old_keys[k] != 0) {
                                size_t j = pair_slot(g, old_keys[k]);

                                g->pair_keys[j] = old_keys[k];
                                g->pair_counts[j] = old_counts[k];
                        }
                free(old_keys);
                free(old_counts);
        }

        i = pair_slot(g, key);
        if (g->pair_keys[i] == 0) {
                g->pair_keys[i] = key;
                g->n_pairs++;
        }
        g->pair_counts[i]++;
        return 0;
}

/* How often p was on duty with the people of `role` already on duty today. */
static unsigned gen_pair_penalty(const Gen *g, Role role, size_t p) {
        unsigned n = 0;

        for (size_t i = 0; i < g->n_chosen[role]; i++)
                n += pair_count(g, p, g->chosen[role][i]);
        return n;
}

/* ---- Indexed binary min-heap over person indexes ---- */

static bool heap_less(const Gen *g, size_t a, size_t b) {
        double ka, kb;

        if (g->use_special && g->special_last[a] != g->special_last[b])
                return g->special_last[a] < g->special_last[b];
        ka = gen_key(g, a, g->cat);
        kb = gen_key(g, b, g->cat);
        if (ka != kb)
                return ka < kb;
        /* Even with the history, then even within the range: a year's own statistics stay even
         * when last year's left someone a duty ahead. */
        if (gen_range_load(g, a, g->cat) != gen_range_load(g, b, g->cat))
                return gen_range_load(g, a, g->cat) < gen_range_load(g, b, g->cat);
        if (g->use_last && g->last[a] != g->last[b])
                return g->last[a] < g->last[b];
        if (g->hash[a] != g->hash[b])
                return g->hash[a] < g->hash[b];
        return a < b;
}

static void heap_set(Heap *h, size_t i, size_t p) {
        h->items[i] = p;
        h->pos[p] = i;
}

static void heap_sift_up(const Gen *g, Heap *h, size_t i) {
        size_t p = h->items[i];

        while (i > 0) {
                size_t parent = (i - 1) / 2;

                if (!heap_less(g, p, h->items[parent]))
                        break;
                heap_set(h, i, h->items[parent]);
                i = parent;
        }
        heap_set(h, i, p);
}

static void heap_sift_down(const Gen *g, Heap *h, size_t i) {
        size_t p = h->items[i];

        for (;;) {
                size_t child = 2 * i + 1;

                if (child >= h->n)
                        break;
                if (child + 1 < h->n && heap_less(g, h->items[child + 1], h->items[child]))
                        child++;
                if (!heap_less(g, h->items[child], p))
                        break;
                heap_set(h, i, h->items[child]);
                i = child;
        }
        heap_set(h, i, p);
}

static void heap_push(const Gen *g, Heap *h, size_t p) {
        h->items[h->n] = p;
        h->pos[p] = h->n;
        heap_sift_up(g, h, h->n++);
}

static size_t heap_pop(const Gen *g, Heap *h) {
        size_t top = h->items[0];

        h->pos[top] = HEAP_ABSENT;
        if (--h->n > 0) {
                heap_set(h, 0, h->items[h->n]);
                heap_sift_down(g, h, 0);
        }
        return top;
}

/* After the key of p changed. */
static void heap_update(const Gen *g, Heap *h, size_t p) {
        size_t i = h->pos[p];

        if (i == HEAP_ABSENT)
                return;
        heap_sift_up(g, h, i);
        heap_sift_down(g, h, h->pos[p]);
}

static void heap_clear(Heap *h) {
        for (size_t i = 0; i < h->n; i++)
                h->pos[h->items[i]] = HEAP_ABSENT;
        h->n = 0;
}

/* Items already appended to items[0 … n-1]: restores the heap order in linear time. */
static void heap_heapify(const Gen *g, Heap *h) {
        for (size_t i = 0; i < h->n; i++)
                h->pos[h->items[i]] = i;
        for (size_t i = h->n / 2; i-- > 0;)
                heap_sift_down(g, h, i);
}

/* ---- Setup shared by generation and checking ---- */

static int input_validate(const RosterInput *in) {
        if (!in || !in->config || !in->calendar)
                return -EINVAL;
        if (in->from < day_from_ymd(DAY_MIN_YEAR, 1, 1) || in->to > day_from_ymd(DAY_MAX_YEAR, 12, 31) ||
            in->to < in->from)
                return -EINVAL;
        if ((int64_t) in->to - (int64_t) in->from + 1 > ROSTER_DAYS_MAX)
                return -ERANGE;
        if (in->min_rest_days > ROSTER_REST_DAYS_MAX)
                return -ERANGE;
        if ((in->n_existing > 0 && !in->existing) || (in->n_absences > 0 && !in->absences) ||
            (in->n_history > 0 && !in->history))
                return -EINVAL;
        if (in->config->n_people > 0 && !in->config->people)
                return -EINVAL;
        if (in->config->n_posts > 0 && !in->config->posts)
                return -EINVAL;

        for (size_t i = 0; i < in->n_existing; i++) {
                const RosterSlot *s = &in->existing[i];

                if (!s->post || s->day == DAY_NONE || s->slot < 0 || s->slot >= ROSTER_SLOTS_MAX)
                        return -EINVAL;
        }
        for (size_t i = 0; i < in->n_absences; i++) {
                const RosterAbsence *a = &in->absences[i];

                if (!a->person || a->from == DAY_NONE || a->to == DAY_NONE || a->to < a->from)
                        return -EINVAL;
                if (a->kind < 0 || a->kind >= _ROSTER_ABSENCE_MAX)
                        return -EINVAL;
        }
        return 0;
}

/* Validates the input, allocates the flags and marks absences and the duties of existing slots
 * outside the range. */
static int gen_setup(Gen *g, const RosterInput *in) {
        size_t cells;
        int r;

        r = input_validate(in);
        if (r < 0)
                return r;

        g->in = in;
        g->config = in->config;
        g->n_people = in->config->n_people;
        g->n_days = (size_t) ((int64_t) in->to - in->from + 1);
        g->base = in->from - (Day) in->min_rest_days;
        g->span = g->n_days + 2 * (size_t) in->min_rest_days;

        if (__builtin_mul_overflow(g->n_people, g->span, &cells))
                return -ENOMEM;
        g->flags = calloc(cells ?: 1, 1);
        if (!g->flags)
                return -ENOMEM;

        for (size_t i = 0; i < in->n_absences; i++) {
                const RosterAbsence *a = &in->absences[i];
                ssize_t p = config_person_index(g->config, a->person);
                int64_t lo, hi;

                if (p < 0)
                        continue;
                lo = a->from > g->base ? a->from : g->base;
                hi = (int64_t) a->to < (int64_t) g->base + (int64_t) g->span - 1 ?
                        (int64_t) a->to : (int64_t) g->base + (int64_t) g->span - 1;
                for (int64_t d = lo; d <= hi; d++)
                        *gen_flags(g, (size_t) p, (Day) d) |=
                                a->kind == ROSTER_ABSENCE_LEAVE ? FLAG_LEAVE : FLAG_UNAVAILABLE;
        }

        for (size_t i = 0; i < in->n_existing; i++) {
                const RosterSlot *s = &in->existing[i];
                ssize_t p;

                if (s->day >= in->from && s->day <= in->to)
                        continue;
                if (!gen_in_window(g, s->day))
                        continue;
                p = config_person_index(g->config, s->person);
                if (p >= 0)
                        *gen_flags(g, (size_t) p, s->day) |= FLAG_DUTY;
        }

        return 0;
}

static int gen_slot_append(Gen *g, const RosterSlot *s, ssize_t person, ssize_t post, bool movable) {
        if (g->n_slots >= g->n_alloc) {
                size_t n = g->n_alloc ? g->n_alloc * 2 : 64;
                void *p;

                p = realloc(g->slots, n * sizeof(RosterSlot));
                if (!p)
                        return -ENOMEM;
                g->slots = p;
                p = realloc(g->slot_person, n * sizeof(ssize_t));
                if (!p)
                        return -ENOMEM;
                g->slot_person = p;
                p = realloc(g->slot_post, n * sizeof(ssize_t));
                if (!p)
                        return -ENOMEM;
                g->slot_post = p;
                p = realloc(g->slot_movable, n * sizeof(bool));
                if (!p)
                        return -ENOMEM;
                g->slot_movable = p;
                g->n_alloc = n;
        }

        g->slots[g->n_slots] = *s;
        g->slot_person[g->n_slots] = person;
        g->slot_post[g->n_slots] = post;
        g->slot_movable[g->n_slots] = movable;
        g->n_slots++;
        return 0;
}

/* Orders locked slots by day, then post in configuration order (unconfigured posts last), then slot.
 * qsort has no context argument, so the keys are precomputed into this record. */
typedef struct LockedKey {
        Day day;
        size_t post;
        int slot;
        size_t index;
} LockedKey;

static int locked_key_compare(const void *a, const void *b) {
        const LockedKey *x = a, *y = b;

        if (x->day != y->day)
                return x->day < y->day ? -1 : 1;
        if (x->post != y->post)
                return x->post < y->post ? -1 : 1;
        if (x->slot != y->slot)
                return x->slot < y->slot ? -1 : 1;
        return (x->index > y->index) - (x->index < y->index);
}

static int gen_setup_locked(Gen *g) {
        const RosterInput *in = g->in;
        _cleanup_free_ LockedKey *keys = NULL;
        size_t n = 0;

        keys = calloc(in->n_existing ?: 1, sizeof(LockedKey));
        g->locked = calloc(in->n_existing ?: 1, sizeof(size_t));
        if (!keys || !g->locked)
                return -ENOMEM;

        for (size_t i = 0; i < in->n_existing; i++) {
                const RosterSlot *s = &in->existing[i];
                ssize_t post;

                if (!s->locked || s->day < in->from || s->day > in->to)
                        continue;
                post = post_index(g->config, s->post);
                keys[n++] = (LockedKey) {
                        .day = s->day,
                        .post = post >= 0 ? (size_t) post : g->config->n_posts,
                        .slot = s->slot,
                        .index = i,
                };
        }
        qsort(keys, n, sizeof(LockedKey), locked_key_compare);
        for (size_t i = 0; i < n; i++)
                g->locked[i] = keys[i].index;
        g->n_locked = n;

        /* A locked duty is a duty: it blocks its holder for the rest period around it and weighs
         * in their load from the start, so the greedy pass does not overload them before it. */
        for (size_t i = 0; i < n; i++) {
                const RosterSlot *s = &in->existing[g->locked[i]];
                const RosterDay *rd = &g->days[s->day - in->from];
                ssize_t p = config_person_index(g->config, s->person);

                if (p < 0)
                        continue;
                *gen_flags(g, (size_t) p, s->day) |= FLAG_DUTY;
                gen_load_add(g, (size_t) p, rd->category, rd->weight);
        }
        return 0;
}

static int gen_setup_people(Gen *g) {
        const RosterInput *in = g->in;
        const Config *c = g->config;

        g->load = calloc((g->n_people ?: 1) * _FAIR_MAX, sizeof(uint64_t));
        g->share = calloc((g->n_people ?: 1) * _FAIR_MAX, sizeof(double));
        g->range_load = calloc((g->n_people ?: 1) * _FAIR_MAX, sizeof(uint64_t));
        g->last = calloc(g->n_people ?: 1, sizeof(Day));
        g->hash = calloc(g->n_people ?: 1, sizeof(uint64_t));
        g->special_last = calloc(g->n_people ?: 1, sizeof(Day));
        g->stash = calloc(g->n_people ?: 1, sizeof(size_t));
        if (!g->load || !g->share || !g->range_load || !g->last || !g->hash || !g->special_last || !g->stash)
                return -ENOMEM;

        for (Role r = 0; r < _ROLE_MAX; r++)
                g->short_run[r] = g->short_last[r] = DAY_NONE;
        for (size_t p = 0; p < g->n_people; p++) {
                g->last[p] = DAY_NONE;
                g->special_last[p] = DAY_NONE;
                g->hash[p] = person_hash(in->seed, c->people[p].id);
        }

        for (size_t i = 0; i < in->n_history; i++) {
                const RosterHistory *h = &in->history[i];
                ssize_t p = config_person_index(g->config, h->person);

                if (p < 0)
                        continue;
                for (FairnessCategory k = 0; k < _FAIR_MAX; k++) {
                        *gen_load(g, (size_t) p, k) += h->load[k];
                        g->share[(size_t) p * _FAIR_MAX + k] += h->expected[k];
                }
                if (h->last_served != DAY_NONE && h->last_served < in->from && h->last_served > g->last[p])
                        g->last[p] = h->last_served;
        }

        for (size_t i = 0; i < in->n_existing; i++) {
                const RosterSlot *s = &in->existing[i];
                ssize_t p;

                if (s->day >= in->from)
                        continue;
                p = config_person_index(g->config, s->person);
                if (p >= 0 && s->day > g->last[p])
                        g->last[p] = s->day;
        }

        for (size_t i = 0; i < c->n_posts; i++) {
                if (!role_is_valid(c->posts[i].role) || !c->posts[i].id)
                        return -EINVAL;
                g->role_posted[c->posts[i].role] = true;
        }
        for (Role r = 0; r < _ROLE_MAX; r++) {
                if (!g->role_posted[r])
                        continue;
                g->heaps[r].items = calloc(g->n_people ?: 1, sizeof(size_t));
                g->heaps[r].pos = malloc((g->n_people ?: 1) * sizeof(size_t));
                if (!g->heaps[r].items || !g->heaps[r].pos)
                        return -ENOMEM;
                for (size_t p = 0; p < g->n_people; p++)
                        g->heaps[r].pos[p] = HEAP_ABSENT;
        }
        return 0;
}

/* Puts the people active on day d into their roles' heaps and adds to each their share of the
 * day's load: the role's demand times the day's weight, divided among the people of the role active
 * that day. Someone who joins or leaves halfway thus has a share of the days they were there and
 * is compared with that, neither catching up on a history they never had nor spared. */
static void gen_rebuild_heaps(Gen *g, Day d, const RosterDay *rd) {
        const Config *c = g->config;

        for (Role r = 0; r < _ROLE_MAX; r++) {
                Heap *h = &g->heaps[r];
                double add;

                if (!g->role_posted[r])
                        continue;
                heap_clear(h);
                for (size_t p = 0; p < g->n_people; p++)
                        if (person_eligible(&c->people[p], r, d))
                                h->items[h->n++] = p;
                g->n_active[r] = h->n;
                if (h->n > 0 && g->demand[r] > 0) {
                        add = (double) g->demand[r] * rd->weight / (double) h->n;
                        for (size_t i = 0; i < h->n; i++)
                                g->share[h->items[i] * _FAIR_MAX + rd->category] += add;
                }
                heap_heapify(g, h);
        }
}

static RosterEmptyReason reason_from_tally(const unsigned tally[static _ROSTER_EMPTY_MAX]) {
        RosterEmptyReason found = ROSTER_EMPTY_NO_ELIGIBLE;

        for (RosterEmptyReason r = 0; r < _ROSTER_EMPTY_MAX; r++) {
                if (tally[r] == 0)
                        continue;
                if (found != ROSTER_EMPTY_NO_ELIGIBLE)
                        return ROSTER_EMPTY_MIXED;
                found = r;
        }
        return found;
}

/* People of `role` needed on a day. */
static unsigned gen_role_demand(const Gen *g, const RosterDay *rd, Role role) {
        const Config *c = g->config;
        unsigned n = 0;

        for (size_t j = 0; j < c->n_posts; j++)
                if (c->posts[j].role == role)
                        n += roster_post_count(&c->posts[j], rd);
        return n;
}

/* Duties expected of one person of `role` over from+lo … from+hi-1 (clamped to the range). */
static double gen_expected_between(const Gen *g, Role role, int64_t lo, int64_t hi) {
        const double *sum = &g->rate_sum[(size_t) role * (g->n_days + 1)];

        lo = lo < 0 ? 0 : lo > (int64_t) g->n_days ? (int64_t) g->n_days : lo;
        hi = hi < 0 ? 0 : hi > (int64_t) g->n_days ? (int64_t) g->n_days : hi;
        return hi > lo ? sum[hi] - sum[lo] : 0;
}

/* Whether a duty of p (of `role`) on day d would give them more than ⌈expected⌉ + 1 duties in some
 * window of ROSTER_BURST_DAYS days around it. */
static bool gen_bursts(const Gen *g, size_t p, Role role, Day d) {
        int64_t i = (int64_t) d - g->in->from;
        unsigned have[2 * ROSTER_BURST_DAYS] = {};

        if (!g->rate_sum)
                return false;
        /* have[k]: duties of p on the days d-(BURST-1) … d-(BURST-1)+k-1. */
        for (int k = 0; k < 2 * ROSTER_BURST_DAYS - 1; k++) {
                Day e = d - (ROSTER_BURST_DAYS - 1) + k;

                have[k + 1] = have[k] + (e != d && gen_in_window(g, e) && (*gen_flags(g, p, e) & FLAG_DUTY) ? 1 : 0);
        }
        for (int s = 0; s < ROSTER_BURST_DAYS; s++) {
                int64_t lo = i - (ROSTER_BURST_DAYS - 1) + s;
                double expected = gen_expected_between(g, role, lo, lo + ROSTER_BURST_DAYS);
                unsigned n = have[s + ROSTER_BURST_DAYS] - have[s] + 1;

                /* Windows reaching outside the range are judged on their days inside it. */
                if (lo < 0 || lo + ROSTER_BURST_DAYS > (int64_t) g->n_days)
                        continue;
                if ((double) n > ceil(expected - 1e-9) + 1)
                        return true;
        }
        return false;
}

/* Per role and day of the range, the people the role's posts need divided by the people of the
 * role active that day, summed up (gen_expected_between()). */
static int gen_setup_rates(Gen *g) {
        const Config *c = g->config;
        const RosterInput *in = g->in;
        _cleanup_free_ int64_t *delta = NULL;

        g->rate_sum = calloc(_ROLE_MAX * (g->n_days + 1), sizeof(double));
        delta = calloc(g->n_days + 1, sizeof(int64_t));
        if (!g->rate_sum || !delta)
                return -ENOMEM;

        for (Role role = 0; role < _ROLE_MAX; role++) {
                double *sum = &g->rate_sum[(size_t) role * (g->n_days + 1)];
                int64_t active = 0;

                if (!g->role_posted[role])
                        continue;
                /* People active over a range of days: +1 where it starts, -1 after it ends. */
                memset(delta, 0, (g->n_days + 1) * sizeof(int64_t));
                for (size_t p = 0; p < g->n_people; p++) {
                        const Person *person = &c->people[p];
                        int64_t lo = 0, hi = (int64_t) g->n_days;

                        if (!person_eligible(person, role, DAY_NONE))
                                continue;
                        if (person->active_from != DAY_NONE && (int64_t) person->active_from - in->from > lo)
                                lo = (int64_t) person->active_from - in->from;
                        if (person->active_until != DAY_NONE && (int64_t) person->active_until - in->from + 1 < hi)
                                hi = (int64_t) person->active_until - in->from + 1;
                        if (lo >= hi)
                                continue;
                        delta[lo]++;
                        delta[hi]--;
                }
                for (size_t i = 0; i < g->n_days; i++) {
                        active += delta[i];
                        sum[i + 1] = sum[i] +
                                (active > 0 ? (double) gen_role_demand(g, &g->days[i], role) / (double) active : 0);
                }
        }
        return 0;
}

/* Whether a and the best candidate are equally good for the slot: the same rank in the special
 * day's rotation and less than one duty apart. */
static bool gen_equivalent(const Gen *g, size_t a, size_t best) {
        if (g->use_special && g->special_last[a] != g->special_last[best])
                return false;
        return gen_key(g, a, g->cat) < gen_key(g, best, g->cat) + 1.0 - 1e-9;
}

/* Picks the person for one slot of `post` on day d, records the duty, and returns the person's
 * index; or returns -1 with the reason nobody could take it. With `pairs`, among the candidates as
 * good as the best one the one least often on duty with today's people of the role is taken, so the
 * same two officers do not follow each other through the year. */
static ssize_t gen_pick(Gen *g, const Post *post, Day d, const RosterDay *rd, bool pairs, RosterEmptyReason *ret_reason) {
        unsigned tally[_ROSTER_EMPTY_MAX] = {};
        Role role = post->role;
        Heap *h = &g->heaps[role];
        size_t n_stash = 0, looked = 0;
        unsigned best_penalty = 0;
        ssize_t chosen = -1, bursting = -1;
        int r;

        while (h->n > 0) {
                size_t p = heap_pop(g, h);
                RosterEmptyReason why;
                unsigned penalty;

                g->stash[n_stash++] = p;
                /* The role's pool; a post restricted to a group takes only its members. */
                if (!config_person_may_hold(g->config, post, &g->config->people[p]))
                        continue;
                why = gen_blocked(g, p, d);
                if (chosen >= 0 && (++looked > ROSTER_PAIR_CANDIDATES_MAX || !gen_equivalent(g, p, (size_t) chosen)))
                        break;
                if (why != ROSTER_EMPTY_NONE) {
                        tally[why]++;
                        continue;
                }
                /* Someone who would have a burst of duties is taken only if nobody else can. */
                if (gen_bursts(g, p, role, d)) {
                        if (bursting < 0)
                                bursting = (ssize_t) p;
                        continue;
                }
                if (!pairs || g->n_chosen[role] == 0) {
                        chosen = (ssize_t) p;
                        break;
                }
                penalty = gen_pair_penalty(g, role, p);
                if (chosen < 0 || penalty < best_penalty) {
                        chosen = (ssize_t) p;
                        best_penalty = penalty;
                }
                if (best_penalty == 0)
                        break;
        }

        if (chosen < 0)
                chosen = bursting;
        if (chosen >= 0) {
                size_t p = (size_t) chosen;

                *gen_flags(g, p, d) |= FLAG_DUTY;
                gen_load_add(g, p, rd->category, rd->weight);
                g->last[p] = d;
                for (Role o = 0; o < _ROLE_MAX; o++)
                        if (o != role && g->role_posted[o])
                                heap_update(g, &g->heaps[o], p);
                if (pairs) {
                        for (size_t i = 0; i < g->n_chosen[role]; i++) {
                                r = pair_add(g, p, g->chosen[role][i]);
                                if (r < 0)
                                        pairs = false; /* out of memory: the pairs are a preference only */
                        }
                        if (g->n_chosen[role] < ROSTER_PAIR_DEMAND_MAX)
                                g->chosen[role][g->n_chosen[role]++] = p;
                }
        }

        for (size_t i = 0; i < n_stash; i++)
                heap_push(g, h, g->stash[i]);

        *ret_reason = chosen >= 0 ? ROSTER_EMPTY_NONE : reason_from_tally(tally);
        return chosen;
}

/* The configuration index of the post of the i-th locked slot; n_posts for a post no longer
 * configured. */
static size_t gen_locked_post(const Gen *g, size_t i) {
        ssize_t j = post_index(g->config, g->in->existing[g->locked[i]].post);

        return j >= 0 ? (size_t) j : g->config->n_posts;
}

/* Emits the locked slot at *cursor and skips any further locked slot with the same post and slot
 * number (the first one given wins). */
static int gen_emit_locked(Gen *g, size_t *cursor, size_t end, const Post *post, size_t j) {
        const RosterSlot *e = &g->in->existing[g->locked[*cursor]];
        RosterSlot out = *e;

        if (post)
                out.post = post->id;
        if (out.person)
                out.reason = ROSTER_EMPTY_NONE;

        for ((*cursor)++; *cursor < end; (*cursor)++) {
                const RosterSlot *next = &g->in->existing[g->locked[*cursor]];

                if (next->slot != e->slot || (!post && strcmp_null(next->post, e->post) != 0))
                        break;
        }

        return gen_slot_append(g, &out, config_person_index(g->config, e->person),
                               post ? (ssize_t) j : -1, false);
}

/* Whether a day within the rest period of d (inside the range) also needs more people of `role`
 * than n can cover under the rest rule: then d is part of a run that cannot be covered fully. */
static bool gen_short_nearby(const Gen *g, Day d, Role role, size_t n) {
        const RosterInput *in = g->in;
        unsigned rest = in->min_rest_days;

        for (int64_t e = (int64_t) d - rest; e <= (int64_t) d + rest; e++) {
                if (e == d || e < in->from || e > in->to)
                        continue;
                if ((uint64_t) gen_role_demand(g, &g->days[e - in->from], role) * (1 + rest) > n)
                        return true;
        }
        return false;
}

/* Most people of `role` to put on duty on day d. When the role's demand over a run of days is
 * more than its n people can cover with rest r between duties, at most n/(1+r) a day can serve on
 * average: the run is given ⌈n(k+1)/(1+r)⌉ − ⌈nk/(1+r)⌉ on its k-th day, so the shortfall falls
 * evenly on every day instead of a full day followed by an empty one. UINT_MAX: no limit. Sets
 * *ret_short when the day's demand cannot be met for want of people. */
static unsigned gen_day_cap(Gen *g, Day d, Role role, bool *ret_short) {
        unsigned rest = g->in->min_rest_days;
        size_t n = g->n_active[role];
        unsigned demand = g->demand[role];
        uint64_t k, q = 1 + (uint64_t) rest;

        *ret_short = n > 0 && demand > n;
        if (rest == 0 || n == 0 || (uint64_t) demand * q <= n || !gen_short_nearby(g, d, role, n))
                return UINT32_MAX;
        *ret_short = true;

        if (g->short_run[role] == DAY_NONE || g->short_last[role] != d - 1)
                g->short_run[role] = d;
        g->short_last[role] = d;
        k = (uint64_t) (d - g->short_run[role]);
        return (unsigned) ((n * (k + 1) + q - 1) / q - (n * k + q - 1) / q);
}

/* On a special day: when each person last had a special day of the same name, before the range
 * or earlier in it. */
static void gen_special_last(Gen *g, const SpecialDay *special) {
        const RosterInput *in = g->in;

        for (size_t p = 0; p < g->n_people; p++)
                g->special_last[p] = DAY_NONE;

        for (size_t i = 0; i < in->n_special_past; i++) {
                const RosterSlot *s = &in->special_past[i];
                const SpecialDay *sd;
                ssize_t p;

                if (s->day == DAY_NONE || s->day >= in->from)
                        continue;
                sd = calendar_special_day(in->calendar, s->day);
                if (!sd || strcmp_null(sd->name, special->name) != 0)
                        continue;
                p = config_person_index(g->config, s->person);
                if (p >= 0 && s->day > g->special_last[p])
                        g->special_last[p] = s->day;
        }
        for (size_t i = 0; i < g->n_slots; i++) {
                const RosterDay *rd = &g->days[g->slots[i].day - in->from];
                ssize_t p = g->slot_person[i];

                if (p < 0 || !rd->special || strcmp_null(rd->special->name, special->name) != 0)
                        continue;
                if (g->slots[i].day > g->special_last[p])
                        g->special_last[p] = g->slots[i].day;
        }
}

static int gen_day(Gen *g, Day d, size_t *locked_cursor) {
        const Config *c = g->config;
        const RosterInput *in = g->in;
        const RosterDay *rd = &g->days[d - in->from];
        size_t lbegin = *locked_cursor, lend = lbegin;
        unsigned cap[_ROLE_MAX], filled[_ROLE_MAX] = {};
        bool short_of[_ROLE_MAX] = {};
        int r;

        while (lend < g->n_locked && in->existing[g->locked[lend]].day == d)
                lend++;
        *locked_cursor = lend;

        for (size_t i = lbegin; i < lend; i++) {
                const RosterSlot *e = &in->existing[g->locked[i]];
                ssize_t p = config_person_index(g->config, e->person);
                ssize_t j = post_index(c, e->post);

                if (p < 0)
                        continue;
                g->last[p] = d;
                if (j >= 0)
                        filled[c->posts[j].role]++;
        }

        for (Role role = 0; role < _ROLE_MAX; role++) {
                g->demand[role] = g->role_posted[role] ? gen_role_demand(g, rd, role) : 0;
                g->n_chosen[role] = 0;
        }
        g->cat = rd->category;
        g->use_last = true;
        g->use_special = rd->special != NULL;
        if (g->use_special)
                gen_special_last(g, rd->special);
        gen_rebuild_heaps(g, d, rd);
        for (Role role = 0; role < _ROLE_MAX; role++)
                cap[role] = g->role_posted[role] ? gen_day_cap(g, d, role, &short_of[role]) : UINT32_MAX;

        for (size_t j = 0, li = lbegin; j <= c->n_posts; j++) {
                const Post *post = j < c->n_posts ? &c->posts[j] : NULL;
                unsigned count = post ? roster_post_count(post, rd) : 0;
                size_t lj = li, lj_end = li;

                while (lj_end < lend && gen_locked_post(g, lj_end) == j)
                        lj_end++;
                li = lj_end;

                for (unsigned s = 0; s < count; s++) {
                        RosterEmptyReason reason = ROSTER_EMPTY_TOO_FEW_ELIGIBLE;
                        Role role = post->role;
                        ssize_t p = -1;

                        if (lj < lj_end && in->existing[g->locked[lj]].slot == (int) s) {
                                r = gen_emit_locked(g, &lj, lj_end, post, j);
                                if (r < 0)
                                        return r;
                                continue;
                        }

                        if (filled[role] < cap[role]) {
                                p = gen_pick(g, post, d, rd,
                                             g->demand[role] >= 2 && g->demand[role] <= ROSTER_PAIR_DEMAND_MAX,
                                             &reason);
                                if (p >= 0)
                                        filled[role]++;
                                else if (short_of[role])
                                        reason = ROSTER_EMPTY_TOO_FEW_ELIGIBLE;
                        }
                        r = gen_slot_append(g, &(RosterSlot) {
                                                .day = d,
                                                .post = post->id,
                                                .slot = (int) s,
                                                .reason = reason,
                                                .assume_ordinary = rd->assume_ordinary,
                                        }, p, (ssize_t) j, true);
                        if (r < 0)
                                return r;
                }

                /* Locked slots beyond today's count (the count was lowered, or a post was removed
                 * from the configuration) are kept all the same. */
                while (lj < lj_end) {
                        r = gen_emit_locked(g, &lj, lj_end, post, j);
                        if (r < 0)
                                return r;
                }
        }
        g->use_special = false;
        return 0;
}

/* One pass of the local search over the slots of `role` in category `cat`. Returns the number of
 * duties moved. */
static size_t gen_improve_one(Gen *g, Role role, FairnessCategory cat) {
        const Config *c = g->config;
        const RosterInput *in = g->in;
        Heap *h = &g->heaps[role];
        size_t moved = 0;

        g->cat = cat;
        g->use_last = false;
        g->use_special = false;
        heap_clear(h);
        for (size_t p = 0; p < g->n_people; p++) {
                const Person *person = &c->people[p];

                if (!person_eligible(person, role, DAY_NONE))
                        continue;
                if (person->active_until != DAY_NONE && person->active_until < in->from)
                        continue;
                if (person->active_from != DAY_NONE && person->active_from > in->to)
                        continue;
                h->items[h->n++] = p;
        }
        heap_heapify(g, h);

        for (size_t i = 0; i < g->n_slots; i++) {
                const RosterSlot *s = &g->slots[i];
                const RosterDay *rd;
                ssize_t chosen = -1;
                size_t a, n_stash = 0;
                uint64_t ra;
                double ka;

                if (!g->slot_movable[i] || g->slot_person[i] < 0)
                        continue;
                if (c->posts[g->slot_post[i]].role != role)
                        continue;
                rd = &g->days[s->day - in->from];
                /* A special day's holder was chosen by the rotation; the other days even out
                 * around it. */
                if (rd->category != cat || rd->special)
                        continue;

                a = (size_t) g->slot_person[i];
                ka = gen_key(g, a, cat);
                ra = gen_range_load(g, a, cat);

                /* Only someone whose load stays below the giver's after taking the duty is worth
                 * asking, or, with the loads merely trading places, whose load within the range
                 * does: (load, range load) lexicographically, so every move lowers the sum of
                 * squares of the one or leaves it and lowers the other's. The heap yields them
                 * in that order. */
                while (h->n > 0 &&
                       (gen_key(g, h->items[0], cat) + rd->weight < ka ||
                        (gen_key(g, h->items[0], cat) + rd->weight == ka &&
                         gen_range_load(g, h->items[0], cat) + rd->weight < ra))) {
                        size_t b = heap_pop(g, h);

                        g->stash[n_stash++] = b;
                        if (person_is_active(&c->people[b], s->day) &&
                            config_person_may_hold(c, &c->posts[g->slot_post[i]], &c->people[b]) &&
                            gen_blocked(g, b, s->day) == ROSTER_EMPTY_NONE &&
                            !gen_bursts(g, b, role, s->day)) {
                                chosen = (ssize_t) b;
                                break;
                        }
                }

                if (chosen >= 0) {
                        size_t b = (size_t) chosen;

                        *gen_flags(g, a, s->day) &= (uint8_t) ~FLAG_DUTY;
                        *gen_flags(g, b, s->day) |= FLAG_DUTY;
                        gen_load_sub(g, a, cat, rd->weight);
                        gen_load_add(g, b, cat, rd->weight);
                        g->slot_person[i] = chosen;
                        heap_update(g, h, a);
                        moved++;
                }

                for (size_t k = 0; k < n_stash; k++)
                        heap_push(g, h, g->stash[k]);
        }
        return moved;
}

static void gen_improve(Gen *g) {
        for (unsigned pass = 0; pass < ROSTER_IMPROVE_PASSES_MAX; pass++) {
                size_t moved = 0;

                for (Role r = 0; r < _ROLE_MAX; r++) {
                        if (!g->role_posted[r])
                                continue;
                        for (FairnessCategory k = 0; k < _FAIR_MAX; k++)
                                if (k != FAIR_SPECIAL)
                                        moved += gen_improve_one(g, r, k);
                }
                if (moved == 0)
                        break;
        }
}

/* Moves can free someone next to a slot the greedy pass had to leave empty: fill such slots now,
 * and give every slot still empty the reason that holds in the final roster. */
static void gen_settle_empty(Gen *g) {
        const Config *c = g->config;
        const RosterInput *in = g->in;

        g->use_last = false;
        g->use_special = false;
        for (size_t i = 0; i < g->n_slots; i++) {
                unsigned tally[_ROSTER_EMPTY_MAX] = {};
                const RosterDay *rd;
                ssize_t chosen = -1;
                Day d;

                if (!g->slot_movable[i] || g->slot_person[i] >= 0)
                        continue;
                d = g->slots[i].day;
                rd = &g->days[d - in->from];
                g->cat = rd->category;

                for (size_t p = 0; p < g->n_people; p++) {
                        RosterEmptyReason why;

                        if (!person_eligible(&c->people[p], c->posts[g->slot_post[i]].role, d) ||
                            !config_person_may_hold(c, &c->posts[g->slot_post[i]], &c->people[p]))
                                continue;
                        why = gen_blocked(g, p, d);
                        if (why != ROSTER_EMPTY_NONE)
                                tally[why]++;
                        else if (chosen < 0 || heap_less(g, p, (size_t) chosen))
                                chosen = (ssize_t) p;
                }

                if (chosen >= 0) {
                        *gen_flags(g, (size_t) chosen, d) |= FLAG_DUTY;
                        gen_load_add(g, (size_t) chosen, rd->category, rd->weight);
                        g->slot_person[i] = chosen;
                        g->slots[i].reason = ROSTER_EMPTY_NONE;
                } else if (g->slots[i].reason != ROSTER_EMPTY_TOO_FEW_ELIGIBLE)
                        g->slots[i].reason = reason_from_tally(tally);
        }
}

static int gen_setup_days(Gen *g, Day *ret_unknown_day) {
        const RosterInput *in = g->in;

        g->days = calloc(g->n_days, sizeof(RosterDay));
        if (!g->days)
                return -ENOMEM;
        for (size_t i = 0; i < g->n_days; i++) {
                Day d = in->from + (Day) i;
                int r;

                r = roster_day_classify(in->calendar, d, in->assume_ordinary, &g->days[i]);
                if (r == -ENODATA) {
                        if (ret_unknown_day)
                                *ret_unknown_day = d;
                        return r;
                }
                if (r < 0)
                        return r;
        }
        return 0;
}

int roster_generate(const RosterInput *in, RosterSlot **ret_slots, size_t *ret_n, Day *ret_unknown_day) {
        _cleanup_(gen_done) Gen g = {};
        size_t locked_cursor = 0;
        int r;

        if (!ret_slots || !ret_n)
                return -EINVAL;

        r = gen_setup(&g, in);
        if (r < 0)
                return r;
        r = gen_setup_days(&g, ret_unknown_day);
        if (r < 0)
                return r;
        r = gen_setup_people(&g);
        if (r < 0)
                return r;
        r = gen_setup_locked(&g);
        if (r < 0)
                return r;
        r = gen_setup_rates(&g);
        if (r < 0)
                return r;

        for (Day d = in->from; d <= in->to; d++) {
                r = gen_day(&g, d, &locked_cursor);
                if (r < 0)
                        return r;
        }

        gen_improve(&g);
        gen_settle_empty(&g);

        for (size_t i = 0; i < g.n_slots; i++)
                if (g.slot_movable[i]) {
                        g.slots[i].person = g.slot_person[i] >= 0 ?
                                g.config->people[g.slot_person[i]].id : NULL;
                        if (g.slots[i].person)
                                g.slots[i].reason = ROSTER_EMPTY_NONE;
                }

        *ret_n = g.n_slots;
        *ret_slots = TAKE_PTR(g.slots);
        return 0;
}

/* ---- Checking ---- */

typedef struct Violations {
        RosterViolation *items;
        size_t n, n_alloc;
} Violations;

static int violations_add(Violations *v, RosterViolationKind kind, const RosterSlot *s, const char *person,
                          Day other_day) {
        if (v->n >= v->n_alloc) {
                size_t n = v->n_alloc ? v->n_alloc * 2 : 16;
                RosterViolation *p = realloc(v->items, n * sizeof(RosterViolation));

                if (!p)
                        return -ENOMEM;
                v->items = p;
                v->n_alloc = n;
        }
        v->items[v->n++] = (RosterViolation) {
                .kind = kind,
                .day = s->day,
                .post = s->post,
                .slot = s->slot,
                .person = person,
                .other_day = other_day,
        };
        return 0;
}

/* Orders duties by day, then post, then slot. */
static int day_post_slot_compare(Day x_day, const char *x_post, int x_slot, Day y_day, const char *y_post, int y_slot) {
        int k;

        if (x_day != y_day)
                return x_day < y_day ? -1 : 1;
        k = strcmp_null(x_post, y_post);
        if (k != 0)
                return k;
        return (x_slot > y_slot) - (x_slot < y_slot);
}

int roster_slot_compare(const RosterSlot *x, const RosterSlot *y) {
        return day_post_slot_compare(x->day, x->post, x->slot, y->day, y->post, y->slot);
}

static int slot_ptr_compare(const void *a, const void *b) {
        const RosterSlot *const *x = a, *const *y = b;
        int k = roster_slot_compare(*x, *y);

        if (k != 0)
                return k;
        return (*x > *y) - (*x < *y);
}

static int violation_compare(const void *a, const void *b) {
        const RosterViolation *x = a, *y = b;
        int k = day_post_slot_compare(x->day, x->post, x->slot, y->day, y->post, y->slot);

        if (k != 0)
                return k;
        if (x->kind != y->kind)
                return x->kind < y->kind ? -1 : 1;
        return (x->other_day > y->other_day) - (x->other_day < y->other_day);
}

/* One duty of a person: from the checked slots (slot set) or from an existing slot outside the
 * range (slot NULL). */
typedef struct Duty {
        size_t person;
        Day day;
        const RosterSlot *slot;
} Duty;

static int duty_compare(const void *a, const void *b) {
        const Duty *x = a, *y = b;

        if (x->person != y->person)
                return x->person < y->person ? -1 : 1;
        if (x->day != y->day)
                return x->day < y->day ? -1 : 1;
        /* Stored duties first, then checked slots in input order, so the later of two same-day
         * slots is the one reported. */
        if (!x->slot || !y->slot)
                return (x->slot != NULL) - (y->slot != NULL);
        return (x->slot > y->slot) - (x->slot < y->slot);
}

static int check_rest(const Gen *g, const RosterSlot *slots, size_t n, Violations *v) {
        const RosterInput *in = g->in;
        _cleanup_free_ Duty *duties = NULL;
        size_t n_duties = 0;
        int r;

        duties = calloc(n + in->n_existing + 1, sizeof(Duty));
        if (!duties)
                return -ENOMEM;

        for (size_t i = 0; i < n; i++) {
                ssize_t p;

                if (slots[i].day < in->from || slots[i].day > in->to)
                        continue;
                p = config_person_index(g->config, slots[i].person);
                if (p >= 0)
                        duties[n_duties++] = (Duty) { .person = (size_t) p, .day = slots[i].day, .slot = &slots[i] };
        }
        for (size_t i = 0; i < in->n_existing; i++) {
                const RosterSlot *s = &in->existing[i];
                ssize_t p;

                if ((s->day >= in->from && s->day <= in->to) || !gen_in_window(g, s->day))
                        continue;
                p = config_person_index(g->config, s->person);
                if (p >= 0)
                        duties[n_duties++] = (Duty) { .person = (size_t) p, .day = s->day };
        }
        qsort(duties, n_duties, sizeof(Duty), duty_compare);

        for (size_t j = 1; j < n_duties; j++)
                for (size_t k = j; k-- > 0;) {
                        const Duty *x = &duties[k], *y = &duties[j];
                        const Duty *at;

                        if (x->person != y->person || (int64_t) y->day - x->day > in->min_rest_days)
                                break;
                        /* Report on a checked slot; a pair of stored duties is not this roster's doing. */
                        at = y->slot ? y : x;
                        if (!at->slot)
                                continue;
                        r = violations_add(v, x->day == y->day ? ROSTER_VIOLATION_SAME_DAY : ROSTER_VIOLATION_REST,
                                           at->slot, at->slot->person, at == y ? x->day : y->day);
                        if (r < 0)
                                return r;
                }
        return 0;
}

/* Index of the first of the sorted slots whose (day, post, slot) is not below key's. */
static size_t sorted_lower_bound(RosterSlot *const *sorted, size_t n, const RosterSlot *key) {
        size_t lo = 0, hi = n;

        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;

                if (roster_slot_compare(sorted[mid], key) < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return lo;
}

static int check_locked(const Gen *g, RosterSlot *const *sorted, size_t n, Violations *v) {
        const RosterInput *in = g->in;
        int r;

        for (size_t i = 0; i < in->n_existing; i++) {
                const RosterSlot *e = &in->existing[i];
                bool kept = false;

                if (!e->locked || e->day < in->from || e->day > in->to)
                        continue;

                for (size_t k = sorted_lower_bound(sorted, n, e); k < n && roster_slot_compare(sorted[k], e) == 0; k++)
                        if (strcmp_null(sorted[k]->person, e->person) == 0) {
                                kept = true;
                                break;
                        }
                if (kept)
                        continue;
                r = violations_add(v, ROSTER_VIOLATION_LOCKED, e, e->person, DAY_NONE);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int check_slot(const Gen *g, const RosterSlot *s, Violations *v) {
        const RosterInput *in = g->in;
        const Person *person;
        ssize_t j, p;
        uint8_t f;
        int r;

        if (s->day == DAY_NONE || s->day < in->from || s->day > in->to)
                return violations_add(v, ROSTER_VIOLATION_OUT_OF_RANGE, s, s->person, DAY_NONE);

        j = post_index(g->config, s->post);
        if (j < 0) {
                r = violations_add(v, ROSTER_VIOLATION_UNKNOWN_POST, s, s->person, DAY_NONE);
                if (r < 0)
                        return r;
        }
        if (!s->person)
                return 0;

        p = config_person_index(g->config, s->person);
        if (p < 0)
                return violations_add(v, ROSTER_VIOLATION_UNKNOWN_PERSON, s, s->person, DAY_NONE);
        person = &g->config->people[p];

        if (j >= 0 && !config_person_may_hold(g->config, &g->config->posts[j], person)) {
                r = violations_add(v, ROSTER_VIOLATION_NOT_ELIGIBLE, s, s->person, DAY_NONE);
                if (r < 0)
                        return r;
        }
        if (!person_is_active(person, s->day)) {
                r = violations_add(v, ROSTER_VIOLATION_INACTIVE, s, s->person, DAY_NONE);
                if (r < 0)
                        return r;
        }
        f = *gen_flags(g, (size_t) p, s->day);
        if (f & FLAG_LEAVE) {
                r = violations_add(v, ROSTER_VIOLATION_ON_LEAVE, s, s->person, DAY_NONE);
                if (r < 0)
                        return r;
        }
        if (f & FLAG_UNAVAILABLE) {
                r = violations_add(v, ROSTER_VIOLATION_UNAVAILABLE, s, s->person, DAY_NONE);
                if (r < 0)
                        return r;
        }
        return 0;
}

int roster_check(const RosterInput *in, const RosterSlot *slots, size_t n,
                 RosterViolation **ret, size_t *ret_n) {
        _cleanup_(gen_done) Gen g = {};
        _cleanup_free_ RosterSlot **sorted = NULL;
        _cleanup_free_ RosterViolation *items = NULL;
        Violations v = {};
        int r;

        if (!ret || !ret_n || (n > 0 && !slots))
                return -EINVAL;
        r = gen_setup(&g, in);
        if (r < 0)
                return r;

        sorted = calloc(n ?: 1, sizeof(RosterSlot *));
        if (!sorted)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++)
                sorted[i] = (RosterSlot *) &slots[i];
        qsort(sorted, n, sizeof(RosterSlot *), slot_ptr_compare);

        /* From here on v.items is owned by items, so that every early return frees it. */
        for (size_t i = 0; i < n; i++) {
                r = check_slot(&g, &slots[i], &v);
                items = v.items;
                if (r < 0)
                        return r;
        }
        for (size_t i = 1; i < n; i++) {
                if (roster_slot_compare(sorted[i - 1], sorted[i]) != 0)
                        continue;
                r = violations_add(&v, ROSTER_VIOLATION_DUPLICATE_SLOT, sorted[i], sorted[i]->person, DAY_NONE);
                items = v.items;
                if (r < 0)
                        return r;
        }
        r = check_rest(&g, slots, n, &v);
        items = v.items;
        if (r < 0)
                return r;
        r = check_locked(&g, sorted, n, &v);
        items = v.items;
        if (r < 0)
                return r;

        if (v.n > 0)
                qsort(items, v.n, sizeof(RosterViolation), violation_compare);
        *ret_n = v.n;
        *ret = TAKE_PTR(items);
        return 0;
}

/* ---- History and statistics ---- */

/* What is expected of each person over from … to, given the filled slots: on each day, the load of
 * each role's filled slots divided among the people of the role active that day, added to
 * expected[p * _FAIR_MAX + category] (a special day also to FAIR_SPECIAL); active_days[p] (may be
 * NULL) counts the days p was active. */
static int expected_from_slots(const Config *c, const Calendar *cal, Day from, Day to, const RosterSlot *slots,
                               size_t n, double *expected, unsigned *active_days) {
        _cleanup_free_ uint64_t *role_load = NULL;
        _cleanup_free_ RosterDay *days = NULL;
        size_t n_days;
        int r;

        if (from == DAY_NONE || to == DAY_NONE || to < from)
                return 0;
        n_days = (size_t) ((int64_t) to - from + 1);
        role_load = calloc(n_days * _ROLE_MAX, sizeof(uint64_t));
        days = calloc(n_days, sizeof(RosterDay));
        if (!role_load || !days)
                return -ENOMEM;

        for (size_t i = 0; i < n_days; i++) {
                r = roster_day_classify(cal, from + (Day) i, true, &days[i]);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < n; i++) {
                ssize_t j;

                if (!slots[i].person || slots[i].day == DAY_NONE || slots[i].day < from || slots[i].day > to)
                        continue;
                j = post_index(c, slots[i].post);
                if (j < 0 || !role_is_valid(c->posts[j].role))
                        continue;
                role_load[(size_t) (slots[i].day - from) * _ROLE_MAX + c->posts[j].role] +=
                        days[slots[i].day - from].weight;
        }

        for (size_t i = 0; i < n_days; i++) {
                Day d = from + (Day) i;

                for (size_t p = 0; p < c->n_people; p++)
                        if (active_days && person_is_active(&c->people[p], d))
                                active_days[p]++;
                for (Role role = 0; role < _ROLE_MAX; role++) {
                        uint64_t load = role_load[i * _ROLE_MAX + role];
                        size_t members = 0;
                        double add;

                        if (load == 0)
                                continue;
                        for (size_t p = 0; p < c->n_people; p++)
                                if (person_eligible(&c->people[p], role, d))
                                        members++;
                        if (members == 0)
                                continue;
                        add = (double) load / (double) members;
                        for (size_t p = 0; p < c->n_people; p++) {
                                if (!person_eligible(&c->people[p], role, d))
                                        continue;
                                expected[p * _FAIR_MAX + days[i].category] += add;
                                if (days[i].special)
                                        expected[p * _FAIR_MAX + FAIR_SPECIAL] += add;
                        }
                }
        }
        return 0;
}

int roster_history_from_slots(const Config *c, const Calendar *cal, const RosterSlot *slots, size_t n,
                              RosterHistory **ret, size_t *ret_n) {
        _cleanup_free_ RosterHistory *h = NULL;
        Day lo = DAY_NONE, hi = DAY_NONE;
        int r;

        if (!c || !cal || !ret || !ret_n || (n > 0 && !slots))
                return -EINVAL;

        h = calloc(c->n_people ?: 1, sizeof(RosterHistory));
        if (!h)
                return -ENOMEM;
        for (size_t p = 0; p < c->n_people; p++)
                h[p] = (RosterHistory) { .person = c->people[p].id, .last_served = DAY_NONE };

        for (size_t i = 0; i < n; i++) {
                ssize_t p = config_person_index(c, slots[i].person);
                RosterDay rd;

                if (slots[i].day != DAY_NONE && (lo == DAY_NONE || slots[i].day < lo))
                        lo = slots[i].day;
                if (slots[i].day > hi)
                        hi = slots[i].day;
                if (p < 0 || slots[i].day == DAY_NONE)
                        continue;
                r = roster_day_classify(cal, slots[i].day, true, &rd);
                if (r < 0)
                        return r;
                h[p].load[rd.category] += rd.weight;
                if (rd.special)
                        h[p].load[FAIR_SPECIAL] += rd.weight;
                if (h[p].last_served == DAY_NONE || slots[i].day > h[p].last_served)
                        h[p].last_served = slots[i].day;
        }

        /* The expectation over the days the slots span: the history known, no more. */
        if (c->n_people > 0 && lo != DAY_NONE) {
                _cleanup_free_ double *expected = calloc(c->n_people * _FAIR_MAX, sizeof(double));

                if (!expected)
                        return -ENOMEM;
                r = expected_from_slots(c, cal, lo, hi, slots, n, expected, NULL);
                if (r < 0)
                        return r;
                for (size_t p = 0; p < c->n_people; p++)
                        for (FairnessCategory k = 0; k < _FAIR_MAX; k++)
                                h[p].expected[k] = expected[p * _FAIR_MAX + k];
        }

        *ret_n = c->n_people;
        *ret = TAKE_PTR(h);
        return 0;
}

RosterStats *roster_stats_free(RosterStats *s) {
        if (!s)
                return NULL;
        free(s->people);
        free(s);
        return NULL;
}

int roster_stats(const Config *c, const Calendar *cal, Day from, Day to, const RosterSlot *slots, size_t n,
                 RosterStats **ret) {
        _cleanup_(roster_stats_freep) RosterStats *st = NULL;
        int r;

        if (!c || !cal || !ret || (n > 0 && !slots) || from == DAY_NONE || to == DAY_NONE || to < from)
                return -EINVAL;

        st = calloc(1, sizeof(RosterStats));
        if (!st)
                return -ENOMEM;
        st->people = calloc(c->n_people ?: 1, sizeof(RosterPersonStats));
        if (!st->people)
                return -ENOMEM;
        st->n_people = c->n_people;
        for (size_t p = 0; p < c->n_people; p++)
                st->people[p] = (RosterPersonStats) {
                        .person = c->people[p].id,
                        /* Active ranges are intervals: active at both ends means active throughout. */
                        .full_range = person_is_active(&c->people[p], from) && person_is_active(&c->people[p], to),
                };

        for (size_t i = 0; i < n; i++) {
                const RosterSlot *s = &slots[i];
                RosterDay rd;
                ssize_t p;

                if (s->day == DAY_NONE || s->day < from || s->day > to)
                        continue;
                if (!s->person) {
                        st->empty++;
                        continue;
                }
                st->filled++;
                p = config_person_index(c, s->person);
                if (p < 0)
                        continue;
                r = roster_day_classify(cal, s->day, true, &rd);
                if (r < 0)
                        return r;
                st->people[p].count[rd.category]++;
                st->people[p].load[rd.category] += rd.weight;
                if (rd.special) {
                        st->people[p].count[FAIR_SPECIAL]++;
                        st->people[p].load[FAIR_SPECIAL] += rd.weight;
                }
                st->people[p].total++;
        }

        if (c->n_people > 0) {
                _cleanup_free_ double *expected = calloc(c->n_people * _FAIR_MAX, sizeof(double));
                _cleanup_free_ unsigned *active = calloc(c->n_people, sizeof(unsigned));

                if (!expected || !active)
                        return -ENOMEM;
                r = expected_from_slots(c, cal, from, to, slots, n, expected, active);
                if (r < 0)
                        return r;
                for (size_t p = 0; p < c->n_people; p++) {
                        for (FairnessCategory k = 0; k < _FAIR_MAX; k++)
                                st->people[p].expected[k] = expected[p * _FAIR_MAX + k];
                        st->people[p].active_days = active[p];
                }
        }

        for (size_t j = 0; j < c->n_posts; j++)
                if (role_is_valid(c->posts[j].role))
                        st->role_posted[c->posts[j].role] = true;

        for (Role role = 0; role < _ROLE_MAX; role++) {
                if (!st->role_posted[role])
                        continue;
                for (FairnessCategory k = 0; k < _FAIR_MAX; k++) {
                        unsigned lo = UINT32_MAX, hi = 0;
                        size_t members = 0;

                        for (size_t p = 0; p < c->n_people; p++) {
                                if (!st->people[p].full_range || !person_eligible(&c->people[p], role, DAY_NONE))
                                        continue;
                                members++;
                                if (st->people[p].load[k] < lo)
                                        lo = st->people[p].load[k];
                                if (st->people[p].load[k] > hi)
                                        hi = st->people[p].load[k];
                        }
                        st->spread[role][k] = members >= 2 ? hi - lo : 0;

                        double dlo = 0, dhi = 0;
                        members = 0;
                        for (size_t p = 0; p < c->n_people; p++) {
                                const RosterPersonStats *ps = &st->people[p];
                                double dev;

                                if (ps->active_days == 0 || !person_eligible(&c->people[p], role, DAY_NONE))
                                        continue;
                                dev = (double) ps->load[k] - ps->expected[k];
                                if (members == 0 || dev < dlo)
                                        dlo = dev;
                                if (members == 0 || dev > dhi)
                                        dhi = dev;
                                members++;
                        }
                        st->prorated_spread[role][k] = members >= 2 ? dhi - dlo : 0;
                }
        }

        *ret = TAKE_PTR(st);
        return 0;
}

/* ---- Feasibility ---- */

static int shortfall_add(RosterShortfall **items, size_t *n, const RosterShortfall *s) {
        RosterShortfall *p = realloc(*items, (*n + 1) * sizeof(RosterShortfall));

        if (!p)
                return -ENOMEM;
        p[(*n)++] = *s;
        *items = p;
        return 0;
}

/* People of `role` a day of this kind needs: the sum of the role's posts' counts. */
static unsigned role_demand(const Config *c, Role role, const RosterDay *rd) {
        unsigned n = 0;

        for (size_t j = 0; j < c->n_posts; j++)
                if (c->posts[j].role == role)
                        n += roster_post_count(&c->posts[j], rd);
        return n;
}

int roster_feasibility(const Config *c, RosterShortfall **ret, size_t *ret_n) {
        _cleanup_free_ RosterShortfall *items = NULL;
        unsigned rest;
        size_t n = 0;
        int r;

        if (!c || !ret || !ret_n || (c->n_posts > 0 && !c->posts) || (c->n_people > 0 && !c->people))
                return -EINVAL;
        rest = roster_rest_days(c);

        for (Role role = 0; role < _ROLE_MAX; role++) {
                unsigned eligible = 0;
                bool posted = false;

                for (size_t j = 0; j < c->n_posts; j++)
                        if (c->posts[j].role == role)
                                posted = true;
                if (!posted)
                        continue;
                for (size_t p = 0; p < c->n_people; p++)
                        if (person_eligible(&c->people[p], role, DAY_NONE))
                                eligible++;

                /* Each kind of day comes in runs (a week's workdays, a weekend, a holiday), and
                 * one sensitive period's days are a run too. */
                for (size_t i = 0; i <= POST_DAY_HOLIDAY + c->n_sensitive; i++) {
                        RosterDay rd = { .post_day = i <= POST_DAY_HOLIDAY ? (PostDayType) i : POST_DAY_WORKDAY };
                        RosterShortfall s = {
                                .role = role,
                                .day_type = rd.post_day,
                                .rest = rest,
                                .eligible = eligible,
                                .per_day = eligible / (1 + rest),
                        };

                        if (i <= POST_DAY_HOLIDAY)
                                s.needed = role_demand(c, role, &rd);
                        else {
                                const SensitivePeriod *sp = &c->sensitive[i - POST_DAY_HOLIDAY - 1];

                                rd.sensitive = true;
                                rd.extra_officers = sp->extra_officers;
                                /* The period's busiest kind of day. */
                                for (PostDayType t = 0; t <= POST_DAY_HOLIDAY; t++) {
                                        unsigned k;

                                        rd.post_day = t;
                                        k = role_demand(c, role, &rd);
                                        if (k > s.needed)
                                                s.needed = k;
                                }
                                s.day_type = POST_DAY_SENSITIVE;
                                s.period = sp->id;
                        }
                        if ((uint64_t) s.needed * (1 + rest) <= eligible)
                                continue;
                        r = shortfall_add(&items, &n, &s);
                        if (r < 0)
                                return r;
                }
        }

        *ret_n = n;
        *ret = TAKE_PTR(items);
        return 0;
}

char *roster_shortfall_format(const RosterShortfall *s, const char *lang) {
        static const char *const day_zh[_POST_DAY_MAX] = {
                [POST_DAY_WORKDAY] = "工作日",
                [POST_DAY_WEEKEND] = "周末",
                [POST_DAY_HOLIDAY] = "节假日",
                [POST_DAY_SENSITIVE] = "重要敏感时期",
        };
        static const char *const day_en[_POST_DAY_MAX] = {
                [POST_DAY_WORKDAY] = "workday",
                [POST_DAY_WEEKEND] = "weekend",
                [POST_DAY_HOLIDAY] = "holiday",
                [POST_DAY_SENSITIVE] = "sensitive period",
        };
        bool en = lang_is_en(lang), leader;
        char *text = NULL;
        int k;

        if (!s || s->day_type < 0 || s->day_type >= _POST_DAY_MAX || !role_is_valid(s->role))
                return NULL;
        leader = s->role == ROLE_LEADER;

        if (en)
                k = asprintf(&text,
                             "%s%s%s %s count %u needs %u×(1+%u)=%u eligible %ss per run of days "
                             "(one duty in every %u days each), only %u eligible: at most %u per day; "
                             "add people with the role or lower the post's count",
                             day_en[s->day_type], s->period ? " " : "", strempty(s->period),
                             role_to_string(s->role), s->needed, s->needed, s->rest,
                             s->needed * (1 + s->rest), role_to_string(s->role), 1 + s->rest,
                             s->eligible, s->per_day);
        else
                k = asprintf(&text,
                             "%s%s%s%s每天需要 %u 人：值班间隔休息 %u 天，每人每 %u 天最多值班一次，"
                             "连续多日需要 %u×(1+%u)=%u 名符合条件的人员，只有 %u 名：每天最多安排 %u 人；"
                             "请增加具备该角色的人员或调低岗位人数",
                             day_zh[s->day_type], s->period ? "「" : "", strempty(s->period),
                             s->period ? (leader ? "」带班领导" : "」值班员") : (leader ? "带班领导" : "值班员"),
                             s->needed, s->rest, 1 + s->rest, s->needed, s->rest,
                             s->needed * (1 + s->rest), s->eligible, s->per_day);
        return k < 0 ? NULL : text;
}
