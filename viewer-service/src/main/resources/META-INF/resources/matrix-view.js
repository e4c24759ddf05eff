// Rendering shared by the run page, the compare page and the static HTML bundle: a lane's column header, a matrix
// cell's figures and an output card. Builds DOM from text only (el), never HTML from data.
"use strict";

// "2,158 ± 312 chars": a lane's mean output length and its spread (standard deviation)
function lengthText(mean, spread) {
  if (mean === null || mean === undefined) return "no output yet";
  return "mean " + num(Math.round(mean)) + (spread !== null && spread !== undefined ? " ± " + num(Math.round(spread)) : "") + " chars";
}

function laneHead(l) {
  return el("th", { class: "lanehead", title: l.parameters || "", "data-lane": l.laneId },
    el("span", { class: "slug", text: l.laneId }),
    el("span", { class: "sub", text: [l.provider, l.model].filter(Boolean).join(" · ") }),
    el("span", { class: "sub", text: num(l.completed) + "/" + num(l.generations) + " done (" + pct(l.coverage) + ")" + (l.errors ? " · " + plural(l.errors, "error") : "") }),
    el("span", { class: "sub", text: lengthText(l.meanLength, l.lengthStdDev) }),
    el("span", { class: "sub", text: usd(l.costUsd) }));
}

function tokensText(cell) {
  return [
    cell.inputTokens !== null && cell.inputTokens !== undefined ? "in " + num(cell.inputTokens) : null,
    cell.cachedInputTokens ? "cached " + num(cell.cachedInputTokens) : null,
    cell.outputTokens !== null && cell.outputTokens !== undefined ? "out " + num(cell.outputTokens) : null,
    cell.reasoningTokens ? "reasoning " + num(cell.reasoningTokens) : null,
  ].filter(Boolean).join(" · ");
}

// A cell's figures: status and cost, length (or the error's kind), cache hit and finish reason, tokens
function cellFigures(cell) {
  const tokens = tokensText(cell);
  return [
    el("div", { class: "line" }, badge(cell.status), el("span", { text: usd(cell.costUsd) })),
    el("div", { class: "line" },
      el("span", { text: cell.outputLength !== null && cell.outputLength !== undefined ? num(cell.outputLength) + " chars" : (cell.errorKind || "") }),
      el("span", { class: "tok", text: [cell.cacheHit ? "cache hit" : null, cell.finishReason].filter(Boolean).join(" · ") })),
    tokens ? el("div", { class: "tok", text: tokens }) : null,
  ];
}

// An output as a card: a heading (the lane, or a run's id when two runs are compared), its figures, the full text
// or the provider's error message.
function outputCard(o, heading) {
  const length = o.outputText ? num(o.outputText.length) + " chars" : null;
  const figures = [o.model, length, tokensText(o), o.cacheHit ? "cache hit" : null, o.finishReason,
    o.costUsd !== null && o.costUsd !== undefined ? usd(o.costUsd) : null].filter(Boolean).join(" · ");
  const body = o.status === "error"
    ? el("div", { class: "body error", text: (o.errorKind || "error") + ": " + (o.errorMessage || "") })
    : el("div", { class: "body", text: o.outputText || "(no output yet: " + o.status + ")" });
  return el("article", { class: "output", "data-lane": o.laneId || "" },
    el("header", {},
      el("div", { class: "name" }, el("span", { class: "label", text: heading || o.laneId }), badge(o.status)),
      el("div", { class: "stats", text: figures })),
    body);
}
