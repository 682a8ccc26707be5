#!/bin/sh
# demo.sh - build officialmail and show its verdicts on the demo messages
# with the example policy (contrib/officialmail.conf.example).
# Run from the top of the source tree; installs what it needs.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
sh contrib/install-deps.sh >/dev/null
[ -x configure ] || autoreconf -fi >/dev/null 2>&1
mkdir -p build-demo && cd build-demo
[ -f Makefile ] || ../configure -q
make -s -j2 officialmail >/dev/null
conf="$top/contrib/demo/officialmail.conf"
./officialmail -c "$conf" check-config
for args in "$top"/contrib/demo/*.args; do
    name=$(basename "$args" .args)
    echo
    echo "=== $name"
    echo "    officialmail test $(cat "$args")"
    eval "set -- $(cat "$args")"
    ./officialmail -c "$conf" test "$@" "$top/contrib/demo/$name.eml" | sed 's/^/    /'
done
