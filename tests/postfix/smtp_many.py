"""smtp_many - one SMTP transaction with many recipients, every reply counted.

Usage: smtp_many.py HOST PORT FROM MESSAGE_FILE LOCAL@DOMAIN:COUNT...
Each LOCAL@DOMAIN:COUNT sends COUNT recipients LOCAL<i>@DOMAIN (COUNT 1:
LOCAL@DOMAIN itself). Prints one line per distinct RCPT reply code with its
count and first text ("rcpt 550 x5000 5.7.1 <...>"), then the DATA reply
("data 250 2.0.0 Ok: queued as ..."), or "data none" when no recipient
was accepted. Standard library only; every wait is bounded by a timeout.
"""
import smtplib
import sys


def recipients(specs):
    for spec in specs:
        addr, count = spec.rsplit(":", 1)
        local, domain = addr.split("@", 1)
        n = int(count)
        if n == 1:
            yield addr
        else:
            for i in range(n):
                yield "%s%d@%s" % (local, i, domain)


def main():
    host, port, sender, msgfile = sys.argv[1:5]
    with open(msgfile, "rb") as fp:
        body = fp.read()
    s = smtplib.SMTP(host, int(port), local_hostname="client.example.net", timeout=60)
    s.ehlo()
    code, text = s.mail(sender)
    if code != 250:
        print("mail %d %s" % (code, text.decode(errors="replace")))
        return 1
    seen, order, accepted = {}, [], 0
    for rcpt in recipients(sys.argv[5:]):
        code, text = s.rcpt(rcpt)
        accepted += code == 250
        if code not in seen:
            seen[code] = [0, text.decode(errors="replace")]
            order.append(code)
        seen[code][0] += 1
    for code in order:
        print("rcpt %d x%d %s" % (code, seen[code][0], seen[code][1]))
    if accepted == 0:
        print("data none")
    else:
        code, text = s.data(body)
        print("data %d %s" % (code, text.decode(errors="replace")))
    s.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
