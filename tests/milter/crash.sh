#!/bin/sh
# crash.sh - SIGKILL of the milter during a load of violating messages:
# every message whose end-of-message reply the client received has its
# records in the database; the log still verifies; the milter starts on
# it again.
. "$top_srcdir/tests/lib.sh"
require sqlite3
tmp=$(mktemp -d)
sock="unix:$tmp/milter.sock"
log="$tmp/milter.log"
db="$tmp/violations.db"
conf="$tmp/officialmail.conf"
local_conf "$top_srcdir/tests/data/milter/officialmail.conf" "$conf" "$db"
trap 'kill -9 "$MILTER_PID" "$LOAD_PID" 2>/dev/null; rm -rf "$tmp"' EXIT

start_milter "$conf" "$sock" "$log" || { not_ok "milter starts" "$(cat "$log")"; finish; exit 1; }
# Bounded: 20,000 messages or 60 s; the kill comes long before either.
"$top_builddir/tests/milter/mtload" -s "$sock" -n 20000 -c 8 -t 60 -m violating \
    -a "$tmp/acked" -q K >"$tmp/load.out" 2>&1 &
LOAD_PID=$!
sleep 1.5
kill -9 "$MILTER_PID"
wait "$MILTER_PID" 2>/dev/null
wait "$LOAD_PID" 2>/dev/null
acked=$(sort -u "$tmp/acked" | awk '{print $1}' | sort -u)
n_acked=$(printf '%s\n' "$acked" | grep -c .)
printf '%s\n' "$acked" >"$tmp/acked.ids"
sqlite3 "$db" "SELECT DISTINCT queue_id FROM violations" | sort -u >"$tmp/db.ids"
n_found=$(comm -12 "$tmp/acked.ids" "$tmp/db.ids" | grep -c .)
echo "# SIGKILL: $n_acked acknowledged, $n_found of them in the database"
if [ "$n_acked" -gt 100 ]; then ok "the load was under way ($n_acked messages acknowledged)"; else
    not_ok "the load was under way" "$(cat "$tmp/load.out")"; fi
check "every acknowledged message has its records ($n_acked acknowledged)" "$n_found" "$n_acked"
check "the database is sound" "$(sqlite3 "$db" 'PRAGMA integrity_check')" "ok"
if [ -x "$OM" ] && "$OM" help verify-log >/dev/null 2>&1; then
    "$OM" verify-log --database "$db" >"$tmp/verify" 2>&1
    check "the log still verifies after SIGKILL" "$?" 0
fi
before=$(sqlite3 "$db" "SELECT COUNT(*) FROM violations")
start_milter "$conf" "$sock" "$log" || not_ok "the milter starts again on the log"
printf 'connect a 10.0.0.5\nmail <secy-it@jk.gov.in>\nrcpt <x@gmail.com>\nrcpt <y@jk.gov.in>\nheader From: secy-it@jk.gov.in\neoh\nqueue-id AFTER\neom\n' |
    "$MTCLIENT" "$sock" >/dev/null
after=$(sqlite3 "$db" "SELECT COUNT(*) FROM violations WHERE queue_id = 'AFTER'")
check "and records the next violation after the $before it had" "$after" 1
stop_milter
finish
