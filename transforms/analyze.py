"""ClassifyAndSummarize and ExtractEvents: from sentence embeddings to labels, summaries and event rows."""
from __future__ import annotations

import logging
from typing import Iterator, Optional

import apache_beam as beam
from apache_beam import pvalue
from apache_beam.ml.inference.base import RunInference

from newsevents import EVENT_TYPES
from newsevents.extraction.analysis import analyze, check_encoder, event_rows, unanalyzed
from newsevents.models.classifier import ClassifierHead
from newsevents.models.encoder import EncoderConfig, shared_encoder
from newsevents.models.sentence_head import sentence_head_for
from newsevents.extraction.gate import GateConfig, choose
from newsevents.records import AnalyzedArticle, Article, DeadLetter, EncodedArticle
from newsevents.models.summarize import SummarizerConfig
from newsevents.transforms.failures import FAILED_TAG, StageError, dead_letter, guarded, split_failures
from newsevents.output.rows import article_row
from newsevents.transforms.inference import ZeroShotModelHandler
from newsevents.models.zero_shot import ZeroShotConfig
from newsevents.transforms.display import config_display

log = logging.getLogger(__name__)


class SplitByLanguage(beam.PTransform):
    """``supported``: articles in one of ``languages``, for the models, with the ``gate``'s choice of
    sentences for the encoder; ``other``: the rest, as AnalyzedArticles without labels (kept in
    ``articles``, no model work, no events): those in other languages (``skipped_language``) and
    those in which the gate found nothing relevant (``gated``)."""

    def __init__(self, languages: tuple[str, ...], gate: Optional[GateConfig] = None):
        super().__init__()
        self.languages = frozenset(languages)
        self.gate = gate

    def display_data(self) -> dict:
        return config_display(languages=sorted(self.languages), gate=self.gate)

    def expand(self, articles: beam.PCollection[Article]) -> dict[str, beam.PCollection]:
        languages, gate = self.languages, self.gate
        if gate is not None and gate.enabled:
            articles = articles | "Gate" >> beam.Map(choose, gate).with_output_types(Article)
        # One Partition for both reasons: a Flatten of two would hold back a streaming run.
        split = articles | "ByLanguage" >> beam.Partition(
            lambda a, _: 0 if a.language in languages and a.encode_idx != [] else 1, 2)
        other = split[1] | "NotAnalyzed" >> beam.Map(
            lambda a: unanalyzed(a, analysis="gated" if a.language in languages else "skipped_language")
        ).with_output_types(AnalyzedArticle)
        return {"supported": split[0], "other": other}


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
        analyzed = analyze(item, self._head_for(item.encoder_name), self.summarizer,
                           sentence_head=sentence_head_for(item.encoder_name))
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

    def display_data(self) -> dict:
        return config_display(head_dir=self.head_dir or "packaged", summarizer=self.summarizer,
                              zero_shot=self.zero_shot, encoder=self.encoder)

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
        # Nothing is output until the article's events and its row are all built: a failure in
        # either leaves one dead letter and no partial output, so every input is counted once.
        stage = "extract"
        try:
            events = list(event_rows(a, self.summarizer))
            stage = "rows"
            row = article_row(a)
        except Exception:  # noqa: BLE001 - the article's failure, kept with it
            yield pvalue.TaggedOutput(FAILED_TAG, dead_letter(stage, a, StageError.current().detail))
            return
        yield row
        for t, event in events:
            yield pvalue.TaggedOutput(t, event)


class ExtractEvents(beam.PTransform):
    """The article rows (``articles``), event rows per event type, and the dead letters (``failed``)
    of the articles whose events (stage ``extract``) or row (stage ``rows``) could not be built."""

    def __init__(self, summarizer: SummarizerConfig = SummarizerConfig()):
        super().__init__()
        self.summarizer = summarizer

    def display_data(self) -> dict:
        return config_display(summarizer=self.summarizer)

    def expand(self, analyzed: beam.PCollection[AnalyzedArticle]) -> dict[str, beam.PCollection]:
        result = analyzed | "Extract" >> beam.ParDo(_ExtractEventsFn(self.summarizer)).with_output_types(
            dict, **{t: dict for t in EVENT_TYPES}, **{FAILED_TAG: DeadLetter}).with_outputs(
            FAILED_TAG, *EVENT_TYPES, main="articles")
        return {"articles": result.articles, **{t: result[t] for t in EVENT_TYPES}, "failed": result[FAILED_TAG]}
