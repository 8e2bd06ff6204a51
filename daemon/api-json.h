/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* What every method handler builds its answer with (api-json.c): the handler's signature, the
 * call's language, the reply and the refusals, the JSON forms of dates, times and people, and the
 * parameters by table. It sits below the handlers, the method table and the request's transaction
 * (api-audit.h), and knows none of them. Handlers turn Varlink parameters into domain calls and
 * domain results into replies; they do not speak SQL and hold no logic of their own. */

#include <jansson.h>
#include <stddef.h>

#include "auth.h"
#include "config.h"
#include "context.h"
#include "date.h"
#include "i18n.h"
#include "refusal.h"
#include "varlink.h"

/* A method handler: each api-<family>.c defines those of its family (declared in api-<family>.h),
 * and api-methods.c's table lists them. */
typedef int (*ApiHandler)(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);

/* The language of the sentences of the call being answered, "en" or else Chinese: the caller's when
 * it sent one (api_dispatch() gives m->config the caller's language for the call), else the
 * configured one. The journal keeps the configured one (manager_journal_language()). */
static inline const char *api_language(const Manager *m) {
        return m->config->language;
}
static inline bool api_language_en(const Manager *m) {
        return language_is_en(api_language(m));
}

/* Room left in a message for the envelope around the parameters ({"parameters":…} and the NUL). */
#define API_REPLY_ENVELOPE_MAX 64u

/* Sends params (taking it) as the call's reply: -ENOMEM for NULL (a reply that could not be built is
 * a failure, not an empty answer), Failed saying so for one longer than a message may be. */
int api_reply(Manager *m, VarlinkCall *call, json_t *params);
/* The errors several handlers answer, each built in one place: NotFound (what, id, message),
 * PermissionDenied (the call's method, id's access level, reason and message, each omitted when
 * NULL) and Failed (message). */
int api_error_not_found(VarlinkCall *call, const char *what, const char *id, const char *message);
int api_error_permission(VarlinkCall *call, const Identity *id, const char *reason, const char *message);
int api_error_failed(VarlinkCall *call, const char *message);
/* The clerk's words for a change that could not be saved (error: the store's negative errno). */
const char *api_failed_message(const Manager *m, int error);

/* The one answer of every refused call: the Varlink error r names (RuleViolation, CalendarUnknown,
 * NotFound, PermissionDenied for id, Failed, LeaveRefused, SwapRefused, HandoverRefused,
 * LogRefused) with its members; details (taken; may be NULL) holds what only the api can add
 * (LeaveRefused's "violations" and "leave"). -EINVAL for REFUSAL_NONE. */
int api_refuse(VarlinkCall *call, const Identity *id, const Refusal *r, json_t *details);
/* api_refuse() of a refusal made on the spot: kind, rule (or reason), day (DAY_NONE) and the
 * sentence in the call's language. */
int api_refuse_with(VarlinkCall *call, const Identity *id, RefusalKind kind, const char *rule, Day day,
                    const char *message);
/* api_refuse() of NotFound: what, the identifier given (ident) and the sentence. */
int api_refuse_not_found(VarlinkCall *call, const char *what, const char *ident, const char *message);

json_t *json_string_or_null(const char *s);

/* A key (a literal) and its value for json_object_build(). */
typedef struct JsonField {
        const char *key;
        json_t *value;
} JsonField;

/* The object of the fields in their order, up to the one with a NULL key, taking every value: NULL
 * when a value is NULL (json_string() of NULL is) or memory runs out, as json_pack() with "s:o" for
 * each. A reply of many members costs a third of json_pack()'s, which parses its format and copies
 * every key on every call. */
json_t *json_object_build(JsonField *fields);
#define JSON_OBJECT_BUILD(...) json_object_build((JsonField[]) { __VA_ARGS__, {} })
/* "YYYY-MM-DD", or null for DAY_NONE. */
json_t *day_to_json(Day d);
/* Points in time in replies, RFC 3339 with the office's offset (date.h's timestamp_format()): of a
 * wall-clock instant (microseconds since the epoch; null for 0) and of a local date and time of
 * the office (minutes 0..1440, 1440 being the next day's midnight). The *_format() forms return 0
 * or -EINVAL. */
int instant_format(uint64_t usec, char buf[static TIMESTAMP_STRING_MAX]);
json_t *instant_to_json(uint64_t usec);
int local_time_format(Day d, int minutes, char buf[static TIMESTAMP_STRING_MAX]);
json_t *local_time_to_json(Day d, int minutes);
/* A point in time given as RFC 3339 (any offset, or Z), as the office's local day and minute (the
 * seconds dropped). 0, or -EINVAL when s is not RFC 3339. */
int timestamp_to_local(const char *s, Day *ret_day, int *ret_minutes);
/* local_moment_parse() (YYYY-MM-DD, YYYY-MM-DDTHH:MM) that takes RFC 3339 too. */
int local_moment_or_timestamp_parse(const char *s, Day *ret_day, int *ret_minutes);
/* The Person type of the interface. */
json_t *person_to_json(const Person *p);

/* ---- api-json.c: parameters ----
 *
 * Each handler describes its parameters in a table (as sd_json_dispatch() does) and fills a struct of
 * its own from it with api_params_dispatch(), which answers InvalidParameter naming the first field
 * that is missing (required) or whose value the parser refuses. Checks that span fields (a range's
 * length) or answer another error stay in the handler. */

/* Stores the value of v at ret: 0, or a negative errno (-ENOMEM aside, the value is refused). */
typedef int (*ApiParamParser)(Manager *m, json_t *v, void *ret);

typedef struct ApiParam {
        const char *name;
        json_type type;             /* JSON_STRING, JSON_INTEGER; JSON_TRUE: a boolean */
        ApiParamParser parser;
        size_t offset;              /* of the field within the handler's struct */
        bool required;              /* absent or null is refused; else the field keeps its value */
} ApiParam;

/* Fills ret from params by table (ended by an entry without a name), in its order. 0; 1 when the
 * reply was sent (InvalidParameter naming the field); a negative errno. Handlers write
 * `if (r != 0) return r < 0 ? r : 0;`. */
int api_params_dispatch(Manager *m, VarlinkCall *call, json_t *params, const ApiParam *table, void *ret);
/* const char *: the string. */
int api_param_string(Manager *m, json_t *v, void *ret);
/* const char *: a string that is not empty. */
int api_param_nonempty(Manager *m, json_t *v, void *ret);
/* bool. */
int api_param_bool(Manager *m, json_t *v, void *ret);
/* int64_t: any integer. */
int api_param_int64(Manager *m, json_t *v, void *ret);
/* int64_t: a record number, > 0. */
int api_param_id(Manager *m, json_t *v, void *ret);
/* Day: YYYY-MM-DD. */
int api_param_day(Manager *m, json_t *v, void *ret);

/* One entry of a leave's or a swap's history (LeaveEvent, SwapEvent): at, action, actor,
 * actor_name, uid, and the note under note_key ("note", "reason"). */
json_t *api_event_to_json(const Config *c, uint64_t at_usec, const char *action, const char *actor, uid_t uid,
                          const char *note_key, const char *note);
