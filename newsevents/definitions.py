"""What counts as an event of each type: the README's definitions, checked on a label's evidence.

The classifier says an article *reads like* a summit, tariff or defence-spending story; these
rules say whether its evidence *reports* one. A label whose evidence has no sentence that meets
its type's definition is dropped (its score stays in the articles row):

* summit: a meeting, visit or talks of heads of state or government (a named leader with a head
  title, or "Japan's Shigeru Ishiba"), or a named leaders' summit (G7, NATO, ASEAN ...). Business,
  investment and tech "summits", mountain summits and ministers-only meetings are not summits.
* tariff: duties on traded goods that are imposed, raised, cut, suspended, threatened, retaliated
  with or agreed (an action word or a rate next to the duty word). Utility tariffs (electricity,
  water, telecom) are not tariffs, nor is a passing "struggled with tariffs".
* defense_spending: a military budget, a spending target or a cost-sharing deal for troops.
  Sports and legal "defence" is not defence spending.

Rules on words, not on the length or layout of the article, so they never depend on what else
the page carries.
"""
from __future__ import annotations

import re
from typing import Callable, Iterable

from newsevents.people import find_people, head_titles


def word_alternation(pattern: str) -> re.Pattern:
    """``pattern`` (``\\b(word|word...)...``, each alternative starting with a letter or a digit),
    case-insensitive, with the alternatives' first characters checked before the alternatives.

    Python's re tries every alternative at every word start, and case-insensitive literals give
    it no first character to skip ahead with; these patterns run on every sentence of every
    article (the gate), where the look-ahead makes them 2-3 times faster. It matches exactly
    what ``pattern`` matches: every match begins with one of those characters."""
    head = "\\b("
    if not pattern.startswith(head):
        raise ValueError(f"not a word alternation: {pattern[:40]!r}")
    initials, depth, i = {pattern[len(head)]}, 0, len(head)
    while depth >= 0:  # the alternatives end at the group's closing parenthesis
        c = pattern[i]
        if c == "\\":
            i += 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            initials.add(pattern[i + 1])
        i += 1
    if not all(c.isalnum() for c in initials):
        raise ValueError(f"an alternative does not start with a letter or a digit: {sorted(initials)}")
    return re.compile(f"\\b(?=[{''.join(sorted(initials))}])" + pattern[2:], re.IGNORECASE)


_MEETING = word_alternation(r"\b(meet|meets|met|meeting|meetings|summit|summits|talks|visit|visits|visited|"
                            r"visiting|hosts?|hosted|hosting|trip|travel\w*|held|hold|holds|welcomed|received|call|"
                            r"spoke|sit down|discuss\w*|"
                            r"gathered|gather|signed|sign)\b")
# A leaders' summit named as such: the meeting is of heads of state or government by definition.
_LEADERS_SUMMIT = re.compile(
    r"\b(G7|G-7|G20|G-20|Group of (?:Seven|Twenty)|NATO|ASEAN|APEC|BRICS|SCO|African Union|Arab League|"
    r"European Council|EU|Commonwealth|Quad|Shanghai Cooperation Organi[sz]ation)\s+(?:leaders[’']?\s+)?"
    r"(?:summit|summits|meeting of leaders)\b|\b(?:leaders[’']?|heads of (?:state|government)[’']?)\s+"
    r"(?:summit|meeting|met|meet|gathered|talks)\b|\bsummit of (?:\w+\s+){0,3}leaders\b", re.IGNORECASE)
# "The two leaders", "the prime ministers of Norway, Sweden ...", "heads of government": leaders as a group.
_LEADERS = re.compile(r"\b(leaders|heads of (?:state|government)|presidents|prime ministers|premiers|chancellors|"
                      r"monarchs)\b", re.IGNORECASE)
# "investment summit", "AI Impact Summit", "the summit of Everest": the word without a meeting of leaders.
_NOT_A_LEADERS_SUMMIT = re.compile(
    r"\b(?:investment|investor|investors[’']?|business|tech|technology|startup|innovation|industry|"
    r"attractiveness|youth|education|health|food|climate finance|energy|mining|fintech|crypto|AI|media|"
    r"marketing|sales|customer|developer)\s+(?-i:[A-Z][\w-]*\s+){0,2}summit\b|\bsummit (?:of|on) (?:Everest|K2|Mont Blanc|Kilimanjaro|"
    r"the mountain|the peak)\b|\b(?:reached|reach|reaching) the summit\b", re.IGNORECASE)

# What leaders do together at a meeting, said of "the two leaders" without a meeting word.
_JOINT_OUTCOME = word_alternation(
    r"\b(agreed|agree|pledged|signed|issued|adopted|endorsed|joint statement|declaration)\b")

_DUTY = word_alternation(r"\b(tariffs?|duty|duties|levy|levies|customs)\b")
_TARIFF_ACTION = re.compile(
    r"\b(impos\w*|rais\w*|increas\w*|doubl\w*|tripl\w*|hik\w*|slap\w*|cut|cuts|cutting|lower\w*|reduc\w*|eas\w*|"
    r"scrap\w*|remov\w*|lift\w*|suspend\w*|paus\w*|delay\w*|postpon\w*|exempt\w*|waiv\w*|threat\w*|warn\w*|"
    r"retaliat\w*|counter\w*|deal|agreement|agreed|accord|truce|framework|announc\w*|introduc\w*|levied|levy|"
    r"take effect|took effect|takes effect|come into force|came into force|effective)\b", re.IGNORECASE)
_RATE = re.compile(r"\d+(?:\.\d+)?\s*(?:percent|per cent|%)", re.IGNORECASE)
_UTILITY = re.compile(r"\b(electricity|power|energy|gas|water|broadband|telecom\w*|mobile|phone|household|households|"
                      r"bills?|kilowatt[- ]hours?|kwh|regulator|feed-in|standing charges?|social tariff|time-of-use|"
                      r"utility|utilities|meter|tariff plan|data plan)\b", re.IGNORECASE)
_TRADE = re.compile(r"\b(imports?|imported|exports?|exported|goods|trade|trading partners?|products|steel|cars|"
                    r"vehicles|chips|semiconductors|agricultural|farm|customs|border|foreign|countries|retaliat\w*|"
                    r"WTO|World Trade Organization)\b", re.IGNORECASE)

_MILITARY = word_alternation(r"\b(military|defen[cs]e|armed forces|army|navy|air force|troops|soldiers|forces|arms|"
                             r"weapons|NATO|Pentagon|warships?|fighter jets?|bases|personnel)\b")
_SPENDING = re.compile(r"\b(budget\w*|spend\w*|spent|expenditure|outlays?|funding|funds?|allocat\w*|billion|million|"
                       r"trillion|GDP|gross domestic product|percent of|per cent of|cost[- ]sharing|host[- ]nation|"
                       r"pay|pays|paying|paid|contribut\w*|procure\w*|appropriat\w*)\b", re.IGNORECASE)
_NOT_MILITARY_DEFENCE = re.compile(r"\b(defen[cs]e (?:lawyer|attorney|counsel|team|minister's lawyer|case)|"
                                   r"(?:title|championship|cup) defen[cs]e|defen[cs]ive (?:line|end|coordinator)|"
                                   r"defenders?|goalkeeper|striker|midfield\w*|touchdowns?|rebounds?|"
                                   r"court heard|jury|trial)\b", re.IGNORECASE)


def _reports_summit(sentence: str) -> bool:
    meeting = _MEETING.search(sentence)
    # Every way a sentence reports a summit has a meeting word or a joint outcome: checked first,
    # as this runs on every sentence of every article (the gate) and most have neither.
    if not meeting and not _JOINT_OUTCOME.search(sentence):
        return False
    if _LEADERS_SUMMIT.search(sentence):
        return True
    leaders = _leaders(sentence)
    if len(leaders) >= 2:  # two named heads of state or government together
        return True
    if _NOT_A_LEADERS_SUMMIT.search(sentence):
        return False
    if not meeting:
        return bool(_LEADERS.search(sentence))  # "the two leaders agreed"
    return bool(leaders) or bool(_LEADERS.search(sentence))


def _leaders(sentence: str) -> list:
    heads = head_titles()
    return [p for p in find_people(sentence) if p.title in heads]


def _reports_tariff(sentence: str) -> bool:
    duty = _DUTY.search(sentence)
    if not duty:
        return False
    if _UTILITY.search(sentence) and not _TRADE.search(sentence):
        return False
    return bool(_TARIFF_ACTION.search(sentence) or _RATE.search(sentence))


def _reports_defense_spending(sentence: str) -> bool:
    # The military word first: the gate checks every sentence, and most have none.
    if not _MILITARY.search(sentence):
        return False
    if _NOT_MILITARY_DEFENCE.search(sentence) and not re.search(r"\bmilitary\b|\barmed forces\b", sentence, re.I):
        return False
    return bool(_SPENDING.search(sentence))


REPORTS: dict[str, Callable[[str], bool]] = {
    "summit": _reports_summit,
    "tariff": _reports_tariff,
    "defense_spending": _reports_defense_spending,
}


def reported(event_type: str, sentences: Iterable[str]) -> bool:
    """Whether any of the sentences reports an event of the type as the README defines it."""
    return any(REPORTS[event_type](s) for s in sentences)
