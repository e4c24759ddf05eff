// A prompt side by side: every lane's output in readable columns. Blind mode asks the API for outputs without lane
// names (shuffled with a per-prompt seed), so the names are not in the page at all until the reader reveals them.
"use strict";
const q = params();
const runId = q.get("run");
const promptId = q.get("prompt");
const api = "api/runs/" + encodeURIComponent(runId) + "/prompts/" + encodeURIComponent(promptId);

// Blind, a card shows only what the writing itself shows: cost and reasoning tokens would point at the model.
function stats(o) {
  if (!o.laneId) return [o.status, o.outputText ? num(o.outputText.length) + " chars" : null, o.finishReason]
    .filter(Boolean).join(" · ");
  return [o.status, o.outputText ? num(o.outputText.length) + " chars" : null,
    o.outputTokens !== null ? num(o.outputTokens) + " tokens out" : null,
    o.reasoningTokens ? num(o.reasoningTokens) + " reasoning" : null,
    o.cacheHit ? "cache hit" : null, o.finishReason, usd(o.costUsd)].filter(Boolean).join(" · ");
}

// shown: the lane's name heads the card; blind: its label only; revealed: the label, then the lane it was
function card(o, revealed) {
  const lane = o.laneId
    ? el("span", { class: "lane", title: o.parameters || "", text: o.laneId })
    : el("span", { class: "lane hidden", text: "hidden" });
  const name = o.laneId && !revealed
    ? el("div", { class: "name" }, el("span", { class: "label-lane", title: o.parameters || "" }, lane),
        el("span", { class: "muted small", text: o.provider || "" }))
    : el("div", { class: "name" }, el("span", { class: "label", text: o.label }), lane);
  const body = o.status === "error"
    ? el("div", { class: "body error", text: (o.errorKind || "error") + ": " + (o.errorMessage || "") })
    : el("div", { class: "body", text: o.outputText || "(no output yet: " + o.status + ")" });
  return el("article", { class: "output", "data-label": o.label },
    el("header", {}, name,
      el("div", { class: "stats", text: (o.model ? o.model + " · " : "") + stats(o) })),
    body,
    o.parameters ? el("div", { class: "params", text: o.parameters }) : null);
}

function renderPrompt(p) {
  document.getElementById("crumb-prompt").textContent = p.title || p.promptId;
  document.title = (p.title || p.promptId) + " · Apex Audition";
  document.getElementById("prompt").replaceChildren(
    el("div", { class: "muted small" }, p.promptId, p.promptVersion ? " v" + p.promptVersion : "", p.genre ? " · " + p.genre : ""),
    el("h1", { text: p.title || p.promptId }),
    el("p", { class: "text", text: p.text || "(prompt text not recorded)" }),
    p.sharedContext ? el("details", { class: "context" }, el("summary", { text: "Shared context (" + num(p.sharedContext.length) + " chars)" }),
      el("pre", { text: p.sharedContext })) : null);
}

async function load() {
  const blind = q.get("blind") === "true" || q.get("blind") === "1";
  document.getElementById("crumb-run").textContent = runId;
  document.getElementById("crumb-run").href = "run.html?run=" + encodeURIComponent(runId);
  document.getElementById("blind").checked = blind;
  const reveal = document.getElementById("reveal");
  reveal.hidden = !blind;
  document.getElementById("mode-note").textContent = blind
    ? "Lane names are hidden and the order is shuffled (the same order every time for this prompt)."
    : "";
  try {
    const p = await getJson(api + (blind ? "?blind=true" : ""));
    renderPrompt(p);
    document.getElementById("outputs").replaceChildren(...p.outputs.map((o) => card(o)));
    document.dispatchEvent(new CustomEvent("apex:prompt", { detail: p })); // verdict.js listens
  } catch (e) {
    fail(document.getElementById("outputs"), e);
  }
}

document.getElementById("blind").addEventListener("change", (ev) => {
  const u = params();
  if (ev.target.checked) u.set("blind", "true"); else u.delete("blind");
  location.search = u.toString();
});

// Reveal keeps the blind order and labels, and adds each label's lane: a reader sees which text was which.
document.getElementById("reveal").addEventListener("click", async () => {
  try {
    const shown = await getJson(api);
    const byLabel = new Map(shown.outputs.map((o) => [o.label, o]));
    for (const node of document.querySelectorAll("#outputs .output")) {
      const o = byLabel.get(node.dataset.label);
      if (o) node.replaceWith(card(o, true));
    }
    document.getElementById("reveal").hidden = true;
    document.getElementById("mode-note").textContent = "Revealed: the blind order, with each lane named.";
  } catch (e) {
    document.getElementById("mode-note").textContent = "Could not reveal: " + e.message;
  }
});
load();
