"""Every step of the run's pipeline shows its configuration on a runner's job page."""
from apache_beam.transforms.display import DisplayData

from newsevents.models.encoder import EncoderConfig
from newsevents.transforms.analyze import ClassifyAndSummarize, ExtractEvents
from newsevents.transforms.inference import EncodeArticles
from newsevents.transforms.parquet_io import WriteParquetDataset
from newsevents.transforms.parse import ParseArticles
from newsevents.input.validation import InputLimits


def _shown(transform) -> dict:
    return {i.key: i.value for i in DisplayData.create_from(transform).items}


def test_transforms_show_their_configuration():
    assert _shown(ParseArticles(InputLimits(min_text_chars=50)))["limits.min_text_chars"] == 50
    encode = _shown(EncodeArticles(EncoderConfig(max_length=96, quantize=True), max_batch_size=8, min_batch_size=2))
    assert (encode["encoder.max_length"], encode["encoder.quantize"], encode["max_batch_size"]) == (96, True, 8)
    assert _shown(ClassifyAndSummarize())["head_dir"] == "packaged"
    assert "summarizer.max_sentences" in _shown(ExtractEvents())
    write = _shown(WriteParquetDataset("/data/out", "events/tariff"))
    assert (write["root"], write["dataset"], write["parquet.compression"]) == ("/data/out", "events/tariff", "zstd")
