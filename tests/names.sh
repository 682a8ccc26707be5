#!/bin/sh
# names.sh - names are data (SPEC 5b): the reference configuration with its
# departments renamed to hold quotes, backslashes, '<', '&' and non-ASCII
# loads, and every output shows the names intact and escaped for its own
# syntax: `test --json`, the SMTP replies, the tag header and the hold
# reason through the real milter, its log line, `log --format
# json|csv|table` and the digest (the structured ones read back with
# Python's own parsers). A name with a line break is refused with file:line.
. "$top_srcdir/tests/lib.sh"
PY=/usr/bin/python3
tmp=$(mktemp -d)
sock="unix:$tmp/milter.sock"
log="$tmp/milter.log"
MILTER_PID=
trap '[ -n "$MILTER_PID" ] && kill "$MILTER_PID" 2>/dev/null; [ -n "$KEEP" ] || rm -rf "$tmp"' EXIT

HFW='Health & Family Welfare "HFW"'
POWER='Power \ Énergie <PDD> & "J&K"'
DEFAULT='Non assigné "défaut" <&> \ ok'
TICKET='CR-2211 "urgent" <&> \ é'
export HFW POWER DEFAULT TICKET

# The reference configuration, renamed (libconfig escapes '"' and '\'):
# reply-to-webmail tags, and the refusals say 100% with quotes and an é.
cp "$top_srcdir/tests/data/configs/webmail-small.txt" "$tmp/"
"$PY" - "$top_srcdir/tests/data/configs/reference.conf" "$tmp/officialmail.conf" "$tmp/v.db" <<'PY'
import os, sys
src, dst, db = sys.argv[1:]
def lc(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'
text = open(src, encoding="utf-8").read()
for old, new in [
    ('"Information Technology"', lc(os.environ["HFW"])),
    ('"Power Development"', lc(os.environ["POWER"])),
    ('default_department = "unassigned"', 'default_department = ' + lc(os.environ["DEFAULT"])),
    ('"CR-2211"', lc(os.environ["TICKET"])),
    ('"/var/lib/officialmail/violations.db"', lc(db)),
    ('reply-to-webmail    = { action = "quarantine"; }', 'reply-to-webmail = { action = "tag"; }'),
    ('"Official mail may not be sent to private webmail accounts"',
     lc('Official mail: 100% "policy" <b> & \\ é')),
    ('spoofed-official    = { action = "reject"; }',
     'spoofed-official = { action = "reject"; message = ' + lc('Spoofed: 50% "J&K"') + '; }'),
]:
    assert old in text, old
    text = text.replace(old, new)
open(dst, "w", encoding="utf-8").write(text)
PY
conf="$tmp/officialmail.conf"

"$OM" -c "$conf" check-config >"$tmp/out" 2>"$tmp/err"
check "the renamed reference configuration loads" "$?" 0
check "... its one warning: the é of a reply goes out as '?'" "$(cat "$tmp/err")" \
    "warning: $conf:34: rules.official-to-webmail.message: SMTP replies are ASCII; each other character is sent as '?'"

# --- officialmail test --json: the names as JSON strings -------------------------
"$OM" -c "$conf" test --json --mail-from secy-it@jk.gov.in --rcpt x@gmail.com >"$tmp/t1.json"
"$OM" -c "$conf" test --json --now 2027-01-01T00:00:00Z --mail-from helpdesk@jk.gov.in \
    --rcpt c@gmail.com >"$tmp/t2.json"
"$OM" -c "$conf" test --json --mail-from x@jpdcl.jk.gov.in --rcpt y@gmail.com >"$tmp/t3.json"
got=$("$PY" -c '
import json, sys
for f in sys.argv[1:]:
    v = json.load(open(f, encoding="utf-8"))["violations"][0]
    print(v["department"], "|", v["exception_ticket"])' "$tmp/t1.json" "$tmp/t2.json" "$tmp/t3.json")
check "test --json: names and ticket intact" "$got" "$HFW | None
$DEFAULT | $TICKET
$POWER | None"
contains "test --json: the quotes escaped" "$tmp/t1.json" '"department": "Health & Family Welfare \"HFW\""'
contains "test --json: the backslash escaped" "$tmp/t3.json" '"department": "Power \\ Énergie <PDD> & \"J&K\""'
"$OM" -c "$conf" test --mail-from secy-it@jk.gov.in --rcpt x@gmail.com >"$tmp/t1.txt"
contains "test: the reply as it goes on the wire (ASCII)" "$tmp/t1.txt" \
    'reply:      550 5.7.1 <x@gmail.com>: Official mail: 100% "policy" <b> & \ ? (rule official-to-webmail)'

# --- through the milter -----------------------------------------------------------
if start_milter "$conf" "$sock" "$log"; then ok "milter starts"; else
    not_ok "milter starts" "$(cat "$log")"; finish; exit 1
fi
expect "RCPT refusal: ASCII, '%' doubled for libmilter, quotes kept" "$sock" \
'connect: continue
mail <secy-it@jk.gov.in>: continue
rcpt <x@gmail.com>: reply 550 5.7.1 <x@gmail.com>: Official mail: 100%% "policy" <b> & \ ? (rule official-to-webmail)
rcpt <y@jk.gov.in>: continue
eom: accept' <<'S'
connect mail.jk.gov.in 10.0.0.5
mail <secy-it@jk.gov.in>
rcpt <x@gmail.com>
rcpt <y@jk.gov.in>
header From: secy-it@jk.gov.in
eoh
queue-id N1
eom
S
expect "whole-message refusal: '%' doubled" "$sock" \
'connect: continue
mail <bounce@relay.example.net>: continue
rcpt <accounts@jk.gov.in>: continue
eom: reply 550 5.7.1 Spoofed: 50%% "J&K" (rule spoofed-official)' <<'S'
connect relay.example.net 198.51.100.7
mail <bounce@relay.example.net>
rcpt <accounts@jk.gov.in>
header From: Commissioner <commissioner@jk.gov.in>
eoh
queue-id N2
eom
S
expect "tag header: the name a quoted-string" "$sock" \
'connect: continue
mail <secy-it@jk.gov.in>: continue
rcpt <a@it.jk.gov.in>: continue
eom: addheader X-Officialmail-Violation  reply-to-webmail; department="Health & Family Welfare \"HFW\""; address=reply.here@gmail.com
eom: accept' <<'S'
connect mail.jk.gov.in 10.0.0.5
mail <secy-it@jk.gov.in>
rcpt <a@it.jk.gov.in>
header From: secy-it@jk.gov.in
header Reply-To: reply.here@gmail.com
eoh
queue-id N3
eom
S
"$MTCLIENT" "$sock" >"$tmp/n4.out" 2>&1 <<'S'
connect mail.jk.gov.in 10.0.0.5
mail <clerk@jk.gov.in>
rcpt <a@it.jk.gov.in>
header From: clerk@jk.gov.in
header Reply-To: r@gmail.com
eoh
queue-id N4
eom
S
# The header as the MTA writes it: name, colon, the value (its folds kept).
sed -n '/^eom: addheader /,/^eom: accept/p' "$tmp/n4.out" | sed '$d' |
    sed '1s/^eom: addheader X-Officialmail-Violation  /X-Officialmail-Violation: /' >"$tmp/n4.hdr"
printf '\n' >>"$tmp/n4.hdr"
got=$("$PY" -c '
import email, email.policy, sys
raw = open(sys.argv[1], "rb").read()
raw.decode("ascii")  # 7-bit on the wire
msg = email.message_from_bytes(raw, policy=email.policy.default)
assert not msg.defects, msg.defects
print(msg["X-Officialmail-Violation"])' "$tmp/n4.hdr" 2>&1)
check "tag header: a non-ASCII name in RFC 2047 words, decoded by Python's email" "$got" \
    'reply-to-webmail; department="Non assigné \"défaut\" <&> \\ ok"; address=r@gmail.com'
expect "hold reason: the name a quoted-string" "$sock" \
'connect: continue
mail <secyit.home@gmail.com>: continue
rcpt <a@it.jk.gov.in>: continue
eom: quarantine officialmail: webmail-to-official ("Health & Family Welfare \"HFW\"")
eom: accept' <<'S'
connect mail.example.org 10.0.0.5
mail <secyit.home@gmail.com>
rcpt <a@it.jk.gov.in>
header From: Someone <secyit.home@gmail.com>
eoh
queue-id N5
eom
S
expect "monitor-mode department: logged only" "$sock" \
'connect: continue
mail <x@jpdcl.jk.gov.in>: continue
rcpt <y@gmail.com>: continue
eom: accept' <<'S'
connect mail.jk.gov.in 10.0.0.5
mail <x@jpdcl.jk.gov.in>
rcpt <y@gmail.com>
header From: x@jpdcl.jk.gov.in
eoh
queue-id N6
eom
S
stop_milter
check "milter stops cleanly" "$MILTER_STATUS" 0

# The log line: key=value, the quotes and backslashes escaped, one line each.
contains "log line: HFW escaped" "$log" 'N1: violation '
contains "log line: HFW quoted" "$log" 'department="Health & Family Welfare \"HFW\""'
contains "log line: backslash and quotes escaped" "$log" 'department="Power \\ Énergie <PDD> & \"J&K\""'
contains "log line: default name" "$log" 'department="Non assigné \"défaut\" <&> \\ ok"'
contains "hold logged with the quoted name" "$log" 'N5: hold: officialmail: webmail-to-official ("Health & Family Welfare \"HFW\"")'
check "one log line per violation" "$(grep -c ': violation time=' "$log")" 6

# --- officialmail log --------------------------------------------------------------
"$OM" -c "$conf" log --format json >"$tmp/log.json" 2>"$tmp/err"
check "log --format json: exit 0" "$?" 0
"$OM" -c "$conf" log --format csv >"$tmp/log.csv" 2>"$tmp/err"
check "log --format csv: exit 0" "$?" 0
want=$(printf '%s\n' "$HFW" "$HFW" "$HFW" "$DEFAULT" "$DEFAULT" "$POWER" | sort)
got=$("$PY" -c '
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    print(json.loads(line)["department"])' "$tmp/log.json" | sort)
check "log json: every name intact" "$got" "$want"
got=$("$PY" -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")))
for r in rows:
    print(r["department"])' "$tmp/log.csv" | sort)
check "log csv (RFC 4180, read by Python's csv): every name intact" "$got" "$want"
contains "log csv: quotes doubled" "$tmp/log.csv" '"Health & Family Welfare ""HFW"""'
COLUMNS=300 "$OM" -c "$conf" log --format table >"$tmp/log.txt" 2>"$tmp/err"
check "log --format table: exit 0" "$?" 0
contains "log table: HFW as written" "$tmp/log.txt" "$HFW"
contains "log table: the other name as written" "$tmp/log.txt" "$POWER"
"$OM" -c "$conf" log --format json --department "$HFW" >"$tmp/hfw.json" 2>"$tmp/err"
check "log --department with the quoted name" "$(wc -l <"$tmp/hfw.json")" 3

"$OM" -c "$conf" stats --by department --format json >"$tmp/stats.json" 2>"$tmp/err"
got=$("$PY" -c '
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    g = json.loads(line)
    print(g["department"], g["count"])' "$tmp/stats.json" | sort)
check "stats --by department --format json: names intact" "$got" "$(printf '%s\n' "$HFW 3" "$DEFAULT 2" "$POWER 1" | sort)"

# --- the digest ---------------------------------------------------------------------
mkdir "$tmp/digest"
# The ISO week of the records (not of the clock now: a test may cross midnight).
week=$("$PY" -c '
import datetime, json, sys
t = json.loads(open(sys.argv[1], encoding="utf-8").readline())["time"]
y, w, _ = datetime.date.fromisoformat(t[:10]).isocalendar()
print("%d-W%02d" % (y, w))' "$tmp/log.json")
"$OM" -c "$conf" digest --week "$week" --output "$tmp/digest" \
    >"$tmp/out" 2>"$tmp/err"
check "digest --output: exit 0" "$?" 0
"$PY" "$top_srcdir/tests/digest/mimecheck.py" --html-dir "$tmp/digest" "$tmp"/digest/*.eml \
    >"$tmp/dump" 2>"$tmp/err"
check "digests pass Python's email parser and the MIME checks" "$?" 0
contains "digest: subject decoded with the name" "$tmp/dump" "Subject: $HFW: violation digest"
contains "digest: the non-ASCII name in a subject" "$tmp/dump" "Subject: $POWER: violation digest"
contains "digest text: the name intact" "$tmp/dump" "$HFW"
hfw_html=$(grep -l 'HFW' "$tmp"/digest/*.html | head -1)
contains "digest HTML: the name escaped" "$hfw_html" 'Health &amp; Family Welfare &quot;HFW&quot;'
if grep -qF 'Welfare "HFW"' "$hfw_html"; then
    not_ok "digest HTML: no unescaped quote of the name"
else ok "digest HTML: no unescaped quote of the name"; fi
contains "digest: the log command quotes the name for a shell" "$tmp/dump" \
    "--department 'Health & Family Welfare \"HFW\"'"

# --- what no syntax can hold: refused with file:line -------------------------------
printf 'official_domains = [ "jk.gov.in" ];\nwebmail_domains = [ ];\ndepartments = (\n  { name = "Health\\nX-Forged: yes"; }\n);\n' >"$tmp/nl.conf"
"$OM" -c "$tmp/nl.conf" check-config >"$tmp/out" 2>"$tmp/err"
check "a newline in a name: exit 1" "$?" 1
contains "a newline in a name: refused with file:line" "$tmp/err" \
    "$tmp/nl.conf:4: departments.name: U+000A is a control character"
"$MILTER" -n -c "$tmp/nl.conf" >"$tmp/out" 2>"$tmp/err"
check "officialmail-milter -n refuses it too" "$?" 1
finish
