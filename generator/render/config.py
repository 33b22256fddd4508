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


def navigation(library: Library, training: list[Any] | None = None) -> list[Any]:
    nav: list[Any] = [
        {"Home": "index.md"},
        {"Orders": [{f"GO {o.number}: {o.title}": f"orders/{o.slug}.md"} for o in library.orders]},
        {"Glossary": "glossary.md"},
    ]
    if training:
        nav.append({"Training": training})
    return nav


def build_config(root: Path, library: Library, docs_dir: Path, site_dir: Path, training: list[Any] | None = None) -> dict[str, Any]:
    config = read_site_config(root)
    config["docs_dir"] = str(docs_dir)
    config["site_dir"] = str(site_dir)
    theme = dict(config.get("theme") or {})
    if "custom_dir" in theme:
        theme["custom_dir"] = str((root / theme["custom_dir"]).resolve())
    config["theme"] = theme
    config["nav"] = navigation(library, training)
    return config


def write_config(config: dict[str, Any], path: Path) -> None:
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
