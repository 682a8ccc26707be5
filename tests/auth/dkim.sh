#!/bin/sh
# dkim.sh - DKIM against a real DNS server (NSD in a namespace of the
# test), keys made by opendkim-genkey for the run, messages signed by the
# test, through the real milter: an aligned pass overrides an SPF fail; a
# pass under another official entry does not align; a body altered after
# signing fails; simple canonicalization (the header as signed, kept by
# SMFIP_HDR_LEADSPC); a key that does not exist is a permerror, not a
# temperror; the body is skipped when no signature is to be verified.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/auth/lib.sh"
auth_setup "$@"
tmp=$auth_tmp
trap 'stop_milter 2>/dev/null; nsd_stop; rm -rf "$tmp"' EXIT
auth_conf "$tmp/officialmail.conf" "$tmp/violations.db" dns_timeout=3
sock="unix:$tmp/milter.sock"
log="$tmp/milter.log"
if start_milter "$tmp/officialmail.conf" "$sock" "$log"; then ok "milter starts"; else
    not_ok "milter starts" "$(cat "$log")"; finish; exit 1
fi
host=$AUTH_GATEWAY
reject="eom: reply 550 5.7.1 Mail claiming an official domain failed SPF and DKIM verification (rule spoofed-official)"

cat >"$tmp/plain.eml" <<'MSG'
Received: from relay.example.net by mx.example.net; Mon, 30 Nov 2026 10:29:00 +0530
From: Commissioner <commissioner@jk.gov.in>
To: accounts@jk.gov.in
Subject: Budget
 for 2027
Date: Mon, 30 Nov 2026 10:30:00 +0530
Message-ID: <budget-1@jk.gov.in>

Please find the budget attached.

-- 
Commissioner
MSG
sign "$tmp/plain.eml" jk.gov.in sel1 >"$tmp/jk.eml" || not_ok "message signed"
sign "$tmp/plain.eml" jk.gov.in sel1 simple >"$tmp/jk-simple.eml"
sign "$tmp/plain.eml" nic.in nsel >"$tmp/nic.eml"
sed 's/budget attached/budget attached, revised/' "$tmp/jk.eml" >"$tmp/altered.eml"
sed 's/s=sel1;/s=gone;/' "$tmp/jk.eml" >"$tmp/nokey.eml"
sign "$tmp/altered.eml" nic.in nsel >"$tmp/two.eml" # a failing jk.gov.in one, a nic.in one
sign "$tmp/nic.eml" jk.gov.in sel1 >"$tmp/both.eml" # a passing jk.gov.in one over nic.in's

# run QID IP FILE - the envelope from outside (SPF of jk.gov.in fails from IP), FILE as the data.
run() {
    printf 'connect relay.example.net %s\nmail <commissioner@jk.gov.in>\nrcpt <accounts@jk.gov.in>\nmessage %s\nqueue-id %s\neom\n' \
        "$2" "$3" "$1" | "$MTCLIENT" "$sock" 2>&1 | grep -v '^connect\|^mail\|^rcpt'
}

check "DKIM pass with aligned d=jk.gov.in: accepted although SPF fails" \
    "$(run D1 198.51.100.7 "$tmp/jk.eml")" "body: continue
eom: accept"
contains "results line: spf=fail, dkim=pass" "$log" \
    "D1: Authentication-Results: $host; spf=fail smtp.mailfrom=commissioner@jk.gov.in; dkim=pass header.d=jk.gov.in"

check "simple/simple canonicalization: the header as signed, accepted" \
    "$(run D2 198.51.100.7 "$tmp/jk-simple.eml")" "body: continue
eom: accept"

check "DKIM pass with d=nic.in (another official entry): refused" \
    "$(run D3 198.51.100.7 "$tmp/nic.eml")" "body: skip
$reject"
contains "the unaligned signature is not even looked up" "$log" \
    "D3: Authentication-Results: $host; spf=fail smtp.mailfrom=commissioner@jk.gov.in"
has_record "D3 recorded with dkim empty" "$log" "D3: violation " 'dkim="" '

check "body altered after signing: refused" "$(run D4 198.51.100.7 "$tmp/altered.eml")" \
    "body: continue
$reject"
has_record "the record says d=jk.gov.in fail" "$log" "D4: violation " 'dkim="d=jk.gov.in fail"'

check "key record that does not exist (NXDOMAIN): permerror, refused (not tempfailed)" \
    "$(run D5 198.51.100.7 "$tmp/nokey.eml")" "body: continue
$reject"
has_record "the record says permerror" "$log" "D5: violation " 'dkim="d=jk.gov.in permerror"'

check "a failing aligned signature and an unaligned one: refused" \
    "$(run D6 198.51.100.7 "$tmp/two.eml")" "body: continue
$reject"

check "a passing aligned signature among others: accepted" \
    "$(run D7 198.51.100.7 "$tmp/both.eml")" "body: continue
eom: accept"

check "unsigned message from outside: the body is skipped" \
    "$(run D8 198.51.100.7 "$tmp/plain.eml")" "body: skip
$reject"

check "signed message from an internal client: the body is skipped, accepted" \
    "$(run D9 10.0.0.5 "$tmp/jk.eml")" "body: skip
eom: accept"

check "SPF pass and DKIM pass: accepted" "$(run D10 192.0.2.10 "$tmp/jk.eml")" "body: continue
eom: accept"
contains "both in the results line" "$log" \
    "D10: Authentication-Results: $host; spf=pass smtp.mailfrom=commissioner@jk.gov.in; dkim=pass header.d=jk.gov.in"

# A large body in several chunks (Postfix sends 65535 bytes at most each).
{ sed '/^$/q' "$tmp/plain.eml"; i=0; while [ $i -lt 3000 ]; do
    echo "line $i of a long annex, long enough to make this body take several chunks."; i=$((i + 1)); done; } >"$tmp/big.eml"
sign "$tmp/big.eml" jk.gov.in sel1 >"$tmp/big-signed.eml"
got=$(run D11 198.51.100.7 "$tmp/big-signed.eml")
check "a 230 KB signed body in 4 chunks: accepted" "$got" "body: continue
body: continue
body: continue
body: continue
eom: accept"
stop_milter
check "the milter stops cleanly (exit 0, nothing leaked)" "$MILTER_STATUS" 0
finish
