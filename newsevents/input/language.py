"""The language of an article, offline.

py3langid (a maintained fork of langid.py, a naive Bayes model shipped in the package) was chosen
over lingua-language-detector: both named all 36 snippets and 12 articles of
``benchmarks/language_detection.py`` correctly (12 languages), and py3langid detected about
1,600 articles/s against lingua's 160 on this machine, with a dependency of a few MB.
"""
from __future__ import annotations

import functools
import sys
import unicodedata

# Enough text to decide; detection time grows with length.
_SAMPLE_CHARS = 2000


@functools.lru_cache(maxsize=1)
def _classify():
    import py3langid
    return py3langid.classify


@functools.lru_cache(maxsize=1)
def _invisible() -> dict:
    """Every format character (Unicode category Cf: zero-width spaces and joiners, bidi marks and
    overrides, soft hyphen, BOM ...): the detector counts them as letters of some language, and an
    English text with one between its letters was read as another language."""
    return dict.fromkeys(c for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf")


def detect_language(sentences: list[str]) -> str:
    """ISO 639-1 code of the language of the sentences."""
    text = " ".join(sentences).translate(_invisible())[:_SAMPLE_CHARS]
    return _classify()(text)[0]
