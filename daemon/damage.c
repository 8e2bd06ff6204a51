/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "anchor.h"
#include "damage.h"
#include "i18n.h"
#include "log.h"
#include "store.h"
#include "store-audit.h"

/* Where journald listens for the entries sd_journal_send() writes. */
#define DAMAGE_JOURNAL_SOCKET "/run/systemd/journal/socket"

static uint64_t monotonic_usec(void) {
        struct timespec ts;

        (void) clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * USEC_PER_SEC + (uint64_t) ts.tv_nsec / 1000u;
}

static int damage_hash_at(int64_t seq, char ret_hash[static ANCHOR_HASH_SIZE], void *userdata) {
        return store_audit_hash_at(userdata, seq, ret_hash);
}

/* What the start-up check found, in a few words (the acceptance entry repeats it). */
static char *damage_finding(const char *lang, AnchorVerdict v, int64_t head, int64_t seq) {
        bool en = language_is_en(lang);
        char *s = NULL;
        int r = -1;

        switch (v) {
        case ANCHOR_TRUNCATED:
                if (head == 0)
                        r = asprintf(&s, en ? "the database is empty, where the journal shows audit row %" PRIi64
                                            : "数据库为空，而系统日志显示审计日志已记到第 %" PRIi64 " 条", seq);
                else
                        r = asprintf(&s, en ? "the database was rolled back from audit row %" PRIi64 " to row %" PRIi64
                                            : "数据库已从审计日志第 %" PRIi64 " 条回退到第 %" PRIi64 " 条", seq, head);
                break;
        case ANCHOR_REHASHED:
                r = asprintf(&s, en ? "audit row %" PRIi64 " of the database differs from its anchor in the journal"
                                    : "数据库审计日志第 %" PRIi64 " 条与系统日志中的锚点不符", seq);
                break;
        case ANCHOR_ROLLED_BACK:
                r = asprintf(&s, en ? "the database was replaced by an older copy and written on since: audit row %"
                                      PRIi64 " differs from its anchor in the journal"
                                    : "数据库被换回旧副本后又有写入：审计日志第 %" PRIi64 " 条与系统日志中的锚点不符", seq);
                break;
        case ANCHOR_MATCHED:
        case ANCHOR_NONE:
        case ANCHOR_UNAVAILABLE:
        case _ANCHOR_VERDICT_MAX:
        case _ANCHOR_VERDICT_INVALID:
                break;
        }
        return r < 0 ? NULL : s;
}

/* What the administrator does next, by finding. */
static const char *damage_advice(const char *lang, AnchorVerdict v, int64_t head) {
        bool en = language_is_en(lang);

        if (v == ANCHOR_TRUNCATED && head == 0)
                return en ? "the database was deleted or replaced by a new one, and every change it held is missing. "
                            "Put the database back from a backup and start dutyd again; if starting afresh is "
                            "intended, start it once with --accept-database-reset"
                          : "数据库已被删除或换成了新库，其中的全部变更均已缺失。请从备份恢复数据库后重新启动 dutyd；"
                            "如确需从空库重新开始，请用 --accept-database-reset 启动一次";
        if (v == ANCHOR_TRUNCATED)
                return en ? "an older copy (a backup) was put back, or the write-ahead log (dutyd.sqlite-wal) was "
                            "damaged and SQLite dropped the changes after it. Put the newest copy of the database "
                            "back and start dutyd again; if going back to this copy is intended, start it once "
                            "with --accept-database-reset"
                          : "可能换回了旧副本（备份），或预写日志（dutyd.sqlite-wal）损坏、其后的变更被 SQLite 丢弃。"
                            "请放回最新的数据库副本后重新启动 dutyd；如确需退回此副本，请用 "
                            "--accept-database-reset 启动一次";
        return en ? "rows were edited, or another database was put in its place. Put the right database back and "
                    "start dutyd again; to accept this one as it is, start it once with --accept-database-reset"
                  : "记录被改动过，或换上了另一个数据库。请放回正确的数据库后重新启动 dutyd；如确需接受此库，"
                    "请用 --accept-database-reset 启动一次";
}

static int damage_log_start(Manager *m, bool accepted, AnchorVerdict v, int64_t head, int64_t seq) {
        _cleanup_free_ char *finding = NULL, *message = NULL, *database = NULL, *head_field = NULL,
                            *seq_field = NULL, *verdict = NULL;
        const char *lang = m->config->language;
        bool en = language_is_en(lang);
        int r;

        finding = damage_finding(lang, v, head, seq);
        if (!finding)
                return -ENOMEM;
        if (accepted)
                r = asprintf(&message,
                             en ? "Database %s accepted as it is (dutyd --accept-database-reset): %s. From here on, "
                                  "the start-up check compares it with the anchors written after this entry."
                                : "已按 dutyd --accept-database-reset 接受数据库 %s 的现状：%s。此后启动时只与本条目之后"
                                  "写入的锚点比对。",
                             m->database_path, finding);
        else
                r = asprintf(&message,
                             en ? "Refusing to start on the database %s: %s; %s."
                                : "拒绝在数据库 %s 上启动：%s；%s。",
                             m->database_path, finding, damage_advice(lang, v, head));
        if (r < 0 ||
            asprintf(&database, "DUTY_DATABASE=%s", m->database_path) < 0 ||
            asprintf(&head_field, "DUTY_DATABASE_SEQ=%" PRIi64, head) < 0 ||
            asprintf(&seq_field, "DUTY_ANCHOR_SEQ=%" PRIi64, seq) < 0 ||
            asprintf(&verdict, "DUTY_ANCHOR_VERDICT=%s", anchor_verdict_to_string(v)) < 0)
                return -ENOMEM;

        const char *fields[] = { database, head_field, seq_field, verdict, NULL };
        return log_struct_entry(accepted ? LOG_WARNING : LOG_CRIT,
                                accepted ? ANCHOR_RESET_MESSAGE_ID : DAMAGE_BEHIND_MESSAGE_ID, manager_office_id(m),
                                fields, message);
}

int damage_check_start(Manager *m, bool accept_reset) {
        _cleanup_free_ Anchor *anchors = NULL;
        char hash[ANCHOR_HASH_SIZE];
        AnchorVerdict v = _ANCHOR_VERDICT_INVALID;
        uint64_t t0 = monotonic_usec();
        int64_t head = 0, seq = 0;
        size_t n = 0;
        int r;

        r = store_audit_head(m->store, &head, hash);
        if (r < 0)
                return log_error_errno(r, "Cannot read the head of the audit log of %s: %m", m->database_path);

        r = anchor_read_journal(m->database_path, DAMAGE_START_ANCHORS_MAX, /* since_reset= */ true, &anchors, &n);
        if (r < 0) {
                /* A journal dutyd may not read (its unit gives it the group systemd-journal for this):
                 * there is nothing to compare with. Start, and say what was not checked. */
                log_warning("Cannot read the journal (%s): the database %s is not compared with the anchors of "
                            "its audit log, so a lost or older database would go unnoticed.",
                            strerror(-r), m->database_path);
                return 0;
        }

        r = anchor_check(anchors, n, head, damage_hash_at, m->store, &v, &seq);
        if (r < 0)
                return log_error_errno(r, "Cannot compare the audit log of %s with its anchors: %m", m->database_path);
        /* The check's cost at every start, for whoever wonders why a start is slow. */
        log_info("Audit log of %s (row %" PRIi64 ") compared with %zu anchors of the journal in %.1f ms: %s.",
                 m->database_path, head, n, (double) (monotonic_usec() - t0) / 1000.0,
                 anchor_verdict_to_string(v));

        /* No journald at all: nothing was anchored, nothing will be, and nothing can be compared. */
        if (v == ANCHOR_NONE && access(DAMAGE_JOURNAL_SOCKET, F_OK) < 0)
                log_warning("No journal (%s is missing): the audit log of %s is not anchored nor compared with "
                            "its anchors, so a lost or older database would go unnoticed.",
                            DAMAGE_JOURNAL_SOCKET, m->database_path);

        switch (v) {
        case ANCHOR_MATCHED:
        case ANCHOR_NONE:
        case ANCHOR_UNAVAILABLE:
                if (accept_reset)
                        log_notice("--accept-database-reset: the database %s agrees with the journal, nothing to accept.",
                                   m->database_path);
                return 0;
        case ANCHOR_TRUNCATED:
        case ANCHOR_REHASHED:
        case ANCHOR_ROLLED_BACK:
                break;
        case _ANCHOR_VERDICT_MAX:
        case _ANCHOR_VERDICT_INVALID:
                return -EINVAL;
        }

        r = damage_log_start(m, accept_reset, v, head, seq);
        if (r < 0)
                log_error("Cannot write the journal entry about the database %s (%s, anchor row %" PRIi64 "): %s",
                          m->database_path, anchor_verdict_to_string(v), seq, strerror(-r));
        /* An acceptance the journal does not hold would not supersede the old anchors: the next start
         * would refuse again, which is the safe side. */
        return accept_reset ? 0 : -ESTALE;
}

static void damage_report(Store *s, StoreDamage d, const char *problem, void *userdata) {
        _cleanup_free_ char *what = NULL, *message = NULL, *database = NULL, *kind = NULL, *problem_field = NULL;
        Manager *m = userdata;
        /* The office's language, even when a caller's write found the damage. */
        bool en = language_is_en(manager_journal_language(m));
        const char *id = DAMAGE_FILE_MESSAGE_ID;
        int r = -1;

        switch (d) {
        case STORE_DAMAGE_REMOVED:
                r = asprintf(&what, en ? "the database file %s was removed" : "数据库文件 %s 被删除了",
                             m->database_path);
                break;
        case STORE_DAMAGE_REPLACED:
                r = asprintf(&what, en ? "the database file %s was replaced by another file"
                                       : "数据库文件 %s 被换成了另一个文件",
                             m->database_path);
                break;
        case STORE_DAMAGE_WAL_REMOVED:
                r = asprintf(&what, en ? "the write-ahead log of the database %s (its -wal file) was removed"
                                       : "数据库 %s 的预写日志（-wal 文件）被删除了",
                             m->database_path);
                break;
        case STORE_DAMAGE_WAL_REPLACED:
                r = asprintf(&what, en ? "the write-ahead log of the database %s (its -wal file) was replaced by "
                                         "another file"
                                       : "数据库 %s 的预写日志（-wal 文件）被换成了另一个文件",
                             m->database_path);
                break;
        case STORE_DAMAGE_CORRUPT:
                id = DAMAGE_CORRUPT_MESSAGE_ID;
                r = asprintf(&message,
                             en ? "The quick check of the database %s found it corrupt (%s): dutyd refuses every change "
                                  "until it restarts; reading goes on. Stop dutyd, restore the database from a backup, "
                                  "and start it again."
                                : "数据库 %s 快速检查发现损坏（%s）：dutyd 在重启前拒绝一切修改，查询照常。请停止 dutyd，"
                                  "从备份恢复数据库后再启动。",
                             m->database_path, strna(problem));
                break;
        case STORE_DAMAGE_NONE:
        case _STORE_DAMAGE_MAX:
        case _STORE_DAMAGE_INVALID:
                return;
        }

        if (r >= 0 && what)
                r = asprintf(&message,
                             en ? "While dutyd was running, %s: the change being saved was not saved, and dutyd "
                                  "refuses every change until it restarts; reading goes on. Changes acknowledged "
                                  "since dutyd opened the file may be missing from whatever is at that path now. "
                                  "Put the right database file back (from a backup), then restart dutyd."
                                : "dutyd 运行期间，%s：正在保存的变更未保存，dutyd 在重启前拒绝一切修改，查询照常。"
                                  "dutyd 打开该文件以来已确认的变更可能不在该路径现有的文件中。请恢复正确的数据库"
                                  "文件（从备份），然后重启 dutyd。",
                             what);
        if (r < 0 ||
            asprintf(&database, "DUTY_DATABASE=%s", m->database_path) < 0 ||
            asprintf(&kind, "DUTY_DATABASE_PROBLEM=%s", store_damage_to_string(d)) < 0 ||
            asprintf(&problem_field, "DUTY_PROBLEM=%s", strna(problem)) < 0) {
                log_error("The database %s is damaged (%s); dutyd refuses every change until it restarts.",
                          m->database_path, store_damage_to_string(d));
                return;
        }

        const char *fields[] = { database, kind, problem ? problem_field : NULL, NULL };
        r = log_struct_entry(LOG_CRIT, id, manager_office_id(m), fields, message);
        if (r < 0)
                log_error("Cannot write the journal entry about the damaged database %s: %s", m->database_path,
                          strerror(-r));
}

static int damage_on_timer(sd_event_source *source, uint64_t usec, void *userdata) {
        Manager *m = userdata;
        int r;

        if (store_damage(m->store) == STORE_DAMAGE_NONE) {
                /* A removal is seen here too when nothing is written for hours. */
                r = store_check_files(m->store);
                if (r >= 0) {
                        r = store_quick_check(m->store, NULL);
                        if (r < 0 && r != -EBADMSG)
                                log_warning("Cannot run the quick check of the database %s: %s", m->database_path,
                                            strerror(-r));
                }
        }

        r = sd_event_source_set_time_relative(source, m->damage_check_usec);
        if (r >= 0)
                r = sd_event_source_set_enabled(source, SD_EVENT_ONESHOT);
        if (r < 0)
                log_error("Cannot rearm the quick check of the database: %s", strerror(-r));
        return 0;
}

/* Test hook: $DUTYD_QUICK_CHECK_SEC runs the periodic check this often, so that a scenario sees it. */
static int damage_parse_interval(Manager *m) {
        const char *s = getenv("DUTYD_QUICK_CHECK_SEC");
        unsigned long v;
        char *end;

        m->damage_check_usec = DAMAGE_CHECK_INTERVAL_USEC;
        if (isempty(s))
                return 0;

        errno = 0;
        v = strtoul(s, &end, 10);
        if (errno != 0 || *end != '\0' || v == 0 || v > 86400) {
                log_error("DUTYD_QUICK_CHECK_SEC=%s is not a number of seconds from 1 to 86400.", s);
                return -EINVAL;
        }
        m->damage_check_usec = (uint64_t) v * USEC_PER_SEC;
        log_notice("Quick check interval set by DUTYD_QUICK_CHECK_SEC to %lu s (test hook).", v);
        return 0;
}

int damage_watch(Manager *m) {
        int r;

        store_set_damage_handler(m->store, damage_report, m);

        r = damage_parse_interval(m);
        if (r < 0)
                return r;
        /* The start ran a full integrity check already (store_open()): the first quick check is due
         * one interval later. */
        r = sd_event_add_time_relative(m->event, &m->damage_timer, CLOCK_MONOTONIC, m->damage_check_usec, 0,
                                       damage_on_timer, m);
        if (r < 0)
                return log_error_errno(r, "Cannot add the timer of the database's quick check: %m");
        return 0;
}

const char *damage_refusal_message(const Manager *m) {
        bool en = language_is_en(m->config->language);

        switch (store_damage(m->store)) {
        case STORE_DAMAGE_CORRUPT:
                return en ? "the database was found damaged; nothing was saved; ask the administrator to restore it "
                            "from a backup and restart dutyd"
                          : "数据库经检查已损坏，未保存任何修改；请管理员从备份恢复数据库后重启 dutyd";
        case STORE_DAMAGE_REMOVED:
        case STORE_DAMAGE_REPLACED:
        case STORE_DAMAGE_WAL_REMOVED:
        case STORE_DAMAGE_WAL_REPLACED:
        case STORE_DAMAGE_NONE:
        case _STORE_DAMAGE_MAX:
        case _STORE_DAMAGE_INVALID:
                break;
        }
        return en ? "the database file was removed or replaced while dutyd was running; nothing was saved; ask the "
                    "administrator to put the database file back and restart dutyd"
                  : "dutyd 运行期间数据库文件被删除或替换，未保存任何修改；请管理员恢复数据库文件后重启 dutyd";
}
