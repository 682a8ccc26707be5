#!/bin/sh
# sendmail.sh - officialmail-milter behind a real sendmail 8.17 (Debian's,
# unpacked by fetch.sh, run in a namespace of its own) on loopback, with
# the milter definition of contrib/sendmail.mc: per-recipient refusals,
# sendmail's quarantine, tagged and clean deliveries, records carrying
# sendmail's queue ids (also for a message whose only recipient was
# refused), the wording of the log, a spoofed official sender from a
# client outside internal_networks, the sendmail command through the MSP
# and in MTA mode, and the release of the quarantined message.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/sendmail/instance.sh"

for tool in unshare nsenter m4 swaks smtp-sink python3 apt-get dpkg; do
    command -v "$tool" >/dev/null || { not_ok "$tool is installed (contrib/install-deps.sh --test)"; finish; exit 1; }
done
[ "$(id -u)" -eq 0 ] || { not_ok "runs as root (namespaces, sendmail's daemon)"; finish; exit 1; }
tmp=$(mktemp -d)
demo="$top_srcdir/contrib/demo-messages"
conf="$tmp/officialmail.conf"
log="$tmp/milter.log"
# Only 127.0.0.1 is internal: the spoofing client below connects from 127.0.0.2.
local_conf "$top_srcdir/tests/data/milter/officialmail.conf" "$tmp/base.conf" "$tmp/violations.db"
sed 's|"127.0.0.0/8"|"127.0.0.1/32"|' "$tmp/base.conf" >"$conf"
mport=$(sm_free_port 18994)
trap 'sm_stop; kill "$MILTER_PID" 2>/dev/null; rm -rf "$tmp"' EXIT

start_milter "$conf" "inet:$mport@127.0.0.1" "$log" || { not_ok "milter starts"; finish; exit 1; }
if sm_setup "$tmp" "inet:$mport@127.0.0.1"; then ok "sendmail unpacked and its .cf built from contrib/sendmail.mc"; else
    not_ok "sendmail unpacked and its .cf built" "$(cat "$tmp/m4.log" 2>/dev/null)"; finish; exit 1; fi
if sm_start; then ok "sendmail -bD listens on 127.0.0.1:$SM_PORT (pid $SM_PID)"; else
    not_ok "sendmail starts" "$(cat "$tmp/sendmail.out" "$tmp/syslog" 2>/dev/null)"; finish; exit 1; fi

# send NAME FROM TO[,TO] FILE [SWAKS ARGS] - one message; transcript in $tmp/NAME.
send() {
    name=$1 from=$2 to=$3 file=$4
    shift 4
    swaks --server "127.0.0.1:$SM_PORT" --helo client.example.net --from "$from" --to "$to" \
        --data "@$file" "$@" >"$tmp/$name" 2>&1
}
# queued NAME - the queue id sendmail gave the message of transcript NAME.
queued() { sed -n 's/.*250 2.0.0 \([0-9A-Za-z]*\) Message accepted.*/\1/p' "$tmp/$1"; }
# delivered RCPT - the sink files holding a copy for RCPT.
delivered() { grep -l "^X-Rcpt-Args: <$1>" "$SM_DIR"/sink/* 2>/dev/null; }
# sent QID TO - wait (20 s at most) until sendmail logged "QID: to=...TO..., stat=Sent"
# (the sink has answered the end of data: its file is whole).
sent() {
    i=0
    until grep -q "\]: $1: to=[^ ]*$2.*stat=Sent" "$SM_DIR/syslog" || [ $i -ge 200 ]; do
        sleep 0.1; i=$((i + 1)); done
}
# syslogged TEXT - wait (5 s at most) for sendmail to log TEXT.
syslogged() {
    i=0
    until grep -qF -- "$1" "$SM_DIR/syslog" || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
    grep -F -- "$1" "$SM_DIR/syslog"
}

send o2w secy-it@jk.gov.in contractor.raj@gmail.com,deputy@it.jk.gov.in "$demo/1-official-to-gmail.eml"
contains "gmail recipient refused with 550 5.7.1" "$tmp/o2w" \
    "<** 550 5.7.1 <contractor.raj@gmail.com>... <contractor.raj@gmail.com>: Official mail may not be sent to private webmail accounts (rule official-to-webmail)"
qid=$(queued o2w)
if [ -n "$qid" ]; then ok "the official co-recipient's copy is queued ($qid)"; else not_ok "co-recipient queued" "$(cat "$tmp/o2w")"; fi
sent "$qid" "<deputy@it.jk.gov.in>"
if [ -n "$(delivered deputy@it.jk.gov.in)" ]; then ok "and delivered"; else not_ok "co-recipient delivered" "$(tail -5 "$SM_DIR/syslog")"; fi
if [ -z "$(delivered contractor.raj@gmail.com)" ]; then ok "nothing delivered to gmail"; else not_ok "nothing delivered to gmail"; fi
line=$(syslogged "$qid: Milter: to=<contractor.raj@gmail.com>, reject=550 5.7.1")
if [ -n "$line" ]; then ok "sendmail logged the refusal under $qid"; else not_ok "sendmail logged the refusal" "$(cat "$SM_DIR/syslog")"; fi
has_record "the record carries sendmail's queue id $qid" "$log" "$qid: violation " \
    "queue_id=$qid " "rule=official-to-webmail " "address=contractor.raj@gmail.com "

# The only recipient refused: no DATA, no "Message accepted"; the id is in sendmail's log.
send only it-ops@jk.gov.in friend@yahoo.co.in "$demo/1-official-to-gmail.eml"
contains "the only recipient refused with 550 5.7.1" "$tmp/only" \
    "<** 550 5.7.1 <friend@yahoo.co.in>... <friend@yahoo.co.in>: Official mail may not be sent"
line=$(syslogged "Milter: to=<friend@yahoo.co.in>, reject=550 5.7.1")
qid=$(printf '%s\n' "$line" | sed -n 's/.*\]: \([0-9A-Za-z]*\): Milter: to=.*/\1/p' | head -1)
if [ -n "$qid" ]; then ok "sendmail logged the refusal under $qid"; else not_ok "sendmail logged the refusal" "$(cat "$SM_DIR/syslog")"; fi
i=0
until grep -q "address=friend@yahoo.co.in" "$log" || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
has_record "refused at RCPT only: the record carries sendmail's queue id $qid" "$log" "$qid: violation " \
    "queue_id=$qid " "address=friend@yahoo.co.in "

send hold ram.kumar1987@gmail.com grievances@jk.gov.in "$demo/4-impersonation-from-webmail.eml"
qid=$(queued hold) held=$qid
if [ -n "$qid" ]; then ok "impersonation accepted into the queue ($qid)"; else not_ok "impersonation accepted" "$(cat "$tmp/hold")"; fi
if sm_mailq -qQ | grep -q "^$qid"; then ok "and held in sendmail's quarantine (mailq -qQ lists $qid)"; else
    not_ok "held in sendmail's quarantine" "$(sm_mailq -qQ)"; fi
if sm_mailq -qQ | grep -qF "QUARANTINE: officialmail: webmail-to-official"; then ok "mailq -qQ shows the reason"; else
    not_ok "mailq -qQ shows the reason" "$(sm_mailq -qQ)"; fi
contains "the milter logs it as quarantined (sendmail's word)" "$log" \
    "$qid: quarantined: officialmail: webmail-to-official"
if grep -q "$qid: hold:" "$log"; then not_ok "no Postfix wording under sendmail"; else ok "no Postfix wording under sendmail"; fi
has_record "the quarantine's record carries $qid" "$log" "queue_id=$qid " "rule=webmail-to-official " "action=quarantine "
sleep 1
if [ -z "$(delivered grievances@jk.gov.in)" ]; then ok "the quarantined message is not delivered"; else
    not_ok "the quarantined message is not delivered"; fi

cat >"$tmp/tag.eml" <<'MSG'
From: Secretary IT <secy-it@jk.gov.in>
To: deputy@it.jk.gov.in
Reply-To: secy.personal@gmail.com
Subject: Meeting notes
Message-ID: <tag-1@jk.gov.in>
Date: Mon, 30 Nov 2026 10:30:00 +0530

Notes attached.
MSG
send tag secy-it@jk.gov.in director@fin.jk.gov.in "$tmp/tag.eml"
qid=$(queued tag)
sent "$qid" "<director@fin.jk.gov.in>"
f=$(delivered director@fin.jk.gov.in)
if [ -n "$f" ] && grep -q '^X-Officialmail-Violation: reply-to-webmail; department="Information Technology"; address=secy.personal@gmail.com' "$f"; then
    ok "tagged message $qid delivered with the header"; else not_ok "tagged message delivered with the header" "$(cat "$f" 2>/dev/null)"; fi
has_record "the tag's record carries $qid" "$log" "$qid: violation " "queue_id=$qid " "rule=reply-to-webmail "
line=$(syslogged "$qid: to=<director@fin.jk.gov.in>")
case $line in *"stat=Sent"*) ok "sendmail logged $qid sent" ;; *) not_ok "sendmail logged $qid sent" "$line" ;; esac

send clean deputy@it.jk.gov.in director@fin.jk.gov.in,audit@jk.gov.in "$demo/5-clean-official.eml"
qid=$(queued clean)
sent "$qid" "<audit@jk.gov.in>"
f=$(delivered audit@jk.gov.in)
# What the sink and sendmail put in front (the sink's X-..., Received) is cut off.
awk 'BEGIN{h=1} h && /^(X-Client-Addr|X-Client-Proto|X-Helo-Args|X-Mail-Args|X-Rcpt-Args|Received):/ {skip=1; next}
     h && skip && /^[ \t]/ {next} {skip=0; h=0; print}' "$f" | tr -d '\r' |
    sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' >"$tmp/clean.got"
if cmp -s "$tmp/clean.got" "$demo/5-clean-official.eml"; then ok "clean mail $qid delivered unchanged"; else
    not_ok "clean mail delivered unchanged" "$(diff "$demo/5-clean-official.eml" "$tmp/clean.got")"; fi
if grep -q "$qid: violation" "$log"; then not_ok "no record for the clean mail"; else ok "no record for the clean mail"; fi

# A client outside internal_networks claims an official sender. The envelope
# sender is not under jk.gov.in, so SPF cannot align and nothing is looked up
# (no DNS here), and the message has no DKIM signature: the verdict does not
# depend on DNS (on_dns_error is never consulted).
send spoof bounce@relay.example.net accounts@jk.gov.in "$demo/3-spoofed-official.eml" --local-interface 127.0.0.2
contains "spoofed official from 127.0.0.2 refused at end of data" "$tmp/spoof" \
    "<** 550 5.7.1 Mail claiming an official domain failed SPF and DKIM verification (rule spoofed-official)"
line=$(syslogged "Milter: data, reject=550 5.7.1 Mail claiming an official domain")
qid=$(printf '%s\n' "$line" | sed -n 's/.*\]: \([0-9A-Za-z]*\): Milter: data.*/\1/p' | head -1)
has_record "the spoof's record carries sendmail's queue id ${qid:-(none)}" "$log" "$qid: violation " \
    "queue_id=$qid " "rule=spoofed-official " "client_ip=127.0.0.2 "

# The sendmail command as users run it goes through the MSP, which hands the
# mail to the daemon over SMTP: judged like a client on loopback, per
# recipient; the MSP bounces the refused recipient to the sender.
printf 'From: secy-it@jk.gov.in\nTo: pal@gmail.com, deputy2@it.jk.gov.in\nSubject: submitted\n\nhello\n' |
    sm_submit -f secy-it@jk.gov.in pal@gmail.com deputy2@it.jk.gov.in >"$tmp/submit" 2>&1
check "sendmail command (MSP): exit 67, a recipient refused" "$?" 67
line=$(syslogged "Milter: to=<pal@gmail.com>, reject=550 5.7.1")
qid=$(printf '%s\n' "$line" | sed -n 's/.*\]: \([0-9A-Za-z]*\): Milter: to=.*/\1/p' | head -1)
has_record "its record carries the daemon's queue id ${qid:-(none)}" "$log" "$qid: violation " \
    "queue_id=$qid " "address=pal@gmail.com " "subject=submitted "
sent "$qid" "<deputy2@it.jk.gov.in>"
sent '[0-9A-Za-z]*' "<secy-it@jk.gov.in>"
if [ -n "$(delivered deputy2@it.jk.gov.in)" ] && [ -z "$(delivered pal@gmail.com)" ]; then
    ok "the official recipient's copy delivered, none to gmail"; else not_ok "MSP: official copy delivered, none to gmail"; fi
f=$(delivered secy-it@jk.gov.in)
if [ -n "$f" ] && grep -q "^From: Mail Delivery Subsystem" "$f" && grep -q "pal@gmail.com" "$f"; then
    ok "the sender gets the MSP's bounce for pal@gmail.com"; else not_ok "the sender gets the MSP's bounce" "$(cat "$tmp/submit")"; fi

# sendmail calls milters only for mail it receives over SMTP. The command
# line straight into the MTA (sendmail -Am, or -C its sendmail.cf, as here)
# queues and delivers without them; README's "Deploying with sendmail" says
# so and has local mail submitted through the MSP, over SMTP.
printf 'From: secy-it@jk.gov.in\nTo: friend@gmail.com\nSubject: from the command line\n\nhello\n' |
    sm_cmd -f secy-it@jk.gov.in friend@gmail.com >"$tmp/cmdline" 2>&1
sent '[0-9A-Za-z]*' friend@gmail.com
if [ -n "$(delivered friend@gmail.com)" ] && ! grep -q "address=friend@gmail.com" "$log"; then
    ok "as documented: the command line in MTA mode bypasses milters (delivered, not judged)"; else
    not_ok "the command line in MTA mode bypasses milters, as documented" "$(cat "$tmp/cmdline"; tail -3 "$SM_DIR/syslog")"; fi

# Every id the milter recorded is one sendmail logged.
bad=""
for q in $(sed -n 's/.* queue_id=\([^ ]*\) .*/\1/p' "$log" | sort -u); do
    grep -q "\]: $q: " "$SM_DIR/syslog" || bad="$bad $q"
done
if [ -z "$bad" ] && grep -q ' queue_id=[0-9A-Za-z]' "$log"; then ok "every recorded queue id is one sendmail logged"; else
    not_ok "every recorded queue id is one sendmail logged" "not in sendmail's log:$bad"; fi
if grep -q 'queue_id=""' "$log"; then not_ok "no record without a queue id" "$(grep 'queue_id=""' "$log")"; else
    ok "no record without a queue id"; fi

# The administrator's release of the quarantined message (README): without a
# reason -Q takes it out of the quarantine, then a queue run delivers it.
sm_cmd -qQ -Q -qI"$held" >"$tmp/release" 2>&1
if sm_mailq -qQ | grep -q "^$held"; then not_ok "released from the quarantine" "$(cat "$tmp/release"; sm_mailq -qQ)"; else
    ok "sendmail -qQ -Q -qI$held releases it"; fi
sm_cmd -q -qI"$held" >>"$tmp/release" 2>&1
sent "$held" "<grievances@jk.gov.in>"
if [ -n "$(delivered grievances@jk.gov.in)" ]; then ok "and a queue run delivers it"; else
    not_ok "a queue run delivers the released message" "$(cat "$tmp/release"; tail -3 "$SM_DIR/syslog")"; fi

sm_stop
stop_milter
if [ "$MILTER_STATUS" -eq 0 ]; then ok "milter stopped cleanly"; else not_ok "milter stopped cleanly" "status $MILTER_STATUS"; fi
finish
