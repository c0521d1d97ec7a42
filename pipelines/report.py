"""Reads an output directory back with pyarrow and summarises it (demo report, ``newsevents show``)."""
from __future__ import annotations

from collections import Counter

import pyarrow as pa
import pyarrow.compute  # noqa: F401 - pa.compute
import pyarrow.dataset as ds
from pyarrow import fs as pafs

from newsevents import EVENT_TYPES
from newsevents.schemas import PARTITIONING, read_schema
from newsevents.parquet_files import OutputReadError, filesystem_for, path_type


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


def format_report(summary: dict, records_read: int | None, wall_s: float, first: int = 5,
                  runner: str | None = None) -> str:
    from tabulate import tabulate

    lines = ["", "newsevents run report", "=" * 21]
    rows = [*([["runner", runner]] if runner else []),
            ["records read", records_read if records_read is not None else "-"],
            ["articles accepted", summary["articles"]],
            *([["  of which not analysed (language)", sum(summary["other_languages"].values())]]
              if summary.get("other_languages") else []),
            *([["  of which gated (nothing relevant)", summary["gated"]]] if summary.get("gated") else []),
            *[[f"events: {t}", n] for t, n in summary["events"].items()],
            ["dead letters", summary["dead_letters"]],
            ["wall time", f"{wall_s:.1f} s"]]
    lines.append(tabulate(rows, tablefmt="simple_outline"))
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
# clear the terminal that shows it.
_CONTROL = {c: f"\\x{c:02x}" for c in [*range(0x20), *range(0x7f, 0xa0)]}
_CONTROL.update({ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"})


def printable(text: str) -> str:
    """Text from the data, safe to print: control characters shown as escapes (ESC as \\x1b)."""
    return text.translate(_CONTROL) if isinstance(text, str) else text
