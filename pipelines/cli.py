"""The ``newsevents`` command line: run, produce, broker, demo, train, evaluate."""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import threading
import time
from typing import Iterable

from newsevents import __version__
from newsevents.pipelines.actor_command import add_actor_parser, cmd_actor
from newsevents.runtime.memory import use_system_allocator_for_arrow

# Before anything imports pyarrow: Arrow chooses its C++ allocator once, at import.
use_system_allocator_for_arrow()

log = logging.getLogger("newsevents")
# Exit status of a run that ended with Kafka records it did not read, or offsets it could not
# commit (the report says which): what it did read is written. 2 is a run that could not start.
EXIT_INCOMPLETE = 3

# Partitions are days from 1900 on (newsevents/input/validation.py): a wider window around one would
# leave the calendar that Python's dates can count.
MAX_LOOKBACK_DAYS = 693_595  # (date(1900, 1, 1) - date.min).days


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistake is one line (and where to look), not the usage text."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _at_least(minimum: int, maximum: int | None = None):
    """argparse type: a whole number in [minimum, maximum]."""
    def whole(value: str) -> int:
        n = int(value)
        if n < minimum:
            raise argparse.ArgumentTypeError(f"must be {minimum} or more, not {value}")
        if maximum is not None and n > maximum:
            raise argparse.ArgumentTypeError(f"must be {maximum} or less, not {value}")
        return n
    whole.__name__ = "int"  # argparse's "invalid int value: 'x'"
    return whole


_positive_int = _at_least(1)
_partitions = _at_least(1, 2 ** 31 - 1)  # Kafka's partition count is an int32


def _port(value: str) -> int:
    n = int(value)
    if not 0 < n < 65536:
        raise argparse.ArgumentTypeError(f"a TCP port is 1-65535, not {value}")
    return n


def _seconds_type(minimum_text: str, ok):
    """argparse type: seconds that ``ok`` accepts, and that a timer can wait (a longer wait, or
    inf, would raise OverflowError in the thread that waits, long after the start)."""
    def seconds(value: str) -> float:
        x = float(value)
        if not ok(x):  # also NaN
            raise argparse.ArgumentTypeError(f"takes seconds, {minimum_text}, not {value}")
        if x > threading.TIMEOUT_MAX:
            raise argparse.ArgumentTypeError(f"takes seconds, at most {threading.TIMEOUT_MAX:.0f}, not {value}")
        return x
    seconds.__name__ = "float"
    return seconds


_positive_seconds = _seconds_type("more than 0", lambda x: x > 0)
_seconds = _seconds_type("0 or more", lambda x: x >= 0)


def _probability(value: str) -> float:
    x = float(value)
    if not 0 <= x <= 1:  # also NaN
        raise argparse.ArgumentTypeError(f"is a probability, 0 to 1, not {value}")
    return x


_probability.__name__ = "float"


def _add_model_args(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("models")
    g.add_argument("--encoder-model", default="default",
                   help="sentence encoder: a local Hugging Face folder or cached name (default: packaged all-MiniLM-L6-v2)")
    g.add_argument("--classifier", default=None, metavar="MODEL_DIR",
                   help="trained classifier head from 'newsevents train' (default: the head shipped with the package)")
    g.add_argument("--classifier-model", metavar="PATH",
                   help="a Hugging Face NLI model (local folder or cache) for zero-shot labels, with --zero-shot")
    g.add_argument("--zero-shot", action="store_true", help="label with --classifier-model instead of the head")
    g.add_argument("--zero-shot-threshold", type=_probability, default=0.5, help="entailment probability for a label")
    g.add_argument("--summarizer-model", metavar="PATH",
                   help="a Hugging Face seq2seq model (BART, T5...) for abstractive article summaries")
    g.add_argument("--summary-max-tokens", type=_positive_int, default=80, help="tokens an abstractive summary may have")
    g.add_argument("--summarizer-prefix", default="", help="text put before the article, e.g. 'summarize: ' for T5")
    g.add_argument("--quantize", action="store_true", help="dynamic int8 quantization of the encoder on CPU")
    g.add_argument("--encoder-batch-size", type=_positive_int, default=None,
                   help="sentences per encoder forward pass (default: 64 fp32, 32 with --quantize)")
    g.add_argument("--max-seq-length", type=_positive_int, default=128,
                   help="tokens per sentence, at most the encoder's own maximum (longer sentences are cut)")
    g.add_argument("--summary-sentences", type=_positive_int, default=3, help="sentences in an article summary")


def _add_kafka_args(p: argparse.ArgumentParser, consumer: bool = True) -> None:
    g = p.add_argument_group("kafka")
    g.add_argument("--bootstrap-servers", help="HOST:PORT[,HOST:PORT...]")
    g.add_argument("--topic", action="append", help="topic to read (repeatable)")
    if consumer:
        g.add_argument("--start", default="earliest",
                       help="earliest | latest | committed | ISO-8601 time (default: earliest)")
        g.add_argument("--streaming", action="store_true", help="read without end until stopped")
        g.add_argument("--max-records", type=_positive_int, help="stop after this many records")
        g.add_argument("--max-read-time", type=_positive_seconds, metavar="SECONDS",
                       help="stop after reading this long")
        g.add_argument("--stop-read-time", metavar="ISO_TIME", help="stop at records produced at or after this time")
        g.add_argument("--group-id", default="newsevents", help="consumer group for committed offsets")
        g.add_argument("--no-commit", action="store_true", help="do not commit offsets to the consumer group")
        g.add_argument("--broker-timeout", type=_seconds, metavar="SECONDS",
                       help="how long a read waits for a broker gone mid-read before it stops and exits 3 "
                            "(default: 30 bounded; a streaming read waits until the broker is back; 0: wait)")
    g.add_argument("--consumer-config" if consumer else "--producer-config", action="append", default=[],
                   metavar="KEY=VALUE", help="any kafka-python client setting, e.g. security_protocol=SASL_SSL")


def add_run_args(p: argparse.ArgumentParser, required: bool = True) -> None:
    """The options of ``newsevents run``; also those of NewsEventsOptions, Beam's view of them."""
    p.add_argument("--source", choices=["kafka", "jsonl"], required=required, help="where articles come from "
                   "(required)")
    p.add_argument("--input", help="JSON-lines file or glob (with --source jsonl)")
    p.add_argument("--output", required=required, help="output directory (local path or filesystem URI; required)")
    p.add_argument("--progress-interval", type=_seconds, default=5.0, metavar="SECONDS",
                   help="progress line every N seconds (in place on a terminal; 0 turns it off)")
    p.add_argument("--languages", default="en", metavar="CODES",
                   help="comma-separated ISO 639-1 languages to analyse (default: en); articles in other "
                        "languages are kept in 'articles' without events")
    p.add_argument("--no-gate", action="store_true",
                   help="encode every sentence of every article (default: the gate chooses the sentences that "
                        "can carry an event, and an article without any is kept with analysis=gated)")
    p.add_argument("--detach", action="store_true",
                   help="return once the runner has the job, without waiting for it or printing the report "
                        "(what the Dataflow Flex Template does)")
    _add_kafka_args(p)
    _add_model_args(p)
    _add_file_args(p)


def _add_file_args(p: argparse.ArgumentParser) -> None:
    from newsevents.output.parquet_files import ParquetWriteConfig
    default = ParquetWriteConfig()
    g = p.add_argument_group("output files")
    g.add_argument("--compression", default=default.compression, choices=["zstd", "snappy", "gzip", "lz4", "none"],
                   help=f"Parquet compression codec (default: {default.compression})")
    g.add_argument("--compact-interval", type=_seconds, default=default.compact_interval_s, metavar="SECONDS",
                   help="how often the writers merge the small files of the partitions they wrote to "
                        f"(default: {default.compact_interval_s:g}; 0: never, run 'newsevents compact' instead)")
    g.add_argument("--compact-min-files", type=_at_least(2), default=default.compact_min_files, metavar="N",
                   help=f"merge a partition's small files once it has this many (default: {default.compact_min_files})")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="newsevents", description=__doc__)
    parser.add_argument("--version", action="version", version=f"newsevents {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    # No abbreviations: like Beam's, every option is matched by its full name (a Flex Template
    # parameter too), so that a misspelling is reported instead of guessed.
    run = sub.add_parser("run", allow_abbrev=False,
                         help="run the pipeline (Beam's options are accepted too, e.g. --runner)",
                         epilog="Beam's pipeline options (--runner, --direct_num_workers, --project, ...) are "
                                "accepted too; anything neither newsevents nor Beam knows is an error. On/off "
                                "options also take =true or =false, as a Dataflow Flex Template passes them.")
    add_run_args(run, required=False)  # checked after unknown options (parse_args): "--ouput" first

    produce = sub.add_parser("produce", help="publish a JSON-lines file to a Kafka topic, one message per line")
    produce.add_argument("--input", required=True)
    produce.add_argument("--partitions", type=_partitions, default=3,
                         help="partitions if the topic must be created")
    _add_kafka_args(produce, consumer=False)

    broker = sub.add_parser("broker", help="run the embedded Kafka-compatible broker in the foreground")
    broker.add_argument("--port", type=_port, default=9092)
    broker.add_argument("--topic", action="append", default=[], help="topic to create (repeatable)")
    broker.add_argument("--partitions", type=_partitions, default=3)

    demo = sub.add_parser("demo", help="embedded broker + sample articles + pipeline + report")
    demo.add_argument("--output", default="output")
    demo.add_argument("--topic", default="articles")
    demo.add_argument("--partitions", type=_partitions, default=3)

    train = sub.add_parser("train", help="fit the classifier head on labeled JSON lines")
    train.add_argument("--input", default=None, help="labeled JSON lines (default: the corpus training split)")
    train.add_argument("--out", required=True, help="directory for the trained head")
    train.add_argument("--encoder-model", default="default")
    train.add_argument("--sentence-head", action="store_true",
                       help="fit the sentence head on data/sentences (--input: another folder of JSON lines) instead")

    compact = sub.add_parser("compact", help="merge the small Parquet files of each partition (safe while running)")
    compact.add_argument("output", metavar="DIR", help="output directory of 'newsevents run'")
    compact.add_argument("--min-files", type=_at_least(2), default=2, help="compact partitions with at least this many files")

    consolidate = sub.add_parser("consolidate", allow_abbrev=False,
                                 help="syndicated copies and stories (one event, many articles): "
                                      "a batch Beam pipeline over the new partitions (Beam's options are "
                                      "accepted too, e.g. --runner)")
    consolidate.add_argument("output", metavar="DIR", help="output directory of 'newsevents run'")
    consolidate.add_argument("--lookback-days", type=_at_least(0, MAX_LOOKBACK_DAYS), default=3,
                             help="days around a new partition that are reconsidered (late articles)")

    show = sub.add_parser("show", help="counts per type and day, top countries and participants, latest events")
    show.add_argument("output", metavar="DIR", help="output directory of 'newsevents run'")
    show.add_argument("--latest", type=_at_least(0), default=5, help="latest events to list")
    show.add_argument("--top", type=_positive_int, default=10, help="rows in the top-N tables")

    plot = sub.add_parser("plot", help="PNG: timeline of events per type per day, and the countries involved")
    plot.add_argument("output", metavar="DIR", help="output directory of 'newsevents run'")
    plot.add_argument("--out", required=True, metavar="FILE.png",
                      help="the image file (.png unless another extension matplotlib knows: .svg, .pdf)")
    plot.add_argument("--top", type=_positive_int, default=15, help="countries in the bar chart")
    plot.add_argument("--stories", action="store_true", help="the top stories per type (articles and sources) instead")

    evaluate = sub.add_parser("evaluate", help="precision, recall and F1 per event type on labeled JSON lines")
    evaluate.add_argument("--input", default=None, help="labeled JSON lines (default: the corpus held-out split)")
    evaluate.add_argument("--json", action="store_true", help="print only JSON")
    evaluate.add_argument("--pad-offtopic", action="store_true",
                          help="also score the articles padded with unrelated paragraphs (one before, two after)")
    _add_model_args(evaluate)
    add_actor_parser(sub)
    parser.commands = sub.choices  # name -> subparser, for parse_args
    return parser


def _topics(args) -> tuple[str, ...]:
    return tuple(t for arg in (args.topic or []) for t in arg.split(",") if t)


def zero_shot_config(args):
    from newsevents.models.zero_shot import ZeroShotConfig
    if args.zero_shot and not args.classifier_model:
        raise ValueError("--zero-shot needs --classifier-model PATH (a Hugging Face NLI model)")
    if args.classifier_model and not args.zero_shot:
        raise ValueError("--classifier-model is the NLI model of --zero-shot; add --zero-shot "
                         "(a trained head is passed with --classifier MODEL_DIR)")
    return ZeroShotConfig(args.classifier_model, threshold=args.zero_shot_threshold) if args.zero_shot else None


def abstractive_config(args):
    from newsevents.models.abstractive import AbstractiveConfig
    from newsevents.models.encoder import model_max_length
    if not args.summarizer_model:
        return None
    limit = model_max_length(args.summarizer_model, "a seq2seq model")
    if limit is not None and args.summary_max_tokens > limit:  # positions the decoder has
        raise ValueError(f"--summary-max-tokens {args.summary_max_tokens}: the summarizer "
                         f"{args.summarizer_model} writes at most {limit} tokens")
    return AbstractiveConfig(args.summarizer_model, max_new_tokens=args.summary_max_tokens,
                             prefix=args.summarizer_prefix)


def _checked_client_config(config: dict, client: type, flag: str) -> dict:
    """kafka-python would stop at an unknown setting or a value of the wrong type only once the
    pipeline runs, with a traceback (the producer after a two-minute timeout)."""
    import difflib
    defaults = client.DEFAULT_CONFIG
    for key, value in config.items():
        if key not in defaults:
            close = difflib.get_close_matches(key, defaults, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise ValueError(f"unknown {flag} key {key!r}{hint}: the keys are kafka-python's "
                             f"{client.__name__} settings")
        default, number = defaults[key], isinstance(value, (int, float)) and not isinstance(value, bool)
        if key == "acks":
            ok, expected = value in (0, 1, -1, "all") and not isinstance(value, bool), "0, 1, -1 or all"
        elif isinstance(default, bool):
            ok, expected = isinstance(value, bool), "true or false"
        elif isinstance(default, int):
            ok, expected = number and isinstance(value, int), "a whole number"
        elif isinstance(default, float):
            ok, expected = number, "a number"
        else:
            ok, expected = True, ""
        if not ok:
            raise ValueError(f"{flag} {key} takes {expected}, not {value!r}")
    return config


def _kafka_only(args) -> None:
    """Kafka's options given with a file source would be ignored without a word. (A Kafka run
    with --input is left alone: a Flex Template passes every parameter it was given.)"""
    kafka = [("--bootstrap-servers", args.bootstrap_servers), ("--topic", args.topic),
             ("--max-records", args.max_records), ("--max-read-time", args.max_read_time),
             ("--stop-read-time", args.stop_read_time), ("--consumer-config", args.consumer_config),
             ("--streaming", args.streaming), ("--no-commit", args.no_commit),
             ("--broker-timeout", args.broker_timeout)]
    if args.source == "jsonl":
        given = [flag for flag, value in kafka if value]
        if given:
            raise ValueError(f"{', '.join(given)}: only with --source kafka (this run reads {args.input or 'a file'})")


def encoder_config(args, quantize: bool):
    """The encoder of run and evaluate; --max-seq-length is checked against the model's own maximum
    here, before any work, as the workers would fail every sentence longer than that."""
    from newsevents.models.encoder import EncoderConfig, model_display_name, model_max_length, resolve_model_path
    limit = model_max_length(args.encoder_model)
    if limit is not None and args.max_seq_length > limit:
        raise ValueError(f"--max-seq-length {args.max_seq_length}: the encoder "
                         f"{model_display_name(resolve_model_path(args.encoder_model))} reads at most {limit} "
                         f"tokens per sentence")
    return EncoderConfig(model=args.encoder_model, batch_size=args.encoder_batch_size or 0,
                         max_length=args.max_seq_length, quantize=quantize)


def run_config_from_args(args):
    from newsevents.extraction.gate import GateConfig
    from newsevents.kafka.client import parse_config_pairs
    from newsevents.pipelines.config import RunConfig
    from newsevents.models.summarize import SummarizerConfig
    from newsevents.transforms.kafka_io import KafkaReadConfig

    _kafka_only(args)
    kafka = None
    if args.source == "kafka":
        from kafka import KafkaConsumer
        if not args.bootstrap_servers or not _topics(args):
            raise ValueError("--source kafka needs --bootstrap-servers and --topic")
        kafka = KafkaReadConfig(
            bootstrap_servers=args.bootstrap_servers, topics=_topics(args), start=args.start,
            bounded=not args.streaming, max_records=args.max_records, max_read_time_s=args.max_read_time,
            stop_read_time=args.stop_read_time, group_id=args.group_id, commit_offsets=not args.no_commit,
            broker_timeout_s=args.broker_timeout,
            consumer_config=tuple(sorted(_checked_client_config(parse_config_pairs(args.consumer_config),
                                                                KafkaConsumer, "--consumer-config").items())))
    return RunConfig(
        output=args.output, source=args.source, input=args.input, kafka=kafka,
        zero_shot=zero_shot_config(args), abstractive=abstractive_config(args),
        encoder=encoder_config(args, args.quantize),
        classifier_dir=args.classifier, summarizer=SummarizerConfig(max_sentences=args.summary_sentences),
        languages=_languages(args.languages), gate=GateConfig(enabled=not args.no_gate),
        parquet=parquet_config(args))


def parquet_config(args):
    from newsevents.output.parquet_files import ParquetWriteConfig
    return ParquetWriteConfig(compression=args.compression, compact_interval_s=args.compact_interval,
                              compact_min_files=args.compact_min_files)


def _languages(value: str) -> tuple[str, ...]:
    codes = tuple(sorted({c.strip().lower() for c in value.split(",") if c.strip()}))
    import pycountry
    bad = [c for c in codes if not (len(c) == 2 and c.isalpha() and pycountry.languages.get(alpha_2=c))]
    if not codes or bad:
        raise ValueError(f"--languages takes ISO 639-1 codes such as en,fr; got {value!r}"
                         + (f" ({', '.join(bad)}: no such language)" if codes and bad else ""))
    return codes


def _check_input(pattern: str) -> None:
    """Every local file the input names must be a readable file (Beam would fail on it mid-run)."""
    import glob
    if "://" in pattern:
        return
    paths = glob.glob(pattern)
    if not paths:
        raise FileNotFoundError(f"no input file matches {pattern!r}")
    for path in paths:
        if os.path.isdir(path):
            raise ValueError(f"input {path!r} is a directory: give a file or a glob such as "
                             f"{os.path.join(path, '*.jsonl')!r}")
        try:
            open(path, "rb").close()
        except OSError as exc:
            raise ValueError(f"cannot read input file {path!r}: {exc.strerror or exc}") from None


def preflight(config) -> None:
    """Checks what can be checked before Beam starts, so a mistake is one readable line."""
    from newsevents.transforms.kafka_io import plan_partition_reads
    if config.source == "jsonl":
        _check_input(config.input)
    else:
        for topic in config.kafka.topics:
            plan_partition_reads(config.kafka, topic)
    check_output(config.output)


def check_output(root: str) -> None:
    """An object store that cannot be reached (or a URI pyarrow cannot open) fails here, in one line,
    rather than in the first bundle."""
    from newsevents.output.parquet_files import filesystem_for, path_type
    fs, base = filesystem_for(root)
    path_type(fs, base)


def _install_stop_handlers() -> None:
    """First SIGINT/SIGTERM: stop reading, write what was read, commit its offsets, exit 0. Second: exit now."""
    import signal

    from newsevents.transforms.kafka_io import request_stop, stop_requested

    def handler(signum, _frame):
        if stop_requested():
            print(f"\nnewsevents: second {signal.Signals(signum).name}, exiting without finishing", file=sys.stderr)
            os._exit(130)
        log.warning("%s received: finishing the current bundle, committing offsets, then exiting "
                    "(send it again to exit at once)", signal.Signals(signum).name)
        request_stop()

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)


def cmd_run(args, beam_args) -> int:
    from newsevents.pipelines.pipeline import pipeline_options, run, runner_name
    from newsevents.pipelines.report import format_report, kafka_incomplete, run_counts, summarize_output
    from newsevents.runtime.progress import ProgressReporter

    config = run_config_from_args(args)
    preflight(config)
    options = pipeline_options(config, beam_args)
    _install_stop_handlers()
    started = time.monotonic()
    log.info("running %s -> %s%s", config.source, config.output,
             " (streaming: SIGINT or SIGTERM stops it gracefully)" if args.streaming and not args.detach else "")
    # Detached, the job runs elsewhere (or is over when run() returns): there is no progress to watch here.
    watch = args.progress_interval > 0 and not args.detach
    reporter = ProgressReporter(args.progress_interval) if watch else None
    if reporter:
        reporter.start()
    try:
        result = run(config, options=options, wait=not args.detach)
    finally:
        if reporter:
            reporter.stop()
    if args.detach:
        job_id = result.job_id() if callable(getattr(result, "job_id", None)) else None
        print(f"submitted to {runner_name(options)}{f' as job {job_id}' if job_id else ''}: {result.state}")
        return 0
    print(format_report(summarize_output(config.output), None, time.monotonic() - started,
                        runner=runner_name(options), this_run=run_counts(result, config.source)))
    undone = kafka_incomplete(result, config.kafka) if config.source == "kafka" else []
    for line in undone:
        print(f"newsevents run: {line}", file=sys.stderr)
    return EXIT_INCOMPLETE if undone else 0


def cmd_compact(args, _beam_args) -> int:
    from newsevents.pipelines.compact import compact
    results = compact(_existing_output(args.output), min_files=args.min_files)
    if not results:
        print(f"nothing to compact in {args.output}")
        return 0
    print(_table([[r.dataset, r.partition, r.files_before, r.rows_before, r.rows_after] for r in results],
                 ["dataset", "partition", "files merged", "rows in", "rows out"]))
    return 0


def cmd_consolidate(args, beam_args) -> int:
    from newsevents.output.consolidation import ConsolidateConfig, story_counts
    from newsevents.pipelines.consolidate import consolidate
    from newsevents.transforms.stories import StoriesConfig
    root = _existing_output(args.output)
    result = consolidate(root, StoriesConfig(consolidate=ConsolidateConfig(lookback_days=args.lookback_days)),
                         beam_args=beam_args)
    if not result.new_partitions:
        print(f"nothing new to consolidate in {args.output}")
        return 0
    counts = story_counts(root)
    print(f"consolidated {result.new_partitions} new partitions ({result.reloaded_partitions} reloaded, "
          f"{result.outside_partitions} read for the stories overlapping them) in "
          f"{result.seconds:.1f} s: {result.rewritten_partitions} partitions rewritten, stories: "
          + ", ".join(f"{t}={n}" for t, n in counts.items()))
    return 0


def cmd_produce(args, _beam_args) -> int:
    from newsevents.kafka.client import create_topic, jsonl_payloads, parse_config_pairs, produce_lines
    topics = _topics(args)
    if not args.bootstrap_servers or len(topics) != 1:
        raise ValueError("produce needs --bootstrap-servers and exactly one --topic")
    from kafka import KafkaProducer
    extra = _checked_client_config(parse_config_pairs(args.producer_config), KafkaProducer, "--producer-config")
    if create_topic(args.bootstrap_servers, topics[0], args.partitions):
        log.info("created topic %s with %d partitions", topics[0], args.partitions)
    n = produce_lines(args.bootstrap_servers, topics[0], jsonl_payloads(args.input), extra=extra)
    print(f"published {n} messages from {args.input} to {topics[0]} on {args.bootstrap_servers}")
    return 0


def cmd_broker(args, _beam_args) -> int:
    import signal

    from newsevents.kafka.broker import BrokerError, EmbeddedBroker
    from newsevents.kafka.client import create_topic

    def stop(signum, _frame):
        raise KeyboardInterrupt(signal.Signals(signum).name)

    # Python's default SIGTERM/SIGHUP end the process without unwinding, which would leave the
    # broker (in its own session) running and holding the port.
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, stop)
    try:
        with EmbeddedBroker(port=args.port, die_with_parent=True) as broker:
            for t in args.topic:
                create_topic(broker.bootstrap_servers, t, args.partitions)
            print(f"embedded broker (memory storage) on {broker.bootstrap_servers}; topics: {args.topic or 'none'}; "
                  f"Ctrl-C or SIGTERM stops it", flush=True)
            code = broker.process.wait()
            raise BrokerError(f"the embedded broker exited on its own with code {code}")
    except KeyboardInterrupt:
        print("embedded broker stopped", file=sys.stderr, flush=True)
    return 0


def cmd_demo(args, beam_args) -> int:
    from newsevents.pipelines.demo import run_demo
    return run_demo(args.output, args.topic, args.partitions, beam_args)


def cmd_train(args, _beam_args) -> int:
    from newsevents.evaluation.corpus import corpus_path, read_jsonl
    from newsevents.models.encoder import EncoderConfig, SentenceEncoder
    from newsevents.models.training import train
    if args.sentence_head:
        from newsevents.models.sentence_head import train_command
        print(json.dumps(train_command(args.encoder_model, args.out, args.input), indent=2))
        return 0
    path = args.input or str(corpus_path("train"))
    encoder = SentenceEncoder(EncoderConfig(model=args.encoder_model))
    head, report = train(encoder, read_jsonl(path))
    out = head.save(args.out)
    print(json.dumps({"trained_on": path, "out": str(out), "encoder": encoder.name, "types": report}, indent=2))
    return 0


def _table(rows, headers) -> str:
    from tabulate import tabulate
    return tabulate(rows, headers=headers, tablefmt="simple_outline")


def format_evaluation(result: dict) -> str:
    """The human-readable part of ``newsevents evaluate``."""
    scored = lambda name, s: [name, f"{s['precision']:.3f}", f"{s['recall']:.3f}", f"{s['f1']:.3f}",  # noqa: E731
                              s["support"]]
    headers = ["", "precision", "recall", "F1", "support"]
    rows = [scored(t, s) for t, s in result["per_type"].items()] + [["macro", "", "", f"{result['macro_f1']:.3f}", ""]]
    out = [f"classifier {result['classifier']} on {result['input']} ({result['articles']} articles, "
           f"encoder {result['encoder']})", _table(rows, headers),
           f"hard-negative false positives: {len(result['hard_negative_false_positives'])}"]
    if "fields" in result:
        f = result["fields"]
        rows = [scored(k, s) for k, s in f["per_field"].items()] + [scored("micro", f["micro"])]
        out += ["", "event fields (a missed event misses all of its fields)", _table(rows, headers)]
    if "events" in result:
        out += ["", *format_event_report(result["events"])]
    from newsevents.evaluation.events import format_event_details  # actors, fields, briefs, short and long
    out += format_event_details(result, _table)
    if "padded_offtopic" in result:
        padded = result["padded_offtopic"]
        out += ["", f"padded with unrelated paragraphs: macro-F1 {padded['macro_f1']:.3f} "
                f"(hard-negative false positives: {len(padded['hard_negative_false_positives'])})"]
    if "gate" in result:
        g = result["gate"]
        out += ["", f"gate: macro-F1 {g['macro_f1_gated']:.3f} against {g['macro_f1_full']:.3f} encoding every "
                f"sentence (loss {g['macro_f1_loss']:+.3f}), event recall {g['event_recall_gated']:.3f} against "
                f"{g['event_recall_full']:.3f}; encoded {g['sentences_encoded']} of {g['sentences']} sentences; "
                f"articles {', '.join(f'{k}={v}' for k, v in g['analysis'].items())}; labels changed in "
                f"{len(g['changed'])}"]
    if "quantization_cost" in result:
        q = result["quantization_cost"]
        out += ["", "quantization cost (int8 vs fp32 on the same articles): " +
                ", ".join(f"{k}={v}" for k, v in q.items())]
    if "summaries" in result:
        s = result["summaries"]
        rows = [[name, s[name]["rouge1"], s[name]["rouge2"], s[name]["rougeL"]] for name in ("summarizer", "lead3")]
        out += ["", f"summaries vs reference ({s['articles']} articles, ROUGE F1): {s['summarizer_name']}",
                _table(rows, ["", "ROUGE-1", "ROUGE-2", "ROUGE-L"])]
    return "\n".join(out)


def format_event_report(events: dict) -> list[str]:
    """Event-level scores: per type, and the accuracy of attributes on matched pairs."""
    from newsevents import EVENT_TYPES
    rows = [[t, f"{s['precision']:.3f}", f"{s['recall']:.3f}", f"{s['f1']:.3f}", s["support"], s["predicted"]]
            for t, s in events["per_type"].items()] + [["macro", "", "", f"{events['macro_f1']:.3f}", "", ""]]

    def cell(a: dict) -> str:
        return "n/a" if a["accuracy"] == "n/a" else f"{a['accuracy']:.3f} ({a['scored']})"
    attributes = [[name, *(cell(a["per_type"][t]) if t in a["per_type"] else "" for t in EVENT_TYPES), cell(a)]
                  for name, a in events["attributes"].items()]
    return [f"events ({events['articles']} articles; predicted rows matched one-to-one to annotated events "
            "by type plus participants, countries, place or date)",
            _table(rows, ["", "precision", "recall", "F1", "annotated", "predicted"]),
            "accuracy on matched events (scored pairs; n/a: the rows have no such column)",
            _table(attributes, ["", *EVENT_TYPES, "all"])]


def cmd_evaluate(args, _beam_args) -> int:
    from newsevents.models.abstractive import Seq2SeqSummarizer
    from newsevents.models.classifier import ClassifierHead
    from newsevents.evaluation.corpus import corpus_path, read_jsonl
    from newsevents.models.encoder import SentenceEncoder
    from newsevents.evaluation.events import evaluate, quantization_cost
    from newsevents.models.summarize import SummarizerConfig
    from newsevents.models.zero_shot import ZeroShotClassifier
    path = args.input or str(corpus_path("heldout"))
    rows = read_jsonl(path)
    zs, ab = zero_shot_config(args), abstractive_config(args)
    models = {"zero_shot": ZeroShotClassifier(zs) if zs else None, "abstractive": Seq2SeqSummarizer(ab) if ab else None}
    summarizer = SummarizerConfig(max_sentences=args.summary_sentences)
    head = None if zs else ClassifierHead.load(args.classifier)

    def encoder(quantize):
        return SentenceEncoder(encoder_config(args, quantize))

    result = evaluate(head, encoder(args.quantize), rows, summarizer, **models)
    if args.pad_offtopic:  # decisions must rest on the evidence, not on its share of the article
        from newsevents.evaluation.events import pad_with_offtopic
        padded = evaluate(head, encoder(args.quantize), pad_with_offtopic(rows), summarizer, **models)
        result["padded_offtopic"] = {k: padded[k] for k in ("macro_f1", "per_type", "hard_negative_false_positives")}
    if head is not None:  # what the gate costs against encoding every sentence (docs/evaluation.md, "The first look")
        from newsevents.evaluation.events import gate_report
        result["gate"] = gate_report(head, encoder(args.quantize), rows, summarizer)
    if args.quantize:  # the accuracy cost of int8, measured on the same articles
        reference = evaluate(head, encoder(False), rows, summarizer, **models)
        result["quantization_cost"] = quantization_cost(reference, result)
    result["input"] = path
    # Stories: pairwise precision and recall of story assignment on the annotated story set.
    from newsevents.evaluation.stories import story_report
    if head is not None:
        result["stories"] = story_report(head, encoder(args.quantize), read_jsonl(corpus_path("stories")))
    if not args.json:
        print(format_evaluation(result))
    print(json.dumps(result, indent=None if not args.json else 2, default=str))
    return 0


def _existing_output(path: str) -> str:
    from pyarrow import fs as pafs

    from newsevents.output.parquet_files import filesystem_for, path_type
    fs, base = filesystem_for(path)
    if path_type(fs, base) != pafs.FileType.Directory:
        raise FileNotFoundError(f"no output directory at {path!r} (run 'newsevents run' or 'newsevents demo' first)")
    return path


def cmd_show(args, _beam_args) -> int:
    from newsevents.pipelines.show import show
    print(show(_existing_output(args.output), latest=args.latest, top=args.top))
    return 0


def cmd_plot(args, _beam_args) -> int:
    from newsevents.pipelines.show import plot, plot_stories
    draw = plot_stories if args.stories else plot
    if os.path.isdir(args.out):
        raise ValueError(f"--out {args.out!r} is a directory: give a file name such as "
                         f"{os.path.join(args.out, 'events.png')!r}")
    out = args.out if os.path.splitext(args.out)[1] else args.out + ".png"  # what matplotlib would write
    width, height = draw(_existing_output(args.output), out, top=args.top)
    print(f"wrote {out} ({width}x{height} px)")
    return 0


COMMANDS = {"show": cmd_show, "plot": cmd_plot, "run": cmd_run, "produce": cmd_produce, "broker": cmd_broker, "demo": cmd_demo,
            "train": cmd_train, "evaluate": cmd_evaluate, "compact": cmd_compact,
            "consolidate": cmd_consolidate}
COMMANDS["actor"] = cmd_actor


def _user_error(exc: BaseException) -> str | None:
    """The one-line message of an error the user can fix, also when Beam has wrapped it."""
    from newsevents.kafka.broker import BrokerError
    from newsevents.kafka.client import KafkaSourceError
    from newsevents.output.parquet_files import OutputReadError, OutputWriteError
    seen = exc
    while seen is not None:
        if isinstance(seen, (KafkaSourceError, OutputWriteError, OutputReadError, BrokerError, ValueError,
                             FileNotFoundError)):
            return str(seen).split("\n")[0].split(" [while running")[0]
        seen = seen.__cause__ or seen.__context__
    text = str(exc)
    for marker in ("OutputWriteError: ", "OutputReadError: ", "KafkaSourceError: "):
        if marker in text:
            return text.split(marker, 1)[1].split("\n")[0].split(" [while running")[0]
    return None


def unrecognized(rest: list[str], known: Iterable[str]) -> str:
    """The message for options nobody knows, with the nearest known option."""
    import difflib
    flags = [a.split("=", 1)[0] for a in rest if a.startswith("--")]
    close = difflib.get_close_matches(flags[0], sorted(k for k in known if k.startswith("--")), n=1) if flags else []
    return f"unrecognized arguments: {' '.join(rest)}" + (f" (did you mean {close[0]}?)" if close else "")


def parse_args(parser: argparse.ArgumentParser, argv: list[str]):
    """``(args, beam_args)``. For run, demo and consolidate the rest of the command line must be
    Beam's options (else: one line and exit 2); on/off options also take ``=true`` / ``=false``.
    The beam_args of run are its whole command line: Beam knows run's options too (NewsEventsOptions)."""
    command = next((a for a in argv if not a.startswith("-")), None)
    if command not in ("run", "demo", "consolidate"):
        args, rest = parser.parse_known_args(argv)
        if rest:
            sub = parser.commands.get(args.command, parser)
            sub.error(unrecognized(rest, (s for a in sub._actions for s in a.option_strings)))
        return args, rest
    from newsevents.pipelines.options import (UsageError, beam_parser, check_known, normalize_switches,
                                              take_beam_options)
    sub, beam = parser.commands[command], beam_parser()
    try:
        argv = normalize_switches(argv, [sub, beam])
        if command == "consolidate":  # Beam's options and their values first, so DIR may come after them
            at = argv.index(command) + 1
            rest, beam_args = take_beam_options(argv[at:], beam)
            args, unknown = parser.parse_known_args(argv[:at] + rest)
            check_known(unknown, beam, [sub])
            return args, beam_args
        args, rest = parser.parse_known_args(argv)
        check_known(rest, beam, [sub])
        missing = [flag for flag in ("--source", "--output")
                   if command == "run" and getattr(args, flag[2:]) is None]
        if missing:
            raise UsageError(f"the following arguments are required: {', '.join(missing)}")
    except UsageError as exc:
        sub.exit(2, f"newsevents {command}: error: {exc}\n")
    return args, argv[argv.index(command) + 1:] if command == "run" else rest


def _configure_logging(verbose: bool) -> None:
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    for noisy in ("kafka", "apache_beam", "transformers", "urllib3", "root"):
        logging.getLogger(noisy).setLevel(logging.DEBUG if verbose else logging.ERROR)
    # "root" above is the root logger (Beam warns through it at import): ours must not inherit its level.
    logging.getLogger("newsevents").setLevel(logging.DEBUG if verbose else logging.INFO)
    if not verbose:
        # kafka-python logs every reconnect attempt (the source logs one clear line instead), and Beam
        # logs a failing bundle's traceback before raising it: main() prints the one-line cause.
        logging.getLogger("kafka").propagate = False
        logging.getLogger("apache_beam").setLevel(logging.CRITICAL)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    # Logging is set up before parsing: checking run's options imports Beam, which logs at import.
    before_command = argv[:next((i for i, a in enumerate(argv) if not a.startswith("-")), len(argv))]
    _configure_logging(verbose="-v" in before_command or "--verbose" in before_command)
    args, beam_args = parse_args(parser, argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        return COMMANDS[args.command](args, beam_args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # "newsevents show out | head": the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nor fail flushing at exit
        return 141  # 128 + SIGPIPE, as a shell reports a command the pipe stopped
    except Exception as exc:  # noqa: BLE001 - one readable line for what the user can fix
        message = _user_error(exc)
        if message is None:
            raise
        if args.verbose:  # the traceback too, but the exit status of an error the user can fix
            import traceback
            traceback.print_exc()
        print(f"newsevents {args.command}: error: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
