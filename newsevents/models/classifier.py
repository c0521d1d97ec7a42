"""Multi-label event classifier: a light, trainable head on the sentence encoder's embeddings.

Each event type is described by positive prototype sentences (the event) and negative ones
(look-alikes: a mountain summit, an electricity tariff, a defense lawyer). A sentence is
scored by how much closer it is to the positives than to the negatives; a per-type logistic
regression over a handful of article-level statistics of those scores gives a calibrated
probability. So few parameters are fitted that the head generalises from a small corpus,
and the sentences with the highest margins are the label's evidence.
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from newsevents.types import LABELLED_BY_CLASSIFIER, event_types


HEAD_JSON = "head.json"
HEAD_ARRAYS = "prototypes.npz"
# No feature is a share of the article's sentences: unrelated paragraphs around the event must
# not dilute the decision (a share-of-sentences feature took padded held-out articles from
# macro-F1 0.921 to 0.710). The count of evidence sentences is capped for the same reason.
FEATURES = ("max_pos", "top2_pos", "max_margin", "top2_margin", "evidence_sentences")
EVIDENCE_COUNT_CAP = 3
EVIDENCE_MIN_MARGIN = 0.03


def default_head_dir() -> Path:
    return Path(str(resources.files("newsevents") / "resources" / "classifier"))


def classifier_types() -> tuple[str, ...]:
    """The registered types the classifier labels (the others are labelled by their definition)."""
    return tuple(t.name for t in event_types() if t.labelled_by == LABELLED_BY_CLASSIFIER)


def load_prototype_texts(path: Path | None = None) -> dict[str, dict[str, list[str]]]:
    path = path or Path(str(resources.files("newsevents") / "resources" / "prototypes.json"))
    data = json.loads(Path(path).read_text())
    return {t: {"positive": data[t]["positive"], "negative": data[t]["negative"]} for t in classifier_types()}


def article_features(pos: np.ndarray, neg: np.ndarray) -> np.ndarray:
    """The head's inputs, one row per event type: statistics over an article's sentences of their
    best similarity to the type's positive prototypes (``pos``, sentences x types) and of their
    margin over the negative ones (``pos - neg``)."""
    if pos.shape[0] == 0:
        return np.zeros((pos.shape[1], len(FEATURES)))
    margin = pos - neg
    k = min(2, pos.shape[0])
    return np.stack([pos.max(axis=0), np.sort(pos, axis=0)[-k:].mean(axis=0),
                     margin.max(axis=0), np.sort(margin, axis=0)[-k:].mean(axis=0),
                     np.minimum((margin > EVIDENCE_MIN_MARGIN).sum(axis=0), EVIDENCE_COUNT_CAP)], axis=1)


@dataclass
class Classification:
    scores: dict[str, float]
    labels: list[str]
    evidence: dict[str, list[int]]      # sentence indices, most relevant first
    relevance: dict[str, np.ndarray]   # per-sentence margin, used for per-event summaries


@dataclass
class ClassifierHead:
    encoder_name: str
    positives: dict[str, np.ndarray]
    negatives: dict[str, np.ndarray]
    mean: dict[str, np.ndarray]
    std: dict[str, np.ndarray]
    weights: dict[str, np.ndarray]
    bias: dict[str, float]
    thresholds: dict[str, float]
    prototype_texts: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    name: str = "prototype-logistic"

    @property
    def types(self) -> tuple[str, ...]:
        """The event types the head was trained on, in the order of its score columns."""
        return tuple(self.positives)

    @functools.cached_property
    def _stacked(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """All types' prototypes in one matrix per side, with the row where each type starts: one
        matrix product per article instead of one per type and side."""
        out = []
        for side in (self.positives, self.negatives):
            mats = [np.asarray(side[t], dtype=np.float32) for t in self.types]
            if any(m.shape[0] == 0 for m in mats):
                raise ValueError("every event type needs positive and negative prototypes")
            out += [np.concatenate(mats), np.cumsum([0] + [m.shape[0] for m in mats[:-1]])]
        return tuple(out)

    def sentence_scores(self, embeddings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(pos, neg), sentences x types (``types`` order): each sentence's best similarity to
        the type's positive and negative prototypes."""
        if embeddings.shape[0] == 0:
            empty = np.zeros((0, len(self.types)), dtype=np.float32)
            return empty, empty
        pos, pos_starts, neg, neg_starts = self._stacked
        return (np.maximum.reduceat(embeddings @ pos.T, pos_starts, axis=1),
                np.maximum.reduceat(embeddings @ neg.T, neg_starts, axis=1))

    def probability(self, features: np.ndarray, event_type: str) -> float:
        z = (features - self.mean[event_type]) / self.std[event_type]
        return float(1.0 / (1.0 + np.exp(-(z @ self.weights[event_type] + self.bias[event_type]))))

    def classify(self, embeddings: np.ndarray) -> Classification:
        scores, labels, evidence, relevance = {}, [], {}, {}
        pos, neg = self.sentence_scores(embeddings)
        features = article_features(pos, neg)
        margins = pos - neg
        for i, t in enumerate(self.types):
            p = self.probability(features[i], t)
            scores[t] = p
            margin = np.ascontiguousarray(margins[:, i])
            relevance[t] = margin
            order = np.argsort(-margin)[:3].tolist()
            evidence[t] = [j for j in order if margin[j] > EVIDENCE_MIN_MARGIN] or order[:1]
            if p >= self.thresholds[t]:
                labels.append(t)
        return Classification(scores, labels, evidence, relevance)

    # ---- persistence -------------------------------------------------------------------------
    def save(self, out_dir: str | Path) -> Path:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        arrays = {}
        for t in self.types:
            arrays[f"{t}.positive"] = self.positives[t].astype(np.float32)
            arrays[f"{t}.negative"] = self.negatives[t].astype(np.float32)
        np.savez_compressed(out / HEAD_ARRAYS, **arrays)
        meta = {
            "format": 1, "name": self.name, "encoder": self.encoder_name, "features": list(FEATURES),
            "types": {t: {"mean": self.mean[t].tolist(), "std": self.std[t].tolist(),
                          "weights": self.weights[t].tolist(), "bias": self.bias[t],
                          "threshold": self.thresholds[t]} for t in self.types},
            "prototypes": self.prototype_texts,
        }
        (out / HEAD_JSON).write_text(json.dumps(meta, indent=1))
        return out

    def for_encoder(self, encode, encoder_name: str) -> "ClassifierHead":
        """The same head with its prototypes embedded by ``encode``: an int8 encoder's sentences
        must be compared with int8 prototypes, or every margin shifts (fp32 prototypes against
        int8 sentences cost 0.17 macro-F1 on the held-out split)."""
        if encoder_name == self.encoder_name or not self.prototype_texts:
            return self
        import dataclasses
        embed = {t: {side: encode(texts) for side, texts in sides.items()} for t, sides in self.prototype_texts.items()}
        return dataclasses.replace(self, positives={t: embed[t]["positive"] for t in self.types},
                                   negatives={t: embed[t]["negative"] for t in self.types},
                                   encoder_name=encoder_name)

    @classmethod
    def load(cls, head_dir: str | Path | None = None) -> "ClassifierHead":
        d = Path(head_dir) if head_dir else default_head_dir()
        if not (d / HEAD_JSON).is_file():
            raise FileNotFoundError(f"no trained classifier head in {d} (expected {HEAD_JSON}); "
                                    f"train one with 'newsevents train --out {d}'")
        meta = json.loads((d / HEAD_JSON).read_text())
        arrays = np.load(d / HEAD_ARRAYS)
        types = meta["types"]  # the types it was trained on, whatever is registered now
        return cls(
            encoder_name=meta["encoder"],
            positives={t: arrays[f"{t}.positive"] for t in types},
            negatives={t: arrays[f"{t}.negative"] for t in types},
            mean={t: np.array(types[t]["mean"]) for t in types},
            std={t: np.array(types[t]["std"]) for t in types},
            weights={t: np.array(types[t]["weights"]) for t in types},
            bias={t: float(types[t]["bias"]) for t in types},
            thresholds={t: float(types[t]["threshold"]) for t in types},
            prototype_texts=meta.get("prototypes", {}),
            name=meta.get("name", "prototype-logistic") + f"@{d.name}",
        )


# ---- training --------------------------------------------------------------------------------
def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, iterations: int = 50) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Newton's method (a handful of features, exact and fast)."""
    n, d = x.shape
    xb = np.hstack([x, np.ones((n, 1))])
    w = np.zeros(d + 1)
    reg = np.eye(d + 1) * l2
    reg[-1, -1] = 0.0  # the bias is not shrunk
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(xb @ w)))
        grad = xb.T @ (p - y) + reg @ w
        hess = (xb * (p * (1 - p))[:, None]).T @ xb + reg + 1e-9 * np.eye(d + 1)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[:-1], float(w[-1])


def _best_threshold(probs: np.ndarray, y: np.ndarray) -> float:
    """The threshold with the best F1 on out-of-fold probabilities, pulled toward 0.5 on ties."""
    best, best_key = 0.5, (-1.0, 0.0)
    for th in np.arange(0.2, 0.81, 0.025):
        pred = probs >= th
        tp = float((pred & (y == 1)).sum())
        f1 = 2 * tp / max(1.0, pred.sum() + (y == 1).sum())
        key = (round(f1, 6), -abs(th - 0.5))
        if key > best_key:
            best, best_key = float(th), key
    return best


def train_head(article_embeddings: Sequence[np.ndarray], article_labels: Sequence[Iterable[str]],
               encode, encoder_name: str, prototypes: dict | None = None, folds: int = 5,
               l2: float = 1.0) -> tuple[ClassifierHead, dict]:
    """Fits the per-type logistic heads and picks thresholds from out-of-fold predictions.

    ``encode`` maps a list of sentences to embeddings (the same encoder as the articles').
    Returns the head and a report of the out-of-fold F1 per type.
    """
    texts = prototypes or load_prototype_texts()
    pos = {t: encode(texts[t]["positive"]) for t in texts}
    neg = {t: encode(texts[t]["negative"]) for t in texts}
    head = ClassifierHead(encoder_name=encoder_name, positives=pos, negatives=neg, mean={}, std={},
                          weights={}, bias={}, thresholds={}, prototype_texts=texts)
    labels = [set(ls) for ls in article_labels]
    n = len(article_embeddings)
    report = {}
    rng = np.random.default_rng(0)
    fold_of = rng.permutation(n) % max(2, min(folds, n))
    features = np.stack([article_features(*head.sentence_scores(e)) for e in article_embeddings])
    for i, t in enumerate(head.types):
        x = features[:, i]
        y = np.array([1.0 if t in ls else 0.0 for ls in labels])
        mean, std = x.mean(0), x.std(0) + 1e-6
        z = (x - mean) / std
        oof = np.zeros(n)
        for f in np.unique(fold_of):
            tr, te = fold_of != f, fold_of == f
            w, b = fit_logistic(z[tr], y[tr], l2)
            oof[te] = 1.0 / (1.0 + np.exp(-(z[te] @ w + b)))
        w, b = fit_logistic(z, y, l2)
        th = _best_threshold(oof, y)
        head.mean[t], head.std[t], head.weights[t], head.bias[t], head.thresholds[t] = mean, std, w, b, th
        pred = oof >= th
        tp = float((pred & (y == 1)).sum())
        report[t] = {"threshold": th, "oof_f1": 2 * tp / max(1.0, pred.sum() + y.sum()),
                     "positives": int(y.sum()), "weights": dict(zip(FEATURES, np.round(w, 3).tolist()))}
    return head, report
