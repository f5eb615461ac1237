"""Subcommands of the ``quizapp`` command line, one module each.

Each module exposes ``register(subparsers)`` (adds its parser, sets ``func=run``)
and ``run(args) -> int``. :mod:`quizapp.cli` discovers them.
"""
