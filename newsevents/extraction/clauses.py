"""The main clause of a sentence: what the event types' rules read (a clause that only situates the
sentence relative to another meeting is background). Each type's own rules are in its module under
``newsevents.types``."""
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
