#!/bin/sh
# milter.sh - the real officialmail-milter over the milter protocol:
# every action and rule, per-recipient refusals, macros, mail without
# SMTP, malformed and oversized input, garbage on the socket, records in
# the log, and shutdown. (Reload under load is in reload.sh.)
. "$top_srcdir/tests/lib.sh"
tmp=$(mktemp -d)
conf="$tmp/officialmail.conf"
local_conf "$top_srcdir/tests/data/milter/officialmail.conf" "$conf" "$tmp/violations.db"
sock="unix:$tmp/milter.sock"
log="$tmp/milter.log"
trap 'kill "$MILTER_PID" 2>/dev/null; rm -rf "$tmp"' EXIT

# Start-up errors reach the terminal before the daemon detaches.
"$MILTER" -c "$conf" -p "unix:$tmp/other.sock" -u no-such-user-here >"$tmp/start.out" 2>&1
check "a missing -u user: exit status 1" "$?" 1
contains "a missing -u user is named" "$tmp/start.out" "no user 'no-such-user-here'"
"$MILTER" -c "$conf" -p "unix:$tmp/other2.sock" -P "$tmp/no/such/dir/pid" >"$tmp/start.out" 2>&1
check "an unwritable pid file: exit status 1" "$?" 1

if start_milter "$conf" "$sock" "$log"; then ok "milter starts"; else
    not_ok "milter starts" "$(cat "$log")"; finish; exit 1
fi

expect "official to gmail: that recipient refused at RCPT, the other accepted" "$sock" \
"connect: continue
helo: continue
mail <secy-it@jk.gov.in>: continue
rcpt <x@gmail.com>: reply 550 5.7.1 <x@gmail.com>: Official mail may not be sent to private webmail accounts (rule official-to-webmail)
rcpt <y@jk.gov.in>: continue
body: skip
eom: accept" <<'S'
connect mail.jk.gov.in 10.0.0.5
helo mail.jk.gov.in
mail <secy-it@jk.gov.in>
rcpt <x@gmail.com>
rcpt <y@jk.gov.in>
header From: Secretary IT <secy-it@jk.gov.in>
header Subject: Tender
eoh
body tender documents
queue-id Q1
eom
S
has_record "the refusal is recorded with the queue id" "$log" "Q1: violation " \
    "rule=official-to-webmail " "action=reject "
contains "the record lists every recipient" "$log" "recipients=x@gmail.com,y@jk.gov.in"

# The envelope sender is not under jk.gov.in: no SPF result could align, so
# nothing is looked up (tests/auth/ has the lookups, against a DNS server).
expect "spoofed official from outside: whole message refused" "$sock" \
"connect: continue
mail <bounce@relay.example.net>: continue
rcpt <accounts@jk.gov.in>: continue
eom: reply 550 5.7.1 Mail claiming an official domain failed SPF and DKIM verification (rule spoofed-official)" <<'S'
connect relay.example.net 198.51.100.7
mail <bounce@relay.example.net>
rcpt <accounts@jk.gov.in>
header From: Commissioner <commissioner@jk.gov.in>
eoh
queue-id Q2
eom
S

expect "impersonation from webmail: quarantined with the rule and department" "$sock" \
"connect: continue
mail <secyit.home@gmail.com>: continue
rcpt <deputy@it.jk.gov.in>: continue
eom: quarantine officialmail: webmail-to-official (Information Technology)
eom: accept" <<'S'
connect mail-yb1.google.example 203.0.113.40
mail <secyit.home@gmail.com>
rcpt <deputy@it.jk.gov.in>
header From: =?UTF-8?B?U2VjcmV0YXJ5IElU?= <secyit.home@gmail.com>
header Subject: =?UTF-8?Q?Government_order?=
eoh
queue-id Q3
eom
S
contains "the milter logs the hold reason" "$log" "Q3: hold: officialmail: webmail-to-official (Information Technology)"
contains "reasons recorded" "$log" "reasons=known-private-address,display-name,subject"

# Two spaces: mtclient shows the NUL after the name as one, and the value
# starts with the space after the colon (SMFIP_HDR_LEADSPC).
expect "reply-to webmail: tagged" "$sock" \
"connect: continue
mail <secy-it@jk.gov.in>: continue
rcpt <a@it.jk.gov.in>: continue
eom: addheader X-Officialmail-Violation  reply-to-webmail; department=\"Information Technology\"; address=reply.here@gmail.com
eom: accept" <<'S'
connect mail.jk.gov.in 10.0.0.5
mail <secy-it@jk.gov.in>
rcpt <a@it.jk.gov.in>
header From: secy-it@jk.gov.in
header Reply-To: Reply <Reply.Here@GMAIL.com>
eoh
queue-id Q4
eom
S

expect "monitor department: logged, nothing refused" "$sock" \
"connect: continue
mail <engineer@kpdcl.jk.gov.in>: continue
rcpt <x@gmail.com>: continue
eom: accept" <<'S'
connect mail.jk.gov.in 10.0.0.5
mail <engineer@kpdcl.jk.gov.in>
rcpt <x@gmail.com>
header From: engineer@kpdcl.jk.gov.in
eoh
queue-id Q5
eom
S
has_record "monitor record keeps the intended action" "$log" "Q5: violation " "action=log " \
    "intended_action=reject mode=monitor "

expect "live exception: accepted, recorded exempt" "$sock" \
"connect: continue
mail <helpdesk@jk.gov.in>: continue
rcpt <citizen@gmail.com>: continue
eom: accept" <<'S'
connect mail.jk.gov.in 10.0.0.5
mail <helpdesk@jk.gov.in>
rcpt <citizen@gmail.com>
header From: helpdesk@jk.gov.in
eoh
queue-id Q6
eom
S
has_record "exempt with the ticket" "$log" "Q6: violation " "action=exempt " \
    "intended_action=reject " "exception_ticket=CR-2211 " "address=citizen@gmail.com "

expect "mail without SMTP: no RCPT refusal, the message refused" "$sock" \
"connect: continue
mail <secy-it@jk.gov.in>: continue
rcpt <x@gmail.com>: continue
rcpt <y@jk.gov.in>: continue
eom: reply 550 5.7.1 Official mail may not be sent to private webmail accounts (rule official-to-webmail)" <<'S'
connect-local localhost 127.0.0.1
mail <secy-it@jk.gov.in>
rcpt <x@gmail.com>
rcpt <y@jk.gov.in>
header From: secy-it@jk.gov.in
eoh
queue-id Q7
eom
S

expect "official SMTP AUTH login makes official mail" "$sock" \
"connect: continue
mail <bounces@lists.example.org>: continue
rcpt <friend@yahoo.co.in>: continue
eom: reply 550 5.7.1 Official mail may not be sent to private webmail accounts (rule official-to-webmail)" <<'S'
connect laptop.example.net 198.51.100.20
auth it-ops@jk.gov.in
mail <bounces@lists.example.org>
rcpt <friend@yahoo.co.in>
header From: list@lists.example.org
eoh
queue-id Q8
eom
S
contains "auth login recorded" "$log" "auth_user=it-ops@jk.gov.in"

expect "malformed headers are still judged" "$sock" \
"connect: continue
mail <x@gmail.com>: continue
rcpt <a@jk.gov.in>: continue
eom: quarantine officialmail: webmail-to-official (unassigned)
eom: accept" <<'S'
connect relay.example.net 198.51.100.7
mail <x@gmail.com>
rcpt <a@jk.gov.in>
header From: "unterminated <x@gmail.com
header From: <<<>>> ,,, @@@
header Subject: \xff\xfe Govt order \x01
header Subject: =?UTF-8?B?!!!notbase64?=
eoh
queue-id Q9
eom
S

printf 'connect a 10.0.0.5\nmail <secy-it@jk.gov.in>\nrcpts 1000 user it.jk.gov.in\nheader From: secy-it@jk.gov.in\neoh\nqueue-id Q10\neom\n' >"$tmp/s"
expect "1,000 recipients" "$sock" "connect: continue
mail <secy-it@jk.gov.in>: continue
rcpts: 1000 accepted, 0 refused
eom: accept" <"$tmp/s"

printf 'connect a 10.0.0.5\nmail <secy-it@jk.gov.in>\nrcpts 1000 user gmail.com\nquit\n' >"$tmp/s"
expect "1,000 webmail recipients refused, then the client quits" "$sock" "connect: continue
mail <secy-it@jk.gov.in>: continue
rcpts: 0 accepted, 1000 refused" <"$tmp/s"
# Recorded after the client is gone: wait for them (10 s at most) on a loaded machine.
i=0
while :; do
    n=$(grep -c 'violation .*rule=official-to-webmail .*action=reject .*address=user[0-9]*@gmail.com' "$log")
    [ "$n" -ge 1000 ] || [ $i -ge 100 ] && break
    sleep 0.1
    i=$((i + 1))
done
check "every refusal recorded at close (1,000 records)" "$n" 1000

printf 'connect a 10.0.0.5\nmail <x@gmail.com>\nrcpt <a@jk.gov.in>\nbigheader Subject 1048576\neoh\neom\n' >"$tmp/s"
"$MTCLIENT" "$sock" <"$tmp/s" >"$tmp/out" 2>&1
expect "after a 1 MB header the milter serves the next connection" "$sock" \
"connect: continue
mail <a@jk.gov.in>: continue" <<'S'
connect b 10.0.0.5
mail <a@jk.gov.in>
S

printf 'connect a 10.0.0.5\nraw \\x00\\x00\\x00\\x09Zgarbage!\nraw \\xff\\xff\\xff\\xffjunkjunk\n' | "$MTCLIENT" "$sock" >/dev/null 2>&1
printf 'raw GET / HTTP/1.0\\r\\n\\r\\n\n' | "$MTCLIENT" "$sock" >/dev/null 2>&1
expect "after garbage bytes the milter serves the next connection" "$sock" \
"connect: continue
mail <a@jk.gov.in>: continue" <<'S'
connect b 10.0.0.5
mail <a@jk.gov.in>
S

expect "a subject cannot forge a field or a line in the record" "$sock" \
"connect: continue
mail <x@gmail.com>: continue
rcpt <a@jk.gov.in>: continue
eom: quarantine officialmail: webmail-to-official (unassigned)
eom: accept" <<'S'
connect relay.example.net 198.51.100.7
mail <x@gmail.com>
rcpt <a@jk.gov.in>
header From: x@gmail.com
header Subject: Govt" action=accept rule=none\r\n Jan  1 host officialmail: forged
eoh
queue-id Q11
eom
S
# The subject is unfolded (RFC 5322), so its line break is gone; its quote is escaped.
contains "quotes escaped" "$log" 'subject="Govt\" action=accept rule=none Jan  1 host officialmail: forged"'
n=$(grep -c 'forged' "$log")
check "one line only" "$n" 1

# SIGTERM in the middle of a message: new connections are answered 421,
# the message in flight is finished, then the daemon exits 0.
cat >"$tmp/slow" <<'S'
connect a 10.0.0.5
mail <secy-it@jk.gov.in>
rcpt <y@jk.gov.in>
sleep 1500
header From: secy-it@jk.gov.in
header Reply-To: z@gmail.com
eoh
queue-id Q12
eom
S
"$MTCLIENT" "$sock" "$tmp/slow" >"$tmp/slow.out" 2>&1 &
slow=$!
sleep 0.5
kill -TERM "$MILTER_PID"
sleep 0.2
got=$(printf 'connect b 10.0.0.5\n' | "$MTCLIENT" "$sock" 2>&1)
check "while stopping, a new connection is answered 421" "$got" \
    "connect: reply 421 4.3.2 Service shutting down, please try again later"
wait "$slow"
check "the message in flight is finished" "$(tail -1 "$tmp/slow.out")" "eom: accept"
wait "$MILTER_PID"
check "SIGTERM: exit status 0" "$?" 0
if [ -e "$tmp/milter.sock" ]; then not_ok "socket removed at exit"; else ok "socket removed at exit"; fi
contains "stop logged" "$log" "stopped"
finish
