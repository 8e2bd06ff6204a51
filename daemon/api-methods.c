/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The method table: every method of io.dutyd.Duty once, with its handler, the least access level
 * that may call it, whether it writes, and what it does in the words of a refusal (as knotc's
 * cmd_table). dutyd does not start when the table and the interface it serves disagree
 * (api_methods()), so a method cannot be served without a row nor a row left without a method. */

#include <stdio.h>
#include <stdlib.h>

#include "api-admin.h"
#include "api-check.h"
#include "api-dutylog.h"
#include "api-gaps.h"
#include "api-handover.h"
#include "api-leave.h"
#include "api-methods.h"
#include "api-notify.h"
#include "api-offices.h"
#include "api-roster.h"
#include "api-status.h"
#include "api-swap.h"
#include "duty-names.h"
#include "i18n.h"

/* The roster carries phone numbers, and gaps name people and their leave: people of the office
 * only. Leave and swaps: members act for themselves; the handlers refuse someone else's leave
 * unless the caller is an administrator (or, for deciding, the leave's approver), check who is a
 * party to a swap and, for SwapApprove, that the caller is the leader on call of a day it touches
 * (when the configuration lets leaders approve) or an administrator. */
static const ApiMethod api_method_table[] = {
        { .name = DUTY_METHOD_STATUS, .handler = api_status, .access = ACCESS_GUEST },
        { .name = DUTY_METHOD_WHOAMI, .handler = api_whoami, .access = ACCESS_GUEST },
        { .name = DUTY_METHOD_LIST_PEOPLE, .handler = api_list_people, .access = ACCESS_MEMBER },
        { .name = DUTY_METHOD_CALENDAR, .handler = api_calendar, .access = ACCESS_MEMBER },
        { .name = DUTY_METHOD_WHO, .handler = api_who, .access = ACCESS_MEMBER },
        { .name = DUTY_METHOD_ROSTER_GENERATE, .handler = api_roster_generate, .access = ACCESS_ADMIN, .writes = true,
          .action_zh = "生成值班表", .action_en = "generate the roster" },
        { .name = DUTY_METHOD_ROSTER_HOLIDAY, .handler = api_roster_holiday, .access = ACCESS_ADMIN, .writes = true,
          .action_zh = "生成节假日值班表", .action_en = "generate a holiday's roster" },
        { .name = DUTY_METHOD_ROSTER_ASSIGN, .handler = api_roster_assign, .access = ACCESS_ADMIN, .writes = true,
          .action_zh = "安排值班", .action_en = "assign duties" },
        { .name = DUTY_METHOD_ROSTER_UNASSIGN, .handler = api_roster_unassign, .access = ACCESS_ADMIN, .writes = true,
          .action_zh = "取消值班安排", .action_en = "take people off duties" },
        { .name = DUTY_METHOD_ROSTER_SHOW, .handler = api_roster_show, .access = ACCESS_MEMBER },
        { .name = DUTY_METHOD_ROSTER_PUBLISH, .handler = api_roster_publish, .access = ACCESS_ADMIN, .writes = true,
          .action_zh = "发布值班表", .action_en = "publish the roster" },
        { .name = DUTY_METHOD_ROSTER_DIFF, .handler = api_roster_diff, .access = ACCESS_MEMBER },
        { .name = DUTY_METHOD_ROSTER_STATS, .handler = api_roster_stats, .access = ACCESS_MEMBER },
        { .name = DUTY_METHOD_ROSTER_AMENDMENTS, .handler = api_roster_amendments, .access = ACCESS_MEMBER },
        { .name = DUTY_METHOD_SENSITIVE_ADD, .handler = api_sensitive_add, .access = ACCESS_ADMIN, .writes = true,
          .action_zh = "添加敏感时期", .action_en = "add sensitive periods" },
        { .name = DUTY_METHOD_SENSITIVE_LIST, .handler = api_sensitive_list, .access = ACCESS_MEMBER },
        { .name = DUTY_METHOD_SENSITIVE_REMOVE, .handler = api_sensitive_remove, .access = ACCESS_ADMIN, .writes = true,
          .action_zh = "删除敏感时期", .action_en = "remove sensitive periods" },
        { .name = DUTY_METHOD_UNAVAILABLE_ADD, .handler = api_unavailable_add, .access = ACCESS_ADMIN, .writes = true,
          .action_zh = "登记不能值班的日期", .action_en = "declare unavailability" },
        { .name = DUTY_METHOD_UNAVAILABLE_LIST, .handler = api_unavailable_list, .access = ACCESS_MEMBER },
        { .name = DUTY_METHOD_UNAVAILABLE_REMOVE, .handler = api_unavailable_remove, .access = ACCESS_ADMIN, .writes = true,
          .action_zh = "删除不能值班的登记", .action_en = "remove declared unavailability" },
        /* Reload answers in the configuration file's own text, whatever the caller's language. */
        { .name = DUTY_METHOD_RELOAD, .handler = api_reload, .access = ACCESS_ADMIN, .writes = true,
          .action_zh = "重新加载配置", .action_en = "reload the configuration", .configured_language = true },
        { .name = DUTY_METHOD_AUDIT_LIST, .handler = api_audit_list, .access = ACCESS_ADMIN,
          .action_zh = "查看审计日志", .action_en = "read the audit log" },
        { .name = DUTY_METHOD_AUDIT_VERIFY, .handler = api_audit_verify, .access = ACCESS_ADMIN,
          .action_zh = "校验审计日志", .action_en = "verify the audit log" },
        { .name = DUTY_METHOD_LEAVE_CHECK, .handler = api_leave_check, .access = ACCESS_MEMBER },
        { .name = DUTY_METHOD_LEAVE_REQUEST, .handler = api_leave_request, .access = ACCESS_MEMBER, .writes = true },
        { .name = DUTY_METHOD_LEAVE_APPROVE, .handler = api_leave_approve, .access = ACCESS_APPROVER, .writes = true,
          .action_zh = "批准请假", .action_en = "approve leave" },
        { .name = DUTY_METHOD_LEAVE_REJECT, .handler = api_leave_reject, .access = ACCESS_APPROVER, .writes = true,
          .action_zh = "驳回请假", .action_en = "reject leave" },
        { .name = DUTY_METHOD_LEAVE_CANCEL, .handler = api_leave_cancel, .access = ACCESS_MEMBER, .writes = true },
        { .name = DUTY_METHOD_LEAVE_RETURN, .handler = api_leave_return, .access = ACCESS_MEMBER, .writes = true },
        { .name = DUTY_METHOD_LEAVE_PAPERWORK, .handler = api_leave_paperwork, .access = ACCESS_MEMBER, .writes = true },
        { .name = DUTY_METHOD_LEAVE_CHANGE, .handler = api_leave_change, .access = ACCESS_MEMBER, .writes = true },
        { .name = DUTY_METHOD_LEAVE_LIST, .handler = api_leave_list, .access = ACCESS_MEMBER },
        { .name = DUTY_METHOD_LEAVE_SHOW, .handler = api_leave_show, .access = ACCESS_MEMBER },
        { .name = DUTY_METHOD_GAPS, .handler = api_gaps, .access = ACCESS_MEMBER },
        /* The offices' rosters carry their people's phones: the superior office's own people only. */
        { .name = DUTY_METHOD_OFFICES_LIST, .handler = api_offices_list, .access = ACCESS_MEMBER },
        { .name = DUTY_METHOD_OFFICE_SHOW, .handler = api_office_show, .access = ACCESS_MEMBER },
        { .name = DUTY_METHOD_OFFICES_ON_DUTY, .handler = api_offices_on_duty, .access = ACCESS_MEMBER },
        { .name = DUTY_METHOD_SWAP_REQUEST, .handler = api_swap_request, .access = ACCESS_MEMBER, .writes = true },
        { .name = DUTY_METHOD_SWAP_COVER, .handler = api_swap_cover, .access = ACCESS_MEMBER, .writes = true },
        { .name = DUTY_METHOD_SWAP_LIST, .handler = api_swap_list, .access = ACCESS_MEMBER },
        { .name = DUTY_METHOD_SWAP_SHOW, .handler = api_swap_show, .access = ACCESS_MEMBER },
        { .name = DUTY_METHOD_SWAP_ACCEPT, .handler = api_swap_accept, .access = ACCESS_MEMBER, .writes = true },
        { .name = DUTY_METHOD_SWAP_DECLINE, .handler = api_swap_decline, .access = ACCESS_MEMBER, .writes = true },
        { .name = DUTY_METHOD_SWAP_APPROVE, .handler = api_swap_approve, .access = ACCESS_MEMBER, .writes = true },
        { .name = DUTY_METHOD_SWAP_CANCEL, .handler = api_swap_cancel, .access = ACCESS_MEMBER, .writes = true },
        /* Only the people on duty that day take over and hand over; the handler checks the roster. */
        { .name = DUTY_METHOD_HANDOVER_TAKE, .handler = api_handover_take, .access = ACCESS_MEMBER, .writes = true },
        { .name = DUTY_METHOD_HANDOVER_GIVE, .handler = api_handover_give, .access = ACCESS_MEMBER, .writes = true },
        { .name = DUTY_METHOD_HANDOVER_LIST, .handler = api_handover_list, .access = ACCESS_MEMBER },
        /* Inspectors are not a level above members but a role beside theirs: the handler refuses
         * whoever is neither an inspector nor an administrator (check_may_record()). The circular
         * is read by the whole office. */
        { .name = DUTY_METHOD_CHECK_ADD, .handler = api_check_add, .access = ACCESS_MEMBER, .writes = true },
        { .name = DUTY_METHOD_CHECK_LIST, .handler = api_check_list, .access = ACCESS_MEMBER },
        /* Only the people on duty of the check's day confirm it (check_may_ack()). */
        { .name = DUTY_METHOD_ACK, .handler = api_ack, .access = ACCESS_MEMBER, .writes = true },
        /* The duty log: members read it; the handlers let only the day's people on duty and
         * administrators write it (dutylog_may_write()). */
        { .name = DUTY_METHOD_LOG_ADD, .handler = api_log_add, .access = ACCESS_MEMBER, .writes = true },
        { .name = DUTY_METHOD_LOG_LIST, .handler = api_log_list, .access = ACCESS_MEMBER },
        { .name = DUTY_METHOD_LOG_SHOW, .handler = api_log_show, .access = ACCESS_MEMBER },
        { .name = DUTY_METHOD_LOG_CLOSE, .handler = api_log_close, .access = ACCESS_MEMBER, .writes = true },
        { .name = DUTY_METHOD_LOG_REPORT, .handler = api_log_report, .access = ACCESS_MEMBER, .writes = true },
        { .name = DUTY_METHOD_DAILY_REPORT, .handler = api_daily_report, .access = ACCESS_MEMBER },
        { .name = DUTY_METHOD_DAILY_REPORT_SEND, .handler = api_daily_report_send, .access = ACCESS_MEMBER, .writes = true },
        /* Notifications: everyone reads their own (the handler filters), administrators all. */
        { .name = DUTY_METHOD_NOTIFY_LIST, .handler = api_notify_list, .access = ACCESS_MEMBER },
        { .name = DUTY_METHOD_NOTIFY_RETRY, .handler = api_notify_retry, .access = ACCESS_ADMIN, .writes = true,
          .action_zh = "重新发送通知", .action_en = "send a notification again" },
        { .name = DUTY_METHOD_NOTIFY_TEST, .handler = api_notify_test, .access = ACCESS_ADMIN, .writes = true,
          .action_zh = "发送测试通知", .action_en = "send a test notification" },
};

const ApiMethod *api_method_table_get(size_t *ret_n) {
        *ret_n = ELEMENTSOF(api_method_table);
        return api_method_table;
}

const ApiMethod *api_method_find(const ApiMethod *table, size_t n, const char *name) {
        if (!name)
                return NULL;
        for (size_t i = 0; i < n; i++)
                if (streq(table[i].name, name))
                        return &table[i];
        return NULL;
}

int api_methods_check(const VarlinkIdl *idl, const ApiMethod *table, size_t n, char **ret_error) {
        char *error = NULL;
        int r;

        if (!streq(varlink_idl_name(idl), DUTY_INTERFACE))
                r = asprintf(&error, "the interface is %s, the method table is for %s",
                             varlink_idl_name(idl), DUTY_INTERFACE);
        else {
                r = 0;
                for (size_t i = 0; i < varlink_idl_n_methods(idl) && r == 0; i++) {
                        const char *name = varlink_idl_method_name(idl, i);

                        if (!api_method_find(table, n, name))
                                r = asprintf(&error, "method %s of the interface has no row in the method table", name);
                }
                for (size_t i = 0; i < n && r == 0; i++) {
                        if (!varlink_idl_has_method(idl, table[i].name))
                                r = asprintf(&error, "method %s of the method table is not in the interface", table[i].name);
                        else if (api_method_find(table, n, table[i].name) != &table[i])
                                r = asprintf(&error, "method %s has more than one row in the method table", table[i].name);
                        else if (!table[i].handler || table[i].access < 0 || table[i].access >= _ACCESS_MAX)
                                r = asprintf(&error, "method %s has no handler or no access level in the method table",
                                             table[i].name);
                        /* A refusal by access level names what the method does, never the method. */
                        else if (table[i].access > ACCESS_MEMBER && (!table[i].action_zh || !table[i].action_en))
                                r = asprintf(&error, "method %s, refused to members, does not say what it does",
                                             table[i].name);
                }
        }
        if (r < 0)
                return -ENOMEM;
        if (!error)
                return 0;
        if (ret_error)
                *ret_error = error;
        else
                free(error);
        return -EBADMSG;
}

bool api_method_allowed(const ApiMethod *method, const Identity *id) {
        return method && id->access >= method->access;
}

char *api_refusal_message(const Identity *id, const ApiMethod *method, const char *lang) {
        bool en = language_is_en(lang);
        char *s = NULL;
        int r = -ENOMEM;

        if (!id || !method)
                return NULL;

        if (id->access == ACCESS_GUEST) {
                if (!isempty(id->user))
                        r = asprintf(&s, en ? "user %s (uid %u) is not in this office's configuration, so dutyd does not know who you are; "
                                              "ask the administrator to add user = \"%s\" to your entry among the people of dutyd.conf"
                                            : "用户 %s（uid %u）不在本办公室的配置中，dutyd 不知道您是谁；"
                                              "请管理员在 dutyd.conf 的人员名单中为您的条目加上 user = \"%s\"",
                                     id->user, (unsigned) id->uid, id->user);
                else
                        r = asprintf(&s, en ? "uid %u is not in this office's configuration, so dutyd does not know who you are; "
                                              "ask the administrator to add uid = %u to your entry among the people of dutyd.conf"
                                            : "uid %u 不在本办公室的配置中，dutyd 不知道您是谁；"
                                              "请管理员在 dutyd.conf 的人员名单中为您的条目加上 uid = %u",
                                     (unsigned) id->uid, (unsigned) id->uid);
                return r < 0 ? NULL : s;
        }

        switch (method->access) {
        case ACCESS_APPROVER:
                r = asprintf(&s, en ? "only approvers and administrators may %s; the leave's approver (or the stand-in while the approver is away) decides: `dutyctl leave show ID` names them"
                                    : "只有审批人和管理员可以%s；由该请假的审批人（审批人外出时由其代理人）决定，`dutyctl leave show 编号` 会显示审批人",
                             (en ? method->action_en : method->action_zh) ?: method->name);
                break;
        case ACCESS_ADMIN:
        case ACCESS_ROOT:
                r = asprintf(&s, en ? "only administrators may %s; ask one of them (`dutyctl people --role admin` lists them)"
                                    : "只有管理员可以%s；请联系管理员（`dutyctl people --role admin` 可列出管理员）",
                             (en ? method->action_en : method->action_zh) ?: method->name);
                break;
        case ACCESS_GUEST:
        case ACCESS_MEMBER:
        case _ACCESS_MAX:
        case _ACCESS_INVALID:
                r = asprintf(&s, en ? "dutyd does not allow %s" : "dutyd 不允许调用 %s", method->name);
                break;
        }
        return r < 0 ? NULL : s;
}
