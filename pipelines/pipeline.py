"""The newsevents pipeline: read -> parse -> encode -> classify and summarize -> events -> Parquet."""
from __future__ import annotations

import dataclasses
import logging
import os

import apache_beam as beam
from apache_beam.options.pipeline_options import DirectOptions, PipelineOptions, StandardOptions

from newsevents import EVENT_TYPES
from newsevents.kafka.group_lease import streaming_lease
from newsevents.pipelines.beam_fixes import apply_local_runner_fixes
from newsevents.pipelines.config import RunConfig
from newsevents.pipelines.options import NewsEventsOptions  # also registers run's options with Beam
from newsevents.records import DeadLetter, SourceRecord
from newsevents.runtime.control import RunControl
from newsevents.transforms.analyze import ClassifyAndSummarize, ExtractEvents, SplitByLanguage
from newsevents.transforms.file_io import ReadJsonLines
from newsevents.transforms.inference import AbstractiveSummaries, EncodeArticles
from newsevents.transforms.kafka_io import ReadFromKafka
from newsevents.output.parquet_files import ParquetWriteConfig
from newsevents.transforms.parquet_io import WriteParquetDataset
from newsevents.transforms.parse import DEAD_LETTER_TAG, ParseArticles
from newsevents.output.rows import dead_letter_row

log = logging.getLogger(__name__)


class ReadSource(beam.PTransform):
    def __init__(self, config: RunConfig):
        super().__init__()
        self.config = config

    def expand(self, pbegin) -> beam.PCollection[SourceRecord]:
        if self.config.source == "kafka":
            return pbegin | "ReadFromKafka" >> ReadFromKafka(config=self.config.kafka)
        return pbegin | "ReadJsonLines" >> ReadJsonLines(self.config.input)


class WriteDeadLetters(beam.PTransform):
    """DeadLetters to rows of the ``dead_letter`` dataset, written."""

    def __init__(self, output: str, parquet: ParquetWriteConfig, control: RunControl = RunControl()):
        super().__init__()
        self.output, self.parquet, self.control = output, parquet, control

    def expand(self, dead: beam.PCollection[DeadLetter]) -> beam.pvalue.PDone:
        (dead
         | "Rows" >> beam.Map(dead_letter_row)
         | "Write" >> WriteParquetDataset(self.output, "dead_letter", self.parquet, control=self.control))
        return beam.pvalue.PDone(dead.pipeline)


class ExtractNewsEvents(beam.PTransform):
    """Raw records in; articles, events per type and dead letters written as Parquet datasets."""

    def __init__(self, config: RunConfig):
        super().__init__()
        self.config = config

    def expand(self, records: beam.PCollection[SourceRecord]) -> beam.pvalue.PDone:
        cfg = self.config
        parsed = records | "ParseArticles" >> ParseArticles(cfg.limits, cfg.control)
        # Every step after parsing hands the articles it fails on to the dead letters (with its
        # stage) instead of failing the bundle, which a streaming runner would retry forever.
        by_language = parsed.articles | "SplitByLanguage" >> SplitByLanguage(
            cfg.languages, cfg.gate if cfg.zero_shot is None else None)
        encoded = by_language["supported"] | "EncodeSentences" >> EncodeArticles(
            cfg.encoder, cfg.inference_batch_size, cfg.inference_min_batch_size)
        analyzed = encoded["encoded"] | "ClassifyAndSummarize" >> ClassifyAndSummarize(
            cfg.classifier_dir, cfg.summarizer, cfg.zero_shot, cfg.encoder)
        failures = {"Parse": parsed[DEAD_LETTER_TAG], "Encode": encoded["failed"], "Classify": analyzed["failed"]}
        if cfg.abstractive is not None:
            analyzed = analyzed["analyzed"] | "AbstractiveSummaries" >> AbstractiveSummaries(cfg.abstractive)
            failures["Summarize"] = analyzed["failed"]
        extracted = {"": analyzed["analyzed"] | "ExtractEvents" >> ExtractEvents(cfg.summarizer),
                     "OtherLanguages": by_language["other"] | "RowsOtherLanguages" >> ExtractEvents(cfg.summarizer)}
        for name, events in extracted.items():
            failures[f"Extract{name}"] = events["failed"]
            failures[f"WriteArticles{name}"] = events["articles"] | f"WriteArticles{name}" >> WriteParquetDataset(
                cfg.output, "articles", cfg.parquet, report_duplicates=True, control=cfg.control)
        for t in EVENT_TYPES:
            failures[f"Write_{t}"] = extracted[""][t] | f"Write_{t}" >> WriteParquetDataset(
                cfg.output, f"events/{t}", cfg.parquet, control=cfg.control)
        # No Flatten: the FnApiRunner (the local runner) materializes a Flatten of several inputs,
        # so everything after it would wait for the end of an unbounded read and a streaming run
        # would write nothing until stopped. Each source of dead letters has its own writer
        # instead (writers of one dataset run side by side anyway, one per worker).
        for name, dead in failures.items():
            dead | f"DeadLetters{name}" >> WriteDeadLetters(cfg.output, cfg.parquet, cfg.control)
        return beam.pvalue.PDone(records.pipeline)


def build(pipeline: beam.Pipeline, config: RunConfig) -> None:
    (pipeline
     | "ReadSource" >> ReadSource(config)
     | "ExtractNewsEvents" >> ExtractNewsEvents(config))


# The local runner. Beam's DirectRunner first tries Prism (a binary it downloads from GitHub) and
# falls back to the FnApiRunner when that fails, so which runner ran would depend on the network;
# the FnApiRunner is the one the tests run, so it is chosen outright.
LOCAL_RUNNER = "FnApiRunner"
_DIRECT_RUNNER_NAMES = ("direct", "directrunner", "switchingdirectrunner")


def pipeline_options(config: RunConfig, beam_args: list[str]) -> PipelineOptions:
    """Beam's options for a run: ``beam_args`` holds Beam's flags and may hold run's own
    (NewsEventsOptions); no runner or the DirectRunner means LOCAL_RUNNER."""
    return prepare_options(PipelineOptions(beam_args), config)


def prepare_options(options: PipelineOptions, config: RunConfig) -> PipelineOptions:
    """``options`` made ready for the runner (in place): the local runner chosen, streaming set for
    an unbounded read, and the consumer settings' values hidden from what runners show."""
    ours = options.view_as(NewsEventsOptions)
    if ours.consumer_config:  # runners show their options (Dataflow's job page): not the values
        # (the RunConfig, made before from the options, has them)
        ours.consumer_config = [pair.split("=", 1)[0] + "=<redacted>" for pair in ours.consumer_config]
    std = options.view_as(StandardOptions)
    if std.runner is None or std.runner.lower().rsplit(".", 1)[-1] in _DIRECT_RUNNER_NAMES:
        std.runner = LOCAL_RUNNER
    if config.source == "kafka" and config.kafka and not config.kafka.bounded:
        std.streaming = True
    return options


def threads_per_worker(config: RunConfig, options: PipelineOptions) -> RunConfig:
    """The config with the encoder's threads set to the cores each local worker process gets.

    With ``--direct_running_mode multi_processing`` every worker process loads its own encoder,
    and torch's default (a thread per core in each) oversubscribes the cores: two processes on
    two cores ran slower than one. An explicit ``num_threads`` is kept."""
    direct = options.view_as(DirectOptions)
    workers = (os.cpu_count() or 1) if direct.direct_num_workers == 0 else (direct.direct_num_workers or 1)
    if (runner_name(options) != LOCAL_RUNNER or direct.direct_running_mode != "multi_processing" or workers < 2
            or config.encoder.num_threads):
        return config
    threads = max(1, (os.cpu_count() or 1) // workers)
    return dataclasses.replace(config, encoder=dataclasses.replace(config.encoder, num_threads=threads))


def runner_name(options: PipelineOptions) -> str:
    return str(options.view_as(StandardOptions).runner).rsplit(".", 1)[-1]


def run(config: RunConfig, beam_args: list[str] | None = None, wait: bool = True,
        options: PipelineOptions | None = None):
    """Builds and runs the pipeline; returns the PipelineResult. ``options`` (from pipeline_options)
    replaces ``beam_args``; without ``wait``, returns once the runner has the job."""
    apply_local_runner_fixes()
    if options is None:
        options = pipeline_options(config, beam_args or [])
    name = runner_name(options)
    log.info("runner: %s%s", name, " (local, in this process)" if name == LOCAL_RUNNER else "")
    config = threads_per_worker(config, options)
    p = beam.Pipeline(options=options)
    build(p, config)
    lease = streaming_lease(config.kafka if config.source == "kafka" else None)
    if lease is not None:
        lease.acquire()  # refuses a second streaming run of the same group and topic
    try:
        result = p.run()
        if wait:
            result.wait_until_finish()
    finally:
        if lease is not None and wait:
            lease.release()
    return result
