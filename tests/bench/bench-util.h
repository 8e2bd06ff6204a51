/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Shared by the benchmarks: latency samples and their quantiles, the result row format that
 * tests/bench/run.sh collects into its table, the real dutyd started with a NOTIFY_SOCKET the
 * benchmark owns, the bare echo server the socket benchmarks compare against, and /proc readings.
 *
 * A result row is one line on stdout, tab-separated:
 *
 *   ROW  id  name  median  p99  baseline  ratio  goal  met  note
 *
 * with every value already formatted (units included); "-" marks a column that does not apply and
 * "met" is "yes", "no" or "n/a". Everything else a benchmark prints is detail for the reader. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util.h"
#include "date.h"
#include "varlink.h"

/* How long a started dutyd may take to send READY=1 before the benchmark gives up. */
#define BENCH_READY_TIMEOUT_MSEC 30000
/* Connections the echo server serves at once (the concurrency benchmark uses 50). */
#define BENCH_ECHO_CONNECTIONS_MAX 256
#define BENCH_ECHO_REPLIES_MAX 8

uint64_t bench_now_ns(void);
/* The date of a DUTYD_NOW value ("YYYY-MM-DDTHH:MM"), or today's local date for NULL. */
Day bench_today(const char *now);

typedef struct BenchSamples {
        double *v;
        size_t n;
        size_t allocated;
        bool sorted;
} BenchSamples;

/* A decimal number of an option, min … max; 0 or -EINVAL. */
int bench_parse_unsigned(const char *s, unsigned min, unsigned max, unsigned *ret);

int bench_samples_add(BenchSamples *s, double v);
/* Nearest-rank quantile, q in [0, 1]; NAN when empty. Sorts the samples. */
double bench_samples_quantile(BenchSamples *s, double q);
void bench_samples_done(BenchSamples *s);

/* Prints one ROW line (see above); NULL values print as "-". */
void bench_row(const char *id, const char *name, const char *median, const char *p99, const char *baseline,
               const char *ratio, const char *goal, const char *met, const char *note);
/* "12.3 µs", "4.56 ms", "1.23 s" for a duration in microseconds, into buf. */
const char *bench_format_usec(double usec, char *buf, size_t size);

/* A dutyd the benchmark started. */
typedef struct BenchDaemon {
        pid_t pid;
        char *socket_path;
        char *notify_path;
        int notify_fd;
        double ready_usec;     /* from just before fork() to READY=1 */
        double ready_cpu_usec; /* of which on a CPU (/proc/PID/schedstat), NAN if unknown */
        double ready_wait_usec;/* of which runnable but waiting for a CPU, NAN if unknown */
} BenchDaemon;

typedef struct BenchDaemonOptions {
        const char *dutyd;       /* the binary */
        const char *config;
        const char *state_dir;
        const char *socket_path;
        const char *log_path;    /* stdout and stderr of the daemon; NULL: /dev/null */
        const char *now;         /* DUTYD_NOW, or NULL for the real clock */
} BenchDaemonOptions;

/* The options of every benchmark that starts dutyd, for its getopt_long() table: --dutyd PATH,
 * --config PATH and --now YYYY-MM-DDTHH:MM (DUTYD_NOW). */
#define BENCH_DAEMON_GETOPT                                     \
        { "dutyd",  required_argument, NULL, 'd' },             \
        { "config", required_argument, NULL, 'c' },             \
        { "now",    required_argument, NULL, 't' }
/* Takes an option of BENCH_DAEMON_GETOPT into o: whether c was one of them. */
bool bench_daemon_option(BenchDaemonOptions *o, int c, const char *arg);

/* A count a benchmark takes: --name N, min … max, into *value (which holds the default). */
typedef struct BenchCountOption {
        const char *name;
        unsigned min;
        unsigned max;
        unsigned *value;
} BenchCountOption;

/* The command line of a benchmark that starts dutyd: the options of BENCH_DAEMON_GETOPT into o
 * (--dutyd and --config required) and the counts. On a usage error prints the usage, every option
 * with its range, and returns -EINVAL. */
int bench_parse_argv(int argc, char *argv[], BenchDaemonOptions *o, const BenchCountOption *counts, size_t n_counts);

/* The options of a benchmark that times a number of calls: the daemon's and --iterations (def
 * when not given, from block to max). */
typedef struct BenchIterationOptions {
        BenchDaemonOptions daemon;      /* --dutyd, --config, --now */
        unsigned iterations;
} BenchIterationOptions;
int bench_parse_iterations(int argc, char *argv[], BenchIterationOptions *o, unsigned def, unsigned block,
                           unsigned max);

/* Starts dutyd with NOTIFY_SOCKET pointing at a datagram socket next to the state directory and
 * waits for READY=1. Returns -ETIMEDOUT, -ECHILD (the daemon exited; see its log) or another error. */
int bench_daemon_start(const BenchDaemonOptions *o, BenchDaemon *ret);
/* SIGTERM and reaps; returns the exit status or a negative errno. */
int bench_daemon_stop(BenchDaemon *d);

/* Runs argv (argv[0] a path), with NOTIFY_SOCKET pointing at a fresh socket at notify_path unless
 * that is NULL, until it sends READY=1 or exits. The times from just before fork() to either go to
 * ret_ready_usec and ret_exit_usec (NAN for what did not happen; either may be NULL). Returns the
 * exit status of a program that exited, 0 for one that became ready, or a negative errno; a ready
 * program is left running when ret_pid is given (-ECHILD if it exited instead), else stopped. */
int bench_exec_timed(char *const argv[], const char *notify_path, double *ret_ready_usec, double *ret_exit_usec,
                     pid_t *ret_pid);

/* What the echo server answers: the first entry whose needle occurs in the request (NULL matches
 * anything) gives the reply, sent with its NUL terminator. */
typedef struct BenchEchoReply {
        const char *needle;
        const char *reply;
} BenchEchoReply;

/* Forks a bare Varlink-framed echo server on path: it splits requests with the daemon's own framer
 * and answers each with a canned reply, without parsing anything, on a single-threaded poll() loop
 * like the daemon's. */
int bench_echo_start(const char *path, const BenchEchoReply *replies, size_t n_replies, pid_t *ret_pid);
/* SIGTERM, SIGKILL if it is still there after a while, and reaps: the exit status or a negative errno. */
int bench_process_stop(pid_t pid);

/* Serializes a reply the way the server does ({"parameters":…} or {"error":…,"parameters":…}),
 * for an echo server to send back. */
char *bench_reply_text(json_t *params, const char *error);

/* Keeps this process, every process it starts from now on (the echo server) and also (dutyd,
 * started already; 0: none) on one CPU, the lowest this one may use, into *ret_cpu. A round trip then costs the same whichever server
 * answers it: left to itself, the scheduler may run a small echo server beside its client (a
 * switch on one CPU, 20 µs) and wake dutyd on the other (an interrupt to an idle virtual CPU,
 * 90 µs), which compares placements, not servers. */
int bench_pin_one_cpu(pid_t also, int *ret_cpu);

/* Time a process spent on a CPU and runnable waiting for one, from /proc/PID/schedstat. */
int bench_proc_schedstat(pid_t pid, double *ret_cpu_usec, double *ret_wait_usec);
/* VmRSS (or another "Vm…" field) of a process, in KiB. */
int bench_proc_status_kib(pid_t pid, const char *field, uint64_t *ret);

/* mkdtemp() under $TMPDIR or /tmp, short enough for socket paths. */
int bench_tempdir(char **ret);
/* rm -rf of a directory made by bench_tempdir(). */
void bench_tempdir_remove(const char *path);

/* A benchmark's own directory and the dutyd running in it, with a client connected. */
typedef struct BenchSession {
        char *dir;              /* bench_tempdir() */
        char *state;            /* dir/state, the daemon's state directory */
        char *socket_path;      /* dir/dutyd.sock */
        char *log;              /* dir/dutyd.log, the daemon's output */
        BenchDaemon daemon;     /* pid 0 until started */
        VarlinkClient *client;
} BenchSession;

/* Makes the directory and names the files in it; says why on stderr when it cannot. */
int bench_session_prepare(BenchSession *s);
/* Starts dutyd as o says (its state, socket and log those of the session); says why on stderr
 * when it cannot. */
int bench_session_start_daemon(BenchSession *s, const BenchDaemonOptions *o);
/* All three: the directory, dutyd, and a client connected to it. */
int bench_session_start(BenchSession *s, const BenchDaemonOptions *o);
/* The end of a benchmark's main(): with r < 0 after dutyd started says "<what> failed: …" on
 * stderr (unless what is NULL) and keeps the directory for the log; disconnects, stops dutyd, frees. Returns the exit
 * status. */
int bench_session_end(BenchSession *s, int r, const char *what);

/* The main() of a benchmark against one dutyd: parse fills options (whose daemon part daemon
 * points to; the usage error's status without starting anything), then the session is started,
 * run, and ended as bench_session_end() says for what. Returns the exit status. */
typedef int (*BenchParseFunc)(int argc, char *argv[], void *options);
typedef int (*BenchRunFunc)(const void *options, BenchSession *s);
int bench_main(int argc, char *argv[], BenchParseFunc parse, void *options, const BenchDaemonOptions *daemon,
               BenchRunFunc run, const char *what);

/* Calls method, returning 0 when it answered without error, 1 when it answered with a Varlink error
 * (ret_error set to a copy), negative errno on I/O. ret_params optional. */
int bench_call(VarlinkClient *c, const char *method, json_t *params, json_t **ret_params, char **ret_error);
/* Whether the daemon implements a method: false for MethodNotFound/MethodNotImplemented. */
bool bench_error_is_unimplemented(const char *error);

/* The write request of the write-path and concurrency benchmarks: a leave request (rules and a
 * durable commit) when the daemon has it, else the first write it implements of a fallback list.
 * Request i asks for one day for one leader, spread so that no two requests collide (the same person
 * on the same day) and few leaders are away on any one day. */
typedef struct BenchWriter {
        const char *method;     /* full method name; static */
        char **people;          /* leaders' ids */
        size_t n_people;
        Day first;              /* first day requested */
        unsigned span;          /* days requested over */
} BenchWriter;

/* Days between "now" and the first day requested, so that notice rules are met. */
#define BENCH_WRITER_LEAD_DAYS 14
/* Days the requests are spread over (within how far ahead leave may be requested). */
#define BENCH_WRITER_SPAN_DAYS 300

/* Probes the daemon (which must run with the clock at `today`); -EOPNOTSUPP when it has no write
 * method at all, with *ret_why saying what was tried. */
int bench_writer_init(BenchWriter *w, VarlinkClient *c, Day today, char **ret_why);
void bench_writer_done(BenchWriter *w);
/* Parameters of request i (a new reference). */
json_t *bench_writer_params(const BenchWriter *w, uint64_t i);
/* "LeaveRequest", the bare method name. */
const char *bench_writer_name(const BenchWriter *w);
