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
    """(city, start, end) of every city mention; places such as "the White House" count as their city."""
    pattern, names = _city_matcher()
    return [(names[m.group(1)], m.start(), m.end()) for m in pattern.finditer(text)
            if not _HONORIFIC_BEFORE.search(text[max(0, m.start() - 12):m.start()])]


def find_cities(text: str) -> list[str]:
    """Cities named in a text (places such as "the White House" count as their city), in order of mention."""
    return list(dict.fromkeys(city for city, _, _ in city_mentions(text)))
