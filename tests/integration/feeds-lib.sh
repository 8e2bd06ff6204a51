# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the calendar feed scenarios (167–169): python3 with the icalendar module, libical's
# checker, and a sample office with feeds = { … } in $T/feeds. Sourced after lib.sh.

PY=
for p in python3 /usr/bin/python3; do
        if command -v "$p" >/dev/null && "$p" -c 'import icalendar' 2>/dev/null; then
                PY=$p
                break
        fi
done
[ -n "$PY" ] || fail "no python3 with the icalendar module (install python3-icalendar)"
[ -x "${ICS_CHECK:-}" ] || fail "ICS_CHECK (tests/helpers/ics-check) is not built"

FEEDS="$T/feeds"
FEEDS_CHECK="$(dirname "$0")/feeds-check.py"

# feeds_conf [EXTRA SETTINGS]: turns the feeds on in $T/etc/dutyd.conf.
feeds_conf() {
        printf '\nfeeds = {\n  dir = "%s";\n%s\n};\n' "$FEEDS" "${1:-}" >>"$T/etc/dutyd.conf"
}

# wait_for_file PATH: until it exists (the first run after start-up), at most 10 s.
wait_for_file() {
        local deadline=$((SECONDS + 10))
        while [ ! -e "$1" ]; do
                [ "$SECONDS" -lt "$deadline" ] || fail "$1 was not written"
                sleep 0.02
        done
}
