# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the leave scenarios (020-…): the sample office with unix accounts for the leaders who
# act in them, and a way to run dutyctl as any of them and look at what it said. Sourced after
# lib.sh, not run.

# Uids of the sample office beyond lib.sh's (wum 1001, zhangw 1002).
WANGJG_UID=1003    # 县委书记, approves the leaders' leave
LIXY_UID=1004      # 县长
ZHAODS_UID=1005    # 县委办主任: admin, approves the officers' leave
CHENZQ_UID=1006
LIUF_UID=1007
SUNLH_UID=1008
OUYANGMH_UID=1009

python3 - "$T/etc/dutyd.conf" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
uids = {"wangjg": 1003, "lixy": 1004, "zhaods": 1005, "chenzq": 1006, "liuf": 1007, "sunlh": 1008,
        "ouyangmh": 1009}
for person, uid in uids.items():
    s, n = re.subn(r'(\{\s*id\s*=\s*"%s";)' % person, r'\1 uid = %d;' % uid, s, count=1)
    assert n == 1, person
open(p, "w", encoding="utf-8").write(s)
PY
"$DUTYD" --check-config "$T/etc/dutyd.conf" >/dev/null || fail "the config with uids does not check"

# try UID ARGS…: dutyctl ARGS… as UID (0: root); sets OUT, ERR and RC.
try() {
        local uid=$1
        shift
        RC=0
        if [ "$uid" = 0 ]; then
                "$DUTYCTL" "$@" >"$T/try.out" 2>"$T/try.err" || RC=$?
        else
                as_uid "$uid" "$DUTYCTL" "$@" >"$T/try.out" 2>"$T/try.err" || RC=$?
        fi
        OUT=$(cat "$T/try.out")
        ERR=$(cat "$T/try.err")
}

# ok UID ARGS…: as try, failing the scenario unless dutyctl succeeded.
ok() {
        try "$@"
        [ "$RC" = 0 ] || fail "dutyctl ${*:2} as uid $1 exited $RC: $ERR"
}

# refused UID ARGS…: as try, failing the scenario unless the daemon refused (exit 1).
refused() {
        try "$@"
        [ "$RC" = 1 ] || fail "dutyctl ${*:2} as uid $1 exited $RC, expected 1 (refused): $OUT $ERR"
}

# request UID ARGS…: files a leave with --json and prints its number.
request() {
        local uid=$1
        shift
        ok "$uid" --json leave request "$@"
        json_get "$OUT" 'd["leave"]["id"]'
}

# restart_at TIME: dutyd again, its clock pinned to TIME (YYYY-MM-DDTHH:MM), same state.
restart_at() {
        stop_dutyd
        export DUTYD_NOW=$1
        start_dutyd
}
