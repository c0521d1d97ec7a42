"""Who an actor string is on a day: "President Erdogan", "Chinese leader Xi Jinping", "the Indian prime
minister", "Washington", "NATO" -> a country or an organisation, with the office and its term.

The rules (docs/actors.md has them with examples):

1. The whole string is an organisation ("NATO", "the African Union"), a seat of government or capital used for a
   government ("the Kremlin", "Downing Street", "Brussels" -> the EU) or a country ("Chinese"): that actor.
2. Otherwise it is read as [qualifier] [title] [honorific] [name]: a country or organisation ("Chinese",
   "China's", "NATO"), a title ("President", "leader", "prime minister"), "Mr", "Sir", "Sheikh" ..., a name.
3. A name is a person's full name or listed variant ("Xi Jinping", "Lula"), or else one word that is a person's
   surname form ("Erdogan", "Lee"). The qualifier keeps the people who held office for that country; the title
   keeps the offices it names ("President" is not "Prime Minister"). A full name stays that person's even when the
   title does not fit; a surname needs a fitting title when it has one.
4. Of the people left, the one who held such an office on the day is the answer ("President Lee" on
   2010-05-01 is Lee Myung-bak, in 2025 Lee Jae-myung). Two or more in office that day: ambiguous, no answer
   (a bare "Orban" in 2020: Hungary's and Romania's prime ministers).
5. Nobody in office that day: one person left is the answer with status "former" (after the last term:
   "President Trump" in 2022) or "not_yet" (before the first term), with that term; the office is not held on
   the day, and callers that need a country's head on the day (event extraction) use status "in_office" only.
   Two or more people left: ambiguous.
6. No name, a title and a qualifier ("the Indian prime minister", "Chinese leader"): whoever held that office of
   that country on the day; "leader" is the party leader where the country has one, else the head the country's
   line in countries.psv names. A title without a qualifier or a name ("the president") is nobody.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Optional

from newsevents.actors.knowledge import KnowledgeBase, Person, Term, knowledge_base, normalize

# Title (normalized) -> the offices it names; None: any head ("leader"). Roles narrow the generic ones.
_HEADS = frozenset({"S", "G", "SG", "L"})
_PRESIDENT = frozenset({"president", "acting_president", "co_president", "commission_president", "council_president",
                        "president_of_the_council", "chairman"})
_PRIME = frozenset({"prime_minister", "premier", "chief_adviser", "state_counsellor", "president_of_the_council"})
_MONARCH = frozenset({"king", "queen", "emperor", "emir", "sultan", "grand_duke", "prince"})
TITLES: dict[str, tuple[Optional[frozenset], frozenset]] = {
    "president": (_PRESIDENT, frozenset()), "acting president": (frozenset({"acting_president"}), frozenset()),
    "prime minister": (_PRIME, frozenset()), "pm": (_PRIME, frozenset()), "premier": (_PRIME, frozenset()),
    "taoiseach": (_PRIME, frozenset()), "chief adviser": (_PRIME, frozenset()),
    "state counsellor": (_PRIME, frozenset()), "chancellor": (frozenset({"chancellor"}), frozenset()),
    "federal chancellor": (frozenset({"chancellor"}), frozenset()),
    "king": (frozenset({"king", "sultan"}), frozenset()), "queen": (frozenset({"queen"}), frozenset()),
    "monarch": (_MONARCH, frozenset()), "emperor": (frozenset({"emperor"}), frozenset()),
    "emir": (frozenset({"emir"}), frozenset()), "amir": (frozenset({"emir"}), frozenset()),
    "sultan": (frozenset({"sultan", "king"}), frozenset()), "grand duke": (frozenset({"grand_duke"}), frozenset()),
    "prince": (frozenset({"prince", "crown_prince"}), frozenset()),
    "crown prince": (frozenset({"crown_prince"}), frozenset()), "pope": (frozenset({"pope"}), frozenset()),
    "supreme leader": (frozenset({"supreme_leader"}), frozenset()),
    "general secretary": (frozenset({"general_secretary"}), frozenset()),
    "party chief": (frozenset({"general_secretary"}), frozenset()),
    "secretary general": (frozenset({"secretary_general"}), frozenset()),
    "senior general": (frozenset({"junta_leader"}), frozenset()),
    "leader": (None, _HEADS), "ruler": (None, _HEADS), "strongman": (None, _HEADS),
    "head of state": (None, frozenset({"S", "SG", "L"})), "head of government": (None, frozenset({"G", "SG"})),
    "chief": (None, _HEADS | {"O"}),
}
_HONORIFICS = ("mr", "mrs", "ms", "dr", "sir", "dame", "lord", "sheikh", "shaikh", "ayatollah", "his majesty",
               "her majesty", "hm", "hrh", "ratu")
_FORMER = ("former", "ex")
_MOST_WORDS = 6


@dataclass(frozen=True)
class Resolution:
    """One reading of an actor string on a day."""
    kind: str  # "person", "country" or "organisation"
    code: str  # ISO 3166 alpha-3, or an organisation's code ("EUR", "NATO")
    name: str  # the person's, country's or organisation's name
    rule: str  # which rule read it: organisation, metonym, country, name, surname, title
    status: str = "actor"  # people: in_office, former (after the last term), not_yet (before the first)
    term: Optional[Term] = None  # people: the office held on the day, else the last (former) or first (not_yet)
    also: tuple[Term, ...] = field(default=())  # other offices held on the day ("president" beside "general_secretary")

    @property
    def office(self) -> Optional[str]:
        return self.term.office if self.term else None

    @property
    def in_office(self) -> bool:
        return self.status == "in_office"


@dataclass
class _Parsed:
    qualifier: Optional[str]
    title: Optional[str]
    name: str
    former: bool


def _take(words: list[str], table, most: int = _MOST_WORDS) -> tuple[Optional[str], list[str]]:
    """The longest run of words at the start that is a key of ``table``, and the words after it."""
    for n in range(min(most, len(words)), 0, -1):
        key = " ".join(words[:n])
        if key in table:
            return key, words[n:]
    return None, words


def _parse(text: str, kb: KnowledgeBase) -> _Parsed:
    # "China's" -> "China": the possessive is the qualifier's, and normalize() would glue the s on.
    words = normalize(re.sub(r"['’]s\b", "", text)).split()
    former = False
    while words and words[0] in ("the", *_FORMER):
        former |= words[0] in _FORMER
        words = words[1:]
    qualifier, words = _take(words, kb.qualifiers)
    title, words = _take(words, TITLES)
    if title and not qualifier and words[:1] == ["of"]:  # "Prime Minister of India Narendra Modi"
        qualifier, rest = _take(words[1:] if words[1:2] != ["the"] else words[2:], kb.qualifiers)
        words = rest if qualifier else words
    honorific, rest = _take(words, dict.fromkeys(_HONORIFICS))
    words = rest if honorific and rest else words
    return _Parsed(kb.qualifiers.get(qualifier) if qualifier else None, title, " ".join(words), former)


def _fits(term: Term, title: Optional[str]) -> bool:
    if title is None:
        return True
    offices, roles = TITLES[title]
    return term.office in offices if offices is not None else term.role in roles


def _primary(terms: list[Term], kb: KnowledgeBase) -> list[Term]:
    """Offices held at once, the one "the country's leader" means first: a party leader, then the head the
    country's line names (a head of state or of government), then the others."""
    def rank(t: Term) -> int:
        country = kb.countries.get(t.code)
        if t.role == "L":
            return 0
        if t.role == "SG" or (country and t.role == country.leader):
            return 1
        return 2 if t.role in _HEADS else 3
    return sorted(terms, key=lambda t: (rank(t), t.start))


def _person(p: Person, day: date, title: Optional[str], qualifier: Optional[str],
            strict_title: bool) -> tuple[list[Term], list[Term]]:
    """(offices held on the day, all offices) of a person that fit the qualifier and the title."""
    terms = [t for t in p.terms if qualifier is None or t.code == qualifier]
    fitting = [t for t in terms if _fits(t, title)]
    if not fitting and not strict_title:
        fitting = terms  # "President Narendra Modi": the full name says who, the title is the writer's slip
    return [t for t in fitting if t.covers(day)], fitting


def resolve_all(text: str, day: date, kb: Optional[KnowledgeBase] = None) -> list[Resolution]:
    """Every reading the rules leave (see the module's doc): one is an answer, several are ambiguous, none is
    unknown."""
    kb = kb or knowledge_base()
    whole = normalize(text)
    whole = whole[4:] if whole.startswith("the ") else whole
    if whole in kb.organisation_names:
        o = kb.organisations[kb.organisation_names[whole]]
        return [Resolution("organisation", o.code, o.name, "organisation")]
    if whole in kb.metonyms:
        return [_actor(kb.metonyms[whole], "metonym", kb)]
    if whole in kb.country_names:
        return [_actor(kb.country_names[whole], "country", kb)]

    parsed = _parse(text, kb)
    if not parsed.name:
        return _office_holder(parsed, day, kb)
    words = parsed.name.split()
    people, rule = kb.full_names.get(parsed.name, []), "name"
    if not people:
        # One word: a surname form. Several: the words of a name the list spells differently ("Joseph Robinette
        # Biden"), kept only when every word is one of that person's.
        rule = "surname"
        people = [p for p in kb.surnames.get(words[-1], [])
                  if set(words) <= {w for n in (p.name, *p.variants) for w in normalize(n).split()}]
    readings = []
    for p in dict.fromkeys(people):
        held, fitting = _person(p, day, parsed.title, parsed.qualifier, strict_title=rule == "surname")
        if fitting:
            readings.append((p, held, fitting))
    in_office = [r for r in readings if r[1]] if not parsed.former else []
    if in_office:  # one is the answer; several are ambiguous
        return [_held(p, held, rule, kb) for p, held, _ in in_office]
    out = []
    for p, _, fitting in readings:
        before = [t for t in fitting if t.end is not None and t.end <= day]
        if before:
            term, status = max(before, key=lambda t: t.end), "former"
        elif not parsed.former:
            term, status = min(fitting, key=lambda t: t.start), "not_yet"
        else:
            continue
        out.append(Resolution("person", term.code, p.name, rule, status, term))
    return out


def _actor(code: str, rule: str, kb: KnowledgeBase) -> Resolution:
    if code in kb.organisations:
        return Resolution("organisation", code, kb.organisations[code].name, rule)
    return Resolution("country", code, kb.countries[code].name, rule)


def _held(p: Person, held: list[Term], rule: str, kb: KnowledgeBase) -> Resolution:
    first, *others = _primary(held, kb)
    return Resolution("person", first.code, p.name, rule, "in_office", first, tuple(others))


def _office_holder(parsed: _Parsed, day: date, kb: KnowledgeBase) -> list[Resolution]:
    """"The Indian prime minister", "Chinese leader": who held that office of that country on the day."""
    if parsed.qualifier is None:  # "the president": of what?
        return []
    if parsed.title is None:  # "China" said as "China's": the country
        return [_actor(parsed.qualifier, "country", kb)]
    held = [(p, t) for p, t in kb.holders(parsed.qualifier, day) if _fits(t, parsed.title)]
    if TITLES[parsed.title][0] is None and held:  # "leader": the first rank only
        best = _primary([t for _, t in held], kb)[0]
        held = [(p, t) for p, t in held if t == best or (t.role == best.role and t.office == best.office)]
    people = list(dict.fromkeys(p for p, _ in held))
    return [_held(p, [t for q, t in held if q == p], "title", kb) for p in people]


def resolve(text: str, day: date, kb: Optional[KnowledgeBase] = None) -> Optional[Resolution]:
    """The one reading of an actor string on a day, or None when there is none or more than one."""
    readings = resolve_all(text, day, kb)
    return readings[0] if len(readings) == 1 else None


def resolve_leader(title: str, name: str, day: date, kb: Optional[KnowledgeBase] = None) -> Optional[str]:
    """The country a head of state or government named by title and name served on the day, or None (not in
    office that day, an organisation's officer, not known, or ambiguous)."""
    r = resolve(f"{title} {name}".strip(), day, kb)
    kb = kb or knowledge_base()
    if r and r.kind == "person" and r.in_office and r.term.role in _HEADS and r.code in kb.countries:
        return r.code
    return None
