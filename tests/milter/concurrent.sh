#!/bin/sh
# concurrent.sh - 20 concurrent milter connections produce violations
# while `officialmail log` and `stats` read the log again and again: the
# readers never block the milter (no message is answered 451), every read
# succeeds, and at the end the log holds every record and verifies.
. "$top_srcdir/tests/lib.sh"
require sqlite3
tmp=$(mktemp -d)
sock="unix:$tmp/milter.sock"
log="$tmp/milter.log"
db="$tmp/violations.db"
conf="$tmp/officialmail.conf"
local_conf "$top_srcdir/tests/data/milter/officialmail.conf" "$conf" "$db"
trap 'kill "$MILTER_PID" "$LOAD_PID" 2>/dev/null; rm -rf "$tmp"' EXIT

start_milter "$conf" "$sock" "$log" || { not_ok "milter starts" "$(cat "$log")"; finish; exit 1; }
# Bounded: 3,000 messages or 60 s.
"$top_builddir/tests/milter/mtload" -s "$sock" -n 3000 -c 20 -t 60 -m violating -q C \
    >"$tmp/load.out" 2>&1 &
LOAD_PID=$!
reads=0 failed=0
while kill -0 "$LOAD_PID" 2>/dev/null && [ $reads -lt 500 ]; do
    if "$OM" -c "$conf" log --format json >"$tmp/read.json" 2>"$tmp/read.err" &&
        "$OM" -c "$conf" stats --by rule >/dev/null 2>>"$tmp/read.err"; then
        reads=$((reads + 1))
    else
        failed=$((failed + 1))
    fi
done
wait "$LOAD_PID"
load=$(cat "$tmp/load.out")
echo "# load: $load; $reads reads of the log meanwhile"
if [ $reads -ge 3 ]; then ok "the log was read $reads times during the load"; else
    not_ok "the log was read during the load" "$reads reads"; fi
check "every read succeeded" "$failed" 0
case $load in *"messages=3000 errors=0"*"tempfailed=0"*) ok "3,000 messages on 20 connections, none answered 451";;
    *) not_ok "3,000 messages on 20 connections, none answered 451" "$load";; esac
# The violating mix: 1 record for two of its messages, 2 for the spoof.
want=$(( (3000 / 3) * 4 ))
check "every record is in the log" "$(sqlite3 "$db" 'SELECT COUNT(*) FROM violations')" "$want"
"$OM" -c "$conf" verify-log >"$tmp/verify" 2>&1
check "and the log verifies" "$?" 0
stop_milter
finish
