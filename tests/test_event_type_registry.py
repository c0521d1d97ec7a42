"""The registry of event types: the stages iterate over it, and a fourth type registered here (one
EventType, its columns included) runs through the real pipeline into its own Parquet dataset."""
import json
import re
from typing import Optional

import pyarrow as pa
import pyarrow.dataset as ds
import pytest

from newsevents import EVENT_TYPES, types
from newsevents.extraction.cameo import Rule
from newsevents.extraction.columns import column
from newsevents.extraction.event_codes import code_rules, event_codes
from newsevents.extraction.gate import select
from newsevents.extraction.geography import country_mentions
from newsevents.schemas import DATASETS, KEY_COLUMNS, RUN_DATASETS
from newsevents.types import LABELLED_BY_DEFINITION, EventType

from helpers import read, run_jsonl

# ---- a small fourth type: economic sanctions, labelled by its definition alone -------------------
_SANCTION = re.compile(r"\bsanctions?\b", re.IGNORECASE)
_ACTION = re.compile(r"\b(impos\w*|announc\w*|extend\w*|tighten\w*|lift\w*)\b", re.IGNORECASE)
_TARGETED = re.compile(r"\b(?:on|against)\s+(?:the\s+)?$", re.IGNORECASE)


def _reports(sentence: str) -> bool:
    return bool(_SANCTION.search(sentence) and _ACTION.search(sentence))


def _parties(sentence: str) -> tuple[Optional[str], Optional[str]]:
    """(imposing country, target): "Britain imposed sanctions on Russia"."""
    mentions = country_mentions(sentence)
    target = next((c for c, start, _ in mentions if _TARGETED.search(sentence[max(0, start - 20):start])), None)
    imposer = next((c for c, _, _ in mentions if c != target), None)
    return imposer, target


def _fields(evidence, countries, people, published, event_date) -> dict:
    return {"target_country": next(filter(None, (_parties(s)[1] for s in evidence)), None)}


def _dyad(specific: dict, evidence: list) -> tuple[Optional[str], Optional[str]]:
    imposer = next(filter(None, (_parties(s)[0] for s in evidence)), None)
    return imposer, specific["target_country"]


SANCTIONS = EventType(
    name="sanctions",
    description="economic sanctions imposed, extended or lifted",
    gate_strong=(r"sanction",), gate_weak=(r"asset",),
    reports=_reports,
    mention_cue=_SANCTION, mention_key=lambda clause, _reference: {"target": _parties(clause)[1]},
    key_attributes=("target",),
    columns=(column("target_country", pa.string(), doc="ISO alpha-3 code of the sanctioned country"),),
    fields=_fields, dyad=_dyad,
    code_value=lambda row: "impose", code_rules={"impose": Rule("163")},
    row_actor1=lambda row: None,
    labelled_by=LABELLED_BY_DEFINITION,
)


@pytest.fixture
def sanctions():
    types.register(SANCTIONS)
    try:
        yield SANCTIONS
    finally:
        types.unregister(SANCTIONS.name)


def test_the_builtin_types_in_order():
    assert types.names() == ("summit", "tariff", "defense_spending")
    assert tuple(EVENT_TYPES) == types.names()
    with pytest.raises(ValueError, match="already registered"):
        types.register(types.get("summit"))


def test_a_registered_type_reaches_the_schemas_codes_and_gate(sanctions):
    assert "events/sanctions" in DATASETS and "events/sanctions" in RUN_DATASETS
    assert KEY_COLUMNS["events/sanctions"] == "event_id"
    schema = DATASETS["events/sanctions"]
    assert schema.field("target_country").metadata[b"doc"] == b"ISO alpha-3 code of the sanctioned country"
    assert "score_sanctions" in DATASETS["articles"].names
    assert "sanctions" in schema.field("event_type").metadata[b"doc"].decode()
    assert code_rules()[("sanctions", "impose")] == Rule("163")
    assert event_codes("sanctions", {})["plover_event_type"] == "SANCTION"
    # The gate reads an article whose only event is the new type's.
    article = ["Britain imposed new sanctions on Russia on Monday.", "The weather was mild."]
    assert select(article) == [0, 1]


def test_unregistering_a_type_removes_its_datasets(sanctions):
    assert "events/sanctions" in DATASETS
    types.unregister("sanctions")
    try:
        assert "events/sanctions" not in DATASETS and "score_sanctions" not in DATASETS["articles"].names
        # the gate forgets its words and its definition too
        assert select(["Britain imposed new sanctions on Russia.", "The weather was mild."]) == []
    finally:
        types.register(SANCTIONS)


ARTICLES = [
    {"id": "sanctions-1", "published_at": "2025-08-20T09:00:00Z", "title": "Britain sanctions Russian banks",
     "text": "Britain imposed new sanctions on Russia on Monday, freezing the assets of twenty banks. "
             "Officials in London said the measures would stay in place until the war ends. "
             "Moscow called the decision illegal and promised a response."},
    {"id": "sanctions-2", "published_at": "2025-08-21T09:00:00Z", "title": "US targets Iran",
     "text": "The United States announced sanctions against Iran over its missile programme. "
             "The Treasury said twelve companies were affected. Tehran rejected the accusations."},
    {"id": "football", "published_at": "2025-08-21T10:00:00Z", "title": "Local club wins again",
     "text": "The local football club won its third match in a row on Saturday. "
             "Fans celebrated in the town square until late in the evening."},
]


def test_a_fourth_type_runs_end_to_end_into_its_own_dataset(sanctions, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(a) for a in ARTICLES) + "\n")
    run_jsonl(src, tmp_path / "out")

    # Its own dataset, read back with plain pyarrow: one row per sanctions article, its column filled.
    table = ds.dataset(tmp_path / "out" / "events" / "sanctions", format="parquet", partitioning="hive").to_table()
    assert table.schema.metadata[b"newsevents.dataset"] == b"events/sanctions"
    rows = {r["article_id"]: r for r in table.to_pylist()}
    assert set(rows) == {"sanctions-1", "sanctions-2"}
    assert (rows["sanctions-1"]["target_country"], rows["sanctions-1"]["actor1_country"]) == ("RUS", "GBR")
    assert (rows["sanctions-2"]["target_country"], rows["sanctions-2"]["actor1_country"]) == ("IRN", "USA")
    assert {r["cameo_code"] for r in rows.values()} == {"163"}
    assert all(r["event_type"] == "sanctions" and r["confidence"] == 1.0 and r["evidence"] for r in rows.values())

    articles = {r["article_id"]: r for r in read(tmp_path / "out", "articles").to_pylist()}
    assert "sanctions" in articles["sanctions-1"]["event_types"] and articles["sanctions-1"]["score_sanctions"] == 1.0
    assert articles["football"]["event_types"] == [] and articles["football"]["analysis"] == "gated"
