"""Turns raw input bytes into an Article, or says precisely why it cannot."""
from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from datetime import datetime, timezone

from newsevents.records import Article, SourceRecord
from newsevents.schemas import INPUT_FIELDS
from newsevents.input.html import extract_page
from newsevents.input.language import detect_language
from newsevents.input.text import article_sentences


@dataclass(frozen=True)
class InputLimits:
    max_message_bytes: int = 4 * 1024 * 1024
    max_text_chars: int = 200_000
    min_text_chars: int = 20


class Rejected(Exception):
    def __init__(self, reason: str, detail: str, article_id: str | None = None):
        super().__init__(f"{reason}: {detail}")
        self.reason, self.detail, self.article_id = reason, detail, article_id


# Characters no output may hold, replaced by U+FFFD: lone UTF-16 surrogates (JSON may escape
# them, "\\ud800", but UTF-8 cannot encode them, so the tokenizer and the Parquet writer would fail
# on them), and NUL, where C strings end: a C reader of the files, a terminal or a database would
# cut an id or a title there.
_UNREPRESENTABLE = ((re.compile("[\ud800-\udfff]"), "lone surrogate(s)"), (re.compile("\x00"), "NUL character(s)"))
# The fields whose content an article row and its events are made of: two copies of an id that
# differ in any of them are two versions of the article.
VERSIONED_FIELDS = ("text", "title", "url", "source", "published_at")


def repair_strings(obj: dict, warnings: list[str]) -> None:
    """Replaces lone surrogates and NUL in the input's string fields by U+FFFD, noting each repair."""
    for name in INPUT_FIELDS:
        for pattern, what in _UNREPRESENTABLE:
            value = obj.get(name)
            if isinstance(value, str) and pattern.search(value):
                obj[name], count = pattern.subn("\ufffd", value)
                warnings.append(f"{name}: {count} {what} replaced by U+FFFD")


class JsonNumber(str):
    """A JSON number that Python's int or float would not hold as written: more digits than int()
    converts (4,300), beyond a float's range (1e400 would become inf, and every such id one
    article), or NaN/Infinity. Kept as its text, so an id stays distinct and a raw value exact."""


def _int_or_text(text: str):
    try:
        return int(text)
    except ValueError:  # "Exceeds the limit (4300 digits) for integer string conversion"
        return JsonNumber(text)


def _float_or_text(text: str):
    value = float(text)
    return value if math.isfinite(value) else JsonNumber(text)


def load_json(text: str):
    """json.loads, but a number Python cannot hold as written is its text (JsonNumber)."""
    return json.loads(text, parse_int=_int_or_text, parse_float=_float_or_text, parse_constant=JsonNumber)


def article_version(article_id: str, obj: dict) -> str:
    """Deterministic id of one version of an article: its id plus the content it was built from."""
    content = json.dumps([article_id, *(obj.get(k) for k in VERSIONED_FIELDS)], ensure_ascii=False)
    return hashlib.sha1(content.encode()).hexdigest()[:24]


def derive_article_id(obj: dict) -> str:
    """The input ``id`` when given, else a stable hash of the url, else of title and text."""
    if obj.get("id") not in (None, ""):
        return str(obj["id"])
    if obj.get("url"):
        return "url-" + hashlib.sha1(obj["url"].strip().encode()).hexdigest()[:20]
    basis = (obj.get("title") or "") + "\n" + obj["text"]
    return "txt-" + hashlib.sha1(basis.encode()).hexdigest()[:20]


def _stated_id(obj: dict) -> str | None:
    """The message's own id, for the dead letter of a message that is no article (no id is derived
    from a text it does not have)."""
    value = obj.get("id")
    if not isinstance(value, (str, int, float)) or isinstance(value, bool) or value == "":
        return None
    stated = str(value)
    for pattern, _ in _UNREPRESENTABLE:
        stated = pattern.sub("\ufffd", stated)
    return stated


_YEAR_MONTH = re.compile(r"^(\d{4})(?:-(\d{1,2}))?$")
_EPOCH = re.compile(r"^\d{9,13}(\.\d+)?$")
# Publication times outside these bounds are typos or wrong units, not news.
_EARLIEST, _LATEST = datetime(1900, 1, 1, tzinfo=timezone.utc), datetime(2200, 1, 1, tzinfo=timezone.utc)


def _utc(dt: datetime) -> datetime:
    return (dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt).astimezone(timezone.utc)


def parse_timestamp(value) -> datetime:
    """A time given by a user or an input, as an aware UTC datetime (see parse_published_at)."""
    return parse_published_at(value)[0]


def parse_published_at(value, notes: list[str] | None = None) -> tuple[datetime, str]:
    """A publication time as feeds and crawlers send it, to (aware UTC datetime, precision).

    ISO-8601 at any precision ("2025", "2025-06", "2025-06-10", with or without a time and a
    zone), RFC 2822 ("Tue, 10 Jun 2025 14:00:00 GMT"), epoch seconds or milliseconds (a number or
    a string of digits). A year or month alone stands for its first day, with its precision
    ("year", "month") saying so; a time without a zone is taken as UTC. Raises ValueError. What
    was guessed (the unit of an epoch number that could be either) is added to ``notes``.
    """
    notes = [] if notes is None else notes
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_epoch(value, notes)
    text = value.strip()
    if _EPOCH.match(text):
        return _from_epoch(text, notes)
    m = _YEAR_MONTH.match(text)
    if m:
        year, month = int(m.group(1)), int(m.group(2) or 1)
        return _bounded(datetime(year, month, 1, tzinfo=timezone.utc)), "month" if m.group(2) else "year"
    iso = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    try:
        dt = datetime.fromisoformat(iso)
    except ValueError:
        pass
    else:  # a date, if perhaps not one of news ("9999-12-31" is outside the bounds, not "not a date")
        return _bounded(_utc(dt)), "day" if len(text) <= 10 else "time"
    from email.utils import parsedate_to_datetime
    try:
        parsed = _utc(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError, OverflowError):
        raise ValueError(f"not a date or time: {text[:64]!r}") from None
    return _bounded(parsed), "time"


# Epoch milliseconds of today have 13 digits (from 2001-09-09 on); 12 digits are milliseconds of
# 1973-2001 or seconds of the years 5138-33658, which no article has: read as milliseconds, noted.
_MS_FROM, _MS_SURE = 1e11, 1e12


def _from_epoch(number: int | float | str, notes: list[str]) -> tuple[datetime, str]:
    try:
        seconds = float(number)
    except OverflowError:  # an int of 309 or more digits
        raise ValueError(f"a number of {len(str(number))} digits is no time since 1970") from None
    if seconds > _MS_FROM:
        if seconds < _MS_SURE:
            notes.append(f"{number} read as milliseconds since 1970 (as seconds it would be after the "
                         f"year {_LATEST.year})")
        seconds /= 1000
    # Checked before the conversion, which raises OverflowError or OSError (not ValueError) far out.
    if not math.isfinite(seconds) or not _EARLIEST.timestamp() <= seconds < _LATEST.timestamp():
        raise ValueError(f"{seconds!r} seconds since 1970 is outside {_EARLIEST.year}-{_LATEST.year}")
    return datetime.fromtimestamp(seconds, tz=timezone.utc), "time"


def _bounded(dt: datetime) -> datetime:
    if not _EARLIEST <= dt < _LATEST:
        raise ValueError(f"{dt.isoformat()} is outside {_EARLIEST.year}-{_LATEST.year}")
    return dt


def _optional_fields(obj: dict, warnings: list[str], skip: tuple[str, ...]) -> None:
    """Optional fields of the wrong type never cost the article: a number becomes its text,
    anything else is dropped; each repair is noted."""
    for name, types in INPUT_FIELDS.items():
        value = obj.get(name)
        if name in skip or value is None:
            continue
        if isinstance(value, JsonNumber):
            obj[name] = str(value)
            shown = value if len(value) <= 24 else f"a number of {len(value)} characters"
            warnings.append(f"{name}: the number {shown} is kept as written (an int or a float cannot hold it)")
            continue
        if isinstance(value, types) and not isinstance(value, bool):
            continue
        if isinstance(value, (int, float)) and not isinstance(value, bool) and str in types:
            obj[name] = str(value)
            warnings.append(f"{name}: a number, used as text")
        else:
            obj[name] = None
            expected = " or ".join(t.__name__ for t in types)
            warnings.append(f"{name}: expected {expected}, got {type(value).__name__}; ignored")


def parse_article(record: SourceRecord, limits: InputLimits) -> Article:
    raw = record.value
    if raw is None:
        raise Rejected("empty_message", "the message has no value (null payload or tombstone)")
    if len(raw) > limits.max_message_bytes:
        raise Rejected("message_too_large", f"{len(raw)} bytes exceeds the limit of {limits.max_message_bytes}")
    try:
        # A byte-order mark, as some Windows tools write before UTF-8 text, is no part of the JSON.
        decoded = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise Rejected("invalid_utf8", f"not UTF-8: {exc.reason} at byte {exc.start}") from None
    if not decoded.strip():
        raise Rejected("empty_message", "the message is empty or whitespace")
    try:
        obj = load_json(decoded)
    except json.JSONDecodeError as exc:
        raise Rejected("invalid_json", f"{exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise Rejected("invalid_json", "nesting too deep") from None
    if not isinstance(obj, dict):
        raise Rejected("not_an_object", f"expected a JSON object, got {type(obj).__name__}")
    # The body is ``text``, or ``html`` (a crawler's raw page) when there is no text, or a text
    # too short to be an article ("" from a crawler that fills both fields).
    text, html = obj.get("text"), obj.get("html")
    short_text = isinstance(text, str) and len(text.strip()) < limits.min_text_chars
    if isinstance(html, str) and short_text:
        body = "html"
    else:
        body = "text" if text is not None or html is None else "html"
    if obj.get(body) is None:
        raise Rejected("missing_text", "required field 'text' (or 'html', a raw web page) is missing or null",
                       _stated_id(obj))
    if not isinstance(obj[body], str) or isinstance(obj[body], JsonNumber):
        got = "a number" if isinstance(obj[body], JsonNumber) else type(obj[body]).__name__
        raise Rejected("wrong_type", f"field '{body}' must be str, got {got}", _stated_id(obj))
    warnings: list[str] = []
    if body == "html" and text is not None:
        warnings.append(f"text: {len(text.strip())} characters, fewer than {limits.min_text_chars}; the html is used")
        obj["text"] = None  # replaced by the page's text below
    _optional_fields(obj, warnings, skip=(body,))
    repair_strings(obj, warnings)
    if body == "html":
        try:
            page = extract_page(obj["html"])
        except ValueError as exc:
            raise Rejected("no_text_in_html", str(exc), derive_article_id({**obj, "text": obj["html"]})) from None
        obj["text"] = page.text
        obj["title"] = obj.get("title") or page.title
        obj["published_at"] = obj.get("published_at") or page.date
    text = obj["text"]
    article_id = derive_article_id(obj)
    if len(text.strip()) < limits.min_text_chars:
        raise Rejected("text_too_short", f"text has {len(text.strip())} characters, fewer than "
                       f"{limits.min_text_chars}", article_id)
    if len(text) > limits.max_text_chars:
        raise Rejected("text_too_long", f"text has {len(text)} characters, more than {limits.max_text_chars}",
                       article_id)
    published_at, precision, raw_published_at = None, None, obj.get("published_at")
    if raw_published_at not in (None, ""):
        notes: list[str] = []
        try:
            published_at, precision = parse_published_at(raw_published_at, notes)
        except ValueError as exc:
            warnings.append(f"published_at: {exc}; the record time is used")
        warnings += [f"published_at: {note}" for note in notes]
    if published_at is None and record.timestamp_ms is not None and record.timestamp_ms >= 0:
        published_at, precision = datetime.fromtimestamp(record.timestamp_ms / 1000, tz=timezone.utc), "record"
    sentences, cleaning = article_sentences(text)
    if not sentences:
        raise Rejected("no_sentences", "no sentence of three or more words in the text, even with the gentle "
                       "cleaning", article_id)
    language = detect_language(sentences)
    return Article(article_id=article_id, text=text, title=obj.get("title"), url=obj.get("url"),
                   source=obj.get("source"), published_at=published_at, record=record, sentences=sentences,
                   version_id=article_version(article_id, obj), warnings=warnings,
                   published_at_raw=None if raw_published_at is None else str(raw_published_at)[:200],
                   published_at_precision=precision, cleaning=cleaning, language=language, input_format=body)
