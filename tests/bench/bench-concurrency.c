/* SPDX-License-Identifier: GPL-2.0-or-later */

/* Concurrency: N client processes (default 50), each with its own connection, send M requests
 * (default 1,000) as fast as their replies come: 90% reads (Status and Who in turn) and 10% writes
 * (the write-path request, see BenchWriter). All start together on a barrier. Reported: throughput,
 * latency median and p99 (of reads and writes apart too) and errors: any failed call or error reply
 * counts. The baseline is the same run against the bare echo server (bench-util.c) answering every
 * method with dutyd's own reply, i.e. what the socket and the clients cost by themselves.
 *
 * Usage: bench-concurrency --dutyd PATH --config PATH [--now YYYY-MM-DDTHH:MM] [--clients N] [--requests M] */

#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "bench-util.h"

#define CONCURRENCY_CLIENTS_DEFAULT 50
#define CONCURRENCY_CLIENTS_MAX 200       /* below the daemon's VARLINK_CONNECTIONS_MAX */
#define CONCURRENCY_REQUESTS_DEFAULT 1000
#define CONCURRENCY_REQUESTS_MAX 100000
/* Writes per hundred requests. */
#define CONCURRENCY_WRITE_PERCENT 10
/* Goal: dutyd's throughput at least this share of the echo server's (issue #15), with no error. */
#define CONCURRENCY_GOAL_RATIO 0.4
/* Error replies printed in full per client; the rest are only counted. */
#define CONCURRENCY_ERRORS_SHOWN 3

typedef struct Options {
        BenchDaemonOptions daemon;      /* --dutyd, --config, --now */
        unsigned clients;
        unsigned requests;
} Options;

static int parse_argv(int argc, char *argv[], void *options) {
        Options *o = options;

        *o = (Options) { .clients = CONCURRENCY_CLIENTS_DEFAULT, .requests = CONCURRENCY_REQUESTS_DEFAULT };
        return bench_parse_argv(argc, argv, &o->daemon, (const BenchCountOption[]) {
                        { "clients", 1, CONCURRENCY_CLIENTS_MAX, &o->clients },
                        { "requests", 1, CONCURRENCY_REQUESTS_MAX, &o->requests },
                }, 2);
}

typedef enum RequestKind {
        REQUEST_STATUS,
        REQUEST_WHO,
        REQUEST_WRITE,
        _REQUEST_KIND_MAX,
        _REQUEST_KIND_INVALID = -EINVAL,
} RequestKind;

/* What every client shares with the parent: one latency per request, its kind, errors per client. */
typedef struct Shared {
        double *latency_usec;
        unsigned char *kind;
        unsigned *errors;
        size_t n;
        size_t size;
        void *map;
} Shared;

static int shared_new(unsigned clients, unsigned requests, Shared *ret) {
        size_t n = (size_t) clients * requests;
        size_t size = n * sizeof(double) + n + clients * sizeof(unsigned);
        void *p;

        p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
                return -errno;
        *ret = (Shared) {
                .map = p,
                .size = size,
                .n = n,
                .latency_usec = p,
                .errors = (unsigned *) ((char *) p + n * sizeof(double)),
                .kind = (unsigned char *) p + n * sizeof(double) + clients * sizeof(unsigned),
        };
        return 0;
}

static void shared_done(Shared *s) {
        if (s->map)
                munmap(s->map, s->size);
        *s = (Shared) {};
}

typedef struct Plan {
        const BenchWriter *writer;
        bool have_who;
        unsigned clients;
        unsigned requests;
} Plan;

/* The mix: every request is a write with probability CONCURRENCY_WRITE_PERCENT, spread evenly over
 * each client's sequence and shifted between clients; reads alternate Status and Who. */
static RequestKind plan_kind(const Plan *p, unsigned client, unsigned j) {
        if ((j * 37 + client * 11) % 100 < CONCURRENCY_WRITE_PERCENT)
                return REQUEST_WRITE;
        return p->have_who && j % 2 ? REQUEST_WHO : REQUEST_STATUS;
}

/* The most writes one client sends. */
static unsigned plan_writes_max(const Plan *p) {
        unsigned max = 0;

        for (unsigned k = 0; k < p->clients; k++) {
                unsigned n = 0;

                for (unsigned j = 0; j < p->requests; j++)
                        n += plan_kind(p, k, j) == REQUEST_WRITE;
                if (n > max)
                        max = n;
        }
        return max;
}

__attribute__((noreturn)) static void client_run(const Plan *p, const char *socket_path, unsigned client,
                                                 int barrier_fd, Shared *shared) {
        _cleanup_(varlink_client_freep) VarlinkClient *c = NULL;
        unsigned shown = 0, writes = 0;
        char b;
        int r;

        r = varlink_client_connect(socket_path, &c);
        /* Everybody is connected before the barrier opens (a read returns 0 when the parent closes it). */
        while (read(barrier_fd, &b, 1) < 0 && errno == EINTR)
                ;
        if (r < 0) {
                fprintf(stderr, "client %u: cannot connect: %s\n", client, strerror(-r));
                shared->errors[client] = p->requests;
                _exit(EXIT_FAILURE);
        }

        for (unsigned j = 0; j < p->requests; j++) {
                _cleanup_(json_decrefp) json_t *params = NULL, *reply = NULL;
                size_t slot = (size_t) client * p->requests + j;
                RequestKind kind = plan_kind(p, client, j);
                const char *method, *error = NULL;
                uint64_t t0;

                switch (kind) {
                case REQUEST_STATUS:
                        method = "io.dutyd.Duty.Status";
                        break;
                case REQUEST_WHO:
                        method = "io.dutyd.Duty.Who";
                        break;
                case REQUEST_WRITE:
                        /* Writes are numbered densely across clients, so that no two ask for the
                         * same leader on the same day. */
                        method = p->writer->method;
                        params = bench_writer_params(p->writer, (uint64_t) writes++ * p->clients + client);
                        break;
                case _REQUEST_KIND_MAX:
                case _REQUEST_KIND_INVALID:
                        _exit(EXIT_FAILURE);
                }

                t0 = bench_now_ns();
                r = varlink_client_call(c, method, params, &reply, &error);
                shared->latency_usec[slot] = (double) (bench_now_ns() - t0) / 1e3;
                shared->kind[slot] = (unsigned char) kind;
                if (r < 0 || error) {
                        shared->errors[client]++;
                        if (shown++ < CONCURRENCY_ERRORS_SHOWN) {
                                _cleanup_free_ char *dump = reply ? json_dumps(reply, JSON_COMPACT) : NULL;

                                fprintf(stderr, "client %u request %u (%s): %s %s\n", client, j, method,
                                        r < 0 ? strerror(-r) : error, strempty(dump));
                        }
                        if (r < 0) {
                                /* The connection is gone: the rest of this client's requests fail too. */
                                shared->errors[client] += p->requests - j - 1;
                                _exit(EXIT_FAILURE);
                        }
                }
        }
        _exit(EXIT_SUCCESS);
}

typedef struct Result {
        double seconds;
        double throughput;
        unsigned errors;
        BenchSamples all, reads, writes;
} Result;

static void result_done(Result *r) {
        bench_samples_done(&r->all);
        bench_samples_done(&r->reads);
        bench_samples_done(&r->writes);
}

static void clients_reap(const pid_t *pids, unsigned n) {
        for (unsigned k = 0; k < n; k++)
                while (waitpid(pids[k], NULL, 0) < 0 && errno == EINTR)
                        ;
}

/* Forks the clients against socket_path and collects what they measured. Only the clients are
 * waited for: the daemon and the echo server are children of this process too. */
static int run_clients(const Plan *p, const char *socket_path, Result *ret) {
        _cleanup_(shared_done) Shared shared = {};
        _cleanup_free_ pid_t *pids = NULL;
        unsigned n = 0;
        int barrier[2];
        uint64_t t0;
        int r;

        r = shared_new(p->clients, p->requests, &shared);
        if (r < 0)
                return r;
        pids = calloc(p->clients, sizeof(pid_t));
        if (!pids)
                return -ENOMEM;
        if (pipe2(barrier, O_CLOEXEC) < 0)
                return -errno;

        fflush(stdout);
        fflush(stderr);
        for (; n < p->clients; n++) {
                pid_t pid = fork();

                if (pid < 0) {
                        r = -errno;
                        close(barrier[1]);
                        close(barrier[0]);
                        clients_reap(pids, n);
                        return r;
                }
                if (pid == 0) {
                        close(barrier[1]);
                        client_run(p, socket_path, n, barrier[0], &shared);
                }
                pids[n] = pid;
        }
        close(barrier[0]);
        /* Give every client a moment to connect before the barrier opens. */
        (void) usleep(200 * 1000);
        t0 = bench_now_ns();
        close(barrier[1]);
        clients_reap(pids, n);

        *ret = (Result) { .seconds = (double) (bench_now_ns() - t0) / 1e9 };
        for (unsigned k = 0; k < p->clients; k++)
                ret->errors += shared.errors[k];
        for (size_t i = 0; i < shared.n; i++) {
                double v = shared.latency_usec[i];

                if (v <= 0)  /* never sent: its client died, counted in errors */
                        continue;
                if (bench_samples_add(&ret->all, v) < 0 ||
                    bench_samples_add(shared.kind[i] == REQUEST_WRITE ? &ret->writes : &ret->reads, v) < 0) {
                        result_done(ret);
                        return -ENOMEM;
                }
        }
        ret->throughput = (double) ret->all.n / ret->seconds;
        return 0;
}

/* One real call of method, whose reply the echo server will send back. */
static int canned_reply(VarlinkClient *c, const char *method, json_t *params, char **ret) {
        _cleanup_(json_decrefp) json_t *reply = NULL;
        _cleanup_free_ char *error = NULL;
        int r;

        r = bench_call(c, method, params, &reply, &error);
        if (r < 0)
                return r;
        *ret = bench_reply_text(reply, error);
        return *ret ? r : -ENOMEM;
}

static int run(const void *options, BenchSession *s) {
        const Options *o = options;
        const char *dir = s->dir, *socket_path = s->socket_path;
        VarlinkClient *c = s->client;
        _cleanup_(bench_writer_done) BenchWriter w = {};
        _cleanup_free_ char *why = NULL, *status = NULL, *who = NULL, *write = NULL, *echo_path = NULL,
                *name = NULL, *note = NULL, *lat_name = NULL, *lat_note = NULL;
        _cleanup_(json_decrefp) json_t *write_params = NULL;
        _cleanup_(result_done) Result daemon = {}, echo = {};
        char v[5][32], thr[32], base[32], ratio[32], goal[64];
        Plan plan = { .clients = o->clients, .requests = o->requests };
        pid_t echo_pid;
        int r;

        r = bench_writer_init(&w, c, bench_today(o->daemon.now), &why);
        if (r < 0 && r != -EOPNOTSUPP && r != -EPROTO)
                return r;
        if (r < 0) {
                _cleanup_free_ char *msg = NULL;

                if (asprintf(&msg, "not available: no write request (%s)", strna(why)) < 0)
                        return -ENOMEM;
                bench_row("3", "Concurrency", NULL, NULL, NULL, NULL, "0 errors", "n/a", msg);
                return 0;
        }
        plan.writer = &w;
        /* Distinct writes, and two more for the probe and the echo server's canned reply. */
        if ((uint64_t) w.span * w.n_people < (uint64_t) o->clients * plan_writes_max(&plan) + 2) {
                fprintf(stderr, "The office has %zu leaders: too few for %u distinct writes.\n",
                        w.n_people, o->clients * plan_writes_max(&plan));
                return -ERANGE;
        }

        r = canned_reply(c, "io.dutyd.Duty.Status", NULL, &status);
        if (r == 0)
                r = canned_reply(c, "io.dutyd.Duty.Who", NULL, &who);
        if (r < 0)
                return r;
        plan.have_who = r == 0;
        if (!plan.have_who) {
                free(who);
                who = strdup(status);
                if (!who)
                        return -ENOMEM;
        }
        /* The write's reply: one more request, beyond the range the clients use. */
        write_params = bench_writer_params(&w, (uint64_t) w.span * w.n_people - 2);
        r = canned_reply(c, w.method, write_params, &write);
        if (r < 0)
                return r;

        printf("concurrency: %u clients × %u requests, %d%% %s, reads Status%s\n", o->clients, o->requests,
               CONCURRENCY_WRITE_PERCENT, bench_writer_name(&w), plan.have_who ? " and Who" : " only (no Who)");
        r = run_clients(&plan, socket_path, &daemon);
        if (r < 0)
                return r;

        if (asprintf(&echo_path, "%s/echo.sock", dir) < 0)
                return -ENOMEM;
        r = bench_echo_start(echo_path,
                             (const BenchEchoReply[]) {
                                     { ".Who\"", who },
                                     { bench_writer_name(&w), write },
                                     { NULL, status },
                             }, 3, &echo_pid);
        if (r < 0)
                return r;
        r = run_clients(&plan, echo_path, &echo);
        (void) bench_process_stop(echo_pid);
        if (r < 0)
                return r;

        printf("dutyd: %.2f s, %.0f req/s, errors %u; latency median %.1f µs p99 %.1f µs; "
               "reads p99 %.1f µs, writes median %.1f µs p99 %.1f µs\n",
               daemon.seconds, daemon.throughput, daemon.errors,
               bench_samples_quantile(&daemon.all, 0.5), bench_samples_quantile(&daemon.all, 0.99),
               bench_samples_quantile(&daemon.reads, 0.99),
               bench_samples_quantile(&daemon.writes, 0.5), bench_samples_quantile(&daemon.writes, 0.99));
        printf("echo:  %.2f s, %.0f req/s, errors %u; latency median %.1f µs p99 %.1f µs\n",
               echo.seconds, echo.throughput, echo.errors,
               bench_samples_quantile(&echo.all, 0.5), bench_samples_quantile(&echo.all, 0.99));

        snprintf(thr, sizeof(thr), "%.0f req/s", daemon.throughput);
        snprintf(base, sizeof(base), "%.0f req/s", echo.throughput);
        snprintf(ratio, sizeof(ratio), "%.2f×", daemon.throughput / echo.throughput);
        snprintf(goal, sizeof(goal), "≥ %.1f× echo, 0 errors", CONCURRENCY_GOAL_RATIO);
        if (asprintf(&name, "Concurrency: %u clients × %u requests (%d%% %s), throughput",
                     o->clients, o->requests, CONCURRENCY_WRITE_PERCENT, bench_writer_name(&w)) < 0 ||
            asprintf(&note, "errors: %u of %zu; %.2f s; baseline: echo server, same clients and mix",
                     daemon.errors, (size_t) o->clients * o->requests, daemon.seconds) < 0)
                return -ENOMEM;
        bench_row("3a", name, thr, NULL, base, ratio, goal,
                  daemon.errors == 0 && daemon.throughput >= CONCURRENCY_GOAL_RATIO * echo.throughput ? "yes" : "no", note);

        if (asprintf(&lat_name, "Concurrency: latency per request under %u clients", o->clients) < 0 ||
            asprintf(&lat_note, "reads p99 %s; writes median %s, p99 %s; echo p99 %s",
                     bench_format_usec(bench_samples_quantile(&daemon.reads, 0.99), v[0], sizeof(v[0])),
                     bench_format_usec(bench_samples_quantile(&daemon.writes, 0.5), v[1], sizeof(v[1])),
                     bench_format_usec(bench_samples_quantile(&daemon.writes, 0.99), v[2], sizeof(v[2])),
                     bench_format_usec(bench_samples_quantile(&echo.all, 0.99), v[3], sizeof(v[3]))) < 0)
                return -ENOMEM;
        snprintf(ratio, sizeof(ratio), "%.2f×",
                 bench_samples_quantile(&daemon.all, 0.5) / bench_samples_quantile(&echo.all, 0.5));
        bench_row("3b", lat_name,
                  bench_format_usec(bench_samples_quantile(&daemon.all, 0.5), v[0], sizeof(v[0])),
                  bench_format_usec(bench_samples_quantile(&daemon.all, 0.99), v[1], sizeof(v[1])),
                  bench_format_usec(bench_samples_quantile(&echo.all, 0.5), v[4], sizeof(v[4])),
                  ratio, NULL, "n/a", lat_note);
        return 0;
}

int main(int argc, char *argv[]) {
        Options o = {};

        return bench_main(argc, argv, parse_argv, &o, &o.daemon, run, "Concurrency benchmark");
}
