"""Writing an imported order as policy YAML."""

from __future__ import annotations

from typing import Any

import yaml


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value or len(value) > 60:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=">")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str)


def order_yaml(order: dict[str, Any], source: str) -> str:
    head = (f"# yaml-language-server: $schema=../generator/schemas/order.schema.json\n"
            f"# Imported from {source} by `rollcall import-order`.\n")
    return head + yaml.dump(order, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=96, indent=2)
