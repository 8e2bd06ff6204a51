#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The quick start: installs missing packages, builds, starts dutyd on the sample office
# (conf/dutyd.conf) with its database in a temporary directory, takes a short dutyctl tour on the
# real clock (the calendar and roster of the next two weeks, who is on duty now and the handover,
# the next holiday's roster, a leave checked against the rules, a duty log entry, the gaps, a
# notification through a command hook, the calendar feeds), then
# keeps the daemon in the foreground until Ctrl-C. --no-wait ends after the tour. dutyctl speaks
# the language of LANG (zh_CN.UTF-8: Chinese).
set -euo pipefail
cd "$(dirname "$0")/.."

WAIT=1
for arg in "$@"; do
        case "$arg" in
        --no-wait) WAIT=0 ;;
        -h|--help) echo "Usage: packaging/demo.sh [--no-wait]"; exit 0 ;;
        *) echo "demo.sh: unknown argument '$arg'" >&2; exit 2 ;;
        esac
done

. packaging/deps.sh
ensure_packages build demo

BUILDDIR=${BUILDDIR:-build}
# Each step is quiet when it works; when it fails, its whole output is shown, then what failed.
quiet() {
        local what=$1 out
        shift
        if ! out=$("$@" 2>&1); then
                printf '%s\n' "$out" >&2
                echo "demo.sh: $what failed (the output above says why)." >&2
                exit 1
        fi
}
# The demo needs only the "build" group: the tests are built when cmocka is there (-Dtests=auto).
[ -f "$BUILDDIR/build.ninja" ] || quiet "meson setup" meson setup "$BUILDDIR"
quiet "the build" meson compile -C "$BUILDDIR"

DEMO=$(mktemp -d /tmp/dutyd-demo.XXXXXX)
mkdir -p "$DEMO/etc" "$DEMO/state"
cp conf/dutyd.conf "$DEMO/etc/dutyd.conf"
cp -r conf/holidays.d "$DEMO/etc/holidays.d"
# dutyd trusts no configuration its group or others may write, whatever the umask left.
chmod -R go-w "$DEMO/etc"
# Whoever runs the demo administers the sample office (root always does).
if [ "$(id -u)" -ne 0 ]; then
        python3 - "$DEMO/etc/dutyd.conf" "$(id -un)" <<'PY'
import re, sys
path, user = sys.argv[1:]
text = open(path, encoding="utf-8").read()
clerk = '{ id = "demo"; name = "演示管理员"; user = "%s"; roles = [ "admin" ]; },\n' % user
open(path, "w", encoding="utf-8").write(re.sub(r"(people\s*=\s*\(\s*)", lambda m: m.group(1) + clerk, text, count=1))
PY
fi
# Notifications through a command hook that writes each message to a file the tour shows (an
# office plugs its SMS platform in the same way), and the calendar feeds in a directory.
cat >"$DEMO/notify-hook" <<HOOK
#!/bin/sh
# The message as JSON on stdin (and in DUTY_NOTIFY_* variables): one line per message.
{ cat; echo; } >>"$DEMO/notifications.jsonl"
HOOK
chmod 0755 "$DEMO/notify-hook"
cat >>"$DEMO/etc/dutyd.conf" <<CONF

notify = {
        channels = ( { name = "demo"; type = "command"; command = "$DEMO/notify-hook"; timeout = 5; } );
};
feeds = { dir = "$DEMO/feeds"; };
CONF
SOCK="$DEMO/io.dutyd.Duty"
export DUTYD_SOCKET="$SOCK"
# The messages of this build, in the language of LANG.
DUTYD_LOCALEDIR="$(realpath "$BUILDDIR")/po"
export DUTYD_LOCALEDIR
DUTYCTL="$BUILDDIR/cli/dutyctl"

"$BUILDDIR/daemon/dutyd" --config "$DEMO/etc/dutyd.conf" --state-dir "$DEMO/state" --socket "$SOCK" \
        2>"$DEMO/dutyd.log" &
PID=$!
cleanup() {
        kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
        rm -rf "$DEMO"
}
trap cleanup EXIT

for _ in $(seq 1 200); do
        "$DUTYCTL" status >/dev/null 2>&1 && break
        kill -0 "$PID" 2>/dev/null || { cat "$DEMO/dutyd.log" >&2; exit 1; }
        sleep 0.05
done

# Shows a command and what it answers; a refusal is part of the tour (a year without its holiday
# notice, a leave the rules do not allow), not the end of it.
tour() {
        local rc=0
        echo
        echo "\$ dutyctl $*"
        "$DUTYCTL" "$@" 2>&1 || rc=$?
        [ "$rc" -eq 0 ] || echo "(exit status $rc)"
        return 0
}

# json_get EXPR: evaluates a Python expression over the JSON document `d` read from stdin.
json_get() {
        python3 -c 'import json, sys; d = json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"
}

# The duty day running now, as the daemon counts it (in the office's time zone, from the handover).
TODAY=$("$DUTYCTL" --json who now | json_get 'd["date"]')
IN_13_DAYS=$(date -d "$TODAY + 13 days" +%F)
IN_7_DAYS=$(date -d "$TODAY + 7 days" +%F)

echo "dutyd is running on the sample office; socket: $SOCK"
tour status
tour whoami
tour people --role leader
tour calendar --from "$TODAY" --to "$IN_13_DAYS"
# The next two weeks' roster. In a year whose holiday notice is not known yet, dutyd refuses to
# plan it as ordinary days unless asked to.
if ! "$DUTYCTL" roster generate --from "$TODAY" --to "$IN_13_DAYS" --dry-run >/dev/null 2>&1; then
        tour roster generate --from "$TODAY" --to "$IN_13_DAYS"
        tour roster generate --from "$TODAY" --to "$IN_13_DAYS" --assume-ordinary
else
        tour roster generate --from "$TODAY" --to "$IN_13_DAYS"
fi
tour who now
# The handover (交接班): whoever runs the demo administers the office and records it for the people
# on duty, as the duty room does for a leader on call who took over by phone.
# From an hour before the handover on, the duty being taken over is the next one.
TAKING=$("$DUTYCTL" --json handover list | json_get 'd["date"]')
OFFICER_NOW=$("$DUTYCTL" --json who "$TAKING" |
              json_get '([a["person"] for a in d["assignments"] if a.get("role") == "officer" and a.get("person")] + [""])[0]')
if [ -n "$OFFICER_NOW" ]; then
        tour handover take --for "$OFFICER_NOW"
        tour handover list
fi
# The next holiday's whole run of days off; refused, saying so, while its year's notice is not in
# conf/holidays.d yet.
tour roster holiday
# The leader on call a week from now asks for leave on that very day: the rules say no.
LEADER=$("$DUTYCTL" --json who "$IN_7_DAYS" |
         json_get '([a["person"] for a in d["assignments"] if a.get("role") == "leader" and a.get("person")] + ["chenzq"])[0]')
tour leave check --for "$LEADER" --from "$IN_7_DAYS" --to "$IN_7_DAYS" --destination 南昌 --reason 学习培训
# The duty log (值班记录): a call written as an open item, which every later duty sees until one
# of them closes it. Here the administrator writes it; the people on duty write their own.
tour log add 来电 "市应急局通知：明日有强降雨，请做好防汛值守" --from "市应急局 王科长" --phone 0791-86001234 \
        --measures "已报告带班领导，通知各乡镇值班室" --informed 带班领导 --open
tour log list
tour gaps

# Notifications (通知): a test message to the office's clerk, delivered after the reply by the
# command hook; the gap alerts above went to the administrators the same way.
tour notify test zhouxd
for _ in $(seq 1 50); do
        grep -q '"kind": *"test"' "$DEMO/notifications.jsonl" 2>/dev/null && break
        sleep 0.1
done
echo
echo "\$ # the last messages the command hook wrote to $DEMO/notifications.jsonl"
# Hooks run side by side: each message is one write, read back one JSON object after the other.
python3 -c 'import json, sys
text, d, i, found = open(sys.argv[1], encoding="utf-8").read(), json.JSONDecoder(), 0, []
while True:
    while i < len(text) and text[i].isspace():
        i += 1
    if i >= len(text):
        break
    m, i = d.raw_decode(text, i)
    found.append(m)
for m in found[-3:]:
    print("%-16s %-8s %s" % (m["kind"], m["person"], m["text"][:60]))' "$DEMO/notifications.jsonl" 2>/dev/null || true
tour notify list
# Calendar feeds: the published roster as iCalendar files for the intranet's web server.
tour roster publish --from "$TODAY" --to "$IN_13_DAYS"
for _ in $(seq 1 50); do
        grep -q BEGIN:VEVENT "$DEMO/feeds/office.ics" 2>/dev/null && break
        sleep 0.1
done
echo
echo "\$ ls $DEMO/feeds; grep -c BEGIN:VEVENT office.ics"
ls "$DEMO/feeds" 2>/dev/null | head -n 5
echo "... office.ics: $(grep -c BEGIN:VEVENT "$DEMO/feeds/office.ics" 2>/dev/null || echo 0) duties"

if [ "$WAIT" = 1 ]; then
        echo
        echo "dutyd keeps running. In another terminal:  DUTYD_SOCKET=$SOCK $PWD/$DUTYCTL status"
        echo "Press Ctrl-C to stop."
        trap 'echo; exit 0' INT TERM
        wait "$PID"
fi
