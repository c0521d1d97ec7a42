"""summit: leaders meeting: bilateral visits, summits, talks between heads of state or government.

A summit needs heads of state or government (or a named leaders' summit: G7, NATO, ASEAN...).
Tech, business and investment "summits", mountain summits and meetings of ministers only are not
summits. Everything the pipeline knows of the type is here, stage by stage; where two stages use
different word lists, both are kept under the stage's name (the definition's meeting words are
broader than the segmenter's, for one).
"""
from __future__ import annotations

import functools
import re
from datetime import date, datetime
from typing import Mapping, Optional

import pyarrow as pa

from newsevents.extraction.cameo import Rule
from newsevents.extraction.clauses import main_clause
from newsevents.extraction.columns import column
from newsevents.extraction.dates import resolve_date
from newsevents.extraction.geography import (city_countries, city_mentions, country_mentions, find_cities,
                                             find_parties, organisation_mentions)
from newsevents.extraction.people import Person, find_people, head_titles
from newsevents.types.registry import EventType
from newsevents.extraction.words import word_alternation

# ---- the gate: word starts (see gate.py) ---------------------------------------------------------
GATE_STRONG = (
    r"summit", r"heads? of (state|government)", r"state visit", r"bilateral", r"g-?7\b", r"g-?20\b", r"nato\b",
    r"asean\b", r"brics\b", r"counterpart", r"prime minister", r"president", r"chancellor", r"premier\b",
    r"white house", r"kremlin", r"downing street", r"elys[eé]e", r"sidelines", r"joint (declaration|statement)",
)
GATE_WEAK = (
    r"talks\b", r"meet", r"met\b", r"visit", r"leader", r"king\b", r"queen\b", r"emperor", r"host", r"gather",
    r"sign", r"conference", r"forum", r"negotiat", r"diplomat", r"minister",
)

# ---- the definition: a meeting of heads of state or government (definitions.py) -------------------
_DEFINITION_MEETING = word_alternation(
    r"\b(meet|meets|met|meeting|meetings|summit|summits|talks|visit|visits|visited|visiting|hosts?|hosted|hosting|"
    r"trip|travel\w*|held|hold|holds|welcomed|received|call|spoke|sit down|discuss\w*|gathered|gather|signed|sign)\b")
# A leaders' summit named as such: the meeting is of heads of state or government by definition.
_LEADERS_SUMMIT = re.compile(
    r"\b(G7|G-7|G20|G-20|Group of (?:Seven|Twenty)|NATO|ASEAN|APEC|BRICS|SCO|African Union|Arab League|"
    r"European Council|EU|Commonwealth|Quad|Shanghai Cooperation Organi[sz]ation)\s+(?:leaders[’']?\s+)?"
    r"(?:summit|summits|meeting of leaders)\b|\b(?:leaders[’']?|heads of (?:state|government)[’']?)\s+"
    r"(?:summit|meeting|met|meet|gathered|talks)\b|\bsummit of (?:\w+\s+){0,3}leaders\b", re.IGNORECASE)
# "The two leaders", "the prime ministers of Norway, Sweden ...", "heads of government": leaders as a group.
_LEADERS = re.compile(r"\b(leaders|heads of (?:state|government)|presidents|prime ministers|premiers|chancellors|"
                      r"monarchs)\b", re.IGNORECASE)
# "investment summit", "AI Impact Summit", "the summit of Everest": the word without a meeting of leaders.
_NOT_A_LEADERS_SUMMIT = re.compile(
    r"\b(?:investment|investor|investors[’']?|business|tech|technology|startup|innovation|industry|"
    r"attractiveness|youth|education|health|food|climate finance|energy|mining|fintech|crypto|AI|media|"
    r"marketing|sales|customer|developer)\s+(?-i:[A-Z][\w-]*\s+){0,2}summit\b|\bsummit (?:of|on) (?:Everest|K2|Mont Blanc|Kilimanjaro|"
    r"the mountain|the peak)\b|\b(?:reached|reach|reaching) the summit\b", re.IGNORECASE)

_COUNTERPART = re.compile(r"\bcounterparts?\b", re.IGNORECASE)

# What leaders do together at a meeting, said of "the two leaders" without a meeting word.
_JOINT_OUTCOME = word_alternation(
    r"\b(agreed|agree|pledged|signed|issued|adopted|endorsed|joint statement|declaration)\b")


def reports(sentence: str) -> bool:
    meeting = _DEFINITION_MEETING.search(sentence)
    # Every way a sentence reports a summit has a meeting word or a joint outcome: checked first,
    # as this runs on every sentence of every article (the gate) and most have neither.
    if not meeting and not _JOINT_OUTCOME.search(sentence):
        return False
    if _LEADERS_SUMMIT.search(sentence):
        return True
    leaders = _leaders(sentence)
    if len(leaders) >= 2:  # two named heads of state or government together
        return True
    if _NOT_A_LEADERS_SUMMIT.search(sentence):
        return False
    if not meeting:
        return bool(_LEADERS.search(sentence))  # "the two leaders agreed"
    offices = len(_head_office().findall(sentence))
    return (bool(leaders) or bool(_LEADERS.search(sentence)) or offices >= 2
            or (offices == 1 and bool(_COUNTERPART.search(sentence))))


@functools.lru_cache(maxsize=1)
def _head_office() -> re.Pattern:
    """Offices of heads of state or government named without a person, in any case: "the Indian prime
    minister met the Japanese prime minister", "the president held talks with his counterpart" (briefs
    write them so). The gazetteer's head titles but "PM", which lower case is a time of day."""
    offices = sorted((t for t in head_titles() if t and t != "PM"), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(t) for t in offices) + r")\b", re.IGNORECASE)


def _leaders(sentence: str) -> list:
    heads = head_titles()
    return [p for p in find_people(sentence) if p.title in heads]


# ---- segmentation: a meeting word in the main clause; where, when and in what status (segment.py) ----
# The segmenter's meeting words (narrower than the definition's: no "meetings", "held", "discuss").
MEETING = re.compile(r"\b(meet|meets|met|meeting|summit|talks|visit|visits|visited|trip|travel\w*|hosts?|hosted|"
                     r"received|receives|welcomed|welcomes|sat down)\b", re.IGNORECASE)
# "their previous summit", "their first meeting happened in June": a look back at an earlier meeting.
_MEETING_NOUN = r"(?:meeting|summit|talks|visit|encounter)"
LOOK_BACK = re.compile(rf"\b(?:previous|earlier|prior|former)\s+(?:\w+\s+)?{_MEETING_NOUN}\b|"
                       r"\bthe (?:visits|meetings|trips)\b|"  # "Ankara hopes the visits will bring": the tour told
                       rf"\bfirst\s+(?:\w+\s+)?{_MEETING_NOUN}\s+(?:happened|took place|was held)\b", re.IGNORECASE)


# "the second summit", "their next meeting": another meeting than the one the article reports, wherever it is.
_ANOTHER_MEETING = re.compile(rf"\b(?:second|next|another|third|fourth|return|follow-up)\s+(?:\w+\s+)?{_MEETING_NOUN}\b",
                              re.IGNORECASE)


def mention_key(clause: str, reference: Optional[datetime]) -> dict:
    city, place = meeting_place(clause)
    return {"place": place, "city": city, "status": sentence_status(clause),
            "date": resolve_date(clause, reference)[0], "another": bool(_ANOTHER_MEETING.search(clause)) or None}


# ---- fields (extract.py): status, place, format, leaders ------------------------------------------
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

_PLACE_AFTER = re.compile(r"^(?:\W+\w+){0,3}?\W+(?:meet\w*|met|summit|talks|visit\w*|trip|hosts?|hosted)\b",
                          re.IGNORECASE)
_PLACE_BEFORE = re.compile(r"\b(?:(?:meet\w*|met|summit|talks|visit|trip|gather\w*|held)(?:\W+\w+){0,2}?\W+(?:in|at)|"
                           r"visit\w*|(?:travel\w*|trip|flew|fly\w*|head\w*|arriv\w*|come|comes|came|go\w*|went|due|expected)"
                           r"\s+(?:to|in)|(?:left|leaves|leaving|departed|departs)\s+(?:\w+\s+){1,3}for)\s+(?:the\s+)?$",
                           re.IGNORECASE)


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


# ---- parties: an organisation's own summit, or an organisation meeting a country ------------------------
# "the annual APEC summit", "NATO leaders opened", "Leaders of the Group of Seven", "two ASEAN summits"
_GATHERING_AFTER = re.compile(r"^(?:['’]s)?\s+(?:(?:leaders['’]?|heads of (?:state|government)['’]?|annual|"
                              r"extraordinary|emergency|special)\s+){0,2}(?:summits?|leaders|meeting|gathering|"
                              r"conference)\b", re.IGNORECASE)
_GATHERING_BEFORE = re.compile(r"\b(?:summits?|leaders|heads of (?:state|government)|meeting|gathering) of (?:the\s+)?$",
                               re.IGNORECASE)
# "on the sidelines of the G20 summit", "ahead of the NATO summit": the meeting is another one, beside it.
_BESIDE = re.compile(r"\b(?:sidelines|margins|margin|ahead|eve|run-up|side)\s+of\s+(?:the\s+|this\s+year['’]s\s+|"
                     r"an?\s+)?(?:\w+\s+){0,2}$|\b(?:before|after|during|at)\s+(?:the\s+)?(?:\w+\s+){0,1}$",
                     re.IGNORECASE)
# "an EU-India summit", "European Union leaders met Chinese President Xi Jinping": the organisation is one
# side of the meeting, as a country would be.
_MEETING_WORD = r"(?:leaders['’]?\s+)?(?:summit|summits|meeting|talks)\b"
_AS_PARTY = re.compile(rf"^(?:-[A-Z][\w'’]*\s+{_MEETING_WORD}|\s+leaders\s+(?:met|meet|meets|held talks|hosted|received|"
                       r"welcomed|will meet))")
_AS_PARTY_AFTER_COUNTRY = re.compile(rf"^\s+{_MEETING_WORD}")  # "an India-EU summit"


def summit_parties(sentences: list[str]) -> tuple[Optional[str], list[str]]:
    """(the organisation whose own gathering the sentences report, organisations that meet as one side). An
    organisation named beside the meeting ("on the sidelines of the G20 summit") is neither."""
    gathering, sides = None, []
    for s in sentences:
        for code, start, end in organisation_mentions(s):
            before, after = s[max(0, start - 50):start], s[end:end + 60]
            if _AS_PARTY.match(after) or (re.search(r"[A-Z][\w]+-$", before) and _AS_PARTY_AFTER_COUNTRY.match(after)):
                sides.append(code)
            elif gathering is None and not _BESIDE.search(before) and (
                    _GATHERING_AFTER.match(after) or _GATHERING_BEFORE.search(before)):
                gathering = code
    return gathering, list(dict.fromkeys(sides))


def summit_members(organisation: Optional[str], day: Optional[date]) -> list[str]:
    """The organisation's members on the day: who an organisation's summit is of, where the article names the
    gathering but not (all) its leaders."""
    if organisation is None or day is None:
        return []
    from newsevents.actors import knowledge_base
    return knowledge_base().members(organisation, day)


# A head of state or government named by country and office alone: "the Indonesian president", "India's
# prime minister", "his Ugandan counterpart", "Chinese leader" (the country word is capitalised, the office not).
_UNNAMED_OFFICE = re.compile(r"\b(?P<nat>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)(?:['’]s)?\s+(?:president|prime minister|"
                             r"premier|chancellor|counterpart|leader)\b(?!\s+[A-Z])")


def office_countries(sentences: list[str]) -> list[str]:
    """Countries of the heads of state or government the sentences name by office alone (``_UNNAMED_OFFICE``)."""
    return list(dict.fromkeys(code for s in sentences for m in _UNNAMED_OFFICE.finditer(s)
                              for code in find_parties(m.group("nat"))[-1:]))


def summit_fields(sentences: list[str], countries: list[str], people: list[Person], published: Optional[datetime],
                  event_date: Optional[date]) -> dict:
    heads = head_titles()
    leaders = [p for p in people if p.title in heads] or people
    # Of this meeting, not of the next one a later sentence mentions.
    this = sentences[:1] + [s for s in sentences[1:] if not _NEXT_MEETING.search(s)]
    organisation, sides = summit_parties(this)
    # The leaders the article places there; an organisation meeting a country as one side is one of them.
    leader_countries = list(dict.fromkeys([p.country for p in leaders if p.country] + sides + office_countries(this)))
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
    multilateral = _MULTILATERAL.search(this_meeting) or organisation
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
        "organisation": organisation,
        "member_countries": summit_members(organisation, event_date or (published.date() if published else None)),
    }


def dyad(specific: dict, evidence: list[str]) -> tuple[Optional[str], Optional[str]]:
    """Host and visitor (GDELT's Actor1 / Actor2)."""
    parties = specific["leader_countries"]
    host = specific["host_country"]
    first = host if host in parties else (parties[0] if parties else host)
    return first, next((c for c in parties if c != first), None)


# ---- codes (event_codes.py) ----------------------------------------------------------------------
# "held" is split by where it took place (see code_value); "planned", the value before the status
# set grew, reads as scheduled.
CODE_RULES = {
    "held_hosted": Rule("043", "host"),             # actor1 hosts actor2
    "held_multilateral": Rule("040", "multilateral"),
    "held_third_party": Rule("040", "third-party"),  # no participant hosts it
    "held": Rule("040"),                            # where or who is unknown
    "scheduled": Rule("036"),
    "in_negotiation": Rule("046"),
    "cancelled": Rule("125", "meet"),
}


def code_value(fields: Mapping) -> str:
    status = fields.get("status") or "held"
    if status != "held":
        return status
    host = fields.get("host_country")
    if not host:
        return "held"
    parties = {fields.get("actor1_country"), fields.get("actor2_country"), *(fields.get("leader_countries") or [])}
    parties.discard(None)
    if not parties:  # nobody's country known: whether the host takes part is unknown too
        return "held"
    if host in parties:
        return "held_hosted"
    return "held_multilateral" if fields.get("format") == "multilateral" else "held_third_party"


def row_actor1(fields: Mapping) -> Optional[str]:
    host, leaders = fields.get("host_country"), fields.get("leader_countries") or []
    return host if host in leaders else (leaders[0] if leaders else host)


def action_place(fields: Mapping, _actor1: Optional[str]) -> tuple[Optional[str], Optional[str]]:
    """The host city, else the host country."""
    return fields.get("host_city"), fields.get("host_country")


# ---- columns (schemas) ---------------------------------------------------------------------------
COLUMNS = (
    column("leaders", pa.list_(pa.string()), doc="Leaders taking part, with titles"),
    column("leader_countries", pa.list_(pa.string()), doc="ISO alpha-3 codes of the leaders' countries; an "
           "organisation's code where it meets as one side (`EUR` for the EU's presidents, an EU-India summit)"),
    column("host_city", pa.string(), doc="City where the meeting takes place"),
    column("host_country", pa.string(), doc="ISO alpha-3 code of the host country"),
    column("format", pa.string(), doc="bilateral, trilateral or multilateral"),
    column("status", pa.string(), doc="held, scheduled, cancelled or in_negotiation"),
    column("organisation", pa.string(), doc="Code of the organisation or grouping whose own summit this is (G7, NATO, "
           "ASEAN, AU, SCO, BRICS, APEC, QUAD, EUR ...; actor knowledge base); null for a meeting of countries, or "
           "one held on its sidelines"),
    column("member_countries", pa.list_(pa.string()), doc="The organisation's members on the event's date (else "
           "the publication date): who its summit is of; `leader_countries` lists only the leaders the text names"),
)

EVENT_TYPE = EventType(
    name="summit",
    description="leaders meeting: bilateral visits, summits, talks between heads of state or government",
    gate_strong=GATE_STRONG, gate_weak=GATE_WEAK,
    reports=reports,
    mention_cue=MEETING, mention_key=mention_key, key_attributes=("place", "status", "date"), look_back=LOOK_BACK,
    figures_join=False, splitting_attributes=("people",), key_fields={"place": "host_country", "city": "host_city"},
    columns=COLUMNS, fields=summit_fields, dyad=dyad, leaders_from_article=True,
    code_value=code_value, code_rules=CODE_RULES, code_aliases={"planned": "scheduled"}, row_actor1=row_actor1,
    action_place=action_place,
    zero_shot_hypothesis="Heads of state or government meet for talks.",
    story_distinct_actor1=False, story_bilateral=lambda row: row.get("format") in (None, "bilateral"),
    role_fields=("leader_countries", "organisation"), scored_attributes=("status", "dyad", "cameo_code"),
)
