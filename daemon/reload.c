/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <grp.h>
#include <libgen.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <syslog.h>
#include <systemd/sd-daemon.h>
#include <time.h>

#include "aggregate.h"
#include "config-parse.h"
#include "i18n.h"
#include "log.h"
#include "feed.h"
#include "notify-send.h"
#include "monitor.h"
#include "reload.h"

/* The zone the office lives in decides what "today" and the handover mean; the process follows it. */
int manager_apply_timezone(const Config *c) {
        _cleanup_free_ char *tz = NULL;

        if (asprintf(&tz, ":%s", c->timezone) < 0)
                return -ENOMEM;
        if (setenv("TZ", tz, 1) < 0)
                return -errno;
        tzset();
        return 0;
}

int manager_load_config(const char *path, Config **ret) {
        _cleanup_(config_errors_done) ConfigErrors errors = {};
        int r;

        r = config_load(path, ret, &errors);
        if (r < 0) {
                _cleanup_free_ char *text = config_errors_format(&errors);

                if (text && !isempty(text))
                        fprintf(stderr, SD_ERR "%s", text);
                else
                        log_error("Failed to load %s: %s", path, strerror(-r));
        }
        return r;
}

/* What loads but was probably not meant (people without roles, a year without a holiday notice), one
 * journal line each; the same lines `dutyd --check-config` prints. */
void manager_log_config_warnings(const Manager *m, const Config *c) {
        _cleanup_(config_errors_done) ConfigErrors w = {};
        _cleanup_free_ char *text = NULL;

        if (config_warnings(c, manager_today(m), &w) < 0 || w.n == 0)
                return;
        text = config_errors_format(&w);
        for (char *line = text, *end; line && *line; line = end + 1) {
                end = strchrnul(line, '\n');
                log_warning("%.*s", (int) (end - line), line);
                if (!*end)
                        break;
        }
}

/* Who may own what dutyd trusts: root, or the user dutyd runs as (its files are its own). */
static bool owner_trusted(uid_t uid) {
        return uid == 0 || uid == geteuid();
}

/* Names an owner for the clerk: "name (uid N)", or just the uid. */
static void owner_name(uid_t uid, char *buf, size_t size) {
        struct passwd *pw = getpwuid(uid);

        if (pw && pw->pw_name)
                (void) snprintf(buf, size, "%s (uid %u)", pw->pw_name, (unsigned) uid);
        else
                (void) snprintf(buf, size, "uid %u", (unsigned) uid);
}

/* Like sshd's StrictModes: what dutyd reads or writes must belong to root or to dutyd's own user
 * and be writable by nobody else, or another local user could rewrite the roster, the people and
 * their rights. With TRUST_PARENT the directory holding it must not let another user replace it
 * (belong to another user, or be writable by others without the sticky bit); with TRUST_NOFOLLOW
 * a symbolic link is refused instead of followed. Returns 0, or a negative errno and *ret_error
 * (may stay NULL on ENOMEM). */

int check_trusted_one(const char *path, const char *what, const char *shown, TrustFlags flags,
                      bool is_parent, char **ret_error) {
        char owner[128];
        struct stat st;
        int r;

        if (((flags & TRUST_NOFOLLOW) ? lstat(path, &st) : stat(path, &st)) < 0) {
                r = -errno;
                if (is_parent) {
                        if (asprintf(ret_error, _("Cannot stat the directory %s of %s %s: %s"), path, _(what), shown, strerror(-r)) < 0)
                                *ret_error = NULL;
                } else if (asprintf(ret_error, _("Cannot stat %s %s: %s"), _(what), path, strerror(-r)) < 0)
                        *ret_error = NULL;
                return r;
        }
        if (S_ISLNK(st.st_mode)) {
                if (asprintf(ret_error, _("Refusing to use %s %s: it is a symbolic link. Give its real path instead."),
                             _(what), path) < 0)
                        *ret_error = NULL;
                return -ELOOP;
        }
        if (!owner_trusted(st.st_uid)) {
                struct passwd *pw = getpwuid(geteuid());
                _cleanup_free_ char *trusted = NULL;
                char self[64];

                if (pw && pw->pw_name)
                        (void) snprintf(self, sizeof(self), "%s", pw->pw_name);
                else
                        (void) snprintf(self, sizeof(self), "%u", (unsigned) geteuid());
                /* "root or root" when dutyd runs as root says nothing. */
                if (geteuid() == 0)
                        trusted = strdup("root");
                else if (asprintf(&trusted, _("root or %s (the user dutyd runs as)"), self) < 0)
                        trusted = NULL;
                owner_name(st.st_uid, owner, sizeof(owner));
                if (is_parent
                    ? asprintf(ret_error, _("Refusing to use %s %s: its directory %s belongs to %s, who could replace it; "
                                            "dutyd trusts only directories of %s. Fix it with: chown %s %s"),
                                 _(what), shown, path, owner, strna(trusted), self, path) < 0
                    : asprintf(ret_error, _("Refusing to use %s %s: it belongs to %s; dutyd trusts only files of %s. "
                                            "Fix it with: chown %s %s"),
                               _(what), path, owner, strna(trusted), self, path) < 0)
                        *ret_error = NULL;
                return -EPERM;
        }
        if (is_parent) {
                /* The sticky bit keeps others from replacing what they do not own (/tmp). */
                if ((st.st_mode & (S_IWGRP|S_IWOTH)) && !(st.st_mode & S_ISVTX)) {
                        if (asprintf(ret_error, (st.st_mode & S_IWOTH)
                                     ? _("Refusing to use %s %s: its directory %s is world-writable.")
                                     : _("Refusing to use %s %s: its directory %s is writable by its group."),
                                     _(what), shown, path) < 0)
                                *ret_error = NULL;
                        return -EPERM;
                }
                return 0;
        }
        if (st.st_mode & S_IWOTH) {
                if (asprintf(ret_error, _("Refusing to use %s %s: it is world-writable."), _(what), path) < 0)
                        *ret_error = NULL;
                return -EPERM;
        }
        if (st.st_mode & S_IWGRP) {
                if (asprintf(ret_error, _("Refusing to use %s %s: it is writable by its group (mode %04o). "
                                          "Take the group's write permission away: chmod g-w %s"),
                             _(what), path, (unsigned) (st.st_mode & 07777), path) < 0)
                        *ret_error = NULL;
                return -EPERM;
        }
        return 0;
}

static int check_trusted_full(const char *path, const char *what, TrustFlags flags, char **ret_error) {
        _cleanup_free_ char *copy = NULL;
        int r;

        r = check_trusted_one(path, what, path, flags, false, ret_error);
        if (r < 0 || !(flags & TRUST_PARENT))
                return r;

        copy = strdup(path);
        if (!copy)
                return -ENOMEM;
        return check_trusted_one(dirname(copy), what, path, 0, true, ret_error);
}

/* Every *.conf file in it is read as calendar data: nobody else may add one. */
static int check_holidays_dir(const Config *c, char **ret_error) {
        if (!c->holidays_dir || access(c->holidays_dir, F_OK) < 0)
                return 0;  /* config_load() reported a missing one already, if it mattered */
        return check_trusted_full(c->holidays_dir, N_("holidays directory"), 0, ret_error);
}

int check_trusted(const char *path, const char *what, TrustFlags flags) {
        _cleanup_free_ char *error = NULL;
        int r;

        r = check_trusted_full(path, what, flags, &error);
        if (r < 0)
                log_error("%s", error ?: strerror(-r));
        return r;
}

int check_holidays_dir_log(const Config *c) {
        _cleanup_free_ char *error = NULL;
        int r;

        r = check_holidays_dir(c, &error);
        if (r < 0)
                log_error("%s", error ?: strerror(-r));
        return r;
}

#define MANAGER_MESSAGE_ID_RELOAD_FAILED "5b7510057fb44ce98cd6c8aa4b571171"

static void manager_log_reload_failed(Manager *m, const char *problem) {
        _cleanup_free_ char *config = NULL, *errors = NULL, *message = NULL;

        if (asprintf(&config, "DUTY_CONFIG=%s", m->config_path) < 0 ||
            asprintf(&errors, "DUTY_ERRORS=%s", problem) < 0 ||
            asprintf(&message, "Reload failed, keeping the previous configuration:\n%s", problem) < 0) {
                log_error("Reload failed, keeping the previous configuration:\n%s", problem);
                return;
        }
        (void) log_struct_entry(LOG_ERR, MANAGER_MESSAGE_ID_RELOAD_FAILED, manager_office_id(m),
                                (const char *const[]) { config, errors, NULL }, message);
}

int manager_reload(Manager *m, char **ret_error) {
        _cleanup_(config_errors_done) ConfigErrors errors = {};
        _cleanup_(config_freep) Config *c = NULL;
        _cleanup_free_ char *problem = NULL;
        int r;

        r = check_trusted_full(m->config_path, N_("configuration file"), TRUST_PARENT, &problem);
        if (r >= 0) {
                r = config_load(m->config_path, &c, &errors);
                if (r < 0) {
                        problem = config_errors_format(&errors);
                        r = -EINVAL;
                }
        }
        if (r >= 0)
                r = check_holidays_dir(c, &problem);
        if (r < 0) {
                manager_log_reload_failed(m, problem ?: strerror(-r));
                if (ret_error)
                        *ret_error = TAKE_PTR(problem);
                return r;
        }

        if (!streq(c->timezone, m->config->timezone)) {
                r = manager_apply_timezone(c);
                if (r < 0)
                        return log_error_errno(r, "Cannot set time zone %s: %m", c->timezone);
        }

        auth_name_cache_forget_config(&m->peer_names);
        config_free(m->config);
        m->config = TAKE_PTR(c);
        m->config_generation++;
        log_info("Configuration reloaded from %s: %zu people, %zu posts.",
                 m->config_path, m->config->n_people, m->config->n_posts);
        manager_log_config_warnings(m, m->config);
        /* People and posts may have gone: the duties they held become gaps now, not at the next
         * timer — MONITOR_SOON_USEC from now, once a Reload call's transaction has committed. */
        (void) monitor_schedule(m->monitor);
        /* The feeds may have moved, their names changed, a person's phone too. */
        (void) feed_schedule(m->feed);
        /* Queued notifications go out through the channels as now configured. */
        (void) notifier_schedule(m->notifier);
        /* The offices' enrolment is looked at again, and told, at the aggregator's next turn. */
        aggregator_reloaded(m->aggregator);
        return 0;
}

int manager_reload_notify(Manager *m, char **ret_error) {
        int r;

        (void) sd_notifyf(false, "RELOADING=1\nMONOTONIC_USEC=%" PRIu64 "\nSTATUS=Reloading configuration.",
                          context_clock_usec(CLOCK_MONOTONIC));
        r = manager_reload(m, ret_error);
        (void) sd_notifyf(false, "READY=1\nSTATUS=%s",
                          r < 0 ? "Reload failed; running with the previous configuration."
                                : "Configuration reloaded.");
        return r;
}
