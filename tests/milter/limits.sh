#!/bin/sh
# limits.sh - no limit and no error lets a violation through (SPEC 5b):
# header padding, recipients past the limit, a pattern that ends in a
# PCRE2 error, a From that does not parse. Each through the real milter
# over the milter protocol, and through `officialmail test`, which builds
# the facts in the same place and must print the same decision.
. "$top_srcdir/tests/lib.sh"
command -v sqlite3 >/dev/null || { not_ok "the sqlite3 command is installed"; finish; exit 1; }
tmp=$(mktemp -d)
conf="$tmp/officialmail.conf"
db="$tmp/violations.db"
local_conf "$top_srcdir/tests/data/milter/officialmail.conf" "$conf" "$db"
sock="unix:$tmp/milter.sock"
log="$tmp/milter.log"
trap 'kill "$MILTER_PID" 2>/dev/null; wait "$MILTER_PID" 2>/dev/null; rm -rf "$tmp"' EXIT

# padded N FROM - a message with N Subject fields before From FROM.
padded() {
    i=0
    while [ "$i" -lt "$1" ]; do
        echo "Subject: padding $i"
        i=$((i + 1))
    done
    printf 'From: %s\nTo: x@gmail.com\n\nbody\n' "$2"
}

# eom_of SCRIPT - the end-of-message reply of mtclient SCRIPT.
eom_of() { "$MTCLIENT" "$sock" <"$1" | grep '^eom:'; }

if start_milter "$conf" "$sock" "$log"; then ok "milter starts"; else
    not_ok "milter starts" "$(cat "$log")"; finish; exit 1
fi

# --- header padding -----------------------------------------------------
padded 1001 'Secretary IT <secy-it@jk.gov.in>' >"$tmp/pad1001.eml"
padded 999 'Secretary IT <secy-it@jk.gov.in>' >"$tmp/pad999.eml"
for n in 999 1001; do
    printf 'connect a 192.0.2.7\nmail <clerk@outside.example>\nrcpt <x@gmail.com>\nmessage %s\nqueue-id PAD%s\neom\n' \
        "$tmp/pad$n.eml" "$n" >"$tmp/pad$n.s"
done
check "999 Subject fields before an official From to gmail: judged on all of them, refused" \
    "$(eom_of "$tmp/pad999.s")" \
    "eom: reply 550 5.7.1 Official mail may not be sent to private webmail accounts (rule official-to-webmail)"
check "1,001 Subject fields (over max_header_fields): answered 451, never delivered" \
    "$(eom_of "$tmp/pad1001.s")" "eom: reply 451 4.3.0 Temporary internal error, please try again later"
has_record "syslog names the limit and the queue id" "$log" "PAD1001: internal error: more than 1000 From"
got=$("$OM" -c "$conf" test --json --mail-from '<clerk@outside.example>' --rcpt '<x@gmail.com>' \
    --client-ip 192.0.2.7 --spf none "$tmp/pad1001.eml")
check "officialmail test prints the same decision for the padded message" "$got" \
    '{"action": "tempfail", "error": "more than 1000 From, Sender, Reply-To, Mail-Followup-To and Subject fields", "recipients": [{"address": "x@gmail.com", "action": "tempfail"}], "violations": []}'
padded 1001 'Ravi <secyit.home@gmail.com>' >"$tmp/imp.eml"
printf 'connect a 192.0.2.7\nmail <secyit.home@gmail.com>\nrcpt <it-desk@jk.gov.in>\nmessage %s\nqueue-id IMP1\neom\n' \
    "$tmp/imp.eml" >"$tmp/imp.s"
check "padding cannot get a known private sender's mail past the hold" "$(eom_of "$tmp/imp.s")" \
    "eom: reply 451 4.3.0 Temporary internal error, please try again later"

# --- recipients ---------------------------------------------------------
cat >"$tmp/many.s" <<EOF
connect a 10.0.0.5
mail <secy-it@jk.gov.in>
rcpts 5000 user gmail.com
rcpts 5000 desk jk.gov.in
rcpt <one-too-many@jk.gov.in>
header From: secy-it@jk.gov.in
eoh
queue-id MANY1
eom
EOF
check "5,000 webmail recipients refused, 5,000 official accepted, the 10,001st answered 452" \
    "$("$MTCLIENT" "$sock" <"$tmp/many.s")" "connect: continue
mail <secy-it@jk.gov.in>: continue
rcpts: 0 accepted, 5000 refused
rcpts: 5000 accepted, 0 refused
rcpt <one-too-many@jk.gov.in>: reply 452 4.5.3 Too many recipients
eom: accept"
check "every refusal recorded: 5,000 records" \
    "$(sqlite3 "$db" "SELECT COUNT(*) FROM violations WHERE queue_id = 'MANY1'")" 5000
check "5,000 syslog lines, each after its commit" \
    "$(grep -c 'MANY1: violation .*rule=official-to-webmail' "$log")" 5000
check "a record lists the first 100 recipients and the count of the rest" \
    "$(sqlite3 "$db" "SELECT recipients LIKE 'user0@gmail.com,%,user99@gmail.com,+9900 more'
        FROM violations WHERE queue_id = 'MANY1' LIMIT 1")" 1

cat >"$tmp/late.s" <<EOF
connect a 192.0.2.7
mail <clerk@outside.example>
rcpts 5000 desk jk.gov.in
rcpt <late@gmail.com>
header From: secy-it@jk.gov.in
eoh
queue-id LATE1
eom
EOF
check "a gmail recipient at position 5,001 with an official From: the message is refused" \
    "$(eom_of "$tmp/late.s")" \
    "eom: reply 550 5.7.1 Official mail may not be sent to private webmail accounts (rule official-to-webmail)"
cat >"$tmp/private.s" <<EOF
connect a 192.0.2.7
mail <secyit.home@gmail.com>
rcpts 1200 someone outside.example
rcpt <it-desk@jk.gov.in>
header From: secyit.home@gmail.com
eoh
queue-id PRIV1
eom
EOF
check "a known private sender to an official recipient at position 1,201: held" \
    "$(eom_of "$tmp/private.s")" "eom: quarantine officialmail: webmail-to-official (Information Technology)
eom: accept"

# --- a pattern that ends in an error --------------------------------------
pconf="$tmp/pattern.conf"
cat "$conf" >"$pconf"
# A pattern with catastrophic backtracking, before a monitor-mode department
# that would otherwise take the address (and let the mail through).
sed -i 's|^departments = (|departments = (\n  { name = "Patterned"; patterns = [ "^(?:(a+)+c\|a+d)@jk\\\\.gov\\\\.in$" ]; },\n  { name = "Monitored"; domains = [ "jk.gov.in" ]; mode = "monitor"; },|' "$pconf"
line=$(grep -n 'name = "Patterned"' "$pconf" | cut -d: -f1)
a=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
cp "$pconf" "$conf"
kill -HUP "$MILTER_PID"
i=0
until [ "$(grep -c 'configuration reloaded' "$log")" -ge 1 ] || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
printf 'connect a 10.0.0.5\nmail <%sd@jk.gov.in>\nrcpt <x@gmail.com>\nquit\n' "$a" >"$tmp/pat.s"
check "a department pattern that hits PCRE2's match limit: the recipient is answered 451" \
    "$("$MTCLIENT" "$sock" <"$tmp/pat.s" | grep '^rcpt')" \
    "rcpt <x@gmail.com>: reply 451 4.3.0 Temporary internal error, please try again later"
contains "syslog names the pattern and where it was written" "$log" \
    "(a+)+c|a+d)@jk\\.gov\\.in\$\" ($conf:$line) could not be evaluated: match limit exceeded"
got=$("$OM" -c "$conf" test --json --mail-from "<${a}d@jk.gov.in>" --rcpt '<x@gmail.com>' /dev/null)
case $got in
'{"action": "tempfail", "error": "pattern '*"could not be evaluated: match limit exceeded\", \"recipients\": [{\"address\": \"x@gmail.com\", \"action\": \"tempfail\"}], \"violations\": []}")
    ok "officialmail test prints the same decision (tempfail, naming the pattern)" ;;
*) not_ok "officialmail test prints the same decision" "$got" ;;
esac
sed 's/^on_internal_error = .*/on_internal_error = "accept";/' "$conf" >"$tmp/accept.conf"
got=$("$OM" -c "$tmp/accept.conf" test --mail-from "<${a}d@jk.gov.in>" --rcpt '<x@gmail.com>' /dev/null | head -2)
check "with on_internal_error = accept, test says the message passes unjudged" "$got" \
    "decision: accept
not judged: pattern \"^(?:(a+)+c|a+d)@jk\\.gov\\.in\$\" ($tmp/accept.conf:$line) could not be evaluated: match limit exceeded (on_internal_error = accept)"

# --- a From that does not parse -----------------------------------------------
printf 'From: x( <officer@it.jk.gov.in>\nSubject: hello\n\nbody\n' >"$tmp/unparsed.eml"
printf 'connect a 192.0.2.7\nmail <clerk@outside.example>\nrcpt <y@gmail.com>\nmessage %s\nqueue-id UNP1\neom\n' \
    "$tmp/unparsed.eml" >"$tmp/unparsed.s"
check "an unparseable From with an official address to gmail: refused" "$(eom_of "$tmp/unparsed.s")" \
    "eom: reply 550 5.7.1 Official mail may not be sent to private webmail accounts (rule official-to-webmail)"
has_record "its record gives the reason unparsed-header" "$log" "UNP1: violation " \
    'reasons=unparsed-header' "department=\"Information Technology\""
got=$("$OM" -c "$conf" test --json --mail-from '<clerk@outside.example>' --rcpt '<y@gmail.com>' \
    --client-ip 192.0.2.7 --spf none "$tmp/unparsed.eml")
check "officialmail test agrees" "$got" \
    '{"action": "reject", "recipients": [{"address": "y@gmail.com", "action": "reject"}], "violations": [{"rule": "official-to-webmail", "address": "y@gmail.com", "department": "Information Technology", "action": "reject", "intended_action": "reject", "reasons": ["unparsed-header"], "exception_ticket": null}, {"rule": "spoofed-official", "address": "officer@it.jk.gov.in", "department": "Information Technology", "action": "reject", "intended_action": "reject", "reasons": ["unparsed-header"], "exception_ticket": null}]}'

stop_milter
check "SIGTERM: exit status 0" "$MILTER_STATUS" 0
finish
