"""Extractive summaries from sentence embeddings: centrality with redundancy removal.

A sentence is central when it is similar to the rest of the article; maximal marginal
relevance then avoids picking two sentences that say the same thing. News puts the key
facts first, so a mild lead bias breaks near-ties. The chosen sentences are returned in
article order so the summary reads naturally.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SummarizerConfig:
    max_sentences: int = 3
    redundancy: float = 0.3   # weight of the MMR penalty for similarity to already chosen sentences
    lead_bias: float = 0.05   # bonus for the first sentence, decaying with position

    def __post_init__(self):
        if self.max_sentences < 1:
            raise ValueError(f"a summary has 1 or more sentences, not {self.max_sentences}")


def select_sentences(relevance: np.ndarray, embeddings: np.ndarray, k: int, redundancy: float) -> list[int]:
    """Maximal marginal relevance: greedy picks of relevant sentences unlike those already picked."""
    chosen: list[int] = []
    similarity_to_chosen = np.zeros(len(relevance))
    for _ in range(min(k, len(relevance))):
        scores = relevance - redundancy * similarity_to_chosen
        scores[chosen] = -np.inf
        best = int(np.argmax(scores))  # the first of equals, as in article order
        chosen.append(best)
        similarity_to_chosen = np.maximum(similarity_to_chosen, embeddings @ embeddings[best])
    return sorted(chosen)


def centrality(embeddings: np.ndarray, lead_bias: float) -> np.ndarray:
    n = embeddings.shape[0]
    if n == 0:
        return np.zeros(0)
    sim = embeddings @ embeddings.T
    np.fill_diagonal(sim, 0.0)
    score = sim.sum(axis=1) / max(1, n - 1)
    centroid = embeddings.mean(axis=0)
    score = score + embeddings @ (centroid / (np.linalg.norm(centroid) + 1e-9))
    return score + lead_bias / (1.0 + np.arange(n))


def summarize(sentences: list[str], embeddings: np.ndarray, config: SummarizerConfig) -> list[int]:
    """Indices of the summary sentences of an article, in article order."""
    if not sentences:
        return []
    rel = centrality(embeddings, config.lead_bias)
    return select_sentences(rel, embeddings, config.max_sentences, config.redundancy)


def summarize_event(relevance: np.ndarray, embeddings: np.ndarray, config: SummarizerConfig,
                    max_sentences: int = 2) -> list[int]:
    """Indices of the sentences that speak of one event, ranked by relevance to its type."""
    if relevance.size == 0:
        return []
    k = min(max_sentences, config.max_sentences)
    return select_sentences(relevance + config.lead_bias / (1.0 + np.arange(relevance.size)),
                            embeddings, k, config.redundancy)
