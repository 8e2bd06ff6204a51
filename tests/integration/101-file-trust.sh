#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Files of other users are not trusted (as sshd's StrictModes): dutyd refuses to start with a state
# directory, a configuration file or a socket directory that belongs to another non-root user, or
# a configuration writable by its group, naming the file, its owner and the fix; a dutyd.sqlite
# that is a symbolic link is refused and its target left untouched; a reload refuses a
# configuration given to another user. Root's and dutyd's own files (the other scenarios) are used.
. "$(dirname "$0")/lib.sh"

OTHER=4242

# expect_refused WHAT NEEDLE… -- ARGS…: dutyd exits 1, says each NEEDLE, and listens nowhere.
expect_refused() {
        local what=$1 rc=0 out
        shift
        local needles=()
        while [ "$1" != "--" ]; do
                needles+=("$1")
                shift
        done
        shift
        rm -f "$SOCK"
        # Bounded: a dutyd that accepts what it should refuse serves until stopped.
        out=$(timeout 10 "$DUTYD" --config "$T/etc/dutyd.conf" "$@" 2>&1) || rc=$?
        expect_eq "$rc" "1" "dutyd exit code with $what"
        for n in "${needles[@]}"; do
                expect_contains "$out" "$n" "dutyd explains the refusal of $what"
        done
        [ ! -S "$SOCK" ] || fail "dutyd listened despite $what"
}

# Baseline: everything root's, it starts and keeps data.
start_dutyd
"$DUTYCTL" unavailable add fengj --from 2026-03-10 --to 2026-03-11 >/dev/null
stop_dutyd

# 1. A state directory that belongs to another user.
chown "$OTHER" "$T/state"
expect_refused "a state directory of uid $OTHER" "$T/state" "uid $OTHER" "chown" -- \
        --state-dir "$T/state" --socket "$SOCK"
chown root "$T/state"

# A state directory that is a symbolic link (its last component) is not followed either.
ln -s "$T/state" "$T/state-link"
expect_refused "a state directory that is a link" "$T/state-link" "symbolic link" -- \
        --state-dir "$T/state-link" --socket "$SOCK"

# 2. A configuration file that belongs to another user (mode 0644: only they can write it).
chown "$OTHER" "$T/etc/dutyd.conf"
expect_refused "a configuration of uid $OTHER" "$T/etc/dutyd.conf" "uid $OTHER" "chown" -- \
        --state-dir "$T/state" --socket "$SOCK"
chown root "$T/etc/dutyd.conf"

# A configuration its group may write; group-readable is fine.
chmod 0664 "$T/etc/dutyd.conf"
expect_refused "a group-writable configuration" "$T/etc/dutyd.conf" "chmod g-w" -- \
        --state-dir "$T/state" --socket "$SOCK"
chmod 0640 "$T/etc/dutyd.conf"

# A configuration directory of another user, who could replace the file.
chown "$OTHER" "$T/etc"
expect_refused "a configuration directory of uid $OTHER" "$T/etc" "uid $OTHER" -- \
        --state-dir "$T/state" --socket "$SOCK"
chown root "$T/etc"

# A holidays directory of another user.
chown "$OTHER" "$T/etc/holidays.d"
expect_refused "a holidays directory of uid $OTHER" "$T/etc/holidays.d" "uid $OTHER" -- \
        --state-dir "$T/state" --socket "$SOCK"
chown root "$T/etc/holidays.d"

# 3. dutyd.sqlite a symbolic link to another file: refused, the target untouched.
mkdir -m 0700 "$T/state3"
printf 'not yours\n' >"$T/target"
chown "$OTHER" "$T/target"
chmod 0644 "$T/target"
before=$(stat -c '%a %u %s %Y' "$T/target"; sha256sum <"$T/target")
ln -s "$T/target" "$T/state3/dutyd.sqlite"
expect_refused "a database that is a symbolic link" "$T/state3/dutyd.sqlite" "symbolic link" -- \
        --state-dir "$T/state3" --socket "$SOCK"
after=$(stat -c '%a %u %s %Y' "$T/target"; sha256sum <"$T/target")
expect_eq "$after" "$before" "the link's target after the refusal"
[ ! -e "$T/target-wal" ] && [ ! -e "$T/target-journal" ] || fail "dutyd wrote beside the link's target"

# A database file (or WAL companion) of another user.
cp "$T/state/dutyd.sqlite" "$T/state3/db" && rm "$T/state3/dutyd.sqlite" && mv "$T/state3/db" "$T/state3/dutyd.sqlite"
chown "$OTHER" "$T/state3/dutyd.sqlite"
expect_refused "a database of uid $OTHER" "$T/state3/dutyd.sqlite" "uid $OTHER" -- \
        --state-dir "$T/state3" --socket "$SOCK"
chown root "$T/state3/dutyd.sqlite"

# 4. A socket directory that belongs to another user: they could swap the socket between bind()
# and its chown, or put their own in its place.
mkdir -m 0755 "$T/run2"
chown "$OTHER" "$T/run2"
SOCK_SAVED=$SOCK
SOCK="$T/run2/io.dutyd.Duty"
expect_refused "a socket directory of uid $OTHER" "$T/run2" "uid $OTHER" -- \
        --state-dir "$T/state" --socket "$SOCK"
# Or one its group or everybody may write (without the sticky bit).
chown root "$T/run2"
chmod 0777 "$T/run2"
expect_refused "a world-writable socket directory" "$T/run2" "world-writable" -- \
        --state-dir "$T/state" --socket "$SOCK"
SOCK=$SOCK_SAVED

# All fixed: it starts again, with the data, and its files are as before.
start_dutyd
expect_contains "$("$DUTYCTL" --json unavailable list)" '"fengj"' "data kept across the refusals"

# A reload refuses a configuration given to another user, and keeps the previous one.
chown "$OTHER" "$T/etc/dutyd.conf"
rc=0
err=$("$DUTYCTL" reload 2>&1) || rc=$?
expect_eq "$rc" "1" "reload of a configuration of uid $OTHER"
expect_contains "$err" "uid $OTHER" "reload refusal names the owner"
chown root "$T/etc/dutyd.conf"
"$DUTYCTL" reload >/dev/null || fail "reload once the owner is fixed"
stop_dutyd
echo "ok"
