"""Who: people named with a title ("Japanese Prime Minister Shigeru Ishiba") or by their country
("South Korea's Lee Jae Myung"), with the country the title or the possessive gives them."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date
from typing import Optional

from newsevents.extraction.geography import alternation, country_matcher, find_parties, gazetteer

@functools.lru_cache(maxsize=1)
def _person_re() -> re.Pattern:
    titles = alternation(gazetteer()["leader_titles"])
    # "Jr." before plain words so that its dot is kept; particles may carry a hyphenated name ("el-Sisi")
    # and end where their word does ("der", not the "de" in it).
    name = (r"[A-Z][a-zA-Z'’\-]+(?:\s+(?:Jr\.|Sr\.|(?:da|de|del|di|do|dos|du|von|der|van|bin|ibn|al|el)\b(?:-[A-Z][a-zA-Z'’]+)?"
            r"|[A-Z][a-zA-Z'’\-]+))*")
    # "PM Sir Keir Starmer": an honorific between the title and the name is neither; "3 PM Friday" is a time.
    return re.compile(rf"(?P<nat>(?:[A-Z][a-z]+\s){{0,2}})?(?:(?=PM\b)(?<!\d\s)(?<!\d)|(?!PM\b))(?P<title>{titles})\s+"
                      rf"(?:(?:Sir|Dame|Dr\.?|Mr\.?|Mrs\.?|Ms\.?)\s+)?(?P<name>{name})")


@dataclass
class Person:
    title: str  # "" for a leader named by country alone ("South Korea's Lee Jae Myung")
    name: str
    country: Optional[str]

    @property
    def label(self) -> str:
        return f"{self.title} {self.name}" if self.title else self.name


# Words that make "Country's Xxx Yyy" an institution, not a person ("China's Commerce Ministry").
_INSTITUTION_WORDS = frozenset("""
    Ministry Minister Foreign Defense Defence Commerce Trade Finance Government Parliament Army Navy Air
    Force Forces Central Bank National Security Council Court Party Congress Senate House Office
    Department Agency Economy Embassy Exchange Stock Energy State Federal Republic People Liberation
    Coast Guard Space Nuclear Global Communist Democratic Labour Labor Conservative Socialist Cabinet
    Chief Staff General Secretary Supreme Leader Prime President Royal Armed Customs Treasury Trust
    Fund Union Ministry Airlines Airways Post Times News Television Radio Railways Oil Gas Steel Motor
    Motors Group Holdings Electronics Telecom University Institute Museum Olympic League Cup Industries
    Corporation Company Petroleum Power Capital Partners Systems Technologies Pharmaceuticals Mining
    Ports Shipping Foods Brands Insurance Investment Investments Semiconductor Chemicals
""".split())


@functools.lru_cache(maxsize=1)
def _possessive_person_re() -> re.Pattern:
    _, names = country_matcher()
    return re.compile(rf"(?<![\w-])(?P<country>{alternation(names)})['’]s\s+"
                      rf"(?P<name>[A-Z][a-z]+(?:[ -](?:[A-Z][a-z]+)){{1,3}})(?![\w-])")


@functools.lru_cache(maxsize=1)
def _title_words() -> frozenset[str]:
    return frozenset(w for t in gazetteer()["leader_titles"] for w in t.split())


@functools.lru_cache(maxsize=1)
def head_titles() -> frozenset[str]:
    """Titles of heads of state or government, and "" for a leader named by country alone."""
    return frozenset(gazetteer()["head_titles"]) | {""}


def _possessive_people(text: str) -> list[Person]:
    """Leaders named by their country alone: "South Korea's Lee Jae Myung", "Japan's Shigeru Ishiba"."""
    _, codes = country_matcher()
    titles = _title_words()
    out = []
    for m in _possessive_person_re().finditer(text):
        words = m.group("name").replace("-", " ").split()
        if any(w in _INSTITUTION_WORDS or w in titles or w in codes for w in words):
            continue
        out.append(Person("", m.group("name"), codes[m.group("country")]))
    return out


_NOT_NAMES = {"The", "This", "That", "On", "In", "At", "And", "But", "Trump's", "Monday", "Tuesday", "Wednesday",
              "Thursday", "Friday", "Saturday", "Sunday"}


def _first_names(words: list[str], most: int = 4) -> list[str]:
    """The first ``most`` capitalised words with the particles between them ("Luiz Inacio Lula da
    Silva"): a longer run of capitals is the sentence going on ("Lee Jae Myung Tuesday Said")."""
    def named(word: str) -> bool:  # "Silva", "el-Sisi"; not "da", "bin"
        return word[0].isupper() or "-" in word

    out, capitals = [], 0
    for w in words:
        if named(w):
            if capitals == most:
                break
            capitals += 1
        out.append(w)
    while out and not named(out[-1]):  # a name ends on a name, not on "da"
        out.pop()
    return out


def find_people(text: str) -> list[Person]:
    """People named with a title, with their country when the title carries it ("Japanese Prime Minister"),
    and leaders named by their country alone ("Japan's Shigeru Ishiba")."""
    people: dict[str, Person] = {}
    for m in _person_re().finditer(text):
        name = re.sub(r"['’]s$", "", m.group("name").strip())  # "President Lee’s trip"
        words = [w for w in name.split() if w not in _NOT_NAMES]
        if not words or words[0] in _NOT_NAMES:
            continue
        name = " ".join(_first_names(words))
        nat = (m.group("nat") or "").strip()
        countries = find_parties(nat) if nat else []  # "European Council President Antonio Costa": EUR
        person = Person(m.group("title"), name, countries[-1] if countries else None)
        key = name.split()[-1]
        if len(words) == 1:  # "President Lee" after "President Lee Jae Myung": the same person
            key = next((k for k, p in people.items() if words[0] in p.name.split()), key)
        if key in people:
            if people[key].country is None and person.country:
                people[key].country = person.country
            continue
        people[key] = person
    for person in _possessive_people(text):
        same = next((p for p in people.values() if person.name.split()[-1] in p.name.split()), None)
        if same is None:
            people[person.name.split()[-1]] = person
        elif same.country is None:  # "President Macron" and "France's Emmanuel Macron"
            same.country = person.country
    return list(people.values())


def add_known_countries(people: list[Person], day: Optional[date]) -> None:
    """A head of state or government named by title and name without a nationality ("President Erdogan",
    "Prime Minister Anthony Albanese"): the country they headed on the day, from the actor knowledge base.
    A former office holder, an ambiguous surname ("Prime Minister Orban" in 2020) or a name the knowledge
    base lacks keeps no country (docs/actors.md)."""
    if day is None:
        return
    from newsevents.actors import resolve_leader
    heads = head_titles()
    for p in people:
        if p.country is None and p.title in heads:
            p.country = resolve_leader(p.title, p.name, day)


# The title a person found by the knowledge base is written with, so that summits count them as leaders.
_OFFICE_TITLES = {"president": "President", "acting_president": "President", "co_president": "President",
                  "prime_minister": "Prime Minister", "premier": "Premier", "chief_adviser": "Prime Minister",
                  "chancellor": "Chancellor", "king": "King", "queen": "Queen", "emperor": "Emperor", "emir": "Emir",
                  "sultan": "Sultan", "crown_prince": "Crown Prince", "supreme_leader": "Supreme Leader",
                  # An organisation's officers speak for it: the EU's presidents meet heads of government as the
                  # EU ("EUR"); a secretary-general is named, not counted a head of state or government.
                  "commission_president": "President", "council_president": "President",
                  "secretary_general": "Secretary-General"}


@functools.lru_cache(maxsize=1)
def _known_name_re() -> re.Pattern:
    """Every full name of an office holder in the knowledge base, as written and without accents."""
    import unicodedata

    from newsevents.actors import knowledge_base
    names = set()
    for p in knowledge_base().people:
        for n in (p.name, *p.variants):
            if len(n.split()) > 1:
                names |= {n, "".join(c for c in unicodedata.normalize("NFKD", n) if not unicodedata.combining(c))}
    return re.compile(rf"(?<![\w-])(?:{alternation(names)})(?![\w-])")


@functools.lru_cache(maxsize=1)
def _country_title_re() -> re.Pattern:
    """"the Indian prime minister", "Bangladesh's prime minister": a head named by country and title alone."""
    from newsevents.actors import knowledge_base
    kb = knowledge_base()
    countries = {n for c in kb.countries.values() for n in (c.name, *c.names, *c.demonyms)}
    titles = r"(?:[Pp]rime [Mm]inister|[Pp]resident|[Cc]hancellor|[Pp]remier|[Ll]eader)"
    # Not when a name follows: find_people reads "Indian Prime Minister Narendra Modi".
    # Nor "a former US president", "the next Japanese prime minister": not the one in office.
    return re.compile(rf"(?<!former )(?<!late )(?<!next )(?<!future )(?<!previous )(?<!then-)(?<!ex-)"
                      rf"(?<![\w-])(?P<country>{alternation(countries)})(?:['’]s)?\s+(?P<title>{titles})\b"
                      rf"(?!['’]?s?\s+(?:Sir\s+|Dr\.?\s+)?[A-Z])")


def known_leaders(text: str, day: Optional[date]) -> list[Person]:
    """Heads of state or government in office on the day that the title patterns do not find: named in full
    without a title the extraction knows ("Chinese leader Xi Jinping", "talks with Xi Jinping") or by country
    and title without a name ("the Indian prime minister"), from the actor knowledge base; an organisation's
    officer named in full ("Ursula von der Leyen") is the organisation's ("EUR")."""
    if day is None:
        return []
    from newsevents.actors import knowledge_base, resolve
    kb = knowledge_base()
    found = [(m.group(0), m.group(0)) for m in _known_name_re().finditer(text)]
    found += [(m.group(0), None) for m in _country_title_re().finditer(text)]
    out: list[Person] = []
    for query, written in found:
        r = resolve(query, day)
        if r is None or r.kind != "person" or not r.in_office:
            continue
        term = next((t for t in (r.term, *r.also) if t.office in _OFFICE_TITLES), None)
        if term is None or (term.code not in kb.countries and term.code not in kb.organisations):
            continue
        person = Person(_OFFICE_TITLES[term.office], written or r.name, term.code)
        if not any(set(person.name.split()) & set(q.name.split()) for q in out):
            out.append(person)
    return out
