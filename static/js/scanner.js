/* The door scanner: camera (BarcodeDetector, else the vendored jsQR), typed codes, name
 * search, walk-ins, pouches, and offline work.
 *
 * Offline model: the attendee list of this event (hashed codes, first names, groups, party,
 * table, status, checked-in flag, end of the ticket code) is kept in localStorage until it
 * expires, and fetched again only when it changed (its version goes along as If-None-Match).
 * Scans and walk-ins made without network are queued there, each with its nonce, and sent
 * when the network returns (scans in one batch, walk-ins one by one); the server answers each
 * on its own. What the server refused (a 4xx) leaves the queue with a notice and is never
 * sent again; only a network failure, a 5xx or a lost sign-in keeps it queued. The server
 * decides: the earliest scan wins, and every device involved in a duplicate learns it from
 * the duplicates address. All addresses and sentences come in #scan-data.
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("scan-data").textContent);
  var S = data.strings;
  var API = data.api; // the API's addresses, from the route names; "{id}" marks a registration
  var PREFIX = "door:" + data.event_id + ":";
  var CACHE = "door-v2";
  var WARN = ["already_checked_in", "waitlisted", "awaiting_guardian", "group_full", "walk_in_queued"];
  var ICONS = { ok: "✓", warn: "!", bad: "✕", idle: "▢" };

  function $(id) { return document.getElementById(id); }
  function forId(template, id) { return template.replace("{id}", encodeURIComponent(String(id))); }
  // Longer than a check-in takes on a slow connection, shorter than a queue at the door
  // forgives; past it the device answers from its own list and syncs later (same nonce).
  var SCAN_TIMEOUT_MS = 2500;

  // --- storage on this device ------------------------------------------------------------

  function load(name, fallback) {
    try {
      var raw = localStorage.getItem(PREFIX + name);
      return raw ? JSON.parse(raw) : fallback;
    } catch (e) { return fallback; }
  }
  function store(name, value) { localStorage.setItem(PREFIX + name, JSON.stringify(value)); }

  function purgeExpiredLists() {
    var now = Date.now();
    for (var i = localStorage.length - 1; i >= 0; i--) {
      var key = localStorage.key(i);
      if (!key || !/^door:\d+:list$/.test(key)) continue;
      try {
        var value = JSON.parse(localStorage.getItem(key));
        if (!value || Date.parse(value.expires_at) < now) localStorage.removeItem(key);
      } catch (e) { localStorage.removeItem(key); }
    }
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  var deviceId = localStorage.getItem("door:device");
  if (!deviceId) {
    deviceId = "dev-" + newId().slice(0, 8);
    localStorage.setItem("door:device", deviceId);
  }
  purgeExpiredLists();
  var list = load("list", null);
  var queue = load("queue", []);
  var online = navigator.onLine;
  var current = null; // {result, scan}

  // --- small helpers ---------------------------------------------------------------------

  function fmt(template, params) {
    return template.replace(/%\((\w+)\)s/g, function (m, key) {
      return params[key] === undefined || params[key] === null ? "" : String(params[key]);
    });
  }
  function normalise(typed) {
    var tail = typed.trim().replace(/\/+$/, "").split("/").pop();
    return tail.toUpperCase().replace(/[^\p{L}\p{N}]/gu, "");
  }
  function fold(text) { return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase(); }
  function nameMatches(name, query) {
    var wanted = fold(query).trim();
    if (!wanted) return false;
    var folded = fold(name);
    return folded.indexOf(wanted) === 0 || folded.replace(/-/g, " ").split(/\s+/).some(
      function (word) { return word.indexOf(wanted) === 0; });
  }
  var clock = new Intl.DateTimeFormat(data.locale, {
    hour: "2-digit", minute: "2-digit", timeZone: data.timezone
  });
  var dayFormat = new Intl.DateTimeFormat(data.locale, {
    weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit",
    timeZone: data.timezone
  });
  function time(iso) { return iso ? clock.format(new Date(iso)) : ""; }

  async function codeHash(code) {
    var bytes = new TextEncoder().encode(data.event_id + ":" + code);
    var digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
    return Array.from(digest, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }

  // --- network ---------------------------------------------------------------------------

  // Bad Wi-Fi rarely fails fast: a request that takes longer than `timeout` ms is given up
  // (an AbortError, handled like being offline), so the door never waits on the network.
  async function api(method, url, body, timeout, headers) {
    var options = {
      method: method,
      credentials: "same-origin",
      headers: Object.assign({ "Accept": "application/json", "X-CSRF-Token": data.csrf }, headers)
    };
    if (timeout) {
      var controller = new AbortController();
      setTimeout(function () { controller.abort(); }, timeout);
      options.signal = controller.signal;
    }
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    var response = await fetch(url, options); // a TypeError when offline
    var json = null;
    try { json = await response.json(); } catch (e) { json = null; }
    setOnline(true);
    return { status: response.status, json: json };
  }

  function setOnline(value) {
    online = value;
    renderNetwork();
  }

  var plurals = new Intl.PluralRules(data.locale);
  function plural(forms, num) { return fmt(forms[plurals.select(num) === "one" ? 0 : 1], { num: num }); }

  // What the server must still hear: check-ins (scans, walk-ins) and pouch numbers.
  function renderNetwork() {
    var box = $("door-network");
    box.dataset.online = online ? "true" : "false";
    $("door-network-word").textContent = online ? S.online : S.offline;
    var checkIns = queue.filter(function (item) { return item.kind !== "pouch"; }).length;
    var q = $("door-queue");
    q.dataset.count = String(queue.length);
    q.textContent = checkIns ? plural(S.waiting, checkIns) : queue.length ? S.pouches_waiting : S.all_synced;
  }

  // A refused request (4xx) is final: sending it again gives the same answer. A lost sign-in
  // (401), a stale page token (403), a time-out (408) or a busy server (429, 5xx) is not.
  function settled(status) {
    return (status >= 200 && status < 300) ||
      (status >= 400 && status < 500 && [401, 403, 408, 429].indexOf(status) < 0);
  }

  // --- the attendee list on this device --------------------------------------------------

  function findLocal(registrationId) {
    if (!list) return null;
    for (var i = 0; i < list.attendees.length; i++) {
      if (list.attendees[i].registration_id === registrationId) return list.attendees[i];
    }
    return null;
  }

  async function findByCode(code) {
    if (!list) return null;
    var hash = await codeHash(code);
    for (var i = 0; i < list.attendees.length; i++) {
      if (list.attendees[i].code_hash === hash) return list.attendees[i];
    }
    return null;
  }

  function saveList() { if (list) store("list", list); renderPresent(); refreshHits(); }

  // A stored table plan shows in the list as tables; someone without one (a walk-in, a late
  // sign-up) then needs a chair found by hand.
  function planStored() {
    return !!list && list.attendees.some(function (a) { return !!a.table; });
  }

  function renderPresent() {
    if (!list) return;
    var expected = 0;
    var present = 0;
    list.attendees.forEach(function (a) {
      if (a.status === "confirmed" || a.status === "awaiting_guardian") expected++;
      if (a.checked_in) present++;
    });
    $("door-present").textContent = fmt(S.present_count, { present: present, expected: expected });
  }

  // Fetched again only when it changed: the server answers 304 to the version we have.
  async function refreshList() {
    try {
      var known = list && list.version ? { "If-None-Match": '"' + list.version + '"' } : undefined;
      var r = await api("GET", API.attendees, undefined, 0, known);
      if (r.status !== 200) return;
      var fresh = r.json;
      if (list) {
        list.attendees.forEach(function (old) {
          if (old.local_at && old.local_pending) {
            var now = fresh.attendees.find(function (a) { return a.registration_id === old.registration_id; });
            if (now) { now.checked_in = true; now.local_at = old.local_at; now.local_pending = true; }
          }
        });
      }
      list = fresh;
      saveList();
    } catch (e) { setOnline(false); }
  }

  // --- feedback --------------------------------------------------------------------------

  var audio = null;
  function signal(good) {
    try {
      var Context = window.AudioContext || window.webkitAudioContext;
      audio = audio || new Context();
      var tones = good ? [[880, 0, 0.12]] : [[220, 0, 0.18], [220, 0.25, 0.18]];
      tones.forEach(function (tone) {
        var osc = audio.createOscillator();
        var gain = audio.createGain();
        osc.type = "sine";
        osc.frequency.value = tone[0];
        gain.gain.value = 0.2;
        osc.connect(gain);
        gain.connect(audio.destination);
        osc.start(audio.currentTime + tone[1]);
        osc.stop(audio.currentTime + tone[1] + tone[2]);
      });
    } catch (e) { /* no sound on this device */ }
    if (navigator.vibrate) navigator.vibrate(good ? 80 : [200, 100, 200]);
  }

  function kindOf(outcome) {
    if (outcome === "ok") return "ok";
    return WARN.indexOf(outcome) >= 0 ? "warn" : "bad";
  }

  var undoTimer = null;

  function isTyping() {
    var el = document.activeElement;
    return !!el && /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName) && el.type !== "checkbox";
  }

  // The panel sits above the forms: after a check-in started further down (name search,
  // walk-in) it is off-screen, so bring it into view and move focus to it (a screen reader
  // reads it). A camera scan does not pull the host out of a field they are typing in.
  function reveal(via) {
    if (via === "camera" && isTyping()) return;
    var panel = $("door-result");
    panel.scrollIntoView({ block: "nearest" });
    panel.focus({ preventScroll: true });
  }

  // `quiet`: an answer that arrived later (a sync), shown without a sound or a jump.
  function show(result, scan, quiet) {
    current = { result: result, scan: scan };
    var kind = kindOf(result.outcome);
    var panel = $("door-result");
    panel.className = "door-result door-result-" + kind;
    panel.dataset.outcome = result.outcome;
    $("door-icon").textContent = ICONS[kind];
    $("door-outcome").textContent = S[result.outcome] || result.outcome;
    var a = result.attendee;
    $("door-name").textContent = a ? a.first_name : "";
    var lines = [];
    if (a) {
      lines.push(S["group_" + a.group] || a.group);
      if (a.party_lead && a.party_size > 1) lines.push(fmt(S.party, { name: a.party_lead, num: a.party_size }));
      if (a.table) lines.push(fmt(S.table, { num: a.table }));
      else if (result.outcome === "ok" && planStored()) lines.push(S.no_table);
    }
    if (result.outcome === "already_checked_in" && result.checked_in_at) {
      var mine = result.device_id === deviceId;
      lines.push(fmt(mine ? S.at_time_this_device : S.at_time_other_device, { time: time(result.checked_in_at) }));
    }
    if (result.outcome === "wrong_event" && result.other_event) {
      lines.push(fmt(S.for_event, {
        title: result.other_event.title,
        day: dayFormat.format(new Date(result.other_event.starts_at))
      }));
    }
    if (result.outcome === "unknown_ticket" && result.local) lines.push(S.unknown_offline);
    if (result.outcome === "waitlisted" || result.outcome === "awaiting_guardian") lines.push(S.admit_hint);
    $("door-details").textContent = lines.join("\n");

    var actions = $("door-actions");
    var present = a && a.registration_id && (result.outcome === "ok" || result.outcome === "already_checked_in");
    var admittable = a && (result.outcome === "waitlisted" || result.outcome === "awaiting_guardian" || result.outcome === "group_full");
    actions.hidden = !(present || admittable || result.outcome === "walk_in_queued");
    $("door-pouch-form").hidden = !present;
    $("door-pouch").value = result.pouch || "";
    $("door-action-msg").textContent = "";
    var admit = $("door-admit");
    admit.hidden = !admittable || (result.outcome === "group_full" && !result.walk_in);
    admit.textContent = result.walk_in ? S.admit_anyway : S.admit;
    var undo = $("door-undo");
    clearTimeout(undoTimer);
    var left = result.outcome === "ok" && result.device_id === deviceId && result.checked_in_at
      ? data.undo_seconds * 1000 - (Date.now() - Date.parse(result.checked_in_at)) : 0;
    if (result.outcome === "walk_in_queued") left = data.undo_seconds * 1000;
    undo.hidden = left <= 0;
    if (left > 0) undoTimer = setTimeout(function () { undo.hidden = true; }, left);
    if (!quiet) { signal(kind === "ok"); reveal(scan.via); }
    refreshHits();
  }

  function note(text) {
    $("door-action-msg").textContent = text;
  }

  // The server's answer into the list on this device; `later`: the caller saves the list
  // once after many answers (a synced batch) instead of once per answer.
  function applyResult(result, later) {
    var a = result.attendee;
    if (!a || !list) return;
    var local = findLocal(a.registration_id);
    if (!local) return;
    local.status = a.status;
    local.local_pending = false;
    if (result.outcome === "ok" || result.outcome === "already_checked_in") local.checked_in = true;
    if (!later) saveList();
  }

  // --- check-in --------------------------------------------------------------------------

  async function localOutcome(scan) {
    var a = scan.registration_id !== null ? findLocal(scan.registration_id) : await findByCode(scan.code);
    if (!a) return { outcome: "unknown_ticket", local: true };
    var refused = { cancelled: "cancelled", waitlisted: "waitlisted", awaiting_guardian: "awaiting_guardian" }[a.status];
    if (refused) return { outcome: refused, attendee: a, local: true };
    if (a.checked_in) {
      return { outcome: "already_checked_in", attendee: a, checked_in_at: a.local_at || null,
               device_id: a.local_at ? deviceId : "", local: true };
    }
    a.checked_in = true;
    a.local_at = scan.scanned_at;
    a.local_pending = true;
    saveList();
    return { outcome: "ok", attendee: a, checked_in_at: scan.scanned_at, device_id: deviceId, local: true };
  }

  async function checkIn(what) {
    var scan = {
      nonce: newId(),
      code: what.code || "",
      registration_id: what.registration_id === undefined ? null : what.registration_id,
      device_id: deviceId,
      scanned_at: new Date().toISOString(),
      pouch: "",
      admit: !!what.admit
    };
    var via = what.via || "";
    if (online) {
      try {
        var r = await api("POST", API.checkin, scan, SCAN_TIMEOUT_MS);
        if (r.status === 200) { applyResult(r.json); show(r.json, Object.assign({ via: via }, scan)); return; }
        showError(r, via);
        return;
      } catch (e) { setOnline(false); }
    }
    if (scan.admit) { note(S.needs_network); return; }
    var result = await localOutcome(scan);
    queue.push(Object.assign({ kind: "scan" }, scan));
    store("queue", queue);
    renderNetwork();
    show(result, Object.assign({ via: via }, scan));
  }

  // Back to "ready": nothing on the panel is true any more (an undone check-in).
  function resetPanel(text) {
    current = null;
    clearTimeout(undoTimer);
    var panel = $("door-result");
    panel.className = "door-result door-result-idle";
    panel.dataset.outcome = "idle";
    $("door-icon").textContent = ICONS.idle;
    $("door-outcome").textContent = text;
    $("door-name").textContent = "";
    $("door-details").textContent = "";
    $("door-actions").hidden = true;
    refreshHits();
  }

  function showError(r, via) {
    var message = r.json && r.json.error ? r.json.error.message : String(r.status);
    var panel = $("door-result");
    panel.className = "door-result door-result-bad";
    panel.dataset.outcome = "error";
    $("door-icon").textContent = ICONS.bad;
    $("door-outcome").textContent = message;
    $("door-name").textContent = "";
    $("door-details").textContent = "";
    $("door-actions").hidden = true;
    signal(false);
    reveal(via);
  }

  // --- sync ------------------------------------------------------------------------------

  var syncing = false;
  var BATCH = 100; // scans per request: well under the server's limit
  var RETRY = ["server_error", "try_again"]; // per-scan answers worth sending again later

  function withoutKind(item) {
    var copy = Object.assign({}, item);
    delete copy.kind;
    return copy;
  }

  function drop(items) {
    queue = queue.filter(function (item) { return items.indexOf(item) < 0; });
    store("queue", queue);
  }

  // Each scan is answered on its own; one the server refused is answered too (and leaves the
  // queue), so a bad scan never holds up the others.
  async function syncScans() {
    var scans = queue.filter(function (item) { return item.kind === "scan"; });
    for (var start = 0; start < scans.length; start += BATCH) {
      var chunk = scans.slice(start, start + BATCH);
      var r = await api("POST", API.batch, { scans: chunk.map(withoutKind) });
      if (r.status !== 200) {
        if (settled(r.status)) { drop(chunk); addNotice(fmt(S.scans_refused, { reason: reason(r) }), "bad"); }
        return;
      }
      var answered = {};
      r.json.results.forEach(function (result) {
        if (RETRY.indexOf(result.outcome) >= 0) return;
        answered[result.nonce] = true;
        applyResult(result, true);
      });
      saveList();
      drop(chunk.filter(function (item) { return answered[item.nonce]; }));
    }
  }

  // Walk-ins one by one, each with the nonce it got on this device: sent twice, the server
  // answers from the first time. The same capacity rule as online applies on arrival.
  async function syncWalkIns() {
    var walkIns = queue.filter(function (item) { return item.kind === "walk_in"; });
    for (var i = 0; i < walkIns.length; i++) {
      var r = await api("POST", API.walkins, withoutKind(walkIns[i]));
      if (!settled(r.status)) continue;
      drop([walkIns[i]]);
      walkInNotice(walkIns[i], r);
      if (current && current.scan.nonce === walkIns[i].nonce) { // still on the panel
        if (r.status === 200 && r.json.outcome === "ok") show(r.json, current.scan, true);
        else resetPanel(S.ready);
      }
    }
  }

  async function syncPouches() {
    var pouches = queue.filter(function (item) { return item.kind === "pouch"; });
    for (var i = 0; i < pouches.length; i++) {
      var p = await api("POST", forId(API.pouch, pouches[i].registration_id), { pouch: pouches[i].pouch });
      if (settled(p.status)) drop([pouches[i]]);
    }
  }

  async function sync() {
    if (syncing) return;
    syncing = true;
    try {
      await syncScans();
      await syncWalkIns();
      await syncPouches();
    } catch (e) {
      setOnline(false);
    } finally {
      syncing = false;
      renderNetwork();
    }
    if (online) {
      await refreshList();
      await checkDuplicates();
      await refreshPouches();
    }
  }

  // --- notices: what happened to work done offline ----------------------------------------

  function reason(r) {
    return r.json && r.json.error ? r.json.error.message : String(r.status);
  }

  function addNotice(text, kind, action) {
    var ul = $("door-notices");
    var li = document.createElement("li");
    li.className = "door-notice door-notice-" + kind;
    if (kind === "bad") li.setAttribute("role", "alert");
    var words = document.createElement("span");
    words.textContent = text + " ";
    li.appendChild(words);
    if (action) li.appendChild(action);
    var close = document.createElement("button");
    close.type = "button";
    close.className = "button";
    close.textContent = S.dismiss;
    close.setAttribute("aria-label", S.dismiss + ": " + text);
    close.addEventListener("click", function () { li.remove(); ul.hidden = !ul.children.length; });
    li.appendChild(close);
    ul.appendChild(li);
    ul.hidden = false;
    return li;
  }

  function walkInNotice(walk, r) {
    var name = walk.first_name;
    var outcome = r.status === 200 ? r.json.outcome : "";
    if (outcome === "ok" || outcome === "already_checked_in") {
      addNotice(fmt(S.walk_in_synced, { name: name }), "ok");
    } else if (outcome === "waitlisted" && r.json.attendee) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button-primary";
      button.textContent = S.admit_anyway;
      button.setAttribute("aria-label", S.admit_anyway + ": " + name);
      var li = addNotice(fmt(S.walk_in_full, { name: name }), "warn", button);
      button.addEventListener("click", async function () {
        if (await admitWalkIn(r.json.attendee.registration_id)) li.remove();
      });
    } else {
      addNotice(fmt(S.walk_in_refused, { name: name, reason: outcome ? S[outcome] || outcome : reason(r) }), "bad");
    }
  }

  async function checkDuplicates() {
    try {
      var r = await api("GET", API.duplicates + "?device_id=" + encodeURIComponent(deviceId));
      if (r.status !== 200) return;
      var box = $("door-duplicates");
      var lines = r.json.duplicates.map(function (d) {
        return fmt(S.duplicate, { name: d.first_name, time: time(d.checked_in_at) });
      });
      box.textContent = lines.join(" ");
      box.hidden = !lines.length;
    } catch (e) { setOnline(false); }
  }

  // --- actions on the result panel -------------------------------------------------------

  async function savePouch(event) {
    event.preventDefault();
    if (!current || !current.result.attendee) return;
    var value = $("door-pouch").value.trim();
    var id = current.result.attendee.registration_id;
    var queued = queue.find(function (item) { return item.kind === "scan" && item.nonce === current.scan.nonce; });
    if (queued) {
      queued.pouch = value;
      store("queue", queue);
      note(S.pouch_saved);
      return;
    }
    try {
      if (!online) throw new TypeError("offline");
      var r = await api("POST", forId(API.pouch, id), { pouch: value });
      if (r.status === 200) { note(S.pouch_saved); refreshPouches(); } else { showError(r); }
    } catch (e) {
      setOnline(false);
      queue.push({ kind: "pouch", registration_id: id, pouch: value });
      store("queue", queue);
      renderNetwork();
      note(S.pouch_saved);
    }
  }

  // A check-in or walk-in still in the queue is simply taken out of it (offline too); one
  // the server has needs the network.
  async function undo() {
    if (!current) return;
    var nonce = current.scan.nonce;
    var queued = queue.findIndex(function (item) { return item.kind !== "pouch" && item.nonce === nonce; });
    var a = current.result.attendee;
    var local = a && a.registration_id ? findLocal(a.registration_id) : null;
    if (queued >= 0) {
      queue.splice(queued, 1);
      store("queue", queue);
      renderNetwork();
    } else {
      if (!a || !a.registration_id) return;
      try {
        var r = await api("POST", forId(API.undo, a.registration_id), {});
        if (r.status !== 200) { showError(r); return; }
      } catch (e) { setOnline(false); note(S.needs_network); return; }
    }
    if (local) { local.checked_in = false; local.local_at = null; local.local_pending = false; saveList(); }
    resetPanel(S.undone);
  }

  async function admitWalkIn(id) {
    try {
      var r = await api("POST", forId(API.admit_walkin, id), { nonce: newId(), device_id: deviceId });
      if (r.status !== 200) { showError(r); return false; }
      show(r.json, { nonce: "", via: "walk_in" });
      refreshList();
      return true;
    } catch (e) { setOnline(false); note(S.needs_network); return false; }
  }

  async function admit() {
    if (!current || !current.result.attendee) return;
    var id = current.result.attendee.registration_id;
    if (!online) { note(S.needs_network); return; }
    if (current.result.walk_in) { await admitWalkIn(id); return; }
    await checkIn({ registration_id: id, admit: true });
  }

  // --- typed codes, names, walk-ins, pouches ---------------------------------------------

  function onCode(event) {
    event.preventDefault();
    var input = $("door-code");
    var code = normalise(input.value);
    if (!code) return;
    input.value = "";
    checkIn({ code: code, via: "code" });
  }

  var shownHits = null; // what the name list shows now, to skip re-drawing an unchanged list

  var names = Intl.ListFormat ? new Intl.ListFormat(data.locale, { type: "conjunction" }) : null;

  // What tells namesakes apart: group, status, who they came with, the end of the code.
  function tellApart(a) {
    var bits = [S["group_" + a.group] || a.group];
    if (a.status !== "confirmed") bits.push(S["status_" + a.status] || a.status);
    var others = a.came_with || [];
    if (others.length) bits.push(fmt(S.came_with, { names: names ? names.format(others) : others.join(", ") }));
    if (a.code_tail) bits.push(fmt(S.code_tail, { tail: a.code_tail }));
    return bits;
  }

  function renderHits(hits) {
    var ul = $("door-search-results");
    var drawn = JSON.stringify(hits.map(function (a) { return [a.registration_id, a.status, !!a.checked_in]; }));
    if (drawn === shownHits && ul.childNodes.length) return; // keeps focus on a button
    shownHits = drawn;
    ul.textContent = "";
    if (!hits.length) {
      var none = document.createElement("li");
      none.textContent = S.no_match;
      ul.appendChild(none);
      return;
    }
    hits.forEach(function (a) {
      var li = document.createElement("li");
      var label = document.createElement("span");
      label.className = "door-hit-name";
      var name = document.createElement("strong");
      name.textContent = a.first_name;
      label.appendChild(name);
      label.appendChild(document.createTextNode(" · " + tellApart(a).join(" · ")));
      li.appendChild(label);
      if (a.checked_in) {
        var inside = document.createElement("span");
        inside.className = "door-already-in";
        inside.textContent = S.already_in;
        li.dataset.checkedIn = "true";
        li.appendChild(inside);
      } else {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "button";
        button.textContent = S.check_in;
        var who = a.code_tail ? fmt(S.name_and_tail, { name: a.first_name, tail: a.code_tail }) : a.first_name;
        button.setAttribute("aria-label", S.check_in + ": " + who);
        button.addEventListener("click", function () {
          checkIn({ registration_id: a.registration_id, via: "name" });
        });
        li.appendChild(button);
      }
      ul.appendChild(li);
    });
  }

  // After a check-in, an undo or a fresh list: show the current hits as they are now.
  function refreshHits() {
    if (fold($("door-search").value).trim()) onSearch();
  }

  async function onSearch() {
    var query = $("door-search").value;
    if (!fold(query).trim()) { $("door-search-results").textContent = ""; shownHits = null; return; }
    if (list) {
      var exact = fold(query).trim();
      var hits = list.attendees.filter(function (a) { return nameMatches(a.first_name, query); });
      hits.sort(function (x, y) { return (fold(x.first_name) !== exact) - (fold(y.first_name) !== exact); });
      renderHits(hits.slice(0, 20)); // exact names first, then as listed (by name)
      return;
    }
    try {
      var r = await api("GET", API.search + "?q=" + encodeURIComponent(query));
      if (r.status === 200) renderHits(r.json.attendees);
    } catch (e) { setOnline(false); }
  }

  // Online the server answers at once; offline (or on no answer in time) the walk-in waits
  // in the queue with its nonce and the time it was added, and is checked in on sync.
  async function onWalkIn(event) {
    event.preventDefault();
    var form = event.target;
    var walk = {
      first_name: form.first_name.value.trim(),
      group: form.group.value,
      email: form.email.value.trim(),
      override: form.override.checked,
      nonce: newId(),
      device_id: deviceId,
      scanned_at: new Date().toISOString()
    };
    var scan = { nonce: walk.nonce, via: "walk_in" };
    if (online) {
      try {
        var r = await api("POST", API.walkins, walk, SCAN_TIMEOUT_MS);
        if (r.status === 200) {
          var result = r.json;
          if (result.outcome === "waitlisted") { result.walk_in = true; result.outcome = "group_full"; }
          form.reset();
          show(result, scan);
          refreshList();
          return;
        }
        if (settled(r.status)) { showError(r, "walk_in"); return; }
      } catch (e) { setOnline(false); }
    }
    queue.push(Object.assign({ kind: "walk_in" }, walk));
    store("queue", queue);
    renderNetwork();
    form.reset();
    var pending = { first_name: walk.first_name, group: walk.group, registration_id: null };
    show({ outcome: "walk_in_queued", attendee: pending, local: true }, scan);
  }

  async function refreshPouches() {
    try {
      var r = await api("GET", API.pouches);
      if (r.status !== 200) return;
      var ul = $("door-pouches");
      ul.textContent = "";
      if (!r.json.pouches.length) {
        var none = document.createElement("li");
        none.textContent = S.no_pouches;
        ul.appendChild(none);
      }
      r.json.pouches.forEach(function (p) {
        var li = document.createElement("li");
        var label = document.createElement("span");
        label.textContent = p.pouch + " · " + p.first_name;
        var button = document.createElement("button");
        button.type = "button";
        button.className = "button";
        button.textContent = S.phone_returned;
        button.setAttribute("aria-label", S.phone_returned + ": " + p.first_name + " (" + p.pouch + ")");
        button.addEventListener("click", async function () {
          try {
            var done = await api("POST", forId(API.checkout, p.registration_id), {});
            if (done.status === 200) refreshPouches(); else showError(done);
          } catch (e) { setOnline(false); note(S.needs_network); }
        });
        li.appendChild(label);
        li.appendChild(button);
        ul.appendChild(li);
      });
    } catch (e) { setOnline(false); }
  }

  // --- camera ----------------------------------------------------------------------------

  var video = $("door-video");
  var canvas = $("door-canvas");
  var detector = null;
  var lastCode = "";
  var lastSeen = 0;
  var lastTick = 0;
  var busy = false;
  window.scanInfo = { decoder: null, decoded: 0 };

  function loadJsQR() {
    return new Promise(function (resolve, reject) {
      if (window.jsQR) { resolve(); return; }
      var script = document.createElement("script");
      script.src = data.jsqr;
      script.onload = function () { resolve(); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  var stream = null;   // the running camera, or null
  var ticking = false; // one decoding loop at a time

  // One button starts the camera and, while it runs, stops it.
  var starting = false;
  function toggleCamera() {
    if (starting) return; // the first press is still being answered
    if (stream) stopCamera(); else startCamera();
  }

  function stopCamera() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.srcObject = null;
    $("door-camera-start").textContent = S.camera_start;
  }

  async function startCamera() {
    var state = $("door-camera-state");
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { state.textContent = S.camera_off; return; }
    starting = true;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
      video.srcObject = stream;
      await video.play();
      if ("BarcodeDetector" in window) {
        try {
          var formats = await window.BarcodeDetector.getSupportedFormats();
          if (formats.indexOf("qr_code") >= 0) detector = new window.BarcodeDetector({ formats: ["qr_code"] });
        } catch (e) { detector = null; }
      }
      if (!detector) await loadJsQR();
      window.scanInfo.decoder = detector ? "BarcodeDetector" : "jsQR";
      $("door-camera-start").textContent = S.camera_stop;
      state.textContent = "";
      if (!ticking) { ticking = true; requestAnimationFrame(tick); }
    } catch (e) {
      stopCamera();
      state.textContent = S.camera_off;
    } finally {
      starting = false;
    }
  }

  async function decode() {
    if (detector) {
      var codes = await detector.detect(video);
      return codes.length ? codes[0].rawValue : null;
    }
    var width = video.videoWidth;
    var height = video.videoHeight;
    if (!width || !height) return null;
    canvas.width = width;
    canvas.height = height;
    var context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(video, 0, 0, width, height);
    var image = context.getImageData(0, 0, width, height);
    var found = window.jsQR(image.data, width, height, { inversionAttempts: "dontInvert" });
    return found ? found.data : null;
  }

  async function tick(now) {
    if (!stream) { ticking = false; return; }
    requestAnimationFrame(tick);
    if (busy || now - lastTick < 150 || video.readyState < 2) return;
    lastTick = now;
    busy = true;
    try {
      var text = await decode();
      if (text) {
        var code = normalise(text);
        var seen = Date.now();
        var repeat = code === lastCode && seen - lastSeen < 4000;
        lastSeen = seen;
        if (code && !repeat) {
          lastCode = code;
          window.scanInfo.decoded++;
          await checkIn({ code: code, via: "camera" });
        }
      }
    } catch (e) { /* a bad frame: try the next one */ } finally { busy = false; }
  }

  // --- start -----------------------------------------------------------------------------

  async function registerWorker() {
    if (!("serviceWorker" in navigator)) return null;
    await navigator.serviceWorker.register(data.sw, { scope: data.sw_scope });
    var registration = await navigator.serviceWorker.ready;
    try {
      // The worker keeps what is in this cache fresh and serves it offline: this page and
      // the files it needs (their addresses come from the page data, not from the worker).
      var cache = await caches.open(CACHE);
      await cache.addAll([location.pathname].concat(data.assets));
    } catch (e) { /* cached on the next visit */ }
    return registration;
  }

  $("door-code-form").addEventListener("submit", onCode);
  $("door-search").addEventListener("input", onSearch);
  $("door-search-form").addEventListener("submit", function (event) { event.preventDefault(); onSearch(); });
  $("door-walkin-form").addEventListener("submit", onWalkIn);
  $("door-pouch-form").addEventListener("submit", savePouch);
  $("door-undo").addEventListener("click", undo);
  $("door-admit").addEventListener("click", admit);
  $("door-camera-start").addEventListener("click", toggleCamera);
  $("door-pouches-refresh").addEventListener("click", refreshPouches);
  window.addEventListener("online", function () { setOnline(true); sync(); });
  window.addEventListener("offline", function () { setOnline(false); });

  renderNetwork();
  renderPresent();
  window.door = {
    deviceId: deviceId,
    ready: registerWorker().catch(function () { return null; }),
    loaded: online ? sync() : Promise.resolve(),
    sync: sync
  };
  setInterval(function () {
    if (!navigator.onLine) return;
    if (queue.length) sync(); else checkDuplicates();
  }, data.poll_seconds * 1000);
  if (navigator.permissions && navigator.permissions.query) {
    navigator.permissions.query({ name: "camera" }).then(function (status) {
      if (status.state === "granted") startCamera();
    }, function () { /* ask when the host presses the button */ });
  }
})();
