"""Evaluation on the sample corpus: article labels, events, fields, stories."""
