#!/bin/sh
# console.sh - `officialmail serve --central` (SPEC 11): the review console
# reading the central log. Two gateways ship records with the same ids;
# the console lists both, each id with its gateway, opens a record by
# (gateway, id), limits a department user to its department as the local
# console does, and verifies each gateway's chain (a tampered row shows as
# its gateway's broken chain). Marks are refused on the central log.
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
trap '[ -n "$SERVE_PID" ] && kill -TERM "$SERVE_PID" 2>/dev/null; pg_stop; rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
GW1=mx1.jk.gov.in
GW2=mx2.jk.gov.in

pg_start "$tmp/pg" && pg_central && pg_gateway "$GW1" && pg_gateway "$GW2" ||
    { not_ok "PostgreSQL with the central schema"; finish; exit 1; }
pg_psql om_owner "CREATE ROLE auditor LOGIN PASSWORD 'auditor-secret' IN ROLE officialmail_compliance" &&
    pg_pass auditor auditor-secret
for n in 1 2; do
    gw=$(eval echo \$GW$n)
    local_conf "$top_srcdir/tests/data/samples/officialmail.conf" "$tmp/gw$n.conf" "$tmp/gw$n.db"
    cat >>"$tmp/gw$n.conf" <<EOC
gateway_name = "$gw";
central_database = "$(pg_conninfo "$gw")";
ship_state = "$tmp/gw$n.shipped";
EOC
done
# Odd ids are Information Technology's, even ones another department's (gen.sh).
gen_records "$GW1" 1 6 | "$MAKE_LOG" "$tmp/gw1.db" -
gen_records "$GW2" 1 4 | "$MAKE_LOG" "$tmp/gw2.db" -
"$OM" ship -c "$tmp/gw1.conf" --once >/dev/null 2>&1 && "$OM" ship -c "$tmp/gw2.conf" --once >/dev/null 2>&1
check "both gateways shipped" "$(pg_psql om_owner "SELECT count(*) FROM violations")" 10

# The console's configuration: its users, and the central log read as the auditor.
conf="$tmp/console.conf"
local_conf "$top_srcdir/tests/data/samples/officialmail.conf" "$conf" "$tmp/none.db"
cat >>"$conf" <<EOC
console_users = "$tmp/console-users";
central_read_database = "$(pg_conninfo auditor)";
EOC
echo alice-pw-1 | "$OM" -c "$conf" passwd alice --role compliance >/dev/null &&
    echo bob-pw-2 | "$OM" -c "$conf" passwd bob --role department \
        --department "Information Technology" >/dev/null ||
    not_ok "console users" "passwd failed"

port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$OM" -c "$conf" serve --central --listen "127.0.0.1:$port" 2>"$tmp/serve.log" &
SERVE_PID=$!
i=0
until grep -q 'listening on' "$tmp/serve.log" 2>/dev/null || [ $i -ge 100 ]; do
    kill -0 "$SERVE_PID" 2>/dev/null || break
    sleep 0.1
    i=$((i + 1))
done
contains "serve --central starts" "$tmp/serve.log" "listening on http://127.0.0.1:$port/"

# get USER OUT PATH [POSTBODY] - log USER in and fetch PATH: OUT.status and OUT.body.
cat >"$tmp/get.py" <<'EOP'
import http.cookiejar, re, sys, urllib.error, urllib.parse, urllib.request
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
try:
    r = op.open(base + path, data, timeout=30)
    status, body = r.status, r.read().decode()
except urllib.error.HTTPError as e:
    status, body = e.code, e.read().decode()
open(out + ".status", "w").write("%d\n" % status)
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
contains "record: ...marks said to be unavailable centrally" "$tmp/rec.body" 'id="marks-central"'
get alice rec "/record/6?gateway=$GW2"
check "record: (gateway 2, 6) does not exist" "$(cat "$tmp/rec.status")" 404
get alice rec "/record/1"
check "record: no gateway is a 400 on the central log" "$(cat "$tmp/rec.status")" 400
get alice mark "/record/1/mark" "mark=reviewed&comment=x"
check "mark: refused on the central log (409)" "$(cat "$tmp/mark.status")" 409
contains "mark: ...saying why" "$tmp/mark.body" "not kept on the central log"

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

# --- verification, per gateway ---------------------------------------------------
get alice ver /verify
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

kill -TERM "$SERVE_PID"
wait "$SERVE_PID"
check "serve --central stops on SIGTERM with 0" "$?" 0
SERVE_PID=
finish
