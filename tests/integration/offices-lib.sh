# SPDX-License-Identifier: GPL-2.0-or-later
# What the superior office's scenarios (170, 175–177, 190, 191) share, sourced after lib.sh:
# systemd-journal-remote and -upload (the scenario is skipped, 77, without journal-remote), the
# received files, the offices' enrolment and the aggregator's configuration, and reading
# `dutyctl offices`.

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
# offices_field EXPR: the Python expression EXPR of OfficesList's reply `d`.
offices_field() {
        json_get "$(offices_json)" "$1"
}
# wait_offices EXPR VALUE WHAT: until offices_field EXPR prints VALUE (the aggregator took the
# entries that give it), at most 10 s; fails naming WHAT otherwise.
wait_offices() {
        for _ in $(seq 1 200); do
                [ "$(offices_field "$1")" = "$2" ] && return 0
                sleep 0.05
        done
        fail "$3: expected '$2', got '$(offices_field "$1")'"
}
# status_of OFFICE: its roster_status in OfficesList.
status_of() {
        offices_field "[o['roster_status'] for o in d['offices'] if o['id'] == '$1'][0]"
}
# wait_status OFFICE STATUS: until the aggregator took the entries that give it.
wait_status() {
        wait_offices "[o['roster_status'] for o in d['offices'] if o['id'] == '$1'][0]" "$2" "office $1's roster status"
}

# put FILE ENTRY-ARGS…: appends the entries (office-entries.py's arguments) to $R/FILE as
# systemd-journal-remote writes it ($R: the scenario's directory of received files).
put() {
        local file=$1
        shift
        python3 "$SRCDIR/tests/integration/office-entries.py" "$@" | "$JREMOTE" --output="$R/$file" - 2>>"$T/journal-remote.log" ||
                fail "journal-remote could not write $file: $(cat "$T/journal-remote.log")"
}

# enrol UNIT OFFICE…: each office enrolled in $T/wants as `systemctl enable
# dutyd-remote@<office>.socket` (run by dutyd-superior-enroll) leaves it: a link to UNIT.
enrol() {
        local unit=$1
        shift
        mkdir -p "$T/wants"
        for id in "$@"; do
                ln -s "$unit" "$T/wants/dutyd-remote@$id.socket"
        done
}

# aggregator_conf JOURNAL-DIR ENROLLED-DIR OFFICE…: dutyd.conf's aggregator section reading the
# received files of JOURNAL-DIR, the enrolment checked in ENROLLED-DIR ("": not checked), one
# office per argument "ID NAME [PHONE]".
aggregator_conf() {
        local dir=$1 enrolled=$2 id name phone
        shift 2
        {
                echo "aggregator = {"
                echo "  journal_dir = \"$dir\";"
                echo "  enrolled_dir = \"$enrolled\";"
                echo "  offices = ("
                while [ $# -gt 0 ]; do
                        read -r id name phone <<<"$1"
                        shift
                        echo "    { id = \"$id\"; name = \"$name\";${phone:+ phone = \"$phone\";} }$([ $# -gt 0 ] && echo ,)"
                done
                echo "  );"
                echo "};"
        } >>"$T/etc/dutyd.conf"
}

# national_day_report: the 国庆节 roster report due by 2026-09-28 17:00 in the sample notice, the
# deadline every aggregator scenario runs against.
national_day_report() {
        cat >>"$T/etc/holidays.d/cn-2026.conf" <<'CONF'
reports = ( { holiday = "国庆节"; deadline = "2026-09-28T17:00"; } );
CONF
}
