"""Consolidation benchmark: `newsevents consolidate` (its Beam pipeline on the local runner, the
encoder included) on synthetic news with a known truth.

Reports, per 10,000 events: a cold run (empty embedding cache), the same data re-consolidated
from scratch with a warm cache (the non-encoding part), an incremental run after one more day of
news (and how many partitions each reads), a second run with nothing new, and how the
incremental result differs from a full run over the same data; then pairwise story precision /
recall (pairs of events of one type in the same story) and the precision / recall of
syndicated-copy detection. ``--daily`` consolidates the data one publication day at a time and
compares the result with one full run.
``--near-duplicates`` instead compares MinHash LSH with exact all-pairs Jaccard on the articles.

Events are generated, not analyzed: stories (summits and tariff measures) between ~50 countries,
each reported by 1-12 articles over up to three days, written from many sentence patterns with
different leaders, cities, topics, goods and rates; some articles name only one side, miss the
host city or misread the date; a known share of articles are wire copies (an earlier article of
the story with a small edit, another outlet); and some stories repeat the countries of a story a
few days before (the hard case: same pair, another meeting).
"""
from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from collections import Counter
from datetime import date, datetime, timedelta, timezone

import pyarrow as pa
import pyarrow.dataset as ds
from pyarrow import fs as pafs

from newsevents.stories.near_duplicates import ArticleDoc, NearDuplicateConfig, duplicate_groups
from newsevents.output.parquet_files import ParquetWriteConfig, file_name, write_atomically
from newsevents.pipelines.consolidate import consolidate
from newsevents.schemas import DATASETS

# code:adjective:cities (real places; leaders below are invented)
_COUNTRIES = """USA:American:Washington,Chicago,Denver;JPN:Japanese:Tokyo,Osaka,Kyoto;FRA:French:Paris,Lyon,Marseille
DEU:German:Berlin,Munich,Hamburg;BRA:Brazilian:Brasilia,Recife,Salvador;IND:Indian:New Delhi,Mumbai,Chennai
KEN:Kenyan:Nairobi,Mombasa;CAN:Canadian:Ottawa,Toronto,Calgary;MEX:Mexican:Mexico City,Monterrey;KOR:South Korean:Seoul,Busan
AUS:Australian:Canberra,Sydney,Perth;EGY:Egyptian:Cairo,Alexandria;CHN:Chinese:Beijing,Shanghai,Xiamen
GBR:British:London,Edinburgh;ITA:Italian:Rome,Milan,Naples;ESP:Spanish:Madrid,Seville,Valencia;POL:Polish:Warsaw,Krakow
TUR:Turkish:Ankara,Istanbul,Izmir;SAU:Saudi:Riyadh,Jeddah;ZAF:South African:Pretoria,Cape Town,Durban
NGA:Nigerian:Abuja,Lagos;ARG:Argentine:Buenos Aires,Cordoba;CHL:Chilean:Santiago,Valparaiso;PER:Peruvian:Lima,Cusco
COL:Colombian:Bogota,Medellin;IDN:Indonesian:Jakarta,Surabaya,Bali;VNM:Vietnamese:Hanoi,Da Nang;THA:Thai:Bangkok,Chiang Mai
PHL:Philippine:Manila,Cebu;MYS:Malaysian:Kuala Lumpur,Penang;SGP:Singaporean:Singapore;NZL:New Zealand:Wellington,Auckland
NOR:Norwegian:Oslo,Bergen;SWE:Swedish:Stockholm,Gothenburg;FIN:Finnish:Helsinki,Turku;DNK:Danish:Copenhagen,Aarhus
NLD:Dutch:The Hague,Amsterdam,Rotterdam;BEL:Belgian:Brussels,Antwerp;AUT:Austrian:Vienna,Salzburg;CHE:Swiss:Bern,Geneva
PRT:Portuguese:Lisbon,Porto;GRC:Greek:Athens,Thessaloniki;UKR:Ukrainian:Kyiv,Lviv,Odesa;ROU:Romanian:Bucharest,Cluj
HUN:Hungarian:Budapest,Debrecen;CZE:Czech:Prague,Brno;ISR:Israeli:Jerusalem,Tel Aviv;ARE:Emirati:Abu Dhabi,Dubai
QAT:Qatari:Doha;PAK:Pakistani:Islamabad,Karachi;BGD:Bangladeshi:Dhaka,Chittagong;ETH:Ethiopian:Addis Ababa
GHA:Ghanaian:Accra,Kumasi;MAR:Moroccan:Rabat,Marrakesh;DZA:Algerian:Algiers,Oran;KAZ:Kazakh:Astana,Almaty"""
COUNTRIES = [tuple(part.split(":")) for line in _COUNTRIES.splitlines() for part in line.split(";")]
FIRST = ("Ana Luis Mara Jonas Ines Karl Lena Omar Rita Sami Tomas Yuki Hana Ivo Nia Paulo Eva Raj Lia Teo Ada Bruno Cleo "
         "Dario Elin Femi Greta Hugo Ilse Jin").split()
LAST = ("Arvelo Brandt Castell Dorval Ekwueme Falk Garanza Holloway Ibarra Jansen Kovacs Larrain Moreau Nakata Okafor "
        "Prieto Quist Rahman Salonen Tamura Uribe Valdez Wexler Yilmaz Zeller Abernathy Bellamy Corvo Delacroix Esposito "
        "Fontaine Grieve Haddad Iversen Jaramillo Kessler Lindqvist Marchetti Novak Osei Pellegrini Rasmussen Santoro "
        "Takeda Ulrich Varga Whitlock Xavier Yamada Zamora Achterberg Bianchi Cardenas Duarte Engel Ferreira "
        "Gallo Herrera Ishikawa").split()
TITLES = ("President", "Prime Minister", "Chancellor")
TOPICS = ("trade", "security", "energy supplies", "climate finance", "migration", "semiconductors", "fisheries",
          "rail links", "nuclear safety", "food security", "cyber defence", "critical minerals", "shipping lanes",
          "vaccine production", "student exchanges", "water rights", "space cooperation", "debt relief")
OUTCOMES = ("signed a memorandum on {t}", "agreed to set up a working group on {t}", "issued a joint statement on {t}",
            "announced a fund for {t}", "promised closer ties on {t}", "failed to agree on {t}",
            "pledged to meet again before the end of the year", "launched talks on a treaty covering {t}")
GOODS = ("steel", "aluminium", "solar panels", "electric vehicles", "wine", "cheese", "soybeans", "rice", "lumber",
         "textiles", "footwear", "semiconductors", "pharmaceuticals", "beef", "coffee", "cocoa", "copper", "toys",
         "furniture", "bicycles", "fertilizer", "shrimp", "paper", "glass", "cement")
OUTLETS = [f"{a}{b}" for a in ("harbor", "metro", "daily", "coast", "valley", "capital", "global", "morning")
           for b in ("herald", "ledger", "wire", "times", "post", "courier")]


def _leaders(rng: random.Random) -> dict[str, str]:
    surnames = rng.sample(LAST, len(COUNTRIES))
    return {c[0]: f"{rng.choice(TITLES)} {rng.choice(FIRST)} {s}" for c, s in zip(COUNTRIES, surnames)}


def _quote(rng: random.Random) -> str:
    """A sentence of the outlet's own reporting, different in every article."""
    said = rng.choice(["an adviser", "a senior diplomat", "an opposition lawmaker", "a trade economist",
                       "a spokesperson", "an industry group", "a former ambassador", "a local mayor"])
    view = rng.choice(["a step forward", "long overdue", "mostly symbolic", "a risk for exporters", "a surprise",
                       "good news for workers", "unlikely to last", "the result of months of work"])
    return rng.choice([f'"This is {view}," {said} told reporters.', f"The outcome was {view}, according to {said}.",
                       f"Speaking on condition of anonymity, {said} called it {view}.",
                       f"{said.capitalize()} described the result as {view} in a {rng.randint(2, 40)}-minute "
                       f"interview."])


def _summit_text(rng: random.Random, f: dict) -> tuple[str, str, list[str], list[str]]:
    """(title, text, participants named, countries named) of one article about a summit."""
    (a, adj_a, _), (b, adj_b, _) = f["a"], f["b"]
    la, lb = f["leaders"][a], f["leaders"][b]
    both = rng.random() > 0.15
    when = rng.choice(["on Monday", "on Tuesday", "this week", "on Thursday", f"on {f['day']:%B %d}", "today"])
    lead = rng.choice([
        f"{adj_a} {la} met {adj_b} {lb} in {f['city']} {when} for talks on {f['topic']}.",
        f"{la} hosted {lb} in {f['city']} {when}, with {f['topic']} high on the agenda.",
        f"Leaders of the two countries held a summit in {f['city']} {when} focused on {f['topic']}.",
        f"{lb} travelled to {f['city']} {when} to meet {la}; {f['topic']} dominated the meeting.",
        f"The {adj_a} and {adj_b} leaders sat down in {f['city']} {when} to discuss {f['topic']}.",
    ] if both else [f"{adj_a} {la} held talks in {f['city']} {when} on {f['topic']} with a visiting delegation."])
    detail = rng.choice([f"The two sides {f['outcome']}.", f"Officials said the leaders {f['outcome']}.",
                         f"According to a statement, the governments {f['outcome']}.",
                         f"Aides described the talks as {rng.choice(['frank', 'warm', 'difficult', 'productive'])}."])
    extra = rng.choice([
        f"Trade between the two countries reached {rng.randint(2, 900)} billion dollars last year.",
        f"It was their {rng.choice(['first', 'second', 'third', 'fourth'])} meeting since {rng.randint(2015, 2024)}.",
        f"Protesters gathered near the venue, police said, and {rng.randint(3, 400)} were detained.",
        f"Business leaders from {rng.randint(5, 60)} companies joined part of the program.",
        ""])
    quote = _quote(rng)
    title = rng.choice([f"{la.split()[-1]} and {lb.split()[-1]} meet in {f['city']}", f"Summit in {f['city']}",
                        f"{adj_a}-{adj_b} talks on {f['topic']}", f"{lb.split()[-1]} visits {f['city']}"])
    people = [la, lb] if both else [la]
    parts = [lead, detail, quote, extra] if rng.random() < 0.5 else [lead, quote, detail, extra]
    return title, " ".join(s for s in parts if s), people, [a, b] if both else [a]


def _tariff_text(rng: random.Random, f: dict) -> tuple[str, str, list[str], list[str]]:
    (a, adj_a, _), (b, adj_b, _) = f["a"], f["b"]
    la = f["leaders"][a]
    verb = {"impose": "imposed", "raise": "raised", "cut": "cut"}[f["action"]]
    lead = rng.choice([
        f"The {adj_a} government {verb} tariffs on {adj_b} {f['goods']} to {f['rate']} percent.",
        f"{la} said duties on {f['goods']} from {adj_b} suppliers would be {verb} to {f['rate']} percent.",
        f"{adj_a} officials {verb} import duties on {adj_b} {f['goods']}, setting the rate at {f['rate']} percent.",
        f"Importers of {adj_b} {f['goods']} face a {f['rate']} percent tariff after the {adj_a} government acted.",
    ])
    detail = rng.choice([f"The measure takes effect in {rng.randint(2, 60)} days.",
                         f"{adj_b} ministers called the step unjustified and promised a response.",
                         f"The move covers goods worth {rng.randint(1, 90)} billion dollars a year.",
                         f"Analysts expect prices of {f['goods']} to rise by {rng.randint(1, 15)} percent."])
    title = rng.choice([f"{adj_a} tariff on {f['goods']}", f"{f['rate']}% duty on {adj_b} {f['goods']}",
                        f"Tariffs: {f['goods']} hit"])
    return title, f"{lead} {_quote(rng)} {detail}", [la] if "said" in lead else [], [a, b]


def synthetic(n_events: int, days: int, seed: int = 7, copy_share: float = 0.15, start: date = date(2025, 3, 1)):
    """(articles, events, truth): truth maps event_id -> story label and article_id -> first copy."""
    rng = random.Random(seed)
    leaders = _leaders(rng)
    articles, events, story_of, copy_of = [], [], {}, {}
    recent: list[dict] = []
    n_story = 0
    while len(events) < n_events:
        n_story += 1
        kind = "tariff" if rng.random() < 0.35 else "summit"
        day = start + timedelta(days=rng.randrange(days))
        a, b = rng.sample(COUNTRIES, 2)
        same = [s for s in recent[-200:] if s["kind"] == kind]
        if same and rng.random() < 0.1:  # the same two countries again, a few days apart: another story
            prev = rng.choice(same)
            a, b, day = prev["a"], prev["b"], prev["day"] + timedelta(days=rng.choice([-3, -2, 2, 3]))
            # as in the news, another meeting takes place elsewhere, another measure hits other goods
            cities = [c for x in (a, b) for c in x[2].split(",") if c != prev["city"]] or [prev["city"]]
            goods = [g for g in GOODS if g != prev["goods"]]
        else:
            host = rng.choice([a, b])
            cities, goods = host[2].split(","), GOODS
        facts = {"kind": kind, "a": a, "b": b, "day": day, "leaders": leaders, "city": rng.choice(cities),
                 "topic": rng.choice(TOPICS), "goods": rng.choice(goods), "rate": rng.choice([5, 10, 15, 20, 25, 50]),
                 "action": rng.choice(["impose", "raise", "cut"])}
        facts["outcome"] = rng.choice(OUTCOMES).format(t=facts["topic"])
        recent.append(facts)
        originals = []
        for k in range(min(12, 1 + int(rng.expovariate(1 / 3)))):
            aid = f"a{len(articles) + 1}"
            published = datetime.combine(day, datetime.min.time(), timezone.utc) + timedelta(
                hours=rng.uniform(2, 60))
            if originals and rng.random() < copy_share:  # wire copy: an earlier article, lightly edited
                orig = rng.choice(originals)
                title, people, codes = orig["title"], orig["participants"], orig["country_codes"]
                words = orig["text"].split(" ")
                words.insert(rng.randrange(1, len(words)), rng.choice(["also", "now", "reportedly", "again"]))
                text = " ".join(words) + rng.choice(["", " (Wire)", " Reporting by staff."])
                copy_of[aid] = orig["article_id"]
                published = max(published, orig["published_at"] + timedelta(minutes=rng.randint(5, 600)))
            else:
                title, text, people, codes = (_summit_text if kind == "summit" else _tariff_text)(rng, facts)
            misread = rng.random()
            event_date = day if misread < 0.85 else None if misread < 0.95 else day + timedelta(days=1)
            row = {"event_id": f"e{len(events) + 1}", "article_id": aid, "event_type": kind, "summary": text,
                   "evidence": text.split(". "), "title": title, "country_codes": codes, "participants": people,
                   "event_date": event_date, "published_at": published, "source": rng.choice(OUTLETS),
                   "processed_at": published, "pipeline_version": "bench", "dt": published.date().isoformat(),
                   "locations": [facts["city"]] if rng.random() < 0.8 else []}
            if kind == "summit":
                row.update(host_city=row["locations"][0] if row["locations"] else None, leaders=people,
                           leader_countries=codes, status="held")
            else:
                row.update(imposing_countries=[a[0]], target_countries=[b[0]], action=facts["action"],
                           rate_percent=float(facts["rate"]), goods=[facts["goods"]])
            if aid not in copy_of:
                originals.append({**row, "text": text})
            articles.append({"article_id": aid, "version_id": f"v{aid}", "summary": text, "published_at": published,
                             "processed_at": published, "pipeline_version": "bench", "title": title, "dt": row["dt"]})
            events.append(row)
            story_of[row["event_id"]] = f"s{n_story}"
    return articles, events[:n_events], {"story": story_of, "copy_of": copy_of}


def write(root: str, dataset: str, rows: list[dict]) -> None:
    fs, key = pafs.LocalFileSystem(), "version_id" if dataset == "articles" else "event_id"
    names = set(DATASETS[dataset].names)
    by_dt: dict[str, list[dict]] = {}
    for r in rows:
        by_dt.setdefault(r["dt"], []).append({k: v for k, v in r.items() if k in names})
    for dt, part in by_dt.items():
        table = pa.Table.from_pylist(part, schema=DATASETS[dataset])
        write_atomically(fs, f"{root}/{dataset}/dt={dt}", file_name(r[key] for r in part), table, ParquetWriteConfig())


def write_all(root: str, articles: list[dict], events: list[dict]) -> None:
    write(root, "articles", articles)
    for kind in ("summit", "tariff"):
        write(root, f"events/{kind}", [e for e in events if e["event_type"] == kind])


def pair_scores(truth: dict[str, str], predicted: dict[str, str | None]) -> tuple[float, float, int]:
    """Pairwise precision, recall and the number of true same-story pairs (events of one story)."""
    def pairs(counter: Counter) -> int:
        return sum(n * (n - 1) // 2 for n in counter.values())
    ids = [e for e in truth if predicted.get(e)]
    both = pairs(Counter((truth[e], predicted[e]) for e in ids))
    found, true = pairs(Counter(predicted[e] for e in ids)), pairs(Counter(truth[e] for e in truth))
    return both / max(found, 1), both / max(true, 1), true


def read_results(root: str) -> tuple[dict, dict]:
    events = {}
    for kind in ("summit", "tariff"):
        table = ds.dataset(f"{root}/events/{kind}", format="parquet", partitioning="hive").to_table(
            columns=["event_id", "story_id"])
        events.update(zip(table.column("event_id").to_pylist(), table.column("story_id").to_pylist()))
    arts = ds.dataset(f"{root}/articles", format="parquet", partitioning="hive").to_table(
        columns=["article_id", "duplicate_of"]).to_pylist()
    return events, {a["article_id"]: a["duplicate_of"] for a in arts if a["duplicate_of"]}


def copy_scores(truth: dict[str, str], found: dict[str, str]) -> tuple[float, float]:
    right = sum(found.get(a) == b for a, b in truth.items())
    return right / max(len(found), 1), right / max(len(truth), 1)


def full_run_agreement(root: str) -> tuple[object, int, float, float]:
    """A full consolidation of ``root``'s articles and events in a fresh directory (embeddings from
    its cache): (its result, events whose story differs, pairwise precision and recall of
    ``root``'s stories against the full run's)."""
    full = tempfile.mkdtemp(prefix="bench-consolidate-full-")
    try:
        for sub in ("articles", "events", "_consolidation/embeddings"):
            shutil.copytree(f"{root}/{sub}", f"{full}/{sub}")
        result = consolidate(full)
        mine, theirs = read_results(root)[0], read_results(full)[0]
    finally:
        shutil.rmtree(full, ignore_errors=True)
    p, r, _ = pair_scores(theirs, mine)
    return result, sum(mine[e] != theirs.get(e) for e in mine), p, r


def with_events(articles: list[dict], events: list[dict]) -> list[dict]:
    """The articles of the events (``synthetic`` cuts the last story short at n_events)."""
    ids = {e["article_id"] for e in events}
    return [a for a in articles if a["article_id"] in ids]


def run_consolidation(n_events: int, days: int) -> None:
    articles, events, truth = synthetic(n_events, days + 1)
    articles = with_events(articles, events)
    # The last day's news (about 1/days of the events) arrives later: the incremental run.
    last_day = sorted(e["dt"] for e in events)[len(events) * days // (days + 1)]
    early = [e for e in events if e["dt"] < last_day]
    early_articles = {e["article_id"] for e in early}
    root = tempfile.mkdtemp(prefix="bench-consolidate-")
    try:
        write_all(root, [a for a in articles if a["article_id"] in early_articles], early)
        t = time.perf_counter()
        cold = consolidate(root)
        cold_s = time.perf_counter() - t
        # The same data from scratch with a warm embedding cache: the part that is not encoding.
        shutil.rmtree(f"{root}/stories")
        (pafs.LocalFileSystem()).delete_file(f"{root}/_consolidation/state.json")
        warm = consolidate(root)
        shutil.copytree(root, f"{root}-before")
        new_day = ([a for a in articles if a["article_id"] not in early_articles],
                   [e for e in events if e["dt"] >= last_day])
        write_all(root, *new_day)
        incremental = consolidate(root)
        nothing = consolidate(root)
        # The same step again with the new day's embeddings cached: what is not encoding.
        shutil.rmtree(f"{root}-before/_consolidation/embeddings")
        shutil.copytree(f"{root}/_consolidation/embeddings", f"{root}-before/_consolidation/embeddings")
        write_all(f"{root}-before", *new_day)
        cached_step = consolidate(f"{root}-before")
        predicted, copies = read_results(root)
        full, differ, fp, fr = full_run_agreement(root)
    finally:
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(f"{root}-before", ignore_errors=True)
    per = 10_000 / len(early)
    p, r, support = pair_scores(truth["story"], predicted)
    cp, cr = copy_scores(truth["copy_of"], copies)
    print(f"{len(events)} events ({len(early)} before the last day), {len(articles)} articles, "
          f"{len(set(truth['story'].values()))} stories over {days + 1} days, {len(truth['copy_of'])} wire copies")
    print(f"cold: {cold_s:.1f} s ({cold_s * per:.1f} s per 10,000 events; {cold.encoded_events} encoded)")
    print(f"warm cache, from scratch: {warm.seconds:.1f} s ({warm.seconds * per:.1f} s per 10,000 events; "
          f"{warm.encoded_events} encoded; {warm.reloaded_partitions} partitions read)")
    print(f"incremental (one more day, {len(events) - len(early)} events): {incremental.seconds:.1f} s, "
          f"{incremental.encoded_events} encoded, {incremental.reloaded_partitions} partitions read whole and "
          f"{incremental.outside_partitions} for the overlapping stories' events, of {full.reloaded_partitions}; "
          f"the same step with its embeddings cached: {cached_step.seconds:.1f} s; nothing new: {nothing.seconds:.2f} s")
    print(f"a full run over all the data (embeddings cached): {full.seconds:.1f} s; {differ} events in another story than after the "
          f"incremental run (pairwise precision {fp:.4f} recall {fr:.4f} against it)")
    print(f"stories: pairwise precision {p:.3f} recall {r:.3f} ({support} same-story pairs); "
          f"copies: precision {cp:.3f} recall {cr:.3f}")


def run_daily(n_events: int, days: int) -> None:
    """The data consolidated day by day (one run per publication day), then compared with one
    full run over all of it."""
    articles, events, truth = synthetic(n_events, days)
    articles = with_events(articles, events)
    dts = sorted({e["dt"] for e in events})
    root = tempfile.mkdtemp(prefix="bench-consolidate-daily-")
    try:
        runs = []
        for dt in dts:
            write_all(root, [a for a in articles if a["dt"] == dt], [e for e in events if e["dt"] == dt])
            runs.append(consolidate(root))
        predicted = read_results(root)[0]
        full, differ, fp, fr = full_run_agreement(root)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    p, r, _ = pair_scores(truth["story"], predicted)
    print(f"{len(events)} events over {len(dts)} publication days, one run a day: "
          f"{sum(x.seconds for x in runs):.1f} s in all, at most {max(x.reloaded_partitions for x in runs)} partitions "
          f"read whole and {max(x.outside_partitions for x in runs)} for overlapping stories (a full run: "
          f"{full.reloaded_partitions})")
    print(f"against one full run: {differ} events in another story; pairwise precision {fp:.4f} recall {fr:.4f}; "
          f"against the truth: daily {p:.3f} / {r:.3f}")


def run_near_duplicates(n_events: int, days: int) -> None:
    articles, events, truth = synthetic(n_events, days)
    evidence = {e["article_id"]: e["evidence"] for e in events}
    docs = [ArticleDoc(a["article_id"], a["published_at"], sorted({a["summary"], *evidence[a["article_id"]]}))
            for a in articles if a["article_id"] in evidence]
    found = {}
    for method in ("minhash", "exact"):
        t = time.perf_counter()
        found[method] = duplicate_groups(docs, NearDuplicateConfig(method=method))
        print(f"{len(docs)} articles, {method}: {time.perf_counter() - t:.1f} s, {len(found[method])} copies")
    agree = sum(found["minhash"].get(a) == b for a, b in found["exact"].items())
    print(f"minhash finds {agree} of exact's {len(found['exact'])} copies, {len(found['minhash']) - agree} others; "
          f"truth {len(truth['copy_of'])} copies, exact precision/recall "
          + "{:.3f}/{:.3f}".format(*copy_scores(truth["copy_of"], found["exact"])))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--near-duplicates", action="store_true", help="compare MinHash LSH with exact Jaccard")
    parser.add_argument("--daily", action="store_true", help="one incremental run a day against one full run")
    args = parser.parse_args()
    run_ = run_near_duplicates if args.near_duplicates else run_daily if args.daily else run_consolidation
    run_(args.events, args.days)


if __name__ == "__main__":
    main()
