"""Sentence-level scores: does a decision find the sentences that report each event, and only them?

The held-out split annotates, for its newer articles, each event's ``sentences`` (the exact sentences
that report it). Every sentence of such an article is a case: a positive for the types of the events
it reports, a negative for the others. A decision (the types' word-list definitions, the sentence
head) is scored per type by precision, recall and F1 over those cases.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Mapping, Sequence

from newsevents.input.text import article_sentences


# A split sentence shorter than this is not taken for a part of an annotated one (a name, a dateline).
MIN_PART = 12


@dataclass(frozen=True)
class SentenceCase:
    article_id: str
    text: str
    types: frozenset[str]  # the types of the events the sentence reports (empty: none)


def annotated_sentence_cases(articles: Iterable[Mapping]) -> list[SentenceCase]:
    """The sentences of the articles whose events name their ``sentences``, each with the types it
    reports. The splitter may cut an annotated sentence in two ("... Marcos Jr." / "held talks ..."):
    a sentence that is part of an annotated one, or holds one, reports what it reports. An annotated
    sentence that no split sentence overlaps is a case of its own, so no positive is lost."""
    cases = []
    for a in articles:
        events = a.get("events") or []
        if not events or not all("sentences" in e for e in events):
            continue
        reported: dict[str, set[str]] = {}
        for e in events:
            for s in e["sentences"]:
                reported.setdefault(s.strip(), set()).add(e["type"])
        matched: set[str] = set()
        for s in article_sentences(a.get("text") or "")[0]:
            s = s.strip()
            types: set[str] = set()
            for annotated, ts in reported.items():
                if s == annotated or (len(s) >= MIN_PART and s in annotated) or annotated in s:
                    types |= ts
                    matched.add(annotated)
            cases.append(SentenceCase(a.get("id", ""), s, frozenset(types)))
        cases += [SentenceCase(a.get("id", ""), s, frozenset(ts)) for s, ts in reported.items() if s not in matched]
    return cases


def sentence_scores(cases: Sequence[SentenceCase], decide: Callable[[str, Sequence[str]], Sequence[bool]],
                    types: Iterable[str]) -> dict[str, dict]:
    """Per type: true/false positives, false negatives, precision, recall and F1 of ``decide(type,
    sentences)`` (a bool per sentence) against the annotation."""
    texts = [c.text for c in cases]
    out = {}
    for t in types:
        pred = list(decide(t, texts))
        gold = [t in c.types for c in cases]
        tp = sum(p and g for p, g in zip(pred, gold))
        fp = sum(p and not g for p, g in zip(pred, gold))
        fn = sum(g and not p for p, g in zip(pred, gold))
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[t] = {"positives": tp + fn, "tp": tp, "fp": fp, "fn": fn,
                  "precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}
    return out


def word_list_decision(event_type: str, sentences: Sequence[str]) -> list[bool]:
    """Today's definitions: the type's ``reports`` (its word lists and vetoes)."""
    from newsevents.types import get
    return [get(event_type).reports(s) for s in sentences]


def head_decision(head, encode) -> Callable[[str, Sequence[str]], list[bool]]:
    """The sentence head on ``encode``'s embeddings (each sentence embedded once, whatever the type)."""
    cache: dict[tuple, dict] = {}

    def decide(event_type: str, sentences: Sequence[str]) -> list[bool]:
        key = tuple(sentences)
        if key not in cache:
            cache.clear()
            cache[key] = head.decisions(encode(list(sentences)))
        return cache[key][event_type].tolist()
    return decide


def either_decision(*decisions) -> Callable[[str, Sequence[str]], list[bool]]:
    """A sentence reports an event where any of the decisions says so (the head or the word lists)."""
    def decide(event_type: str, sentences: Sequence[str]) -> list[bool]:
        return [any(votes) for votes in zip(*(d(event_type, sentences) for d in decisions))]
    return decide


def compare_on_heldout(head, encode, articles: Iterable[Mapping], types: Iterable[str] | None = None) -> dict:
    """The sentence-level scores of today's word lists, the sentence head and the two together on
    the annotated held-out articles, per type (what benchmarks/sentence_decisions.py prints)."""
    types = tuple(types or head.types)
    cases = annotated_sentence_cases(articles)
    by_head = head_decision(head, encode)
    return {"word lists": sentence_scores(cases, word_list_decision, types),
            "sentence head": sentence_scores(cases, by_head, types),
            "head or word lists": sentence_scores(cases, either_decision(by_head, word_list_decision), types)}


def format_table(results: Mapping[str, Mapping[str, dict]]) -> str:
    """Per type, one line per decision: positives, TP/FP/FN, precision, recall and F1."""
    names = list(results)
    types = list(next(iter(results.values())))
    lines = [f"{'type':<18}{'decision':<22}{'pos':>5}{'tp':>5}{'fp':>5}{'fn':>5}{'P':>7}{'R':>7}{'F1':>7}"]
    for t in types:
        for n in names:
            r = results[n][t]
            lines.append(f"{t:<18}{n:<22}{r['positives']:>5}{r['tp']:>5}{r['fp']:>5}{r['fn']:>5}"
                         f"{r['precision']:>7.3f}{r['recall']:>7.3f}{r['f1']:>7.3f}")
    for n in names:
        macro = sum(results[n][t]["f1"] for t in types) / len(types)
        lines.append(f"{'macro-F1':<18}{n:<22}{'':>27}{macro:>7.3f}")
    return "\n".join(lines)
