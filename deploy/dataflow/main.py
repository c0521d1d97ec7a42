"""Flex Template entry point: the template parameters are the ``newsevents run`` options."""
import sys

from newsevents.pipelines.cli import main

if __name__ == "__main__":
    sys.exit(main(["run", *sys.argv[1:]]))
