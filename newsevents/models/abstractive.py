"""Abstractive article summaries from any Hugging Face seq2seq model (BART, T5, PEGASUS...) by path.

Loaded from a local folder or the Hugging Face cache only. The input is the cleaned article
(boilerplate already removed), so web furniture never reaches the model. Per-event summaries
stay extractive: they must quote the sentences the event rests on.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from newsevents.models.encoder import load_pretrained, model_display_name


@dataclass(frozen=True)
class AbstractiveConfig:
    model: str
    max_input_tokens: int = 512
    max_new_tokens: int = 80
    min_new_tokens: int = 5
    num_beams: int = 2
    prefix: str = ""            # e.g. "summarize: " for T5 checkpoints
    batch_size: int = 8


def model_input(article) -> str:
    """What the model reads: the cleaned article's sentences (boilerplate already removed)."""
    return " ".join(article.sentences)


@dataclass
class Seq2SeqSummarizer:
    config: AbstractiveConfig
    _model: object = field(default=None, repr=False)
    _tokenizer: object = field(default=None, repr=False)

    def __post_init__(self):
        import torch
        from transformers import AutoModelForSeq2SeqLM
        self._tokenizer, self._model = load_pretrained(AutoModelForSeq2SeqLM, self.config.model, "a seq2seq model")
        self._torch = torch
        # Padding, unknown, mask or start tokens never belong inside a summary.
        eos = self._model.config.eos_token_id
        self._bad_words = [[i] for i in self._tokenizer.all_special_ids if i != eos] or None
        self.name = f"abstractive({model_display_name(self.config.model)})"

    def summarize(self, texts: list[str]) -> list[str]:
        torch, out = self._torch, []
        for i in range(0, len(texts), self.config.batch_size):
            batch = [self.config.prefix + t for t in texts[i:i + self.config.batch_size]]
            enc = self._tokenizer(batch, truncation=True, max_length=self.config.max_input_tokens, padding=True,
                                  return_tensors="pt")
            with torch.inference_mode():
                # Only what every seq2seq model takes: some tokenizers also return token_type_ids.
                ids = self._model.generate(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"],
                                           max_new_tokens=self.config.max_new_tokens,
                                           min_new_tokens=min(self.config.min_new_tokens, self.config.max_new_tokens),
                                           num_beams=self.config.num_beams, do_sample=False,
                                           bad_words_ids=self._bad_words)
            out += [s.strip() for s in self._tokenizer.batch_decode(ids, skip_special_tokens=True)]
        return out
