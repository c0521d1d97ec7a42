"""Beam PTransforms and DoFns of newsevents, one concept per module."""
