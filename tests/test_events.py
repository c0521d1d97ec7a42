"""One row per event: grouping an article's sentences into events, tariff actions, the dyad, stable ids
and schema evolution, and the two seed stories as acceptance through the real pipeline."""
import json
import pathlib
from datetime import date, datetime, timezone

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from newsevents.extraction.extract import extract
from newsevents.schemas import DATASETS, SCHEMA_VERSION, read_schema
from newsevents.extraction.segment import segment
from newsevents.types import get

from helpers import events, read, run_jsonl

PUBLISHED = datetime(2025, 8, 20, 9, 0, tzinfo=timezone.utc)  # a Wednesday
SEEDS = pathlib.Path(__file__).resolve().parents[2] / "shared/seeds"

# Articles written for these tests, each with several events of one type.
TWO_TARIFFS = [
    "The United States raised tariffs on Chinese steel to 50 percent on Monday, the commerce department said.",
    "Officials said the higher duties would take effect next month.",
    "China retaliated on Tuesday with 25 percent tariffs on American soybeans.",
    "Beijing's commerce ministry said the counter-tariffs were a proportionate answer.",
    "Farm groups in Iowa worried about lost sales.",
]
TWO_DEFENCE = [
    "Germany will raise its defence budget to 108 billion euros next year, the finance ministry said.",
    "Berlin also committed to reach 3.5 percent of GDP by 2029.",
    "Separately, Japan agreed to pay 1.05 trillion yen over five years for the upkeep of US troops stationed in Japan.",
    "The host-nation support deal replaces one that expires in March.",
]
TWO_SUMMITS = [
    "Kenyan President William Ruto met Tanzanian President Samia Suluhu Hassan in Dodoma on Monday.",
    "The two leaders signed an agreement on a cross-border railway.",
    "Ruto will then travel to Kampala on Friday to meet Ugandan President Yoweri Museveni.",
    "Ahead of the summit, officials said trade would top the agenda.",
]


def _events(event_type, article):
    return [extract(event_type, [article[i] for i in idx], article, PUBLISHED)
            for idx in segment(event_type, article, PUBLISHED)]


def test_two_summits_in_one_article_are_two_events():
    held, scheduled = _events("summit", TWO_SUMMITS)
    assert (held.specific["host_city"], held.specific["status"], held.event_date) == ("Dodoma", "held",
                                                                                       date(2025, 8, 18))
    assert set(held.specific["leader_countries"]) == {"KEN", "TZA"}
    assert (held.actor1_country, held.actor2_country) == ("TZA", "KEN")  # the host first
    assert (scheduled.specific["host_city"], scheduled.specific["status"]) == ("Kampala", "scheduled")
    assert scheduled.event_date == date(2025, 8, 22)
    # "Ruto will travel": the surname names the leader the article introduced in full.
    assert {p.name for p in scheduled.people} == {"William Ruto", "Yoweri Museveni"}
    assert (scheduled.actor1_country, scheduled.actor2_country) == ("UGA", "KEN")


def test_a_background_clause_is_no_event():
    story = ["Washington raised tariffs on Canadian lumber to 35 percent, ahead of the summit in Ottawa next week.",
             "Lumber mills in British Columbia said orders had already fallen."]
    assert segment("summit", story, PUBLISHED) == []
    assert len(segment("tariff", story, PUBLISHED)) == 1


def test_two_tariff_measures_are_two_events_with_their_dyads():
    raised, retaliation = _events("tariff", TWO_TARIFFS)
    assert (raised.specific["action"], raised.specific["rate_percent"], raised.specific["goods"]) == \
        ("raise", 50.0, ["steel"])
    assert (raised.actor1_country, raised.actor2_country) == ("USA", "CHN")
    assert (retaliation.specific["action"], retaliation.specific["goods"]) == ("retaliate", ["soybeans"])
    assert (retaliation.actor1_country, retaliation.actor2_country) == ("CHN", "USA")


def test_a_budget_its_goal_and_cost_sharing_are_three_events():
    budget, goal, upkeep = _events("defense_spending", TWO_DEFENCE)
    assert (budget.specific["country"], budget.specific["amount"], budget.specific["measure"]) == ("DEU", 108e9, "budget")
    assert (budget.actor1_country, budget.actor2_country) == ("DEU", None)
    assert (goal.specific["country"], goal.specific["gdp_share_percent"], goal.specific["measure"]) == \
        ("DEU", 3.5, "target")
    assert (upkeep.specific["country"], upkeep.specific["measure"], upkeep.specific["currency"]) == \
        ("JPN", "cost_sharing", "JPY")
    assert (upkeep.actor1_country, upkeep.actor2_country) == ("JPN", "USA")
    # Security talk with no budget, target or cost-sharing statement is no defence event.
    vague = extract("defense_spending", ["Washington has encouraged closer ties between its two allies."], [],
                    PUBLISHED)
    assert not get("defense_spending").is_event(vague.specific)


@pytest.mark.parametrize("sentence,action,actor1,actor2", [
    ("The United States imposed a 25 percent tariff on Mexican tomatoes.", "impose", "USA", "MEX"),
    ("One concern is the recent increase in tariffs from the United States on Korean cars.", "raise", "USA", "KOR"),
    ("India cut its tariffs on Australian wine to 50 percent.", "cut", "IND", "AUS"),
    ("Canada suspended its duties on US orange juice for 90 days.", "suspend", "CAN", "USA"),
    ("The US exempted Brazilian aircraft from its tariffs.", "exempt", "USA", "BRA"),
    ("Japan asked Washington for an exemption after the US announced 30 percent tariffs on Japanese chips.",
     "impose", "USA", "JPN"),
    ("Mexico may impose tariffs of up to 35 percent on clothing from China.", "threaten", "MEX", "CHN"),
    ("China retaliated with 15 percent tariffs on American coal.", "retaliate", "CHN", "USA"),
    ("Canada said it would respond with tariffs of its own on American goods.", "retaliate", "CAN", "USA"),
    ("Chile imposed a 12 percent tariff on steel bars from Brazil, saying imports had forced mills to cut jobs.",
     "impose", "CHL", "BRA"),
    ("Talks with Washington were linked to a reduction of US tariffs on Thai rice to 10 percent.", "deal", "USA", "THA"),
    ("Under the deal, US tariffs on Swiss goods fall from 39 percent to 15 percent.", "deal", "USA", "CHE"),
    ("Peru approved tariffs of 30 percent on Chinese steel and on other countries without a trade agreement.",
     "impose", "PER", "CHN"),
])
def test_tariff_actions_and_dyad(sentence, action, actor1, actor2):
    f = extract("tariff", [sentence], [sentence], PUBLISHED)
    assert (f.specific["action"], f.actor1_country, f.actor2_country) == (action, actor1, actor2)


def _seed_rows():
    seeds = {p.name[:3]: p for p in sorted(SEEDS.glob("*.txt"))}
    if {"000", "002"} - set(seeds):
        pytest.skip("shared seeds not present")
    return [{"id": f"seed-{k}", "text": p.read_text()} for k, p in sorted(seeds.items())]


def _rows(table, article_id):
    return table.filter(pc.equal(table.column("article_id"), article_id)).to_pylist()


def _surnames(row):
    return {name.split()[-1] if name.split()[-1] not in ("Myung",) else "Lee" for name in row["leaders"]}


@pytest.mark.slow
def test_seed_stories_give_one_row_per_event_and_stable_ids(tmp_path):
    articles = _seed_rows() + [{"id": "two-tariffs", "published_at": PUBLISHED.isoformat(),
                                "text": " ".join(TWO_TARIFFS)}]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(a) for a in articles) + "\n")
    run_jsonl(src, tmp_path / "a")
    run_jsonl(src, tmp_path / "b")  # the same input again, into another output
    got = events(tmp_path / "a")
    again = events(tmp_path / "b")
    for t, table in got.items():
        assert sorted(table.column("event_id").to_pylist()) == sorted(again[t].column("event_id").to_pylist()), t
        ids = table.column("event_id").to_pylist()
        assert len(ids) == len(set(ids))

    # Story 000: a meeting held in Tokyo and a summit scheduled in Washington; a deal that cut US
    # duties on Korean goods; Korea paying for US troops.
    summits = {r["host_city"]: r for r in _rows(got["summit"], "seed-000")}
    assert set(summits) == {"Tokyo", "Washington"}
    assert summits["Tokyo"]["status"] == "held" and _surnames(summits["Tokyo"]) == {"Lee", "Ishiba"}
    assert summits["Washington"]["status"] == "scheduled" and _surnames(summits["Washington"]) == {"Lee", "Trump"}
    assert (summits["Tokyo"]["actor1_country"], summits["Tokyo"]["actor2_country"]) == ("JPN", "KOR")
    assert (summits["Washington"]["actor1_country"], summits["Washington"]["actor2_country"]) == ("USA", "KOR")
    [tariff] = _rows(got["tariff"], "seed-000")
    assert (tariff["action"], tariff["actor1_country"], tariff["actor2_country"]) == ("deal", "USA", "KOR")
    [defence] = _rows(got["defense_spending"], "seed-000")
    assert (defence["measure"], defence["country"], defence["actor1_country"], defence["actor2_country"]) == \
        ("cost_sharing", "KOR", "KOR", "USA")

    # Story 002: two scheduled summits (Japan on August 23, the United States on August 25), US duties
    # raised, and no defence event although the classifier gives the article a defence score.
    summits = {r["host_country"]: r for r in _rows(got["summit"], "seed-002")}
    assert set(summits) == {"JPN", "USA"}
    assert {r["status"] for r in summits.values()} == {"scheduled"}
    assert summits["JPN"]["event_date_text"] == "August 23" and summits["USA"]["event_date_text"] == "August 25"
    [tariff] = _rows(got["tariff"], "seed-002")
    assert (tariff["action"], tariff["imposing_countries"], tariff["actor1_country"]) == ("raise", ["USA"], "USA")
    assert _rows(got["defense_spending"], "seed-002") == []

    # An article written for the test: a measure and the retaliation against it, each with its own date.
    pair = sorted(_rows(got["tariff"], "two-tariffs"), key=lambda r: r["event_date"])
    assert [(r["action"], r["actor1_country"], r["actor2_country"], r["event_date"]) for r in pair] == [
        ("raise", "USA", "CHN", date(2025, 8, 18)), ("retaliate", "CHN", "USA", date(2025, 8, 19))]
    assert all(r["dt"] == r["event_date"].isoformat() for r in pair)

    # Schema evolution: a file of the previous version (without the columns added since) reads
    # together with the new ones, through the project's reader and plain pyarrow.
    name = "events/defense_spending"
    added = ["actor1_country", "actor2_country", "measure"]
    older_schema = pa.schema([f for f in DATASETS[name] if f.name not in added],
                             metadata={**DATASETS[name].metadata, b"newsevents.schema_version": b"2"})
    older_rows = [{**{k: v for k, v in defence.items() if k not in added + ["dt"]}, "event_id": "written-by-v2"}]
    older_dir = tmp_path / "a" / name / "dt=2001-01-01"
    older_dir.mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist(older_rows, schema=older_schema), older_dir / "part-v2.parquet")
    assert SCHEMA_VERSION == 3
    for table in (read(tmp_path / "a", name),
                  ds.dataset(tmp_path / "a" / name, schema=read_schema(name), partitioning="hive").to_table()):
        assert table.num_rows == got["defense_spending"].num_rows + 1
        old = table.filter(pc.equal(table.column("event_id"), "written-by-v2")).to_pylist()[0]
        assert [old[c] for c in added] == [None, None, None] and old["country"] == "KOR"
        assert table.filter(pc.is_valid(table.column("measure"))).num_rows == got["defense_spending"].num_rows
