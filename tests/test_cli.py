"""The console script, as a user runs it."""
import json
import subprocess
import sys

import pyarrow.parquet as pq
import pytest

from newsevents.evaluation.corpus import corpus_path, heldout_rows, read_jsonl

from helpers import payloads, read


def _cli(*args, timeout=300):
    return subprocess.run([sys.executable, "-m", "newsevents.pipelines.cli", *args], capture_output=True,
                          text=True, timeout=timeout)


@pytest.mark.slow
def test_demo_runs_to_the_end_and_prints_the_report(tmp_path):
    out = tmp_path / "output"
    proc = _cli("demo", "--output", str(out))
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = proc.stdout
    for line in ("records read", "articles accepted", "events: summit", "events: tariff",
                 "events: defense_spending", "dead letters", "wall time", "first events"):
        assert line in report
    articles = read(out, "articles")
    assert articles.num_rows == len(read_jsonl(corpus_path("train"))) + len(read_jsonl(corpus_path("heldout")))
    assert read(out, "dead_letter").num_rows == 4


@pytest.mark.slow
def test_produce_then_run_from_kafka(broker, topic, corpus, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_bytes(b"\n".join(payloads(corpus[:5])) + b"\n")
    proc = _cli("produce", "--bootstrap-servers", broker.bootstrap_servers, "--topic", topic, "--input", str(src))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "published 5 messages" in proc.stdout
    proc = _cli("run", "--source", "kafka", "--bootstrap-servers", broker.bootstrap_servers, "--topic", topic,
                "--output", str(tmp_path / "out"), "--runner", "DirectRunner", "--compression", "snappy")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert sorted(read(tmp_path / "out", "articles").column("article_id").to_pylist()) == \
        sorted(a["id"] for a in corpus[:5])
    files = list((tmp_path / "out" / "articles").rglob("*.parquet"))
    assert files and {pq.ParquetFile(f).metadata.row_group(0).column(0).compression for f in files} == {"SNAPPY"}


@pytest.mark.slow
def test_readable_errors(broker, tmp_path):
    proc = _cli("run", "--source", "kafka", "--bootstrap-servers", broker.bootstrap_servers,
                "--topic", "no-such-topic", "--output", str(tmp_path / "o"))
    assert proc.returncode == 2
    assert "no-such-topic" in proc.stderr and "Traceback" not in proc.stderr
    proc = _cli("run", "--source", "jsonl", "--input", str(tmp_path / "missing.jsonl"), "--output", str(tmp_path))
    assert proc.returncode == 2 and "no input file" in proc.stderr and "Traceback" not in proc.stderr
    proc = _cli("run", "--source", "jsonl", "--input", str(corpus_path("heldout")), "--output", str(tmp_path),
                "--compact-min-files", "1")
    assert proc.returncode == 2 and "--compact-min-files" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.slow
def test_unreachable_broker_is_one_readable_line(tmp_path):
    from newsevents.kafka.broker import free_port
    port = free_port()  # a port that nothing listens on
    proc = _cli("run", "--source", "kafka", "--bootstrap-servers", f"127.0.0.1:{port}", "--topic", "t",
                "--consumer-config", "bootstrap_timeout_ms=2000", "--output", str(tmp_path / "o"))
    assert proc.returncode == 2
    assert f"no Kafka broker reachable at 127.0.0.1:{port}" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.slow
def test_impossible_committed_offset_is_one_readable_line(broker, topic, corpus, tmp_path):
    from kafka import TopicPartition
    from kafka.structs import OffsetAndMetadata

    from helpers import publish
    from newsevents.kafka.client import consumer
    publish(broker, topic, payloads(corpus[:3]))
    c = consumer(broker.bootstrap_servers, group_id="ahead")
    c.commit({TopicPartition(topic, 0): OffsetAndMetadata(1000, "", -1)})
    c.close()
    proc = _cli("run", "--source", "kafka", "--bootstrap-servers", broker.bootstrap_servers, "--topic", topic,
                "--start", "committed", "--group-id", "ahead", "--output", str(tmp_path / "o"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert f"start offset 1000 of {topic}[0] is beyond its end offset" in proc.stderr


@pytest.mark.slow
def test_evaluate_prints_table_and_json():
    proc = _cli("evaluate", "--json")
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout)
    assert set(result["per_type"]) == {"summit", "tariff", "defense_spending"}
    # The bar of the first 54 held-out articles: 0.93 with no hard-negative false positive (0.946,
    # none; the head alone scored 0.882 with three look-alikes labelled). The 59 articles of issue
    # 26 (several events each, briefs) are its baseline to raise: 0.869 over all 113 when added.
    heldout = read_jsonl(corpus_path("heldout"))
    predicted = {r["id"]: set(r["labels"]) for r in heldout} | {e["id"]: set(e["predicted"]) for e in result["errors"]}
    first = heldout_rows(first_only=True)
    assert len(first) == 54 and not any("brief" in r["tags"] or r.get("rendering") for r in first)
    assert _macro_f1([set(r["labels"]) for r in first], [predicted[r["id"]] for r in first]) >= 0.93
    assert 0 < result["macro_f1"] <= 1
    assert result["hard_negative_false_positives"] == []
    # Every annotated event field of the held-out split is scored through the pipeline's own code.
    fields = result["fields"]
    assert fields["micro"]["support"] > 150 and fields["micro"]["f1"] >= 0.85
    assert {"summit.host_city", "tariff.rate_percent", "defense_spending.currency"} <= set(fields["per_field"])
    summaries = result["summaries"]
    assert summaries["articles"] == 45 and 0.3 < summaries["summarizer"]["rouge1"] <= 1
    assert set(summaries["lead3"]) == {"rouge1", "rouge2", "rougeL"}
    # Event level: every annotated event of every type is matched or missed, every written row
    # matched or extra.
    events = result["events"]
    assert events["articles"] == len(heldout) == result["articles"]
    for t in ("summit", "tariff", "defense_spending"):
        scores = events["per_type"][t]
        assert scores["support"] == sum(e["type"] == t for r in heldout for e in r["events"]) > 0
        assert scores["predicted"] > 0 and 0 < scores["f1"] <= 1
        misses = [m for m in events["mistakes"] if m["type"] == t and m["kind"] == "missed"]
        extras = [m for m in events["mistakes"] if m["type"] == t and m["kind"] == "extra"]
        assert round(scores["recall"] * scores["support"]) == scores["support"] - len(misses)
        assert round(scores["precision"] * scores["predicted"]) == scores["predicted"] - len(extras)
    assert 0 < events["macro_f1"] <= 1
    assert set(events["attributes"]) == {"action", "status", "dyad", "cameo_code"}
    assert events["attributes"]["action"]["scored"] > 0 and events["attributes"]["status"]["scored"] > 0
    # Issue 26: actors and fields on matched events, briefs, the same events short and long.
    assert 0 < events["actors"]["scored"] <= sum(s["predicted"] for s in events["per_type"].values())
    assert 0 < events["actors"]["set_f1"] <= 1 and 0 < events["field_accuracy"]["accuracy"] <= 1
    assert {"summit.leader_countries", "tariff.imposing_countries", "defense_spending.amount"} <= set(
        events["field_accuracy"]["per_field"])
    assert result["briefs"]["articles"] == sum("brief" in r["tags"] for r in heldout) > 0
    agreement = result["length_agreement"]
    assert agreement["groups"] == len({r["rendering"]["group"] for r in heldout if r.get("rendering")}) > 0
    assert set(agreement["per_form"]) == {"brief", "item", "long"}
    from newsevents.pipelines.commands.evaluate import format_evaluation
    table = format_evaluation(result)
    assert "accuracy on matched events" in table and str(events["macro_f1"]) in table
    assert "actor set-F1 on matched events" in table and "short and long" in table
    assert f"label macro-F1 {result['briefs']['macro_f1']:.3f}" in table


def _macro_f1(gold: list[set], pred: list[set]) -> float:
    f1 = []
    for t in ("summit", "tariff", "defense_spending"):
        tp = sum(t in p and t in g for p, g in zip(pred, gold))
        fp = sum(t in p and t not in g for p, g in zip(pred, gold))
        fn = sum(t not in p and t in g for p, g in zip(pred, gold))
        f1.append(2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0)
    return sum(f1) / len(f1)


@pytest.mark.slow
def test_show_and_plot_read_a_real_output(corpus, tmp_path):
    from helpers import run_jsonl
    src = tmp_path / "in.jsonl"
    picked = [a for a in corpus if a["labels"]][:12]
    src.write_bytes(b"\n".join(payloads(picked)) + b"\n")
    out = tmp_path / "out"
    run_jsonl(src, out)
    proc = _cli("show", str(out))
    assert proc.returncode == 0, proc.stderr[-2000:]
    for heading in ("events per day", "top countries", "top participants", "latest 5 events"):
        assert heading in proc.stdout
    assert "United States" in proc.stdout and "┌" in proc.stdout  # a table library's borders

    png = tmp_path / "events.png"
    proc = _cli("plot", str(out), "--out", str(png))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    import matplotlib.image
    pixels = matplotlib.image.imread(str(png))
    assert pixels.shape[:2] == (900, 1200)
    assert pixels[..., :3].std() > 0.05  # not a blank canvas

    proc = _cli("show", str(tmp_path / "nothing"))
    assert proc.returncode == 2 and "no output directory" in proc.stderr

    # Without an extension the file is a PNG and the message names the file written; a folder is refused.
    proc = _cli("plot", str(out), "--out", str(tmp_path / "chart"))
    assert proc.returncode == 0 and f"wrote {tmp_path / 'chart.png'} " in proc.stdout, proc.stderr[-2000:]
    assert (tmp_path / "chart.png").read_bytes()[:4] == b"\x89PNG"
    proc = _cli("plot", str(out), "--out", str(out))
    assert proc.returncode == 2 and "is a directory" in proc.stderr and not (tmp_path / "out.png").exists()

    # "newsevents show out | head -1": the reader is gone before show writes, show ends quietly.
    show = subprocess.Popen([sys.executable, "-m", "newsevents.pipelines.cli", "show", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    show.stdout.close()
    _, err = show.communicate(timeout=120)
    assert show.returncode == 141 and b"Traceback" not in err, err.decode()[-2000:]
