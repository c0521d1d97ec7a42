"""``newsevents run``: the pipeline, from its pipeline options, with progress, graceful stop and report."""
from __future__ import annotations

import logging
import os
import sys
import time

from newsevents.pipelines.flags import add_run_args

log = logging.getLogger("newsevents")
# Exit status of a run that ended with Kafka records it did not read, or offsets it could not
# commit (the report says which): what it did read is written. 2 is a run that could not start.
EXIT_INCOMPLETE = 3


def add_parser(sub) -> None:
    # No abbreviations: like Beam's, every option is matched by its full name (a Flex Template
    # parameter too), so that a misspelling is reported instead of guessed. This parser gives
    # run's --help; its command line is read by run_options (pipelines/options.py).
    run = sub.add_parser("run", allow_abbrev=False,
                         help="run the pipeline (Beam's options are accepted too, e.g. --runner)",
                         epilog="Beam's pipeline options (--runner, --direct_num_workers, --project, ...) are "
                                "accepted too; anything neither newsevents nor Beam knows is an error. On/off "
                                "options also take =true or =false, as a Dataflow Flex Template passes them.")
    add_run_args(run, required=False)


def _check_input(pattern: str) -> None:
    """Every local file the input names must be a readable file (Beam would fail on it mid-run)."""
    import glob
    if "://" in pattern:
        return
    paths = glob.glob(pattern)
    if not paths:
        raise FileNotFoundError(f"no input file matches {pattern!r}")
    for path in paths:
        if os.path.isdir(path):
            raise ValueError(f"input {path!r} is a directory: give a file or a glob such as "
                             f"{os.path.join(path, '*.jsonl')!r}")
        try:
            open(path, "rb").close()
        except OSError as exc:
            raise ValueError(f"cannot read input file {path!r}: {exc.strerror or exc}") from None


def preflight(config) -> None:
    """Checks what can be checked before Beam starts, so a mistake is one readable line."""
    from newsevents.transforms.kafka_io import plan_partition_reads
    if config.source == "jsonl":
        _check_input(config.input)
    else:
        for topic in config.kafka.topics:
            plan_partition_reads(config.kafka, topic)
    check_output(config.output)


def check_output(root: str) -> None:
    """An object store that cannot be reached (or a URI pyarrow cannot open) fails here, in one line,
    rather than in the first bundle."""
    from newsevents.output.parquet_files import filesystem_for, path_type
    fs, base = filesystem_for(root)
    path_type(fs, base)


def install_stop_handlers(control) -> None:
    """First SIGINT/SIGTERM: stop reading, write what was read, commit its offsets, exit 0 (the
    handler writes the stop marker of ``control``, a RunControl, which the Kafka read looks for).
    Second: exit now."""
    import signal
    stopping = []

    def handler(signum, _frame):
        if stopping:
            print(f"\nnewsevents: second {signal.Signals(signum).name}, exiting without finishing", file=sys.stderr)
            os._exit(130)
        log.warning("%s received: finishing the current bundle, committing offsets, then exiting "
                    "(send it again to exit at once)", signal.Signals(signum).name)
        stopping.append(signum)
        control.request_stop()

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)


def main(_args, options) -> int:
    """``options``: the run's PipelineOptions (run_options), NewsEventsOptions among them."""
    from newsevents.pipelines.config import RunConfig
    from newsevents.pipelines.options import NewsEventsOptions
    from newsevents.pipelines.pipeline import LOCAL_RUNNER, prepare_options, run, runner_name
    from newsevents.pipelines.report import format_report, kafka_incomplete, run_counts, summarize_output
    from newsevents.runtime.control import RunControl
    from newsevents.runtime.progress import ProgressReporter

    ours = options.view_as(NewsEventsOptions)
    detach, streaming, interval = ours.detach, ours.streaming, ours.progress_interval
    config = RunConfig.from_options(options)
    preflight(config)
    prepare_options(options, config)
    # Stop marker and progress counts go through a folder of this machine: the local runner's
    # workers (this process, or its worker processes) see it; a distributed runner's would not.
    control = RunControl.create() if runner_name(options) == LOCAL_RUNNER else RunControl()
    config = config.with_control(control)
    install_stop_handlers(control)
    started = time.monotonic()
    log.info("running %s -> %s%s", config.source, config.output,
             " (streaming: SIGINT or SIGTERM stops it gracefully)" if streaming and not detach else "")
    # Detached, the job runs elsewhere (or is over when run() returns): there is no progress to watch here.
    reporter = ProgressReporter(control, interval) if interval > 0 and not detach else None
    if reporter:
        reporter.start()
    try:
        result = run(config, options=options, wait=not detach)
    finally:
        if reporter:
            reporter.stop()
        control.close()
    if detach:
        job_id = result.job_id() if callable(getattr(result, "job_id", None)) else None
        print(f"submitted to {runner_name(options)}{f' as job {job_id}' if job_id else ''}: {result.state}")
        return 0
    print(format_report(summarize_output(config.output), None, time.monotonic() - started,
                        runner=runner_name(options), this_run=run_counts(result, config.source)))
    undone = kafka_incomplete(result, config.kafka) if config.source == "kafka" else []
    for line in undone:
        print(f"newsevents run: {line}", file=sys.stderr)
    return EXIT_INCOMPLETE if undone else 0
