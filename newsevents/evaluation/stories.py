"""Pairwise precision and recall of story assignment, for ``newsevents evaluate``.

Labeled rows carry ``story`` (the real-world event they report; ``data/corpus/stories.jsonl``,
written for this project). The articles go through the pipeline's analysis (``evaluation.
analyze_corpus``), their event rows through ``stories.build_stories``; a pair of events of one
type is *same-story* when both carry the same annotation. An article that reports two events of
one type (a duty and the other side's answer to it) says which event is which story with
``event_stories``: entries such as ``{"actor1_country": "CAN", "story": "..."}``, matched on the
event row's fields. Precision: predicted same-story pairs that are right; recall: annotated
same-story pairs that were found.
"""
from __future__ import annotations

from datetime import datetime
from itertools import combinations

from newsevents.extraction.analysis import event_rows
from newsevents.evaluation.events import Counts, analyze_corpus
from newsevents.stories.linking import build_stories, event_from_row
from newsevents.models.summarize import SummarizerConfig


def story_report(head, encoder, rows: list[dict]) -> dict:
    labeled = [r for r in rows if r.get("story")]
    if not labeled:
        return {}
    by_id = {str(r["id"]): r for r in labeled}
    gold: dict[str, str] = {}  # event_id -> annotated story
    by_type: dict[str, list] = {}
    for analyzed in analyze_corpus(head, encoder, labeled):
        for event_type, row in event_rows(analyzed, SummarizerConfig()):
            row = dict(row)
            gold[row["event_id"]] = gold_story(by_id[str(row["article_id"])], row)
            published = row.get("published_at")
            row["dt"] = (row.get("event_date") or (published.date() if isinstance(published, datetime) else None)
                         or datetime(1970, 1, 1).date()).isoformat()
            by_type.setdefault(event_type, []).append(event_from_row(row))
    counts = Counts()
    for event_type, events in by_type.items():
        assignment, _ = build_stories(event_type, events, encoder.encode)
        for a, b in combinations(sorted(events, key=lambda e: e.event_id), 2):
            predicted = assignment[a.event_id] == assignment[b.event_id]
            same = gold[a.event_id] == gold[b.event_id]
            counts.tp += predicted and same
            counts.fp += predicted and not same
            counts.fn += same and not predicted
    return {"articles": len(labeled), "events": sum(map(len, by_type.values())), **counts.scores()}


def gold_story(article: dict, event_row: dict) -> str:
    """The story annotated for one event row of ``article``."""
    for entry in article.get("event_stories", ()):
        if all(event_row.get(k) == v for k, v in entry.items() if k != "story"):
            return entry["story"]
    return article["story"]
