# instance.sh - a throwaway sendmail 8.17 (Debian's, unpacked by fetch.sh)
# on loopback, for the sendmail test. Sourced; needs root, unshare and m4.
#
#   sm_setup DIR MILTER_SOCKET  .cf, queue, aliases and log under DIR; the
#                               daemon on 127.0.0.1:$SM_PORT relays everything
#                               to an smtp-sink on 127.0.0.3:$SM_SINK_PORT that
#                               writes each message under DIR/sink
#   sm_start / sm_stop          start and stop sendmail, the sink and the
#                               syslog listener (each by its pid)
#   sm_cmd ARGS                 the instance's sendmail command (MTA mode)
#   sm_submit ARGS              the sendmail command through the MSP
#   sm_mailq ARGS               mailq of the instance (-qQ: its quarantine)
#
# Sendmail logs only through syslog(3), to /dev/log. It runs in a private
# UTS and mount namespace (unshare): its own host name, fully qualified in
# its own /etc/hosts (an unqualifiable name makes it sleep 60 s at start),
# a resolver on loopback where nothing answers, and a /dev of its own whose
# log socket is the test's listener, which writes SM_DIR/syslog.

# sm_free_port - a TCP port nobody listens on.
sm_free_port() {
    p=$1
    while ss -Hltn "sport = :$p" 2>/dev/null | grep -q .; do p=$((p + 1)); done
    echo "$p"
}

# sm_setup DIR MILTER_SOCKET - unpack (or reuse) sendmail, write and build the .cf.
sm_setup() {
    SM_DIR=$1
    SM_ROOT=$(sh "$top_srcdir/tests/sendmail/fetch.sh") || return 1
    SM_ROOT=$SM_ROOT/root
    # Sendmail takes its own addresses for itself (class w) and would not
    # relay to them: the sink listens on another loopback address.
    SM_BIN=$SM_ROOT/usr/libexec/sendmail/sendmail
    SM_CF=$SM_DIR/etc/sendmail.cf
    SM_PORT=$(sm_free_port $((25000 + ($$ % 4000) * 2)))
    SM_SINK_PORT=$(sm_free_port $((SM_PORT + 1)))
    mkdir -p "$SM_DIR/etc" "$SM_DIR/mqueue" "$SM_DIR/sink" "$SM_DIR/ns"
    # Sendmail's file-safety checks: nothing on the way group- or world-writable.
    chmod 755 "$SM_DIR" "$SM_DIR/etc"
    chmod 700 "$SM_DIR/mqueue"
    : >"$SM_DIR/etc/aliases"
    : >"$SM_DIR/etc/local-host-names"
    echo "hosts files" >"$SM_DIR/etc/service.switch"
    printf '127.0.0.1 gateway.jk.gov.in gateway localhost\n' >"$SM_DIR/ns/hosts"
    printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' >"$SM_DIR/ns/resolv.conf"
    # The milter's definition is the shipped contrib/sendmail.mc's, with the socket of the test.
    sed -n '/^dnl BEGIN officialmail/,/^dnl END officialmail/p' "$top_srcdir/contrib/sendmail.mc" |
        sed "s|local:/run/officialmail/milter.sock|$2|" >"$SM_DIR/etc/milter.m4"
    cat >"$SM_DIR/etc/sendmail.mc" <<MC
divert(-1)
divert(0)dnl
VERSIONID(\`officialmail test instance')dnl
OSTYPE(\`linux')dnl
define(\`MAIL_SETTINGS_DIR', \`$SM_DIR/etc/')dnl
define(\`QUEUE_DIR', \`$SM_DIR/mqueue')dnl
define(\`STATUS_FILE', \`$SM_DIR/etc/statistics')dnl
define(\`confPID_FILE', \`$SM_DIR/sendmail.pid')dnl
define(\`confSERVICE_SWITCH_FILE', \`$SM_DIR/etc/service.switch')dnl
define(\`confHOST_STATUS_DIRECTORY', \`')dnl
define(\`confDEF_USER_ID', \`65534:65534')dnl
define(\`confDONT_PROBE_INTERFACES', \`True')dnl
define(\`confDONT_BLAME_SENDMAIL', \`TrustStickyBit')dnl
define(\`confQUEUE_LA', \`500')dnl
define(\`confREFUSE_LA', \`500')dnl
define(\`confDELAY_LA', \`0')dnl
define(\`confLOG_LEVEL', \`9')dnl
define(\`confTO_IDENT', \`0s')dnl
define(\`confBIND_OPTS', \`-DNSRCH -DEFNAMES')dnl
define(\`SMART_HOST', \`[127.0.0.3]')dnl
define(\`RELAY_MAILER_ARGS', \`TCP \$h $SM_SINK_PORT')dnl
define(\`ESMTP_MAILER_ARGS', \`TCP \$h $SM_SINK_PORT')dnl
FEATURE(\`no_default_msa')dnl
FEATURE(\`nocanonify')dnl
FEATURE(\`promiscuous_relay')dnl
FEATURE(\`accept_unresolvable_domains')dnl
DAEMON_OPTIONS(\`Port=$SM_PORT, Addr=127.0.0.1, Name=MTA')dnl
include(\`$SM_DIR/etc/milter.m4')dnl
MAILER(\`smtp')dnl
MC
    sm_setup_msp
    for mc in sendmail submit; do
        m4 -D_CF_DIR_="$SM_ROOT/usr/share/sendmail/cf/" "$SM_ROOT/usr/share/sendmail/cf/m4/cf.m4" \
            "$SM_DIR/etc/$mc.mc" >"$SM_DIR/etc/$mc.cf" 2>>"$SM_DIR/m4.log" || return 1
        chmod 644 "$SM_DIR/etc/$mc.cf"
    done
}

# sm_setup_msp - the mail submission program's .mc, as Debian's submit.mc:
# the sendmail command queues as an unprivileged user and hands the mail to
# the daemon over SMTP. nocanonify: no DNS here to canonify names with.
sm_setup_msp() {
    mkdir -p "$SM_DIR/clientmqueue"
    chown nobody "$SM_DIR/clientmqueue"
    chmod 700 "$SM_DIR/clientmqueue"
    cat >"$SM_DIR/etc/submit.mc" <<MC
divert(-1)
divert(0)dnl
VERSIONID(\`officialmail test MSP')dnl
OSTYPE(\`linux')dnl
define(\`MAIL_SETTINGS_DIR', \`$SM_DIR/etc/')dnl
define(\`MSP_QUEUE_DIR', \`$SM_DIR/clientmqueue')dnl
define(\`confPID_FILE', \`$SM_DIR/clientmqueue/sm-client.pid')dnl
define(\`confSERVICE_SWITCH_FILE', \`$SM_DIR/etc/service.switch')dnl
define(\`confRUN_AS_USER', \`nobody')dnl
define(\`RELAY_MAILER_ARGS', \`TCP \$h $SM_PORT')dnl
FEATURE(\`nocanonify')dnl
FEATURE(\`msp', \`[127.0.0.1]')dnl
MC
}

# sm_syslog_start - a /dev/log of our own: each datagram one line of $SM_DIR/syslog.
sm_syslog_start() {
    python3 -c '
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
os.chmod(sys.argv[1], 0o666)
with open(sys.argv[2], "ab", 0) as out:
    while True:
        out.write(s.recv(65536).rstrip(b"\0\n") + b"\n")
' "$SM_DIR/ns/log" "$SM_DIR/syslog" &
    SM_SYSLOG_PID=$!
    i=0
    until [ -S "$SM_DIR/ns/log" ] || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
    [ -S "$SM_DIR/ns/log" ]
}

# sm_start - the syslog listener, the sink, then sendmail -bD in its namespace.
sm_start() {
    sm_syslog_start || return 1
    (cd "$SM_DIR/sink" && exec smtp-sink -u nobody -d "$SM_DIR/sink/%Y%m%d%H%M%S." \
        "127.0.0.3:$SM_SINK_PORT" 100) &
    SM_SINK_PID=$!
    chown nobody "$SM_DIR/sink"
    # The shell inside writes its pid, then becomes sendmail: that pid is the daemon's.
    unshare --uts --mount --fork sh -c '
        d=$1; shift
        hostname gateway.jk.gov.in &&
        mount --bind "$d/ns/hosts" /etc/hosts &&
        mount --bind "$d/ns/resolv.conf" /etc/resolv.conf &&
        mkdir -p "$d/ns/dev" && mount --rbind /dev "$d/ns/dev" &&
        mount -t tmpfs -o mode=755 tmpfs /dev &&
        for n in null zero random urandom; do
            : >"/dev/$n" && mount --bind "$d/ns/dev/$n" "/dev/$n" || exit 1
        done &&
        ln -s /proc/self/fd /dev/fd && ln -s "$d/ns/log" /dev/log || exit 1
        echo $$ >"$d/daemon.pid"
        exec "$@"' sh "$SM_DIR" env LD_LIBRARY_PATH="$SM_ROOT/usr/lib/x86_64-linux-gnu" \
        "$SM_BIN" -C "$SM_CF" -bD -L sm-test >>"$SM_DIR/sendmail.out" 2>&1 &
    SM_NS_PID=$!
    i=0
    until [ -s "$SM_DIR/daemon.pid" ] && printf 'QUIT\r\n' |
        swaks --server "127.0.0.1:$SM_PORT" --quit-after CONNECT >/dev/null 2>&1; do
        [ $i -ge 100 ] && return 1
        kill -0 "$SM_NS_PID" 2>/dev/null || return 1
        sleep 0.2
        i=$((i + 1))
    done
    SM_PID=$(cat "$SM_DIR/daemon.pid")
}

# sm_stop - sendmail (by the pid it had in its namespace), the sink, the listener.
sm_stop() {
    if [ -n "${SM_PID:-}" ]; then
        kill -TERM "$SM_PID" 2>/dev/null
        i=0
        while kill -0 "$SM_NS_PID" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    fi
    [ -n "${SM_NS_PID:-}" ] && kill "$SM_NS_PID" 2>/dev/null
    [ -n "${SM_SINK_PID:-}" ] && kill "$SM_SINK_PID" 2>/dev/null
    [ -n "${SM_SYSLOG_PID:-}" ] && kill "$SM_SYSLOG_PID" 2>/dev/null
    SM_PID= SM_NS_PID= SM_SINK_PID= SM_SYSLOG_PID=
}

# sm_cmd ARGS - the instance's sendmail command with its .cf, run inside the
# daemon's namespace (outside, the host name may be unqualifiable).
sm_cmd() {
    nsenter -t "$SM_PID" -u -m env LD_LIBRARY_PATH="$SM_ROOT/usr/lib/x86_64-linux-gnu" \
        "$SM_BIN" -C "$SM_CF" "$@"
}

# sm_mailq ARGS - the instance's queue (add -qQ for its quarantine).
sm_mailq() { sm_cmd -bp "$@" 2>&1; }

# sm_submit ARGS - the sendmail command as users run it: through the MSP.
sm_submit() {
    nsenter -t "$SM_PID" -u -m env LD_LIBRARY_PATH="$SM_ROOT/usr/lib/x86_64-linux-gnu" \
        "$SM_BIN" -C "$SM_DIR/etc/submit.cf" "$@"
}
