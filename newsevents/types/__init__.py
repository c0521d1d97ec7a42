"""The registry of event types: one module per type states everything about it once.

An ``EventType`` holds what the pipeline's stages need to know of a type: the gate's trigger
words, the definition a label must meet, the segmenter's cue and what tells two of its events
apart, its fields and how they are filled, its dyad, its CAMEO / PLOVER rows, its columns, how
an article gets its label and what the evaluation scores. The stages iterate over ``event_types()``
and never name a type; a new type is one module that builds an ``EventType`` and ``register``s it.

The built-in types (``summit``, ``tariff``, ``defense_spending``) are registered when this package
is imported, in that order: the order of the score columns, the outputs and every report.
"""
from newsevents.types import defense_spending, summit, tariff
from newsevents.types.registry import (LABELLED_BY_CLASSIFIER, LABELLED_BY_DEFINITION, EventType, FieldRule,
                                       event_types, get, names, per_version, register, unregister, version)

__all__ = ["LABELLED_BY_CLASSIFIER", "LABELLED_BY_DEFINITION", "EventType", "FieldRule", "event_types", "get", "names",
           "per_version", "register", "unregister", "version"]

for _module in (summit, tariff, defense_spending):
    register(_module.EVENT_TYPE)
