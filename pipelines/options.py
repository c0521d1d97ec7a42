"""NewsEventsOptions, the run's flags as Beam pipeline options, and the one parse of a command line
against all that newsevents and Beam know."""
from __future__ import annotations

import argparse
import difflib
from typing import Iterable, Sequence

# _BeamArgumentParser is the parser class Beam itself builds for its options: some options
# classes (templated ones) need its add_value_provider_argument.
from apache_beam.options.pipeline_options import PipelineOptions, _BeamArgumentParser

from newsevents.pipelines.flags import add_run_args


class NewsEventsOptions(PipelineOptions):
    """The options of ``newsevents run`` as pipeline options, so that runners see them next to
    Beam's (Dataflow lists them with the job; a Flex Template's parameters are these). The run's
    config is built from them: ``RunConfig.from_options`` (pipelines/config.py)."""

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


REQUIRED = ("--source", "--output")


class UsageError(ValueError):
    """A command line that neither newsevents nor Beam accepts. ``see_help``: the mistake is in one
    of newsevents' own options, which the command's --help lists."""

    def __init__(self, message: str, see_help: bool = False):
        super().__init__(message)
        self.see_help = see_help


class _RaisingParser(_BeamArgumentParser):
    def error(self, message):  # one line from main(), not argparse's usage text and exit
        raise UsageError(message)


def _parser(with_ours: bool) -> argparse.ArgumentParser:
    classes: dict[str, type] = {}
    for cls in PipelineOptions.__subclasses__():  # collected as Beam's get_all_options does
        if cls is not NewsEventsOptions:
            classes.setdefault(str(cls), cls)
    if with_ours:
        classes[str(NewsEventsOptions)] = NewsEventsOptions  # last: its --streaming replaces Beam's
    parser = _RaisingParser(allow_abbrev=False, add_help=False, exit_on_error=False)
    for cls in classes.values():
        cls._add_argparse_args(parser)
    return parser


def beam_parser() -> argparse.ArgumentParser:
    """One parser of Beam's options: those of every registered PipelineOptions class but ours."""
    return _parser(with_ours=False)


def run_options(argv: Sequence[str]) -> PipelineOptions:
    """``newsevents run``'s command line (after ``run``) as pipeline options, checked in one parse
    by a parser of every options class, ours included. Raises UsageError for an unknown option
    (with the nearest known one), a value an option refuses, or a missing required option."""
    parser = _parser(with_ours=True)
    argv = normalize_switches(argv, [parser])
    ours = {s for a in _parser_of(NewsEventsOptions)._actions for s in a.option_strings}
    try:
        values, unknown = parser.parse_known_args(argv)
    except argparse.ArgumentError as exc:
        raise UsageError(str(exc), see_help=exc.argument_name in ours) from None
    if unknown:
        raise UsageError(unrecognized(unknown, _option_strings([parser])))
    missing = [flag for flag in REQUIRED if getattr(values, flag[2:]) is None]
    if missing:
        raise UsageError(f"the following arguments are required: {', '.join(missing)}")
    return PipelineOptions(argv)


def _parser_of(cls: type) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(add_help=False)
    cls._add_argparse_args(parser)
    return parser


def _option_strings(parsers: Iterable[argparse.ArgumentParser], switches_only: bool = False) -> set[str]:
    return {s for p in parsers for a in p._actions if not switches_only or a.nargs == 0 for s in a.option_strings}


def unrecognized(rest: list[str], known: Iterable[str]) -> str:
    """The message for options nobody knows, with the nearest known option."""
    flags = [a.split("=", 1)[0] for a in rest if a.startswith("--")]
    close = difflib.get_close_matches(flags[0], sorted(k for k in known if k.startswith("--")), n=1) if flags else []
    return f"unrecognized arguments: {' '.join(rest)}" + (f" (did you mean {close[0]}?)" if close else "")


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
    try:
        _, unknown = beam.parse_known_args(list(rest))
    except argparse.ArgumentError as exc:
        raise UsageError(str(exc)) from None
    if unknown:
        raise UsageError(unrecognized(unknown, _option_strings([beam, *parsers])))
