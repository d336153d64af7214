"""Drives the dashboard in headless Chromium with Playwright, as an operator does, and prints what it saw as JSON.

Usage: dashboard_flows.py BASE_URL TOKEN_FILE ARTEFACTS_DIR CHROMIUM

Logs in through the form with the token read from TOKEN_FILE (never on a command line), waits for the fleet's rows,
opens the first server's detail, opens the workflows view, and keeps a screenshot of each in ARTEFACTS_DIR. Every
console error, failed request and HTTP answer of 400 or more is reported; the caller decides what fails.
"""

import json
import sys
import time

from playwright.sync_api import sync_playwright


def main() -> int:
    base, token_file, artefacts, chromium = sys.argv[1:5]
    token = open(token_file, encoding="utf-8").read().strip()
    report = {"console_errors": [], "failed_requests": [], "error_responses": [], "steps": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("console", lambda m: report["console_errors"].append(m.text) if m.type == "error" else None)
        page.on("requestfailed", lambda r: report["failed_requests"].append(
            r.url.split("?")[0] + ": " + (r.failure or "")) if "/api/v1/events" not in r.url else None)
        page.on("response", lambda r: report["error_responses"].append(
            "%d %s" % (r.status, r.url.split("?")[0])) if r.status >= 400 else None)

        def step(name, action):
            started = time.monotonic()
            try:
                detail = action()
                report["steps"].append({"name": name, "ok": True, "seconds": round(time.monotonic() - started, 3),
                                        "detail": detail})
            except Exception as error:  # a step that fails is reported; the rest still runs where it can
                report["steps"].append({"name": name, "ok": False, "error": str(error)[:500]})
            page.screenshot(path="%s/dashboard-%s.png" % (artefacts, name))

        def login():
            page.goto(base + "/dashboard/")
            page.wait_for_selector("#login-form", state="visible", timeout=20000)
            page.fill("#token", token)
            page.press("#token", "Enter")
            page.wait_for_selector("#app", state="visible", timeout=20000)
            return page.url

        def fleet():
            page.wait_for_selector("tr[data-server]", timeout=30000)
            return {"rows": page.locator("tr[data-server]").count(),
                    "servers": page.locator("tr[data-server]").evaluate_all(
                        "rows => rows.map(r => r.dataset.server)"),
                    "live": page.text_content("#live")}

        def detail():
            first = page.locator("tr[data-server]").first
            server = first.get_attribute("data-server")
            first.click()
            page.wait_for_selector("#server-detail h2", timeout=20000)
            page.wait_for_function("() => !document.querySelector('#server-detail').textContent.includes('loading')",
                                   timeout=20000)
            return {"server": server, "heading": page.text_content("#server-detail h2"),
                    "text": page.text_content("#server-detail")[:2000]}

        def workflows():
            page.click("nav button[data-view=workflows]")
            page.wait_for_selector("#workflows tbody tr", timeout=20000)
            return {"rows": page.locator("#workflows tbody tr").count(), "page": page.text_content("#wf-page")}

        step("login", login)
        step("fleet", fleet)
        step("detail", detail)
        step("workflows", workflows)
        browser.close()
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
