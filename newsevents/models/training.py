"""Training of the classifier head on labeled JSON lines (``labels`` per article)."""
from __future__ import annotations

import numpy as np

from newsevents.models.classifier import ClassifierHead, train_head
from newsevents.models.encoder import SentenceEncoder
from newsevents.input.text import article_sentences as text_sentences


def article_sentences(article: dict) -> list[str]:
    """The sentences the pipeline would see (same cleaning, same fallback)."""
    return text_sentences(article.get("text") or "")[0]


def embed_articles(encoder: SentenceEncoder, articles: list[dict]) -> list[np.ndarray]:
    """One encoder pass over all sentences of all articles, split back per article."""
    return encoder.encode_groups([article_sentences(a) for a in articles])


def train(encoder: SentenceEncoder, articles: list[dict]) -> tuple[ClassifierHead, dict]:
    embeddings = embed_articles(encoder, articles)
    return train_head(embeddings, [a.get("labels", []) for a in articles], encoder.encode, encoder.name)
