#!/bin/sh
# pg/alert.sh - `officialmail alert --central --gateway NAME` on a central
# log (SPEC 10) filled by ship from a real PostgreSQL started here: the
# past not alerted on, one alert when a threshold is crossed on the
# central log, none repeated after a restart (the cursor in the --state
# file), and the options that go together.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/pg/lib.sh"
MAKE_LOG="$top_builddir/tests/store/make_log"
require psql setpriv sqlite3
[ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ] || {
    not_ok "prerequisite: PostgreSQL server" "no /usr/lib/postgresql/*/bin/initdb (sh contrib/install-deps.sh --test)"
    finish
    exit 1
}
tmp=$(mktemp -d)
trap 'pg_stop; rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
GW=mx1.jk.gov.in GW2=mx2.jk.gov.in
conf="$tmp/officialmail.conf" logdb="$tmp/violations.db" state="$tmp/alert.state"
mail="$tmp/mail" cmd="$tmp/cmd"
mkdir "$mail" "$cmd"

pg_start "$tmp/pg" || { not_ok "PostgreSQL started"; finish; exit 1; }
pg_central && pg_gateway "$GW" && pg_gateway "$GW2" &&
    pg_psql om_owner "CREATE ROLE auditor LOGIN PASSWORD 'auditor-secret' IN ROLE officialmail_compliance" &&
    pg_pass auditor auditor-secret && ok "the central log, two gateways and a compliance reader" ||
    not_ok "the central log, two gateways and a compliance reader"

local_conf "$top_srcdir/tests/alert/alert.conf" "$conf" "$logdb"
CAPTURE="$top_srcdir/tests/alert/capture.sh"
sed -i -e "s|^sendmail_command = .*|sendmail_command = \"sh $CAPTURE $mail\";|" \
    -e "s|^gateway_name = .*|gateway_name = \"$GW\";|" "$conf"
cat >>"$conf" <<EOC
alert_command = "sh $CAPTURE $cmd";
central_database = "$(pg_conninfo "$GW")";
central_read_database = "$(pg_conninfo auditor)";
ship_state = "$tmp/shipped";
EOC

# The other gateway: its own log, shipped as itself.
sed -e "s|$logdb|$tmp/gw2.db|" -e "s|^gateway_name = .*|gateway_name = \"$GW2\";|" \
    -e "s|$tmp/shipped|$tmp/gw2.shipped|" -e "s|user=$GW|user=$GW2|" "$conf" >"$tmp/gw2.conf"

# spoof TIME SENDER - one spoofed-official record (IT, reject) at TIME.
spoof() {
    printf 'time=%s|rule=spoofed-official|action=reject|intended_action=reject|mode=enforce|department=Information Technology|envelope_sender=%s|header_from=secy-it@jk.gov.in|address=secy-it@jk.gov.in|gateway=%s\n' "$1" "$2" "$GW"
}
# add - append the records on standard input to the local log and ship them.
add() {
    "$MAKE_LOG" "$logdb" - || not_ok "make_log"
    "$OM" ship -c "$conf" --once >"$tmp/ship.out" 2>&1 || { not_ok "ship --once"; cat "$tmp/ship.out"; }
}
# once - one round on the central log; its status in $rc.
once() {
    "$OM" -c "$conf" alert --central --gateway "$GW" --state "$state" --once >"$tmp/once.out" 2>"$tmp/once.err"
    rc=$?
    [ "$rc" -eq 0 ] || sed "s/^/# /" "$tmp/once.err"
}
count() { find "$1" -name '*.out' | wc -l | tr -d ' '; }

"$OM" -c "$conf" alert --central --once >/dev/null 2>"$tmp/err"
check "--central without --gateway: exit 2" "$?" 2
contains "--central without --gateway: says why" "$tmp/err" "--central and --gateway NAME go together"
"$OM" -c "$conf" alert --state "$state" --once >/dev/null 2>&1
check "--state without --central: exit 2" "$?" 2

# The past: shipped before the first run, the digests' business.
{ spoof 2027-03-01T09:00:00Z a@gmail.com; spoof 2027-03-01T09:00:01Z a@gmail.com
  spoof 2027-03-01T09:00:02Z a@gmail.com; spoof 2027-03-01T09:00:03Z a@gmail.com; } | add
once
check "first run: exit 0" "$rc" 0
check "first run: nothing alerted on the past" "$(count "$mail")/$(count "$cmd")" 0/0
check "first run: a cursor per alert rule in the state file (the gateway's last id)" \
    "$(sqlite3 "$state" "SELECT alert, cursor FROM alert_state ORDER BY alert" | tr '\n' ' ')" \
    "power leaks <script>|4 spoofing burst|4 "
contains "first run: says what it follows as whom" "$tmp/once.err" \
    "central log as auditor, gateway $GW, state in $state"

{ spoof 2027-03-01T10:00:00Z x@gmail.com; spoof 2027-03-01T10:04:00Z y@yahoo.com; } | add
# The other gateway's records, inside the same window, are not this one's.
for t in 01 02 03 04 05; do spoof 2027-03-01T10:05:${t}Z o@gmail.com; done | sed "s/gateway=$GW/gateway=$GW2/" |
    "$MAKE_LOG" "$tmp/gw2.db" - && "$OM" ship -c "$tmp/gw2.conf" --once >/dev/null 2>&1 ||
    not_ok "the other gateway ships"
check "the other gateway's five records are central" \
    "$(pg_psql om_owner "SELECT count(*) FROM violations WHERE gateway = '$GW2'")" 5
once
check "two in the window (and the other gateway's five): no alert" "$(count "$mail")/$(count "$cmd")" 0/0
spoof 2027-03-01T10:09:00Z x@gmail.com | add
once
check "threshold crossed on the central log: exit 0" "$rc" 0
check "threshold crossed on the central log: one mail and one JSON line" \
    "$(count "$mail")/$(count "$cmd")" 1/1
contains "the JSON line: the alert rule" "$cmd/1.out" '"alert": "spoofing burst"'
contains "the JSON line: the count" "$cmd/1.out" '"count": 3'
contains "the JSON line: the gateway followed" "$cmd/1.out" "\"gateway\": \"$GW\""
check "the cursor past the record that tripped it" \
    "$(sqlite3 "$state" "SELECT cursor FROM alert_state WHERE alert = 'spoofing burst'")" 7

# A restart: nothing new, nothing repeated; the next record inside the
# interval does not alert either.
once
check "restart: exit 0, nothing repeated" "$rc/$(count "$mail")/$(count "$cmd")" 0/1/1
spoof 2027-03-01T10:09:30Z z@gmail.com | add
once
check "a fourth within alert_interval after a restart: no second alert" \
    "$(count "$mail")/$(count "$cmd")" 1/1
check "the central log holds every record shipped" \
    "$(pg_psql om_owner "SELECT count(*) FROM violations WHERE gateway = '$GW'")" 8
finish
