/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The vocabulary: every enum of the core whose values have words on the wire, in the configuration
 * or in the database, with those words (vocabulary.c, one table each, turned into foo_to_string() and
 * foo_from_string() by string-table.h).
 *
 * The bottom of the core: it includes nothing of dutyd's but util.h, so that the modules that use the
 * enums and the programs that only need the words (dutyctl parsing its options) all stand on it, and
 * linking the words links nothing else. Conversions that accept aliases or translate
 * (leave_half_from_string(), the *_to_zh() ones, the messages) stay in their modules. */

#include <errno.h>

#include "util.h"

/* ---- the configuration (config.h) ---- */

typedef enum Role {
        ROLE_LEADER,
        ROLE_OFFICER,
        ROLE_APPROVER,
        ROLE_ADMIN,
        ROLE_INSPECTOR,     /* records spot checks (查岗) of the duty room */
        _ROLE_MAX,
        _ROLE_INVALID = -EINVAL,
} Role;

const char *role_to_string(Role r);
Role role_from_string(const char *s);

/* Day types of the post-count table. Calendar-derived types (see calendar.h) map onto these. */
typedef enum PostDayType {
        POST_DAY_WORKDAY,
        POST_DAY_WEEKEND,
        POST_DAY_HOLIDAY,
        POST_DAY_SENSITIVE, /* used for any day inside a sensitive period, if larger */
        _POST_DAY_MAX,
        _POST_DAY_INVALID = -EINVAL,
} PostDayType;

const char *post_day_type_to_string(PostDayType t);

/* ---- the calendar (calendar.h) ---- */

typedef enum DayType {
        DAY_TYPE_WORKDAY,
        DAY_TYPE_WEEKEND,
        DAY_TYPE_HOLIDAY,          /* day off by the notice (or a configured local holiday) */
        DAY_TYPE_MAKEUP_WORKDAY,   /* a weekend day that is worked (调休上班) */
        DAY_TYPE_UNKNOWN,          /* the year's notice is not known */
        _DAY_TYPE_MAX,
        _DAY_TYPE_INVALID = -EINVAL,
} DayType;

const char *day_type_to_string(DayType t);   /* "workday", "weekend", "holiday", "makeup_workday", "unknown" */
DayType day_type_from_string(const char *s);

typedef enum LeavePolicy {
        LEAVE_POLICY_NORMAL,
        LEAVE_POLICY_FREEZE,    /* no leave for leaders */
        LEAVE_POLICY_ESCALATE,  /* needs the next approver up */
        _LEAVE_POLICY_MAX,
        _LEAVE_POLICY_INVALID = -EINVAL,
} LeavePolicy;

const char *leave_policy_to_string(LeavePolicy p);
LeavePolicy leave_policy_from_string(const char *s);

/* ---- leave (leave.h) ---- */

typedef enum LeaveKind {
        LEAVE_KIND_PERSONAL,      /* 事假 */
        LEAVE_KIND_OFFICIAL,      /* 公假 */
        LEAVE_KIND_SICK,          /* 病假 */
        LEAVE_KIND_BUSINESS_TRIP, /* 出差 */
        LEAVE_KIND_ANNUAL,        /* 年休假 */
        LEAVE_KIND_OTHER,         /* 其他 */
        _LEAVE_KIND_MAX,
        _LEAVE_KIND_INVALID = -EINVAL,
} LeaveKind;

/* "personal", "official", "sick", "business_trip", "annual", "other". */
const char *leave_kind_to_string(LeaveKind k);
LeaveKind leave_kind_from_string(const char *s);

typedef enum LeaveState {
        LEAVE_STATE_PENDING,
        LEAVE_STATE_APPROVED,
        LEAVE_STATE_REJECTED,
        LEAVE_STATE_CANCELLED,
        LEAVE_STATE_STARTED,
        LEAVE_STATE_RETURNED,
        LEAVE_STATE_OVERDUE,      /* derived only, never stored */
        _LEAVE_STATE_MAX,
        _LEAVE_STATE_INVALID = -EINVAL,
} LeaveState;

/* "pending", "approved", "rejected", "cancelled", "started", "returned", "overdue". */
const char *leave_state_to_string(LeaveState s);
LeaveState leave_state_from_string(const char *s);

/* ---- the roster (roster.h) ---- */

typedef enum RosterEmptyReason {
        ROSTER_EMPTY_NONE,            /* the slot is filled (or was left empty on purpose and locked) */
        ROSTER_EMPTY_NO_ELIGIBLE,     /* nobody with the post's role is active on the day */
        ROSTER_EMPTY_ALL_ON_LEAVE,
        ROSTER_EMPTY_ALL_UNAVAILABLE,
        ROSTER_EMPTY_ALL_BUSY,        /* everybody eligible already holds another post that day */
        ROSTER_EMPTY_ALL_RESTING,     /* everybody eligible is too close to another duty */
        ROSTER_EMPTY_MIXED,           /* everybody eligible is blocked, not all for the same reason */
        ROSTER_EMPTY_TOO_FEW_ELIGIBLE, /* the post's count exceeds what the eligible people can cover
                                        * under the rest rule (roster_feasibility()) */
        _ROSTER_EMPTY_MAX,
        _ROSTER_EMPTY_INVALID = -EINVAL,
} RosterEmptyReason;

/* "none", "no_eligible", "all_on_leave", "all_unavailable", "all_busy", "all_resting", "mixed",
 * "too_few_eligible". */
const char *roster_empty_reason_to_string(RosterEmptyReason r);
RosterEmptyReason roster_empty_reason_from_string(const char *s);

typedef enum RosterAbsenceKind {
        ROSTER_ABSENCE_LEAVE,        /* approved leave */
        ROSTER_ABSENCE_UNAVAILABLE,  /* declared unavailability */
        _ROSTER_ABSENCE_MAX,
        _ROSTER_ABSENCE_INVALID = -EINVAL,
} RosterAbsenceKind;

const char *roster_absence_kind_to_string(RosterAbsenceKind k);

/* Categories duties are shared out in. A special day (calendar_special_day()) is a holiday for
 * fairness: it counts in FAIR_HOLIDAY with its weight, whatever the calendar's type of the day, so
 * whoever takes 除夕 takes fewer of the other holiday days. FAIR_SPECIAL is a column of the
 * statistics only (the special days among the holidays); the generator never balances it, it
 * rotates special days instead. A make-up workday is a workday. */
typedef enum FairnessCategory {
        FAIR_WORKDAY,
        FAIR_WEEKEND,
        FAIR_HOLIDAY,
        FAIR_SPECIAL,
        _FAIR_MAX,
        _FAIR_INVALID = -EINVAL,
} FairnessCategory;

/* "workday", "weekend", "holiday", "special". */
const char *fairness_category_to_string(FairnessCategory c);
FairnessCategory fairness_category_from_string(const char *s);

typedef enum RosterViolationKind {
        ROSTER_VIOLATION_OUT_OF_RANGE,   /* the slot's day is outside from … to */
        ROSTER_VIOLATION_UNKNOWN_POST,
        ROSTER_VIOLATION_DUPLICATE_SLOT, /* the same (day, post, slot) twice */
        ROSTER_VIOLATION_UNKNOWN_PERSON,
        ROSTER_VIOLATION_NOT_ELIGIBLE,   /* lacks the post's role */
        ROSTER_VIOLATION_INACTIVE,
        ROSTER_VIOLATION_ON_LEAVE,
        ROSTER_VIOLATION_UNAVAILABLE,
        ROSTER_VIOLATION_SAME_DAY,       /* a second post on one duty day */
        ROSTER_VIOLATION_REST,           /* too close to another duty (other_day) */
        ROSTER_VIOLATION_LOCKED,         /* a locked assignment was changed or dropped */
        _ROSTER_VIOLATION_MAX,
        _ROSTER_VIOLATION_INVALID = -EINVAL,
} RosterViolationKind;

const char *roster_violation_kind_to_string(RosterViolationKind k);
RosterViolationKind roster_violation_kind_from_string(const char *s);

/* ---- the leave rules (rules.h) ---- */

typedef enum RulesSeverity {
        RULES_SEVERITY_BLOCK,      /* the leave may not be approved as it is */
        RULES_SEVERITY_ESCALATE,   /* a higher approver decides: see RulesViolation.approver */
        RULES_SEVERITY_WARNING,    /* allowed, with a note */
        _RULES_SEVERITY_MAX,
        _RULES_SEVERITY_INVALID = -EINVAL,
} RulesSeverity;

/* "block", "escalate", "warning". */
const char *rules_severity_to_string(RulesSeverity s);
RulesSeverity rules_severity_from_string(const char *s);

/* ---- gaps (gaps.h) ---- */

typedef enum GapKind {
        GAP_UNFILLED,
        GAP_LEAVE_CONFLICT,
        GAP_INELIGIBLE,
        GAP_RULE,
        GAP_ROSTER_MISSING,
        GAP_HOLIDAY_UNPUBLISHED,
        GAP_CALENDAR_UNKNOWN,
        GAP_LEAVE_OVERDUE,
        GAP_PAPERWORK_OVERDUE,
        GAP_SWAP_PENDING,
        GAP_ACTING_UNCOVERED,
        GAP_TAKEOVER_MISSING,
        GAP_REPORT_OVERDUE,
        GAP_DAILY_REPORT_MISSING,
        GAP_PRESENCE_MISSED,
        _GAP_KIND_MAX,
        _GAP_KIND_INVALID = -EINVAL,
} GapKind;

/* "unfilled", "leave_conflict", "ineligible", "rule", "roster_missing", "holiday_unpublished",
 * "calendar_unknown", "leave_overdue", "paperwork_overdue", "swap_pending", "acting_uncovered",
 * "takeover_missing", "report_overdue", "daily_report_missing", "presence_missed": the id's prefix. */
const char *gap_kind_to_string(GapKind k);
GapKind gap_kind_from_string(const char *s);

/* Ordered: a larger value is more urgent. The values are kept in the store (alert_state.urgency):
 * never reorder them. */
typedef enum GapUrgency {
        GAP_URGENCY_NOTICE,     /* the duty starts in more than 7 days (or no duty is at stake) */
        GAP_URGENCY_WARNING,    /* within 7 days */
        GAP_URGENCY_ERR,        /* within 1 day */
        GAP_URGENCY_CRIT,       /* within 1 hour, today, or already running */
        _GAP_URGENCY_MAX,
        _GAP_URGENCY_INVALID = -EINVAL,
} GapUrgency;

/* "notice", "warning", "err", "crit" (the syslog level names). */
const char *gap_urgency_to_string(GapUrgency u);
GapUrgency gap_urgency_from_string(const char *s);

/* Why an assignee is not eligible any more. */
typedef enum GapIneligible {
        GAP_INELIGIBLE_UNKNOWN_PERSON,  /* no longer in the configuration */
        GAP_INELIGIBLE_INACTIVE,        /* outside the person's active_from … active_until */
        GAP_INELIGIBLE_ROLE,            /* lacks the post's role */
        _GAP_INELIGIBLE_MAX,
        _GAP_INELIGIBLE_INVALID = -EINVAL,
} GapIneligible;

const char *gap_ineligible_to_string(GapIneligible i);

/* ---- handover (handover.h) ---- */

typedef enum HandoverAction {
        HANDOVER_TAKE,          /* 接班: the incoming person takes over the post */
        HANDOVER_GIVE,          /* 交班: the outgoing person hands it over */
        _HANDOVER_ACTION_MAX,
        _HANDOVER_ACTION_INVALID = -EINVAL,
} HandoverAction;

/* "take", "give". The values are kept in the store (handover.action). */
const char *handover_action_to_string(HandoverAction a);
HandoverAction handover_action_from_string(const char *s);

/* ---- swaps (swap.h) ---- */

typedef enum SwapKind {
        SWAP_KIND_SWAP,         /* 换班: the two exchange duties */
        SWAP_KIND_COVER,        /* 代班: the counterpart takes the requester's duty */
        _SWAP_KIND_MAX,
        _SWAP_KIND_INVALID = -EINVAL,
} SwapKind;

/* "swap", "cover". */
const char *swap_kind_to_string(SwapKind k);
SwapKind swap_kind_from_string(const char *s);

typedef enum SwapState {
        SWAP_STATE_PROPOSED,
        SWAP_STATE_ACCEPTED,
        SWAP_STATE_APPROVED,
        SWAP_STATE_APPLIED,
        SWAP_STATE_DECLINED,
        SWAP_STATE_CANCELLED,
        SWAP_STATE_EXPIRED,
        _SWAP_STATE_MAX,
        _SWAP_STATE_INVALID = -EINVAL,
} SwapState;

/* "proposed", "accepted", "approved", "applied", "declined", "cancelled", "expired". */
const char *swap_state_to_string(SwapState s);
SwapState swap_state_from_string(const char *s);

typedef enum SwapAction {
        SWAP_ACTION_REQUEST,    /* created, proposed */
        SWAP_ACTION_ACCEPT,
        SWAP_ACTION_DECLINE,
        SWAP_ACTION_APPROVE,
        SWAP_ACTION_APPLY,
        SWAP_ACTION_CANCEL,
        SWAP_ACTION_EXPIRE,
        SWAP_ACTION_REFUSE,     /* not a transition: an approval refused by the re-check, for the audit */
        _SWAP_ACTION_MAX,
        _SWAP_ACTION_INVALID = -EINVAL,
} SwapAction;

/* As the audit records them: "requested", "accepted", "declined", "approved", "applied",
 * "cancelled", "expired", "refused". */
const char *swap_action_to_string(SwapAction a);
SwapAction swap_action_from_string(const char *s);

/* ---- spot checks (check.h) ---- */

typedef enum CheckTarget {
        CHECK_TARGET_ROOM,      /* the duty room's telephone, whoever answers */
        CHECK_TARGET_OFFICER,   /* the officer on duty */
        CHECK_TARGET_LEADER,    /* the leader on call */
        _CHECK_TARGET_MAX,
        _CHECK_TARGET_INVALID = -EINVAL,
} CheckTarget;

const char *check_target_to_string(CheckTarget t);   /* "room", "officer", "leader" */
CheckTarget check_target_from_string(const char *s);

typedef enum CheckHow {
        CHECK_HOW_PHONE,
        CHECK_HOW_VIDEO,
        CHECK_HOW_VISIT,        /* in person, at the duty room */
        _CHECK_HOW_MAX,
        _CHECK_HOW_INVALID = -EINVAL,
} CheckHow;

const char *check_how_to_string(CheckHow h);         /* "phone", "video", "visit" */
CheckHow check_how_from_string(const char *s);

typedef enum PresenceState {
        PRESENCE_STATE_PENDING,         /* asked, waiting for `dutyctl ack` */
        PRESENCE_STATE_ACKNOWLEDGED,    /* confirmed in time */
        PRESENCE_STATE_MISSED,          /* not confirmed within the time given */
        _PRESENCE_STATE_MAX,
        _PRESENCE_STATE_INVALID = -EINVAL,
} PresenceState;

const char *presence_state_to_string(PresenceState s);  /* "pending", "acknowledged", "missed" */
PresenceState presence_state_from_string(const char *s);
