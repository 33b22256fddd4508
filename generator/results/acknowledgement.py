"""Acknowledgement records (format rollcall-acknowledgement/1): shape, and the check against the
archive of published order revisions (results/revisions.json).

An employee states on an order's page that they have read and understood one revision of it;
the browser (site_overrides/assets/javascripts/acknowledge.js) writes the record. The shape is
declared here as msgspec Structs; generator/schemas/acknowledgement.schema.json publishes the same
format and tests/results/test_acknowledgements.py keeps the two in agreement.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, Union

import msgspec

from .revisions import read_revisions

FORMAT = "rollcall-acknowledgement/1"
UUID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
REVISION_HASH = r"^[0-9a-f]{16}$"
DATE = r"^\d{4}-\d{2}-\d{2}$"
NOT_ACKNOWLEDGEMENT = "not an acknowledgement record"


class Employee(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    id: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]


class OrderRevision(msgspec.Struct, forbid_unknown_fields=True):
    number: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    title: Annotated[str, msgspec.Meta(max_length=500)]
    revision: Annotated[str, msgspec.Meta(pattern=DATE)]
    """The revision as people name it: its effective date."""
    revision_hash: Annotated[str, msgspec.Meta(pattern=REVISION_HASH)]
    """Identifies the revision's official text (generator/model.py)."""


class Acknowledgement(msgspec.Struct, forbid_unknown_fields=True):
    format: Literal["rollcall-acknowledgement/1"]
    id: Annotated[str, msgspec.Meta(pattern=UUID)]
    employee: Employee
    order: OrderRevision
    acknowledged: Annotated[dt.datetime, msgspec.Meta(tz=True)]
    site: Union[str, None] = None


def parse_acknowledgement(data: Any) -> Acknowledgement | str:
    """An acknowledgement from decoded JSON, or what is wrong with it."""
    try:
        return msgspec.convert(data, Acknowledgement)
    except msgspec.ValidationError as exc:
        return f"{NOT_ACKNOWLEDGEMENT}: {exc}"


def instant(value: dt.datetime) -> str:
    """A time as stored and compared: UTC, milliseconds (what browsers and LRSs keep)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def content(ack: Acknowledgement) -> str:
    """What an acknowledgement says, as compared between two records with the same id: who, which
    revision, when. (Where it was made, `site`, is not part of it: a file and the LRS copy of the
    same acknowledgement name the page differently.)"""
    return json.dumps([ack.employee.id.strip(), ack.employee.name.strip(), ack.order.number, ack.order.title,
                       ack.order.revision, ack.order.revision_hash, instant(ack.acknowledged)],
                      ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class Revisions:
    """The archive of published order revisions, for checking acknowledgements against."""

    path: str
    orders: dict[str, Any]
    problem: str | None = None

    @classmethod
    def read(cls, path: Path) -> "Revisions":
        if not path.exists():
            return cls(str(path), {}, f"there is no revision archive at {path}: build the site first")
        try:
            orders = read_revisions(path)["orders"]
            if not isinstance(orders, dict):
                raise TypeError
        except (OSError, ValueError, KeyError, TypeError):
            return cls(str(path), {}, f"the revision archive {path} cannot be read")
        return cls(str(path), orders)

    def check(self, ack: Acknowledgement) -> str | None:
        """Why the acknowledgement names a revision that was never published, or None."""
        order = ack.order
        if self.problem:
            return f"acknowledgement {ack.id} of GO {order.number} cannot be checked: {self.problem}"
        entry = self.orders.get(order.number)
        if not isinstance(entry, dict):
            return f"acknowledgement {ack.id}: GO {order.number} is not in the revision archive {self.path} (unknown or forged)"
        published = (entry.get("revisions") or {}).get(order.revision_hash)
        if not isinstance(published, dict):
            return (f"acknowledgement {ack.id}: GO {order.number} has no published revision {order.revision_hash} "
                    f"in {self.path} (unknown or forged)")
        if published.get("effective") != order.revision:
            return (f"acknowledgement {ack.id}: GO {order.number} revision {order.revision_hash} took effect on "
                    f"{published.get('effective')}, not {order.revision} (forged)")
        return None

    def current(self, number: str) -> str | None:
        entry = self.orders.get(number)
        return entry.get("current") if isinstance(entry, dict) else None

    def effective(self, number: str, digest: str) -> str | None:
        entry = self.orders.get(number)
        published = (entry.get("revisions") or {}).get(digest) if isinstance(entry, dict) else None
        return published.get("effective") if isinstance(published, dict) else None

    def title(self, number: str) -> str:
        entry = self.orders.get(number)
        return str(entry.get("title", "")) if isinstance(entry, dict) else ""


def row(ack: Acknowledgement, source: str, now: str) -> tuple:
    """The row of the acknowledgements table (generator/results/store.py)."""
    order = ack.order
    return (ack.id, ack.employee.id.strip(), ack.employee.name.strip(), order.number, order.title, order.revision,
            order.revision_hash, instant(ack.acknowledged), ack.site, content(ack), source, now)
