/* Rollcall attempt records: the browser half of attempt tracking.
 *
 * quiz.js dispatches `rollcall:attempt` on document when a scored quiz is submitted. This file
 *  1. turns it into a record matching generator/schemas/attempt.schema.json and saves it in
 *     localStorage (`rollcall.attempts.v1`, a JSON array of {record, delivered: {download, lrs}})
 *     before anything else, so a reload loses nothing;
 *  2. offers "Download your record" (a .json file to hand in) on the results screen, and on
 *     every page a notice with a download of the records not handed in yet (.json for one,
 *     .jsonl for several);
 *  3. when the site is built with `extra: rollcall: xapi:` in mkdocs.yml (main.html puts it in
 *     <script id="rollcall-config">), sends each undelivered record to that Learning Record Store
 *     as xAPI 1.0.3 statements with deterministic ids (UUID v5 from the attempt id), so sending
 *     again is harmless; it retries after 5 s, 30 s, then every 2 min, when the browser comes
 *     back online, and on every page load.
 * Stored data that does not parse is never deleted: it is copied aside under
 * `rollcall.attempts.unreadable.<timestamp>` and the user is told.
 * Other kinds of record (an order's acknowledgement, acknowledge.js) travel the same way: a
 * script registers its format with Rollcall.records.register (label, file name, statements) and
 * hands records to Rollcall.records.save; they are stored, listed in the notice, downloaded
 * (one .jsonl with attempts) and sent exactly like attempts. Such records carry their id in `id`.
 * Plain JavaScript, no libraries, no modules (works from file://). Text from data is only ever
 * set with textContent. */
(function () {
  "use strict";

  var Rollcall = (window.Rollcall = window.Rollcall || {});
  if (Rollcall.records && Rollcall.records.installed) return;

  var STORE_KEY = "rollcall.attempts.v1";
  var ASIDE_PREFIX = "rollcall.attempts.unreadable.";
  var ASIDE_DOWNLOADED_KEY = "rollcall.attempts.unreadable-downloaded.v1";
  var FORMAT = "rollcall-attempt/1";
  var RETRY_DELAYS = [5000, 30000, 120000];
  var REQUEST_TIMEOUT = 20000;
  var VERB = {
    answered: "http://adlnet.gov/expapi/verbs/answered",
    passed: "http://adlnet.gov/expapi/verbs/passed",
    failed: "http://adlnet.gov/expapi/verbs/failed",
    completed: "http://adlnet.gov/expapi/verbs/completed"
  };
  var INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction";
  var ASSESSMENT = "http://adlnet.gov/expapi/activities/assessment";
  var COURSE = "http://adlnet.gov/expapi/activities/course";

  var memory = [];          /* entries kept for this page when localStorage cannot hold them */
  var lrsState = {};        /* record id -> {state: sending|sent|retry|refused|unprepared, detail} */
  var kinds = {};           /* format -> {noun, label, fileName, statements}: records other than attempts */

  /* ------------------------------------------------------------------ helpers */
  var h = Rollcall.h; /* rollcall.js */

  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  function hex(bytes) {
    var out = "";
    for (var i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    return out;
  }

  function uuidFromBytes(b, version) {
    b[6] = (b[6] & 0x0f) | (version << 4);
    b[8] = (b[8] & 0x3f) | 0x80;
    var x = hex(b);
    return x.slice(0, 8) + "-" + x.slice(8, 12) + "-" + x.slice(12, 16) + "-" + x.slice(16, 20) + "-" + x.slice(20, 32);
  }

  /* A version 4 UUID: crypto.randomUUID (secure contexts), else crypto.getRandomValues. */
  function uuid4() {
    var c = window.crypto;
    if (c && typeof c.randomUUID === "function") {
      try { return c.randomUUID().toLowerCase(); } catch (e) { /* not a secure context */ }
    }
    var bytes = new Uint8Array(16);
    if (c && typeof c.getRandomValues === "function") c.getRandomValues(bytes);
    else for (var i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
    return uuidFromBytes(bytes, 4);
  }

  function utf8(text) {
    if (typeof TextEncoder !== "undefined") return Array.prototype.slice.call(new TextEncoder().encode(text));
    var s = unescape(encodeURIComponent(text)), out = [];
    for (var i = 0; i < s.length; i++) out.push(s.charCodeAt(i));
    return out;
  }

  /* SHA-1 in plain JavaScript: the fallback where crypto.subtle is missing (pages served over
   * plain http from another host are not a secure context). Same digest, so the same ids. */
  function sha1(bytes) {
    var words = [], length = bytes.length, i;
    for (i = 0; i < length; i++) words[i >> 2] |= bytes[i] << (24 - (i % 4) * 8);
    words[length >> 2] |= 0x80 << (24 - (length % 4) * 8);
    var total = (((length + 8) >> 6) + 1) * 16;
    for (i = words.length; i < total; i++) words[i] = words[i] | 0;
    words[total - 1] = length * 8;
    var h0 = 0x67452301, h1 = 0xefcdab89, h2 = 0x98badcfe, h3 = 0x10325476, h4 = 0xc3d2e1f0;
    var w = new Array(80);
    for (var block = 0; block < total; block += 16) {
      var a = h0, b = h1, c = h2, d = h3, e = h4;
      for (var t = 0; t < 80; t++) {
        if (t < 16) w[t] = words[block + t] | 0;
        else { var x = w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16]; w[t] = (x << 1) | (x >>> 31); }
        var f, k;
        if (t < 20) { f = (b & c) | (~b & d); k = 0x5a827999; }
        else if (t < 40) { f = b ^ c ^ d; k = 0x6ed9eba1; }
        else if (t < 60) { f = (b & c) | (b & d) | (c & d); k = 0x8f1bbcdc; }
        else { f = b ^ c ^ d; k = 0xca62c1d6; }
        var temp = (((a << 5) | (a >>> 27)) + f + e + k + w[t]) | 0;
        e = d; d = c; c = (b << 30) | (b >>> 2); b = a; a = temp;
      }
      h0 = (h0 + a) | 0; h1 = (h1 + b) | 0; h2 = (h2 + c) | 0; h3 = (h3 + d) | 0; h4 = (h4 + e) | 0;
    }
    var out = [];
    [h0, h1, h2, h3, h4].forEach(function (v) { out.push((v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255); });
    return out;
  }

  function digest(bytes) {
    var subtle = window.crypto && window.crypto.subtle;
    if (subtle && typeof subtle.digest === "function") {
      return subtle.digest("SHA-1", new Uint8Array(bytes))
        .then(function (buffer) { return Array.prototype.slice.call(new Uint8Array(buffer)); })
        .catch(function () { return sha1(bytes); });
    }
    return Promise.resolve(sha1(bytes));
  }

  function uuidBytes(uuid) {
    var x = uuid.replace(/-/g, ""), out = [];
    for (var i = 0; i < 32; i += 2) out.push(parseInt(x.slice(i, i + 2), 16));
    return out;
  }

  /* Name-based UUID, version 5 (RFC 4122 §4.3): SHA-1 of the namespace UUID and the name. */
  function uuid5(namespace, name, useFallback) {
    var bytes = uuidBytes(namespace).concat(utf8(name));
    var hashed = useFallback ? Promise.resolve(sha1(bytes)) : digest(bytes);
    return hashed.then(function (hash) { return uuidFromBytes(hash.slice(0, 16), 5); });
  }

  /* -------------------------------------------------------------- storage */
  function localStore() {
    try { return window.localStorage || null; } catch (e) { return null; }
  }

  function isFull(error) {
    return !!error && (error.name === "QuotaExceededError" || error.name === "NS_ERROR_DOM_QUOTA_REACHED" || error.code === 22 || error.code === 1014);
  }

  function isAttempt(record) {
    return !!(record && typeof record.attempt_id === "string" && record.quiz && record.employee);
  }

  /* An attempt, or a record of another kind (its id in `id`), registered yet or not. */
  function validEntry(entry) {
    var r = entry && entry.record;
    return isAttempt(r) || !!(r && typeof r.id === "string" && typeof r.format === "string" && r.format !== FORMAT && r.employee);
  }

  function recordId(record) { return isAttempt(record) ? record.attempt_id : record.id; }

  function kindOf(record) { return isAttempt(record) ? null : kinds[record.format] || null; }

  /* Read the stored array. A value that does not parse as an array is copied aside (never
   * deleted) and reported. Returns {entries, problem, aside}: problem is null, "unavailable" or
   * "stuck" (unreadable and could not be set aside, so nothing may be written over it). */
  function openStore() {
    var ls = localStore();
    if (!ls) return { entries: [], problem: "unavailable", aside: null };
    var raw;
    try { raw = ls.getItem(STORE_KEY); } catch (e) { return { entries: [], problem: "unavailable", aside: null }; }
    if (raw === null) return { entries: [], problem: null, aside: null };
    var parsed;
    try { parsed = JSON.parse(raw); } catch (e) { parsed = undefined; }
    if (Array.isArray(parsed)) return { entries: parsed, problem: null, aside: null };
    var aside = ASIDE_PREFIX + Date.now();
    try {
      for (var n = 1; ls.getItem(aside) !== null; n++) aside = ASIDE_PREFIX + Date.now() + "-" + n;
      ls.setItem(aside, raw);
      if (ls.getItem(aside) !== raw) throw new Error("copy differs");
      ls.removeItem(STORE_KEY);
    } catch (e) {
      return { entries: [], problem: "stuck", aside: null };
    }
    return { entries: [], problem: null, aside: aside };
  }

  function writeStore(entries) {
    var ls = localStore();
    if (!ls) return "unavailable";
    try { ls.setItem(STORE_KEY, JSON.stringify(entries)); return null; } catch (e) { return isFull(e) ? "full" : "unavailable"; }
  }

  /* Apply `change` to the stored entries (and the page's memory) and write them back.
   * Returns the problem, or null when the change is stored. */
  function updateStore(change) {
    var store = openStore();
    if (store.aside) noteAside(store.aside);
    change(memory);
    if (store.problem) return store.problem;
    change(store.entries);
    return writeStore(store.entries);
  }

  function upsert(entries, entry) {
    for (var i = 0; i < entries.length; i++) {
      if (validEntry(entries[i]) && recordId(entries[i].record) === recordId(entry.record)) { entries[i] = entry; return; }
    }
    entries.push(entry);
  }

  function mark(attemptIds, field) {
    return updateStore(function (entries) {
      entries.forEach(function (entry) {
        if (validEntry(entry) && attemptIds.indexOf(recordId(entry.record)) !== -1) {
          entry.delivered = entry.delivered || {};
          entry.delivered[field] = true;
        }
      });
    });
  }

  /* Stored and in-memory entries, one per record (stored first). */
  function allEntries() {
    var store = openStore();
    if (store.aside) noteAside(store.aside);
    var seen = {}, out = [];
    store.entries.concat(memory).forEach(function (entry) {
      if (!validEntry(entry) || seen[recordId(entry.record)]) return;
      seen[recordId(entry.record)] = true;
      out.push(entry);
    });
    return out;
  }

  function delivered(entry) {
    var d = entry.delivered || {};
    return !!(d.download || d.lrs);
  }

  var asideSeen = [];
  function noteAside(key) { if (asideSeen.indexOf(key) === -1) asideSeen.push(key); }

  /* Unreadable data set aside and not yet downloaded from here. */
  function asideKeys() {
    var ls = localStore(), keys = [], done = [];
    if (!ls) return keys;
    try {
      done = JSON.parse(ls.getItem(ASIDE_DOWNLOADED_KEY) || "[]");
      if (!Array.isArray(done)) done = [];
      for (var i = 0; i < ls.length; i++) {
        var key = ls.key(i);
        if (key && key.indexOf(ASIDE_PREFIX) === 0 && done.indexOf(key) === -1) keys.push(key);
      }
    } catch (e) { return keys; }
    return keys.sort();
  }

  /* ---------------------------------------------------------------- record */
  function quizRoot(quizId) {
    var roots = document.querySelectorAll("[data-rollcall='quiz']");
    for (var i = 0; i < roots.length; i++) if (roots[i].getAttribute("data-quiz") === quizId) return roots[i];
    return null;
  }

  function quizDataIn(root) {
    var node = root && root.querySelector("[data-rollcall='quiz-data']");
    if (!node) return null;
    try { return JSON.parse(node.textContent); } catch (e) { return null; }
  }

  function pageQuizData() {
    var out = [];
    Array.prototype.forEach.call(document.querySelectorAll("[data-rollcall='quiz-data']"), function (node) {
      try { out.push(JSON.parse(node.textContent)); } catch (e) { /* skip */ }
    });
    return out;
  }

  function buildRecord(detail, data, employee) {
    var responses = {};
    detail.questions.forEach(function (id) { responses[id] = (detail.responses[id] || []).slice(); });
    return {
      format: FORMAT,
      attempt_id: detail.attempt_id || uuid4(),
      employee: { name: employee.name, id: employee.id },
      quiz: { id: detail.quiz, title: data ? data.quiz.title : detail.quiz, pass_mark: data ? data.quiz.pass_mark : 0 },
      version: detail.version,
      started: detail.started,
      finished: detail.finished,
      questions: detail.questions.slice(),
      responses: responses,
      score: { total: detail.score.total, max: detail.score.max, percent: detail.score.percent, passed: detail.score.passed },
      site: window.location.href.split("#")[0]
    };
  }

  function safePart(text) {
    return String(text).replace(/[^A-Za-z0-9_-]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 64) || "unknown";
  }

  function localDate(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) d = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
  }

  function recordFileName(record) {
    var kind = kindOf(record);
    if (!isAttempt(record)) return kind ? kind.fileName(record, safePart, localDate) : "rollcall-record-" + safePart(record.employee.id) + ".json";
    return "rollcall-" + safePart(record.quiz.id) + "-" + safePart(record.employee.id) + "-" + localDate(record.finished) + ".json";
  }

  function downloadText(filename, text, type) {
    var url = URL.createObjectURL(new Blob([text], { type: type }));
    var link = h("a", { href: url, download: filename, className: "rc-visually-hidden", tabindex: "-1" });
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }

  /* One record: pretty-printed .json. Several: .jsonl, one record per line. */
  function downloadRecords(records) {
    var name;
    if (records.length === 1) {
      name = recordFileName(records[0]);
      downloadText(name, JSON.stringify(records[0], null, 2) + "\n", "application/json");
    } else {
      var ids = records.map(function (r) { return r.employee.id; }).filter(function (id, i, all) { return all.indexOf(id) === i; });
      name = "rollcall-records-" + (ids.length === 1 ? safePart(ids[0]) : "several") + "-" + localDate(new Date().toISOString()) + ".jsonl";
      downloadText(name, records.map(function (r) { return JSON.stringify(r); }).join("\n") + "\n", "application/x-ndjson");
    }
    return name;
  }

  /* ------------------------------------------------------------- messages */
  function liveRegion() {
    var region = document.getElementById("rc-live");
    if (!region) {
      region = h("div", { id: "rc-live", className: "rc-visually-hidden", role: "status", "aria-live": "polite" });
      document.body.appendChild(region);
    }
    return region;
  }

  function announce(message, delay) {
    var region = liveRegion();
    window.setTimeout(function () {
      region.textContent = "";
      window.setTimeout(function () { region.textContent = message; }, 40);
    }, delay || 0);
  }

  var STORAGE_PROBLEMS = {
    unavailable: "This device could not save your record: its browser storage is turned off or unavailable. Download your record now; it is not kept after you leave this page.",
    full: "This device could not save your record: its browser storage is full. Download your record now; it is not kept after you leave this page.",
    stuck: "This device could not save your record: records stored here earlier could not be read or set aside, so nothing was written over them. Download your record now and tell the training unit."
  };

  function quizLabel(record) {
    if (!isAttempt(record)) {
      var kind = kindOf(record);
      return kind ? kind.label(record) : String(record.format) + " (" + record.employee.name + ")";
    }
    var when = new Date(record.finished);
    var date = isNaN(when.getTime()) ? record.finished : when.toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short" });
    return record.quiz.title + ", " + date + ", " + record.score.percent + "% (" + record.employee.name + ")";
  }

  /* ------------------------------------------------------- results screen */
  function recordPanel(entry, problem) {
    var record = entry.record;
    var id = "rc-record-" + record.attempt_id;
    var downloadStatus = h("p", { className: "rc-record-status", role: "status", "data-rollcall": "record-status" });
    var downloadButton = h("button", { type: "button", className: "md-button md-button--primary", "data-rollcall": "record-download" }, ["Download your record"]);
    downloadButton.addEventListener("click", function () {
      var name = downloadRecords([record]);
      var problem = mark([record.attempt_id], "download");
      downloadStatus.textContent = "Downloaded " + name + ". Hand this file in to the training unit." +
        (problem ? " (This device could not note that it was downloaded.)" : "");
      renderPending();
    });
    var lrs = xapiConfig();
    return h("section", { className: "rc-record", "data-rollcall": "record", "data-attempt-id": record.attempt_id, "aria-labelledby": id }, [
      h("h3", { id: id, text: "Hand in your record" }),
      problem
        ? h("p", { className: "rc-warning", "data-rollcall": "record-storage", "data-problem": problem, text: STORAGE_PROBLEMS[problem] })
        : h("p", { "data-rollcall": "record-storage", text: "Your record of this attempt is saved on this device." }),
      h("p", { text: "To get credit, download your record and hand it in: put the file in the training unit's shared folder, or give it to the training unit as they ask. The training unit re-scores it from your answers." }),
      h("div", { className: "rc-actions" }, [downloadButton]),
      downloadStatus,
      lrs ? h("p", { className: "rc-lrs-status", role: "status", "data-rollcall": "lrs-status", "data-attempt-id": record.attempt_id }) : null
    ]);
  }

  function onAttempt(event) {
    var detail = event.detail || {};
    if (!detail.questions || !detail.score) return;
    var root = quizRoot(detail.quiz);
    var data = quizDataIn(root);
    var employee = detail.employee || (Rollcall.identity && Rollcall.identity.read());
    var result = root && root.querySelector("[data-rollcall='quiz-result']");
    if (!employee) {
      if (result) result.parentNode.insertBefore(h("p", { className: "rc-warning", "data-rollcall": "record-storage", text: "This attempt could not be recorded: no name and employee ID were given." }), result.nextSibling);
      return;
    }
    var entry = { record: buildRecord(detail, data, employee), delivered: { download: false, lrs: false } };
    /* Saved first: whatever fails after this, a reload still has the record. */
    var problem = updateStore(function (entries) { upsert(entries, JSON.parse(JSON.stringify(entry))); });
    if (result) {
      var panel = recordPanel(entry, problem);
      result.parentNode.insertBefore(panel, result.nextSibling);
      if (problem) {
        var status = root.querySelector("[data-rollcall='quiz-status']");
        window.setTimeout(function () { if (status) status.textContent = status.textContent + " " + STORAGE_PROBLEMS[problem]; }, 400);
      }
    }
    renderPending();
    if (xapiConfig()) {
      lrsState[entry.record.attempt_id] = { state: "sending" };
      showLrsState();
      prepareStatements(entry, data ? [data] : []).then(function () { deliver(); });
    }
  }

  /* ------------------------------------------------- notice on every page */
  function downloadAside(keys, notice) {
    var ls = localStore();
    if (!ls) return;
    var parts = keys.map(function (key) {
      var value = null;
      try { value = ls.getItem(key); } catch (e) { value = null; }
      return "=== " + key + " ===\n" + (value === null ? "(gone)" : value) + "\n";
    });
    var name = "rollcall-unreadable-" + localDate(new Date().toISOString()) + ".txt";
    downloadText(name, parts.join("\n"), "text/plain");
    try {
      var done = JSON.parse(ls.getItem(ASIDE_DOWNLOADED_KEY) || "[]");
      if (!Array.isArray(done)) done = [];
      ls.setItem(ASIDE_DOWNLOADED_KEY, JSON.stringify(done.concat(keys)));
    } catch (e) { /* the notice shows again next time; nothing is lost */ }
    confirmInNotice(notice, "Downloaded " + name + ". Give it to the training unit; the data also stays on this device.");
  }

  function confirmInNotice(notice, message) {
    notice.textContent = "";
    var p = h("p", { tabindex: "-1", "data-rollcall": "pending-done", text: message });
    notice.appendChild(p);
    p.focus();
  }

  var lastAnnounced = "";

  /* "quiz record(s)" when every record is an attempt, the kind's own noun when all are of one
   * other kind, else "record(s)". */
  function recordsNoun(records, n) {
    var formats = records.map(function (r) { return isAttempt(r) ? FORMAT : r.format; })
      .filter(function (f, i, all) { return all.indexOf(f) === i; });
    var kind = formats.length === 1 && formats[0] !== FORMAT ? kinds[formats[0]] : null;
    if (formats.length === 1 && formats[0] === FORMAT) return plural(n, "quiz record", "quiz records");
    if (kind && kind.noun) return plural(n, kind.noun[0], kind.noun[1]);
    return plural(n, "record", "records");
  }

  /* What the notice says about sending a record: settled states only, so that a retry in
   * progress does not redraw it. */
  function noticeWords(state) {
    return state && (state.state === "refused" || state.state === "unprepared") ? lrsWords(state) : "Not sent to the training record store yet; will retry.";
  }

  /* The notice of records not handed in, near the top of every page. Redrawn only when what it
   * says changes; a control that had focus keeps it. */
  function renderPending() {
    var existing = document.querySelector("[data-rollcall='pending']");
    if (existing && existing.querySelector("[data-rollcall='pending-done']")) return;
    var onScreen = Array.prototype.map.call(document.querySelectorAll("[data-rollcall='record'][data-attempt-id], [data-rollcall='record'][data-record-id]"), function (n) {
      return n.getAttribute("data-attempt-id") || n.getAttribute("data-record-id");
    });
    var pending = allEntries().filter(function (entry) { return !delivered(entry) && onScreen.indexOf(recordId(entry.record)) === -1; });
    var aside = asideKeys();
    var lrs = xapiConfig();
    var signature = JSON.stringify([pending.map(function (entry) {
      return [recordId(entry.record), quizLabel(entry.record), lrs ? noticeWords(lrsState[recordId(entry.record)]) : ""];
    }), aside]);
    if (existing && existing.getAttribute("data-signature") === signature) return;
    var focused = existing && existing.contains(document.activeElement) ? document.activeElement.getAttribute("data-rollcall") : null;
    Array.prototype.forEach.call(document.querySelectorAll("[data-rollcall='pending']"), function (node) { node.parentNode.removeChild(node); });
    if (!pending.length && !aside.length) return;
    var pendingRecords = pending.map(function (entry) { return entry.record; });
    var onlyQuizzes = pendingRecords.every(isAttempt);
    var notice = h("section", { className: "rc-pending", "data-rollcall": "pending", "data-signature": signature, role: "region", "aria-label": onlyQuizzes ? "Quiz records to hand in" : "Records to hand in" });
    if (pending.length) {
      var records = pendingRecords;
      var button = h("button", { type: "button", className: "md-button md-button--primary", "data-rollcall": "pending-download" },
        [pending.length === 1 ? "Download the record" : "Download the " + pending.length + " records (one file)"]);
      button.addEventListener("click", function () {
        var name = downloadRecords(records);
        var problem = mark(records.map(recordId), "download");
        confirmInNotice(notice, "Downloaded " + name + ". Hand it in to the training unit: put it in the training unit's shared folder." +
          (problem ? " (This device could not note that it was downloaded.)" : ""));
      });
      notice.appendChild(h("p", { className: "rc-pending-title" }, [
        h("strong", { text: recordsNoun(records, pending.length) + " on this device " + (pending.length === 1 ? "has" : "have") + " not been handed in yet." })
      ]));
      notice.appendChild(h("ul", { className: "rc-pending-list" }, pending.map(function (entry) {
        var id = recordId(entry.record);
        var note = lrs ? " " + noticeWords(lrsState[id]) : "";
        var props = { "data-record-id": id, text: quizLabel(entry.record) + "." + note };
        if (isAttempt(entry.record)) props["data-attempt-id"] = id;
        return h("li", props);
      })));
      notice.appendChild(h("p", { text: "Download " + (pending.length === 1 ? "it" : "them") + " and hand " + (pending.length === 1 ? "it" : "them") + " in: put the file in the training unit's shared folder." }));
      notice.appendChild(h("div", { className: "rc-actions" }, [button]));
    }
    if (aside.length) {
      var asideButton = h("button", { type: "button", className: "md-button", "data-rollcall": "unreadable-download" }, ["Download the unreadable data"]);
      asideButton.addEventListener("click", function () { downloadAside(aside, notice); });
      notice.appendChild(h("p", { className: "rc-warning", "data-rollcall": "unreadable", text: "Some quiz records stored on this device could not be read. Nothing was deleted: they are kept aside on this device (" + aside.join(", ") + "). Download them and give the file to the training unit." }));
      notice.appendChild(h("div", { className: "rc-actions" }, [asideButton]));
    }
    var content = document.querySelector(".md-content__inner") || document.querySelector("main") || document.body;
    var title = content.querySelector("h1");
    if (title && title.parentNode === content) content.insertBefore(notice, title.nextSibling);
    else content.insertBefore(notice, content.firstChild);
    var refocus = focused && notice.querySelector("[data-rollcall='" + focused + "']");
    if (refocus) refocus.focus();
    var message = (pending.length ? "You have " + recordsNoun(pendingRecords, pending.length) + " on this device not handed in yet; a download button is near the top of the page. " : "") +
      (aside.length ? "Some quiz records stored on this device could not be read; they were kept aside." : "");
    var key = window.location.href + "|" + message;
    if (key !== lastAnnounced) { lastAnnounced = key; announce(message, 600); }
  }

  /* ------------------------------------------------------------ xAPI / LRS */
  var configCache;
  function xapiConfig() {
    if (configCache !== undefined) return configCache;
    configCache = null;
    var node = document.getElementById("rollcall-config");
    if (!node) return configCache;
    try {
      var config = JSON.parse(node.textContent);
      var x = config && config.xapi;
      if (x && typeof x.endpoint === "string" && /^https?:\/\//i.test(x.endpoint)) configCache = x;
    } catch (e) { configCache = null; }
    return configCache;
  }

  function siteBase(record) {
    var config = xapiConfig() || {};
    if (typeof config.activity_base === "string" && config.activity_base) return config.activity_base.replace(/\/?$/, "/");
    var site = String(record.site || "").replace(/[?#].*$/, "");
    var match = /^(.*\/)(?:training|orders)\/[^\/]*$/.exec(site);
    if (match) return match[1];
    try { return new URL(site).origin + "/"; } catch (e) { return "urn:rollcall:"; }
  }

  function homePage(record) {
    var config = xapiConfig() || {};
    if (typeof config.homepage === "string" && config.homepage) return config.homepage;
    try {
      var url = new URL(record.site);
      if (url.protocol === "http:" || url.protocol === "https:") return url.origin;
    } catch (e) { /* fall through */ }
    return "urn:rollcall";
  }

  function iriPart(text) { return encodeURIComponent(text).replace(/%2F/gi, "/"); }

  function duration(started, finished) {
    var ms = Math.max(0, new Date(finished).getTime() - new Date(started).getTime());
    if (isNaN(ms)) ms = 0;
    var centis = Math.round(ms / 10), hours = Math.floor(centis / 360000);
    centis -= hours * 360000;
    var minutes = Math.floor(centis / 6000);
    centis -= minutes * 6000;
    var seconds = centis / 100;
    var out = "PT" + (hours ? hours + "H" : "") + (minutes ? minutes + "M" : "");
    if (seconds || out === "PT") out += (Math.round(seconds * 100) / 100) + "S";
    return out;
  }

  function en(text) { return { "en-US": String(text) }; }

  /* The xAPI statements of one record: one `answered` per question, then passed or failed, then
   * completed. `questions` maps question id -> the page's question (answer key, option texts).
   * Ids are UUID v5 of the attempt id and the verb and object, so every resend is identical. */
  function buildStatements(record, questions, useFallback) {
    var base = siteBase(record);
    var quizIri = base + "training/" + iriPart(record.quiz.id);
    var actor = { objectType: "Agent", name: record.employee.name, account: { homePage: homePage(record), name: record.employee.id } };
    var quizActivity = { objectType: "Activity", id: quizIri, definition: { type: ASSESSMENT, name: en(record.quiz.title) } };
    var platform = "Rollcall";
    var specs = record.questions.map(function (qid, index) {
      var q = questions[qid];
      var response = record.responses[qid] || [];
      var score = Rollcall.score.question(q, response);
      var definition = {
        type: INTERACTION,
        name: en("Question " + (index + 1) + ": " + q.prompt),
        interactionType: "choice",
        correctResponsesPattern: [q.answer.join("[,]")],
        choices: q.options.map(function (o) { return { id: o.id, description: en(o.text) }; })
      };
      if (q.situation) definition.description = en(q.situation);
      return {
        verb: "answered",
        object: { objectType: "Activity", id: quizIri + "#" + iriPart(qid), definition: definition },
        result: { response: response.join("[,]"), success: score === 1, score: { scaled: score, raw: score, min: 0, max: 1 } },
        context: { registration: record.attempt_id, revision: record.version, platform: platform, language: "en-US",
                   contextActivities: { parent: [quizActivity] } }
      };
    });
    var quizResult = {
      score: { scaled: record.score.percent / 100, raw: record.score.total, min: 0, max: record.score.max },
      success: record.score.passed,
      completion: true,
      duration: duration(record.started, record.finished)
    };
    var quizContext = { registration: record.attempt_id, revision: record.version, platform: platform, language: "en-US",
                        contextActivities: { grouping: [{ objectType: "Activity", id: base + "training/", definition: { type: COURSE, name: en("Training") } }] } };
    [record.score.passed ? "passed" : "failed", "completed"].forEach(function (verb) {
      specs.push({ verb: verb, object: quizActivity, result: quizResult, context: quizContext });
    });
    return Promise.all(specs.map(function (spec) {
      return uuid5(record.attempt_id, VERB[spec.verb] + " " + spec.object.id, useFallback).then(function (id) {
        return JSON.parse(JSON.stringify({
          id: id, actor: actor, verb: { id: VERB[spec.verb], display: en(spec.verb) }, object: spec.object,
          result: spec.result, context: spec.context, timestamp: record.finished
        }));
      });
    }));
  }

  /* Statements are built once, where the questions are on the page, and kept with the record
   * so any page can send them. Data from another version of the bank is not used. */
  function prepareStatements(entry, datas) {
    if (entry.xapi && Array.isArray(entry.xapi.statements) && entry.xapi.statements.length) return Promise.resolve(entry.xapi.statements);
    var record = entry.record;
    if (!isAttempt(record)) {
      var kind = kindOf(record);
      if (!kind || typeof kind.statements !== "function") return Promise.resolve(null);
      return Promise.resolve(kind.statements(record)).then(function (statements) { return keepStatements(entry, statements); });
    }
    var questions = null;
    datas.some(function (data) {
      if (!data || data.version !== record.version) return false;
      var byId = {};
      data.questions.forEach(function (q) { byId[q.id] = q; });
      if (record.questions.every(function (id) { return byId[id]; })) { questions = byId; return true; }
      return false;
    });
    if (!questions) return Promise.resolve(null);
    return buildStatements(record, questions).then(function (statements) { return keepStatements(entry, statements); });
  }

  function keepStatements(entry, statements) {
    if (!statements || !statements.length) return null;
    var id = recordId(entry.record);
    entry.xapi = { statements: statements };
    updateStore(function (entries) {
      entries.forEach(function (e) { if (validEntry(e) && recordId(e.record) === id) e.xapi = { statements: statements }; });
    });
    return statements;
  }

  function authorization(config) {
    var pair = String(config.username || "") + ":" + String(config.password || "");
    return "Basic " + btoa(unescape(encodeURIComponent(pair)));
  }

  function statementsUrl(config) {
    return config.endpoint.replace(/\/?$/, "/") + "statements";
  }

  /* PUT each statement; 200/204 and 409 (the store has it) count as accepted.
   * Resolves {state: "sent"} or {state: "retry"|"refused", detail}. */
  function sendStatements(config, statements) {
    var index = 0;
    function next() {
      if (index >= statements.length) return Promise.resolve({ state: "sent" });
      var statement = statements[index++];
      var controller = typeof AbortController !== "undefined" ? new AbortController() : null;
      var timer = controller ? window.setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT) : null;
      return fetch(statementsUrl(config) + "?statementId=" + encodeURIComponent(statement.id), {
        method: "PUT",
        mode: "cors",
        credentials: "omit",
        cache: "no-store",
        headers: {
          "X-Experience-API-Version": "1.0.3",
          "Content-Type": "application/json",
          "Authorization": authorization(config)
        },
        body: JSON.stringify(statement),
        signal: controller ? controller.signal : undefined
      }).then(function (response) {
        if (timer) window.clearTimeout(timer);
        if (response.status === 200 || response.status === 204 || response.status === 409) return next();
        var transient = response.status >= 500 || response.status === 408 || response.status === 429;
        return { state: transient ? "retry" : "refused", detail: "HTTP " + response.status };
      }, function () {
        if (timer) window.clearTimeout(timer);
        return { state: "retry", detail: "unreachable" };
      });
    }
    return next();
  }

  function lrsWords(state) {
    switch (state && state.state) {
      case "sending": return "Sending to the training record store…";
      case "sent": return "Sent to the training record store.";
      case "refused": return "Not sent: the training record store refused it (" + state.detail + "). Download your record and hand it in.";
      case "unprepared": return "Not sent: it can be sent from the page of this quiz. Download your record and hand it in.";
      default: return "Not sent yet; will retry." + (state && state.detail === "unreachable" ? " The training record store could not be reached." : "");
    }
  }

  function showLrsState() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-rollcall='lrs-status'][data-attempt-id], [data-rollcall='lrs-status'][data-record-id]"), function (node) {
      var state = lrsState[node.getAttribute("data-attempt-id") || node.getAttribute("data-record-id")];
      var words = lrsWords(state || { state: "sending" });
      if (node.textContent !== words) node.textContent = words;
      node.setAttribute("data-state", state ? state.state : "sending");
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-rollcall='pending'] li[data-record-id]"), function (li) {
      var state = lrsState[li.getAttribute("data-record-id")];
      if (state && state.state === "sent") li.setAttribute("data-sent", "true");
    });
  }

  var lrs = { busy: false, again: false, failures: 0, timer: null, startedAt: 0 };

  function scheduleRetry() {
    window.clearTimeout(lrs.timer);
    var delay = RETRY_DELAYS[Math.min(lrs.failures, RETRY_DELAYS.length - 1)];
    lrs.failures++;
    lrs.timer = window.setTimeout(deliver, delay);
  }

  /* Send every stored record not yet accepted by the LRS, one after another. */
  function deliver() {
    var config = xapiConfig();
    if (!config) return Promise.resolve();
    if (lrs.busy) { lrs.again = true; return Promise.resolve(); }
    lrs.busy = true;
    lrs.startedAt = Date.now();
    window.clearTimeout(lrs.timer);
    var datas = pageQuizData();
    var todo = allEntries().filter(function (entry) { return !(entry.delivered && entry.delivered.lrs); });
    var retry = false;
    var chain = Promise.resolve();
    todo.forEach(function (entry) {
      chain = chain.then(function () {
        var id = recordId(entry.record);
        if (!lrsState[id] || lrsState[id].state !== "retry") lrsState[id] = { state: "sending" };
        showLrsState();
        return prepareStatements(entry, datas).then(function (statements) {
          if (!statements) { lrsState[id] = { state: "unprepared" }; return; }
          return sendStatements(config, statements).then(function (outcome) {
            lrsState[id] = outcome;
            if (outcome.state === "sent") {
              var d = entry.delivered || {};
              d.lrs = true;
              entry.delivered = d;
              mark([id], "lrs");
            } else if (outcome.state === "retry") retry = true;
          });
        });
      });
    });
    return chain.catch(function () { retry = true; }).then(function () {
      lrs.busy = false;
      showLrsState();
      renderPending();
      if (retry) scheduleRetry(); else lrs.failures = 0;
      if (lrs.again) { lrs.again = false; return deliver(); }
    });
  }

  /* ------------------------------------------------------------------ wiring */
  /* On every page (and each instant navigation). The first page fires twice (document$ and
   * DOMContentLoaded): one delivery round is enough. */
  function onPage() {
    renderPending();
    if (!lrs.busy && Date.now() - lrs.startedAt > 1000) deliver();
  }

  /* For other kinds of record (acknowledge.js). */
  function register(format, kind) {
    kinds[format] = kind;
    renderPending();
  }

  /* Store a record first (returns null, or the storage problem: see storageProblems), then list
   * it in the notice (unless `quiet`: the caller shows it, then calls refresh) and send it to the
   * LRS when there is one. */
  function save(record, quiet) {
    var entry = { record: record, delivered: { download: false, lrs: false } };
    var problem = updateStore(function (entries) { upsert(entries, JSON.parse(JSON.stringify(entry))); });
    if (!quiet) renderPending();
    if (xapiConfig()) {
      lrsState[recordId(record)] = { state: "sending" };
      showLrsState();
      prepareStatements(entry, []).then(function () { deliver(); });
    }
    return problem;
  }

  /* Download records and note it; returns {name, problem}. */
  function download(records) {
    var name = downloadRecords(records);
    var problem = mark(records.map(recordId), "download");
    renderPending();
    return { name: name, problem: problem };
  }

  Rollcall.newAttemptId = uuid4;
  Rollcall.records = {
    installed: true,
    storeKey: STORE_KEY,
    asidePrefix: ASIDE_PREFIX,
    uuid4: uuid4,
    uuid5: uuid5,
    sha1: sha1,
    duration: duration,
    buildStatements: buildStatements,
    entries: allEntries,
    deliver: deliver,
    fileName: recordFileName,
    register: register,
    save: save,
    download: download,
    delivered: delivered,
    storageProblems: STORAGE_PROBLEMS,
    lrsEnabled: function () { return !!xapiConfig(); },
    lrsWords: lrsWords,
    showLrsState: showLrsState,
    refresh: function () { renderPending(); showLrsState(); },
    siteBase: siteBase,
    homePage: homePage,
    announce: announce
  };

  document.addEventListener("rollcall:attempt", onAttempt);
  window.addEventListener("online", function () { lrs.failures = 0; deliver(); });
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { onPage(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", onPage);
  else onPage();
})();
