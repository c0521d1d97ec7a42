"""Display data for the project's transforms: what a runner's job page shows of each step."""
from __future__ import annotations

import dataclasses
from typing import Any


def _shown(value: Any):
    if isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (tuple, list, frozenset, set)):
        return ",".join(str(v) for v in value)
    return None


def config_display(**named: Any) -> dict:
    """Display items of plain values and of the simple fields of dataclass configs (``name.field``);
    None and nested structures are left out."""
    items: dict = {}
    for name, value in named.items():
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            for f in dataclasses.fields(value):
                shown = _shown(getattr(value, f.name))
                if shown is not None:
                    items[f"{name}.{f.name}"] = shown
        elif (shown := _shown(value)) is not None:
            items[name] = shown
    return items
