"""What several commands share: an output directory that must exist, a table."""
from __future__ import annotations


def existing_output(path: str) -> str:
    from pyarrow import fs as pafs

    from newsevents.output.parquet_files import filesystem_for, path_type
    fs, base = filesystem_for(path)
    if path_type(fs, base) != pafs.FileType.Directory:
        raise FileNotFoundError(f"no output directory at {path!r} (run 'newsevents run' or 'newsevents demo' first)")
    return path


def table(rows, headers) -> str:
    from tabulate import tabulate
    return tabulate(rows, headers=headers, tablefmt="simple_outline")
