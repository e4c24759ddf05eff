// A reader's verdict on a prompt, in blind mode: the better of two outputs (or a tie), or every output ranked. The
// verdict names outputs by the labels the page shows; the server records the generations behind them and publishes
// it, and it counts once the recorder has it. Blind, the page shows only how many verdicts there are, never per lane
// (a tally that moves after a cast would say which label is which lane).
"use strict";
(() => {
  const query = params();
  const run = query.get("run");
  const prompt = query.get("prompt");
  const blind = query.get("blind") === "true" || query.get("blind") === "1";
  if (!run || !prompt || !blind) return;
  const base = "api/runs/" + encodeURIComponent(run) + "/verdicts";
  const READER_KEY = "apex.reader";
  let shown = 0; // outputs on the page, whatever their status: the labels are given over all of them
  let labels = []; // the completed outputs' labels, in page order: only those can be judged
  let pending = null; // { key, id }: a verdict not yet taken keeps its id, so sending it again counts once
  let busy = false;

  // a v4 UUID; crypto.randomUUID exists only in secure contexts (https, localhost)
  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  const panel = el("section", { class: "verdict", id: "verdict", "aria-label": "Your verdict" });
  const status = el("p", { class: "verdict-status", role: "status", "aria-live": "polite" });
  const count = el("span", { class: "muted small", id: "verdict-count" });
  const reader = el("input", { id: "v-reader", type: "text", maxlength: "200", autocomplete: "name",
    placeholder: "optional", value: localStorage.getItem(READER_KEY) || "" });
  const pickA = el("select", { id: "v-a", "aria-label": "Output shown as A" });
  const pickB = el("select", { id: "v-b", "aria-label": "Output shown as B" });
  const ranks = el("div", { class: "verdict-ranks" });
  const buttons = () => panel.querySelectorAll("button");

  function say(text, kind) {
    status.textContent = text;
    status.className = "verdict-status" + (kind ? " " + kind : "");
  }

  async function refreshCount(atLeast) {
    // the recorder writes the verdict a moment after the broker took it: ask a few times until it shows
    for (let i = 0; i < (atLeast ? 15 : 1); i++) {
      try {
        const t = await getJson(base + "/tally?prompt=" + encodeURIComponent(prompt));
        count.replaceChildren(plural(t.verdicts, "verdict") + " on this run, "
          + num(t.promptVerdicts) + " on this prompt · ",
          el("a", { href: "run.html?run=" + encodeURIComponent(run) + "#verdicts", text: "tally per lane" }));
        if (!atLeast || t.verdicts >= atLeast) return t.verdicts;
      } catch (e) {
        count.textContent = "Tally unavailable: " + e.message;
        return null;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    return null;
  }

  async function cast(body) {
    if (busy) return;
    const key = JSON.stringify(body);
    if (!pending || pending.key !== key) pending = { key, id: uuid() };
    const name = reader.value.trim();
    if (name) localStorage.setItem(READER_KEY, name); else localStorage.removeItem(READER_KEY);
    busy = true;
    buttons().forEach((b) => { b.disabled = true; });
    say("Sending…");
    try {
      const before = await refreshCount();
      const r = await fetch(base, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ ...body, verdictId: pending.id, promptId: prompt, reader: name || null, blind: true,
          shown }),
      });
      const answer = await r.json().catch(() => ({}));
      if (r.status === 202) {
        pending = null;
        say(answer.status === "already recorded" ? answer.message : "Verdict recorded — it counts once the recorder has it",
          "ok");
        refreshCount(before === null ? null : before + (answer.status === "already recorded" ? 0 : 1));
      } else {
        // 400: nothing was sent; 409: reload; 503: the broker is away, cast again later (the same verdict counts once)
        say((answer.error || r.status + " " + r.statusText), "err");
      }
    } catch (e) {
      say("Could not send the verdict (" + e.message + "): cast it again, it counts once.", "err");
    } finally {
      busy = false;
      buttons().forEach((b) => { b.disabled = false; });
    }
  }

  function pairwise(winner) {
    if (pickA.value === pickB.value) {
      say("Pick two different outputs as A and B.", "err");
      return;
    }
    cast({ kind: "pairwise", a: pickA.value, b: pickB.value, winner });
  }

  function ranking() {
    const chosen = [...ranks.querySelectorAll("select")].map((s) => ({ label: s.dataset.label, rank: Number(s.value) }));
    const used = new Set(chosen.map((c) => c.rank));
    if (chosen.some((c) => !c.rank) || used.size !== chosen.length) {
      say("Give each output a different rank, 1 (best) to " + chosen.length + ".", "err");
      return;
    }
    cast({ kind: "ranking", ranking: chosen.sort((x, y) => x.rank - y.rank).map((c) => c.label) });
  }

  // A and B never name the same output: picking B's output as A swaps them
  function keepApart(changed, other, previous) {
    if (changed.value === other.value) other.value = previous;
  }

  function render() {
    if (labels.length < 2) {
      panel.replaceChildren(el("h2", { text: "Your verdict" }), el("p", { class: "muted small",
        text: "A verdict needs two completed outputs; this prompt has " + labels.length + " so far." }));
      return;
    }
    const option = (l) => el("option", { value: l, text: l });
    pickA.replaceChildren(...labels.map(option));
    pickB.replaceChildren(...labels.map(option));
    pickA.value = labels[0];
    pickB.value = labels[1];
    let lastA = pickA.value;
    let lastB = pickB.value;
    pickA.addEventListener("change", () => { keepApart(pickA, pickB, lastA); lastA = pickA.value; lastB = pickB.value; });
    pickB.addEventListener("change", () => { keepApart(pickB, pickA, lastB); lastA = pickA.value; lastB = pickB.value; });
    ranks.replaceChildren(...labels.map((l) => el("label", {}, el("span", { text: l }),
      el("select", { "data-label": l, "aria-label": "Rank of " + l },
        el("option", { value: "", text: "–" }),
        labels.map((_, i) => el("option", { value: String(i + 1), text: String(i + 1) }))))));
    panel.replaceChildren(
      el("div", { class: "verdict-head" }, el("h2", { text: "Your verdict" }), count),
      el("div", { class: "verdict-row" },
        el("label", {}, "A ", pickA), el("span", { class: "muted", text: "vs" }), el("label", {}, "B ", pickB),
        el("div", { class: "verdict-choices" },
          el("button", { type: "button", id: "v-a-better", onclick: () => pairwise("A"), text: "A is better" }),
          el("button", { type: "button", id: "v-tie", class: "secondary", onclick: () => pairwise("TIE"), text: "Tie" }),
          el("button", { type: "button", id: "v-b-better", onclick: () => pairwise("B"), text: "B is better" }))),
      el("details", { class: "verdict-rank" }, el("summary", { text: "Rank all " + labels.length }),
        el("p", { class: "muted small", text: "1 is best; each output gets its own rank." }), ranks,
        el("button", { type: "button", id: "v-rank", onclick: ranking, text: "Submit ranking" })),
      el("div", { class: "verdict-row" }, el("label", { class: "verdict-reader" }, "Your name ", reader), status));
    refreshCount();
  }

  document.addEventListener("apex:prompt", (ev) => {
    const outputs = ev.detail.outputs || [];
    shown = outputs.length;
    labels = outputs.filter((o) => o.status === "completed").map((o) => o.label);
    document.getElementById("outputs").after(panel);
    render();
  });

  // revealed, a verdict would no longer be blind: the panel stands down
  const reveal = document.getElementById("reveal");
  if (reveal) {
    reveal.addEventListener("click", () => {
      panel.replaceChildren(el("h2", { text: "Your verdict" }), el("p", { class: "muted small",
        text: "Lanes revealed: verdicts are cast blind. Open the prompt in blind mode again to cast another." }),
      count);
    });
  }
})();
