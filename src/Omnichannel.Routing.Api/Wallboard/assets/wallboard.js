// The supervisors' wallboard. Live figures come from the transcoded watch RPCs (GET .../queueStats:watch and
// /v1/wallboard/occupancy:watch), which stream one JSON message per line; fetch() reads them so the bearer token
// travels in a header (EventSource cannot send one). Rows are created once and updated in place: no layout jumps.
"use strict";

const HOUR = 3600;
const TOKEN_KEY = "wallboard.token";
const LARGE_KEY = "wallboard.large";
const $ = (selector) => document.querySelector(selector);

const state = { queues: new Map(), targets: new Map(), agents: new Map(), agentsFeed: null, chosenQueue: null, pending: null };

// ---- calls -------------------------------------------------------------------------------------------------------

function headers(json) {
  const h = {};
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) { h.Authorization = "Bearer " + token; }
  if (json) { h["Content-Type"] = "application/json"; }
  return h;
}

async function call(method, path, body) {
  const response = await fetch(path, { method, headers: headers(body !== undefined), body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const json = text ? JSON.parse(text) : {};
  if (!response.ok) { throw new Error(`${response.status}: ${json.message || response.statusText}`); }
  return json;
}

// Reads a transcoded server stream (one JSON message per line) until it ends or is aborted, then reconnects.
function watch(path, onMessage, onState) {
  const abort = new AbortController();
  (async () => {
    while (!abort.signal.aborted) {
      try {
        const response = await fetch(path, { headers: headers(false), signal: abort.signal });
        if (!response.ok) {
          const body = await response.json().catch(() => ({}));
          throw new Error(`${response.status}: ${body.message || response.statusText}`);
        }
        onState("live");
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        let buffered = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) { break; }
          buffered += decoder.decode(value, { stream: true });
          let newline;
          while ((newline = buffered.indexOf("\n")) >= 0) {
            const line = buffered.slice(0, newline).trim();
            buffered = buffered.slice(newline + 1);
            if (line) { onMessage(JSON.parse(line)); }
          }
        }
        onState("reconnecting");
      } catch (error) {
        if (abort.signal.aborted) { return; }
        onState("error " + error.message);
      }
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  })();
  return abort;
}

// ---- formatting --------------------------------------------------------------------------------------------------

const seconds = (duration) => (duration ? parseFloat(duration) : 0);
function clock(duration) {
  const s = Math.round(seconds(duration));
  const mmss = `${String(Math.floor(s / 60) % 60).padStart(s >= 3600 ? 2 : 1, "0")}:${String(s % 60).padStart(2, "0")}`;
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mmss}` : mmss;
}
const short = (value, prefix) => (value || "").replace(prefix, "").toLowerCase().replace(/_/g, " ") || "—";
const percent = (value) => `${(value || 0).toFixed(0)} %`;
function element(tag, attributes, text) {
  const e = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([k, v]) => e.setAttribute(k, v));
  if (text !== undefined) { e.textContent = text; }
  return e;
}

// ---- queues ------------------------------------------------------------------------------------------------------

function chartFor(container) {
  const data = [[], [], []];
  const plot = new uPlot({
    width: container.clientWidth || 200, height: container.clientHeight || 48,
    legend: { show: false }, cursor: { show: false }, select: { show: false },
    axes: [{ show: false }, { show: false }, { show: false, scale: "%" }],
    // Always the last hour, however little of it this page has seen; waiting from 0, service level 0..100.
    scales: {
      x: { time: true, range: () => { const now = Date.now() / 1000; return [now - HOUR, now]; } },
      y: { range: (u, min, max) => [0, Math.max(max, 1)] },
      "%": { range: [0, 100] },
    },
    // Figures hold until they change: stepped lines, each carried on to now.
    series: [{}, { label: "waiting", stroke: "#2563eb", fill: "rgba(37, 99, 235, .15)", width: 2, points: { show: false }, paths: uPlot.paths.stepped({ align: 1 }) },
      { label: "service level %", stroke: "#1b7f3b", width: 2, scale: "%", points: { show: false }, paths: uPlot.paths.stepped({ align: 1 }) }],
  }, data, container);
  return { plot, data };
}

function queueRow(id) {
  let row = state.queues.get(id);
  if (row) { return row; }
  const tr = element("tr", { "data-queue": id });
  const cells = {};
  for (const name of ["name", "waiting", "longest", "sl", "estimate", "agents", "chart", "act"]) {
    cells[name] = tr.appendChild(element("td", { class: name === "name" || name === "chart" || name === "act" ? name : `n ${name}` }));
  }
  cells.name.textContent = id;
  cells.chart.appendChild(element("div", { class: "chart", "aria-hidden": "true" }));
  const choose = cells.act.appendChild(element("button", { type: "button", "aria-label": `Agents of ${id}` }, "Agents"));
  choose.addEventListener("click", () => chooseQueue(id));
  $("#queues tbody").appendChild(tr);
  const list = document.getElementById("queue-ids") || document.body.appendChild(element("datalist", { id: "queue-ids" }));
  list.appendChild(element("option", { value: id }));
  row = { tr, cells, chart: chartFor(cells.chart.firstChild), last: null };
  state.queues.set(id, row);
  return row;
}

function showQueue(stats) {
  const row = queueRow(stats.queueId);
  row.last = stats;
  const target = state.targets.get(stats.queueId);
  if (target && target.name) { row.cells.name.textContent = target.name; row.cells.name.title = stats.queueId; }
  row.tr.classList.toggle("closed", stats.open === false);
  row.cells.waiting.textContent = stats.waiting || 0;
  row.cells.longest.textContent = clock(stats.longestWait);
  row.cells.estimate.textContent = clock(stats.estimatedWait);
  row.cells.agents.textContent = `${stats.agentsAvailable || 0} / ${stats.agentsEligible || 0}`;
  const sl = stats.serviceLevelPercent || 0;
  const goal = target ? target.percent : 80;
  const level = sl >= goal ? "good" : sl >= goal - 10 ? "warn" : "bad";
  row.cells.sl.replaceChildren(element("span", { class: `sl ${level}`, title: `target ${goal} %` }, `${percent(sl)} / ${goal}`));
  sample(row, stats);
}

function sample(row, stats) {
  const now = Date.now() / 1000;
  const [x, waiting, sl] = row.chart.data;
  x.push(now); waiting.push(stats.waiting || 0); sl.push(stats.serviceLevelPercent || 0);
  while (x.length && x[0] < now - HOUR) { x.shift(); waiting.shift(); sl.shift(); }
  draw(row, now);
}

function draw(row, now) {
  const [x, waiting, sl] = row.chart.data;
  row.chart.plot.setData([[...x, now], [...waiting, waiting.at(-1)], [...sl, sl.at(-1)]]);
}

async function loadTargets() {
  try {
    const answer = await call("GET", "/v1/wallboard/queues?pageSize=1000");
    for (const q of answer.queues || []) {
      state.targets.set(q.queueId, { name: q.displayName || q.queueId, percent: (q.serviceLevel && q.serviceLevel.percent) || 80 });
    }
    state.queues.forEach((row) => row.last && showQueue(row.last));
  } catch (error) {
    $("#feed").textContent = "queues: " + error.message;
  }
}

// ---- agents ------------------------------------------------------------------------------------------------------

function chooseQueue(id) {
  state.chosenQueue = id;
  state.queues.forEach((row, queue) => row.tr.classList.toggle("chosen", queue === id));
  $("#agents-queue").textContent = id;
  if (state.agentsFeed) { state.agentsFeed.abort(); }
  state.agents.clear();
  $("#agents tbody").replaceChildren();
  state.agentsFeed = watch(`/v1/wallboard/occupancy:watch?queueId=${encodeURIComponent(id)}`, showAgent, (s) => { $("#agents-title").dataset.feed = s; });
}

function showAgent(occupancy) {
  let row = state.agents.get(occupancy.agentId);
  if (!row) {
    const tr = element("tr", { "data-agent": occupancy.agentId });
    row = { tr };
    for (const name of ["name", "presence", "activity", "load", "occupancy"]) {
      row[name] = tr.appendChild(element("td", { class: name === "occupancy" ? "n occupancy" : name }));
    }
    row.name.textContent = occupancy.agentId;
    $("#agents tbody").appendChild(tr);
    state.agents.set(occupancy.agentId, row);
  }
  row.presence.textContent = occupancy.signedIn ? short(occupancy.presence, "PRESENCE_") : "signed out";
  row.activity.textContent = short(occupancy.activity, "AGENT_ACTIVITY_");
  const loads = (occupancy.loads || []).map((l) => `${l.channel} ${l.active || 0}/${l.maxConcurrent || 0}`);
  row.load.textContent = loads.length ? loads.join(" · ") : "—";
  row.occupancy.textContent = percent(occupancy.occupancyPercentDay);
}

// ---- one interaction ---------------------------------------------------------------------------------------------

async function showInteraction(id) {
  const target = $("#interaction");
  try {
    const i = await call("GET", `/v1/wallboard/interactions/${encodeURIComponent(id)}`);
    const summary = element("p", { class: "summary" });
    summary.append(element("strong", { class: "state" }, short(i.state, "INTERACTION_STATE_")),
      ` · ${i.channel} · queue ${i.queueId || "—"} · agent ${i.agentId || "—"} · customer ${i.customerId}`);
    const history = element("ol", { class: "history", "aria-label": "history" });
    for (const e of i.history || []) {
      const who = e.actor ? ` by ${short(e.actor.kind, "ACTOR_KIND_")}${e.actor.id ? " " + e.actor.id : ""}` : "";
      history.appendChild(element("li", {}, `${new Date(e.time).toLocaleTimeString()} ${e.type}${e.queueId ? " · " + e.queueId : ""}${e.agentId ? " · " + e.agentId : ""}${who}`));
    }
    const journey = element("ol", { class: "journey", "aria-label": "customer journey" });
    try {
      const j = await call("GET", `/v1/customers/${encodeURIComponent(i.customerId)}/journey?pageSize=20`);
      for (const entry of j.entries || []) {
        journey.appendChild(element("li", {}, `${entry.interactionId === i.interactionId ? "▶ " : ""}${entry.channel} · ${entry.queueId} · ${short(entry.state, "INTERACTION_STATE_")}${entry.disposition ? " · " + entry.disposition : ""}`));
      }
    } catch (error) {
      journey.appendChild(element("li", { class: "error" }, error.message));
    }
    target.replaceChildren(summary, element("h3", {}, "History"), history, element("h3", {}, "Customer journey"), journey);
  } catch (error) {
    target.replaceChildren(element("p", { class: "error" }, error.message));
  }
}

// ---- rebalancing -------------------------------------------------------------------------------------------------

const actions = {
  move: { fields: [["interactionId", "Interaction id"], ["targetQueueId", "To queue", "queue"], ["reason", "Reason"]],
    request: (v) => [`/v1/interactions/${encodeURIComponent(v.interactionId)}:move`, { targetQueueId: v.targetQueueId, reason: v.reason }] },
  rebalance: { fields: [["sourceQueueId", "From queue", "queue"], ["targetQueueId", "To queue", "queue"], ["maxInteractions", "At most", "number"]],
    request: (v) => [`/v1/queues/${encodeURIComponent(v.sourceQueueId)}:rebalance`, { targetQueueId: v.targetQueueId, maxInteractions: Number(v.maxInteractions || 0) }] },
  close: { fields: [["queueId", "Queue", "queue"]], request: (v) => [`/v1/queues/${encodeURIComponent(v.queueId)}:setOpen`, { open: false }] },
  open: { fields: [["queueId", "Queue", "queue"]], request: (v) => [`/v1/queues/${encodeURIComponent(v.queueId)}:setOpen`, { open: true }] },
  agentQueues: { fields: [["agentId", "Agent id"], ["queueIds", "Queues (comma-separated)"]],
    request: (v) => [`/v1/agents/${encodeURIComponent(v.agentId)}:setQueues`, { queueIds: v.queueIds.split(",").map((q) => q.trim()).filter(Boolean) }] },
  agentSkills: { fields: [["agentId", "Agent id"], ["skills", "Skills (name=level, …)"]],
    request: (v) => [`/v1/agents/${encodeURIComponent(v.agentId)}:setSkills`, { skills: Object.fromEntries(v.skills.split(",").map((s) => s.split("=").map((p) => p.trim())).filter((p) => p[0]).map(([k, l]) => [k, Number(l)])) }] },
};

function renderActionFields() {
  const container = $("#action-fields");
  container.replaceChildren();
  for (const [name, label, kind] of actions[$("#action").value].fields) {
    const input = element("input", { name, id: `field-${name}`, type: kind === "number" ? "number" : "text" });
    if (kind === "queue") { input.setAttribute("list", "queue-ids"); }
    if (kind === "number") { input.min = "0"; input.value = "10"; }
    const wrapper = element("label", {}, label);
    wrapper.appendChild(input);
    container.appendChild(wrapper);
  }
  invalidatePreview();
}

function invalidatePreview() {
  state.pending = null;
  $("#confirm").disabled = true;
}

function impactTable(answer, caption) {
  const table = element("table", { class: "impact" });
  table.appendChild(element("caption", {}, caption));
  const head = table.appendChild(element("tr"));
  for (const h of ["Queue", "Waiting", "Est. wait", "Service level", "Agents"]) { head.appendChild(element("th", { scope: "col" }, h)); }
  for (const i of answer.impacts || []) {
    const tr = table.appendChild(element("tr", { "data-queue": i.queueId }));
    tr.append(element("td", {}, i.queueId),
      element("td", { class: "n" }, `${i.waitingBefore || 0} → ${i.waitingAfter || 0}`),
      element("td", { class: "n" }, `${clock(i.estimatedWaitBefore)} → ${clock(i.estimatedWaitAfter)}`),
      element("td", { class: "n" }, `${percent(i.serviceLevelPercentBefore)} → ${percent(i.serviceLevelPercentAfter)}`),
      element("td", { class: "n" }, `${i.agentsBefore || 0} → ${i.agentsAfter || 0}`));
  }
  return table;
}

async function preview() {
  const values = Object.fromEntries(new FormData($("#rebalance-form")).entries());
  const [path, body] = actions[$("#action").value].request(values);
  const target = $("#prediction");
  try {
    const answer = await call("POST", path, { ...body, validateOnly: true });
    const affected = (answer.affectedInteractionIds || []).length;
    target.replaceChildren(impactTable(answer, `Predicted (${answer.model || "model"}), nothing changed yet`),
      element("p", { class: "affected" }, `${affected} interaction(s) affected. Confirm to apply.`));
    state.pending = { path, body };
    $("#confirm").disabled = false;
  } catch (error) {
    invalidatePreview();
    target.replaceChildren(element("p", { class: "error" }, error.message));
  }
}

async function confirm() {
  if (!state.pending) { return; }
  const { path, body } = state.pending;
  invalidatePreview();
  const target = $("#prediction");
  try {
    const answer = await call("POST", path, { ...body, validateOnly: false });
    target.replaceChildren(element("p", { class: "done" }, "Applied."), impactTable(answer, "Applied"));
  } catch (error) {
    target.replaceChildren(element("p", { class: "error" }, error.message));
  }
}

// ---- page --------------------------------------------------------------------------------------------------------

let queuesFeed = null;
function start() {
  if (queuesFeed) { queuesFeed.abort(); }
  loadTargets();
  queuesFeed = watch("/v1/queueStats:watch", showQueue, (s) => { $("#feed").textContent = s; });
  if (state.chosenQueue) { chooseQueue(state.chosenQueue); }
}

function setLarge(on) {
  document.body.classList.toggle("large", on);
  $("#large").setAttribute("aria-pressed", String(on));
  sessionStorage.setItem(LARGE_KEY, on ? "1" : "");
  // The charts keep their CSS size; uPlot draws to it.
  state.queues.forEach((row) => row.chart.plot.setSize({ width: row.cells.chart.firstChild.clientWidth, height: row.cells.chart.firstChild.clientHeight }));
}

$("#token").value = sessionStorage.getItem(TOKEN_KEY) || "";
$("#token").addEventListener("change", (e) => { sessionStorage.setItem(TOKEN_KEY, e.target.value.trim()); start(); });
$("#large").addEventListener("click", () => setLarge(!document.body.classList.contains("large")));
$("#interaction-form").addEventListener("submit", (e) => { e.preventDefault(); showInteraction($("#interaction-id").value.trim()); });
$("#action").addEventListener("change", renderActionFields);
$("#rebalance-form").addEventListener("input", (e) => { if (e.target.id !== "action") { invalidatePreview(); } });
$("#rebalance-form").addEventListener("submit", (e) => { e.preventDefault(); preview(); });
$("#confirm").addEventListener("click", confirm);
// The charts' time axis moves on even when nothing changes: redrawn every 5 s, one sample a minute per queue.
setInterval(() => state.queues.forEach((row) => row.last && draw(row, Date.now() / 1000)), 5000);
setInterval(() => state.queues.forEach((row) => row.last && sample(row, row.last)), 60000);
renderActionFields();
setLarge(new URLSearchParams(location.search).has("large") || sessionStorage.getItem(LARGE_KEY) === "1");
start();
