/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The words of dutyd's enums, as they appear on the wire, in the configuration and in the database:
 * every plain enum ↔ string table of the core in one place, each turned into foo_to_string() and
 * foo_from_string() by string-table.h; vocabulary.h declares the enums and the functions.
 *
 * This file defines data and lookups only and references nothing else, so that a program needing the
 * words (dutyctl parsing its options) links this object and not the engines that use the enums. */

#include "string-table.h"
#include "vocabulary.h"

/* ---- the configuration ---- */

static const char *const role_table[_ROLE_MAX] = {
        [ROLE_LEADER] = "leader",
        [ROLE_OFFICER] = "officer",
        [ROLE_APPROVER] = "approver",
        [ROLE_ADMIN] = "admin",
        [ROLE_INSPECTOR] = "inspector",
};

DEFINE_STRING_TABLE_LOOKUP(role, Role);

static const char *const post_day_type_table[_POST_DAY_MAX] = {
        [POST_DAY_WORKDAY] = "workday",
        [POST_DAY_WEEKEND] = "weekend",
        [POST_DAY_HOLIDAY] = "holiday",
        [POST_DAY_SENSITIVE] = "sensitive",
};

DEFINE_STRING_TABLE_LOOKUP_TO_STRING(post_day_type, PostDayType);

/* ---- calendar ---- */

static const char *const day_type_table[_DAY_TYPE_MAX] = {
        [DAY_TYPE_WORKDAY] = "workday",
        [DAY_TYPE_WEEKEND] = "weekend",
        [DAY_TYPE_HOLIDAY] = "holiday",
        [DAY_TYPE_MAKEUP_WORKDAY] = "makeup_workday",
        [DAY_TYPE_UNKNOWN] = "unknown",
};

DEFINE_STRING_TABLE_LOOKUP(day_type, DayType);

static const char *const leave_policy_table[_LEAVE_POLICY_MAX] = {
        [LEAVE_POLICY_NORMAL] = "normal",
        [LEAVE_POLICY_FREEZE] = "freeze",
        [LEAVE_POLICY_ESCALATE] = "escalate",
};

DEFINE_STRING_TABLE_LOOKUP(leave_policy, LeavePolicy);

/* ---- leave ---- */

static const char *const leave_kind_table[_LEAVE_KIND_MAX] = {
        [LEAVE_KIND_PERSONAL] = "personal",
        [LEAVE_KIND_OFFICIAL] = "official",
        [LEAVE_KIND_SICK] = "sick",
        [LEAVE_KIND_BUSINESS_TRIP] = "business_trip",
        [LEAVE_KIND_ANNUAL] = "annual",
        [LEAVE_KIND_OTHER] = "other",
};

DEFINE_STRING_TABLE_LOOKUP(leave_kind, LeaveKind);

static const char *const leave_state_table[_LEAVE_STATE_MAX] = {
        [LEAVE_STATE_PENDING] = "pending",
        [LEAVE_STATE_APPROVED] = "approved",
        [LEAVE_STATE_REJECTED] = "rejected",
        [LEAVE_STATE_CANCELLED] = "cancelled",
        [LEAVE_STATE_STARTED] = "started",
        [LEAVE_STATE_RETURNED] = "returned",
        [LEAVE_STATE_OVERDUE] = "overdue",
};

DEFINE_STRING_TABLE_LOOKUP(leave_state, LeaveState);

/* ---- roster ---- */

static const char *const roster_empty_reason_table[_ROSTER_EMPTY_MAX] = {
        [ROSTER_EMPTY_NONE] = "none",
        [ROSTER_EMPTY_NO_ELIGIBLE] = "no_eligible",
        [ROSTER_EMPTY_ALL_ON_LEAVE] = "all_on_leave",
        [ROSTER_EMPTY_ALL_UNAVAILABLE] = "all_unavailable",
        [ROSTER_EMPTY_ALL_BUSY] = "all_busy",
        [ROSTER_EMPTY_ALL_RESTING] = "all_resting",
        [ROSTER_EMPTY_MIXED] = "mixed",
        [ROSTER_EMPTY_TOO_FEW_ELIGIBLE] = "too_few_eligible",
};

DEFINE_STRING_TABLE_LOOKUP(roster_empty_reason, RosterEmptyReason);

static const char *const roster_absence_kind_table[_ROSTER_ABSENCE_MAX] = {
        [ROSTER_ABSENCE_LEAVE] = "leave",
        [ROSTER_ABSENCE_UNAVAILABLE] = "unavailable",
};

DEFINE_STRING_TABLE_LOOKUP_TO_STRING(roster_absence_kind, RosterAbsenceKind);

static const char *const fairness_category_table[_FAIR_MAX] = {
        [FAIR_WORKDAY] = "workday",
        [FAIR_WEEKEND] = "weekend",
        [FAIR_HOLIDAY] = "holiday",
        [FAIR_SPECIAL] = "special",
};

DEFINE_STRING_TABLE_LOOKUP(fairness_category, FairnessCategory);

static const char *const roster_violation_kind_table[_ROSTER_VIOLATION_MAX] = {
        [ROSTER_VIOLATION_OUT_OF_RANGE] = "out_of_range",
        [ROSTER_VIOLATION_UNKNOWN_POST] = "unknown_post",
        [ROSTER_VIOLATION_DUPLICATE_SLOT] = "duplicate_slot",
        [ROSTER_VIOLATION_UNKNOWN_PERSON] = "unknown_person",
        [ROSTER_VIOLATION_NOT_ELIGIBLE] = "not_eligible",
        [ROSTER_VIOLATION_INACTIVE] = "inactive",
        [ROSTER_VIOLATION_ON_LEAVE] = "on_leave",
        [ROSTER_VIOLATION_UNAVAILABLE] = "unavailable",
        [ROSTER_VIOLATION_SAME_DAY] = "same_day",
        [ROSTER_VIOLATION_REST] = "rest",
        [ROSTER_VIOLATION_LOCKED] = "locked",
};

DEFINE_STRING_TABLE_LOOKUP(roster_violation_kind, RosterViolationKind);

/* ---- the leave rules ---- */

static const char *const rules_severity_table[_RULES_SEVERITY_MAX] = {
        [RULES_SEVERITY_BLOCK] = "block",
        [RULES_SEVERITY_ESCALATE] = "escalate",
        [RULES_SEVERITY_WARNING] = "warning",
};

DEFINE_STRING_TABLE_LOOKUP(rules_severity, RulesSeverity);

/* ---- gaps ---- */

static const char *const gap_kind_table[_GAP_KIND_MAX] = {
        [GAP_UNFILLED] = "unfilled",
        [GAP_LEAVE_CONFLICT] = "leave_conflict",
        [GAP_INELIGIBLE] = "ineligible",
        [GAP_RULE] = "rule",
        [GAP_ROSTER_MISSING] = "roster_missing",
        [GAP_HOLIDAY_UNPUBLISHED] = "holiday_unpublished",
        [GAP_CALENDAR_UNKNOWN] = "calendar_unknown",
        [GAP_LEAVE_OVERDUE] = "leave_overdue",
        [GAP_PAPERWORK_OVERDUE] = "paperwork_overdue",
        [GAP_SWAP_PENDING] = "swap_pending",
        [GAP_ACTING_UNCOVERED] = "acting_uncovered",
        [GAP_TAKEOVER_MISSING] = "takeover_missing",
        [GAP_REPORT_OVERDUE] = "report_overdue",
        [GAP_DAILY_REPORT_MISSING] = "daily_report_missing",
        [GAP_PRESENCE_MISSED] = "presence_missed",
};

DEFINE_STRING_TABLE_LOOKUP(gap_kind, GapKind);

/* ---- handover ---- */

static const char *const handover_action_table[_HANDOVER_ACTION_MAX] = {
        [HANDOVER_TAKE] = "take",
        [HANDOVER_GIVE] = "give",
};

DEFINE_STRING_TABLE_LOOKUP(handover_action, HandoverAction);

static const char *const gap_urgency_table[_GAP_URGENCY_MAX] = {
        [GAP_URGENCY_NOTICE] = "notice",
        [GAP_URGENCY_WARNING] = "warning",
        [GAP_URGENCY_ERR] = "err",
        [GAP_URGENCY_CRIT] = "crit",
};

DEFINE_STRING_TABLE_LOOKUP(gap_urgency, GapUrgency);

static const char *const gap_ineligible_table[_GAP_INELIGIBLE_MAX] = {
        [GAP_INELIGIBLE_UNKNOWN_PERSON] = "unknown_person",
        [GAP_INELIGIBLE_INACTIVE] = "inactive",
        [GAP_INELIGIBLE_ROLE] = "role",
};

DEFINE_STRING_TABLE_LOOKUP_TO_STRING(gap_ineligible, GapIneligible);

/* ---- swap ---- */

static const char *const swap_kind_table[_SWAP_KIND_MAX] = {
        [SWAP_KIND_SWAP] = "swap",
        [SWAP_KIND_COVER] = "cover",
};

DEFINE_STRING_TABLE_LOOKUP(swap_kind, SwapKind);

static const char *const swap_state_table[_SWAP_STATE_MAX] = {
        [SWAP_STATE_PROPOSED] = "proposed",
        [SWAP_STATE_ACCEPTED] = "accepted",
        [SWAP_STATE_APPROVED] = "approved",
        [SWAP_STATE_APPLIED] = "applied",
        [SWAP_STATE_DECLINED] = "declined",
        [SWAP_STATE_CANCELLED] = "cancelled",
        [SWAP_STATE_EXPIRED] = "expired",
};

DEFINE_STRING_TABLE_LOOKUP(swap_state, SwapState);

static const char *const swap_action_table[_SWAP_ACTION_MAX] = {
        [SWAP_ACTION_REQUEST] = "requested",
        [SWAP_ACTION_ACCEPT] = "accepted",
        [SWAP_ACTION_DECLINE] = "declined",
        [SWAP_ACTION_APPROVE] = "approved",
        [SWAP_ACTION_APPLY] = "applied",
        [SWAP_ACTION_CANCEL] = "cancelled",
        [SWAP_ACTION_EXPIRE] = "expired",
        [SWAP_ACTION_REFUSE] = "refused",
};

DEFINE_STRING_TABLE_LOOKUP(swap_action, SwapAction);

/* ---- spot checks ---- */

static const char *const check_target_table[_CHECK_TARGET_MAX] = {
        [CHECK_TARGET_ROOM] = "room",
        [CHECK_TARGET_OFFICER] = "officer",
        [CHECK_TARGET_LEADER] = "leader",
};

DEFINE_STRING_TABLE_LOOKUP(check_target, CheckTarget);

static const char *const check_how_table[_CHECK_HOW_MAX] = {
        [CHECK_HOW_PHONE] = "phone",
        [CHECK_HOW_VIDEO] = "video",
        [CHECK_HOW_VISIT] = "visit",
};

DEFINE_STRING_TABLE_LOOKUP(check_how, CheckHow);

static const char *const presence_state_table[_PRESENCE_STATE_MAX] = {
        [PRESENCE_STATE_PENDING] = "pending",
        [PRESENCE_STATE_ACKNOWLEDGED] = "acknowledged",
        [PRESENCE_STATE_MISSED] = "missed",
};

DEFINE_STRING_TABLE_LOOKUP(presence_state, PresenceState);
