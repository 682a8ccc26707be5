#!/bin/sh
# cli_log.sh - the command line of SPEC 5b on a small known log: unknown
# names (exit 2 and the nearest), whole tables when piped, reasons as a
# JSON array, the filters --queue-id/--message-id/--gateway (bound, never
# SQL), stats --by sender/address/gateway/week, CSV formulas neutralised,
# the digest listing, and a log that cannot be opened, as an unprivileged
# user (nobody when the tests run as root).
. "$top_srcdir/tests/lib.sh"
MAKE_LOG="$top_builddir/tests/store/make_log"
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
unset COLUMNS
db="$tmp/violations.db"
# Week 2026-W09 (one record) and 2026-W10; two gateways; subjects that a
# spreadsheet would run; a department whose name begins with "@".
"$MAKE_LOG" "$db" - <<'EOF' || { not_ok "make_log wrote the log"; finish; exit 1; }
time=2026-02-27T10:00:00Z|queue_id=QA1|message_id=<a1@it.jk.gov.in>|rule=official-to-webmail|action=reject|intended_action=reject|mode=enforce|department=Information Technology|envelope_sender=secy1@it.jk.gov.in|header_from=secy1@it.jk.gov.in|address=ravi@gmail.com|recipients=ravi@gmail.com|subject==1+2|gateway=mx1.jk.gov.in
time=2026-03-02T09:00:00Z|queue_id=QA2|message_id=<a2@it.jk.gov.in>|rule=webmail-to-official|reasons=display-name,subject|action=tag|intended_action=tag|mode=enforce|department=Information Technology|envelope_sender=home@rediffmail.com|header_from=home@rediffmail.com|address=home@rediffmail.com|recipients=secy1@it.jk.gov.in|subject=@SUM(1,1)|gateway=mx2.jk.gov.in
time=2026-03-03T11:00:00Z|queue_id=QA3|message_id=<a3@fin.jk.gov.in>|rule=official-to-webmail|action=reject|intended_action=reject|mode=enforce|department=Finance|envelope_sender=secy2@fin.jk.gov.in|header_from=secy2@fin.jk.gov.in|address=a.very.long.personal.address.for.testing.whole.tables.when.piped@zohomail.in|recipients=a.very.long.personal.address.for.testing.whole.tables.when.piped@zohomail.in|subject=+SUM(A1)|gateway=mx2.jk.gov.in
time=2026-03-04T12:00:00Z|queue_id=QA4|message_id=<a4@it.jk.gov.in>|rule=spoofed-official|action=quarantine|intended_action=quarantine|mode=enforce|department=Information Technology|envelope_sender=bulk@mailer.example.net|header_from=secy1@it.jk.gov.in|address=secy1@it.jk.gov.in|recipients=desk@jk.gov.in|subject=-2+3|gateway=mx1.jk.gov.in
time=2026-03-05T08:00:00Z|queue_id=QA5|message_id=<a5@jk.gov.in>|rule=official-to-webmail|action=log|intended_action=log|mode=monitor|department=unassigned|header_from=desk@jk.gov.in|address=x@gmail.com|recipients=x@gmail.com|subject=\tTAB|gateway=mx1.jk.gov.in
time=2026-03-06T08:00:00Z|queue_id=QA6|message_id=<a6@jk.gov.in>|rule=reply-to-webmail|action=tag|intended_action=tag|mode=enforce|department=@Evil dept|envelope_sender=secy9@jk.gov.in|header_from=secy9@jk.gov.in|address=z@proton.me|recipients=desk@jk.gov.in|subject=\rCR|gateway=mx2.jk.gov.in
time=2026-03-08T23:00:00Z|queue_id=QA7|message_id=<a7@it.jk.gov.in>|rule=official-to-webmail|action=reject|intended_action=reject|mode=enforce|department=Information Technology|envelope_sender=secy1@it.jk.gov.in|header_from=secy1@it.jk.gov.in|address=ravi@gmail.com|recipients=ravi@gmail.com|subject=plain, =not first|gateway=mx1.jk.gov.in
EOF
L="$OM log --database $db"
S="$OM stats --database $db"
local_conf "$top_srcdir/tests/data/samples/officialmail.conf" "$tmp/om.conf" "$db"

# status NAME WANT CMD... - run CMD, compare its exit status.
status() {
    name=$1 want=$2
    shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"
    check "$name (exit status)" "$?" "$want"
}

# ids NAME WANT ARGS... - the ids `log --format json ARGS` prints, joined by spaces.
ids() {
    name=$1 want=$2
    shift 2
    got=$($L --format json "$@" | sed 's/^{"id": \([0-9]*\),.*/\1/' | tr '\n' ' ')
    check "$name" "${got% }" "$want"
}

# on_tty COLS CMDLINE - CMDLINE with its output on a pseudo-terminal COLS wide; CRs removed.
on_tty() {
    script -qec "stty cols $1; $2" /dev/null </dev/null | tr -d '\r'
}

# widest FILE - the widest line of FILE in terminal columns.
widest() { LC_ALL=C.UTF-8 wc -L <"$1" | tr -d ' '; }

# --- unknown names: exit 2, the nearest name, never an empty answer ---------
status "log: a misspelt department" 2 $L --department 'Informaton Technology'
contains "the nearest department" "$tmp/err" 'log: no department named "Informaton Technology"; did you mean "Information Technology"?'
check "nothing printed for it" "$(cat "$tmp/out")" ""
status "log: a department in other case" 2 $L --department finance
contains "other case: the department" "$tmp/err" 'no department named "finance"; did you mean "Finance"?'
status "stats: an unknown department" 2 $S --department Nobody
contains "nothing near: the known ones" "$tmp/err" 'stats: no department named "Nobody" (known: "@Evil dept", "Finance", "Information Technology", "unassigned")'
status "stats: a quote in a department is a name, not SQL" 2 $S --department "x' OR '1'='1"
status "log: a misspelt rule" 2 $L --rule ofical-to-webmail
contains "the nearest rule" "$tmp/err" 'log: no rule named "ofical-to-webmail"; did you mean "official-to-webmail"?'
status "stats: an action in other case" 2 $S --action Reject
contains "the nearest action" "$tmp/err" 'stats: no action named "Reject"; did you mean "reject"?'
status "log: a configured department with no records yet" 0 "$OM" -c "$tmp/om.conf" log --department 'Power Development'
check "no records: the count line" "$(tail -1 "$tmp/out")" "0 records"
status "log: the configuration's default department" 0 "$OM" -c "$tmp/om.conf" log --department unassigned --format json
check "the default department's record" "$(sed 's/^{"id": \([0-9]*\),.*/\1/' "$tmp/out")" 5
status "digest: a misspelt department" 2 "$OM" -c "$tmp/om.conf" digest --week 2026-W10 --department 'Power Developement'
contains "digest: the nearest department" "$tmp/err" 'digest: no department named "Power Developement"; did you mean "Power Development"?'

# --- tables: whole when piped, cut only on a terminal ------------------------
$L >"$tmp/out"
contains "piped: the long address whole" "$tmp/out" " a.very.long.personal.address.for.testing.whole.tables.when.piped@zohomail.in "
check "piped: nothing cut" "$(grep -c '…' "$tmp/out")" 0
check "piped: as wide as its longest row" "$(widest "$tmp/out")" 174
check "piped: the heading" "$(head -1 "$tmp/out")" "id time             department             rule                action     address                                                                      sender"
check "piped: a row" "$(sed -n 2p "$tmp/out")" " 1 2026-02-27 10:00 Information Technology official-to-webmail reject     ravi@gmail.com                                                               secy1@it.jk.gov.in"
check "piped: the null sender" "$(sed -n 6p "$tmp/out" | awk '{ print $NF }')" "<>"
on_tty 80 "$L" >"$tmp/ltty"
check "terminal: 80 columns" "$(widest "$tmp/ltty")" 80
contains "terminal: long cells cut" "$tmp/ltty" "…"
COLUMNS=100 $L >"$tmp/out2"
if cmp -s "$tmp/out" "$tmp/out2"; then ok "piped: COLUMNS does not cut"; else not_ok "piped: COLUMNS does not cut"; fi
$S --by address >"$tmp/out"
contains "stats piped: the long address whole" "$tmp/out" "a.very.long.personal.address.for.testing.whole.tables.when.piped@zohomail.in     1  14.3%"
on_tty 80 "$S --by address" >"$tmp/tty"
check "stats on a terminal: within 80 columns" "$(($(widest "$tmp/tty") <= 80))" 1
contains "stats on a terminal: cut" "$tmp/tty" "…"

# --- reasons: a JSON array -------------------------------------------------
ids "--queue-id" "3" --queue-id QA3
$L --format json --queue-id QA2 >"$tmp/out"
contains "json: two reasons, an array" "$tmp/out" '"reasons": ["display-name", "subject"], "action": "tag"'
$L --format json --queue-id QA1 >"$tmp/out"
contains "json: no reason, an empty array" "$tmp/out" '"reasons": [], "action": "reject"'
if python3 -c 'import json, sys
for line in sys.stdin:
    assert isinstance(json.loads(line)["reasons"], list)' <"$tmp/out"; then
    ok "json: python3 reads reasons as a list"; else not_ok "json: python3 reads reasons as a list"; fi

# --- the new filters: bound values, never SQL ------------------------------
ids "--message-id as received" "2" --message-id '<a2@it.jk.gov.in>'
ids "--message-id without its angle brackets" "2" --message-id a2@it.jk.gov.in
ids "--gateway" "2 3 6" --gateway mx2.jk.gov.in
ids "--gateway with --queue-id" "6" --gateway mx2.jk.gov.in --queue-id QA6
ids "--gateway with --since" "4 5 7" --gateway mx1.jk.gov.in --since 2026-03-01
ids "--queue-id is exact" "" --queue-id qa3
ids "--queue-id: a quote is data, not SQL" "" --queue-id "' OR '1'='1"
ids "--gateway: a comment is data, not SQL" "" --gateway "mx1.jk.gov.in' OR 1=1 --"
ids "--message-id: a quote is data, not SQL" "" --message-id "x' OR 'a'='a"
status "stats with --gateway" 0 $S --gateway mx2.jk.gov.in --by rule --format csv
check "stats with --gateway: counts" "$(tr -d '\r' <"$tmp/out")" "rule,count,share
official-to-webmail,1,33.3
reply-to-webmail,1,33.3
webmail-to-official,1,33.3"

# --- stats --by sender, address, gateway, week -------------------------------
check "stats --by week (ISO weeks, in date order)" "$($S --by week --format csv | tr -d '\r')" "week,count,share
2026-W09,1,14.3
2026-W10,6,85.7"
check "stats --by gateway" "$($S --by gateway --format csv | tr -d '\r')" "gateway,count,share
mx1.jk.gov.in,4,57.1
mx2.jk.gov.in,3,42.9"
check "stats --by sender (<> the null sender)" "$($S --by sender --format csv | tr -d '\r')" "sender,count,share
secy1@it.jk.gov.in,2,28.6
<>,1,14.3
bulk@mailer.example.net,1,14.3
home@rediffmail.com,1,14.3
secy2@fin.jk.gov.in,1,14.3
secy9@jk.gov.in,1,14.3"
check "stats --by address" "$($S --by address --format json | head -2)" '{"address": "ravi@gmail.com", "count": 2, "share": 28.6}
{"address": "a.very.long.personal.address.for.testing.whole.tables.when.piped@zohomail.in", "count": 1, "share": 14.3}'
check "stats --by week, table" "$($S --by week --department 'Information Technology')" "week     count  share
2026-W09     1  25.0%
2026-W10     3  75.0%
total        4 100.0%"

# --- CSV: formulas neutralised, JSON and tables unchanged ---------------------
$L --format csv >"$tmp/csv"
contains "csv: =1+2 neutralised" "$tmp/csv" ",'=1+2,mx1.jk.gov.in,"
contains "csv: @SUM(1,1) neutralised inside its quotes" "$tmp/csv" ",\"'@SUM(1,1)\",mx2.jk.gov.in,"
contains "csv: +SUM(A1) neutralised" "$tmp/csv" ",'+SUM(A1),"
contains "csv: -2+3 neutralised" "$tmp/csv" ",'-2+3,"
contains "csv: a leading TAB neutralised" "$tmp/csv" "$(printf ",'\tTAB,")"
contains "csv: a leading CR neutralised inside its quotes" "$tmp/csv" "$(printf ",\"'\rCR\",")"
contains "csv: a department beginning with @" "$tmp/csv" ",'@Evil dept,"
contains "csv: a formula sign not first is left alone" "$tmp/csv" ',"plain, =not first",'
check "csv: hashes and times untouched" "$(grep -c "'[0-9a-f]\{64\}" "$tmp/csv")" 0
check "stats csv: the department neutralised" "$($S --format csv | tr -d '\r' | grep Evil)" "'@Evil dept,1,14.3"
$L --format json >"$tmp/out"
contains "json: the subject as stored" "$tmp/out" '"subject": "=1+2"'
contains "json: the department as stored" "$tmp/out" '"department": "@Evil dept"'
contains "table: the department as stored" "$tmp/ltty" " @Evil de… "

# --- the digest listing: recipients, period and counts -----------------------
status "digest listing" 0 "$OM" -c "$tmp/om.conf" digest --week 2026-W10
check "digest listing: every digest" "$(cat "$tmp/out")" "would send: Information Technology -> ciso.it@jk.gov.in
    period 2026-W10 (2026-03-02 to 2026-03-08); 3 violations (1 reject, 1 quarantine, 1 tag), 1 in 2026-W09
would send: Power Development -> iso.power@jk.gov.in
    period 2026-W10 (2026-03-02 to 2026-03-08); 0 violations, 0 in 2026-W09
would send: compliance digest -> compliance@jk.gov.in
    period 2026-W10 (2026-03-02 to 2026-03-08); 6 violations (2 reject, 1 quarantine, 2 tag, 1 log), 1 in 2026-W09
nothing was sent: use --send, or --output DIR to write the messages"
status "digest listing of a span" 0 "$OM" -c "$tmp/om.conf" digest --since 2026-02-27 --until 2026-03-03 --department 'Information Technology'
contains "a span: its dates and counts" "$tmp/out" "    period 2026-02-27 to 2026-03-03; 2 violations (1 reject, 1 tag), 0 in 2026-02-22 to 2026-02-26"

# --- a log that cannot be opened: the path and the user ----------------------
if [ "$(id -u)" -eq 0 ]; then
    user=nobody
    as_user() { setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups "$@"; }
else
    user=$(id -un)
    as_user() { "$@"; }
fi
uid=$(id -u "$user")
chmod 755 "$tmp"
pd="$tmp/perm"
mkdir "$pd"
cp "$OM" "$pd/om" # runnable by $user wherever the build tree is
cp "$db" "$pd/v.db"
chmod 600 "$pd/v.db"
chmod 555 "$pd"
status "log: a log the user may not read" 1 as_user "$pd/om" log --database "$pd/v.db"
contains "unreadable: path, user and the permission" "$tmp/err" \
    "log: cannot open the violation log $pd/v.db for reading as user $user (uid $uid): Permission denied (the file is mode 0600"
if grep -q -- "-shm" "$tmp/err"; then not_ok "unreadable: SQLite's -shm file not blamed" "$(cat "$tmp/err")"; else
    ok "unreadable: SQLite's -shm file not blamed"; fi
status "expire: a log the user may not write" 1 as_user "$pd/om" expire --before 2026-03-01 --database "$pd/v.db"
contains "expire: path, user and the permission" "$tmp/err" \
    "expire: cannot open the violation log $pd/v.db for writing as user $user (uid $uid): Permission denied"
chmod 755 "$pd"
chmod 644 "$pd/v.db"
chmod 555 "$pd"
status "log: readable, but no -shm file can be made" 1 as_user "$pd/om" log --database "$pd/v.db"
contains "no -shm: path, user, and why" "$tmp/err" "log: cannot open the violation log $pd/v.db for reading as user $user (uid $uid): "
contains "no -shm: the directory named" "$tmp/err" "($pd: Permission denied; SQLite creates the log's -shm file there; or read a copy with --database)"
chmod 755 "$pd"
chmod 666 "$pd/v.db"
chmod 555 "$pd"
status "expire: a writable file in a directory the user may not write" 1 as_user "$pd/om" expire --before 2026-03-01 --database "$pd/v.db"
contains "expire: the user and the directory" "$tmp/err" "as user $user (uid $uid): "
contains "expire: the -wal and -shm files" "$tmp/err" "($pd: Permission denied; SQLite creates the log's -wal and -shm files there)"
chmod 755 "$pd"
chmod 777 "$pd"
status "expire: as the user, once the directory is writable" 0 as_user "$pd/om" expire --before 2026-03-01 --database "$pd/v.db"
status "expire: a missing log" 1 "$OM" expire --before 2026-03-01 --database "$tmp/absent.db"
contains "expire: a missing log named, with the user" "$tmp/err" "cannot open the violation log $tmp/absent.db for writing as user $(id -un) (uid $(id -u)): No such file or directory"
finish
