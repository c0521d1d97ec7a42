"""Structured fields of an event, extracted from its evidence sentences without any model download.

Who (``people``), where (``geography``), when (``dates``) and how much (``amounts``) are common to
every type; each type's module (``newsevents.types``) fills its own fields and its dyad.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Optional

from newsevents.extraction.dates import resolve_date
from newsevents.extraction.geography import find_cities, find_countries
from newsevents.extraction.people import Person, add_known_countries, find_people, head_titles, known_leaders
from newsevents.types import get


@dataclass
class EventFields:
    countries: list[str] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    event_date: Optional[date] = None
    event_date_text: Optional[str] = None
    specific: dict = field(default_factory=dict)
    actor1_country: Optional[str] = None
    actor2_country: Optional[str] = None
    actors: list[str] = field(default_factory=list)


def event_parties(event_type: str, specific: dict, actor1: Optional[str], actor2: Optional[str]) -> list[str]:
    """Every party of an event: the values of its type's role fields (a summit's leader countries and
    organisation, a tariff's imposing and target parties, the spending country) and its dyad; ISO alpha-3
    codes or organisations' codes ("EUR", "NATO", "G7")."""
    codes: list = []
    for name in get(event_type).role_fields:
        value = specific.get(name)
        codes += value if isinstance(value, list) else [value]
    return list(dict.fromkeys(c for c in (*codes, actor1, actor2) if c))


def _assign_unqualified(people: list[Person], countries: list[str], sentences: list[str]) -> None:
    """"President Donald Trump" next to "Japanese Prime Minister Shigeru Ishiba" in a text about
    Japan and the United States: the one country no named leader claims goes to the one leader
    whose title names no country; first within each sentence, then within a short event (in a long one
    the free country is as likely one the sentences talk about: "ties with Washington")."""
    scopes = [(s, find_countries(s)) for s in sentences] + ([(None, countries)] if len(sentences) <= 3 else [])
    for scope in scopes:
        text, named = scope
        unknown = [p for p in people if p.country is None and (text is None or _referred(text, p))]
        free = [c for c in named if c not in {p.country for p in people}]
        if len(unknown) == 1 and len(free) == 1:
            unknown[0].country = free[0]


# "he visited", "From Kenya he flew to", "hosted him": the leader named last before.
_PRONOUN = re.compile(r"(?:^|,\s*|\band\s+|^(?:From|In|At|On|After)\s+[\w\s]{1,30}?\s)(?:he|she)\b|\b(?:hosted|received|"
                      r"welcomed|greeted|met) (?:him|her)\b", re.IGNORECASE)
_NOT_A_PERSON = r"(?:['’]s)?\s+(?:administration|government|era|team|officials|cabinet|camp|tariffs?)\b"


def _is_same(p: Person, q: Person) -> bool:
    return bool(set(p.name.split()) & set(q.name.split()))


def _referred(text: str, person: Person) -> bool:
    """Whether a text names the person by one part of the name ("Lee met", "Xi held talks"), not as "the Trump
    administration"."""
    return any(re.search(rf"\b{re.escape(w)}\b(?!{_NOT_A_PERSON})", text)
               for w in person.name.split() if len(w) > 1 and w[0].isupper() and not w.endswith("."))


def _named_at(text: str, person: Person) -> int:
    """Where a text first names the person (by a part of the name, else as "he" or "she")."""
    starts = [m.start() for w in person.name.split() if len(w) > 1 and w[0].isupper()
              for m in re.finditer(rf"\b{re.escape(w)}\b", text)]
    pronoun = re.search(r"\b(?:he|she)\b", text, re.IGNORECASE)
    return min(starts) if starts else pronoun.start() if pronoun else len(text)


@functools.lru_cache(maxsize=64)
def _article_heads(text: str) -> tuple[tuple[str, str, Optional[str]], ...]:
    """(title, name, country) of the heads an article names with a title: read once per article, not once per
    event and type (new Person objects each time, as extraction fills in their countries)."""
    heads = head_titles()
    return tuple((p.title, p.name, p.country) for p in find_people(text) if p.title in heads)


def _leaders_referred_to(evidence: list[str], article_sentences: list[str], people: list[Person]) -> list[Person]:
    """Leaders the article named in full and a meeting's sentences name by surname ("In Tokyo, Lee met
    ...") or as the subject pronoun of a sentence ("he visited Tokyo": the first leader named in the
    nearest sentence before that names one)."""
    known = [Person(*head) for head in _article_heads(" ".join(article_sentences))]
    found: list[Person] = []

    def add(p: Person) -> None:
        if not any(_is_same(p, q) for q in people + found):
            found.append(p)

    text = " ".join(evidence)
    for p in known:
        if _referred(text, p):
            add(p)
    for s in evidence:
        # the sentence a clause of the evidence is taken from
        at = next((i for i, sentence in enumerate(article_sentences) if s in sentence), None)
        if not _PRONOUN.search(s) or at is None:
            continue
        for previous in reversed(article_sentences[max(0, at - 3):at]):
            named = [p for p in known if _referred(previous, p)]
            if named and _PRONOUN.search(previous) and _PRONOUN.search(previous).start() < min(
                    (m.start() for p in named for w in p.name.split() for m in re.finditer(rf"\b{re.escape(w)}\b", previous)),
                    default=len(previous)):
                continue  # "From Vietnam she flew to Jakarta, where Prabowo hosted her": she is named further back
            if named:
                add(min(named, key=lambda p: min(m.start() for w in p.name.split()
                                                 for m in re.finditer(rf"\b{re.escape(w)}\b", previous))))
                break
    return found


def extract(event_type: str, evidence: list[str], article_sentences: list[str],
            published: Optional[datetime], key: Optional[dict] = None) -> EventFields:
    """Fields of one event from its evidence sentences (or clauses), given in article order; the
    article's other sentences tell who a meeting's "he" or "Lee" is, and the segmenter's ``key`` the
    party or place the article was speaking of where the evidence names none (``EventType.key_fields``)."""
    kind = get(event_type)
    text = " ".join(evidence)
    countries = find_countries(text)
    people = find_people(text)
    event_date, date_text = resolve_date(text, published)
    if kind.leaders_from_article and article_sentences:
        people += _leaders_referred_to(evidence, article_sentences, people)
        # in the order the evidence names them: "Xi held talks with South Korean President Lee" is Xi's meeting
        people.sort(key=lambda p: _named_at(text, p))
    # Who headed which country on the event's day (else the article's): before the guess from free countries.
    day = event_date or (published.date() if published else None)
    add_known_countries(people, day)
    for known in known_leaders(text, day):  # "Chinese leader Xi Jinping", "the Indian prime minister"
        same = next((p for p in people if _is_same(p, known)), None)
        if same is None:
            people.append(known)
        elif same.country is None:
            same.country = known.country
    _assign_unqualified(people, countries, evidence)
    fields = EventFields(countries, people, find_cities(text), event_date, date_text)
    # "the cabinet approved a record defence budget": the country is the one the article is about.
    # Before those, the party the segmenter knows the event's clauses to be about ("and Wellington aims to ...").
    known = [v for a in kind.key_fields if isinstance(v := (key or {}).get(a), str) and len(v) == 3 and v.isupper()]
    context = countries or known or (find_countries(" ".join(article_sentences)) if kind.article_countries else [])
    fields.specific = kind.fields(evidence, context, people, published, event_date)
    for attribute, column in kind.key_fields.items():
        value = (key or {}).get(attribute)
        # A clause that does not name the party the segmenter knows it to be about ("and launched an
        # investigation into US ethanol") has that party as its subject, before any guess from the clause.
        if value is not None and (not fields.specific.get(column) or (column in kind.role_fields[:1]
                                                                      and value not in countries)):
            fields.specific[column] = [value] if isinstance(fields.specific.get(column), list) else value
    fields.actor1_country, fields.actor2_country = kind.dyad(fields.specific, evidence)
    fields.actors = event_parties(event_type, fields.specific, fields.actor1_country, fields.actor2_country)
    return fields
