#!/bin/sh
# demo.sh - build officialmail, start officialmail-milter with the example
# policy in front of a throwaway Postfix on loopback, send the demo
# messages through it, show each SMTP outcome and where the mail ended
# (delivered, held, refused), show the violation records, stop everything.
# Run from anywhere in a clone; installs what it needs; needs root for
# Postfix (re-runs itself with sudo).
#   sh contrib/demo.sh              build in build-demo/ and run that build
#   sh contrib/demo.sh --installed  run the installed officialmail and
#                                   officialmail-milter (from the Debian
#                                   package or make install), no build
#   sh contrib/demo.sh --console    after the mail, leave the review console
#                                   running on loopback (a compliance user and
#                                   a department user, passwords printed)
#                                   until Ctrl-C
#   sh contrib/demo.sh --screenshots DIR
#                                   as --console, then photograph the overview
#                                   and a record into DIR with headless
#                                   Chromium (contrib/console-screenshots.py;
#                                   the README's doc/*.png) and stop
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
if [ "$(id -u)" -ne 0 ]; then exec sudo sh "$0" "$@"; fi
cd "$top"
installed="" console="" shots=""
while [ $# -gt 0 ]; do
    case $1 in
    --installed) installed=1 ;;
    --console) console=1 ;;
    --screenshots) console=1 shots=$(mkdir -p "$2" && cd "$2" && pwd) && shift ;;
    *) echo "usage: sh contrib/demo.sh [--installed] [--console | --screenshots DIR]" >&2; exit 2 ;;
    esac
    shift
done
if [ -n "$installed" ]; then
    demo_om=$(command -v officialmail) && demo_milter=$(PATH=/usr/sbin:/usr/local/sbin:$PATH command -v officialmail-milter) ||
        { echo "officialmail is not installed" >&2; exit 1; }
    echo "== using the installed $demo_om and $demo_milter ($("$demo_milter" -V))"
else
    echo "== installing the Debian packages and building"
    sh contrib/install-deps.sh --demo >/dev/null 2>&1
    [ -x configure ] || autoreconf -fi >/dev/null 2>&1
    mkdir -p build-demo && cd build-demo
    [ -f Makefile ] || ../configure -q
    make -s -j2 officialmail officialmail-milter >/dev/null
    demo_om=$PWD/officialmail demo_milter=$PWD/officialmail-milter
fi
top_srcdir=$top
. "$top/tests/postfix/instance.sh"

tmp=$(mktemp -d)
. "$top/tests/lib.sh"
conf="$tmp/officialmail.conf"
local_conf "$top/contrib/demo-messages/officialmail.conf" "$conf" "$tmp/violations.db"
mport=$(pf_free_port 18894)
# The milter's /metrics and /healthz (README, "Alerts and monitoring").
hport=$(pf_free_port 19794)
printf 'metrics_listen = "127.0.0.1:%s";\n' "$hport" >>"$conf"
cleanup() {
    [ -n "${console_pid:-}" ] && kill "$console_pid" 2>/dev/null && wait "$console_pid" 2>/dev/null
    pf_stop
    [ -n "${milter_pid:-}" ] && kill "$milter_pid" 2>/dev/null && wait "$milter_pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
"$demo_om" -c "$conf" check-config
"$demo_milter" -f -c "$conf" -p "inet:$mport@127.0.0.1" 2>"$tmp/milter.log" &
milter_pid=$!
pf_setup "$tmp" "inet:127.0.0.1:$mport"
# Loopback is internal in the example policy: XCLIENT lets the demo speak
# for outside clients, as Postfix does for a trusted proxy.
postconf -c "$PF_ETC" -e "smtpd_authorized_xclient_hosts = 127.0.0.0/8"
pf_start
sleep 2
echo "== Postfix on 127.0.0.1:$PF_PORT, officialmail-milter on 127.0.0.1:$mport"

# demo_console - the review console on loopback with two users, until Ctrl-C
# (or, with --screenshots, until the two pictures are taken).
demo_console() {
    cport=$(pf_free_port 18025)
    cpw=$(od -An -N9 -tx1 /dev/urandom | tr -d ' \n')
    dpw=$(od -An -N9 -tx1 /dev/urandom | tr -d ' \n')
    cat >>"$conf" <<EOF
console_users = "$tmp/console-users";
release_command = "postsuper -c $PF_ETC -H";
EOF
    echo "$cpw" | "$demo_om" -c "$conf" passwd compliance --role compliance >/dev/null
    echo "$dpw" | "$demo_om" -c "$conf" passwd it-officer --role department \
        --department "Information Technology" >/dev/null
    "$demo_om" -c "$conf" serve --listen "127.0.0.1:$cport" 2>"$tmp/console.log" &
    console_pid=$!
    i=0
    until grep -q 'listening on' "$tmp/console.log"; do
        i=$((i + 1))
        [ $i -lt 100 ] && kill -0 "$console_pid" 2>/dev/null ||
            { cat "$tmp/console.log"; exit 1; }
        sleep 0.1
    done
    if [ -n "$shots" ]; then
        /usr/bin/python3 "$top/contrib/console-screenshots.py" "http://127.0.0.1:$cport" \
            compliance "$cpw" "$shots"
        return
    fi
    echo
    echo "== the review console: http://127.0.0.1:$cport/ (loopback only)"
    echo "    compliance officer:  user compliance  password $cpw"
    echo "    department officer:  user it-officer  password $dpw  (Information Technology)"
    echo "    release a held message, which the console then shows as released:"
    echo "      $demo_om -c $conf release QUEUE_ID --reason TEXT"
    echo "    Ctrl-C stops the console, Postfix and the milter."
    wait "$console_pid" || true
}

# demo_send MESSAGE CLIENT FROM RCPT... - one message; its SMTP replies.
demo_send() {
    msg=$1 client=$2 from=$3
    shift 3
    to=$(echo "$@" | tr ' ' ',')
    echo
    echo "=== $(basename "$msg" .eml): MAIL FROM:<$from> RCPT TO:<$to> from $client"
    swaks --server "127.0.0.1:$PF_PORT" --xclient "ADDR=$client" --from "$from" --to "$to" \
        --data "@$msg" 2>&1 | grep -E '^<\*\* |queued as' | sed -e 's/^<\*\* /    refused: /' \
        -e 's/^<-  250 2.0.0 Ok: queued as \(.*\)/    accepted: queued as \1/' |
        tee "$tmp/last"
    # Remembered for "where the mail ended": what the SMTP client was refused.
    sed -n "s|^    refused: \(.*\)|    refused in SMTP ($(basename "$msg" .eml)): \1|p" \
        "$tmp/last" >>"$tmp/refused"
}
d="$top/contrib/demo-messages"
demo_send "$d/1-official-to-gmail.eml" 10.0.0.5 secy-it@jk.gov.in contractor.raj@gmail.com deputy@it.jk.gov.in
demo_send "$d/2-citizen-to-department.eml" 203.0.113.25 ram.kumar1987@gmail.com grievances@jk.gov.in
# An envelope sender outside jk.gov.in: no SPF lookup can align, so the demo makes no DNS query.
demo_send "$d/3-spoofed-official.eml" 198.51.100.77 bounce@relay.example.net accounts@jk.gov.in
demo_send "$d/4-impersonation-from-webmail.eml" 203.0.113.40 secyit.home@gmail.com deputy@it.jk.gov.in
demo_send "$d/5-clean-official.eml" 10.0.0.6 deputy@it.jk.gov.in director@fin.jk.gov.in
pf_wait_delivered 3 || true
sleep 1

echo
echo "== where the mail ended"
for f in "$PF_DIR"/sink/*; do
    [ -f "$f" ] || continue
    rcpt=$(sed -n 's/^X-Rcpt-Args: <\([^>]*\)>.*/\1/p' "$f")
    subj=$(sed -n 's/^Subject: //p' "$f" | head -1)
    echo "    delivered to $rcpt: $subj"
done
pf_queue | awk '/^[0-9A-F]+!/ {id=$1; getline; print "    held (HOLD queue): " id " for " $1}'
cat "$tmp/refused" 2>/dev/null || true
echo
echo "== the violation log: officialmail log"
COLUMNS=132 "$demo_om" -c "$conf" log
echo
echo "== officialmail stats --by rule"
"$demo_om" -c "$conf" stats --by rule
echo
echo "== officialmail verify-log"
"$demo_om" -c "$conf" verify-log
echo
echo "== the milter's metrics: GET http://127.0.0.1:$hport/metrics (the counters that moved)"
if command -v curl >/dev/null; then
    curl -s "http://127.0.0.1:$hport/metrics" >"$tmp/metrics.prom"
    grep -E '^officialmail_(messages|violations|department_violations|recipients_refused)_total' \
        "$tmp/metrics.prom" | grep -v ' 0$' | sed 's/^/    /'
    if command -v promtool >/dev/null; then
        promtool check metrics <"$tmp/metrics.prom" >/dev/null 2>&1 &&
            echo "    promtool check metrics: clean" || echo "    promtool check metrics: PROBLEMS"
    fi
    msgs=$(awk '/^officialmail_messages_total/ {s += $2} END {print s}' "$tmp/metrics.prom")
    viol=$(awk '/^officialmail_violations_total/ {s += $2} END {print s}' "$tmp/metrics.prom")
    recs=$("$demo_om" -c "$conf" log --format json | wc -l)
    echo "    messages counted: $msgs (5 sent); violations counted: $viol ($recs records in the log)"
    echo "    GET /healthz: $(curl -s "http://127.0.0.1:$hport/healthz")"
else
    echo "    (curl is not installed)"
fi
echo
echo "== the same violations as syslog lines (key=value; main fields shown)"
sed -n 's/.*: violation /    /p' "$tmp/milter.log" |
    sed -E 's/ (time|message_id|reasons|intended_action|mode|exception_ticket|envelope_sender|header_from|recipients|client_name|auth_user|spf|dkim|subject|gateway)=("([^"\\]|\\.)*"|[^ ]*)//g'
[ -n "$console" ] && demo_console
echo
echo "== stopping Postfix, the sink and the milter"
