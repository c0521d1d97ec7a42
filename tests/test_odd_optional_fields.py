"""Odd optional fields never cost the article: numbers Python cannot hold as written, an empty text
beside a page, epoch numbers of an ambiguous unit, dates outside the years of news, absurd rates.
The article is kept with the raw value and a warning."""
import json
from datetime import datetime, timezone

import pytest

from newsevents.extraction.amounts import find_amounts, find_percents, percent_near
from newsevents.types.tariff import tariff_fields
from newsevents.records import SourceRecord
from newsevents.input.validation import InputLimits, Rejected, parse_article

from helpers import publish, read, run_kafka

BODY = ("The two presidents met in Geneva on Tuesday for talks on trade and security. "
        "Officials said both sides agreed to meet again before the end of the year.")
RECORD_MS = 1_760_000_000_000
RECORD_TIME = datetime.fromtimestamp(RECORD_MS / 1000, tz=timezone.utc)
PAGE = ("<html><head><title>Presidents meet in Geneva</title></head><body><article><p>" + BODY +
        "</p></article></body></html>")


def _parse(raw: str):
    return parse_article(SourceRecord(value=raw.encode(), topic="t", partition=0, offset=1, timestamp_ms=RECORD_MS),
                         InputLimits())


def _with(**fields) -> str:
    """A message whose fields are JSON text as given (numbers no json.dumps would write)."""
    members = {"text": json.dumps(BODY), **fields}
    return "{" + ", ".join(f"{json.dumps(k)}: {v}" for k, v in members.items()) + "}"


def test_a_published_at_of_401_digits_keeps_the_article_and_its_raw_value():
    a = _parse(_with(id='"x"', published_at="9" * 401))
    assert a.published_at == RECORD_TIME and a.published_at_precision == "record"
    assert a.published_at_raw == ("9" * 401)[:200]
    assert a.warnings == ["published_at: a number of 401 digits is no time since 1970; the record time is used"]


def test_an_id_of_5001_digits_is_the_id_as_written():
    a = _parse(_with(id="7" * 5001))
    assert a.article_id == "7" * 5001
    assert len(a.warnings) == 1 and "a number of 5001 characters is kept as written" in a.warnings[0]


@pytest.mark.parametrize("spelling", ["1e400", "-1e400", "2e400", "NaN", "Infinity"])
def test_an_id_beyond_a_float_is_kept_as_written(spelling):
    a = _parse(_with(id=spelling))
    assert a.article_id == spelling  # not "inf": 1e400 and 2e400 are two articles
    assert len(a.warnings) == 1 and a.warnings[0].startswith(f"id: the number {spelling} is kept as written")


def test_a_text_that_is_a_number_beyond_a_float_is_still_of_the_wrong_type():
    with pytest.raises(Rejected) as caught:
        _parse('{"id": "n", "text": 1e400}')
    assert (caught.value.reason, caught.value.detail, caught.value.article_id) == (
        "wrong_type", "field 'text' must be str, got a number", "n")


def test_ordinary_numbers_are_read_as_before():
    a = _parse(_with(id="12345", published_at="1749564000.5"))
    assert a.article_id == "12345" and not a.warnings
    assert a.published_at.isoformat() == "2025-06-10T14:00:00.500000+00:00"


@pytest.mark.parametrize("text", ['""', '"  "', '"Breaking"'])
def test_a_blank_or_tiny_text_beside_a_page_uses_the_page(text):
    a = _parse(_with(id='"h"', text=text, html=json.dumps(PAGE)))
    assert a.input_format == "html" and a.text.startswith("The two presidents met in Geneva")
    assert a.title == "Presidents meet in Geneva"
    assert len(a.warnings) == 1 and a.warnings[0].startswith("text: ") and "the html is used" in a.warnings[0]


def test_epoch_seconds_of_the_year_10000_are_not_read_as_milliseconds_silently():
    a = _parse(_with(id='"x"', published_at="253402300800"))  # 10000-01-01 in seconds
    assert a.published_at_raw == "253402300800"
    assert a.published_at.year == 1978  # the only reading that is a time of news ...
    assert len(a.warnings) == 1 and "read as milliseconds" in a.warnings[0]  # ... and said so
    # 13 digits are milliseconds without doubt: nothing to say.
    assert not _parse(_with(id='"x"', published_at="1749564000000")).warnings


@pytest.mark.parametrize("value", ['"9999-12-31"', '"9999-12-31T23:59:59Z"', '"1066-10-14"'])
def test_a_date_outside_the_years_of_news_is_called_so(value):
    a = _parse(_with(id='"x"', published_at=value))
    assert a.published_at == RECORD_TIME and a.published_at_raw == json.loads(value)
    assert len(a.warnings) == 1 and "is outside 1900-2200" in a.warnings[0] and "not a date" not in a.warnings[0]


def test_a_rate_or_amount_of_thousands_of_digits_is_no_figure_rather_than_inf():
    huge = "9" * 5000
    fields = tariff_fields([f"The United States imposed a {huge} percent tariff on steel from China."],
                           ["USA", "CHN"], [], None, None)
    assert fields["rate_percent"] is None and fields["rates_percent"] == []
    assert find_percents(f"{huge}% and 25%") == [25.0]
    assert percent_near(f"Defence spending will rise to {huge} percent of GDP.", r"GDP") is None
    assert percent_near(f"Spending moves from 2 percent of GDP to {huge} percent.", r"GDP") == 2.0
    assert [a["value"] for a in find_amounts(f"${huge} billion and $5 billion")] == [5e9]


def test_odd_fields_through_kafka_and_parquet(broker, topic, tmp_path):
    messages = {
        "pub401": _with(id='"pub401"', published_at="9" * 401),
        "id5001": _with(id="8" * 5001),
        "1e400": _with(id="1e400"),
        "2e400": _with(id="2e400"),
        "html": _with(id='"html"', text='""', html=json.dumps(PAGE)),
        "y10000": _with(id='"y10000"', published_at="253402300800"),
        "d9999": _with(id='"d9999"', published_at='"9999-12-31"'),
        "tariff": _with(id='"tariff"', text=json.dumps(
            f"The United States imposed a {'9' * 5000} percent tariff on steel imports from China on Tuesday. "
            "Beijing said it would retaliate with duties on American soybeans.")),
    }
    publish(broker, topic, [m.encode() for m in messages.values()])
    out = tmp_path / "out"
    run_kafka(broker, topic, out)
    assert read(out, "dead_letter").num_rows == 0
    rows = {r["article_id"]: r for r in read(out, "articles").to_pylist()}
    assert set(rows) == {"pub401", "8" * 5001, "1e400", "2e400", "html", "y10000", "d9999", "tariff"}
    assert rows["pub401"]["published_at_raw"] == ("9" * 401)[:200] and rows["pub401"]["published_at_precision"] == "record"
    assert "401 digits" in rows["pub401"]["input_warnings"][0]
    assert "5001 characters" in rows["8" * 5001]["input_warnings"][0]
    assert rows["html"]["input_format"] == "html" and rows["html"]["title"] == "Presidents meet in Geneva"
    assert "read as milliseconds" in rows["y10000"]["input_warnings"][0]
    assert "outside 1900-2200" in rows["d9999"]["input_warnings"][0] and rows["d9999"]["published_at_raw"] == "9999-12-31"
    rates = read(out, "events/tariff").column("rate_percent").to_pylist()
    assert all(r is None or r < 1e6 for r in rates)  # never inf
