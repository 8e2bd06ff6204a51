# SPDX-License-Identifier: GPL-2.0-or-later
# What the notification scenarios share whatever receivers and configuration they set up
# (notify-lib.sh sources it; the SMTP scenarios, which write their own configuration, too).

# log_count FILE PYTHON-CONDITION: JSON lines of FILE whose record `r` meets the condition.
log_count() {
        python3 -c 'import json,sys
n = 0
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    if eval(sys.argv[2]):
        n += 1
print(n)' "$1" "$2"
}
# person_set ID TEXT: TEXT (a libconfig setting) added to person ID's entry of $T/etc/dutyd.conf.
person_set() {
        python3 - "$T/etc/dutyd.conf" "$1" "$2" <<'PY'
import re, sys
p, who, text = sys.argv[1:4]
s = open(p, encoding="utf-8").read()
s, n = re.subn(r'(\{\s*id\s*=\s*"%s";)' % re.escape(who), lambda m: m.group(1) + " " + text, s, count=1)
assert n == 1, "no person %s in %s" % (who, p)
open(p, "w", encoding="utf-8").write(s)
PY
}
# wait_until SECONDS WHAT CMD…: until CMD succeeds, at most SECONDS (ten times as long under a
# wrapper such as valgrind).
wait_until() {
        local seconds=$1 what=$2 deadline
        shift 2
        [ -z "${DUTYD_WRAPPER:-}${DUTYCTL_WRAPPER:-}" ] || seconds=$((seconds * 10))
        deadline=$((SECONDS + seconds))
        while [ "$SECONDS" -le "$deadline" ]; do
                "$@" && return 0
                sleep 0.1
        done
        fail "$what (waited ${seconds}s)"
}
# at_least N CMD…: CMD prints a number ≥ N.
at_least() {
        local n=$1
        shift
        [ "$("$@")" -ge "$n" ]
}
# duties_of DAY: the duties of DAY in $T/roster.json (written by generate_roster), "person post"
# per line, into $T/duties; N their number (at least two, or the scenario fails).
duties_of() {
        python3 -c 'import json,sys
for d in json.load(open(sys.argv[1]))["days"]:
    for a in d["assignments"]:
        if a["date"] == sys.argv[2] and a.get("person"):
            print(a["person"], a["post"])' "$T/roster.json" "$1" >"$T/duties"
        N=$(wc -l <"$T/duties")
        [ "$N" -ge 2 ] || fail "expected at least two duties on $1, got $N"
}
