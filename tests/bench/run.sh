#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs every benchmark of tests/bench and prints one table: each row with its median, p99 where it
# applies, the baseline measured in the same run, the ratio to it and the goal. The table is also
# written to tests/bench/results.md; with --readme it replaces the "Performance" table of README.md.
#
#   tests/bench/run.sh [--readme] [--quick]
#
# BUILDDIR (default build-bench) is a release build of its own; it is set up when missing. --quick
# runs fewer iterations (to try the script, not to publish numbers). Nothing here is part of the
# test suite: numbers depend on the machine and on what else runs on it, so nothing is asserted.
set -euo pipefail
SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
cd "$SRCDIR"

readme=false
quick=false
for arg in "$@"; do
        case "$arg" in
        --readme) readme=true ;;
        --quick) quick=true ;;
        -h|--help)
                sed -n '3,11p' "$0" | sed 's/^# \{0,1\}//'
                exit 0 ;;
        *)
                echo "run.sh: unknown argument '$arg'; see --help." >&2
                exit 2 ;;
        esac
done

. packaging/deps.sh
ensure_packages build test

BUILDDIR=${BUILDDIR:-build-bench}
case "$BUILDDIR" in /*) ;; *) BUILDDIR="$SRCDIR/$BUILDDIR" ;; esac
if [ -f "$BUILDDIR/build.ninja" ]; then
        meson setup --reconfigure "$BUILDDIR" -Dbuildtype=release >/dev/null
else
        meson setup "$BUILDDIR" -Dbuildtype=release >/dev/null
fi
B="$BUILDDIR/tests/bench"
targets=(daemon/dutyd tests/bench/bench-roundtrip tests/bench/bench-write tests/bench/bench-concurrency
         tests/bench/bench-generate tests/bench/bench-footprint tests/bench/bench-notify)
if ! out=$(ninja -C "$BUILDDIR" "${targets[@]}" 2>&1); then
        echo "$out" >&2
        exit 1
fi
# dutyctl only serves the alert-latency benchmark; the other rows do not wait for it.
ninja -C "$BUILDDIR" cli/dutyctl >/dev/null 2>&1 || echo "run.sh: dutyctl did not build; row 5 will say so." >&2
# Built only if its author listed it in tests/bench/meson.build.
if [ -f tests/bench/bench-alert-latency.c ]; then
        ninja -C "$BUILDDIR" tests/bench/bench-alert-latency >/dev/null 2>&1 || true
fi
DUTYD="$BUILDDIR/daemon/dutyd"
DUTYCTL="$BUILDDIR/cli/dutyctl"
export SRCDIR BUILDDIR DUTYD DUTYCTL

load_start=$(cut -d ' ' -f 1-3 /proc/loadavg)
started=$(date +%s)
W=$(mktemp -d /tmp/dutyd-bench-run.XXXXXX)
trap 'rm -rf "$W"' EXIT
cp -r conf/. "$W/"
chmod 0644 "$W"/*.conf
for n in 100 1000 10000; do
        python3 tests/bench/gen-office.py "$n" -o "$W/office-$n.conf" --holidays-dir "$W/holidays.d"
done
export BENCH_WORK="$W"

# Writes are leave requests a fortnight ahead of "now", spread over 300 days: the clock is pinned
# where every day they touch has a holiday notice and lies within how far ahead leave may be asked.
NOW=2025-03-03T09:00

if $quick; then
        rt_n=2000 wr_n=100 cc_k=10 cc_n=100 gen_runs=1 fp_starts=3 fair_n=40
else
        rt_n=20000 wr_n=1000 cc_k=50 cc_n=1000 gen_runs=7 fp_starts=20 fair_n=400
fi

TAB=$'\t'
ROWS="$W/rows"
: >"$ROWS"
log="$W/details"
: >"$log"

# run NAME CMD…: runs a benchmark, keeps its ROW lines, shows the rest as detail; a benchmark that
# fails yields a row saying so instead of numbers.
run() {
        local id=$1 name=$2
        shift 2
        local out="$W/out.$id" rc=0
        echo "== $name" | tee -a "$log" >&2
        "$@" >"$out" 2>"$out.err" || rc=$?
        grep -v "^ROW$TAB" "$out" | sed 's/^/   /' | tee -a "$log" >&2 || true
        sed 's/^/   /' "$out.err" | tee -a "$log" >&2
        if grep -q "^ROW$TAB" "$out"; then
                grep "^ROW$TAB" "$out" >>"$ROWS"
        else
                local why
                why=$(tail -n 1 "$out.err" | tr '\t' ' ')
                printf 'ROW\t%s\t%s\t-\t-\t-\t-\t-\tn/a\tnot available: %s\n' "$id" "$name" \
                        "${why:-exited with $rc and printed no result}" >>"$ROWS"
        fi
}

run 1 "Read path" "$B/bench-roundtrip" --dutyd "$DUTYD" --config "$W/dutyd.conf" --iterations "$rt_n"
run 2 "Write path" "$B/bench-write" --dutyd "$DUTYD" --config "$W/office-1000.conf" --now "$NOW" \
        --iterations "$wr_n"
run 3 "Concurrency" "$B/bench-concurrency" --dutyd "$DUTYD" --config "$W/office-1000.conf" --now "$NOW" \
        --clients "$cc_k" --requests "$cc_n"
run 4 "Generation" "$B/bench-generate" --runs "$gen_runs" \
        --config "$W/office-100.conf" --config "$W/office-1000.conf" --config "$W/office-10000.conf"

# Gap alert latency: its own benchmark, from the commit of a change to its journal entry, when it
# is there: a script (bench-alert-latency.sh or .py) or a program built from bench-alert-latency.c.
# It gets SRCDIR, BUILDDIR, DUTYD, DUTYCTL and BENCH_WORK (the offices above) in its environment
# and prints ROW lines like the others (bench-util.h).
alert_name="Gap alert latency: commit → journal entry"
if [ -f tests/bench/bench-alert-latency.sh ]; then
        run 5 "$alert_name" bash tests/bench/bench-alert-latency.sh
elif [ -f tests/bench/bench-alert-latency.py ]; then
        run 5 "$alert_name" python3 tests/bench/bench-alert-latency.py
elif [ -x "$B/bench-alert-latency" ]; then
        run 5 "$alert_name" "$B/bench-alert-latency"
elif [ -f tests/bench/bench-alert-latency.c ]; then
        printf 'ROW\t5\t%s\t-\t-\t-\t-\t≤ 1 s\tn/a\tnot available: %s\n' "$alert_name" \
                "tests/bench/bench-alert-latency.c is not built by tests/bench/meson.build" >>"$ROWS"
else
        printf 'ROW\t5\t%s\t-\t-\t-\t-\t≤ 1 s\tn/a\tnot available: %s\n' "$alert_name" \
                "no tests/bench/bench-alert-latency.* yet (it comes with the gap monitor)" >>"$ROWS"
fi

run 6 "Footprint" "$B/bench-footprint" --dutyd "$DUTYD" --notify "$B/bench-notify" \
        --config "$W/office-1000.conf" --years 5 --starts "$fp_starts"
# Notifications: commit → webhook received, and LeaveRequest with and without notifications.
BENCH_WEBHOOK_RUNS=$($quick && echo 20 || echo 100) run 8 "Notifications" python3 tests/bench/bench-webhook.py
# Needs root (the load runs as a member's uid); otherwise its row says so.
run 7 "Status under a member's pipelined RosterShow load" python3 tests/bench/bench-fairness.py --calls "$fair_n"

# The aggregator at a province's scale: 2,000 offices' files made by systemd-journal-remote.
run 8 "Aggregator: 2,000 offices" python3 tests/bench/bench-offices.py

# The table, in markdown.
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
cores=$(nproc)
when=$(date -u '+%Y-%m-%d %H:%M UTC')
commit=$(git -C "$SRCDIR" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git -C "$SRCDIR" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
        commit="$commit (with uncommitted changes)"
fi
table="$W/table.md"
{
        echo "Measured $when on $cores cores ($cpu), commit $commit, release build, in $(( $(date +%s) - started )) s;"
        echo "load average (1, 5, 15 min) $load_start at the start, $(cut -d ' ' -f 1-3 /proc/loadavg) at the end."
        $quick && echo "**--quick run: fewer iterations, not for publishing.**"
        echo
        echo "| # | Benchmark | Median | p99 | Baseline | Ratio | Goal | Met | Notes |"
        echo "|---|---|---|---|---|---|---|---|---|"
        sort -t "$TAB" -k2,2 -s "$ROWS" | while IFS="$TAB" read -r _ id name median p99 base ratio goal met note; do
                note=${note//|/\\|}
                echo "| $id | $name | $median | $p99 | $base | $ratio | $goal | $met | $note |"
        done
} >"$table"

{
        echo "# Benchmark results"
        echo
        echo "Written by \`tests/bench/run.sh\`; what each row measures is explained in tests/bench/README.md."
        echo
        cat "$table"
} >tests/bench/results.md

echo >&2
cat "$table"

# README.md keeps the latest table between two markers of its "Performance" section.
if $readme; then
        python3 - "$table" README.md <<'EOF'
import sys
table, readme = sys.argv[1], sys.argv[2]
begin, end = "<!-- bench-table-begin -->", "<!-- bench-table-end -->"
text = open(readme, encoding="utf-8").read()
if begin not in text or end not in text:
    sys.exit("README.md has no %s … %s markers in its Performance section" % (begin, end))
head, rest = text.split(begin, 1)
_, tail = rest.split(end, 1)
body = open(table, encoding="utf-8").read()
open(readme, "w", encoding="utf-8").write(head + begin + "\n" + body + end + tail)
EOF
        echo "README.md: Performance table updated." >&2
fi
