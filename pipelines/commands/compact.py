"""``newsevents compact``: merge the small Parquet files of each partition."""
from __future__ import annotations

from newsevents.pipelines.commands.common import existing_output, table
from newsevents.pipelines.flags import at_least


def add_parser(sub) -> None:
    compact = sub.add_parser("compact", help="merge the small Parquet files of each partition (safe while running)")
    compact.add_argument("output", metavar="DIR", help="output directory of 'newsevents run'")
    compact.add_argument("--min-files", type=at_least(2), default=2, help="compact partitions with at least this many files")


def main(args, _beam_args) -> int:
    from newsevents.pipelines.compact import compact
    results = compact(existing_output(args.output), min_files=args.min_files)
    if not results:
        print(f"nothing to compact in {args.output}")
        return 0
    print(table([[r.dataset, r.partition, r.files_before, r.rows_before, r.rows_after] for r in results],
                ["dataset", "partition", "files merged", "rows in", "rows out"]))
    return 0
