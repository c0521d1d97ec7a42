"""Decisions rest on the evidence, not on the share of the article it fills: unrelated
paragraphs (weather, sport, markets, of this project's writing) around a held-out article must
not take its labels away, nor add any."""
import pytest

from newsevents.models.classifier import ClassifierHead
from newsevents.evaluation.corpus import FIRST_HELDOUT_LINES, corpus_path, read_jsonl
from newsevents.models.encoder import EncoderConfig, SentenceEncoder
from newsevents.evaluation.events import analyze_corpus, pad_with_offtopic

pytestmark = pytest.mark.slow  # the model over the whole held-out split, bare, padded and in page chrome

@pytest.fixture(scope="module")
def heldout():
    """(rows, head, encoder, the bare articles' analyses), analysed once for the module."""
    rows = read_jsonl(corpus_path("heldout"))
    head, encoder = ClassifierHead.load(), SentenceEncoder(EncoderConfig())
    return rows, head, encoder, analyze_corpus(head, encoder, rows)


@pytest.fixture(scope="module")
def padding(heldout):
    """(rows, labels of the bare articles, labels of the padded ones)."""
    rows, head, encoder, analyzed = heldout
    bare = {a.article.article_id: set(a.labels) for a in analyzed}
    padded = {a.article.article_id: set(a.labels) for a in analyze_corpus(head, encoder, pad_with_offtopic(rows))}
    assert all(len(p["text"]) > len(r["text"]) + 500 for p, r in zip(pad_with_offtopic(rows), rows))
    return rows, bare, padded


def _changed(rows, bare, padded) -> dict:
    return {r["id"]: (bare[r["id"]], padded[r["id"]]) for r in rows if bare[r["id"]] != padded[r["id"]]}


def test_unrelated_paragraphs_do_not_change_the_labels(padding):
    rows, bare, padded = padding
    changed = _changed(rows[:FIRST_HELDOUT_LINES], bare, padded)
    # With the labels checked against their definitions none of the first 54 held-out articles
    # changes. The head alone let two gain a summit label from the padding (mix-td-002,
    # mix-td-004); with the former share-of-sentences feature, 10 of the 26 then held-out articles
    # lost labels.
    assert not changed, changed
    hard_negatives = {r["id"] for r in rows if "hard_negative" in r.get("tags", [])}
    assert not set(_changed(rows, bare, padded)) & hard_negatives, "padding must not turn a look-alike into an event"


@pytest.mark.xfail(strict=True, reason="ev-mix-003 gains its (annotated) summit when padded: a padding sentence "
                   "lifts the classifier's top-two feature over its threshold, and bare it has no sentence the "
                   "sentence head takes for a report; the briefs hold since the sentence head labels them")
def test_unrelated_paragraphs_do_not_change_the_labels_of_briefs_and_several_event_articles(padding):
    rows, bare, padded = padding
    changed = _changed(rows[FIRST_HELDOUT_LINES:], bare, padded)
    assert not changed, changed


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


@pytest.fixture(scope="module")
def chrome(heldout):
    """(rows, bare and wrapped analyses by id): the held-out split bare and in page chrome."""
    rows, head, encoder, analyzed = heldout
    bare = {a.article.article_id: (a.labels, a.article.sentences) for a in analyzed}
    wrapped = analyze_corpus(head, encoder, [wrap_in_page_chrome(r, i) for i, r in enumerate(rows)])
    assert len(wrapped) == len(rows)
    return rows, bare, {a.article.article_id: (a.labels, a.article.sentences) for a in wrapped}


def _chrome_differences(rows, bare, wrapped) -> dict:
    return {r["id"]: (bare[r["id"]], wrapped[r["id"]]) for r in rows if bare[r["id"]] != wrapped[r["id"]]}


def test_held_out_articles_in_page_chrome_are_labelled_as_the_bare_text(chrome):
    rows, bare, wrapped = chrome
    several = [r for r in rows if len(bare[r["id"]][1]) >= 2]
    # Only briefs are one sentence long (their test follows).
    assert {r["id"] for r in rows} - {r["id"] for r in several} <= {r["id"] for r in rows if "brief" in r["tags"]}
    for r in several:
        assert wrapped[r["id"]][1] == bare[r["id"]][1], "chrome must not reach the sentences"
        assert wrapped[r["id"]][0] == bare[r["id"]][0], r["id"]


def test_one_sentence_items_in_page_chrome_are_labelled_as_the_bare_text(chrome):
    rows, bare, wrapped = chrome
    one = [r for r in rows if len(bare[r["id"]][1]) == 1]
    assert one
    # Their one sentence is judged on its own (the sentence head), whatever surrounds it.
    assert {r["id"]: bare[r["id"]][0] for r in one} == {r["id"]: wrapped[r["id"]][0] for r in one}
    assert all(set(bare[r["id"]][0]) == set(r["labels"]) for r in one), {r["id"]: bare[r["id"]][0] for r in one}


@pytest.mark.xfail(strict=True, reason="a one-sentence item in page chrome falls back to the gentle cleaning, "
                   "which keeps chrome lines as sentences (its labels hold: the test above)")
def test_one_sentence_items_in_page_chrome_keep_only_their_sentence(chrome):
    rows, bare, wrapped = chrome
    one = [r for r in rows if len(bare[r["id"]][1]) == 1]
    assert {r["id"]: bare[r["id"]][1] for r in one} == {r["id"]: wrapped[r["id"]][1] for r in one}
