// A run's leaderboard: its lanes ranked, each rating's 95% interval drawn on one axis shared by every lane (so overlaps
// show), wins, ties and losses, rubric means, writing diagnostics and cost; the win-margin matrix; the judges' position
// bias and agreement, and what they mean for how far to trust the order. The pass read and whether readers' verdicts
// count are the URL's query string (judgingRun, human=false), as the API takes them.
"use strict";
const q = params();
const runId = q.get("run");
const MINUS = "−";

const signed = (n, d) => (n === null || n === undefined ? "–"
  : (n > 0 ? "+" : n < 0 ? MINUS : "") + Math.abs(Number(n)).toFixed(d || 0));
const fixed = (n, d) => (n === null || n === undefined ? "–" : Number(n).toFixed(d));
const share = (n) => (n === null || n === undefined ? "–" : (100 * n).toFixed(n > 0 && n < 0.1 ? 1 : 0) + "%");
const laneList = (lanes) => (lanes.length <= 3 ? lanes.join(", ")
  : lanes.slice(0, 3).join(", ") + " and " + plural(lanes.length - 3, "more"));

// ---- the measure each lane's bar draws: its rating, or on a rubric-only board its rubric overall mean

function measureOf(board) {
  if (board.rows.some((r) => r.rating)) {
    return { name: "rating", unit: "points", get: (r) => r.rating && { value: r.rating.rating, lower: r.rating.lower, upper: r.rating.upper },
      text: (v) => signed(v), zero: 0 };
  }
  return { name: "rubric mean", unit: "", get: (r) => r.overall && { value: r.overall.mean, lower: r.overall.lower, upper: r.overall.upper },
    text: (v) => fixed(v, 1), zero: null };
}

// One axis for every bar: from the lowest lower bound to the highest upper bound (and 0, the lanes' average, for
// ratings), a little wider, with round ticks inside it.
function axisOf(board, measure) {
  const values = [];
  for (const r of board.rows) {
    const m = measure.get(r);
    if (m) values.push(...[m.value, m.lower, m.upper].filter((v) => v !== null && v !== undefined && isFinite(v)));
  }
  if (measure.zero !== null) values.push(measure.zero);
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (!(hi > lo)) { lo -= 1; hi += 1; }
  const pad = (hi - lo) * 0.04;
  lo -= pad;
  hi += pad;
  const raw = (hi - lo) / 6;
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  const step = (m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10) * p;
  const ticks = [];
  for (let k = Math.ceil(lo / step); k * step <= hi; k++) ticks.push(k * step);
  return { lo, hi, ticks, at: (v) => ((v - lo) / (hi - lo)) * 100 };
}

function ticksOf(axis, measure, cls) {
  return axis.ticks.map((t) => el("span", { class: cls + (t === measure.zero ? " zero" : ""), style: "left:" + axis.at(t) + "%" }));
}

// A lane's interval as a bar on the shared axis: the range, its point estimate, the axis's grid, and a shade where the
// focused lane's interval lies (placed by the table's --shade-left and --shade-width).
function bar(m, axis, measure) {
  const parts = [...ticksOf(axis, measure, "ci-grid"), el("span", { class: "ci-shade" })];
  if (m && m.lower !== null && m.lower !== undefined) {
    parts.push(el("span", { class: "ci-range", style: "left:" + axis.at(m.lower) + "%;width:" + (axis.at(m.upper) - axis.at(m.lower)) + "%" }));
  }
  if (m) parts.push(el("span", { class: "ci-dot", style: "left:" + axis.at(m.value) + "%" }));
  const label = m ? measure.name + " " + measure.text(m.value) + (m.lower !== null && m.lower !== undefined
    ? ", 95% interval " + measure.text(m.lower) + " to " + measure.text(m.upper) : "") : "no " + measure.name;
  return el("div", { class: "ci-box" }, el("div", { class: "ci", role: "img", "aria-label": label, title: label }, parts),
    el("div", { class: "ci-scale" }, axis.ticks.map((t) => el("span", { style: "left:" + axis.at(t) + "%", text: measure.text(t) }))));
}

const overlaps = (a, b) => a && b && a.lower !== null && b.lower !== null && a.lower !== undefined && b.lower !== undefined
  && a.lower <= b.upper && b.lower <= a.upper;

// ---- the ranked lanes

function rankingTable(v, measure, axis) {
  const board = v.leaderboard;
  const rated = board.rows.some((r) => r.rating);
  const rubric = board.rows.some((r) => r.overall);
  const criteria = board.criteria;
  const groups = [el("th", { text: "" }),
    el("th", { colspan: rated ? 3 : 2, class: "group", text: rated ? "Rating (pairwise)" : "Rubric overall" }),
    rubric ? el("th", { colspan: (rated ? 1 : 0) + criteria.length, class: "group", text: "Rubric means (95% interval)" }) : null,
    el("th", { colspan: 4, class: "group", text: "Writing (measured, not judged)" }),
    el("th", { colspan: 2, class: "group", text: "Cost (generation)" })];
  const heads = [el("th", { class: "lane" }, el("span", { class: "rk", text: "#" }), "Lane"),
    el("th", { class: "num", text: rated ? "Rating" : "Mean" }),
    el("th", { class: "axis-head" }, el("span", { class: "sr", text: "95% interval" }),
      el("div", { class: "ci-axis" }, axis.ticks.map((t) => el("span", { class: t === measure.zero ? "zero" : null, style: "left:" + axis.at(t) + "%", text: measure.text(t) })))),
    rated ? el("th", { class: "num", title: "judgments won, tied and lost, in either position", text: "W–T–L" }) : null,
    rubric && rated ? el("th", { class: "num", text: "overall" }) : null,
    rubric ? criteria.map((c) => el("th", { class: "num", text: c })) : null,
    el("th", { class: "num", title: "mean words of its completed outputs", text: "words" }),
    el("th", { class: "num", title: "length against what the prompt asks for (1.00 = as asked)", text: "length vs asked" }),
    el("th", { class: "num", title: "share of repeated word 3-grams", text: "repeated 3-grams" }),
    el("th", { class: "num", title: "outputs that refused the prompt", text: "refusals" }),
    el("th", { class: "num", text: "cost" }),
    el("th", { class: "num", title: "cost per 100 rating points above the lowest-rated lane", text: "per 100 points" })];
  const ival = (lower, upper, text) => (lower === null || lower === undefined ? null
    : el("span", { class: "ival", text: "[" + text(lower) + ", " + text(upper) + "]" }));
  const one = (n) => fixed(n, 1);
  // the overall mean with its interval; a criterion's mean alone, its interval on hover (the columns stay narrow)
  const mean = (s, full) => (s ? el("span", { title: s.lower === null || s.lower === undefined ? "one prompt: no interval"
    : "95% interval " + one(s.lower) + " to " + one(s.upper) + " over " + plural(s.n, "prompt") },
  el("b", { text: one(s.mean) }), full ? ival(s.lower, s.upper, one) : null) : "–");
  const rows = board.rows.map((r) => {
    const m = measure.get(r);
    const d = r.diagnostics || {};
    const rt = r.rating;
    return el("tr", { "data-lane": r.lane, "data-rank": r.rank ?? "", tabindex: m ? 0 : null },
      el("td", { class: "lane", "data-label": "Lane" }, el("span", { class: "rk", text: r.rank ?? "–" }), el("span", { class: "slug mono", text: r.lane })),
      el("td", { class: "num score", "data-label": rated ? "Rating" : "Mean" }, m ? el("b", { text: measure.text(m.value) }) : "–",
        m ? ival(m.lower, m.upper, measure.text) : null),
      el("td", { class: "bar-cell", "data-label": "95% interval" }, bar(m, axis, measure)),
      rated ? el("td", { class: "num", "data-label": "W–T–L", text: rt ? rt.wins + "–" + rt.ties + "–" + rt.losses : "–" }) : null,
      rubric && rated ? el("td", { class: "num", "data-label": "Rubric overall" }, mean(r.overall, true)) : null,
      rubric ? criteria.map((c) => el("td", { class: "num crit", "data-label": c }, mean(r.rubric[c], false))) : null,
      el("td", { class: "num diag", "data-label": "Mean words", text: d.meanWords === null || d.meanWords === undefined ? "–" : num(Math.round(d.meanWords)) }),
      el("td", { class: "num diag", "data-label": "Length × asked", text: d.meanLengthRatio === null || d.meanLengthRatio === undefined ? "–" : fixed(d.meanLengthRatio, 2) + "×" }),
      el("td", { class: "num diag", "data-label": "Repeated 3-grams", text: share(d.meanRepetition) }),
      el("td", { class: "num diag", "data-label": "Refusals" }, d.refusals ? el("span", { class: "badge error", text: d.refusals + " of " + d.outputs })
        : d.outputs !== undefined ? "0 of " + d.outputs : "–"),
      el("td", { class: "num", "data-label": "Cost", text: usd(r.costUsd) }),
      el("td", { class: "num", "data-label": "Per 100 pts", title: r.costPer100Points === null && rt ? "the lowest-rated lane: no points above the floor" : null,
        text: usd(r.costPer100Points) }));
  });
  const table = el("table", { class: "list stack board", id: "ranking" },
    el("thead", {}, el("tr", { class: "groups" }, groups), el("tr", {}, heads.flat())), el("tbody", {}, rows));
  focusable(table, board.rows, measure, axis);
  return table;
}

// Pointing at (or tapping) a lane shades its interval across every bar: the lanes whose bars reach into the shade are
// not told apart from it. The leader is shaded to begin with.
function focusable(table, rows, measure, axis) {
  const byLane = new Map(rows.map((r) => [r.lane, measure.get(r)]));
  const focus = (lane) => {
    const f = byLane.get(lane);
    if (!f || f.lower === null || f.lower === undefined) return;
    table.style.setProperty("--shade-left", axis.at(f.lower) + "%");
    table.style.setProperty("--shade-width", axis.at(f.upper) - axis.at(f.lower) + "%");
    table.classList.add("shaded");
    for (const tr of table.tBodies[0].rows) {
      const other = byLane.get(tr.dataset.lane);
      tr.classList.toggle("focus", tr.dataset.lane === lane);
      tr.classList.toggle("overlap", tr.dataset.lane !== lane && !!overlaps(f, other));
      tr.classList.toggle("apart", tr.dataset.lane !== lane && !!other && other.lower !== null && !overlaps(f, other));
    }
    const note = document.getElementById("shade-note");
    if (note) note.textContent = "Shaded: the interval of " + lane + ".";
  };
  for (const tr of table.tBodies[0].rows) {
    tr.addEventListener("mouseenter", () => focus(tr.dataset.lane));
    tr.addEventListener("focus", () => focus(tr.dataset.lane));
    tr.addEventListener("click", () => focus(tr.dataset.lane));
  }
  const first = rows.find((r) => { const m = measure.get(r); return m && m.lower !== null && m.lower !== undefined; });
  if (first) setTimeout(() => focus(first.lane));
}

// ---- how far to trust it, in plain words

function trustNote(v, measure) {
  const b = v.leaderboard;
  const items = [];
  const ranked = b.rows.filter((r) => r.rank !== null && measure.get(r));
  if (b.rankedBy === "RATING") {
    items.push(el("li", {}, el("b", { text: "The rating " }), "places each lane on an Elo-like scale where the lanes average 0: a lane 100 points above "
      + "another is expected to win about 64% of their judgments, 400 points above, 10 to 1."));
  }
  items.push(el("li", {}, el("b", { text: "The bar " }), "is a 95% interval. The " + plural(v.prompts, "prompt") + " judged were drawn again at random "
    + num(v.resamples) + " times (some twice, some not at all) and the lanes " + (b.rankedBy === "RATING" ? "rated" : "scored")
    + " again each time; the bar spans the middle 95% of the results. It shows how much the order owes to which prompts "
    + "happened to be in the run: fewer prompts, wider bars. The dot is the " + measure.name + " from all of them."));
  const firm = [];
  const open = [];
  for (let i = 0; i + 1 < ranked.length; i++) {
    const a = measure.get(ranked[i]);
    const c = measure.get(ranked[i + 1]);
    if (a.lower === null || a.lower === undefined || c.lower === null || c.lower === undefined) continue;
    (overlaps(a, c) ? open : firm).push(ranked[i].lane + " and " + ranked[i + 1].lane);
  }
  if (firm.length || open.length) {
    items.push(el("li", { id: "trust-order" }, el("b", { text: "Neighbours in the ranking: " }),
      firm.length ? plural(firm.length, "pair") + " told apart (their bars do not overlap: " + laneList(firm) + ")" : "no pair told apart",
      "; ", open.length ? plural(open.length, "pair") + " whose bars overlap (" + laneList(open) + "): the judges could not say which "
        + "is better on these prompts, and their order could flip with others." : "none whose bars overlap.",
      " Lanes further apart in the ranking may still be told apart: point at a lane to shade its interval."));
  }
  const bias = b.positionBias;
  if (bias && bias.pairsInBothOrders) {
    items.push(el("li", { id: "trust-bias" }, el("b", { text: "Position bias: " }), "when a judge saw the same two pieces in both orders, it changed its verdict on "
      + share(bias.disagreementRate) + " of " + plural(bias.pairsInBothOrders, "pair") + "; the piece shown first won "
      + share(bias.positionAWinRate) + " of " + num(bias.decisive) + " decisive judgments (50% would be no bias). Every pair is judged "
      + "in both orders, so the bias cancels out of the ratings instead of tilting them; what it adds is noise, which the bars include."));
  }
  if (b.agreements.length) {
    for (const a of b.agreements) {
      items.push(el("li", { class: "trust-agreement" }, el("b", { text: "Judges agree: " }), a.judge + " and " + a.otherJudge + " reached the same verdict on "
        + num(a.agreements) + " of " + plural(a.pairs, "pair") + " both judged (" + share(a.agreementRate) + "; Cohen's kappa "
        + fixed(a.kappa, 2) + ", where 1 is full agreement and 0 is what chance alone would give)."));
    }
  } else if (b.judges.filter((j) => j.pairwise).length === 1) {
    items.push(el("li", {}, el("b", { text: "One judge: " }), "there is no second opinion to compare with. A second judge lane "
      + "(apex judge " + v.runId + " --judge-lane judge.4o --judge-lane judge.sonnet --pairwise) says how much the order depends on the judge."));
  }
  if (b.criteria.length) {
    items.push(el("li", {}, el("b", { text: "Rubric means " }), "average a judge's scores per prompt, then over prompts, with a 95% interval "
      + "(Student's t): with few prompts it can reach past the scale's ends."));
  }
  if (v.humanJudgments) {
    items.push(el("li", {}, el("b", { text: "Readers' verdicts " }), "count as one more judge, “human” (" + plural(v.humanJudgments, "judgment")
      + "): one more opinion, not the truth."));
  }
  const waiting = v.judgments.pending + v.judgments.unparseable;
  if (waiting) {
    items.push(el("li", {}, el("b", { text: "Still to come: " }), [v.judgments.pending ? plural(v.judgments.pending, "judge request") + " without an answer yet" : null,
      v.judgments.unparseable ? plural(v.judgments.unparseable, "answer") + " that could not be read (apex retry "
        + (v.judgingRuns.length === 1 ? v.judgingRuns[0] : "on its judging pass") + " sends them again)" : null]
      .filter(Boolean).join(", ") + ": the board may still move a little."));
  }
  return el("section", { class: "trust", id: "trust", "aria-labelledby": "trust-title" },
    el("h2", { id: "trust-title", text: "How far to trust this" }), el("ul", {}, items));
}

// ---- who beats whom

function heat(shareValue) {
  // red (the row lane loses) through the paper's neutral to green (it wins)
  const mix = (a, b, t) => a.map((x, i) => Math.round(x + (b[i] - x) * t));
  const red = [238, 170, 158], mid = [246, 243, 236], green = [150, 205, 160];
  const rgb = shareValue < 0.5 ? mix(red, mid, shareValue / 0.5) : mix(mid, green, (shareValue - 0.5) / 0.5);
  return "rgb(" + rgb.join(",") + ")";
}

function matrixTable(board) {
  const lanes = board.rows.filter((r) => r.rating).map((r) => r);
  const cells = new Map(board.matrix.map((c) => [c.lane + "\u0000" + c.opponent, c]));
  const head = el("tr", {}, el("th", { class: "corner", text: "row lane vs column lane" }),
    lanes.map((r) => el("th", { class: "col", scope: "col", title: r.lane, "data-lane": r.lane },
      el("span", { class: "rk", text: "#" + (r.rank ?? "–") }), el("span", { class: "slug mono", text: r.lane }))));
  const rows = lanes.map((row) => el("tr", { "data-lane": row.lane },
    el("th", { scope: "row", class: "lane" }, el("span", { class: "rk", text: "#" + (row.rank ?? "–") + " " }), el("span", { class: "mono", text: row.lane })),
    lanes.map((col) => {
      if (col.lane === row.lane) return el("td", { class: "self", text: "—" });
      const c = cells.get(row.lane + "\u0000" + col.lane);
      if (!c) return el("td", { class: "never", title: "never judged against each other", text: "·" });
      return el("td", { "data-opponent": col.lane, style: "background:" + heat(c.winShare),
        title: row.lane + " against " + col.lane + ": won " + c.wins + ", tied " + c.ties + ", lost " + c.losses + " of " + c.comparisons
          + "; mean margin " + signed(c.meanMargin, 2) },
        el("span", { class: "share", text: share(c.winShare) }), el("span", { class: "margin", text: signed(c.meanMargin, 1) }));
    })));
  return el("section", { class: "heat-box", id: "matrix-box", "aria-labelledby": "matrix-title" },
    el("h2", { id: "matrix-title", text: "Who beats whom" }),
    el("p", { class: "muted small" }, "Each cell is the row lane against the column lane over every judgment between them, in either order: the share "
      + "it won (a tie counts half) and, below, the mean margin (+3 a decisive win every time, " + MINUS + "3 a decisive loss). ",
      el("span", { class: "swatch win" }), " the row lane usually wins, ", el("span", { class: "swatch lose" }), " it usually loses."),
    el("div", { class: "scroll" }, el("table", { class: "heat", id: "matrix" }, el("thead", {}, head), el("tbody", {}, rows))));
}

// ---- the judges and the costs

function judgesSection(b) {
  const bias = (p) => (p ? [share(p.disagreementRate) + " of " + num(p.pairsInBothOrders), share(p.positionAWinRate)] : ["–", "–"]);
  const rows = b.judges.map((j) => {
    const [flip, first] = bias(j.positionBias);
    return el("tr", { "data-judge": j.judge }, el("td", { class: "mono", "data-label": "Judge", text: j.judge }),
      el("td", { class: "num", "data-label": "Pairwise", text: num(j.pairwise) }), el("td", { class: "num", "data-label": "Rubric", text: num(j.rubric) }),
      el("td", { class: "num", "data-label": "Orders disagree", text: flip }), el("td", { class: "num", "data-label": "First shown wins", text: first }));
  });
  const agreements = b.agreements.map((a) => el("tr", {}, el("td", { class: "mono", "data-label": "Judges", text: a.judge + " · " + a.otherJudge }),
    el("td", { class: "num", "data-label": "Pairs both judged", text: num(a.pairs) }),
    el("td", { class: "num", "data-label": "Agreed", text: num(a.agreements) + " (" + share(a.agreementRate) + ")" }),
    el("td", { class: "num", "data-label": "Kappa", text: fixed(a.kappa, 2) })));
  const th = (labels) => el("tr", {}, labels.map((h, i) => el("th", { class: i ? "num" : null, text: h })));
  return el("section", { class: "judges", id: "judges", "aria-labelledby": "judges-title" },
    el("h2", { id: "judges-title", text: "Judges" }),
    el("div", { class: "scroll narrow" }, el("table", { class: "list stack" },
      el("thead", {}, th(["Judge", "Pairwise", "Rubric", "Orders disagree", "First shown wins"])), el("tbody", {}, rows))),
    agreements.length ? el("div", { class: "scroll narrow" }, el("table", { class: "list stack" },
      el("thead", {}, th(["Judges", "Pairs both judged", "Agreed", "Kappa"])), el("tbody", {}, agreements))) : null);
}

function costsSection(b) {
  const byJudge = Object.entries(b.costs.judgingByJudge);
  return el("section", { class: "costs", id: "costs", "aria-labelledby": "costs-title" },
    el("h2", { id: "costs-title", text: "Cost" }),
    el("div", { class: "cost-cards" },
      el("div", { class: "cost-card" }, el("span", { class: "muted small", text: "Generating the run" }), el("b", { id: "cost-generation", text: usd(b.costs.generationUsd) }),
        el("span", { class: "muted small", text: "the lanes' outputs: the per-lane cost and per-100-points columns" })),
      el("div", { class: "cost-card" }, el("span", { class: "muted small", text: "Judging it, apart" }), el("b", { id: "cost-judging", text: usd(b.costs.judgingUsd) }),
        el("span", { class: "muted small", text: byJudge.length ? byJudge.map(([j, c]) => j + " " + usd(c)).join(" · ") : "no judge call recorded" }))),
    el("p", { class: "muted small", text: "Per 100 pts: what a lane's outputs cost per 100 rating points above the lowest-rated lane, the floor the "
      + "cheapest choice gives (none for that lane). Judging cost is never in it." }));
}

// ---- the page

function scopeBox(v) {
  const b = v.leaderboard;
  const judges = b.judges.map((j) => j.judge);
  const pieces = [b.rankedBy === "RATING" ? "Ranked by rating" : b.rankedBy === "RUBRIC" ? "Ranked by the rubric's overall mean (no pairwise judgments)" : "Nothing ranked",
    v.judged ? " from " + plural(v.judgments.judged, "judgment") + (v.humanJudgments ? " and " + plural(v.humanJudgments, "reader judgment") : "")
      + " on " + plural(v.prompts, "prompt") + (judges.length ? " by " + judges.join(", ") : "") : ""];
  document.getElementById("scope").replaceChildren(
    el("p", { class: "scope-line" }, pieces.join(""), "."),
    el("p", { class: "muted small" }, v.judgingRuns.length ? (v.judgingRun ? "Judging pass " : "Judging passes ") + v.judgingRuns.join(", ") : "No judging pass",
      " · readers' verdicts " + (v.human ? "counted" : "left out"), el("span", { class: "cli" }, " · same figures as ",
        el("code", { text: "apex leaderboard " + v.runId + (v.judgingRun ? " --judging-run " + v.judgingRun : "") + (v.human ? "" : " --no-human") }))));
}

function nothingBox(v) {
  return el("section", { class: "retry", id: "nothing" }, el("p", { text: v.message }), v.command ? commandBox(v.command) : null);
}

function render(v) {
  scopeBox(v);
  const box = document.getElementById("board");
  if (!v.judged) {
    box.replaceChildren(nothingBox(v));
    return;
  }
  const b = v.leaderboard;
  const measure = measureOf(b);
  const axis = axisOf(b, measure);
  box.replaceChildren(
    el("section", { "aria-labelledby": "ranking-title" },
      el("h2", { id: "ranking-title", text: "Lanes ranked" }),
      el("div", { class: "scroll" }, rankingTable(v, measure, axis)),
      el("p", { class: "muted small legend" }, "Each bar is a lane's 95% interval on one scale shared by every lane, the dot its " + measure.name + ". ",
        el("span", { id: "shade-note" }), " Lanes whose bars reach into the shade (marked ≈) are not told apart from it; point at or tap a lane to shade its own.")),
    trustNote(v, measure),
    b.matrix.length ? matrixTable(b) : null,
    judgesSection(b),
    costsSection(b));
}

function fillForm(v) {
  const select = document.getElementById("f-pass");
  select.replaceChildren(el("option", { value: "", text: "every pass" + (v.passes.length > 1 ? " (" + v.passes.length + ")" : "") }),
    ...v.passes.map((p) => el("option", { value: p, text: p })));
  if (v.judgingRun && !v.passes.includes(v.judgingRun)) select.append(el("option", { value: v.judgingRun, text: v.judgingRun }));
  // a judging pass's own id reads the run through that pass alone: the form names it
  select.value = v.judgingRun || (v.runId !== runId ? v.judgingRuns[0] : "");
  document.getElementById("f-human").checked = !v.human;
}

async function load() {
  if (!runId) { location.href = "index.html"; return; }
  titleRunPage(runId, "Leaderboard");
  const api = new URLSearchParams();
  if (q.get("judgingRun")) api.set("judgingRun", q.get("judgingRun"));
  if (q.get("human")) api.set("human", q.get("human"));
  try {
    const v = await getJson("api/runs/" + encodeURIComponent(runId) + "/leaderboard?" + api.toString());
    // a judging pass's id reads its source run through that pass: the page names the source run
    if (v.runId !== runId) titleRunPage(v.runId, "Leaderboard");
    fillForm(v);
    render(v);
  } catch (e) {
    fail(document.getElementById("scope"), e);
  }
}
cleanSubmit("filters");
load();
