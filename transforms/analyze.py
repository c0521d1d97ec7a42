"""ClassifyAndSummarize and ExtractEvents: from sentence embeddings to labels, summaries and event rows."""
from __future__ import annotations

import logging
from typing import Iterator, Optional

import apache_beam as beam
from apache_beam import pvalue

from newsevents import EVENT_TYPES
from newsevents.classifier import ClassifierHead
from newsevents.extract import extract
from newsevents.records import AnalyzedArticle, EncodedArticle
from newsevents.summarize import SummarizerConfig, summarize, summarize_event
from newsevents.transforms.rows import event_row

log = logging.getLogger(__name__)


class _ClassifyAndSummarizeFn(beam.DoFn):
    def __init__(self, head_dir: Optional[str], summarizer: SummarizerConfig):
        self.head_dir, self.summarizer = head_dir, summarizer

    def setup(self):
        self.head = ClassifierHead.load(self.head_dir)
        self._labeled = {t: beam.metrics.Metrics.counter("classify", f"articles_{t}") for t in EVENT_TYPES}

    def process(self, item: EncodedArticle) -> Iterator[AnalyzedArticle]:
        if self.head.encoder_name != item.encoder_name.replace("+int8", ""):
            raise ValueError(f"classifier head was trained on {self.head.encoder_name!r} but the pipeline encodes "
                             f"with {item.encoder_name!r}; retrain it with 'newsevents train'")
        c = self.head.classify(item.embeddings)
        for t in c.labels:
            self._labeled[t].inc()
        yield AnalyzedArticle(
            article=item.article, embeddings=item.embeddings, labels=c.labels, scores=c.scores,
            evidence=c.evidence, relevance=c.relevance,
            summary_idx=summarize(item.article.sentences, item.embeddings, self.summarizer),
            encoder_name=item.encoder_name, classifier_name=self.head.name,
            summarizer_name=f"extractive-centrality({item.encoder_name})")


class ClassifyAndSummarize(beam.PTransform):
    def __init__(self, head_dir: Optional[str] = None, summarizer: SummarizerConfig = SummarizerConfig()):
        super().__init__()
        self.head_dir, self.summarizer = head_dir, summarizer

    def expand(self, encoded: beam.PCollection[EncodedArticle]) -> beam.PCollection[AnalyzedArticle]:
        return encoded | "ClassifyAndSummarize" >> beam.ParDo(
            _ClassifyAndSummarizeFn(self.head_dir, self.summarizer)).with_output_types(AnalyzedArticle)


class _ExtractEventsFn(beam.DoFn):
    def __init__(self, summarizer: SummarizerConfig):
        self.summarizer = summarizer

    def process(self, a: AnalyzedArticle) -> Iterator:
        sentences = a.article.sentences
        for t in a.labels:
            idx = summarize_event(a.relevance[t], a.embeddings, self.summarizer)
            evidence = [sentences[i] for i in a.evidence[t]]
            fields = extract(t, evidence, a.article.text, a.article.published_at)
            summary = " ".join(sentences[i] for i in idx)
            yield pvalue.TaggedOutput(t, event_row(a, t, summary, evidence, fields))


class ExtractEvents(beam.PTransform):
    """One tagged output of event rows per event type."""

    def __init__(self, summarizer: SummarizerConfig = SummarizerConfig()):
        super().__init__()
        self.summarizer = summarizer

    def expand(self, analyzed: beam.PCollection[AnalyzedArticle]):
        return analyzed | "Extract" >> beam.ParDo(_ExtractEventsFn(self.summarizer)).with_outputs(*EVENT_TYPES)
