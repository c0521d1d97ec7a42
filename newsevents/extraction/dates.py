"""When: calendar dates, weekdays and today/yesterday/tomorrow, resolved against the publication date."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from typing import Optional

_MONTHS = {m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                        "september", "october", "november", "december"], start=1)}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items()) if m != "may"} | {"sept": 9})  # "Aug. 20"
_MONTH_RE = "|".join(sorted((m.capitalize() + (r"\.?" if len(m) <= 4 and m not in ("may", "june", "july") else "")
                             for m in _MONTHS), key=len, reverse=True))
_DATE_RE = re.compile(rf"\b(?:(?P<d1>\d{{1,2}})\s+(?P<m1>{_MONTH_RE})|(?P<m2>{_MONTH_RE})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?)"
                      rf"(?:,?\s+(?P<y>\d{{4}}))?\b")
# A date line opening the text: "Sunday, August 31, 2025", "SEOUL, Aug. 20 (Yonhap) --".
_DATELINE_CHARS = 120


_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WEEKDAY_RE = re.compile(r"\b(?:on|last|this|next)\s+(" + "|".join(d.capitalize() for d in _WEEKDAYS) + r")\b")
_RELATIVE_DAY_RE = re.compile(r"\b(today|yesterday|tomorrow)\b", re.IGNORECASE)
# The verb a weekday belongs to decides its tense: the marker nearest before it wins, the future on
# a tie ("to be held"), the past when there is none (news reports what happened).
_FUTURE_RE = re.compile(r"\b(will|shall|would|is to|are to|plans? to|intends? to|(?:is|are) going to|is due to|"
                        r"are due to|scheduled|expected to|set to|"
                        r"travels|heads|leaves|flies|arrives|visits|meets|hosts|opens|begins|starts|"
                        r"(?:to|will|shall) be \w+)\b", re.IGNORECASE)
_PAST_RE = re.compile(r"\b(\w+ed|said|met|held|told|took|made|spoke|began|won|lost|left|came|went|sent|saw|"
                      r"gave|rose|fell|set out|was|were|broke|struck|flew|drew|chose|wrote|stood|became|brought|"
                      r"bought|sought|fought|spent|kept|led|paid|had)\b", re.IGNORECASE)
_GOVERNING_CHARS = 80


def _weekday_date(sentence: str, m: re.Match, published: date) -> date:
    """News style: "on Thursday" is the last Thursday up to publication (the same day when it is that
    day), or the next one when its verb is in the future tense ("will meet", "travels to")."""
    target = _WEEKDAYS.index(m.group(1).lower())
    delta = (target - published.weekday()) % 7
    if m.group(0).lower().startswith("next"):
        return published + timedelta(days=delta or 7)
    before = sentence[max(0, m.start() - _GOVERNING_CHARS):m.start()]
    future = max((x.end() for x in _FUTURE_RE.finditer(before)), default=-1)
    past = max((x.end() for x in _PAST_RE.finditer(before)), default=-1)
    if future >= 0 and future >= past:
        return published + timedelta(days=delta)
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
        month = _MONTHS[(m.group("m1") or m.group("m2")).lower().rstrip(".")]
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


def dateline_date(text: str, published: Optional[datetime] = None) -> Optional[datetime]:
    """The date a date line at the top of the text gives ("Sunday, August 31, 2025"; "SEOUL, Aug. 20
    (Yonhap) --" with the year of ``published``), as midnight UTC: the reference for the article's
    relative dates when it has no publication date of its own precision."""
    head = text.lstrip()[:_DATELINE_CHARS]
    m = _DATE_RE.search(head)
    if not m or (not m.group("y") and published is None):
        return None
    if not m.group("y") and not re.match(r"^[A-Z][A-Z .'-]+,\s*$", head[:m.start()]):
        return None  # a date without year counts only right after a city in capitals
    resolved, _ = _calendar_date(m.group(0), published or datetime(1, 1, 1, tzinfo=timezone.utc))
    return datetime(resolved.year, resolved.month, resolved.day, tzinfo=timezone.utc) if resolved else None
