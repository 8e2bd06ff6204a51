/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <curl/curl.h>
#include <stddef.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "api-json.h"
#include "build-config.h"
#include "dl.h"
#include "i18n.h"
#include "log.h"
#include "manager.h"
#include "notify-outbox.h"
#include "notify-events.h"
#include "notify-send.h"
#include "offices.h"
#include "notify-summary.h"
#include "store.h"

/* The longest wait between two runs: a row queued by another path (a reload, a clock step) is
 * seen within it. */
#define NOTIFIER_INTERVAL_USEC (5 * 60 * USEC_PER_SEC)
/* An outcome not kept (database locked) is tried again this soon. */
#define NOTIFIER_PERSIST_RETRY_USEC USEC_PER_SEC
#define NOTIFIER_ACCURACY_USEC (50 * USEC_PER_MSEC)

/* libcurl, loaded by the first webhook or mail (dl.h): an office that only runs command hooks, or
 * sends nothing, never maps it, nor the TLS, Kerberos, LDAP and SSH libraries it brings. Every
 * function this file calls is a member, called as C->name(…) (the curl_ prefix left out, which
 * also keeps libcurl's type-checking macros out of the way). */
#define CURL_LIB_SYMBOLS(X) \
        X(global_init) X(easy_init) X(easy_setopt) X(easy_getinfo) X(easy_cleanup) X(easy_strerror) \
        X(slist_append) X(slist_free_all) X(multi_init) X(multi_setopt) X(multi_add_handle) \
        X(multi_remove_handle) X(multi_assign) X(multi_socket_action) X(multi_info_read) X(multi_cleanup)

typedef struct CurlLib {
        void *handle;
#define CURL_LIB_MEMBER(name) typeof(curl_##name) *name;
        CURL_LIB_SYMBOLS(CURL_LIB_MEMBER)
#undef CURL_LIB_MEMBER
} CurlLib;

static const DlSymbol curl_lib_symbols[] = {
#define CURL_LIB_SYMBOL(name) { "curl_" #name, offsetof(CurlLib, name) },
        CURL_LIB_SYMBOLS(CURL_LIB_SYMBOL)
#undef CURL_LIB_SYMBOL
};

typedef struct Delivery Delivery;

/* One channel's attempt at one row. */
typedef struct Transfer {
        Delivery *delivery;
        char *channel;
        bool done;
        bool ok;
        char *error;
        /* webhook */
        CURL *easy;
        char curl_error[CURL_ERROR_SIZE];   /* libcurl's detail of a failure (a certificate refused) */
        struct curl_slist *headers;
        char *body;
        size_t received;
        /* smtp: the message, read by curl from body at sent */
        struct curl_slist *recipients;
        size_t length;
        size_t sent;
        /* command */
        pid_t pid;
        int pidfd;
        sd_event_source *exit_source;
        sd_event_source *kill_timer;
        bool killed;
} Transfer;

struct Delivery {
        Notifier *notifier;
        StoreNotification row;
        Transfer *transfers;
        size_t n_transfers;
        size_t n_channels;           /* the person's channels now, those that took it already included */
        size_t n_running;
        char *note;                  /* a mail channel left out: the person has no email (kept in last_error) */
        Delivery *next;
};

struct Notifier {
        Manager *manager;
        CurlLib curl;                /* loaded by the first webhook or mail (notifier_curl()) */
        char *curl_failure;          /* why it could not be, for the transfers' errors */
        CURLM *multi;
        sd_event_source *curl_timer;
        sd_event_source *timer;
        sd_event_source *soon;
        Delivery *deliveries;        /* in flight, or finished and not yet kept */
        size_t n_deliveries;
        uint64_t backoff_first_usec;
        Day reminded;                /* the last day whose reminders were queued by this process */
        int64_t evented;             /* the local minute (day × 1440 + minutes) of the last timed events run */
        Day summarized;              /* idem for the clerk's summary (notify-summary.h) */
        bool locked;
};

static void notifier_arm(Notifier *n);
static void notifier_run(Notifier *n);

static json_t *str_or_null(const char *s) {
        return s ? json_string(s) : json_null();
}

static void json_unrefp(json_t **j) {
        if (*j)
                json_decref(*j);
}

/* ---- transfers ---- */

static void transfer_done(Transfer *t) {
        /* Only a transfer that took libcurl holds anything of it, and its delivery the notifier
         * that loaded it. */
        const CurlLib *C = t->delivery ? &t->delivery->notifier->curl : NULL;

        if (C && t->easy) {
                if (t->delivery->notifier->multi)
                        (void) C->multi_remove_handle(t->delivery->notifier->multi, t->easy);
                C->easy_cleanup(t->easy);
        }
        if (C && t->headers)
                C->slist_free_all(t->headers);
        if (C && t->recipients)
                C->slist_free_all(t->recipients);
        sd_event_source_disable_unref(t->exit_source);
        sd_event_source_disable_unref(t->kill_timer);
        if (t->pid > 0 && !t->done) {
                /* Shutting down with the program still running: it is not waited for. */
                (void) kill(t->pid, SIGKILL);
                (void) waitpid(t->pid, NULL, 0);
        }
        if (t->pidfd >= 0)
                (void) close(t->pidfd);
        free(t->body);
        free(t->channel);
        free(t->error);
}

static Delivery *delivery_free(Delivery *d) {
        if (!d)
                return NULL;
        for (size_t i = 0; i < d->n_transfers; i++)
                transfer_done(&d->transfers[i]);
        free(d->transfers);
        free(d->note);
        store_notification_done(&d->row);
        free(d);
        return NULL;
}

static void transfer_finish(Transfer *t, bool ok, const char *error) {
        Delivery *d = t->delivery;

        if (t->done)
                return;
        t->done = true;
        t->ok = ok;
        if (!ok && error) {
                free(t->error);
                t->error = strdup(error);
        }
        if (d->n_running > 0)
                d->n_running--;
        if (d->n_running == 0)
                /* Kept at the loop's next turn, with the others finished by then. */
                (void) notifier_schedule(d->notifier);
}

/* ---- the message in JSON ---- */

static const char *row_text(const Config *c, const StoreNotification *row, const Person *p) {
        const char *lang = p && p->language ? p->language : c->language;

        return language_is_en(lang) ? row->text_en : row->text_zh;
}

static void format_stamp(uint64_t usec, char buf[static TIMESTAMP_STRING_MAX]) {
        if (instant_format(usec, buf) < 0)
                (void) snprintf(buf, TIMESTAMP_STRING_MAX, "1970-01-01T00:00:00+00:00");
}

static json_t *message_json(const Config *c, const StoreNotification *row, const Person *p, const char *channel) {
        char created[TIMESTAMP_STRING_MAX];

        format_stamp(row->created_usec, created);
        return json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:s, s:s, s:i, s:o, s:s}",
                         "id", row->uuid,
                         "kind", notify_kind_to_string(row->kind),
                         "person", row->person,
                         "person_name", str_or_null(p ? p->name : NULL),
                         "phone", str_or_null(p ? p->phone : NULL),
                         "email", str_or_null(p ? p->email : NULL),
                         "language", language_is_en(p && p->language ? p->language : c->language) ? "en" : "zh",
                         "text", row_text(c, row, p),
                         "created", created,
                         "attempt", (int) row->attempts + 1,
                         "office", str_or_null(c->office),
                         "channel", channel);
}

static char *webhook_body(const Config *c, const NotifyChannel *ch, const StoreNotification *row, const Person *p) {
        _cleanup_(json_unrefp) json_t *j = NULL;
        json_t *mentions = json_array();
        json_t *ids = json_array();

        if (!mentions || !ids) {
                json_decref(mentions);
                json_decref(ids);
                return NULL;
        }
        if ((p && p->phone && json_array_append_new(mentions, json_string(p->phone)) < 0) ||
            /* The robot's own user id (notify_mention), for a member whose phone it does not know. */
            (p && p->notify_mention && json_array_append_new(ids, json_string(p->notify_mention)) < 0)) {
                json_decref(mentions);
                json_decref(ids);
                return NULL;
        }
        switch (ch->template) {
        case NOTIFY_TEMPLATE_JSON:
                json_decref(mentions);
                json_decref(ids);
                j = message_json(c, row, p, ch->name);
                break;
        case NOTIFY_TEMPLATE_WECOM:
                /* 企业微信群机器人: a text message, the person @-mentioned by mobile number
                 * (mentioned_mobile_list) and by user id (mentioned_list). */
                j = json_pack("{s:s, s:{s:s, s:o, s:o}, s:s}",
                              "msgtype", "text",
                              "text", "content", row_text(c, row, p), "mentioned_mobile_list", mentions,
                              "mentioned_list", ids,
                              "dutyd_id", row->uuid);
                break;
        case NOTIFY_TEMPLATE_DINGTALK:
                /* 钉钉群机器人: the same, the mentions under "at" (atMobiles, atUserIds). */
                j = json_pack("{s:s, s:{s:s}, s:{s:o, s:o}, s:s}",
                              "msgtype", "text",
                              "text", "content", row_text(c, row, p),
                              "at", "atMobiles", mentions, "atUserIds", ids,
                              "dutyd_id", row->uuid);
                break;
        case _NOTIFY_TEMPLATE_MAX:
        case _NOTIFY_TEMPLATE_INVALID:
                json_decref(mentions);
                json_decref(ids);
                return NULL;
        }
        if (!j)
                return NULL;
        return json_dumps(j, JSON_COMPACT);
}

/* ---- webhooks through curl's multi interface on sd-event ---- */

static size_t on_curl_write(char *data, size_t size, size_t nmemb, void *userdata) {
        Transfer *t = userdata;
        size_t n = size * nmemb;

        /* The receiver's answer is not read, only bounded: a short count aborts the transfer. */
        if (t->received + n > NOTIFY_RESPONSE_MAX)
                return 0;
        t->received += n;
        return n;
}

/* The transfer's handle with what every channel sets: the URL, limited to the channel's
 * protocols, no signals, the channel's timeout, the answer bounded and never written to stdout
 * (on_curl_write()), the transfer as the handle's private pointer (curl_check_done()). */
static int transfer_easy(Transfer *t, const NotifyChannel *ch, const char *protocols) {
        const CurlLib *C = &t->delivery->notifier->curl;

        t->easy = C->easy_init();
        if (!t->easy)
                return -ENOMEM;
        if (C->easy_setopt(t->easy, CURLOPT_URL, ch->url) != CURLE_OK ||
            C->easy_setopt(t->easy, CURLOPT_PROTOCOLS_STR, protocols) != CURLE_OK ||
            C->easy_setopt(t->easy, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
            C->easy_setopt(t->easy, CURLOPT_TIMEOUT, (long) ch->timeout_sec) != CURLE_OK ||
            C->easy_setopt(t->easy, CURLOPT_WRITEFUNCTION, on_curl_write) != CURLE_OK ||
            C->easy_setopt(t->easy, CURLOPT_WRITEDATA, t) != CURLE_OK ||
            C->easy_setopt(t->easy, CURLOPT_PRIVATE, t) != CURLE_OK)
                return -EINVAL;
        return 0;
}

/* The channel's CA file, when set, replaces the system's certificates for its TLS servers (an
 * office's own CA on the intranet); the server's certificate and name are checked either way. */
static int transfer_set_tls(Transfer *t, const NotifyChannel *ch) {
        const CurlLib *C = &t->delivery->notifier->curl;

        t->curl_error[0] = '\0';
        if (C->easy_setopt(t->easy, CURLOPT_ERRORBUFFER, t->curl_error) != CURLE_OK)
                return -EINVAL;
        if (ch->ca_file && (C->easy_setopt(t->easy, CURLOPT_CAINFO, ch->ca_file) != CURLE_OK ||
                            C->easy_setopt(t->easy, CURLOPT_CAPATH, NULL) != CURLE_OK))
                return -EINVAL;
        return 0;
}

static void curl_check_done(Notifier *n) {
        const CurlLib *C = &n->curl;
        CURLMsg *msg;
        int left;

        while ((msg = C->multi_info_read(n->multi, &left))) {
                Transfer *t = NULL;
                CURLcode result;
                long code = 0;
                char error[CURL_ERROR_SIZE + 64];

                if (msg->msg != CURLMSG_DONE)
                        continue;
                /* msg belongs to the handle: read before the handle goes. */
                result = msg->data.result;
                (void) C->easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **) &t);
                if (!t)
                        continue;
                (void) C->easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &code);
                (void) C->multi_remove_handle(n->multi, t->easy);
                C->easy_cleanup(t->easy);
                t->easy = NULL;
                if (result != CURLE_OK) {
                        /* The detail says what to fix ("SSL certificate problem: …"), the code what failed. */
                        if (t->curl_error[0] != '\0')
                                (void) snprintf(error, sizeof(error), "%s: %s", C->easy_strerror(result), t->curl_error);
                        else
                                (void) snprintf(error, sizeof(error), "%s", C->easy_strerror(result));
                        transfer_finish(t, false, error);
                } else if (code < 200 || code >= 300) {
                        (void) snprintf(error, sizeof(error), "HTTP status %ld", code);
                        transfer_finish(t, false, error);
                } else
                        transfer_finish(t, true, NULL);
        }
}

static int on_curl_io(sd_event_source *s, int fd, uint32_t revents, void *userdata) {
        Notifier *n = userdata;
        const CurlLib *C = &n->curl;
        int action = 0, running;

        if (revents & EPOLLIN)
                action |= CURL_CSELECT_IN;
        if (revents & EPOLLOUT)
                action |= CURL_CSELECT_OUT;
        if (revents & (EPOLLERR | EPOLLHUP))
                action |= CURL_CSELECT_ERR;
        (void) C->multi_socket_action(n->multi, fd, action, &running);
        curl_check_done(n);
        return 0;
}

static int curl_socket_cb(CURL *e, curl_socket_t fd, int what, void *userp, void *socketp) {
        Notifier *n = userp;
        const CurlLib *C = &n->curl;
        sd_event_source *io = socketp;
        uint32_t events = 0;
        int r;

        if (what == CURL_POLL_REMOVE) {
                sd_event_source_disable_unref(io);
                (void) C->multi_assign(n->multi, fd, NULL);
                return 0;
        }
        if (what & CURL_POLL_IN)
                events |= EPOLLIN;
        if (what & CURL_POLL_OUT)
                events |= EPOLLOUT;
        if (io) {
                r = sd_event_source_set_io_events(io, events);
                if (r >= 0)
                        r = sd_event_source_set_enabled(io, SD_EVENT_ON);
        } else {
                r = sd_event_add_io(n->manager->event, &io, fd, events, on_curl_io, n);
                if (r >= 0) {
                        (void) sd_event_source_set_description(io, "notify-curl-io");
                        if (C->multi_assign(n->multi, fd, io) != CURLM_OK) {
                                sd_event_source_disable_unref(io);
                                r = -ENOMEM;
                        }
                }
        }
        if (r < 0) {
                log_error("Notifications: cannot watch a connection: %s", strerror(-r));
                return -1;
        }
        return 0;
}

static int on_curl_timer(sd_event_source *s, uint64_t usec, void *userdata) {
        Notifier *n = userdata;
        const CurlLib *C = &n->curl;
        int running;

        (void) C->multi_socket_action(n->multi, CURL_SOCKET_TIMEOUT, 0, &running);
        curl_check_done(n);
        return 0;
}

static int curl_timer_cb(CURLM *multi, long timeout_ms, void *userp) {
        Notifier *n = userp;
        int r;

        if (timeout_ms < 0)
                return n->curl_timer ? (sd_event_source_set_enabled(n->curl_timer, SD_EVENT_OFF) < 0 ? -1 : 0) : 0;
        if (!n->curl_timer) {
                r = sd_event_add_time_relative(n->manager->event, &n->curl_timer, CLOCK_MONOTONIC,
                                               (uint64_t) timeout_ms * USEC_PER_MSEC, 0, on_curl_timer, n);
                if (r >= 0)
                        (void) sd_event_source_set_description(n->curl_timer, "notify-curl-timer");
        } else {
                r = sd_event_source_set_time_relative(n->curl_timer, (uint64_t) timeout_ms * USEC_PER_MSEC);
                if (r >= 0)
                        r = sd_event_source_set_enabled(n->curl_timer, SD_EVENT_ONESHOT);
        }
        return r < 0 ? -1 : 0;
}

/* libcurl and the multi handle, set up by the first transfer that needs them: 0, or -ELIBACC with
 * the loader's words in n->curl_failure (the transfer fails with them and is retried, as any
 * failure; a library installed meanwhile is found then), or another negative errno. */
static int notifier_curl(Notifier *n) {
        _cleanup_free_ char *why = NULL;
        CurlLib l = {};
        CURLM *multi;
        int r;

        if (n->curl.handle)
                return 0;
        r = dl_load(LIBCURL_SONAME, curl_lib_symbols, ELEMENTSOF(curl_lib_symbols), &l, &l.handle, &why);
        if (r < 0) {
                free(n->curl_failure);
                n->curl_failure = TAKE_PTR(why);
                return r;
        }
        /* Safe with the store's and the feeds' threads running: since 7.84 (meson.build asks
         * 7.85) curl_global_init() is thread-safe, and those threads use neither libcurl nor its
         * TLS library. */
        if (l.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
                dl_unload(l.handle);
                return log_error_errno(-EIO, "Notifications: cannot initialise libcurl.");
        }
        multi = l.multi_init();
        if (!multi) {
                dl_unload(l.handle);
                return -ENOMEM;
        }
        if (l.multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, curl_socket_cb) != CURLM_OK ||
            l.multi_setopt(multi, CURLMOPT_SOCKETDATA, n) != CURLM_OK ||
            l.multi_setopt(multi, CURLMOPT_TIMERFUNCTION, curl_timer_cb) != CURLM_OK ||
            l.multi_setopt(multi, CURLMOPT_TIMERDATA, n) != CURLM_OK) {
                (void) l.multi_cleanup(multi);
                dl_unload(l.handle);
                return log_error_errno(-EINVAL, "Notifications: cannot set up libcurl.");
        }
        n->curl = l;
        n->multi = multi;
        free(n->curl_failure);
        n->curl_failure = NULL;
        return 0;
}

static int webhook_start(Transfer *t, const Config *c, const NotifyChannel *ch, const Person *p) {
        Notifier *n = t->delivery->notifier;
        const CurlLib *C = &n->curl;
        const StoreNotification *row = &t->delivery->row;
        char header[128];
        struct curl_slist *h;
        int r;

        r = notifier_curl(n);
        if (r < 0)
                return r;
        t->body = webhook_body(c, ch, row, p);
        if (!t->body)
                return -ENOMEM;
        if (strlen(t->body) > NOTIFY_PAYLOAD_MAX)
                return -E2BIG;
        h = C->slist_append(NULL, "Content-Type: application/json; charset=utf-8");
        if (h)
                t->headers = h;
        (void) snprintf(header, sizeof(header), "Idempotency-Key: %s", row->uuid);
        if (h)
                h = C->slist_append(t->headers, header);
        (void) snprintf(header, sizeof(header), "X-Dutyd-Notification: %s", row->uuid);
        if (h)
                h = C->slist_append(t->headers, header);
        /* No "Expect: 100-continue" round trip for a small body. */
        if (h)
                h = C->slist_append(t->headers, "Expect:");
        if (!h)
                return -ENOMEM;

        r = transfer_easy(t, ch, "http,https");
        if (r < 0)
                return r;
        if (C->easy_setopt(t->easy, CURLOPT_HTTPHEADER, t->headers) != CURLE_OK ||
            C->easy_setopt(t->easy, CURLOPT_POSTFIELDS, t->body) != CURLE_OK ||
            C->easy_setopt(t->easy, CURLOPT_USERAGENT, "dutyd/" PACKAGE_VERSION) != CURLE_OK)
                return -EINVAL;
        if (transfer_set_tls(t, ch) < 0)
                return -EINVAL;
        if (C->multi_add_handle(n->multi, t->easy) != CURLM_OK)
                return -ENOMEM;
        return 0;
}

/* ---- mail through an SMTP server, libcurl speaking SMTP ---- */

static int base64_append(FILE *f, const uint8_t *s, size_t n, size_t line) {
        static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        size_t col = 0;

        for (size_t i = 0; i < n; i += 3) {
                uint32_t v = (uint32_t) s[i] << 16 | (i + 1 < n ? (uint32_t) s[i + 1] << 8 : 0) |
                             (i + 2 < n ? (uint32_t) s[i + 2] : 0);
                char q[4] = {
                        alphabet[(v >> 18) & 63],
                        alphabet[(v >> 12) & 63],
                        i + 1 < n ? alphabet[(v >> 6) & 63] : '=',
                        i + 2 < n ? alphabet[v & 63] : '=',
                };

                if (line > 0 && col >= line) {
                        (void) fputs("\r\n", f);
                        col = 0;
                }
                (void) fwrite(q, 1, 4, f);
                col += 4;
        }
        return 0;
}

/* A header value in RFC 2047 encoded words ("=?UTF-8?B?…?="), each at most 75 characters and
 * cut between UTF-8 characters, folded onto continuation lines. */
static void header_encoded(FILE *f, const char *name, const char *value, size_t max) {
        size_t len = strnlen(value, max), i = 0;

        (void) fprintf(f, "%s:", name);
        while (i < len) {
                /* 45 bytes are 60 in base64: with "=?UTF-8?B?" and "?=", 72 characters. */
                size_t k = len - i > 45 ? 45 : len - i;

                while (k > 0 && i + k < len && ((uint8_t) value[i + k] & 0xC0) == 0x80)
                        k--;
                if (k == 0)
                        break;
                (void) fputs(i == 0 ? " =?UTF-8?B?" : "\r\n =?UTF-8?B?", f);
                (void) base64_append(f, (const uint8_t *) value + i, k, 0);
                (void) fputs("?=", f);
                i += k;
        }
        (void) fputs("\r\n", f);
}

/* RFC 5322's date, in English whatever the locale: "Mon, 07 Dec 2026 16:00:00 +0800". */
static void format_mail_date(uint64_t usec, char buf[static 48]) {
        static const char days[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
        static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
        time_t t = (time_t) (usec / USEC_PER_SEC);
        struct tm tm;
        char zone[8];

        if (!localtime_r(&t, &tm) || strftime(zone, sizeof(zone), "%z", &tm) != 5 ||
            tm.tm_wday < 0 || tm.tm_wday > 6 || tm.tm_mon < 0 || tm.tm_mon > 11) {
                (void) snprintf(buf, 48, "Thu, 01 Jan 1970 00:00:00 +0000");
                return;
        }
        (void) snprintf(buf, 48, "%s, %02d %s %04d %02d:%02d:%02d %s", days[tm.tm_wday], tm.tm_mday,
                        months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec, zone);
}

/* Subjects are the text's first line, cut (between characters) at this many bytes. */
#define NOTIFY_SUBJECT_MAX 180

/* The whole message, RFC 5322 with a MIME UTF-8 text body in base64. Its Message-ID and Date
 * come from the notification, not the attempt: a retry is the same message, and a receiver
 * de-duplicates on the Message-ID. */
static char *mail_message(const Config *c, const NotifyChannel *ch, const StoreNotification *row, const Person *p) {
        const char *text = row_text(c, row, p), *domain = strrchr(ch->from, '@');
        _cleanup_free_ char *subject = NULL;
        char date[48], *buf = NULL;
        size_t size = 0, n;
        FILE *f;

        n = strcspn(text, "\r\n");
        if (n > NOTIFY_SUBJECT_MAX) {
                n = NOTIFY_SUBJECT_MAX;
                while (n > 0 && ((uint8_t) text[n] & 0xC0) == 0x80)
                        n--;
        }
        subject = strndup(text, n);
        if (!subject)
                return NULL;
        format_mail_date(row->created_usec, date);

        f = open_memstream(&buf, &size);
        if (!f)
                return NULL;
        (void) fprintf(f, "Date: %s\r\n", date);
        (void) fprintf(f, "From: %s\r\n", ch->from);
        (void) fprintf(f, "To: %s\r\n", p->email);
        header_encoded(f, "Subject", subject, NOTIFY_SUBJECT_MAX);
        (void) fprintf(f, "Message-ID: <%s@%s>\r\n", row->uuid, domain && domain[1] ? domain + 1 : "dutyd");
        (void) fprintf(f, "X-Dutyd-Notification: %s\r\n", row->uuid);
        (void) fprintf(f, "X-Dutyd-Kind: %s\r\n", notify_kind_to_string(row->kind));
        (void) fputs("MIME-Version: 1.0\r\n"
                     "Content-Type: text/plain; charset=utf-8\r\n"
                     "Content-Transfer-Encoding: base64\r\n"
                     "\r\n", f);
        (void) base64_append(f, (const uint8_t *) text, strlen(text), 76);
        (void) fputs("\r\n", f);
        if (ferror(f)) {
                (void) fclose(f);
                free(buf);
                return NULL;
        }
        if (fclose(f) != 0) {
                free(buf);
                return NULL;
        }
        return buf;
}

static size_t on_smtp_read(char *out, size_t size, size_t nmemb, void *userdata) {
        Transfer *t = userdata;
        size_t left = t->length - t->sent, n = size * nmemb;

        if (n > left)
                n = left;
        memcpy(out, t->body + t->sent, n);
        t->sent += n;
        return n;
}

static int smtp_start(Transfer *t, const Config *c, const NotifyChannel *ch, const Person *p) {
        Notifier *n = t->delivery->notifier;
        const CurlLib *C = &n->curl;
        const StoreNotification *row = &t->delivery->row;
        _cleanup_free_ char *rcpt = NULL;
        CURLcode e = CURLE_OK;
        int r;

        /* delivery_start() gives no mail channel to a person without an address. */
        if (!p || !p->email)
                return -EADDRNOTAVAIL;
        r = notifier_curl(n);
        if (r < 0)
                return r;
        /* The address goes into a header and the envelope: no line break may end either. */
        if (strpbrk(p->email, "\r\n<>") || !strchr(p->email, '@'))
                return -EINVAL;
        t->body = mail_message(c, ch, row, p);
        if (!t->body)
                return -ENOMEM;
        t->length = strlen(t->body);
        if (t->length > NOTIFY_PAYLOAD_MAX)
                return -E2BIG;
        if (asprintf(&rcpt, "<%s>", p->email) < 0)
                return -ENOMEM;
        t->recipients = C->slist_append(NULL, rcpt);
        if (!t->recipients)
                return -ENOMEM;

        r = transfer_easy(t, ch, "smtp,smtps");
        if (r < 0)
                return r;
        if (C->easy_setopt(t->easy, CURLOPT_MAIL_FROM, ch->from) != CURLE_OK ||
            C->easy_setopt(t->easy, CURLOPT_MAIL_RCPT, t->recipients) != CURLE_OK ||
            C->easy_setopt(t->easy, CURLOPT_UPLOAD, 1L) != CURLE_OK ||
            C->easy_setopt(t->easy, CURLOPT_INFILESIZE_LARGE, (curl_off_t) t->length) != CURLE_OK ||
            C->easy_setopt(t->easy, CURLOPT_READFUNCTION, on_smtp_read) != CURLE_OK ||
            C->easy_setopt(t->easy, CURLOPT_READDATA, t) != CURLE_OK)
                return -EINVAL;
        /* smtps:// is TLS from the start; smtp:// is upgraded, or not sent at all. */
        if (ch->starttls)
                e = C->easy_setopt(t->easy, CURLOPT_USE_SSL, (long) CURLUSESSL_ALL);
        if (e == CURLE_OK && ch->username)
                e = C->easy_setopt(t->easy, CURLOPT_USERNAME, ch->username);
        if (e == CURLE_OK && ch->password)
                e = C->easy_setopt(t->easy, CURLOPT_PASSWORD, ch->password);
        if (e != CURLE_OK || transfer_set_tls(t, ch) < 0)
                return -EINVAL;
        if (C->multi_add_handle(n->multi, t->easy) != CURLM_OK)
                return -ENOMEM;
        return 0;
}

/* ---- command hooks ---- */

/* Reaps the program if it has exited and finishes the transfer: true then, false while it runs. */
static bool child_reap(Transfer *t) {
        char error[96];
        int status;
        pid_t p;

        p = waitpid(t->pid, &status, WNOHANG);
        if (p == 0)
                return false;
        t->exit_source = sd_event_source_disable_unref(t->exit_source);
        t->kill_timer = sd_event_source_disable_unref(t->kill_timer);
        t->pid = 0;
        if (p < 0) {
                transfer_finish(t, false, "cannot wait for the program");
                return true;
        }
        if (t->killed)
                transfer_finish(t, false, "timed out, stopped");
        else if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
                transfer_finish(t, true, NULL);
        else {
                if (WIFEXITED(status))
                        (void) snprintf(error, sizeof(error), "exit status %d", WEXITSTATUS(status));
                else
                        (void) snprintf(error, sizeof(error), "killed by signal %d",
                                        WIFSIGNALED(status) ? WTERMSIG(status) : 0);
                transfer_finish(t, false, error);
        }
        return true;
}

static int on_child_exit(sd_event_source *s, int fd, uint32_t revents, void *userdata) {
        (void) child_reap(userdata);
        return 0;
}

/* Without pidfds (an old kernel, valgrind): the program is looked at every CHILD_POLL_USEC. */
#define CHILD_POLL_USEC (50 * USEC_PER_MSEC)

static int on_child_poll(sd_event_source *s, uint64_t usec, void *userdata) {
        Transfer *t = userdata;

        if (child_reap(t))
                return 0;
        if (sd_event_source_set_time_relative(s, CHILD_POLL_USEC) < 0 ||
            sd_event_source_set_enabled(s, SD_EVENT_ONESHOT) < 0) {
                /* The kill timer still ends it; reaped at shutdown at the latest. */
                log_error("Notifications: cannot watch a command any more.");
        }
        return 0;
}

static int on_child_timeout(sd_event_source *s, uint64_t usec, void *userdata) {
        Transfer *t = userdata;

        if (t->pid > 0) {
                t->killed = true;
                /* Not reaped yet, so the pid cannot have been reused. */
                if (t->pidfd >= 0)
                        (void) syscall(SYS_pidfd_send_signal, t->pidfd, SIGKILL, NULL, 0);
                else
                        (void) kill(t->pid, SIGKILL);
        }
        return 0;
}

static int env_add(char **env, size_t *n, const char *name, const char *value) {
        if (!value)
                return 0;
        if (asprintf(&env[*n], "%s=%s", name, value) < 0) {
                env[*n] = NULL;
                return -ENOMEM;
        }
        (*n)++;
        return 0;
}

static int command_start(Transfer *t, const Config *c, const NotifyChannel *ch, const Person *p) {
        Notifier *n = t->delivery->notifier;
        const StoreNotification *row = &t->delivery->row;
        _cleanup_(json_unrefp) json_t *j = NULL;
        _cleanup_free_ char *payload = NULL;
        char *env[16] = {};
        size_t n_env = 0, len;
        int pipefd[2], r;
        pid_t pid;

        j = message_json(c, row, p, ch->name);
        payload = j ? json_dumps(j, JSON_COMPACT) : NULL;
        if (!payload)
                return -ENOMEM;
        len = strlen(payload);
        /* Smaller than a pipe's buffer: written at once, never waiting for the program to read. */
        if (len > NOTIFY_PAYLOAD_MAX)
                return -E2BIG;

        r = env_add(env, &n_env, "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        if (r >= 0)
                r = env_add(env, &n_env, "LANG", "C.UTF-8");
        if (r >= 0)
                r = env_add(env, &n_env, "DUTY_NOTIFY_ID", row->uuid);
        if (r >= 0)
                r = env_add(env, &n_env, "DUTY_NOTIFY_KIND", notify_kind_to_string(row->kind));
        if (r >= 0)
                r = env_add(env, &n_env, "DUTY_NOTIFY_PERSON", row->person);
        if (r >= 0)
                r = env_add(env, &n_env, "DUTY_NOTIFY_NAME", p ? p->name : NULL);
        if (r >= 0)
                r = env_add(env, &n_env, "DUTY_NOTIFY_PHONE", p ? p->phone : NULL);
        if (r >= 0)
                r = env_add(env, &n_env, "DUTY_NOTIFY_EMAIL", p ? p->email : NULL);
        if (r >= 0)
                r = env_add(env, &n_env, "DUTY_NOTIFY_TEXT", row_text(c, row, p));
        if (r >= 0)
                r = env_add(env, &n_env, "DUTY_NOTIFY_CHANNEL", ch->name);
        if (r < 0)
                goto finish;

        if (pipe2(pipefd, O_CLOEXEC) < 0) {
                r = -errno;
                goto finish;
        }
        /* The whole message goes into the pipe before the program exists: smaller than the pipe's
         * buffer, it never blocks, and a program that exits without reading cannot raise SIGPIPE
         * in dutyd. */
        if (write(pipefd[1], payload, len) != (ssize_t) len) {
                r = errno > 0 ? -errno : -EIO;
                (void) close(pipefd[0]);
                (void) close(pipefd[1]);
                goto finish;
        }
        (void) close(pipefd[1]);
        pid = fork();
        if (pid < 0) {
                r = -errno;
                (void) close(pipefd[0]);
                goto finish;
        }
        if (pid == 0) {
                sigset_t none;
                int null = open("/dev/null", O_RDWR | O_CLOEXEC);

                /* The loop's blocked signals are not the program's. */
                (void) sigemptyset(&none);
                (void) sigprocmask(SIG_SETMASK, &none, NULL);
                if (dup2(pipefd[0], STDIN_FILENO) < 0 || null < 0 || dup2(null, STDOUT_FILENO) < 0 ||
                    dup2(null, STDERR_FILENO) < 0)
                        _exit(127);
                execve(ch->command, (char *const[]) { ch->command, NULL }, env);
                _exit(127);
        }
        (void) close(pipefd[0]);
        t->pid = pid;

        t->pidfd = (int) syscall(SYS_pidfd_open, pid, 0);
        if (t->pidfd >= 0)
                r = sd_event_add_io(n->manager->event, &t->exit_source, t->pidfd, EPOLLIN, on_child_exit, t);
        else
                r = sd_event_add_time_relative(n->manager->event, &t->exit_source, CLOCK_MONOTONIC, CHILD_POLL_USEC,
                                               0, on_child_poll, t);
        if (r >= 0)
                r = sd_event_add_time_relative(n->manager->event, &t->kill_timer, CLOCK_MONOTONIC,
                                               (uint64_t) ch->timeout_sec * USEC_PER_SEC, 0, on_child_timeout, t);
        if (r < 0) {
                (void) kill(pid, SIGKILL);
                (void) waitpid(pid, NULL, 0);
                t->pid = 0;
                goto finish;
        }
        r = 0;
finish:
        for (size_t i = 0; i < n_env; i++)
                free(env[i]);
        return r;
}

/* ---- deliveries ---- */

static bool delivered_on(const StoreNotification *row, const char *channel) {
        char needle[128];

        (void) snprintf(needle, sizeof(needle), ",%s,", channel);
        return row->delivered && strstr(row->delivered, needle);
}

static int delivery_start(Notifier *n, StoreNotification *row) {
        const Config *c = n->manager->config;
        Person office;
        /* A person, or an office of the aggregator (its reminders): the same channels. */
        const Person *p = office_notify_recipient(c, row->person, &office);
        const NotifyChannel *channels[NOTIFY_CHANNELS_MAX];
        size_t k = config_notify_channels(c, p, channels);
        Delivery *d;
        int r;

        d = calloc(1, sizeof(Delivery));
        if (!d)
                return -ENOMEM;
        d->notifier = n;
        d->n_channels = k;
        d->row = *row;
        *row = (StoreNotification) {};
        d->transfers = calloc(k ?: 1, sizeof(Transfer));
        if (!d->transfers) {
                delivery_free(d);
                return -ENOMEM;
        }
        d->next = n->deliveries;
        n->deliveries = d;
        n->n_deliveries++;

        for (size_t i = 0; i < k; i++) {
                Transfer *t = &d->transfers[d->n_transfers];

                if (delivered_on(&d->row, channels[i]->name))
                        continue;
                if (channels[i]->type == NOTIFY_CHANNEL_SMTP && (!p || !p->email)) {
                        /* Nowhere to send a mail: not a failure to retry, the channel does not
                         * apply to the person. `notify list` says so. */
                        d->n_channels--;
                        if (!d->note && asprintf(&d->note, "%s: no email address for %s (set people.%s.email)",
                                                 channels[i]->name, d->row.person, d->row.person) < 0)
                                d->note = NULL;
                        continue;
                }
                *t = (Transfer) { .delivery = d, .pidfd = -1 };
                t->channel = strdup(channels[i]->name);
                if (!t->channel)
                        return -ENOMEM;
                d->n_transfers++;
                d->n_running++;
                switch (channels[i]->type) {
                case NOTIFY_CHANNEL_WEBHOOK:
                        r = webhook_start(t, c, channels[i], p);
                        break;
                case NOTIFY_CHANNEL_COMMAND:
                        r = command_start(t, c, channels[i], p);
                        break;
                case NOTIFY_CHANNEL_SMTP:
                        r = smtp_start(t, c, channels[i], p);
                        break;
                case _NOTIFY_CHANNEL_TYPE_MAX:
                case _NOTIFY_CHANNEL_TYPE_INVALID:
                default:
                        r = -EINVAL;
                        break;
                }
                if (r < 0) {
                        char error[256];

                        /* The loader's words name the library and what is wrong with it. */
                        (void) snprintf(error, sizeof(error), "cannot start: %s",
                                        r == -ELIBACC && n->curl_failure ? n->curl_failure : strerror(-r));
                        transfer_finish(t, false, error);
                }
        }
        if (d->n_transfers == 0) {
                /* Nothing to send: every channel took it already (the others were removed by a
                 * reload), or nobody to send it to (the person left, or has no channel now). */
                if (!p)
                        d->row.last_error = strdup("the person is no longer in the configuration");
                else if (d->n_channels == 0 && d->note)
                        d->row.last_error = strdup(d->note);
                else if (k == 0)
                        d->row.last_error = strdup("no channel is configured for the person");
                (void) notifier_schedule(n);
        }
        return 0;
}

static int strv_append_channel(char **delivered, const char *channel) {
        char *s;

        if (asprintf(&s, "%s%s%s,", isempty(*delivered) ? "," : "", strempty(*delivered), channel) < 0)
                return -ENOMEM;
        free(*delivered);
        *delivered = s;
        return 0;
}

/* The row as the attempt leaves it: sent, queued again for later, or failed. */
static int delivery_outcome(Notifier *n, Delivery *d, uint64_t now, bool *ret_failed) {
        const Config *c = n->manager->config;
        StoreNotification *row = &d->row;
        /* No transfer at all: sent if channels remain (each took it before), else undeliverable. */
        bool all = d->n_transfers > 0 || d->n_channels > 0;
        const char *error = NULL;
        char buf[256];

        for (size_t i = 0; i < d->n_transfers; i++) {
                Transfer *t = &d->transfers[i];

                if (t->ok) {
                        if (strv_append_channel(&row->delivered, t->channel) < 0)
                                return -ENOMEM;
                } else {
                        all = false;
                        if (!error) {
                                (void) snprintf(buf, sizeof(buf), "%s: %s", t->channel, strempty(t->error));
                                error = buf;
                        }
                }
        }
        *ret_failed = false;
        if (all) {
                row->state = NOTIFY_STATE_SENT;
                row->sent_usec = now;
                free(row->last_error);
                /* Delivered on the other channels: the one left out is said, not an error. */
                row->last_error = NULL;
                if (d->note) {
                        row->last_error = strdup(d->note);
                        if (!row->last_error)
                                return -ENOMEM;
                }
                return 0;
        }
        if (error) {
                free(row->last_error);
                row->last_error = strdup(error);
                if (!row->last_error)
                        return -ENOMEM;
        }
        row->attempts++;
        if (d->n_transfers == 0 || row->attempts >= c->notify.max_attempts) {
                row->state = NOTIFY_STATE_FAILED;
                *ret_failed = true;
        } else
                row->next_usec = now + notify_backoff_usec(row->attempts, n->backoff_first_usec, NOTIFY_BACKOFF_MAX_USEC);
        return 0;
}

static void journal_failed(Notifier *n, const StoreNotification *row) {
        _cleanup_free_ char *message = NULL, *f_id = NULL, *f_kind = NULL, *f_person = NULL, *f_attempts = NULL;
        bool en = language_is_en(n->manager->config->language);
        const char *fields[5] = {};

        if (asprintf(&f_id, "DUTY_NOTIFICATION=%s", row->uuid) < 0 ||
            asprintf(&f_kind, "DUTY_NOTIFY_KIND=%s", notify_kind_to_string(row->kind)) < 0 ||
            asprintf(&f_person, "DUTY_PERSON=%s", row->person) < 0 ||
            asprintf(&f_attempts, "DUTY_ATTEMPTS=%u", row->attempts) < 0)
                return;
        fields[0] = f_id;
        fields[1] = f_kind;
        fields[2] = f_person;
        fields[3] = f_attempts;
        if ((en ? asprintf(&message, "Notification %lld (%s) for %s could not be delivered after %u attempts (%s); "
                           "fix the channel, then `dutyctl notify retry %lld`.",
                           (long long) row->id, notify_kind_to_string(row->kind), row->person, row->attempts,
                           strempty(row->last_error), (long long) row->id)
                : asprintf(&message, "通知 %lld（%s，发给 %s）尝试 %u 次仍未送达（%s）；请检查通知渠道，然后执行 `dutyctl notify retry %lld`。",
                           (long long) row->id, notify_kind_to_string(row->kind), row->person, row->attempts,
                           strempty(row->last_error), (long long) row->id)) < 0)
                return;
        (void) log_struct_entry(LOG_WARNING, NOTIFY_MESSAGE_ID_FAILED, manager_office_id(n->manager), fields, message);
}

/* Keeps the outcome of every finished delivery in one short transaction. */
static void notifier_persist(Notifier *n) {
        Store *s = n->manager->store;
        uint64_t now = manager_now_usec(n->manager);
        Delivery **p;
        bool any = false, begun = false;
        int r = 0;

        for (Delivery *d = n->deliveries; d; d = d->next)
                if (d->n_running == 0)
                        any = true;
        if (!any || store_damage(s) != STORE_DAMAGE_NONE)
                return;

        r = store_begin(s);
        if (r == -EBUSY) {
                if (!n->locked)
                        log_warning("Notifications: the database is locked by another program; what was "
                                    "delivered is recorded when it is free.");
                n->locked = true;
                return;
        }
        if (r < 0) {
                log_error("Notifications: cannot begin the transaction: %s", strerror(-r));
                return;
        }
        begun = true;
        n->locked = false;

        for (Delivery *d = n->deliveries; d && r >= 0; d = d->next) {
                bool failed;

                if (d->n_running > 0)
                        continue;
                r = delivery_outcome(n, d, now, &failed);
                if (r >= 0)
                        r = store_notify_update(s, &d->row);
                if (r == -ENOENT)
                        r = 0;
        }
        if (r >= 0) {
                r = store_commit(s);
                begun = r < 0 ? begun : false;
        }
        if (begun)
                store_rollback(s);
        if (r < 0) {
                log_error("Notifications: cannot record the deliveries: %s", strerror(-r));
                return;
        }

        for (p = &n->deliveries; *p;) {
                Delivery *d = *p;

                if (d->n_running > 0) {
                        p = &d->next;
                        continue;
                }
                if (d->row.state == NOTIFY_STATE_FAILED)
                        journal_failed(n, &d->row);
                else if (d->row.state == NOTIFY_STATE_SENT)
                        log_debug("Notifications: %lld (%s) delivered to %s.", (long long) d->row.id,
                                  d->row.uuid, d->row.person);
                else
                        log_debug("Notifications: %lld (%s) not delivered (%s), attempt %u; tried again later.",
                                  (long long) d->row.id, d->row.uuid, strempty(d->row.last_error), d->row.attempts);
                *p = d->next;
                n->n_deliveries--;
                delivery_free(d);
        }
}

static bool in_flight(const Notifier *n, int64_t id) {
        for (const Delivery *d = n->deliveries; d; d = d->next)
                if (d->row.id == id)
                        return true;
        return false;
}

static void notifier_start_due(Notifier *n) {
        const Config *c = n->manager->config;
        StoreNotification *due = NULL;
        size_t n_due = 0;
        int r;

        if (c->notify.n_channels == 0 || n->n_deliveries >= c->notify.max_in_flight)
                return;
        /* The rows in flight are due too: ask for enough to fill the free places besides them. */
        r = store_notify_due(n->manager->store, manager_now_usec(n->manager),
                             c->notify.max_in_flight, &due, &n_due);
        if (r < 0) {
                log_error("Notifications: cannot read the outbox: %s", strerror(-r));
                return;
        }
        for (size_t i = 0; i < n_due && n->n_deliveries < c->notify.max_in_flight; i++) {
                if (in_flight(n, due[i].id))
                        continue;
                r = delivery_start(n, &due[i]);
                if (r < 0)
                        log_error("Notifications: cannot start a delivery: %s", strerror(-r));
        }
        store_notification_free_many(due, n_due);
}

/* ---- duty tomorrow ---- */

static void notifier_remind(Notifier *n) {
        Manager *m = n->manager;
        const Config *c = m->config;
        StoreAssignment *a = NULL;
        size_t n_a = 0;
        Day today;
        int minutes, r;

        manager_now_local(m, &today, &minutes);
        if (c->notify.n_channels == 0 || minutes < c->notify.reminder_minutes || n->reminded == today)
                return;
        if (store_damage(m->store) != STORE_DAMAGE_NONE)
                return;

        r = store_assignment_list(m->store, today + 1, today + 1, &a, &n_a);
        if (r < 0) {
                log_error("Notifications: cannot read tomorrow's duties: %s", strerror(-r));
                return;
        }
        r = store_begin(m->store);
        if (r == -EBUSY) {
                /* The next run (at most a minute away while reminders are owed) queues them. */
                n->locked = true;
                goto finish;
        }
        if (r < 0) {
                log_error("Notifications: cannot begin the transaction: %s", strerror(-r));
                goto finish;
        }
        /* Once a day, with the reminders: the outbox keeps delivered rows for a while only. */
        if (manager_now_usec(m) > NOTIFY_KEEP_SENT_USEC)
                r = store_notify_prune(m->store, manager_now_usec(m) - NOTIFY_KEEP_SENT_USEC, NULL);
        for (size_t i = 0; i < n_a && r >= 0; i++) {
                const Post *post = config_find_post(c, a[i].post);
                char key[128];
                NotifyFacts f = {
                        .kind = NOTIFY_KIND_DUTY_TOMORROW,
                        .day = a[i].day,
                        .until = DAY_NONE,
                        .post_name = post && post->name ? post->name : a[i].post,
                };

                if (!a[i].person)
                        continue;
                (void) snprintf(key, sizeof(key), "duty_tomorrow:%s:%s:%d", a[i].person, a[i].post,
                                (int) a[i].day);
                r = notify_outbox_add(m->store, c, a[i].person, key, &f, manager_now_usec(m));
        }
        if (r >= 0)
                r = store_commit(m->store);
        if (r < 0) {
                store_rollback(m->store);
                log_error("Notifications: cannot queue tomorrow's reminders: %s", strerror(-r));
                goto finish;
        }
        n->reminded = today;
finish:
        store_assignment_free_many(a, n_a);
}

/* ---- the timed person events (notify-events.h): once a minute ---- */

static void notifier_events(Notifier *n) {
        Manager *m = n->manager;
        const Config *c = m->config;
        Day today;
        int minutes, r;

        manager_now_local(m, &today, &minutes);
        if (c->notify.n_channels == 0 || n->evented == (int64_t) today * 1440 + minutes)
                return;
        if (store_damage(m->store) != STORE_DAMAGE_NONE)
                return;
        r = store_begin(m->store);
        if (r == -EBUSY) {
                /* Another program holds the lock: the next run tries again; the keys queue each once. */
                n->locked = true;
                return;
        }
        if (r >= 0)
                r = notify_events_timed(m->store, c, today, minutes, manager_now_usec(m));
        if (r >= 0)
                r = store_commit(m->store);
        if (r < 0) {
                store_rollback(m->store);
                log_error("Notifications: cannot queue the duties beginning soon and the overdue returns: %s",
                          strerror(-r));
                return;
        }
        n->evented = (int64_t) today * 1440 + minutes;
}

/* ---- the clerk's summary ---- */

static void notifier_summarize(Notifier *n) {
        Manager *m = n->manager;
        Day today;
        int minutes, r;

        manager_now_local(m, &today, &minutes);
        if (n->summarized == today || !notify_summary_due(m, today, minutes))
                return;
        r = notify_summary_queue(m, today);
        if (r == -EBUSY) {
                /* The next run (at most a minute away while it is owed) queues it. */
                n->locked = true;
                return;
        }
        if (r < 0) {
                log_error("Notifications: cannot queue the summary: %s", strerror(-r));
                return;
        }
        n->summarized = today;
}

/* ---- the loop ---- */

static void notifier_run(Notifier *n) {
        notifier_persist(n);
        notifier_remind(n);
        notifier_events(n);
        notifier_summarize(n);
        notifier_start_due(n);
        notifier_arm(n);
}

static void notifier_arm(Notifier *n) {
        Manager *m = n->manager;
        const Config *c = m->config;
        uint64_t now = manager_now_usec(m), delay = NOTIFIER_INTERVAL_USEC, next;
        bool unkept = false;
        Day today;
        int minutes, r;

        for (Delivery *d = n->deliveries; d; d = d->next)
                if (d->n_running == 0)
                        unkept = true;
        if (unkept || n->locked)
                delay = NOTIFIER_PERSIST_RETRY_USEC;

        if (c->notify.n_channels > 0) {
                if (n->n_deliveries < c->notify.max_in_flight && store_notify_next_due(m->store, &next) >= 0) {
                        uint64_t d = next > now ? next - now : 0;

                        /* A row in flight is still due: its end schedules the next run. */
                        if (d == 0 && n->n_deliveries > 0)
                                d = NOTIFIER_PERSIST_RETRY_USEC;
                        if (d < delay)
                                delay = d;
                }
                manager_now_local(m, &today, &minutes);
                if (n->reminded != today) {
                        uint64_t d = minutes < c->notify.reminder_minutes
                                ? (uint64_t) (c->notify.reminder_minutes - minutes) * 60 * USEC_PER_SEC -
                                          (now % (60 * USEC_PER_SEC))
                                : 60 * USEC_PER_SEC;

                        if (d < delay)
                                delay = d;
                } else {
                        /* Tomorrow's reminder time. */
                        uint64_t d = (uint64_t) (24 * 60 - minutes + c->notify.reminder_minutes) * 60 * USEC_PER_SEC -
                                     (now % (60 * USEC_PER_SEC));

                        if (d < delay)
                                delay = d;
                }
                /* The summary: at its time today if still owed, else at its time tomorrow (the
                 * weekday is looked at then). */
                if (c->notify.summary_minutes >= 0) {
                        uint64_t d = n->summarized != today && minutes < c->notify.summary_minutes
                                ? (uint64_t) (c->notify.summary_minutes - minutes) * 60 * USEC_PER_SEC -
                                          (now % (60 * USEC_PER_SEC))
                                : n->summarized != today && notify_summary_due(m, today, minutes)
                                ? 60 * USEC_PER_SEC
                                : (uint64_t) (24 * 60 - minutes + c->notify.summary_minutes) * 60 * USEC_PER_SEC -
                                          (now % (60 * USEC_PER_SEC));

                        if (d < delay)
                                delay = d;
                }
        }

        if (c->notify.n_channels > 0) {
                /* The timed person events look every minute, just past its start: a duty's
                 * duty_soon moment and a leave's end fall on a minute. */
                uint64_t d = 60 * USEC_PER_SEC - now % (60 * USEC_PER_SEC) + NOTIFIER_ACCURACY_USEC;

                if (d < delay)
                        delay = d;
        }

        r = sd_event_source_set_time_relative(n->timer, delay);
        if (r >= 0)
                r = sd_event_source_set_enabled(n->timer, SD_EVENT_ONESHOT);
        if (r < 0)
                log_error("Notifications: cannot re-arm the timer: %s", strerror(-r));
}

static int on_timer(sd_event_source *s, uint64_t usec, void *userdata) {
        notifier_run(userdata);
        return 0;
}

static int on_soon(sd_event_source *s, void *userdata) {
        notifier_run(userdata);
        return 0;
}

int notifier_schedule(Notifier *n) {
        int r;

        if (!n)
                return -EINVAL;
        if (n->soon)
                r = sd_event_source_set_enabled(n->soon, SD_EVENT_ONESHOT);
        else {
                r = sd_event_add_defer(n->manager->event, &n->soon, on_soon, n);
                if (r >= 0)
                        (void) sd_event_source_set_description(n->soon, "notify-soon");
        }
        if (r < 0)
                /* Not lost: the timer's next run sees the outbox. */
                log_error("Notifications: cannot schedule a run: %s", strerror(-r));
        return r;
}

/* Test hook: $DUTYD_NOTIFY_RETRY_SEC shortens the first wait before a retry, so that a scenario
 * can watch the retries. */
static int notifier_parse_retry(Notifier *n) {
        const char *s = getenv("DUTYD_NOTIFY_RETRY_SEC");
        char *end;
        unsigned long v;

        n->backoff_first_usec = NOTIFY_BACKOFF_FIRST_USEC;
        if (isempty(s))
                return 0;
        errno = 0;
        v = strtoul(s, &end, 10);
        if (errno != 0 || *end != '\0' || v == 0 || v > 3600) {
                log_error("DUTYD_NOTIFY_RETRY_SEC=%s is not a number of seconds (1…3600).", s);
                return -EINVAL;
        }
        n->backoff_first_usec = v * USEC_PER_SEC;
        log_notice("Notifications: first retry after %lus (test hook).", v);
        return 0;
}

int notifier_new(Manager *m, Notifier **ret) {
        _cleanup_(notifier_freep) Notifier *n = NULL;
        int r;

        if (!m || !m->event || !ret)
                return -EINVAL;
        n = calloc(1, sizeof(Notifier));
        if (!n)
                return -ENOMEM;
        n->manager = m;
        n->reminded = DAY_NONE;
        n->evented = INT64_MIN;
        n->summarized = DAY_NONE;
        r = notifier_parse_retry(n);
        if (r < 0)
                return r;

        /* Due at once: what a previous run left queued goes out as soon as the loop starts. */
        r = sd_event_add_time_relative(m->event, &n->timer, CLOCK_MONOTONIC, 0, NOTIFIER_ACCURACY_USEC,
                                       on_timer, n);
        if (r < 0)
                return log_error_errno(r, "Notifications: cannot create the timer: %m");
        (void) sd_event_source_set_description(n->timer, "notify");

        *ret = TAKE_PTR(n);
        return 0;
}

Notifier *notifier_free(Notifier *n) {
        if (!n)
                return NULL;
        while (n->deliveries) {
                Delivery *d = n->deliveries;

                n->deliveries = d->next;
                delivery_free(d);
        }
        if (n->multi)
                (void) n->curl.multi_cleanup(n->multi);
        /* libcurl stays mapped: curl_global_cleanup() is not safe while another library (the
         * journal's, say) may use what it initialised, and the process is ending. */
        free(n->curl_failure);
        sd_event_source_disable_unref(n->curl_timer);
        sd_event_source_disable_unref(n->timer);
        sd_event_source_disable_unref(n->soon);
        free(n);
        return NULL;
}
