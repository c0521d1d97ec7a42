"""The commands of ``newsevents``, one module each: ``add_parser(sub)`` adds its subcommand to the
command line, ``main(args, extra)`` runs it (``extra``: Beam's options for run, demo and consolidate).
They import what they run inside ``main``, so that the command line starts without loading Beam or
the models."""
