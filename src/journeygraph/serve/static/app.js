// The workshop page. Every text from a map goes into the document as text
// (textContent, option text, input values), never as markup; the diagrams are
// Graphviz's SVG, parsed as SVG with scripts and event attributes taken out.
"use strict";

const csrf = document.querySelector('meta[name="csrf-token"]').content;
const client = sessionStorage.getItem("journeygraph-client") || crypto.randomUUID();
sessionStorage.setItem("journeygraph-client", client);
const SEVERITIES = ["high", "medium", "low", "info"];
const ROLES = ["R", "A", "C", "I"];

let mapIndex = 0;
let state = null;
let events = null;
let chosenFinding = null;
let currentView = "flow";
const picked = { touchpoint: null, function: null, department: null, experience: null, opportunity: null };
const STATUSES = ["idea", "planned", "in-progress", "done"];

function $(id) { return document.getElementById(id); }

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "text") node.textContent = value == null ? "" : String(value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node[key] = value;
  }
  for (const child of children) node.append(child);
  return node;
}

function option(value, label, selected) {
  const o = el("option", { value: value == null ? "" : value, text: label });
  o.selected = !!selected;
  return o;
}

function banner(lines, kind) {
  const b = $("banner");
  b.textContent = lines.join("\n");
  b.className = kind || "";
  b.hidden = lines.length === 0;
}

// --- talking to the server ---------------------------------------------------------------

async function loadMaps() {
  const maps = await (await fetch("/api/maps")).json();
  const choice = $("map-choice");
  choice.replaceChildren(...maps.map((m) => option(m.index, m.file, m.index === 0)));
  choice.addEventListener("change", () => choose(Number(choice.value)));
  choose(0);
}

function choose(index) {
  mapIndex = index;
  for (const link of document.querySelectorAll("#downloads a")) {
    link.href = `/api/maps/${index}/downloads/${encodeURIComponent(link.dataset.download)}`;
  }
  if (events) events.close();
  events = new EventSource(`/api/maps/${index}/events`);
  events.addEventListener("revision", (e) => {
    if (!state || Number(e.data) !== state.revision) refresh();
  });
  events.addEventListener("drawn", (e) => {
    // The view shown as a quick draft is drawn now: show that drawing in its place.
    const key = `${index}/${e.data}`;
    if (drawn[key] && drawn[key].draft && state) {
      refined[key] = true;
      delete drawn[key];
      if (e.data === currentView) showView(currentView, state.revision);
    }
  });
  refresh();
}

let refreshing = null;
async function refresh() {
  if (refreshing) { refreshing.again = true; return; }
  refreshing = { again: false };
  try {
    const response = await fetch(`/api/maps/${mapIndex}/state`);
    state = await response.json();
    render();
  } finally {
    const again = refreshing.again;
    refreshing = null;
    if (again) refresh();
  }
}

function shownValue(value) {
  if (value === null || value === undefined || value === "") return "(nothing)";
  if (Array.isArray(value)) return value.join(", ") || "(nothing)";
  return String(value);
}

async function post(path, body) {
  const response = await fetch(`/api/maps/${mapIndex}/${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
    body: JSON.stringify({ ...body, client }),
  });
  const outcome = await response.json();
  if (outcome.status === "applied") banner([]);
  else if (outcome.status === "conflict") {
    banner([`Someone changed this meanwhile: it now holds ${shownValue(outcome.current)}. ` +
            "Your edit was not made; the page shows their value."], "info");
  } else banner(outcome.problems);
  if (!state || outcome.revision !== state.revision || outcome.status !== "applied") {
    for (const input of document.querySelectorAll("[data-dirty]")) delete input.dataset.dirty;
    refresh();
  }
  return outcome;
}

function edit(kind, target, extra = {}) {
  return post("edit", { kind, target, revision: state.revision, ...extra });
}

// --- what the page shows ------------------------------------------------------------------

function render() {
  $("revision").textContent = `revision ${state.revision}`;
  document.body.dataset.revision = state.revision;
  const waiting = state.problems && state.problems.length
    ? [`${state.file} is not a valid map now; edits wait until it is fixed:`, ...state.problems]
    : [];
  if (waiting.length) banner(waiting);
  else if (state.read_only) banner([state.read_only], "info");
  else if ($("banner").dataset.from === "file") banner([]);
  $("banner").dataset.from = waiting.length ? "file" : "";
  $("undo").disabled = !!state.read_only;
  if (!state.map) return;
  $("title").textContent = state.map.journey.name;
  renderScorecard();
  renderFilters();
  renderFindings();
  renderViews();
  renderRaci();
  renderForms();
}

function renderScorecard() {
  const card = state.scorecard;
  const rows = [
    ["Touchpoints", card.touchpoints],
    ...Object.entries(card.findings).map(([s, n]) => [`Findings, ${s}`, n]),
    ["Waived", card.waived],
    ["With a Responsible", card.with_responsible],
    ["With an Accountable", card.with_accountable],
    ["Changes of hands", card.changes_of_hands],
    ["… covered by a handoff", card.covered_changes],
    ["Declared handoffs", card.declared_handoffs],
  ];
  $("scorecard").replaceChildren(
    ...rows.flatMap(([label, value]) => [el("dt", { text: label }), el("dd", { text: value })]),
  );
}

function fillFilter(id, entries) {
  const select = $(id);
  const kept = select.value;
  select.replaceChildren(option("", "all"), ...entries.map(([v, label]) => option(v, label, v === kept)));
}

function renderFilters() {
  const m = state.map;
  fillFilter("filter-severity", SEVERITIES.map((s) => [s, s]));
  fillFilter("filter-stage", m.stages.map((s) => [s.id, s.name]));
  fillFilter("filter-department", m.departments.map((d) => [d.id, d.name || d.id]));
  fillFilter("filter-persona", m.personas.map((p) => [p.id, p.name]));
}

function shownFindings() {
  const severity = $("filter-severity").value;
  const stage = $("filter-stage").value;
  const department = $("filter-department").value;
  const persona = $("filter-persona").value;
  return state.findings.filter((f) =>
    (!severity || f.severity === severity) &&
    (!stage || f.stages.includes(stage)) &&
    (!department || f.departments.includes(department)) &&
    (!persona || f.personas.includes(persona)));
}

function findingKey(f) { return `${f.rule}|${f.entities.join("|")}`; }

function renderFindings() {
  const list = shownFindings().map((f) => {
    const item = el("li", {
      dataset: { rule: f.rule, key: findingKey(f) },
      onclick: () => highlight(f),
    },
      el("span", { className: `severity sev-${f.severity}`, text: f.severity }), " ",
      el("span", { className: "rule", text: f.rule }), " ",
      el("span", { className: "message", text: f.message }),
      f.location ? el("span", { className: "muted", text: ` (line ${f.location.line})` }) : "",
      el("div", { className: "fix", text: f.fix }));
    if (chosenFinding === findingKey(f)) item.classList.add("chosen");
    return item;
  });
  $("findings").replaceChildren(...list);
  if (!list.length) $("findings").append(el("li", { className: "muted", text: "No findings." }));
  const chosen = state.findings.find((f) => findingKey(f) === chosenFinding);
  markElements(chosen ? chosen.highlight : []);
}

function markElements(ids) {
  for (const node of document.querySelectorAll("#view-panels .hl")) node.classList.remove("hl");
  let first = null;
  for (const id of ids) {
    // Diagrams name elements by id; the journey canvas, where one may be named in
    // several columns, by data-ref on the texts naming it.
    const quoted = CSS.escape(id);
    const named = `#view-panels [id="${quoted}"], #view-panels [data-ref="${quoted}"]`;
    for (const node of document.querySelectorAll(named)) {
      node.classList.add("hl");
      if (!first && node.closest(".view:not([hidden])")) first = node;
    }
  }
  if (first) first.scrollIntoView({ block: "nearest", inline: "center" });
}

function highlight(f) {
  chosenFinding = findingKey(f);
  renderFindings();
}

for (const id of ["filter-severity", "filter-stage", "filter-department", "filter-persona"]) {
  document.addEventListener("DOMContentLoaded", () => $(id).addEventListener("change", renderFindings));
}

function safeSvg(text) {
  const parsed = new DOMParser().parseFromString(text, "image/svg+xml");
  const svg = parsed.documentElement;
  if (svg.nodeName !== "svg") return el("p", { text: "(the diagram could not be shown)" });
  for (const node of svg.querySelectorAll("script, foreignObject")) node.remove();
  for (const node of [svg, ...svg.querySelectorAll("*")]) {
    for (const attribute of [...node.attributes]) {
      const value = attribute.value.trim().toLowerCase();
      if (attribute.name.toLowerCase().startsWith("on") ||
          ((attribute.localName === "href") && !value.startsWith("#"))) {
        node.removeAttribute(attribute.name);
      }
    }
  }
  return document.importNode(svg, true);
}

const drawn = {};
const refined = {};  // views whose draft the exact drawing replaced

function renderViews() {
  const tabs = Object.entries(state.views).map(([name, title]) => {
    const tab = el("button", {
      type: "button",
      text: title,
      dataset: { view: name },
      onclick: () => { currentView = name; renderViews(); },
    });
    tab.setAttribute("aria-selected", String(name === currentView));
    return tab;
  });
  $("tabs").replaceChildren(...tabs);
  showView(currentView, state.revision);
}

async function showView(name, revision) {
  const key = `${mapIndex}/${name}`;
  let view = drawn[key];
  if (!view || view.revision !== revision) {
    const response = await fetch(`/api/maps/${mapIndex}/views/${encodeURIComponent(name)}`);
    if (!response.ok) return;
    view = await response.json();
    drawn[key] = view;
  }
  if (name !== currentView || !state || view.revision !== state.revision) return;
  const panel = el("section", {
    className: "view",
    dataset: { view: name, revision: view.revision, draft: view.draft ? "yes" : "no" },
  });
  if (view.note) panel.append(el("p", { className: "note", text: view.note }));
  if (!view.draft && refined[key]) {
    delete refined[key];
    panel.append(el("p", { className: "note refined", text: "Layout refined." }));
  }
  if (view.svg) panel.append(safeSvg(view.svg));
  $("view-panels").replaceChildren(panel);
  const chosen = state.findings.find((f) => findingKey(f) === chosenFinding);
  markElements(chosen ? chosen.highlight : []);
}

// --- the RACI grid ------------------------------------------------------------------------

function renderRaci() {
  const m = state.map;
  const head = el("tr", {}, el("th", { text: "" }),
    ...m.functions.map((f) => el("th", { className: "fn", text: f.name || f.id, title: f.id })));
  const rows = m.touchpoints.map((t) => el("tr", {},
    el("th", { text: t.name || t.id, title: t.id }),
    ...m.functions.map((f) => {
      const held = ROLES.filter((r) => t.owners[r].includes(f.id));
      return el("td", {
        text: held.join(" "),
        dataset: { touchpoint: t.id, function: f.id },
        onclick: (e) => openRaci(e.currentTarget, t, f),
      });
    })));
  $("raci").replaceChildren(el("thead", {}, head), el("tbody", {}, ...rows));
  const open = raciOpen && document.querySelector(
    `#raci td[data-touchpoint="${CSS.escape(raciOpen[0])}"][data-function="${CSS.escape(raciOpen[1])}"]`);
  const t = open && m.touchpoints.find((x) => x.id === raciOpen[0]);
  const f = open && m.functions.find((x) => x.id === raciOpen[1]);
  if (t && f) openRaci(open, t, f);
  else $("raci-pop").hidden = true;
}

let raciOpen = null;

function openRaci(cell, t, f) {
  raciOpen = [t.id, f.id];
  const pop = $("raci-pop");
  const box = cell.getBoundingClientRect();
  pop.style.left = `${box.left}px`;
  pop.style.top = `${box.bottom}px`;
  pop.replaceChildren(el("span", { text: `${t.name || t.id} × ${f.name || f.id}: ` }),
    ...ROLES.map((role) => {
      const held = t.owners[role].includes(f.id);
      const button = el("button", {
        type: "button",
        text: role,
        dataset: { role },
        onclick: () => edit("raci", [t.id, f.id, role], { value: !held, was: held }),
      });
      button.setAttribute("aria-pressed", String(held));
      return button;
    }),
    el("button", { type: "button", text: "×", onclick: () => { raciOpen = null; pop.hidden = true; } }));
  pop.hidden = false;
}

// --- forms --------------------------------------------------------------------------------

function field(label, input) {
  return [el("label", { text: label, htmlFor: input.id }), input];
}

let rendering = false;
let refocus = null;

// A text field saves when left or on Enter, if typed in; one being typed in keeps
// what was typed, and the value it was typed over, when the page redraws.
function input(id, value, kind, onsave) {
  const node = el("input", { id, type: kind || "text" });
  const previous = document.getElementById(id);
  if (previous && previous.dataset.dirty) {
    node.value = previous.value;
    node.dataset.was = previous.dataset.was;
    node.dataset.dirty = "1";
    if (previous === document.activeElement) refocus = id;
  } else {
    if (kind === "checkbox") node.checked = !!value;
    else node.value = value == null ? "" : String(value);
    node.dataset.was = JSON.stringify(value === undefined ? null : value);
  }
  if (kind === "checkbox") {
    node.addEventListener("change", () => onsave(node.checked, JSON.parse(node.dataset.was)));
    return node;
  }
  const commit = () => {
    if (rendering || !node.dataset.dirty) return;
    delete node.dataset.dirty;
    onsave(node.value, JSON.parse(node.dataset.was));
  };
  node.addEventListener("input", () => { node.dataset.dirty = "1"; });
  node.addEventListener("blur", commit);
  node.addEventListener("keydown", (e) => { if (e.key === "Enter") commit(); });
  return node;
}

function select(id, entries, value, onchange, blank) {
  const node = el("select", { id });
  if (blank !== undefined) node.append(option("", blank, value == null || value === ""));
  for (const [v, label] of entries) node.append(option(v, label, v === value));
  if (onchange) node.addEventListener("change", () => onchange(node.value));
  return node;
}

function button(text, onclick) {
  return el("button", { type: "button", className: "full", text, onclick });
}

function value(id) { return $(id).value; }

function ids(list) { return list.map((x) => [x.id, x.name ? `${x.name} (${x.id})` : x.id]); }

function renderForms() {
  rendering = true;
  refocus = null;
  try {
    drawForms();
  } finally {
    rendering = false;
  }
  if (refocus) $(refocus).focus();
}

function drawForms() {
  const m = state.map;
  const byId = (list, id) => list.find((x) => x.id === id) || list[0];
  const tp = byId(m.touchpoints, picked.touchpoint);
  const fn = byId(m.functions, picked.function);
  const dept = byId(m.departments, picked.department);
  const stages = m.stages.map((s) => [s.id, s.name]);
  const set = (kind, target, name) => (v, was) => edit(kind, [target], { field: name, value: v, was });

  const tpForm = [];
  if (tp) {
    tpForm.push(...field("Touchpoint", select("tp-pick", ids(m.touchpoints), tp.id,
      (v) => { picked.touchpoint = v; renderForms(); })));
    tpForm.push(...field("Name", input("tp-name", tp.name, "text", set("touchpoint-set", tp.id, "name"))));
    const stage = select("tp-stage", stages, tp.stage,
      (v) => edit("touchpoint-set", [tp.id], { field: "stage", value: v, was: tp.stage }));
    tpForm.push(...field("Stage", stage));
    for (const [name, label, kind] of [["channel", "Channel", "text"], ["entry", "Entry", "checkbox"],
      ["exit", "Exit", "checkbox"], ["volume", "Volume / month", "text"],
      ["handle_minutes", "Handle minutes", "text"]]) {
      tpForm.push(...field(label, input(`tp-${name}`, tp[name], kind, set("touchpoint-set", tp.id, name))));
    }
    const next = el("ul", { className: "full", id: "tp-next" }, ...tp.next.map((to) => el("li", {},
      `→ ${to} `, el("button", { type: "button", text: "remove",
        onclick: () => edit("transition-remove", [tp.id, to], { was: true }) }))));
    tpForm.push(el("span", { className: "full", text: "Next" }), next);
    tpForm.push(...field("Add next", select("tp-next-add", ids(m.touchpoints), null, null, "")));
    tpForm.push(button("Add transition", () => value("tp-next-add") &&
      edit("transition-add", [tp.id, value("tp-next-add")], { was: false })));
    tpForm.push(button("Remove touchpoint (with its transitions and references)",
      () => edit("touchpoint-delete", [tp.id], { was: true })));
  }
  tpForm.push(el("span", { className: "full", text: "New touchpoint" }));
  tpForm.push(...field("Id", el("input", { id: "tp-new-id" })));
  tpForm.push(...field("Name", el("input", { id: "tp-new-name" })));
  tpForm.push(...field("Stage", select("tp-new-stage", stages, m.stages[0].id)));
  tpForm.push(button("Add touchpoint", () => {
    picked.touchpoint = value("tp-new-id");
    edit("touchpoint-add", [value("tp-new-id")], { value: { name: value("tp-new-name"), stage: value("tp-new-stage") } });
  }));
  $("touchpoint-form").replaceChildren(...tpForm);

  const departments = m.departments.map((d) => [d.id, d.name || d.id]);
  const fnForm = [];
  if (fn) {
    fnForm.push(...field("Function", select("fn-pick", ids(m.functions), fn.id,
      (v) => { picked.function = v; renderForms(); })));
    fnForm.push(...field("Name", input("fn-name", fn.name, "text", set("function-set", fn.id, "name"))));
    fnForm.push(...field("Department", select("fn-department", departments, fn.department,
      (v) => edit("function-set", [fn.id], { field: "department", value: v, was: fn.department }), "(none)")));
    fnForm.push(...field("FTE", input("fn-fte", fn.fte, "text", set("function-set", fn.id, "fte"))));
    fnForm.push(button("Remove function (with its roles and handoffs)",
      () => edit("function-delete", [fn.id], { was: true })));
  }
  fnForm.push(el("span", { className: "full", text: "New function" }));
  fnForm.push(...field("Id", el("input", { id: "fn-new-id" })));
  fnForm.push(...field("Name", el("input", { id: "fn-new-name" })));
  fnForm.push(...field("Department", select("fn-new-department", departments, null, null, "(none)")));
  fnForm.push(button("Add function", () => edit("function-add", [value("fn-new-id")],
    { value: { name: value("fn-new-name"), department: value("fn-new-department") } })));
  $("function-form").replaceChildren(...fnForm);

  const deptForm = [];
  if (dept) {
    deptForm.push(...field("Department", select("dept-pick", departments, dept.id,
      (v) => { picked.department = v; renderForms(); })));
    deptForm.push(...field("Name", input("dept-name", dept.name, "text", set("department-set", dept.id, "name"))));
    deptForm.push(...field("External", input("dept-external", dept.external, "checkbox",
      set("department-set", dept.id, "external"))));
  }
  deptForm.push(el("span", { className: "full", text: "New department" }));
  deptForm.push(...field("Id", el("input", { id: "dept-new-id" })));
  deptForm.push(...field("Name", el("input", { id: "dept-new-name" })));
  deptForm.push(button("Add department", () => edit("department-add", [value("dept-new-id")],
    { value: { name: value("dept-new-name") } })));
  $("department-form").replaceChildren(...deptForm);

  const functions = ids(m.functions);
  $("handoff-form").replaceChildren(
    ...field("From", select("ho-from", functions, null)),
    ...field("To", select("ho-to", functions, null)),
    ...field("SLA", el("input", { id: "ho-sla", placeholder: "4h, 2d, 1w" })),
    ...field("Artefact", el("input", { id: "ho-artefact" })),
    ...field("System", el("input", { id: "ho-system" })),
    ...field("At", el("input", { id: "ho-at", placeholder: "from-touchpoint > to-touchpoint; …" })),
    button("Declare handoff", () => edit("handoff-add", [value("ho-from"), value("ho-to")], {
      value: {
        sla: value("ho-sla"), artefact: value("ho-artefact"), system: value("ho-system"),
        at: value("ho-at").split(";").map((p) => p.split(">").map((s) => s.trim()))
          .filter((p) => p.length === 2 && p[0] && p[1]),
      },
    })),
  );
  renderExperience();
  renderOpportunities();
}

function renderOpportunities() {
  const m = state.map;
  const op = m.opportunities.find((o) => o.id === picked.opportunity) || m.opportunities[0];
  const parts = [];
  if (op) {
    const set = (name) => (v, was) => edit("opportunity-set", [op.id], { field: name, value: v, was });
    parts.push(...field("Opportunity", select("op-pick", ids(m.opportunities), op.id,
      (v) => { picked.opportunity = v; renderForms(); })));
    parts.push(...field("Name", input("op-name", op.name, "text", set("name"))));
    parts.push(...field("Owner", select("op-owner", ids(m.functions), op.owner,
      (v) => set("owner")(v, op.owner), "(none)")));
    parts.push(...field("Status", select("op-status", STATUSES.map((x) => [x, x]), op.status,
      (v) => set("status")(v, op.status))));
    const improves = select("op-touchpoints", ids(m.touchpoints), null);
    improves.multiple = true;
    improves.size = 5;
    for (const o of improves.options) o.selected = op.touchpoints.includes(o.value);
    improves.addEventListener("change", () => set("touchpoints")(
      [...improves.selectedOptions].map((o) => o.value), op.touchpoints.length ? op.touchpoints : null));
    parts.push(...field("Improves", improves));
  }
  parts.push(el("span", { className: "full", text: "New opportunity" }));
  parts.push(...field("Id", el("input", { id: "op-new-id" })));
  parts.push(...field("Name", el("input", { id: "op-new-name" })));
  parts.push(button("Add opportunity", () => {
    picked.opportunity = value("op-new-id");
    edit("opportunity-add", [value("op-new-id")], { value: { name: value("op-new-name") } });
  }));
  $("opportunity-form").replaceChildren(...parts);
}

function renderExperience() {
  const m = state.map;
  if (!m.touchpoints.length) { $("experience-form").replaceChildren(); return; }
  const tp = m.touchpoints.find((t) => t.id === picked.experience) || m.touchpoints[0];
  const persona = $("ex-persona") ? $("ex-persona").value : "";
  const entry = tp.experience.find((e) => e.persona === persona) || {};
  const target = [tp.id, persona];
  const save = (name) => (v, was) => edit("experience-set", target, { field: name, value: v, was });
  const emotions = [["-2", "-2 very bad"], ["-1", "-1"], ["0", "0 neutral"], ["1", "+1"], ["2", "+2 delighted"]];
  const emotion = select("ex-emotion", emotions, entry.emotion == null ? "" : String(entry.emotion),
    (v) => edit("experience-set", target, { field: "emotion", value: v, was: entry.emotion ?? null }), "(none)");
  const area = (id, list, name) => {
    const node = el("textarea", { id, rows: 3 });
    node.value = (list || []).join("\n");
    node.addEventListener("change", () => save(name)(node.value, list && list.length ? list : null));
    return node;
  };
  $("experience-form").replaceChildren(
    ...field("Touchpoint", select("ex-touchpoint", ids(m.touchpoints), tp.id,
      (v) => { picked.experience = v; renderExperience(); })),
    ...field("Persona", select("ex-persona", ids(m.personas), persona, () => renderExperience(), "every customer")),
    ...field("Emotion", emotion),
    ...field("Pain points", area("ex-pain", entry.pain_points, "pain_points")),
    ...field("Quotes", area("ex-quotes", entry.quotes, "quotes")),
  );
}

document.addEventListener("DOMContentLoaded", () => {
  $("undo").addEventListener("click", () => post("undo", {}));
  loadMaps();
});
