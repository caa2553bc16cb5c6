// boardroom's web UI: every panel is an answer of the JSON API
// (/openapi.json), redrawn when the date or the point of the log changes.
// No framework; the graph is Cytoscape.js with the dagre layout.
"use strict";

const $ = (id) => document.getElementById(id);
const ui = {
  id: null,
  summary: null,
  dates: [],          // every day the slider covers, as YYYY-MM-DD
  date: null,
  knownAt: "",        // "" = the whole log
  variant: "",        // "" = the structure as written
  graph: null,
  control: null,
  power: null,
  selected: null,
  sources: new Map(), // id -> source, in order of first citation
  cy: null,
  generation: 0,
};

function esc(s) {
  return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

// --- the API -------------------------------------------------------------

class Problem extends Error {
  constructor(p) {
    super(p.detail || p.title || "the request failed");
    this.problem = p;
  }
}

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v === undefined || v === null || v === "") continue;
    q.set(k, Array.isArray(v) ? v.join(",") : String(v));
  }
  const s = q.toString();
  return s ? "?" + s : "";
}

async function api(path, params, init) {
  // The token, when one is given, goes with every request: a server
  // started with --private needs it for reads too.
  const token = $("token").value.trim();
  const opts = { ...(init || {}) };
  if (token) opts.headers = { authorization: `Bearer ${token}`, ...(opts.headers || {}) };
  const r = await fetch(path + query(params), opts);
  const type = r.headers.get("content-type") || "";
  const body = type.includes("json") ? await r.json() : await r.text();
  if (!r.ok) throw new Problem(typeof body === "object" ? body : { detail: body, status: r.status });
  return body;
}

function ask(question, params) {
  return api(`/api/structures/${encodeURIComponent(ui.id)}/${question}`, { known_at: ui.knownAt, variant: ui.variant, ...params });
}

function problemHtml(e) {
  const p = e.problem || { detail: String(e) };
  let html = `<div class="problem" role="alert"><strong>${esc(p.detail)}</strong>`;
  if (p.hint) html += `<div>hint: ${esc(p.hint)}</div>`;
  if (p.diagnostics && p.diagnostics.length) {
    html += "<ul>" + p.diagnostics.map((d) =>
      `<li><code>${esc(d.file)}:${d.line}:${d.column}</code>${d.path ? ` (<code>${esc(d.path)}</code>)` : ""}: ${esc(d.message)}` +
      (d.expected ? `<br>expected: ${esc(d.expected)}` : "") +
      (d.hint ? `<br>hint: ${esc(d.hint)}` : "") + "</li>").join("") + "</ul>";
  }
  return html + "</div>";
}

// --- sources ---------------------------------------------------------------

function collect(envelope) {
  for (const s of (envelope && envelope.sources) || []) {
    if (!ui.sources.has(s.id)) ui.sources.set(s.id, s);
  }
  renderSources();
}

function cite(id) {
  if (!id) return "";
  const ids = [...ui.sources.keys()];
  const n = ids.indexOf(id);
  if (n < 0) return "";
  return ` <a class="cite" href="#src-${esc(id)}" title="${esc(ui.sources.get(id).title || id)}">[${n + 1}]</a>`;
}

function renderSources() {
  $("sources").innerHTML = [...ui.sources.values()].map((s) =>
    `<li id="src-${esc(s.id)}">${s.url ? `<a href="${esc(s.url)}" rel="noreferrer">${esc(s.title || s.id)}</a>` : esc(s.title || s.id)}` +
    `${s.publisher ? `, ${esc(s.publisher)}` : ""}${s.date ? `, ${esc(s.date)}` : ""}` +
    `${s.note ? `<br><span class="help">${esc(s.note)}</span>` : ""}</li>`).join("");
}

// --- dates -------------------------------------------------------------------

function addDays(iso, n) {
  const d = new Date(iso + "T00:00:00Z");
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function setupDates() {
  const s = ui.summary;
  const first = s.first_date || s.default_date || new Date().toISOString().slice(0, 10);
  const last = [s.last_date, s.default_date].filter(Boolean).sort().pop() || first;
  const from = addDays(first, -7), to = addDays(last, 7);
  ui.dates = [];
  for (let d = from; d <= to; d = addDays(d, 1)) ui.dates.push(d);
  const slider = $("date-slider");
  slider.max = String(ui.dates.length - 1);
  $("date-input").min = from;
  $("date-input").max = to;
  const start = ui.date && ui.dates.includes(ui.date) ? ui.date : (s.default_date || last);
  slider.value = String(Math.max(0, ui.dates.indexOf(start)));
  ui.date = ui.dates[Number(slider.value)];
  // A tick for every act: blue for acts recorded in the log.
  $("ticks").innerHTML = s.events.map((e) => {
    const i = ui.dates.indexOf(e.date);
    const left = (100 * i) / Math.max(1, ui.dates.length - 1);
    return `<i class="${e.origin.from === "log" ? "log" : ""}" style="left:${left}%"></i>`;
  }).join("");
  showDate();
}

function showDate() {
  $("date-label").textContent = ui.date;
  $("date-input").value = ui.date;
  $("date-slider").setAttribute("aria-valuetext", ui.date);
}

let redraw = null;
function onDate(date) {
  if (!date || date === ui.date && redraw === null) return;
  ui.date = date;
  const i = ui.dates.indexOf(date);
  if (i >= 0) $("date-slider").value = String(i);
  showDate();
  clearTimeout(redraw);
  redraw = setTimeout(() => { redraw = null; refreshDated(); }, 120);
}

// --- the graph ---------------------------------------------------------------

function shareText(sh) {
  if (!sh) return "";
  if (sh.exact !== undefined) return `${sh.exact}%`;
  const lo = sh.minimum ?? sh.exclusive_minimum, hi = sh.maximum ?? sh.exclusive_maximum;
  return `${lo ?? "?"}–${hi ?? "?"}%`;
}

function shareTop(sh) {
  if (!sh) return null;
  const v = sh.exact ?? sh.maximum ?? sh.exclusive_maximum;
  return v === undefined ? null : Number(v);
}

function nodeClass(kind) {
  if (kind === "person") return "person";
  if (kind === "body") return "body";
  if (kind === "unknown" || kind === "unknown entity") return "unknown";
  return "entity";
}

function ensureCy() {
  if (ui.cy) return ui.cy;
  if (window.cytoscapeDagre) cytoscape.use(cytoscapeDagre);
  ui.cy = cytoscape({
    container: $("cy"),
    minZoom: 0.2,
    maxZoom: 3,
    style: [
      { selector: "node", style: { label: "data(label)", "font-size": 11, "text-wrap": "wrap", "text-max-width": 110, "text-valign": "bottom", "text-margin-y": 4, "background-color": "#e8edf3", "border-width": 1.5, "border-color": "#4a5461", width: 34, height: 34, color: "#1b1f24" } },
      { selector: "node.entity", style: { shape: "round-rectangle", width: 46, height: 30, "background-color": "#dbe8f6", "border-color": "#0b5cad" } },
      { selector: "node.body", style: { shape: "round-rectangle", width: 46, height: 30, "background-color": "#ece6f6", "border-color": "#6b4fa0" } },
      { selector: "node.unknown", style: { shape: "round-rectangle", "border-style": "dashed" } },
      { selector: "node:selected", style: { "border-width": 4, "border-color": "#f0b400" } },
      { selector: "edge", style: { width: 2, "curve-style": "bezier", "target-arrow-shape": "triangle", "arrow-scale": 0.9, label: "data(label)", "font-size": 9, "text-rotation": "autorotate", "text-background-color": "#fbfcfd", "text-background-opacity": 0.9, "text-background-padding": 2, color: "#4a5461", "line-color": "#6b7280", "target-arrow-color": "#6b7280" } },
      { selector: "edge.control", style: { width: 3, "line-color": "#0b5cad", "target-arrow-color": "#0b5cad" } },
      { selector: "edge.may-control", style: { "line-color": "#0b5cad", "target-arrow-color": "#0b5cad", "line-style": "dotted" } },
      { selector: "edge.economic", style: { "line-color": "#1d7a46", "target-arrow-color": "#1d7a46" } },
      { selector: "edge.seat", style: { "line-color": "#6b4fa0", "target-arrow-color": "#6b4fa0", label: "" } },
      { selector: "edge.office", style: { "line-color": "#9a5b00", "target-arrow-color": "#9a5b00" } },
      { selector: "edge.caveat", style: { "line-style": "dashed" } },
      { selector: ".below", style: { display: "none" } },
      { selector: ".faded", style: { opacity: 0.18 } },
    ],
  });
  ui.cy.on("tap", "node", (evt) => select(evt.target.id()));
  ui.cy.on("tap", (evt) => { if (evt.target === ui.cy) select(null); });
  // Anything that moves the page moves the graph's container: Cytoscape
  // must measure it again to place clicks.
  if (window.ResizeObserver) new ResizeObserver(() => ui.cy.resize()).observe(document.body);
  window.boardroomGraph = ui.cy; // for tests and the console
  return ui.cy;
}

function drawGraph() {
  const cy = ensureCy();
  const g = ui.graph;
  const elements = [];
  for (const n of g.nodes) elements.push({ group: "nodes", data: { id: n.id, label: n.label, kind: n.kind }, classes: nodeClass(n.kind) });
  g.edges.forEach((e, i) => {
    elements.push({
      group: "edges",
      data: { id: `e${i}`, source: e.from, target: e.to, label: e.kind === "economic" && e.share ? shareText(e.share) : e.label, kind: e.kind, top: shareTop(e.share) },
      classes: e.kind + (e.caveat ? " caveat" : ""),
    });
  });
  cy.batch(() => {
    cy.elements().remove();
    cy.add(elements);
  });
  // The page above the graph may have changed height: let Cytoscape
  // measure where its container is now, or clicks land beside nodes.
  cy.resize();
  cy.layout({ name: window.cytoscapeDagre ? "dagre" : "breadthfirst", rankDir: "TB", nodeSep: 70, rankSep: 80, animate: false }).run();
  cy.fit(undefined, 20);
  applyThreshold();
  $("omitted").textContent = g.omitted && g.omitted.length
    ? "Not drawn on this date: " + g.omitted.map((o) => `${o.label} (${o.reason})`).join("; ") + "."
    : "";
  $("svg-link").href = `/api/structures/${encodeURIComponent(ui.id)}/graph${query({ format: "svg", as_of: ui.date, known_at: ui.knownAt, variant: ui.variant })}`;
  $("svg-link").setAttribute("download", `${ui.id}-${ui.date}.svg`);
  const pick = $("party-pick");
  const keep = ui.selected;
  pick.innerHTML = `<option value="">—</option>` + g.nodes.slice().sort((a, b) => a.label.localeCompare(b.label))
    .map((n) => `<option value="${esc(n.id)}">${esc(n.label)}</option>`).join("");
  if (keep && cy.$id(keep).nonempty()) select(keep); else select(null);
}

function applyThreshold() {
  const t = Number($("threshold").value);
  $("threshold-label").textContent = `${t}%`;
  if (!ui.cy) return;
  ui.cy.edges().forEach((e) => {
    const top = e.data("top");
    e.toggleClass("below", e.data("kind") === "economic" && top !== null && top !== undefined && top < t);
  });
}

function label(id) {
  const n = ui.graph && ui.graph.nodes.find((x) => x.id === id);
  if (n) return n.label;
  const p = ui.summary && ui.summary.parties.find((x) => x.id === id);
  return p ? p.name : id;
}

function select(id) {
  ui.selected = id;
  const cy = ui.cy;
  $("party-pick").value = id || "";
  if (!cy) return;
  cy.elements().removeClass("faded").unselect();
  if (!id || cy.$id(id).empty()) {
    $("details").innerHTML = `<p class="help">Click a party in the graph, or choose one below, to see what it holds, who controls it, and its voting power.</p>`;
    return;
  }
  const n = cy.$id(id);
  n.select();
  // The chains through it: who holds or controls it, up to the top, and
  // what it holds or controls, down to the bottom.
  const chain = n.predecessors().union(n.successors()).union(n);
  cy.elements().not(chain).addClass("faded");
  $("details").innerHTML = detailsHtml(id);
}

function edgeLine(e, other) {
  const caveat = e.caveat ? ` <span class="help">(${esc(e.caveat)})</span>` : "";
  switch (e.kind) {
    case "economic":
      return `${e.share ? `<strong>${esc(shareText(e.share))}</strong> economic interest` : "an economic interest"} (${esc(e.label)}) in ${esc(label(other))}${cite(e.source)}${caveat}`;
    case "seat":
      return `${esc(e.label)} of ${esc(label(other))}${cite(e.source)}`;
    case "office":
      return `${esc(e.label)}, ${esc(label(other))}${cite(e.source)}`;
    case "control":
    case "may-control":
      return `${esc(e.label)}: ${esc(label(other))}${e.detail ? ` <span class="help">(${esc(e.detail)})</span>` : ""}${cite(e.source)}`;
    default:
      return `${esc(e.label)} ${esc(label(other))}${e.detail ? ` <span class="help">(${esc(e.detail)})</span>` : ""}${cite(e.source)}${caveat}`;
  }
}

function list(items, none) {
  return items.length ? `<ul>${items.map((x) => `<li>${x}</li>`).join("")}</ul>` : `<p class="none">${none}</p>`;
}

function detailsHtml(id) {
  const g = ui.graph;
  const node = g.nodes.find((n) => n.id === id);
  const out = g.edges.filter((e) => e.from === id);
  const into = g.edges.filter((e) => e.to === id);
  const isControl = (e) => e.kind === "control" || e.kind === "may-control";
  let html = `<h3>${esc(node.label)}</h3><div class="help">${esc(node.kind)}</div>`;
  html += `<h4>Holds</h4>` + list(out.filter((e) => !isControl(e)).map((e) => edgeLine(e, e.to)), "no interest, seat or office on this date");
  // Control, as the definition of control finds it (the control answer).
  const ents = (ui.control && ui.control.entities) || [];
  const controls = ents.filter((e) => (e.direct || []).some((d) => d.controller === id));
  const ultimately = ents.filter((e) => !controls.includes(e) && (e.ultimate || []).some((u) => u.controller === id || (u.members || []).includes(id)));
  html += `<h4>Control</h4>`;
  if (!controls.length && !ultimately.length) {
    html += `<p>None: ${esc(node.label)} controls no entity on this date.</p>`;
  } else {
    html += list([
      ...controls.map((e) => {
        const d = e.direct.find((x) => x.controller === id);
        return `controls ${esc(e.name)} directly (${esc(d.basis)}${d.certain ? "" : ", not certain"})${cite(d.source)}`;
      }),
      ...ultimately.map((e) => `controls ${esc(e.name)} through a chain`),
    ], "");
  }
  const mine = ents.find((e) => e.entity === id);
  if (mine) {
    html += `<h4>Controlled by</h4>` + list([
      ...(mine.direct || []).map((d) => `${esc(d.name)}, directly (${esc(d.basis)}${d.certain ? "" : ", not certain"})${cite(d.source)}`),
      ...(mine.ultimate || []).filter((u) => !(mine.direct || []).some((d) => d.controller === u.controller))
        .map((u) => `${esc(u.name)}, ultimately`),
    ], "no controller found on this date");
  }
  html += `<h4>Held by</h4>` + list(into.filter((e) => !isControl(e)).map((e) => edgeLine(e, e.from).replace(/ in .*$/, "") + ` (${esc(label(e.from))})`), "no one on this date");
  // Voting power, where the party is a player of the body in the power panel.
  const p = ui.power;
  if (p && p.game && p.game.players) {
    const i = p.game.players.indexOf(id);
    if (i >= 0) {
      const row = p.analysis.players[i];
      html += `<h4>Voting power</h4><p>On ${esc(p.game.name)} (${esc(p.game.decision)}): Banzhaf ${esc(frac(row.banzhaf_normalised))}, Shapley-Shubik ${esc(frac(row.shapley_shubik))}${row.veto ? "; a veto player" : ""}${row.dummy ? "; a dummy (never decisive)" : ""}.</p>`;
    } else if (p.game.body === id) {
      html += `<h4>Voting power</h4><p>See the voting power panel: ${p.game.players.length} players.</p>`;
    }
  }
  return html;
}

function frac(v) {
  if (!v) return "—";
  if (typeof v === "string") return v;
  const r = v.rational || v.exact;
  const d = Number(v.decimal);
  return Number.isFinite(d) ? `${(100 * d).toFixed(1)}%${r && r.includes("/") ? ` (${r})` : ""}` : r;
}

// --- panels ------------------------------------------------------------------

function renderBoard(state) {
  let html = "";
  for (const b of state.bodies || []) {
    html += `<h3>${esc(b.name)} <span class="help">(${b.members.length} members)</span></h3><ul>` +
      b.members.map((m) => `<li>${esc(m.name)}${m.chair ? " (chair)" : ""}${m.offices && m.offices.length ? ` — ${esc(m.offices.join(", "))}` : ""}${cite(m.source)}</li>`).join("") + "</ul>";
  }
  if (state.offices && state.offices.length) {
    html += `<h3>Offices</h3><ul>` + state.offices.map((o) => `<li>${esc(o.title)}: ${o.holder ? esc(o.name) : "<em>vacant</em>"}${cite(o.source)}</li>`).join("") + "</ul>";
  }
  const notes = (state.record && state.record.notes) || [];
  $("record-note").textContent = notes.join(" ");
  $("board").innerHTML = html || `<p class="none">No body on this date.</p>`;
}

async function loadActs() {
  try {
    const a = await ask("acts", {});
    collect(a);
    ui.acts = a.acts;
    renderActs();
    const events = a.acts.filter((x) => x.verdict.id && x.verdict.act !== "meeting");
    const keep = $("block-event").value;
    $("block-event").innerHTML = events.map((x) => `<option value="${esc(x.verdict.id)}">${esc(x.verdict.date)}: ${esc(x.verdict.summary)}</option>`).join("");
    if (keep) $("block-event").value = keep;
  } catch (e) {
    $("acts").innerHTML = problemHtml(e);
  }
}

function renderActs() {
  $("acts").innerHTML = (ui.acts || []).map((x) => {
    const v = x.verdict, o = x.origin;
    const origin = o.from === "log"
      ? `entry ${o.seq}, recorded by ${esc(o.recorded_by)} at ${esc(o.recorded_at.slice(0, 19).replace("T", " "))} UTC${o.outcome_when_recorded !== v.outcome ? ` (judged ${esc(o.outcome_when_recorded)} when recorded)` : ""}`
      : "from the structure file";
    const why = [...(v.reasons || []), ...(v.would_decide || []).map((w) => "would decide: " + w)];
    return `<li class="${v.date > ui.date ? "future" : ""}" data-date="${esc(v.date)}">
      <span class="when">${esc(v.date)}</span><span class="badge ${esc(v.outcome)}">${esc(v.outcome)}</span>${esc(v.summary)}${cite(v.source)}
      ${why.length ? `<ul class="reasons">${why.map((r) => `<li>${esc(r)}</li>`).join("")}</ul>` : ""}
      <div class="origin">${esc(v.authority)}; ${origin}</div></li>`;
  }).join("");
}

async function refreshPower() {
  const body = $("power-body").value, decision = $("power-decision").value;
  if (!body || !decision) { $("power").innerHTML = `<p class="none">No body to analyse.</p>`; return; }
  const date = ui.date;
  try {
    const p = await ask("power", { body, decision, as_of: date, indices: ["banzhaf", "shapley-shubik"], coalitions: true, limit: 10 });
    if (date !== ui.date) return;
    collect(p);
    ui.power = p;
    const a = p.analysis, g = p.game;
    let html = `<p>${esc(g.name)}, ${esc(g.decision)}, on ${esc(g.date)}: ${a.n} players; ${esc(a.winning_coalitions)} winning coalitions.${cite(g.rule && g.rule.source)}</p>`;
    html += `<table><caption class="visually-hidden">Power indices</caption><thead><tr><th scope="col">Member</th><th scope="col" class="num">Banzhaf</th><th scope="col" class="num">Shapley-Shubik</th><th scope="col">Role</th></tr></thead><tbody>` +
      a.players.map((r, i) => `<tr><th scope="row">${esc(g.names[i])}</th><td class="num">${esc(frac(r.banzhaf_normalised))}</td><td class="num">${esc(frac(r.shapley_shubik))}</td><td>${r.veto ? "veto" : r.dummy ? "dummy" : ""}</td></tr>`).join("") + "</tbody></table>";
    if (g.rule && g.rule.note) html += `<p class="help">Rule: ${esc(g.rule.note)}</p>`;
    if (a.minimal_blocking && a.minimal_blocking.length) {
      html += `<p class="help">Smallest groups that can block: ${a.minimal_blocking.slice(0, 5).map((c) => esc((c.members || c.names || c).join ? (c.names || c.members || c).join(", ") : JSON.stringify(c))).join("; ")}</p>`;
    }
    $("power").innerHTML = html;
    if (ui.selected) $("details").innerHTML = detailsHtml(ui.selected);
  } catch (e) {
    ui.power = null;
    $("power").innerHTML = problemHtml(e);
  }
}

function setupPower() {
  const bodies = ui.summary.bodies;
  $("power-body").innerHTML = bodies.map((b) => `<option value="${esc(b.id)}">${esc(b.name)}</option>`).join("");
  const fill = () => {
    const b = bodies.find((x) => x.id === $("power-body").value);
    const ds = b ? b.decisions : [];
    $("power-decision").innerHTML = ds.map((d) => `<option>${esc(d)}</option>`).join("");
    if (ds.includes("remove-director")) $("power-decision").value = "remove-director";
  };
  $("power-body").onchange = () => { fill(); refreshPower(); };
  $("power-decision").onchange = refreshPower;
  fill();
}

function amountFromSlider(v) {
  const x = Math.pow(10, 6 + (6 * Number(v)) / 1000);
  const p = Math.pow(10, Math.floor(Math.log10(x)) - 2);
  return String(Math.round(x / p) * p);
}

function money(s, currency) {
  const [whole, cents] = String(s).split(".");
  return `${currency ? currency + " " : ""}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}${cents ? "." + cents : ""}`;
}

let waterfallTimer = null;
async function refreshWaterfall() {
  if (!ui.summary.economics.length) { $("waterfall").innerHTML = `<p class="none">The structure states no economic terms.</p>`; return; }
  const amount = $("amount-input").value.trim();
  try {
    const w = await ask("waterfall", { amount });
    collect(w);
    const pays = (w.payouts || []).slice().sort((a, b) => Number(b.amount) - Number(a.amount));
    const top = Math.max(...pays.map((p) => Number(p.amount)), 1);
    let html = `<p>${esc(money(w.amount, w.currency))} distributed by ${esc(label(w.entity))}.</p><div class="bars">` +
      pays.map((p) => `<div class="bar-row"><span>${esc(label(p.party))}</span><div class="bar" style="width:${(100 * Number(p.amount)) / top}%" role="img" aria-label="${esc(label(p.party))}: ${esc(money(p.amount, w.currency))}"></div><span class="bar-value">${esc(money(p.amount, w.currency))}</span></div>`).join("") + "</div>";
    if (w.caveats && w.caveats.length) html += `<ul class="caveats">${w.caveats.map((c) => `<li>caveat: ${esc(c)}</li>`).join("")}</ul>`;
    if (w.notes && w.notes.length) html += `<ul class="caveats">${w.notes.map((c) => `<li>${esc(typeof c === "string" ? c : c.text || JSON.stringify(c))}</li>`).join("")}</ul>`;
    $("waterfall").innerHTML = html;
  } catch (e) {
    $("waterfall").innerHTML = problemHtml(e);
  }
}

function setupBlock() {
  const people = ui.summary.parties.filter((p) => p.kind === "person");
  $("block-members").innerHTML = people.map((p) =>
    `<label><input type="checkbox" name="group" value="${esc(p.id)}"> ${esc(p.name)}</label>`).join("");
}

async function askBlock(evt) {
  evt.preventDefault();
  const group = [...document.querySelectorAll("#block-members input:checked")].map((x) => x.value);
  const event = $("block-event").value;
  if (!group.length) { $("block-result").innerHTML = `<p class="problem">Tick at least one member.</p>`; return; }
  try {
    const b = await ask("block", { event, group });
    collect(b);
    let html = `<div class="verdict ${b.could_block ? "invalid" : "valid"}"><strong>${b.could_block ? "Yes" : "No"}</strong>: ${esc(b.group.map(label).join(", "))} ${b.could_block ? "could have blocked" : "could not have blocked"} “${esc(b.summary)}”.</div><ul>`;
    for (const s of b.strategies || []) {
      html += `<li>${esc(s.description)}: ${s.blocks ? "blocks" : "does not block"}${(s.reasons || []).length ? ` — ${esc(s.reasons.join("; "))}` : ""}</li>`;
    }
    $("block-result").innerHTML = html + "</ul>";
  } catch (e) {
    $("block-result").innerHTML = problemHtml(e);
  }
}

// --- recording an event ---------------------------------------------------------

function template(kind) {
  if (!ui.summary) return;
  const body = ui.summary.bodies[0] ? ui.summary.bodies[0].id : "board";
  const person = (ui.summary.parties.find((p) => p.kind === "person") || { id: "someone" }).id;
  const meeting = `${body}-${ui.date}`;
  const t = {
    meeting: { id: meeting, date: ui.date, act: "meeting", body, present: [] },
    appoint: { id: `appoint-${person}-${ui.date}`, date: ui.date, act: "appoint", person, body, by: body, meeting, for: [] },
    remove: { id: `remove-${person}-${ui.date}`, date: ui.date, act: "remove", person, body, by: body, meeting, for: [] },
    resign: { id: `resign-${person}-${ui.date}`, date: ui.date, act: "resign", person, body },
    transfer: { id: `transfer-${ui.date}`, date: ui.date, act: "transfer", interest: "", to: "" },
  }[kind];
  $("event-json").value = JSON.stringify(t, null, 2);
}

function verdictHtml(r) {
  const v = r.verdict;
  let html = `<div class="verdict ${esc(v.outcome)}"><span class="badge ${esc(v.outcome)}">${esc(v.outcome)}</span>${esc(v.summary)}`;
  if ((v.reasons || []).length) html += `<ul>${v.reasons.map((x) => `<li>${esc(x)}</li>`).join("")}</ul>`;
  if ((v.would_decide || []).length) html += `<ul>${v.would_decide.map((x) => `<li>would decide: ${esc(x)}</li>`).join("")}</ul>`;
  html += `<div class="help">${esc(v.authority)}</div>`;
  html += r.dry_run
    ? `<div class="help">Checked only: nothing was stored.</div>`
    : `<div>Recorded as entry ${r.entry.seq} by ${esc(r.entry.recorded_by)} at ${esc(r.entry.recorded_at)}${v.outcome === "invalid" ? "; stored with its verdict and not applied" : ""}.</div>`;
  if ((r.changed || []).length) {
    html += `<div>It changes the verdicts of acts already recorded:<ul>${r.changed.map((c) => `<li>${esc(c.date)} ${esc(c.summary)}: ${esc(c.before)} → ${esc(c.after)}</li>`).join("")}</ul></div>`;
  }
  return html + "</div>";
}

async function sendEvent(dryRun) {
  const token = $("token").value.trim();
  sessionStorage.setItem("boardroom-token", token);
  const headers = { "content-type": "application/json" };
  $("append-result").innerHTML = `<p class="help">Asking the engine…</p>`;
  try {
    const r = await api(`/api/structures/${encodeURIComponent(ui.id)}/events`, { dry_run: dryRun ? "true" : "" }, {
      method: "POST", headers, body: $("event-json").value,
    });
    collect(r);
    $("append-result").innerHTML = verdictHtml(r);
    if (!dryRun) {
      ui.knownAt = "";
      await loadStructure(ui.id, true);
    }
  } catch (e) {
    $("append-result").innerHTML = problemHtml(e);
  }
}

// --- loading -------------------------------------------------------------------------

async function refreshDated() {
  // Answers for a date the slider has already left are dropped: only the
  // latest request draws.
  const gen = ++ui.generation;
  try {
    const [g, state, control] = await Promise.all([
      ask("graph", { as_of: ui.date }),
      ask("state", { as_of: ui.date }),
      ask("control", { as_of: ui.date }),
    ]);
    if (gen !== ui.generation) return;
    collect(g); collect(state); collect(control);
    ui.graph = g;
    ui.control = control;
    renderBoard(state);
    drawGraph();
    renderActs();
  } catch (e) {
    if (gen === ui.generation) $("board").innerHTML = problemHtml(e);
  }
  if (gen === ui.generation) await Promise.all([refreshPower(), refreshWaterfall()]);
}

async function loadKnownAt() {
  const log = await api(`/api/structures/${encodeURIComponent(ui.id)}/log`);
  const sel = $("known-at");
  sel.innerHTML = `<option value="">everything recorded (${log.entries.length} entries)</option><option value="0">before any entry (the structure file alone)</option>` +
    log.entries.map((e) => `<option value="${e.seq}">after entry ${e.seq}: ${esc(e.event.id || e.event.act)} (${esc(e.recorded_by)}, ${esc(e.recorded_at.slice(0, 16).replace("T", " "))})</option>`).join("");
  sel.value = ui.knownAt;
}

async function loadStructure(id, keepDate) {
  ui.id = id;
  if (!keepDate) { ui.date = null; ui.sources.clear(); }
  try {
    ui.summary = await api(`/api/structures/${encodeURIComponent(id)}`, { known_at: ui.knownAt });
  } catch (e) {
    $("structure-meta").innerHTML = problemHtml(e);
    return;
  }
  const s = ui.summary;
  $("structure-meta").textContent = `${s.title} · ${s.parties.length} parties · ${s.events.length} acts · log: ${s.head} entries`;
  document.title = `${s.title} · boardroom`;
  setupDates();
  const variants = s.variants || [];
  $("variant-row").hidden = variants.length === 0;
  if (!variants.includes(ui.variant)) ui.variant = "";
  $("variant").innerHTML = `<option value="">the structure as written</option>` +
    variants.map((v) => `<option value="${esc(v)}">variant: ${esc(v)}</option>`).join("");
  $("variant").value = ui.variant;
  setupPower();
  setupBlock();
  await Promise.all([loadKnownAt(), loadActs()]);
  await refreshDated();
}

async function init() {
  $("token").value = sessionStorage.getItem("boardroom-token") || "";
  $("date-slider").addEventListener("input", (e) => onDate(ui.dates[Number(e.target.value)]));
  $("date-input").addEventListener("change", (e) => onDate(e.target.value));
  $("threshold").addEventListener("input", applyThreshold);
  $("fit").addEventListener("click", () => ui.cy && ui.cy.fit(undefined, 20));
  $("party-pick").addEventListener("change", (e) => select(e.target.value || null));
  $("known-at").addEventListener("change", (e) => { ui.knownAt = e.target.value; loadStructure(ui.id, true); });
  $("structure").addEventListener("change", (e) => { ui.knownAt = ""; ui.variant = ""; loadStructure(e.target.value, false); });
  $("variant").addEventListener("change", async (e) => {
    ui.variant = e.target.value;
    await loadActs();
    await refreshDated();
  });
  $("block-form").addEventListener("submit", askBlock);
  $("amount-slider").addEventListener("input", (e) => {
    $("amount-input").value = amountFromSlider(e.target.value);
    clearTimeout(waterfallTimer);
    waterfallTimer = setTimeout(refreshWaterfall, 120);
  });
  $("amount-input").addEventListener("change", refreshWaterfall);
  $("template").addEventListener("change", (e) => template(e.target.value));
  $("check").addEventListener("click", () => sendEvent(true));
  $("append-form").addEventListener("submit", (e) => { e.preventDefault(); sendEvent(false); });
  $("acts").addEventListener("click", (e) => {
    const li = e.target.closest("li[data-date]");
    if (li) onDate(li.dataset.date);
  });
  $("token").addEventListener("change", async (e) => {
    sessionStorage.setItem("boardroom-token", e.target.value.trim());
    if (!ui.id) {
      await loadList();
      template($("template").value);
    }
  });
  await loadList();
  template("meeting");
  document.body.dataset.ready = "true";
}

async function loadList() {
  let list;
  try {
    list = await api("/api/structures");
  } catch (e) {
    $("structure-meta").innerHTML = problemHtml(e);
    return;
  }
  $("structure").innerHTML = list.structures.map((s) => `<option value="${esc(s.id)}">${esc(s.title)} (${esc(s.id)})</option>`).join("");

  const wanted = new URLSearchParams(location.search).get("structure");
  const first = wanted || (list.structures[0] && list.structures[0].id);
  if (!first) {
    $("structure-meta").textContent = "No structure to show: the record holds none, or this server needs a token to read (enter it under “Record an event”).";
    return;
  }
  $("structure").value = first;
  await loadStructure(first, false);
}

window.addEventListener("DOMContentLoaded", () => {
  init().catch((e) => { $("structure-meta").innerHTML = problemHtml(e); });
});
