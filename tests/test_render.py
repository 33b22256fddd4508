"""The built pages: the order verbatim, citations, anchors, defined terms, status, escaping."""

from __future__ import annotations

import datetime as dt
import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.build import build_site
from tests.conftest import SEED, bundled_order_text


INLINE = {"a", "span", "time", "strong", "em", "b", "i", "abbr", "code", "kbd"}


class _Text(HTMLParser):
    """Visible text of an HTML page (skips scripts, styles and hidden elements)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skipping = 0
        self.stack: list[bool] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "img", "meta", "link", "input", "hr"):
            return
        hidden = tag in ("script", "style") or any(k == "hidden" for k, _ in attrs)
        self.stack.append(hidden)
        self.skipping += hidden
        if tag not in INLINE:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in ("br", "img", "meta", "link", "input", "hr") or not self.stack:
            return
        self.skipping -= self.stack.pop()
        if tag not in INLINE:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def visible_text(page: Path) -> str:
    parser = _Text()
    parser.feed(page.read_text(encoding="utf-8"))
    return " ".join("".join(parser.parts).split())


def seed_units() -> list[str]:
    """The seed order's body split into its printed units, with labels stripped."""
    text = SEED.read_text(encoding="utf-8")
    body = text[text.index("01 Purpose:"):]
    units = []
    for line in body.splitlines():
        line = " ".join(line.split())
        if not line:
            continue
        line = re.sub(r"^\d\d [A-Za-z -]+: ?", "", line)  # 01 Purpose:
        line = re.sub(r"^[A-Z]\. (?:[A-Z][A-Za-z ]+: )?", "", line)  # A. Heading:
        line = re.sub(r"^\d\. ", "", line)  # 1.
        line = re.sub(r"^[A-Z][A-Za-z0-9. ]*?: ", "", line, count=1) if ":" in line[:20] else line  # Term:
        if line:
            units.append(line)
    return units


def sentences(unit: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.;])\s+(?=[A-Z0-9“\"])", unit) if s]


@pytest.fixture(scope="module")
def order_page(built_site: Path) -> str:
    return visible_text(built_site / "orders" / "418.html")


def test_every_sentence_of_the_seed_order_is_in_the_built_page(order_page):
    missing = [s for unit in seed_units() for s in sentences(unit) if s not in order_page]
    assert len(seed_units()) == 34  # 3 section texts, 10 definitions, 12 clauses, 8 items, 01 and 02
    assert missing == []


def test_every_label_of_the_seed_order_is_a_heading(built_site):
    page = (built_site / "orders" / "418.html").read_text(encoding="utf-8")
    headings = [" ".join(re.sub(r"<[^>]+>", " ", h).split()) for h in re.findall(r"<h[2-4][^>]*>(.*?)</h[2-4]>", page, re.S)]
    seed = SEED.read_text(encoding="utf-8")
    for number, heading in re.findall(r"^(\d\d) ([A-Za-z -]+):", seed, re.M):
        assert any(h.startswith(f"{number} {heading} ") for h in headings), heading
    for letter, heading in re.findall(r"^([A-H])\. ([A-Z][A-Za-z ]+): ", seed, re.M):
        assert any(h.startswith(f"{letter}. {heading} ") for h in headings), heading
    for term in re.findall(r"^\s*([A-Z][A-Za-z0-9. ]+): ", seed[seed.index("03 Definitions"):seed.index("04 On-The")], re.M)[1:]:
        assert any(h.startswith(f"{term} ") for h in headings), term


def test_header_fields_are_shown_as_printed(order_page):
    for field in ("TAKOMA PARK POLICE DEPARTMENT - GENERAL ORDERS", "Title Social Media", "Number 418",
                  "Effective Date April 03, 2018", "Review Date April 03, 2021",
                  "New / Amends / Rescinds Amends (Dated: April 06, 2011)", "Authority Chief Antonio DeVaul",
                  "CALEA Standards None listed", "Total Pages 4"):
        assert field in order_page


def test_every_unit_has_its_citation_as_anchor_and_visible_permalink(built_site):
    page = (built_site / "orders" / "418.html").read_text(encoding="utf-8")
    for citation in ["418.01", "418.03", "418.04.C", "418.04.C.4", "418.05.G.3", "418.05.H"]:
        assert re.search(rf'<h[2-4] [^>]*id="{re.escape(citation)}"', page), citation
        assert f'<a class="rc-cite" href="#{citation}" title="Link to {citation}">{citation}</a>' in page
    assert page.count('class="rc-cite"') == 25 + 10  # 25 sections/clauses/items, 10 definitions


def test_defined_terms_link_to_their_definition_with_a_tooltip(built_site):
    page = (built_site / "orders" / "418.html").read_text(encoding="utf-8")
    assert re.search(r'<a class="rc-term" href="#418\.03\.social-media" title="Social Media: A category of Internet-based[^"]*">social media</a>', page)
    assert re.search(r'<a class="rc-term" href="#418\.03\.blog" title="Blog: [^"]*">blogs</a>', page)
    # a definition does not link to itself
    blog = page[page.index('id="418.03.blog"'):page.index('id="418.03.page"')]
    assert 'href="#418.03.blog"' not in blog.split("</h3>", 1)[1]


def test_glossary_lists_every_term_with_its_order(built_site):
    text = visible_text(built_site / "glossary.html")
    for term in ["Blog", "Page", "Podcast", "Post", "Profile", "Social Media", "Social Networks", "Speech", "Web 2.0", "Wiki"]:
        assert f"{term} " in text
    assert "Defined in GO 418, section 418.03 (Social Media)" in text
    assert 'href="orders/418.html#418.03.web-2-0"' in (built_site / "glossary.html").read_text()


def test_home_page_says_plainly_that_the_review_is_overdue(built_site):
    home = visible_text(built_site / "index.html")
    assert "GO 418 Social Media April 03, 2018 April 03, 2021 Effective; review overdue since April 03, 2021" in home
    order = visible_text(built_site / "orders" / "418.html")
    assert "Review overdue This order is in effect, but its review date, April 03, 2021, has passed" in order


def test_order_under_review_date_is_shown_as_effective(make_project, tmp_path):
    text = bundled_order_text().replace("review: 2021-04-03", "review: 2031-04-03")
    project = make_project({"policy/go-418.yaml": text})
    build_site(project, project / "site", today=dt.date(2026, 11, 25))
    home = visible_text(project / "site" / "index.html")
    assert "April 03, 2031 Effective" in home and "overdue" not in home


def test_text_from_yaml_is_escaped_in_html(make_project):
    text = bundled_order_text().replace(
        "Criminal or traffic investigations;", "Criminal <script>alert(1)</script> & traffic *investigations*;"
    ).replace("heading: Authorization of Postings", "heading: Authorization <b>of</b> Postings")
    project = make_project({"policy/go-418.yaml": text})
    build_site(project, project / "site", today=dt.date(2026, 11, 25))
    page = (project / "site" / "orders" / "418.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page
    assert "Criminal &lt;script&gt;alert(1)&lt;/script&gt; &amp; traffic *investigations*;" in page
    assert "<b>of</b>" not in page and "&lt;b&gt;of&lt;/b&gt;" in page
    assert "Criminal <script>alert(1)</script> & traffic *investigations*;" in visible_text(project / "site" / "orders" / "418.html") or \
        html.unescape("Criminal &lt;script&gt;alert(1)&lt;/script&gt; &amp; traffic *investigations*;") in html.unescape(page)


def test_site_loads_nothing_from_another_origin(built_site):
    loads = re.compile(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="(https?:)?//', re.I)
    for page in built_site.rglob("*.html"):
        assert not loads.search(page.read_text(encoding="utf-8")), page
    for css in built_site.rglob("*.css"):
        assert "fonts.googleapis" not in css.read_text(encoding="utf-8")
