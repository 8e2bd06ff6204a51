/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The office configuration, parsed and validated into an immutable Config.
 *
 * The model only: config.c holds no parser and links without libconfig; config-parse.c (the only
 * file that includes libconfig.h) reads the files. A Config is never modified after config_load()
 * returns it; a reload builds a new one and swaps it in whole. */

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "calendar.h"
#include "date.h"
#include "dutylog.h"
#include "notify.h"
#include "util.h"
#include "vocabulary.h"

#define ROLE_BIT(r) (1u << (r))

typedef struct Person {
        char *id;        /* short stable identifier, [a-z0-9_-]+ */
        char *name;      /* display name, UTF-8 */
        char *user;      /* unix user name, or NULL */
        uid_t uid;       /* valid iff has_uid */
        bool has_uid;
        char *phone;     /* may be NULL */
        char *title;     /* may be NULL */
        unsigned roles;  /* ROLE_BIT() mask */
        char **notify;   /* NotifyChannel.name list the person is told through; NULL: notify.default_channels */
        char *email;     /* may be NULL; given to the channels (command hooks) */
        char *language;  /* "zh", "en" or NULL: the office's */
        char *notify_mention; /* group robots: the person's user id there (企业微信 mentioned_list,
                               * 钉钉 at.atUserIds), besides the phone; may be NULL */
        Day active_from; /* DAY_NONE: no bound */
        Day active_until;
        int line;        /* where it was defined, for messages */
} Person;

typedef struct Group {
        char *id;
        char *name;       /* may be NULL */
        size_t *members;  /* indexes into Config.people */
        size_t n_members;
        int line;
} Group;

typedef struct Post {
        char *id;
        char *name;                  /* display name, e.g. 带班领导 */
        Role role;                   /* eligible role */
        char *group;                 /* Group.id the holder must also belong to (值班科长), or NULL */
        unsigned count[_POST_DAY_MAX];
        int line;
} Post;

/* The `leave = { … }` section (rules.h documents it and evaluates it). */
typedef struct LeaveTier {
        unsigned max_days;      /* 0: no upper bound */
        char *approver;         /* Person.id, or NULL: the person's own approver */
} LeaveTier;

typedef struct ApproverRule {
        char *who;              /* Person.id, Group.id or role name */
        char *approver;         /* Person.id, or NULL when reports_to ends the chain */
        char *stand_in;         /* Person.id approving while the approver is away, or NULL */
        char *reports_to;       /* the chain ends here: nobody in the office approves; the leave is
                                 * reported to this body outside it (e.g. 市委), recorded by an admin */
} ApproverRule;

typedef struct LeaveRules {
        char **never_together_groups;   /* Group.id */
        size_t n_never_together_groups;
        unsigned min_leaders_present;   /* 0: no minimum */
        unsigned notice_working_days;   /* 0: no notice needed */
        unsigned notice_min_days;       /* only leave longer than this many days needs notice */
        unsigned urgent_paperwork_days;
        LeaveTier *tiers;
        size_t n_tiers;
        ApproverRule *approvers;
        size_t n_approvers;
        char **require_acting_groups;   /* Group.id */
        size_t n_require_acting_groups;
        char **acting_groups;           /* Group.id of who may act for a principal; none: any leader */
        size_t n_acting_groups;
} LeaveRules;

#define RULES_NOTICE_WORKING_DAYS_DEFAULT 3
#define RULES_NOTICE_MIN_DAYS_DEFAULT 1
#define RULES_URGENT_PAPERWORK_DAYS_DEFAULT 2

/* Empty lists and the defaults above. */
void leave_rules_init(LeaveRules *r);
/* Frees everything the rules own and leaves them zeroed. Accepts NULL. */
void leave_rules_done(LeaveRules *r);

/* The `roster = { … }` section. */
typedef struct RosterSettings {
        unsigned min_rest_days;          /* free days between two duties of one person; default 1 */
        unsigned publish_days_before;    /* holiday roster published this many days before the first day off; default 2 */
        unsigned horizon_days;           /* the roster must exist this many days ahead (gap monitor); default 30 */
} RosterSettings;

/* The `swap = { … }` section. */
typedef struct SwapSettings {
        unsigned lead_days;              /* a swap is approved at least this many days before the duty; default 1 */
        bool leader_approves;            /* the leader on call of the duty day approves (else only admins); default true */
} SwapSettings;

/* The `presence = { … }` section: presence checks dutyd makes by itself (在岗抽查). In each window
 * of each duty day, at a moment drawn from the database's secret seed (check.c), the people on
 * duty are asked to confirm with `dutyctl ack` within answer_minutes. No window: no checks. */
#define CONFIG_PRESENCE_WINDOWS_MAX 4
#define CONFIG_PRESENCE_ANSWER_MINUTES_DEFAULT 10

typedef struct PresenceWindow {
        int from_minutes;                /* local "HH:MM", inclusive */
        int to_minutes;                  /* exclusive; may be past midnight, not past the handover */
} PresenceWindow;

typedef struct PresenceSettings {
        PresenceWindow windows[CONFIG_PRESENCE_WINDOWS_MAX];
        size_t n_windows;
        unsigned answer_minutes;         /* default 10 */
} PresenceSettings;
/* A channel of the `notify = { channels = ( … ) }` section. */
typedef struct NotifyChannel {
        char *name;                  /* how people entries name it */
        NotifyChannelType type;
        char *url;                   /* webhook: http:// or https:// */
        NotifyTemplate template;     /* webhook: the body's form */
        char *command;               /* command: absolute path of the program, run without a shell */
        char *from;                  /* smtp: the From address (and MAIL FROM) */
        char *username;              /* smtp: may be NULL (no login) */
        char *password;              /* smtp: read from password_file at load; may be NULL */
        bool starttls;               /* smtp: smtp:// upgraded with STARTTLS, required */
        char *ca_file;               /* webhook, smtp: the CA certificates (PEM) that TLS servers are
                                      * checked against instead of the system's; may be NULL */
        unsigned timeout_sec;        /* a transfer or the program is stopped after this long */
        int line;
} NotifyChannel;

/* The `notify = { … }` section: no channel, no notification (the outbox stays empty). */
typedef struct NotifySettings {
        NotifyChannel *channels;
        size_t n_channels;
        char **default_channels;     /* for people without their own `notify`; NULL: every channel */
        int reminder_minutes;        /* duty_tomorrow is sent at this time the day before; default 16:00 */
        unsigned max_attempts;       /* then the notification is failed; default 8 */
        unsigned max_in_flight;      /* deliveries at once; default 8 */
        unsigned soon_minutes;       /* duty_soon is sent this long before a duty begins; 0: never; default 60 */
        /* notify.summary: the clerk's summary of the duty room, at summary_minutes every day
         * (summary_weekday 0) or on one ISO weekday (1 = Monday … 7) for the week ahead. */
        bool alerts;                 /* gap_alert, takeover_missed, report_missed are sent (notify.alerts
                                      * "on", the default; "off": the journal only) */
        int summary_minutes;         /* -1: no summary */
        int summary_weekday;         /* 0: daily */
        char **summary_to;           /* Person.ids; NULL: the admins */
} NotifySettings;

#define NOTIFY_CHANNELS_MAX 32
#define NOTIFY_IN_FLIGHT_DEFAULT 8
#define NOTIFY_IN_FLIGHT_MAX 64

/* The `duty_log = { … }` section: an emergency's report deadlines (信息报送) and the daily report
 * (零报告). */
typedef struct DutyLogSettings {
        /* Per DutyLogReport: due this many minutes after the event (phone_report_minutes,
         * written_report_minutes), and for a follow-up after the written report or the last
         * follow-up (followup_report_minutes, 0: none); default dutylog_report_minutes_default(). */
        unsigned report_minutes[_DUTYLOG_REPORT_MAX];
        DutyLogDaily daily_report;       /* on which days one is due; default DUTYLOG_DAILY_HOLIDAYS */
        int daily_report_minutes;        /* due by this time of the duty day, minutes since midnight; default 15:00 */
} DutyLogSettings;

/* What the office's documents say besides the roster: the top-level `office_phone` and the
 * `print = { … }` and `ics = { … }` sections. Only dutyctl's exports use them (through
 * RosterShow's reply); all may be NULL/0. */
typedef struct DocumentSettings {
        char *office_phone;              /* the duty room's phone (值班室电话) */
        char *requirements;              /* print.requirements: 值班要求, lines separated by "\n" */
        char *prepared_by;               /* print.prepared_by: 制表人 */
        char *reviewed_by;               /* print.reviewed_by: 审核人 */
        char *ics_organizer;             /* ics.organizer: a mailto: URI, or an address made one */
        unsigned ics_reminder_minutes;   /* ics.reminder_minutes: VALARM before a duty; 0: none */
} DocumentSettings;

/* The `feeds = { … }` section: the calendar feeds (feed.h) dutyd keeps in a directory for an
 * intranet web server to serve. No dir: no feeds. */
typedef struct FeedSettings {
        char *dir;                       /* feeds.dir: absolute; NULL: feeds are off */
        char *token_secret;              /* feeds.token_secret: NULL: files named by person id alone */
        unsigned days_back;              /* feeds.days_back: past days kept; default CONFIG_FEED_DAYS_BACK_DEFAULT */
        bool hide_phones;                /* feeds.phones = "hidden": no phone number in any feed */
} FeedSettings;

#define CONFIG_FEED_DAYS_BACK_DEFAULT 30
#define CONFIG_FEED_DAYS_BACK_MAX 366

/* The `aggregator = { … }` section: this dutyd is also the superior duty office (总值班室) reading
 * the report entries its offices' journals send up (journal-remote's files in journal_dir). */
/* The longest office id (a DNS label: it is also the CN of the office's client certificate). */
#define CONFIG_OFFICE_ID_MAX 63
#define CONFIG_AGGREGATOR_OFFICES_MAX 2500  /* OfficesList answers them in one message */
/* Where dutyd-remote@<office id>.service (packaging/superior) writes each office's file. Never the
 * stock journal-remote's /var/log/journal/remote: there files are named after what the network
 * says (an address, a DN, a host name), not after an enrolled office. */
#define CONFIG_AGGREGATOR_JOURNAL_DIR "/var/log/journal/dutyd-remote"
/* Where an office's enrolment is seen: dutyd-superior-enroll runs `systemctl enable
 * dutyd-remote@<office id>.socket`, which leaves the link "dutyd-remote@<office id>.socket" here. The
 * directory is world-readable, so dutyd needs no privilege to read it, and the link lasts as long as
 * the enrolment (`systemctl disable` of a withdrawn office removes it); the socket in /run exists
 * only while the unit runs. */
#define CONFIG_AGGREGATOR_ENROLLED_DIR "/etc/systemd/system/sockets.target.wants"

typedef struct AggregatorOffice {
        char *id;        /* office_id of the office's dutyd and CN of its certificate: [a-z0-9-]{1,63} */
        char *name;      /* may be NULL */
        char *phone;     /* may be NULL */
        /* Where its reminders (催办) go through the notify channels: a mail address for the smtp
         * channels and the NotifyChannel.name list it is told through (NULL: notify.default_channels).
         * An office with neither is never reminded. */
        char *email;
        char **notify;
        int line;
} AggregatorOffice;

/* Longest remind_before: a notice's deadline is announced days ahead, not months. */
#define CONFIG_REMIND_BEFORE_HOURS_MAX (14 * 24)

typedef struct AggregatorSettings {
        char *journal_dir;               /* NULL: not an aggregator; CONFIG_AGGREGATOR_JOURNAL_DIR if not set */
        char *enrolled_dir;              /* CONFIG_AGGREGATOR_ENROLLED_DIR if not set; NULL (set to ""): not
                                          * checked, every office is taken as enrolled */
        AggregatorOffice *offices;       /* sorted by id */
        size_t n_offices;
        unsigned remind_before_hours;    /* offices without their roster reminded this long before the
                                          * deadline too; 0: at the deadline only */
} AggregatorSettings;

/* What the office reports to its superior duty office (report.h), from the `superior = { … }`
 * section. Reports are written only when Config.office_id is set. */
typedef struct SuperiorSettings {
        char **report_groups;      /* Group.id: their members' out-of-town leave is reported */
        size_t n_report_groups;
        bool holiday_rosters;      /* a published roster covering a holiday is reported; default on */
} SuperiorSettings;

/* Whether s is a valid office id: 1 to CONFIG_OFFICE_ID_MAX of a-z, 0-9 and "-", neither first nor
 * last "-" (what a certificate's CN and journal-remote's file name carry unchanged). */
bool office_id_is_valid(const char *s);

/* One person of Config.people by id. */
typedef struct ConfigPersonRef {
        const char *id;
        size_t index;
} ConfigPersonRef;

/* One problem found in a config file. */
typedef struct ConfigError {
        char *file;
        int line;       /* 0 if unknown */
        char *setting;  /* path of the setting, e.g. "people.[3].roles", may be NULL */
        char *message;
        bool warning;   /* the file loads, but probably does not say what was meant */
} ConfigError;

typedef struct ConfigErrors {
        ConfigError *items;
        size_t n;
} ConfigErrors;

typedef struct Config {
        char *path;           /* the file it was read from */
        char *office;         /* office name, may be NULL */
        char *office_id;      /* the office's id at its superior (a-z, 0-9, "-"), or NULL: no reports */
        char *timezone;       /* default "Asia/Shanghai" */
        int handover_minutes; /* default 08:30 */
        unsigned takeover_minutes; /* a post not taken over this long after the handover is a gap
                                    * (handover.h); 0: HANDOVER_TAKEOVER_MINUTES_DEFAULT */
        char *socket_group;   /* may be NULL */
        char *socket_path;    /* may be NULL: command line or default */
        char *state_dir;      /* may be NULL: command line or default */
        char *language;       /* "zh" or "en", default "zh" */

        Person *people;
        size_t n_people;
        ConfigPersonRef *people_by_id;  /* sorted by id, for config_person_index(); NULL: search */
        size_t n_people_by_id;
        Group *groups;
        size_t n_groups;
        Post *posts;
        size_t n_posts;

        /* Calendar data: the notices read from holidays_dir (every *.conf file in it, sorted by
         * name), plus local holidays, special days and sensitive periods from the main file.
         * holiday_days is sorted by day, no duplicates (a conflict between files is an error). */
        char *holidays_dir;   /* resolved path; default "holidays" next to the config file */
        HolidayNotice *notices;
        size_t n_notices;
        HolidayDay *holiday_days;
        size_t n_holiday_days;
        SpecialDay *special_days;
        size_t n_special_days;
        SensitivePeriod *sensitive;
        size_t n_sensitive;

        ConfigErrors warnings;  /* found while loading; config_warnings() adds those of the day */

        RosterSettings roster;
        SwapSettings swap;
        DutyLogSettings duty_log;
        LeaveRules leave;
        DocumentSettings documents;
        PresenceSettings presence;
        FeedSettings feeds;
        AggregatorSettings aggregator;
        SuperiorSettings superior;
        NotifySettings notify;
} Config;

const NotifyChannel *config_find_notify_channel(const Config *c, const char *name);
/* The channels person p (may be NULL) is told through now: their own `notify`, else
 * notify.default_channels, else every channel; at most NOTIFY_CHANNELS_MAX into ret. Returns how
 * many. */
size_t config_notify_channels(const Config *c, const Person *p, const NotifyChannel **ret);

/* A Calendar view over the configuration's calendar data. */
Calendar config_calendar(const Config *c);

void config_errors_done(ConfigErrors *e);
/* "file:line: setting: message" per error ("file:line: warning: setting: message" per warning), one
 * per line, into a newly allocated string. */
char *config_errors_format(const ConfigErrors *e);

/* Appends an error (a warning if warning) taking file and message, which may be NULL only when out of
 * memory; setting is copied. Returns 0 or -ENOMEM (having freed file and message). */
int config_errors_add(ConfigErrors *e, char *file, int line, const char *setting, char *message, bool warning);

/* Reading a Config from a file: config-parse.h. */
Config *config_free(Config *c);
DEFINE_POINTER_CLEANUP(Config, config_free)

/* (Re)builds Config.people_by_id; config_load() does it. A Config put together by hand may call it
 * after filling people (lookups search the array one by one until then). */
int config_index_people(Config *c);
/* The index of person `id` in Config.people, or -1: O(log n). */
ssize_t config_person_index(const Config *c, const char *id);
const Person *config_find_person(const Config *c, const char *id);
/* The person's name for people to read, else the id itself (also for an id the office no longer
 * has, and NULL for NULL). */
const char *config_person_name(const Config *c, const char *id);
const Person *config_find_person_by_uid(const Config *c, uid_t uid);
const Person *config_find_person_by_user(const Config *c, const char *user);
const Group *config_find_group(const Config *c, const char *id);
/* The office of aggregator.offices with id, or NULL: O(log n). */
const AggregatorOffice *config_find_office(const Config *c, const char *id);
/* Whether person id belongs to one of the groups whose out-of-town leave is reported. */
bool config_person_reportable(const Config *c, const char *person);
const Post *config_find_post(const Config *c, const char *id);
/* Whether person may hold post: the post's role and, if it names one, membership of its group.
 * Activity on a day is person_is_active()'s business. */
bool config_person_may_hold(const Config *c, const Post *post, const Person *person);
/* A copy of the warnings of c (people without roles, …) and, if today is not DAY_NONE, one if
 * today's year has no holiday notice and, from 1 November (when the State Council publishes it),
 * one if the next year has none. Returns 0 or -ENOMEM. */
int config_warnings(const Config *c, Day today, ConfigErrors *ret);
static inline bool person_has_role(const Person *p, Role r) {
        return p && (p->roles & ROLE_BIT(r));
}
/* Active on duty day d (inclusive bounds). */
bool person_is_active(const Person *p, Day d);
