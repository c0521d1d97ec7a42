"""Work-arounds for Beam bugs of the local runner (the FnApiRunner, Beam 2.77): ones that only show
when a pipeline runs for hours, or only with several worker processes."""
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


def apply_local_runner_fixes() -> None:
    """Every fix below, for a pipeline about to run on the local runner. Idempotent."""
    eager_fnapi_metrics()
    keep_parallel_checkpoints()


# While a ParallelBundleManager bundle runs: its stage's residual roots, by id of its context.
_residuals: dict[int, list] = {}


def keep_parallel_checkpoints() -> None:
    """With ``--direct_num_workers`` above 1 the FnApiRunner splits a bundle over its workers and
    merges their responses into a new one that keeps only the metrics (ParallelBundleManager;
    Beam's own tests skip checkpointing there, "Multiworker doesn't support split request"). A
    splittable DoFn's self-checkpoints (``defer_remainder``) travel in those responses'
    ``residual_roots``, so they were dropped: the streaming Kafka read ended by itself after a
    bundle or two, exiting 0 with records unread. The parts' residual roots are collected and put
    into the merged response, which is what the runner reads its deferred inputs from.
    Idempotent."""
    from apache_beam.runners.portability.fn_api_runner import fn_runner

    single, parallel = fn_runner.BundleManager.process_bundle, fn_runner.ParallelBundleManager.process_bundle
    if getattr(parallel, "newsevents_keeps_residuals", False):
        return

    def process_part(self, *args, **kwargs):
        result, splits = single(self, *args, **kwargs)
        sink = _residuals.get(id(self.bundle_context_manager))
        if sink is not None:
            sink.extend(result.process_bundle.residual_roots)
        return result, splits

    def process_parts(self, *args, **kwargs):
        # The parts run on threads of Beam's pool, with the parallel manager's context object.
        key = id(self.bundle_context_manager)
        sink = _residuals[key] = []
        try:
            result, splits = parallel(self, *args, **kwargs)
        finally:
            del _residuals[key]
        del result.process_bundle.residual_roots[:]  # the first part's, when Beam kept them
        result.process_bundle.residual_roots.extend(sink)
        return result, splits

    process_parts.newsevents_keeps_residuals = True
    fn_runner.BundleManager.process_bundle = process_part
    fn_runner.ParallelBundleManager.process_bundle = process_parts
