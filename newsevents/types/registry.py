"""The registry of event types and what a type states (``EventType``); the built-in types are
registered by the package (``newsevents.types``), which every user imports."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Callable, Mapping, Optional

import pyarrow as pa

# How an article gets a type's label: from the trained classifier head (or a zero-shot model), or
# from the type's definition alone (a sentence that meets it labels the article; no training needed).
LABELLED_BY_CLASSIFIER = "classifier"
LABELLED_BY_DEFINITION = "definition"

# Fills a type's own columns from an event's evidence: (evidence, countries, people, published, event date).
FieldRule = Callable[[list, list, list, Optional[datetime], Optional[date]], dict]


def _no_veto(_specific: dict) -> bool:
    return True


def _actor1_place(_row: Mapping, actor1: Optional[str]) -> tuple[Optional[str], Optional[str]]:
    return None, actor1


@dataclass(frozen=True, kw_only=True, eq=False)
class EventType:
    name: str
    description: str  # what it covers, in one line (as the README's table of types says it)

    # The gate (``gate``): word starts, matched at a word boundary and case-insensitive. A strong one
    # names the type or its actors, a weak one often stands around it (see gate.py for how each counts).
    gate_strong: tuple[str, ...]
    gate_weak: tuple[str, ...] = ()

    # The definition (``definitions``): whether one sentence reports an event of the type, its
    # vetoes (look-alikes) included. A label whose evidence has no such sentence is dropped.
    reports: Callable[[str], bool]

    # Segmentation (``segment``): the cue that makes a sentence's main clause a mention of the type,
    # the key of a mention (attributes that tell two events apart, the first one naming a new event by
    # itself), a look back at an earlier event (no new event), and whether a sentence stating a figure
    # joins the event before it. The segmenter reads the key clause by clause.
    mention_cue: re.Pattern
    mention_key: Callable[[str, Optional[datetime]], dict]
    key_attributes: tuple[str, ...]
    look_back: Optional[re.Pattern] = None
    figures_join: bool = True
    # Attributes of a mention's key that start an event of their own where they differ from every
    # event's, though the mention names no new place or party (who meets whom, the tariff action, the
    # budget year); and the column each key attribute fills where an event's own clauses leave it empty
    # (the party the article was speaking of: "The ministry also opened a probe"), or, for the first role
    # column, where they do not name that party.
    splitting_attributes: tuple[str, ...] = ()
    key_fields: Mapping[str, str] = field(default_factory=dict)

    # Fields (``extract``): the type's own columns, in row order, and the rule that fills them; the
    # dyad (actor1, actor2) from them; whether an event is kept at all.
    columns: tuple[pa.Field, ...]
    fields: FieldRule
    dyad: Callable[[dict, list], tuple[Optional[str], Optional[str]]]
    is_event: Callable[[dict], bool] = _no_veto
    # Leaders the article named in full count when the event's sentences name them by surname or "he".
    leaders_from_article: bool = False
    # With no country in the evidence, the article's countries stand in for the type's rule.
    article_countries: bool = False

    # Codes (``event_codes``): the value of a row that picks its code rule (a status, an action ...),
    # the rules by value, values renamed since, actor1 of a row written before actor1_country existed,
    # and where the event took place (city or None, country) for ActionGeo.
    code_value: Callable[[Mapping], Optional[str]]
    code_rules: Mapping[str, object] = field(default_factory=dict)  # value -> event_codes.Rule
    code_aliases: Mapping[str, str] = field(default_factory=dict)
    row_actor1: Callable[[Mapping], Optional[str]] = lambda row: None
    action_place: Callable[[Mapping, Optional[str]], tuple[Optional[str], Optional[str]]] = _actor1_place

    # Labels: the classifier's types are the ones its head was trained on (resources/prototypes.json)
    # or the zero-shot hypotheses; a type labelled by its definition needs neither.
    labelled_by: str = LABELLED_BY_CLASSIFIER
    zero_shot_hypothesis: Optional[str] = None

    # Stories (``stories``): whether events with different actor1 are never one story (a measure
    # and the other party's response, two countries' budgets), and whether an event's two countries
    # are a pair of its own (two bilateral summits of different pairs are two stories).
    story_distinct_actor1: bool = True
    story_bilateral: Callable[[Mapping], bool] = lambda row: False

    # Evaluation (``evaluation``): the fields that name an event's parties (they weigh most when
    # predicted rows are matched to annotated events) and the attributes scored on matched pairs.
    role_fields: tuple[str, ...] = ()
    scored_attributes: tuple[str, ...] = ("dyad", "cameo_code")

    def __post_init__(self):
        if self.labelled_by not in (LABELLED_BY_CLASSIFIER, LABELLED_BY_DEFINITION):
            raise ValueError(f"{self.name}: labelled_by must be {LABELLED_BY_CLASSIFIER!r} or "
                             f"{LABELLED_BY_DEFINITION!r}, not {self.labelled_by!r}")
        if not self.key_attributes:
            raise ValueError(f"{self.name}: key_attributes needs at least one attribute")


_REGISTRY: dict[str, EventType] = {}
_VERSION = [0]  # bumped on every change: what is built from the registry is rebuilt after one


def register(event_type: EventType) -> EventType:
    """Adds a type after the ones registered so far; a name is registered once."""
    if event_type.name in _REGISTRY:
        raise ValueError(f"event type {event_type.name!r} is already registered")
    _REGISTRY[event_type.name] = event_type
    _VERSION[0] += 1
    return event_type


def unregister(name: str) -> None:
    del _REGISTRY[name]
    _VERSION[0] += 1


def version() -> int:
    return _VERSION[0]


def event_types() -> tuple[EventType, ...]:
    return tuple(_REGISTRY.values())


def names() -> tuple[str, ...]:
    return tuple(_REGISTRY)


def get(name: str) -> EventType:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"no event type {name!r} (registered: {', '.join(_REGISTRY)})") from None


def per_version(build: Callable):
    """``build()`` cached until the registry changes: for what is derived from all types (the gate's
    patterns, the schemas), which run on every sentence or row."""
    cache: dict = {}

    def cached():
        v = _VERSION[0]
        if cache.get("version") != v:
            cache["value"], cache["version"] = build(), v
        return cache["value"]
    return cached
