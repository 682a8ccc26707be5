#!/bin/sh
# install-deps.sh - install the Debian 12 packages officialmail needs.
#   sh contrib/install-deps.sh          what building and running need
#   sh contrib/install-deps.sh --demo   also Postfix and swaks (contrib/demo.sh)
#   sh contrib/install-deps.sh --test   also what the tests need (make check,
#                                       tests/run-all.sh, the Debian package test)
# Safe to run again; uses sudo when not root.
set -eu
# Building: the compiler, the autotools (a git checkout runs autoreconf -fi)
# and the libraries with their headers; their runtime parts come with them.
PKGS="ca-certificates gcc libc6-dev make autoconf automake pkg-config
      libconfig-dev libpcre2-dev libidn2-dev libssl-dev libmilter-dev libsqlite3-dev
      libspf2-dev libopendkim-dev libmicrohttpd-dev libgnutls28-dev libcrypt-dev libpq-dev"
# The demo: a private Postfix instance and an SMTP client; PostgreSQL for
# the central log's demo (contrib/demo-central.sh) and tests.
DEMO_PKGS="postfix swaks procps curl postgresql"
# Testing: the Check library (the unit tests), the formatting check, the
# sqlite3 shell (tampering with the log), Postfix with swaks and smtp-sink
# (the end-to-end tests and the demo), NSD and opendkim-genkey (SPF and
# DKIM against a DNS server in a network namespace), Python's email
# package and Chromium (the digests), curl and promtool (package prometheus:
# /metrics and /healthz), and for the Debian package test
# debhelper, dpkg-dev, lintian, fakeroot and systemd-analyze; for the review
# console Selenium with Chromium's driver, and openssl for a test certificate;
# psql with the PostgreSQL of DEMO_PKGS (the central log's tests start their own server).
TEST_PKGS="check clang-format sqlite3 coreutils
      iproute2
      opendkim-tools nsd util-linux perl
      python3 chromium fonts-dejavu-core curl prometheus chromium-driver python3-selenium openssl
      git debhelper dpkg-dev lintian fakeroot systemd
      postgresql-client"
case "${1:-}" in
"") ;;
--demo) PKGS="$PKGS $DEMO_PKGS" ;;
--test) PKGS="$PKGS $DEMO_PKGS $TEST_PKGS" ;;
*)
    echo "usage: sh contrib/install-deps.sh [--demo | --test]" >&2
    exit 2
    ;;
esac
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
# Postfix is installed unconfigured: the tests and the demo run private
# instances with their own configuration directories. NSD is only run by
# the SPF and DKIM tests, inside network namespaces of their own; the
# package's own service is not needed (where the packaging starts it, it
# binds the host's port 53, which the tests do not use).
case " $PKGS " in
*" postfix "*) echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections ;;
esac
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $PKGS
