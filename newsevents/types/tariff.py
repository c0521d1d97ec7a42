"""tariff: trade duties raised, cut, suspended, threatened, or traded in a deal.

A tariff is a duty on traded goods. Utility prices (electricity, water, telecom "tariffs") and
feed-in tariffs are not. Where two stages use different duty words, both are kept under the
stage's name: the definition counts "customs", the segmenter and the action rules do not.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Mapping, Optional

import pyarrow as pa

from newsevents.extraction.amounts import find_amounts, find_percents, finite
from newsevents.extraction.cameo import Rule
from newsevents.extraction.columns import AMOUNT_TYPE, column
from newsevents.extraction.geography import country_mentions, party_mentions
from newsevents.extraction.people import Person, head_titles
from newsevents.types.registry import EventType
from newsevents.extraction.words import word_alternation

# ---- the gate: word starts (see gate.py) ---------------------------------------------------------
GATE_STRONG = (
    r"tariff", r"dut(y|ies)\b", r"lev(y|ies|ied)\b", r"customs", r"import", r"export", r"retaliat",
    r"protectionis", r"anti-?dumping", r"countervailing", r"wto\b", r"trade (war|deal|agreement|talks|truce|pact)",
)
GATE_WEAK = (r"trade", r"trading", r"quota", r"goods", r"surcharge", r"sanction", r"embargo")

# ---- the definition: a duty word with an action or a rate, not a utility's tariff (definitions.py) --
_DEFINITION_DUTY = word_alternation(r"\b(tariffs?|duty|duties|levy|levies|customs)\b")
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


# A utility's tariff whatever else the sentence names ("a hike of 9% in power tariff for the agricultural
# consumer category", "the tariffs for 151-300 units have been increased"): a price schedule, not a duty.
_UTILITY_TARIFF = re.compile(
    r"\b(?:power|electricity|water|telecom|mobile|broadband|prepaid|postpaid)\s+tariffs?\b|"
    r"\btariffs?\s+(?:for|of)\s+(?:\S+\s+){0,2}units\b|\bconsumer categor(?:y|ies)\b|\bkilowatt[- ]hours?\b|\bkwh\b",
    re.IGNORECASE)


# "a 10% tariff on Canadian energy", "duties on EU gas": a duty on another party's goods is trade, whatever
# the goods.
_DUTY_ON = re.compile(r"\b(?:tariffs?|dut(?:y|ies)|lev(?:y|ies))\s+on\s+(?=[A-Z])")
_PAYERS = re.compile(r"\s+(?:households?|homes?|consumers?|customers?|families|users|subscribers|bill ?payers)\b",
                     re.IGNORECASE)


def _on_a_party(sentence: str) -> bool:
    for m in _DUTY_ON.finditer(sentence):
        after = sentence[m.end():m.end() + 40]
        named = party_mentions(after)
        # The party's name follows "on" at once, and what is taxed is its goods, not its households.
        if named and named[0][1] == 0 and not _PAYERS.match(after[named[0][2]:]):
            return True
    return False


def reports(sentence: str) -> bool:
    duty = _DEFINITION_DUTY.search(sentence)
    if not duty or _UTILITY_TARIFF.search(sentence):
        return False
    if _UTILITY.search(sentence) and not _TRADE.search(sentence) and not _on_a_party(sentence):
        return False
    return bool(_TARIFF_ACTION.search(sentence) or _RATE.search(sentence))


# ---- segmentation: a duty word or a trade investigation in the main clause; who levies it and what
# it does (segment.py) -----------------------------------------------------------------------------
# The cue is MENTION_CUE (fields, below): the definition's "customs" does not start a mention.
# Actions that are one measure told in several ways (a rise is an imposition, a deal eases duties).
def _stated_actions() -> list[re.Pattern]:
    """The words that state an act on duties: the definition's, the field rules' ("hit back") but for the
    hedges of a threat ("could", "may"), and the words of a threat under consideration."""
    rules = [re.compile(rx, re.IGNORECASE) for name, rx in _TARIFF_ACTIONS if name != "threaten"]
    return [_TARIFF_ACTION, _CONSIDERED, *rules]


_ACTION_REACH = 100  # characters between an action word and the duty it acts on
_ACTION_KIND = {"impose": "measure", "raise": "measure", "retaliate": "measure", "cut": "ease", "suspend": "ease",
                "exempt": "ease", "deal": "ease", "threaten": "threaten", "investigate": "investigate"}


def mention_key(clause: str, _reference: Optional[datetime]) -> dict:
    imposers, targets = tariff_parties([clause])
    # Only a clause that states an action tells two measures apart ("the tariffs could hurt growth" does not,
    # nor "a 25 percent levy": the noun names the duty, not an act).
    # The act is the one next to the duty ("raise its defence budget ... to avoid tariffs" raises no duty).
    duties = [m.start() for m in MENTION_CUE.finditer(clause)]
    stated = any(m.group().lower() != "levy" and any(abs(m.start() - d) <= _ACTION_REACH for d in duties)
                 for rx in _stated_actions() for m in rx.finditer(clause)) or _INVESTIGATION.search(clause)
    return {"imposer": imposers[0] if imposers else None,
            # "took effect", "came into force": a measure
            "action": _ACTION_KIND.get(_tariff_action(clause), "measure") if stated else None,
            "target": frozenset(targets) or None}


# ---- fields (extract.py): who levies on whom, the action, the rates, goods -----------------------
# Checked in this order on the sentence that states the headline rate, then on the whole evidence: a deal
# that lowers duties is a deal, a threat to retaliate is a threat.
_TARIFF_ACTIONS = [
    ("deal", r"\b(deal|agreement|agreed|accord|truce|framework|in (?:return|exchange) for)\b|"
             r"\b(?:talks|negotiations)\b[^.]{0,80}\b(?:linked|tied) to\b"),
    ("cut", r"\b(cut|cuts|cutting|lower|lowers|lowered|lowering|reduc\w+|ease|eases|eased|scrap\w*|remove\w*)\b"),
    # Granted, not asked for: "asked Washington for an exemption" is no exemption.
    ("exempt", r"\b(exempted|exempts|exempting|exempt from|exemptions? (?:for|from)|excluded from|waived?|waives|"
               r"carve-outs? for|spared)\b"),
    ("suspend", r"\b(suspend\w*|pause\w*|delay\w*|postpon\w*)\b"),
    ("threaten", r"\b(threat\w*|warn\w*|could|may|might|consider\w*|propos\w*)\b"),
    # A trade-remedy investigation (anti-dumping, anti-subsidy, safeguard): CAMEO 090, not yet a duty.
    ("investigate", r"\b(investigat\w*|probes?|inquiry|inquiries)\b"),
    ("retaliate", r"\b(retaliat\w+|counter-?measures?|counter-?tariffs?|in response|respond\w* with|hit back|"
                  r"hits back|(?:tariffs|duties|levies) of (?:its|their) own)\b"),
    ("raise", r"\b(rais\w+|increas\w+|doubl\w+|hike\w*|higher)\b"),
    ("impose", r"\b(impos\w+|levy|levies|slap\w*|introduc\w+|announc\w+|charg\w+)\b"),
]
# "countries without a trade agreement with Mexico" names who is hit, not a deal.
_NO_DEAL = re.compile(r"\b(?:without|lack\w*|do(?:es)? not have|no)\s+(?:an?\s+)?(?:free[- ])?trade\s+"
                      r"(?:agreements?|deals?|accords?)", re.IGNORECASE)
_DUTY = r"(?:tariffs?|duty|duties|levy|levies)"
DUTY_WORD = re.compile(rf"\b{_DUTY}\b", re.IGNORECASE)
# "opened an anti-dumping investigation into wine", "a probe into imports of steel": a trade investigation.
_INVESTIGATION = re.compile(r"\b(?:anti-?dumping|anti-?subsidy|countervailing|safeguard|trade)\s+(?:\w+\s+)?"
                            r"(?:investigations?|probes?|inquir(?:y|ies))\b|\b(?:investigations?|probes?|inquir(?:y|ies))"
                            r"\s+into\s+(?:[\w’']+\s+){0,4}(?:imports|trade|dumping|subsidies|barriers)\b",
                            re.IGNORECASE)
# "further duties were under consideration", "proposed duties": a threat the definition's action words miss.
_CONSIDERED = re.compile(r"\b(?:threat\w*|warn\w*|consider\w*|propos\w*)\b", re.IGNORECASE)
MENTION_CUE = re.compile(f"{DUTY_WORD.pattern}|{_INVESTIGATION.pattern}", re.IGNORECASE)
_GOODS = ["cars", "vehicles", "trucks", "steel", "aluminum", "aluminium", "semiconductors", "chips", "soybeans",
          "coffee", "beef", "textiles", "clothing", "pharmaceuticals", "lumber", "machinery", "electronics",
          "energy", "oil", "gas", "wine", "shrimp", "jewelry", "furniture", "footwear", "aircraft", "ships",
          "rare earths", "orange juice", "consumer goods", "industrial goods", "farm products", "agricultural goods"]
# "Brazilian aircraft", "Korean goods", "Korean carmakers": whose goods they are, the target.
_GOODS_AFTER = re.compile(r"^(?:['’]s)?\s+(?:\w+\s+){0,1}(?:goods|products|parts|components|imports|exports|carmakers|automakers|"
                          r"companies|firms|exporters|producers|makers|manufacturers|farmers|businesses|industry|"
                          + "|".join(map(re.escape, _GOODS)) + r")\b", re.IGNORECASE)
# The country that undergoes the duty, as the subject: "India would face a 25 percent tariff", "Canada is
# hit by", "Brazil was slapped with".
_SUFFERS = re.compile(r"^(?:['’]s\s+\w+)?\s+(?:\w+\s+){0,2}(?:fac(?:e|es|ed|ing)|(?:is|was|were|are|been|be)\s+"
                      r"(?:hit|impacted|affected|targeted|slapped|subject(?:ed)?)|hit with|subject to|"
                      # "Japan asked Washington for an exemption", "Seoul sought talks on an exemption": it is hit
                      r"(?:ask\w*|sought|seek\w*|request\w*|lobb\w*)\s+(?:\w+\s+){0,3}?(?:for\s+|on\s+)?"
                      r"(?:an?\s+)?(?:exemptions?|relief|waivers?))\b", re.IGNORECASE)
# "... tariffs on cars imposed by the United States": whoever the verb says levies it.
_LEVIED_BY = re.compile(r"\b(?:impos|levi|slapp|announc|order|introduc)\w*\s+by\s+(?:the\s+)?$", re.IGNORECASE)

# A country whose goods another country buys, named as the reason for a duty ("a penalty over India's purchases of
# Russian oil", "if New Delhi kept buying Russian oil"): neither levies it nor is hit by it.
_BOUGHT = re.compile(r"\b(?:buy\w*|bought|purchas\w*)\s+(?:of\s+)?(?:\w+\s+){0,2}$", re.IGNORECASE)


def tariff_parties(sentences: list[str]) -> tuple[list[str], list[str]]:
    """Who levies and whose goods are hit, from where parties (countries, organisations, governments named by
    their seat: ``party_mentions``) stand next to the duty words: "US tariffs", "Mexico ... may impose", "the
    European Union will impose" levy; "on Brazilian coffee", "from China", "affect Taiwan" are hit."""
    imposing: dict[str, int] = {}
    target: dict[str, int] = {}
    for s in sentences:
        bystanders: set[int] = set()  # where they are named
        mentions = party_mentions(s)  # "the European Union", "Beijing answered", "Brussels will impose"
        for code, start, end in mentions:
            before, after = s[max(0, start - 40):start], s[end:end + 40]
            # "US tariffs"; "tariffs from the United States", "duties imposed by China" (the duty comes from it)
            if re.search(rf"^(?:['’]s)?\s+(?:\w+\s+){{0,1}}{_DUTY}", after, re.IGNORECASE) or \
                    re.search(rf"\b{_DUTY}\s+(?:\w+\s+){{0,1}}(?:from|by)\s+(?:the\s+)?$", before, re.IGNORECASE) or \
                    _LEVIED_BY.search(before):
                imposing[code] = imposing.get(code, 0) + 1
            elif _BOUGHT.search(before):  # "over India's purchases of Russian oil": why, not on whom
                bystanders.add(start)
            elif re.search(r"\b(on|against|from|affect\w*|hit\w*|penali[sz]\w*|targeting|exports? to|applied to)\s+"
                           r"(?:\w+\s+){0,3}$", before, re.IGNORECASE) or _GOODS_AFTER.match(after) or \
                    _SUFFERS.match(s[end:end + 80]):
                target[code] = target.get(code, 0) + 1
        duty = re.search(rf"\b{_DUTY}\b", s, re.IGNORECASE)
        if duty:  # the nearest country before the duty word is the one levying it
            subjects = [c for c, start, _ in mentions if start < duty.start() and c not in target
                        and start not in bystanders]
            if subjects:
                imposing[subjects[-1]] = imposing.get(subjects[-1], 0) + 1
    imposers = [c for c in imposing if imposing[c] > target.get(c, 0)]
    targets = [c for c in target if c not in imposers]
    return imposers, targets


def levying_leaders(sentences: list[str], people: list[Person], hit: list[str]) -> list[str]:
    """The country of the head of state or government named nearest before a duty word ("Trump said he would
    exempt Japanese car parts from a planned tariff", "Carney said the retaliatory duties would stay"), for a
    measure whose levying party no country name gives; a party hit by it is not."""
    heads = head_titles()
    for s in sentences:
        duty = DUTY_WORD.search(s)
        named = [(m.start(), p.country) for p in people if p.country and p.title in heads and p.country not in hit
                 for w in p.name.split() if len(w) > 2 and w[0].isupper()
                 for m in re.finditer(rf"\b{re.escape(w)}\b", s[:duty.start()] if duty else "")]
        if named:
            return [max(named)[1]]
    return []


def _headline_rate(sentences: list[str]) -> tuple[Optional[float], Optional[str]]:
    """The rate the measure sets ("to 10 percent", "a 15 percent tariff"), with its sentence."""
    pct = r"(\d+(?:\.\d+)?)\s*(?:percent|per cent|%)"
    for rx in (rf"\bto {pct}", rf"{pct}\s+(?:\w+\s+){{0,2}}{_DUTY}", rf"{_DUTY}\s+of\s+(?:up to\s+)?{pct}", pct):
        for s in sentences:
            m = re.search(rx, s, re.IGNORECASE)
            if m and finite(m.group(1)) is not None:
                return finite(m.group(1)), s
    return None, None


# A deal, a threat or a retaliation names the whole measure; otherwise the verb nearest a duty
# word is the action ("imposed a 20 percent tariff ..., forcing factories to cut jobs": impose).
_FRAMING_ACTIONS = ("deal", "threaten", "retaliate")


def _tariff_action(scope: str) -> Optional[str]:
    scope = _NO_DEAL.sub("", scope)
    found = {name: [m.start() for m in re.finditer(rx, scope, re.IGNORECASE)] for name, rx in _TARIFF_ACTIONS}
    for name in _FRAMING_ACTIONS:
        if found[name]:
            return name
    duties = [m.start() for m in DUTY_WORD.finditer(scope)]
    candidates = [(min((abs(p - d) for d in duties), default=0), order, name)
                  for order, (name, _) in enumerate(_TARIFF_ACTIONS) for p in found[name]]
    return min(candidates)[2] if candidates else None


def tariff_fields(evidence: list[str], countries: list[str], people: list[Person], published: Optional[datetime],
                  event_date: Optional[date]) -> dict:
    text = " ".join(evidence)
    rate, rate_sentence = _headline_rate(evidence)
    action = next(filter(None, (_tariff_action(scope) for scope in (rate_sentence or "", text))), "impose")
    imposing, target = tariff_parties(evidence)
    lowered = text.lower()  # most goods are not named: a substring test rules them out cheaply
    if not imposing:  # "Trump said he would exempt Japanese car parts from the tariff": the leader's country
        imposing = levying_leaders(evidence, people, target)
        target = target or [c for c in countries if c not in imposing]
    if not imposing:  # a country the sentences show undergoing the duty is not the one levying it
        hit = {c for s in evidence for c, _, end in country_mentions(s) if _SUFFERS.match(s[end:end + 80])}
        free = [c for c in countries if c not in hit]
        # With the target known, another country merely named ("oil from Russia") is no better guess.
        imposing = [c for c in free if c == "USA"] or ([] if hit else free[:1])
        target = [c for c in countries if c not in imposing]
    return {
        "imposing_countries": imposing,
        "target_countries": target,
        "action": action,
        "rate_percent": rate,
        "rates_percent": find_percents(text),
        "goods": [g for g in _GOODS if g in lowered and re.search(rf"\b{re.escape(g)}\b", text, re.IGNORECASE)],
        "amounts": find_amounts(text),
    }


def dyad(specific: dict, _evidence: list[str]) -> tuple[Optional[str], Optional[str]]:
    """The imposing party and the target (for a deal, the party whose duties it changes and the other)."""
    imposing, target = specific["imposing_countries"], specific["target_countries"]
    first = imposing[0] if imposing else None
    return first, next((c for c in target if c != first), None)


# ---- codes (event_codes.py) ----------------------------------------------------------------------
CODE_RULES = {
    "impose": Rule("163"),
    "raise": Rule("163"),
    "retaliate": Rule("163"),
    "threaten": Rule("1312", "restrict"),
    "cut": Rule("085", "ease"),
    "suspend": Rule("085", "ease"),
    "exempt": Rule("085", "ease"),
    "deal": Rule("057"),
    "investigate": Rule("090", "investigate"),
}


def code_value(fields: Mapping) -> Optional[str]:
    return fields.get("action")


def row_actor1(fields: Mapping) -> Optional[str]:
    return (fields.get("imposing_countries") or [None])[0]


# ---- columns (schemas) ---------------------------------------------------------------------------
COLUMNS = (
    column("imposing_countries", pa.list_(pa.string()), doc="ISO alpha-3 codes of the countries levying duties, or "
           "an organisation's code (`EUR`: the EU levies the duties of its customs union)"),
    column("target_countries", pa.list_(pa.string()), doc="ISO alpha-3 codes of the countries whose goods are hit, "
           "or an organisation's code (`EUR`: duties on European goods)"),
    column("action", pa.string(), doc="impose, raise, cut, suspend, exempt, threaten, retaliate, deal "
           "(duties agreed in a trade deal, whichever direction) or investigate (a trade-remedy investigation "
           "that may lead to duties)"),
    column("rate_percent", pa.float64(), doc="Headline tariff rate in percent where stated"),
    column("rates_percent", pa.list_(pa.float64()), doc="All tariff rates stated in the evidence"),
    column("goods", pa.list_(pa.string()), doc="Goods the duties apply to"),
    column("amounts", pa.list_(AMOUNT_TYPE), doc="Money figures tied to the measure or deal"),
)

EVENT_TYPE = EventType(
    name="tariff",
    description="trade duties raised, cut, suspended, threatened, or traded in a deal",
    gate_strong=GATE_STRONG, gate_weak=GATE_WEAK,
    reports=reports,
    mention_cue=MENTION_CUE, mention_key=mention_key, key_attributes=("imposer", "action", "target"),
    splitting_attributes=("action", "target"), key_fields={"imposer": "imposing_countries"},
    columns=COLUMNS, fields=tariff_fields, dyad=dyad, leaders_from_article=True,
    code_value=code_value, code_rules=CODE_RULES, row_actor1=row_actor1,
    zero_shot_hypothesis="A government raises, cuts, threatens or negotiates tariffs on imports.",
    role_fields=("imposing_countries", "target_countries"), scored_attributes=("action", "dyad", "cameo_code"),
)
