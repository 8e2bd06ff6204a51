/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The printed duty log (值班记录) of one duty day, from a LogList reply and the RosterShow reply of
 * the same day: an A4 page in the duty book's layout (the office, the day, who was on duty, one row
 * per entry with the open items carried over, lines to sign at the handover) and CSV, one row per
 * entry. Like the printed roster, it is the office's document: in Chinese whatever the locale. */

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "dutylog.h"
#include "export.h"
#include "util.h"

static const char *str(json_t *o, const char *key) {
        return json_string_value(json_object_get(o, key));
}

/* A point in time of the log, in the office's local form the sheets have always shown. */
static const char *stamp(json_t *o, const char *key, MomentForm form, char buf[static MOMENT_STRING_MAX]) {
        return moment_text(str(o, key), form, buf);
}

static const char *kind_word(json_t *e) {
        DutyLogKind k = dutylog_kind_from_string(str(e, "kind"));

        return k >= 0 ? dutylog_kind_label(k, "zh") : strempty(str(e, "kind"));
}

/* The same day's "HH:MM", else "MM-DD HH:MM" (a carried item, written on an earlier day). */
static const char *time_word(const char *stamp, const char *date, char buf[static 12]) {
        if (!stamp || strlen(stamp) != 16)
                return strempty(stamp);
        if (date && strncmp(stamp, date, 10) == 0)
                return stamp + 11;
        snprintf(buf, 12, "%.5s %.5s", stamp + 5, stamp + 11);
        return buf;
}

/* The time cell: an earlier day's date above its time. */
static void html_time(FILE *f, const char *stamp, const char *date) {
        char buf[12];
        const char *t = time_word(stamp, date, buf);

        if (t == buf) {
                buf[5] = '\0';
                export_html_escape(f, buf);
                fputs("<br>", f);
                export_html_escape(f, buf + 6);
        } else
                export_html_escape(f, t);
}

static int log_check(json_t *log, json_t *roster) {
        json_t *entries = json_object_get(log, "entries"), *e;
        size_t i;

        if (!json_is_object(log) || !json_is_array(entries) || !str(log, "date") ||
            (roster && (!json_is_object(roster) || !json_is_array(json_object_get(roster, "days")))))
                return -EBADMSG;
        json_array_foreach(entries, i, e)
                if (!json_is_object(e) || !json_is_integer(json_object_get(e, "id")) || !str(e, "matter") ||
                    !str(e, "kind") || !str(e, "date"))
                        return -EBADMSG;
        return 0;
}

/* The RosterShow day of date, or NULL. */
static json_t *roster_day(json_t *roster, const char *date) {
        json_t *d;
        size_t i;

        json_array_foreach(json_object_get(roster, "days"), i, d) {
                json_t *day = json_object_get(d, "day");
                const char *x = str(day, "date") ?: str(d, "date");

                if (x && date && streq(x, date))
                        return d;
        }
        return NULL;
}

/* ---- HTML ---- */

static const char export_log_style[] =
        "table.log { table-layout: fixed; font-size: 9pt; }\n"
        "table.log td { vertical-align: top; word-break: break-all; }\n"
        "table.log td.c { text-align: center; white-space: nowrap; word-break: normal; }\n"
        "table.log td.s { text-align: center; word-break: normal; }\n"
        "p.duty { margin: 0 0 2mm; }\n"
        "p.duty span { white-space: nowrap; margin-right: 4mm; }\n"
        ".state { font-size: 8.5pt; }\n"
        ".carried { font-weight: bold; }\n"
        "footer .sign span.line { display: inline-block; min-width: 32mm; border-bottom: 0.6pt solid #000; }\n";

static void html_duty_people(FILE *f, json_t *day) {
        json_t *a;
        size_t i;
        bool any = false;

        fputs("<p class=\"duty\">", f);
        for (int leader = 1; leader >= 0; leader--)
                json_array_foreach(json_object_get(day, "assignments"), i, a) {
                        bool is_leader = streq(strempty(str(a, "role")), "leader");

                        if (is_leader != (leader == 1) || !str(a, "name"))
                                continue;
                        fputs("<span>", f);
                        export_html_escape(f, str(a, "post_name") ?: (is_leader ? "带班领导" : "值班员"));
                        fputs("：<b>", f);
                        export_html_escape(f, str(a, "name"));
                        fputs("</b>", f);
                        if (str(a, "phone")) {
                                fputc(' ', f);
                                export_html_escape(f, str(a, "phone"));
                        }
                        fputs("</span>", f);
                        any = true;
                }
        if (!any)
                fputs("<span>值班人员：未安排</span>", f);
        fputs("</p>\n", f);
}

static void html_reports(FILE *f, json_t *e) {
        static const struct {
                const char *prefix, *word;
        } reports[] = {
                { "phone", "电话报告" },
                { "written", "书面报告" },
        };
        /* Follow-ups (续报): how many went, the last one, and when the next is due while owed. */
        json_int_t n = json_integer_value(json_object_get(e, "followup_reports"));
        char next_buf[MOMENT_STRING_MAX], last_buf[MOMENT_STRING_MAX];
        const char *next = stamp(e, "followup_report_due", MOMENT_MINUTES, next_buf),
                   *last = stamp(e, "followup_report_sent", MOMENT_MINUTES, last_buf);

        for (size_t k = 0; k < ELEMENTSOF(reports); k++) {
                char due[32], sent[32], to[32];

                snprintf(due, sizeof(due), "%s_report_due", reports[k].prefix);
                snprintf(sent, sizeof(sent), "%s_report_sent", reports[k].prefix);
                snprintf(to, sizeof(to), "%s_report_to", reports[k].prefix);
                if (!str(e, due))
                        continue;
                fprintf(f, "<br><span class=\"state\">%s：", reports[k].word);
                if (str(e, sent)) {
                        export_html_escape(f, stamp(e, sent, MOMENT_MINUTES, (char[MOMENT_STRING_MAX]) {}) + 11);
                        fputs(" 报", f);
                        export_html_escape(f, str(e, to));
                } else {
                        fputs("时限 ", f);
                        export_html_escape(f, stamp(e, due, MOMENT_MINUTES, (char[MOMENT_STRING_MAX]) {}) + 11);
                        fputs("，未报", f);
                }
                fputs("</span>", f);
        }

        if ((n > 0 && last) || next) {
                fputs("<br><span class=\"state\">续报：", f);
                if (n > 0 && last) {
                        fprintf(f, "%" JSON_INTEGER_FORMAT " 次，最近 ", n);
                        export_html_escape(f, last + 11);
                        fputs(" 报", f);
                        export_html_escape(f, strempty(str(e, "followup_report_to")));
                }
                if (next) {
                        fputs(n > 0 && last ? "；下次时限 " : "时限 ", f);
                        export_html_escape(f, next + 11);
                }
                fputs("</span>", f);
        }
}

static void html_state(FILE *f, json_t *e, const char *date) {
        const char *since = str(e, "date");

        if (json_is_integer(json_object_get(e, "corrected_by")))
                fprintf(f, "已被第 %" JSON_INTEGER_FORMAT " 条更正<br>",
                        json_integer_value(json_object_get(e, "corrected_by")));
        if (!json_is_true(json_object_get(e, "open")))
                return;
        if (json_is_true(json_object_get(e, "pending"))) {
                if (since && date && !streq(since, date)) {
                        fputs("<span class=\"carried\">待办</span><br><span class=\"state\">自 ", f);
                        export_html_escape(f, since + 5);
                        fputs(" 移交</span>", f);
                } else
                        fputs("<span class=\"carried\">待办</span>", f);
                return;
        }
        fputs("已办结<br><span class=\"state\">", f);
        export_html_escape(f, str(e, "closed") ? stamp(e, "closed", MOMENT_SECONDS, (char[MOMENT_STRING_MAX]) {}) + 5 : "");
        if (str(e, "closed_by_name")) {
                fputc(' ', f);
                export_html_escape(f, str(e, "closed_by_name"));
        }
        if (str(e, "close_note")) {
                fputs("：", f);
                export_html_escape(f, str(e, "close_note"));
        }
        fputs("</span>", f);
}

static int log_html(FILE *f, json_t *log, json_t *roster, const ExportOptions *o) {
        const char *date = str(log, "date"), *office = str(roster, "office");
        json_t *entries = json_object_get(log, "entries"), *e, *day = roster_day(roster, date);
        char wd[8] = "";
        size_t i;
        Day d;

        if (day_parse(date, &d) >= 0)
                snprintf(wd, sizeof(wd), "%s", day_weekday_zh(d));

        fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>", f);
        export_html_escape(f, office);
        fputs("值班记录 ", f);
        export_html_escape(f, date);
        fprintf(f, "</title>\n<style>\n%s%s</style>\n</head>\n<body>\n<header>\n<h1>", export_html_style_get(),
                export_log_style);
        export_html_escape(f, office);
        fputs("值班记录</h1>\n<p class=\"meta\"><span>值班日期：", f);
        export_html_escape(f, date);
        fprintf(f, "（%s）</span>", wd);
        if (str(roster, "handover")) {
                fputs("<span>交接班时间：", f);
                export_html_escape(f, str(roster, "handover"));
                fputs("</span>", f);
        }
        if (str(roster, "office_phone")) {
                fputs("<span>值班室电话：", f);
                export_html_escape(f, str(roster, "office_phone"));
                fputs("</span>", f);
        }
        fputs("</p>\n</header>\n", f);
        html_duty_people(f, day);

        if (json_array_size(entries) == 0)
                fputs("<p class=\"none\">本班无事项登记（无事报平安）。</p>\n", f);
        else {
                fputs("<section>\n<table class=\"log\">\n"
                      "<colgroup><col style=\"width:8mm\"><col style=\"width:12mm\"><col style=\"width:16mm\">"
                      "<col style=\"width:24mm\"><col><col style=\"width:31mm\"><col style=\"width:15mm\">"
                      "<col style=\"width:15mm\"><col style=\"width:21mm\"></colgroup>\n"
                      "<thead><tr><th>序号</th><th>时间</th><th>类别</th><th>来电来文方</th><th>事由</th>"
                      "<th>处理情况</th><th>已告知</th><th>记录人</th><th>状态</th></tr></thead>\n<tbody>\n", f);
                json_array_foreach(entries, i, e) {
                        fprintf(f, "<tr><td class=\"c\">%" JSON_INTEGER_FORMAT "</td><td class=\"c\">",
                                json_integer_value(json_object_get(e, "id")));
                        html_time(f, stamp(e, "time", MOMENT_MINUTES, (char[MOMENT_STRING_MAX]) {}), date);
                        fputs("</td><td class=\"c\">", f);
                        export_html_escape(f, kind_word(e));
                        fputs("</td><td>", f);
                        export_html_escape(f, str(e, "from"));
                        if (str(e, "phone")) {
                                fputs("<br><span class=\"nw\">", f);
                                export_html_escape(f, str(e, "phone"));
                                fputs("</span>", f);
                        }
                        fputs("</td><td>", f);
                        if (json_is_integer(json_object_get(e, "corrects")))
                                fprintf(f, "【更正第 %" JSON_INTEGER_FORMAT " 条】",
                                        json_integer_value(json_object_get(e, "corrects")));
                        else if (json_is_integer(json_object_get(e, "follows")))
                                fprintf(f, "【续报第 %" JSON_INTEGER_FORMAT " 条】",
                                        json_integer_value(json_object_get(e, "follows")));
                        export_html_escape(f, str(e, "matter"));
                        fputs("</td><td>", f);
                        export_html_escape(f, str(e, "measures"));
                        html_reports(f, e);
                        fputs("</td><td>", f);
                        export_html_escape(f, str(e, "informed"));
                        fputs("</td><td class=\"c\">", f);
                        export_html_escape(f, str(e, "recorded_by_name") ?: "管理员");
                        fputs("</td><td class=\"s\">", f);
                        html_state(f, e, date);
                        fputs("</td></tr>\n", f);
                }
                fputs("</tbody>\n</table>\n</section>\n", f);
        }

        fputs("<footer>\n<p class=\"sign\"><span>交班人：<span class=\"line\"></span></span>"
              "<span>接班人：<span class=\"line\"></span></span>"
              "<span>带班领导：<span class=\"line\"></span></span></p>\n", f);
        if (o && o->now_usec > 0) {
                time_t t = (time_t) (o->now_usec / USEC_PER_SEC);
                struct tm tm;
                char stamp[32];

                if (localtime_r(&t, &tm) && strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M", &tm) > 0)
                        fprintf(f, "<p class=\"note\">打印时间：%s</p>\n", stamp);
        }
        fputs("</footer>\n</body>\n</html>\n", f);
        return 0;
}

/* ---- CSV ---- */

static int log_csv(FILE *f, json_t *log) {
        static const char *const header[] = {
                "编号", "值班日", "时间", "类别", "来电来文方", "电话", "事由", "处理情况", "已告知", "记录人",
                "待办", "办结时间", "办结人", "办结情况", "更正第", "续报第", "电话报告时限", "电话报告时间",
                "电话报告对象", "书面报告时限", "书面报告时间", "书面报告对象",
        };
        json_t *e;
        size_t i;

        export_csv_header(f, header, ELEMENTSOF(header));

        json_array_foreach(json_object_get(log, "entries"), i, e) {
                char id[24], corrects[24] = "", follows[24] = "";
                bool open = json_is_true(json_object_get(e, "open"));
                const char *cells[] = {
                        id, str(e, "date"), stamp(e, "time", MOMENT_MINUTES, (char[MOMENT_STRING_MAX]) {}), kind_word(e), str(e, "from"), str(e, "phone"),
                        str(e, "matter"), str(e, "measures"), str(e, "informed"), str(e, "recorded_by_name"),
                        open ? "是" : "", stamp(e, "closed", MOMENT_SECONDS, (char[MOMENT_STRING_MAX]) {}), str(e, "closed_by_name"), str(e, "close_note"),
                        corrects, follows,
                        stamp(e, "phone_report_due", MOMENT_MINUTES, (char[MOMENT_STRING_MAX]) {}), stamp(e, "phone_report_sent", MOMENT_MINUTES, (char[MOMENT_STRING_MAX]) {}), str(e, "phone_report_to"),
                        stamp(e, "written_report_due", MOMENT_MINUTES, (char[MOMENT_STRING_MAX]) {}), stamp(e, "written_report_sent", MOMENT_MINUTES, (char[MOMENT_STRING_MAX]) {}), str(e, "written_report_to"),
                };

                snprintf(id, sizeof(id), "%" JSON_INTEGER_FORMAT, json_integer_value(json_object_get(e, "id")));
                if (json_is_integer(json_object_get(e, "corrects")))
                        snprintf(corrects, sizeof(corrects), "%" JSON_INTEGER_FORMAT,
                                 json_integer_value(json_object_get(e, "corrects")));
                if (json_is_integer(json_object_get(e, "follows")))
                        snprintf(follows, sizeof(follows), "%" JSON_INTEGER_FORMAT,
                                 json_integer_value(json_object_get(e, "follows")));
                for (size_t k = 0; k < ELEMENTSOF(cells); k++) {
                        if (k > 0)
                                fputc(',', f);
                        /* The phone as typed; the rest as text a spreadsheet must not compute. */
                        export_csv_field(f, cells[k], k == 5);
                }
                export_csv_end(f);
        }
        return 0;
}

int export_log(FILE *f, ExportFormat format, json_t *log, json_t *roster, const ExportOptions *options) {
        int r;

        r = log_check(log, roster);
        if (r < 0)
                return r;
        switch (format) {
        case EXPORT_FORMAT_HTML:
                r = log_html(f, log, roster, options);
                break;
        case EXPORT_FORMAT_CSV:
                r = log_csv(f, log);
                break;
        case EXPORT_FORMAT_TABLE:
        case EXPORT_FORMAT_JSON:
        case EXPORT_FORMAT_ICS:
        case EXPORT_FORMAT_CSV_LONG:
        case EXPORT_FORMAT_CSV_COUNTS:
        case _EXPORT_FORMAT_MAX:
        case _EXPORT_FORMAT_INVALID:
                return -EOPNOTSUPP;
        }
        if (r < 0)
                return r;
        return ferror(f) ? -EIO : 0;
}

int export_log_to_buffer(ExportFormat format, json_t *log, json_t *roster, const ExportOptions *options,
                         char **ret_data, size_t *ret_size) {
        MemStream ms;
        FILE *f = memstream_open(&ms);

        if (!f)
                return -ENOMEM;
        return memstream_finish(&ms, export_log(f, format, log, roster, options), ret_data, ret_size);
}
