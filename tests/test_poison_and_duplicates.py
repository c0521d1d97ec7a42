"""No poison pill, no silent loss: a failure at any step and every copy of an article end up
accounted for, through the real broker, the real pipeline and the Parquet read back."""
import json

import pytest

from newsevents.kafka.client import producer
from newsevents.transforms import analyze as analyze_module
from newsevents.extraction import analysis as analysis_module
from newsevents.models.encoder import SentenceEncoder

from helpers import events, payloads, publish, read, run_kafka


def _send(broker, topic, messages_by_partition):
    p = producer(broker.bootstrap_servers)
    try:
        futures = [p.send(topic, value=m, partition=part) for part, ms in messages_by_partition.items() for m in ms]
        p.flush()
        for f in futures:
            f.get(timeout=30)
    finally:
        p.close()


def _accounted(output):
    """Kafka coordinates of every row of articles and dead_letter, with the dataset each is in."""
    rows = []
    for name in ("articles", "dead_letter"):
        for r in read(output, name).select(["kafka_partition", "kafka_offset"]).to_pylist():
            rows.append(((r["kafka_partition"], r["kafka_offset"]), name))
    return rows


@pytest.mark.slow
def test_lone_surrogates_are_repaired_and_the_article_is_processed(broker, topic, corpus, tmp_path):
    """A JSON-escaped lone surrogate used to crash the tokenizer (text) or the writer (title) on
    every restart: the article is now processed, the repair noted in input_warnings."""
    base = next(a for a in corpus if a["id"] == "sum-001")
    text = json.dumps(base["text"])[1:-1]
    messages = [
        ('{"id": "surrogate-text", "text": "%s \\ud800 End."}' % text).encode(),
        ('{"id": "surrogate-title", "title": "Leaders \\udc00 meet", "text": "%s"}' % text).encode(),
    ]
    publish(broker, topic, messages + payloads([a for a in corpus if a["id"] == "tar-001"]))
    run_kafka(broker, topic, tmp_path / "out")
    articles = {r["article_id"]: r for r in read(tmp_path / "out", "articles").to_pylist()}
    assert set(articles) == {"surrogate-text", "surrogate-title", "tar-001"}
    assert articles["surrogate-text"]["input_warnings"] == ["text: 1 lone surrogate(s) replaced by U+FFFD"]
    assert articles["surrogate-title"]["title"] == "Leaders \ufffd meet"
    assert articles["tar-001"]["input_warnings"] is None
    assert "summit" in articles["surrogate-text"]["event_types"]
    assert read(tmp_path / "out", "dead_letter").num_rows == 0


STAGES = ["encode", "classify", "extract", "rows", "write"]


@pytest.mark.slow
def test_a_failure_at_any_step_costs_only_that_article(broker, topic, corpus, tmp_path, monkeypatch):
    """One article fails in each step (the failures are injected; everything else is the real
    pipeline): each becomes one dead letter with its stage, raw bytes and Kafka coordinates, the
    articles batched with it are written, and nothing is lost."""
    healthy = [a for a in corpus if a["id"] in {"sum-001", "tar-001", "def-001", "mix-all-001", "neg-001"}]
    # The marker sentence names a summit so that the gate hands it to the encoder.
    poison = [dict(healthy[i % len(healthy)], id=f"boom-{stage}",
                   text=healthy[i % len(healthy)]["text"] + f" Marker BOOM{stage.upper()} here at the summit.")
              for i, stage in enumerate(STAGES)]

    def marked(stage, text):
        return f"BOOM{stage.upper()}" in text

    encode_groups = SentenceEncoder.encode_groups
    monkeypatch.setattr(SentenceEncoder, "encode_groups", lambda self, groups: (
        encode_groups(self, groups) if not any(marked("encode", s) for g in groups for s in g)
        else (_ for _ in ()).throw(RuntimeError("tokenizer exploded"))))
    analyze = analyze_module.analyze
    monkeypatch.setattr(analyze_module, "analyze", lambda item, *a, **kw: (
        analyze(item, *a, **kw) if not marked("classify", item.article.text) else 1 / 0))
    extract = analysis_module.extract
    monkeypatch.setattr(analysis_module, "extract", lambda t, evidence, sentences, *args: (
        extract(t, evidence, sentences, *args) if not marked("extract", " ".join(sentences))
        else {}["no such field"]))
    article_row = analyze_module.article_row

    def faulty_row(a):
        if marked("rows", a.article.text):
            raise ValueError("row builder bug")
        row = article_row(a)
        if marked("write", a.article.text):
            row["n_sentences"] = "many"  # the schema says int32
        return row
    monkeypatch.setattr(analyze_module, "article_row", faulty_row)

    messages = payloads(healthy + poison)
    publish(broker, topic, messages)
    run_kafka(broker, topic, tmp_path / "out")

    out = tmp_path / "out"
    dead = {d["article_id"]: d for d in read(out, "dead_letter").to_pylist()}
    assert set(dead) == {f"boom-{s}" for s in STAGES}
    for stage in STAGES:
        d = dead[f"boom-{stage}"]
        assert d["stage"] == stage
        assert d["reason"] == ("unwritable_row" if stage == "write" else f"{stage}_failed")
        assert d["raw"] in messages and d["kafka_topic"] == topic and d["kafka_offset"] is not None
    assert "tokenizer exploded" in dead["boom-encode"]["detail"]
    assert "ZeroDivisionError" in dead["boom-classify"]["detail"]
    assert "KeyError" in dead["boom-extract"]["detail"]
    assert "row builder bug" in dead["boom-rows"]["detail"]
    assert "n_sentences" in dead["boom-write"]["detail"] or "int" in dead["boom-write"]["detail"]
    # The healthy articles were batched with the poison ones and are all there, with their events.
    assert sorted(read(out, "articles").column("article_id").to_pylist()) == sorted(a["id"] for a in healthy)
    assert len(_accounted(out)) == len(messages) == len({c for c, _ in _accounted(out)})
    event_articles = {i for t in events(out).values() for i in t.column("article_id").to_pylist()}
    assert {a["id"] for a in healthy if a["id"] != "neg-001"} <= event_articles
    # No partial output of a failed article; only the writer, the last step, is after the fan-out.
    assert not event_articles & {"boom-encode", "boom-classify", "boom-extract", "boom-rows"}


@pytest.mark.slow
def test_every_copy_is_accounted_for_across_workers_and_runs(broker, topic, corpus, tmp_path):
    """Contract: an article is identified by its id and content (version_id). An exact copy read
    from another input is a `duplicate` dead letter; a copy with other content is a new version
    (its own row and events). Two worker processes read the copies from different partitions."""
    picked = corpus[:12]
    first, second = payloads(picked), payloads(picked)
    _send(broker, topic, {0: first[:6], 1: first[6:], 2: second})
    beam_args = ["--direct_num_workers", "2", "--direct_running_mode", "multi_processing"]
    out = tmp_path / "out"
    run_kafka(broker, topic, out, beam_args=beam_args)

    articles = read(out, "articles").to_pylist()
    dead = read(out, "dead_letter").to_pylist()
    assert len({a["version_id"] for a in articles}) == 12
    assert len(articles) + len(dead) == 24, "every record read is an article row or a dead letter"
    assert {d["reason"] for d in dead} <= {"duplicate"}
    assert all(d["raw"] in first for d in dead)
    coordinates = [c for c, _ in _accounted(out)]
    assert len(coordinates) == len(set(coordinates)) == 24

    # A later run: two exact copies, and one id sent again with new text (a correction).
    corrected = dict(picked[0], text=picked[0]["text"] + " The statement was corrected on Friday.")
    publish(broker, topic, payloads([picked[1], picked[2], corrected]))
    run_kafka(broker, topic, out, start="earliest")  # replays the whole topic: a replay adds nothing

    articles = read(out, "articles").to_pylist()
    dead = read(out, "dead_letter").to_pylist()
    assert len(articles) + len(dead) == 27
    assert {d["reason"] for d in dead} <= {"duplicate"}
    assert len({a["version_id"] for a in articles}) == 13
    versions = {a["version_id"] for a in articles if a["article_id"] == picked[0]["id"]}
    assert len(versions) == 2
    for table in events(out).values():
        rows = [r for r in table.to_pylist() if r["article_id"] == picked[0]["id"]]
        # Each version's events point at that version; no event row is shared between them.
        assert {r["version_id"] for r in rows} <= versions
        assert len({r["event_id"] for r in rows}) == len(rows)
