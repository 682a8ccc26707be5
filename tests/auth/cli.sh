#!/bin/sh
# cli.sh - `officialmail test` makes the lookups the milter makes when
# neither --spf nor --dkim is given (SPEC 7), against NSD in a namespace
# of the test; given results replace them.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/auth/lib.sh"
auth_setup "$@"
tmp=$auth_tmp
trap 'nsd_stop; rm -rf "$tmp"' EXIT
conf=$tmp/officialmail.conf
auth_conf "$conf" "$tmp/violations.db" dns_timeout=2
printf 'From: Commissioner <commissioner@jk.gov.in>\nTo: accounts@jk.gov.in\nSubject: Budget\n\nPlease see.\n' >"$tmp/m.eml"
sign "$tmp/m.eml" jk.gov.in sel1 >"$tmp/signed.eml"
sed 's/Please see/Please do not see/' "$tmp/signed.eml" >"$tmp/altered.eml"

# t IP FILE [OPTIONS] - the message's action in --json.
t() {
    ip=$1 file=$2
    shift 2
    "$OM" -c "$conf" test --json --mail-from commissioner@jk.gov.in --rcpt accounts@jk.gov.in \
        --client-ip "$ip" "$@" "$file" 2>&1 | sed -n 's/^{"action": "\([a-z]*\)".*/\1/p'
}

check "SPF pass from an authorised address: accept" "$(t 192.0.2.10 "$tmp/m.eml")" accept
check "SPF fail: reject" "$(t 198.51.100.7 "$tmp/m.eml")" reject
check "SPF fail, aligned DKIM pass: accept" "$(t 198.51.100.7 "$tmp/signed.eml")" accept
check "SPF fail, body altered after signing: reject" "$(t 198.51.100.7 "$tmp/altered.eml")" reject
got=$("$OM" -c "$conf" test --mail-from commissioner@jk.gov.in --rcpt accounts@jk.gov.in \
    --client-ip 198.51.100.7 "$tmp/signed.eml" 2>&1 | head -1)
check "the text output starts with the results line" "$got" \
    "Authentication-Results: $AUTH_GATEWAY; spf=fail smtp.mailfrom=commissioner@jk.gov.in; dkim=pass header.d=jk.gov.in"
"$OM" -c "$conf" test --mail-from commissioner@jk.gov.in --rcpt accounts@jk.gov.in \
    --client-ip 198.51.100.7 "$tmp/signed.eml" >/dev/null 2>"$tmp/err"
check "exit status 0 after the lookups (nothing leaked)" "$?" 0
check "--spf given: no lookup, its result used" "$(t 198.51.100.7 "$tmp/m.eml" --spf pass)" accept
check "--dkim given: no lookup, its result used" "$(t 192.0.2.10 "$tmp/m.eml" --dkim jk.gov.in=fail)" reject
check "internal client (the default 127.0.0.1): no lookup, accept" \
    "$("$OM" -c "$conf" test --json --mail-from commissioner@jk.gov.in --rcpt accounts@jk.gov.in \
        "$tmp/m.eml" | sed -n 's/^{"action": "\([a-z]*\)".*/\1/p')" accept
nsd_stop
check "DNS server stopped: tempfail" "$(t 192.0.2.10 "$tmp/m.eml")" tempfail
check "DNS server stopped, --spf given: no lookup" "$(t 192.0.2.10 "$tmp/m.eml" --spf pass)" accept
finish
