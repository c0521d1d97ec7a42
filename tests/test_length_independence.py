"""Decisions rest on the evidence, not on the share of the article it fills: unrelated
paragraphs (weather, sport, markets, of this project's writing) around a held-out article must
not take its labels away, nor add any."""
import pytest

from newsevents.classifier import ClassifierHead
from newsevents.corpus import corpus_path, read_jsonl
from newsevents.encoder import EncoderConfig, SentenceEncoder
from newsevents.evaluation import analyze_corpus, pad_with_offtopic


@pytest.mark.slow  # the model over the whole held-out split, twice
def test_unrelated_paragraphs_do_not_change_the_labels():
    rows = read_jsonl(corpus_path("heldout"))
    head, encoder = ClassifierHead.load(), SentenceEncoder(EncoderConfig())
    bare = {a.article.article_id: set(a.labels) for a in analyze_corpus(head, encoder, rows)}
    padded = {a.article.article_id: set(a.labels) for a in analyze_corpus(head, encoder, pad_with_offtopic(rows))}
    assert all(len(p["text"]) > len(r["text"]) + 500 for p, r in zip(pad_with_offtopic(rows), rows))
    changed = {i: (bare[i], padded[i]) for i in bare if bare[i] != padded[i]}
    # With the labels checked against their definitions no held-out article changes. The head
    # alone let two gain a summit label from the padding (mix-td-002, mix-td-004); with the
    # former share-of-sentences feature, 10 of the 26 then held-out articles lost labels.
    assert not changed, changed
    hard_negatives = {r["id"] for r in rows if "hard_negative" in r.get("tags", [])}
    assert not set(changed) & hard_negatives, "padding must not turn a look-alike into an event"


def wrap_in_page_chrome(row: dict, i: int) -> dict:
    """A held-out article as a crawler delivers it: navigation, a paywall prompt, a photo caption
    printed twice, a "Read more" link, a related-stories block and reader comments."""
    chrome_top = ["Skip to content", "Menu", "World  Politics  Business  Opinion  Sport", "Search",
                  "Subscribe now", "Already a subscriber? Log in",
                  f"Photo: Officials arrive for the meeting (Agency {i})",
                  f"Photo: Officials arrive for the meeting (Agency {i})", "Listen to this article", "4 min read"]
    chrome_bottom = ["Read More »", "Related", "Festival draws record crowds to the old town",
                     "Comments", "This is the best news I have read all week!", "Who pays for all of this?"]
    return {**row, "text": "\n".join(chrome_top + [row["text"]] + chrome_bottom)}


@pytest.mark.slow  # the model over the whole held-out split, twice
def test_held_out_articles_in_page_chrome_are_labelled_as_the_bare_text():
    rows = read_jsonl(corpus_path("heldout"))
    head, encoder = ClassifierHead.load(), SentenceEncoder(EncoderConfig())
    bare = {a.article.article_id: (a.labels, a.article.sentences) for a in analyze_corpus(head, encoder, rows)}
    wrapped = analyze_corpus(head, encoder, [wrap_in_page_chrome(r, i) for i, r in enumerate(rows)])
    assert len(wrapped) == len(rows)
    for a in wrapped:
        labels, sentences = bare[a.article.article_id]
        assert a.article.sentences == sentences, "chrome must not reach the sentences"
        assert a.labels == labels
