#!/usr/bin/python3
"""console-screenshots.py - photograph the review console for the README.

    console-screenshots.py URL USER PASSWORD DIR

Logs in to the console at URL with headless Chromium (through Selenium:
Debian's chromium, chromium-driver, python3-selenium) and writes
DIR/console-overview.png (the overview) and DIR/console-record.png (the
newest record in full). `contrib/demo.sh --screenshots doc` runs it on the
demo's log, which is how the README's pictures are made.
"""
import os
import sys
import tempfile

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait


def browser(profile):
    o = Options()
    o.binary_location = "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--hide-scrollbars",
                 "--window-size=1280,900", "--user-data-dir=" + profile):
        o.add_argument(flag)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)


def shoot(d, path):
    """The whole page (up to 2,400 pixels high) into PATH."""
    height = d.execute_script("return document.documentElement.scrollHeight")
    d.set_window_size(1280, max(600, min(int(height) + 20, 2400)))
    d.save_screenshot(path)
    print("wrote", path)


def main():
    url, user, password, outdir = sys.argv[1:5]
    with tempfile.TemporaryDirectory() as profile:
        d = browser(profile)
        try:
            d.get(url + "/login")
            d.find_element(By.ID, "user-name").send_keys(user)
            d.find_element(By.ID, "password").send_keys(password)
            d.find_element(By.ID, "login-button").click()
            WebDriverWait(d, 10).until(lambda drv: drv.find_elements(By.ID, "trend"))
            shoot(d, os.path.join(outdir, "console-overview.png"))
            d.get(url + "/records")
            d.find_element(By.CSS_SELECTOR, "#records td a").click()
            WebDriverWait(d, 10).until(lambda drv: drv.find_elements(By.ID, "record"))
            shoot(d, os.path.join(outdir, "console-record.png"))
        finally:
            d.quit()


if __name__ == "__main__":
    main()
