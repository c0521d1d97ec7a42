"""Numeric options out of their real range: one line and exit 2 before any work, in every command;
--max-seq-length against the encoder's own maximum."""
import json
import subprocess
import sys

import pytest

from newsevents.models.encoder import EncoderConfig, SentenceEncoder, model_max_length
from newsevents.models.summarize import SummarizerConfig

from helpers import main_error


@pytest.fixture
def article_file(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a1", "text": "President Macron met Chancellor Scholz in Berlin on Tuesday. "
                                                   "The two leaders agreed on new tariffs on steel."}) + "\n")
    return src


def test_the_packaged_encoder_reads_at_most_512_tokens():
    # MiniLM: 512 position embeddings and a tokenizer limit of 512 (its folder says so).
    assert model_max_length("default") == 512


def test_max_seq_length_beyond_the_model_is_one_line_and_exit_2_through_the_real_cli(article_file, tmp_path):
    out = tmp_path / "o"
    proc = subprocess.run([sys.executable, "-m", "newsevents.pipelines.cli", "run", "--source", "jsonl",
                           "--input", str(article_file), "--output", str(out), "--max-seq-length", "100000"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2, proc.stderr[-2000:]
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "--max-seq-length 100000" in lines[0] and "at most 512 tokens" in lines[0], lines[0]
    assert not out.exists()


@pytest.mark.parametrize("option, value, message", [
    ("--max-seq-length", "-1", "must be 1 or more, not -1"),
    ("--max-seq-length", "0", "must be 1 or more, not 0"),
    ("--max-seq-length", "513", "reads at most 512 tokens per sentence"),
    ("--summary-sentences", "0", "must be 1 or more, not 0"),
    ("--summary-sentences", "-1", "must be 1 or more, not -1"),
    ("--encoder-batch-size", "-5", "must be 1 or more, not -5"),
    ("--encoder-batch-size", "0", "must be 1 or more, not 0"),
    ("--summary-max-tokens", "0", "must be 1 or more"),
    ("--zero-shot-threshold", "1.5", "is a probability, 0 to 1"),
    ("--zero-shot-threshold", "nan", "is a probability, 0 to 1"),
    ("--compact-interval", "nan", "takes seconds, 0 or more"),
    ("--compact-interval", "-1", "takes seconds, 0 or more"),
    ("--compact-min-files", "1", "must be 2 or more"),
    ("--progress-interval", "inf", "takes seconds, at most"),
    ("--progress-interval", "1e300", "takes seconds, at most"),
])
def test_run_refuses_numbers_out_of_range(capsys, article_file, tmp_path, option, value, message):
    out = tmp_path / "o"
    main_error(capsys, ["run", "--source", "jsonl", "--input", str(article_file), "--output", str(out),
                         option, value], option, message)
    assert not out.exists()


def test_kafka_run_refuses_an_endless_read_time(capsys, tmp_path):
    main_error(capsys, ["run", "--source", "kafka", "--bootstrap-servers", "127.0.0.1:9", "--topic", "t",
                         "--output", str(tmp_path / "o"), "--max-read-time", "inf"], "--max-read-time",
                "takes seconds, at most")


@pytest.mark.parametrize("argv, message", [
    (["evaluate", "--max-seq-length", "600"], "reads at most 512 tokens per sentence"),
    (["evaluate", "--summary-sentences", "0"], "must be 1 or more"),
    (["show", "{out}", "--top", "0"], "must be 1 or more"),
    (["show", "{out}", "--latest", "-1"], "must be 0 or more"),
    (["plot", "{out}", "--out", "{out}/x.png", "--top", "-3"], "must be 1 or more"),
    (["compact", "{out}", "--min-files", "1"], "must be 2 or more"),
    (["consolidate", "{out}", "--lookback-days", "-1"], "must be 0 or more"),
    (["consolidate", "{out}", "--lookback-days", "99999999"], "must be 693595 or less"),
    (["produce", "--bootstrap-servers", "127.0.0.1:9", "--topic", "t", "--input", "x", "--partitions",
      "4294967296"], "must be 2147483647 or less"),
    (["demo", "--partitions", "0"], "must be 1 or more"),
])
def test_other_commands_refuse_numbers_out_of_range(capsys, tmp_path, argv, message):
    main_error(capsys, [a.format(out=tmp_path) for a in argv], message)


def test_a_refused_number_names_its_type_when_it_is_no_number(capsys, article_file, tmp_path):
    main_error(capsys, ["run", "--source", "jsonl", "--input", str(article_file), "--output", str(tmp_path / "o"),
                         "--summary-sentences", "three"], "--summary-sentences: invalid int value: 'three'")


def test_the_library_refuses_the_same_ranges():
    with pytest.raises(ValueError, match="1 or more tokens"):
        EncoderConfig(max_length=0)
    with pytest.raises(ValueError, match="batch size"):
        EncoderConfig(batch_size=-5)
    with pytest.raises(ValueError, match="1 or more sentences"):
        SummarizerConfig(max_sentences=0)
    with pytest.raises(ValueError, match="more than the 512 tokens"):
        SentenceEncoder(EncoderConfig(max_length=513))
    # The model's maximum itself is accepted and encodes a sentence longer than 512 tokens (cut).
    encoder = SentenceEncoder(EncoderConfig(max_length=512))
    assert encoder.encode(["word " * 700]).shape == (1, encoder.dim)


def test_summary_max_tokens_beyond_the_summarizer_s_positions(capsys, corpus, article_file, tmp_path):
    from tiny_models import build_seq2seq
    model = build_seq2seq(corpus, tmp_path / "tiny-bart")  # 512 positions
    base = ["run", "--source", "jsonl", "--input", str(article_file), "--output", str(tmp_path / "o"),
            "--summarizer-model", str(model)]
    main_error(capsys, [*base, "--summary-max-tokens", "513"], "--summary-max-tokens 513", "at most 512 tokens")
    from newsevents.pipelines.cli import build_parser, parse_args
    from newsevents.pipelines.flags import abstractive_config
    args, _ = parse_args(build_parser(), [*base, "--summary-max-tokens", "512"])
    assert abstractive_config(args).max_new_tokens == 512
    main_error(capsys, [*base[:-1], str(tmp_path / "no-model")], "cannot load a seq2seq model from")
