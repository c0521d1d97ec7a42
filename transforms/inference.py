"""Model handlers of newsevents for Beam's RunInference (Beam's Hugging Face handler needs tensorflow)."""
from __future__ import annotations

import dataclasses
from typing import Any, Iterable, Optional, Sequence

import apache_beam as beam
from apache_beam.ml.inference.base import ModelHandler, PredictionResult, RunInference

from newsevents.models.abstractive import AbstractiveConfig, Seq2SeqSummarizer, model_input
from newsevents.models.encoder import EncoderConfig, SentenceEncoder, shared_encoder
from newsevents.records import AnalyzedArticle, Article, EncodedArticle
from newsevents.transforms.failures import isolate_failures, split_failures
from newsevents.models.zero_shot import ZeroShotClassifier, ZeroShotConfig
from newsevents.transforms.display import config_display


class SentenceEncoderModelHandler(ModelHandler[Article, PredictionResult, SentenceEncoder]):
    """Encodes the sentences of a batch of articles in one pass (every sentence, or those the gate
    chose: ``Article.encoder_input``); one model per worker process.

    Batches are counted in articles; the encoder re-batches their sentences by length. An
    article the encoder fails on gets a StageError as its inference (the others are unaffected).
    """

    def __init__(self, config: EncoderConfig, min_batch_size: int = 1, max_batch_size: int = 32):
        super().__init__(min_batch_size=min_batch_size, max_batch_size=max_batch_size)
        self.config = config

    def load_model(self) -> SentenceEncoder:
        return shared_encoder(self.config)

    def run_inference(self, batch: Sequence[Article], model: SentenceEncoder,
                      inference_args: Optional[dict[str, Any]] = None) -> Iterable[PredictionResult]:
        return isolate_failures(batch, lambda articles: model.encode_groups([a.encoder_input for a in articles]),
                                model.name)

    def get_num_bytes(self, batch: Sequence[Article]) -> int:
        return sum(len(s) for a in batch for s in a.encoder_input)

    def get_metrics_namespace(self) -> str:
        return "newsevents_encoder"

    def share_model_across_processes(self) -> bool:
        return False


class EncodeArticles(beam.PTransform):
    """Articles to EncodedArticle (per-sentence embeddings) through RunInference."""

    def __init__(self, config: EncoderConfig, max_batch_size: int = 256, min_batch_size: int = 64):
        super().__init__()
        self.config, self.max_batch_size, self.min_batch_size = config, max_batch_size, min_batch_size

    def display_data(self) -> dict:
        return config_display(encoder=self.config, max_batch_size=self.max_batch_size,
                              min_batch_size=self.min_batch_size)

    def expand(self, articles: beam.PCollection[Article]) -> dict[str, beam.PCollection]:
        handler = SentenceEncoderModelHandler(self.config, min_batch_size=self.min_batch_size,
                                              max_batch_size=self.max_batch_size)
        encoded, failed = split_failures("encode", articles | "RunInference" >> RunInference(handler),
                                         lambda r: EncodedArticle(r.example, r.inference, r.model_id), EncodedArticle)
        return {"encoded": encoded, "failed": failed}


class ZeroShotModelHandler(ModelHandler[EncodedArticle, PredictionResult, ZeroShotClassifier]):
    """An NLI model scores every sentence against one hypothesis per event type."""

    def __init__(self, config: ZeroShotConfig, max_batch_size: int = 8):
        super().__init__(min_batch_size=1, max_batch_size=max_batch_size)
        self.config = config

    def load_model(self) -> ZeroShotClassifier:
        return ZeroShotClassifier(self.config)

    def run_inference(self, batch: Sequence[EncodedArticle], model: ZeroShotClassifier,
                      inference_args: Optional[dict[str, Any]] = None) -> Iterable[PredictionResult]:
        return isolate_failures(batch, lambda items: [model.classify(i.article.sentences) for i in items], model.name)

    def get_metrics_namespace(self) -> str:
        return "newsevents_zero_shot"


class Seq2SeqModelHandler(ModelHandler[AnalyzedArticle, PredictionResult, Seq2SeqSummarizer]):
    """A seq2seq model writes the article summary from the cleaned article text."""

    def __init__(self, config: AbstractiveConfig):
        super().__init__(min_batch_size=1, max_batch_size=config.batch_size)
        self.config = config

    def load_model(self) -> Seq2SeqSummarizer:
        return Seq2SeqSummarizer(self.config)

    def run_inference(self, batch: Sequence[AnalyzedArticle], model: Seq2SeqSummarizer,
                      inference_args: Optional[dict[str, Any]] = None) -> Iterable[PredictionResult]:
        return isolate_failures(batch, lambda articles: model.summarize([model_input(a.article) for a in articles]),
                                model.name)

    def get_metrics_namespace(self) -> str:
        return "newsevents_summarizer"


class AbstractiveSummaries(beam.PTransform):
    """Replaces each article's extractive summary by a seq2seq model's (its own RunInference step)."""

    def __init__(self, config: AbstractiveConfig):
        super().__init__()
        self.config = config

    def display_data(self) -> dict:
        return config_display(abstractive=self.config)

    def expand(self, analyzed: beam.PCollection[AnalyzedArticle]) -> dict[str, beam.PCollection]:
        summarized, failed = split_failures(
            "summarize", analyzed | "RunInference" >> RunInference(Seq2SeqModelHandler(self.config)),
            # An empty generation keeps the extractive summary (and says so in summarizer_model).
            lambda r: dataclasses.replace(r.example, summary_text=r.inference, summarizer_name=r.model_id)
            if r.inference else r.example, AnalyzedArticle)
        return {"analyzed": summarized, "failed": failed}
