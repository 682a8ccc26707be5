#!/bin/sh
# roles.sh - the central log's roles (SPEC 9): a gateway's role inserts and
# reads back only its own rows and can neither UPDATE nor DELETE, nor ship
# under another gateway's name; the compliance reader sees every row and
# changes none; a department reader sees only its departments' rows.
# Every refusal is an error ("permission denied" or the row-level security
# policy), never a silent no-op; counts are checked after each.
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
trap 'pg_stop; rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
GW1=mx1.jk.gov.in
GW2=mx2.jk.gov.in
IT="Information Technology"
HFW='Health & Family Welfare "HFW"'

pg_start "$tmp/pg" && pg_central && pg_gateway "$GW1" && pg_gateway "$GW2" ||
    { not_ok "PostgreSQL with the central schema"; finish; exit 1; }
pg_psql om_owner "CREATE ROLE auditor LOGIN PASSWORD 'auditor-secret' IN ROLE officialmail_compliance" &&
    pg_pass auditor auditor-secret
"$OM" central-schema --create --database "$(pg_conninfo om_owner)" --add-reader it_reader \
    --department "$IT" >/dev/null &&
    pg_psql om_owner "ALTER ROLE it_reader PASSWORD 'reader-secret'" && pg_pass it_reader reader-secret

for n in 1 2; do
    gw=$(eval echo \$GW$n)
    local_conf "$top_srcdir/tests/data/samples/officialmail.conf" "$tmp/gw$n.conf" "$tmp/gw$n.db"
    cat >>"$tmp/gw$n.conf" <<EOC
gateway_name = "$gw";
central_database = "$(pg_conninfo "$gw")";
central_read_database = "$(pg_conninfo auditor)";
ship_state = "$tmp/gw$n.shipped";
EOC
done
gen_records "$GW1" 1 100 | "$MAKE_LOG" "$tmp/gw1.db" -
gen_records "$GW2" 1 50 | "$MAKE_LOG" "$tmp/gw2.db" -
"$OM" ship -c "$tmp/gw1.conf" --once >/dev/null 2>&1 && "$OM" ship -c "$tmp/gw2.conf" --once >/dev/null 2>&1
check "both gateways shipped" "$(pg_psql om_owner "SELECT count(*) FROM violations")" 150

# refused ROLE NAME WANT SQL - SQL as ROLE fails with an error holding WANT.
refused() {
    if pg_psql "$1" "$4" >"$tmp/out" 2>"$tmp/err"; then
        not_ok "$2" "it succeeded: $(cat "$tmp/out")"
    else
        contains "$2" "$tmp/err" "$3"
    fi
}
# counts - every gateway's rows and the sum of their subjects' lengths, as the owner sees them.
counts() {
    pg_psql om_owner "SELECT gateway || ' ' || count(*) || ' ' || sum(length(subject))
        FROM violations GROUP BY gateway ORDER BY gateway" | tr '\n' ' '
}
before=$(counts)

# --- a gateway's role ---------------------------------------------------------
COLS="id, time, queue_id, message_id, rule, reasons, action, intended_action, mode,
    exception_ticket, department, envelope_sender, header_from, address, recipients, client_ip,
    client_name, auth_user, spf, dkim, subject, gateway, prev_hash, hash"
refused "$GW1" "gateway role: INSERT under another gateway's name is refused" \
    "new row violates row-level security policy" \
    "INSERT INTO violations ($COLS) SELECT 51, time, queue_id, message_id, rule, reasons, action,
        intended_action, mode, exception_ticket, department, envelope_sender, header_from, address,
        recipients, client_ip, client_name, auth_user, spf, dkim, subject, '$GW2', prev_hash, hash
        FROM violations WHERE id = 1"
refused "$GW1" "gateway role: UPDATE is refused" "permission denied for table violations" \
    "UPDATE violations SET subject = 'x' WHERE gateway = '$GW1'"
refused "$GW1" "gateway role: DELETE is refused" "permission denied for table violations" \
    "DELETE FROM violations WHERE gateway = '$GW1'"
refused "$GW1" "gateway role: UPDATE of another gateway's rows is refused" \
    "permission denied for table violations" "UPDATE violations SET subject = 'x'"
refused "$GW1" "gateway role: the department mapping is not its business" \
    "permission denied for table department_readers" "SELECT count(*) FROM department_readers"
check "gateway role: reads back only its own rows" \
    "$(pg_psql "$GW1" "SELECT gateway || ' ' || count(*) FROM violations GROUP BY gateway")" \
    "$GW1 100"
check "gateway role: counts unchanged" "$(counts)" "$before"

# ship under another gateway's name: the configuration says GW2, the role is GW1.
sed -e "s|^central_database = .*|central_database = \"$(pg_conninfo "$GW1")\";|" \
    "$tmp/gw2.conf" >"$tmp/gw2-as-gw1.conf"
gen_records "$GW2" 51 10 | "$MAKE_LOG" "$tmp/gw2.db" -
"$OM" ship -c "$tmp/gw2-as-gw1.conf" --once >"$tmp/out" 2>"$tmp/err"
check "ship as another gateway's role: exit 1" "$?" 1
contains "ship as another gateway's role: says why" "$tmp/err" \
    "connected as role $GW1: a gateway ships as the role named as its gateway_name"
check "ship as another gateway's role: counts unchanged" "$(counts)" "$before"

# --- the compliance reader ---------------------------------------------------------
check "compliance: sees every row" "$(pg_psql auditor "SELECT count(*) FROM violations")" 150
refused auditor "compliance: UPDATE is refused" "permission denied for table violations" \
    "UPDATE violations SET subject = 'x'"
refused auditor "compliance: DELETE is refused" "permission denied for table violations" \
    "DELETE FROM violations"
refused auditor "compliance: INSERT is refused" "permission denied for table violations" \
    "INSERT INTO violations SELECT * FROM violations WHERE false"
"$OM" expire --central -c "$tmp/gw1.conf" --before 2026-06-01 >"$tmp/out" 2>"$tmp/err"
check "compliance: expire --central is the owner's (exit 1)" "$?" 1
contains "compliance: expire --central says so" "$tmp/err" "permission denied"
check "compliance: counts unchanged" "$(counts)" "$before"

# --- a department reader ------------------------------------------------------------
it_rows=$(pg_psql om_owner "SELECT count(*) FROM violations WHERE department = '$IT'")
check "department reader: sees its department's rows, all of them" \
    "$(pg_psql it_reader "SELECT count(*) FROM violations")" "$it_rows"
check "department reader: asking for another department gives nothing" \
    "$(pg_psql it_reader "SELECT count(*) FROM violations WHERE department = 'Health & Family Welfare \"HFW\"'")" 0
check "department reader: sees only its own mapping" \
    "$(pg_psql it_reader "SELECT role_name || ' ' || department FROM department_readers")" \
    "it_reader $IT"
refused it_reader "department reader: UPDATE is refused" "permission denied for table violations" \
    "UPDATE violations SET department = 'x'"
refused it_reader "department reader: DELETE is refused" "permission denied for table violations" \
    "DELETE FROM violations"
refused it_reader "department reader: cannot add itself a department" \
    "permission denied for table department_readers" \
    "INSERT INTO department_readers VALUES ('it_reader', 'Health & Family Welfare \"HFW\"')"
refused it_reader "department reader: cannot make roles" "permission denied for function" \
    "SELECT officialmail_add_reader('it_reader', '{x}')"
check "department reader: counts unchanged" "$(counts)" "$before"

# --- the commands with --central ------------------------------------------------------
"$OM" log --central -c "$tmp/gw1.conf" --format json >"$tmp/out"
check "log --central (compliance): every gateway's records" "$(wc -l <"$tmp/out")" 150
check "log --central: JSON names the gateway" \
    "$(grep -c "\"gateway\": \"$GW2\"" "$tmp/out")" 50
check "log --central --gateway" "$("$OM" log --central -c "$tmp/gw1.conf" --gateway "$GW2" --format json | wc -l)" 50
"$OM" log --central -c "$tmp/gw1.conf" --gateway "$GW1" | sed -n 2p >"$tmp/out"
contains "log --central: the table's id is GATEWAY:ID" "$tmp/out" "$GW1:1 2026-03-02 00:01"
check "stats --central --by gateway" "$("$OM" stats --central -c "$tmp/gw1.conf" --by gateway)" \
    "gateway       count  share
$GW1   100  66.7%
$GW2    50  33.3%
total           150 100.0%"
"$OM" log --central --database "$(pg_conninfo it_reader)" --format json >"$tmp/out"
check "log --central as the department reader: its department's records only" \
    "$(wc -l <"$tmp/out") $(grep -c "\"department\": \"$IT\"" "$tmp/out")" "$it_rows $it_rows"
"$OM" log --central --database "$(pg_conninfo it_reader)" --department "$HFW" >"$tmp/out" 2>"$tmp/err"
check "log --central as the department reader, another department: exit 2" "$?" 2
contains "... it is no department of its" "$tmp/err" 'no department named'
check "... and nothing printed" "$(cat "$tmp/out")" ""
mkdir "$tmp/digests"
"$OM" digest --central -c "$tmp/gw1.conf" --since 2026-03-02 --until 2026-03-02 \
    --output "$tmp/digests" >/dev/null 2>&1
check "digest --central --output: exit 0, one message per department with digest_to and the compliance one" \
    "$? $(ls "$tmp/digests" | grep -c '\.eml$')" "0 3"
"$OM" digest --central -c "$tmp/gw1.conf" --since 2026-03-02 --until 2026-03-02 >"$tmp/out" 2>&1
it_week=$(pg_psql om_owner "SELECT count(*) FROM violations WHERE department = '$IT' AND time < '2026-03-03'")
contains "digest --central: a department's digest counts every gateway's records" "$tmp/out" \
    "period 2026-03-02 to 2026-03-02; $it_week violations"
"$OM" digest --central -c "$tmp/gw1.conf" --gateway "$GW2" --since 2026-03-02 --until 2026-03-02 >"$tmp/out" 2>&1
it_gw2=$(pg_psql om_owner "SELECT count(*) FROM violations WHERE department = '$IT' AND gateway = '$GW2'")
contains "digest --central --gateway: one gateway's" "$tmp/out" \
    "period 2026-03-02 to 2026-03-02; $it_gw2 violations"

# --- the owner expires -----------------------------------------------------------------
"$OM" expire --central --database "$(pg_conninfo om_owner)" --gateway "$GW1" \
    --before 2026-03-02T01:00:00Z >"$tmp/out" 2>&1
check "owner: expire --central --gateway" "$(cat "$tmp/out")" \
    "removed 59 records older than 2026-03-02T01:00:00Z from the central log"
"$OM" verify-log --central -c "$tmp/gw1.conf" >"$tmp/out" 2>&1
check "owner: after expire the chains still verify" "$?:$(cat "$tmp/out")" \
    "0:gateway=$GW1 records=41 first=60 last=100 intact
gateway=$GW2 records=50 first=1 last=50 intact"
gen_records "$GW1" 101 5 | "$MAKE_LOG" "$tmp/gw1.db" -
"$OM" ship -c "$tmp/gw1.conf" --once >"$tmp/out" 2>&1
check "after a central expire, ship resumes at the head (nothing resent)" "$(tail -1 "$tmp/out")" \
    "shipped 5 records; the central log holds ids up to 105"
"$OM" expire --central --database "$(pg_conninfo om_owner)" --gateway "$GW2" --before 2026-06-01 >/dev/null 2>&1
gen_records "$GW2" 61 3 | "$MAKE_LOG" "$tmp/gw2.db" -
"$OM" ship -c "$tmp/gw2.conf" --once >"$tmp/out" 2>&1
check "a gateway expired whole still resumes after its checkpoint" "$(tail -1 "$tmp/out")" \
    "shipped 13 records; the central log holds ids up to 63"
"$OM" verify-log --central -c "$tmp/gw1.conf" >"$tmp/out" 2>&1
check "and both chains verify" "$?:$(cat "$tmp/out")" \
    "0:gateway=$GW1 records=46 first=60 last=105 intact
gateway=$GW2 records=13 first=51 last=63 intact"

finish
