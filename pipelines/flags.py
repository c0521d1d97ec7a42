"""The flags of newsevents' commands and the checks of their values, defined once.

NewsEventsOptions (pipelines/options.py) adds the run's flags to Beam's parser from here, and the
command line (pipelines/cli.py, pipelines/commands/) to its subcommands: this module imports
nothing of either."""
from __future__ import annotations

import argparse
import threading

# Partitions are days from 1900 on (newsevents/input/validation.py): a wider window around one would
# leave the calendar that Python's dates can count.
MAX_LOOKBACK_DAYS = 693_595  # (date(1900, 1, 1) - date.min).days


def at_least(minimum: int, maximum: int | None = None):
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


positive_int = at_least(1)
partitions = at_least(1, 2 ** 31 - 1)  # Kafka's partition count is an int32


def port(value: str) -> int:
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


positive_seconds = _seconds_type("more than 0", lambda x: x > 0)
seconds = _seconds_type("0 or more", lambda x: x >= 0)


def probability(value: str) -> float:
    x = float(value)
    if not 0 <= x <= 1:  # also NaN
        raise argparse.ArgumentTypeError(f"is a probability, 0 to 1, not {value}")
    return x


probability.__name__ = "float"


def add_model_args(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("models")
    g.add_argument("--encoder-model", default="default",
                   help="sentence encoder: a local Hugging Face folder or cached name (default: packaged all-MiniLM-L6-v2)")
    g.add_argument("--classifier", default=None, metavar="MODEL_DIR",
                   help="trained classifier head from 'newsevents train' (default: the head shipped with the package)")
    g.add_argument("--classifier-model", metavar="PATH",
                   help="a Hugging Face NLI model (local folder or cache) for zero-shot labels, with --zero-shot")
    g.add_argument("--zero-shot", action="store_true", help="label with --classifier-model instead of the head")
    g.add_argument("--zero-shot-threshold", type=probability, default=0.5, help="entailment probability for a label")
    g.add_argument("--summarizer-model", metavar="PATH",
                   help="a Hugging Face seq2seq model (BART, T5...) for abstractive article summaries")
    g.add_argument("--summary-max-tokens", type=positive_int, default=80, help="tokens an abstractive summary may have")
    g.add_argument("--summarizer-prefix", default="", help="text put before the article, e.g. 'summarize: ' for T5")
    g.add_argument("--quantize", action="store_true", help="dynamic int8 quantization of the encoder on CPU")
    g.add_argument("--encoder-batch-size", type=positive_int, default=None,
                   help="sentences per encoder forward pass (default: 64 fp32, 32 with --quantize)")
    g.add_argument("--max-seq-length", type=positive_int, default=128,
                   help="tokens per sentence, at most the encoder's own maximum (longer sentences are cut)")
    g.add_argument("--summary-sentences", type=positive_int, default=3, help="sentences in an article summary")


def add_kafka_args(p: argparse.ArgumentParser, consumer: bool = True) -> None:
    g = p.add_argument_group("kafka")
    g.add_argument("--bootstrap-servers", help="HOST:PORT[,HOST:PORT...]")
    g.add_argument("--topic", action="append", help="topic to read (repeatable)")
    if consumer:
        g.add_argument("--start", default="earliest",
                       help="earliest | latest | committed | ISO-8601 time (default: earliest)")
        g.add_argument("--streaming", action="store_true", help="read without end until stopped")
        g.add_argument("--max-records", type=positive_int, help="stop after this many records")
        g.add_argument("--max-read-time", type=positive_seconds, metavar="SECONDS",
                       help="stop after reading this long")
        g.add_argument("--stop-read-time", metavar="ISO_TIME", help="stop at records produced at or after this time")
        g.add_argument("--group-id", default="newsevents", help="consumer group for committed offsets")
        g.add_argument("--no-commit", action="store_true", help="do not commit offsets to the consumer group")
        g.add_argument("--broker-timeout", type=seconds, metavar="SECONDS",
                       help="how long a read waits for a broker gone mid-read before it stops and exits 3 "
                            "(default: 30 bounded; a streaming read waits until the broker is back; 0: wait)")
    g.add_argument("--consumer-config" if consumer else "--producer-config", action="append", default=[],
                   metavar="KEY=VALUE", help="any kafka-python client setting, e.g. security_protocol=SASL_SSL")


def add_run_args(p: argparse.ArgumentParser, required: bool = True) -> None:
    """The options of ``newsevents run``, which are NewsEventsOptions, Beam's view of them."""
    p.add_argument("--source", choices=["kafka", "jsonl"], required=required, help="where articles come from "
                   "(required)")
    p.add_argument("--input", help="JSON-lines file or glob (with --source jsonl)")
    p.add_argument("--output", required=required, help="output directory (local path or filesystem URI; required)")
    p.add_argument("--progress-interval", type=seconds, default=5.0, metavar="SECONDS",
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
    add_kafka_args(p)
    add_model_args(p)
    add_file_args(p)


def add_file_args(p: argparse.ArgumentParser) -> None:
    from newsevents.output.parquet_files import ParquetWriteConfig
    default = ParquetWriteConfig()
    g = p.add_argument_group("output files")
    g.add_argument("--compression", default=default.compression, choices=["zstd", "snappy", "gzip", "lz4", "none"],
                   help=f"Parquet compression codec (default: {default.compression})")
    g.add_argument("--compact-interval", type=seconds, default=default.compact_interval_s, metavar="SECONDS",
                   help="how often the writers merge the small files of the partitions they wrote to "
                        f"(default: {default.compact_interval_s:g}; 0: never, run 'newsevents compact' instead)")
    g.add_argument("--compact-min-files", type=at_least(2), default=default.compact_min_files, metavar="N",
                   help=f"merge a partition's small files once it has this many (default: {default.compact_min_files})")


# --- values only the models can judge: checked before any work, for run and evaluate alike ----------
# (``o``: the run's NewsEventsOptions or evaluate's arguments, which have the same model flags)

def encoder_config(o, quantize: bool):
    """The encoder of run and evaluate; --max-seq-length is checked against the model's own maximum
    here, before any work, as the workers would fail every sentence longer than that."""
    from newsevents.models.encoder import EncoderConfig, model_display_name, model_max_length, resolve_model_path
    limit = model_max_length(o.encoder_model)
    if limit is not None and o.max_seq_length > limit:
        raise ValueError(f"--max-seq-length {o.max_seq_length}: the encoder "
                         f"{model_display_name(resolve_model_path(o.encoder_model))} reads at most {limit} "
                         f"tokens per sentence")
    return EncoderConfig(model=o.encoder_model, batch_size=o.encoder_batch_size or 0,
                         max_length=o.max_seq_length, quantize=quantize)


def zero_shot_config(o):
    from newsevents.models.zero_shot import ZeroShotConfig
    if o.zero_shot and not o.classifier_model:
        raise ValueError("--zero-shot needs --classifier-model PATH (a Hugging Face NLI model)")
    if o.classifier_model and not o.zero_shot:
        raise ValueError("--classifier-model is the NLI model of --zero-shot; add --zero-shot "
                         "(a trained head is passed with --classifier MODEL_DIR)")
    return ZeroShotConfig(o.classifier_model, threshold=o.zero_shot_threshold) if o.zero_shot else None


def abstractive_config(o):
    from newsevents.models.abstractive import AbstractiveConfig
    from newsevents.models.encoder import model_max_length
    if not o.summarizer_model:
        return None
    limit = model_max_length(o.summarizer_model, "a seq2seq model")
    if limit is not None and o.summary_max_tokens > limit:  # positions the decoder has
        raise ValueError(f"--summary-max-tokens {o.summary_max_tokens}: the summarizer "
                         f"{o.summarizer_model} writes at most {limit} tokens")
    return AbstractiveConfig(o.summarizer_model, max_new_tokens=o.summary_max_tokens, prefix=o.summarizer_prefix)


def languages(value: str) -> tuple[str, ...]:
    codes = tuple(sorted({c.strip().lower() for c in value.split(",") if c.strip()}))
    import pycountry
    bad = [c for c in codes if not (len(c) == 2 and c.isalpha() and pycountry.languages.get(alpha_2=c))]
    if not codes or bad:
        raise ValueError(f"--languages takes ISO 639-1 codes such as en,fr; got {value!r}"
                         + (f" ({', '.join(bad)}: no such language)" if codes and bad else ""))
    return codes
