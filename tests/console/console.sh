#!/bin/sh
# console.sh - the review console (SPEC 11): `officialmail passwd`, `serve`
# and `release`, the review marks' chain in verify-log and the digests, and
# the pages in headless Chromium through Selenium (browser.py).
#
# The log is tests/console/events.txt (70 records over two weeks, a Subject
# of HTML and quotes, a department named with HTML) under the configuration
# of tests/digest/digest.conf. The console is started on a free loopback
# port and stopped by its PID. In CI a missing browser or driver is a
# failure, never a skip.
. "$top_srcdir/tests/lib.sh"
MAKE_LOG="$top_builddir/tests/store/make_log"
tmp=$(mktemp -d)
SERVE_PIDS=""
cleanup() {
    for p in $SERVE_PIDS; do kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
    rm -rf "$tmp"
}
trap cleanup EXIT

for tool in /usr/bin/chromium /usr/bin/chromedriver; do
    if [ ! -x "$tool" ]; then
        not_ok "$tool present (contrib/install-deps.sh --test installs it)"
        finish
        exit 1
    fi
done
if ! /usr/bin/python3 -c 'import selenium' 2>/dev/null; then
    not_ok "python3-selenium present (contrib/install-deps.sh --test installs it)"
    finish
    exit 1
fi

# free_port - a TCP port nothing listens on now.
free_port() {
    /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# start_serve CONF LISTEN LOG [ARGS...] - officialmail serve in the background; waits
# (at most 10 s) for its "listening" line. SERVE_PID is its PID.
start_serve() {
    s_conf=$1 s_listen=$2 s_log=$3
    shift 3
    "$OM" -c "$s_conf" serve --listen "$s_listen" "$@" 2>"$s_log" &
    SERVE_PID=$!
    SERVE_PIDS="$SERVE_PIDS $SERVE_PID"
    i=0
    while [ $i -lt 100 ]; do
        grep -q 'listening on' "$s_log" 2>/dev/null && return 0
        kill -0 "$SERVE_PID" 2>/dev/null || return 1
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

# stop_serve PID - SIGTERM, and its exit status in SERVE_STATUS.
stop_serve() {
    kill -TERM "$1" 2>/dev/null
    wait "$1"
    SERVE_STATUS=$?
}

conf="$tmp/officialmail.conf"
local_conf "$top_srcdir/tests/digest/digest.conf" "$conf" "$tmp/violations.db"
cat >>"$conf" <<EOF
console_users = "$tmp/console-users";
release_command = "$tmp/fake-postsuper -H";
EOF
cat >"$tmp/fake-postsuper" <<EOF
#!/bin/sh
echo "\$*" >>"$tmp/released"
EOF
chmod +x "$tmp/fake-postsuper"
"$MAKE_LOG" "$tmp/violations.db" "$top_srcdir/tests/console/events.txt" || not_ok "make_log"

# --- passwd --------------------------------------------------------------------
echo alice-pw-1 | "$OM" -c "$conf" passwd alice --role compliance >"$tmp/out" 2>&1
check "passwd: a compliance user" "$?" 0
echo bob-pw-2 | "$OM" -c "$conf" passwd bob --role department \
    --department "Information Technology" >>"$tmp/out" 2>&1
check "passwd: a department user" "$?" 0
evil="Evil <script>alert(1)</script> it's =?UTF-8?Q?Bcc:_x@evil.example?= --=_om_fake; Bcc: attacker@evil.example"
echo eve-pw-3 | "$OM" -c "$conf" passwd eve --role department --department "$evil" >>"$tmp/out" 2>&1
check "passwd: a department named with HTML and quotes" "$?" 0
echo carol-pw-4 | "$OM" -c "$conf" passwd carol --role compliance >>"$tmp/out" 2>&1
grep -q '^alice:\$y\$' "$tmp/console-users" && ok "passwd: a yescrypt hash" ||
    not_ok "passwd: a yescrypt hash" "$(cat "$tmp/console-users")"
grep -q 'alice-pw-1' "$tmp/console-users" && not_ok "passwd: no clear password" ||
    ok "passwd: no clear password"
check "passwd: the file is not world-readable" "$(stat -c %a "$tmp/console-users")" 640
echo x | "$OM" -c "$conf" passwd dan --role department --department "Informaton Technology" \
    >"$tmp/out" 2>&1
check "passwd: an unknown department is exit 2" "$?" 2
contains "passwd: ...with the nearest name" "$tmp/out" 'Information Technology'
echo x | "$OM" -c "$conf" passwd dan --role compliance --department Tourism >"$tmp/out" 2>&1
check "passwd: compliance with a department is exit 2" "$?" 2
echo x | "$OM" -c "$conf" passwd 'dan:x' --role compliance >"$tmp/out" 2>&1
check "passwd: a name with a colon is exit 2" "$?" 2

# --- serve: what it refuses ----------------------------------------------------------
"$OM" -c "$conf" serve --listen 0.0.0.0:18025 >"$tmp/out" 2>&1
check "serve: plain HTTP on a non-loopback address is refused (exit 1)" "$?" 1
contains "serve: ...saying why" "$tmp/out" "plain HTTP is served only on a loopback address"
"$OM" -c "$conf" serve --central >"$tmp/out" 2>&1
check "serve: --central without a central log configured is exit 1" "$?" 1
contains "serve: ...saying so" "$tmp/out" "neither central_read_database nor central_database"
sed 's|^console_users.*|console_listen = "localhost:80";|' "$conf" >"$tmp/bad.conf"
"$OM" -c "$tmp/bad.conf" check-config >"$tmp/out" 2>&1
check "config: a console_listen that is not ADDRESS:PORT is an error" "$?" 1
contains "config: ...with file:line" "$tmp/out" "bad.conf:"

# --- the browser ---------------------------------------------------------------------
port=$(free_port)
if start_serve "$conf" "127.0.0.1:$port" "$tmp/serve.log"; then
    ok "serve: listening on 127.0.0.1:$port"
    /usr/bin/python3 "$top_srcdir/tests/console/browser.py" "http://127.0.0.1:$port" "$OM" \
        "$conf" "$tmp" "$tmp/serve.log" >"$tmp/browser.out" 2>&1
    status=$?
    while IFS= read -r line; do
        case $line in
        "ok - "*) ok "${line#ok - }" ;;
        "not ok - "*) not_ok "${line#not ok - }" ;;
        "#"*) echo "$line" ;;
        esac
    done <"$tmp/browser.out"
    check "browser.py exit status" "$status" 0
    [ "$status" -eq 0 ] || tail -20 "$tmp/browser.out" | sed 's/^/#   /'
    stop_serve "$SERVE_PID"
    check "serve: SIGTERM stops it, exit 0" "$SERVE_STATUS" 0
else
    not_ok "serve: listening" "$(cat "$tmp/serve.log")"
fi

# --- the marks' chain: verify-log and the digest ---------------------------------------
"$OM" -c "$conf" verify-log >"$tmp/verify" 2>&1
check "verify-log: intact with the browser's marks" "$?" 0
contains "verify-log: checks the marks too" "$tmp/verify" "marks: intact: 3 review marks"
"$OM" -c "$conf" digest --week 2027-W09 --output "$tmp/digests" >"$tmp/out" 2>&1
grep -rqs "Review: 2 of [0-9]* reviewed" "$tmp/digests" && ok "digest: counts the reviewed records" ||
    not_ok "digest: counts the reviewed records" "$(grep -rs Review "$tmp/digests" | head -3)"

# --- release ----------------------------------------------------------------------------
"$OM" -c "$conf" release 4X9999Q --reason "no such" >"$tmp/out" 2>&1
check "release: a queue id the log has not held is exit 1" "$?" 1
contains "release: ...saying so" "$tmp/out" "no held message with queue id 4X9999Q"
[ ! -e "$tmp/released" ] && ok "release: ...and nothing was run" || not_ok "release: nothing run"
qid=$("$OM" -c "$conf" log --action quarantine --format json | head -1 |
    /usr/bin/python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["queue_id"])')
"$OM" -c "$conf" release "$qid" --reason "checked with the sender" >"$tmp/out" 2>&1
check "release: a held message (exit 0)" "$?" 0
check "release: release_command run with the queue id, no shell" "$(cat "$tmp/released")" "-H $qid"
sqlite3 "$tmp/violations.db" "SELECT m.mark || '|' || m.user || '|' || m.comment FROM marks m
    JOIN violations v ON v.id = m.record_id WHERE v.queue_id = '$qid' AND m.mark = 'released'" \
    >"$tmp/marks"
check "release: a released mark naming who ran it" "$(cat "$tmp/marks")" \
    "released|$(id -un)|checked with the sender"
sed -i 's|^release_command.*|release_command = "/bin/false";|' "$conf"
"$OM" -c "$conf" release "$qid" --reason "again" >"$tmp/out" 2>&1
check "release: a failing release_command is exit 1" "$?" 1
check "release: ...and no mark" "$(sqlite3 "$tmp/violations.db" "SELECT COUNT(*) FROM marks WHERE mark = 'released'")" 1

# --- a mark edited behind the console's back ---------------------------------------------
sqlite3 "$tmp/violations.db" "UPDATE marks SET comment = 'edited' WHERE id = 1" 2>"$tmp/out"
contains "marks: the table refuses an UPDATE" "$tmp/out" "review marks are never edited"
sqlite3 "$tmp/violations.db" "DROP TRIGGER marks_no_update; UPDATE marks SET comment = 'edited' WHERE id = 2"
"$OM" -c "$conf" verify-log >"$tmp/verify" 2>&1
check "verify-log: an edited mark is exit 1" "$?" 1
contains "verify-log: ...naming the first bad mark" "$tmp/verify" "first bad mark: id=2"

# --- HTTPS ----------------------------------------------------------------------------------
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/key.pem" -out "$tmp/cert.pem" \
    -days 2 -subj /CN=localhost >/dev/null 2>&1
sed -e "s|^release_command.*|console_cert = \"$tmp/cert.pem\"; console_key = \"$tmp/key.pem\";|" \
    "$conf" >"$tmp/tls.conf"
port=$(free_port)
if start_serve "$tmp/tls.conf" "127.0.0.1:$port" "$tmp/tls.log"; then
    /usr/bin/python3 - "$port" >"$tmp/tls.out" 2>&1 <<'EOF'
import http.client, ssl, sys
conn = http.client.HTTPSConnection("127.0.0.1", int(sys.argv[1]), timeout=10,
                                   context=ssl._create_unverified_context())
conn.request("GET", "/login")
r = conn.getresponse()
print(r.status, r.getheader("Set-Cookie"))
EOF
    contains "https: the login page over TLS" "$tmp/tls.out" "200 om_login="
    contains "https: its cookie is Secure" "$tmp/tls.out" "SameSite=Strict; Secure"
    stop_serve "$SERVE_PID"
else
    not_ok "https: serve with console_cert and console_key" "$(cat "$tmp/tls.log")"
fi
# --- idle expiry ------------------------------------------------------------------------
port=$(free_port)
if start_serve "$conf" "127.0.0.1:$port" "$tmp/idle.log" --idle-timeout 2; then
    /usr/bin/python3 - "$port" >"$tmp/idle.out" 2>&1 <<'EOF'
import http.client, re, sys, time
def req(method, path, cookie="", body=None):
    c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=10)
    h = {"Cookie": cookie}
    if body is not None:
        h["Content-Type"] = "application/x-www-form-urlencoded"
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    return r.status, r.getheader("Set-Cookie") or "", r.read().decode()
st, ck, page = req("GET", "/login")
token = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
st, ck, _ = req("POST", "/login", ck.split(";")[0], "csrf=%s&user=alice&password=alice-pw-1" % token)
session = ck.split(";")[0]
print("used", req("GET", "/records", session)[0])
time.sleep(1.2)
print("used again", req("GET", "/records", session)[0])
time.sleep(3.2)
print("idle", req("GET", "/records", session)[0])
EOF
    grep -q "used again 200" "$tmp/idle.out" || sed 's/^/# serve: /' "$tmp/idle.log" | tail -30
    contains "idle: a session in use stays" "$tmp/idle.out" "used again 200"
    contains "idle: a session unused longer than --idle-timeout is gone" "$tmp/idle.out" "idle 303"
    stop_serve "$SERVE_PID"
else
    not_ok "idle: serve with --idle-timeout" "$(cat "$tmp/idle.log")"
fi
sed -e 's|^console_cert.*|console_cert = "/nonexistent.pem";|' "$tmp/tls.conf" >"$tmp/nocert.conf"
"$OM" -c "$tmp/nocert.conf" check-config >"$tmp/out" 2>&1
check "config: console_cert without console_key is an error" "$?" 1
finish
