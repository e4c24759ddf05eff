// The runs page: every run, refreshed every 5 s while one is still running (no reload needed).
"use strict";
const ORDER = ["completed", "error", "dry_run", "submitted", "requested"];
let timer = null;
const finished = (run) => (run.counts.completed || 0) + (run.counts.error || 0) + (run.counts.dry_run || 0);

function runCard(run) {
  const total = run.generations || 0;
  const bar = el("div", { class: "bar", title: Object.entries(run.counts).map(([k, v]) => k + ": " + v).join(", ") },
    ORDER.filter((s) => run.counts[s]).map((s) => el("span", { class: s, style: "width:" + (100 * run.counts[s] / total) + "%" })));
  const counts = ORDER.filter((s) => run.counts[s]).map((s) => num(run.counts[s]) + " " + s.replace("_", " ")).join(" · ");
  return el("article", { class: "run", "data-run": run.id },
    el("div", {},
      el("a", { class: "id", href: "run.html?run=" + encodeURIComponent(run.id), text: run.id }), " ", badge(run.status),
      el("div", { class: "notes", text: run.notes || "" }),
      el("div", { class: "small muted" }, "by ", run.createdBy || "unknown", run.mode ? " · " + run.mode : "",
        run.dryRun ? " · dry run" : ""),
      el("div", { class: "small links" },
        run.counts.error ? el("a", { href: "errors.html?run=" + encodeURIComponent(run.id), text: plural(run.counts.error, "error") }) : null,
        el("a", { href: "compare.html?a=" + encodeURIComponent(run.id), text: "compare" }),
        run.judged ? el("a", { class: "leaderboard-link", href: "leaderboard.html?run=" + encodeURIComponent(run.id), text: "leaderboard" }) : null)),
    el("div", { class: "figures" },
      el("div", {}, el("b", { text: num(finished(run)) }), " of ", num(run.expectedGenerations ?? total), " generations finished"),
      el("div", { class: "small", text: counts || "nothing recorded yet" }), total ? bar : null),
    el("div", { class: "figures" },
      el("div", {}, el("b", { text: usd(run.costUsd) })),
      el("div", { class: "small" }, "accepted ", when(run.acceptedAt)),
      el("div", { class: "small" }, run.completedAt ? "completed " + when(run.completedAt)
        : run.rejectedAt ? "rejected: " + (run.reason || "") : "running")));
}

async function load() {
  const box = document.getElementById("runs");
  try {
    const runs = await getJson("api/runs");
    box.replaceChildren(...(runs.length ? runs.map(runCard) : [el("p", { class: "empty", text: "No runs yet." })]));
    const running = runs.some((r) => r.status === "accepted");
    document.getElementById("live").textContent = running ? "A run is in progress: this page refreshes every 5 seconds." : "";
    clearTimeout(timer);
    if (running) timer = setTimeout(load, 5000);
  } catch (e) {
    fail(box, e);
  }
}
load();
