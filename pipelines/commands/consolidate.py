"""``newsevents consolidate``: syndicated copies and stories, a batch Beam pipeline over the new partitions."""
from __future__ import annotations

from newsevents.pipelines.commands.common import existing_output
from newsevents.pipelines.flags import MAX_LOOKBACK_DAYS, at_least


def add_parser(sub) -> None:
    consolidate = sub.add_parser("consolidate", allow_abbrev=False,
                                 help="syndicated copies and stories (one event, many articles): "
                                      "a batch Beam pipeline over the new partitions (Beam's options are "
                                      "accepted too, e.g. --runner)")
    consolidate.add_argument("output", metavar="DIR", help="output directory of 'newsevents run'")
    consolidate.add_argument("--lookback-days", type=at_least(0, MAX_LOOKBACK_DAYS), default=3,
                             help="days around a new partition that are reconsidered (late articles)")


def main(args, beam_args) -> int:
    from newsevents.output.consolidation import ConsolidateConfig, story_counts
    from newsevents.pipelines.consolidate import consolidate
    from newsevents.transforms.stories import StoriesConfig
    root = existing_output(args.output)
    result = consolidate(root, StoriesConfig(consolidate=ConsolidateConfig(lookback_days=args.lookback_days)),
                         beam_args=beam_args)
    if not result.new_partitions:
        print(f"nothing new to consolidate in {args.output}")
        return 0
    counts = story_counts(root)
    print(f"consolidated {result.new_partitions} new partitions ({result.reloaded_partitions} reloaded, "
          f"{result.outside_partitions} read for the stories overlapping them) in "
          f"{result.seconds:.1f} s: {result.rewritten_partitions} partitions rewritten, stories: "
          + ", ".join(f"{t}={n}" for t, n in counts.items()))
    return 0
