#!/bin/sh
# postfix.sh - `officialmail digest --send` through a real Postfix on
# loopback: sendmail_command is Postfix's own sendmail (with -C naming the
# throwaway instance, split into words and run without a shell); the
# instance relays to an smtp-sink that writes each message to a file, and
# the test reads them back and judges them with Python's email package.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/postfix/instance.sh"
. "$top_srcdir/tests/digest/lib.sh"

require_root "Postfix's master starts as root"
require postfix smtp-sink
need_python
tmp=$(mktemp -d)
trap 'pf_stop; [ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
conf="$tmp/officialmail.conf"
digest_setup "$tmp" || { not_ok "the test log is written"; finish; exit 1; }

# The instance, without a milter (this test is about the digests' delivery)
# and without an SMTP listener (they arrive by the sendmail command): only
# its sink listens, on a port from a range of this test's own, so that the
# Postfix tests that make check runs beside it cannot take the same one.
chmod 755 "$tmp" # the postfix user walks into $tmp/pf
pf_setup "$tmp/pf" "inet:127.0.0.1:9"
PF_SINK_PORT=$(pf_free_port 23625)
sed -i '/ inet .* smtpd$/d' "$PF_ETC/master.cf"
postconf -c "$PF_ETC" -e "smtpd_milters =" "non_smtpd_milters =" \
    "relayhost = [127.0.0.1]:$PF_SINK_PORT" >>"$tmp/setup.log" 2>&1
pf_start
set_sendmail "$conf" "/usr/sbin/sendmail -C $PF_ETC -t -i"

"$OM" -c "$conf" digest --now "$NOW" --week 2027-W10 --send >"$tmp/send.out" 2>"$tmp/send.err"
check "digest --send through Postfix: exit 0" "$?" 0
check "six digests handed to Postfix's sendmail" "$(grep -c '^sent: ' "$tmp/send.out")" 6
if pf_wait_delivered 6; then ok "six messages reached the sink"; else
    not_ok "six messages reached the sink" "$(pf_queue; tail -20 "$PF_DIR/maillog" 2>/dev/null)"; fi
check "Postfix logged every delivery as sent" "$(grep -c 'status=sent' "$PF_DIR/maillog")" 7

if mimecheck --skip-prefix "$PF_DIR"/sink/* >"$tmp/dump" 2>"$tmp/problems"; then
    ok "delivered as sent: the same header fields, two parts, no defect"
else
    not_ok "delivered messages: MIME check" "$(cat "$tmp/problems")"
fi
# delivered RCPT - the sink file holding a copy for RCPT.
delivered() { grep -l "^X-Rcpt-Args: <$1>" "$PF_DIR"/sink/* 2>/dev/null; }
for rcpt in ciso.it@jk.gov.in deputy.ciso@it.jk.gov.in iso.power@jk.gov.in iso.forest@jk.gov.in \
    iso.evil@jk.gov.in iso.health@jk.gov.in compliance@jk.gov.in; do
    if [ -n "$(delivered "$rcpt")" ]; then ok "delivered to $rcpt"; else not_ok "delivered to $rcpt"; fi
done
f=$(delivered compliance@jk.gov.in)
mimecheck --skip-prefix "$f" >"$tmp/comp.dump" 2>&1
has "the compliance digest, as read back" "$tmp/comp.dump" \
    "Subject: Compliance: violation digest 2027-W10, 79 violations"
has "its ranking, as read back" "$tmp/comp.dump" \
    "     1         62         40  +22 (+55%)    Information Technology"
f=$(delivered iso.forest@jk.gov.in)
mimecheck --skip-prefix "$f" >"$tmp/fo.dump" 2>&1
has "a non-ASCII department's subject, as read back" "$tmp/fo.dump" \
    "Subject: Forêts, Écologie & Environnement: violation digest 2027-W10, 5 violations"
f=$(delivered iso.evil@jk.gov.in)
check "the injection attempt: one recipient, the configured one" \
    "$(grep -c '^X-Rcpt-Args:' "$f") $(grep -ci 'attacker@evil.example' "$PF_DIR/maillog")" "1 0"
check "nothing for an injected address anywhere in the queue or the sink" \
    "$(grep -l '^X-Rcpt-Args: <attacker' "$PF_DIR"/sink/* 2>/dev/null)" ""
has "From is digest_from, as read back" "$tmp/comp.dump" \
    "From: officialmail <officialmail@jk.gov.in>"
finish
