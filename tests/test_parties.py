"""Parties that are not countries: organisations and groupings as actors (the EU as "EUR", NATO, G7, the
African Union ...), capitals and seats of government standing for their governments where they act, an
organisation's name that is no place, and an organisation's own summit with its members (issue 26)."""
import json
import re
from datetime import date, datetime, timezone

import pyarrow.compute as pc
import pytest

from newsevents.actors import resolve
from newsevents.extraction.extract import extract
from newsevents.extraction.geography import (acts, city_mentions, find_countries, find_parties, organisation_mentions,
                                             party_mentions)
from newsevents.types.summit import summit_parties

from helpers import events, run_jsonl

DAY = datetime(2026, 3, 11, tzinfo=timezone.utc)


def _fields(event_type: str, text: str, published: datetime = DAY):
    sentences = [s for s in text.split("\n") if s]
    return extract(event_type, sentences, sentences, published)


def _named(text: str) -> list[tuple[str, str]]:
    return [(code, text[s:e]) for code, s, e in party_mentions(text)]


# ---- organisations ---------------------------------------------------------------------------------------

def test_organisations_are_named_by_their_names_and_acronyms_as_written():
    assert find_parties("The European Union and NATO met the African Union and the G-20.") == ["EUR", "NATO", "AU", "G20"]
    assert find_parties("The Quad and BRICS leaders, and the Shanghai Cooperation Organisation.") == ["QUAD", "BRICS", "SCO"]
    # An acronym in lower case is another word; "non-EU" and "EU-wide" are words of their own.
    assert find_parties("They quad-bike in the au pair's town.") == []
    assert organisation_mentions("non-EU steel under EU-wide rules") == []
    # A compound with another party names the organisation: "an EU-India summit", "an India-EU summit".
    assert [c for c, _, _ in organisation_mentions("an EU-India summit and an India-EU summit")] == ["EUR", "EUR"]


def test_organisations_are_parties_but_not_countries_mentioned():
    text = "The European Union will impose duties on Chinese steel."
    assert find_parties(text) == ["EUR", "CHN"]
    assert find_countries(text) == ["CHN"]  # country_codes holds countries only


def test_forums_without_a_member_list_are_no_party():
    # The WTO is where a dispute is taken, not a side of it.
    assert find_parties("South Africa will ask the World Trade Organization to rule on the duties.") == ["ZAF"]


def test_the_eu_adjective_names_the_eu_in_the_knowledge_base():
    assert resolve("European", date(2024, 1, 1)).code == "EUR"
    assert find_parties("a 15 percent tariff on European pork") == ["EUR"]


# ---- capitals and seats of government ----------------------------------------------------------------------

@pytest.mark.parametrize("text, code", [
    ("Beijing retaliated within hours.", "CHN"),
    ("Washington said it would respond.", "USA"),
    ("Brussels will impose a 50 percent tariff on steel.", "EUR"),  # the EU's seat, not Belgium's capital
    ("The Kremlin said it would respond.", "RUS"),
    ("Downing Street said Starmer would travel on Friday.", "GBR"),
    ("The White House, in a statement, said the duties stay.", "USA"),
    ("Paris also plans to add 3.5 billion euros.", "FRA"),
    ("Wellington aims to double its spending.", "NZL"),
    ("Pretoria will ask for talks.", "ZAF"),
    ("Ottawa's counter-tariffs took effect.", "CAN"),
    ("after months of talks with Washington", "USA"),
])
def test_a_seat_of_government_that_acts_is_its_government(text, code):
    assert find_parties(text) == [code]


@pytest.mark.parametrize("text", [
    "Talks in Beijing ended on Friday.",
    "The leaders flew to Washington on Monday.",
    "Officials in Pretoria and at the Kremlin were not available.",
])
def test_a_seat_of_government_as_a_place_is_no_party(text):
    assert find_parties(text) == []


def test_acts_reads_the_words_around_the_name():
    text = "Ministers met in Pretoria. Pretoria said no."
    first, second = [m.start() for m in re.finditer("Pretoria", text)]
    assert not acts(text, first, first + 8)
    assert acts(text, second, second + 8)


# ---- tariffs: the EU levies, not a member state named elsewhere ---------------------------------------------

def test_the_eu_imposing_duties_is_the_eu():
    evidence = ["The European Union will impose duties of up to 31 percent on Chinese-made electric bicycles, the "
                "European Commission said on Tuesday."]
    article = evidence + ["Italy's bicycle makers had pressed for the measure for a year."]
    f = extract("tariff", evidence, article, DAY)  # the member state named elsewhere is not the one levying
    assert f.specific["imposing_countries"] == ["EUR"]
    assert f.specific["target_countries"] == ["CHN"]
    assert (f.actor1_country, f.actor2_country) == ("EUR", "CHN")
    assert f.actors == ["EUR", "CHN"]


def test_metonyms_levy_and_are_hit():
    f = _fields("tariff", "Brussels will impose a 25 percent tariff on American whiskey from July.")
    assert (f.actor1_country, f.actor2_country) == ("EUR", "USA")
    f = _fields("tariff", "Beijing answered within hours with a 15 percent tariff on European pork.")
    assert (f.actor1_country, f.actor2_country) == ("CHN", "EUR")
    f = _fields("tariff", "The EU on Monday suspended its planned counter-tariffs on 93 billion euros of US goods.")
    assert (f.actor1_country, f.actor2_country) == ("EUR", "USA")


# ---- defence spending: a government named by its seat ------------------------------------------------------

def test_a_capital_that_spends_is_the_spender():
    f = _fields("defense_spending", "Paris also plans to add 3.5 billion euros to this year's defence budget.")
    assert f.specific["country"] == "FRA"
    assert f.actors == ["FRA"]


# ---- summits: an organisation's name is no place; its own summit and its members ---------------------------

def test_an_organisations_name_is_not_a_place():
    text = "The Shanghai Cooperation Organisation summit opened in Astana on Thursday."
    assert [c for c, _, _ in city_mentions(text)] == ["Astana"]
    f = _fields("summit", "The Shanghai Cooperation Organisation summit opened in Astana on Thursday, with Kazakh "
                          "President Kassym-Jomart Tokayev calling for a payments system.",
                datetime(2024, 7, 4, tzinfo=timezone.utc))
    assert (f.specific["host_city"], f.specific["host_country"]) == ("Astana", "KAZ")
    assert f.specific["organisation"] == "SCO"
    assert f.specific["format"] == "multilateral"


def test_an_organisations_summit_lists_its_members_on_the_day_and_the_leaders_the_text_names():
    text = "The Shanghai Cooperation Organisation summit opened in Astana on Thursday, with Kazakh President " \
           "Kassym-Jomart Tokayev calling for a payments system."
    f = _fields("summit", text, datetime(2024, 7, 4, tzinfo=timezone.utc))
    assert f.specific["leader_countries"] == ["KAZ"]  # the leaders the article places there
    assert "IRN" in f.specific["member_countries"] and "BLR" in f.specific["member_countries"]
    assert f.actors == ["KAZ", "SCO"]
    f = _fields("summit", text, datetime(2019, 6, 14, tzinfo=timezone.utc))
    assert "IRN" not in f.specific["member_countries"]  # Iran joined in 2023
    assert len(f.specific["member_countries"]) == 8


def test_a_meeting_beside_a_summit_is_not_the_organisations():
    assert summit_parties(["On the sidelines of the G20 summit, Modi met Albanese."]) == (None, [])
    f = _fields("summit", "On the sidelines of the G20 summit in Rio de Janeiro, Indian Prime Minister Narendra Modi "
                          "met Australian Prime Minister Anthony Albanese.", datetime(2024, 11, 19, tzinfo=timezone.utc))
    assert f.specific["organisation"] is None
    assert f.specific["format"] == "bilateral"
    assert set(f.actors) == {"IND", "AUS"}


def test_the_eu_meeting_a_country_is_one_side():
    f = _fields("summit", "Prime Minister Narendra Modi and European Council President Antonio Costa opened an "
                          "EU-India summit in New Delhi on Tuesday.", datetime(2026, 1, 27, tzinfo=timezone.utc))
    assert f.specific["leader_countries"] == ["IND", "EUR"]
    assert (f.actor1_country, f.actor2_country) == ("IND", "EUR")
    assert f.specific["organisation"] is None
    f = _fields("summit", "European Union leaders met Chinese President Xi Jinping in Beijing on Thursday.",
                datetime(2026, 7, 24, tzinfo=timezone.utc))
    assert set(f.specific["leader_countries"]) == {"CHN", "EUR"}
    assert f.specific["host_city"] == "Beijing"  # a capital as the place stays the host city


def test_the_eus_presidents_named_in_full_are_the_eu():
    f = _fields("summit", "Ursula von der Leyen held talks with Japanese Prime Minister Sanae Takaichi in Tokyo.",
                datetime(2026, 7, 27, tzinfo=timezone.utc))
    assert set(f.specific["leader_countries"]) == {"EUR", "JPN"}


# ---- through the real pipeline ---------------------------------------------------------------------------

ARTICLES = [
    {"id": "party-tariff", "published_at": "2026-03-11T07:15:00Z", "title": "EU slaps duties on Chinese e-bikes",
     "text": "The European Union will impose provisional anti-subsidy duties of up to 31 percent on Chinese-made "
             "electric bicycles from April, the European Commission said on Tuesday. The duties on imports come on "
             "top of an existing 6 percent tariff. Chinese exporters said the tariff would hurt sales. Italian and "
             "Dutch bicycle makers had asked Brussels for protection from cheap imports."},
    {"id": "party-summit", "published_at": "2024-07-04T18:00:00Z", "title": "SCO leaders meet in Astana",
     "text": "The Shanghai Cooperation Organisation summit opened in Astana on Thursday, with Kazakh President "
             "Kassym-Jomart Tokayev welcoming the leaders of the member states. Chinese President Xi Jinping and "
             "Russian President Vladimir Putin held talks before the plenary session. The heads of state signed a "
             "declaration on regional security and admitted Belarus as the bloc's tenth member."},
]


@pytest.mark.slow
def test_parties_that_are_not_countries_through_the_pipeline(tmp_path):
    jsonl = tmp_path / "input.jsonl"
    jsonl.write_text("\n".join(json.dumps(a) for a in ARTICLES) + "\n")
    run_jsonl(jsonl, tmp_path / "out")
    tables = events(tmp_path / "out")
    tariff = tables["tariff"].filter(pc.equal(tables["tariff"].column("article_id"), "party-tariff")).to_pylist()
    assert tariff, "the EU's duties give a tariff row"
    assert tariff[0]["imposing_countries"] == ["EUR"] and tariff[0]["actor1_country"] == "EUR"
    assert "CHN" in tariff[0]["target_countries"] and "EUR" in tariff[0]["actors"]
    assert "ITA" not in tariff[0]["imposing_countries"]
    summit = tables["summit"].filter(pc.equal(tables["summit"].column("article_id"), "party-summit")).to_pylist()
    assert summit, "the SCO summit gives a summit row"
    row = next((r for r in summit if r["organisation"] == "SCO"), None)
    assert row is not None, summit
    assert (row["host_city"], row["host_country"]) == ("Astana", "KAZ")
    assert "SCO" in row["actors"] and "BLR" in row["member_countries"]


def test_an_organisation_acting_is_placed_at_its_seat():
    from newsevents.extraction.geocode import action_geo
    place = action_geo("tariff", {"imposing_countries": ["EUR"]}, "EUR")
    assert (place["action_geo_country"], place["action_geo_type"]) == ("BEL", 4)
    assert place["action_geo_fullname"].startswith("Brussels")
    assert action_geo("tariff", {}, "NATO")["action_geo_fullname"] is None  # no seat in the knowledge base


def test_a_currency_named_by_a_demonym_is_money_not_a_party():
    assert find_parties("a counter-tariff on 30 billion Canadian dollars of American goods") == ["USA"]
    f = _fields("tariff", "Ottawa answered within hours with a 25 percent counter-tariff on 30 billion Canadian "
                          "dollars of American goods.")
    assert (f.actor1_country, f.actor2_country) == ("CAN", "USA")


def test_a_party_asking_for_an_exemption_is_hit():
    f = _fields("tariff", "Japan asked Washington for an exemption after the United States announced a 30 percent "
                          "tariff on imported chips.")
    assert (f.actor1_country, f.actor2_country) == ("USA", "JPN")


def test_a_head_of_government_levies_for_the_country_he_heads():
    article = ["Prime Minister Sanae Takaichi met President Trump at the White House on Thursday.",
               "Trump said he would exempt Japanese car parts from a planned 25 percent tariff on components."]
    f = extract("tariff", article[1:], article, datetime(2026, 3, 20, tzinfo=timezone.utc))
    assert (f.actor1_country, f.actor2_country) == ("USA", "JPN")


def test_a_country_whose_goods_are_bought_is_the_reason_not_a_party():
    f = _fields("tariff", "The United States doubled its tariff on Indian goods to 50 percent, adding a 25 percent "
                          "penalty over India's purchases of Russian oil to the 25 percent duty already in force.")
    assert f.specific["imposing_countries"] == ["USA"]
    assert f.specific["target_countries"] == ["IND"]
    # Only that mention is set aside: the same country named as levying still levies.
    f = _fields("tariff", "Taiwan plans purchases of American weapons as it seeks to avoid US tariffs on its chips.")
    assert f.specific["imposing_countries"] == ["USA"]
