/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <pwd.h>
#include <stdio.h>

#include "auth.h"
#include "string-table.h"

static const char *const access_table[_ACCESS_MAX] = {
        [ACCESS_GUEST] = "guest",
        [ACCESS_MEMBER] = "member",
        [ACCESS_APPROVER] = "approver",
        [ACCESS_ADMIN] = "admin",
        [ACCESS_ROOT] = "root",
};

DEFINE_STRING_TABLE_LOOKUP(access, Access);

/* Every method of io.dutyd.Duty and org.varlink.service, with the least level that may call it and
 * whether it changes anything (a write runs in one transaction with its audit row). A method
 * missing here is refused to everyone, so a new method cannot be exposed by accident; an entry that
 * does not declare its effect is treated as a write, and test-auth refuses it. */
static const struct {
        const char *method;
        Access access;
        AuthEffect effect;
} method_access[] = {
        { "org.varlink.service.GetInfo",                 ACCESS_GUEST,    AUTH_READ },
        { "org.varlink.service.GetInterfaceDescription", ACCESS_GUEST,    AUTH_READ },
        { "Status",                                      ACCESS_GUEST,    AUTH_READ },
        { "Whoami",                                      ACCESS_GUEST,    AUTH_READ },
        { "ListPeople",                                  ACCESS_MEMBER,   AUTH_READ },
        /* The roster carries phone numbers: people of the office only. */
        { "Calendar",                                    ACCESS_MEMBER,   AUTH_READ },
        { "Who",                                         ACCESS_MEMBER,   AUTH_READ },
        { "RosterShow",                                  ACCESS_MEMBER,   AUTH_READ },
        { "RosterDiff",                                  ACCESS_MEMBER,   AUTH_READ },
        { "RosterStats",                                 ACCESS_MEMBER,   AUTH_READ },
        { "RosterAmendments",                            ACCESS_MEMBER,   AUTH_READ },
        { "SensitiveList",                               ACCESS_MEMBER,   AUTH_READ },
        { "UnavailableList",                             ACCESS_MEMBER,   AUTH_READ },
        { "RosterGenerate",                              ACCESS_ADMIN,    AUTH_WRITE },
        { "RosterHoliday",                               ACCESS_ADMIN,    AUTH_WRITE },
        { "RosterAssign",                                ACCESS_ADMIN,    AUTH_WRITE },
        { "RosterUnassign",                              ACCESS_ADMIN,    AUTH_WRITE },
        { "RosterPublish",                               ACCESS_ADMIN,    AUTH_WRITE },
        { "SensitiveAdd",                                ACCESS_ADMIN,    AUTH_WRITE },
        { "SensitiveRemove",                             ACCESS_ADMIN,    AUTH_WRITE },
        { "UnavailableAdd",                              ACCESS_ADMIN,    AUTH_WRITE },
        { "UnavailableRemove",                           ACCESS_ADMIN,    AUTH_WRITE },
        { "Reload",                                      ACCESS_ADMIN,    AUTH_WRITE },
        { "AuditList",                                   ACCESS_ADMIN,    AUTH_READ },
        { "AuditVerify",                                 ACCESS_ADMIN,    AUTH_READ },
        /* Leave: members act for themselves; the handlers refuse someone else's leave unless the
         * caller is an administrator (or, for deciding, the leave's approver). */
        { "LeaveCheck",                                  ACCESS_MEMBER,   AUTH_READ },
        { "LeaveRequest",                                ACCESS_MEMBER,   AUTH_WRITE },
        { "LeaveCancel",                                 ACCESS_MEMBER,   AUTH_WRITE },
        { "LeaveReturn",                                 ACCESS_MEMBER,   AUTH_WRITE },
        { "LeavePaperwork",                              ACCESS_MEMBER,   AUTH_WRITE },
        { "LeaveList",                                   ACCESS_MEMBER,   AUTH_READ },
        { "LeaveShow",                                   ACCESS_MEMBER,   AUTH_READ },
        { "LeaveApprove",                                ACCESS_APPROVER, AUTH_WRITE },
        { "LeaveReject",                                 ACCESS_APPROVER, AUTH_WRITE },
        /* Gaps name people and their leave: people of the office only. */
        { "Gaps",                                        ACCESS_MEMBER,   AUTH_READ },
        /* Swaps: members act for themselves; the handlers check who is a party to the swap and,
         * for SwapApprove, that the caller is the leader on call of a day it touches (when the
         * configuration lets leaders approve) or an administrator. */
        { "SwapRequest",                                 ACCESS_MEMBER,   AUTH_WRITE },
        { "SwapCover",                                   ACCESS_MEMBER,   AUTH_WRITE },
        { "SwapList",                                    ACCESS_MEMBER,   AUTH_READ },
        { "SwapShow",                                    ACCESS_MEMBER,   AUTH_READ },
        { "SwapAccept",                                  ACCESS_MEMBER,   AUTH_WRITE },
        { "SwapDecline",                                 ACCESS_MEMBER,   AUTH_WRITE },
        { "SwapApprove",                                 ACCESS_MEMBER,   AUTH_WRITE },
        { "SwapCancel",                                  ACCESS_MEMBER,   AUTH_WRITE },
};

Access auth_method_access(const char *method) {
        if (!method)
                return _ACCESS_INVALID;
        for (size_t i = 0; i < ELEMENTSOF(method_access); i++)
                if (streq(method_access[i].method, method))
                        return method_access[i].access;
        return _ACCESS_INVALID;
}

AuthEffect auth_method_effect(const char *method) {
        if (!method)
                return _AUTH_EFFECT_INVALID;
        for (size_t i = 0; i < ELEMENTSOF(method_access); i++)
                if (streq(method_access[i].method, method))
                        return method_access[i].effect;
        return _AUTH_EFFECT_INVALID;
}

bool auth_method_mutating(const char *method) {
        return auth_method_effect(method) != AUTH_READ;
}

bool auth_allowed(const Identity *id, const char *method) {
        Access need = auth_method_access(method);

        if (need < 0)
                return false;
        return id->access >= need;
}

Identity auth_identify(const Config *c, uid_t uid, const char *user) {
        Identity id = {
                .uid = uid,
                .access = ACCESS_GUEST,
        };

        if (user)
                snprintf(id.user, sizeof(id.user), "%s", user);

        id.person = config_find_person_by_uid(c, uid);
        if (!id.person && user)
                id.person = config_find_person_by_user(c, user);

        if (id.person) {
                if (person_has_role(id.person, ROLE_ADMIN))
                        id.access = ACCESS_ADMIN;
                else if (person_has_role(id.person, ROLE_APPROVER))
                        id.access = ACCESS_APPROVER;
                else
                        id.access = ACCESS_MEMBER;
        }

        /* root administers the daemon whether or not it is also a person of the office. */
        if (uid == 0)
                id.access = ACCESS_ROOT;

        return id;
}

Identity auth_identify_peer(const Config *c, uid_t uid) {
        struct passwd pw, *result = NULL;
        char buf[4096];

        if (getpwuid_r(uid, &pw, buf, sizeof(buf), &result) != 0 || !result)
                return auth_identify(c, uid, NULL);
        return auth_identify(c, uid, result->pw_name);
}

Identity auth_identify_peer_cached(AuthNameCache *cache, const Config *c, uid_t uid, uint64_t now_usec) {
        struct passwd pw, *result = NULL;
        AuthNameEntry *e = NULL;
        char buf[4096];
        int r;

        for (size_t i = 0; i < AUTH_NAME_CACHE_SIZE; i++)
                if (cache->entries[i].looked_up_usec != 0 && cache->entries[i].uid == uid) {
                        e = &cache->entries[i];
                        break;
                }
        if (e && now_usec >= e->looked_up_usec && now_usec - e->looked_up_usec < AUTH_NAME_CACHE_USEC)
                return auth_identify(c, uid, e->known ? e->user : NULL);

        r = getpwuid_r(uid, &pw, buf, sizeof(buf), &result);
        /* Remember only a clear answer, with a name that fits whole. */
        if (r == 0 && (!result || strlen(result->pw_name) < sizeof(e->user))) {
                if (!e) {
                        e = &cache->entries[cache->next];
                        cache->next = (cache->next + 1) % AUTH_NAME_CACHE_SIZE;
                }
                *e = (AuthNameEntry) {
                        .uid = uid,
                        .known = result != NULL,
                        .looked_up_usec = now_usec ?: 1,
                };
                if (result)
                        strcpy(e->user, result->pw_name);
        }
        return auth_identify(c, uid, r == 0 && result ? result->pw_name : NULL);
}

/* What a method does, in the words of the refusal, for the methods a member may not call. */
static const struct {
        const char *method;
        const char *zh, *en;
} method_actions[] = {
        { "RosterGenerate",    "生成值班表",         "generate the roster" },
        { "RosterHoliday",     "生成节假日值班表",   "generate a holiday's roster" },
        { "RosterAssign",      "安排值班",           "assign duties" },
        { "RosterUnassign",    "取消值班安排",       "take people off duties" },
        { "RosterPublish",     "发布值班表",         "publish the roster" },
        { "SensitiveAdd",      "添加敏感时期",       "add sensitive periods" },
        { "SensitiveRemove",   "删除敏感时期",       "remove sensitive periods" },
        { "UnavailableAdd",    "登记不能值班的日期", "declare unavailability" },
        { "UnavailableRemove", "删除不能值班的登记", "remove declared unavailability" },
        { "Reload",            "重新加载配置",       "reload the configuration" },
        { "AuditList",         "查看审计日志",       "read the audit log" },
        { "AuditVerify",       "校验审计日志",       "verify the audit log" },
        { "LeaveApprove",      "批准请假",           "approve leave" },
        { "LeaveReject",       "驳回请假",           "reject leave" },
};

char *auth_refusal_message(const Identity *id, const char *method, const char *lang) {
        bool en = lang && streq(lang, "en");
        const char *action = NULL;
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

        for (size_t i = 0; i < ELEMENTSOF(method_actions); i++)
                if (streq(method_actions[i].method, method))
                        action = en ? method_actions[i].en : method_actions[i].zh;

        switch (auth_method_access(method)) {
        case ACCESS_APPROVER:
                r = asprintf(&s, en ? "only approvers and administrators may %s; the leave's approver (or the stand-in while the approver is away) decides: `dutyctl leave show ID` names them"
                                    : "只有审批人和管理员可以%s；由该请假的审批人（审批人外出时由其代理人）决定，`dutyctl leave show 编号` 会显示审批人",
                             action ?: method);
                break;
        case ACCESS_ADMIN:
        case ACCESS_ROOT:
                r = asprintf(&s, en ? "only administrators may %s; ask one of them (`dutyctl people --role admin` lists them)"
                                    : "只有管理员可以%s；请联系管理员（`dutyctl people --role admin` 可列出管理员）",
                             action ?: method);
                break;
        case ACCESS_GUEST:
        case ACCESS_MEMBER:
        case _ACCESS_MAX:
        case _ACCESS_INVALID:
                r = asprintf(&s, en ? "dutyd does not allow %s" : "dutyd 不允许调用 %s", method);
                break;
        }
        return r < 0 ? NULL : s;
}
