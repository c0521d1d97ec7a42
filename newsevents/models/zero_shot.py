"""Zero-shot event labels from any Hugging Face NLI model (e.g. an MNLI-tuned BART or DeBERTa).

Each sentence is the premise and each event type has a hypothesis; the entailment probability
(entailment vs contradiction, as the usual zero-shot recipe does) is the sentence's relevance
to the type. An article's score is its best sentence's, its label set the types whose score
reaches the threshold, and its evidence the best sentences. The model is loaded from a local
folder or the Hugging Face cache only: nothing is downloaded.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from newsevents.models.classifier import Classification
from newsevents.models.encoder import load_pretrained, model_display_name
from newsevents.types import LABELLED_BY_CLASSIFIER, event_types

log = logging.getLogger(__name__)


def default_hypotheses() -> tuple[tuple[str, str], ...]:
    """(event type, hypothesis) of every registered type the classifier labels (EventType.zero_shot_hypothesis)."""
    return tuple((t.name, t.zero_shot_hypothesis) for t in event_types()
                 if t.labelled_by == LABELLED_BY_CLASSIFIER and t.zero_shot_hypothesis)


@dataclass(frozen=True)
class ZeroShotConfig:
    model: str                                  # local folder (or cached model id) of an NLI model
    threshold: float = 0.5
    hypotheses: tuple[tuple[str, str], ...] = field(default_factory=default_hypotheses)
    batch_size: int = 32
    max_length: int = 256


def _entailment_columns(id2label: dict) -> tuple[int, Optional[int]]:
    labels = {int(i): str(name).lower() for i, name in id2label.items()}
    entail = next((i for i, n in labels.items() if n.startswith("entail")), None)
    contra = next((i for i, n in labels.items() if n.startswith("contra")), None)
    if entail is None:
        raise ValueError(f"the model's labels {sorted(labels.values())} have no 'entailment': not an NLI model?")
    return entail, contra


@dataclass
class ZeroShotClassifier:
    config: ZeroShotConfig
    _model: object = field(default=None, repr=False)
    _tokenizer: object = field(default=None, repr=False)

    def __post_init__(self):
        import torch
        from transformers import AutoModelForSequenceClassification
        self._tokenizer, self._model = load_pretrained(AutoModelForSequenceClassification, self.config.model,
                                                       "an NLI model")
        self._entail, self._contra = _entailment_columns(self._model.config.id2label)
        self._torch = torch
        self.name = f"zero-shot-nli({model_display_name(self.config.model)})"

    def entailment(self, premises: list[str], hypothesis: str) -> np.ndarray:
        torch = self._torch
        out = []
        for i in range(0, len(premises), self.config.batch_size):
            batch = premises[i:i + self.config.batch_size]
            enc = self._tokenizer(batch, [hypothesis] * len(batch), truncation=True,
                                  max_length=self.config.max_length, padding=True, return_tensors="pt")
            with torch.inference_mode():
                logits = self._model(**enc).logits
            cols = [self._contra, self._entail] if self._contra is not None else list(range(logits.shape[1]))
            probs = torch.softmax(logits[:, cols], dim=-1)[:, -1 if self._contra is not None else self._entail]
            out.append(probs.float().numpy())
        return np.concatenate(out) if out else np.zeros(0, dtype=np.float32)

    def classify(self, sentences: list[str]) -> Classification:
        scores, labels, evidence, relevance = {}, [], {}, {}
        for t, hypothesis in self.config.hypotheses:
            p = self.entailment(sentences, hypothesis)
            relevance[t] = p
            scores[t] = float(p.max()) if p.size else 0.0
            order = [int(i) for i in np.argsort(-p)]
            evidence[t] = [i for i in order[:3] if p[i] >= self.config.threshold] or order[:1]
            if scores[t] >= self.config.threshold:
                labels.append(t)
        return Classification(scores, labels, evidence, relevance)
