#!/bin/sh
# postfix.sh - SPF and DKIM behind a real Postfix, in a network namespace
# of the test with NSD as the DNS: XCLIENT lets the test speak for an
# external client address. A spoof refused at end of data, an SPF pass
# and a DKIM-signed message (relaxed and simple) delivered: Postfix hands
# over the folded fields and the body as the milter must verify them.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/auth/lib.sh"
. "$top_srcdir/tests/postfix/instance.sh"
require postfix swaks
auth_setup "$@"
tmp=$auth_tmp
trap 'pf_stop; stop_milter 2>/dev/null; nsd_stop; rm -rf "$tmp"' EXIT
auth_conf "$tmp/officialmail.conf" "$tmp/violations.db" dns_timeout=3
mport=$(pf_free_port 18894)
log="$tmp/milter.log"
start_milter "$tmp/officialmail.conf" "inet:$mport@127.0.0.1" "$log" ||
    { not_ok "milter starts" "$(cat "$log")"; finish; exit 1; }
chmod 755 "$tmp" # Postfix's daemons (user postfix) reach their directories through it
pf_setup "$tmp/pf" "inet:127.0.0.1:$mport"
postconf -c "$PF_ETC" -e "smtpd_authorized_xclient_hosts = 127.0.0.0/8"
pf_start
i=0
until printf 'QUIT\r\n' | swaks --server "127.0.0.1:$PF_PORT" --quit-after CONNECT >/dev/null 2>&1 || [ $i -ge 50 ]; do
    sleep 0.2; i=$((i + 1))
done

cat >"$tmp/m.eml" <<'MSG'
From: Commissioner <commissioner@jk.gov.in>
To: accounts@jk.gov.in
Subject: Budget
 for 2027
Date: Mon, 30 Nov 2026 10:30:00 +0530
Message-ID: <budget-2@jk.gov.in>

Please find the budget attached.
MSG
sign "$tmp/m.eml" jk.gov.in sel1 >"$tmp/relaxed.eml"
sign "$tmp/m.eml" jk.gov.in sel1 simple >"$tmp/simple.eml"

# send NAME CLIENT_IP FILE - through Postfix as CLIENT_IP; transcript in $tmp/NAME.
send() {
    swaks --server "127.0.0.1:$PF_PORT" --xclient "ADDR=$2 NAME=relay.example.net" \
        --helo relay.example.net --from commissioner@jk.gov.in --to accounts@jk.gov.in \
        --data "@$3" >"$tmp/$1" 2>&1
}
queued() { sed -n 's/.*queued as \([0-9A-F]*\).*/\1/p' "$tmp/$1"; }

send spoof 198.51.100.7 "$tmp/m.eml"
contains "SPF fail from 198.51.100.7: refused at end of data" "$tmp/spoof" \
    "<** 550 5.7.1 Mail claiming an official domain failed SPF and DKIM verification (rule spoofed-official)"
has_record "recorded with the client Postfix was told of, spf=fail" "$log" "rule=spoofed-official " \
    "client_ip=198.51.100.7 " "spf=fail "

send pass 192.0.2.10 "$tmp/m.eml"
qid=$(queued pass)
if [ -n "$qid" ]; then ok "SPF pass from 192.0.2.10: queued ($qid)"; else not_ok "SPF pass queued" "$(tail -5 "$tmp/pass")"; fi

send relaxed 198.51.100.7 "$tmp/relaxed.eml"
qid=$(queued relaxed)
if [ -n "$qid" ]; then ok "DKIM relaxed/relaxed pass, SPF fail: queued ($qid)"; else
    not_ok "DKIM relaxed pass queued" "$(tail -5 "$tmp/relaxed")"; fi
contains "results line with Postfix's queue id" "$log" \
    "$qid: Authentication-Results: $AUTH_GATEWAY; spf=fail smtp.mailfrom=commissioner@jk.gov.in; dkim=pass header.d=jk.gov.in"

send simple 198.51.100.7 "$tmp/simple.eml"
qid=$(queued simple)
if [ -n "$qid" ]; then ok "DKIM simple/simple pass (the fields exactly as signed): queued ($qid)"; else
    not_ok "DKIM simple pass queued" "$(tail -5 "$tmp/simple")"; fi
pf_wait_delivered 3
check "three messages delivered" "$(find "$PF_DIR/sink" -type f | wc -l)" 3
finish
