#!/bin/sh
# commit.sh - database_commit = "background" (SPEC 6: "or, where that is
# configured off, within one second"): the end-of-message answer does not
# wait for the records, the writer thread commits them after it, and a
# SIGTERM commits what is still queued before the milter exits. Once the
# log is failing the answers wait again (451 when the commit does not
# come), as with the default ("before-answer", failure.sh).
. "$top_srcdir/tests/lib.sh"
require sqlite3
tmp=$(mktemp -d)
trap 'kill "$MILTER_PID" "$LOCKER" 2>/dev/null; wait "$MILTER_PID" 2>/dev/null; rm -rf "$tmp"' EXIT
sock="unix:$tmp/milter.sock"
log="$tmp/milter.log"
db="$tmp/violations.db"
conf="$tmp/officialmail.conf"
local_conf "$top_srcdir/tests/data/milter/officialmail.conf" "$conf" "$db"
printf 'database_timeout = 1;\ndatabase_commit = "background";\n' >>"$conf"

# message QID - one violating message (Reply-To webmail); its end-of-message reply.
message() {
    printf 'connect a 10.0.0.5\nmail <secy-it@jk.gov.in>\nrcpt <y@jk.gov.in>\nheader From: secy-it@jk.gov.in\nheader Reply-To: z@gmail.com\neoh\nqueue-id %s\neom\n' "$1" |
        "$MTCLIENT" "$sock" | tail -1
}

# records QID - the records of QID in the log (readers never wait: WAL).
records() {
    sqlite3 -cmd '.timeout 2000' "$db" "SELECT COUNT(*) FROM violations WHERE queue_id = '$1'"
}

# committed_within QID TENTHS - 1 once QID's record is in the log, polled for TENTHS/10 s.
committed_within() {
    i=0
    while [ $i -lt "$2" ]; do
        [ "$(records "$1")" = 1 ] && { echo 1; return; }
        sleep 0.1
        i=$((i + 1))
    done
    echo 0
}

"$OM" -c "$conf" check-config >"$tmp/out" 2>&1
check "check-config accepts database_commit = background" "$?" 0
sed 's/"background"/"later"/' "$conf" >"$tmp/bad.conf"
"$OM" -c "$tmp/bad.conf" check-config >"$tmp/out" 2>&1
check "check-config refuses another value" "$?" 1
contains "...naming the file, the line and the values allowed" "$tmp/out" \
    "bad.conf:$(grep -n database_commit "$tmp/bad.conf" | cut -d: -f1)"
contains "...and the values allowed" "$tmp/out" '"before-answer", "background"'

start_milter "$conf" "$sock" "$log" || { not_ok "milter starts" "$(cat "$log")"; finish; exit 1; }
check "background: the message is answered" "$(message BG1)" "eom: accept"
check "background: its record is committed at once (polled for up to 3 s)" "$(committed_within BG1 30)" 1
contains "background: its syslog line" "$log" "BG1: violation"

# Locked for 8 s, far past database_timeout: before-answer would answer 451 (failure.sh).
lock_db "$db" 8
check "locked: the message is answered without waiting" "$(message LOCK1)" \
    "eom: accept"
check "locked: its record is not committed yet" "$(records LOCK1)" 0
if grep -qF "LOCK1: violation" "$log"; then
    not_ok "locked: no syslog line before the commit"
else
    ok "locked: no syslog line before the commit"
fi
# Once the writer's attempt has failed (it waits 1 s for the lock), the log
# is failing: the answers wait again, and say 451 when the commit does not come.
i=0
while ! grep -q "cannot be written" "$log" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
check "failing: the next message waits, and is answered 451" "$(message LOCK2)" \
    "eom: reply 451 4.3.0 Temporary internal error, please try again later"
wait "$LOCKER"
check "unlocked: the writer thread commits the first" "$(committed_within LOCK1 50)" 1
contains "unlocked: then its syslog line" "$log" "LOCK1: violation"
check "unlocked: the message answered 451 left no record (it will be retried)" \
    "$(records LOCK2)" 0

# A SIGTERM while a record waits for the lock: committed before the exit.
lock_db "$db" 3
check "locked again: answered" "$(message TERM1)" "eom: accept"
stop_milter
wait "$LOCKER"
check "SIGTERM: exit status 0" "$MILTER_STATUS" 0
check "SIGTERM: the queued record was committed before the exit" "$(records TERM1)" 1
check "every record exactly once" "$(sqlite3 "$db" 'SELECT COUNT(*) FROM violations')" 3
"$OM" verify-log --database "$db" >"$tmp/out" 2>&1
check "the log verifies" "$?" 0

# A batch that fails every time (the fault build fails FAULT1's second
# record) holds back only itself: after the failure the writer takes one
# batch a round, and puts the failing one behind the others.
MILTER="$top_builddir/tests/milter/officialmail-milter-faults"
export OFFICIALMAIL_FAULT_QUEUE_ID=FAULT1
start_milter "$conf" "$sock" "$log" || { not_ok "fault build starts" "$(cat "$log")"; finish; exit 1; }
# two violations (two webmail recipients of a sender whose envelope is not official)
two() {
    printf 'connect a 10.0.0.5\nmail <clerk@outside.example>\nrcpt <a@gmail.com>\nrcpt <b@gmail.com>\nheader From: secy-it@jk.gov.in\neoh\nqueue-id %s\neom\n' "$1" |
        "$MTCLIENT" "$sock" | grep '^eom:'
}
two FAULT1 >/dev/null
i=0
while ! grep -q "injected fault (queue id FAULT1)" "$log" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
two LATER1 >"$tmp/later"
check "behind a failing batch: the next message's records are committed" \
    "$(sqlite3 -cmd '.timeout 2000' "$db" "SELECT COUNT(*) FROM violations WHERE queue_id = 'LATER1'")" 2
stop_milter
check "the failing batch alone is reported lost at exit" \
    "$(grep -c '2 violation records could not be written' "$log")" 1
check "...and nothing of it is in the log" "$(records FAULT1)" 0
finish
