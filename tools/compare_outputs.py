"""Runs the pipeline on the sample corpus and the held-out split, and compares two such outputs.

A refactoring that must not change what a user sees is checked in three steps:

    python tools/compare_outputs.py run /tmp/before        # on the old code
    python tools/compare_outputs.py run /tmp/after         # on the new code
    python tools/compare_outputs.py compare /tmp/before /tmp/after

``run`` writes, under DIR:

* ``corpus/``: ``newsevents run --source jsonl`` on the whole sample corpus (train, heldout and
  stories splits, plus four malformed lines so that the dead letters are compared too), then
  ``newsevents consolidate`` on it (stories, duplicate_of, story_id);
* ``heldout/``: the same run on the held-out split alone;
* ``evaluate.txt``: what ``newsevents evaluate`` prints (``--evaluate`` to include it; minutes).

The inputs are written to one fixed directory (``--inputs``), not under DIR: ``input_file`` and
the dead letters' ids derive from the input's path, and they must be equal on both sides.

``compare`` reads every dataset of both directories with pyarrow (every ``dt=`` partition), sorts
the rows by the dataset's key column (schemas.KEY_COLUMNS) and compares every column, and each
dataset's schema with its field docs and metadata. Ignored: ``processed_at`` (the wall-clock time
of the run). Everything else, ``pipeline_version`` and the model columns included, must be equal.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds

# Run-dependent columns: they differ between two runs of the same code.
IGNORED_COLUMNS = {"processed_at": "wall-clock time the row was processed"}
MALFORMED_LINES = [b"{not json\n", b'{"id": "bad-utf8", "text": "caf\xe9"}\n', b'{"id": "no-text"}\n',
                   b'{"id": "wrong-type", "text": 42}\n']
DATA = Path(__file__).resolve().parent.parent / "data" / "corpus"


def write_inputs(inputs: Path) -> dict[str, Path]:
    inputs.mkdir(parents=True, exist_ok=True)
    corpus = inputs / "corpus.jsonl"
    with open(corpus, "wb") as out:
        for split in ("train", "heldout", "stories"):
            out.write((DATA / f"{split}.jsonl").read_bytes())
        out.writelines(MALFORMED_LINES)
    heldout = inputs / "heldout.jsonl"
    heldout.write_bytes((DATA / "heldout.jsonl").read_bytes())
    return {"corpus": corpus, "heldout": heldout}


def cli(python: str, *args: str, stdout=None) -> None:
    cmd = [python, "-m", "newsevents.pipelines.cli", *args]
    print("+", " ".join(cmd), file=sys.stderr, flush=True)
    subprocess.run(cmd, check=True, stdout=stdout)


def run(out: Path, inputs: Path, python: str, evaluate: bool) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, path in write_inputs(inputs).items():
        cli(python, "run", "--source", "jsonl", "--input", str(path), "--output", str(out / name),
            "--progress-interval", "0")
    cli(python, "consolidate", str(out / "corpus"))
    if evaluate:
        with open(out / "evaluate.txt", "w") as f:
            cli(python, "evaluate", stdout=f)


def datasets(root: Path) -> dict[str, Path]:
    """Dataset name (``articles``, ``events/summit``...) -> its directory: every directory that holds
    Parquet files, less its ``dt=`` partitions; the consolidation's internal cache is no dataset."""
    found = {}
    for parquet in root.rglob("*.parquet"):
        rel = parquet.relative_to(root).parts[:-1]
        if rel and rel[0].startswith("_"):
            continue
        parts = [p for p in rel if not p.startswith("dt=")]
        found["/".join(parts)] = root.joinpath(*parts)
    return found


def read(path: Path) -> pa.Table:
    return ds.dataset(path, format="parquet", partitioning="hive").to_table()


def compare_dataset(name: str, a: Path, b: Path) -> list[str]:
    from newsevents.schemas import DATASETS, KEY_COLUMNS
    ta, tb = read(a), read(b)
    problems = []
    if ta.schema != tb.schema or ta.schema.metadata != tb.schema.metadata or any(
            fa.metadata != fb.metadata for fa, fb in zip(ta.schema, tb.schema)):
        problems.append(f"{name}: schemas differ:\n{ta.schema}\n---\n{tb.schema}")
        return problems
    if ta.num_rows != tb.num_rows:
        return [f"{name}: {ta.num_rows} rows against {tb.num_rows}"]
    key = KEY_COLUMNS.get(name)
    if key is None:
        return [f"{name}: no key column in schemas.KEY_COLUMNS (known datasets: {sorted(DATASETS)})"]
    ta, tb = ta.sort_by(key), tb.sort_by(key)
    for column in ta.column_names:
        if column in IGNORED_COLUMNS:
            continue
        ca, cb = ta.column(column).to_pylist(), tb.column(column).to_pylist()
        if ca != cb:
            diffs = [(ta.column(key)[i].as_py(), x, y) for i, (x, y) in enumerate(zip(ca, cb)) if x != y]
            problems.append(f"{name}.{column}: {len(diffs)} rows differ, e.g. {diffs[:3]}")
    return problems


def compare(a: Path, b: Path) -> int:
    problems, checked = [], []
    for run_name in ("corpus", "heldout"):
        da, db = datasets(a / run_name), datasets(b / run_name)
        if set(da) != set(db):
            problems.append(f"{run_name}: datasets differ: {sorted(da)} against {sorted(db)}")
        for name in sorted(set(da) & set(db)):
            found = compare_dataset(name, da[name], db[name])
            problems += [f"{run_name}/{p}" for p in found]
            checked.append(f"{run_name}/{name}: {read(da[name]).num_rows} rows, "
                           f"{len(read(da[name]).column_names)} columns" + (" DIFFER" if found else " equal"))
    ea, eb = a / "evaluate.txt", b / "evaluate.txt"
    if ea.exists() or eb.exists():
        if not (ea.exists() and eb.exists()):
            problems.append("evaluate.txt is missing on one side")
        else:
            same = _figures(ea) == _figures(eb)
            checked.append("evaluate: " + ("same figures" if same else "DIFFERENT figures"))
            if not same:
                problems.append("evaluate: the printed figures differ")
    print("\n".join(checked))
    print(f"ignored columns: {', '.join(f'{c} ({why})' for c, why in IGNORED_COLUMNS.items())}")
    if problems:
        print("\n".join(["", "DIFFERENCES:", *problems]))
        return 1
    print("no differences")
    return 0


def _figures(path: Path) -> tuple[str, dict]:
    """The table part and the JSON line of ``newsevents evaluate``, less the input's path."""
    lines = path.read_text().splitlines()
    result = json.loads(lines[-1])
    result.pop("input", None)
    tables = "\n".join(line for line in lines[:-1] if not line.startswith("classifier "))
    return tables, result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="run the pipeline on the sample corpus and the held-out split into DIR")
    r.add_argument("out", type=Path)
    r.add_argument("--inputs", type=Path, default=Path("/tmp/newsevents-compare-inputs"),
                   help="where the input files are written (the same for both sides)")
    r.add_argument("--python", default=sys.executable, help="the interpreter whose newsevents runs")
    r.add_argument("--evaluate", action="store_true", help="also save what `newsevents evaluate` prints")
    c = sub.add_parser("compare", help="compare every column of every dataset of two run directories")
    c.add_argument("a", type=Path)
    c.add_argument("b", type=Path)
    args = parser.parse_args(argv)
    if args.command == "run":
        run(args.out, args.inputs, args.python, args.evaluate)
        return 0
    return compare(args.a, args.b)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
