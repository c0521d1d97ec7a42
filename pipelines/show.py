"""``newsevents show`` and ``newsevents plot``: the output datasets for people, not for code."""
from __future__ import annotations

from collections import Counter

import pyarrow as pa

from newsevents import EVENT_TYPES
from newsevents.pipelines.report import printable, read_dataset, wrap


class NothingToPlot(ValueError):
    """The output holds no event (yet)."""


def all_events(root: str) -> pa.Table:
    """The common columns of every event type, as one table."""
    common = ["event_id", "event_type", "confidence", "event_date", "published_at", "country_codes", "participants",
              "summary", "dt"]
    tables = [read_dataset(root, f"events/{t}").select(common) for t in EVENT_TYPES]
    return pa.concat_tables(tables)


def top_stories(root: str, top: int) -> list[str]:
    """Stories with most articles per type (empty until `newsevents consolidate` ran)."""
    from tabulate import tabulate
    out = []
    for t in EVENT_TYPES:
        stories = read_dataset(root, f"stories/{t}").to_pylist()
        if not stories:
            continue
        best = sorted(stories, key=lambda s: (-s["num_articles"], -s["num_sources"], s["story_id"]))[:top]
        rows = [[str(s["date"] or ""), s["num_articles"], s["num_sources"], printable(", ".join(s["countries"] or [])),
                 wrap(s["summary"], 60)] for s in best]
        out += [f"top {t} stories ({len(best)} of {len(stories)})",
                tabulate(rows, headers=["date", "articles", "sources", "countries", "summary"],
                         tablefmt="simple_grid"), ""]
    return out


def show(root: str, latest: int = 5, top: int = 10) -> str:
    from tabulate import tabulate

    from newsevents.extraction.geography import country_name

    events = all_events(root).to_pylist()
    articles = read_dataset(root, "articles").num_rows
    dead = read_dataset(root, "dead_letter").num_rows
    if not events:
        return f"{root}: {articles} articles, no events yet, {dead} dead letters"
    out = [f"{root}: {articles} articles, {len(events)} events, {dead} dead letters", ""]

    per_day = Counter((e["dt"], e["event_type"]) for e in events)
    days = sorted({d for d, _ in per_day}, reverse=True)
    rows = [[printable(d), *[per_day.get((d, t), 0) for t in EVENT_TYPES], sum(per_day.get((d, t), 0) for t in EVENT_TYPES)]
            for d in days[:top]]
    out += [f"events per day (latest {min(top, len(days))} of {len(days)} days)",
            tabulate(rows, headers=["day", *EVENT_TYPES, "total"], tablefmt="simple_outline"), ""]

    countries = Counter(c for e in events for c in set(e["country_codes"] or []))
    people = Counter(p for e in events for p in set(e["participants"] or []))
    rows = [[printable(country_name(c)), printable(c), n] for c, n in countries.most_common(top)]
    out += ["top countries", tabulate(rows, headers=["country", "code", "events"], tablefmt="simple_outline"), ""]
    rows = [[printable(p), n] for p, n in people.most_common(top)]
    out += ["top participants", tabulate(rows, headers=["participant", "events"], tablefmt="simple_outline"), ""]

    out += top_stories(root, top)

    newest = sorted(events, key=lambda e: (e["published_at"] is not None, e["published_at"], e["confidence"]),
                    reverse=True)[:latest]
    rows = [[str(e["published_at"] or "")[:16], printable(e["event_type"]), f"{e['confidence']:.2f}",
             printable(", ".join(e["country_codes"] or [])), wrap(e["summary"], 70)] for e in newest]
    out += [f"latest {len(newest)} events",
            tabulate(rows, headers=["published", "type", "conf", "countries", "summary"], tablefmt="simple_grid")]
    return "\n".join(out)


def plot(root: str, out_path: str, top: int = 15, width_in: float = 12.0, height_in: float = 9.0,
         dpi: int = 100) -> tuple[int, int]:
    """Timeline of events per type per day above a bar chart of the countries involved.
    Returns the image size in pixels."""
    import matplotlib
    matplotlib.use("Agg")  # files only, no display needed
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from datetime import date, timedelta

    events = all_events(root).to_pylist()
    if not events:  # an empty chart would show an axis around 1970
        raise NothingToPlot(f"no events in {root} yet: nothing to plot, {out_path} not written")
    fig, (timeline, bars) = plt.subplots(2, 1, figsize=(width_in, height_in), dpi=dpi,
                                         gridspec_kw={"height_ratios": [3, 2]})
    # Stacked bars per day (per week when the data spans more than ~3 months): news is sparse,
    # and lines between far-apart days would suggest values that were never there.
    stamps = [date.fromisoformat(e["dt"]) for e in events]
    weekly = bool(stamps) and (max(stamps) - min(stamps)).days > 90
    bucket = (lambda d: d - timedelta(days=d.weekday())) if weekly else (lambda d: d)  # noqa: E731
    counts = Counter((bucket(d), e["event_type"]) for d, e in zip(stamps, events))
    buckets = sorted({b for b, _ in counts})
    bottom = [0] * len(buckets)
    for t in EVENT_TYPES:
        heights = [counts.get((b, t), 0) for b in buckets]
        timeline.bar(buckets, heights, bottom=bottom, width=6 if weekly else 0.8, label=t)
        bottom = [x + h for x, h in zip(bottom, heights)]
    timeline.set_title(f"events per {'week' if weekly else 'day'} by type ({len(events)} events)")
    timeline.set_ylabel("events")
    timeline.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
    timeline.tick_params(axis="x", labelrotation=30)
    timeline.legend(loc="upper left")
    timeline.grid(axis="y", alpha=0.3)

    countries = Counter(c for e in events for c in set(e["country_codes"] or [])).most_common(top)
    bars.bar([c for c, _ in countries], [n for _, n in countries], color="#4c72b0")
    bars.set_title(f"countries involved (top {len(countries)})")
    bars.set_ylabel("events")
    bars.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(out_path, dpi=dpi)
    plt.close(fig)
    return int(width_in * dpi), int(height_in * dpi)


def plot_stories(root: str, out_path: str, top: int = 15, width_in: float = 12.0, dpi: int = 100) -> tuple[int, int]:
    """Horizontal bars of the top stories per type: articles, with sources beside them."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    per_type = {t: sorted(read_dataset(root, f"stories/{t}").to_pylist(),
                          key=lambda s: (-s["num_articles"], -s["num_sources"], s["story_id"]))[:top]
                for t in EVENT_TYPES}
    per_type = {t: s for t, s in per_type.items() if s}
    if not per_type:
        raise NothingToPlot(f"no stories in {root} yet (run 'newsevents consolidate'): {out_path} not written")
    height_in = 1.5 + 0.35 * sum(len(s) for s in per_type.values())
    fig, axes = plt.subplots(len(per_type), 1, figsize=(width_in, height_in), dpi=dpi, squeeze=False)
    for ax, (t, stories) in zip(axes[:, 0], per_type.items()):
        labels = [f"{s['date'] or ''} {', '.join(s['countries'] or [])} {(s['summary'] or '')[:50]}" for s in stories]
        y = range(len(stories))
        ax.barh([i - 0.2 for i in y], [s["num_articles"] for s in stories], height=0.4, label="articles")
        ax.barh([i + 0.2 for i in y], [s["num_sources"] for s in stories], height=0.4, label="sources")
        ax.set_yticks(list(y), labels, fontsize=8)
        ax.invert_yaxis()
        ax.set_title(f"top {t} stories")
        ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(out_path, dpi=dpi)
    plt.close(fig)
    return int(width_in * dpi), int(height_in * dpi)
