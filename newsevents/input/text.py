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
_CJK_SPLIT = re.compile(r"(?<=[。！？])")


# Page chrome that crawlers keep: accessibility links, paywall and cookie prompts, social and
# newsletter widgets, "Read more" links. Such a line is dropped wherever it stands.
_CHROME_LINE = re.compile(
    r"^\s*(skip to (main )?content|jump to navigation|menu|search|home|sections?|log ?in|sign ?in|register|"
    r"subscribe( now| today)?!?|already a subscriber\??.*|become a (member|subscriber).*|"
    r"(continue|keep) reading.*|read (more|the full (story|article))\s*[»›>→]*|"
    r"(this article is|you have reached|you've reached) .*(subscribers?|limit|free articles?).*|"
    r"(we use )?cookies?.*(accept|consent|policy).*|accept( all)?( cookies)?|"
    r"(?=(\S+\s+){0,19}\S+\s*$).*\bcookie (settings|preferences)\b.*|"  # a short notice, not a paragraph on cookies
    r"the post .{1,200} appeared first on .*|"
    r"(follow|like) us on .*|share (on|via) \w+|(click|tap) here.*|advertisement|sponsored( content)?|"
    r"listen to (this|the) (article|story).*|\d+ min(ute)? read|print|email|copy link|"
    r"(photo|image|video)( credit)?s?:.*|getty images|reuters|ap photo.*)\s*$",
    re.IGNORECASE,
)
# "Copyright 2025 Reuters. All rights reserved.": a line of its own or the end of the last paragraph.
_COPYRIGHT = re.compile(r"(?:\bcopyright\s*(?:©|\(c\))?|©|\(c\))\s*\d{4}\b[^.\n]{0,80}\.?(?:\s*all rights reserved\.?)?|"
                        r"\ball rights reserved\.?", re.IGNORECASE)
_BULLET = re.compile(r"^\s*([•·▪●◦‣∙*–-]|\d+[.)])\s+")
_CJK_END = "。！？"
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def _is_prose(line: str) -> bool:
    """A line that ends without sentence punctuation can still be prose: a paragraph whose last
    sentence lost its period, ends in "(AP)" or an emoji, or a bullet point stating a fact.
    Headlines, section titles and widget labels are short or title-cased."""
    if _CJK.search(line):
        return len(_CJK.findall(line)) >= 8
    words = line.split()
    if re.search(r"[.!?][\"'”’)\]]*\s+[\"'“‘(\[]?[A-Z0-9]", line):  # it holds a whole sentence
        return True
    lower = sum(1 for w in words if w[:1].islower())
    return len(words) >= (6 if _BULLET.match(line) else 10) and lower >= len(words) / 3


# Invisible characters inside words: zero-width space, word joiner, invisible operators, soft
# hyphen, BOM. They show nothing but split a word for every pattern, the language detector and
# the encoder's tokenizer ("Pre\u200bsident"). The joiners (U+200C, U+200D) stay: they change how
# Persian, Indic scripts and emoji are written.
INVISIBLE_IN_WORDS = dict.fromkeys(map(ord, "\u00ad\u200b\u2060\u2061\u2062\u2063\u2064\ufeff"))


def clean_article_text(text: str, gentle: bool = False) -> str:
    """Returns the story body: paragraphs of prose, without web boilerplate, one per line.

    ``gentle`` keeps every line that is not page chrome (headline-like lines, captions, teasers):
    the fallback for pages where the standard cleaning would leave too little of the story."""
    text = unicodedata.normalize("NFC", text).translate(INVISIBLE_IN_WORDS).replace("\r\n", "\n").replace("\r", "\n")
    kept: list[str] = []
    seen: set[str] = set()
    for raw_line in text.split("\n"):
        line = _COPYRIGHT.sub("", " ".join(raw_line.split())).strip()
        if not line or _CHROME_LINE.match(line):
            continue
        if line in seen:  # captions and pull quotes printed twice
            continue
        if _TRAILER_LINE.match(line):
            if gentle:
                continue
            break
        if not gentle:
            if _META_LINE.match(line) or _TEASER_END.search(line):
                continue
            # A line without sentence punctuation is a headline, a section title or a widget label,
            # unless it reads as prose.
            if not _SENTENCE_END.search(line) and not line.endswith(tuple(_CJK_END)) and not _is_prose(line):
                continue
        seen.add(line)
        kept.append(_BULLET.sub("", line))
    return "\n".join(kept)


def article_sentences(text: str, min_sentences: int = 2) -> tuple[list[str], str]:
    """(sentences, cleaning): the standard cleaning, or the gentle one when the standard would leave
    fewer than ``min_sentences`` of a text that has more. The article is never lost to cleaning."""
    sentences = split_sentences(clean_article_text(text))
    if len(sentences) >= min_sentences:
        return sentences, "standard"
    gentle = split_sentences(clean_article_text(text, gentle=True))
    if len(gentle) > len(sentences):
        return gentle, "gentle"
    return sentences, "standard"


def split_sentences(text: str) -> list[str]:
    """Splits prose into sentences, keeping abbreviations such as "U.S." or "Dr." intact; a last
    sentence without final punctuation is kept, and Chinese or Japanese text splits at 。！？."""
    sentences: list[str] = []
    for paragraph in text.split("\n"):
        pieces = [p for chunk in _CJK_SPLIT.split(paragraph.strip()) for p in _SPLIT_POINT.split(chunk)]
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
    return [s for s in sentences if len(s.split()) >= 3 or len(_CJK.findall(s)) >= 6]
