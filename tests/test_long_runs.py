"""What keeps a streaming run's memory flat (benchmarks/soak.py measures it): the encoder turns off
oneDNN's per-shape primitive cache, and the FnApiRunner's metrics are merged after every bundle
instead of being chained until the run ends."""
import itertools
import os

from apache_beam.metrics import monitoring_infos as mi
from apache_beam.runners.portability.fn_api_runner import fn_runner

from newsevents.models.encoder import EncoderConfig, SentenceEncoder
from newsevents.pipelines.beam_fixes import eager_fnapi_metrics

VAR = "ONEDNN_PRIMITIVE_CACHE_CAPACITY"


def test_encoder_sets_the_onednn_cache_capacity_unless_the_user_did(monkeypatch):
    monkeypatch.delenv(VAR, raising=False)
    encoder = SentenceEncoder(EncoderConfig())
    assert encoder.encode(["Leaders met in Geneva for talks on trade."]).shape == (1, encoder.dim)
    assert os.environ[VAR] == "0"
    monkeypatch.setenv(VAR, "256")
    SentenceEncoder(EncoderConfig())
    assert os.environ[VAR] == "256"


def test_fnapi_runner_merges_bundle_metrics_at_once():
    eager_fnapi_metrics()
    eager_fnapi_metrics()  # a second pipeline in the same process must not wrap it twice
    merged = []
    for _ in range(3):  # what the runner does after each bundle of a stage
        merged = fn_runner.consolidate_monitoring_infos(
            itertools.chain([mi.int64_user_counter("ns", "records", 2)], merged))
    assert isinstance(merged, list) and len(merged) == 1
    assert mi.extract_counter_value(merged[0]) == 6
