"""``newsevents broker``: the embedded Kafka-compatible broker in the foreground."""
from __future__ import annotations

import sys

from newsevents.pipelines.flags import partitions, port


def add_parser(sub) -> None:
    broker = sub.add_parser("broker", help="run the embedded Kafka-compatible broker in the foreground")
    broker.add_argument("--port", type=port, default=9092)
    broker.add_argument("--topic", action="append", default=[], help="topic to create (repeatable)")
    broker.add_argument("--partitions", type=partitions, default=3)


def main(args, _beam_args) -> int:
    import signal

    from newsevents.kafka.broker import BrokerError, EmbeddedBroker
    from newsevents.kafka.client import create_topic

    def stop(signum, _frame):
        raise KeyboardInterrupt(signal.Signals(signum).name)

    # Python's default SIGTERM/SIGHUP end the process without unwinding, which would leave the
    # broker (in its own session) running and holding the port. SIGINT too: a shell starting the
    # command in the background without job control hands it SIGINT ignored, and Ctrl-C (or a
    # supervisor's SIGINT) must still stop it.
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, stop)
    try:
        with EmbeddedBroker(port=args.port, die_with_parent=True) as broker:
            for t in args.topic:
                create_topic(broker.bootstrap_servers, t, args.partitions)
            print(f"embedded broker (memory storage) on {broker.bootstrap_servers}; topics: {args.topic or 'none'}; "
                  f"Ctrl-C or SIGTERM stops it", flush=True)
            code = broker.process.wait()
            raise BrokerError(f"the embedded broker exited on its own with code {code}")
    except KeyboardInterrupt:
        print("embedded broker stopped", file=sys.stderr, flush=True)
    return 0
