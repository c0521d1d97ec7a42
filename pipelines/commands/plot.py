"""``newsevents plot``: a PNG of events per type per day and the countries involved, or of the top stories."""
from __future__ import annotations

import os

from newsevents.pipelines.commands.common import existing_output
from newsevents.pipelines.flags import positive_int


def add_parser(sub) -> None:
    plot = sub.add_parser("plot", help="PNG: timeline of events per type per day, and the countries involved")
    plot.add_argument("output", metavar="DIR", help="output directory of 'newsevents run'")
    plot.add_argument("--out", required=True, metavar="FILE.png",
                      help="the image file (.png unless another extension matplotlib knows: .svg, .pdf)")
    plot.add_argument("--top", type=positive_int, default=15, help="countries in the bar chart")
    plot.add_argument("--stories", action="store_true", help="the top stories per type (articles and sources) instead")


def main(args, _beam_args) -> int:
    from newsevents.pipelines.show import plot, plot_stories
    draw = plot_stories if args.stories else plot
    if os.path.isdir(args.out):
        raise ValueError(f"--out {args.out!r} is a directory: give a file name such as "
                         f"{os.path.join(args.out, 'events.png')!r}")
    out = args.out if os.path.splitext(args.out)[1] else args.out + ".png"  # what matplotlib would write
    width, height = draw(existing_output(args.output), out, top=args.top)
    print(f"wrote {out} ({width}x{height} px)")
    return 0
