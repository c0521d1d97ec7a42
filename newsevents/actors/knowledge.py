"""The actor knowledge base as data: countries, office holders with their terms, organisations and their members.

The facts live in ``data/`` next to this module (pipe-separated text and one JSON file, see docs/actors.md);
this module only reads and checks them and builds the look-up tables the resolver uses.
"""
from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Optional

# Letters that Unicode does not decompose into a base letter and an accent ("Yıldırım", "Łukasz", "Đuro", "Støre").
_FOLD = str.maketrans({"ı": "i", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "æ": "ae", "ß": "ss"})


def normalize(text: str) -> str:
    """The form names are compared in: no accents, no case, no apostrophes, words separated by single spaces
    ("Erdoğan" and "Erdogan", "Lee Jae-myung" and "Lee Jae Myung", "U.S." and "U S" are each one key)."""
    text = unicodedata.normalize("NFKD", text.translate(_FOLD))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"['’ʻ`]", "", text)
    return " ".join(re.sub(r"[^\w+]+", " ", text).split())  # "+": "OPEC+" is not "OPEC"


@dataclass(frozen=True)
class Term:
    code: str  # ISO 3166 alpha-3, or an organisation's code for its officers
    office: str  # "president", "prime_minister", "chancellor", "king", "secretary_general" ...
    role: str  # S head of state, G head of government, SG both, L party/de facto leader, C crown prince, O officer
    start: date
    end: Optional[date]  # the successor's first day; None: in office at the knowledge base's current_to

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


@dataclass(frozen=True)
class Person:
    name: str
    variants: tuple[str, ...]
    terms: tuple[Term, ...]


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    names: tuple[str, ...]  # other names and short forms ("UK", "Britain")
    demonyms: tuple[str, ...]  # adjectives ("British")
    capital: str
    metonyms: tuple[str, ...]  # seats of government and other places that stand for the government
    leader: str  # "S" or "G": which head "the country's leader" means
    un_member: bool


@dataclass(frozen=True)
class Membership:
    code: str
    since: Optional[date]
    until: Optional[date]  # the first day no longer a member

    def covers(self, day: date) -> bool:
        return (self.since is None or self.since <= day) and (self.until is None or day < self.until)


@dataclass(frozen=True)
class Organisation:
    code: str  # what event-data users expect: "EUR", "NATO", "G7", "AU" ...
    cameo: Optional[str]  # CAMEO IGO actor code where the Phoenix dictionaries give one ("IGOWSTNAT")
    name: str
    kind: str  # organisation, alliance or grouping
    aliases: tuple[str, ...]
    metonyms: tuple[str, ...]
    members: Optional[tuple[Membership, ...]]  # None: universal or not recorded
    adjectives: tuple[str, ...] = ()  # "European" (duties on European pork hit the EU's single market)

    def members_on(self, day: date) -> list[str]:
        return [m.code for m in self.members or () if m.covers(day)]


class KnowledgeBaseError(ValueError):
    """A data file of the knowledge base is malformed (a bad date, an unknown code, versions that differ)."""


def _day(text: str, where: str) -> Optional[date]:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise KnowledgeBaseError(f"{where}: {text!r} is not a YYYY-MM-DD date") from None


def _header(lines: list[str], key: str, where: str) -> str:
    for line in lines:
        m = re.match(rf"#\s*{key}:\s*(\S+)", line)
        if m:
            return m.group(1)
    raise KnowledgeBaseError(f"{where}: no '# {key}:' line")


def _rows(text: str, columns: int, where: str) -> list[tuple[int, list[str]]]:
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = [f.strip() for f in line.split("|")]
        if len(fields) != columns:
            raise KnowledgeBaseError(f"{where}:{number}: {len(fields)} fields, expected {columns}")
        out.append((number, fields))
    return out


def _list(field: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in field.split(";") if x.strip())


ROLES = frozenset({"S", "G", "SG", "L", "C", "O"})


class KnowledgeBase:
    """Countries, people and organisations, with the tables the resolver looks names up in."""

    def __init__(self, countries_text: str, leaders_text: str, organisations_json: str):
        self.version = _header(countries_text.splitlines(), "version", "countries.psv")
        for where, text in (("leaders.psv", leaders_text),):
            if _header(text.splitlines(), "version", where) != self.version:
                raise KnowledgeBaseError(f"{where}: version differs from countries.psv ({self.version})")
        orgs = json.loads(organisations_json)
        if orgs.get("version") != self.version:
            raise KnowledgeBaseError(f"organisations.json: version differs from countries.psv ({self.version})")
        self.current_to = _day(_header(leaders_text.splitlines(), "current_to", "leaders.psv"), "leaders.psv")

        self.countries: dict[str, Country] = {}
        for number, f in _rows(countries_text, 8, "countries.psv"):
            code, name, names, demonyms, capital, metonyms, leader, un = f
            if leader not in ("S", "G"):
                raise KnowledgeBaseError(f"countries.psv:{number}: leader is S or G, not {leader!r}")
            self.countries[code] = Country(code, name, _list(names), _list(demonyms), capital, _list(metonyms),
                                           leader, un == "1")

        self.organisations: dict[str, Organisation] = {}
        for o in orgs["organisations"]:
            where = f"organisations.json {o['code']}"
            members = None if o["members"] is None else tuple(
                Membership(c, _day(since or "", where), _day(until or "", where)) for c, since, until in o["members"])
            self.organisations[o["code"]] = Organisation(o["code"], o.get("cameo"), o["name"], o["kind"],
                                                         tuple(o["aliases"]), tuple(o.get("metonyms") or ()), members,
                                                         tuple(o.get("adjectives") or ()))

        terms: dict[str, list[Term]] = {}
        variants: dict[str, list[str]] = {}
        for number, f in _rows(leaders_text, 7, "leaders.psv"):
            code, office, role, start, end, name, names = f
            where = f"leaders.psv:{number}"
            if code not in self.countries and code not in self.organisations:
                raise KnowledgeBaseError(f"{where}: unknown country or organisation {code!r}")
            if role not in ROLES:
                raise KnowledgeBaseError(f"{where}: role {role!r} is not one of {sorted(ROLES)}")
            term = Term(code, office, role, _day(start, where), _day(end, where))
            if term.start is None or (term.end is not None and term.end < term.start):
                raise KnowledgeBaseError(f"{where}: a term needs a start before its end")
            terms.setdefault(name, []).append(term)
            variants.setdefault(name, [])
            variants[name] += [v for v in _list(names) if v not in variants[name]]
        self.people = [Person(name, tuple(variants[name]), tuple(sorted(ts, key=lambda t: t.start)))
                       for name, ts in terms.items()]
        self._index()

    def _index(self) -> None:
        self.full_names: dict[str, list[Person]] = {}
        self.surnames: dict[str, list[Person]] = {}
        for p in self.people:
            single = [v for v in p.variants if len(normalize(v).split()) == 1]
            # A one-word variant is the form the person is named by alone ("Xi", "Lula", "Erdogan"); without one,
            # the name's last word is.
            for s in single or [p.name.split()[-1]]:
                self.surnames.setdefault(normalize(s), []).append(p)
            for full in [p.name] + [v for v in p.variants if v not in single]:
                self.full_names.setdefault(normalize(full), []).append(p)
        # "Chinese", "China", "U.S.", "NATO": what may stand before a title ("Chinese leader", "NATO chief").
        # A name two countries share ("Congolese", "Dominican") names neither.
        self.country_names = _unique((normalize(n), c.code) for c in self.countries.values()
                                     for n in (c.name, *c.names, *c.demonyms))
        self.metonyms = _unique((normalize(n), c.code) for c in self.countries.values()
                                for n in (c.capital, *c.metonyms))
        self.qualifiers = dict(self.country_names)
        self.organisation_names: dict[str, str] = {}
        for o in self.organisations.values():
            for n in (o.code, o.name, *o.aliases, *o.adjectives):
                self.organisation_names[normalize(n)] = o.code
                self.qualifiers[normalize(n)] = o.code
            for n in o.metonyms:
                # "Brussels" is the EU's, not Belgium's: the organisation's metonym wins over the capital.
                self.metonyms[normalize(n)] = o.code

    def members(self, code: str, day: date) -> list[str]:
        """The members of an organisation on a day ([] for one without a member list)."""
        return self.organisations[code].members_on(day)

    def holders(self, code: str, day: date) -> list[tuple[Person, Term]]:
        """Who held an office of a country or organisation on a day."""
        return [(p, t) for p in self.people for t in p.terms if t.code == code and t.covers(day)]


def _unique(pairs) -> dict[str, str]:
    codes: dict[str, set[str]] = {}
    for key, code in pairs:
        codes.setdefault(key, set()).add(code)
    return {key: next(iter(c)) for key, c in codes.items() if len(c) == 1}


def _read(name: str) -> str:
    return (resources.files("newsevents.actors") / "data" / name).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def knowledge_base() -> KnowledgeBase:
    """The packaged knowledge base (read once per process)."""
    return KnowledgeBase(_read("countries.psv"), _read("leaders.psv"), _read("organisations.json"))
