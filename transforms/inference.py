"""Model handlers of newsevents for Beam's RunInference (Beam's Hugging Face handler needs tensorflow)."""
from __future__ import annotations

from typing import Any, Iterable, Optional, Sequence

import apache_beam as beam
from apache_beam.ml.inference.base import ModelHandler, PredictionResult, RunInference

from newsevents.encoder import EncoderConfig, SentenceEncoder
from newsevents.records import Article, EncodedArticle


class SentenceEncoderModelHandler(ModelHandler[Article, PredictionResult, SentenceEncoder]):
    """Encodes every sentence of a batch of articles in one pass; one model per worker process.

    Batches are counted in articles; the encoder re-batches their sentences by length.
    """

    def __init__(self, config: EncoderConfig, min_batch_size: int = 1, max_batch_size: int = 32):
        super().__init__(min_batch_size=min_batch_size, max_batch_size=max_batch_size)
        self.config = config

    def load_model(self) -> SentenceEncoder:
        return SentenceEncoder(self.config)

    def run_inference(self, batch: Sequence[Article], model: SentenceEncoder,
                      inference_args: Optional[dict[str, Any]] = None) -> Iterable[PredictionResult]:
        flat = model.encode([s for a in batch for s in a.sentences])
        i = 0
        for article in batch:
            n = len(article.sentences)
            yield PredictionResult(article, flat[i:i + n], model_id=model.name)
            i += n

    def get_num_bytes(self, batch: Sequence[Article]) -> int:
        return sum(len(a.text) for a in batch)

    def get_metrics_namespace(self) -> str:
        return "newsevents_encoder"

    def share_model_across_processes(self) -> bool:
        return False


class EncodeArticles(beam.PTransform):
    """Articles to EncodedArticle (per-sentence embeddings) through RunInference."""

    def __init__(self, config: EncoderConfig, max_batch_size: int = 32):
        super().__init__()
        self.config, self.max_batch_size = config, max_batch_size

    def expand(self, articles: beam.PCollection[Article]) -> beam.PCollection[EncodedArticle]:
        handler = SentenceEncoderModelHandler(self.config, max_batch_size=self.max_batch_size)
        return (articles
                | "RunInference" >> RunInference(handler)
                | "ToEncoded" >> beam.Map(lambda r: EncodedArticle(r.example, r.inference, r.model_id))
                .with_output_types(EncodedArticle))
