"""A search of several words finds the sections that contain all of them (search-all-words.js)."""

from __future__ import annotations

import pytest

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
