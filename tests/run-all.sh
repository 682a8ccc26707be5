#!/bin/sh
# run-all.sh - the whole test suite as CI runs it: a clean build under
# AddressSanitizer and UndefinedBehaviorSanitizer with -Werror, make check,
# the formatting check, the Debian package (tests/package/deb.sh) and make
# distcheck; ends with "N passed, M failed"
# summed over every suite. Run from the top of the source tree.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build="$top/build-tests"
cd "$top" || exit 1
pass=0 fail=0

# count_logs - add up the closing lines of every test log in the build.
count_logs() {
    for log in $(find "$build/tests" -name '*.log' ! -name test-suite.log); do
        line=$(grep -E '^[0-9]+%: Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+' "$log" | tail -1)
        if [ -n "$line" ]; then
            n=$(echo "$line" | sed -E 's/.*Checks: ([0-9]+), Failures: ([0-9]+), Errors: ([0-9]+).*/\1 \2 \3/')
            set -- $n
            pass=$((pass + $1 - $2 - $3)) fail=$((fail + $2 + $3))
            continue
        fi
        line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
        if [ -n "$line" ]; then
            set -- $line
            pass=$((pass + $1)) fail=$((fail + $3))
        else
            fail=$((fail + 1)) # a suite that died before its summary
            echo "no summary in $log"
        fi
    done
}

# count_skips - every test automake saw skipped (exit 77) is a failure here:
# CI installs every tool (contrib/install-deps.sh --test), so a skip means a
# suite that did not run, and must not pass for one that did.
count_skips() {
    for trs in $(find "$build/tests" -name '*.trs'); do
        if grep -q '^:test-result: SKIP' "$trs"; then
            fail=$((fail + 1))
            echo "SKIPPED (counted as a failure): ${trs%.trs}"
        fi
    done
}

# step NAME CMD... - one pass/fail item outside make check.
step() {
    name=$1
    shift
    if "$@"; then pass=$((pass + 1)); echo "PASS: $name"; else fail=$((fail + 1)); echo "FAIL: $name"; fi
}

sh contrib/install-deps.sh --test >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
autoreconf -fi || { echo "0 passed, 1 failed"; exit 1; }
rm -rf "$build" && mkdir -p "$build" && cd "$build" || exit 1
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
../configure -q --enable-werror CFLAGS="-g -O1 $SAN" LDFLAGS="$SAN" || { echo "0 passed, 1 failed"; exit 1; }
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
make -j2 || { echo "0 passed, 1 failed"; exit 1; }
make -j2 check
check_status=$?
[ $check_status -eq 0 ] || cat tests/test-suite.log 2>/dev/null | tail -60 || true
count_logs
count_skips
cd "$top" || exit 1
step "clang-format" sh -c 'clang-format --dry-run --Werror $(git ls-files "*.c" "*.h")'
# The Debian package: built from this tree, lintian, installed, run, purged.
step "Debian package (tests/package/deb.sh)" sh tests/package/deb.sh
cd "$build" || exit 1
step "make distcheck" make -j2 distcheck
echo "$pass passed, $fail failed"
[ $fail -eq 0 ] && [ $check_status -eq 0 ]
