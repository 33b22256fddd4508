/* Rollcall "Can I…?": walks the decision tree that the build compiled from the clause rules
 * and checked against them (generator/decide.py). There is no rule logic here: every question,
 * answer button and verdict comes from the page's JSON, or, when the site has several orders,
 * from the chosen order's data file (assets/can-i/<order>.js, added as a script once the
 * reader has picked the order, so it works from file:// too; generator/render/can_i.py).
 *
 * The path is the URL's hash, e.g. #act=post_content&duty=off_duty&content=department_insignia,
 * so an answer can be shared and reopened, and every step is a history entry: the browser's
 * back and forward buttons step through the questions. Plain JavaScript, no libraries; text from
 * the data is only ever set with textContent. Mounts on `[data-rollcall="can-i"]` each time
 * Material's document$ emits and when the document is ready (from file:// document$ may not
 * emit); mounting is idempotent. */
(function () {
  "use strict";

  var Rollcall = (window.Rollcall = window.Rollcall || {});
  var mounted = null; /* {root, render, teardown} of the helper on this page */

  var h = Rollcall.h; /* rollcall.js */
  var button = Rollcall.button;

  /* ------------------------------------------------------------------ the path in the URL */

  function readHash() {
    var pairs = [];
    (window.location.hash || "").replace(/^#/, "").split("&").forEach(function (part) {
      if (!part) return;
      var eq = part.indexOf("=");
      if (eq < 1) return;
      try {
        pairs.push([decodeURIComponent(part.slice(0, eq)), decodeURIComponent(part.slice(eq + 1))]);
      } catch (e) { /* a malformed escape: ignore that part */ }
    });
    return pairs;
  }

  function formatHash(pairs) {
    if (!pairs.length) return "";
    return "#" + pairs.map(function (p) { return encodeURIComponent(p[0]) + "=" + encodeURIComponent(p[1]); }).join("&");
  }

  function urlWith(hash) {
    return window.location.href.split("#")[0] + hash;
  }

  /* The orders on offer, each {order, title, tree} with its tree in the page, or
   * {order, title, src, tree: null} until its data file is in. */
  function ordersOf(data) {
    if (data.trees && data.trees.length) {
      return data.trees.map(function (t) { return { order: t.order, title: t.title, tree: t }; });
    }
    return (data.orders || []).map(function (o) { return { order: o.order, title: o.title, src: o.src, tree: null }; });
  }

  /* Where a path leads: the tree, the answered steps, the node reached (a question or an
   * answer), and the first part of the path that could not be followed, if any; or, for an
   * order whose data file is not in yet, `loading`: that order. */
  function resolve(data, pairs) {
    var params = {};
    pairs.forEach(function (p) { if (!(p[0] in params)) params[p[0]] = p[1]; });
    var tree = null, unknown = null, chosen = null;
    if (data.orders.length === 1) chosen = data.orders[0];
    else {
      data.orders.forEach(function (o) { if (o.order === params.order) chosen = o; });
      if (!chosen && params.order !== undefined) unknown = { fact: "order", value: params.order };
    }
    if (chosen && !chosen.tree) return { loading: chosen, steps: [], node: null, tree: null, unknown: null };
    tree = chosen ? chosen.tree : null;
    var state = { tree: tree, steps: [], node: tree ? tree.root : null, unknown: unknown };
    while (state.node && state.node.fact && params[state.node.fact] !== undefined) {
      var value = params[state.node.fact], option = null;
      state.node.options.forEach(function (o) { if (o.value === value) option = o; });
      if (!option) { state.unknown = { fact: state.node.fact, value: value }; break; }
      state.steps.push({ node: state.node, option: option });
      state.node = option.next;
    }
    return state;
  }

  /* The canonical path: the order (only when the page has several), then each answer. */
  function pathOf(data, tree, steps) {
    var pairs = [];
    if (tree && data.orders.length > 1) pairs.push(["order", tree.order]);
    steps.forEach(function (s) { pairs.push([s.node.fact, s.option.value]); });
    return pairs;
  }

  /* ------------------------------------------------------------------------------ views */


  function answersSoFar(steps) {
    if (!steps.length) return null;
    return h("dl", { className: "rc-can-i-facts", "data-rollcall": "can-i-facts" }, steps.map(function (s) {
      return h("div", {}, [h("dt", { text: s.node.question }), h("dd", { text: s.option.label })]);
    }));
  }

  function clauseQuote(data, citation) {
    var clause = data.clauses[citation];
    if (!clause) return null;
    var quote = h("blockquote", {}, clause.quote.map(function (p) { return h("p", { text: p }); }));
    var link = h("a", { href: clause.href, className: "rc-quote-link" }, ["GO " + clause.citation + ": " + clause.title]);
    return h("figure", { className: "rc-quote", "data-citation": citation }, [quote, h("figcaption", {}, [link])]);
  }

  function practiceList(data, leaf) {
    var ids = leaf.practice || [];
    if (!ids.length) return [];
    return [
      h("h3", { text: "Practise on similar situations" }),
      h("ul", { className: "rc-can-i-practice", "data-rollcall": "can-i-practice" }, ids.map(function (id) {
        var s = data.scenarios[id];
        return s ? h("li", {}, [h("a", { href: s.href, text: s.name }), h("span", { className: "rc-can-i-module", text: " (" + s.module + ")" })]) : null;
      }))
    ];
  }

  /* ------------------------------------------------------------------- data files */

  var loading = {}; /* src -> callbacks waiting for it */

  /* Add an order's data file as a script; call done(its data or null). */
  function loadOrder(entry, done) {
    var store = (window.RollcallCanI = window.RollcallCanI || {});
    if (store[entry.order]) { done(store[entry.order]); return; }
    if (loading[entry.src]) { loading[entry.src].push(done); return; }
    loading[entry.src] = [done];
    var script = document.createElement("script");
    function finish() {
      var waiting = loading[entry.src] || [];
      delete loading[entry.src];
      waiting.forEach(function (callback) { callback(store[entry.order] || null); });
    }
    script.onload = finish;
    script.onerror = function () {
      if (script.parentNode) script.parentNode.removeChild(script); /* a later visit tries again */
      finish();
    };
    script.src = entry.src;
    document.head.appendChild(script);
  }

  /* ------------------------------------------------------------------ order picker */

  var PICKER_SHOWN = 20; /* answers listed at once; with more orders, a search field narrows them */

  function matches(entry, terms) {
    var text = ("GO " + entry.order + " " + entry.title).toLowerCase();
    return terms.every(function (t) { return text.indexOf(t) !== -1; });
  }

  /* "Which General Order is it about?": every order as an answer, or, in a large manual, a
   * search field and the first PICKER_SHOWN orders matching what is typed in it. */
  function picker(orders, heading, choose) {
    var headingId = "rc-can-i-question";
    var list = h("div", { className: "rc-can-i-options", role: "group", "aria-labelledby": headingId });
    var count = null, field = null;

    function fill(query) {
      var terms = query.toLowerCase().split(/\s+/).filter(Boolean);
      var found = terms.length ? orders.filter(function (o) { return matches(o, terms); }) : orders;
      list.textContent = "";
      found.slice(0, PICKER_SHOWN).forEach(function (o) {
        list.appendChild(button("GO " + o.order + ": " + o.title, function () { choose(o); },
                                { className: "md-button rc-can-i-option", "data-rollcall": "can-i-option", "data-value": o.order }));
      });
      if (!count) return;
      count.textContent = !found.length ? "No order matches \u201c" + query.trim() + "\u201d."
        : found.length > PICKER_SHOWN ? "Showing " + PICKER_SHOWN + " of " + found.length + " orders: type a number or words of a title to narrow the list."
        : found.length === 1 ? "1 order matches." : found.length + " orders" + (terms.length ? " match." : ".");
    }

    var parts = [h("h2", { id: headingId, className: "rc-can-i-heading", tabindex: "-1", text: heading })];
    if (orders.length > PICKER_SHOWN) {
      field = h("input", { type: "search", id: "rc-can-i-find", className: "rc-can-i-find", autocomplete: "off",
                           spellcheck: false, "data-rollcall": "can-i-find", "aria-describedby": "rc-can-i-count" });
      count = h("p", { id: "rc-can-i-count", className: "rc-can-i-count", "aria-live": "polite", "data-rollcall": "can-i-count" });
      field.addEventListener("input", function () { fill(field.value); });
      parts.push(h("div", { className: "rc-field rc-can-i-search" }, [
        h("label", { for: "rc-can-i-find", text: "Find the order by its number or words of its title" }), field, count
      ]));
    }
    parts.push(list);
    fill("");
    return { nodes: parts };
  }

  function mount(root) {
    var stage = root.querySelector("[data-rollcall='can-i-stage']");
    var status = root.querySelector("[data-rollcall='can-i-status']");
    var data;
    try {
      /* Found by position too: Material's instant navigation re-creates a page's scripts
       * without their attributes. */
      var script = root.querySelector("script[data-rollcall='can-i-data']") || root.querySelector("script");
      data = JSON.parse(script.textContent);
      data.orders = ordersOf(data);
      data.clauses = data.clauses || {};
      data.scenarios = data.scenarios || {};
      if (!data.orders.length) throw new Error("no trees");
    } catch (e) {
      stage.textContent = "This helper could not be read. Please tell the training unit; the orders themselves are unaffected.";
      return function () {};
    }
    var rendered = null;      /* the path shown, as a hash */
    var cameFrom = {};        /* hash -> the hash it was pushed from, for entries pushed here */
    var timer = null;

    function announce(message) {
      status.textContent = "";
      if (timer) window.clearTimeout(timer);
      timer = window.setTimeout(function () { status.textContent = message; }, 60);
    }

    function go(pairs) {
      var hash = formatHash(pairs);
      if (hash === rendered) return;
      cameFrom[hash] = rendered;
      window.history.pushState(null, "", urlWith(hash));
      render(true);
    }

    /* Back one step: through history when the step before is the previous entry, otherwise
     * (a shared link opened here) by replacing this entry. */
    function back(pairs) {
      var hash = formatHash(pairs);
      if (cameFrom[rendered] === hash) { window.history.back(); return; }
      window.history.replaceState(null, "", urlWith(hash));
      render(true);
    }

    function actions(state) {
      var steps = state.steps;
      var parent = steps.length ? pathOf(data, state.tree, steps.slice(0, -1)) : [];
      var canGoBack = steps.length > 0 || (state.tree && data.orders.length > 1);
      var start = pathOf(data, state.tree, []);
      return h("div", { className: "rc-actions rc-can-i-actions" }, [
        canGoBack ? button("Back", function () { back(parent); }, { "data-rollcall": "can-i-back" }) : null,
        steps.length ? button("Start again", function () { go(start); }, { "data-rollcall": "can-i-restart" }) : null
      ]);
    }

    function questionView(state, heading, options, onChoose) {
      var headingId = "rc-can-i-question";
      var notice = state.unknown
        ? h("p", { className: "rc-can-i-notice", role: "note", text: "The link you followed gives an answer this page does not know (" + state.unknown.fact + " = " + state.unknown.value + "); please answer from here." })
        : null;
      var sofar = answersSoFar(state.steps);
      return h("div", { className: "rc-can-i-question", "data-rollcall": "can-i-question", "data-fact": state.node ? state.node.fact : "order" }, [
        notice,
        sofar ? h("p", { className: "rc-can-i-sofar", text: "Your answers so far:" }) : null,
        sofar,
        h("h2", { id: headingId, className: "rc-can-i-heading", tabindex: "-1", text: heading }),
        h("div", { className: "rc-can-i-options", role: "group", "aria-labelledby": headingId }, options.map(function (o) {
          return button(o.label, function () { onChoose(o); }, { className: "md-button rc-can-i-option", "data-rollcall": "can-i-option", "data-value": o.value });
        })),
        actions(state)
      ]);
    }

    function answerView(state) {
      var leaf = state.node, parts, summary;
      var orderName = "General Order " + state.tree.order;
      if (leaf.no_rule) {
        var words = "No rule of " + orderName + " decides this situation, so this page gives no answer rather than a guess. Ask your supervisor before you act.";
        summary = "No rule decides this. " + words;
        parts = [
          h("h2", { className: "rc-can-i-heading rc-can-i-verdict", tabindex: "-1", text: "No rule decides this" }),
          h("p", { className: "rc-can-i-why", "data-rollcall": "can-i-why", text: words })
        ];
      } else {
        var verdict = data.verdicts[leaf.verdict] || leaf.verdict;
        summary = "Answer: " + verdict + ". " + leaf.explanation;
        parts = [
          h("p", { className: "rc-can-i-kicker", text: "Under " + orderName + ", " + state.tree.title + ":" }),
          h("h2", { className: "rc-can-i-heading rc-can-i-verdict", tabindex: "-1", text: verdict }),
          h("p", { className: "rc-can-i-why", "data-rollcall": "can-i-why" }, [h("strong", { text: "Why: " }), leaf.explanation]),
          h("h3", { text: leaf.clauses.length > 1 ? "What the order says (" + leaf.clauses.join(", ") + ")" : "What the order says (" + leaf.clauses[0] + ")" })
        ].concat(leaf.clauses.map(function (c) { return clauseQuote(data, c); }));
      }
      parts.push(h("h3", { text: "Your situation" }), answersSoFar(state.steps));
      if (!leaf.no_rule) parts = parts.concat(practiceList(data, leaf));
      parts.push(actions(state));
      var answer = h("div", {
        className: "rc-can-i-answer rc-can-i--" + (leaf.no_rule ? "no-rule" : leaf.verdict),
        "data-rollcall": "can-i-answer", "data-verdict": leaf.no_rule ? "no_rule" : leaf.verdict
      }, parts);
      return { node: answer, summary: summary };
    }

    /* An order whose data file is not in yet: say so, add it, then show the path. */
    function loadingView(state, focus) {
      var entry = state.loading, hash = formatHash(readHash());
      rendered = null;
      stage.textContent = "";
      stage.appendChild(h("p", { className: "rc-can-i-loading", "data-rollcall": "can-i-loading", text: "Loading GO " + entry.order + ": " + entry.title + "…" }));
      root.removeAttribute("data-path");
      loadOrder(entry, function (part) {
        if (!root.isConnected || formatHash(readHash()) !== hash) return; /* gone, or moved on meanwhile */
        if (!part || !part.tree) {
          stage.textContent = "";
          stage.appendChild(h("div", { className: "rc-can-i-question" }, [
            h("p", { className: "rc-can-i-notice", role: "note", text: "The questions for GO " + entry.order + " could not be loaded. Please tell the training unit; the order itself reads without them." }),
            h("div", { className: "rc-actions rc-can-i-actions" }, [
              button("Back", function () { back([]); }, { "data-rollcall": "can-i-back" })
            ])
          ]));
          root.setAttribute("data-path", hash);
          return;
        }
        entry.tree = part.tree;
        Object.keys(part.clauses || {}).forEach(function (c) { data.clauses[c] = part.clauses[c]; });
        Object.keys(part.scenarios || {}).forEach(function (s) { data.scenarios[s] = part.scenarios[s]; });
        render(focus);
      });
    }

    function render(focus) {
      var state = resolve(data, readHash());
      if (state.loading) { loadingView(state, focus); return; }
      var canonical = formatHash(pathOf(data, state.tree, state.steps));
      if (canonical === rendered && !state.unknown) return;
      if (canonical !== formatHash(readHash())) window.history.replaceState(null, "", urlWith(canonical));
      rendered = canonical;
      var view, summary = null;
      if (!state.tree) {
        var pick = picker(data.orders, "Which General Order is it about?", function (o) { go([["order", o.order]]); });
        view = h("div", { className: "rc-can-i-question", "data-rollcall": "can-i-question", "data-fact": "order" }, [
          state.unknown ? h("p", { className: "rc-can-i-notice", role: "note", text: "The link you followed names an order this page does not know (" + state.unknown.value + "); please choose one from here." }) : null
        ].concat(pick.nodes));
      } else if (state.node.fact) {
        view = questionView(state, state.node.question, state.node.options, function (o) {
          go(pathOf(data, state.tree, state.steps).concat([[state.node.fact, o.value]]));
        });
      } else {
        var answer = answerView(state);
        view = answer.node;
        summary = answer.summary;
      }
      stage.textContent = "";
      stage.appendChild(view);
      root.setAttribute("data-path", canonical);
      if (summary) announce(summary);
      else status.textContent = "";
      if (focus) {
        var heading = stage.querySelector(".rc-can-i-heading");
        if (heading) heading.focus();
      }
    }

    render(false);
    root.setAttribute("data-ready", "true");
    return {
      render: render,
      teardown: function () {
        if (timer) window.clearTimeout(timer);
        stage.textContent = "";
        root.removeAttribute("data-ready");
      }
    };
  }

  /* Idempotent: forgets a helper whose page is gone, mounts one not yet mounted. */
  function mountAll() {
    if (mounted && !mounted.root.isConnected) {
      mounted.teardown();
      mounted = null;
    }
    var root = document.querySelector("[data-rollcall='can-i']");
    if (!root || root.getAttribute("data-ready") === "true") return;
    var helper = mount(root);
    if (helper && helper.render) mounted = { root: root, pathname: window.location.pathname, render: helper.render, teardown: helper.teardown };
  }

  /* Back, forward, and a hash typed or pasted: show the step the URL names. A step within this
   * page is ours alone: Material 9.8.1's instant navigation answers the first popstate after a
   * page load by fetching and re-injecting the same page. site_overrides/main.html registers a
   * popstate listener before Material's that calls Rollcall.canIOnHistory, which stops such an
   * event there. Leaving for another page is left to Material. */
  function onHistory(event) {
    if (!mounted || !mounted.root.isConnected || window.location.pathname !== mounted.pathname) return;
    if (event.type === "popstate") event.stopImmediatePropagation();
    mounted.render(true);
  }

  function onOwnListener(event) {
    if (Rollcall.canIOnHistory === onHistory) onHistory(event);
  }

  Rollcall.mountCanI = mountAll;
  Rollcall.canIOnHistory = onHistory;
  /* Without main.html's early listener (and for hashes typed in the address bar) these still
   * show the right step; rendering twice the same step does nothing. */
  window.addEventListener("popstate", onOwnListener);
  window.addEventListener("hashchange", onOwnListener);
  if (window.document$ && typeof window.document$.subscribe === "function") {
    if (Rollcall.canISubscription) Rollcall.canISubscription.unsubscribe();
    Rollcall.canISubscription = window.document$.subscribe(mountAll);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mountAll);
  else mountAll();
})();
