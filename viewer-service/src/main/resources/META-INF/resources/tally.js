// Reader verdicts on a run, per lane: pairwise wins, ties and losses, and mean rank over the rankings. Counted from
// apex_audition.verdicts, so a verdict shows here once the recorder has it.
"use strict";
(() => {
  const run = params().get("run");
  if (!run) return;
  const section = el("section", { class: "tally", id: "verdicts", "aria-labelledby": "verdicts-title" },
    el("h2", { id: "verdicts-title", text: "Reader verdicts" }), el("p", { class: "muted small", text: "Loading…" }));
  document.querySelector("main").append(section);

  const rank = (r) => (r === null || r === undefined ? "–" : Number(r).toFixed(2));

  function render(t) {
    const head = el("p", { class: "muted small" }, t.verdicts
      ? plural(t.verdicts, "verdict") + ": " + num(t.pairwise) + " pairwise, " + plural(t.rankings, "ranking")
        + ". Wins, ties and losses come from pairwise verdicts; mean rank (1 is best) from rankings."
      : "No reader verdicts yet: open a prompt of this run in blind mode to cast one.");
    if (!t.verdicts) {
      section.replaceChildren(section.firstChild, head);
      return;
    }
    const rows = t.lanes.map((l) => {
      const compared = l.wins + l.ties + l.losses;
      return el("tr", { "data-lane": l.laneId },
        el("th", { scope: "row", class: "mono", text: l.laneId }),
        el("td", { class: "num", text: num(l.wins) }),
        el("td", { class: "num", text: num(l.ties) }),
        el("td", { class: "num", text: num(l.losses) }),
        el("td", { class: "num" }, el("span", { class: "share", title: "wins among pairwise verdicts" },
          el("span", { class: "share-bar", style: "width:" + (compared ? (100 * l.wins) / compared : 0) + "%" })),
        " ", pct(compared ? l.wins / compared : null)),
        el("td", { class: "num", text: num(l.rankings) }),
        el("td", { class: "num", text: rank(l.meanRank) }));
    });
    section.replaceChildren(section.firstChild, head, el("div", { class: "scroll" },
      el("table", { class: "list tally-table" },
        el("thead", {}, el("tr", {}, ["Lane", "Wins", "Ties", "Losses", "Win share", "Rankings", "Mean rank"]
          .map((h, i) => el("th", { scope: "col", class: i ? "num" : null, text: h })))),
        el("tbody", {}, rows))));
  }

  // a link to #verdicts (the prompt page's "tally per lane") scrolls here once the matrix above has its height
  function scrollHereWhenAsked() {
    if (location.hash !== "#verdicts") return;
    const matrix = document.getElementById("matrix");
    let done = false;
    const go = () => { if (!done) { done = true; section.scrollIntoView(); } };
    if (!matrix || matrix.querySelector("thead")) { go(); return; }
    const watch = new MutationObserver(() => { if (matrix.querySelector("thead")) { watch.disconnect(); go(); } });
    watch.observe(matrix, { childList: true });
    setTimeout(() => { watch.disconnect(); go(); }, 5000);
  }

  getJson("api/runs/" + encodeURIComponent(run) + "/verdicts/tally")
    .then((t) => {
      render(t);
      scrollHereWhenAsked();
    })
    .catch((e) => section.replaceChildren(section.firstChild,
      el("p", { class: "muted small", text: "Could not load the verdicts: " + e.message })));
})();
