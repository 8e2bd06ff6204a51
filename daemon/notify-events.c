/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The person events. See notify-events.h. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "leave.h"
#include "notify-change.h"
#include "notify-events.h"
#include "notify-outbox.h"

#define KEY_MAX 256

static bool same_person(const char *a, const char *b) {
        return a && b && streq(a, b);
}

static const char *post_name(const Config *c, const char *id) {
        const Post *p = id ? config_find_post(c, id) : NULL;

        return p && p->name ? p->name : id;
}

/* ---- roster_changed ---- */

static int duties_of(const Config *c, const NotifyHeld *h, size_t n, NotifyDuty **ret) {
        NotifyDuty *d = calloc(n ?: 1, sizeof(NotifyDuty));

        if (!d)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++)
                d[i] = (NotifyDuty) { .day = h[i].day, .post_name = post_name(c, h[i].post) };
        *ret = d;
        return 0;
}

/* One message per person whose duties differ; key_prefix names the event ("v3", "a17"). */
static int roster_tell(Store *s, const Config *c, const NotifyHeld *before, size_t n_before, const NotifyHeld *after,
                       size_t n_after, const char *key_prefix, int version, const char *reason, uint64_t now_usec) {
        NotifyPersonChange *v = NULL;
        size_t n = 0;
        int r;

        r = notify_changes_per_person(before, n_before, after, n_after, &v, &n);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n && r >= 0; i++) {
                _cleanup_free_ NotifyDuty *added = NULL, *removed = NULL;
                char key[KEY_MAX];
                NotifyFacts f;

                r = duties_of(c, v[i].added, v[i].n_added, &added);
                if (r >= 0)
                        r = duties_of(c, v[i].removed, v[i].n_removed, &removed);
                if (r < 0)
                        break;
                f = (NotifyFacts) {
                        .kind = NOTIFY_KIND_ROSTER_CHANGED,
                        .day = DAY_NONE,
                        .until = DAY_NONE,
                        .version = version,
                        .reason = reason,
                        .added = added,
                        .n_added = v[i].n_added,
                        .removed = removed,
                        .n_removed = v[i].n_removed,
                };
                (void) snprintf(key, sizeof(key), "roster_changed:%s:%s", key_prefix, v[i].person);
                r = notify_outbox_add(s, c, v[i].person, key, &f, now_usec);
        }
        notify_person_changes_free(v, n);
        return r;
}

static NotifyHeld *held_of_assignments(const StoreAssignment *a, size_t n) {
        NotifyHeld *h = calloc(n ?: 1, sizeof(NotifyHeld));

        for (size_t i = 0; h && i < n; i++)
                h[i] = (NotifyHeld) { .day = a[i].day, .post = a[i].post, .person = a[i].person };
        return h;
}

int notify_roster_published(Store *s, const Config *c, Day from, Day to, int version, uint64_t now_usec) {
        _cleanup_free_ StorePublicationRange *ranges = NULL;
        _cleanup_free_ int *previous = NULL;
        _cleanup_free_ NotifyHeld *before = NULL, *after = NULL;
        StorePublication *pubs = NULL;
        StoreAssignment *now = NULL;
        size_t n_ranges = 0, n_pubs = 0, n_now = 0, n_before = 0, cap = 0;
        char prefix[32];
        int r;

        if (!s || !c || from == DAY_NONE || to == DAY_NONE || from > to || version <= 0)
                return -EINVAL;
        if (c->notify.n_channels == 0)
                return 0;

        /* Per day, the version that covered it before this one (0: never published). */
        r = store_publication_ranges(s, from, to, &ranges, &n_ranges);
        if (r < 0)
                return r;
        previous = calloc((size_t) (to - from) + 1, sizeof(int));
        if (!previous)
                return -ENOMEM;
        for (size_t i = 0; i < n_ranges; i++)
                for (Day d = ranges[i].from_day > from ? ranges[i].from_day : from; d <= to && d <= ranges[i].to_day; d++)
                        if (ranges[i].version < version && ranges[i].version > previous[d - from])
                                previous[d - from] = ranges[i].version;

        /* The duties those versions held on these days. */
        pubs = calloc(n_ranges ?: 1, sizeof(StorePublication));
        if (!pubs)
                return -ENOMEM;
        for (size_t i = 0; i < n_ranges; i++) {
                bool used = false;

                for (Day d = ranges[i].from_day > from ? ranges[i].from_day : from; d <= to && d <= ranges[i].to_day && !used; d++)
                        used = previous[d - from] == ranges[i].version;
                if (!used)
                        continue;
                r = store_publication_get(s, ranges[i].version, &pubs[n_pubs]);
                if (r < 0)
                        goto finish;
                n_pubs++;
                cap += pubs[n_pubs - 1].n_slots;
        }
        before = calloc(cap ?: 1, sizeof(NotifyHeld));
        if (!before) {
                r = -ENOMEM;
                goto finish;
        }
        for (size_t i = 0; i < n_pubs; i++)
                for (size_t k = 0; k < pubs[i].n_slots; k++) {
                        const StoreAssignment *a = &pubs[i].slots[k];

                        if (a->day < from || a->day > to || previous[a->day - from] != pubs[i].version)
                                continue;
                        before[n_before++] = (NotifyHeld) { .day = a->day, .post = a->post, .person = a->person };
                }

        /* This version froze the assignments as they are now. */
        r = store_assignment_list(s, from, to, &now, &n_now);
        if (r < 0)
                goto finish;
        after = held_of_assignments(now, n_now);
        if (!after) {
                r = -ENOMEM;
                goto finish;
        }

        (void) snprintf(prefix, sizeof(prefix), "v%d", version);
        r = roster_tell(s, c, before, n_before, after, n_now, prefix, version, NULL, now_usec);

finish:
        for (size_t i = 0; i < n_pubs; i++)
                store_publication_done(&pubs[i]);
        free(pubs);
        store_assignment_free_many(now, n_now);
        return r;
}

int notify_roster_amended(Store *s, const Config *c, const StoreAmendment *a, size_t n, uint64_t now_usec) {
        _cleanup_free_ NotifyHeld *before = NULL, *after = NULL;
        int64_t first = INT64_MAX;
        char prefix[32];

        if (!s || !c || (!a && n > 0))
                return -EINVAL;
        if (n == 0 || c->notify.n_channels == 0)
                return 0;

        before = calloc(n, sizeof(NotifyHeld));
        after = calloc(n, sizeof(NotifyHeld));
        if (!before || !after)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                before[i] = (NotifyHeld) { .day = a[i].day, .post = a[i].post, .person = a[i].before };
                after[i] = (NotifyHeld) { .day = a[i].day, .post = a[i].post, .person = a[i].after };
                if (a[i].id < first)
                        first = a[i].id;
        }
        /* The request's amendments are one change: its first amendment names it. */
        (void) snprintf(prefix, sizeof(prefix), "a%lld", (long long) first);
        return roster_tell(s, c, before, n, after, n, prefix, 0, a[0].reason, now_usec);
}

/* ---- swaps ---- */

int notify_swap_approval(Store *s, const Config *c, const SwapContext *ctx, const Swap *sw, uint64_t now_usec) {
        bool any = false;
        int r = 0;

        if (!s || !c || !ctx || !sw)
                return -EINVAL;
        if (c->notify.n_channels == 0)
                return 0;

        /* First the leaders on call (as themselves, not as administrators); none: the administrators. */
        for (int pass = 0; pass < 2 && !any && r >= 0; pass++)
                for (size_t i = 0; i < c->n_people && r >= 0; i++) {
                        const Person *p = &c->people[i];
                        SwapActor actor = { .person = p->id, .admin = pass == 1 };
                        char key[KEY_MAX];
                        NotifyFacts f;

                        if (!p->id || (pass == 1 && !person_has_role(p, ROLE_ADMIN)))
                                continue;
                        if (!swap_may_approve(ctx, sw, &actor))
                                continue;
                        any = true;
                        f = (NotifyFacts) {
                                .kind = NOTIFY_KIND_SWAP_APPROVAL,
                                .other_name = config_person_name(c, sw->requester),
                                .third_name = config_person_name(c, sw->counterpart),
                                .day = sw->day,
                                .until = DAY_NONE,
                                .id = sw->id,
                        };
                        (void) snprintf(key, sizeof(key), "swap_approval:%lld:%s", (long long) sw->id, p->id);
                        r = notify_outbox_add(s, c, p->id, key, &f, now_usec);
                }
        return r;
}

static const char *const outcome_key[_NOTIFY_SWAP_OUTCOME_MAX] = {
        [NOTIFY_SWAP_APPROVED] = "approved",
        [NOTIFY_SWAP_DECLINED] = "declined",
        [NOTIFY_SWAP_CANCELLED] = "cancelled",
};

int notify_swap_decided(Store *s, const Config *c, const Swap *sw, NotifySwapOutcome outcome, const char *by,
                        const char *note, uint64_t now_usec) {
        const char *to[2];
        int r = 0;

        if (!s || !c || !sw || outcome < 0 || outcome >= _NOTIFY_SWAP_OUTCOME_MAX)
                return -EINVAL;
        to[0] = sw->requester;
        to[1] = outcome == NOTIFY_SWAP_APPROVED ? sw->counterpart : NULL;

        for (size_t i = 0; i < 2 && r >= 0; i++) {
                char key[KEY_MAX];
                NotifyFacts f;

                /* Nobody is told of what they did themselves. */
                if (!to[i] || same_person(to[i], by))
                        continue;
                f = (NotifyFacts) {
                        .kind = NOTIFY_KIND_SWAP_DECIDED,
                        .other_name = config_person_name(c, sw->requester),
                        /* NULL: root, "an administrator" in the text. */
                        .third_name = config_person_name(c, by),
                        .day = i == 0 ? sw->day : (sw->their_day != DAY_NONE ? sw->their_day : sw->day),
                        .until = DAY_NONE,
                        .id = sw->id,
                        .outcome = outcome,
                        .reason = note,
                        .to_other = i == 1,
                };
                (void) snprintf(key, sizeof(key), "swap_decided:%lld:%s:%s", (long long) sw->id, outcome_key[outcome], to[i]);
                r = notify_outbox_add(s, c, to[i], key, &f, now_usec);
        }
        return r;
}

/* ---- timed: duty_soon, return_overdue ---- */

static int duty_soon_queue(Store *s, const Config *c, Day day, uint64_t now_usec) {
        StoreAssignment *a = NULL;
        size_t n = 0;
        int r;

        r = store_assignment_list(s, day, day, &a, &n);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n && r >= 0; i++) {
                char key[KEY_MAX];
                NotifyFacts f = {
                        .kind = NOTIFY_KIND_DUTY_SOON,
                        .day = day,
                        .until = DAY_NONE,
                        .minutes = c->handover_minutes,
                        .post_name = post_name(c, a[i].post),
                };

                if (!a[i].person)
                        continue;
                (void) snprintf(key, sizeof(key), "duty_soon:%s:%s:%d", a[i].person, a[i].post, (int) day);
                r = notify_outbox_add(s, c, a[i].person, key, &f, now_usec);
        }
        store_assignment_free_many(a, n);
        return r;
}

static int return_overdue_queue(Store *s, const Config *c, Day today, int minutes, uint64_t now_usec) {
        StoreLeaveFilter filter = {
                .states = STORE_LEAVE_STATE_BIT(LEAVE_STATE_APPROVED) | STORE_LEAVE_STATE_BIT(LEAVE_STATE_STARTED),
                .from = today - NOTIFY_OVERDUE_LOOKBACK_DAYS,
                .to = today,
                .limit = NOTIFY_OVERDUE_SCAN_MAX,
        };
        LeaveTime now = { .day = today, .minutes = minutes };
        StoreLeave *v = NULL;
        size_t n = 0;
        int r;

        r = store_leave_list(s, &filter, &v, &n);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n && r >= 0; i++) {
                const Leave *l = &v[i].leave;
                /* Who decides about this person's leave, else who approved this one. */
                const char *approver = v[i].approver ?: l->decided_by;
                const char *to[2] = { l->person, same_person(approver, l->person) ? NULL : approver };

                /* The gap monitor's leave_overdue, the same definition. */
                if (leave_effective_state(l, now) != LEAVE_STATE_OVERDUE)
                        continue;
                for (size_t k = 0; k < 2 && r >= 0; k++) {
                        char key[KEY_MAX];
                        NotifyFacts f = {
                                .kind = NOTIFY_KIND_RETURN_OVERDUE,
                                .other_name = config_person_name(c, l->person),
                                .day = l->start.day,
                                .until = l->end.minutes == 0 ? l->end.day - 1 : l->end.day,
                                .id = l->id,
                                .to_other = k == 1,
                        };

                        if (!to[k])
                                continue;
                        (void) snprintf(key, sizeof(key), "return_overdue:%lld:%s", (long long) l->id, to[k]);
                        r = notify_outbox_add(s, c, to[k], key, &f, now_usec);
                }
        }
        store_leave_free_many(v, n);
        return r;
}

int notify_events_timed(Store *s, const Config *c, Day today, int minutes, uint64_t now_usec) {
        int64_t now_abs = (int64_t) today * MINUTES_PER_DAY + minutes;
        int r = 0;

        if (!s || !c || today == DAY_NONE)
                return -EINVAL;
        if (c->notify.n_channels == 0)
                return 0;

        /* A duty day begins at the handover: the next one is today's or tomorrow's. */
        if (c->notify.soon_minutes > 0)
                for (Day d = today; d <= today + 1 && r >= 0; d++) {
                        int64_t begins = (int64_t) d * MINUTES_PER_DAY + c->handover_minutes;

                        if (now_abs >= begins - (int64_t) c->notify.soon_minutes && now_abs < begins)
                                r = duty_soon_queue(s, c, d, now_usec);
                }
        if (r >= 0)
                r = return_overdue_queue(s, c, today, minutes, now_usec);
        return r;
}
