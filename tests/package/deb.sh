#!/bin/sh
# deb.sh - the Debian package as an administrator gets it. Builds it from
# this tree with dpkg-buildpackage, checks it with lintian, installs it
# with dpkg -i, and checks what the installation left: the version, the
# system user and group, the directories and their modes, the conffile,
# the manual pages, README.Debian, the tmpfiles.d snippet, the units
# (started with systemctl where systemd runs, checked with systemd-analyze
# verify where it does not), the milter on the installed configuration's
# socket inside Postfix's queue directory behind a Postfix instance that
# reaches it as unix:officialmail/milter.sock, and the demo against the
# installed binaries. Then removes the package (the violation log stays)
# and purges it (the log goes).
#
# Run by tests/run-all.sh (not make check: it builds from the git tree and
# installs a package). Needs root. It refuses to run where officialmail is
# already installed, so that it never purges an administrator's log.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
top_srcdir=$top
top_builddir=$top
. "$top/tests/lib.sh"
. "$top/tests/postfix/instance.sh"
require_root "dpkg -i, Postfix"
require git dpkg-buildpackage dh lintian fakeroot systemd-analyze systemd-tmpfiles setpriv \
    postfix swaks smtp-sink
if dpkg-query -W -f='${db:Status-Status}' officialmail 2>/dev/null | grep -qv '^not-installed$'; then
    not_ok "officialmail is not installed before the test" \
        "this test installs and purges the package; remove the installed one first (dpkg --purge officialmail)"
    finish
    exit 1
fi

git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1 ||
    { not_ok "a git checkout" "the package is built from the files git tracks in $top"; finish; exit 1; }
# The version of configure.ac, which -V, the manual pages and the package carry.
version=$(sed -n 's/^AC_INIT(\[officialmail\], \[\([^]]*\)\].*/\1/p' "$top/configure.ac")
check "configure.ac's version is 0.2.0" "$version" "0.2.0"
check "debian/changelog's version is configure.ac's" \
    "$(sed -n '1s/^officialmail (\([^)]*\)).*/\1/p' "$top/debian/changelog")" "$version"
tmp=$(mktemp -d)
chmod 755 "$tmp" # Postfix's daemons (user postfix) reach their directories through it
MILTER_PID=
cleanup() {
    [ -n "${PF_ETC:-}" ] && pf_stop
    [ -n "$MILTER_PID" ] && kill "$MILTER_PID" 2>/dev/null && wait "$MILTER_PID" 2>/dev/null
    if dpkg-query -W -f='${db:Status-Status}' officialmail 2>/dev/null | grep -qv '^not-installed$'; then
        dpkg --purge officialmail >/dev/null 2>&1
    fi
    [ -n "${KEEP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT

# --- build ---------------------------------------------------------------------------
# The tracked files and the new ones not ignored, as they are in the work
# tree (so that what is tested is what is about to be committed).
mkdir -p "$tmp/src/officialmail"
(cd "$top" && git ls-files -co --exclude-standard -z | tar --null --ignore-failed-read -T - -cf -) |
    tar -C "$tmp/src/officialmail" -xf -
(cd "$tmp/src/officialmail" && DEB_BUILD_OPTIONS="parallel=2" dpkg-buildpackage -us -uc -b) \
    >"$tmp/build.log" 2>&1
status=$?
deb="$tmp/src/officialmail_${version}_$(dpkg --print-architecture).deb"
changes="$tmp/src/officialmail_${version}_$(dpkg --print-architecture).changes"
if [ $status -eq 0 ] && [ -f "$deb" ]; then ok "dpkg-buildpackage -us -uc -b"; else
    not_ok "dpkg-buildpackage -us -uc -b" "$(tail -30 "$tmp/build.log")"
    finish
    exit 1
fi
grep -E '^(PASS|FAIL|ERROR|SKIP): ' "$tmp/build.log" | sed 's/^/    build test: /'
check "dpkg-buildpackage: no warnings (compiler, dpkg-shlibdeps, debhelper)" \
    "$(grep -i 'warning' "$tmp/build.log")" ""

# lintian: no error, no warning (the remaining ones are overridden, each
# with its reason, in debian/officialmail.lintian-overrides).
lintian "$changes" >"$tmp/lintian.log" 2>&1
sed 's/^/    lintian: /' "$tmp/lintian.log"
check "lintian: no errors or warnings" "$(grep -E '^[EW]: ' "$tmp/lintian.log")" ""

# --- install ---------------------------------------------------------------------------
dpkg -i "$deb" >"$tmp/install.log" 2>&1
check "dpkg -i" "$?" 0
check "dpkg -s says $version" "$(dpkg -s officialmail | sed -n 's/^Version: //p')" "$version"
check "officialmail-milter -V says $version" "$(/usr/sbin/officialmail-milter -V)" "officialmail-milter $version"
check "officialmail -V says $version" "$(officialmail -V)" "officialmail $version"
check "the system user officialmail" \
    "$(getent passwd officialmail | cut -d: -f6,7)" "/var/lib/officialmail:/usr/sbin/nologin"
check "the group officialmail" "$(getent group officialmail | cut -d: -f1)" officialmail
check "postfix is in the officialmail group" "$(id -nG postfix | tr ' ' '\n' | grep -cx officialmail)" 1
check "/var/lib/officialmail: officialmail's, 0750" \
    "$(stat -c '%a %U %G' /var/lib/officialmail)" "750 officialmail officialmail"
check "the socket directory in Postfix's chroot: officialmail's, 0750" \
    "$(stat -c '%a %U %G' /var/spool/postfix/officialmail)" "750 officialmail officialmail"
check "the configuration is a conffile" \
    "$(dpkg-query -W -f='${Conffiles}\n' officialmail | awk 'NF {print $1}')" /etc/officialmail/officialmail.conf
check "the configuration is the example" \
    "$(cmp /etc/officialmail/officialmail.conf /usr/share/doc/officialmail/examples/officialmail.conf.example && echo same)" same
for m in man1/officialmail.1 man5/officialmail.conf.5 man8/officialmail-milter.8; do
    check "manual page $m, version $version" \
        "$(zcat "/usr/share/man/$m.gz" 2>/dev/null | head -1 | grep -c "\"officialmail $version\"")" 1
done
contains "README.Debian: smtpd_milters" /usr/share/doc/officialmail/README.Debian \
    "smtpd_milters = unix:officialmail/milter.sock"
contains "README.Debian: non_smtpd_milters" /usr/share/doc/officialmail/README.Debian \
    'non_smtpd_milters = $smtpd_milters'
# The tmpfiles.d snippet makes the socket directory again (as at boot).
rmdir /var/spool/postfix/officialmail
systemd-tmpfiles --create officialmail.conf
check "tmpfiles.d makes the socket directory again" \
    "$(stat -c '%a %U %G' /var/spool/postfix/officialmail 2>&1)" "750 officialmail officialmail"

# --- the installed configuration checks ------------------------------------------------------
out=$(/usr/sbin/officialmail-milter -n -c /etc/officialmail/officialmail.conf 2>&1)
check "officialmail-milter -n on the installed configuration" "$?" 0
echo "$out" | sed 's/^/    /'
out=$(officialmail check-config 2>&1)
check "officialmail check-config (the default path)" "$?" 0

# --- the units ------------------------------------------------------------------------------
units="/lib/systemd/system/officialmail-milter.service /lib/systemd/system/officialmail-digest.service
/lib/systemd/system/officialmail-digest.timer /lib/systemd/system/officialmail-alert.service /lib/systemd/system/officialmail-ship.service"
sock=/var/spool/postfix/officialmail/milter.sock
if [ -d /run/systemd/system ]; then
    check "the milter unit is enabled" "$(systemctl is-enabled officialmail-milter.service)" enabled
    check "the digest timer is enabled" "$(systemctl is-enabled officialmail-digest.timer)" enabled
    i=0
    while [ $i -lt 100 ] && [ ! -S $sock ]; do sleep 0.1; i=$((i + 1)); done
    check "the milter unit is running (started by the package)" \
        "$(systemctl is-active officialmail-milter.service)" active
else
    # shellcheck disable=SC2086
    out=$(systemd-analyze verify $units 2>&1)
    check "systemd-analyze verify: the units" "$? $out" "0 "
    check "the milter unit is enabled" \
        "$(readlink /etc/systemd/system/multi-user.target.wants/officialmail-milter.service)" \
        /lib/systemd/system/officialmail-milter.service
    check "the digest timer is enabled" \
        "$(readlink /etc/systemd/system/timers.target.wants/officialmail-digest.timer)" \
        /lib/systemd/system/officialmail-digest.timer
    # No systemd: the unit's own ExecStartPre and ExecStart, as its User=,
    # Group= (with the supplementary groups systemd gives) and UMask=.
    pre=$(sed -n 's/^ExecStartPre=//p' /lib/systemd/system/officialmail-milter.service)
    start=$(sed -n 's/^ExecStart=//p' /lib/systemd/system/officialmail-milter.service)
    umask=$(sed -n 's/^UMask=//p' /lib/systemd/system/officialmail-milter.service)
    as_unit="setpriv --reuid officialmail --regid officialmail --init-groups"
    # shellcheck disable=SC2086
    (umask "$umask" && $as_unit $pre) >"$tmp/pre.log" 2>&1
    check "the unit's ExecStartPre as officialmail" "$?" 0
    # shellcheck disable=SC2086
    (umask "$umask" && exec $as_unit $start) 2>"$tmp/milter.log" &
    MILTER_PID=$!
    i=0
    while [ $i -lt 100 ] && [ ! -S $sock ]; do sleep 0.1; i=$((i + 1)); done
fi
check "the socket: officialmail's, group-writable" "$(stat -c '%a %U %G' $sock 2>&1)" \
    "660 officialmail officialmail"

# --- Postfix reaches it as README.Debian says ----------------------------------------------------
# A Postfix instance of the test whose queue directory leads to the real
# socket directory: smtpd (as postfix, through its officialmail group)
# finds unix:officialmail/milter.sock there, as the system's Postfix does.
pf_setup "$tmp/pf" "unix:officialmail/milter.sock"
ln -s /var/spool/postfix/officialmail "$tmp/pf/queue/officialmail"
pf_start
sleep 2
swaks --server "127.0.0.1:$PF_PORT" --from secy-it@jk.gov.in --to contractor.raj@gmail.com,deputy@it.jk.gov.in \
    --header "Subject: package test" --body "Official business." >"$tmp/swaks.log" 2>&1
contains "Postfix: the gmail recipient refused by the installed milter" "$tmp/swaks.log" \
    "<** 550 5.7.1"
contains "Postfix: the official co-recipient accepted" "$tmp/swaks.log" "queued as"
pf_wait_delivered 1 || true
check "Postfix: the official copy delivered" "$(grep -l 'Subject: package test' "$tmp/pf/sink/"* 2>/dev/null | wc -l)" 1
pf_stop
PF_ETC=
officialmail log --format json >"$tmp/log.json" 2>&1
has_record "the record in /var/lib/officialmail" "$tmp/log.json" '"rule": "official-to-webmail"' \
    '"address": "contractor.raj@gmail.com"'
check "the violation log: officialmail's, 0640" \
    "$(stat -c '%a %U %G' /var/lib/officialmail/violations.db)" "640 officialmail officialmail"
if [ -n "$MILTER_PID" ]; then
    kill -TERM "$MILTER_PID"
    wait "$MILTER_PID"
    check "the milter stops on SIGTERM" "$?" 0
    MILTER_PID=
fi

# --- the demo against the installed binaries ------------------------------------------------
sh "$top/contrib/demo.sh" --installed >"$tmp/demo.log" 2>&1
check "the demo runs against the installed binaries" "$?" 0
contains "demo: the installed milter" "$tmp/demo.log" "== using the installed /usr/bin/officialmail and /usr/sbin/officialmail-milter (officialmail-milter $version)"
contains "demo: official mail to gmail refused" "$tmp/demo.log" "refused in SMTP (1-official-to-gmail)"
contains "demo: the impersonation held" "$tmp/demo.log" "held (HOLD queue)"
contains "demo: clean official mail delivered" "$tmp/demo.log" "delivered to director@fin.jk.gov.in"
contains "demo: the log verifies" "$tmp/demo.log" "intact: 3 records"
sed -n '/== where the mail ended/,/^$/p' "$tmp/demo.log" | sed 's/^/    /'

# --- remove, then purge --------------------------------------------------------------------------
dpkg -r officialmail >"$tmp/remove.log" 2>&1
check "dpkg -r" "$?" 0
check "remove keeps the violation log" "$(test -f /var/lib/officialmail/violations.db && echo kept)" kept
check "remove keeps the configuration" "$(test -f /etc/officialmail/officialmail.conf && echo kept)" kept
dpkg --purge officialmail >"$tmp/purge.log" 2>&1
check "dpkg --purge" "$?" 0
check "purge deletes the violation log" "$(test -e /var/lib/officialmail || echo gone)" gone
check "purge deletes the socket directory" "$(test -e /var/spool/postfix/officialmail || echo gone)" gone
check "purge deletes the configuration" "$(test -e /etc/officialmail || echo gone)" gone
check "purge leaves no unit enabled" \
    "$(ls /etc/systemd/system/*.wants/officialmail* 2>/dev/null)" ""
finish
