// devlore board: the token form, table filters and sorting, and live updates.
// No inline script anywhere (the Content-Security-Policy forbids it); everything is text
// from the server, which escapes it, and nothing here turns text into markup but the page
// fragments that same server rendered.
"use strict";

const PREFIX = "/board";
const KEY = "devlore-board-token";

function authHeaders(extra) {
  const headers = Object.assign({}, extra || {});
  const token = sessionStorage.getItem(KEY);
  if (token) headers["Authorization"] = "Bearer " + token;
  return headers;
}

async function openSession(token) {
  const r = await fetch(PREFIX + "/session", { method: "POST", headers: { Authorization: "Bearer " + token } });
  return r.status === 204;
}

function setupLogin() {
  const form = document.getElementById("login");
  if (!form) return false;
  const error = document.getElementById("login-error");
  const saved = sessionStorage.getItem(KEY);
  if (saved && !sessionStorage.getItem(KEY + "-tried")) {
    sessionStorage.setItem(KEY + "-tried", "1");  // one silent try: a stale token asks again
    openSession(saved).then((ok) => { if (ok) location.reload(); });
  }
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const token = document.getElementById("token").value.trim();
    if (await openSession(token)) {
      sessionStorage.setItem(KEY, token);
      sessionStorage.removeItem(KEY + "-tried");
      location.reload();
    } else {
      error.textContent = "That token was refused. Check DEVLORE_TOKEN or the --token-file the server uses.";
    }
  });
  document.getElementById("token").focus();
  return true;
}

// -- the pattern table ---------------------------------------------------------------------

let sortKey = null;
let sortDown = true;

function filterTable() {
  const table = document.getElementById("patterns");
  if (!table) return;
  const value = (name) => (document.querySelector(`.filters [name="${name}"]`) || { value: "" }).value;
  const text = value("q").toLowerCase();
  const domain = value("domain");
  const level = value("level");
  const stale = value("stale");
  let shown = 0;
  for (const row of table.tBodies[0].rows) {
    const d = row.dataset;
    const ok = (!text || row.cells[0].textContent.toLowerCase().includes(text)) &&
      (!domain || d.domain === domain) && (!level || d.level === level) &&
      (!stale || (d.stale === "yes") === (stale === "stale"));
    row.hidden = !ok;
    if (ok) shown += 1;
  }
  const status = document.getElementById("shown");
  if (status) status.textContent = shown + " patterns";
}

function sortTable() {
  const table = document.getElementById("patterns");
  if (!table || !sortKey) return;
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const num = sortKey === "examples";
  rows.sort((a, b) => {
    const x = a.dataset[sortKey], y = b.dataset[sortKey];
    const c = num ? Number(x) - Number(y) : x.localeCompare(y);
    return sortDown ? -c : c;
  });
  body.append(...rows);
  for (const button of table.querySelectorAll("[data-sort]")) {
    const th = button.closest("th");
    th.setAttribute("aria-sort", button.dataset.sort === sortKey ? (sortDown ? "descending" : "ascending") : "none");
  }
}

function setupTable() {
  const form = document.querySelector(".filters");
  if (form) {
    form.addEventListener("input", filterTable);
    form.addEventListener("change", filterTable);
  }
  for (const button of document.querySelectorAll("[data-sort]")) {
    button.addEventListener("click", () => {
      sortDown = sortKey === button.dataset.sort ? !sortDown : true;
      sortKey = button.dataset.sort;
      sortTable();
    });
  }
  sortTable();
  filterTable();
}

// -- live updates --------------------------------------------------------------------------

function status(text) {
  const live = document.getElementById("live");
  if (live) live.textContent = text;
}

let running = false;
let again = false;
let latest = 0;

// One refresh at a time; changes that arrive meanwhile make one more, not one each.
function schedule(version) {
  latest = version;
  if (running) { again = true; return; }
  running = true;
  refresh(latest)
    .catch(() => status("Update failed; reload the page"))
    .finally(() => {
      running = false;
      if (again) { again = false; schedule(latest); }
    });
}

async function refresh(version) {
  const r = await fetch(location.pathname + location.search, { headers: authHeaders({ "X-Board-Fragment": "main" }) });
  if (r.status === 401) { location.reload(); return; }
  const html = await r.text();
  const doc = new DOMParser().parseFromString("<!doctype html><body>" + html, "text/html");
  const main = document.getElementById("main");
  // What the reader is doing survives the swap: the filters' values and the focused control.
  const focused = document.activeElement && main.contains(document.activeElement) ? document.activeElement.id : "";
  const values = Array.from(main.querySelectorAll("input[id], select[id]")).map((el) => [el.id, el.value]);
  main.replaceChildren(...Array.from(doc.body.childNodes).map((n) => document.adoptNode(n)));
  for (const [id, value] of values) {
    const el = document.getElementById(id);
    if (el) el.value = value;
  }
  if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
  setupTable();
  document.body.dataset.version = String(version);
  status("Live · updated " + new Date().toLocaleTimeString());
}

function onEvent(type, data) {
  if (type === "ready") {
    status("Live");
    document.body.dataset.live = "on";
  } else if (type === "change") {
    schedule(JSON.parse(data).version);
  }
}

async function listen() {
  // fetch, not EventSource: EventSource cannot send the Authorization header.
  for (;;) {
    try {
      const r = await fetch(PREFIX + "/events", { headers: authHeaders({ Accept: "text/event-stream" }) });
      if (r.status === 401) { location.reload(); return; }
      const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let cut;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          let type = "message", data = "";
          for (const line of block.split("\n")) {
            if (line.startsWith("event: ")) type = line.slice(7);
            else if (line.startsWith("data: ")) data += line.slice(6);
          }
          if (!block.startsWith(":")) onEvent(type, data);
        }
      }
    } catch (e) {
      // the server went away or the page is closing: try again below
    }
    document.body.dataset.live = "off";
    status("Reconnecting…");
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

document.addEventListener("DOMContentLoaded", () => {
  if (setupLogin()) return;
  sessionStorage.removeItem(KEY + "-tried");  // in: a later expired session may try the token again
  setupTable();
  listen();
});
