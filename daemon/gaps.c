/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#include "gaps.h"
#include "handover.h"
#include "rules.h"

/* Holiday runs looked at past the window's start; the deadlines pass in order, so the loop ends at
 * the first one still ahead, long before this. */
#define GAPS_HOLIDAY_RUNS_MAX 32

void gap_done(Gap *g) {
        if (!g)
                return;
        free(g->id);
        free(g->post);
        for (size_t i = 0; i < g->n_people; i++)
                free(g->people[i]);
        free(g->people);
        free(g->name);
        *g = (Gap) {};
}

Gap *gaps_free_many(Gap *g, size_t n) {
        if (!g)
                return NULL;
        for (size_t i = 0; i < n; i++)
                gap_done(&g[i]);
        free(g);
        return NULL;
}

GapUrgency gaps_urgency(Day today, int now_minutes, int handover_minutes, Day duty_day) {
        int64_t minutes;

        if (duty_day <= today)
                return GAP_URGENCY_CRIT;

        minutes = (int64_t) (duty_day - today) * MINUTES_PER_DAY + handover_minutes - now_minutes;
        if (minutes <= GAPS_CRIT_MINUTES)
                return GAP_URGENCY_CRIT;
        if (minutes <= GAPS_ERR_MINUTES)
                return GAP_URGENCY_ERR;
        if (minutes <= GAPS_WARNING_MINUTES)
                return GAP_URGENCY_WARNING;
        return GAP_URGENCY_NOTICE;
}

int gaps_minutes_to_next_boundary(int now_minutes, int handover_minutes) {
        /* Every duty starts at the handover, so the thresholds (7 days, 1 day, 1 hour before it, and
         * the local midnight of its day) all fall at these times of day. */
        const int boundaries[] = { 0, handover_minutes - GAPS_CRIT_MINUTES, handover_minutes };
        int best = MINUTES_PER_DAY;

        for (size_t i = 0; i < ELEMENTSOF(boundaries); i++) {
                int delta = ((boundaries[i] - now_minutes) % MINUTES_PER_DAY + MINUTES_PER_DAY) % MINUTES_PER_DAY;

                if (delta == 0)
                        delta = MINUTES_PER_DAY;
                if (delta < best)
                        best = delta;
        }
        return best;
}

/* ---- The computation ---- */

typedef struct Computer {
        const GapsInput *in;
        const Config *config;
        int handover;
        LeaveTime now;
        Day first, last;                /* the window, duty days */
        Day horizon_last;               /* the roster must exist up to here */

        const RosterSlot **slots;       /* the window's slots with a post, by day, post, slot */
        size_t n_slots;

        Gap *gaps;
        size_t n_gaps, allocated;
} Computer;

static void computer_done(Computer *c) {
        free(c->slots);
        gaps_free_many(c->gaps, c->n_gaps);
        *c = (Computer) {};
}

static int slot_compare(const void *a, const void *b) {
        return roster_slot_compare(*(const RosterSlot *const *) a, *(const RosterSlot *const *) b);
}

static GapUrgency computer_urgency(const Computer *c, Day duty_day) {
        return gaps_urgency(c->in->today, c->in->now_minutes, c->handover, duty_day);
}

/* Appends a gap with the fields every kind shares; the pointer is valid until the next call. */
_printf_(4, 5) static Gap *computer_add(Computer *c, GapKind kind, Day day, const char *id_format, ...) {
        va_list ap;
        char *id;
        int r;

        if (c->n_gaps >= c->allocated) {
                size_t n = c->allocated > 0 ? c->allocated * 2 : 16;
                Gap *a = reallocarray(c->gaps, n, sizeof(Gap));

                if (!a)
                        return NULL;
                c->gaps = a;
                c->allocated = n;
        }

        va_start(ap, id_format);
        r = vasprintf(&id, id_format, ap);
        va_end(ap);
        if (r < 0)
                return NULL;

        c->gaps[c->n_gaps] = (Gap) {
                .id = id,
                .kind = kind,
                .urgency = computer_urgency(c, day),
                .day = day,
                .until = DAY_NONE,
                .slot = -1,
                .ineligible = _GAP_INELIGIBLE_INVALID,
                .report = _DUTYLOG_REPORT_INVALID,
                .at_day = DAY_NONE,
        };
        return &c->gaps[c->n_gaps++];
}

static int gap_add_person(Gap *g, const char *person) {
        char **a, *p;

        if (!person)
                return 0;
        for (size_t i = 0; i < g->n_people; i++)
                if (streq(g->people[i], person))
                        return 0;

        p = strdup(person);
        if (!p)
                return -ENOMEM;
        a = reallocarray(g->people, g->n_people + 1, sizeof(char *));
        if (!a) {
                free(p);
                return -ENOMEM;
        }
        g->people = a;
        g->people[g->n_people++] = p;
        return 0;
}

static int gap_set_post(Gap *g, const char *post, int slot) {
        g->post = strdup(post);
        if (!g->post)
                return -ENOMEM;
        g->slot = slot;
        return 0;
}

static int computer_init(Computer *c, const GapsInput *in) {
        unsigned days = in->days > 0 ? in->days : in->config->roster.horizon_days;
        unsigned horizon = in->config->roster.horizon_days;

        *c = (Computer) {
                .in = in,
                .config = in->config,
                .handover = in->config->handover_minutes,
                .now = { .day = in->today, .minutes = in->now_minutes },
        };

        if (days == 0)
                days = 1;
        if (days > GAPS_DAYS_MAX)
                return -EINVAL;
        c->first = duty_day_of(in->today, in->now_minutes, c->handover);
        c->last = c->first + (Day) days - 1;
        c->horizon_last = horizon > 0 ? c->first + (Day) horizon - 1 : c->first - 1;
        if (c->horizon_last > c->last)
                c->horizon_last = c->last;

        if (in->n_slots > 0) {
                c->slots = calloc(in->n_slots, sizeof(RosterSlot *));
                if (!c->slots)
                        return -ENOMEM;
        }
        for (size_t i = 0; i < in->n_slots; i++) {
                const RosterSlot *s = &in->slots[i];

                if (s->post && s->day >= c->first && s->day <= c->last)
                        c->slots[c->n_slots++] = s;
        }
        if (c->n_slots > 1)
                qsort(c->slots, c->n_slots, sizeof(RosterSlot *), slot_compare);
        return 0;
}

/* The first slot of day d at or after *cursor, and the end of that day's slots. */
static size_t computer_day_end(const Computer *c, size_t begin, Day d) {
        size_t end = begin;

        while (end < c->n_slots && c->slots[end]->day == d)
                end++;
        return end;
}

/* An approved leave (in effect now) that takes the person away on duty day d, or NULL. */
static const Leave *computer_leave_on(const Computer *c, const char *person, Day d) {
        for (size_t i = 0; i < c->in->n_leaves; i++) {
                const Leave *l = &c->in->leaves[i];
                Day f, t;

                if (!l->person || !streq(l->person, person) ||
                    !leave_state_is_away(leave_effective_state(l, c->now)) ||
                    leave_duty_days(l, c->handover, &f, &t) < 0)
                        continue;
                if (d >= f && d <= t)
                        return l;
        }
        return NULL;
}

static const RosterAbsence *computer_absence_on(const Computer *c, const char *person, Day d) {
        for (size_t i = 0; i < c->in->n_absences; i++) {
                const RosterAbsence *a = &c->in->absences[i];

                if (a->person && streq(a->person, person) && d >= a->from && d <= a->to)
                        return a;
        }
        return NULL;
}

static int check_assignee(Computer *c, const Post *post, const RosterSlot *s) {
        char date[DAY_STRING_MAX];
        const Person *p = config_find_person(c->config, s->person);
        GapIneligible why = _GAP_INELIGIBLE_INVALID;
        const Leave *leave;
        Gap *g;

        day_format(s->day, date);

        if (!p)
                why = GAP_INELIGIBLE_UNKNOWN_PERSON;
        else if (!person_is_active(p, s->day))
                why = GAP_INELIGIBLE_INACTIVE;
        else if (!config_person_may_hold(c->config, post, p))
                why = GAP_INELIGIBLE_ROLE;

        if (why >= 0) {
                g = computer_add(c, GAP_INELIGIBLE, s->day, "%s:%s:%s:%d:%s", gap_kind_to_string(GAP_INELIGIBLE),
                                 date, post->id, s->slot, s->person);
                if (!g)
                        return -ENOMEM;
                g->ineligible = why;
                if (gap_set_post(g, post->id, s->slot) < 0)
                        return -ENOMEM;
                return gap_add_person(g, s->person);
        }

        leave = computer_leave_on(c, s->person, s->day);
        if (!leave && !computer_absence_on(c, s->person, s->day))
                return 0;

        g = computer_add(c, GAP_LEAVE_CONFLICT, s->day, "%s:%s:%s:%d:%s", gap_kind_to_string(GAP_LEAVE_CONFLICT),
                         date, post->id, s->slot, s->person);
        if (!g)
                return -ENOMEM;
        if (leave)
                g->leave_id = leave->id;
        else
                g->unavailable = true;
        if (gap_set_post(g, post->id, s->slot) < 0)
                return -ENOMEM;
        return gap_add_person(g, s->person);
}

static int computer_add_unfilled(Computer *c, Day d, const char *date, const Post *post, int slot) {
        Gap *g = computer_add(c, GAP_UNFILLED, d, "%s:%s:%s:%d", gap_kind_to_string(GAP_UNFILLED), date,
                              post->id, slot);

        if (!g || gap_set_post(g, post->id, slot) < 0)
                return -ENOMEM;
        return 0;
}

/* Posts without their person, and people who cannot hold the post they have. A day without any
 * slot has no roster at all: check_roster_missing() reports it instead. */
static int check_slots(Computer *c) {
        size_t begin = 0;
        int r;

        for (Day d = c->first; d <= c->last; d++) {
                char date[DAY_STRING_MAX];
                size_t end;
                bool assume = false;
                RosterDay rd;
                bool classified;

                while (begin < c->n_slots && c->slots[begin]->day < d)
                        begin++;
                end = computer_day_end(c, begin, d);
                if (begin == end)
                        continue;

                for (size_t i = begin; i < end; i++)
                        assume = assume || c->slots[i]->assume_ordinary;
                /* A day of an unknown year planned without assuming anything: only what is stored
                 * can be judged. */
                classified = roster_day_classify(c->in->calendar, d, assume, &rd) >= 0;
                day_format(d, date);

                for (size_t k = 0; k < c->config->n_posts; k++) {
                        const Post *post = &c->config->posts[k];
                        unsigned count = classified ? roster_post_count(post, &rd) : 0;

                        for (unsigned n = 0; n < count; n++) {
                                const RosterSlot *found = NULL;

                                for (size_t i = begin; i < end && !found; i++)
                                        if (streq(c->slots[i]->post, post->id) && c->slots[i]->slot == (int) n)
                                                found = c->slots[i];
                                if (found && found->person)
                                        continue;
                                r = computer_add_unfilled(c, d, date, post, (int) n);
                                if (r < 0)
                                        return r;
                        }
                        /* Without the day's type the count is unknown: the empty slots stored are
                         * the ones to fill. */
                        for (size_t i = begin; i < end && !classified; i++)
                                if (!c->slots[i]->person && streq(c->slots[i]->post, post->id)) {
                                        r = computer_add_unfilled(c, d, date, post, c->slots[i]->slot);
                                        if (r < 0)
                                                return r;
                                }

                        for (size_t i = begin; i < end; i++) {
                                const RosterSlot *s = c->slots[i];

                                if (!s->person || !streq(s->post, post->id))
                                        continue;
                                r = check_assignee(c, post, s);
                                if (r < 0)
                                        return r;
                        }
                }
                begin = end;
        }
        return 0;
}

static Gap *computer_find_rule_gap(Computer *c, const char *rule, Day d) {
        for (size_t i = 0; i < c->n_gaps; i++)
                if (c->gaps[i].kind == GAP_RULE && c->gaps[i].day == d && streq(c->gaps[i].rule, rule))
                        return &c->gaps[i];
        return NULL;
}

/* People in configuration order, so that the message does not depend on which leave was looked at
 * first. */
static void gap_sort_people(Gap *g, const Config *cfg) {
        for (size_t i = 1; i < g->n_people; i++)
                for (size_t j = i; j > 0 && config_person_index(cfg, g->people[j - 1]) >
                                            config_person_index(cfg, g->people[j]); j--) {
                        char *t = g->people[j];

                        g->people[j] = g->people[j - 1];
                        g->people[j - 1] = t;
                }
}

static int check_rule_violation(Computer *c, const RulesViolation *v) {
        char date[DAY_STRING_MAX];
        bool pair = streq(v->rule, RULES_NEVER_TOGETHER);
        int r;

        for (size_t k = 0; k < v->n_days; k++) {
                Day d = v->days[k];
                Gap *g;

                if (d < c->first || d > c->last)
                        continue;

                g = computer_find_rule_gap(c, v->rule, d);
                if (!g) {
                        g = computer_add(c, GAP_RULE, d, "%s:%s:%s", gap_kind_to_string(GAP_RULE), v->rule,
                                         day_format(d, date));
                        if (!g)
                                return -ENOMEM;
                        g->rule = pair ? RULES_NEVER_TOGETHER : RULES_MIN_LEADERS_PRESENT;
                }
                /* never_together names the pair away on each of its days; min_leaders_present
                 * names the applicant, away on each of its days, then others away on some of them:
                 * every leader away on d is the applicant of their own check. */
                for (size_t i = 0; i < (pair ? v->n_people : (v->n_people > 0 ? 1 : 0)); i++) {
                        r = gap_add_person(g, v->people[i]);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

/* The coverage rules are rules.c's: each approved leave is checked as if proposed against all the
 * others, and what never_together and min_leaders_present find on a day of the window is that
 * day's gap. */
static int check_rules(Computer *c) {
        const LeaveRules *rules = &c->config->leave;
        RulesContext ctx = {
                .config = c->config,
                .calendar = c->in->calendar,
                .rules = rules,
                .leaves = c->in->leaves,
                .n_leaves = c->in->n_leaves,
                .today = c->in->today,
                .now_minutes = c->in->now_minutes,
        };
        int r;

        if (rules->min_leaders_present == 0 && rules->n_never_together_groups == 0)
                return 0;

        for (size_t i = 0; i < c->in->n_leaves; i++) {
                const Leave *l = &c->in->leaves[i];
                RulesViolation *v = NULL;
                size_t n_v = 0;
                Day f, t;

                if (!leave_state_is_away(l->state) || leave_duty_days(l, c->handover, &f, &t) < 0 ||
                    t < c->first || f > c->last || !config_find_person(c->config, l->person))
                        continue;

                r = rules_check_leave(&ctx, l, &v, &n_v);
                if (r == -EINVAL)
                        continue;       /* a malformed record: nothing it could take away */
                if (r < 0)
                        return r;

                for (size_t k = 0; k < n_v && r >= 0; k++)
                        if (streq(v[k].rule, RULES_NEVER_TOGETHER) || streq(v[k].rule, RULES_MIN_LEADERS_PRESENT))
                                r = check_rule_violation(c, &v[k]);
                rules_violations_free(v, n_v);
                if (r < 0)
                        return r;
        }

        for (size_t i = 0; i < c->n_gaps; i++)
                if (c->gaps[i].kind == GAP_RULE)
                        gap_sort_people(&c->gaps[i], c->config);
        return 0;
}

static bool computer_has_roster(const Computer *c, Day d) {
        size_t lo = 0, hi = c->n_slots;

        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;

                if (c->slots[mid]->day < d)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return lo < c->n_slots && c->slots[lo]->day == d;
}

/* One gap per run of days without any slot, named by its first day. */
static int check_roster_missing(Computer *c) {
        char date[DAY_STRING_MAX];

        if (c->config->n_posts == 0)
                return 0;

        for (Day d = c->first; d <= c->horizon_last; d++) {
                Day end = d;
                Gap *g;

                if (computer_has_roster(c, d))
                        continue;
                while (end < c->horizon_last && !computer_has_roster(c, end + 1))
                        end++;

                g = computer_add(c, GAP_ROSTER_MISSING, d, "%s:%s", gap_kind_to_string(GAP_ROSTER_MISSING),
                                 day_format(d, date));
                if (!g)
                        return -ENOMEM;
                g->until = end;
                d = end;
        }
        return 0;
}

static int check_calendar_unknown(Computer *c) {
        Gap *g = NULL;

        for (Day d = c->first; d <= c->last; d++) {
                int year;

                if (calendar_day_type(c->in->calendar, d) != DAY_TYPE_UNKNOWN)
                        continue;
                year = day_year(d);
                if (g && g->year == year) {
                        g->until = d;
                        continue;
                }
                g = computer_add(c, GAP_CALENDAR_UNKNOWN, d, "%s:%d", gap_kind_to_string(GAP_CALENDAR_UNKNOWN), year);
                if (!g)
                        return -ENOMEM;
                g->year = year;
                g->until = d;
        }
        return 0;
}

static bool computer_published(const Computer *c, Day from, Day to) {
        for (Day d = from; d <= to; d++) {
                bool covered = false;

                for (size_t i = 0; i < c->in->n_publications && !covered; i++)
                        covered = c->in->publications[i].from <= d && c->in->publications[i].to >= d;
                if (!covered)
                        return false;
        }
        return true;
}

/* A run belongs to the year of its last holiday, as calendar_find_holiday_run() names it. */
static int holiday_run_year(const Calendar *cal, const HolidayRun *run) {
        for (Day d = run->to; d >= run->from; d--)
                if (calendar_day_type(cal, d) == DAY_TYPE_HOLIDAY)
                        return day_year(d);
        return day_year(run->to);
}

/* From its deadline (publish_days_before days before its first day) until it is over, a holiday's
 * duty period must be covered by publications. */
static int check_holidays(Computer *c) {
        const Calendar *cal = c->in->calendar;
        Day after = c->first, deadline;
        HolidayRun run;

        for (unsigned k = 0; k < GAPS_HOLIDAY_RUNS_MAX; k++) {
                const char *name;
                Gap *g;
                int year;

                if (calendar_next_holiday_run(cal, after, &run) < 0)
                        break;
                deadline = run.from - (Day) c->config->roster.publish_days_before;
                if (deadline > c->in->today)
                        break;
                after = run.to + 1;
                if (computer_published(c, run.from, run.to))
                        continue;

                name = isempty(run.name) ? "holiday" : run.name;
                year = holiday_run_year(cal, &run);
                g = computer_add(c, GAP_HOLIDAY_UNPUBLISHED, run.from, "%s:%d-%s",
                                 gap_kind_to_string(GAP_HOLIDAY_UNPUBLISHED), year, name);
                if (!g)
                        return -ENOMEM;
                g->until = run.to;
                g->year = year;
                g->name = strdup(name);
                if (!g->name)
                        return -ENOMEM;
        }
        return 0;
}

/* The person's first duty in the window, or DAY_NONE. */
static Day computer_next_duty(const Computer *c, const char *person) {
        for (size_t i = 0; i < c->n_slots; i++)
                if (c->slots[i]->person && streq(c->slots[i]->person, person))
                        return c->slots[i]->day;
        return DAY_NONE;
}

static int check_leaves(Computer *c) {
        int r;

        for (size_t i = 0; i < c->in->n_leaves; i++) {
                const Leave *l = &c->in->leaves[i];
                Gap *g;

                if (!l->person || l->id <= 0)
                        continue;

                if (leave_effective_state(l, c->now) == LEAVE_STATE_OVERDUE) {
                        Day next = computer_next_duty(c, l->person);

                        g = computer_add(c, GAP_LEAVE_OVERDUE, l->end.day, "%s:%" PRIi64,
                                         gap_kind_to_string(GAP_LEAVE_OVERDUE), l->id);
                        if (!g)
                                return -ENOMEM;
                        /* Nobody knows whether the person is back: as urgent as their next duty. */
                        g->urgency = next != DAY_NONE ? computer_urgency(c, next) : GAP_URGENCY_WARNING;
                        g->leave_id = l->id;
                        g->due = l->end;
                        r = gap_add_person(g, l->person);
                        if (r < 0)
                                return r;
                }

                if (leave_paperwork_overdue(l, c->in->today)) {
                        g = computer_add(c, GAP_PAPERWORK_OVERDUE, l->paperwork_due, "%s:%" PRIi64,
                                         gap_kind_to_string(GAP_PAPERWORK_OVERDUE), l->id);
                        if (!g)
                                return -ENOMEM;
                        /* Paperwork threatens no duty. */
                        g->urgency = GAP_URGENCY_NOTICE;
                        g->leave_id = l->id;
                        r = gap_add_person(g, l->person);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

static int check_swaps(Computer *c) {
        int r;

        for (size_t i = 0; i < c->in->n_swaps; i++) {
                const GapsSwap *s = &c->in->swaps[i];
                int64_t left;
                Gap *g;

                if (s->id <= 0 || !s->post || s->day < c->first || s->day > c->last)
                        continue;
                left = (int64_t) (s->deadline_day - c->in->today) * MINUTES_PER_DAY +
                       s->deadline_minutes - c->in->now_minutes;
                /* Past its deadline the swap has expired: nothing is waiting any more. */
                if (left <= 0 || left > GAPS_SWAP_MARGIN_MINUTES)
                        continue;

                g = computer_add(c, GAP_SWAP_PENDING, s->day, "%s:%" PRIi64, gap_kind_to_string(GAP_SWAP_PENDING), s->id);
                if (!g || gap_set_post(g, s->post, s->slot) < 0)
                        return -ENOMEM;
                g->swap_id = s->id;
                g->due = (LeaveTime) { .day = s->deadline_day, .minutes = s->deadline_minutes };
                r = gap_add_person(g, s->requester);
                if (r >= 0)
                        r = gap_add_person(g, s->counterpart);
                if (r < 0)
                        return r;
        }
        return 0;
}

static bool computer_has_acting_gap(const Computer *c, Day d, const char *principal) {
        for (size_t i = 0; i < c->n_gaps; i++)
                if (c->gaps[i].kind == GAP_ACTING_UNCOVERED && c->gaps[i].day == d &&
                    c->gaps[i].n_people > 0 && streq(c->gaps[i].people[0], principal))
                        return true;
        return false;
}

/* A principal's approved leave names who acts (代为主持工作); on a day that person is away too (their
 * leave approved before the rule existed, or when the rules were different) or out of office or no
 * longer configured, nobody acts: each such day of the window is a gap, named by the principal and
 * the day, once however many of the principal's records meet it. */
static int check_acting(Computer *c) {
        char date[DAY_STRING_MAX];
        int r;

        for (size_t i = 0; i < c->in->n_leaves; i++) {
                const Leave *l = &c->in->leaves[i];
                const Person *acting;
                Day f, t;

                if (!l->person || isempty(l->acting) || streq(l->acting, l->person) ||
                    !leave_state_is_away(leave_effective_state(l, c->now)) ||
                    leave_duty_days(l, c->handover, &f, &t) < 0)
                        continue;
                acting = config_find_person(c->config, l->acting);

                for (Day d = f > c->first ? f : c->first; d <= t && d <= c->last; d++) {
                        Gap *g;

                        if ((acting && person_is_active(acting, d) && !computer_leave_on(c, l->acting, d)) ||
                            computer_has_acting_gap(c, d, l->person))
                                continue;

                        g = computer_add(c, GAP_ACTING_UNCOVERED, d, "%s:%s:%s",
                                         gap_kind_to_string(GAP_ACTING_UNCOVERED), day_format(d, date), l->person);
                        if (!g)
                                return -ENOMEM;
                        g->rule = RULES_ACTING_AWAY;
                        g->leave_id = l->id;
                        r = gap_add_person(g, l->person);
                        if (r >= 0)
                                r = gap_add_person(g, l->acting);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

static bool computer_taken_over(const Computer *c, Day d, const char *post) {
        for (size_t i = 0; i < c->in->n_takeovers; i++)
                if (c->in->takeovers[i].day == d && c->in->takeovers[i].post && streq(c->in->takeovers[i].post, post))
                        return true;
        return false;
}

/* Adds to g the people holding posts of role `role` on day d (but g's own post), in slot order. */
static int gap_add_holders(Computer *c, Gap *g, Day d, Role role) {
        for (size_t i = 0; i < c->n_slots; i++) {
                const RosterSlot *s = c->slots[i];
                const Post *p;
                int r;

                if (s->day != d || !s->person || streq(s->post, g->post))
                        continue;
                p = config_find_post(c->config, s->post);
                if (!p || p->role != role)
                        continue;
                r = gap_add_person(g, s->person);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* A post of the duty day running now that has people on it and that none of them has taken over,
 * takeover_minutes after the handover: one gap per post, its people due first, then (as the step
 * grows) the leader on call and the administrators. The outgoing duty stays on meanwhile. */
static int check_takeovers(Computer *c) {
        unsigned minutes = handover_takeover_minutes(c->config->takeover_minutes);
        char date[DAY_STRING_MAX];
        Day d = c->first;
        int64_t since;
        int step, r;

        if (!c->in->watch_takeovers || d < c->in->takeover_from)
                return 0;
        since = handover_minutes_since(d, c->handover, c->in->today, c->in->now_minutes);
        step = handover_step(since, minutes);
        if (step < 0)
                return 0;

        for (size_t i = 0; i < c->config->n_posts; i++) {
                const Post *post = &c->config->posts[i];
                Gap *g = NULL;

                if (computer_taken_over(c, d, post->id))
                        continue;
                for (size_t j = 0; j < c->n_slots; j++) {
                        const RosterSlot *s = c->slots[j];

                        if (s->day != d || !s->person || !streq(s->post, post->id))
                                continue;
                        if (!g) {
                                g = computer_add(c, GAP_TAKEOVER_MISSING, d, "%s:%s:%s",
                                                 gap_kind_to_string(GAP_TAKEOVER_MISSING), day_format(d, date), post->id);
                                if (!g || gap_set_post(g, post->id, -1) < 0)
                                        return -ENOMEM;
                                g->urgency = GAP_URGENCY_CRIT;
                                g->step = step;
                                g->since = since;
                        }
                        r = gap_add_person(g, s->person);
                        if (r < 0)
                                return r;
                }
                if (!g)
                        continue;
                g->n_due = g->n_people;

                if (handover_step_audience(step) >= HANDOVER_AUDIENCE_LEADER) {
                        r = gap_add_holders(c, g, d, ROLE_LEADER);
                        if (r < 0)
                                return r;
                }
                if (handover_step_audience(step) >= HANDOVER_AUDIENCE_ADMINS)
                        for (size_t k = 0; k < c->config->n_people; k++) {
                                const Person *p = &c->config->people[k];

                                if (!person_has_role(p, ROLE_ADMIN) || !person_is_active(p, d))
                                        continue;
                                r = gap_add_person(g, p->id);
                                if (r < 0)
                                        return r;
                        }
        }
        return 0;
}

/* Reports overdue (信息报送, 零报告): the duty is running late on them now, whatever day they
 * belong to, until they are recorded as sent. */
static int check_reports(Computer *c) {
        char date[DAY_STRING_MAX];

        for (size_t i = 0; i < c->in->n_reports; i++) {
                const GapsReport *rep = &c->in->reports[i];
                Gap *g;

                if (rep->log_id > 0) {
                        const char *what = dutylog_report_to_string(rep->report);

                        if (!what)
                                return -EINVAL;
                        g = computer_add(c, GAP_REPORT_OVERDUE, rep->day, "%s:%" PRIi64 ":%s",
                                         gap_kind_to_string(GAP_REPORT_OVERDUE), rep->log_id, what);
                        if (!g)
                                return -ENOMEM;
                        g->log_id = rep->log_id;
                        g->report = rep->report;
                        if (gap_add_person(g, rep->person) < 0)
                                return -ENOMEM;
                } else {
                        g = computer_add(c, GAP_DAILY_REPORT_MISSING, rep->day, "%s:%s",
                                         gap_kind_to_string(GAP_DAILY_REPORT_MISSING), day_format(rep->day, date));
                        if (!g)
                                return -ENOMEM;
                }
                g->urgency = GAP_URGENCY_CRIT;
                g->since = rep->overdue;
        }
        return 0;
}

/* Presence checks of the duty running now that nobody confirmed: recorded as missed, they stay
 * gaps until the duty ends, with the people on duty that day. */
static int check_presence(Computer *c) {
        for (size_t i = 0; i < c->in->n_presence_misses; i++) {
                const GapsPresenceMiss *pm = &c->in->presence_misses[i];
                Gap *g;
                int r;

                if (pm->duty_day != c->first)
                        continue;
                g = computer_add(c, GAP_PRESENCE_MISSED, pm->duty_day, "%s:%" PRIi64,
                                 gap_kind_to_string(GAP_PRESENCE_MISSED), pm->id);
                if (!g)
                        return -ENOMEM;
                g->urgency = GAP_URGENCY_CRIT;
                g->check_id = pm->id;
                g->at_day = pm->day;
                g->at_minutes = pm->minutes;
                for (size_t j = 0; j < c->n_slots; j++) {
                        const RosterSlot *s = c->slots[j];

                        if (s->day != pm->duty_day || !s->person)
                                continue;
                        r = gap_add_person(g, s->person);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

bool gap_kind_told_by_monitor(GapKind k) {
        switch (k) {
        case GAP_UNFILLED:
        case GAP_LEAVE_CONFLICT:
        case GAP_INELIGIBLE:
        case GAP_RULE:
        case GAP_ROSTER_MISSING:
        case GAP_HOLIDAY_UNPUBLISHED:
        case GAP_CALENDAR_UNKNOWN:
        case GAP_LEAVE_OVERDUE:
        case GAP_PAPERWORK_OVERDUE:
        case GAP_SWAP_PENDING:
        case GAP_ACTING_UNCOVERED:
        case GAP_TAKEOVER_MISSING:
                return true;
        case GAP_REPORT_OVERDUE:
        case GAP_DAILY_REPORT_MISSING:
        case GAP_PRESENCE_MISSED:
                return false;
        case _GAP_KIND_MAX:
        case _GAP_KIND_INVALID:
                break;
        }
        return false;
}

static int gap_compare(const void *a, const void *b) {
        const Gap *x = a, *y = b;

        if (x->day != y->day)
                return x->day < y->day ? -1 : 1;
        return strcmp(x->id, y->id);
}

int gaps_compute(const GapsInput *in, Gap **ret, size_t *ret_n) {
        static int (*const checks[])(Computer *c) = {
                check_slots,
                check_rules,
                check_roster_missing,
                check_calendar_unknown,
                check_holidays,
                check_leaves,
                check_swaps,
                check_acting,
                check_takeovers,
                check_reports,
                check_presence,
        };
        _cleanup_(computer_done) Computer c = {};
        int r;

        if (!in || !in->config || !in->calendar || in->today == DAY_NONE || !ret || !ret_n ||
            in->now_minutes < 0 || in->now_minutes >= MINUTES_PER_DAY)
                return -EINVAL;
        if ((in->n_slots > 0 && !in->slots) || (in->n_leaves > 0 && !in->leaves) ||
            (in->n_absences > 0 && !in->absences) || (in->n_publications > 0 && !in->publications) ||
            (in->n_swaps > 0 && !in->swaps) || (in->n_takeovers > 0 && !in->takeovers) ||
            (in->n_reports > 0 && !in->reports) || (in->n_presence_misses > 0 && !in->presence_misses))
                return -EINVAL;

        r = computer_init(&c, in);
        if (r < 0)
                return r;

        for (size_t i = 0; i < ELEMENTSOF(checks); i++) {
                r = checks[i](&c);
                if (r < 0)
                        return r;
        }

        if (c.n_gaps > 1)
                qsort(c.gaps, c.n_gaps, sizeof(Gap), gap_compare);

        *ret = TAKE_PTR(c.gaps);
        *ret_n = c.n_gaps;
        c.n_gaps = 0;
        return 0;
}

/* ---- Messages ---- */

static const char *person_display(const Config *c, const char *id, char **buf, bool en) {
        const Person *p = config_find_person(c, id);

        free(*buf);
        *buf = NULL;
        if (!p)
                return id;
        if (!en)
                return p->name;
        if (asprintf(buf, "%s (%s)", p->name, p->id) < 0) {
                *buf = NULL;
                return p->id;
        }
        return *buf;
}

static void put_people(FILE *f, const Gap *g, const Config *c, bool en, const char *last_sep) {
        _cleanup_free_ char *buf = NULL;

        for (size_t i = 0; i < g->n_people; i++) {
                if (i > 0)
                        fputs(i + 1 == g->n_people ? last_sep : (en ? ", " : "、"), f);
                fputs(person_display(c, g->people[i], &buf, en), f);
        }
}

static void put_post(FILE *f, const Gap *g, const Config *c, bool en) {
        const Post *p = config_find_post(c, g->post);

        if (en && p)
                fprintf(f, "%s (%s)", p->name, p->id);
        else
                fputs(p ? p->name : strna(g->post), f);
        if (g->slot > 0)
                fprintf(f, en ? ", slot %d" : "（第%d人）", g->slot + 1);
}

static void put_day(FILE *f, Day d, bool en) {
        char date[DAY_STRING_MAX];

        fprintf(f, en ? "%s (%s)" : "%s（%s）", day_format(d, date), en ? day_weekday_en(d) : day_weekday_zh(d));
}

static const char *ineligible_message(GapIneligible why, bool en) {
        switch (why) {
        case GAP_INELIGIBLE_UNKNOWN_PERSON:
                return en ? "is no longer in the configuration" : "已不在人员配置中";
        case GAP_INELIGIBLE_INACTIVE:
                return en ? "is not active on that day" : "当日不在任职期内";
        case GAP_INELIGIBLE_ROLE:
                return en ? "lacks the role (or the group) the post needs" : "不具备该岗位所需的角色（或不属于岗位限定的分组）";
        case _GAP_INELIGIBLE_MAX:
        case _GAP_INELIGIBLE_INVALID:
                break;
        }
        return en ? "cannot hold the post" : "不能担任该岗位";
}

static void put_message(FILE *f, const Gap *g, const Config *c, bool en) {
        _cleanup_free_ char *buf = NULL;
        char d1[DAY_STRING_MAX], d2[DAY_STRING_MAX], t[LEAVE_TIME_STRING_MAX];
        const char *person = g->n_people > 0 ? person_display(c, g->people[0], &buf, en) : "-";

        switch (g->kind) {
        case GAP_UNFILLED:
                if (en) {
                        fputs("Unfilled post: nobody holds ", f);
                        put_post(f, g, c, en);
                        fputs(" on ", f);
                        put_day(f, g->day, en);
                        fputs(".", f);
                } else {
                        fputs("值班空缺：", f);
                        put_day(f, g->day, en);
                        put_post(f, g, c, en);
                        fputs("无人值班。", f);
                }
                return;

        case GAP_LEAVE_CONFLICT:
                if (en) {
                        fprintf(f, "Duty conflict: %s, on ", person);
                        put_post(f, g, c, en);
                        fputs(" on ", f);
                        put_day(f, g->day, en);
                        if (g->unavailable)
                                fputs(", is declared unavailable", f);
                        else
                                fprintf(f, ", is on approved leave (leave %" PRIi64 ")", g->leave_id);
                        fputs("; someone else must take the duty.", f);
                } else {
                        fputs("值班冲突：", f);
                        put_day(f, g->day, en);
                        put_post(f, g, c, en);
                        fputs(person, f);
                        if (g->unavailable)
                                fputs("已登记不能值班", f);
                        else
                                fprintf(f, "已获准请假（请假编号 %" PRIi64 "）", g->leave_id);
                        fputs("，须另行安排。", f);
                }
                return;

        case GAP_INELIGIBLE:
                if (en) {
                        fprintf(f, "Ineligible assignee: %s, on ", person);
                        put_post(f, g, c, en);
                        fputs(" on ", f);
                        put_day(f, g->day, en);
                        fprintf(f, ", %s; someone else must take the duty.", ineligible_message(g->ineligible, en));
                } else {
                        fputs("值班人员不符：", f);
                        put_day(f, g->day, en);
                        put_post(f, g, c, en);
                        fprintf(f, "安排的%s%s，须另行安排。", person, ineligible_message(g->ineligible, en));
                }
                return;

        case GAP_RULE:
                if (streq(g->rule, RULES_NEVER_TOGETHER)) {
                        if (en) {
                                fputs("Away together: ", f);
                                put_people(f, g, c, en, " and ");
                                fputs(", who must never be away on the same day, are all on approved leave on ", f);
                                put_day(f, g->day, en);
                                fputs(".", f);
                        } else {
                                fputs("同时外出：", f);
                                put_day(f, g->day, en);
                                put_people(f, g, c, en, "与");
                                fputs("均已获准请假，按规定不得同时外出。", f);
                        }
                } else {
                        if (en) {
                                fprintf(f, "Too few leaders present: at least %u leaders must be present on ",
                                        c->leave.min_leaders_present);
                                put_day(f, g->day, en);
                                fputs("; on approved leave: ", f);
                                put_people(f, g, c, en, ", ");
                                fputs(".", f);
                        } else {
                                fputs("在岗领导不足：", f);
                                put_day(f, g->day, en);
                                fprintf(f, "须至少 %u 名领导在岗，已获准请假的领导：", c->leave.min_leaders_present);
                                put_people(f, g, c, en, "、");
                                fputs("。", f);
                        }
                }
                return;

        case GAP_ROSTER_MISSING:
                day_format(g->day, d1);
                day_format(g->until, d2);
                if (en)
                        fprintf(f, "Roster missing: no roster for %s%s%s; it must exist %u days ahead.",
                                d1, g->until != g->day ? " to " : "", g->until != g->day ? d2 : "",
                                c->roster.horizon_days);
                else
                        fprintf(f, "值班表未编排：%s%s%s 尚无值班表，值班表须提前 %u 天编排。",
                                d1, g->until != g->day ? " 至 " : "", g->until != g->day ? d2 : "",
                                c->roster.horizon_days);
                return;

        case GAP_HOLIDAY_UNPUBLISHED:
                day_format(g->day, d1);
                day_format(g->until, d2);
                {
                        char due[DAY_STRING_MAX];

                        day_format(g->day - (Day) c->roster.publish_days_before, due);
                        if (en)
                                fprintf(f, "Holiday roster not published: the roster of %s %d (%s to %s) is due "
                                        "for publication by %s.", strna(g->name), g->year, d1, d2, due);
                        else
                                fprintf(f, "节日值班表未发布：%d年%s（%s 至 %s）的值班表应于 %s 前发布。",
                                        g->year, strna(g->name), d1, d2, due);
                }
                return;

        case GAP_CALENDAR_UNKNOWN:
                day_format(g->day, d1);
                day_format(g->until, d2);
                if (en)
                        fprintf(f, "Holiday calendar unknown: the State Council's holiday notice for %d is not "
                                "installed, so %s to %s cannot be planned.", g->year, d1, d2);
                else
                        fprintf(f, "节假日安排未知：尚未录入国务院办公厅 %d 年节假日安排通知，%s 至 %s 无法排班。",
                                g->year, d1, d2);
                return;

        case GAP_LEAVE_OVERDUE:
                leave_time_format(g->due, t);
                if (en)
                        fprintf(f, "Return overdue: the leave of %s (leave %" PRIi64 ") ended at %s and no "
                                "return has been reported.", person, g->leave_id, t);
                else
                        fprintf(f, "逾期未销假：%s的请假（请假编号 %" PRIi64 "）已于 %s 结束，尚未销假。",
                                person, g->leave_id, t);
                return;

        case GAP_PAPERWORK_OVERDUE:
                day_format(g->day, d1);
                if (en)
                        fprintf(f, "Paperwork overdue: the written form of the urgent leave of %s (leave %" PRIi64
                                ") was due by %s.", person, g->leave_id, d1);
                else
                        fprintf(f, "请假手续逾期：%s的紧急请假（请假编号 %" PRIi64 "）应于 %s 前补办书面手续。",
                                person, g->leave_id, d1);
                return;

        case GAP_SWAP_PENDING: {
                _cleanup_free_ char *buf2 = NULL;
                const char *other = g->n_people > 1 ? person_display(c, g->people[1], &buf2, en) : "-";

                leave_time_format(g->due, t);
                if (en) {
                        fprintf(f, "Swap awaiting approval: swap %" PRIi64 " of %s and %s (", g->swap_id, person, other);
                        put_post(f, g, c, en);
                        fputs(" on ", f);
                        put_day(f, g->day, en);
                        fprintf(f, ") must be approved by %s or it expires.", t);
                } else {
                        fprintf(f, "换班待批：%s与%s的换班申请（编号 %" PRIi64 "，", person, other, g->swap_id);
                        put_day(f, g->day, en);
                        put_post(f, g, c, en);
                        fprintf(f, "）须于 %s 前批准，否则失效。", t);
                }
                return;
        }

        case GAP_ACTING_UNCOVERED: {
                _cleanup_free_ char *buf2 = NULL;
                const char *acting = g->n_people > 1 ? person_display(c, g->people[1], &buf2, en) : "-";

                if (en) {
                        fprintf(f, "Nobody acts for %s on ", person);
                        put_day(f, g->day, en);
                        fprintf(f, ": %s, named to act during the leave (leave %" PRIi64 "), is away or out of "
                                "office that day; name someone else to act, or change one of the leaves.",
                                acting, g->leave_id);
                } else {
                        fputs("代为主持工作缺位：", f);
                        put_day(f, g->day, en);
                        fprintf(f, "%s请假（请假编号 %" PRIi64 "）期间由%s代为主持工作，但%s当日也不在岗，"
                                "须另行指定代为主持工作的同志，或调整其中一项请假。",
                                person, g->leave_id, acting, acting);
                }
                return;
        }

        case GAP_TAKEOVER_MISSING: {
                _cleanup_free_ char *buf2 = NULL;

                if (en) {
                        fputs("Nobody has taken over: ", f);
                        put_post(f, g, c, en);
                        fputs(" of ", f);
                        put_day(f, g->day, en);
                        fprintf(f, " is not taken over %" PRIi64 " minutes after the handover; due: ", g->since);
                } else {
                        fputs("未接班：", f);
                        put_day(f, g->day, en);
                        put_post(f, g, c, en);
                        fprintf(f, "交接班时间已过 %" PRIi64 " 分钟仍无人接班；应接班：", g->since);
                }
                for (size_t i = 0; i < g->n_people; i++) {
                        const Person *p = config_find_person(c, g->people[i]);

                        if (i == g->n_due)
                                fputs(en ? "; told as it escalates: " : "；已逐级告知：", f);
                        else if (i > 0)
                                fputs(en ? ", " : "、", f);
                        fputs(person_display(c, g->people[i], &buf2, en), f);
                        if (p && !isempty(p->phone))
                                fprintf(f, en ? " (phone %s)" : "（电话 %s）", p->phone);
                }
                if (en)
                        fputs(". The outgoing duty stays on until someone takes over with `dutyctl handover take`.", f);
                else
                        fputs("。接班人须执行 `dutyctl handover take` 接班，接班前上一班不得离岗。", f);
                return;
        }

        case GAP_REPORT_OVERDUE:
                if (en) {
                        fprintf(f, "Report overdue: the %s of emergency %" PRIi64 " of ",
                                dutylog_report_label(g->report, "en"), g->log_id);
                        put_day(f, g->day, en);
                        fprintf(f, " is %" PRIi64 " minutes late; send it, then record it with "
                                "`dutyctl log report %" PRIi64 " %s --to …`.",
                                g->since, g->log_id, dutylog_report_to_string(g->report));
                } else {
                        fputs("报告超时：", f);
                        put_day(f, g->day, en);
                        fprintf(f, "突发事件（记录 %" PRIi64 "）的%s已超时 %" PRIi64 " 分钟，请立即报送，"
                                "并执行 `dutyctl log report %" PRIi64 " %s --to …` 登记。",
                                g->log_id, dutylog_report_label(g->report, "zh"), g->since,
                                g->log_id, dutylog_report_to_string(g->report));
                }
                return;

        case GAP_DAILY_REPORT_MISSING:
                if (en) {
                        fputs("Daily report missing: the daily report of ", f);
                        put_day(f, g->day, en);
                        fprintf(f, " is %" PRIi64 " minutes late; send it with `dutyctl report daily --send --to …`.",
                                g->since);
                } else {
                        fputs("每日报告未报送：", f);
                        put_day(f, g->day, en);
                        fprintf(f, "的每日报告已超时 %" PRIi64 " 分钟，请执行 `dutyctl report daily --send --to …` 报送。",
                                g->since);
                }
                return;

        case GAP_PRESENCE_MISSED: {
                char date[DAY_STRING_MAX];

                day_format(g->at_day, date);
                if (en)
                        fprintf(f, "Presence check missed: check %" PRIi64 " asked at %s %02d:%02d was not "
                                "confirmed in time; the duty running now is to be looked into.",
                                g->check_id, date, g->at_minutes / 60, g->at_minutes % 60);
                else
                        fprintf(f, "在岗抽查未应答：%s %02d:%02d 发起的抽查（编号 %" PRIi64 "）未在时限内确认，"
                                "请核实本班值班人员在岗情况。",
                                date, g->at_minutes / 60, g->at_minutes % 60, g->check_id);
                return;
        }

        case _GAP_KIND_MAX:
        case _GAP_KIND_INVALID:
                break;
        }
        fputs(g->id, f);
}

char *gap_message(const Gap *g, const Config *c, const char *lang) {
        char *s = NULL;
        size_t size = 0;
        FILE *f;

        if (!g || !c)
                return NULL;

        f = open_memstream(&s, &size);
        if (!f)
                return NULL;
        put_message(f, g, c, lang && streq(lang, "en"));
        if (ferror(f)) {
                fclose(f);
                free(s);
                return NULL;
        }
        if (fclose(f) != 0) {
                free(s);
                return NULL;
        }
        return s;
}
