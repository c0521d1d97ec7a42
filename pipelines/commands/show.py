"""``newsevents show``: counts per type and day, top countries and participants, latest events."""
from __future__ import annotations

from newsevents.pipelines.commands.common import existing_output
from newsevents.pipelines.flags import at_least, positive_int


def add_parser(sub) -> None:
    show = sub.add_parser("show", help="counts per type and day, top countries and participants, latest events")
    show.add_argument("output", metavar="DIR", help="output directory of 'newsevents run'")
    show.add_argument("--latest", type=at_least(0), default=5, help="latest events to list")
    show.add_argument("--top", type=positive_int, default=10, help="rows in the top-N tables")


def main(args, _beam_args) -> int:
    from newsevents.pipelines.show import show
    print(show(existing_output(args.output), latest=args.latest, top=args.top))
    return 0
