"""The measures of issue 26 on small hand-made cases: actor set-F1 and field accuracy on matched
events, an event's summary against the sentences that report it, briefs, and the agreement of the
same events written short and long."""
from datetime import date

from newsevents.evaluation.corpus import corpus_path, read_jsonl
from newsevents.evaluation.events import (event_actors, match_events, score_length_agreement, score_matched_events,
                                   set_f1, summary_sentence_scores)

EU_DUTY = {"type": "tariff", "imposing_countries": ["EUR"], "target_countries": ["CHN"], "action": "impose",
           "rate_percent": 31.0, "event_date": "2026-03-10", "actor1_country": "EUR", "actor2_country": "CHN",
           "cameo_code": "163", "actors": ["EUR", "CHN"],
           "sentences": ["The EU will impose duties of up to 31 percent on Chinese e-bikes, the Commission said."]}
RETALIATION = {"type": "tariff", "imposing_countries": ["CHN"], "target_countries": ["EUR"], "action": "retaliate",
               "rate_percent": 15.0, "event_date": None, "actor1_country": "CHN", "actor2_country": "EUR",
               "cameo_code": "163", "actors": ["CHN", "EUR"],
               "sentences": ["Beijing answered with a 15 percent tariff on European pork."]}


def _tariff_row(**fields) -> dict:
    base = {"participants": [], "country_codes": [], "imposing_countries": [], "target_countries": [], "action": None,
            "rate_percent": None, "event_date": None, "actor1_country": None, "actor2_country": None,
            "cameo_code": None, "summary": ""}
    return {**base, **fields}


def test_set_f1():
    assert set_f1(set(), set()) == 1.0
    assert set_f1({"USA"}, set()) == 0.0
    assert set_f1({"USA", "CHN"}, {"CHN", "EUR"}) == 0.5
    assert set_f1({"USA", "CHN"}, {"CHN", "USA"}) == 1.0


def test_actors_come_from_the_annotation_else_from_roles_and_dyad():
    assert event_actors("tariff", EU_DUTY) == {"EUR", "CHN"}
    row = _tariff_row(imposing_countries=["DEU"], target_countries=["CHN"], actor1_country="DEU", actor2_country="CHN")
    assert event_actors("tariff", row) == {"DEU", "CHN"}
    # A list under actor2 of an annotation lists alternatives, not parties.
    summit = {"leader_countries": ["MYS"], "actor1_country": "MYS", "actor2_country": ["TLS", None]}
    assert event_actors("summit", summit) == {"MYS"}


def test_actor_f1_and_field_accuracy_on_matched_events():
    # The EU's duty read as Germany's (the member state named elsewhere): matched on the target and
    # the rate, half the parties right, the action right, the rate right, the dyad's actor1 wrong.
    germany = _tariff_row(imposing_countries=["DEU"], target_countries=["CHN"], country_codes=["DEU", "CHN"],
                          action="impose", rate_percent=31.0, event_date=date(2026, 3, 10), actor1_country="DEU",
                          actor2_country="CHN", cameo_code="163")
    report = score_matched_events([({"id": "a", "events": [EU_DUTY, RETALIATION]}, [("tariff", germany)])])
    actors = report["actors"]
    assert actors["scored"] == 1 and actors["set_f1"] == 0.5 and actors["exact"] == 0.0
    assert actors["per_type"]["tariff"] == {"mean": 0.5, "scored": 1}
    assert actors["per_type"]["summit"] == {"mean": "n/a", "scored": 0}
    assert actors["mistakes"] == [{"id": "a", "type": "tariff", "expected": ["CHN", "EUR"], "predicted": ["CHN", "DEU"]}]
    fields = report["field_accuracy"]["per_field"]
    assert fields["tariff.action"] == {"accuracy": 1.0, "scored": 1}
    assert fields["tariff.rate_percent"] == {"accuracy": 1.0, "scored": 1}
    assert fields["tariff.event_date"] == {"accuracy": 1.0, "scored": 1}  # a date against its ISO string
    assert fields["tariff.imposing_countries"] == {"accuracy": 0.0, "scored": 1}
    assert fields["tariff.actor1_country"] == {"accuracy": 0.0, "scored": 1}
    assert "tariff.actors" not in fields and "tariff.sentences" not in fields
    assert report["field_accuracy"]["accuracy"] == round(6 / 8, 3)  # 8 fields, the two parties' wrong


def test_a_field_the_rows_do_not_have_is_not_scored():
    row = {"imposing_countries": ["EUR"], "target_countries": ["CHN"], "country_codes": ["CHN"]}
    report = score_matched_events([({"id": "a", "events": [EU_DUTY]}, [("tariff", row)])])
    assert set(report["field_accuracy"]["per_field"]) == {"tariff.imposing_countries", "tariff.target_countries"}
    assert report["actors"]["set_f1"] == 1.0


def test_amounts_tell_apart_the_years_of_a_budget():
    years = [{"type": "defense_spending", "country": "DEU", "measure": "budget", "amount": a, "currency": "EUR"}
             for a in (93.4e9, 136.5e9, 152.8e9)]
    goal = {"type": "defense_spending", "country": "DEU", "measure": "target", "gdp_share_percent": 3.5}
    rows = [{"country": "DEU", "country_codes": ["DEU"], "amount": 152.8e9, "measure": "budget"},
            {"country": "DEU", "country_codes": ["DEU"], "gdp_share_percent": 3.5, "measure": "target"}]
    assert match_events("defense_spending", rows, [*years, goal]) == [(0, 2), (1, 3)]


def test_an_event_summary_is_scored_against_its_own_sentences():
    own, lead = RETALIATION["sentences"][0], EU_DUTY["sentences"][0]
    assert summary_sentence_scores(own, [own]) == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    # The article's lead instead of the event's sentence: nothing of its own.
    assert summary_sentence_scores(lead, [own]) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    # Its sentence and the lead: all of its sentences, half of the summary.
    both = summary_sentence_scores(f"{lead} {own}", [own])
    assert both["precision"] == 0.5 and both["recall"] == 1.0
    # A dateline the cleaning cut does not make the sentence another one.
    assert summary_sentence_scores(own, [f"BEIJING - {own}"])["recall"] == 1.0
    row = _tariff_row(imposing_countries=["CHN"], target_countries=["EUR"], summary=f"{lead} {own}")
    report = score_matched_events([({"id": "a", "events": [RETALIATION]}, [("tariff", row)])])
    assert report["event_summaries"]["tariff"] == {"precision": 0.5, "recall": 1.0, "f1": 0.667, "scored": 1}


def _form(labels, rows, annotated_labels=("tariff",), events=(EU_DUTY,)):
    return {"id": "x", "labels": list(annotated_labels), "events": list(events)}, set(labels), rows


def test_short_and_long_agreement():
    eu_row = _tariff_row(imposing_countries=["EUR"], target_countries=["CHN"], country_codes=["CHN"], action="impose",
                         actor1_country="EUR", actor2_country="CHN")
    de_row = {**eu_row, "imposing_countries": ["DEU"], "actor1_country": "DEU"}
    groups = {
        # The brief is not labelled: labels and rows differ.
        "g1": {"brief": _form([], []), "item": _form(["tariff"], [("tariff", eu_row)]),
               "long": _form(["tariff"], [("tariff", eu_row)])},
        # All labelled alike, but the long form names another party: same labels, other rows.
        "g2": {"brief": _form(["tariff"], [("tariff", eu_row)]), "item": _form(["tariff"], [("tariff", eu_row)]),
               "long": _form(["tariff"], [("tariff", de_row)])},
        # Alike.
        "g3": {"brief": _form(["tariff"], [("tariff", eu_row)]), "item": _form(["tariff"], [("tariff", eu_row)]),
               "long": _form(["tariff"], [("tariff", eu_row)])},
    }
    report = score_length_agreement(groups)
    assert report["groups"] == 3
    assert report["labels_agree"] == round(2 / 3, 3) and report["rows_agree"] == round(1 / 3, 3)
    assert report["per_form"]["brief"] == {"articles": 3, "labels_right": round(2 / 3, 3), "event_recall": round(2 / 3, 3)}
    assert report["per_form"]["long"] == {"articles": 3, "labels_right": 1.0, "event_recall": 1.0}
    assert [d["group"] for d in report["disagreements"]] == ["g1", "g2"]


# ---- the grown held-out split (issue 26) ---------------------------------------------------------
def test_held_out_split_has_the_issue_26_articles():
    rows = read_jsonl(corpus_path("heldout"))
    train_texts = {r["text"] for r in read_jsonl(corpus_path("train"))}
    assert not train_texts & {r["text"] for r in rows}, "held-out texts must not be in the training split"
    assert sum(len(r["events"]) >= 2 for r in rows) >= 50 and sum(len(r["events"]) >= 3 for r in rows) >= 25
    briefs = [r for r in rows if "brief" in r["tags"]]
    assert len(briefs) >= 20
    # A brief is one or two sentences.
    from newsevents.input.text import split_sentences
    assert all(1 <= len(split_sentences(r["text"])) <= 2 for r in briefs), [r["id"] for r in briefs]
    groups: dict[str, set] = {}
    for r in rows:
        if r.get("rendering"):
            groups.setdefault(r["rendering"]["group"], set()).add(r["rendering"]["form"])
    assert len(groups) >= 5 and all(forms == {"brief", "item", "long"} for forms in groups.values())
    for r in rows:
        for e in r["events"]:
            # Every event's evidence is text of its article, and the EU is a party as CAMEO codes it.
            assert all(s in r["text"] for s in e.get("sentences", [])), r["id"]
            assert "EU" not in e.get("actors", []) and "EUU" not in e.get("actors", []), r["id"]
    eu = [e for r in rows for e in r["events"] if "EUR" in e.get("actors", [])]
    assert len(eu) >= 5
