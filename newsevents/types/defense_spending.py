"""defense_spending: military budgets, spending targets (share of GDP), cost-sharing for stationed troops.

defense_spending is a state's military budget, a spending target or cost-sharing for troops.
Sports "defence" and legal "defence" are not. The type's words differ from stage to stage and
are kept under each stage's name: the gate's trigger words are broad (any military word), the
definition's military words add "forces", "arms", "NATO", "personnel", the segmenter's cue needs
a spending word right after the military one (or cost-sharing, or a percent of GDP).
"""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Mapping, Optional

import pyarrow as pa

from newsevents.extraction.amounts import amount_spans, find_amounts, find_percents, percent_near
from newsevents.extraction.cameo import Rule
from newsevents.extraction.columns import AMOUNT_TYPE, column
from newsevents.extraction.geography import country_mentions, party_mentions
from newsevents.extraction.people import Person
from newsevents.types.registry import EventType
from newsevents.extraction.words import word_alternation

# ---- the gate: word starts (see gate.py) ---------------------------------------------------------
GATE_STRONG = (
    r"defen[cs]e", r"military", r"armed forces", r"army", r"navy", r"naval", r"air force", r"troops", r"soldier",
    r"weapon", r"missile", r"warship", r"fighter jet", r"munition", r"pentagon", r"gdp\b", r"gross domestic",
    r"cost-?sharing", r"rearm",
)
GATE_WEAK = (
    r"tank", r"jets?\b", r"arms\b", r"budget", r"spending", r"spend\b", r"expenditure", r"procure", r"stationed",
    r"bases?\b", r"alliance", r"drone", r"percent",
)

# ---- the definition: a military word with a spending word, not sports or court "defence" (definitions.py)
_MILITARY = word_alternation(r"\b(military|defen[cs]e|armed forces|army|navy|air force|troops|soldiers|forces|arms|"
                             r"weapons|NATO|Pentagon|warships?|fighter jets?|bases|personnel)\b")
_SPENDING = re.compile(r"\b(budget\w*|spend\w*|spent|expenditure|outlays?|funding|funds?|allocat\w*|billion|million|"
                       r"trillion|GDP|gross domestic product|percent of|per cent of|cost[- ]sharing|host[- ]nation|"
                       r"pay|pays|paying|paid|contribut\w*|procure\w*|appropriat\w*)\b", re.IGNORECASE)
_NOT_MILITARY_DEFENCE = re.compile(r"\b(defen[cs]e (?:lawyer|attorney|counsel|team|minister's lawyer|case)|"
                                   r"(?:title|championship|cup) defen[cs]e|defen[cs]ive (?:line|end|coordinator)|"
                                   r"defenders?|goalkeeper|striker|midfield\w*|touchdowns?|rebounds?|"
                                   r"court heard|jury|trial)\b", re.IGNORECASE)


def reports(sentence: str) -> bool:
    # The military word first: the gate checks every sentence, and most have none.
    if not _MILITARY.search(sentence):
        return False
    if _NOT_MILITARY_DEFENCE.search(sentence) and not re.search(r"\bmilitary\b|\barmed forces\b", sentence, re.I):
        return False
    return bool(_SPENDING.search(sentence))


# ---- segmentation: cost-sharing, a military word with a spending word, or a share of GDP (segment.py)
# Who spends, and what: each year of a budget and a budget's goal are events of their own.
def mention_key(clause: str, reference: Optional[datetime]) -> dict:
    # "In neighbouring Latvia, lawmakers approved a defence budget": the one country a clause names spends.
    named = {code for code, _, _ in country_mentions(clause)}
    spender = defense_parties(clause)[0] or (named.pop() if len(named) == 1 else None)
    return {"spender": spender, "measure": _clause_measure(clause), "year": budget_year(clause, reference),
            "another": bool(_BESIDES.search(clause)) or None}


# "The package comes on top of a 2027 military budget": another budget than the one just reported.
_BESIDES = re.compile(r"\b(?:on top of|in addition to|separate from|apart from)\s+(?:the|a|an|its|this|next)\b",
                      re.IGNORECASE)


# "a 2027 defence budget", "in 2028", "for fiscal 2026", "next year": the year a figure is for.
_YEAR = re.compile(r"\b(?:in|for|fiscal(?: year)?|FY)\s+(20\d\d)\b|\b(20\d\d)(?:[-/]\d\d)?\s+(?:defen[cs]e\s+|military\s+)?"
                   r"(?:budget|spending)\b|\b(next|this|coming) (?:fiscal )?year\b", re.IGNORECASE)
# "up from 8.5 trillion yen last year", "compared with": a figure for comparison, not the year of this one.
_COMPARISON = re.compile(r"\b(?:up|down) from\b|\bcompared (?:with|to)\b|\blast year['’]s\b|\ba year (?:earlier|ago)\b",
                         re.IGNORECASE)


def budget_year(clause: str, reference: Optional[datetime]) -> Optional[int]:
    """The year the clause's figure is for, where it says one and states a figure."""
    clause = _COMPARISON.split(clause)[0]
    if not _money(clause):
        return None
    m = _YEAR.search(clause)
    if not m:
        return None
    if m.group(3):
        return None if reference is None else reference.year + (0 if m.group(3).lower() == "this" else 1)
    return int(m.group(1) or m.group(2))


# "will bring spending to 2 percent of GDP", "keep it between 5 and 6 percent": a share to reach or keep,
# not the share a budget amounts to ("equal to 5.4 percent of GDP").
_SHARE_GOAL = r"\b(?:will|would|plans?|bring\w*|lift\w*|raise\w*|increas\w*|boost\w*|reach\w*|keep\w*|double\w*)\b"


# What a share is "of" when it is a share of GDP ("percent of economic output", "percent of output").
_GDP = r"GDP|gross domestic product|economic output|(?<=of )output"


def _clause_measure(clause: str) -> Optional[str]:
    """target where the clause sets a goal for a share of GDP, cost_sharing, budget where it states a figure."""
    if re.search(rf"\b(?:percent|per cent|%)\s+of\s+(?:{_GDP})\b", clause,
                 re.IGNORECASE) and re.search(f"{_GOAL}|{_SHARE_GOAL}", clause, re.IGNORECASE):
        return "target"
    if COST_SHARING.search(clause) or _CONTRIBUTION.search(clause):
        return "cost_sharing"
    return "budget" if _money(clause) else None


# A money figure in a currency the rate table may lack ("180 billion crowns").
_SCALED_FIGURE = re.compile(r"\d[\d.,]*\s*(?:billion|million|trillion|bn)\b", re.IGNORECASE)


def _money(clause: str) -> bool:
    return bool(_SCALED_FIGURE.search(clause) or find_amounts(clause))


# ---- fields (extract.py): who spends, how much, the measure ---------------------------------------
COST_SHARING = re.compile(r"\b(host[- ]nation|cost[- ]sharing|special measures|upkeep|stationing|stationed|"
                           r"(?:foreign|american|u\.?s\.?|allied) (?:troops|forces|soldiers|bases))\b", re.IGNORECASE)
_BUDGET = re.compile(r"^(?:['’]s)?\s+(?:\w+\s+){0,2}(?:military|defen[cs]e|armed forces)\s+(?:budget|spending)",
                     re.IGNORECASE)


# "US troops in Korea", "American forces stationed in Japan": the host country pays, the troops' country is the ally.
_STATIONED = re.compile(r"(?:troops|forces|soldiers|bases|military presence)\s+(?:\w+\s+){0,2}(?:in|on)\s+(?:the\s+)?$",
                        re.IGNORECASE)
_CONTRIBUTION = re.compile(r"\b(?:defen[cs]e|military) (?:contributions?|cost[- ]sharing|burden[- ]sharing|costs)\b",
                           re.IGNORECASE)
_TARGET = re.compile(rf"\b(?:{_GDP}|spending (?:target|goal)|target of|goal of)\b",
                     re.IGNORECASE)
_RAISES_SPENDING = re.compile(r"^\s+(?:\w+\s+){0,5}(?:to\s+)?(?:increas\w*|rais\w*|boost\w*|lift\w*|cut\w*|"
                              r"double\w*|spend\w*|pay\w*|contribut\w*)\s+(?:its\s+|their\s+|more\s+(?:on\s+)?)?"
                              r"(?:\w+\s+){0,1}(?:defen[cs]e|military)", re.IGNORECASE)


# "Poland will spend 4.7 percent of GDP on defence", "Germany plans to devote 3.5 percent ... to the military".
_SPENDS_ON = re.compile(r"^(?:['’]s)?\s+(?:\w+\s+){0,4}(?:spend\w*|devot\w*|allocat\w*|earmark\w*|set\w* aside|"
                        r"invest\w*)\s+(?:[\w.,$€£¥%-]+\s+){0,8}?(?:on|to|for|in)\s+(?:its\s+|their\s+|the\s+)?"
                        r"(?:own\s+)?(?:defen[cs]e|military|armed forces)\b", re.IGNORECASE)


def defense_parties(sentence: str) -> tuple[Optional[str], Optional[str]]:
    """(spending country, ally whose troops it pays for) that one sentence states; a government named by its
    seat counts ("Paris also plans to add", "as Wellington aims to double": ``party_mentions``)."""
    mentions = party_mentions(sentence)
    for code, start, end in mentions:  # "US troops in Korea": Korea spends, the US is the ally
        if _STATIONED.search(sentence[max(0, start - 60):start]):
            troops = [c for c, s, _ in mentions if s < start and c != code]
            return code, troops[-1] if troops else None
    for code, _, end in mentions:  # "Japan's military budget", "pressure Seoul to increase defense contributions"
        if _BUDGET.search(sentence[end:]) or _RAISES_SPENDING.search(sentence[end:]) or _SPENDS_ON.search(sentence[end:]):
            return code, None
    paying = COST_SHARING.search(sentence)
    if paying:  # "Seoul ... its contribution to the upkeep of American troops": the subject pays
        troops = [c for c, start, _ in mentions if start > paying.start()]
        payers = [c for c, start, _ in mentions if start < paying.start() and c not in troops]
        if payers:
            return payers[0], troops[0] if troops else None
    return None, None


def defense_measure(sentences: list[str], amounts: list[dict], gdp_share: Optional[float]) -> Optional[str]:
    """cost_sharing, target or budget, when the sentences state one; None when they say none of these."""
    text = " ".join(sentences)
    if COST_SHARING.search(text) or _CONTRIBUTION.search(text):
        return "cost_sharing"
    if gdp_share is not None or (_TARGET.search(text) and find_percents(text)):
        return "target"
    if amounts or re.search(r"\b(?:defen[cs]e|military)\s+(?:budget|spending|expenditure|outlays?)\b", text,
                            re.IGNORECASE):
        return "budget"
    return None


def _defense_country(sentences: list[str], countries: list[str]) -> tuple[Optional[str], Optional[str]]:
    for s in sentences:
        spender, ally = defense_parties(s)
        if spender:
            return spender, ally
    return (countries[0] if countries else None), None


# The clause a defence figure stands in: a budget's total, a conversion in parentheses or last year's
# figure is another clause ("The 115 trillion yen budget includes 8.7 trillion yen for defence").
_SPENDING_WORD = re.compile(r"\b(?:defen[cs]e|military|armed forces|troops|forces|weapons|arms|upkeep|"
                            r"cost[- ]sharing|host[- ]nation|stationing)\b", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"(?<!\d),|,(?!\d{3}\b)|[;:]|\s(?:includ\w*|of which|while|whereas|compared with|against|up from|down from|"
                           r"out of)\s", re.IGNORECASE)
_PARENTHESES = re.compile(r"\([^()]*\)")
# What the other side asked for is not what was agreed: "Washington had demanded 1 billion dollars".
_ASKED = re.compile(r"\b(?:demand\w*|sought|seeking|asked for|asking for|wanted|call(?:ed|s|ing)? for|request\w*)\b",
                    re.IGNORECASE)


# "amounts to about 2% of GDP ... should aim for at least 3%": the share a country commits to.
_GOAL = r"\b(?:aim\w*|target\w*|goal|pledg\w*|commit\w*|should|must|vow\w*|promis\w*|(?:rais\w*|increas\w*|" \
        r"lift\w*|boost\w*|ris\w*|reach\w*) (?:\w+ ){0,4}to)\b"


def defence_headline_amount(evidence: list[str]) -> Optional[dict]:
    """The defence figure: the largest amount in a clause about defence spending (one that is not a
    demand), else the largest amount stated."""
    candidates = []
    for sentence in evidence:
        for clause in _CLAUSE_BREAK.split(_PARENTHESES.sub(" ", sentence)):
            if _SPENDING_WORD.search(clause):
                candidates += [(bool(_ASKED.search(clause[:start])), -(amount["usd"] or 0.0), order, amount)
                               for order, (start, amount) in enumerate(amount_spans(clause))]
    if candidates:
        return min(candidates, key=lambda c: c[:3])[3]
    amounts = find_amounts(" ".join(evidence))
    return max(amounts, key=lambda a: a["usd"] or 0.0) if amounts else None


def defense_spending_fields(evidence: list[str], countries: list[str], people: list[Person],
                            published: Optional[datetime], event_date: Optional[date]) -> dict:
    text = " ".join(evidence)
    amounts = find_amounts(text)
    head = defence_headline_amount(evidence)
    gdp_share = percent_near(text, rf"\b({_GDP})\b", prefer=_GOAL)
    measure = defense_measure(evidence, amounts, gdp_share)
    country, _ = _defense_country(evidence, countries)
    return {
        "country": country,
        "amount": head["value"] if head else None,
        "currency": head["currency"] if head else None,
        "amount_usd": head["usd"] if head else None,
        "gdp_share_percent": gdp_share,
        "cost_sharing": measure == "cost_sharing",
        "amounts": amounts,
        "measure": measure,
    }


# The segmenter's cue (built on the fields' COST_SHARING above).
MENTION_CUE = re.compile(
    COST_SHARING.pattern + r"|\b(?:defen[cs]e|military|armed forces)\b(?:\s+\S+){0,3}?\s+(?:budget|spending|spend|"
    r"expenditures?|outlays?|contributions?|costs?)\b|"
    rf"\bpercent of (?:{_GDP})\b|"
    # "will spend 4.1 billion crowns more on air defence", "the defence ministry asked for 8.8 trillion yen"
    r"\b(?:spend\w*|allocat\w*|earmark\w*|devot\w*)\b[^;]{0,60}?\b(?:on|to|for)\s+(?:\w+\s+){0,2}"
    r"(?:defen[cs]e|military|armed forces)\b|"
    r"\b(?:defen[cs]e|military)\b[^.;]{0,60}?(?:[$€£¥]\s?)?\d[\d.,]*\s*(?:billion|million|trillion)\b", re.IGNORECASE)


def is_event(specific: dict) -> bool:
    """A spending country and a budget, target or cost-sharing statement: a sentence about security
    ties that only sounds like defence spending yields no row."""
    return bool(specific["country"] and specific["measure"])


def dyad(specific: dict, evidence: list[str]) -> tuple[Optional[str], Optional[str]]:
    """The spender and, for cost sharing, the ally whose troops it pays for."""
    spender, ally = _defense_country(evidence, [])
    ally = ally if specific["measure"] == "cost_sharing" and spender == specific["country"] else None
    return specific["country"], ally if ally != specific["country"] else None


# ---- codes (event_codes.py): CAMEO has no code for it, a theme instead -----------------------------
CODE_RULES = {
    "budget": Rule(None, theme="DEFENSE_SPENDING_BUDGET"),
    "target": Rule(None, theme="DEFENSE_SPENDING_TARGET"),
    "cost_sharing": Rule(None, theme="DEFENSE_SPENDING_COST_SHARING"),
}


def code_value(fields: Mapping) -> str:
    # rows written before `measure` existed only say whether it is about cost sharing
    return fields.get("measure") or ("cost_sharing" if fields.get("cost_sharing") else "budget")


def row_actor1(fields: Mapping) -> Optional[str]:
    return fields.get("country")


# ---- columns (schemas) ---------------------------------------------------------------------------
COLUMNS = (
    column("country", pa.string(), doc="ISO alpha-3 code of the spending country, or an organisation's code where "
           "an organisation spends (`EUR` for an EU defence fund)"),
    column("amount", pa.float64(), doc="The defence figure in its currency: the largest in a clause about defence "
                                       "that is not a demand (else the largest)"),
    column("currency", pa.string(), doc="ISO 4217 code of `amount`"),
    column("amount_usd", pa.float64(), doc="`amount` in US dollars from the fixed rate table"),
    column("gdp_share_percent", pa.float64(),
           doc="Share of GDP where stated (the goal, when a goal and today's share are both stated)"),
    column("cost_sharing", pa.bool_(), doc="True when about paying for foreign troops stationed in the country"),
    column("amounts", pa.list_(AMOUNT_TYPE), doc="All money figures in the evidence"),
    column("measure", pa.string(), doc="budget (a military budget or spending figure), target (a spending goal "
           "such as a share of GDP) or cost_sharing (paying for foreign troops stationed in the country)"),
)

EVENT_TYPE = EventType(
    name="defense_spending",
    description="military budgets, spending targets (share of GDP), cost-sharing for stationed troops",
    gate_strong=GATE_STRONG, gate_weak=GATE_WEAK,
    reports=reports,
    mention_cue=MENTION_CUE, mention_key=mention_key, key_attributes=("spender", "measure", "year"),
    splitting_attributes=("measure", "year", "another"), key_fields={"spender": "country"},
    columns=COLUMNS, fields=defense_spending_fields, dyad=dyad, is_event=is_event, article_countries=True,
    code_value=code_value, code_rules=CODE_RULES, row_actor1=row_actor1,
    zero_shot_hypothesis="A country changes its military budget or defense spending.",
    role_fields=("country",),
)
