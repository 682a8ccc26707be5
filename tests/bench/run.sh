#!/bin/sh
# run.sh - the benchmarks of SPEC section 8, side by side in one run
# (make bench). Prints a table and writes bench-results.csv in the
# current directory. Needs root for the Postfix part (skipped without).
#
# 1. officialmail-milter (scaled reference policy, violation store on) and
#    a trivial accept-all libmilter milter, driven by the same load
#    generator over unix sockets, alternating, at 1 and 8 connections;
#    the same once over inet sockets at 8 connections.
# 2. Peak resident memory of officialmail-milter after the load.
# 3. Postfix end to end: smtp-source -> Postfix on loopback -> smtp-sink,
#    with no milter, with the trivial milter, with officialmail-milter.
# 4. The policy alone and the store alone (bench_policy, bench_store).
# 5. Metrics (SPEC 10): officialmail-milter with metrics_listen set (and
#    scraped every second) against the same milter without, side by side.
# BENCH_ONLY=metrics runs only part 5.
set -u
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
B=$top_builddir/tests/bench
LOAD=$top_builddir/tests/milter/mtload
N=${BENCH_MESSAGES:-4000}   # messages a run (bounded by 60 s as well)
ROUNDS=${BENCH_ROUNDS:-3}
tmp=$(mktemp -d)
csv=bench-results.csv
om_pid= tm_pid= tl_pid=
cleanup() {
    [ -n "$om_pid" ] && kill "$om_pid" 2>/dev/null
    [ -n "$tm_pid" ] && kill "$tm_pid" 2>/dev/null
    [ -n "$tl_pid" ] && kill "$tl_pid" 2>/dev/null
    command -v pf_stop >/dev/null && [ -n "${PF_ETC:-}" ] && pf_stop
    wait 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

sh "$top_srcdir/tests/bench/gen-policy.sh" "$tmp/policy"
printf 'database = "%s/violations.db";\n' "$tmp" >>"$tmp/policy/officialmail.conf"
echo "kind,name,value,unit" >"$csv"
emit() { echo "$1,$2,$3,$4" >>"$csv"; }

# wait_socket SPEC - until a milter answers there (10 s at most).
wait_socket() {
    i=0
    while [ $i -lt 100 ]; do
        printf 'connect probe 127.0.0.1\nquit\n' | "$top_builddir/tests/milter/mtclient" "$1" >/dev/null 2>&1 && return 0
        sleep 0.1; i=$((i + 1))
    done
    return 1
}

# field LINE KEY - the value of KEY=value in an mtload summary line.
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

# median - the median of the numbers on standard input.
median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

"$top_builddir/officialmail-milter" -f -c "$tmp/policy/officialmail.conf" -p "unix:$tmp/om.sock" 2>"$tmp/om.log" &
om_pid=$!
"$B/trivial_milter" "unix:$tmp/tm.sock" 2>"$tmp/tm.log" &
tm_pid=$!
"$B/trivial_milter" -l "unix:$tmp/tl.sock" 2>"$tmp/tl.log" &
tl_pid=$!
for s in om tm tl; do
    wait_socket "unix:$tmp/$s.sock" || { echo "milters did not start"; cat "$tmp/om.log"; exit 1; }
    "$LOAD" -s "unix:$tmp/$s.sock" -n 500 -c 4 >/dev/null   # warm up
done

# cpu_ticks PID - user and system CPU time of process PID, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# bench_metrics - part 5: the same milter with metrics on (scraped each
# second, a pessimistic Prometheus) and off, alternating, at 1 and 8
# connections, the mix and then violating mail only.
bench_metrics() {
    mport=$((30000 + $$ % 10000))
    cp "$tmp/policy/officialmail.conf" "$tmp/policy/metrics.conf"
    printf 'metrics_listen = "127.0.0.1:%s";\n' "$mport" >>"$tmp/policy/metrics.conf"
    "$top_builddir/officialmail-milter" -f -c "$tmp/policy/metrics.conf" -p "unix:$tmp/omm.sock" \
        2>"$tmp/omm.log" &
    omm_pid=$!
    wait_socket "unix:$tmp/omm.sock" || { echo "the metrics milter did not start"; cat "$tmp/omm.log"; return 1; }
    "$LOAD" -s "unix:$tmp/omm.sock" -n 500 -c 4 >/dev/null
    (while kill -0 "$omm_pid" 2>/dev/null; do
        curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$mport/metrics"; sleep 1; done) &
    scraper=$!
    echo "== metrics on (metrics_listen, scraped every second) and off: $N messages a run, $ROUNDS rounds"
    printf '%-34s %10s %10s %10s %12s\n' "" "msg/s" "p50" "p99" "CPU us/msg"
    for mix in mix violating; do
        for c in 1 8; do
            : >"$tmp/off.$mix.$c"; : >"$tmp/on.$mix.$c"
            r=0
            while [ $r -lt "$ROUNDS" ]; do
                for who in $([ $((r % 2)) -eq 0 ] && echo "off on" || echo "on off"); do
                    sock=$([ $who = on ] && echo omm || echo om)
                    pid=$([ $who = on ] && echo "$omm_pid" || echo "$om_pid")
                    t0=$(cpu_ticks "$pid")
                    line=$("$LOAD" -s "unix:$tmp/$sock.sock" -n "$N" -c "$c" -t 60 -m "$mix" \
                        -q "M$r$who$mix$c")
                    t1=$(cpu_ticks "$pid")
                    echo "$line" >>"$tmp/$who.$mix.$c"
                    # CPU time of the milter process per message: what the
                    # metrics cost, little disturbed by the machine's other load.
                    awk -v t="$((t1 - t0))" -v hz="$(getconf CLK_TCK)" -v n="$(field "$line" messages)" \
                        'BEGIN {printf "%.1f\n", t / hz * 1e6 / n}' >>"$tmp/$who.$mix.$c.cpu"
                done
                r=$((r + 1))
            done
            for who in off on; do
                rate=$(while read -r l; do field "$l" rate; done <"$tmp/$who.$mix.$c" | median)
                p50=$(while read -r l; do field "$l" p50_ms; done <"$tmp/$who.$mix.$c" | median)
                p99=$(while read -r l; do field "$l" p99_ms; done <"$tmp/$who.$mix.$c" | median)
                cpu=$(median <"$tmp/$who.$mix.$c.cpu")
                printf '%-34s %10.0f %10.3f %10.3f %12.1f\n' "metrics $who, $mix c=$c" "$rate" "$p50" \
                    "$p99" "$cpu"
                emit metrics "metrics $who $mix c=$c rate" "$rate" msg/s
                emit metrics "metrics $who $mix c=$c cpu" "$cpu" us/msg
                eval "mrate_$who=$rate mcpu_$who=$cpu"
            done
            mr=$(awk "BEGIN {printf \"%.3f\", $mrate_on / $mrate_off}")
            mc=$(awk "BEGIN {printf \"%.3f\", $mcpu_on / $mcpu_off}")
            echo "ratio metrics on/off, $mix c=$c: throughput $mr (target >= 0.98), CPU per message $mc"
            emit ratio "metrics on/off $mix c=$c" "$mr" x
            emit ratio "metrics on/off cpu $mix c=$c" "$mc" x
        done
    done
    kill "$scraper" "$omm_pid" 2>/dev/null
}
# bench_metrics_ir - instructions per message (callgrind, counters zeroed
# after a warm-up, so that neither start-up nor policy loading counts),
# metrics off and on (on: one scrape at the end of the load). Not disturbed
# by the rest of the machine, unlike the rates above.
bench_metrics_ir() {
    if ! command -v callgrind_control >/dev/null; then
        echo "(valgrind is not installed: no instruction counts)"
        return 0
    fi
    IRN=${BENCH_IR_MESSAGES:-1000}
    printf 'metrics_listen = "127.0.0.1:%s";\n' "$((mport + 1))" >"$tmp/ir-on.add"
    : >"$tmp/ir-off.add"
    for who in off on; do
        cat "$tmp/policy/officialmail.conf" "$tmp/ir-$who.add" >"$tmp/policy/ir-$who.conf"
        valgrind --tool=callgrind --callgrind-out-file="$tmp/cg-$who.out" \
            "$top_builddir/officialmail-milter" -f -c "$tmp/policy/ir-$who.conf" \
            -p "unix:$tmp/cg-$who.sock" 2>"$tmp/cg-$who.log" &
        cg_pid=$!
        i=0
        until printf 'connect probe 127.0.0.1\nquit\n' |
            "$top_builddir/tests/milter/mtclient" "unix:$tmp/cg-$who.sock" >/dev/null 2>&1; do
            i=$((i + 1)); [ $i -lt 600 ] || { echo "callgrind: the milter did not start"; return 1; }
            sleep 0.2
        done
        "$LOAD" -s "unix:$tmp/cg-$who.sock" -n 200 -c 1 >/dev/null
        callgrind_control -z "$cg_pid" >/dev/null 2>&1
        "$LOAD" -s "unix:$tmp/cg-$who.sock" -n "$IRN" -c 1 -t 600 -q "CG$who" >/dev/null
        [ $who = on ] && curl -s -o /dev/null "http://127.0.0.1:$((mport + 1))/metrics"
        callgrind_control -d "$cg_pid" >/dev/null 2>&1
        kill "$cg_pid"; wait "$cg_pid" 2>/dev/null
        # The dump after the zeroing: its "totals:" line (Ir).
        ir=$(ls "$tmp"/cg-$who.out* | sort | sed -n 2p | xargs awk '/^totals:/ {print $2}')
        eval "ir_$who=$ir"
        printf '%-34s %12.0f instructions a message\n' "metrics $who, mix c=1 (callgrind)" \
            "$(awk "BEGIN {print $ir / $IRN}")"
        emit metrics "metrics $who instructions" "$(awk "BEGIN {print $ir / $IRN}")" Ir/msg
    done
    ir=$(awk "BEGIN {printf \"%.4f\", $ir_on / $ir_off}")
    echo "ratio metrics on/off, instructions a message: $ir (cost $(awk "BEGIN {printf \"%.2f\", ($ir - 1) * 100}")%)"
    emit ratio "metrics on/off instructions" "$ir" x
}
if [ "${BENCH_ONLY:-}" = metrics ]; then
    bench_metrics
    bench_metrics_ir
    echo "== written: $csv"
    exit 0
fi

echo "== milter protocol: $N messages a run, $ROUNDS rounds, alternating (messages/s, latency in ms)"
echo "   trivial-milter: accept-all, libmilter defaults (every step and reply);"
echo "   trivial-lean: accept-all negotiating the same steps as officialmail-milter"
printf '%-28s %10s %10s %10s %10s\n' "" "msg/s" "p50" "p99" "max"
for c in 1 8; do
    : >"$tmp/om.$c" ; : >"$tmp/tm.$c"; : >"$tmp/tl.$c"
    r=0
    while [ $r -lt "$ROUNDS" ]; do
        # Alternate the order, so that drift favours none.
        for who in $([ $((r % 2)) -eq 0 ] && echo "tm tl om" || echo "om tl tm"); do
            line=$("$LOAD" -s "unix:$tmp/$who.sock" -n "$N" -c "$c" -t 60 -q "R$r$who")
            echo "$line" >>"$tmp/$who.$c"
        done
        r=$((r + 1))
    done
    for who in tm tl om; do
        rate=$(while read -r l; do field "$l" rate; done <"$tmp/$who.$c" | median)
        p50=$(while read -r l; do field "$l" p50_ms; done <"$tmp/$who.$c" | median)
        p99=$(while read -r l; do field "$l" p99_ms; done <"$tmp/$who.$c" | median)
        max=$(while read -r l; do field "$l" max_ms; done <"$tmp/$who.$c" | sort -n | tail -1)
        case $who in om) name=officialmail-milter;; tm) name=trivial-milter;; tl) name=trivial-lean;; esac
        printf '%-28s %10.0f %10.3f %10.3f %10.3f\n' "$name c=$c" "$rate" "$p50" "$p99" "$max"
        emit milter "$name c=$c rate" "$rate" msg/s
        emit milter "$name c=$c p50" "$p50" ms
        emit milter "$name c=$c p99" "$p99" ms
        eval "rate_${who}_$c=$rate"
    done
    ratio=$(awk "BEGIN {printf \"%.3f\", $(eval echo \$rate_om_$c) / $(eval echo \$rate_tm_$c)}")
    lratio=$(awk "BEGIN {printf \"%.3f\", $(eval echo \$rate_om_$c) / $(eval echo \$rate_tl_$c)}")
    echo "ratio officialmail/trivial at c=$c: $ratio (target >= 0.90); officialmail/trivial-lean: $lratio"
    emit ratio "officialmail/trivial c=$c" "$ratio" x
    emit ratio "officialmail/trivial-lean c=$c" "$lratio" x
done

# The same at 8 connections over TCP on loopback (Nagle and delayed ACK
# have stalled milters there; see BENCHMARKS.md).
iport=$((20000 + $$ % 10000))
"$top_builddir/officialmail-milter" -f -c "$tmp/policy/officialmail.conf" -p "inet:$iport@127.0.0.1" 2>>"$tmp/om.log" &
om_inet=$!
"$B/trivial_milter" "inet:$((iport + 1))@127.0.0.1" 2>>"$tmp/tm.log" &
tm_inet=$!
wait_socket "inet:$iport@127.0.0.1" && wait_socket "inet:$((iport + 1))@127.0.0.1"
for who in tm om; do
    port=$([ $who = om ] && echo "$iport" || echo $((iport + 1)))
    name=$([ $who = om ] && echo officialmail-milter || echo trivial-milter)
    line=$("$LOAD" -s "inet:$port@127.0.0.1" -n "$N" -c 8 -t 60 -q I$who)
    irate=$(field "$line" rate)
    printf '%-28s %10.0f %10.3f %10.3f %10.3f\n' "$name inet c=8" "$irate" \
        "$(field "$line" p50_ms)" "$(field "$line" p99_ms)" "$(field "$line" max_ms)"
    emit milter "$name inet c=8 rate" "$irate" msg/s
    emit milter "$name inet c=8 p99" "$(field "$line" p99_ms)" ms
done

rss=$(awk '/^VmHWM:/ {print $2}' "/proc/$om_pid/status")
rss_mib=$(awk "BEGIN {printf \"%.1f\", $rss / 1024}")
echo "== peak resident memory of officialmail-milter (scaled policy, after the load): $rss_mib MiB (target < 32 MiB)"
emit memory "officialmail-milter peak RSS" "$rss_mib" MiB

if [ "$(id -u)" -eq 0 ] && command -v postfix >/dev/null && command -v smtp-source >/dev/null; then
    . "$top_srcdir/tests/postfix/instance.sh"
    chmod 755 "$tmp"   # Postfix's daemons (user postfix) must reach the queue below it
    pf_setup "$tmp/pf" ""
    pf_start
    sleep 2
    PF_N=${BENCH_POSTFIX_MESSAGES:-2000}
    echo "== Postfix end to end: smtp-source (8 sessions, $PF_N messages of 5 KB) -> Postfix -> smtp-sink"
    # Milters on unix sockets the postfix user can reach, beside the inet ones.
    "$B/trivial_milter" "unix:$tmp/pf-tm.sock" 2>>"$tmp/tm.log" &
    tm_unix=$!
    "$top_builddir/officialmail-milter" -f -c "$tmp/policy/officialmail.conf" -p "unix:$tmp/pf-om.sock" \
        2>>"$tmp/om.log" &
    om_unix=$!
    wait_socket "unix:$tmp/pf-tm.sock" && wait_socket "unix:$tmp/pf-om.sock"
    chmod 666 "$tmp/pf-tm.sock" "$tmp/pf-om.sock"
    cfgs="none tm-inet om-inet tm-unix om-unix"
    for cfg in $cfgs; do : >"$tmp/pf.$cfg"; done
    r=0
    while [ $r -lt "$ROUNDS" ]; do
        for cfg in $cfgs; do
            case $cfg in
            none) m= ;;
            tm-inet) m="inet:127.0.0.1:$((iport + 1))" ;;
            om-inet) m="inet:127.0.0.1:$iport" ;;
            tm-unix) m="unix:$tmp/pf-tm.sock" ;;
            om-unix) m="unix:$tmp/pf-om.sock" ;;
            esac
            postconf -c "$PF_ETC" -e "smtpd_milters = $m" "milter_protocol = 6" \
                "milter_default_action = tempfail" >/dev/null
            postfix -c "$PF_ETC" reload >/dev/null 2>&1
            sleep 1
            before=$(grep -c ' client=' "$PF_DIR/maillog")
            t0=$(date +%s.%N)
            if ! timeout 120 smtp-source -s 8 -m "$PF_N" -l 5000 -f deputy@d7.jk.gov.in \
                -t a@d8.jk.gov.in "127.0.0.1:$PF_PORT" >"$tmp/smtp-source.out" 2>&1; then
                echo "smtp-source failed: $(cat "$tmp/smtp-source.out")"; exit 1
            fi
            t1=$(date +%s.%N)
            got=$(($(grep -c ' client=' "$PF_DIR/maillog") - before))
            [ "$got" -ge "$PF_N" ] || { echo "Postfix took $got of $PF_N messages"; exit 1; }
            awk "BEGIN {printf \"%.1f\n\", $PF_N / ($t1 - $t0)}" >>"$tmp/pf.$cfg"
        done
        r=$((r + 1))
    done
    for cfg in $cfgs; do
        eval "pf_$(echo $cfg | tr - _)=$(median <"$tmp/pf.$cfg")"
        printf '%-34s %10.0f msg/s\n' "Postfix + $cfg" "$(median <"$tmp/pf.$cfg")"
        emit postfix "$cfg" "$(median <"$tmp/pf.$cfg")" msg/s
    done
    for k in inet unix; do
        pr=$(awk "BEGIN {printf \"%.3f\", $(eval echo \$pf_om_$k) / $(eval echo \$pf_tm_$k)}")
        tn=$(awk "BEGIN {printf \"%.3f\", $(eval echo \$pf_tm_$k) / $pf_none}")
        echo "ratio Postfix+officialmail / Postfix+trivial over $k: $pr (target >= 0.97, SPEC 8 second round); trivial / no milter: $tn"
        emit ratio "postfix officialmail/trivial $k" "$pr" x
    done
    kill "$tm_unix" "$om_unix" 2>/dev/null
    grep -c 'milter-reject\|warning: milter' "$PF_DIR/maillog" | sed 's/^/milter errors or rejects in the Postfix log: /'
else
    echo "== Postfix end to end: skipped (needs root, postfix and smtp-source)"
fi

bench_metrics
bench_metrics_ir

echo "== the policy alone (bench_policy) and the violation store alone (bench_store)"
"$B/bench_policy" "$tmp/policy/officialmail.conf" 200000 | tee "$tmp/policy.out"
"$B/bench_store" "$tmp" 20000 | tee "$tmp/store.out"
emit store "group commit" "$(sed -n 's/.*: \([0-9]*\) records\/s (.*/\1/p' "$tmp/store.out" | head -1)" records/s
emit policy "judge" "$(sed -n 's/.*: \([0-9.]*\) us per message.*/\1/p' "$tmp/policy.out")" us/msg
kill "$om_inet" "$tm_inet" 2>/dev/null
echo "== written: $csv"
