"""Rules shared by the event types: the main clause of a sentence. Each type's own rules (its fields,
its dyad, whether an event is kept) are in its module under ``newsevents.types``."""
from __future__ import annotations

import re

# A clause that places the sentence relative to another meeting ("Before the White House summit, he
# visited Tokyo"; "... ahead of the summit"): background, not the event the sentence reports.
_LEADING_BACKGROUND = re.compile(r"^(?:Before|After|Ahead of|Following|Prior to|On the eve of|Since|Unlike|While)\b"
                                 r"[^,]{0,80},\s*", re.IGNORECASE)
_TRAILING_BACKGROUND = re.compile(r",?\s*\b(?:ahead of|before|after|following|prior to|on the eve of|on the "
                                  r"sidelines of)\s+(?:the|a|an|his|her|their|its|next|this)\s+[^,.;]*?"
                                  r"(?:summit|meeting|talks|visit|trip)\b[^,.;]*", re.IGNORECASE)


def main_clause(sentence: str) -> str:
    """The sentence without the clauses that only situate it relative to another meeting."""
    return _TRAILING_BACKGROUND.sub("", _LEADING_BACKGROUND.sub("", sentence))


def is_event(event_type: str, fields) -> bool:
    """Whether an event's fields make a row (``EventType.is_event``: a defence event needs a spending
    country and a measure)."""
    from newsevents.types import get
    return get(event_type).is_event(fields.specific)
