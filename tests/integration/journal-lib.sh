# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the scenarios that read dutyd's entries back from a real journald: sourced first, before
# lib.sh. As root, with systemd-journald installed, the scenario runs again in a private mount
# namespace (DUTYD_TEST_NAMESPACE=1), where journal_start gives it a journald of its own on tmpfs,
# out of the host's journal. Otherwise, with JOURNAL_REQUIRED set the scenario is skipped (77);
# without it the scenario goes on with JOURNAL empty and leaves its journal checks out.

if [ -z "${DUTYD_TEST_NAMESPACE:-}" ]; then
        JOURNALD=/lib/systemd/systemd-journald
        [ -x "$JOURNALD" ] || JOURNALD=/usr/lib/systemd/systemd-journald
        if [ "$(id -u)" -eq 0 ] && [ -x "$JOURNALD" ]; then
                export JOURNALD
                DUTYD_TEST_NAMESPACE=1 exec unshare --mount --propagation private bash "$0" "$@"
        fi
        if [ -n "${JOURNAL_REQUIRED:-}" ]; then
                echo "SKIP: a private journald needs root and systemd-journald"
                exit 77
        fi
        echo "NOTE: no root or no systemd-journald: the journal checks are left out"
fi

# journal_start: in the namespace, mounts tmpfs over the journal's directories, starts journald and
# waits for its socket; sets JOURNAL=1 there and leaves it empty elsewhere. Needs lib.sh.
journal_start() {
        JOURNAL=
        [ -n "${DUTYD_TEST_NAMESPACE:-}" ] || return 0
        mount -t tmpfs tmpfs /run/systemd
        mount -t tmpfs tmpfs /run/log
        # journald would move to persistent storage if asked; keep the host's journal out of reach anyway.
        if [ -d /var/log/journal ]; then
                mount -t tmpfs tmpfs /var/log/journal
        fi
        mkdir -p /run/systemd/journal
        "$JOURNALD" >"$T/journald.log" 2>&1 &
        JOURNALD_PID=$!
        for _ in $(seq 1 100); do [ -S /run/systemd/journal/socket ] && break; sleep 0.05; done
        [ -S /run/systemd/journal/socket ] || fail "journald did not create its socket: $(cat "$T/journald.log")"
        trap 'cleanup; journal_stop' EXIT
        JOURNAL=1
}

journal_stop() {
        [ -n "${JOURNALD_PID:-}" ] || return 0
        kill -TERM "$JOURNALD_PID" 2>/dev/null || true
        wait "$JOURNALD_PID" 2>/dev/null || true
}
