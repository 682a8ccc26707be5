# lib.sh - what the SPF and DKIM tests share: a network namespace of
# their own, an authoritative DNS server (NSD) in it on 127.0.0.1:53
# serving test zones with DKIM keys made for the run, and a signer.
# Sourced after tests/lib.sh.
#
#   auth_enter         run the calling test again inside a new network and
#                      mount namespace (lo up, /etc/resolv.conf naming
#                      127.0.0.1 bind-mounted for this namespace only), so
#                      that no query ever leaves the machine; returns only
#                      inside it
#   auth_zones DIR     keys (opendkim-genkey) and zone files under DIR
#   nsd_start / nsd_stop       the server, stopped by its PID
#   blackhole_start / blackhole_stop   a UDP and TCP listener on port 53
#                      that never answers (a DNS server that hangs)
#   sign FILE DOMAIN SELECTOR [CANON]  FILE signed, on standard output
#   auth_conf DST DB [NAME=VALUE...]   the milter test configuration with
#                      its log at DB and gateway_name $AUTH_GATEWAY (the
#                      authserv-id of the results lines), settings replaced
#                      or added

SIGN="$top_builddir/tests/auth/dkim_sign"
AUTH_GATEWAY=gw.auth.test


# auth_enter - re-run "$0" in a namespace of its own; the caller goes on inside.
auth_enter() {
    if [ -z "${OM_AUTH_NETNS:-}" ]; then
        require_root "a network namespace, NSD on port 53"
        require unshare ip nsd opendkim-genkey perl
        OM_AUTH_NETNS=1 exec unshare --mount --net --fork sh "$0" "$@"
    fi
    ip link set lo up || { not_ok "loopback up in the namespace"; finish; exit 1; }
    auth_tmp=$(mktemp -d)
    printf 'nameserver 127.0.0.1\noptions attempts:1 timeout:2\n' >"$auth_tmp/resolv.conf"
    mount --bind "$auth_tmp/resolv.conf" /etc/resolv.conf ||
        { not_ok "resolv.conf bind-mounted"; finish; exit 1; }
}

# auth_key DIR SELECTOR DOMAIN - a 1024-bit key pair: DIR/SELECTOR.private and its TXT line.
auth_key() {
    opendkim-genkey -b 1024 -h sha256 -d "$3" -s "$2" -D "$1" >/dev/null 2>&1
}

# auth_zones DIR - the test zones, NSD's configuration, the keys.
auth_zones() {
    z=$1
    mkdir -p "$z/keys"
    auth_key "$z/keys" sel1 jk.gov.in && auth_key "$z/keys" nsel nic.in &&
        auth_key "$z/keys" lost lost.jk.gov.in || return 1
    soa='@ IN SOA ns hostmaster 1 3600 600 86400 60
@ IN NS ns
ns IN A 127.0.0.1'
    cat >"$z/jk.gov.in.zone" <<ZONE
\$ORIGIN jk.gov.in.
\$TTL 300
$soa
@ IN TXT "v=spf1 ip4:192.0.2.10 ip4:198.51.100.25 -all"
mail IN A 192.0.2.10
mail IN TXT "v=spf1 a -all"
relay IN TXT "v=spf1 -all"
jpdcl IN TXT "v=spf1 ip4:192.0.2.10 -all"
soft IN TXT "v=spf1 ~all"
$(cat "$z/keys/sel1.txt")
ZONE
    cat >"$z/nic.in.zone" <<ZONE
\$ORIGIN nic.in.
\$TTL 300
$soa
@ IN TXT "v=spf1 ip4:203.0.113.5 -all"
$(sed 's/^nsel\._domainkey/nsel._domainkey/' "$z/keys/nsel.txt")
ZONE
    # lost.jk.gov.in is declared without its file: NSD answers SERVFAIL there.
    cat >"$z/nsd.conf" <<CONF
server:
    ip-address: 127.0.0.1
    port: 53
    do-ip6: no
    username: ""
    chroot: ""
    zonesdir: "$z"
    database: ""
    zonelistfile: "$z/zone.list"
    xfrdfile: "$z/xfrd.state"
    xfrdir: "$z"
    pidfile: "$z/nsd.pid"
    logfile: "$z/nsd.log"
    server-count: 1
    reuseport: no
    rrl-ratelimit: 0
    verbosity: 1
remote-control:
    control-enable: no
zone:
    name: "jk.gov.in"
    zonefile: "jk.gov.in.zone"
zone:
    name: "nic.in"
    zonefile: "nic.in.zone"
zone:
    name: "lost.jk.gov.in"
    zonefile: "lost.jk.gov.in.zone"
CONF
    NSD_CONF=$z/nsd.conf
}

# port53_bound - 1 when something listens on 127.0.0.1:53 (UDP).
port53_bound() {
    ss -Hlun 'sport = :53' 2>/dev/null | grep -q .
}

# nsd_start - NSD in the foreground of a background job; wait (5 s at most) until it listens.
nsd_start() {
    nsd -d -c "$NSD_CONF" >>"$(dirname "$NSD_CONF")/nsd.out" 2>&1 &
    NSD_PID=$!
    i=0
    while [ $i -lt 50 ]; do
        port53_bound && return 0
        kill -0 "$NSD_PID" 2>/dev/null || return 1
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

# nsd_stop - by its PID; wait (5 s at most) until port 53 is free.
nsd_stop() {
    [ -n "${NSD_PID:-}" ] || return 0
    kill "$NSD_PID" 2>/dev/null
    wait "$NSD_PID" 2>/dev/null
    NSD_PID=
    i=0
    while port53_bound && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
}

# blackhole_start SECONDS - sockets on 127.0.0.1:53 that read nothing and
# answer nothing, for SECONDS at most (then the listener exits by itself).
blackhole_start() {
    perl -MIO::Socket::INET -e '
        my $u = IO::Socket::INET->new(LocalAddr => "127.0.0.1:53", Proto => "udp") or die "udp: $!";
        my $t = IO::Socket::INET->new(LocalAddr => "127.0.0.1:53", Proto => "tcp", Listen => 5,
                                      ReuseAddr => 1) or die "tcp: $!";
        sleep $ARGV[0];' "$1" &
    BLACKHOLE_PID=$!
    i=0
    while ! port53_bound && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
}

# blackhole_stop - by its PID.
blackhole_stop() {
    [ -n "${BLACKHOLE_PID:-}" ] || return 0
    kill "$BLACKHOLE_PID" 2>/dev/null
    wait "$BLACKHOLE_PID" 2>/dev/null
    BLACKHOLE_PID=
}

# sign FILE DOMAIN SELECTOR [CANON] - FILE with a DKIM-Signature for DOMAIN.
sign() {
    "$SIGN" -d "$2" -s "$3" -k "$auth_zones_dir/keys/$3.private" -c "${4:-relaxed}" "$1"
}

# auth_conf DST DB [SETTING...] - the milter test configuration, its log at DB.
auth_conf() {
    dst=$1 db=$2
    shift 2
    local_conf "$top_srcdir/tests/data/milter/officialmail.conf" "$dst" "$db"
    printf 'gateway_name = "%s";\n' "$AUTH_GATEWAY" >>"$dst"
    for s in "$@"; do # NAME=VALUE, VALUE in the configuration's syntax
        name=${s%%=*} value=${s#*=}
        if grep -q "^$name = " "$dst"; then
            sed -i "s|^$name = .*|$name = $value;|" "$dst"
        else
            printf '%s = %s;\n' "$name" "$value" >>"$dst"
        fi
    done
}

# auth_setup - namespace, zones and NSD for a test; sets auth_tmp and auth_zones_dir.
auth_setup() {
    auth_enter "$@"
    auth_zones_dir=$auth_tmp/zones
    auth_zones "$auth_zones_dir" || { not_ok "DKIM keys generated"; finish; exit 1; }
    if nsd_start; then ok "NSD serves the test zones on 127.0.0.1:53"; else
        not_ok "NSD starts" "$(cat "$auth_zones_dir"/nsd.out "$auth_zones_dir"/nsd.log 2>/dev/null)"
        finish
        exit 1
    fi
}

# elapsed_ms CMD... - run CMD, set ELAPSED_MS.
elapsed_ms() {
    t0=$(date +%s%N)
    "$@"
    rc=$?
    ELAPSED_MS=$((($(date +%s%N) - t0) / 1000000))
    return $rc
}
