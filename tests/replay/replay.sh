#!/bin/sh
# replay.sh - `officialmail replay` (SPEC 12) on real mailbox files written
# by Python's mailbox module (make_mailboxes.py): mbox with "From " quoting,
# mboxrd, a truncated last message, a non-UTF-8 header, a message without
# Return-Path, Maildir, .eml files and directories; results trusted only
# from this gateway's Authentication-Results; --json agreeing with
# `officialmail test`; --compare between a monitor and an enforce
# configuration; the log never written.
. "$top_srcdir/tests/lib.sh"
PY=/usr/bin/python3
[ -x "$PY" ] || { not_ok "python3 is installed"; finish; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
enforce="$tmp/enforce.conf"
monitor="$tmp/monitor.conf"
db="$tmp/violations.db"
local_conf "$top_srcdir/tests/data/milter/officialmail.conf" "$enforce" "$db"
printf 'gateway_name = "mx1.test.example";\n' >>"$enforce"
sed 's/^mode = "enforce";/mode = "monitor";/' "$enforce" >"$monitor"
mkdir "$tmp/boxes"
"$PY" "$top_srcdir/tests/replay/make_mailboxes.py" "$tmp/boxes" || { not_ok "the mailboxes were written"; finish; exit 1; }
B=$tmp/boxes

# jfield FILE N KEY... - a value of the Nth JSON line (Python walks KEYs: names or indexes).
jfield() {
    "$PY" - "$@" <<'EOF'
import json, sys
line = open(sys.argv[1], encoding="utf-8").read().splitlines()[int(sys.argv[2]) - 1]
v = json.loads(line)
for k in sys.argv[3:]:
    v = v[int(k)] if isinstance(v, list) else v.get(k)
print(json.dumps(v) if isinstance(v, (dict, list)) else v)
EOF
}

# --- an mbox: counts, From quoting, the non-UTF-8 message, results -------------
"$OM" -c "$enforce" replay "$B/box.mbox" >"$tmp/out" 2>"$tmp/err"
check "mbox: exit status 0" "$?" 0
contains "mbox: six messages, all judged (body lines 'From ...' split nothing)" "$tmp/out" \
    "messages: 6 read, 6 judged, 0 malformed"
contains "only one message has this gateway's Authentication-Results" "$tmp/out" \
    "spoofed-official not judged (no Authentication-Results of mx1.test.example): 5 messages"
got=$(grep -E '^  (official-to-webmail|webmail-to-official|reply-to-webmail|spoofed-official) ' "$tmp/out" | tr -s ' ')
check "violations by rule" "$got" " official-to-webmail 2
 webmail-to-official 1
 reply-to-webmail 0
 spoofed-official 1"
contains "messages by action: the two to webmail and the spoofed one refused" "$tmp/out" \
    "  reject                                    3"
contains "violations by department" "$tmp/out" "  Information Technology"
check "nothing on standard error" "$(cat "$tmp/err")" ""

"$OM" -c "$enforce" replay --json "$B/box.mbox" >"$tmp/json" 2>"$tmp/err"
check "--json: one object a message" "$(wc -l <"$tmp/json" | tr -d ' ')" 6
if "$PY" -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]' "$tmp/json"; then
    ok "--json: every line is valid JSON (and UTF-8), the Latin-1 header included"
else
    not_ok "--json: every line is valid JSON" "$(cat "$tmp/json")"
fi
check "the message without Return-Path: its From is the envelope sender" \
    "$(jfield "$tmp/json" 3 envelope_sender)" "it-cell@jk.gov.in"
check "... and it is judged: its webmail To recipient refused" \
    "$(jfield "$tmp/json" 3 decision recipients 0)" '{"address": "vendor@yahoo.co.in", "action": "reject"}'
check "the non-UTF-8 message: webmail-to-official on its display name" \
    "$(jfield "$tmp/json" 4 decision violations 0 reasons)" '["display-name"]'
check "our Authentication-Results (spf=fail): spoofed-official judged and refused" \
    "$(jfield "$tmp/json" 5 decision violations 0 rule) $(jfield "$tmp/json" 5 spoofed_official_judged)" \
    "spoofed-official True"
check "another server's results: spoofed-official not judged" \
    "$(jfield "$tmp/json" 6 decision action) $(jfield "$tmp/json" 6 spoofed_official_judged)" \
    "accept False"

# The same facts through `officialmail test` give the same decision.
sed -n '2,/^$/p' "$B/box.mbox" >"$tmp/m1.eml"
t=$("$OM" -c "$enforce" test --json --mail-from '<secy-it@jk.gov.in>' --rcpt '<contractor@gmail.com>' \
    "$tmp/m1.eml")
check "replay and officialmail test agree on a message" "$(jfield "$tmp/json" 1 decision)" "$t"
check "replay never writes the log" "$(ls "$db" 2>/dev/null)" ""

# --- mboxrd quoting, a truncated last message ------------------------------------
"$OM" -c "$enforce" replay "$B/rd.mbox" >"$tmp/out" 2>"$tmp/err"
contains "mboxrd: '>>From' and '>From' body lines split nothing" "$tmp/out" \
    "messages: 2 read, 2 judged, 0 malformed"
"$OM" -c "$enforce" replay "$B/trunc.mbox" "$B/box.mbox" >"$tmp/out" 2>"$tmp/err"
check "a truncated message: exit status still 0" "$?" 0
contains "the truncated message is counted, and the run goes on to the next source" "$tmp/out" \
    "messages: 9 read, 8 judged, 1 malformed"
contains "the truncated message is named, with its place" "$tmp/err" \
    "trunc.mbox:3 (line 24): truncated: it ends inside its header section (not judged)"

# --- Maildir, .eml files, directories ----------------------------------------------
"$OM" -c "$enforce" replay "$B/Maildir" >"$tmp/out" 2>"$tmp/err"
contains "a Maildir: its new/ and cur/ messages" "$tmp/out" "messages: 2 read, 2 judged, 0 malformed"
"$OM" -c "$enforce" replay "$B/eml/a.eml" >"$tmp/out" 2>&1
contains "one .eml file" "$tmp/out" "messages: 1 read, 1 judged, 0 malformed"
"$OM" -c "$enforce" replay "$B" >"$tmp/out" 2>"$tmp/err"
contains "a directory of them all (box, rd, trunc, Maildir, eml/)" "$tmp/out" \
    "messages: 16 read, 14 judged, 2 malformed"
contains "the empty file is named" "$tmp/err" "eml/empty.eml: no header fields (not judged)"
"$OM" -c "$enforce" replay "$tmp/missing.mbox" "$B/eml/a.eml" >"$tmp/out" 2>"$tmp/err"
check "a source that cannot be read: exit status 1" "$?" 1
contains "... named, and the other sources still judged" "$tmp/out" "messages: 1 read, 1 judged"
contains "... with the reason" "$tmp/err" "missing.mbox: cannot read: No such file or directory"

# --- --compare: monitor now, enforce next -----------------------------------------
"$OM" -c "$monitor" replay --compare "$enforce" "$B/box.mbox" >"$tmp/out" 2>"$tmp/err"
check "--compare: exit status 0" "$?" 0
contains "--compare: four decisions differ" "$tmp/out" "decisions that differ: 4"
contains "--compare: the official mail to gmail, before -> after" "$tmp/out" \
    "box.mbox:1 (line 1): Message-ID <m1@jk.gov.in>, sender secy-it@jk.gov.in, recipients contractor@gmail.com: log (contractor@gmail.com accept) -> reject (contractor@gmail.com reject)"
contains "--compare: the message without Return-Path" "$tmp/out" \
    "Message-ID <m3@jk.gov.in>, sender it-cell@jk.gov.in, recipients vendor@yahoo.co.in,a@it.jk.gov.in: log (vendor@yahoo.co.in accept) -> reject (vendor@yahoo.co.in reject)"
contains "--compare: the impersonation, quarantined when enforced" "$tmp/out" \
    "Message-ID <m4@mail.gmail.com>, sender officer.home@gmail.com, recipients deputy@it.jk.gov.in: log (deputy@it.jk.gov.in accept) -> quarantine (deputy@it.jk.gov.in quarantine)"
check "--compare: the clean messages are not listed" "$(grep -c 'm2@jk.gov.in\|m6@relay' "$tmp/out")" 0
contains "--compare: counts before and after" "$tmp/out" \
    "  log                                       4          0"
"$OM" -c "$monitor" replay --compare "$enforce" --json "$B/box.mbox" >"$tmp/json"
check "--compare --json: which differ" \
    "$(for i in 1 2 3 4 5 6; do jfield "$tmp/json" $i differs; done | tr '\n' ' ')" \
    "True False True True True False "
"$OM" -c "$enforce" replay --compare "$enforce" "$B/box.mbox" >"$tmp/out"
contains "--compare with itself: nothing differs" "$tmp/out" "decisions that differ: 0"

# --- arguments ------------------------------------------------------------------
"$OM" -c "$enforce" replay >"$tmp/out" 2>&1
check "no SOURCE: exit status 2" "$?" 2
"$OM" -c "$enforce" replay --bogus x >"$tmp/out" 2>&1
check "an unknown option: exit status 2" "$?" 2
"$OM" help replay >"$tmp/out"
contains "help replay" "$tmp/out" "--compare OTHER"
"$OM" -c "$tmp/none.conf" replay "$B/box.mbox" >"$tmp/out" 2>&1
check "an unreadable configuration: exit status 1" "$?" 1
finish
