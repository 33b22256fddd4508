"""Write the MkDocs configuration for one build: the project's mkdocs.yml plus generated parts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..errors import RollcallError
from ..model import Library


def read_site_config(root: Path) -> dict[str, Any]:
    path = root / "mkdocs.yml"
    try:
        config = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RollcallError.at("mkdocs.yml", 1, f"cannot read: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise RollcallError.at("mkdocs.yml", mark.line + 1 if mark else 1, f"malformed YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(config, dict):
        raise RollcallError.at("mkdocs.yml", 1, "expected a mapping of MkDocs settings")
    return config


HOOKS = Path(__file__).resolve().parent.parent / "mkdocs_hooks.py"
"""MkDocs hooks every build runs: they drop what a built page no longer needs (see the file)."""

CHAPTER_SIZE = 50
"""Orders per navigation chapter once a manual outgrows one flat list."""


def order_chapters(library: Library) -> list[tuple[str, list[Any]]]:
    """Orders in chapters of at most CHAPTER_SIZE, titled by their number range."""
    orders = list(library.orders)
    chapters = []
    for start in range(0, len(orders), CHAPTER_SIZE):
        chunk = orders[start:start + CHAPTER_SIZE]
        title = f"GO {chunk[0].number}–{chunk[-1].number}" if len(chunk) > 1 else f"GO {chunk[0].number}"
        chapters.append((title, chunk))
    return chapters


def navigation(library: Library, training: list[Any] | None = None, can_i: str | None = None) -> list[Any]:
    """Site navigation. Every page carries the navigation, so its size must not grow with the
    manual: beyond one chapter, orders are grouped in chapters of CHAPTER_SIZE and Material's
    `navigation.prune` renders only the chapter the reader is in (plus the chapter titles)."""
    def entry(o: Any) -> dict[str, str]:
        return {f"GO {o.number}: {o.title}": f"orders/{o.slug}.md"}

    chapters = order_chapters(library)
    if len(chapters) <= 1:
        orders: list[Any] = [entry(o) for o in library.orders]
    else:
        orders = [{"All orders": "orders/index.md"}] + [{title: [entry(o) for o in chunk]} for title, chunk in chapters]
    nav: list[Any] = [
        {"Home": "index.md"},
        {"Orders": orders},
        {"Glossary": "glossary.md"},
    ]
    if can_i:
        nav.append({"Can I…?": can_i})
    if training:
        nav.append({"Training": training})
    nav.append({"CALEA standards": "standards.md"})
    return nav


def theme_overrides(root: Path, config: dict[str, Any] | None = None) -> Path | None:
    """The theme's custom_dir (Material overrides) named by the project's mkdocs.yml, resolved."""
    theme = (config if config is not None else read_site_config(root)).get("theme") or {}
    return (root / theme["custom_dir"]).resolve() if isinstance(theme, dict) and "custom_dir" in theme else None


def build_config(root: Path, library: Library, docs_dir: Path, site_dir: Path, training: list[Any] | None = None,
                 can_i: str | None = None) -> dict[str, Any]:
    config = read_site_config(root)
    config["docs_dir"] = str(docs_dir)
    config["site_dir"] = str(site_dir)
    theme = dict(config.get("theme") or {})
    overrides = theme_overrides(root, config)
    if overrides is not None:
        theme["custom_dir"] = str(overrides)
    config["theme"] = theme
    config["nav"] = navigation(library, training, can_i)
    config["hooks"] = [*(config.get("hooks") or []), str(HOOKS)]
    return config


def write_config(config: dict[str, Any], path: Path) -> None:
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
