// The static bundle of one run: everything is in the page (the run, its lanes and prompts, every generation as
// embedded JSON), so it works from a file:// URL. Two views, chosen by the URL's fragment (#page=N, #prompt=ID):
// the matrix, paged here in the page, and one prompt's outputs side by side.
"use strict";
const PAGE_SIZE = 50;
const DATA = JSON.parse(document.getElementById("apex-run").textContent);
const GENERATIONS = JSON.parse(document.getElementById("apex-generations").textContent);
const RUN = DATA.run;
const PROMPTS = new Map(DATA.prompts.map((p) => [p.id, p]));
const BY_PROMPT = new Map();
for (const g of GENERATIONS) {
  if (!BY_PROMPT.has(g.prompt_id)) BY_PROMPT.set(g.prompt_id, []);
  BY_PROMPT.get(g.prompt_id).push(g);
}
const PROMPT_IDS = [...BY_PROMPT.keys()].sort();

// a generation row (the export's columns) as the shared views read a cell and an output
function cellOf(g) {
  return { promptId: g.prompt_id, laneId: g.lane_id, replicate: g.replicate, status: g.status,
    outputLength: g.output_text === null ? null : g.output_text.length, inputTokens: g.input_tokens,
    cachedInputTokens: g.cached_input_tokens, outputTokens: g.output_tokens, reasoningTokens: g.reasoning_tokens,
    costUsd: g.cost_usd, cacheHit: g.cache_hit, finishReason: g.finish_reason, errorKind: g.error_kind,
    model: g.model, outputText: g.output_text, errorMessage: g.error_message };
}

function hashParams() { return new URLSearchParams(location.hash.slice(1)); }

function header() {
  const run = RUN;
  const counts = Object.entries(run.counts).map(([k, v]) => num(v) + " " + k.replace("_", " ")).join(" · ");
  return el("section", { class: "run-head" },
    el("div", {}, badge(run.status), " ", el("span", { class: "muted", text: [run.mode, run.dryRun ? "dry run" : null].filter(Boolean).join(" · ") })),
    el("div", { class: "notes", text: run.notes || "" }),
    el("div", { class: "small muted" }, "by ", run.createdBy || "unknown"),
    el("div", { class: "figures" },
      el("div", {}, el("b", { text: num(run.generations) }), " generations · ", el("b", { text: usd(run.costUsd) }), " · ", counts),
      el("div", { class: "small" }, "started ", when(run.acceptedAt), " · ", run.completedAt ? "ended " + when(run.completedAt) : run.status === "accepted" ? "not finished when exported" : "end not recorded"),
      el("div", { class: "small" }, "exported ", when(DATA.exportedAt), " from the viewer: a snapshot")));
}

function matrixView(page) {
  const pages = Math.max(1, Math.ceil(PROMPT_IDS.length / PAGE_SIZE));
  const current = Math.min(Math.max(1, page), pages);
  const ids = PROMPT_IDS.slice((current - 1) * PAGE_SIZE, current * PAGE_SIZE);
  const pager = () => el("div", { class: "pager" },
    current > 1 ? el("a", { class: "button secondary", href: "#page=" + (current - 1), text: "← Previous" }) : null,
    el("span", { class: "muted small", text: "Page " + current + " of " + pages + " · " + plural(PROMPT_IDS.length, "prompt") }),
    current < pages ? el("a", { class: "button secondary", href: "#page=" + (current + 1), text: "Next →" }) : null);
  const rows = ids.map((id) => {
    const byLane = new Map(BY_PROMPT.get(id).map((g) => [g.lane_id, g]));
    const prompt = PROMPTS.get(id) || {};
    const href = "#prompt=" + encodeURIComponent(id);
    return el("tr", { "data-prompt": id },
      el("th", { class: "prompt" }, el("a", { href, class: "title", text: prompt.title || id }), el("span", { class: "muted small mono", text: id })),
      DATA.lanes.map((l) => {
        const g = byLane.get(l.laneId);
        return g ? el("td", { class: "cell", "data-lane": l.laneId, "data-status": g.status }, el("a", { class: "cell-link", href }, cellFigures(cellOf(g))))
          : el("td", { class: "cell none", text: "—" });
      }));
  });
  return [pager(),
    el("div", { class: "scroll" }, el("table", { class: "matrix" },
      el("thead", {}, el("tr", {}, el("th", { class: "prompt", text: "Prompt" }), DATA.lanes.map(laneHead))),
      el("tbody", {}, rows))),
    pager()];
}

function promptView(id) {
  const prompt = PROMPTS.get(id) || { id };
  const context = prompt.context !== undefined ? DATA.contexts[prompt.context] : null;
  const outputs = (BY_PROMPT.get(id) || []).map((g) => outputCard(cellOf(g), g.lane_id + (g.replicate > 1 ? " #" + g.replicate : "")));
  return [el("p", {}, el("a", { href: "#", text: "← The matrix" })),
    el("section", { class: "prompt-head" },
      el("div", { class: "muted small", text: id + (prompt.version ? " v" + prompt.version : "") + (prompt.genre ? " · " + prompt.genre : "") }),
      el("h1", { text: prompt.title || id }),
      el("p", { class: "text", text: prompt.text || "(prompt text not recorded)" }),
      context ? el("details", { class: "context" }, el("summary", { text: "Shared context (" + num(context.length) + " chars)" }), el("pre", { text: context })) : null),
    el("div", { class: "outputs", style: "margin-top:1rem" }, outputs.length ? outputs : el("p", { class: "empty", text: "No generation for this prompt." }))];
}

function show() {
  const h = hashParams();
  const promptId = h.get("prompt");
  document.getElementById("crumbs").replaceChildren(promptId ? el("a", { href: "#", text: RUN.id }) : RUN.id,
    promptId ? " › " + promptId : "");
  document.getElementById("app").replaceChildren(el("h1", { text: RUN.id }), header(),
    ...(promptId ? promptView(promptId) : matrixView(Number(h.get("page") || 1))));
  window.scrollTo(0, 0);
}
window.addEventListener("hashchange", show);
show();
