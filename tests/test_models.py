"""Other Hugging Face models by path: zero-shot NLI labels and abstractive summaries, through the pipeline."""
import json
import subprocess
import sys

import pytest

from newsevents import EVENT_TYPES
from newsevents.models.abstractive import AbstractiveConfig
from newsevents.extraction.definitions import reported
from newsevents.input.text import article_sentences
from newsevents.models.zero_shot import ZeroShotClassifier, ZeroShotConfig, _entailment_columns

from helpers import events, payloads, read, run_jsonl
from tiny_models import build_nli, build_seq2seq


@pytest.fixture(scope="module")
def nli_dir(corpus, tmp_path_factory):
    return build_nli(corpus, tmp_path_factory.mktemp("models") / "tiny-nli")


@pytest.fixture(scope="module")
def seq2seq_dir(corpus, tmp_path_factory):
    return build_seq2seq(corpus, tmp_path_factory.mktemp("models") / "tiny-bart")


def _input(tmp_path, articles):
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join(payloads(articles)) + b"\n")
    return path


def test_entailment_column_comes_from_the_model_labels():
    assert _entailment_columns({0: "ENTAILMENT", 1: "NEUTRAL", 2: "CONTRADICTION"}) == (0, 2)
    assert _entailment_columns({"0": "contradiction", "1": "entailment"}) == (1, 0)
    with pytest.raises(ValueError, match="not an NLI model"):
        _entailment_columns({0: "positive", 1: "negative"})


@pytest.mark.slow
def test_zero_shot_labels_follow_the_entailment_threshold(nli_dir, corpus, tmp_path):
    articles = corpus[:5]
    classifier = ZeroShotClassifier(ZeroShotConfig(str(nli_dir)))
    sentences = ["Leaders met in Rome.", "Tariffs on steel were raised."]
    c = classifier.classify(sentences)
    for t, p in c.relevance.items():
        assert p.shape == (2,) and ((p >= 0) & (p <= 1)).all()
        assert c.scores[t] == pytest.approx(float(p.max()))

    everything = tmp_path / "all"
    run_jsonl(_input(tmp_path, articles), everything, zero_shot=ZeroShotConfig(str(nli_dir), threshold=0.0))
    # Every probability reaches a threshold of 0: every type is proposed, and an article keeps those
    # its sentences report as the definitions say (which yield an event row is the extraction's call).
    labelled = {r["article_id"]: sorted(r["event_types"]) for r in read(everything, "articles").to_pylist()}
    reports = {a["id"]: sorted(t for t in EVENT_TYPES if reported(t, article_sentences(a["text"])[0]))
               for a in articles}
    assert labelled == reports and all(set(a["labels"]) <= set(reports[a["id"]]) for a in articles)
    found = events(everything)
    assert set(found["summit"].column("article_id").to_pylist()) == {a["id"] for a in articles}
    for t, table in found.items():
        assert set(table.column("classifier_model").to_pylist()) <= {"zero-shot-nli(tiny-nli)"}, t
    nothing = tmp_path / "none"
    run_jsonl(_input(tmp_path, articles), nothing, zero_shot=ZeroShotConfig(str(nli_dir), threshold=1.01))
    assert all(t.num_rows == 0 for t in events(nothing).values())
    assert read(nothing, "articles").num_rows == len(articles)


@pytest.mark.slow
def test_abstractive_summaries_come_from_the_seq2seq_model(seq2seq_dir, corpus, tmp_path):
    articles = corpus[:4]
    out = tmp_path / "out"
    run_jsonl(_input(tmp_path, articles), out, abstractive=AbstractiveConfig(str(seq2seq_dir), max_new_tokens=12,
                                                                               num_beams=1))
    rows = read(out, "articles").to_pylist()
    vocab = set((seq2seq_dir / "vocab.txt").read_text().split())
    for r in rows:
        assert r["summarizer_model"] == "abstractive(tiny-bart)"
        assert r["summary"] and r["summary"] not in {a["text"] for a in articles}
        assert set(r["summary"].replace(" ##", "").split()) <= vocab | {"##"}  # generated from the model's vocabulary
    # Per-event summaries stay extractive: sentences of the article.
    for table in events(out).values():
        for r in table.to_pylist():
            source = next(a["text"] for a in articles if a["id"] == r["article_id"])
            assert r["evidence"][0] in source


@pytest.mark.slow
def test_cli_evaluate_and_errors_with_other_models(nli_dir, seq2seq_dir):
    def cli(*args):
        return subprocess.run([sys.executable, "-m", "newsevents.pipelines.cli", *args], capture_output=True,
                              text=True, timeout=300)
    proc = cli("evaluate", "--json", "--classifier-model", str(nli_dir), "--zero-shot",
               "--summarizer-model", str(seq2seq_dir), "--summary-max-tokens", "8")
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout)
    assert result["classifier"] == "zero-shot-nli(tiny-nli)"
    assert result["summaries"]["summarizer_name"] == "abstractive(tiny-bart)"
    proc = cli("evaluate", "--zero-shot")
    assert proc.returncode == 2 and "--zero-shot needs --classifier-model" in proc.stderr
    proc = cli("evaluate", "--zero-shot", "--classifier-model", "/no/such/model")
    assert proc.returncode == 2 and "cannot load an NLI model from '/no/such/model'" in proc.stderr
