"""Real web input: odd dates, wrongly typed optional fields, page chrome, paragraphs without a
final period, Chinese and Japanese text. None of them may cost the article."""
import json
from datetime import datetime, timezone

import pytest

from newsevents.records import SourceRecord
from newsevents.input.text import article_sentences, split_sentences
from newsevents.input.validation import InputLimits, Rejected, parse_article

from helpers import publish, read, run_kafka

BODY = ("The two presidents met in Geneva on Tuesday for talks on trade and security. "
        "Officials said both sides agreed to meet again before the end of the year.")
RECORD_MS = 1_760_000_000_000  # the Kafka record time used when published_at cannot be


def _parse(**fields):
    raw = json.dumps({"id": "x", "text": BODY, **fields}).encode()
    return parse_article(SourceRecord(value=raw, topic="t", partition=0, offset=1, timestamp_ms=RECORD_MS),
                         InputLimits())


@pytest.mark.parametrize("value,expected,precision", [
    ("2025", "2025-01-01T00:00:00+00:00", "year"),
    ("2018-06", "2018-06-01T00:00:00+00:00", "month"),
    ("2025-06-10", "2025-06-10T00:00:00+00:00", "day"),
    ("2025-06-10T14:00", "2025-06-10T14:00:00+00:00", "time"),
    ("2025-06-10T14:00:00Z", "2025-06-10T14:00:00+00:00", "time"),
    ("2025-06-10 16:00:00+02:00", "2025-06-10T14:00:00+00:00", "time"),
    ("Tue, 10 Jun 2025 14:00:00 GMT", "2025-06-10T14:00:00+00:00", "time"),
    ("Tue, 10 Jun 2025 16:00:00 +0200", "2025-06-10T14:00:00+00:00", "time"),
    (1749564000, "2025-06-10T14:00:00+00:00", "time"),
    (1749564000000, "2025-06-10T14:00:00+00:00", "time"),
    ("1749564000000", "2025-06-10T14:00:00+00:00", "time"),
])
def test_every_publication_date_format(value, expected, precision):
    a = _parse(published_at=value)
    assert a.published_at.isoformat() == expected
    assert a.published_at_precision == precision
    assert a.published_at_raw == str(value) and not a.warnings


@pytest.mark.parametrize("value", ["last Tuesday", "2025-13", "31/02/2025", "99999999999999",
                                   # numbers beyond what the platform's time functions take
                                   1e300, -1e300, 1e20, float("inf"), float("nan")])
def test_an_unparseable_date_keeps_the_article(value):
    a = _parse(published_at=value)
    assert a.published_at == datetime.fromtimestamp(RECORD_MS / 1000, tz=timezone.utc)
    # As the input wrote it: JSON's Infinity and NaN stay so (not Python's inf, nan).
    assert a.published_at_precision == "record" and a.published_at_raw == (
        value if isinstance(value, str) else json.dumps(value))
    assert a.warnings and all(w.startswith("published_at:") for w in a.warnings)


def test_wrongly_typed_optional_fields_keep_the_article():
    a = _parse(title=["a", "list"], url=42, source={"name": "x"})
    assert (a.title, a.url, a.source) == (None, "42", None)
    assert len(a.warnings) == 3 and all("title" in w or "url" in w or "source" in w for w in a.warnings)


def test_paragraph_without_final_punctuation_is_kept():
    text = ("Lawmakers approved a defence budget of 60 billion euros on Friday, officials said (AP)\n"
            "The vote followed weeks of debate over troop numbers and the cost of new aircraft 🇪🇺")
    sentences, cleaning = article_sentences(text)
    assert len(sentences) == 2 and cleaning == "standard"


def test_chinese_and_japanese_sentences_split():
    assert split_sentences("两国领导人在东京举行会谈。双方讨论了关税问题！会谈持续了三个小时。") == [
        "两国领导人在东京举行会谈。", "双方讨论了关税问题！", "会谈持续了三个小时。"]
    assert len(split_sentences("首相は東京で大統領と会談した。両首脳は関税について協議した。")) == 2


PAGE = """Skip to content
Menu
World  Politics  Business  Opinion
Leaders seal trade pact in Geneva
Photo: The two leaders shake hands after signing (Reuters)
Photo: The two leaders shake hands after signing (Reuters)
• Steel duties fall to 10 percent from 25 percent
• The agreement takes effect on July 1
{body}
Subscribe now
Already a subscriber? Log in
Read More »
Comments
Great news for exporters!
"""


def test_page_chrome_is_removed_and_facts_in_bullets_stay():
    sentences, _ = article_sentences(PAGE.format(body=BODY))
    assert sentences == ["Steel duties fall to 10 percent from 25 percent", "The agreement takes effect on July 1",
                         *split_sentences(BODY)]


def test_gentle_cleaning_when_the_standard_one_leaves_too_little():
    """A report whose only body is a teaser paragraph ending in '...' before a 'Read More' link."""
    teaser = ("Parliament approved the largest military budget in two decades on Thursday, raising spending "
              "to 2.5 percent of GDP as the government seeks...\nRead More »")
    sentences, cleaning = article_sentences(teaser)
    assert cleaning == "gentle" and len(sentences) == 1 and "military budget" in sentences[0]


@pytest.mark.slow
def test_web_pages_reach_articles_through_the_pipeline(broker, topic, tmp_path):
    """Odd dates, a wrong type, chrome and a teaser-only page: every one an article, none a dead letter."""
    messages = [
        {"id": "partial-date", "text": PAGE.format(body=BODY), "published_at": "2018-06"},
        {"id": "rfc2822", "text": BODY, "published_at": "Tue, 10 Jun 2025 14:00:00 GMT", "title": 7},
        {"id": "epoch-ms", "text": BODY, "published_at": 1749564000000},
        {"id": "no-date", "text": BODY, "published_at": "sometime last week"},
        {"id": "teaser", "text": "Parliament approved the largest military budget in two decades on Thursday, "
                                 "raising spending to 2.5 percent of GDP as the government seeks...\nRead More »"},
    ]
    publish(broker, topic, [json.dumps(m).encode() for m in messages])
    run_kafka(broker, topic, tmp_path / "out")
    rows = {r["article_id"]: r for r in read(tmp_path / "out", "articles").to_pylist()}
    assert set(rows) == {m["id"] for m in messages}
    assert read(tmp_path / "out", "dead_letter").num_rows == 0
    assert rows["partial-date"]["published_at_precision"] == "month"
    assert rows["rfc2822"]["published_at"].isoformat() == "2025-06-10T14:00:00+00:00"
    assert rows["rfc2822"]["title"] == "7" and rows["rfc2822"]["input_warnings"]
    assert rows["epoch-ms"]["published_at_precision"] == "time"
    assert rows["no-date"]["published_at_precision"] == "record"
    assert rows["no-date"]["published_at_raw"] == "sometime last week"
    assert rows["teaser"]["text_cleaning"] == "gentle"
    assert "defense_spending" in rows["teaser"]["event_types"]


FRENCH = ("Les présidents des deux pays se sont rencontrés mardi à Genève pour un sommet consacré au commerce. "
          "Ils ont convenu de réduire les droits de douane sur l'acier à dix pour cent.")
CHINESE = "两国领导人星期二在日内瓦举行峰会，讨论贸易问题。双方同意把钢铁关税降低到百分之十。会谈持续了三个小时。"
PAGE_HTML = """<!DOCTYPE html><html><head><title>Leaders seal trade pact | Example News</title>
<meta property="article:published_time" content="2025-06-10T14:00:00Z"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<div class="cookie">We use cookies. <button>Accept all</button></div>
<article><h1>Leaders seal trade pact in Geneva</h1>
<p>The presidents of the two countries met in Geneva on Tuesday for a summit on trade and security, the first
such meeting in four years, and signed an agreement at the end of two days of talks.</p>
<p>Under the deal, duties on steel will fall to 10 percent from 25 percent over three years, officials said, and a
joint commission will review the arrangement every twelve months.</p>
<p>Both leaders said they would meet again next spring to review progress on the remaining disputes.</p></article>
<aside><h3>Most read</h3><ul><li><a href="/a">Football: city side wins the cup final</a></li></ul></aside>
<footer>© 2025 Example News. All rights reserved.</footer></body></html>"""


@pytest.mark.slow
def test_html_pages_and_other_languages_through_kafka(broker, topic, tmp_path):
    """A raw page is extracted (title and date from its metadata); French and Chinese articles are
    kept in articles without events (English only by default), none is a dead letter."""
    messages = [{"id": "page", "html": PAGE_HTML, "url": "https://news.example.org/world/pact"},
                {"id": "fr", "text": FRENCH}, {"id": "zh", "text": CHINESE},
                {"id": "empty-page", "html": "<html><body><nav>Home</nav></body></html>"}]
    publish(broker, topic, [json.dumps(m, ensure_ascii=False).encode() for m in messages])
    run_kafka(broker, topic, tmp_path / "out")
    rows = {r["article_id"]: r for r in read(tmp_path / "out", "articles").to_pylist()}
    assert set(rows) == {"page", "fr", "zh"}
    page = rows["page"]
    assert page["input_format"] == "html" and page["language"] == "en" and page["analysis"] == "full"
    assert page["title"] == "Leaders seal trade pact in Geneva"
    assert page["published_at"].date().isoformat() == "2025-06-10"
    assert "summit" in page["event_types"]
    for lang in ("fr", "zh"):
        assert rows[lang]["language"] == lang and rows[lang]["analysis"] == "skipped_language"
        assert rows[lang]["event_types"] == [] and rows[lang]["score_summit"] is None and rows[lang]["summary"]
    events = {r["article_id"] for t in ("summit", "tariff", "defense_spending")
              for r in read(tmp_path / "out", f"events/{t}").to_pylist()}
    assert "page" in events and not events & {"fr", "zh"}
    from newsevents.pipelines.report import format_report, summarize_output
    summary = summarize_output(str(tmp_path / "out"))
    assert summary["other_languages"] == {"fr": 1, "zh": 1}
    assert "fr=1, zh=1" in format_report(summary, 4, 1.0)
    (dead,) = read(tmp_path / "out", "dead_letter").to_pylist()
    assert dead["article_id"] == "empty-page" and dead["reason"] in {"no_text_in_html", "text_too_short"}


def test_a_page_without_article_text_is_a_dead_letter():
    raw = json.dumps({"id": "blank", "html": "<html><head></head><body></body></html>"}).encode()
    with pytest.raises(Rejected) as info:
        parse_article(SourceRecord(value=raw), InputLimits())
    assert info.value.reason == "no_text_in_html" and info.value.article_id
