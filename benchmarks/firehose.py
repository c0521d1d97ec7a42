"""The news firehose on one small machine: the gated pipeline against encoding every sentence.

A generated feed (benchmarks/firehose_feed.py: 600-1,500-word articles, about 90% off topic
across many sections with look-alikes, 10% carrying events) goes through
(a) the bounded pipeline (JSON lines -> parse -> gate -> encoder -> classifier -> events -> Parquet);
(b) the bare encoder on every sentence of the same feed (today's design without the gate);
(c) the bare encoder on just the sentences the pipeline's gate chose.
It prints articles/s, sentences encoded per article, the ratios, the gate's accuracy cost on the
feed's labelled articles (``evaluation.gate_report``), and the peak RSS of the process.
Targets: (a) >= 15 articles/s, (a)/(b) >= 5, macro-F1 loss <= 0.005.
(a) includes the pipeline's fixed cost (imports done on first use, Beam's start, loading the model
and the other one-time tables), which (b) and (c) do not; so the run also measures that cost, the
same pipeline on two of the feed's articles in a fresh process in (a)'s state, and reports the
sustained rate, (a) without it, next to the whole-run figures.
``--lengths`` measures seconds per article against length instead (docs/benchmarks.md, "Cost against length").

    python benchmarks/firehose.py [--articles 300] [--quantize] [--write-feed FEED.jsonl]
    python benchmarks/firehose.py --lengths
"""
from __future__ import annotations

import argparse
import json
import logging
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from firehose_feed import SECTIONS, _pad_to, feed  # noqa: E402

from newsevents.models.classifier import ClassifierHead  # noqa: E402
from newsevents.evaluation.corpus import heldout_rows, read_jsonl  # noqa: E402
from newsevents.models.encoder import EncoderConfig, SentenceEncoder, release_shared_encoders  # noqa: E402
from newsevents.evaluation.events import gate_report  # noqa: E402
from newsevents.extraction.gate import GateConfig, choose  # noqa: E402
from newsevents.pipelines.config import RunConfig  # noqa: E402
from newsevents.pipelines.pipeline import run  # noqa: E402
from newsevents.pipelines.report import read_dataset  # noqa: E402
from newsevents.records import SourceRecord  # noqa: E402
from newsevents.input.validation import InputLimits, parse_article  # noqa: E402


def peak_rss_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def parsed(rows: list[dict]):
    return [parse_article(SourceRecord(value=json.dumps(r).encode(), input_file="<feed>", input_line=i + 1),
                          InputLimits()) for i, r in enumerate(rows)]


def pipeline(rows: list[dict], workdir: Path, encoder: EncoderConfig, gate: GateConfig, tag: str) -> dict:
    src, out = workdir / f"{tag}.jsonl", workdir / f"out-{tag}"
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    release_shared_encoders()  # every timed run loads its model, as a fresh worker would
    t = time.perf_counter()
    run(RunConfig(output=str(out), source="jsonl", input=str(src), encoder=encoder, gate=gate))
    elapsed = time.perf_counter() - t
    articles = read_dataset(str(out), "articles").to_pandas()
    assert len(articles) == len(rows), f"pipeline wrote {len(articles)} of {len(rows)} articles"
    return {"seconds": round(elapsed, 2), "articles_per_s": round(len(rows) / elapsed, 2),
            "analysis": articles["analysis"].value_counts().to_dict(),
            "articles_with_events": int((articles["event_types"].map(len) > 0).sum())}


# Articles of the start-cost run: one with an event (every step, and every one-time load, runs) and one without.
START_ARTICLES = 2


def start_rows(rows: list[dict]) -> list[dict]:
    return [next(r for r in rows if r["labels"]), next(r for r in rows if not r["labels"])]


def start_cost(rows: list[dict], workdir: Path, quantize: bool) -> dict:
    """The pipeline's fixed cost: ``pipeline`` on START_ARTICLES of the feed in a fresh process that
    has imported what this one had before (a) (this module's imports), as (a) ran; in this process
    the libraries (a) imported and loaded would make it cheaper than it is."""
    src = workdir / "start-feed.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in start_rows(rows)) + "\n")
    cmd = [sys.executable, __file__, "--start-cost-of", str(src)] + (["--quantize"] if quantize else [])
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"the start-cost run failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.splitlines()[-1])


def bare(encoder: SentenceEncoder, groups: list[list[str]], n_articles: int) -> dict:
    sentences = [s for g in groups for s in g]
    t = time.perf_counter()
    encoder.encode(sentences)
    elapsed = time.perf_counter() - t
    return {"seconds": round(elapsed, 2), "sentences": len(sentences),
            "sentences_per_article": round(len(sentences) / n_articles, 2),
            "articles_per_s": round(n_articles / max(elapsed, 1e-9), 2)}


def firehose(args) -> dict:
    rows = list(feed(args.articles))
    if args.write_feed:
        Path(args.write_feed).write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    config, gate = EncoderConfig(quantize=args.quantize), GateConfig()
    with tempfile.TemporaryDirectory() as tmp:
        start = start_cost(rows, Path(tmp), args.quantize)
        gated = pipeline(rows, Path(tmp), config, gate, "gated")
    sustained = round((len(rows) - START_ARTICLES) / max(gated["seconds"] - start["seconds"], 1e-9), 2)
    articles = parsed(rows)
    encoder = SentenceEncoder(config)
    encoder.encode([s for a in articles[:4] for s in a.sentences][:64])  # warm-up
    every = bare(encoder, [a.sentences for a in articles], len(rows))
    chosen = bare(encoder, [choose(a, gate).encoder_input for a in articles], len(rows))
    words = [len(r["text"].split()) for r in rows]
    result = {
        "articles": len(rows), "words_per_article": round(sum(words) / len(words)),
        "on_topic": sum(1 for r in rows if r["labels"]), "encoder": encoder.name,
        "a_pipeline": gated, "b_bare_every_sentence": every, "c_bare_chosen_sentences": chosen,
        "ratio_a_to_b": round(gated["articles_per_s"] / every["articles_per_s"], 2),
        "ratio_c_to_b": round(chosen["articles_per_s"] / every["articles_per_s"], 2),
        "ratio_a_to_c": round(gated["articles_per_s"] / chosen["articles_per_s"], 2),
        # (a) without its fixed cost: (articles - START_ARTICLES) / (a's seconds - the start run's)
        "a_start_cost": {"seconds": start["seconds"], "articles": START_ARTICLES},
        "a_sustained_articles_per_s": sustained,
        "ratio_a_sustained_to_b": round(sustained / every["articles_per_s"], 2),
    }
    labelled = [r for r in rows if r["labels"] or "hard_negative" in r["tags"]]
    if not args.skip_recall:
        report = gate_report(ClassifierHead.load(), encoder, labelled)
        result["gate_on_labelled_articles"] = {k: v for k, v in report.items() if k != "changed"}
        result["gate_on_labelled_articles"]["changed"] = report["changed"][:20]
    result["peak_rss_mib"] = peak_rss_mib()
    result["targets"] = {"a_pipeline.articles_per_s": 15, "ratio_a_to_b": 5, "macro_f1_loss": 0.005}
    return result


def lengths(args) -> dict:
    """Seconds per article against length, parse to analysis (no Beam): an off-topic article's cost
    stays flat, an on-topic one's grows at most linearly (the gate encodes the event's sentences
    and the trigger sentences around them, at most ``GateConfig.max_sentences``)."""
    from newsevents.extraction.analysis import analyze, unanalyzed
    from newsevents.records import EncodedArticle
    from newsevents.models.summarize import SummarizerConfig

    rng = random.Random(7)
    events = [r for r in heldout_rows(first_only=True) if r.get("labels") and "long" not in r.get("tags", [])]
    encoder, head = SentenceEncoder(EncoderConfig(quantize=args.quantize)), ClassifierHead.load()
    encoder.encode(["A warm-up sentence for the encoder."] * 8)
    out = {}
    for words in (250, 500, 1000, 2000, 5000):
        per = {}
        for kind in ("off_topic", "on_topic"):
            rows = []
            for i in range(args.length_articles):
                lead = [events[i % len(events)]["text"]] if kind == "on_topic" else []
                have = sum(len(p.split()) for p in lead)
                text = "\n\n".join(lead + _pad_to(words, list(SECTIONS), rng, have))
                rows.append({"id": f"len-{kind}-{words}-{i}", "title": "A long read", "text": text})
            t = time.perf_counter()
            articles = [choose(a) for a in parsed(rows)]
            for a, e in zip(articles, encoder.encode_groups([a.encoder_input for a in articles])):
                if a.encode_idx == []:
                    unanalyzed(a, analysis="gated")
                else:
                    analyze(EncodedArticle(a, e, encoder.name), head, SummarizerConfig())
            elapsed = time.perf_counter() - t
            per[kind] = {"ms_per_article": round(1000 * elapsed / len(rows), 1),
                         "sentences": round(sum(len(a.sentences) for a in articles) / len(rows), 1),
                         "sentences_encoded": round(sum(len(a.encoder_input) for a in articles) / len(rows), 1)}
        out[str(words)] = per
    return {"encoder": encoder.name, "articles_per_point": args.length_articles, "by_words": out,
            "peak_rss_mib": peak_rss_mib()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=300, help="articles in the feed (the machine is shared)")
    ap.add_argument("--quantize", action="store_true", help="int8 encoder in the pipeline and the bare runs")
    ap.add_argument("--write-feed", metavar="PATH", help="also write the feed (with labels) as JSON lines, e.g. "
                    "for 'newsevents evaluate --input PATH'")
    ap.add_argument("--skip-recall", action="store_true", help="do not measure the gate's accuracy cost")
    ap.add_argument("--lengths", action="store_true", help="seconds per article against length instead")
    ap.add_argument("--length-articles", type=int, default=20, help="articles per length and kind (--lengths)")
    ap.add_argument("--start-cost-of", metavar="FEED", help=argparse.SUPPRESS)  # start_cost's fresh process
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.start_cost_of:
        rows = read_jsonl(args.start_cost_of)
        with tempfile.TemporaryDirectory() as tmp:
            print(json.dumps(pipeline(rows, Path(tmp), EncoderConfig(quantize=args.quantize), GateConfig(), "start")))
        return
    print(json.dumps(lengths(args) if args.lengths else firehose(args), indent=2))


if __name__ == "__main__":
    main()
