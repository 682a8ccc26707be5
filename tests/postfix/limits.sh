#!/bin/sh
# limits.sh - no limit lets a violation through, behind a real Postfix with
# its recipient and error limits raised (SPEC 5b): header padding before
# an official From is refused, never delivered; 5,000 refused recipients
# leave 5,000 records; the 10,001st recipient is answered 452.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/postfix/instance.sh"
PY=/usr/bin/python3
if [ "$(id -u)" -ne 0 ] || ! command -v postfix >/dev/null || ! command -v sqlite3 >/dev/null ||
    [ ! -x "$PY" ]; then
    not_ok "needs root, postfix, sqlite3 and /usr/bin/python3 (contrib/install-deps.sh --test)"
    finish
    exit 1
fi
tmp=$(mktemp -d)
conf="$tmp/officialmail.conf"
db="$tmp/violations.db"
local_conf "$top_srcdir/tests/data/milter/officialmail.conf" "$conf" "$db"
mport=$(pf_free_port 19894)
log="$tmp/milter.log"
trap 'pf_stop; kill "$MILTER_PID" 2>/dev/null; wait "$MILTER_PID" 2>/dev/null; rm -rf "$tmp"' EXIT

start_milter "$conf" "inet:$mport@127.0.0.1" "$log" || { not_ok "milter starts"; finish; exit 1; }
pf_setup "$tmp" "inet:127.0.0.1:$mport"
# Postfix's own limits would hide ours: a client is cut off after 20
# errors and 1,000 recipients by default.
cat >>"$PF_ETC/main.cf" <<CF
smtpd_recipient_limit = 20000
smtpd_recipient_overshoot_limit = 20000
smtpd_hard_error_limit = 20000
smtpd_soft_error_limit = 20000
smtpd_error_sleep_time = 0
milter_command_timeout = 60s
CF
pf_start
i=0
until "$PY" -c "import socket; socket.create_connection(('127.0.0.1', $PF_PORT), 1)" 2>/dev/null ||
    [ $i -ge 50 ]; do
    sleep 0.2; i=$((i + 1))
done

# padded N - N Subject fields before an official From, to gmail.
padded() {
    i=0
    while [ "$i" -lt "$1" ]; do
        echo "Subject: padding $i"
        i=$((i + 1))
    done
    printf 'From: Secretary IT <secy-it@jk.gov.in>\nTo: x@gmail.com\nSubject: Tender\n\nbody\n'
}
# send FROM MESSAGE RCPTSPEC... - one transaction; the replies summarised.
send() {
    from=$1 msg=$2
    shift 2
    timeout 300 "$PY" "$top_srcdir/tests/postfix/smtp_many.py" 127.0.0.1 "$PF_PORT" "$from" "$msg" "$@" 2>&1
}

padded 200 >"$tmp/pad200.eml"
check "200 padding Subject fields before an official From to gmail: refused at end of data" \
    "$(send clerk@outside.example "$tmp/pad200.eml" x@gmail.com:1)" \
    "rcpt 250 x1 2.1.5 Ok
data 550 5.7.1 Official mail may not be sent to private webmail accounts (rule official-to-webmail)"
padded 1001 >"$tmp/pad1001.eml"
check "1,001 padding Subject fields: answered 451, never delivered" \
    "$(send clerk@outside.example "$tmp/pad1001.eml" y@gmail.com:1)" \
    "rcpt 250 x1 2.1.5 Ok
data 451 4.3.0 Temporary internal error, please try again later"

printf 'From: Secretary IT <secy-it@jk.gov.in>\nSubject: Circular\n\nbody\n' >"$tmp/circular.eml"
got=$(send secy-it@jk.gov.in "$tmp/circular.eml" user@gmail.com:5000 desk@jk.gov.in:5000 \
    one-too-many@jk.gov.in:1)
first=$(printf '%s\n' "$got" | sed -n 1,3p)
check "5,000 gmail recipients refused 550, 5,000 official accepted, the 10,001st answered 452" \
    "$first" "rcpt 550 x5000 5.7.1 <user0@gmail.com>: Official mail may not be sent to private webmail accounts (rule official-to-webmail)
rcpt 250 x5000 2.1.5 Ok
rcpt 452 x1 4.5.3 Too many recipients"
case $(printf '%s\n' "$got" | sed -n 4p) in
"data 250 2.0.0 Ok: queued as "*) ok "the official copies are queued" ;;
*) not_ok "the official copies are queued" "$got" ;;
esac
n=0
i=0
while [ $i -lt 100 ]; do
    n=$(sqlite3 "$db" "SELECT COUNT(*) FROM violations WHERE address LIKE 'user%@gmail.com'")
    [ "$n" -ge 5000 ] && break
    sleep 0.1; i=$((i + 1))
done
check "5,000 refused recipients: 5,000 records" "$n" 5000
sleep 2
if ls "$PF_DIR"/sink/* >/dev/null 2>&1 && grep -l 'X-Rcpt-Args: <\(x\|y\|user[0-9]*\)@gmail.com>' "$PF_DIR"/sink/* >/dev/null 2>&1; then
    not_ok "nothing was delivered to gmail" "$(grep -l 'gmail.com>' "$PF_DIR"/sink/* | head -3)"
else
    ok "nothing was delivered to gmail"
fi
if "$OM" -c "$conf" verify-log >"$tmp/verify.out" 2>&1; then ok "the log verifies"; else
    not_ok "the log verifies" "$(cat "$tmp/verify.out")"
fi
finish
