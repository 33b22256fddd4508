"""Render the Markdown pages of the site: home, one page per order, glossary."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from typing import TYPE_CHECKING

from ..cache import Cache
from ..cache import key as cache_key
from ..decide import decidable
from .history import comparisons, history_rows, unit_href
from ..model import Clause, Item, Library, Order, Section, natural_key

if TYPE_CHECKING:
    from ..diff import OrderDiff
    from ..impact import ScenarioImpact
    from ..scenarios import Bank
    from .quizzes import Quiz
from .text import TermLink, attr_value, md_inline, paragraphs_html

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def longdate(value: dt.date) -> str:
    """Dates as the orders print them: April 03, 2021."""
    return value.strftime("%B %d, %Y")


def citation_forms(citation: str) -> list[str]:
    """The ways people type a citation: 418.05.G, 05.G, 5.G."""
    parts = citation.split(".")
    forms = [citation]
    if len(parts) > 2:
        rest = parts[1:]
        forms.append(".".join(rest))
        if rest[0].isdigit() and rest[0] != str(int(rest[0])):
            forms.append(".".join([str(int(rest[0]))] + rest[1:]))
    return forms


def search_aid(unit: Section | Clause | Item) -> Markup:
    """Hidden text the search index reads: citation forms (own and children's) and keywords.

    A clause lists its items' citations too, so that searching `418.05.G` ranks the clause
    above its items (it matches more of the expanded query terms).
    """
    own = citation_forms(unit.citation)
    children: list[str] = []
    if isinstance(unit, Section):
        children = [c.citation for c in unit.clauses]
    elif isinstance(unit, Clause):
        children = [form for item in unit.items for form in citation_forms(item.citation)]
    text = "Cite as " + ", ".join(own) + "."
    if children:
        text += " Contains " + ", ".join(children) + "."
    if unit.keywords:
        text += " Also found by: " + ", ".join(unit.keywords) + "."
    return Markup('<p class="rc-search-aid" hidden>{}</p>').format(text)


def status_badge(order: Order, today: dt.date) -> Markup:
    if order.review_overdue(today):
        return Markup(
            '<span class="rc-badge rc-badge--overdue" data-rollcall="status">Effective; '
            "<strong>review overdue</strong> since {}</span>"
        ).format(longdate(order.review))  # type: ignore[arg-type]
    if order.effective > today:
        return Markup('<span class="rc-badge rc-badge--pending" data-rollcall="status">Not yet effective (from {})</span>').format(longdate(order.effective))
    return Markup('<span class="rc-badge rc-badge--ok" data-rollcall="status">Effective</span>')


def status_notice(order: Order, today: dt.date) -> Markup:
    """The plain-language notice at the top of an order page."""
    if order.review_overdue(today):
        return Markup(
            '<div class="admonition warning rc-status" data-rollcall="status-notice" role="note">'
            '<p class="admonition-title">Review overdue</p>'
            "<p>This order is in effect, but its review date, {}, has passed and it has not been "
            "reviewed since. Follow it as written and ask a supervisor if it seems out of date.</p></div>"
        ).format(longdate(order.review))  # type: ignore[arg-type]
    return Markup('<p class="rc-status rc-status--ok" data-rollcall="status-notice">Status: {}</p>').format(
        "in effect" if order.effective <= today else f"takes effect {longdate(order.effective)}"
    )


@dataclass(frozen=True)
class GlossaryEntry:
    term: str
    text: str
    anchor: str
    section: str
    order: Order


class PageRenderer:
    def __init__(self, today: dt.date):
        self.today = today
        self.env = Environment(
            loader=FileSystemLoader(str(TEMPLATES)),
            autoescape=True,
            undefined=StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters.update(longdate=longdate, md=md_inline, attr=attr_value, paras_plain=paragraphs_html)
        self.env.globals.update(search_aid=search_aid)

    def order_page(self, order: Order, superseded: dict | None = None) -> str:
        """An order's page; `superseded` (revision, date, changes_href) marks an earlier revision's."""
        links = tuple(
            TermLink(d.term, d.also, f"#{d.anchor}", d.text) for d in order.definitions
        )

        def paras(text: str, anchor: str) -> Markup:
            return paragraphs_html(text, links, skip_href=f"#{anchor}")

        template = self.env.get_template("order.md.j2")
        return template.render(
            order=order,
            page_title=f"GO {order.number}: {order.title}" + (f" (revision of {order.revision})" if superseded else ""),
            status="" if superseded else status_notice(order, self.today),
            paras=paras,
            can_i=not superseded and decidable(order),
            superseded=superseded,
            history=[] if superseded or not order.history else history_rows(order),
        )

    def current_order_page(self, order: Order, cache_root: Path | None) -> str:
        """The order's page, taken from the project's cache while the order file, Rollcall and the
        order's status on this day are unchanged."""
        if not order.source_key or cache_root is None:
            return self.order_page(order)
        cache = Cache(cache_root)
        entry = cache_key("order-page", order.source_key, str(status_notice(order, self.today)))
        page = cache.get("pages", entry)
        if not isinstance(page, str):
            page = self.order_page(order)
            cache.put("pages", entry, page)
        return page

    def superseded_page(self, text: Order, current: Order, superseded_by: str) -> str:
        compared = {revision for revision, _, _ in comparisons(current)}
        date = dt.date.fromisoformat(superseded_by)
        changes = f"changes-{superseded_by}.html" if superseded_by in compared else None
        return self.order_page(text, {"revision": superseded_by, "date": date, "changes_href": changes})

    def changes_page(self, order: Order, diff: "OrderDiff", impacts: "list[ScenarioImpact] | None") -> str:
        return self.env.get_template("changes.md.j2").render(
            order=order, diff=diff, impacts=impacts,
            href=lambda citation, side: unit_href(order, diff, citation, side),
        )

    def can_i_page(self, orders: list[Order], data_json: str) -> str:
        return self.env.get_template("can-i.md.j2").render(orders=orders, data=Markup(data_json))

    def quiz_page(self, quiz: "Quiz", data_json: str) -> str:
        return self.env.get_template("quiz.md.j2").render(quiz=quiz, data=Markup(data_json))

    def training_page(self, library: Library, bank: "Bank", final: "Quiz") -> str:
        orders = sorted({m.order for m in bank.modules})
        return self.env.get_template("training.md.j2").render(modules=bank.modules, orders=orders, final=final, total=len(bank.questions))

    def orders_index(self, library: Library) -> str:
        return self.env.get_template("orders.md.j2").render(
            orders=library.orders, today=self.today, status_badge=lambda order: status_badge(order, self.today)
        )

    def home_page(self, library: Library, site_name: str, training: bool = False) -> str:
        return self.env.get_template("home.md.j2").render(
            orders=library.orders,
            training=training,
            can_i=any(decidable(o) for o in library.orders),
            site_name=site_name,
            today=self.today,
            status_badge=lambda order: status_badge(order, self.today),
        )

    def standards_page(self, library: Library) -> str:
        """The index by accreditation standard: each standard with the orders that list it."""
        by_standard: dict[str, list[Order]] = {}
        for order in library.orders:
            for standard in order.calea_standards:
                by_standard.setdefault(standard.strip(), []).append(order)
        standards = sorted(by_standard.items(), key=lambda entry: natural_key(entry[0]))
        unlisted = [o for o in library.orders if not o.calea_standards]
        return self.env.get_template("standards.md.j2").render(standards=standards, unlisted=unlisted)

    def glossary_page(self, library: Library) -> str:
        entries = sorted(
            (
                GlossaryEntry(d.term, d.text, d.anchor, s.citation, order)
                for order in library.orders
                for s in order.sections
                for d in s.definitions
            ),
            key=lambda e: (e.term.lower(), e.order.number),
        )
        return self.env.get_template("glossary.md.j2").render(entries=entries)
