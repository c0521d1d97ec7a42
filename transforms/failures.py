"""Dead letters for the steps after parsing: an exception while encoding, classifying,
summarizing, extracting or building rows costs the one article it happened on, never the bundle.

A failed bundle is retried by every runner, forever in streaming, so one poison article would
stop the job (it did: a lone surrogate crashed the tokenizer on every restart). Plain steps use
Beam's ``with_exception_handling``; model steps isolate the failing article inside their
``ModelHandler`` (a failed batch is retried one article at a time), so that the articles batched
with it go on. Either way the article leaves as a ``DeadLetter`` with its raw bytes, its
Kafka coordinates, the stage and the error.
"""
from __future__ import annotations

import traceback
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Sequence

import apache_beam as beam
from apache_beam import pvalue
from apache_beam.ml.inference.base import PredictionResult

from newsevents.records import Article, DeadLetter

FAILED_TAG = "failed"
# What Beam's with_exception_handling puts on its dead-letter output when it is not named.
_BAD_TAG = "bad"


def source_article(element: Any) -> Article:
    """The article an element of any step was made from."""
    while not isinstance(element, Article):
        element = element.example if isinstance(element, PredictionResult) else element.article
    return element


@dataclass(frozen=True)
class StageError:
    """An exception caught in a model step, kept as the inference of its article."""
    detail: str

    @classmethod
    def current(cls) -> "StageError":
        """The exception being handled."""
        return cls(_detail(traceback.format_exc().splitlines()))


def _detail(traceback_lines: Sequence[str]) -> str:
    """'Type: message (at file:line)' from a formatted traceback, short enough for a column."""
    lines = [line for chunk in traceback_lines for line in chunk.splitlines() if line.strip()]
    message = lines[-1].strip() if lines else "unknown error"
    where = next((line.strip() for line in reversed(lines) if line.strip().startswith("File ")), "")
    return (f"{message} ({where})" if where else message)[:2000]


def dead_letter(stage: str, element: Any, detail: str) -> DeadLetter:
    article = source_article(element)
    return DeadLetter(article.record, f"{stage}_failed", detail, stage, article.article_id)


class FailuresToDeadLetters(beam.PTransform):
    """``(element, (type, repr, traceback))`` from ``with_exception_handling`` to DeadLetters."""

    def __init__(self, stage: str):
        super().__init__()
        self.stage = stage

    def expand(self, bad) -> beam.PCollection[DeadLetter]:
        stage = self.stage
        return bad | "ToDeadLetter" >> beam.Map(
            lambda failed: dead_letter(stage, failed[0], _detail(failed[1][2]))).with_output_types(DeadLetter)


def guarded(label: str, stage: str, step: beam.PTransform, pcoll) -> tuple[Any, beam.PCollection]:
    """Applies a ``ParDo``/``Map`` with exception handling: (its outputs, ``main`` and any tagged
    ones, as Beam returns them; the dead letters of the elements it raised on)."""
    result = pcoll | label >> step.with_exception_handling(main_tag="main", dead_letter_tag=_BAD_TAG)
    return result, result[_BAD_TAG] | f"{label}Failures" >> FailuresToDeadLetters(stage)


def isolate_failures(batch: Sequence[Any], infer: Callable[[Sequence[Any]], list],
                     model_id: str) -> list[PredictionResult]:
    """``infer`` on the whole batch; if it raises, on each example alone, so that only the failing
    ones get a StageError as their inference."""
    try:
        return [PredictionResult(x, y, model_id=model_id) for x, y in zip(batch, infer(batch), strict=True)]
    except Exception:  # noqa: BLE001 - retried one by one below
        if len(batch) == 1:
            return [PredictionResult(batch[0], StageError.current(), model_id=model_id)]
    results = []
    for example in batch:
        try:
            (inference,) = infer([example])
        except Exception:  # noqa: BLE001 - this example's failure, kept with it
            inference = StageError.current()
        results.append(PredictionResult(example, inference, model_id=model_id))
    return results


class _SplitFailuresFn(beam.DoFn):
    def __init__(self, stage: str, to_output: Callable[[PredictionResult], Any]):
        self.stage, self.to_output = stage, to_output

    def process(self, result: PredictionResult) -> Iterator:
        if isinstance(result.inference, StageError):
            yield pvalue.TaggedOutput(FAILED_TAG, dead_letter(self.stage, result, result.inference.detail))
            return
        try:
            output = self.to_output(result)
        except Exception:  # noqa: BLE001 - the article's failure, kept with it
            yield pvalue.TaggedOutput(FAILED_TAG, dead_letter(self.stage, result, StageError.current().detail))
            return
        yield output


def split_failures(stage: str, results: beam.PCollection[PredictionResult],
                   to_output: Callable[[PredictionResult], Any], output_type) -> tuple[beam.PCollection, beam.PCollection]:
    """(outputs of the successful inferences, dead letters of the failed ones)."""
    split = results | "SplitFailures" >> beam.ParDo(_SplitFailuresFn(stage, to_output)).with_output_types(
        output_type, **{FAILED_TAG: DeadLetter}).with_outputs(FAILED_TAG, main="ok")
    return split.ok, split[FAILED_TAG]
