/* SPDX-License-Identifier: GPL-2.0-or-later */

/* Varlink transport: the server on sd-event. The NUL framer it shares with the client is in
 * varlink-framer.c, the blocking client in varlink-client.c.
 *
 * The server is single-threaded and never blocks: every connection has its own input framer and
 * output buffer, so a slow or hostile client only ever costs its own connection. What one client may
 * consume is bounded by the VARLINK_* limits in varlink.h:
 *   - a message longer than VARLINK_MESSAGE_SIZE_MAX closes the connection without a reply (the
 *     request cannot be parsed, so there is nothing meaningful to answer);
 *   - input that is not a JSON call object is a protocol violation and closes the connection;
 *   - past VARLINK_CONNECTIONS_MAX, or past the share of the caller (guests together, one uid, only
 *     the reserve left for a caller that is not privileged), new connections are accepted and closed
 *     at once, so that clients see an EOF instead of hanging in the backlog; the refusals are
 *     counted and logged at most once per VARLINK_REFUSAL_LOG_USEC;
 *   - while VARLINK_PENDING_MAX replies or VARLINK_OUTPUT_MAX bytes wait for the client to read them,
 *     its further requests are neither read nor dispatched, nor while its owner's replies are over
 *     VARLINK_UID_OUTPUT_MAX (VARLINK_GUEST_OUTPUT_MAX for all guests together), or those of all
 *     callers but root and admins over VARLINK_SHARED_OUTPUT_MAX;
 *   - calls run one at a time per turn of the loop, and owners (a uid, all guests) take turns, so
 *     that a caller waits for one call of each other busy owner at most (account_arm()); every
 *     turn lets the listeners' backlog in first (server_accept_backlog());
 *   - a connection that completes no message and reads no reply for the idle timeout is closed,
 *     and so is one that holds part of a message for VARLINK_MESSAGE_TIMEOUT_USEC without
 *     completing it.
 * A handler that must wait for something outside the loop (another program's lock on the
 * database) asks to be run again later (varlink_call_retry()) instead of sleeping: its connection
 * dispatches nothing else meanwhile, the others go on.
 * At shutdown (varlink_server_drain()) the replies already queued are written before their
 * connections close: a reply acknowledges a committed change, and an EOF in its place would tell the
 * client that nothing happened. A call still waiting to be run again is dropped: it changed nothing. */

#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>

#include "log.h"
#include "varlink.h"

#define VARLINK_SERVICE_INTERFACE "org.varlink.service"

/* Least free space offered to read(), and the size above which an empty buffer is given back. */
#define FRAMER_CHUNK   4096u
#define BUFFER_KEEP    (64u * 1024u)
/* How long accepting pauses after running out of file descriptors. */
#define ACCEPT_RETRY_USEC (1u * 1000000u)
/* How late the timer of a call waiting to be run again may fire: its delays are tens of ms. */
#define VARLINK_RETRY_ACCURACY_USEC 1000u
/* Connections taken from a listener's backlog at the start of each turn (server_accept_backlog()). */
#define ACCEPT_PER_TURN 4u

/* Served verbatim by GetInterfaceDescription("org.varlink.service"), and used to validate calls to it. */
static const char varlink_service_idl_text[] =
        "# The Varlink Service Interface is provided by every varlink service. It\n"
        "# describes the service and the interfaces it implements.\n"
        "interface org.varlink.service\n"
        "\n"
        "# Get a list of all the interfaces a service provides and information\n"
        "# about the implementation.\n"
        "method GetInfo() -> (\n"
        "  vendor: string,\n"
        "  product: string,\n"
        "  version: string,\n"
        "  url: string,\n"
        "  interfaces: []string\n"
        ")\n"
        "\n"
        "# Get the description of an interface that is implemented by this service.\n"
        "method GetInterfaceDescription(interface: string) -> (description: string)\n"
        "\n"
        "# The requested interface was not found.\n"
        "error InterfaceNotFound (interface: string)\n"
        "\n"
        "# The requested method was not found\n"
        "error MethodNotFound (method: string)\n"
        "\n"
        "# The interface defines the requested method, but the service does not\n"
        "# implement it.\n"
        "error MethodNotImplemented (method: string)\n"
        "\n"
        "# One of the passed parameters is invalid.\n"
        "error InvalidParameter (parameter: string)\n"
        "\n"
        "# Client is denied access\n"
        "error PermissionDenied ()\n"
        "\n"
        "# Method is expected to be called with 'more' set to true, but wasn't\n"
        "error ExpectedMore ()\n";

/* ---- Server ---- */

typedef struct VarlinkListener VarlinkListener;
typedef struct VarlinkConnection VarlinkConnection;
typedef struct VarlinkAccount VarlinkAccount;

struct VarlinkListener {
        VarlinkServer *server;
        int fd;
        char *path;  /* bound by us, removed again when the server goes */
        sd_event_source *source;
        VarlinkListener *next;
};

/* One owner of connections: a uid, or all guests together. Owners take turns running calls, one
 * call per turn (see account_arm()), and its connections take turns within an owner's, so that
 * opening more connections buys no more of the loop. The budget of queued replies is kept per owner
 * too, for the connections that are not privileged. */
struct VarlinkAccount {
        VarlinkServer *server;
        bool guests;             /* the guests' shared account; uid unused */
        uid_t uid;
        size_t n_connections;
        /* Reply bytes queued on its connections that are not privileged, not yet written. */
        size_t output;
        /* Its connections with a call to run, in the order they became ready; the defer source is
         * the owner's next turn, set while the queue is not empty. */
        VarlinkConnection *queue_head, *queue_tail;
        sd_event_source *defer;
        VarlinkAccount *next;
};

struct VarlinkConnection {
        VarlinkServer *server;
        int fd;
        struct ucred peer;
        VarlinkPeerClass class;  /* decided once, at accept */
        VarlinkAccount *account; /* its owner's (privileged connections too) */
        uint64_t active_usec;    /* last progress: a request completed or reply bytes taken */
        uint64_t partial_usec;   /* since when part of a message is held; 0: none */
        sd_event_source *io;
        sd_event_source *timer;
        /* In its owner's queue of connections waiting for a turn. */
        bool queued;
        VarlinkConnection *queue_next;
        VarlinkFramer input;
        bool input_eof;
        /* The framer may hold a complete call not dispatched yet: nothing more is read meanwhile,
         * so that complete calls never pile up towards the framer's limit. */
        bool input_ready;
        /* Stopped by its owner's or everybody's budget (not by its own replies): in the server's
         * list of such connections, in the order they stopped, until server_wake() when the bytes
         * come down. */
        bool budget_wait;
        VarlinkConnection *wait_next;
        char *output;
        size_t output_size;
        size_t output_start;
        size_t output_used;
        size_t output_messages;  /* replies queued and not completely written */
        /* A call whose handler asked to be run again later (varlink_call_retry()): its message,
         * copied, since when it waits, and the timer that dispatches it again. While it waits the
         * connection reads and dispatches nothing else, so that its replies keep the order of its
         * calls; other connections go on. */
        char *retry_message;
        size_t retry_length;
        uint64_t retry_since_usec;
        sd_event_source *retry_timer;
        bool retry_due;         /* its timer fired: it runs on the owner's next turn */
        /* A final reply held past its method's return (varlink_call_hold()): the connection reads
         * and dispatches nothing else until it is released, so that replies keep the order of the
         * calls. hold_error: the released reply could not be queued, the connection ends. */
        VarlinkHold *hold;
        int hold_error;
        VarlinkConnection *prev, *next;
};

struct VarlinkHold {
        VarlinkConnection *connection;  /* NULL once the connection is gone */
        json_t *held;
        char *held_text;
        bool oneway;
};

struct VarlinkCall {
        VarlinkConnection *connection;
        const char *method;  /* bare name, within the request */
        const char *full_method;
        /* The caller's language (the request's "language" member), NULL when it sent none. */
        const char *language;
        bool oneway;
        bool more;
        bool replied;
        bool streamed;          /* a "continues" reply went out: the call can no longer wait */
        bool retry;             /* varlink_call_retry(): dispatch again after retry_usec */
        uint64_t retry_usec;
        uint64_t waited_usec;   /* since its first dispatch, for a call dispatched again */
        /* The final reply, held until the method function returns so that it can still be replaced
         * (e.g. when the transaction it acknowledges fails to commit). */
        json_t *held;
        char *held_text;        /* held, encoded, while it is not replaced */
        size_t held_size;       /* the encoded final reply's length (no NUL), even when too long */
        int io_error;
};

struct VarlinkServer {
        sd_event *event;
        const VarlinkIdl *idl;
        VarlinkIdl *service_idl;
        char *vendor, *product, *version, *url;
        VarlinkMethod *methods;
        size_t n_methods;
        void *userdata;
        VarlinkListener *listeners;
        VarlinkConnection *connections;
        size_t n_connections;
        uint64_t idle_timeout_usec;
        uint64_t message_timeout_usec;
        sd_event_source *accept_retry;
        /* Set by varlink_server_drain(): nothing new is accepted, read or dispatched, and the
         * callback runs once the last connection has written its replies and closed. */
        bool draining;
        VarlinkDrainedFn drained_fn;
        void *drained_userdata;
        VarlinkClassifyFn classify;
        size_t n_guests;            /* connections of class VARLINK_PEER_GUEST */
        VarlinkAccount *accounts;
        size_t shared_output;       /* queued reply bytes of all accounts together */
        VarlinkConnection *wait_head, *wait_tail;  /* stopped by a budget, first stopped first */
        size_t refused;             /* connections refused and not logged yet */
        uint64_t refused_log_usec;  /* when refusals were last logged; 0: never */
        uid_t refused_uid;          /* the latest refused, for the log */
        VarlinkLimit refused_limit;
        sd_event_source *refused_timer;  /* logs the refusals held back, once the interval is over */
};

static VarlinkListener *listener_free(VarlinkListener *l) {
        if (!l)
                return NULL;
        sd_event_source_disable_unref(l->source);
        if (l->fd >= 0)
                close(l->fd);
        if (l->path)
                (void) unlink(l->path);
        free(l->path);
        free(l);
        return NULL;
}

static void server_accept_enable(VarlinkServer *s, bool enable) {
        for (VarlinkListener *l = s->listeners; l; l = l->next)
                (void) sd_event_source_set_enabled(l->source, enable ? SD_EVENT_ON : SD_EVENT_OFF);
}

/* ---- Server: budgets of queued replies ---- */

static size_t account_budget(const VarlinkAccount *a) {
        return a->guests ? VARLINK_GUEST_OUTPUT_MAX : VARLINK_UID_OUTPUT_MAX;
}

/* The account of a connection about to be accepted, counting it in; NULL when out of memory. */
static VarlinkAccount *server_account_acquire(VarlinkServer *s, bool guests, uid_t uid) {
        VarlinkAccount *a;

        for (a = s->accounts; a; a = a->next)
                if (a->guests == guests && (guests || a->uid == uid))
                        break;
        if (!a) {
                a = calloc(1, sizeof(*a));
                if (!a)
                        return NULL;
                a->server = s;
                a->guests = guests;
                a->uid = guests ? (uid_t) -1 : uid;
                a->next = s->accounts;
                s->accounts = a;
        }
        a->n_connections++;
        return a;
}

static void account_release(VarlinkAccount *a) {
        VarlinkServer *s;

        if (!a)
                return;
        s = a->server;
        if (--a->n_connections > 0)
                return;
        for (VarlinkAccount **p = &s->accounts; *p; p = &(*p)->next)
                if (*p == a) {
                        *p = a->next;
                        break;
                }
        sd_event_source_disable_unref(a->defer);
        free(a);
}

/* A connection waits in two first-in first-out lists (its account's run queue, the server's budget
 * wait), each singly linked through its own member `next`, with a head and a tail. */
#define CONNECTION_LIST_APPEND(next, head, tail, c)                             \
        do {                                                                    \
                (c)->next = NULL;                                               \
                if (tail)                                                       \
                        (tail)->next = (c);                                     \
                else                                                            \
                        (head) = (c);                                           \
                (tail) = (c);                                                   \
        } while (0)

#define CONNECTION_LIST_REMOVE(next, head, tail, c)                             \
        do {                                                                    \
                VarlinkConnection *_prev = NULL;                                \
                for (VarlinkConnection *_q = (head); _q; _prev = _q, _q = _q->next) \
                        if (_q == (c)) {                                        \
                                if (_prev)                                      \
                                        _prev->next = (c)->next;                \
                                else                                            \
                                        (head) = (c)->next;                     \
                                if ((tail) == (c))                              \
                                        (tail) = _prev;                         \
                                break;                                          \
                        }                                                       \
                (c)->next = NULL;                                               \
        } while (0)

static void connection_unqueue(VarlinkConnection *c) {
        VarlinkAccount *a = c->account;

        if (!c->queued)
                return;
        CONNECTION_LIST_REMOVE(queue_next, a->queue_head, a->queue_tail, c);
        c->queued = false;
}

/* Whether the connection's owner, or everybody but root and admins, holds too many unread replies
 * for it to run another call. Nobody's use stops a privileged connection. */
static bool connection_over_budget(const VarlinkConnection *c) {
        return c->class != VARLINK_PEER_PRIVILEGED &&
                (c->account->output >= account_budget(c->account) ||
                 c->server->shared_output >= VARLINK_SHARED_OUTPUT_MAX);
}

static void server_wake(VarlinkServer *s);

static void connection_wait(VarlinkConnection *c) {
        VarlinkServer *s = c->server;

        if (c->budget_wait)
                return;
        c->budget_wait = true;
        CONNECTION_LIST_APPEND(wait_next, s->wait_head, s->wait_tail, c);
}

static void connection_unwait(VarlinkConnection *c) {
        VarlinkServer *s = c->server;

        if (!c->budget_wait)
                return;
        CONNECTION_LIST_REMOVE(wait_next, s->wait_head, s->wait_tail, c);
        c->budget_wait = false;
}

static void connection_output_add(VarlinkConnection *c, size_t n) {
        if (c->class == VARLINK_PEER_PRIVILEGED)
                return;
        c->account->output += n;
        c->server->shared_output += n;
}

/* n reply bytes of c were written or dropped: the connections stopped by a budget are woken up
 * when it comes back below. */
static void connection_output_sub(VarlinkConnection *c, size_t n) {
        VarlinkAccount *a = c->account;
        VarlinkServer *s = c->server;
        bool wake;

        if (c->class == VARLINK_PEER_PRIVILEGED || n == 0)
                return;
        wake = (a->output >= account_budget(a) && a->output - n < account_budget(a)) ||
                (s->shared_output >= VARLINK_SHARED_OUTPUT_MAX && s->shared_output - n < VARLINK_SHARED_OUTPUT_MAX);
        a->output -= n;
        s->shared_output -= n;
        if (wake)
                server_wake(s);
}

static VarlinkConnection *connection_free(VarlinkConnection *c) {
        VarlinkServer *s;

        if (!c)
                return NULL;

        s = c->server;
        connection_unwait(c);
        if (c->account) {
                connection_unqueue(c);
                connection_output_sub(c, c->output_used - c->output_start);
                account_release(c->account);
        }
        if (c->prev)
                c->prev->next = c->next;
        else
                s->connections = c->next;
        if (c->next)
                c->next->prev = c->prev;
        s->n_connections--;
        if (c->class == VARLINK_PEER_GUEST)
                s->n_guests--;

        sd_event_source_disable_unref(c->io);
        sd_event_source_disable_unref(c->timer);
        sd_event_source_disable_unref(c->retry_timer);
        /* A held reply outlives its connection: its holder releases it, to nobody. */
        if (c->hold)
                c->hold->connection = NULL;
        if (c->fd >= 0)
                close(c->fd);
        varlink_framer_done(&c->input);
        free(c->output);
        free(c->retry_message);
        free(c);

        /* A descriptor came free: accepting may work again. */
        if (s->accept_retry) {
                s->accept_retry = sd_event_source_disable_unref(s->accept_retry);
                server_accept_enable(s, !s->draining);
        }
        return NULL;
}

VarlinkServer *varlink_server_free(VarlinkServer *s) {
        if (!s)
                return NULL;

        /* Whoever waited for the drain is going away too: not a word to it from here. Nor does a
         * connection closing here wake up another (server_wake()). */
        s->drained_fn = NULL;
        s->draining = true;
        while (s->connections)
                connection_free(s->connections);
        sd_event_source_disable_unref(s->accept_retry);
        sd_event_source_disable_unref(s->refused_timer);
        while (s->listeners) {
                VarlinkListener *l = s->listeners;

                s->listeners = l->next;
                listener_free(l);
        }
        varlink_idl_free(s->service_idl);
        free(s->vendor);
        free(s->product);
        free(s->version);
        free(s->url);
        free(s->methods);
        sd_event_unref(s->event);
        free(s);
        return NULL;
}

static int strdup_or_empty(const char *s, char **ret) {
        *ret = strdup(strempty(s));
        return *ret ? 0 : -ENOMEM;
}

int varlink_server_new(sd_event *event, const VarlinkIdl *idl, const VarlinkServerInfo *info,
                       const VarlinkMethod *methods, size_t n_methods, void *userdata, VarlinkServer **ret) {
        _cleanup_(varlink_server_freep) VarlinkServer *s = NULL;
        int r;

        if (!event || !idl || !info || (n_methods > 0 && !methods) || !ret)
                return -EINVAL;

        s = calloc(1, sizeof(*s));
        if (!s)
                return -ENOMEM;
        s->event = sd_event_ref(event);
        s->idl = idl;
        s->userdata = userdata;
        s->idle_timeout_usec = VARLINK_IDLE_TIMEOUT_USEC;
        s->message_timeout_usec = VARLINK_MESSAGE_TIMEOUT_USEC;

        r = varlink_idl_parse(varlink_service_idl_text, &s->service_idl, NULL);
        if (r < 0)
                return r;

        if (strdup_or_empty(info->vendor, &s->vendor) < 0 ||
            strdup_or_empty(info->product, &s->product) < 0 ||
            strdup_or_empty(info->version, &s->version) < 0 ||
            strdup_or_empty(info->url, &s->url) < 0)
                return -ENOMEM;

        if (n_methods > 0) {
                s->methods = calloc(n_methods, sizeof(VarlinkMethod));
                if (!s->methods)
                        return -ENOMEM;
                memcpy(s->methods, methods, n_methods * sizeof(VarlinkMethod));
                s->n_methods = n_methods;
        }

        *ret = TAKE_PTR(s);
        return 0;
}

void varlink_server_set_idle_timeout(VarlinkServer *s, uint64_t usec) {
        s->idle_timeout_usec = usec;
}

void varlink_server_set_message_timeout(VarlinkServer *s, uint64_t usec) {
        s->message_timeout_usec = usec;
}

void varlink_server_set_classifier(VarlinkServer *s, VarlinkClassifyFn classify) {
        s->classify = classify;
}

size_t varlink_server_n_connections(const VarlinkServer *s) {
        return s ? s->n_connections : 0;
}

size_t varlink_server_n_connections_of(const VarlinkServer *s, uid_t uid) {
        size_t n = 0;

        if (!s)
                return 0;
        for (const VarlinkConnection *c = s->connections; c; c = c->next)
                if (c->peer.uid == uid)
                        n++;
        return n;
}

size_t varlink_server_n_guest_connections(const VarlinkServer *s) {
        return s ? s->n_guests : 0;
}

static const char *const varlink_limit_table[_VARLINK_LIMIT_MAX] = {
        [VARLINK_LIMIT_NONE]     = "none",
        [VARLINK_LIMIT_TOTAL]    = "connections of all callers",
        [VARLINK_LIMIT_RESERVED] = "connections kept for root and admins",
        [VARLINK_LIMIT_GUESTS]   = "connections of callers not in the configuration",
        [VARLINK_LIMIT_UID]      = "connections of one uid",
};

const char *varlink_limit_to_string(VarlinkLimit l) {
        if (l < 0 || l >= _VARLINK_LIMIT_MAX)
                return NULL;
        return varlink_limit_table[l];
}

VarlinkLimit varlink_connection_limit(VarlinkPeerClass class, uid_t uid, size_t total, size_t guests, size_t same_uid) {
        bool privileged = false, guest = false;

        switch (class) {
        case VARLINK_PEER_GUEST:
                guest = true;
                break;
        case VARLINK_PEER_MEMBER:
                break;
        case VARLINK_PEER_PRIVILEGED:
                privileged = true;
                break;
        case _VARLINK_PEER_CLASS_MAX:
        case _VARLINK_PEER_CLASS_INVALID:
                /* Unknown: treated as the least trusted. */
                guest = true;
                break;
        }

        if (total >= VARLINK_CONNECTIONS_MAX)
                return VARLINK_LIMIT_TOTAL;
        if (!privileged && total >= VARLINK_CONNECTIONS_MAX - VARLINK_CONNECTIONS_RESERVED)
                return VARLINK_LIMIT_RESERVED;
        if (guest && guests >= VARLINK_GUEST_CONNECTIONS_MAX)
                return VARLINK_LIMIT_GUESTS;
        /* Root is the one who must always get in to repair things: only the total bounds it. */
        if (uid != 0 && same_uid >= VARLINK_UID_CONNECTIONS_MAX)
                return VARLINK_LIMIT_UID;
        return VARLINK_LIMIT_NONE;
}

/* ---- Server: connections ---- */

static bool connection_blocked(const VarlinkConnection *c) {
        return c->retry_message || c->hold ||
                c->output_messages >= VARLINK_PENDING_MAX ||
                c->output_used - c->output_start >= VARLINK_OUTPUT_MAX;
}

static uint64_t usec_add(uint64_t a, uint64_t b) {
        return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static uint64_t server_now(VarlinkServer *s) {
        uint64_t now;

        if (sd_event_now(s->event, CLOCK_MONOTONIC, &now) < 0)
                return 0;
        return now;
}

/* One timer serves both deadlines: the idle timeout from the last progress, and the message
 * timeout from the first byte of a message not yet complete. */
static void connection_arm_timer(VarlinkConnection *c) {
        VarlinkServer *s = c->server;
        uint64_t deadline = usec_add(c->active_usec, s->idle_timeout_usec);

        if (c->partial_usec > 0 && usec_add(c->partial_usec, s->message_timeout_usec) < deadline)
                deadline = usec_add(c->partial_usec, s->message_timeout_usec);
        (void) sd_event_source_set_time(c->timer, deadline);
        (void) sd_event_source_set_enabled(c->timer, SD_EVENT_ONESHOT);
}

/* Progress (a whole request received, reply bytes taken by the client) restarts the idle timeout,
 * and the clock of the next message starts with its next byte. */
static void connection_touch(VarlinkConnection *c) {
        c->active_usec = server_now(c->server);
        c->partial_usec = 0;
        connection_arm_timer(c);
}

/* After reading and dispatching: bytes left in the framer are part of a message still to come,
 * unless they hold a call not run yet, or unread replies (its own or its owner's) stopped
 * dispatching: then the wait is not the client's sending. */
static void connection_check_partial(VarlinkConnection *c) {
        bool partial = !connection_blocked(c) && !c->budget_wait && !c->input_ready &&
                c->input.used > c->input.start;

        if (partial == (c->partial_usec > 0))
                return;
        c->partial_usec = partial ? server_now(c->server) : 0;
        connection_arm_timer(c);
}

/* Queues one message of n bytes, its NUL terminator included. */
static int connection_enqueue_text(VarlinkConnection *c, const char *text, size_t n) {
        if (n > c->output_size - c->output_used && c->output_start > 0) {
                memmove(c->output, c->output + c->output_start, c->output_used - c->output_start);
                c->output_used -= c->output_start;
                c->output_start = 0;
        }
        if (n > c->output_size - c->output_used) {
                size_t size = c->output_size * 2;
                char *b;

                if (size < c->output_used + n)
                        size = c->output_used + n;
                if (size < FRAMER_CHUNK)
                        size = FRAMER_CHUNK;
                b = realloc(c->output, size);
                if (!b)
                        return -ENOMEM;
                c->output = b;
                c->output_size = size;
        }

        memcpy(c->output + c->output_used, text, n);
        c->output_used += n;
        c->output_messages++;
        connection_output_add(c, n);
        return 0;
}

static int connection_enqueue(VarlinkConnection *c, json_t *message) {
        _cleanup_free_ char *text = NULL;
        size_t n;
        int r;

        r = varlink_json_encode(message, &text, &n);
        if (r < 0)
                return r;
        return connection_enqueue_text(c, text, n + 1);
}

static int connection_flush(VarlinkConnection *c) {
        while (c->output_start < c->output_used) {
                const char *p = c->output + c->output_start;
                ssize_t k;

                k = send(c->fd, p, c->output_used - c->output_start, MSG_DONTWAIT | MSG_NOSIGNAL);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        if (errno == EAGAIN)
                                break;
                        return -errno;
                }

                /* Serialized JSON escapes NUL, so every NUL written ends one reply. */
                for (const char *q = p, *end = p + k; (q = memchr(q, 0, end - q)); q++)
                        c->output_messages--;
                c->output_start += (size_t) k;
                connection_output_sub(c, (size_t) k);
                connection_touch(c);
        }

        if (c->output_start == c->output_used) {
                c->output_start = c->output_used = 0;
                if (c->output_size > BUFFER_KEEP) {
                        free(c->output);
                        c->output = NULL;
                        c->output_size = 0;
                }
        }
        return 0;
}

/* Builds a reply message; steals params (NULL means {}). */
static json_t *call_message(const char *error, json_t *params, bool continues) {
        _cleanup_(json_decrefp) json_t *p = params, *m = NULL;

        if (!p) {
                p = json_object();
                if (!p)
                        return NULL;
        }
        m = json_object();
        if (!m ||
            (error && json_object_set_new(m, "error", json_string(error)) < 0) ||
            json_object_set(m, "parameters", p) < 0 ||
            (continues && json_object_set_new(m, "continues", json_true()) < 0))
                return NULL;
        return TAKE_PTR(m);
}

/* The interface's Failed error for a reply longer than any client reads. */
static json_t *call_too_long(VarlinkCall *call) {
        _cleanup_free_ char *name = NULL;

        if (asprintf(&name, "%s.Failed", varlink_idl_name(call->connection->server->idl)) < 0)
                return NULL;
        return call_message(name, json_pack("{s:s}", "message",
                                            "the reply would be longer than one message may be; ask for less"),
                            false);
}

static int call_send(VarlinkCall *call, const char *error, json_t *params, bool continues) {
        _cleanup_(json_decrefp) json_t *p = params, *m = NULL;
        _cleanup_free_ char *text = NULL;
        size_t n = 0;
        int r;

        if (call->replied)
                return -EALREADY;
        if (p && !json_is_object(p))
                return -EINVAL;
        if (!continues)
                call->replied = true;
        if (call->oneway && continues)
                return 0;

        /* A oneway call's final reply is held too, unsent, so that the method can see its outcome. */
        m = call_message(error, TAKE_PTR(p), continues);
        if (!m)
                r = -ENOMEM;
        else if ((r = varlink_json_encode(m, &text, &n)) < 0)
                /* As json_dumps() failed: a string that is not UTF-8 is not sent. */
                r = -ENOMEM;
        else if (!continues && (call->held_size = n) + 1 > VARLINK_MESSAGE_SIZE_MAX) {
                /* No client reads a message that long: it would only break the connection. Say so
                 * instead, now, while the method runs, so that it sees the failure (and keeps
                 * nothing it was going to acknowledge). The call ends here, a stream included. */
                log_warning("The reply to %s would exceed %u bytes; answering Failed.",
                            call->full_method, VARLINK_MESSAGE_SIZE_MAX);
                call->replied = true;
                call->held = call_too_long(call);
                r = call->held ? 0 : -ENOMEM;
        } else if (!continues) {
                call->held = TAKE_PTR(m);
                call->held_text = TAKE_PTR(text);
                return 0;
        } else {
                r = connection_enqueue_text(call->connection, text, n + 1);
                call->streamed = true;
        }
        if (r < 0)
                call->io_error = r;
        return r;
}

static int connection_schedule(VarlinkConnection *c);

static void call_done(VarlinkCall *call) {
        json_decref(TAKE_PTR(call->held));
        free(TAKE_PTR(call->held_text));
}

/* Queues the held final reply, once the method function has returned. */
static int call_finish(VarlinkCall *call) {
        _cleanup_(json_decrefp) json_t *m = TAKE_PTR(call->held);
        _cleanup_free_ char *text = TAKE_PTR(call->held_text);
        int r;

        if (m && !call->oneway) {
                r = text ? connection_enqueue_text(call->connection, text, strlen(text) + 1)
                         : connection_enqueue(call->connection, m);
                if (r < 0)
                        call->io_error = r;
        }
        return call->io_error;
}

const char *varlink_call_reply_error(const VarlinkCall *c) {
        return json_string_value(json_object_get(c->held, "error"));
}

size_t varlink_call_reply_parameters_size(const VarlinkCall *c) {
        static const char envelope[] = "{\"parameters\":}";

        /* held_size is that of the reply as given, before call_send() replaced one too long. */
        if (c->held_size < sizeof(envelope) - 1)
                return 0;
        return c->held_size - (sizeof(envelope) - 1);
}

json_t *varlink_call_reply_parameters(const VarlinkCall *c) {
        return json_object_get(c->held, "parameters");
}

bool varlink_call_replied(const VarlinkCall *c) {
        return c->replied;
}

int varlink_call_replace_error(VarlinkCall *c, const char *error, json_t *params) {
        _cleanup_(json_decrefp) json_t *p = params, *m = NULL;

        if (isempty(error) || (p && !json_is_object(p)))
                return -EINVAL;
        if (!c->replied)
                return -ENOMSG;

        free(TAKE_PTR(c->held_text));
        m = call_message(error, TAKE_PTR(p), false);
        if (!m) {
                /* The old reply must not go out in its place: drop it and end the connection. */
                json_decref(TAKE_PTR(c->held));
                c->io_error = -ENOMEM;
                return -ENOMEM;
        }
        json_decref(c->held);
        c->held = TAKE_PTR(m);
        return 0;
}

int varlink_call_hold(VarlinkCall *c, VarlinkHold **ret) {
        VarlinkHold *h;

        if (!c || !ret)
                return -EINVAL;
        if (!c->replied || c->streamed || c->retry || c->io_error < 0 || c->connection->hold)
                return -EBUSY;
        h = calloc(1, sizeof(VarlinkHold));
        if (!h)
                return -ENOMEM;
        *h = (VarlinkHold) {
                .connection = c->connection,
                .held = TAKE_PTR(c->held),
                .held_text = TAKE_PTR(c->held_text),
                .oneway = c->oneway,
        };
        c->connection->hold = h;
        *ret = h;
        return 0;
}

const char *varlink_hold_error(const VarlinkHold *h) {
        return h ? json_string_value(json_object_get(h->held, "error")) : NULL;
}

int varlink_hold_replace_error(VarlinkHold *h, const char *error, json_t *params) {
        _cleanup_(json_decrefp) json_t *p = params;
        json_t *m;

        if (!h || !error)
                return -EINVAL;
        m = call_message(error, TAKE_PTR(p), false);
        if (!m)
                return -ENOMEM;
        json_decref(h->held);
        h->held = m;
        free(TAKE_PTR(h->held_text));
        return 0;
}

/* Queues and writes the reply, and gives the connection a turn, where its next call runs and its
 * events are armed again. The connection is not run (nor closed) from here: the holder may release
 * it from within another connection's call. */
VarlinkHold *varlink_hold_release(VarlinkHold *h) {
        _cleanup_(json_decrefp) json_t *m = NULL;
        _cleanup_free_ char *text = NULL;
        VarlinkConnection *c;
        int r = 0;

        if (!h)
                return NULL;
        m = TAKE_PTR(h->held);
        text = TAKE_PTR(h->held_text);
        c = h->connection;
        if (c) {
                c->hold = NULL;
                if (m && !h->oneway)
                        r = text ? connection_enqueue_text(c, text, strlen(text) + 1) : connection_enqueue(c, m);
                /* Written at once: the caller waited for the commit already, and what runs next
                 * (the gap monitor) should not stand between it and its answer. */
                if (r >= 0)
                        r = connection_flush(c);
                if (r < 0)
                        c->hold_error = r;
                r = connection_schedule(c);
                if (r < 0)
                        log_warning("Cannot schedule the connection of pid %d after its reply: %s",
                                    (int) c->peer.pid, strerror(-r));
        }
        free(h);
        return NULL;
}

int varlink_call_reply(VarlinkCall *c, json_t *params) {
        return call_send(c, NULL, params, false);
}

int varlink_call_reply_encoded(VarlinkCall *c, const char *params_text) {
        _cleanup_(json_decrefp) json_t *m = NULL;
        _cleanup_free_ char *text = NULL;

        if (!c || isempty(params_text) || params_text[0] != '{')
                return -EINVAL;
        if (c->replied)
                return -EALREADY;
        c->replied = true;

        /* The message held beside the text has empty parameters: only the text goes out. */
        m = call_message(NULL, NULL, false);
        if (!m || asprintf(&text, "{\"parameters\":%s}", params_text) < 0) {
                c->io_error = -ENOMEM;
                return -ENOMEM;
        }
        if ((c->held_size = strlen(text)) + 1 > VARLINK_MESSAGE_SIZE_MAX) {
                log_warning("The reply to %s would exceed %u bytes; answering Failed.",
                            c->full_method, VARLINK_MESSAGE_SIZE_MAX);
                c->held = call_too_long(c);
                return c->held ? 0 : -ENOMEM;
        }
        c->held = TAKE_PTR(m);
        c->held_text = TAKE_PTR(text);
        return 0;
}

int varlink_call_reply_continues(VarlinkCall *c, json_t *params) {
        if (!c->replied && !c->oneway && !c->more) {
                json_decref(params);
                (void) call_send(c, VARLINK_ERROR_EXPECTED_MORE, NULL, false);
                return -EINVAL;
        }
        return call_send(c, NULL, params, true);
}

int varlink_call_error(VarlinkCall *c, const char *error, json_t *params) {
        if (isempty(error)) {
                json_decref(params);
                return -EINVAL;
        }
        return call_send(c, error, params, false);
}

int varlink_call_error_invalid_parameter(VarlinkCall *c, const char *parameter) {
        return varlink_call_error(c, VARLINK_ERROR_INVALID_PARAMETER,
                                  json_pack("{s:s}", "parameter", strempty(parameter)));
}

const struct ucred *varlink_call_peer(const VarlinkCall *c) {
        return &c->connection->peer;
}

const char *varlink_call_method(const VarlinkCall *c) {
        return c->method;
}

bool varlink_call_wants_more(const VarlinkCall *c) {
        return c->more;
}

bool varlink_call_is_oneway(const VarlinkCall *c) {
        return c->oneway;
}

const char *varlink_call_language(const VarlinkCall *c) {
        return c->language;
}

int varlink_call_retry(VarlinkCall *c, uint64_t delay_usec) {
        if (c->replied || c->streamed)
                return -EALREADY;
        c->retry = true;
        c->retry_usec = delay_usec;
        return 0;
}

uint64_t varlink_call_waited_usec(const VarlinkCall *c) {
        return c->waited_usec;
}

static int call_builtin(VarlinkServer *s, VarlinkCall *call, json_t *params) {
        const char *interface;

        if (streq(call->method, "GetInfo"))
                return varlink_call_reply(call, json_pack("{s:s, s:s, s:s, s:s, s:[s, s]}",
                                                          "vendor", s->vendor,
                                                          "product", s->product,
                                                          "version", s->version,
                                                          "url", s->url,
                                                          "interfaces",
                                                          VARLINK_SERVICE_INTERFACE,
                                                          varlink_idl_name(s->idl)));

        if (streq(call->method, "GetInterfaceDescription")) {
                interface = json_string_value(json_object_get(params, "interface"));
                if (streq(interface, VARLINK_SERVICE_INTERFACE))
                        return varlink_call_reply(call, json_pack("{s:s}", "description",
                                                                  varlink_idl_text(s->service_idl)));
                if (streq(interface, varlink_idl_name(s->idl)))
                        return varlink_call_reply(call, json_pack("{s:s}", "description",
                                                                  varlink_idl_text(s->idl)));
                return varlink_call_error(call, VARLINK_ERROR_INTERFACE_NOT_FOUND,
                                          json_pack("{s:s}", "interface", interface));
        }

        return varlink_call_error(call, VARLINK_ERROR_METHOD_NOT_IMPLEMENTED,
                                  json_pack("{s:s}", "method", call->full_method));
}

static int call_handler(VarlinkServer *s, VarlinkCall *call, json_t *params) {
        _cleanup_free_ char *failed = NULL;
        int r;

        for (size_t i = 0; i < s->n_methods; i++) {
                if (!streq(s->methods[i].name, call->method))
                        continue;

                r = s->methods[i].fn(call, params, s->userdata);
                if (call->replied || call->retry)
                        return 0;

                /* A handler that gives up without answering still owes the client a reply. */
                if (r >= 0)
                        log_error("Method %s returned without a reply.", call->full_method);
                else
                        log_error("Method %s failed: %s", call->full_method, strerror(-r));
                if (asprintf(&failed, "%s.Failed", varlink_idl_name(s->idl)) < 0)
                        return -ENOMEM;
                return varlink_call_error(call, failed,
                                          json_pack("{s:s}", "message",
                                                    r < 0 ? strerror(-r) : "The method gave no reply."));
        }

        return varlink_call_error(call, VARLINK_ERROR_METHOD_NOT_IMPLEMENTED,
                                  json_pack("{s:s}", "method", call->full_method));
}

/* Reads the optional boolean flag name; -EBADMSG if it is there but not a boolean. */
static int request_flag(json_t *request, const char *name, bool *ret) {
        json_t *v = json_object_get(request, name);

        if (v && !json_is_boolean(v))
                return -EBADMSG;
        *ret = json_is_true(v);
        return 0;
}

static int on_connection_retry(sd_event_source *source, uint64_t usec, void *userdata);

/* Keeps the message of a call that asked to wait (a copy: the framer's text does not outlive this
 * turn) and arms the timer that dispatches it again. Called again for the same message, only the
 * timer moves. */
static int connection_retry_later(VarlinkConnection *c, const char *message, size_t length, uint64_t delay_usec) {
        VarlinkServer *s = c->server;
        uint64_t now = server_now(s);
        int r;

        if (message != c->retry_message) {
                char *copy = malloc(length + 1);

                if (!copy)
                        return -ENOMEM;
                memcpy(copy, message, length);
                copy[length] = '\0';
                free(c->retry_message);
                c->retry_message = copy;
                c->retry_length = length;
                c->retry_since_usec = now;
        }

        if (!c->retry_timer)
                return sd_event_add_time(s->event, &c->retry_timer, CLOCK_MONOTONIC, usec_add(now, delay_usec),
                                         VARLINK_RETRY_ACCURACY_USEC, on_connection_retry, c);
        r = sd_event_source_set_time(c->retry_timer, usec_add(now, delay_usec));
        if (r >= 0)
                r = sd_event_source_set_enabled(c->retry_timer, SD_EVENT_ONESHOT);
        return r;
}

/* The call waiting is over (answered, or dropped with its connection or at shutdown). */
static void connection_retry_end(VarlinkConnection *c) {
        if (!c->retry_message)
                return;
        free(c->retry_message);
        c->retry_message = NULL;
        c->retry_length = 0;
        c->retry_since_usec = 0;
        c->retry_due = false;
        (void) sd_event_source_set_enabled(c->retry_timer, SD_EVENT_OFF);
}

/* How long the call kept for a retry has waited; 0 when none waits (a first dispatch). */
static uint64_t connection_waited_usec(VarlinkConnection *c) {
        uint64_t now;

        if (!c->retry_message)
                return 0;
        now = server_now(c->server);
        return now > c->retry_since_usec ? now - c->retry_since_usec : 0;
}

/* Returns < 0 when the connection must be closed: a protocol violation or no memory. */
static int connection_dispatch(VarlinkConnection *c, const char *message, size_t length) {
        VarlinkServer *s = c->server;
        _cleanup_(json_decrefp) json_t *request = NULL, *empty = NULL;
        _cleanup_free_ char *interface = NULL, *invalid = NULL;
        const VarlinkIdl *idl = NULL;
        _cleanup_(call_done) VarlinkCall call = {
                .connection = c,
                .waited_usec = connection_waited_usec(c),
        };
        const char *dot;
        json_error_t error;
        json_t *params;
        int r;

        request = json_loadb(message, length, JSON_REJECT_DUPLICATES, &error);
        if (!request) {
                log_debug("Closing connection of pid %d: invalid JSON at %d:%d: %s",
                          (int) c->peer.pid, error.line, error.column, error.text);
                return -EBADMSG;
        }

        call.full_method = json_string_value(json_object_get(request, "method"));
        /* An extension beside "method" (documented in the interface's header): a value that is not
         * a string is ignored like an absent one, since the call itself is well formed. */
        call.language = json_string_value(json_object_get(request, "language"));
        params = json_object_get(request, "parameters");
        if (json_is_null(params))
                params = NULL;
        if (!json_is_object(request) || !call.full_method || (params && !json_is_object(params)) ||
            request_flag(request, "oneway", &call.oneway) < 0 ||
            request_flag(request, "more", &call.more) < 0) {
                log_debug("Closing connection of pid %d: not a Varlink call.", (int) c->peer.pid);
                return -EBADMSG;
        }

        dot = strrchr(call.full_method, '.');
        interface = dot ? strndup(call.full_method, dot - call.full_method) : strdup("");
        if (!interface)
                return -ENOMEM;
        call.method = dot ? dot + 1 : call.full_method;

        if (streq(interface, VARLINK_SERVICE_INTERFACE))
                idl = s->service_idl;
        else if (streq(interface, varlink_idl_name(s->idl)))
                idl = s->idl;

        /* Replies that cannot be queued are recorded in call.io_error: that alone ends the connection;
         * everything else was answered. */
        if (!idl) {
                (void) varlink_call_error(&call, VARLINK_ERROR_INTERFACE_NOT_FOUND,
                                          json_pack("{s:s}", "interface", interface));
                return call_finish(&call);
        }
        if (!varlink_idl_has_method(idl, call.method)) {
                (void) varlink_call_error(&call, VARLINK_ERROR_METHOD_NOT_FOUND,
                                          json_pack("{s:s}", "method", call.full_method));
                return call_finish(&call);
        }

        r = varlink_idl_validate_full(idl, call.method, false, params, &invalid);
        if (r == -EINVAL) {
                (void) varlink_call_error_invalid_parameter(&call, invalid);
                return call_finish(&call);
        }
        if (r < 0)
                return r;

        if (!params) {
                params = empty = json_object();
                if (!params)
                        return -ENOMEM;
        }
        if (idl == s->service_idl)
                (void) call_builtin(s, &call, params);
        else {
                r = call_handler(s, &call, params);
                if (r == -ENOMEM && !call.replied && !call.retry)
                        return r;
        }
        if (call.retry && !call.replied)
                return connection_retry_later(c, message, length, call.retry_usec);
        /* message may be the copy kept for the wait: not used past this point. */
        connection_retry_end(c);
        return call_finish(&call);
}

static int connection_read(VarlinkConnection *c) {
        int r;

        r = varlink_framer_recv(&c->input, c->fd, &c->input_eof);
        if (r > 0)
                c->input_ready = true;
        return r < 0 ? r : 0;
}

/* Runs the connection's next call, if it may, on its turn (see account_arm()). Returns < 0 when the
 * connection must be closed. */
static int connection_process(VarlinkConnection *c) {
        const char *message;
        size_t length;
        int r;

        /* Shutting down: a call still in the framer was never started, so it is dropped with the
         * connection and the client sees it unanswered — and uncommitted. */
        if (c->hold_error < 0)
                return c->hold_error;
        if (c->server->draining)
                return 0;
        /* A call that waits to be run again holds the connection's place: on its turn, when its
         * timer has fired, it runs before anything read after it. */
        if (c->retry_message) {
                if (!c->retry_due)
                        return 0;
                c->retry_due = false;
                return connection_dispatch(c, c->retry_message, c->retry_length);
        }
        /* Stopped by its own unread replies: the client taking them (EPOLLOUT) brings it back. */
        if (connection_blocked(c))
                return 0;
        if (connection_over_budget(c)) {
                connection_wait(c);
                return 0;
        }

        r = varlink_framer_next(&c->input, &message, &length);
        if (r == -EMSGSIZE) {
                log_debug("Closing connection of pid %d: message exceeds %u bytes.",
                          (int) c->peer.pid, VARLINK_MESSAGE_SIZE_MAX);
                return r;
        }
        if (r < 0)
                return r;
        if (r == 0) {
                c->input_ready = false;
                return 0;
        }

        connection_touch(c);
        r = connection_dispatch(c, message, length);
        /* With no complete call left in what was read, the next one comes with the socket's next
         * event: a turn now would only find nothing to run (an idle caller pays one more loop
         * iteration and re-arms its source twice per call). */
        if (r >= 0 && !c->retry_message && !varlink_framer_has_next(&c->input))
                c->input_ready = false;
        return r;
}

/* Returns 1 when the connection has nothing left to do. */
static int connection_update_events(VarlinkConnection *c) {
        uint32_t events = 0;
        int r;

        if (!c->input_eof && !c->input_ready && !c->budget_wait && !connection_blocked(c))
                events |= EPOLLIN;
        if (c->output_start < c->output_used)
                events |= EPOLLOUT;
        /* A call waiting for its retry owes the client a reply: the timer wakes the connection. */
        if (events == 0 && !c->queued && !c->budget_wait && !c->retry_message && !c->hold)
                return 1;
        /* Taken out of epoll first, so that the new mask is only noted (a disabled source's
         * mask costs no epoll_ctl()): a connection waiting for its turn pays one epoll_ctl() to
         * leave and one to come back, not three. */
        if (events == 0 && c->queued) {
                r = sd_event_source_set_enabled(c->io, SD_EVENT_OFF);
                if (r < 0)
                        return r;
        }
        r = sd_event_source_set_io_events(c->io, events);
        if (r < 0)
                return r;
        /* Waiting for its turn, which comes soon, and for nothing from the socket: epoll reports a
         * hang-up whatever the mask, and would wake the connection for nothing on every turn until
         * then. Waiting for the budget, which may take long, a hang-up is still heard: it ends the
         * connection (on_connection_io()), instead of leaving its slot taken until the idle
         * timeout. */
        return sd_event_source_set_enabled(c->io, events != 0 || !c->queued ? SD_EVENT_ON : SD_EVENT_OFF);
}

static int on_account_defer(sd_event_source *source, void *userdata);

/* Gives the owner a turn of the loop, if one of its connections waits for one. sd-event dispatches
 * one source per iteration: the pending one of the highest priority and, among equals, the one
 * pending since the earliest iteration (pending_prioq_compare() in sd-event.c: enabled, priority,
 * then pending_iteration). An I/O source becomes pending anew, with the current iteration, each
 * time epoll reports it; but a defer source is marked pending once, when it is created, and stays
 * so for as long as it lives (source_dispatch() and sd_event_source_set_enabled() leave a defer's
 * pending state alone), so re-enabling one would keep its old place before everything that became
 * ready since, for good. A new source each turn queues behind everything already pending: owners
 * with calls to run take turns in the order they became ready, round-robin, one call each, and so
 * a caller is kept waiting by at most one call of each other busy owner, however many connections
 * they hold. */
static int account_arm(VarlinkAccount *a) {
        if (a->defer || !a->queue_head)
                return 0;
        return sd_event_add_defer(a->server->event, &a->defer, on_account_defer, a);
}

/* Queues the connection for a turn of its owner, behind the owner's other connections. */
static int connection_schedule(VarlinkConnection *c) {
        VarlinkAccount *a = c->account;
        int r;

        if (c->queued)
                return 0;
        c->queued = true;
        CONNECTION_LIST_APPEND(queue_next, a->queue_head, a->queue_tail, c);

        r = account_arm(a);
        if (r < 0)
                connection_unqueue(c);
        return r;
}

/* After every event of the connection, and on its turn (then turn is true): runs its next call,
 * writes what the socket takes, and arms the sources for what is left. An event of the socket is
 * the owner's turn too when the owner has none to come (an idle caller is answered from the event
 * that brought its call, which waited its place among the pending sources like any other); a busy
 * owner's calls wait for its turns. Returns non-zero to close the connection. */
static int connection_run(VarlinkConnection *c, bool turn) {
        int r;

        if (turn || !c->account->queue_head) {
                r = connection_process(c);
                if (r < 0)
                        return r;
        }
        r = connection_flush(c);
        if (r < 0)
                return r;

        /* A call read and not run yet: no new input may ever come to wake the connection up, so
         * it waits for its next turn — after the other owners had theirs. */
        if (c->input_ready && !c->server->draining && !c->budget_wait && !connection_blocked(c)) {
                r = connection_schedule(c);
                if (r < 0)
                        return r;
        }
        connection_check_partial(c);
        return connection_update_events(c);
}

/* Some budget came back below its bound: the connections it stopped get a turn again, in the order
 * they stopped (each checks the budget before it runs a call, so at most one more reply goes over,
 * and the others stop again, in the same order). */
static void server_wake(VarlinkServer *s) {
        VarlinkConnection *c, *waiting;

        if (s->draining)
                return;
        waiting = TAKE_PTR(s->wait_head);
        s->wait_tail = NULL;
        while ((c = waiting)) {
                waiting = c->wait_next;
                c->wait_next = NULL;
                c->budget_wait = false;
                /* Out of memory: it waits again, and the next wake-up tries again. */
                if (connection_schedule(c) < 0)
                        connection_wait(c);
        }
}

/* While draining, tells the waiter once the last connection is gone. */
static void server_check_drained(VarlinkServer *s) {
        VarlinkDrainedFn fn = s->drained_fn;

        if (!s->draining || s->n_connections > 0 || !fn)
                return;
        s->drained_fn = NULL;
        fn(s, s->drained_userdata);
}

static void connection_close(VarlinkConnection *c, int r) {
        VarlinkServer *s = c->server;

        if (r < 0 && r != -EMSGSIZE && r != -EBADMSG && r != -EPIPE && r != -ECONNRESET)
                log_debug("Closing connection of pid %d: %s", (int) c->peer.pid, strerror(-r));
        connection_free(c);
        server_check_drained(s);
}

static void server_accept_backlog(VarlinkServer *s);

static int on_account_defer(sd_event_source *source, void *userdata) {
        VarlinkAccount *a = userdata;
        VarlinkConnection *c;
        int r;

        /* This turn is taken: the next one needs a new source (account_arm()). */
        a->defer = sd_event_source_disable_unref(a->defer);
        /* The owner has a connection queued, so the account outlives whatever this does. */
        if (a->queue_head)
                server_accept_backlog(a->server);
        c = a->queue_head;
        if (!c)
                return 0;
        connection_unqueue(c);
        /* The owner's other connections come back on its next turn. Out of memory, they wait
         * until one of them is scheduled again, or their idle timeout. */
        r = account_arm(a);
        if (r < 0)
                log_warning("Cannot schedule calls of uid %u: %s", (unsigned) c->peer.uid, strerror(-r));

        r = connection_run(c, true);
        if (r != 0)
                connection_close(c, r);
        return 0;
}

static int on_connection_retry(sd_event_source *source, uint64_t usec, void *userdata) {
        VarlinkConnection *c = userdata;
        int r;

        if (!c->retry_message || c->server->draining)
                return 0;
        /* Run again on the owner's next turn, like any other call (account_arm()). */
        c->retry_due = true;
        r = connection_schedule(c);
        if (r < 0)
                connection_close(c, r);
        return 0;
}

static int on_connection_io(sd_event_source *source, int fd, uint32_t revents, void *userdata) {
        VarlinkConnection *c = userdata;
        /* Whether EPOLLIN was asked for (a hang-up is reported without it). */
        bool may_read = !c->input_eof && !c->input_ready && !c->budget_wait && !connection_blocked(c);
        int r;

        /* The client hung up while its call waits: nobody would read the answer, so the call is
         * dropped, never run to its end (a hang-up is reported even with no events asked for, so
         * waiting on would spin). */
        if (c->retry_message && (revents & (EPOLLHUP | EPOLLERR))) {
                log_debug("Closing connection of pid %d: it hung up while its call waited; the call is dropped.",
                          (int) c->peer.pid);
                r = -ECONNRESET;
                goto close;
        }

        if (revents & (EPOLLOUT | EPOLLHUP | EPOLLERR)) {
                r = connection_flush(c);
                if (r < 0)
                        goto close;
        }
        /* Reading stops while the client has too many replies to collect, while its owner is over
         * its budget, and while a call read is still to run. */
        if ((revents & (EPOLLIN | EPOLLHUP | EPOLLERR)) && may_read) {
                r = connection_read(c);
                if (r < 0)
                        goto close;
        }
        /* Gone while waiting for the budget, with nothing left to write: the calls it sent were
         * never started, and nobody is left to answer. */
        if ((revents & (EPOLLHUP | EPOLLERR)) && c->budget_wait && c->output_start == c->output_used) {
                r = -ECONNRESET;
                goto close;
        }

        r = connection_run(c, false);
        if (r != 0)
                goto close;
        return 0;

close:
        connection_close(c, r);
        return 0;
}

static int on_connection_timeout(sd_event_source *source, uint64_t usec, void *userdata) {
        VarlinkConnection *c = userdata;

        if (c->partial_usec > 0)
                log_debug("Closing connection of pid %d: a message begun was not completed within %" PRIu64 " ms.",
                          (int) c->peer.pid, c->server->message_timeout_usec / USEC_PER_MSEC);
        else
                log_debug("Closing idle connection of pid %d.", (int) c->peer.pid);
        connection_close(c, 0);
        return 0;
}

int varlink_server_drain(VarlinkServer *s, VarlinkDrainedFn fn, void *userdata) {
        if (!s)
                return -EINVAL;

        s->drained_fn = fn;
        s->drained_userdata = userdata;
        if (!s->draining) {
                s->draining = true;
                s->accept_retry = sd_event_source_disable_unref(s->accept_retry);
                server_accept_enable(s, false);

                /* A reply already queued may acknowledge a committed change: it goes out, and
                 * only then does its connection close. Nothing more is read from anyone. */
                for (VarlinkConnection *c = s->connections, *next; c; c = next) {
                        int r;

                        next = c->next;
                        c->input_eof = true;
                        /* A call waiting for its retry has changed nothing yet: it is dropped
                         * uncommitted, and the client sees the connection end unanswered. */
                        if (c->retry_message)
                                log_debug("Dropping the call of pid %d that waited to be run again: shutting down.",
                                          (int) c->peer.pid);
                        connection_retry_end(c);
                        connection_unwait(c);
                        connection_unqueue(c);
                        r = connection_run(c, false);
                        if (r != 0) {
                                /* Not connection_close(): the waiter hears of the end below, once. */
                                if (r < 0 && r != -EPIPE && r != -ECONNRESET)
                                        log_debug("Closing connection of pid %d: %s", (int) c->peer.pid, strerror(-r));
                                connection_free(c);
                        }
                }
        }
        server_check_drained(s);
        return 0;
}

bool varlink_server_draining(const VarlinkServer *s) {
        return s && s->draining;
}


static void server_flush_refusals(VarlinkServer *s, uint64_t now) {
        if (s->refused == 0)
                return;
        log_warning("Refused %zu connection(s) over the limits since the last report; the latest from uid %u: "
                    "limit of %s reached.",
                    s->refused, (unsigned) s->refused_uid, varlink_limit_to_string(s->refused_limit));
        s->refused = 0;
        s->refused_log_usec = now > 0 ? now : 1;
}

static int on_refused_timer(sd_event_source *source, uint64_t usec, void *userdata) {
        VarlinkServer *s = userdata;

        server_flush_refusals(s, server_now(s));
        return 0;
}

/* Counts a refused connection; the log gets one line per VARLINK_REFUSAL_LOG_USEC at most, so that a
 * flood of connection attempts cannot flood the journal too. The refusals held back are logged
 * when the interval is over, so that the count is complete. */
static void server_log_refusal(VarlinkServer *s, const struct ucred *peer, VarlinkLimit limit) {
        uint64_t now = server_now(s), next;

        s->refused++;
        s->refused_uid = peer->uid;
        s->refused_limit = limit;
        next = usec_add(s->refused_log_usec, VARLINK_REFUSAL_LOG_USEC);
        if (s->refused_log_usec == 0 || now >= next) {
                server_flush_refusals(s, now);
                return;
        }
        if (!s->refused_timer) {
                if (sd_event_add_time(s->event, &s->refused_timer, CLOCK_MONOTONIC, next, 0,
                                      on_refused_timer, s) < 0)
                        server_flush_refusals(s, now);  /* better one line too many than none */
                return;
        }
        (void) sd_event_source_set_time(s->refused_timer, next);
        (void) sd_event_source_set_enabled(s->refused_timer, SD_EVENT_ONESHOT);
}

/* Takes ownership of fd. Who the peer is decides whether it may have one more connection: -EBUSY
 * (the fd closed at once) when not. */
static int connection_new(VarlinkServer *s, int fd, VarlinkConnection **ret) {
        _cleanup_close_ int owned = fd;
        VarlinkPeerClass class = VARLINK_PEER_PRIVILEGED;
        VarlinkConnection *c;
        VarlinkLimit limit;
        struct ucred peer;
        socklen_t len;
        int r;

        len = sizeof(peer);
        if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &len) < 0)
                return -errno;
        if (s->classify)
                class = s->classify(&peer, s->userdata);
        if (class < 0 || class >= _VARLINK_PEER_CLASS_MAX)
                class = VARLINK_PEER_GUEST;  /* unknown: the least trusted, and counted as such */
        /* Without a classifier nobody is told apart, so no uid is held to a share either. */
        limit = varlink_connection_limit(class, peer.uid, s->n_connections, s->n_guests,
                                         s->classify ? varlink_server_n_connections_of(s, peer.uid) : 0);
        if (limit != VARLINK_LIMIT_NONE) {
                server_log_refusal(s, &peer, limit);
                return -EBUSY;
        }

        c = calloc(1, sizeof(*c));
        if (!c)
                return -ENOMEM;
        c->server = s;
        c->fd = TAKE_FD(owned);
        c->peer = peer;
        c->class = class;
        c->active_usec = server_now(s);
        varlink_framer_init(&c->input, VARLINK_MESSAGE_SIZE_MAX);

        c->next = s->connections;
        if (c->next)
                c->next->prev = c;
        s->connections = c;
        s->n_connections++;
        if (class == VARLINK_PEER_GUEST)
                s->n_guests++;

        c->account = server_account_acquire(s, class == VARLINK_PEER_GUEST, peer.uid);
        if (!c->account) {
                r = -ENOMEM;
                goto fail;
        }
        r = sd_event_add_io(s->event, &c->io, c->fd, EPOLLIN, on_connection_io, c);
        if (r < 0)
                goto fail;
        r = sd_event_add_time(s->event, &c->timer, CLOCK_MONOTONIC,
                              usec_add(c->active_usec, s->idle_timeout_usec), 0, on_connection_timeout, c);
        if (r < 0)
                goto fail;
        if (ret)
                *ret = c;
        return 0;

fail:
        connection_free(c);
        return r;
}

/* A descriptor handed in (socket activation, a test's socketpair) may come blocking and
 * inheritable: the event loop needs it non-blocking, and helpers spawned later must not hold it. */
static int fd_nonblock_cloexec(int fd) {
        int flags;

        flags = fcntl(fd, F_GETFL);
        if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
                return -errno;
        flags = fcntl(fd, F_GETFD);
        if (flags < 0 || fcntl(fd, F_SETFD, flags | FD_CLOEXEC) < 0)
                return -errno;
        return 0;
}

int varlink_server_add_connection(VarlinkServer *s, int fd) {
        _cleanup_close_ int owned = fd;
        int r;

        if (!s || fd < 0)
                return -EINVAL;

        r = fd_nonblock_cloexec(fd);
        return r < 0 ? r : connection_new(s, TAKE_FD(owned), NULL);
}

static int on_accept_retry(sd_event_source *source, uint64_t usec, void *userdata) {
        VarlinkServer *s = userdata;

        s->accept_retry = sd_event_source_disable_unref(s->accept_retry);
        server_accept_enable(s, true);
        return 0;
}

/* Takes one connection from the listener's backlog. Returns 1 if one was taken (served or refused),
 * 0 if there was none or accepting is paused. */
static int listener_accept(VarlinkListener *l) {
        VarlinkServer *s = l->server;
        _cleanup_close_ int cfd = -1;
        VarlinkConnection *c;
        int r;

        cfd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (cfd < 0) {
                switch (errno) {
                case EMFILE:
                case ENFILE:
                case ENOBUFS:
                case ENOMEM:
                        /* The listener stays readable: without a pause this would spin. */
                        log_warning("Cannot accept connections (%s), pausing.", strerror(errno));
                        server_accept_enable(s, false);
                        if (!s->accept_retry &&
                            sd_event_add_time_relative(s->event, &s->accept_retry, CLOCK_MONOTONIC,
                                                       ACCEPT_RETRY_USEC, 0, on_accept_retry, s) < 0)
                                server_accept_enable(s, true);
                        return 0;
                case EAGAIN:
                        return 0;
                default:
                        /* A connection that went away before it was accepted. */
                        log_debug("accept() failed: %s", strerror(errno));
                        return 1;
                }
        }

        r = connection_new(s, TAKE_FD(cfd), &c);
        if (r < 0) {
                if (r != -EBUSY)  /* refusals are counted and logged by connection_new() */
                        log_warning("Cannot set up connection: %s", strerror(-r));
                return 1;
        }
        /* A client usually sends its call right after connecting: it is read and, if its owner
         * has no turn to come, run now, instead of waiting for one more turn of every busy owner
         * before epoll reports it. */
        r = connection_read(c);
        if (r >= 0)
                r = connection_run(c, false);
        if (r != 0)
                connection_close(c, r);
        return 1;
}

static int on_listener(sd_event_source *source, int fd, uint32_t revents, void *userdata) {
        (void) listener_accept(userdata);
        return 0;
}

/* At the start of every turn, the connections waiting in the backlog are let in (a few per
 * listener): a new caller then waits for the call running when it connected, not for one more
 * turn of each busy owner queued before epoll reported the listener. */
static void server_accept_backlog(VarlinkServer *s) {
        if (s->draining)
                return;
        for (VarlinkListener *l = s->listeners; l; l = l->next) {
                /* sd-event polls epoll on every iteration, pending sources or not (sd_event_prepare()),
                 * so a listener with a connection waiting is pending in this one: the others would
                 * only answer EAGAIN, one accept4() per call under load. */
                if (sd_event_source_get_pending(l->source) == 0)
                        continue;
                for (unsigned i = 0; i < ACCEPT_PER_TURN && !s->accept_retry; i++)
                        if (listener_accept(l) <= 0)
                                break;
        }
}

static int listener_add(VarlinkServer *s, int fd, const char *path) {
        VarlinkListener *l;
        int r;

        l = calloc(1, sizeof(*l));
        if (!l)
                return -ENOMEM;
        l->server = s;
        l->fd = -1;

        r = sd_event_add_io(s->event, &l->source, fd, EPOLLIN, on_listener, l);
        if (r < 0) {
                listener_free(l);
                return r;
        }
        if (path) {
                l->path = strdup(path);
                if (!l->path) {
                        listener_free(l);
                        return -ENOMEM;
                }
        }
        if (s->accept_retry)
                (void) sd_event_source_set_enabled(l->source, SD_EVENT_OFF);

        l->fd = fd;
        l->next = s->listeners;
        s->listeners = l;
        return 0;
}

int varlink_server_listen_fd(VarlinkServer *s, int fd) {
        int r;

        if (!s || fd < 0)
                return -EINVAL;

        r = fd_nonblock_cloexec(fd);
        return r < 0 ? r : listener_add(s, fd, NULL);
}

/* A socket file left behind by a dead daemon is removed; a live one, or anything that is not a
 * socket, is left alone. */
static int socket_path_clear_stale(const char *path, const SocketAddressUnix *sa, socklen_t salen) {
        _cleanup_close_ int fd = -1;
        struct stat st;

        if (lstat(path, &st) < 0)
                return errno == ENOENT ? 0 : -errno;
        if (!S_ISSOCK(st.st_mode))
                return -EEXIST;

        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
                return -errno;
        if (connect(fd, &sa->sa, salen) >= 0)
                return -EADDRINUSE;
        switch (errno) {
        case ECONNREFUSED:
                if (unlink(path) < 0 && errno != ENOENT)
                        return -errno;
                return 0;
        case ENOENT:
                return 0;
        case EAGAIN:  /* listening, with a full backlog */
                return -EADDRINUSE;
        default:
                return -errno;
        }
}

int varlink_server_listen_path(VarlinkServer *s, const char *path, mode_t mode, gid_t gid) {
        _cleanup_close_ int fd = -1;
        SocketAddressUnix sa;
        socklen_t salen;
        mode_t old_umask;
        int r;

        if (!s)
                return -EINVAL;
        r = sockaddr_un_from_path(path, &sa, &salen);
        if (r < 0)
                return r;

        r = socket_path_clear_stale(path, &sa, salen);
        if (r < 0)
                return r;

        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
                return -errno;
        /* The mode comes from the umask at bind(), not from a chmod() by path afterwards: whoever
         * could swap the path for a symbolic link in between would have us chmod their target.
         * The process is single-threaded, so the umask is ours for these two calls. */
        old_umask = umask(~mode & 0777);
        r = bind(fd, &sa.sa, salen) < 0 ? -errno : 0;
        (void) umask(old_umask);
        if (r < 0)
                return r;

        /* The group is set before listen(): until then connecting is refused, so nobody can slip
         * in meanwhile. Never through a symbolic link (the caller checked that nobody else may
         * write the directory). */
        if ((gid != (gid_t) -1 && fchownat(AT_FDCWD, path, (uid_t) -1, gid, AT_SYMLINK_NOFOLLOW) < 0) ||
            listen(fd, SOMAXCONN) < 0) {
                r = -errno;
                (void) unlink(path);
                return r;
        }

        r = listener_add(s, fd, path);
        if (r < 0) {
                (void) unlink(path);
                return r;
        }
        TAKE_FD(fd);
        return 0;
}
