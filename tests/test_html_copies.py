"""A page seen before in the same process is extracted again: a syndicated copy or a replay of an
HTML article keeps its text (trafilatura's deduplication dropped it)."""
import json

from newsevents.input.html import extract_page

from helpers import publish, read, run_kafka

PAGE = ("<html><head><title>Presidents meet in Geneva</title></head><body><article><p>The two presidents "
        "met in Geneva on Tuesday for talks on trade and security.</p><p>Officials said both sides agreed "
        "to meet again before the end of the year.</p></article></body></html>")


def test_the_same_page_five_times_gives_the_same_text_five_times():
    texts = [extract_page(PAGE).text for _ in range(5)]  # the fourth was None
    assert texts[0].startswith("The two presidents met in Geneva") and texts.count(texts[0]) == 5


def test_copies_of_a_page_from_kafka_are_all_articles(broker, topic, tmp_path):
    publish(broker, topic, [json.dumps({"id": f"copy-{i}", "html": PAGE}).encode() for i in range(4)])
    run_kafka(broker, topic, tmp_path / "out")
    assert read(tmp_path / "out", "dead_letter").num_rows == 0
    assert sorted(read(tmp_path / "out", "articles").column("article_id").to_pylist()) == [f"copy-{i}" for i in range(4)]
