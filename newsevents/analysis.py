"""Per-article analysis shared by the Beam transforms and ``newsevents evaluate``.

Keeping it here, outside any DoFn, is what makes the evaluation measure exactly what the
pipeline writes.
"""
from __future__ import annotations

from typing import Iterator, Optional

from newsevents.classifier import Classification, ClassifierHead
from newsevents.extract import extract
import numpy as np

from newsevents.records import AnalyzedArticle, Article, EncodedArticle
from newsevents.summarize import SummarizerConfig, summarize, summarize_event


def check_encoder(head: ClassifierHead, encoder_name: str) -> None:
    if head.encoder_name != encoder_name.replace("+int8", ""):
        raise ValueError(f"classifier head was trained on {head.encoder_name!r} but the pipeline encodes "
                         f"with {encoder_name!r}; retrain it with 'newsevents train'")


def analyze(item: EncodedArticle, head: Optional[ClassifierHead], summarizer: SummarizerConfig,
            classification: Optional[Classification] = None, classifier_name: Optional[str] = None) -> AnalyzedArticle:
    """Labels, scores, evidence and the extractive article summary from one encoder pass; the
    labels come from the head on the same embeddings, or from a zero-shot ``classification``.
    When the gate chose some of the sentences, the head reads those and the result is given in
    the article's sentence numbers."""
    idx = item.article.encode_idx
    if classification is None and idx is not None and len(idx) < len(item.article.sentences):
        return _analyze_selected(item, head, summarizer, idx)
    c = classification if classification is not None else head.classify(item.embeddings)
    return AnalyzedArticle(
        article=item.article, embeddings=item.embeddings, labels=c.labels, scores=c.scores,
        evidence=c.evidence, relevance=c.relevance,
        summary_idx=summarize(item.article.sentences, item.embeddings, summarizer),
        encoder_name=item.encoder_name, classifier_name=classifier_name or head.name,
        summarizer_name=f"extractive-centrality({item.encoder_name})")


# Relevance of a sentence the encoder did not see: below any margin, so a per-event summary
# never picks it while encoded sentences are left (the gate encodes at least the lead).
_UNSEEN = -1e3


def _analyze_selected(item: EncodedArticle, head: ClassifierHead, summarizer: SummarizerConfig,
                      idx: list[int]) -> AnalyzedArticle:
    c = head.classify(item.embeddings)
    sentences = item.article.sentences
    embeddings = np.zeros((len(sentences), item.embeddings.shape[1]), dtype=item.embeddings.dtype)
    embeddings[idx] = item.embeddings
    relevance = {}
    for t, r in c.relevance.items():
        relevance[t] = np.full(len(sentences), _UNSEEN, dtype=np.float64)
        relevance[t][idx] = r
    summary = summarize([sentences[i] for i in idx], item.embeddings, summarizer)
    return AnalyzedArticle(
        article=item.article, embeddings=embeddings, labels=c.labels, scores=c.scores,
        evidence={t: [idx[j] for j in e] for t, e in c.evidence.items()}, relevance=relevance,
        summary_idx=[idx[j] for j in summary], encoder_name=item.encoder_name, classifier_name=head.name,
        summarizer_name=f"extractive-centrality({item.encoder_name})", analysis="selected")


def unanalyzed(article: Article, lead_sentences: int = 2, analysis: str = "skipped_language") -> AnalyzedArticle:
    """An article the models do not read (its language is not supported, or the gate found nothing
    relevant in it: ``analysis``): no labels, no events, its lead as summary; it is still written
    to ``articles``."""
    return AnalyzedArticle(
        article=article, embeddings=np.zeros((0, 0), dtype=np.float32), labels=[], scores={}, evidence={},
        relevance={}, summary_idx=list(range(min(lead_sentences, len(article.sentences)))), encoder_name=None,
        classifier_name=None, summarizer_name="lead", analysis=analysis)


def event_rows(a: AnalyzedArticle, summarizer: SummarizerConfig) -> Iterator[tuple[str, dict]]:
    """(event type, row of ``schemas.EVENTS[type]``) for every event type the article carries."""
    from newsevents.rows import event_row

    sentences = a.article.sentences
    # "On Monday" cannot be resolved against a publication date known only to the year or month.
    reference = a.article.published_at if a.article.published_at_precision not in ("year", "month") else None
    for t in a.labels:
        idx = summarize_event(a.relevance[t], a.embeddings, summarizer)
        evidence = [sentences[i] for i in a.evidence[t]]
        in_order = [sentences[i] for i in sorted(a.evidence[t])]
        fields = extract(t, in_order, sentences, reference)
        yield t, event_row(a, t, " ".join(sentences[i] for i in idx), evidence, fields)
