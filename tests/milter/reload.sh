#!/bin/sh
# reload.sh - SIGHUP under load: a broken configuration is refused with
# file:line and the policy in force keeps serving; a good one takes over;
# no connection of the load is dropped.
. "$top_srcdir/tests/lib.sh"
tmp=$(mktemp -d)
sock="unix:$tmp/milter.sock"
log="$tmp/milter.log"
conf="$tmp/officialmail.conf"
list="$(cd "$top_srcdir" && pwd)/policy/lists/webmail-domains.txt"
trap 'kill "$MILTER_PID" "$LOAD_PID" 2>/dev/null; rm -rf "$tmp"' EXIT

# write_conf MODE - a small valid configuration in MODE.
write_conf() {
    cat >"$conf.new" <<CONF
mode = "$1";
database = "$tmp/violations.db";
official_domains = [ "jk.gov.in" ];
webmail_domains = [ "$list" ];
CONF
    mv "$conf.new" "$conf"
}

write_conf enforce
start_milter "$conf" "$sock" "$log" || { not_ok "milter starts" "$(cat "$log")"; finish; exit 1; }

# The load: one message a connection, bounded in count (400) and time (60 s).
cat >"$tmp/one" <<'S'
connect mail.jk.gov.in 10.0.0.5
mail <secy@jk.gov.in>
rcpt <x@gmail.com>
header From: secy@jk.gov.in
eoh
eom
S
(
    end=$(($(date +%s) + 60)) i=0
    while [ $i -lt 400 ] && [ "$(date +%s)" -lt $end ]; do
        "$MTCLIENT" "$sock" "$tmp/one" >>"$tmp/load.out" 2>&1 || echo "client failed" >>"$tmp/load.out"
        i=$((i + 1))
    done
) &
LOAD_PID=$!

sleep 1
printf 'mode = "enforce";\nofficial_domains = [ "jk.gov.in" ];\nthis is not libconfig;\n' >"$conf"
kill -HUP "$MILTER_PID"
sleep 1
contains "a broken configuration is reported with file:line" "$log" "$conf:3:"
contains "and the policy in force stays" "$log" "not reloaded"
printf 'connect a 10.0.0.5\nmail <secy@jk.gov.in>\nrcpt <y@gmail.com>\n' >"$tmp/probe"
got=$("$MTCLIENT" "$sock" "$tmp/probe" | tail -1)
case $got in *"550 5.7.1"*) ok "the old policy still refuses";; *) not_ok "the old policy still refuses" "$got";; esac

write_conf monitor
kill -HUP "$MILTER_PID"
sleep 1
contains "a good configuration is reloaded" "$log" "configuration reloaded from $conf"
got=$("$MTCLIENT" "$sock" "$tmp/probe" | tail -1)
check "the new policy (monitor) applies" "$got" "rcpt <y@gmail.com>: continue"

wait "$LOAD_PID"
n=$(grep -c 'eom: accept\|550 5.7.1' "$tmp/load.out")
bad=$(grep -c 'error\|client failed' "$tmp/load.out")
check "no connection of the load failed" "$bad" 0
if [ "$n" -gt 0 ]; then ok "the load ran ($n replies)"; else not_ok "the load ran"; fi
stop_milter
check "SIGTERM: exit status 0" "$MILTER_STATUS" 0

# What a reload cannot change (the socket, the violation log) keeps its
# value until a restart, and the log says so; the rest is reloaded.
write_sock_conf() {
    write_conf "$1"
    sed -e "s|^database = .*|database = \"$3\";|" "$conf" >"$conf.new"
    printf 'socket = "unix:%s";\n' "$2" >>"$conf.new"
    mv "$conf.new" "$conf"
}
write_sock_conf enforce "$tmp/a.sock" "$tmp/violations.db"
"$MILTER" -f -c "$conf" 2>>"$log" &
MILTER_PID=$!
i=0
until printf 'connect probe 127.0.0.1\nquit\n' | "$MTCLIENT" "unix:$tmp/a.sock" >/dev/null 2>&1; do
    i=$((i + 1))
    [ $i -lt 100 ] && kill -0 "$MILTER_PID" 2>/dev/null || break
    sleep 0.1
done
write_sock_conf monitor "$tmp/b.sock" "$tmp/other.db"
kill -HUP "$MILTER_PID"
sleep 1
contains "a changed socket: restart to apply" "$log" "socket changed; restart officialmail-milter to apply"
contains "a changed database: restart to apply" "$log" "database changed; restart officialmail-milter to apply"
got=$("$MTCLIENT" "unix:$tmp/a.sock" "$tmp/probe" | tail -1)
check "the old socket still serves, under the reloaded policy (monitor)" "$got" "rcpt <y@gmail.com>: continue"
if [ -e "$tmp/b.sock" ] || [ -e "$tmp/other.db" ]; then not_ok "nothing is opened at the new paths"; else
    ok "nothing is opened at the new paths"; fi
stop_milter
check "stopped: exit status 0" "$MILTER_STATUS" 0
n=$(grep -c "changed; restart officialmail-milter" "$log")
check "only the two changed settings were named" "$n" 2
finish
