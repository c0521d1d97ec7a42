"""Event field extraction on sentences written for the tests (no model needed)."""
from datetime import date, datetime, timezone

from newsevents.extraction.dates import resolve_date
from newsevents.extraction.extract import extract
from newsevents.extraction.geography import find_countries
from newsevents.extraction.people import find_people
from newsevents.extraction.segment import segment

PUBLISHED = datetime(2025, 8, 20, 9, 0, tzinfo=timezone.utc)  # a Wednesday


def test_dates_resolve_against_publication():
    assert resolve_date("The leaders will meet on August 25.", PUBLISHED) == (date(2025, 8, 25), "August 25")
    assert resolve_date("Talks are set for 3 January.", datetime(2025, 12, 30, tzinfo=timezone.utc))[0] == \
        date(2026, 1, 3)
    assert resolve_date("The ministers met on Monday in Rome.", PUBLISHED) == (date(2025, 8, 18), "on Monday")
    assert resolve_date("The ministers will meet on Friday.", PUBLISHED)[0] == date(2025, 8, 22)
    assert resolve_date("The two sides met yesterday.", PUBLISHED)[0] == date(2025, 8, 19)
    # The tense is the weekday's own verb's, not the sentence's.
    assert resolve_date("Ankara will lower its duties under a deal announced on Monday.", PUBLISHED)[0] == \
        date(2025, 8, 18)
    assert resolve_date("Chile will raise spending, the government said on Wednesday.", PUBLISHED)[0] == \
        date(2025, 8, 20)
    assert resolve_date("The cabinet approved the budget for next year on Tuesday.", PUBLISHED)[0] == \
        date(2025, 8, 19)
    assert resolve_date("The president travels to Nairobi on Friday.", PUBLISHED)[0] == date(2025, 8, 22)
    assert resolve_date("They meet again next Wednesday.", PUBLISHED)[0] == date(2025, 8, 27)
    assert resolve_date("The summit is scheduled to be held on Friday.", PUBLISHED)[0] == date(2025, 8, 22)
    assert resolve_date("Leaders are due to arrive in Tokyo on Friday.", PUBLISHED)[0] == date(2025, 8, 22)
    # Reported speech keeps the future: "said he would meet ... on Friday" is the coming Friday.
    assert resolve_date("Aides said the president would host her at a dinner on Friday.", PUBLISHED)[0] == \
        date(2025, 8, 22)
    assert resolve_date("He said talks would not resume after they broke down on Monday.", PUBLISHED)[0] == \
        date(2025, 8, 18)
    # Not resolvable without a publication date: null, with the phrase kept.
    assert resolve_date("They met on Monday.", None) == (None, "on Monday")
    assert resolve_date("No date at all here.", PUBLISHED) == (None, None)


def test_places_named_after_countries_are_not_countries():
    assert find_countries("Ships crossed the South China Sea and the Taiwan Strait.") == []
    assert find_countries("Seoul and Washington talked; Japanese officials listened.") == ["KOR", "USA", "JPN"]


def test_a_city_name_after_an_honorific_is_a_person():
    from newsevents.extraction.geography import find_cities
    assert find_cities("The prime minister and Lady Victoria Hale greeted the president in Paris.") == ["Paris"]
    assert find_cities("The talks moved from Victoria to Kingston.") == ["Victoria", "Kingston"]


def test_summit_venues_that_are_no_capitals_are_places():
    from newsevents.extraction.geography import city_countries
    s = ["US President Ann Cole met Russian President Ivan Orlov at a military base near Anchorage on Friday."]
    f = extract("summit", s, s, PUBLISHED).specific
    assert (f["host_city"], f["host_country"]) == ("Anchorage", "USA")
    assert city_countries()["Kingston"] == "JAM"  # Jamaica's, not Norfolk Island's


def test_people_keep_titles_particles_and_suffixes():
    people = find_people("Egyptian President Abdel Fattah el-Sisi met Philippine President Ferdinand Marcos Jr. today.")
    assert [p.label for p in people] == ["President Abdel Fattah el-Sisi", "President Ferdinand Marcos Jr."]
    assert [p.country for p in people] == ["EGY", "PHL"]
    # Up to four name words, however many particles lie between them; "President Lula" is the same man.
    people = find_people("Brazilian President Luiz Inacio Lula da Silva hosted Crown Prince Mohammed bin Salman "
                         "Al Saud. Later President Lula said so.")
    assert [p.name for p in people] == ["Luiz Inacio Lula da Silva", "Mohammed bin Salman Al Saud"]
    people = find_people("Indian PM Asha Rao met PM Sir John Hale at his country residence at 3 PM Friday.")
    assert [(p.label, p.country) for p in people] == [("PM Asha Rao", "IND"), ("PM John Hale", None)]
    people = find_people("In 2019 President Ann Cole met Chancellor Max Bauer on March 3 President Cole said.")
    assert [p.label for p in people] == ["President Ann Cole", "Chancellor Max Bauer"]  # a year before a title
    people = find_people("Commission President Ursula von der Leyen met Dutch Prime Minister Dick van der Berg.")
    assert [p.name for p in people] == ["Ursula von der Leyen", "Dick van der Berg"]


def test_summit_fields():
    f = extract("summit", ["Chilean President Ana Rojas met President Donald Trump at the White House on Tuesday.",
                           "The two leaders will meet again next year in Santiago."], [], PUBLISHED)
    assert f.specific["leaders"] == ["President Ana Rojas", "President Donald Trump"]
    assert f.specific["leader_countries"] == ["CHL", "USA"]  # the untitled leader gets the remaining country
    assert (f.specific["host_city"], f.specific["host_country"]) == ("Washington", "USA")
    assert (f.specific["format"], f.specific["status"]) == ("bilateral", "held")
    assert f.event_date == date(2025, 8, 19)


def test_tariff_fields():
    f = extract("tariff", ["Canada said it may impose tariffs of up to 25 percent on steel from China.",
                           "Chinese officials warned of a response."], [], PUBLISHED)
    s = f.specific
    assert (s["imposing_countries"], s["target_countries"]) == (["CAN"], ["CHN"])
    assert (s["action"], s["rate_percent"], s["goods"]) == ("threaten", 25.0, ["steel"])
    deal = extract("tariff", ["Under the deal, the United States cut its tariff on Vietnamese shrimp from 46 percent "
                              "to 20 percent, and Vietnam pledged 5 billion dollars of purchases."], [], PUBLISHED)
    s = deal.specific
    assert (s["imposing_countries"], s["target_countries"], s["action"]) == (["USA"], ["VNM"], "deal")
    assert s["rate_percent"] == 20.0 and s["amounts"][0]["usd"] == 5e9
    # The country that faces or is hit by the duty is its target, even as the sentence's subject.
    for sentence in ["Under an order signed by the United States president, Peru would face a 30 percent tariff.",
                     "Peru is hit by the 30 percent duties on copper imposed by the United States."]:
        s = extract("tariff", [sentence], [sentence], PUBLISHED).specific
        assert (s["imposing_countries"], s["target_countries"]) == (["USA"], ["PER"]), sentence
    s = extract("tariff", ["Under the order, Peru would face a 30 percent tariff."], [], PUBLISHED).specific
    assert (s["imposing_countries"], s["target_countries"]) == ([], ["PER"])  # not Peru levying on itself
    sentence = "Peru would face a 30 percent tariff if it keeps buying oil from Venezuela."
    s = extract("tariff", [sentence], [sentence], PUBLISHED).specific
    assert s["imposing_countries"] == [] and "PER" in s["target_countries"]  # nor the oil's origin


def test_defense_fields():
    f = extract("defense_spending", ["Poland will raise its defence budget to 4.7 percent of GDP, adding "
                                     "20 billion euros for tanks."], [], PUBLISHED)
    s = f.specific
    assert (s["country"], s["amount"], s["currency"], s["gdp_share_percent"]) == ("POL", 20e9, "EUR", 4.7)
    assert s["amount_usd"] > 20e9 and s["cost_sharing"] is False
    troops = extract("defense_spending", ["Seoul agreed to pay more for the upkeep of American troops."], [], PUBLISHED)
    assert troops.specific["country"] == "KOR" and troops.specific["cost_sharing"] is True


def test_the_share_of_gdp_is_the_goal_when_today_s_share_is_stated_too():
    evidence = ["Chile spent about 1.1 percent of its GDP on defence last year.",
                "The minister said Chile should aim for at least 2 percent of GDP by 2030."]
    assert extract("defense_spending", evidence, evidence, PUBLISHED).specific["gdp_share_percent"] == 2.0
    evidence = ["Chile spends about 1.1 percent of GDP on defence, the minister said."]
    assert extract("defense_spending", evidence, evidence, PUBLISHED).specific["gdp_share_percent"] == 1.1
    evidence = ["Chile pledged to raise defence spending to three percent of GDP, up from two per cent."]
    assert extract("defense_spending", evidence, evidence, PUBLISHED).specific["gdp_share_percent"] == 3.0
    evidence = ["Chile plans to raise defence spending from 1.1 percent of GDP to 2.5 percent by 2030."]
    assert extract("defense_spending", evidence, evidence, PUBLISHED).specific["gdp_share_percent"] == 2.5
    from newsevents.extraction.amounts import find_percents
    assert find_percents("thirty-five percent, two point five percent, twenty-five percent, 10-15%") == [25.0, 15.0]


def test_the_defence_figure_is_the_one_stated_for_defence():
    """Not the whole budget it is part of, not a conversion, not the figure the other side demanded."""
    cases = [
        (["The cabinet approved a 117 trillion yen budget that includes 8.7 trillion yen for defence."], 8.7e12, "JPY"),
        (["The 120-trillion-yen ($770 billion) budget sets aside 9 trillion yen for the military."], 9e12, "JPY"),
        (["Seoul will pay 1.1 trillion won ($950 million) a year toward the upkeep of US troops.",
          "Washington had demanded at least 1.2 billion dollars for the troops."], 1.1e12, "KRW"),
        (["Berlin will raise defence spending to 86 billion euros next year, up from 52 billion euros."], 86e9, "EUR"),
        (["The defence budget grows by 3 billion euros to 62 billion euros."], 62e9, "EUR"),
        (["Seoul will pay 1,389 billion won toward the upkeep of US troops next year."], 1.389e12, "KRW"),
    ]
    for evidence, amount, currency in cases:
        s = extract("defense_spending", evidence, evidence, PUBLISHED).specific
        assert (s["amount"], s["currency"]) == (amount, currency), evidence
        assert len(s["amounts"]) >= 1  # every figure stays listed


def _events(event_type, article):
    return [extract(event_type, [article[i] for i in idx], article, PUBLISHED)
            for idx in segment(event_type, article, PUBLISHED)]


def test_summit_leaders_and_date_from_the_sentences_about_the_same_meeting():
    article = ["Chile and Peru will hold talks next week.",
               "President Ana Rojas will travel to Lima on August 27 for a two-day visit.",
               "There she will meet Peruvian President Luis Vega.", "Markets were calm.",
               "Later, President Rojas’s team will fly to Brasilia to meet President Lula."]
    f = _events("summit", article)[0]
    assert [p.label for p in f.people] == ["President Ana Rojas", "President Luis Vega"]  # not the later trip
    assert (f.event_date, f.event_date_text) == (date(2025, 8, 27), "August 27")
    assert f.specific["status"] == "scheduled"


def test_two_countries_spending_are_two_defence_events():
    article = ["Chile will spend 2.4 percent of GDP on defence this year, the most in the region.",
               "Peru has refused to raise its defence spending to three percent of GDP.",
               "Lima says 1.2 percent is enough."]
    rows = [(f.specific["country"], f.specific["gdp_share_percent"]) for f in _events("defense_spending", article)]
    assert rows == [("CHL", 2.4), ("PER", 3.0)]


def test_leaders_named_by_country_alone():
    people = find_people("Germany's Friedrich Merz met President Macron; France's Emmanuel Macron said little. "
                         "China's Commerce Ministry and India's Reliance Industries were not consulted.")
    assert [(p.label, p.country) for p in people] == [("President Macron", "FRA"), ("Friedrich Merz", "DEU")]
    s = ["US President Donald Trump hosted South Korea's Lee Jae Myung at the White House on Monday for a summit."]
    f = extract("summit", s, s, PUBLISHED)
    assert f.specific["leaders"] == ["President Donald Trump", "Lee Jae Myung"]
    assert set(f.specific["leader_countries"]) == {"USA", "KOR"}
    assert f.specific["format"] == "bilateral"


def test_a_three_way_meeting_named_by_two_of_its_leaders_is_trilateral():
    s = ["Japanese Prime Minister Kenji Sato met South Korean President Min-jun Kim in Tokyo on Tuesday on the "
         "sidelines of their trilateral summit."]
    assert extract("summit", s, s, PUBLISHED).specific["format"] == "trilateral"
    s = ["Japanese Prime Minister Kenji Sato met South Korean President Min-jun Kim in Tokyo on Tuesday."]
    assert extract("summit", s, s, PUBLISHED).specific["format"] == "bilateral"
    s = ["Japanese Prime Minister Kenji Sato met South Korean President Min-jun Kim in Tokyo on Tuesday.",
         "The two leaders reaffirmed trilateral cooperation with the United States."]  # no three-way meeting
    assert extract("summit", s, s, PUBLISHED).specific["format"] == "bilateral"


def test_a_bilateral_meeting_stays_bilateral_near_words_of_bigger_gatherings():
    cases = [
        ["Chilean President Ana Rojas welcomed Peruvian President Luis Vega in Santiago on Tuesday, as the leaders "
         "of the two Andean economies signed a port deal."],
        ["Chilean President Ana Rojas met Peruvian President Luis Vega on the sidelines of the G20 in Rome on Tuesday."],
        ["Chilean President Ana Rojas hosted Peruvian President Luis Vega in Santiago on Tuesday.",
         "Both will attend the G20 summit in Rome next week."],
    ]
    for s in cases:
        assert extract("summit", s, s, PUBLISHED).specific["format"] == "bilateral", s
    s = ["Leaders of the G20 met in Rome on Tuesday, hosted by Italian Prime Minister Marco Bassi."]
    assert extract("summit", s, s, PUBLISHED).specific["format"] == "multilateral"
    s = ["NATO leaders will meet in The Hague next week, where President Ann Cole will see Prime Minister Jan Berg."]
    assert extract("summit", s, s, PUBLISHED).specific["format"] == "multilateral"  # the next week is this one


def test_name_trie_matches_like_a_longest_first_alternation():
    """The trie-factored name matcher finds what a flat, longest-first alternation finds, including
    the fallback to a shorter name when what follows the longer one does not fit."""
    import random
    import re

    from newsevents.extraction.geography import alternation

    names = ["Korea", "South Korea", "North Korea", "Niger", "Nigeria", "Guinea", "Guinea-Bissau", "Papua New Guinea",
             "US", "USA", "U.S.", "Congo", "Republic of the Congo", "$", "US$", "C$"]
    flat = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    rng = random.Random(7)
    words = names + ["the", "of", "New", "South", "Republic", "s", "-", "ian"]
    text = " ".join(rng.choice(words) + rng.choice(["", " ", "'s", "-", "ian"]) for _ in range(3000))
    for pre, post, flags in [(r"(?<![\w-])(", r")(?:['’]s)?(?![\w-])", 0), ("(", r")(?!\w)", re.IGNORECASE),
                             ("(", ")", 0)]:
        expected = [(m.span(), m.group(1)) for m in re.finditer(pre + flat + post, text, flags)]
        assert expected  # the text does exercise the matcher
        assert [(m.span(), m.group(1)) for m in re.finditer(pre + alternation(names) + post, text, flags)] == expected
    assert re.fullmatch(alternation(names), "Guinea-Bissau") and not re.fullmatch(alternation(names), "Guine")
