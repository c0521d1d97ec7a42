"""Leaders named by title and name without a nationality get their country from the actor knowledge base,
for the day of the event (else of the article)."""
from datetime import date, datetime, timezone

from newsevents.extraction.extract import extract
from newsevents.extraction.people import Person, add_known_countries, known_leaders


def _summit(text: str, published: datetime):
    sentences = [text]
    return extract("summit", sentences, sentences, published).specific


def test_leaders_without_a_nationality_word_get_their_country():
    fields = _summit("President Erdogan received President Aliyev in Ankara on Monday.",
                     datetime(2024, 5, 6, tzinfo=timezone.utc))
    assert set(fields["leader_countries"]) == {"TUR", "AZE"}
    fields = _summit("Prime Minister Anthony Albanese held talks with President Joe Biden at the White House.",
                     datetime(2023, 10, 25, tzinfo=timezone.utc))
    assert set(fields["leader_countries"]) == {"AUS", "USA"}


def test_the_event_day_decides_who_held_the_office():
    # In March 2022 Trump held no office: "President Trump" gets no country from the knowledge base.
    people = [Person("President", "Trump", None), Person("President", "Biden", None)]
    add_known_countries(people, datetime(2022, 3, 1).date())
    assert [p.country for p in people] == [None, "USA"]
    people = [Person("President", "Trump", None)]
    add_known_countries(people, datetime(2018, 3, 1).date())
    assert people[0].country == "USA"


def test_an_ambiguous_surname_or_a_stated_country_is_left_alone():
    people = [Person("Prime Minister", "Orban", None), Person("President", "Lee", "SGP"),
              Person("Foreign Minister", "Wang Yi", None)]
    add_known_countries(people, datetime(2020, 6, 1).date())
    assert [p.country for p in people] == [None, "SGP", None]  # two PMs Orban; the text's word wins; not a head
    add_known_countries(people, None)  # no date: nothing to go by
    assert people[0].country is None


def test_heads_named_without_a_known_title_or_without_a_name_are_found():
    day = datetime(2025, 12, 1, tzinfo=timezone.utc)
    fields = _summit("Chinese leader Xi Jinping met Russian President Vladimir Putin in Moscow.", day)
    assert set(fields["leader_countries"]) == {"CHN", "RUS"}
    fields = _summit("The Indian prime minister met the Japanese prime minister in Tokyo on Friday.", day)
    assert set(fields["leader_countries"]) == {"IND", "JPN"}
    assert fields["format"] == "bilateral"


def test_a_former_head_named_in_full_is_no_leader_of_the_day():
    fields = _summit("Joe Biden met Chancellor Friedrich Merz in Berlin on Tuesday.",
                     datetime(2025, 10, 7, tzinfo=timezone.utc))
    assert fields["leader_countries"] == ["DEU"]
    assert known_leaders("A former US president met the next Japanese prime minister.", date(2025, 10, 7)) == []
    assert [p.country for p in known_leaders("The US president met him.", date(2025, 10, 7))] == ["USA"]
