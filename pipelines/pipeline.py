"""The newsevents pipeline: read -> parse -> encode -> classify and summarize -> events -> Parquet."""
from __future__ import annotations

import logging

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions

from newsevents import EVENT_TYPES
from newsevents.pipelines.beam_fixes import eager_fnapi_metrics
from newsevents.pipelines.config import RunConfig
from newsevents.records import SourceRecord
from newsevents.transforms.analyze import ClassifyAndSummarize, ExtractEvents
from newsevents.transforms.file_io import ReadJsonLines
from newsevents.transforms.inference import AbstractiveSummaries, EncodeArticles
from newsevents.transforms.kafka_io import ReadFromKafka
from newsevents.transforms.parquet_io import WriteParquetDataset
from newsevents.transforms.parse import DEAD_LETTER_TAG, ParseArticles
from newsevents.transforms.rows import article_row, dead_letter_row

log = logging.getLogger(__name__)


class ReadSource(beam.PTransform):
    def __init__(self, config: RunConfig):
        super().__init__()
        self.config = config

    def expand(self, pbegin) -> beam.PCollection[SourceRecord]:
        if self.config.source == "kafka":
            return pbegin | "ReadFromKafka" >> ReadFromKafka(self.config.kafka)
        return pbegin | "ReadJsonLines" >> ReadJsonLines(self.config.input)


class ExtractNewsEvents(beam.PTransform):
    """Raw records in; articles, events per type and dead letters written as Parquet datasets."""

    def __init__(self, config: RunConfig):
        super().__init__()
        self.config = config

    def expand(self, records: beam.PCollection[SourceRecord]) -> beam.pvalue.PDone:
        cfg = self.config
        parsed = records | "ParseArticles" >> ParseArticles(cfg.limits)
        analyzed = (parsed.articles
                    | "EncodeSentences" >> EncodeArticles(cfg.encoder, cfg.inference_batch_size,
                                                                        cfg.inference_min_batch_size)
                    | "ClassifyAndSummarize" >> ClassifyAndSummarize(cfg.classifier_dir, cfg.summarizer, cfg.zero_shot,
                                                                              cfg.encoder))
        if cfg.abstractive is not None:
            analyzed = analyzed | "AbstractiveSummaries" >> AbstractiveSummaries(cfg.abstractive)
        events = analyzed | "ExtractEvents" >> ExtractEvents(cfg.summarizer)

        (analyzed
         | "ArticleRows" >> beam.Map(article_row)
         | "WriteArticles" >> WriteParquetDataset(cfg.output, "articles", cfg.parquet))
        for t in EVENT_TYPES:
            events[t] | f"Write_{t}" >> WriteParquetDataset(cfg.output, f"events/{t}", cfg.parquet)
        (parsed[DEAD_LETTER_TAG]
         | "DeadLetterRows" >> beam.Map(dead_letter_row)
         | "WriteDeadLetters" >> WriteParquetDataset(cfg.output, "dead_letter", cfg.parquet))
        return beam.pvalue.PDone(records.pipeline)


def build(pipeline: beam.Pipeline, config: RunConfig) -> None:
    (pipeline
     | "ReadSource" >> ReadSource(config)
     | "ExtractNewsEvents" >> ExtractNewsEvents(config))


def pipeline_options(config: RunConfig, beam_args: list[str]) -> PipelineOptions:
    options = PipelineOptions(beam_args)
    std = options.view_as(StandardOptions)
    if std.runner is None:
        std.runner = "DirectRunner"
    if config.source == "kafka" and config.kafka and not config.kafka.bounded:
        std.streaming = True
    return options


def run(config: RunConfig, beam_args: list[str] | None = None, wait: bool = True):
    """Builds and runs the pipeline; returns the PipelineResult."""
    eager_fnapi_metrics()
    options = pipeline_options(config, beam_args or [])
    p = beam.Pipeline(options=options)
    build(p, config)
    result = p.run()
    if wait:
        result.wait_until_finish()
    return result
