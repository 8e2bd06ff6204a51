/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "roster-view.h"

int json_member_string(json_t *o, const char *key, bool required, const char **ret) {
        json_t *v = json_object_get(o, key);

        if (!v || json_is_null(v)) {
                if (required)
                        return -EBADMSG;
                *ret = NULL;
                return 0;
        }
        if (!json_is_string(v))
                return -EBADMSG;
        *ret = json_string_value(v);
        return 0;
}

int json_member_int(json_t *o, const char *key, bool *ret_has, int64_t *ret) {
        json_t *v = json_object_get(o, key);

        if (!v || json_is_null(v)) {
                if (ret_has)
                        *ret_has = false;
                *ret = 0;
                return 0;
        }
        if (!json_is_integer(v))
                return -EBADMSG;
        if (ret_has)
                *ret_has = true;
        *ret = json_integer_value(v);
        return 0;
}

int json_member_bool(json_t *o, const char *key, bool *ret) {
        json_t *v = json_object_get(o, key);

        if (!v || json_is_null(v)) {
                *ret = false;
                return 0;
        }
        if (!json_is_boolean(v))
                return -EBADMSG;
        *ret = json_is_true(v);
        return 0;
}

RosterView *roster_view_free(RosterView *v) {
        if (!v)
                return NULL;
        for (size_t i = 0; i < v->n_days; i++)
                free(v->days[i].slots);
        free(v->days);
        free(v);
        return NULL;
}

static int roster_view_slot_parse(json_t *a, RosterViewSlot *ret, const char **ret_role) {
        RosterViewSlot s = {};
        json_t *slot = json_object_get(a, "slot");
        const char *role;
        int r;

        if (!json_is_object(a) || !json_is_integer(slot))
                return -EBADMSG;
        s.slot = json_integer_value(slot);

        if ((r = json_member_string(a, "post", true, &s.post)) < 0 ||
            (r = json_member_string(a, "post_name", true, &s.post_name)) < 0 ||
            (r = json_member_string(a, "role", false, &role)) < 0 ||
            (r = json_member_string(a, "person", false, &s.person)) < 0 ||
            (r = json_member_string(a, "name", false, &s.name)) < 0 ||
            (r = json_member_string(a, "phone", false, &s.phone)) < 0 ||
            (r = json_member_string(a, "reason", false, &s.reason)) < 0 ||
            (r = json_member_bool(a, "assume_ordinary", &s.assume_ordinary)) < 0)
                return r;

        *ret = s;
        *ret_role = role;
        return 0;
}

static int roster_view_day_parse(json_t *rd, RosterViewDay *ret) {
        json_t *cal = json_object_get(rd, "day"), *assignments = json_object_get(rd, "assignments"), *a;
        _cleanup_free_ RosterViewSlot *slots = NULL;
        const char *first_post = NULL;
        RosterViewDay d = {};
        size_t i;
        int r;

        if (!json_is_object(cal) || !json_is_array(assignments))
                return -EBADMSG;

        if ((r = json_member_string(cal, "date", true, &d.date)) < 0 ||
            (r = json_member_string(cal, "type", true, &d.type)) < 0 ||
            (r = json_member_string(cal, "holiday", false, &d.holiday)) < 0 ||
            (r = json_member_string(cal, "run_from", false, &d.run_from)) < 0 ||
            (r = json_member_string(cal, "special", false, &d.special)) < 0 ||
            (r = json_member_string(cal, "sensitive", false, &d.sensitive)) < 0 ||
            (r = json_member_int(rd, "version", &d.has_version, &d.version)) < 0 ||
            (r = json_member_int(rd, "amendments", NULL, &d.amendments)) < 0)
                return r;
        if (day_parse(d.date, &d.day) < 0)
                return -EBADMSG;

        if (json_array_size(assignments) > 0) {
                slots = calloc(json_array_size(assignments), sizeof(RosterViewSlot));
                if (!slots)
                        return -ENOMEM;
        }

        json_array_foreach(assignments, i, a) {
                const char *role;

                r = roster_view_slot_parse(a, slots + i, &role);
                if (r < 0)
                        return r;
                /* Replies that do not name the post's role: the leader's post comes first. */
                if (!first_post)
                        first_post = slots[i].post;
                slots[i].leader = role ? streq(role, "leader") : streq(slots[i].post, first_post);
        }

        d.n_slots = json_array_size(assignments);
        d.slots = TAKE_PTR(slots);
        *ret = d;
        return 0;
}

int roster_view_parse(json_t *reply, RosterView **ret) {
        _cleanup_(roster_view_freep) RosterView *v = NULL;
        json_t *days = json_object_get(reply, "days"), *rd;
        size_t i;
        int r;

        if (!json_is_object(reply) || !json_is_array(days))
                return -EBADMSG;

        v = calloc(1, sizeof(RosterView));
        if (!v)
                return -ENOMEM;

        if ((r = json_member_string(reply, "office", false, &v->office)) < 0 ||
            (r = json_member_string(reply, "timezone", true, &v->timezone)) < 0 ||
            (r = json_member_string(reply, "handover", true, &v->handover)) < 0 ||
            (r = json_member_string(reply, "office_phone", false, &v->office_phone)) < 0 ||
            (r = json_member_string(reply, "requirements", false, &v->requirements)) < 0 ||
            (r = json_member_string(reply, "prepared_by", false, &v->prepared_by)) < 0 ||
            (r = json_member_string(reply, "reviewed_by", false, &v->reviewed_by)) < 0 ||
            (r = json_member_string(reply, "ics_organizer", false, &v->ics_organizer)) < 0 ||
            (r = json_member_int(reply, "ics_reminder_minutes", NULL, &v->ics_reminder_minutes)) < 0 ||
            (r = json_member_int(reply, "version", &v->has_version, &v->version)) < 0 ||
            (r = json_member_int(reply, "amendments", NULL, &v->amendments)) < 0)
                return r;
        if (minutes_parse(v->handover, &v->handover_minutes) < 0 || isempty(v->timezone) ||
            v->ics_reminder_minutes < 0 || v->ics_reminder_minutes > ROSTER_VIEW_REMINDER_MAX ||
            v->amendments < 0)
                return -EBADMSG;

        if (json_array_size(days) > 0) {
                v->days = calloc(json_array_size(days), sizeof(RosterViewDay));
                if (!v->days)
                        return -ENOMEM;
        }
        json_array_foreach(days, i, rd) {
                r = roster_view_day_parse(rd, v->days + i);
                if (r < 0)
                        return r;
                if (v->days[i].has_version)
                        v->days_versioned = true;
                v->n_days++;
        }

        *ret = TAKE_PTR(v);
        return 0;
}

bool roster_view_day_assumed(const RosterViewDay *d) {
        for (size_t i = 0; i < d->n_slots; i++)
                if (d->slots[i].assume_ordinary)
                        return true;
        return false;
}

const char *roster_view_person_name(const RosterView *v, const char *person) {
        for (size_t i = 0; i < v->n_days; i++)
                for (size_t j = 0; j < v->days[i].n_slots; j++) {
                        const RosterViewSlot *s = v->days[i].slots + j;

                        if (s->person && streq(s->person, person) && s->name)
                                return s->name;
                }
        return person;
}
