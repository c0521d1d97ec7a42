"""Work-arounds for Beam bugs that only show when a pipeline runs for hours."""
from __future__ import annotations


def eager_fnapi_metrics() -> None:
    """The FnApiRunner (the offline DirectRunner, Beam 2.77) replaces each stage's metrics after every
    bundle by a lazy ``consolidate`` generator chained onto the previous one: nothing is merged until
    the pipeline ends, so a streaming run keeps every bundle's monitoring infos (and the response
    protos they live in) and its memory grows with the number of bundles (benchmarks/soak.py).
    Consolidating into a list at once keeps one set of metrics per stage. Idempotent."""
    from apache_beam.runners.portability.fn_api_runner import fn_runner

    lazy = fn_runner.consolidate_monitoring_infos
    if getattr(lazy, "newsevents_eager", False):
        return

    def consolidate_now(metrics, *args, **kwargs):
        return list(lazy(metrics, *args, **kwargs))

    consolidate_now.newsevents_eager = True
    fn_runner.consolidate_monitoring_infos = consolidate_now
