"""Structured fields of an event, extracted from its evidence sentences without any model download.

Who (``people``), where (``geography``), when (``dates``) and how much (``amounts``) are common to
every type; ``event_rules`` holds the fields specific to each type.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Optional

from newsevents.dates import resolve_date
from newsevents.event_rules import EVENT_RULES, LEAD_SENTENCES, MEETING
from newsevents.geography import find_cities, find_countries
from newsevents.people import Person, find_people, head_titles


@dataclass
class EventFields:
    countries: list[str] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    event_date: Optional[date] = None
    event_date_text: Optional[str] = None
    specific: dict = field(default_factory=dict)


def _assign_unqualified(people: list[Person], countries: list[str]) -> None:
    """"President Donald Trump" next to "Japanese Prime Minister Shigeru Ishiba" in a text about
    Japan and the United States: the one country no named leader claims goes to the one leader
    whose title names no country."""
    unknown = [p for p in people if p.country is None]
    free = [c for c in countries if c not in {p.country for p in people}]
    if len(unknown) == 1 and len(free) == 1:
        unknown[0].country = free[0]


def extract(event_type: str, evidence: list[str], article_sentences: list[str],
            published: Optional[datetime]) -> EventFields:
    """Fields of one event from its evidence sentences, given in article order."""
    text = " ".join(evidence)
    countries = find_countries(text)
    people = find_people(text)
    event_date, date_text = resolve_date(text, published)
    if event_type == "summit" and article_sentences:
        # The evidence is the sentences most like a summit; who meets and when is often said in
        # the lead's other sentences about the meeting ("X will travel to Y on August 23 to meet
        # Z"). Only the lead: later paragraphs tend to be about other meetings.
        meeting = " ".join(s for s in article_sentences[:LEAD_SENTENCES] if MEETING.search(s))
        heads = head_titles()
        named = {p.name for p in people}
        people += [p for p in find_people(meeting) if p.title in heads and p.name not in named
                   and not any(p.name in q.name.split() for q in people)]
        if not date_text:
            event_date, date_text = resolve_date(meeting, published)
    _assign_unqualified(people, countries)
    fields = EventFields(countries, people, find_cities(text), event_date, date_text)
    fields.specific = EVENT_RULES[event_type](evidence, countries, people, published, event_date)
    return fields
