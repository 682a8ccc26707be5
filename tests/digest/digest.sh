#!/bin/sh
# digest.sh - `officialmail digest` on a known violation log
# (tests/digest/events.txt): counts, ranking and trends, per-day and top
# lists, the event cap, lapsing exceptions, the hash chain line, an empty
# week, --skip-empty, --department, periods, a non-ASCII department, header
# and part injection attempts, the sendmail command run without a shell,
# and the arguments refused. Every message is judged by Python's email
# package (tests/digest/mimecheck.py).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/digest/lib.sh"
need_python

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
conf="$tmp/officialmail.conf"
digest_setup "$tmp" || { not_ok "the test log is written"; finish; exit 1; }

# run NAME ARGS... - the digest command; its output in $tmp/NAME.out/.err, status in $rc.
run() {
    name=$1
    shift
    "$OM" -c "$conf" digest --now "$NOW" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
    rc=$?
}

# --- week 2027-W10 into files ----------------------------------------------------
run w10 --week 2027-W10 --output "$tmp/w10"
check "W10: exit 0" "$rc" 0
check "W10: one file per department with digest_to, and the compliance digest" \
    "$(cd "$tmp/w10" && ls | tr '\n' ' ')" \
    "2027-W10-01-information-technology.eml 2027-W10-02-power-development.eml 2027-W10-03-forets-ecologie-environnement.eml 2027-W10-04-evil-script-alert-1-script-it-s-utf-8-q.eml 2027-W10-05-health-medical-education.eml 2027-W10-compliance.eml "
check "W10: files are 0640" "$(stat -c %a "$tmp/w10/2027-W10-compliance.eml")" 640
mkdir "$tmp/html"
if mimecheck --html-dir "$tmp/html" "$tmp"/w10/*.eml >"$tmp/w10.dump" 2>"$tmp/w10.problems"; then
    ok "W10: every message parses: two parts, the expected header fields, no defect, 7-bit, no script"
else
    not_ok "W10: the MIME check" "$(cat "$tmp/w10.problems")"
fi
section "$tmp/w10.dump" 01-information "text" >"$tmp/it.txt"
section "$tmp/w10.dump" 01-information "html" >"$tmp/it.html.txt"
section "$tmp/w10.dump" compliance "text" >"$tmp/comp.txt"
section "$tmp/w10.dump" compliance "html" >"$tmp/comp.html.txt"
section "$tmp/w10.dump" 02-power "text" >"$tmp/power.txt"

# Department: Information Technology.
has "IT: subject" "$tmp/w10.dump" "Subject: Information Technology: violation digest 2027-W10, 62 violations"
has "IT: both recipients" "$tmp/w10.dump" "To: ciso.it@jk.gov.in, deputy.ciso@it.jk.gov.in"
has "IT: From is digest_from" "$tmp/w10.dump" "From: officialmail <officialmail@jk.gov.in>"
has "IT: Date is the run's" "$tmp/w10.dump" "Date: Mon, 15 Mar 2027 07:00:00 +0000"
has "IT: total and trend" "$tmp/it.txt" "62 violations in 2027-W10; 2027-W09 had 40 (change: +22 (+55%))."
has "IT: rule official-to-webmail" "$tmp/it.txt" "  official-to-webmail            40         25  +15 (+60%)"
has "IT: rule webmail-to-official" "$tmp/it.txt" "  webmail-to-official            15         15  0"
has "IT: rule reply-to-webmail" "$tmp/it.txt" "  reply-to-webmail                7          0  new"
has "IT: action reject" "$tmp/it.txt" "  reject                         32         25  +7 (+28%)"
has "IT: action exempt" "$tmp/it.txt" "  exempt                          8          0  new"
got=$(sed -n '/^Violations per day/,/^$/p' "$tmp/it.txt" | awk 'NR > 1 && NF >= 4 {printf "%s ", $4}')
check "IT: per day Monday to Sunday" "$got" "5 12 9 15 11 2 8 "
got=$(sed -n '/^Senders with most/,/^$/p' "$tmp/it.txt" | awk 'NF == 2 {printf "%s=%s ", $2, $1}')
check "IT: senders ranked" "$got" \
    "secy-it@jk.gov.in=27 ram.kumar1987@gmail.com=15 it-ops@jk.gov.in=12 helpdesk@jk.gov.in=8 "
got=$(sed -n '/^Offending addresses/,/^$/p' "$tmp/it.txt" | awk 'NF == 2 {printf "%s=%s ", $2, $1}')
check "IT: offending addresses ranked" "$got" \
    "contractor.raj@gmail.com=20 ram.kumar1987@gmail.com=15 vendor.x@yahoo.com=12 citizen.help@gmail.com=8 secy.personal@gmail.com=7 "
has "IT: events capped at 50" "$tmp/it.txt" "Events (50 of 62, in the order recorded)"
check "IT: 50 events listed" "$(grep -c '^  2027-03-' "$tmp/it.txt")" 50
has "IT: the rest counted" "$tmp/it.txt" "  12 more events are not listed here. To list them all:"
has "IT: the log command for them" "$tmp/it.txt" \
    "    officialmail -c '$conf' log --since 2027-03-08T00:00:00Z --until 2027-03-15T00:00:00Z --department 'Information Technology'"
got=$("$OM" -c "$conf" log --since 2027-03-08T00:00:00Z --until 2027-03-15T00:00:00Z \
    --department 'Information Technology' --format json 2>&1 | wc -l)
check "IT: that command lists all 62" "$got" 62
has "IT: an exempt event names its ticket" "$tmp/it.txt" "  2027-03-08 10:21  exempt (CR-2211)  official-to-webmail"
has "IT: its exception lapsing in 6 days" "$tmp/it.txt" "  CR-3001: lapses at the end of 2027-03-20 (in 6 days)"
has "IT: what it covers" "$tmp/it.txt" \
    "    sender @it.jk.gov.in, recipient *, rules official-to-webmail; reason: vendor migration"
has "IT: an exception for every sender, in 11 days" "$tmp/it.txt" "  CR-4000: lapses at the end of 2027-03-25 (in 11 days)"
lacks "IT: not another department's exception" "$tmp/it.txt" "CR-2999"
lacks "IT: not one lapsing in 17 days" "$tmp/it.txt" "CR-2211: lapse"
lacks "IT: not one that lapsed long ago" "$tmp/it.txt" "CR-1000"
lacks "IT: not one without expiry" "$tmp/it.txt" "CR-5000"
has "IT: the hash chain verified" "$tmp/it.txt" \
    "Violation log: the hash chain verified at 2027-03-15T07:00:00Z: 138 records intact, ids 1 to 138, head hash $(grep -o 'head hash [0-9a-f]*' "$tmp/it.txt" | cut -c11-)."
has "IT HTML: the department" "$tmp/it.html.txt" "Information Technology"
has "IT HTML: the trend tile" "$tmp/it.html.txt" "▲ +22 (+55%)"
has "IT HTML: a rule row with its trend" "$tmp/it.html.txt" "official-to-webmail 40 25 ▲ +15 (+60%)"

# Power Development: fewer than the week before, its lapsed exception.
has "Power: total and trend" "$tmp/power.txt" "3 violations in 2027-W10; 2027-W09 had 10 (change: -7 (-70%))."
has "Power: monitor mode counted as log" "$tmp/power.txt" "  log                             3         10  -7 (-70%)"
has "Power: the exception that lapsed in the period" "$tmp/power.txt" \
    "  CR-2999: lapsed at the end of 2027-03-10 (4 days ago)"

# Compliance: every department ranked with its trend, the unassigned events.
has "compliance: subject" "$tmp/w10.dump" "Subject: Compliance: violation digest 2027-W10, 79 violations"
has "compliance: to compliance_digest_to" "$tmp/w10.dump" "To: compliance@jk.gov.in"
has "compliance: total and trend" "$tmp/comp.txt" "79 violations in 2027-W10; 2027-W09 had 57 (change: +22 (+39%))."
has "compliance: unassigned" "$tmp/comp.txt" \
    'Unassigned events (default_department "unassigned"): 4 in 2027-W10, 1 in 2027-W09.'
sed -n '/^Departments, most violations first/,/^$/p' "$tmp/comp.txt" | sed -n '3,$p' | sed '/^$/d' |
    awk '{ printf "%s %s %s %s|", $1, $2, $3, $4 }' >"$tmp/ranks"
check "compliance: ranks, counts, trends" "$(cat "$tmp/ranks")" \
    "1 62 40 +22|2 5 5 0|3 3 10 -7|4 2 0 new|5 1 0 new|6 1 0 new|7 1 1 0|8 0 0 0|"
# The name column starts at byte 45 (what precedes it is ASCII).
got=$(sed -n '/^Departments, most violations first/,/^$/p' "$tmp/comp.txt" | sed -n '3,$p' |
    LC_ALL=C sed -E -e '/^$/d' -e 's/^.{44}//' -e 's/^(Evil[^ ]*).*/\1/' | tr '\n' '|')
check "compliance: departments in rank order (ties by name)" "$got" \
    "Information Technology|Forêts, Écologie & Environnement|Power Development|Evil|Evil��Bcc:|Former Department (not in the configuration)|Tourism|Health & Medical Education|"
has "compliance: a department no longer configured" "$tmp/comp.txt" \
    "     6          1          0  new           Former Department (not in the configuration)"
has "compliance: rule totals" "$tmp/comp.txt" "  official-to-webmail            48         36  +12 (+33%)"
has "compliance: action totals" "$tmp/comp.txt" "  reject                         41         27  +14 (+52%)"
got=$(sed -n '/^Violations per day/,/^$/p' "$tmp/comp.txt" | awk 'NR > 1 && NF >= 4 {printf "%s ", $4}')
check "compliance: per day" "$got" "8 13 12 18 14 5 9 "
has "compliance: the unassigned events listed" "$tmp/comp.txt" "Unassigned events (4 of 4, in the order recorded)"
check "compliance: only unassigned events listed" "$(grep -c '^  2027-03-' "$tmp/comp.txt")" 4
has "compliance: their log command" "$tmp/comp.txt" \
    "    officialmail -c '$conf' log --since 2027-03-08T00:00:00Z --until 2027-03-15T00:00:00Z --department 'unassigned'"
for x in CR-3001 CR-2999 CR-4000; do
    contains "compliance: every lapsing exception ($x)" "$tmp/comp.txt" "  $x: lapse"
done
has "compliance HTML: the ranked row" "$tmp/comp.html.txt" "3 Power Development 3 10 ▼ -7 (-70%)"

# Boundaries: the first and last second of a week count; the seconds outside do not.
section "$tmp/w10.dump" compliance text | grep -q "^     7          1          1  0             Tourism$" &&
    ok "boundaries: 00:00:00 counted in its week, 23:59:59 in the one before, outside ones not" ||
    not_ok "boundaries" "$(grep Tourism "$tmp/comp.txt")"

# --- a non-ASCII department name -------------------------------------------------
f="$tmp/w10/2027-W10-03-forets-ecologie-environnement.eml"
has "non-ASCII: the subject decodes" "$tmp/w10.dump" \
    "Subject: Forêts, Écologie & Environnement: violation digest 2027-W10, 5 violations"
contains "non-ASCII: sent as RFC 2047 encoded words" "$f" "Subject: =?UTF-8?B?"
section "$tmp/w10.dump" 03-forets text >"$tmp/fo.txt"
has "non-ASCII: the name in the text part" "$tmp/fo.txt" "Forêts, Écologie & Environnement"
has "non-ASCII: unchanged trend" "$tmp/fo.txt" "5 violations in 2027-W10; 2027-W09 had 5 (change: 0)."
contains "non-ASCII: a subject as logged, in Devanagari" "$tmp/fo.txt" "Rapport forestier — été 2027 (वन विभाग)"
section "$tmp/w10.dump" 03-forets html >"$tmp/fo.html.txt"
has "non-ASCII: in the HTML title band" "$tmp/fo.html.txt" "Forêts, Écologie & Environnement"

# --- injection attempts ----------------------------------------------------------
# The department is named "Evil <script>...</script> it's =?UTF-8?Q?Bcc:_x@evil.example?=
# --=_om_fake; Bcc: attacker@evil.example"; its events have subjects with CR LF,
# "Bcc:", a Content-Type, a boundary-like line, a lone "." and "From "; the log
# also holds a department named with CR LF (the configuration refuses those).
f="$tmp/w10/2027-W10-04-evil-script-alert-1-script-it-s-utf-8-q.eml"
has "injection: the subject is the name, literally (the =?...?= in it not decoded)" "$tmp/w10.dump" \
    "Subject: Evil <script>alert(1)</script> it's =?UTF-8?Q?Bcc:_x@evil.example?= --=_om_fake; Bcc: attacker@evil.example: violation digest 2027-W10, 2 violations"
check "injection: no Bcc, X-Injected or other extra field (all messages)" \
    "$(grep -ciE '^(bcc|x-injected|cc):' "$tmp"/w10/*.eml | grep -v ':0$')" ""
check "injection: exactly the two parts, one closing delimiter" \
    "$(grep -c '^--=_om_[0-9a-f]*$' "$f") $(grep -c '^--=_om_[0-9a-f]*--$' "$f")" "2 1"
check "injection: no fake boundary line" "$(grep -c '^--=_om_fake' "$f")" 0
check "injection: no line is a lone dot" "$(grep -c '^\.$' "$tmp"/w10/*.eml | grep -v ':0$')" ""
check "injection: no line starts with 'From '" "$(grep -c '^From ' "$tmp"/w10/*.eml | grep -v ':0$')" ""
section "$tmp/w10.dump" 04-evil html >"$tmp/evil.html.txt"
contains "injection: the name shown as text in HTML (the parser found no script element)" \
    "$tmp/evil.html.txt" "Evil <script>alert(1)</script> it's"
h="$tmp/html/2027-W10-04-evil-script-alert-1-script-it-s-utf-8-q.html"
contains "injection: <script> escaped in the HTML source" "$h" \
    "Evil &lt;script&gt;alert(1)&lt;/script&gt; it&#39;s =?UTF-8?Q?Bcc:_x@evil.example?= --=_om_fake; Bcc: attacker@evil.example"
check "injection: no script element in any HTML part" "$(grep -il '<script' "$tmp"/html/*.html)" ""
contains "injection: CR LF shown as U+FFFD in the subject as logged" "$tmp/w10.dump" \
    "subject: Hello��Bcc: attacker@evil.example��Content-Type: text/html����<script>alert(1)</script>��--=_om_��.��From me"
contains "injection: the quote shell-quoted in the log command" "$tmp/w10.dump" \
    "--department 'Evil <script>alert(1)</script> it'\\''s =?UTF-8?Q?Bcc:_x@evil.example?= --=_om_fake; Bcc: attacker@evil.example'"
contains "injection: a department name with CR LF, in the compliance ranking as text" "$tmp/comp.txt" \
    "Evil��Bcc: attacker@evil.example��X-Injected: yes����--=_om_fake��Content-Type: text/html����<script>alert(1)</script> (not in the configuration)"
contains "injection: an exception's reason escaped in HTML" "$tmp/html/2027-W10-compliance.html" \
    "reason: &lt;img src=x onerror=alert(1)&gt; &amp; co"

# --- an empty week, and --skip-empty -----------------------------------------------
run w12 --week 2027-W12 --output "$tmp/w12"
check "empty week: exit 0" "$rc" 0
check "empty week: still one digest each" "$(ls "$tmp/w12" | wc -l)" 6
mimecheck "$tmp"/w12/*.eml >"$tmp/w12.dump" 2>"$tmp/w12.problems" && ok "empty week: messages parse" ||
    not_ok "empty week: MIME check" "$(cat "$tmp/w12.problems")"
has "empty week: the subject says so" "$tmp/w12.dump" \
    "Subject: Information Technology: violation digest 2027-W12, no violations"
has "empty week: the department digest says so" "$tmp/w12.dump" \
    "No violations were recorded for this department in 2027-W12 (2027-W11: 0)."
has "empty week: the compliance digest too, with the week before" "$tmp/w12.dump" \
    "No violations were recorded in any department in 2027-W12 (2027-W11: 1)."
lacks "empty week: no tables in a short digest" "$tmp/w12.dump" "By rule"
has "empty week: the chain line still there" "$tmp/w12.dump" \
    "$(grep '^Violation log: the hash chain verified' "$tmp/it.txt")"
run skip12 --week 2027-W12 --output "$tmp/skip12" --skip-empty
check "--skip-empty, empty week: nothing written" "$rc $(ls "$tmp/skip12" | wc -l)" "0 0"
check "--skip-empty: each one said" "$(grep -c '^skipped (no violations): ' "$tmp/skip12.out")" 6
run skip10 --week 2027-W10 --output "$tmp/skip10" --skip-empty
check "--skip-empty, W10: only the department without violations left out" \
    "$(ls "$tmp/skip10" | wc -l) $(grep '^skipped' "$tmp/skip10.out")" \
    "5 skipped (no violations): Health & Medical Education -> iso.health@jk.gov.in"

# --- one department, periods, the default week -----------------------------------
run one --week 2027-W10 --department "Power Development" --output "$tmp/one"
check "--department: only its digest" "$rc $(ls "$tmp/one")" "0 2027-W10-02-power-development.eml"
run span --since 2027-03-08 --until 2027-03-14 --output "$tmp/span"
mimecheck "$tmp"/span/*01-information*.eml >"$tmp/span.dump" 2>&1
has "--since/--until: the period named by its dates" "$tmp/span.dump" \
    "Subject: Information Technology: violation digest 2027-W10 (2027-03-08 to 2027-03-14), 62 violations"
has "--since/--until: compared with the same length before" "$tmp/span.dump" \
    "62 violations in this period; the previous period had 40 (change: +22 (+55%))."
check "--since/--until: file names" "$(ls "$tmp/span" | head -1)" \
    "2027-03-08_to_2027-03-14-01-information-technology.eml"
"$OM" -c "$conf" digest --now 2027-03-15T00:00:00Z --output "$tmp/d1" >/dev/null 2>&1
check "default: Monday 00:00 -> the week just ended" "$(ls "$tmp/d1" | head -1 | cut -c1-8)" 2027-W10
"$OM" -c "$conf" digest --now 2027-03-14T23:59:59Z --output "$tmp/d2" >/dev/null 2>&1
check "default: Sunday 23:59:59 -> the week before" "$(ls "$tmp/d2" | head -1 | cut -c1-8)" 2027-W09
"$OM" -c "$conf" digest --now 2027-01-04T06:00:00Z --output "$tmp/d3" >/dev/null 2>&1
check "default: across a 53-week year" "$(ls "$tmp/d3" | head -1 | cut -c1-8)" 2026-W53
"$OM" -c "$conf" digest --now 2027-03-15T07:00:00Z --schedule Mon,Thu --output "$tmp/s1" >/dev/null 2>&1
check "--schedule Mon,Thu on a Monday: Thursday to Sunday" "$(ls "$tmp/s1" | head -1)" \
    "2027-03-11_to_2027-03-14-01-information-technology.eml"
mimecheck "$tmp"/s1/*01-information*.eml >"$tmp/s1.dump" 2>&1
has "--schedule: the subject names the ISO week and the days" "$tmp/s1.dump" \
    "Subject: Information Technology: violation digest 2027-W10 (2027-03-11 to 2027-03-14), 36 violations"
"$OM" -c "$conf" digest --now 2027-03-16T09:00:00Z --schedule Mon,Thu --output "$tmp/s2" >/dev/null 2>&1
check "--schedule Mon,Thu, a late run on Tuesday: the same days" "$(ls "$tmp/s2" | head -1)" \
    "2027-03-11_to_2027-03-14-01-information-technology.eml"
"$OM" -c "$conf" digest --now 2027-03-18T07:00:00Z --schedule mon,thursday --output "$tmp/s3" >/dev/null 2>&1
check "--schedule Mon,Thu on a Thursday: Monday to Wednesday" "$(ls "$tmp/s3" | head -1)" \
    "2027-03-15_to_2027-03-17-01-information-technology.eml"
"$OM" -c "$conf" digest --now 2027-03-15T07:00:00Z --schedule Monday --output "$tmp/s4" >/dev/null 2>&1
check "--schedule Monday: the ISO week" "$(ls "$tmp/s4" | head -1)" "2027-W10-01-information-technology.eml"
run list --week 2027-W10
check "without --send or --output: listed, nothing sent" "$rc $(grep -c '^would send' "$tmp/list.out")" "0 6"
sed '/^compliance_digest_to/d' "$conf" >"$tmp/nocomp.conf"
"$OM" -c "$tmp/nocomp.conf" digest --now "$NOW" --week 2027-W10 >"$tmp/nocomp.out" 2>&1
has "no compliance_digest_to: said, not silent" "$tmp/nocomp.out" \
    "no compliance digest: compliance_digest_to is not set"

# --- the sendmail command: no shell, its exit status, recipients without -t -------
cat >"$tmp/fake-sendmail" <<EOF
#!/bin/sh
# A sendmail that keeps its arguments and its input.
n=\$(ls "$tmp/sent" | wc -l)
printf '%s\n' "\$@" >"$tmp/sent/\$n.args"
cat >"$tmp/sent/\$n.msg"
EOF
chmod +x "$tmp/fake-sendmail"
mkdir "$tmp/sent"
set_sendmail "$conf" "$tmp/fake-sendmail -t -i;touch $tmp/pwned \$(touch $tmp/pwned2) >$tmp/pwned3"
run send --week 2027-W10 --send
check "--send: exit 0, six sent" "$rc $(grep -c '^sent: ' "$tmp/send.out")" "0 6"
check "--send: six messages on the command's input" "$(ls "$tmp"/sent/*.msg | wc -l)" 6
check "--send: words passed as they are, no shell" "$(cat "$tmp/sent/0.args")" \
    "-t
-i;touch
$tmp/pwned
\$(touch
$tmp/pwned2)
>$tmp/pwned3"
check "--send: nothing the shell would have run" "$(ls "$tmp" | grep -c pwned)" 0
mimecheck "$tmp"/sent/*.msg >/dev/null 2>"$tmp/sent.problems" && ok "--send: the messages parse" ||
    not_ok "--send: MIME check" "$(cat "$tmp/sent.problems")"
rm -f "$tmp"/sent/*
set_sendmail "$conf" "$tmp/fake-sendmail -i"
run send2 --week 2027-W10 --send --department "Information Technology"
check "--send without -t: the recipients as arguments after --" "$(cat "$tmp/sent/0.args")" \
    "-i
--
ciso.it@jk.gov.in
deputy.ciso@it.jk.gov.in"
set_sendmail "$conf" "/bin/false"
run fail --week 2027-W10 --send
check "a failing command: exit 1" "$rc" 1
has "a failing command: said for each digest" "$tmp/fail.err" "officialmail: digest: not sent: /bin/false exited with status 1"
check "a failing command: every digest tried" "$(grep -c 'not sent' "$tmp/fail.err")" 6
set_sendmail "$conf" "$tmp/no-such-sendmail -t -i"
run missing --week 2027-W10 --send --department "Information Technology"
has "a missing command: named, with the reason" "$tmp/missing.err" \
    "officialmail: digest: not sent: cannot run $tmp/no-such-sendmail: No such file or directory"
check "a missing command: exit 1" "$rc" 1

# --- the log: another database, a missing one, a broken chain ----------------------
run nodb --week 2027-W10 --database "$tmp/nothing.db"
check "a missing database: exit 1" "$rc" 1
contains "a missing database: said" "$tmp/nodb.err" "cannot open the violation log $tmp/nothing.db"
cp "$tmp/violations.db" "$tmp/tampered.db"
"$PYTHON" -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"UPDATE violations SET subject='edited' WHERE id=7\"); c.commit()" "$tmp/tampered.db"
run tampered --week 2027-W10 --database "$tmp/tampered.db" --department "Information Technology" --output "$tmp/tampered"
check "a broken chain: the digest still made" "$rc" 0
contains "a broken chain: warned on stderr" "$tmp/tampered.err" "hash chain did not verify"
mimecheck "$tmp"/tampered/*.eml >"$tmp/tampered.dump" 2>&1
contains "a broken chain: said in the digest, with the first bad id" "$tmp/tampered.dump" \
    "WARNING: the violation log's hash chain did NOT verify at 2027-03-15T07:00:00Z: first bad record id=7: "

# --- arguments ------------------------------------------------------------------------
for args in "--week 2027-W53" "--week 2027-10" "--week 2026-W54" "--since 2027-03-01" \
    "--week 2027-W10 --since 2027-03-01 --until 2027-03-02" "--send --output $tmp/x" \
    "--since 2027-03-10 --until 2027-03-01" "--since 2027-01-01 --until 2027-06-01" \
    "--department Nowhere" "--department Tourism" "--bogus" "--now yesterday" \
    "--schedule Mon,,Thu" "--schedule Funday" "--schedule Mon --week 2027-W10" "extra"; do
    # shellcheck disable=SC2086
    "$OM" -c "$conf" digest $args >/dev/null 2>"$tmp/args.err"
    check "refused with exit 2: $args" "$?" 2
done
contains "an extra operand: said" "$tmp/args.err" "unexpected argument 'extra'"
"$OM" -c "$conf" digest --department Tourism 2>"$tmp/t.err"
contains "--department Tourism: no digest_to" "$tmp/t.err" "department 'Tourism' has no digest_to"
"$OM" -c "$conf" digest --week=2026-W53 --output="$tmp/w53" >/dev/null 2>&1
check "--opt=VALUE spelling; 2026 has a week 53" "$?" 0
"$OM" help digest | grep -q -- "--skip-empty" && ok "help digest" || not_ok "help digest"
finish
