/* SPDX-License-Identifier: GPL-2.0-or-later */

/* dutyctl notify: the outbox of notifications (reminders, requests waiting for someone, decisions)
 * that dutyd delivers through the office's channels: list it, queue one again, send a test. */

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "dutyctl.h"
#include "output.h"
#include "util.h"
#include "verbs.h"

static const char *state_label(const char *state) {
        if (streq(state, "queued"))
                return _("queued");
        if (streq(state, "sent"))
                return _("delivered");
        if (streq(state, "failed"))
                return _("failed");
        return state;
}

static int print_notifications(FILE *f, json_t *reply, void *userdata) {
        json_t *list = json_object_get(reply, "notifications"), *n;
        const char *const headers[] = { _("ID"), _("Kind"), _("Recipient"), _("State"), _("Tries"), _("Created"), _("Last error") };
        _cleanup_(table_freep) Table *t = NULL;
        size_t i;
        int r;

        if (json_array_size(list) == 0) {
                fprintf(f, _("No notifications.\n"));
                return 0;
        }
        r = table_new(ELEMENTSOF(headers), headers, &t);
        if (r < 0)
                return r;
        json_array_foreach(list, i, n) {
                _cleanup_free_ char *who = person_text(n, "person", "person_name");
                char id[INT_STRING_MAX], tries[INT_STRING_MAX];
                const char *cells[] = {
                        json_int_str(n, "id", id), json_str(n, "kind"), who ?: "-",
                        state_label(json_str(n, "state")), json_int_str(n, "attempts", tries),
                        json_str(n, "created"), json_str(n, "last_error"),
                };

                if (!who)
                        return -ENOMEM;
                r = table_add_row(t, cells);
                if (r < 0)
                        return r;
        }
        return table_print(t, f);
}

static int print_notification(FILE *f, json_t *reply, void *userdata) {
        json_t *n = json_object_get(reply, "notification");
        _cleanup_free_ char *who = person_text(n, "person", "person_name");
        char id[INT_STRING_MAX];

        if (!who)
                return -ENOMEM;
        fprintf(f, _("Notification %s for %s queued (%s); dutyd delivers it in the background.\n"),
                json_int_str(n, "id", id), who, json_str(n, "uuid"));
        fprintf(f, "%s\n", json_str(n, "text"));
        return 0;
}

static const VerbOption notify_list_options[] = {
        { "failed", '\0', NULL, N_("only the notifications that could not be delivered") },
        { "json", '\0', NULL, N_("print the reply as JSON") },
};

static const VerbOption notify_one_options[] = {
        { "json", '\0', NULL, N_("print the reply as JSON") },
};

static const VerbParam notify_list_params[] = {
        { "failed", "failed", VERB_PARAM_FLAG },
};
static const VerbParam notify_retry_params[] = {
        { "id", NULL, VERB_PARAM_NOTIFY_ID },
};
static const VerbParam notify_test_params[] = {
        { "person", NULL, VERB_PARAM_STRING },
};

static const Verb notify_verbs[] = {
        { "notify list", "[--failed] [--json]",
          N_("List the notifications sent and waiting (yours; all of them for administrators)."),
          0, 0, notify_list_options, ELEMENTSOF(notify_list_options), verb_call, DUTY_METHOD_NOTIFY_LIST,
          notify_list_params, ELEMENTSOF(notify_list_params), print_notifications },
        { "notify retry", "ID [--json]",
          N_("Queue a notification again, e.g. once its channel is fixed (administrators)."),
          1, 1, notify_one_options, ELEMENTSOF(notify_one_options), verb_call, DUTY_METHOD_NOTIFY_RETRY,
          notify_retry_params, ELEMENTSOF(notify_retry_params), print_notification },
        { "notify test", "PERSON [--json]",
          N_("Send a test message to a person on each of their channels (administrators)."),
          1, 1, notify_one_options, ELEMENTSOF(notify_one_options), verb_call, DUTY_METHOD_NOTIFY_TEST,
          notify_test_params, ELEMENTSOF(notify_test_params), print_notification },
};

const VerbFamily notify_family = { notify_verbs, ELEMENTSOF(notify_verbs) };
