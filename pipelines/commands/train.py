"""``newsevents train``: fit the classifier head on labeled JSON lines."""
from __future__ import annotations

import json


def add_parser(sub) -> None:
    train = sub.add_parser("train", help="fit the classifier head on labeled JSON lines")
    train.add_argument("--input", default=None, help="labeled JSON lines (default: the corpus training split)")
    train.add_argument("--out", required=True, help="directory for the trained head")
    train.add_argument("--encoder-model", default="default")
    train.add_argument("--sentence-head", action="store_true",
                       help="fit the sentence head on data/sentences (--input: another folder of JSON lines) instead")


def main(args, _beam_args) -> int:
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
