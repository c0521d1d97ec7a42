"""Event codes that event-data users join on: CAMEO code, root code, QuadClass and Goldstein score as
GDELT publishes them, the PLOVER event type and mode, and a theme for what CAMEO has no code for.

Everything is data: ``CAMEO`` holds the codes we use with their codebook text, root class and
Goldstein value (GDELT's CAMEO.eventcodes / CAMEO.goldsteinscale lookups); each event type maps its
status, action or measure to a code (``EventType.code_rules``, in its module under
``newsevents.types``); ``code_rules()`` lists them all; ``event_codes`` only picks the rule.
The "Event codes" table of docs/columns.md is this module written out (``markdown_table``).
"""
from __future__ import annotations

from typing import Mapping, Optional

from newsevents.extraction.cameo import CAMEO, QUAD_CLASSES, Cameo, Rule, quad_class  # noqa: F401 - the codebook
from newsevents.types import event_types, get

CODE_COLUMNS = ("cameo_code", "cameo_root_code", "quad_class", "goldstein_scale", "plover_event_type",
                "plover_mode", "event_theme")


def code_rules() -> dict[tuple[str, str], Rule]:
    """(event type, value of its status / action / measure) -> code, every type's rules in the
    registry's order."""
    return {(t.name, value): rule for t in event_types() for value, rule in t.code_rules.items()}


def actor1(event_type: str, fields: Mapping) -> Optional[str]:
    """actor1_country where the row has it; else the same party from the type's own columns."""
    if fields.get("actor1_country"):
        return fields["actor1_country"]
    return get(event_type).row_actor1(fields)


def _rule(event_type: str, fields: Mapping) -> Optional[Rule]:
    kind = get(event_type)
    value = kind.code_value(fields)
    return kind.code_rules.get(kind.code_aliases.get(value, value))


def event_codes(event_type: str, fields: Mapping) -> dict:
    """The code columns of one event row (all None when its value has no rule)."""
    rule = _rule(event_type, fields)
    if rule is None:
        return dict.fromkeys(CODE_COLUMNS)
    cameo = CAMEO[rule.cameo] if rule.cameo else None
    return {
        "cameo_code": rule.cameo,
        "cameo_root_code": rule.cameo[:2] if rule.cameo else None,
        "quad_class": quad_class(rule.cameo[:2]) if rule.cameo else None,
        "goldstein_scale": cameo.goldstein if cameo else None,
        "plover_event_type": cameo.plover if cameo else None,
        "plover_mode": rule.plover_mode,
        "event_theme": rule.theme,
    }


def event_columns(event_type: str, fields: Mapping) -> dict:
    """Codes and place (ActionGeo) of one event row, from the row's own fields."""
    from newsevents.extraction.geocode import action_geo

    return {**event_codes(event_type, fields), **action_geo(event_type, fields, actor1(event_type, fields))}


def markdown_table() -> str:
    """The mapping as docs/columns.md shows it."""
    lines = ["| event type | value | CAMEO | CAMEO text | root | QuadClass | Goldstein | PLOVER | mode | theme |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for (event_type, value), rule in code_rules().items():
        cameo = CAMEO[rule.cameo] if rule.cameo else None
        cells = [event_type, value, rule.cameo, cameo and cameo.text, rule.cameo and rule.cameo[:2],
                 rule.cameo and quad_class(rule.cameo[:2]), cameo and cameo.goldstein, cameo and cameo.plover,
                 rule.plover_mode, rule.theme]
        lines.append("| " + " | ".join("" if c is None else str(c) for c in cells) + " |")
    return "\n".join(lines)
