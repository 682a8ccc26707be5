#!/bin/sh
# fetch.sh [DIR] - Debian's sendmail 8.17 unpacked into DIR (not installed:
# it must not replace the Postfix the other tests use), for the sendmail
# end-to-end test. DIR defaults to $OM_SENDMAIL_DIR, else a cache directory
# that later runs reuse. Packages: sendmail-bin (the binary), sendmail-cf
# (the m4 files that build a .cf), liblockfile1 and libwrap0 (libraries the
# binary links that Postfix does not bring). The binary is setgid, so the
# loader would ignore LD_LIBRARY_PATH: the copy loses the bit. Prints DIR.
set -eu
dir=${1:-${OM_SENDMAIL_DIR:-/var/cache/officialmail-tests/sendmail}}
PKGS="sendmail-bin sendmail-cf liblockfile1 libwrap0"

if [ -x "$dir/root/usr/libexec/sendmail/sendmail" ] && [ -f "$dir/root/usr/share/sendmail/cf/m4/cf.m4" ]; then
    echo "$dir"
    exit 0
fi
mkdir -p "$(dirname "$dir")"
work=$(mktemp -d "$dir.XXXXXX")
trap 'rm -rf "$work"' EXIT
# apt's _apt user downloads into a directory it may write (or apt warns and does it as root).
chmod 755 "$work"
(cd "$work" && apt-get download -q $PKGS) >&2 || {
    echo "fetch.sh: apt-get download $PKGS failed (run apt-get update?)" >&2
    exit 1
}
for deb in "$work"/*.deb; do
    dpkg -x "$deb" "$work/root"
done
rm -f "$work"/*.deb
chmod g-s "$work/root/usr/libexec/sendmail/sendmail"
# Another run may have filled the cache meanwhile: keep the first.
rm -rf "$dir.old"
[ -d "$dir" ] && mv "$dir" "$dir.old"
mv "$work" "$dir"
rm -rf "$dir.old"
trap - EXIT
echo "$dir"
