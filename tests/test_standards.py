"""The index by CALEA standard: each standard an order lists, linked both ways."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Callable

from generator.build import build_site
from tests.conftest import bundled_order_text


def test_standards_index_lists_each_standard_with_its_orders(make_project: Callable[[dict[str, str]], Path], tmp_path: Path) -> None:
    first = bundled_order_text().replace("calea_standards: []", "calea_standards: [41.3.10, 1.2.9, 41.3.8]")
    second = bundled_order_text().replace('number: "418"', 'number: "419"').replace("title: Social Media", "title: Body-Worn Cameras")
    second = second.replace("calea_standards: []", "calea_standards: [41.3.8]")
    third = bundled_order_text().replace('number: "418"', 'number: "420"').replace("title: Social Media", "title: Uniforms")
    project = make_project({"policy/go-418.yaml": first, "policy/go-419.yaml": second, "policy/go-420.yaml": third})
    out = tmp_path / "site"
    build_site(project, out, today=dt.date(2026, 11, 25), archive=tmp_path / "keys")
    page = (out / "standards.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr id="standard-([^"]+)"><th scope="row">([^<]+)</th><td>(.*?)</td></tr>', page)
    assert [r[0] for r in rows] == ["1.2.9", "41.3.8", "41.3.10"]  # numeric order
    orders = {r[0]: re.findall(r'href="orders/([^"]+)\.html"', r[2]) for r in rows}
    assert orders == {"1.2.9": ["418"], "41.3.8": ["418", "419"], "41.3.10": ["418"]}
    unlisted = page[page.index('id="orders-without-standards"'):]
    assert "GO 420: Uniforms" in unlisted and "GO 419" not in unlisted
    order_page = (out / "orders" / "419.html").read_text(encoding="utf-8")
    assert '<a href="../standards.html#standard-41.3.8">41.3.8</a>' in order_page


def test_bundled_site_has_a_standards_page_naming_418_as_listing_none(built_site: Path) -> None:
    page = (built_site / "standards.html").read_text(encoding="utf-8")
    assert "No order lists a CALEA standard yet." in page
    assert 'href="orders/418.html">GO 418: Social Media</a>' in page
