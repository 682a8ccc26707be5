#!/bin/sh
# oldlog.sh - a violation log written by release 0.2.0 (the committed
# tests/data/store/release-0.2.0.db: tests/data/store/events.txt through
# make_log, then `expire --before 2026-03-04`, with that release's code)
# still verifies with this verify-log, and records appended now chain on
# its head and verify too: the file format and the hash chain are kept.
. "$top_srcdir/tests/lib.sh"
MAKE_LOG="$top_builddir/tests/store/make_log"
old="$top_srcdir/tests/data/store/release-0.2.0.db"
require sqlite3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db="$tmp/violations.db"
# A copy: verify-log would leave SQLite's -shm beside the source file.
cp "$old" "$db" && chmod u+w "$db" || not_ok "copied the old log"
HEAD=f9aa0582a2d4409cc523bebf5974fb3ba0a5a7355188e46c93f5929dc65cefb3

"$OM" verify-log --database "$db" >"$tmp/out" 2>&1
check "0.2.0 log: verify-log exit status" "$?" 0
check "0.2.0 log: summary" "$(cat "$tmp/out")" "intact: 18 records, ids 13..30, 12 removed by expire
head: id=30 hash=$HEAD"

# Appending with this release's store: the chain continues from id 30.
"$MAKE_LOG" "$db" "$top_srcdir/tests/data/store/events.txt" || not_ok "make_log appended"
"$OM" verify-log --database "$db" >"$tmp/out" 2>&1
check "0.2.0 log, appended to: verify-log exit status" "$?" 0
check "0.2.0 log, appended to: range" "$(head -n 1 "$tmp/out")" \
    "intact: 48 records, ids 13..60, 12 removed by expire"
prev=$(sqlite3 "$db" "SELECT prev_hash FROM violations WHERE id = 31")
check "record 31 chains on the old head" "$prev" "$HEAD"
finish
