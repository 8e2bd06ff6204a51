# SPDX-License-Identifier: GPL-2.0-or-later
# What the superior office's scenarios (170, 175–177, 190, 191) share, sourced after lib.sh:
# systemd-journal-remote and -upload (the scenario is skipped, 77, without journal-remote), and
# reading `dutyctl offices`.

JREMOTE=/lib/systemd/systemd-journal-remote
[ -x "$JREMOTE" ] || JREMOTE=/usr/lib/systemd/systemd-journal-remote
JUPLOAD=/lib/systemd/systemd-journal-upload
[ -x "$JUPLOAD" ] || JUPLOAD=/usr/lib/systemd/systemd-journal-upload
if [ ! -x "$JREMOTE" ]; then
        echo "SKIP: systemd-journal-remote is not installed (packaging/deps.sh test group)"
        exit 77
fi

# offices_json: OfficesList, as `dutyctl offices --json` prints it.
offices_json() {
        "$DUTYCTL" offices --json
}
# status_of OFFICE: its roster_status in OfficesList.
status_of() {
        json_get "$(offices_json)" "[o['roster_status'] for o in d['offices'] if o['id'] == '$1'][0]"
}
# wait_status OFFICE STATUS: until the aggregator took the entries that give it.
wait_status() {
        for _ in $(seq 1 200); do
                [ "$(status_of "$1")" = "$2" ] && return 0
                sleep 0.05
        done
        fail "office $1 is not '$2' but '$(status_of "$1")'"
}
