"""Flex Template entry point: ``newsevents run --detach`` with the template's parameters.

The launcher runs this file with each parameter as ``--name=value`` (an on/off one as
``--flag=true`` or ``--flag=false``) next to Dataflow's own options (runner, project, region,
staging...). It must return once Dataflow has the job: waiting would hold the launch, and for
a streaming job never end.
"""
import sys

from newsevents.pipelines.cli import main

if __name__ == "__main__":
    sys.exit(main(["run", "--detach", *sys.argv[1:]]))
