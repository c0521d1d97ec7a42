"""Where: countries and cities named in a text, from pycountry, countryinfo and the gazetteer.

Country names and codes come from pycountry, demonyms and capital cities from countryinfo; the
gazetteer resource adds what those libraries lack (short forms such as "US", capitals and
buildings used as metonyms, other cities, leader titles, a fixed currency table).
"""
from __future__ import annotations

import functools
import json
import re
from importlib import resources

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
    import pycountry

    cities = {}
    for c in _countryinfo():
        if pycountry.countries.get(alpha_3=c["alpha3"]) is None:
            continue  # a withdrawn code (Serbia and Montenegro, Netherlands Antilles): its capitals are elsewhere
        capitals = c["capital"] if isinstance(c["capital"], list) else [c["capital"]]  # some have several
        for capital in filter(None, capitals):
            cities[capital.replace(" D.C.", "")] = c["alpha3"]
    cities.update(gazetteer()["cities"])
    return cities


def alternation(names) -> str:
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
def country_matcher() -> tuple[re.Pattern, dict[str, str]]:
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
    pattern = re.compile(r"(?<![\w-])(" + alternation(names)
                         # "South China Sea", "Taiwan Strait": places, not the country.
                         + r")(?:['’]s)?(?![\w-])(?!\s+(?:Sea|Strait|Straits|Gulf|Ocean)\b)")
    return pattern, names


def country_name(alpha3: str) -> str:
    import pycountry
    c = pycountry.countries.get(alpha_3=alpha3)
    return getattr(c, "common_name", None) or c.name if c else alpha3


def country_mentions(text: str) -> list[tuple[str, int, int]]:
    """(ISO alpha-3 code, start, end) of every country mention."""
    pattern, names = country_matcher()
    return [(names[m.group(1)], m.start(), m.end()) for m in pattern.finditer(text)]


def find_countries(text: str) -> list[str]:
    """ISO alpha-3 codes of the countries a text names, in order of first mention."""
    return list(dict.fromkeys(code for code, _, _ in country_mentions(text)))


@functools.lru_cache(maxsize=1)
def _city_matcher() -> tuple[re.Pattern, dict[str, str]]:
    names = {c: c for c in city_countries()}
    names.update(gazetteer()["place_metonyms"])  # "the White House" places a meeting in Washington
    return re.compile(r"(?<!\w)(" + alternation(names) + r")(?!\w)"), names


# "Lady Victoria Starmer", "Mr Kingston": a city's name after an honorific is a person's.
_HONORIFIC_BEFORE = re.compile(r"\b(?:Lady|Lord|Sir|Dame|Mr|Mrs|Ms|Miss|Dr|Queen|King|Prince|Princess)\.?\s+$")


def city_mentions(text: str) -> list[tuple[str, int, int]]:
    """(city, start, end) of every city mention; places such as "the White House" count as their city. A city
    in an organisation's name is not a place: the "Shanghai Cooperation Organisation summit in Astana" is in
    Astana."""
    pattern, names = _city_matcher()
    organisations = organisation_mentions(text)
    return [(names[m.group(1)], m.start(), m.end()) for m in pattern.finditer(text)
            if not _HONORIFIC_BEFORE.search(text[max(0, m.start() - 12):m.start()])
            and not any(s <= m.start() < e for _, s, e in organisations)]


def find_cities(text: str) -> list[str]:
    """Cities named in a text (places such as "the White House" count as their city), in order of mention."""
    return list(dict.fromkeys(city for city, _, _ in city_mentions(text)))


# ---- parties: countries, organisations and governments named by their seat ------------------------------
# Country-code columns that name an event's parties (a summit's leader countries, a tariff's imposing and
# target countries, a spending country, actor1/actor2) may hold an organisation's code from the actor
# knowledge base ("EUR" for the EU as CAMEO writes it, "NATO", "G7", "ASEAN", "AU" ...); `country_codes`,
# the countries a text mentions, holds countries only.

@functools.lru_cache(maxsize=1)
def _organisation_matcher() -> tuple[re.Pattern, dict[str, str]]:
    """Every organisation's name, aliases and adjectives from the actor knowledge base, case as written
    ("EU", "AU", "the Quad": an acronym in lower case is another word)."""
    from newsevents.actors import knowledge_base

    names: dict[str, str] = {}
    # The WTO, the IMF and the World Bank (no member list: near-universal) are where disputes are taken and
    # loans come from, not a party of a summit, a duty or a budget.
    for o in (o for o in knowledge_base().organisations.values() if o.members is not None):
        for n in (o.name, *o.aliases, *o.adjectives):
            names[n[4:] if n.startswith("the ") else n] = o.code
    # "EU-India summit", "India-EU talks": a compound with another party's name still names the organisation;
    # "EU-wide", "G7-led", "non-EU" are words of their own.
    return re.compile(r"(?<!\w)(?<!non-)(?<!anti-)(?<!pro-)(?<!pre-)(?<!post-)("
                      + alternation(names) + r")(?:['’]s)?(?!\w|-[a-z])"), names


def organisation_mentions(text: str) -> list[tuple[str, int, int]]:
    """(organisation code, start, end) of every organisation named: "the European Union", "NATO", "G-20"."""
    pattern, names = _organisation_matcher()
    return [(names[m.group(1)], m.start(), m.end()) for m in pattern.finditer(text)]


# Capitals that are also ordinary words or given names ("Male", "Victoria") are left to the country names.
_NOT_METONYMS = frozenset({"Male", "Victoria", "Kingston"})


@functools.lru_cache(maxsize=1)
def _metonym_matcher() -> tuple[re.Pattern, dict[str, str]]:
    """Capitals and seats of government (knowledge base) -> the country or organisation they stand for;
    "Brussels" is the EU's. A capital that is also the country's name ("Singapore") is the country's name."""
    from newsevents.actors import knowledge_base

    kb = knowledge_base()
    countries = {n for c in kb.countries.values() for n in (c.name, *c.names, *c.demonyms)}
    names: dict[str, str] = {}
    for c in kb.countries.values():
        for n in (c.capital, *c.metonyms):
            if n and n not in countries and n not in _NOT_METONYMS:
                names[n[4:] if n.startswith("the ") else n] = c.code
    for o in kb.organisations.values():
        for n in o.metonyms:
            names[n] = o.code
    return re.compile(r"(?<![\w-])(" + alternation(names) + r")(?:['’]s)?(?![\w-])"), names


# A seat of government is a place after "in", "at", "near", or "to" after a word of travel ("talks in Beijing",
# "flew to Washington"): there it places an event, it does not act in it.
_PLACE_BEFORE = re.compile(r"(?:\b(?:in|at|near|outside|inside|around|across|into|via|visit\w*)\s+|"
                           r"\b(?:fl[eyi]\w*|travel\w*|trip|visit\w*|journey\w*|return\w*|head\w*|went|go|goes|"
                           r"going|gone|come|comes|came|coming|arriv\w*|moved?|way|back)\s+(?:\w+\s+)?to\s+)"
                           r"(?:the\s+)?$", re.IGNORECASE)
_VERB = (r"(?:will|would|could|can|may|might|must|shall|should|has|have|had|is|was|are|were|does|did|do|"
         r"\w+ed|said|says|told|tells|hit|hits|cut|cuts|set|put|struck|took|sent|made|gave|sought|held|kept|met|"
         r"paid|led|went|spoke|chose|began|saw|"
         r"(?:plan|want|aim|hope|insist|argue|warn|threaten|impose|intend|expect|seek|call|accuse|denie|reject|"
         r"agree|consider|respond|announce|vow|pledge|demand|urge|ask|need|refuse|retaliate|slap|levie|raise|"
         r"lower|open|launch|see|fear|welcome|condemn|criticise|criticize|blame|signal|confirm|counter|answer|"
         r"replie|move|push|press|offer|propose|maintain|claim|accept|approve|decide|keep|hold|spend|pay|"
         r"add|scrap|lift|suspend|double|boost|insist)s)")
# "Beijing answered", "Brussels will impose", "Paris also plans", "the Kremlin, in a statement, said",
# "Washington and Beijing agreed": the seat of government is the subject of a verb.
_ACTS_AFTER = re.compile(r"^(?:\s*,[^,]{1,60},)?\s+(?:and\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?\s+)?"
                         r"(?:(?:also|now|then|quickly|swiftly|later|again|already|still|soon|in\s+turn|itself|"
                         r"on\s+\w+day|this\s+week|last\s+week|too)\s+){0,2}" + _VERB + r"\b")
# "talks with Washington", "tensions between Tokyo and Seoul", "a dispute with the Kremlin": the other side.
_PARTY_BEFORE = re.compile(r"\b(?:with|against|between|and|versus|vs\.?|by)\s+(?:the\s+)?$", re.IGNORECASE)
_DUTY_AFTER = re.compile(r"^\s+(?:\w+\s+)?(?:tariffs?|duty|duties|levy|levies|countermeasures|sanctions)\b",
                         re.IGNORECASE)


_CURRENCY_AFTER = re.compile(r"\s+(?:dollars?|francs?|pounds?|rupees?|pesos?|yen|won|yuan|rand|ringgit|rupiah|"
                             r"cents?|kronor|kroner|krona)\b", re.IGNORECASE)


def acts(text: str, start: int, end: int) -> bool:
    """Whether a seat of government at ``text[start:end]`` stands for its government: the subject of a verb
    ("Beijing retaliated", "Brussels will impose"), a possessive or an attribute of a measure ("Ottawa's
    counter-tariffs", "Washington tariffs"), the other side ("talks with Washington"); not a place ("talks in
    Beijing", "flew to Washington")."""
    if _PLACE_BEFORE.search(text[max(0, start - 40):start]):
        return False
    if text[start:end].endswith(("'s", "’s")):
        return True
    after = text[end:end + 80]
    return bool(_ACTS_AFTER.match(after) or _DUTY_AFTER.match(after)
                or _PARTY_BEFORE.search(text[max(0, start - 20):start]))


@functools.lru_cache(maxsize=1)
def _made_in_matcher() -> re.Pattern:
    _, names = country_matcher()
    return re.compile(r"(?<![\w-])(" + alternation(names) + r")-(?:made|built|produced|manufactured|assembled|"
                      r"origin|sourced|grown)\b")


def party_mentions(text: str) -> list[tuple[str, int, int]]:
    """(code, start, end) of every party a text names, in order: countries by name or demonym, organisations
    ("the European Union", "NATO"), and capitals and seats of government where they stand for the government
    (``acts``: "Beijing retaliated", "Brussels will impose" -> EUR, "the Kremlin said"); a capital named as a
    place ("talks in Beijing") is no party. Codes are ISO alpha-3 or an organisation's code."""
    _, seats = _metonym_matcher()
    organisations = organisation_mentions(text)
    out = [(code, s, e) for code, s, e in country_mentions(text)
           if not any(os <= s < oe for _, os, oe in organisations)  # "Shanghai" in the SCO's name
           and not _CURRENCY_AFTER.match(text[e:e + 12])  # "30 billion Canadian dollars" is money, not Canada
           and (re.sub(r"['’]s$", "", text[s:e]) not in seats or acts(text, s, e))]
    # "Chinese-made electric bicycles": whose goods they are (the country pattern stops at a hyphen).
    _, names = country_matcher()
    out += [(names[m.group(1)], m.start(), m.end()) for m in _made_in_matcher().finditer(text)]
    taken = [(s, e) for _, s, e in out] + [(s, e) for _, s, e in organisations]
    pattern, _ = _metonym_matcher()
    for m in pattern.finditer(text):
        if not any(s < m.end() and m.start() < e for s, e in taken) and acts(text, m.start(), m.end()):
            out.append((seats[m.group(1)], m.start(), m.end()))
    out += organisations
    return sorted(out, key=lambda m: m[1])


def find_parties(text: str) -> list[str]:
    """Codes of the parties a text names (``party_mentions``), in order of first mention."""
    return list(dict.fromkeys(code for code, _, _ in party_mentions(text)))


def party_name(code: str) -> str:
    """A country's or an organisation's name."""
    from newsevents.actors import knowledge_base

    organisation = knowledge_base().organisations.get(code)
    return organisation.name if organisation else country_name(code)
