// The inspector page: plain JavaScript, no build step, nothing fetched but this fake's own
// control plane. Live data comes from one EventSource; controls call the control plane's JSON
// endpoints. The journal table is redrawn at most every RENDER_MS, whatever the traffic.
"use strict";
(() => {
  const base = location.pathname.replace(/\/inspector\/?$/, "");
  const MAX_ROWS = 5000; // rows kept in the page (the fake's journal may keep more)
  const SHOWN = 300; // rows drawn (the newest that pass the filters)
  const RENDER_MS = 250;
  const $ = (id) => document.getElementById(id);

  let rows = []; // journal entries, oldest first
  let skipped = 0;
  let state = null;
  let zones = {}; // server -> IANA time zone
  let dirty = false;
  let timer = null;
  let lastRender = 0;
  let forced = false; // the next draw is for a filter or a clear: not held back
  let pointing = false; // the pointer is on the list
  let arrived = 0; // entries arrived since the last draw
  let opener = null; // the seq of the row whose exchange the dialog shows
  // Counters, for the tests and the curious (window.inspectorStats in the console).
  const stats = (window.inspectorStats = { connects: 0, messages: 0, entries: 0, renders: 0, longestMs: 0 });

  const esc = (v) =>
    String(v ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

  // -- dates in the operation's time zone ------------------------------------------------
  const formats = {};
  function parts(iso, tz, withDate) {
    const key = `${tz}|${withDate}`;
    const options = { timeZone: tz, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23", timeZoneName: "short" };
    if (withDate) Object.assign(options, { year: "numeric", month: "2-digit", day: "2-digit" });
    else options.fractionalSecondDigits = 3;
    let f = formats[key];
    if (!f) {
      try { f = formats[key] = new Intl.DateTimeFormat("en-CA", options); }
      catch { return null; } // an unknown zone: shown as sent
    }
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return null;
    return Object.fromEntries(f.formatToParts(d).map((p) => [p.type, p.value]));
  }
  function when(iso, tz = "UTC") {
    const p = parts(iso, tz, true);
    return p ? `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second} ${p.timeZoneName}` : String(iso);
  }
  function clockTime(iso, tz = "UTC") {
    const p = parts(iso, tz, false);
    return p ? `${p.hour}:${p.minute}:${p.second}.${p.fractionalSecond}` : String(iso);
  }
  // A journal row's time, short and in full. Formatting is the costly part of drawing a row, and
  // a busy journal has hundreds of rows in the same second: each second is formatted once.
  const seconds = new Map();
  function rowTime(iso, tz) {
    const d = new Date(iso);
    const ms = d.getTime();
    if (Number.isNaN(ms)) return [String(iso), String(iso)];
    const key = `${Math.floor(ms / 1000)}|${tz}`;
    let known = seconds.get(key);
    if (!known) {
      if (seconds.size > 2000) seconds.clear();
      const whole = new Date(Math.floor(ms / 1000) * 1000).toISOString();
      known = [clockTime(whole, tz).slice(0, -4), when(whole, tz)];
      seconds.set(key, known);
    }
    return [`${known[0]}.${String(((ms % 1000) + 1000) % 1000).padStart(3, "0")}`, known[1]];
  }

  // -- talking to the control plane ------------------------------------------------------
  let toastTimer = null;
  function toast(text, bad = false) {
    const el = $("toast");
    el.textContent = text;
    el.className = bad ? "bad" : "";
    el.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { el.hidden = true; }, bad ? 6000 : 2000);
  }
  async function control(method, path, body) {
    const init = { method, headers: {} };
    if (body !== undefined) {
      init.headers["content-type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const res = await fetch(base + path, init);
    const data = await res.json().catch(() => ({}));
    if (!res.ok) {
      toast(data.error ? `${data.error}: ${data.fix}` : `HTTP ${res.status}`, true);
      throw new Error(data.error || res.status);
    }
    refreshState();
    return data;
  }
  async function refreshState() {
    const res = await fetch(`${base}/inspector/state`);
    if (res.ok) showState(await res.json());
  }

  // -- the journal -------------------------------------------------------------------------
  function filters() {
    return {
      api: $("f-api").value.trim().toLowerCase(),
      token: $("f-token").value,
      status: $("f-status").value.trim().toLowerCase().replace(/x+$/, ""),
      text: $("f-text").value.trim().toLowerCase(),
    };
  }
  function passes(r, f) {
    return (!f.api || r.api.toLowerCase().includes(f.api))
      && (!f.token || r.token === f.token)
      && (!f.status || String(r.status).startsWith(f.status))
      && (!f.text || r.text.includes(f.text));
  }
  // One tab stop for the whole table (the focused row, else the newest): arrows move between rows.
  function rowHtml(r, tabStop) {
    const tz = zones[r.server] || "UTC";
    const [short, full] = rowTime(r.time, tz);
    const cls = `s${String(r.status)[0]}`;
    return `<tr tabindex="${tabStop ? 0 : -1}" data-seq="${r.seq}">`
      + `<td class="mono" title="${esc(full)}">${esc(short)}</td>`
      + `<td>${esc(r.method)}</td><td>${esc(r.api)}</td><td>${esc(r.server)}</td>`
      + `<td class="mono">${esc(r.token)}</td><td class="status ${cls}">${r.status}</td>`
      + `<td class="num">${r.duration_ms.toFixed(1)}</td><td class="fault">${esc(r.fault || "")}</td></tr>`;
  }
  // New rows wait while the list is in use (the pointer on it, a row focused) or paused: a row
  // must not move away under a click. Filters and clears are drawn at once all the same.
  function holding() {
    const tbody = document.querySelector("#journal tbody");
    return $("f-pause").checked || pointing || tbody.contains(document.activeElement);
  }
  function render() {
    timer = null;
    if (!dirty) return;
    if (!forced && holding()) {
      $("held").hidden = arrived === 0;
      $("held").textContent = `${arrived} new: shown when the pointer or the focus leaves the list (or on resume)`;
      return; // drawn again on pointerleave, focusout or unpause
    }
    dirty = false;
    forced = false;
    arrived = 0;
    $("held").hidden = true;
    lastRender = performance.now();
    stats.renders++;
    const f = filters();
    const out = [];
    let matching = 0;
    for (let i = rows.length - 1; i >= 0; i--) {
      if (passes(rows[i], f)) {
        matching++;
        if (out.length < SHOWN) out.push(rows[i]);
      }
    }
    const tbody = document.querySelector("#journal tbody");
    const focused = tbody.contains(document.activeElement) ? document.activeElement.dataset.seq : null;
    const stop = out.some((r) => String(r.seq) === focused) ? focused : String(out[0]?.seq);
    tbody.innerHTML = out.map((r) => rowHtml(r, String(r.seq) === stop)).join("");
    if (focused) tbody.querySelector(`tr[data-seq="${focused}"]`)?.focus({ preventScroll: true });
    $("empty").hidden = rows.length > 0;
    $("count").textContent = `${matching} of ${rows.length}${matching > SHOWN ? `, newest ${SHOWN} shown` : ""}`;
    $("skipped").hidden = skipped === 0;
    $("skipped").textContent = `${skipped} requests are not listed: the page is sent the newest 500 at a time`
      + ` (older ones when it opened, or more arrived at once). GET ${base}/requests has them all.`;
  }
  const draw = timed(render, 'draw');
  function schedule(force = false) {
    dirty = true;
    if (force === true) forced = true;
    if (timer) return;
    const wait = Math.max(0, lastRender + RENDER_MS - performance.now());
    timer = setTimeout(() => requestAnimationFrame(draw), wait);
  }
  function addEntries(data) {
    stats.messages++;
    stats.entries += data.entries.length;
    arrived += data.entries.length;
    for (const r of data.entries) {
      r.text = [r.method, r.path, r.api, r.server, r.token, r.status, r.error, r.hint, r.fault].join(" ").toLowerCase();
      rows.push(r);
    }
    if (rows.length > MAX_ROWS) rows = rows.slice(rows.length - MAX_ROWS);
    skipped += data.skipped;
    schedule();
  }
  function clearRows() {
    rows = [];
    skipped = 0;
    arrived = 0;
    schedule(true);
  }

  // -- one exchange ----------------------------------------------------------------------
  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }
  function pretty(text) {
    try { return JSON.stringify(JSON.parse(text), null, 2); } catch { return text; }
  }
  function list(pairs) {
    const dl = el("dl");
    for (const [k, v] of pairs) {
      if (v === null || v === undefined || v === "") continue;
      dl.append(el("dt", k), el("dd", String(v)));
    }
    return dl;
  }
  function bodyBlock(title, text, size, cut, id) {
    const frag = document.createDocumentFragment();
    frag.append(el("h3", `${title} (${size} bytes${cut ? ", cut" : ""})`));
    const pre = el("pre", text ? pretty(text) : "(empty)");
    pre.id = id;
    pre.tabIndex = 0;
    frag.append(pre);
    return frag;
  }
  async function openExchange(seq) {
    opener = seq;
    const res = await fetch(`${base}/inspector/requests/${seq}`);
    const data = await res.json();
    const box = $("detail-body");
    box.replaceChildren();
    if (!res.ok) {
      box.append(el("p", `${data.error}. ${data.fix}.`));
    } else {
      const { entry: e, exchange: x } = data;
      const tz = zones[e.server] || "UTC";
      $("detail-h").textContent = `${e.method} ${e.api || e.path} → ${e.status}`;
      const host = x ? (x.request_headers.find(([k]) => k === "host") || [])[1] : "";
      const url = `${host ? `${location.protocol}//${host}` : ""}${e.path}${x && x.query ? `?${x.query}` : ""}`;
      box.append(list([
        ["time", when(e.time, tz)], ["method", e.method], ["URL", url], ["server", e.server],
        ["token", e.token], ["status", e.status], ["duration", `${e.duration_ms} ms`],
        ["error", e.error], ["hint", e.hint], ["fault applied", e.fault || "none"],
      ]));
      if (!x) {
        box.append(el("p", "The headers and bodies of this call are no longer kept (only the newest ones are)."));
      } else {
        box.append(el("h3", "Request headers"), list(x.request_headers));
        box.append(bodyBlock("Request body", x.request_body, x.request_size, x.request_cut, "detail-request-body"));
        if (x.response_headers) {
          box.append(el("h3", "Answer headers"), list(x.response_headers));
          box.append(bodyBlock("Answer body", x.response_body, x.response_size, x.response_cut, "detail-response-body"));
        } else {
          box.append(el("p", "No answer was sent (the client left, or a transport fault reset the connection)."));
        }
      }
    }
    const dialog = $("detail");
    if (!dialog.open) dialog.showModal();
    $("detail-close").focus();
  }

  // -- the state -----------------------------------------------------------------------
  // Rebuilt only when the choices change: rebuilding closes a drop-down the user has open.
  function options(select, values, keepFirst = 1) {
    const signature = JSON.stringify(values);
    if (select.dataset.signature === signature) return;
    select.dataset.signature = signature;
    const current = select.value;
    while (select.options.length > keepFirst) select.remove(keepFirst);
    for (const [value, label] of values) select.add(new Option(label, value));
    if ([...select.options].some((o) => o.value === current)) select.value = current;
  }
  function tokenRow(t) {
    const hold = t.on_hold
      ? `<button type="button" class="small" data-key="hold-${esc(t.masked)}" data-release="${esc(t.token)}">Release${t.held ? ` (${t.held} waiting)` : ""}</button>`
      : `<button type="button" class="small" data-key="hold-${esc(t.masked)}" data-hold="${esc(t.token)}">Hold</button>`;
    return `<tr><td class="mono">${esc(t.masked)}${t.description ? ` <small>${esc(t.description)}</small>` : ""}</td>`
      + `<td><progress max="${t.limit}" value="${Math.min(t.used_today, t.limit)}" aria-label="quota used today"></progress> <small>${t.used_today} / ${t.limit}</small></td>`
      + `<td class="num">${t.in_flight} <small>peak ${t.peak}</small></td>`
      + `<td>${t.on_hold ? '<span class="badge hold">on hold</span> ' : ""}${hold}</td></tr>`;
  }
  function opHtml(op) {
    const badges = (op.in_maintenance ? ' <span class="badge bad">maintenance</span>' : "")
      + (op.module_enabled ? "" : ' <span class="badge bad">module disabled</span>');
    const agents = op.agents.map((a) => `<li class="${a.enabled ? "" : "off"}" title="${esc(a.name)}">${esc(a.agent_id)}</li>`).join("");
    const rps = op.routing_points.map((rp) => {
      const chips = rp.candidates.map((id) => `<li class="${id === rp.next_agent ? "next" : ""}">${esc(id)}</li>`).join("");
      return `<li><span>rp <b>${esc(rp.rp_id)}</b> ${esc(rp.name)}${rp.active ? "" : " <small>(inactive)</small>"}`
        + `<br><small>last ${esc(rp.last_agent || "none")}, next ${esc(rp.next_agent || "none")}</small></span>`
        + `<ul class="chips" aria-label="agents, round robin">${chips || "<li>no agent</li>"}</ul></li>`;
    }).join("");
    return `<article class="op"><h3>${esc(op.server)} ${esc(op.name)}${badges}</h3>`
      + `<small>${esc(op.timezone)} · today ${esc(op.today)} · ${op.licenses} licenses · now ${esc(when(state.now, op.timezone))}</small>`
      + `<table class="tokens"><thead><tr><th>token</th><th>quota today</th><th>in flight</th><th>hold</th></tr></thead>`
      + `<tbody>${op.tokens.map(tokenRow).join("")}</tbody></table>`
      + `<h3>Agents <small>${op.agents_total}</small></h3><ul class="chips">${agents || "<li>none</li>"}</ul>`
      + `<h3>Routing points</h3><ul class="items">${rps || "<li>none</li>"}</ul></article>`;
  }
  function keepFocus(container, draw) {
    const key = container.contains(document.activeElement) ? document.activeElement.dataset.key : null;
    draw();
    if (key) container.querySelector(`[data-key="${CSS.escape(key)}"]`)?.focus();
  }
  let pressing = false; // a pointer is down on the side panel: redraw after its click
  let waiting = null;
  function showState(s) {
    if (pressing) {
      waiting = s;
      return;
    }
    state = s;
    zones = Object.fromEntries(s.operations.map((op) => [op.server, op.timezone]));
    $("now").textContent = `${when(s.now)}${s.frozen ? " · frozen" : ""}`;
    $("clock-state").textContent = `${s.frozen ? "Frozen" : "Running"} at ${when(s.now)}`;
    keepFocus($("ops"), () => { $("ops").innerHTML = s.operations.map(opHtml).join("") || "<p>No operation: seed one.</p>"; });
    const tokens = s.operations.flatMap((op) => op.tokens);
    options($("f-token"), tokens.map((t) => [t.masked, t.masked]));
    options($("fault-token"), tokens.map((t) => [t.token, `${t.masked} (${t.description || "token"})`]));
    options($("window-server"), s.operations.map((op) => [op.server, op.server]));
    keepFocus($("faults"), () => {
      $("faults").innerHTML = s.faults.map((f) => `<li><span>${esc(describeFault(f))}</span>`
        + `<button type="button" class="small" data-key="fault-${esc(f.id)}" data-fault="${esc(f.id)}">Remove</button></li>`).join("");
    });
    keepFocus($("windows"), () => {
      $("windows").innerHTML = s.windows.map((w) => `<li><span>${esc(describeWindow(w))}</span>`
        + `<button type="button" class="small" data-key="window-${esc(w.id)}" data-window="${esc(w.id)}">Remove</button></li>`).join("");
    });
    $("interactions-count").textContent = `${s.interactions.total}`;
    document.querySelector("#interactions tbody").innerHTML = s.interactions.recent.map((i) => `<tr><td>${i.id}</td>`
      + `<td title="${esc(when(i.time, zones[i.server]))}">${esc(clockTime(i.time, zones[i.server] || "UTC"))}</td>`
      + `<td>${esc(i.server)}</td><td>${esc(i.rp_id)}</td><td>${esc(i.agent_id)}</td><td class="mono">${esc(i.token)}</td></tr>`).join("");
    schedule(); // the rows' times depend on the zones
  }
  function describeFault(f) {
    const what = [f.error && `error=${f.error}`, f.latency !== null && f.latency !== undefined && `latency=${f.latency}`, f.transport && `transport=${f.transport}`];
    const where = [f.api && `api=${f.api}`, f.token && `token=${f.token}`, f.server && `server=${f.server}`, f.times && `times=${f.times}`,
      f.probability !== undefined && f.probability !== 1 && `p=${f.probability}`];
    return `${f.id}: ${[...what, ...where].filter(Boolean).join(", ")}`;
  }
  function describeWindow(w) {
    const tz = zones[w.server] || "UTC";
    const span = w.daily ? `daily ${w.daily.join("-")} (operation's zone)` : `${w.start ? when(w.start, tz) : "now"} → ${w.end ? when(w.end, tz) : "until removed"}`;
    return `${w.id}: ${w.server || "every server"}, ${span}`;
  }

  // -- controls --------------------------------------------------------------------------
  function onSubmit(id, handler) {
    $(id).addEventListener("submit", (event) => {
      event.preventDefault();
      handler().catch(() => {});
    });
  }
  function wire() {
    $("reset").addEventListener("click", () => control("POST", "/reset").then(() => { clearRows(); toast("Reset"); }).catch(() => {}));
    $("clear-journal").addEventListener("click", () => control("DELETE", "/requests").then(clearRows).catch(() => {}));
    $("freeze").addEventListener("click", () => control("POST", "/clock/freeze", {}).catch(() => {}));
    $("unfreeze").addEventListener("click", () => control("POST", "/clock/unfreeze").catch(() => {}));
    onSubmit("advance-form", () => control("POST", "/clock/advance", { [$("advance-unit").value]: Number($("advance-n").value) }));
    onSubmit("set-form", () => control("POST", "/clock/set", { at: $("set-at").value.trim() }));
    onSubmit("fault-form", async () => {
      const body = {};
      for (const key of ["error", "api", "token", "transport"]) if ($(`fault-${key}`).value) body[key] = $(`fault-${key}`).value;
      if ($("fault-times").value) body.times = Number($("fault-times").value);
      const latency = $("fault-latency").value.trim();
      if (latency) body.latency = latency.includes("-") ? latency.split("-").map(Number) : Number(latency);
      const p = $("fault-probability").value;
      if (p !== "" && Number(p) !== 1) body.probability = Number(p);
      const made = await control("POST", "/faults", body);
      toast(`Fault ${made.fault.id} added`);
    });
    onSubmit("window-form", async () => {
      const body = {};
      if ($("window-server").value) body.server = $("window-server").value;
      if ($("window-seconds").value) body.seconds = Number($("window-seconds").value);
      if ($("window-daily").value.trim()) body.daily = $("window-daily").value.trim();
      if ($("window-message").value.trim()) body.message = $("window-message").value.trim();
      const made = await control("POST", "/maintenance", body);
      toast(`Window ${made.window.id} opened`);
    });
    $("faults-clear").addEventListener("click", () => control("DELETE", "/faults").catch(() => {}));
    $("windows-clear").addEventListener("click", () => control("DELETE", "/maintenance").catch(() => {}));
    $("side").addEventListener("click", (event) => {
      const b = event.target.closest("button");
      if (!b) return;
      const d = b.dataset;
      const path = d.hold ? ["POST", `/holds/${encodeURIComponent(d.hold)}`]
        : d.release ? ["DELETE", `/holds/${encodeURIComponent(d.release)}`]
        : d.fault ? ["DELETE", `/faults/${encodeURIComponent(d.fault)}`]
        : d.window ? ["DELETE", `/maintenance/${encodeURIComponent(d.window)}`] : null;
      if (path) control(...path).catch(() => {});
    });
    for (const id of ["f-api", "f-token", "f-status", "f-text", "f-pause"]) $(id).addEventListener("input", () => schedule(true));
    const list = document.querySelector("#requests .scroll");
    list.addEventListener("pointerenter", () => { pointing = true; });
    list.addEventListener("pointerleave", () => { pointing = false; schedule(); });
    list.addEventListener("focusout", () => setTimeout(schedule)); // once the focus has moved
    $("filters").addEventListener("submit", (event) => event.preventDefault());
    const tbody = document.querySelector("#journal tbody");
    tbody.addEventListener("click", (event) => {
      const tr = event.target.closest("tr[data-seq]");
      if (tr) openExchange(tr.dataset.seq);
    });
    tbody.addEventListener("keydown", (event) => {
      const tr = event.target.closest("tr[data-seq]");
      if (!tr) return;
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); openExchange(tr.dataset.seq); }
      const next = { ArrowDown: tr.nextElementSibling, ArrowUp: tr.previousElementSibling,
        Home: tbody.firstElementChild, End: tbody.lastElementChild }[event.key];
      if (next) {
        event.preventDefault();
        tr.tabIndex = -1;
        next.tabIndex = 0;
        next.focus();
      }
    });
    $("detail-close").addEventListener("click", () => $("detail").close());
    $("side").addEventListener("pointerdown", () => { pressing = true; });
    const released = () => {
      pressing = false;
      // After the click event this pointerup leads to, not before: its button must still be there.
      setTimeout(() => { if (waiting) { const s = waiting; waiting = null; showState(s); } });
    };
    for (const name of ["pointerup", "pointercancel", "blur"]) window.addEventListener(name, released);
    // Back to the row (redrawn since, maybe: found again by its seq).
    $("detail").addEventListener("close", () => document.querySelector(`#journal tr[data-seq="${opener}"]`)?.focus());
  }

  async function loadCatalogue() {
    const res = await fetch(`${base}/inspector/catalogue`);
    if (!res.ok) return;
    const cat = await res.json();
    $("apis").replaceChildren(...cat.apis.map((a) => new Option(a)));
    options($("fault-api"), cat.apis.map((a) => [a, a]));
    options($("fault-error"), cat.errors.map((e) => [e, e]));
    options($("fault-transport"), cat.transports.map((t) => [t, t]));
  }

  // The longest the page's own work kept the main thread (a draw, a message), for the tests.
  function timed(work, name) {
    return (...args) => {
      const start = performance.now();
      try { return work(...args); } finally {
        const took = performance.now() - start;
        stats.longestMs = Math.max(stats.longestMs, took);
        stats[`${name}Ms`] = Math.max(stats[`${name}Ms`] || 0, took);
      }
    };
  }
  function connect() {
    const source = new EventSource(`${base}/inspector/events`);
    const live = $("live");
    source.addEventListener("open", () => { stats.connects++; live.textContent = "live"; live.className = "on"; });
    source.addEventListener("error", () => { live.textContent = "reconnecting…"; live.className = "off"; });
    source.addEventListener("requests", timed((e) => addEntries(JSON.parse(e.data)), 'requests'));
    source.addEventListener("clear", clearRows);
    source.addEventListener("state", timed((e) => showState(JSON.parse(e.data)), 'state'));
  }

  wire();
  loadCatalogue();
  connect();
  schedule();
})();
