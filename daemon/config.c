/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The office configuration as the core sees it: the immutable Config and its lookups (people by id,
 * user and uid, groups, posts), the error list, and the warnings worth repeating at every start.
 *
 * Reading a file into a Config is config-parse.c's job, the only user of libconfig; this file and the
 * engines that take a Config link without it. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "i18n.h"

#define CONFIG_NEXT_NOTICE_MONTH 11      /* from then on, next year's missing notice is warned about */

/* ---- errors ---- */

void config_errors_done(ConfigErrors *e) {
        if (!e)
                return;
        for (size_t i = 0; i < e->n; i++) {
                free(e->items[i].file);
                free(e->items[i].setting);
                free(e->items[i].message);
        }
        free(e->items);
        *e = (ConfigErrors) {};
}

char *config_errors_format(const ConfigErrors *e) {
        _cleanup_free_ char *buf = NULL;
        size_t size = 0;
        FILE *f;

        f = open_memstream(&buf, &size);
        if (!f)
                return NULL;
        for (size_t i = 0; e && i < e->n; i++) {
                const ConfigError *x = &e->items[i];

                fputs(strempty(x->file), f);
                if (x->line > 0)
                        fprintf(f, ":%d", x->line);
                if (x->warning)
                        fputs(_(": warning"), f);
                if (x->setting)
                        fprintf(f, ": %s", x->setting);
                fprintf(f, ": %s\n", strempty(x->message));
        }
        if (fclose(f) != 0)
                return NULL;
        return TAKE_PTR(buf);
}

int config_errors_add(ConfigErrors *e, char *file, int line, const char *setting, char *message, bool warning) {
        ConfigError *items;

        if (!file || !message || (setting && !(setting = strdup(setting))))
                goto fail;
        items = reallocarray(e->items, e->n + 1, sizeof(ConfigError));
        if (!items) {
                free((char *) setting);
                goto fail;
        }
        e->items = items;
        items[e->n++] = (ConfigError) {
                .file = file,
                .line = line,
                .setting = (char *) setting,
                .message = message,
                .warning = warning,
        };
        return 0;
fail:
        free(file);
        free(message);
        return -ENOMEM;
}

/* ---- the leave rules' lifetime (rules.c evaluates them) ---- */

void leave_rules_init(LeaveRules *r) {
        if (!r)
                return;
        *r = (LeaveRules) {
                .notice_working_days = RULES_NOTICE_WORKING_DAYS_DEFAULT,
                .notice_min_days = RULES_NOTICE_MIN_DAYS_DEFAULT,
                .urgent_paperwork_days = RULES_URGENT_PAPERWORK_DAYS_DEFAULT,
        };
}

void leave_rules_done(LeaveRules *r) {
        if (!r)
                return;
        strv_free_n(r->never_together_groups, r->n_never_together_groups);
        strv_free_n(r->require_acting_groups, r->n_require_acting_groups);
        strv_free_n(r->acting_groups, r->n_acting_groups);
        for (size_t i = 0; i < r->n_tiers; i++)
                free(r->tiers[i].approver);
        free(r->tiers);
        for (size_t i = 0; i < r->n_approvers; i++) {
                free(r->approvers[i].who);
                free(r->approvers[i].approver);
                free(r->approvers[i].stand_in);
                free(r->approvers[i].reports_to);
        }
        free(r->approvers);
        *r = (LeaveRules) {};
}

bool office_id_is_valid(const char *s) {
        size_t n;

        if (!s)
                return false;
        n = strlen(s);
        if (n == 0 || n > CONFIG_OFFICE_ID_MAX || s[0] == '-' || s[n - 1] == '-')
                return false;
        for (size_t i = 0; i < n; i++)
                if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
                        return false;
        return true;
}

bool config_person_reportable(const Config *c, const char *person) {
        if (!c || !person)
                return false;
        for (size_t i = 0; i < c->superior.n_report_groups; i++) {
                const Group *g = config_find_group(c, c->superior.report_groups[i]);

                for (size_t j = 0; g && j < g->n_members; j++)
                        if (g->members[j] < c->n_people && streq(c->people[g->members[j]].id, person))
                                return true;
        }
        return false;
}

Config *config_free(Config *c) {
        if (!c)
                return NULL;

        free(c->path);
        free(c->office);
        free(c->office_id);
        strv_free_n(c->superior.report_groups, c->superior.n_report_groups);
        free(c->timezone);
        free(c->socket_group);
        free(c->socket_path);
        free(c->state_dir);
        free(c->language);
        free(c->documents.office_phone);
        free(c->documents.requirements);
        free(c->documents.prepared_by);
        free(c->documents.reviewed_by);
        free(c->documents.ics_organizer);
        free(c->feeds.dir);
        free(c->feeds.token_secret);

        for (size_t i = 0; i < c->n_people; i++) {
                free(c->people[i].id);
                free(c->people[i].name);
                free(c->people[i].user);
                free(c->people[i].phone);
                free(c->people[i].title);
                strv_free(c->people[i].notify);
                free(c->people[i].email);
                free(c->people[i].language);
                free(c->people[i].notify_mention);
        }
        for (size_t i = 0; i < c->notify.n_channels; i++) {
                free(c->notify.channels[i].name);
                free(c->notify.channels[i].url);
                free(c->notify.channels[i].command);
                free(c->notify.channels[i].from);
                free(c->notify.channels[i].username);
                free(c->notify.channels[i].ca_file);
                if (c->notify.channels[i].password)
                        /* Not left in freed memory (a core dump, a later allocation). */
                        explicit_bzero(c->notify.channels[i].password, strlen(c->notify.channels[i].password));
                free(c->notify.channels[i].password);
        }
        free(c->notify.channels);
        strv_free(c->notify.default_channels);
        strv_free(c->notify.summary_to);
        free(c->people);
        free(c->people_by_id);
        for (size_t i = 0; i < c->n_groups; i++) {
                free(c->groups[i].id);
                free(c->groups[i].name);
                free(c->groups[i].members);
        }
        free(c->groups);
        for (size_t i = 0; i < c->n_posts; i++) {
                free(c->posts[i].id);
                free(c->posts[i].name);
                free(c->posts[i].group);
        }
        free(c->posts);

        free(c->holidays_dir);
        for (size_t i = 0; i < c->n_notices; i++) {
                free(c->notices[i].source);
                free(c->notices[i].file);
                for (size_t j = 0; j < c->notices[i].n_reports; j++) {
                        free(c->notices[i].reports[j].holiday);
                        free(c->notices[i].reports[j].key);
                }
                free(c->notices[i].reports);
        }
        free(c->notices);
        for (size_t i = 0; i < c->n_holiday_days; i++)
                free(c->holiday_days[i].name);
        free(c->holiday_days);
        for (size_t i = 0; i < c->n_special_days; i++)
                free(c->special_days[i].name);
        free(c->special_days);
        for (size_t i = 0; i < c->n_sensitive; i++) {
                free(c->sensitive[i].id);
                free(c->sensitive[i].name);
        }
        free(c->sensitive);
        leave_rules_done(&c->leave);
        config_errors_done(&c->warnings);
        free(c->aggregator.journal_dir);
        free(c->aggregator.enrolled_dir);
        for (size_t i = 0; i < c->aggregator.n_offices; i++) {
                free(c->aggregator.offices[i].id);
                free(c->aggregator.offices[i].name);
                free(c->aggregator.offices[i].phone);
                free(c->aggregator.offices[i].email);
                strv_free(c->aggregator.offices[i].notify);
        }
        free(c->aggregator.offices);

        free(c);
        return NULL;
}

static int office_compare_key(const void *key, const void *elem) {
        return strcmp(key, ((const AggregatorOffice *) elem)->id);
}

const AggregatorOffice *config_find_office(const Config *c, const char *id) {
        if (!c || !id || c->aggregator.n_offices == 0)
                return NULL;
        return bsearch(id, c->aggregator.offices, c->aggregator.n_offices, sizeof(AggregatorOffice),
                       office_compare_key);
}

Calendar config_calendar(const Config *c) {
        if (!c)
                return (Calendar) {};
        return (Calendar) {
                .notices = c->notices,
                .n_notices = c->n_notices,
                .days = c->holiday_days,
                .n_days = c->n_holiday_days,
                .special = c->special_days,
                .n_special = c->n_special_days,
                .sensitive = c->sensitive,
                .n_sensitive = c->n_sensitive,
        };
}

static int person_ref_compare(const void *a, const void *b) {
        const ConfigPersonRef *x = a, *y = b;

        return strcmp(x->id, y->id);
}

int config_index_people(Config *c) {
        ConfigPersonRef *refs;
        size_t n = 0;

        if (!c)
                return -EINVAL;
        refs = calloc(c->n_people ?: 1, sizeof(ConfigPersonRef));
        if (!refs)
                return -ENOMEM;
        for (size_t i = 0; i < c->n_people; i++)
                if (c->people[i].id)
                        refs[n++] = (ConfigPersonRef) { .id = c->people[i].id, .index = i };
        qsort(refs, n, sizeof(ConfigPersonRef), person_ref_compare);

        free(c->people_by_id);
        c->people_by_id = refs;
        c->n_people_by_id = n;
        return 0;
}

ssize_t config_person_index(const Config *c, const char *id) {
        const ConfigPersonRef key = { .id = id }, *found;

        if (!c || !id)
                return -1;
        if (!c->people_by_id) {
                for (size_t i = 0; i < c->n_people; i++)
                        if (c->people[i].id && streq(c->people[i].id, id))
                                return (ssize_t) i;
                return -1;
        }
        found = bsearch(&key, c->people_by_id, c->n_people_by_id, sizeof(ConfigPersonRef), person_ref_compare);
        return found ? (ssize_t) found->index : -1;
}

const Person *config_find_person(const Config *c, const char *id) {
        ssize_t i = config_person_index(c, id);

        return i < 0 ? NULL : &c->people[i];
}

const char *config_person_name(const Config *c, const char *id) {
        const Person *p = id ? config_find_person(c, id) : NULL;

        return p && !isempty(p->name) ? p->name : id;
}

const Person *config_find_person_by_uid(const Config *c, uid_t uid) {
        if (!c)
                return NULL;
        for (size_t i = 0; i < c->n_people; i++)
                if (c->people[i].has_uid && c->people[i].uid == uid)
                        return &c->people[i];
        return NULL;
}

const Person *config_find_person_by_user(const Config *c, const char *user) {
        if (!c || !user)
                return NULL;
        for (size_t i = 0; i < c->n_people; i++)
                if (c->people[i].user && streq(c->people[i].user, user))
                        return &c->people[i];
        return NULL;
}

const Group *config_find_group(const Config *c, const char *id) {
        if (!c || !id)
                return NULL;
        for (size_t i = 0; i < c->n_groups; i++)
                if (c->groups[i].id && streq(c->groups[i].id, id))
                        return &c->groups[i];
        return NULL;
}

const Post *config_find_post(const Config *c, const char *id) {
        if (!c || !id)
                return NULL;
        for (size_t i = 0; i < c->n_posts; i++)
                if (c->posts[i].id && streq(c->posts[i].id, id))
                        return &c->posts[i];
        return NULL;
}

bool person_is_active(const Person *p, Day d) {
        if (!p)
                return false;
        if (p->active_from != DAY_NONE && d < p->active_from)
                return false;
        if (p->active_until != DAY_NONE && d > p->active_until)
                return false;
        return true;
}

bool config_person_may_hold(const Config *c, const Post *post, const Person *person) {
        const Group *g;
        size_t i;

        if (!c || !post || !person || !person_has_role(person, post->role))
                return false;
        if (!post->group)
                return true;
        g = config_find_group(c, post->group);
        if (!g || person < c->people || person >= c->people + c->n_people)
                return false;
        i = (size_t) (person - c->people);
        for (size_t k = 0; k < g->n_members; k++)
                if (g->members[k] == i)
                        return true;
        return false;
}

static bool notice_for_year(const Config *c, int year) {
        for (size_t i = 0; i < c->n_notices; i++)
                if (c->notices[i].year == year)
                        return true;
        return false;
}

int config_warnings(const Config *c, Day today, ConfigErrors *ret) {
        _cleanup_(config_errors_done) ConfigErrors w = {};

        if (!c || !ret)
                return -EINVAL;
        for (size_t i = 0; i < c->warnings.n; i++) {
                const ConfigError *x = &c->warnings.items[i];

                if (config_errors_add(&w, strdup(strempty(x->file)), x->line, x->setting, strdup(strempty(x->message)),
                                  true) < 0)
                        return -ENOMEM;
        }
        /* A year without a notice is planned by nobody: say so before the roster runs into it. The
         * next year's notice comes out in November or December; asking for it earlier is noise. */
        for (int y = day_year(today); today != DAY_NONE && c->holidays_dir && y <= day_year(today) + 1; y++)
                if ((y == day_year(today) || today >= day_from_ymd(y - 1, CONFIG_NEXT_NOTICE_MONTH, 1)) &&
                    !notice_for_year(c, y) &&
                    config_errors_add(&w, strdup(c->holidays_dir), 0, NULL,
                                  strdup_printf(_("no holiday notice for %d: its days are unknown and cannot be "
                                                   "planned; when the State Council publishes it, add it here "
                                                   "as cn-%d.conf (format: see dutyd.conf(5))"), y, y),
                                  true) < 0)
                        return -ENOMEM;
        *ret = w;
        w = (ConfigErrors) {};
        return 0;
}

const NotifyChannel *config_find_notify_channel(const Config *c, const char *name) {
        if (!c || !name)
                return NULL;
        for (size_t i = 0; i < c->notify.n_channels; i++)
                if (streq(c->notify.channels[i].name, name))
                        return &c->notify.channels[i];
        return NULL;
}

size_t config_notify_channels(const Config *c, const Person *p, const NotifyChannel **ret) {
        char **names = p && p->notify ? p->notify : c->notify.default_channels;
        size_t k = 0;

        if (!names) {
                for (size_t i = 0; i < c->notify.n_channels && k < NOTIFY_CHANNELS_MAX; i++)
                        ret[k++] = &c->notify.channels[i];
                return k;
        }
        for (char **x = names; *x && k < NOTIFY_CHANNELS_MAX; x++) {
                const NotifyChannel *ch = config_find_notify_channel(c, *x);

                /* A name the configuration no longer defines was reported at load time. */
                if (ch)
                        ret[k++] = ch;
        }
        return k;
}
