/* Rollcall quizzes: practice (one question at a time, immediate feedback) and scored quizzes
 * (random draw, shuffled options, review before submit, results with every clause quoted).
 * Plain JavaScript, no libraries. Scoring is Rollcall.score (score.js). Text from the quiz
 * data is only ever set with textContent. Mounts on every `[data-rollcall="quiz"]` each time
 * Material's document$ emits, after tearing down the previous page's mounts. The questions are
 * in the page, or in a data file added as a script (a large bank; see withQuestions). */
(function () {
  "use strict";

  var Rollcall = (window.Rollcall = window.Rollcall || {});
  var mounted = [];

  var VERDICT_WORDS = {
    permitted: "Permitted",
    prohibited: "Prohibited",
    permitted_with_authorization: "Permitted only with authorization",
    required: "Required"
  };

  var h = Rollcall.h; /* rollcall.js */
  var button = Rollcall.button;

  function shuffled(list) {
    var copy = list.slice();
    for (var i = copy.length - 1; i > 0; i--) {
      var j = Math.floor(Math.random() * (i + 1));
      var t = copy[i]; copy[i] = copy[j]; copy[j] = t;
    }
    return copy;
  }

  function optionText(question, id) {
    for (var i = 0; i < question.options.length; i++) {
      if (question.options[i].id === id) return question.options[i].text;
    }
    return id;
  }

  function describeResponse(question, response) {
    if (!response || !response.length) return "Not answered";
    return response.map(function (id) { return optionText(question, id); }).join("; ");
  }

  function resultWords(score, question) {
    if (score === 1) return "Correct.";
    if (score > 0) return "Partly right: " + (Math.round(score * 100) / 100) + " of 1 point.";
    return question.kind === "select_all" ? "Not right: 0 points." : "Wrong.";
  }

  function clauseQuotes(data, question) {
    return question.clauses.map(function (citation) {
      var clause = data.clauses[citation];
      if (!clause) return null;
      var quote = h("blockquote", {}, clause.quote.map(function (p) { return h("p", { text: p }); }));
      var link = h("a", { href: clause.href, className: "rc-quote-link" }, ["GO " + clause.citation + ": " + clause.title]);
      return h("figure", { className: "rc-quote", "data-citation": citation }, [quote, h("figcaption", {}, [link])]);
    });
  }

  /* Feedback for one answered question: right or wrong in words, why, and the clause. */
  function feedback(data, question, response, score) {
    var right = question.answer.map(function (id) { return optionText(question, id); });
    var parts = [
      h("p", { className: "rc-feedback-verdict " + (score === 1 ? "rc-right" : score > 0 ? "rc-partly" : "rc-wrong"), text: resultWords(score, question) }),
      h("p", { className: "rc-feedback-answer" }, [
        h("strong", { text: right.length > 1 ? "Right answers: " : "Right answer: " }), right.join("; ")
      ]),
      h("p", { className: "rc-feedback-yours" }, [h("strong", { text: "Your answer: " }), describeResponse(question, response)])
    ];
    if (question.explanation) parts.push(h("p", { className: "rc-feedback-why", text: question.explanation }));
    var optionNotes = question.options.filter(function (o) { return o.explanation && o.explanation !== question.explanation; });
    if (optionNotes.length && question.kind !== "verdict" && question.kind !== "clause") {
      parts.push(h("ul", { className: "rc-option-notes" }, optionNotes.map(function (o) {
        var correct = question.answer.indexOf(o.id) !== -1;
        return h("li", {}, [h("strong", { text: (correct ? "Right: " : "Not right: ") + o.text + " — " }), o.explanation]);
      })));
    }
    return h("div", { className: "rc-feedback", "data-rollcall": "feedback", "data-score": String(score) }, parts.concat(clauseQuotes(data, question)));
  }

  /* One question as a fieldset of radio buttons or checkboxes. */
  function questionForm(question, number, total, options, response) {
    var multiple = question.kind === "select_all";
    var name = "rc-" + question.id.replace(/[^a-z0-9]/gi, "-");
    var heading = h("h2", { className: "rc-question-heading", tabindex: "-1", text: "Question " + number + " of " + total });
    var items = options.map(function (option, index) {
      var id = name + "-" + index;
      var input = h("input", { type: multiple ? "checkbox" : "radio", name: name, id: id, value: option.id });
      if (response && response.indexOf(option.id) !== -1) input.checked = true;
      return h("div", { className: "rc-option" }, [input, h("label", { for: id, text: option.text })]);
    });
    var legend = h("legend", {}, [question.prompt, multiple ? h("span", { className: "rc-hint", text: " Select all that apply." }) : null]);
    return h("div", { className: "rc-question", "data-question-id": question.id, "data-kind": question.kind }, [
      heading,
      question.situation ? h("p", { className: "rc-situation", text: question.situation }) : null,
      h("fieldset", {}, [legend].concat(items))
    ]);
  }

  function readResponse(container) {
    return Array.prototype.map.call(container.querySelectorAll("input:checked"), function (input) { return input.value; });
  }


  function announce(status, message) {
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 40);
  }

  function show(stage, nodes, focusSelector) {
    stage.textContent = "";
    nodes.forEach(function (n) { if (n) stage.appendChild(n); });
    var target = focusSelector && stage.querySelector(focusSelector);
    if (target) target.focus();
  }

  /* ---------------------------------------------------------------- practice */
  function practice(data, stage, status) {
    var questions = data.questions;
    var index = 0, right = 0;

    function render() {
      if (index >= questions.length) {
        show(stage, [
          h("h2", { className: "rc-question-heading", tabindex: "-1", text: "Practice complete" }),
          h("p", { text: "You answered all " + questions.length + " practice questions; " + right + " fully right." }),
          button("Practise again", function () { index = 0; right = 0; render(); })
        ], ".rc-question-heading");
        announce(status, "Practice complete: " + right + " of " + questions.length + " fully right.");
        return;
      }
      var question = questions[index];
      var form = questionForm(question, index + 1, questions.length, question.options, null);
      var actions = h("div", { className: "rc-actions" });
      var check = button("Check answer", function () {
        var response = readResponse(form);
        if (!response.length) { announce(status, "Choose an answer first."); return; }
        var score = Rollcall.score.question(question, response);
        if (score === 1) right++;
        Array.prototype.forEach.call(form.querySelectorAll("input"), function (input) { input.disabled = true; });
        var fb = feedback(data, question, response, score);
        form.appendChild(fb);
        actions.textContent = "";
        actions.appendChild(button(index + 1 < questions.length ? "Next question" : "See summary", function () { index++; render(); }, { "data-rollcall": "next" }));
        announce(status, resultWords(score, question) + " " + (question.explanation || ""));
      }, { "data-rollcall": "check" });
      actions.appendChild(check);
      show(stage, [form, actions], ".rc-question-heading");
    }
    render();
  }

  /* ---------------------------------------------------------------- identity */
  /* A scored attempt is recorded under the employee's name and ID. They are asked for before
   * the quiz starts and remembered on this device (localStorage); when storage is unavailable
   * they last as long as the page. Practice stays anonymous. */
  var IDENTITY_KEY = "rollcall.identity.v1";
  var pageIdentity = null;

  function cleanIdentity(value) {
    if (!value || typeof value.name !== "string" || typeof value.id !== "string") return null;
    var name = value.name.trim(), id = value.id.trim();
    return name && id ? { name: name.slice(0, 200), id: id.slice(0, 64) } : null;
  }

  function readIdentity() {
    if (pageIdentity && pageIdentity.unsaved) return { name: pageIdentity.name, id: pageIdentity.id };
    try {
      var stored = cleanIdentity(JSON.parse(window.localStorage.getItem(IDENTITY_KEY) || "null"));
      if (stored) return stored;
    } catch (e) { /* unavailable or unreadable: fall back to this page's */ }
    return pageIdentity ? { name: pageIdentity.name, id: pageIdentity.id } : null;
  }

  /* Returns false when this device could not remember it. */
  function saveIdentity(identity) {
    pageIdentity = { name: identity.name, id: identity.id, unsaved: false };
    try {
      window.localStorage.setItem(IDENTITY_KEY, JSON.stringify({ name: identity.name, id: identity.id }));
      return true;
    } catch (e) {
      pageIdentity.unsaved = true;
      return false;
    }
  }

  Rollcall.identity = { key: IDENTITY_KEY, read: readIdentity };

  /* ------------------------------------------------------------------ scored */
  function scored(data, stage, status) {
    var state;
    var prefix = "rc-identity-" + data.quiz.id.replace(/[^a-z0-9]/gi, "-");

    /* Before a quiz: who is taking it (remembered), or the form asking for it. */
    function intro(focus) {
      var who = readIdentity();
      if (!who) { identityForm(null, focus); return; }
      var startButton = button("Start the quiz", start, { "data-rollcall": "start", className: "md-button md-button--primary" });
      show(stage, [
        h("p", { className: "rc-identity-known", "data-rollcall": "identity-known" }, [
          "You are taking this quiz as ", h("strong", { text: who.name, "data-rollcall": "identity-known-name" }),
          ", employee ID ", h("strong", { text: who.id, "data-rollcall": "identity-known-id" }), "."
        ]),
        h("div", { className: "rc-actions" }, [
          startButton,
          button("Not you? Change", function () { identityForm(who, true); }, { "data-rollcall": "identity-change" })
        ])
      ]);
      if (focus) startButton.focus();
    }

    function identityForm(previous, focus) {
      var headingId = prefix + "-heading";
      var built = Rollcall.identityForm({
        prefix: prefix,
        kind: "identity",
        attrs: { "aria-labelledby": headingId, "data-rollcall": "identity" },
        head: [h("h2", { id: headingId, className: "rc-question-heading", tabindex: "-1", text: "Who is taking this quiz?" })],
        why: "Your name and employee ID go on the record of this attempt that you hand in to the training unit. This device remembers them for next time. Both are required.",
        submit: { label: "Start the quiz", name: "start" },
        cancel: previous ? { label: "Cancel: keep " + previous.name, name: "identity-cancel", onClick: function () { intro(true); } } : null,
        say: function (message) { announce(status, message); },
        valid: function (who) {
          var remembered = saveIdentity(who);
          start();
          if (!remembered) announce(status, "This device could not remember your name and employee ID; you will be asked again next time.");
        }
      });
      show(stage, [built.form]);
      if (focus) built.first.focus();
    }

    function start() {
      var drawn = shuffled(data.questions).slice(0, data.quiz.draw);
      var who = readIdentity();
      state = {
        attempt_id: typeof Rollcall.newAttemptId === "function" ? Rollcall.newAttemptId() : null,
        employee: who,
        questions: drawn,
        options: drawn.map(function (q) { return shuffled(q.options); }),
        responses: {},
        index: 0,
        started: new Date().toISOString()
      };
      renderQuestion();
    }

    function save(form) {
      var q = state.questions[state.index];
      state.responses[q.id] = readResponse(form);
    }

    function renderQuestion() {
      var q = state.questions[state.index];
      var total = state.questions.length;
      var form = questionForm(q, state.index + 1, total, state.options[state.index], state.responses[q.id]);
      var actions = h("div", { className: "rc-actions" }, [
        state.index > 0 ? button("Previous", function () { save(form); state.index--; renderQuestion(); }, { "data-rollcall": "previous" }) : null,
        state.index + 1 < total
          ? button("Next", function () { save(form); state.index++; renderQuestion(); }, { "data-rollcall": "next" })
          : button("Review answers", function () { save(form); renderReview(); }, { "data-rollcall": "review" })
      ]);
      show(stage, [form, actions], ".rc-question-heading");
    }

    function renderReview() {
      var unanswered = state.questions.filter(function (q) { return !(state.responses[q.id] || []).length; }).length;
      var list = h("ol", { className: "rc-review-list" }, state.questions.map(function (q, i) {
        return h("li", {}, [
          h("span", { className: "rc-review-prompt", text: q.situation ? q.situation : q.prompt }),
          h("span", { className: "rc-review-answer" }, [h("strong", { text: "Your answer: " }), describeResponse(q, state.responses[q.id])]),
          button("Change answer " + (i + 1), function () { state.index = i; renderQuestion(); }, { className: "md-button rc-change" })
        ]);
      }));
      var warning = unanswered
        ? h("p", { className: "rc-warning", role: "alert", text: unanswered + " question" + (unanswered > 1 ? "s are" : " is") + " not answered and will score 0." })
        : h("p", { text: "All questions are answered." });
      show(stage, [
        h("h2", { className: "rc-question-heading", tabindex: "-1", text: "Review your answers before you submit" }),
        warning, list,
        h("div", { className: "rc-actions" }, [button("Submit answers", submit, { "data-rollcall": "submit", className: "md-button md-button--primary" })])
      ], ".rc-question-heading");
    }

    function submit() {
      var result = Rollcall.score.attempt(state.questions, state.responses, data.quiz.pass_mark);
      var attempt = {
        attempt_id: state.attempt_id,
        employee: state.employee,
        quiz: data.quiz.id,
        version: data.version,
        started: state.started,
        finished: new Date().toISOString(),
        questions: state.questions.map(function (q) { return q.id; }),
        responses: state.responses,
        score: result
      };
      var passed = result.passed;
      var summary = "You scored " + result.percent + "% (" + (Math.round(result.total * 100) / 100) + " of " + result.max + "). " +
        (passed ? "Passed" : "Not passed") + ": the pass mark is " + data.quiz.pass_mark + "%.";
      var reviews = state.questions.map(function (q, i) {
        return h("li", { className: "rc-result-question", "data-question-id": q.id }, [
          h("p", { className: "rc-situation", text: q.situation || "" }),
          h("p", { className: "rc-review-prompt", text: q.prompt }),
          feedback(data, q, state.responses[q.id], result.scores[q.id])
        ]);
      });
      show(stage, [
        h("h2", { className: "rc-question-heading", tabindex: "-1", text: passed ? "Passed" : "Not passed" }),
        h("p", { className: "rc-result-summary " + (passed ? "rc-right" : "rc-wrong"), "data-rollcall": "quiz-result",
                 "data-percent": String(result.percent), "data-passed": String(passed), text: summary }),
        h("h3", { text: "Every question, with the clause that governs it" }),
        h("ol", { className: "rc-result-list" }, reviews),
        h("div", { className: "rc-actions" }, [button("Take the quiz again", function () { intro(true); }, { "data-rollcall": "restart" })])
      ], ".rc-question-heading");
      announce(status, summary);
      document.dispatchEvent(new CustomEvent("rollcall:attempt", { detail: attempt }));
    }

    intro(false);
  }

  /* ------------------------------------------------------------ data files */
  /* In a large bank a page carries only its quiz's settings and `load: {src, key}`: the
   * questions are in a data file, a script that files them under `key` in
   * window.RollcallQuizData (generator/render/quizzes.py). Adding it as a <script> works from
   * file:// too, where a page may not fetch. */
  var loading = {}; /* src -> callbacks waiting for it */

  function loadScript(src, key, done) {
    var store = (window.RollcallQuizData = window.RollcallQuizData || {});
    if (store[key]) { done(store[key]); return; }
    if (loading[src]) { loading[src].push(done); return; }
    loading[src] = [done];
    var script = document.createElement("script");
    function finish() {
      var waiting = loading[src] || [];
      delete loading[src];
      waiting.forEach(function (callback) { callback(store[key] || null); });
    }
    script.onload = finish;
    script.onerror = function () {
      if (script.parentNode) script.parentNode.removeChild(script); /* a later visit tries again */
      finish();
    };
    script.src = src;
    document.head.appendChild(script);
  }

  /* The page's data with its questions: at once when they are in the page, else once the data
   * file is in. The complete data then goes into the page's JSON element too, where
   * record.js (and anyone reading the page) finds the questions. */
  function withQuestions(node, data, done) {
    if (!data.load) { done(data); return; }
    loadScript(data.load.src, data.load.key, function (shared) {
      if (!shared || shared.digest !== data.load.digest || !shared.questions) { done(null); return; }
      data.version = shared.version;
      data.questions = shared.questions;
      data.clauses = shared.clauses || {};
      delete data.load;
      node.textContent = JSON.stringify(data);
      done(data);
    });
  }

  function mountQuiz(root) {
    var stage = root.querySelector("[data-rollcall='quiz-stage']");
    var status = root.querySelector("[data-rollcall='quiz-status']");
    var node = root.querySelector("[data-rollcall='quiz-data']");
    var data, gone = false;
    function unreadable() {
      stage.textContent = "This quiz could not be read. Please tell the training unit.";
    }
    try {
      data = JSON.parse(node.textContent);
    } catch (e) {
      unreadable();
      return function () {};
    }
    if (data.load) stage.textContent = "Loading the questions…";
    withQuestions(node, data, function (full) {
      if (gone) return;
      if (!full) { unreadable(); return; }
      stage.textContent = "";
      if (full.quiz.mode === "practice") practice(full, stage, status);
      else scored(full, stage, status);
      root.setAttribute("data-ready", "true");
    });
    return function () { gone = true; stage.textContent = ""; root.removeAttribute("data-ready"); };
  }

  /* Idempotent: tears down quizzes whose page is gone, mounts the ones not yet mounted. */
  function mountAll() {
    mounted = mounted.filter(function (m) {
      if (m.root.isConnected) return true;
      m.teardown();
      return false;
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-rollcall='quiz']"), function (root) {
      if (root.getAttribute("data-ready") === "true") return;
      if (mounted.some(function (m) { return m.root === root; })) return; /* still loading its questions */
      mounted.push({ root: root, teardown: mountQuiz(root) });
    });
  }

  Rollcall.mountQuiz = mountQuiz;
  /* Material's document$ emits on every instant navigation; from file:// it may not emit at
   * all, so the first page is also mounted when the document is ready. */
  if (window.document$ && typeof window.document$.subscribe === "function") {
    if (Rollcall.quizSubscription) Rollcall.quizSubscription.unsubscribe();
    Rollcall.quizSubscription = window.document$.subscribe(mountAll);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mountAll);
  else mountAll();
})();
