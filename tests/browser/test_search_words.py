"""A search of several words finds the sections that contain all of them (search-all-words.js)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from test_reference import search

REWRITES = [
    ("crime scene photo", "+crime* +scene* +photo*"),
    ("picture of my cruiser", "+picture* of my +cruiser*"),  # stop words stay optional
    ("crime scene p", "+crime* +scene* p"),  # a short word (being typed) stays optional
    ("crime scene photo.", "+crime* +scene* +photo*"),
    ("off-duty selfie", "off +duty* +selfie*"),
    ("418.05.G", None),  # one word: as typed
    ("photo", None),
    ("crime sc", None),  # only one word long enough
    ('"crime scene" photo', None),  # search syntax: as typed
    ("crime -photo", None),
    ("crime +scene", None),
    ("title:photo crime", None),
    ("phot* crime", None),
]


def test_the_script_splits_words_where_the_search_index_does():
    """search-all-words.js keeps its own copy of mkdocs.yml's search separator: they must agree,
    or a required word could be one the index never made."""
    root = Path(__file__).resolve().parents[2]
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    separator = next(p["search"]["separator"] for p in config["plugins"] if isinstance(p, dict) and "search" in p)
    script = (root / "site_overrides" / "assets" / "javascripts" / "search-all-words.js").read_text(encoding="utf-8")
    copied = re.search(r"var SEPARATOR = /(.*)/;", script).group(1)
    assert copied.replace("\\/", "/") == separator


@pytest.mark.parametrize("typed, sent", REWRITES)
def test_which_words_are_required(page, site_url, typed, sent):
    page.goto(site_url + "orders/418.html")
    assert page.evaluate("q => window.Rollcall.searchAllWords(q)", typed) == sent


def _result_texts(page) -> list[str]:
    return page.eval_on_selector_all(".md-search-result__item", "els => els.map(e => e.textContent.toLowerCase())")


def test_every_result_has_every_word(page, site_url):
    page.goto(site_url + "orders/418.html")
    anywhere = search(page, "crime")
    found = search(page, "crime scene photo")
    assert found[0] == "418.05.F"
    assert len(found) < len(anywhere)
    texts = _result_texts(page)
    assert texts and all("crime" in t and "scene" in t and "photo" in t for t in texts)


def test_without_a_section_holding_every_word_any_word_finds_them(page, site_url):
    page.goto(site_url + "orders/418.html")
    found = search(page, "selfie lawsuit")  # 05.E speaks of selfies, 05.D of lawsuits; none of both
    assert "418.05.E" in found and "418.05.D" in found
    # a newer query is not overtaken by the any-word answer to an older one
    assert search(page, "crime scene photo")[0] == "418.05.F"


def test_a_query_in_search_syntax_is_left_to_material(page, site_url):
    page.goto(site_url + "orders/418.html")
    assert search(page, '"crime scene" photo')[0] == "418.05.F"


def test_other_workers_are_left_alone(page, site_url):
    page.goto(site_url + "orders/418.html")
    echoed = page.evaluate("""() => new Promise(resolve => {
        const url = URL.createObjectURL(new Blob(["onmessage = e => postMessage(e.data)"], {type: "text/javascript"}));
        const worker = new Worker(url);
        worker.onmessage = e => { resolve(e.data); worker.terminate(); };
        worker.postMessage({type: 2, data: "crime scene photo"});
    })""")
    assert echoed == {"type": 2, "data": "crime scene photo"}


def test_from_a_file_share_too(page, built_site):
    """Opened from file://, Material's search runs in an iframe in place of a worker."""
    page.goto((built_site / "orders" / "418.html").as_uri())
    assert search(page, "crime scene photo")[0] == "418.05.F"
    assert page.evaluate("() => Worker.name") == "AllWordsSearchWorker"
    found = search(page, "selfie lawsuit")
    assert "418.05.E" in found and "418.05.D" in found


SENT_TO_THE_WORKER = """
(() => {
  const seen = window.__worker = {sent: [], answered: 0, mostAtOnce: 0};
  const Native = window.Worker;
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", e => { if (e.data && e.data.type === 3) seen.answered++; });
    }
    postMessage(message, ...rest) {
      if (message && message.type === 2) {
        seen.sent.push(message.data);
        seen.mostAtOnce = Math.max(seen.mostAtOnce, seen.sent.length - seen.answered);
      }
      return super.postMessage(message, ...rest);
    }
  };
})();
"""


def test_the_worker_gets_one_query_at_a_time_and_the_last_one_typed(page, site_url):
    page.add_init_script(SENT_TO_THE_WORKER)
    page.goto(site_url + "orders/418.html")
    assert search(page, "crime scene photo")[0] == "418.05.F"
    seen = page.evaluate("() => window.__worker")
    assert seen["sent"][-1] == "+crime* +scene* +photo*"
    assert seen["mostAtOnce"] == 1
    assert len(seen["sent"]) <= len("crime scene photo") + 1  # one per key at most, and the first


SLOW_WORKER = """
onmessage = (event) => {
  const started = Date.now();
  while (Date.now() - started < 500) {}  // a query that takes the worker half a second
  postMessage({type: 3, data: {items: [[{location: event.data.data}]]}});
};
"""


def test_while_the_worker_is_busy_only_the_latest_query_waits(page, site_url):
    page.route("**/workers/search.slow.js", lambda route: route.fulfill(body=SLOW_WORKER, content_type="text/javascript"))
    page.goto(site_url + "orders/418.html")
    answered = page.evaluate("""url => new Promise(resolve => {
        const worker = new Worker(url), answers = [];
        worker.addEventListener("message", e => {
            answers.push(e.data.data.items[0][0].location);
            if (answers.length === 2) resolve(answers);
        });
        ["first words", "second words", "third words"].forEach((q, i) =>
            setTimeout(() => worker.postMessage({type: 2, data: q}), i * 200));
    })""", site_url + "assets/javascripts/workers/search.slow.js")
    # "first" went after its pause and kept the worker busy; "second" waited and was replaced
    # by "third", sent when the worker answered
    assert answered == ["+first* +words*", "+third* +words*"]
