"""Training of the classifier head on labeled JSON lines (``labels`` per article)."""
from __future__ import annotations

import numpy as np

from newsevents.classifier import ClassifierHead, train_head
from newsevents.encoder import SentenceEncoder
from newsevents.text import clean_article_text, split_sentences


def article_sentences(article: dict) -> list[str]:
    return split_sentences(clean_article_text(article.get("text") or ""))


def embed_articles(encoder: SentenceEncoder, articles: list[dict]) -> list[np.ndarray]:
    """One encoder pass over all sentences of all articles, split back per article."""
    return encoder.encode_groups([article_sentences(a) for a in articles])


def train(encoder: SentenceEncoder, articles: list[dict]) -> tuple[ClassifierHead, dict]:
    embeddings = embed_articles(encoder, articles)
    return train_head(embeddings, [a.get("labels", []) for a in articles], encoder.encode, encoder.name)
