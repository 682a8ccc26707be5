#!/bin/sh
# verify.sh - `officialmail verify-log` and `officialmail expire` (SPEC 6
# and 7) on a known log: intact, then tampered with by hand with the
# sqlite3 shell, each time on a fresh copy, naming the first bad record;
# and the re-checking script of officialmail(1) ("THE HASH CHAIN"), taken
# from the manual page itself, agreeing with verify-log every time.
. "$top_srcdir/tests/lib.sh"
MAKE_LOG="$top_builddir/tests/store/make_log"
events="$top_srcdir/tests/data/store/events.txt"
require sqlite3 basenc sha256sum
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db="$tmp/violations.db"
V="$OM verify-log --database $db"
HEAD=f9aa0582a2d4409cc523bebf5974fb3ba0a5a7355188e46c93f5929dc65cefb3 # of record 30
PREV="its prev_hash does not match the hash of the record before it (a record was changed, removed, inserted or reordered)"
EDITED="its hash does not match its contents (the record was edited or forged)"

# The manual's script, its troff escapes undone.
sed -n '/^\.\\" audit-begin/,/^\.\\" audit-end/p' "$top_srcdir/doc/officialmail.1.in" |
    sed -e '1d' -e '$d' -e 's/\\-/-/g' -e 's/\\e/\\/g' -e 's/^\\&//' >"$tmp/audit.sh"

# status NAME WANT CMD... - run CMD, compare its exit status.
status() {
    name=$1 want=$2
    shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"
    check "$name (exit status)" "$?" "$want"
}

# fresh - the known log, anew.
fresh() {
    rm -f "$db" "$db-wal" "$db-shm"
    "$MAKE_LOG" "$db" "$events" || not_ok "make_log wrote the log"
}

# audit NAME WANT - the manual's script exits WANT (0 intact, 1 broken).
audit() {
    sh "$tmp/audit.sh" "$db" >"$tmp/audit.out" 2>&1
    check "$1: the manual's script agrees" "$?" "$2"
}

# tamper NAME SQL WANT - on a fresh log, after SQL, verify-log exits 1
# printing WANT, and the manual's script finds the log broken too.
tamper() {
    fresh
    sqlite3 "$db" "$2" || not_ok "$1: sqlite3 ran the tampering"
    status "$1" 1 $V
    check "$1: first bad record" "$(cat "$tmp/out")" "$3"
    audit "$1" 1
}

# rehash ID - what a forger would do: recompute record ID's hash from its
# prev_hash and its contents (canonical form as in officialmail(1)).
rehash() {
    canon="'id=' || length(id) || ':' || id || char(10)"
    for c in time queue_id message_id rule reasons action intended_action mode \
        exception_ticket department envelope_sender header_from address recipients \
        client_ip client_name auth_user spf dkim subject gateway; do
        canon="$canon || '$c=' || length(CAST($c AS BLOB)) || ':' || $c || char(10)"
    done
    sum=$(sqlite3 "$db" "SELECT hex(prev_hash || $canon) FROM violations WHERE id = $1" |
        basenc --base16 -d | sha256sum)
    sqlite3 "$db" "UPDATE violations SET hash = '${sum%% *}' WHERE id = $1"
}

COPY_30="INSERT INTO violations SELECT 31, '2026-03-07T00:00:00Z', queue_id, message_id, rule,
    reasons, action, intended_action, mode, exception_ticket, department, envelope_sender,
    header_from, address, recipients, client_ip, client_name, auth_user, spf, dkim, subject,
    gateway, hash, 'forged' FROM violations WHERE id = 30"

# --- intact ---------------------------------------------------------------------
fresh
status "intact log" 0 $V
check "intact: summary" "$(cat "$tmp/out")" "intact: 30 records, ids 1..30, 0 removed by expire
head: id=30 hash=$HEAD"
audit "intact" 0
check "the manual's script: head" "$(cat "$tmp/audit.out")" "intact: ids up to 30, head $HEAD"
local_conf "$top_srcdir/tests/data/samples/officialmail.conf" "$tmp/om.conf" "$db"
status "verify-log, the configuration's database" 0 "$OM" -c "$tmp/om.conf" verify-log
status "verify-log, -c after" 0 "$OM" verify-log --config="$tmp/om.conf"

# --- tampered, each on a fresh log -------------------------------------------
# An edit: record 10's stored hash was computed over its old subject.
tamper "edit a field" "UPDATE violations SET subject = 'Report ten' WHERE id = 10" \
    "first bad record: id=10 ($EDITED)"
tamper "edit the time" "UPDATE violations SET time = '2026-03-03T12:12:13Z' WHERE id = 10" \
    "first bad record: id=10 ($EDITED)"
# An edit whose hash is recomputed: record 10 checks, but record 11 still
# holds the old hash of record 10 as its prev_hash.
fresh
sqlite3 "$db" "UPDATE violations SET action = 'log' WHERE id = 10"
rehash 10
status "edit and rehash" 1 $V
check "edit and rehash: the next record is bad" "$(cat "$tmp/out")" "first bad record: id=11 ($PREV)"
audit "edit and rehash" 1
# A deletion in the middle: id 15 is the first record absent.
tamper "delete a middle record" "DELETE FROM violations WHERE id = 15" \
    "first bad record: id=15 (missing: no record has this id (the chain resumes at id 16))"
tamper "delete several" "DELETE FROM violations WHERE id BETWEEN 15 AND 17" \
    "first bad record: id=15 (missing: ids 15 to 17 are absent (the chain resumes at id 18))"
tamper "delete the first record" "DELETE FROM violations WHERE id = 1" \
    "first bad record: id=1 (missing: no record has this id (the chain resumes at id 2))"
# The newest record: no later record refers to it, the head in meta does.
tamper "delete the last record" "DELETE FROM violations WHERE id = 30" \
    "first bad record: id=30 (missing: the log's head says it ends at id 30)"
tamper "delete the last three" "DELETE FROM violations WHERE id >= 28" \
    "first bad record: id=28 (missing: the log's head says it ends at id 30)"
# A forged record after the last, chained on it but with a made-up hash.
tamper "insert a forged record" "$COPY_30" "first bad record: id=31 ($EDITED)"
# The same with its hash computed as officialmail would: the head catches it.
fresh
sqlite3 "$db" "$COPY_30"
rehash 31
status "insert a well-forged record" 1 $V
check "insert a well-forged record: past the head" "$(cat "$tmp/out")" \
    "first bad record: id=31 (it lies past the log's head (id 30): added outside officialmail)"
audit "insert a well-forged record" 1
tamper "insert before the first" "$(echo "$COPY_30" | sed 's/SELECT 31,/SELECT 0,/')" \
    "first bad record: id=0 (its id is out of sequence (expected 1))"
# A reorder: the record now at id 5 is the old record 6, whose prev_hash
# is the hash of the old record 5, not of record 4.
tamper "swap two records' ids" "UPDATE violations SET id = -5 WHERE id = 5;
    UPDATE violations SET id = 5 WHERE id = 6; UPDATE violations SET id = 6 WHERE id = -5" \
    "first bad record: id=5 ($PREV)"
tamper "replace the newest record's hash in the head" \
    "UPDATE meta SET value = '$(printf '%064d' 0)' WHERE key = 'head_hash'" \
    "first bad record: id=30 (its hash is not the log's head hash (the newest record was replaced))"

# --- expire ---------------------------------------------------------------------
fresh
status "expire --before DATE" 0 "$OM" expire --database "$db" --before 2026-03-04
check "expire: how many" "$(cat "$tmp/out")" "removed 12 records older than 2026-03-04T00:00:00Z"
status "verify-log after expire" 0 $V
check "after expire: summary" "$(cat "$tmp/out")" "intact: 18 records, ids 13..30, 12 removed by expire
head: id=30 hash=$HEAD"
audit "after expire" 0
status "expire: nothing that old" 0 "$OM" expire --database "$db" --before 2026-03-04
check "expire: none removed" "$(cat "$tmp/out")" "removed 0 records older than 2026-03-04T00:00:00Z"
status "expire --before DATE-TIME" 0 "$OM" expire --database "$db" --before=2026-03-05T10:00:00Z
check "expire: to the second" "$(cat "$tmp/out")" "removed 8 records older than 2026-03-05T10:00:00Z"
status "verify-log after two expires" 0 $V
check "after two expires: summary" "$(head -1 "$tmp/out")" "intact: 10 records, ids 21..30, 20 removed by expire"
audit "after two expires" 0
"$MAKE_LOG" "$db" "$events" || not_ok "make_log appended after expire"
check "appending after expire" "$($V | head -1)" "intact: 40 records, ids 21..60, 20 removed by expire"
sqlite3 "$db" "DELETE FROM violations WHERE id = 21"
status "delete the first record kept" 1 $V
check "delete the first record kept: named" "$(cat "$tmp/out")" \
    "first bad record: id=21 (missing: no record has this id (the chain resumes at id 22))"
audit "delete the first record kept" 1
fresh
"$OM" expire --database "$db" --before 2026-03-04 >/dev/null
sqlite3 "$db" "UPDATE checkpoints SET last_hash = '$(printf '%064d' 0)'"
status "a checkpoint tampered with" 1 $V
check "a checkpoint tampered with: named" "$(cat "$tmp/out")" "first bad record: id=13 ($PREV)"
fresh
"$OM" -c "$tmp/om.conf" expire --before 2026-03-07 >"$tmp/out"
check "expire everything, -c before" "$(cat "$tmp/out")" "removed 30 records older than 2026-03-07T00:00:00Z"
check "expire everything: still intact" "$($V)" "intact: 0 records, 30 removed by expire"
audit "expire everything" 0

# --- bad arguments, unreadable logs -------------------------------------------------
status "expire without --before" 2 "$OM" expire --database "$db"
contains "expire without --before explained" "$tmp/err" "--before DATE is required"
status "expire --before in the future" 2 "$OM" expire --database "$db" --before 2999-01-01
contains "future refused" "$tmp/err" "is in the future"
status "expire bad --before" 2 "$OM" expire --database "$db" --before 2026-13-01
status "expire takes no filters" 2 "$OM" expire --database "$db" --before 2026-03-04 --rule log
status "verify-log extra argument" 2 "$OM" verify-log --database "$db" extra
status "verify-log unknown option" 2 "$OM" verify-log --since 2026-03-01
status "help verify-log" 0 "$OM" help verify-log
contains "help verify-log: the broken line" "$tmp/out" "first bad record: id=N"
status "help expire" 0 "$OM" help expire
status "verify-log: missing database" 1 "$OM" verify-log --database "$tmp/absent.db"
contains "missing database named" "$tmp/err" "absent.db"
echo "not a database" >"$tmp/text.db"
status "verify-log: not a database" 1 "$OM" verify-log --database "$tmp/text.db"
status "expire: missing database" 1 "$OM" expire --database "$tmp/absent.db" --before 2026-03-04
if [ -e "$tmp/absent.db" ]; then not_ok "expire created no database"; else ok "expire created no database"; fi
sqlite3 "$tmp/other.db" "CREATE TABLE t (x)"
status "expire: a database that is not a log" 1 "$OM" expire --database "$tmp/other.db" --before 2026-03-04
check "expire left a stranger's database alone" "$(sqlite3 "$tmp/other.db" .tables)" "t"
: >"$tmp/empty.txt"
rm -f "$db" "$db-wal" "$db-shm"
"$MAKE_LOG" "$db" "$tmp/empty.txt"
check "an empty log is intact" "$($V)" "intact: 0 records, 0 removed by expire"

# --- verify-log reads while the milter would write -------------------------------
fresh
(printf 'BEGIN IMMEDIATE;\nUPDATE meta SET value = value;\n'; sleep 3; printf 'COMMIT;\n') |
    sqlite3 "$db" &
writer=$!
sleep 1
start=$(date +%s)
status "verify-log while a writer holds the lock" 0 $V
check "verify-log did not wait for the writer" "$(($(date +%s) - start < 2))" 1
wait "$writer"
finish
