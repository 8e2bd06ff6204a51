/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <dirent.h>
#include <fcntl.h>
#include <jansson.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <syslog.h>
#include <systemd/sd-event.h>
#include <systemd/sd-journal.h>
#include <time.h>
#include <unistd.h>

#include "aggregate.h"
#include "alert.h"
#include "anchor.h"
#include "api-json.h"
#include "api-offices.h"
#include "config.h"
#include "gaps.h"
#include "log.h"
#include "manager.h"
#include "offices-remind.h"
#include "offices.h"
#include "report-fields.h"
#include "store.h"

/* How late the timer may fire, to let the loop batch wake-ups. */
#define AGGREGATE_ACCURACY_USEC (250 * USEC_PER_MSEC)
/* Unknown offices' files told once each, up to this many (a directory of strangers is told by
 * the first ones). */
#define AGGREGATE_WARNED_MAX 1024u
/* Files of one office opened at once: journal-remote rotates by size; more than this is a
 * directory nobody cleans, and the oldest ones were read long ago. */
#define AGGREGATE_OFFICE_FILES_MAX 64u
/* Rejections remembered to log each once: the same forged entry comes again with every resend
 * (journal-upload's cursor, a stopped receiver, a rotated copy). Older ones are forgotten first. */
#define AGGREGATE_REJECTED_MAX 4096u
/* The account dutyd-remote@.service runs journal-remote as: the owner, with root, of what the
 * aggregator trusts in journal_dir. */
#define AGGREGATE_REMOTE_USER "systemd-journal-remote"

struct Aggregator {
        Manager *manager;
        sd_event_source *timer;
        sd_event_source *inotify;  /* on journal_dir: a file written wakes the timer early */
        char *watched;             /* the directory it watches */
        const Config *config;   /* the configuration `signature` was made for */
        uint64_t *signature;    /* per configured office: its files when last read to the end; 0 never.
                                 * A signature hashes the files' names too: one left from another
                                 * configuration never matches another office's files. */
        size_t n_signature;
        size_t next;            /* the office the next turn starts at */
        char **warned;          /* file names of unknown offices told */
        size_t n_warned;
        uint64_t *rejected;     /* hashes of the rejections logged (ring of AGGREGATE_REJECTED_MAX) */
        size_t n_rejected, next_rejected;
        uid_t remote_uid;       /* AGGREGATE_REMOTE_USER's uid, when it exists (else root alone) */
        bool has_remote_uid;
        bool dir_untrusted;     /* the last turn refused journal_dir: said once until it changes */
        bool locked;            /* the last turn found the database locked: said once */
        bool journal_failing;
        /* aggregator_enrolment(): the flags of the offices of enrol_config, when looked at last. */
        const Config *enrol_config;
        bool *enrolled;
        size_t n_enrolled;
        uint64_t enrol_generation;
        uint64_t enrol_checked_usec;  /* CLOCK_MONOTONIC */
};

/* One file of the directory that belongs to a configured office. */
typedef struct OfficeFile {
        size_t office;
        char *path;
        uint64_t hash;
} OfficeFile;

static int office_file_compare(const void *a, const void *b) {
        const OfficeFile *x = a, *y = b;

        if (x->office != y->office)
                return x->office < y->office ? -1 : 1;
        return strcmp(x->path, y->path);
}

static void office_files_free(OfficeFile *f, size_t n) {
        for (size_t i = 0; f && i < n; i++)
                free(f[i].path);
        free(f);
}

static uint64_t hash_mix(uint64_t h, const void *data, size_t n) {
        const unsigned char *p = data;

        for (size_t i = 0; i < n; i++) {
                h ^= p[i];
                h *= UINT64_C(0x100000001b3);
        }
        return h;
}

uint64_t aggregator_deadline_usec(const NoticeReport *r) {
        char date[DAY_STRING_MAX];
        struct tm tm = {};
        time_t t;

        if (!r || !strptime(day_format(r->deadline_day, date), "%Y-%m-%d", &tm))
                return 0;
        tm.tm_hour = r->deadline_minutes / 60;
        tm.tm_min = r->deadline_minutes % 60;
        tm.tm_isdst = -1;
        t = mktime(&tm);
        if (t == (time_t) -1 || t < 0)
                return 0;
        return (uint64_t) t * USEC_PER_SEC;
}

/* Whether file `name` is to be told about now: true the first time (it is remembered, up to
 * AGGREGATE_WARNED_MAX names), false once told or when it cannot be remembered. */
static bool aggregator_first_warning(Aggregator *a, const char *name) {
        char **w;

        for (size_t i = 0; i < a->n_warned; i++)
                if (streq(a->warned[i], name))
                        return false;
        if (a->n_warned >= AGGREGATE_WARNED_MAX)
                return false;
        w = realloc(a->warned, (a->n_warned + 1) * sizeof(char *));
        if (!w)
                return false;
        a->warned = w;
        a->warned[a->n_warned] = strdup(name);
        if (!a->warned[a->n_warned])
                return false;
        a->n_warned++;
        return true;
}

static void aggregator_warn_unknown(Aggregator *a, const char *name, const char *id) {
        if (!aggregator_first_warning(a, name))
                return;
        if (id)
                log_warning("Aggregator: %s/%s is from office \"%s\", which aggregator.offices does not list; "
                            "its entries are ignored. Add the office to dutyd.conf if it reports here.",
                            a->manager->config->aggregator.journal_dir, name, id);
        else
                log_warning("Aggregator: %s/%s is not named remote-<office id>.journal as "
                            "dutyd-remote@<office id>.service writes an office's file; it is ignored.",
                            a->manager->config->aggregator.journal_dir, name);
}

/* Whether st, a directory or file of journal_dir, is as dutyd-remote@.service leaves it: owned by
 * root or the journal-remote user, written by nobody else. A file anyone else could write or
 * plant would be taken as an office's word. NULL when trusted, else why not (for the log). */
static const char *aggregator_untrusted(const Aggregator *a, const struct stat *st) {
        if (st->st_uid != 0 && !(a->has_remote_uid && st->st_uid == a->remote_uid))
                return "is owned by neither root nor " AGGREGATE_REMOTE_USER;
        if (st->st_mode & (S_IWGRP | S_IWOTH))
                return "is writable by its group or by others";
        return NULL;
}

/* A file of journal_dir the aggregator will not read, told once (with the unknown ones). */
static void aggregator_warn_file(Aggregator *a, const char *name, const char *why) {
        if (!aggregator_first_warning(a, name))
                return;
        log_error("Aggregator: %s/%s %s; it is not read. The offices' files are written by "
                  "dutyd-remote@<office id>.service; remove this one or give it back to root "
                  "(chown root: FILE; chmod go-w FILE).",
                  a->manager->config->aggregator.journal_dir, name, why);
}

/* Whether the opened journal_dir is trusted (1) or not (0, told once until it is again). */
static int aggregator_dir_trusted(Aggregator *a, DIR *d) {
        const char *dir = a->manager->config->aggregator.journal_dir, *why;
        struct stat st;

        if (fstat(dirfd(d), &st) < 0)
                return -errno;
        why = aggregator_untrusted(a, &st);
        if (why) {
                if (!a->dir_untrusted)
                        log_error("Aggregator: %s %s; no office's report is read from it. Use the directory "
                                  "dutyd-remote@.service writes (" CONFIG_AGGREGATOR_JOURNAL_DIR ") or make it "
                                  "root's (chown root: DIR; chmod go-w DIR).", dir, why);
                a->dir_untrusted = true;
                return 0;
        }
        if (a->dir_untrusted)
                log_info("Aggregator: %s is trusted again; the offices' files are read.", dir);
        a->dir_untrusted = false;
        return 1;
}

/* The configured offices' files in the journal directory, sorted by office. A directory that is
 * not trusted (aggregator_untrusted()) yields nothing. */
static int aggregator_scan(Aggregator *a, OfficeFile **ret, size_t *ret_n) {
        const Config *c = a->manager->config;
        DIR *d;
        struct dirent *de;
        OfficeFile *f = NULL;
        size_t n = 0, allocated = 0;
        int r = 0;

        d = opendir(c->aggregator.journal_dir);
        if (!d) {
                if (errno == ENOENT) {
                        *ret = NULL;
                        *ret_n = 0;
                        return 0;
                }
                return -errno;
        }
        r = aggregator_dir_trusted(a, d);
        if (r <= 0) {
                closedir(d);
                if (r < 0)
                        return r;
                *ret = NULL;
                *ret_n = 0;
                return 0;
        }
        r = 0;
        while ((de = readdir(d))) {
                char id[CONFIG_OFFICE_ID_MAX + 1];
                const AggregatorOffice *o;
                const char *why;
                struct stat st;
                char *path;

                if (de->d_name[0] == '.')
                        continue;
                if (report_file_office(de->d_name, id, sizeof(id)) < 0) {
                        size_t len = strlen(de->d_name);

                        /* journal-remote's other files (its state, temporary files) are not ours to judge. */
                        if (len > 8 && (streq(de->d_name + len - 8, ".journal") || streq(de->d_name + len - 9, ".journal~")))
                                aggregator_warn_unknown(a, de->d_name, NULL);
                        continue;
                }
                o = config_find_office(c, id);
                if (!o) {
                        aggregator_warn_unknown(a, de->d_name, id);
                        continue;
                }
                /* Not followed: a link could name any file of the machine. */
                if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        continue;
                if (!S_ISREG(st.st_mode)) {
                        aggregator_warn_file(a, de->d_name, "is not a regular file");
                        continue;
                }
                why = aggregator_untrusted(a, &st);
                if (why) {
                        aggregator_warn_file(a, de->d_name, why);
                        continue;
                }
                if (asprintf(&path, "%s/%s", c->aggregator.journal_dir, de->d_name) < 0) {
                        r = -ENOMEM;
                        break;
                }
                if (n >= allocated) {
                        size_t k = allocated ? allocated * 2 : 64;
                        OfficeFile *x = realloc(f, k * sizeof(OfficeFile));

                        if (!x) {
                                free(path);
                                r = -ENOMEM;
                                break;
                        }
                        f = x;
                        allocated = k;
                }
                f[n] = (OfficeFile) { .office = (size_t) (o - c->aggregator.offices), .path = path };
                f[n].hash = hash_mix(UINT64_C(0xcbf29ce484222325), de->d_name, strlen(de->d_name));
                f[n].hash = hash_mix(f[n].hash, &st.st_size, sizeof(st.st_size));
                f[n].hash = hash_mix(f[n].hash, &st.st_mtim, sizeof(st.st_mtim));
                f[n].hash = hash_mix(f[n].hash, &st.st_ino, sizeof(st.st_ino));
                n++;
        }
        closedir(d);
        if (r < 0) {
                office_files_free(f, n);
                return r;
        }
        if (n > 1)
                qsort(f, n, sizeof(OfficeFile), office_file_compare);
        *ret = f;
        *ret_n = n;
        return 0;
}

/* The fields of the current entry that matter, copied. */
typedef struct EntryFields {
        char *message_id;
        char *office, *kind, *key, *version, *state, *from, *to, *json;
        size_t json_size;
        char *gap_id, *gap_event;
} EntryFields;

static void entry_fields_done(EntryFields *e) {
        free(e->message_id);
        free(e->office);
        free(e->kind);
        free(e->key);
        free(e->version);
        free(e->state);
        free(e->from);
        free(e->to);
        free(e->json);
        free(e->gap_id);
        free(e->gap_event);
        *e = (EntryFields) {};
}

static int entry_fields_read(sd_journal *j, EntryFields *ret) {
        static const struct {
                const char *name;
                size_t offset;
        } wanted[] = {
                { "MESSAGE_ID", offsetof(EntryFields, message_id) },
                { REPORT_FIELD_OFFICE, offsetof(EntryFields, office) },
                { REPORT_FIELD_KIND, offsetof(EntryFields, kind) },
                { REPORT_FIELD_KEY, offsetof(EntryFields, key) },
                { REPORT_FIELD_VERSION, offsetof(EntryFields, version) },
                { REPORT_FIELD_STATE, offsetof(EntryFields, state) },
                { REPORT_FIELD_FROM, offsetof(EntryFields, from) },
                { REPORT_FIELD_TO, offsetof(EntryFields, to) },
                { REPORT_FIELD_JSON, offsetof(EntryFields, json) },
                { "DUTY_GAP_ID", offsetof(EntryFields, gap_id) },
                { "DUTY_GAP_EVENT", offsetof(EntryFields, gap_event) },
        };
        const void *data;
        size_t len;
        int r;

        SD_JOURNAL_FOREACH_DATA(j, data, len) {
                const char *eq = memchr(data, '=', len);
                size_t name_len;

                if (!eq)
                        continue;
                name_len = (size_t) (eq - (const char *) data);
                for (size_t i = 0; i < ELEMENTSOF(wanted); i++) {
                        char **slot = (char **) ((char *) ret + wanted[i].offset);
                        size_t value_len = len - name_len - 1;

                        if (strlen(wanted[i].name) != name_len || memcmp(wanted[i].name, data, name_len) != 0)
                                continue;
                        if (*slot)
                                break;  /* the first of a repeated field */
                        /* A payload over the limit is refused whole; no need to copy it. */
                        if (slot == &ret->json && value_len > REPORT_JSON_MAX) {
                                ret->json_size = value_len;
                                break;
                        }
                        *slot = strndup(eq + 1, value_len);
                        if (!*slot)
                                return -ENOMEM;
                        if (slot == &ret->json)
                                ret->json_size = value_len;
                        break;
                }
        }
        r = 0;
        return r;
}

/* Whether this rejection was logged already; remembers it if not. */
static bool aggregator_rejected_before(Aggregator *a, const char *sender, const char *what, const EntryFields *e) {
        uint64_t h = UINT64_C(0xcbf29ce484222325);
        const char *parts[] = { sender, strna(e->office), what, strna(e->key), strna(e->version), strna(e->gap_id),
                                strna(e->gap_event) };

        for (size_t i = 0; i < ELEMENTSOF(parts); i++)
                h = hash_mix(h, parts[i], strlen(parts[i]) + 1);
        for (size_t i = 0; i < a->n_rejected; i++)
                if (a->rejected[i] == h)
                        return true;
        if (!a->rejected) {
                a->rejected = calloc(AGGREGATE_REJECTED_MAX, sizeof(uint64_t));
                if (!a->rejected)
                        return false;   /* logged again rather than never */
        }
        a->rejected[a->next_rejected] = h;
        a->next_rejected = (a->next_rejected + 1) % AGGREGATE_REJECTED_MAX;
        if (a->n_rejected < AGGREGATE_REJECTED_MAX)
                a->n_rejected++;
        return false;
}

/* An entry of sender's files that claims another office, or none: never taken, logged once per
 * (sender, claim, kind, key, version). what: the report kind, "gap" or "anchor". */
static void aggregator_reject(Aggregator *a, const char *sender, const char *what, const EntryFields *e) {
        bool en = streq(manager_journal_language(a->manager), "en");
        int r;

        if (aggregator_rejected_before(a, sender, what, e))
                return;

        r = sd_journal_send("MESSAGE_ID=" REPORT_MESSAGE_ID_REJECTED, "PRIORITY=%d", LOG_WARNING,
                            "SYSLOG_IDENTIFIER=dutyd",
                            en ? "MESSAGE=Report rejected: an entry (%s) in the files of office %s %s%s; "
                                 "check the certificate issued to %s and its office_id."
                               : "MESSAGE=报送被拒收：单位 %2$s 发来的文件中有一条记录（%1$s）%3$s%4$s；请核对发给 %5$s 的证书及其 office_id 设置。",
                            what, sender,
                            e->office ? (en ? "claims to come from office " : "自称来自单位 ")
                                      : (en ? "names no office (no DUTY_OFFICE)" : "未注明单位（无 DUTY_OFFICE）"),
                            e->office ?: "", sender,
                            REPORT_FIELD_OFFICE "=%s", e->office ?: "",
                            REPORT_FIELD_SENDER "=%s", sender,
                            REPORT_FIELD_KIND "=%s", what,
                            REPORT_FIELD_KEY "=%s", strna(e->key ?: e->gap_id),
                            NULL);
        if (r < 0)
                log_warning("Aggregator: cannot write to the journal that an entry of %s claiming %s was rejected: %s",
                            sender, strna(e->office), strerror(-r));
}

static int strdup_member(json_t *o, const char *key, char **ret) {
        json_t *v = json_object_get(o, key);

        if (!json_is_string(v))
                return 0;
        *ret = strdup(json_string_value(v));
        return *ret ? 0 : -ENOMEM;
}

/* A report's payload must be a JSON object; a roster's days are bounded. An away report's trip is
 * copied out of it into rep. 0, -EBADMSG, -ENOMEM. */
static int payload_check(OfficeReport *rep) {
        json_t *v, *days;
        int r = 0;

        v = json_loadb(rep->payload, strlen(rep->payload), JSON_REJECT_DUPLICATES, NULL);
        if (!v)
                return -EBADMSG;
        days = json_object_get(v, "days");
        if (!json_is_object(v) ||
            (rep->kind == REPORT_KIND_ROSTER && (!json_is_array(days) || json_array_size(days) > REPORT_DAYS_MAX)))
                r = -EBADMSG;
        if (r >= 0 && rep->kind == REPORT_KIND_AWAY) {
                r = strdup_member(json_object_get(v, "person"), "name", &rep->person);
                if (r >= 0)
                        r = strdup_member(v, "destination", &rep->destination);
                if (r >= 0)
                        r = strdup_member(v, "start", &rep->start);
                if (r >= 0)
                        r = strdup_member(v, "end", &rep->end);
                if (r >= 0)
                        r = strdup_member(json_object_get(v, "acting"), "name", &rep->acting);
        }
        json_decref(v);
        return r;
}

/* One entry of sender's files, in the office's transaction. */
static int aggregator_take(Aggregator *a, const char *sender, sd_journal *j) {
        Store *s = a->manager->store;
        _cleanup_(entry_fields_done) EntryFields e = {};
        uint64_t realtime = 0;
        int r;

        r = entry_fields_read(j, &e);
        if (r < 0)
                return r;
        (void) sd_journal_get_realtime_usec(j, &realtime);

        if (e.message_id && streq(e.message_id, REPORT_MESSAGE_ID)) {
                OfficeReport rep = {};
                ReportFields f = {
                        .office = e.office, .kind = e.kind, .key = e.key, .version = e.version, .state = e.state,
                        .from = e.from, .to = e.to, .json = e.json, .json_size = e.json_size,
                };

                if (e.json_size > REPORT_JSON_MAX && !e.json)
                        f.json = "";    /* too large: refused below by its size */
                r = report_entry_check(&f, sender, realtime, &rep);
                if (r == -EPERM) {
                        aggregator_reject(a, sender, strna(e.kind), &e);
                        return 0;
                }
                if (r == -ENOMEM)
                        return r;
                if (r >= 0)
                        r = payload_check(&rep);
                if (r == -ENOMEM) {
                        office_report_done(&rep);
                        return r;
                }
                if (r < 0) {
                        log_warning("Aggregator: a report of office %s (%s %s version %s) is %s; it is ignored.", sender,
                                    strna(e.kind), strna(e.key), strna(e.version),
                                    r == -E2BIG ? "larger than 256 KiB" : "malformed");
                        office_report_done(&rep);
                        return 0;
                }
                r = store_office_report_put(s, &rep);
                office_report_done(&rep);
                return r < 0 ? r : 0;
        }

        /* A gap alert or its resolution, or an audit anchor: every entry read must name the office
         * whose file holds it, as the office's dutyd does while office_id is set. */
        if (!e.office || !streq(e.office, sender)) {
                aggregator_reject(a, sender, e.message_id && streq(e.message_id, ANCHOR_MESSAGE_ID) ? "anchor" : "gap", &e);
                return 0;
        }
        /* An anchor says the office's audit log was sealed up to a row: nothing the aggregator
         * keeps, only checked for its sender. */
        if (e.message_id && streq(e.message_id, ANCHOR_MESSAGE_ID))
                return 0;
        if (!e.gap_id || strlen(e.gap_id) > 256)
                return 0;
        /* A set, not a count: the same alert again (a resend) leaves the gap as it was. */
        return store_office_gap_set(s, sender, e.gap_id, !(e.gap_event && streq(e.gap_event, "resolved")));
}

static int aggregator_add_matches(sd_journal *j) {
        int r;

        r = sd_journal_add_match(j, "MESSAGE_ID=" REPORT_MESSAGE_ID, 0);
        if (r < 0)
                return r;
        r = sd_journal_add_match(j, "MESSAGE_ID=" ALERT_MESSAGE_ID_RESOLVED, 0);
        if (r >= 0)
                r = sd_journal_add_match(j, "MESSAGE_ID=" ANCHOR_MESSAGE_ID, 0);
        for (GapKind k = 0; r >= 0 && k < _GAP_KIND_MAX; k++) {
                const char *id = alert_message_id(ALERT_EVENT_OPENED, k);
                char match[sizeof("MESSAGE_ID=") + 32];

                if (!id)
                        continue;
                (void) snprintf(match, sizeof(match), "MESSAGE_ID=%s", id);
                r = sd_journal_add_match(j, match, 0);
        }
        return r;
}

/* Reads office i's files (paths, NULL-terminated) on from its cursor, at most *budget entries, in
 * the turn's transaction, and leaves the cursor of the last entry taken there. A file journald's
 * code cannot read stops the office until its files change (told, not an error of the turn).
 * Returns 1 when it read to the end, 0 when the budget ran out, a negative errno of the store. */
static int aggregator_office(Aggregator *a, size_t i, const char **paths, size_t *budget) {
        const AggregatorOffice *o = &a->manager->config->aggregator.offices[i];
        Store *s = a->manager->store;
        _cleanup_free_ char *cursor = NULL, *last = NULL;
        sd_journal *j = NULL;
        size_t taken = 0;
        int r, done = 0;

        r = store_office_cursor_get(s, o->id, &cursor);
        if (r < 0 && r != -ENOENT)
                return r;

        r = sd_journal_open_files(&j, paths, 0);
        if (r < 0) {
                log_warning("Aggregator: cannot open the journal files of office %s: %s", o->id, strerror(-r));
                return 1;
        }
        r = aggregator_add_matches(j);
        if (r >= 0)
                r = cursor ? sd_journal_seek_cursor(j, cursor) : sd_journal_seek_head(j);
        if (r < 0) {
                sd_journal_close(j);
                return r == -ENOMEM ? r : 1;
        }

        for (bool first = true;; first = false) {
                if (taken >= *budget)
                        break;
                r = sd_journal_next(j);
                if (r < 0) {
                        log_warning("Aggregator: cannot read on in the journal files of office %s: %s", o->id,
                                    strerror(-r));
                        done = 1;
                        break;
                }
                if (r == 0) {
                        done = 1;
                        break;
                }
                /* Seeking to a cursor lands on its entry when it is still there: taken already. */
                if (first && cursor && sd_journal_test_cursor(j, cursor) > 0)
                        continue;
                r = aggregator_take(a, o->id, j);
                if (r < 0)
                        goto fail;
                taken++;
                free(last);
                last = NULL;
                r = sd_journal_get_cursor(j, &last);
                if (r < 0)
                        goto fail;
        }
        sd_journal_close(j);
        j = NULL;
        *budget -= taken;
        if (last) {
                r = store_office_cursor_set(s, o->id, last);
                if (r < 0)
                        return r;
                log_debug("Aggregator: %zu entries of office %s taken.", taken, o->id);
        }
        return done;

fail:
        sd_journal_close(j);
        return r;
}

/* The offices i < n of aggregator.offices whose flag is false, as an alert names them: their ids
 * joined by "," (the journal field) and their names joined as the language writes a list. */
static int aggregator_offices_unflagged(const Config *c, const bool *flags, size_t n, bool en, char **ret_ids,
                                        char **ret_names, size_t *ret_n) {
        _cleanup_free_ char *ids = NULL, *names = NULL;
        size_t ids_size = 0, names_size = 0, k = 0;
        FILE *fi, *fn;
        int ri, rn;

        fi = open_memstream(&ids, &ids_size);
        fn = open_memstream(&names, &names_size);
        if (!fi || !fn) {
                if (fi)
                        fclose(fi);
                if (fn)
                        fclose(fn);
                return -ENOMEM;
        }
        for (size_t i = 0; i < n; i++) {
                const AggregatorOffice *o = &c->aggregator.offices[i];

                if (flags[i])
                        continue;
                fprintf(fi, "%s%s", k > 0 ? "," : "", o->id);
                fprintf(fn, "%s%s", k > 0 ? (en ? ", " : "、") : "", o->name ?: o->id);
                k++;
        }
        /* Both closed whatever the first gives. */
        ri = fclose(fi);
        rn = fclose(fn);
        if (ri != 0 || rn != 0)
                return -ENOMEM;
        *ret_ids = TAKE_PTR(ids);
        *ret_names = TAKE_PTR(names);
        *ret_n = k;
        return 0;
}

/* The deadline alerts due: each notice report whose deadline passed while its holiday has not
 * ended, told once, naming the offices whose roster was not written by the deadline. */
static int aggregator_deadlines(Aggregator *a) {
        Manager *m = a->manager;
        const Config *c = m->config;
        uint64_t now = manager_now_usec(m);
        Day today = manager_today(m);
        bool en = streq(manager_journal_language(m), "en");
        int r;

        for (size_t i = 0; i < c->n_notices; i++)
                for (size_t k = 0; k < c->notices[i].n_reports; k++) {
                        const NoticeReport *nr = &c->notices[i].reports[k];
                        uint64_t deadline = aggregator_deadline_usec(nr);
                        OfficeReport *reps = NULL;
                        size_t n_reps = 0, n_missing = 0, q = 0;
                        _cleanup_free_ char *ids = NULL, *names = NULL;
                        _cleanup_free_ bool *on_time = NULL;
                        _cleanup_transaction_ Store *tx = NULL;
                        char stamp[TIMESTAMP_STRING_MAX];

                        if (deadline == 0 || now < deadline || today > nr->to)
                                continue;
                        r = store_notice_alert_get(m->store, nr->key, NULL);
                        if (r == 0)
                                continue;
                        if (r != -ENOENT)
                                return r;

                        r = store_office_report_list_key(m->store, REPORT_KIND_ROSTER, nr->key, &reps, &n_reps);
                        if (r < 0)
                                return r;
                        on_time = calloc(c->aggregator.n_offices ?: 1, sizeof(bool));
                        if (!on_time) {
                                office_report_free_many(reps, n_reps);
                                return -ENOMEM;
                        }
                        for (size_t o = 0; o < c->aggregator.n_offices; o++) {
                                const AggregatorOffice *off = &c->aggregator.offices[o];

                                /* Both sorted by office id. */
                                while (q < n_reps && strcmp(reps[q].office, off->id) < 0)
                                        q++;
                                if (q < n_reps && streq(reps[q].office, off->id))
                                        on_time[o] = reps[q].first_usec <= deadline;
                        }
                        office_report_free_many(reps, n_reps);
                        r = aggregator_offices_unflagged(c, on_time, c->aggregator.n_offices, en, &ids, &names,
                                                         &n_missing);
                        if (r < 0)
                                return r;
                        r = instant_format(deadline, stamp);
                        if (r < 0)
                                return r;

                        r = store_begin(m->store);
                        if (r < 0)
                                return r;
                        tx = m->store;
                        if (n_missing > 0) {
                                int k2 = sd_journal_send(
                                        "MESSAGE_ID=" REPORT_MESSAGE_ID_DEADLINE, "PRIORITY=%d", LOG_ERR,
                                        "SYSLOG_IDENTIFIER=dutyd",
                                        en ? "MESSAGE=Roster not reported: %zu offices have not sent their %s roster due by %s: %s. "
                                             "Remind them to publish it (dutyctl roster publish) and see `dutyctl offices`."
                                           : "MESSAGE=值班表未报送：截至 %3$s，%1$zu 个单位未报送%2$s值班表：%4$s。请催报，并用 `dutyctl offices` 查看。",
                                        n_missing, nr->holiday, stamp, names,
                                        REPORT_FIELD_NOTICE "=%s", nr->key,
                                        REPORT_FIELD_DEADLINE "=%s", stamp,
                                        REPORT_FIELD_MISSING "=%s", ids,
                                        REPORT_FIELD_MISSING_COUNT "=%zu", n_missing,
                                        NULL);
                                if (k2 < 0) {
                                        if (!a->journal_failing)
                                                log_warning("Aggregator: cannot write the deadline alert to the journal (%s); "
                                                            "tried again at the next turn.", strerror(-k2));
                                        a->journal_failing = true;
                                        continue;
                                }
                                a->journal_failing = false;
                        }
                        r = store_notice_alert_set(m->store, nr->key, now, ids);
                        if (r < 0)
                                return r;
                        r = store_commit(TAKE_PTR(tx));
                        if (r < 0)
                                return r;
                        log_info("Aggregator: deadline of %s (%s) passed, %zu offices missing.", nr->key, nr->holiday,
                                 n_missing);
                }
        return 0;
}

/* One warning naming the offices not enrolled, written at the first look after a start or a reload. */
static void aggregator_warn_not_enrolled(Aggregator *a) {
        const Config *c = a->manager->config;
        bool en = streq(manager_journal_language(a->manager), "en");
        _cleanup_free_ char *ids = NULL, *names = NULL;
        size_t n = 0;
        int r;

        r = aggregator_offices_unflagged(c, a->enrolled, a->n_enrolled, en, &ids, &names, &n);
        if (r < 0 || n == 0)
                return;
        r = sd_journal_send(
                "MESSAGE_ID=" REPORT_MESSAGE_ID_NOT_ENROLLED, "PRIORITY=%d", LOG_WARNING, "SYSLOG_IDENTIFIER=dutyd",
                en ? "MESSAGE=Offices not enrolled: %zu of aggregator.offices have no receiver here (no %s/dutyd-remote@<office id>.socket): %s. "
                     "Their reports cannot arrive: enrol each with dutyd-superior-enroll, or remove it from aggregator.offices."
                   : "MESSAGE=单位未开通接收：aggregator.offices 中有 %zu 个单位在本机没有接收端（%s 下没有 dutyd-remote@<单位标识>.socket）：%s。"
                     "其报送无法到达：请用 dutyd-superior-enroll 为其开通，或从 aggregator.offices 中删去。",
                n, c->aggregator.enrolled_dir, names, REPORT_FIELD_NOT_ENROLLED "=%s", ids,
                REPORT_FIELD_NOT_ENROLLED_COUNT "=%zu", n, NULL);
        if (r < 0)
                log_warning("Aggregator: %zu offices are not enrolled (no dutyd-remote@<office id>.socket in %s): %s.",
                            n, c->aggregator.enrolled_dir, ids);
}

void aggregator_reloaded(Aggregator *a) {
        if (a)
                a->enrol_config = NULL;
}

int aggregator_enrolment(Aggregator *a, const bool **ret_enrolled, uint64_t *ret_generation) {
        const Config *c;
        bool fresh, changed = false;
        uint64_t now = 0;
        int dfd;

        if (!a || !ret_enrolled || !ret_generation)
                return -EINVAL;
        c = a->manager->config;
        fresh = a->enrol_config != c;
        (void) sd_event_now(a->manager->event, CLOCK_MONOTONIC, &now);
        if (!fresh && now < a->enrol_checked_usec + AGGREGATE_ENROLMENT_RECHECK_USEC)
                goto done;

        if (fresh || a->n_enrolled != c->aggregator.n_offices) {
                bool *e = calloc(c->aggregator.n_offices ?: 1, sizeof(bool));

                if (!e)
                        return -ENOMEM;
                free(a->enrolled);
                a->enrolled = e;
                a->n_enrolled = c->aggregator.n_offices;
                changed = true;
        }
        a->enrol_config = c;
        a->enrol_checked_usec = now;
        if (!c->aggregator.enrolled_dir)
                goto done;

        /* A missing or unreadable directory: nobody is enrolled (told by the warning, which names the
         * directory). A link is looked at, not followed: enabling leaves a symlink. */
        dfd = open(c->aggregator.enrolled_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        for (size_t i = 0; i < a->n_enrolled; i++) {
                char name[sizeof("dutyd-remote@.socket") + CONFIG_OFFICE_ID_MAX];
                struct stat st;
                bool e;

                (void) snprintf(name, sizeof(name), "dutyd-remote@%s.socket", c->aggregator.offices[i].id);
                e = dfd >= 0 && fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
                if (e != a->enrolled[i] || fresh) {
                        if (!fresh)
                                log_info("Aggregator: office %s is %s.", c->aggregator.offices[i].id,
                                         e ? "enrolled now" : "no longer enrolled");
                        a->enrolled[i] = e;
                        changed = true;
                }
        }
        if (dfd >= 0)
                close(dfd);
        if (fresh)
                aggregator_warn_not_enrolled(a);
done:
        if (changed)
                a->enrol_generation++;
        *ret_enrolled = c->aggregator.enrolled_dir ? a->enrolled : NULL;
        *ret_generation = a->enrol_generation;
        return 0;
}

typedef struct PendingSignature {
        size_t office;
        uint64_t signature;
} PendingSignature;

int aggregator_run(Aggregator *a) {
        Manager *m;
        const Config *c;
        OfficeFile *files = NULL;
        size_t n_files = 0, budget = AGGREGATE_TURN_ENTRIES, offices = 0, remaining = 0, n_pending = 0;
        PendingSignature pending_sig[AGGREGATE_TURN_OFFICES];
        bool in_transaction = false;
        int r;

        if (!a)
                return -EINVAL;
        m = a->manager;
        c = m->config;
        if (!c->aggregator.journal_dir || c->aggregator.n_offices == 0)
                return 0;
        if (store_damage(m->store) != STORE_DAMAGE_NONE)
                return 0;

        /* At start and after a reload: which offices can send at all, told once. */
        {
                const bool *enrolled;
                uint64_t gen;

                r = aggregator_enrolment(a, &enrolled, &gen);
                if (r < 0)
                        return log_error_errno(r, "Aggregator: out of memory");
        }

        if (a->config != c || a->n_signature != c->aggregator.n_offices) {
                free(a->signature);
                a->n_signature = 0;
                a->signature = calloc(c->aggregator.n_offices, sizeof(uint64_t));
                if (!a->signature)
                        return log_error_errno(-ENOMEM, "Aggregator: out of memory");
                a->n_signature = c->aggregator.n_offices;
                a->config = c;
                a->next = 0;
        }

        r = aggregator_scan(a, &files, &n_files);
        if (r < 0)
                return log_error_errno(r, "Aggregator: cannot read %s: %m", c->aggregator.journal_dir);

        /* Offices with files, from where the last turn stopped, round the list once. The turn is
         * one transaction: what its entries produced and the cursors commit together. */
        for (size_t step = 0; step < c->aggregator.n_offices; step++) {
                size_t i = (a->next + step) % c->aggregator.n_offices;
                const char *paths[AGGREGATE_OFFICE_FILES_MAX + 1];
                size_t lo, hi, np = 0;
                uint64_t sig = UINT64_C(0xcbf29ce484222325);

                /* The office's files: a run of the sorted array. */
                lo = 0;
                hi = n_files;
                while (lo < hi) {
                        size_t mid = lo + (hi - lo) / 2;

                        if (files[mid].office < i)
                                lo = mid + 1;
                        else
                                hi = mid;
                }
                if (lo >= n_files || files[lo].office != i)
                        continue;
                for (size_t f = lo; f < n_files && files[f].office == i; f++) {
                        sig = hash_mix(sig, &files[f].hash, sizeof(files[f].hash));
                        /* The newest names sort last ("remote-x.journal" after "remote-x@…"); keep those. */
                        if (np == AGGREGATE_OFFICE_FILES_MAX) {
                                memmove(paths, paths + 1, (np - 1) * sizeof(char *));
                                np--;
                        }
                        paths[np++] = files[f].path;
                }
                paths[np] = NULL;
                if (sig == 0)
                        sig = 1;
                if (a->signature[i] == sig)
                        continue;

                if (offices >= AGGREGATE_TURN_OFFICES || budget == 0) {
                        if (remaining == 0)
                                a->next = i;
                        remaining++;
                        continue;
                }
                if (!in_transaction) {
                        r = store_begin(m->store);
                        if (r == -EBUSY) {
                                if (!a->locked)
                                        log_warning("Aggregator: the database is locked by another program; the "
                                                    "offices' journals are read at the next turn.");
                                a->locked = true;
                                office_files_free(files, n_files);
                                return 0;
                        }
                        if (r < 0) {
                                office_files_free(files, n_files);
                                return log_error_errno(r, "Aggregator: cannot begin the transaction: %m");
                        }
                        a->locked = false;
                        in_transaction = true;
                }
                offices++;
                r = aggregator_office(a, i, paths, &budget);
                if (r < 0) {
                        store_rollback(m->store);
                        office_files_free(files, n_files);
                        /* The offices of this turn are read again (from their cursors) at the next one. */
                        memset(a->signature, 0, c->aggregator.n_offices * sizeof(uint64_t));
                        return log_error_errno(r, "Aggregator: cannot take the entries of office %s: %m",
                                               c->aggregator.offices[i].id);
                }
                if (r > 0)
                        pending_sig[n_pending++] = (PendingSignature) { .office = i, .signature = sig };
                else {
                        if (remaining == 0)
                                a->next = i;
                        remaining++;
                }
        }
        if (in_transaction) {
                r = store_commit(m->store);
                if (r < 0) {
                        office_files_free(files, n_files);
                        return log_error_errno(r, "Aggregator: cannot store what the offices sent: %m");
                }
                /* Only once committed is an office's state as new as its files. */
                for (size_t k = 0; k < n_pending; k++)
                        a->signature[pending_sig[k].office] = pending_sig[k].signature;
        }
        office_files_free(files, n_files);
        if (remaining > 0)
                return 1;

        /* Caught up: only now is an office without a report one that did not send it. */
        r = aggregator_deadlines(a);
        if (r == -EBUSY)
                return 0;
        if (r < 0)
                return log_error_errno(r, "Aggregator: cannot tell the notices' deadlines: %m");
        /* 催办: the offices still missing, through the notification channels. */
        r = offices_remind(a->manager);
        if (r == -EBUSY)
                return 0;
        if (r < 0)
                return log_error_errno(r, "Aggregator: cannot remind the offices: %m");
        return 0;
}

/* journal-remote wrote or renamed a file: read it soon, batching a burst of writes into one turn. */
static int on_inotify(sd_event_source *s, const struct inotify_event *ev, void *userdata) {
        Aggregator *a = userdata;
        uint64_t next = 0, now = 0;

        if (sd_event_now(a->manager->event, CLOCK_MONOTONIC, &now) < 0 ||
            sd_event_source_get_time(a->timer, &next) < 0)
                return 0;
        if (next > now + AGGREGATE_WAKE_USEC) {
                (void) sd_event_source_set_time(a->timer, now + AGGREGATE_WAKE_USEC);
                (void) sd_event_source_set_enabled(a->timer, SD_EVENT_ONESHOT);
        }
        return 0;
}

/* Watches journal_dir (again after a reload named another one); without a watch (no directory
 * yet, no inotify) the timer alone reads on. */
static void aggregator_watch(Aggregator *a) {
        const char *dir = a->manager->config->aggregator.journal_dir;
        int r;

        if (a->watched && dir && streq(a->watched, dir))
                return;
        a->inotify = sd_event_source_disable_unref(a->inotify);
        free(a->watched);
        a->watched = NULL;
        if (!dir)
                return;
        r = sd_event_add_inotify(a->manager->event, &a->inotify, dir,
                                 IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO | IN_ONLYDIR, on_inotify, a);
        if (r < 0) {
                log_debug("Aggregator: cannot watch %s (%s); it is looked at every %u s.", dir, strerror(-r),
                          (unsigned) (AGGREGATE_INTERVAL_USEC / USEC_PER_SEC));
                return;
        }
        (void) sd_event_source_set_description(a->inotify, "aggregator-inotify");
        a->watched = strdup(dir);
}

static int on_timer(sd_event_source *s, uint64_t usec, void *userdata) {
        Aggregator *a = userdata;
        int r;

        aggregator_watch(a);
        r = aggregator_run(a);
        /* Caught up: OfficesList's answer is made again now, on the loop once per turn, rather than
         * by the first clerk who asks after new entries (api_offices_cache_warm() does nothing when
         * the answer kept is still true). */
        if (r == 0)
                api_offices_cache_warm(a->manager);
        if (sd_event_source_set_time_relative(s, r > 0 ? 0 : AGGREGATE_INTERVAL_USEC) < 0 ||
            sd_event_source_set_enabled(s, SD_EVENT_ONESHOT) < 0)
                log_error("Aggregator: cannot re-arm the timer.");
        return 0;
}

int aggregator_new(Manager *m, Aggregator **ret) {
        _cleanup_(aggregator_freep) Aggregator *a = NULL;
        struct passwd pw, *res = NULL;
        char pwbuf[1024];
        int r;

        if (!m || !m->event || !ret)
                return -EINVAL;
        a = calloc(1, sizeof(Aggregator));
        if (!a)
                return -ENOMEM;
        a->manager = m;
        /* Looked up once: the account is the package's, it does not come and go. */
        if (getpwnam_r(AGGREGATE_REMOTE_USER, &pw, pwbuf, sizeof(pwbuf), &res) == 0 && res) {
                a->remote_uid = res->pw_uid;
                a->has_remote_uid = true;
        }
        /* Always armed: a reload may make this dutyd an aggregator. */
        r = sd_event_add_time_relative(m->event, &a->timer, CLOCK_MONOTONIC, 0, AGGREGATE_ACCURACY_USEC, on_timer, a);
        if (r < 0)
                return log_error_errno(r, "Aggregator: cannot create the timer: %m");
        (void) sd_event_source_set_description(a->timer, "aggregator");
        *ret = TAKE_PTR(a);
        return 0;
}

Aggregator *aggregator_free(Aggregator *a) {
        if (!a)
                return NULL;
        sd_event_source_disable_unref(a->timer);
        sd_event_source_disable_unref(a->inotify);
        free(a->watched);
        free(a->signature);
        free(a->rejected);
        free(a->enrolled);
        for (size_t i = 0; i < a->n_warned; i++)
                free(a->warned[i]);
        free(a->warned);
        free(a);
        return NULL;
}
