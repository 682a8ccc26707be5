#!/bin/sh
# pg/alert.sh - `officialmail alert --central` on a central log (SPEC 10)
# filled by ship from a real PostgreSQL started here. With --gateway NAME:
# the past not alerted on, one alert when a threshold is crossed, none
# repeated after a restart (the cursor in the --state file). Without it,
# every gateway at once: records of two gateways, each below the
# threshold, that cross it together (one shipping late, into the middle
# of the other's window) make exactly one alert, mail and JSON line
# checked; none again within alert_interval; the daemon restarted between
# ships neither misses nor repeats; a third gateway that appears later is
# followed from its first record; SIGKILL between the stored alert and its
# mail sends it once at the restart. And the options that go together.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/pg/lib.sh"
. "$top_srcdir/tests/digest/lib.sh"
need_python
MAKE_LOG="$top_builddir/tests/store/make_log"
require psql setpriv sqlite3 curl
[ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ] || {
    not_ok "prerequisite: PostgreSQL server" "no /usr/lib/postgresql/*/bin/initdb (sh contrib/install-deps.sh --test)"
    finish
    exit 1
}
tmp=$(mktemp -d)
trap 'kill "$DPID" "$HPID" 2>/dev/null; pg_stop; rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
GW=mx1.jk.gov.in GW2=mx2.jk.gov.in GW3=mx3.jk.gov.in DPID= HPID=
conf="$tmp/officialmail.conf" logdb="$tmp/violations.db" state="$tmp/alert.state"
mail="$tmp/mail" cmd="$tmp/cmd"
mkdir "$mail" "$cmd"

pg_start "$tmp/pg" || { not_ok "PostgreSQL started"; finish; exit 1; }
pg_central && pg_gateway "$GW" && pg_gateway "$GW2" && pg_gateway "$GW3" &&
    pg_psql om_owner "CREATE ROLE auditor LOGIN PASSWORD 'auditor-secret' IN ROLE officialmail_compliance" &&
    pg_pass auditor auditor-secret && ok "the central log, three gateways and a compliance reader" ||
    not_ok "the central log, three gateways and a compliance reader"

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
sed -e "s|$logdb|$tmp/gw3.db|" -e "s|^gateway_name = .*|gateway_name = \"$GW3\";|" \
    -e "s|$tmp/shipped|$tmp/gw3.shipped|" -e "s|user=$GW|user=$GW3|" "$conf" >"$tmp/gw3.conf"

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

"$OM" -c "$conf" alert --gateway "$GW" --once >/dev/null 2>"$tmp/err"
check "--gateway without --central: exit 2" "$?" 2
contains "--gateway without --central: says why" "$tmp/err" "--gateway needs --central"
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
# --- Every gateway at once: `alert --central` without --gateway. ---
all="$tmp/all.state"
# ship_as CONF - the records on standard input into CONF's local log, shipped.
ship_as() {
    db=$(sed -n 's/^database = "\(.*\)";/\1/p' "$1")
    "$MAKE_LOG" "$db" - && "$OM" ship -c "$1" --once >"$tmp/ship.out" 2>&1 ||
        { not_ok "ship as $1"; cat "$tmp/ship.out"; }
}
# spoof_at GATEWAY TIME SENDER - a spoofed-official record of GATEWAY.
spoof_at() { spoof "$2" "$3" | sed "s/gateway=$GW\$/gateway=$1/"; }
# all_once - one round over every gateway; its status in $rc.
all_once() {
    "$OM" -c "$conf" alert --central --state "$all" --once >"$tmp/once.out" 2>"$tmp/once.err"
    rc=$?
    [ "$rc" -eq 0 ] || sed "s/^/# /" "$tmp/once.err"
}
cursors() {
    sqlite3 "$all" "SELECT gateway || '=' || cursor FROM alert_cursor WHERE alert = 'spoofing burst' ORDER BY gateway" | tr '\n' ' '
}
sent() { echo "$(count "$mail")/$(count "$cmd")"; }

all_once
check "all gateways, first run: exit 0, nothing alerted on the past" "$rc/$(sent)" 0/1/1
contains "all gateways: says what it follows" "$tmp/once.err" "central log as auditor, every gateway, state in $all"
check "all gateways, first run: a cursor per gateway at its last id" "$(cursors)" "$GW=8 $GW2=5 "
check "the state file says what it follows" "$(sqlite3 "$all" "SELECT value FROM alert_meta WHERE key = 'follows'")" "*"
"$OM" -c "$conf" alert --central --gateway "$GW" --state "$all" --once >/dev/null 2>"$tmp/err"
check "the all-gateways state file refused for --gateway: exit 1" "$?" 1
contains "the all-gateways state file refused for --gateway: says why" "$tmp/err" \
    "it follows every gateway, not gateway $GW (use another --state FILE)"
# A state file of the earlier --gateway-only version (rules kept, no alert_meta):
# followed for every gateway, every other gateway would be read from its start.
cp "$state" "$tmp/legacy.db"
sqlite3 "$tmp/legacy.db" "DROP TABLE IF EXISTS alert_meta; DROP TABLE IF EXISTS alert_cursor; DROP TABLE IF EXISTS alert_fired"
"$OM" -c "$conf" alert --central --state "$tmp/legacy.db" --once >/dev/null 2>"$tmp/err"
check "an earlier version's state file refused for every gateway: exit 1" "$?" 1
contains "an earlier version's state file: says why" "$tmp/err" \
    "written by an earlier officialmail for one gateway (--gateway NAME)"

# mx1: two records 9 minutes apart; mx2 ships one between them later.
{ spoof_at "$GW" 2027-03-05T10:00:00Z x@gmail.com; spoof_at "$GW" 2027-03-05T10:09:00Z x@gmail.com; } | ship_as "$conf"
all_once
check "mx1's two in the window: no alert" "$rc/$(sent)" 0/1/1
check "the cursors follow each gateway's ids" "$(cursors)" "$GW=10 $GW2=5 "
spoof_at "$GW2" 2027-03-05T10:05:00Z y@yahoo.com | ship_as "$tmp/gw2.conf"
all_once
check "mx2's one, shipped late into mx1's window: exactly one alert (mail and JSON line)" "$rc/$(sent)" 0/2/2
check "the JSON line: both gateways counted, gateway null" "$(cat "$cmd/2.out")" \
    "{\"alert\": \"spoofing burst\", \"rule\": \"spoofed-official\", \"department\": null, \"action\": null, \"count\": 3, \"threshold\": 3, \"window\": \"10m\", \"first\": \"2027-03-05T10:00:00Z\", \"last\": \"2027-03-05T10:09:00Z\", \"gateway\": null, \"gateways\": [{\"name\": \"$GW\", \"count\": 2}, {\"name\": \"$GW2\", \"count\": 1}], \"top_senders\": [{\"address\": \"x@gmail.com\", \"count\": 2}, {\"address\": \"y@yahoo.com\", \"count\": 1}], \"top_addresses\": [{\"address\": \"secy-it@jk.gov.in\", \"count\": 3}], \"log_command\": \"officialmail -c '$conf' log --central --since 2027-03-05T10:00:00Z --until 2027-03-05T10:09:01Z --rule spoofed-official\"}"
python3 -c 'import json,sys; json.loads(open(sys.argv[1]).read())' "$cmd/2.out" &&
    ok "the JSON line parses" || not_ok "the JSON line parses"
check "the log command lists the 3 records of both gateways" \
    "$("$OM" -c "$conf" log --central --since 2027-03-05T10:00:00Z --until 2027-03-05T10:09:01Z --rule spoofed-official --format json | wc -l | tr -d ' ')" 3
cp "$mail/2.out" "$tmp/all2.eml"
if mimecheck "$tmp/all2.eml" >"$tmp/all2.dump" 2>"$tmp/all2.problems"; then
    ok "the mail parses: two parts, no defect"
else
    not_ok "the mail's MIME check" "$(cat "$tmp/all2.problems")"
fi
has "subject" "$tmp/all2.dump" "Subject: officialmail alert: spoofing burst: 3 records in 10m"
section "$tmp/all2.dump" all2 text >"$tmp/all2.txt"
section "$tmp/all2.dump" all2 html >"$tmp/all2.html"
has "text: on two gateways of the central log" "$tmp/all2.txt" \
    "officialmail alert \"spoofing burst\" on 2 gateways (central log)"
has "text: the gateways, with their counts" "$tmp/all2.txt" "Gateways:     $GW (2), $GW2 (1)"
has "text: first record" "$tmp/all2.txt" "First record: 2027-03-05T10:00:00Z"
has "text: the log command on the central log" "$tmp/all2.txt" \
    "  officialmail -c '$conf' log --central --since 2027-03-05T10:00:00Z --until 2027-03-05T10:09:01Z --rule spoofed-official"
grep -qF "Gateways: $GW (2), $GW2 (1)" "$tmp/all2.html" &&
    ok "html: the gateways" || not_ok "html: the gateways" "$(cat "$tmp/all2.html")"
check "the fired window's time kept in the state file" \
    "$(sqlite3 "$all" "SELECT time FROM alert_fired WHERE alert = 'spoofing burst'")" \
    "$(date -u -d 2027-03-05T10:09:00Z +%s)"

# Within alert_interval: a second burst, spread over the gateways, is quiet.
{ spoof_at "$GW2" 2027-03-05T10:20:00Z z@gmail.com; spoof_at "$GW2" 2027-03-05T10:21:00Z z@gmail.com; } | ship_as "$tmp/gw2.conf"
spoof_at "$GW" 2027-03-05T10:22:00Z z@gmail.com | ship_as "$conf"
all_once
check "within alert_interval: no second alert" "$rc/$(sent)" 0/2/2
all_once
check "a restart with nothing new: nothing repeated" "$rc/$(sent)" 0/2/2

# The daemon, restarted between the ships of one burst (after the interval).
port=$((20000 + $$ % 20000))
while ss -Hltn "sport = :$port" 2>/dev/null | grep -q .; do port=$((port + 1)); done
# daemon_round CURSORS - start the daemon, wait until the cursors are CURSORS, stop it.
daemon_round() {
    "$OM" -c "$conf" alert --central --state "$all" --poll 1 --metrics-listen "127.0.0.1:$port" 2>>"$tmp/daemon.err" &
    DPID=$!
    i=0 # a whole round done (the metrics say when), and the cursors there
    until [ "$(cursors)" = "$1" ] && curl -s "http://127.0.0.1:$port/metrics" |
        grep -q '^officialmail_alert_last_success_timestamp_seconds [1-9]' || [ $i -ge 100 ]; do
        sleep 0.2
        i=$((i + 1))
    done
    check "daemon: judged up to $1" "$(cursors)" "$1"
    kill -TERM "$DPID"
    wait "$DPID"
    check "daemon: SIGTERM, exit 0" "$?" 0
    DPID=
}
{ spoof_at "$GW" 2027-03-05T11:30:00Z q@gmail.com; spoof_at "$GW" 2027-03-05T11:31:00Z q@gmail.com; } | ship_as "$conf"
daemon_round "$GW=13 $GW2=8 "
check "daemon: two of the burst, no alert" "$(sent)" 2/2
spoof_at "$GW2" 2027-03-05T11:33:00Z r@gmail.com | ship_as "$tmp/gw2.conf"
daemon_round "$GW=13 $GW2=9 "
check "daemon restarted between the ships: the burst alerts, once" "$(sent)" 3/3
grep -q "\"count\": 3, .*\"first\": \"2027-03-05T11:30:00Z\", \"last\": \"2027-03-05T11:33:00Z\", \"gateway\": null, \"gateways\": \[{\"name\": \"$GW\", \"count\": 2}, {\"name\": \"$GW2\", \"count\": 1}\]" "$cmd/3.out" &&
    ok "the restarted daemon's alert counts both gateways" || not_ok "the restarted daemon's alert" "$(cat "$cmd/3.out")"
daemon_round "$GW=13 $GW2=9 "
check "daemon restarted again: nothing repeated" "$(sent)" 3/3

# A third gateway appears: followed from its first record.
{ spoof_at "$GW3" 2027-03-05T13:00:00Z s@gmail.com; spoof_at "$GW3" 2027-03-05T13:00:01Z s@gmail.com
  spoof_at "$GW3" 2027-03-05T13:00:02Z s@gmail.com; } | ship_as "$tmp/gw3.conf"
all_once
check "a third gateway appearing later: its first records alert, once" "$rc/$(sent)" 0/4/4
check "the third gateway has its cursor" "$(cursors)" "$GW=13 $GW2=9 $GW3=3 "
grep -qF "\"gateway\": \"$GW3\", \"gateways\": [{\"name\": \"$GW3\", \"count\": 3}]" "$cmd/4.out" &&
    ok "one gateway's alert: gateway named, alone in gateways" || not_ok "the third gateway's alert" "$(cat "$cmd/4.out")"
grep -qF "\"log_command\": \"officialmail -c '$conf' log --central --since 2027-03-05T13:00:00Z --until 2027-03-05T13:00:03Z --gateway '$GW3' --rule spoofed-official\"" "$cmd/4.out" &&
    ok "one gateway's alert: the log command names it" || not_ok "the third gateway's log command" "$(cat "$cmd/4.out")"

# SIGKILL between the stored alert and its mail: sent once, at the restart.
cat >"$tmp/hang.sh" <<EOS
echo \$\$ >"$tmp/hang.pid"
exec sleep 30
EOS
set_sendmail "$conf" "sh $tmp/hang.sh"
spoof_at "$GW" 2027-03-05T15:00:00Z t@gmail.com | ship_as "$conf"
spoof_at "$GW2" 2027-03-05T15:00:01Z t@gmail.com | ship_as "$tmp/gw2.conf"
spoof_at "$GW3" 2027-03-05T15:00:02Z t@gmail.com | ship_as "$tmp/gw3.conf"
"$OM" -c "$conf" alert --central --state "$all" --once >/dev/null 2>&1 &
DPID=$!
i=0
until [ -s "$tmp/hang.pid" ] || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
HPID=$(cat "$tmp/hang.pid" 2>/dev/null)
check "SIGKILL: the alert is stored as pending before the mail" \
    "$(sqlite3 "$all" "SELECT pending_mail IS NOT NULL, pending_json IS NOT NULL FROM alert_state WHERE alert = 'spoofing burst'")" "1|1"
kill -KILL "$DPID"
wait "$DPID" 2>/dev/null
kill "$HPID" 2>/dev/null
DPID= HPID=
check "SIGKILL: nothing sent" "$(sent)" 4/4
set_sendmail "$conf" "sh $CAPTURE $mail"
all_once
check "after SIGKILL: the pending alert goes out, once" "$rc/$(sent)" 0/5/5
grep -qF "\"count\": 3, \"threshold\": 3, \"window\": \"10m\", \"first\": \"2027-03-05T15:00:00Z\", \"last\": \"2027-03-05T15:00:02Z\", \"gateway\": null, \"gateways\": [{\"name\": \"$GW\", \"count\": 1}, {\"name\": \"$GW2\", \"count\": 1}, {\"name\": \"$GW3\", \"count\": 1}]" "$cmd/5.out" &&
    ok "after SIGKILL: the alert of three gateways" || not_ok "after SIGKILL: the alert" "$(cat "$cmd/5.out")"
all_once
check "after SIGKILL: not repeated" "$rc/$(sent)" 0/5/5
check "after SIGKILL: the cursors past the burst" "$(cursors)" "$GW=14 $GW2=10 $GW3=4 "
finish
