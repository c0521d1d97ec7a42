"""Sentence-level scores of a decision against the held-out annotation, on a hand-made case."""
from __future__ import annotations

from newsevents.evaluation.sentences import (annotated_sentence_cases, either_decision, sentence_scores,
                                             word_list_decision)

ARTICLES = [
    {"id": "a1", "text": "The Kenyan president met the Ghanaian president in Nairobi on Monday. "
                         "Security was tight in the capital. "
                         "Kenya also raised tariffs on Ghanaian cocoa to 20 percent.",
     "events": [{"type": "summit", "sentences": ["The Kenyan president met the Ghanaian president in Nairobi on Monday."]},
                {"type": "tariff", "sentences": ["Kenya also raised tariffs on Ghanaian cocoa to 20 percent."]}]},
    # Events without annotated sentences: not a sentence-level case at all.
    {"id": "old", "text": "Leaders met.", "events": [{"type": "summit"}]},
]


def test_every_sentence_of_an_annotated_article_is_a_case_with_the_types_it_reports():
    cases = annotated_sentence_cases(ARTICLES)
    assert [(c.article_id, sorted(c.types)) for c in cases] == [("a1", ["summit"]), ("a1", []), ("a1", ["tariff"])]


def test_a_sentence_the_splitter_cuts_in_two_keeps_its_types_and_an_unmatched_one_is_added():
    annotated = ("The Indian prime minister met the Japanese prime minister in Tokyo on Friday. "
                 "They agreed to build a new rail line between the two capitals.")
    article = {"id": "a2", "text": annotated + " It rained heavily in the capital all day long.",
               "events": [{"type": "summit", "sentences": [annotated, "A sentence the text does not hold."]}]}
    cases = annotated_sentence_cases([article])
    assert [(c.text.split()[0], c.types) for c in cases] == [
        ("The", {"summit"}), ("They", {"summit"}), ("It", frozenset()), ("A", {"summit"})]


def test_scores_count_true_and_false_positives_and_misses_per_type():
    cases = annotated_sentence_cases(ARTICLES[:1])

    def says_summit_everywhere(event_type, sentences):
        return [event_type == "summit"] * len(sentences)

    scores = sentence_scores(cases, says_summit_everywhere, ("summit", "tariff"))
    assert scores["summit"] == {"positives": 1, "tp": 1, "fp": 2, "fn": 0, "precision": 0.333, "recall": 1.0, "f1": 0.5}
    assert scores["tariff"]["tp"] == 0 and scores["tariff"]["fn"] == 1 and scores["tariff"]["f1"] == 0.0

    either = either_decision(says_summit_everywhere, lambda t, s: [t == "tariff" and "tariffs" in x for x in s])
    assert sentence_scores(cases, either, ("tariff",))["tariff"]["f1"] == 1.0


def test_the_word_lists_decide_per_sentence_with_their_vetoes():
    decided = word_list_decision("tariff", ["Kenya raised tariffs on Ghanaian cocoa to 20 percent.",
                                            "The utility raised its electricity tariff for households."])
    assert decided == [True, False]
