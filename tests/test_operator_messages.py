"""What an operator is told: -v keeps a user error's exit status, a broker that refuses the SASL
mechanism is named as such, and the run report counts this run's articles that were not analysed."""
import json
import subprocess
import sys

import pytest

from newsevents.kafka.client import KafkaSourceError, consumer, producer


def _cli(*args, timeout=300):
    return subprocess.run([sys.executable, "-m", "newsevents.pipelines.cli", *args], capture_output=True,
                          text=True, timeout=timeout)


def test_verbose_shows_the_traceback_and_keeps_exit_2(tmp_path):
    args = ["run", "--source", "jsonl", "--input", str(tmp_path / "missing.jsonl"), "--output", str(tmp_path / "o")]
    quiet, verbose = _cli(*args), _cli("-v", *args)
    assert quiet.returncode == verbose.returncode == 2, (quiet.stderr[-1000:], verbose.stderr[-2000:])
    assert "Traceback" not in quiet.stderr and "Traceback" in verbose.stderr
    line = "newsevents run: error: no input file matches"
    assert line in quiet.stderr and verbose.stderr.strip().splitlines()[-1].startswith(line)


SASL = {"security_protocol": "SASL_PLAINTEXT", "sasl_mechanism": "SCRAM-SHA-512", "sasl_plain_username": "u",
        "sasl_plain_password": "secret-pw", "bootstrap_timeout_ms": 2000}


def test_an_unsupported_sasl_mechanism_is_what_the_broker_answered_through_the_cli(broker, topic, tmp_path):
    config = [a for k, v in SASL.items() for a in ("--consumer-config", f"{k}={v}")]
    proc = _cli("run", "--source", "kafka", "--bootstrap-servers", broker.bootstrap_servers, "--topic", topic,
                "--output", str(tmp_path / "o"), *config)
    assert proc.returncode == 2, proc.stderr[-2000:]
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert f"the Kafka broker at {broker.bootstrap_servers} refused the connection" in lines[0], lines[0]
    assert "UnsupportedSaslMechanismError" in lines[0] and "no Kafka broker reachable" not in lines[0]
    assert "SCRAM-SHA-512" in lines[0] and "secret-pw" not in lines[0]  # the settings, redacted
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("client", [consumer, producer])
def test_every_client_says_what_the_broker_answered(broker, client):
    with pytest.raises(KafkaSourceError, match="refused the connection: .*UnsupportedSaslMechanismError"):
        client(broker.bootstrap_servers, extra=SASL)


def test_no_answer_is_still_no_broker_reachable():
    from newsevents.kafka.broker import free_port
    servers = f"127.0.0.1:{free_port()}"
    with pytest.raises(KafkaSourceError, match=f"^no Kafka broker reachable at {servers}"):
        consumer(servers, extra={**SASL, "bootstrap_timeout_ms": 1000})


def test_the_report_counts_this_run_s_articles_not_analysed(corpus, tmp_path):
    english = [a for a in corpus if a["labels"]][:1]
    german = [{"id": f"de{i}", "text": text} for i, text in enumerate([
        "Bundeskanzler Scholz traf am Dienstag den französischen Präsidenten in Berlin. Die beiden sprachen "
        "über neue Zölle auf Stahl und Aluminium.",
        "Die Regierung in Berlin will die Verteidigungsausgaben deutlich erhöhen. Der Haushalt soll im "
        "nächsten Jahr um zehn Milliarden Euro wachsen."])]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in english + german))
    out = str(tmp_path / "out")

    def report_row(proc, what):
        assert proc.returncode == 0, proc.stderr[-2000:]
        row = next(line for line in proc.stdout.splitlines() if what in line)
        return [cell.strip() for cell in row.strip("│ ").split("│")][1:]

    first = _cli("run", "--source", "jsonl", "--input", str(src), "--output", out, "--progress-interval", "0")
    assert report_row(first, "of which not analysed (language)") == ["2", "2"]
    assert "by language (see --languages): de=2" in first.stdout
    # A second run of the same input writes nothing new: 0 of this run, 2 in the output.
    again = _cli("run", "--source", "jsonl", "--input", str(src), "--output", out, "--progress-interval", "0")
    assert report_row(again, "of which not analysed (language)") == ["0", "2"]
