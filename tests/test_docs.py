"""The documentation stays in step with the code: the column reference is the generator's output,
and the README keeps its two commands, which CI runs."""
import re
from pathlib import Path

from newsevents.schemas import DATASETS
from newsevents.schemas.__main__ import columns_page, main

ROOT = Path(__file__).resolve().parents[1]


def test_the_checked_in_column_reference_is_the_generator_s_output():
    checked_in = (ROOT / "docs" / "columns.md").read_text()
    assert checked_in == columns_page(), (
        "docs/columns.md is out of date: run `python -m newsevents.schemas --markdown > docs/columns.md`")


def test_the_column_reference_lists_every_column_of_every_dataset(capsys):
    main(["--markdown"])
    page = capsys.readouterr().out
    assert page == columns_page()
    for name, schema in DATASETS.items():
        section = page.split(f"## `{name}/`\n", 1)[1].split("\n## ", 1)[0]
        assert re.findall(r"^\| `(\w+)` \|", section, re.M) == [*schema.names, "dt"], name
    assert "## Event codes" in page and "| tariff | impose | 163 |" in page


def test_the_readme_is_short_and_its_two_commands_are_what_ci_runs():
    readme = (ROOT / "README.md").read_text()
    assert len(readme.splitlines()) <= 250
    assert "make demo" in readme and "make test" in readme
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^demo:", makefile, re.M) and re.search(r"^test:.*\blint\b.*\bdocs\b", makefile, re.M)
    assert (ROOT / ".ci" / "run").read_text().strip().splitlines()[-1] == "make test"
