"""Stories: near-duplicate detection and linking event rows of one story across articles."""
