# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the scenarios that check configurations (08x-conf-*.sh), after lib.sh: $CONF is the
# configuration under test, $T/sample.conf the sample office it is edited from. Sourced, not run.

CONF="$T/etc/dutyd.conf"
cp "$CONF" "$T/sample.conf"

# check_config: runs dutyd --check-config on $CONF; sets OUT, ERR and RC.
check_config() {
        RC=0
        "$DUTYD" --check-config "$CONF" >"$T/check.out" 2>"$T/check.err" || RC=$?
        OUT=$(cat "$T/check.out")
        ERR=$(cat "$T/check.err")
        printf '%s\n' "$OUT" "$ERR" | sed '/^$/d; s/^/    /'
}

# line_of TEXT: the line of $CONF that holds TEXT.
line_of() {
        grep -nF -- "$1" "$CONF" | head -n 1 | cut -d: -f1
}

# edit PYTHON: $CONF is the sample with s (its text) changed by PYTHON into t.
edit() {
        python3 - "$T/sample.conf" "$CONF" "$1" <<'PY'
import sys
src, dst, code = sys.argv[1:]
s = open(src, encoding="utf-8").read()
t = s
exec(code)
assert t != s, "the edit changed nothing"
open(dst, "w", encoding="utf-8").write(t)
PY
}
