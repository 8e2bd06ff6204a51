#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Holds the built binaries to the layers of daemon/meson.build:
#   - dutyctl needs no libconfig (nor SQLite, nor libsystemd) and carries none of the engines, the
#     configuration reader, the Varlink server or the feeds' writer (it shares only the iCalendar
#     renderer of libdutyd-ics with dutyd);
#   - neither dutyd nor dutyctl links libcurl or libical: they are loaded when first used
#     (daemon/dl.h), so that a start pays neither, nor what they bring (TLS, ICU, the C++ runtime);
#   - libdutyd-core.a asks nothing of any library but the C library (and libm): every symbol its
#     objects use is defined in the archive itself or in libc/libm (or, in a sanitizer build, in
#     the sanitizers' runtimes);
#   - the core's unit tests need no shared library but libc, libm and cmocka (and the sanitizers');
#   - and, read from the sources beside this script, the Varlink API's files include no header of a
#     layer above their own (api.c > api-methods.c > the handlers api-<family>.c > api-audit.c >
#     api-json.c), so that the request's transaction and the reply building never come to depend
#     on what calls them again.
#
#   tests/check-layers.sh DUTYCTL DUTYD LIBDUTYD_CORE_A CORE_TEST…
#
# Prints what it measured; exits non-zero naming every breach.
set -euo pipefail

dutyctl=$1
dutyd=$2
core=$3
shift 3

fail=0
breach() {
        echo "BREACH: $*" >&2
        fail=1
}

needed() {
        readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'
}

# ---- dutyctl ----
libs=$(needed "$dutyctl")
echo "dutyctl needs: $(echo $libs)"
for lib in $libs; do
        case $lib in
        libconfig.so* | libsqlite3.so* | libsystemd.so*)
                breach "dutyctl links $lib" ;;
        esac
done

defined=$(nm --defined-only "$dutyctl" | awk '{ print $3 }')
if [ -z "$defined" ]; then
        breach "dutyctl has no symbol table: cannot tell what it carries"
fi
# An engine, the reader and the server each named by one function they cannot do without.
for sym in roster_generate rules_check_leave gaps_compute varlink_server_new config_load config_load_from_memory \
           duty_calendar_load store_open manager_new feed_run roster_reply_show; do
        if grep -qx "$sym" <<<"$defined"; then
                breach "dutyctl carries $sym"
        fi
done
# …and it renders iCalendar with the daemon's own renderer, not a copy.
grep -qx ics_render <<<"$defined" || breach "dutyctl does not carry ics_render (libdutyd-ics)"
echo "dutyctl size: $(stat -c %s "$dutyctl") bytes"

# ---- the libraries loaded when used ----
for prog in "$dutyctl" "$dutyd"; do
        for lib in $(needed "$prog"); do
                case $lib in
                libcurl.so* | libical.so* | libicu*.so* | libstdc++.so*)
                        breach "$(basename "$prog") links $lib (it is loaded when used: daemon/dl.h)" ;;
                esac
        done
done
echo "dutyd needs: $(echo $(needed "$dutyd"))"

# ---- libdutyd-core.a ----
core_defined=$(nm --defined-only "$core" 2>/dev/null | awk 'NF == 3 { print $3 }' | sort -u)
core_undefined=$(nm -u "$core" 2>/dev/null | awk '{ print $2 }' | sed 's/@.*//' | sort -u)
outside=$(comm -23 <(echo "$core_undefined") <(echo "$core_defined"))

# What the core's tests load besides cmocka: the C library, libm, and under -Db_sanitize the
# sanitizers' runtimes, whose hooks the instrumented objects call.
system_libs=
for t in "$@"; do
        system_libs=$(ldd "$t" | awk '$3 ~ /^\// && $1 !~ /^libcmocka\./ { print $3 }')
        [ -n "$system_libs" ] && break
done
[ -n "$system_libs" ] || system_libs=$(gcc -print-file-name=libc.so.6)
system=$(for l in $system_libs; do nm -D --defined-only "$l"; done | awk '{ print $3 }' | sed 's/@.*//' | sort -u)
# _GLOBAL_OFFSET_TABLE_ is the linker's own, referred to by position-independent code.
foreign=$(comm -23 <(echo "$outside") <(echo "$system") | grep -v -e '^$' -e '^_GLOBAL_OFFSET_TABLE_$' || true)
echo "libdutyd-core.a: $(echo "$core_defined" | wc -l) symbols defined, $(echo "$outside" | grep -c . || true) used from outside it"
if [ -n "$foreign" ]; then
        breach "libdutyd-core.a uses symbols from outside libc and libm: $(echo $foreign)"
fi

# ---- the core's unit tests ----
for t in "$@"; do
        for lib in $(needed "$t"); do
                case $lib in
                libc.so* | libm.so* | libcmocka.so* | libasan.so* | libubsan.so* | liblsan.so* | libgcc_s.so*) ;;
                *) breach "$(basename "$t") links $lib" ;;
                esac
        done
done
echo "core unit tests checked: $#"

# ---- the Varlink API's layers, in the sources ----
# The level of an api file by its name (a .c and its .h alike): anything not named is a handler.
api_level() {
        case $1 in
        api-json) echo 0 ;;
        api-audit) echo 1 ;;
        api-methods) echo 3 ;;
        api) echo 4 ;;
        *) echo 2 ;;
        esac
}
daemon=$(dirname "$0")/../daemon
n_api=0
for f in "$daemon"/api*.[ch]; do
        name=$(basename "${f%.[ch]}")
        level=$(api_level "$name")
        n_api=$((n_api + 1))
        for inc in $(sed -n 's/^#include "\(api[^"]*\)\.h".*/\1/p' "$f"); do
                if [ "$(api_level "$inc")" -gt "$level" ]; then
                        breach "$(basename "$f") includes $inc.h, a layer above its own"
                fi
        done
done
[ "$n_api" -gt 0 ] || breach "no api*.c in $daemon: cannot check the API's layers"
echo "api files checked: $n_api"

exit $fail
