#!/bin/sh
# console.sh - `officialmail serve --central` (SPEC 11): the review console
# reading the central log. Two gateways ship records with the same ids;
# the console lists both, each id with its gateway, opens a record by
# (gateway, id), limits a department user to its department as the local
# console does, and verifies each gateway's chain (a tampered row shows as
# its gateway's broken chain). The held and department pages keep the same
# limit. Review marks go to the central log's review_marks, a chain per
# console role: appended and shown with the record, never editable (no
# UPDATE or DELETE for the console's role, checked in SQL), refused for a
# department user's tampered POST and, in the database, for a department
# console's role on another department's record; counted in the digests;
# a tampered mark is named by verify-log --central.
# Plain HTTP on loopback through /usr/bin/python3's urllib, no browser.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/pg/lib.sh"
. "$top_srcdir/tests/pg/gen.sh"
MAKE_LOG="$top_builddir/tests/store/make_log"
require psql setpriv awk /usr/bin/python3
[ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ] || {
    not_ok "prerequisite: PostgreSQL server" "no /usr/lib/postgresql/*/bin/initdb (sh contrib/install-deps.sh --test)"
    finish
    exit 1
}
tmp=$(mktemp -d)
SERVE_PID=
SERVE2_PID=
trap '[ -n "$SERVE_PID" ] && kill -TERM "$SERVE_PID" 2>/dev/null; [ -n "$SERVE2_PID" ] && kill -TERM "$SERVE2_PID" 2>/dev/null; pg_stop; rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
GW1=mx1.jk.gov.in
GW2=mx2.jk.gov.in

pg_start "$tmp/pg" && pg_central && pg_gateway "$GW1" && pg_gateway "$GW2" ||
    { not_ok "PostgreSQL with the central schema"; finish; exit 1; }
pg_psql om_owner "CREATE ROLE auditor LOGIN PASSWORD 'auditor-secret' IN ROLE officialmail_compliance" &&
    pg_pass auditor auditor-secret
check "central-schema --add-console prints its SQL, names quoted" \
    "$("$OM" central-schema --add-console "o'hq")" "SELECT officialmail_add_console('o''hq', '{}');"
check "central-schema --add-console --department: a department console" \
    "$("$OM" central-schema --add-console it --department Power)" \
    "SELECT officialmail_add_console('it', '{\"Power\"}');"
# The console's role (compliance, appends marks), and a department console's.
schema() { "$OM" central-schema --create --database "$(pg_conninfo om_owner)" "$@" >/dev/null; }
schema --add-console console_hq &&
    schema --add-console console_it --department "Information Technology" &&
    pg_psql om_owner "ALTER ROLE console_hq PASSWORD 'hq-secret'" \
        "ALTER ROLE console_it PASSWORD 'it-secret'" &&
    pg_pass console_hq hq-secret && pg_pass console_it it-secret ||
    not_ok "central-schema --add-console"
for n in 1 2; do
    gw=$(eval echo \$GW$n)
    local_conf "$top_srcdir/tests/data/samples/officialmail.conf" "$tmp/gw$n.conf" "$tmp/gw$n.db"
    cat >>"$tmp/gw$n.conf" <<EOC
gateway_name = "$gw";
central_database = "$(pg_conninfo "$gw")";
ship_state = "$tmp/gw$n.shipped";
release_command = "$tmp/fake-postsuper -H";
EOC
done
printf '#!/bin/sh\necho "$*" >>"%s/released"\n' "$tmp" >"$tmp/fake-postsuper"
chmod +x "$tmp/fake-postsuper"
# Odd ids are Information Technology's, even ones another department's (gen.sh);
# gateway 1's records 5 (IT) and 6 (the other) were held.
gen_records "$GW1" 1 6 | sed '5,6s/|action=reject|intended_action=reject/|action=quarantine|intended_action=quarantine/' |
    "$MAKE_LOG" "$tmp/gw1.db" -
gen_records "$GW2" 1 4 | "$MAKE_LOG" "$tmp/gw2.db" -
"$OM" ship -c "$tmp/gw1.conf" --once >/dev/null 2>&1 && "$OM" ship -c "$tmp/gw2.conf" --once >/dev/null 2>&1
check "both gateways shipped" "$(pg_psql om_owner "SELECT count(*) FROM violations")" 10

# The console's configuration: its users, and the central log read as the auditor.
conf="$tmp/console.conf"
local_conf "$top_srcdir/tests/data/samples/officialmail.conf" "$conf" "$tmp/none.db"
cat >>"$conf" <<EOC
console_users = "$tmp/console-users";
central_read_database = "$(pg_conninfo console_hq)";
EOC
echo alice-pw-1 | "$OM" -c "$conf" passwd alice --role compliance >/dev/null &&
    echo bob-pw-2 | "$OM" -c "$conf" passwd bob --role department \
        --department "Information Technology" >/dev/null ||
    not_ok "console users" "passwd failed"

# free_port - a loopback port nobody listens on now.
free_port() {
    /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
# start_serve CONF PORT LOG - serve --central in the background (its PID in
# STARTED_PID), waiting (bounded) until it listens or dies.
start_serve() {
    "$OM" -c "$1" serve --central --listen "127.0.0.1:$2" 2>"$3" &
    STARTED_PID=$!
    i=0
    until grep -q 'listening on' "$3" 2>/dev/null || [ $i -ge 100 ]; do
        kill -0 "$STARTED_PID" 2>/dev/null || break
        sleep 0.1
        i=$((i + 1))
    done
}
port=$(free_port)
start_serve "$conf" "$port" "$tmp/serve.log"
SERVE_PID=$STARTED_PID
contains "serve --central starts" "$tmp/serve.log" "listening on http://127.0.0.1:$port/"

# get USER OUT PATH [POSTBODY] - log USER in and fetch PATH: OUT.status and OUT.body.
cat >"$tmp/get.py" <<'EOP'
import http.cookiejar, os, re, sys, urllib.error, urllib.parse, urllib.request
port, user, pw, out, path = sys.argv[1:6]
post = sys.argv[6] if len(sys.argv) > 6 else None
base = "http://127.0.0.1:%s" % port
op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
page = op.open(base + "/login", timeout=30).read().decode()
csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
try:
    op.open(base + "/login", urllib.parse.urlencode(
        {"csrf": csrf, "user": user, "password": pw}).encode(), timeout=30).read()
except urllib.error.HTTPError as e:  # the overview's status is not what this checks
    sys.stderr.write("after login: %d %s\n" % (e.code, e.read().decode()[-300:]))
data = None
if post is not None:
    page = op.open(base + "/records", timeout=30).read().decode()
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    data = (post + "&csrf=" + (csrf.group(1) if csrf else "")).encode()
statuses = []
for _ in range(int(os.environ.get("REPEAT", "1"))):  # REPEAT: the same request again, one session
    try:
        r = op.open(base + path, data, timeout=30)
        status, body = r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        status, body = e.code, e.read().decode()
    statuses.append("%d\n" % status)
open(out + ".status", "w").write("".join(statuses))
open(out + ".body", "w").write(body)
EOP
get() {
    pw=alice-pw-1
    [ "$1" = bob ] && pw=bob-pw-2
    /usr/bin/python3 "$tmp/get.py" "$port" "$1" "$pw" "$tmp/$2" "$3" ${4:+"$4"} ||
        not_ok "request $3 as $1" "python failed"
}

# --- compliance: every gateway's records ----------------------------------------
get alice list /records
check "records: 200" "$(cat "$tmp/list.status")" 200
contains "records: both gateways' ten records counted" "$tmp/list.body" "10 records, page 1 of 1"
contains "records: gateway 1's record 1, shown with its gateway" "$tmp/list.body" \
    "<a href=\"/record/1?gateway=$GW1\">$GW1/1</a>"
contains "records: gateway 2's record 1 too (ids repeat across gateways)" "$tmp/list.body" \
    "<a href=\"/record/1?gateway=$GW2\">$GW2/1</a>"
get alice rec "/record/4?gateway=$GW2"
check "record: (gateway 2, 4) opens" "$(cat "$tmp/rec.status")" 200
contains "record: ...its own gateway's row" "$tmp/rec.body" "<dd id=\"field-gateway\">$GW2</dd>"
contains "record: ...its own queue id" "$tmp/rec.body" "<dd id=\"field-queue_id\">Q4</dd>"
contains "record: ...chained to the record before it" "$tmp/rec.body" "Chained to record 3"
contains "record: ...with the form appending a mark, naming its gateway" "$tmp/rec.body" \
    "<input type=\"hidden\" name=\"gateway\" value=\"$GW2\">"
get alice rec "/record/6?gateway=$GW2"
check "record: (gateway 2, 6) does not exist" "$(cat "$tmp/rec.status")" 404
get alice rec "/record/1"
check "record: no gateway is a 400 on the central log" "$(cat "$tmp/rec.status")" 400
get alice mark "/record/1/mark" "mark=reviewed&comment=x"
check "mark: without its gateway a 400 on the central log" "$(cat "$tmp/mark.status")" 400
get alice dig "/digest?week=2026-W10"
check "digest: the central log's week" "$(cat "$tmp/dig.status")" 200
contains "digest: ...with its departments" "$tmp/dig.body" "Information Technology"

# --- a department user: its department only ---------------------------------------
get bob list /records
contains "department: only its department's records, of both gateways (3 + 2)" \
    "$tmp/list.body" "5 records, page 1 of 1"
grep -q "record/2?gateway" "$tmp/list.body" && not_ok "department: no other department's record listed" ||
    ok "department: no other department's record listed"
get bob rec "/record/2?gateway=$GW1"
check "department: another department's central record is a 404" "$(cat "$tmp/rec.status")" 404
get bob rec "/record/3?gateway=$GW1"
check "department: its own department's central record opens" "$(cat "$tmp/rec.status")" 200

# --- held and department pages, limited as the records -----------------------------
get alice held /held
check "held: 200" "$(cat "$tmp/held.status")" 200
contains "held: both held records of the central log" "$tmp/held.body" "2 records, page 1 of 1"
contains "held: ...gateway 1's record 6 among them" "$tmp/held.body" \
    "<a href=\"/record/6?gateway=$GW1\">$GW1/6</a>"
get bob held /held
contains "held: a department user sees only its department's held record" "$tmp/held.body" \
    "1 record, page 1 of 1"
grep -q "record/6?gateway" "$tmp/held.body" && not_ok "held: not another department's" ||
    ok "held: not another department's"
get bob dept "/department?name=Information+Technology"
check "department page: its own, 200" "$(cat "$tmp/dept.status")" 200
contains "department page: ...its five records of both gateways" "$tmp/dept.body" \
    "5 records, page 1 of 1"
get bob dept "/department?name=Health+%26+Family+Welfare+%22HFW%22"
check "department page: another department's is a 404" "$(cat "$tmp/dept.status")" 404
get alice dept "/department?name=Health+%26+Family+Welfare+%22HFW%22"
contains "department page: compliance sees it, the name escaped" "$tmp/dept.body" \
    "<h1>Health &amp; Family Welfare &quot;HFW&quot;</h1>"

# --- review marks on the central log -------------------------------------------------
marks() { pg_psql om_owner "SELECT count(*) FROM review_marks"; }
get alice mark "/record/4/mark" "gateway=$GW2&mark=reviewed&comment=%3Cb%3Echecked%3C%2Fb%3E+%26+ok"
check "mark: appended, back on the record's page" "$(cat "$tmp/mark.status")" 200
contains "mark: shown with the record, its console and user, the comment escaped" "$tmp/mark.body" \
    "<td class=\"console\">console_hq</td><td>"
contains "mark: ...kind, user and comment" "$tmp/mark.body" \
    "<td class=\"mark\">reviewed</td><td>alice</td><td>&lt;b&gt;checked&lt;/b&gt; &amp; ok</td>"
get alice mark "/record/4/mark" "gateway=$GW2&mark=escalated&comment=second+look"
get alice mark "/record/1/mark" "gateway=$GW1&mark=escalated&comment=ask+IT"
get bob mark "/record/3/mark" "gateway=$GW1&mark=false-positive&comment=a+test+account"
check "mark: a department user marks its own department's record" "$(cat "$tmp/mark.status")" 200
check "mark: four marks, one chain" "$(pg_psql om_owner "SELECT string_agg(console || '/' || id || '/' || record_gateway || '/' || record_id || '/' || \"user\", ' ' ORDER BY id) FROM review_marks")" \
    "console_hq/1/$GW2/4/alice console_hq/2/$GW2/4/alice console_hq/3/$GW1/1/alice console_hq/4/$GW1/3/bob"
# Tampering: another department's record, by URL and by the POST's gateway.
get bob mark "/record/2/mark" "gateway=$GW1&mark=reviewed&comment=x"
check "mark: another department's record (URL) is a 404" "$(cat "$tmp/mark.status")" 404
get bob mark "/record/3/mark" "gateway=$GW2&mark=reviewed&comment=x"
check "mark: ...nor by changing the gateway: (gateway 2, 3) is IT's, so it is marked" \
    "$(cat "$tmp/mark.status")" 200
get bob mark "/record/4/mark" "gateway=$GW2&mark=reviewed&comment=x"
check "mark: (gateway 2, 4), another department's, by the POST's gateway, is a 404" \
    "$(cat "$tmp/mark.status")" 404
check "mark: ...and nothing was appended for the refused ones" "$(marks)" 5
get bob mark "/record/1/mark" "gateway=$GW1&mark=released&comment=x"
check "mark: released comes only from officialmail release" "$(cat "$tmp/mark.status")" 400
get bob rec "/record/4?gateway=$GW2"
check "mark: another department's marked record stays a 404 to it" "$(cat "$tmp/rec.status")" 404
get alice list /records
contains "records: the latest mark in the list" "$tmp/list.body" \
    "<td class=\"mark\">escalated</td></tr>"
# In the database: never edited, and refused on records the role cannot see.
sqlerr() { pg_psql "$@" 2>&1 >/dev/null && echo "no error"; }
contains_text() { case $2 in *"$3"*) ok "$1" ;; *) not_ok "$1" "got: $2" ;; esac; }
contains_text "SQL: the console's role cannot UPDATE a mark" \
    "$(sqlerr console_hq "UPDATE review_marks SET comment = 'edited'")" \
    "permission denied for table review_marks"
contains_text "SQL: the console's role cannot DELETE a mark" \
    "$(sqlerr console_hq "DELETE FROM review_marks")" "permission denied for table review_marks"
ins="INSERT INTO review_marks (console, id, time, record_gateway, record_id, mark, \"user\", comment, prev_hash, hash) VALUES"
contains_text "SQL: a department console cannot mark another department's record" \
    "$(sqlerr console_it "$ins ('console_it', 1, 't', '$GW1', 2, 'reviewed', 'u', 'c', 'p', 'h')")" \
    "violates row-level security policy"
contains_text "SQL: a console cannot write a released mark (only a gateway's release can)" \
    "$(sqlerr console_hq "$ins ('console_hq', 99, 't', '$GW1', 1, 'released', 'u', 'c', 'p', 'h')")" \
    "violates row-level security policy"
contains_text "SQL: ...nor write into another console's chain" \
    "$(sqlerr console_it "$ins ('console_hq', 6, 't', '$GW1', 3, 'reviewed', 'u', 'c', 'p', 'h')")" \
    "violates row-level security policy"
check "SQL: a department console sees only its department's records' marks" \
    "$(pg_psql console_it "SELECT count(*) FROM review_marks")" 3
check "SQL: a compliance reader sees every mark" "$(pg_psql auditor "SELECT count(*) FROM review_marks")" 5

# --- the digests count the central marks ---------------------------------------------
"$OM" -c "$conf" digest --central --week 2026-W10 --output "$tmp/digests" >"$tmp/digest.out" 2>&1
check "digest --central writes its digests" "$?" 0
it_eml=$(grep -l "^To: ciso.it@jk.gov.in" "$tmp"/digests/*.eml 2>/dev/null | head -1)
contains "digest --central: IT's records reviewed, three of five" "${it_eml:-/dev/null}" \
    "Review: 3 of 5 reviewed in the console."
contains "digest --central: its log command reads the central log" "${it_eml:-/dev/null}" \
    "log --central --since 2026-03-02T00:00:00Z"
get alice dig "/digest?week=2026-W10"
contains "digest page on central: all records, four reviewed (a record marked twice counts once)" \
    "$tmp/dig.body" "Review: 4 of 10 reviewed in the console."

# --- release --central: the gateway's released marks on its own chain ----------------
held7() { gen_records "$GW1" 7 1 | sed 's/|action=reject|intended_action=reject/|action=quarantine|intended_action=quarantine/'; }
held7 | "$MAKE_LOG" "$tmp/gw1.db" -
"$OM" -c "$tmp/gw1.conf" release Q7 --reason "not shipped yet" --central >"$tmp/out" 2>&1
check "release --central: a record not shipped yet is exit 1" "$?" 1
contains "release --central: ...saying so" "$tmp/out" "record 7 of $GW1 is not on the central log yet"
[ ! -e "$tmp/released" ] && ok "release --central: ...and nothing was released" ||
    not_ok "release --central: nothing released"
"$OM" -c "$tmp/gw1.conf" release Q5 --reason "checked <with> the sender" --central >"$tmp/out" 2>&1
check "release --central: a shipped held message (exit 0)" "$?" 0
check "release --central: ...released through release_command" "$(cat "$tmp/released")" "-H Q5"
check "release --central: ...its mark on the gateway's own chain" \
    "$(pg_psql om_owner "SELECT console || ' ' || id || ' ' || record_gateway || '/' || record_id || ' ' || mark FROM review_marks WHERE console <> 'console_hq'")" \
    "$GW1 1 $GW1/5 released"
get bob held /held
contains "release --central: the central held page shows it released" "$tmp/held.body" \
    "<td>Report 5</td><td class=\"mark\">released</td>"
contains_text "SQL: a gateway cannot mark another gateway's record" \
    "$(sqlerr "$GW1" "$ins ('$GW1', 2, 't', '$GW2', 4, 'released', 'u', 'c', 'p', 'h')")" \
    "violates row-level security policy"
contains_text "SQL: ...nor set a reviewer's mark" \
    "$(sqlerr "$GW1" "$ins ('$GW1', 2, 't', '$GW1', 6, 'reviewed', 'u', 'c', 'p', 'h')")" \
    "violates row-level security policy"

# --- verification of the marks ---------------------------------------------------------
"$OM" -c "$conf" verify-log --central >"$tmp/verify.out" 2>&1
check "verify-log --central: intact with marks" "$?" 0
contains "verify-log --central: one line for the console's chain" "$tmp/verify.out" \
    "marks: console=console_hq marks=5 first=1 last=5 head="
contains "verify-log --central: ...and one for the gateway's released marks" "$tmp/verify.out" \
    "marks: console=$GW1 marks=1 first=1 last=1 head="
# Each mark's hash recomputed in SQL from the documented form (chain.h): the
# SHA-256 of prev_hash (the mark before's hash, 64 zeros for the first) and
# "NAME=LENGTH:VALUE\n" for id, console, record_gateway, record_id, time,
# mark, user and comment.
rehash=$(cat <<'SQL'
SELECT count(*) FILTER (WHERE m.hash = encode(sha256(convert_to(m.prev_hash
    || 'id=' || octet_length(m.id::text) || ':' || m.id || E'\n'
    || 'console=' || octet_length(m.console) || ':' || m.console || E'\n'
    || 'record_gateway=' || octet_length(m.record_gateway) || ':' || m.record_gateway || E'\n'
    || 'record_id=' || octet_length(m.record_id::text) || ':' || m.record_id || E'\n'
    || 'time=' || octet_length(m.time) || ':' || m.time || E'\n'
    || 'mark=' || octet_length(m.mark) || ':' || m.mark || E'\n'
    || 'user=' || octet_length(m."user") || ':' || m."user" || E'\n'
    || 'comment=' || octet_length(m.comment) || ':' || m.comment || E'\n', 'UTF8')), 'hex')
    AND m.prev_hash = coalesce((SELECT p.hash FROM review_marks p
                                WHERE p.console = m.console AND p.id = m.id - 1), repeat('0', 64)))
    || '/' || count(*) FROM review_marks m
SQL
)
check "marks: every hash recomputed in SQL from the documented form" "$(pg_psql om_owner "$rehash")" "6/6"
pg_psql om_owner "UPDATE review_marks SET comment = 'forged' WHERE console = 'console_hq' AND id = 2"
"$OM" -c "$conf" verify-log --central >"$tmp/verify.out" 2>&1
check "verify-log --central: a tampered mark is exit 1" "$?" 1
contains "verify-log --central: ...naming it" "$tmp/verify.out" \
    "first bad mark: console=console_hq id=2 (its hash does not match its contents"
contains "verify-log --central: ...the gateways still intact" "$tmp/verify.out" \
    "gateway=$GW1 records=6 first=1 last=6 intact"

# A department console's role sees its departments' rows only: every chain would
# show the others' rows as gaps, so it is not asked to judge them.
sed "s|central_read_database = .*|central_read_database = \"$(pg_conninfo console_it)\";|" \
    "$conf" >"$tmp/it.conf"
"$OM" -c "$tmp/it.conf" verify-log --central >"$tmp/verify.out" 2>&1
check "verify-log --central as a department's role: exit 1, nothing judged" "$?" 1
contains "verify-log --central as a department's role: ...saying why" "$tmp/verify.out" \
    "the role console_it sees only some rows of the central log"
if grep -q "BAD\|first bad" "$tmp/verify.out"; then
    not_ok "verify-log --central as a department's role: no chain called broken"
else
    ok "verify-log --central as a department's role: no chain called broken"
fi
port3=$(free_port)
start_serve "$tmp/it.conf" "$port3" "$tmp/serve3.log"
SERVE2_PID=$STARTED_PID
(port=$port3 && get alice itver /verify)
contains "verify page as a department's role: says it cannot judge the chains" "$tmp/itver.body" \
    "this console's database role sees only its departments' rows"
if grep -q "BROKEN" "$tmp/itver.body"; then
    not_ok "verify page as a department's role: no chain called BROKEN"
else
    ok "verify page as a department's role: no chain called BROKEN"
fi
kill -TERM "$SERVE2_PID"
wait "$SERVE2_PID"
SERVE2_PID=

# --- verification, per gateway ---------------------------------------------------
get alice ver /verify
contains "verify page: the tampered mark's chain is BROKEN" "$tmp/ver.body" \
    "<td class=\"console\">console_hq</td><td class=\"verdict\">BROKEN</td><td>first bad mark: id=2"
contains "verify: gateway 1 intact" "$tmp/ver.body" \
    "<td class=\"gateway\">$GW1</td><td class=\"verdict\">intact</td><td>6 records, ids 1 to 6</td>"
contains "verify: gateway 2 intact" "$tmp/ver.body" \
    "<td class=\"gateway\">$GW2</td><td class=\"verdict\">intact</td><td>4 records, ids 1 to 4</td>"
contains "verify: all intact" "$tmp/ver.body" "Every gateway's hash chain is intact."
# The owner (not bound by the policies) edits one shipped row of gateway 2.
pg_psql om_owner "UPDATE violations SET subject = 'edited' WHERE gateway = '$GW2' AND id = 3"
get alice ver /verify
contains "verify: an edited row breaks its gateway's chain" "$tmp/ver.body" \
    "<td class=\"gateway\">$GW2</td><td class=\"verdict\">BROKEN</td><td>first bad record: id=3"
contains "verify: ...and not the other gateway's" "$tmp/ver.body" \
    "<td class=\"gateway\">$GW1</td><td class=\"verdict\">intact</td>"
get bob ver /verify
contains "verify: a department user sees the verdicts without the ids" "$tmp/ver.body" \
    "<td class=\"gateway\">$GW2</td><td class=\"verdict\">BROKEN</td></tr>"

# --- two writers on one console's chain at once -------------------------------------
# A second serve under the same role, both appending at once: their appends
# are serialised by the chain's lock, and each reads the head the other
# committed (none refused).
port1=$port
port2=$(free_port)
start_serve "$conf" "$port2" "$tmp/serve2.log"
SERVE2_PID=$STARTED_PID
before=$(pg_psql om_owner "SELECT count(*) FROM review_marks WHERE console = 'console_hq'")
for w in 1 2; do
    (port=$(eval echo \$port$w)
        export REPEAT=100
        get alice "par$w" "/record/4/mark" "gateway=$GW2&mark=reviewed&comment=w$w") &
    eval "par_$w=\$!"
done
wait "$par_1" "$par_2"
kill -TERM "$SERVE2_PID"
wait "$SERVE2_PID"
bad=$(cat "$tmp"/par*.status | grep -vc '^200$')
check "two writers at once: every mark appended (no 500)" "$bad" 0
check "two writers at once: 200 more marks on the chain" \
    "$(pg_psql om_owner "SELECT count(*) - $before FROM review_marks WHERE console = 'console_hq'")" 200
check "two writers at once: each links to the one before it, ids without a gap" \
    "$(pg_psql om_owner "SELECT count(*) FROM review_marks a LEFT JOIN review_marks b ON b.console = a.console AND b.id = a.id - 1 WHERE a.console = 'console_hq' AND a.id > $before AND (b.hash IS NULL OR a.prev_hash <> b.hash)")" 0

kill -TERM "$SERVE_PID"
wait "$SERVE_PID"
check "serve --central stops on SIGTERM with 0" "$?" 0
SERVE_PID=
finish
