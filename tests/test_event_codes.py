"""Event codes (CAMEO, QuadClass, Goldstein, PLOVER, theme) and ActionGeo places on event rows."""
import json

import pytest

from newsevents.extraction.event_codes import CAMEO, CODE_COLUMNS, code_rules, event_codes, event_columns
from newsevents.extraction.geocode import GEO_COLUMNS

from helpers import events, run_jsonl

# The codes the mapping may use, as GDELT's CAMEO.eventcodes and CAMEO.goldsteinscale lookups list them.
CODEBOOK = {
    "036": ("Express intent to meet or negotiate", 4.0),
    "040": ("Consult, not specified below", 1.0),
    "043": ("Host a visit", 2.8),
    "046": ("Engage in negotiation", 7.0),
    "057": ("Sign formal agreement", 8.0),
    "085": ("Ease economic sanctions, boycott, embargo", 7.0),
    "090": ("Investigate, not specified below", -2.0),
    "125": ("Reject proposal to meet, discuss, or negotiate", -5.0),
    "1312": ("Threaten to boycott, embargo, or sanction", -5.8),
    "163": ("Impose embargo, boycott, or sanctions", -8.0),
}
# GDELT's four classes over the CAMEO root codes.
QUAD = {**{f"{r:02d}": 1 for r in range(1, 6)}, **{f"{r:02d}": 2 for r in range(6, 10)},
        **{f"{r:02d}": 3 for r in range(10, 15)}, **{f"{r:02d}": 4 for r in range(15, 21)}}
PLOVER_TYPES = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "DEMAND", "ACCUSE",
                "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}

# The shared conventions of issue 16: each value and the CAMEO code its events get.
HOSTED = {"host_country": "JPN", "leader_countries": ["KOR", "JPN"], "format": "bilateral"}
ELSEWHERE = {"host_country": "CHE", "leader_countries": ["USA", "RUS"], "format": "bilateral"}
CONVENTIONS = [
    ("summit", {"status": "held", **HOSTED}, "043"),
    ("summit", {"status": "held", **ELSEWHERE}, "040"),
    ("summit", {"status": "held", "host_country": "BEL", "leader_countries": ["USA", "FRA", "DEU"],
                "format": "multilateral"}, "040"),
    ("summit", {"status": "scheduled", **HOSTED}, "036"),
    ("summit", {"status": "planned", **HOSTED}, "036"),  # the value before "scheduled"
    ("summit", {"status": "held", "host_country": "ISL", "leader_countries": []}, "040"),  # who takes part: unknown
    ("summit", {"status": "in_negotiation"}, "046"),
    ("summit", {"status": "cancelled", **ELSEWHERE}, "125"),
    *[("tariff", {"action": a, "imposing_countries": ["USA"]}, "163") for a in ("impose", "raise", "retaliate")],
    ("tariff", {"action": "threaten"}, "1312"),
    *[("tariff", {"action": a}, "085") for a in ("cut", "suspend", "exempt")],
    ("tariff", {"action": "deal"}, "057"),
    ("tariff", {"action": "investigate", "imposing_countries": ["CHN"]}, "090"),
]


@pytest.mark.parametrize("event_type,fields,code", CONVENTIONS,
                         ids=lambda v: json.dumps(v) if isinstance(v, dict) else v)
def test_every_convention_value_gets_its_code_consistent_with_the_codebook(event_type, fields, code):
    got = event_codes(event_type, fields)
    assert got["cameo_code"] == code
    assert got["cameo_root_code"] == code[:2]
    assert got["quad_class"] == QUAD[code[:2]]
    assert got["goldstein_scale"] == CODEBOOK[code][1]
    assert got["plover_event_type"] in PLOVER_TYPES
    assert got["event_theme"] is None


def test_the_table_quotes_the_codebook():
    for code, entry in CAMEO.items():
        assert (entry.text, entry.goldstein) == CODEBOOK[code], code
    assert {r.cameo for r in code_rules().values()} - {None} == set(CAMEO)


@pytest.mark.parametrize("measure", ["budget", "target", "cost_sharing"])
def test_defence_spending_gets_a_theme_and_no_cameo_code(measure):
    got = event_codes("defense_spending", {"measure": measure, "country": "DEU"})
    assert got["event_theme"] == f"DEFENSE_SPENDING_{measure.upper()}"
    assert all(got[c] is None for c in CODE_COLUMNS if c != "event_theme")


def test_rows_without_the_newer_columns_fall_back_to_their_own_fields():
    # Before `measure`, a defence row only says whether it is about cost sharing.
    assert event_codes("defense_spending", {"cost_sharing": True})["event_theme"] == "DEFENSE_SPENDING_COST_SHARING"
    assert event_codes("defense_spending", {"cost_sharing": False})["event_theme"] == "DEFENSE_SPENDING_BUDGET"
    # With the dyad columns, the host being actor1 or actor2 makes it a hosted visit.
    assert event_codes("summit", {"status": "held", "host_country": "JPN", "actor1_country": "JPN",
                                  "actor2_country": "KOR"})["cameo_code"] == "043"
    # Tariff and defence rows are placed in actor1's country: actor1_country, else the levying party.
    assert event_columns("tariff", {"action": "raise", "imposing_countries": ["CAN"]})["action_geo_country"] == "CAN"
    assert event_columns("tariff", {"action": "raise", "imposing_countries": ["CAN"],
                                    "actor1_country": "MEX"})["action_geo_country"] == "MEX"
    assert event_columns("defense_spending", {"country": "POL"})["action_geo_country"] == "POL"


def test_unknown_or_missing_values_give_null_columns_not_an_error():
    for event_type, fields in [("tariff", {"action": "ponder"}), ("tariff", {}), ("summit", {"status": "rumoured"}),
                               ("defense_spending", {"measure": "other"})]:
        got = event_columns(event_type, fields)
        assert set(got) == set(CODE_COLUMNS) | set(GEO_COLUMNS)
        assert all(got[c] is None for c in CODE_COLUMNS)


@pytest.mark.slow
def test_pipeline_rows_carry_codes_and_places(tmp_path, corpus):
    """A summit hosted in Ankara, US car tariffs and NATO spending, through the real pipeline."""
    by_id = {a["id"]: a for a in corpus}
    jsonl = tmp_path / "input.jsonl"
    jsonl.write_text("".join(json.dumps(by_id[i]) + "\n" for i in ("sum-007", "tar-001", "def-001")))
    run_jsonl(jsonl, tmp_path / "out")
    got = {t: table.to_pylist() for t, table in events(tmp_path / "out").items()}
    assert all(got.values()), {t: len(rows) for t, rows in got.items()}

    for row in got["summit"] + got["tariff"]:
        code = row["cameo_code"]
        assert code in CODEBOOK, row
        assert (row["cameo_root_code"], row["quad_class"]) == (code[:2], QUAD[code[:2]])
        assert row["goldstein_scale"] == pytest.approx(CODEBOOK[code][1])
        assert row["plover_event_type"] in PLOVER_TYPES
    for row in got["defense_spending"]:
        assert row["cameo_code"] is None and row["event_theme"].startswith("DEFENSE_SPENDING_")

    summit = next(r for r in got["summit"] if r["article_id"] == "sum-007")
    assert summit["host_city"] and summit["action_geo_type"] == 4
    if summit["status"] == "held" and summit["host_country"] in summit["leader_countries"]:
        assert (summit["cameo_code"], summit["plover_mode"]) == ("043", "host")
    assert summit["action_geo_fullname"].startswith(summit["host_city"])
    assert summit["action_geo_country"] == summit["host_country"]
    tariff = next(r for r in got["tariff"] if r["article_id"] == "tar-001")
    assert (tariff["action_geo_type"], tariff["action_geo_country"]) == (1, tariff["imposing_countries"][0])
    for row in got["summit"] + got["tariff"] + got["defense_spending"]:
        assert -90 <= row["action_geo_lat"] <= 90 and -180 <= row["action_geo_long"] <= 180, row
        assert row["action_geo_feature_id"].isdigit()


def test_plover_mode_says_how_a_meeting_was_held():
    assert event_codes("summit", {"status": "held", **HOSTED})["plover_mode"] == "host"
    assert event_codes("summit", {"status": "held", **ELSEWHERE})["plover_mode"] == "third-party"
    multilateral = {"status": "held", **ELSEWHERE, "format": "multilateral"}
    assert event_codes("summit", multilateral)["plover_mode"] == "multilateral"
    where_unknown = {"status": "held", "leader_countries": ["USA"]}
    assert event_codes("summit", where_unknown)["plover_mode"] is None
