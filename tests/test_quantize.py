"""--quantize: the int8 encoder through the pipeline, and its accuracy cost as evaluate reports it."""
import json
import subprocess
import sys

import numpy as np
import pytest

from newsevents.models.encoder import EncoderConfig, SentenceEncoder

from helpers import events, payloads, read, run_jsonl

SENTENCES = ["Leaders of the two countries met in Geneva for talks on trade.",
             "The government raised tariffs on imported steel to 25 percent.",
             "Parliament approved a record military budget for next year.",
             "Hikers were rescued near the summit of the mountain."]


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("NEWSEVENTS_CACHE", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.mark.parametrize("backend", ["onnx", "torch"])
def test_int8_embeddings_stay_close_to_fp32(backend):
    fp32 = SentenceEncoder(EncoderConfig()).encode(SENTENCES)
    q = SentenceEncoder(EncoderConfig(quantize=True, quantize_backend=backend))
    assert q.engine == f"{'onnxruntime' if backend == 'onnx' else 'torch'}-int8"
    cosine = (q.encode(SENTENCES) * fp32).sum(axis=1)
    assert cosine.min() > (0.97 if backend == "onnx" else 0.85), cosine
    assert np.allclose(np.linalg.norm(q.encode(SENTENCES), axis=1), 1.0, atol=1e-4)


def test_int8_batches_side_by_side_match_one_at_a_time():
    sentences = [f"{s} (variant {i})" for i in range(30) for s in SENTENCES]
    q = SentenceEncoder(EncoderConfig(quantize=True, quantize_backend="onnx", batch_size=8))
    assert q.onnx.parallel_batches >= 1
    side_by_side = q.encode(sentences)
    q.onnx.parallel_batches = 1
    one_at_a_time = q.encode(sentences)
    assert np.allclose(side_by_side, one_at_a_time, atol=1e-5)


@pytest.mark.parametrize("config", [EncoderConfig(quantize=True, quantize_backend="onnx"),
                                    EncoderConfig(quantize=True, quantize_backend="torch"), EncoderConfig()],
                         ids=["onnx-int8", "torch-int8", "fp32"])
def test_an_embedding_does_not_depend_on_its_batch(config):
    """Short and long sentences in three arrangements: alone, in small mixed batches, shuffled in large ones."""
    sentences = [f"{s} {'Officials added details. ' * (i % 5)}(report {i})" for i in range(12) for s in SENTENCES]
    encoder = SentenceEncoder(config)
    alone = np.stack([encoder.encode([s])[0] for s in sentences])
    order = np.random.default_rng(7).permutation(len(sentences))
    arrangements = []
    for batch_size in (3, 32):
        encoder._batch_size = min(batch_size, encoder._batch_size) if config.quantize_backend == "torch" else batch_size
        shuffled = encoder.encode([sentences[i] for i in order])
        arrangements.append(shuffled[np.argsort(order)])
    for embeddings in arrangements:
        if config.quantize:  # integer matrix products: bit-identical
            assert np.array_equal(embeddings, alone)
        else:  # fp32 kernels may sum in another order for another batch shape
            assert np.allclose(embeddings, alone, atol=1e-6, rtol=0)


@pytest.mark.slow
def test_pipeline_output_does_not_depend_on_the_batching(corpus, tmp_path):
    """The same articles, in one batch in one order and in batches of two in the reverse order with
    other articles between them, get the same int8 scores and labels."""
    picked = [a for a in corpus if a["id"] in {"sum-001", "tar-001", "def-001", "mix-all-001", "neg-001"}]
    others = [a for a in corpus if a not in picked][:9]
    together = tmp_path / "together.jsonl"
    together.write_bytes(b"\n".join(payloads(picked)) + b"\n")
    interleaved = [x for pair in zip(picked[::-1], others) for x in pair] + others[len(picked):]
    apart = tmp_path / "apart.jsonl"
    apart.write_bytes(b"\n".join(payloads(interleaved)) + b"\n")
    config = EncoderConfig(quantize=True)
    run_jsonl(together, tmp_path / "together", encoder=config)
    run_jsonl(apart, tmp_path / "apart", encoder=config, inference_batch_size=2, inference_min_batch_size=1)
    columns = ["article_id", "event_types", *(f"score_{t}" for t in ("summit", "tariff", "defense_spending"))]
    rows = {name: {r["article_id"]: r for r in read(tmp_path / name, "articles").select(columns).to_pylist()}
            for name in ("together", "apart")}
    assert len(rows["together"]) == len(picked)
    for article_id, row in rows["together"].items():
        assert rows["apart"][article_id] == row


@pytest.mark.slow
def test_quantized_pipeline_labels_like_fp32(corpus, tmp_path, monkeypatch):
    picked = [a for a in corpus if a["id"] in {"sum-001", "tar-001", "def-001", "mix-all-001", "neg-001"}]
    src = tmp_path / "in.jsonl"
    src.write_bytes(b"\n".join(payloads(picked)) + b"\n")
    run_jsonl(src, tmp_path / "fp32")
    from newsevents.models import encoder as encoder_module
    encoder_module.release_shared_encoders()
    loaded = []
    init = SentenceEncoder.__init__
    monkeypatch.setattr(SentenceEncoder, "__init__", lambda self, config: (loaded.append(config), init(self, config))[1])
    run_jsonl(src, tmp_path / "int8", encoder=EncoderConfig(quantize=True))
    # RunInference and the classify step (prototypes embedded by the int8 encoder) share one model.
    assert len(loaded) == 1
    # The gate spares the models an article where nothing meets a definition (neg-001): no encoder.
    rows = read(tmp_path / "int8", "articles").to_pylist()
    int8 = "sentence-transformers/all-MiniLM-L6-v2+int8"
    assert {r["encoder_model"] for r in rows if r["analysis"] != "gated"} == {int8}
    assert {r["encoder_model"] for r in rows if r["analysis"] == "gated"} <= {None}
    labels = {name: {t: sorted(tbl.column("article_id").to_pylist()) for t, tbl in events(tmp_path / name).items()}
              for name in ("fp32", "int8")}
    assert labels["int8"] == labels["fp32"]


@pytest.mark.slow
def test_evaluate_reports_the_cost_of_int8():
    proc = subprocess.run([sys.executable, "-m", "newsevents.pipelines.cli", "evaluate", "--quantize", "--json"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    cost = json.loads(proc.stdout)["quantization_cost"]
    assert cost["macro_f1_fp32"] >= 0.85
    assert cost["macro_f1_delta"] == pytest.approx(cost["macro_f1_int8"] - cost["macro_f1_fp32"], abs=1e-3)
    assert cost["macro_f1_int8"] >= 0.8 and "fields_f1_delta" in cost and "rouge1_delta" in cost
