"""The run's options: Beam's view of them, the Flex Template's argument form, what is rejected,
the local runner."""
import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import apache_beam as beam
import pytest
from apache_beam.options.pipeline_options import GoogleCloudOptions, StandardOptions

from newsevents.pipelines.cli import build_parser, parse_args
from newsevents.pipelines.config import RunConfig
from newsevents.pipelines.options import NewsEventsOptions
from newsevents.pipelines.pipeline import LOCAL_RUNNER, pipeline_options, prepare_options

from helpers import main_error, payloads, read

ROOT = Path(__file__).resolve().parents[1]
METADATA = json.loads((ROOT / "deploy" / "dataflow" / "metadata.json").read_text())

# A value for each template parameter; each must match the parameter's regexes.
TEMPLATE_VALUES = {
    "source": "kafka", "bootstrap-servers": "kafka-1:9092,kafka-2:9092", "topic": "articles",
    "input": "gs://my-bucket/in/*.jsonl", "output": "gs://my-bucket/newsevents", "start": "committed",
    "streaming": "true", "max-records": "1000", "max-read-time": "60", "stop-read-time": "2026-01-01T00:00:00Z",
    "broker-timeout": "120",
    "group-id": "newsevents", "consumer-config": "security_protocol=SASL_SSL", "encoder-model": "default",
    "classifier": "/models/head", "summary-sentences": "2", "languages": "en,fr", "quantize": "true",
}
# Dataflow's own options next to the parameters, in the same --name=value form.
LAUNCHER_OPTIONS = ["--runner=DataflowRunner", "--project=my-project-123", "--region=europe-west1",
                    "--job_name=newsevents-20260101-000000", "--temp_location=gs://my-bucket/tmp",
                    "--staging_location=gs://my-bucket/staging",
                    "--sdk_container_image=registry/newsevents-worker:0.1.0", "--setup_file=/template/src/setup.py",
                    "--experiments=use_runner_v2", "--enable_streaming_engine=true"]


def _cli(*args, timeout=300):
    return subprocess.run([sys.executable, "-m", "newsevents.pipelines.cli", *args], capture_output=True,
                          text=True, timeout=timeout)


def _one_line_error(proc, *expected):
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:])
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    for text in expected:
        assert text in lines[0], lines[0]


def _template_argv(**overrides):
    values = {**TEMPLATE_VALUES, **overrides}
    return [f"--{p['name']}={values[p['name']]}" for p in METADATA["parameters"]]


def test_every_template_parameter_parses_in_the_launcher_form():
    run_parser = build_parser().commands["run"]
    for param in METADATA["parameters"]:
        value = TEMPLATE_VALUES[param["name"]]  # a new parameter needs a value here
        assert all(re.fullmatch(rx, value) for rx in param["regexes"]), (param["name"], value)

    args, options = parse_args(build_parser(), ["run", "--detach", *_template_argv(), *LAUNCHER_OPTIONS])
    for param in METADATA["parameters"]:
        action = run_parser._option_string_actions["--" + param["name"]]
        value = TEMPLATE_VALUES[param["name"]]
        expected = (True if action.nargs == 0 else [value] if isinstance(action, argparse._AppendAction)
                    else (action.type or str)(value))
        assert getattr(args, action.dest) == expected, param["name"]
    assert args.detach is True

    prepare_options(options, RunConfig.from_options(options))
    assert options.view_as(StandardOptions).runner == "DataflowRunner"
    assert options.view_as(StandardOptions).streaming is True
    assert options.view_as(GoogleCloudOptions).project == "my-project-123"
    assert options.view_as(GoogleCloudOptions).enable_streaming_engine is True
    # Beam (and so the runner) knows the run's own options; the consumer settings' values stay out.
    ours = options.view_as(NewsEventsOptions)
    assert (ours.source, ours.topic, ours.max_records, ours.quantize) == ("kafka", ["articles"], 1000, True)
    everything = options.get_all_options()
    assert everything["bootstrap_servers"] == "kafka-1:9092,kafka-2:9092"
    assert everything["consumer_config"] == ["security_protocol=<redacted>"]

    off, _ = parse_args(build_parser(), ["run", *_template_argv(streaming="false", quantize="false")])
    assert off.streaming is False and off.quantize is False and off.detach is False
    plain, _ = parse_args(build_parser(), ["run", "--source", "kafka", "--output", "o", "--streaming", "--quantize"])
    assert plain.streaming is True and plain.quantize is True


@pytest.mark.slow
def test_flex_template_entry_point_runs_in_the_launcher_form(corpus, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_bytes(b"\n".join(payloads(corpus[:4]) + [b"{oops"]) + b"\n")
    out = tmp_path / "out"
    # Dataflow's options are accepted; --runner=DirectRunner (given last, so it wins) keeps the run here.
    proc = subprocess.run([sys.executable, str(ROOT / "deploy" / "dataflow" / "main.py"), "--source=jsonl",
                           f"--input={src}", f"--output={out}", "--streaming=false", "--quantize=false",
                           "--summary-sentences=2", *LAUNCHER_OPTIONS, "--runner=DirectRunner"],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip() == f"submitted to {LOCAL_RUNNER}: DONE"  # --detach: no report
    assert sorted(read(out, "articles").column("article_id").to_pylist()) == sorted(a["id"] for a in corpus[:4])
    assert read(out, "dead_letter").num_rows == 1


@pytest.mark.slow
def test_unknown_misspelt_and_malformed_options_are_one_line_and_exit_2(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "x"}\n')
    base = ["run", "--source", "jsonl", "--input", str(src), "--output", str(tmp_path / "o")]
    _one_line_error(_cli(*base, "--ouput", "x"), "unrecognized arguments: --ouput x", "did you mean --output?")
    _one_line_error(_cli(*base, "--max_records", "3"), "unrecognized arguments: --max_records 3",
                    "did you mean --max-records?")
    _one_line_error(_cli(*base, "--runer=FnApiRunner"), "did you mean --runner?")
    _one_line_error(_cli(*base, "--out", "x"), "unrecognized arguments: --out x")  # no abbreviations
    _one_line_error(_cli(*base, "--streaming=maybe"), "--streaming is on or off")
    _one_line_error(_cli(*base, "--direct_num_workers=two"), "--direct_num_workers: invalid int value")
    _one_line_error(_cli("demo", "--output", str(tmp_path / "d"), "--bogus-flag"), "newsevents demo: error:",
                    "unrecognized arguments: --bogus-flag")
    assert not (tmp_path / "o").exists() and not (tmp_path / "d").exists()


@pytest.mark.slow
def test_bad_input_and_consumer_settings_are_one_line_and_exit_2(tmp_path):
    out = str(tmp_path / "o")
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.jsonl").write_text('{"text": "x"}\n')
    _one_line_error(_cli("run", "--source", "jsonl", "--input", str(folder), "--output", out),
                    "is a directory", f"{folder}/*.jsonl")
    loop = tmp_path / "loop.jsonl"
    loop.symlink_to(loop)  # a name that exists but cannot be opened, also for root
    _one_line_error(_cli("run", "--source", "jsonl", "--input", str(loop), "--output", out),
                    f"cannot read input file '{loop}'")
    if os.geteuid() != 0:  # root reads any file
        locked = tmp_path / "locked.jsonl"
        locked.write_text('{"text": "x"}\n')
        locked.chmod(0)
        _one_line_error(_cli("run", "--source", "jsonl", "--input", str(locked), "--output", out),
                        "Permission denied")
    _one_line_error(_cli("run", "--source", "kafka", "--bootstrap-servers", "127.0.0.1:9", "--topic", "t",
                         "--consumer-config", "bootstrap_timout_ms=2000", "--output", out),
                    "unknown --consumer-config key 'bootstrap_timout_ms'", "did you mean bootstrap_timeout_ms?")
    assert not (tmp_path / "o").exists()


@pytest.mark.slow
def test_the_local_runner_is_the_fnapi_runner_and_is_named(corpus, tmp_path):
    from newsevents.pipelines.config import RunConfig
    config = RunConfig(output=str(tmp_path / "x"), source="jsonl", input="in.jsonl")
    for given in ([], ["--runner", "DirectRunner"], ["--runner=direct"]):
        options = pipeline_options(config, given)
        assert options.view_as(StandardOptions).runner == LOCAL_RUNNER == "FnApiRunner"
        assert type(beam.Pipeline(options=options).runner).__name__ == "FnApiRunner"
    assert pipeline_options(config, ["--runner", "PrismRunner"]).view_as(StandardOptions).runner == "PrismRunner"

    src = tmp_path / "in.jsonl"
    src.write_bytes(b"\n".join(payloads(corpus[:3])) + b"\n")
    # -v: Beam's own log, where the DirectRunner says when it tries Prism.
    proc = _cli("-v", "run", "--source", "jsonl", "--input", str(src), "--output", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "runner: FnApiRunner (local, in this process)" in proc.stderr
    assert "Prism" not in proc.stderr
    assert re.search(r"│ runner\s+│ FnApiRunner\s+│", proc.stdout), proc.stdout
    assert read(tmp_path / "out", "articles").num_rows == 3


def _cancel_running_jobs(endpoint):
    import grpc
    from apache_beam.portability.api import beam_job_api_pb2, beam_job_api_pb2_grpc
    ended = (beam_job_api_pb2.JobState.DONE, beam_job_api_pb2.JobState.CANCELLED, beam_job_api_pb2.JobState.FAILED)
    with grpc.insecure_channel(endpoint) as channel:
        stub = beam_job_api_pb2_grpc.JobServiceStub(channel)
        for job in stub.GetJobs(beam_job_api_pb2.GetJobsRequest()).job_info:
            if job.state not in ended:
                stub.Cancel(beam_job_api_pb2.CancelJobRequest(job_id=job.job_id))


@pytest.mark.slow
def test_template_launcher_returns_while_its_streaming_job_goes_on(job_service, broker, topic, corpus, tmp_path):
    """A launcher that waited would never return for a streaming job. The job runs on Beam's job
    service and a worker pool of other processes, as it would on Dataflow: the launcher exits,
    and the job goes on reading what is published afterwards."""
    import signal
    import socket
    import time

    from newsevents.kafka.broker import free_port

    from helpers import publish
    port = free_port()
    # The pool starts its workers as "python": this environment's.
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    pool = subprocess.Popen([sys.executable, "-m", "apache_beam.runners.worker.worker_pool_main",
                             f"--service_port={port}"], stdout=subprocess.DEVNULL, env={**os.environ, "PATH": path},
                            stderr=open(tmp_path / "pool.log", "wb"), start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while socket.socket().connect_ex(("127.0.0.1", port)) != 0:
            assert pool.poll() is None and time.monotonic() < deadline, (tmp_path / "pool.log").read_text()[-2000:]
            time.sleep(0.2)
        out = tmp_path / "out"
        started = time.monotonic()
        proc = subprocess.run([sys.executable, str(ROOT / "deploy" / "dataflow" / "main.py"), "--source=kafka",
                               f"--bootstrap-servers={broker.bootstrap_servers}", f"--topic={topic}",
                               f"--output={out}", "--streaming=true", "--runner=PortableRunner",
                               f"--job_endpoint={job_service}", "--environment_type=EXTERNAL",
                               f"--environment_config=localhost:{port}"],
                              capture_output=True, text=True, timeout=120, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr[-3000:]
        assert re.fullmatch(r"submitted to PortableRunner: (STARTING|RUNNING)", proc.stdout.strip()), proc.stdout
        launch_s = time.monotonic() - started

        publish(broker, topic, payloads(corpus[:3]))
        deadline = time.monotonic() + 180
        while read(out, "articles").num_rows < 3:
            assert time.monotonic() < deadline, (tmp_path / "pool.log").read_text()[-3000:]
            time.sleep(1)
        assert sorted(read(out, "articles").column("article_id").to_pylist()) == sorted(a["id"] for a in corpus[:3])
        print(f"launcher returned after {launch_s:.1f} s")
    finally:
        _cancel_running_jobs(job_service)
        os.killpg(pool.pid, signal.SIGTERM)
        pool.wait(timeout=30)


def test_worker_processes_share_the_cores_instead_of_each_taking_all():
    import os

    from apache_beam.options.pipeline_options import PipelineOptions

    from newsevents.models.encoder import EncoderConfig
    from newsevents.pipelines.config import RunConfig
    from newsevents.pipelines.pipeline import pipeline_options, threads_per_worker

    config = RunConfig(output="out", source="jsonl", input="in.jsonl")
    procs = pipeline_options(config, ["--direct_num_workers", "2", "--direct_running_mode", "multi_processing"])
    assert threads_per_worker(config, procs).encoder.num_threads == max(1, (os.cpu_count() or 1) // 2)
    threads = pipeline_options(config, ["--direct_num_workers", "2", "--direct_running_mode", "multi_threading"])
    assert threads_per_worker(config, threads) == config  # one encoder shared by the threads
    explicit = RunConfig(output="out", source="jsonl", input="in.jsonl", encoder=EncoderConfig(num_threads=3))
    assert threads_per_worker(explicit, procs).encoder.num_threads == 3
    assert threads_per_worker(config, PipelineOptions([])) == config


def test_mistaken_values_and_options_of_the_other_source_are_one_line_and_exit_2(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "x"}\n')
    out = str(tmp_path / "o")
    jsonl = ["run", "--source", "jsonl", "--input", str(src)]
    kafka = ["run", "--source", "kafka", "--bootstrap-servers", "127.0.0.1:9", "--topic", "t", "--output", out]
    # A misspelt required option is named as such, not as the missing one.
    main_error(capsys, [*jsonl, "--ouput", out], "unrecognized arguments: --ouput", "did you mean --output?")
    main_error(capsys, jsonl, "the following arguments are required: --output")
    main_error(capsys, [*jsonl, "--output", out, "--compression", "brotli"], "invalid choice: 'brotli'",
                "(see newsevents run --help)")
    main_error(capsys, [*jsonl, "--output", out, "--max-records", "2"], "--max-records: only with --source kafka")
    main_error(capsys, [*jsonl, "--output", out, "--streaming"], "--streaming: only with --source kafka")
    main_error(capsys, [*jsonl, "--output", out, "--progress-interval", "-1"], "takes seconds, 0 or more")
    main_error(capsys, [*jsonl, "--output", out, "--languages", "en,xx"], "xx: no such language")
    main_error(capsys, [*kafka, "--max-read-time", "-3"], "takes seconds, more than 0")
    main_error(capsys, [*kafka, "--max-records", "0"], "must be 1 or more")
    main_error(capsys, [*kafka, "--consumer-config", "session_timeout_ms=abc"],
                "--consumer-config session_timeout_ms takes a whole number, not 'abc'")
    main_error(capsys, ["produce", "--bootstrap-servers", "127.0.0.1:9", "--topic", "t", "--input", str(src),
                         "--producer-config", "acks=banana"], "acks takes 0, 1, -1 or all")
    main_error(capsys, ["produce", "--bootstrap-servers", "127.0.0.1:9", "--topic", "t", "--input", str(src),
                         "--partitions", "0"], "must be 1 or more")
    main_error(capsys, ["broker", "--port", "99999"], "a TCP port is 1-65535")
    main_error(capsys, ["show", str(tmp_path), "--tpo", "3"], "newsevents show: error: unrecognized arguments: --tpo 3",
                "did you mean --top?")
    main_error(capsys, ["consolidate", str(tmp_path), "--bogus"], "newsevents consolidate: error:",
                "unrecognized arguments: --bogus")
    assert not os.path.exists(out)


def test_consolidate_takes_beam_s_options(tmp_path, capsys):
    from newsevents.pipelines.cli import main
    (tmp_path / "out").mkdir()
    assert main(["consolidate", str(tmp_path / "out"), "--runner", "DirectRunner", "--direct_num_workers=1"]) == 0
    assert "nothing new to consolidate" in capsys.readouterr().out
    # Before DIR too: the option's value is not taken for DIR.
    assert main(["consolidate", "--runner", "DirectRunner", "--direct_num_workers", "1", str(tmp_path / "out")]) == 0
    assert "nothing new to consolidate" in capsys.readouterr().out
