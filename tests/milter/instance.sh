#!/bin/sh
# instance.sh - the live socket is sacred: a second officialmail-milter
# (an administrator trying -f) against a running one exits 1 and leaves
# its socket and pid file alone, while mail keeps flowing through the
# first; a stale socket or pid file does not stop a start; at exit a
# daemon removes only the files that are still its own.
. "$top_srcdir/tests/lib.sh"
tmp=$(mktemp -d)
conf="$tmp/officialmail.conf"
local_conf "$top_srcdir/tests/data/milter/officialmail.conf" "$conf" "$tmp/violations.db"
sock="unix:$tmp/milter.sock"
pidfile="$tmp/milter.pid"
FIRST_PID= SECOND_PID= INET_PID=
trap 'kill $FIRST_PID $SECOND_PID $INET_PID $MILTER_PID 2>/dev/null; rm -rf "$tmp"' EXIT

# start_pid SOCKET LOG PIDFILE - start_milter with a pid file.
start_pid() {
    "$MILTER" -f -c "$conf" -p "$1" -P "$3" 2>>"$2" &
    MILTER_PID=$!
    wait_ready "$1"
}

# wait_ready SOCKET - until the milter MILTER_PID answers on SOCKET (10 s at most).
wait_ready() {
    i=0
    while [ $i -lt 100 ]; do
        printf 'connect probe 127.0.0.1\nquit\n' | "$MTCLIENT" "$1" >/dev/null 2>&1 && return 0
        kill -0 "$MILTER_PID" 2>/dev/null || return 1
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

# second NAME ARGS... - a second milter, stopped after 10 s if it does not exit by itself.
second() {
    timeout 10 "$MILTER" -f -c "$conf" "$@" >"$tmp/second.out" 2>&1
    SECOND_STATUS=$?
}

# refusal SOCKET - a refusal at RCPT as the milter answers it, proof that it serves mail.
refusal() {
    printf 'connect mail.jk.gov.in 10.0.0.5\nmail <secy-it@jk.gov.in>\nrcpt <x@gmail.com>\nquit\n' |
        "$MTCLIENT" "$1" 2>&1 | tail -1
}
REFUSED="rcpt <x@gmail.com>: reply 550 5.7.1 <x@gmail.com>: Official mail may not be sent to private webmail accounts (rule official-to-webmail)"

if start_pid "$sock" "$tmp/first.log" "$pidfile"; then ok "the first milter starts"; else
    not_ok "the first milter starts" "$(cat "$tmp/first.log")"; finish; exit 1
fi
FIRST_PID=$MILTER_PID
inode=$(stat -c %i "$tmp/milter.sock")

second -p "$sock"
check "a second milter on the live socket: exit status 1" "$SECOND_STATUS" 1
contains "it says another is listening" "$tmp/second.out" \
    "another officialmail-milter is listening on $sock"
check "the live socket file is left alone" "$(stat -c %i "$tmp/milter.sock" 2>&1)" "$inode"
check "mail keeps flowing through the first" "$(refusal "$sock")" "$REFUSED"

second -p "unix:$tmp/other.sock" -P "$pidfile"
check "a second milter with the live pid file: exit status 1" "$SECOND_STATUS" 1
contains "it says another is running, with its pid" "$tmp/second.out" \
    "another officialmail-milter is running: pid $FIRST_PID in $pidfile"
check "the pid file still names the first" "$(cat "$pidfile")" "$FIRST_PID"
if [ -e "$tmp/other.sock" ]; then not_ok "the refused start leaves no socket"; else
    ok "the refused start leaves no socket"; fi
check "mail still flows through the first" "$(refusal "$sock")" "$REFUSED"

# inet: a free port is found by trying a few (other tests may hold one).
port=$((20000 + $$ % 20000)) tries=0 INET=
while [ $tries -lt 5 ] && [ -z "$INET" ]; do
    if start_milter "$conf" "inet:$port@127.0.0.1" "$tmp/inet.log"; then
        INET="inet:$port@127.0.0.1" INET_PID=$MILTER_PID
    fi
    port=$((port + 1)) tries=$((tries + 1))
done
if [ -n "$INET" ]; then
    second -p "$INET"
    check "a second milter on a live inet socket: exit status 1" "$SECOND_STATUS" 1
    contains "it says another is listening there" "$tmp/second.out" \
        "another officialmail-milter is listening on $INET"
    check "mail keeps flowing through the inet one" "$(refusal "$INET")" "$REFUSED"
    MILTER_PID=$INET_PID
    stop_milter
    INET_PID=
else
    not_ok "a milter starts on an inet port" "$(cat "$tmp/inet.log")"
fi

# Only what is still ours: the socket was moved aside and another daemon
# took its place, the pid file was rewritten by someone else.
mv "$tmp/milter.sock" "$tmp/moved.sock"
if start_milter "$conf" "$sock" "$tmp/third.log"; then ok "a milter starts on the freed path"; else
    not_ok "a milter starts on the freed path" "$(cat "$tmp/third.log")"
fi
THIRD_PID=$MILTER_PID
echo 1 >"$pidfile"
MILTER_PID=$FIRST_PID
stop_milter
FIRST_PID=
check "the first stops: exit status 0" "$MILTER_STATUS" 0
if [ -S "$tmp/milter.sock" ]; then ok "it leaves the other daemon's socket"; else
    not_ok "it leaves the other daemon's socket"; fi
check "mail flows through the other daemon" "$(refusal "$sock")" "$REFUSED"
check "it leaves a pid file that is no longer its own" "$(cat "$pidfile" 2>&1)" 1
MILTER_PID=$THIRD_PID
stop_milter
if [ -e "$tmp/milter.sock" ]; then not_ok "a daemon removes its own socket at exit"; else
    ok "a daemon removes its own socket at exit"; fi

# Without root, as under the shipped unit, libmilter itself removes at exit
# the socket file at the path it listened on, whatever socket is there by
# then: the daemon gives it a private name for that, gone by then.
run="$tmp/run" AS=
[ "$(id -u)" -eq 0 ] && AS="setpriv --reuid=65534 --regid=65534 --clear-groups"
mkdir "$run" && chmod 755 "$tmp" && chmod 777 "$run"
local_conf "$top_srcdir/tests/data/milter/officialmail.conf" "$run/plain.conf" "$run/violations.db"
$AS "$MILTER" -f -c "$run/plain.conf" -p "unix:$run/milter.sock" 2>>"$run/plain.log" &
MILTER_PID=$!
if wait_ready "unix:$run/milter.sock"; then ok "a milter starts without root"; else
    not_ok "a milter starts without root" "$(cat "$run/plain.log")"
fi
PLAIN_PID=$MILTER_PID
mv "$run/milter.sock" "$run/moved.sock"
start_milter "$conf" "unix:$run/milter.sock" "$tmp/fourth.log" || not_ok "another starts" "$(cat "$tmp/fourth.log")"
FOURTH_PID=$MILTER_PID
MILTER_PID=$PLAIN_PID
stop_milter
check "without root: stopped, exit status 0" "$MILTER_STATUS" 0
if [ -S "$run/milter.sock" ]; then ok "without root: it leaves the other daemon's socket"; else
    not_ok "without root: it leaves the other daemon's socket" "$(ls -l "$run")"; fi
check "mail flows through the other daemon" "$(refusal "unix:$run/milter.sock")" "$REFUSED"
MILTER_PID=$FOURTH_PID
stop_milter

# Stale: a daemon killed with SIGKILL leaves its socket and pid file.
start_pid "$sock" "$tmp/killed.log" "$pidfile" || not_ok "a milter starts" "$(cat "$tmp/killed.log")"
kill -KILL "$MILTER_PID"
wait "$MILTER_PID" 2>/dev/null
if [ -S "$tmp/milter.sock" ] && [ -s "$pidfile" ]; then ok "SIGKILL leaves a stale socket and pid file"; else
    not_ok "SIGKILL leaves a stale socket and pid file"; fi
if start_pid "$sock" "$tmp/stale.log" "$pidfile"; then ok "a milter starts over the stale files"; else
    not_ok "a milter starts over the stale files" "$(cat "$tmp/stale.log")"
fi
contains "it says it removed the stale socket" "$tmp/stale.log" "removed the stale socket $tmp/milter.sock"
check "the pid file names the new daemon" "$(cat "$pidfile")" "$MILTER_PID"
check "mail flows through the new daemon" "$(refusal "$sock")" "$REFUSED"
stop_milter
check "stopped: exit status 0" "$MILTER_STATUS" 0
if [ -e "$pidfile" ] || [ -e "$tmp/milter.sock" ]; then
    not_ok "at exit its own socket and pid file are removed" "$(ls "$tmp")"
else ok "at exit its own socket and pid file are removed"; fi

# A pid file naming a living process that is no milter (the number was reused) is stale.
echo $$ >"$pidfile"
if start_pid "$sock" "$tmp/reused.log" "$pidfile"; then ok "a pid file naming another program does not stop a start"; else
    not_ok "a pid file naming another program does not stop a start" "$(cat "$tmp/reused.log")"
fi
stop_milter

# A file that is not a socket is never removed.
echo keep >"$tmp/milter.sock"
second -p "$sock"
check "a non-socket file at the socket path: exit status 1" "$SECOND_STATUS" 1
check "the file is left alone" "$(cat "$tmp/milter.sock")" keep
finish
