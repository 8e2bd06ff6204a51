#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs the .deb with dpkg on a clean Debian 12 system and checks it as the administrator would,
# under a real systemd: a minimal Debian tree (debootstrap) booted with systemd-nspawn.
#
#   packaging/test-deb-install.sh [DEB]      (default: builds one with packaging/build-deb.sh)
#
# Checks: dpkg -i succeeds once the libraries are there and dpkg -L lists every file where it
# belongs (binaries, units, sysusers/tmpfiles, catalog, man pages, completion, translation);
# /etc/dutyd/dutyd.conf is a conffile; the maintainer scripts created the user and groups and
# enabled the socket. Booted: the socket listens; `systemd-analyze verify` is clean and `security`
# scores at most 1.0; under the hardened service dutyd sees the callers' real uids (two users in
# turn, twice, as people of the configuration — PrivateUsers= would make them nobody), refuses a
# user outside the group "duty", runs as its own user, and writes its gap alerts to the journal with
# their structured fields and catalog text; reload works; dpkg -r stops it and keeps the conffile.
#
# Needs root, network access to the Debian mirror of the system's apt sources (or MIRROR=…) and
# about 400 MB in /var/tmp. The pristine tree is kept in ROOT_CACHE (default
# /var/tmp/dutyd-deb-root) and copied for each run.
set -euo pipefail

cd "$(dirname "$0")/.."
TOP=$PWD
ROOT_CACHE=${ROOT_CACHE:-/var/tmp/dutyd-deb-root}
# The Debian mirror this machine's apt already uses (deb822 sources first, then the one-line
# format); MIRROR overrides it.
if [ -z "${MIRROR:-}" ]; then
        MIRROR=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
        [ -n "$MIRROR" ] || MIRROR=$(awk '$1 == "deb" { print ($2 ~ /^\[/ ? $3 : $2); exit }' \
                                      /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true)
        [ -n "$MIRROR" ] || { echo "no Debian mirror in the apt sources; set MIRROR=…" >&2; exit 2; }
fi

# shellcheck source=packaging/deps.sh
. packaging/deps.sh
# shellcheck disable=SC2034 # read by ensure_packages through its group name
dutyd_packages_debtest="debootstrap systemd-container util-linux"
ensure_packages debtest

WORK=$(mktemp -d /var/tmp/dutyd-debtest.XXXXXX)
NSPAWN_PID=
cleanup() {
        if [ -n "$NSPAWN_PID" ] && kill -0 "$NSPAWN_PID" 2>/dev/null; then
                kill "$NSPAWN_PID" 2>/dev/null || true
                for _ in $(seq 1 100); do kill -0 "$NSPAWN_PID" 2>/dev/null || break; sleep 0.2; done
                kill -KILL "$NSPAWN_PID" 2>/dev/null || true
                wait "$NSPAWN_PID" 2>/dev/null || true
        fi
        rm -rf "$WORK"
}
trap cleanup EXIT

failures=0
pass() { echo "ok   $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
# check DESCRIPTION COMMAND…: one line per check, the command's output shown when it fails.
check() {
        local what=$1 out
        shift
        if out=$("$@" 2>&1); then
                pass "$what"
        else
                fail "$what"
                printf '%s\n' "$out" | sed 's/^/     /' | tail -n 20
        fi
}

DEB=${1:-}
if [ -z "$DEB" ]; then
        echo "== building the package"
        DEB_BUILD_OPTIONS=nocheck packaging/build-deb.sh "$WORK/dist" >"$WORK/build.log" 2>&1 ||
                { tail -n 40 "$WORK/build.log"; exit 1; }
        DEB=$(ls "$WORK"/dist/dutyd_*.deb)
fi
DEB=$(realpath "$DEB")

if [ ! -x "$ROOT_CACHE/usr/bin/systemctl" ]; then
        echo "== debootstrap of a minimal Debian 12 into $ROOT_CACHE"
        rm -rf "$ROOT_CACHE"
        debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus bookworm "$ROOT_CACHE" "$MIRROR" \
                >"$WORK/debootstrap.log" 2>&1 || { tail -n 20 "$WORK/debootstrap.log"; exit 1; }
fi
ROOT="$WORK/root"
cp -a "$ROOT_CACHE" "$ROOT"
cp "$DEB" "$ROOT/root/dutyd.deb"
cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true

# A command in the tree, systemd not running (as during an installation from a rescue system).
# (--pipe: plain stdio, no terminal; nspawn's complaint about its propagation directory, which
# the host's missing systemd causes, is not ours.)
offline() {
        systemd-nspawn -D "$ROOT" --register=no --keep-unit -q --pipe "$@" 2> >(grep -v 'nspawn/propagate' >&2)
}

echo "== dpkg -i on the clean system"
# The libraries the package depends on, the first of each alternative, as apt would pick them.
libs=$(dpkg-deb -f "$DEB" Depends | tr ',' '\n' | sed 's/|.*//; s/(.*)//; s/ //g' | grep -v '^$' |
       grep -vx 'systemd\|libc6' | tr '\n' ' ')
offline /bin/sh -c "apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -q --no-install-recommends $libs man-db >/dev/null" ||
        { echo "cannot install the libraries ($libs) in the test system"; exit 1; }
check "dpkg -i dutyd.deb" offline dpkg -i /root/dutyd.deb
offline dpkg -L dutyd >"$WORK/files"
for f in /usr/sbin/dutyd /usr/bin/dutyctl \
         /lib/systemd/system/dutyd.service /lib/systemd/system/dutyd.socket \
         /usr/lib/sysusers.d/dutyd.conf /usr/lib/tmpfiles.d/dutyd.conf \
         /usr/lib/systemd/catalog/dutyd.catalog \
         /usr/share/man/man8/dutyd.8.gz /usr/share/man/man1/dutyctl.1.gz /usr/share/man/man5/dutyd.conf.5.gz \
         /usr/share/bash-completion/completions/dutyctl \
         /usr/share/locale/zh_CN/LC_MESSAGES/dutyd.mo \
         /usr/sbin/dutyd-office-csr /usr/share/dutyd/superior/journal-upload-office.conf \
         /usr/sbin/dutyd-superior-enroll /usr/share/dutyd/superior/nginx-dutyd-superior.conf \
         /lib/systemd/system/dutyd-remote@.socket /lib/systemd/system/dutyd-remote@.service \
         /lib/systemd/system/dutyd-remote-reap.timer /lib/systemd/system/dutyd-remote-reap.service \
         /usr/share/dutyd/superior/dutyd-namespace.conf \
         /usr/share/dutyd/superior/journald@dutyd.conf \
         /etc/dutyd/dutyd.conf /etc/dutyd/holidays.d/cn-2026.conf; do
        check "dpkg -L lists $f, and it is there" \
                sh -c "grep -qx '$f' '$WORK/files' && test -e '$ROOT$f'"
done
check "/etc/dutyd/dutyd.conf is a conffile" \
        sh -c "systemd-nspawn -D '$ROOT' --register=no --keep-unit -q --pipe dpkg-query -W -f='\${Conffiles}' dutyd |
               grep -q '^ */etc/dutyd/dutyd.conf '"
check "the installed configuration names the socket's group" grep -q '^socket_group = "duty";' "$ROOT/etc/dutyd/dutyd.conf"
check "sysusers created the user dutyd and the group duty" \
        offline /bin/sh -c 'getent passwd dutyd && getent group duty'
check "the socket is enabled (sockets.target.wants)" test -L "$ROOT/etc/systemd/system/sockets.target.wants/dutyd.socket"
check "/var/lib/dutyd is 0700 dutyd" offline /bin/sh -c '[ "$(stat -c "%a %U" /var/lib/dutyd)" = "700 dutyd" ]'
check "the catalog is in journalctl's index" \
        offline /bin/sh -c 'journalctl --list-catalog | grep -qi dutyd'

# The people of the sample office with accounts: wum (1001, officer), zhangw (1002, leader); and
# a user who is not in the group duty.
offline /bin/sh -c 'useradd -m -u 1001 -G duty wum && useradd -m -u 1002 -G duty zhangw &&
                    useradd -m -u 1003 outsider'

echo "== booting systemd in the test system"
systemd-nspawn -b -D "$ROOT" --register=no --keep-unit -q --console=pipe >"$WORK/boot.log" 2>&1 &
NSPAWN_PID=$!
init=
for _ in $(seq 1 100); do
        init=$(ps --ppid "$NSPAWN_PID" -o pid=,comm= | awk '$2 == "systemd" { print $1; exit }' || true)
        [ -n "$init" ] && break
        sleep 0.2
done
[ -n "$init" ] || { cat "$WORK/boot.log"; echo "systemd did not start in the test system"; exit 1; }
inside() { nsenter -t "$init" -a "$@"; }
# Until systemd answers on its bus, and then until the boot is done.
state=
for _ in $(seq 1 300); do
        state=$(timeout 120 nsenter -t "$init" -a systemctl is-system-running --wait 2>&1 || true)
        case "$state" in running|degraded) break ;; esac
        sleep 0.2
done
echo "   system state: $state"
# Who runs as a user, with that user's groups, through the service manager.
as_user() { local u=$1; shift; inside systemd-run --uid="$u" --wait --pipe --quiet "$@"; }

check "dutyd.socket is listening" inside systemctl is-active --quiet dutyd.socket
check "systemd-analyze verify is clean" \
        sh -c "out=\$(nsenter -t $init -a systemd-analyze verify dutyd.socket dutyd.service 2>&1); \
               [ -z \"\$out\" ] || { echo \"\$out\"; false; }"
score=$(inside systemd-analyze security dutyd.service 2>/dev/null |
        sed -n 's/.*Overall exposure level for dutyd.service: \([0-9.]*\).*/\1/p' || true)
check "systemd-analyze security: ${score:-?} (at most 1.0)" awk -v s="${score:-99}" 'BEGIN { exit !(s <= 1.0) }'

for round in 1 2; do
        for u in 1001:wum 1002:zhangw; do
                uid=${u%%:*} person=${u#*:}
                check "uid $uid is person $person under the hardened service (round $round)" \
                        sh -c "nsenter -t $init -a systemd-run --uid=$uid --wait --pipe --quiet dutyctl --json whoami |
                               python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(not (d.get(\"uid\") == $uid and (d.get(\"person\") or {}).get(\"id\") == \"$person\"))' 2>/dev/null ||
                               { nsenter -t $init -a systemd-run --uid=$uid --wait --pipe --quiet dutyctl --json whoami; false; }"
        done
done
check "a user outside the group duty is refused at the socket" \
        sh -c "! nsenter -t $init -a systemd-run --uid=1003 --wait --pipe --quiet dutyctl whoami 2>&1 | grep -q '^   UID' &&
               nsenter -t $init -a systemd-run --uid=1003 --wait --pipe --quiet dutyctl whoami 2>&1 | grep -qi 'permission denied'"
check "the socket is root:duty 0660" \
        sh -c "[ \"\$(nsenter -t $init -a stat -c '%U:%G %a' /run/dutyd/io.dutyd.Duty)\" = 'root:duty 660' ]"
check "dutyd runs as the user dutyd" \
        sh -c "pid=\$(nsenter -t $init -a systemctl show -P MainPID dutyd.service); [ \"\$pid\" -gt 0 ] &&
               [ \"\$(nsenter -t $init -a stat -c %U /proc/\$pid)\" = dutyd ]"

# The sample office has no roster yet: the gap monitor reports the month ahead as unplanned.
alert=
for _ in $(seq 1 50); do
        alert=$(inside journalctl -u dutyd.service -o json --no-pager 2>/dev/null | grep '"DUTY_GAP_KIND"' | sed -n 1p || true)
        [ -n "$alert" ] && break
        sleep 0.2
done
check "the journal received a gap alert with its fields" \
        sh -c "printf '%s' '$alert' | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(not (d.get(\"MESSAGE_ID\") and d.get(\"DUTY_GAP_ID\") and d.get(\"PRIORITY\")))'"
check "journalctl -x explains it from dutyd's catalog" \
        sh -c "nsenter -t $init -a journalctl -u dutyd.service -x --no-pager | grep -q 'Defined-By: dutyd'"
check "systemctl reload dutyd" inside systemctl reload dutyd.service
check "the reload reached dutyd (SIGHUP)" \
        sh -c "for _ in \$(seq 1 50); do
                       nsenter -t $init -a journalctl -u dutyd.service --no-pager | grep -q 'Configuration reloaded' && exit 0
                       sleep 0.2
               done; exit 1"
check "dutyd is still serving after the reload" as_user 1001 dutyctl status

check "man -l renders the three pages" \
        inside sh -c 'for p in man8/dutyd.8 man1/dutyctl.1 man5/dutyd.conf.5; do
                              MANWIDTH=80 man -l /usr/share/man/$p.gz 2>&1 >/dev/null | grep . && exit 1
                              MANWIDTH=80 man -l /usr/share/man/$p.gz | grep -q NAME || exit 1
                      done'
check "dpkg -r dutyd" inside dpkg -r dutyd
check "the socket is gone after removal" sh -c "! nsenter -t $init -a systemctl is-active --quiet dutyd.socket"
check "the configuration stays after removal (conffile)" test -f "$ROOT/etc/dutyd/dutyd.conf"

inside systemctl poweroff >/dev/null 2>&1 || true
for _ in $(seq 1 100); do kill -0 "$NSPAWN_PID" 2>/dev/null || break; sleep 0.2; done

if [ "$failures" -gt 0 ]; then
        echo "test-deb-install: $failures check(s) failed"
        exit 1
fi
echo "test-deb-install: all checks passed"
