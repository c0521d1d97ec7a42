"""Tiny Hugging Face models built from a config in the test run (random weights, nothing downloaded)."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def _tokenizer(corpus, out: Path):
    from transformers import BertTokenizerFast
    words = Counter(w for a in corpus for w in re.findall(r"[a-z]+|[0-9]+|[^\sa-z0-9]", a["text"].lower()))
    vocab = SPECIAL + [w for w, _ in words.most_common(800)]
    out.mkdir(parents=True, exist_ok=True)
    (out / "vocab.txt").write_text("\n".join(vocab) + "\n")
    tok = BertTokenizerFast(vocab={w: i for i, w in enumerate(vocab)}, do_lower_case=True)
    tok.save_pretrained(out)
    return tok


def build_nli(corpus, out: Path) -> Path:
    import torch
    from transformers import BertConfig, BertForSequenceClassification
    tok = _tokenizer(corpus, out)
    torch.manual_seed(0)
    labels = {0: "contradiction", 1: "neutral", 2: "entailment"}
    config = BertConfig(vocab_size=tok.vocab_size, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=512, num_labels=3, id2label=labels,
                        label2id={v: k for k, v in labels.items()})
    BertForSequenceClassification(config).save_pretrained(out)
    return out


def build_seq2seq(corpus, out: Path) -> Path:
    import torch
    from transformers import BartConfig, BartForConditionalGeneration
    tok = _tokenizer(corpus, out)
    torch.manual_seed(0)
    ids = {t: tok.convert_tokens_to_ids(t) for t in SPECIAL}
    config = BartConfig(vocab_size=tok.vocab_size, d_model=32, encoder_layers=1, decoder_layers=1,
                        encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=64, decoder_ffn_dim=64,
                        max_position_embeddings=512, pad_token_id=ids["[PAD]"], bos_token_id=ids["[CLS]"],
                        eos_token_id=ids["[SEP]"], decoder_start_token_id=ids["[CLS]"],
                        forced_eos_token_id=ids["[SEP]"])
    model = BartForConditionalGeneration(config)
    model.save_pretrained(out)
    return out
