#!/bin/sh
# run-ship.sh - records per second shipped to PostgreSQL (SPEC 8: at least
# 20,000/s, none lost): `make bench-ship`. Starts a throwaway PostgreSQL as
# the tests do (tests/pg/lib.sh), writes a 50,000-record local log, and
# times `officialmail ship --once` over it (ship_batch 1000, the default),
# ROUNDS times from an empty central table; prints each round, the best
# and the median, and checks that every record arrived once.
set -u
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
OM="$top_builddir/officialmail"
MAKE_LOG="$top_builddir/tests/store/make_log"
N=${BENCH_SHIP_RECORDS:-50000}
ROUNDS=${BENCH_ROUNDS:-3}
. "$top_srcdir/tests/pg/lib.sh"
. "$top_srcdir/tests/pg/gen.sh"
tmp=$(mktemp -d)
trap 'pg_stop; rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
GW=mx1.jk.gov.in

pg_start "$tmp/pg" && pg_central && pg_gateway "$GW" || { echo "PostgreSQL did not start" >&2; exit 1; }
gen_records "$GW" 1 "$N" | "$MAKE_LOG" "$tmp/gw.db" - || exit 1
sed -e "s|^database = .*|database = \"$tmp/gw.db\";|" -e 's|"\.\./|"'"$(cd "$top_srcdir/tests/data/samples" && pwd)"'/../|g' \
    "$top_srcdir/tests/data/samples/officialmail.conf" >"$tmp/gw.conf"
cat >>"$tmp/gw.conf" <<EOC
gateway_name = "$GW";
central_database = "$(pg_conninfo "$GW")";
ship_state = "$tmp/shipped";
EOC
# now_ms - the wall clock in milliseconds.
now_ms() { date +%s%3N; }
# cpu_ticks PID - the CPU time of PID's reaped children (ship for this shell,
# the backends for the postmaster), in clock ticks.
cpu_ticks() { awk '{ print $16 + $17 }' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
rates=""
cpurates=""
r=1
while [ $r -le "$ROUNDS" ]; do
    pg_psql om_owner "TRUNCATE violations" || exit 1
    c0=$(($(cpu_ticks $$) + $(cpu_ticks "$PG_PID")))
    t0=$(now_ms)
    "$OM" ship -c "$tmp/gw.conf" --once >/dev/null 2>&1 || { echo "ship failed" >&2; exit 1; }
    t1=$(now_ms)
    sleep 1 # the backend has exited and been reaped
    c1=$(($(cpu_ticks $$) + $(cpu_ticks "$PG_PID")))
    got=$(pg_psql om_owner "SELECT count(*) || ' ' || count(DISTINCT id) FROM violations")
    [ "$got" = "$N $N" ] || { echo "round $r: central holds '$got', not $N once each" >&2; exit 1; }
    rate=$((N * 1000 / (t1 - t0 + 1)))
    cpurate=$((N * hz / (c1 - c0 + 1)))
    printf 'round %d: %d records in %d ms = %d records/s; CPU (ship + its backend) %d ms = %d records per CPU second\n' \
        "$r" "$N" "$((t1 - t0))" "$rate" "$(((c1 - c0) * 1000 / hz))" "$cpurate"
    rates="$rates $rate"
    cpurates="$cpurates $cpurate"
    r=$((r + 1))
done
best=$(printf '%s\n' $rates | sort -n | tail -1)
median=$(printf '%s\n' $rates | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
cpumedian=$(printf '%s\n' $cpurates | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
printf 'ship to PostgreSQL, %d-record backlog: best %d records/s, median %d records/s (target >= 20000: %s); median %d records per CPU second\n' \
    "$N" "$best" "$median" "$([ "$median" -ge 20000 ] && echo met || echo NOT met)" "$cpumedian"
