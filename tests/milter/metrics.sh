#!/bin/sh
# metrics.sh - the milter's /metrics and /healthz (SPEC 10) on real
# traffic sent through the milter protocol: a scrape passes promtool check
# metrics; every fixed label combination is there from the start at 0; the
# counters equal the traffic sent (clean, every action, refused recipients,
# exempt, monitor); SIGHUP reloads, a failed one counted; /healthz 503
# "unhealthy: log writer failed" while the log's disk is full (a small
# tmpfs made by the test) and 200 again after the next commit; a hostile
# client holding connections open does not stop the mail or the scrape.
. "$top_srcdir/tests/lib.sh"
for t in promtool curl; do
    command -v $t >/dev/null || { not_ok "$t present (contrib/install-deps.sh)"; finish; exit 1; }
done
if [ "$(id -u)" -ne 0 ]; then
    echo "needs root to mount a small tmpfs"
    [ "${CI:-}" = true ] && { not_ok "metrics test prerequisites"; finish; exit 1; }
    exit 77
fi
tmp=$(mktemp -d)
small="$tmp/small"
mkdir -p "$small"
mount -t tmpfs -o size=512k tmpfs "$small" || { not_ok "mount a 512 KiB tmpfs"; finish; exit 1; }
trap 'kill "$MILTER_PID" $HOLD 2>/dev/null; wait "$MILTER_PID" 2>/dev/null; umount "$small"; rm -rf "$tmp"' EXIT
sock="unix:$tmp/milter.sock"
log="$tmp/milter.log"
conf="$tmp/officialmail.conf"
port=$((20000 + ($$ + 7) % 20000))
while ss -Hltn "sport = :$port" 2>/dev/null | grep -q .; do port=$((port + 1)); done
url="http://127.0.0.1:$port"
local_conf "$top_srcdir/tests/data/milter/officialmail.conf" "$conf" "$small/violations.db"
printf 'database_timeout = 2;\nmetrics_listen = "127.0.0.1:%s";\n' "$port" >>"$conf"

scrape() { curl -s --max-time 5 "$url/metrics" >"$tmp/scrape.prom"; }
# value NAME{LABELS} - the sample's value in the last scrape.
value() { awk -v k="$1" '$1 == k { print $2 }' "$tmp/scrape.prom"; }
# send FROM RCPT... [-- HEADER...] - one message from a local client; the replies.
send() {
    from=$1
    shift
    {
        printf 'connect a 10.0.0.5\nmail <%s>\n' "$from"
        while [ $# -gt 0 ] && [ "$1" != -- ]; do printf 'rcpt <%s>\n' "$1"; shift; done
        [ "${1:-}" = -- ] && shift
        for h in "$@"; do printf 'header %s\n' "$h"; done
        printf 'eoh\nqueue-id M%s\neom\n' "$(date +%N)"
    } | "$MTCLIENT" "$sock"
}

start_milter "$conf" "$sock" "$log" || { not_ok "milter starts" "$(cat "$log")"; finish; exit 1; }
check "/healthz: ok" "$(curl -s -w ' %{http_code}' "$url/healthz")" "ok
 200"
scrape
if promtool check metrics <"$tmp/scrape.prom" >"$tmp/promtool.out" 2>&1; then
    ok "a scrape at start passes promtool check metrics"
else
    not_ok "promtool check metrics at start" "$(cat "$tmp/promtool.out")"
fi
check "messages_total: the 6 actions, at 0" \
    "$(grep -c '^officialmail_messages_total{action="[a-z]*"} 0$' "$tmp/scrape.prom")" 6
check "violations_total: 4 rules x 5 actions, at 0" \
    "$(grep -c '^officialmail_violations_total{rule="[a-z-]*",action="[a-z]*"} 0$' "$tmp/scrape.prom")" 20
check "dns_lookups_total: 2 kinds x 4 results, at 0" \
    "$(grep -c '^officialmail_dns_lookups_total{kind="[a-z]*",result="[a-z]*"} 0$' "$tmp/scrape.prom")" 8
for m in officialmail_recipients_refused_total officialmail_log_queue_depth \
    officialmail_log_errors_total officialmail_log_commit_seconds_count \
    officialmail_dns_seconds_count 'officialmail_policy_reloads_total{result="success"}' \
    'officialmail_policy_reloads_total{result="failure"}' 'officialmail_internal_errors_total{kind="log"}' \
    officialmail_milter_sessions; do
    check "$m at 0" "$(value "$m")" 0
done
check "build_info" "$(value 'officialmail_build_info{version="'"$(sed -n 's/^#define PACKAGE_VERSION "\(.*\)"/\1/p' "$top_builddir/config.h")"'"}')" 1
check "policy_loaded_timestamp_seconds is now" \
    "$(($(date +%s) - $(value officialmail_policy_loaded_timestamp_seconds) < 60))" 1

# Known traffic.
for i in 1 2 3; do send secy-it@jk.gov.in y@jk.gov.in -- "From: secy-it@jk.gov.in" >/dev/null; done
for i in 1 2; do send secy-it@jk.gov.in x$i@gmail.com y@jk.gov.in -- "From: secy-it@jk.gov.in" >/dev/null; done
send secy-it@jk.gov.in a@gmail.com b@yahoo.com -- "From: secy-it@jk.gov.in" >/dev/null
send secy-it@jk.gov.in y@jk.gov.in -- "From: secy-it@jk.gov.in" "Reply-To: z@gmail.com" >/dev/null
send secyit.home@gmail.com y@it.jk.gov.in -- "From: secyit.home@gmail.com" >"$tmp/q.out"
send a@jpdcl.jk.gov.in x@gmail.com -- "From: a@jpdcl.jk.gov.in" >/dev/null
send helpdesk@jk.gov.in citizen@gmail.com -- "From: helpdesk@jk.gov.in" >/dev/null
contains "the webmail-to-official message was quarantined" "$tmp/q.out" "eom: quarantine"
i=0
while scrape && [ "$(value officialmail_milter_sessions)" != 0 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
check "messages: 3 clean + 1 exempt accepted" "$(value 'officialmail_messages_total{action="accept"}')" 4
check "messages: 3 with recipients refused at RCPT are reject" "$(value 'officialmail_messages_total{action="reject"}')" 3
check "messages: 1 tag" "$(value 'officialmail_messages_total{action="tag"}')" 1
check "messages: 1 quarantine" "$(value 'officialmail_messages_total{action="quarantine"}')" 1
check "messages: 1 log (a department in monitor mode)" "$(value 'officialmail_messages_total{action="log"}')" 1
check "messages: 0 tempfail" "$(value 'officialmail_messages_total{action="tempfail"}')" 0
check "recipients refused at RCPT: 4" "$(value officialmail_recipients_refused_total)" 4
check "violations official-to-webmail reject: 4" \
    "$(value 'officialmail_violations_total{rule="official-to-webmail",action="reject"}')" 4
check "violations official-to-webmail log: 1" \
    "$(value 'officialmail_violations_total{rule="official-to-webmail",action="log"}')" 1
check "violations official-to-webmail exempt: 1" \
    "$(value 'officialmail_violations_total{rule="official-to-webmail",action="exempt"}')" 1
check "violations reply-to-webmail tag: 1" \
    "$(value 'officialmail_violations_total{rule="reply-to-webmail",action="tag"}')" 1
check "violations webmail-to-official quarantine: 1" \
    "$(value 'officialmail_violations_total{rule="webmail-to-official",action="quarantine"}')" 1
check "violations by department: IT (label with a space)" \
    "$(grep -c '^officialmail_department_violations_total{department="Information Technology"} 6$' "$tmp/scrape.prom")" 1
check "violations in all: the records in the log" "$(value officialmail_log_records_total)" \
    "$(sqlite3 "$small/violations.db" 'SELECT COUNT(*) FROM violations')"
check "sessions: none open" "$(value officialmail_milter_sessions)" 0
check "sessions: 10 messages + the start probe" "$(value officialmail_milter_sessions_total)" 11
check "log commits observed" "$([ "$(value officialmail_log_commit_seconds_count)" -ge 1 ] && echo yes)" yes
if promtool check metrics <"$tmp/scrape.prom" >"$tmp/promtool.out" 2>&1; then
    ok "the scrape after traffic passes promtool check metrics"
else
    not_ok "promtool check metrics after traffic" "$(cat "$tmp/promtool.out")"
fi

# SIGHUP: a broken configuration is refused and counted; a good one reloads.
cp "$conf" "$tmp/good.conf"
printf 'mode = "sometimes";\n' >>"$conf"
kill -HUP "$MILTER_PID"
i=0
while scrape && [ "$(value 'officialmail_policy_reloads_total{result="failure"}')" != 1 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
check "a failed SIGHUP is counted" "$(value 'officialmail_policy_reloads_total{result="failure"}')" 1
check "and not as a success" "$(value 'officialmail_policy_reloads_total{result="success"}')" 0
cp "$tmp/good.conf" "$conf"
kill -HUP "$MILTER_PID"
i=0
while scrape && [ "$(value 'officialmail_policy_reloads_total{result="success"}')" != 1 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
check "a good SIGHUP is counted" "$(value 'officialmail_policy_reloads_total{result="success"}')" 1
check "/healthz after a failed reload: ok (the old policy is in force)" "$(curl -s "$url/healthz")" "ok"
# A changed metrics_listen waits for a restart, and says so.
sed -i "s|^metrics_listen = .*|metrics_listen = \"127.0.0.1:$((port + 1))\";|" "$conf"
kill -HUP "$MILTER_PID"
i=0
until grep -q 'metrics_listen changed; restart officialmail-milter to apply' "$log" || [ $i -ge 50 ]; do
    sleep 0.1; i=$((i + 1)); done
contains "a changed metrics_listen: syslog says it needs a restart" "$log" \
    "metrics_listen changed; restart officialmail-milter to apply"
check "and the listener stays where it was" "$(curl -s "$url/healthz")" "ok"
cp "$tmp/good.conf" "$conf"

# A hostile client opens more connections than the server keeps and sends
# nothing: mail is answered at once, and the idle ones are dropped after
# the server's timeout (5 s), so that a scrape gets through again.
python3 -c 'import socket, sys, time
held = []
for _ in range(12):
    try:
        held.append(socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=2))
    except OSError:
        pass
time.sleep(30)' "$port" &
HOLD=$!
sleep 0.5
check "hostile client: a message is answered meanwhile" \
    "$(send secy-it@jk.gov.in y@jk.gov.in -- "From: secy-it@jk.gov.in" | tail -1)" "eom: accept"
got=
for i in 1 2 3 4 5 6 7 8 9 10; do
    got=$(curl -s --max-time 2 "$url/healthz") && [ "$got" = ok ] && break
    sleep 1
done
check "hostile client: /healthz answers again after the idle timeout" "$got" "ok"
kill "$HOLD" 2>/dev/null
HOLD=

# The disk is full: 451, /healthz 503, counted; space again: the next commit makes it 200.
dd if=/dev/zero of="$small/filler" bs=4k 2>/dev/null
check "disk full: the message is answered 451" \
    "$(send secy-it@jk.gov.in x@gmail.com y@jk.gov.in -- "From: secy-it@jk.gov.in" | tail -1)" \
    "eom: reply 451 4.3.0 Temporary internal error, please try again later"
check "disk full: /healthz 503 with the reason" "$(curl -s -w ' %{http_code}' "$url/healthz")" \
    "unhealthy: log writer failed
 503"
scrape
check "disk full: one internal error of kind log" "$(value 'officialmail_internal_errors_total{kind="log"}')" 1
check "disk full: counted as a tempfail message" "$(value 'officialmail_messages_total{action="tempfail"}')" 1
check "disk full: log errors counted" "$([ "$(value officialmail_log_errors_total)" -ge 1 ] && echo yes)" yes
check "disk full: healthy 0" "$(value officialmail_healthy)" 0
rm -f "$small/filler"
code=503
for q in 1 2 3 4 5; do
    send secy-it@jk.gov.in x@gmail.com y@jk.gov.in -- "From: secy-it@jk.gov.in" >/dev/null
    code=$(curl -s -o /dev/null -w '%{http_code}' "$url/healthz")
    [ "$code" = 200 ] && break
    sleep 1
done
check "space again: /healthz 200 after the next commit" "$code" 200
# contrib/: the alerting rules and the scrape example pass promtool; every
# metric the rules and the dashboard use is one a program serves.
out=$(promtool check rules "$top_srcdir/contrib/prometheus/officialmail-rules.yml" 2>&1)
check "promtool check rules contrib/prometheus/officialmail-rules.yml" "$?" 0
sed "s|/etc/prometheus/officialmail-rules.yml|$(cd "$top_srcdir" && pwd)/contrib/prometheus/officialmail-rules.yml|" \
    "$top_srcdir/contrib/prometheus/officialmail-scrape.yml" >"$tmp/prometheus.yml"
out=$(promtool check config "$tmp/prometheus.yml" 2>&1)
check "promtool check config on the scrape example" "$?" 0
scrape
# Served by alert and ship (tests/alert/alert.sh checks alert's).
others="officialmail_alerts_sent_total
officialmail_alert_failed_rounds_total
officialmail_ship_backlog_records
officialmail_ship_last_success_timestamp_seconds"
unknown=
for m in $(cat "$top_srcdir/contrib/prometheus/officialmail-rules.yml" \
    "$top_srcdir/contrib/grafana/officialmail-dashboard.json" |
    grep -o 'officialmail_[a-z_]*' | sed 's/_bucket$//' | sort -u); do
    grep -q "^# TYPE $m " "$tmp/scrape.prom" || echo "$others" | grep -qx "$m" || unknown="$unknown $m"
done
check "the rules and the dashboard use only metrics that exist" "$unknown" ""
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert len(d["panels"]) >= 10' \
    "$top_srcdir/contrib/grafana/officialmail-dashboard.json" &&
    ok "the Grafana dashboard parses, with its panels" || not_ok "the Grafana dashboard parses"

stop_milter
check "SIGTERM: exit status 0" "$MILTER_STATUS" 0
finish
