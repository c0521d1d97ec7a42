"""The models: sentence encoder (fp32 or int8), classifier head, zero-shot NLI, summarizers, training."""
