#!/usr/bin/env python3
"""The classroom page in a real browser (headless Chromium through Selenium).

A teacher runs `explorer present` in tmux; the page joins with the code, shows the heatmap (the
screenshot is kept), switches to own mode, runs its own sentence and sees it, while the teacher's
screen does not change. Usage: classroom_browser.py EXPLORER [SCREENSHOT.png]. Exits 0 on success,
1 with the reason otherwise.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

SENTENCE = "purple elephants dance quietly"


def fail(message):
    print(f"browser test: FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def wait(what, condition, seconds=20):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            value = condition()
            if value:
                return value
        except Exception:
            pass
        time.sleep(0.1)
    fail(f"waited {seconds} s for {what}")


def tmux(socket, *args):
    return subprocess.run(["tmux", "-L", socket, "-f", "/dev/null", *args], check=True, capture_output=True, text=True).stdout


def main():
    explorer = os.path.abspath(sys.argv[1])
    shot = sys.argv[2] if len(sys.argv) > 2 else os.path.join(tempfile.gettempdir(), "classroom-browser.png")
    port = 21000 + os.getpid() % 20000
    socket = f"explorer-browser-{os.getpid()}"
    state = tempfile.mkdtemp()
    tmux(socket, "new-session", "-d", "-s", "teacher", "-x", "120", "-y", "41", "-e", "LANG=C.UTF-8",
         "-e", f"XDG_STATE_HOME={state}", f"'{explorer}' present --port {port} --code web42 --text 'the cat sat on the mat'")
    try:
        wait("the teacher's server", lambda: "code web42" in tmux(socket, "capture-pane", "-p", "-t", "teacher"), 60)
        options = Options()
        for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900",
                         "--disable-dev-shm-usage"]:
            options.add_argument(argument)
        binary = shutil.which("chromium") or shutil.which("chromium-browser")
        if binary:
            options.binary_location = binary
        driver_path = shutil.which("chromedriver")
        service = Service(driver_path) if driver_path else Service()
        browser = webdriver.Chrome(options=options, service=service)
        try:
            browser.get(f"http://127.0.0.1:{port}/")
            code = browser.find_element(By.ID, "code")
            code.send_keys("web42")
            code.send_keys(Keys.ENTER)
            screen = browser.find_element(By.ID, "screen")
            wait("the first frame", lambda: screen.get_attribute("data-seq"))
            if screen.get_attribute("data-mode") != "follow":
                fail("the page does not start in follow mode")
            # The heatmap: many cells with colours of their own (viridis), the sentence's words.
            colours = browser.execute_script(
                "return new Set([...document.querySelectorAll('#screen span')].map(s => s.style.background)).size")
            if colours < 8:
                fail(f"only {colours} background colours: no heatmap")
            if "mat" not in screen.text:
                fail("the teacher's sentence is not on the page")
            browser.save_screenshot(shot)
            print(f"browser test: joined, {colours} colours on screen, screenshot {shot}")

            browser.find_element(By.ID, "explore").click()
            wait("own mode", lambda: screen.get_attribute("data-mode") == "own")
            box = browser.find_element(By.ID, "sentence")
            box.send_keys(SENTENCE)
            box.send_keys(Keys.ENTER)
            wait("the student's sentence on the page", lambda: screen.get_attribute("data-text") == SENTENCE)
            wait("the student's sentence drawn", lambda: "elephants" in screen.text)
            browser.save_screenshot(shot.replace(".png", "-own.png"))
            teacher = tmux(socket, "capture-pane", "-p", "-t", "teacher")
            if "elephants" in teacher:
                fail("the student's sentence reached the teacher's screen")
            if "1 exploring" not in teacher:
                wait("the teacher's count of explorers", lambda: "1 exploring" in tmux(socket, "capture-pane", "-p", "-t", "teacher"), 5)
            browser.find_element(By.ID, "follow").click()
            wait("back to following", lambda: screen.get_attribute("data-mode") == "follow"
                 and screen.get_attribute("data-text") == "the cat sat on the mat")
            print("browser test: own mode ran the student's sentence; the teacher's screen did not change; follow snapped back")
        finally:
            browser.quit()
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)
        shutil.rmtree(state, ignore_errors=True)
    print("1 passed, 0 failed")


if __name__ == "__main__":
    main()
