"""RunControl: stop and progress between the command line and the DoFns through the run's folder,
in one process, across processes, and not at all without a folder."""
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from newsevents.runtime.control import STOP_CHECK_INTERVAL_S, RunControl

from helpers import payloads, publish, read, wait_until

CLI = [sys.executable, "-m", "newsevents.pipelines.cli"]


def test_a_stop_request_reaches_a_reader_of_the_same_folder_within_its_check_interval(tmp_path):
    control = RunControl(str(tmp_path))
    signal_ = RunControl(str(tmp_path)).stop_signal()  # a copy, as a DoFn unpickled elsewhere has
    assert not signal_.is_set() and not control.stop_requested()
    control.request_stop()
    assert control.stop_requested()
    # The marker is looked for at most every STOP_CHECK_INTERVAL_S: seen once that has passed.
    assert wait_until(signal_.is_set, timeout=STOP_CHECK_INTERVAL_S * 5)
    assert signal_.is_set()  # and stays seen


def test_without_a_folder_stop_and_progress_stay_in_the_process():
    control = RunControl()
    control.request_stop()
    assert not control.stop_requested() and not control.stop_signal().is_set()
    before = control.snapshot()["counts"].get("records_read", 0)
    control.progress().add("records_read", 3)
    assert control.snapshot()["counts"]["records_read"] == before + 3


def test_progress_counts_of_other_processes_are_summed(tmp_path):
    control = RunControl(str(tmp_path))
    control.progress().add("rows_articles", 2)  # this process
    script = textwrap.dedent(f"""
        from newsevents.runtime.control import RunControl
        progress = RunControl({str(tmp_path)!r}).progress()
        progress.add("rows_articles", 5)
        progress.set_lag("t[0]", 7)
    """)  # the publisher writes the counts at exit at the latest
    for _ in range(2):
        subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    snap = control.snapshot()
    assert snap["counts"]["rows_articles"] == 2 + 5 + 5 and snap["lag"] == {"t[0]": 7}
    control.close()
    assert not tmp_path.exists()


@pytest.mark.slow
def test_an_in_process_streaming_pipeline_ends_on_a_stop_request(broker, topic, corpus, tmp_path):
    """The local runner in this process: the read ends after its poll, what it read is written."""
    from newsevents.pipelines.config import RunConfig
    from newsevents.pipelines.pipeline import run
    from newsevents.transforms.kafka_io import KafkaReadConfig

    publish(broker, topic, payloads(corpus[:3]))
    control = RunControl.create()
    config = RunConfig(output=str(tmp_path / "out"), source="kafka", kafka=KafkaReadConfig(
        bootstrap_servers=broker.bootstrap_servers, topics=(topic,), bounded=False, commit_offsets=False))
    done = []
    runner = threading.Thread(target=lambda: done.append(run(config.with_control(control))), daemon=True)
    runner.start()
    try:
        assert wait_until(lambda: control.snapshot()["counts"].get("rows_articles", 0) == 3, timeout=180)
        control.request_stop()
        runner.join(timeout=60)
        assert done and str(done[0].state) in ("DONE", "PipelineState.DONE"), done
    finally:
        control.close()
    assert read(tmp_path / "out", "articles").num_rows == 3


def _streaming_run(broker, topic, out, log_path, *extra):
    return subprocess.Popen([*CLI, "run", "--source", "kafka", "--bootstrap-servers", broker.bootstrap_servers,
                             "--topic", topic, "--streaming", "--group-id", "control", "--output", str(out),
                             "--progress-interval", "1", *extra],
                            stdout=subprocess.PIPE, stderr=open(log_path, "wb"), text=True)


@pytest.mark.slow
def test_sigterm_stops_worker_processes_gracefully(broker, topic, corpus, tmp_path):
    """With --direct_running_mode multi_processing the reads run in other processes: the stop
    marker reaches them, they end, and the run writes, commits, reports and exits 0."""
    publish(broker, topic, payloads(corpus[:4]))
    log_path, out = tmp_path / "run.log", tmp_path / "out"
    proc = _streaming_run(broker, topic, out, log_path, "--direct_num_workers", "2",
                          "--direct_running_mode", "multi_processing")
    try:
        wait_until(lambda: proc.poll() is not None or "read=4 articles=4 " in log_path.read_text(), timeout=240)
        assert proc.poll() is None and "read=4 articles=4 " in log_path.read_text(), \
            (proc.poll(), proc.stdout.read() if proc.poll() is not None else "", log_path.read_text()[-3000:])
        sent = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        stdout, _ = proc.communicate(timeout=60)
    finally:
        proc.kill()
    log = log_path.read_text()
    assert proc.returncode == 0, log[-3000:]
    assert time.monotonic() - sent < 30 and "SIGTERM received" in log and "Traceback" not in log
    assert "articles accepted" in stdout
    assert read(out, "articles").num_rows == 4


@pytest.mark.slow
def test_a_second_signal_exits_at_once_with_130(broker, topic, corpus, tmp_path):
    publish(broker, topic, payloads(corpus[:2]))
    log_path, out = tmp_path / "run.log", tmp_path / "out"
    proc = _streaming_run(broker, topic, out, log_path)
    try:
        assert wait_until(lambda: proc.poll() is None and "read=2 articles=2 " in log_path.read_text(), timeout=180), \
            log_path.read_text()[-3000:]
        proc.send_signal(signal.SIGINT)
        assert wait_until(lambda: "SIGINT received" in log_path.read_text(), timeout=10)
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 130, log_path.read_text()[-3000:]
    assert "second SIGINT, exiting without finishing" in log_path.read_text()
