"""Pipeline assembly and the ``newsevents`` command line."""
