#!/bin/sh
# demo-central.sh - many gateways, one log (the central PostgreSQL log):
# builds officialmail, starts a throwaway PostgreSQL (initdb and pg_ctl in
# a temporary directory, on a unix socket there) with the central schema,
# two gateways (two officialmail-milter instances, mx1 and mx2, each with
# its own local log), sends the demo messages through both as an MTA would
# (the tests' milter client), ships both logs, and prints
# `officialmail log --central`, `stats --central` and `verify-log --central`.
# Stops everything it started. Run from anywhere in a clone.
#   sh contrib/demo-central.sh
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
echo "== installing the Debian packages and building"
if [ "$(id -u)" -eq 0 ]; then sh contrib/install-deps.sh --demo >/dev/null 2>&1; fi
[ -x configure ] || autoreconf -fi >/dev/null 2>&1
mkdir -p build-demo && cd build-demo
[ -f Makefile ] || ../configure -q
make -s -j2 officialmail officialmail-milter tests/milter/mtclient >/dev/null
top_srcdir=$top top_builddir=$PWD
. "$top/tests/lib.sh"
OM=$PWD/officialmail
. "$top/tests/pg/lib.sh"
tmp=$(mktemp -d)
chmod 755 "$tmp"
pids=""
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null; done
    pg_stop
    rm -rf "$tmp"
}
trap cleanup EXIT

echo "== a throwaway PostgreSQL in $tmp/pg (as $PG_USER), the schema, two gateway roles"
pg_start "$tmp/pg"
pg_central
pg_gateway mx1.jk.gov.in
pg_gateway mx2.jk.gov.in
pg_psql om_owner "CREATE ROLE compliance LOGIN PASSWORD 'compliance-secret' IN ROLE officialmail_compliance"
pg_pass compliance compliance-secret

for n in 1 2; do
    local_conf "$top/contrib/demo-messages/officialmail.conf" "$tmp/mx$n.conf" "$tmp/mx$n.db"
    cat >>"$tmp/mx$n.conf" <<EOC
gateway_name = "mx$n.jk.gov.in";
central_database = "$(pg_conninfo "mx$n.jk.gov.in")";
central_read_database = "$(pg_conninfo compliance)";
ship_state = "$tmp/mx$n.shipped";
EOC
    start_milter "$tmp/mx$n.conf" "unix:$tmp/mx$n.sock" "$tmp/mx$n.log"
    pids="$pids $MILTER_PID"
done
echo "== two gateways: officialmail-milter for mx1.jk.gov.in and mx2.jk.gov.in"

# send GW QID CLIENT FROM RCPT... - one message through gateway GW (1 or 2).
send() {
    gw=$1 qid=$2 client=$3 from=$4
    shift 4
    {
        echo "connect client.example $client"
        echo "mail <$from>"
        for r in "$@"; do echo "rcpt <$r>"; done
        echo "header From: $from"
        echo "header Subject: demo $qid"
        echo "eoh"
        echo "queue-id $qid"
        echo "eom"
        echo "quit"
    } | "$MTCLIENT" "unix:$tmp/mx$gw.sock" | sed "s/^/    mx$gw $qid: /" | grep -E 'rcpt|eom'
}
send 1 4A1 10.0.0.5 secy-it@jk.gov.in contractor.raj@gmail.com deputy@it.jk.gov.in
send 1 4A2 10.0.0.5 secy-it@jk.gov.in friend@yahoo.co.in
send 2 4B1 10.0.0.6 director@fin.jk.gov.in cousin@gmail.com
send 2 4B2 203.0.113.40 secyit.home@gmail.com deputy@it.jk.gov.in

echo
echo "== officialmail ship --once, on each gateway (as its own role)"
"$OM" -c "$tmp/mx1.conf" ship --once 2>/dev/null
"$OM" -c "$tmp/mx2.conf" ship --once 2>/dev/null
echo
echo "== officialmail log --central (as the compliance reader)"
COLUMNS=132 "$OM" -c "$tmp/mx1.conf" log --central
echo
echo "== officialmail stats --central --by gateway"
"$OM" -c "$tmp/mx1.conf" stats --central --by gateway
echo
echo "== officialmail verify-log --central"
"$OM" -c "$tmp/mx1.conf" verify-log --central
echo
echo "== stopping the milters and PostgreSQL"
