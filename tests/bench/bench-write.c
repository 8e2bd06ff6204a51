/* SPDX-License-Identifier: GPL-2.0-or-later */

/* Write path: a leave request through the daemon (the round trip, the coverage rules, the leave,
 * its history and audit rows, one durable commit) against the least any durable write costs: one
 * row inserted and committed with sqlite3 directly, in a database on the same file system with the
 * store's settings (WAL, synchronous=FULL). A third series is the floor of any write made over a
 * socket: the same call answered by the bare echo server (bench-util.c) with the daemon's reply,
 * then the bare commit — what a server that did nothing but commit would cost. The three alternate
 * in blocks so that the disk's moods hit them alike.
 *
 * Usage: bench-write --dutyd PATH --config PATH [--now YYYY-MM-DDTHH:MM] [--iterations N] */

#include <inttypes.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <time.h>

#include "bench-util.h"

#define WRITE_ITERATIONS_DEFAULT 1000
#define WRITE_ITERATIONS_MAX 100000
#define WRITE_WARMUP 20
#define WRITE_BLOCK 50
#define WRITE_GOAL_RATIO 1.3

typedef BenchIterationOptions Options;

static int parse_argv(int argc, char *argv[], void *options) {
        return bench_parse_iterations(argc, argv, options, WRITE_ITERATIONS_DEFAULT, WRITE_BLOCK, WRITE_ITERATIONS_MAX);
}

/* The bare baseline: a table shaped like a small record, the store's pragmas, and a write-ahead log
 * already as long as its checkpoints let it grow (4.5 MB, SQLite's 1000 pages and some), as
 * the daemon's is once it has run a while: a commit then overwrites the log in place. Without it
 * the first thousand commits extend the file, and each such fdatasync also journals the file's new
 * size — slower commits that are not what a running office pays. */
typedef struct Bare {
        sqlite3 *db;
        sqlite3_stmt *begin, *insert, *commit;
} Bare;

static void bare_done(Bare *b) {
        sqlite3_finalize(b->begin);
        sqlite3_finalize(b->insert);
        sqlite3_finalize(b->commit);
        sqlite3_close(b->db);
        *b = (Bare) {};
}

static int bare_open(Bare *b, const char *path) {
        char *error = NULL;

        *b = (Bare) {};
        if (sqlite3_open(path, &b->db) != SQLITE_OK)
                return -EIO;
        if (sqlite3_exec(b->db,
                         "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                         "CREATE TABLE record (id INTEGER PRIMARY KEY, person TEXT NOT NULL,"
                         " start_day INTEGER NOT NULL, end_day INTEGER NOT NULL, reason TEXT,"
                         " at_usec INTEGER NOT NULL);"
                         "CREATE TABLE pad (b BLOB);"
                         "INSERT INTO pad VALUES (zeroblob(4500000));"
                         "DROP TABLE pad;"
                         "PRAGMA wal_checkpoint(RESTART);",
                         NULL, NULL, &error) != SQLITE_OK ||
            sqlite3_prepare_v2(b->db, "BEGIN", -1, &b->begin, NULL) != SQLITE_OK ||
            sqlite3_prepare_v2(b->db, "INSERT INTO record (person, start_day, end_day, reason, at_usec)"
                                      " VALUES (?, ?, ?, ?, ?)", -1, &b->insert, NULL) != SQLITE_OK ||
            sqlite3_prepare_v2(b->db, "COMMIT", -1, &b->commit, NULL) != SQLITE_OK) {
                fprintf(stderr, "bare sqlite: %s\n", error ?: sqlite3_errmsg(b->db));
                sqlite3_free(error);
                return -EIO;
        }
        return 0;
}

static int bare_step(sqlite3_stmt *st) {
        int rc = sqlite3_step(st);

        sqlite3_reset(st);
        return rc == SQLITE_DONE ? 0 : -EIO;
}

static int bare_write(Bare *b, uint64_t i) {
        int r;

        r = bare_step(b->begin);
        if (r < 0)
                return r;
        sqlite3_bind_text(b->insert, 1, "p00001", -1, SQLITE_STATIC);
        sqlite3_bind_int64(b->insert, 2, (sqlite3_int64) i);
        sqlite3_bind_int64(b->insert, 3, (sqlite3_int64) i);
        sqlite3_bind_text(b->insert, 4, "benchmark", -1, SQLITE_STATIC);
        sqlite3_bind_int64(b->insert, 5, (sqlite3_int64) bench_now_ns());
        r = bare_step(b->insert);
        if (r < 0) {
                (void) sqlite3_exec(b->db, "ROLLBACK", NULL, NULL, NULL);
                return r;
        }
        return bare_step(b->commit);
}

/* Bare commits; with echo (the floor), each after the call's round trip to the echo server. */
static int time_bare(Bare *b, VarlinkClient *echo, const BenchWriter *w, uint64_t *next, unsigned n,
                     BenchSamples *s) {
        for (unsigned k = 0; k < n; k++) {
                _cleanup_(json_decrefp) json_t *params = echo ? bench_writer_params(w, 0) : NULL, *reply = NULL;
                const char *error = NULL;
                uint64_t t0;
                int r;

                if (echo && !params)
                        return -ENOMEM;
                t0 = bench_now_ns();
                if (echo && (r = varlink_client_call(echo, w->method, params, &reply, &error)) < 0)
                        return r;
                r = bare_write(b, (*next)++);
                if (r < 0)
                        return r;
                if (s && (r = bench_samples_add(s, (double) (bench_now_ns() - t0) / 1e3)) < 0)
                        return r;
        }
        return 0;
}

/* Writes through the daemon; a refused request is an error of the benchmark, reported with the
 * daemon's answer. */
static int time_daemon(VarlinkClient *c, const BenchWriter *w, uint64_t *next, unsigned n, BenchSamples *s) {
        for (unsigned k = 0; k < n; k++) {
                _cleanup_(json_decrefp) json_t *params = NULL, *reply = NULL;
                const char *error = NULL;
                uint64_t t0;
                int r;

                params = bench_writer_params(w, *next);
                if (!params)
                        return -ENOMEM;
                t0 = bench_now_ns();
                r = varlink_client_call(c, w->method, params, &reply, &error);
                if (r < 0)
                        return r;
                if (error) {
                        _cleanup_free_ char *dump = json_dumps(reply, JSON_COMPACT);

                        fprintf(stderr, "%s #%" PRIu64 " refused: %s %s\n", w->method, *next,
                                error, strna(dump));
                        return -EPROTO;
                }
                (*next)++;
                if (s && (r = bench_samples_add(s, (double) (bench_now_ns() - t0) / 1e3)) < 0)
                        return r;
        }
        return 0;
}

/* LeaveCheck, the rules of a leave request without the commit, n times on requests first … first+n-1
 * (not stored: checking leaves no trace). Returns -EOPNOTSUPP when the daemon has no LeaveCheck. */
static int time_check(VarlinkClient *c, const BenchWriter *w, uint64_t first, unsigned n, BenchSamples *s) {
        if (!streq(bench_writer_name(w), "LeaveRequest"))
                return -EOPNOTSUPP;

        for (unsigned k = 0; k < n; k++) {
                _cleanup_(json_decrefp) json_t *params = bench_writer_params(w, first + k), *reply = NULL;
                const char *error = NULL;
                uint64_t t0 = bench_now_ns();
                int r;

                if (!params)
                        return -ENOMEM;
                r = varlink_client_call(c, "io.dutyd.Duty.LeaveCheck", params, &reply, &error);
                if (r < 0)
                        return r;
                if (error)
                        return bench_error_is_unimplemented(error) ? -EOPNOTSUPP : -EPROTO;
                r = bench_samples_add(s, (double) (bench_now_ns() - t0) / 1e3);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* One block of each series, in an order that turns with the block's number. */
typedef struct WriteSeries {
        VarlinkClient *daemon, *echo;
        Bare *bare;
        const BenchWriter *w;
        uint64_t next_daemon, next_bare;
        BenchSamples *d, *b, *f;
        pid_t pid;              /* dutyd's, for its time on a CPU */
        double cpu_usec;        /* dutyd's time on a CPU during the timed requests */
        double bare_cpu_usec;   /* ours during the timed bare commits */
} WriteSeries;

static double thread_cpu_usec(void) {
        struct timespec ts;

        if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) < 0)
                return NAN;
        return (double) ts.tv_sec * 1e6 + (double) ts.tv_nsec / 1e3;
}

static int time_blocks(WriteSeries *x, unsigned block, unsigned n, bool warmup) {
        int r = 0;

        for (unsigned i = 0; r >= 0 && i < 3; i++)
                switch ((block + i) % 3) {
                case 0: {
                        double cpu0 = NAN, cpu1 = NAN, wait;

                        (void) bench_proc_schedstat(x->pid, &cpu0, &wait);
                        r = time_daemon(x->daemon, x->w, &x->next_daemon, n, warmup ? NULL : x->d);
                        (void) bench_proc_schedstat(x->pid, &cpu1, &wait);
                        if (!warmup)
                                x->cpu_usec += cpu1 - cpu0;
                        break;
                }
                case 1: {
                        double cpu0 = thread_cpu_usec();

                        r = time_bare(x->bare, NULL, x->w, &x->next_bare, n, warmup ? NULL : x->b);
                        if (!warmup)
                                x->bare_cpu_usec += thread_cpu_usec() - cpu0;
                        break;
                }
                default:
                        r = time_bare(x->bare, x->echo, x->w, &x->next_bare, n, warmup ? NULL : x->f);
                }
        return r;
}

static int run(const void *options, BenchSession *s) {
        const Options *o = options;
        const char *dir = s->dir;
        VarlinkClient *c = s->client;
        _cleanup_(bench_samples_done) BenchSamples d = {}, b = {}, f = {}, check_empty = {}, check_full = {};
        _cleanup_(bench_writer_done) BenchWriter w = {};
        _cleanup_(bare_done) Bare bare = {};
        _cleanup_(varlink_client_freep) VarlinkClient *echo = NULL;
        _cleanup_(json_decrefp) json_t *first = NULL, *reply = NULL;
        _cleanup_free_ char *why = NULL, *bare_path = NULL, *echo_path = NULL, *text = NULL, *name = NULL,
                            *note = NULL, *checks = NULL;
        char median[32], p99[32], base[32], ratio[32], bp99[32], c1[32], c2[32], floor_median[32];
        WriteSeries x = { .daemon = c, .bare = &bare, .w = &w, .d = &d, .b = &b, .f = &f, .pid = s->daemon.pid };
        unsigned n_checks = o->iterations / 4;
        const char *error = NULL;
        pid_t echo_pid = -1;
        int cpu = -1;
        bool have_check;
        double dm, bm, fm;
        int r;

        /* dutyd, the echo server and the bare commits alike on one CPU (bench-util.h says why). */
        r = bench_pin_one_cpu(s->daemon.pid, &cpu);
        if (r < 0) {
                fprintf(stderr, "Cannot keep the processes on one CPU (%s): the placements may differ.\n", strerror(-r));
                cpu = -1;
        }

        r = bench_writer_init(&w, c, bench_today(o->daemon.now), &why);
        if (r == -EOPNOTSUPP || r == -EPROTO) {
                _cleanup_free_ char *msg = NULL;

                if (asprintf(&msg, "not available: %s", strna(why)) < 0)
                        return -ENOMEM;
                bench_row("2", "Write path: leave request", NULL, NULL, NULL, NULL, "≤ 1.3× bare", "n/a", msg);
                return 0;
        }
        if (r < 0)
                return r;

        if (asprintf(&bare_path, "%s/bare.sqlite", dir) < 0 ||
            asprintf(&echo_path, "%s/echo.sock", dir) < 0 ||
            asprintf(&name, "Write path: %s (rules + commit)", bench_writer_name(&w)) < 0)
                return -ENOMEM;
        r = bare_open(&bare, bare_path);
        if (r < 0)
                return r;

        /* Where the time goes: the rules alone, before any leave is stored and after all of them,
         * over the same requests the writes then make. */
        r = time_check(c, &w, 0, n_checks, &check_empty);
        if (r < 0 && r != -EOPNOTSUPP)
                return r;
        have_check = r >= 0;

        /* The echo server answers what the daemon answered to the first write. */
        first = bench_writer_params(&w, x.next_daemon++);
        if (!first)
                return -ENOMEM;
        r = varlink_client_call(c, w.method, first, &reply, &error);
        if (r < 0)
                return r;
        if (error) {
                fprintf(stderr, "%s refused: %s\n", w.method, error);
                return -EPROTO;
        }
        text = bench_reply_text(reply, NULL);
        if (!text)
                return -ENOMEM;
        r = bench_echo_start(echo_path, (const BenchEchoReply[]) { { NULL, text } }, 1, &echo_pid);
        if (r < 0)
                return r;
        r = varlink_client_connect(echo_path, &echo);
        x.echo = echo;

        if (r >= 0)
                r = time_blocks(&x, 0, WRITE_WARMUP, true);
        for (unsigned done = 0; r >= 0 && done < o->iterations; done += WRITE_BLOCK)
                r = time_blocks(&x, done / WRITE_BLOCK, WRITE_BLOCK, false);
        (void) bench_process_stop(echo_pid);
        if (r < 0)
                return r;

        if (have_check) {
                r = time_check(c, &w, x.next_daemon, n_checks, &check_full);
                if (r < 0)
                        return r;
        }

        dm = bench_samples_quantile(&d, 0.5);
        bm = bench_samples_quantile(&b, 0.5);
        fm = bench_samples_quantile(&f, 0.5);
        printf("%s: %zu requests; dutyd median %.1f µs p99 %.1f µs; bare insert+commit median %.1f µs p99 %.1f µs\n",
               bench_writer_name(&w), d.n, dm, bench_samples_quantile(&d, 0.99), bm,
               bench_samples_quantile(&b, 0.99));
        printf("Floor (echo round trip + bare commit): median %.1f µs = %.2f× bare; dutyd %.2f× the floor; "
               "dutyd on a CPU %.1f µs per request, the bare commit %.1f µs\n", fm, fm / bm, dm / fm,
               x.cpu_usec / (double) d.n, x.bare_cpu_usec / (double) b.n);
        if (have_check) {
                printf("LeaveCheck (the same rules, no commit): median %.1f µs with no leave stored, %.1f µs with %" PRIu64 "\n",
                       bench_samples_quantile(&check_empty, 0.5), bench_samples_quantile(&check_full, 0.5), x.next_daemon);
                if (asprintf(&checks, "; LeaveCheck (the rules, no commit) median %s with no leave stored, %s with %" PRIu64,
                             bench_format_usec(bench_samples_quantile(&check_empty, 0.5), c1, sizeof(c1)),
                             bench_format_usec(bench_samples_quantile(&check_full, 0.5), c2, sizeof(c2)),
                             x.next_daemon) < 0)
                        return -ENOMEM;
        }

        snprintf(ratio, sizeof(ratio), "%.2f×", dm / bm);
        if (asprintf(&note, "%zu requests, 1 client, %s, no roster stored; WAL + synchronous=FULL on the same file system, "
                     "the bare log as long as the daemon's (overwritten in place); bare p99 %s; on a CPU per write: "
                     "dutyd %.0f µs, the bare commit %.0f µs%s", d.n,
                     cpu >= 0 ? "client, dutyd and echo server on one CPU" : "not kept on one CPU",
                     bench_format_usec(bench_samples_quantile(&b, 0.99), bp99, sizeof(bp99)),
                     x.cpu_usec / (double) d.n, x.bare_cpu_usec / (double) b.n, strempty(checks)) < 0)
                return -ENOMEM;
        bench_row("2", name,
                  bench_format_usec(dm, median, sizeof(median)),
                  bench_format_usec(bench_samples_quantile(&d, 0.99), p99, sizeof(p99)),
                  bench_format_usec(bm, base, sizeof(base)),
                  ratio, "≤ 1.3× bare", dm / bm <= WRITE_GOAL_RATIO ? "yes" : "no", note);

        free(note);
        snprintf(ratio, sizeof(ratio), "%.2f×", fm / bm);
        if (asprintf(&note, "the same call answered by the echo server with dutyd's reply, then the bare commit: "
                     "the least a server answering over the socket after a durable commit costs here; "
                     "dutyd %.2f× this floor", dm / fm) < 0) {
                note = NULL;
                return -ENOMEM;
        }
        bench_row("2b", "Write path floor: echo round trip + bare commit",
                  bench_format_usec(fm, floor_median, sizeof(floor_median)),
                  bench_format_usec(bench_samples_quantile(&f, 0.99), p99, sizeof(p99)),
                  bench_format_usec(bm, base, sizeof(base)),
                  ratio, "-", "n/a", note);
        return 0;
}

int main(int argc, char *argv[]) {
        Options o = {};

        return bench_main(argc, argv, parse_argv, &o, &o.daemon, run, "Write path benchmark");
}
