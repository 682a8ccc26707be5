#!/bin/sh
# failure.sh - the violation log cannot be written: the disk is full (a
# small tmpfs made by the test), or another process holds the database
# locked past database_timeout. Mail is answered 451 (on_internal_error
# tempfail: nothing lost, nothing let through), the daemon keeps running,
# says so in the log, and recovers when the condition clears.
. "$top_srcdir/tests/lib.sh"
require sqlite3
require_root "to mount a small tmpfs"
tmp=$(mktemp -d)
small="$tmp/small"
mkdir -p "$small"
mount -t tmpfs -o size=512k tmpfs "$small" || { not_ok "mount a 512 KiB tmpfs"; finish; exit 1; }
trap 'kill "$MILTER_PID" 2>/dev/null; wait "$MILTER_PID" 2>/dev/null; umount "$small"; rm -rf "$tmp"' EXIT
sock="unix:$tmp/milter.sock"
log="$tmp/milter.log"
db="$small/violations.db"
conf="$tmp/officialmail.conf"
local_conf "$top_srcdir/tests/data/milter/officialmail.conf" "$conf" "$db"
printf 'database_timeout = 2;\n' >>"$conf"

# accepted_after NAME QID - the message is accepted, at the first try or (a
# loaded machine may take longer than the timeout to reopen the log) at
# one of two retries, as a client retries after 451.
accepted_after() {
    for q in "$2" "$2.r1" "$2.r2"; do
        got=$(message "$q")
        case $got in "eom: addheader"*|"eom: accept") ok "$1"; ACCEPTED=$q; return;; esac
        sleep 1
    done
    not_ok "$1" "$got"
}

# message QID - one violating message; prints the end-of-message reply.
message() {
    printf 'connect a 10.0.0.5\nmail <secy-it@jk.gov.in>\nrcpt <y@jk.gov.in>\nheader From: secy-it@jk.gov.in\nheader Reply-To: z@gmail.com\neoh\nqueue-id %s\neom\n' "$1" |
        "$MTCLIENT" "$sock" | tail -1
}

start_milter "$conf" "$sock" "$log" || { not_ok "milter starts" "$(cat "$log")"; finish; exit 1; }
# Fill the file system before the first record: the write-ahead log cannot grow.
dd if=/dev/zero of="$small/filler" bs=4k 2>/dev/null
check "disk full: the message is answered 451" "$(message FULL1)" \
    "eom: reply 451 4.3.0 Temporary internal error, please try again later"
contains "disk full: the log says why" "$log" "cannot be written"
if kill -0 "$MILTER_PID"; then ok "disk full: the daemon keeps running"; else not_ok "the daemon keeps running"; fi
rm -f "$small/filler"
sleep 1.5
accepted_after "space again: the message is accepted" FREE1
contains "space again: the log says it recovered" "$log" "is written again"
check "space again: its record is in the database" \
    "$(sqlite3 "$db" "SELECT COUNT(*) FROM violations WHERE queue_id = '$ACCEPTED'")" 1
check "the refused message left no record (it will be retried)" \
    "$(sqlite3 "$db" "SELECT COUNT(*) FROM violations WHERE queue_id = 'FULL1'")" 0

# Another process holds the write lock for 4 s, longer than database_timeout (2 s).
lock_db "$db" 4 # returns once it holds it (a loaded machine starts it late)
check "locked: the message is answered 451" "$(message LOCK1)" \
    "eom: reply 451 4.3.0 Temporary internal error, please try again later"
wait "$LOCKER"
sleep 1.5
accepted_after "unlocked: the message is accepted" UNLOCK1
check "the message answered 451 while locked left no record (it will be retried)" \
    "$(sqlite3 "$db" "SELECT COUNT(*) FROM violations WHERE queue_id = 'LOCK1'")" 0
check "unlocked: its record is in the database" \
    "$(sqlite3 "$db" "SELECT COUNT(*) FROM violations WHERE queue_id = '$ACCEPTED'")" 1
stop_milter
check "SIGTERM: exit status 0" "$MILTER_STATUS" 0
finish
