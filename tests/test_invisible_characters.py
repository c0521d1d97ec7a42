"""Text that shows nothing must not change what is shown or found: bidi overrides are escaped by
`show`, NUL is replaced and noted, zero-width characters do not change an article's language."""
import json
import subprocess
import sys

from newsevents.input.language import detect_language
from newsevents.records import SourceRecord
from newsevents.input.text import article_sentences
from newsevents.input.validation import InputLimits, parse_article

from helpers import read, run_jsonl


def _parse(**fields):
    raw = json.dumps(fields).encode()
    return parse_article(SourceRecord(value=raw, input_file="f", input_line=1), InputLimits())


ENGLISH = ("President Macron met Chancellor Scholz in Berlin on Tuesday to discuss trade. "
           "The two leaders agreed on new tariffs on steel.")


def test_zero_width_characters_between_letters_do_not_change_the_language():
    assert detect_language([ENGLISH]) == "en"
    for mark in ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202e"):
        assert detect_language([mark.join(ENGLISH)]) == "en", hex(ord(mark))  # "\u200b": km before


def test_zero_width_spaces_and_soft_hyphens_leave_the_words_whole():
    sentences, _ = article_sentences("Pre\u200bsident Mac\u00adron met Chan\u2060cellor Scholz in Berlin. "
                                     "The two lead\ufeffers agreed on new tariffs.")
    assert sentences == ["President Macron met Chancellor Scholz in Berlin.", "The two leaders agreed on new tariffs."]
    # Joiners are part of how some scripts are written: kept.
    assert "\u200c" in article_sentences("می\u200cخواهم این را بگویم که رهبران دیدار کردند.")[0][0]


def test_nul_in_id_title_and_text_is_replaced_and_noted():
    a = _parse(id="a\x00b", title="Lead\x00ers meet\x00", text=ENGLISH.replace("met", "met\x00"))
    assert a.article_id == "a\ufffdb" and a.title == "Lead\ufffders meet\ufffd" and "\x00" not in a.text
    assert a.warnings == ["text: 1 NUL character(s) replaced by U+FFFD", "id: 1 NUL character(s) replaced by U+FFFD",
                          "title: 2 NUL character(s) replaced by U+FFFD"]


def test_printable_escapes_bidi_controls_and_line_separators():
    from newsevents.pipelines.report import printable
    assert printable("abc\u202edef \u2066x\u2069 \u200f \u2028") == "abc\\u202edef \\u2066x\\u2069 \\u200f \\u2028"
    assert printable("Zürich – «ok» 中文 مرحبا") == "Zürich – «ok» 中文 مرحبا"  # letters of any script stay


def test_invisible_and_bidi_characters_through_the_pipeline_and_show(corpus, tmp_path):
    base = next(a for a in corpus if "tariff" in a["labels"])
    first, rest = base["text"].split(". ", 1)
    plain = dict(base, id="plain")
    zwsp = dict(base, id="zwsp", text="\u200b".join(base["text"]))
    bidi = dict(base, id="bi\x00di", title="Tariffs\x00 \u202eevil",
                text=f"{first} \u202egnirts desrever\u202c and more. {rest}")
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(a) + "\n" for a in (plain, zwsp, bidi)))
    out = tmp_path / "out"
    run_jsonl(src, out)

    assert read(out, "dead_letter").num_rows == 0
    rows = {r["article_id"]: r for r in read(out, "articles").to_pylist()}
    assert set(rows) == {"plain", "zwsp", "bi\ufffddi"}
    # The zero-width spaces cost nothing: English, analysed, the same labels as the plain copy.
    assert rows["zwsp"]["language"] == "en" and rows["zwsp"]["analysis"] != "skipped_language"
    assert rows["zwsp"]["event_types"] == rows["plain"]["event_types"] and "tariff" in rows["plain"]["event_types"]
    # NUL: replaced in the id and the title, and said so.
    assert rows["bi\ufffddi"]["title"] == "Tariffs\ufffd \u202eevil"
    assert any("NUL" in w for w in rows["bi\ufffddi"]["input_warnings"])
    summaries = read(out, "events/tariff").column("summary").to_pylist()
    assert any("\u202e" in s for s in summaries)  # the data keeps what the input said

    proc = subprocess.run([sys.executable, "-m", "newsevents.pipelines.cli", "show", str(out), "--latest", "5"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "\u202e" not in proc.stdout and "\u202c" not in proc.stdout and "\\u202e" in proc.stdout
