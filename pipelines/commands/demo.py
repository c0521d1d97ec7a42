"""``newsevents demo``: embedded broker, sample articles, the pipeline and its report."""
from __future__ import annotations

from newsevents.pipelines.flags import partitions


def add_parser(sub) -> None:
    demo = sub.add_parser("demo", help="embedded broker + sample articles + pipeline + report")
    demo.add_argument("--output", default="output")
    demo.add_argument("--topic", default="articles")
    demo.add_argument("--partitions", type=partitions, default=3)


def main(args, beam_args) -> int:
    from newsevents.pipelines.demo import run_demo
    return run_demo(args.output, args.topic, args.partitions, beam_args)
