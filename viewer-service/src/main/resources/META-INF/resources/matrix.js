// The run matrix: prompts x lanes, one server-side page of prompts at a time; filters live in the URL.
"use strict";
const q = params();
const runId = q.get("run");

function cellOf(cell, runId) {
  if (!cell) return el("td", { class: "cell none", text: "—" });
  const tokens = [
    cell.inputTokens !== null ? "in " + num(cell.inputTokens) : null,
    cell.cachedInputTokens ? "cached " + num(cell.cachedInputTokens) : null,
    cell.outputTokens !== null ? "out " + num(cell.outputTokens) : null,
    cell.reasoningTokens ? "reasoning " + num(cell.reasoningTokens) : null,
  ].filter(Boolean).join(" · ");
  const href = "prompt.html?run=" + encodeURIComponent(runId) + "&prompt=" + encodeURIComponent(cell.promptId);
  return el("td", { class: "cell", "data-lane": cell.laneId, title: "Open " + cell.promptId + " side by side",
      onclick: () => { location.href = href; } },
    el("div", { class: "line" }, badge(cell.status), el("span", { text: usd(cell.costUsd) })),
    el("div", { class: "line" },
      el("span", { text: cell.outputLength !== null ? num(cell.outputLength) + " chars" : (cell.errorKind || "") }),
      el("span", { class: "tok", text: [cell.cacheHit ? "cache hit" : null, cell.finishReason].filter(Boolean).join(" · ") })),
    tokens ? el("div", { class: "tok", text: tokens }) : null);
}

function pager(page) {
  const link = (p, label) => {
    const u = params();
    u.set("page", p);
    return el("a", { class: "button secondary", href: "run.html?" + u.toString(), text: label });
  };
  return [
    page.page > 1 ? link(page.page - 1, "← Previous") : null,
    el("span", { class: "muted small", text: "Page " + page.page + " of " + page.totalPages + " · " + num(page.totalPrompts) + " prompts" }),
    page.page < page.totalPages ? link(page.page + 1, "Next →") : null,
  ].filter(Boolean);
}

function render(page) {
  const head = el("tr", {}, el("th", { class: "prompt", text: "Prompt" }),
    page.lanes.map((l) => el("th", { class: "lanehead", title: l.parameters || "" },
      el("span", { class: "slug", text: l.laneId }),
      el("span", { class: "sub", text: [l.provider, l.model].filter(Boolean).join(" · ") }),
      el("span", { class: "sub", text: num(l.completed) + "/" + num(l.generations) + " done" + (l.errors ? " · " + l.errors + " errors" : "") }),
      el("span", { class: "sub", text: (l.meanLength !== null ? "mean " + num(Math.round(l.meanLength)) + " chars · " : "") + usd(l.costUsd) }))));
  const rows = page.rows.map((row) => {
    const byLane = new Map(row.cells.map((c) => [c.laneId, c]));
    const href = "prompt.html?run=" + encodeURIComponent(page.runId) + "&prompt=" + encodeURIComponent(row.promptId);
    return el("tr", { "data-prompt": row.promptId },
      el("th", { class: "prompt" }, el("a", { href, class: "title", text: row.title || row.promptId }),
        el("span", { class: "muted small mono", text: row.promptId })),
      page.lanes.map((l) => cellOf(byLane.get(l.laneId), page.runId)));
  });
  const table = document.getElementById("matrix");
  table.replaceChildren(el("thead", {}, head),
    el("tbody", {}, rows.length ? rows : el("tr", {}, el("td", { class: "empty", colspan: page.lanes.length + 1, text: "No prompt matches these filters." }))));
  document.getElementById("pager-top").replaceChildren(...pager(page));
  document.getElementById("pager-bottom").replaceChildren(...pager(page));
}

async function load() {
  if (!runId) { location.href = "index.html"; return; }
  document.getElementById("crumb").textContent = runId;
  document.getElementById("title").textContent = runId;
  document.title = runId + " · Apex Audition";
  document.getElementById("f-run").value = runId;
  document.getElementById("f-q").value = q.get("q") || "";
  document.getElementById("f-status").value = q.get("status") || "";
  document.getElementById("f-size").value = q.get("size") || "20";
  document.getElementById("f-clear").href = "run.html?run=" + encodeURIComponent(runId);
  document.getElementById("csv").href = "api/runs/" + encodeURIComponent(runId) + "/generations.csv";
  try {
    const [run, all] = await Promise.all([
      getJson("api/runs/" + encodeURIComponent(runId)),
      getJson("api/runs/" + encodeURIComponent(runId) + "/matrix?size=1"),
    ]);
    document.getElementById("summary").textContent = [run.status, run.createdBy ? "by " + run.createdBy : null,
      run.notes, num(run.generations) + " generations", usd(run.costUsd)].filter(Boolean).join(" · ");
    const laneSelect = document.getElementById("f-lane");
    laneSelect.replaceChildren(el("option", { value: "", text: "all lanes" }),
      ...all.lanes.map((l) => el("option", { value: l.laneId, text: l.laneId })));
    laneSelect.value = q.get("lane") || "";
    const api = new URLSearchParams(q);
    api.delete("run");
    render(await getJson("api/runs/" + encodeURIComponent(runId) + "/matrix?" + api.toString()));
  } catch (e) {
    fail(document.getElementById("matrix"), e);
  }
}
// empty fields would clutter the shared URL: leave them out
document.getElementById("filters").addEventListener("submit", (ev) => {
  for (const f of ev.target.elements) if (f.name && !f.value) f.disabled = true;
});
load();
