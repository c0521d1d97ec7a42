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
from newsevents.html import extract_page
from newsevents.language import detect_language
from newsevents.text import article_sentences


@dataclass(frozen=True)
class InputLimits:
    max_message_bytes: int = 4 * 1024 * 1024
    max_text_chars: int = 200_000
    min_text_chars: int = 20


class Rejected(Exception):
    def __init__(self, reason: str, detail: str, article_id: str | None = None):
        super().__init__(f"{reason}: {detail}")
        self.reason, self.detail, self.article_id = reason, detail, article_id


# Lone UTF-16 surrogates: JSON may escape them ("\\ud800"), but UTF-8 cannot encode them, so the
# tokenizer and the Parquet writer would fail on them.
_SURROGATE = re.compile("[\ud800-\udfff]")
# The fields whose content an article row and its events are made of: two copies of an id that
# differ in any of them are two versions of the article.
VERSIONED_FIELDS = ("text", "title", "url", "source", "published_at")


def repair_strings(obj: dict, warnings: list[str]) -> None:
    """Replaces lone surrogates in the input's string fields by U+FFFD, noting each field repaired."""
    for name in INPUT_FIELDS:
        value = obj.get(name)
        if isinstance(value, str) and _SURROGATE.search(value):
            count = len(_SURROGATE.findall(value))
            obj[name] = _SURROGATE.sub("\ufffd", value)
            warnings.append(f"{name}: {count} lone surrogate(s) replaced by U+FFFD")


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


_YEAR_MONTH = re.compile(r"^(\d{4})(?:-(\d{1,2}))?$")
_EPOCH = re.compile(r"^\d{9,13}(\.\d+)?$")
# Publication times outside these bounds are typos or wrong units, not news.
_EARLIEST, _LATEST = datetime(1900, 1, 1, tzinfo=timezone.utc), datetime(2200, 1, 1, tzinfo=timezone.utc)


def _utc(dt: datetime) -> datetime:
    return (dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt).astimezone(timezone.utc)


def parse_timestamp(value) -> datetime:
    """A time given by a user or an input, as an aware UTC datetime (see parse_published_at)."""
    return parse_published_at(value)[0]


def parse_published_at(value) -> tuple[datetime, str]:
    """A publication time as feeds and crawlers send it, to (aware UTC datetime, precision).

    ISO-8601 at any precision ("2025", "2025-06", "2025-06-10", with or without a time and a
    zone), RFC 2822 ("Tue, 10 Jun 2025 14:00:00 GMT"), epoch seconds or milliseconds (a number or
    a string of digits). A year or month alone stands for its first day, with its precision
    ("year", "month") saying so; a time without a zone is taken as UTC. Raises ValueError.
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_epoch(float(value))
    text = value.strip()
    if _EPOCH.match(text):
        return _from_epoch(float(text))
    m = _YEAR_MONTH.match(text)
    if m:
        year, month = int(m.group(1)), int(m.group(2) or 1)
        return _bounded(datetime(year, month, 1, tzinfo=timezone.utc)), "month" if m.group(2) else "year"
    iso = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    try:
        dt = datetime.fromisoformat(iso)
        return _bounded(_utc(dt)), "day" if len(text) <= 10 else "time"
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime
    try:
        return _bounded(_utc(parsedate_to_datetime(text))), "time"
    except (TypeError, ValueError, IndexError):
        raise ValueError(f"not a date or time: {text[:64]!r}") from None


def _from_epoch(seconds: float) -> tuple[datetime, str]:
    if seconds > 1e11:  # milliseconds: 1e11 seconds is the year 5138
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
        if name in skip or value is None or (isinstance(value, types) and not isinstance(value, bool)):
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
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Rejected("invalid_utf8", f"not UTF-8: {exc.reason} at byte {exc.start}") from None
    if not decoded.strip():
        raise Rejected("empty_message", "the message is empty or whitespace")
    try:
        obj = json.loads(decoded)
    except json.JSONDecodeError as exc:
        raise Rejected("invalid_json", f"{exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise Rejected("invalid_json", "nesting too deep") from None
    if not isinstance(obj, dict):
        raise Rejected("not_an_object", f"expected a JSON object, got {type(obj).__name__}")
    # The body is ``text``, or ``html`` (a crawler's raw page) when there is no text.
    body = "text" if obj.get("text") is not None or obj.get("html") is None else "html"
    if obj.get(body) is None:
        raise Rejected("missing_text", "required field 'text' (or 'html', a raw web page) is missing or null")
    if not isinstance(obj[body], str):
        raise Rejected("wrong_type", f"field '{body}' must be str, got {type(obj[body]).__name__}")
    warnings: list[str] = []
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
        try:
            published_at, precision = parse_published_at(raw_published_at)
        except ValueError as exc:
            warnings.append(f"published_at: {exc}; the record time is used")
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
