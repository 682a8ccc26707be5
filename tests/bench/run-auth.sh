#!/bin/sh
# run-auth.sh - make bench-auth: the cost per message of SPF and DKIM with
# a warm cache, against NSD answering from memory on loopback, in a
# network namespace of its own (needs root, nsd, opendkim-genkey).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/auth/lib.sh"
auth_setup "$@"
trap 'nsd_stop; rm -rf "$auth_tmp"' EXIT
auth_conf "$auth_tmp/officialmail.conf" "$auth_tmp/violations.db"
cat >"$auth_tmp/m.eml" <<'MSG'
Received: from relay.example.net by mx.example.net; Mon, 30 Nov 2026 10:29:00 +0530
From: Commissioner <commissioner@jk.gov.in>
To: accounts@jk.gov.in
Subject: Budget estimates for 2027
Date: Mon, 30 Nov 2026 10:30:00 +0530
Message-ID: <budget-3@jk.gov.in>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

MSG
i=0
while [ $i -lt 60 ]; do
    echo "Line $i of the budget note: a few kilobytes of ordinary text, as in most mail."; i=$((i + 1))
done >>"$auth_tmp/m.eml"
sign "$auth_tmp/m.eml" jk.gov.in sel1 >"$auth_tmp/signed.eml"
"$top_builddir/tests/bench/bench_auth" "$auth_tmp/officialmail.conf" "$auth_tmp/signed.eml" \
    "${BENCH_AUTH_MESSAGES:-2000}"
