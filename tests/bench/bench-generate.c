/* SPDX-License-Identifier: GPL-2.0-or-later */

/* Roster generation benchmark: a synthetic office of N people (10% leaders) built in memory, one
 * year generated for N = 100, 1,000 and 10,000. Prints the time per size, the ratio to the smallest
 * size and the growth exponent (slope of log time over log N), for two post tables:
 *
 *   office  the sample office's posts: one leader on call, officers 1/1/2/2;
 *   scaled  posts growing with the office (see bench_post_count(), the rule gen-office.py uses),
 *           so that the number of slots grows with N as well.
 *
 * With --config, the offices are configuration files instead (gen-office.py writes them, e.g. for
 * 100, 1,000 and 10,000 people, smallest first): each is loaded by config-parse.c, with its holiday notices,
 * and 2026 is generated RUNS times; the median time per office, its ratio to the first office and
 * the growth exponent are printed, and as result rows (see bench-util.h) for tests/bench/run.sh.
 *
 * Not a test: timings depend on the machine, so nothing is asserted.
 * Usage: bench-generate [RUNS]
 *        bench-generate --config FILE [--config FILE…] [--runs RUNS] */

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench-util.h"
#include "calendar.h"
#include "config-parse.h"
#include "config.h"
#include "date.h"
#include "roster.h"

#define BENCH_RUNS_DEFAULT 3
#define BENCH_RUNS_MAX 100
#define BENCH_CONFIG_RUNS_DEFAULT 5
#define BENCH_CONFIGS_MAX 8
/* Goals for the largest office: one year generated within this time, and time growing no faster
 * than linearly with the office (a log-log slope up to this, allowing for noise). */
#define BENCH_GOAL_SECONDS 1.0
#define BENCH_GOAL_SLOPE 1.15
#define BENCH_ID_MAX 24 /* "p" and any size_t */
/* Every fiftieth person has a week of leave, to exercise the absence path. */
#define BENCH_LEAVE_EVERY 50

static const size_t bench_sizes[] = { 100, 1000, 10000 };

/* People per post and day in the scaled table: each member serves about once a month, within the
 * configuration's limit of 99. gen-office.py uses the same rule. */
static unsigned bench_post_count(size_t members) {
        size_t n = members / 30;

        return n < 1 ? 1 : n > 99 ? 99 : (unsigned) n;
}

typedef struct Office {
        char (*ids)[BENCH_ID_MAX];
        Person *people;
        RosterAbsence *absences;
        size_t n_absences;
        Post posts[2];
        Config config;
        HolidayNotice notice;
        HolidayDay days[32];
        SensitivePeriod sensitive;
        Calendar cal;
} Office;

static const struct {
        int m, d;
        bool off;
} bench_days[] = {
        { 1, 1, true }, { 1, 2, true }, { 1, 3, true }, { 1, 4, false },
        { 2, 14, false }, { 2, 15, true }, { 2, 16, true }, { 2, 17, true }, { 2, 18, true }, { 2, 19, true },
        { 2, 20, true }, { 2, 21, true }, { 2, 22, true }, { 2, 23, true }, { 2, 28, false },
        { 4, 4, true }, { 4, 5, true }, { 4, 6, true },
        { 5, 1, true }, { 5, 2, true }, { 5, 3, true }, { 5, 4, true }, { 5, 5, true }, { 5, 9, false },
        { 10, 1, true }, { 10, 2, true }, { 10, 3, true }, { 10, 4, true }, { 10, 5, true }, { 10, 6, true },
        { 10, 7, true }, { 10, 10, false },
};

static void office_free(Office *o) {
        free(o->ids);
        free(o->people);
        free(o->config.people_by_id);
        free(o->absences);
}

static int office_build(Office *o, size_t n, bool scaled) {
        size_t leaders = n / 10 ?: 1;
        unsigned lc = scaled ? bench_post_count(leaders) : 1;
        unsigned oc = scaled ? bench_post_count(n - leaders) : 1;

        *o = (Office) {};
        o->ids = calloc(n, sizeof(*o->ids));
        o->people = calloc(n, sizeof(Person));
        o->absences = calloc(n / BENCH_LEAVE_EVERY + 1, sizeof(RosterAbsence));
        if (!o->ids || !o->people || !o->absences)
                return -ENOMEM;

        for (size_t i = 0; i < n; i++) {
                snprintf(o->ids[i], BENCH_ID_MAX, "p%05zu", i + 1);
                o->people[i] = (Person) {
                        .id = o->ids[i],
                        .name = o->ids[i],
                        .roles = ROLE_BIT(i < leaders ? ROLE_LEADER : ROLE_OFFICER),
                        .active_from = DAY_NONE,
                        .active_until = DAY_NONE,
                };
                if (i % BENCH_LEAVE_EVERY == 0) {
                        Day from = day_from_ymd(2026, 1, 1) + (Day) (i % 350);

                        o->absences[o->n_absences++] = (RosterAbsence) {
                                .person = o->ids[i], .from = from, .to = from + 6, .kind = ROSTER_ABSENCE_LEAVE,
                        };
                }
        }

        o->posts[0] = (Post) {
                .id = (char *) "leader_on_call", .name = (char *) "带班领导", .role = ROLE_LEADER,
                .count = { lc, lc, lc, lc },
        };
        o->posts[1] = (Post) {
                .id = (char *) "officer_on_duty", .name = (char *) "值班员", .role = ROLE_OFFICER,
                .count = { oc, oc, scaled ? oc : 2, scaled ? oc : 2 },
        };

        o->notice = (HolidayNotice) { .year = 2026, .source = (char *) "国办发明电〔2025〕7号" };
        for (size_t i = 0; i < ELEMENTSOF(bench_days); i++)
                o->days[i] = (HolidayDay) {
                        .day = day_from_ymd(2026, bench_days[i].m, bench_days[i].d),
                        .off = bench_days[i].off,
                        .name = (char *) "holiday",
                };
        o->sensitive = (SensitivePeriod) {
                .id = (char *) "congress", .name = (char *) "congress",
                .from = day_from_ymd(2026, 9, 20), .to = day_from_ymd(2026, 9, 24), .extra_officers = 1,
        };
        o->cal = (Calendar) {
                .notices = &o->notice, .n_notices = 1,
                .days = o->days, .n_days = ELEMENTSOF(bench_days),
                .sensitive = &o->sensitive, .n_sensitive = 1,
        };
        o->config = (Config) {
                .people = o->people, .n_people = n,
                .posts = o->posts, .n_posts = 2,
        };
        return config_index_people(&o->config);
}

static double now_seconds(void) {
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/* CPU time of this thread: what the generator needed, without the time it waited for a CPU. */
static double cpu_seconds(void) {
        struct timespec ts;

        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/* Best of `runs` generations of 2026; the slot count in *ret_slots. */
static int bench_one(size_t n, bool scaled, unsigned runs, double *ret_seconds, size_t *ret_slots) {
        double best = INFINITY;
        size_t n_slots = 0;
        Office o;
        int r;

        r = office_build(&o, n, scaled);
        if (r < 0) {
                office_free(&o);
                return r;
        }

        for (unsigned i = 0; i < runs; i++) {
                RosterInput in = {
                        .config = &o.config,
                        .calendar = &o.cal,
                        .from = day_from_ymd(2026, 1, 1),
                        .to = day_from_ymd(2026, 12, 31),
                        .absences = o.absences,
                        .n_absences = o.n_absences,
                        .min_rest_days = ROSTER_MIN_REST_DAYS_DEFAULT,
                        .seed = 1,
                };
                RosterSlot *slots = NULL;
                double t0, t;

                t0 = now_seconds();
                r = roster_generate(&in, &slots, &n_slots, NULL);
                t = now_seconds() - t0;
                free(slots);
                if (r < 0)
                        break;
                if (t < best)
                        best = t;
        }

        office_free(&o);
        if (r < 0)
                return r;
        *ret_seconds = best;
        *ret_slots = n_slots;
        return 0;
}

static int double_compare(const void *a, const void *b) {
        double x = *(const double *) a, y = *(const double *) b;

        return x < y ? -1 : x > y ? 1 : 0;
}

/* One configuration file: the time to load it, the median of `runs` generations of 2026 and the
 * least CPU time one of them took. */
static int bench_config(const char *path, unsigned runs, size_t *ret_people, size_t *ret_slots, double *ret_load,
                        double *ret_median, double *ret_cpu) {
        _cleanup_(config_errors_done) ConfigErrors errors = {};
        _cleanup_(config_freep) Config *c = NULL;
        double t[BENCH_RUNS_MAX], t0, c0, cpu = INFINITY;
        size_t n_slots = 0;
        Calendar cal;
        int r;

        t0 = now_seconds();
        r = config_load(path, &c, &errors);
        if (r < 0) {
                _cleanup_free_ char *text = config_errors_format(&errors);

                fprintf(stderr, "%s: %s\n", path, text ?: strerror(-r));
                return r;
        }
        *ret_load = now_seconds() - t0;
        cal = config_calendar(c);

        for (unsigned i = 0; i < runs; i++) {
                RosterInput in = {
                        .config = c,
                        .calendar = &cal,
                        .from = day_from_ymd(2026, 1, 1),
                        .to = day_from_ymd(2026, 12, 31),
                        .min_rest_days = c->roster.min_rest_days,
                        .seed = 1,
                };
                RosterSlot *slots = NULL;

                t0 = now_seconds();
                c0 = cpu_seconds();
                r = roster_generate(&in, &slots, &n_slots, NULL);
                t[i] = now_seconds() - t0;
                if (cpu_seconds() - c0 < cpu)
                        cpu = cpu_seconds() - c0;
                free(slots);
                if (r < 0) {
                        fprintf(stderr, "%s: generation failed: %s\n", path, strerror(-r));
                        return r;
                }
        }

        qsort(t, runs, sizeof(double), double_compare);
        *ret_people = c->n_people;
        *ret_slots = n_slots;
        *ret_median = t[(runs - 1) / 2];
        *ret_cpu = cpu;
        return 0;
}

/* The growth exponent is taken from the least CPU time of each office, which whatever else runs on
 * the machine disturbs least (waiting for a CPU is not counted); the wall-clock medians are what
 * the goal is about. */
static int main_configs(char **paths, size_t n, unsigned runs) {
        double t[BENCH_CONFIGS_MAX], best[BENCH_CONFIGS_MAX], load;
        size_t people[BENCH_CONFIGS_MAX] = {}, slots[BENCH_CONFIGS_MAX] = {};
        double slope = NAN;
        int r;

        printf("configuration files, 2026 (365 days), %u runs:\n", runs);
        printf("  %8s %8s %12s %12s %12s %8s\n", "people", "slots", "median (ms)", "CPU (ms)", "load (ms)", "slope");
        for (size_t i = 0; i < n; i++) {
                r = bench_config(paths[i], runs, &people[i], &slots[i], &load, &t[i], &best[i]);
                if (r < 0)
                        return EXIT_FAILURE;
                printf("  %8zu %8zu %12.2f %12.2f %12.2f", people[i], slots[i], t[i] * 1e3, best[i] * 1e3, load * 1e3);
                if (i > 0)
                        printf(" %8.2f\n", log(best[i] / best[i - 1]) / log((double) people[i] / (double) people[i - 1]));
                else
                        printf(" %8s\n", "-");
        }
        if (n > 1 && people[n - 1] > people[0])
                slope = log(best[n - 1] / best[0]) / log((double) people[n - 1] / (double) people[0]);
        printf("  growth exponent (log-log slope of the CPU times, %zu to %zu people): %.2f\n",
               people[0], people[n - 1], slope);

        for (size_t i = 0; i < n; i++) {
                char id[8], name[96], median[32], base[32], ratio[32], note[200];
                bool last = i + 1 == n;

                snprintf(id, sizeof(id), "4%c", (char) ('a' + i));
                snprintf(name, sizeof(name), "Generation: %zu people × 365 days", people[i]);
                snprintf(median, sizeof(median), "%.1f ms", t[i] * 1e3);
                snprintf(base, sizeof(base), "%.1f ms", t[0] * 1e3);
                snprintf(ratio, sizeof(ratio), "%.1f×", t[i] / t[0]);
                if (last)
                        snprintf(note, sizeof(note), "%zu slots; least CPU time of %u runs %.1f ms; growth exponent "
                                 "%.2f (log-log slope of the CPU times over people, %zu → %zu)",
                                 slots[i], runs, best[i] * 1e3, slope, people[0], people[n - 1]);
                else
                        snprintf(note, sizeof(note), "%zu slots; least CPU time of %u runs %.1f ms; baseline: the "
                                 "%zu-person office", slots[i], runs, best[i] * 1e3, people[0]);
                bench_row(id, name, median, NULL, base, ratio,
                          last ? "< 1 s, linear" : NULL,
                          last ? (t[i] < BENCH_GOAL_SECONDS && slope <= BENCH_GOAL_SLOPE ? "yes" : "no") : "n/a",
                          note);
        }
        return EXIT_SUCCESS;
}

int main(int argc, char *argv[]) {
        unsigned runs = BENCH_RUNS_DEFAULT;

        if (argc > 1 && strneq(argv[1], "--", 2)) {
                static const struct option options[] = {
                        { "config", required_argument, NULL, 'c' },
                        { "runs",   required_argument, NULL, 'r' },
                        {}
                };
                char *paths[BENCH_CONFIGS_MAX];
                size_t n = 0;
                int c;

                runs = BENCH_CONFIG_RUNS_DEFAULT;
                while ((c = getopt_long(argc, argv, "", options, NULL)) >= 0)
                        switch (c) {
                        case 'c':
                                if (n == BENCH_CONFIGS_MAX) {
                                        fprintf(stderr, "At most %d configuration files.\n", BENCH_CONFIGS_MAX);
                                        return EXIT_FAILURE;
                                }
                                paths[n++] = optarg;
                                break;
                        case 'r':
                                if (bench_parse_unsigned(optarg, 1, BENCH_RUNS_MAX, &runs) < 0) {
                                        fprintf(stderr, "--runs takes 1-%d.\n", BENCH_RUNS_MAX);
                                        return EXIT_FAILURE;
                                }
                                break;
                        default:
                                return EXIT_FAILURE;
                        }
                if (n == 0 || optind < argc) {
                        fprintf(stderr, "usage: %s --config FILE [--config FILE…] [--runs 1-%d]\n", argv[0], BENCH_RUNS_MAX);
                        return EXIT_FAILURE;
                }
                return main_configs(paths, n, runs);
        }

        if (argc > 1 && bench_parse_unsigned(argv[1], 1, BENCH_RUNS_MAX, &runs) < 0) {
                fprintf(stderr, "usage: %s [RUNS 1-%d]\n", argv[0], BENCH_RUNS_MAX);
                return EXIT_FAILURE;
        }

        for (int scaled = 0; scaled <= 1; scaled++) {
                double t[ELEMENTSOF(bench_sizes)];

                printf("%s posts, 365 days, best of %u:\n", scaled ? "scaled" : "office", runs);
                printf("  %8s %8s %12s %10s %8s\n", "people", "slots", "time (ms)", "ratio", "slope");
                for (size_t i = 0; i < ELEMENTSOF(bench_sizes); i++) {
                        size_t n_slots = 0;
                        int r;

                        r = bench_one(bench_sizes[i], scaled, runs, &t[i], &n_slots);
                        if (r < 0) {
                                fprintf(stderr, "generation failed for %zu people: %s\n", bench_sizes[i], strerror(-r));
                                return EXIT_FAILURE;
                        }
                        printf("  %8zu %8zu %12.2f %10.2f", bench_sizes[i], n_slots, t[i] * 1e3, t[i] / t[0]);
                        if (i > 0)
                                printf(" %8.2f\n", log(t[i] / t[i - 1]) /
                                                   log((double) bench_sizes[i] / (double) bench_sizes[i - 1]));
                        else
                                printf(" %8s\n", "-");
                }
                printf("  growth exponent (log-log slope, %zu to %zu people): %.2f\n\n",
                       bench_sizes[0], bench_sizes[ELEMENTSOF(bench_sizes) - 1],
                       log(t[ELEMENTSOF(bench_sizes) - 1] / t[0]) /
                       log((double) bench_sizes[ELEMENTSOF(bench_sizes) - 1] / (double) bench_sizes[0]));
        }
        return EXIT_SUCCESS;
}
