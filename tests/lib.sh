# lib.sh - what the shell tests share: TAP-like lines and a closing count.
# Sourced by the tests; top_srcdir and top_builddir come from make check.
: "${top_srcdir:=.}" "${top_builddir:=.}"
OM="$top_builddir/officialmail"
t_pass=0
t_fail=0

# ok NAME - record a passing check.
ok() { t_pass=$((t_pass + 1)); echo "ok $((t_pass + t_fail)) - $1"; }

# not_ok NAME DETAIL - record a failing check and say why.
not_ok() {
    t_fail=$((t_fail + 1))
    echo "not ok $((t_pass + t_fail)) - $1"
    [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/#   /'
    return 0
}

# check NAME GOT WANT - pass when the two strings are equal.
check() {
    if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got:  $2
want: $3"; fi
}

# finish - the closing line CI counts, and the exit status make reads.
finish() {
    echo "$t_pass passed, $t_fail failed"
    [ "$t_fail" -eq 0 ]
}
