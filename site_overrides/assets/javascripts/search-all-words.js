/* Rollcall: a search of several words finds the sections that contain all of them.
 *
 * Material's search returns every section that contains any of the words typed (each word
 * also matching as a prefix, as the reader types it). In a manual of hundreds of orders,
 * "crime scene photo" then matches thousands of sections that mention a crime, a scene or a
 * photo, and the one clause about crime scene photos has to be ranked out of all of them.
 * Here each word that the index holds is required instead (Lunr's `+word*`), so the results
 * are the sections with every word. When no section has them all, the reader gets Material's
 * own any-word results, as before. A query that already uses search syntax (quotes, +, -, *,
 * ~, ^, field:) is left exactly as typed, and so is a single word.
 *
 * How: Material talks to its search worker by messages ({type: 2, data: query} out,
 * {type: 3, data: {items}} back, in order). This file runs in the page head, before
 * Material's bundle creates the worker, and puts a Worker subclass in window.Worker that
 * rewrites the query on its way to Material's search worker and, when the rewritten query
 * finds nothing, holds that empty answer back and asks again with the words as typed.
 * Any other worker is left alone. No page content is touched, so nothing to re-initialise
 * on instant navigation: the worker lives as long as the page's scripts. */
(function () {
  "use strict";

  var Native = window.Worker;
  if (typeof Native !== "function") return;

  var QUERY = 2;
  var RESULT = 3;

  /* Words the search index leaves out (Lunr's English stop words): requiring one would
   * exclude every section, so they stay optional. */
  var STOP_WORDS = {};
  ("a able about across after all almost also am among an and any are as at be because been but by can " +
    "cannot could dear did do does either else ever every for from get got had has have he her hers him his " +
    "how however i if in into is it its just least let like likely may me might most must my neither no nor " +
    "not of off often on only or other our own rather said say says she should since so some than that the " +
    "their them then there these they this tis to too twas us wants was we were what when where which while " +
    "who whom why will with would yet you your").split(" ").forEach(function (word) {
    STOP_WORDS[word] = true;
  });

  /* Word separators of the site's search (mkdocs.yml `plugins: search: separator`), except
   * the period, which joins the parts of a citation such as 418.05.G. */
  var SEPARATOR = /[\s\-,;:!?=\[\]()"“”‘’\/]+/;
  var SYNTAX = /["+*~^:]|(^|\s)-/;

  /* Shorter words stay optional: Lunr unites the sections of every indexed word that starts
   * with a required prefix one word at a time, so "+p*" (the first letter of a word being
   * typed) costs a moment per word of the manual starting with p, and narrows little. */
  var REQUIRED_FROM = 3;

  function isRequired(word) {
    return word.length >= REQUIRED_FROM && !STOP_WORDS[word.toLowerCase()];
  }

  /* The query with every indexed word required, or null to send it as typed. */
  function allWords(query) {
    if (typeof query !== "string" || SYNTAX.test(query)) return null;
    var words = query.split(SEPARATOR).map(function (word) {
      return word.replace(/\.+$/, "");
    }).filter(function (word) {
      return word.length > 0;
    });
    if (words.filter(isRequired).length < 2) return null;
    return words.map(function (word) {
      return isRequired(word) ? "+" + word + "*" : word;
    }).join(" ");
  }

  function isSearchWorker(url) {
    return /\/workers\/search\.[^\/]*\.js(\?|#|$)/.test(String(url));
  }

  class AllWordsSearchWorker extends Native {
    constructor(url, options) {
      super(url, options);
      /* One entry per query sent, answered in the order sent: the words as typed when the
       * query was rewritten, else null. */
      this.rcSent = [];
      this.rcRewrites = isSearchWorker(url);
      if (!this.rcRewrites) return;
      var worker = this;
      this.addEventListener("message", function (event) {
        var message = event.data;
        if (!message || message.type !== RESULT || worker.rcSent.length === 0) return;
        var typed = worker.rcSent.shift();
        var items = message.data && message.data.items;
        if (typed === null || !Array.isArray(items) || items.length > 0) return;
        /* Nothing has every word. Hold this answer back; unless a newer query is already on
         * its way (its answer will replace this one), ask again with the words as typed. */
        event.stopImmediatePropagation();
        if (worker.rcSent.length === 0) worker.send({ type: QUERY, data: typed }, null);
      });
    }

    send(message, typed) {
      this.rcSent.push(typed);
      super.postMessage(message);
    }

    postMessage(message, transfer) {
      if (!this.rcRewrites || !message || message.type !== QUERY) {
        return transfer === undefined ? super.postMessage(message) : super.postMessage(message, transfer);
      }
      var rewritten = allWords(message.data);
      this.send(rewritten === null ? message : { type: QUERY, data: rewritten }, rewritten === null ? null : message.data);
    }
  }

  window.Worker = AllWordsSearchWorker;
  (window.Rollcall = window.Rollcall || {}).searchAllWords = allWords;
})();
