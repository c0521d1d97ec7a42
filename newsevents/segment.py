"""Which sentences of an article speak of which event.

The classifier says that an article reports, say, a summit, and which sentences are most like one;
an article often reports two (a meeting held in Tokyo, another scheduled in Washington). Every
sentence that uses the type's vocabulary is a *mention* with a key: where and when a meeting is and
its status; who levies the duties; who spends. Mentions whose keys agree are one event; a mention
that names a new place (or levying party, or spender) starts another; one that names none belongs
to the event the article was last speaking of. A clause that only situates a sentence relative to
another meeting ("ahead of the summit") and a look back at an earlier meeting start no event.
Sentences without the type's words that carry its facts (the classifier's evidence, a figure right
after a mention) join the event next to them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Optional

from newsevents.dates import resolve_date
from newsevents.event_rules import (COST_SHARING, DUTY_WORD, MEETING, defense_parties, main_clause, meeting_place,
                                    sentence_status, tariff_parties)

TRIGGERS: dict[str, re.Pattern] = {
    "summit": MEETING,
    "tariff": DUTY_WORD,
    "defense_spending": re.compile(
        COST_SHARING.pattern + r"|\b(?:defen[cs]e|military|armed forces)\b(?:\s+\S+){0,3}?\s+(?:budget|spending|spend|"
        r"expenditures?|outlays?|contributions?|costs?)\b|"
        r"\bpercent of (?:GDP|gross domestic product|economic output)\b", re.IGNORECASE),
}
# The attributes that tell two events of a type apart; the first one names a new event by itself.
KEY_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "summit": ("place", "status", "date"),
    "tariff": ("imposer",),
    "defense_spending": ("spender",),
}
CONTINUATION_REACH = 2
_FIGURE = re.compile(r"\d\s*(?:%|percent|per cent|(?:thousand|million|billion|trillion)\b)|[$€£¥]\s?\d",
                     re.IGNORECASE)
# "their previous summit", "their first meeting happened in June": a look back at an earlier meeting.
_MEETING_NOUN = r"(?:meeting|summit|talks|visit|encounter)"
_LOOK_BACK = re.compile(rf"\b(?:previous|earlier|prior|former)\s+(?:\w+\s+)?{_MEETING_NOUN}\b|"
                        rf"\bfirst\s+(?:\w+\s+)?{_MEETING_NOUN}\s+(?:happened|took place|was held)\b", re.IGNORECASE)


@dataclass
class Mention:
    index: int  # the sentence's position in the article
    key: dict
    look_back: bool = False


@dataclass
class Event:
    indices: list[int] = field(default_factory=list)
    key: dict = field(default_factory=dict)

    def conflicts(self, key: dict, ignore: tuple[str, ...] = ()) -> bool:
        return any(v is not None and self.key.get(k) is not None and self.key[k] != v
                   for k, v in key.items() if k not in ignore)

    def add(self, m: Mention) -> None:
        self.indices.append(m.index)
        for k, v in m.key.items():
            if self.key.get(k) is None:
                self.key[k] = v


def _mention(event_type: str, index: int, sentence: str, reference: Optional[datetime]) -> Optional[Mention]:
    clause = main_clause(sentence)
    if not TRIGGERS[event_type].search(clause):
        return None  # only a background clause uses the type's words
    if event_type == "summit":
        key = {"place": meeting_place(clause)[1], "status": sentence_status(clause),
               "date": resolve_date(clause, reference)[0]}
        return Mention(index, key, look_back=bool(_LOOK_BACK.search(clause)))
    if event_type == "tariff":
        imposers, _ = tariff_parties([clause])
        return Mention(index, {"imposer": imposers[0] if imposers else None})
    return Mention(index, {"spender": defense_parties(clause)[0]})


def group_mentions(event_type: str, mentions: list[Mention]) -> list[Event]:
    primary = KEY_ATTRIBUTES[event_type][0]
    events: list[Event] = []
    for m in mentions:
        if m.look_back:
            continue
        named = m.key.get(primary)
        # The same place is the same meeting, whatever tense a sentence about it uses ("the decision to visit Tokyo").
        same = [e for e in events if named is not None and e.key.get(primary) == named
                and not e.conflicts(m.key, ignore=("status",))]
        target = same[0] if same else next((e for e in reversed(events) if not e.conflicts(m.key)
                                            and (named is None or e.key.get(primary) is None)), None)
        if target is None:
            if events and named is None:
                continue  # a sentence that fits no event
            target = Event()
            events.append(target)
        target.add(m)
    return events


def attach(events: list[Event], extra: list[int], after_only: bool = False, reach: int = CONTINUATION_REACH) -> None:
    """Sentences that do not use the type's words but carry its facts join the nearest event within
    ``reach`` sentences, the one before on a tie (or only one before: "The extra 10 billion dollars will
    fund submarines" continues what came before)."""
    taken = {i for e in events for i in e.indices}
    for x in extra:
        if x in taken:
            continue
        near = [(abs(x - i), i > x, e) for e in events for i in e.indices
                if abs(x - i) <= reach and not (after_only and i > x)]
        if near:
            min(near, key=lambda n: n[:2])[2].indices.append(x)


def segment(event_type: str, sentences: list[str], reference: Optional[datetime],
            evidence: tuple[int, ...] = ()) -> list[list[int]]:
    """Sentence indices of each event of ``event_type`` the article reports, in article order; the
    classifier's ``evidence`` and sentences stating figures join the event they follow."""
    mentions = [m for i, s in enumerate(sentences) if (m := _mention(event_type, i, s, reference))]
    events = group_mentions(event_type, mentions)
    attach(events, sorted(evidence))
    if event_type != "summit":
        attach(events, [i for i, s in enumerate(sentences) if _FIGURE.search(s)], after_only=True)
    return [sorted(e.indices) for e in events]
