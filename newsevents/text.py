"""Article text cleaning and sentence splitting.

Web pages reach the pipeline with navigation, share widgets, date lines and teasers of
other stories attached. All of it is removed here, before any model sees the text, so
that no summary or evidence sentence can come from boilerplate.
"""
from __future__ import annotations

import re
import unicodedata

# A line that starts the trailing block of a web page: everything from it on is not the story.
_TRAILER_LINE = re.compile(
    r"^\s*(related( (posts|articles|stories|news))?|more like this|more from [\w ]+|you may also like|"
    r"read (more|next|also)|also read|popular( (posts|now|stories))?|most (read|popular)|trending( now)?|"
    r"recommended( for you)?|share( this)?( post| article| story)?|tags?|comments?|leave a (reply|comment)|"
    r"advertisement|sign up for [\w ]+|subscribe( to [\w ]+)?)\s*:?\s*$",
    re.IGNORECASE,
)
_WEEKDAYS = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MONTHS = r"(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?"
# Lines that are metadata, not prose: date lines, bylines, "Updated ..." stamps, photo credits.
_META_LINE = re.compile(
    rf"^\s*(({_WEEKDAYS},?\s+)?{_MONTHS}\s+\d{{1,2}},?\s+\d{{4}}|(date|published|updated|posted|last updated)\s*:?.*|"
    rf"by\s+[A-Z][\w.'-]+(\s+[A-Z][\w.'-]+){{0,3}}(\s*[,|]\s*.*)?|(photo|image|credit|source)\s*:.*|\d{{4}}-\d{{2}}-\d{{2}}.*)\s*$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s*$")
_TEASER_END = re.compile(r"(\.\.\.|…)\s*$")

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "sen", "rep", "gov", "lt", "col", "capt", "sgt", "st", "jr", "sr",
    "no", "vs", "etc", "inc", "ltd", "co", "corp", "dept", "est", "fig", "approx", "u.s", "u.k", "u.n", "e.u",
    "a.m", "p.m", "e.g", "i.e", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
}
_SPLIT_POINT = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")


def clean_article_text(text: str) -> str:
    """Returns the story body: paragraphs of prose, without web boilerplate, one per line."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    kept: list[str] = []
    for raw_line in text.split("\n"):
        line = " ".join(raw_line.split())
        if not line:
            continue
        if _TRAILER_LINE.match(line):
            break
        if _META_LINE.match(line) or _TEASER_END.search(line):
            continue
        # A line without sentence punctuation is a headline, a section title or a widget label.
        if not _SENTENCE_END.search(line):
            continue
        kept.append(line)
    return "\n".join(kept)


def split_sentences(text: str) -> list[str]:
    """Splits prose into sentences, keeping abbreviations such as "U.S." or "Dr." intact."""
    sentences: list[str] = []
    for paragraph in text.split("\n"):
        pieces = _SPLIT_POINT.split(paragraph.strip())
        current = ""
        for piece in pieces:
            if not piece:
                continue
            current = f"{current} {piece}" if current else piece
            last_word = current.rstrip(".!?\"'”’)]").rsplit(" ", 1)[-1].lower()
            if last_word in _ABBREVIATIONS or re.fullmatch(r"[a-z]", last_word):
                continue
            sentences.append(current.strip())
            current = ""
        if current:
            sentences.append(current.strip())
    return [s for s in sentences if len(s.split()) >= 3]
