"""The CAMEO codes the event types use, as GDELT publishes them (CAMEO.eventcodes and
CAMEO.goldsteinscale), with their PLOVER event type, and the rule that maps a type's value to one."""
from __future__ import annotations

from typing import NamedTuple, Optional

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
    # CAMEO2PLOVER files the 09 root (investigate) under ACCUSE, mode "investigate".
    "090": Cameo("Investigate, not specified below", -2.0, "ACCUSE"),
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
