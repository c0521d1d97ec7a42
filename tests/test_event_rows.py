"""Every reported event is a row (issue 26, item 2): which clause reports which event, when events of
one type in one article merge and when they stay apart, each with its own evidence and dyad; and one
article of several events through the real pipeline. Every article here is written for these tests."""
import json
from datetime import datetime, timezone

import pytest

from newsevents.extraction.clauses import split_clauses
from newsevents.extraction.event_codes import event_codes
from newsevents.extraction.extract import extract
from newsevents.extraction.segment import segment, segment_events

from helpers import events, run_jsonl

PUBLISHED = datetime(2026, 3, 11, 9, 0, tzinfo=timezone.utc)  # a Wednesday


def _rows(event_type, article):
    """(evidence, fields) of each event, from the clauses the segmenter gives it."""
    out = []
    for e in segment_events(event_type, article, PUBLISHED):
        texts = [text for _, text in e.units(article)]
        out.append((texts, extract(event_type, texts, article, PUBLISHED, e.key)))
    return out


# ---- clauses -------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence,pieces", [
    ("Oslo approved 40 billion crowns for 2027 and 44 billion crowns for 2028.",
     ["Oslo approved 40 billion crowns for 2027", "44 billion crowns for 2028."]),
    ("Ankara raised duties on rice and opened a safeguard inquiry into steel imports.",
     ["Ankara raised duties on rice", "opened a safeguard inquiry into steel imports."]),
    ("The premier held talks with the Danish leader and with the Dutch leader.",
     ["The premier held talks with the Danish leader", "The premier held talks with the Dutch leader."]),
    ("Trade ministers met in Geneva: no date was set.", ["Trade ministers met in Geneva", "no date was set."]),
    # no break: a list of goods, a time, a range
    ("Duties on rice and wheat start at 10:30 on Monday.", ["Duties on rice and wheat start at 10:30 on Monday."]),
])
def test_a_sentence_is_cut_where_a_new_clause_starts(sentence, pieces):
    assert split_clauses(sentence) == pieces


# ---- summits -------------------------------------------------------------------------------------

SIDELINES = [
    "Leaders of the G20 opened their summit in Rio de Janeiro on Tuesday with a call for debt relief.",
    "Brazilian President Luiz Inacio Lula da Silva, who hosted the gathering, said the group had agreed on a "
    "minimum tax on billionaires.",
    "On the sidelines, Indian Prime Minister Narendra Modi held talks with Italian Prime Minister Giorgia Meloni.",
    "Modi later sat down with French President Emmanuel Macron, and the two agreed to build more submarines.",
    "Separately, South African President Cyril Ramaphosa met Argentine President Javier Milei.",
]


def test_each_sideline_meeting_is_its_own_event_beside_the_summit():
    rows = _rows("summit", SIDELINES)
    countries = [set(f.specific["leader_countries"]) for _, f in rows]
    assert countries == [{"BRA"}, {"IND", "ITA"}, {"IND", "FRA"}, {"ZAF", "ARG"}]
    # each meeting's evidence is its own sentence, and its dyad its own pair
    assert [len(texts) for texts, _ in rows[1:]] == [1, 1, 1]
    assert [{f.actor1_country, f.actor2_country} for _, f in rows[1:]] == [{"IND", "ITA"}, {"IND", "FRA"},
                                                                             {"ZAF", "ARG"}]
    # the pairs met at the gathering's place
    assert {(f.specific["host_city"], f.specific["host_country"]) for _, f in rows} == {("Rio de Janeiro", "BRA")}


def test_he_is_the_leader_named_just_before():
    article = ["Chinese Premier Li Qiang welcomed the leaders of Southeast Asia to Nanning for their annual summit.",
               "Li held talks with Thai Prime Minister Anutin Charnvirakul on Thursday.",
               "He also received Lao Prime Minister Sonexay Siphandone, state media said."]
    rows = _rows("summit", article)
    assert [set(f.specific["leader_countries"]) for _, f in rows][1:] == [{"CHN", "THA"}, {"CHN", "LAO"}]


def test_each_stop_of_a_tour_is_its_own_event():
    article = ["Japanese Prime Minister Sanae Takaichi arrived in Hanoi on Monday at the start of a three-nation tour "
               "and held talks with Vietnamese Prime Minister Pham Minh Chinh.",
               "From Vietnam she flew to Jakarta, where Indonesian President Prabowo Subianto hosted her on Tuesday.",
               "She ends the tour in Manila on Thursday with talks with President Ferdinand Marcos Jr."]
    hosts = [(f.specific["host_city"], set(f.specific["leader_countries"])) for _, f in _rows("summit", article)]
    assert hosts == [("Hanoi", {"JPN", "VNM"}), ("Jakarta", {"JPN", "IDN"}), ("Manila", {"JPN", "PHL"})]


def test_one_meeting_told_in_several_sentences_is_one_event():
    article = ["Kenyan President William Ruto met Ugandan President Yoweri Museveni in Entebbe on Saturday.",
               "At the talks, Ruto and Museveni agreed to extend the oil pipeline to the coast.",
               "The two leaders will meet again in Nairobi next year."]
    groups = segment("summit", article, PUBLISHED)
    assert groups[0] == [0, 1]  # the same pair at the same meeting; the next meeting is another
    assert len(groups) == 2


# ---- tariffs -------------------------------------------------------------------------------------

def test_a_measure_the_retaliation_and_an_investigation_are_three_events():
    article = ["The United States imposed a 30 percent tariff on Brazilian steel on Monday.",
               "Brazil hit back with 20 percent duties on American wheat and launched an anti-dumping investigation "
               "into imports of US ethanol."]
    rows = _rows("tariff", article)
    got = [(f.specific["action"], f.actor1_country) for _, f in rows]
    assert got == [("impose", "USA"), ("retaliate", "BRA"), ("investigate", "BRA")]
    investigation = rows[2]
    assert investigation[0] == ["launched an anti-dumping investigation into imports of US ethanol."]
    codes = event_codes("tariff", {**investigation[1].specific, "actor1_country": "BRA", "actor2_country": "USA"})
    assert codes["cameo_code"] == "090"


def test_a_threatened_duty_beside_an_imposed_one_is_its_own_event():
    article = ["Canada imposed a 25 percent tariff on Chinese electric vehicles on Friday.",
               "Ottawa also threatened duties on Chinese steel if talks fail."]
    rows = _rows("tariff", article)
    assert [(f.specific["action"], f.specific["imposing_countries"]) for _, f in rows] == [
        ("impose", ["CAN"]), ("threaten", ["CAN"])]


def test_one_measure_restated_is_one_event():
    article = ["India raised its tariff on Chinese solar panels to 40 percent on Tuesday.",
               "The higher duty takes effect next month.",
               "Indian officials said the tariffs on Chinese panels would protect local makers."]
    assert segment("tariff", article, PUBLISHED) == [[0, 1, 2]]


# ---- defence spending ----------------------------------------------------------------------------

def test_each_year_of_a_budget_is_its_own_event():
    article = ["Poland's government approved defence spending of 200 billion zlotys for 2027, and a plan that "
               "foresees 215 billion zlotys in 2028 and 230 billion zlotys in 2029."]
    rows = _rows("defense_spending", article)
    assert [(f.specific["country"], f.specific["amount"]) for _, f in rows] == [
        ("POL", 200e9), ("POL", 215e9), ("POL", 230e9)]
    assert all(len(texts) == 1 and texts[0] != article[0] for texts, _ in rows)  # each its own clause


def test_a_budget_and_its_goal_are_two_events():
    article = ["Spain's cabinet approved a defence budget of 33 billion euros for next year.",
               "Prime Minister Pedro Sanchez pledged to raise military spending to 2.1 percent of GDP by 2029."]
    rows = _rows("defense_spending", article)
    assert [(f.specific["measure"], f.specific["country"]) for _, f in rows] == [("budget", "ESP"),
                                                                                 ("target", "ESP")]


def test_a_budget_restated_with_a_comparison_is_one_event():
    article = ["Sweden will spend 190 billion crowns on defence in 2027, up from 170 billion crowns in 2026.",
               "The defence budget includes 20 billion crowns for air defence."]
    assert segment("defense_spending", article, PUBLISHED) == [[0, 1]]


# ---- through the real pipeline ---------------------------------------------------------------------

@pytest.mark.slow
def test_an_article_of_several_events_gives_a_row_each_with_its_own_summary(tmp_path):
    text = ("Leaders of the G20 opened their summit in Rio de Janeiro on Tuesday with a call for debt relief. "
            "Brazilian President Luiz Inacio Lula da Silva, who hosted the summit, said the leaders had agreed on a "
            "minimum tax on billionaires. On the sidelines of the summit, Indian Prime Minister Narendra Modi held "
            "talks with Italian Prime Minister Giorgia Meloni on defence cooperation. Separately, South African "
            "President Cyril Ramaphosa met Argentine President Javier Milei to discuss trade.")
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "g20-sidelines", "published_at": PUBLISHED.isoformat(), "text": text}) + "\n")
    run_jsonl(src, tmp_path / "out")
    rows = events(tmp_path / "out")["summit"].to_pylist()
    pairs = {frozenset(r["leader_countries"]): r for r in rows}
    assert {frozenset({"IND", "ITA"}), frozenset({"ZAF", "ARG"})} <= set(pairs)
    india, argentina = pairs[frozenset({"IND", "ITA"})], pairs[frozenset({"ZAF", "ARG"})]
    assert "Meloni" in india["summary"] and "Milei" not in india["summary"]
    assert "Milei" in argentina["summary"] and "Meloni" not in argentina["summary"]
    assert {india["actor1_country"], india["actor2_country"]} == {"IND", "ITA"}
    assert len({r["event_id"] for r in rows}) == len(rows)


def test_the_target_of_one_measure_levying_its_own_duties_is_another_measure():
    article = ["Under the trade deal, duties on Vietnamese shrimp fall to 10 percent from next month.",
               "In return, Vietnam will scrap its duties on American pork."]
    assert segment("tariff", article, PUBLISHED) == [[0], [1]]


def test_the_next_meeting_at_the_same_place_is_another_meeting():
    article = ["Nordic prime ministers met in Helsinki on Tuesday for their annual summit.",
               "Their next summit in Helsinki is planned for 2028."]
    assert segment("summit", article, PUBLISHED) == [[0], [1]]


def test_at_a_third_place_the_leader_who_holds_the_talks_comes_first():
    rows = _rows("summit", SIDELINES)
    assert (rows[1][1].actor1_country, rows[1][1].actor2_country) == ("IND", "ITA")  # "Modi held talks with Meloni"
    assert (rows[2][1].actor1_country, rows[2][1].actor2_country) == ("IND", "FRA")  # "Modi later sat down with"


def test_leaving_one_city_for_another_places_the_meeting_in_the_other():
    article = ["French President Emmanuel Macron left Brussels for Rome, where he will meet Italian Prime Minister "
               "Giorgia Meloni on Friday."]
    [(_, f)] = _rows("summit", article)
    assert (f.specific["host_city"], f.actor1_country, f.actor2_country) == ("Rome", "ITA", "FRA")


def test_another_types_sentence_does_not_join_an_event_as_a_figure():
    article = ["Washington said it would exempt Japanese car parts from a planned 25 percent tariff.",
               "Japan will raise its defence spending to 3 percent of GDP by 2030."]
    # the defence sentence states a figure right after the tariff, and the classifier may cite it
    assert segment("tariff", article, PUBLISHED, evidence=(0, 1)) == [[0]]


def test_a_budget_on_top_of_another_is_another_event():
    article = ["Taiwan's cabinet approved a special defence budget of 900 billion New Taiwan dollars over six years.",
               "The package comes on top of a military budget of 950 billion New Taiwan dollars."]
    assert segment("defense_spending", article, PUBLISHED) == [[0], [1]]


def test_the_visits_of_a_tour_told_again_are_no_new_meeting():
    article = ["Turkish President Recep Tayyip Erdogan held talks with Emir Tamim bin Hamad Al Thani in Doha on Monday.",
               "Ankara hopes the visits will bring Gulf investment into its shipyards."]
    assert segment("summit", article, PUBLISHED) == [[0]]
