"""The archive of order revisions (results/revisions.json): every revision a build has published.

Acknowledgements name an order's revision by its hash; the archive says which revisions exist
and which one is current. Entries are only ever added: a revision once published stays known.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from ..model import Library

FORMAT = "rollcall-revisions/1"


def revisions_file(answer_keys: Path) -> Path:
    """The archive sits beside the answer-key archive (results/revisions.json)."""
    return answer_keys.parent / "revisions.json"


def read_revisions(path: Path) -> dict[str, Any]:
    """{"format", "orders": {number: {"title", "current": hash, "revisions": {hash: {"effective", "first_built"}}}}}"""
    if not path.exists():
        return {"format": FORMAT, "orders": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def archive_revisions(library: Library, path: Path, today: dt.date) -> dict[str, Any]:
    """Add the library's revisions (current and earlier ones whose text is held) to the archive."""
    archive = read_revisions(path)
    orders = archive.setdefault("orders", {})
    for order in library.orders:
        entry = orders.setdefault(order.number, {"title": order.title, "current": None, "revisions": {}})
        entry["title"] = order.title
        entry["current"] = order.revision_hash
        held = [(r.revision, r.revision_hash) for r in order.history if r.revision_hash] + [(order.revision, order.revision_hash)]
        for effective, digest in held:
            entry["revisions"].setdefault(digest, {"effective": effective, "first_built": today.isoformat()})
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(archive, indent=1, sort_keys=True), encoding="utf-8")
    temporary.replace(path)
    return archive
