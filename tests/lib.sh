# lib.sh - what the shell tests share: TAP-like lines and a closing count.
# Sourced by the tests; top_srcdir and top_builddir come from make check.
: "${top_srcdir:=.}" "${top_builddir:=.}"
# An interrupted test still runs its EXIT trap (stops what it started).
trap 'exit 130' INT TERM
OM="$top_builddir/officialmail"
t_pass=0
t_fail=0

# ok NAME - record a passing check.
ok() { t_pass=$((t_pass + 1)); echo "ok $((t_pass + t_fail)) - $1"; }

# not_ok NAME DETAIL - record a failing check and say why.
not_ok() {
    t_fail=$((t_fail + 1))
    echo "not ok $((t_pass + t_fail)) - $1"
    [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/#   /'
    return 0
}

# check NAME GOT WANT - pass when the two strings are equal.
check() {
    if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got:  $2
want: $3"; fi
}

# finish - the closing line CI counts, and the exit status make reads.
finish() {
    echo "$t_pass passed, $t_fail failed"
    [ "$t_fail" -eq 0 ]
}

# require TOOL... - every TOOL is a command here, or the test fails at once.
# A missing tool is a failure, never a skip: a suite that did not run
# must not look like one that passed (contrib/install-deps.sh --test
# installs every tool the tests use).
require() {
    for tool in "$@"; do
        command -v "$tool" >/dev/null 2>&1 && continue
        not_ok "prerequisite: $tool" "the command $tool is missing (sh contrib/install-deps.sh --test)"
        finish
        exit 1
    done
}

# require_root WHY - the test runs as root, or fails at once saying WHY.
require_root() {
    [ "$(id -u)" -eq 0 ] && return 0
    not_ok "prerequisite: root" "this test needs root: $1"
    finish
    exit 1
}

MILTER="$top_builddir/officialmail-milter"
MTCLIENT="$top_builddir/tests/milter/mtclient"

# start_milter CONF SOCKET LOG - run the milter in the foreground, in the
# background of the test; wait (at most 10 s) until it accepts connections.
start_milter() {
    "$MILTER" -f -c "$1" -p "$2" 2>>"$3" &
    MILTER_PID=$!
    i=0
    while [ $i -lt 100 ]; do
        if printf 'connect probe 127.0.0.1\nquit\n' | "$MTCLIENT" "$2" >/dev/null 2>&1; then
            return 0
        fi
        kill -0 "$MILTER_PID" 2>/dev/null || return 1
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

# stop_milter - SIGTERM to the milter we started, and its exit status.
stop_milter() {
    kill -TERM "$MILTER_PID" 2>/dev/null
    wait "$MILTER_PID"
    MILTER_STATUS=$?
}

# expect NAME SOCKET WANT - run the script on stdin, compare the replies.
expect() {
    got=$("$MTCLIENT" "$2" 2>&1)
    check "$1" "$got" "$3"
}

# contains NAME FILE TEXT - FILE holds TEXT (a fixed string).
contains() {
    if grep -qF -- "$3" "$2"; then ok "$1"; else not_ok "$1" "no '$3' in $2:
$(tail -5 "$2")"; fi
}

# local_conf SRC DST DB - copy configuration SRC to DST with its violation
# log at DB and its relative list paths made absolute (DST lives elsewhere).
local_conf() {
    srcdir=$(cd "$(dirname "$1")" && pwd)
    sed -e "s|^database = .*|database = \"$3\";|" \
        -e "s|\"\\.\\./|\"$srcdir/../|g" "$1" >"$2"
}

# has_record NAME LOG TEXT... - some line of LOG holds every TEXT (fixed strings).
has_record() {
    name=$1 file=$2
    shift 2
    lines=$(cat "$file")
    for t in "$@"; do lines=$(printf '%s\n' "$lines" | grep -F -- "$t"); done
    if [ -n "$lines" ]; then ok "$name"; else not_ok "$name" "no line with: $*"; fi
}

# wait_locked DB [TENTHS] - until another process holds DB's write lock (a
# probe that does not wait fails while it does), at most TENTHS/10 s (50).
wait_locked() {
    _wl=0
    while sqlite3 -cmd '.timeout 0' "$1" 'BEGIN IMMEDIATE; ROLLBACK;' >/dev/null 2>&1 &&
        [ $_wl -lt "${2:-50}" ]; do
        sleep 0.1
        _wl=$((_wl + 1))
    done
}

# lock_db DB SECONDS - a sqlite3 in the background holds DB's write lock for
# SECONDS (LOCKER is its PID); returns once it holds it. Its busy timeout
# lets it wait out a probe of wait_locked that holds the lock a moment.
lock_db() {
    (printf 'BEGIN IMMEDIATE;\n'; sleep "$2"; printf 'COMMIT;\n') | sqlite3 -cmd '.timeout 10000' "$1" &
    LOCKER=$!
    wait_locked "$1"
}
