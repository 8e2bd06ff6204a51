/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Varlink (varlink.org) over AF_UNIX stream sockets: NUL-terminated JSON messages.
 *
 * Three layers, each usable on its own:
 *   - the framer: pure byte-stream → messages splitting with a size limit (shared by server and client);
 *   - the interface definition (IDL): parsed once from daemon/io.dutyd.Duty.varlink, it validates the
 *     parameters of every call and serves org.varlink.service.GetInfo/GetInterfaceDescription;
 *   - the server on sd-event, and a small blocking client for dutyctl, tests and benchmarks.
 * This header declares the server; varlink-protocol.h the framer and the IDL, varlink-client.h the
 * client, which need neither sd-event nor the server (dutyctl links them alone).
 */

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <systemd/sd-event.h>

#include "util.h"
#include "varlink-client.h"
#include "varlink-protocol.h"

/* Limits on what one client can consume. */
#define VARLINK_CONNECTIONS_MAX    256u              /* concurrent connections, all callers together */
/* Who may hold them (see varlink_connection_limit()): the last VARLINK_CONNECTIONS_RESERVED are kept
 * for privileged callers (root, admins), so that a flood of other connections never locks them out;
 * callers the configuration does not know share a small pool; nobody but root holds more than
 * VARLINK_UID_CONNECTIONS_MAX. */
#define VARLINK_CONNECTIONS_RESERVED  32u            /* of the cap, for privileged callers only */
#define VARLINK_GUEST_CONNECTIONS_MAX 16u            /* all guests (unknown uids) together */
#define VARLINK_UID_CONNECTIONS_MAX   32u            /* one uid other than root */
/* A message begun must be completed within this time (slowloris): a connection holding part of
 * a message this long without completing one is closed. */
#define VARLINK_MESSAGE_TIMEOUT_USEC  (5u * 1000000u)
/* Refused connections are logged at most once per this interval, with the number refused. */
#define VARLINK_REFUSAL_LOG_USEC      (10u * 1000000u)
#define VARLINK_PENDING_MAX        64u               /* unanswered requests per connection */
/* Queued reply bytes. A connection stops dispatching (and reading) calls while its replies, or those
 * of its owner, are over one of these; the call that crossed the line has its reply queued whole, so
 * each bound is overrun by at most one reply, and no reply is longer than VARLINK_MESSAGE_SIZE_MAX
 * (call_send() answers Failed instead; the longest real one, a 1,100-day RosterShow of the sample
 * office, is about 780 KiB). Root and admins are held to VARLINK_OUTPUT_MAX per connection only:
 * nobody else's use stops them. Everyone else shares VARLINK_SHARED_OUTPUT_MAX, each uid within
 * VARLINK_UID_OUTPUT_MAX and all guests together within VARLINK_GUEST_OUTPUT_MAX: whatever they do,
 * their unread replies hold at most 64 + 1 MiB. */
#define VARLINK_OUTPUT_MAX         (2u * 1024u * 1024u)  /* one connection */
#define VARLINK_UID_OUTPUT_MAX     (16u * 1024u * 1024u) /* all connections of one uid, not privileged */
#define VARLINK_GUEST_OUTPUT_MAX   (4u * 1024u * 1024u)  /* all guests (unknown uids) together */
#define VARLINK_SHARED_OUTPUT_MAX  (64u * 1024u * 1024u) /* everyone but root and admins together */
#define VARLINK_IDLE_TIMEOUT_USEC  (60u * 1000000u)  /* connection with no complete message */

/* ---- Server ---- */

typedef struct VarlinkServer VarlinkServer;
typedef struct VarlinkCall VarlinkCall;

/* What a connecting peer is, for the connection limits. */
typedef enum VarlinkPeerClass {
        VARLINK_PEER_GUEST,       /* unknown to the configuration: shares the guests' pool */
        VARLINK_PEER_MEMBER,      /* a person of the office */
        VARLINK_PEER_PRIVILEGED,  /* root and admins: may use the reserved connections */
        _VARLINK_PEER_CLASS_MAX,
        _VARLINK_PEER_CLASS_INVALID = -EINVAL,
} VarlinkPeerClass;

/* The limit a new connection would exceed. */
typedef enum VarlinkLimit {
        VARLINK_LIMIT_NONE,       /* admitted */
        VARLINK_LIMIT_TOTAL,      /* VARLINK_CONNECTIONS_MAX */
        VARLINK_LIMIT_RESERVED,   /* only the reserve is left, and the peer is not privileged */
        VARLINK_LIMIT_GUESTS,     /* VARLINK_GUEST_CONNECTIONS_MAX */
        VARLINK_LIMIT_UID,        /* VARLINK_UID_CONNECTIONS_MAX */
        _VARLINK_LIMIT_MAX,
        _VARLINK_LIMIT_INVALID = -EINVAL,
} VarlinkLimit;

const char *varlink_limit_to_string(VarlinkLimit l);
/* Pure: whether one more connection of a peer of class with uid is admitted while total connections
 * are open, guests of them from guests, same_uid of them from uid. */
VarlinkLimit varlink_connection_limit(VarlinkPeerClass class, uid_t uid, size_t total, size_t guests, size_t same_uid);

/* Classifies a peer at accept time (SO_PEERCRED); userdata is the server's. Without one, every peer
 * is privileged: only VARLINK_CONNECTIONS_MAX applies. */
typedef VarlinkPeerClass (*VarlinkClassifyFn)(const struct ucred *peer, void *userdata);

/* A handler answers synchronously through varlink_call_reply*() or varlink_call_error*() before it
 * returns, or asks to be run again later (varlink_call_retry()). Parameters have already been validated against the IDL. Returning a negative errno
 * without answering makes the server answer with a generic error and log. */
typedef int (*VarlinkMethodFn)(VarlinkCall *call, json_t *parameters, void *userdata);

typedef struct VarlinkMethod {
        const char *name;  /* bare method name within the interface */
        VarlinkMethodFn fn;
} VarlinkMethod;

/* Vendor/product strings for GetInfo. */
typedef struct VarlinkServerInfo {
        const char *vendor;
        const char *product;
        const char *version;
        const char *url;
} VarlinkServerInfo;

int varlink_server_new(sd_event *event, const VarlinkIdl *idl, const VarlinkServerInfo *info,
                       const VarlinkMethod *methods, size_t n_methods, void *userdata, VarlinkServer **ret);
VarlinkServer *varlink_server_free(VarlinkServer *s);
DEFINE_POINTER_CLEANUP(VarlinkServer, varlink_server_free)
/* Takes ownership of a listening fd (e.g. from sd_listen_fds()) on success; on failure the fd stays
 * the caller's. */
int varlink_server_listen_fd(VarlinkServer *s, int fd);
/* Serves an already connected AF_UNIX stream socket (one end of a socketpair(), for tests and
 * fuzzing) as if accepted from a listener. Takes ownership of fd, on failure too. -EBUSY past
 * a connection limit (see varlink_connection_limit()). */
int varlink_server_add_connection(VarlinkServer *s, int fd);
/* Binds path, mode applied to the socket, gid (or (gid_t) -1) as its group. Replaces a stale socket
 * file; returns -EADDRINUSE if something answers on it, -EEXIST if path is not a socket. The file is
 * removed again by varlink_server_free(). */
int varlink_server_listen_path(VarlinkServer *s, const char *path, mode_t mode, gid_t gid);
size_t varlink_server_n_connections(const VarlinkServer *s);
/* Shutting down without losing an acknowledgement: stops accepting connections and reading or
 * dispatching calls (a call not yet dispatched was not started, let alone committed), and keeps
 * writing the replies already queued, closing each connection once its replies are out. fn (may be
 * NULL) runs from the event loop when the last connection has closed — at once, from this call,
 * if none has anything left to write. The caller bounds the wait (a client may never read). */
typedef void (*VarlinkDrainedFn)(VarlinkServer *s, void *userdata);
int varlink_server_drain(VarlinkServer *s, VarlinkDrainedFn fn, void *userdata);
bool varlink_server_draining(const VarlinkServer *s);
/* Open connections of one uid, and of all guests. */
size_t varlink_server_n_connections_of(const VarlinkServer *s, uid_t uid);
size_t varlink_server_n_guest_connections(const VarlinkServer *s);
/* Sets the classifier for connections accepted from now on (NULL: everyone privileged). */
void varlink_server_set_classifier(VarlinkServer *s, VarlinkClassifyFn classify);
/* Overrides VARLINK_MESSAGE_TIMEOUT_USEC (tests use a short one). */
void varlink_server_set_message_timeout(VarlinkServer *s, uint64_t usec);
/* Overrides VARLINK_IDLE_TIMEOUT_USEC for connections accepted from now on (tests use a short one). */
void varlink_server_set_idle_timeout(VarlinkServer *s, uint64_t usec);
/* The IDL served; handlers may swap nothing about it, it lives as long as the server. */

const struct ucred *varlink_call_peer(const VarlinkCall *c);
const char *varlink_call_method(const VarlinkCall *c);  /* bare method name */
bool varlink_call_wants_more(const VarlinkCall *c);
bool varlink_call_is_oneway(const VarlinkCall *c);
/* The language the caller asked its answers in: the request's "language" member beside "method"
 * (an extension of Varlink's call object, e.g. "zh_CN.UTF-8" or "en"), as sent; NULL if none. */
const char *varlink_call_language(const VarlinkCall *c);
/* Instead of answering, a handler may ask to be run again later, for a wait that must not block
 * the event loop (another program's lock on the database): the server keeps a copy of the call's
 * message, dispatches nothing else of that connection meanwhile (its replies keep the order of its
 * calls; other connections go on), and calls the method again with the same request after
 * delay_usec. The handler bounds the wait itself, with varlink_call_waited_usec(). A connection
 * that hangs up meanwhile, and a server that starts draining, drop the call unanswered: the method
 * is not called again. -EALREADY once the call was answered ("continues" replies included). */
int varlink_call_retry(VarlinkCall *c, uint64_t delay_usec);
/* Since when the call waits (its first dispatch): 0 the first time it is dispatched. */
uint64_t varlink_call_waited_usec(const VarlinkCall *c);
/* Replies steal the reference to params (NULL means {}). A reply longer than
 * VARLINK_MESSAGE_SIZE_MAX is never sent: the call is answered with the interface's Failed error
 * instead, at once, and ends. */
int varlink_call_reply(VarlinkCall *c, json_t *params);
/* The final reply with its parameters already encoded: params_text is the compact JSON of an
 * object (copied), as a handler that keeps an answer gives it again without encoding it each time.
 * varlink_call_reply_parameters() then sees {}; the size and the too-long rule are
 * varlink_call_reply()'s. */
int varlink_call_reply_encoded(VarlinkCall *c, const char *params_text);
/* Only when wants_more: a reply with "continues": true; finish with varlink_call_reply(). */
int varlink_call_reply_continues(VarlinkCall *c, json_t *params);
int varlink_call_error(VarlinkCall *c, const char *error, json_t *params);
int varlink_call_error_invalid_parameter(VarlinkCall *c, const char *parameter);
/* The final reply is held in the call and queued only once the method function has returned, so a
 * function wrapping a handler can look at the outcome and still change it: */
bool varlink_call_replied(const VarlinkCall *c);
/* The error name of the final reply; NULL for a successful reply or none yet. */
const char *varlink_call_reply_error(const VarlinkCall *c);
/* Replaces the final reply with an error (params stolen, NULL means {}); -ENOMSG if there is no
 * reply yet. Used when the change a reply acknowledges could not be committed. If the new reply
 * cannot be built, the old one is dropped and the connection closed: it never goes out. */
/* The parameters of the held final reply (borrowed, valid until it is replaced or sent); NULL for
 * none yet. */
json_t *varlink_call_reply_parameters(const VarlinkCall *c);
/* The size of the parameters of the final reply given by varlink_call_reply() (compact JSON, no
 * NUL), measured on the text encoded once when it was given — also when it was too long for a
 * client and already replaced by Failed. 0 before a reply. */
size_t varlink_call_reply_parameters_size(const VarlinkCall *c);
int varlink_call_replace_error(VarlinkCall *c, const char *error, json_t *params);

/* Keeps the final reply of an answered call past its method's return, until the caller releases it
 * (requests sharing one commit are acknowledged only once it is made: api-audit.c). Meanwhile its
 * connection runs no other call. -EBUSY for a call not answered, streamed, or waiting to be run
 * again. varlink_hold_release() queues the reply (replaced or not) and frees the hold; a hold whose
 * connection has gone is freed alone. */
typedef struct VarlinkHold VarlinkHold;
int varlink_call_hold(VarlinkCall *c, VarlinkHold **ret);
const char *varlink_hold_error(const VarlinkHold *h);
int varlink_hold_replace_error(VarlinkHold *h, const char *error, json_t *params);
VarlinkHold *varlink_hold_release(VarlinkHold *h);
