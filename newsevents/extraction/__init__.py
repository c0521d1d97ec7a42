"""From sentences to events: the gate, segmentation, definitions, fields, people, places, dates, amounts and codes."""
