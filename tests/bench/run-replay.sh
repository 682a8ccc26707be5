#!/bin/sh
# run-replay.sh - officialmail replay's rate on one core (SPEC 8: at least
# 20,000 messages a second), on the scaled reference policy (gen-policy.sh)
# and an mbox of BENCH_REPLAY_MESSAGES (default 100,000) messages of about
# 5 KB: 15 header fields, 3 recipients, the mix of mtload (clean, official
# to webmail, citizen, impersonation, spoofed with this gateway's results).
# Pinned to one CPU with taskset when it is there. Prints messages/s.
set -u
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
N=${BENCH_REPLAY_MESSAGES:-100000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sh "$top_srcdir/tests/bench/gen-policy.sh" "$tmp/policy"
printf 'gateway_name = "mx1.bench.example";\n' >>"$tmp/policy/officialmail.conf"
/usr/bin/python3 - "$tmp/box.mbox" "$N" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
samples = [
    ("<deputy@d7.jk.gov.in>", ["a@d8.jk.gov.in", "b@x9.d9.jk.gov.in", "c@nic.in"],
     "Deputy Secretary <deputy@d7.jk.gov.in>", "Budget estimates for 2027", None),
    ("<secy12@jk.gov.in>", ["contractor@gmail.com", "a@d3.jk.gov.in", "b@d4.jk.gov.in"],
     "Secretary <secy12@jk.gov.in>", "Tender documents", None),
    ("<ram@gmail.com>", ["grievances@jk.gov.in", "b@d5.jk.gov.in", "c@d6.jk.gov.in"],
     "Ram Kumar <ram@gmail.com>", "Water supply in our ward", None),
    ("<officer17.home@gmail.com>", ["a@d17.jk.gov.in", "b@d18.jk.gov.in", "c@jk.gov.in"],
     "=?UTF-8?B?U2VjcmV0YXJ5IElU?= <officer17.home@gmail.com>", "=?UTF-8?Q?Government_order?=", None),
    ("<billing@relay.example.net>", ["accounts@d1.jk.gov.in", "b@d2.jk.gov.in", "c@d3.jk.gov.in"],
     "Commissioner <commissioner@jk.gov.in>", "Urgent payment",
     "mx1.bench.example; spf=fail smtp.mailfrom=relay.example.net; dkim=none"),
]
body = "".join(("%s\n" % ("".join(chr(97 + (i + j) % 26) for j in range(71)))) for i in range(64))
with open(path, "w") as f:
    for k in range(n):
        s, r, frm, subj, ar = samples[k % len(samples)]
        f.write("From MAILER-DAEMON Mon Dec  7 10:00:00 2026\n")
        f.write("Return-Path: %s\n" % s)
        for a in r:
            f.write("X-Original-To: %s\n" % a)
        if ar:
            f.write("Authentication-Results: %s\n" % ar)
        f.write("Received: from mail.example.net (mail.example.net [198.51.100.1]) by mx1 with ESMTPS id %d\n" % k)
        f.write("Received: from client.example.net ([203.0.113.77]) by mail.example.net with ESMTPSA id 77aa\n")
        f.write("Date: Mon, 30 Nov 2026 10:00:00 +0530\nFrom: %s\nTo: %s, %s\nCc: %s\n" % (frm, r[0], r[1], r[2]))
        f.write("Subject: %s\nMessage-ID: <replay-%d@bench.example>\nMIME-Version: 1.0\n" % (subj, k))
        f.write("Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: quoted-printable\n")
        f.write("X-Mailer: Bench 1.0\n\n")
        f.write(body.replace("\nFrom ", "\n>From "))
        f.write("\n")
PY
size=$(wc -c <"$tmp/box.mbox")
pin=; command -v taskset >/dev/null && pin="taskset -c 0"
# Warm the page cache, then measure.
cat "$tmp/box.mbox" >/dev/null
# The CPU time (user + system) is the figure: on a shared machine the wall
# clock also counts the time other processes held the core.
/usr/bin/time -f '%e %U %S' -o "$tmp/time" $pin "$top_builddir/officialmail" \
    -c "$tmp/policy/officialmail.conf" replay "$tmp/box.mbox" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] || { echo "replay failed ($rc): $(cat "$tmp/err")"; exit 1; }
grep -q "messages: $N read, $N judged, 0 malformed" "$tmp/out" || { echo "replay did not judge every message:"; cat "$tmp/out"; exit 1; }
read -r wall user sys <"$tmp/time"
awk -v n="$N" -v s="$size" -v w="$wall" -v u="$user" -v y="$sys" 'BEGIN {
    printf "officialmail replay: %d messages of %.0f bytes on one core: %.2f s of CPU (%.2f user, %.2f system), %.2f s wall\n", n, s / n, u + y, u, y, w
    printf "replay rate: %.0f messages/s of CPU (target >= 20,000); %.0f messages/s of wall clock\n", n / (u + y), n / w }'
sed -n '1,/^violations by rule/p' "$tmp/out" | sed 's/^/  /'
