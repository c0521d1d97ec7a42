"""The encoder turns off oneDNN's per-shape primitive cache, which grew a streaming run's memory
without end (benchmarks/soak.py measures it); a value the user sets is kept."""
import os

from newsevents.encoder import EncoderConfig, SentenceEncoder

VAR = "ONEDNN_PRIMITIVE_CACHE_CAPACITY"


def test_encoder_sets_the_onednn_cache_capacity_unless_the_user_did(monkeypatch):
    monkeypatch.delenv(VAR, raising=False)
    encoder = SentenceEncoder(EncoderConfig())
    assert encoder.encode(["Leaders met in Geneva for talks on trade."]).shape == (1, encoder.dim)
    assert os.environ[VAR] == "0"
    monkeypatch.setenv(VAR, "256")
    SentenceEncoder(EncoderConfig())
    assert os.environ[VAR] == "256"
