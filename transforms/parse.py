"""ParseArticles: raw records to validated, cleaned articles; everything else to the dead letters."""
from __future__ import annotations

from collections import OrderedDict
from typing import Iterator

import apache_beam as beam
from apache_beam import pvalue

from newsevents.records import DeadLetter, SourceRecord
from newsevents.validation import InputLimits, Rejected, parse_article

DEAD_LETTER_TAG = "dead_letter"


class _ParseFn(beam.DoFn):
    def __init__(self, limits: InputLimits, dedupe_window: int):
        self.limits = limits
        self.dedupe_window = dedupe_window

    def setup(self):
        # Exact copies seen by this worker, caught before any model work; copies read by other
        # workers or in earlier runs are caught by the articles writer (same version_id key).
        self._seen: OrderedDict[str, str] = OrderedDict()
        self._accepted = beam.metrics.Metrics.counter("parse", "articles_accepted")
        self._rejected = beam.metrics.Metrics.counter("parse", "records_rejected")

    def _reject(self, record: SourceRecord, reason: str, detail: str, article_id=None):
        self._rejected.inc()
        return pvalue.TaggedOutput(DEAD_LETTER_TAG, DeadLetter(record, reason, detail, "parse", article_id))

    def process(self, record: SourceRecord) -> Iterator:
        try:
            article = parse_article(record, self.limits)
        except Rejected as r:
            yield self._reject(record, r.reason, r.detail, r.article_id)
            return
        except Exception as exc:  # a bug must not lose the record: it is kept with the error
            yield self._reject(record, "internal_error", f"{type(exc).__name__}: {exc}")
            return
        # The same record again is a retried bundle, not a copy.
        if self._seen.get(article.version_id, record.describe()) != record.describe():
            yield self._reject(record, "duplicate", f"the same article (id {article.article_id!r}, identical "
                               f"content) was already read from {self._seen[article.version_id]}", article.article_id)
            return
        self._seen[article.version_id] = record.describe()
        if len(self._seen) > self.dedupe_window:
            self._seen.popitem(last=False)
        self._accepted.inc()
        yield article


class ParseArticles(beam.PTransform):
    """Outputs ``articles`` (Article, with sentences) and ``dead_letter`` (DeadLetter)."""

    def __init__(self, limits: InputLimits = InputLimits(), dedupe_window: int = 100_000):
        super().__init__()
        self.limits, self.dedupe_window = limits, dedupe_window

    def expand(self, records: beam.PCollection[SourceRecord]):
        return records | "Validate" >> beam.ParDo(_ParseFn(self.limits, self.dedupe_window)).with_outputs(
            DEAD_LETTER_TAG, main="articles")
