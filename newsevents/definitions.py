"""What counts as an event of each type: the README's definitions, checked on a label's evidence.

The classifier says an article *reads like* a summit, tariff or defence-spending story; these
rules say whether its evidence *reports* one. A label whose evidence has no sentence that meets
its type's definition is dropped (its score stays in the articles row). Each type states its
definition and its vetoes (the look-alikes: a tech summit, an electricity tariff, a defence
lawyer) in its module under ``newsevents.types`` (``EventType.reports``).

Rules on words, not on the length or layout of the article, so they never depend on what else
the page carries.
"""
from __future__ import annotations

import re
from typing import Iterable


def word_alternation(pattern: str) -> re.Pattern:
    """``pattern`` (``\\b(word|word...)...``, each alternative starting with a letter or a digit),
    case-insensitive, with the alternatives' first characters checked before the alternatives.

    Python's re tries every alternative at every word start, and case-insensitive literals give
    it no first character to skip ahead with; these patterns run on every sentence of every
    article (the gate), where the look-ahead makes them 2-3 times faster. It matches exactly
    what ``pattern`` matches: every match begins with one of those characters."""
    head = "\\b("
    if not pattern.startswith(head):
        raise ValueError(f"not a word alternation: {pattern[:40]!r}")
    initials, depth, i = {pattern[len(head)]}, 0, len(head)
    while depth >= 0:  # the alternatives end at the group's closing parenthesis
        c = pattern[i]
        if c == "\\":
            i += 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            initials.add(pattern[i + 1])
        i += 1
    if not all(c.isalnum() for c in initials):
        raise ValueError(f"an alternative does not start with a letter or a digit: {sorted(initials)}")
    return re.compile(f"\\b(?=[{''.join(sorted(initials))}])" + pattern[2:], re.IGNORECASE)


def reported(event_type: str, sentences: Iterable[str]) -> bool:
    """Whether any of the sentences reports an event of the type as the README defines it."""
    from newsevents.types import get
    return any(map(get(event_type).reports, sentences))
