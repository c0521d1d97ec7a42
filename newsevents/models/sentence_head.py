"""Sentence-level head: whether one sentence reports an event of a type, learned from sentences.

A per-type logistic regression on the encoder's sentence embedding, trained on the sentence corpus
of data/sentences/ (our own writing: reports, one-sentence briefs, look-alikes, unreal events; see
tools/sentence_corpus.py). The type's rules stay where a definition needs a veto (a utility's tariff,
a business summit): the head decides the many ways a sentence can say "met", "imposed" or "will
spend", which word lists could not enumerate.

Each sentence's probability depends on its own embedding only (no article or batch statistics), and
training is Newton's method from zero on the corpus sorted by text: the same corpus gives the same
weights whatever the order of its lines.
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Iterable, Optional, Sequence

import numpy as np

from newsevents.models.classifier import fit_logistic

HEAD_FILE = "sentence_head.json"
NONE_LABEL = "none"
# The L2 weight of the logistic regressions (the bias is not shrunk). On the held-out sentences 0.03
# and 0.1 score alike (macro-F1 0.949 with the first corpus) and 1.0 lower (0.917): unit-length
# embeddings need large weights to separate a summit from a business summit.
DEFAULT_L2 = 0.1


def default_head_path() -> Path:
    return Path(str(resources.files("newsevents") / "resources" / HEAD_FILE))


def default_corpus_dir() -> Path:
    from newsevents.evaluation.corpus import data_dir
    return data_dir() / "sentences"


def load_sentence_corpus(corpus_dir: str | Path | None = None) -> list[dict]:
    """The corpus's sentences (``text``, ``label``, ``kind``), sorted by text so that training does not
    depend on the order of files or lines; a text given twice counts once."""
    rows: dict[str, dict] = {}
    for path in sorted(Path(corpus_dir or default_corpus_dir()).glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                rows.setdefault(r["text"], r)
    return [rows[t] for t in sorted(rows)]


@dataclass
class SentenceHead:
    encoder_name: str
    types: tuple[str, ...]
    weights: np.ndarray      # types x dims
    bias: np.ndarray         # types
    thresholds: np.ndarray   # types

    def probabilities(self, embeddings: np.ndarray) -> np.ndarray:
        """sentences x types: each sentence's probability of reporting an event of each type."""
        if embeddings.shape[0] == 0:
            return np.zeros((0, len(self.types)))
        z = np.asarray(embeddings, dtype=np.float64) @ self.weights.T + self.bias
        return 1.0 / (1.0 + np.exp(-z))

    def decisions(self, embeddings: np.ndarray) -> dict[str, np.ndarray]:
        """Per type, a boolean per sentence: whether it reports an event of the type."""
        p = self.probabilities(embeddings)
        return {t: p[:, i] >= self.thresholds[i] for i, t in enumerate(self.types)}

    def reports(self, event_type: str, embeddings: np.ndarray) -> np.ndarray:
        i = self.types.index(event_type)
        return self.probabilities(embeddings)[:, i] >= self.thresholds[i]

    # ---- persistence -------------------------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        meta = {"format": 1, "name": "sentence-logistic", "encoder": self.encoder_name,
                "types": {t: {"bias": float(self.bias[i]), "threshold": float(self.thresholds[i]),
                              "weights": [float(w) for w in self.weights[i]]} for i, t in enumerate(self.types)}}
        path.write_text(json.dumps(meta, separators=(",", ":")))
        return path

    @classmethod
    def load(cls, path: str | Path | None = None) -> "SentenceHead":
        path = Path(path) if path else default_head_path()
        if not path.is_file():
            raise FileNotFoundError(f"no sentence head at {path}; train one with "
                                    f"'newsevents train --sentence-head --out DIR'")
        meta = json.loads(path.read_text())
        types = tuple(meta["types"])
        return cls(encoder_name=meta["encoder"], types=types,
                   weights=np.array([meta["types"][t]["weights"] for t in types], dtype=np.float64),
                   bias=np.array([meta["types"][t]["bias"] for t in types], dtype=np.float64),
                   thresholds=np.array([meta["types"][t]["threshold"] for t in types], dtype=np.float64))


@functools.lru_cache(maxsize=1)
def _packaged_head() -> Optional[SentenceHead]:
    return SentenceHead.load() if default_head_path().is_file() else None


def sentence_head_for(encoder_name: str) -> Optional[SentenceHead]:
    """The packaged sentence head where it was trained on this encoder's embeddings (an int8 build of
    the same model included), else None: a head on another model's embeddings would decide at random."""
    head = _packaged_head()
    return head if head is not None and head.encoder_name == encoder_name.replace("+int8", "") else None


def _f1(pred: np.ndarray, y: np.ndarray) -> float:
    tp = float((pred & (y == 1)).sum())
    return float(2 * tp / max(1.0, pred.sum() + (y == 1).sum()))


def fit_sentence_head(embeddings: np.ndarray, labels: Sequence[str], types: Iterable[str], encoder_name: str,
                      l2: float = DEFAULT_L2, folds: int = 5) -> tuple[SentenceHead, dict]:
    """One logistic regression per type (its sentences against all others, the other types' included:
    a tariff sentence is a summit negative). Thresholds stay at 0.5 unless out-of-fold predictions
    call for another (ties go to 0.5); the report gives each type's out-of-fold precision and recall."""
    types = tuple(types)
    x = np.asarray(embeddings, dtype=np.float64)
    n = x.shape[0]
    fold_of = np.arange(n) % max(2, folds)  # rows come sorted by text: fixed and order-free
    weights, bias, thresholds, report = [], [], [], {}
    for t in types:
        y = np.array([1.0 if lab == t else 0.0 for lab in labels])
        oof = np.zeros(n)
        for f in range(max(2, folds)):
            tr, te = fold_of != f, fold_of == f
            w, b = fit_logistic(x[tr], y[tr], l2)
            oof[te] = 1.0 / (1.0 + np.exp(-(x[te] @ w + b)))
        w, b = fit_logistic(x, y, l2)
        best, best_key = 0.5, (-1.0, 0.0)
        for th in np.arange(0.3, 0.71, 0.05):
            key = (round(_f1(oof >= th, y), 4), -abs(th - 0.5))
            if key > best_key:
                best, best_key = float(round(th, 2)), key
        pred = oof >= best
        tp = float((pred & (y == 1)).sum())
        report[t] = {"sentences": int(y.sum()), "threshold": best, "oof_precision": round(float(tp / max(1.0, pred.sum())), 4),
                     "oof_recall": round(float(tp / max(1.0, y.sum())), 4), "oof_f1": round(_f1(pred, y), 4)}
        weights.append(w)
        bias.append(b)
        thresholds.append(best)
    head = SentenceHead(encoder_name, types, np.array(weights), np.array(bias), np.array(thresholds))
    return head, report


def train_command(encoder_model: str, out: str | Path, corpus_dir: str | Path | None = None) -> dict:
    """What ``newsevents train --sentence-head`` does: trains on the corpus and writes the head to
    ``out`` (a directory gets ``sentence_head.json``); returns the report it prints."""
    from newsevents.models.encoder import EncoderConfig, SentenceEncoder
    encoder = SentenceEncoder(EncoderConfig(model=encoder_model))
    head, report = train_sentence_head(encoder, corpus_dir)
    out = Path(out)
    path = head.save(out / HEAD_FILE if out.suffix != ".json" else out)
    return {"trained_on": str(corpus_dir or default_corpus_dir()), "out": str(path), "encoder": encoder.name, **report}


def train_sentence_head(encoder, corpus_dir: str | Path | None = None, types: Optional[Iterable[str]] = None,
                        l2: float = DEFAULT_L2) -> tuple[SentenceHead, dict]:
    """Embeds the sentence corpus with ``encoder`` and fits the head on it (the registered types by
    default; a type without sentences in the corpus is left out)."""
    from newsevents.types import names
    rows = load_sentence_corpus(corpus_dir)
    labels = [r["label"] for r in rows]
    wanted = [t for t in (types or names()) if t in set(labels)]
    head, report = fit_sentence_head(encoder.encode([r["text"] for r in rows]), labels, wanted,
                                     encoder.name.replace("+int8", ""), l2)
    counts: dict[str, dict[str, int]] = {}
    for r in rows:
        counts.setdefault(r["label"], {}).setdefault(r["kind"], 0)
        counts[r["label"]][r["kind"]] += 1
    return head, {"corpus": counts, "types": report}
