// The operations console: a page per hash route, each polling the REST API every 2 s.
// No build step, no library: plain DOM and inline SVG.
"use strict";

const POLL_MS = 2000;
const main = document.getElementById("main");
const statusLine = document.getElementById("status");
let timer = null;
let generation = 0;

// ---------- helpers ----------
const esc = (v) => String(v ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
const num = (v, digits = 0) => (v === undefined || v === null || Number.isNaN(v)) ? "–"
  : Number(v).toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const rate = (v) => (v === undefined || v === null) ? "–" : num(v, v < 10 ? 1 : 0) + "/s";
function bytes(v) {
  if (v === undefined || v === null) return "–";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0; while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return num(v, i === 0 ? 0 : 1) + " " + units[i];
}
function duration(ms) {
  if (ms === undefined || ms === null) return "–";
  if (ms < 1000) return Math.round(ms) + " ms";
  const s = ms / 1000;
  if (s < 60) return num(s, 1) + " s";
  const m = Math.floor(s / 60), h = Math.floor(m / 60), d = Math.floor(h / 24);
  if (d > 0) return `${d}d ${h % 24}h`;
  if (h > 0) return `${h}h ${m % 60}m`;
  return `${m}m ${Math.floor(s % 60)}s`;
}
const since = (iso) => iso ? duration(Date.now() - Date.parse(iso)) : "–";
function isoTime(ms) {
  if (ms === undefined || ms === null || ms < -8.64e15) return "–";
  if (ms > 8.64e15) return "end of input";
  return new Date(ms).toISOString().replace(".000Z", "Z");
}
const state = (s) => `<span class="state ${esc(s)}">${esc(s)}</span>`;
const jobLink = (j) => `<a href="#/job/${encodeURIComponent(j.id)}">${esc(j.name)}</a>`;
const tmLink = (id) => id ? `<a href="#/taskmanager/${encodeURIComponent(id)}">${esc(id)}</a>` : "–";

// Reads carry the tab's token when it has one (a jobmanager with a read token needs it); a read
// refused for want of one asks for it and is tried again, unless the prompt was dismissed in
// this tab (the pages poll every 2 s: a dismissed prompt must not come back each time).
async function api(path, options = {}, asked = false) {
  const t = sessionStorage.getItem("stream-token");
  const headers = Object.assign(t ? { Authorization: `Bearer ${t}` } : {}, options.headers || {});
  const response = await fetch(path, Object.assign({}, options, { headers }));
  if (response.status === 401 && !options.method && !asked && !sessionStorage.getItem("stream-token-dismissed")) {
    if (token(true) !== null) return api(path, options, true);
    sessionStorage.setItem("stream-token-dismissed", "1");
  }
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch { body = { error: text }; }
  if (!response.ok) {
    const error = new Error((body && body.error) || `${response.status} ${response.statusText}`);
    error.status = response.status; error.body = body;
    throw error;
  }
  return body;
}

function token(forceAsk) {
  let t = sessionStorage.getItem("stream-token");
  if (!t || forceAsk) {
    t = window.prompt("Bearer token of the jobmanager (STREAM_TOKEN):", t || "");
    if (t === null) return null;
    sessionStorage.setItem("stream-token", t);
    sessionStorage.removeItem("stream-token-dismissed");
  }
  return t;
}

async function post(path, body, contentType) {
  const send = (t) => api(path, { method: "POST", body, headers: Object.assign({ Authorization: `Bearer ${t}` }, contentType ? { "Content-Type": contentType } : {}) });
  let t = token(false);
  if (t === null) throw new Error("no token given");
  try { return await send(t); } catch (e) {
    if (e.status !== 401) throw e;
    t = token(true);
    if (t === null) throw e;
    return await send(t);
  }
}

function setStatus(text) { statusLine.textContent = text; }

// ---------- routing ----------
const pages = { overview, jobs, job, taskmanagers, taskmanager, submit };

function route() {
  const [, page = "overview", arg] = (location.hash || "#/overview").split("/").map(decodeURIComponent);
  const render = pages[page] || overview;
  for (const a of document.querySelectorAll("header nav a")) {
    const active = a.dataset.page === page || (page === "job" && a.dataset.page === "jobs") || (page === "taskmanager" && a.dataset.page === "taskmanagers");
    a.classList.toggle("active", active);
    if (active) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
  }
  clearTimeout(timer);
  const mine = ++generation;
  main.innerHTML = "";
  const view = render(arg);
  if (!view || !view.refresh) return;
  const tick = async () => {
    if (mine !== generation) return;
    try {
      await view.refresh();
      setStatus("updated " + new Date().toLocaleTimeString());
    } catch (e) {
      setStatus("error: " + e.message);
      if (view.failed) view.failed(e);
    }
    if (mine === generation) timer = setTimeout(tick, POLL_MS);
  };
  tick();
}
window.addEventListener("hashchange", () => { route(); main.focus({ preventScroll: true }); });

function mount(html) { main.innerHTML = html; }
const $ = (sel) => main.querySelector(sel);

// ---------- overview ----------
function overview() {
  mount(`<h1>Overview</h1><div class="cards" id="overview-cards"></div>
    <section class="panel"><h2>Jobs</h2><div id="overview-jobs"></div></section>`);
  return {
    async refresh() {
      const [o, list] = await Promise.all([api("/overview"), api("/jobs")]);
      const byState = Object.entries(o.jobs).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s.toLowerCase()}`).join(", ") || "none";
      // [label, HTML, small text]
      $("#overview-cards").innerHTML = [
        ["Taskmanagers", `<span id="overview-taskmanagers">${o.taskmanagers}</span>`],
        ["Slots total", o.slotsTotal], ["Slots free", o.slotsAvailable],
        ["Jobs", esc(byState), true], ["Kafka", esc(o.bootstrapServers), true], ["Checkpoints", esc(o.checkpointDir), true],
      ].map(([l, v, small]) => `<div class="card"><div class="label">${l}</div><div class="value${small ? " small" : ""}">${v}</div></div>`).join("");
      $("#overview-jobs").innerHTML = jobsTable(list.jobs);
    },
  };
}

function jobsTable(list) {
  if (!list.length) return `<p class="muted">No jobs. <a href="#/submit">Submit one</a>.</p>`;
  return `<table id="jobs-table"><thead><tr><th>job</th><th>state</th><th>uptime</th><th class="num">restarts</th>
    <th class="num">records in</th><th class="num">records out</th><th>id</th></tr></thead><tbody>` +
    list.slice().reverse().map((j) => `<tr><td>${jobLink(j)}</td><td>${state(j.state)}</td>
      <td>${j.state === "RUNNING" || j.state === "CREATED" ? since(j.submittedAt) : "–"}</td><td class="num">${num(j.restarts)}</td>
      <td class="num">${rate(j.recordsInPerSecond)}</td><td class="num">${rate(j.recordsOutPerSecond)}</td>
      <td class="muted">${esc(j.id)}</td></tr>`).join("") + `</tbody></table>`;
}

// ---------- jobs ----------
function jobs() {
  mount(`<h1>Jobs</h1><section class="panel" id="jobs-list"></section>`);
  return { async refresh() { $("#jobs-list").innerHTML = jobsTable((await api("/jobs")).jobs); } };
}

// ---------- job ----------
function job(id) {
  mount(`<div class="toolbar"><h1 id="job-title">Job</h1><span id="job-state"></span>
      <button id="savepoint" type="button">Savepoint</button>
      <button id="stop" type="button">Stop with savepoint</button>
      <button class="danger" id="cancel" type="button">Cancel job</button></div>
    <div class="message" id="job-message"></div>
    <div class="cards" id="job-cards"></div>
    <section class="panel"><h2>Pipeline</h2><div id="job-graph"></div></section>
    <section class="panel"><h2>Tasks</h2>
      <div class="legend"><span><i style="background:var(--busy)"></i>busy</span><span><i style="background:var(--bp)"></i>back-pressured</span><span><i style="background:var(--idle)"></i>idle</span></div>
      <div id="job-tasks"></div></section>
    <section class="panel"><h2>Checkpoints</h2><div id="job-checkpoint-counts" class="muted"></div><div id="job-checkpoints"></div></section>
    <section class="panel"><h2>Savepoints</h2><div id="job-savepoints"></div></section>
    <section class="panel"><h2>Exceptions</h2><div id="job-exceptions"></div></section>
    <section class="panel"><h2>Definition</h2><pre id="job-definition"></pre></section>`);
  $("#cancel").addEventListener("click", async () => {
    if (!window.confirm("Cancel this job? Its tasks stop; it can be submitted again.")) return;
    try { await post(`/jobs/${encodeURIComponent(id)}/cancel`, ""); setStatus("job canceled"); } catch (e) { window.alert("Cancel failed: " + e.message); }
  });
  $("#savepoint").addEventListener("click", async () => {
    try { await post(`/jobs/${encodeURIComponent(id)}/savepoints`, ""); setStatus("savepoint requested"); } catch (e) { window.alert("Savepoint failed: " + e.message); }
  });
  $("#stop").addEventListener("click", async () => {
    if (!window.confirm("Stop this job with a final savepoint? It ends FINISHED; a definition submitted from the savepoint resumes it.")) return;
    try { await post(`/jobs/${encodeURIComponent(id)}/stop`, ""); setStatus("stop requested"); } catch (e) { window.alert("Stop failed: " + e.message); }
  });
  let definitionShown = false;
  return {
    async refresh() {
      const path = `/jobs/${encodeURIComponent(id)}`;
      const [d, plan, c, x, s] = await Promise.all([api(path), api(path + "/plan"), api(path + "/checkpoints"), api(path + "/exceptions"),
        api(path + "/savepoints")]);
      $("#job-title").textContent = d.name;
      $("#job-state").innerHTML = state(d.state);
      $("#cancel").hidden = ["FINISHED", "FAILED", "CANCELED"].includes(d.state);
      $("#savepoint").hidden = $("#stop").hidden = d.state !== "RUNNING";
      $("#job-message").textContent = d.message || "";
      const running = d.tasks.filter((t) => t.state === "RUNNING");
      const sum = (f) => running.reduce((a, t) => a + (f(t) || 0), 0);
      const lag = d.tasks.reduce((a, t) => a + (t.lag || 0), 0);
      $("#job-cards").innerHTML = [
        ["Uptime", since(d.submittedAt)], ["Restarts", num(d.restarts)], ["Tasks", `${running.length} / ${d.tasks.length} running`],
        ["Records in", rate(sum((t) => t.recordsInPerSecond))], ["Records out", rate(sum((t) => t.recordsOutPerSecond))],
        ["Lag", num(lag) + " records"], ["Last checkpoint", d.lastCompletedCheckpoint ?? "–"],
      ].map(([l, v]) => `<div class="card"><div class="label">${l}</div><div class="value small">${esc(v)}</div></div>`).join("");
      $("#job-graph").innerHTML = graph(plan);
      $("#job-tasks").innerHTML = tasksTable(d.tasks);
      $("#job-checkpoint-counts").textContent = `${c.completed} completed, ${c.failed} failed` +
        (c.inProgress ? `, checkpoint ${c.inProgress.id} in progress for ${duration(c.inProgress.durationMs)}` : "");
      $("#job-checkpoints").innerHTML = checkpointChart(c.history);
      $("#job-exceptions").innerHTML = exceptionsTable(x.exceptions);
      $("#job-savepoints").innerHTML = savepointsTable(s.savepoints);
      if (!definitionShown) { $("#job-definition").textContent = jobSection(plan.definition, d.name); definitionShown = true; }
    },
    failed(e) { if (e.status === 404) mount(`<h1>No such job</h1><p>${esc(e.message)}. <a href="#/jobs">All jobs</a></p>`); },
  };
}

// This job's entry of a submitted definition that may hold several (its "- name:" item up to
// the next item); the whole text when it cannot be told apart (flow style, say).
function jobSection(yaml, name) {
  const lines = yaml.split("\n");
  const quoted = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const head = new RegExp(`^(\\s*)-\\s+name:\\s*["']?${quoted}["']?\\s*(#.*)?$`);
  const start = lines.findIndex((l) => head.test(l));
  if (start < 0) return yaml;
  const indent = lines[start].search(/\S/);
  let end = start + 1;
  for (; end < lines.length; end++) {
    const l = lines[end], at = l.search(/\S/);
    if (at < 0 || l.trim().startsWith("#")) continue;
    if (at < indent || (at === indent && l.trim().startsWith("-"))) break;
  }
  return lines.slice(start, end).join("\n").replace(/\s+$/, "");
}

// Why a task stalls or waits: its clients reach no broker, or it failed and waits out its backoff.
function problem(t) {
  const said = t.kafkaError ? "stalled: " + t.kafkaError
    : t.failure ? "failed: " + t.failure + (t.restartInMs !== undefined ? ` (restarts in ${duration(t.restartInMs)})` : "") : "";
  return said ? `<div class="task-problem wrap">${esc(said)}</div>` : "";
}

function tasksTable(tasks) {
  const times = (t) => {
    if (t.busyTimeMsPerSecond === undefined) return "–";
    const b = t.busyTimeMsPerSecond / 10, p = (t.backPressuredTimeMsPerSecond || 0) / 10, i = (t.idleTimeMsPerSecond || 0) / 10;
    return `<span class="times" role="img" aria-label="busy ${num(b)}%, back-pressured ${num(p)}%, idle ${num(i)}%">` +
      `<span class="busy" style="width:${b}%"></span><span class="bp" style="width:${p}%"></span><span class="idle" style="width:${i}%"></span></span> ` +
      `<span class="muted">${num(t.busyTimeMsPerSecond)} / ${num(t.backPressuredTimeMsPerSecond)} / ${num(t.idleTimeMsPerSecond)}</span>`;
  };
  return `<table id="tasks-table"><thead><tr><th class="num">task</th><th>state</th><th>taskmanager</th><th class="num">slot</th><th class="num">attempt</th>
    <th class="num">offset</th><th class="num">lag</th><th>watermark</th><th class="num">watermark lag</th><th>busy / back-pressured / idle ms/s</th>
    <th class="num">in</th><th class="num">out</th><th class="num">bad</th><th class="num">late</th><th class="num">state rows</th><th class="num">spilled</th><th class="num">keys</th></tr></thead><tbody>` +
    tasks.map((t) => `<tr data-partition="${t.partition}"${t.stage ? ` data-stage="${t.stage}"` : ""}><td class="num">${t.stage ? `stage ${t.stage} · ` : ""}${t.partition}</td><td>${state(t.state)}${problem(t)}</td><td>${tmLink(t.taskmanager)}</td>
      <td class="num">${t.slot ?? "–"}</td><td class="num">${t.attempt ?? "–"}</td><td class="num">${num(t.offset)}</td><td class="num">${num(t.lag)}</td>
      <td class="watermark">${isoTime(t.watermark)}</td><td class="num">${duration(t.watermarkLagMs)}</td><td>${times(t)}</td>
      <td class="num rate-in">${rate(t.recordsInPerSecond)}</td><td class="num rate-out">${rate(t.recordsOutPerSecond)}</td>
      <td class="num">${num(t.badRecords)}</td><td class="num">${num(t.lateRecords)}</td><td class="num">${num(t.stateRowsInMemory)}</td><td class="num">${num(t.stateRowsSpilled)}</td><td class="num">${num(t.keysHeld)}</td></tr>`).join("") +
    `</tbody></table>`;
}

// The plan as boxes: the main chain left to right, the sinks stacked after its end, dead letters under the source.
function graph(plan) {
  const W = 230, H = 78, GAP = 46, PAD = 10;
  const side = new Set(["sink", "late"]);
  const chain = plan.nodes.filter((n) => !side.has(n.kind) && n.kind !== "deadLetter");
  const ends = plan.nodes.filter((n) => side.has(n.kind));
  const dead = plan.nodes.filter((n) => n.kind === "deadLetter");
  const at = {};
  chain.forEach((n, i) => { at[n.id] = { x: PAD + i * (W + GAP), y: PAD }; });
  const endX = PAD + chain.length * (W + GAP);
  ends.forEach((n, i) => { at[n.id] = { x: endX, y: PAD + i * (H + 12) }; });
  dead.forEach((n) => { at[n.id] = { x: PAD, y: PAD + H + 36 }; });
  const width = endX + W + PAD;
  const height = Math.max(PAD + Math.max(ends.length, 1) * (H + 12), dead.length ? PAD + 2 * H + 46 : 0) + PAD;
  const clip = (s, n) => s.length > n ? s.slice(0, n - 1) + "…" : s;
  const edges = plan.edges.map((e) => {
    const a = at[e.from], b = at[e.to];
    if (!a || !b) return "";
    if (b.x === a.x) return `<path class="edge" d="M${a.x + W / 2},${a.y + H} L${b.x + W / 2},${b.y - 2}"/>`;
    return `<path class="edge" d="M${a.x + W},${a.y + H / 2} C${a.x + W + GAP / 2},${a.y + H / 2} ${b.x - GAP / 2},${b.y + H / 2} ${b.x - 2},${b.y + H / 2}"/>`;
  }).join("");
  const nodes = plan.nodes.map((n) => {
    const p = at[n.id];
    const rates = n.kind === "deadLetter" ? rate(n.recordsInPerSecond)
      : (n.recordsInPerSecond === undefined && n.recordsOutPerSecond === undefined) ? "" : `in ${rate(n.recordsInPerSecond)} · out ${rate(n.recordsOutPerSecond)}`;
    return `<g class="node ${esc(n.kind)}" data-step="${esc(n.id)}" transform="translate(${p.x},${p.y})">
      <title>${esc(n.description)}</title>
      <rect width="${W}" height="${H}" rx="6"/>
      <text class="kind" x="10" y="17">${esc(n.kind)} · ${esc(clip(n.id, 18))}</text>
      ${wrap(n.description, 34, 2).map((l, i) => `<text x="10" y="${36 + 16 * i}">${esc(l)}</text>`).join("")}
      <text class="rate" x="10" y="70">${esc(rates)}</text></g>`;
  }).join("");
  return `<svg id="plan-graph" role="img" aria-label="pipeline of ${esc(plan.name)}: ${esc(plan.nodes.map((n) => n.id).join(" → "))}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
    <defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#8a96ad"/></marker></defs>
    ${edges}${nodes}</svg>`;
}

// Up to `lines` lines of at most `width` characters, broken at spaces where it can; the last one clipped.
function wrap(text, width, lines) {
  const out = [];
  let rest = text;
  while (rest.length && out.length < lines) {
    if (out.length === lines - 1 || rest.length <= width) { out.push(rest.length > width ? rest.slice(0, width - 1) + "…" : rest); break; }
    let cut = rest.lastIndexOf(" ", width);
    if (cut <= 0) cut = width;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut).trimStart();
  }
  return out;
}

// Duration as a line with points (left axis), size as bars (right axis), failures as red crosses.
function checkpointChart(history) {
  if (!history.length) return `<p class="muted">No checkpoint yet.</p>`;
  const W = 760, H = 220, L = 56, R = 64, T = 12, B = 34;
  const maxD = Math.max(1, ...history.map((c) => c.durationMs));
  const maxS = Math.max(1, ...history.map((c) => c.sizeBytes));
  const step = (W - L - R) / Math.max(1, history.length);
  const x = (i) => L + step * i + step / 2;
  const yD = (v) => T + (H - T - B) * (1 - v / maxD);
  const yS = (v) => T + (H - T - B) * (1 - v / maxS);
  let out = "";
  for (let k = 0; k <= 4; k++) {
    const y = T + (H - T - B) * k / 4;
    out += `<line class="grid" x1="${L}" x2="${W - R}" y1="${y}" y2="${y}"/>`;
    out += `<text x="${L - 6}" y="${y + 4}" text-anchor="end">${esc(duration(maxD * (1 - k / 4)))}</text>`;
    out += `<text x="${W - R + 6}" y="${y + 4}">${esc(bytes(maxS * (1 - k / 4)))}</text>`;
  }
  history.forEach((c, i) => {
    if (c.status === "COMPLETED") out += `<rect class="size" x="${x(i) - step * 0.3}" y="${yS(c.sizeBytes)}" width="${step * 0.6}" height="${H - B - yS(c.sizeBytes)}"><title>checkpoint ${c.id}: ${esc(bytes(c.sizeBytes))}</title></rect>`;
  });
  const done = history.map((c, i) => [c, i]).filter(([c]) => c.status === "COMPLETED");
  if (done.length > 1) out += `<polyline class="duration" points="${done.map(([c, i]) => `${x(i)},${yD(c.durationMs)}`).join(" ")}"/>`;
  history.forEach((c, i) => {
    const label = `checkpoint ${c.id} ${c.status.toLowerCase()} at ${c.triggeredAt}: ${duration(c.durationMs)}` + (c.status === "COMPLETED" ? `, ${bytes(c.sizeBytes)}` : `: ${c.reason || ""}`);
    if (c.status === "COMPLETED") out += `<circle class="point" cx="${x(i)}" cy="${yD(c.durationMs)}" r="4"><title>${esc(label)}</title></circle>`;
    else out += `<g class="failed-mark"><title>${esc(label)}</title><path class="failed" d="M${x(i) - 5},${H - B - 14} l10,10 m0,-10 l-10,10"/></g>`;
    if (history.length <= 20) out += `<text x="${x(i)}" y="${H - B + 16}" text-anchor="middle">${c.id}</text>`;
  });
  out += `<line class="axis" x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}"/>`;
  return `<svg id="checkpoint-chart" role="img" aria-label="checkpoint durations and sizes, ${history.length} checkpoints" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${out}</svg>
    <div class="legend"><span><i style="background:var(--accent)"></i>duration (left)</span><span><i style="background:#b9cdf0"></i>size (right)</span><span><i style="background:var(--bad)"></i>failed</span></div>
    <table><thead><tr><th class="num">id</th><th>status</th><th>triggered</th><th class="num">duration</th><th class="num">size</th><th>reason</th></tr></thead><tbody>` +
    history.slice().reverse().slice(0, 8).map((c) => `<tr><td class="num">${c.id}</td><td>${state(c.status)}</td><td>${esc(c.triggeredAt)}</td>
      <td class="num">${duration(c.durationMs)}</td><td class="num">${c.status === "COMPLETED" ? bytes(c.sizeBytes) : "–"}</td><td class="wrap">${esc(c.reason || "")}</td></tr>`).join("") + `</tbody></table>`;
}

function savepointsTable(list) {
  if (!list.length) return `<p class="muted">No savepoint taken since the jobmanager started.</p>`;
  return `<table id="savepoints-table"><thead><tr><th>requested</th><th>kind</th><th>status</th><th class="num">checkpoint</th><th>location or cause</th></tr></thead><tbody>` +
    list.slice().reverse().map((p) => `<tr><td>${esc(p.triggeredAt)}</td><td>${esc(p.kind + (p.drain ? " (drain)" : ""))}</td>
      <td class="savepoint-status">${esc(p.status)}</td><td class="num">${p.checkpointId ?? "–"}</td>
      <td class="wrap">${esc(p.location || p.failureCause || "")}</td></tr>`).join("") + `</tbody></table>`;
}

function exceptionsTable(list) {
  if (!list.length) return `<p class="muted" id="no-exceptions">No task has failed.</p>`;
  return `<table id="exceptions-table"><thead><tr><th>time</th><th class="num">task</th><th>taskmanager</th><th class="num">attempt</th><th>message</th></tr></thead><tbody>` +
    list.map((x) => `<tr><td>${esc(x.time)}</td><td class="num">${x.partition}</td><td>${esc(x.taskmanager || "–")}</td><td class="num">${x.attempt ?? "–"}</td>
      <td class="wrap">${esc(x.message)}</td></tr>`).join("") + `</tbody></table>`;
}

// ---------- taskmanagers ----------
function taskmanagers() {
  mount(`<h1>Taskmanagers</h1><section class="panel" id="tm-list"></section>`);
  return {
    async refresh() {
      const list = (await api("/taskmanagers")).taskmanagers;
      const details = await Promise.all(list.map((tm) => api(`/taskmanagers/${encodeURIComponent(tm.id)}`).catch(() => null)));
      $("#tm-list").innerHTML = !list.length ? `<p class="muted">No taskmanager registered.</p>` :
        `<table id="taskmanagers-table"><thead><tr><th>id</th><th>host</th><th class="num">slots</th><th class="num">free</th><th class="num">tasks</th>
        <th class="num">last heartbeat</th><th class="num">memory</th></tr></thead><tbody>` +
        list.map((tm, i) => `<tr><td>${tmLink(tm.id)}</td><td>${esc(tm.host)}</td><td class="num">${tm.slots}</td><td class="num">${tm.freeSlots}</td>
          <td class="num">${tm.tasks}</td><td class="num">${num(tm.millisSinceHeartbeat)} ms ago</td><td class="num">${bytes(details[i]?.memoryBytes)}</td></tr>`).join("") +
        `</tbody></table>`;
    },
  };
}

function taskmanager(id) {
  mount(`<h1>Taskmanager <span id="tm-id"></span></h1><div class="cards" id="tm-cards"></div><section class="panel"><h2>Tasks</h2><div id="tm-tasks"></div></section>`);
  return {
    async refresh() {
      const tm = await api(`/taskmanagers/${encodeURIComponent(id)}`);
      $("#tm-id").textContent = `${tm.id} (${tm.host})`;
      $("#tm-cards").innerHTML = [["Slots", tm.slots], ["Free slots", tm.freeSlots], ["Memory", bytes(tm.memoryBytes)],
        ["Last heartbeat", `${num(tm.millisSinceHeartbeat)} ms ago`], ["Registered", since(tm.registeredAt) + " ago"]]
        .map(([l, v]) => `<div class="card"><div class="label">${l}</div><div class="value small">${esc(v)}</div></div>`).join("");
      $("#tm-tasks").innerHTML = !tm.tasks.length ? `<p class="muted">No task.</p>` :
        `<table><thead><tr><th>job</th><th class="num">task</th><th class="num">slot</th><th>state</th><th class="num">attempt</th></tr></thead><tbody>` +
        tm.tasks.map((t) => `<tr><td>${jobLink({ id: t.jobId, name: t.job })}</td><td class="num">${t.partition}</td><td class="num">${t.slot ?? "–"}</td>
          <td>${state(t.state)}</td><td class="num">${t.attempt ?? "–"}</td></tr>`).join("") + `</tbody></table>`;
    },
    failed(e) { if (e.status === 404) mount(`<h1>No such taskmanager</h1><p>${esc(e.message)} (lost, or restarted). <a href="#/taskmanagers">All taskmanagers</a></p>`); },
  };
}

// ---------- submit ----------
function submit() {
  mount(`<h1>Submit jobs</h1>
    <section class="panel">
      <p class="muted">Paste a job definition (YAML, <code>docs/jobs.md</code>) or load a file. The jobmanager checks it whole
        first: on any error nothing starts, and each error is shown at its line and column.</p>
      <div class="toolbar">
        <label>File <input type="file" id="submit-file" accept=".yaml,.yml,text/yaml,text/plain"></label>
        <label><input type="checkbox" id="submit-bounded"> bounded (read to the end offsets, then finish)</label>
      </div>
      <label for="submit-yaml" class="muted">Definition</label>
      <textarea id="submit-yaml" spellcheck="false" placeholder="jobs:&#10;  - name: ..."></textarea>
      <div class="toolbar" style="margin-top:10px"><button type="button" id="submit-button">Submit</button><span id="submit-result" role="status" aria-live="polite"></span></div>
      <div id="submit-errors" class="errors"></div>
    </section>`);
  const area = $("#submit-yaml");
  area.value = sessionStorage.getItem("stream-draft") || "";
  area.addEventListener("input", () => sessionStorage.setItem("stream-draft", area.value));
  $("#submit-file").addEventListener("change", async (e) => {
    const file = e.target.files[0];
    if (file) { area.value = await file.text(); sessionStorage.setItem("stream-draft", area.value); }
  });
  $("#submit-button").addEventListener("click", async () => {
    const result = $("#submit-result"), errors = $("#submit-errors");
    result.textContent = "submitting…"; errors.innerHTML = "";
    try {
      const reply = await post("/jobs" + ($("#submit-bounded").checked ? "?bounded=true" : ""), area.value, "application/yaml");
      result.innerHTML = `<span class="ok">submitted:</span> ` + reply.jobs.map(jobLink).join(", ");
    } catch (e) {
      result.textContent = "refused: " + e.message;
      const problems = (e.body && e.body.errors) || [];
      if (!problems.length) return;
      const lines = area.value.split("\n");
      const bad = new Set(problems.map((p) => p.line));
      errors.innerHTML = `<ul>` + problems.map((p) => `<li class="error-line" data-line="${p.line}"><a href="#" data-line="${p.line}" data-column="${p.column}">line ${p.line}, column ${p.column}</a>: ${esc(p.reason)}</li>`).join("") + `</ul>` +
        `<pre class="listing" id="submit-listing">` + lines.map((l, i) => {
          const n = i + 1, here = problems.filter((p) => p.line === n);
          const marks = here.map((p) => `\n<span class="ln"></span>${" ".repeat(Math.max(0, p.column - 1))}^ ${esc(p.reason)}`).join("");
          return bad.has(n) ? `<span class="bad" id="line-${n}"><span class="ln">${n}</span>${esc(l)}${marks}</span>` : `<span class="ln">${n}</span>${esc(l)}\n`;
        }).join("") + `</pre>`;
      for (const a of errors.querySelectorAll("a[data-line]")) {
        a.addEventListener("click", (ev) => { ev.preventDefault(); select(area, +a.dataset.line, +a.dataset.column); });
      }
      select(area, problems[0].line, problems[0].column);
    }
  });
  return null;
}

// Puts the caret of `area` at line and column (1-based) and scrolls it into view.
function select(area, line, column) {
  const lines = area.value.split("\n");
  let offset = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
  const end = offset + (lines[line - 1] || "").length;
  area.focus();
  area.setSelectionRange(Math.min(end, offset + Math.max(0, column - 1)), end);
  const lineHeight = parseFloat(getComputedStyle(area).lineHeight) || 18;
  area.scrollTop = Math.max(0, (line - 5) * lineHeight);
}

route();
