#!/bin/sh
# postfix.sh - officialmail-milter behind a real Postfix on loopback:
# SMTP replies, the HOLD queue, tagged and clean deliveries, mail from the
# sendmail command, a unix socket with privileges dropped to postfix.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/postfix/instance.sh"

require_root "Postfix's master starts as root"
require postfix swaks
tmp=$(mktemp -d)
demo="$top_srcdir/contrib/demo-messages"
conf="$tmp/officialmail.conf"
local_conf "$top_srcdir/tests/data/milter/officialmail.conf" "$conf" "$tmp/violations.db"
mport=$(pf_free_port 18894)
log="$tmp/milter.log"
trap 'pf_stop; kill "$MILTER_PID" 2>/dev/null; rm -rf "$tmp"' EXIT

start_milter "$conf" "inet:$mport@127.0.0.1" "$log" || { not_ok "milter starts"; finish; exit 1; }
pf_setup "$tmp" "inet:127.0.0.1:$mport"
pf_start
i=0
until printf 'QUIT\r\n' | swaks --server "127.0.0.1:$PF_PORT" --quit-after CONNECT >/dev/null 2>&1 || [ $i -ge 50 ]; do
    sleep 0.2; i=$((i + 1))
done

# send NAME FROM TO[,TO] FILE - one message through Postfix; transcript in $tmp/NAME.
send() {
    swaks --server "127.0.0.1:$PF_PORT" --helo client.example.net --from "$2" --to "$3" \
        --data "@$4" >"$tmp/$1" 2>&1
}
# queued NAME - the queue id Postfix gave the message of transcript NAME.
queued() { sed -n 's/.*queued as \([0-9A-F]*\).*/\1/p' "$tmp/$1"; }
# delivered RCPT - the sink files holding a copy for RCPT.
delivered() { grep -l "^X-Rcpt-Args: <$1>" "$PF_DIR"/sink/* 2>/dev/null; }

send o2w secy-it@jk.gov.in contractor.raj@gmail.com,deputy@it.jk.gov.in "$demo/1-official-to-gmail.eml"
contains "gmail recipient refused with 550 5.7.1" "$tmp/o2w" \
    "<** 550 5.7.1 <contractor.raj@gmail.com>: Official mail may not be sent to private webmail accounts (rule official-to-webmail)"
qid=$(queued o2w)
if [ -n "$qid" ]; then ok "the official co-recipient's copy is queued ($qid)"; else not_ok "co-recipient queued" "$(cat "$tmp/o2w")"; fi
pf_wait_delivered 1
if [ -n "$(delivered deputy@it.jk.gov.in)" ]; then ok "and delivered"; else not_ok "co-recipient delivered"; fi
if [ -z "$(delivered contractor.raj@gmail.com)" ]; then ok "nothing delivered to gmail"; else not_ok "nothing delivered to gmail"; fi
has_record "the record carries Postfix's queue id" "$log" "$qid: violation " \
    "queue_id=$qid " "rule=official-to-webmail "

send hold ram.kumar1987@gmail.com grievances@jk.gov.in "$demo/4-impersonation-from-webmail.eml"
qid=$(queued hold)
sleep 1
if pf_queue | grep -q "^$qid!"; then ok "impersonation held in the HOLD queue ($qid!)"; else
    not_ok "impersonation held" "$(pf_queue)"; fi
contains "hold reason logged by the milter" "$log" "$qid: hold: officialmail: webmail-to-official"
if postcat -c "$PF_ETC" -q "$qid" 2>/dev/null | grep -q "Government_order"; then ok "postcat shows the held message"; else
    not_ok "postcat shows the held message"; fi

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
pf_wait_delivered 2
f=$(delivered director@fin.jk.gov.in)
if [ -n "$f" ] && grep -q '^X-Officialmail-Violation: reply-to-webmail; department="Information Technology"; address=secy.personal@gmail.com' "$f"; then
    ok "tagged message delivered with the header"; else not_ok "tagged message delivered with the header" "$(cat $f 2>/dev/null)"; fi

send clean deputy@it.jk.gov.in director@fin.jk.gov.in,audit@jk.gov.in "$demo/5-clean-official.eml"
pf_wait_delivered 4
f=$(delivered audit@jk.gov.in)
# What the sink and Postfix put in front (X-... of the sink, Received) is cut off.
awk 'BEGIN{h=1} h && /^(X-Client-Addr|X-Client-Proto|X-Helo-Args|X-Mail-Args|X-Rcpt-Args|Received):/ {skip=1; next}
     h && skip && /^[ \t]/ {next} {skip=0; h=0; print}' "$f" | tr -d '\r' |
    sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' >"$tmp/clean.got"  # the sink adds empty lines at the end
if cmp -s "$tmp/clean.got" "$demo/5-clean-official.eml"; then ok "clean mail delivered unchanged"; else
    not_ok "clean mail delivered unchanged" "$(diff "$demo/5-clean-official.eml" "$tmp/clean.got")"; fi

send spoof commissioner@jk.gov.in accounts@jk.gov.in "$demo/3-spoofed-official.eml"
# Loopback is internal in this policy, so the spoof is not judged here; the second
# milter below runs a policy where loopback is external.
if grep -q "queued as" "$tmp/spoof"; then ok "spoofed from an internal client is not judged"; else
    not_ok "internal client not judged" "$(cat "$tmp/spoof")"; fi

printf 'From: secy-it@jk.gov.in\nTo: friend@gmail.com\nSubject: from the command line\n\nhello\n' |
    MAIL_CONFIG="$PF_ETC" sendmail -f secy-it@jk.gov.in friend@gmail.com
i=0
until grep -q "milter-reject: END-OF-MESSAGE" "$PF_DIR/maillog" || [ $i -ge 50 ]; do sleep 0.2; i=$((i + 1)); done
contains "sendmail command: the message refused at end of data" "$PF_DIR/maillog" \
    "milter-reject: END-OF-MESSAGE from localhost[127.0.0.1]: 5.7.1 Official mail may not be sent to private webmail accounts"
if grep -q "milter configuration error" "$PF_DIR/maillog"; then not_ok "no per-recipient refusal of non-SMTP mail"; else
    ok "no per-recipient refusal of non-SMTP mail"; fi

# A second milter on a unix socket, as the postfix user, with loopback external.
stop_milter
mkdir -p "$tmp/run" && chown postfix "$tmp/run"
sed -e 's|"127.0.0.0/8", "::1/128", ||' -e "s|^database = .*|database = \"$tmp/run/violations.db\";|" \
    "$conf" >"$tmp/external.conf"
"$MILTER" -c "$tmp/external.conf" -p "unix:$tmp/run/milter.sock" -u postfix -P "$tmp/run/milter.pid" 2>>"$log"
i=0
until [ -S "$tmp/run/milter.sock" ] && [ -s "$tmp/run/milter.pid" ] || [ $i -ge 100 ]; do
    sleep 0.1; i=$((i + 1))
done
MILTER_PID=$(cat "$tmp/run/milter.pid" 2>/dev/null)
check "unix socket is group-writable" "$(stat -c '%a %U' "$tmp/run/milter.sock")" "660 postfix"
check "the daemon runs as postfix" "$(ps -o user= -p "$MILTER_PID" | tr -d ' ')" "postfix"
postconf -c "$PF_ETC" -e "smtpd_milters = unix:$tmp/run/milter.sock" "non_smtpd_milters = unix:$tmp/run/milter.sock"
postfix -c "$PF_ETC" reload >>"$PF_DIR/setup.log" 2>&1
sleep 1
# An envelope sender not under jk.gov.in: SPF cannot align, nothing is looked
# up (libspf2 would pass a loopback client's SPF); tests/auth/ has the lookups.
send spoof2 bounce@relay.example.net accounts@jk.gov.in "$demo/3-spoofed-official.eml"
contains "spoofed official refused at end of data" "$tmp/spoof2" \
    "<** 550 5.7.1 Mail claiming an official domain failed SPF and DKIM verification (rule spoofed-official)"
kill -TERM "$MILTER_PID"
i=0
while kill -0 "$MILTER_PID" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
if [ -e "$tmp/run/milter.sock" ]; then not_ok "unix socket removed at exit"; else ok "unix socket removed at exit"; fi
if [ -e "$tmp/run/milter.pid" ]; then not_ok "pid file removed at exit"; else ok "pid file removed at exit"; fi
finish
