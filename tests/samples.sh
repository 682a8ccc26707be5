#!/bin/sh
# samples.sh - every sample message under tests/data/samples is judged by
# the real officialmail binary and its --json verdict compared with the
# expected one written beside it.
#   NAME.eml   the message (may be empty)
#   NAME.args  the envelope and facts: officialmail test options, one line
#   NAME.json  the expected `officialmail test --json` output
. "$top_srcdir/tests/lib.sh"
dir="$top_srcdir/tests/data/samples"
conf="$dir/officialmail.conf"

for args in "$dir"/*.args; do
    name=$(basename "$args" .args)
    want=$(cat "$dir/$name.json")
    # The clock is fixed so that exception expiry is reproducible; a
    # sample may give its own --now (the last one wins).
    got=$(eval "set -- $(cat "$args")"; "$OM" -c "$conf" test --json --now 2026-12-01T00:00:00Z \
        "$@" "$dir/$name.eml" 2>&1)
    check "sample $name" "$got" "$want"
done
finish
