/* SPDX-License-Identifier: GPL-2.0-or-later */

/* Read path: round trips of Status and Who over the daemon's socket, against the same round trips
 * to a bare echo server (bench-util.c) that frames messages with the daemon's own framer and sends
 * back the daemon's own reply, byte for byte, without parsing anything. Both are driven by the same
 * blocking client (varlink.h), one call at a time, in alternating blocks so that drift on the machine
 * affects both alike. The ratio of the medians is the cost of everything dutyd does per request
 * (JSON, validation against the interface, identification, the handler) over the socket's own.
 *
 * Usage: bench-roundtrip --dutyd PATH --config PATH [--now YYYY-MM-DDTHH:MM] [--iterations N] */

#include <math.h>
#include <stdio.h>

#include "bench-util.h"

#define ROUNDTRIP_ITERATIONS_DEFAULT 20000
#define ROUNDTRIP_ITERATIONS_MAX 10000000
#define ROUNDTRIP_WARMUP 1000
#define ROUNDTRIP_BLOCK 1000
/* Goal: the daemon's median round trip at most this many times the echo server's. */
#define ROUNDTRIP_GOAL_RATIO 1.5
/* Days generated around today so that Who has a filled duty day to describe. */
#define ROUNDTRIP_ROSTER_DAYS 7

typedef BenchIterationOptions Options;

static int parse_argv(int argc, char *argv[], void *options) {
        return bench_parse_iterations(argc, argv, options, ROUNDTRIP_ITERATIONS_DEFAULT, ROUNDTRIP_BLOCK,
                                      ROUNDTRIP_ITERATIONS_MAX);
}

/* n timed calls of method, each sample in µs. */
static int time_calls(VarlinkClient *c, const char *method, json_t *params, unsigned n, BenchSamples *samples) {
        for (unsigned i = 0; i < n; i++) {
                _cleanup_(json_decrefp) json_t *reply = NULL;
                const char *error = NULL;
                uint64_t t0 = bench_now_ns();
                int r;

                r = varlink_client_call(c, method, params, &reply, &error);
                if (r < 0)
                        return r;
                if (error)
                        return -EPROTO;
                if (samples) {
                        r = bench_samples_add(samples, (double) (bench_now_ns() - t0) / 1e3);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

/* One row: method against dutyd and against an echo server answering with dutyd's reply. */
static int bench_method(const Options *o, const char *dir, VarlinkClient *daemon, int cpu, const char *id,
                        const char *method, json_t *params) {
        _cleanup_(bench_samples_done) BenchSamples d = {}, e = {};
        _cleanup_(varlink_client_freep) VarlinkClient *echo = NULL;
        _cleanup_(json_decrefp) json_t *reply = NULL;
        _cleanup_free_ char *error = NULL, *text = NULL, *echo_path = NULL, *name = NULL, *note = NULL;
        char median[32], p99[32], base[32], ratio[32];
        double dm, em;
        pid_t echo_pid;
        int r;

        if (asprintf(&name, "Read path: %s round trip", method + strlen("io.dutyd.Duty.")) < 0)
                return -ENOMEM;

        r = bench_call(daemon, method, params, &reply, &error);
        if (r < 0)
                return r;
        if (r > 0) {
                _cleanup_free_ char *why = NULL;

                if (asprintf(&why, "not available: %s answers %s", method, error) < 0)
                        return -ENOMEM;
                bench_row(id, name, NULL, NULL, NULL, NULL, "≤ 1.5× echo", "n/a", why);
                return 0;
        }

        text = bench_reply_text(reply, NULL);
        if (!text || asprintf(&echo_path, "%s/echo.sock", dir) < 0)
                return -ENOMEM;
        r = bench_echo_start(echo_path, (const BenchEchoReply[]) { { NULL, text } }, 1, &echo_pid);
        if (r < 0)
                return r;
        r = varlink_client_connect(echo_path, &echo);
        if (r < 0)
                goto finish;

        r = time_calls(daemon, method, params, ROUNDTRIP_WARMUP, NULL);
        if (r >= 0)
                r = time_calls(echo, method, params, ROUNDTRIP_WARMUP, NULL);
        for (unsigned done = 0; r >= 0 && done < o->iterations; done += ROUNDTRIP_BLOCK) {
                /* Alternate which goes first, so neither always runs on a freshly idle machine. */
                bool daemon_first = (done / ROUNDTRIP_BLOCK) % 2 == 0;

                r = time_calls(daemon_first ? daemon : echo, method, params, ROUNDTRIP_BLOCK,
                               daemon_first ? &d : &e);
                if (r >= 0)
                        r = time_calls(daemon_first ? echo : daemon, method, params, ROUNDTRIP_BLOCK,
                                       daemon_first ? &e : &d);
        }
        if (r < 0)
                goto finish;

        dm = bench_samples_quantile(&d, 0.5);
        em = bench_samples_quantile(&e, 0.5);
        printf("%s: %zu calls each; dutyd median %.1f µs p99 %.1f µs; echo median %.1f µs p99 %.1f µs; reply %zu bytes\n",
               method, d.n, dm, bench_samples_quantile(&d, 0.99), em, bench_samples_quantile(&e, 0.99),
               strlen(text) + 1);
        snprintf(ratio, sizeof(ratio), "%.2f×", dm / em);
        if (asprintf(&note, "%zu calls, one client; %s; echo p99 %s; reply %zu bytes", d.n,
                     cpu >= 0 ? "client, dutyd and echo server on one CPU" : "not kept on one CPU",
                     bench_format_usec(bench_samples_quantile(&e, 0.99), p99, sizeof(p99)), strlen(text) + 1) < 0) {
                r = -ENOMEM;
                goto finish;
        }
        bench_row(id, name,
                  bench_format_usec(dm, median, sizeof(median)),
                  bench_format_usec(bench_samples_quantile(&d, 0.99), p99, sizeof(p99)),
                  bench_format_usec(em, base, sizeof(base)),
                  ratio, "≤ 1.5× echo", dm / em <= ROUNDTRIP_GOAL_RATIO ? "yes" : "no", note);
        r = 0;

finish:
        (void) bench_process_stop(echo_pid);
        return r;
}

/* A week of roster from the daemon's current duty day (Who says which it is: it follows the office's
 * zone and handover), so that Who describes a filled day. */
static void roster_prepare(VarlinkClient *c) {
        _cleanup_(json_decrefp) json_t *params = NULL, *reply = NULL, *who = NULL;
        _cleanup_free_ char *error = NULL;
        char to[DAY_STRING_MAX];
        const char *from;
        Day d;

        if (bench_call(c, "io.dutyd.Duty.Who", NULL, &who, &error) != 0 ||
            !(from = json_string_value(json_object_get(who, "date"))) || day_parse(from, &d) < 0) {
                printf("Who: %s; it will describe an empty day\n", strna(error));
                return;
        }
        day_format(d + ROUNDTRIP_ROSTER_DAYS, to);

        params = json_pack("{s:s, s:s, s:b}", "from", from, "to", to, "assume_ordinary", true);
        if (bench_call(c, "io.dutyd.Duty.RosterGenerate", params, &reply, &error) != 0)
                printf("RosterGenerate %s..%s: %s; Who describes an empty day\n", from, to, strna(error));
}

static int run(const void *options, BenchSession *s) {
        int cpu = -1, r;

        roster_prepare(s->client);
        /* Both servers alike on the client's CPU (bench-util.h says why). */
        r = bench_pin_one_cpu(s->daemon.pid, &cpu);
        if (r < 0) {
                fprintf(stderr, "Cannot keep the processes on one CPU (%s): the placements may differ.\n", strerror(-r));
                cpu = -1;
        }
        r = bench_method(options, s->dir, s->client, cpu, "1a", "io.dutyd.Duty.Status", NULL);
        if (r >= 0)
                r = bench_method(options, s->dir, s->client, cpu, "1b", "io.dutyd.Duty.Who", NULL);
        return r;
}

int main(int argc, char *argv[]) {
        Options o = {};

        return bench_main(argc, argv, parse_argv, &o, &o.daemon, run, "Read path benchmark");
}
