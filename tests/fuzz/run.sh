#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds the libFuzzer targets (clang, -Dfuzz=true, in their own build directory) and runs each for
# a bounded number of executions, starting from its seed corpus in tests/fuzz/corpus/<target>/.
#
#   tests/fuzz/run.sh [RUNS [TARGET…]]      (default 20000 runs, every target)
#
# BUILDDIR (default build-fuzz) names the build directory. New inputs found go to a scratch copy of
# the corpus; a crash leaves its reproducer (crash-…, leak-…, timeout-…) in the current directory
# and makes this script fail. Prints how long each target took.
set -euo pipefail
cd "$(dirname "$0")/../.."
SRC=$PWD

RUNS=${1:-20000}
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(fuzz-varlink-message fuzz-config fuzz-time)
BUILDDIR=${BUILDDIR:-build-fuzz}

. packaging/deps.sh
ensure_packages fuzz
if [ ! -f "$BUILDDIR/build.ninja" ]; then
        CC=clang meson setup "$BUILDDIR" -Dfuzz=true -Dtests=disabled -Db_lundef=false -Dbuildtype=debugoptimized
fi
meson compile -C "$BUILDDIR"

WORK=$(mktemp -d /tmp/dutyd-fuzz.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# The words of the interface (methods, parameters), so the fuzzer need not guess them.
dict="$WORK/varlink.dict"
{
        for w in '{' '}' '[' ']' ':' ',' '"' 'null' 'true' 'false' '\x00' '"method"' '"parameters"' \
                 '"oneway"' '"more"' '"io.dutyd.Duty.' '"org.varlink.service.GetInterfaceDescription"'; do
                printf '"%s"\n' "$(printf '%s' "$w" | sed 's/\\/\\\\/g; s/"/\\"/g')"
        done
        sed -n 's/^method \([A-Za-z]*\).*/"\\"io.dutyd.Duty.\1\\""/p' daemon/io.dutyd.Duty.varlink
        sed -n 's/^ *\([a-z_]*\): .*/"\\"\1\\""/p' daemon/io.dutyd.Duty.varlink | sort -u
} >"$dict"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# libconfig 1.5 leaks on some syntax errors, which is not ours to fix.
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$SRC/tests/fuzz/lsan.supp:print_suppressions=0}

status=0
for t in "${TARGETS[@]}"; do
        corpus="$WORK/$t"
        mkdir -p "$corpus"
        cp tests/fuzz/corpus/"$t"/* "$corpus"/
        extra=()
        case "$t" in
        fuzz-config)
                extra=(-max_len=4608)
                ;;
        fuzz-varlink-message)
                extra=(-dict="$dict" -max_len=8192)
                ;;
        esac
        start=$(date +%s.%N)
        rc=0
        "$BUILDDIR/tests/fuzz/$t" -runs="$RUNS" -timeout=30 -print_final_stats=1 "${extra[@]}" "$corpus" \
                >"$WORK/$t.log" 2>&1 || rc=$?
        end=$(date +%s.%N)
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$WORK/$t.log" | tail -n 1)
        printf '%-22s %10s runs in %7.1f s  %s\n' "$t" "${execs:-?}" "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" \
                "$([ "$rc" -eq 0 ] && echo ok || echo FAILED)"
        if [ "$rc" -ne 0 ]; then
                grep -v '^#[0-9]\|^INFO:\|^<[0-9]>' "$WORK/$t.log" | tail -n 60 >&2
                status=1
        fi
done
exit "$status"
