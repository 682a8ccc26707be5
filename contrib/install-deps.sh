#!/bin/sh
# install-deps.sh - install the Debian 12 packages that building and
# testing officialmail need. Safe to run again; uses sudo when not root.
set -eu
PKGS="ca-certificates gcc libc6-dev make autoconf automake pkg-config
      libconfig-dev libpcre2-dev libidn2-dev libssl-dev libmilter-dev libsqlite3-dev
      check clang-format sqlite3
      postfix swaks iproute2 procps
      libspf2-dev libopendkim-dev opendkim-tools nsd util-linux perl
      libmicrohttpd-dev prometheus
      python3 chromium fonts-dejavu-core"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
# Postfix is installed unconfigured: the tests and the demo run private
# instances with their own configuration directories. NSD is only run by
# the SPF and DKIM tests, inside network namespaces of their own; the
# package's own service is not needed (where the packaging starts it, it
# binds the host's port 53, which the tests do not use).
echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $PKGS
