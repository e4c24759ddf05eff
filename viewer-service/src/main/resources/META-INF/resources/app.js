// Shared helpers of the viewer's pages: DOM building (text only, never HTML from data), fetch, formatting.
"use strict";

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

// An API error is JSON whose "error" says what went wrong and what to do next: that is what the reader sees.
async function getJson(url) {
  const r = await fetch(url, { headers: { Accept: "application/json" } });
  if (!r.ok) {
    const text = await r.text();
    let message = text.slice(0, 300);
    try { message = JSON.parse(text).error || message; } catch (e) { /* not JSON: show it as it is */ }
    throw new Error(r.status + " " + message);
  }
  return r.json();
}

const params = () => new URLSearchParams(location.search);
const num = (n) => (n === null || n === undefined ? "–" : Number(n).toLocaleString("en-US"));
const usd = (n) => (n === null || n === undefined ? "–" : "$" + Number(n).toFixed(Number(n) < 1 ? 4 : 2));
const when = (t) => (t ? new Date(t).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) : "–");
const plural = (n, word) => num(n) + " " + word + (Number(n) === 1 ? "" : "s");
const pct = (share) => (share === null || share === undefined ? "–" : Math.round(share * 100) + "%");
const badge = (status) => el("span", { class: "badge " + status, text: status.replace("_", " ") });

function fail(container, error) {
  container.replaceChildren(el("p", { class: "empty", text: "Could not load: " + error.message }));
}

// Previous and next links that keep the URL's other parameters (its filters and sort orders), and where the reader is.
function pagerLinks(path, page, totalPages, text) {
  const link = (p, label) => {
    const u = params();
    u.set("page", p);
    return el("a", { class: "button secondary", href: path + "?" + u.toString(), text: label });
  };
  return [
    page > 1 ? link(page - 1, "← Previous") : null,
    el("span", { class: "muted small", text: "Page " + page + " of " + totalPages + " · " + text }),
    page < totalPages ? link(page + 1, "Next →") : null,
  ].filter(Boolean);
}

// A filter's select with the given choices, showing the URL's values; values the choices lack (a list of several,
// or a link from elsewhere) become one more option, so submitting the form keeps them.
function fillSelect(id, all, choices, values) {
  const select = document.getElementById(id);
  const wanted = values.join(",");
  const opts = [el("option", { value: "", text: all }), ...choices.map((c) => el("option", { value: c, text: c }))];
  if (wanted && !choices.includes(wanted)) opts.push(el("option", { value: wanted, text: values.join(" + ") }));
  select.replaceChildren(...opts);
  select.value = wanted;
}

// A repeated or comma-separated parameter of the page's URL, as a list.
const listParam = (name) => params().getAll(name).flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean);

// Empty fields would clutter a shared URL: a GET form leaves them (and the given defaults) out.
function cleanSubmit(formId, defaults) {
  document.getElementById(formId).addEventListener("submit", (ev) => {
    for (const f of ev.target.elements) {
      if (f.name && (!f.value || (defaults && defaults[f.name] === f.value))) f.disabled = true;
    }
  });
}

// A page about one run: its crumb links the run, its heading and the tab's title name it ("Errors of RUN"), and its
// form's hidden field keeps it.
function titleRunPage(runId, what) {
  const crumb = document.getElementById("crumb-run");
  crumb.textContent = runId;
  crumb.href = "run.html?run=" + encodeURIComponent(runId);
  document.getElementById("title").textContent = what + " of " + runId;
  document.title = what + " of " + runId + " · Apex Audition";
  document.getElementById("f-run").value = runId;
}

// A command to run, with a button that copies it.
function commandBox(command) {
  const copy = el("button", { type: "button", class: "secondary", text: "Copy",
    onclick: async (ev) => {
      try { await navigator.clipboard.writeText(command); ev.target.textContent = "Copied"; } catch (e) { ev.target.textContent = "Select and copy"; }
    } });
  return el("div", { class: "command" }, el("code", { id: "command", text: command }), copy);
}
