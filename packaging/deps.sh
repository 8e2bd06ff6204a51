# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by packaging/demo.sh and tests/run.sh: installs the Debian packages dutyd needs.
# ensure_packages GROUP…   where GROUP is "build", "test", "print", "office", "demo" or "fuzz".
# The groups follow meson.build: "build" is every dependency meson setup requires (python3 runs the
# IDL embedding, gettext's msgfmt the catalogs); "test" adds cmocka, which turns the tests on
# (-Dtests=auto), and what the scenarios run; "print" and "office" are the real programs the export
# scenarios open the 值班表 with (Chromium printing to PDF, LibreOffice reading the CSV).
# nginx-light, curl and libfaketime: the superior's receiving side (176: nginx checks the offices'
# certificates, each office's journald keeps its own clock).
# ensure_locale NAME        e.g. zh_CN.UTF-8: generates the locale if the system lacks it.

dutyd_packages_build="meson ninja-build pkg-config gcc libc6-dev binutils gettext python3 libsystemd-dev libsqlite3-dev libconfig-dev libjansson-dev libical-dev libcurl4-openssl-dev"
dutyd_packages_test="libcmocka-dev python3 python3-icalendar python3-aiosmtpd sqlite3 util-linux systemd systemd-journal-remote openssl valgrind locales man-db groff-base nginx-light curl libfaketime"
dutyd_packages_print="chromium poppler-utils fonts-noto-cjk"
dutyd_packages_office="libreoffice-calc-nogui python3-openpyxl"
dutyd_packages_demo="util-linux"
dutyd_packages_fuzz="clang libclang-rt-dev"
dutyd_packages_locale="locales"

ensure_packages() {
        local want="" missing="" p group
        for group in "$@"; do
                eval "want=\"\$want \$dutyd_packages_$group\""
        done
        for p in $want; do
                dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
        done
        [ -z "$missing" ] && return 0
        echo "Installing missing packages:$missing"
        if [ "$(id -u)" -ne 0 ]; then
                SUDO=sudo
        else
                SUDO=
        fi
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
}

ensure_locale() {
        local name=$1 lang=${1%%.*} charset=${1#*.}
        # locale -a spells "zh_CN.UTF-8" as "zh_CN.utf8".
        locale -a 2>/dev/null | grep -qix "$lang\.$(echo "$charset" | tr -d -)" && return 0
        ensure_packages locale
        echo "Generating the locale $name"
        if [ "$(id -u)" -ne 0 ]; then
                SUDO=sudo
        else
                SUDO=
        fi
        $SUDO localedef -i "$lang" -f "$charset" "$name"
}
