"""Operating newsevents: the foreground broker, object-store output, streaming compaction,
multi-process progress, and what `show` and `plot` print for odd outputs."""
import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from newsevents.kafka.broker import free_port, port_in_use

from helpers import wait_until

CLI = [sys.executable, "-m", "newsevents.pipelines.cli"]


def _cli(*args, timeout=300, env=None):
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as f:  # a zombie has exited: only its parent's wait is missing
        return f.read().rsplit(")", 1)[1].split()[0] != "Z"


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def _start_broker(port, tmp_path, name):
    proc = subprocess.Popen([*CLI, "broker", "--port", str(port), "--topic", "articles"], stdout=subprocess.PIPE,
                            stderr=open(tmp_path / f"{name}.err", "wb"), text=True)
    line = proc.stdout.readline()
    assert f"on 127.0.0.1:{port}" in line, (line, (tmp_path / f"{name}.err").read_text()[-2000:])
    return proc


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_broker_command_stops_its_child_and_frees_the_port(sig, tmp_path):
    port = free_port()
    proc = _start_broker(port, tmp_path, "first")
    try:
        (child,) = _children(proc.pid)
        assert _alive(child) and port_in_use("127.0.0.1", port)

        second = _cli("broker", "--port", str(port), timeout=60)  # the port is busy
        assert second.returncode == 2, second.stderr[-2000:]
        errors = [line for line in second.stderr.splitlines() if "error" in line]
        assert errors == [f"newsevents broker: error: port {port} on 127.0.0.1 is already in use "
                          f"(another broker?); choose another with --port"]
        assert "Traceback" not in second.stderr

        proc.send_signal(sig)
        assert proc.wait(timeout=20) == 0
        assert wait_until(lambda: not _alive(child)), f"broker child {child} still running after {sig.name}"
        assert wait_until(lambda: not port_in_use("127.0.0.1", port)), f"port {port} still taken"
    finally:
        if proc.poll() is None:
            proc.kill()


@pytest.mark.slow
def test_broker_child_dies_with_a_killed_command(tmp_path):
    port = free_port()
    proc = _start_broker(port, tmp_path, "killed")
    (child,) = _children(proc.pid)
    proc.kill()  # no handler runs: the kernel's parent-death signal must end the broker
    proc.wait(timeout=10)
    try:
        assert wait_until(lambda: not _alive(child)), f"broker child {child} outlived SIGKILL of its command"
        assert wait_until(lambda: not port_in_use("127.0.0.1", port))
    finally:
        if _alive(child):
            os.kill(child, signal.SIGKILL)


# --- output on an object store (S3 API, served by moto in this process) -----------------------

@pytest.fixture(scope="module")
def s3():
    from moto.server import ThreadedMotoServer
    from pyarrow import fs as pafs
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    env = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1",
           "AWS_EC2_METADATA_DISABLED": "true"}
    client = pafs.S3FileSystem(access_key="testing", secret_key="testing", region="us-east-1",
                               endpoint_override=f"{host}:{port}", scheme="http",
                               allow_bucket_creation=True)
    client.create_dir("news")
    yield {"endpoint": f"{host}:{port}", "env": env, "fs": client}
    server.stop()


def _variants(article, n, tag):
    """Copies of one article under new ids: the same day, so they land in the same partitions."""
    return [dict(article, id=f"{article['id']}-{tag}-{i}", url=None) for i in range(n)]


@pytest.mark.slow
def test_output_on_s3_is_written_reported_shown_and_compacted(s3, corpus, tmp_path):
    import json
    import re

    import pyarrow.dataset as ds

    from newsevents.schemas import read_schema
    base = next(a for a in corpus if a["id"] == "mix-all-004")  # all three event types (shipped head)
    runs = []
    for i in range(2):  # two runs: two files per partition, for compact
        src = tmp_path / f"in{i}.jsonl"
        src.write_text("\n".join(json.dumps(a) for a in _variants(base, 3, f"r{i}")) + "\n{not json\n")
        # The endpoint the standard AWS way: AWS_ENDPOINT_URL (pyarrow honours it).
        runs.append(_cli("run", "--source", "jsonl", "--input", str(src), "--output", "s3://news/daily",
                         "--progress-interval", "0",
                         env={**s3["env"], "AWS_ENDPOINT_URL": f"http://{s3['endpoint']}"}))
        assert runs[-1].returncode == 0, runs[-1].stderr[-3000:]
    report = runs[-1].stdout  # this run's counts, then what the output holds after both runs
    assert re.search(r"records read\s*│\s*4\s*│\s*-\s", report), report
    assert re.search(r"articles accepted\s*│\s*3\s*│\s*6\s", report), report
    assert re.search(r"dead letters\s*│\s*1\s*│\s*2\s", report), report
    events = 0
    for t in ("summit", "tariff", "defense_spending"):  # the same rows for each copy of the article
        this_run, in_output = map(int, re.search(rf"events: {t}\s*│\s*(\d+)\s*│\s*(\d+)\s", report).groups())
        assert this_run >= 3 and this_run % 3 == 0 and in_output == 2 * this_run, report
        events += in_output

    # The endpoint in the URI query instead, as pyarrow parses it.
    uri = f"s3://news/daily?endpoint_override={s3['endpoint']}&scheme=http"
    shown = _cli("show", uri, env=s3["env"])
    assert shown.returncode == 0, shown.stderr[-2000:]
    assert f"6 articles, {events} events, 2 dead letters" in shown.stdout

    def files(dataset):
        from pyarrow import fs as pafs
        return [i for i in s3["fs"].get_file_info(pafs.FileSelector(f"news/daily/{dataset}", recursive=True))
                if i.type == pafs.FileType.File and i.base_name.endswith(".parquet")]

    assert len(files("articles")) == 2
    compacted = _cli("compact", uri, env=s3["env"])
    assert compacted.returncode == 0, compacted.stderr[-2000:]
    assert "files merged" in compacted.stdout
    assert len(files("articles")) == 1 and len(files("events/tariff")) == 1
    articles = ds.dataset("news/daily/articles", filesystem=s3["fs"], format="parquet", partitioning="hive",
                          schema=read_schema("articles")).to_table()
    assert sorted(articles.column("article_id").to_pylist()) == sorted(f"{base['id']}-r{i}-{j}"
                                                                       for i in range(2) for j in range(3))


@pytest.mark.slow
def test_unreachable_object_store_is_one_line(s3, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "text": "The two presidents met in Paris on Monday."}\n')
    uri = f"s3://news/daily?endpoint_override=127.0.0.1:{free_port()}&scheme=http"  # nothing listens there
    for args in (("run", "--source", "jsonl", "--input", str(src), "--output", uri), ("show", uri),
                 ("compact", uri)):
        proc = _cli(*args, env=s3["env"], timeout=120)
        assert proc.returncode == 2, (args, proc.stderr[-3000:])
        lines = [line for line in proc.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith(f"newsevents {args[0]}: error: cannot read"), (args, lines)
        assert "NETWORK_CONNECTION" in lines[0] or "connect" in lines[0].lower()


# --- progress of a run whose DoFns run in other processes ----------------------------------------

@pytest.mark.slow
def test_progress_line_counts_work_done_in_worker_processes(broker, topic, corpus, tmp_path):
    import re

    from helpers import events, payloads, publish, read
    picked = [a for a in corpus if a["labels"]][:6]
    publish(broker, topic, payloads(picked) + [b"{not json"])
    log_path, out = tmp_path / "run.log", tmp_path / "out"
    proc = subprocess.Popen([*CLI, "run", "--source", "kafka", "--bootstrap-servers", broker.bootstrap_servers,
                             "--topic", topic, "--streaming", "--no-commit", "--output", str(out),
                             "--progress-interval", "1", "--direct_num_workers", "2",
                             "--direct_running_mode", "multi_processing"],
                            stdout=subprocess.PIPE, stderr=open(log_path, "wb"))
    try:
        def done():
            assert proc.poll() is None, (proc.returncode, log_path.read_text()[-3000:])
            try:
                return read(out, "articles").num_rows == 6 and read(out, "dead_letter").num_rows == 1
            except (OSError, ValueError):
                return False
        assert wait_until(done, timeout=240), log_path.read_text()[-3000:]
        # The counts reach the progress line of the main process within a few of its intervals.
        assert wait_until(lambda: "read=7 articles=6 " in log_path.read_text(), timeout=15), log_path.read_text()[-3000:]
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    lines = [line for line in log_path.read_text().splitlines() if "newsevents.runtime.progress" in line]
    last = re.search(r"read=(\d+) articles=(\d+) events: summit=(\d+) tariff=(\d+) defense_spending=(\d+) "
                     r"dead_letters=(\d+) lag=(\S+)", lines[-1])  # the line printed at the stop
    assert last, lines[-1]
    read_, articles, *per_type, dead, lag = last.groups()
    assert (int(read_), int(articles), int(dead)) == (7, 6, 1)
    assert sum(map(int, per_type)) == sum(t.num_rows for t in events(out).values()) > 0
    assert lag != "-" and all(p.startswith(f"{topic}[") and p.endswith(":0") for p in lag.split(",")), lag


# --- show and plot ---------------------------------------------------------------------------------

@pytest.mark.slow
def test_show_escapes_control_characters_from_article_text(corpus, tmp_path):
    import json

    from helpers import read, run_jsonl
    base = next(a for a in corpus if "tariff" in a["labels"])
    first, rest = base["text"].split(". ", 1)
    article = dict(base, id="ansi", title="\x1b[31mRED\rTitle\x1b[0m",
                   text=f"{first} \x1b[31mred\x1b[0m and a bell\x07. {rest}")
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(article) + "\n")
    run_jsonl(src, tmp_path / "out")
    stored = read(tmp_path / "out", "events/tariff")
    assert stored.num_rows == 1 and "\x1b[31m" in stored.column("summary")[0].as_py()  # kept in the data
    assert read(tmp_path / "out", "articles").column("title")[0].as_py() == article["title"]

    proc = _cli("show", str(tmp_path / "out"), "--latest", "1")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert [c for c in proc.stdout if ord(c) < 0x20 and c != "\n" or 0x7f <= ord(c) < 0xa0] == []
    assert "\\x1b[31mred\\x1b[0m" in proc.stdout  # no space inside: wrapping keeps it on one line


def test_printable_escapes_every_control_character():
    from newsevents.pipelines.report import printable, wrap
    assert printable("a\x1b[31mb\rc\x07d\x9be\x7f") == "a\\x1b[31mb\\rc\\x07d\\x9be\\x7f"
    assert printable("Zürich – «ok»") == "Zürich – «ok»"
    assert wrap("line\nbreak\tand\rreturn") == "line break and\\rreturn"


@pytest.mark.slow
def test_plot_on_an_output_without_events_says_so(corpus, tmp_path):
    import json

    from helpers import run_jsonl
    negative = next(a for a in corpus if not a["labels"])
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(negative) + "\n")
    run_jsonl(src, tmp_path / "out")
    png = tmp_path / "events.png"
    proc = _cli("plot", str(tmp_path / "out"), "--out", str(png))
    assert proc.returncode == 2
    assert proc.stderr.strip() == (f"newsevents plot: error: no events in {tmp_path / 'out'} yet: nothing to plot, "
                                   f"{png} not written")
    assert not png.exists()
    shown = _cli("show", str(tmp_path / "out"))
    assert shown.returncode == 0 and "1 articles, no events yet, 0 dead letters" in shown.stdout


# --- compaction inside a streaming job -----------------------------------------------------------

@pytest.mark.slow
def test_streaming_writer_compacts_its_partitions(broker, topic, corpus, tmp_path):
    import threading

    from helpers import payloads, publish, read
    from newsevents.pipelines.config import RunConfig
    from newsevents.pipelines.pipeline import run
    from newsevents.pipelines.report import metric_total
    from newsevents.runtime.control import RunControl
    from newsevents.schemas import KEY_COLUMNS, RUN_DATASETS
    from newsevents.transforms.kafka_io import KafkaReadConfig
    from newsevents.output.parquet_files import ParquetWriteConfig

    out = tmp_path / "out"
    base = next(a for a in corpus if a["id"] == "mix-all-004")
    articles = _variants(base, 12, "s")  # one day: every dataset writes to one partition
    interval = 3.0
    config = RunConfig(output=str(out), source="kafka",
                       kafka=KafkaReadConfig(bootstrap_servers=broker.bootstrap_servers, topics=(topic,),
                                             bounded=False, commit_offsets=False),
                       parquet=ParquetWriteConfig(compact_interval_s=interval, compact_min_files=3))
    control = RunControl.create()
    results = []
    runner = threading.Thread(target=lambda: results.append(run(config.with_control(control))))
    runner.start()
    publish(broker, topic, payloads(articles[:1]))
    assert wait_until(lambda: (out / "articles").exists() and read(out, "articles").num_rows == 1, timeout=120)
    for a in articles[1:]:  # one bundle, so one file per dataset, each
        publish(broker, topic, payloads([a]))
        time.sleep(0.7)
    # Compaction runs every `interval` seconds: stop once a few have passed since the last write.
    assert wait_until(lambda: read(out, "articles").num_rows == 12, timeout=120)
    time.sleep(3 * interval)
    control.request_stop()
    runner.join(timeout=120)
    control.close()
    assert not runner.is_alive() and results

    compacted = metric_total(results[0], "parquet", "files_compacted")
    written = metric_total(results[0], "parquet", "files")
    assert compacted > 0, (written, compacted)
    for dataset, key in KEY_COLUMNS.items():
        if dataset == "dead_letter" or dataset not in RUN_DATASETS:
            continue
        table = read(out, dataset)
        keys, per_article = table.column(key).to_pylist(), Counter(table.column("article_id").to_pylist())
        # Nothing twice, nothing lost: every copy of the article has the same rows.
        assert len(keys) == len(set(keys)) and len(per_article) == 12 and len(set(per_article.values())) == 1, dataset
        (partition,) = [d for d in (out / dataset).iterdir()]
        files = [f for f in partition.iterdir() if not f.name.startswith(".")]
        # Long after the last write, each partition was compacted: one merged file, or fewer small
        # files than compaction waits for.
        assert len(files) <= 2, (dataset, sorted(f.name for f in files))
