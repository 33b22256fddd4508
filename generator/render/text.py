"""Turn verbatim order text into safe HTML and Markdown: escaping, paragraphs, defined terms."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from markupsafe import Markup

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]#!|~^])")


def md_inline(text: str) -> Markup:
    """Text safe inside a Markdown heading: HTML-escaped and Markdown-escaped."""
    return Markup(_MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False)))


def attr_value(text: str) -> Markup:
    """Text safe inside a double-quoted attribute of an attr_list (`{ key="..." }`)."""
    return Markup(html.escape(text, quote=True).replace("{", "&#123;").replace("}", "&#125;"))


@dataclass(frozen=True)
class TermLink:
    """A defined term and where its definition lives."""

    term: str
    forms: tuple[str, ...]
    href: str
    definition: str


@lru_cache(maxsize=4096)
def _term_pattern(links: tuple[TermLink, ...]) -> re.Pattern[str] | None:
    return _build_term_pattern(links)


def term_pattern(links: Iterable[TermLink]) -> re.Pattern[str] | None:
    """One compiled pattern per set of terms (an order's)."""
    return _term_pattern(tuple(links))


def _build_term_pattern(links: Iterable[TermLink]) -> re.Pattern[str] | None:
    alternatives = []
    for link in links:
        for form in (link.term, *link.forms):
            stem = re.escape(form[:-1] if form.lower().endswith("s") and len(form) > 3 else form)
            stem = stem.replace(r"\ ", r"\s+")
            alternatives.append((len(form), stem))
    if not alternatives:
        return None
    body = "|".join(stem for _, stem in sorted(alternatives, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{body})(?:s|es|ed|ing|ings)?(?![\w-])", re.IGNORECASE)


def _find_link(matched: str, links: Iterable[TermLink]) -> TermLink | None:
    words = " ".join(matched.lower().split())
    best = None
    for link in links:
        for form in (link.term, *link.forms):
            f = form.lower()
            base = f[:-1] if f.endswith("s") and len(f) > 3 else f
            if words.startswith(base) and (best is None or len(base) > best[0]):
                best = (len(base), link)
    return best[1] if best else None


def paragraphs_html(
    text: str,
    links: tuple[TermLink, ...] = (),
    skip_href: str | None = None,
) -> Markup:
    """Verbatim text as <p> elements, escaped; the first use of each defined term is linked."""
    pattern = term_pattern(links)  # one pattern per order; the term being defined is skipped below
    out = []
    for paragraph in text.split("\n\n"):
        out.append(f"<p>{_link_terms(paragraph, pattern, links, skip_href)}</p>")
    return Markup("\n".join(out))


def _link_terms(text: str, pattern: re.Pattern[str] | None, links: tuple[TermLink, ...], skip_href: str | None) -> str:
    if pattern is None:
        return html.escape(text, quote=False)
    pieces, cursor, linked = [], 0, set()
    for match in pattern.finditer(text):
        link = _find_link(match.group(0), links)
        if link is None or link.href == skip_href or link.href in linked:
            continue
        linked.add(link.href)
        pieces.append(html.escape(text[cursor : match.start()], quote=False))
        tip = f"{link.term}: {link.definition}"
        pieces.append(
            f'<a class="rc-term" href="{html.escape(link.href)}" title="{html.escape(tip)}">'
            f"{html.escape(match.group(0), quote=False)}</a>"
        )
        cursor = match.end()
    pieces.append(html.escape(text[cursor:], quote=False))
    return "".join(pieces)
