"""The fields specific to each event type, one rule per type (``EVENT_RULES``, mirroring
``schemas.EVENT_SPECIFIC_FIELDS``)."""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Callable, Optional

from newsevents.amounts import amount_spans, find_amounts, find_percents, finite, percent_near
from newsevents.geography import city_countries, city_mentions, country_mentions, find_cities
from newsevents.people import Person, head_titles

_PLANNED = re.compile(r"\b(will|would (?:visit|travel|meet|host|hold)|to meet|to travel|to visit|is scheduled|"
                      r"are scheduled|is expected|are expected|plans? to|planned|is (?:travel|head|fly)ing to|"
                      r"next (week|month|year)|later this|upcoming|ahead of)\b",
                      re.IGNORECASE)
_HELD = re.compile(r"\b(met|held talks|hosted|visited|gathered|took place|welcomed|received|talked|spoke|signed|"
                   r"produced|agreed)\b", re.IGNORECASE)
_CANCELLED = re.compile(r"\b(cancel\w*|called off|call off|scrapped|postpone\w*)\b", re.IGNORECASE)
_NEGOTIATING = re.compile(r"\b(negotiating (?:a|the) (?:summit|meeting|visit)|(?:try|trying|working|seeking|seek|seeks)"
                          r" to (?:arrange|set up|organi[sz]e|secure) (?:a|the)|in talks (?:over|about|on) (?:a|the) "
                          r"(?:summit|meeting|visit))\b", re.IGNORECASE)
_NEXT_MEETING = re.compile(r"\bnext\b", re.IGNORECASE)
MEETING = re.compile(r"\b(meet|meets|met|meeting|summit|talks|visit|visits|visited|trip|travel\w*|hosts?|hosted)\b",
                     re.IGNORECASE)
# Checked in this order on the sentence that states the headline rate, then on the whole evidence: a deal
# that lowers duties is a deal, a threat to retaliate is a threat.
_TARIFF_ACTIONS = [
    ("deal", r"\b(deal|agreement|agreed|accord|truce|framework|in (?:return|exchange) for)\b|"
             r"\b(?:talks|negotiations)\b[^.]{0,80}\b(?:linked|tied) to\b"),
    ("cut", r"\b(cut|cuts|cutting|lower|lowers|lowered|lowering|reduc\w+|ease|eases|eased|scrap\w*|remove\w*)\b"),
    # Granted, not asked for: "asked Washington for an exemption" is no exemption.
    ("exempt", r"\b(exempted|exempts|exempting|exempt from|exemptions? (?:for|from)|excluded from|waived?|waives|"
               r"carve-outs? for|spared)\b"),
    ("suspend", r"\b(suspend\w*|pause\w*|delay\w*|postpon\w*)\b"),
    ("threaten", r"\b(threat\w*|warn\w*|could|may|might|consider\w*|propos\w*)\b"),
    ("retaliate", r"\b(retaliat\w+|counter-?measures?|counter-?tariffs?|in response|respond\w* with|hit back|"
                  r"hits back|(?:tariffs|duties|levies) of (?:its|their) own)\b"),
    ("raise", r"\b(rais\w+|increas\w+|doubl\w+|hike\w*|higher)\b"),
    ("impose", r"\b(impos\w+|levy|levies|slap\w*|introduc\w+|announc\w+|charg\w+)\b"),
]
# "countries without a trade agreement with Mexico" names who is hit, not a deal.
_NO_DEAL = re.compile(r"\b(?:without|lack\w*|do(?:es)? not have|no)\s+(?:an?\s+)?(?:free[- ])?trade\s+"
                      r"(?:agreements?|deals?|accords?)", re.IGNORECASE)
_DUTY = r"(?:tariffs?|duty|duties|levy|levies)"
DUTY_WORD = re.compile(rf"\b{_DUTY}\b", re.IGNORECASE)
_GOODS = ["cars", "vehicles", "trucks", "steel", "aluminum", "aluminium", "semiconductors", "chips", "soybeans",
          "coffee", "beef", "textiles", "clothing", "pharmaceuticals", "lumber", "machinery", "electronics",
          "energy", "oil", "gas", "wine", "shrimp", "jewelry", "furniture", "footwear", "aircraft", "ships",
          "rare earths", "orange juice", "consumer goods", "industrial goods", "farm products", "agricultural goods"]
# "Brazilian aircraft", "Korean goods", "Korean carmakers": whose goods they are, the target.
_GOODS_AFTER = re.compile(r"^(?:['’]s)?\s+(?:\w+\s+){0,1}(?:goods|products|imports|exports|carmakers|automakers|"
                          r"companies|firms|exporters|producers|makers|manufacturers|farmers|businesses|industry|"
                          + "|".join(map(re.escape, _GOODS)) + r")\b", re.IGNORECASE)
# The country that undergoes the duty, as the subject: "India would face a 25 percent tariff", "Canada is
# hit by", "Brazil was slapped with".
_SUFFERS = re.compile(r"^(?:['’]s\s+\w+)?\s+(?:\w+\s+){0,2}(?:fac(?:e|es|ed|ing)|(?:is|was|were|are|been|be)\s+"
                      r"(?:hit|impacted|affected|targeted|slapped|subject(?:ed)?)|hit with|subject to)\b",
                      re.IGNORECASE)
# "... tariffs on cars imposed by the United States": whoever the verb says levies it.
_LEVIED_BY = re.compile(r"\b(?:impos|levi|slapp|announc|order|introduc)\w*\s+by\s+(?:the\s+)?$", re.IGNORECASE)
COST_SHARING = re.compile(r"\b(host[- ]nation|cost[- ]sharing|special measures|upkeep|stationing|stationed|"
                           r"(?:foreign|american|u\.?s\.?|allied) (?:troops|forces|soldiers|bases))\b", re.IGNORECASE)
_BUDGET = re.compile(r"^(?:['’]s)?\s+(?:\w+\s+){0,2}(?:military|defen[cs]e|armed forces)\s+(?:budget|spending)",
                     re.IGNORECASE)


# A clause that places the sentence relative to another meeting ("Before the White House summit, he
# visited Tokyo"; "... ahead of the summit"): background, not the event the sentence reports.
_LEADING_BACKGROUND = re.compile(r"^(?:Before|After|Ahead of|Following|Prior to|On the eve of|Since|Unlike|While)\b"
                                 r"[^,]{0,80},\s*", re.IGNORECASE)
_TRAILING_BACKGROUND = re.compile(r",?\s*\b(?:ahead of|before|after|following|prior to|on the eve of|on the "
                                  r"sidelines of)\s+(?:the|a|an|his|her|their|its|next|this)\s+[^,.;]*?"
                                  r"(?:summit|meeting|talks|visit|trip)\b[^,.;]*", re.IGNORECASE)


def main_clause(sentence: str) -> str:
    """The sentence without the clauses that only situate it relative to another meeting."""
    return _TRAILING_BACKGROUND.sub("", _LEADING_BACKGROUND.sub("", sentence))


_PLACE_AFTER = re.compile(r"^(?:\W+\w+){0,3}?\W+(?:meet\w*|met|summit|talks|visit\w*|trip|hosts?|hosted)\b",
                          re.IGNORECASE)
_PLACE_BEFORE = re.compile(r"\b(?:(?:meet\w*|met|summit|talks|visit|trip|gather\w*|held)(?:\W+\w+){0,2}?\W+(?:in|at)|"
                           r"visit\w*|(?:travel\w*|trip|flew|fly\w*|head\w*|arriv\w*|come|comes|came|go\w*|went)"
                           r"\s+(?:to|in))\s+(?:the\s+)?$", re.IGNORECASE)


def meeting_place(sentence: str) -> tuple[Optional[str], Optional[str]]:
    """(city or None, ISO3) of where the meeting a sentence speaks of takes place: "in Tokyo, Lee met",
    "travel to Japan", "the Washington talks", "his US visit"; not "ties with Washington" nor "a
    briefing in Seoul". (None, None) when the sentence places no meeting."""
    cities = city_mentions(sentence)
    places = [(c, city_countries().get(c), start, end) for c, start, end in cities]
    places += [(None, code, start, end) for code, start, end in country_mentions(sentence)
               if not any(s <= start < e for _, s, e in cities)]
    places.sort(key=lambda p: p[2])
    # "talks at the White House" before "Officials in Bern hope the talks": a place the meeting words
    # lead to first, then one they follow.
    for city, code, start, end in places:
        if _PLACE_BEFORE.search(sentence[max(0, start - 60):start]):
            return city, code
    for city, code, start, end in places:
        after = sentence[end:end + 40]
        # "the Tokyo talks", "In Washington, the summit"; a country only as "his US visit" ("South Korea
        # Summit Talks" is about a country's summit, held anywhere)
        if _PLACE_AFTER.match(after) if city else re.match(r"^\s+(?:visit|trip)\b", after, re.IGNORECASE):
            return city, code
    return None, None


def sentence_status(sentence: str) -> Optional[str]:
    """held, scheduled, cancelled or in_negotiation, as the sentence's main clause says; None when it does not."""
    s = main_clause(sentence)
    for status, rx in (("cancelled", _CANCELLED), ("in_negotiation", _NEGOTIATING), ("scheduled", _PLANNED),
                       ("held", _HELD)):
        if rx.search(s):
            return status
    return None


_MULTILATERAL = re.compile(r"(?<!sidelines of )(?<!sidelines of the )\b(?:leaders of(?!\s+(?:the\s+)?(?:world['’]s\s+)?"
                           r"(?:two|both)\b)|member states|bloc|alliance|allies|group of|G7|G20|ASEAN|NATO|states met)\b")


def summit_fields(sentences: list[str], countries: list[str], people: list[Person], published: Optional[datetime],
                  event_date: Optional[date]) -> dict:
    heads = head_titles()
    leaders = [p for p in people if p.title in heads] or people
    leader_countries = list(dict.fromkeys(p.country for p in leaders if p.country))
    # The host is where the sentences place this meeting ("travel to Japan", "In Tokyo, ... met"), else the
    # first city named, not where "the next summit" will be.
    placed = [p for s in sentences if not _NEXT_MEETING.search(s) and (p := meeting_place(main_clause(s)))[1]]
    if placed:
        host_country = placed[0][1]
        host_city = next((c for c, code in placed if c and code == host_country), None)
    else:
        here = [c for s in sentences if not _NEXT_MEETING.search(s) for c in find_cities(main_clause(s))]
        host_city = (here or find_cities(" ".join(sentences)) or [None])[0]
        host_country = city_countries().get(host_city) if host_city else None
    parties = max(len(leader_countries), len(leaders), 1)
    # Of this meeting (its first sentence states it), not of the next one a later sentence mentions,
    # nor the gathering on whose sidelines two leaders met.
    this_meeting = " ".join(sentences[:1] + [s for s in sentences[1:] if not _NEXT_MEETING.search(s)])
    multilateral = _MULTILATERAL.search(this_meeting)
    # A report of a three-way meeting often names only the two leaders it is about.
    trilateral = re.search(r"\b(?:trilateral|three-way|three-nation|three-country)\s+(?:leaders['’]?\s+)?"
                           r"(?:summit|meeting|talks)\b|\bthree leaders\b", this_meeting, re.IGNORECASE)
    # The first sentence of an event states it; later ones drift into what comes next ("will meet again").
    status = sentence_status(sentences[0]) if sentences else None
    if event_date and published and event_date > published.date() and status in (None, "held"):
        status = "scheduled"
    return {
        "leaders": [p.label for p in leaders],
        "leader_countries": leader_countries,
        "host_city": host_city,
        "host_country": host_country,
        "format": "trilateral" if trilateral and parties < 3 else "multilateral" if multilateral and parties < 3 else
                  "bilateral" if parties <= 2 else "trilateral" if parties == 3 else "multilateral",
        "status": status or "held",
    }


def tariff_parties(sentences: list[str]) -> tuple[list[str], list[str]]:
    """Who levies and whose goods are hit, from where countries stand next to the duty words:
    "US tariffs", "Mexico ... may impose" levy; "on Brazilian coffee", "from China", "affect Taiwan" are hit."""
    imposing: dict[str, int] = {}
    target: dict[str, int] = {}
    for s in sentences:
        mentions = country_mentions(s)
        for code, start, end in mentions:
            before, after = s[max(0, start - 40):start], s[end:end + 40]
            # "US tariffs"; "tariffs from the United States", "duties imposed by China" (the duty comes from it)
            if re.search(rf"^(?:['’]s)?\s+(?:\w+\s+){{0,1}}{_DUTY}", after, re.IGNORECASE) or \
                    re.search(rf"\b{_DUTY}\s+(?:\w+\s+){{0,1}}(?:from|by)\s+(?:the\s+)?$", before, re.IGNORECASE) or \
                    _LEVIED_BY.search(before):
                imposing[code] = imposing.get(code, 0) + 1
            elif re.search(r"\b(on|against|from|affect\w*|hit\w*|penali[sz]\w*|targeting|exports? to|applied to)\s+"
                           r"(?:\w+\s+){0,3}$", before, re.IGNORECASE) or _GOODS_AFTER.match(after) or \
                    _SUFFERS.match(s[end:end + 80]):
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
            if m and finite(m.group(1)) is not None:
                return finite(m.group(1)), s
    return None, None


# "US troops in Korea", "American forces stationed in Japan": the host country pays, the troops' country is the ally.
_STATIONED = re.compile(r"(?:troops|forces|soldiers|bases|military presence)\s+(?:\w+\s+){0,2}(?:in|on)\s+(?:the\s+)?$",
                        re.IGNORECASE)
_CONTRIBUTION = re.compile(r"\b(?:defen[cs]e|military) (?:contributions?|cost[- ]sharing|burden[- ]sharing|costs)\b",
                           re.IGNORECASE)
_TARGET = re.compile(r"\b(?:GDP|gross domestic product|economic output|spending (?:target|goal)|target of|goal of)\b",
                     re.IGNORECASE)
_RAISES_SPENDING = re.compile(r"^\s+(?:\w+\s+){0,5}(?:to\s+)?(?:increas\w*|rais\w*|boost\w*|lift\w*|cut\w*|"
                              r"double\w*|spend\w*|pay\w*|contribut\w*)\s+(?:its\s+|their\s+|more\s+(?:on\s+)?)?"
                              r"(?:\w+\s+){0,1}(?:defen[cs]e|military)", re.IGNORECASE)


# "Poland will spend 4.7 percent of GDP on defence", "Germany plans to devote 3.5 percent ... to the military".
_SPENDS_ON = re.compile(r"^(?:['’]s)?\s+(?:\w+\s+){0,4}(?:spend\w*|devot\w*|allocat\w*|earmark\w*|set\w* aside|"
                        r"invest\w*)\s+(?:[\w.,$€£¥%-]+\s+){0,8}?(?:on|to|for|in)\s+(?:its\s+|their\s+|the\s+)?"
                        r"(?:own\s+)?(?:defen[cs]e|military|armed forces)\b", re.IGNORECASE)


def defense_parties(sentence: str) -> tuple[Optional[str], Optional[str]]:
    """(spending country, ally whose troops it pays for) that one sentence states."""
    mentions = country_mentions(sentence)
    for code, start, end in mentions:  # "US troops in Korea": Korea spends, the US is the ally
        if _STATIONED.search(sentence[max(0, start - 60):start]):
            troops = [c for c, s, _ in mentions if s < start and c != code]
            return code, troops[-1] if troops else None
    for code, _, end in mentions:  # "Japan's military budget", "pressure Seoul to increase defense contributions"
        if _BUDGET.search(sentence[end:]) or _RAISES_SPENDING.search(sentence[end:]) or _SPENDS_ON.search(sentence[end:]):
            return code, None
    paying = COST_SHARING.search(sentence)
    if paying:  # "Seoul ... its contribution to the upkeep of American troops": the subject pays
        troops = [c for c, start, _ in mentions if start > paying.start()]
        payers = [c for c, start, _ in mentions if start < paying.start() and c not in troops]
        if payers:
            return payers[0], troops[0] if troops else None
    return None, None


def defense_measure(sentences: list[str], amounts: list[dict], gdp_share: Optional[float]) -> Optional[str]:
    """cost_sharing, target or budget, when the sentences state one; None when they say none of these."""
    text = " ".join(sentences)
    if COST_SHARING.search(text) or _CONTRIBUTION.search(text):
        return "cost_sharing"
    if gdp_share is not None or (_TARGET.search(text) and find_percents(text)):
        return "target"
    if amounts or re.search(r"\b(?:defen[cs]e|military)\s+(?:budget|spending|expenditure|outlays?)\b", text,
                            re.IGNORECASE):
        return "budget"
    return None


def _defense_country(sentences: list[str], countries: list[str]) -> tuple[Optional[str], Optional[str]]:
    for s in sentences:
        spender, ally = defense_parties(s)
        if spender:
            return spender, ally
    return (countries[0] if countries else None), None


# A deal, a threat or a retaliation names the whole measure; otherwise the verb nearest a duty
# word is the action ("imposed a 20 percent tariff ..., forcing factories to cut jobs": impose).
_FRAMING_ACTIONS = ("deal", "threaten", "retaliate")


def _tariff_action(scope: str) -> Optional[str]:
    scope = _NO_DEAL.sub("", scope)
    found = {name: [m.start() for m in re.finditer(rx, scope, re.IGNORECASE)] for name, rx in _TARIFF_ACTIONS}
    for name in _FRAMING_ACTIONS:
        if found[name]:
            return name
    duties = [m.start() for m in DUTY_WORD.finditer(scope)]
    candidates = [(min((abs(p - d) for d in duties), default=0), order, name)
                  for order, (name, _) in enumerate(_TARIFF_ACTIONS) for p in found[name]]
    return min(candidates)[2] if candidates else None


def tariff_fields(evidence: list[str], countries: list[str], people: list[Person], published: Optional[datetime],
                  event_date: Optional[date]) -> dict:
    text = " ".join(evidence)
    rate, rate_sentence = _headline_rate(evidence)
    action = next(filter(None, (_tariff_action(scope) for scope in (rate_sentence or "", text))), "impose")
    imposing, target = tariff_parties(evidence)
    lowered = text.lower()  # most goods are not named: a substring test rules them out cheaply
    if not imposing:  # a country the sentences show undergoing the duty is not the one levying it
        hit = {c for s in evidence for c, _, end in country_mentions(s) if _SUFFERS.match(s[end:end + 80])}
        free = [c for c in countries if c not in hit]
        # With the target known, another country merely named ("oil from Russia") is no better guess.
        imposing = [c for c in free if c == "USA"] or ([] if hit else free[:1])
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


# The clause a defence figure stands in: a budget's total, a conversion in parentheses or last year's
# figure is another clause ("The 115 trillion yen budget includes 8.7 trillion yen for defence").
_SPENDING_WORD = re.compile(r"\b(?:defen[cs]e|military|armed forces|troops|forces|weapons|arms|upkeep|"
                            r"cost[- ]sharing|host[- ]nation|stationing)\b", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"(?<!\d),|,(?!\d{3}\b)|[;:]|\s(?:includ\w*|of which|while|whereas|compared with|against|up from|down from|"
                           r"out of)\s", re.IGNORECASE)
_PARENTHESES = re.compile(r"\([^()]*\)")
# What the other side asked for is not what was agreed: "Washington had demanded 1 billion dollars".
_ASKED = re.compile(r"\b(?:demand\w*|sought|seeking|asked for|asking for|wanted|call(?:ed|s|ing)? for|request\w*)\b",
                    re.IGNORECASE)


# "amounts to about 2% of GDP ... should aim for at least 3%": the share a country commits to.
_GOAL = r"\b(?:aim\w*|target\w*|goal|pledg\w*|commit\w*|should|must|vow\w*|promis\w*|(?:rais\w*|increas\w*|" \
        r"lift\w*|boost\w*|ris\w*|reach\w*) (?:\w+ ){0,4}to)\b"


def defence_headline_amount(evidence: list[str]) -> Optional[dict]:
    """The defence figure: the largest amount in a clause about defence spending (one that is not a
    demand), else the largest amount stated."""
    candidates = []
    for sentence in evidence:
        for clause in _CLAUSE_BREAK.split(_PARENTHESES.sub(" ", sentence)):
            if _SPENDING_WORD.search(clause):
                candidates += [(bool(_ASKED.search(clause[:start])), -(amount["usd"] or 0.0), order, amount)
                               for order, (start, amount) in enumerate(amount_spans(clause))]
    if candidates:
        return min(candidates, key=lambda c: c[:3])[3]
    amounts = find_amounts(" ".join(evidence))
    return max(amounts, key=lambda a: a["usd"] or 0.0) if amounts else None


def defense_spending_fields(evidence: list[str], countries: list[str], people: list[Person],
                            published: Optional[datetime], event_date: Optional[date]) -> dict:
    text = " ".join(evidence)
    amounts = find_amounts(text)
    head = defence_headline_amount(evidence)
    gdp_share = percent_near(text, r"\b(GDP|gross domestic product|economic output)\b", prefer=_GOAL)
    measure = defense_measure(evidence, amounts, gdp_share)
    country, _ = _defense_country(evidence, countries)
    return {
        "country": country,
        "amount": head["value"] if head else None,
        "currency": head["currency"] if head else None,
        "amount_usd": head["usd"] if head else None,
        "gdp_share_percent": gdp_share,
        "cost_sharing": measure == "cost_sharing",
        "amounts": amounts,
        "measure": measure,
    }


# Event type -> the rule giving its fields of schemas.EVENT_SPECIFIC_FIELDS (same keys, same order).
FieldRule = Callable[[list[str], list[str], list[Person], Optional[datetime], Optional[date]], dict]
EVENT_RULES: dict[str, FieldRule] = {
    "summit": summit_fields,
    "tariff": tariff_fields,
    "defense_spending": defense_spending_fields,
}


def dyad(event_type: str, specific: dict, evidence: list[str]) -> tuple[Optional[str], Optional[str]]:
    """(actor1_country, actor2_country) as GDELT's Actor1/Actor2: host and visitor, imposing party and
    target (for a deal, the party whose duties it changes and the other party), spender and ally."""
    if event_type == "summit":
        parties = specific["leader_countries"]
        host = specific["host_country"]
        first = host if host in parties else (parties[0] if parties else host)
        return first, next((c for c in parties if c != first), None)
    if event_type == "tariff":
        imposing, target = specific["imposing_countries"], specific["target_countries"]
        first = imposing[0] if imposing else None
        return first, next((c for c in target if c != first), None)
    spender, ally = _defense_country(evidence, [])
    ally = ally if specific["measure"] == "cost_sharing" and spender == specific["country"] else None
    return specific["country"], ally if ally != specific["country"] else None


def is_event(event_type: str, fields) -> bool:
    """A defence event needs a spending country and a budget, target or cost-sharing statement; a
    sentence about security ties that only sounds like defence spending yields no row."""
    if event_type == "defense_spending":
        return bool(fields.specific["country"] and fields.specific["measure"])
    return True
