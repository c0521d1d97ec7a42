"""Parquet output: the writer and reader, row builders, compaction."""
