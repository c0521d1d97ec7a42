"""Event codes that event-data users join on: CAMEO code, root code, QuadClass and Goldstein score as
GDELT publishes them, the PLOVER event type and mode, and a theme for what CAMEO has no code for.

Everything is data: ``CAMEO`` holds the codes we use with their codebook text, root class and
Goldstein value (GDELT's CAMEO.eventcodes / CAMEO.goldsteinscale lookups); ``CODE_RULES`` maps an
event type and its status, action or measure to a code; ``event_codes`` only picks the rule.
The README's "Event codes" table is this module written out.
"""
from __future__ import annotations

from typing import Mapping, NamedTuple, Optional

# GDELT's QuadClass of each CAMEO root code (01-05 verbal cooperation, 06-09 material cooperation,
# 10-14 verbal conflict, 15-20 material conflict).
QUAD_CLASSES = {1: "Verbal Cooperation", 2: "Material Cooperation", 3: "Verbal Conflict", 4: "Material Conflict"}


def quad_class(root_code: str) -> int:
    root = int(root_code)
    return 1 if root <= 5 else 2 if root <= 9 else 3 if root <= 14 else 4


class Cameo(NamedTuple):
    text: str          # the code's description in GDELT's CAMEO.eventcodes
    goldstein: float   # its value in GDELT's CAMEO.goldsteinscale
    plover: str        # PLOVER event type (CAMEO2PLOVER table and the PLOVER manual's definitions)


CAMEO: dict[str, Cameo] = {
    "036": Cameo("Express intent to meet or negotiate", 4.0, "AGREE"),
    "040": Cameo("Consult, not specified below", 1.0, "CONSULT"),
    "043": Cameo("Host a visit", 2.8, "CONSULT"),
    "046": Cameo("Engage in negotiation", 7.0, "CONSULT"),
    "057": Cameo("Sign formal agreement", 8.0, "SUPPORT"),
    "085": Cameo("Ease economic sanctions, boycott, embargo", 7.0, "RETREAT"),
    "125": Cameo("Reject proposal to meet, discuss, or negotiate", -5.0, "REJECT"),
    "1312": Cameo("Threaten to boycott, embargo, or sanction", -5.8, "THREATEN"),
    # CAMEO2PLOVER files 163 under COERCE, but the PLOVER manual lists "impose embargo, boycott,
    # or sanctions" and restricting commercial exchange under SANCTION: duties are the latter.
    "163": Cameo("Impose embargo, boycott, or sanctions", -8.0, "SANCTION"),
}


class Rule(NamedTuple):
    cameo: Optional[str]
    plover_mode: Optional[str] = None
    theme: Optional[str] = None


# (event type, value of its status / action / measure) -> code. Summit "held" is split by where it
# took place (see _summit_key); "planned", the value before the status set grew, reads as scheduled.
CODE_RULES: dict[tuple[str, str], Rule] = {
    ("summit", "held_hosted"): Rule("043", "host"),             # actor1 hosts actor2
    ("summit", "held_multilateral"): Rule("040", "multilateral"),
    ("summit", "held_third_party"): Rule("040", "third-party"),  # no participant hosts it
    ("summit", "held"): Rule("040"),                            # where or who is unknown
    ("summit", "scheduled"): Rule("036"),
    ("summit", "in_negotiation"): Rule("046"),
    ("summit", "cancelled"): Rule("125", "meet"),
    ("tariff", "impose"): Rule("163"),
    ("tariff", "raise"): Rule("163"),
    ("tariff", "retaliate"): Rule("163"),
    ("tariff", "threaten"): Rule("1312", "restrict"),
    ("tariff", "cut"): Rule("085", "ease"),
    ("tariff", "suspend"): Rule("085", "ease"),
    ("tariff", "exempt"): Rule("085", "ease"),
    ("tariff", "deal"): Rule("057"),
    ("defense_spending", "budget"): Rule(None, theme="DEFENSE_SPENDING_BUDGET"),
    ("defense_spending", "target"): Rule(None, theme="DEFENSE_SPENDING_TARGET"),
    ("defense_spending", "cost_sharing"): Rule(None, theme="DEFENSE_SPENDING_COST_SHARING"),
}
ALIASES = {("summit", "planned"): ("summit", "scheduled")}
CODE_COLUMNS = ("cameo_code", "cameo_root_code", "quad_class", "goldstein_scale", "plover_event_type",
                "plover_mode", "event_theme")


def actor1(event_type: str, fields: Mapping) -> Optional[str]:
    """actor1_country where the row has it; else the same party from the type's own columns."""
    if fields.get("actor1_country"):
        return fields["actor1_country"]
    if event_type == "summit":
        host, leaders = fields.get("host_country"), fields.get("leader_countries") or []
        return host if host in leaders else (leaders[0] if leaders else host)
    if event_type == "tariff":
        return (fields.get("imposing_countries") or [None])[0]
    return fields.get("country")


def _summit_key(fields: Mapping) -> str:
    status = fields.get("status") or "held"
    if status != "held":
        return status
    host = fields.get("host_country")
    if not host:
        return "held"
    parties = {fields.get("actor1_country"), fields.get("actor2_country"), *(fields.get("leader_countries") or [])}
    parties.discard(None)
    if not parties:  # nobody's country known: whether the host takes part is unknown too
        return "held"
    if host in parties:
        return "held_hosted"
    return "held_multilateral" if fields.get("format") == "multilateral" else "held_third_party"


def _key(event_type: str, fields: Mapping) -> tuple[str, Optional[str]]:
    if event_type == "summit":
        value = _summit_key(fields)
    elif event_type == "tariff":
        value = fields.get("action")
    else:  # rows written before `measure` existed only say whether it is about cost sharing
        value = fields.get("measure") or ("cost_sharing" if fields.get("cost_sharing") else "budget")
    return ALIASES.get((event_type, value), (event_type, value))


def event_codes(event_type: str, fields: Mapping) -> dict:
    """The code columns of one event row (all None when its value has no rule)."""
    rule = CODE_RULES.get(_key(event_type, fields))
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
    from newsevents.geocode import action_geo

    return {**event_codes(event_type, fields), **action_geo(event_type, fields, actor1(event_type, fields))}


def markdown_table() -> str:
    """The mapping as the README shows it."""
    lines = ["| event type | value | CAMEO | CAMEO text | root | QuadClass | Goldstein | PLOVER | mode | theme |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for (event_type, value), rule in CODE_RULES.items():
        cameo = CAMEO[rule.cameo] if rule.cameo else None
        cells = [event_type, value, rule.cameo, cameo and cameo.text, rule.cameo and rule.cameo[:2],
                 rule.cameo and quad_class(rule.cameo[:2]), cameo and cameo.goldstein, cameo and cameo.plover,
                 rule.plover_mode, rule.theme]
        lines.append("| " + " | ".join("" if c is None else str(c) for c in cells) + " |")
    return "\n".join(lines)
