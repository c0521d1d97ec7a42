"""``newsevents actor`` as a user runs it: the console command in a subprocess."""
import json
import subprocess
import sys

import pytest


def _actor(*args):
    return subprocess.run([sys.executable, "-m", "newsevents.pipelines.cli", "actor", *args], capture_output=True,
                          text=True, timeout=120)


@pytest.mark.slow
def test_actor_command_prints_country_office_and_term():
    proc = _actor("Xi Jinping", "--date", "2019-05-01")
    assert proc.returncode == 0, proc.stderr
    assert "CHN (China)" in proc.stdout
    assert "general secretary of CHN" in proc.stdout and "since 2012-11-15" in proc.stdout
    assert "president of CHN (head of state), since 2013-03-14" in proc.stdout
    assert "knowledge base " in proc.stdout

    former = _actor("President Trump", "--date", "2022-03-01")
    assert former.returncode == 0, former.stderr
    assert "former office holder" in former.stdout and "2017-01-20 to 2021-01-20" in former.stdout

    ambiguous = _actor("Lee", "--date", "2010-01-01")
    assert ambiguous.returncode == 1
    assert "ambiguous" in ambiguous.stderr
    assert "Lee Myung-bak" in ambiguous.stderr and "Lee Hsien Loong" in ambiguous.stderr

    members = json.loads(_actor("NATO", "--date", "2024-06-01", "--json").stdout)
    (reading,) = members["readings"]
    assert reading["code"] == "NATO" and reading["cameo"] == "IGOWSTNAT" and len(reading["members"]) == 32

    bad = _actor("Xi", "--date", "2019-13-01")
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr
