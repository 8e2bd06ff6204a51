/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "circular.h"
#include "date.h"
#include "export.h"
#include "util.h"

static const char *member(json_t *o, const char *key) {
        const char *s = json_string_value(json_object_get(o, key));

        return isempty(s) ? NULL : s;
}

static json_int_t number(json_t *o, const char *key) {
        return json_integer_value(json_object_get(o, key));
}

/* The document's words for the interface's values. */
static const char *target_word(const char *t) {
        if (t && streq(t, "room"))
                return "值班室";
        if (t && streq(t, "officer"))
                return "值班员";
        if (t && streq(t, "leader"))
                return "带班领导";
        if (t && streq(t, "all"))
                return "合计";
        return t ?: "";
}

static const char *how_word(const char *h) {
        if (h && streq(h, "phone"))
                return "电话";
        if (h && streq(h, "video"))
                return "视频";
        if (h && streq(h, "visit"))
                return "实地";
        return h ?: "";
}

static const char *presence_word(const char *s) {
        if (s && streq(s, "acknowledged"))
                return "按时确认";
        if (s && streq(s, "missed"))
                return "未确认";
        if (s && streq(s, "pending"))
                return "待确认";
        return s ?: "";
}

/* The day a "YYYY-MM-DD…" text starts with (s holds at least the date). */
static int leading_day(const char *s, Day *ret) {
        char buf[DAY_STRING_MAX];

        memcpy(buf, s, DAY_STRING_MAX - 1);
        buf[DAY_STRING_MAX - 1] = '\0';
        return day_parse(buf, ret);
}

/* "2026年3月5日" of "2026-03-05". */
static void date_words(FILE *f, const char *s) {
        Day d;
        int y, m, dd;

        if (!s || strlen(s) < DAY_STRING_MAX - 1 || leading_day(s, &d) < 0) {
                export_html_escape(f, s);
                return;
        }
        day_to_ymd(d, &y, &m, &dd);
        fprintf(f, "%d年%d月%d日", y, m, dd);
}

/* "3月5日 23:10" of "2026-03-05T23:10". */
static void moment_words(FILE *f, const char *s) {
        Day d;
        int y, m, dd;

        if (!s || strlen(s) != DAY_STRING_MAX - 1 + 6 || leading_day(s, &d) < 0) {
                export_html_escape(f, s);
                return;
        }
        day_to_ymd(d, &y, &m, &dd);
        fprintf(f, "%d月%d日 ", m, dd);
        export_html_escape(f, s + DAY_STRING_MAX);
}

static void person_words(FILE *f, json_t *o, const char *id_key, const char *name_key) {
        export_html_escape(f, member(o, name_key) ?: member(o, id_key) ?: "—");
}

static void check_row(FILE *f, json_t *c, unsigned n) {
        fprintf(f, "<tr><td class=\"n\">%u</td><td>", n);
        moment_words(f, moment_text(member(c, "at"), MOMENT_T_MINUTES, (char[MOMENT_STRING_MAX]) {}));
        fputs("</td><td>", f);
        export_html_escape(f, target_word(member(c, "target")));
        fputs("</td><td>", f);
        person_words(f, c, "person", "person_name");
        fputs("</td><td>", f);
        export_html_escape(f, how_word(member(c, "how")));
        fputs("</td><td>", f);
        if (json_is_true(json_object_get(c, "answered"))) {
                fputs("已应答", f);
                if (json_is_integer(json_object_get(c, "seconds")))
                        fprintf(f, "（%" JSON_INTEGER_FORMAT " 秒）", number(c, "seconds"));
        } else
                fputs("<strong>未应答</strong>", f);
        fputs("</td><td>", f);
        export_html_escape(f, member(c, "remarks") ?: "");
        fputs("</td></tr>\n", f);
}

int circular_html(FILE *f, json_t *reply) {
        json_t *checks = json_object_get(reply, "checks"), *tally = json_object_get(reply, "tally"),
                *presence = json_object_get(reply, "presence"), *all = NULL, *c;
        const char *office = member(reply, "office"), *from = member(reply, "from"), *to = member(reply, "to");
        unsigned n_missed = 0, n_acked = 0, n_unconfirmed = 0, k;
        size_t i;

        if (!json_is_array(checks) || !json_is_array(tally) || !json_is_array(presence) || !from || !to)
                return -EBADMSG;
        json_array_foreach(tally, i, c)
                if (member(c, "target") && streq(member(c, "target"), "all"))
                        all = c;
        if (!all)
                return -EBADMSG;
        json_array_foreach(presence, i, c) {
                const char *s = member(c, "state");

                if (s && streq(s, "acknowledged"))
                        n_acked++;
                else if (s && streq(s, "missed"))
                        n_unconfirmed++;
        }

        fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>", f);
        export_html_escape(f, office ?: "");
        fputs("值班查岗情况通报</title>\n<style>\n"
              "@page { size: A4; margin: 20mm 18mm; }\n"
              "body { font-family: \"Noto Serif CJK SC\", \"Noto Sans CJK SC\", \"Source Han Serif SC\", serif; "
              "font-size: 11pt; line-height: 1.5; color: #000; margin: 0; }\n"
              "h1 { text-align: center; font-size: 20pt; font-weight: bold; color: #c00; margin: 0 0 4pt; letter-spacing: 0.1em; }\n"
              "p.period { text-align: center; margin: 0 0 10pt; }\n"
              "h2 { font-size: 13pt; margin: 10pt 0 4pt; }\n"
              "p.summary { text-indent: 2em; margin: 0 0 6pt; }\n"
              "table { border-collapse: collapse; width: 100%; margin: 0 0 6pt; }\n"
              "th, td { border: 0.75pt solid #000; padding: 2pt 4pt; text-align: left; vertical-align: top; }\n"
              "th { font-weight: bold; background: #eee; }\n"
              "td.n { text-align: right; white-space: nowrap; }\n"
              "tr { break-inside: avoid; }\n"
              "p.sign { text-align: right; margin-top: 16pt; }\n"
              "</style>\n</head>\n<body>\n<h1>", f);
        export_html_escape(f, office ?: "");
        fputs("值班查岗情况通报</h1>\n<p class=\"period\">（", f);
        date_words(f, from);
        fputs("至", f);
        date_words(f, to);
        fputs("）</p>\n", f);

        /* 一、总体情况 */
        fprintf(f, "<h2>一、总体情况</h2>\n<p class=\"summary\">本期共查岗 %" JSON_INTEGER_FORMAT " 次，应答 %"
                JSON_INTEGER_FORMAT " 次，未应答 %" JSON_INTEGER_FORMAT " 次",
                number(all, "checks"), number(all, "answered"), number(all, "missed"));
        if (json_is_integer(json_object_get(all, "average_seconds")))
                fprintf(f, "，平均应答用时 %" JSON_INTEGER_FORMAT " 秒", number(all, "average_seconds"));
        if (json_array_size(presence) > 0)
                fprintf(f, "；在岗抽查 %zu 次，按时确认 %u 次，未确认 %u 次", json_array_size(presence), n_acked,
                        n_unconfirmed);
        fputs("。</p>\n<table>\n<tr><th>查岗对象</th><th>查岗次数</th><th>应答</th><th>未应答</th>"
              "<th>平均用时（秒）</th><th>最长用时（秒）</th></tr>\n", f);
        json_array_foreach(tally, i, c) {
                fputs("<tr><td>", f);
                export_html_escape(f, target_word(member(c, "target")));
                fprintf(f, "</td><td class=\"n\">%" JSON_INTEGER_FORMAT "</td><td class=\"n\">%" JSON_INTEGER_FORMAT
                        "</td><td class=\"n\">%" JSON_INTEGER_FORMAT "</td>",
                        number(c, "checks"), number(c, "answered"), number(c, "missed"));
                if (json_is_integer(json_object_get(c, "average_seconds")))
                        fprintf(f, "<td class=\"n\">%" JSON_INTEGER_FORMAT "</td>", number(c, "average_seconds"));
                else
                        fputs("<td class=\"n\">—</td>", f);
                if (json_is_integer(json_object_get(c, "longest_seconds")))
                        fprintf(f, "<td class=\"n\">%" JSON_INTEGER_FORMAT "</td></tr>\n", number(c, "longest_seconds"));
                else
                        fputs("<td class=\"n\">—</td></tr>\n", f);
        }
        fputs("</table>\n", f);

        /* 二、未应答情况: what the circular is for. */
        fputs("<h2>二、未应答情况</h2>\n", f);
        json_array_foreach(checks, i, c)
                if (!json_is_true(json_object_get(c, "answered")))
                        n_missed++;
        if (n_missed == 0 && n_unconfirmed == 0)
                fputs("<p class=\"summary\">本期查岗均有应答。</p>\n", f);
        else {
                fputs("<table>\n<tr><th>序号</th><th>时间</th><th>查岗对象</th><th>被查人员</th><th>方式</th>"
                      "<th>情况</th><th>备注</th></tr>\n", f);
                k = 0;
                json_array_foreach(checks, i, c)
                        if (!json_is_true(json_object_get(c, "answered")))
                                check_row(f, c, ++k);
                json_array_foreach(presence, i, c) {
                        const char *s = member(c, "state");

                        if (!s || !streq(s, "missed"))
                                continue;
                        fprintf(f, "<tr><td class=\"n\">%u</td><td>", ++k);
                        moment_words(f, moment_text(member(c, "asked"), MOMENT_T_MINUTES, (char[MOMENT_STRING_MAX]) {}));
                        fputs("</td><td>当班值班人员</td><td>—</td><td>在岗抽查</td><td><strong>未确认</strong></td><td>须在 ", f);
                        moment_words(f, moment_text(member(c, "due"), MOMENT_T_MINUTES, (char[MOMENT_STRING_MAX]) {}));
                        fputs(" 前确认</td></tr>\n", f);
                }
                fputs("</table>\n", f);
        }

        /* 三、查岗明细 */
        fputs("<h2>三、查岗明细</h2>\n", f);
        if (json_array_size(checks) == 0)
                fputs("<p class=\"summary\">本期无查岗记录。</p>\n", f);
        else {
                fputs("<table>\n<tr><th>序号</th><th>时间</th><th>查岗对象</th><th>被查人员</th><th>方式</th>"
                      "<th>情况</th><th>备注</th></tr>\n", f);
                k = 0;
                json_array_foreach(checks, i, c)
                        check_row(f, c, ++k);
                fputs("</table>\n", f);
        }

        if (json_array_size(presence) > 0) {
                fputs("<h2>四、在岗抽查</h2>\n<table>\n<tr><th>序号</th><th>值班日</th><th>抽查时间</th>"
                      "<th>确认时限</th><th>情况</th><th>确认人</th></tr>\n", f);
                k = 0;
                json_array_foreach(presence, i, c) {
                        fprintf(f, "<tr><td class=\"n\">%u</td><td>", ++k);
                        date_words(f, member(c, "date"));
                        fputs("</td><td>", f);
                        moment_words(f, moment_text(member(c, "asked"), MOMENT_T_MINUTES, (char[MOMENT_STRING_MAX]) {}));
                        fputs("</td><td>", f);
                        moment_words(f, moment_text(member(c, "due"), MOMENT_T_MINUTES, (char[MOMENT_STRING_MAX]) {}));
                        fputs("</td><td>", f);
                        export_html_escape(f, presence_word(member(c, "state")));
                        fputs("</td><td>", f);
                        person_words(f, c, "acknowledged_by", "acknowledged_by_name");
                        fputs("</td></tr>\n", f);
                }
                fputs("</table>\n", f);
        }

        fputs("<p class=\"sign\">", f);
        export_html_escape(f, office ?: "");
        fputs("</p>\n</body>\n</html>\n", f);
        return ferror(f) ? -EIO : 0;
}

/* ---- CSV ---- */

/* "YYYY-MM-DD HH:MM" of "YYYY-MM-DDTHH:MM", as the log's CSV writes its times: a spreadsheet
 * reads it as a date and time. */
static const char *csv_moment(const char *s, char buf[static DAY_STRING_MAX + 6]) {
        if (!s || strlen(s) != DAY_STRING_MAX - 1 + 6 || s[DAY_STRING_MAX - 1] != 'T')
                return strempty(s);
        memcpy(buf, s, DAY_STRING_MAX + 6);
        buf[DAY_STRING_MAX - 1] = ' ';
        return buf;
}

/* The columns a spreadsheet must keep as typed (names, remarks: "13879100102" is a phone number,
 * not a number); the others are numbers, dates or the document's words. */
static const bool csv_text_column[] = {
        [5] = true, [9] = true, [10] = true,
};

static void csv_cells(FILE *f, const char *const *cells, size_t n) {
        for (size_t k = 0; k < n; k++) {
                if (k > 0)
                        fputc(',', f);
                export_csv_field(f, cells[k], k < ELEMENTSOF(csv_text_column) && csv_text_column[k]);
        }
        export_csv_end(f);
}

int circular_csv(FILE *f, json_t *reply) {
        static const char *const header[] = {
                "类别", "编号", "值班日", "时间", "对象", "被查人", "方式", "应答", "应答用时（秒）", "备注", "记录人",
                "记录时间",
        };
        json_t *checks = json_object_get(reply, "checks"), *presence = json_object_get(reply, "presence"), *c;
        size_t i;

        if (!json_is_array(checks) || !json_is_array(presence))
                return -EBADMSG;

        /* A byte order mark: Excel and WPS read the file as UTF-8 only with it. */
        fputs("\xef\xbb\xbf", f);
        csv_cells(f, header, ELEMENTSOF(header));

        json_array_foreach(checks, i, c) {
                char id[24], seconds[24] = "", at[DAY_STRING_MAX + 6];
                bool answered = json_is_true(json_object_get(c, "answered"));
                const char *cells[] = {
                        "查岗", id, strempty(member(c, "date")), csv_moment(moment_text(member(c, "at"), MOMENT_T_MINUTES, (char[MOMENT_STRING_MAX]) {}), at),
                        target_word(member(c, "target")), member(c, "person_name") ?: strempty(member(c, "person")),
                        how_word(member(c, "how")), answered ? "已应答" : "未应答", seconds,
                        strempty(member(c, "remarks")),
                        member(c, "recorded_by_name") ?: strempty(member(c, "recorded_by")),
                        strempty(moment_text(member(c, "recorded"), MOMENT_SECONDS, (char[MOMENT_STRING_MAX]) {})),
                };

                if (!json_is_integer(json_object_get(c, "id")))
                        return -EBADMSG;
                snprintf(id, sizeof(id), "%" JSON_INTEGER_FORMAT, number(c, "id"));
                if (answered && json_is_integer(json_object_get(c, "seconds")))
                        snprintf(seconds, sizeof(seconds), "%" JSON_INTEGER_FORMAT, number(c, "seconds"));
                csv_cells(f, cells, ELEMENTSOF(cells));
        }

        /* dutyd's own presence checks (在岗确认): asked of the people on duty, confirmed or not. */
        json_array_foreach(presence, i, c) {
                char id[24], at[DAY_STRING_MAX + 6], due[DAY_STRING_MAX + 6], acked[DAY_STRING_MAX + 6];
                _cleanup_free_ char *remarks = NULL;
                const char *cells[] = {
                        "在岗确认", id, strempty(member(c, "date")), csv_moment(moment_text(member(c, "asked"), MOMENT_T_MINUTES, (char[MOMENT_STRING_MAX]) {}), at),
                        "值班人员", member(c, "acknowledged_by_name") ?: strempty(member(c, "acknowledged_by")),
                        "系统询问", presence_word(member(c, "state")), "", NULL, "系统", "",
                };

                if (!json_is_integer(json_object_get(c, "id")))
                        return -EBADMSG;
                snprintf(id, sizeof(id), "%" JSON_INTEGER_FORMAT, number(c, "id"));
                if ((member(c, "acknowledged")
                             ? asprintf(&remarks, "限%s前确认，%s确认", csv_moment(moment_text(member(c, "due"), MOMENT_T_MINUTES, (char[MOMENT_STRING_MAX]) {}), due),
                                        csv_moment(moment_text(member(c, "acknowledged"), MOMENT_T_MINUTES, (char[MOMENT_STRING_MAX]) {}), acked))
                             : asprintf(&remarks, "限%s前确认", csv_moment(moment_text(member(c, "due"), MOMENT_T_MINUTES, (char[MOMENT_STRING_MAX]) {}), due))) < 0)
                        return -ENOMEM;
                cells[9] = remarks;
                csv_cells(f, cells, ELEMENTSOF(cells));
        }
        return ferror(f) ? -EIO : 0;
}
