/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The office configuration: libconfig in, an immutable validated Config out. The only file that
 * includes libconfig.h.
 *
 * Validation does not stop at the first problem: an administrator editing the file should see every
 * mistake at once, each with file:line and the path of the setting, so problems are collected into a
 * ConfigErrors list and the Config is only returned when that list is empty.
 *
 * The holiday notice files (format: holidays.h) are libconfig files too and are read here; the days
 * they name are merged with the local holidays by holidays.c. */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libconfig.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "check.h"
#include "config-parse.h"
#include "handover.h"
#include "holidays.h"
#include "i18n.h"
#include "rules.h"

#define CONFIG_ID_MAX 64                 /* length of person, group, post and period ids */
#define CONFIG_USER_NAME_MAX 32          /* what useradd accepts */
#define CONFIG_TIMEZONE_MAX 128
#define CONFIG_POST_COUNT_MAX 99
#define CONFIG_EXTRA_OFFICERS_MAX 99
#define CONFIG_WEIGHT_MAX 100
#define CONFIG_SPECIAL_WEIGHT_DEFAULT 2
#define CONFIG_HOLIDAY_FILES_MAX 256
#define CONFIG_ERRORS_MAX 200            /* a garbage file must not produce an unbounded report */
#define CONFIG_PATH_BUF 256              /* setting paths in messages; longer ones are truncated */
#define CONFIG_SUGGEST_LEN_MAX 32        /* setting names compared for "did you mean" */
#define CONFIG_SUGGEST_DISTANCE_MAX 2

#define CONFIG_MIN_REST_DAYS_DEFAULT 1
#define CONFIG_MIN_REST_DAYS_MAX 31
#define CONFIG_PUBLISH_DAYS_BEFORE_DEFAULT 2
#define CONFIG_HORIZON_DAYS_DEFAULT 30
#define CONFIG_SWAP_LEAD_DAYS_DEFAULT 1
#define CONFIG_DAYS_SETTING_MAX 366
#define CONFIG_PEOPLE_SETTING_MAX 1000

#define CONFIG_TIMEZONE_DEFAULT "Asia/Shanghai"
#define CONFIG_HANDOVER_DEFAULT (8 * 60 + 30)
#define CONFIG_LANGUAGE_DEFAULT "zh"
#define CONFIG_HOLIDAYS_DIR_DEFAULT "holidays.d"  /* what the package installs beside the file */
#define CONFIG_ZONEINFO_DIR "/usr/share/zoneinfo"

/* Open-addressing tables of the people read so far, by id, by user and by uid, so that a duplicate
 * is found in constant time and reported in the order of the file. A slot holds a person's index
 * plus one; 0 is free. The capacity is a power of two at least twice the number of people. */
typedef enum PersonKey {
        PERSON_KEY_ID,
        PERSON_KEY_USER,
        PERSON_KEY_UID,
        _PERSON_KEY_MAX,
        _PERSON_KEY_INVALID = -EINVAL,
} PersonKey;

typedef struct PeopleKeys {
        size_t *slots[_PERSON_KEY_MAX];
        size_t capacity;
} PeopleKeys;

static void people_keys_done(PeopleKeys *k) {
        for (PersonKey key = 0; key < _PERSON_KEY_MAX; key++)
                free(k->slots[key]);
        *k = (PeopleKeys) {};
}

static int people_keys_init(PeopleKeys *k, size_t n) {
        size_t capacity = 16;

        while (capacity < 2 * n)
                capacity *= 2;
        for (PersonKey key = 0; key < _PERSON_KEY_MAX; key++) {
                k->slots[key] = calloc(capacity, sizeof(size_t));
                if (!k->slots[key]) {
                        people_keys_done(k);
                        return -ENOMEM;
                }
        }
        k->capacity = capacity;
        return 0;
}

static uint64_t hash_string(const char *s) {
        uint64_t h = UINT64_C(14695981039346656037);  /* FNV-1a */

        for (; *s; s++)
                h = (h ^ (unsigned char) *s) * UINT64_C(1099511628211);
        return h;
}

static bool person_has_key(const Person *x, PersonKey key) {
        switch (key) {
        case PERSON_KEY_ID:
                return x->id != NULL;
        case PERSON_KEY_USER:
                return x->user != NULL;
        case PERSON_KEY_UID:
                return x->has_uid;
        case _PERSON_KEY_MAX:
        case _PERSON_KEY_INVALID:
                break;
        }
        return false;
}

static bool person_same_key(const Person *x, const Person *y, PersonKey key) {
        switch (key) {
        case PERSON_KEY_ID:
                return streq(x->id, y->id);
        case PERSON_KEY_USER:
                return streq(x->user, y->user);
        case PERSON_KEY_UID:
                return x->uid == y->uid;
        case _PERSON_KEY_MAX:
        case _PERSON_KEY_INVALID:
                break;
        }
        return false;
}

/* Records people[index] under `key`; returns the index of the first person with the same key, or
 * -1 if it is the first (or has no such key, or the tables could not be made). */
static ssize_t people_keys_claim(PeopleKeys *k, const Person *people, size_t index, PersonKey key) {
        const Person *x = &people[index];
        size_t mask = k->capacity - 1, i;
        uint64_t h;

        if (k->capacity == 0 || !person_has_key(x, key))
                return -1;
        h = key == PERSON_KEY_UID ? (uint64_t) x->uid * UINT64_C(0x9E3779B97F4A7C15)
                                  : hash_string(key == PERSON_KEY_ID ? x->id : x->user);
        for (i = (size_t) h & mask; k->slots[key][i] != 0; i = (i + 1) & mask)
                if (person_same_key(&people[k->slots[key][i] - 1], x, key))
                        return (ssize_t) (k->slots[key][i] - 1);
        k->slots[key][i] = index + 1;
        return -1;
}

/* Parsing state. Out-of-memory is sticky rather than propagated through every validator, so that the
 * validators can stay simple; config_load() checks it once at the end. */
typedef struct Parser {
        ConfigErrors errors;
        ConfigErrors warnings;
        const char *file;  /* the file being read, for settings that carry no file name */
        const char *dir;   /* where @include looks; libconfig records included files as written */
        PeopleKeys keys;   /* while the people are read: who holds which id, user and uid */
        const char *text;  /* the text of `file` when it is parsed from memory, else NULL */
        bool oom;
        bool truncated;
} Parser;

/* The name of an included file as the administrator can find it. */
static char *file_display(const Parser *p, const char *file) {
        char *s;

        if (isempty(file))
                return strdup("");
        if (file[0] == '/' || !p->dir || (p->file && streq(file, p->file)))
                return strdup(file);
        if (asprintf(&s, "%s/%s", p->dir, file) < 0)
                return NULL;
        return s;
}

static void parser_add(Parser *p, const char *file, int line, const char *setting, char *message) {
        ConfigError *items, *x;

        if (!message) {
                p->oom = true;
                return;
        }
        if (p->truncated) {
                free(message);
                return;
        }
        /* Messages quote values from the file; keep the report one error per line. */
        for (char *c = message; *c; c++)
                if ((unsigned char) *c < ' ')
                        *c = ' ';
        if (p->errors.n >= CONFIG_ERRORS_MAX) {
                free(message);
                message = strdup("too many errors, giving up on reporting the rest");
                setting = NULL;
                line = 0;
                p->truncated = true;
                if (!message) {
                        p->oom = true;
                        return;
                }
        }

        items = reallocarray(p->errors.items, p->errors.n + 1, sizeof(ConfigError));
        if (!items) {
                free(message);
                p->oom = true;
                return;
        }
        p->errors.items = items;
        x = &items[p->errors.n];
        *x = (ConfigError) {
                .file = file_display(p, file),
                .line = line,
                .setting = setting ? strdup(setting) : NULL,
                .message = message,
        };
        if (!x->file || (setting && !x->setting)) {
                free(x->file);
                free(x->setting);
                free(x->message);
                p->oom = true;
                return;
        }
        p->errors.n++;
}

static const char *setting_file(const Parser *p, const config_setting_t *s) {
        const char *f = s ? config_setting_source_file(s) : NULL;

        return f ?: p->file;
}

static int setting_line(const config_setting_t *s) {
        return s ? (int) config_setting_source_line(s) : 0;
}

/* The message in the administrator's language; NULL when out of memory. */
_printf_(1, 0)
static char *message_vformat(const char *fmt, va_list ap) {
        char *message;

        if (vasprintf(&message, _(fmt), ap) < 0)
                return NULL;
        return message;
}

/* Warnings are few (one per person at most, and the calendar's), so they are not capped. */
_printf_(4, 5)
static void parser_warning(Parser *p, const config_setting_t *s, const char *setting, const char *fmt, ...) {
        char *message;
        va_list ap;

        va_start(ap, fmt);
        message = message_vformat(fmt, ap);
        va_end(ap);
        if (config_errors_add(&p->warnings, file_display(p, setting_file(p, s)), setting_line(s), setting, message,
                              true) < 0)
                p->oom = true;
}

_printf_(4, 5)
static void parser_error(Parser *p, const config_setting_t *s, const char *setting, const char *fmt, ...) {
        char *message;
        va_list ap;

        /* Every call's format is extracted for translation (po/meson.build names this function). */
        va_start(ap, fmt);
        message = message_vformat(fmt, ap);
        va_end(ap);
        parser_add(p, setting_file(p, s), setting_line(s), setting, message);
}

static char *parser_strdup(Parser *p, const char *s) {
        char *copy;

        if (!s)
                return NULL;
        copy = strdup(s);
        if (!copy)
                p->oom = true;
        return copy;
}

static const char *path_join(char buf[static CONFIG_PATH_BUF], const char *parent, const char *key) {
        int n;

        /* A path too long for the buffer is cut: it only serves messages. */
        if (isempty(parent))
                n = snprintf(buf, CONFIG_PATH_BUF, "%s", key);
        else
                n = snprintf(buf, CONFIG_PATH_BUF, "%s.%s", parent, key);
        if (n < 0)
                buf[0] = '\0';
        return buf;
}

/* ---- typed access ---- */

typedef enum Kind {
        KIND_STRING,
        KIND_INT,
        KIND_GROUP,
        KIND_LIST,     /* a list ( … ) of groups */
        KIND_STRINGS,  /* an array [ … ] or list ( … ) of strings; elements are checked one by one */
        _KIND_MAX,
        _KIND_INVALID = -EINVAL,
} Kind;

static const char *kind_describe(Kind k) {
        switch (k) {
        case KIND_STRING:
                return "a string";
        case KIND_INT:
                return "an integer";
        case KIND_GROUP:
                return "a group { … }";
        case KIND_LIST:
                return "a list ( … )";
        case KIND_STRINGS:
                return "an array [ \"…\", … ]";
        case _KIND_MAX:
        case _KIND_INVALID:
                break;
        }
        return "?";
}

static const char *type_describe(const config_setting_t *s) {
        switch (config_setting_type(s)) {
        case CONFIG_TYPE_GROUP:
                return "a group";
        case CONFIG_TYPE_INT:
        case CONFIG_TYPE_INT64:
                return "an integer";
        case CONFIG_TYPE_FLOAT:
                return "a number with a fraction";
        case CONFIG_TYPE_STRING:
                return "a string";
        case CONFIG_TYPE_BOOL:
                return "a boolean";
        case CONFIG_TYPE_ARRAY:
                return "an array";
        case CONFIG_TYPE_LIST:
                return "a list";
        default:
                return "something else";
        }
}

static bool kind_matches(const config_setting_t *s, Kind k) {
        int t = config_setting_type(s);

        switch (k) {
        case KIND_STRING:
                return t == CONFIG_TYPE_STRING;
        case KIND_INT:
                return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64;
        case KIND_GROUP:
                return t == CONFIG_TYPE_GROUP;
        case KIND_LIST:
                /* "[ ]" is how many people write an empty list. */
                return t == CONFIG_TYPE_LIST || (t == CONFIG_TYPE_ARRAY && config_setting_length(s) == 0);
        case KIND_STRINGS:
                return t == CONFIG_TYPE_ARRAY || t == CONFIG_TYPE_LIST;
        case _KIND_MAX:
        case _KIND_INVALID:
                break;
        }
        return false;
}

/* The member `key` of group g if present and of the right kind. A missing required member or one
 * of the wrong kind is recorded as an error and NULL returned. */
static config_setting_t *lookup(Parser *p, const config_setting_t *g, const char *path, const char *key,
                                Kind kind, bool required) {
        char buf[CONFIG_PATH_BUF];
        config_setting_t *s;

        s = config_setting_get_member(g, key);
        if (!s) {
                if (required)
                        parser_error(p, g, path_join(buf, path, key), "required setting is missing");
                return NULL;
        }
        if (!kind_matches(s, kind)) {
                parser_error(p, s, path_join(buf, path, key), "expected %s, got %s",
                             kind_describe(kind), type_describe(s));
                return NULL;
        }
        return s;
}

static const char *get_string(Parser *p, const config_setting_t *g, const char *path, const char *key,
                              bool required) {
        char buf[CONFIG_PATH_BUF];
        config_setting_t *s;
        const char *v;

        s = lookup(p, g, path, key, KIND_STRING, required);
        if (!s)
                return NULL;
        v = config_setting_get_string(s);
        if (isempty(v)) {
                parser_error(p, s, path_join(buf, path, key), "must not be empty");
                return NULL;
        }
        return v;
}

/* Returns true and sets *ret if the integer is present and in range. */
static bool get_int(Parser *p, const config_setting_t *g, const char *path, const char *key,
                    long long min, long long max, bool required, long long *ret) {
        char buf[CONFIG_PATH_BUF];
        config_setting_t *s;
        long long v;

        s = lookup(p, g, path, key, KIND_INT, required);
        if (!s)
                return false;
        v = config_setting_get_int64(s);
        if (v < min || v > max) {
                parser_error(p, s, path_join(buf, path, key), "%lld is out of range %lld…%lld", v, min, max);
                return false;
        }
        *ret = v;
        return true;
}

static bool check_day_string(Parser *p, const config_setting_t *s, const char *setting, const char *v,
                             Day *ret) {
        /* The length check first: day_parse() looks at fixed offsets and expects at least 10 bytes. */
        if (strlen(v) != DAY_STRING_MAX - 1 || day_parse(v, ret) < 0) {
                parser_error(p, s, setting, "invalid date \"%s\", expected YYYY-MM-DD", v);
                return false;
        }
        return true;
}

static bool get_day(Parser *p, const config_setting_t *g, const char *path, const char *key, bool required,
                    Day *ret) {
        char buf[CONFIG_PATH_BUF];
        config_setting_t *s;

        s = lookup(p, g, path, key, KIND_STRING, required);
        if (!s)
                return false;
        return check_day_string(p, s, path_join(buf, path, key), config_setting_get_string(s), ret);
}

/* An element of a string array, or NULL (with an error) if it is not a string. */
static const char *element_string(Parser *p, const config_setting_t *e, const char *setting) {
        const char *v;

        if (config_setting_type(e) != CONFIG_TYPE_STRING) {
                parser_error(p, e, setting, "expected a string element, got %s", type_describe(e));
                return NULL;
        }
        v = config_setting_get_string(e);
        if (isempty(v)) {
                parser_error(p, e, setting, "empty string element");
                return NULL;
        }
        return v;
}

/* A list of non-empty strings as a NULL-terminated strv (NULL when absent or empty). */
static char **get_strv(Parser *p, const config_setting_t *g, const char *path, const char *key) {
        char buf[CONFIG_PATH_BUF], elem[CONFIG_PATH_BUF];
        const config_setting_t *list;
        char **l;
        int n;

        list = lookup(p, g, path, key, KIND_STRINGS, false);
        if (!list)
                return NULL;
        n = config_setting_length(list);
        if (n <= 0)
                return NULL;
        l = calloc((size_t) n + 1, sizeof(char *));
        if (!l) {
                p->oom = true;
                return NULL;
        }
        for (int i = 0, j = 0; i < n; i++) {
                const char *v;

                (void) snprintf(elem, sizeof(elem), "%s.[%d]", path_join(buf, path, key), i);
                v = element_string(p, config_setting_get_elem(list, (unsigned) i), elem);
                if (v)
                        l[j++] = parser_strdup(p, v);
        }
        return l;
}

static unsigned edit_distance(const char *a, const char *b) {
        unsigned row[2][CONFIG_SUGGEST_LEN_MAX + 1];
        size_t la = strlen(a), lb = strlen(b);

        if (la > CONFIG_SUGGEST_LEN_MAX || lb > CONFIG_SUGGEST_LEN_MAX)
                return UINT_MAX;
        for (size_t j = 0; j <= lb; j++)
                row[0][j] = j;
        for (size_t i = 1; i <= la; i++) {
                unsigned *cur = row[i & 1], *prev = row[(i - 1) & 1];

                cur[0] = i;
                for (size_t j = 1; j <= lb; j++) {
                        unsigned best = prev[j - 1] + (a[i - 1] != b[j - 1]);

                        if (prev[j] + 1 < best)
                                best = prev[j] + 1;
                        if (cur[j - 1] + 1 < best)
                                best = cur[j - 1] + 1;
                        cur[j] = best;
                }
        }
        return row[la & 1][lb];
}

/* Typos in setting names would otherwise be silently ignored, so every member must be known. */
static void check_keys(Parser *p, const config_setting_t *g, const char *path, const char *const *allowed) {
        int n = config_setting_length(g);

        for (int i = 0; i < n; i++) {
                const config_setting_t *s = config_setting_get_elem(g, i);
                const char *name = config_setting_name(s), *suggestion = NULL;
                unsigned best = CONFIG_SUGGEST_DISTANCE_MAX + 1;
                char buf[CONFIG_PATH_BUF];
                bool found = false;

                if (!name)
                        continue;
                for (const char *const *a = allowed; *a; a++) {
                        unsigned d;

                        if (streq(*a, name)) {
                                found = true;
                                break;
                        }
                        d = edit_distance(*a, name);
                        if (d < best) {
                                best = d;
                                suggestion = *a;
                        }
                }
                if (found)
                        continue;
                if (suggestion)
                        parser_error(p, s, path_join(buf, path, name), "unknown setting (did you mean \"%s\"?)",
                                     suggestion);
                else
                        parser_error(p, s, path_join(buf, path, name), "unknown setting");
        }
}

/* ---- value checks ---- */

static bool id_is_valid(const char *s) {
        size_t n = 0;

        if (isempty(s))
                return false;
        for (; s[n]; n++)
                if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '_' || s[n] == '-'))
                        return false;
        return n <= CONFIG_ID_MAX;
}

static bool user_name_is_valid(const char *s) {
        size_t n = strlen(s);

        if (n == 0 || n > CONFIG_USER_NAME_MAX)
                return false;
        if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '_'))
                return false;
        for (size_t i = 1; i < n; i++) {
                char c = s[i];

                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || c == '.')
                        continue;
                if (c == '$' && i == n - 1) /* Samba machine accounts */
                        continue;
                return false;
        }
        return true;
}

/* Reads an id member: required, [a-z0-9_-]+. */
static const char *get_id(Parser *p, const config_setting_t *g, const char *path) {
        char buf[CONFIG_PATH_BUF];
        const char *id;

        id = get_string(p, g, path, "id", true);
        if (id && !id_is_valid(id)) {
                parser_error(p, config_setting_get_member(g, "id"), path_join(buf, path, "id"),
                             "invalid id \"%s\": use 1…%d characters of a-z, 0-9, _ and -", id, CONFIG_ID_MAX);
                return NULL;
        }
        return id;
}

/* A readable path for element i of a list of groups: "people.wangjg" if it has a usable id (or
 * name), else "people.[3]". */
static const char *element_path(char buf[static CONFIG_PATH_BUF], const char *list, const config_setting_t *e,
                                const char *key, unsigned i) {
        const config_setting_t *s = config_setting_get_member(e, key);
        const char *v = s && config_setting_type(s) == CONFIG_TYPE_STRING ? config_setting_get_string(s) : NULL;

        if (!isempty(v) && !strpbrk(v, ". \t\n"))
                snprintf(buf, CONFIG_PATH_BUF, "%s.%s", list, v);
        else
                snprintf(buf, CONFIG_PATH_BUF, "%s.[%u]", list, i);
        return buf;
}

static bool element_is_group(Parser *p, const config_setting_t *e, const char *path) {
        if (config_setting_type(e) == CONFIG_TYPE_GROUP)
                return true;
        parser_error(p, e, path, "expected a group { … }, got %s", type_describe(e));
        return false;
}

static int timezone_check(const char *tz) {
        char buf[PATH_MAX];
        const char *dir;
        struct stat st;

        if (strlen(tz) > CONFIG_TIMEZONE_MAX || tz[0] == '/' || strstr(tz, ".."))
                return -EINVAL;
        for (const char *c = tz; *c; c++)
                if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
                      strchr("/_+-.", *c)))
                        return -EINVAL;

        /* Follow the C library: TZDIR overrides the compiled-in database location. */
        dir = getenv("TZDIR");
        if (isempty(dir) || dir[0] != '/')
                dir = CONFIG_ZONEINFO_DIR;
        if (snprintf(buf, sizeof(buf), "%s/%s", dir, tz) >= (int) sizeof(buf))
                return -ENAMETOOLONG;
        if (stat(buf, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode))
                return -EISDIR;
        return 0;
}

/* ---- the main file ---- */

static const char *const top_keys[] = {
        "office", "timezone", "handover", "takeover_minutes", "socket_group", "socket", "state_dir", "language", "holidays_dir",
        "people", "groups", "posts", "local_holidays", "special_days", "sensitive_periods",
        "roster", "swap", "leave", "office_phone", "print", "ics", "feeds", "presence", "duty_log", "aggregator",
        "office_id", "superior", "notify", NULL,
};
static const char *const aggregator_keys[] = { "journal_dir", "enrolled_dir", "offices", "remind_before", NULL };
static const char *const aggregator_office_keys[] = { "id", "name", "phone", "email", "notify", NULL };
static const char *const notice_report_keys[] = { "holiday", "deadline", NULL };
static const char *const superior_keys[] = { "report_groups", "holiday_rosters", NULL };

static const char *const roster_keys[] = { "min_rest_days", "publish_days_before", "horizon_days", NULL };
static const char *const swap_keys[] = { "lead_days", "approver", NULL };
static const char *const presence_keys[] = { "windows", "answer_minutes", NULL };
static const char *const duty_log_keys[] = {
        "phone_report_minutes", "written_report_minutes", "followup_report_minutes", "daily_report", "daily_report_time", NULL,
};
static const char *const leave_keys[] = {
        "never_together", "min_leaders_present", "notice_working_days", "notice_min_days",
        "urgent_paperwork_days", "require_acting", "acting_groups", "tiers", "approvers", NULL,
};
static const char *const tier_keys[] = { "max_days", "approver", NULL };
static const char *const approver_keys[] = { "who", "approver", "stand_in", "reports_to", NULL };

static const char *const person_keys[] = {
        "id", "name", "title", "phone", "user", "uid", "roles", "active_from", "active_until",
        "notify", "email", "language", "notify_mention", NULL,
};
static const char *const notify_keys[] = {
        "channels", "default_channels", "reminder_time", "max_attempts", "max_in_flight",
        "soon_minutes", "summary", "alerts", NULL,
};
static const char *const notify_summary_keys[] = { "time", "weekly", "to", NULL };
static const char *const notify_channel_keys[] = {
        "name", "type", "url", "template", "command", "timeout", "from", "username", "password_file", "starttls",
        "ca_file", NULL,
};

static const char *const group_keys[] = { "id", "name", "members", NULL };
static const char *const post_keys[] = { "id", "name", "role", "group", "count", NULL };
static const char *const count_keys[] = { "workday", "weekend", "holiday", "sensitive", NULL };
static const char *const local_holiday_keys[] = { "date", "name", NULL };
static const char *const special_day_keys[] = { "date", "name", "weight", NULL };
static const char *const sensitive_keys[] = { "id", "name", "from", "to", "extra_officers", "leave", NULL };
static const char *const notice_keys[] = { "year", "source", "holidays", "reports", NULL };
static const char *const notice_holiday_keys[] = { "name", "off", "work", NULL };

static void mention_add(Parser *p, HolidayMentions *pending, const char *file, int line, const char *setting,
                        Day day, bool off, bool local, const char *name) {
        if (holiday_mentions_add(pending, file, line, setting, day, off, local, name) < 0)
                p->oom = true;
}

static void parse_roles(Parser *p, const config_setting_t *g, const char *path, Person *person) {
        char buf[CONFIG_PATH_BUF];
        config_setting_t *roles;
        int n;

        roles = lookup(p, g, path, "roles", KIND_STRINGS, false);
        if (!roles)
                return;
        path_join(buf, path, "roles");
        n = config_setting_length(roles);
        for (int i = 0; i < n; i++) {
                const config_setting_t *e = config_setting_get_elem(roles, i);
                const char *v = element_string(p, e, buf);
                Role r;

                if (!v)
                        continue;
                r = role_from_string(v);
                if (r < 0) {
                        parser_error(p, e, buf, "unknown role \"%s\" (known: leader, officer, approver, admin, inspector)", v);
                        continue;
                }
                person->roles |= ROLE_BIT(r);
        }
}

static void parse_person(Parser *p, Config *c, const config_setting_t *g, const char *path) {
        size_t index = c->n_people++;
        Person *person = &c->people[index];
        ssize_t o;
        char buf[CONFIG_PATH_BUF];
        const char *v;
        long long uid;

        *person = (Person) {
                .active_from = DAY_NONE,
                .active_until = DAY_NONE,
                .line = setting_line(g),
        };
        check_keys(p, g, path, person_keys);

        person->id = parser_strdup(p, get_id(p, g, path));
        person->name = parser_strdup(p, get_string(p, g, path, "name", true));
        person->title = parser_strdup(p, get_string(p, g, path, "title", false));
        person->phone = parser_strdup(p, get_string(p, g, path, "phone", false));
        person->email = parser_strdup(p, get_string(p, g, path, "email", false));
        v = get_string(p, g, path, "language", false);
        if (v && !streq(v, "zh") && !streq(v, "en"))
                parser_error(p, config_setting_get_member(g, "language"), path_join(buf, path, "language"),
                             "unknown language \"%s\" (known: zh, en)", v);
        else
                person->language = parser_strdup(p, v);
        /* Checked against the channels once the notify section is read (parse_notify_section()). */
        person->notify = get_strv(p, g, path, "notify");
        v = get_string(p, g, path, "notify_mention", false);
        /* Quoted into a robot's JSON as one user id: no separators, no control characters. */
        if (v && (isempty(v) || strlen(v) > 64 || strpbrk(v, " ,;\t\r\n\"")))
                parser_error(p, config_setting_get_member(g, "notify_mention"), path_join(buf, path, "notify_mention"),
                             "\"%s\" is not a robot user id (up to 64 characters, no spaces or commas)", v);
        else
                person->notify_mention = parser_strdup(p, v);

        v = get_string(p, g, path, "user", false);
        if (v && !user_name_is_valid(v))
                parser_error(p, config_setting_get_member(g, "user"), path_join(buf, path, "user"),
                             "invalid user name \"%s\"", v);
        else
                person->user = parser_strdup(p, v);

        /* (uid_t) -1 means "no change" to chown() and friends, never a real user. */
        if (get_int(p, g, path, "uid", 0, (long long) UINT32_MAX - 1, false, &uid)) {
                person->uid = (uid_t) uid;
                person->has_uid = true;
        }

        parse_roles(p, g, path, person);
        /* Loads, but such a person is never put on duty nor approves anything: usually a role forgotten. */
        if (person->roles == 0 && person->id)
                parser_warning(p, config_setting_get_member(g, "roles") ?: g, path_join(buf, path, "roles"),
                               "\"%s\" has no role, so is never put on duty and approves nothing; give roles = "
                               "[ \"officer\" ] (or leader, approver, admin) unless that is meant",
                               person->id);

        get_day(p, g, path, "active_from", false, &person->active_from);
        get_day(p, g, path, "active_until", false, &person->active_until);
        if (person->active_from != DAY_NONE && person->active_until != DAY_NONE &&
            person->active_from > person->active_until)
                parser_error(p, config_setting_get_member(g, "active_until"), path_join(buf, path, "active_until"),
                             "active_until is before active_from");

        o = people_keys_claim(&p->keys, c->people, index, PERSON_KEY_ID);
        if (o >= 0)
                parser_error(p, config_setting_get_member(g, "id"), path_join(buf, path, "id"),
                             "duplicate person id \"%s\" (first defined on line %d)", person->id,
                             c->people[o].line);
        o = people_keys_claim(&p->keys, c->people, index, PERSON_KEY_USER);
        if (o >= 0)
                parser_error(p, config_setting_get_member(g, "user"), path_join(buf, path, "user"),
                             "user \"%s\" is also given to person \"%s\"", person->user, strna(c->people[o].id));
        o = people_keys_claim(&p->keys, c->people, index, PERSON_KEY_UID);
        if (o >= 0)
                parser_error(p, config_setting_get_member(g, "uid"), path_join(buf, path, "uid"),
                             "uid %u is also given to person \"%s\"", (unsigned) person->uid,
                             strna(c->people[o].id));
}

static ssize_t person_index(const Config *c, const char *id) {
        return config_person_index(c, id);
}

static void parse_group(Parser *p, Config *c, const config_setting_t *g, const char *path) {
        Group *group = &c->groups[c->n_groups++];
        char buf[CONFIG_PATH_BUF];
        config_setting_t *members;
        int n;

        *group = (Group) { .line = setting_line(g) };
        check_keys(p, g, path, group_keys);

        group->id = parser_strdup(p, get_id(p, g, path));
        group->name = parser_strdup(p, get_string(p, g, path, "name", false));
        /* Approver rules and posts name groups and roles in the same place: one name, one meaning. */
        if (group->id && role_from_string(group->id) >= 0)
                parser_error(p, config_setting_get_member(g, "id"), path_join(buf, path, "id"),
                             "group id \"%s\" is the name of a role; give the group another id, e.g. \"%s_group\"",
                             group->id, group->id);

        for (size_t i = 0; i + 1 < c->n_groups; i++)
                if (group->id && c->groups[i].id && streq(group->id, c->groups[i].id))
                        parser_error(p, config_setting_get_member(g, "id"), path_join(buf, path, "id"),
                                     "duplicate group id \"%s\" (first defined on line %d)", group->id,
                                     c->groups[i].line);

        members = lookup(p, g, path, "members", KIND_STRINGS, true);
        if (!members)
                return;
        path_join(buf, path, "members");
        n = config_setting_length(members);
        if (n == 0) {
                parser_error(p, members, buf, "a group needs at least one member");
                return;
        }
        group->members = calloc(n, sizeof(size_t));
        if (!group->members) {
                p->oom = true;
                return;
        }
        for (int i = 0; i < n; i++) {
                const config_setting_t *e = config_setting_get_elem(members, i);
                const char *v = element_string(p, e, buf);
                ssize_t k;
                bool dup = false;

                if (!v)
                        continue;
                k = person_index(c, v);
                if (k < 0) {
                        parser_error(p, e, buf, "unknown person \"%s\"", v);
                        continue;
                }
                for (size_t j = 0; j < group->n_members; j++)
                        dup = dup || group->members[j] == (size_t) k;
                if (dup) {
                        parser_error(p, e, buf, "person \"%s\" is listed twice", v);
                        continue;
                }
                group->members[group->n_members++] = (size_t) k;
        }
}

static void parse_post(Parser *p, Config *c, const config_setting_t *g, const char *path) {
        Post *post = &c->posts[c->n_posts++];
        bool have[_POST_DAY_MAX] = {};
        char buf[CONFIG_PATH_BUF];
        config_setting_t *count;
        const char *v;

        *post = (Post) { .role = _ROLE_INVALID, .line = setting_line(g) };
        check_keys(p, g, path, post_keys);

        post->id = parser_strdup(p, get_id(p, g, path));
        post->name = parser_strdup(p, get_string(p, g, path, "name", true));

        v = get_string(p, g, path, "role", true);
        if (v) {
                post->role = role_from_string(v);
                if (post->role < 0)
                        parser_error(p, config_setting_get_member(g, "role"), path_join(buf, path, "role"),
                                     "unknown role \"%s\" (known: leader, officer, approver, admin, inspector)", v);
        }

        v = get_string(p, g, path, "group", false);
        if (v && !config_find_group(c, v))
                parser_error(p, config_setting_get_member(g, "group"), path_join(buf, path, "group"),
                             "unknown group \"%s\" (a post names a group of groups = ( … ))", v);
        else
                post->group = parser_strdup(p, v);

        for (size_t i = 0; i + 1 < c->n_posts; i++)
                if (post->id && c->posts[i].id && streq(post->id, c->posts[i].id))
                        parser_error(p, config_setting_get_member(g, "id"), path_join(buf, path, "id"),
                                     "duplicate post id \"%s\" (first defined on line %d)", post->id,
                                     c->posts[i].line);

        count = lookup(p, g, path, "count", KIND_GROUP, false);
        if (count) {
                path_join(buf, path, "count");
                check_keys(p, count, buf, count_keys);
                for (PostDayType t = 0; t < _POST_DAY_MAX; t++) {
                        long long x;

                        if (get_int(p, count, buf, post_day_type_to_string(t), 0, CONFIG_POST_COUNT_MAX, false, &x)) {
                                post->count[t] = (unsigned) x;
                                have[t] = true;
                        }
                }
        }

        /* Each day type falls back on the next more ordinary one. */
        if (!have[POST_DAY_WORKDAY])
                post->count[POST_DAY_WORKDAY] = 1;
        if (!have[POST_DAY_WEEKEND])
                post->count[POST_DAY_WEEKEND] = post->count[POST_DAY_WORKDAY];
        if (!have[POST_DAY_HOLIDAY])
                post->count[POST_DAY_HOLIDAY] = post->count[POST_DAY_WEEKEND];
        if (!have[POST_DAY_SENSITIVE])
                post->count[POST_DAY_SENSITIVE] = post->count[POST_DAY_WORKDAY] > post->count[POST_DAY_HOLIDAY] ?
                        post->count[POST_DAY_WORKDAY] : post->count[POST_DAY_HOLIDAY];
}

static void parse_local_holiday(Parser *p, HolidayMentions *pending, const config_setting_t *g, const char *path) {
        config_setting_t *date;
        const char *name;
        Day d;

        check_keys(p, g, path, local_holiday_keys);
        name = get_string(p, g, path, "name", true);
        if (!get_day(p, g, path, "date", true, &d))
                return;
        date = config_setting_get_member(g, "date");
        mention_add(p, pending, setting_file(p, date), setting_line(date), path, d, true, true, name ?: "");
}

static void parse_special_day(Parser *p, Config *c, const config_setting_t *g, const char *path) {
        SpecialDay *sd = &c->special_days[c->n_special_days];
        long long weight = CONFIG_SPECIAL_WEIGHT_DEFAULT;
        char buf[CONFIG_PATH_BUF];
        Day d;

        check_keys(p, g, path, special_day_keys);
        if (!get_day(p, g, path, "date", true, &d))
                return;
        (void) get_int(p, g, path, "weight", 1, CONFIG_WEIGHT_MAX, false, &weight);

        for (size_t i = 0; i < c->n_special_days; i++)
                if (c->special_days[i].day == d) {
                        char s[DAY_STRING_MAX];

                        parser_error(p, config_setting_get_member(g, "date"), path_join(buf, path, "date"),
                                     "special day %s is listed twice", day_format(d, s));
                        return;
                }

        *sd = (SpecialDay) {
                .day = d,
                .name = parser_strdup(p, get_string(p, g, path, "name", true)),
                .weight = (unsigned) weight,
        };
        c->n_special_days++;
}

static void parse_sensitive(Parser *p, Config *c, const config_setting_t *g, const char *path) {
        SensitivePeriod *sp = &c->sensitive[c->n_sensitive++];
        long long extra = 0;
        char buf[CONFIG_PATH_BUF];
        const char *v;

        *sp = (SensitivePeriod) {
                .from = DAY_NONE,
                .to = DAY_NONE,
                /* A sensitive period exists to keep leaders in town, so the default restricts leave. */
                .leave = LEAVE_POLICY_ESCALATE,
        };
        check_keys(p, g, path, sensitive_keys);

        sp->id = parser_strdup(p, get_id(p, g, path));
        sp->name = parser_strdup(p, get_string(p, g, path, "name", true));
        (void) get_day(p, g, path, "from", true, &sp->from);
        (void) get_day(p, g, path, "to", true, &sp->to);
        if (sp->from != DAY_NONE && sp->to != DAY_NONE && sp->from > sp->to)
                parser_error(p, config_setting_get_member(g, "to"), path_join(buf, path, "to"),
                             "the period ends before it starts");
        if (get_int(p, g, path, "extra_officers", 0, CONFIG_EXTRA_OFFICERS_MAX, false, &extra))
                sp->extra_officers = (unsigned) extra;

        v = get_string(p, g, path, "leave", false);
        if (v) {
                LeavePolicy lp = leave_policy_from_string(v);

                if (lp < 0)
                        parser_error(p, config_setting_get_member(g, "leave"), path_join(buf, path, "leave"),
                                     "unknown leave policy \"%s\" (known: normal, freeze, escalate)", v);
                else
                        sp->leave = lp;
        }

        for (size_t i = 0; i + 1 < c->n_sensitive; i++)
                if (sp->id && c->sensitive[i].id && streq(sp->id, c->sensitive[i].id))
                        parser_error(p, config_setting_get_member(g, "id"), path_join(buf, path, "id"),
                                     "duplicate sensitive period id \"%s\"", sp->id);
}

typedef void (*ElementParser)(Parser *p, Config *c, const config_setting_t *g, const char *path);

/* The list `key` of group g (at path) if present and not empty. */
static const config_setting_t *list_get(Parser *p, const config_setting_t *g, const char *path,
                                        const char *key, bool required) {
        config_setting_t *list;

        list = lookup(p, g, path, key, KIND_LIST, required);
        if (!list || config_setting_length(list) == 0)
                return NULL;
        return list;
}

static void list_parse(Parser *p, Config *c, const config_setting_t *list, const char *key, const char *id_key,
                       ElementParser parse) {
        int n = config_setting_length(list);

        for (int i = 0; i < n; i++) {
                const config_setting_t *e = config_setting_get_elem(list, i);
                char path[CONFIG_PATH_BUF];

                element_path(path, key, e, id_key, i);
                if (element_is_group(p, e, path))
                        parse(p, c, e, path);
        }
}

/* Each parser below allocates one slot per element up front, so the element parsers can index the
 * array and compare with the elements before them. */

/* list_get(), and *ret_array with room for each element of the list; NULL if there is no list or no
 * memory for it. */
static const config_setting_t *list_get_array(Parser *p, const config_setting_t *g, const char *path,
                                              const char *key, bool required, size_t size, void **ret_array) {
        const config_setting_t *list = list_get(p, g, path, key, required);

        if (!list)
                return NULL;
        *ret_array = calloc(config_setting_length(list), size);
        if (!*ret_array) {
                p->oom = true;
                return NULL;
        }
        return list;
}

static void parse_people(Parser *p, Config *c, const config_setting_t *root) {
        const config_setting_t *list = list_get_array(p, root, NULL, "people", true, sizeof(Person),
                                                      (void **) &c->people);

        if (!list)
                return;
        if (people_keys_init(&p->keys, (size_t) config_setting_length(list)) < 0) {
                p->oom = true;
                return;
        }
        list_parse(p, c, list, "people", "id", parse_person);
        people_keys_done(&p->keys);
        if (config_index_people(c) < 0)
                p->oom = true;
}

static void parse_groups(Parser *p, Config *c, const config_setting_t *root) {
        const config_setting_t *list = list_get_array(p, root, NULL, "groups", false, sizeof(Group),
                                                      (void **) &c->groups);

        if (list)
                list_parse(p, c, list, "groups", "id", parse_group);
}

static void parse_posts(Parser *p, Config *c, const config_setting_t *root) {
        const config_setting_t *list = list_get_array(p, root, NULL, "posts", true, sizeof(Post),
                                                      (void **) &c->posts);

        if (list)
                list_parse(p, c, list, "posts", "id", parse_post);
}

static void parse_special_days(Parser *p, Config *c, const config_setting_t *root) {
        const config_setting_t *list = list_get_array(p, root, NULL, "special_days", false,
                                                      sizeof(SpecialDay), (void **) &c->special_days);

        if (list)
                list_parse(p, c, list, "special_days", "date", parse_special_day);
}

static void parse_sensitive_periods(Parser *p, Config *c, const config_setting_t *root) {
        const config_setting_t *list = list_get_array(p, root, NULL, "sensitive_periods", false,
                                                      sizeof(SensitivePeriod), (void **) &c->sensitive);

        if (list)
                list_parse(p, c, list, "sensitive_periods", "id", parse_sensitive);
}

static void parse_local_holidays(Parser *p, HolidayMentions *pending, const config_setting_t *root) {
        config_setting_t *list;
        int n;

        list = lookup(p, root, NULL, "local_holidays", KIND_LIST, false);
        if (!list)
                return;
        n = config_setting_length(list);
        for (int i = 0; i < n; i++) {
                const config_setting_t *e = config_setting_get_elem(list, i);
                char path[CONFIG_PATH_BUF];

                element_path(path, "local_holidays", e, "date", i);
                if (element_is_group(p, e, path))
                        parse_local_holiday(p, pending, e, path);
        }
}

static void parse_settings(Parser *p, Config *c, const config_setting_t *root) {
        config_setting_t *s;
        const char *v;

        check_keys(p, root, NULL, top_keys);

        c->office = parser_strdup(p, get_string(p, root, NULL, "office", false));

        v = get_string(p, root, NULL, "office_id", false);
        if (v && !office_id_is_valid(v))
                parser_error(p, config_setting_get_member(root, "office_id"), "office_id",
                             "office id \"%s\" is not valid: use 1 to %d of a-z, 0-9 and \"-\", not starting or "
                             "ending with \"-\" (e.g. \"xx-county-office\"); it is also the CN of the office's "
                             "client certificate", v, CONFIG_OFFICE_ID_MAX);
        else
                c->office_id = parser_strdup(p, v);

        v = get_string(p, root, NULL, "timezone", false);
        if (v) {
                int r = timezone_check(v);

                if (r < 0)
                        parser_error(p, config_setting_get_member(root, "timezone"), "timezone",
                                     "unknown time zone \"%s\" (expected a name like Asia/Shanghai): %s", v,
                                     strerror(-r));
        }
        c->timezone = parser_strdup(p, v ?: CONFIG_TIMEZONE_DEFAULT);

        c->handover_minutes = CONFIG_HANDOVER_DEFAULT;
        v = get_string(p, root, NULL, "handover", false);
        if (v && minutes_parse(v, &c->handover_minutes) < 0)
                parser_error(p, config_setting_get_member(root, "handover"), "handover",
                             "invalid time \"%s\", expected HH:MM between 00:00 and 23:59", v);

        {
                long long x;

                c->takeover_minutes = HANDOVER_TAKEOVER_MINUTES_DEFAULT;
                if (get_int(p, root, NULL, "takeover_minutes", 1, HANDOVER_TAKEOVER_MINUTES_MAX, false, &x))
                        c->takeover_minutes = (unsigned) x;
        }

        c->socket_group = parser_strdup(p, get_string(p, root, NULL, "socket_group", false));

        v = get_string(p, root, NULL, "socket", false);
        s = config_setting_get_member(root, "socket");
        if (v && v[0] != '/')
                parser_error(p, s, "socket", "socket path \"%s\" must be absolute", v);
        else if (v && strlen(v) >= sizeof(((struct sockaddr_un *) NULL)->sun_path))
                parser_error(p, s, "socket", "socket path is longer than %zu bytes",
                             sizeof(((struct sockaddr_un *) NULL)->sun_path) - 1);
        else
                c->socket_path = parser_strdup(p, v);

        v = get_string(p, root, NULL, "state_dir", false);
        if (v && v[0] != '/')
                parser_error(p, config_setting_get_member(root, "state_dir"), "state_dir",
                             "state directory \"%s\" must be absolute", v);
        else
                c->state_dir = parser_strdup(p, v);

        v = get_string(p, root, NULL, "language", false);
        if (v && !streq(v, "zh") && !streq(v, "en"))
                parser_error(p, config_setting_get_member(root, "language"), "language",
                             "unknown language \"%s\" (known: zh, en)", v);
        c->language = parser_strdup(p, v && streq(v, "en") ? "en" : CONFIG_LANGUAGE_DEFAULT);
}


/* ---- roster, swap and leave sections ---- */

static void parse_roster_section(Parser *p, Config *c, const config_setting_t *root) {
        const config_setting_t *g;
        long long v;

        c->roster = (RosterSettings) {
                .min_rest_days = CONFIG_MIN_REST_DAYS_DEFAULT,
                .publish_days_before = CONFIG_PUBLISH_DAYS_BEFORE_DEFAULT,
                .horizon_days = CONFIG_HORIZON_DAYS_DEFAULT,
        };
        g = lookup(p, root, NULL, "roster", KIND_GROUP, false);
        if (!g)
                return;
        check_keys(p, g, "roster", roster_keys);
        if (get_int(p, g, "roster", "min_rest_days", 0, CONFIG_MIN_REST_DAYS_MAX, false, &v))
                c->roster.min_rest_days = (unsigned) v;
        if (get_int(p, g, "roster", "publish_days_before", 0, CONFIG_DAYS_SETTING_MAX, false, &v))
                c->roster.publish_days_before = (unsigned) v;
        if (get_int(p, g, "roster", "horizon_days", 1, CONFIG_DAYS_SETTING_MAX, false, &v))
                c->roster.horizon_days = (unsigned) v;
}

static void parse_swap_section(Parser *p, Config *c, const config_setting_t *root) {
        const config_setting_t *g;
        const char *a;
        long long v;

        c->swap = (SwapSettings) {
                .lead_days = CONFIG_SWAP_LEAD_DAYS_DEFAULT,
                .leader_approves = true,
        };
        g = lookup(p, root, NULL, "swap", KIND_GROUP, false);
        if (!g)
                return;
        check_keys(p, g, "swap", swap_keys);
        if (get_int(p, g, "swap", "lead_days", 0, CONFIG_DAYS_SETTING_MAX, false, &v))
                c->swap.lead_days = (unsigned) v;
        a = get_string(p, g, "swap", "approver", false);
        if (a) {
                if (streq(a, "leader_on_call"))
                        c->swap.leader_approves = true;
                else if (streq(a, "admin"))
                        c->swap.leader_approves = false;
                else
                        parser_error(p, config_setting_get_member(g, "approver"), "swap.approver",
                                     "unknown approver \"%s\" (known: leader_on_call, admin)", a);
        }
}

/* The longest time the people on duty have to confirm a presence check. */
#define CONFIG_PRESENCE_ANSWER_MINUTES_MAX 120

static void parse_presence_section(Parser *p, Config *c, const config_setting_t *root) {
        const config_setting_t *g, *list;
        char buf[CONFIG_PATH_BUF];
        long long v;

        c->presence = (PresenceSettings) { .answer_minutes = CONFIG_PRESENCE_ANSWER_MINUTES_DEFAULT };
        g = lookup(p, root, NULL, "presence", KIND_GROUP, false);
        if (!g)
                return;
        check_keys(p, g, "presence", presence_keys);
        if (get_int(p, g, "presence", "answer_minutes", 1, CONFIG_PRESENCE_ANSWER_MINUTES_MAX, false, &v))
                c->presence.answer_minutes = (unsigned) v;
        list = lookup(p, g, "presence", "windows", KIND_STRINGS, false);
        for (int i = 0; list && i < config_setting_length(list); i++) {
                const config_setting_t *e = config_setting_get_elem(list, (unsigned) i);
                const char *w;
                PresenceWindow win;
                int r;

                (void) snprintf(buf, sizeof(buf), "presence.windows.[%d]", i);
                w = element_string(p, e, buf);
                if (!w)
                        continue;
                r = check_presence_window_parse(w, c->handover_minutes, &win);
                if (r == -ERANGE)
                        parser_error(p, e, buf, "window \"%s\" crosses the handover: a window lies within one duty day", w);
                else if (r < 0)
                        parser_error(p, e, buf, "invalid window \"%s\", expected \"HH:MM-HH:MM\" (e.g. \"23:00-05:00\")", w);
                else if (c->presence.n_windows >= CONFIG_PRESENCE_WINDOWS_MAX)
                        parser_error(p, e, buf, "at most %d windows", CONFIG_PRESENCE_WINDOWS_MAX);
                else
                        c->presence.windows[c->presence.n_windows++] = win;
        }
}

/* The longest SMTP password read from a password_file. */
#define NOTIFY_PASSWORD_MAX 1024

/* Reads an SMTP channel's password: a regular file nobody but its owner may read or write (the
 * password of the office's mail account must not leak through a world-readable /etc), its first
 * line the password. Problems are recorded against the setting's line. */
static char *read_password_file(Parser *p, const config_setting_t *s, const char *setting, const char *path) {
        char buf[NOTIFY_PASSWORD_MAX + 2];
        struct stat st;
        ssize_t k;
        size_t len;
        int fd;

        if (path[0] != '/') {
                parser_error(p, s, setting, "\"%s\" must be an absolute path", path);
                return NULL;
        }
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW);
        if (fd < 0) {
                parser_error(p, s, setting, "cannot read \"%s\": %s (create it, readable only by dutyd: chmod 0600)",
                             path, strerror(errno));
                return NULL;
        }
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
                parser_error(p, s, setting, "\"%s\" is not a regular file", path);
                (void) close(fd);
                return NULL;
        }
        if (st.st_mode & 0077) {
                parser_error(p, s, setting, "\"%s\" may be read by others (mode %04o): chmod 0600 it, owned by dutyd's user",
                             path, (unsigned) (st.st_mode & 07777));
                (void) close(fd);
                return NULL;
        }
        k = read(fd, buf, sizeof(buf) - 1);
        (void) close(fd);
        if (k < 0) {
                parser_error(p, s, setting, "cannot read \"%s\": %s", path, strerror(errno));
                return NULL;
        }
        buf[k] = '\0';
        len = strcspn(buf, "\r\n");
        if ((size_t) k > NOTIFY_PASSWORD_MAX && len == (size_t) k) {
                parser_error(p, s, setting, "the password in \"%s\" is longer than %d bytes", path, NOTIFY_PASSWORD_MAX);
                return NULL;
        }
        buf[len] = '\0';
        if (len == 0) {
                parser_error(p, s, setting, "\"%s\" is empty: write the password on its first line", path);
                return NULL;
        }
        return parser_strdup(p, buf);
}

static void parse_notify_channel(Parser *p, Config *c, const config_setting_t *e, const char *path) {
        NotifyChannel *ch = &c->notify.channels[c->notify.n_channels];
        char buf[CONFIG_PATH_BUF];
        const char *name, *type, *v;
        long long x;

        if (config_setting_type(e) != CONFIG_TYPE_GROUP) {
                parser_error(p, e, path, "expected a group, got %s", type_describe(e));
                return;
        }
        check_keys(p, e, path, notify_channel_keys);
        name = get_string(p, e, path, "name", true);
        type = get_string(p, e, path, "type", true);
        if (!name || !type)
                return;
        if (config_find_notify_channel(c, name)) {
                parser_error(p, config_setting_get_member(e, "name"), path_join(buf, path, "name"),
                             "channel \"%s\" is defined twice", name);
                return;
        }
        *ch = (NotifyChannel) {
                .type = notify_channel_type_from_string(type),
                .template = NOTIFY_TEMPLATE_JSON,
                .timeout_sec = NOTIFY_TIMEOUT_SEC_DEFAULT,
                .line = setting_line(e),
        };
        if (ch->type < 0) {
                parser_error(p, config_setting_get_member(e, "type"), path_join(buf, path, "type"),
                             "unknown channel type \"%s\" (known: webhook, command, smtp)", type);
                return;
        }
        if (get_int(p, e, path, "timeout", 1, NOTIFY_TIMEOUT_SEC_MAX, false, &x))
                ch->timeout_sec = (unsigned) x;
        switch (ch->type) {
        case NOTIFY_CHANNEL_WEBHOOK:
                v = get_string(p, e, path, "url", true);
                if (v && strncmp(v, "http://", 7) != 0 && strncmp(v, "https://", 8) != 0) {
                        parser_error(p, config_setting_get_member(e, "url"), path_join(buf, path, "url"),
                                     "\"%s\" is not an http:// or https:// address", v);
                        return;
                }
                if (!v)
                        return;
                ch->url = parser_strdup(p, v);
                v = get_string(p, e, path, "template", false);
                if (v) {
                        ch->template = notify_template_from_string(v);
                        if (ch->template < 0) {
                                parser_error(p, config_setting_get_member(e, "template"), path_join(buf, path, "template"),
                                             "unknown template \"%s\" (known: json, wecom, dingtalk)", v);
                                return;
                        }
                }
                break;
        case NOTIFY_CHANNEL_COMMAND:
                v = get_string(p, e, path, "command", true);
                if (v && v[0] != '/') {
                        parser_error(p, config_setting_get_member(e, "command"), path_join(buf, path, "command"),
                                     "program \"%s\" must be an absolute path (it runs without a shell)", v);
                        return;
                }
                if (!v)
                        return;
                ch->command = parser_strdup(p, v);
                break;
        case NOTIFY_CHANNEL_SMTP:
                v = get_string(p, e, path, "url", true);
                if (v && strncmp(v, "smtp://", 7) != 0 && strncmp(v, "smtps://", 8) != 0) {
                        parser_error(p, config_setting_get_member(e, "url"), path_join(buf, path, "url"),
                                     "\"%s\" is not an smtp:// or smtps:// address", v);
                        return;
                }
                if (!v)
                        return;
                ch->url = parser_strdup(p, v);
                v = get_string(p, e, path, "from", true);
                if (!v)
                        goto fail;
                if (!strchr(v, '@') || strpbrk(v, "\r\n<>")) {
                        parser_error(p, config_setting_get_member(e, "from"), path_join(buf, path, "from"),
                                     "\"%s\" is not a mail address", v);
                        goto fail;
                }
                ch->from = parser_strdup(p, v);
                /* smtp:// goes over TLS through STARTTLS unless told not to (a relay on loopback). */
                ch->starttls = strncmp(ch->url, "smtp://", 7) == 0;
                v = get_string(p, e, path, "starttls", false);
                if (v) {
                        if (streq(v, "required"))
                                ch->starttls = strncmp(ch->url, "smtp://", 7) == 0;
                        else if (streq(v, "no"))
                                ch->starttls = false;
                        else {
                                parser_error(p, config_setting_get_member(e, "starttls"), path_join(buf, path, "starttls"),
                                             "\"%s\" is neither \"required\" nor \"no\"", v);
                                goto fail;
                        }
                }
                v = get_string(p, e, path, "username", false);
                if (v)
                        ch->username = parser_strdup(p, v);
                v = get_string(p, e, path, "password_file", false);
                if (v && !ch->username) {
                        parser_error(p, config_setting_get_member(e, "password_file"), path_join(buf, path, "password_file"),
                                     "a password without a username: set username too");
                        goto fail;
                }
                if (v) {
                        ch->password = read_password_file(p, config_setting_get_member(e, "password_file"),
                                                          path_join(buf, path, "password_file"), v);
                        if (!ch->password)
                                goto fail;
                }
                break;
        case _NOTIFY_CHANNEL_TYPE_MAX:
        case _NOTIFY_CHANNEL_TYPE_INVALID:
                return;
        }
        v = get_string(p, e, path, "ca_file", false);
        if (v) {
                if (ch->type == NOTIFY_CHANNEL_COMMAND) {
                        parser_error(p, config_setting_get_member(e, "ca_file"), path_join(buf, path, "ca_file"),
                                     "a command channel has no TLS: remove ca_file");
                        goto fail;
                }
                if (v[0] != '/' || access(v, R_OK) < 0) {
                        parser_error(p, config_setting_get_member(e, "ca_file"), path_join(buf, path, "ca_file"),
                                     "cannot read the CA file \"%s\": give the absolute path of a PEM file dutyd can read", v);
                        goto fail;
                }
                ch->ca_file = parser_strdup(p, v);
        }
        ch->name = parser_strdup(p, name);
        if (ch->name)
                c->notify.n_channels++;
        return;
fail:
        /* Not counted: the channel's strings are not freed with the config. */
        free(ch->url);
        free(ch->from);
        free(ch->username);
        free(ch->password);
        free(ch->ca_file);
        *ch = (NotifyChannel) {};
}

/* Channel names in a list must be defined; path/setting name the list for messages. */
static void check_channel_names(Parser *p, const Config *c, char **names, const config_setting_t *s,
                                const char *setting) {
        for (char **n = names; n && *n; n++)
                if (!config_find_notify_channel(c, *n))
                        parser_error(p, s, setting, "unknown notification channel \"%s\" (define it in notify.channels)", *n);
}

/* notify.summary = { time = "HH:MM"; weekly = "mon"; to = [ … ]; } */
static void parse_notify_summary(Parser *p, Config *c, const config_setting_t *notify) {
        static const char *const weekdays[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
        const config_setting_t *g;
        const char *v;

        g = lookup(p, notify, "notify", "summary", KIND_GROUP, false);
        if (!g)
                return;
        check_keys(p, g, "notify.summary", notify_summary_keys);
        c->notify.summary_minutes = 8 * 60 + 30;
        v = get_string(p, g, "notify.summary", "time", false);
        if (v && minutes_parse(v, &c->notify.summary_minutes) < 0)
                parser_error(p, config_setting_get_member(g, "time"), "notify.summary.time",
                             "invalid time \"%s\", expected HH:MM between 00:00 and 23:59", v);
        v = get_string(p, g, "notify.summary", "weekly", false);
        if (v) {
                for (size_t i = 0; i < ELEMENTSOF(weekdays); i++)
                        if (streq(v, weekdays[i]))
                                c->notify.summary_weekday = (int) i + 1;
                if (c->notify.summary_weekday == 0)
                        parser_error(p, config_setting_get_member(g, "weekly"), "notify.summary.weekly",
                                     "unknown weekday \"%s\" (known: mon, tue, wed, thu, fri, sat, sun)", v);
        }
        c->notify.summary_to = get_strv(p, g, "notify.summary", "to");
        for (char **x = c->notify.summary_to; x && *x; x++)
                if (!config_find_person(c, *x))
                        parser_error(p, config_setting_get_member(g, "to"), "notify.summary.to",
                                     "unknown person \"%s\" (list people by their id)", *x);
}

static void parse_notify_section(Parser *p, Config *c, const config_setting_t *root) {
        const config_setting_t *g, *list;
        char buf[CONFIG_PATH_BUF];
        const char *v;
        long long x;

        c->notify = (NotifySettings) {
                .alerts = true,
                .summary_minutes = -1,
                .reminder_minutes = NOTIFY_REMINDER_MINUTES_DEFAULT,
                .max_attempts = NOTIFY_MAX_ATTEMPTS_DEFAULT,
                .max_in_flight = NOTIFY_IN_FLIGHT_DEFAULT,
                .soon_minutes = NOTIFY_SOON_MINUTES_DEFAULT,
        };
        g = lookup(p, root, NULL, "notify", KIND_GROUP, false);
        if (g) {
                check_keys(p, g, "notify", notify_keys);
                v = get_string(p, g, "notify", "reminder_time", false);
                if (v && minutes_parse(v, &c->notify.reminder_minutes) < 0)
                        parser_error(p, config_setting_get_member(g, "reminder_time"), "notify.reminder_time",
                                     "invalid time \"%s\", expected HH:MM between 00:00 and 23:59", v);
                if (get_int(p, g, "notify", "max_attempts", 1, NOTIFY_MAX_ATTEMPTS_MAX, false, &x))
                        c->notify.max_attempts = (unsigned) x;
                if (get_int(p, g, "notify", "max_in_flight", 1, NOTIFY_IN_FLIGHT_MAX, false, &x))
                        c->notify.max_in_flight = (unsigned) x;
                if (get_int(p, g, "notify", "soon_minutes", 0, NOTIFY_SOON_MINUTES_MAX, false, &x))
                        c->notify.soon_minutes = (unsigned) x;
                list = lookup(p, g, "notify", "channels", KIND_LIST, false);
                if (list && config_setting_length(list) > NOTIFY_CHANNELS_MAX)
                        parser_error(p, list, "notify.channels", "at most %d channels", NOTIFY_CHANNELS_MAX);
                else if (list && config_setting_length(list) > 0) {
                        c->notify.channels = calloc((size_t) config_setting_length(list), sizeof(NotifyChannel));
                        if (!c->notify.channels) {
                                p->oom = true;
                                return;
                        }
                        for (int i = 0; i < config_setting_length(list); i++) {
                                (void) snprintf(buf, sizeof(buf), "notify.channels.[%d]", i);
                                parse_notify_channel(p, c, config_setting_get_elem(list, (unsigned) i), buf);
                        }
                }
                parse_notify_summary(p, c, g);
                v = get_string(p, g, "notify", "alerts", false);
                if (v && (streq(v, "on") || streq(v, "off")))
                        c->notify.alerts = streq(v, "on");
                else if (v)
                        parser_error(p, config_setting_get_member(g, "alerts"), "notify.alerts",
                                     "\"%s\" is neither \"on\" nor \"off\"", v);
                c->notify.default_channels = get_strv(p, g, "notify", "default_channels");
                check_channel_names(p, c, c->notify.default_channels,
                                    config_setting_get_member(g, "default_channels"), "notify.default_channels");
        }
        for (size_t i = 0; i < c->n_people; i++) {
                const Person *person = &c->people[i];

                if (!person->notify || !person->id)
                        continue;
                (void) snprintf(buf, sizeof(buf), "people.%s.notify", person->id);
                for (char **n = person->notify; *n; n++) {
                        char *message = NULL;

                        if (config_find_notify_channel(c, *n))
                                continue;
                        if (asprintf(&message, _("unknown notification channel \"%s\" (define it in notify.channels)"), *n) < 0)
                                message = NULL;
                        parser_add(p, p->file, person->line, buf, message);
                }
        }
}

static void parse_duty_log_section(Parser *p, Config *c, const config_setting_t *root) {
        const config_setting_t *g;
        const char *a;
        long long x;

        c->duty_log = (DutyLogSettings) {
                .daily_report = DUTYLOG_DAILY_DEFAULT,
                .daily_report_minutes = DUTYLOG_DAILY_MINUTES_DEFAULT,
        };
        for (DutyLogReport k = 0; k < _DUTYLOG_REPORT_MAX; k++)
                c->duty_log.report_minutes[k] = dutylog_report_minutes_default(k);
        g = lookup(p, root, NULL, "duty_log", KIND_GROUP, false);
        if (!g)
                return;
        check_keys(p, g, "duty_log", duty_log_keys);
        if (get_int(p, g, "duty_log", "phone_report_minutes", 1, DUTYLOG_REPORT_MINUTES_MAX, false, &x))
                c->duty_log.report_minutes[DUTYLOG_REPORT_PHONE] = (unsigned) x;
        if (get_int(p, g, "duty_log", "written_report_minutes", 1, DUTYLOG_REPORT_MINUTES_MAX, false, &x))
                c->duty_log.report_minutes[DUTYLOG_REPORT_WRITTEN] = (unsigned) x;
        /* 0: no follow-up timer. */
        if (get_int(p, g, "duty_log", "followup_report_minutes", 0, DUTYLOG_REPORT_MINUTES_MAX, false, &x))
                c->duty_log.report_minutes[DUTYLOG_REPORT_FOLLOWUP] = (unsigned) x;
        /* The written report completes the first one by phone: due before it, it would be asked
         * for before the phone call it confirms. */
        if (c->duty_log.report_minutes[DUTYLOG_REPORT_WRITTEN] < c->duty_log.report_minutes[DUTYLOG_REPORT_PHONE])
                parser_error(p, config_setting_get_member(g, "written_report_minutes") ?:
                                config_setting_get_member(g, "phone_report_minutes"),
                             "duty_log.written_report_minutes",
                             "%u is less than phone_report_minutes (%u): the written report follows the phone report",
                             c->duty_log.report_minutes[DUTYLOG_REPORT_WRITTEN],
                             c->duty_log.report_minutes[DUTYLOG_REPORT_PHONE]);
        a = get_string(p, g, "duty_log", "daily_report", false);
        if (a) {
                DutyLogDaily d = dutylog_daily_from_string(a);

                if (d < 0)
                        parser_error(p, config_setting_get_member(g, "daily_report"), "duty_log.daily_report",
                                     "unknown value \"%s\" (known: holidays, always, never)", a);
                else
                        c->duty_log.daily_report = d;
        }
        a = get_string(p, g, "duty_log", "daily_report_time", false);
        if (a && minutes_parse(a, &c->duty_log.daily_report_minutes) < 0)
                parser_error(p, config_setting_get_member(g, "daily_report_time"), "duty_log.daily_report_time",
                             "invalid time \"%s\", expected HH:MM between 00:00 and 23:59", a);
}

/* The documents' own words: the duty room's phone, the printed 值班表's requirements and
 * signatures, the calendar feed's organizer and reminder. Nothing here changes a rule. */
static const char *const print_keys[] = { "requirements", "prepared_by", "reviewed_by", NULL };
static const char *const ics_keys[] = { "organizer", "reminder_minutes", NULL };
/* A reminder more than a week ahead is no longer a reminder of this duty. */
#define CONFIG_ICS_REMINDER_MAX (7 * 24 * 60)

static void parse_document_settings(Parser *p, Config *c, const config_setting_t *root) {
        DocumentSettings *d = &c->documents;
        const config_setting_t *g;
        const char *v;
        long long n;

        d->office_phone = parser_strdup(p, get_string(p, root, NULL, "office_phone", false));

        g = lookup(p, root, NULL, "print", KIND_GROUP, false);
        if (g) {
                check_keys(p, g, "print", print_keys);
                d->requirements = parser_strdup(p, get_string(p, g, "print", "requirements", false));
                d->prepared_by = parser_strdup(p, get_string(p, g, "print", "prepared_by", false));
                d->reviewed_by = parser_strdup(p, get_string(p, g, "print", "reviewed_by", false));
        }

        g = lookup(p, root, NULL, "ics", KIND_GROUP, false);
        if (!g)
                return;
        check_keys(p, g, "ics", ics_keys);
        v = get_string(p, g, "ics", "organizer", false);
        if (v && (isempty(v) || strpbrk(v, " \t\r\n") || !strchr(v, '@')))
                parser_error(p, config_setting_get_member(g, "organizer"), "ics.organizer",
                             "organizer \"%s\" is not an e-mail address (expected e.g. \"zbs@example.gov.cn\")", v);
        else
                d->ics_organizer = parser_strdup(p, v);
        if (get_int(p, g, "ics", "reminder_minutes", 0, CONFIG_ICS_REMINDER_MAX, false, &n))
                d->ics_reminder_minutes = (unsigned) n;
}

/* The calendar feeds: where, how the files are named, how far back, whether phones are shown. */
static const char *const feeds_keys[] = { "dir", "token_secret", "days_back", "phones", NULL };
/* A secret shorter than this is guessable, and so are the file names made from it. */
#define CONFIG_FEED_SECRET_MIN 16

static void parse_feed_settings(Parser *p, Config *c, const config_setting_t *root) {
        FeedSettings *f = &c->feeds;
        const config_setting_t *g;
        const char *v;
        long long n;

        f->days_back = CONFIG_FEED_DAYS_BACK_DEFAULT;
        g = lookup(p, root, NULL, "feeds", KIND_GROUP, false);
        if (!g)
                return;
        check_keys(p, g, "feeds", feeds_keys);
        v = get_string(p, g, "feeds", "dir", true);
        if (v && v[0] != '/')
                parser_error(p, config_setting_get_member(g, "dir"), "feeds.dir",
                             "feed directory \"%s\" must be absolute (e.g. \"/var/lib/dutyd-feeds\")", v);
        else
                f->dir = parser_strdup(p, v);
        v = get_string(p, g, "feeds", "token_secret", false);
        if (v && strlen(v) < CONFIG_FEED_SECRET_MIN)
                parser_error(p, config_setting_get_member(g, "token_secret"), "feeds.token_secret",
                             "secret is too short to keep the file names unguessable: use at least %d characters "
                             "(e.g. the output of `openssl rand -hex 16`)", CONFIG_FEED_SECRET_MIN);
        else
                f->token_secret = parser_strdup(p, v);
        if (get_int(p, g, "feeds", "days_back", 0, CONFIG_FEED_DAYS_BACK_MAX, false, &n))
                f->days_back = (unsigned) n;
        v = get_string(p, g, "feeds", "phones", false);
        if (v && !streq(v, "shown") && !streq(v, "hidden"))
                parser_error(p, config_setting_get_member(g, "phones"), "feeds.phones",
                             "unknown value \"%s\", expected \"shown\" or \"hidden\"", v);
        else
                f->hide_phones = v && streq(v, "hidden");
}

/* ---- the aggregator role ---- */

static int aggregator_office_compare(const void *a, const void *b) {
        return strcmp(((const AggregatorOffice *) a)->id, ((const AggregatorOffice *) b)->id);
}

static void parse_aggregator_section(Parser *p, Config *c, const config_setting_t *root) {
        AggregatorSettings *a = &c->aggregator;
        const config_setting_t *g, *list, *sv;
        const char *v;
        long long x;
        int n;

        g = lookup(p, root, NULL, "aggregator", KIND_GROUP, false);
        if (!g)
                return;
        check_keys(p, g, "aggregator", aggregator_keys);
        v = get_string(p, g, "aggregator", "journal_dir", false);
        if (v && v[0] != '/')
                parser_error(p, config_setting_get_member(g, "journal_dir"), "aggregator.journal_dir",
                             "journal directory \"%s\" must be absolute (e.g. /var/log/journal/dutyd-remote)", v);
        else if (v || !config_setting_get_member(g, "journal_dir"))
                a->journal_dir = parser_strdup(p, v ?: CONFIG_AGGREGATOR_JOURNAL_DIR);
        /* "" is a value here (not checked), which get_string() refuses. */
        sv = lookup(p, g, "aggregator", "enrolled_dir", KIND_STRING, false);
        v = sv ? config_setting_get_string(sv) ?: "" : NULL;
        if (v && v[0] != '/' && v[0] != '\0')
                parser_error(p, config_setting_get_member(g, "enrolled_dir"), "aggregator.enrolled_dir",
                             "enrolment directory \"%s\" must be absolute (e.g. "
                             "/etc/systemd/system/sockets.target.wants), or \"\" not to check enrolment", v);
        else if (!v || v[0] != '\0')
                a->enrolled_dir = parser_strdup(p, v ?: CONFIG_AGGREGATOR_ENROLLED_DIR);
        if (get_int(p, g, "aggregator", "remind_before", 0, CONFIG_REMIND_BEFORE_HOURS_MAX, false, &x))
                a->remind_before_hours = (unsigned) x;

        list = lookup(p, g, "aggregator", "offices", KIND_LIST, true);
        if (!list)
                return;
        n = config_setting_length(list);
        if (n > CONFIG_AGGREGATOR_OFFICES_MAX) {
                parser_error(p, list, "aggregator.offices", "%d offices, more than the %d one aggregator reads; "
                             "split them between aggregators (e.g. one per county)", n, CONFIG_AGGREGATOR_OFFICES_MAX);
                return;
        }
        if (n == 0)
                return;
        a->offices = calloc((size_t) n, sizeof(AggregatorOffice));
        if (!a->offices) {
                p->oom = true;
                return;
        }
        for (int i = 0; i < n; i++) {
                const config_setting_t *e = config_setting_get_elem(list, i);
                char path[CONFIG_PATH_BUF], buf[CONFIG_PATH_BUF];
                AggregatorOffice *o;
                const char *id;

                element_path(path, "aggregator.offices", e, "id", (unsigned) i);
                if (!element_is_group(p, e, path))
                        continue;
                check_keys(p, e, path, aggregator_office_keys);
                id = get_string(p, e, path, "id", true);
                if (id && !office_id_is_valid(id)) {
                        parser_error(p, config_setting_get_member(e, "id"), path_join(buf, path, "id"),
                                     "invalid office id \"%s\": use 1…%d characters of a-z, 0-9 and - (the "
                                     "office's office_id and the CN of its certificate)", id, CONFIG_OFFICE_ID_MAX);
                        continue;
                }
                if (!id)
                        continue;
                v = get_string(p, e, path, "email", false);
                if (v && (!strchr(v, '@') || strpbrk(v, " \t\r\n<>,;"))) {
                        parser_error(p, config_setting_get_member(e, "email"), path_join(buf, path, "email"),
                                     "invalid mail address \"%s\": one address such as duty@example.gov.cn", v);
                        v = NULL;
                }
                o = &a->offices[a->n_offices++];
                *o = (AggregatorOffice) {
                        .id = parser_strdup(p, id),
                        .name = parser_strdup(p, get_string(p, e, path, "name", false)),
                        .phone = parser_strdup(p, get_string(p, e, path, "phone", false)),
                        .email = parser_strdup(p, v),
                        .notify = get_strv(p, e, path, "notify"),
                        .line = setting_line(e),
                };
                /* The notify section is read before this one. */
                check_channel_names(p, c, o->notify, config_setting_get_member(e, "notify"), path_join(buf, path, "notify"));
        }
        if (p->oom)
                return;
        qsort(a->offices, a->n_offices, sizeof(AggregatorOffice), aggregator_office_compare);
        for (size_t i = 1; i < a->n_offices; i++)
                if (streq(a->offices[i].id, a->offices[i - 1].id))
                        parser_error(p, list, "aggregator.offices", "office \"%s\" is listed twice (lines %d and %d)",
                                     a->offices[i].id, a->offices[i].line < a->offices[i - 1].line ? a->offices[i].line : a->offices[i - 1].line,
                                     a->offices[i].line < a->offices[i - 1].line ? a->offices[i - 1].line : a->offices[i].line);
}

/* A string array of group ids into *ret (owned strings). */
static void parse_group_ids(Parser *p, const Config *c, const config_setting_t *g, const char *path,
                            const char *key, char ***ret, size_t *ret_n) {
        char buf[CONFIG_PATH_BUF];
        config_setting_t *a;
        int n;

        a = lookup(p, g, path, key, KIND_STRINGS, false);
        if (!a)
                return;
        path_join(buf, path, key);
        n = config_setting_length(a);
        *ret = calloc(n > 0 ? n : 1, sizeof(char *));
        if (!*ret) {
                p->oom = true;
                return;
        }
        for (int i = 0; i < n; i++) {
                const config_setting_t *e = config_setting_get_elem(a, i);
                const char *v = element_string(p, e, buf);

                if (!v)
                        continue;
                if (!config_find_group(c, v)) {
                        parser_error(p, e, buf, "unknown group \"%s\"", v);
                        continue;
                }
                (*ret)[(*ret_n)++] = parser_strdup(p, v);
        }
}

/* A person id that must exist, or NULL (with an error). */
static const char *get_person_ref(Parser *p, const Config *c, const config_setting_t *g, const char *path,
                                  const char *key, bool required) {
        char buf[CONFIG_PATH_BUF];
        const char *v;

        v = get_string(p, g, path, key, required);
        if (v && !config_find_person(c, v)) {
                parser_error(p, config_setting_get_member(g, key), path_join(buf, path, key),
                             "unknown person \"%s\"", v);
                return NULL;
        }
        return v;
}

/* The approver, or reports_to ending the chain: one of the two. */
static void parse_approver_rule(Parser *p, const Config *c, const config_setting_t *e, const char *path,
                                ApproverRule *a) {
        const config_setting_t *approver = config_setting_get_member(e, "approver");
        char buf[CONFIG_PATH_BUF];

        a->reports_to = parser_strdup(p, get_string(p, e, path, "reports_to", false));
        if (!a->reports_to && config_setting_get_member(e, "reports_to"))
                return; /* present but invalid, already reported */
        if (a->reports_to && approver) {
                parser_error(p, approver, path_join(buf, path, "approver"),
                             "give either approver (who approves, in the office) or reports_to (the chain ends: "
                             "the leave is reported outside the office), not both");
                return;
        }
        if (!a->reports_to && !approver) {
                parser_error(p, e, path_join(buf, path, "approver"),
                             "required setting is missing: give approver = \"<person id>\", or end the chain with "
                             "reports_to = \"…\" naming where the leave is reported (e.g. \"市委\")");
                return;
        }
        if (!a->reports_to)
                a->approver = parser_strdup(p, get_person_ref(p, c, e, path, "approver", true));
        a->stand_in = parser_strdup(p, get_person_ref(p, c, e, path, "stand_in", false));
        if (a->stand_in && a->reports_to)
                parser_error(p, config_setting_get_member(e, "stand_in"), path_join(buf, path, "stand_in"),
                             "a rule with reports_to has no approver to stand in for; remove stand_in");
        if (a->stand_in && a->approver && streq(a->stand_in, a->approver))
                parser_error(p, config_setting_get_member(e, "stand_in"), path_join(buf, path, "stand_in"),
                             "the stand-in must differ from the approver: name who approves while \"%s\" is away",
                             a->approver);
        /* Leave never goes to its own applicant; before, such a rule was skipped without a word. */
        if (a->who && a->approver && streq(a->who, a->approver))
                parser_error(p, approver, path_join(buf, path, "approver"),
                             "\"%s\" cannot approve his own leave; if nobody in the office does, end the chain "
                             "with { who = \"%s\"; reports_to = \"…\"; } naming where it is reported (e.g. \"市委\")",
                             a->who, a->who);
}

/* "name (id) → name (id) …" for the n people of ids, starting at ids[first] and wrapping around. */
static char *chain_describe(const Config *c, const char *const *ids, size_t n, size_t first) {
        char *way = NULL;

        for (size_t k = 0; k < n; k++) {
                const char *id = ids[(first + k) % n];
                const Person *q = config_find_person(c, id);
                char *w;

                if (asprintf(&w, "%s%s%s (%s)", strempty(way), way ? " → " : "", q ? q->name : id, id) < 0) {
                        free(way);
                        return NULL;
                }
                free(way);
                way = w;
        }
        return way;
}

/* Follows every person's chain and reports each loop (or endless chain) once, at the line of the
 * rule that closes it, with the names on the way. */
static void check_approval_chains(Parser *p, const Config *c, const config_setting_t *list) {
        _cleanup_free_ const ApproverRule **reported = NULL;
        size_t n_reported = 0;

        reported = calloc(c->leave.n_approvers ?: 1, sizeof(ApproverRule *));
        if (!reported) {
                p->oom = true;
                return;
        }
        for (size_t i = 0; i < c->n_people; i++) {
                const ApproverRule *rules[RULES_CHAIN_MAX + 1];
                const char *seen[RULES_CHAIN_MAX + 1];
                const char *x = c->people[i].id;
                size_t n = 0, start = 0, last;
                _cleanup_free_ char *way = NULL;
                bool loop = false, dup = false;
                char buf[CONFIG_PATH_BUF];
                unsigned index;

                while (x && n < RULES_CHAIN_MAX + 1) {
                        for (size_t k = 0; k < n && !loop; k++)
                                if (streq(seen[k], x)) {
                                        loop = true;
                                        start = k;
                                }
                        if (loop)
                                break;
                        seen[n] = x;
                        rules[n] = rules_approver_rule_for(c, &c->leave, x);
                        x = rules[n] ? rules[n]->approver : NULL;
                        n++;
                }
                if (!x)
                        continue;
                if (!loop)
                        start = n - 1;

                /* Of the rules making the loop, the one written last is taken for the one that
                 * closes it: usually the latest addition. */
                last = start;
                for (size_t k = start; k < n; k++)
                        if (rules[k] > rules[last])
                                last = k;
                for (size_t k = 0; k < n_reported; k++)
                        dup = dup || reported[k] == rules[last];
                if (dup)
                        continue;
                /* The people on the loop and below it would find it again. */
                for (size_t k = start; k < n; k++) {
                        bool known = false;

                        for (size_t j = 0; j < n_reported; j++)
                                known = known || reported[j] == rules[k];
                        if (!known)
                                reported[n_reported++] = rules[k];
                }

                index = (unsigned) (rules[last] - c->leave.approvers);
                snprintf(buf, sizeof(buf), "leave.approvers.[%u]", index);
                if (loop) {
                        /* From the approver this rule names, round to the rule's own person. */
                        size_t first = (last - start + 1) % (n - start);

                        way = chain_describe(c, seen + start, n - start, first);
                        if (!way) {
                                p->oom = true;
                                return;
                        }
                        /* Without earlier errors every element is a group, so rule k is element k. */
                        parser_error(p, config_setting_get_elem(list, index), buf,
                                     "the approval chain loops: %s → %s again, sent back by this rule; end the chain "
                                     "at the top with { who = \"…\"; reports_to = \"…\"; } naming where his leave "
                                     "is reported (e.g. \"市委\")", way, seen[start + first]);
                } else {
                        way = chain_describe(c, seen, n, 0);
                        if (!way) {
                                p->oom = true;
                                return;
                        }
                        parser_error(p, config_setting_get_elem(list, index), buf,
                                     "the approval chain is longer than %d steps: %s …", RULES_CHAIN_MAX, way);
                }
        }
}

static void parse_leave_section(Parser *p, Config *c, const config_setting_t *root) {
        const config_setting_t *g, *list;
        _cleanup_free_ char *message = NULL;
        long long v;

        leave_rules_init(&c->leave);
        g = lookup(p, root, NULL, "leave", KIND_GROUP, false);
        if (!g)
                return;
        check_keys(p, g, "leave", leave_keys);

        parse_group_ids(p, c, g, "leave", "never_together", &c->leave.never_together_groups,
                        &c->leave.n_never_together_groups);
        parse_group_ids(p, c, g, "leave", "require_acting", &c->leave.require_acting_groups,
                        &c->leave.n_require_acting_groups);
        parse_group_ids(p, c, g, "leave", "acting_groups", &c->leave.acting_groups, &c->leave.n_acting_groups);
        if (get_int(p, g, "leave", "min_leaders_present", 0, CONFIG_PEOPLE_SETTING_MAX, false, &v))
                c->leave.min_leaders_present = (unsigned) v;
        if (get_int(p, g, "leave", "notice_working_days", 0, CONFIG_DAYS_SETTING_MAX, false, &v))
                c->leave.notice_working_days = (unsigned) v;
        if (get_int(p, g, "leave", "notice_min_days", 0, CONFIG_DAYS_SETTING_MAX, false, &v))
                c->leave.notice_min_days = (unsigned) v;
        if (get_int(p, g, "leave", "urgent_paperwork_days", 0, CONFIG_DAYS_SETTING_MAX, false, &v))
                c->leave.urgent_paperwork_days = (unsigned) v;

        list = list_get_array(p, g, "leave", "tiers", false, sizeof(LeaveTier), (void **) &c->leave.tiers);
        if (list) {
                int n = config_setting_length(list);

                for (int i = 0; i < n; i++) {
                        const config_setting_t *e = config_setting_get_elem(list, i);
                        LeaveTier *t = &c->leave.tiers[c->leave.n_tiers];
                        char path[CONFIG_PATH_BUF];

                        snprintf(path, sizeof(path), "leave.tiers.[%d]", i);
                        if (!element_is_group(p, e, path))
                                continue;
                        check_keys(p, e, path, tier_keys);
                        *t = (LeaveTier) {};
                        if (get_int(p, e, path, "max_days", 1, CONFIG_DAYS_SETTING_MAX, false, &v))
                                t->max_days = (unsigned) v;
                        /* At the tier's line rather than, later, at "leave = {". */
                        for (size_t k = 0; k < c->leave.n_tiers; k++)
                                if (c->leave.tiers[k].max_days == t->max_days) {
                                        if (t->max_days > 0)
                                                parser_error(p, e, path, "another tier already has max_days = %u; "
                                                             "give each tier its own", t->max_days);
                                        else
                                                parser_error(p, e, path, "another tier already has no max_days; "
                                                             "only one may be open-ended");
                                        break;
                                }
                        t->approver = parser_strdup(p, get_person_ref(p, c, e, path, "approver", false));
                        c->leave.n_tiers++;
                }
        }

        list = list_get_array(p, g, "leave", "approvers", false, sizeof(ApproverRule),
                              (void **) &c->leave.approvers);
        if (list) {
                int n = config_setting_length(list);

                for (int i = 0; i < n; i++) {
                        const config_setting_t *e = config_setting_get_elem(list, i);
                        ApproverRule *a = &c->leave.approvers[c->leave.n_approvers];
                        char path[CONFIG_PATH_BUF], buf[CONFIG_PATH_BUF];
                        const char *who;

                        snprintf(path, sizeof(path), "leave.approvers.[%d]", i);
                        if (!element_is_group(p, e, path))
                                continue;
                        check_keys(p, e, path, approver_keys);
                        *a = (ApproverRule) {};
                        who = get_string(p, e, path, "who", true);
                        if (who && !config_find_person(c, who) && !config_find_group(c, who) &&
                            role_from_string(who) < 0)
                                parser_error(p, config_setting_get_member(e, "who"), path_join(buf, path, "who"),
                                             "\"%s\" is neither a person, a group nor a role", who);
                        a->who = parser_strdup(p, who);
                        parse_approver_rule(p, c, e, path, a);
                        c->leave.n_approvers++;
                }
                if (p->errors.n == 0 && !p->oom)
                        check_approval_chains(p, c, list);
        }

        /* What a line-by-line check cannot see: chains that loop, tiers that repeat. Only worth
         * asking once every reference resolved. */
        if (p->errors.n == 0 && !p->oom && leave_rules_validate(&c->leave, c, &message) < 0)
                parser_error(p, g, "leave", "%s", message ?: "invalid leave rules");
}

/* ---- holiday notice files ---- */

static void parse_notice_days(Parser *p, HolidayMentions *pending, const char *file, const config_setting_t *g,
                              const char *path, const char *key, bool off, int year, unsigned item,
                              const char *name) {
        char buf[CONFIG_PATH_BUF];
        config_setting_t *arr;
        int n;

        arr = lookup(p, g, path, key, KIND_STRINGS, off);
        if (!arr)
                return;
        path_join(buf, path, key);
        n = config_setting_length(arr);
        if (off && n == 0)
                parser_error(p, arr, buf, "a holiday needs at least one day off");
        for (int i = 0; i < n; i++) {
                const config_setting_t *e = config_setting_get_elem(arr, i);
                const char *v = element_string(p, e, buf);
                char s[DAY_STRING_MAX];
                int y;
                Day d;

                if (!v || !check_day_string(p, e, buf, v, &d))
                        continue;
                y = day_year(d);
                if (year > 0 && (y < year - 1 || y > year)) {
                        parser_error(p, e, buf, "%s is outside the notice's years %d…%d", day_format(d, s),
                                     year - 1, year);
                        continue;
                }
                if (!off && !day_is_weekend(d)) {
                        parser_error(p, e, buf, "make-up workday %s is a %s, not a Saturday or Sunday",
                                     day_format(d, s), day_weekday_en(d));
                        continue;
                }
                mention_add(p, pending, file, setting_line(e), buf, d, off, false, name);
                if (!p->oom && pending->n > 0) {
                        pending->items[pending->n - 1].notice_year = year;
                        pending->items[pending->n - 1].notice_item = item;
                }
        }
}

/* The first and last valid day of item's "off" list; false if it has none. */
static bool notice_item_span(const config_setting_t *item, Day *ret_from, Day *ret_to) {
        const config_setting_t *off = config_setting_get_member(item, "off");
        Day from = DAY_NONE, to = DAY_NONE;
        int n = off ? config_setting_length(off) : 0;

        for (int i = 0; i < n; i++) {
                const char *v = config_setting_get_string(config_setting_get_elem(off, i));
                Day d;

                if (!v || day_parse(v, &d) < 0)
                        continue;
                if (from == DAY_NONE || d < from)
                        from = d;
                if (to == DAY_NONE || d > to)
                        to = d;
        }
        if (from == DAY_NONE)
                return false;
        *ret_from = from;
        *ret_to = to;
        return true;
}

/* The superior office's `reports = ( { holiday = "国庆节、中秋节"; deadline = "2026-09-28T17:00"; } )`:
 * the holiday rosters its offices send up, each by its deadline. An office's dutyd reads the key
 * and ignores it; an aggregator tells on time, late and missing from it. */
static void parse_notice_reports(Parser *p, HolidayNotice *notice, const config_setting_t *root,
                                 const config_setting_t *holidays) {
        const config_setting_t *list;
        int n, n_items = config_setting_length(holidays);

        list = lookup(p, root, NULL, "reports", KIND_LIST, false);
        if (!list || (n = config_setting_length(list)) == 0)
                return;
        notice->reports = calloc((size_t) n, sizeof(NoticeReport));
        if (!notice->reports) {
                p->oom = true;
                return;
        }
        for (int i = 0; i < n; i++) {
                const config_setting_t *e = config_setting_get_elem(list, i);
                char path[CONFIG_PATH_BUF], key[32];
                NoticeReport *rep;
                const char *holiday, *deadline;
                Day day, from, to;
                int minutes, item = -1;

                element_path(path, "reports", e, "holiday", (unsigned) i);
                if (!element_is_group(p, e, path))
                        continue;
                check_keys(p, e, path, notice_report_keys);
                holiday = get_string(p, e, path, "holiday", true);
                deadline = get_string(p, e, path, "deadline", true);
                if (!holiday || !deadline)
                        continue;
                for (int k = 0; k < n_items; k++) {
                        const config_setting_t *h = config_setting_get_elem(holidays, k);
                        const config_setting_t *nm = h ? config_setting_get_member(h, "name") : NULL;
                        const char *v = nm ? config_setting_get_string(nm) : NULL;

                        if (v && streq(v, holiday)) {
                                item = k;
                                break;
                        }
                }
                if (item < 0) {
                        parser_error(p, config_setting_get_member(e, "holiday"), path,
                                     "\"%s\" is not a holiday of this notice (write its name as in holidays)", holiday);
                        continue;
                }
                if (local_moment_parse(deadline, &day, &minutes) < 0) {
                        parser_error(p, config_setting_get_member(e, "deadline"), path,
                                     "invalid deadline \"%s\", expected local \"YYYY-MM-DDTHH:MM\"", deadline);
                        continue;
                }
                /* A date alone: by the end of that day. */
                if (minutes < 0)
                        minutes = 24 * 60;
                if (!notice_item_span(config_setting_get_elem(holidays, item), &from, &to))
                        continue;  /* reported with the item's days */
                if (day > to) {
                        parser_error(p, config_setting_get_member(e, "deadline"), path,
                                     "deadline %s is after the holiday's last day", deadline);
                        continue;
                }
                (void) snprintf(key, sizeof(key), "%d-%d", notice->year, item + 1);
                rep = &notice->reports[notice->n_reports++];
                *rep = (NoticeReport) {
                        .holiday = parser_strdup(p, holiday),
                        .key = parser_strdup(p, key),
                        .from = from,
                        .to = to,
                        .deadline_day = day,
                        .deadline_minutes = minutes,
                        .line = setting_line(e),
                };
        }
}

static void parse_notice(Parser *p, Config *c, HolidayMentions *pending, const config_setting_t *root,
                         const char *file) {
        HolidayNotice *notice = &c->notices[c->n_notices++];
        config_setting_t *holidays;
        long long year = 0;
        int n;

        *notice = (HolidayNotice) { .file = parser_strdup(p, file) };
        check_keys(p, root, NULL, notice_keys);

        if (get_int(p, root, NULL, "year", DAY_MIN_YEAR + 1, DAY_MAX_YEAR, true, &year)) {
                notice->year = (int) year;
                for (size_t i = 0; i + 1 < c->n_notices; i++)
                        if (c->notices[i].year == notice->year)
                                parser_error(p, config_setting_get_member(root, "year"), "year",
                                             "year %d is also given by %s", notice->year,
                                             strna(c->notices[i].file));
        }
        notice->source = parser_strdup(p, get_string(p, root, NULL, "source", true));

        holidays = lookup(p, root, NULL, "holidays", KIND_LIST, true);
        if (!holidays)
                return;
        n = config_setting_length(holidays);
        for (int i = 0; i < n; i++) {
                const config_setting_t *e = config_setting_get_elem(holidays, i);
                char path[CONFIG_PATH_BUF];
                const char *name;

                element_path(path, "holidays", e, "name", i);
                if (!element_is_group(p, e, path))
                        continue;
                check_keys(p, e, path, notice_holiday_keys);
                name = get_string(p, e, path, "name", true);
                /* notice->file, unlike the libconfig file names, outlives this file's config_t. */
                parse_notice_days(p, pending, notice->file, e, path, "off", true, notice->year, (unsigned) i + 1,
                                  name ?: "");
                parse_notice_days(p, pending, notice->file, e, path, "work", false, notice->year, (unsigned) i + 1,
                                  name ?: "");
        }
        parse_notice_reports(p, notice, root, holidays);
}

/* ---- syntax errors ---- */

/* Punctuation a Chinese input method types in place of libconfig's; libconfig only says "syntax
 * error" for it. */
static const struct {
        const char *full;
        const char *ascii;
} full_width_table[] = {
        { "；", ";" }, { "，", "," }, { "“", "\"" }, { "”", "\"" }, { "：", ":" }, { "＝", "=" },
        { "（", "(" }, { "）", ")" }, { "［", "[" }, { "］", "]" }, { "｛", "{" }, { "｝", "}" },
};

/* Reports every full-width punctuation mark outside strings and comments of `file` (as libconfig
 * names it) at its line, with the character to type instead. Returns how many were reported. */
static size_t report_full_width(Parser *p, const char *file) {
        _cleanup_free_ char *path = file_display(p, file), *line = NULL;
        bool block_comment = false;
        FILE *f;
        size_t size = 0, found = 0;
        int n = 0;

        if (!path) {
                p->oom = true;
                return 0;
        }
        /* What was parsed from memory is scanned there: the file of that name may not exist. */
        if (p->text && p->file && streq(file, p->file))
                f = fmemopen((void *) p->text, strlen(p->text), "r");
        else
                f = fopen(path, "re");
        if (!f)
                return 0;
        while (getline(&line, &size, f) >= 0) {
                /* A string does not go on past the end of its line here, so that one “ or ” closing
                 * an ASCII quote does not hide the rest of the file. */
                bool string = false;

                n++;
                for (const char *c = line; *c; c++) {
                        if (block_comment) {
                                if (strneq(c, "*/", 2)) {
                                        block_comment = false;
                                        c++;
                                }
                                continue;
                        }
                        if (string) {
                                if (*c == '\\' && c[1])
                                        c++;
                                else if (*c == '"')
                                        string = false;
                                continue;
                        }
                        if (*c == '"')
                                string = true;
                        else if (*c == '#' || strneq(c, "//", 2))
                                break;
                        else if (strneq(c, "/*", 2)) {
                                block_comment = true;
                                c++;
                        } else if ((unsigned char) *c >= 0x80)
                                for (size_t i = 0; i < ELEMENTSOF(full_width_table); i++) {
                                        if (!strneq(c, full_width_table[i].full, strlen(full_width_table[i].full)))
                                                continue;
                                        parser_add(p, file, n, NULL,
                                                   strdup_printf(_("full-width %s typed with a Chinese input "
                                                                    "method: use %s instead"),
                                                                  full_width_table[i].full,
                                                                  full_width_table[i].ascii));
                                        c += strlen(full_width_table[i].full) - 1;
                                        found++;
                                        break;
                                }
                }
        }
        fclose(f);
        return found;
}

/* libconfig's own message, unless full-width punctuation explains it better. */
static void report_syntax_error(Parser *p, const config_t *cf, const char *file) {
        const char *where = config_error_file(cf) ?: file;

        if (config_error_type(cf) == CONFIG_ERR_FILE_IO)
                parser_add(p, where, config_error_line(cf), NULL, strdup("cannot read the file"));
        else if (report_full_width(p, where) == 0)
                parser_add(p, where, config_error_line(cf), NULL, strdup(config_error_text(cf) ?: "syntax error"));
}

static void read_notice_file(Parser *p, Config *c, HolidayMentions *pending, const char *file) {
        const char *saved = p->file;
        config_t cf;

        config_init(&cf);
        p->file = file;
        if (!config_read_file(&cf, file)) {
                if (config_error_type(&cf) == CONFIG_ERR_FILE_IO)
                        parser_add(p, file, 0, NULL, strdup("cannot read the file"));
                else
                        report_syntax_error(p, &cf, file);
        } else
                parse_notice(p, c, pending, config_root_setting(&cf), file);

        config_destroy(&cf);
        p->file = saved;
}

static int compare_strings(const void *a, const void *b) {
        return strcmp(*(char *const *) a, *(char *const *) b);
}

static void read_holidays_dir(Parser *p, Config *c, HolidayMentions *pending, const config_setting_t *where,
                              bool explicit) {
        _cleanup_strv_free_ char **names = NULL;
        size_t n = 0;
        struct dirent *de;
        DIR *d;

        d = opendir(c->holidays_dir);
        if (!d) {
                if (errno == ENOENT && !explicit)
                        return;
                parser_error(p, where, where ? "holidays_dir" : NULL, "cannot open holidays directory %s: %s",
                             c->holidays_dir, strerror(errno));
                return;
        }

        names = calloc(CONFIG_HOLIDAY_FILES_MAX + 1, sizeof(char *));
        if (!names) {
                p->oom = true;
                closedir(d);
                return;
        }
        while ((de = readdir(d))) {
                size_t len = strlen(de->d_name);
                struct stat st;

                if (de->d_name[0] == '.' || len <= strlen(".conf") || !streq(de->d_name + len - strlen(".conf"), ".conf"))
                        continue;
                if (fstatat(dirfd(d), de->d_name, &st, 0) < 0 || !S_ISREG(st.st_mode))
                        continue;
                if (n >= CONFIG_HOLIDAY_FILES_MAX) {
                        parser_error(p, where, where ? "holidays_dir" : NULL,
                                     "more than %d files in holidays directory %s", CONFIG_HOLIDAY_FILES_MAX,
                                     c->holidays_dir);
                        break;
                }
                if (asprintf(&names[n], "%s/%s", c->holidays_dir, de->d_name) < 0) {
                        names[n] = NULL;
                        p->oom = true;
                        break;
                }
                n++;
        }
        closedir(d);

        qsort(names, n, sizeof(char *), compare_strings);
        c->notices = calloc(n ?: 1, sizeof(HolidayNotice));
        if (!c->notices) {
                p->oom = true;
                return;
        }
        for (size_t i = 0; i < n; i++)
                read_notice_file(p, c, pending, names[i]);
}

static int compare_special(const void *a, const void *b) {
        const SpecialDay *x = a, *y = b;

        return (x->day > y->day) - (x->day < y->day);
}

static int report_clash(const HolidayMention *again, const HolidayMention *first, const char *first_name,
                        void *userdata) {
        Parser *p = userdata;
        char s[DAY_STRING_MAX];

        if (again->local && !first->local)
                parser_add(p, again->file, again->line, again->setting,
                           strdup_printf("local holiday %s conflicts with the holiday notice at %s:%d (%s)",
                                         day_format(again->day, s), first->file, first->line, first_name));
        else
                parser_add(p, again->file, again->line, again->setting,
                           strdup_printf("%s is listed twice (also at %s:%d)", day_format(again->day, s),
                                         first->file, first->line));
        return 0;  /* out of memory is p->oom's, and the other clashes are still worth reporting */
}

/* Moves the named days into c->holiday_days, sorted, reporting every day named twice. */
static void merge_days(Parser *p, Config *c, HolidayMentions *pending) {
        if (holiday_mentions_merge(pending, report_clash, p, &c->holiday_days, &c->n_holiday_days) < 0)
                p->oom = true;
}

static char *dir_of(const char *path) {
        const char *slash = strrchr(path, '/');

        if (!slash)
                return strdup(".");
        if (slash == path)
                return strdup("/");
        return strndup(path, slash - path);
}

static void resolve_holidays(Parser *p, Config *c, HolidayMentions *pending, const config_setting_t *root,
                             const char *dir) {
        const char *v;
        bool explicit;

        v = get_string(p, root, NULL, "holidays_dir", false);
        explicit = v;
        if (!v) {
                if (config_setting_get_member(root, "holidays_dir"))
                        return; /* present but invalid, already reported */
                v = CONFIG_HOLIDAYS_DIR_DEFAULT;
        }
        if (v[0] == '/')
                c->holidays_dir = parser_strdup(p, v);
        else if (asprintf(&c->holidays_dir, "%s/%s", dir, v) < 0) {
                c->holidays_dir = NULL;
                p->oom = true;
        }
        if (!c->holidays_dir)
                return;
        read_holidays_dir(p, c, pending, explicit ? config_setting_get_member(root, "holidays_dir") : NULL,
                          explicit);
}

/* The superior section names groups, so it is read after them. */
static void parse_superior_section(Parser *p, Config *c, const config_setting_t *root) {
        const config_setting_t *g;
        int b;

        c->superior.holiday_rosters = true;
        g = lookup(p, root, NULL, "superior", KIND_GROUP, false);
        if (!g)
                return;
        check_keys(p, g, "superior", superior_keys);
        parse_group_ids(p, c, g, "superior", "report_groups", &c->superior.report_groups,
                        &c->superior.n_report_groups);
        if (config_setting_lookup_bool(g, "holiday_rosters", &b) == CONFIG_TRUE)
                c->superior.holiday_rosters = b;
        else if (config_setting_get_member(g, "holiday_rosters"))
                parser_error(p, config_setting_get_member(g, "holiday_rosters"), "superior.holiday_rosters",
                             "expected true or false");
}

static void config_parse(Parser *p, Config *c, const config_setting_t *root, const char *dir) {
        _cleanup_(holiday_mentions_done) HolidayMentions pending = {};

        parse_settings(p, c, root);
        parse_people(p, c, root);
        parse_groups(p, c, root);
        parse_posts(p, c, root);
        parse_special_days(p, c, root);
        parse_sensitive_periods(p, c, root);
        parse_roster_section(p, c, root);
        parse_swap_section(p, c, root);
        parse_presence_section(p, c, root);
        parse_duty_log_section(p, c, root);
        parse_notify_section(p, c, root);
        parse_leave_section(p, c, root);
        parse_document_settings(p, c, root);
        parse_feed_settings(p, c, root);
        parse_aggregator_section(p, c, root);
        parse_superior_section(p, c, root);

        resolve_holidays(p, c, &pending, root, dir);
        /* Local holidays come after the notices, so a clash is reported against the local entry. */
        parse_local_holidays(p, &pending, root);
        merge_days(p, c, &pending);

        if (c->n_special_days > 1)
                qsort(c->special_days, c->n_special_days, sizeof(SpecialDay), compare_special);
}

/* Hands the Config or the errors out, as config_load() promises, and frees the rest. */
static int parser_finish(Parser *p, int r, Config **c, Config **ret, ConfigErrors *ret_errors) {
        people_keys_done(&p->keys);
        if (r >= 0 && p->oom)
                r = -ENOMEM;
        else if (r >= 0 && p->errors.n > 0)
                r = -EINVAL;

        if (r < 0) {
                *c = config_free(*c);
                config_errors_done(&p->warnings);
                if (ret_errors)
                        *ret_errors = p->errors;
                else
                        config_errors_done(&p->errors);
                return r;
        }
        (*c)->warnings = p->warnings;
        if (ret_errors)
                *ret_errors = (ConfigErrors) {};
        *ret = TAKE_PTR(*c);
        return 0;
}

/* text: the file's contents, or NULL to read the file at path. */
static int config_load_internal(const char *path, const char *text, Config **ret, ConfigErrors *ret_errors) {
        _cleanup_(config_freep) Config *c = NULL;
        _cleanup_free_ char *dir = NULL;
        Parser p = { .file = path, .text = text };
        config_t cf;
        int r = 0;

        if (!path || !ret)
                return -EINVAL;

        if (!text) {
                FILE *f;

                /* libconfig reports only "file I/O error"; opening it first gives the real errno. */
                f = fopen(path, "re");
                if (!f) {
                        r = -errno;
                        parser_error(&p, NULL, NULL, "cannot open: %s", strerror(-r));
                        return parser_finish(&p, r, &c, ret, ret_errors);
                }
                fclose(f);
        }

        dir = dir_of(path);
        c = calloc(1, sizeof(Config));
        if (!dir || !c)
                return parser_finish(&p, -ENOMEM, &c, ret, ret_errors);
        c->path = parser_strdup(&p, path);

        p.dir = dir;
        config_init(&cf);
        config_set_include_dir(&cf, dir);
        if (!(text ? config_read_string(&cf, text) : config_read_file(&cf, path)))
                report_syntax_error(&p, &cf, path);
        else
                config_parse(&p, c, config_root_setting(&cf), dir);
        config_destroy(&cf);

        return parser_finish(&p, 0, &c, ret, ret_errors);
}

int config_load(const char *path, Config **ret, ConfigErrors *ret_errors) {
        return config_load_internal(path, NULL, ret, ret_errors);
}

int config_load_from_memory(const char *name, const void *data, size_t size, Config **ret,
                            ConfigErrors *ret_errors) {
        _cleanup_free_ char *text = NULL;

        if (!name || (!data && size > 0) || !ret)
                return -EINVAL;
        /* libconfig parses a C string: the text ends at its first NUL. */
        text = strndup(data ?: "", size);
        if (!text)
                return -ENOMEM;
        return config_load_internal(name, text, ret, ret_errors);
}

int config_load_notices(const char *dir, Config **ret, ConfigErrors *ret_errors) {
        _cleanup_(holiday_mentions_done) HolidayMentions pending = {};
        _cleanup_(config_freep) Config *c = NULL;
        Parser p = { .file = dir };

        if (!dir || !ret)
                return -EINVAL;
        c = calloc(1, sizeof(Config));
        if (!c)
                return parser_finish(&p, -ENOMEM, &c, ret, ret_errors);
        c->holidays_dir = parser_strdup(&p, dir);
        if (c->holidays_dir) {
                read_holidays_dir(&p, c, &pending, NULL, true);
                merge_days(&p, c, &pending);
        }
        return parser_finish(&p, 0, &c, ret, ret_errors);
}
