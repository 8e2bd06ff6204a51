/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The reply is first read into a small view (roster-view.h, strings borrowed from the JSON) that
 * every format renders, so that the formats agree on what a day shows: who leads, who is on duty,
 * and every empty slot with its reason. The iCalendar feed is daemon/ics.c's, shared with dutyd's
 * feeds, and reads the reply through the same view.
 *
 * The table is dutyctl's interface and speaks the user's language. The CSV, iCalendar and HTML
 * exports are the office's documents: they are written in Chinese whatever the locale of whoever
 * (or whichever timer) runs the export, so that the roster posted or shared never changes language
 * with the exporter's terminal. Their words are therefore plain literals, not messages. */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "build-config.h"
#include "date.h"
#include "export.h"
#include "ics.h"
#include "labels.h"
#include "output.h"
#include "roster-view.h"
#include "util.h"

/* Exported files are documents to share, readable by everyone, whatever the umask. */
#define EXPORT_FILE_MODE 0644
#define EXPORT_CSV_BOM "\xEF\xBB\xBF"
#define EXPORT_LIST_SEP "、"

static const char *const export_format_table[_EXPORT_FORMAT_MAX] = {
        [EXPORT_FORMAT_TABLE] = "table",
        [EXPORT_FORMAT_JSON]  = "json",
        [EXPORT_FORMAT_CSV]   = "csv",
        [EXPORT_FORMAT_ICS]   = "ics",
        [EXPORT_FORMAT_HTML]  = "html",
        [EXPORT_FORMAT_CSV_LONG]   = "csv-long",
        [EXPORT_FORMAT_CSV_COUNTS] = "csv-counts",
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

/* ---- The view: roster-view.h ---- */

static bool export_day_shown(const RosterViewDay *d, const ExportOptions *o) {
        /* Filtered to one person, a day without their duties is simply not theirs. */
        return d->n_slots > 0 || !o->person;
}

/* The kind of a day, as the documents tell them apart. */
typedef enum DayKind {
        DAY_KIND_WORKDAY,
        DAY_KIND_WEEKEND,
        DAY_KIND_HOLIDAY,
        DAY_KIND_MAKEUP,
        DAY_KIND_UNKNOWN,
        _DAY_KIND_MAX,
        _DAY_KIND_INVALID = -EINVAL,
} DayKind;

/* Also the class of a day in the HTML. */
static const char *const html_day_kind_class[_DAY_KIND_MAX] = {
        [DAY_KIND_WORKDAY] = "workday",
        [DAY_KIND_WEEKEND] = "weekend",
        [DAY_KIND_HOLIDAY] = "holiday",
        [DAY_KIND_MAKEUP]  = "makeup",
        [DAY_KIND_UNKNOWN] = "unknown",
};

static DayKind day_kind(const RosterViewDay *d) {
        if (streq(d->type, "holiday") || d->holiday)
                return DAY_KIND_HOLIDAY;
        if (streq(d->type, "makeup_workday"))
                return DAY_KIND_MAKEUP;
        if (streq(d->type, "weekend"))
                return DAY_KIND_WEEKEND;
        if (streq(d->type, "unknown"))
                return DAY_KIND_UNKNOWN;
        return DAY_KIND_WORKDAY;
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

/* One name of a day's festival cell; on paper each is kept whole, the cell wraps between them. */
static void festival_item(FILE *f, ExportMarkup m, bool *first, const char *sep, const char *text) {
        markup_sep(f, m, first, sep);
        if (m == EXPORT_MARKUP_HTML)
                fputs("<span class=\"nw\">", f);
        markup_text(f, m, text);
        if (m == EXPORT_MARKUP_HTML)
                fputs("</span>", f);
}

static void write_festival(FILE *f, ExportMarkup m, const RosterViewDay *d) {
        bool first = true;

        const char *sep = export_word(m, N_(", "), "，");

        if (d->holiday)
                festival_item(f, m, &first, sep, d->holiday);
        else if (streq(d->type, "makeup_workday"))
                festival_item(f, m, &first, sep, export_word(m, N_("make-up workday"), "调休上班"));
        if (d->special)
                festival_item(f, m, &first, sep, d->special);
        /* On paper a period's long name would break in a narrow cell on every one of its days: it
         * is said once, under the table (html_footer). */
        if (d->sensitive)
                festival_item(f, m, &first, sep, m == EXPORT_MARKUP_HTML ? "重要敏感时期" : d->sensitive);
        /* An unknown calendar is never shown as an ordinary day without saying so. */
        if (roster_view_day_assumed(d)) {
                markup_sep(f, m, &first, sep);
                markup_text(f, m, export_word(m, N_("planned as an ordinary day (no holiday notice)"),
                                              "按平日排班（无放假通知）"));
        } else if (streq(d->type, "unknown"))
                festival_item(f, m, &first, sep, export_word(m, N_("calendar unknown"), "日历未知"));
}

static void write_vacancy(FILE *f, ExportMarkup m, const RosterViewSlot *s) {
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
static void write_people(FILE *f, ExportMarkup m, const RosterViewDay *d, bool leader) {
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
                const RosterViewSlot *s = d->slots + i;
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
static void write_phones(FILE *f, ExportMarkup m, const RosterViewDay *d) {
        bool first = true;

        for (int pass = 0; pass < 2; pass++)
                for (size_t i = 0; i < d->n_slots; i++) {
                        const RosterViewSlot *s = d->slots + i;

                        if (!s->person || s->leader != (pass == 0))
                                continue;
                        markup_sep(f, m, &first, export_word(m, N_(", "), EXPORT_LIST_SEP));
                        markup_text(f, m, s->phone ?: "-");
                }
}

static void write_cell(FILE *f, ExportMarkup m, const RosterViewDay *d, ExportColumn c) {
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

static int cell_string(const RosterViewDay *d, ExportMarkup m, ExportColumn c, char **ret) {
        MemStream ms;
        FILE *f = memstream_open(&ms);

        if (!f)
                return -ENOMEM;
        write_cell(f, m, d, c);
        return memstream_finish(&ms, 0, ret, NULL);
}

static void cells_free(char *cells[static _EXPORT_COLUMN_MAX]) {
        for (size_t i = 0; i < _EXPORT_COLUMN_MAX; i++) {
                free(cells[i]);
                cells[i] = NULL;
        }
}

static int day_cells(const RosterViewDay *d, ExportMarkup m, char *ret[static _EXPORT_COLUMN_MAX]) {
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

/* What a run of days says of its publication. A daemon that versions day by day gives each day
 * its version and its changes since; an older one only the newest version touching the range. */
typedef struct ExportVersion {
        bool published;         /* some day of the run is published */
        bool partial;           /* … but not all of them */
        int64_t version;        /* the newest version among them */
        int64_t amendments;     /* slots changed since publication */
} ExportVersion;

static ExportVersion export_version(const RosterView *v, const RosterViewDay *first, const RosterViewDay *last) {
        ExportVersion e = {};
        size_t n = 0, published = 0;

        if (!v->days_versioned)
                return (ExportVersion) {
                        .published = v->has_version,
                        .version = v->version,
                        .amendments = v->has_version ? v->amendments : 0,
                };

        for (const RosterViewDay *d = first; d && d <= last; d++) {
                n++;
                if (!d->has_version)
                        continue;
                published++;
                if (d->version > e.version)
                        e.version = d->version;
                e.amendments += d->amendments;
        }
        e.published = published > 0;
        e.partial = published > 0 && published < n;
        return e;
}

static void write_version(FILE *f, ExportMarkup m, const ExportVersion *e) {
        char buf[32];

        if (!e->published) {
                markup_text(f, m, export_word(m, N_("not published"), "未发布"));
                return;
        }
        snprintf(buf, sizeof(buf), "%" PRId64, e->version);
        if (m == EXPORT_MARKUP_TERMINAL) {
                fprintf(f, _("version %s"), buf);
                if (e->partial)
                        fputs(_(" (some days not published)"), f);
                if (e->amendments > 0) {
                        snprintf(buf, sizeof(buf), "%" PRId64, e->amendments);
                        fprintf(f, _(", amended %s times"), buf);
                }
                return;
        }
        markup_text(f, m, "第 ");
        markup_text(f, m, buf);
        markup_text(f, m, " 版");
        if (e->partial)
                markup_text(f, m, "（部分日期未发布）");
        if (e->amendments > 0) {
                snprintf(buf, sizeof(buf), "%" PRId64, e->amendments);
                markup_text(f, m, "，已变更 ");
                markup_text(f, m, buf);
                markup_text(f, m, " 处");
        }
}

/* ---- table ---- */

static int export_table(FILE *f, const RosterView *v, const ExportOptions *o) {
        _cleanup_(table_freep) Table *t = NULL;
        char from[DAY_STRING_MAX], to[DAY_STRING_MAX];
        ExportVersion version;
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
        version = export_version(v, v->n_days > 0 ? v->days : NULL, v->n_days > 0 ? v->days + v->n_days - 1 : NULL);
        write_version(f, EXPORT_MARKUP_TERMINAL, &version);
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

/* A phone number, or anything a spreadsheet would read as a number: Excel, WPS and LibreOffice
 * turn "013879100109" into 13879100109 and "+86…" into a number or a formula, and Excel shows long
 * numbers as 1.38791E+10. Written as the formula ="…", every one of them keeps the text as typed
 * and shows nothing more; an apostrophe would be shown as is by Excel when it opens a CSV, and a
 * leading tab stays in the cell's value. Only text made of digits and + - ( ) and spaces is so
 * written, so nothing a person typed can become a formula of its own. */
static bool csv_is_number_like(const char *s) {
        bool digit = false;

        for (const char *p = s; *p; p++) {
                if (*p >= '0' && *p <= '9')
                        digit = true;
                else if (!strchr("+-() ", *p))
                        return false;
        }
        return digit;
}

static void csv_text_field(FILE *f, const char *s) {
        if (!csv_is_number_like(strempty(s))) {
                csv_field(f, strempty(s));
                return;
        }
        fputs("\"=\"\"", f);
        fputs(s, f);
        fputs("\"\"\"", f);
}

static void csv_end(FILE *f) {
        /* RFC 4180 ends records with CRLF, which Excel and WPS expect. */
        fputs("\r\n", f);
}

static void csv_row(FILE *f, const char *const *cells) {
        for (size_t i = 0; i < _EXPORT_COLUMN_MAX; i++) {
                if (i > 0)
                        fputc(',', f);
                if (i == EXPORT_COLUMN_PHONES)
                        csv_text_field(f, cells[i]);
                else
                        csv_field(f, cells[i]);
        }
        csv_end(f);
}

/* A row of the long form or of the counts: cells[i] is text unless number_like[i]. */
static void csv_cells(FILE *f, size_t n, const char *const *cells, const bool *text) {
        for (size_t i = 0; i < n; i++) {
                if (i > 0)
                        fputc(',', f);
                if (text && text[i])
                        csv_text_field(f, cells[i]);
                else
                        csv_field(f, strempty(cells[i]));
        }
        csv_end(f);
}

static bool slot_is(const RosterViewSlot *s, const char *person) {
        return s->person && (!person || streq(s->person, person));
}

/* The others on duty that day, beside the row's person and the leaders: "name phone、…". */
static void write_colleagues(FILE *f, const RosterViewDay *d, const RosterViewSlot *self) {
        bool first = true;

        for (size_t i = 0; i < d->n_slots; i++) {
                const RosterViewSlot *s = d->slots + i;

                if (s == self || s->leader)
                        continue;
                markup_sep(f, EXPORT_MARKUP_TEXT, &first, EXPORT_LIST_SEP);
                if (!s->person) {
                        write_vacancy(f, EXPORT_MARKUP_TEXT, s);
                        continue;
                }
                fputs(s->name ?: s->person, f);
                if (s->phone)
                        fprintf(f, " %s", s->phone);
        }
}

static void write_leaders(FILE *f, const RosterViewDay *d, bool phones) {
        bool first = true;

        for (size_t i = 0; i < d->n_slots; i++) {
                const RosterViewSlot *s = d->slots + i;

                if (!s->leader || !s->person)
                        continue;
                markup_sep(f, EXPORT_MARKUP_TEXT, &first, EXPORT_LIST_SEP);
                fputs(phones ? strempty(s->phone) : s->name ?: s->person, f);
        }
}

typedef enum CsvLongColumn {
        CSV_LONG_DATE,
        CSV_LONG_WEEKDAY,
        CSV_LONG_FESTIVAL,
        CSV_LONG_POST,
        CSV_LONG_ID,
        CSV_LONG_NAME,
        CSV_LONG_PHONE,
        CSV_LONG_LEADERS,
        CSV_LONG_LEADER_PHONES,
        CSV_LONG_COLLEAGUES,
        _CSV_LONG_COLUMN_MAX,
        _CSV_LONG_COLUMN_INVALID = -EINVAL,
} CsvLongColumn;

static const char *const csv_long_headers[_CSV_LONG_COLUMN_MAX] = {
        [CSV_LONG_DATE]          = "日期",
        [CSV_LONG_WEEKDAY]       = "星期",
        [CSV_LONG_FESTIVAL]      = "节日",
        [CSV_LONG_POST]          = "岗位",
        [CSV_LONG_ID]            = "编号",
        [CSV_LONG_NAME]          = "姓名",
        [CSV_LONG_PHONE]         = "电话",
        [CSV_LONG_LEADERS]       = "带班领导",
        [CSV_LONG_LEADER_PHONES] = "带班领导电话",
        [CSV_LONG_COLLEAGUES]    = "同班值班人员",
};

static const bool csv_long_text[_CSV_LONG_COLUMN_MAX] = {
        [CSV_LONG_PHONE] = true,
        [CSV_LONG_LEADER_PHONES] = true,
};

/* Writes the cell c of the row of slot s on day d into a new string. */
static int csv_long_cell(const RosterViewDay *d, const RosterViewSlot *s, CsvLongColumn c, char **ret) {
        char date[DAY_STRING_MAX];
        MemStream ms;
        FILE *f = memstream_open(&ms);

        if (!f)
                return -ENOMEM;
        switch (c) {
        case CSV_LONG_DATE:
                fputs(day_format(d->day, date), f);
                break;
        case CSV_LONG_WEEKDAY:
                fputs(day_weekday_zh(d->day), f);
                break;
        case CSV_LONG_FESTIVAL:
                write_festival(f, EXPORT_MARKUP_TEXT, d);
                break;
        case CSV_LONG_POST:
                fputs(strempty(s->post_name), f);
                break;
        case CSV_LONG_ID:
                fputs(strempty(s->person), f);
                break;
        case CSV_LONG_NAME:
                if (s->person)
                        fputs(s->name ?: s->person, f);
                else
                        write_vacancy(f, EXPORT_MARKUP_TEXT, s);
                break;
        case CSV_LONG_PHONE:
                fputs(strempty(s->phone), f);
                break;
        case CSV_LONG_LEADERS:
                write_leaders(f, d, false);
                break;
        case CSV_LONG_LEADER_PHONES:
                write_leaders(f, d, true);
                break;
        case CSV_LONG_COLLEAGUES:
                write_colleagues(f, d, s);
                break;
        case _CSV_LONG_COLUMN_MAX:
        case _CSV_LONG_COLUMN_INVALID:
                abort();
        }
        return memstream_finish(&ms, 0, ret, NULL);
}

/* One row per person and duty (per slot, an empty one too, unless filtered to a person): what a
 * spreadsheet sorts and filters, each row naming the leader and the colleagues of its duty. */
static int export_csv_long(FILE *f, const RosterView *v, const ExportOptions *o) {
        int r;

        fputs(EXPORT_CSV_BOM, f);
        csv_cells(f, _CSV_LONG_COLUMN_MAX, csv_long_headers, NULL);

        for (size_t i = 0; i < v->n_days; i++)
                for (size_t j = 0; j < v->days[i].n_slots; j++) {
                        const RosterViewSlot *s = v->days[i].slots + j;
                        char *cells[_CSV_LONG_COLUMN_MAX] = {};

                        if (o->person && !slot_is(s, o->person))
                                continue;
                        r = 0;
                        for (CsvLongColumn c = 0; c < _CSV_LONG_COLUMN_MAX && r >= 0; c++)
                                r = csv_long_cell(v->days + i, s, c, cells + c);
                        if (r >= 0)
                                csv_cells(f, _CSV_LONG_COLUMN_MAX, (const char *const *) cells, csv_long_text);
                        for (size_t c = 0; c < _CSV_LONG_COLUMN_MAX; c++)
                                free(cells[c]);
                        if (r < 0)
                                return r;
                }
        return 0;
}

/* ---- Duty counts per person (值班补贴) ---- */

static const char *const count_headers[] = {
        "编号", "姓名", "岗位", "合计", "工作日", "周末", "法定节假日", "调休上班日", "日历未知",
};
/* The id, name, post and total, then one column per kind of day, in DayKind's order. */
_Static_assert(ELEMENTSOF(count_headers) == 4 + _DAY_KIND_MAX, "a column per kind of day");

typedef struct PersonCount {
        const char *person;
        const char *name;
        const char *post_name;
        bool several_posts;
        bool leader;
        unsigned total;
        unsigned kinds[_DAY_KIND_MAX];
} PersonCount;

/* Leaders first, then everyone else, each in the order of their first duty in the range. */
static int person_count_compare(const void *a, const void *b) {
        const PersonCount *x = a, *y = b;

        return (int) y->leader - (int) x->leader;
}

/* How many duties each person has in the range, by kind of day: what the subsidy for duty
 * (值班补贴) is paid on. A duty is a duty day: a person with two slots of one day counts once. */
static int export_csv_counts(FILE *f, const RosterView *v, const ExportOptions *o) {
        _cleanup_free_ PersonCount *counts = NULL;
        size_t n = 0, n_slots = 0;

        for (size_t i = 0; i < v->n_days; i++)
                n_slots += v->days[i].n_slots;
        if (n_slots > 0) {
                counts = calloc(n_slots, sizeof(PersonCount));
                if (!counts)
                        return -ENOMEM;
        }

        for (size_t i = 0; i < v->n_days; i++)
                for (size_t j = 0; j < v->days[i].n_slots; j++) {
                        const RosterViewSlot *s = v->days[i].slots + j;
                        PersonCount *c = NULL;
                        bool again = false;

                        if (!slot_is(s, o->person))
                                continue;
                        for (size_t k = 0; k < j; k++)
                                if (slot_is(v->days[i].slots + k, s->person))
                                        again = true;
                        for (size_t k = 0; k < n && !c; k++)
                                if (streq(counts[k].person, s->person))
                                        c = counts + k;
                        if (!c) {
                                c = counts + n++;
                                *c = (PersonCount) {
                                        .person = s->person,
                                        .name = s->name ?: s->person,
                                        .post_name = s->post_name,
                                        .leader = s->leader,
                                };
                        } else if (!streq(strempty(c->post_name), strempty(s->post_name)))
                                c->several_posts = true;
                        if (again)
                                continue;
                        c->total++;
                        c->kinds[day_kind(v->days + i)]++;
                }

        /* qsort is not stable: the order of first duty is kept by a stable insertion instead. */
        for (size_t i = 1; i < n; i++)
                for (size_t k = i; k > 0 && person_count_compare(counts + k - 1, counts + k) > 0; k--) {
                        PersonCount t = counts[k];

                        counts[k] = counts[k - 1];
                        counts[k - 1] = t;
                }

        fputs(EXPORT_CSV_BOM, f);
        csv_cells(f, ELEMENTSOF(count_headers), count_headers, NULL);
        for (size_t i = 0; i < n; i++) {
                char numbers[1 + _DAY_KIND_MAX][16];
                const char *cells[ELEMENTSOF(count_headers)] = {
                        counts[i].person, counts[i].name,
                        counts[i].several_posts ? "多个岗位" : counts[i].post_name,
                };

                snprintf(numbers[0], sizeof(numbers[0]), "%u", counts[i].total);
                for (DayKind k = 0; k < _DAY_KIND_MAX; k++)
                        snprintf(numbers[1 + k], sizeof(numbers[1 + k]), "%u", counts[i].kinds[k]);
                for (size_t k = 0; k < 1 + _DAY_KIND_MAX; k++)
                        cells[3 + k] = numbers[k];
                /* The counts stay numbers, to be summed. */
                csv_cells(f, ELEMENTSOF(count_headers), cells, NULL);
        }
        return 0;
}

static int export_csv(FILE *f, const RosterView *v, const ExportOptions *o) {
        int r;

        /* One person's duties: a row each, with the leader and colleagues of the duty. */
        if (o->person)
                return export_csv_long(f, v, o);

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

/* ---- iCalendar: ics.c renders it, for dutyctl and dutyd's feeds alike ---- */

static int export_ics(FILE *f, json_t *reply, const ExportOptions *o) {
        const IcsOptions io = {
                .now_usec = o->now_usec,
                .person = o->person,
                .no_tzdata = o->no_tzdata,
        };
        _cleanup_free_ char *text = NULL;
        size_t size;
        int r;

        r = ics_render(reply, &io, &text, &size);
        if (r < 0)
                return r;
        if (fwrite(text, 1, size, f) != size)
                return -EIO;
        return 0;
}

/* ---- HTML ---- */

/* A printed 值班表 to post as is: A4 portrait, a week or a holiday run on one page as a list, a
 * month as a calendar grid on one page (two at most). Nothing in a date, a name, a phone number or
 * a heading may break across lines; the phone stands beside its person. Holidays, weekends and
 * make-up workdays are told apart by marks and type, not by colour alone, so that a black-and-white
 * copy keeps them. The fonts named first are the Chinese sans-serif faces of Debian (fonts-noto-cjk),
 * macOS and Windows; SimSun and SimHei are what older Windows offices have. */
static const char export_html_style[] =
        "@page { size: A4 portrait; margin: 12mm 12mm 12mm 12mm; }\n"
        "* { -webkit-print-color-adjust: exact; print-color-adjust: exact; box-sizing: border-box; }\n"
        "body { font-family: \"Noto Sans CJK SC\", \"Source Han Sans SC\", \"Microsoft YaHei\", \"SimSun\",\n"
        "       \"SimHei\", \"PingFang SC\", sans-serif;\n"
        "       font-size: 10pt; line-height: 1.3; color: #000; margin: 0; word-break: keep-all; }\n"
        "@media screen { body { width: 186mm; margin: 8mm auto; } }\n"
        "header, section, footer { break-inside: avoid; page-break-inside: avoid; }\n"
        "section.month + section.month { break-before: page; page-break-before: always; }\n"
        "h1 { font-size: 18pt; text-align: center; margin: 0 0 1.5mm; letter-spacing: 1pt; white-space: nowrap; }\n"
        "h2 { font-size: 12pt; margin: 3mm 0 1.5mm; white-space: nowrap; }\n"
        "h2 .version { font-size: 10pt; font-weight: normal; margin-left: 3mm; }\n"
        "p.meta { text-align: center; margin: 0 0 2mm; }\n"
        "p.meta span { white-space: nowrap; margin: 0 2.5mm; }\n"
        "table { width: 100%; border-collapse: collapse; }\n"
        "table.list { table-layout: fixed; }\n"
        "thead { display: table-header-group; }\n"
        "tr { break-inside: avoid; page-break-inside: avoid; }\n"
        "th, td { border: 0.6pt solid #000; padding: 0.8mm 1.5mm; vertical-align: middle; }\n"
        "th { background: #e0e0e0; white-space: nowrap; font-weight: bold; }\n"
        "td.date, td.wd { white-space: nowrap; text-align: center; }\n"
        "td.fest { text-align: center; font-size: 9pt; word-break: normal; }\n"
        ".nw, .name, .phone, .mark, .post { white-space: nowrap; }\n"
        ".person { display: inline-block; white-space: nowrap; margin-right: 2.5mm; }\n"
        ".name { font-weight: bold; }\n"
        ".phone { font-size: 9pt; margin-left: 1.2mm; }\n"
        ".post { font-size: 8.5pt; }\n"
        /* Weekends: the weekday in bold on light grey; holidays: a black 休 and a hatched cell;
         * make-up workdays: an outlined 班. */
        "tr.weekend td.date, tr.weekend td.wd, td.weekend .dn { font-weight: bold; }\n"
        "tr.weekend td.date, tr.weekend td.wd, td.weekend { background: #ececec; }\n"
        "tr.holiday td.date, tr.holiday td.wd, td.holiday {\n"
        "       background: repeating-linear-gradient(135deg, #fff 0 2.5mm, #d4d4d4 2.5mm 3mm); }\n"
        ".mark { display: inline-block; font-size: 8pt; font-weight: bold; line-height: 1.1;\n"
        "        padding: 0 0.6mm; margin-left: 1mm; border: 0.8pt solid #000; }\n"
        ".mark.off { background: #000; color: #fff; }\n"
        ".mark.unknown { border-style: dashed; }\n"
        ".empty { font-weight: bold; text-decoration: underline; }\n"
        /* The month grid: seven columns, Monday first. */
        "table.grid { table-layout: fixed; }\n"
        "table.grid th { text-align: center; }\n"
        "table.grid td { vertical-align: top; height: 31mm; padding: 0.8mm 1mm; font-size: 9.5pt; }\n"
        "table.grid td.out { background: #fff; border-color: #999; }\n"
        "table.grid .dn { font-size: 12pt; }\n"
        "table.grid .fest { font-size: 7.5pt; display: block; white-space: normal; word-break: normal; }\n"
        "table.grid .duty { display: block; margin-top: 0.4mm; }\n"
        "table.grid .person { display: inline; margin-right: 0; }\n"
        "table.grid .phone { font-size: 8pt; display: block; margin-left: 3.6mm; }\n"
        "table.grid .role { font-size: 7.5pt; border: 0.5pt solid #000; padding: 0 0.3mm; margin-right: 0.8mm;\n"
        "                   vertical-align: top; }\n"
        "p.note { font-size: 8.5pt; margin: 1.5mm 0 0; }\n"
        "footer { margin-top: 3mm; }\n"
        "footer h3 { font-size: 10.5pt; margin: 0 0 1mm; }\n"
        "footer .req { white-space: pre-line; margin: 0 0 2mm; font-size: 9.5pt; }\n"
        "footer .sign { display: flex; justify-content: space-between; margin-top: 2mm; }\n"
        "footer .sign span { white-space: nowrap; }\n"
        "p.none { text-align: center; margin: 10mm 0; }\n";

/* Up to this many days a roster prints as a list (a week, a holiday run with the days around
 * it); longer, as one calendar grid per month. */
#define HTML_LIST_DAYS_MAX 21

/* The mark beside a date that survives a black-and-white copy. */
static void html_day_mark(FILE *f, const RosterViewDay *d) {
        switch (day_kind(d)) {
        case DAY_KIND_HOLIDAY:
                fputs("<span class=\"mark off\">休</span>", f);
                return;
        case DAY_KIND_MAKEUP:
                fputs("<span class=\"mark\">班</span>", f);
                return;
        case DAY_KIND_UNKNOWN:
                fputs("<span class=\"mark unknown\">？</span>", f);
                return;
        case DAY_KIND_WORKDAY:
        case DAY_KIND_WEEKEND:
                return;
        case _DAY_KIND_MAX:
        case _DAY_KIND_INVALID:
                break;
        }
        abort();
}

/* Days are grouped: each run of days of one holiday on its own, the other days by month. */
static bool html_same_group(const RosterViewDay *a, const RosterViewDay *b) {
        int ya, ma, yb, mb, dd;

        if (a->holiday || b->holiday)
                return a->holiday && b->holiday && streq(a->holiday, b->holiday) &&
                        streq(strempty(a->run_from), strempty(b->run_from));

        day_to_ymd(a->day, &ya, &ma, &dd);
        day_to_ymd(b->day, &yb, &mb, &dd);
        return ya == yb && ma == mb;
}

static bool html_same_month(const RosterViewDay *a, const RosterViewDay *b) {
        int ya, ma, yb, mb, dd;

        day_to_ymd(a->day, &ya, &ma, &dd);
        day_to_ymd(b->day, &yb, &mb, &dd);
        return ya == yb && ma == mb;
}

/* One person on duty: the name and, beside it, the phone; each unbreakable on its own. */
static void html_person(FILE *f, const RosterViewSlot *s, bool post_name) {
        fputs("<span class=\"person\">", f);
        if (post_name) {
                fputs("<span class=\"post\">", f);
                html_escape(f, s->post_name);
                fputs("：</span>", f);
        }
        if (s->person) {
                fputs("<span class=\"name\">", f);
                html_escape(f, s->name ?: s->person);
                fputs("</span>", f);
                if (s->phone) {
                        fputs("<span class=\"phone\">", f);
                        html_escape(f, s->phone);
                        fputs("</span>", f);
                }
        } else
                write_vacancy(f, EXPORT_MARKUP_HTML, s);
        fputs("</span>", f);
}

static bool day_several_posts(const RosterViewDay *d, bool leader) {
        const char *single = NULL;

        for (size_t i = 0; i < d->n_slots; i++) {
                if (d->slots[i].leader != leader)
                        continue;
                if (!single)
                        single = d->slots[i].post;
                else if (!streq(single, d->slots[i].post))
                        return true;
        }
        return false;
}

/* The people of the leader's posts, or of the others, one after the other. */
static void html_people(FILE *f, const RosterViewDay *d, bool leader, const char *sep) {
        bool several = day_several_posts(d, leader), first = true;

        for (size_t i = 0; i < d->n_slots; i++) {
                if (d->slots[i].leader != leader)
                        continue;
                if (!first)
                        fputs(sep, f);
                first = false;
                html_person(f, d->slots + i, several);
        }
        if (leader && d->n_slots == 0)
                fputs("<span class=\"nw\">（未排班）</span>", f);
}

static void html_title(FILE *f, const RosterView *v, const ExportOptions *o) {
        fputs("<header>\n<h1>", f);
        html_escape(f, v->office);
        fputs("值班表</h1>\n<p class=\"meta\">", f);
        if (v->office_phone) {
                fputs("<span>值班室电话：", f);
                html_escape(f, v->office_phone);
                fputs("</span>", f);
        }
        fputs("<span>交接班时间：每日 ", f);
        html_escape(f, v->handover);
        fputs("</span>", f);
        if (o->person) {
                fputs("<span>仅列 ", f);
                html_escape(f, roster_view_person_name(v, o->person));
                fputs(" 的值班</span>", f);
        }
        fputs("</p>\n</header>\n", f);
}

static void html_caption(FILE *f, const RosterView *v, const RosterViewDay *first, const RosterViewDay *last,
                         bool month) {
        char from[DAY_STRING_MAX], to[DAY_STRING_MAX];
        ExportVersion e = export_version(v, first, last);
        int y, m, dd;

        fputs("<h2>", f);
        if (first->holiday && !month)
                html_escape(f, first->holiday);
        else {
                day_to_ymd(first->day, &y, &m, &dd);
                fprintf(f, "%d年%d月", y, m);
        }
        fprintf(f, "（%s 至 %s）", day_format(first->day, from), day_format(last->day, to));
        /* A version is printed only for what was published. */
        if (e.published) {
                fputs("<span class=\"version\">", f);
                write_version(f, EXPORT_MARKUP_HTML, &e);
                fputs("</span>", f);
        } else
                fputs("<span class=\"version\">未发布</span>", f);
        fputs("</h2>\n", f);
}

static void html_list_section(FILE *f, const RosterView *v, const RosterViewDay *first, const RosterViewDay *last,
                              const ExportOptions *o) {
        fputs("<section class=\"list\">\n", f);
        html_caption(f, v, first, last, false);
        /* The same columns in every list of the page, whatever each one holds. */
        fputs("<table class=\"list\">\n<colgroup><col style=\"width: 19%\"><col style=\"width: 8%\">"
              "<col style=\"width: 14%\"><col style=\"width: 28%\"><col style=\"width: 31%\"></colgroup>\n"
              "<thead><tr><th>日期</th><th>星期</th><th>节日</th>"
              "<th>带班领导</th><th>值班人员</th></tr></thead>\n<tbody>\n", f);

        for (const RosterViewDay *d = first; d <= last; d++) {
                char date[DAY_STRING_MAX];

                if (!export_day_shown(d, o))
                        continue;
                fprintf(f, "<tr class=\"%s\"><td class=\"date\">%s", html_day_kind_class[day_kind(d)],
                        day_format(d->day, date));
                html_day_mark(f, d);
                fprintf(f, "</td><td class=\"wd\">%s</td><td class=\"fest\">", day_weekday_zh(d->day));
                write_festival(f, EXPORT_MARKUP_HTML, d);
                fputs("</td><td>", f);
                html_people(f, d, true, "<br>");
                fputs("</td><td>", f);
                html_people(f, d, false, "<br>");
                fputs("</td></tr>\n", f);
        }
        fputs("</tbody>\n</table>\n</section>\n", f);
}

static void html_grid_cell(FILE *f, const RosterViewDay *d, const ExportOptions *o) {
        int y, m, dd;

        day_to_ymd(d->day, &y, &m, &dd);
        fprintf(f, "<td class=\"%s\"><span class=\"dn\">%d</span>", html_day_kind_class[day_kind(d)], dd);
        html_day_mark(f, d);
        if (d->holiday || d->special || d->sensitive || roster_view_day_assumed(d) || streq(d->type, "unknown")) {
                fputs("<span class=\"fest\">", f);
                write_festival(f, EXPORT_MARKUP_HTML, d);
                fputs("</span>", f);
        }
        if (export_day_shown(d, o)) {
                for (int pass = 0; pass < 2; pass++) {
                        bool leader = pass == 0;

                        if (leader && d->n_slots == 0) {
                                fputs("<span class=\"duty nw\">（未排班）</span>", f);
                                continue;
                        }
                        for (size_t i = 0; i < d->n_slots; i++) {
                                if (d->slots[i].leader != leader)
                                        continue;
                                fprintf(f, "<span class=\"duty\"><span class=\"role\">%s</span>", leader ? "带" : "值");
                                html_person(f, d->slots + i, false);
                                fputs("</span>", f);
                        }
                }
        }
        fputs("</td>", f);
}

/* One month as a calendar: the weeks from the Monday before its first shown day to the Sunday
 * after its last; days outside the range are blank. */
static void html_month_section(FILE *f, const RosterView *v, const RosterViewDay *first, const RosterViewDay *last,
                               const ExportOptions *o) {
        static const char *const weekdays[7] = { "星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日" };
        Day start = first->day - (Day) (day_weekday(first->day) - 1), end = last->day + (Day) (7 - day_weekday(last->day));

        fputs("<section class=\"month\">\n", f);
        if (first != v->days)
                html_title(f, v, o);
        html_caption(f, v, first, last, true);
        fputs("<table class=\"grid\">\n<thead><tr>", f);
        for (size_t i = 0; i < 7; i++)
                fprintf(f, "<th>%s</th>", weekdays[i]);
        fputs("</tr></thead>\n<tbody>\n", f);

        for (Day d = start; d <= end; d++) {
                if (day_weekday(d) == 1)
                        fputs("<tr>", f);
                /* The reply has every day of its range, in order. */
                if (d < first->day || d > last->day || first[d - first->day].day != d)
                        fputs("<td class=\"out\"></td>", f);
                else
                        html_grid_cell(f, first + (d - first->day), o);
                if (day_weekday(d) == 7)
                        fputs("</tr>\n", f);
        }
        fputs("</tbody>\n</table>\n", f);
        fputs("<p class=\"note\">带＝带班领导，值＝值班人员。</p>\n</section>\n", f);
}

static void html_footer(FILE *f, const RosterView *v, const char *issued) {
        fputs("<footer>\n<p class=\"note\">", f);
        fprintf(f, "注：值班时间为当日 %s 至次日 %s。", v->handover, v->handover);
        fputs("<span class=\"nw\"><span class=\"mark off\">休</span> 法定节假日</span>，"
              "<span class=\"nw\"><span class=\"mark\">班</span> 调休上班</span>，"
              "<span class=\"nw\">灰底粗体 周末</span>，"
              "<span class=\"nw\"><span class=\"mark unknown\">？</span> 日历未知</span>。</p>\n", f);
        /* Each sensitive period of the range, by name, with its days in the range. */
        for (size_t i = 0; i < v->n_days; i++) {
                const RosterViewDay *d = v->days + i, *end = d;
                char from[DAY_STRING_MAX], to[DAY_STRING_MAX];
                bool seen = false;

                if (!d->sensitive)
                        continue;
                for (size_t j = 0; j < i && !seen; j++)
                        seen = v->days[j].sensitive && streq(v->days[j].sensitive, d->sensitive);
                if (seen)
                        continue;
                for (size_t j = i + 1; j < v->n_days; j++)
                        if (v->days[j].sensitive && streq(v->days[j].sensitive, d->sensitive))
                                end = v->days + j;
                fputs("<p class=\"note\">重要敏感时期：", f);
                html_escape(f, d->sensitive);
                fprintf(f, "<span class=\"nw\">（%s 至 %s）</span></p>\n", day_format(d->day, from),
                        day_format(end->day, to));
        }
        if (v->requirements) {
                fputs("<h3>值班要求</h3>\n<p class=\"req\">", f);
                html_escape(f, v->requirements);
                fputs("</p>\n", f);
        }
        fputs("<p class=\"sign\"><span>制表人：", f);
        html_escape(f, v->prepared_by ?: "　　　　");
        fputs("</span><span>审核人：", f);
        html_escape(f, v->reviewed_by ?: "　　　　");
        fputs("</span><span>制表日期：", f);
        fputs(issued, f);
        fputs("</span></p>\n</footer>\n", f);
}

static int export_html(FILE *f, const RosterView *v, const ExportOptions *o) {
        size_t start = SIZE_MAX, n_sections = 0, n_shown = 0;
        char issued[sizeof("2147483647年12月31日")];
        int year, month, day, r;
        bool grid;

        /* The date of issue, the office's today: its zone as libical knows it. */
        r = ics_local_date(v->timezone, o->now_usec, &year, &month, &day);
        if (r < 0)
                return r;
        (void) snprintf(issued, sizeof(issued), "%d年%d月%d日", year, month, day);

        for (size_t i = 0; i < v->n_days; i++)
                if (export_day_shown(v->days + i, o))
                        n_shown++;
        /* A month (or more) is a calendar grid; the grid shows every day of the range, the list
         * only the shown ones. */
        grid = n_shown > HTML_LIST_DAYS_MAX;

        fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>", f);
        html_escape(f, v->office);
        fprintf(f, "值班表</title>\n<style>\n%s</style>\n</head>\n<body>\n", export_html_style);
        html_title(f, v, o);

        for (size_t i = 0; i <= v->n_days; i++) {
                if (!grid && i < v->n_days && !export_day_shown(v->days + i, o))
                        continue;
                if (start != SIZE_MAX &&
                    (i == v->n_days || !(grid ? html_same_month : html_same_group)(v->days + start, v->days + i))) {
                        size_t last = i - 1;

                        if (grid)
                                html_month_section(f, v, v->days + start, v->days + last, o);
                        else {
                                while (!export_day_shown(v->days + last, o))
                                        last--;
                                html_list_section(f, v, v->days + start, v->days + last, o);
                        }
                        n_sections++;
                        start = SIZE_MAX;
                }
                if (i < v->n_days && start == SIZE_MAX)
                        start = i;
        }

        if (n_sections == 0)
                fputs("<p class=\"none\">所列期间无值班安排。</p>\n", f);
        else
                html_footer(f, v, issued);

        fputs("</body>\n</html>\n", f);
        return 0;
}

/* ---- Entry points ---- */

int export_roster(FILE *f, ExportFormat format, json_t *reply, const ExportOptions *options) {
        _cleanup_(roster_view_freep) RosterView *v = NULL;
        const ExportOptions none = {};
        int r;

        if (!f || !reply)
                return -EINVAL;
        if (!options)
                options = &none;

        r = roster_view_parse(reply, &v);
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
                r = export_ics(f, reply, options);
                break;
        case EXPORT_FORMAT_HTML:
                r = export_html(f, v, options);
                break;
        case EXPORT_FORMAT_CSV_LONG:
                r = export_csv_long(f, v, options);
                break;
        case EXPORT_FORMAT_CSV_COUNTS:
                r = export_csv_counts(f, v, options);
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
        MemStream ms;
        FILE *f = memstream_open(&ms);

        if (!f)
                return -ENOMEM;
        return memstream_finish(&ms, export_roster(f, format, reply, options), ret_data, ret_size);
}

FILE *memstream_open(MemStream *m) {
        *m = (MemStream) {};
        m->f = open_memstream(&m->buf, &m->size);
        return m->f;
}

int memstream_finish(MemStream *m, int r, char **ret, size_t *ret_size) {
        if (fclose(m->f) != 0 && r >= 0)
                r = -ENOMEM;
        if (!ret && r >= 0)
                r = -EINVAL;
        m->f = NULL;
        if (r < 0) {
                free(m->buf);
                m->buf = NULL;
                return r;
        }
        *ret = m->buf;
        if (ret_size)
                *ret_size = m->size;
        m->buf = NULL;
        return 0;
}

int export_output(const char *output, const void *data, size_t size, bool *ret_file) {
        bool file = output && !streq(output, "-");
        int r;

        if (file)
                r = export_write_file(output, data, size);
        else
                r = fwrite(data, 1, size, stdout) != size || fflush(stdout) != 0 ? -EIO : 0;
        if (r < 0 && ret_file)
                *ret_file = file;
        return r;
}

int export_write_file(const char *path, const void *data, size_t size) {
        return ics_file_write_atomic(path, data, size, EXPORT_FILE_MODE);
}

/* ---- For the other printed documents (export-log.c) ---- */

void export_csv_field(FILE *f, const char *s, bool text) {
        if (text)
                csv_text_field(f, s);
        else
                csv_field(f, strempty(s));
}

void export_csv_end(FILE *f) {
        csv_end(f);
}

void export_csv_header(FILE *f, const char *const *header, size_t n) {
        /* A byte order mark: Excel and WPS read the file as UTF-8 only with it. */
        fputs("\xef\xbb\xbf", f);
        for (size_t k = 0; k < n; k++) {
                if (k > 0)
                        fputc(',', f);
                export_csv_field(f, header[k], false);
        }
        export_csv_end(f);
}

void export_html_escape(FILE *f, const char *s) {
        html_escape(f, s);
}

const char *export_html_style_get(void) {
        return export_html_style;
}
