"""The language of an article, offline.

py3langid (a maintained fork of langid.py, a naive Bayes model shipped in the package) was chosen
over lingua-language-detector: both named all 36 snippets and 12 articles of
``benchmarks/language_detection.py`` correctly (12 languages), and py3langid detected about
1,600 articles/s against lingua's 160 on this machine, with a dependency of a few MB.
"""
from __future__ import annotations

import functools

# Enough text to decide; detection time grows with length.
_SAMPLE_CHARS = 2000


@functools.lru_cache(maxsize=1)
def _classify():
    import py3langid
    return py3langid.classify


def detect_language(sentences: list[str]) -> str:
    """ISO 639-1 code of the language of the sentences."""
    text = " ".join(sentences)[:_SAMPLE_CHARS]
    return _classify()(text)[0]
