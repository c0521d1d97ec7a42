"""Syndicated copies: articles whose text is nearly the same (wire copy republished under other
URLs, with small edits and other page chrome).

No Beam here; ``transforms.stories`` and ``benchmarks/consolidation.py`` use these functions.
The datasets keep no raw text, so an article's content is what the pipeline kept of it: its
summary and the evidence sentences of its events (sentences of the cleaned body, so page chrome
is already gone). Candidates come from MinHash LSH (datasketch) and every candidate is confirmed
by the exact Jaccard similarity of the word shingles, so hashing can miss a pair but never
invents one. ``method="exact"`` compares every pair (the reference the benchmark measures LSH
against).

The first copy of a group is decided by a rule on the data, never by read order: the earliest
``published_at`` (missing dates last), then the smallest ``article_id``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from itertools import combinations
from typing import Iterable, Optional

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class NearDuplicateConfig:
    threshold: float = 0.6      # Jaccard similarity of word shingles from which two articles are copies
    shingle_words: int = 3
    num_perm: int = 128
    method: str = "minhash"     # minhash (LSH candidates, exact check) | exact (every pair)


@dataclass
class ArticleDoc:
    article_id: str
    published_at: Optional[datetime]
    texts: list[str] = field(default_factory=list)


def shingles(texts: Iterable[str], size: int = 3) -> frozenset[str]:
    """Word n-grams of each text (lowercased); a text shorter than n words is one shingle."""
    out: set[str] = set()
    for text in texts:
        words = _WORD.findall((text or "").lower())
        if len(words) < size:
            if words:
                out.add(" ".join(words))
            continue
        out.update(" ".join(words[i:i + size]) for i in range(len(words) - size + 1))
    return frozenset(out)


def jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def _candidates_minhash(sets: list[frozenset], config: NearDuplicateConfig) -> set[tuple[int, int]]:
    from datasketch import MinHash, MinHashLSH
    lsh = MinHashLSH(threshold=config.threshold, num_perm=config.num_perm)
    pairs = set()
    for i, s in enumerate(sets):
        if not s:
            continue
        m = MinHash(num_perm=config.num_perm, seed=1)
        m.update_batch([x.encode() for x in s])
        for j in lsh.query(m):
            pairs.add((j, i))
        lsh.insert(i, m)
    return pairs


def duplicate_groups(docs: list[ArticleDoc], config: NearDuplicateConfig = NearDuplicateConfig()) -> dict[str, str]:
    """``{article_id: first copy's article_id}`` for every article that copies another."""
    docs = sorted(docs, key=lambda d: d.article_id)  # the LSH index answers the same whatever the input order
    sets = [shingles(d.texts, config.shingle_words) for d in docs]
    if config.method == "exact":
        candidates = combinations(range(len(docs)), 2)
    elif config.method == "minhash":
        candidates = sorted(_candidates_minhash(sets, config))
    else:
        raise ValueError(f"unknown near-duplicate method {config.method!r} (minhash or exact)")
    parent = list(range(len(docs)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in candidates:
        if docs[i].article_id != docs[j].article_id and sets[i] and jaccard(sets[i], sets[j]) >= config.threshold:
            parent[root(i)] = root(j)
    groups: dict[int, list[ArticleDoc]] = {}
    for i, d in enumerate(docs):
        groups.setdefault(root(i), []).append(d)
    out = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        first = min(members, key=first_copy_key)
        out.update({d.article_id: first.article_id for d in members if d.article_id != first.article_id})
    return out


def first_copy_key(doc: ArticleDoc) -> tuple:
    return (doc.published_at is None, doc.published_at or datetime.min, doc.article_id)
