/* SPDX-License-Identifier: GPL-2.0-or-later */

/* What dutyctl's printers share: members of a reply as cells, people as "name (id)", durations. */

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dutyctl.h"
#include "util.h"

const char *json_str(json_t *object, const char *key) {
        const char *s = json_string_value(json_object_get(object, key));

        return isempty(s) ? "-" : s;
}

const char *json_moment(json_t *object, const char *key, MomentForm form, char buf[static MOMENT_STRING_MAX]) {
        return moment_text(json_str(object, key), form, buf);
}

const char *json_int_str(json_t *object, const char *key, char buf[static INT_STRING_MAX]) {
        json_t *v = json_object_get(object, key);

        if (!json_is_integer(v))
                return "-";
        snprintf(buf, INT_STRING_MAX, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return buf;
}

char *json_strv_join(json_t *array, const char *sep, const char *(*label)(const char *)) {
        size_t len = 0, i;
        json_t *v;
        char *s, *p;

        json_array_foreach(array, i, v)
                if (json_is_string(v))
                        len += strlen(label(json_string_value(v))) + strlen(sep);

        if (len == 0)
                return strdup("-");

        s = malloc(len + 1);
        if (!s)
                return NULL;

        p = s;
        json_array_foreach(array, i, v) {
                if (!json_is_string(v))
                        continue;
                if (p != s)
                        p = stpcpy(p, sep);
                p = stpcpy(p, label(json_string_value(v)));
        }
        *p = '\0';
        return s;
}

char *person_text(json_t *object, const char *id_key, const char *name_key) {
        const char *id = json_string_value(json_object_get(object, id_key));
        const char *name = json_string_value(json_object_get(object, name_key));
        char *s;

        if (!id)
                return strdup("-");
        if (asprintf(&s, _("%s (%s)"), name ?: id, id) < 0)
                return NULL;
        return s;
}

int table_add_person(Table *t, const char *key, json_t *object, const char *id_key, const char *name_key) {
        _cleanup_free_ char *who = person_text(object, id_key, name_key);

        if (!who)
                return -ENOMEM;
        return table_add_pair(t, key, "%s", who);
}

char *format_uptime(int64_t sec, char buf[static UPTIME_STRING_MAX]) {
        int64_t d, h, m, s;

        if (sec < 0) {
                snprintf(buf, UPTIME_STRING_MAX, "-");
                return buf;
        }

        d = sec / 86400;
        h = sec / 3600 % 24;
        m = sec / 60 % 60;
        s = sec % 60;

        /* TRANSLATORS: uptime: days, hours, minutes. */
        if (d > 0)
                snprintf(buf, UPTIME_STRING_MAX, _("%" PRId64 "d %" PRId64 "h %" PRId64 "min"), d, h, m);
        else if (h > 0)
                snprintf(buf, UPTIME_STRING_MAX, _("%" PRId64 "h %" PRId64 "min"), h, m);
        else if (m > 0)
                snprintf(buf, UPTIME_STRING_MAX, _("%" PRId64 "min %" PRId64 "s"), m, s);
        else
                snprintf(buf, UPTIME_STRING_MAX, _("%" PRId64 "s"), s);
        return buf;
}

int print_done(FILE *f, json_t *reply, void *userdata) {
        fputs(_("Done.\n"), f);
        return 0;
}
