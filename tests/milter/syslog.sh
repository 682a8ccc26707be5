#!/bin/sh
# syslog.sh - the milter logs to syslog always (facility mail), with -f
# also to standard error; every line about a message starts with its queue
# id, taken from the first step that gives it (here RCPT, as Postfix does
# once its queue file is open); violations at notice, failures at err,
# reloads at info. The test reads syslog through a socket of its own
# (logsink, named by OFFICIALMAIL_TEST_SYSLOG, which exists for tests).
. "$top_srcdir/tests/lib.sh"
tmp=$(mktemp -d)
conf="$tmp/officialmail.conf"
local_conf "$top_srcdir/tests/data/milter/officialmail.conf" "$conf" "$tmp/violations.db"
sock="unix:$tmp/milter.sock"
log="$tmp/milter.log"
syslog="$tmp/syslog"
SINK_PID=
trap 'kill "$MILTER_PID" $SINK_PID 2>/dev/null; rm -rf "$tmp"' EXIT

"$top_builddir/tests/milter/logsink" "$tmp/log.sock" >"$syslog" 2>&1 &
SINK_PID=$!
i=0
while [ ! -S "$tmp/log.sock" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
OFFICIALMAIL_TEST_SYSLOG="$tmp/log.sock"
export OFFICIALMAIL_TEST_SYSLOG

# logged NAME PATTERN - some syslog line matches PATTERN (extended regex);
# waits up to 5 s, since records of a message refused at RCPT are
# committed, and logged, after the client is gone.
logged() {
    i=0
    while ! grep -qE -- "$2" "$syslog" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    if grep -qE -- "$2" "$syslog"; then ok "$1"; else not_ok "$1" "no line like '$2' in:
$(tail -5 "$syslog")"; fi
}

start_milter "$conf" "$sock" "$log" || { not_ok "milter starts" "$(cat "$log")"; finish; exit 1; }
# The time as syslog(3) writes it ("Dec  7 18:20:39 "): the lines are the datagrams /dev/log gets.
T='[A-Z][a-z]{2} [ 1-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-6][0-9] '
P="^<([0-9]+)>${T}officialmail\\[$MILTER_PID\\]: "
# Priorities are facility mail (2 * 8) plus notice 5, err 3, warning 4, info 6.
logged "start-up at info, with the ident and pid" "^<22>${T}officialmail\\[$MILTER_PID\\]: officialmail-milter .* listening on $sock"

# Every recipient refused at RCPT, then the client quits: the queue id came at RCPT.
expect "refused at RCPT, the queue id given at RCPT" "$sock" \
"connect: continue
mail <secy-it@jk.gov.in>: continue
rcpt <x@gmail.com>: reply 550 5.7.1 <x@gmail.com>: Official mail may not be sent to private webmail accounts (rule official-to-webmail)" <<'S'
connect mail.jk.gov.in 10.0.0.5
mail <secy-it@jk.gov.in>
macro rcpt {i} 4XyZ1q
rcpt <x@gmail.com>
quit
S
logged "the violation: notice, queue id first, queue_id in the record" \
    "^<21>${T}officialmail\\[$MILTER_PID\\]: 4XyZ1q: violation .*queue_id=4XyZ1q .*rule=official-to-webmail "
has_record "with -f the line goes to standard error too" "$log" "4XyZ1q: violation " "rule=official-to-webmail "

# The id given at end of message only (the default of the other tests) still prefixes.
printf 'connect a 10.0.0.5\nmail <secy-it@jk.gov.in>\nrcpt <y@jk.gov.in>\nheader From: secy-it@jk.gov.in\nheader Reply-To: z@gmail.com\neoh\nqueue-id 5AbC2r\neom\n' |
    "$MTCLIENT" "$sock" >/dev/null
logged "a tagged violation: notice, queue id first" "^<21>${T}officialmail\\[$MILTER_PID\\]: 5AbC2r: violation .*rule=reply-to-webmail "
if grep -E "${P}5AbC2r: " "$syslog" | grep -vqE '^<2[0-2]>'; then
    not_ok "every line of the message is notice, warning or info" "$(grep -E "${P}5AbC2r: " "$syslog")"
else ok "every line of the message is notice, warning or info"; fi

# A reload: info; a changed database waits for a restart: warning.
sed -e "s|^database = .*|database = \"$tmp/other.db\";|" "$conf" >"$conf.new" && mv "$conf.new" "$conf"
kill -HUP "$MILTER_PID"
logged "a reload at info" "^<22>${T}officialmail\\[$MILTER_PID\\]: configuration reloaded from $conf"
logged "a setting that needs a restart: warning" "^<20>${T}officialmail\\[$MILTER_PID\\]: database changed; restart officialmail-milter to apply"
printf 'this is not libconfig\n' >>"$conf"
kill -HUP "$MILTER_PID"
logged "a failed reload at err" "^<19>${T}officialmail\\[$MILTER_PID\\]: configuration $conf not reloaded"

# A second daemon's refusal to start is in syslog too.
local_conf "$top_srcdir/tests/data/milter/officialmail.conf" "$tmp/good.conf" "$tmp/violations.db"
timeout 10 "$MILTER" -f -c "$tmp/good.conf" -p "$sock" >/dev/null 2>&1
check "a second daemon on the live socket: exit status 1" "$?" 1
logged "its refusal is in syslog at err" "^<19>${T}officialmail\\[[0-9]+\\]: another officialmail-milter is listening on $sock"
stop_milter

# A failure about a message: err, queue id first. The violation log cannot
# be opened (its directory is a file), so the end of message answers 451.
: >"$tmp/notadir"
local_conf "$top_srcdir/tests/data/milter/officialmail.conf" "$conf" "$tmp/notadir/violations.db"
printf 'database_timeout = 1;\n' >>"$conf"
start_milter "$conf" "$sock" "$log" || not_ok "milter starts without its log" "$(tail -3 "$log")"
got=$(printf 'connect a 10.0.0.5\nmail <secy-it@jk.gov.in>\nrcpt <y@jk.gov.in>\nheader From: secy-it@jk.gov.in\nheader Reply-To: z@gmail.com\neoh\nqueue-id 6DeF3s\neom\n' |
    "$MTCLIENT" "$sock" | tail -1)
check "the record cannot be written: 451" "$got" "eom: reply 451 4.3.0 Temporary internal error, please try again later"
logged "the failure: err, queue id first" "^<19>${T}officialmail\\[$MILTER_PID\\]: 6DeF3s: "
stop_milter

# Under systemd standard error is the journal, which syslog reaches already:
# no second copy there.
local_conf "$top_srcdir/tests/data/milter/officialmail.conf" "$conf" "$tmp/violations.db"
: >"$tmp/journal"
JOURNAL_STREAM=$(stat -c %d:%i "$tmp/journal")
export JOURNAL_STREAM
start_milter "$conf" "$sock" "$tmp/journal" || not_ok "milter starts under a journal" "$(cat "$tmp/journal")"
unset JOURNAL_STREAM
printf 'connect a 10.0.0.5\nmail <secy-it@jk.gov.in>\nrcpt <y@jk.gov.in>\nheader From: secy-it@jk.gov.in\nheader Reply-To: z@gmail.com\neoh\nqueue-id 7GhJ4t\neom\n' |
    "$MTCLIENT" "$sock" >/dev/null
logged "under a journal the violation reaches syslog" "^<21>${T}officialmail\\[$MILTER_PID\\]: 7GhJ4t: violation "
stop_milter
check "and standard error gets no copy" "$(cat "$tmp/journal")" ""
finish
