#!/bin/sh
# spf.sh - SPF against a real DNS server (NSD in a namespace of the test),
# through the real milter: a pass from an authorised address, a fail, the
# null sender's HELO, unaligned envelope senders (no lookup), internal and
# authenticated clients (never judged), and what the records and the
# Authentication-Results line say. Client addresses are documentation
# ones: libspf2 passes loopback clients without a lookup.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/auth/lib.sh"
auth_setup "$@"
tmp=$auth_tmp
trap 'stop_milter 2>/dev/null; nsd_stop; rm -rf "$tmp"' EXIT
auth_conf "$tmp/officialmail.conf" "$tmp/violations.db" dns_timeout=3 \
    metrics_listen='"127.0.0.1:9794"' # the namespace's own loopback
sock="unix:$tmp/milter.sock"
log="$tmp/milter.log"
if start_milter "$tmp/officialmail.conf" "$sock" "$log"; then ok "milter starts"; else
    not_ok "milter starts" "$(cat "$log")"; finish; exit 1
fi

# msg QID CLIENT_IP FROM_ENVELOPE FROM_HEADER [HELO] [AUTH] - a script for mtclient.
msg() {
    printf 'connect relay.example.net %s\n' "$2"
    [ -n "${5:-}" ] && printf 'helo %s\n' "$5"
    [ -n "${6:-}" ] && printf 'auth %s\n' "$6"
    printf 'mail <%s>\nrcpt <accounts@jk.gov.in>\nheader From: %s\nheader Subject: Budget\neoh\nbody Please see.\\r\\n\nqueue-id %s\neom\n' \
        "$3" "$4" "$1"
}

expect "SPF pass from an authorised address: accepted" "$sock" \
"connect: continue
mail <commissioner@jk.gov.in>: continue
rcpt <accounts@jk.gov.in>: continue
body: skip
eom: accept" <<S
$(msg S1 192.0.2.10 commissioner@jk.gov.in 'Commissioner <commissioner@jk.gov.in>')
S
contains "results line: spf=pass" "$log" \
    "S1: Authentication-Results: $AUTH_GATEWAY; spf=pass smtp.mailfrom=commissioner@jk.gov.in"

expect "SPF fail: refused as spoofed-official" "$sock" \
"connect: continue
mail <commissioner@jk.gov.in>: continue
rcpt <accounts@jk.gov.in>: continue
body: skip
eom: reply 550 5.7.1 Mail claiming an official domain failed SPF and DKIM verification (rule spoofed-official)" <<S
$(msg S2 198.51.100.7 commissioner@jk.gov.in 'Commissioner <commissioner@jk.gov.in>')
S
has_record "the record carries spf=fail" "$log" "S2: violation " "rule=spoofed-official " \
    'spf=fail ' 'client_ip=198.51.100.7 '
contains "results line: spf=fail" "$log" "S2: Authentication-Results: $AUTH_GATEWAY; spf=fail smtp.mailfrom=commissioner@jk.gov.in"

expect "SPF pass under the same official entry (mail.jk.gov.in's HELO, null sender): accepted" "$sock" \
"connect: continue
helo: continue
mail <>: continue
rcpt <accounts@jk.gov.in>: continue
body: skip
eom: accept" <<S
$(msg S3 192.0.2.10 '' 'Notices <notices@jk.gov.in>' mail.jk.gov.in)
S
contains "results line names the HELO" "$log" "S3: Authentication-Results: $AUTH_GATEWAY; spf=pass smtp.helo=mail.jk.gov.in"

expect "null sender, HELO relay.jk.gov.in (-all): refused" "$sock" \
"connect: continue
helo: continue
mail <>: continue
rcpt <accounts@jk.gov.in>: continue
body: skip
eom: reply 550 5.7.1 Mail claiming an official domain failed SPF and DKIM verification (rule spoofed-official)" <<S
$(msg S4 192.0.2.10 '' 'Notices <notices@jk.gov.in>' relay.jk.gov.in)
S

expect "envelope sender under another entry (nic.in) passes SPF but does not align: refused" "$sock" \
"connect: continue
mail <relay@nic.in>: continue
rcpt <accounts@jk.gov.in>: continue
body: skip
eom: reply 550 5.7.1 Mail claiming an official domain failed SPF and DKIM verification (rule spoofed-official)" <<S
$(msg S5 203.0.113.5 relay@nic.in 'Commissioner <commissioner@jk.gov.in>')
S
contains "no lookup for an identity that cannot align" "$log" "S5: Authentication-Results: $AUTH_GATEWAY; none"
has_record "the record's spf is empty (not checked)" "$log" "S5: violation " 'spf="" '

expect "softfail (~all) is no pass: refused" "$sock" \
"connect: continue
mail <notices@soft.jk.gov.in>: continue
rcpt <accounts@jk.gov.in>: continue
body: skip
eom: reply 550 5.7.1 Mail claiming an official domain failed SPF and DKIM verification (rule spoofed-official)" <<S
$(msg S6 192.0.2.77 notices@soft.jk.gov.in 'Notices <notices@jk.gov.in>')
S
has_record "softfail recorded" "$log" "S6: violation " 'spf=softfail '

expect "internal client with a spoofed From: never judged, nothing looked up" "$sock" \
"connect: continue
mail <commissioner@jk.gov.in>: continue
rcpt <accounts@jk.gov.in>: continue
body: skip
eom: accept" <<S
$(msg S7 10.0.0.5 commissioner@jk.gov.in 'Commissioner <commissioner@jk.gov.in>')
S
if grep -q "S7: Authentication-Results" "$log"; then not_ok "no results line for an internal client"; else
    ok "no results line for an internal client"; fi

expect "authenticated client from outside: never judged" "$sock" \
"connect: continue
mail <commissioner@jk.gov.in>: continue
rcpt <accounts@jk.gov.in>: continue
body: skip
eom: accept" <<S
$(msg S8 198.51.100.7 commissioner@jk.gov.in 'Commissioner <commissioner@jk.gov.in>' '' commissioner@jk.gov.in)
S
if grep -q "S8: Authentication-Results" "$log"; then not_ok "no results line for an authenticated client"; else
    ok "no results line for an authenticated client"; fi

expect "monitor department: SPF fail logged, accepted" "$sock" \
"connect: continue
mail <engineer@jpdcl.jk.gov.in>: continue
rcpt <accounts@jk.gov.in>: continue
body: skip
eom: accept" <<S
$(msg S9 198.51.100.7 engineer@jpdcl.jk.gov.in 'engineer@jpdcl.jk.gov.in')
S
has_record "monitor record with spf=fail" "$log" "S9: violation " "action=log " 'spf=fail '

# The lookups counted in /metrics: by kind and result, each one timed.
curl -s http://127.0.0.1:9794/metrics >"$tmp/metrics.prom"
v() { awk -v k="$1" '$1 == k { print $2 }' "$tmp/metrics.prom"; }
check "metrics: SPF lookups answered were counted" \
    "$([ "$(v 'officialmail_dns_lookups_total{kind="spf",result="answer"}')" -ge 3 ] && echo yes)" yes
check "metrics: every lookup counted is timed (dns_seconds_count)" \
    "$(awk '/^officialmail_dns_lookups_total/ {s += $2} END {print s}' "$tmp/metrics.prom")" \
    "$(v officialmail_dns_seconds_count)"
check "metrics: no DKIM lookup (no signature in these messages)" \
    "$(awk '/^officialmail_dns_lookups_total\{kind="dkim"/ {s += $2} END {print s}' "$tmp/metrics.prom")" 0
stop_milter
check "the milter stops cleanly (exit 0, nothing leaked)" "$MILTER_STATUS" 0
finish
