"""Per-article analysis shared by the Beam transforms and ``newsevents evaluate``.

Keeping it here, outside any DoFn, is what makes the evaluation measure exactly what the
pipeline writes.
"""
from __future__ import annotations

import dataclasses
from typing import Iterator, Optional

import numpy as np

from newsevents.models.classifier import EVIDENCE_MIN_MARGIN, Classification, ClassifierHead, classifier_types
from newsevents.extraction.dates import dateline_date
from newsevents.extraction.definitions import reported
from newsevents.extraction.extract import extract
from newsevents.records import AnalyzedArticle, Article, EncodedArticle
from newsevents.extraction.segment import segment_events
from newsevents.models.sentence_head import SentenceHead
from newsevents.models.summarize import SummarizerConfig, summarize, summarize_event
from newsevents.types import LABELLED_BY_DEFINITION, event_types, get, names


def check_encoder(head: ClassifierHead, encoder_name: str) -> None:
    if head.encoder_name != encoder_name.replace("+int8", ""):
        raise ValueError(f"classifier head was trained on {head.encoder_name!r} but the pipeline encodes "
                         f"with {encoder_name!r}; retrain it with 'newsevents train'")


def _candidates(a: AnalyzedArticle, event_type: str) -> list[int]:
    """The sentences a label's definition is checked on: its evidence and every sentence whose margin
    counts as evidence. Not just the top few: unrelated sentences added to an article must not push
    the reporting one out."""
    margin = a.relevance.get(event_type)
    above = [] if margin is None else np.flatnonzero(margin > EVIDENCE_MIN_MARGIN).tolist()
    return list(dict.fromkeys([*a.evidence[event_type], *above]))


def _reported(a: AnalyzedArticle) -> AnalyzedArticle:
    """The article with the labels whose candidate sentences report an event of the type."""
    sentences = a.article.sentences
    labels = [t for t in a.labels if reported(t, (sentences[i] for i in _candidates(a, t)))]
    return a if labels == a.labels else dataclasses.replace(a, labels=labels)


# How many of a label's reporting sentences the sentence head lists as its evidence (as the classifier).
_HEAD_EVIDENCE = 3


def _by_sentence_head(a: AnalyzedArticle, sentence_head: Optional[SentenceHead]) -> AnalyzedArticle:
    """The article with the labels the classifier missed where a sentence reports an event of the type:
    the sentence head decides it on the sentence's own embedding, and the type's definition may still
    veto it (a utility's tariff, a business summit). A one-sentence brief has too little text for the
    classifier's article statistics; its sentence is judged like any article's. The label's score is
    the head's probability of its most probable reporting sentence, its evidence those sentences."""
    sentences = a.article.sentences
    if sentence_head is None or a.embeddings.shape[0] == 0 or not sentences:
        return a
    seen = a.article.encode_idx if a.article.encode_idx is not None else list(range(len(sentences)))
    probabilities = sentence_head.probabilities(a.embeddings[seen])
    learned = classifier_types()
    added, scores, evidence = [], dict(a.scores), dict(a.evidence)
    for j, t in enumerate(sentence_head.types):
        # A label of the classifier whose own evidence meets the definition is left as it is.
        if t not in learned or (t in a.labels and reported(t, (sentences[i] for i in _candidates(a, t)))):
            continue
        reporting = sorted(((float(p), i) for i, p in zip(seen, probabilities[:, j])
                            if p >= sentence_head.thresholds[j] and get(t).reports(sentences[i])),
                           key=lambda x: (-x[0], x[1]))
        if not reporting:
            continue
        # Either the classifier missed the type, or its evidence is elsewhere (unrelated paragraphs
        # around the event can draw its margins): the head's reporting sentences are the evidence.
        evidence[t] = [i for _, i in reporting[:_HEAD_EVIDENCE]]
        if t not in a.labels:
            added.append(t)
            scores[t] = max(scores.get(t, 0.0), reporting[0][0])
    if not added and evidence == a.evidence:
        return a
    labels = [t for t in names() if t in set(a.labels) | set(added)]
    return dataclasses.replace(a, labels=labels, scores=scores, evidence=evidence)


def _by_definition(a: AnalyzedArticle) -> AnalyzedArticle:
    """The article with the labels of the types labelled by their definition alone
    (``EventType.labelled_by``): a sentence that meets it is the label's evidence (score 1, relevance 1
    against 0 for the other encoded sentences); none, score 0. The classifier has no say in them."""
    types = [t for t in event_types() if t.labelled_by == LABELLED_BY_DEFINITION]
    if not types:
        return a
    sentences, seen = a.article.sentences, a.article.encode_idx
    partial = seen is not None and len(seen) < len(sentences)  # the gate chose some sentences
    labels, scores, evidence, relevance = list(a.labels), dict(a.scores), dict(a.evidence), dict(a.relevance)
    for t in types:
        reporting = [i for i, s in enumerate(sentences) if t.reports(s)]
        relevance[t.name] = np.full(len(sentences), _UNSEEN if partial else 0.0, dtype=np.float64)
        if partial:
            relevance[t.name][seen] = 0.0
        relevance[t.name][reporting] = 1.0
        scores[t.name] = 1.0 if reporting else 0.0
        evidence[t.name] = reporting[:3]
        if reporting:
            labels.append(t.name)
    return dataclasses.replace(a, labels=labels, scores=scores, evidence=evidence, relevance=relevance)


def analyze(item: EncodedArticle, head: Optional[ClassifierHead], summarizer: SummarizerConfig,
            classification: Optional[Classification] = None, classifier_name: Optional[str] = None,
            sentence_head: Optional[SentenceHead] = None) -> AnalyzedArticle:
    """Labels, scores, evidence and the extractive article summary from one encoder pass; the
    labels come from the head on the same embeddings, or from a zero-shot ``classification``, and
    are kept where their evidence reports an event of the type (``definitions``). When the gate
    chose some of the sentences, the head reads those and the result is given in the article's
    sentence numbers."""
    idx = item.article.encode_idx
    if classification is None and idx is not None and len(idx) < len(item.article.sentences):
        return _reported(_by_definition(_by_sentence_head(_analyze_selected(item, head, summarizer, idx),
                                                          sentence_head)))
    c = classification if classification is not None else head.classify(item.embeddings)
    return _reported(_by_definition(_by_sentence_head(AnalyzedArticle(
        article=item.article, embeddings=item.embeddings, labels=c.labels, scores=c.scores,
        evidence=c.evidence, relevance=c.relevance,
        summary_idx=summarize(item.article.sentences, item.embeddings, summarizer),
        encoder_name=item.encoder_name, classifier_name=classifier_name or head.name,
        summarizer_name=f"extractive-centrality({item.encoder_name})"), sentence_head)))


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


# The most relevant sentences of an event listed as its evidence (its fields come from all of them).
MAX_EVENT_EVIDENCE = 8


def event_units(a: AnalyzedArticle, event_type: str, reference) -> list[tuple[list[tuple[int, str]], dict]]:
    """(units, key) of each event of a type the article was labelled with: a unit is a sentence's index
    and the text of it that reports the event (the whole sentence, or its clauses where it reports
    several events); the key is what the segmenter knows of the event. Where no sentence uses the type's
    vocabulary at all, the classifier's evidence is the one event; where only a background clause does
    ("ahead of the summit"), there is none."""
    sentences = a.article.sentences
    events = segment_events(event_type, sentences, reference, tuple(a.evidence[event_type]))
    found = [(e.units(sentences), e.key) for e in events if e.indices]
    cue = get(event_type).mention_cue
    if not found and a.evidence[event_type] and not any(cue.search(s) for s in sentences):
        found = [([(i, sentences[i]) for i in sorted(a.evidence[event_type])], {})]
    return found


def event_sentences(a: AnalyzedArticle, event_type: str, reference) -> list[list[int]]:
    """Sentence indices of each event of a type the article was labelled with (``event_units``)."""
    return [[i for i, _ in units] for units, _ in event_units(a, event_type, reference)]


def event_rows(a: AnalyzedArticle, summarizer: SummarizerConfig) -> Iterator[tuple[str, dict]]:
    """(event type, row of ``schemas.EVENTS[type]``) for every event the article reports: several of
    one type where it reports several (``segment``), each with its own evidence and summary: the
    sentences, or clauses of a sentence, that report it."""
    from newsevents.output.rows import event_row

    sentences = a.article.sentences
    # "On Monday" cannot be resolved against a publication date known only to the year or month; a date
    # line at the top of the text ("SEOUL, Aug. 20 (Yonhap) --") stands in for a missing one.
    reference = a.article.published_at if a.article.published_at_precision not in ("year", "month") else None
    if reference is None or a.article.published_at_precision == "record":
        reference = dateline_date(a.article.text, a.article.published_at) or reference
    for t in a.labels:
        for units, key in event_units(a, t, reference):
            indices, texts = [i for i, _ in units], [text for _, text in units]
            fields = extract(t, texts, sentences, reference, key)
            if not get(t).is_event(fields.specific):
                continue
            relevance = a.relevance[t][indices]
            idx = summarize_event(relevance, a.embeddings[indices], summarizer)
            evidence = [texts[i] for i in np.argsort(-relevance, kind="stable")[:MAX_EVENT_EVIDENCE]]
            yield t, event_row(a, t, " ".join(texts[i] for i in idx), evidence, fields,
                               key=f"{indices[0]}:{texts[0]}")
