/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The calendar feeds: dutyd.conf's `feeds = { dir = …; }` gets one iCalendar file per person (their
 * own duties, with the colleagues of each) and one for the whole office, for an intranet web server
 * to serve to Outlook, WPS or phone calendars by subscription. The days are the published ones
 * from feeds.days_back days before today to the last published day ahead (ics.h renders them).
 *
 * Written off the request path: api.c calls feed_schedule() after a committed change, and the run
 * happens on a later turn of the loop, after the reply is out: at once, or FEED_SPACING_USEC after
 * the end of the last run, so that a stream of changes makes one run per spacing, not one each. Also at start-up, on reload and hourly (the window moves with the date, and a failed write
 * is tried again). Off the event loop too: a run reads the roster on the loop, and a worker thread
 * renders, writes, fsync()s and renames, telling the loop through an eventfd when it is done;
 * changes made meanwhile are one more run after it (one job at a time, one more pending). Each file is replaced atomically (ics_file_write_atomic()) and only when its
 * content changed, so an unchanged roster costs a rendering and no write. A failed write is one
 * journal warning (FEED_MESSAGE_ID_FAILED) until a run succeeds again. */

#include <stdbool.h>

#define FEED_MESSAGE_ID_FAILED "8d1886402ee54301a0e8f4dd66bcdb22"

/* The office's feed is "office.ics", a person's "person-ID.ics" (with a token: "office-TOKEN.ics",
 * "person-ID-TOKEN.ics"): the prefix keeps a person called "office" apart. */
#define FEED_OFFICE_NAME "office"
#define FEED_PERSON_PREFIX "person-"
/* Hex digits of a file name's token: 80 bits, not to be guessed by trying. */
#define FEED_TOKEN_LEN 20

typedef struct Manager Manager;
typedef struct Feed Feed;

int feed_new(Manager *m, Feed **ret);
Feed *feed_free(Feed *f);

/* A run on the loop's next turn (coalesced with one already due). */
int feed_schedule(Feed *f);
/* Writes every feed now: 0, or the first error (said once in the journal). */
int feed_run(Feed *f);

/* The file name (no directory) of person's feed (NULL: the office's), with the token of secret
 * when set: TOKEN is the first FEED_TOKEN_LEN hex digits of SHA-256 of "SECRET\nNAME" (NAME the
 * name without token and ".ics", e.g. "person-zhang"), so that an administrator can compute it:
 * printf '%s\n%s' "$secret" person-zhang | sha256sum | cut -c1-20. NULL on ENOMEM. */
char *feed_file_name(const char *secret, const char *person);
