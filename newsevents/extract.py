"""Structured fields of an event, extracted from its evidence sentences without any model download.

Country names and codes come from pycountry, demonyms and capital cities from countryinfo;
the gazetteer resource adds what those libraries lack (short forms such as "US", capitals
and buildings used as metonyms, other cities, leader titles, a fixed currency table).
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
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
def _countryinfo() -> list[dict]:
    from countryinfo import all_countries

    out = []
    for c in all_countries():
        try:
            alpha3 = (c.iso() or {}).get("alpha3")
            demonym, capital = c.demonym(), c.capital()
        except (KeyError, AttributeError, TypeError):
            continue
        if alpha3:
            out.append({"alpha3": alpha3, "demonym": demonym, "capital": capital})
    return out


@functools.lru_cache(maxsize=1)
def city_countries() -> dict[str, str]:
    """City name -> ISO alpha-3: every capital (countryinfo) plus the gazetteer's other cities."""
    cities = {}
    for c in _countryinfo():
        capitals = c["capital"] if isinstance(c["capital"], list) else [c["capital"]]  # some have several
        for capital in filter(None, capitals):
            cities[capital.replace(" D.C.", "")] = c["alpha3"]
    cities.update(gazetteer()["cities"])
    return cities


def _alternation(names) -> str:
    """A regex matching any of the literal names, the longest first so that "South Korea" wins over
    "Korea" (and, should what follows the name not match, the next longest, and so on).

    The names are factored into a trie: Python's ``re`` tries the branches of a flat alternation one
    by one at every position of the text, hundreds of them for the country and city names; the trie
    follows one branch per character (2-18x faster on name-dense text). Literal names that can both match
    at one position lie on one path of the trie, where a greedy optional tail tries the longer first.
    """
    trie: dict = {}
    for name in names:
        if name:
            node = trie
            for ch in name:
                node = node.setdefault(ch, {})
            node[None] = None  # a name ends here

    def pattern(node: dict) -> str:
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted((k, v) for k, v in node.items()
                                                                           if k is not None)]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if None in node else body

    return pattern(trie)


@functools.lru_cache(maxsize=1)
def _country_matcher() -> tuple[re.Pattern, dict[str, str]]:
    import pycountry

    names: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name"):
            value = getattr(c, attr, None)
            if value and "," not in value:
                names[value] = c.alpha_3
    demonyms: dict[str, set[str]] = {}
    for c in _countryinfo():
        if isinstance(c["demonym"], str) and c["demonym"]:
            demonyms.setdefault(c["demonym"], set()).add(c["alpha3"])
    for demonym, codes in demonyms.items():
        if len(codes) == 1:  # "Guinean" names more than one country: left out
            names.setdefault(demonym, next(iter(codes)))
    for code, aliases in gazetteer()["aliases"].items():
        for a in aliases:
            names[a] = code
    pattern = re.compile(r"(?<![\w-])(" + _alternation(names)
                         # "South China Sea", "Taiwan Strait": places, not the country.
                         + r")(?:['’]s)?(?![\w-])(?!\s+(?:Sea|Strait|Straits|Gulf|Ocean)\b)")
    return pattern, names


def country_name(alpha3: str) -> str:
    import pycountry
    c = pycountry.countries.get(alpha_3=alpha3)
    return getattr(c, "common_name", None) or c.name if c else alpha3


def _country_mentions(text: str) -> list[tuple[str, int, int]]:
    """(ISO alpha-3 code, start, end) of every country mention."""
    pattern, names = _country_matcher()
    return [(names[m.group(1)], m.start(), m.end()) for m in pattern.finditer(text)]


def find_countries(text: str) -> list[str]:
    """ISO alpha-3 codes of the countries a text names, in order of first mention."""
    return list(dict.fromkeys(code for code, _, _ in _country_mentions(text)))


@functools.lru_cache(maxsize=1)
def _person_re() -> re.Pattern:
    titles = _alternation(gazetteer()["leader_titles"])
    # "Jr." before plain words so that its dot is kept; particles may carry a hyphenated name ("el-Sisi").
    name = (r"[A-Z][a-zA-Z'’\-]+(?:\s+(?:Jr\.|Sr\.|(?:da|de|del|von|der|van|bin|al|el)(?:-[A-Z][a-zA-Z'’]+)?"
            r"|[A-Z][a-zA-Z'’\-]+))*")
    return re.compile(rf"(?P<nat>(?:[A-Z][a-z]+\s){{0,2}})?(?P<title>{titles})\s+(?P<name>{name})")


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
    _, names = _country_matcher()
    return re.compile(rf"(?<![\w-])(?P<country>{_alternation(names)})['’]s\s+"
                      rf"(?P<name>[A-Z][a-z]+(?:[ -](?:[A-Z][a-z]+)){{1,3}})(?![\w-])")


@functools.lru_cache(maxsize=1)
def _title_words() -> frozenset[str]:
    return frozenset(w for t in gazetteer()["leader_titles"] for w in t.split())


@functools.lru_cache(maxsize=1)
def _head_titles() -> frozenset[str]:
    """Titles of heads of state or government, and "" for a leader named by country alone."""
    return frozenset(gazetteer()["head_titles"]) | {""}


def _possessive_people(text: str) -> list[Person]:
    """Leaders named by their country alone: "South Korea's Lee Jae Myung", "Japan's Shigeru Ishiba"."""
    _, codes = _country_matcher()
    titles = _title_words()
    out = []
    for m in _possessive_person_re().finditer(text):
        words = m.group("name").replace("-", " ").split()
        if any(w in _INSTITUTION_WORDS or w in titles or w in codes for w in words):
            continue
        out.append(Person("", m.group("name"), codes[m.group("country")]))
    return out


_NOT_NAMES = {"The", "This", "That", "On", "In", "At", "And", "But", "Trump's"}


def find_people(text: str) -> list[Person]:
    """People named with a title, with their country when the title carries it ("Japanese Prime Minister"),
    and leaders named by their country alone ("Japan's Shigeru Ishiba")."""
    people: dict[str, Person] = {}
    for m in _person_re().finditer(text):
        name = re.sub(r"['’]s$", "", m.group("name").strip())  # "President Lee’s trip"
        words = [w for w in name.split() if w not in _NOT_NAMES]
        if not words or words[0] in _NOT_NAMES:
            continue
        name = " ".join(words[:4])
        nat = (m.group("nat") or "").strip()
        countries = find_countries(nat) if nat else []
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


@functools.lru_cache(maxsize=1)
def _city_matcher() -> tuple[re.Pattern, dict[str, str]]:
    names = {c: c for c in city_countries()}
    names.update(gazetteer()["place_metonyms"])  # "the White House" places a meeting in Washington
    return re.compile(r"(?<!\w)(" + _alternation(names) + r")(?!\w)"), names


def find_cities(text: str) -> list[str]:
    """Cities named in a text (places such as "the White House" count as their city), in order of mention."""
    pattern, names = _city_matcher()
    return list(dict.fromkeys(names[m.group(1)] for m in pattern.finditer(text)))


_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WEEKDAY_RE = re.compile(r"\b(?:on|last|this|next)\s+(" + "|".join(d.capitalize() for d in _WEEKDAYS) + r")\b")
_RELATIVE_DAY_RE = re.compile(r"\b(today|yesterday|tomorrow)\b", re.IGNORECASE)
_FUTURE_RE = re.compile(r"\b(will|shall|is to|are to|plans? to|is due to|are due to|next|scheduled|expected to)\b",
                        re.IGNORECASE)


def _weekday_date(sentence: str, m: re.Match, published: date) -> date:
    """News style: "on Thursday" is the last Thursday up to publication, or the next one in future tense."""
    target = _WEEKDAYS.index(m.group(1).lower())
    delta = (target - published.weekday()) % 7
    if _FUTURE_RE.search(sentence) or m.group(0).lower().startswith("next"):
        return published + timedelta(days=delta or 7)
    return published - timedelta(days=(published.weekday() - target) % 7)


def resolve_date(text: str, published: Optional[datetime]) -> tuple[Optional[date], Optional[str]]:
    """The first date the text states: a calendar date (year from published_at when absent), else a
    weekday or today/yesterday/tomorrow relative to published_at. Unresolvable: (None, phrase)."""
    resolved, phrase = _calendar_date(text, published)
    if phrase:
        return resolved, phrase
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        m = _WEEKDAY_RE.search(sentence)
        if m:
            return (_weekday_date(sentence, m, published.date()) if published else None), m.group(0)
        m = _RELATIVE_DAY_RE.search(sentence)
        if m:
            if not published:
                return None, m.group(0)
            shift = {"today": 0, "yesterday": -1, "tomorrow": 1}[m.group(1).lower()]
            return published.date() + timedelta(days=shift), m.group(0)
    return None, None


def _calendar_date(text: str, published: Optional[datetime]) -> tuple[Optional[date], Optional[str]]:
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
    words, symbols = _alternation(by_word), _alternation(by_symbol)
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
LEAD_SENTENCES = 4
_NEXT_MEETING = re.compile(r"\bnext\b", re.IGNORECASE)
_MEETING = re.compile(r"\b(meet|meets|met|meeting|summit|talks|visit|visits|visited|travel\w*|hosts?|hosted)\b",
                      re.IGNORECASE)
# Checked in this order on the sentence that states the headline rate, then on the whole evidence.
_TARIFF_ACTIONS = [
    ("deal", r"\b(deal|agreement|agreed|accord|truce|framework)\b"),
    ("cut", r"\b(cut|cuts|cutting|lower|lowers|lowered|lowering|reduc\w+|ease|eases|eased|scrap\w*|remove\w*)\b"),
    ("suspend", r"\b(suspend\w*|pause\w*|delay\w*|postpon\w*)\b"),
    ("threaten", r"\b(threat\w*|warn\w*|could|may|might|consider\w*|propos\w*)\b"),
    ("raise", r"\b(rais\w+|increas\w+|doubl\w+|hike\w*|higher)\b"),
    ("impose", r"\b(impos\w+|levy|levies|slap\w*|retaliat\w+|introduc\w+|announc\w+|charg\w+)\b"),
]
_DUTY = r"(?:tariffs?|duty|duties|levy|levies)"
_GOODS = ["cars", "vehicles", "trucks", "steel", "aluminum", "aluminium", "semiconductors", "chips", "soybeans",
          "coffee", "beef", "textiles", "clothing", "pharmaceuticals", "lumber", "machinery", "electronics",
          "energy", "oil", "gas", "wine", "shrimp", "jewelry", "furniture", "footwear", "aircraft", "ships",
          "rare earths", "orange juice", "consumer goods", "industrial goods", "farm products", "agricultural goods"]
_COST_SHARING = re.compile(r"\b(host[- ]nation|cost[- ]sharing|special measures|upkeep|stationing|stationed|"
                           r"(?:foreign|american|u\.?s\.?|allied) (?:troops|forces|soldiers|bases))\b", re.IGNORECASE)
_BUDGET = re.compile(r"^(?:['’]s)?\s+(?:\w+\s+){0,2}(?:military|defen[cs]e|armed forces)\s+(?:budget|spending)",
                     re.IGNORECASE)


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


def _summit_fields(sentences: list[str], people: list[Person], published: Optional[datetime],
                   event_date: Optional[date]) -> dict:
    heads = _head_titles()
    leaders = [p for p in people if p.title in heads] or people
    leader_countries = list(dict.fromkeys(p.country for p in leaders if p.country))
    # The host is where this meeting is, not where "the next summit" will be.
    here = [c for s in sentences if not _NEXT_MEETING.search(s) for c in find_cities(s)]
    host_city = (here or find_cities(" ".join(sentences)) or [None])[0]
    parties = max(len(leader_countries), len(leaders), 1)
    multilateral = re.search(r"\b(leaders of|member states|bloc|alliance|allies|group of|G7|G20|ASEAN|NATO|"
                             r"states met)\b", " ".join(sentences))
    first = sentences[0] if sentences else ""
    planned = bool(_PLANNED.search(first)) or bool(event_date and published and event_date > published.date())
    return {
        "leaders": [p.label for p in leaders],
        "leader_countries": leader_countries,
        "host_city": host_city,
        "host_country": city_countries().get(host_city) if host_city else None,
        "format": "multilateral" if multilateral and parties < 3 else
                  "bilateral" if parties <= 2 else "trilateral" if parties == 3 else "multilateral",
        "status": "planned" if planned else "held",
    }


def _tariff_parties(sentences: list[str]) -> tuple[list[str], list[str]]:
    """Who levies and whose goods are hit, from where countries stand next to the duty words:
    "US tariffs", "Mexico ... may impose" levy; "on Brazilian coffee", "from China", "affect Taiwan" are hit."""
    imposing: dict[str, int] = {}
    target: dict[str, int] = {}
    for s in sentences:
        mentions = _country_mentions(s)
        for code, start, end in mentions:
            before, after = s[max(0, start - 40):start], s[end:end + 40]
            if re.search(rf"^(?:['’]s)?\s+(?:\w+\s+){{0,1}}{_DUTY}", after, re.IGNORECASE):
                imposing[code] = imposing.get(code, 0) + 1
            elif re.search(r"\b(on|against|from|affect\w*|hit\w*|penali[sz]\w*|targeting|exports? to|applied to)\s+"
                           r"(?:\w+\s+){0,3}$", before, re.IGNORECASE):
                target[code] = target.get(code, 0) + 1
        duty = re.search(rf"\b{_DUTY}\b", s, re.IGNORECASE)
        if duty:  # the nearest country before the duty word is the one levying it
            subjects = [c for c, start, _ in mentions if start < duty.start() and c not in target]
            if subjects:
                imposing[subjects[-1]] = imposing.get(subjects[-1], 0) + 1
    imposers = [c for c in imposing if imposing[c] > target.get(c, 0)]
    targets = [c for c in target if c not in imposers]
    return imposers, targets


def _headline_rate(sentences: list[str]) -> tuple[Optional[float], Optional[str]]:
    """The rate the measure sets ("to 10 percent", "a 15 percent tariff"), with its sentence."""
    pct = r"(\d+(?:\.\d+)?)\s*(?:percent|per cent|%)"
    for rx in (rf"\bto {pct}", rf"{pct}\s+(?:\w+\s+){{0,2}}{_DUTY}", rf"{_DUTY}\s+of\s+(?:up to\s+)?{pct}", pct):
        for s in sentences:
            m = re.search(rx, s, re.IGNORECASE)
            if m:
                return float(m.group(1)), s
    return None, None


def _defense_country(sentences: list[str], countries: list[str]) -> Optional[str]:
    for s in sentences:  # "Japan's military budget", "India ... its defense budget"
        for code, _, end in _country_mentions(s):
            if _BUDGET.search(s[end:]):
                return code
    return countries[0] if countries else None


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
        meeting = " ".join(s for s in article_sentences[:LEAD_SENTENCES] if _MEETING.search(s))
        heads = _head_titles()
        named = {p.name for p in people}
        people += [p for p in find_people(meeting) if p.title in heads and p.name not in named
                   and not any(p.name in q.name.split() for q in people)]
        if not date_text:
            event_date, date_text = resolve_date(meeting, published)
    _assign_unqualified(people, countries)
    cities = find_cities(text)
    fields = EventFields(countries, people, cities, event_date, date_text)
    if event_type == "summit":
        fields.specific = _summit_fields(evidence, people, published, event_date)
    elif event_type == "tariff":
        rate, rate_sentence = _headline_rate(evidence)
        action = next((name for scope in (rate_sentence or "", text) for name, rx in _TARIFF_ACTIONS
                       if re.search(rx, scope, re.IGNORECASE)), "impose")
        imposing, target = _tariff_parties(evidence)
        lowered = text.lower()  # most goods are not named: a substring test rules them out cheaply
        if not imposing:
            imposing = [c for c in countries if c == "USA"] or countries[:1]
            target = [c for c in countries if c not in imposing]
        fields.specific = {
            "imposing_countries": imposing,
            "target_countries": target,
            "action": action,
            "rate_percent": rate,
            "rates_percent": find_percents(text),
            "goods": [g for g in _GOODS if g in lowered and re.search(rf"\b{re.escape(g)}\b", text, re.IGNORECASE)],
            "amounts": find_amounts(text),
        }
    elif event_type == "defense_spending":
        amounts = find_amounts(text)
        head = max(amounts, key=lambda a: a["usd"] or 0.0) if amounts else None
        fields.specific = {
            "country": _defense_country(evidence, countries),
            "amount": head["value"] if head else None,
            "currency": head["currency"] if head else None,
            "amount_usd": head["usd"] if head else None,
            "gdp_share_percent": percent_near(text, r"\b(GDP|gross domestic product|economic output)\b"),
            "cost_sharing": bool(_COST_SHARING.search(text)),
            "amounts": amounts,
        }
    return fields
