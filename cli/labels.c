/* SPDX-License-Identifier: GPL-2.0-or-later */

/* Where the daemon has an enum, the switch over it lists every value, so that a value added there
 * without a word here is a compiler warning, not an untranslated token on the screen. */

#include "calendar.h"
#include "config.h"
#include "gaps.h"
#include "labels.h"
#include "leave-service.h"
#include "leave.h"
#include "output.h"
#include "swap.h"
#include "util.h"

typedef struct LabelPair {
        const char *value;
        const char *label;      /* N_() */
} LabelPair;

/* For values the daemon defines as strings, not as an enum. */
static const char *label_lookup(const LabelPair *pairs, size_t n, const char *value) {
        if (!value)
                return "-";
        for (size_t i = 0; i < n; i++)
                if (streq(pairs[i].value, value))
                        return _(pairs[i].label);
        return value;
}

const char *label_weekday(Day d) {
        static const char *const names[7] = {
                N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"),
        };

        return _(names[day_weekday(d) - 1]);
}

const char *label_weekday_of(const char *date) {
        Day d;

        if (!date || day_parse(date, &d) < 0)
                return "-";
        return label_weekday(d);
}

const char *label_day_type(const char *type) {
        switch (day_type_from_string(type)) {
        case DAY_TYPE_WORKDAY:
                return _("workday");
        case DAY_TYPE_WEEKEND:
                return _("weekend");
        case DAY_TYPE_HOLIDAY:
                return _("holiday");
        case DAY_TYPE_MAKEUP_WORKDAY:
                return _("make-up workday");
        case DAY_TYPE_UNKNOWN:
                return _("unknown (no notice for the year)");
        case _DAY_TYPE_MAX:
        case _DAY_TYPE_INVALID:
                break;
        }
        return type ?: "-";
}

const char *label_category(const char *category) {
        static const LabelPair pairs[] = {
                { "workday", N_("workday") },
                { "weekend", N_("weekend") },
                { "holiday", N_("holiday") },
                { "special", N_("special day") },
        };

        return label_lookup(pairs, ELEMENTSOF(pairs), category);
}

const char *label_role(const char *role) {
        switch (role_from_string(role)) {
        case ROLE_LEADER:
                return _("leader");
        case ROLE_OFFICER:
                return _("officer");
        case ROLE_APPROVER:
                return _("approver");
        case ROLE_ADMIN:
                return _("administrator");
        case ROLE_INSPECTOR:
                return _("inspector");
        case _ROLE_MAX:
        case _ROLE_INVALID:
                break;
        }
        return role ?: "-";
}

const char *label_check_target(const char *target) {
        switch (check_target_from_string(target)) {
        case CHECK_TARGET_ROOM:
                return _("duty room");
        case CHECK_TARGET_OFFICER:
                return _("officer on duty");
        case CHECK_TARGET_LEADER:
                return _("leader on call");
        case _CHECK_TARGET_MAX:
        case _CHECK_TARGET_INVALID:
                break;
        }
        return target ?: "-";
}

const char *label_check_how(const char *how) {
        switch (check_how_from_string(how)) {
        case CHECK_HOW_PHONE:
                return _("phone");
        case CHECK_HOW_VIDEO:
                return _("video");
        case CHECK_HOW_VISIT:
                return _("visit");
        case _CHECK_HOW_MAX:
        case _CHECK_HOW_INVALID:
                break;
        }
        return how ?: "-";
}

const char *label_presence_state(const char *state) {
        switch (presence_state_from_string(state)) {
        case PRESENCE_STATE_PENDING:
                return _("waiting");
        case PRESENCE_STATE_ACKNOWLEDGED:
                return _("confirmed");
        case PRESENCE_STATE_MISSED:
                return _("MISSED");
        case _PRESENCE_STATE_MAX:
        case _PRESENCE_STATE_INVALID:
                break;
        }
        return state ?: "-";
}

const char *label_access(const char *access) {
        static const LabelPair pairs[] = {
                { "guest", N_("guest (status only)") },
                { "member", N_("member of the office") },
                { "approver", N_("approver") },
                { "admin", N_("administrator") },
                { "root", N_("root (administrator)") },
        };

        return label_lookup(pairs, ELEMENTSOF(pairs), access);
}

const char *label_source(const char *source) {
        static const LabelPair pairs[] = {
                { DUTY_SOURCE_MANUAL, N_("by hand") },
                { "swap", N_("swapped") },
                { "substitution", N_("substitute") },
        };

        return label_lookup(pairs, ELEMENTSOF(pairs), source);
}

const char *label_leave_policy(const char *policy) {
        switch (leave_policy_from_string(policy)) {
        case LEAVE_POLICY_NORMAL:
                return _("normal");
        case LEAVE_POLICY_FREEZE:
                return _("frozen");
        case LEAVE_POLICY_ESCALATE:
                return _("next approver up");
        case _LEAVE_POLICY_MAX:
        case _LEAVE_POLICY_INVALID:
                break;
        }
        return policy ?: "-";
}

const char *label_leave_kind(const char *kind) {
        switch (leave_kind_from_string(kind)) {
        case LEAVE_KIND_PERSONAL:
                return _("personal leave");
        case LEAVE_KIND_OFFICIAL:
                return _("official leave");
        case LEAVE_KIND_SICK:
                return _("sick leave");
        case LEAVE_KIND_BUSINESS_TRIP:
                return _("business trip");
        case LEAVE_KIND_ANNUAL:
                return _("annual leave");
        case LEAVE_KIND_OTHER:
                return _("other leave");
        case _LEAVE_KIND_MAX:
        case _LEAVE_KIND_INVALID:
                break;
        }
        return kind ?: "-";
}

const char *label_leave_state(const char *state) {
        switch (leave_state_from_string(state)) {
        case LEAVE_STATE_PENDING:
                return _("pending");
        case LEAVE_STATE_APPROVED:
                return _("approved");
        case LEAVE_STATE_REJECTED:
                return _("rejected");
        case LEAVE_STATE_CANCELLED:
                return _("cancelled");
        case LEAVE_STATE_STARTED:
                return _("away");
        case LEAVE_STATE_RETURNED:
                return _("returned");
        case LEAVE_STATE_OVERDUE:
                return _("overdue, not reported back");
        case _LEAVE_STATE_MAX:
        case _LEAVE_STATE_INVALID:
                break;
        }
        return state ?: "-";
}

const char *label_leave_action(const char *action) {
        static const LabelPair pairs[] = {
                { LEAVE_ACTION_REQUEST, N_("requested") },
                { LEAVE_ACTION_APPROVE, N_("approved") },
                { LEAVE_ACTION_REJECT, N_("rejected") },
                { LEAVE_ACTION_CANCEL, N_("cancelled") },
                { LEAVE_ACTION_RETURN, N_("reported back") },
                { LEAVE_ACTION_PAPERWORK, N_("written form received") },
                { LEAVE_ACTION_CHANGE, N_("itinerary changed") },
        };

        return label_lookup(pairs, ELEMENTSOF(pairs), action);
}

const char *label_swap_kind(const char *kind) {
        switch (swap_kind_from_string(kind)) {
        case SWAP_KIND_SWAP:
                return _("swap");
        case SWAP_KIND_COVER:
                return _("substitution");
        case _SWAP_KIND_MAX:
        case _SWAP_KIND_INVALID:
                break;
        }
        return kind ?: "-";
}

const char *label_swap_state(const char *state) {
        switch (swap_state_from_string(state)) {
        case SWAP_STATE_PROPOSED:
                return _("awaiting consent");
        case SWAP_STATE_ACCEPTED:
                return _("awaiting approval");
        case SWAP_STATE_APPROVED:
                return _("approved");
        case SWAP_STATE_APPLIED:
                return _("in effect");
        case SWAP_STATE_DECLINED:
                return _("declined");
        case SWAP_STATE_CANCELLED:
                return _("cancelled");
        case SWAP_STATE_EXPIRED:
                return _("expired");
        case _SWAP_STATE_MAX:
        case _SWAP_STATE_INVALID:
                break;
        }
        return state ?: "-";
}

const char *label_swap_action(const char *action) {
        switch (swap_action_from_string(action)) {
        case SWAP_ACTION_REQUEST:
                return _("requested");
        case SWAP_ACTION_ACCEPT:
                return _("accepted");
        case SWAP_ACTION_DECLINE:
                return _("declined");
        case SWAP_ACTION_APPROVE:
                return _("approved");
        case SWAP_ACTION_APPLY:
                return _("applied to the roster");
        case SWAP_ACTION_CANCEL:
                return _("cancelled");
        case SWAP_ACTION_EXPIRE:
                return _("expired");
        case SWAP_ACTION_REFUSE:
                return _("approval refused");
        case _SWAP_ACTION_MAX:
        case _SWAP_ACTION_INVALID:
                break;
        }
        return action ?: "-";
}

const char *label_gap_kind(const char *kind) {
        switch (gap_kind_from_string(kind)) {
        case GAP_UNFILLED:
                return _("empty post");
        case GAP_LEAVE_CONFLICT:
                return _("person on duty away");
        case GAP_INELIGIBLE:
                return _("not eligible");
        case GAP_RULE:
                return _("rule broken");
        case GAP_ROSTER_MISSING:
                return _("no roster");
        case GAP_HOLIDAY_UNPUBLISHED:
                return _("holiday roster not published");
        case GAP_CALENDAR_UNKNOWN:
                return _("calendar unknown");
        case GAP_LEAVE_OVERDUE:
                return _("not reported back");
        case GAP_PAPERWORK_OVERDUE:
                return _("written form overdue");
        case GAP_SWAP_PENDING:
                return _("swap awaiting approval");
        case GAP_ACTING_UNCOVERED:
                return _("nobody acting");
        case GAP_TAKEOVER_MISSING:
                return _("not taken over");
        case GAP_REPORT_OVERDUE:
                return _("report overdue");
        case GAP_DAILY_REPORT_MISSING:
                return _("daily report not sent");
        case GAP_PRESENCE_MISSED:
                return _("presence check missed");
        case _GAP_KIND_MAX:
        case _GAP_KIND_INVALID:
                break;
        }
        return kind ?: "-";
}

const char *label_gap_urgency(const char *urgency) {
        switch (gap_urgency_from_string(urgency)) {
        case GAP_URGENCY_CRIT:
                return _("critical");
        case GAP_URGENCY_ERR:
                return _("serious");
        case GAP_URGENCY_WARNING:
                return _("warning");
        case GAP_URGENCY_NOTICE:
                return _("notice");
        case _GAP_URGENCY_MAX:
        case _GAP_URGENCY_INVALID:
                break;
        }
        return urgency ?: "-";
}
