#!/usr/bin/python3
"""make_mailboxes.py DIR - the mailboxes tests/replay/replay.sh reads.

Written with Python's mailbox module, as a mail system writes them:
  DIR/box.mbox    mboxo, 6 messages: bodies with "From " lines (the module
                  quotes them as ">From "), one without Return-Path, one
                  with a non-UTF-8 Subject and display name, two with
                  Authentication-Results (ours, and another server's)
  DIR/trunc.mbox  the same first 2 messages, then a last one cut inside its
                  header section (a copy interrupted mid-write)
  DIR/rd.mbox     mboxrd by hand: ">>From " in a body stays in that body
  DIR/Maildir     a Maildir, one message in new/ and one in cur/
  DIR/eml/        two .eml files and an empty one
"""
import mailbox
import os
import sys

GATEWAY = "mx1.test.example"


def msg(headers, body):
    text = "".join("%s: %s\n" % h for h in headers) + "\n" + body
    return text.encode("utf-8")


MESSAGES = [
    # 1: official to gmail, a body with "From " lines that must not split the mbox
    msg([("Return-Path", "<secy-it@jk.gov.in>"), ("X-Original-To", "contractor@gmail.com"),
         ("Delivered-To", "contractor@gmail.com"), ("From", "Secretary IT <secy-it@jk.gov.in>"),
         ("To", "Contractor <contractor@gmail.com>"), ("Subject", "Tender"),
         ("Message-ID", "<m1@jk.gov.in>")],
        "From the tender committee:\nFrom now on, send quotes.\n>From quoted already\n"),
    # 2: official to official, clean
    msg([("Return-Path", "<deputy@it.jk.gov.in>"), ("X-Original-To", "secy-it@jk.gov.in"),
         ("From", "Deputy <deputy@it.jk.gov.in>"), ("To", "secy-it@jk.gov.in"),
         ("Subject", "Minutes"), ("Message-ID", "<m2@jk.gov.in>")],
        "Minutes attached.\n"),
    # 3: no Return-Path: the sender is the From address (a Sent folder)
    msg([("From", "IT Cell <it-cell@jk.gov.in>"), ("To", "vendor@yahoo.co.in, a@it.jk.gov.in"),
         ("Subject", "Order"), ("Message-ID", "<m3@jk.gov.in>")],
        "Order placed.\n"),
    # 5: spoofed official From, our own results: spf fail, no aligned DKIM
    msg([("Return-Path", "<billing@relay.example.net>"), ("X-Original-To", "deputy@it.jk.gov.in"),
         ("Authentication-Results", GATEWAY + "; spf=fail smtp.mailfrom=relay.example.net; "
          "dkim=pass header.d=relay.example.net"),
         ("From", "Commissioner <commissioner@jk.gov.in>"), ("To", "deputy@it.jk.gov.in"),
         ("Subject", "Urgent payment"), ("Message-ID", "<m5@relay.example.net>")],
        "Pay now.\n"),
    # 6: the same, with another server's results: not judged for spoofing
    msg([("Return-Path", "<billing@relay.example.net>"), ("X-Original-To", "deputy@it.jk.gov.in"),
         ("Authentication-Results", "mx.other.example; spf=fail smtp.mailfrom=relay.example.net"),
         ("From", "Commissioner <commissioner@jk.gov.in>"), ("To", "deputy@it.jk.gov.in"),
         ("Subject", "Urgent payment"), ("Message-ID", "<m6@relay.example.net>")],
        "Pay now.\n"),
]
# 4: a webmail sender with a non-UTF-8 (Latin-1) Subject and display name, and a marker
LATIN1 = (b"Return-Path: <officer.home@gmail.com>\nX-Original-To: deputy@it.jk.gov.in\n"
          b"From: Secr\xe9taire Secretary <officer.home@gmail.com>\nTo: deputy@it.jk.gov.in\n"
          b"Subject: R\xe9union du d\xe9partement\nMessage-ID: <m4@mail.gmail.com>\n\nBonjour.\n")
MESSAGES.insert(3, LATIN1)


def rd_quote(text):
    """mboxrd: one more '>' before every line that is '>'s and "From "."""
    lines = text.split(b"\n")
    return b"\n".join(b">" + l if l.lstrip(b">").startswith(b"From ") else l for l in lines)


def write_mbox(path, messages):
    box = mailbox.mbox(path)
    box.lock()
    for m in messages:
        box.add(mailbox.mboxMessage(m))
    box.flush()
    box.unlock()
    box.close()


def main():
    out = sys.argv[1]
    write_mbox(os.path.join(out, "box.mbox"), MESSAGES)
    write_mbox(os.path.join(out, "trunc.mbox"), MESSAGES[:2])
    with open(os.path.join(out, "trunc.mbox"), "ab") as f:
        f.write(b"From MAILER-DAEMON Mon Dec  7 10:00:00 2026\n"
                b"Return-Path: <secy-it@jk.gov.in>\nFrom: secy-it@jk.gov.in\nTo: x@gma")
    with open(os.path.join(out, "rd.mbox"), "wb") as f:
        f.write(b"From a@b Mon Dec  7 10:00:00 2026\n" + rd_quote(MESSAGES[1].replace(
            b"Minutes attached.\n", b">From the minutes\nFrom here\nend\n")) + b"\n")
        f.write(b"From a@b Mon Dec  7 10:00:01 2026\n" + rd_quote(MESSAGES[0]) + b"\n")
    md = mailbox.Maildir(os.path.join(out, "Maildir"))
    md.add(mailbox.MaildirMessage(MESSAGES[0]))
    cur = mailbox.MaildirMessage(MESSAGES[2])
    cur.set_subdir("cur")
    md.add(cur)
    os.makedirs(os.path.join(out, "eml"))
    with open(os.path.join(out, "eml", "a.eml"), "wb") as f:
        f.write(MESSAGES[0])
    with open(os.path.join(out, "eml", "b.eml"), "wb") as f:
        f.write(MESSAGES[1])
    open(os.path.join(out, "eml", "empty.eml"), "wb").close()


main()
