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
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "roster.h"

/* Passes of the local search. Each pass looks at every movable slot once; in practice two or three
 * passes reach a state no single move improves. */
#define ROSTER_IMPROVE_PASSES_MAX 8

#define HEAP_ABSENT SIZE_MAX

enum {
        FLAG_DUTY = 1 << 0,
        FLAG_LEAVE = 1 << 1,
        FLAG_UNAVAILABLE = 1 << 2,
};

static const char *const empty_reason_table[_ROSTER_EMPTY_MAX] = {
        [ROSTER_EMPTY_NONE] = "none",
        [ROSTER_EMPTY_NO_ELIGIBLE] = "no_eligible",
        [ROSTER_EMPTY_ALL_ON_LEAVE] = "all_on_leave",
        [ROSTER_EMPTY_ALL_UNAVAILABLE] = "all_unavailable",
        [ROSTER_EMPTY_ALL_BUSY] = "all_busy",
        [ROSTER_EMPTY_ALL_RESTING] = "all_resting",
        [ROSTER_EMPTY_MIXED] = "mixed",
};

static const char *const empty_reason_zh[_ROSTER_EMPTY_MAX] = {
        [ROSTER_EMPTY_NONE] = "已安排",
        [ROSTER_EMPTY_NO_ELIGIBLE] = "当日没有符合该岗位条件的在职人员",
        [ROSTER_EMPTY_ALL_ON_LEAVE] = "符合条件的人员当日均在请假",
        [ROSTER_EMPTY_ALL_UNAVAILABLE] = "符合条件的人员当日均已申报无法值班",
        [ROSTER_EMPTY_ALL_BUSY] = "符合条件的人员当日均已在其他岗位值班",
        [ROSTER_EMPTY_ALL_RESTING] = "符合条件的人员均未满值班间隔休息天数",
        [ROSTER_EMPTY_MIXED] = "符合条件的人员当日均因请假、无法值班、休息或已有岗位而无法安排",
};

static const char *const empty_reason_en[_ROSTER_EMPTY_MAX] = {
        [ROSTER_EMPTY_NONE] = "filled",
        [ROSTER_EMPTY_NO_ELIGIBLE] = "nobody eligible for this post is active on this day",
        [ROSTER_EMPTY_ALL_ON_LEAVE] = "everybody eligible is on approved leave on this day",
        [ROSTER_EMPTY_ALL_UNAVAILABLE] = "everybody eligible has declared they are unavailable on this day",
        [ROSTER_EMPTY_ALL_BUSY] = "everybody eligible already holds another post on this day",
        [ROSTER_EMPTY_ALL_RESTING] = "everybody eligible is within the minimum rest after another duty",
        [ROSTER_EMPTY_MIXED] = "everybody eligible is on leave, unavailable, resting or already on duty on this day",
};

static bool lang_is_en(const char *lang) {
        return lang && streq(lang, "en");
}

const char *roster_empty_reason_to_string(RosterEmptyReason r) {
        if (r < 0 || r >= _ROSTER_EMPTY_MAX)
                return NULL;
        return empty_reason_table[r];
}

RosterEmptyReason roster_empty_reason_from_string(const char *s) {
        if (!s)
                return _ROSTER_EMPTY_INVALID;
        for (RosterEmptyReason r = 0; r < _ROSTER_EMPTY_MAX; r++)
                if (streq(empty_reason_table[r], s))
                        return r;
        return _ROSTER_EMPTY_INVALID;
}

const char *roster_empty_reason_message(RosterEmptyReason r, const char *lang) {
        if (r < 0 || r >= _ROSTER_EMPTY_MAX)
                return NULL;
        return lang_is_en(lang) ? empty_reason_en[r] : empty_reason_zh[r];
}

static const char *const absence_kind_table[_ROSTER_ABSENCE_MAX] = {
        [ROSTER_ABSENCE_LEAVE] = "leave",
        [ROSTER_ABSENCE_UNAVAILABLE] = "unavailable",
};

const char *roster_absence_kind_to_string(RosterAbsenceKind k) {
        if (k < 0 || k >= _ROSTER_ABSENCE_MAX)
                return NULL;
        return absence_kind_table[k];
}

static const char *const fairness_category_table[_FAIR_MAX] = {
        [FAIR_WORKDAY] = "workday",
        [FAIR_WEEKEND] = "weekend",
        [FAIR_HOLIDAY] = "holiday",
        [FAIR_SPECIAL] = "special",
};

const char *fairness_category_to_string(FairnessCategory c) {
        if (c < 0 || c >= _FAIR_MAX)
                return NULL;
        return fairness_category_table[c];
}

FairnessCategory fairness_category_from_string(const char *s) {
        if (!s)
                return _FAIR_INVALID;
        for (FairnessCategory c = 0; c < _FAIR_MAX; c++)
                if (streq(fairness_category_table[c], s))
                        return c;
        return _FAIR_INVALID;
}

static const char *const violation_table[_ROSTER_VIOLATION_MAX] = {
        [ROSTER_VIOLATION_OUT_OF_RANGE] = "out_of_range",
        [ROSTER_VIOLATION_UNKNOWN_POST] = "unknown_post",
        [ROSTER_VIOLATION_DUPLICATE_SLOT] = "duplicate_slot",
        [ROSTER_VIOLATION_UNKNOWN_PERSON] = "unknown_person",
        [ROSTER_VIOLATION_NOT_ELIGIBLE] = "not_eligible",
        [ROSTER_VIOLATION_INACTIVE] = "inactive",
        [ROSTER_VIOLATION_ON_LEAVE] = "on_leave",
        [ROSTER_VIOLATION_UNAVAILABLE] = "unavailable",
        [ROSTER_VIOLATION_SAME_DAY] = "same_day",
        [ROSTER_VIOLATION_REST] = "rest",
        [ROSTER_VIOLATION_LOCKED] = "locked",
};

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

const char *roster_violation_kind_to_string(RosterViolationKind k) {
        if (k < 0 || k >= _ROSTER_VIOLATION_MAX)
                return NULL;
        return violation_table[k];
}

RosterViolationKind roster_violation_kind_from_string(const char *s) {
        if (!s)
                return _ROSTER_VIOLATION_INVALID;
        for (RosterViolationKind k = 0; k < _ROSTER_VIOLATION_MAX; k++)
                if (streq(violation_table[k], s))
                        return k;
        return _ROSTER_VIOLATION_INVALID;
}

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

        special = calendar_special_day(cal, day);
        if (special) {
                rd.category = FAIR_SPECIAL;
                rd.weight = special->weight > 0 ? special->weight : 1;
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
        Day *last;              /* last duty before the day being planned; DAY_NONE: never */
        uint64_t *hash;

        /* What the heaps order by: load in `cat`, then (if use_last) the earliest last duty, then
         * the hash. */
        FairnessCategory cat;
        bool use_last;
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
        free(g->last);
        free(g->hash);
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

/* ---- Indexed binary min-heap over person indexes ---- */

static bool heap_less(const Gen *g, size_t a, size_t b) {
        uint64_t la = *gen_load(g, a, g->cat), lb = *gen_load(g, b, g->cat);

        if (la != lb)
                return la < lb;
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

/* Allocates the flags and marks absences and the duties of existing slots outside the range. */
static int gen_setup(Gen *g, const RosterInput *in) {
        size_t cells;

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
                *gen_load(g, (size_t) p, rd->category) += rd->weight;
        }
        return 0;
}

static int gen_setup_people(Gen *g) {
        const RosterInput *in = g->in;
        const Config *c = g->config;

        g->load = calloc((g->n_people ?: 1) * _FAIR_MAX, sizeof(uint64_t));
        g->last = calloc(g->n_people ?: 1, sizeof(Day));
        g->hash = calloc(g->n_people ?: 1, sizeof(uint64_t));
        g->stash = calloc(g->n_people ?: 1, sizeof(size_t));
        if (!g->load || !g->last || !g->hash || !g->stash)
                return -ENOMEM;

        for (size_t p = 0; p < g->n_people; p++) {
                g->last[p] = DAY_NONE;
                g->hash[p] = person_hash(in->seed, c->people[p].id);
        }

        for (size_t i = 0; i < in->n_history; i++) {
                const RosterHistory *h = &in->history[i];
                ssize_t p = config_person_index(g->config, h->person);

                if (p < 0)
                        continue;
                for (FairnessCategory k = 0; k < _FAIR_MAX; k++)
                        *gen_load(g, (size_t) p, k) += h->load[k];
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

/* Someone who joins halfway through the range starts level with the least loaded colleague of
 * their roles rather than at zero, or they would be given every duty until they caught up. */
static void gen_level_newcomers(Gen *g, Day d) {
        const Config *c = g->config;
        uint64_t floor[_ROLE_MAX][_FAIR_MAX];
        bool have_floor[_ROLE_MAX] = {}, any = false;

        for (size_t p = 0; p < g->n_people; p++)
                if (c->people[p].active_from == d) {
                        any = true;
                        break;
                }
        if (!any)
                return;

        for (size_t p = 0; p < g->n_people; p++) {
                const Person *person = &c->people[p];

                if (!person_is_active(person, d - 1) || !person_is_active(person, d))
                        continue;
                for (Role r = 0; r < _ROLE_MAX; r++) {
                        if (!g->role_posted[r] || !person_has_role(person, r))
                                continue;
                        for (FairnessCategory k = 0; k < _FAIR_MAX; k++)
                                if (!have_floor[r] || *gen_load(g, p, k) < floor[r][k])
                                        floor[r][k] = *gen_load(g, p, k);
                        have_floor[r] = true;
                }
        }

        for (size_t p = 0; p < g->n_people; p++) {
                if (c->people[p].active_from != d)
                        continue;
                /* Of several roles, the lightest pool sets the start: never above anyone's load. */
                for (FairnessCategory k = 0; k < _FAIR_MAX; k++) {
                        bool found = false;
                        uint64_t level = 0;

                        for (Role r = 0; r < _ROLE_MAX; r++)
                                if (have_floor[r] && person_has_role(&c->people[p], r) &&
                                    (!found || floor[r][k] < level)) {
                                        level = floor[r][k];
                                        found = true;
                                }
                        if (found && *gen_load(g, p, k) < level)
                                *gen_load(g, p, k) = level;
                }
        }
}

static void gen_rebuild_heaps(Gen *g, Day d) {
        const Config *c = g->config;

        for (Role r = 0; r < _ROLE_MAX; r++) {
                Heap *h = &g->heaps[r];

                if (!g->role_posted[r])
                        continue;
                heap_clear(h);
                for (size_t p = 0; p < g->n_people; p++)
                        if (person_has_role(&c->people[p], r) && person_is_active(&c->people[p], d))
                                h->items[h->n++] = p;
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

/* Picks the person for one slot of `post` on day d, records the duty, and returns the person's
 * index; or returns -1 with the reason nobody could take it. */
static ssize_t gen_pick(Gen *g, const Post *post, Day d, const RosterDay *rd, RosterEmptyReason *ret_reason) {
        unsigned tally[_ROSTER_EMPTY_MAX] = {};
        Role role = post->role;
        Heap *h = &g->heaps[role];
        size_t n_stash = 0;
        ssize_t chosen = -1;

        while (h->n > 0) {
                size_t p = heap_pop(g, h);
                RosterEmptyReason why;

                g->stash[n_stash++] = p;
                /* The role's pool; a post restricted to a group takes only its members. */
                if (!config_person_may_hold(g->config, post, &g->config->people[p]))
                        continue;
                why = gen_blocked(g, p, d);
                if (why == ROSTER_EMPTY_NONE) {
                        chosen = (ssize_t) p;
                        break;
                }
                tally[why]++;
        }

        if (chosen >= 0) {
                size_t p = (size_t) chosen;

                *gen_flags(g, p, d) |= FLAG_DUTY;
                *gen_load(g, p, rd->category) += rd->weight;
                g->last[p] = d;
                for (Role r = 0; r < _ROLE_MAX; r++)
                        if (r != role && g->role_posted[r])
                                heap_update(g, &g->heaps[r], p);
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

static int gen_day(Gen *g, Day d, size_t *locked_cursor) {
        const Config *c = g->config;
        const RosterInput *in = g->in;
        const RosterDay *rd = &g->days[d - in->from];
        size_t lbegin = *locked_cursor, lend = lbegin;
        int r;

        while (lend < g->n_locked && in->existing[g->locked[lend]].day == d)
                lend++;
        *locked_cursor = lend;

        for (size_t i = lbegin; i < lend; i++) {
                ssize_t p = config_person_index(g->config, in->existing[g->locked[i]].person);

                if (p >= 0)
                        g->last[p] = d;
        }

        if (d > in->from)
                gen_level_newcomers(g, d);
        g->cat = rd->category;
        g->use_last = true;
        gen_rebuild_heaps(g, d);

        for (size_t j = 0, li = lbegin; j <= c->n_posts; j++) {
                const Post *post = j < c->n_posts ? &c->posts[j] : NULL;
                unsigned count = post ? roster_post_count(post, rd) : 0;
                size_t lj = li, lj_end = li;

                while (lj_end < lend && gen_locked_post(g, lj_end) == j)
                        lj_end++;
                li = lj_end;

                for (unsigned s = 0; s < count; s++) {
                        RosterEmptyReason reason;
                        ssize_t p;

                        if (lj < lj_end && in->existing[g->locked[lj]].slot == (int) s) {
                                r = gen_emit_locked(g, &lj, lj_end, post, j);
                                if (r < 0)
                                        return r;
                                continue;
                        }

                        p = gen_pick(g, post, d, rd, &reason);
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
        heap_clear(h);
        for (size_t p = 0; p < g->n_people; p++) {
                const Person *person = &c->people[p];

                if (!person_has_role(person, role))
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
                uint64_t la;

                if (!g->slot_movable[i] || g->slot_person[i] < 0)
                        continue;
                if (c->posts[g->slot_post[i]].role != role)
                        continue;
                rd = &g->days[s->day - in->from];
                if (rd->category != cat)
                        continue;

                a = (size_t) g->slot_person[i];
                la = *gen_load(g, a, cat);

                /* Only someone whose load stays below the giver's after taking the duty is worth
                 * asking; the heap yields them lightest first. */
                while (h->n > 0 && *gen_load(g, h->items[0], cat) + rd->weight < la) {
                        size_t b = heap_pop(g, h);

                        g->stash[n_stash++] = b;
                        if (person_is_active(&c->people[b], s->day) &&
                            config_person_may_hold(c, &c->posts[g->slot_post[i]], &c->people[b]) &&
                            gen_blocked(g, b, s->day) == ROSTER_EMPTY_NONE) {
                                chosen = (ssize_t) b;
                                break;
                        }
                }

                if (chosen >= 0) {
                        size_t b = (size_t) chosen;

                        *gen_flags(g, a, s->day) &= (uint8_t) ~FLAG_DUTY;
                        *gen_flags(g, b, s->day) |= FLAG_DUTY;
                        *gen_load(g, a, cat) -= rd->weight;
                        *gen_load(g, b, cat) += rd->weight;
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

                        if (!config_person_may_hold(c, &c->posts[g->slot_post[i]], &c->people[p]) ||
                            !person_is_active(&c->people[p], d))
                                continue;
                        why = gen_blocked(g, p, d);
                        if (why != ROSTER_EMPTY_NONE)
                                tally[why]++;
                        else if (chosen < 0 || heap_less(g, p, (size_t) chosen))
                                chosen = (ssize_t) p;
                }

                if (chosen >= 0) {
                        *gen_flags(g, (size_t) chosen, d) |= FLAG_DUTY;
                        *gen_load(g, (size_t) chosen, rd->category) += rd->weight;
                        g->slot_person[i] = chosen;
                        g->slots[i].reason = ROSTER_EMPTY_NONE;
                } else
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
        r = input_validate(in);
        if (r < 0)
                return r;

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

static int slot_key_compare(const RosterSlot *x, const RosterSlot *y) {
        int k;

        if (x->day != y->day)
                return x->day < y->day ? -1 : 1;
        k = strcmp_null(x->post, y->post);
        if (k != 0)
                return k;
        return (x->slot > y->slot) - (x->slot < y->slot);
}

static int slot_ptr_compare(const void *a, const void *b) {
        const RosterSlot *const *x = a, *const *y = b;
        int k = slot_key_compare(*x, *y);

        if (k != 0)
                return k;
        return (*x > *y) - (*x < *y);
}

static int violation_compare(const void *a, const void *b) {
        const RosterViolation *x = a, *y = b;
        int k;

        if (x->day != y->day)
                return x->day < y->day ? -1 : 1;
        k = strcmp_null(x->post, y->post);
        if (k != 0)
                return k;
        if (x->slot != y->slot)
                return x->slot < y->slot ? -1 : 1;
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

                if (slot_key_compare(sorted[mid], key) < 0)
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

                for (size_t k = sorted_lower_bound(sorted, n, e); k < n && slot_key_compare(sorted[k], e) == 0; k++)
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
        r = input_validate(in);
        if (r < 0)
                return r;
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
                if (slot_key_compare(sorted[i - 1], sorted[i]) != 0)
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

int roster_history_from_slots(const Config *c, const Calendar *cal, const RosterSlot *slots, size_t n,
                              RosterHistory **ret, size_t *ret_n) {
        _cleanup_free_ RosterHistory *h = NULL;
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

                if (p < 0 || slots[i].day == DAY_NONE)
                        continue;
                r = roster_day_classify(cal, slots[i].day, true, &rd);
                if (r < 0)
                        return r;
                h[p].load[rd.category] += rd.weight;
                if (h[p].last_served == DAY_NONE || slots[i].day > h[p].last_served)
                        h[p].last_served = slots[i].day;
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
                st->people[p].total++;
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
                                if (!st->people[p].full_range || !person_has_role(&c->people[p], role))
                                        continue;
                                members++;
                                if (st->people[p].load[k] < lo)
                                        lo = st->people[p].load[k];
                                if (st->people[p].load[k] > hi)
                                        hi = st->people[p].load[k];
                        }
                        st->spread[role][k] = members >= 2 ? hi - lo : 0;
                }
        }

        *ret = TAKE_PTR(st);
        return 0;
}
