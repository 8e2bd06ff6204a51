/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* An io.dutyd.Duty.RosterShow reply as the office's documents read it: one parser behind dutyctl's
 * exports (table, CSV, HTML) and the iCalendar renderer of both programs (ics.h), so that they agree
 * on what a day shows. Strings are borrowed from the reply, which must outlive the view. It lives in
 * libdutyd-ics (the core and jansson). */

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "date.h"
#include "util.h"

/* A reminder is at most a week ahead (dutyd.conf's ics.reminder_minutes). */
#define ROSTER_VIEW_REMINDER_MAX (7 * 24 * 60)

typedef struct RosterViewSlot {
        const char *post;
        const char *post_name;
        const char *person;     /* NULL: the slot is empty */
        const char *name;
        const char *phone;
        const char *reason;
        int64_t slot;
        /* The slot's post is the leader's: its role says so, or, in replies that do not name
         * roles, it is the day's first post. */
        bool leader;
        bool assume_ordinary;
} RosterViewSlot;

typedef struct RosterViewDay {
        Day day;
        const char *date;
        const char *type;
        const char *holiday;
        const char *run_from;
        const char *special;
        const char *sensitive;
        /* The published version holding this day and how many of its slots changed since; only
         * in replies of daemons that publish day by day (has_version tells). */
        bool has_version;
        int64_t version;
        int64_t amendments;
        RosterViewSlot *slots;
        size_t n_slots;
} RosterViewDay;

typedef struct RosterView {
        const char *office;
        const char *timezone;
        const char *handover;
        int handover_minutes;
        bool has_version;
        int64_t version;
        int64_t amendments;     /* since the versions covering the days (RosterShow's amendments) */
        /* Any day carries its own version: sections then say what is published day by day. */
        bool days_versioned;
        /* The office's words for its documents (RosterShow's office_phone …). */
        const char *office_phone;
        const char *requirements;
        const char *prepared_by;
        const char *reviewed_by;
        const char *ics_organizer;
        int64_t ics_reminder_minutes;   /* 0: no reminder */
        RosterViewDay *days;
        size_t n_days;
} RosterView;

RosterView *roster_view_free(RosterView *v);
DEFINE_POINTER_CLEANUP(RosterView, roster_view_free)

/* Reads reply (borrowed) into a new view (*ret, freed with roster_view_free()). -EBADMSG if the
 * reply does not have the shape the interface declares, -ENOMEM; *ret is untouched on failure. */
int roster_view_parse(json_t *reply, RosterView **ret);

/* Whether a slot of d was filled assuming an unknown day is an ordinary one. */
bool roster_view_day_assumed(const RosterViewDay *d);
/* The display name of person, from their duties in v; person itself when v does not name them. */
const char *roster_view_person_name(const RosterView *v, const char *person);

/* Members of a reply, as the view and dutyctl's other documents read them. A string: absent and
 * null are NULL (-EBADMSG if required), anything else not a string is -EBADMSG; *ret borrows from
 * o. An optional integer: absent and null are no value (*ret_has false, *ret 0). A boolean: absent
 * and null are false. On -EBADMSG the out parameters are untouched. */
int json_member_string(json_t *o, const char *key, bool required, const char **ret);
int json_member_int(json_t *o, const char *key, bool *ret_has, int64_t *ret);
int json_member_bool(json_t *o, const char *key, bool *ret);
