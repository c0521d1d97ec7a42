"""Inference throughput: the bare encoder vs the whole bounded pipeline on the same articles.

(a) the bare model encodes every sentence of N articles, at the best of several batch sizes;
(b) the bounded pipeline (JSON lines -> parse -> RunInference encoder -> classifier and
    summaries -> events -> Parquet) runs on the same N articles, DirectRunner, wall time;
(c) the same pipeline with --quantize (int8 ONNX Runtime, batches side by side).
Prints articles/s for each and the ratios. Targets: (b)/(a) >= 0.85, (c)/(b) >= 1.8.
The pipeline's fixed cost (start-up, model load, one file per partition) is measured with a
one-article run, and the steady rate is N / (wall - fixed); both rates are reported.

    python benchmarks/inference.py [--articles 1000] [--repeat 2]
"""
from __future__ import annotations

import argparse
import json
import logging
import tempfile
import time
from pathlib import Path

from newsevents.evaluation.corpus import corpus_path, read_jsonl
from newsevents.models.encoder import EncoderConfig, SentenceEncoder, release_shared_encoders
from newsevents.pipelines.config import RunConfig
from newsevents.pipelines.pipeline import run
from newsevents.pipelines.report import read_dataset
from newsevents.input.text import clean_article_text, split_sentences


def articles(n: int) -> list[dict]:
    base = read_jsonl(corpus_path("train")) + read_jsonl(corpus_path("heldout"))
    return [dict(base[i % len(base)], id=f"bench-{i}", url=None) for i in range(n)]


def bare_model(rows: list[dict], quantize: bool, batch_sizes=(16, 32, 64, 128)) -> dict:
    sentences = [s for r in rows for s in split_sentences(clean_article_text(r["text"]))]
    best = None
    for bs in batch_sizes:
        encoder = SentenceEncoder(EncoderConfig(batch_size=bs, quantize=quantize))
        encoder.encode(sentences[:64])  # warm-up
        t = time.perf_counter()
        encoder.encode(sentences)
        elapsed = time.perf_counter() - t
        if best is None or elapsed < best[1]:
            best = (bs, elapsed)
    return {"batch_size": best[0], "seconds": round(best[1], 2), "sentences": len(sentences),
            "articles_per_s": round(len(rows) / best[1], 1)}


def _timed_run(rows: list[dict], quantize: bool, workdir: Path, tag: str) -> float:
    src = workdir / f"in-{tag}-{quantize}.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    out = workdir / f"out-{tag}-{quantize}"
    release_shared_encoders()  # every timed run loads its model, as a fresh worker would
    t = time.perf_counter()
    run(RunConfig(output=str(out), source="jsonl", input=str(src), encoder=EncoderConfig(quantize=quantize)))
    elapsed = time.perf_counter() - t
    written = read_dataset(str(out), "articles").num_rows
    assert written == len(rows), f"pipeline wrote {written} of {len(rows)} articles"
    return elapsed


def pipeline(rows: list[dict], quantize: bool, workdir: Path, repeat: int) -> dict:
    fixed = _timed_run(rows[:1], quantize, workdir, "fixed")
    elapsed = min(_timed_run(rows, quantize, workdir, f"all{i}") for i in range(repeat))
    return {"seconds": round(elapsed, 2), "fixed_seconds": round(fixed, 2),
            "articles_per_s": round(len(rows) / elapsed, 1),
            "steady_articles_per_s": round(len(rows) / max(1e-9, elapsed - fixed), 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=2, help="best of this many runs of each (the machine is noisy)")
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    rows = articles(args.articles)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        bare = min((bare_model(rows, quantize=False) for _ in range(args.repeat)), key=lambda r: r["seconds"])
        fp32 = pipeline(rows, quantize=False, workdir=work, repeat=args.repeat)
        bare_q = min((bare_model(rows, quantize=True) for _ in range(args.repeat)), key=lambda r: r["seconds"])
        int8 = pipeline(rows, quantize=True, workdir=work, repeat=args.repeat)
    result = {
        "articles": args.articles, "bare_model_fp32": bare, "pipeline_fp32": fp32,
        "bare_model_int8": bare_q, "pipeline_int8": int8,
        "ratio_pipeline_to_bare_fp32": round(fp32["articles_per_s"] / bare["articles_per_s"], 3),
        "ratio_pipeline_to_bare_fp32_steady": round(fp32["steady_articles_per_s"] / bare["articles_per_s"], 3),
        "speedup_int8_pipeline": round(int8["articles_per_s"] / fp32["articles_per_s"], 3),
        "speedup_int8_pipeline_steady": round(int8["steady_articles_per_s"] / fp32["steady_articles_per_s"], 3),
        "targets": {"ratio_pipeline_to_bare_fp32": 0.85, "speedup_int8_pipeline": 1.8},
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
