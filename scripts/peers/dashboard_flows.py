"""Drives the dashboard in headless Chromium with Playwright, as an operator does, and prints what it saw as JSON.

Usage: dashboard_flows.py BASE_URL TOKEN_FILE ARTEFACTS_DIR CHROMIUM
         [browse | operate SERVERS WAITING TYPE CANCEL | drift COUNT TYPE | rollout | validate SERVER
          | proposals ID NAME]

Logs in through the form with the token read from TOKEN_FILE (never on a command line) and waits for the fleet's
rows. `browse` (the default) then opens the first server's detail and the workflows view. `operate` (an operator's
token) selects SERVERS (comma-separated) and starts a batch on them, watches the step bars move as the live stream
reports, resumes the run of WAITING (waiting for a decision) with device type TYPE, and cancels the run of CANCEL.
`drift` (an operator's token) opens the drift view, checks all servers and waits for COUNT servers' results, opens
device type TYPE, then its first server's settings, and starts a dry-run remediation with one click. `rollout`
(an operator's token) starts a firmware rollout of every server from the firmware view (waves 1,100%), waits for it
to halt, goes on, waits for the second halt, and aborts it. `validate` (an operator's token) opens SERVER's detail,
clicks "Validate now" and waits for the report the live events bring back, check by check. `proposals` (an admin's
token) opens the catalog view, reads the row of proposal ID (its count and servers), and accepts it as device type
NAME with the row's form.
A screenshot of each step is kept in ARTEFACTS_DIR. Every console error, failed request and HTTP answer of 400 or
more is reported; the caller decides what fails.
"""

import json
import sys
import time

from playwright.sync_api import sync_playwright


def main() -> int:
    base, token_file, artefacts, chromium = sys.argv[1:5]
    mode = sys.argv[5] if len(sys.argv) > 5 else "browse"
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

        def open_detail(server):
            # The live stream re-renders the rows; a click that lands on a row being replaced is lost, as it would
            # be for a person, who clicks again: so does this (at most three times), and says how many it took.
            clicks = 0
            while True:
                clicks += 1
                page.locator("tr[data-server='%s']" % server).click()
                try:
                    page.wait_for_function(
                        "s => { const h = document.querySelector('#server-detail h2');"
                        " return h && h.textContent.startsWith(s + ' ')"
                        " && !document.querySelector('#server-detail').textContent.includes('loading'); }",
                        arg=server, polling=100, timeout=10000)
                    return clicks
                except Exception:
                    if clicks == 3:
                        raise RuntimeError("no detail of %s after 3 clicks; the box shows: %r"
                                           % (server, page.text_content("#server-detail")))

        def detail():
            # Every server's detail (up to five), discovered or not; the first one's is reported in full.
            servers = page.locator("tr[data-server]").evaluate_all("rows => rows.map(r => r.dataset.server)")[:5]
            clicks = {}
            for server in reversed(servers):
                clicks[server] = open_detail(server)
            recommendation = page.locator("#recommendation")
            return {"server": servers[0], "clicks": clicks, "heading": page.text_content("#server-detail h2"),
                    "text": page.text_content("#server-detail")[:2000],
                    "recommendation": recommendation.text_content() if recommendation.count() else None}

        def workflows():
            page.click("nav button[data-view=workflows]")
            page.wait_for_selector("#workflows tbody tr", timeout=20000)
            return {"rows": page.locator("#workflows tbody tr").count(), "page": page.text_content("#wf-page")}

        # Every wait_for_function polls every 100 ms: the default (requestAnimationFrame) stalls in headless Chromium
        # when nothing repaints, and a condition already true was then seen only after the timeout.
        def succeeded_steps():
            return page.locator("#servers .step.succeeded").count()

        def start_batch():
            servers = sys.argv[6].split(",")
            for server in servers:
                page.check("tr[data-server='%s'] input[type=checkbox]" % server)
            page.click("#start-batch")
            page.wait_for_function(
                "() => document.querySelector('#batch-result').textContent.startsWith('started')", polling=100,
                timeout=20000)
            started["succeeded_steps"] = succeeded_steps()
            return {"result": page.text_content("#batch-result"), "succeeded_steps": started["succeeded_steps"]}

        # The bars counted right after the batch started: they move from there (counting again later would miss
        # steps that finished in between, and wait for more than the runs will do before their hosts' long POST).
        started = {"succeeded_steps": 0}

        def bars_move():
            before = started["succeeded_steps"]
            # Only the live stream updates the bars here: nothing is reloaded.
            try:
                page.wait_for_function(
                    "n => document.querySelectorAll('#servers .step.succeeded').length >= n + 3", arg=before,
                    polling=100, timeout=60000)
            except Exception:
                raise RuntimeError("bars did not move; the page knows: %s" % page.evaluate(
                    "() => JSON.stringify({shown: document.querySelectorAll('#servers .step.succeeded').length,"
                    " known: [...state.workflows.values()].map(w => [w.server_id, w.state,"
                    " (state.stepsByRun.get(w.id) || []).map(s => s.state).join(',')])})"))
            return {"before": before, "after": succeeded_steps(), "live": page.text_content("#live")}

        def workflow_row(server, state):
            page.click("nav button[data-view=workflows]")
            page.select_option("#wf-state", state)
            row = page.locator("#workflows tbody tr", has=page.locator("td", has_text=server))
            row.first.wait_for(timeout=60000)
            return row.first

        def resume():
            waiting, type_name = sys.argv[7], sys.argv[8]
            page.wait_for_selector("tr[data-server='%s'] td.progress .state.waiting" % waiting, timeout=60000)
            row = workflow_row(waiting, "waiting")
            page.once("dialog", lambda dialog: dialog.accept(type_name))
            row.locator("button", has_text="Resume").click()
            page.click("nav button[data-view=fleet]")
            # The row follows the live stream: the run leaves `waiting`, its classify bar turns green and the
            # server's type (set by the classify step) shows.
            page.wait_for_function(
                "([s, t]) => { const row = document.querySelector(`tr[data-server='${s}']`);"
                " const state = row && row.querySelector('td.progress .state');"
                " const classify = row && row.querySelectorAll('.steps .step')[1];"
                " return state && state.textContent !== 'waiting' && classify"
                " && classify.classList.contains('succeeded') && row.cells[3].textContent === t; }",
                arg=[waiting, type_name], polling=100, timeout=60000)
            row = "tr[data-server='%s']" % waiting
            return {"server": waiting, "type": type_name,
                    "state": page.text_content(row + " td.progress .state"),
                    "row_type": page.text_content(row + " td:nth-child(4)"),
                    "bars": page.locator(row + " .steps .step").evaluate_all("bars => bars.map(b => b.className)")}

        def cancel():
            server = sys.argv[9]
            row = workflow_row(server, "running")
            row.locator("button", has_text="Cancel").click()
            page.click("nav button[data-view=fleet]")
            page.wait_for_selector("tr[data-server='%s'] td.progress .state.cancelled" % server, timeout=60000)
            return {"server": server, "state": page.text_content("tr[data-server='%s'] td.progress .state" % server)}

        def drift_sweep():
            # The drift view, then "Check all servers now": the live events reload it as each check ends.
            expected = int(sys.argv[6])
            page.click("nav button[data-view=drift]")
            page.wait_for_selector("#drift-summary", state="visible", timeout=20000)
            page.click("#drift-sweep")
            page.wait_for_function(
                "n => document.querySelectorAll('#drift-servers tbody tr[data-server]').length === n",
                arg=expected, polling=100, timeout=60000)
            return {"summary": page.text_content("#drift-summary"),
                    "types": page.locator("#drift-types tbody tr").evaluate_all(
                        "rows => rows.map(r => [...r.cells].map(c => c.textContent))"),
                    "states": page.locator("#drift-servers tbody tr").evaluate_all(
                        "rows => rows.map(r => r.dataset.server + ' ' + r.cells[2].textContent)")}

        def drift_type():
            # By type, then servers: a type's row narrows the servers to that type.
            type_name = sys.argv[7]
            page.locator("#drift-types tr[data-type='%s']" % type_name).click()
            page.wait_for_function(
                "t => document.querySelector('#drift-servers-title').textContent === 'Servers of ' + t",
                arg=type_name, polling=100, timeout=10000)
            return {"servers": page.locator("#drift-servers tbody tr").evaluate_all(
                "rows => rows.map(r => r.dataset.server)"), "scope": page.text_content("#drift-scope")}

        def drift_server():
            # Then one server's settings, each with its fate.
            server = page.locator("#drift-servers tbody tr").first.get_attribute("data-server")
            page.locator("#drift-servers tr[data-server='%s']" % server).click()
            page.wait_for_selector("#drift-settings tbody tr", timeout=10000)
            return {"server": server, "title": page.text_content("#drift-detail-title"),
                    "settings": page.locator("#drift-settings tbody tr").evaluate_all(
                        "rows => rows.map(r => [...r.cells].map(c => c.textContent))")}

        def drift_remediate():
            # One click: a dry-run provisioning of the drifted server shown.
            page.click("#drift-dry-run")
            page.wait_for_function(
                "() => document.querySelector('#drift-summary').textContent.startsWith('remediation (dry run)')",
                polling=100, timeout=20000)
            return {"summary": page.text_content("#drift-summary")}

        def validate():
            # A server's detail, "Validate now", and the report drawn again when its validate step ends.
            server = sys.argv[6]
            open_detail(server)
            page.click("#validate-server")
            page.wait_for_selector("#validation-verdict", timeout=60000)
            return {"server": server, "verdict": page.text_content("#validation-verdict .state"),
                    "checks": page.locator("#validation-checks tr[class^=check-]").evaluate_all(
                        "rows => rows.map(r => [...r.cells].map(c => c.textContent))"),
                    "status": page.text_content("#server-detail h2 .state")}

        def rollout_row_state(expected, timeout=120000):
            page.wait_for_function(
                "s => { const b = document.querySelector('#rollouts tbody tr .state');"
                " return b && b.textContent === s; }", arg=expected, polling=100, timeout=timeout)

        def rollout_start():
            # The firmware view: a real rollout (dry run unchecked, confirmed) in two waves; the canary's image is
            # faulty, so it halts by itself after wave 1.
            page.on("dialog", lambda dialog: dialog.accept())
            page.click("nav button[data-view=firmware]")
            page.wait_for_selector("#ro-start", state="visible", timeout=20000)
            page.select_option("#fw-policy", "latest")
            page.fill("#ro-waves", "1,100%")
            page.fill("#ro-halt", "2%")
            page.uncheck("#ro-dry-run")
            page.click("#ro-start")
            rollout_row_state("waiting")
            page.wait_for_selector("#rollout-waves tbody tr[data-wave='1']", timeout=20000)
            return {"result": page.text_content("#ro-result"), "title": page.text_content("#rollout-title"),
                    "waves": page.locator("#rollout-waves tbody tr").evaluate_all(
                        "rows => rows.map(r => [...r.cells].map(c => c.textContent))")}

        def rollout_go_on():
            # A person looks and goes on: wave 2 runs and halts in its turn.
            page.locator("#rollouts tbody tr button", has_text="Go on").click()
            page.wait_for_function(
                "() => { const c = document.querySelector('#rollout-waves tbody tr[data-wave=\"2\"] .state');"
                " return c && c.textContent === 'halted'; }", polling=100, timeout=120000)
            return {"waves": page.locator("#rollout-waves tbody tr").evaluate_all(
                "rows => rows.map(r => [...r.cells].map(c => c.textContent))")}

        def rollout_abort():
            page.locator("#rollouts tbody tr button", has_text="Abort").click()
            rollout_row_state("cancelled")
            return {"state": page.text_content("#rollouts tbody tr .state")}

        def proposals_list():
            # The catalog view lists unknown hardware grouped by build, one row per proposal.
            proposal = sys.argv[6]
            page.click("nav button[data-view=catalog]")
            page.wait_for_selector("#proposals tbody tr[data-proposal='%s']" % proposal, timeout=20000)
            return {"rows": page.locator("#proposals tbody tr[data-proposal]").evaluate_all(
                "rows => rows.map(r => [...r.cells].slice(0, 7).map(c => c.textContent))")}

        def proposals_accept():
            # The row's form: a name, then Accept; the answer is shown under the table.
            proposal, name = sys.argv[6], sys.argv[7]
            row = page.locator("#proposals tbody tr[data-proposal='%s']" % proposal)
            row.locator("input.proposal-name").fill(name)
            row.locator("button", has_text="Accept").click()
            page.wait_for_function(
                "() => { const r = document.querySelector('#proposal-result');"
                " return r.className === 'ok' || r.className === 'error'; }", polling=100, timeout=20000)
            return {"class": page.get_attribute("#proposal-result", "class"),
                    "result": page.text_content("#proposal-result")}

        step("login", login)
        step("fleet", fleet)
        if mode == "proposals":
            step("proposals-list", proposals_list)
            step("proposals-accept", proposals_accept)
        elif mode == "rollout":
            step("rollout-start", rollout_start)
            step("rollout-go-on", rollout_go_on)
            step("rollout-abort", rollout_abort)
        elif mode == "validate":
            step("validate", validate)
        elif mode == "drift":
            step("drift-sweep", drift_sweep)
            step("drift-type", drift_type)
            step("drift-server", drift_server)
            step("drift-remediate", drift_remediate)
        elif mode == "operate":
            step("start-batch", start_batch)
            step("bars-move", bars_move)
            step("resume", resume)
            step("cancel", cancel)
        else:
            step("detail", detail)
            step("workflows", workflows)
        browser.close()
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
