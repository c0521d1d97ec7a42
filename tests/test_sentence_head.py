"""The sentence head: deterministic training, save and load, per-sentence decisions, the corpus it
is trained on, and (with the real encoder) clear reports and look-alikes of each type."""
from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

import numpy as np
import pytest

from newsevents.evaluation.corpus import corpus_path, read_jsonl
from newsevents.models.sentence_head import (SentenceHead, default_corpus_dir, fit_sentence_head,
                                             load_sentence_corpus)

TYPES = ("summit", "tariff", "defense_spending")


def _clusters(seed: int = 1, per_label: int = 40, dims: int = 16):
    """Unit vectors around one centre per label (none included): a separable toy corpus."""
    rng = np.random.default_rng(seed)
    labels = [*TYPES, "none"]
    centres = rng.normal(size=(len(labels), dims))
    x, y = [], []
    for i, label in enumerate(labels):
        pts = centres[i] + 0.3 * rng.normal(size=(per_label, dims))
        x.append(pts / np.linalg.norm(pts, axis=1, keepdims=True))
        y += [label] * per_label
    return np.concatenate(x), y, centres


def test_training_is_deterministic_and_separates_the_types():
    x, y, _ = _clusters()
    a, report = fit_sentence_head(x, y, TYPES, "enc")
    b, _ = fit_sentence_head(x, y, TYPES, "enc")
    assert np.array_equal(a.weights, b.weights) and np.array_equal(a.bias, b.bias)
    assert np.array_equal(a.thresholds, b.thresholds)
    decided = a.decisions(x)
    for t in TYPES:
        assert decided[t].tolist() == [label == t for label in y]
        assert report[t]["sentences"] == 40 and report[t]["oof_f1"] > 0.9


def test_a_sentence_is_decided_alone_whatever_else_is_in_the_batch():
    x, y, _ = _clusters()
    head, _ = fit_sentence_head(x, y, TYPES, "enc")
    together = head.probabilities(x)
    alone = np.concatenate([head.probabilities(x[i:i + 1]) for i in range(len(x))])
    assert np.allclose(together, alone, rtol=0, atol=1e-12)
    assert head.probabilities(x[:0]).shape == (0, len(TYPES))


def test_save_and_load_give_the_same_decisions(tmp_path):
    x, y, _ = _clusters()
    head, _ = fit_sentence_head(x, y, TYPES, "enc")
    loaded = SentenceHead.load(head.save(tmp_path / "head.json"))
    assert loaded.types == TYPES and loaded.encoder_name == "enc"
    assert np.allclose(loaded.probabilities(x), head.probabilities(x), rtol=0, atol=1e-12)
    assert all(np.array_equal(loaded.reports(t, x), head.reports(t, x)) for t in TYPES)
    with pytest.raises(FileNotFoundError, match="train one"):
        SentenceHead.load(tmp_path / "missing.json")


def test_the_corpus_is_read_in_one_order_whatever_the_order_of_its_lines(tmp_path):
    rows = [{"text": f"sentence {i}", "label": "none", "kind": "offtopic"} for i in range(5)]
    for folder, order in (("a", rows), ("b", rows[::-1] + rows[:1])):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.jsonl").write_text("".join(json.dumps(r) + "\n" for r in order))
    assert load_sentence_corpus(tmp_path / "a") == load_sentence_corpus(tmp_path / "b") == rows


def test_the_corpus_has_a_thousand_sentences_per_type_with_briefs_and_look_alikes():
    rows = load_sentence_corpus()
    per_label = Counter(r["label"] for r in rows)
    assert all(per_label[t] >= 1000 for t in TYPES), per_label
    kinds = {label: Counter(r["kind"] for r in rows if r["label"] == label) for label in per_label}
    assert all(kinds[t]["brief"] >= 100 for t in TYPES)
    assert kinds["none"]["lookalike"] >= 500 and kinds["none"]["unreal"] >= 100
    # No sentence of the held-out split is trained on.
    heldout = {s.strip() for a in read_jsonl(corpus_path("heldout")) for e in a.get("events") or []
               for s in e.get("sentences") or []}
    assert not heldout & {r["text"] for r in rows}


@pytest.fixture(scope="module")
def encoder():
    from newsevents.models.encoder import EncoderConfig, SentenceEncoder
    return SentenceEncoder(EncoderConfig())


CLEAR = {
    "summit": ["The Kenyan president held talks with the Ghanaian president in Nairobi on Monday.",
               "Prime Minister Keir Starmer welcomed Chancellor Friedrich Merz to Downing Street for talks on defence."],
    "tariff": ["Ottawa slapped 25 per cent duties on Chinese electric vehicles on Tuesday.",
               "The European Union will impose anti-dumping duties on steel from Vietnam."],
    "defense_spending": ["Seoul's cabinet approved a 61 trillion won defence budget for next year.",
                         "Poland will spend 4.7% of GDP on its armed forces in 2026."],
}
LOOK_ALIKES = ["Hundreds of founders gathered in Lisbon for the annual web summit.",
               "The energy regulator approved a 9% rise in household electricity tariffs.",
               "The software company approved a budget of $2 billion for research next year.",
               "Heavy snow closed schools across the region on Monday."]


@pytest.mark.slow
def test_the_packaged_head_finds_clear_reports_and_rejects_look_alikes(encoder):
    head = SentenceHead.load()
    for t, sentences in CLEAR.items():
        decided = head.decisions(encoder.encode(sentences))
        assert decided[t].all(), (t, sentences)
        assert not any(decided[o].any() for o in TYPES if o != t), (t, sentences)
    decided = head.decisions(encoder.encode(LOOK_ALIKES))
    assert not any(decided[t].any() for t in TYPES), {t: decided[t].tolist() for t in TYPES}


@pytest.mark.slow
def test_newsevents_train_sentence_head_writes_a_head_that_loads(tmp_path):
    corpus = tmp_path / "sentences"
    corpus.mkdir()
    rows = [r for label in ("summit", "tariff", "defense_spending", "none")
            for r in read_jsonl(default_corpus_dir() / f"{label}.jsonl")[:25]]
    (corpus / "small.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = subprocess.run([sys.executable, "-m", "pipelines.cli", "train", "--sentence-head", "--input", str(corpus),
                          "--out", str(tmp_path / "head")], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    report = json.loads(out.stdout)
    assert set(report["types"]) == set(TYPES) and report["corpus"]["summit"]["report"] == 25
    head = SentenceHead.load(tmp_path / "head" / "sentence_head.json")
    assert head.types == TYPES


def test_a_head_is_used_only_with_the_encoder_it_was_trained_on():
    from newsevents.models.sentence_head import sentence_head_for
    head = SentenceHead.load()
    assert sentence_head_for(head.encoder_name) is not None
    assert sentence_head_for(head.encoder_name + "+int8") is not None  # the same model's int8 build
    assert sentence_head_for("some/other-model") is None


# One-sentence items of our own writing, as feeds deliver them, that the article-level classifier scores
# under its thresholds (0.06, 0.08 and 0.17 with the shipped head), with the parties a reader expects.
BRIEFS = [
    ({"id": "b-summit", "text": "The Kenyan president hosted his Ugandan counterpart at State House in Nairobi on "
      "Wednesday.", "published_at": "2026-03-05T09:00:00Z"}, "summit", {"KEN", "UGA"}),
    ({"id": "b-tariff", "text": "Ottawa hit Chinese steel with 25 percent duties on Friday.",
      "published_at": "2026-03-06T09:00:00Z"}, "tariff", {"CAN", "CHN"}),
    ({"id": "b-defence", "text": "Romania's parliament voted to raise the armed forces' budget to 2.5 percent of "
      "output next year.", "published_at": "2026-03-06T09:00:00Z"}, "defense_spending", {"ROU"}),
]


@pytest.mark.slow
def test_briefs_the_classifier_misses_are_labelled_by_the_sentence_head_through_the_pipeline(encoder, tmp_path):
    from newsevents.evaluation.events import analyze_corpus
    from newsevents.models.classifier import ClassifierHead

    from helpers import events, read, run_jsonl
    looks = [{"id": f"look-{i}", "text": s, "published_at": "2026-03-06T09:00:00Z"} for i, s in enumerate(LOOK_ALIKES)]
    rows = [a for a, _, _ in BRIEFS] + looks
    head = ClassifierHead.load()
    # Without the sentence head the article-level classifier leaves them unlabelled: what this test is about.
    alone = {a.article.article_id: a.labels for a in analyze_corpus(head, encoder, rows, use_sentence_head=False)}
    assert all(not alone[a["id"]] for a, _, _ in BRIEFS), alone
    src = tmp_path / "briefs.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "out"
    run_jsonl(src, out)
    articles = read(out, "articles")
    labels = dict(zip(articles.column("article_id").to_pylist(), articles.column("event_types").to_pylist()))
    for article, t, countries in BRIEFS:
        assert labels[article["id"]] == [t], (article["id"], labels[article["id"]])
    assert all(labels[r["id"]] == [] for r in looks), labels
    tables = events(out)
    for article, t, countries in BRIEFS:
        rows_of = [r for r in tables[t].to_pylist() if r["article_id"] == article["id"]]
        assert len(rows_of) == 1, (article["id"], rows_of)
        assert {rows_of[0]["actor1_country"], rows_of[0]["actor2_country"]} - {None} == countries, rows_of[0]
        assert rows_of[0]["evidence"] == [article["text"]]
    (summit,) = tables["summit"].to_pylist()
    assert set(summit["leader_countries"]) == {"KEN", "UGA"} and summit["host_city"] == "Nairobi"
