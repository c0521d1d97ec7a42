"""The ``newsevents`` command line: run, produce, broker, demo, train, evaluate."""
# A thin front: each command is a module of pipelines/commands/ (its parser and its main); the run's
# flags are NewsEventsOptions (pipelines/options.py, defined in pipelines/flags.py).
from __future__ import annotations

import argparse
import logging
import os
import sys

from newsevents import __version__
from newsevents.runtime.memory import use_system_allocator_for_arrow

# Before anything imports pyarrow: Arrow chooses its C++ allocator once, at import.
use_system_allocator_for_arrow()

from newsevents.pipelines.commands import (actor, broker, compact, consolidate, demo, evaluate,  # noqa: E402
                                           plot, produce, run, show, train)

log = logging.getLogger("newsevents")
# In the order of the --help listing.
COMMANDS = {"run": run, "produce": produce, "broker": broker, "demo": demo, "train": train, "compact": compact,
            "consolidate": consolidate, "show": show, "plot": plot, "evaluate": evaluate, "actor": actor}
# Commands that take Beam's pipeline options too.
BEAM_COMMANDS = ("run", "demo", "consolidate")
# Exit codes: 0 done; 2 a usage mistake or a run that could not start (one line on stderr); 3 a Kafka
# run that left records unread or offsets unconfirmed (commands/run.py); 130 interrupted; 141 a
# closed pipe.


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistake is one line (and where to look), not the usage text."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="newsevents", description=__doc__)
    parser.add_argument("--version", action="version", version=f"newsevents {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for command in COMMANDS.values():
        command.add_parser(sub)
    parser.commands = sub.choices  # name -> subparser, for parse_args
    return parser


def parse_args(parser: argparse.ArgumentParser, argv: list[str]):
    """``(args, extra)``, each command line read once. For run, ``extra`` is the run's PipelineOptions
    (``args`` their NewsEventsOptions view); for demo and consolidate, Beam's options, which must be
    all that is left of the command line. A mistake is one line and exit 2; on/off options also take
    ``=true`` / ``=false``."""
    from newsevents.pipelines.options import UsageError, unrecognized
    at = next((i for i, a in enumerate(argv) if not a.startswith("-")), None)
    command = argv[at] if at is not None else None
    if command not in BEAM_COMMANDS or {"-h", "--help"} & set(argv[at + 1:]):
        args, rest = parser.parse_known_args(argv)
        if rest:
            sub = parser.commands.get(args.command, parser)
            sub.error(unrecognized(rest, (s for a in sub._actions for s in a.option_strings)))
        return args, rest
    sub = parser.commands[command]
    try:
        if command == "run":
            from newsevents.pipelines.options import NewsEventsOptions, run_options
            parser.parse_args(argv[:at + 1])  # the options before the command (-v)
            options = run_options(argv[at + 1:])
            return options.view_as(NewsEventsOptions), options
        from newsevents.pipelines.options import beam_parser, check_known, normalize_switches, take_beam_options
        beam = beam_parser()
        argv = normalize_switches(argv, [sub, beam])
        # Beam's options and their values first, so that DIR may come after them.
        rest, beam_args = take_beam_options(argv[at + 1:], beam)
        args, unknown = parser.parse_known_args(argv[:at + 1] + rest)
        check_known(unknown, beam, [sub])
        return args, beam_args
    except UsageError as exc:
        hint = f" (see newsevents {command} --help)" if exc.see_help else ""
        sub.exit(2, f"newsevents {command}: error: {exc}{hint}\n")


def _user_error(exc: BaseException) -> str | None:
    """The one-line message of an error the user can fix, also when Beam has wrapped it."""
    from newsevents.kafka.broker import BrokerError
    from newsevents.kafka.client import KafkaSourceError
    from newsevents.output.parquet_files import OutputReadError, OutputWriteError
    seen = exc
    while seen is not None:
        if isinstance(seen, (KafkaSourceError, OutputWriteError, OutputReadError, BrokerError, ValueError,
                             FileNotFoundError)):
            return str(seen).split("\n")[0].split(" [while running")[0]
        seen = seen.__cause__ or seen.__context__
    text = str(exc)
    for marker in ("OutputWriteError: ", "OutputReadError: ", "KafkaSourceError: "):
        if marker in text:
            return text.split(marker, 1)[1].split("\n")[0].split(" [while running")[0]
    return None


def _configure_logging(verbose: bool) -> None:
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    for noisy in ("kafka", "apache_beam", "transformers", "urllib3", "root"):
        logging.getLogger(noisy).setLevel(logging.DEBUG if verbose else logging.ERROR)
    # "root" above is the root logger (Beam warns through it at import): ours must not inherit its level.
    logging.getLogger("newsevents").setLevel(logging.DEBUG if verbose else logging.INFO)
    if not verbose:
        # kafka-python logs every reconnect attempt (the source logs one clear line instead), and Beam
        # logs a failing bundle's traceback before raising it: main() prints the one-line cause.
        logging.getLogger("kafka").propagate = False
        logging.getLogger("apache_beam").setLevel(logging.CRITICAL)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    # Logging is set up before parsing: checking run's options imports Beam, which logs at import.
    before_command = argv[:next((i for i, a in enumerate(argv) if not a.startswith("-")), len(argv))]
    verbose = "-v" in before_command or "--verbose" in before_command
    _configure_logging(verbose)
    args, extra = parse_args(parser, argv)
    command = argv[len(before_command)]
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        return COMMANDS[command].main(args, extra)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # "newsevents show out | head": the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nor fail flushing at exit
        return 141  # 128 + SIGPIPE, as a shell reports a command the pipe stopped
    except Exception as exc:  # noqa: BLE001 - one readable line for what the user can fix
        message = _user_error(exc)
        if message is None:
            raise
        if verbose:  # the traceback too, but the exit status of an error the user can fix
            import traceback
            traceback.print_exc()
        print(f"newsevents {command}: error: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
