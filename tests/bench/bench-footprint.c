/* SPDX-License-Identifier: GPL-2.0-or-later */

/* Footprint: dutyd's memory when idle and its start-up time, on an office of (typically) 1,000
 * people with years of roster history in its database.
 *
 * The history is generated the way the daemon generates rosters: the configuration is loaded by
 * config-parse.c, every year up to yesterday planned by roster.c (days of years without a holiday notice
 * taken as ordinary, as RosterGenerate does with assume_ordinary) and stored by store.c, one
 * transaction per year. Then:
 *
 *   start-up   exec to READY=1 on a NOTIFY_SOCKET the benchmark owns, over several starts; the
 *              baseline is the same for bench-notify (a program that only links libsystemd and
 *              sends READY=1), and `dutyd --version` (exec to exit) is printed beside it;
 *   memory     VmRSS once the daemon has answered Status and Who and sat idle for a second; the
 *              baseline is bench-notify's VmRSS. VmHWM (the peak, during start-up) is printed too.
 *
 * Usage: bench-footprint --dutyd PATH --notify PATH --config PATH [--years N] [--starts N] [--keep]
 * (--keep leaves the directory with the database and the daemon's log, for a closer look.) */

#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>

#include "bench-util.h"
#include "config-parse.h"
#include "config.h"
#include "roster.h"
#include "store.h"

#define FOOTPRINT_YEARS_DEFAULT 5
#define FOOTPRINT_YEARS_MAX 20
#define FOOTPRINT_STARTS_DEFAULT 20
#define FOOTPRINT_STARTS_MAX 1000
/* Days planned at once (ROSTER_DAYS_MAX allows more; a year keeps each transaction modest). */
#define FOOTPRINT_CHUNK_DAYS 366
#define FOOTPRINT_IDLE_USEC (1000 * 1000)
#define FOOTPRINT_RSS_GOAL_KIB (8 * 1024)
#define FOOTPRINT_READY_GOAL_USEC (50 * 1000)

typedef struct Options {
        BenchDaemonOptions daemon;      /* --dutyd, --config (and --now) */
        const char *notify;
        unsigned years;
        unsigned starts;
        bool keep;
} Options;

static int parse_argv(int argc, char *argv[], Options *o) {
        static const struct option options[] = {
                BENCH_DAEMON_GETOPT,
                { "notify", required_argument, NULL, 'N' },
                { "years",  required_argument, NULL, 'y' },
                { "starts", required_argument, NULL, 's' },
                { "keep",   no_argument,       NULL, 'k' },
                {}
        };
        int c;

        *o = (Options) { .years = FOOTPRINT_YEARS_DEFAULT, .starts = FOOTPRINT_STARTS_DEFAULT };
        while ((c = getopt_long(argc, argv, "", options, NULL)) >= 0)
                switch (c) {
                case 'N':
                        o->notify = optarg;
                        break;
                case 'y':
                        if (bench_parse_unsigned(optarg, 1, FOOTPRINT_YEARS_MAX, &o->years) < 0)
                                return -EINVAL;
                        break;
                case 's':
                        if (bench_parse_unsigned(optarg, 2, FOOTPRINT_STARTS_MAX, &o->starts) < 0)
                                return -EINVAL;
                        break;
                case 'k':
                        o->keep = true;
                        break;
                default:
                        if (!bench_daemon_option(&o->daemon, c, optarg))
                                return -EINVAL;
                }
        return o->daemon.dutyd && o->notify && o->daemon.config && optind == argc ? 0 : -EINVAL;
}

/* Plans and stores from … to (inclusive) in one transaction; the slot count in *ret_n. */
static int history_store_chunk(Store *s, const Config *c, const Calendar *cal, Day from, Day to, size_t *ret_n) {
        _cleanup_free_ RosterSlot *slots = NULL;
        size_t n = 0;
        int r;

        r = roster_generate(&(const RosterInput) {
                                    .config = c,
                                    .calendar = cal,
                                    .from = from,
                                    .to = to,
                                    .assume_ordinary = true,
                                    .min_rest_days = c->roster.min_rest_days,
                                    .seed = (uint64_t) from,
                            }, &slots, &n, NULL);
        if (r < 0)
                return r;

        r = store_begin(s);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n; i++) {
                const RosterSlot *x = &slots[i];

                r = store_assignment_set(s, x->day, x->post, x->slot, x->person, x->locked,
                                         x->person ? NULL : roster_empty_reason_message(x->reason, c->language),
                                         NULL);
                if (r >= 0 && x->assume_ordinary)
                        r = store_assignment_set_assume_ordinary(s, x->day, x->post, x->slot, true);
                if (r < 0) {
                        store_rollback(s);
                        return r;
                }
        }
        r = store_commit(s);
        if (r < 0)
                return r;
        *ret_n = n;
        return 0;
}

/* `years` years of roster up to yesterday, into the database dutyd will open in state_dir. */
static int history_generate(const Options *o, const char *state_dir, size_t *ret_people, size_t *ret_slots,
                            Day *ret_from) {
        _cleanup_(config_errors_done) ConfigErrors errors = {};
        _cleanup_(config_freep) Config *c = NULL;
        _cleanup_(store_freep) Store *s = NULL;
        _cleanup_free_ char *db = NULL, *error = NULL;
        Day today = bench_today(NULL), from;
        Calendar cal;
        size_t total = 0;
        int y, m, d, r;

        r = config_load(o->daemon.config, &c, &errors);
        if (r < 0) {
                _cleanup_free_ char *text = config_errors_format(&errors);

                fprintf(stderr, "%s: %s", o->daemon.config, text ?: strerror(-r));
                return r;
        }
        cal = config_calendar(c);

        day_to_ymd(today, &y, &m, &d);
        from = day_from_ymd(y - (int) o->years, m, d == 29 && m == 2 ? 28 : d);

        if (mkdir(state_dir, 0700) < 0 && errno != EEXIST)
                return -errno;
        if (asprintf(&db, "%s/dutyd.sqlite", state_dir) < 0)
                return -ENOMEM;
        r = store_open(db, &s, &error);
        if (r < 0) {
                fprintf(stderr, "%s: %s\n", db, error ?: strerror(-r));
                return r;
        }

        for (Day a = from; a < today; a += FOOTPRINT_CHUNK_DAYS) {
                Day b = a + FOOTPRINT_CHUNK_DAYS - 1 < today - 1 ? a + FOOTPRINT_CHUNK_DAYS - 1 : today - 1;
                size_t n;

                r = history_store_chunk(s, c, &cal, a, b, &n);
                if (r < 0) {
                        fprintf(stderr, "Cannot store the roster from day %d: %s (%s)\n", (int) a, strerror(-r),
                                store_error(s));
                        return r;
                }
                total += n;
        }

        *ret_people = c->n_people;
        *ret_slots = total;
        *ret_from = from;
        return 0;
}

static int call_ok(VarlinkClient *c, const char *method, json_t *params) {
        _cleanup_(json_decrefp) json_t *reply = NULL;
        _cleanup_free_ char *error = NULL;
        int r;

        r = bench_call(c, method, params, &reply, &error);
        if (r > 0 && !bench_error_is_unimplemented(error))
                fprintf(stderr, "%s: %s\n", method, error);
        return r < 0 ? r : 0;
}

static int run(const Options *o, BenchSession *s) {
        _cleanup_(bench_samples_done) BenchSamples ready = {}, base = {}, version = {}, cpu = {}, wait = {};
        _cleanup_free_ char *notify = NULL, *db = NULL, *rss_note = NULL, *ready_note = NULL, *rss_name = NULL;
        _cleanup_(varlink_client_freep) VarlinkClient *c = NULL;
        uint64_t rss = 0, hwm = 0, anon = 0, file = 0, base_rss = 0;
        BenchDaemon *d = &s->daemon;
        char v[6][32], from_s[DAY_STRING_MAX];
        size_t n_slots = 0, n_people = 0;
        struct stat st;
        Day from = DAY_NONE;
        pid_t pid;
        int r;

        if (asprintf(&notify, "%s/notify.sock", s->dir) < 0 || asprintf(&db, "%s/dutyd.sqlite", s->state) < 0)
                return -ENOMEM;

        uint64_t t0 = bench_now_ns();
        r = history_generate(o, s->state, &n_people, &n_slots, &from);
        if (r < 0)
                return r;
        if (stat(db, &st) < 0)
                return -errno;
        printf("history: %zu assignments from %s, database %.1f MiB, written in %.2f s\n", n_slots,
               day_format(from, from_s), (double) st.st_size / (1024 * 1024),
               (double) (bench_now_ns() - t0) / 1e9);

        /* The baselines. */
        for (unsigned i = 0; i < o->starts; i++) {
                double t = NAN, e = NAN;

                r = bench_exec_timed((char *[]) { (char *) o->notify, NULL }, notify, &t, NULL,
                                     i + 1 == o->starts ? &pid : NULL);
                if (r < 0)
                        return r;
                if (isnan(t))
                        return -EPROTO;
                r = bench_samples_add(&base, t);
                if (r < 0)
                        return r;

                r = bench_exec_timed((char *[]) { (char *) o->daemon.dutyd, (char *) "--version", NULL }, NULL, NULL, &e, NULL);
                if (r != 0)
                        return r < 0 ? r : -EPROTO;
                r = bench_samples_add(&version, e);
                if (r < 0)
                        return r;
        }
        (void) usleep(FOOTPRINT_IDLE_USEC);
        r = bench_proc_status_kib(pid, "VmRSS", &base_rss);
        (void) bench_process_stop(pid);  /* SIGTERM and reap */
        if (r < 0)
                return r;

        /* dutyd, started again and again on the same database; the last one stays for the memory. */
        for (unsigned i = 0; i < o->starts; i++) {
                r = bench_session_start_daemon(s, &o->daemon);
                if (r < 0)
                        return r;
                r = bench_samples_add(&ready, d->ready_usec);
                if (r >= 0 && !isnan(d->ready_cpu_usec))
                        r = bench_samples_add(&cpu, d->ready_cpu_usec);
                if (r >= 0 && !isnan(d->ready_wait_usec))
                        r = bench_samples_add(&wait, d->ready_wait_usec);
                if (r < 0 || i + 1 == o->starts)
                        break;
                r = bench_daemon_stop(d);
                if (r != 0) {
                        fprintf(stderr, "dutyd exited with %d on SIGTERM (log in %s)\n", r, s->log);
                        return r < 0 ? r : -EPROTO;
                }
        }

        r = varlink_client_connect(s->socket_path, &c);
        if (r >= 0)
                r = call_ok(c, "io.dutyd.Duty.Status", NULL);
        if (r >= 0)
                r = call_ok(c, "io.dutyd.Duty.Who", NULL);
        c = varlink_client_free(c);
        if (r >= 0) {
                (void) usleep(FOOTPRINT_IDLE_USEC);
                r = bench_proc_status_kib(d->pid, "VmRSS", &rss);
        }
        if (r >= 0)
                r = bench_proc_status_kib(d->pid, "VmHWM", &hwm);
        if (r >= 0)
                r = bench_proc_status_kib(d->pid, "RssAnon", &anon);
        if (r >= 0)
                r = bench_proc_status_kib(d->pid, "RssFile", &file);
        (void) bench_daemon_stop(d);
        if (r < 0)
                return r;

        printf("dutyd: exec→READY=1 median %.1f ms p99 %.1f ms over %zu starts (on a CPU %.1f ms, waiting for "
               "one %.1f ms); idle VmRSS %" PRIu64 " KiB, VmHWM %" PRIu64 " KiB\n",
               bench_samples_quantile(&ready, 0.5) / 1e3, bench_samples_quantile(&ready, 0.99) / 1e3, ready.n,
               bench_samples_quantile(&cpu, 0.5) / 1e3, bench_samples_quantile(&wait, 0.5) / 1e3, rss, hwm);
        printf("bench-notify: exec→READY=1 median %.2f ms, VmRSS %" PRIu64 " KiB; dutyd --version exec→exit median %.2f ms\n",
               bench_samples_quantile(&base, 0.5) / 1e3, base_rss, bench_samples_quantile(&version, 0.5) / 1e3);

        snprintf(v[0], sizeof(v[0]), "%.2f MiB", (double) rss / 1024);
        snprintf(v[1], sizeof(v[1]), "%.2f MiB", (double) base_rss / 1024);
        snprintf(v[2], sizeof(v[2]), "%.2f×", (double) rss / (double) base_rss);
        if (asprintf(&rss_name, "Footprint: idle RSS, %zu people, %u-year history", n_people, o->years) < 0 ||
            asprintf(&rss_note, "%zu assignments, database %.1f MiB; anonymous %.2f MiB, file-backed (shared "
                     "libraries) %.2f MiB; peak (VmHWM) %.2f MiB; baseline: bench-notify (links libsystemd, sends READY=1)",
                     n_slots, (double) st.st_size / (1024 * 1024), (double) anon / 1024, (double) file / 1024,
                     (double) hwm / 1024) < 0)
                return -ENOMEM;
        bench_row("6a", rss_name, v[0], NULL, v[1], v[2], "< 8 MiB",
                  rss < FOOTPRINT_RSS_GOAL_KIB ? "yes" : "no", rss_note);

        snprintf(v[2], sizeof(v[2]), "%.1f×", bench_samples_quantile(&ready, 0.5) / bench_samples_quantile(&base, 0.5));
        if (asprintf(&ready_note, "%zu starts; of the median, on a CPU %.1f ms, waiting for a CPU %.1f ms; "
                     "baseline: bench-notify exec→READY=1; dutyd --version exec→exit %s",
                     ready.n, bench_samples_quantile(&cpu, 0.5) / 1e3, bench_samples_quantile(&wait, 0.5) / 1e3,
                     bench_format_usec(bench_samples_quantile(&version, 0.5), v[5], sizeof(v[5]))) < 0)
                return -ENOMEM;
        bench_row("6b", "Start-up: exec → READY=1 (same database)",
                  bench_format_usec(bench_samples_quantile(&ready, 0.5), v[3], sizeof(v[3])),
                  bench_format_usec(bench_samples_quantile(&ready, 0.99), v[4], sizeof(v[4])),
                  bench_format_usec(bench_samples_quantile(&base, 0.5), v[0], sizeof(v[0])),
                  v[2], "≤ 50 ms",
                  bench_samples_quantile(&ready, 0.5) <= FOOTPRINT_READY_GOAL_USEC ? "yes" : "no", ready_note);
        return 0;
}

int main(int argc, char *argv[]) {
        BenchSession s = { .daemon.notify_fd = -1 };
        Options o;
        int r;

        if (parse_argv(argc, argv, &o) < 0) {
                fprintf(stderr, "usage: %s --dutyd PATH --notify PATH --config PATH [--years 1-%d] [--starts 2-%d] [--keep]\n",
                        argv[0], FOOTPRINT_YEARS_MAX, FOOTPRINT_STARTS_MAX);
                return EXIT_FAILURE;
        }

        r = bench_session_prepare(&s);
        if (r < 0)
                return EXIT_FAILURE;
        r = run(&o, &s);
        if (r < 0)
                fprintf(stderr, "Footprint benchmark failed: %s (files in %s)\n", strerror(-r), s.dir);
        else if (o.keep) {
                printf("kept: %s\n", s.dir);
                /* bench_session_end() removes only the directory it still names. */
                free(s.dir);
                s.dir = NULL;
        }
        /* The daemon of the last start is stopped already; the failure is said above. */
        return bench_session_end(&s, r < 0 ? r : 0, NULL);
}
