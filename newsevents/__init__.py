"""newsevents: Kafka -> Apache Beam -> transformer -> Parquet geopolitical event pipeline.

The package is laid out as the design card asks: ``pipelines/``, ``transforms/`` and
``schemas/`` live at the top of the repository and are installed as
``newsevents.pipelines``, ``newsevents.transforms`` and ``newsevents.schemas``;
this folder holds the runner-independent core (text handling, models, broker).
"""

__version__ = "0.1.0"

EVENT_TYPES = ("summit", "tariff", "defense_spending")
