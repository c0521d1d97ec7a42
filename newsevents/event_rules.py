"""The fields specific to each event type, one rule per type (``EVENT_RULES``, mirroring
``schemas.EVENT_SPECIFIC_FIELDS``)."""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Callable, Optional

from newsevents.amounts import find_amounts, find_percents, percent_near
from newsevents.geography import city_countries, country_mentions, find_cities
from newsevents.people import Person, head_titles

_PLANNED = re.compile(r"\b(will|to meet|to travel|to visit|is scheduled|are scheduled|is expected|are expected|plans? to|"
                      r"next (week|month|year)|later this|upcoming|ahead of)\b", re.IGNORECASE)
LEAD_SENTENCES = 4
_NEXT_MEETING = re.compile(r"\bnext\b", re.IGNORECASE)
MEETING = re.compile(r"\b(meet|meets|met|meeting|summit|talks|visit|visits|visited|travel\w*|hosts?|hosted)\b",
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


def summit_fields(sentences: list[str], countries: list[str], people: list[Person], published: Optional[datetime],
                  event_date: Optional[date]) -> dict:
    heads = head_titles()
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
        mentions = country_mentions(s)
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
        for code, _, end in country_mentions(s):
            if _BUDGET.search(s[end:]):
                return code
    return countries[0] if countries else None


def tariff_fields(evidence: list[str], countries: list[str], people: list[Person], published: Optional[datetime],
                  event_date: Optional[date]) -> dict:
    text = " ".join(evidence)
    rate, rate_sentence = _headline_rate(evidence)
    action = next((name for scope in (rate_sentence or "", text) for name, rx in _TARIFF_ACTIONS
                   if re.search(rx, scope, re.IGNORECASE)), "impose")
    imposing, target = _tariff_parties(evidence)
    lowered = text.lower()  # most goods are not named: a substring test rules them out cheaply
    if not imposing:
        imposing = [c for c in countries if c == "USA"] or countries[:1]
        target = [c for c in countries if c not in imposing]
    return {
        "imposing_countries": imposing,
        "target_countries": target,
        "action": action,
        "rate_percent": rate,
        "rates_percent": find_percents(text),
        "goods": [g for g in _GOODS if g in lowered and re.search(rf"\b{re.escape(g)}\b", text, re.IGNORECASE)],
        "amounts": find_amounts(text),
    }


def defense_spending_fields(evidence: list[str], countries: list[str], people: list[Person],
                            published: Optional[datetime], event_date: Optional[date]) -> dict:
    text = " ".join(evidence)
    amounts = find_amounts(text)
    head = max(amounts, key=lambda a: a["usd"] or 0.0) if amounts else None
    return {
        "country": _defense_country(evidence, countries),
        "amount": head["value"] if head else None,
        "currency": head["currency"] if head else None,
        "amount_usd": head["usd"] if head else None,
        "gdp_share_percent": percent_near(text, r"\b(GDP|gross domestic product|economic output)\b"),
        "cost_sharing": bool(_COST_SHARING.search(text)),
        "amounts": amounts,
    }


# Event type -> the rule giving its fields of schemas.EVENT_SPECIFIC_FIELDS (same keys, same order).
FieldRule = Callable[[list[str], list[str], list[Person], Optional[datetime], Optional[date]], dict]
EVENT_RULES: dict[str, FieldRule] = {
    "summit": summit_fields,
    "tariff": tariff_fields,
    "defense_spending": defense_spending_fields,
}
