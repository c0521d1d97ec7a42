"""ClassifyAndSummarize and ExtractEvents: from sentence embeddings to labels, summaries and event rows."""
from __future__ import annotations

import logging
from typing import Iterator, Optional

import apache_beam as beam
from apache_beam import pvalue
from apache_beam.ml.inference.base import RunInference

from newsevents import EVENT_TYPES
from newsevents.analysis import analyze, check_encoder, event_rows
from newsevents.classifier import ClassifierHead
from newsevents.encoder import EncoderConfig, shared_encoder
from newsevents.records import AnalyzedArticle, EncodedArticle
from newsevents.summarize import SummarizerConfig
from newsevents.transforms.failures import guarded, split_failures
from newsevents.transforms.inference import ZeroShotModelHandler
from newsevents.zero_shot import ZeroShotConfig

log = logging.getLogger(__name__)


class _ClassifyAndSummarizeFn(beam.DoFn):
    def __init__(self, head_dir: Optional[str], summarizer: SummarizerConfig, encoder: EncoderConfig):
        self.head_dir, self.summarizer, self.encoder = head_dir, summarizer, encoder

    def setup(self):
        self.head = ClassifierHead.load(self.head_dir)
        self._labeled = {t: beam.metrics.Metrics.counter("classify", f"articles_{t}") for t in EVENT_TYPES}

    def _head_for(self, encoder_name: str) -> ClassifierHead:
        """An int8 encoder needs the head's prototypes embedded by the same int8 encoder (once)."""
        if self.head.encoder_name != encoder_name:
            check_encoder(self.head, encoder_name)
            self.head = self.head.for_encoder(shared_encoder(self.encoder).encode, encoder_name)
        return self.head

    def process(self, item: EncodedArticle) -> Iterator[AnalyzedArticle]:
        analyzed = analyze(item, self._head_for(item.encoder_name), self.summarizer)
        for t in analyzed.labels:
            self._labeled[t].inc()
        yield analyzed


class ClassifyAndSummarize(beam.PTransform):
    """Labels from the trained head on the encoder's embeddings, or from a zero-shot NLI model
    (its own RunInference step); the extractive summary in both cases."""

    def __init__(self, head_dir: Optional[str] = None, summarizer: SummarizerConfig = SummarizerConfig(),
                 zero_shot: Optional[ZeroShotConfig] = None, encoder: EncoderConfig = EncoderConfig()):
        super().__init__()
        self.head_dir, self.summarizer, self.zero_shot, self.encoder = head_dir, summarizer, zero_shot, encoder

    def expand(self, encoded: beam.PCollection[EncodedArticle]) -> dict[str, beam.PCollection]:
        if self.zero_shot is None:
            step = beam.ParDo(_ClassifyAndSummarizeFn(self.head_dir, self.summarizer, self.encoder))
            result, failed = guarded("Classify", "classify", step.with_output_types(AnalyzedArticle), encoded)
            return {"analyzed": result["main"], "failed": failed}
        summarizer = self.summarizer
        analyzed, failed = split_failures(
            "classify", encoded | "ZeroShotNLI" >> RunInference(ZeroShotModelHandler(self.zero_shot)),
            lambda r: analyze(r.example, None, summarizer, classification=r.inference, classifier_name=r.model_id),
            AnalyzedArticle)
        return {"analyzed": analyzed, "failed": failed}


class _ExtractEventsFn(beam.DoFn):
    def __init__(self, summarizer: SummarizerConfig):
        self.summarizer = summarizer

    def process(self, a: AnalyzedArticle) -> Iterator:
        for t, row in event_rows(a, self.summarizer):
            yield pvalue.TaggedOutput(t, row)


class ExtractEvents(beam.PTransform):
    """One tagged output of event rows per event type."""

    def __init__(self, summarizer: SummarizerConfig = SummarizerConfig()):
        super().__init__()
        self.summarizer = summarizer

    def expand(self, analyzed: beam.PCollection[AnalyzedArticle]) -> dict[str, beam.PCollection]:
        # Outputs are held back until the article is done: a failure leaves no partial events.
        step = beam.ParDo(_ExtractEventsFn(self.summarizer)).with_output_types(
            dict, **{t: dict for t in EVENT_TYPES}).with_outputs(*EVENT_TYPES)
        result, failed = guarded("Extract", "extract", step, analyzed)
        return {**{t: result[t] for t in EVENT_TYPES}, "failed": failed}
