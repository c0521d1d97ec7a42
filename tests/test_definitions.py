"""The definitions of a reported event (docs/events.md), on sentences written for the purpose."""
import re

import pytest

from newsevents.extraction.definitions import reported, word_alternation

REPORTED = {
    "summit": [
        "Chilean President Gabriel Boric met Argentine President Javier Milei in Santiago on Tuesday.",
        "Leaders of the Pacific Islands Forum opened their annual summit in Honiara.",
        "The two leaders agreed to hold their next meeting in Hanoi.",
        "The prime ministers of Estonia, Latvia and Lithuania gathered in Riga for talks on energy links.",
        "NATO leaders will meet in The Hague in June.",
        # Offices without names, as briefs write them.
        "The Ghanaian president met the Nigerian president in Abuja on Friday.",
        "Spain's prime minister held talks with his Moroccan counterpart in Rabat.",
    ],
    "tariff": [
        "Canada imposed a 25 percent tariff on steel imported from the United States.",
        "The European Union said it would suspend its retaliatory duties on American whiskey for six months.",
        "Washington threatened tariffs of up to 50 percent on goods from Brazil.",
        "Under the deal, duties on Korean cars fall to 15 percent.",
        "Washington slapped a 10 percent tariff on Canadian energy.",  # a duty on a party's goods, even energy
    ],
    "defense_spending": [
        "Poland will raise its military budget to 4.7 percent of GDP next year.",
        "Tokyo pays about 1.9 billion dollars a year toward the cost of US forces stationed in Japan.",
        "The defence ministry asked parliament for an extra 12 billion euros for air defence.",
    ],
}
NOT_REPORTED = {
    "summit": [
        "President William Ruto opened an investment summit with company chiefs in Nairobi.",  # business summit
        "Foreign Minister Sergei Lavrov held talks with Foreign Minister Wang Yi in Beijing.",  # ministers only
        "The climbers reached the summit of Everest at dawn on Tuesday.",
        "The tech summit drew 40,000 developers to Lisbon.",
        # A named business event, with a leader among company chiefs.
        "President Maria Lopes toured stands with company chiefs at the AI Horizons Summit in Lisbon.",
        "The company's president met investors in Frankfurt.",  # one office, no counterpart
    ],
    "tariff": [
        "The energy regulator approved new standard tariffs that raise household electricity bills by 6 percent.",
        "Carmakers, which have struggled with tariffs and weak demand, edged higher.",
        "The two ministers opposed unilateral sanctions in a joint statement.",
        # A utility's price schedule, even beside a trade word or with no utility word but its units.
        "For the agricultural consumer category, a 9% rise in the power tariff was approved.",
        "The tariffs for 201-400 units were increased to 6 rupees per unit.",
        "The regulator lifted tariffs on British households by 6 percent.",
    ],
    "defense_spending": [
        "The defence lawyer told the jury that the evidence was thin.",
        "The champions' title defence ended with a 2-1 defeat in Turin.",
        "The council will spend 3 million pounds on new cycle lanes.",
    ],
}


@pytest.mark.parametrize("event_type,sentence", [(t, s) for t, ss in REPORTED.items() for s in ss])
def test_a_reported_event_meets_its_definition(event_type, sentence):
    assert reported(event_type, [sentence])


@pytest.mark.parametrize("event_type,sentence", [(t, s) for t, ss in NOT_REPORTED.items() for s in ss])
def test_a_look_alike_or_passing_mention_does_not(event_type, sentence):
    assert not reported(event_type, [sentence])


def test_one_reporting_sentence_among_others_is_enough():
    background = NOT_REPORTED["summit"] + NOT_REPORTED["tariff"]
    assert reported("summit", background + REPORTED["summit"][:1])
    assert not reported("summit", background)


def test_leaders_agreeing_together_report_their_meeting():
    assert reported("summit", ["The two leaders agreed to expand joint naval exercises."])
    assert not reported("summit", ["The ministry agreed to expand joint naval exercises."])


def test_a_word_alternation_matches_what_its_plain_pattern_matches():
    # The look-ahead on first letters is only for speed: the same matches, whatever the case.
    pattern = r"\b(meet|talks|heads? of (state|government)|defen[cs]e|g-?7\b|sit down)\b"
    plain, fast = re.compile(pattern, re.IGNORECASE), word_alternation(pattern)
    sentences = [s for ss in (*REPORTED.values(), *NOT_REPORTED.values()) for s in ss] + [
        "HEADS OF STATE sat down; the G7 and G-7 met.", "Defense, defence, DEFENCE-related; a meeting.",
        "Sit down talks at the sit downs between heads of government.", "Talks, then talks!"]
    for s in sentences:
        assert [m.span() for m in fast.finditer(s)] == [m.span() for m in plain.finditer(s)], s
    assert fast.search("They held TALKS") and not fast.search("the stalks")


def test_a_word_alternation_needs_alternatives_that_start_with_a_letter():
    with pytest.raises(ValueError):
        word_alternation(r"\b(meet|(?:a|b)c)\b")
    with pytest.raises(ValueError):
        word_alternation(r"(meet|talks)")
