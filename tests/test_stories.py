"""Stories and syndicated copies through the real stack: the pipeline writes the datasets, the
`newsevents consolidate` command runs its Beam pipeline over them, pyarrow reads them back."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsevents import EVENT_TYPES
from newsevents.evaluation.corpus import corpus_path, read_jsonl
from newsevents.pipelines.cli import main
from helpers import read, run_jsonl


@pytest.fixture(scope="module")
def stories_corpus() -> dict[str, dict]:
    return {r["id"]: r for r in read_jsonl(corpus_path("stories"))}


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def _consolidate(out: Path, capsys) -> str:
    assert main(["consolidate", str(out)]) == 0
    return capsys.readouterr().out


def _snapshot(out: Path) -> dict[str, int]:
    """Every data file of articles, events and stories with its modification time."""
    return {str(p.relative_to(out)): p.stat().st_mtime_ns for d in ("articles", "events", "stories")
            for p in (out / d).rglob("*.parquet")}


def _stories(out: Path, event_type: str) -> list[dict]:
    return sorted(read(out, f"stories/{event_type}").to_pylist(), key=lambda s: s["story_id"])


def _assignments(out: Path) -> dict:
    return {e["event_id"]: (e["story_id"], e["duplicate_of"]) for t in EVENT_TYPES
            for e in read(out, f"events/{t}").to_pylist()}


@pytest.mark.slow
def test_three_outlets_on_one_summit_and_another_summit_the_same_day(stories_corpus, tmp_path, capsys):
    rows = [stories_corpus[i] for i in ("st-jp-1", "st-jp-2", "st-jp-3", "st-fr-2")]
    out = tmp_path / "out"
    run_jsonl(_write(tmp_path / "in.jsonl", rows), out)
    assert "stories: summit=2" in _consolidate(out, capsys)
    events = read(out, "events/summit").to_pylist()
    assert len(events) == 4 and all(e["story_id"] for e in events)
    by_article = {e["article_id"]: e["story_id"] for e in events}
    assert by_article["st-jp-1"] == by_article["st-jp-2"] == by_article["st-jp-3"] != by_article["st-fr-2"]
    stories = {s["story_id"]: s for s in _stories(out, "summit")}
    tokyo, berlin = stories[by_article["st-jp-1"]], stories[by_article["st-fr-2"]]
    assert (tokyo["num_articles"], tokyo["num_sources"], tokyo["num_mentions"]) == (3, 3, 3)
    assert tokyo["article_ids"] == ["st-jp-1", "st-jp-2", "st-jp-3"] and "JPN" in tokyo["countries"]
    assert (berlin["num_articles"], berlin["num_sources"], berlin["num_mentions"]) == (1, 1, 1)
    assert sorted(berlin["countries"]) == ["DEU", "FRA"]
    assert sorted(e for s in stories.values() for e in s["event_ids"]) == sorted(e["event_id"] for e in events)
    # Nothing new: the second run reads nothing and writes nothing.
    before = _snapshot(out)
    assert "nothing new" in _consolidate(out, capsys)
    assert _snapshot(out) == before


@pytest.mark.slow
def test_wire_copy_under_four_urls_is_one_article_and_three_duplicates(stories_corpus, tmp_path, capsys):
    copies = [stories_corpus[f"st-steel-{i}"] for i in range(1, 5)]
    out, replay = tmp_path / "out", tmp_path / "replay"
    run_jsonl(_write(tmp_path / "in.jsonl", copies), out)
    _consolidate(out, capsys)
    articles = {a["article_id"]: a["duplicate_of"] for a in read(out, "articles").to_pylist()}
    assert articles == {"st-steel-1": None, "st-steel-2": "st-steel-1", "st-steel-3": "st-steel-1",
                        "st-steel-4": "st-steel-1"}
    tariffs = read(out, "events/tariff").to_pylist()
    assert {e["article_id"]: e["duplicate_of"] for e in tariffs} == articles
    # Each copy reports two measures, the US duties and Canada's response: two stories, each told
    # by one article (the copies count as their first) in four mentions from four sources.
    stories = _stories(out, "tariff")
    assert [(s["num_articles"], s["num_mentions"], s["num_sources"]) for s in stories] == [(1, 4, 4)] * 2
    assert {tuple(sorted({e["actor1_country"] for e in tariffs if e["event_id"] in s["event_ids"]}))
            for s in stories} == {("USA",), ("CAN",)}
    # A replay that reads the copies in the other order decides the same copies and stories.
    run_jsonl(_write(tmp_path / "reversed.jsonl", copies[::-1]), replay)
    _consolidate(replay, capsys)
    assert {a["article_id"]: a["duplicate_of"] for a in read(replay, "articles").to_pylist()} == articles
    assert _assignments(replay) == _assignments(out)
    assert _stories(replay, "tariff") == stories


@pytest.mark.slow
def test_a_story_growing_over_three_days_keeps_its_id_and_replay_changes_nothing(stories_corpus, tmp_path, capsys):
    days = [stories_corpus[f"st-br-{i}"] for i in range(1, 4)]
    out = tmp_path / "out"
    ids = []
    for n, row in enumerate(days, start=1):
        run_jsonl(_write(tmp_path / f"day{n}.jsonl", [row]), out)
        _consolidate(out, capsys)
        [story] = _stories(out, "summit")
        assert story["num_articles"] == n and len(story["event_ids"]) == n
        assert all(e["story_id"] == story["story_id"] for e in read(out, "events/summit").to_pylist())
        ids.append(story["story_id"])
    assert len(set(ids)) == 1, ids
    assert story["place"] == "Brasilia" and story["first_seen"] < story["last_seen"]
    # Replaying every day's input adds nothing, and re-consolidating changes nothing.
    before = _snapshot(out)
    run_jsonl(_write(tmp_path / "all.jsonl", days), out)
    assert "nothing new" in _consolidate(out, capsys)
    assert _snapshot(out) == before


def test_consolidate_without_an_output_is_one_line_and_exit_2(tmp_path, capsys):
    assert main(["consolidate", str(tmp_path / "missing")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("newsevents consolidate: error: no output directory")


@pytest.mark.slow
def test_show_and_plot_list_the_top_stories(stories_corpus, tmp_path, capsys):
    out = tmp_path / "out"
    run_jsonl(_write(tmp_path / "in.jsonl", [stories_corpus[i] for i in ("st-pl-1", "st-pl-2", "st-jpdef-1")]), out)
    _consolidate(out, capsys)
    assert main(["show", str(out)]) == 0
    text = capsys.readouterr().out
    assert "top defense_spending stories (2 of 2)" in text, text
    assert main(["plot", str(out), "--stories", "--out", str(tmp_path / "s.png")]) == 0
    assert (tmp_path / "s.png").stat().st_size > 0
    import duckdb  # the query over stories of docs/stories.md
    rows = duckdb.sql(f"""SELECT num_articles, num_sources FROM read_parquet('{out}/stories/*/*/*.parquet',
                          hive_partitioning = true, union_by_name = true) ORDER BY num_articles DESC""").fetchall()
    assert rows == [(2, 2), (1, 1)]


def test_story_evaluation_scores_same_story_pairs():
    from newsevents.models.classifier import ClassifierHead
    from newsevents.models.encoder import EncoderConfig, SentenceEncoder
    from newsevents.evaluation.stories import story_report
    rows = read_jsonl(corpus_path("stories"))
    report = story_report(ClassifierHead.load(None), SentenceEncoder(EncoderConfig()), rows)
    assert report["articles"] == len(rows) and report["support"] > 0
    assert report["precision"] >= 0.9 and report["recall"] >= 0.9, report
    # Every event in one story: recall 1, and precision falls with the pairs of different stories.
    merged = story_report(ClassifierHead.load(None), SentenceEncoder(EncoderConfig()),
                          [{**r, "story": r["story"] if r["id"].startswith("st-jp") else "other"} for r in rows])
    assert merged["support"] > report["support"]
    # An article's two tariff measures are two annotated stories: one label for the whole article
    # makes the US duties and Canada's answer "same-story", which stories keep apart.
    one_label = story_report(ClassifierHead.load(None), SentenceEncoder(EncoderConfig()),
                             [{k: v for k, v in r.items() if k != "event_stories"} for r in rows])
    assert one_label["recall"] < report["recall"]


def _summit_row(event_id: str, title: str, summary: str, countries: list[str], participants: list[str],
                host_city: str | None, format: str = "bilateral") -> dict:
    from datetime import date, datetime, timezone
    return {"event_id": event_id, "article_id": f"a-{event_id}", "event_type": "summit", "source": f"outlet-{event_id}",
            "published_at": datetime(2025, 6, 2, 8, tzinfo=timezone.utc), "event_date": date(2025, 6, 2),
            "title": title, "summary": summary, "country_codes": countries, "participants": participants,
            "host_city": host_city, "format": format, "dt": "2025-06-02", "an_extra_column": [1, 2]}


def test_a_chain_of_links_between_two_meetings_does_not_make_one_story():
    """A (Tokyo: Japan and France) ~ B (a roundup naming Martin and Costa) ~ C (Nairobi: Brazil and
    Kenya): B is linked to both, A and C are about different meetings and must stay apart."""
    from newsevents.models.encoder import EncoderConfig, SentenceEncoder
    from newsevents.stories.linking import StoryConfig, build_stories, event_from_row, link_pairs
    rows = [
        _summit_row("a", "Sato and Martin meet in Tokyo", "Japanese Prime Minister Kenji Sato met French President "
                    "Claire Martin in Tokyo for a summit on trade.", ["JPN", "FRA"],
                    ["Prime Minister Kenji Sato", "President Claire Martin"], "Tokyo"),
        _summit_row("b", "Martin and Costa hold summit talks", "French President Claire Martin met Brazilian President "
                    "Lucas Costa for summit talks on trade.", ["FRA", "BRA"],
                    ["President Claire Martin", "President Lucas Costa"], None),
        _summit_row("c", "Costa and Otieno meet in Nairobi", "Brazilian President Lucas Costa met Kenyan President "
                    "David Otieno in Nairobi for a summit on trade.", ["BRA", "KEN"],
                    ["President Lucas Costa", "President David Otieno"], "Nairobi"),
    ]
    encoder = SentenceEncoder(EncoderConfig())
    events = [event_from_row(r) for r in rows]
    embeddings = encoder.encode([e.text for e in events])
    # Three meetings of two different countries each: by default no two of them link at all.
    assert not [p for p in link_pairs(events, embeddings, StoryConfig()).tolist() if p[0] != p[1]]
    # Without that rule, the chain is there and average linkage alone has to keep A and C apart.
    config = StoryConfig(distinct_pairs=False)
    linked = {tuple(sorted(p)) for p in link_pairs(events, embeddings, config).tolist() if p[0] != p[1]}
    assert linked == {(0, 1), (1, 2)}, linked  # the chain exists: single linkage would make one story
    assignment, stories = build_stories("summit", events, encoder.encode, config)
    assert assignment["a"] != assignment["c"] and len(stories) >= 2
    assert sorted(e for s in stories for e in s["event_ids"]) == ["a", "b", "c"]
    # Decided from the events, not their order.
    for order in ([2, 1, 0], [1, 2, 0]):
        assert build_stories("summit", [events[i] for i in order], encoder.encode, config)[0] == assignment
    # The same links clustered as connected components would have chained all three.
    single = build_stories("summit", events, encoder.encode, StoryConfig(min_story_similarity=0.0,
                                                                         distinct_pairs=False))[0]
    assert len(set(single.values())) == 1


def test_a_host_meeting_two_visitors_in_one_week_makes_two_stories():
    """Sato hosts Martin, then Kim, in Tokyo: the same host, city, topic and day, two meetings."""
    from newsevents.models.encoder import EncoderConfig, SentenceEncoder
    from newsevents.stories.linking import StoryConfig, build_stories, event_from_row
    rows = [
        _summit_row("fr1", "Sato and Martin meet in Tokyo", "Japanese Prime Minister Kenji Sato met French President "
                    "Claire Martin in Tokyo for talks on trade.", ["JPN", "FRA"],
                    ["Prime Minister Kenji Sato", "President Claire Martin"], "Tokyo"),
        _summit_row("fr2", "Tokyo summit on trade", "Sato hosted French President Claire Martin in Tokyo; trade "
                    "dominated the meeting.", ["JPN", "FRA"], ["Prime Minister Kenji Sato", "President Claire Martin"],
                    "Tokyo"),
        _summit_row("kr1", "Sato and Kim meet in Tokyo", "Japanese Prime Minister Kenji Sato met South Korean "
                    "President Min-jun Kim in Tokyo for talks on trade.", ["JPN", "KOR"],
                    ["Prime Minister Kenji Sato", "President Min-jun Kim"], "Tokyo"),
    ]
    encoder = SentenceEncoder(EncoderConfig())
    events = [event_from_row(r) for r in rows]
    story = build_stories("summit", events, encoder.encode)[0]
    assert story["fr1"] == story["fr2"] != story["kr1"], story
    # Without the rule the shared host, city and topic put the two meetings in one story.
    merged = build_stories("summit", events, encoder.encode, StoryConfig(distinct_pairs=False))[0]
    assert len(set(merged.values())) == 1, merged


def test_two_reports_of_one_trilateral_summit_naming_different_pairs_make_one_story():
    """Each outlet covers its own leader's side of a three-way meeting in Tokyo and names two of the
    three countries: one meeting, one story (the distinct-pairs rule is for bilateral meetings)."""
    from newsevents.models.encoder import EncoderConfig, SentenceEncoder
    from newsevents.stories.linking import build_stories, event_from_row
    rows = [
        _summit_row("kr", "Kim joins Sato for trilateral summit in Tokyo", "South Korean President Min-jun Kim met "
                    "Japanese Prime Minister Kenji Sato in Tokyo at a trilateral summit on supply chains.",
                    ["KOR", "JPN"], ["President Min-jun Kim", "Prime Minister Kenji Sato"], "Tokyo", "trilateral"),
        _summit_row("us", "Sato hosts trilateral summit in Tokyo", "Japanese Prime Minister Kenji Sato met US "
                    "President Mary Carter in Tokyo at a trilateral summit on supply chains.",
                    ["JPN", "USA"], ["Prime Minister Kenji Sato", "President Mary Carter"], "Tokyo", "trilateral"),
    ]
    encoder = SentenceEncoder(EncoderConfig())
    story = build_stories("summit", [event_from_row(r) for r in rows], encoder.encode)[0]
    assert story["kr"] == story["us"], story
    # The same two reports of two bilateral meetings stay apart.
    bilateral = [event_from_row({**r, "format": "bilateral"}) for r in rows]
    story = build_stories("summit", bilateral, encoder.encode)[0]
    assert story["kr"] != story["us"], story


def _benchmark():
    """The consolidation benchmark's generator of news with a known truth (benchmarks/ is no package)."""
    import importlib.util
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "consolidation.py"
    spec = importlib.util.spec_from_file_location("consolidation_benchmark", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_READS: list[tuple[str, str]] = []
_READ_PARTITION = None


def _recording_read_partition(fs, base, dataset, dt, columns=None, paths=None):
    """consolidate's partition reads, recorded (the local runner runs the pipeline in this process)."""
    _READS.append((dataset, dt))
    return _READ_PARTITION(fs, base, dataset, dt, columns, paths=paths)


def _events_by_id(root: str) -> dict[str, dict]:
    return {e["event_id"]: e for t in ("summit", "tariff") for e in read(root, f"events/{t}").to_pylist()}


@pytest.mark.slow
def test_an_incremental_run_reads_the_window_and_the_overlapping_stories_only(tmp_path, monkeypatch):
    """A store of four weeks consolidated day by day: the last day's run reads the window's
    partitions whole and, outside it, only the partitions of the stories its events could join
    (for their own events); every other event keeps its story and file; and the result is the one
    a full run over all the data gives."""
    global _READ_PARTITION
    import shutil
    from datetime import date, timedelta
    from newsevents.stories.linking import StoryConfig
    from newsevents.output import consolidation
    from newsevents.pipelines.consolidate import consolidate
    from newsevents.transforms import stories as story_transforms
    bench = _benchmark()
    articles, events, _ = bench.synthetic(170, 14, seed=3)
    dts = sorted({e["dt"] for e in events})
    assert len(dts) >= 14
    daily, full = str(tmp_path / "daily"), str(tmp_path / "full")
    for dt in dts[:-1]:
        bench.write_all(daily, [a for a in articles if a["dt"] == dt], [e for e in events if e["dt"] == dt])
        assert consolidate(daily).new_partitions
    # The last day arrives.
    bench.write_all(daily, [a for a in articles if a["dt"] == dts[-1]], [e for e in events if e["dt"] == dts[-1]])
    todo = consolidation.plan(daily, margin_days=StoryConfig().max_gap_days)
    in_window = [(d, dt) for d, dts_ in todo.partitions.items() for dt in dts_]
    assert {dt for _, dt in in_window} == set(dts[-4:])  # the new day and the 3 before it
    before = _events_by_id(daily)
    stored = {s["story_id"]: s for t in ("summit", "tariff") for s in _stories(Path(daily), t)}
    # Stories overlapping the window or ending within max_gap_days of it (its events could join them).
    near = (date.fromisoformat(dts[-4]) - timedelta(days=StoryConfig().max_gap_days)).isoformat()
    overlapping = {sid for sid, s in stored.items() if s["last_partition"] >= near}
    assert overlapping and any(s["first_partition"] < dts[-4] for sid, s in stored.items() if sid in overlapping)
    # Outside the window, the rows read are those of the overlapping stories' events.
    assert {k for d, by_dt in todo.outside.items() if d.startswith("events/") for keys in by_dt.values()
            for k in keys} == {e for sid in overlapping if stored[sid]["first_partition"] < dts[-4]
                               for e in stored[sid]["event_ids"]}
    brought = {e for sid in overlapping for e in stored[sid]["event_ids"] if before[e]["dt"] < dts[-4]}
    assert brought
    files_before = _snapshot(Path(daily))
    _READ_PARTITION = consolidation.read_partition
    monkeypatch.setattr(story_transforms, "read_partition", _recording_read_partition)
    _READS.clear()
    result = consolidate(daily)
    reads = set(_READS)
    spans = {(d, dt) for d, by_dt in todo.outside.items() for dt in by_dt}
    assert reads == set(in_window) | spans and len(reads) == len(_READS)
    assert all(any(stored[sid]["first_partition"] <= dt <= stored[sid]["last_partition"] for sid in overlapping)
               for _, dt in spans)
    total = sum(len(by_dt) for by_dt in todo.listings.values())
    assert (result.reloaded_partitions, result.outside_partitions) == (len(in_window), len(spans))
    assert len(reads) <= total / 2, (len(reads), total)
    # Every event outside the window and outside the rebuilt stories keeps its story, and a file
    # holding none of the rebuilt stories' events outside the window is not rewritten.
    after = _events_by_id(daily)
    untouched = [e for e, row in before.items() if row["dt"] < dts[-4] and e not in brought]
    assert untouched and all(after[e]["story_id"] == before[e]["story_id"] for e in untouched)
    files_after = _snapshot(Path(daily))
    touched_dts = {dt for _, dt in spans}
    for name, mtime in files_before.items():
        dt = name.split("dt=")[1].split("/")[0]
        if name.startswith(("events", "articles")) and dt < dts[-4] and dt not in touched_dts:
            assert files_after.get(name) == mtime, name
    # The same data consolidated at once (embeddings from the daily store's cache) decides the same.
    shutil.copytree(Path(daily) / "articles", Path(full) / "articles")
    shutil.copytree(Path(daily) / "events", Path(full) / "events")
    shutil.copytree(Path(daily) / "_consolidation" / "embeddings", Path(full) / "_consolidation" / "embeddings")
    monkeypatch.undo()
    assert consolidate(full).outside_partitions == 0
    assert {e: r["story_id"] for e, r in _events_by_id(full).items()} == {e: r["story_id"] for e, r in after.items()}
    for t in ("summit", "tariff"):
        assert _stories(Path(full), t) == _stories(Path(daily), t)
