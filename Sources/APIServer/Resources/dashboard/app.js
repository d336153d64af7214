// HWAutomation dashboard: plain JavaScript over the REST API (/api/v1) and its live events (SSE).
// The token comes from the URL fragment (#token=…, removed at once) or the login form, and is kept in this tab's
// sessionStorage. API calls send it as a bearer token; EventSource cannot set headers, so the events route takes it
// as ?access_token= (that route only).
"use strict";

const state = {
  token: null, servers: [], workflows: new Map(), stepsByRun: new Map(), selected: new Set(),
  definitions: [], types: [], vendors: [], detail: null, wfOffset: 0, events: null, refreshTimer: null,
  streamSeconds: 300,
};
const $ = (sel) => document.querySelector(sel);
const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    // Styles through the CSSOM: the page's Content-Security-Policy refuses inline style attributes.
    if (k === "class") node.className = v; else if (k === "style") node.style.cssText = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
  return node;
};
const badge = (s) => el("span", { class: "state " + (s || "") }, s || "-");
const when = (iso) => iso ? new Date(iso).toLocaleString() : "-";

async function api(path, options = {}) {
  const headers = { Authorization: "Bearer " + state.token };
  if (options.body) headers["Content-Type"] = "application/json";
  const response = await fetch("/api/v1" + path, { ...options, headers });
  if (response.status === 401) { logout("The token was refused: " + (await problem(response))); throw new Error("401"); }
  if (!response.ok) throw new Error(await problem(response));
  return response.status === 204 ? null : response.json();
}
async function problem(response) {
  try { const p = await response.json(); return p.detail || p.title; } catch { return response.statusText; }
}
function showError(error) {
  const box = $("#error");
  box.textContent = error ? String(error.message || error) : "";
  box.hidden = !error;
}

// --- Token -----------------------------------------------------------------------------------------------------
// The fragment may also open a view (#view=catalog) or a server's detail (#server=ID): links others can follow.
function takeViewFromFragment() {
  const view = location.hash.match(/view=(\w+)/);
  const server = location.hash.match(/server=([^&]+)/);
  return { view: view && view[1], server: server && decodeURIComponent(server[1]) };
}
function takeTokenFromFragment() {
  const stream = location.hash.match(/stream=(\d+)/);
  if (stream) state.streamSeconds = Math.max(1, Number(stream[1]));
  const match = location.hash.match(/token=([^&]+)/);
  if (match) {
    sessionStorage.setItem("hwa-token", decodeURIComponent(match[1]));
    history.replaceState(null, "", location.pathname + location.search);
  }
}
function logout(message) {
  sessionStorage.removeItem("hwa-token");
  state.token = null;
  if (state.events) state.events.close();
  $("#app").hidden = true;
  $("#login").hidden = false;
  $("#login-error").textContent = message || "";
}
$("#login-form").addEventListener("submit", (e) => {
  e.preventDefault();
  sessionStorage.setItem("hwa-token", $("#token").value.trim());
  $("#token").value = "";
  start();
});
$("#logout").addEventListener("click", () => logout());

// --- Views -----------------------------------------------------------------------------------------------------
for (const button of document.querySelectorAll("nav button")) {
  button.addEventListener("click", () => showView(button.dataset.view));
}
function showView(name) {
  for (const b of document.querySelectorAll("nav button")) b.classList.toggle("active", b.dataset.view === name);
  for (const v of document.querySelectorAll(".view")) v.hidden = v.id !== "view-" + name;
  if (name === "workflows") loadWorkflowPage().catch(showError);
  if (name === "audit") loadAudit().catch(showError);
  if (name === "firmware") { loadFirmware().catch(showError); loadRollouts().catch(showError); }
  if (name === "drift") loadDrift().catch(showError);
  if (name === "catalog") loadProposals().catch(showError);
}

// --- Fleet -----------------------------------------------------------------------------------------------------
async function loadServers() {
  state.servers = await api("/servers");
  renderFleet();
}
// Each server's newest known run, found in one pass over the known runs (not one pass per server).
function latestRuns() {
  const latest = new Map();
  for (const run of state.workflows.values()) {
    const best = latest.get(run.server_id);
    if (!best || run.created > best.created) latest.set(run.server_id, run);
  }
  return latest;
}
function stepBars(run) {
  const steps = state.stepsByRun.get(run.id) || [];
  return el("div", { class: "steps", title: run.definition + ": " + run.state },
    steps.map((s) => el("div", { class: "step " + s.state, title: s.name + ": " + s.state + (s.error ? " — " + s.error : "") },
      el("i", { style: "width:" + (s.state === "running" ? Math.max(40, s.percent || 0) : 0) + "%" }))));
}
function countBy(items, key) {
  const counts = {};
  for (const item of items) { const k = item[key] || "unclassified"; counts[k] = (counts[k] || 0) + 1; }
  return Object.entries(counts).sort((a, b) => b[1] - a[1]);
}
function card(title, big, entries) {
  return el("div", { class: "card" }, el("h3", {}, title), big !== null ? el("div", { class: "big" }, big) : null,
    entries ? el("ul", {}, entries.map(([k, v]) => el("li", {}, el("b", {}, v), " ", k))) : null);
}
function renderFleet() {
  const running = [...state.workflows.values()].filter((w) => w.state === "running" || w.state === "pending").length;
  const cards = $("#fleet-cards");
  cards.replaceChildren(
    card("Servers", state.servers.length, null),
    card("Workflows in progress", running, null),
    card("Need attention", state.servers.filter((s) => s.status === "needs-attention").length, null),
    card("By type", null, countBy(state.servers, "device_type").slice(0, 8)),
    card("By status", null, countBy(state.servers, "status")),
    card("By confidence", null, countBy(state.servers, "confidence")));
  const body = $("#servers tbody");
  const latest = latestRuns();
  body.replaceChildren(...state.servers.map((s) => {
    const run = latest.get(s.id);
    const box = el("input", { type: "checkbox", checked: state.selected.has(s.id), onclick: (e) => {
      e.stopPropagation();
      if (e.target.checked) state.selected.add(s.id); else state.selected.delete(s.id);
      updateBatchButton();
    } });
    return el("tr", { class: "clickable server-row" + (state.detail === s.id ? " selected" : ""), "data-server": s.id,
      onclick: () => showServer(s.id) },
      el("td", {}, box), el("td", {}, s.id), el("td", { class: "muted" }, s.bmc || "-"), el("td", {}, s.device_type || "-"),
      el("td", {}, s.confidence || "-"), el("td", {}, badge(s.status)),
      el("td", { class: "progress" }, run ? [badge(run.state), " ", stepBars(run)] : "-"));
  }));
  updateBatchButton();
}
function updateBatchButton() {
  const button = $("#start-batch");
  button.textContent = "Start batch on " + state.selected.size + " selected";
  button.disabled = state.selected.size === 0;
}
$("#select-all").addEventListener("change", (e) => {
  state.selected = e.target.checked ? new Set(state.servers.map((s) => s.id)) : new Set();
  renderFleet();
});
$("#start-batch").addEventListener("click", async () => {
  const body = { definition: $("#definition").value, servers: [...state.selected] };
  const type = $("#batch-type").value.trim();
  if (type) body.device_type = type;
  if ($("#dry-run").checked) body.dry_run = true;
  try {
    const runs = await api("/workflows", { method: "POST", body: JSON.stringify(body) });
    $("#batch-result").textContent = "started " + runs.length + " run(s)" + (runs[0].batch ? ", batch " + runs[0].batch : "");
    for (const run of runs) await loadRun(run.id);
    state.selected.clear();
    renderFleet();
    showError(null);
  } catch (error) { showError(error); }
});

async function showServer(id) {
  state.detail = id;
  renderFleet();
  const box = $("#server-detail");
  box.hidden = false;
  box.replaceChildren(el("p", { class: "muted" }, "loading " + id + "…"));
  const path = "/servers/" + encodeURIComponent(id);
  const [server, history] = await Promise.all([api(path), api(path + "/workflows").catch(() => [])]);
  // What needs an inventory (or a planned BIOS) is asked for only when there is one (each 404 would be an error in
  // the console).
  const discovered = server.has_inventory;
  const validation = server.has_validation ? await api(path + "/validation").catch(() => null) : null;
  const [inventory, classification, plan, firmwarePlan, advice] = discovered ? await Promise.all([
    api(path + "/inventory").catch(() => null),
    api(path + "/classification").catch(() => null),
    server.has_bios_plan ? api(path + "/bios/plan").catch(() => null) : null,
    api(path + "/firmware/plan").catch(() => null),
    api(path + "/recommendation").catch(() => null),
  ]) : [null, null, null, null, null];
  const sys = inventory && inventory.system || {};
  const bios = inventory && inventory.bios || {};
  const cpu = inventory && inventory.cpu || {};
  const mem = inventory && inventory.memory || {};
  const kv = (rows) => el("table", {}, rows.map(([k, v]) => el("tr", {}, el("th", {}, k), el("td", {}, v ?? "-"))));
  const parts = [
    el("h2", {}, server.id, " ", badge(server.status)),
    kv([["BMC", server.bmc], ["Credential (name)", server.credential], ["SSH", server.ssh_host], ["Type", server.device_type],
      ["Confidence", server.confidence], ["MAAS", server.maas_system_id], ["Tags", (server.tags || []).join(", ")]]),
    el("h3", {}, "Inventory"),
    inventory ? kv([["Manufacturer", sys.manufacturer], ["Product", sys.product], ["Serial", sys.serial],
      ["BIOS version", bios.version], ["CPU", cpu.model], ["Sockets", cpu.sockets],
      ["Memory GiB", mem.totalGiB ?? mem.total_gib]]) : el("p", { class: "muted" }, "not discovered yet"),
    el("h3", {}, "Firmware versions"),
    firmwarePlan ? el("table", {}, el("tr", {}, el("th", {}, "Component"), el("th", {}, "Running"),
        el("th", {}, "Available"), el("th", {}, "Decision (" + firmwarePlan.policy + ")"), el("th", {}, "Why")),
      firmwarePlan.items.map((i) => el("tr", {}, el("td", {}, i.component), el("td", {}, i.current ?? "?"),
        el("td", {}, i.available ?? "-"), el("td", {}, i.decision), el("td", { class: "muted" }, i.reason))))
      : inventory ? kv([["BIOS", [bios.vendor, bios.version].filter(Boolean).join(" ")]])
      : el("p", { class: "muted" }, "not discovered yet"),
    el("h3", {}, "Classification"),
    classification ? [
      el("p", {}, (classification.device_type || "no type"), " — ", classification.confidence, " confidence",
        classification.runner_up ? " (runner-up " + classification.runner_up + ")" : ""),
      el("table", {}, el("tr", {}, el("th", {}, "Field"), el("th", {}, "Verdict"), el("th", {}, "Expected"), el("th", {}, "Found")),
        (classification.reasons || []).map((r) => el("tr", {}, el("td", {}, r.field), el("td", {}, r.verdict),
          el("td", {}, r.expected ?? "-"), el("td", {}, r.found ?? "-"))))]
      : el("p", { class: "muted" }, "no inventory to classify"),
    el("h3", {}, "Recommendation"),
    advice ? [el("p", { id: "recommendation" }, advice.recommendation.workflow,
        advice.recommendation.bios_method ? " (BIOS " + advice.recommendation.bios_method + ")" : ""),
      el("ul", {}, advice.recommendation.reasons.map((r) => el("li", {}, r)))]
      : el("p", { class: "muted" }, "no inventory to recommend from"),
    el("h3", {}, "Boarding validation"),
    validation ? [
      el("p", { id: "validation-verdict" }, badge(validation.passed ? "passed" : "needs-attention"), " ",
        "checked " + when(validation.checked_at)),
      el("table", { id: "validation-checks" }, el("tr", {}, el("th", {}, "Check"), el("th", {}, "Result"), el("th", {}, "Detail")),
        validation.checks.map((c) => el("tr", { class: "check-" + c.result }, el("td", {}, c.name),
          el("td", {}, badge(c.result)), el("td", { class: "muted" }, c.detail))))]
      : el("p", { class: "muted" }, "never validated"),
    server.device_type ? el("p", {}, el("button", { id: "validate-server", onclick: () => validateServer(server.id) },
      "Validate now"), " ", el("span", { id: "validate-result", class: "muted" })) : [],
    el("h3", {}, "BIOS diff"),
    plan ? biosDiff(plan) : el("p", { class: "muted" }, "no plan yet"),
    el("h3", {}, "History"),
    el("table", {}, (history || []).map((w) => el("tr", {}, el("td", {}, w.definition), el("td", {}, badge(w.state)),
      el("td", {}, when(w.updated)), el("td", { class: "muted" }, w.reason || "")))),
  ];
  box.replaceChildren(...parts.flat());
}
// One boarding-validation run for the server; the detail reloads when its validate step ends (see applyEvent).
async function validateServer(id) {
  try {
    const started = await api("/validation", { method: "POST", body: JSON.stringify({ servers: [id] }) });
    $("#validate-result").textContent = "validation started (" + started.runs[0].id + ")";
    showError(null);
  } catch (error) { showError(error); }
}
function biosDiff(plan) {
  const p = plan.plan || {};
  const rows = (p.changes || []).map((c) => {
    const [name, rest] = c.split(/:\s(.*)/s);
    const [from, to] = (rest || "").split(" → ");
    return el("tr", { class: "diff-change" }, el("td", {}, name), el("td", {}, from ?? ""), el("td", {}, to ?? ""));
  });
  return [el("p", { class: "muted" }, (p.changes || []).length + " to change, " + (p.already_set || 0) + " already set" +
      ((p.not_applied || []).length ? ", " + p.not_applied.length + " through the vendor tool" : "") + " (run " + plan.workflow_id + ")"),
    el("table", {}, el("tr", {}, el("th", {}, "Attribute"), el("th", {}, "Current"), el("th", {}, "Desired")), rows)];
}

// --- Workflows -------------------------------------------------------------------------------------------------
// Live events that arrive while a run's detail is being fetched are kept and replayed on the fetched snapshot,
// which may have been taken before them: a snapshot never undoes what the live stream already said.
const fetching = new Map();
async function loadRun(id) {
  let entry = fetching.get(id);
  if (!entry) { entry = { events: [], loads: 0 }; fetching.set(id, entry); }
  entry.loads += 1;
  const from = entry.events.length;
  try {
    const detail = await api("/workflows/" + encodeURIComponent(id));
    state.workflows.set(id, detail.workflow);
    state.stepsByRun.set(id, detail.steps);
    for (const event of entry.events.slice(from)) applyEvent(event, true);
  } finally {
    entry.loads -= 1;
    if (entry.loads === 0) fetching.delete(id);
  }
  // A replayed event named a step the snapshot did not have yet (taken before the engine made the run's steps):
  // fetch again, now that the step exists.
  if (staleRuns.delete(id)) loadRun(id).then(scheduleRender).catch(() => {});
}
const staleRuns = new Set();
// The runs in progress and the newest ones: four pages, each paged by the server. Their steps are not fetched
// here (one request per run): loadActiveSteps fetches them after the first render, for a bounded number of runs.
async function loadActiveRuns() {
  const pages = await Promise.all([
    ...["running", "pending", "waiting"].map((s) => api("/workflows?state=" + s + "&limit=200")),
    api("/workflows?limit=100"),
  ]);
  for (const page of pages) for (const run of page.items) state.workflows.set(run.id, run);
}
// Steps (for the progress bars) of the servers' latest runs that are in progress, at most 50 runs, 4 at a time.
const stepsLoading = new Set();
async function loadActiveSteps() {
  const wanted = [...latestRuns().values()]
    .filter((run) => ["running", "pending", "waiting"].includes(run.state) && !state.stepsByRun.has(run.id))
    .sort((a, b) => (a.updated < b.updated ? 1 : -1)).slice(0, 50).map((run) => run.id);
  const worker = async () => {
    for (let id = wanted.shift(); id !== undefined; id = wanted.shift()) {
      await loadRunOnce(id).catch(() => {});
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  scheduleRender();
}
// loadRun, once at a time per run (live events may ask for the same unknown run many times).
async function loadRunOnce(id) {
  if (stepsLoading.has(id)) return;
  stepsLoading.add(id);
  try { await loadRun(id); } finally { stepsLoading.delete(id); }
}
// Pages asked for, in order: an answer to an older request (another filter, another page) that arrives after a
// newer one is dropped, so the table always shows what was asked for last.
let workflowPageRequests = 0;
async function loadWorkflowPage() {
  const request = ++workflowPageRequests;
  const s = $("#wf-state").value;
  const page = await api("/workflows?limit=25&offset=" + state.wfOffset + (s ? "&state=" + s : ""));
  await Promise.all(page.items.filter((run) => !state.stepsByRun.has(run.id)).map((run) => loadRunOnce(run.id)));
  if (request !== workflowPageRequests) return;
  $("#wf-page").textContent = page.total ? (page.offset + 1) + "–" + (page.offset + page.items.length) + " of " + page.total : "none";
  $("#wf-prev").disabled = page.offset === 0;
  $("#wf-next").disabled = page.offset + page.items.length >= page.total;
  $("#workflows tbody").replaceChildren(...page.items.map((w) => {
    const run = state.workflows.get(w.id) || w;
    const actions = [];
    if (["pending", "running", "waiting"].includes(run.state)) {
      actions.push(el("button", { onclick: () => act(run.id, "cancel") }, "Cancel"));
    }
    if (["waiting", "failed", "cancelled"].includes(run.state)) {
      actions.push(el("button", { onclick: () => act(run.id, "resume") }, "Resume"));
    }
    return el("tr", { class: "wf " + run.state, "data-workflow": run.id }, el("td", { class: "muted" }, run.id.slice(0, 8)),
      el("td", {}, run.server_id), el("td", {}, run.definition), el("td", {}, badge(run.state)), el("td", {}, stepBars(run)),
      el("td", {}, when(run.updated)), el("td", {}, actions));
  }));
}
async function act(id, what) {
  try {
    const body = what === "resume" ? { device_type: prompt("Device type for this server (empty: keep)") || undefined } : undefined;
    await api("/workflows/" + id + "/" + what, { method: "POST", body: JSON.stringify(body || {}) });
    await loadRun(id);
    await loadWorkflowPage();
  } catch (error) { showError(error); }
}
$("#wf-state").addEventListener("change", () => { state.wfOffset = 0; loadWorkflowPage().catch(showError); });
$("#wf-prev").addEventListener("click", () => { state.wfOffset = Math.max(0, state.wfOffset - 25); loadWorkflowPage().catch(showError); });
$("#wf-next").addEventListener("click", () => { state.wfOffset += 25; loadWorkflowPage().catch(showError); });

// --- Live events -----------------------------------------------------------------------------------------------
function connectEvents() {
  if (state.events) state.events.close();
  // EventSource reconnects by itself and sends Last-Event-ID, so no event is missed across a reconnect.
  // The stream ends after a while (300 s, or #stream=N) and EventSource reconnects: a revoked token stops there.
  const source = new EventSource("/api/v1/events?max_seconds=" + state.streamSeconds + "&access_token=" +
    encodeURIComponent(state.token));
  state.events = source;
  source.onopen = () => { $("#live").textContent = "live"; $("#live").className = "live on"; };
  source.onerror = () => { $("#live").textContent = "live: reconnecting"; $("#live").className = "live off"; };
  source.onmessage = (message) => applyEvent(JSON.parse(message.data));
  // After a long disconnection the server sends only the newest events, after a `truncated` notice: reload.
  source.addEventListener("truncated", () => { reloadRuns().catch(showError); });
}
async function reloadRuns() {
  state.workflows.clear();
  state.stepsByRun.clear();
  await Promise.all([loadServers(), loadActiveRuns()]);
  renderFleet();
  loadActiveSteps().catch(() => {});
  if (!$("#view-workflows").hidden) await loadWorkflowPage();
}
// Steps whose success changes the server's record (type, confidence, status): the fleet's rows are reloaded.
const serverSteps = new Set(["discover", "classify", "record", "commission"]);
function applyEvent(event, replayed = false) {
  const entry = fetching.get(event.workflow_id);
  if (entry && !replayed) entry.events.push(event);
  const [scope, what] = event.kind.split(".");
  // The drift and rollout views follow their runs (a rollout's children are runs this page may not list).
  if (event.step === "check-drift" && ["succeeded", "failed", "skipped"].includes(what)) scheduleDrift();
  if (scope === "workflow" || (event.step && event.step.startsWith("wave-"))) scheduleRollouts();
  // A validation of the server on show (a run this page may not list): its report and status are drawn again.
  if (event.step === "validate" && what === "succeeded" && !replayed) {
    scheduleServers();
    if (state.detail && state.detail === event.server_id) showServer(event.server_id).catch(showError);
  }
  const run = state.workflows.get(event.workflow_id);
  if (!run) { loadRunOnce(event.workflow_id).then(scheduleRender).catch(() => {}); return; }
  const steps = state.stepsByRun.get(event.workflow_id) || [];
  const step = event.step && steps.find((s) => s.name === event.step);
  // A step this page does not know yet (the run was listed without its steps, or fetched before it had them):
  // fetch the run again (after the fetch in flight, if there is one).
  if (event.step && !step) {
    if (replayed) staleRuns.add(event.workflow_id);
    else if (!entry) loadRunOnce(event.workflow_id).then(scheduleRender).catch(() => {});
  }
  if (step && what === "succeeded" && serverSteps.has(step.name)) scheduleServers();

  if (step) {
    if (what === "started") step.state = "running";
    else if (what === "progress") step.percent = event.percent;
    else if (["succeeded", "failed", "skipped", "waiting", "cancelled"].includes(what)) step.state = what;
    else if (what === "retry") step.state = "running";
  }
  if (event.kind === "step.failed") { run.state = "failed"; scheduleServers(); }
  else if (scope === "workflow") {
    if (["succeeded", "failed", "cancelled", "waiting"].includes(what)) {
      run.state = what;
      scheduleServers();
    } else if (what === "started" || what === "resumed" || what === "reopened") run.state = "running";
  } else if (run.state === "pending") run.state = "running";
  run.updated = event.at;
  scheduleRender();
}
function scheduleRender() {
  if (state.refreshTimer) return;
  state.refreshTimer = setTimeout(() => {
    state.refreshTimer = null;
    renderFleet();
    if (!$("#view-workflows").hidden) loadWorkflowPage().catch(showError);
  }, 250);
}
let driftTimer = null;
function scheduleDrift() {
  if ($("#view-drift").hidden) return;
  clearTimeout(driftTimer);
  driftTimer = setTimeout(() => loadDrift().catch(showError), 500);
}
let rolloutsTimer = null;
function scheduleRollouts() {
  if ($("#view-firmware").hidden) return;
  clearTimeout(rolloutsTimer);
  rolloutsTimer = setTimeout(() => loadRollouts().catch(showError), 500);
}
let serversTimer = null;
function scheduleServers() {
  clearTimeout(serversTimer);
  serversTimer = setTimeout(() => loadServers().catch(showError), 500);
}

// --- Catalog and audit -----------------------------------------------------------------------------------------
async function loadCatalog() {
  [state.types, state.vendors] = await Promise.all([api("/catalog/device-types"), api("/catalog/vendors")]);
  $("#vendor").replaceChildren(el("option", { value: "" }, "all"), ...state.vendors.map((v) => el("option", { value: v.id }, v.id)));
  $("#type-names").replaceChildren(...state.types.map((t) => el("option", { value: t.name })));
  renderTypes();
}
function renderTypes() {
  const vendor = $("#vendor").value;
  const filter = $("#type-filter").value.toLowerCase();
  $("#types tbody").replaceChildren(...state.types.filter((t) => (!vendor || t.vendor === vendor) &&
      (!filter || t.name.toLowerCase().includes(filter))).map((t) =>
    el("tr", { class: "clickable", onclick: async () => {
      try { $("#type-detail").textContent = JSON.stringify(await api("/catalog/device-types/" + encodeURIComponent(t.name)), null, 2); }
      catch (error) { showError(error); }
    } }, el("td", {}, t.name), el("td", {}, t.vendor), el("td", {}, t.cpu_model || "-"), el("td", {}, t.sockets),
      el("td", {}, t.memory_gib ?? "-"), el("td", { class: "muted" }, (t.boards || []).join(", ")))));
}
// Proposals: unknown hardware grouped by build; a row's form accepts it under a name (admin tokens only: the API
// refuses others with 403, shown beside the table).
async function loadProposals() {
  const proposals = await api("/catalog/proposals");
  $("#proposals tbody").replaceChildren(...(proposals.length ? proposals.map((p) => {
    const input = el("input", { class: "proposal-name", value: p.suggested_name, size: 28, "aria-label": "type name" });
    const form = el("form", { class: "proposal-accept", onsubmit: (e) => { e.preventDefault(); acceptProposal(p.id, input.value.trim()); } },
      input, " ", el("button", { type: "submit" }, "Accept"));
    const servers = p.servers.map((s) => s.id);
    return el("tr", { "data-proposal": p.id }, el("td", { class: "muted" }, p.id), el("td", {}, p.suggested_name),
      el("td", {}, p.vendor), el("td", { class: "count" }, p.count), el("td", {}, p.confidence),
      el("td", {}, p.nearest.length ? p.nearest[0].device_type : "-"),
      el("td", { class: "muted" }, servers.slice(0, 5).join(", ") + (servers.length > 5 ? ", …" : "")), el("td", {}, form));
  }) : [el("tr", {}, el("td", { colspan: 8, class: "muted" }, "no proposals: every discovered server fits a type"))]));
}
async function acceptProposal(id, name) {
  const result = $("#proposal-result");
  result.className = "muted";
  result.textContent = "accepting " + id + "…";
  try {
    const accepted = await api("/catalog/proposals/" + encodeURIComponent(id) + "/accept",
      { method: "POST", body: JSON.stringify(name ? { name } : {}) });
    result.className = "ok";
    result.textContent = "Added " + accepted.name + " (" + accepted.servers.length + " server(s)) to " + accepted.file +
      (accepted.active_after_restart ? "; active after a restart" : "") +
      (accepted.warnings.length ? " — " + accepted.warnings.join("; ") : "");
  } catch (error) {
    if (error.message === "401") return;
    result.className = "error";
    result.textContent = "Not accepted: " + error.message;
  }
}
$("#vendor").addEventListener("change", renderTypes);
$("#type-filter").addEventListener("input", renderTypes);
async function loadAudit() {
  const entries = await api("/audit?limit=200");
  $("#audit tbody").replaceChildren(...entries.map((a) => el("tr", {}, el("td", {}, when(a.at)), el("td", {}, a.actor),
    el("td", {}, a.action), el("td", {}, a.target), el("td", { class: "muted" }, a.detail))));
}

// --- Firmware --------------------------------------------------------------------------------------------------
async function loadFirmware() {
  const policy = $("#fw-policy").value;
  const [report, images] = await Promise.all([
    api("/firmware/compliance?policy=" + encodeURIComponent(policy)), api("/firmware/images")]);
  const servers = new Set(report.rows.map((r) => r.server));
  const behind = new Set(report.rows.filter((r) => r.status === "behind").map((r) => r.server));
  $("#fw-summary").textContent = behind.size + " of " + servers.size + " servers behind";
  $("#fw-compliance tbody").replaceChildren(...report.rows.map((r) => el("tr", {}, el("td", {}, r.server),
    el("td", {}, r.device_type ?? "-"), el("td", {}, r.component), el("td", {}, r.current ?? "?"),
    el("td", {}, r.target ?? "-"), el("td", {}, badge(r.status)), el("td", {}, r.behind_by ? String(r.behind_by) : ""),
    el("td", { class: "muted" }, r.reason))));
  $("#fw-images tbody").replaceChildren(...images.map((i) => el("tr", {}, el("td", {}, i.vendor),
    el("td", {}, i.component), el("td", {}, i.version), el("td", {}, i.priority), el("td", {}, i.security ? "yes" : ""),
    el("td", {}, [...(i.device_types || []), ...(i.boards || []), ...(i.models || [])].join(", ") || "any"),
    el("td", { class: "muted" }, i.file))));
}
$("#fw-policy").addEventListener("change", () => loadFirmware().catch(showError));

// Rollouts: each wave's result; a halted rollout goes on (resume) or is aborted (cancel) with one click.
state.rollout = null;
async function loadRollouts() {
  const rollouts = await api("/firmware/rollouts");
  $("#rollouts tbody").replaceChildren(...rollouts.map((r) => {
    const actions = [];
    if (r.state === "waiting") actions.push(el("button", { onclick: (e) => { e.stopPropagation(); rolloutAct(r.id, "resume"); } }, "Go on"));
    if (["waiting", "running", "pending"].includes(r.state)) actions.push(el("button", { onclick: (e) => { e.stopPropagation(); rolloutAct(r.id, "cancel"); } }, "Abort"));
    return el("tr", { class: "clickable" + (state.rollout === r.id ? " selected" : ""), "data-rollout": r.id,
      onclick: () => { state.rollout = state.rollout === r.id ? null : r.id; loadRollouts().catch(showError); } },
    el("td", { class: "muted" }, r.id.slice(0, 8)), el("td", {}, badge(r.state)), el("td", {}, r.servers),
    el("td", {}, r.waves.map((w) => w.wave + ": " + w.state).join(" · ")), el("td", {}, r.policy ?? "recommended"),
    el("td", {}, when(r.created)), el("td", {}, actions));
  }));
  const shown = rollouts.find((r) => r.id === state.rollout);
  $("#rollout-detail").hidden = !shown;
  if (shown) {
    $("#rollout-title").textContent = "Rollout " + shown.id + (shown.reason ? " — " + shown.reason : "");
    $("#rollout-waves tbody").replaceChildren(...shown.waves.map((w) => el("tr", { "data-wave": w.wave },
      el("td", {}, w.wave), el("td", {}, w.servers.length), el("td", {}, badge(w.state)), el("td", {}, w.updated.join(", ")),
      el("td", {}, Object.keys(w.failed).join(", ")), el("td", {}, w.rolled_back.join(", ")), el("td", {}, w.skipped.join(", ")),
      el("td", {}, w.waiting.join(", ")),
      el("td", { class: "muted" }, Object.entries(w.failed).map(([s, why]) => s + ": " + why).join("; ")))));
  }
}
async function rolloutAct(id, what) {
  try {
    await api("/workflows/" + id + "/" + what, { method: "POST", body: "{}" });
    await loadRollouts();
  } catch (error) { showError(error); }
}
$("#ro-start").addEventListener("click", async () => {
  const dryRun = $("#ro-dry-run").checked;
  if (!dryRun && !confirm("Update the firmware of every server in waves?")) return;
  try {
    const started = await api("/firmware/rollouts", { method: "POST", body: JSON.stringify({ all: true,
      policy: $("#fw-policy").value, waves: $("#ro-waves").value, halt_at: $("#ro-halt").value, dry_run: dryRun }) });
    state.rollout = started.id;
    $("#ro-result").textContent = "rollout " + started.id.slice(0, 8) + " started over " + started.servers + " server(s)";
    await loadRollouts();
  } catch (error) { showError(error); }
});

// --- Drift -----------------------------------------------------------------------------------------------------
// By type, then the type's servers, then one server's settings; a sweep and a remediation (dry run or applied) of
// the drifted servers shown.
state.drift = { report: null, type: null, server: null };
async function loadDrift() {
  state.drift.report = await api("/drift");
  renderDrift();
}
function renderDrift() {
  const report = state.drift.report;
  if (!report) return;
  const drifted = report.servers.filter((r) => r.state === "drifted").length;
  $("#drift-summary").textContent = report.servers.length
    ? drifted + " of " + report.servers.length + " checked servers drifted"
    : "no server checked yet";
  $("#drift-types tbody").replaceChildren(...report.types.map((t) => el("tr", {
    class: "clickable" + (state.drift.type === t.device_type ? " selected" : ""), "data-type": t.device_type,
    onclick: () => { state.drift.type = state.drift.type === t.device_type ? null : t.device_type; state.drift.server = null; renderDrift(); },
  }, el("td", {}, t.device_type), el("td", {}, t.servers), el("td", {}, t.in_sync), el("td", {}, t.drifted),
    el("td", {}, t.bios), el("td", {}, t.firmware), el("td", {}, t.unreachable), el("td", {}, t.untyped))));
  const shown = report.servers.filter((r) => !state.drift.type || (r.device_type ?? "-") === state.drift.type);
  $("#drift-servers-title").textContent = state.drift.type ? "Servers of " + state.drift.type : "Servers";
  $("#drift-servers tbody").replaceChildren(...shown.map((r) => el("tr", {
    class: "clickable" + (state.drift.server === r.server_id ? " selected" : ""), "data-server": r.server_id,
    onclick: () => { state.drift.server = state.drift.server === r.server_id ? null : r.server_id; renderDrift(); },
  }, el("td", {}, r.server_id), el("td", {}, r.device_type ?? "-"), el("td", {}, badge(r.state)),
    el("td", {}, r.bios_drift), el("td", {}, r.firmware_checked ? r.firmware_drift : "-"), el("td", {}, when(r.checked_at)),
    el("td", { class: "muted" }, r.error ?? ""))));
  const targets = remediationTargets();
  $("#drift-scope").textContent = targets.length ? targets.length + " drifted server(s): " + targets.join(", ") : "";
  $("#drift-dry-run").disabled = $("#drift-apply").disabled = targets.length === 0;
  const record = report.servers.find((r) => r.server_id === state.drift.server);
  $("#drift-detail").hidden = !record;
  if (record) {
    $("#drift-detail-title").textContent = record.server_id + " (" + (record.device_type ?? "-") + ")";
    $("#drift-settings tbody").replaceChildren(
      ...record.settings.map((s) => el("tr", { class: "fate-" + s.fate }, el("td", {}, s.setting),
        el("td", {}, s.attribute ?? "-"), el("td", {}, s.current ?? "?"), el("td", {}, s.desired ?? "?"),
        el("td", {}, badge(s.fate)), el("td", { class: "muted" }, s.reason ?? ""))),
      ...record.firmware.map((f) => el("tr", {}, el("td", {}, "firmware " + f.component), el("td", {}, "-"),
        el("td", {}, f.current ?? "?"), el("td", {}, f.target ?? "?"), el("td", {}, badge(f.decision)),
        el("td", { class: "muted" }, f.reason))));
  }
}
function remediationTargets() {
  const report = state.drift.report;
  if (!report) return [];
  return report.servers.filter((r) => r.state === "drifted" &&
    (state.drift.server ? r.server_id === state.drift.server : !state.drift.type || r.device_type === state.drift.type))
    .map((r) => r.server_id);
}
async function driftAction(path, body, what) {
  try {
    const started = await api(path, { method: "POST", body: JSON.stringify(body) });
    $("#drift-summary").textContent = what + ": " + started.runs.length + " run(s) started" +
      (started.batch ? " (batch " + started.batch + ")" : "") + "; follow them under Workflows";
  } catch (error) { showError(error); }
}
$("#drift-sweep").addEventListener("click", () => driftAction("/drift/sweep", { all: true }, "check"));
$("#drift-dry-run").addEventListener("click", () =>
  driftAction("/drift/remediate", { servers: remediationTargets(), apply: false }, "remediation (dry run)"));
$("#drift-apply").addEventListener("click", () => {
  const targets = remediationTargets();
  if (confirm("Apply the device type's BIOS settings to " + targets.length + " server(s)? Each is reset once.")) {
    driftAction("/drift/remediate", { servers: targets, apply: true }, "remediation");
  }
});

// --- Start -----------------------------------------------------------------------------------------------------
async function start() {
  state.token = sessionStorage.getItem("hwa-token");
  if (!state.token) { logout(); return; }
  $("#login").hidden = true;
  $("#app").hidden = false;
  try {
    connectEvents();
    state.definitions = await api("/workflow-definitions");
    $("#definition").replaceChildren(...state.definitions.map((d) => el("option", { value: d.name, title: d.summary,
      selected: d.name === "intelligent-commissioning" }, d.name)));
    await Promise.all([loadServers(), loadActiveRuns(), loadCatalog()]);
    renderFleet();
    // When the fleet and the runs were first drawn (ms since navigation): read by `hwautomation bench api`.
    if (!document.documentElement.dataset.firstRenderMs) {
      document.documentElement.dataset.firstRenderMs = performance.now().toFixed(1);
      console.info("hwa: first render, " + state.servers.length + " servers, " + state.workflows.size + " runs");
    }
    showError(null);
    loadActiveSteps().catch(() => {});
  } catch (error) { if (error.message !== "401") showError(error); }
}
const opening = takeViewFromFragment();
takeTokenFromFragment();
start().then(() => {
  if (opening.view && document.getElementById("view-" + opening.view)) showView(opening.view);
  if (opening.server) showServer(opening.server).catch(showError);
});
