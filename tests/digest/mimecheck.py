#!/usr/bin/env python3
"""mimecheck - judge digests with a MIME parser that is not ours (Python's email).

usage: mimecheck.py [--skip-prefix] [--html-dir DIR] FILE...
       mimecheck.py --dom FILE

For each message: no parser defect; exactly the header fields a digest
has, each once; multipart/alternative with exactly a text/plain and a
text/html part, UTF-8, quoted-printable, nothing nested; header lines of
at most 78 columns and every line of at most 998; the boundary nowhere in
the decoded bodies; the raw message 7-bit. The HTML part holds only the
elements and attributes a digest uses: no script, no image, no link, no
event handler, no URL. Then prints a dump for the shell test to grep:

    == FILE
    Subject: <decoded>
    To: ... / From: ... / Message-ID: ...
    --- text
    <the text part>
    --- html
    <the HTML part's visible text, one block a line>

--skip-prefix drops what an smtp-sink puts in front of the message
(X-Client-Addr:, Received:, ...), so that a delivered copy can be judged.
--html-dir DIR writes each decoded HTML part to DIR/NAME.html (NAME: the
file's name without .eml), for the tests that look at the source or render it.
--dom FILE reads a page as a browser dumped it (chromium --dump-dom) and
prints the text of its element id="digest-title" and how many script,
img, iframe, object and link elements it has.
Exit status 0 when every message passes, 1 otherwise (the reasons on stderr).
"""
import email
import email.policy
import html.parser
import os
import re
import sys

HEADERS = ["Date", "From", "To", "Subject", "Message-ID", "MIME-Version", "Content-Type",
           "Auto-Submitted"]
TAGS = {"html", "head", "meta", "title", "body", "table", "tr", "td", "th", "div", "span",
        "h2", "p", "b", "code", "br"}
ATTRS = {"lang", "charset", "name", "content", "style", "role", "width", "cellpadding",
         "cellspacing", "align", "bgcolor", "id"}
BLOCKS = {"div", "p", "h2", "tr", "title", "br"}
SINK = re.compile(rb"^(X-Client-Addr|X-Client-Proto|X-Helo-Args|X-Mail-Args|X-Rcpt-Args|"
                  rb"Received|Return-Path|Delivered-To):")


class Html(html.parser.HTMLParser):
    """Collects the visible text and every element or attribute that should not be there."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.bad = []
        self.lines = [""]
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag not in TAGS:
            self.bad.append("element <%s>" % tag)
        for name, value in attrs:
            if name not in ATTRS:
                self.bad.append("attribute %s= on <%s>" % (name, tag))
            if value and re.search(r"(?i)(url\(|https?:|javascript:|expression\()", value):
                self.bad.append("a URL or expression in %s=%r" % (name, value))
        if tag in BLOCKS:
            self.lines.append("")
        if tag in ("title", "head"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("title", "head"):
            self.skip -= 1
        if tag in BLOCKS:
            self.lines.append("")
        elif tag in ("td", "th"):
            self.lines[-1] += " "

    def handle_data(self, data):
        if not self.skip:
            self.lines[-1] += data

    def text(self):
        out = []
        for line in self.lines:
            line = " ".join(line.split())
            if line:
                out.append(line)
        return "\n".join(out)


def strip_sink(raw):
    """The message without the header fields an smtp-sink or Postfix put in front."""
    lines = raw.replace(b"\r\n", b"\n").split(b"\n")
    i = 0
    while i < len(lines) and SINK.match(lines[i]):
        i += 1
        while i < len(lines) and lines[i][:1] in (b" ", b"\t"):  # its continuation lines
            i += 1
    return b"\n".join(lines[i:]).rstrip(b"\n") + b"\n"


def check_raw(raw, problems):
    """7-bit, line lengths, header lines folded within 78 columns."""
    head, _, _ = raw.partition(b"\n\n")
    for n, line in enumerate(raw.split(b"\n"), 1):
        if len(line) > 998:
            problems.append("line %d is %d bytes long" % (n, len(line)))
        if any(b > 127 for b in line):
            problems.append("line %d is not 7-bit" % n)
    for line in head.split(b"\n"):
        if len(line) > 78:
            problems.append("header line of %d columns: %r" % (len(line), line[:80]))


def check_message(msg, problems):
    """Structure: the fields, the two parts, their encodings, the boundary."""
    if msg.defects:
        problems.append("defects: %r" % msg.defects)
    names = list(msg.keys())
    if sorted(names) != sorted(HEADERS):
        problems.append("header fields %r, want %r" % (names, HEADERS))
    if msg.get_content_type() != "multipart/alternative":
        problems.append("top-level type %s" % msg.get_content_type())
        return
    parts = list(msg.iter_parts())
    if [p.get_content_type() for p in parts] != ["text/plain", "text/html"]:
        problems.append("parts %r" % [p.get_content_type() for p in parts])
        return
    boundary = msg.get_boundary()
    for p in parts:
        if p.defects:
            problems.append("%s defects: %r" % (p.get_content_type(), p.defects))
        if p.is_multipart():
            problems.append("nested multipart")
        if (p.get_content_charset(), p["Content-Transfer-Encoding"]) != ("utf-8",
                                                                          "quoted-printable"):
            problems.append("%s is %s, %s" % (p.get_content_type(), p.get_content_charset(),
                                             p["Content-Transfer-Encoding"]))
        if boundary in p.get_content():
            problems.append("the boundary occurs in the %s part" % p.get_content_type())


def judge(path, skip_prefix, html_dir):
    """Judge one file; its dump, or None after printing the problems."""
    raw = open(path, "rb").read()
    if skip_prefix:
        raw = strip_sink(raw)
    problems = []
    check_raw(raw, problems)
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    check_message(msg, problems)
    if problems:
        for p in problems:
            print("%s: %s" % (path, p), file=sys.stderr)
        return None
    text = msg.get_body(("plain",)).get_content()
    source = msg.get_body(("html",)).get_content()
    if html_dir:
        name = os.path.basename(path)
        name = name[:-4] if name.endswith(".eml") else name
        with open(os.path.join(html_dir, name + ".html"), "w", encoding="utf-8") as f:
            f.write(source)
    page = Html()
    page.feed(source)
    page.close()
    if page.bad:
        for b in page.bad:
            print("%s: HTML part: %s" % (path, b), file=sys.stderr)
        return None
    return "\n".join(["== %s" % path, "Subject: %s" % msg["Subject"], "To: %s" % msg["To"],
                      "From: %s" % msg["From"], "Message-ID: %s" % msg["Message-ID"],
                      "Date: %s" % msg["Date"], "--- text", text.rstrip("\n"), "--- html",
                      page.text()])


class Dom(html.parser.HTMLParser):
    """The title's text, and the elements that load or run something."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.title = ""
        self.active = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "img", "iframe", "object", "embed", "link"):
            self.active += 1
        if self.depth:
            self.depth += 1
        elif ("id", "digest-title") in attrs:
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.title += data


def dom(path):
    page = Dom()
    page.feed(open(path, encoding="utf-8").read())
    page.close()
    print("title: %s" % page.title)
    print("active elements: %d" % page.active)
    return 0


def main(argv):
    if argv[:1] == ["--dom"]:
        return dom(argv[1])
    skip, html_dir, files = False, None, []
    args = iter(argv)
    for a in args:
        if a == "--skip-prefix":
            skip = True
        elif a == "--html-dir":
            html_dir = next(args)
        else:
            files.append(a)
    status = 0
    for path in files:
        dump = judge(path, skip, html_dir)
        if dump is None:
            status = 1
        else:
            print(dump)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
