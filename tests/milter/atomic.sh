#!/bin/sh
# atomic.sh - a message's records are committed together or not at all,
# and their syslog lines are written after the commit (SPEC 5b "Exactly
# once"). The milter built with the store's fault hook fails the second
# record of the message with queue id FAULT1, as a full disk would: the
# message is answered 451 and leaves neither a record nor a syslog line;
# the sender's retry is recorded once.
. "$top_srcdir/tests/lib.sh"
command -v sqlite3 >/dev/null || { not_ok "the sqlite3 command is installed"; finish; exit 1; }
tmp=$(mktemp -d)
conf="$tmp/officialmail.conf"
db="$tmp/violations.db"
local_conf "$top_srcdir/tests/data/milter/officialmail.conf" "$conf" "$db"
printf 'database_timeout = 1;\n' >>"$conf"
sock="unix:$tmp/milter.sock"
log="$tmp/milter.log"
trap 'kill "$MILTER_PID" 2>/dev/null; wait "$MILTER_PID" 2>/dev/null; rm -rf "$tmp"' EXIT
MILTER="$top_builddir/tests/milter/officialmail-milter-faults"
export OFFICIALMAIL_FAULT_QUEUE_ID=FAULT1

# message QID - official mail to two webmail recipients from a sender whose
# envelope is not official: two violations, the whole message refused.
message() {
    printf 'connect a 10.0.0.5\nmail <clerk@outside.example>\nrcpt <a@gmail.com>\nrcpt <b@gmail.com>\nheader From: secy-it@jk.gov.in\neoh\nqueue-id %s\neom\n' "$1" |
        "$MTCLIENT" "$sock" | grep '^eom:'
}

# records QID - how many records the log holds for QID.
records() { sqlite3 "$db" "SELECT COUNT(*) FROM violations WHERE queue_id = '$1'"; }

if start_milter "$conf" "$sock" "$log"; then ok "milter starts"; else
    not_ok "milter starts" "$(cat "$log")"; finish; exit 1
fi
check "the second record fails: the message is answered 451" "$(message FAULT1)" \
    "eom: reply 451 4.3.0 Temporary internal error, please try again later"
check "nothing of it stays in the log" "$(records FAULT1)" 0
check "no syslog line for a record that was not committed" \
    "$(grep -c 'FAULT1: violation' "$log")" 0
contains "the log says why" "$log" "injected fault (queue id FAULT1)"
sleep 0.3 # the writer stops retrying the withdrawn batch
check "the sender's retry is refused" "$(message RETRY1)" \
    "eom: reply 550 5.7.1 Official mail may not be sent to private webmail accounts (rule official-to-webmail)"
check "the retry is recorded once: two records" "$(records RETRY1)" 2
check "and two syslog lines" "$(grep -c 'RETRY1: violation' "$log")" 2
check "the whole log holds exactly those two" "$(sqlite3 "$db" 'SELECT COUNT(*) FROM violations')" 2
if "$OM" -c "$conf" verify-log >"$tmp/verify.out" 2>&1; then ok "the log verifies"; else
    not_ok "the log verifies" "$(cat "$tmp/verify.out")"
fi
stop_milter
check "SIGTERM: exit status 0" "$MILTER_STATUS" 0
finish
