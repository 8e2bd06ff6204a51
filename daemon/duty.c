/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The roster's requests: store, configuration and the pure core put together. See duty.h. */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "duty.h"
#include "leave.h"
#include "swap.h"

/* How far ahead duty_holiday_find() looks for an unknown day to name when no run is known. */
#define DUTY_UNKNOWN_SCAN_DAYS 1100
/* Decimal digits of an int64 plus sign and NUL. */
#define DUTY_INT_STRING_MAX 24

static bool lang_is_en(const char *lang) {
        return lang && streq(lang, "en");
}

static bool config_en(const Config *c) {
        return lang_is_en(c->language);
}

static int strcmp_null(const char *a, const char *b) {
        if (!a || !b)
                return (a != NULL) - (b != NULL);
        return strcmp(a, b);
}

static Day day_first(void) {
        return day_from_ymd(DAY_MIN_YEAR, 1, 1);
}

static Day day_last(void) {
        return day_from_ymd(DAY_MAX_YEAR, 12, 31);
}

/* ---- Problems ---- */

static void problem_init(Refusal *p) {
        if (p)
                *p = REFUSAL_INIT;
}

_printf_(4, 0)
static int problem_setv(Refusal *p, RefusalKind kind, int error, const char *format, va_list ap) {
        char *m;

        if (!p)
                return error;
        if (vasprintf(&m, format, ap) < 0)
                return -ENOMEM;

        free(p->message);
        p->message = m;
        p->kind = kind;
        return error;
}

/* Fills *p (may be NULL) and returns `error`, or -ENOMEM. */
_printf_(4, 5)
static int problem_set(Refusal *p, RefusalKind kind, int error, const char *format, ...) {
        va_list ap;
        int r;

        va_start(ap, format);
        r = problem_setv(p, kind, error, format, ap);
        va_end(ap);
        return r;
}

/* A rule the change breaks on day: RuleViolation naming the rule and the day; -EPERM, or -ENOMEM. */
_printf_(4, 5)
static int problem_rule(Refusal *p, const char *rule, Day day, const char *format, ...) {
        va_list ap;
        int r;

        va_start(ap, format);
        r = problem_setv(p, REFUSAL_RULE, -EPERM, format, ap);
        va_end(ap);
        if (p && r == -EPERM) {
                p->rule = rule;
                p->day = day;
        }
        return r;
}

static int problem_set_id(Refusal *p, const char *what, const char *id) {
        if (!p)
                return 0;
        p->what = what;
        free(p->id);
        p->id = strdup(strempty(id));
        return p->id ? 0 : -ENOMEM;
}

static int problem_past(Refusal *p, const Config *c, Day day, Day today) {
        char d[DAY_STRING_MAX], t[DAY_STRING_MAX];

        return problem_rule(p, DUTY_RULE_PAST, day,
                            config_en(c) ? "%s is a past duty day and cannot be changed (the duty day running now is %s)"
                                         : "%s 是已经过去的值班日，不能修改（当前值班日为 %s）",
                            day_format(day, d), day_format(today, t));
}

/* Generation over nothing but the duty under way: it has begun, and changes only by hand. */
static int problem_begun(Refusal *p, const Config *c, Day today) {
        char d[DAY_STRING_MAX];

        return problem_rule(p, DUTY_RULE_PAST, today,
                            config_en(c) ? "the duty of %s is under way and is not planned again; change it with roster "
                                           "assign and unassign, or a substitution"
                                         : "%s 的值班已经开始，不再重新生成；如需调整，请用 roster assign / unassign 或代班",
                            day_format(today, d));
}

static int problem_published(Refusal *p, const Config *c, Day day, int version) {
        char d[DAY_STRING_MAX];
        int r;

        r = problem_rule(p, DUTY_RULE_PUBLISHED, day,
                         config_en(c) ? "%s belongs to the published roster, version %d, and does not change silently; "
                                        "if it must change, make it an amendment with its reason (--amend --reason TEXT)"
                                      : "%s 属于已发布的第 %d 版值班表，不能直接修改；"
                                        "确需变更的，请作为变更提交并说明理由（--amend --reason 理由）",
                         day_format(day, d), version);
        if (p && r == -EPERM)
                p->version = version;
        return r;
}

static int problem_unknown(Refusal *p, const Config *c, Day day) {
        char d[DAY_STRING_MAX];
        int r;

        r = problem_set(p, REFUSAL_CALENDAR_UNKNOWN, -ENODATA,
                        config_en(c) ? "the State Council holiday notice of %d is not known, so the type of %s is "
                                       "unknown; add that year's notice to holidays_dir, or plan its days as ordinary days "
                                       "(dutyctl roster generate --assume-ordinary)"
                                     : "%d 年的国务院办公厅节假日安排通知尚未录入，%s 的日期类型未知；"
                                       "请先在 holidays_dir 中补充该年通知，或按普通日期排班"
                                       "（dutyctl roster generate --assume-ordinary）",
                        day_year(day), day_format(day, d));
        if (p && r == -ENODATA)
                p->day = day;
        return r;
}

static int problem_not_found(Refusal *p, const Config *c, const char *what, const char *id) {
        int r;

        r = problem_set(p, REFUSAL_NOT_FOUND, -ENOENT,
                        config_en(c) ? "no %s \"%s\"" : "找不到%s“%s”",
                        config_en(c) ? what :
                        streq(what, "person") ? "人员" :
                        streq(what, "post") ? "岗位" :
                        streq(what, "holiday") ? "节假日" :
                        streq(what, "assignment") ? "值班安排" :
                        streq(what, "publication") ? "发布版本" :
                        streq(what, "sensitive_period") ? "敏感时期" :
                        streq(what, "unavailability") ? "无法值班记录" : what,
                        strempty(id));
        if (r != -ENOENT)
                return r;
        r = problem_set_id(p, what, id);
        return r < 0 ? r : -ENOENT;
}

int duty_person_require(const Config *c, const char *id, Refusal *ret_problem) {
        problem_init(ret_problem);
        if (!c || !id)
                return -EINVAL;
        if (!config_find_person(c, id))
                return problem_not_found(ret_problem, c, "person", id);
        return 0;
}

/* ---- Reasons ---- */

const char *duty_reason_message(const char *code, const char *lang) {
        RosterEmptyReason r;

        if (!code)
                return NULL;
        if (streq(code, DUTY_REASON_UNASSIGNED))
                return lang_is_en(lang) ? "taken off by hand" : "已人工取消安排";
        r = roster_empty_reason_from_string(code);
        if (r < 0)
                return code;
        return roster_empty_reason_message(r, lang);
}

const char *duty_assume_ordinary_message(const char *lang) {
        return lang_is_en(lang) ? "planned as an ordinary day: the year's holiday notice was not known"
                                : "该年节假日安排尚未公布，按普通日期排班";
}

/* ---- Transactions ---- */

/* Each change works inside its caller's transaction (the request's, api-audit.c) in a savepoint of
 * its own, undone on every early return: a refused change leaves nothing behind, whatever it had
 * begun to write, and the caller's transaction goes on. */
static const StoreSavepoint savepoint_duty = STORE_SAVEPOINT(duty_change);

/* ---- The calendar with every sensitive period ---- */

void duty_calendar_done(DutyCalendar *dc) {
        if (!dc)
                return;
        for (size_t i = dc->n_config; i < dc->n_sensitive; i++) {
                free(dc->sensitive[i].id);
                free(dc->sensitive[i].name);
        }
        free(dc->sensitive);
        *dc = (DutyCalendar) {};
}

int duty_calendar_load(Store *s, const Config *c, DutyCalendar *ret) {
        _cleanup_(duty_calendar_done) DutyCalendar dc = {};
        StoreSensitivePeriod *stored = NULL;
        size_t n_stored = 0;
        int r;

        if (!s || !c || !ret)
                return -EINVAL;

        r = store_sensitive_period_list(s, day_first(), day_last(), &stored, &n_stored);
        if (r < 0)
                return r;

        dc.sensitive = calloc(c->n_sensitive + n_stored ?: 1, sizeof(SensitivePeriod));
        if (!dc.sensitive) {
                r = -ENOMEM;
                goto finish;
        }
        for (size_t i = 0; i < c->n_sensitive; i++)
                dc.sensitive[i] = c->sensitive[i];
        dc.n_sensitive = dc.n_config = c->n_sensitive;

        for (size_t i = 0; i < n_stored; i++) {
                const StoreSensitivePeriod *e = &stored[i];
                SensitivePeriod *sp = &dc.sensitive[dc.n_sensitive];
                LeavePolicy leave = leave_policy_from_string(e->leave);

                *sp = (SensitivePeriod) {
                        .from = e->from_day,
                        .to = e->to_day,
                        .extra_officers = e->extra_officers > 0 ? (unsigned) e->extra_officers : 0,
                        .leave = leave >= 0 ? leave : LEAVE_POLICY_NORMAL,
                };
                if (asprintf(&sp->id, "%" PRId64, e->id) < 0) {
                        sp->id = NULL;
                        r = -ENOMEM;
                        goto finish;
                }
                sp->name = strdup(e->name);
                dc.n_sensitive++;
                if (!sp->name) {
                        r = -ENOMEM;
                        goto finish;
                }
        }

        dc.calendar = config_calendar(c);
        dc.calendar.sensitive = dc.sensitive;
        dc.calendar.n_sensitive = dc.n_sensitive;
        *ret = dc;
        dc = (DutyCalendar) {};
        r = 0;

finish:
        store_sensitive_period_free_many(stored, n_stored);
        return r;
}

/* ---- Absences ---- */

void duty_absences_done(DutyAbsences *a) {
        if (!a)
                return;
        free(a->items);
        *a = (DutyAbsences) {};
}

int duty_absences_add(DutyAbsences *a, const Config *c, const char *person, Day from, Day to,
                      RosterAbsenceKind kind) {
        const Person *p;

        if (!a || !c || !person || from == DAY_NONE || to == DAY_NONE || from > to ||
            kind < 0 || kind >= _ROSTER_ABSENCE_MAX)
                return -EINVAL;

        p = config_find_person(c, person);
        if (!p)
                return 0;

        if (a->n >= a->allocated) {
                size_t n = a->allocated ? a->allocated * 2 : 16;
                RosterAbsence *items;

                items = reallocarray(a->items, n, sizeof(RosterAbsence));
                if (!items)
                        return -ENOMEM;
                a->items = items;
                a->allocated = n;
        }
        a->items[a->n++] = (RosterAbsence) { .person = p->id, .from = from, .to = to, .kind = kind };
        return 0;
}

static int absences_add_unavailable(Store *s, const Config *c, Day from, Day to, DutyAbsences *a) {
        StoreUnavailable *u = NULL;
        size_t n = 0;
        int r;

        r = store_unavailable_list(s, NULL, from, to, &u, &n);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n && r >= 0; i++)
                r = duty_absences_add(a, c, u[i].person, u[i].from_day, u[i].to_day, ROSTER_ABSENCE_UNAVAILABLE);
        store_unavailable_free_many(u, n);
        return r;
}

/* Every approved or started leave (and the part of a returned one before its return) touching the
 * duty days from … to, as absences of kind ROSTER_ABSENCE_LEAVE over the duty days it touches. Read
 * here from the leave records, so that the roster does not depend on the leave service (which
 * depends on the roster). */
static int absences_add_leave(Store *s, const Config *c, Day from, Day to, DutyAbsences *a) {
        StoreLeaveFilter f = {
                .states = STORE_LEAVE_STATE_BIT(LEAVE_STATE_APPROVED) |
                          STORE_LEAVE_STATE_BIT(LEAVE_STATE_STARTED) |
                          STORE_LEAVE_STATE_BIT(LEAVE_STATE_RETURNED),
                .from = from - 1,
                .to = to + 1,
        };
        StoreLeave *rows = NULL;
        size_t n = 0;
        int r;

        if (!s || !c || !a || from == DAY_NONE || to == DAY_NONE || from > to)
                return -EINVAL;

        r = store_leave_list(s, &f, &rows, &n);
        if (r < 0)
                return r;

        for (size_t i = 0; i < n; i++) {
                Leave l = rows[i].leave;
                Day lf, lt;

                /* A leader back early is available from the return on. */
                if (l.state == LEAVE_STATE_RETURNED) {
                        if (!leave_time_is_valid(l.returned) || leave_time_compare(l.returned, l.start) <= 0)
                                continue;
                        if (leave_time_compare(l.returned, l.end) < 0)
                                l.end = l.returned;
                }
                if (leave_duty_days(&l, c->handover_minutes, &lf, &lt) < 0 || lt < from || lf > to)
                        continue;

                r = duty_absences_add(a, c, l.person, lf > from ? lf : from, lt < to ? lt : to,
                                      ROSTER_ABSENCE_LEAVE);
                if (r < 0)
                        break;
        }

        store_leave_free_many(rows, n);
        return r < 0 ? r : 0;
}

int duty_absences_collect(Store *s, const Config *c, Day from, Day to, DutyAbsences *ret) {
        _cleanup_(duty_absences_done) DutyAbsences a = {};
        int r;

        if (!s || !c || !ret || from == DAY_NONE || to == DAY_NONE || from > to)
                return -EINVAL;

        r = absences_add_unavailable(s, c, from, to, &a);
        if (r < 0)
                return r;
        /* Approved and started leave, from the leave records. */
        r = absences_add_leave(s, c, from, to, &a);
        if (r < 0)
                return r;

        *ret = a;
        a = (DutyAbsences) {};
        return 0;
}

/* ---- Publications and amendments ---- */

int duty_published_versions(Store *s, Day from, Day to, int **ret) {
        _cleanup_free_ StorePublicationRange *p = NULL;
        _cleanup_free_ int *v = NULL;
        size_t n = 0;
        int r;

        if (!s || !ret || from == DAY_NONE || to == DAY_NONE || from > to)
                return -EINVAL;

        r = store_publication_ranges(s, from, to, &p, &n);
        if (r < 0)
                return r;
        v = calloc((size_t) (to - from) + 1, sizeof(int));
        if (!v)
                return -ENOMEM;
        /* A later version over the same day supersedes the earlier one. */
        for (size_t i = 0; i < n; i++)
                for (Day d = p[i].from_day > from ? p[i].from_day : from; d <= to && d <= p[i].to_day; d++)
                        if (p[i].version > v[d - from])
                                v[d - from] = p[i].version;

        *ret = TAKE_PTR(v);
        return 0;
}

void duty_amend_done(DutyAmend *a) {
        if (!a)
                return;
        a->recorded = store_amendment_free_many(a->recorded, a->n_recorded);
        a->n_recorded = 0;
}

static bool amend_requested(const DutyAmend *a) {
        return a && a->amend;
}

/* An amendment says why. */
static bool amend_valid(const DutyAmend *amend) {
        return !amend_requested(amend) || (!isempty(amend->reason) && strlen(amend->reason) <= DUTY_TEXT_MAX);
}

/* Records one amendment of `version` and keeps a copy in amend->recorded. */
static int amend_record(Store *s, DutyAmend *amend, int version, Day day, const char *post, int slot,
                        const char *before, const char *after) {
        StoreAmendment *items, *e;
        int r;

        if (strcmp_null(before, after) == 0)
                return 0;
        if (!amend || isempty(amend->reason))
                return -EINVAL;

        items = reallocarray(amend->recorded, amend->n_recorded + 1, sizeof(StoreAmendment));
        if (!items)
                return -ENOMEM;
        amend->recorded = items;
        e = &items[amend->n_recorded];
        *e = (StoreAmendment) {
                .at_usec = amend->now_usec,
                .uid = amend->uid,
                .by = amend->by ? strdup(amend->by) : NULL,
                .reason = strdup(amend->reason),
                .day = day,
                .post = strdup(post),
                .slot = slot,
                .before = before ? strdup(before) : NULL,
                .after = after ? strdup(after) : NULL,
                .version = version,
        };
        amend->n_recorded++;
        if ((amend->by && !e->by) || !e->reason || !e->post || (before && !e->before) || (after && !e->after))
                return -ENOMEM;

        r = store_amendment_add(s, e, &e->id);
        if (r < 0) {
                store_amendment_done(e);
                amend->n_recorded--;
        }
        return r;
}

int duty_amend_slot(Store *s, DutyAmend *amend, Day day, const char *post, int slot, const char *before,
                    const char *after) {
        _cleanup_free_ int *v = NULL;
        int r;

        if (!s || !amend || !post || day == DAY_NONE)
                return -EINVAL;
        if (strcmp_null(before, after) == 0)
                return 0;

        r = duty_published_versions(s, day, day, &v);
        if (r < 0)
                return r;
        if (v[0] == 0)
                return 0;
        return amend_record(s, amend, v[0], day, post, slot, before, after);
}

/* 0 if day may change: it was never published, or the change is an amendment; else the refusal.
 * *ret_version gets the version covering day (0: none). */
static int published_check(Store *s, const Config *c, Day day, const DutyAmend *amend, int *ret_version,
                           Refusal *p) {
        _cleanup_free_ int *v = NULL;
        int r;

        r = duty_published_versions(s, day, day, &v);
        if (r < 0)
                return r;
        *ret_version = v[0];
        if (v[0] > 0 && !amend_requested(amend))
                return problem_published(p, c, day, v[0]);
        return 0;
}

int duty_amendment_counts(Store *s, Day from, Day to, int **ret_version, unsigned **ret_amendments) {
        _cleanup_free_ int *v = NULL;
        _cleanup_free_ unsigned *n = NULL;
        StoreAmendment *a = NULL;
        size_t n_a = 0;
        int r;

        if (!s || !ret_version || !ret_amendments || from == DAY_NONE || to == DAY_NONE || from > to)
                return -EINVAL;

        r = duty_published_versions(s, from, to, &v);
        if (r < 0)
                return r;
        n = calloc((size_t) (to - from) + 1, sizeof(unsigned));
        if (!n)
                return -ENOMEM;
        r = store_amendment_list(s, from, to, &a, &n_a);
        if (r < 0)
                return r;
        /* Only those since the version that covers the day now: publishing again starts afresh. */
        for (size_t i = 0; i < n_a; i++)
                if (a[i].day >= from && a[i].day <= to && a[i].version == v[a[i].day - from])
                        n[a[i].day - from]++;
        store_amendment_free_many(a, n_a);

        *ret_version = TAKE_PTR(v);
        *ret_amendments = TAKE_PTR(n);
        return 0;
}

/* ---- Rosters ---- */

void duty_roster_done(DutyRoster *r) {
        if (!r)
                return;
        store_assignment_free_many(r->slots, r->n_slots);
        *r = (DutyRoster) {};
}

typedef struct StoredSlots {
        StoreAssignment *items;
        size_t n;
} StoredSlots;

static void stored_slots_done(StoredSlots *s) {
        store_assignment_free_many(s->items, s->n);
        *s = (StoredSlots) {};
}

static int stored_slots_load(Store *s, Day from, Day to, StoredSlots *ret) {
        return store_assignment_list(s, from, to, &ret->items, &ret->n);
}

/* The roster's view of stored slots, borrowing their strings. */
static int roster_slots_from_stored(const StoredSlots *st, RosterSlot **ret) {
        return store_assignment_slots(st->items, st->n, ret);
}

/* A swap or substitution was agreed to and approved: planning its range again keeps it, as it keeps
 * a locked slot. */
static bool stored_is_agreed(const StoreAssignment *a) {
        for (SwapKind k = 0; k < _SWAP_KIND_MAX; k++)
                if (a->source && streq(a->source, swap_kind_source(k)))
                        return true;
        return false;
}

static const StoreAssignment *stored_find(const StoredSlots *st, Day day, const char *post, int slot) {
        size_t lo = 0, hi = st->n;

        /* Sorted by day (then post and slot): find the day, then look at its few slots. */
        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;

                if (st->items[mid].day < day)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        for (size_t i = lo; i < st->n && st->items[i].day == day; i++)
                if (st->items[i].slot == slot && streq(st->items[i].post, post))
                        return &st->items[i];
        return NULL;
}

void duty_assignment_done(StoreAssignment *a) {
        if (!a)
                return;
        free(a->post);
        free(a->person);
        free(a->reason);
        free(a->source);
        *a = (StoreAssignment) {};
}

static int assignment_fill(StoreAssignment *a, Day day, const char *post, int slot, const char *person,
                           bool locked, const char *reason, const char *source, bool assume_ordinary) {
        *a = (StoreAssignment) {
                .day = day,
                .slot = slot,
                .locked = locked,
                .assume_ordinary = assume_ordinary,
                .post = strdup(post),
                .person = person ? strdup(person) : NULL,
                .reason = reason ? strdup(reason) : NULL,
                .source = strdup(source),
        };
        if (!a->post || !a->source || (person && !a->person) || (reason && !a->reason)) {
                duty_assignment_done(a);
                return -ENOMEM;
        }
        return 0;
}

static int assignment_copy(StoreAssignment *dst, const StoreAssignment *src) {
        return assignment_fill(dst, src->day, src->post, src->slot, src->person, src->locked, src->reason,
                               src->source ?: DUTY_SOURCE_GENERATED, src->assume_ordinary);
}

/* The generator's slots as they are (or would be) stored. */
static int roster_from_generated(const RosterSlot *out, size_t n, const StoredSlots *stored, DutyRoster *ret) {
        _cleanup_(duty_roster_done) DutyRoster roster = {};
        int r;

        roster.slots = calloc(n ?: 1, sizeof(StoreAssignment));
        if (!roster.slots)
                return -ENOMEM;

        for (size_t i = 0; i < n; i++) {
                const RosterSlot *o = &out[i];
                const StoreAssignment *kept = o->locked ? stored_find(stored, o->day, o->post, o->slot) : NULL;

                if (kept)
                        r = assignment_copy(&roster.slots[roster.n_slots], kept);
                else
                        r = assignment_fill(&roster.slots[roster.n_slots], o->day, o->post, o->slot, o->person,
                                            o->locked,
                                            o->person ? NULL : roster_empty_reason_to_string(o->reason),
                                            DUTY_SOURCE_GENERATED, o->assume_ordinary);
                if (r < 0)
                        return r;
                roster.n_slots++;
                if (o->person)
                        roster.filled++;
                else
                        roster.empty++;
        }

        *ret = roster;
        roster = (DutyRoster) {};
        return 0;
}

/* Keeps what the savepoint holds, then hands out *a (taken; untouched if keeping fails). */
static int savepoint_keep_assignment(StoreSavepointHold *tx, StoreAssignment *a, StoreAssignment *ret) {
        int r;

        r = store_savepoint_keep(tx);
        if (r < 0)
                return r;
        *ret = *a;
        *a = (StoreAssignment) {};
        return 0;
}

/* Stores one slot, flagged when it was planned assuming an unknown day is ordinary (storing a slot
 * resets the flag). */
static int slot_store(Store *s, Day day, const char *post, int slot, const char *person, bool locked,
                      const char *reason, const char *source, bool assume_ordinary) {
        int r;

        r = store_assignment_set(s, day, post, slot, person, locked, reason, source);
        if (r < 0 || !assume_ordinary)
                return r;
        return store_assignment_set_assume_ordinary(s, day, post, slot, true);
}

static int roster_store(Store *s, const DutyRoster *roster, Day from, Day to) {
        int r;

        r = store_assignment_clear_range(s, from, to, /* keep_locked= */ true);
        if (r < 0)
                return r;

        for (size_t i = 0; i < roster->n_slots; i++) {
                const StoreAssignment *a = &roster->slots[i];

                /* Locked slots were kept in place by the clearing. */
                if (a->locked)
                        continue;
                r = slot_store(s, a->day, a->post, a->slot, a->person, false, a->reason, a->source,
                               a->assume_ordinary);
                if (r < 0)
                        return r;
        }
        return 0;
}

static bool range_valid(Day from, Day to, int64_t max_days) {
        return from != DAY_NONE && to != DAY_NONE && from <= to && (int64_t) to - from + 1 <= max_days;
}

static Day history_from(Day from, Day rest) {
        int y, m, d;
        Day back;

        day_to_ymd(from, &y, &m, &d);
        back = day_from_ymd(y - 1, m, m == 2 && d == 29 ? 28 : d);
        if (back == DAY_NONE || from - back < DUTY_HISTORY_DAYS)
                back = from - DUTY_HISTORY_DAYS;
        return back < from - rest ? back : from - rest;
}

/* Who held each special day before `from`, however long ago: the rotation of 除夕 and the like
 * goes back further than the year of history. */
static int special_past_load(Store *s, const Calendar *cal, Day from, StoredSlots *ret_stored,
                             RosterSlot **ret_slots) {
        _cleanup_free_ Day *days = NULL;
        StoredSlots st = {};
        size_t n_days = 0;
        int r;

        days = calloc(cal->n_special ?: 1, sizeof(Day));
        if (!days)
                return -ENOMEM;
        for (size_t i = 0; i < cal->n_special; i++)
                if (cal->special[i].day < from)
                        days[n_days++] = cal->special[i].day;

        r = store_day_holders(s, days, n_days, &st.items, &st.n);
        if (r < 0)
                return r;
        r = roster_slots_from_stored(&st, ret_slots);
        if (r < 0) {
                stored_slots_done(&st);
                return r;
        }
        *ret_stored = st;
        return 0;
}

/* A slot generation keeps as stored (beside the locked ones, which the store keeps itself): an
 * agreed swap or substitution, and (unless replace_manual) a person put there by hand. */
static bool stored_is_kept(const StoreAssignment *a, bool replace_manual) {
        if (stored_is_agreed(a))
                return true;
        return !replace_manual && a->person && a->source && streq(a->source, DUTY_SOURCE_MANUAL);
}

/* With an amendment, records each published slot of from..to whose person the new roster
 * changes, including a slot it no longer has. */
static int generate_amend(Store *s, DutyAmend *amend, const int *versions, Day from, Day to,
                          const DutyRoster *roster, const StoredSlots *stored) {
        int r;

        for (size_t i = 0; i < roster->n_slots; i++) {
                const StoreAssignment *a = &roster->slots[i];
                const StoreAssignment *old = stored_find(stored, a->day, a->post, a->slot);

                if (a->day < from || a->day > to || versions[a->day - from] == 0)
                        continue;
                r = amend_record(s, amend, versions[a->day - from], a->day, a->post, a->slot,
                                 old ? old->person : NULL, a->person);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < stored->n; i++) {
                const StoreAssignment *a = &stored->items[i];
                bool found = false;

                if (a->day < from || a->day > to || !a->person || versions[a->day - from] == 0)
                        continue;
                for (size_t j = 0; j < roster->n_slots && !found; j++)
                        found = roster->slots[j].day == a->day && roster->slots[j].slot == a->slot &&
                                streq(roster->slots[j].post, a->post);
                if (!found) {
                        r = amend_record(s, amend, versions[a->day - from], a->day, a->post, a->slot, a->person,
                                         NULL);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

int duty_generate(Store *s, const Config *c, const DutyGenerateRequest *req, DutyRoster *ret,
                  Refusal *ret_problem) {
        _cleanup_(duty_calendar_done) DutyCalendar dc = {};
        _cleanup_(duty_absences_done) DutyAbsences absences = {};
        _cleanup_(duty_roster_done) DutyRoster roster = {};
        _cleanup_(stored_slots_done) StoredSlots stored = {}, special = {};
        _cleanup_free_ RosterSlot *slots = NULL, *out = NULL, *special_past = NULL;
        _cleanup_free_ RosterHistory *history = NULL;
        _cleanup_free_ int *versions = NULL;
        _cleanup_(store_savepoint_holdp) StoreSavepointHold tx = {};
        size_t n_history = 0, n_out = 0, history_end = 0, existing_begin;
        Day unknown = DAY_NONE, rest, from;
        int r;

        problem_init(ret_problem);
        if (!s || !c || !req || !ret || req->today == DAY_NONE)
                return -EINVAL;
        if (!range_valid(req->from, req->to, DUTY_GENERATE_DAYS_MAX))
                return -ERANGE;
        if (!amend_valid(req->amend))
                return -EINVAL;

        rest = (Day) roster_rest_days(c);

        r = store_savepoint_hold(s, &savepoint_duty, &tx);
        if (r < 0)
                return r;

        /* The duty under way has begun and the days before it are history: what a range asks of
         * them is kept as it is, and planning starts on the first day not begun. A duty day running
         * with no roster at all has nobody to disturb: it is planned, so that someone holds it. */
        from = req->from > req->today ? req->from : req->today + 1;
        if (req->from <= req->today && req->today <= req->to) {
                _cleanup_(stored_slots_done) StoredSlots running = {};

                r = stored_slots_load(s, req->today, req->today, &running);
                if (r < 0)
                        return r;
                if (running.n == 0)
                        from = req->today;
        }
        if (from > req->to)
                return req->to == req->today ? problem_begun(ret_problem, c, req->today)
                                             : problem_past(ret_problem, c, req->to, req->today);

        r = duty_published_versions(s, from, req->to, &versions);
        if (r < 0)
                return r;
        /* A dry run changes nothing: it may show what planning published days again would give. */
        if (!amend_requested(req->amend) && !req->dry_run)
                for (Day d = from; d <= req->to; d++)
                        if (versions[d - from] > 0)
                                return problem_published(ret_problem, c, d, versions[d - from]);

        r = duty_calendar_load(s, c, &dc);
        if (r < 0)
                return r;
        /* One read covers the year before the range (fairness: back to the same date, so that a
         * leap year's first day is not left out) and the rest period on both sides. */
        r = stored_slots_load(s, history_from(from, rest), req->to + rest, &stored);
        if (r < 0)
                return r;
        r = roster_slots_from_stored(&stored, &slots);
        if (r < 0)
                return r;
        for (size_t i = 0; i < stored.n; i++)
                if (stored_is_kept(&stored.items[i], req->replace_manual))
                        slots[i].locked = true;
        while (history_end < stored.n && slots[history_end].day < from)
                history_end++;
        existing_begin = history_end;
        while (existing_begin > 0 && slots[existing_begin - 1].day >= from - rest)
                existing_begin--;

        r = roster_history_from_slots(c, &dc.calendar, slots, history_end, &history, &n_history);
        if (r < 0)
                return r;
        r = special_past_load(s, &dc.calendar, from, &special, &special_past);
        if (r < 0)
                return r;
        r = duty_absences_collect(s, c, from - rest, req->to + rest, &absences);
        if (r < 0)
                return r;

        RosterInput in = {
                .config = c,
                .calendar = &dc.calendar,
                .from = from,
                .to = req->to,
                .assume_ordinary = req->assume_ordinary,
                .existing = slots + existing_begin,
                .n_existing = stored.n - existing_begin,
                .absences = absences.items,
                .n_absences = absences.n,
                .history = history,
                .n_history = n_history,
                .special_past = special_past,
                .n_special_past = special.n,
                .min_rest_days = (unsigned) rest,
                /* The same range planned twice from the same state gives the same roster. */
                .seed = (uint64_t) (int64_t) from,
        };
        r = roster_generate(&in, &out, &n_out, &unknown);
        if (r == -ENODATA)
                return problem_unknown(ret_problem, c, unknown);
        if (r < 0)
                return r;

        r = roster_from_generated(out, n_out, &stored, &roster);
        if (r < 0)
                return r;
        roster.from = from;

        if (!req->dry_run) {
                if (amend_requested(req->amend)) {
                        r = generate_amend(s, req->amend, versions, from, req->to, &roster, &stored);
                        if (r < 0)
                                return r;
                }
                r = roster_store(s, &roster, from, req->to);
                if (r < 0)
                        return r;
                r = store_savepoint_keep(&tx);
                if (r < 0)
                        return r;
                roster.stored = true;
        }

        *ret = roster;
        roster = (DutyRoster) {};
        return 0;
}

/* ---- Holidays ---- */

static Day first_unknown_day(const Calendar *cal, Day from) {
        for (Day d = from; d < from + DUTY_UNKNOWN_SCAN_DAYS && d <= day_last(); d++)
                if (calendar_day_type(cal, d) == DAY_TYPE_UNKNOWN)
                        return d;
        return DAY_NONE;
}

static int holiday_next(const Config *c, const Calendar *cal, Day today, HolidayRun *ret, Refusal *p) {
        HolidayRun run;
        Day after = today;
        int r;

        /* A run under way has begun: the next one starts after it. */
        for (;;) {
                r = calendar_next_holiday_run(cal, after, &run);
                if (r == -ENODATA) {
                        Day u = first_unknown_day(cal, after);

                        if (u != DAY_NONE)
                                return problem_unknown(p, c, u);
                        return problem_not_found(p, c, "holiday", config_en(c) ? "(next)" : "（下一个）");
                }
                if (r < 0)
                        return r;
                if (run.from > today)
                        break;
                after = run.to + 1;
        }

        *ret = run;
        return 0;
}

static int holiday_named(const Config *c, const Calendar *cal, const char *name, int year, HolidayRun *ret,
                         Refusal *p) {
        char id[DUTY_TEXT_MAX + DUTY_INT_STRING_MAX];
        HolidayRun run;
        int r;

        r = calendar_find_holiday_run(cal, name, year, &run);
        if (r == -ENODATA)
                return problem_unknown(p, c, day_from_ymd(year, 1, 1));
        if (r == -ENOENT) {
                snprintf(id, sizeof(id), "%s %d", name, year);
                return problem_not_found(p, c, "holiday", id);
        }
        if (r < 0)
                return r;

        *ret = run;
        return 0;
}

int duty_holiday_find(const Config *c, const char *name, int year, Day today, HolidayRun *ret,
                      Refusal *ret_problem) {
        Calendar cal;
        HolidayRun run;
        int r;

        problem_init(ret_problem);
        if (!c || !ret || today == DAY_NONE || (name && isempty(name)) || (name && strlen(name) > DUTY_TEXT_MAX))
                return -EINVAL;
        if (year != 0 && (year < DAY_MIN_YEAR || year > DAY_MAX_YEAR))
                return -ERANGE;

        cal = config_calendar(c);

        if (!name)
                r = holiday_next(c, &cal, today, &run, ret_problem);
        else if (year != 0)
                r = holiday_named(c, &cal, name, year, &run, ret_problem);
        else {
                /* This year's, unless it has begun (or the year has none): then next year's. */
                r = holiday_named(c, &cal, name, day_year(today), &run, ret_problem);
                if (r == -ENOENT || (r >= 0 && run.from <= today)) {
                        refusal_done(ret_problem);
                        r = day_year(today) < DAY_MAX_YEAR ?
                                holiday_named(c, &cal, name, day_year(today) + 1, &run, ret_problem) :
                                problem_not_found(ret_problem, c, "holiday", name);
                }
        }
        if (r < 0)
                return r;

        *ret = run;
        return 0;
}

/* ---- Manual changes ---- */

static const char *person_label(const Config *c, const char *id) {
        const Person *p = config_find_person(c, id);

        return p && p->name ? p->name : id;
}

static int problem_violation(Refusal *p, const Config *c, const RosterViolation *v, const Post *post) {
        char d[DAY_STRING_MAX], o[DAY_STRING_MAX], other[DAY_STRING_MAX + 64] = "";
        const char *msg = roster_violation_message(v->kind, c->language);

        day_format(v->day, d);
        if (v->other_day != DAY_NONE)
                snprintf(other, sizeof(other), config_en(c) ? " (other duty on %s)" : "（另一值班日 %s）",
                         day_format(v->other_day, o));

        if (config_en(c))
                return problem_rule(p, roster_violation_kind_to_string(v->kind), v->day, "%s cannot take %s on %s: %s%s",
                                    person_label(c, v->person), post->name, d, msg, other);
        return problem_rule(p, roster_violation_kind_to_string(v->kind), v->day, "%s 不能安排在 %s 的%s：%s%s",
                            person_label(c, v->person), d, post->name, msg, other);
}

static int problem_post_full(Refusal *p, const Config *c, const Post *post, Day day) {
        char d[DAY_STRING_MAX];

        day_format(day, d);
        if (config_en(c))
                return problem_rule(p, DUTY_RULE_POST_FULL, day,
                                    "every slot of %s on %s is taken; take someone off first", post->name, d);
        return problem_rule(p, DUTY_RULE_POST_FULL, day, "%s 的%s已满员，请先取消其中一人的安排", d, post->name);
}

/* The slot a manual assignment takes: the first slot number below the day's post count (or
 * beyond it, among stored slots) that is not stored, or stored empty and unlocked. -EBUSY if none,
 * with the first number past every slot in *ret, for checking the person all the same. */
static int assign_pick_slot(const StoredSlots *st, Day day, const char *post, unsigned count, int *ret) {
        int top = (int) count;

        for (size_t i = 0; i < st->n; i++)
                if (st->items[i].day == day && streq(st->items[i].post, post) && st->items[i].slot + 1 > top)
                        top = st->items[i].slot + 1;

        for (int k = 0; k < top && k < ROSTER_SLOTS_MAX; k++) {
                const StoreAssignment *a = stored_find(st, day, post, k);

                if (!a ? k < (int) count : (!a->person && !a->locked)) {
                        *ret = k;
                        return 0;
                }
        }
        *ret = top;
        return -EBUSY;
}

static int assign_check(Store *s, const Config *c, const Calendar *cal, const StoredSlots *st, Day day,
                        const Post *post, const Person *person, int slot, Refusal *p) {
        _cleanup_(duty_absences_done) DutyAbsences absences = {};
        _cleanup_free_ RosterSlot *existing = NULL, *checked = NULL;
        _cleanup_free_ RosterViolation *violations = NULL;
        size_t n_checked = 0, n_violations = 0;
        int r;

        r = roster_slots_from_stored(st, &existing);
        if (r < 0)
                return r;

        /* The day as it would be: its other slots unchanged, the new one last, so that a clash on
         * the same day is reported on it. */
        checked = calloc(st->n + 1, sizeof(RosterSlot));
        if (!checked)
                return -ENOMEM;
        for (size_t i = 0; i < st->n; i++)
                if (existing[i].day == day && !(existing[i].slot == slot && streq(existing[i].post, post->id)))
                        checked[n_checked++] = existing[i];
        checked[n_checked++] = (RosterSlot) {
                .day = day,
                .post = post->id,
                .slot = slot,
                .person = person->id,
        };

        r = duty_absences_collect(s, c, day, day, &absences);
        if (r < 0)
                return r;

        RosterInput in = {
                .config = c,
                .calendar = cal,
                .from = day,
                .to = day,
                .existing = existing,
                .n_existing = st->n,
                .absences = absences.items,
                .n_absences = absences.n,
                .min_rest_days = roster_rest_days(c),
        };
        r = roster_check(&in, checked, n_checked, &violations, &n_violations);
        if (r < 0)
                return r;

        /* Only what the new assignment breaks: an older problem elsewhere that day is not its fault. */
        for (size_t i = 0; i < n_violations; i++) {
                const RosterViolation *v = &violations[i];

                if (v->slot == slot && v->post && streq(v->post, post->id) && v->person &&
                    streq(v->person, person->id))
                        return problem_violation(p, c, v, post);
        }
        return 0;
}

int duty_assign(Store *s, const Config *c, Day today, Day day, const char *post_id, const char *person_id,
                bool lock, DutyAmend *amend, StoreAssignment *ret, Refusal *ret_problem) {
        _cleanup_(duty_calendar_done) DutyCalendar dc = {};
        _cleanup_(stored_slots_done) StoredSlots st = {};
        _cleanup_(store_savepoint_holdp) StoreSavepointHold tx = {};
        _cleanup_(duty_assignment_done) StoreAssignment result = {};
        const Person *person;
        const Post *post;
        RosterDay rd;
        Day rest;
        bool full;
        int r, slot = -1, version = 0;

        problem_init(ret_problem);
        if (!s || !c || !post_id || !person_id || !ret || day == DAY_NONE || today == DAY_NONE ||
            !amend_valid(amend))
                return -EINVAL;
        if (day < today)
                return problem_past(ret_problem, c, day, today);
        post = config_find_post(c, post_id);
        if (!post)
                return problem_not_found(ret_problem, c, "post", post_id);
        person = config_find_person(c, person_id);
        if (!person)
                return problem_not_found(ret_problem, c, "person", person_id);

        rest = (Day) roster_rest_days(c);

        r = store_savepoint_hold(s, &savepoint_duty, &tx);
        if (r < 0)
                return r;

        r = stored_slots_load(s, day - rest, day + rest, &st);
        if (r < 0)
                return r;

        for (size_t i = 0; i < st.n; i++) {
                const StoreAssignment *a = &st.items[i];

                if (a->day != day || !streq(a->post, post->id) || strcmp_null(a->person, person->id) != 0)
                        continue;

                /* Already there: only the lock may change. */
                r = assignment_copy(&result, a);
                if (r < 0)
                        return r;
                if (lock && !a->locked) {
                        result.locked = true;
                        r = slot_store(s, day, a->post, a->slot, a->person, true, a->reason, a->source,
                                       a->assume_ordinary);
                        if (r < 0)
                                return r;
                        return savepoint_keep_assignment(&tx, &result, ret);
                }
                *ret = result;
                result = (StoreAssignment) {};
                return 0;
        }

        /* Only now: locking a duty already held changes nobody's duty, a published day's too. */
        r = published_check(s, c, day, amend, &version, ret_problem);
        if (r < 0)
                return r;

        r = duty_calendar_load(s, c, &dc);
        if (r < 0)
                return r;
        r = roster_day_classify(&dc.calendar, day, /* assume_ordinary= */ true, &rd);
        if (r < 0)
                return r;

        r = assign_pick_slot(&st, day, post->id, roster_post_count(post, &rd), &slot);
        if (r < 0 && r != -EBUSY)
                return r;
        full = r == -EBUSY;

        /* Whether the person may take the post at all tells more than that it is full. */
        r = assign_check(s, c, &dc.calendar, &st, day, post, person, slot, ret_problem);
        if (r < 0)
                return r;
        if (full)
                return problem_post_full(ret_problem, c, post, day);

        if (version > 0) {
                const StoreAssignment *old = stored_find(&st, day, post->id, slot);

                r = amend_record(s, amend, version, day, post->id, slot, old ? old->person : NULL, person->id);
                if (r < 0)
                        return r;
        }

        r = slot_store(s, day, post->id, slot, person->id, lock, NULL, DUTY_SOURCE_MANUAL, rd.assume_ordinary);
        if (r < 0)
                return r;
        r = assignment_fill(&result, day, post->id, slot, person->id, lock, NULL, DUTY_SOURCE_MANUAL,
                            rd.assume_ordinary);
        if (r < 0)
                return r;
        return savepoint_keep_assignment(&tx, &result, ret);
}

int duty_unassign(Store *s, const Config *c, Day today, Day day, const char *post_id, const char *person_id,
                  DutyAmend *amend, Refusal *ret_problem) {
        _cleanup_(stored_slots_done) StoredSlots st = {};
        _cleanup_(store_savepoint_holdp) StoreSavepointHold tx = {};
        char id[DAY_STRING_MAX + 2 * DUTY_TEXT_MAX + 2], d[DAY_STRING_MAX];
        int r, version = 0;

        problem_init(ret_problem);
        if (!s || !c || !post_id || !person_id || day == DAY_NONE || today == DAY_NONE || !amend_valid(amend))
                return -EINVAL;
        if (day < today)
                return problem_past(ret_problem, c, day, today);

        r = store_savepoint_hold(s, &savepoint_duty, &tx);
        if (r < 0)
                return r;

        r = stored_slots_load(s, day, day, &st);
        if (r < 0)
                return r;

        for (size_t i = 0; i < st.n; i++) {
                const StoreAssignment *a = &st.items[i];

                if (!streq(a->post, post_id) || strcmp_null(a->person, person_id) != 0)
                        continue;

                r = published_check(s, c, day, amend, &version, ret_problem);
                if (r < 0)
                        return r;
                if (version > 0) {
                        r = amend_record(s, amend, version, day, a->post, a->slot, a->person, NULL);
                        if (r < 0)
                                return r;
                }

                r = slot_store(s, day, a->post, a->slot, NULL, false, DUTY_REASON_UNASSIGNED, DUTY_SOURCE_MANUAL,
                               a->assume_ordinary);
                if (r < 0)
                        return r;
                return store_savepoint_keep(&tx);
        }

        snprintf(id, sizeof(id), "%s %s %s", day_format(day, d), post_id, person_id);
        return problem_not_found(ret_problem, c, "assignment", id);
}

/* ---- Publication ---- */

int duty_publish(Store *s, const Config *c, Day from, Day to, uint64_t now_usec, int *ret_version,
                 unsigned *ret_empty, Refusal *ret_problem) {
        _cleanup_(stored_slots_done) StoredSlots st = {};
        _cleanup_(store_savepoint_holdp) StoreSavepointHold tx = {};
        unsigned empty = 0;
        int r, version;
        size_t i = 0;

        problem_init(ret_problem);
        if (!s || !c || !ret_version)
                return -EINVAL;
        if (!range_valid(from, to, DUTY_VIEW_DAYS_MAX))
                return -ERANGE;

        r = store_savepoint_hold(s, &savepoint_duty, &tx);
        if (r < 0)
                return r;

        r = stored_slots_load(s, from, to, &st);
        if (r < 0)
                return r;

        /* A day without any slot was never planned: publishing it would promise a roster nobody made. */
        for (Day d = from; d <= to; d++) {
                char buf[DAY_STRING_MAX];
                bool any = false;

                for (; i < st.n && st.items[i].day == d; i++) {
                        any = true;
                        if (!st.items[i].person)
                                empty++;
                }
                if (!any)
                        return problem_set(ret_problem, REFUSAL_FAILED, -ENOMSG,
                                           config_en(c) ? "%s has no roster yet; generate it before publishing"
                                                        : "%s 尚无值班安排，请先生成后再发布",
                                           day_format(d, buf));
        }

        r = store_publication_create(s, from, to, now_usec, &version);
        if (r < 0)
                return r;
        r = store_savepoint_keep(&tx);
        if (r < 0)
                return r;

        *ret_version = version;
        if (ret_empty)
                *ret_empty = empty;
        return 0;
}

/* Room for one more change; false on OOM. */
static bool diff_grow(DutyDiff *d) {
        DutyChange *c;
        size_t n;

        if (d->n_changes < d->allocated)
                return true;
        n = d->allocated ? d->allocated * 2 : 16;
        c = reallocarray(d->changes, n, sizeof(DutyChange));
        if (!c)
                return false;
        d->changes = c;
        d->allocated = n;
        return true;
}

void duty_diff_done(DutyDiff *d) {
        if (!d)
                return;
        for (size_t i = 0; i < d->n_changes; i++) {
                free(d->changes[i].post);
                free(d->changes[i].before);
                free(d->changes[i].after);
        }
        free(d->changes);
        *d = (DutyDiff) {};
}

static int slot_key_compare(const StoreAssignment *a, const StoreAssignment *b) {
        int k;

        if (a->day != b->day)
                return a->day < b->day ? -1 : 1;
        k = strcmp(a->post, b->post);
        if (k != 0)
                return k;
        return (a->slot > b->slot) - (a->slot < b->slot);
}

static int diff_add(DutyDiff *d, const StoreAssignment *key, int version, const char *before, const char *after) {
        DutyChange *ch;

        if (!diff_grow(d))
                return -ENOMEM;
        ch = &d->changes[d->n_changes];
        *ch = (DutyChange) {
                .day = key->day,
                .slot = key->slot,
                .version = version,
                .post = strdup(key->post),
                .before = before ? strdup(before) : NULL,
                .after = after ? strdup(after) : NULL,
        };
        d->n_changes++;
        if (!ch->post || (before && !ch->before) || (after && !ch->after))
                return -ENOMEM;
        return 0;
}

/* Appends the differences between the published slots `pub` and the slots now `now` (both ordered
 * by day, post, slot, both of the same days), as changes of `version`. */
static int diff_walk(DutyDiff *d, int version, const StoreAssignment *pub, size_t n_pub, const StoreAssignment *now,
                     size_t n_now) {
        size_t i = 0, j = 0;
        int r;

        while (i < n_pub || j < n_now) {
                const StoreAssignment *a = i < n_pub ? &pub[i] : NULL;
                const StoreAssignment *b = j < n_now ? &now[j] : NULL;
                int k = !a ? 1 : !b ? -1 : slot_key_compare(a, b);

                r = 0;
                if (k < 0) {
                        if (a->person)
                                r = diff_add(d, a, version, a->person, NULL);
                        i++;
                } else if (k > 0) {
                        if (b->person)
                                r = diff_add(d, b, version, NULL, b->person);
                        j++;
                } else {
                        if (strcmp_null(a->person, b->person) != 0)
                                r = diff_add(d, a, version, a->person, b->person);
                        i++;
                        j++;
                }
                if (r < 0)
                        return r;
        }
        return 0;
}

/* The slots of day d in a list ordered by day: [*ret_begin, *ret_end). */
static void slots_of_day(const StoreAssignment *a, size_t n, Day d, size_t *ret_begin, size_t *ret_end) {
        size_t lo = 0, hi = n, e;

        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;

                if (a[mid].day < d)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        for (e = lo; e < n && a[e].day == d; e++)
                ;
        *ret_begin = lo;
        *ret_end = e;
}

static void publications_free(StorePublication *p, size_t n) {
        for (size_t i = 0; p && i < n; i++)
                store_publication_done(&p[i]);
        free(p);
}

/* Every published day against the version covering it. */
static int diff_each_day(Store *s, const Config *c, DutyDiff *d, Refusal *p) {
        _cleanup_free_ StorePublicationRange *ranges = NULL;
        _cleanup_free_ int *versions = NULL;
        _cleanup_(stored_slots_done) StoredSlots now = {};
        StorePublication *pubs = NULL;
        size_t n_ranges = 0, n_pubs = 0;
        Day from = DAY_NONE, to = DAY_NONE;
        int r, newest = 0;

        r = store_publication_ranges(s, day_first(), day_last(), &ranges, &n_ranges);
        if (r < 0)
                return r;
        if (n_ranges == 0)
                return problem_not_found(p, c, "publication", config_en(c) ? "(newest)" : "（最新）");
        for (size_t i = 0; i < n_ranges; i++) {
                if (from == DAY_NONE || ranges[i].from_day < from)
                        from = ranges[i].from_day;
                if (to == DAY_NONE || ranges[i].to_day > to)
                        to = ranges[i].to_day;
                if (ranges[i].version > newest)
                        newest = ranges[i].version;
        }

        r = duty_published_versions(s, from, to, &versions);
        if (r < 0)
                return r;
        r = stored_slots_load(s, from, to, &now);
        if (r < 0)
                return r;

        /* Only the versions that still cover a day: a snapshot wholly published over again is not
         * compared with anything. */
        pubs = calloc(n_ranges, sizeof(StorePublication));
        if (!pubs)
                return -ENOMEM;
        for (size_t i = 0; i < n_ranges; i++) {
                bool covers = false;

                for (Day day = ranges[i].from_day; day <= ranges[i].to_day && !covers; day++)
                        covers = versions[day - from] == ranges[i].version;
                if (!covers)
                        continue;
                r = store_publication_get(s, ranges[i].version, &pubs[n_pubs]);
                if (r < 0)
                        goto finish;
                n_pubs++;
        }

        *d = (DutyDiff) { .version = newest, .from = from, .to = to };
        for (Day day = from; day <= to; day++) {
                const StorePublication *pub = NULL;
                size_t pb, pe, nb, ne;

                if (versions[day - from] == 0)
                        continue;
                for (size_t i = 0; i < n_pubs && !pub; i++)
                        if (pubs[i].version == versions[day - from])
                                pub = &pubs[i];
                if (!pub)
                        continue;

                slots_of_day(pub->slots, pub->n_slots, day, &pb, &pe);
                slots_of_day(now.items, now.n, day, &nb, &ne);
                r = diff_walk(d, pub->version, pub->slots + pb, pe - pb, now.items + nb, ne - nb);
                if (r < 0)
                        goto finish;
        }
        r = 0;

finish:
        publications_free(pubs, n_pubs);
        return r;
}

int duty_diff(Store *s, const Config *c, int version, DutyDiff *ret, Refusal *ret_problem) {
        _cleanup_(store_publication_done) StorePublication pub = {};
        _cleanup_(stored_slots_done) StoredSlots now = {};
        _cleanup_(duty_diff_done) DutyDiff d = {};
        char id[DUTY_INT_STRING_MAX];
        int r;

        problem_init(ret_problem);
        if (!s || !c || !ret || version < 0)
                return -EINVAL;

        if (version == 0) {
                r = diff_each_day(s, c, &d, ret_problem);
                if (r < 0)
                        return r;
                *ret = d;
                d = (DutyDiff) {};
                return 0;
        }

        r = store_publication_get(s, version, &pub);
        if (r == -ENOENT) {
                snprintf(id, sizeof(id), "%d", version);
                return problem_not_found(ret_problem, c, "publication", id);
        }
        if (r < 0)
                return r;

        r = stored_slots_load(s, pub.from_day, pub.to_day, &now);
        if (r < 0)
                return r;

        d = (DutyDiff) { .version = pub.version, .from = pub.from_day, .to = pub.to_day };
        r = diff_walk(&d, pub.version, pub.slots, pub.n_slots, now.items, now.n);
        if (r < 0)
                return r;

        *ret = d;
        d = (DutyDiff) {};
        return 0;
}

/* ---- Statistics ---- */

void duty_stats_done(DutyStats *st) {
        if (!st)
                return;
        roster_stats_free(st->stats);
        free(st->last);
        *st = (DutyStats) {};
}

int duty_stats(Store *s, const Config *c, int year, Day today, DutyStats *ret) {
        _cleanup_(stored_slots_done) StoredSlots st = {};
        _cleanup_(roster_stats_freep) RosterStats *stats = NULL;
        _cleanup_free_ RosterSlot *slots = NULL;
        _cleanup_free_ RosterHistory *history = NULL;
        _cleanup_free_ Day *last = NULL;
        size_t n_history = 0, served = 0;
        Calendar cal;
        Day from, to;
        int r;

        if (!s || !c || !ret || year < DAY_MIN_YEAR || year > DAY_MAX_YEAR)
                return -EINVAL;

        from = day_from_ymd(year, 1, 1);
        to = day_from_ymd(year, 12, 31);
        cal = config_calendar(c);

        r = stored_slots_load(s, from, to, &st);
        if (r < 0)
                return r;
        r = roster_slots_from_stored(&st, &slots);
        if (r < 0)
                return r;
        r = roster_stats(c, &cal, from, to, slots, st.n, &stats);
        if (r < 0)
                return r;

        /* Served: the duties up to the one running now (slots are ordered by day). */
        while (served < st.n && slots[served].day <= today)
                served++;
        r = roster_history_from_slots(c, &cal, slots, served, &history, &n_history);
        if (r < 0)
                return r;
        last = calloc(c->n_people ?: 1, sizeof(Day));
        if (!last)
                return -ENOMEM;
        for (size_t i = 0; i < c->n_people; i++)
                last[i] = i < n_history ? history[i].last_served : DAY_NONE;

        *ret = (DutyStats) {
                .year = year,
                .stats = TAKE_PTR(stats),
                .last = TAKE_PTR(last),
                .n_last = c->n_people,
        };
        return 0;
}

/* ---- Sensitive periods and unavailability ---- */

static int check_text(Refusal *p, const Config *c, const char *what, const char *s) {
        if (s && strlen(s) > DUTY_TEXT_MAX)
                return problem_set(p, REFUSAL_FAILED, -E2BIG,
                                   config_en(c) ? "the %s is longer than %d bytes" : "%s超过 %d 字节",
                                   what, DUTY_TEXT_MAX);
        return 0;
}

/* Holds the savepoint of a change that adds one row (*tx), and refuses it where `count` rows are
 * already stored, `max` at the most. */
static int savepoint_hold_room(Refusal *p, Store *s, const Config *c, StoreSavepointHold *tx,
                               int (*count)(Store *s, uint64_t *ret), uint64_t max, const char *what) {
        uint64_t n;
        int r;

        r = store_savepoint_hold(s, &savepoint_duty, tx);
        if (r < 0)
                return r;
        r = count(s, &n);
        if (r < 0)
                return r;
        if (n >= max)
                return problem_set(p, REFUSAL_FAILED, -ENOSPC,
                                   config_en(c) ? "there are already %" PRIu64 " %s; remove old ones first"
                                                : "已有 %" PRIu64 " 条%s，请先删除过时的记录",
                                   n, what);
        return 0;
}

/* Keeps what the savepoint holds, then hands out the new row's id (untouched if keeping fails). */
static int savepoint_keep_id(StoreSavepointHold *tx, int64_t id, int64_t *ret_id) {
        int r;

        r = store_savepoint_keep(tx);
        if (r < 0)
                return r;
        if (ret_id)
                *ret_id = id;
        return 0;
}

int duty_sensitive_add(Store *s, const Config *c, const char *name, Day from, Day to, unsigned extra_officers,
                       LeavePolicy leave, uint64_t now_usec, int64_t *ret_id, Refusal *ret_problem) {
        _cleanup_(store_savepoint_holdp) StoreSavepointHold tx = {};
        int64_t id;
        int r;

        problem_init(ret_problem);
        if (!s || !c || isempty(name) || leave < 0 || leave >= _LEAVE_POLICY_MAX)
                return -EINVAL;
        if (!range_valid(from, to, DUTY_VIEW_DAYS_MAX) || extra_officers > DUTY_EXTRA_OFFICERS_MAX)
                return -ERANGE;
        r = check_text(ret_problem, c, config_en(c) ? "name" : "名称", name);
        if (r < 0)
                return r;

        r = savepoint_hold_room(ret_problem, s, c, &tx, store_sensitive_period_count, DUTY_SENSITIVE_STORED_MAX,
                                config_en(c) ? "sensitive periods" : "敏感时期");
        if (r < 0)
                return r;

        r = store_sensitive_period_add(s, name, from, to, (int) extra_officers, leave_policy_to_string(leave),
                                       now_usec, &id);
        if (r < 0)
                return r;
        return savepoint_keep_id(&tx, id, ret_id);
}

/* A row id written as plain decimal digits. */
static int parse_id(const char *s, int64_t *ret) {
        char *end;
        long long v;

        if (isempty(s) || s[0] < '0' || s[0] > '9')
                return -EINVAL;
        errno = 0;
        v = strtoll(s, &end, 10);
        if (errno != 0 || *end != '\0' || v <= 0)
                return -EINVAL;
        *ret = v;
        return 0;
}

int duty_sensitive_remove(Store *s, const Config *c, const char *id, Refusal *ret_problem) {
        _cleanup_(store_savepoint_holdp) StoreSavepointHold tx = {};
        int64_t row;
        int r;

        problem_init(ret_problem);
        if (!s || !c || !id)
                return -EINVAL;

        for (size_t i = 0; i < c->n_sensitive; i++)
                if (c->sensitive[i].id && streq(c->sensitive[i].id, id))
                        return problem_set(ret_problem, REFUSAL_FAILED, -EROFS,
                                           config_en(c) ? "sensitive period \"%s\" is defined in %s; remove it there and reload"
                                                        : "敏感时期“%s”在配置文件 %s 中定义，请在文件中删除后重新加载配置",
                                           id, strempty(c->path));

        if (parse_id(id, &row) < 0)
                return problem_not_found(ret_problem, c, "sensitive_period", id);

        r = store_savepoint_hold(s, &savepoint_duty, &tx);
        if (r < 0)
                return r;

        r = store_sensitive_period_remove(s, row);
        if (r == -ENOENT)
                return problem_not_found(ret_problem, c, "sensitive_period", id);
        if (r < 0)
                return r;
        return store_savepoint_keep(&tx);
}

int duty_unavailable_add(Store *s, const Config *c, const char *person, Day from, Day to, const char *reason,
                         int64_t *ret_id, Refusal *ret_problem) {
        _cleanup_(store_savepoint_holdp) StoreSavepointHold tx = {};
        int64_t id;
        int r;

        problem_init(ret_problem);
        if (!s || !c || !person)
                return -EINVAL;
        if (!range_valid(from, to, DUTY_VIEW_DAYS_MAX))
                return -ERANGE;
        if (!config_find_person(c, person))
                return problem_not_found(ret_problem, c, "person", person);
        r = check_text(ret_problem, c, config_en(c) ? "reason" : "原因", reason);
        if (r < 0)
                return r;

        r = savepoint_hold_room(ret_problem, s, c, &tx, store_unavailable_count, DUTY_UNAVAILABLE_STORED_MAX,
                                config_en(c) ? "unavailability entries" : "无法值班记录");
        if (r < 0)
                return r;

        r = store_unavailable_add(s, person, from, to, isempty(reason) ? NULL : reason, &id);
        if (r < 0)
                return r;
        return savepoint_keep_id(&tx, id, ret_id);
}

int duty_unavailable_remove(Store *s, const Config *c, int64_t id, Refusal *ret_problem) {
        _cleanup_(store_savepoint_holdp) StoreSavepointHold tx = {};
        char buf[DUTY_INT_STRING_MAX];
        int r;

        problem_init(ret_problem);
        if (!s || !c)
                return -EINVAL;

        r = store_savepoint_hold(s, &savepoint_duty, &tx);
        if (r < 0)
                return r;

        r = store_unavailable_remove(s, id);
        if (r == -ENOENT) {
                snprintf(buf, sizeof(buf), "%" PRId64, id);
                return problem_not_found(ret_problem, c, "unavailability", buf);
        }
        if (r < 0)
                return r;
        return store_savepoint_keep(&tx);
}
