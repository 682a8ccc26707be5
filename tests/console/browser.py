#!/usr/bin/python3
"""browser.py - the review console in a real browser (SPEC 11).

Run by tests/console/console.sh with a console already serving the log of
tests/console/events.txt:

    browser.py BASE_URL OFFICIALMAIL CONFIG TMPDIR SERVE_STDERR

Headless Chromium through Selenium (Debian's chromium, chromium-driver,
python3-selenium) logs in, uses every filter, exports, adds marks, and
tries what a department user or another site must not manage; plain
HTTP requests (http.client) check what a browser does not show: status
codes, headers, cookies, a POST without the CSRF token. What the pages
and exports must list is computed independently, with `officialmail log
--format json` on the same log. Prints "ok - NAME" / "not ok - NAME"
lines; the exit status is 1 when any check failed.
"""
import csv
import http.client
import io
import json
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, WebDriverException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE, OM, CONF, TMP, SERVE_LOG = sys.argv[1:6]
HOST, PORT = urllib.parse.urlsplit(BASE).hostname, urllib.parse.urlsplit(BASE).port
PASSWORDS = {"alice": "alice-pw-1", "bob": "bob-pw-2", "eve": "eve-pw-3", "carol": "carol-pw-4"}
IT = "Information Technology"
EVIL = ("Evil <script>alert(1)</script> it's =?UTF-8?Q?Bcc:_x@evil.example?= "
        "--=_om_fake; Bcc: attacker@evil.example")
XSS_SUBJECT = "<script>alert(\"x\")</script> & <b>bold</b> \"quoted\" 'single'"
failures = 0


def check(name, cond, detail=""):
    """One TAP-like line."""
    global failures
    if cond:
        print("ok - " + name, flush=True)
    else:
        failures += 1
        print("not ok - " + name, flush=True)
        if detail:
            for line in str(detail).splitlines()[:8]:
                print("#   " + line, flush=True)


def oracle(*args):
    """The records `officialmail log --format json` lists with ARGS."""
    out = subprocess.run([OM, "-c", CONF, "log", "--format", "json", *args],
                         check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def browser():
    """A fresh headless Chromium with its own profile."""
    o = Options()
    o.binary_location = "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--window-size=1280,1024",
                 "--user-data-dir=" + tempfile.mkdtemp(dir=TMP, prefix="chromium-")):
        o.add_argument(flag)
    d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)
    d.set_page_load_timeout(30)
    return d


def login(d, user, password=None):
    """Fill and send the login form."""
    d.get(BASE + "/login")
    d.find_element(By.ID, "user-name").send_keys(user)
    d.find_element(By.ID, "password").send_keys(password or PASSWORDS[user])
    click(d.find_element(By.ID, "login-button"))


def gone(element):
    """1 when ELEMENT's page was replaced (any error reaching it says so)."""
    try:
        element.is_enabled()
        return False
    except WebDriverException:
        return True


def click(element):
    """Click ELEMENT, which leaves its page, and wait for the next page to replace it."""
    element.click()
    WebDriverWait(element.parent, 15).until(lambda _: gone(element))


def text(d, css):
    return d.find_element(By.CSS_SELECTOR, css).text


def count_shown(d):
    """The N of "N records, page X of Y"."""
    m = re.match(r"(\d+) records?, page (\d+) of (\d+)", text(d, "#count"))
    return int(m.group(1)) if m else -1


def no_alert(d):
    try:
        d.switch_to.alert
        return False
    except NoAlertPresentException:
        return True


def session_cookie(d):
    for c in d.get_cookies():
        if c["name"] == "om_session":
            return c
    return None


def fetch(method, path, cookie=None, body=None):
    """(status, headers, body) of one request, redirects not followed."""
    conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
    headers = {}
    if cookie:
        headers["Cookie"] = cookie
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body, headers=headers)
    r = conn.getresponse()
    data = r.read().decode("utf-8", "replace")
    conn.close()
    return r.status, r.headers, data


def csrf_of(page):
    m = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    return m.group(1) if m else ""


def test_login_overview(d):
    login(d, "alice")
    check("login: alice lands on the overview", d.current_url == BASE + "/" and
          d.title.startswith("Overview"), d.current_url)
    check("login: the header names the user and role", text(d, "#user") == "alice (compliance)")
    d.get(BASE + "/?since=2027-03-01&until=2027-03-14")
    total = len(oracle("--since", "2027-03-01", "--until", "2027-03-14"))
    check("overview: the period's count", text(d, "#total").startswith("%d violations" % total),
          text(d, "#total"))
    bars = d.find_elements(By.CSS_SELECTOR, "svg#trend rect")
    check("overview: the trend is an SVG drawn on the server, a bar a day", len(bars) == 14,
          len(bars))
    depts = text(d, "#by-department")
    check("overview: counts by department, the HTML name shown as text", EVIL in depts, depts)
    check("overview: counts by rule and action", "spoofed-official" in text(d, "#by-rule") and
          "quarantine" in text(d, "#by-action"))
    check("overview: no script ran", no_alert(d))


def form_filter(d, fields):
    """Fill the records page's filter form (selects by value) and send it."""
    d.get(BASE + "/records")
    for key, value in fields.items():
        el = d.find_element(By.ID, "f-" + key)
        if el.tag_name == "select":
            Select(el).select_by_value(value)
        else:
            el.clear()
            el.send_keys(value)
    click(d.find_element(By.ID, "apply"))


def test_filters(d):
    cases = [
        ("department", {"department": "Tourism"}, ["--department", "Tourism"]),
        ("department with HTML in its name", {"department": EVIL}, ["--department", EVIL]),
        ("rule", {"rule": "spoofed-official"}, ["--rule", "spoofed-official"]),
        ("action", {"action": "quarantine"}, ["--action", "quarantine"]),
        ("sender", {"sender": "secy-it@jk.gov.in"}, ["--sender", "secy-it@jk.gov.in"]),
        ("address", {"address": "Contractor2@GMAIL.com"}, ["--address", "contractor2@gmail.com"]),
        ("queue id", {"queue_id": "4X0007Q"}, ["--queue-id", "4X0007Q"]),
        ("department and rule", {"department": IT, "rule": "official-to-webmail"},
         ["--department", IT, "--rule", "official-to-webmail"]),
    ]
    for name, fields, args in cases:
        form_filter(d, fields)
        want = len(oracle(*args))
        check("filter %s: %d records, as officialmail log says" % (name, want),
              count_shown(d) == want and want > 0, "got %d" % count_shown(d))
    # The text filter: a substring of subjects, addresses and ids.
    form_filter(d, {"text": "HYPERLINK"})
    want = [r for r in oracle() if "HYPERLINK" in r["subject"]]
    check("filter text: the records whose subject holds it", count_shown(d) == len(want) == 1)
    form_filter(d, {"text": "100%_"})
    check("filter text: % and _ are literal", count_shown(d) == 0)
    for name, query, args in (("since", "since=2027-03-10", ["--since", "2027-03-10"]),
                              ("until", "until=2027-03-03", ["--until", "2027-03-03"]),
                              ("since and until", "since=2027-03-04&until=2027-03-04",
                               ["--since", "2027-03-04", "--until", "2027-03-04"])):
        d.get(BASE + "/records?" + query)
        want = len(oracle(*args))
        check("filter %s: %d records" % (name, want), count_shown(d) == want, count_shown(d))
        check("filter %s: the date inputs keep it" % name,
              d.find_element(By.ID, "f-" + name.split()[0]).get_attribute("value") != "")
    # Paging: 70 records, 50 a page.
    d.get(BASE + "/records")
    first = [e.text for e in d.find_elements(By.CSS_SELECTOR, "#records td:first-child")]
    click(d.find_element(By.ID, "next"))
    second = [e.text for e in d.find_elements(By.CSS_SELECTOR, "#records td:first-child")]
    check("paging: 50 then 20, newest first, none twice",
          len(first) == 50 and len(second) == 20 and not set(first) & set(second) and
          first[0] == "70" and second[-1] == "1", (len(first), len(second)))


def test_record_and_xss(d):
    d.get(BASE + "/record/3")
    check("record: every field shown", len(d.find_elements(By.CSS_SELECTOR, "#record dt")) == 24)
    check("xss: a Subject of HTML and quotes is shown as text",
          text(d, "#field-subject") == XSS_SUBJECT, text(d, "#field-subject"))
    check("xss: no element came from it", not d.find_elements(By.CSS_SELECTOR, "#record b") and
          no_alert(d))
    check("record: its chain link checked", "matches" in text(d, "#chain") and
          "Chained to record 2" in text(d, "#prev"), text(d, "#prev"))
    d.get(BASE + "/record/4")
    check("xss: a department name of HTML is shown as text", text(d, "#field-department") == EVIL)
    d.get(BASE + "/departments")
    click(d.find_element(By.PARTIAL_LINK_TEXT, "Evil <script>"))
    check("xss: the department's page, reached by its link, is titled with its name",
          text(d, "main h1") == EVIL and no_alert(d), text(d, "main h1"))
    d.get(BASE + "/digest?week=2027-W10&department=" + urllib.parse.quote(EVIL))
    check("digest: the week's digest of the HTML-named department, as text",
          "Evil <script>" in text(d, "#digest-subject") and no_alert(d))
    d.get(BASE + "/digest?week=2027-W10")
    check("digest: the compliance digest, with its review count",
          "Review: " in text(d, "#digest-text") and "reviewed" in text(d, "#digest-text"))


def marks_rows(d):
    return [[c.text for c in r.find_elements(By.TAG_NAME, "td")]
            for r in d.find_elements(By.CSS_SELECTOR, "#marks tr") if
            r.find_elements(By.TAG_NAME, "td")]


def add_mark(d, rid, kind, comment):
    d.get(BASE + "/record/%d" % rid)
    Select(d.find_element(By.ID, "mark-kind")).select_by_value(kind)
    d.find_element(By.ID, "mark-comment").send_keys(comment)
    click(d.find_element(By.ID, "mark-add"))


def test_marks(d):
    add_mark(d, 1, "reviewed", "<i>ok</i> \"fine\"")
    rows = marks_rows(d)
    check("marks: a mark appended, by the user, comment as text",
          len(rows) == 1 and rows[0][2] == "reviewed" and rows[0][3] == "alice" and
          rows[0][4] == "<i>ok</i> \"fine\"", rows)
    add_mark(d, 1, "escalated", "second look")
    rows2 = marks_rows(d)
    check("marks: a second mark is appended after the first, which is unchanged",
          len(rows2) == 2 and rows2[0] == rows[0] and rows2[1][2] == "escalated", rows2)
    forms = d.find_elements(By.TAG_NAME, "form")
    actions = sorted(f.get_attribute("action") for f in forms)
    check("marks: no form edits or removes a mark",
          actions == sorted([BASE + "/logout", BASE + "/record/1/mark"]), actions)
    cookie = "om_session=" + session_cookie(d)["value"]
    csrf = csrf_of(fetch("GET", "/record/1", cookie)[2])
    for path in ("/record/1/mark/1", "/record/1/marks/1/edit", "/mark/1"):
        st = fetch("POST", path, cookie, "csrf=%s&mark=false-positive&comment=x" % csrf)[0]
        check("marks: POST %s is refused (%d)" % (path, st), st == 404)
    st = fetch("POST", "/record/1/mark", cookie, "csrf=%s&mark=released&comment=x" % csrf)[0]
    check("marks: 'released' comes only from officialmail release", st == 400)
    held = oracle("--action", "quarantine")[0]["id"]
    add_mark(d, held, "false-positive", "sender known")
    d.get(BASE + "/held")
    check("held: the held messages, with their latest mark",
          "false-positive" in text(d, "#records") and
          count_shown(d) == len(oracle("--action", "quarantine")),
          (count_shown(d), len(oracle("--action", "quarantine")), text(d, "#records")[:300]))
    check("marks: still two on record 1", len(marks_rows_of(d, 1)) == 2)


def marks_rows_of(d, rid):
    d.get(BASE + "/record/%d" % rid)
    return marks_rows(d)


def test_export(d):
    cookie = "om_session=" + session_cookie(d)["value"]
    st, h, body = fetch("GET", "/records.csv?rule=official-to-webmail", cookie)
    rows = list(csv.reader(io.StringIO(body)))
    want = oracle("--rule", "official-to-webmail")
    check("export csv: the filtered list, every column",
          st == 200 and len(rows) == len(want) + 1 and rows[0][:3] == ["id", "time", "queue_id"]
          and sorted(int(r[0]) for r in rows[1:]) == sorted(r["id"] for r in want),
          (st, len(rows), len(want)))
    check("export csv: an attachment", "attachment" in h.get("Content-Disposition", ""))
    subj = [r[20] for r in rows[1:] if "HYPERLINK" in r[20]]
    check("export csv: a formula is neutralised", subj == ["'=HYPERLINK(\"http://evil.example\","
                                                           "\"click\")"], subj)
    st, h, body = fetch("GET", "/records.json?department=Tourism&since=2027-03-05", cookie)
    got = sorted(json.loads(l)["id"] for l in body.splitlines())
    want = sorted(r["id"] for r in oracle("--department", "Tourism", "--since", "2027-03-05"))
    check("export json: the same filters", st == 200 and got == want and got, (got, want))
    d.get(BASE + "/records?department=Tourism&rule=spoofed-official")
    href = d.find_element(By.ID, "export-json").get_attribute("href")
    check("export: the page's links carry its filters",
          "department=Tourism" in href and "rule=spoofed-official" in href, href)
    st = fetch("GET", "/records.csv?format=xlsx", cookie)[0]
    check("export: an unknown parameter is a 400", st == 400)


def test_department_user(d):
    """bob sees Information Technology only, whatever URL he types."""
    login(d, "bob")
    mine = oracle("--department", IT)
    others = [r for r in oracle() if r["department"] != IT]
    d.get(BASE + "/records")
    check("department user: the list has only his department's records",
          count_shown(d) == len(mine) and
          {e.text for e in d.find_elements(By.CSS_SELECTOR, "#records td:nth-child(3)")} == {IT})
    d.get(BASE + "/?since=2027-03-01&until=2027-03-14")
    check("department user: the overview counts only his records",
          text(d, "#total").startswith("%d violations" % len(mine)) and
          "Tourism" not in text(d, "#by-department"))
    leaked = []
    for r in others:
        d.get(BASE + "/record/%d" % r["id"])
        if "404" not in text(d, "main h1") or r["subject"] in d.page_source:
            leaked.append(r["id"])
    check("department user: every other department's record URL is a 404 (%d tried)" %
          len(others), not leaked, leaked)
    cookie = "om_session=" + session_cookie(d)["value"]
    csrf = csrf_of(fetch("GET", "/records", cookie)[2])
    tries = ["/records?department=Tourism", "/records.csv?department=Tourism",
             "/records.json?department=" + urllib.parse.quote(EVIL),
             "/department?name=Tourism", "/digest?department=Tourism",
             "/digest/body?department=Tourism&week=2027-W10", "/held?department=Tourism",
             "/record/%d" % others[0]["id"]]
    for path in tries:
        st, _, body = fetch("GET", path, cookie)
        check("department user: GET %s is a 404" % path, st == 404 and
              others[0]["subject"] not in body, st)
    for path in ("/records.csv", "/records.csv?text=gmail", "/records.json?since=2027-03-01",
                 "/records.json?queue_id=" + next(r["queue_id"] for r in others
                                                  if r["queue_id"])):
        st, _, body = fetch("GET", path, cookie)
        if path.startswith("/records.csv"):
            depts = {row[10] for row in list(csv.reader(io.StringIO(body)))[1:]}
        else:
            depts = {json.loads(l)["department"] for l in body.splitlines()}
        check("department user: export %s holds only his department" % path,
              st == 200 and depts <= {IT}, depts)
    other = others[0]["id"]
    st = fetch("POST", "/record/%d/mark" % other, cookie,
              "csrf=%s&mark=reviewed&comment=mine+now" % csrf)[0]
    check("department user: marking another department's record is a 404", st == 404)
    d.get(BASE + "/departments")
    check("department user: the departments page lists only his",
          [e.text for e in d.find_elements(By.CSS_SELECTOR, "#departments a")] == [IT])
    d.get(BASE + "/digest?week=2027-W10")
    check("department user: his digest by default", IT in text(d, "#digest-subject"))


def test_csrf_and_input(d):
    login(d, "alice")
    cookie = "om_session=" + session_cookie(d)["value"]
    before = len(marks_rows_of(d, 2))
    st1 = fetch("POST", "/record/2/mark", cookie, "mark=reviewed&comment=forged")[0]
    st2 = fetch("POST", "/record/2/mark", cookie, "csrf=%s&mark=reviewed&comment=forged" %
               ("0" * 64))[0]
    check("csrf: a POST without the token is refused", st1 == 403)
    check("csrf: a POST with a wrong token is refused", st2 == 403)
    check("csrf: no mark was added", len(marks_rows_of(d, 2)) == before)
    st = fetch("POST", "/logout", cookie, "")[0]
    check("csrf: logout needs the token too", st == 403 and
          fetch("GET", "/records", cookie)[0] == 200)
    login_page = fetch("GET", "/login")
    st = fetch("POST", "/login", None, "csrf=%s&user=alice&password=%s" %
              (csrf_of(login_page[2]), PASSWORDS["alice"]))[0]
    check("csrf: a login POST without the form's cookie is refused", st == 403)
    bad = {"/records?since=2027-13-45": 400, "/records?since=yesterday": 400,
           "/records?bogus=1": 400, "/records?rule=nope": 400, "/records?text=%ff%fe": 400,
           "/records?page=0": 400, "/records?page=99999999999": 400,
           "/records?rule=a&rule=b": 400, "/records?text=a%00b": 400,
           "/record/abc": 404, "/record/99999999": 404, "/record/01": 404,
           "/digest?week=2027-W99": 400, "/?since=2027-03-10&until=2027-03-01": 400,
           "/records?text=" + "x" * 3000: 400, "/records?" + "&".join(
               "k%d=v" % i for i in range(40)): 400}
    for path, want in bad.items():
        st, h, body = fetch("GET", path, cookie)
        check("bad input: %s is a %d page" % (path[:50], want), st == want and
              "<h1>%d " % want in body, st)
    st = fetch("GET", "/records?text=" + "y" * 100000, cookie)[0]
    check("bad input: a 100 kB query string is refused (%d)" % st, st in (400, 414, 431))
    check("bad input: the server still answers", fetch("GET", "/records", cookie)[0] == 200)
    st, h, _ = fetch("GET", "/records", cookie)
    csp = h.get("Content-Security-Policy", "")
    check("headers: Cache-Control no-store behind the login", h.get("Cache-Control") == "no-store")
    check("headers: a Content-Security-Policy without any script source",
          "default-src 'none'" in csp and "script" not in csp and "unsafe" not in csp, csp)
    st, h, _ = fetch("POST", "/login", None, "")
    check("headers: the login form's POST without a token is refused", st == 403)


def test_cookie_and_logout(d):
    login(d, "alice")
    c = session_cookie(d)
    check("cookie: HttpOnly, SameSite=Strict", c["httpOnly"] and c.get("sameSite") == "Strict",
          c)
    d.get(BASE + "/records")
    click(d.find_element(By.ID, "logout"))
    check("logout: back at the login form", d.current_url == BASE + "/login")
    d.back()
    check("logout: Back shows nothing of the records",
          "alice (compliance)" not in d.page_source and not d.find_elements(By.ID, "records"),
          d.current_url)
    d.get(BASE + "/records.csv")
    check("logout: the session is gone", d.current_url == BASE + "/login")
    st = fetch("GET", "/records", "om_session=" + c["value"])[0]
    check("logout: the old cookie opens nothing", st == 303)


def test_rate_limit(d):
    login(d, "carol", "wrong-1")
    check("login: a wrong password is refused", "Wrong user name or password" in
          text(d, "#message"))
    for i in range(2, 6):
        login(d, "carol", "wrong-%d" % i)
    login(d, "carol")
    check("rate limit: after 5 failures the right password is refused too",
          "Too many failed logins" in text(d, "#message") and d.current_url.endswith("/login"))
    login(d, "alice")
    check("rate limit: and from that address for every user",
          "Too many failed logins" in text(d, "#message"))
    time.sleep(0.5)
    log = open(SERVE_LOG, encoding="utf-8", errors="replace").read()
    check("rate limit: each failure logged with user and address",
          log.count("login failed user=carol address=127.0.0.1") == 5, log[-500:])
    check("rate limit: the refusals logged", "login refused (too many failures) user=carol" in
          log and "login refused (too many failures) user=alice" in log)


def main():
    d = browser()
    try:
        # Each test starts logged out; those without a login of their own run as alice.
        for t, user in ((test_login_overview, None), (test_filters, "alice"),
                        (test_record_and_xss, "alice"), (test_marks, "alice"),
                        (test_export, "alice"), (test_cookie_and_logout, None),
                        (test_department_user, None), (test_csrf_and_input, None),
                        (test_rate_limit, None)):
            d.get(BASE + "/login")
            d.delete_all_cookies()
            try:
                if user:
                    login(d, user)
                t(d)
            except Exception as e:  # a step that cannot run is a failure, never a skip
                check(t.__name__ + " ran to its end", False, "%s: %s" % (type(e).__name__, e))
    finally:
        d.quit()
    print("browser: %d failed" % failures)
    return 1 if failures else 0


sys.exit(main())
