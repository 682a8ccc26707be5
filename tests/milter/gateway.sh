#!/bin/sh
# gateway.sh - gateway_name (SPEC 5b "Operation") through the real milter:
# by default the host's fully qualified name (getaddrinfo's canonical
# name, else gethostname), else the setting; it is each record's gateway
# and the authserv-id of the Authentication-Results line; a reload
# applies it; the loader refuses what is not a host name.
. "$top_srcdir/tests/lib.sh"
tmp=$(mktemp -d)
conf="$tmp/officialmail.conf"
db="$tmp/violations.db"
local_conf "$top_srcdir/tests/data/milter/officialmail.conf" "$conf" "$db"
sock="unix:$tmp/milter.sock"
log="$tmp/milter.log"
trap 'kill "$MILTER_PID" 2>/dev/null; rm -rf "$tmp"' EXIT

# The default the milter must find, computed the same way by another program.
fqdn=$(python3 -c 'import socket
h = socket.gethostname()
try:
    c = socket.getaddrinfo(h, None, flags=socket.AI_CANONNAME)[0][3]
except OSError:
    c = ""
print(c or h)') || { not_ok "python3 finds this host's name"; finish; exit 1; }

# send QID - an official sender to gmail.com (recorded) and, in a second
# message, an official From from outside (judged: a results line).
send() {
    "$MTCLIENT" "$sock" >/dev/null <<S
connect mail.jk.gov.in 10.0.0.5
mail <secy-it@jk.gov.in>
rcpt <x@gmail.com>
rcpt <y@jk.gov.in>
header From: secy-it@jk.gov.in
eoh
queue-id $1
eom
S
    "$MTCLIENT" "$sock" >/dev/null <<S
connect relay.example.net 198.51.100.7
mail <bounce@relay.example.net>
rcpt <accounts@jk.gov.in>
header From: Commissioner <commissioner@jk.gov.in>
eoh
queue-id $1S
eom
S
}

# gateway_of QID - the gateway field of the record of QID.
gateway_of() {
    "$OM" log --database "$db" --queue-id "$1" --format json | sed -n 's/.*"gateway": "\([^"]*\)".*/\1/p'
}

if start_milter "$conf" "$sock" "$log"; then ok "milter starts"; else
    not_ok "milter starts" "$(cat "$log")"; finish; exit 1
fi
send G1
check "default: the record's gateway is the host's name" "$(gateway_of G1)" "$fqdn"
contains "default: the authserv-id is the host's name" "$log" "G1S: Authentication-Results: $fqdn; none"

printf 'gateway_name = "mx9.gw.example";\n' >>"$conf"
kill -HUP "$MILTER_PID"
i=0
while [ $i -lt 100 ] && ! grep -q "configuration reloaded" "$log"; do sleep 0.1; i=$((i + 1)); done
contains "the setting is reloaded" "$log" "configuration reloaded from $conf"
send G2
check "gateway_name: the record's gateway" "$(gateway_of G2)" "mx9.gw.example"
contains "gateway_name: the authserv-id" "$log" "G2S: Authentication-Results: mx9.gw.example; none"
for gw in "$fqdn" mx9.gw.example; do # two messages each, one record each
    check "log --gateway $gw: its records" \
        "$("$OM" log --database "$db" --gateway "$gw" --format json | wc -l | tr -d ' ')" 2
done
# The client's address as the record keeps it (IPv4 is written by hand:
# every width of octet, and a zero).
for ip in 10.0.0.5 109.90.0.255 1.23.199.0; do
    "$MTCLIENT" "$sock" >/dev/null <<S
connect c.example $ip
mail <secy-it@jk.gov.in>
rcpt <x@gmail.com>
header From: secy-it@jk.gov.in
eoh
queue-id IP$ip
eom
S
    check "client_ip $ip in the records" \
        "$("$OM" log --database "$db" --queue-id "IP$ip" --format json | sed -n 's/.*"client_ip": "\([^"]*\)".*/\1/p' | sort -u)" "$ip"
done
stop_milter
check "milter stops cleanly" "$MILTER_STATUS" 0

"$OM" -c "$conf" check-config >"$tmp/out" 2>&1
check "check-config accepts gateway_name" "$?" 0
# officialmail test writes the same line (nothing can align: no lookup is made).
printf 'From: Commissioner <commissioner@jk.gov.in>\n\nhello\n' >"$tmp/m.eml"
"$OM" -c "$conf" test --client-ip 198.51.100.7 --mail-from bounce@relay.example.net \
    --rcpt accounts@jk.gov.in "$tmp/m.eml" >"$tmp/out" 2>&1
contains "officialmail test: the authserv-id" "$tmp/out" "Authentication-Results: mx9.gw.example; none"
printf 'official_domains = [ "jk.gov.in" ];\nwebmail_domains = [ ];\ngateway_name = "mx 9; spf=pass";\n' >"$tmp/bad.conf"
"$OM" -c "$tmp/bad.conf" check-config >"$tmp/out" 2>&1
check "check-config refuses a gateway_name that is not a host name" "$?" 1
contains "the bad gateway_name at file:line" "$tmp/out" "bad.conf:3:"
contains "the bad gateway_name explained" "$tmp/out" "is not a host name"
finish
