/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The reply is first read into a small view (strings borrowed from the JSON) that every format
 * renders, so that the formats agree on what a day shows: who leads, who is on duty, and every
 * empty slot with its reason. libical is used here alone.
 *
 * The table is dutyctl's interface and speaks the user's language. The CSV, iCalendar and HTML
 * exports are the office's documents: they are written in Chinese whatever the locale of whoever
 * (or whichever timer) runs the export, so that the roster posted or shared never changes language
 * with the exporter's terminal. Their words are therefore plain literals, not messages. */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "build-config.h"
#include "date.h"
#include "export.h"
#include "labels.h"
#include "output.h"
#include "sha256.h"
#include "util.h"

/* Exported files are documents to share, readable by everyone, whatever the umask. */
#define EXPORT_FILE_MODE 0644
/* Hex digits of the office name's hash in iCalendar UIDs: enough to keep two offices' feeds apart
 * in one calendar, short enough to read. */
#define EXPORT_UID_OFFICE_HASH_LEN 8
#define EXPORT_ICS_PRODID "-//dutyd//dutyd " PACKAGE_VERSION "//ZH"
#define EXPORT_UID_DOMAIN "dutyd"
#define EXPORT_CSV_BOM "\xEF\xBB\xBF"
#define EXPORT_LIST_SEP "、"

static const char *const export_format_table[_EXPORT_FORMAT_MAX] = {
        [EXPORT_FORMAT_TABLE] = "table",
        [EXPORT_FORMAT_JSON]  = "json",
        [EXPORT_FORMAT_CSV]   = "csv",
        [EXPORT_FORMAT_ICS]   = "ics",
        [EXPORT_FORMAT_HTML]  = "html",
};

const char *export_format_to_string(ExportFormat f) {
        if (f < 0 || f >= _EXPORT_FORMAT_MAX)
                return NULL;
        return export_format_table[f];
}

ExportFormat export_format_from_string(const char *s) {
        if (!s)
                return _EXPORT_FORMAT_INVALID;
        for (ExportFormat f = 0; f < _EXPORT_FORMAT_MAX; f++)
                if (streq(export_format_table[f], s))
                        return f;
        return _EXPORT_FORMAT_INVALID;
}

/* ---- The view ---- */

typedef struct ExportSlot {
        const char *post;
        const char *post_name;
        const char *person;     /* NULL: the slot is empty */
        const char *name;
        const char *phone;
        const char *reason;
        int64_t slot;
        bool leader;
        bool assume_ordinary;
} ExportSlot;

typedef struct ExportDay {
        Day day;
        const char *date;
        const char *type;
        const char *holiday;
        const char *run_from;
        const char *special;
        const char *sensitive;
        ExportSlot *slots;
        size_t n_slots;
} ExportDay;

typedef struct ExportRoster {
        const char *office;
        const char *timezone;
        const char *handover;
        int handover_minutes;
        bool has_version;
        int64_t version;
        int64_t amendments;     /* since the versions covering the days (RosterShow's amendments) */
        ExportDay *days;
        size_t n_days;
} ExportRoster;

static ExportRoster *export_roster_free(ExportRoster *v) {
        if (!v)
                return NULL;
        for (size_t i = 0; i < v->n_days; i++)
                free(v->days[i].slots);
        free(v->days);
        free(v);
        return NULL;
}
DEFINE_POINTER_CLEANUP(ExportRoster, export_roster_free)

/* A string member: absent and null are NULL (an error if required), anything else not a string
 * is an error. */
static int json_member_string(json_t *o, const char *key, bool required, const char **ret) {
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

static int json_member_bool(json_t *o, const char *key, bool *ret) {
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

static int export_slot_parse(json_t *a, ExportSlot *ret, const char **ret_role) {
        ExportSlot s = {};
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

static int export_day_parse(json_t *rd, ExportDay *ret) {
        json_t *cal = json_object_get(rd, "day"), *assignments = json_object_get(rd, "assignments"), *a;
        _cleanup_free_ ExportSlot *slots = NULL;
        const char *first_post = NULL;
        ExportDay d = {};
        size_t i;
        int r;

        if (!json_is_object(cal) || !json_is_array(assignments))
                return -EBADMSG;

        if ((r = json_member_string(cal, "date", true, &d.date)) < 0 ||
            (r = json_member_string(cal, "type", true, &d.type)) < 0 ||
            (r = json_member_string(cal, "holiday", false, &d.holiday)) < 0 ||
            (r = json_member_string(cal, "run_from", false, &d.run_from)) < 0 ||
            (r = json_member_string(cal, "special", false, &d.special)) < 0 ||
            (r = json_member_string(cal, "sensitive", false, &d.sensitive)) < 0)
                return r;
        if (day_parse(d.date, &d.day) < 0)
                return -EBADMSG;

        if (json_array_size(assignments) > 0) {
                slots = calloc(json_array_size(assignments), sizeof(ExportSlot));
                if (!slots)
                        return -ENOMEM;
        }

        json_array_foreach(assignments, i, a) {
                const char *role;

                r = export_slot_parse(a, slots + i, &role);
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

static int export_roster_parse(json_t *reply, ExportRoster **ret) {
        _cleanup_(export_roster_freep) ExportRoster *v = NULL;
        json_t *days = json_object_get(reply, "days"), *version = json_object_get(reply, "version"), *rd;
        size_t i;
        int r;

        if (!json_is_object(reply) || !json_is_array(days))
                return -EBADMSG;

        v = calloc(1, sizeof(ExportRoster));
        if (!v)
                return -ENOMEM;

        if ((r = json_member_string(reply, "office", false, &v->office)) < 0 ||
            (r = json_member_string(reply, "timezone", true, &v->timezone)) < 0 ||
            (r = json_member_string(reply, "handover", true, &v->handover)) < 0)
                return r;
        if (minutes_parse(v->handover, &v->handover_minutes) < 0 || isempty(v->timezone))
                return -EBADMSG;

        if (json_is_integer(version)) {
                v->has_version = true;
                v->version = json_integer_value(version);
        } else if (version && !json_is_null(version))
                return -EBADMSG;
        v->amendments = json_integer_value(json_object_get(reply, "amendments"));

        if (json_array_size(days) > 0) {
                v->days = calloc(json_array_size(days), sizeof(ExportDay));
                if (!v->days)
                        return -ENOMEM;
        }
        json_array_foreach(days, i, rd) {
                r = export_day_parse(rd, v->days + i);
                if (r < 0)
                        return r;
                v->n_days++;
        }

        *ret = TAKE_PTR(v);
        return 0;
}

static bool export_day_assumed(const ExportDay *d) {
        for (size_t i = 0; i < d->n_slots; i++)
                if (d->slots[i].assume_ordinary)
                        return true;
        return false;
}

static bool export_day_shown(const ExportDay *d, const ExportOptions *o) {
        /* Filtered to one person, a day without their duties is simply not theirs. */
        return d->n_slots > 0 || !o->person;
}

/* ---- Cells, shared by the table, CSV and HTML ---- */

typedef enum ExportColumn {
        EXPORT_COLUMN_DATE,
        EXPORT_COLUMN_WEEKDAY,
        EXPORT_COLUMN_FESTIVAL,
        EXPORT_COLUMN_LEADERS,
        EXPORT_COLUMN_OFFICERS,
        EXPORT_COLUMN_PHONES,
        _EXPORT_COLUMN_MAX,
        _EXPORT_COLUMN_INVALID = -EINVAL,
} ExportColumn;

static const char *const export_column_headers_table[_EXPORT_COLUMN_MAX] = {
        [EXPORT_COLUMN_DATE]     = N_("Date"),
        [EXPORT_COLUMN_WEEKDAY]  = N_("Day"),
        [EXPORT_COLUMN_FESTIVAL] = N_("Holiday"),
        [EXPORT_COLUMN_LEADERS]  = N_("Leader on call"),
        [EXPORT_COLUMN_OFFICERS] = N_("Officers on duty"),
        [EXPORT_COLUMN_PHONES]   = N_("Phone"),
};

static const char *const export_column_headers[_EXPORT_COLUMN_MAX] = {
        [EXPORT_COLUMN_DATE]     = "日期",
        [EXPORT_COLUMN_WEEKDAY]  = "星期",
        [EXPORT_COLUMN_FESTIVAL] = "节日",
        [EXPORT_COLUMN_LEADERS]  = "带班领导",
        [EXPORT_COLUMN_OFFICERS] = "值班人员",
        [EXPORT_COLUMN_PHONES]   = "电话",
};

typedef enum ExportMarkup {
        EXPORT_MARKUP_TEXT,             /* documents: CSV cells, iCalendar text */
        EXPORT_MARKUP_HTML,
        EXPORT_MARKUP_TERMINAL,         /* the table: plain text in the user's language */
        _EXPORT_MARKUP_MAX,
        _EXPORT_MARKUP_INVALID = -EINVAL,
} ExportMarkup;

static void html_escape(FILE *f, const char *s) {
        for (const char *p = strempty(s); *p; p++)
                switch (*p) {
                case '&':
                        fputs("&amp;", f);
                        break;
                case '<':
                        fputs("&lt;", f);
                        break;
                case '>':
                        fputs("&gt;", f);
                        break;
                case '"':
                        fputs("&quot;", f);
                        break;
                case '\'':
                        fputs("&#39;", f);
                        break;
                default:
                        fputc(*p, f);
                }
}

/* A word of a cell: the message on the terminal, the document's own word elsewhere. */
static const char *export_word(ExportMarkup m, const char *msgid, const char *document) {
        return m == EXPORT_MARKUP_TERMINAL ? _(msgid) : document;
}

static void markup_text(FILE *f, ExportMarkup m, const char *s) {
        switch (m) {
        case EXPORT_MARKUP_TEXT:
        case EXPORT_MARKUP_TERMINAL:
                fputs(strempty(s), f);
                return;
        case EXPORT_MARKUP_HTML:
                html_escape(f, s);
                return;
        case _EXPORT_MARKUP_MAX:
        case _EXPORT_MARKUP_INVALID:
                break;
        }
        abort();
}

/* Puts sep between items: *first tracks whether anything was written yet. */
static void markup_sep(FILE *f, ExportMarkup m, bool *first, const char *sep) {
        if (!*first)
                markup_text(f, m, sep);
        *first = false;
}

static void write_festival(FILE *f, ExportMarkup m, const ExportDay *d) {
        bool first = true;

        const char *sep = export_word(m, N_(", "), "，");

        if (d->holiday) {
                markup_sep(f, m, &first, sep);
                markup_text(f, m, d->holiday);
        } else if (streq(d->type, "makeup_workday")) {
                markup_sep(f, m, &first, sep);
                markup_text(f, m, export_word(m, N_("make-up workday"), "调休上班"));
        }
        if (d->special) {
                markup_sep(f, m, &first, sep);
                markup_text(f, m, d->special);
        }
        if (d->sensitive) {
                markup_sep(f, m, &first, sep);
                markup_text(f, m, d->sensitive);
        }
        /* An unknown calendar is never shown as an ordinary day without saying so. */
        if (export_day_assumed(d)) {
                markup_sep(f, m, &first, sep);
                markup_text(f, m, export_word(m, N_("planned as an ordinary day (no holiday notice)"),
                                              "按平日排班（无放假通知）"));
        } else if (streq(d->type, "unknown")) {
                markup_sep(f, m, &first, sep);
                markup_text(f, m, export_word(m, N_("calendar unknown"), "日历未知"));
        }
}

static void write_vacancy(FILE *f, ExportMarkup m, const ExportSlot *s) {
        if (m == EXPORT_MARKUP_HTML)
                fputs("<span class=\"empty\">", f);
        if (isempty(s->reason))
                markup_text(f, m, export_word(m, N_("(empty)"), "（空缺）"));
        else {
                markup_text(f, m, export_word(m, N_("(empty: "), "（空缺："));
                markup_text(f, m, s->reason);
                markup_text(f, m, export_word(m, N_(")"), "）"));
        }
        if (m == EXPORT_MARKUP_HTML)
                fputs("</span>", f);
}

/* The people of the leader's posts, or of the others: names joined by "、"; when there is more
 * than one such post, each group is led by its post's name. */
static void write_people(FILE *f, ExportMarkup m, const ExportDay *d, bool leader) {
        const char *single_post = NULL;
        bool several_posts = false, first = true;

        for (size_t i = 0; i < d->n_slots; i++) {
                if (d->slots[i].leader != leader)
                        continue;
                if (!single_post)
                        single_post = d->slots[i].post;
                else if (!streq(single_post, d->slots[i].post))
                        several_posts = true;
        }

        for (size_t i = 0; i < d->n_slots; i++) {
                const ExportSlot *s = d->slots + i;
                bool new_post;

                if (s->leader != leader)
                        continue;

                new_post = first || !streq(s->post, d->slots[i - 1].post) || d->slots[i - 1].leader != leader;
                if (several_posts && new_post) {
                        markup_sep(f, m, &first, export_word(m, N_("; "), "；"));
                        markup_text(f, m, s->post_name);
                        markup_text(f, m, export_word(m, N_(": "), "："));
                } else
                        markup_sep(f, m, &first, export_word(m, N_(", "), EXPORT_LIST_SEP));

                if (s->person)
                        markup_text(f, m, s->name ?: s->person);
                else
                        write_vacancy(f, m, s);
        }

        /* A day the roster does not cover yet is said to be so, in the leader's column. */
        if (leader && d->n_slots == 0)
                markup_text(f, m, export_word(m, N_("(not scheduled)"), "（未排班）"));
}

/* The phones of everyone on duty, leaders first, in the order of the names. */
static void write_phones(FILE *f, ExportMarkup m, const ExportDay *d) {
        bool first = true;

        for (int pass = 0; pass < 2; pass++)
                for (size_t i = 0; i < d->n_slots; i++) {
                        const ExportSlot *s = d->slots + i;

                        if (!s->person || s->leader != (pass == 0))
                                continue;
                        markup_sep(f, m, &first, export_word(m, N_(", "), EXPORT_LIST_SEP));
                        markup_text(f, m, s->phone ?: "-");
                }
}

static void write_cell(FILE *f, ExportMarkup m, const ExportDay *d, ExportColumn c) {
        char buf[DAY_STRING_MAX];

        switch (c) {
        case EXPORT_COLUMN_DATE:
                markup_text(f, m, day_format(d->day, buf));
                return;
        case EXPORT_COLUMN_WEEKDAY:
                markup_text(f, m, m == EXPORT_MARKUP_TERMINAL ? label_weekday(d->day) : day_weekday_zh(d->day));
                return;
        case EXPORT_COLUMN_FESTIVAL:
                write_festival(f, m, d);
                return;
        case EXPORT_COLUMN_LEADERS:
                write_people(f, m, d, true);
                return;
        case EXPORT_COLUMN_OFFICERS:
                write_people(f, m, d, false);
                return;
        case EXPORT_COLUMN_PHONES:
                write_phones(f, m, d);
                return;
        case _EXPORT_COLUMN_MAX:
        case _EXPORT_COLUMN_INVALID:
                break;
        }
        abort();
}

static int cell_string(const ExportDay *d, ExportMarkup m, ExportColumn c, char **ret) {
        char *buf = NULL;
        size_t size = 0;
        FILE *f;

        f = open_memstream(&buf, &size);
        if (!f)
                return -ENOMEM;
        write_cell(f, m, d, c);
        if (fclose(f) != 0) {
                free(buf);
                return -ENOMEM;
        }
        *ret = buf;
        return 0;
}

static void cells_free(char *cells[static _EXPORT_COLUMN_MAX]) {
        for (size_t i = 0; i < _EXPORT_COLUMN_MAX; i++) {
                free(cells[i]);
                cells[i] = NULL;
        }
}

static int day_cells(const ExportDay *d, ExportMarkup m, char *ret[static _EXPORT_COLUMN_MAX]) {
        char *cells[_EXPORT_COLUMN_MAX] = {};
        int r;

        for (ExportColumn c = 0; c < _EXPORT_COLUMN_MAX; c++) {
                r = cell_string(d, m, c, cells + c);
                if (r < 0) {
                        cells_free(cells);
                        return r;
                }
        }
        memcpy(ret, cells, sizeof(cells));
        return 0;
}

static void write_version(FILE *f, ExportMarkup m, const ExportRoster *v) {
        char buf[32];

        if (!v->has_version) {
                markup_text(f, m, export_word(m, N_("not published"), "未发布"));
                return;
        }
        snprintf(buf, sizeof(buf), "%" PRId64, v->version);
        if (m == EXPORT_MARKUP_TERMINAL) {
                fprintf(f, _("version %s"), buf);
                if (v->amendments > 0) {
                        snprintf(buf, sizeof(buf), "%" PRId64, v->amendments);
                        fprintf(f, _(", amended %s times"), buf);
                }
                return;
        }
        markup_text(f, m, "第 ");
        markup_text(f, m, buf);
        markup_text(f, m, " 版");
}

/* ---- table ---- */

static int export_table(FILE *f, const ExportRoster *v, const ExportOptions *o) {
        _cleanup_(table_freep) Table *t = NULL;
        char from[DAY_STRING_MAX], to[DAY_STRING_MAX];
        int r;

        r = table_new(_EXPORT_COLUMN_MAX, (const char *const[_EXPORT_COLUMN_MAX]) {
                        _(export_column_headers_table[EXPORT_COLUMN_DATE]),
                        _(export_column_headers_table[EXPORT_COLUMN_WEEKDAY]),
                        _(export_column_headers_table[EXPORT_COLUMN_FESTIVAL]),
                        _(export_column_headers_table[EXPORT_COLUMN_LEADERS]),
                        _(export_column_headers_table[EXPORT_COLUMN_OFFICERS]),
                        _(export_column_headers_table[EXPORT_COLUMN_PHONES]) }, &t);
        if (r < 0)
                return r;

        for (size_t i = 0; i < v->n_days; i++) {
                char *cells[_EXPORT_COLUMN_MAX];

                if (!export_day_shown(v->days + i, o))
                        continue;
                r = day_cells(v->days + i, EXPORT_MARKUP_TERMINAL, cells);
                if (r < 0)
                        return r;
                r = table_add_row(t, (const char *const *) cells);
                cells_free(cells);
                if (r < 0)
                        return r;
        }

        /* The title says which roster this is and whether it was published. */
        if (v->office)
                fprintf(f, "%s  ", v->office);
        fputs(_("Duty roster"), f);
        if (v->n_days > 0)
                fprintf(f, _("  %s to %s"), day_format(v->days[0].day, from),
                        day_format(v->days[v->n_days - 1].day, to));
        fputs("  ", f);
        write_version(f, EXPORT_MARKUP_TERMINAL, v);
        fputc('\n', f);

        return table_print(t, f);
}

/* ---- CSV (RFC 4180) ---- */

/* Spreadsheets run a cell that starts like a formula; names and reasons come from people, so such
 * a cell is made text with a leading apostrophe. A cell starting with + or - is only a formula that
 * can do harm if it names a function or a cell, with letters: phone numbers such as "+86 …" and the
 * "-" placeholder stay as they are. */
static bool csv_looks_like_formula(const char *s) {
        if (s[0] == '=' || s[0] == '@' || s[0] == '\t' || s[0] == '\r')
                return true;
        if (s[0] == '+' || s[0] == '-')
                for (const char *p = s; *p; p++)
                        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
                                return true;
        return false;
}

static void csv_field(FILE *f, const char *s) {
        bool quote = strpbrk(s, ",\"\r\n") || s[0] == ' ' || (s[0] && s[strlen(s) - 1] == ' ');

        if (quote)
                fputc('"', f);
        if (csv_looks_like_formula(s))
                fputc('\'', f);
        for (const char *p = s; *p; p++) {
                if (*p == '"')
                        fputc('"', f);
                fputc(*p, f);
        }
        if (quote)
                fputc('"', f);
}

static void csv_row(FILE *f, const char *const *cells) {
        for (size_t i = 0; i < _EXPORT_COLUMN_MAX; i++) {
                if (i > 0)
                        fputc(',', f);
                csv_field(f, cells[i]);
        }
        /* RFC 4180 ends records with CRLF, which Excel and WPS expect. */
        fputs("\r\n", f);
}

static int export_csv(FILE *f, const ExportRoster *v, const ExportOptions *o) {
        int r;

        /* Without the byte order mark Excel reads UTF-8 as the ANSI code page (GBK) and garbles
         * every Chinese name. */
        fputs(EXPORT_CSV_BOM, f);
        csv_row(f, export_column_headers);

        for (size_t i = 0; i < v->n_days; i++) {
                char *cells[_EXPORT_COLUMN_MAX];

                if (!export_day_shown(v->days + i, o))
                        continue;
                r = day_cells(v->days + i, EXPORT_MARKUP_TEXT, cells);
                if (r < 0)
                        return r;
                csv_row(f, (const char *const *) cells);
                cells_free(cells);
        }
        return 0;
}

/* ---- iCalendar (RFC 5545) ---- */

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

static void icalcomponent_freep(icalcomponent **c) {
        if (*c)
                icalcomponent_free(*c);
}

/* Adds p to c; libical answers NULL for a property it could not allocate. */
static int ics_add(icalcomponent *c, icalproperty *p) {
        if (!p)
                return -ENOMEM;
        icalcomponent_add_property(c, p);
        return 0;
}

static int ics_fixed_vtimezone(const FixedZone *z, icalcomponent **ret) {
        _cleanup_(icalcomponent_freep) icalcomponent *tz = NULL;
        struct icaltimetype start = icaltime_null_time();
        icalcomponent *standard;
        int r;

        start.year = 1970;
        start.month = 1;
        start.day = 1;

        tz = icalcomponent_new_vtimezone();
        if (!tz)
                return -ENOMEM;
        r = ics_add(tz, icalproperty_new_tzid(z->tzid));
        if (r < 0)
                return r;

        standard = icalcomponent_new_xstandard();
        if (!standard)
                return -ENOMEM;
        icalcomponent_add_component(tz, standard);
        if ((r = ics_add(standard, icalproperty_new_tzname(z->name))) < 0 ||
            (r = ics_add(standard, icalproperty_new_tzoffsetfrom(z->offset_sec))) < 0 ||
            (r = ics_add(standard, icalproperty_new_tzoffsetto(z->offset_sec))) < 0 ||
            (r = ics_add(standard, icalproperty_new_dtstart(start))) < 0)
                return r;

        *ret = TAKE_PTR(tz);
        return 0;
}

/* The VTIMEZONE of tzid: from the system's zone database through libical, renamed to the plain
 * zone name (libical prefixes its own, which other calendars do not recognise); otherwise from
 * the fixed zones. -ENOENT if neither knows it. */
static int ics_vtimezone(const char *tzid, bool no_tzdata, icalcomponent **ret) {
        icaltimezone *zone = no_tzdata ? NULL : icaltimezone_get_builtin_timezone(tzid);
        icalcomponent *c = zone ? icaltimezone_get_component(zone) : NULL;

        if (c) {
                icalproperty *p;

                c = icalcomponent_new_clone(c);
                if (!c)
                        return -ENOMEM;
                p = icalcomponent_get_first_property(c, ICAL_TZID_PROPERTY);
                if (p)
                        icalproperty_set_tzid(p, tzid);
                else
                        icalcomponent_add_property(c, icalproperty_new_tzid(tzid));
                *ret = c;
                return 0;
        }

        for (size_t i = 0; i < ELEMENTSOF(fixed_zones); i++)
                if (streq(fixed_zones[i].tzid, tzid))
                        return ics_fixed_vtimezone(fixed_zones + i, ret);

        return -ENOENT;
}

static icalproperty *ics_local_time(icalproperty *(*new)(struct icaltimetype), Day d, int minutes, const char *tzid) {
        struct icaltimetype t = icaltime_null_time();
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
                icalproperty_add_parameter(p, icalparameter_new_tzid(tzid));
        return p;
}

static int ics_uid(const ExportRoster *v, const ExportDay *d, const ExportSlot *s, char **ret) {
        char date[DAY_STRING_MAX], hex[SHA256_HEX_SIZE], compact[9];
        uint8_t digest[SHA256_DIGEST_SIZE];
        int y, m, dd, r;

        day_to_ymd(d->day, &y, &m, &dd);
        snprintf(compact, sizeof(compact), "%04d%02d%02d", y, m, dd);
        (void) day_format(d->day, date);

        /* Stable across exports: the same duty of the same person keeps its UID, so a subscribed
         * calendar updates events instead of duplicating them; a swap is a new event. */
        if (v->office) {
                sha256_hash(v->office, strlen(v->office), digest);
                sha256_to_hex(digest, hex);
                r = asprintf(ret, "%s-%s-%" PRId64 "-%s.%.*s@" EXPORT_UID_DOMAIN, compact, s->post, s->slot,
                             s->person, EXPORT_UID_OFFICE_HASH_LEN, hex);
        } else
                r = asprintf(ret, "%s-%s-%" PRId64 "-%s@" EXPORT_UID_DOMAIN, compact, s->post, s->slot, s->person);
        return r < 0 ? -ENOMEM : 0;
}

static int ics_description(const ExportRoster *v, const ExportDay *d, const ExportSlot *s, char **ret) {
        char from[DAY_STRING_MAX], to[DAY_STRING_MAX];
        char *buf = NULL;
        size_t size = 0;
        FILE *f;

        f = open_memstream(&buf, &size);
        if (!f)
                return -ENOMEM;

        fprintf(f, "%s：%s\n", s->post_name, s->name ?: s->person);
        fprintf(f, "电话：%s\n", s->phone ?: "-");
        fprintf(f, "值班时间：%s %s 至 %s %s（%s）", day_format(d->day, from), v->handover,
                day_format(d->day + 1, to), v->handover, v->timezone);
        if (d->holiday || d->special || d->sensitive || streq(d->type, "makeup_workday") ||
            streq(d->type, "unknown") || export_day_assumed(d)) {
                fputs("\n节日：", f);
                write_festival(f, EXPORT_MARKUP_TEXT, d);
        }
        if (v->office)
                fprintf(f, "\n单位：%s", v->office);

        if (fclose(f) != 0) {
                free(buf);
                return -ENOMEM;
        }
        *ret = buf;
        return 0;
}

static int ics_event(const ExportRoster *v, const ExportDay *d, const ExportSlot *s,
                     struct icaltimetype stamp, icalcomponent **ret) {
        _cleanup_free_ char *uid = NULL, *summary = NULL, *description = NULL;
        icalcomponent *ev;
        int r;

        r = ics_uid(v, d, s, &uid);
        if (r < 0)
                return r;
        if (asprintf(&summary, "%s：%s", s->post_name, s->name ?: s->person) < 0)
                return -ENOMEM;
        r = ics_description(v, d, s, &description);
        if (r < 0)
                return r;

        ev = icalcomponent_new_vevent();
        if (!ev)
                return -ENOMEM;
        /* A duty runs from the handover of its day to the handover of the next. */
        if ((r = ics_add(ev, icalproperty_new_uid(uid))) < 0 ||
            (r = ics_add(ev, icalproperty_new_dtstamp(stamp))) < 0 ||
            (r = ics_add(ev, ics_local_time(icalproperty_new_dtstart, d->day, v->handover_minutes, v->timezone))) < 0 ||
            (r = ics_add(ev, ics_local_time(icalproperty_new_dtend, d->day + 1, v->handover_minutes, v->timezone))) < 0 ||
            (r = ics_add(ev, icalproperty_new_summary(summary))) < 0 ||
            (r = ics_add(ev, icalproperty_new_description(description))) < 0 ||
            (r = ics_add(ev, icalproperty_new_transp(ICAL_TRANSP_OPAQUE))) < 0) {
                icalcomponent_free(ev);
                return r;
        }
        *ret = ev;
        return 0;
}

static icalproperty *ics_x_property(const char *name, const char *value) {
        icalproperty *p = icalproperty_new_x(value);

        if (p)
                icalproperty_set_x_name(p, name);
        return p;
}

/* The display name of the person a feed is for, from their duties. */
static const char *ics_person_name(const ExportRoster *v, const char *person) {
        for (size_t i = 0; i < v->n_days; i++)
                for (size_t j = 0; j < v->days[i].n_slots; j++) {
                        const ExportSlot *s = v->days[i].slots + j;

                        if (s->person && streq(s->person, person) && s->name)
                                return s->name;
                }
        return person;
}

static int export_ics(FILE *f, const ExportRoster *v, const ExportOptions *o) {
        _cleanup_(icalcomponent_freep) icalcomponent *cal = NULL;
        _cleanup_free_ char *calname = NULL, *text = NULL;
        struct icaltimetype stamp;
        icalcomponent *tz = NULL;
        int r;

        stamp = icaltime_from_timet_with_zone((time_t) (o->now_usec / USEC_PER_SEC), 0,
                                              icaltimezone_get_utc_timezone());

        if (asprintf(&calname, o->person ? "%s值班表（%s）" : "%s值班表%s", strempty(v->office),
                     o->person ? ics_person_name(v, o->person) : "") < 0)
                return -ENOMEM;

        cal = icalcomponent_new_vcalendar();
        if (!cal)
                return -ENOMEM;
        if ((r = ics_add(cal, icalproperty_new_prodid(EXPORT_ICS_PRODID))) < 0 ||
            (r = ics_add(cal, icalproperty_new_version("2.0"))) < 0 ||
            (r = ics_add(cal, icalproperty_new_calscale("GREGORIAN"))) < 0 ||
            (r = ics_add(cal, icalproperty_new_method(ICAL_METHOD_PUBLISH))) < 0 ||
            (r = ics_add(cal, ics_x_property("X-WR-CALNAME", calname))) < 0 ||
            (r = ics_add(cal, ics_x_property("X-WR-TIMEZONE", v->timezone))) < 0)
                return r;

        r = ics_vtimezone(v->timezone, o->no_tzdata, &tz);
        if (r < 0)
                return r;
        icalcomponent_add_component(cal, tz);

        for (size_t i = 0; i < v->n_days; i++)
                for (size_t j = 0; j < v->days[i].n_slots; j++) {
                        const ExportSlot *s = v->days[i].slots + j;
                        icalcomponent *ev = NULL;

                        /* An empty slot is nobody's duty; the other views show it. */
                        if (!s->person)
                                continue;
                        r = ics_event(v, v->days + i, s, stamp, &ev);
                        if (r < 0)
                                return r;
                        icalcomponent_add_component(cal, ev);
                }

        text = icalcomponent_as_ical_string_r(cal);
        if (!text)
                return -ENOMEM;
        fputs(text, f);
        return 0;
}

/* ---- HTML ---- */

static const char export_html_style[] =
        "@page { size: A4; margin: 15mm; }\n"
        "* { -webkit-print-color-adjust: exact; print-color-adjust: exact; }\n"
        "body { font-family: \"SimSun\", \"Songti SC\", \"Noto Serif CJK SC\", \"Source Han Serif SC\", serif;\n"
        "       font-size: 11pt; color: #000; margin: 0; }\n"
        "@media screen { body { max-width: 180mm; margin: 10mm auto; } }\n"
        "section { break-inside: avoid; page-break-inside: avoid; }\n"
        "section + section { break-before: page; page-break-before: always; }\n"
        "h1 { font-size: 20pt; text-align: center; margin: 0 0 3mm; letter-spacing: 2pt; }\n"
        "h2 { font-size: 14pt; text-align: center; margin: 0 0 2mm; font-weight: normal; }\n"
        "p.meta { text-align: center; font-size: 10pt; margin: 0 0 4mm; }\n"
        "table { width: 100%; border-collapse: collapse; }\n"
        "thead { display: table-header-group; }\n"
        "tr { break-inside: avoid; page-break-inside: avoid; }\n"
        "th, td { border: 0.5pt solid #000; padding: 1.5mm 2mm; text-align: center; vertical-align: middle; }\n"
        "th { background: #e6e6e6; }\n"
        "tr.weekend td { background: #f0f0f0; }\n"
        "tr.holiday td { background: #fbe4e1; }\n"
        "tr.unknown td { background: #fff4cc; }\n"
        ".empty { color: #b00000; font-weight: bold; }\n"
        "p.note { font-size: 9pt; margin: 3mm 0 0; }\n"
        "p.none { text-align: center; margin: 10mm 0; }\n";

static const char *html_row_class(const ExportDay *d) {
        if (streq(d->type, "holiday") || d->holiday)
                return "holiday";
        if (streq(d->type, "weekend"))
                return "weekend";
        if (streq(d->type, "unknown"))
                return "unknown";
        return "workday";
}

/* Days are grouped into tables: each run of days of one holiday gets its own, titled with the
 * holiday, and the other days one per month. */
static bool html_same_group(const ExportDay *a, const ExportDay *b) {
        int ya, ma, yb, mb, dd;

        if (a->holiday || b->holiday)
                return a->holiday && b->holiday && streq(a->holiday, b->holiday) &&
                        streq(strempty(a->run_from), strempty(b->run_from));

        day_to_ymd(a->day, &ya, &ma, &dd);
        day_to_ymd(b->day, &yb, &mb, &dd);
        return ya == yb && ma == mb;
}

static void html_header(FILE *f, const ExportRoster *v) {
        fputs("<h1>", f);
        html_escape(f, v->office);
        fputs("值班表</h1>\n", f);
}

static void html_section(FILE *f, const ExportRoster *v, const ExportDay *first, const ExportDay *last,
                         const ExportOptions *o) {
        char from[DAY_STRING_MAX], to[DAY_STRING_MAX];
        int y, m, dd;

        fputs("<section>\n", f);
        html_header(f, v);

        fputs("<h2>", f);
        if (first->holiday)
                html_escape(f, first->holiday);
        else {
                day_to_ymd(first->day, &y, &m, &dd);
                fprintf(f, "%d年%d月", y, m);
        }
        fprintf(f, "（%s 至 %s）</h2>\n", day_format(first->day, from), day_format(last->day, to));

        fputs("<p class=\"meta\">", f);
        write_version(f, EXPORT_MARKUP_HTML, v);
        fputs(" · 交接班时间 ", f);
        html_escape(f, v->handover);
        fputs("（", f);
        html_escape(f, v->timezone);
        fputs("）", f);
        if (o->person) {
                fputs(" · 仅列 ", f);
                html_escape(f, ics_person_name(v, o->person));
                fputs(" 的值班", f);
        }
        fputs("</p>\n<table>\n<thead><tr>", f);
        for (ExportColumn c = 0; c < _EXPORT_COLUMN_MAX; c++) {
                fputs("<th>", f);
                html_escape(f, export_column_headers[c]);
                fputs("</th>", f);
        }
        fputs("</tr></thead>\n<tbody>\n", f);

        for (const ExportDay *d = first; d <= last; d++) {
                if (!export_day_shown(d, o))
                        continue;
                fprintf(f, "<tr class=\"%s\">", html_row_class(d));
                for (ExportColumn c = 0; c < _EXPORT_COLUMN_MAX; c++) {
                        fputs("<td>", f);
                        write_cell(f, EXPORT_MARKUP_HTML, d, c);
                        fputs("</td>", f);
                }
                fputs("</tr>\n", f);
        }

        fputs("</tbody>\n</table>\n<p class=\"note\">", f);
        fprintf(f, "注：值班时间为当日 %s 至次日 %s；灰底为周末，红底为节假日。", v->handover, v->handover);
        fputs("</p>\n</section>\n", f);
}

static int export_html(FILE *f, const ExportRoster *v, const ExportOptions *o) {
        size_t start = SIZE_MAX, n_sections = 0;

        fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>", f);
        html_escape(f, v->office);
        fprintf(f, "值班表</title>\n<style>\n%s</style>\n</head>\n<body>\n", export_html_style);

        /* A section holds the shown days of one group; first and last are shown days. */
        for (size_t i = 0; i <= v->n_days; i++) {
                if (i < v->n_days && !export_day_shown(v->days + i, o))
                        continue;
                if (start != SIZE_MAX && (i == v->n_days || !html_same_group(v->days + start, v->days + i))) {
                        size_t last = i - 1;

                        while (!export_day_shown(v->days + last, o))
                                last--;
                        html_section(f, v, v->days + start, v->days + last, o);
                        n_sections++;
                        start = SIZE_MAX;
                }
                if (i < v->n_days && start == SIZE_MAX)
                        start = i;
        }

        if (n_sections == 0) {
                fputs("<section>\n", f);
                html_header(f, v);
                fputs("<p class=\"none\">所列期间无值班安排。</p>\n</section>\n", f);
        }

        fputs("</body>\n</html>\n", f);
        return 0;
}

/* ---- Entry points ---- */

int export_roster(FILE *f, ExportFormat format, json_t *reply, const ExportOptions *options) {
        _cleanup_(export_roster_freep) ExportRoster *v = NULL;
        const ExportOptions none = {};
        int r;

        if (!f || !reply)
                return -EINVAL;
        if (!options)
                options = &none;

        r = export_roster_parse(reply, &v);
        if (r < 0)
                return r;

        switch (format) {
        case EXPORT_FORMAT_TABLE:
                r = export_table(f, v, options);
                break;
        case EXPORT_FORMAT_JSON:
                r = output_json(f, reply);
                break;
        case EXPORT_FORMAT_CSV:
                r = export_csv(f, v, options);
                break;
        case EXPORT_FORMAT_ICS:
                r = export_ics(f, v, options);
                break;
        case EXPORT_FORMAT_HTML:
                r = export_html(f, v, options);
                break;
        case _EXPORT_FORMAT_MAX:
        case _EXPORT_FORMAT_INVALID:
                return -EINVAL;
        }
        if (r < 0)
                return r;

        if (fflush(f) != 0 || ferror(f))
                return -EIO;
        return 0;
}

int export_roster_to_buffer(ExportFormat format, json_t *reply, const ExportOptions *options,
                            char **ret_data, size_t *ret_size) {
        char *buf = NULL;
        size_t size = 0;
        FILE *f;
        int r;

        if (!ret_data || !ret_size)
                return -EINVAL;

        f = open_memstream(&buf, &size);
        if (!f)
                return -ENOMEM;
        r = export_roster(f, format, reply, options);
        if (fclose(f) != 0 && r >= 0)
                r = -ENOMEM;
        if (r < 0) {
                free(buf);
                return r;
        }

        *ret_data = buf;
        *ret_size = size;
        return 0;
}

int export_write_file(const char *path, const void *data, size_t size) {
        _cleanup_free_ char *dir_copy = NULL, *base_copy = NULL, *tmp = NULL;
        _cleanup_close_ int fd = -1;
        const char *p = data;
        int r;

        if (isempty(path) || (!data && size > 0))
                return -EINVAL;

        dir_copy = strdup(path);
        base_copy = strdup(path);
        if (!dir_copy || !base_copy)
                return -ENOMEM;
        if (asprintf(&tmp, "%s/.%s.XXXXXX", dirname(dir_copy), basename(base_copy)) < 0) {
                tmp = NULL;
                return -ENOMEM;
        }

        fd = mkostemp(tmp, O_CLOEXEC);
        if (fd < 0)
                return -errno;
        if (fchmod(fd, EXPORT_FILE_MODE) < 0) {
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
        return 0;

fail:
        (void) unlink(tmp);
        return r;
}
