"""``newsevents evaluate``: classifier, event fields and summaries, measured on labeled JSON lines.

Articles go through the same functions the pipeline runs (validation, one encoder pass,
``analysis.analyze`` and ``analysis.event_rows``), so the figures describe what lands in
the Parquet datasets.

Labeled rows carry ``labels``; for field and summary scores also ``expected_events``
(``{type: {field: value}}``; a list of values for a scalar field means any of them is
right, a field left out is not scored) and ``reference_summary``; for event-level scores
``events`` (every event of the article: ``{"type": ..., field: value}``, same conventions).
"""
from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Optional

import numpy as np

from newsevents.models.abstractive import model_input
from newsevents.extraction.analysis import analyze, check_encoder, event_rows, unanalyzed
from newsevents.models.classifier import ClassifierHead
from newsevents.models.encoder import SentenceEncoder
from newsevents.models.sentence_head import sentence_head_for
from newsevents.extraction.gate import GateConfig, choose
from newsevents.records import AnalyzedArticle, EncodedArticle, SourceRecord
from newsevents.models.summarize import SummarizerConfig
from newsevents.types import event_types, get, names
from newsevents.input.validation import InputLimits, parse_article

# Fields scored as sets of items; every other annotated field is one value.
SET_FIELDS = ("countries", "participants", "leader_countries", "imposing_countries", "target_countries", "goods",
              "amounts_usd")


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: "Counts") -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    def scores(self) -> dict:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "support": self.tp + self.fn}


def analyze_corpus(head: Optional[ClassifierHead], encoder: SentenceEncoder, rows: list[dict],
                   summarizer: SummarizerConfig = SummarizerConfig(), zero_shot=None,
                   abstractive=None, gate: Optional[GateConfig] = None,
                   use_sentence_head: bool = True) -> list[AnalyzedArticle]:
    """Validates, encodes (one pass over every sentence, or over those the ``gate`` chooses) and
    analyzes labeled rows, with the trained head or a ``ZeroShotClassifier``, and optionally a
    ``Seq2SeqSummarizer``."""
    if zero_shot is None:
        check_encoder(head, encoder.name)
        head = head.for_encoder(encoder.encode, encoder.name)  # int8 prototypes for an int8 encoder
    articles = [parse_article(SourceRecord(value=json.dumps(r).encode(), input_file="<evaluate>", input_line=i + 1),
                              InputLimits()) for i, r in enumerate(rows)]
    if gate is not None and zero_shot is None:
        articles = [choose(a, gate) for a in articles]
    sentence_head = sentence_head_for(encoder.name) if use_sentence_head and zero_shot is None else None
    out = []
    for a, embeddings in zip(articles, encoder.encode_groups([a.encoder_input for a in articles])):
        item = EncodedArticle(a, embeddings, encoder.name)
        if a.encode_idx == []:
            out.append(unanalyzed(a, analysis="gated"))
        elif zero_shot is not None:
            out.append(analyze(item, None, summarizer, zero_shot.classify(a.sentences), zero_shot.name))
        else:
            out.append(analyze(item, head, summarizer, sentence_head=sentence_head))
    if abstractive is not None:
        summaries = abstractive.summarize([model_input(a.article) for a in out])
        out = [dataclasses.replace(a, summary_text=s, summarizer_name=abstractive.name) for a, s in zip(out, summaries)]
    return out


def _prf(pred: list[set], gold: list[set], label: str) -> Counts:
    return Counts(tp=sum(1 for p, g in zip(pred, gold) if label in p and label in g),
                  fp=sum(1 for p, g in zip(pred, gold) if label in p and label not in g),
                  fn=sum(1 for p, g in zip(pred, gold) if label not in p and label in g))


def classification_report(rows: list[dict], analyzed: list[AnalyzedArticle]) -> dict:
    pred = [set(a.labels) for a in analyzed]
    gold = [set(r.get("labels", [])) for r in rows]
    per_type = {t: _prf(pred, gold, t).scores() for t in names()}
    hard = [(r["id"], sorted(p)) for r, p in zip(rows, pred) if "hard_negative" in r.get("tags", []) and p]
    errors = [{"id": r["id"], "expected": sorted(g), "predicted": sorted(p)}
              for r, p, g in zip(rows, pred, gold) if p != g]
    return {"articles": len(rows), "per_type": per_type,
            "macro_f1": round(float(np.mean([per_type[t]["f1"] for t in names()])), 3),
            "hard_negative_false_positives": hard, "errors": errors}


def _predicted_value(row: Optional[dict], name: str):
    if row is None:
        return None
    if name == "amounts_usd":
        return [a["usd"] for a in row.get("amounts") or [] if a.get("usd")]
    if name == "countries":
        return row.get("country_codes") or []
    value = row.get(name)
    return value.isoformat() if isinstance(value, date) else value


def _same(pred, gold) -> bool:
    if isinstance(gold, float) or isinstance(pred, float):
        try:
            return abs(float(pred) - float(gold)) <= 1e-6 * max(1.0, abs(float(gold)))
        except (TypeError, ValueError):
            return False
    return pred == gold


def _match_sets(name: str, pred: Iterable, gold: Iterable) -> Counts:
    pred, gold = list(dict.fromkeys(pred)), list(dict.fromkeys(gold))
    if name == "participants":  # a predicted "President Donald Trump" matches the expected "Donald Trump"
        hit = lambda p, g: p.lower().endswith(g.lower())  # noqa: E731
    elif name == "amounts_usd":
        hit = lambda p, g: abs(p - g) <= 0.01 * g  # noqa: E731
    else:
        hit = lambda p, g: p == g  # noqa: E731
    tp = sum(1 for g in gold if any(hit(p, g) for p in pred))
    matched_pred = sum(1 for p in pred if any(hit(p, g) for g in gold))
    return Counts(tp=tp, fp=len(pred) - matched_pred, fn=len(gold) - tp)


def _match_value(pred, gold) -> Counts:
    accepted = gold if isinstance(gold, list) else [gold]
    if any(g is None for g in accepted) and pred is None:
        return Counts()
    if pred is None:
        return Counts(fn=1)
    if any(g is not None and _same(pred, g) for g in accepted):
        return Counts(tp=1)
    return Counts(fp=1, fn=0 if all(g is None for g in accepted) else 1)


def field_report(rows: list[dict], analyzed: list[AnalyzedArticle],
                 summarizer: SummarizerConfig = SummarizerConfig()) -> dict:
    """Precision and recall of every annotated event field; a missed event misses its fields."""
    per_field: dict[str, Counts] = defaultdict(Counts)
    mistakes = []
    for r, a in zip(rows, analyzed):
        predicted = list(event_rows(a, summarizer))
        for event_type, expected in (r.get("expected_events") or {}).items():
            row = _best_row(event_type, [p for t, p in predicted if t == event_type], expected)
            for name, gold in expected.items():
                pred = _predicted_value(row, name)
                c = _match_sets(name, pred or [], gold) if name in SET_FIELDS else _match_value(pred, gold)
                per_field[f"{event_type}.{name}"].add(c)
                if c.fp or c.fn:
                    mistakes.append({"id": r["id"], "field": f"{event_type}.{name}", "expected": gold,
                                     "predicted": pred})
    total = Counts()
    for c in per_field.values():
        total.add(c)
    return {"per_field": {k: v.scores() for k, v in sorted(per_field.items())}, "micro": total.scores(),
            "mistakes": mistakes}


# ---- events: predicted rows matched one-to-one to the annotated events ---------------------------

# Fields that name an event's parties, per type: sharing them weighs more than sharing a
# country mentioned anywhere in the evidence.
# (EventType.role_fields)
def _role_fields(event_type: str) -> tuple[str, ...]:
    return get(event_type).role_fields


# Attributes scored on matched pairs, in the order they are reported; each type says which apply
# to it (EventType.scored_attributes). One a type adds comes after these.
ATTRIBUTE_ORDER = ("action", "status", "dyad", "cameo_code")


def event_attributes() -> dict[str, tuple[str, ...]]:
    """Attribute -> the types it is scored for."""
    types = event_types()
    added = dict.fromkeys(a for t in types for a in t.scored_attributes if a not in ATTRIBUTE_ORDER)
    attributes = {a: tuple(t.name for t in types if a in t.scored_attributes) for a in (*ATTRIBUTE_ORDER, *added)}
    return {a: ts for a, ts in attributes.items() if ts}


# Values the conventions renamed: rows written before the rename still say "planned".
RENAMED_VALUES = {"status": {"planned": "scheduled"}}


def _accepted(gold) -> list:
    return gold if isinstance(gold, list) else [gold]


def _codes(values) -> set:
    return {v for v in (values if isinstance(values, list) else [values]) if v}


def _iso(value):
    return value.isoformat() if isinstance(value, date) else value


def _same_person(pred: str, gold: str) -> bool:
    """A predicted "President Luiz Inacio Lula da" (a name cut short) is the annotated "Luiz
    Inacio Lula da Silva": most of the annotated name's words, and two of them where it has two."""
    g, p = gold.lower().split(), set(pred.lower().split())
    common = sum(1 for w in g if w in p)
    return common >= max(min(2, len(g)), (len(g) + 1) // 2)


def _overlap(pred: set, gold: set) -> float:
    return len(pred & gold) / len(pred | gold) if pred and gold else 0.0


def _countries(event_type: str, event: dict, mentioned: str) -> set:
    return _codes(event.get(mentioned)).union(*(_codes(event.get(n)) for n in _role_fields(event_type)))


def match_score(event_type: str, row: dict, gold: dict) -> float:
    """How well a predicted row fits an annotated event; 0 when they share no participant, no
    country, no place, no date and no amount or rate (no match). Scored fields (action, status...)
    play no part; amounts and rates only tell apart events that share their parties."""
    score = 0.0
    people = gold.get("participants") or []
    if people:
        score += 2 * sum(any(_same_person(p, g) for p in row.get("participants") or []) for g in people) / len(people)
    for name in _role_fields(event_type):
        score += _overlap(_codes(row.get(name)), _codes(gold.get(name)))
    score += 0.5 * _overlap(_countries(event_type, row, "country_codes"), _countries(event_type, gold, "countries"))
    city = (row.get("host_city") or "").lower()
    if city and any(c and c.lower() == city for c in _accepted(gold.get("host_city"))):
        score += 1.5
    if row.get("host_country") and row["host_country"] in _accepted(gold.get("host_country")):
        score += 0.5
    if row.get("event_date") and _iso(row["event_date"]) in _accepted(gold.get("event_date")):
        score += 1.0
    score += _identity_score(row, gold)
    return round(score, 6)


# Values that tell apart several events of one party in one article (three years of a budget, a
# budget and its GDP-share goal, two duties of one country): a small weight, so that they decide
# between candidates that share the parties but never outweigh a party, a place or a date.
IDENTITY_FIELDS = ("amount", "gdp_share_percent", "rate_percent")


def _identity_score(row: dict, gold: dict) -> float:
    score = 0.0
    for name in IDENTITY_FIELDS:
        if row.get(name) is not None and any(g is not None and _same_amount(row[name], g) for g in _accepted(gold.get(name))):
            score += 0.25
    return score


def _same_amount(pred, gold) -> bool:
    try:
        return abs(float(pred) - float(gold)) <= 0.01 * max(1.0, abs(float(gold)))
    except (TypeError, ValueError):
        return False


def match_events(event_type: str, predicted: list[dict], annotated: list[dict]) -> list[tuple[int, int]]:
    """One-to-one (predicted index, annotated index) pairs of one type in one article, greedy by
    ``match_score``, best first; ties go to the earlier row and event."""
    candidates = sorted((-s, i, j) for i, row in enumerate(predicted) for j, gold in enumerate(annotated)
                        if (s := match_score(event_type, row, gold)) > 0)
    pairs: list[tuple[int, int]] = []
    for _, i, j in candidates:
        if all(i != pi and j != pj for pi, pj in pairs):
            pairs.append((i, j))
    return sorted(pairs)


def _best_row(event_type: str, rows: list[dict], expected: dict) -> Optional[dict]:
    """The one row the one-event-per-type ``expected_events`` is scored against."""
    pairs = match_events(event_type, rows, [expected])
    return rows[pairs[0][0]] if pairs else (rows[0] if rows else None)


def _attribute(name: str, row: dict, gold: dict):
    """(predicted, expected, right) of one attribute of a matched pair; None when the annotation
    leaves it out or the predicted row has no such column (a pipeline that does not write it yet)."""
    columns = ("actor1_country", "actor2_country") if name == "dyad" else (name,)
    if not all(c in gold for c in columns) or not all(c in row for c in columns):
        return None
    pred = [RENAMED_VALUES.get(c, {}).get(row[c], row[c]) for c in columns]
    expected = [gold[c] for c in columns]
    right = all(p in _accepted(g) for p, g in zip(pred, expected))
    return (pred if name == "dyad" else pred[0]), (expected if name == "dyad" else expected[0]), right


def _accuracy(hits: list[bool]) -> dict:
    return {"accuracy": round(sum(hits) / len(hits), 3) if hits else "n/a", "scored": len(hits)}


def event_report(rows: list[dict], analyzed: list[AnalyzedArticle],
                 summarizer: SummarizerConfig = SummarizerConfig()) -> dict:
    """``score_events`` on the rows the pipeline writes for each article that carries ``events``
    (an empty list says the article reports none; an article without the field is not scored)."""
    articles = [(r, list(event_rows(a, summarizer))) for r, a in zip(rows, analyzed) if isinstance(r.get("events"), list)]
    return {**score_events(articles), **score_matched_events(articles)}


def score_events(articles: list[tuple[dict, list[tuple[str, dict]]]]) -> dict:
    """Event-level precision, recall and F1 per type from (annotated row, predicted (type, row)
    pairs): every predicted row (several per type where the pipeline writes them) is matched
    one-to-one to the article's annotated ``events``; an unmatched row is a false positive, an
    unmatched event a miss. Among matched pairs, the accuracy of action, status, dyad (actor1
    and actor2 both right) and CAMEO code."""
    counts = {t: Counts() for t in names()}
    attributes_of = event_attributes()
    hits: dict[str, dict[str, list[bool]]] = {name: defaultdict(list) for name in attributes_of}
    mistakes = []
    for r, predicted in articles:
        for t in names():
            pred = [row for pt, row in predicted if pt == t]
            gold = [e for e in r["events"] if e.get("type") == t]
            pairs = match_events(t, pred, gold)
            counts[t].add(Counts(tp=len(pairs), fp=len(pred) - len(pairs), fn=len(gold) - len(pairs)))
            matched_pred, matched_gold = {i for i, _ in pairs}, {j for _, j in pairs}
            mistakes += [{"id": r["id"], "type": t, "kind": "missed", "expected": _brief(gold[j])}
                         for j in range(len(gold)) if j not in matched_gold]
            mistakes += [{"id": r["id"], "type": t, "kind": "extra", "predicted": _brief(pred[i])}
                         for i in range(len(pred)) if i not in matched_pred]
            for i, j in pairs:
                for name, types in attributes_of.items():
                    outcome = _attribute(name, pred[i], gold[j]) if t in types else None
                    if outcome is None:
                        continue
                    hits[name][t].append(outcome[2])
                    if not outcome[2]:
                        mistakes.append({"id": r["id"], "type": t, "kind": name, "expected": outcome[1],
                                         "predicted": outcome[0]})
    per_type = {t: {**c.scores(), "predicted": c.tp + c.fp} for t, c in counts.items()}
    attributes = {name: {**_accuracy([h for t in types for h in hits[name][t]]),
                         "per_type": {t: _accuracy(hits[name][t]) for t in types}}
                  for name, types in attributes_of.items()}
    return {"articles": len(articles), "per_type": per_type,
            "macro_f1": round(float(np.mean([per_type[t]["f1"] for t in names()])), 3),
            "attributes": attributes, "mistakes": mistakes}


def _brief(event: dict) -> dict:
    """The identifying fields of an event or row, for the list of mistakes."""
    keys = ("participants", "host_city", "status", "imposing_countries", "target_countries", "action", "country",
            "measure", "event_date")
    return {k: _iso(event[k]) for k in keys if event.get(k) not in (None, [])}


# ---- matched events: actors, fields and the event's own summary (issue 26) ------------------------
#
# Annotated events may carry ``actors`` (every party of the event: ISO alpha-3 codes, or the codes of
# organisations, ``EUR`` for the EU as CAMEO writes it, ``NATO``, ``G7``, ``ASEAN``...) and
# ``sentences`` (the sentences of the text that report the event). Without ``actors`` the parties are
# read from the type's role fields and the dyad.

# Annotated fields scored as accuracy on matched pairs; ``countries`` (any country in the evidence),
# ``actors`` and ``sentences`` have their own measures.
FIELD_ACCURACY_SKIP = ("type", "countries", "actors", "sentences")


def event_actors(event_type: str, event: dict) -> set:
    """The parties of an event or row: its annotated ``actors``, else the role fields (leaders'
    countries; imposing and target countries; the spending country) and actor1/actor2. A list
    under actor1/actor2 of an annotation lists alternatives, not parties, and is left out."""
    if isinstance(event.get("actors"), list):
        return set(event["actors"])
    parties = set().union(*(_codes(event.get(n)) for n in _role_fields(event_type)))
    return parties | {event[n] for n in ("actor1_country", "actor2_country") if isinstance(event.get(n), str)}


def set_f1(pred: set, gold: set) -> float:
    """F1 of two sets; two empty sets agree (1.0)."""
    if not pred and not gold:
        return 1.0
    return 2 * len(pred & gold) / (len(pred) + len(gold))


def field_right(name: str, row: dict, gold) -> Optional[bool]:
    """Whether a matched row has an annotated field right (None: the row has no such column). A set
    field must match as a set (no miss, no extra); a scalar field follows ``_match_value`` (a list
    of values means any of them, None means nothing should be stated)."""
    if name not in row:
        return None
    pred = row[name]
    if isinstance(pred, str):
        pred = RENAMED_VALUES.get(name, {}).get(pred, pred)
    pred = _iso(pred)
    if name in SET_FIELDS:
        c = _match_sets(name, pred or [], gold or [])
        return c.fp == 0 and c.fn == 0
    c = _match_value(pred, gold)
    return c.fp == 0 and c.fn == 0


def _words(text: str) -> set:
    import re
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def _covers(sentence: str, other: str, share: float = 0.8) -> bool:
    """``other`` holds most words of ``sentence`` (a dateline or a cleaned quote mark aside)."""
    words = _words(sentence)
    return bool(words) and len(words & _words(other)) >= share * len(words)


def summary_sentence_scores(summary: str, sentences: list[str]) -> dict:
    """Whether an event's summary is its own: precision, the share of the summary's sentences that
    report the event (are among its annotated ``sentences``); recall, the share of those the
    summary carries."""
    from newsevents.input.text import split_sentences
    own = split_sentences(summary or "")
    precision = sum(any(_covers(s, g) for g in sentences) for s in own) / len(own) if own else 0.0
    recall = sum(_covers(g, summary or "") for g in sentences) / len(sentences)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def _mean(values: list[float]) -> dict:
    return {"mean": round(float(np.mean(values)), 3) if values else "n/a", "scored": len(values)}


def score_matched_events(articles: list[tuple[dict, list[tuple[str, dict]]]]) -> dict:
    """On the pairs ``match_events`` makes (same input as ``score_events``): actor set-F1 per pair
    (averaged per type and over all pairs), the accuracy of every other annotated field, and the
    precision and recall of each event's summary against the sentences that report it."""
    types = names()
    actor_f1: dict[str, list[float]] = {t: [] for t in types}
    fields: dict[str, list[bool]] = defaultdict(list)
    summaries: dict[str, dict[str, list[float]]] = {t: defaultdict(list) for t in types}
    actor_mistakes = []
    for r, predicted in articles:
        for t in types:
            pred = [row for pt, row in predicted if pt == t]
            gold = [e for e in r["events"] if e.get("type") == t]
            for i, j in match_events(t, pred, gold):
                p_actors, g_actors = event_actors(t, pred[i]), event_actors(t, gold[j])
                actor_f1[t].append(set_f1(p_actors, g_actors))
                if p_actors != g_actors:
                    actor_mistakes.append({"id": r["id"], "type": t, "expected": sorted(g_actors),
                                           "predicted": sorted(p_actors)})
                for name, value in gold[j].items():
                    if name not in FIELD_ACCURACY_SKIP and (right := field_right(name, pred[i], value)) is not None:
                        fields[f"{t}.{name}"].append(right)
                if gold[j].get("sentences"):
                    for k, v in summary_sentence_scores(pred[i].get("summary"), gold[j]["sentences"]).items():
                        summaries[t][k].append(v)
    every = [f for t in types for f in actor_f1[t]]
    all_fields = [h for hits in fields.values() for h in hits]
    return {
        "actors": {"set_f1": _mean(every)["mean"], "scored": len(every),
                   "per_type": {t: _mean(actor_f1[t]) for t in types},
                   "exact": round(sum(f == 1.0 for f in every) / len(every), 3) if every else "n/a",
                   "mistakes": actor_mistakes},
        "field_accuracy": {"accuracy": _accuracy(all_fields)["accuracy"], "scored": len(all_fields),
                           "per_field": {k: _accuracy(v) for k, v in sorted(fields.items())}},
        "event_summaries": {t: {k: _mean(v)["mean"] for k, v in summaries[t].items()} | {"scored": len(summaries[t]["f1"])}
                            for t in types},
    }


# ---- briefs and the same events written short and long (issue 26) ---------------------------------
#
# ``tags`` holding "brief" mark one- and two-sentence items. ``rendering`` ({"group": G, "form":
# "brief" | "item" | "long"}) marks the same events written three ways: a one-sentence brief, a
# two-sentence item and a long article, annotated alike.
BRIEF_TAG = "brief"
FORMS = ("brief", "item", "long")


def brief_report(rows: list[dict], analyzed: list[AnalyzedArticle],
                 summarizer: SummarizerConfig = SummarizerConfig()) -> dict:
    """Article labels (macro-F1) and events (macro-F1) on the articles tagged ``brief`` alone."""
    subset = [(r, a) for r, a in zip(rows, analyzed) if BRIEF_TAG in r.get("tags", [])]
    brief_rows, brief_analyzed = [r for r, _ in subset], [a for _, a in subset]
    labels = classification_report(brief_rows, brief_analyzed)
    out = {"articles": len(subset), "macro_f1": labels["macro_f1"], "per_type": labels["per_type"],
           "hard_negative_false_positives": labels["hard_negative_false_positives"]}
    if any(isinstance(r.get("events"), list) for r in brief_rows):
        events = score_events([(r, list(event_rows(a, summarizer))) for r, a in subset if isinstance(r.get("events"), list)])
        out["events_macro_f1"], out["events_per_type"] = events["macro_f1"], events["per_type"]
    return out


def row_signature(event_type: str, row: dict) -> tuple:
    """What must not depend on the length of the text: the type, the parties and the kind of event
    (summit status, tariff action, defence measure)."""
    kind = {"summit": "status", "tariff": "action", "defense_spending": "measure"}[event_type]
    value = row.get(kind)
    return event_type, tuple(sorted(event_actors(event_type, row))), RENAMED_VALUES.get(kind, {}).get(value, value)


def score_length_agreement(groups: dict[str, dict[str, tuple[dict, set, list[tuple[str, dict]]]]]) -> dict:
    """``groups``: group -> form -> (annotated row, predicted labels, predicted (type, row) pairs).
    Labels agree when every form of a group gets the same label set; rows agree when every form
    writes the same multiset of row signatures. Per form: the share of articles labelled exactly as
    annotated, and event recall (``score_events``)."""
    labels_agree, rows_agree, disagreements = [], [], []
    by_form: dict[str, list] = defaultdict(list)
    for group, forms in sorted(groups.items()):
        labels = {f: frozenset(p) for f, (_, p, _) in forms.items()}
        rows = {f: sorted(row_signature(t, row) for t, row in pred) for f, (_, _, pred) in forms.items()}
        labels_agree.append(len(set(labels.values())) == 1)
        rows_agree.append(all(v == next(iter(rows.values())) for v in rows.values()))
        if not (labels_agree[-1] and rows_agree[-1]):
            disagreements.append({"group": group, "labels": {f: sorted(v) for f, v in labels.items()},
                                  "rows": {f: [list(s) for s in v] for f, v in rows.items()}})
        for f, item in forms.items():
            by_form[f].append(item)
    per_form = {}
    for f in [f for f in FORMS if f in by_form] + sorted(set(by_form) - set(FORMS)):
        items = by_form[f]
        events = score_events([(r, pred) for r, _, pred in items])
        found = sum(s["support"] * s["recall"] for s in events["per_type"].values())
        support = sum(s["support"] for s in events["per_type"].values())
        per_form[f] = {"articles": len(items),
                       "labels_right": round(sum(set(r.get("labels", [])) == set(p) for r, p, _ in items) / len(items), 3),
                       "event_recall": round(found / support, 3) if support else "n/a"}
    share = lambda hits: round(sum(hits) / len(hits), 3) if hits else "n/a"  # noqa: E731
    return {"groups": len(groups), "labels_agree": share(labels_agree), "rows_agree": share(rows_agree),
            "per_form": per_form, "disagreements": disagreements}


def length_agreement_report(rows: list[dict], analyzed: list[AnalyzedArticle],
                            summarizer: SummarizerConfig = SummarizerConfig()) -> dict:
    groups: dict[str, dict] = defaultdict(dict)
    for r, a in zip(rows, analyzed):
        if r.get("rendering"):
            groups[r["rendering"]["group"]][r["rendering"]["form"]] = (r, set(a.labels), list(event_rows(a, summarizer)))
    return score_length_agreement(groups)


def format_event_details(result: dict, table) -> list[str]:
    """The lines ``newsevents evaluate`` prints for the measures above; ``table(rows, headers)``
    draws a table."""
    out = []
    events = result.get("events") or {}
    if "actors" in events:
        a, f = events["actors"], events["field_accuracy"]
        cell = lambda m: "n/a" if m["mean"] == "n/a" else f"{m['mean']:.3f} ({m['scored']})"  # noqa: E731
        out += ["", f"actor set-F1 on matched events: {a['set_f1']} over {a['scored']} pairs "
                    f"(exactly right {a['exact']}); " + ", ".join(f"{t} {cell(m)}" for t, m in a["per_type"].items()),
                f"field accuracy on matched events: {f['accuracy']} ({f['scored']} values)",
                table([[k, "n/a" if v["accuracy"] == "n/a" else f"{v['accuracy']:.3f}", v["scored"]]
                       for k, v in f["per_field"].items()], ["", "accuracy", "scored"]),
                "event summaries against the sentences that report the event (mean per matched event)",
                table([[t, *(s.get(k, "n/a") for k in ("precision", "recall", "f1")), s["scored"]]
                       for t, s in events["event_summaries"].items()], ["", "precision", "recall", "F1", "scored"])]
    if "briefs" in result:
        b = result["briefs"]
        out += ["", f"briefs ({b['articles']} one- and two-sentence items): label macro-F1 {b['macro_f1']:.3f} ("
                + ", ".join(f"{t} {s['f1']:.3f}" for t, s in b["per_type"].items()) + ")"
                + (f", event macro-F1 {b['events_macro_f1']:.3f}" if "events_macro_f1" in b else "")
                + f"; hard-negative false positives: {len(b['hard_negative_false_positives'])}"]
    if "length_agreement" in result:
        g = result["length_agreement"]
        out += ["", f"short and long ({g['groups']} events written three ways): same labels in {g['labels_agree']}, "
                    f"same rows in {g['rows_agree']} of the groups",
                table([[f, s["articles"], s["labels_right"], s["event_recall"]] for f, s in g["per_form"].items()],
                      ["form", "articles", "labels right", "event recall"])]
    return out


def summary_report(rows: list[dict], analyzed: list[AnalyzedArticle]) -> Optional[dict]:
    """ROUGE-1/2/L F-measure of the summaries against the references, next to Lead-3."""
    from rouge_score import rouge_scorer

    pairs = [(r["reference_summary"], a) for r, a in zip(rows, analyzed) if r.get("reference_summary")]
    if not pairs:
        return None
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    systems = {"summarizer": lambda a: a.summary, "lead3": lambda a: " ".join(a.article.sentences[:3])}
    out = {"articles": len(pairs), "summarizer_name": analyzed[0].summarizer_name}
    for name, make in systems.items():
        scores = [scorer.score(ref, make(a)) for ref, a in pairs]
        out[name] = {m: round(float(np.mean([s[m].fmeasure for s in scores])), 4)
                     for m in ("rouge1", "rouge2", "rougeL")}
    return out


def evaluate(head: Optional[ClassifierHead], encoder: SentenceEncoder, rows: list[dict],
             summarizer: SummarizerConfig = SummarizerConfig(), zero_shot=None, abstractive=None) -> dict:
    analyzed = analyze_corpus(head, encoder, rows, summarizer, zero_shot, abstractive)
    result = {"encoder": encoder.name, "classifier": zero_shot.name if zero_shot else head.name,
              **classification_report(rows, analyzed)}
    if any(r.get("expected_events") for r in rows):
        result["fields"] = field_report(rows, analyzed, summarizer)
    if any(isinstance(r.get("events"), list) for r in rows):
        result["events"] = event_report(rows, analyzed, summarizer)
    if any(BRIEF_TAG in r.get("tags", []) for r in rows):
        result["briefs"] = brief_report(rows, analyzed, summarizer)
    if any(r.get("rendering") for r in rows):
        result["length_agreement"] = length_agreement_report(rows, analyzed, summarizer)
    summaries = summary_report(rows, analyzed)
    if summaries:
        result["summaries"] = summaries
    return result


def gate_report(head: ClassifierHead, encoder: SentenceEncoder, rows: list[dict],
                summarizer: SummarizerConfig = SummarizerConfig(), gate: GateConfig = GateConfig()) -> dict:
    """What the gate costs on the same articles: macro-F1 and event recall with the gate against
    encoding every sentence, the articles whose labels it changes, and what it spares the encoder."""
    full = analyze_corpus(head, encoder, rows, summarizer)
    gated = analyze_corpus(head, encoder, rows, summarizer, gate=gate)
    gold = [set(r.get("labels", [])) for r in rows]

    def recall(analyzed: list[AnalyzedArticle]) -> float:
        found = sum(len(g & set(a.labels)) for g, a in zip(gold, analyzed))
        return round(found / max(1, sum(len(g) for g in gold)), 3)

    f1_full, f1_gated = (classification_report(rows, a)["macro_f1"] for a in (full, gated))
    return {"macro_f1_full": f1_full, "macro_f1_gated": f1_gated, "macro_f1_loss": round(f1_full - f1_gated, 3),
            "event_recall_full": recall(full), "event_recall_gated": recall(gated),
            "analysis": {k: sum(1 for a in gated if a.analysis == k) for k in ("full", "selected", "gated")},
            "sentences_encoded": sum(len(a.article.encoder_input) for a in gated),
            "sentences": sum(len(a.article.sentences) for a in gated),
            "changed": [{"id": r["id"], "full": sorted(f.labels), "gated": sorted(g.labels)}
                        for r, f, g in zip(rows, full, gated) if set(f.labels) != set(g.labels)]}


def pad_with_offtopic(rows: list[dict], before: int = 1, after: int = 2) -> list[dict]:
    """The rows with unrelated paragraphs (weather, sport, markets... from the corpus's
    ``offtopic_paragraphs``) put before and after each text: a decision that rests on the
    evidence must not change. Deterministic: article i gets paragraphs i, i+1, ... in turn."""
    from newsevents.evaluation.corpus import corpus_path, read_jsonl
    paragraphs = [p["text"] for p in read_jsonl(corpus_path("offtopic_paragraphs"))]
    padded = []
    for i, row in enumerate(rows):
        picked = [paragraphs[(i + k) % len(paragraphs)] for k in range(before + after)]
        text = "\n\n".join(picked[:before] + [row["text"]] + picked[before:])
        padded.append({**row, "text": text})
    return padded


def quantization_cost(fp32: dict, int8: dict) -> dict:
    """What int8 costs: the differences between two ``evaluate`` results on the same articles."""
    cost = {"macro_f1_fp32": fp32["macro_f1"], "macro_f1_int8": int8["macro_f1"],
            "macro_f1_delta": round(int8["macro_f1"] - fp32["macro_f1"], 3)}
    if "fields" in fp32:
        cost["fields_f1_delta"] = round(int8["fields"]["micro"]["f1"] - fp32["fields"]["micro"]["f1"], 3)
    if "events" in fp32:
        cost["events_macro_f1_delta"] = round(int8["events"]["macro_f1"] - fp32["events"]["macro_f1"], 3)
    if "summaries" in fp32:
        cost["rouge1_delta"] = round(int8["summaries"]["summarizer"]["rouge1"] - fp32["summaries"]["summarizer"]["rouge1"], 4)
    return cost
