"""Reads an output directory back with pyarrow and summarises it (demo report, ``newsevents show``)."""
from __future__ import annotations

from collections import Counter

import pyarrow as pa
import pyarrow.compute  # noqa: F401 - pa.compute
import pyarrow.dataset as ds
from pyarrow import fs as pafs

from newsevents import EVENT_TYPES
from newsevents.schemas import PARTITIONING, read_schema
from newsevents.output.parquet_files import OutputReadError, filesystem_for, path_type


def read_dataset(root: str, name: str) -> pa.Table:
    """A dataset of a local or URI output as one table (empty, with the right schema, when nothing
    was written yet)."""
    fs, base = filesystem_for(root)
    path = f"{base}/{name}"
    if path_type(fs, path) != pafs.FileType.Directory:
        return read_schema(name).empty_table()
    try:
        return ds.dataset(path, format="parquet", schema=read_schema(name), filesystem=fs,
                          partitioning=ds.partitioning(PARTITIONING, flavor="hive")).to_table()
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise OutputReadError(f"cannot read {root} ({name}): {exc}") from exc


def summarize_output(root: str) -> dict:
    articles = read_dataset(root, "articles")
    dead = read_dataset(root, "dead_letter")
    events = {t: read_dataset(root, f"events/{t}") for t in EVENT_TYPES}
    analysis = Counter(a for a in articles.column("analysis").to_pylist()) if articles.num_rows else Counter()
    languages = Counter(articles.filter(pa.compute.equal(articles.column("analysis"), "skipped_language"))
                        .column("language").to_pylist()) if analysis.get("skipped_language") else Counter()
    return {
        "articles": articles.num_rows,
        "other_languages": dict(languages),
        "gated": analysis.get("gated", 0),
        "events": {t: tbl.num_rows for t, tbl in events.items()},
        "dead_letters": dead.num_rows,
        "dead_letter_reasons": dict(Counter(dead.column("reason").to_pylist())) if dead.num_rows else {},
        "tables": {"articles": articles, "dead_letter": dead, **{f"events/{t}": v for t, v in events.items()}},
    }


def metric_total(result, namespace: str, name: str) -> int | None:
    """A counter summed over steps, as the runner reports it; None where it reports no metrics."""
    try:
        from apache_beam.metrics.metric import MetricsFilter
        counters = result.metrics().query(MetricsFilter().with_namespace(namespace).with_name(name))["counters"]
        return sum(c.committed or c.attempted or 0 for c in counters)
    except Exception:  # not every runner reports metrics
        return None


def metric_gauges(result, namespace: str) -> dict:
    """A namespace's gauges by name (the latest value each), empty where the runner reports none."""
    try:
        from apache_beam.metrics.metric import MetricsFilter
        gauges = result.metrics().query(MetricsFilter().with_namespace(namespace))["gauges"]
    except Exception:  # not every runner reports metrics
        return {}
    return {g.key.metric.name: (g.committed or g.attempted).value for g in gauges if (g.committed or g.attempted)}


def _partition(key: str) -> tuple[str, int]:
    topic, _, rest = key.rpartition("[")
    return topic, int(rest.rstrip("]"))


def kafka_incomplete(result, kafka) -> list[str]:
    """What a Kafka run left undone, one line each: partitions whose read stopped early and offsets
    that are not committed (checked with the broker). Empty when the run is complete."""
    from newsevents.kafka.client import KafkaSourceError, committed_offsets
    from newsevents.transforms.kafka_io import ABANDONED_NAMESPACE, READ_TO_NAMESPACE

    lines = [f"not read: {key} from offset {offset} on (the broker was unreachable); a run with --start committed "
             f"reads them" for key, offset in sorted(metric_gauges(result, ABANDONED_NAMESPACE).items())]
    read_to = metric_gauges(result, READ_TO_NAMESPACE)
    if not kafka.commit_offsets or not read_to:
        return lines
    try:
        committed = committed_offsets(kafka.bootstrap_servers, kafka.group_id, [_partition(k) for k in read_to],
                                      kafka.extra)
    except KafkaSourceError as exc:
        return lines + [f"offsets not confirmed: {exc}; a run with --start committed may read this run's records "
                        f"again (their rows are skipped as replays)"]
    for key, offset in sorted(read_to.items()):
        done = committed.get(_partition(key))
        if done is None or done < offset:
            lines.append(f"offsets not committed: {key} was read to offset {offset}, group {kafka.group_id!r} is at "
                         f"{'no offset' if done is None else done}; a run with --start committed reads those "
                         f"records again (their rows are skipped as replays)")
    return lines


def run_counts(result, source: str) -> dict | None:
    """This run's records read and rows written, from the runner's metrics (the output may hold
    earlier runs' rows too); None where the runner reports no metrics."""
    written = {name: metric_total(result, "parquet", "rows_" + name.replace("/", "_"))
               for name in ("articles", "dead_letter", *(f"events/{t}" for t in EVENT_TYPES))}
    if source == "kafka":
        read = metric_total(result, "kafka", "records_read")
    else:
        parsed = [metric_total(result, "parse", n) for n in ("articles_accepted", "records_rejected")]
        read = None if None in parsed else sum(parsed)
    replayed = [metric_total(result, "parquet", f"replayed_{name}") for name in ("articles", "dead_letter")]
    if read is None or None in written.values() or None in replayed:
        return None
    return {"records_read": read, "articles": written["articles"], "dead_letters": written["dead_letter"],
            "replayed": sum(replayed), "events": {t: written[f"events/{t}"] for t in EVENT_TYPES},
            **{analysis: metric_total(result, "parquet", f"articles_analysis_{analysis}")
               for analysis in ("skipped_language", "gated")}}


def format_report(summary: dict, records_read: int | None, wall_s: float, first: int = 5,
                  runner: str | None = None, this_run: dict | None = None) -> str:
    """The run report. With ``this_run`` (``run_counts``), a column of this run's counts next to the
    output's totals, which include earlier runs into the same directory."""
    from tabulate import tabulate

    lines = ["", "newsevents run report", "=" * 21]
    run = this_run or {}
    # (what, this run, in the output)
    rows = [["records read", run.get("records_read", records_read), None],
            ["articles accepted", run.get("articles"), summary["articles"]]]
    if summary.get("other_languages"):
        rows.append(["  of which not analysed (language)", run.get("skipped_language"),
                     sum(summary["other_languages"].values())])
    if summary.get("gated"):
        rows.append(["  of which gated (nothing relevant)", run.get("gated"), summary["gated"]])
    rows += [[f"events: {t}", run.get("events", {}).get(t), n] for t, n in summary["events"].items()]
    rows.append(["dead letters", run.get("dead_letters"), summary["dead_letters"]])
    if run.get("replayed"):  # records read = articles + dead letters + these
        rows.append(["already in the output (replayed)", run["replayed"], None])
    about = [*([["runner", runner]] if runner else []), ["wall time", f"{wall_s:.1f} s"]]
    shown = lambda v: "-" if v is None else v  # noqa: E731
    if this_run is None:  # the output's counts only (the demo's output holds its one run)
        rows = [[what, shown(total if total is not None else current)] for what, current, total in rows]
        lines.append(tabulate(about[:-1] + rows + about[-1:], tablefmt="simple_outline"))
    else:
        lines.append(tabulate([[what, shown(current), shown(total)] for what, current, total in rows],
                              headers=["", "this run", "in the output (all runs)"], tablefmt="simple_outline"))
        lines.append(tabulate(about, tablefmt="simple_outline"))
    if summary["dead_letter_reasons"]:
        lines.append("dead letters by reason: " + ", ".join(f"{k}={v}" for k, v in
                                                            sorted(summary["dead_letter_reasons"].items())))
    if summary.get("other_languages"):
        lines.append("articles kept without events, by language (see --languages): " + ", ".join(
            f"{k}={v}" for k, v in sorted(summary["other_languages"].items())))
    shown = []
    for t in EVENT_TYPES:
        tbl = summary["tables"][f"events/{t}"]
        if tbl.num_rows:
            tbl = tbl.sort_by([("confidence", "descending")])
            for r in tbl.slice(0, first).to_pylist()[:2]:
                shown.append([t, f"{r['confidence']:.2f}", printable(", ".join(r["country_codes"] or [])),
                              str(r["event_date"] or ""), wrap(r["summary"])])
    if shown:
        lines.append("")
        lines.append("first events (highest confidence per type)")
        lines.append(tabulate(shown, headers=["type", "conf", "countries", "date", "event summary"],
                              tablefmt="simple_grid"))
    return "\n".join(lines)


def wrap(text: str, width: int = 80) -> str:
    import textwrap
    # Line breaks and tabs are layout, which wrapping redoes; other control characters are escaped.
    return "\n".join(textwrap.wrap(printable((text or "").replace("\n", " ").replace("\t", " ")), width))


# Every C0 and C1 control character and DEL: article text must not move the cursor, recolour or
# clear the terminal that shows it. Nor reorder it: the bidi marks, embeddings, overrides and
# isolates (U+202E shows the rest of a line backwards), and the line and paragraph separators.
_CONTROL = {c: f"\\x{c:02x}" for c in [*range(0x20), *range(0x7f, 0xa0)]}
_CONTROL.update({ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"})
_CONTROL.update({c: f"\\u{c:04x}" for c in [0x061c, 0x200e, 0x200f, *range(0x2028, 0x202f), *range(0x2066, 0x206a)]})


def printable(text: str) -> str:
    """Text from the data, safe to print: control characters shown as escapes (ESC as \\x1b)."""
    return text.translate(_CONTROL) if isinstance(text, str) else text
