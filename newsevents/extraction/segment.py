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

from newsevents.extraction.clauses import main_clause
from newsevents.types import get

CONTINUATION_REACH = 2
_FIGURE = re.compile(r"\d\s*(?:%|percent|per cent|(?:thousand|million|billion|trillion)\b)|[$€£¥]\s?\d",
                     re.IGNORECASE)


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


# The type's cue (EventType.mention_cue) makes a sentence's main clause a mention; its key
# (EventType.mention_key, EventType.key_attributes: the first one names a new event by itself) tells
# two events apart.
def _mention(event_type: str, index: int, sentence: str, reference: Optional[datetime]) -> Optional[Mention]:
    kind = get(event_type)
    clause = main_clause(sentence)
    if not kind.mention_cue.search(clause):
        return None  # only a background clause uses the type's words
    return Mention(index, kind.mention_key(clause, reference),
                   look_back=bool(kind.look_back and kind.look_back.search(clause)))


def group_mentions(event_type: str, mentions: list[Mention]) -> list[Event]:
    primary = get(event_type).key_attributes[0]
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
    if get(event_type).figures_join:
        attach(events, [i for i, s in enumerate(sentences) if _FIGURE.search(s)], after_only=True)
    return [sorted(e.indices) for e in events]
