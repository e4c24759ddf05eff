// Two runs compared: for each lane both ran, each run's coverage, mean length, errors and cost and the difference
// (B minus A); then one prompt's outputs of both runs side by side, lane by lane. Runs and prompt live in the URL.
"use strict";
const q = params();
const a = q.get("a");
const b = q.get("b");
const promptId = q.get("prompt");

// B minus A, signed; "up" and "down" colour it (neither says better or worse: a longer output may be either)
function delta(value, format) {
  if (value === null || value === undefined) return el("td", { class: "num diff", text: "–" });
  const n = Number(value);
  const text = n === 0 ? "0" : (n > 0 ? "+" : "−") + format(Math.abs(n));
  return el("td", { class: "num diff " + (n > 0 ? "up" : n < 0 ? "down" : ""), text });
}

const chars = (n) => (n === null || n === undefined ? "–" : num(Math.round(n)));
const points = (share) => Math.round(share * 100) + " pts";

function laneRow(l) {
  const cells = (f, format, diff, diffFormat) => [el("td", { class: "num", text: format(f(l.a)) }),
    el("td", { class: "num", text: format(f(l.b)) }), delta(diff, diffFormat)];
  return el("tr", { "data-lane": l.laneId },
    el("th", { class: "lane mono", text: l.laneId }),
    cells((s) => s.coverage, pct, l.difference.coverage, points),
    cells((s) => s.meanLength, chars, l.difference.meanLength, chars),
    cells((s) => s.errors, num, l.difference.errors, num),
    cells((s) => s.costUsd, usd, l.difference.costUsd, usd));
}

function renderLanes(c) {
  const runHead = (r, side) => el("div", { class: "side" }, el("span", { class: "tag", text: side }),
    el("a", { class: "id", href: "run.html?run=" + encodeURIComponent(r.id), text: r.id }), " ", badge(r.status),
    el("div", { class: "notes", text: r.notes || "" }),
    el("div", { class: "small muted", text: "by " + (r.createdBy || "unknown") + " · " + num(r.generations) + " generations · " + usd(r.costUsd) + " · started " + when(r.acceptedAt) }));
  document.getElementById("runs-head").replaceChildren(runHead(c.a, "A"), runHead(c.b, "B"));
  const group = (label) => el("th", { colspan: 3, class: "group", text: label });
  const sub = () => ["A", "B", "B − A"].map((t) => el("th", { class: "num", text: t }));
  document.getElementById("lanes").replaceChildren(
    el("thead", {},
      el("tr", {}, el("th", { rowspan: 2, class: "lane", text: "Lane (in both runs)" }), group("Coverage"), group("Mean length (chars)"), group("Errors"), group("Cost")),
      el("tr", {}, sub(), sub(), sub(), sub())),
    el("tbody", {}, c.lanes.length ? c.lanes.map(laneRow)
      : el("tr", {}, el("td", { colspan: 13, class: "empty", text: "These runs have no lane in common." }))));
  document.getElementById("lanes-box").hidden = false;
  const only = [c.onlyInA.length ? "Only in A: " + c.onlyInA.join(", ") : null, c.onlyInB.length ? "Only in B: " + c.onlyInB.join(", ") : null];
  document.getElementById("only").textContent = only.filter(Boolean).join(" · ");
}

function renderPrompt(p) {
  const box = document.getElementById("prompt");
  const pairs = p.lanes.map((pair) => el("section", { class: "pair", "data-lane": pair.laneId },
    el("h3", { class: "mono", text: pair.laneId + (pair.replicate > 1 ? " · replicate " + pair.replicate : "") }),
    el("div", { class: "pair-outputs" },
      pair.a ? outputCard(pair.a, "A · " + p.a) : el("p", { class: "empty", text: "A has no output for this lane." }),
      pair.b ? outputCard(pair.b, "B · " + p.b) : el("p", { class: "empty", text: "B has no output for this lane." }))));
  box.replaceChildren(
    el("div", { class: "prompt-head" }, el("div", { class: "muted small", text: p.promptId }),
      el("h2", { text: p.title || p.promptId }), el("p", { class: "text", text: p.text || "" })),
    ...(pairs.length ? pairs : [el("p", { class: "empty", text: "Neither run has this prompt in a lane they share." })]));
}

async function load() {
  const box = document.getElementById("prompt");
  try {
    const runs = await getJson("api/runs");
    const ids = runs.map((r) => r.id);
    fillSelect("f-a", "choose a run", ids, a ? [a] : []);
    fillSelect("f-b", "choose a run", ids, b ? [b] : []);
    if (!a || !b) {
      box.replaceChildren(el("p", { class: "empty", text: "Choose two runs: their lanes in common are compared, and a prompt's outputs side by side." }));
      return;
    }
    const c = await getJson("api/compare?a=" + encodeURIComponent(a) + "&b=" + encodeURIComponent(b));
    renderLanes(c);
    fillSelect("f-prompt", "none", c.prompts.map((p) => p.promptId), promptId ? [promptId] : []);
    for (const o of document.getElementById("f-prompt").options) {
      const ref = c.prompts.find((p) => p.promptId === o.value);
      if (ref && ref.title) o.textContent = ref.promptId + " · " + ref.title;
    }
    if (promptId) {
      renderPrompt(await getJson("api/compare/prompts/" + encodeURIComponent(promptId) + "?a=" + encodeURIComponent(a) + "&b=" + encodeURIComponent(b)));
    } else {
      box.replaceChildren(el("p", { class: "muted", text: "Choose a prompt to read both runs' outputs side by side." }));
    }
  } catch (e) {
    fail(box, e);
  }
}
cleanSubmit("pick");
load();
