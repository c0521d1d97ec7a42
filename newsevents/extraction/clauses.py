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


# Where one sentence passes from one reported event to the next: a semicolon or colon, ", and" / ", while"
# before a new clause, "and" before a verb in the past tense ("announced a tariff ... and opened an
# investigation") or before another money figure ("136.5 billion euros in 2028 and 152.8 billion euros in 2029").
_CLAUSE_SPLIT = re.compile(
    r"\s*;\s+|(?<!\d):\s+(?=\D)|,\s+(?:and|while|whereas|but)\s+|,\s+(?=(?:adding|bringing|taking)\s+(?:another\s+|a further\s+)?(?:[$€£¥]\s?)?\d)|,\s+(?=(?:then|later|separately|also)\b)|"
    r"\s+and\s+(?:also\s+|then\s+|later\s+)?(?=(?:opened|launched|began|started|imposed|announced|raised|cut|"
    r"lowered|threatened|warned|agreed|met|held|received|hosted|visited|travel+ed|flew|signed|approved|passed|"
    r"pledged|set|unveiled|put)\b)|"
    r"\s+and\s+(?=(?:another\s+|a further\s+)?(?:[$€£¥]\s?)?\d[\d.,]*\s*(?:billion|million|trillion|bn)\b)|"
    r"\s+and\s+(?=that\b|with\b)|"
    # "... in new military funding as Wellington aims to double defence spending"
    r"\s+as\s+(?=(?:\w+\s+){1,3}(?:aims?|plans?|seeks?|wants?|moves?|prepares?|pledges?|vows?)\b)|"
    # a sentence break the sentence splitter took for an abbreviation ("hosted by Ferdinand Marcos Jr. On the ...")
    r"(?<=[a-z]\.)\s+(?=(?-i:[A-Z][a-z]))",
    re.IGNORECASE)
_WITH = re.compile(r"^with\b", re.IGNORECASE)


def split_clauses(sentence: str) -> list[str]:
    """The pieces of a sentence that may each report an event of their own, in order; one piece
    where the sentence has no such break. A piece that goes on with "with" ("held talks with A and with
    B") takes the words before the other piece's "with" ("held talks with B")."""
    pieces = [p.strip() for p in _CLAUSE_SPLIT.split(sentence)]
    pieces = [p for p in pieces if p] or [sentence]
    for n in range(1, len(pieces)):
        before = pieces[n - 1].rfind(" with ")
        if _WITH.match(pieces[n]) and before > 0:
            pieces[n] = f"{pieces[n - 1][:before]} {pieces[n]}"
    return pieces
