"""Beam's view of the ``newsevents run`` options, and the check of a command line against all
that newsevents and Beam know."""
from __future__ import annotations

import argparse
from typing import Iterable, Sequence

# _BeamArgumentParser is the parser class Beam itself builds for its options: some options
# classes (templated ones) need its add_value_provider_argument.
from apache_beam.options.pipeline_options import PipelineOptions, _BeamArgumentParser

from newsevents.pipelines.cli import add_run_args, unrecognized


class NewsEventsOptions(PipelineOptions):
    """The options of ``newsevents run`` as pipeline options, so that runners see them next to
    Beam's (Dataflow lists them with the job; a Flex Template's parameters are these)."""

    @classmethod
    def _add_argparse_args(cls, parser):
        # Beam puts every options class into one parser, where --streaming is StandardOptions'
        # already: the same switch under the same name, so ours may take its place. Nothing is
        # required there, as Beam parses them all for every pipeline, newsevents' or not.
        handler, parser.conflict_handler = parser.conflict_handler, "resolve"
        try:
            add_run_args(parser, required=False)
        finally:
            parser.conflict_handler = handler


class UsageError(ValueError):
    """A command line that neither newsevents nor Beam accepts."""


class _RaisingParser(_BeamArgumentParser):
    def error(self, message):  # one line from main(), not argparse's usage text and exit
        raise UsageError(message)


def beam_parser() -> argparse.ArgumentParser:
    """One parser of Beam's options: those of every registered PipelineOptions class but ours."""
    classes: dict[str, type] = {}
    for cls in PipelineOptions.__subclasses__():  # collected as Beam's get_all_options does
        if cls is not NewsEventsOptions:
            classes.setdefault(str(cls), cls)
    parser = _RaisingParser(allow_abbrev=False, add_help=False)
    for cls in classes.values():
        cls._add_argparse_args(parser)
    return parser


def _option_strings(parsers: Iterable[argparse.ArgumentParser], switches_only: bool = False) -> set[str]:
    return {s for p in parsers for a in p._actions if not switches_only or a.nargs == 0 for s in a.option_strings}


def normalize_switches(argv: Sequence[str], parsers: Iterable[argparse.ArgumentParser]) -> list[str]:
    """``--flag=true`` / ``--flag=false``, the form in which a Dataflow Flex Template passes an on/off
    parameter, as the plain switch / nothing (argparse takes a switch only without a value)."""
    switches = _option_strings(parsers, switches_only=True)
    out: list[str] = []
    for i, arg in enumerate(argv):
        if arg == "--":
            return out + list(argv[i:])
        name, eq, value = arg.partition("=")
        if not eq or name not in switches:
            out.append(arg)
        elif value.lower() in ("true", ""):  # an empty value: the form the template once documented
            out.append(name)
        elif value.lower() != "false":
            raise UsageError(f"{name} is on or off: give {name}, {name}=true or {name}=false, not {arg}")
    return out


def take_beam_options(argv: Sequence[str], beam: argparse.ArgumentParser) -> tuple[list[str], list[str]]:
    """(the rest, Beam's options with their values): so that ``--runner X DIR`` leaves DIR, not X,
    to a command's positional argument."""
    actions = {s: a for a in beam._actions for s in a.option_strings}
    rest: list[str] = []
    taken: list[str] = []
    args = iter(argv)
    for arg in args:
        action = actions.get(arg.split("=", 1)[0]) if arg.startswith("--") else None
        if action is None:
            rest.append(arg)
            continue
        taken.append(arg)
        if "=" not in arg and action.nargs != 0:
            value = next(args, None)
            if value is not None:
                taken.append(value)
    return rest, taken


def check_known(rest: Sequence[str], beam: argparse.ArgumentParser,
                parsers: Iterable[argparse.ArgumentParser]) -> None:
    """Raises UsageError for what is left of a command line once newsevents took its options
    and Beam's parser ``beam`` takes its own; the nearest known option is suggested."""
    _, unknown = beam.parse_known_args(list(rest))
    if unknown:
        raise UsageError(unrecognized(unknown, _option_strings([beam, *parsers])))
