"""``newsevents evaluate``: precision, recall and F1 per event type on labeled JSON lines, and the tables
that print them."""
from __future__ import annotations

import json

from newsevents.pipelines.commands.common import table as _table
from newsevents.pipelines.flags import abstractive_config, add_model_args, encoder_config, zero_shot_config


def add_parser(sub) -> None:
    evaluate = sub.add_parser("evaluate", help="precision, recall and F1 per event type on labeled JSON lines")
    evaluate.add_argument("--input", default=None, help="labeled JSON lines (default: the corpus held-out split)")
    evaluate.add_argument("--json", action="store_true", help="print only JSON")
    evaluate.add_argument("--pad-offtopic", action="store_true",
                          help="also score the articles padded with unrelated paragraphs (one before, two after)")
    add_model_args(evaluate)


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


def main(args, _beam_args) -> int:
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

