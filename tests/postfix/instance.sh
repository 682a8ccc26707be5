# instance.sh - a throwaway Postfix instance on loopback, for the tests
# and the demo. Sourced; needs root (Postfix's master starts as root and
# runs its daemons as the postfix user).
#
#   pf_setup DIR MILTER_SOCKET   configuration, queue and log under DIR;
#                                smtpd on 127.0.0.1:$PF_PORT, relaying to
#                                an smtp-sink on 127.0.0.1:$PF_SINK_PORT
#                                that writes each message under DIR/sink
#   pf_start / pf_stop           start and stop Postfix and the sink
#   pf_queue                     postqueue -p of the instance
#   pf_wait_delivered N          wait (10 s at most) for N sink files

# pf_free_port - a TCP port nobody listens on (from a range of our own).
pf_free_port() {
    p=$1
    while ss -Hltn "sport = :$p" 2>/dev/null | grep -q . ; do p=$((p + 1)); done
    echo "$p"
}

# pf_setup DIR MILTER_SOCKET - write main.cf and master.cf.
pf_setup() {
    PF_DIR=$1
    PF_ETC=$PF_DIR/etc
    # A base of its own per test process: tests run in parallel (make -j).
    PF_PORT=$(pf_free_port $((21000 + ($$ % 4000) * 2)))
    PF_SINK_PORT=$(pf_free_port $((PF_PORT + 1)))
    mkdir -p "$PF_ETC" "$PF_DIR/queue" "$PF_DIR/data" "$PF_DIR/sink"
    chmod 755 "$PF_DIR"
    # The queue and data directories must belong to the postfix user.
    chown postfix "$PF_DIR/data" "$PF_DIR/sink"
    cat >"$PF_ETC/main.cf" <<CF
compatibility_level = 3.6
config_directory = $PF_ETC
queue_directory = $PF_DIR/queue
data_directory = $PF_DIR/data
mail_owner = postfix
setgid_group = postdrop
myhostname = gateway.jk.gov.in
mydomain = jk.gov.in
myorigin = jk.gov.in
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8, 10.0.0.0/8
relay_domains = jk.gov.in, .jk.gov.in, nic.in, .nic.in
relayhost = [127.0.0.1]:$PF_SINK_PORT
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtp_tls_security_level = none
smtpd_tls_security_level = none
maillog_file = $PF_DIR/maillog
maillog_file_prefixes = $PF_DIR
smtpd_milters = $2
non_smtpd_milters = $2
milter_default_action = tempfail
milter_protocol = 6
alias_maps =
alias_database =
local_recipient_maps =
biff = no
CF
    cat >"$PF_ETC/master.cf" <<CF
127.0.0.1:$PF_PORT inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
CF
}

# pf_start - the sink, then Postfix.
pf_start() {
    (cd "$PF_DIR/sink" && exec smtp-sink -u postfix -d "$PF_DIR/sink/%Y%m%d%H%M%S." \
        "127.0.0.1:$PF_SINK_PORT" 100) &
    PF_SINK_PID=$!
    postfix -c "$PF_ETC" check >>"$PF_DIR/setup.log" 2>&1
    postfix -c "$PF_ETC" start >>"$PF_DIR/setup.log" 2>&1
}

# pf_stop - Postfix, then the sink (by its pid).
pf_stop() {
    postfix -c "$PF_ETC" stop >>"$PF_DIR/setup.log" 2>&1
    [ -n "${PF_SINK_PID:-}" ] && kill "$PF_SINK_PID" 2>/dev/null
    PF_SINK_PID=
}

# pf_queue - the instance's queue listing.
pf_queue() {
    postqueue -c "$PF_ETC" -p 2>&1
}

# pf_wait_delivered N - wait until the sink holds N messages.
pf_wait_delivered() {
    i=0
    while [ $i -lt 100 ]; do
        [ "$(find "$PF_DIR/sink" -type f | wc -l)" -ge "$1" ] && return 0
        postqueue -c "$PF_ETC" -f >/dev/null 2>&1
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}
