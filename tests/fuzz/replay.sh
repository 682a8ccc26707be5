#!/bin/sh
# replay.sh - replay the seed corpus of every fuzz target through its
# replay driver (tests/fuzz/replay_NAME), built with the sanitizers of
# the build. Run by make check with top_srcdir and top_builddir set.
# A target whose corpus directory does not exist is not counted.

: "${top_srcdir:=.}"
: "${top_builddir:=.}"
# UBSan only reports by default: make any undefined behaviour a failure.
UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
export UBSAN_OPTIONS

n=0
passed=0
failed=0
for name in address config message auth mailbox; do
    corpus="$top_srcdir/tests/fuzz/corpus/$name"
    [ -d "$corpus" ] || continue
    n=$((n + 1))
    out=$("$top_builddir/tests/fuzz/replay_$name" "$corpus" 2>&1)
    rc=$?
    printf '%s\n' "$out" | sed 's/^/# /'
    if [ "$rc" -eq 0 ]; then
        echo "ok $n - replay $name"
        passed=$((passed + 1))
    else
        echo "# exit status $rc"
        echo "not ok $n - replay $name"
        failed=$((failed + 1))
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] || exit 1
exit 0
