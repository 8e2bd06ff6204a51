/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <time.h>
#include <syslog.h>
#include <systemd/sd-event.h>

#include "build-config.h"
#include "duty.h"
#include "feed.h"
#include "i18n.h"
#include "ics.h"
#include "log.h"
#include "manager.h"
#include "roster-reply.h"
#include "sha256.h"

/* The window moves with the date and a failed write is tried again: a run at least this often,
 * also when nothing changes. A run that changes nothing writes nothing. */
#define FEED_INTERVAL_USEC (60 * 60 * USEC_PER_SEC)
/* After a failure, sooner: the directory may be back (a mount, a permission fixed). */
#define FEED_RETRY_USEC (60 * USEC_PER_SEC)
/* A run reads the roster on the loop (the store is the loop's) and hands the rest (rendering every
 * feed, writing, fsync(), rename()) to a worker thread: under a stream of changes (a script
 * amending day after day) runs are kept this far apart, and changes made while the worker writes
 * are taken by one more run after it, so that a burst of changes is one rewrite, and a change still
 * reaches the feeds well within a second. */
#define FEED_SPACING_USEC (300 * USEC_PER_MSEC)
#define FEED_ACCURACY_USEC (10 * USEC_PER_MSEC)
/* Feeds are documents to share through a web server, whatever dutyd's umask. */
#define FEED_FILE_MODE 0644
#define FEED_DIR_MODE 0755

/* One rewrite, handed whole to the worker: it owns everything here until it signals done_fd, and
 * the loop touches none of it meanwhile. The queue is this one job and Feed.again: bounded. */
typedef struct FeedJob {
        json_t *reply;          /* the roster of the window, read on the loop */
        char *dir;
        char *token_secret;     /* may be NULL */
        bool hide_phones;
        char **people;          /* Person.ids, n_people of them */
        size_t n_people;
        uint64_t now_usec;
        uint64_t delay_usec;    /* test hook: the worker waits this long first */
        uint64_t started;       /* CLOCK_MONOTONIC µs when it was handed over */
        int result;             /* the worker's outcome */
} FeedJob;

struct Feed {
        Manager *manager;
        sd_event_source *timer; /* the next run: after a change, the hourly one or a retry */
        sd_event_source *done_source; /* done_fd readable: the worker finished */
        int done_fd;            /* eventfd the worker writes when its job is done */
        pthread_t worker;
        FeedJob *job;           /* being written by the worker, or NULL */
        bool again;             /* a run was due while the worker wrote: one more after it */
        uint64_t last_end;      /* CLOCK_MONOTONIC µs at the end of the last run */
        bool failing;           /* the last run failed: said once, not at every run */
        uint64_t delay_usec;    /* $DUTYD_FEED_DELAY_MS (test hook), given to each job */
        bool ical_loaded;       /* libical loaded by a run (ics_library_load()) */
};

static FeedJob *feed_job_free(FeedJob *j) {
        if (!j)
                return NULL;
        json_decref(j->reply);
        free(j->dir);
        free(j->token_secret);
        strv_free_n(j->people, j->n_people);
        free(j);
        return NULL;
}

static uint64_t monotonic_usec(void) {
        struct timespec ts;

        (void) clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * USEC_PER_SEC + (uint64_t) ts.tv_nsec / 1000;
}

char *feed_file_name(const char *secret, const char *person) {
        _cleanup_free_ char *name = NULL, *keyed = NULL;
        uint8_t digest[SHA256_DIGEST_SIZE];
        char hex[SHA256_HEX_SIZE];
        char *ret;

        name = person ? strdup_printf(FEED_PERSON_PREFIX "%s", person) : strdup(FEED_OFFICE_NAME);
        if (!name)
                return NULL;
        if (!secret)
                return strdup_printf("%s.ics", name);
        keyed = strdup_printf("%s\n%s", secret, name);
        if (!keyed)
                return NULL;
        sha256_hash(keyed, strlen(keyed), digest);
        sha256_to_hex(digest, hex);
        ret = strdup_printf("%s-%.*s.ics", name, FEED_TOKEN_LEN, hex);
        return ret;
}

/* The feed as last written, or nothing: a missing, unreadable or oversized file only costs the
 * events their SEQUENCE history. */
static void feed_previous_read(int dfd, const char *name, char **ret, size_t *ret_size) {
        _cleanup_close_ int fd = -1;
        _cleanup_free_ char *buf = NULL;
        struct stat st;
        size_t done = 0;

        *ret = NULL;
        *ret_size = 0;
        fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
            (uint64_t) st.st_size > ICS_PREVIOUS_MAX)
                return;
        buf = malloc((size_t) st.st_size);
        if (!buf)
                return;
        while (done < (size_t) st.st_size) {
                ssize_t n = read(fd, buf + done, (size_t) st.st_size - done);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        break;
                done += (size_t) n;
        }
        *ret = TAKE_PTR(buf);
        *ret_size = done;
}

/* Renders one feed and replaces its file if the content changed. */
static int feed_write_one(const FeedJob *j, int dfd, const char *person, char **names, size_t *n_names) {
        _cleanup_free_ char *name = NULL, *path = NULL, *previous = NULL, *text = NULL;
        size_t previous_size, size;
        IcsOptions o = {
                .now_usec = j->now_usec,
                .person = person,
                .published_only = true,
                .hide_phones = j->hide_phones,
        };
        int r;

        name = feed_file_name(j->token_secret, person);
        if (!name)
                return -ENOMEM;
        feed_previous_read(dfd, name, &previous, &previous_size);
        o.previous = previous;
        o.previous_size = previous_size;

        r = ics_render(j->reply, &o, &text, &size);
        if (r < 0)
                return r;
        names[(*n_names)++] = name;
        if (previous && previous_size == size && memcmp(previous, text, size) == 0) {
                name = NULL;    /* now in names */
                return 0;
        }
        path = strdup_printf("%s/%s", j->dir, name);
        name = NULL;
        if (!path)
                return -ENOMEM;
        return ics_file_write_atomic(path, text, size, FEED_FILE_MODE);
}

/* Removes the files of feeds that are no more (a person gone from the configuration, names under
 * a former token_secret: they would go on showing phone numbers under a name once given out), and
 * temporary files a crash left. Only names dutyd writes are touched. */
static void feed_remove_stale(int dfd, char *const *names, size_t n_names) {
        _cleanup_close_ int fd = fcntl(dfd, F_DUPFD_CLOEXEC, 3);
        DIR *d;

        if (fd < 0)
                return;
        d = fdopendir(fd);
        if (!d)
                return;
        fd = -1;        /* d owns it */
        for (struct dirent *de; (de = readdir(d));) {
                const char *n = de->d_name;
                bool ours = (strneq(n, FEED_OFFICE_NAME, strlen(FEED_OFFICE_NAME)) ||
                             strneq(n, FEED_PERSON_PREFIX, strlen(FEED_PERSON_PREFIX))) &&
                            strlen(n) > 4 && streq(n + strlen(n) - 4, ".ics");
                bool temporary = n[0] == '.' && strstr(n, ".ics.") &&
                                 (strneq(n + 1, FEED_OFFICE_NAME, strlen(FEED_OFFICE_NAME)) ||
                                  strneq(n + 1, FEED_PERSON_PREFIX, strlen(FEED_PERSON_PREFIX)));
                bool current = false;

                if (!ours && !temporary)
                        continue;
                for (size_t i = 0; i < n_names && !current; i++)
                        current = streq(names[i], n);
                if (!current && unlinkat(dirfd(d), n, 0) < 0 && errno != ENOENT)
                        log_debug("Feeds: cannot remove %s: %m", n);
        }
        closedir(d);
}

/* The worker's part: every file of job j. No loop, no store, no Manager here. */
static int feed_write_all(const FeedJob *j) {
        _cleanup_close_ int dfd = -1;
        char **names = NULL;
        size_t n_names = 0;
        int r;

        /* dutyd's umask (0077 in dutyd.service) would shut the web server out of a directory it
         * makes. */
        if (mkdir(j->dir, FEED_DIR_MODE) >= 0)
                (void) chmod(j->dir, FEED_DIR_MODE);
        else if (errno != EEXIST)
                return -errno;
        dfd = open(j->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0)
                return -errno;

        names = calloc(j->n_people + 1, sizeof(char *));
        if (!names)
                return -ENOMEM;
        /* Every feed is tried even when one fails: one bad file does not hold back the others. */
        r = feed_write_one(j, dfd, NULL, names, &n_names);
        for (size_t i = 0; i < j->n_people; i++) {
                int k = feed_write_one(j, dfd, j->people[i], names, &n_names);

                if (k < 0 && r >= 0)
                        r = k;
        }
        if (r >= 0)
                feed_remove_stale(dfd, names, n_names);

        strv_free_n(names, n_names);
        return r;
}

static void *feed_worker(void *userdata) {
        Feed *f = userdata;
        uint64_t one = 1;

        /* Only f->job and f->done_fd, both fixed while the worker runs. */
        if (f->job->delay_usec > 0) {
                struct timespec ts = {
                        .tv_sec = (time_t) (f->job->delay_usec / USEC_PER_SEC),
                        .tv_nsec = (long) (f->job->delay_usec % USEC_PER_SEC) * 1000,
                };

                while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
                        ;
        }
        f->job->result = feed_write_all(f->job);
        while (write(f->done_fd, &one, sizeof(one)) < 0 && errno == EINTR)
                ;
        return NULL;
}

/* On the loop: the roster of the window and copies of the settings, for the worker. */
static int feed_job_new(Manager *m, FeedJob **ret) {
        const Config *c = m->config;
        FeedJob *j;
        Day from;
        int r;

        j = calloc(1, sizeof(FeedJob));
        if (!j)
                return -ENOMEM;
        j->dir = strdup(c->feeds.dir);
        j->token_secret = c->feeds.token_secret ? strdup(c->feeds.token_secret) : NULL;
        j->people = calloc(c->n_people + 1, sizeof(char *));
        if (!j->dir || (c->feeds.token_secret && !j->token_secret) || !j->people) {
                feed_job_free(j);
                return -ENOMEM;
        }
        for (size_t i = 0; i < c->n_people; i++) {
                j->people[i] = strdup(c->people[i].id);
                if (!j->people[i]) {
                        feed_job_free(j);
                        return -ENOMEM;
                }
                j->n_people++;
        }
        j->hide_phones = c->feeds.hide_phones;
        j->now_usec = manager_now_usec(m);

        /* The days behind are what a calendar keeps showing as recent history; ahead, everything
         * published (a day never published is a draft and left out by the renderer). */
        from = manager_today(m) - (Day) c->feeds.days_back;
        r = roster_reply_show(m, from, from + DUTY_VIEW_DAYS_MAX - 1, NULL, &j->reply);
        if (r < 0) {
                feed_job_free(j);
                return r;
        }
        *ret = j;
        return 0;
}

static void feed_arm(Feed *f, uint64_t usec) {
        int r;

        r = sd_event_source_set_time_relative(f->timer, usec);
        if (r >= 0)
                r = sd_event_source_set_enabled(f->timer, SD_EVENT_ONESHOT);
        if (r < 0)
                log_error("Feeds: cannot arm the timer: %s", strerror(-r));
}

static void feed_log_failed(Feed *f, int error) {
        Manager *m = f->manager;
        _cleanup_free_ char *dir = NULL, *err = NULL, *message = NULL;

        dir = strdup_printf("DUTY_FEED_DIR=%s", m->config->feeds.dir);
        err = strdup_printf("ERRNO=%d", -error);
        /* In the office's language, as the journal's other entries; the catalog has both. */
        if (language_is_en(m->config->language))
                message = strdup_printf("Calendar feeds could not be written to %s: %s. They are tried again at "
                                        "the next change and every %u s; subscribers see the last feed written "
                                        "meanwhile.", m->config->feeds.dir, strerror(-error),
                                        (unsigned) (FEED_RETRY_USEC / USEC_PER_SEC));
        else
                message = strdup_printf("日历订阅文件无法写入 %s：%s。下次变动时和每 %u 秒重试一次；"
                                        "在此之前，订阅者看到的是最后一次写入的文件。", m->config->feeds.dir,
                                        strerror(-error), (unsigned) (FEED_RETRY_USEC / USEC_PER_SEC));
        if (!dir || !err || !message) {
                log_warning("Calendar feeds could not be written: %s", strerror(-error));
                return;
        }
        (void) log_struct_entry(LOG_WARNING, FEED_MESSAGE_ID_FAILED, manager_office_id(m), (const char *const[]) { dir, err, NULL }, message);
}

/* The outcome of a run: said once per failure, the next run armed. */
static void feed_finish(Feed *f, int r) {
        Manager *m = f->manager;

        f->last_end = monotonic_usec();
        if (r < 0) {
                /* Once per failure, not once per run: a directory gone stays one warning. */
                if (!f->failing)
                        feed_log_failed(f, r);
                else
                        log_debug("Feeds: still failing: %s", strerror(-r));
                f->failing = true;
                feed_arm(f, FEED_RETRY_USEC);
                return;
        }
        if (f->failing && language_is_en(m->config->language))
                log_info("Calendar feeds written to %s again.", m->config->feeds.dir);
        else if (f->failing)
                log_info("日历订阅文件已恢复写入 %s。", m->config->feeds.dir);
        f->failing = false;
        feed_arm(f, FEED_INTERVAL_USEC);
}

int feed_run(Feed *f) {
        Manager *m;
        FeedJob *j = NULL;
        int r;

        if (!f)
                return -EINVAL;
        m = f->manager;
        if (!m->config->feeds.dir) {
                f->failing = false;
                feed_arm(f, FEED_INTERVAL_USEC);
                return 0;
        }
        /* The worker is writing: what changed since is taken by one more run after it. */
        if (f->job) {
                f->again = true;
                return 0;
        }
        /* libical is loaded by the first run, not at start: an office without feeds never maps
         * it. Loaded here, on the loop, a failure is said with the loader's reason. */
        if (!f->ical_loaded) {
                _cleanup_free_ char *why = NULL;

                r = ics_library_load(&why);
                if (r < 0) {
                        if (!f->failing)
                                log_error("Feeds: cannot load the iCalendar library %s: %s", LIBICAL_SONAME,
                                          strna(why));
                        feed_finish(f, r);
                        return r;
                }
                f->ical_loaded = true;
        }

        r = feed_job_new(m, &j);
        if (r >= 0) {
                sigset_t all, saved;

                j->delay_usec = f->delay_usec;
                j->started = monotonic_usec();
                f->job = j;
                /* Every signal stays the loop's (signalfd, sd-event): the worker is created with
                 * all of them blocked. */
                (void) sigfillset(&all);
                (void) pthread_sigmask(SIG_SETMASK, &all, &saved);
                r = -pthread_create(&f->worker, NULL, feed_worker, f);
                (void) pthread_sigmask(SIG_SETMASK, &saved, NULL);
                if (r < 0)
                        f->job = feed_job_free(f->job);
        } else
                feed_job_free(j);
        if (r < 0) {
                feed_finish(f, r);
                return r;
        }
        /* The timer waits for the worker: its end arms it. */
        (void) sd_event_source_set_enabled(f->timer, SD_EVENT_OFF);
        return 0;
}

static int on_done(sd_event_source *s, int fd, uint32_t revents, void *userdata) {
        Feed *f = userdata;
        uint64_t n;
        int r;

        if (read(fd, &n, sizeof(n)) < 0 || !f->job)
                return 0;
        (void) pthread_join(f->worker, NULL);
        r = f->job->result;
        log_debug("Feeds: a rewrite done off the loop in %llu ms (%s).",
                  (unsigned long long) ((monotonic_usec() - f->job->started) / USEC_PER_MSEC), r < 0 ? strerror(-r) : "ok");
        f->job = feed_job_free(f->job);
        feed_finish(f, r);
        if (f->again) {
                f->again = false;
                (void) feed_schedule(f);
        }
        return 0;
}

static int on_timer(sd_event_source *s, uint64_t usec, void *userdata) {
        (void) feed_run(userdata);
        return 0;
}

int feed_schedule(Feed *f) {
        uint64_t due, armed;
        int enabled = 0, r;

        if (!f)
                return -EINVAL;
        if (!f->manager->config->feeds.dir)
                return 0;
        /* Taken by the run after the one being written (feed_run()). */
        if (f->job) {
                f->again = true;
                return 0;
        }
        due = monotonic_usec();
        if (f->last_end + FEED_SPACING_USEC > due)
                due = f->last_end + FEED_SPACING_USEC;
        /* Already due as soon (several changes of one turn, or of one spacing): one run for all. */
        r = sd_event_source_get_enabled(f->timer, &enabled);
        if (r >= 0 && enabled != SD_EVENT_OFF && sd_event_source_get_time(f->timer, &armed) >= 0 && armed <= due)
                return 0;
        r = sd_event_source_set_time(f->timer, due);
        if (r >= 0)
                r = sd_event_source_set_enabled(f->timer, SD_EVENT_ONESHOT);
        if (r < 0) {
                /* Not lost: the timer's next run sees it. */
                log_error("Feeds: cannot schedule a run after the change: %s", strerror(-r));
                return r;
        }
        return 0;
}

int feed_new(Manager *m, Feed **ret) {
        const char *delay;
        Feed *f;
        int r;

        if (!m || !m->event || !ret)
                return -EINVAL;
        f = calloc(1, sizeof(Feed));
        if (!f)
                return -ENOMEM;
        f->manager = m;
        /* Test hook: a worker slow on purpose, so that a scenario can change the roster while it
         * writes. */
        delay = getenv("DUTYD_FEED_DELAY_MS");
        if (!isempty(delay)) {
                char *end;
                unsigned long v;

                errno = 0;
                v = strtoul(delay, &end, 10);
                if (errno != 0 || *end != '\0' || v > 60000) {
                        free(f);
                        return log_error_errno(-EINVAL, "DUTYD_FEED_DELAY_MS=%s is not a number of milliseconds (0…60000).", delay);
                }
                f->delay_usec = (uint64_t) v * USEC_PER_MSEC;
                log_notice("Feeds: each rewrite waits %lu ms first (test hook).", v);
        }
        f->done_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (f->done_fd < 0) {
                r = -errno;
                free(f);
                return log_error_errno(r, "Feeds: cannot create the worker's eventfd: %m");
        }
        r = sd_event_add_io(m->event, &f->done_source, f->done_fd, EPOLLIN, on_done, f);
        if (r < 0) {
                feed_free(f);
                return log_error_errno(r, "Feeds: cannot watch the worker's eventfd: %m");
        }
        (void) sd_event_source_set_description(f->done_source, "feeds-done");

        /* Due at once: the first feeds are written as soon as the loop starts. */
        r = sd_event_add_time_relative(m->event, &f->timer, CLOCK_MONOTONIC, 0, FEED_ACCURACY_USEC, on_timer, f);
        if (r < 0) {
                feed_free(f);
                return log_error_errno(r, "Feeds: cannot create the timer: %m");
        }
        (void) sd_event_source_set_description(f->timer, "feeds");

        *ret = f;
        return 0;
}

Feed *feed_free(Feed *f) {
        if (!f)
                return NULL;
        /* A rewrite under way is finished: the files stay whole (each is replaced atomically). */
        if (f->job) {
                (void) pthread_join(f->worker, NULL);
                f->job = feed_job_free(f->job);
        }
        sd_event_source_disable_unref(f->done_source);
        sd_event_source_disable_unref(f->timer);
        if (f->done_fd >= 0)
                (void) close(f->done_fd);
        free(f);
        return NULL;
}
