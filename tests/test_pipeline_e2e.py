"""The whole pipeline through the real stack: embedded broker, DirectRunner, packaged model, Parquet."""
import pyarrow.compute as pc
import pytest

from newsevents import EVENT_TYPES
from newsevents.schemas import DATASETS, SCHEMA_VERSION

from helpers import BAD_MESSAGES, events, payloads, publish, read, run_jsonl, run_kafka


def _pick(corpus):
    """A mix of every kind: single types, combinations, plain news and hard negatives."""
    wanted = ["sum-001", "sum-007", "tar-001", "tar-006", "def-001", "def-006", "mix-st-002", "mix-sd-002",
              "mix-td-001", "mix-all-001", "none-001", "neg-001", "neg-003", "neg-005", "neg-007", "neg-009"]
    by_id = {a["id"]: a for a in corpus}
    return [by_id[i] for i in wanted]


def _event_view(table):
    return sorted(zip(table.column("event_id").to_pylist(), table.column("article_id").to_pylist(),
                      table.column("summary").to_pylist(), [tuple(e) for e in table.column("evidence").to_pylist()]))


@pytest.mark.slow
def test_kafka_and_jsonl_paths_agree_and_bad_input_is_dead_lettered(broker, topic, corpus, tmp_path):
    articles = _pick(corpus)
    messages = payloads(articles) + list(BAD_MESSAGES)
    jsonl = tmp_path / "input.jsonl"
    jsonl.write_bytes(b"\n".join(messages) + b"\n")
    publish(broker, topic, messages)

    run_kafka(broker, topic, tmp_path / "from_kafka")
    run_jsonl(jsonl, tmp_path / "from_jsonl")

    k_articles, j_articles = read(tmp_path / "from_kafka", "articles"), read(tmp_path / "from_jsonl", "articles")
    assert sorted(k_articles.column("article_id").to_pylist()) == sorted(a["id"] for a in articles)
    view = lambda t: sorted(zip(t.column("article_id").to_pylist(), t.column("summary").to_pylist(),  # noqa: E731
                                [tuple(sorted(x)) for x in t.column("event_types").to_pylist()]))
    assert view(k_articles) == view(j_articles)
    k_events, j_events = events(tmp_path / "from_kafka"), events(tmp_path / "from_jsonl")
    for t in EVENT_TYPES:
        assert _event_view(k_events[t]) == _event_view(j_events[t]), t
        assert k_events[t].num_rows > 0, f"no {t} event found in a sample with several"
        # Kafka coordinates on every Kafka-sourced row, file coordinates on the others.
        assert k_events[t].column("kafka_topic").to_pylist() == [topic] * k_events[t].num_rows
        assert k_events[t].column("kafka_offset").null_count == 0
        assert j_events[t].column("input_line").null_count == 0

    for output in ("from_kafka", "from_jsonl"):
        dead = read(tmp_path / output, "dead_letter")
        got = dict(zip(dead.column("raw").to_pylist(), dead.column("reason").to_pylist()))
        assert got == BAD_MESSAGES, output
        assert dead.column("detail").null_count == 0
    dead = read(tmp_path / "from_kafka", "dead_letter")
    assert dead.column("kafka_partition").null_count == 0 and dead.column("kafka_offset").null_count == 0
    # Every input message is accounted for, exactly once.
    assert k_articles.num_rows + dead.num_rows == len(messages)


@pytest.mark.slow
def test_expected_labels_on_a_mixed_sample(tmp_path, corpus):
    articles = _pick(corpus)
    jsonl = tmp_path / "input.jsonl"
    jsonl.write_bytes(b"\n".join(payloads(articles)) + b"\n")
    run_jsonl(jsonl, tmp_path / "out")
    got = {r["article_id"]: set(r["event_types"]) for r in read(tmp_path / "out", "articles").to_pylist()}
    hard_negatives = [a["id"] for a in articles if "hard_negative" in a["tags"]]
    assert all(got[i] == set() for i in hard_negatives), {i: got[i] for i in hard_negatives}
    correct = sum(got[a["id"]] == set(a["labels"]) for a in articles)
    assert correct >= len(articles) - 2, {a["id"]: (sorted(got[a["id"]]), a["labels"]) for a in articles}
    # A mixed article yields one event per type, each with a summary about its own type.
    tariff = events(tmp_path / "out")["tariff"]
    row = tariff.filter(pc.equal(tariff.column("article_id"), "mix-all-001")).to_pylist()
    assert row and "tariff" in row[0]["summary"].lower()


@pytest.mark.slow
def test_output_files_carry_schema_and_version(tmp_path, corpus):
    jsonl = tmp_path / "input.jsonl"
    jsonl.write_bytes(b"\n".join(payloads(_pick(corpus)[:6])) + b"\n")
    run_jsonl(jsonl, tmp_path / "out")
    import pyarrow.parquet as pq
    files = sorted((tmp_path / "out").rglob("*.parquet"))
    assert files and not [f for f in (tmp_path / "out").rglob("*") if f.name.startswith(".")]
    for f in files:
        schema = pq.read_schema(f)
        dataset = schema.metadata[b"newsevents.dataset"].decode()
        assert schema.metadata[b"newsevents.schema_version"] == str(SCHEMA_VERSION).encode()
        assert schema.remove_metadata().equals(DATASETS[dataset].remove_metadata())
