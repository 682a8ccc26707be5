# lib.sh - what the digest tests share (sourced after tests/lib.sh).
#
#   digest_setup DIR   DIR/officialmail.conf (tests/digest/digest.conf with
#                      its database at DIR/violations.db) and that database,
#                      filled from tests/digest/events.txt by tests/store/make_log
#   mimecheck FILE...  judge digests with Python's email package; prints a dump
#   set_sendmail CONF COMMAND   set sendmail_command in CONF
#   section DUMP FILE-PATTERN PART  the text (PART=text) or HTML text (PART=html)
#                      of the message whose file name matches FILE-PATTERN
# NOW is the clock of the digests: Monday 2027-03-15 07:00 UTC, the day after
# week 2027-W10, whose events events.txt holds.
NOW=2027-03-15T07:00:00Z
MAKE_LOG="$top_builddir/tests/store/make_log"
PYTHON=${PYTHON:-python3}

digest_setup() {
    local_conf "$top_srcdir/tests/digest/digest.conf" "$1/officialmail.conf" "$1/violations.db"
    "$MAKE_LOG" "$1/violations.db" "$top_srcdir/tests/digest/events.txt"
}

mimecheck() {
    "$PYTHON" "$top_srcdir/tests/digest/mimecheck.py" "$@"
}

set_sendmail() {
    sed -i "s|^sendmail_command = .*|sendmail_command = \"$2\";|" "$1"
}

section() {
    awk -v pat="$2" -v part="--- $3" '
        /^== / { inmsg = index($0, pat) > 0; on = 0; next }
        inmsg && /^--- (text|html)$/ { on = ($0 == part); next }
        inmsg && on { print }' "$1"
}

# has NAME FILE TEXT - FILE holds the line TEXT exactly.
has() {
    if grep -qxF -- "$3" "$2"; then ok "$1"; else not_ok "$1" "no line '$3' in $2"; fi
}

# lacks NAME FILE TEXT - FILE holds no TEXT (a fixed string) anywhere.
lacks() {
    if grep -qF -- "$3" "$2"; then not_ok "$1" "'$3' found in $2: $(grep -F -- "$3" "$2" | head -3)"; else ok "$1"; fi
}

# need_python - python3 with its email package, or the test fails.
need_python() {
    if ! "$PYTHON" -c 'import email.policy, html.parser' 2>/dev/null; then
        not_ok "prerequisite: $PYTHON" "$PYTHON with its email package is missing (sh contrib/install-deps.sh --test)"
        finish
        exit 1
    fi
}
