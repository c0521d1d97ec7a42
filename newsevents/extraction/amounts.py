"""How much: money figures with their currency and USD value, and percentages."""
from __future__ import annotations

import functools
import math
import re
from decimal import Decimal
from typing import Optional

from newsevents.extraction.geography import alternation, gazetteer

# Percentages in digits, and in the words some outlets use ("two percent of GDP").
_PERCENT_WORDS = {w: float(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
_PERCENT_WORDS.update({"twenty-five": 25.0, "thirty": 30.0, "forty": 40.0, "fifty": 50.0, "a hundred": 100.0,
                       "one hundred": 100.0})
# A word is read only whole: "thirty-five" and "two point five" are not 5.
_PERCENT_NUMBER = (r"(?:\d+(?:\.\d+)?|(?<![\w-])(?<!point )(?:" + "|".join(sorted(_PERCENT_WORDS, key=len, reverse=True))
                   + r"))")
_PERCENT_RE = re.compile(rf"({_PERCENT_NUMBER})\s*(?:percent|per cent|%)", re.IGNORECASE)
_FROM_TO = re.compile(rf"\bfrom\s+(?:\w+\s+){{0,2}}{_PERCENT_NUMBER}\s*(?:percent|per cent|%).{{0,60}}?\bto\s+"
                      rf"(?:(?:about|around|roughly|nearly|some|at least)\s+)?({_PERCENT_NUMBER})\s*(?:percent|per cent|%)",
                      re.IGNORECASE)
# "from 2.1 percent to 3.5 percent", "raise it to 3 percent": the figure after "to".
_PERCENT_AFTER_TO = re.compile(rf"\bto\s+(?:(?:about|around|roughly|nearly|some|at least)\s+)?({_PERCENT_NUMBER})\s*"
                               r"(?:percent|per cent|%)", re.IGNORECASE)
_SCALE = {"thousand": 10 ** 3, "million": 10 ** 6, "billion": 10 ** 9, "trillion": 10 ** 12}


@functools.lru_cache(maxsize=1)
def _money_re() -> tuple[re.Pattern, dict[str, str]]:
    cur = gazetteer()["currencies"]
    by_word = {n.lower(): code for code, c in cur.items() for n in c["names"]}
    by_symbol = {s: code for code, c in cur.items() for s in c["symbols"]}
    words, symbols = alternation(by_word), alternation(by_symbol)
    pattern = re.compile(rf"(?P<sym>{symbols})?\s?(?P<num>\d+(?:[.,]\d+)*)\s*(?P<scale>thousand|million|billion|trillion)?"
                         rf"(?:\s+(?P<word>{words}))?(?!\w)", re.IGNORECASE)
    return pattern, {**{k: v for k, v in by_word.items()}, **by_symbol}


def find_amounts(text: str) -> list[dict]:
    """Money figures with a currency (symbol or name), scaled, with a USD value from the fixed table."""
    return [amount for _, amount in amount_spans(text)]


def amount_spans(text: str) -> list[tuple[int, dict]]:
    """``find_amounts`` with where each figure starts in ``text``."""
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
            # In decimal, so that "8.7 trillion" is 8.7e12, not 8699999999999.999.
            value = finite(Decimal(m.group("num").replace(",", "")) * _SCALE.get((m.group("scale") or "").lower(), 1))
        except (ValueError, ArithmeticError):
            continue
        if value is None:
            continue
        found.append((m.start(), {"text": m.group(0).strip(), "value": value, "currency": code,
                                  "usd": round(value * rates[code]["usd"], 2) if code else None}))
    return found


def finite(number) -> Optional[float]:
    """A figure as a float, or None where a float cannot hold it: a number of hundreds of digits
    would be stored as inf (the evidence keeps it as written)."""
    value = float(number)
    return value if math.isfinite(value) else None


def _percent(x: str) -> Optional[float]:
    return _PERCENT_WORDS[x.lower()] if x.lower() in _PERCENT_WORDS else finite(x)


def find_percents(text: str) -> list[float]:
    return [p for p in map(_percent, _PERCENT_RE.findall(text)) if p is not None]


def _first_figure(m: Optional[re.Match], otherwise: float) -> float:
    value = _percent(m.group(1)) if m else None
    return otherwise if value is None else value


def percent_near(text: str, anchor: str, prefer: Optional[str] = None) -> Optional[float]:
    """A percentage stated in the same clause as ``anchor`` (e.g. the share of GDP): the first clause's,
    or the first of a clause that also matches ``prefer`` (the goal, not today's share)."""
    found = []
    for sentence in re.split(r"(?<=[.;])\s+", text):
        if re.search(anchor, sentence, re.IGNORECASE):
            values = find_percents(sentence)
            moves = _FROM_TO.search(sentence)  # "from 2.1 percent of GDP to 3.5 percent": where it goes
            if values:
                found.append((sentence, _first_figure(moves, values[0])))
    for sentence, first in found:
        if prefer and re.search(prefer, sentence, re.IGNORECASE):
            return _first_figure(_PERCENT_AFTER_TO.search(sentence), first)
    return found[0][1] if found else None
