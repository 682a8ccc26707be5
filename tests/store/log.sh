#!/bin/sh
# log.sh - `officialmail log` and `officialmail stats` (SPEC 7) on a known
# violation log written through store_append() by make_log: every filter,
# every format, every grouping, bad arguments and unreadable logs.
. "$top_srcdir/tests/lib.sh"
MAKE_LOG="$top_builddir/tests/store/make_log"
events="$top_srcdir/tests/data/store/events.txt"
require sqlite3 python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset COLUMNS # on a terminal of no known width, a table is 80 columns
db="$tmp/violations.db"
"$MAKE_LOG" "$db" "$events" || { not_ok "make_log wrote the log"; finish; exit 1; }
L="$OM log --database $db"
S="$OM stats --database $db"

# on_tty COLS CMDLINE - run CMDLINE (one shell command line) with its
# output on a pseudo-terminal COLS columns wide (script(1)); CRs removed.
on_tty() {
    script -qec "stty cols $1; $2" /dev/null </dev/null | tr -d '\r'
}

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

# count NAME SQL ARGS... - `log ARGS` prints as many records as SQL counts.
count() {
    name=$1 where=$2
    shift 2
    want=$(sqlite3 "$db" "SELECT count(*) FROM violations WHERE $where")
    got=$($L --format json "$@" | wc -l | tr -d ' ')
    check "$name: $want records" "$got" "$want"
}

# json_ok FILE - every line is one JSON object of strings, integers,
# decimals and null, and the whole file is valid UTF-8 (awk and iconv only).
json_ok() {
    iconv -f UTF-8 -t UTF-8 "$1" >/dev/null 2>&1 || return 1
    LC_ALL=C awk '
    BEGIN {
        s = "\"([^\"\\\\[:cntrl:]]|\\\\[\"\\\\/bfnrt]|\\\\u[0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F])*\""
        v = "(" s "|-?[0-9]+(\\.[0-9]+)?|null|\\[(" s "(, " s ")*)?\\])"
        re = "^\\{" s ": " v "(, " s ": " v ")*\\}$"
    }
    $0 !~ re { bad++ }
    END { exit bad > 0 || NR == 0 }' "$1"
}

# --- the checker itself: it must refuse what is not JSON ------------------
printf '{"a": "x\\u00e9\\n", "b": 1, "c": null, "d": 2.5, "e": [], "f": ["x", "y"]}\n' >"$tmp/j"
json_ok "$tmp/j" && ok "json_ok accepts JSON" || not_ok "json_ok accepts JSON"
for bad in '{"a": ["x",]}' '{"a": [1]}' '{"a": "x"' '{"a": "tab	in"}' '{"a": "\q"}' '{"a": x}' '{"a": "1"} trailing'; do
    printf '%s\n' "$bad" >"$tmp/j"
    json_ok "$tmp/j" && not_ok "json_ok refuses $bad" || ok "json_ok refuses $bad"
done
printf '{"a": "\377"}\n' >"$tmp/j"
json_ok "$tmp/j" && not_ok "json_ok refuses invalid UTF-8" || ok "json_ok refuses invalid UTF-8"

# --- table on a terminal: cut to its width (whole tables: tests/cli_log.sh) --
on_tty 80 "$L --since 2026-03-05T12:00:00Z" >"$tmp/out"
cat >"$tmp/want" <<'EOF'
    id time             departme… rule         action     address    sender
    23 2026-03-05 12:00 Finance   official-to… reject     home.acco… secy2@fin.…
    24 2026-03-05 13:00 Informat… webmail-to-… log        x@proton.… x@proton.me
    25 2026-03-06 06:30 Informat… official-to… reject     ravi.kuma… secy1@it.j…
    26 2026-03-06 08:45 Finance   spoofed-off… quarantine secy2@fin… bulk@maile…
    27 2026-03-06 10:15 Health    official-to… reject     home.acco… secy3@heal…
    28 2026-03-06 12:30 Informat… reply-to-we… tag        x@proton.… secy1@it.j…
    29 2026-03-06 14:45 Forêts e… official-to… reject     a.very.lo… secy4@fore…
    30 2026-03-06 18:00 Informat… official-to… reject     priya.s@y… secy1@it.j…
8 records
EOF
check "table at 80 columns" "$(cat "$tmp/out")" "$(cat "$tmp/want")"
on_tty 80 "$L" >"$tmp/out"
check "table: fills 80 columns, no more" "$(LC_ALL=C.UTF-8 wc -L <"$tmp/out" | tr -d ' ')" 80
check "table: count line" "$(tail -1 "$tmp/out")" "30 records"
contains "table: the null sender is <>" "$tmp/out" " <>"
on_tty 132 "$L --department 'Forêts et Environnement'" >"$tmp/out"
cat >"$tmp/want" <<'EOF'
    id time             department             rule                action     address                    sender
     6 2026-03-02 16:20 Forêts et Environneme… official-to-webmail log        priya.s@yahoo.co.in        secy4@forest.jk.gov.in
    13 2026-03-04 00:00 Forêts et Environneme… spoofed-official    quarantine secy4@forest.jk.gov.in     bulk@mailer.example.net
    22 2026-03-05 11:00 Forêts et Environneme… webmail-to-official tag        priya.s@yahoo.co.in        priya.s@yahoo.co.in
    29 2026-03-06 14:45 Forêts et Environneme… official-to-webmail reject     a.very.long.personal.addr… secy4@forest.jk.gov.in
4 records
EOF
check "table at COLUMNS=132, UTF-8 department" "$(cat "$tmp/out")" "$(cat "$tmp/want")"
check "table: one record" "$($L --since 2026-03-06T18:00:00Z | tail -1)" "1 record"
check "table: no record" "$(on_tty 80 "$L --queue-id NONE")" "    id time             departme… rule         action     address    sender
0 records"

# --- filters --------------------------------------------------------------
ids "--since DATE starts at midnight" "25 26 27 28 29 30" --since 2026-03-06
ids "--until DATE takes in the whole day" "1 2 3 4 5 6 7 8 9 10 11 12" --until 2026-03-03
ids "--since DATE is inclusive at 00:00:00" "13 14 15 16 17 18" --since 2026-03-04 --until 2026-03-04
ids "--until DATE-TIME is exclusive" "7 8 9 10 11" --since 2026-03-03T07:59:59Z --until 2026-03-03T23:59:59Z
ids "--since DATE-TIME is exact" "12 13" --since 2026-03-03T23:59:59Z --until 2026-03-04T00:00:01Z
ids "--until with a space and no seconds" "1" --until '2026-03-02 08:16'
count "--department" "department = 'Finance'" --department Finance
count "--department UTF-8" "department = 'Forêts et Environnement'" --department 'Forêts et Environnement'
for r in official-to-webmail webmail-to-official reply-to-webmail spoofed-official; do
    count "--rule $r" "rule = '$r'" --rule "$r"
done
for a in log tag quarantine reject exempt; do
    count "--action $a" "action = '$a'" --action "$a"
done
count "--sender (envelope or From)" \
    "envelope_sender = 'secy1@it.jk.gov.in' OR header_from = 'secy1@it.jk.gov.in'" \
    --sender secy1@it.jk.gov.in
ids "--sender matches the header From" "5 21" --sender SECY1@IT.JK.GOV.IN --rule spoofed-official
ids "--sender normalised (case, angle brackets)" "2 11 15 18 23" --sender '<Secy2@FIN.jk.gov.in>' --since 2026-03-01 --until 2026-03-05T23:00:00Z
ids "--sender '<>' is the null sender" "12" --sender '<>'
ids "--sender '' is the null sender" "12" --sender ''
count "--address" "address = 'x@proton.me'" --address x@proton.me
ids "--address normalised" "8" --address X@Proton.ME --action exempt
ids "--address not an address, domain lowercased" "" --address 'nobody@EXAMPLE..COM'
ids "every filter at once" "15" --since 2026-03-04 --until 2026-03-04 --department Finance \
    --rule official-to-webmail --action reject --sender secy2@fin.jk.gov.in \
    --address home.account@rediffmail.com
ids "--opt=VALUE" "29" --address=a.very.long.personal.address.for.testing.truncation@zohomail.in

# --- CSV ------------------------------------------------------------------
$L --format csv --since 2026-03-03T07:59:59Z --until 2026-03-03T08:00:00Z >"$tmp/out"
printf '%s\r\n%s\n%s\r\n' \
    'id,time,queue_id,message_id,rule,reasons,action,intended_action,mode,exception_ticket,department,envelope_sender,header_from,address,recipients,client_ip,client_name,auth_user,spf,dkim,subject,gateway,prev_hash,hash' \
    '7,2026-03-03T07:59:59Z,4Q0259X,<m7@fin.jk.gov.in>,webmail-to-official,display-name,tag,tag,enforce,,Finance,home.account@rediffmail.com,home.account@rediffmail.com,home.account@rediffmail.com,secy2@fin.jk.gov.in,10.1.1.7,ws7.fin.jk.gov.in,,pass,fin.jk.gov.in=pass,"Budget, ""final"" draft' \
    'second line",mx1.jk.gov.in,3bbfb268699acf589dd8b966769d7130da02d8000964cffd8c04197415efcfbf,7601db896341a6bf677771ad0d52a3e80faf0f60613ffdaa186f5ee463154c7b' \
    >"$tmp/want"
if cmp -s "$tmp/out" "$tmp/want"; then ok "csv: quoting (comma, quote, newline) and CRLF"; else
    not_ok "csv: quoting (comma, quote, newline) and CRLF" "$(od -c "$tmp/out" | head -20)"; fi
$L --format csv >"$tmp/out"
# 31 CRLF-ended lines (header and 30 records); the subject's LF is inside quotes.
check "csv: one CRLF line per record" "$(tr -cd '\r' <"$tmp/out" | wc -c | tr -d ' ')" 31
check "csv: the bare LF is record 7's" "$(tr -d '\r' <"$tmp/out" | wc -l | tr -d ' ')" 32
check "csv: invalid UTF-8 kept as stored" "$(grep -c "$(printf 'caf\351 \377\376')" "$tmp/out")" 1
contains "csv: the exemption's ticket" "$tmp/out" ",exempt,reject,enforce,CHG-1018,Finance,"

# --- JSON -----------------------------------------------------------------
$L --format json >"$tmp/out"
check "json: one line per record" "$(wc -l <"$tmp/out" | tr -d ' ')" 30
if json_ok "$tmp/out"; then ok "json: every line is valid JSON and UTF-8"; else
    not_ok "json: every line is valid JSON and UTF-8"; fi
if python3 -c 'import json, sys
for line in sys.stdin.buffer: json.loads(line.decode("utf-8"))' <"$tmp/out"; then
    ok "json: python3 parses every line"; else not_ok "json: python3 parses every line"; fi
check "json: record 1 exactly" "$(head -1 "$tmp/out")" '{"id": 1, "time": "2026-03-02T08:15:00Z", "queue_id": "4Q0037X", "message_id": "<m1@it.jk.gov.in>", "rule": "official-to-webmail", "reasons": [], "action": "reject", "intended_action": "reject", "mode": "enforce", "exception_ticket": null, "department": "Information Technology", "envelope_sender": "secy1@it.jk.gov.in", "header_from": "secy1@it.jk.gov.in", "address": "ravi.kumar@gmail.com", "recipients": "ravi.kumar@gmail.com", "client_ip": "10.1.0.1", "client_name": "ws1.it.jk.gov.in", "auth_user": "secy1@it.jk.gov.in", "spf": "pass", "dkim": "it.jk.gov.in=pass", "subject": "Report 1", "gateway": "mx1.jk.gov.in", "prev_hash": "0000000000000000000000000000000000000000000000000000000000000000", "hash": "5ac5f9f52ea29fe7d70310284e41d8f3ef39e90a02b2e8f854c1cdcada5f593b"}'
contains "json: newline and quotes escaped" "$tmp/out" '"subject": "Budget, \"final\" draft\nsecond line"'
contains "json: invalid UTF-8 as U+FFFD" "$tmp/out" '"subject": "caf\ufffd \ufffd\ufffd"'
contains "json: a ticket is a string" "$tmp/out" '"exception_ticket": "CHG-1008"'
check "json: no ticket is null" "$(grep -c '"exception_ticket": null' "$tmp/out")" 28
check "json: the null sender" "$(grep -c '"envelope_sender": ""' "$tmp/out")" 1
status "json: no record prints nothing" 0 $L --format json --rule spoofed-official --action exempt
check "json: no record, no line" "$(cat "$tmp/out")" ""

# --- the configuration's database, -c before or after the subcommand -------
local_conf "$top_srcdir/tests/data/samples/officialmail.conf" "$tmp/om.conf" "$db"
$L --format csv >"$tmp/want"
status "log -c FILE (after)" 0 "$OM" log -c "$tmp/om.conf" --format csv
if cmp -s "$tmp/out" "$tmp/want"; then ok "-c after: the configuration's database"; else
    not_ok "-c after: the configuration's database"; fi
status "log -c FILE (before)" 0 "$OM" -c "$tmp/om.conf" log --format=csv
if cmp -s "$tmp/out" "$tmp/want"; then ok "-c before: the configuration's database"; else
    not_ok "-c before: the configuration's database"; fi
status "--database wins over the configuration" 1 "$OM" log -c "$tmp/om.conf" --database "$tmp/none.db"

# --- reading never waits for the writer (WAL) ------------------------------
# The writer holds its lock until told to let go: log and stats must finish
# while it still holds it (no clock involved: a loaded machine is slow).
(printf 'BEGIN IMMEDIATE;\nUPDATE meta SET value = value;\n'
    i=0
    while [ ! -f "$tmp/release" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
    printf 'COMMIT;\n') | sqlite3 -cmd '.timeout 10000' "$db" & # waits out the probe below
writer=$!
wait_locked "$db" 100
status "log while a writer holds the lock" 0 $L --format json
check "log while a writer holds the lock: all records" "$(wc -l <"$tmp/out" | tr -d ' ')" 30
status "stats while a writer holds the lock" 0 $S
if sqlite3 -cmd '.timeout 0' "$db" 'BEGIN IMMEDIATE; ROLLBACK;' >/dev/null 2>&1; then
    not_ok "log and stats finished while the writer still held its lock"
else
    ok "log and stats finished while the writer still held its lock"
fi
touch "$tmp/release"
wait "$writer"

# --- stats ----------------------------------------------------------------
status "stats (by department)" 0 $S
cat >"$tmp/want" <<'EOF'
department              count  share
Information Technology     14  46.7%
Finance                     7  23.3%
Health                      5  16.7%
Forêts et Environnement     4  13.3%
total                      30 100.0%
EOF
check "stats by department" "$(cat "$tmp/out")" "$(cat "$tmp/want")"
cat >"$tmp/want" <<'EOF'
action     count  share
reject        13  43.3%
tag            7  23.3%
log            4  13.3%
quarantine     4  13.3%
exempt         2   6.7%
total         30 100.0%
EOF
check "stats by action (ties by name)" "$($S --by action)" "$(cat "$tmp/want")"
cat >"$tmp/want" <<'EOF'
rule                count  share
official-to-webmail    15  50.0%
webmail-to-official     6  20.0%
spoofed-official        5  16.7%
reply-to-webmail        4  13.3%
total                  30 100.0%
EOF
check "stats by rule" "$($S --by rule)" "$(cat "$tmp/want")"
cat >"$tmp/want" <<'EOF'
day        count  share
2026-03-03     2  22.2%
2026-03-04     2  22.2%
2026-03-05     2  22.2%
2026-03-06     3  33.3%
total          9 100.0%
EOF
check "stats by day, in date order" "$($S --by day --since 2026-03-03 --sender secy1@it.jk.gov.in)" "$(cat "$tmp/want")"
printf 'rule,count,share\r\nofficial-to-webmail,5,45.5\r\nwebmail-to-official,3,27.3\r\nspoofed-official,2,18.2\r\nreply-to-webmail,1,9.1\r\n' >"$tmp/want"
$S --by rule --format csv --department 'Information Technology' --until 2026-03-05 >"$tmp/out"
if cmp -s "$tmp/out" "$tmp/want"; then ok "stats csv"; else not_ok "stats csv" "$(cat "$tmp/out")"; fi
$S --format json --by department --rule official-to-webmail >"$tmp/out"
check "stats json" "$(cat "$tmp/out")" '{"department": "Information Technology", "count": 7, "share": 46.7}
{"department": "Finance", "count": 4, "share": 26.7}
{"department": "Forêts et Environnement", "count": 2, "share": 13.3}
{"department": "Health", "count": 2, "share": 13.3}'
if json_ok "$tmp/out"; then ok "stats json is valid"; else not_ok "stats json is valid"; fi
for by in department rule action day; do
    got=$($S --by $by --format csv | tail -n +2 | awk -F, '{ n += $(NF - 1) } END { print n }')
    check "stats --by $by counts every record" "$got" 30
done
check "stats: nothing matches" "$($S --queue-id NONE)" "department count  share
total          0      -"

# --- bad arguments: exit 2 and a clear message ------------------------------
status "log: bad --rule" 2 $L --rule official-to-gmail
contains "bad --rule: the nearest rule" "$tmp/err" 'log: no rule named "official-to-gmail"; did you mean "official-to-webmail"?'
status "log: bad --action" 2 $L --action accept
contains "bad --action lists the actions" "$tmp/err" 'log: no action named "accept" (known: "log", "tag", "quarantine", "reject", "exempt")'
status "log: bad --format" 2 $L --format xml
contains "bad --format named" "$tmp/err" "'xml'"
status "log: bad --since" 2 $L --since 2026-02-30
contains "bad --since explained" "$tmp/err" "--since wants a date (YYYY-MM-DD)"
status "log: bad --until" 2 $L --until yesterday
status "log: --since after --until" 2 $L --since 2026-03-05 --until 2026-03-04
contains "--since after --until explained" "$tmp/err" "must come before --until"
status "log: option without value" 2 $L --rule
contains "missing value named" "$tmp/err" "option needs a value '--rule'"
status "log: unknown option" 2 $L --frob
status "log: --by is for stats" 2 $L --by day
status "log: extra argument" 2 $L extra
status "stats: bad --by" 2 $S --by month
contains "bad --by lists the keys" "$tmp/err" "--by wants one of department, rule, action, day, sender, address, gateway, week: 'month'"
status "stats: bad --rule" 2 $S --rule nope
status "help log" 0 "$OM" help log
contains "help log shows --format" "$tmp/out" "--format"
status "log --help" 0 $L --help
status "help stats" 0 "$OM" help stats
contains "help stats shows --by" "$tmp/out" "--by"

# --- unreadable logs: exit 1 ------------------------------------------------
status "log: missing database" 1 "$OM" log --database "$tmp/absent.db"
contains "missing database named" "$tmp/err" "absent.db"
if [ -e "$tmp/absent.db" ]; then not_ok "reading created no database"; else ok "reading created no database"; fi
echo "not a database" >"$tmp/text.db"
status "log: not a database" 1 "$OM" log --database "$tmp/text.db"
sqlite3 "$tmp/other.db" "CREATE TABLE t (x)"
status "log: a database that is not a log" 1 "$OM" log --database "$tmp/other.db"
contains "not a log explained" "$tmp/err" "not an officialmail violation log"
status "stats: missing database" 1 "$OM" stats --database "$tmp/absent.db"
status "log: missing configuration" 1 "$OM" log -c "$tmp/absent.conf"
finish
