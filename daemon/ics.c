/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The feed is one of the office's documents: it is written in Chinese whatever the locale of
 * whoever (or whichever daemon) renders it, so that a subscribed calendar never changes language
 * with the exporter. Its words are plain literals, not messages. libical is used here and in no
 * other file of either program, and loaded (dlopen(3), dl.h) only when something is rendered:
 * neither dutyd nor dutyctl maps it, nor the ICU and C++ runtime it brings, before. */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <libical/ical.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "build-config.h"
#include "date.h"
#include "dl.h"
#include "ics.h"
#include "roster-view.h"
#include "sha256.h"
#include "util.h"

#define ICS_PRODID "-//dutyd//dutyd " PACKAGE_VERSION "//ZH"
#define ICS_UID_DOMAIN "dutyd"
/* Hex digits of the office name's hash in UIDs: enough to keep two offices' feeds apart in one
 * calendar, short enough to read. */
#define ICS_UID_OFFICE_HASH_LEN 8
#define ICS_HASH_PROPERTY "X-DUTYD-HASH"
#define ICS_LIST_SEP "、"
/* Without an ics.organizer, the feed is organized by the office under an address that can never
 * be mailed (RFC 6761's .invalid): METHOD:PUBLISH requires an ORGANIZER, and a made-up real
 * address would send replies somewhere. */
#define ICS_ORGANIZER_DEFAULT "mailto:duty@dutyd.invalid"

/* ---- libical, loaded for each rendering (dl.h) ---- */

/* Every libical function this file calls: a member of IcalLib each, called as L->name(…). */
#define ICAL_LIB_SYMBOLS(X) \
        X(icalcomponent_add_component) X(icalcomponent_add_property) \
        X(icalcomponent_as_ical_string_r) X(icalcomponent_free) \
        X(icalcomponent_get_first_component) X(icalcomponent_get_first_property) \
        X(icalcomponent_get_next_component) X(icalcomponent_get_next_property) \
        X(icalcomponent_get_sequence) X(icalcomponent_get_uid) X(icalcomponent_new_clone) \
        X(icalcomponent_new_valarm) X(icalcomponent_new_vcalendar) X(icalcomponent_new_vevent) \
        X(icalcomponent_new_vtimezone) X(icalcomponent_new_xstandard) X(icaldurationtype_from_int) \
        X(icalparameter_new_cn) X(icalparameter_new_tzid) X(icalparser_parse_string) \
        X(icalproperty_add_parameter) X(icalproperty_get_lastmodified) X(icalproperty_get_x) \
        X(icalproperty_get_x_name) X(icalproperty_new_action) X(icalproperty_new_calscale) \
        X(icalproperty_new_description) X(icalproperty_new_dtend) X(icalproperty_new_dtstamp) \
        X(icalproperty_new_dtstart) X(icalproperty_new_lastmodified) X(icalproperty_new_method) \
        X(icalproperty_new_organizer) X(icalproperty_new_prodid) X(icalproperty_new_sequence) \
        X(icalproperty_new_summary) X(icalproperty_new_transp) X(icalproperty_new_trigger) \
        X(icalproperty_new_tzid) X(icalproperty_new_tzname) X(icalproperty_new_tzoffsetfrom) \
        X(icalproperty_new_tzoffsetto) X(icalproperty_new_uid) X(icalproperty_new_version) \
        X(icalproperty_new_x) X(icalproperty_set_tzid) X(icalproperty_set_x_name) \
        X(icaltime_from_timet_with_zone) X(icaltime_null_time) \
        X(icaltimezone_get_builtin_timezone) X(icaltimezone_get_component) \
        X(icaltimezone_get_utc_timezone)

typedef struct IcalLib {
        void *handle;
#define ICAL_LIB_MEMBER(name) typeof(name) *name;
        ICAL_LIB_SYMBOLS(ICAL_LIB_MEMBER)
#undef ICAL_LIB_MEMBER
} IcalLib;

static const DlSymbol ical_lib_symbols[] = {
#define ICAL_LIB_SYMBOL(name) { #name, offsetof(IcalLib, name) },
        ICAL_LIB_SYMBOLS(ICAL_LIB_SYMBOL)
#undef ICAL_LIB_SYMBOL
};

static int ical_lib_open(IcalLib *ret, char **ret_error) {
        IcalLib l = {};
        int r;

        r = dl_load(LIBICAL_SONAME, ical_lib_symbols, ELEMENTSOF(ical_lib_symbols), &l, &l.handle, ret_error);
        if (r < 0)
                return r;
        *ret = l;
        return 0;
}

static void ical_lib_close(IcalLib *l) {
        dl_unload(l->handle);
        *l = (IcalLib) {};
}

int ics_library_load(char **ret_error) {
        _cleanup_(ical_lib_close) IcalLib l = {};

        return ical_lib_open(&l, ret_error);
}

/* A component owned until it is handed on, freed by the library that made it. */
typedef struct IcsOwned {
        const IcalLib *L;
        icalcomponent *c;
} IcsOwned;

static void ics_owned_done(IcsOwned *o) {
        if (o->c)
                o->L->icalcomponent_free(o->c);
}

/* ---- What the previous feed said of its events ---- */

typedef struct IcsPrior {
        const char *uid;        /* borrowed from the parsed calendar */
        const char *hash;       /* borrowed; NULL: none */
        int sequence;
        struct icaltimetype modified;
} IcsPrior;

typedef struct IcsPriors {
        const IcalLib *L;
        icalcomponent *calendar;
        IcsPrior *items;
        size_t n;
} IcsPriors;

static void ics_priors_done(IcsPriors *p) {
        if (p->calendar)
                p->L->icalcomponent_free(p->calendar);
        free(p->items);
        *p = (IcsPriors) { .L = p->L };
}

static int ics_prior_compare(const void *a, const void *b) {
        return strcmp(((const IcsPrior *) a)->uid, ((const IcsPrior *) b)->uid);
}

static const char *ics_x_value(const IcalLib *L, icalcomponent *c, const char *name) {
        for (icalproperty *p = L->icalcomponent_get_first_property(c, ICAL_X_PROPERTY); p;
             p = L->icalcomponent_get_next_property(c, ICAL_X_PROPERTY)) {
                const char *n = L->icalproperty_get_x_name(p);

                if (n && strcasecmp(n, name) == 0)
                        return L->icalproperty_get_x(p);
        }
        return NULL;
}

/* An unreadable previous feed is no previous feed: its events start again, nothing fails. */
static int ics_priors_load(const IcalLib *L, const char *text, size_t size, IcsPriors *ret) {
        _cleanup_free_ char *copy = NULL;
        IcsPriors p = { .L = L };
        size_t n = 0;

        *ret = (IcsPriors) { .L = L };
        if (!text || size == 0 || size > ICS_PREVIOUS_MAX)
                return 0;
        copy = strndup(text, size);
        if (!copy)
                return -ENOMEM;
        p.calendar = L->icalparser_parse_string(copy);
        if (!p.calendar)
                return 0;
        for (icalcomponent *ev = L->icalcomponent_get_first_component(p.calendar, ICAL_VEVENT_COMPONENT); ev;
             ev = L->icalcomponent_get_next_component(p.calendar, ICAL_VEVENT_COMPONENT))
                n++;
        if (n > 0) {
                p.items = calloc(n, sizeof(IcsPrior));
                if (!p.items) {
                        ics_priors_done(&p);
                        return -ENOMEM;
                }
        }
        for (icalcomponent *ev = L->icalcomponent_get_first_component(p.calendar, ICAL_VEVENT_COMPONENT); ev;
             ev = L->icalcomponent_get_next_component(p.calendar, ICAL_VEVENT_COMPONENT)) {
                icalproperty *lm = L->icalcomponent_get_first_property(ev, ICAL_LASTMODIFIED_PROPERTY);
                const char *uid = L->icalcomponent_get_uid(ev);

                if (!uid || !lm)
                        continue;
                p.items[p.n++] = (IcsPrior) {
                        .uid = uid,
                        .hash = ics_x_value(L, ev, ICS_HASH_PROPERTY),
                        .sequence = L->icalcomponent_get_sequence(ev),
                        .modified = L->icalproperty_get_lastmodified(lm),
                };
        }
        if (p.n > 0)
                qsort(p.items, p.n, sizeof(IcsPrior), ics_prior_compare);
        *ret = p;
        return 0;
}

static const IcsPrior *ics_priors_find(const IcsPriors *p, const char *uid) {
        IcsPrior key = { .uid = uid };

        if (p->n == 0)
                return NULL;
        return bsearch(&key, p->items, p->n, sizeof(IcsPrior), ics_prior_compare);
}

/* ---- Events ---- */

typedef struct FixedZone {
        const char *tzid;
        const char *name;
        int offset_sec;
} FixedZone;

/* Zones without daylight saving time in the years rosters are kept for (China has had none since
 * 1991), so that a feed can still be written on a system without tzdata. */
static const FixedZone fixed_zones[] = {
        { "Asia/Shanghai",  "CST", 8 * 3600 },
        { "Asia/Chongqing", "CST", 8 * 3600 },
        { "Asia/Harbin",    "CST", 8 * 3600 },
        { "PRC",            "CST", 8 * 3600 },
        { "Asia/Urumqi",    "+06", 6 * 3600 },
        { "Asia/Hong_Kong", "HKT", 8 * 3600 },
        { "Asia/Macau",     "CST", 8 * 3600 },
        { "UTC",            "UTC", 0 },
        { "Etc/UTC",        "UTC", 0 },
};

/* Adds p to c; libical answers NULL for a property it could not allocate. */
static int ics_add(const IcalLib *L, icalcomponent *c, icalproperty *p) {
        if (!p)
                return -ENOMEM;
        L->icalcomponent_add_property(c, p);
        return 0;
}

static int ics_fixed_vtimezone(const IcalLib *L, const FixedZone *z, icalcomponent **ret) {
        _cleanup_(ics_owned_done) IcsOwned tz = { .L = L };
        struct icaltimetype start = L->icaltime_null_time();
        icalcomponent *standard;
        int r;

        start.year = 1970;
        start.month = 1;
        start.day = 1;

        tz.c = L->icalcomponent_new_vtimezone();
        if (!tz.c)
                return -ENOMEM;
        r = ics_add(L, tz.c, L->icalproperty_new_tzid(z->tzid));
        if (r < 0)
                return r;
        standard = L->icalcomponent_new_xstandard();
        if (!standard)
                return -ENOMEM;
        L->icalcomponent_add_component(tz.c, standard);
        if ((r = ics_add(L, standard, L->icalproperty_new_tzname(z->name))) < 0 ||
            (r = ics_add(L, standard, L->icalproperty_new_tzoffsetfrom(z->offset_sec))) < 0 ||
            (r = ics_add(L, standard, L->icalproperty_new_tzoffsetto(z->offset_sec))) < 0 ||
            (r = ics_add(L, standard, L->icalproperty_new_dtstart(start))) < 0)
                return r;

        *ret = TAKE_PTR(tz.c);
        return 0;
}

/* The VTIMEZONE of tzid: from the system's zone database through libical, renamed to the plain
 * zone name (libical prefixes its own, which other calendars do not recognise); otherwise from
 * the fixed zones. -ENOENT if neither knows it. */
static int ics_vtimezone(const IcalLib *L, const char *tzid, bool no_tzdata, icalcomponent **ret) {
        icaltimezone *zone = no_tzdata ? NULL : L->icaltimezone_get_builtin_timezone(tzid);
        icalcomponent *c = zone ? L->icaltimezone_get_component(zone) : NULL;

        if (c) {
                icalproperty *p;

                c = L->icalcomponent_new_clone(c);
                if (!c)
                        return -ENOMEM;
                p = L->icalcomponent_get_first_property(c, ICAL_TZID_PROPERTY);
                if (p)
                        L->icalproperty_set_tzid(p, tzid);
                else
                        L->icalcomponent_add_property(c, L->icalproperty_new_tzid(tzid));
                *ret = c;
                return 0;
        }

        for (size_t i = 0; i < ELEMENTSOF(fixed_zones); i++)
                if (streq(fixed_zones[i].tzid, tzid))
                        return ics_fixed_vtimezone(L, fixed_zones + i, ret);
        return -ENOENT;
}

static icalproperty *ics_local_time(const IcalLib *L, icalproperty *(*new)(struct icaltimetype), Day d, int minutes,
                                    const char *tzid) {
        struct icaltimetype t = L->icaltime_null_time();
        icalproperty *p;
        int y, m, dd;

        day_to_ymd(d, &y, &m, &dd);
        t.year = y;
        t.month = m;
        t.day = dd;
        t.hour = minutes / 60;
        t.minute = minutes % 60;

        /* A floating time with an explicit TZID parameter: the time is the office's wall clock. */
        p = new(t);
        if (p)
                L->icalproperty_add_parameter(p, L->icalparameter_new_tzid(tzid));
        return p;
}

static int ics_uid(const RosterView *v, const RosterViewDay *d, const RosterViewSlot *s, char **ret) {
        char hex[SHA256_HEX_SIZE], compact[9];
        uint8_t digest[SHA256_DIGEST_SIZE];
        int y, m, dd, r;

        day_to_ymd(d->day, &y, &m, &dd);
        snprintf(compact, sizeof(compact), "%04d%02d%02d", y, m, dd);

        /* Stable across renderings: the same duty of the same person keeps its UID, so a
         * subscribed calendar updates events instead of duplicating them; a swap is a new event. */
        if (v->office) {
                sha256_hash(v->office, strlen(v->office), digest);
                sha256_to_hex(digest, hex);
                r = asprintf(ret, "%s-%s-%" PRId64 "-%s.%.*s@" ICS_UID_DOMAIN, compact, s->post, s->slot,
                             s->person, ICS_UID_OFFICE_HASH_LEN, hex);
        } else
                r = asprintf(ret, "%s-%s-%" PRId64 "-%s@" ICS_UID_DOMAIN, compact, s->post, s->slot, s->person);
        return r < 0 ? -ENOMEM : 0;
}

/* What makes the day other than an ordinary one, as the roster's other documents word it. */
static void ics_festival(FILE *f, const RosterViewDay *d) {
        const char *items[4];
        size_t n = 0;

        if (d->holiday)
                items[n++] = d->holiday;
        else if (streq(d->type, "makeup_workday"))
                items[n++] = "调休上班";
        if (d->special)
                items[n++] = d->special;
        if (d->sensitive)
                items[n++] = d->sensitive;
        /* An unknown calendar is never shown as an ordinary day without saying so. */
        if (roster_view_day_assumed(d))
                items[n++] = "按平日排班（无放假通知）";
        else if (streq(d->type, "unknown"))
                items[n++] = "日历未知";
        if (n == 0)
                return;
        fputs("\n节日：", f);
        for (size_t i = 0; i < n; i++)
                fprintf(f, "%s%s", i > 0 ? "，" : "", items[i]);
}

static void ics_person(FILE *f, const RosterViewSlot *s, const IcsOptions *o) {
        fputs(s->name ?: s->person, f);
        if (s->phone && !o->hide_phones)
                fprintf(f, "（%s）", s->phone);
}

static int ics_description(const RosterView *v, const RosterViewDay *d, const RosterViewSlot *s, const IcsOptions *o, char **ret) {
        char from[DAY_STRING_MAX], to[DAY_STRING_MAX];
        bool first = true;
        char *buf = NULL;
        size_t size = 0;
        FILE *f;

        f = open_memstream(&buf, &size);
        if (!f)
                return -ENOMEM;

        fprintf(f, "%s：%s\n", s->post_name, s->name ?: s->person);
        if (!o->hide_phones)
                fprintf(f, "电话：%s\n", s->phone ?: "-");
        fprintf(f, "值班时间：%s %s 至 %s %s（%s）", day_format(d->day, from), v->handover,
                day_format(d->day + 1, to), v->handover, v->timezone);
        /* Whom to call when handing over or when the leader is needed: the rest of the duty. */
        for (size_t i = 0; i < d->n_slots; i++) {
                const RosterViewSlot *c = d->slots + i;

                if (c == s || !c->person)
                        continue;
                fputs(first ? "\n同班：" : ICS_LIST_SEP, f);
                fprintf(f, "%s ", c->post_name);
                ics_person(f, c, o);
                first = false;
        }
        if (v->office_phone && !o->hide_phones)
                fprintf(f, "\n值班室电话：%s", v->office_phone);
        ics_festival(f, d);
        if (v->office)
                fprintf(f, "\n单位：%s", v->office);

        if (fclose(f) != 0) {
                free(buf);
                return -ENOMEM;
        }
        *ret = buf;
        return 0;
}

static icalproperty *ics_organizer(const IcalLib *L, const RosterView *v) {
        _cleanup_free_ char *uri = NULL;
        icalproperty *p;

        if (v->ics_organizer && strncasecmp(v->ics_organizer, "mailto:", 7) != 0) {
                if (asprintf(&uri, "mailto:%s", v->ics_organizer) < 0)
                        return NULL;
        } else {
                uri = strdup(v->ics_organizer ?: ICS_ORGANIZER_DEFAULT);
                if (!uri)
                        return NULL;
        }
        p = L->icalproperty_new_organizer(uri);
        if (p && v->office)
                L->icalproperty_add_parameter(p, L->icalparameter_new_cn(v->office));
        return p;
}

/* A reminder before the duty starts, as every calendar shows it: a DISPLAY alarm. */
static int ics_alarm(const IcalLib *L, const RosterView *v, const char *summary, icalcomponent **ret) {
        struct icaltriggertype trigger = { .time = L->icaltime_null_time() };
        icalcomponent *alarm;
        int r;

        trigger.duration = L->icaldurationtype_from_int(-(int) v->ics_reminder_minutes * 60);
        alarm = L->icalcomponent_new_valarm();
        if (!alarm)
                return -ENOMEM;
        if ((r = ics_add(L, alarm, L->icalproperty_new_action(ICAL_ACTION_DISPLAY))) < 0 ||
            (r = ics_add(L, alarm, L->icalproperty_new_trigger(trigger))) < 0 ||
            (r = ics_add(L, alarm, L->icalproperty_new_description(summary))) < 0) {
                L->icalcomponent_free(alarm);
                return r;
        }
        *ret = alarm;
        return 0;
}

static icalproperty *ics_x_property(const IcalLib *L, const char *name, const char *value) {
        icalproperty *p = L->icalproperty_new_x(value);

        if (p)
                L->icalproperty_set_x_name(p, name);
        return p;
}

/* The hash of what a subscriber sees of the event, volatile stamps aside: what tells a changed
 * event from an unchanged one between two renderings. */
static int ics_event_hash(const IcalLib *L, icalcomponent *ev, char ret[static ICS_HASH_LEN + 1]) {
        _cleanup_free_ char *text = L->icalcomponent_as_ical_string_r(ev);
        uint8_t digest[SHA256_DIGEST_SIZE];
        char hex[SHA256_HEX_SIZE];

        if (!text)
                return -ENOMEM;
        sha256_hash(text, strlen(text), digest);
        sha256_to_hex(digest, hex);
        memcpy(ret, hex, ICS_HASH_LEN);
        ret[ICS_HASH_LEN] = '\0';
        return 0;
}

static int ics_event(const IcalLib *L, const RosterView *v, const RosterViewDay *d, const RosterViewSlot *s,
                     const IcsOptions *o, const IcsPriors *priors, struct icaltimetype now, icalcomponent **ret) {
        _cleanup_free_ char *uid = NULL, *summary = NULL, *description = NULL;
        _cleanup_(ics_owned_done) IcsOwned ev = { .L = L };
        struct icaltimetype modified = now;
        char hash[ICS_HASH_LEN + 1];
        const IcsPrior *prior;
        int sequence = 0, r;

        r = ics_uid(v, d, s, &uid);
        if (r < 0)
                return r;
        if (asprintf(&summary, "%s：%s", s->post_name, s->name ?: s->person) < 0)
                return -ENOMEM;
        r = ics_description(v, d, s, o, &description);
        if (r < 0)
                return r;

        ev.c = L->icalcomponent_new_vevent();
        if (!ev.c)
                return -ENOMEM;
        /* A duty runs from the handover of its day to the handover of the next. */
        if ((r = ics_add(L, ev.c, L->icalproperty_new_uid(uid))) < 0 ||
            (r = ics_add(L, ev.c, ics_local_time(L, L->icalproperty_new_dtstart, d->day, v->handover_minutes, v->timezone))) < 0 ||
            (r = ics_add(L, ev.c, ics_local_time(L, L->icalproperty_new_dtend, d->day + 1, v->handover_minutes, v->timezone))) < 0 ||
            (r = ics_add(L, ev.c, L->icalproperty_new_summary(summary))) < 0 ||
            (r = ics_add(L, ev.c, L->icalproperty_new_description(description))) < 0 ||
            (r = ics_add(L, ev.c, ics_organizer(L, v))) < 0 ||
            (r = ics_add(L, ev.c, L->icalproperty_new_transp(ICAL_TRANSP_OPAQUE))) < 0)
                return r;
        if (v->ics_reminder_minutes > 0) {
                icalcomponent *alarm;

                r = ics_alarm(L, v, summary, &alarm);
                if (r < 0)
                        return r;
                L->icalcomponent_add_component(ev.c, alarm);
        }

        /* The same content as last time keeps the last stamps; a change is a new revision
         * (RFC 5545 3.8.7.4), which calendars that honour SEQUENCE need to take the update. */
        r = ics_event_hash(L, ev.c, hash);
        if (r < 0)
                return r;
        prior = ics_priors_find(priors, uid);
        if (prior && prior->hash && streq(prior->hash, hash))
                sequence = prior->sequence, modified = prior->modified;
        else if (prior)
                sequence = prior->sequence + 1;
        if ((r = ics_add(L, ev.c, L->icalproperty_new_dtstamp(modified))) < 0 ||
            (r = ics_add(L, ev.c, L->icalproperty_new_lastmodified(modified))) < 0 ||
            (r = ics_add(L, ev.c, L->icalproperty_new_sequence(sequence))) < 0 ||
            (r = ics_add(L, ev.c, ics_x_property(L, ICS_HASH_PROPERTY, hash))) < 0)
                return r;

        *ret = TAKE_PTR(ev.c);
        return 0;
}

int ics_render(json_t *reply, const IcsOptions *options, char **ret_data, size_t *ret_size) {
        _cleanup_(ical_lib_close) IcalLib lib = {};
        const IcalLib *L = &lib;
        _cleanup_(roster_view_freep) RosterView *v = NULL;
        _cleanup_(ics_owned_done) IcsOwned cal = { .L = L };
        _cleanup_(ics_priors_done) IcsPriors priors = { .L = L };
        _cleanup_free_ char *calname = NULL;
        const IcsOptions none = {};
        const IcsOptions *o = options ?: &none;
        struct icaltimetype now;
        icalcomponent *tz = NULL;
        char *text;
        int r;

        if (!reply || !ret_data || !ret_size)
                return -EINVAL;

        r = roster_view_parse(reply, &v);
        if (r < 0)
                return r;
        r = ical_lib_open(&lib, NULL);
        if (r < 0)
                return r;
        r = ics_priors_load(L, o->previous, o->previous_size, &priors);
        if (r < 0)
                return r;

        now = L->icaltime_from_timet_with_zone((time_t) (o->now_usec / USEC_PER_SEC), 0, L->icaltimezone_get_utc_timezone());
        if (asprintf(&calname, o->person ? "%s值班表（%s）" : "%s值班表%s", strempty(v->office),
                     o->person ? roster_view_person_name(v, o->person) : "") < 0)
                return -ENOMEM;

        cal.c = L->icalcomponent_new_vcalendar();
        if (!cal.c)
                return -ENOMEM;
        if ((r = ics_add(L, cal.c, L->icalproperty_new_prodid(ICS_PRODID))) < 0 ||
            (r = ics_add(L, cal.c, L->icalproperty_new_version("2.0"))) < 0 ||
            (r = ics_add(L, cal.c, L->icalproperty_new_calscale("GREGORIAN"))) < 0 ||
            (r = ics_add(L, cal.c, L->icalproperty_new_method(ICAL_METHOD_PUBLISH))) < 0 ||
            (r = ics_add(L, cal.c, ics_x_property(L, "X-WR-CALNAME", calname))) < 0 ||
            (r = ics_add(L, cal.c, ics_x_property(L, "X-WR-TIMEZONE", v->timezone))) < 0)
                return r;

        r = ics_vtimezone(L, v->timezone, o->no_tzdata, &tz);
        if (r < 0)
                return r;
        L->icalcomponent_add_component(cal.c, tz);

        for (size_t i = 0; i < v->n_days; i++) {
                const RosterViewDay *d = v->days + i;

                if (o->published_only && !d->has_version)
                        continue;
                for (size_t j = 0; j < d->n_slots; j++) {
                        const RosterViewSlot *s = d->slots + j;
                        icalcomponent *ev = NULL;

                        /* An empty slot is nobody's duty; the other views show it. */
                        if (!s->person || (o->person && !streq(s->person, o->person)))
                                continue;
                        r = ics_event(L, v, d, s, o, &priors, now, &ev);
                        if (r < 0)
                                return r;
                        L->icalcomponent_add_component(cal.c, ev);
                }
        }

        text = L->icalcomponent_as_ical_string_r(cal.c);
        if (!text)
                return -ENOMEM;
        *ret_data = text;
        *ret_size = strlen(text);
        return 0;
}

int ics_local_date(const char *tzid, uint64_t usec, int *ret_year, int *ret_month, int *ret_day) {
        _cleanup_(ical_lib_close) IcalLib lib = {};
        icaltimezone *zone;
        struct icaltimetype t;
        int r;

        if (!ret_year || !ret_month || !ret_day)
                return -EINVAL;
        r = ical_lib_open(&lib, NULL);
        if (r < 0)
                return r;
        zone = tzid ? lib.icaltimezone_get_builtin_timezone(tzid) : NULL;
        if (!zone)
                zone = lib.icaltimezone_get_utc_timezone();
        t = lib.icaltime_from_timet_with_zone((time_t) (usec / USEC_PER_SEC), 0, zone);
        *ret_year = t.year;
        *ret_month = t.month;
        *ret_day = t.day;
        return 0;
}

int ics_file_write_atomic(const char *path, const void *data, size_t size, unsigned mode) {
        _cleanup_free_ char *dir_copy = NULL, *base_copy = NULL, *tmp = NULL;
        _cleanup_close_ int fd = -1, dfd = -1;
        const char *p = data, *dir;
        int r;

        if (isempty(path) || (!data && size > 0))
                return -EINVAL;

        dir_copy = strdup(path);
        base_copy = strdup(path);
        if (!dir_copy || !base_copy)
                return -ENOMEM;
        dir = dirname(dir_copy);
        if (asprintf(&tmp, "%s/.%s.XXXXXX", dir, basename(base_copy)) < 0) {
                tmp = NULL;
                return -ENOMEM;
        }

        fd = mkostemp(tmp, O_CLOEXEC);
        if (fd < 0)
                return -errno;
        if (fchmod(fd, mode) < 0) {
                r = -errno;
                goto fail;
        }
        while (size > 0) {
                ssize_t n = write(fd, p, size);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0) {
                        r = -errno;
                        goto fail;
                }
                p += n;
                size -= (size_t) n;
        }
        /* On disk before the rename, so a crash leaves the old file or the new one, whole. */
        if (fsync(fd) < 0) {
                r = -errno;
                goto fail;
        }
        if (close(TAKE_FD(fd)) < 0) {
                r = -errno;
                goto fail;
        }
        if (rename(tmp, path) < 0) {
                r = -errno;
                goto fail;
        }
        /* And the rename itself on disk: without it a crash may bring back the old name. */
        dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0 || fsync(dfd) < 0)
                return -errno;
        return 0;

fail:
        (void) unlink(tmp);
        return r;
}
