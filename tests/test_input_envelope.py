"""The envelope of an input message: a UTF-8 byte-order mark is no part of the JSON, and a message
that is no article still names its id in its dead letter."""
import json

import pytest

from newsevents.records import SourceRecord
from newsevents.input.validation import InputLimits, Rejected, parse_article

from helpers import publish, read, run_kafka

TEXT = "President Macron met Chancellor Scholz in Berlin on Tuesday. The two leaders agreed on new tariffs."
BOM = b"\xef\xbb\xbf"


def _parse(raw: bytes):
    return parse_article(SourceRecord(value=raw, input_file="f", input_line=1), InputLimits())


def test_a_byte_order_mark_before_the_json_is_accepted():
    a = _parse(BOM + json.dumps({"id": "bom", "text": TEXT}).encode())
    assert a.article_id == "bom" and not a.warnings
    with pytest.raises(Rejected, match="empty_message"):
        _parse(BOM + b"  ")


@pytest.mark.parametrize("fields, reason, article_id", [
    ({"id": "list-text", "text": ["a", "list"]}, "wrong_type", "list-text"),
    ({"id": 42, "html": {"page": 1}}, "wrong_type", "42"),
    ({"id": "no-text", "title": "Only a title"}, "missing_text", "no-text"),
    ({"id": "nul\x00id", "text": 3}, "wrong_type", "nul\ufffdid"),  # repaired as an article's id is
    ({"id": True, "text": 3}, "wrong_type", None),  # not an id
    ({"text": 3}, "wrong_type", None),
])
def test_a_message_that_is_no_article_names_its_id(fields, reason, article_id):
    with pytest.raises(Rejected) as caught:
        _parse(json.dumps(fields).encode())
    assert (caught.value.reason, caught.value.article_id) == (reason, article_id)


def test_bom_and_dead_letter_ids_through_kafka(broker, topic, tmp_path):
    publish(broker, topic, [BOM + json.dumps({"id": "bom", "text": TEXT}).encode(),
                            json.dumps({"id": "list-text", "text": ["a", "list"]}).encode(),
                            json.dumps({"id": "no-text", "title": "Only a title"}).encode()])
    run_kafka(broker, topic, tmp_path / "out")
    assert read(tmp_path / "out", "articles").column("article_id").to_pylist() == ["bom"]
    dead = {r["reason"]: r for r in read(tmp_path / "out", "dead_letter").to_pylist()}
    assert {k: r["article_id"] for k, r in dead.items()} == {"wrong_type": "list-text", "missing_text": "no-text"}
    assert dead["wrong_type"]["raw"] == json.dumps({"id": "list-text", "text": ["a", "list"]}).encode()
