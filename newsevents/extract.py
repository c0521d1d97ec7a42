"""Structured fields of an event, extracted from its evidence sentences without any model download.

Country names and codes come from pycountry; the gazetteer resource adds what that library
lacks (demonyms, capitals used as metonyms, leader titles, a fixed currency table).
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import resources
from typing import Optional

_MONTHS = {m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                        "september", "october", "november", "december"], start=1)}
_MONTH_RE = "|".join(m.capitalize() for m in _MONTHS)
_DATE_RE = re.compile(rf"\b(?:(?P<d1>\d{{1,2}})\s+(?P<m1>{_MONTH_RE})|(?P<m2>{_MONTH_RE})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?)"
                      rf"(?:,?\s+(?P<y>\d{{4}}))?\b")
_PERCENT_RE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:percent|per cent|%)", re.IGNORECASE)
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}


@functools.lru_cache(maxsize=1)
def gazetteer() -> dict:
    return json.loads((resources.files("newsevents") / "resources" / "gazetteer.json").read_text())


@functools.lru_cache(maxsize=1)
def _country_matcher() -> tuple[re.Pattern, dict[str, str]]:
    import pycountry

    names: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name"):
            value = getattr(c, attr, None)
            if value and "," not in value:
                names[value] = c.alpha_3
    for code, aliases in gazetteer()["aliases"].items():
        for a in aliases:
            names[a] = code
    # Longest names first so "South Korea" wins over "Korea" and "New Zealand" over "Zealand".
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
                         + r")(?:['’]s)?(?![\w-])")
    return pattern, names


def country_name(alpha3: str) -> str:
    import pycountry
    c = pycountry.countries.get(alpha_3=alpha3)
    return getattr(c, "common_name", None) or c.name if c else alpha3


def find_countries(text: str) -> list[str]:
    """ISO alpha-3 codes of the countries a text names, in order of first mention."""
    pattern, names = _country_matcher()
    seen: list[str] = []
    for m in pattern.finditer(text):
        code = names[m.group(1)]
        if code not in seen:
            seen.append(code)
    return seen


@functools.lru_cache(maxsize=1)
def _person_re() -> re.Pattern:
    titles = "|".join(re.escape(t) for t in sorted(gazetteer()["leader_titles"], key=len, reverse=True))
    name = r"[A-Z][a-zA-Z'’\-]+(?:\s+(?:[A-Z][a-zA-Z'’\-]+|da|de|del|von|der|van|bin|al|el|Jr\.))*"
    return re.compile(rf"(?P<nat>(?:[A-Z][a-z]+\s){{0,2}})?(?P<title>{titles})\s+(?P<name>{name})")


@dataclass
class Person:
    title: str
    name: str
    country: Optional[str]

    @property
    def label(self) -> str:
        return f"{self.title} {self.name}"


_NOT_NAMES = {"The", "This", "That", "On", "In", "At", "And", "But", "Trump's"}


def find_people(text: str) -> list[Person]:
    """People named with a title, with their country when the title carries it ("Japanese Prime Minister")."""
    people: dict[str, Person] = {}
    for m in _person_re().finditer(text):
        name = m.group("name").strip()
        words = [w for w in name.split() if w not in _NOT_NAMES]
        if not words or words[0] in _NOT_NAMES:
            continue
        name = " ".join(words[:4])
        nat = (m.group("nat") or "").strip()
        countries = find_countries(nat) if nat else []
        person = Person(m.group("title"), name, countries[-1] if countries else None)
        key = name.split()[-1]
        if key in people:
            if people[key].country is None and person.country:
                people[key].country = person.country
            continue
        people[key] = person
    return list(people.values())


def find_cities(text: str) -> list[str]:
    return [c for c in gazetteer()["cities"] if re.search(rf"(?<!\w){re.escape(c)}(?!\w)", text)]


def resolve_date(text: str, published: Optional[datetime]) -> tuple[Optional[date], Optional[str]]:
    """The first explicit calendar date in the text, its year taken from published_at when absent."""
    for m in _DATE_RE.finditer(text):
        month = _MONTHS[(m.group("m1") or m.group("m2")).lower()]
        day = int(m.group("d1") or m.group("d2"))
        year = int(m.group("y")) if m.group("y") else (published.year if published else None)
        if year is None:
            return None, m.group(0)
        try:
            resolved = date(year, month, day)
        except ValueError:
            continue
        if not m.group("y") and published and (resolved - published.date()).days < -270:
            resolved = date(year + 1, month, day)  # "January 5" in a December article
        return resolved, m.group(0)
    return None, None


@functools.lru_cache(maxsize=1)
def _money_re() -> tuple[re.Pattern, dict[str, str]]:
    cur = gazetteer()["currencies"]
    by_word = {n.lower(): code for code, c in cur.items() for n in c["names"]}
    by_symbol = {s: code for code, c in cur.items() for s in c["symbols"]}
    words = "|".join(re.escape(w) for w in sorted(by_word, key=len, reverse=True))
    symbols = "|".join(re.escape(s) for s in sorted(by_symbol, key=len, reverse=True))
    pattern = re.compile(rf"(?P<sym>{symbols})?\s?(?P<num>\d+(?:[.,]\d+)*)\s*(?P<scale>thousand|million|billion|trillion)?"
                         rf"(?:\s+(?P<word>{words}))?(?!\w)", re.IGNORECASE)
    return pattern, {**{k: v for k, v in by_word.items()}, **by_symbol}


def find_amounts(text: str) -> list[dict]:
    """Money figures with a currency (symbol or name), scaled, with a USD value from the fixed table."""
    pattern, lookup = _money_re()
    rates = gazetteer()["currencies"]
    found = []
    for m in pattern.finditer(text):
        unit = m.group("sym") or (m.group("word") or "").lower()
        if not unit:
            continue
        if not m.group("scale") and not m.group("sym") and not m.group("word"):
            continue
        code = lookup.get(unit) or lookup.get(unit.lower())
        try:
            value = float(m.group("num").replace(",", "")) * _SCALE.get((m.group("scale") or "").lower(), 1.0)
        except ValueError:
            continue
        found.append({"text": m.group(0).strip(), "value": value, "currency": code,
                      "usd": round(value * rates[code]["usd"], 2) if code else None})
    return found


def find_percents(text: str) -> list[float]:
    return [float(x) for x in _PERCENT_RE.findall(text)]


def percent_near(text: str, anchor: str) -> Optional[float]:
    """A percentage stated in the same clause as ``anchor`` (e.g. the share of GDP)."""
    for sentence in re.split(r"(?<=[.;])\s+", text):
        if re.search(anchor, sentence, re.IGNORECASE):
            values = find_percents(sentence)
            if values:
                return values[0]
    return None


_PLANNED = re.compile(r"\b(will|to meet|to travel|to visit|is scheduled|are scheduled|is expected|are expected|plans? to|"
                      r"next (week|month|year)|later this|upcoming|ahead of)\b", re.IGNORECASE)
_TARIFF_ACTIONS = [
    ("deal", r"\b(deal|agreement|agreed|accord|truce|framework)\b"),
    ("cut", r"\b(cut|cuts|cutting|lower|lowers|lowered|lowering|reduc\w+|ease|eases|eased|scrap\w*|remove\w*)\b"),
    ("suspend", r"\b(suspend\w*|pause\w*|delay\w*|exempt\w*)\b"),
    ("raise", r"\b(rais\w+|increas\w+|doubl\w+|hike\w*|higher)\b"),
    ("threaten", r"\b(threat\w*|warn\w*|could|may|might|consider\w*|propos\w*)\b"),
    ("impose", r"\b(impos\w+|levy|levies|slap\w*|retaliat\w+|introduc\w+)\b"),
]
_GOODS = ["cars", "vehicles", "trucks", "steel", "aluminum", "aluminium", "semiconductors", "chips", "soybeans",
          "coffee", "beef", "textiles", "clothing", "pharmaceuticals", "lumber", "machinery", "electronics",
          "energy", "oil", "gas", "wine", "shrimp", "jewelry", "furniture", "footwear", "aircraft", "ships",
          "rare earths", "orange juice", "consumer goods", "industrial goods", "farm products", "agricultural goods"]
_COST_SHARING = re.compile(r"\b(troops|stationing|stationed|bases|host nation|cost[- ]sharing|special measures|"
                           r"soldiers|forces in|upkeep)\b", re.IGNORECASE)


@dataclass
class EventFields:
    countries: list[str] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    event_date: Optional[date] = None
    event_date_text: Optional[str] = None
    specific: dict = field(default_factory=dict)


def extract(event_type: str, evidence: list[str], article_text: str, published: Optional[datetime]) -> EventFields:
    text = " ".join(evidence)
    countries = find_countries(text)
    people = find_people(text)
    cities = find_cities(text)
    event_date, date_text = resolve_date(text, published)
    fields = EventFields(countries, people, cities, event_date, date_text)
    if event_type == "summit":
        heads = set(gazetteer()["head_titles"])
        leaders = [p for p in people if p.title in heads] or people
        leader_countries = list(dict.fromkeys(p.country for p in leaders if p.country))
        parties = max(len(leader_countries), len(leaders), 1)
        host_city = cities[0] if cities else None
        fields.specific = {
            "leaders": [p.label for p in leaders],
            "leader_countries": leader_countries,
            "host_city": host_city,
            "host_country": gazetteer()["cities"].get(host_city) if host_city else None,
            "format": "bilateral" if parties <= 2 else "trilateral" if parties == 3 else "multilateral",
            "status": "planned" if _PLANNED.search(text) or (event_date and published and event_date > published.date())
            else "held",
        }
    elif event_type == "tariff":
        rates = find_percents(text)
        action = next((name for name, rx in _TARIFF_ACTIONS if re.search(rx, text, re.IGNORECASE)), "impose")
        imposing = [c for c in countries if c == "USA"] or countries[:1]
        fields.specific = {
            "imposing_countries": imposing,
            "target_countries": [c for c in countries if c not in imposing],
            "action": action,
            "rate_percent": rates[-1] if action in ("cut", "deal") and rates else (rates[0] if rates else None),
            "rates_percent": rates,
            "goods": [g for g in _GOODS if re.search(rf"\b{re.escape(g)}\b", text, re.IGNORECASE)],
            "amounts": find_amounts(text),
        }
    elif event_type == "defense_spending":
        amounts = find_amounts(text)
        head = max(amounts, key=lambda a: a["usd"] or 0.0) if amounts else None
        fields.specific = {
            "country": countries[0] if countries else None,
            "amount": head["value"] if head else None,
            "currency": head["currency"] if head else None,
            "amount_usd": head["usd"] if head else None,
            "gdp_share_percent": percent_near(text, r"\b(GDP|gross domestic product|economic output)\b"),
            "cost_sharing": bool(_COST_SHARING.search(text)),
            "amounts": amounts,
        }
    return fields
