#!/bin/sh
# render.sh - the HTML part of three sample digests (a department, the
# compliance digest, the injection attempts) rendered by headless Chromium:
# the screenshot is a real picture (not blank, not one colour), and the
# page the browser built names the department (its DOM text) and holds no
# script, image or other active element. The samples are kept for a person
# to look at: their path is printed below.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/digest/lib.sh"
need_python
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser)}
[ -n "$CHROMIUM" ] || require chromium
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
art="$top_builddir/tests/digest/artifacts"
mkdir -p "$art" "$tmp/html"
art=$(cd "$art" && pwd)
conf="$tmp/officialmail.conf"
digest_setup "$tmp" || { not_ok "the test log is written"; finish; exit 1; }
"$OM" -c "$conf" digest --now "$NOW" --week 2027-W10 --output "$tmp/out" >/dev/null
check "the digests are written" "$?" 0
cp "$tmp/out/2027-W10-01-information-technology.eml" "$art/department.eml"
cp "$tmp/out/2027-W10-compliance.eml" "$art/compliance.eml"
cp "$tmp/out/2027-W10-04-evil-script-alert-1-script-it-s-utf-8-q.eml" "$art/injection.eml"
mimecheck --html-dir "$art" "$art/department.eml" "$art/compliance.eml" "$art/injection.eml" \
    >/dev/null 2>"$tmp/problems" && ok "the samples pass the MIME check" ||
    not_ok "the samples pass the MIME check" "$(cat "$tmp/problems")"

# browse NAME ARGS... - headless Chromium on NAME.html, its own profile, no network.
browse() {
    name=$1
    shift
    timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$(mktemp -d "$tmp/profile.XXXXXX")" --window-size=1000,1400 "$@" \
        "file://$art/$name.html" 2>>"$tmp/chromium.log"
}

for n in department:"Information Technology" compliance:"Compliance summary: all departments" \
    injection:"Evil <script>alert(1)</script> it's =?UTF-8?Q?Bcc:_x@evil.example?= --=_om_fake; Bcc: attacker@evil.example"; do
    name=${n%%:*} want=${n#*:}
    rm -f "$art/$name.png"
    browse "$name" --screenshot="$art/$name.png" >/dev/null
    if [ -s "$art/$name.png" ] && "$PYTHON" "$top_srcdir/tests/digest/pngcheck.py" "$art/$name.png" 1000 1400 \
        >"$tmp/$name.png.txt" 2>&1; then
        ok "$name: screenshot not blank ($(sed 's/.*: //' "$tmp/$name.png.txt"))"
    else
        not_ok "$name: screenshot not blank" "$(cat "$tmp/$name.png.txt" 2>/dev/null; tail -5 "$tmp/chromium.log")"
    fi
    browse "$name" --dump-dom >"$tmp/$name.dom"
    "$PYTHON" "$top_srcdir/tests/digest/mimecheck.py" --dom "$tmp/$name.dom" >"$tmp/$name.dom.txt"
    has "$name: the browser's page names it" "$tmp/$name.dom.txt" "title: $want"
    has "$name: no script, image or other active element" "$tmp/$name.dom.txt" "active elements: 0"
done
echo "# sample digests (.eml), their HTML parts and screenshots (.png) are in $art:"
(cd "$art" && ls -l department.* compliance.* injection.*) | sed 's/^/#   /'
finish
