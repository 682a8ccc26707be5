#!/bin/sh
# ship.sh - the central log (SPEC 9) against a real PostgreSQL started here:
# the schema and its roles, two gateways shipping at once, the central
# database stopped in the middle of shipping and started again, ship killed
# with SIGKILL again and again during a 20,000-record backlog, exact counts
# after each (nothing lost, nothing twice, ids contiguous), verify-log
# --central on an intact, a tampered and a gapped log, a hash conflict, and
# local expire keeping what is not shipped yet.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/pg/lib.sh"
. "$top_srcdir/tests/pg/gen.sh"
MAKE_LOG="$top_builddir/tests/store/make_log"
require psql setpriv awk
[ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ] || {
    not_ok "prerequisite: PostgreSQL server" "no /usr/lib/postgresql/*/bin/initdb (sh contrib/install-deps.sh --test)"
    finish
    exit 1
}
tmp=$(mktemp -d)
SHIP_PIDS=
cleanup() {
    for p in $SHIP_PIDS; do kill -KILL "$p" 2>/dev/null; done
    pg_stop
    rm -rf "$tmp"
}
trap cleanup EXIT
chmod 755 "$tmp"
GW1=mx1.jk.gov.in
GW2=mx2.jk.gov.in

pg_start "$tmp/pg" || { not_ok "PostgreSQL started"; finish; exit 1; }
ok "PostgreSQL started (pid $PG_PID, socket in $PGHOST)"
pg_central && ok "central-schema --create as the owner (CREATEROLE, not a superuser)" ||
    not_ok "central-schema --create"
pg_gateway "$GW1" && pg_gateway "$GW2" && ok "central-schema --add-gateway, twice" ||
    not_ok "central-schema --add-gateway"
pg_psql om_owner "CREATE ROLE auditor LOGIN PASSWORD 'auditor-secret' IN ROLE officialmail_compliance" &&
    pg_pass auditor auditor-secret
"$OM" central-schema --create --database "$(pg_conninfo om_owner)" --add-reader it_reader \
    --department "Information Technology" >/dev/null &&
    pg_psql om_owner "ALTER ROLE it_reader PASSWORD 'reader-secret'" && pg_pass it_reader reader-secret &&
    ok "central-schema --add-reader" || not_ok "central-schema --add-reader"

# conf NAME GATEWAY ROLE - a configuration whose log is $tmp/NAME.db, shipped as ROLE.
conf() {
    local_conf "$top_srcdir/tests/data/samples/officialmail.conf" "$tmp/$1.conf" "$tmp/$1.db"
    cat >>"$tmp/$1.conf" <<EOC
gateway_name = "$2";
central_database = "$(pg_conninfo "$3")";
central_read_database = "$(pg_conninfo auditor)";
ship_batch = 500;
ship_state = "$tmp/$1.shipped";
EOC
}
conf gw1 "$GW1" "$GW1"
conf gw2 "$GW2" "$GW2"

# central_count GATEWAY - rows, distinct ids and the highest id centrally: "N N N".
central_count() {
    pg_psql om_owner "SELECT count(*) || ' ' || count(DISTINCT id) || ' ' || coalesce(max(id), 0)
        FROM violations WHERE gateway = '$1'"
}
# local_count NAME - the records of the local log $tmp/NAME.db.
local_count() {
    "$OM" log --database "$tmp/$1.db" --format json | wc -l
}

# --- the settings -----------------------------------------------------------
printf 'central_database = "host=db user=x password=secret";\n' >>"$tmp/bad.conf"
sed -e '/^central_database/d' "$tmp/gw1.conf" >>"$tmp/bad.conf"
"$OM" check-config -c "$tmp/bad.conf" >"$tmp/out" 2>&1
check "a password in central_database: check-config exit 1" "$?" 1
contains "a password in central_database: says where it goes" "$tmp/out" \
    "central_database: no password in the configuration; put it in the shipping user's ~/.pgpass or PGPASSFILE"
printf 'central_database = "postgresql://x:secret@db/officialmail";\n' >"$tmp/bad.conf"
sed -e '/^central_database/d' "$tmp/gw1.conf" >>"$tmp/bad.conf"
"$OM" check-config -c "$tmp/bad.conf" >/dev/null 2>&1
check "a password in a central_database URI: check-config exit 1" "$?" 1
"$OM" check-config -c "$tmp/gw1.conf" >/dev/null 2>&1
check "the shipping configuration checks" "$?" 0
sed -e '/^central_database/d' "$tmp/gw1.conf" >"$tmp/noship.conf"
"$OM" ship -c "$tmp/noship.conf" --once >"$tmp/out" 2>&1
check "ship without central_database: exit 1" "$?" 1
contains "ship without central_database: says so" "$tmp/out" "central_database is not set"

# --- the printed schema ---------------------------------------------------
"$OM" central-schema >"$tmp/schema.sql"
for want in "CREATE TABLE IF NOT EXISTS violations" "PRIMARY KEY (gateway, id)" \
    "CREATE TABLE IF NOT EXISTS review_marks" "CREATE TABLE IF NOT EXISTS department_readers" \
    "CREATE ROLE officialmail_ship" "CREATE ROLE officialmail_compliance" \
    "CREATE ROLE officialmail_department" "ENABLE ROW LEVEL SECURITY" \
    "WITH CHECK (gateway = current_user)"; do
    contains "central-schema prints: $want" "$tmp/schema.sql" "$want"
done
check "central-schema --add-gateway prints" "$("$OM" central-schema --add-gateway "$GW1")" \
    "SELECT officialmail_add_gateway('$GW1');"
check "central-schema --add-reader quotes the names" \
    "$("$OM" central-schema --add-reader "o'brien" --department 'Health & Family Welfare "HFW"')" \
    "SELECT officialmail_add_reader('o''brien', E'{\"Health & Family Welfare \\\\\"HFW\\\\\"\"}');"
"$OM" central-schema --add-reader x >/dev/null 2>&1
check "central-schema --add-reader without --department: exit 2" "$?" 2

# --- two gateways shipping at once ------------------------------------------
gen_records "$GW1" 1 3000 | "$MAKE_LOG" "$tmp/gw1.db" - &&
    gen_records "$GW2" 1 2000 | "$MAKE_LOG" "$tmp/gw2.db" - || not_ok "make_log wrote the local logs"
# A second ship of the first gateway at the same time: the rows one of them
# committed first are there with the same hash for the other (skipped).
"$OM" ship -c "$tmp/gw1.conf" --once >"$tmp/ship1.out" 2>"$tmp/ship1.err" &
p1=$!
"$OM" ship -c "$tmp/gw2.conf" --once >"$tmp/ship2.out" 2>"$tmp/ship2.err" &
p2=$!
"$OM" ship -c "$tmp/gw1.conf" --once >"$tmp/ship3.out" 2>"$tmp/ship3.err" &
p3=$!
wait $p1
s1=$?
wait $p2
s2=$?
wait $p3
s3=$?
check "two at once (and the first twice): all exit 0" "$s1 $s2 $s3" "0 0 0"
check "two at once: $GW1 has 3000 rows, ids 1..3000" "$(central_count "$GW1")" "3000 3000 3000"
check "two at once: $GW2 has 2000 rows, ids 1..2000" "$(central_count "$GW2")" "2000 2000 2000"
contains "ship --once says what it shipped" "$tmp/ship2.out" "shipped 2000 records; the central log holds ids up to 2000"
check "the local position after shipping" "$(cat "$tmp/gw1.shipped")" "gateway=$GW1 id=3000"
"$OM" ship -c "$tmp/gw1.conf" --once >"$tmp/out" 2>&1
check "ship --once again: nothing twice" "$(central_count "$GW1") $(cat "$tmp/out" | tail -1)" \
    "3000 3000 3000 shipped 0 records; the central log holds ids up to 3000"
pg_psql om_owner "SELECT subject FROM violations WHERE gateway = '$GW1' AND id = 10" >"$tmp/out"
check "a tab, a backslash and a newline arrive as they left" "$(cat "$tmp/out")" "$(printf 'Tab\there, back\\slash\nline 10')"
"$OM" verify-log --central -c "$tmp/gw1.conf" >"$tmp/out" 2>&1
check "verify-log --central: exit 0" "$?" 0
check "verify-log --central: one line per gateway" "$(cat "$tmp/out")" \
    "gateway=$GW1 records=3000 first=1 last=3000 intact
gateway=$GW2 records=2000 first=1 last=2000 intact"

# --- the central database stopped in the middle of shipping ------------------
gen_records "$GW1" 3001 15000 | "$MAKE_LOG" "$tmp/gw1.db" -
"$OM" ship -c "$tmp/gw1.conf" >"$tmp/follow.out" 2>"$tmp/follow.err" &
FOLLOW=$!
SHIP_PIDS="$FOLLOW"
i=0
while [ "$(central_count "$GW1" | cut -d' ' -f1)" -lt 5000 ] && [ $i -lt 300 ]; do
    sleep 0.05
    i=$((i + 1))
done
pg_stop
mid=$(sed 's/.* id=//' "$tmp/gw1.shipped")
sleep 3
pg_start "$tmp/pg" || not_ok "PostgreSQL started again"
# It catches up (a wait of at most 8 s between tries, then the rest).
i=0
while [ "$(cat "$tmp/gw1.shipped" | sed 's/.* id=//')" != 18000 ] && [ $i -lt 600 ]; do
    sleep 0.1
    i=$((i + 1))
done
if [ "$mid" -lt 18000 ]; then ok "outage: the database stopped in the middle ($mid of 18000 shipped)"; else
    not_ok "outage: the database stopped in the middle" "all was shipped before the stop"; fi
check "outage: $GW1 18000 rows, ids 1..18000" "$(central_count "$GW1")" "18000 18000 18000"
# Following the log: records written while it runs are shipped too.
gen_records "$GW1" 18001 50 | "$MAKE_LOG" "$tmp/gw1.db" -
i=0
while [ "$(sed 's/.* id=//' "$tmp/gw1.shipped")" != 18050 ] && [ $i -lt 200 ]; do
    sleep 0.1
    i=$((i + 1))
done
check "follow: records written while it runs arrive" "$(central_count "$GW1")" "18050 18050 18050"
kill -TERM "$FOLLOW"
wait "$FOLLOW"
check "outage: ship exits 0 on SIGTERM" "$?" 0
SHIP_PIDS=
check "outage: one 'unreachable' line" "$(grep -c 'central database unreachable' "$tmp/follow.err")" 1
check "outage: one line when it is back" "$(grep -c 'reached the central database' "$tmp/follow.err")" 1
contains "outage: the lines name the gateway" "$tmp/follow.err" "gateway=$GW1 central database unreachable"

# --- SIGKILL again and again during a 20,000-record backlog ---------------------
gen_records "$GW2" 2001 20000 | "$MAKE_LOG" "$tmp/gw2.db" -
# Small batches, so that the backlog takes many transactions to ship.
sed 's/^ship_batch = .*/ship_batch = 50;/' "$tmp/gw2.conf" >"$tmp/gw2k.conf"
kills=0
i=0
while [ $i -lt 30 ] && [ "$(central_count "$GW2" | cut -d' ' -f1)" -lt 22000 ]; do
    "$OM" ship -c "$tmp/gw2k.conf" >>"$tmp/kill.out" 2>>"$tmp/kill.err" &
    p=$!
    SHIP_PIDS=$p
    # 0.05 to 0.45 s: before the first commit, in the middle of one, between two.
    sleep "0.$(((i * 7) % 5))5"
    kill -KILL "$p" 2>/dev/null && kills=$((kills + 1))
    wait "$p" 2>/dev/null
    i=$((i + 1))
done
SHIP_PIDS=
"$OM" ship -c "$tmp/gw2.conf" --once >"$tmp/out" 2>&1
check "SIGKILL: ship --once afterwards exits 0" "$?" 0
if [ "$kills" -ge 4 ]; then ok "SIGKILL: ship killed $kills times during the backlog"; else
    not_ok "SIGKILL: ship killed again and again" "only $kills kills"; fi
check "SIGKILL: $GW2 22000 rows, ids 1..22000" "$(central_count "$GW2")" "22000 22000 22000"
check "SIGKILL: central == the local logs, per gateway" \
    "$(central_count "$GW1" | cut -d' ' -f1) $(central_count "$GW2" | cut -d' ' -f1)" \
    "$(local_count gw1) $(local_count gw2)"
check "SIGKILL: the local position" "$(cat "$tmp/gw2.shipped")" "gateway=$GW2 id=22000"
"$OM" verify-log --central -c "$tmp/gw1.conf" >"$tmp/out" 2>&1
check "after outage and SIGKILL: verify-log --central exit 0" "$?" 0
check "after outage and SIGKILL: verify-log --central" "$(cat "$tmp/out")" \
    "gateway=$GW1 records=18050 first=1 last=18050 intact
gateway=$GW2 records=22000 first=1 last=22000 intact"
"$OM" verify-log --central --gateway "$GW2" -c "$tmp/gw1.conf" >"$tmp/out" 2>&1
check "verify-log --central --gateway" "$(cat "$tmp/out")" \
    "gateway=$GW2 records=22000 first=1 last=22000 intact"

# --- local expire keeps what is not shipped ------------------------------------
gen_records "$GW1" 18051 100 | "$MAKE_LOG" "$tmp/gw1.db" -
"$OM" expire -c "$tmp/gw1.conf" --before 2026-12-01 >"$tmp/out" 2>&1
check "local expire: removes only the 18050 shipped" "$(cat "$tmp/out")" \
    "removed 18050 records older than 2026-12-01T00:00:00Z (100 not shipped yet kept)"
check "local expire: the 100 unshipped stay" "$(local_count gw1)" 100
"$OM" ship -c "$tmp/gw1.conf" --once >/dev/null 2>&1
check "local expire: and are shipped after" "$(central_count "$GW1")" "18150 18150 18150"

# --- a central row changed behind its back; a gap ----------------------------------
psql -X -q -d officialmail -U pgsuper -c "UPDATE violations SET subject = 'nothing to see' WHERE gateway = '$GW2' AND id = 777" >/dev/null
"$OM" verify-log --central -c "$tmp/gw1.conf" >"$tmp/out" 2>&1
check "tampered: verify-log --central exit 1" "$?" 1
check "tampered: names gateway and id" "$(cat "$tmp/out")" \
    "gateway=$GW1 records=18150 first=1 last=18150 intact
first bad record: gateway=$GW2 id=777 (its hash does not match its contents (the record was edited or forged))"
psql -X -q -d officialmail -U pgsuper -c "DELETE FROM violations WHERE gateway = '$GW1' AND id = 1500" >/dev/null
"$OM" verify-log --central --gateway "$GW1" -c "$tmp/gw1.conf" >"$tmp/out" 2>&1
check "gap: verify-log --central exit 1" "$?" 1
check "gap: the first missing id" "$(cat "$tmp/out")" \
    "first bad record: gateway=$GW1 id=1500 (missing: no record has this id (the chain resumes at id 1501))"

# --- a conflict: a local log rebuilt under the same name -----------------------------
gen_records "$GW2" 5 22010 | "$MAKE_LOG" "$tmp/gw2b.db" -
"$OM" ship -c "$tmp/gw2.conf" --database "$tmp/gw2b.db" --once >"$tmp/out" 2>"$tmp/err"
check "conflict: exit 1" "$?" 1
h_central=$(pg_psql om_owner "SELECT hash FROM violations WHERE gateway = '$GW2' AND id = 22000")
h_local=$("$OM" log --database "$tmp/gw2b.db" --format json | sed -n '22000s/.*"hash": "\([0-9a-f]*\)".*/\1/p')
contains "conflict: names both hashes" "$tmp/err" \
    "conflict: gateway=$GW2 id=22000 central=$h_central local=$h_local"
check "conflict: nothing shipped" "$(central_count "$GW2")" "22000 22000 22000"

finish
