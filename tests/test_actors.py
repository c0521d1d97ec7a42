"""The actor knowledge base and its resolver: every resolution rule, and the packaged data's integrity."""
from datetime import date

import pytest

from newsevents.actors import (KnowledgeBase, KnowledgeBaseError, knowledge_base, normalize, resolve, resolve_all,
                               resolve_leader)
from newsevents.actors.knowledge import _read

D = date


def _one(text, day):
    r = resolve(text, day)
    assert r is not None, (text, day, resolve_all(text, day))
    return r


# ---- name ----

@pytest.mark.parametrize("text, day, code, office", [
    ("Xi Jinping", D(2019, 5, 1), "CHN", "general_secretary"),  # the party leader first ...
    ("Recep Tayyip Erdogan", D(2010, 1, 1), "TUR", "prime_minister"),  # ... the office of the day
    ("Recep Tayyip Erdoğan", D(2020, 1, 1), "TUR", "president"),
    ("Luiz Inacio Lula da Silva", D(2024, 1, 1), "BRA", "president"),  # accents are optional
    ("Lee Jae Myung", D(2025, 7, 1), "KOR", "president"),  # "Lee Jae-myung"
    ("Ursula von der Leyen", D(2024, 1, 1), "EUR", "commission_president"),
])
def test_a_full_name_gives_the_office_held_that_day(text, day, code, office):
    r = _one(text, day)
    assert (r.kind, r.code, r.office, r.status, r.rule) == ("person", code, office, "in_office", "name")


def test_a_person_holding_two_offices_has_both():
    r = _one("Xi Jinping", D(2019, 5, 1))
    assert {t.office for t in (r.term, *r.also)} == {"general_secretary", "president"}
    assert _one("Xi Jinping", D(2013, 1, 1)).also == ()  # general secretary before he was president


# ---- surname with title ----

@pytest.mark.parametrize("text, day, code, name", [
    ("President Erdogan", D(2023, 1, 1), "TUR", "Recep Tayyip Erdoğan"),
    ("President Aliyev", D(2024, 1, 1), "AZE", "Ilham Aliyev"),
    ("Prime Minister Anthony Albanese", D(2023, 1, 1), "AUS", "Anthony Albanese"),
    ("PM Sir Keir Starmer", D(2025, 1, 1), "GBR", "Keir Starmer"),  # an honorific between title and name
    ("Lula", D(2024, 1, 1), "BRA", "Luiz Inácio Lula da Silva"),  # a listed short form
    ("President Lee", D(2010, 1, 1), "KOR", "Lee Myung-bak"),  # the date picks the Lee ...
    ("President Lee", D(2025, 7, 1), "KOR", "Lee Jae-myung"),
    ("Prime Minister Lee", D(2010, 1, 1), "SGP", "Lee Hsien Loong"),  # ... and so does the title
    ("Premier Li", D(2020, 1, 1), "CHN", "Li Keqiang"),
    ("Premier Li", D(2024, 1, 1), "CHN", "Li Qiang"),
    ("Chancellor Merz", D(2025, 6, 1), "DEU", "Friedrich Merz"),
    ("Taoiseach Micheál Martin", D(2025, 3, 1), "IRL", "Micheál Martin"),
    ("Secretary-General Rutte", D(2025, 1, 1), "NATO", "Mark Rutte"),
])
def test_a_surname_with_a_title_gives_who_held_that_office_that_day(text, day, code, name):
    r = _one(text, day)
    assert (r.code, r.name, r.status) == (code, name, "in_office")


def test_a_surname_needs_a_title_that_fits():
    # Lee Hsien Loong was a prime minister, never a president: in September 2024 no President Lee held office,
    # and of the two Presidents Lee one had left it, the other had not begun; which one is meant is a guess.
    assert resolve("President Lee", D(2010, 1, 1)).code == "KOR"
    assert resolve("President Lee", D(2024, 9, 1)) is None
    readings = resolve_all("President Lee", D(2024, 9, 1))
    assert {("Lee Myung-bak", "former"), ("Lee Jae-myung", "not_yet")} <= {(r.name, r.status) for r in readings}
    assert resolve("King Lee", D(2010, 1, 1)) is None


def test_a_full_name_stays_that_person_whatever_the_title():
    assert _one("President Narendra Modi", D(2024, 1, 1)).code == "IND"


# ---- demonym or country with a title ----

@pytest.mark.parametrize("text, day, code, name", [
    ("Chinese leader Xi Jinping", D(2023, 1, 1), "CHN", "Xi Jinping"),
    ("the Indian prime minister", D(2024, 1, 1), "IND", "Narendra Modi"),
    ("the Indian prime minister", D(2010, 1, 1), "IND", "Manmohan Singh"),
    ("Chinese leader", D(2010, 1, 1), "CHN", "Hu Jintao"),  # the party leader
    ("China's president", D(2012, 12, 1), "CHN", "Hu Jintao"),  # Xi led the party, Hu was still president
    ("the South Korean president", D(2024, 1, 1), "KOR", "Yoon Suk Yeol"),
    ("the Japanese prime minister", D(2025, 11, 1), "JPN", "Sanae Takaichi"),
    ("the German leader", D(2020, 1, 1), "DEU", "Angela Merkel"),  # the head of government leads Germany ...
    ("the French leader", D(2020, 1, 1), "FRA", "Emmanuel Macron"),  # ... the head of state France
    ("Prime Minister of India Narendra Modi", D(2024, 1, 1), "IND", "Narendra Modi"),
    ("US President Joe Biden", D(2022, 1, 1), "USA", "Joe Biden"),
    ("NATO Secretary-General", D(2020, 1, 1), "NATO", "Jens Stoltenberg"),
])
def test_a_demonym_and_a_title_give_the_office_holder_of_that_day(text, day, code, name):
    r = _one(text, day)
    assert (r.code, r.name, r.status) == (code, name, "in_office")


def test_a_country_disambiguates_a_shared_surname():
    assert len(resolve_all("Prime Minister Orban", D(2020, 6, 1))) == 2  # Hungary's and Romania's
    assert _one("Hungarian Prime Minister Orban", D(2020, 6, 1)).name == "Viktor Orbán"
    assert _one("Romanian Prime Minister Orban", D(2020, 6, 1)).name == "Ludovic Orban"
    assert resolve("French President Xi", D(2020, 1, 1)) is None  # a country that contradicts the name


def test_a_title_alone_is_nobody():
    assert resolve_all("the president", D(2024, 1, 1)) == []


# ---- metonyms and countries ----

@pytest.mark.parametrize("text, kind, code", [
    ("Washington", "country", "USA"), ("the White House", "country", "USA"), ("Beijing", "country", "CHN"),
    ("the Kremlin", "country", "RUS"), ("Downing Street", "country", "GBR"), ("the Elysee", "country", "FRA"),
    ("Élysée", "country", "FRA"), ("Tokyo", "country", "JPN"), ("Brussels", "organisation", "EUR"),
    ("Kyiv", "country", "UKR"), ("Chinese", "country", "CHN"), ("South Korean", "country", "KOR"),
    ("UK", "country", "GBR"),
])
def test_a_seat_of_government_or_a_country_name_is_the_government(text, kind, code):
    r = _one(text, D(2024, 1, 1))
    assert (r.kind, r.code) == (kind, code)


def test_a_name_two_countries_share_names_neither():
    assert resolve("Congolese", D(2024, 1, 1)) is None  # Congo and DR Congo
    assert _one("DR Congo", D(2024, 1, 1)).code == "COD"


# ---- organisations ----

@pytest.mark.parametrize("text, code", [
    ("EU", "EUR"), ("the European Union", "EUR"), ("NATO", "NATO"), ("G7", "G7"), ("G-20", "G20"),
    ("ASEAN", "ASEAN"), ("the African Union", "AU"), ("Shanghai Cooperation Organisation", "SCO"),
    ("BRICS", "BRICS"), ("the Quad", "QUAD"), ("OPEC", "OPEC"), ("United Nations", "UN"),
])
def test_organisations_are_actors_with_their_codes(text, code):
    r = _one(text, D(2024, 1, 1))
    assert (r.kind, r.code) == ("organisation", code)


def test_members_follow_the_dates_they_joined_and_left():
    kb = knowledge_base()
    assert "FIN" not in kb.members("NATO", D(2023, 4, 3)) and "FIN" in kb.members("NATO", D(2023, 4, 4))
    assert "SWE" not in kb.members("NATO", D(2024, 3, 6)) and "SWE" in kb.members("NATO", D(2024, 3, 7))
    assert len(kb.members("NATO", D(2024, 6, 1))) == 32
    assert set(kb.members("BRICS", D(2023, 6, 1))) == {"BRA", "RUS", "IND", "CHN", "ZAF"}
    assert {"EGY", "ETH", "IRN", "ARE"} <= set(kb.members("BRICS", D(2024, 6, 1)))
    assert "GBR" in kb.members("EUR", D(2019, 1, 1)) and "GBR" not in kb.members("EUR", D(2020, 6, 1))
    assert len(kb.members("EUR", D(2024, 1, 1))) == 27
    assert len(kb.members("UN", D(2024, 1, 1))) == 193
    assert "AU" in kb.members("G20", D(2024, 1, 1)) and "AU" not in kb.members("G20", D(2022, 1, 1))
    assert sorted(kb.members("QUAD", D(2024, 1, 1))) == ["AUS", "IND", "JPN", "USA"]


# ---- dates outside a term ----

def test_a_former_office_holder_is_known_but_holds_no_office():
    r = _one("President Trump", D(2022, 3, 1))
    assert (r.code, r.status, r.in_office, r.office) == ("USA", "former", False, "president")
    assert r.term.end == D(2021, 1, 20)  # the term that ended last
    assert _one("President Trump", D(2018, 3, 1)).in_office
    assert _one("President Trump", D(2025, 3, 1)).term.start == D(2025, 1, 20)


def test_before_the_first_term_is_not_yet():
    r = _one("Trump", D(2016, 1, 1))
    assert (r.status, r.term.start) == ("not_yet", D(2017, 1, 20))
    assert resolve("former President Trump", D(2016, 1, 1)) is None  # "former" needs a term that ended


def test_the_successor_holds_the_office_from_the_handover_day():
    assert _one("the US president", D(2021, 1, 19)).name == "Donald Trump"
    assert _one("the US president", D(2021, 1, 20)).name == "Joe Biden"


# ---- ambiguity ----

def test_a_shared_surname_in_office_twice_that_day_is_ambiguous():
    assert {r.code for r in resolve_all("Lee", D(2010, 1, 1))} == {"KOR", "SGP"}
    assert resolve("Lee", D(2010, 1, 1)) is None
    assert resolve("Kaczynski", D(2007, 1, 1)) is None  # the twins: president and prime minister
    assert _one("President Kaczynski", D(2007, 1, 1)).name == "Lech Kaczyński"


def test_a_shared_surname_out_of_office_is_ambiguous_too():
    # Neither Kaczynski held office in 2012: which former one is meant is a guess.
    assert resolve("Kaczynski", D(2012, 1, 1)) is None


def test_an_unknown_name_is_nobody():
    assert resolve_all("John Smith", D(2020, 1, 1)) == []
    assert resolve("President Smith", D(2020, 1, 1)) is None


# ---- the extraction's entry point ----

def test_resolve_leader_gives_a_country_only_for_a_head_in_office():
    assert resolve_leader("President", "Erdogan", D(2023, 1, 1)) == "TUR"
    assert resolve_leader("President", "Trump", D(2022, 3, 1)) is None  # former
    assert resolve_leader("Secretary-General", "Rutte", D(2025, 1, 1)) is None  # an organisation's officer
    assert resolve_leader("Foreign Minister", "Wang Yi", D(2024, 1, 1)) is None  # not a head
    assert resolve_leader("Prime Minister", "Orban", D(2020, 6, 1)) is None  # ambiguous


# ---- the data ----

def test_the_packaged_data_is_complete_enough():
    kb = knowledge_base()
    assert kb.version and kb.current_to >= D(2025, 1, 1)
    un = [c for c in kb.countries.values() if c.un_member]
    assert len(un) == 193
    held = {t.code for p in kb.people for t in p.terms if t.covers(kb.current_to) and t.role in ("S", "G", "SG", "L")}
    assert {c.code for c in un} - held == {"SMR"}  # two captains regent for six months: no one head
    g20 = "ARG AUS BRA CAN CHN FRA DEU IND IDN ITA JPN MEX RUS SAU ZAF KOR TUR GBR USA".split()
    eu = kb.members("EUR", kb.current_to)
    for code in g20 + eu:  # someone held a head's office every day since 2000
        for year in range(2000, kb.current_to.year + 1):
            day = D(year, 6, 1)
            assert kb.holders(code, day), (code, day)


def test_no_two_people_hold_one_office_of_one_country_at_once():
    kb = knowledge_base()
    terms = sorted((t.code, t.office, t.start, t.end or D.max, p.name) for p in kb.people for t in p.terms)
    for a, b in zip(terms, terms[1:]):
        if a[:2] == b[:2]:
            assert a[3] <= b[2], (a, b)


def test_normalize_makes_spellings_one_key():
    assert normalize("Erdoğan") == normalize("Erdogan") == "erdogan"
    assert normalize("Lee Jae-myung") == normalize("Lee Jae Myung")
    assert normalize("Binali Yıldırım") == "binali yildirim"
    assert normalize("Jonas Gahr Støre") == "jonas gahr store"


def test_malformed_data_is_refused_with_where():
    countries, leaders, orgs = _read("countries.psv"), _read("leaders.psv"), _read("organisations.json")
    with pytest.raises(KnowledgeBaseError, match="not a YYYY-MM-DD"):
        KnowledgeBase(countries, leaders + "USA|president|SG|2029-13-01||Someone Else|\n", orgs)
    with pytest.raises(KnowledgeBaseError, match="unknown country"):
        KnowledgeBase(countries, leaders + "XXX|president|SG|2020-01-01||Someone Else|\n", orgs)
    with pytest.raises(KnowledgeBaseError, match="version differs"):
        KnowledgeBase(countries, leaders.replace("# version: ", "# version: 0", 1), orgs)
