/* Rollcall browser code for the policy reference: copy-citation buttons and live status.
 * Plain JavaScript, no libraries. Material's instant navigation swaps page content without a
 * reload, so everything here mounts on each emission of `document$` and tears down first. */
(function () {
  "use strict";

  var Rollcall = (window.Rollcall = window.Rollcall || {});

  /* DOM building shared by the quiz, record and "Can I…?" scripts (loaded after this one).
   * h("p", {className: "x"}, ["text", node]): text children become text nodes, never HTML;
   * data-*, aria-*, role, for and tabindex are set as attributes, other keys as properties. */
  Rollcall.h = function (tag, props, children) {
    var node = document.createElement(tag);
    props = props || {};
    Object.keys(props).forEach(function (key) {
      if (key === "className") node.className = props[key];
      else if (key === "text") node.textContent = props[key];
      else if (key.indexOf("data-") === 0 || key.indexOf("aria-") === 0 || key === "role" || key === "for" || key === "tabindex")
        node.setAttribute(key, props[key]);
      else node[key] = props[key];
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  };

  /* A plain <button type="button"> that calls onClick; `extra` adds properties/attributes. */
  Rollcall.button = function (label, onClick, extra) {
    var b = Rollcall.h("button", Object.assign({ type: "button", className: "md-button" }, extra || {}), [label]);
    b.addEventListener("click", onClick);
    return b;
  };

  /* The form asking who is taking a quiz or acknowledging an order: name and employee ID, both
   * required, each error said next to its field and announced. `spec`: prefix (unique ids), kind
   * (the data-rollcall prefix of its parts), attrs (of the form), head (nodes above the fields),
   * why (text), submit ({label, name}), cancel ({label, name, onClick}) or null, say(message),
   * valid({name, id}). Returns {form, first} (the field to focus). */
  Rollcall.identityForm = function (spec) {
    var h = Rollcall.h;
    function field(key, label, input) {
      var errorId = spec.prefix + "-" + key + "-error";
      input.id = spec.prefix + "-" + key;
      input.setAttribute("aria-describedby", errorId);
      return h("div", { className: "rc-field" }, [
        h("label", { for: input.id, text: label }),
        input,
        h("p", { className: "rc-field-error", id: errorId, hidden: true, "data-rollcall": spec.kind + "-" + key + "-error" })
      ]);
    }
    var nameInput = h("input", { type: "text", name: "name", autocomplete: "name", maxLength: 200, required: true, "data-rollcall": spec.kind + "-name" });
    var idInput = h("input", { type: "text", name: "employee-id", autocomplete: "off", maxLength: 64, required: true, spellcheck: false, "data-rollcall": spec.kind + "-id" });
    var form = h("form", Object.assign({ className: "rc-identity", noValidate: true }, spec.attrs), spec.head.concat([
      h("p", { className: "rc-identity-why", text: spec.why }),
      field("name", "Name", nameInput),
      field("id", "Employee ID", idInput),
      h("div", { className: "rc-actions" }, [
        h("button", { type: "submit", className: "md-button md-button--primary", "data-rollcall": spec.submit.name }, [spec.submit.label]),
        spec.cancel ? Rollcall.button(spec.cancel.label, spec.cancel.onClick, { "data-rollcall": spec.cancel.name }) : null
      ])
    ]));
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var problems = [];
      [[nameInput, "Enter your name."], [idInput, "Enter your employee ID."]].forEach(function (pair) {
        var input = pair[0], error = document.getElementById(input.getAttribute("aria-describedby"));
        var missing = !input.value.trim();
        if (missing) { problems.push(pair[1]); input.setAttribute("aria-invalid", "true"); } else input.removeAttribute("aria-invalid");
        error.textContent = missing ? pair[1] : "";
        error.hidden = !missing;
      });
      if (problems.length) {
        form.querySelector("[aria-invalid='true']").focus();
        spec.say(problems.join(" "));
        return;
      }
      spec.valid({ name: nameInput.value.trim().slice(0, 200), id: idInput.value.trim().slice(0, 64) });
    });
    return { form: form, first: nameInput };
  };

  var teardown = [];

  function listen(el, type, fn) {
    el.addEventListener(type, fn);
    teardown.push(function () { el.removeEventListener(type, fn); });
  }

  function liveRegion() {
    var region = document.getElementById("rc-live");
    if (!region) {
      region = document.createElement("div");
      region.id = "rc-live";
      region.className = "rc-visually-hidden";
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      document.body.appendChild(region);
    }
    return region;
  }

  function announce(message) {
    var region = liveRegion();
    region.textContent = "";
    window.setTimeout(function () { region.textContent = message; }, 30);
  }

  function permalink(anchor) {
    var url = new URL(window.location.href);
    url.hash = anchor;
    return url.href;
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy refused")); }
    });
  }

  /* The text a copy puts on the clipboard: "GO 418.05.G (Social Media): https://…#418.05.G". */
  Rollcall.citationText = function (citation, title, href) {
    return "GO " + citation + (title ? " (" + title + ")" : "") + ": " + href;
  };

  function mountCopyButtons(root) {
    var header = root.querySelector("[data-rollcall='order-header']");
    var h1 = root.querySelector("h1");
    var orderTitle = h1 ? h1.textContent.replace(/^General Order [^:]+:\s*/, "").trim() : "";
    var chips = root.querySelectorAll(".rc-unit > a.rc-cite");
    Array.prototype.forEach.call(chips, function (chip) {
      var heading = chip.parentElement;
      if (heading.querySelector(".rc-copy")) return;
      var anchor = heading.id;
      var label = heading.classList.contains("rc-definition")
        ? chip.textContent + " (definition of " + heading.getAttribute("data-term") + ")"
        : chip.textContent;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "rc-copy";
      button.setAttribute("aria-label", "Copy citation " + label + " with its link");
      button.title = "Copy citation with link";
      button.textContent = "Copy";
      heading.insertBefore(button, chip.nextSibling);
      listen(button, "click", function () {
        var text = Rollcall.citationText(label, orderTitle, permalink(anchor));
        copyText(text).then(function () {
          button.textContent = "Copied";
          button.setAttribute("data-copied", text);
          announce("Copied " + text);
          window.setTimeout(function () { button.textContent = "Copy"; }, 2000);
        }, function () {
          announce("Could not copy. The citation is " + text);
          window.prompt("Copy this citation:", text);
        });
      });
      teardown.push(function () { if (button.parentNode) button.parentNode.removeChild(button); });
    });
    return header;
  }

  /* Review status is decided at build time; re-check against today's date so an old
   * build still says plainly when a review date has since passed. */
  function refreshStatus(root) {
    var today = new Date().toISOString().slice(0, 10);
    var rows = root.querySelectorAll("[data-rollcall='order-status-row'][data-review]");
    Array.prototype.forEach.call(rows, function (row) {
      var review = row.getAttribute("data-review");
      var badge = row.querySelector("[data-rollcall='status']");
      if (badge && review < today && !badge.classList.contains("rc-badge--overdue")) {
        badge.className = "rc-badge rc-badge--overdue";
        badge.textContent = "Effective; review overdue since " + review;
      }
    });
  }

  var mountedArticle = null;

  /* Idempotent per page: mounting the same article twice changes nothing. */
  function mount() {
    var article = document.querySelector("article.md-content__inner");
    if (article && article === mountedArticle && article.querySelector(".rc-copy")) return;
    mountedArticle = article;
    while (teardown.length) { teardown.pop()(); }
    var root = document.querySelector("article.md-content__inner") || document.body;
    Rollcall.pagePath = window.location.pathname;
    mountCopyButtons(root);
    refreshStatus(root);
  }

  /* Back or forward between two anchors of the page on screen: stay on it (scrolled to the
   * anchor) instead of letting Material fetch and re-insert it, which would reset what the
   * reader was doing there (a quiz in progress). main.html calls this before Material's listener. */
  Rollcall.samePageHistory = function (event) {
    if (!Rollcall.pagePath || window.location.pathname !== Rollcall.pagePath) return;
    event.stopImmediatePropagation();
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id ? document.getElementById(id) : null;
    if (target) target.scrollIntoView();
    else if (!id) window.scrollTo(0, 0);
  };

  Rollcall.mountReference = mount;
  /* document$ emits on every instant navigation; from file:// it may not emit at all, so the
   * first page is also mounted when the document is ready. */
  if (window.document$ && typeof window.document$.subscribe === "function") {
    if (Rollcall.referenceSubscription) Rollcall.referenceSubscription.unsubscribe();
    Rollcall.referenceSubscription = window.document$.subscribe(mount);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
  else mount();
})();
