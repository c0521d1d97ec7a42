"""Sentence-level decisions on the held-out split: today's word-list definitions against the sentence head.

The held-out split annotates, for its newer articles, the exact sentences that report each event;
every other sentence of those articles is a negative for the type. Prints precision, recall and F1
per type for the word lists (``EventType.reports``), the sentence head and the two together, and
the sentence corpus's counts per label and kind.

    python benchmarks/sentence_decisions.py [--head PATH] [--train]

``--train`` fits a head on data/sentences first (minutes: the corpus is embedded) instead of
reading the packaged one.
"""
from __future__ import annotations

import argparse
import json

from newsevents.evaluation.corpus import heldout_rows
from newsevents.evaluation.sentences import compare_on_heldout, format_table
from newsevents.models.encoder import EncoderConfig, SentenceEncoder
from newsevents.models.sentence_head import SentenceHead, load_sentence_corpus, train_sentence_head


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--head", default=None, help="a sentence head file (default: the packaged one)")
    ap.add_argument("--train", action="store_true", help="train a head on data/sentences first")
    ap.add_argument("--encoder-model", default="default")
    args = ap.parse_args()
    encoder = SentenceEncoder(EncoderConfig(model=args.encoder_model))
    if args.train:
        head, report = train_sentence_head(encoder)
        print(json.dumps(report["types"], indent=1))
    else:
        head = SentenceHead.load(args.head)
    counts: dict[str, dict[str, int]] = {}
    for r in load_sentence_corpus():
        counts.setdefault(r["label"], {}).setdefault(r["kind"], 0)
        counts[r["label"]][r["kind"]] += 1
    for label, kinds in counts.items():
        print(f"corpus {label:<17} {sum(kinds.values()):>5}  " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    print(format_table(compare_on_heldout(head, encoder.encode, heldout_rows())))


if __name__ == "__main__":
    main()
