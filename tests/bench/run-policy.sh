#!/bin/sh
# run-policy.sh - the policy benchmark on the scaled reference policy.
# Run by `make bench` from the build directory.
set -eu
top_srcdir=${top_srcdir:-.}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
sh "$top_srcdir/tests/bench/gen-policy.sh" "$dir"
./tests/bench/bench_policy "$dir/officialmail.conf" "${BENCH_ITERATIONS:-200000}"
