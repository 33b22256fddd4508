/* Rollcall scorer: the browser half of one scoring specification (generator/score.py is the
 * other; tests/vectors/scoring.json pins both). Pure functions, no DOM, no libraries.
 *  - response: the array of option ids chosen (empty: unanswered);
 *  - verdict/clause/choice/definition: 1 when exactly the correct option is chosen, else 0;
 *  - select_all: (right chosen - wrong chosen) / number of right options, never below 0;
 *  - attempt: percent = 100 * total / max, rounded half up to 2 decimals for the record;
 *    passed when the unrounded percent >= pass mark. */
(function (root) {
  "use strict";

  function unique(list) {
    var seen = {}, out = [];
    for (var i = 0; i < list.length; i++) {
      if (!Object.prototype.hasOwnProperty.call(seen, list[i])) { seen[list[i]] = true; out.push(list[i]); }
    }
    return out;
  }

  function scoreQuestion(question, response) {
    var answer = question.answer;
    var chosen = unique(response || []);
    if (question.kind === "select_all") {
      var right = 0;
      for (var i = 0; i < chosen.length; i++) { if (answer.indexOf(chosen[i]) !== -1) right++; }
      var wrong = chosen.length - right;
      return Math.max(0, (right - wrong) / answer.length);
    }
    return chosen.length === 1 && chosen[0] === answer[0] ? 1 : 0;
  }

  function roundHalfUp(value, places) {
    var factor = Math.pow(10, places === undefined ? 2 : places);
    return Math.floor(value * factor + 0.5) / factor;
  }

  function scoreAttempt(questions, responses, passMark) {
    var scores = {}, total = 0;
    for (var i = 0; i < questions.length; i++) {
      var q = questions[i];
      var s = scoreQuestion(q, responses[q.id] || []);
      scores[q.id] = s;
      total += s;
    }
    var max = questions.length;
    var percent = max ? 100 * total / max : 0;
    return { scores: scores, total: total, max: max, percent: roundHalfUp(percent, 2), passed: percent >= passMark };
  }

  var Rollcall = (root.Rollcall = root.Rollcall || {});
  Rollcall.score = { question: scoreQuestion, attempt: scoreAttempt, roundHalfUp: roundHalfUp };
})(typeof window !== "undefined" ? window : this);
