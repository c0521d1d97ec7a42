"""Input and output schemas of newsevents, defined once and imported everywhere.

Every Parquet file written by the pipeline carries ``newsevents.schema_version`` and
``newsevents.dataset`` in its key-value metadata. New columns are only ever added as
nullable fields, so files of older versions stay readable together with newer ones.

Each event type states its own columns (``EventType.columns``, in its module under
``newsevents.types``); the datasets that depend on the types (``articles``' scores, ``events/<type>``,
``stories/<type>``) are built here from the registry, and rebuilt when a type is registered.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import pyarrow as pa

from newsevents.extraction.columns import AMOUNT_TYPE, column  # noqa: F401 - part of the schemas' vocabulary
from newsevents.types import event_types, per_version

SCHEMA_VERSION = 3  # 2: articles keyed by version_id, input_warnings; 3: one row per event, dyad, measure
PARTITION_COLUMN = "dt"  # hive partition key: event date, else published date, else processing date

_f = column


def _type_names() -> tuple[str, ...]:
    return tuple(t.name for t in event_types())


def _one_of_types() -> str:
    """ "summit, tariff or defense_spending" """
    names = _type_names()
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


class _PerTypes(Mapping):
    """A mapping built from the registry of event types, rebuilt when a type is registered."""

    def __init__(self, build):
        self._get = per_version(build)

    def __getitem__(self, key):
        return self._get()[key]

    def __iter__(self):
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())

    def __repr__(self) -> str:
        return repr(self._get())


class _PerTypesTuple(Sequence):
    def __init__(self, build):
        self._items = _PerTypes(lambda: dict.fromkeys(build()))

    def __getitem__(self, i):
        return tuple(self._items)[i]

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return repr(tuple(self._items))


# ---- input ---------------------------------------------------------------------------------------
# One JSON object per Kafka message or per line. Unknown fields are ignored.
INPUT_FIELDS: dict[str, tuple[type, ...]] = {
    "text": (str,),           # required, the article body (unless html is given)
    "html": (str,),           # a crawler's raw page, used when there is no text
    "id": (str, int),
    "title": (str,),
    "url": (str,),
    "source": (str,),
    "published_at": (str, int, float),   # ISO-8601 at any precision, RFC 2822, epoch s or ms
}
REQUIRED_INPUT_FIELDS = ("text",)

# ---- shared column groups ------------------------------------------------------------------------
COORDINATE_FIELDS = [
    _f("kafka_topic", pa.string(), doc="Kafka topic the input came from (null for files)"),
    _f("kafka_partition", pa.int32(), doc="Kafka partition of the input message"),
    _f("kafka_offset", pa.int64(), doc="Kafka offset of the input message"),
    _f("input_file", pa.string(), doc="JSON-lines file the input came from (null for Kafka)"),
    _f("input_line", pa.int64(), doc="1-based line number in input_file"),
]
# The rest of a Kafka record, kept as Beam's ReadFromKafka(with_metadata=True) keeps it.
KAFKA_HEADER_TYPE = pa.struct([_f("key", pa.string()), _f("value", pa.binary())])
KAFKA_METADATA_FIELDS = [
    _f("kafka_key", pa.binary(), doc="Kafka message key as received (null for files and unkeyed messages)"),
    _f("kafka_headers", pa.list_(KAFKA_HEADER_TYPE), doc="Kafka message headers in order, values as received"),
    _f("kafka_timestamp", pa.timestamp("ms", tz="UTC"), doc="Kafka record timestamp (producer or broker time)"),
]
PROVENANCE_FIELDS = [
    _f("processed_at", pa.timestamp("ms", tz="UTC"), nullable=False, doc="When the pipeline processed the input"),
    _f("pipeline_version", pa.string(), nullable=False, doc="newsevents version that wrote the row"),
]
MODEL_FIELDS = [
    _f("encoder_model", pa.string(), doc="Sentence encoder used for classification and summaries"),
    _f("classifier_model", pa.string(), doc="Classifier head (or zero-shot model) that labeled the article"),
    _f("summarizer_model", pa.string(), doc="Summarizer (extractive over encoder, or seq2seq model)"),
]
ARTICLE_REF_FIELDS = [
    _f("title", pa.string(), doc="Article title"),
    _f("source", pa.string(), doc="Publisher or feed name"),
    _f("url", pa.string(), doc="Article URL"),
    _f("published_at", pa.timestamp("ms", tz="UTC"), doc="Publication time (UTC)"),
]


def _schema(dataset: str, fields: list[pa.Field]) -> pa.Schema:
    return pa.schema(fields, metadata={
        "newsevents.schema_version": str(SCHEMA_VERSION),
        "newsevents.dataset": dataset,
    })


# ---- articles ------------------------------------------------------------------------------------
def _articles() -> pa.Schema:
    return _schema("articles", [
        _f("article_id", pa.string(), nullable=False, doc="Input id, else derived from url, else from content"),
        *ARTICLE_REF_FIELDS,
        _f("summary", pa.string(), doc="Extractive (or abstractive) summary of the article"),
        _f("event_types", pa.list_(pa.string()), doc="Event types detected in the article"),
        *[_f(f"score_{t}", pa.float32(), doc=f"Calibrated probability that the article reports a {t} event (the "
             f"classifier's; where only the sentence head labelled the article, the head's probability of its most "
             f"probable reporting sentence)")
          for t in _type_names()],
        _f("n_sentences", pa.int32(), doc="Sentences in the cleaned article body"),
        _f("text_chars", pa.int32(), doc="Characters of the raw article text"),
        *COORDINATE_FIELDS, *PROVENANCE_FIELDS, *MODEL_FIELDS,
        *KAFKA_METADATA_FIELDS,
        _f("version_id", pa.string(), doc="Deterministic id of this version of the article: article_id plus its "
           "text, title, url, source and published_at. A copy with the same content is a duplicate; one with other "
           "content is a new version (a new row). The key of the dataset"),
        _f("input_warnings", pa.list_(pa.string()), doc="What was repaired or ignored in the input (a field of the "
           "wrong type, an unparseable date, lone surrogates); the article is processed"),
        _f("published_at_raw", pa.string(), doc="published_at exactly as the input gave it"),
        _f("language", pa.string(), doc="ISO 639-1 code of the article's language (detected by py3langid)"),
        _f("analysis", pa.string(), doc="full: every sentence encoded, classified and its events extracted; "
           "selected: the same on the sentences the gate chose (trigger words, their neighbours and the lead); "
           "gated: no strong trigger word, so kept without events and with its lead as summary, no model work "
           "(--no-gate turns the gate off); skipped_language: its language is not in --languages, so kept without "
           "events"),
        _f("input_format", pa.string(), doc="text, or html when the text was extracted from a raw page (trafilatura)"),
        _f("text_cleaning", pa.string(), doc="standard, or gentle when the standard boilerplate removal would have "
           "left fewer than two sentences (the gentle one keeps every line that is not page chrome)"),
        _f("published_at_precision", pa.string(), doc="year, month, day or time as given; record: the Kafka record "
           "time was used (no or unparseable published_at)"),
        # Filled by `newsevents consolidate` (null until then, and for an article that copies nothing).
        _f("duplicate_of", pa.string(), doc="article_id of the first copy when this article is a syndicated copy of "
           "it (near-duplicate text; filled by newsevents consolidate)"),
    ])


# ---- events --------------------------------------------------------------------------------------
def _event_common_fields() -> list[pa.Field]:
    return [
        _f("event_id", pa.string(), nullable=False, doc="Deterministic id from the article version, the type and "
           "the event's first sentence (position and text): a replay gives the same id"),
        _f("article_id", pa.string(), nullable=False, doc="Article the event was found in"),
        _f("event_type", pa.string(), nullable=False, doc=_one_of_types()),
        _f("confidence", pa.float32(), doc="Classifier probability for this event type"),
        _f("summary", pa.string(), doc="Summary of this event, from the sentences relevant to it"),
        _f("evidence", pa.list_(pa.string()), doc="Sentences the event rests on, most relevant first"),
        _f("countries", pa.list_(pa.string()), doc="Countries mentioned in the evidence (common names)"),
        _f("country_codes", pa.list_(pa.string()), doc="ISO 3166-1 alpha-3 codes of `countries`"),
        _f("participants", pa.list_(pa.string()), doc="People with their titles, e.g. 'President Donald Trump'"),
        _f("locations", pa.list_(pa.string()), doc="Cities and places named in the evidence"),
        _f("event_date", pa.date32(), doc="Date of the event resolved against published_at (null if unknown)"),
        _f("event_date_text", pa.string(), doc="The raw date phrase the event date came from"),
        *ARTICLE_REF_FIELDS, *COORDINATE_FIELDS, *PROVENANCE_FIELDS, *MODEL_FIELDS,
        _f("version_id", pa.string(), doc="The article version the event was found in (articles.version_id)"),
        _f("actor1_country", pa.string(), doc="ISO alpha-3 code of the event's first actor, as GDELT Actor1: the host "
           "of a summit (else the first participant's country), the party whose duties change, the spending country; "
           "an organisation's code where an organisation acts (`EUR` for the EU as CAMEO writes it, `NATO`, `G7`, "
           "`ASEAN`, `AU`, `SCO`, `BRICS`, `APEC`, `QUAD`, `OPEC` ...: docs/actors.md)"),
        _f("actor2_country", pa.string(), doc="ISO alpha-3 code of the second actor: the other summit participant, "
           "the party whose goods are hit (a deal: the other party), the ally whose troops are paid for; or an "
           "organisation's code, as `actor1_country`"),
        _f("actors", pa.list_(pa.string()), doc="Every party of the event: the type's party columns (leader countries "
           "and organisation; imposing and target parties; spending country) and the dyad, as ISO alpha-3 codes or "
           "organisations' codes (`EUR`, `NATO`, `G7` ...)"),
        # Codes and place as GDELT, ICEWS and POLECAT users join on them (docs/events.md, "Event codes").
        _f("cameo_code", pa.string(), doc="CAMEO event code, e.g. '043' (Host a visit); null for defense_spending"),
        _f("cameo_root_code", pa.string(), doc="First two digits of `cameo_code`, e.g. '04' (Consult)"),
        _f("quad_class", pa.int8(), doc="GDELT QuadClass of the code: 1 verbal cooperation, 2 material cooperation, "
           "3 verbal conflict, 4 material conflict"),
        _f("goldstein_scale", pa.float32(), doc="Goldstein score of `cameo_code` (-10 conflict to +10 cooperation) "
           "from the CAMEO table GDELT publishes"),
        _f("plover_event_type", pa.string(), doc="PLOVER event type, e.g. CONSULT, SANCTION"),
        _f("plover_mode", pa.string(), doc="PLOVER mode where one fits, e.g. host (CONSULT), restrict (THREATEN)"),
        _f("event_theme", pa.string(), doc="Theme where CAMEO has no code: DEFENSE_SPENDING_BUDGET, "
           "DEFENSE_SPENDING_TARGET or DEFENSE_SPENDING_COST_SHARING"),
        _f("action_geo_fullname", pa.string(), doc="Where the event took place, e.g. 'Washington, District of "
           "Columbia, United States' (GDELT ActionGeo): a summit's host city, else host country; for the other "
           "types actor1's country, or the seat of the organisation that is actor1 (the EU: Brussels)"),
        _f("action_geo_country", pa.string(), doc="ISO alpha-3 code of the country of the place"),
        _f("action_geo_type", pa.int8(), doc="GDELT ActionGeo_Type: 1 country, 3 US city, 4 world city"),
        _f("action_geo_lat", pa.float64(), doc="Latitude of the place (GeoNames; country centroid for type 1)"),
        _f("action_geo_long", pa.float64(), doc="Longitude of the place"),
        _f("action_geo_feature_id", pa.string(), doc="GeoNames id of the city or country"),
    ]
# Each type's own columns, from its module (EventType.columns).
EVENT_SPECIFIC_FIELDS: Mapping[str, list[pa.Field]] = _PerTypes(
    lambda: {t.name: list(t.columns) for t in event_types()})
# Filled by `newsevents consolidate`, null until then; appended after every other column.
EVENT_STORY_FIELDS = [
    _f("duplicate_of", pa.string(), doc="articles.duplicate_of of the event's article: set when the article is a "
       "syndicated copy (count such events once)"),
    _f("story_id", pa.string(), doc="The story (stories/<type>) the event belongs to (filled by newsevents consolidate)"),
]
EVENTS: Mapping[str, pa.Schema] = _PerTypes(lambda: {
    t: _schema(f"events/{t}", _event_common_fields() + EVENT_SPECIFIC_FIELDS[t] + EVENT_STORY_FIELDS)
    for t in _type_names()})


# ---- stories (newsevents consolidate) ------------------------------------------------------------
def _story_fields() -> list[pa.Field]:
    return [
        _f("story_id", pa.string(), nullable=False, doc="Deterministic id from the story's earliest event "
           "(published_at, then event_id); the key of the dataset"),
        _f("event_type", pa.string(), nullable=False, doc=_one_of_types()),
        _f("first_seen", pa.timestamp("ms", tz="UTC"), doc="Earliest published_at of its events"),
        _f("last_seen", pa.timestamp("ms", tz="UTC"), doc="Latest published_at of its events"),
        _f("num_articles", pa.int32(), doc="Distinct articles, a syndicated copy counted as its first copy"),
        _f("num_sources", pa.int32(), doc="Distinct sources (outlets) of its events, copies included"),
        _f("num_mentions", pa.int32(), doc="Events (mentions) in the story, copies included"),
        _f("article_ids", pa.list_(pa.string()), doc="Articles of its events"),
        _f("event_ids", pa.list_(pa.string()), doc="Its events (events/<type>.event_id)"),
        _f("participants", pa.list_(pa.string()), doc="People named by at least half of its events"),
        _f("countries", pa.list_(pa.string()), doc="ISO alpha-3 codes named by at least half of its events"),
        _f("place", pa.string(), doc="Most named place (host city, else first location)"),
        _f("date", pa.date32(), doc="Most common event date"),
        _f("status", pa.string(), doc="Most common status (summit)"),
        _f("action", pa.string(), doc="Most common action (tariff)"),
        _f("rate_percent", pa.float64(), doc="Most common headline rate (tariff)"),
        _f("summary", pa.string(), doc="Summary of its most central event (closest to the mean embedding)"),
        _f("anchor_event_id", pa.string(), doc="The earliest event, which the story_id derives from"),
        _f("first_partition", pa.string(), doc="Earliest dt of its events"),
        _f("last_partition", pa.string(), doc="Latest dt of its events"),
    ]


STORIES: Mapping[str, pa.Schema] = _PerTypes(lambda: {t: _schema(f"stories/{t}", _story_fields())
                                                      for t in _type_names()})
# The consolidation's cache of event embeddings (DIR/_consolidation/embeddings/<type>/<dt>.parquet);
# internal, not a dataset: rebuilt from the events whenever it is missing or stale.
STORY_EMBEDDINGS = pa.schema([
    pa.field("event_id", pa.string(), nullable=False),
    pa.field("text_key", pa.string(), nullable=False),   # sha1 of the encoder's name and the embedded text
    pa.field("embedding", pa.list_(pa.float32()), nullable=False),
])

# ---- dead letters --------------------------------------------------------------------------------
DEAD_LETTER = _schema("dead_letter", [
    _f("dead_letter_id", pa.string(), nullable=False,
       doc="Deterministic id from the input's coordinates and bytes: a replayed input gets the same id"),
    _f("raw", pa.binary(), doc="The input message or line exactly as received"),
    _f("raw_size", pa.int64(), nullable=False, doc="Size of the raw input in bytes"),
    _f("reason", pa.string(), nullable=False, doc="Machine-readable reason code, e.g. invalid_json"),
    _f("detail", pa.string(), doc="Human-readable explanation"),
    _f("stage", pa.string(), nullable=False, doc="Pipeline step that rejected the input"),
    _f("article_id", pa.string(), doc="Article id when it could be determined"),
    *COORDINATE_FIELDS, *PROVENANCE_FIELDS,
    *KAFKA_METADATA_FIELDS,
])

DATASETS: Mapping[str, pa.Schema] = _PerTypes(lambda: {
    "articles": _articles(), **{f"events/{t}": s for t, s in EVENTS.items()},
    "dead_letter": DEAD_LETTER, **{f"stories/{t}": s for t, s in STORIES.items()}})
# The column that identifies a row: the writers never add a second row with the same key.
# Articles are keyed by version: every distinct content of an article id is kept (the last
# version is the newest row of the id), an exact copy is a duplicate dead letter.
KEY_COLUMNS: Mapping[str, str] = _PerTypes(lambda: {
    "articles": "version_id", **{f"events/{t}": "event_id" for t in EVENTS},
    "dead_letter": "dead_letter_id", **{f"stories/{t}": "story_id" for t in STORIES}})
# What `newsevents run` writes; the stories are written by `newsevents consolidate`.
RUN_DATASETS: Sequence[str] = _PerTypesTuple(lambda: [d for d in DATASETS if not d.startswith("stories/")])
PARTITIONING = pa.schema([pa.field(PARTITION_COLUMN, pa.string())])


def read_schema(dataset: str) -> pa.Schema:
    """The current schema plus the partition column: reading with it gives older files (which
    lack columns added later) nulls in the new columns instead of an error."""
    return DATASETS[dataset].append(PARTITIONING.field(0))


def markdown_reference(heading: str = "####") -> str:
    """The column reference of every dataset in Markdown, one table per dataset under ``heading``."""
    lines = []
    for name, schema in DATASETS.items():
        lines += [f"{heading} `{name}/`", "", "| column | type | description |", "|---|---|---|"]
        for f in schema:
            doc = (f.metadata or {}).get(b"doc", b"").decode()
            lines.append(f"| `{f.name}` | `{f.type}` | {doc}{'' if f.nullable else ' (never null)'} |")
        lines.append(f"| `{PARTITION_COLUMN}` | hive partition | event date, else published date, else processing date |")
        lines.append("")
    return "\n".join(lines)


def __getattr__(name: str):
    if name == "ARTICLES":  # built from the registry of event types (a score column per type)
        return DATASETS["articles"]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
