"""A department's manual: the navigation in each page stays the size of one chapter."""

from __future__ import annotations

import re

from generator.build import build_site
from generator.render.config import CHAPTER_SIZE


def tiny_order(number: int) -> str:
    return f"""number: "{number}"
title: Order {number}
effective: 2020-01-01
sections:
  - number: "01"
    heading: Purpose
    text: The purpose of order {number}.
"""


def test_large_manual_is_chaptered_and_each_page_carries_only_its_chapter(make_project):
    count = CHAPTER_SIZE * 2 + 10
    project = make_project({f"policy/go-{n}.yaml": tiny_order(n) for n in range(100, 100 + count)})
    build_site(project, project / "site")
    page = (project / "site" / "orders" / "105.html").read_text()
    nav = page.split('class="md-nav md-nav--primary"', 1)[1].split('md-sidebar--secondary', 1)[0]
    linked = set(re.findall(r'href="(\d+)\.html"', nav))
    # its own chapter's orders, and one link into each other chapter (its first order)
    assert linked == {str(n) for n in range(100, 100 + CHAPTER_SIZE)} | {str(100 + CHAPTER_SIZE), str(100 + 2 * CHAPTER_SIZE)}
    assert f"GO 100–{100 + CHAPTER_SIZE - 1}" in nav and f"GO {100 + 2 * CHAPTER_SIZE}–{100 + count - 1}" in nav
    index = (project / "site" / "orders" / "index.html").read_text()
    assert len(set(re.findall(r'href="(\d+)\.html"', index))) == count  # every order is one click away
