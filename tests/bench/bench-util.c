/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <fcntl.h>
#include <sched.h>
#include <getopt.h>
#include <ftw.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/pidfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>

#include "bench-util.h"

/* Bytes of one notification datagram read at once (sd_notify messages are short). */
#define BENCH_NOTIFY_DATAGRAM_MAX 4096
/* How long a stopped daemon or echo server may take to exit before it is killed. */
#define BENCH_STOP_TIMEOUT_MSEC 10000

uint64_t bench_now_ns(void) {
        struct timespec ts;

        (void) clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
}

Day bench_today(const char *now) {
        time_t t = time(NULL);
        struct tm tm;
        Day d;

        if (now && strlen(now) >= DAY_STRING_MAX - 1) {
                char buf[DAY_STRING_MAX];

                memcpy(buf, now, DAY_STRING_MAX - 1);
                buf[DAY_STRING_MAX - 1] = '\0';
                if (day_parse(buf, &d) >= 0)
                        return d;
        }
        (void) localtime_r(&t, &tm);
        return day_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int bench_parse_unsigned(const char *s, unsigned min, unsigned max, unsigned *ret) {
        unsigned long v;
        char *end;

        if (!s || *s < '0' || *s > '9')
                return -EINVAL;
        errno = 0;
        v = strtoul(s, &end, 10);
        if (errno != 0 || *end || v < min || v > max)
                return -EINVAL;
        *ret = (unsigned) v;
        return 0;
}

int bench_samples_add(BenchSamples *s, double v) {
        if (s->n == s->allocated) {
                size_t n = s->allocated ? s->allocated * 2 : 1024;
                double *p = realloc(s->v, n * sizeof(double));

                if (!p)
                        return -ENOMEM;
                s->v = p;
                s->allocated = n;
        }
        s->v[s->n++] = v;
        s->sorted = false;
        return 0;
}

static int double_compare(const void *a, const void *b) {
        double x = *(const double *) a, y = *(const double *) b;

        return x < y ? -1 : x > y ? 1 : 0;
}

double bench_samples_quantile(BenchSamples *s, double q) {
        size_t i;

        if (s->n == 0)
                return NAN;
        if (!s->sorted) {
                qsort(s->v, s->n, sizeof(double), double_compare);
                s->sorted = true;
        }
        /* Nearest rank: the smallest sample with at least q of them at or below it. */
        i = (size_t) ceil(q * (double) s->n);
        if (i > 0)
                i--;
        if (i >= s->n)
                i = s->n - 1;
        return s->v[i];
}

void bench_samples_done(BenchSamples *s) {
        free(s->v);
        *s = (BenchSamples) {};
}

void bench_row(const char *id, const char *name, const char *median, const char *p99, const char *baseline,
               const char *ratio, const char *goal, const char *met, const char *note) {
        printf("ROW\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
               id ?: "-", name ?: "-", median ?: "-", p99 ?: "-", baseline ?: "-",
               ratio ?: "-", goal ?: "-", met ?: "n/a", note ?: "");
        fflush(stdout);
}

const char *bench_format_usec(double usec, char *buf, size_t size) {
        if (isnan(usec))
                snprintf(buf, size, "-");
        else if (usec < 1000)
                snprintf(buf, size, "%.1f µs", usec);
        else if (usec < 1000000)
                snprintf(buf, size, "%.2f ms", usec / 1000);
        else
                snprintf(buf, size, "%.2f s", usec / 1000000);
        return buf;
}

static int notify_socket_open(const char *path) {
        _cleanup_close_ int fd = -1;
        struct sockaddr_un sa = { .sun_family = AF_UNIX };

        if (strlen(path) >= sizeof(sa.sun_path))
                return -ENAMETOOLONG;
        strcpy(sa.sun_path, path);
        (void) unlink(path);

        fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
                return -errno;
        if (bind(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0)
                return -errno;
        return TAKE_FD(fd);
}

/* Whether a notification datagram holds the line READY=1. */
static bool notify_is_ready(const char *msg) {
        for (const char *p = msg; p; p = strchr(p, '\n')) {
                if (*p == '\n')
                        p++;
                if (strneq(p, "READY=1", 7) && (p[7] == '\0' || p[7] == '\n'))
                        return true;
        }
        return false;
}

static void child_exec(char *const argv[], char *const env[], const char *log_path) {
        int fd;

        fd = open(log_path ?: "/dev/null", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (fd >= 0) {
                (void) dup2(fd, STDOUT_FILENO);
                (void) dup2(fd, STDERR_FILENO);
        }
        for (size_t i = 0; env && env[i]; i++)
                if (putenv(env[i]) < 0)
                        _exit(127);
        execv(argv[0], argv);
        _exit(127);
}

/* Forks argv with env added, then waits for READY=1 on notify_fd or for the exit of the child. */
static int spawn_and_wait(char *const argv[], char *const env[], const char *log_path, int notify_fd,
                          double *ret_ready_usec, double *ret_exit_usec, pid_t *ret_pid) {
        _cleanup_close_ int pidfd = -1;
        double ready = NAN, exited = NAN;
        uint64_t t0, deadline;
        int status = 0;
        pid_t pid;

        t0 = bench_now_ns();
        pid = fork();
        if (pid < 0)
                return -errno;
        if (pid == 0)
                child_exec(argv, env, log_path);

        pidfd = pidfd_open(pid, 0);
        if (pidfd < 0) {
                int r = -errno;

                (void) kill(pid, SIGKILL);
                (void) waitpid(pid, NULL, 0);
                return r;
        }

        deadline = t0 + (uint64_t) BENCH_READY_TIMEOUT_MSEC * 1000000u;
        for (;;) {
                /* The child's exit at index 0, notifications (if any) at 1. */
                struct pollfd p[2] = {
                        { .fd = pidfd, .events = POLLIN },
                        { .fd = notify_fd, .events = POLLIN },
                };
                uint64_t now = bench_now_ns();
                int k;

                if (now >= deadline) {
                        (void) kill(pid, SIGKILL);
                        (void) waitpid(pid, NULL, 0);
                        return -ETIMEDOUT;
                }
                k = poll(p, notify_fd >= 0 ? 2 : 1, (int) ((deadline - now) / 1000000u) + 1);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }

                if (p[1].revents & POLLIN) {
                        char buf[BENCH_NOTIFY_DATAGRAM_MAX + 1];
                        ssize_t n = recv(notify_fd, buf, BENCH_NOTIFY_DATAGRAM_MAX, MSG_DONTWAIT);

                        if (n > 0) {
                                buf[n] = '\0';
                                if (notify_is_ready(buf)) {
                                        ready = (double) (bench_now_ns() - t0) / 1e3;
                                        break;
                                }
                        }
                }
                if (p[0].revents & POLLIN) {
                        exited = (double) (bench_now_ns() - t0) / 1e3;
                        (void) waitpid(pid, &status, 0);
                        /* A daemon that was to keep running died. */
                        if (ret_pid)
                                return -ECHILD;
                        break;
                }
        }

        if (isnan(exited)) {
                if (ret_pid)
                        *ret_pid = pid;
                else {
                        (void) kill(pid, SIGTERM);
                        (void) waitpid(pid, NULL, 0);
                }
        }
        if (ret_ready_usec)
                *ret_ready_usec = ready;
        if (ret_exit_usec)
                *ret_exit_usec = exited;
        /* The exit status of a program that ended, 0 for one that became ready. */
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int bench_exec_timed(char *const argv[], const char *notify_path, double *ret_ready_usec, double *ret_exit_usec,
                     pid_t *ret_pid) {
        _cleanup_close_ int fd = -1;
        _cleanup_free_ char *env_notify = NULL;
        int r;

        if (notify_path) {
                fd = notify_socket_open(notify_path);
                if (fd < 0)
                        return fd;
                if (asprintf(&env_notify, "NOTIFY_SOCKET=%s", notify_path) < 0)
                        return -ENOMEM;
        }
        r = spawn_and_wait(argv, (char *[]) { env_notify, NULL }, NULL, fd, ret_ready_usec, ret_exit_usec, ret_pid);
        if (notify_path)
                (void) unlink(notify_path);
        return r;
}

int bench_daemon_start(const BenchDaemonOptions *o, BenchDaemon *ret) {
        _cleanup_free_ char *notify_path = NULL, *socket_path = NULL, *env_notify = NULL, *env_now = NULL;
        _cleanup_close_ int fd = -1;
        double ready = NAN, cpu, wait;
        pid_t pid = 0;
        int r;

        socket_path = strdup(o->socket_path);
        if (!socket_path || asprintf(&notify_path, "%s.notify", o->socket_path) < 0)
                return -ENOMEM;
        if (asprintf(&env_notify, "NOTIFY_SOCKET=%s", notify_path) < 0)
                return -ENOMEM;
        /* An empty DUTYD_NOW is the real clock (manager.c ignores it). */
        if (asprintf(&env_now, "DUTYD_NOW=%s", strempty(o->now)) < 0)
                return -ENOMEM;

        fd = notify_socket_open(notify_path);
        if (fd < 0)
                return fd;

        r = spawn_and_wait((char *[]) {
                                   (char *) o->dutyd,
                                   (char *) "--config", (char *) o->config,
                                   (char *) "--state-dir", (char *) o->state_dir,
                                   (char *) "--socket", (char *) o->socket_path,
                                   NULL,
                           },
                           (char *[]) { env_notify, env_now, NULL },
                           o->log_path, fd, &ready, NULL, &pid);
        if (r < 0) {
                (void) unlink(notify_path);
                return r;
        }

        /* Read at once, while the daemon has done little more than sending READY=1. */
        if (bench_proc_schedstat(pid, &cpu, &wait) < 0)
                cpu = wait = NAN;

        *ret = (BenchDaemon) {
                .ready_cpu_usec = cpu,
                .ready_wait_usec = wait,
                .pid = pid,
                .socket_path = TAKE_PTR(socket_path),
                .notify_path = TAKE_PTR(notify_path),
                .notify_fd = TAKE_FD(fd),
                .ready_usec = ready,
        };
        return 0;
}

static int stop_and_reap(pid_t pid) {
        _cleanup_close_ int pidfd = -1;
        int status;

        if (pid <= 0)
                return 0;
        pidfd = pidfd_open(pid, 0);
        if (kill(pid, SIGTERM) < 0 && errno != ESRCH)
                return -errno;
        if (pidfd >= 0) {
                struct pollfd p = { .fd = pidfd, .events = POLLIN };

                if (poll(&p, 1, BENCH_STOP_TIMEOUT_MSEC) == 0)
                        (void) kill(pid, SIGKILL);
        }
        if (waitpid(pid, &status, 0) < 0)
                return -errno;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int bench_daemon_stop(BenchDaemon *d) {
        int r;

        r = stop_and_reap(d->pid);
        if (d->notify_fd >= 0)
                close(d->notify_fd);
        if (d->notify_path)
                (void) unlink(d->notify_path);
        free(d->notify_path);
        free(d->socket_path);
        *d = (BenchDaemon) { .notify_fd = -1 };
        return r;
}

/* ---- Echo server ---- */

typedef struct EchoConnection {
        int fd;
        VarlinkFramer input;
} EchoConnection;

static int echo_send(int fd, const char *p, size_t n) {
        while (n > 0) {
                ssize_t k = send(fd, p, n, MSG_NOSIGNAL);

                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        if (errno == EAGAIN) {
                                struct pollfd pfd = { .fd = fd, .events = POLLOUT };

                                (void) poll(&pfd, 1, -1);
                                continue;
                        }
                        return -errno;
                }
                p += k;
                n -= (size_t) k;
        }
        return 0;
}

/* Reads what is there and answers every complete request; < 0 closes the connection. */
static int echo_serve(EchoConnection *c, const BenchEchoReply *replies, size_t n_replies) {
        const char *message;
        size_t length;
        bool eof = false;
        int r;

        r = varlink_framer_recv(&c->input, c->fd, &eof);
        if (r < 0)
                return r;
        if (eof)
                return -ECONNRESET;
        if (r == 0)
                return 0;

        while ((r = varlink_framer_next(&c->input, &message, &length)) > 0)
                for (size_t i = 0; i < n_replies; i++)
                        if (!replies[i].needle || memmem(message, length, replies[i].needle, strlen(replies[i].needle))) {
                                r = echo_send(c->fd, replies[i].reply, strlen(replies[i].reply) + 1);
                                if (r < 0)
                                        return r;
                                break;
                        }
        return r;
}

static void echo_close(EchoConnection *c) {
        close(c->fd);
        varlink_framer_done(&c->input);
        c->fd = -1;
}

__attribute__((noreturn)) static void echo_loop(int listen_fd, const BenchEchoReply *replies, size_t n_replies) {
        EchoConnection conns[BENCH_ECHO_CONNECTIONS_MAX];
        struct pollfd p[BENCH_ECHO_CONNECTIONS_MAX + 1];
        size_t n = 0;

        for (;;) {
                int k;

                p[0] = (struct pollfd) { .fd = listen_fd, .events = n < BENCH_ECHO_CONNECTIONS_MAX ? POLLIN : 0 };
                for (size_t i = 0; i < n; i++)
                        p[i + 1] = (struct pollfd) { .fd = conns[i].fd, .events = POLLIN };

                k = poll(p, n + 1, -1);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        _exit(EXIT_FAILURE);
                }

                for (size_t i = n; i > 0; i--) {
                        EchoConnection *c = &conns[i - 1];

                        if (!p[i].revents)
                                continue;
                        if (echo_serve(c, replies, n_replies) < 0) {
                                echo_close(c);
                                *c = conns[--n];
                        }
                }

                if (p[0].revents & POLLIN) {
                        int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

                        if (fd >= 0) {
                                conns[n].fd = fd;
                                varlink_framer_init(&conns[n].input, VARLINK_MESSAGE_SIZE_MAX);
                                n++;
                        }
                }
        }
}

int bench_echo_start(const char *path, const BenchEchoReply *replies, size_t n_replies, pid_t *ret_pid) {
        _cleanup_close_ int fd = -1;
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        pid_t pid;

        if (strlen(path) >= sizeof(sa.sun_path))
                return -ENAMETOOLONG;
        strcpy(sa.sun_path, path);
        (void) unlink(path);

        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -errno;
        if (bind(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0 || listen(fd, SOMAXCONN) < 0)
                return -errno;

        /* Listening before the fork: clients may connect as soon as this returns. */
        pid = fork();
        if (pid < 0)
                return -errno;
        if (pid == 0)
                echo_loop(fd, replies, n_replies);

        *ret_pid = pid;
        return 0;
}

int bench_process_stop(pid_t pid) {
        return stop_and_reap(pid);
}

char *bench_reply_text(json_t *params, const char *error) {
        _cleanup_(json_decrefp) json_t *m = NULL;

        m = error ? json_pack("{s:s, s:O}", "error", error, "parameters", params)
                  : json_pack("{s:O}", "parameters", params);
        return m ? json_dumps(m, JSON_COMPACT) : NULL;
}

/* ---- /proc, files ---- */

int bench_proc_schedstat(pid_t pid, double *ret_cpu_usec, double *ret_wait_usec) {
        unsigned long long cpu, wait;
        char path[64];
        FILE *f;
        int k;

        snprintf(path, sizeof(path), "/proc/%d/schedstat", (int) pid);
        f = fopen(path, "re");
        if (!f)
                return -errno;
        k = fscanf(f, "%llu %llu", &cpu, &wait);
        fclose(f);
        if (k != 2)
                return -EBADMSG;
        *ret_cpu_usec = (double) cpu / 1e3;
        *ret_wait_usec = (double) wait / 1e3;
        return 0;
}

int bench_proc_status_kib(pid_t pid, const char *field, uint64_t *ret) {
        _cleanup_free_ char *line = NULL;
        char path[64];
        size_t size = 0, n = strlen(field);
        FILE *f;
        int r = -ENOENT;

        snprintf(path, sizeof(path), "/proc/%d/status", (int) pid);
        f = fopen(path, "re");
        if (!f)
                return -errno;
        while (getline(&line, &size, f) > 0)
                if (strneq(line, field, n) && line[n] == ':') {
                        uint64_t v;

                        if (sscanf(line + n + 1, " %" SCNu64, &v) == 1) {
                                *ret = v;
                                r = 0;
                        }
                        break;
                }
        fclose(f);
        return r;
}

bool bench_daemon_option(BenchDaemonOptions *o, int c, const char *arg) {
        switch (c) {
        case 'd':
                o->dutyd = arg;
                return true;
        case 'c':
                o->config = arg;
                return true;
        case 't':
                o->now = arg;
                return true;
        default:
                return false;
        }
}

/* getopt_long()'s value of the i-th count option: above every character. */
#define BENCH_COUNT_OPTION_VAL(i) (0x100 + (int) (i))
#define BENCH_COUNT_OPTIONS_MAX 8

int bench_parse_argv(int argc, char *argv[], BenchDaemonOptions *o, const BenchCountOption *counts, size_t n_counts) {
        static const struct option daemon_options[] = { BENCH_DAEMON_GETOPT };
        struct option options[ELEMENTSOF(daemon_options) + BENCH_COUNT_OPTIONS_MAX + 1] = {};
        bool ok = n_counts <= BENCH_COUNT_OPTIONS_MAX;
        size_t n = 0;
        int c;

        for (size_t i = 0; i < ELEMENTSOF(daemon_options); i++)
                options[n++] = daemon_options[i];
        for (size_t i = 0; ok && i < n_counts; i++)
                options[n++] = (struct option) { counts[i].name, required_argument, NULL, BENCH_COUNT_OPTION_VAL(i) };

        while (ok && (c = getopt_long(argc, argv, "", options, NULL)) >= 0) {
                if (bench_daemon_option(o, c, optarg))
                        continue;
                if (c >= BENCH_COUNT_OPTION_VAL(0) && c < BENCH_COUNT_OPTION_VAL(n_counts)) {
                        const BenchCountOption *k = counts + (c - BENCH_COUNT_OPTION_VAL(0));

                        ok = bench_parse_unsigned(optarg, k->min, k->max, k->value) >= 0;
                } else
                        ok = false;
        }
        if (ok && o->dutyd && o->config && optind == argc)
                return 0;

        fprintf(stderr, "usage: %s --dutyd PATH --config PATH [--now YYYY-MM-DDTHH:MM]", argv[0]);
        for (size_t i = 0; i < n_counts; i++)
                fprintf(stderr, " [--%s %u-%u]", counts[i].name, counts[i].min, counts[i].max);
        fputc('\n', stderr);
        return -EINVAL;
}

int bench_session_prepare(BenchSession *s) {
        int r;

        r = bench_tempdir(&s->dir);
        if (r < 0 || asprintf(&s->state, "%s/state", s->dir) < 0 ||
            asprintf(&s->socket_path, "%s/dutyd.sock", s->dir) < 0 || asprintf(&s->log, "%s/dutyd.log", s->dir) < 0) {
                fprintf(stderr, "Cannot prepare a directory: %s\n", strerror(r < 0 ? -r : ENOMEM));
                return r < 0 ? r : -ENOMEM;
        }
        return 0;
}

int bench_session_start_daemon(BenchSession *s, const BenchDaemonOptions *o) {
        BenchDaemonOptions d = *o;
        int r;

        d.state_dir = s->state;
        d.socket_path = s->socket_path;
        d.log_path = s->log;
        r = bench_daemon_start(&d, &s->daemon);
        if (r < 0)
                fprintf(stderr, "Cannot start dutyd (log in %s): %s\n", s->log, strerror(-r));
        return r;
}

int bench_session_start(BenchSession *s, const BenchDaemonOptions *o) {
        int r;

        r = bench_session_prepare(s);
        if (r < 0)
                return r;
        r = bench_session_start_daemon(s, o);
        if (r < 0)
                return r;
        return varlink_client_connect(s->socket_path, &s->client);
}

int bench_pin_one_cpu(pid_t also, int *ret_cpu) {
        cpu_set_t allowed, one;

        if (sched_getaffinity(0, sizeof(allowed), &allowed) < 0)
                return -errno;
        for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
                if (!CPU_ISSET(cpu, &allowed))
                        continue;
                CPU_ZERO(&one);
                CPU_SET(cpu, &one);
                if (sched_setaffinity(0, sizeof(one), &one) < 0 ||
                    (also > 0 && sched_setaffinity(also, sizeof(one), &one) < 0))
                        return -errno;
                if (ret_cpu)
                        *ret_cpu = cpu;
                return 0;
        }
        return -ENODEV;
}

int bench_main(int argc, char *argv[], BenchParseFunc parse, void *options, const BenchDaemonOptions *daemon,
               BenchRunFunc run, const char *what) {
        BenchSession s = { .daemon.notify_fd = -1 };
        int r;

        if (parse(argc, argv, options) < 0)
                return EXIT_FAILURE;

        r = bench_session_start(&s, daemon);
        if (r >= 0)
                r = run(options, &s);
        return bench_session_end(&s, r, what);
}

int bench_parse_iterations(int argc, char *argv[], BenchIterationOptions *o, unsigned def, unsigned block,
                           unsigned max) {
        *o = (BenchIterationOptions) { .iterations = def };
        return bench_parse_argv(argc, argv, &o->daemon, (const BenchCountOption[]) {
                        { "iterations", block, max, &o->iterations },
                }, 1);
}

int bench_session_end(BenchSession *s, int r, const char *what) {
        bool started = s->daemon.pid > 0;

        if (r < 0 && started && what)
                fprintf(stderr, "%s failed: %s (dutyd log in %s)\n", what, strerror(-r), s->log);
        s->client = varlink_client_free(s->client);
        if (started)
                (void) bench_daemon_stop(&s->daemon);
        if (r >= 0 && s->dir)
                bench_tempdir_remove(s->dir);
        free(s->dir);
        free(s->state);
        free(s->socket_path);
        free(s->log);
        *s = (BenchSession) { .daemon.notify_fd = -1 };
        return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}

int bench_tempdir(char **ret) {
        const char *tmp = getenv("TMPDIR");
        char *p;

        if (isempty(tmp))
                tmp = "/tmp";
        if (asprintf(&p, "%s/dutyd-bench.XXXXXX", tmp) < 0)
                return -ENOMEM;
        if (!mkdtemp(p)) {
                int r = -errno;

                free(p);
                return r;
        }
        *ret = p;
        return 0;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
        (void) remove(path);
        return 0;
}

void bench_tempdir_remove(const char *path) {
        if (path)
                (void) nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- Client ---- */

int bench_call(VarlinkClient *c, const char *method, json_t *params, json_t **ret_params, char **ret_error) {
        _cleanup_(json_decrefp) json_t *reply = NULL;
        const char *error = NULL;
        int r;

        r = varlink_client_call(c, method, params, &reply, &error);
        if (r < 0)
                return r;
        if (ret_error) {
                *ret_error = NULL;
                if (error && !(*ret_error = strdup(error)))
                        return -ENOMEM;
        }
        if (ret_params)
                *ret_params = TAKE_PTR(reply);
        return error ? 1 : 0;
}

bool bench_error_is_unimplemented(const char *error) {
        return error && (streq(error, VARLINK_ERROR_METHOD_NOT_FOUND) ||
                         streq(error, VARLINK_ERROR_METHOD_NOT_IMPLEMENTED));
}

/* ---- The write request ---- */

static const char *const writer_methods[] = {
        "io.dutyd.Duty.LeaveRequest",
        "io.dutyd.Duty.UnavailableAdd",
        "io.dutyd.Duty.SensitiveAdd",
};

const char *bench_writer_name(const BenchWriter *w) {
        return strrchr(w->method, '.') + 1;
}

json_t *bench_writer_params(const BenchWriter *w, uint64_t i) {
        const char *person = w->people[(i / w->span) % w->n_people];
        char day[DAY_STRING_MAX], name[64];

        day_format(w->first + (Day) (i % w->span), day);
        if (streq(bench_writer_name(w), "LeaveRequest"))
                return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}",
                                 "person", person, "kind", "personal", "from", day, "to", day,
                                 "destination", "南昌", "reason", "benchmark");
        if (streq(bench_writer_name(w), "UnavailableAdd"))
                return json_pack("{s:s, s:s, s:s, s:s}",
                                 "person", person, "from", day, "to", day, "reason", "benchmark");
        snprintf(name, sizeof(name), "benchmark %" PRIu64, i);
        return json_pack("{s:s, s:s, s:s, s:i}", "name", name, "from", day, "to", day, "extra_officers", 0);
}

void bench_writer_done(BenchWriter *w) {
        for (size_t i = 0; i < w->n_people; i++)
                free(w->people[i]);
        free(w->people);
        *w = (BenchWriter) {};
}

static int writer_load_leaders(BenchWriter *w, VarlinkClient *c, char **ret_why) {
        _cleanup_(json_decrefp) json_t *params = NULL, *reply = NULL;
        _cleanup_free_ char *error = NULL;
        json_t *people, *p;
        size_t i;
        int r;

        params = json_pack("{s:s}", "role", "leader");
        r = bench_call(c, "io.dutyd.Duty.ListPeople", params, &reply, &error);
        if (r != 0) {
                if (asprintf(ret_why, "ListPeople: %s", r < 0 ? strerror(-r) : error) < 0)
                        *ret_why = NULL;
                return r < 0 ? r : -EPROTO;
        }
        people = json_object_get(reply, "people");
        if (json_array_size(people) == 0) {
                *ret_why = strdup("the office has no leaders");
                return -EPROTO;
        }
        w->people = calloc(json_array_size(people), sizeof(char *));
        if (!w->people)
                return -ENOMEM;
        json_array_foreach(people, i, p) {
                w->people[i] = strdup(json_string_value(json_object_get(p, "id")));
                if (!w->people[i])
                        return -ENOMEM;
                w->n_people++;
        }
        return 0;
}

int bench_writer_init(BenchWriter *w, VarlinkClient *c, Day today, char **ret_why) {
        _cleanup_free_ char *tried = NULL;
        int r;

        *w = (BenchWriter) {
                .first = today + BENCH_WRITER_LEAD_DAYS,
                .span = BENCH_WRITER_SPAN_DAYS,
        };
        r = writer_load_leaders(w, c, ret_why);
        if (r < 0) {
                bench_writer_done(w);
                return r;
        }

        for (size_t m = 0; m < ELEMENTSOF(writer_methods); m++) {
                _cleanup_(json_decrefp) json_t *params = NULL, *reply = NULL;
                _cleanup_free_ char *error = NULL, *dump = NULL;
                char *t;

                w->method = writer_methods[m];
                /* The probe takes the last request of the whole range, which no run reaches. */
                params = bench_writer_params(w, (uint64_t) w->span * w->n_people - 1);
                r = bench_call(c, w->method, params, &reply, &error);
                if (r == 0)
                        return 0;
                if (r < 0) {
                        bench_writer_done(w);
                        return r;
                }
                if (!bench_error_is_unimplemented(error)) {
                        dump = json_dumps(reply, JSON_COMPACT);
                        if (asprintf(ret_why, "%s refused the benchmark's request: %s %s",
                                     bench_writer_name(w), error, strna(dump)) < 0)
                                *ret_why = NULL;
                        bench_writer_done(w);
                        return -EPROTO;
                }
                if (asprintf(&t, "%s%s%s", strempty(tried), tried ? ", " : "", bench_writer_name(w)) < 0)
                        return -ENOMEM;
                free(tried);
                tried = t;
        }

        if (asprintf(ret_why, "none of %s is implemented", tried) < 0)
                *ret_why = NULL;
        bench_writer_done(w);
        return -EOPNOTSUPP;
}
