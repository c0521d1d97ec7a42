"""Unit tests of text cleaning and input validation (fast, no Beam)."""
import json

import pytest

from newsevents.records import SourceRecord
from newsevents.input.text import clean_article_text, split_sentences
from newsevents.input.validation import InputLimits, Rejected, derive_article_id, parse_article

from helpers import BAD_MESSAGES

WEB_PAGE = """Monday, March 2, 2026

Ministers Agree on Port Upgrade

Date:

By Jane Example

The transport ministers of two neighbouring states agreed on Monday to upgrade a shared port.
The work will take three years and cost about 400 million euros.

Share post:

Popular

More like this
Related

Festival Draws Record Crowds

Organisers of the summer festival said attendance rose by...
"""


def test_boilerplate_never_reaches_the_sentences():
    sentences = split_sentences(clean_article_text(WEB_PAGE))
    assert sentences == [
        "The transport ministers of two neighbouring states agreed on Monday to upgrade a shared port.",
        "The work will take three years and cost about 400 million euros.",
    ]


def test_cookie_notes_feed_footers_and_copyright_lines_are_chrome():
    page = ("You can change your cookie settings at any time in your browser.\n"
            "The transport ministers of two neighbouring states agreed on Monday to upgrade a shared port.\n"
            "The post Ministers agree on port upgrade appeared first on Harbour Daily.\n"
            "© 2026 Harbour Daily. All rights reserved.\n"
            "Copyright claims over the port's name were settled separately on Monday, officials said.\n")
    assert split_sentences(clean_article_text(page)) == [
        "The transport ministers of two neighbouring states agreed on Monday to upgrade a shared port.",
        "Copyright claims over the port's name were settled separately on Monday, officials said.",
    ]


def test_a_paragraph_that_mentions_cookies_or_ends_with_a_copyright_line_is_kept():
    one_line = ("The transport ministers of two neighbouring states agreed on Monday to upgrade a shared port. "
                "The work will take three years. Copyright 2026 Harbour Wire. All rights reserved.")
    assert split_sentences(clean_article_text(one_line)) == [
        "The transport ministers of two neighbouring states agreed on Monday to upgrade a shared port.",
        "The work will take three years."]
    paragraph = ("Regulators told websites to make cookie settings easier to refuse, while the two ministers agreed "
                 "on Monday to upgrade a shared port.")
    assert clean_article_text(paragraph) == paragraph


def test_seed_story_trailer_block_is_removed():
    import pathlib
    seeds = sorted(pathlib.Path(__file__).resolve().parents[2].glob("shared/seeds/*.txt"))
    if not seeds:
        pytest.skip("shared seeds not present")
    for seed in seeds:
        body = clean_article_text(seed.read_text())
        assert "More like this" not in body and "Share post" not in body
        assert not any(line.endswith("...") for line in body.splitlines())


def test_sentence_split_keeps_abbreviations():
    assert split_sentences("The U.S. envoy met Dr. Kim in Seoul. Talks went well for both sides.") == [
        "The U.S. envoy met Dr. Kim in Seoul.", "Talks went well for both sides."]


@pytest.mark.parametrize("raw,reason", list(BAD_MESSAGES.items()))
def test_malformed_input_is_rejected_with_its_reason(raw, reason):
    with pytest.raises(Rejected) as info:
        parse_article(SourceRecord(value=raw, topic="t", partition=0, offset=7), InputLimits())
    assert info.value.reason == reason
    assert info.value.detail


def test_limits_and_empty_values():
    limits = InputLimits(max_message_bytes=2000, max_text_chars=200)
    big = json.dumps({"text": "word " * 300}).encode()
    with pytest.raises(Rejected, match="message_too_large"):
        parse_article(SourceRecord(value=big * 3), limits)
    with pytest.raises(Rejected, match="text_too_long"):
        parse_article(SourceRecord(value=big), limits)
    with pytest.raises(Rejected, match="empty_message"):
        parse_article(SourceRecord(value=None), limits)
    with pytest.raises(Rejected, match="text_too_short"):
        parse_article(SourceRecord(value=b'{"text": "  "}'), limits)


def test_article_id_is_stable_and_derived():
    assert derive_article_id({"id": 42, "text": "x"}) == "42"
    by_url = derive_article_id({"url": "https://a.example/x", "text": "one"})
    assert by_url == derive_article_id({"url": "https://a.example/x", "text": "two"})
    by_text = derive_article_id({"text": "same body"})
    assert by_text == derive_article_id({"text": "same body"}) != derive_article_id({"text": "other body"})


def test_unknown_fields_ignored_and_timestamp_parsed():
    raw = json.dumps({"text": "The presidents met in Paris for talks on trade.", "extra": {"x": 1},
                      "published_at": "2025-08-20T10:00:00+02:00"}).encode()
    a = parse_article(SourceRecord(value=raw), InputLimits())
    assert a.published_at.isoformat() == "2025-08-20T08:00:00+00:00"
