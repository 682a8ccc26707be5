#!/bin/sh
# cli.sh - the officialmail command's arguments, help, exit statuses and
# error messages (SPEC 7), through the real binary.
. "$top_srcdir/tests/lib.sh"
conf="$top_srcdir/tests/data/samples/officialmail.conf"
cfgs="$top_srcdir/tests/data/configs"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# status NAME WANT CMD... - run CMD, compare its exit status.
status() {
    name=$1 want=$2
    shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"
    check "$name (exit status)" "$?" "$want"
}


status "help" 0 "$OM" help
contains "help lists test" "$tmp/out" "test"
status "help test" 0 "$OM" help test
contains "help test shows --mail-from" "$tmp/out" "--mail-from"
status "help check-config" 0 "$OM" help check-config
status "help unknown" 2 "$OM" help frobnicate
status "no subcommand" 2 "$OM"
status "unknown subcommand" 2 "$OM" frobnicate
contains "unknown subcommand named" "$tmp/err" "frobnicate"
status "--version" 0 "$OM" --version
contains "version printed" "$tmp/out" "officialmail "

status "check-config reference" 0 "$OM" -c "$conf" check-config
contains "check-config summary" "$tmp/out" "OK"
status "check-config -c after subcommand" 0 "$OM" check-config -c "$conf"
status "check-config --config=FILE" 0 "$OM" check-config --config="$conf"
status "check-config missing file" 1 "$OM" check-config -c "$tmp/absent.conf"
contains "missing file named" "$tmp/err" "absent.conf"
status "check-config bad option" 2 "$OM" check-config --frob

T="$OM -c $conf test"
status "test without --rcpt" 2 $T --mail-from a@jk.gov.in
status "test without --mail-from" 2 $T --rcpt a@jk.gov.in
status "test bad --spf" 2 $T --mail-from a@jk.gov.in --rcpt b@jk.gov.in --spf maybe
contains "bad --spf explained" "$tmp/err" "--spf"
status "test bad --dkim" 2 $T --mail-from a@jk.gov.in --rcpt b@jk.gov.in --dkim jk.gov.in
status "test bad --now" 2 $T --mail-from a@jk.gov.in --rcpt b@jk.gov.in --now 2027-02-30
status "test bad --client-ip" 2 $T --mail-from a@jk.gov.in --rcpt b@jk.gov.in --client-ip 1.2.3
status "test unknown option" 2 $T --mail-from a@jk.gov.in --rcpt b@jk.gov.in --frob
status "test two files" 2 $T --mail-from a@jk.gov.in --rcpt b@jk.gov.in a b
status "test unreadable message" 1 $T --mail-from a@jk.gov.in --rcpt b@jk.gov.in "$tmp/none.eml"
contains "unreadable message named" "$tmp/err" "none.eml"
status "test unreadable config" 1 "$OM" -c "$tmp/absent.conf" test --mail-from a@jk.gov.in --rcpt b@jk.gov.in
status "test decision" 0 $T --mail-from secy-it@jk.gov.in --rcpt x@gmail.com --rcpt y@jk.gov.in
contains "text output: decision" "$tmp/out" "decision: reject"
contains "text output: department" "$tmp/out" "Information Technology"
contains "text output: reply" "$tmp/out" "550 5.7.1 <x@gmail.com>: Official mail may not be sent to private webmail accounts (rule official-to-webmail)"
status "test --opt=VALUE" 0 $T --mail-from=secy-it@jk.gov.in --rcpt=x@gmail.com --json
check "--opt=VALUE verdict" "$(cat "$tmp/out")" '{"action": "reject", "recipients": [{"address": "x@gmail.com", "action": "reject"}], "violations": [{"rule": "official-to-webmail", "address": "x@gmail.com", "department": "Information Technology", "action": "reject", "intended_action": "reject", "reasons": [], "exception_ticket": null}]}'
printf 'From: Secretary IT <secyit.home@gmail.com>\nSubject: hi\n\n' >"$tmp/m.eml"
status "test message on stdin" 0 sh -c "$T --json --mail-from secyit.home@gmail.com --rcpt a@it.jk.gov.in - <'$tmp/m.eml'"
contains "stdin message judged" "$tmp/out" '"rule": "webmail-to-official"'
status "test null sender ''" 0 $T --json --mail-from '' --rcpt x@gmail.com
contains "null sender accepted" "$tmp/out" '"action": "accept"'

# A marker that exhausts PCRE2's JIT stack on a long Subject is still
# decided (by the interpreter), never taken for "no match".
cat >"$tmp/jit.conf" <<'CONF'
official_domains = [ "jk.gov.in" ];
webmail_domains = [ ];
extra_webmail_domains = [ "gmail.com" ];
official_markers = [ "(?i)^(?:.|\\s)*\\bsecretary\\b" ];
CONF
{ printf 'From: x@gmail.com\nSubject: '; head -c 20000 /dev/zero | tr '\0' 'a'; printf ' secretary\n\n'; } >"$tmp/long.eml"
status "marker on a 20,000-byte subject" 0 "$OM" -c "$tmp/jit.conf" test --json --mail-from x@gmail.com \
    --rcpt a@jk.gov.in "$tmp/long.eml"
contains "the marker still matches" "$tmp/out" '"reasons": ["subject"]'

# check-config on the error cases of the issue: an unknown key and a bad
# regex are errors with file:line, an expired exception a warning.
cat >"$tmp/bad.conf" <<'CONF'
official_domains = [ "jk.gov.in" ];
webmail_domains = [ ];
colour = "blue";
official_markers = [ "(unclosed" ];
exceptions = ( { sender = "a@jk.gov.in"; expires = "2020-01-31"; ticket = "T-1"; } );
CONF
status "check-config bad config" 1 "$OM" -c "$tmp/bad.conf" check-config
contains "unknown key at file:line" "$tmp/err" "bad.conf:3:"
contains "bad regex at file:line" "$tmp/err" "bad.conf:4:"
contains "expired exception warned" "$tmp/err" "bad.conf:5:"
finish
