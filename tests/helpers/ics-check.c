/* SPDX-License-Identifier: GPL-2.0-or-later */

/* ics-check FILE: reads an iCalendar file with libical's parser and runs libical's restriction
 * check (RFC 5546's rules for the calendar's METHOD) over it. Prints every X-LIC-ERROR the parser
 * or the check left, and exits 1 if there is any, 2 if the file cannot be read or parsed at all;
 * 0 when libical accepts the file as a whole. */

#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>

static unsigned report_errors(icalcomponent *c) {
        unsigned n = 0;

        for (icalproperty *p = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY); p;
             p = icalcomponent_get_next_property(c, ICAL_XLICERROR_PROPERTY)) {
                printf("%s: %s\n", icalcomponent_kind_to_string(icalcomponent_isa(c)),
                       icalproperty_get_xlicerror(p));
                n++;
        }
        for (icalcomponent *s = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT); s;
             s = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT))
                n += report_errors(s);
        return n;
}

int main(int argc, char *argv[]) {
        char *text = NULL;
        size_t size = 0;
        icalcomponent *cal;
        unsigned errors;
        FILE *f;
        int ok;

        if (argc != 2) {
                fprintf(stderr, "usage: ics-check FILE\n");
                return 2;
        }
        f = fopen(argv[1], "re");
        if (!f) {
                perror(argv[1]);
                return 2;
        }
        if (getdelim(&text, &size, '\0', f) < 0) {
                fprintf(stderr, "%s: cannot read\n", argv[1]);
                fclose(f);
                return 2;
        }
        fclose(f);

        cal = icalparser_parse_string(text);
        free(text);
        if (!cal || icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT) {
                fprintf(stderr, "%s: not an iCalendar VCALENDAR\n", argv[1]);
                if (cal)
                        icalcomponent_free(cal);
                return 2;
        }

        ok = icalrestriction_check(cal);
        errors = report_errors(cal);
        printf("%u events, restriction check %s, %u errors\n",
               (unsigned) icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT),
               ok ? "passed" : "failed", errors);
        icalcomponent_free(cal);
        return ok && errors == 0 ? 0 : 1;
}
