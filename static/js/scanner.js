/* The door scanner: camera (BarcodeDetector, else the vendored jsQR), typed codes, name
 * search, walk-ins, pouches, and offline work.
 *
 * Offline model: the attendee list of this event (hashed codes, first names, groups, party,
 * table, status, checked-in flag) is kept in localStorage until it expires; scans made
 * without network are queued there and sent to /checkins/batch when the network returns.
 * The server decides: the earliest scan wins, and every device involved in a duplicate
 * learns it from /duplicates. All sentences come translated in #scan-data.
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("scan-data").textContent);
  var S = data.strings;
  var API = data.api; // the API's addresses, from the route names; "{id}" marks a registration
  var PREFIX = "door:" + data.event_id + ":";
  var CACHE = "door-v2";
  var WARN = ["already_checked_in", "waitlisted", "awaiting_guardian", "group_full"];
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
  async function api(method, url, body, timeout) {
    var options = {
      method: method,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRF-Token": data.csrf }
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

  function renderNetwork() {
    var box = $("door-network");
    box.dataset.online = online ? "true" : "false";
    $("door-network-word").textContent = online ? S.online : S.offline;
    var waiting = queue.length;
    var q = $("door-queue");
    q.dataset.count = String(waiting);
    q.textContent = waiting ? fmt(S.waiting, { num: waiting }) : S.all_synced;
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

  async function refreshList() {
    try {
      var r = await api("GET", API.attendees);
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

  function show(result, scan) {
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
    var present = a && (result.outcome === "ok" || result.outcome === "already_checked_in");
    var admittable = a && (result.outcome === "waitlisted" || result.outcome === "awaiting_guardian" || result.outcome === "group_full");
    actions.hidden = !(present || admittable);
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
    undo.hidden = left <= 0;
    if (left > 0) undoTimer = setTimeout(function () { undo.hidden = true; }, left);
    signal(kind === "ok");
    reveal(scan.via);
    refreshHits();
  }

  function note(text) {
    $("door-action-msg").textContent = text;
  }

  function applyResult(result) {
    var a = result.attendee;
    if (!a || !list) return;
    var local = findLocal(a.registration_id);
    if (!local) return;
    local.status = a.status;
    local.local_pending = false;
    if (result.outcome === "ok" || result.outcome === "already_checked_in") local.checked_in = true;
    saveList();
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
  async function sync() {
    if (syncing) return;
    syncing = true;
    try {
      var scans = queue.filter(function (item) { return item.kind === "scan"; });
      if (scans.length) {
        var body = scans.map(function (item) {
          var copy = Object.assign({}, item);
          delete copy.kind;
          return copy;
        });
        var r = await api("POST", API.batch, { scans: body });
        if (r.status !== 200) return;
        var answered = {};
        r.json.results.forEach(function (result) {
          answered[result.nonce] = true;
          applyResult(result);
        });
        queue = queue.filter(function (item) { return !(item.kind === "scan" && answered[item.nonce]); });
        store("queue", queue);
      }
      var pouches = queue.filter(function (item) { return item.kind === "pouch"; });
      for (var i = 0; i < pouches.length; i++) {
        var p = await api("POST", forId(API.pouch, pouches[i].registration_id), { pouch: pouches[i].pouch });
        if (p.status < 500) {
          queue.splice(queue.indexOf(pouches[i]), 1);
          store("queue", queue);
        }
      }
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

  async function undo() {
    if (!current || !current.result.attendee) return;
    var id = current.result.attendee.registration_id;
    var local = findLocal(id);
    var queued = queue.findIndex(function (item) { return item.kind === "scan" && item.nonce === current.scan.nonce; });
    if (queued >= 0) {
      queue.splice(queued, 1);
      store("queue", queue);
      renderNetwork();
    } else {
      try {
        var r = await api("POST", forId(API.undo, id), {});
        if (r.status !== 200) { showError(r); return; }
      } catch (e) { setOnline(false); note(S.needs_network); return; }
    }
    if (local) { local.checked_in = false; local.local_at = null; local.local_pending = false; saveList(); }
    $("door-undo").hidden = true;
    $("door-pouch-form").hidden = true;
    note(S.undone);
    refreshHits();
  }

  async function admit() {
    if (!current || !current.result.attendee) return;
    var id = current.result.attendee.registration_id;
    if (!online) { note(S.needs_network); return; }
    if (current.result.walk_in) {
      try {
        var r = await api("POST", forId(API.admit_walkin, id), { nonce: newId(), device_id: deviceId });
        if (r.status === 200) { show(r.json, { nonce: "", via: "walk_in" }); refreshList(); } else { showError(r); }
      } catch (e) { setOnline(false); note(S.needs_network); }
      return;
    }
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
      var bits = [a.first_name, S["group_" + a.group] || a.group];
      if (a.status !== "confirmed") bits.push(S["status_" + a.status] || a.status);
      label.className = "door-hit-name";
      label.textContent = bits.join(" · ");
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
        button.setAttribute("aria-label", S.check_in + ": " + a.first_name);
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
      renderHits(list.attendees.filter(function (a) { return nameMatches(a.first_name, query); }).slice(0, 20));
      return;
    }
    try {
      var r = await api("GET", API.search + "?q=" + encodeURIComponent(query));
      if (r.status === 200) renderHits(r.json.attendees);
    } catch (e) { setOnline(false); }
  }

  async function onWalkIn(event) {
    event.preventDefault();
    var form = event.target;
    if (!online) { showError({ status: 0, json: { error: { message: S.needs_network } } }); return; }
    var body = {
      first_name: form.first_name.value,
      group: form.group.value,
      email: form.email.value,
      override: form.override.checked,
      nonce: newId(),
      device_id: deviceId
    };
    try {
      var r = await api("POST", API.walkins, body);
      if (r.status !== 200) { showError(r); return; }
      var result = r.json;
      if (result.outcome === "waitlisted") { result.walk_in = true; result.outcome = "group_full"; }
      form.reset();
      show(result, { nonce: body.nonce, via: "walk_in" });
      refreshList();
    } catch (e) { setOnline(false); showError({ status: 0, json: { error: { message: S.needs_network } } }); }
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

  async function startCamera() {
    var state = $("door-camera-state");
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { state.textContent = S.camera_off; return; }
    try {
      var stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
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
      $("door-camera-start").hidden = true;
      state.textContent = "";
      requestAnimationFrame(tick);
    } catch (e) {
      state.textContent = S.camera_off;
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
  $("door-camera-start").addEventListener("click", startCamera);
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
