/* Rollcall acknowledgements: on an order's page, an employee states that they have read and
 * understand the revision in force.
 *
 * Each order page carries a hidden `[data-rollcall="acknowledge"]` placeholder naming the order
 * and its revision (effective date and hash of its official text). This file turns it into a
 * panel that asks for the employee's name and ID (remembered on the device, shared with scored
 * quizzes: quiz.js's Rollcall.identity) and writes an acknowledgement record, format
 * `rollcall-acknowledgement/1` (generator/schemas/acknowledgement.schema.json). The record travels
 * like an attempt record, through record.js (Rollcall.records): saved in localStorage first,
 * listed in the notice of records not handed in, downloadable, and sent to the LRS when the site
 * has one, as one xAPI statement with the Activity Streams verb `acknowledge`.
 * Once acknowledged, the panel says by whom and when, for that revision; a new revision of the
 * order asks again. Plain JavaScript, no libraries; re-mounts on every emission of Material's
 * document$ (instant navigation). Text from data is only ever set with textContent. */
(function () {
  "use strict";

  var Rollcall = (window.Rollcall = window.Rollcall || {});
  if (Rollcall.acknowledge && Rollcall.acknowledge.installed) return;

  var FORMAT = "rollcall-acknowledgement/1";
  var VERB = "http://activitystrea.ms/schema/1.0/acknowledge";
  var ACTIVITY_TYPE = "http://adlnet.gov/expapi/activities/file";
  var ORDER_EXTENSION = "urn:rollcall:order";
  var IDENTITY_KEY = "rollcall.identity.v1"; /* quiz.js's, when it is not loaded */

  var h = Rollcall.h; /* rollcall.js */
  var button = Rollcall.button;
  var pageIdentity = null; /* when this device cannot remember who it is */

  /* ---------------------------------------------------------------- identity */
  function clean(value) {
    if (!value || typeof value.name !== "string" || typeof value.id !== "string") return null;
    var name = value.name.trim(), id = value.id.trim();
    return name && id ? { name: name.slice(0, 200), id: id.slice(0, 64) } : null;
  }

  function identityKey() { return (Rollcall.identity && Rollcall.identity.key) || IDENTITY_KEY; }

  function readIdentity() {
    if (pageIdentity && pageIdentity.unsaved) return { name: pageIdentity.name, id: pageIdentity.id };
    var known = null;
    if (Rollcall.identity && typeof Rollcall.identity.read === "function") known = clean(Rollcall.identity.read());
    else {
      try { known = clean(JSON.parse(window.localStorage.getItem(IDENTITY_KEY) || "null")); } catch (e) { known = null; }
    }
    return known || (pageIdentity ? { name: pageIdentity.name, id: pageIdentity.id } : null);
  }

  /* Remembered where scored quizzes look for it; false when the device could not keep it. */
  function saveIdentity(identity) {
    pageIdentity = { name: identity.name, id: identity.id, unsaved: false };
    try {
      window.localStorage.setItem(identityKey(), JSON.stringify({ name: identity.name, id: identity.id }));
      return true;
    } catch (e) {
      pageIdentity.unsaved = true;
      return false;
    }
  }

  /* ------------------------------------------------------------------ record */
  function orderOf(node) {
    return {
      number: node.getAttribute("data-order") || "",
      title: node.getAttribute("data-title") || "",
      revision: node.getAttribute("data-revision") || "",
      revision_hash: node.getAttribute("data-revision-hash") || ""
    };
  }

  function buildRecord(order, employee) {
    return {
      format: FORMAT,
      id: Rollcall.records.uuid4(),
      employee: { name: employee.name, id: employee.id },
      order: { number: order.number, title: order.title, revision: order.revision, revision_hash: order.revision_hash },
      acknowledged: new Date().toISOString(),
      site: window.location.href.split("#")[0]
    };
  }

  function longDate(iso) {
    var d = new Date(iso);
    return isNaN(d.getTime()) ? String(iso) : d.toLocaleDateString("en-US", { year: "numeric", month: "long", day: "numeric" });
  }

  function label(record) {
    return "Acknowledgement of General Order " + record.order.number + " (revision effective " + record.order.revision + "), " +
      longDate(record.acknowledged) + " (" + record.employee.name + ")";
  }

  function fileName(record, safePart, localDate) {
    return "rollcall-acknowledgement-" + safePart(record.order.number) + "-" + safePart(record.employee.id) + "-" + localDate(record.acknowledged) + ".json";
  }

  /* This device's acknowledgements of an order, oldest first. */
  function acknowledgements(number) {
    return Rollcall.records.entries()
      .filter(function (entry) { return entry.record.format === FORMAT && entry.record.order && entry.record.order.number === number; })
      .sort(function (a, b) { return a.record.acknowledged < b.record.acknowledged ? -1 : a.record.acknowledged > b.record.acknowledged ? 1 : 0; });
  }

  /* --------------------------------------------------------------------- xAPI */
  function en(text) { return { "en-US": String(text) }; }

  /* The order page's address under the site's base (or the configured activity_base). */
  function pageIri(record) {
    var file = /\/([^\/?#]+\.html)(?:[?#].*)?$/.exec(String(record.site || ""));
    return Rollcall.records.siteBase(record) + "orders/" + (file ? file[1] : encodeURIComponent(record.order.number) + ".html");
  }

  /* One `acknowledged` statement; its id is UUID v5 of the acknowledgement id and the verb and
   * object, so sending it again is harmless. */
  function statements(record) {
    var order = record.order;
    var objectId = pageIri(record) + "?revision=" + encodeURIComponent(order.revision);
    var extensions = {};
    extensions[ORDER_EXTENSION] = { number: order.number, title: order.title, revision: order.revision, revision_hash: order.revision_hash };
    return Rollcall.records.uuid5(record.id, VERB + " " + objectId).then(function (id) {
      return [{
        id: id,
        actor: { objectType: "Agent", name: record.employee.name, account: { homePage: Rollcall.records.homePage(record), name: record.employee.id } },
        verb: { id: VERB, display: en("acknowledged") },
        object: { objectType: "Activity", id: objectId, definition: {
          type: ACTIVITY_TYPE,
          name: en("General Order " + order.number + ": " + order.title),
          description: en("Revision effective " + order.revision)
        } },
        context: { registration: record.id, revision: order.revision_hash, platform: "Rollcall", language: "en-US", extensions: extensions },
        timestamp: record.acknowledged
      }];
    });
  }

  /* -------------------------------------------------------------------- panel */
  function say(status, message) {
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 40);
  }

  function mount(node) {
    if (node.getAttribute("data-ready") === "true" || !Rollcall.records || !h) return;
    var order = orderOf(node);
    if (!order.number || !order.revision_hash) return;
    var prefix = "rc-ack-" + order.number.replace(/[^A-Za-z0-9]/g, "-");
    var headingId = prefix + "-heading", statementId = prefix + "-statement";
    var body = h("div", { className: "rc-ack-body" });
    var status = h("p", { className: "rc-ack-status", role: "status", "data-rollcall": "ack-status" });
    node.textContent = "";
    node.appendChild(h("h2", { id: headingId, className: "rc-ack-heading", text: "Acknowledgement" }));
    node.appendChild(body);
    node.appendChild(status);
    node.setAttribute("role", "region");
    node.setAttribute("aria-labelledby", headingId);
    node.hidden = false;
    node.setAttribute("data-ready", "true");
    var revisionWords = "General Order " + order.number + " (revision effective " + order.revision + ")";

    function show(children) {
      body.textContent = "";
      children.forEach(function (child) { if (child) body.appendChild(child); });
    }

    function statement() {
      return h("p", { id: statementId, className: "rc-ack-statement", "data-rollcall": "ack-statement",
                      text: "I have read and understand " + revisionWords + "." });
    }

    function earlier(who) {
      if (!who) return null;
      var mine = acknowledgements(order.number).filter(function (e) { return !who || e.record.employee.id === who.id; });
      var older = mine.filter(function (e) { return e.record.order.revision_hash !== order.revision_hash; }).pop();
      if (!older) return null;
      return h("p", { className: "rc-ack-older", "data-rollcall": "ack-older",
                      text: "You acknowledged the revision effective " + older.record.order.revision + " on " + longDate(older.record.acknowledged) +
                            ". This order has changed since: read this revision and acknowledge it." });
    }

    /* The hand-in part while the acknowledgement is not delivered (then the notice at the top
     * of the page leaves it out). */
    function handIn(entry, problem) {
      var record = entry.record;
      if (Rollcall.records.delivered(entry) && !problem) return null;
      var downloadStatus = h("p", { className: "rc-record-status", role: "status", "data-rollcall": "ack-download-status" });
      var download = button("Download your acknowledgement", function () {
        var done = Rollcall.records.download([record]);
        downloadStatus.textContent = "Downloaded " + done.name + ". Hand this file in to the training unit." +
          (done.problem ? " (This device could not note that it was downloaded.)" : "");
      }, { "data-rollcall": "ack-download", className: "md-button md-button--primary" });
      return h("div", { className: "rc-ack-handin", "data-rollcall": "record", "data-record-id": record.id }, [
        problem
          ? h("p", { className: "rc-warning", "data-rollcall": "ack-storage", "data-problem": problem, text: Rollcall.records.storageProblems[problem] })
          : h("p", { "data-rollcall": "ack-storage", text: "Your acknowledgement is saved on this device. Download it and hand it in: put the file in the training unit's shared folder." }),
        h("div", { className: "rc-actions" }, [download]),
        downloadStatus,
        Rollcall.records.lrsEnabled() ? h("p", { className: "rc-lrs-status", role: "status", "data-rollcall": "lrs-status", "data-record-id": record.id }) : null
      ]);
    }

    function render(focus, problem) {
      var who = readIdentity();
      var mine = acknowledgements(order.number).filter(function (e) {
        return e.record.order.revision_hash === order.revision_hash && (!who || e.record.employee.id === who.id);
      });
      var done = mine[mine.length - 1];
      if (done) {
        var doneText = h("p", { className: "rc-ack-done", tabindex: "-1", "data-rollcall": "ack-done",
                                text: "Acknowledged by " + done.record.employee.name + " on " + longDate(done.record.acknowledged) +
                                      " (revision effective " + done.record.order.revision + ")." });
        node.setAttribute("data-state", "acknowledged");
        show([
          doneText,
          handIn(done, problem),
          h("div", { className: "rc-actions" }, [
            button("Someone else? Acknowledge as another employee", function () { form(who, true); }, { "data-rollcall": "ack-someone-else" })
          ])
        ]);
        if (Rollcall.records.showLrsState) Rollcall.records.showLrsState();
        if (focus) doneText.focus();
        return;
      }
      if (!who) { form(null, focus); return; }
      var confirm = button("Acknowledge General Order " + order.number, function () { acknowledge(who); },
                           { "data-rollcall": "ack-confirm", className: "md-button md-button--primary", "aria-describedby": statementId });
      node.setAttribute("data-state", "ask");
      show([
        earlier(who),
        statement(),
        h("p", { className: "rc-identity-known", "data-rollcall": "ack-identity" }, [
          "You are acknowledging as ", h("strong", { text: who.name }), ", employee ID ", h("strong", { text: who.id }), "."
        ]),
        h("div", { className: "rc-actions" }, [
          confirm,
          button("Not you? Change", function () { form(who, true); }, { "data-rollcall": "ack-change" })
        ])
      ]);
      if (focus) confirm.focus();
    }

    function form(previous, focus) {
      var built = Rollcall.identityForm({
        prefix: prefix,
        kind: "ack",
        attrs: { "aria-describedby": statementId, "data-rollcall": "ack-form" },
        head: [statement()],
        why: "Your name and employee ID go on the record of this acknowledgement that you hand in to the training unit. This device remembers them for next time. Both are required.",
        submit: { label: "Acknowledge General Order " + order.number, name: "ack-confirm" },
        cancel: previous ? { label: "Cancel: keep " + previous.name, name: "ack-cancel", onClick: function () { render(true); } } : null,
        say: function (message) { say(status, message); },
        valid: function (who) {
          var remembered = saveIdentity(who);
          acknowledge(who, remembered ? "" : " This device could not remember your name and employee ID; you will be asked again next time.");
        }
      });
      node.setAttribute("data-state", "form");
      show([earlier(previous), built.form]);
      if (focus) built.first.focus();
    }

    function acknowledge(who, extra) {
      var record = buildRecord(order, who);
      var problem = Rollcall.records.save(record, true); /* stored before anything else */
      render(true, problem);
      Rollcall.records.refresh();
      say(status, "Acknowledged by " + who.name + " on " + longDate(record.acknowledged) + ". " +
        (problem ? Rollcall.records.storageProblems[problem] : "Saved on this device; download it and hand it in.") + (extra || ""));
    }

    render(false);
  }

  function onPage() {
    if (!Rollcall.records) return;
    Array.prototype.forEach.call(document.querySelectorAll("[data-rollcall='acknowledge']"), mount);
    if (Rollcall.records.refresh) Rollcall.records.refresh(); /* leave out of the notice what a panel shows */
  }

  if (Rollcall.records && typeof Rollcall.records.register === "function") {
    Rollcall.records.register(FORMAT, { noun: ["acknowledgement", "acknowledgements"], label: label, fileName: fileName, statements: statements });
  }
  Rollcall.acknowledge = { installed: true, format: FORMAT, verb: VERB, statements: statements };

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { onPage(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", onPage);
  else onPage();
})();
