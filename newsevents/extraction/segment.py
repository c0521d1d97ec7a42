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

The decision is taken clause by clause: a sentence whose clauses report different events ("announced
a tariff ... and opened an investigation", "93.4 billion euros next year ... 136.5 billion euros in
2028") gives each its own mention, with the clause as its text. A mention that names no new place
(or levying party, or spender) but differs from every event in what tells two events of the same
party apart (``EventType.splitting_attributes``: who meets whom, the tariff action, the budget year
and measure) starts an event of its own, of the party the article was last speaking of.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Optional

from newsevents.extraction.clauses import main_clause, split_clauses
from newsevents.extraction.people import Person, find_people, head_titles
from newsevents.types import event_types, get

CONTINUATION_REACH = 2
_FIGURE = re.compile(r"\d\s*(?:%|percent|per cent|(?:thousand|million|billion|trillion)\b)|[$€£¥]\s?\d",
                     re.IGNORECASE)


@dataclass
class Mention:
    index: int  # the sentence's position in the article
    key: dict
    look_back: bool = False
    text: Optional[str] = None  # the clauses that report it, where the sentence reports several events
    inherited: bool = False  # its primary attribute is the one an earlier clause of the sentence named


def _differ(a, b) -> bool:
    # Sets of participants differ when neither holds the other ("Xi" then "Xi and Lee" is one meeting).
    if isinstance(a, frozenset) and isinstance(b, frozenset):
        return not (a <= b or b <= a)
    return a != b


def _conflict(a: dict, b: dict, ignore: tuple[str, ...] = ()) -> bool:
    return any(v is not None and a.get(k) is not None and _differ(a[k], v) for k, v in b.items() if k not in ignore)


def _holds(key: dict, value) -> bool:
    """Whether a key names ``value`` among the members of one of its sets (a tariff's targets)."""
    return any(isinstance(v, frozenset) and value in v for v in key.values())


def _merge_key(into: dict, key: dict) -> None:
    for k, v in key.items():
        if into.get(k) is None:
            into[k] = v
        elif isinstance(v, frozenset):
            into[k] = into[k] | v


@dataclass
class Event:
    indices: list[int] = field(default_factory=list)
    key: dict = field(default_factory=dict)
    parts: dict[int, str] = field(default_factory=dict)  # sentence index -> the clauses of it this event has

    def conflicts(self, key: dict, ignore: tuple[str, ...] = ()) -> bool:
        return _conflict(self.key, key, ignore)

    def add(self, m: Mention) -> None:
        if m.index not in self.indices:
            self.indices.append(m.index)
        if m.text is not None:
            self.parts[m.index] = f"{self.parts[m.index]} {m.text}" if m.index in self.parts else m.text
        _merge_key(self.key, m.key)

    def units(self, sentences: list[str]) -> list[tuple[int, str]]:
        """(sentence index, text) of each sentence of the event, in article order: the clauses it has
        of a sentence that reports several events, else the whole sentence."""
        return [(i, self.parts.get(i, sentences[i])) for i in sorted(set(self.indices))]


# A key attribute a type's mention_key may set: the clause says it speaks of another event of the kind
# ("the next summit", "on top of a 2027 budget"), which the same place or party does not make the same.
ANOTHER = "another"
# Who takes part, for the types whose events are meetings of leaders (EventType.leaders_from_article):
# the leaders the article names with a title, referred to in a clause by any part of the name.
PEOPLE = "people"
# "on the sidelines", "a separate meeting", "also received": a meeting of its own beside the summit.
_SIDE_MEETING = re.compile(r"\b(?:sidelines|margins|bilateral|separate(?:ly)?|one-on-one|also (?:met|received|held|hosted)"
                           r")\b", re.IGNORECASE)
# "NATO leaders opened their summit", "greeted the leaders": the whole gathering, not two of its members.
_GATHERING = re.compile(r"(?<!two )(?<!both )(?<!three )\bleaders\b|\bheads of (?:state|government)\b", re.IGNORECASE)


_PRONOUN = re.compile(r"\b(?:he|she)\b", re.IGNORECASE)


def _first_named(sentence: str, leaders: list[Person]) -> Optional[str]:
    """The leader a sentence names first."""
    at = {p.name: min((m.start() for w in p.name.split() if len(w) > 1 and w[0].isupper()
                       for m in re.finditer(rf"\b{re.escape(w)}\b", sentence)), default=None) for p in leaders}
    named = [(start, name) for name, start in at.items() if start is not None]
    pronoun = _PRONOUN.search(sentence)
    if not named or (pronoun and pronoun.start() < min(named)[0]):
        return None  # "From Vietnam she flew to Jakarta, where Prabowo hosted her": she is named further back
    return min(named)[1]


def _referents(sentences: list[str], leaders: list[Person], reach: int = 3) -> list[Optional[str]]:
    """Who "he" or "she" in each sentence is: the leader named first in the nearest sentence before that names one."""
    firsts = [_first_named(s, leaders) for s in sentences]
    return [next((f for f in reversed(firsts[max(0, i - reach):i]) if f), None) for i in range(len(sentences))]


def _names(clause: str, leaders: list[Person]) -> frozenset:
    """The leaders a clause names, by any part of the name."""
    return frozenset(p.name for p in leaders if any(
        re.search(rf"\b{re.escape(w)}\b", clause) for w in p.name.split() if len(w) > 1 and w[0].isupper()))


def _key(event_type: str, clause: str, reference: Optional[datetime], leaders: Optional[list[Person]],
         referent: Optional[str] = None) -> dict:
    key = get(event_type).mention_key(clause, reference)
    if leaders is not None:
        names = _names(clause, leaders)
        pronoun = _PRONOUN.search(clause)
        # "There she will meet ...": the leader named just before, unless the clause named one before it
        if referent and pronoun and _first_named(clause[:pronoun.start()], leaders) is None:
            names |= {referent}
        key[PEOPLE] = names or None
        gathering = bool(_GATHERING.search(clause))
        side = bool(_SIDE_MEETING.search(clause)) or (len(names) >= 2 and not gathering)
        key["scope"] = "pair" if side else "gathering" if gathering else None
    return key


# "and Anwar joined them", "and the two agreed": a clause that goes on about what the one before reports.
_REFERS_BACK = re.compile(r"\b(?:them|the two|the pair|both sides)\b", re.IGNORECASE)
# A clause that starts with its verb has the subject of the clause before.
_SUBJECTLESS = re.compile(r"^(?!(?:the|a|an|its|his|her|their|he|she|it|they|we|this|that|these|those|both|each|"
                          r"officials)\b)[a-z]")


# The type's cue (EventType.mention_cue) makes a sentence's main clause a mention; its key
# (EventType.mention_key, EventType.key_attributes: the first one names a new event by itself) tells
# two events apart. Clauses whose keys differ are mentions of their own (``split_clauses``).
def _mentions(event_type: str, index: int, sentence: str, reference: Optional[datetime],
              leaders: Optional[list[Person]] = None, referent: Optional[str] = None) -> list[Mention]:
    kind = get(event_type)
    clause = main_clause(sentence)
    if not kind.mention_cue.search(clause):
        return []  # only a background clause uses the type's words
    look_back = bool(kind.look_back and kind.look_back.search(clause))
    pieces = split_clauses(clause)
    if len(pieces) < 2:
        return [Mention(index, _key(event_type, clause, reference, leaders, referent), look_back=look_back)]
    parts: list[tuple[list[str], dict]] = []
    for piece in pieces:
        key = _key(event_type, piece, reference, leaders, referent)
        if parts and key.get(PEOPLE) and _SUBJECTLESS.match(piece):  # "... and held talks with Ruto": Modi did
            key[PEOPLE] = key[PEOPLE] | (parts[-1][1].get(PEOPLE) or frozenset())
        if parts and (_REFERS_BACK.search(piece) or not _conflict(parts[-1][1], key, ignore=("status", "date"))):
            parts[-1][0].append(piece)
            _merge_key(parts[-1][1], key)
        else:
            parts.append(([piece], key))
    if len(parts) < 2:
        return [Mention(index, _key(event_type, clause, reference, leaders, referent), look_back=look_back)]
    primary = kind.key_attributes[0]
    mentions = [Mention(index, key, look_back=look_back, text=" ".join(p)) for p, key in parts]
    for before, m in zip(mentions, mentions[1:]):
        if m.key.get(primary) is None and before.key.get(primary) is not None:
            # a clause that names no party is about the one named before it
            m.key[primary], m.inherited = before.key[primary], True
    return mentions


def group_mentions(event_type: str, mentions: list[Mention]) -> list[Event]:
    kind = get(event_type)
    primary = kind.key_attributes[0]
    events: list[Event] = []
    for m in mentions:
        if m.look_back:
            continue
        named = None if m.inherited else m.key.get(primary)
        # The same place is the same meeting, whatever tense a sentence about it uses ("the decision to visit Tokyo").
        # ... unless the sentence says it is another one ("the second summit, also in the Philippines").
        same = [e for e in events if named is not None and e.key.get(primary) == named and not m.key.get(ANOTHER)
                and not e.conflicts(m.key, ignore=("status", "scope", ANOTHER))]
        # A party joins an event that names none, unless it is that event's target ("duties on Vietnamese
        # goods" then "Vietnam will scrap its duties": two measures).
        # A type that splits on ANOTHER ("on top of a 2027 budget") joins such a mention to no event.
        apart = ANOTHER in kind.splitting_attributes and m.key.get(ANOTHER)
        target = same[0] if same else None if apart else next((
            e for e in reversed(events) if not e.conflicts(m.key) and (
                named is None or (e.key.get(primary) is None and not _holds(e.key, named)))), None)
        if target is None:
            if events and named is None:
                if not any(m.key.get(a) is not None for a in kind.splitting_attributes):
                    continue  # a sentence that fits no event
                # Another event of the party (or at the place) the article was last speaking of ("The ministry
                # also opened a probe", "and 152.8 billion euros in 2029", "On the sidelines, Modi met Meloni"),
                # not a party the mention names in another role ("a 15 percent tariff on American pork").
                if m.key.get(primary) is None:
                    named_here = {x for v in m.key.values() for x in (v if isinstance(v, frozenset) else (v,))}
                    source = next((e for e in reversed(events) if e.key.get(primary) is not None
                                   and e.key[primary] not in named_here), None)
                    carried = (primary, *kind.key_fields)
                    m = Mention(m.index, {**m.key, **{a: source.key.get(a) for a in carried
                                                      if source and m.key.get(a) is None}}, m.look_back, m.text)
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


def segment_events(event_type: str, sentences: list[str], reference: Optional[datetime],
                   evidence: tuple[int, ...] = ()) -> list[Event]:
    """Each event of ``event_type`` the article reports, in article order; the classifier's ``evidence``
    and sentences stating figures join the event they follow."""
    kind = get(event_type)
    leaders, referents = None, [None] * len(sentences)
    if kind.leaders_from_article:
        heads = head_titles()
        leaders = [p for p in find_people(" ".join(sentences)) if p.title in heads]
        referents = _referents(sentences, leaders)
    mentions = [m for i, s in enumerate(sentences)
                for m in _mentions(event_type, i, s, reference, leaders, referents[i])]
    events = group_mentions(event_type, mentions)
    if not events:
        return events
    # The classifier's evidence and figures join unless they are another type's mention ("Japan would raise
    # its defence spending to 3 percent of GDP" is no part of a tariff exemption told in the sentence before).
    others = [t.mention_cue for t in event_types() if t.name != event_type]

    def own(i: int) -> bool:
        clause = main_clause(sentences[i])
        return not any(cue.search(clause) for cue in others)

    attach(events, sorted(i for i in set(evidence) if own(i)))
    if kind.figures_join:
        attach(events, [i for i, s in enumerate(sentences) if _FIGURE.search(s) and own(i)], after_only=True)
    return events


def segment(event_type: str, sentences: list[str], reference: Optional[datetime],
            evidence: tuple[int, ...] = ()) -> list[list[int]]:
    """Sentence indices of each event of ``event_type`` the article reports (``segment_events``)."""
    return [sorted(set(e.indices)) for e in segment_events(event_type, sentences, reference, evidence)]
