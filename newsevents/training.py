"""Training and evaluation of the classifier head on labeled JSON lines (``labels`` per article)."""
from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np

from newsevents import EVENT_TYPES
from newsevents.classifier import ClassifierHead, train_head
from newsevents.encoder import SentenceEncoder
from newsevents.text import clean_article_text, split_sentences


def article_sentences(article: dict) -> list[str]:
    return split_sentences(clean_article_text(article.get("text") or ""))


def embed_articles(encoder: SentenceEncoder, articles: list[dict]) -> list[np.ndarray]:
    """One encoder pass over all sentences of all articles, split back per article."""
    sentences = [article_sentences(a) for a in articles]
    flat = encoder.encode([s for ss in sentences for s in ss])
    out, i = [], 0
    for ss in sentences:
        out.append(flat[i:i + len(ss)])
        i += len(ss)
    return out


def train(encoder: SentenceEncoder, articles: list[dict]) -> tuple[ClassifierHead, dict]:
    embeddings = embed_articles(encoder, articles)
    return train_head(embeddings, [a.get("labels", []) for a in articles], encoder.encode, encoder.name)


@dataclass
class Scores:
    precision: float
    recall: float
    f1: float
    support: int


def prf(pred: list[set], gold: list[set], label: str) -> Scores:
    tp = sum(1 for p, g in zip(pred, gold) if label in p and label in g)
    fp = sum(1 for p, g in zip(pred, gold) if label in p and label not in g)
    fn = sum(1 for p, g in zip(pred, gold) if label not in p and label in g)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, tp + fn)


def evaluate_classifier(head: ClassifierHead, encoder: SentenceEncoder, articles: list[dict]) -> dict:
    embeddings = embed_articles(encoder, articles)
    pred = [set(head.classify(e).labels) for e in embeddings]
    gold = [set(a.get("labels", [])) for a in articles]
    per_type = {t: prf(pred, gold, t).__dict__ for t in EVENT_TYPES}
    hard = [(a["id"], sorted(p)) for a, p in zip(articles, pred) if "hard_negative" in a.get("tags", []) and p]
    errors = [{"id": a["id"], "expected": sorted(g), "predicted": sorted(p)}
              for a, p, g in zip(articles, pred, gold) if p != g]
    return {"articles": len(articles), "per_type": per_type,
            "macro_f1": float(np.mean([per_type[t]["f1"] for t in EVENT_TYPES])),
            "hard_negative_false_positives": hard, "errors": errors}


if __name__ == "__main__":  # pragma: no cover - developer convenience
    from newsevents.corpus import corpus_path, read_jsonl
    from newsevents.encoder import EncoderConfig
    enc = SentenceEncoder(EncoderConfig())
    head, report = train(enc, read_jsonl(corpus_path("train")))
    print(json.dumps(report, indent=1))
    print(json.dumps(evaluate_classifier(head, enc, read_jsonl(corpus_path("heldout"))), indent=1))
