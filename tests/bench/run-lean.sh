#!/bin/sh
# run-lean.sh - officialmail-milter against the lean milter (SPEC 8), side
# by side in one run (make bench-lean; also part of make bench).
#
# Both milters run at once: officialmail-milter on the scaled reference
# policy (gen-policy.sh, violation store on) and trivial_milter -l -r, the
# lean milter that negotiates the same protocol steps and refuses at RCPT
# the recipients at the webmail domains of the load (it knows the answer:
# the unavoidable work). The same load generator (mtload, which sends
# {daemon_port} at connect as an MTA does) drives each in turn, the order
# alternating every round, on two loads:
#   refuse - every message has exactly one recipient refused at RCPT;
#   clean  - every recipient accepted.
# mtload checks each run: a run in which a message was answered otherwise
# is reported INVALID and gives no figure. Then callgrind counts the
# instructions per message of both milters on the refuse load, with the
# top functions (BENCH_CALLGRIND=0 skips it).
# BENCH_DATABASE_COMMIT=background measures officialmail-milter with
# database_commit = "background" (the default is "before-answer": every
# message's records committed before its answer).
set -u
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
B=$top_builddir/tests/bench
LOAD=$top_builddir/tests/milter/mtload
N=${BENCH_MESSAGES:-4000}
ROUNDS=${BENCH_ROUNDS:-3}
CG_N=${BENCH_CALLGRIND_MESSAGES:-1500}
REFUSE=gmail.com,yahoo.co.in
csv=${BENCH_CSV:-bench-lean.csv}
tmp=$(mktemp -d)
pids=
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

sh "$top_srcdir/tests/bench/gen-policy.sh" "$tmp/policy"
printf 'database = "%s/violations.db";\n' "$tmp" >>"$tmp/policy/officialmail.conf"
COMMIT=${BENCH_DATABASE_COMMIT:-before-answer}
printf 'database_commit = "%s";\n' "$COMMIT" >>"$tmp/policy/officialmail.conf"
echo "kind,name,value,unit" >"$csv"
emit() { echo "$1,$2,$3,$4" >>"$csv"; }

wait_socket() {
    i=0
    while [ $i -lt 300 ]; do
        printf 'connect probe 127.0.0.1\nquit\n' | "$top_builddir/tests/milter/mtclient" "$1" >/dev/null 2>&1 && return 0
        sleep 0.1; i=$((i + 1))
    done
    return 1
}
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

"$top_builddir/officialmail-milter" -f -c "$tmp/policy/officialmail.conf" -p "unix:$tmp/om.sock" 2>"$tmp/om.log" &
om_pid=$!
pids="$pids $om_pid"
"$B/trivial_milter" -l -r "$REFUSE" "unix:$tmp/tl.sock" 2>"$tmp/tl.log" &
pids="$pids $!"
for s in om tl; do
    wait_socket "unix:$tmp/$s.sock" || { echo "milters did not start"; cat "$tmp/om.log"; exit 1; }
    "$LOAD" -s "unix:$tmp/$s.sock" -n 500 -c 4 -m refuse -q W >/dev/null   # warm up
done

echo "== officialmail-milter (database_commit = $COMMIT) and the lean milter, side by side: $N messages a run, $ROUNDS rounds"
printf '%-34s %10s %10s %10s %14s\n' "" "msg/s" "p50 ms" "p99 ms" "refused rcpts"
invalid=0
for load in refuse clean; do
    for c in 1 8; do
        : >"$tmp/om.$load$c"; : >"$tmp/tl.$load$c"
        r=0
        while [ $r -lt "$ROUNDS" ]; do
            for who in $([ $((r % 2)) -eq 0 ] && echo "tl om" || echo "om tl"); do
                line=$("$LOAD" -s "unix:$tmp/$who.sock" -n "$N" -c "$c" -t 60 -m "$load" -q "R$r$who")
                if [ "$(field "$line" valid)" != yes ]; then
                    echo "INVALID run ($who, $load, c=$c): $line"
                    invalid=1
                    continue
                fi
                echo "$line" >>"$tmp/$who.$load$c"
            done
            r=$((r + 1))
        done
        for who in tl om; do
            name=$([ $who = om ] && echo officialmail-milter || echo lean-milter)
            if [ ! -s "$tmp/$who.$load$c" ]; then
                printf '%-34s %10s\n' "$name $load c=$c" INVALID
                eval "rate_$who=0"
                continue
            fi
            rate=$(while read -r l; do field "$l" rate; done <"$tmp/$who.$load$c" | median)
            p50=$(while read -r l; do field "$l" p50_ms; done <"$tmp/$who.$load$c" | median)
            p99=$(while read -r l; do field "$l" p99_ms; done <"$tmp/$who.$load$c" | median)
            ref=$(while read -r l; do field "$l" refused_rcpts; done <"$tmp/$who.$load$c" | median)
            printf '%-34s %10.0f %10.3f %10.3f %14s\n' "$name $load c=$c" "$rate" "$p50" "$p99" "$ref"
            emit milter "$name $load c=$c rate" "$rate" msg/s
            eval "rate_$who=$rate p50_$who=$p50"
        done
        if [ "$rate_tl" = 0 ] || [ "$rate_om" = 0 ]; then
            echo "ratio officialmail/lean, $load, c=$c: none (an invalid run)"
            continue
        fi
        ratio=$(awk "BEGIN {printf \"%.3f\", $rate_om / $rate_tl}")
        # On a shared machine the median latency moves less than the rate.
        pratio=$(awk "BEGIN {printf \"%.3f\", $p50_tl / $p50_om}")
        echo "ratio officialmail/lean, $load, c=$c: $ratio (target >= 0.95); by p50 latency (lean/officialmail): $pratio"
        emit ratio "officialmail/lean $load c=$c" "$ratio" x
    done
done
rss=$(awk '/^VmHWM:/ {print $2}' "/proc/$om_pid/status")
echo "peak resident memory of officialmail-milter: $(awk "BEGIN {printf \"%.1f\", $rss / 1024}") MiB (target < 32 MiB)"
emit memory "officialmail-milter peak RSS" "$(awk "BEGIN {printf \"%.1f\", $rss / 1024}")" MiB

if [ "${BENCH_CALLGRIND:-1}" = 0 ] || ! command -v valgrind >/dev/null; then
    echo "== callgrind: skipped"
    exit $invalid
fi

# cg_run WHO CMD... - instructions per message of one milter under callgrind:
# counters zeroed after a warm-up, dumped after CG_N messages at c=1.
cg_run() {
    who=$1; shift
    valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.$who.%p" "$@" 2>"$tmp/cg.$who.log" &
    vg=$!
    pids="$pids $vg"
    wait_socket "unix:$tmp/cg-$who.sock" || { echo "$who did not start under callgrind"; return 1; }
    "$LOAD" -s "unix:$tmp/cg-$who.sock" -n 200 -c 1 -m refuse -q CW >/dev/null
    callgrind_control -z "$vg" >/dev/null
    line=$("$LOAD" -s "unix:$tmp/cg-$who.sock" -n "$CG_N" -c 1 -m refuse -q CG)
    [ "$(field "$line" valid)" = yes ] || { echo "INVALID callgrind run ($who): $line"; return 1; }
    callgrind_control -d "$vg" >/dev/null
    kill "$vg"
    wait "$vg" 2>/dev/null
    f="$tmp/cg.$who.$vg.1" # the dump of callgrind_control -d
    total=$(callgrind_annotate "$f" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1; exit}')
    per=$((total / CG_N))
    eval "ir_$who=$per"
    echo "$who: $per instructions per message ($total over $CG_N messages)"
    echo "  top functions, self cost (instructions per message):"
    callgrind_annotate --auto=no --threshold=100 "$f" 2>/dev/null | sed -n '/file:function/,$p' |
        sed -n '3,14p' | cg_lines
    [ "$who" = om ] || return 0
    echo "  the decision and the log, inclusive cost (instructions per message):"
    callgrind_annotate --auto=no --inclusive=yes --threshold=100 "$f" 2>/dev/null |
        grep -E ':(cb_envrcpt|verdict_rcpt_sender|verdict_judge|verdict_judge_message|message_parse|identity_department|pattern_set_department|pattern_set_any_marker|pcre2_match_8|store_append|record_hash|sqlite3_step|record_out_committed|record_out_message|__vfprintf_internal) ' |
        cg_lines
}

# cg_lines - "1,234,000 (12%) file:function [lib]" lines as "1234 /msg function".
cg_lines() {
    sed -E 's/^ *([0-9,]+) \([ 0-9.]+%\) +/\1 /; s/ \[([^]]*\/)?([^]/]*)\]$/ [\2]/' |
        sed -E 's/ [^ ]*:([^: ]+)( \[|$)/ \1\2/' | grep -v ' \(clone\|start_thread\)\( \|$\)' |
        awk -v n="$CG_N" '{ir = $1; gsub(",", "", ir); $1 = ""; printf "  %10d %s\n", ir / n, $0}'
}

echo "== callgrind: instructions per message, refuse load, c=1"
cg_run tl "$B/trivial_milter" -l -r "$REFUSE" "unix:$tmp/cg-tl.sock" || exit 1
cg_run om "$top_builddir/officialmail-milter" -f -c "$tmp/policy/officialmail.conf" -p "unix:$tmp/cg-om.sock" || exit 1
x=$(awk "BEGIN {printf \"%.2f\", $ir_om / $ir_tl}")
echo "instructions per message, officialmail/lean: $x (target <= 2.5)"
emit callgrind "officialmail-milter Ir/msg" "$ir_om" Ir
emit callgrind "lean-milter Ir/msg" "$ir_tl" Ir
emit ratio "officialmail/lean instructions" "$x" x
exit $invalid
