// The run page: the run's summary, its matrix (prompts x lanes, one server-side page of prompts at a time), filters
// and sort orders that live in the URL, a cell's full output in a panel, and a live refresh while the run runs.
"use strict";
const q = params();
const runId = q.get("run");
const runApi = "api/runs/" + encodeURIComponent(runId);
const REFRESH_MS = 5000;
const STATUS_ORDER = ["completed", "error", "dry_run", "submitted", "requested"];
let timer = null;

const promptHref = (promptId) => "prompt.html?run=" + encodeURIComponent(runId) + "&prompt=" + encodeURIComponent(promptId);

function cellOf(cell) {
  if (!cell) return el("td", { class: "cell none", text: "—" });
  // a link, so the cell can be reached by keyboard and opened in a new tab; a plain click opens the panel
  const link = el("a", { class: "cell-link", href: promptHref(cell.promptId), title: "Open this output",
    onclick: (ev) => { if (!ev.ctrlKey && !ev.metaKey && !ev.shiftKey) { ev.preventDefault(); openCell(cell); } } },
    cellFigures(cell));
  return el("td", { class: "cell", "data-lane": cell.laneId, "data-status": cell.status }, link);
}

// A cell's full output in a panel over the matrix, so the reader keeps their place in it.
async function openCell(cell) {
  const panel = document.getElementById("panel");
  const body = document.getElementById("panel-body");
  document.getElementById("panel-title").textContent = cell.promptId + " · " + cell.laneId + (cell.replicate > 1 ? " · replicate " + cell.replicate : "");
  document.getElementById("panel-prompt").href = promptHref(cell.promptId);
  body.replaceChildren(el("p", { class: "empty", text: "Loading…" }));
  if (!panel.open) panel.showModal();
  try {
    const o = await getJson(runApi + "/prompts/" + encodeURIComponent(cell.promptId) + "/lanes/" + encodeURIComponent(cell.laneId)
      + (cell.replicate ? "?replicate=" + cell.replicate : ""));
    // the exact body sent for it (stored once per distinct body, joined back by its hash), folded away
    body.replaceChildren(outputCard(o), o.parameters ? el("div", { class: "params", text: o.parameters }) : "",
      o.requestBody ? el("details", { class: "request-body" }, el("summary", { text: "Request body as sent" }),
        el("pre", { class: "params", text: o.requestBody })) : "");
  } catch (e) {
    fail(body, e);
  }
}
document.getElementById("panel-close").addEventListener("click", () => document.getElementById("panel").close());
document.getElementById("panel").addEventListener("click", (ev) => { if (ev.target.id === "panel") ev.target.close(); });

const pager = (page) => pagerLinks("run.html", page.page, page.totalPages, plural(page.totalPrompts, "prompt"));

function render(page) {
  const head = el("tr", {}, el("th", { class: "prompt", text: "Prompt" }), page.lanes.map(laneHead));
  const rows = page.rows.map((row) => {
    const byLane = new Map(row.cells.map((c) => [c.laneId, c]));
    return el("tr", { "data-prompt": row.promptId },
      el("th", { class: "prompt" }, el("a", { href: promptHref(row.promptId), class: "title", text: row.title || row.promptId }),
        el("span", { class: "muted small mono", text: row.promptId })),
      page.lanes.map((l) => cellOf(byLane.get(l.laneId))));
  });
  const table = document.getElementById("matrix");
  table.replaceChildren(el("thead", {}, head),
    el("tbody", {}, rows.length ? rows : el("tr", {}, el("td", { class: "empty", colspan: page.lanes.length + 1, text: "No prompt matches these filters." }))));
  document.getElementById("pager-top").replaceChildren(...pager(page));
  document.getElementById("pager-bottom").replaceChildren(...pager(page));
}

function renderSummary(run) {
  const counts = STATUS_ORDER.filter((s) => run.counts[s]).map((s) => num(run.counts[s]) + " " + s.replace("_", " ")).join(" · ");
  document.getElementById("summary").replaceChildren(
    el("div", {}, badge(run.status), " ", el("span", { class: "muted", text: [run.mode, run.dryRun ? "dry run" : null].filter(Boolean).join(" · ") })),
    el("div", { class: "notes", text: run.notes || "" }),
    el("div", { class: "small muted" }, "by ", run.createdBy || "unknown"),
    el("div", { class: "figures" },
      el("div", {}, el("b", { text: num(run.generations) }), " of ", num(run.expectedGenerations ?? run.generations), " generations · ", el("b", { text: usd(run.costUsd) })),
      el("div", { class: "small", text: counts || "nothing recorded yet" }),
      el("div", { class: "small" }, "started ", when(run.acceptedAt), " · ",
        run.completedAt ? "ended " + when(run.completedAt) : run.rejectedAt ? "rejected: " + (run.reason || "")
          : run.status === "accepted" ? "still running" : "end not recorded")));
  const errors = run.counts.error || 0;
  document.getElementById("errors-link").textContent = errors ? "Errors (" + num(errors) + ")" : "Errors (none)";
}

// What the view is narrowed to and how it is ordered, in words: the folded filters' summary.
function activeText(page) {
  const f = page.filter;
  return [f.lanes.length ? "lane " + f.lanes.join(" + ") : null, f.models.length ? "model " + f.models.join(" + ") : null,
    f.providers.length ? "provider " + f.providers.join(" + ") : null, f.statuses.length ? "status " + f.statuses.join(" + ") : null,
    f.errorsOnly ? "errors only" : null, f.text ? "text “" + f.text + "”" : null,
    page.sort !== "id" ? "prompts by " + page.sort : null, page.laneSort !== "id" ? "lanes by " + page.laneSort : null]
    .filter(Boolean).join(" · ");
}

function fillForm(page) {
  const active = activeText(page);
  document.getElementById("filters-active").textContent = active ? " · " + active : "";
  document.getElementById("filters-box").open = !matchMedia("(max-width: 700px)").matches;
  fillSelect("f-lane", "all lanes", page.options.lanes, listParam("lane"));
  fillSelect("f-model", "all models", page.options.models, listParam("model"));
  fillSelect("f-provider", "all providers", page.options.providers, listParam("provider"));
  fillSelect("f-status", "any status", page.options.statuses, listParam("status"));
  document.getElementById("f-sort").value = page.sort;
  document.getElementById("f-lanesort").value = page.laneSort;
  const size = document.getElementById("f-size");
  if (![...size.options].some((o) => o.value === String(page.size))) size.append(el("option", { value: page.size, text: page.size }));
  size.value = String(page.size);
}

// The matrix and the summary again, in place: the reader keeps their scroll position in the page and the table.
async function refresh(first) {
  const scroller = document.getElementById("scroll");
  const x = scroller.scrollLeft, y = window.scrollY;
  const api = new URLSearchParams(q);
  api.delete("run");
  const [run, page] = await Promise.all([getJson(runApi), getJson(runApi + "/matrix?" + api.toString())]);
  renderSummary(run);
  render(page);
  if (first) fillForm(page);
  scroller.scrollLeft = x;
  window.scrollTo(window.scrollX, y);
  const running = run.status === "accepted";
  document.getElementById("live").textContent = running
    ? "This run is in progress: the page refreshes every " + REFRESH_MS / 1000 + " seconds (last at " + new Date().toLocaleTimeString() + ")." : "";
  clearTimeout(timer);
  if (running) timer = setTimeout(() => refresh(false).catch(() => { timer = setTimeout(() => refresh(false), REFRESH_MS); }), REFRESH_MS);
}

async function load() {
  if (!runId) { location.href = "index.html"; return; }
  document.getElementById("crumb").textContent = runId;
  document.getElementById("title").textContent = runId;
  document.title = runId + " · Apex Audition";
  document.getElementById("f-run").value = runId;
  document.getElementById("f-q").value = q.get("q") || "";
  document.getElementById("f-errors").checked = q.get("errors") === "true";
  document.getElementById("f-clear").href = "run.html?run=" + encodeURIComponent(runId);
  document.getElementById("errors-link").href = "errors.html?run=" + encodeURIComponent(runId);
  document.getElementById("compare-link").href = "compare.html?a=" + encodeURIComponent(runId);
  document.getElementById("leaderboard-link").href = "leaderboard.html?run=" + encodeURIComponent(runId);
  document.getElementById("csv").href = runApi + "/generations.csv";
  document.getElementById("jsonl").href = runApi + "/generations.jsonl";
  document.getElementById("bundle").href = runApi + "/bundle.html";
  try {
    await refresh(true);
  } catch (e) {
    fail(document.getElementById("matrix"), e);
  }
}
cleanSubmit("filters", { sort: "id", lanesort: "id" });
load();
