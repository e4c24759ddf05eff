// A run's errors (the seed's "View Errors"): each with the provider's message and whether `apex retry` would send it
// again, the command to run, and filters (lane, kind) in the URL.
"use strict";
const q = params();
const runId = q.get("run");

function retryBox(r) {
  const box = document.getElementById("retry");
  const kinds = r.retryableKinds.map((k) => k.replace("_", " ")).join(", ");
  if (!r.total) {
    box.replaceChildren(el("p", {}, "No generation of this run ended in an error", r.laneFilter.length ? " in these lanes." : "."));
    return;
  }
  box.replaceChildren(
    r.command
      ? el("p", {}, el("b", { text: num(r.resendable) + " of " + num(r.total) }), " errors would be sent again by ", el("code", { text: "apex retry" }),
          " (it resends " + kinds + "; never an invalid request, which needs its lane fixed). Run, with the stack up:")
      : el("p", {}, el("b", { text: "Nothing to retry." }), " None of these " + num(r.total) + " errors is of a kind ", el("code", { text: "apex retry" }),
          " resends (" + kinds + ")" + (r.runStatus === "rejected" ? ", and the run was rejected" : "") + ": fix the lane or the prompt, then start a new run."),
    r.command ? commandBox(r.command) : null);
}

function kindChips(r) {
  return r.kinds.map((k) => {
    const u = params();
    u.set("kind", k.kind);
    u.delete("page");
    return el("a", { class: "chip" + (k.retryable ? " retryable" : ""), href: "errors.html?" + u.toString(),
      title: k.retryable ? "apex retry resends these" : "apex retry does not resend these" },
      k.kind.replace("_", " ") + " ", el("b", { text: num(k.count) }), k.retryable ? " · retryable" : "");
  });
}

const pager = (r) => pagerLinks("errors.html", r.page, r.totalPages, plural(r.matching, "error"));

function render(r) {
  retryBox(r);
  document.getElementById("kinds").replaceChildren(...kindChips(r));
  const head = el("tr", {}, ["Lane", "Prompt", "Kind", "The provider's message", "Attempt", "apex retry"].map((h) => el("th", { text: h })));
  // data-label: on a phone each row stacks into a card, and each value says what it is
  const rows = r.rows.map((e) => el("tr", { "data-generation": e.generationId, "data-kind": e.errorKind || "" },
    el("td", { class: "mono", "data-label": "Lane", text: e.laneId }),
    el("td", { "data-label": "Prompt" }, el("a", { href: "prompt.html?run=" + encodeURIComponent(runId) + "&prompt=" + encodeURIComponent(e.promptId), text: e.title || e.promptId }),
      el("span", { class: "muted small mono", text: " " + e.promptId + (e.replicate > 1 ? " #" + e.replicate : "") })),
    el("td", { "data-label": "Kind" }, el("span", { class: "badge error", text: (e.errorKind || "unknown").replace("_", " ") })),
    el("td", { class: "message", "data-label": "Message", text: e.errorMessage || "(no message recorded)" }),
    el("td", { class: "num", "data-label": "Attempt", text: String(e.attempt) }),
    el("td", { "data-label": "apex retry" }, e.resend ? el("span", { class: "badge completed", text: "resends" }) : el("span", { class: "badge dry_run", text: "not resent" }))));
  document.getElementById("errors").replaceChildren(el("thead", {}, head),
    el("tbody", {}, rows.length ? rows : el("tr", {}, el("td", { class: "empty", colspan: 6, text: "No error matches these filters." }))));
  document.getElementById("pager-top").replaceChildren(...pager(r));
  document.getElementById("pager-bottom").replaceChildren(...pager(r));
}

async function load() {
  if (!runId) { location.href = "index.html"; return; }
  titleRunPage(runId, "Errors");
  document.getElementById("f-clear").href = "errors.html?run=" + encodeURIComponent(runId);
  const api = new URLSearchParams(q);
  api.delete("run");
  try {
    const r = await getJson("api/runs/" + encodeURIComponent(runId) + "/errors?" + api.toString());
    fillSelect("f-lane", "all lanes", r.lanes, r.laneFilter);
    fillSelect("f-kind", "every kind", r.kinds.map((k) => k.kind), r.kindFilter);
    render(r);
  } catch (e) {
    fail(document.getElementById("retry"), e);
    document.getElementById("errors").replaceChildren();
  }
}
cleanSubmit("filters");
load();
