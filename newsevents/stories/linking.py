"""Stories: the events of one type that describe the same real-world event, across articles.

No Beam here (``transforms.stories`` runs it in the consolidation pipeline; ``newsevents
evaluate`` and the benchmark call it directly). Two events are linked when their dates are at
most ``max_gap_days`` apart, they share countries (Jaccard) or a participant's surname, and their
summaries are close in the encoder's space; stories are groups of linked events built by average
linkage, so every member is close to the story as a whole (a chain of links is not enough).
Events without any country or participant need a higher similarity; two events that name
different host cities (or goods, with none in common) are never linked, nor two bilateral summits
that each name two countries, not the same two. Candidate pairs are found in date
blocks with matrix products, so 10,000 events cost a few seconds beyond encoding.

Everything is decided from the events themselves, never from read order: the story id derives
from the earliest member (``published_at``, then ``event_id``), so a story that grows keeps its
id; an earlier member that arrives late becomes the anchor, and the story's id changes to the
one a replay from scratch would give.
"""
from __future__ import annotations

import hashlib
import heapq
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Callable, Optional

import numpy as np

from newsevents.types import get

# Columns of an event row that stories use (any other column is ignored).
STORY_EVENT_COLUMNS = ["event_id", "article_id", "event_type", "source", "published_at", "event_date", "summary",
                       "evidence", "title", "country_codes", "participants", "locations", "dt"]
# Type-specific columns that add to the entities and consensus fields, when the type has them.
OPTIONAL_EVENT_COLUMNS = ["leader_countries", "host_city", "host_country", "status", "imposing_countries",
                          "target_countries", "action", "rate_percent", "country", "goods", "actor1_country",
                          "format"]


@dataclass(frozen=True)
class StoryConfig:
    max_gap_days: int = 2            # linked events are dated at most this many days apart
    min_similarity: float = 0.5      # cosine of title + event summary, with shared countries or people
    min_similarity_no_entities: float = 0.8  # when either event names no country and no person
    min_country_jaccard: float = 0.5
    # Two bilateral summits that each name exactly two countries, not the same two, are two
    # meetings (a host meeting two visitors in one week shares a leader and often the city) and
    # never link. Reports of one trilateral or multilateral meeting may each name a different two.
    distinct_pairs: bool = True
    # Mean similarity over all pairs of two groups (unlinked pairs count 0) from which they merge.
    min_story_similarity: float = 0.5
    block_rows: int = 1024           # rows per matrix product (memory bound)


@dataclass
class StoryEvent:
    event_id: str
    article_id: str
    event_type: str
    source: Optional[str]
    published_at: Optional[datetime]
    day: Optional[date]
    published_day: Optional[date]
    summary: str
    text: str
    dt: str
    countries: frozenset = frozenset()
    surnames: frozenset = frozenset()
    participants: tuple = ()
    place: Optional[str] = None
    status: Optional[str] = None
    format: Optional[str] = None    # a summit's: bilateral, trilateral, multilateral
    bilateral: bool = False         # its two countries are a pair of its own (EventType.story_bilateral)
    action: Optional[str] = None
    rate: Optional[float] = None
    duplicate_of: Optional[str] = None
    # What tells two meetings or measures of the same countries apart: events that both name a
    # host city, or both name goods, and share none are never linked.
    cities: frozenset = frozenset()
    goods: frozenset = frozenset()
    # A measure by one party and the other party's response (US duties, Canada's retaliation; two
    # countries' budgets) are two stories: events of a type with EventType.story_distinct_actor1 (tariff,
    # defence) and different actor1 never link.
    acting: frozenset = frozenset()
    extra: dict = field(default_factory=dict)

    @property
    def counted_article(self) -> str:
        """A copy counts as its first copy: nothing counts twice."""
        return self.duplicate_of or self.article_id


_TITLE_WORDS = re.compile(r"[^\w'-]+")


def surname(person: str) -> str:
    words = [w for w in _TITLE_WORDS.split(person or "") if w]
    return words[-1].lower() if words else ""


def event_from_row(row: dict, duplicate_of: Optional[str] = None) -> StoryEvent:
    """A story event from an event row (a dict of its columns; extra columns are ignored)."""
    countries = set(row.get("country_codes") or [])
    for name in ("leader_countries", "imposing_countries", "target_countries"):
        countries.update(row.get(name) or [])
    for name in ("host_country", "country"):
        if row.get(name):
            countries.add(row[name])
    participants = tuple(row.get("participants") or ())
    published = row.get("published_at")
    day = row.get("event_date") or (published.date() if published else None) or date.fromisoformat(row["dt"])
    locations = row.get("locations") or []
    summary = row.get("summary") or " ".join((row.get("evidence") or [])[:2]) or ""
    # What is embedded: the headline names the event even when the extractive summary does not.
    text = f"{row.get('title') or ''}. {summary}".strip(". ")
    kind = get(row["event_type"])
    return StoryEvent(
        event_id=row["event_id"], article_id=row["article_id"], event_type=row["event_type"], source=row.get("source"),
        published_at=published, day=day, published_day=published.date() if published else day, summary=summary,
        text=text, dt=row["dt"], countries=frozenset(countries),
        surnames=frozenset(s for s in map(surname, participants) if s), participants=participants,
        place=row.get("host_city") or (locations[0] if locations else None), status=row.get("status"),
        format=row.get("format"),
        action=row.get("action"), rate=row.get("rate_percent"), duplicate_of=duplicate_of,
        cities=frozenset([row["host_city"].lower()] if row.get("host_city") else []),
        goods=frozenset(g.lower() for g in row.get("goods") or [] if g),
        acting=frozenset([row["actor1_country"]] if row.get("actor1_country") and kind.story_distinct_actor1 else []),
        bilateral=kind.story_bilateral(row))


def story_id(event_type: str, anchor: StoryEvent) -> str:
    return "st-" + hashlib.sha1(f"{event_type}\n{anchor.event_id}".encode()).hexdigest()[:20]


def anchor_key(e: StoryEvent) -> tuple:
    return (e.published_at is None, e.published_at or datetime.min, e.event_id)


def _incidence(sets: list[frozenset]) -> np.ndarray:
    vocab = {x: i for i, x in enumerate(sorted(set().union(*sets)))} if sets else {}
    m = np.zeros((len(sets), max(1, len(vocab))), dtype=np.float32)
    for row, s in enumerate(sets):
        for x in s:
            m[row, vocab[x]] = 1.0
    return m


def _date_blocks(days: np.ndarray, config: StoryConfig) -> list[tuple[np.ndarray, np.ndarray]]:
    """(rows, partners): up to block_rows events in date order, and every event from the block's
    first on that is at most max_gap_days after its last."""
    order = np.argsort(days, kind="stable")
    ordered = days[order]
    out = []
    for start in range(0, len(order), config.block_rows):
        end = min(start + config.block_rows, len(order))
        hi = np.searchsorted(ordered, ordered[end - 1] + config.max_gap_days, side="right")
        out.append((order[start:end], order[start:hi]))
    return out


def link_pairs(events: list[StoryEvent], embeddings: np.ndarray, config: StoryConfig) -> np.ndarray:
    """Linked events as index pairs (n x 2; a pair may come twice, in either order), by date blocks."""
    if not events:
        return np.zeros((0, 2), dtype=np.int64)
    emb = embeddings / np.maximum(np.linalg.norm(embeddings, axis=1, keepdims=True), 1e-9)
    countries, people = _incidence([e.countries for e in events]), _incidence([e.surnames for e in events])
    n_countries, n_people = countries.sum(1), people.sum(1)
    distinct = [(m, m.sum(1) > 0) for m in (_incidence([e.cities for e in events]), _incidence([e.goods for e in events]),
                                            _incidence([e.acting for e in events]))]
    no_entities = (n_countries == 0) & (n_people == 0)
    bilateral = (n_countries == 2) & config.distinct_pairs & np.array([e.bilateral for e in events])
    days = np.array([e.day.toordinal() for e in events])
    published = np.array([e.published_day.toordinal() for e in events])
    pairs = []
    # Blocks by event date, then by publication date: a pair close in either is a candidate.
    for rows, cols in _date_blocks(days, config) + _date_blocks(published, config):
        sim = emb[rows] @ emb[cols].T
        # Dates are close when the event dates are, or the publication dates (a misread date is common).
        gap = np.minimum(np.abs(days[rows][:, None] - days[cols][None, :]),
                         np.abs(published[rows][:, None] - published[cols][None, :]))
        shared_c = countries[rows] @ countries[cols].T
        union_c = n_countries[rows][:, None] + n_countries[cols][None, :] - shared_c
        country_ok = (shared_c > 0) & (shared_c >= config.min_country_jaccard * np.maximum(union_c, 1))
        person_ok = (people[rows] @ people[cols].T) > 0
        bare = no_entities[rows][:, None] | no_entities[cols][None, :]
        conflict = np.zeros(gap.shape, dtype=bool)
        for m, named in distinct:
            conflict |= named[rows][:, None] & named[cols][None, :] & ((m[rows] @ m[cols].T) == 0)
        conflict |= bilateral[rows][:, None] & bilateral[cols][None, :] & (shared_c < 2)
        ok = (gap <= config.max_gap_days) & ~conflict & np.where(
            bare, sim >= config.min_similarity_no_entities, (country_ok | person_ok) & (sim >= config.min_similarity))
        a, b = np.nonzero(ok)
        pairs.append(np.stack([rows[a], cols[b]], axis=1))
    return np.concatenate(pairs) if pairs else np.zeros((0, 2), dtype=np.int64)


def _unique_links(pairs: np.ndarray, embeddings: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(i, j, cosine) once per linked pair, i < j, in index order; cosines rounded so that a tie
    is decided by the indexes, not by the last bits of one encoder batch."""
    if not len(pairs):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    lo, hi = np.minimum(pairs[:, 0], pairs[:, 1]), np.maximum(pairs[:, 0], pairs[:, 1])
    keep = lo != hi
    n = len(embeddings)
    codes = np.unique(lo[keep].astype(np.int64) * n + hi[keep])
    i, j = codes // n, codes % n
    emb = embeddings / np.maximum(np.linalg.norm(embeddings, axis=1, keepdims=True), 1e-9)
    sims = np.round(np.einsum("ij,ij->i", emb[i], emb[j]).astype(np.float64), 6)
    return i, j, sims


def average_linkage(n: int, i: np.ndarray, j: np.ndarray, sims: np.ndarray, threshold: float) -> list[int]:
    """Cluster label (its smallest member) of each of n items: agglomerative average linkage
    (UPGMA) over the links, where a pair without a link counts as similarity 0. Two groups merge
    while the mean similarity over all their cross pairs is at least ``threshold``, best pair
    first (ties: smallest labels), so a member must be close to the group as a whole: a chain
    A~B~C with A and C unrelated stays apart unless B is very close to both.

    Sparse and lazy: a heap entry holds a value at least the current one of its groups (a merged
    group's mean is a weighted mean of its parts'), and is re-pushed with the current value when
    it is stale, so only linked groups are ever compared."""
    parent = list(range(n))
    size = [1] * n
    link_sum: list[dict[int, float]] = [{} for _ in range(n)]
    heap = []
    for a, b, s in zip(i.tolist(), j.tolist(), sims.tolist()):
        link_sum[a][b] = link_sum[b][a] = s
        heap.append((-s, a, b))
    heapq.heapify(heap)

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    while heap:
        neg, a, b = heapq.heappop(heap)
        if -neg < threshold:
            break
        a, b = root(a), root(b)
        if a == b:
            continue
        a, b = min(a, b), max(a, b)
        current = link_sum[a][b] / (size[a] * size[b])
        if current != -neg:
            heapq.heappush(heap, (-current, a, b))
            continue
        # b joins a; the smaller label survives, so labels never depend on merge order.
        parent[b] = a
        size[a] += size[b]
        del link_sum[a][b]
        for c, s in link_sum[b].items():
            if c != a:
                link_sum[a][c] = link_sum[c][a] = link_sum[a].get(c, 0.0) + s
                del link_sum[c][b]
        link_sum[b] = {}
    return [root(x) for x in range(n)]


def cluster(events: list[StoryEvent], embeddings: np.ndarray, config: StoryConfig = StoryConfig()) -> list[list[int]]:
    """Groups of event indexes (each sorted, groups by their first index): average linkage over
    the links (``average_linkage``); connected components would chain everything on uniform news
    days into one story."""
    i, j, sims = _unique_links(link_pairs(events, embeddings, config), embeddings)
    groups: dict[int, list[int]] = {}
    for index, label in enumerate(average_linkage(len(events), i, j, sims, config.min_story_similarity)):
        groups.setdefault(label, []).append(index)
    return sorted(groups.values())


def _most_common(values, key=lambda v: v):
    """The most frequent value (ties: the smallest by ``key``), None when there is none."""
    counts = Counter(v for v in values if v is not None and v != "")
    if not counts:
        return None
    return min(counts, key=lambda v: (-counts[v], key(v)))


def _consensus_list(lists: list, members: int) -> list:
    """Items named by at least half of the members (at least one), most named first."""
    counts = Counter(x for items in lists for x in set(items))
    need = max(1, members / 2)
    return sorted((x for x, n in counts.items() if n >= need), key=lambda x: (-counts[x], x))


def story_row(event_type: str, members: list[StoryEvent], embeddings: np.ndarray) -> dict:
    """The row of ``stories/<type>`` for a group of events (``embeddings``: theirs, in order)."""
    anchor = min(members, key=anchor_key)
    emb = embeddings / np.maximum(np.linalg.norm(embeddings, axis=1, keepdims=True), 1e-9)
    centrality = emb @ emb.mean(0)
    representative = min(range(len(members)), key=lambda i: (-round(float(centrality[i]), 6), members[i].event_id))
    published = [m.published_at for m in members if m.published_at is not None]
    days = [m.day for m in members if m.day is not None]
    return {
        "story_id": story_id(event_type, anchor),
        "event_type": event_type,
        "first_seen": min(published) if published else None,
        "last_seen": max(published) if published else None,
        "num_articles": len({m.counted_article for m in members}),
        "num_sources": len({m.source for m in members if m.source}),
        "num_mentions": len(members),
        "article_ids": sorted({m.article_id for m in members}),
        "event_ids": sorted(m.event_id for m in members),
        "participants": _consensus_list([m.participants for m in members], len(members)),
        "countries": _consensus_list([m.countries for m in members], len(members)),
        "place": _most_common(m.place for m in members),
        "date": _most_common(days, key=lambda d: d.toordinal()),
        "status": _most_common(m.status for m in members),
        "action": _most_common(m.action for m in members),
        "rate_percent": _most_common(m.rate for m in members),
        "summary": members[representative].summary,
        "anchor_event_id": anchor.event_id,
        "first_partition": min(m.dt for m in members),
        "last_partition": max(m.dt for m in members),
    }


Embed = Callable[[list[str]], np.ndarray]


def build_stories(event_type: str, events: list[StoryEvent], embed: Embed,
                  config: StoryConfig = StoryConfig()) -> tuple[dict[str, str], list[dict]]:
    """``({event_id: story_id}, story rows)`` for the events of one type. The result does not
    depend on the order of ``events``."""
    events = sorted(events, key=lambda e: e.event_id)
    if not events:
        return {}, []
    embeddings = np.asarray(embed([e.text for e in events]), dtype=np.float32)
    assignment, rows = {}, []
    for group in cluster(events, embeddings, config):
        row = story_row(event_type, [events[i] for i in group], embeddings[group])
        rows.append(row)
        assignment.update({events[i].event_id: row["story_id"] for i in group})
    return assignment, sorted(rows, key=lambda r: r["story_id"])
