/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/stat.h>
#include <systemd/sd-journal.h>

#include "log.h"

/* Whether stderr is the journal's stream already ($JOURNAL_STREAM names its device and inode), in
 * which case the line printed there would repeat the structured entry. */
static bool stderr_is_journal(void) {
        const char *e = getenv("JOURNAL_STREAM");
        unsigned long dev, ino;
        struct stat st;

        if (!e || sscanf(e, "%lu:%lu", &dev, &ino) != 2 || fstat(STDERR_FILENO, &st) < 0)
                return false;
        return st.st_dev == (dev_t) dev && st.st_ino == (ino_t) ino;
}

int log_struct_entry(int priority, const char *message_id, const char *office, const char *const *fields,
                     const char *message) {
        struct iovec iov[LOG_STRUCT_FIELDS_MAX + 4];
        _cleanup_free_ char *o = NULL;
        char prio[sizeof("PRIORITY=") + 2], id[sizeof("MESSAGE_ID=") + 32];
        _cleanup_free_ char *m = NULL;
        size_t n = 0;
        int r;

        if (!message_id || !message || priority < 0 || priority > 7)
                return -EINVAL;
        if (asprintf(&m, "MESSAGE=%s", message) < 0)
                return -ENOMEM;
        if (office && asprintf(&o, "DUTY_OFFICE=%s", office) < 0)
                return -ENOMEM;
        snprintf(prio, sizeof(prio), "PRIORITY=%d", priority);
        snprintf(id, sizeof(id), "MESSAGE_ID=%s", message_id);
        iov[n++] = (struct iovec) { .iov_base = m, .iov_len = strlen(m) };
        iov[n++] = (struct iovec) { .iov_base = prio, .iov_len = strlen(prio) };
        iov[n++] = (struct iovec) { .iov_base = id, .iov_len = strlen(id) };
        if (o)
                iov[n++] = (struct iovec) { .iov_base = o, .iov_len = strlen(o) };
        for (size_t i = 0; fields && fields[i] && i < LOG_STRUCT_FIELDS_MAX; i++)
                iov[n++] = (struct iovec) { .iov_base = (char *) fields[i], .iov_len = strlen(fields[i]) };

        if (!stderr_is_journal())
                fprintf(stderr, "<%d>%s\n", priority, message);
        /* Without a journal (a test, a container without one) the line above is all there is. */
        r = sd_journal_sendv(iov, (int) n);
        return r < 0 ? r : 0;
}

static void log_pending_done(LogPending *p) {
        for (size_t i = 0; p->fields && p->fields[i]; i++)
                free(p->fields[i]);
        free(p->fields);
        free(p->message);
        *p = (LogPending) {};
}

int log_queue_add(LogQueue *q, int priority, const char *message_id, const char *const *fields, const char *message) {
        LogPending p = { .priority = priority }, *items;
        size_t n_fields = 0;

        if (!q || !message_id || strlen(message_id) != 32 || !message || priority < 0 || priority > 7)
                return -EINVAL;
        while (fields && fields[n_fields] && n_fields < LOG_STRUCT_FIELDS_MAX)
                n_fields++;

        memcpy(p.message_id, message_id, sizeof(p.message_id));
        p.fields = calloc(n_fields + 1, sizeof(char *));
        p.message = strdup(message);
        if (!p.fields || !p.message)
                goto oom;
        for (size_t i = 0; i < n_fields; i++) {
                p.fields[i] = strdup(fields[i]);
                if (!p.fields[i])
                        goto oom;
        }
        items = reallocarray(q->items, q->n + 1, sizeof(LogPending));
        if (!items)
                goto oom;
        q->items = items;
        q->items[q->n++] = p;
        return 0;

oom:
        log_pending_done(&p);
        return -ENOMEM;
}

void log_queue_flush(LogQueue *q, bool send, const char *office) {
        if (!q)
                return;
        for (size_t i = 0; i < q->n; i++) {
                if (send)
                        (void) log_struct_entry(q->items[i].priority, q->items[i].message_id, office,
                                                (const char *const *) q->items[i].fields, q->items[i].message);
                log_pending_done(&q->items[i]);
        }
        free(q->items);
        q->items = NULL;
        q->n = 0;
}

void log_queue_truncate(LogQueue *q, size_t n) {
        if (!q)
                return;
        while (q->n > n)
                log_pending_done(&q->items[--q->n]);
}

void log_queue_done(LogQueue *q) {
        log_queue_flush(q, false, NULL);
}
