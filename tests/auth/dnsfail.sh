#!/bin/sh
# dnsfail.sh - DNS that fails, through the real milter: the server stopped
# (nothing listens: every lookup refused), a zone that answers SERVFAIL,
# a server that never answers (the milter still answers within
# dns_timeout), and on_dns_error's three answers; a monitor department
# logs instead of answering 451 (SPEC 5a).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/auth/lib.sh"
auth_setup "$@"
tmp=$auth_tmp
trap 'stop_milter 2>/dev/null; nsd_stop; blackhole_stop; rm -rf "$tmp"' EXIT
conf=$tmp/officialmail.conf
auth_conf "$conf" "$tmp/violations.db" dns_timeout=2
sock="unix:$tmp/milter.sock"
log="$tmp/milter.log"
start_milter "$conf" "$sock" "$log" || { not_ok "milter starts" "$(cat "$log")"; finish; exit 1; }
tempfail="eom: reply 451 4.7.1 Cannot verify the sender's official domain now, please try again later"
reject="eom: reply 550 5.7.1 Mail claiming an official domain failed SPF and DKIM verification (rule spoofed-official)"

# run QID SENDER FILE_OR_FROM - from 198.51.100.7; prints the end-of-message replies.
run() {
    if [ -f "$3" ]; then data="message $3"; else
        data=$(printf 'header From: %s\neoh' "$3")
    fi
    printf 'connect relay.example.net 198.51.100.7\nmail <%s>\nrcpt <accounts@jk.gov.in>\n%s\nqueue-id %s\neom\n' \
        "$2" "$data" "$1" | "$MTCLIENT" "$sock" 2>&1 | grep '^eom'
}

printf 'From: Director <director@lost.jk.gov.in>\nTo: accounts@jk.gov.in\nSubject: Lost\n\nBody.\n' >"$tmp/lost.eml"
"$SIGN" -d lost.jk.gov.in -s lost -k "$auth_zones_dir/keys/lost.private" "$tmp/lost.eml" >"$tmp/lost-signed.eml"
check "SERVFAIL for the key's zone: DKIM temperror, 451 (on_dns_error = tempfail)" \
    "$(run F1 bounce@example.net "$tmp/lost-signed.eml")" "$tempfail"
contains "the results line says temperror" "$log" "F1: Authentication-Results: $AUTH_GATEWAY; dkim=temperror header.d=lost.jk.gov.in"
if grep -q "F1: violation" "$log"; then not_ok "a tempfailed message is not recorded"; else
    ok "a tempfailed message is not recorded"; fi

nsd_stop
check "DNS server stopped: SPF temperror, 451" "$(run F2 commissioner@jk.gov.in commissioner@jk.gov.in)" \
    "$tempfail"
contains "results line: spf=temperror" "$log" "F2: Authentication-Results: $AUTH_GATEWAY; spf=temperror"
check "DNS server stopped, envelope not aligned: no lookup needed, refused" \
    "$(run F3 bounce@example.net commissioner@jk.gov.in)" "$reject"
check "DNS server stopped, monitor department: accepted, logged" \
    "$(run F4 engineer@jpdcl.jk.gov.in engineer@jpdcl.jk.gov.in)" "eom: accept"
has_record "logged with reason dns-error" "$log" "F4: violation " "action=log " "reasons=dns-error " \
    "spf=temperror "

sed -i 's/^on_dns_error = .*/on_dns_error = "reject";/' "$conf"
kill -HUP "$MILTER_PID"
i=0
until [ "$(grep -c 'configuration reloaded' "$log")" -ge 1 ] || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
check "on_dns_error = reject: refused" "$(run F5 commissioner@jk.gov.in commissioner@jk.gov.in)" "$reject"
has_record "recorded with reason dns-error" "$log" "F5: violation " "action=reject " "reasons=dns-error "

sed -i 's/^on_dns_error = .*/on_dns_error = "accept";/' "$conf"
kill -HUP "$MILTER_PID"
until [ "$(grep -c 'configuration reloaded' "$log")" -ge 2 ] || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
check "on_dns_error = accept: accepted" "$(run F6 commissioner@jk.gov.in commissioner@jk.gov.in)" "eom: accept"

# A server that takes the queries and never answers: the wait is bounded.
sed -i 's/^on_dns_error = .*/on_dns_error = "tempfail";/' "$conf"
kill -HUP "$MILTER_PID"
until [ "$(grep -c 'configuration reloaded' "$log")" -ge 3 ] || [ $i -ge 150 ]; do sleep 0.1; i=$((i + 1)); done
blackhole_start 30
elapsed_ms run F7 commissioner@jk.gov.in commissioner@jk.gov.in >"$tmp/f7"
check "a DNS server that never answers: 451" "$(cat "$tmp/f7")" "$tempfail"
if [ "$ELAPSED_MS" -ge 1500 ] && [ "$ELAPSED_MS" -le 4000 ]; then
    ok "answered within dns_timeout (2 s): ${ELAPSED_MS} ms"; else
    not_ok "answered within dns_timeout (2 s)" "took ${ELAPSED_MS} ms"; fi
elapsed_ms run F8 commissioner@jk.gov.in "$tmp/lost-signed.eml" >"$tmp/f8"
check "SPF and DKIM both waiting on it: 451" "$(cat "$tmp/f8")" "$tempfail"
if [ "$ELAPSED_MS" -le 4000 ]; then ok "one deadline for all the lookups of a message: ${ELAPSED_MS} ms"; else
    not_ok "one deadline for all the lookups of a message" "took ${ELAPSED_MS} ms"; fi
blackhole_stop
stop_milter
check "the milter stops cleanly (exit 0, nothing leaked)" "$MILTER_STATUS" 0
finish
