/* Rollcall: a search of several words finds the sections that hold all of them (Lunr's
 * `+word*`), not every section with any of them, which in a large manual is thousands; when
 * none holds them all, Material's any-word results are shown. Queries in search syntax
 * (quotes, + - * ~ ^ field:) and single words go as typed. Loaded in the head, before
 * Material's bundle: window.Worker becomes a subclass that sends Material's search worker
 * one query (type 2) at a time, the latest typed, rewritten, and for an empty answer (type 3)
 * to a rewritten one asks again as typed. Other workers are left alone; no page content, so
 * nothing to redo on navigation. */
(function () {
  "use strict";

  var Native = window.Worker;
  if (typeof Native !== "function") return;

  var QUERY = 2;
  var RESULT = 3;

  /* Lunr's English stop words are not indexed: never required. */
  var STOP_WORDS = {};
  ("a able about across after all almost also am among an and any are as at be because been but by can " +
    "cannot could dear did do does either else ever every for from get got had has have he her hers him his " +
    "how however i if in into is it its just least let like likely may me might most must my neither no nor " +
    "not of off often on only or other our own rather said say says she should since so some than that the " +
    "their them then there these they this tis to too twas us wants was we were what when where which while " +
    "who whom why will with would yet you your").split(" ").forEach(function (word) {
    STOP_WORDS[word] = true;
  });

  /* mkdocs.yml's search separator; a period joins a citation (418.05.G). */
  var SEPARATOR = /[\s\-,;:!?=\[\]()"“”‘’\/]+/;
  var SYNTAX = /["+*~^:]|(^|\s)-/;

  /* Shorter words stay optional: Lunr gathers a required prefix's sections word by word, so
   * "+p*" (a word being typed) is slow and narrows little. */
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

  /* A query never goes to the worker while it is still on an earlier one: then only the
   * latest typed waits, and the ones typed between are dropped. Material asks at every key, and
   * a prefix typed on the way ("c", "crime scene p") can take the worker a second in a large
   * manual: queued one after another, they held up the answer to what was typed. */

  class AllWordsSearchWorker extends Native {
    constructor(url, options) {
      super(url, options);
      this.rcSent = []; /* per query sent, in order: the words as typed if rewritten, else null */
      this.rcNext = null; /* the latest query typed, not sent yet */
      this.rcRewrites = isSearchWorker(url);
      if (!this.rcRewrites) return;
      var worker = this;
      this.addEventListener("message", function (event) {
        var message = event.data;
        if (!message || message.type !== RESULT || worker.rcSent.length === 0) return;
        var typed = worker.rcSent.shift();
        var items = message.data && message.data.items;
        if (typed !== null && Array.isArray(items) && items.length === 0) {
          /* Nothing has every word: hold the answer back and, unless a newer query waits,
           * ask again as typed. */
          event.stopImmediatePropagation();
          if (worker.rcNext === null) worker.send({ type: QUERY, data: typed }, null);
        }
        worker.flush();
      });
    }

    send(message, typed) {
      this.rcSent.push(typed);
      super.postMessage(message);
    }

    flush() {
      if (this.rcNext === null || this.rcSent.length > 0) return; /* sent when the answer comes */
      var typed = this.rcNext;
      var rewritten = allWords(typed);
      this.rcNext = null;
      this.send({ type: QUERY, data: rewritten === null ? typed : rewritten }, rewritten === null ? null : typed);
    }

    postMessage(message, transfer) {
      if (!this.rcRewrites || !message || message.type !== QUERY) {
        return transfer === undefined ? super.postMessage(message) : super.postMessage(message, transfer);
      }
      this.rcNext = message.data;
      this.flush();
    }
  }

  window.Worker = AllWordsSearchWorker;
  (window.Rollcall = window.Rollcall || {}).searchAllWords = allWords;
})();
