"""ReadJsonLines: the same records as the Kafka source, from JSON-lines files (backfills, evaluation)."""
from __future__ import annotations

from typing import Iterator

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems

from newsevents.records import SourceRecord
from newsevents.transforms.display import config_display


class _ReadLinesFn(beam.DoFn):
    def process(self, path: str) -> Iterator[SourceRecord]:
        with FileSystems.open(path) as f:
            for number, line in enumerate(f, start=1):
                line = line.rstrip(b"\r\n")
                if line.strip():
                    yield SourceRecord(value=line, input_file=path, input_line=number)


class ReadJsonLines(beam.PTransform):
    """Every non-empty line of the files matching ``pattern`` as a raw ``SourceRecord``.

    Lines are not decoded here, so that bad bytes reach the dead-letter output intact.
    """

    def __init__(self, pattern: str):
        super().__init__()
        self.pattern = pattern

    def display_data(self) -> dict:
        return config_display(pattern=self.pattern)

    def expand(self, pbegin: beam.pvalue.PBegin) -> beam.PCollection[SourceRecord]:
        return (pbegin
                | "Pattern" >> beam.Create([self.pattern])
                | "MatchFiles" >> beam.FlatMap(lambda p: [m.path for r in FileSystems.match([p]) for m in r.metadata_list])
                | "SpreadFiles" >> beam.Reshuffle()
                | "ReadLines" >> beam.ParDo(_ReadLinesFn()).with_output_types(SourceRecord))
