"""Deployment without a cluster: Runner API translation, the portable submission path, the sdist."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import apache_beam as beam
import pytest
from apache_beam.options.pipeline_options import PipelineOptions

from newsevents.pipelines.cli import build_parser
from newsevents.pipelines.config import RunConfig
from newsevents.pipelines.pipeline import build, run
from newsevents.transforms.kafka_io import KafkaReadConfig

from newsevents.evaluation.corpus import read_jsonl

from helpers import payloads, publish, read

ROOT = Path(__file__).resolve().parents[1]

RUNNER_OPTIONS = {
    "flink": ["--runner", "FlinkRunner", "--flink_master", "flink-jobmanager:8081", "--environment_type", "DOCKER",
              "--environment_config", "registry/newsevents-worker:0.1.0", "--parallelism", "4",
              "--checkpointing_interval", "60000", "--streaming"],
    "dataflow": ["--runner", "DataflowRunner", "--project", "my-project-123", "--region", "europe-west1",
                 "--temp_location", "gs://my-bucket/tmp", "--staging_location", "gs://my-bucket/staging",
                 "--sdk_container_image", "registry/newsevents-worker:0.1.0", "--streaming"],
    "spark": ["--runner", "SparkRunner", "--spark_master_url", "spark://spark-master:7077",
              "--environment_type", "DOCKER", "--environment_config", "registry/newsevents-worker:0.1.0"],
}


@pytest.mark.parametrize("runner", sorted(RUNNER_OPTIONS))
def test_pipeline_translates_to_the_runner_api_for_each_runner(runner):
    config = RunConfig(output="gs://my-bucket/newsevents", source="kafka",
                       kafka=KafkaReadConfig("kafka-1:9092", ("articles",), bounded=False))
    p = beam.Pipeline(options=PipelineOptions(RUNNER_OPTIONS[runner]))
    build(p, config)
    proto = p.to_runner_api()  # nothing is contacted: no broker, no cluster, no cloud
    names = {t.unique_name for t in proto.components.transforms.values()}
    for step in ("ReadSource/ReadFromKafka/ReadPartitions", "ExtractNewsEvents/EncodeSentences/RunInference",
                 "ExtractNewsEvents/WriteArticles/WriteBundles", "ExtractNewsEvents/Write_tariff/WriteBundles"):
        assert any(n.startswith(step) for n in names), step
    # What a runner must support to run the Kafka read: SDFs and bundle finalization (offset commits).
    assert {"beam:requirement:pardo:splittable_dofn:v1", "beam:requirement:pardo:finalization:v1"} <= \
        set(proto.requirements)
    assert type(p.runner).__name__.lower().startswith(runner)


def _portable(endpoint):
    return ["--runner", "PortableRunner", "--job_endpoint", endpoint, "--environment_type", "LOOPBACK"]


@pytest.mark.slow
def test_bounded_jsonl_pipeline_runs_through_the_portable_runner(job_service, corpus, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_bytes(b"\n".join(payloads(corpus[:6]) + [b"{oops"]) + b"\n")
    result = run(RunConfig(output=str(tmp_path / "out"), source="jsonl", input=str(src)), _portable(job_service))
    assert str(result.state) == "DONE"
    assert sorted(read(tmp_path / "out", "articles").column("article_id").to_pylist()) == \
        sorted(a["id"] for a in corpus[:6])
    assert read(tmp_path / "out", "dead_letter").num_rows == 1


@pytest.mark.slow
def test_bounded_kafka_pipeline_runs_through_the_portable_runner(job_service, broker, topic, corpus, tmp_path):
    publish(broker, topic, payloads(corpus[:6]))
    config = RunConfig(output=str(tmp_path / "out"), source="kafka",
                       kafka=KafkaReadConfig(broker.bootstrap_servers, (topic,), group_id="portable"))
    result = run(config, _portable(job_service))
    assert str(result.state) == "DONE"
    assert read(tmp_path / "out", "articles").num_rows == 6


@pytest.mark.slow
def test_sdist_installs_into_a_fresh_venv_and_runs(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "setup.py", "-q", "sdist", "--dist-dir", str(dist)], cwd=ROOT, check=True,
                   capture_output=True, timeout=300)
    [sdist] = list(dist.glob("newsevents-*.tar.gz"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    vpy = venv / "bin" / "python"
    # Only newsevents itself is installed from the sdist; its dependencies come from this
    # environment's site-packages (not its editable newsevents), so the test needs no network.
    site = subprocess.run([str(vpy), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    deps = [p for p in sys.path if p.endswith("site-packages")]
    Path(site, "zz_dependencies.pth").write_text("\n".join(deps) + "\n")
    subprocess.run([str(vpy), "-m", "pip", "install", "--no-deps", "--no-build-isolation", "-q", str(sdist)],
                   check=True, capture_output=True, timeout=300)
    probe = subprocess.run([str(vpy), "-c", "import newsevents, newsevents.evaluation.corpus as c, newsevents.models.classifier as k; "
                            "print(newsevents.__file__); print(c.corpus_path('heldout')); print(k.default_head_dir())"],
                           capture_output=True, text=True, cwd=tmp_path, check=True).stdout.split()
    assert all(str(ROOT) not in p for p in probe), probe  # the installed copy, not the checkout
    out = tmp_path / "out"
    proc = subprocess.run([str(venv / "bin" / "newsevents"), "run", "--source", "jsonl", "--input", probe[1],
                           "--output", str(out)], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert read(out, "articles").num_rows == len(read_jsonl(probe[1]))


def test_deploy_files_match_the_pipeline():
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text()
    assert f"ARG BEAM_VERSION={beam.__version__}" in dockerfile and "beam_python" in dockerfile
    # The harness imports pyarrow before newsevents can choose Arrow's allocator (test_memory.py).
    assert "ENV ARROW_DEFAULT_MEMORY_POOL=system" in dockerfile
    run_options = {a.lstrip("-") for action in build_parser()._subparsers._group_actions[0].choices["run"]._actions
                   for a in action.option_strings if a.startswith("--")}
    metadata = json.loads((ROOT / "deploy" / "dataflow" / "metadata.json").read_text())
    for param in metadata["parameters"]:
        assert param["name"] in run_options, param["name"]
        assert param["helpText"] and param["regexes"]
        for rx in param["regexes"]:
            re.compile(rx)
    assert "checkpointing_interval" in (ROOT / "deploy" / "flink" / "run-flink.sh").read_text()
    assert os.access(ROOT / "deploy" / "flink" / "run-flink.sh", os.X_OK)
