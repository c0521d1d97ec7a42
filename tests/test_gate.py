"""The gate: which sentences the encoder sees, and what the pipeline writes for the articles it
spares (analysis = gated) and for the event buried in a long off-topic article (selected)."""
import json

import pytest

from helpers import events, read, run_jsonl

from newsevents.extraction.analysis import event_rows
from newsevents.models.classifier import ClassifierHead
from newsevents.evaluation.corpus import corpus_path, read_jsonl
from newsevents.models.encoder import EncoderConfig, SentenceEncoder
from newsevents.evaluation.events import analyze_corpus
from newsevents.extraction.gate import GateConfig, select
from newsevents.models.summarize import SummarizerConfig
from newsevents.input.text import article_sentences

OFFTOPIC = [p["text"] for p in read_jsonl(corpus_path("offtopic_paragraphs"))]
WEATHER = " ".join(OFFTOPIC[:1] * 3)


def buried(row: dict, before: int = 4, after: int = 8) -> dict:
    """A held-out article in the middle of a long piece about other things."""
    pad = [OFFTOPIC[i % len(OFFTOPIC)] for i in range(before + after)]
    return {**row, "id": f"buried-{row['id']}", "text": "\n\n".join(pad[:before] + [row["text"]] + pad[before:])}


def test_an_article_where_no_sentence_meets_a_definition_gets_no_sentence():
    sentences, _ = article_sentences(WEATHER)
    assert len(sentences) > 5
    assert select(sentences) == []
    assert select(sentences, GateConfig(enabled=False)) == list(range(len(sentences)))
    # Trigger words everywhere, but look-alikes only: a defence lawyer, a tech summit, power tariffs.
    look_alikes = ["The defence lawyer told the jury that the evidence against the president of the club was thin.",
                   "The tech summit in Lisbon drew 40,000 developers and the president of a chip maker.",
                   "The regulator approved higher electricity tariffs for households from January."]
    assert select(sentences + look_alikes) == []
    # One sentence that reports an event, even without a strong trigger word, is read with the lead.
    report = "The two leaders agreed to expand joint naval exercises."
    chosen = select(sentences + [report])
    assert chosen[:2] == [0, 1] and len(sentences) in chosen


def test_the_event_sentences_and_the_lead_are_chosen_from_a_long_article():
    row = next(r for r in read_jsonl(corpus_path("heldout")) if r["id"] == "tar-006")
    sentences, _ = article_sentences(buried(row)["text"])
    event, _ = article_sentences(row["text"])
    chosen = select(sentences)
    assert chosen[:2] == [0, 1] and chosen == sorted(chosen)
    start = sentences.index(event[0])
    tariff = [start + i for i, s in enumerate(event) if "tariff" in s.lower() or "dut" in s.lower()]
    assert tariff and set(tariff) <= set(chosen)
    assert len(chosen) < len(sentences) // 2


def test_an_article_full_of_trigger_words_is_bounded():
    sentences = [f"Leaders met for summit number {i} and agreed on tariffs and defence spending." for i in range(300)]
    chosen = select(sentences, GateConfig(max_sentences=20))
    assert len(chosen) == 20 and chosen[:2] == [0, 1]


def test_gated_analysis_is_per_article_and_in_article_sentence_numbers():
    rows = [buried(r) for r in read_jsonl(corpus_path("heldout")) if r["id"] in ("tar-006", "def-007", "sum-007")]
    head, encoder = ClassifierHead.load(), SentenceEncoder(EncoderConfig())
    together = analyze_corpus(head, encoder, rows, gate=GateConfig())
    for row, a in zip(rows, together):
        (alone,) = analyze_corpus(head, encoder, [row], gate=GateConfig())
        assert alone.labels == a.labels and alone.summary_idx == a.summary_idx
        assert all(abs(alone.scores[t] - a.scores[t]) < 1e-5 for t in a.scores), "no dependence on batch mates"
        assert a.analysis == "selected" and a.labels == row["labels"]
        chosen = set(a.article.encode_idx)
        assert set(a.summary_idx) <= chosen and all(set(e) <= chosen for e in a.evidence.values())
        for t, event in event_rows(a, SummarizerConfig()):
            assert event["summary"] and all(s in a.article.sentences for s in event["evidence"])
            assert all(a.article.sentences.index(s) in chosen for s in event["evidence"])


@pytest.mark.slow
def test_the_pipeline_writes_gated_articles_and_finds_the_buried_event(tmp_path):
    heldout = {r["id"]: r for r in read_jsonl(corpus_path("heldout"))}
    rows = [{"id": "weather", "title": "Wet weekend ahead", "text": WEATHER},
            {"id": "short-weather", "text": OFFTOPIC[0]},
            buried(heldout["tar-006"]), buried(heldout["def-007"])]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    for gate, out in ((GateConfig(), tmp_path / "gated"), (GateConfig(enabled=False), tmp_path / "full")):
        run_jsonl(src, out, gate=gate)
        articles = {r["article_id"]: r for r in read(out, "articles").to_pylist()}
        assert set(articles) == {r["id"] for r in rows}
        assert read(out, "dead_letter").num_rows == 0
        found = {t: {r["article_id"] for r in tbl.to_pylist()} for t, tbl in events(out).items()}
        assert "buried-tar-006" in found["tariff"] and "buried-def-007" in found["defense_spending"]
        assert not (found["summit"] | found["tariff"] | found["defense_spending"]) & {"weather", "short-weather"}
        if gate.enabled:
            for i in ("weather", "short-weather"):
                assert articles[i]["analysis"] == "gated" and articles[i]["event_types"] == []
                assert articles[i]["score_tariff"] is None and articles[i]["summary"]
                assert articles[i]["summarizer_model"] == "lead"
            assert {articles[i]["analysis"] for i in ("buried-tar-006", "buried-def-007")} == {"selected"}
        else:
            assert {r["analysis"] for r in articles.values()} == {"full"}
