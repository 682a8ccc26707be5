#!/bin/sh
# contrib.sh - the files make install puts before an administrator: the
# example configuration loads and puts the socket where a chrooted smtpd
# finds it, the Postfix snippet names that socket, the tmpfiles.d snippet
# makes its directory, the version is the package's everywhere, and no
# installed file sends the reader to SPEC.md (which users do not get).
. "$top_srcdir/tests/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
version=$(sed -n 's/^#define PACKAGE_VERSION "\(.*\)"$/\1/p' "$top_builddir/config.h")
# mkvar NAME - a variable of the build's Makefile, expanded as make expands it.
mkvar() { printf 'print-var:\n\t@echo $(%s)\n' "$1" |
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory -C "$top_builddir" -f Makefile -f - print-var; }
pkgdatadir=$(mkvar pkgdatadir)
sbindir=$(mkvar sbindir)
(cd "$top_builddir" && make -s contrib/officialmail.conf.example contrib/officialmail.tmpfiles \
    contrib/officialmail-milter.service contrib/officialmail-digest.service \
    contrib/officialmail-digest.timer contrib/officialmail-digest.cron \
    contrib/officialmail-alert.service contrib/officialmail-console.service \
    doc/officialmail.1 doc/officialmail.conf.5 doc/officialmail-milter.8) ||
    { not_ok "the installed files are built"; finish; exit 1; }
ex="$top_builddir/contrib/officialmail.conf.example"

# --- the example configuration ------------------------------------------------------
# Loaded with the webmail list of the source tree (it is installed later).
sed "s|$pkgdatadir/webmail-domains.txt|$(cd "$top_srcdir" && pwd)/policy/lists/webmail-domains.txt|" \
    "$ex" >"$tmp/example.conf"
out=$("$OM" -c "$tmp/example.conf" check-config 2>&1)
check "the example configuration checks" "$? $(echo "$out" | grep -c error)" "0 0"
check "the example's socket is inside Postfix's queue directory" \
    "$(sed -n 's/^socket = "\(.*\)";$/\1/p' "$ex")" "unix:/var/spool/postfix/officialmail/milter.sock"
check "the Postfix snippet reaches it from the queue directory, chrooted or not" \
    "$(sed -n 's/^smtpd_milters = //p' "$top_srcdir/contrib/postfix-main.cf")" "unix:officialmail/milter.sock"
contains "the Postfix snippet shows the unchrooted variant" "$top_srcdir/contrib/postfix-main.cf" \
    "#smtpd_milters = unix:/run/officialmail/milter.sock"

# --- the tmpfiles.d snippet and the unit agree with it --------------------------------
contains "tmpfiles.d makes the socket directory, officialmail's, 0750" \
    "$top_builddir/contrib/officialmail.tmpfiles" \
    "d /var/spool/postfix/officialmail 0750 officialmail officialmail -"
contains "the unit may write the socket directory" "$top_builddir/contrib/officialmail-milter.service" \
    "ReadWritePaths=-/var/spool/postfix/officialmail"
contains "the unit starts only a configuration that checks" \
    "$top_builddir/contrib/officialmail-milter.service" "ExecStartPre=$sbindir/officialmail-milter -n "

# --- the version ------------------------------------------------------------------
check "the package version is 0.2.0" "$version" "0.2.0"
check "officialmail -V" "$("$OM" -V)" "officialmail $version"
check "officialmail-milter -V" "$("$MILTER" -V)" "officialmail-milter $version"
for m in officialmail.1 officialmail.conf.5 officialmail-milter.8; do
    check "$m carries the version" "$(head -1 "$top_builddir/doc/$m" | grep -c "\"officialmail $version\"")" 1
done

# --- what the installed files say -------------------------------------------------
for f in doc/officialmail.1 doc/officialmail.conf.5 doc/officialmail-milter.8 \
    contrib/officialmail.conf.example contrib/officialmail.tmpfiles contrib/officialmail-milter.service \
    contrib/officialmail-digest.service contrib/officialmail-digest.timer \
    contrib/officialmail-digest.cron contrib/officialmail-alert.service contrib/officialmail-console.service; do
    lacks=$(grep -n 'SPEC' "$top_builddir/$f")
    check "$f does not send the reader to SPEC" "$lacks" ""
    lacks=$(grep -n '@[a-zA-Z_]*@' "$top_builddir/$f")
    check "$f has every placeholder filled" "$lacks" ""
done
check "postfix-main.cf does not send the reader to SPEC" "$(grep -n SPEC "$top_srcdir/contrib/postfix-main.cf")" ""
finish
