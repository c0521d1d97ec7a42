"""What counts as an event of each type: the definitions of docs/events.md, checked on a label's evidence.

The classifier says an article *reads like* a summit, tariff or defence-spending story; these
rules say whether its evidence *reports* one. A label whose evidence has no sentence that meets
its type's definition is dropped (its score stays in the articles row). Each type states its
definition and its vetoes (the look-alikes: a tech summit, an electricity tariff, a defence
lawyer) in its module under ``newsevents.types`` (``EventType.reports``).

Rules on words, not on the length or layout of the article, so they never depend on what else
the page carries.
"""
from __future__ import annotations

from typing import Iterable

from newsevents.types import get
from newsevents.extraction.words import word_alternation  # noqa: F401 - where the gate and the tests found it


def reported(event_type: str, sentences: Iterable[str]) -> bool:
    """Whether any of the sentences reports an event of the type as docs/events.md defines it."""
    return any(map(get(event_type).reports, sentences))
