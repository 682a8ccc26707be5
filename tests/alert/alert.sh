#!/bin/sh
# alert.sh - `officialmail alert` on a violation log written as the milter
# writes it (tests/store/make_log): the past is not alerted on; one alert
# when a threshold is crossed, none again within alert_interval, none
# repeated after a restart, again once the interval is over; a failed
# sendmail retried without loss or repeat; the mail judged like the
# digests (tests/digest/mimecheck.py) and the JSON line field by field;
# names escaped everywhere; the daemon with --metrics-listen; --central
# unconfigured (the central log itself: tests/pg/alert.sh).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/digest/lib.sh"
need_python
command -v curl >/dev/null || { not_ok "curl present"; finish; exit 1; }

tmp=$(mktemp -d)
trap 'kill "$DPID" 2>/dev/null; rm -rf "$tmp"' EXIT
conf="$tmp/officialmail.conf"
db="$tmp/violations.db"
mail="$tmp/mail" cmd="$tmp/cmd"
mkdir "$mail" "$cmd"
local_conf "$top_srcdir/tests/alert/alert.conf" "$conf" "$db"
CAPTURE="$top_srcdir/tests/alert/capture.sh"
set_sendmail "$conf" "sh $CAPTURE $mail"
printf 'alert_command = "sh %s %s";\n' "$CAPTURE" "$cmd" >>"$conf"

# spoof TIME SENDER - one spoofed-official record (IT, reject) at TIME.
spoof() {
    printf 'time=%s|rule=spoofed-official|action=reject|intended_action=reject|mode=enforce|department=Information Technology|envelope_sender=%s|header_from=secy-it@jk.gov.in|address=secy-it@jk.gov.in|gateway=gw1.jk.gov.in\n' "$1" "$2"
}
# add - append the records on standard input to the log, as one batch.
add() { "$MAKE_LOG" "$db" - || not_ok "make_log"; }
# once - one round; its status in $rc, its output in $tmp/once.err.
once() {
    "$OM" -c "$conf" alert --once >"$tmp/once.out" 2>"$tmp/once.err"
    rc=$?
}
count() { find "$1" -name '*.out' | wc -l | tr -d ' '; }

# The past: records before the first run are the digests' business.
{ spoof 2027-03-01T09:00:00Z a@gmail.com; spoof 2027-03-01T09:00:01Z a@gmail.com
  spoof 2027-03-01T09:00:02Z a@gmail.com; spoof 2027-03-01T09:00:03Z a@gmail.com; } | add
once
check "first run: exit 0" "$rc" 0
check "first run: nothing alerted on the past" "$(count "$mail")/$(count "$cmd")" 0/0
check "first run: a cursor per alert rule in table alert_state" \
    "$(sqlite3 "$db" "SELECT alert, cursor FROM alert_state ORDER BY alert" | tr '\n' ' ')" \
    "power leaks <script>|4 spoofing burst|4 "

# Below the threshold (3 in 10 minutes).
{ spoof 2027-03-01T10:00:00Z x@gmail.com; spoof 2027-03-01T10:04:00Z y@yahoo.com; } | add
once
check "two in the window: no alert" "$(count "$mail")/$(count "$cmd")" 0/0
# The third, 9 minutes after the first: crossed.
spoof 2027-03-01T10:09:00Z x@gmail.com | add
once
check "threshold crossed: exit 0" "$rc" 0
check "threshold crossed: exactly one mail and one JSON line" "$(count "$mail")/$(count "$cmd")" 1/1
check "the mail's recipients: alert_to and the department's alert_to, as arguments" \
    "$(tr '\n' ' ' <"$mail/1.args")" "-- soc@jk.gov.in noc@jk.gov.in ciso.it@jk.gov.in "
cp "$mail/1.out" "$tmp/alert1.eml"
if mimecheck "$tmp/alert1.eml" >"$tmp/alert1.dump" 2>"$tmp/alert1.problems"; then
    ok "the mail parses: two parts, the expected header fields, no defect, 7-bit, no script"
else
    not_ok "the mail's MIME check" "$(cat "$tmp/alert1.problems")"
fi
has "subject" "$tmp/alert1.dump" "Subject: officialmail alert: spoofing burst: 3 records in 10m"
has "To" "$tmp/alert1.dump" "To: soc@jk.gov.in, noc@jk.gov.in, ciso.it@jk.gov.in"
has "From is digest_from" "$tmp/alert1.dump" "From: officialmail <officialmail@jk.gov.in>"
section "$tmp/alert1.dump" alert1 text >"$tmp/alert1.txt"
section "$tmp/alert1.dump" alert1 html >"$tmp/alert1.html"
has "text: what tripped" "$tmp/alert1.txt" \
    "3 violation records (rule spoofed-official, department (any), action (any))"
has "text: the window and threshold" "$tmp/alert1.txt" "within 10m: the threshold of 3 was reached."
has "text: first record" "$tmp/alert1.txt" "First record: 2027-03-01T10:00:00Z"
has "text: last record" "$tmp/alert1.txt" "Last record:  2027-03-01T10:09:00Z"
has "text: top sender" "$tmp/alert1.txt" "       2  x@gmail.com"
has "text: second sender" "$tmp/alert1.txt" "       1  y@yahoo.com"
has "text: top address" "$tmp/alert1.txt" "       3  secy-it@jk.gov.in"
has "text: the log command" "$tmp/alert1.txt" \
    "  officialmail -c '$conf' log --since 2027-03-01T10:00:00Z --until 2027-03-01T10:09:01Z --rule spoofed-official"
has "html: the log command" "$tmp/alert1.html" \
    "officialmail -c '$conf' log --since 2027-03-01T10:00:00Z --until 2027-03-01T10:09:01Z --rule spoofed-official"
# The command lists exactly the records counted.
check "the log command lists the 3 records" \
    "$("$OM" -c "$conf" log --since 2027-03-01T10:00:00Z --until 2027-03-01T10:09:01Z --rule spoofed-official --format json | wc -l | tr -d ' ')" 3
check "the JSON line" "$(cat "$cmd/1.out")" \
    "{\"alert\": \"spoofing burst\", \"rule\": \"spoofed-official\", \"department\": null, \"action\": null, \"count\": 3, \"threshold\": 3, \"window\": \"10m\", \"first\": \"2027-03-01T10:00:00Z\", \"last\": \"2027-03-01T10:09:00Z\", \"gateway\": \"gw1.jk.gov.in\", \"top_senders\": [{\"address\": \"x@gmail.com\", \"count\": 2}, {\"address\": \"y@yahoo.com\", \"count\": 1}], \"top_addresses\": [{\"address\": \"secy-it@jk.gov.in\", \"count\": 3}], \"log_command\": \"officialmail -c '$conf' log --since 2027-03-01T10:00:00Z --until 2027-03-01T10:09:01Z --rule spoofed-official\"}"
check "alert_command gets no arguments" "$(cat "$cmd/1.args")" ""
python3 -c 'import json,sys; json.loads(open(sys.argv[1]).read())' "$cmd/1.out" &&
    ok "the JSON line parses" || not_ok "the JSON line parses"

# Within alert_interval (1h): more records, no new alert.
{ spoof 2027-03-01T10:10:00Z z@gmail.com; spoof 2027-03-01T10:11:00Z z@gmail.com
  spoof 2027-03-01T10:12:00Z z@gmail.com; } | add
once
check "within the interval: no second alert" "$(count "$mail")/$(count "$cmd")" 1/1
# A restart: no new records, nothing repeated.
once
check "restart: nothing repeated" "$(count "$mail")/$(count "$cmd")" 1/1
# After the interval (by record time): a new burst alerts again.
{ spoof 2027-03-01T11:10:00Z q@gmail.com; spoof 2027-03-01T11:11:00Z q@gmail.com
  spoof 2027-03-01T11:12:00Z q@gmail.com; } | add
once
check "after the interval: a second alert" "$(count "$mail")/$(count "$cmd")" 2/2
grep -q '"count": 3, .*"first": "2027-03-01T11:10:00Z"' "$cmd/2.out" &&
    ok "the second alert counts the new burst" || not_ok "the second alert" "$(cat "$cmd/2.out")"

# sendmail fails: the alert stays pending (exit 1), and goes out once when it works again.
set_sendmail "$conf" "/bin/false"
{ spoof 2027-03-01T12:20:00Z r@gmail.com; spoof 2027-03-01T12:21:00Z r@gmail.com
  spoof 2027-03-01T12:22:00Z r@gmail.com; } | add
once
check "sendmail fails: exit 1" "$rc" 1
contains "sendmail fails: said" "$tmp/once.err" "spoofing burst"
check "sendmail fails: nothing delivered yet" "$(count "$mail")/$(count "$cmd")" 2/2
check "sendmail fails: the alert is kept pending" \
    "$(sqlite3 "$db" "SELECT pending_json IS NOT NULL FROM alert_state WHERE alert = 'spoofing burst'")" 1
set_sendmail "$conf" "sh $CAPTURE $mail"
once
check "sendmail works again: the pending alert goes out, once" "$(count "$mail")/$(count "$cmd")" 3/3
once
check "and is not repeated" "$(count "$mail")/$(count "$cmd")" 3/3

# Names are data: a department and an alert name with quotes and markup.
power() {
    printf 'time=%s|rule=official-to-webmail|action=reject|intended_action=reject|mode=enforce|department=Power "PDD" <b>|envelope_sender=e@jpdcl.jk.gov.in|header_from=e@jpdcl.jk.gov.in|address=%s|gateway=gw1.jk.gov.in\n' "$1" "$2"
}
{ power 2027-03-02T08:00:00Z "p1@gmail.com"; power 2027-03-02T08:30:00Z "p2@gmail.com"; } | add
once
check "department rule: one alert" "$(count "$mail")/$(count "$cmd")" 4/4
check "department rule: to alert_to and that department's alert_to" \
    "$(tr '\n' ' ' <"$mail/4.args")" "-- soc@jk.gov.in noc@jk.gov.in iso.power@jk.gov.in "
cp "$mail/4.out" "$tmp/alert4.eml"
mimecheck "$tmp/alert4.eml" >"$tmp/alert4.dump" 2>"$tmp/alert4.problems" &&
    ok "escaped names: the mail still parses, no markup got through" ||
    not_ok "escaped names: MIME check" "$(cat "$tmp/alert4.problems")"
has "escaped names: subject" "$tmp/alert4.dump" "Subject: officialmail alert: power leaks <script>: 2 records in 1h"
section "$tmp/alert4.dump" alert4 text >"$tmp/alert4.txt"
has "escaped names: the log command quotes the department for a shell" "$tmp/alert4.txt" \
    "  officialmail -c '$conf' log --since 2027-03-02T08:00:00Z --until 2027-03-02T08:30:01Z --department 'Power \"PDD\" <b>' --action reject"
grep -qF '"department": "Power \"PDD\" <b>"' "$cmd/4.out" &&
    ok "escaped names: JSON escapes the quotes" || not_ok "escaped names: JSON" "$(cat "$cmd/4.out")"

# The daemon: --poll, --metrics-listen, SIGTERM.
port=$((20000 + $$ % 20000))
while ss -Hltn "sport = :$port" 2>/dev/null | grep -q .; do port=$((port + 1)); done
"$OM" -c "$conf" alert --poll 1 --metrics-listen "127.0.0.1:$port" 2>"$tmp/daemon.err" &
DPID=$!
i=0
until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 || [ $i -ge 50 ]; do sleep 0.2; i=$((i + 1)); done
check "daemon: /healthz ok" "$(curl -s "http://127.0.0.1:$port/healthz")" "ok"
{ spoof 2027-03-03T08:00:00Z s@gmail.com; spoof 2027-03-03T08:00:01Z s@gmail.com
  spoof 2027-03-03T08:00:02Z s@gmail.com; } | add
i=0
until [ "$(count "$cmd")" -ge 5 ] || [ $i -ge 50 ]; do sleep 0.2; i=$((i + 1)); done
check "daemon: the alert went out" "$(count "$mail")/$(count "$cmd")" 5/5
curl -s "http://127.0.0.1:$port/metrics" >"$tmp/alert.prom"
if promtool check metrics <"$tmp/alert.prom" >"$tmp/promtool.out" 2>&1; then
    ok "daemon: promtool check metrics"
else
    not_ok "daemon: promtool check metrics" "$(cat "$tmp/promtool.out")"
fi
has "daemon: alerts_sent_total counts it" "$tmp/alert.prom" 'officialmail_alerts_sent_total{alert="spoofing burst"} 1'
has "daemon: every alert rule exported at 0" "$tmp/alert.prom" \
    'officialmail_alerts_sent_total{alert="power leaks <script>"} 0'
kill -TERM "$DPID"
wait "$DPID"
check "daemon: SIGTERM, exit 0" "$?" 0
DPID=

"$OM" -c "$conf" alert --once --central --gateway gw1.jk.gov.in >/dev/null 2>"$tmp/central.err"
check "--central without a central database configured: exit 1" "$?" 1
contains "--central without a central database configured: says why" "$tmp/central.err" \
    "neither central_read_database nor central_database is set"
finish
