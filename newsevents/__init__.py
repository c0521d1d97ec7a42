"""newsevents: Kafka -> Apache Beam -> transformer -> Parquet geopolitical event pipeline.

The package is laid out as the design card asks: ``pipelines/``, ``transforms/`` and
``schemas/`` live at the top of the repository and are installed as
``newsevents.pipelines``, ``newsevents.transforms`` and ``newsevents.schemas``;
this folder holds the runner-independent core (text handling, models, broker).
"""

from collections.abc import Sequence

__version__ = "0.1.0"


class _EventTypeNames(Sequence):
    """The names of the registered event types (``newsevents.types``), in order, read when used:
    a type registered later is in it."""

    def _names(self) -> tuple[str, ...]:
        from newsevents.types import names
        return names()

    def __getitem__(self, i):
        return self._names()[i]

    def __len__(self) -> int:
        return len(self._names())

    def __iter__(self):
        return iter(self._names())

    def __contains__(self, name) -> bool:
        return name in self._names()

    def __eq__(self, other) -> bool:
        return tuple(self) == (tuple(other) if isinstance(other, Sequence) else other)

    def __hash__(self):
        return hash(self._names())

    def __repr__(self) -> str:
        return repr(self._names())


EVENT_TYPES: Sequence[str] = _EventTypeNames()
