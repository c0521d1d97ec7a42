"""The gate: a cheap first look at every article that decides which sentences the encoder sees.

Most of a news feed is about something else (sport, markets, crime, culture), and the encoder
is what costs: encoding every sentence of every article makes the cost grow with the length of
everything read. The classifier's decision rests on its best sentences (the highest similarities
and margins to the event prototypes, and a capped count of evidence sentences; see
``classifier.FEATURES``), so the sentences that can carry an event are all it needs.

Those are found by vocabulary: each event type has words without which a sentence does not
report it (a meeting, a visit, talks, leaders; a duty, a levy, imports; a military, a budget,
troops). The vocabulary is broad on purpose: look-alikes (a mountain summit, an electricity
tariff, a defence lawyer) pass the gate and are told apart by the classifier as before; the gate
only spares the encoder the sentences that cannot matter. An article with a trigger sentence
has its lead and its trigger sentences encoded; one without gets its lead as summary and no
model work at all. Decisions are per article, never per batch.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from newsevents.extraction.words import word_alternation
from newsevents.records import Article
from newsevents.types import event_types, per_version

# Each type's trigger words (EventType.gate_strong / gate_weak) are word starts (matched at a word
# boundary, case-insensitive): an inflection or a compound ("tariffs", "defence-related") matches its
# stem. STRONG words name an event type or its actors; an article without any is not read by the
# models. WEAK words often stand in the sentences around an event ("the two leaders met", "a budget
# of ...") and also everywhere else; they choose sentences of an article that has a strong word,
# never an article. All types' words are one pattern per kind, in the registry's order.
def _build_patterns() -> tuple[re.Pattern, re.Pattern, tuple]:
    types = event_types()
    strong = [w for t in types for w in t.gate_strong]
    weak = [w for t in types for w in t.gate_weak]
    return (word_alternation(r"\b(" + "|".join(strong) + r")"), word_alternation(r"\b(" + "|".join(weak) + r")"),
            tuple(t.reports for t in types))


_patterns = per_version(_build_patterns)


@dataclass(frozen=True)
class GateConfig:
    enabled: bool = True
    # The lead is encoded with the trigger sentences of an article that has any: news says the
    # event first, and the summary and the head's top-two features need more than one sentence.
    lead_sentences: int = 2
    # Sentences encoded at most (lead included), so that an article's cost is bounded whatever
    # its length; beyond it the sentences with the most trigger words are kept (earlier first).
    max_sentences: int = 64
    # Sentences either side of one with a strong trigger word that are encoded too, and how far
    # from one a sentence with a weak trigger word may stand to be encoded.
    context: int = 1
    weak_window: int = 3
    # The vocabulary is English: articles in other languages are encoded whole.
    languages: tuple[str, ...] = ("en",)


def trigger_hits(sentence: str) -> tuple[int, int]:
    """How many strong and weak trigger words a sentence holds."""
    strong, weak, _ = _patterns()
    return len(strong.findall(sentence)), len(weak.findall(sentence))


def select(sentences: list[str], config: GateConfig = GateConfig()) -> list[int]:
    """Indices (in article order) of the sentences the encoder should see: none when no sentence
    meets an event type's definition; every sentence when the gate is off. Otherwise the lead,
    the sentences that meet a definition or have a strong trigger word and their neighbours, and
    the sentences with a weak one near those (an event's other sentences count as evidence)."""
    if not config.enabled:
        return list(range(len(sentences)))
    # No sentence that meets an event type's definition: no label could survive the definitions
    # check after the classifier (``analysis``), so the models need not read the article at all.
    # This, not the trigger words, is what spares the encoder the look-alikes (a defence lawyer, a
    # tech summit): on the firehose feed 13% of off-topic articles pass it, 82% have a trigger word.
    reports = _patterns()[2]
    reporting = [i for i, s in enumerate(sentences) if any(rule(s) for rule in reports)]
    if not reporting:
        return []
    hits = [trigger_hits(s) for s in sentences]
    for i in reporting:  # ranked first when the article is over the cap
        hits[i] = (hits[i][0] + 2, hits[i][1])
    strong = [i for i, (n, _) in enumerate(hits) if n]
    chosen = set(range(min(config.lead_sentences, len(sentences))))
    for i in strong:
        chosen.update(range(max(0, i - config.context), min(len(sentences), i + config.context + 1)))
    near = set(j for i in strong for j in range(i - config.weak_window, i + config.weak_window + 1))
    chosen.update(i for i, (_, weak) in enumerate(hits) if weak and i in near)
    if len(chosen) > config.max_sentences:
        # The lead, then the most strongly triggered, earlier before later.
        ranked = sorted(chosen, key=lambda i: (i >= config.lead_sentences, -2 * hits[i][0] - hits[i][1], i))
        chosen = set(ranked[:config.max_sentences])
    return sorted(chosen)


def choose(article: Article, config: GateConfig = GateConfig()) -> Article:
    """The article with the gate's choice of sentences in ``encode_idx`` (an empty choice: nothing
    relevant, no model work); unchanged when the gate is off or not made for its language."""
    if not config.enabled or article.language not in config.languages:
        return article
    return dataclasses.replace(article, encode_idx=select(article.sentences, config))
